#include "ns3/ipsec-processor.h"

#include "ns3/crypto-engine.h"
#include "ns3/ipsec-hooks.h"
#include "ns3/ipsec-ns3-compat.h"
#include "ns3/ipsec-random.h"
#include "ns3/ipsec-tags.h"
#include "ns3/ipsec-transforms.h"

#include "ns3/boolean.h"
#include "ns3/icmpv4-l4-protocol.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/traffic-control-layer.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecProcessor");
NS_OBJECT_ENSURE_REGISTERED(IpsecProcessor);

namespace
{
constexpr uint8_t kIpInIp = 4;
constexpr uint8_t kUdp = 17;

bool
IsIpsecProtocol(uint8_t p)
{
    return p == uint8_t(IpsecProtocol::ESP) || p == uint8_t(IpsecProtocol::AH) ||
           p == uint8_t(IpsecProtocol::IPCOMP);
}
} // namespace

TypeId
IpsecProcessor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecProcessor")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecProcessor>()
            .AddAttribute("OuterTtl", "TTL of the outer IP header built in tunnel mode",
                          UintegerValue(255), MakeUintegerAccessor(&IpsecProcessor::m_outerTtl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddAttribute("MaxNesting",
                          "How many IPsec encapsulations one packet may receive at this node",
                          UintegerValue(4), MakeUintegerAccessor(&IpsecProcessor::m_maxNesting),
                          MakeUintegerChecker<uint32_t>(1, IpsecOutboundTag::kMaxEntries))
            .AddAttribute("AcquireQueue",
                          "Packets of one crypto map entry held while IKE negotiates its SAs "
                          "and sent once they are installed (0: dropped, as IOS does)",
                          UintegerValue(0), MakeUintegerAccessor(&IpsecProcessor::m_acquireQueue),
                          MakeUintegerChecker<uint32_t>(0, 1000))
            .AddAttribute("CopyDf",
                          "Copy the inner DF bit to the outer header (IOS default: "
                          "crypto ipsec df-bit copy)",
                          BooleanValue(true), MakeBooleanAccessor(&IpsecProcessor::m_copyDf),
                          MakeBooleanChecker())
            .AddAttribute("FastCrypto",
                          "Build ESP and AH packets with their real headers, sizes, padding and "
                          "sequence numbers but without encrypting or computing ICVs (for large "
                          "studies; timing and sizes are those of the real run). Both peers must "
                          "use the same setting; set it before SAs are installed",
                          BooleanValue(false), MakeBooleanAccessor(&IpsecProcessor::m_fastCrypto),
                          MakeBooleanChecker())
            .AddTraceSource("Drop", "A packet IPsec dropped, with its reason",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_dropTrace),
                            "ns3::IpsecProcessor::DropTracedCallback")
            .AddTraceSource("Encapsulate",
                            "An IPsec-protected packet leaves (payload, outer header)",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_encapTrace),
                            "ns3::Ipv4L3Protocol::SentTracedCallback")
            .AddTraceSource("Decapsulate",
                            "A packet came out of IPsec processing (payload, header)",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_decapTrace),
                            "ns3::Ipv4L3Protocol::SentTracedCallback")
            .AddTraceSource("Acquire", "An ipsec-isakmp entry needs SAs for a flow",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_acquireTrace),
                            "ns3::IpsecProcessor::AcquireTracedCallback")
            .AddTraceSource("BundleInstalled", "SAs for a policy entry are in force",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_bundleInstalledTrace),
                            "ns3::IpsecProcessor::BundleTracedCallback")
            .AddTraceSource("BundleRemoved", "SAs of a policy entry left the data plane",
                            MakeTraceSourceAccessor(&IpsecProcessor::m_bundleRemovedTrace),
                            "ns3::IpsecProcessor::BundleTracedCallback");
    return tid;
}

IpsecProcessor::IpsecProcessor() : m_sad(CreateObject<IpsecSad>())
{
    NS_LOG_FUNCTION(this);
}

IpsecProcessor::~IpsecProcessor() = default;

namespace
{
uint64_t g_processorAggregations = 0;
}

uint64_t
IpsecProcessor::GetAggregations()
{
    return g_processorAggregations;
}

void
IpsecProcessor::NotifyNewAggregate()
{
    NS_LOG_FUNCTION(this);
    ++g_processorAggregations; // called on every object of an aggregate that grew
    if (!m_node)
    {
        Ptr<Node> node = GetObject<Node>();
        if (node)
        {
            SetNode(node);
        }
    }
    Object::NotifyNewAggregate();
}

void
IpsecProcessor::SetNode(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_node = node;
    m_ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (!m_rng)
    {
        std::ostringstream label;
        label << "node" << node->GetId() << "/ipsec";
        m_rng = IpsecRandom::Stream(label.str());
    }
}

void
IpsecProcessor::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_sad->Dispose();
    m_sad = nullptr;
    m_engines = nullptr;
    m_saConn.clear();
    m_saEntry.clear();
    m_interfaces.clear();
    m_node = nullptr;
    m_ipv4 = nullptr;
    m_acquire = MakeNullCallback<void, const Acquire&>();
    m_idle = MakeNullCallback<void, Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>>();
    for (auto& [b, ev] : m_idleEvents)
    {
        ev.Cancel();
    }
    m_idleEvents.clear();
    Object::DoDispose();
}

void
IpsecProcessor::EnsureL4Protocols()
{
    NS_LOG_FUNCTION(this);
    if (m_l4Installed)
    {
        return;
    }
    for (IpsecProtocol p : {IpsecProtocol::ESP, IpsecProtocol::AH, IpsecProtocol::IPCOMP})
    {
        Ptr<IpsecL4Protocol> l4 = CreateObject<IpsecL4Protocol>();
        l4->SetProtocolNumber(static_cast<uint8_t>(p));
        l4->SetProcessor(this);
        m_ipv4->Insert(l4);
    }
    m_l4Installed = true;
}

void
IpsecProcessor::AttachInterface(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    if (!m_ipv4)
    {
        throw std::logic_error("IpsecProcessor: the node has no IPv4 stack (install it first)");
    }
    if (ifIndex >= m_ipv4->GetNInterfaces())
    {
        std::ostringstream os;
        os << "IpsecProcessor: node " << m_node->GetId() << " has no IPv4 interface " << ifIndex;
        throw std::invalid_argument(os.str());
    }
    if (!DynamicCast<IpsecListRouting>(m_ipv4->GetRoutingProtocol()))
    {
        throw std::logic_error("IpsecProcessor: node " + std::to_string(m_node->GetId()) +
                               " was not installed with IpsecStackHelper, so inbound policy "
                               "cannot be checked");
    }
    EnsureL4Protocols();
    if (m_interfaces.count(ifIndex) == 0)
    {
        Ptr<IpsecTrafficControl> hook = CreateObject<IpsecTrafficControl>();
        hook->Setup(this, ifIndex, m_node->GetObject<TrafficControlLayer>());
        m_ipv4->GetInterface(ifIndex)->SetTrafficControl(hook);
        m_interfaces[ifIndex] = InterfacePolicy{};
    }
}

void
IpsecProcessor::ApplySpd(uint32_t ifIndex, Ptr<IpsecSpd> spd, Ipv4Address localAddress)
{
    NS_LOG_FUNCTION(this << ifIndex << spd << localAddress);
    AttachInterface(ifIndex);
    m_interfaces[ifIndex].spd = spd;
    m_interfaces[ifIndex].local = localAddress;
}

void
IpsecProcessor::RemoveSpd(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    auto it = m_interfaces.find(ifIndex);
    if (it != m_interfaces.end())
    {
        it->second.spd = nullptr;
    }
}

void
IpsecProcessor::SetTunnelInterface(uint32_t ifIndex, bool on)
{
    NS_LOG_FUNCTION(this << ifIndex << on);
    AttachInterface(ifIndex);
    m_interfaces[ifIndex].tunnelInterface = on;
}

void
IpsecProcessor::RequestSas(uint32_t ifIndex, Ptr<IpsecPolicyEntry> entry,
                           const IpsecTrafficSelector& scope)
{
    NS_LOG_FUNCTION(this << ifIndex << entry);
    IpsecFlow flow;
    flow.src = scope.srcAddr;
    flow.dst = scope.dstAddr;
    flow.protocol = scope.protocol;
    Acquire a{entry, scope, flow, ifIndex};
    m_acquireTrace(a);
    if (!m_acquire.IsNull())
    {
        m_acquire(a);
    }
}

void
IpsecProcessor::SetAccessGroup(uint32_t ifIndex, Ptr<IpsecAccessList> in, Ptr<IpsecAccessList> out)
{
    NS_LOG_FUNCTION(this << ifIndex << in << out);
    AttachInterface(ifIndex);
    m_interfaces[ifIndex].aclIn = in;
    m_interfaces[ifIndex].aclOut = out;
}

Ptr<IpsecSpd>
IpsecProcessor::GetSpd(uint32_t ifIndex) const
{
    auto it = m_interfaces.find(ifIndex);
    return it == m_interfaces.end() ? nullptr : it->second.spd;
}

Ipv4Address
IpsecProcessor::GetLocalAddress(uint32_t ifIndex) const
{
    auto it = m_interfaces.find(ifIndex);
    return it == m_interfaces.end() ? Ipv4Address() : it->second.local;
}

void
IpsecProcessor::SetEngineSet(Ptr<IpsecEngineSet> engines)
{
    NS_LOG_FUNCTION(this << engines);
    m_engines = engines;
    if (engines && m_node && !m_node->GetObject<IpsecEngineSet>())
    {
        m_node->AggregateObject(engines);
    }
}

namespace
{
/** What a bundle's tunnel costs an engine: its ESP cipher and integrity algorithm, else AH's. */
std::pair<ipsec::CipherAlgorithm, ipsec::AuthAlgorithm>
BundleAlgorithms(const IpsecSaBundle& b)
{
    std::pair<ipsec::CipherAlgorithm, ipsec::AuthAlgorithm> r{ipsec::CipherAlgorithm::NULL_CIPHER,
                                                              ipsec::AuthAlgorithm::NONE};
    for (const auto& sa : b.outbound)
    {
        const IpsecSaConfig& c = sa->GetConfig();
        if (c.protocol == IpsecProtocol::ESP)
        {
            return {c.cipher, c.auth};
        }
        if (c.protocol == IpsecProtocol::AH)
        {
            r.second = c.auth;
        }
    }
    return r;
}

/** The engine operation for @p sa's work on @p bytes (IPComp: none; the CPU's cost of
 *  compression is not calibrated). */
std::optional<IpsecCryptoOperation>
OperationFor(const IpsecSa& sa, uint32_t bytes, bool protect)
{
    const IpsecSaConfig& c = sa.GetConfig();
    if (c.protocol == IpsecProtocol::IPCOMP)
    {
        return std::nullopt;
    }
    const auto cipher =
        c.protocol == IpsecProtocol::ESP ? c.cipher : ipsec::CipherAlgorithm::NULL_CIPHER;
    return protect ? IpsecCryptoOperation::Protect(cipher, c.auth, bytes)
                   : IpsecCryptoOperation::Unprotect(cipher, c.auth, bytes);
}
} // namespace

uint32_t
IpsecProcessor::EngineConnection(const Ptr<IpsecSa>& sa) const
{
    auto it = m_saConn.find(sa->GetId());
    return it == m_saConn.end() ? 0 : it->second;
}

void
IpsecProcessor::PacketWork::push_back(const IpsecCryptoOperation& op)
{
    if (m_n < m_ops.size())
    {
        m_ops[m_n++] = op;
        return;
    }
    if (m_spill.empty())
    {
        m_spill.assign(m_ops.begin(), m_ops.end());
    }
    m_spill.push_back(op);
    ++m_n;
}

bool
IpsecProcessor::SubmitWork(uint32_t conn, const PacketWork& ops, Callback<void> done, bool encrypt)
{
    // (No NS_LOG_FUNCTION: per packet; the engine's Submit logs each operation.)
    Ptr<IpsecCryptoEngine> engine = m_engines->EngineFor(conn);
    if (!engine)
    {
        engine = m_engines->GetSoftware();
    }
    if (!engine || ops.size() == 0)
    {
        done();
        return true;
    }
    if (!engine->SubmitAll(ops.data(), ops.size(), done))
    {
        return false;
    }
    m_engines->CountPacket(conn, encrypt);
    return true;
}

void
IpsecProcessor::InstallBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle,
                              uint32_t ikeConnId)
{
    NS_LOG_FUNCTION(this << entry << bundle << ikeConnId);
    uint32_t conn = 0;
    if (m_engines)
    {
        const auto [cipher, auth] = BundleAlgorithms(*bundle);
        std::ostringstream label;
        label << bundle->peer;
        IpsecEngineSet::Assignment a =
            m_engines->AssignTunnel(cipher, auth, label.str(), ikeConnId);
        if (a.refused)
        {
            throw std::runtime_error("crypto engine: " + a.why);
        }
        conn = a.connId;
    }
    std::vector<Ptr<IpsecSa>> added;
    try
    {
        for (auto& sa : bundle->inbound)
        {
            m_sad->Add(sa);
            added.push_back(sa);
        }
        for (auto& sa : bundle->outbound)
        {
            m_sad->Add(sa);
            added.push_back(sa);
        }
    }
    catch (...)
    {
        for (auto& sa : added)
        {
            m_sad->Remove(sa);
        }
        if (conn)
        {
            m_engines->Release(conn);
        }
        throw;
    }
    for (auto& sa : added)
    {
        sa->SetFastCrypto(m_fastCrypto);
        // IOS numbers the connections of IPsec SAs from 2001 (IKE SAs have theirs from 1001):
        // one per SA, shown by show crypto ipsec sa, the engine table and debug crypto ipsec.
        sa->SetConnId(m_nextSaConnId++);
        if (conn)
        {
            m_saConn[sa->GetId()] = conn;
            const IpsecSaConfig& c = sa->GetConfig();
            std::ostringstream local;
            local << (sa->GetDirection() == IpsecDirection::INBOUND ? c.destination : c.source);
            m_engines->AddSa(
                conn, sa->GetConnId(), static_cast<uint8_t>(c.protocol),
                sa->GetDirection() == IpsecDirection::INBOUND,
                c.protocol == IpsecProtocol::ESP ? c.cipher : ipsec::CipherAlgorithm::NULL_CIPHER,
                c.protocol == IpsecProtocol::IPCOMP ? ipsec::AuthAlgorithm::NONE : c.auth,
                local.str());
        }
    }
    // SAs of a tunnel interface's entries deliver on that interface.
    for (const auto& [ifIndex, ifp] : m_interfaces)
    {
        if (!ifp.tunnelInterface || !ifp.spd)
        {
            continue;
        }
        const auto& entries = ifp.spd->GetEntries();
        if (std::find(entries.begin(), entries.end(), entry) != entries.end())
        {
            for (auto& sa : bundle->inbound)
            {
                m_saTunnel[sa->GetId()] = ifIndex;
            }
        }
    }
    for (auto& sa : bundle->inbound)
    {
        m_saEntry[sa->GetId()] = entry;
    }
    entry->AddBundle(bundle);
    if (bundle->idleTimeout.IsStrictlyPositive())
    {
        ScheduleIdleCheck(entry, bundle);
    }
    m_bundleInstalledTrace(entry, bundle);
    // Packets held while the SAs were negotiated go now, in order.
    auto held = m_held.find(entry->id);
    if (held != m_held.end())
    {
        std::vector<Held> q = std::move(held->second);
        m_held.erase(held);
        for (auto& h : q)
        {
            if (!ProcessOutbound(h.ifIndex, h.payload, h.header))
            {
                // no longer for IPsec (configuration changed): it goes as it is
                Ptr<Ipv4Route> route;
                Socket::SocketErrno err;
                route =
                    m_ipv4->GetRoutingProtocol()->RouteOutput(h.payload, h.header, nullptr, err);
                if (route)
                {
                    m_ipv4->SendWithHeader(h.payload, h.header, route);
                }
            }
        }
    }
}

void
IpsecProcessor::DropHeld(Ptr<IpsecPolicyEntry> entry)
{
    NS_LOG_FUNCTION(this << entry);
    auto held = m_held.find(entry->id);
    if (held == m_held.end())
    {
        return;
    }
    for (auto& h : held->second)
    {
        ++entry->noSaDrops;
        Drop(h.payload, h.header, IpsecDropReason::NO_SA);
    }
    m_held.erase(held);
}

void
IpsecProcessor::RemoveBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << entry << bundle);
    uint32_t conn = 0;
    for (const auto* dir : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& sa : *dir)
        {
            m_sad->Remove(sa);
            m_saTunnel.erase(sa->GetId());
            m_saEntry.erase(sa->GetId());
            auto c = m_saConn.find(sa->GetId());
            if (c != m_saConn.end())
            {
                conn = c->second;
                m_saConn.erase(c);
            }
        }
    }
    if (conn && m_engines)
    {
        m_engines->Release(conn);
    }
    const bool bound = entry->RemoveBundle(bundle);
    if (bound)
    {
        m_bundleRemovedTrace(entry, bundle);
    }
    auto idle = m_idleEvents.find(PeekPointer(bundle));
    if (idle != m_idleEvents.end())
    {
        idle->second.Cancel();
        m_idleEvents.erase(idle);
    }
}

void
IpsecProcessor::ScheduleIdleCheck(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    Time due = bundle->LastActivity() + bundle->idleTimeout - Simulator::Now();
    if (due.IsNegative())
    {
        due = Seconds(0);
    }
    m_idleEvents[PeekPointer(bundle)] =
        Simulator::Schedule(due, &IpsecProcessor::IdleCheck, this, entry, bundle);
}

void
IpsecProcessor::IdleCheck(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << entry << bundle);
    if (Simulator::Now() - bundle->LastActivity() < bundle->idleTimeout)
    {
        ScheduleIdleCheck(entry, bundle); // it carried packets meanwhile
        return;
    }
    m_idleEvents.erase(PeekPointer(bundle));
    NS_LOG_INFO("bundle to " << bundle->peer << " of " << entry->Name() << " idle for "
                             << bundle->idleTimeout.As(Time::S));
    if (!m_idle.IsNull())
    {
        m_idle(entry, bundle);
    }
    else
    {
        RemoveBundle(entry, bundle);
    }
}

void
IpsecProcessor::SetDfBit(IpsecDfBit policy)
{
    NS_LOG_FUNCTION(this << static_cast<int>(policy));
    m_dfBitNode = policy;
}

void
IpsecProcessor::SetDfBit(uint32_t ifIndex, std::optional<IpsecDfBit> policy)
{
    NS_LOG_FUNCTION(this << ifIndex);
    if (policy)
    {
        m_dfBit[ifIndex] = *policy;
    }
    else
    {
        m_dfBit.erase(ifIndex);
    }
}

IpsecDfBit
IpsecProcessor::GetDfBit(uint32_t ifIndex) const
{
    auto it = m_dfBit.find(ifIndex);
    if (it != m_dfBit.end())
    {
        return it->second;
    }
    return m_dfBitNode.value_or(m_copyDf ? IpsecDfBit::COPY : IpsecDfBit::CLEAR);
}

bool
IpsecProcessor::DropTooBig(Ptr<const Packet> payload, const Ipv4Header& header,
                           const Ipv4Header& outer, uint32_t size, Ptr<Ipv4Route> route)
{
    const uint32_t mtu = route->GetOutputDevice()->GetMtu();
    if (!outer.IsDontFragment() || size + outer.GetSerializedSize() <= mtu)
    {
        return false;
    }
    // ns-3's IP fragments whatever exceeds the MTU, DF or not: the check is ours. As a router
    // does (RFC 1191), the sender of the inner packet hears how much room the tunnel leaves.
    Drop(payload, header, IpsecDropReason::FRAGMENTATION_NEEDED);
    Ptr<Icmpv4L4Protocol> icmp = m_node->GetObject<Icmpv4L4Protocol>();
    const bool ownPacket = m_ipv4->GetInterfaceForAddress(header.GetSource()) >= 0;
    if (icmp && !ownPacket && header.GetProtocol() != Icmpv4L4Protocol::PROT_NUMBER)
    {
        const uint32_t overhead =
            size + outer.GetSerializedSize() - (payload->GetSize() + header.GetSerializedSize());
        const uint16_t room = static_cast<uint16_t>(mtu > overhead ? mtu - overhead : 68);
        uint8_t first8[8] = {};
        payload->CopyData(first8, 8);
        icmp->SendDestUnreachFragNeeded(header, Create<Packet>(first8, 8), room);
    }
    return true;
}

void
IpsecProcessor::Drop(Ptr<const Packet> p, const Ipv4Header& h, IpsecDropReason r)
{
    NS_LOG_FUNCTION(this << p);
    NS_LOG_LOGIC("node " << (m_node ? m_node->GetId() : 0) << " drop " << r << " " << h);
    m_drops.Add(r);
    m_dropTrace(p, h, r);
}

// ------------------------------------------------------------------------------- outbound

bool
IpsecProcessor::IsGroupDestination(Ipv4Address dst, uint32_t ifIndex) const
{
    bool group = dst.IsBroadcast() || dst.IsMulticast();
    // A subnet-directed broadcast has every host bit set, the last one included, for any mask
    // but /32 (which has none): an even address cannot be one, and the walk over the
    // interface's addresses (a virtual call and a list walk each) is skipped for it.
    if ((dst.Get() & 1) == 0)
    {
        return group;
    }
    for (uint32_t a = 0; a < m_ipv4->GetNAddresses(ifIndex) && !group; ++a)
    {
        const Ipv4InterfaceAddress ia = m_ipv4->GetAddress(ifIndex, a);
        group = dst.CombineMask(ia.GetMask()) == ia.GetLocal().CombineMask(ia.GetMask()) &&
                dst.IsSubnetDirectedBroadcast(ia.GetMask());
    }
    return group;
}

bool
IpsecProcessor::ProcessOutbound(uint32_t ifIndex, Ptr<Packet> payload, const Ipv4Header& header)
{
    NS_LOG_FUNCTION(this << ifIndex << payload);
    auto it = m_interfaces.find(ifIndex);
    if (it == m_interfaces.end())
    {
        return false;
    }
    AppliedEntries applied;
    IpsecOutboundTag tag;
    if (payload->PeekPacketTag(tag) && tag.node == m_node->GetId())
    {
        applied = tag.entryIds;
    }
    const InterfacePolicy& ifp = it->second;
    // The packet this node has just protected comes back here on its way out. When the
    // interface's map has no entry left to apply to it (no nesting) and no outbound filter,
    // it leaves as it is, whatever its flow: the lookup below would skip every entry and count
    // nothing. This saves building its flow, the group check and the SPD cache probe (measured
    // in doc/benchmarks.md, "Second round"). A nested map still has an entry to try.
    if (!applied.empty() && !ifp.aclOut &&
        (!ifp.spd || ifp.spd->SkipsEveryEntry(applied.data(), applied.size())))
    {
        return false;
    }
    if (IsGroupDestination(header.GetDestination(), ifIndex))
    {
        return false; // IPsec protects unicast only (spec: Restrictions)
    }
    IpsecFlow flow = FlowOf(header, *payload);
    IpsecOutboundDecision d;
    // The router's own IKE (UDP 500, 4500 with NAT-T) is never put into its IPsec SAs: the SAs
    // are what IKE negotiates, so `permit ip any any` must not catch it (the spec's warning).
    const bool ownIke = flow.protocol == kUdp && flow.hasPorts &&
                        (flow.srcPort == 500 || flow.srcPort == 4500) &&
                        m_ipv4->GetInterfaceForAddress(flow.src) >= 0;
    if (ifp.spd && !ownIke)
    {
        d = ifp.spd->LookupOutbound(flow, applied.data(), applied.size());
    }
    switch (d.action)
    {
    case IpsecOutboundDecision::Action::BYPASS:
        // What finally leaves in the clear (or already encapsulated) meets the outbound filter.
        if (ifp.aclOut && !ifp.aclOut->Permits(flow))
        {
            Drop(payload, header, IpsecDropReason::ACCESS_GROUP);
            return true;
        }
        return false;
    case IpsecOutboundDecision::Action::ACQUIRE:
        // ipsec-manual with no SA, a dynamic template, or IKE not done yet: the packet is
        // dropped (IOS drops while negotiating); IKE is asked for ipsec-isakmp entries.
        if (d.entry->keying == IpsecKeying::ISAKMP)
        {
            Acquire a{d.entry, d.entry->ScopeFor(flow, d.rule), flow, ifIndex};
            m_acquireTrace(a);
            if (!m_acquire.IsNull())
            {
                m_acquire(a);
            }
        }
        if (d.entry->keying == IpsecKeying::ISAKMP && m_acquireQueue > 0)
        {
            auto& q = m_held[d.entry->id];
            if (q.size() < m_acquireQueue)
            {
                q.push_back({payload->Copy(), header, ifIndex, Simulator::Now()});
                return true; // held until the SAs come (or dropped when they do not)
            }
        }
        ++d.entry->noSaDrops;
        Drop(payload, header, IpsecDropReason::NO_SA);
        return true;
    case IpsecOutboundDecision::Action::PROTECT:
        if (applied.size() >= m_maxNesting)
        {
            Drop(payload, header, IpsecDropReason::NESTING_LIMIT);
            return true;
        }
        Encapsulate(d.entry, d.bundle, applied, payload, header, ifIndex);
        return true;
    }
    return false;
}

void
IpsecProcessor::Encapsulate(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle,
                            const AppliedEntries& applied, Ptr<Packet> payload,
                            const Ipv4Header& header, uint32_t ifIndex)
{
    // (No NS_LOG_FUNCTION here and in the per-packet steps after it, SendProtected,
    // FinishInbound, Reinject: ProcessOutbound and ProcessInbound, the entry points, log every
    // packet already, and each disabled NS_LOG_FUNCTION still costs a call per packet.)
    // The spec: transport mode applies only to traffic between the peers themselves; all other
    // traffic is carried in tunnel mode.
    const bool transport = bundle->mode == IpsecMode::TRANSPORT &&
                           header.GetSource() == bundle->local &&
                           header.GetDestination() == bundle->peer;
    Ipv4Header outer;
    Ptr<Packet> data = payload->Copy();
    data->RemoveAllPacketTags();
    uint8_t nh;
    if (transport)
    {
        outer = header;
        nh = header.GetProtocol();
    }
    else
    {
        Ipv4Header inner = header;
        if (Node::ChecksumEnabled())
        {
            inner.EnableChecksum();
        }
        data->AddHeader(inner);
        nh = kIpInIp;
        // RFC 2401 5.1.2.1: outer addresses are the tunnel ends; TOS copied, DF copied, set or
        // cleared (IOS `crypto ipsec df-bit copy|set|clear`).
        outer.SetSource(bundle->local);
        outer.SetDestination(bundle->peer);
        outer.SetTos(header.GetTos());
        outer.SetTtl(m_outerTtl);
        outer.SetIdentification(m_nextIdentification++);
        const IpsecDfBit df = GetDfBit(ifIndex);
        if (df == IpsecDfBit::SET || (df == IpsecDfBit::COPY && header.IsDontFragment()))
        {
            outer.SetDontFragment();
        }
        else
        {
            outer.SetMayFragment();
        }
    }
    PacketWork work;
    uint32_t conn = 0;
    for (auto& sa : bundle->outbound)
    {
        if (m_engines)
        {
            if (auto op = OperationFor(*sa, data->GetSize(), true))
            {
                work.push_back(*op);
            }
            conn = conn ? conn : EngineConnection(sa);
        }
        IpsecTransformResult r;
        switch (sa->GetProtocol())
        {
        case IpsecProtocol::IPCOMP:
            r = IpcompTransform::Protect(*sa, *data, nh);
            break;
        case IpsecProtocol::ESP:
            r = EspTransform::Protect(*sa, *m_rng, *data, nh);
            break;
        case IpsecProtocol::AH:
            r = AhTransform::Protect(*sa, outer, *data, nh);
            break;
        }
        if (r.drop)
        {
            Drop(payload, header, *r.drop);
            return;
        }
        data = r.payload;
        nh = r.nextHeader;
    }
    if (!m_engines)
    {
        SendProtected(entry, bundle, applied, payload, header, data, outer, nh);
        return;
    }
    // The bytes are ready; the packet leaves when its engine has done the work (FIFO per
    // engine, so an SA's packets keep their order).
    auto send = MakeLambdaCallback<Callback<void>>(
        [this, entry, bundle, applied, payload, header, data, outer, nh]()
        { SendProtected(entry, bundle, applied, payload, header, data, outer, nh); });
    if (!SubmitWork(conn, work, send, true))
    {
        if (!bundle->outbound.empty())
        {
            bundle->outbound.front()->CountDrop(IpsecDropReason::ENGINE_QUEUE_FULL);
        }
        Drop(payload, header, IpsecDropReason::ENGINE_QUEUE_FULL);
    }
}

void
IpsecProcessor::SendProtected(const Ptr<IpsecPolicyEntry>& entry, const Ptr<IpsecSaBundle>& bundle,
                              const AppliedEntries& applied, const Ptr<Packet>& payload,
                              const Ipv4Header& header, Ptr<Packet> data, Ipv4Header outer,
                              uint8_t nh)
{
    if (!m_ipv4)
    {
        return; // disposed while the engine worked
    }
    if (bundle->udpEncapPeerPort)
    {
        // RFC 3948 2.1: a UDP header in front of ESP. Its checksum "SHOULD be transmitted as
        // zero" and receivers must accept either; ns-3's UDP drops a zero checksum when
        // checksums are on, so then it is computed.
        UdpHeader udp;
        udp.SetSourcePort(bundle->udpEncapLocalPort);
        udp.SetDestinationPort(bundle->udpEncapPeerPort);
        if (Node::ChecksumEnabled())
        {
            udp.EnableChecksums();
            udp.InitializeChecksum(bundle->local, bundle->peer, kUdp);
        }
        data->AddHeader(udp);
        nh = kUdp;
    }
    // ns-3 byte tags of the inner packet travel packed with it (see IpsecCarriedTags).
    data->RemoveAllByteTags();
    m_carried.Pack(*payload);
    if (!m_carried.IsEmpty())
    {
        data->AddByteTag(m_carried);
    }
    outer.SetProtocol(nh);
    outer.SetPayloadSize(data->GetSize());
    if (Node::ChecksumEnabled())
    {
        outer.EnableChecksum();
    }
    IpsecOutboundTag out;
    out.node = m_node->GetId();
    out.entryIds = applied;
    out.entryIds.push_back(entry->id);
    data->AddPacketTag(out);

    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = m_ipv4->GetRoutingProtocol()->RouteOutput(data, outer, nullptr, err);
    if (!route)
    {
        Drop(payload, header, IpsecDropReason::NO_ROUTE);
        return;
    }
    if (DropTooBig(payload, header, outer, data->GetSize(), route))
    {
        return;
    }
    ++m_encapsulated;
    m_encapTrace(data, outer);
    m_ipv4->SendWithHeader(data, outer, route);
}

// -------------------------------------------------------------------------------- inbound

void
IpsecProcessor::ProcessInboundUdpEncapsulated(Ptr<Packet> esp, Ipv4Address src, Ipv4Address dst,
                                              uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << esp << src << dst << ifIndex);
    Ipv4Header h;
    h.SetSource(src);
    h.SetDestination(dst);
    h.SetProtocol(static_cast<uint8_t>(IpsecProtocol::ESP));
    h.SetPayloadSize(esp->GetSize());
    h.SetTtl(64);
    if (!m_ipv4 || ifIndex >= m_ipv4->GetNInterfaces())
    {
        Drop(esp, h, IpsecDropReason::MALFORMED);
        return;
    }
    ProcessInbound(esp, h, m_ipv4->GetInterface(ifIndex));
}

void
IpsecProcessor::ProcessInbound(Ptr<Packet> packet, const Ipv4Header& header,
                               Ptr<Ipv4Interface> iface)
{
    NS_LOG_FUNCTION(this << packet << iface);
    Ipv4Header ip = header;
    Ptr<Packet> data = packet;
    // The SAs this pass removes. With nesting, an outer layer's packet was checked against its
    // own SAs when it was re-injected; the inner packet answers only to the SAs removed now.
    SaIds saIds;
    PacketWork work;
    uint32_t conn = 0;
    uint8_t nh = ip.GetProtocol();
    // RFC 2401 5.2.1: process each IPsec header addressed to us, outermost first.
    while (IsIpsecProtocol(nh))
    {
        const auto proto = static_cast<IpsecProtocol>(nh);
        std::optional<uint32_t> spi;
        switch (proto)
        {
        case IpsecProtocol::ESP:
            spi = EspTransform::PeekSpi(*data);
            break;
        case IpsecProtocol::AH:
            spi = AhTransform::PeekSpi(*data);
            break;
        case IpsecProtocol::IPCOMP:
            spi = IpcompTransform::PeekCpi(*data);
            break;
        }
        if (!spi)
        {
            Drop(data, ip, IpsecDropReason::MALFORMED);
            return;
        }
        Ptr<IpsecSa> sa = m_sad->LookupInbound(*spi, ip.GetDestination(), proto);
        if (!sa || sa->IsExpired())
        {
            Drop(data, ip, IpsecDropReason::NO_SA);
            return;
        }
        if (m_engines)
        {
            conn = conn ? conn : EngineConnection(sa);
        }
        IpsecTransformResult r;
        switch (proto)
        {
        case IpsecProtocol::ESP:
            r = EspTransform::Unprotect(*sa, *data);
            break;
        case IpsecProtocol::AH:
            r = AhTransform::Unprotect(*sa, ip, *data);
            break;
        case IpsecProtocol::IPCOMP:
            r = IpcompTransform::Unprotect(*sa, *data);
            break;
        }
        if (m_engines)
        {
            // Engine figures are quoted by the size of the clear packet, as for protection.
            if (auto op = OperationFor(*sa, r.drop ? data->GetSize() : r.payload->GetSize(), false))
            {
                work.push_back(*op);
            }
        }
        if (r.drop)
        {
            // A forged or replayed packet costs its engine the work all the same (the ICV is
            // computed before it is found wrong).
            const IpsecDropReason why = *r.drop;
            if (!m_engines || !SubmitWork(conn, work,
                                          MakeLambdaCallback<Callback<void>>(
                                              [this, data, ip, why]() { Drop(data, ip, why); }),
                                          false))
            {
                Drop(data, ip, why);
            }
            return;
        }
        if (saIds.size() < IpsecInboundTag::kMaxSas)
        {
            saIds.push_back(sa->GetId());
        }
        // Load sharing: authenticated traffic from a peer makes it the peer last heard from
        // for the entry's flows.
        auto heard = m_saEntry.find(sa->GetId());
        if (heard != m_saEntry.end())
        {
            heard->second->lastPeerHeard = sa->GetConfig().source;
        }
        r.payload->RemoveAllByteTags();
        if (data->FindFirstMatchingByteTag(m_carried))
        {
            m_carried.Unpack(*r.payload);
        }
        data = r.payload;
        nh = r.nextHeader;
        ip.SetProtocol(nh);
        ip.SetPayloadSize(data->GetSize());
    }
    if (!m_engines)
    {
        FinishInbound(data, ip, iface, saIds, nh);
        return;
    }
    auto finish = MakeLambdaCallback<Callback<void>>(
        [this, data, ip, iface, saIds, nh]() { FinishInbound(data, ip, iface, saIds, nh); });
    if (!SubmitWork(conn, work, finish, false))
    {
        Drop(data, ip, IpsecDropReason::ENGINE_QUEUE_FULL);
    }
}

void
IpsecProcessor::FinishInbound(Ptr<Packet> data, Ipv4Header ip, const Ptr<Ipv4Interface>& iface,
                              const SaIds& saIds, uint8_t nh)
{
    if (!m_ipv4)
    {
        return; // disposed while the engine worked
    }
    ++m_decapsulated;
    if (nh == kIpInIp)
    {
        Ipv4Header inner;
        if (data->GetSize() < 20 || data->PeekHeader(inner) < 20 ||
            inner.GetPayloadSize() + inner.GetSerializedSize() > data->GetSize())
        {
            Drop(data, ip, IpsecDropReason::MALFORMED);
            return;
        }
        m_decapTrace(data, inner);
        Reinject(data, ArrivalInterface(saIds, iface), saIds);
        return;
    }
    // Transport mode: the original header with the inner protocol, delivered again to IP.
    if (Node::ChecksumEnabled())
    {
        ip.EnableChecksum();
    }
    m_decapTrace(data, ip);
    Ptr<Packet> full = data->Copy();
    full->AddHeader(ip);
    Reinject(full, ArrivalInterface(saIds, iface), saIds);
}

Ptr<Ipv4Interface>
IpsecProcessor::ArrivalInterface(const SaIds& saIds, Ptr<Ipv4Interface> arrived) const
{
    for (uint32_t id : saIds)
    {
        auto t = m_saTunnel.find(id);
        if (t != m_saTunnel.end() && t->second < m_ipv4->GetNInterfaces())
        {
            return m_ipv4->GetInterface(t->second);
        }
    }
    return arrived;
}

void
IpsecProcessor::Reinject(Ptr<Packet> packetWithHeader, Ptr<Ipv4Interface> iface, const SaIds& saIds)
{
    IpsecInboundTag tag;
    tag.node = m_node->GetId();
    tag.saIds = saIds;
    packetWithHeader->RemoveAllPacketTags();
    packetWithHeader->AddPacketTag(tag);
    Ptr<NetDevice> dev = iface->GetDevice();
    // As if it had arrived on that interface: IP input, policy check, routing, delivery.
    m_ipv4->Receive(dev, packetWithHeader, Ipv4L3Protocol::PROT_NUMBER, dev->GetAddress(),
                    dev->GetAddress(), NetDevice::PACKET_HOST);
}

bool
IpsecProcessor::CheckInbound(Ptr<const Packet> packet, const Ipv4Header& header, uint32_t ifIndex)
{
    // (No NS_LOG_FUNCTION: routing calls this for every packet the node receives, IPsec or not;
    // a drop is logged by Drop.)
    IpsecInboundTag tag;
    const bool protectedHere = packet->PeekPacketTag(tag) && tag.node == m_node->GetId();
    auto it = m_interfaces.find(ifIndex);
    const InterfacePolicy* ifp = it == m_interfaces.end() ? nullptr : &it->second;
    if (!ifp && !protectedHere)
    {
        return true;
    }
    IpsecFlow flow = FlowOf(header, *packet);
    if (!protectedHere && ifp->aclIn && !ifp->aclIn->Permits(flow))
    {
        Drop(packet, header, IpsecDropReason::ACCESS_GROUP); // ordinary filtering comes first
        return false;
    }
    if (protectedHere)
    {
        // RFC 2401 5.2.1 step 4: what came out of the SAs must be what they were set up for.
        for (uint32_t id : tag.saIds)
        {
            Ptr<IpsecSa> sa = m_sad->LookupById(id);
            if (!sa || !sa->GetConfig().selector.Matches(flow.Reversed()))
            {
                if (sa)
                {
                    sa->CountDrop(IpsecDropReason::POLICY_MISMATCH);
                }
                Drop(packet, header, IpsecDropReason::POLICY_MISMATCH);
                return false;
            }
        }
        return true;
    }
    // IPsec and IKE addressed to this node are processed by IPsec and IKE themselves.
    const bool toUs = m_ipv4->IsDestinationAddress(header.GetDestination(), ifIndex);
    if (toUs && IsIpsecProtocol(header.GetProtocol()))
    {
        return true;
    }
    if (toUs && flow.protocol == kUdp && flow.hasPorts &&
        (flow.dstPort == 500 || flow.dstPort == 4500))
    {
        return true;
    }
    if (!ifp->spd || IsGroupDestination(header.GetDestination(), ifIndex))
    {
        return true; // IPsec protects unicast only (spec: Restrictions): nothing to require
    }
    Ptr<IpsecPolicyEntry> required = ifp->spd->LookupInboundRequirement(flow);
    if (required)
    {
        // The spec: unprotected inbound traffic that matches a permit is dropped, because it
        // should have been protected.
        Drop(packet, header, IpsecDropReason::UNPROTECTED);
        return false;
    }
    return true;
}

} // namespace ns3
