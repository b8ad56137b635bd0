#include "ike-daemon-private.h"

#include "ns3/crypto-engine.h"
#include "ns3/ikev2-daemon.h"

#include "ns3/ipsec-random.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemon");
NS_OBJECT_ENSURE_REGISTERED(IkeDaemon);

using namespace ike;

TypeId
IkeDaemon::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IkeDaemon")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IkeDaemon>()
            .AddAttribute("RetransmitInterval",
                          "Time without an answer before a message is sent again (IOS: about "
                          "10 s)",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&IkeDaemon::m_retransmitInterval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxRetransmissions",
                          "Retransmissions of one message before the exchange is given up",
                          UintegerValue(3), MakeUintegerAccessor(&IkeDaemon::m_maxRetransmissions),
                          MakeUintegerChecker<uint32_t>(0, 100))
            .AddAttribute("FailureHoldDown",
                          "After a negotiation failed with every peer, packets of the same "
                          "crypto map entry start no new one for this long (they are dropped)",
                          TimeValue(Seconds(5)), MakeTimeAccessor(&IkeDaemon::m_failureHoldDown),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ForceUdpEncapsulation",
                          "Behave as if behind a NAT (a NAT-D that cannot match), so that a "
                          "peer doing NAT-T puts ESP in UDP 4500 (strongSwan's encap = yes)",
                          BooleanValue(false), MakeBooleanAccessor(&IkeDaemon::m_forceEncap),
                          MakeBooleanChecker())
            .AddAttribute("DpdMaxRetries",
                          "Unanswered R-U-THERE messages after which the peer is declared dead",
                          UintegerValue(5), MakeUintegerAccessor(&IkeDaemon::m_dpdMaxRetries),
                          MakeUintegerChecker<uint32_t>(1, 100))
            .AddTraceSource("Exchange", "An exchange ended (successfully or not)",
                            MakeTraceSourceAccessor(&IkeDaemon::m_exchangeTrace),
                            "ns3::IkeDaemon::ExchangeTracedCallback");
    return tid;
}

IkeDaemon::IkeDaemon() = default;
IkeDaemon::~IkeDaemon() = default;

void
IkeDaemon::ForgetAll()
{
    NS_LOG_FUNCTION(this);
    CancelExchanges();
    if (m_ikev2)
    {
        m_ikev2->ForgetAll();
    }
    for (auto& [k, sa] : m_sas)
    {
        sa->expiry.Cancel();
        sa->dpdEvent.Cancel();
        sa->natKeepaliveEvent.Cancel();
        sa->state = IkeSaState::DELETED;
        ReleaseEngine(sa);
    }
    DropAllSas();
    m_deleted.clear(); // a reload forgets them too
    std::vector<Ptr<IpsecSaBundle>> bundles;
    for (const auto& [bp, info] : m_bundles)
    {
        info.entry->lastPeerHeard = Ipv4Address::GetAny(); // a reload forgets whom it heard
        bundles.push_back(Ptr<IpsecSaBundle>(bp));
    }
    for (auto& b : bundles)
    {
        RemoveBundleFromPlane(b);
    }
    for (const auto& [id, n] : m_negotiations)
    {
        m_processor->DropHeld(n.entry);
    }
    m_negotiations.clear();
    m_holdDown.clear();
    m_lastPeer.clear();
    m_dpdCounters.clear();
}

void
IkeDaemon::DoDispose()
{
    Stop();
    CancelExchanges();
    DropAllSas();
    m_bundles.clear();
    m_bundlesByPeer.clear();
    m_negotiations.clear();
    m_processor = nullptr;
    Object::DoDispose();
}

void
IkeDaemon::Setup(Ptr<IpsecProcessor> processor, const IkePolicyProvider* provider,
                 const std::string& hostname)
{
    NS_LOG_FUNCTION(this << processor << provider << hostname);
    m_processor = processor;
    m_provider = provider;
    m_hostname = hostname;
    const std::string label = "ike/" + std::to_string(processor->GetNode()->GetId());
    m_rng = IpsecRandom::Stream(label);
    m_idRng = IpsecRandom::IdentifierStream(label, m_rng);
}

void
IkeDaemon::SetKeepalive(uint32_t seconds, uint32_t retry, bool periodic)
{
    NS_LOG_FUNCTION(this << seconds << retry << periodic);
    m_dpdSeconds = seconds;
    m_dpdRetry = retry ? retry : 2;
    m_dpdPeriodic = periodic;
}

void
IkeDaemon::Start()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_UNLESS(m_processor && m_provider, "IkeDaemon::Start before Setup");
    Ptr<Node> node = m_processor->GetNode();
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t k = 0; k < ipv4->GetNAddresses(i); ++k)
        {
            Ipv4Address a = ipv4->GetAddress(i, k).GetLocal();
            if (m_sockets.count({a, kIkePort}))
            {
                continue;
            }
            for (uint16_t port : {kIkePort, kNatTPort})
            {
                Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
                if (s->Bind(InetSocketAddress(a, port)) != 0)
                {
                    NS_LOG_WARN("IKE: cannot bind " << a << ":" << port);
                    continue;
                }
                s->SetRecvPktInfo(true);
                s->SetRecvCallback(MakeCallback(&IkeDaemon::HandleRead, this));
                m_sockets[{a, port}] = s;
            }
        }
    }
    m_processor->SetAcquireCallback(MakeCallback(&IkeDaemon::OnAcquire, this));
    m_processor->SetIdleCallback(MakeCallback(&IkeDaemon::OnBundleIdle, this));
    if (!m_ikev2)
    {
        m_ikev2 = std::make_unique<Ikev2Daemon>(*this);
    }
    m_started = true;
}

void
IkeDaemon::Stop()
{
    NS_LOG_FUNCTION(this);
    for (auto& [a, s] : m_sockets)
    {
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s->Close();
    }
    m_sockets.clear();
    if (m_processor && m_started)
    {
        m_processor->SetAcquireCallback(MakeNullCallback<void, const IpsecProcessor::Acquire&>());
        m_processor->SetIdleCallback(
            MakeNullCallback<void, Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>>());
    }
    for (auto& [k, sa] : m_sas)
    {
        sa->expiry.Cancel();
        sa->dpdEvent.Cancel();
    }
    if (m_ikev2)
    {
        m_ikev2->Stop();
    }
    m_started = false;
    m_provider = nullptr;
}

// ------------------------------------------------------------------------------ context

ipsec::ByteSource&
IkeDaemon::Rng()
{
    return *m_rng;
}

const IkePolicyProvider&
IkeDaemon::Provider() const
{
    return *m_provider;
}

uint32_t
IkeDaemon::AllocateSpi(bool cpi)
{
    for (;;)
    {
        uint32_t v = m_idRng->Uint32();
        // RFC 2406: SPIs 1-255 are reserved by IANA; RFC 3173 3.3: CPIs 256-61439 are ours.
        v = cpi ? 256 + v % (61440 - 256) : (v < 256 ? v + 256 : v);
        if (m_spis.insert(v).second)
        {
            return v;
        }
    }
}

IsakmpIdPayload
IkeDaemon::Phase1Identity(Ipv4Address local) const
{
    // IOS identifies itself with protocol UDP, port 500 (RFC 2407 4.6.2 allows 0/0 or these).
    if (m_identityHostname)
    {
        return IsakmpIdPayload::Fqdn(m_hostname, 17, kIkePort);
    }
    return IsakmpIdPayload::Ipv4(local, 17, kIkePort);
}

IsakmpIdPayload
IkeDaemon::Phase1IdentityFor(Ipv4Address local, Ipv4Address peer) const
{
    auto it = m_peerIdentities.find(peer);
    return it != m_peerIdentities.end() ? it->second : Phase1Identity(local);
}

bool
IkeDaemon::NatTraversal() const
{
    return m_natTraversal;
}

bool
IkeDaemon::AnnouncesDpd() const
{
    return true; // IOS answers R-U-THERE whether or not it sends them itself
}

// ------------------------------------------------------------------------------ I/O

void
IkeDaemon::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ipv4Address local;
    uint16_t localPort = 0;
    for (const auto& [key, s] : m_sockets)
    {
        if (s == socket)
        {
            local = key.first;
            localPort = key.second;
        }
    }
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        const InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
        IkeBytes bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        if (localPort != kNatTPort)
        {
            ReceiveOn(bytes, src.GetIpv4(), src.GetPort(), local, localPort);
            continue;
        }
        // RFC 3948 2.2, 2.3: on port 4500 a single 0xFF is a NAT keepalive, four zero bytes
        // (the non-ESP marker) precede IKE, anything else is ESP.
        if (bytes.size() == 1 && bytes[0] == 0xff)
        {
            ++m_natKeepalivesReceived;
            continue;
        }
        if (bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
        {
            bytes.erase(bytes.begin(), bytes.begin() + 4);
            ReceiveOn(bytes, src.GetIpv4(), src.GetPort(), local, localPort);
            continue;
        }
        Ipv4PacketInfoTag info;
        int32_t ifIndex = -1;
        Ptr<Ipv4L3Protocol> ipv4 = m_processor->GetNode()->GetObject<Ipv4L3Protocol>();
        if (p->PeekPacketTag(info))
        {
            Ptr<NetDevice> dev = m_processor->GetNode()->GetDevice(info.GetRecvIf());
            ifIndex = dev ? ipv4->GetInterfaceForDevice(dev) : -1;
        }
        if (ifIndex < 0)
        {
            ifIndex = ipv4->GetInterfaceForAddress(local);
        }
        p->RemoveAllPacketTags(); // the byte tags (FlowMonitor's) stay with the ESP payload
        m_processor->ProcessInboundUdpEncapsulated(p, src.GetIpv4(), local,
                                                   static_cast<uint32_t>(ifIndex));
    }
}

void
IkeDaemon::Send(Ptr<IkeSa> sa, const IkeBytes& bytes)
{
    SendFrom(sa->local, sa->localPort, sa->peer, sa->peerPort, bytes);
}

void
IkeDaemon::SendFrom(Ipv4Address local, uint16_t localPort, Ipv4Address peer, uint16_t peerPort,
                    const IkeBytes& bytes)
{
    auto it = m_sockets.find({local, localPort});
    if (it == m_sockets.end())
    {
        NS_LOG_WARN("IKE: no socket on " << local << ":" << localPort);
        return;
    }
    Ptr<Packet> p;
    if (localPort == kNatTPort)
    {
        IkeBytes marked(4, 0); // the non-ESP marker
        marked.insert(marked.end(), bytes.begin(), bytes.end());
        p = Create<Packet>(marked.data(), marked.size());
    }
    else
    {
        p = Create<Packet>(bytes.data(), bytes.size());
    }
    it->second->SendTo(p, 0, InetSocketAddress(peer, peerPort));
}

void
IkeDaemon::Drop(IkeDropReason reason, Ipv4Address peer, uint8_t exchangeType)
{
    const IkeDropKey key{reason, exchangeType};
    ++m_dropped;
    ++m_dropCounts[key];
    NS_LOG_INFO("IKE: message from " << peer << " dropped: " << key.ToString());
}

std::map<std::string, uint64_t>
IkeDaemon::GetDropReasons() const
{
    std::map<std::string, uint64_t> out;
    for (const auto& [key, n] : m_dropCounts)
    {
        out[key.ToString()] += n;
    }
    return out;
}

void
IkeDaemon::Record(const IkeExchangeRecord& r)
{
    m_records.push_back(r);
    m_exchangeTrace(r);
}

void
IkeDaemon::RecordInformational(Ptr<IkeSa> sa, const std::string& role, const std::string& result,
                               const std::string& reason, uint32_t messageId, uint32_t messages)
{
    IkeExchangeRecord rec;
    rec.exchange = "informational";
    rec.role = role;
    rec.local = sa->local;
    rec.peer = sa->peer;
    rec.icookie = ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end()));
    rec.messageId = messageId;
    rec.connId = sa->connId;
    rec.start = rec.end = Simulator::Now();
    rec.result = result;
    rec.messages = messages;
    rec.reason = reason;
    Record(rec);
}

void
IkeDaemon::ClearIkev2Sas(std::optional<Ipv4Address> peer)
{
    NS_LOG_FUNCTION(this);
    if (m_ikev2)
    {
        m_ikev2->ClearSas(peer);
    }
}

std::vector<std::string>
IkeDaemon::GetIkev2DecryptionTable() const
{
    return m_ikev2 ? m_ikev2->GetDecryptionTable() : std::vector<std::string>{};
}

void
IkeDaemon::Receive(const IkeBytes& datagram, Ipv4Address peer, Ipv4Address local)
{
    NS_LOG_FUNCTION(this << datagram.size() << peer << local);
    ReceiveOn(datagram, peer, kIkePort, local, kIkePort);
}

void
IkeDaemon::ReceiveOn(const IkeBytes& datagram, Ipv4Address peer, uint16_t peerPort,
                     Ipv4Address local, uint16_t localPort)
{
    NS_LOG_FUNCTION(this << datagram.size() << peer << peerPort << local << localPort);
    // Byte 17 holds the major version in IKEv1 and IKEv2 alike: version 2 is Ikev2Daemon's.
    if (m_provider && m_ikev2 && datagram.size() >= IsakmpHeader::SIZE && (datagram[17] >> 4) == 2)
    {
        m_ikev2->Receive(datagram, peer, peerPort, local, localPort);
        return;
    }
    IsakmpHeader h;
    Ptr<IkeSa> sa;
    if (!m_provider || !AcceptHeader(datagram, peer, &h) || !FindSaOf(h, peer, &sa))
    {
        return;
    }
    if (sa)
    {
        sa->lastHeard = Simulator::Now();
        // RFC 3947 4: once the peer talks to 4500 we answer there, to the port it came from
        // (a NAT may have changed it).
        if (localPort == kNatTPort || sa->localPort != kNatTPort)
        {
            sa->localPort = localPort;
            sa->peerPort = peerPort;
        }
    }
    switch (h.GetExchangeType())
    {
    case ISAKMP_EXCH_AGGRESSIVE:
    case ISAKMP_EXCH_MAIN_MODE:
        ReceivePhase1(datagram, h, sa, peer, peerPort, local, localPort);
        return;
    case ISAKMP_EXCH_QUICK_MODE:
        ReceiveQuickMode(datagram, h, sa, peer);
        return;
    case ISAKMP_EXCH_INFORMATIONAL:
        ProcessInformational(sa, datagram, CookieKey(h.GetInitiatorCookie()));
        return;
    default:
        Drop(IkeDropReason::UNSUPPORTED_EXCHANGE_TYPE, peer, h.GetExchangeType());
        return;
    }
}

bool
IkeDaemon::AcceptHeader(const IkeBytes& datagram, Ipv4Address peer, IsakmpHeader* h)
{
    if (datagram.size() < IsakmpHeader::SIZE)
    {
        Drop(IkeDropReason::SHORTER_THAN_HEADER, peer);
        return false;
    }
    h->ReadFrom(datagram.data());
    if (h->GetMajorVersion() != 1)
    {
        Drop(IkeDropReason::NOT_VERSION_1, peer);
        return false;
    }
    if (h->GetLength() != datagram.size())
    {
        Drop(IkeDropReason::LENGTH_MISMATCH, peer);
        return false;
    }
    return true;
}

bool
IkeDaemon::FindSaOf(const IsakmpHeader& h, Ipv4Address peer, Ptr<IkeSa>* sa)
{
    const uint64_t rc = CookieKey(h.GetResponderCookie());
    auto it = m_sas.find(CookieKey(h.GetInitiatorCookie()));
    *sa = it == m_sas.end() ? nullptr : it->second;
    if (*sa && (*sa)->peer != peer)
    {
        Drop(IkeDropReason::COOKIE_OF_ANOTHER_PEER, peer);
        return false;
    }
    if (*sa && rc != 0 && CookieKey((*sa)->rcookie) != 0 && CookieKey((*sa)->rcookie) != rc)
    {
        Drop(IkeDropReason::RESPONDER_COOKIE_MISMATCH, peer);
        return false;
    }
    return true;
}

void
IkeDaemon::Continue(Active& a, const IkeBytes& datagram, Ptr<IkeSa> sa, bool phase1, uint64_t ic,
                    uint32_t mid, Ipv4Address peer)
{
    if (datagram == a.lastReceived)
    {
        AnswerAgain(a, sa, phase1, ic, mid);
        return;
    }
    if (a.done)
    {
        Drop(phase1 ? IkeDropReason::MAIN_MODE_AFTER_PHASE1
                    : IkeDropReason::QUICK_MODE_AFTER_COMPLETION,
             peer);
        return;
    }
    Drive(a, datagram, phase1, ic, mid);
}

void
IkeDaemon::ReceivePhase1(const IkeBytes& datagram, const IsakmpHeader& h, Ptr<IkeSa> sa,
                         Ipv4Address peer, uint16_t peerPort, Ipv4Address local, uint16_t localPort)
{
    const uint64_t ic = CookieKey(h.GetInitiatorCookie());
    auto it = m_phase1.find(ic);
    if (h.GetExchangeType() == ISAKMP_EXCH_AGGRESSIVE && !m_acceptAggressive &&
        it == m_phase1.end())
    {
        Drop(IkeDropReason::AGGRESSIVE_MODE_REFUSED, peer);
        return;
    }
    if (it != m_phase1.end())
    {
        // (a phase-1 exchange is found by its cookie alone: its message ID is 0)
        Continue(it->second, datagram, sa, true, ic, 0, peer);
        return;
    }
    if (sa || CookieKey(h.GetResponderCookie()) != 0 || h.GetMessageId() != 0 || h.IsEncrypted())
    {
        Drop(IkeDropReason::MAIN_MODE_NO_EXCHANGE, peer);
        return;
    }
    StartResponderPhase1(datagram, h, peer, peerPort, local, localPort);
}

void
IkeDaemon::StartResponderPhase1(const IkeBytes& datagram, const IsakmpHeader& h, Ipv4Address peer,
                                uint16_t peerPort, Ipv4Address local, uint16_t localPort)
{
    const uint64_t ic = CookieKey(h.GetInitiatorCookie());
    Ptr<IkeSa> nsa = Create<IkeSa>();
    nsa->connId = m_nextConnId++;
    AssignEngine(nsa, peer);
    nsa->initiator = false;
    nsa->local = local;
    nsa->peer = peer;
    nsa->localPort = localPort;
    nsa->peerPort = peerPort;
    nsa->icookie = h.GetInitiatorCookie();
    nsa->begun = Simulator::Now();
    IkeBytes rcb = m_idRng->Bytes(8);
    std::copy(rcb.begin(), rcb.end(), nsa->rcookie.begin());
    nsa->lastHeard = Simulator::Now();
    KeepSa(ic, nsa);
    Active& a = m_phase1[ic];
    if (h.GetExchangeType() == ISAKMP_EXCH_AGGRESSIVE)
    {
        a.task = std::make_unique<IkeAggressiveMode>(*this, nsa);
    }
    else
    {
        a.task = std::make_unique<IkeMainMode>(*this, nsa);
    }
    a.task->record.start = Simulator::Now();
    Drive(a, datagram, true, ic, 0);
}

void
IkeDaemon::ReceiveQuickMode(const IkeBytes& datagram, const IsakmpHeader& h, Ptr<IkeSa> sa,
                            Ipv4Address peer)
{
    if (!sa || !sa->IsEstablished())
    {
        Drop(IkeDropReason::QUICK_MODE_WITHOUT_SA, peer);
        return;
    }
    const uint64_t ic = CookieKey(h.GetInitiatorCookie());
    const uint32_t mid = h.GetMessageId();
    auto it = m_phase2.find({ic, mid});
    if (it != m_phase2.end())
    {
        Continue(it->second, datagram, sa, false, ic, mid, peer);
        return;
    }
    if (mid == 0)
    {
        Drop(IkeDropReason::QUICK_MODE_MESSAGE_ID_ZERO, peer);
        return;
    }
    HeardFrom(peer); // a quick mode the peer starts: a negotiation request for a flow
    Active& a = m_phase2[{ic, mid}];
    a.task = std::make_unique<IkeQuickMode>(*this, sa, mid);
    a.task->record.start = Simulator::Now();
    Drive(a, datagram, false, ic, mid);
}

// ------------------------------------------------------------------------------ reports

std::vector<Ptr<IkeSa>>
IkeDaemon::GetSas() const
{
    std::vector<Ptr<IkeSa>> out;
    for (const auto& [k, sa] : m_sas)
    {
        out.push_back(sa);
    }
    std::sort(out.begin(), out.end(),
              [](const Ptr<IkeSa>& a, const Ptr<IkeSa>& b) { return a->connId < b->connId; });
    return out;
}

void
IkeDaemon::SetFirstConnId(uint32_t first)
{
    NS_LOG_FUNCTION(this << first);
    if (m_sas.empty() && m_deleted.empty())
    {
        m_nextConnId = first;
    }
}

std::vector<Ptr<IkeSa>>
IkeDaemon::GetDeletedSas(Time linger) const
{
    std::vector<Ptr<IkeSa>> out;
    for (const auto& sa : m_deleted)
    {
        if (Simulator::Now() - sa->deleted <= linger)
        {
            out.push_back(sa);
        }
    }
    return out;
}

void
IkeDaemon::RememberDeleted(Ptr<IkeSa> sa)
{
    // An SA the shows may still list; those gone for a minute are forgotten (no show lists
    // them longer).
    sa->deleted = Simulator::Now();
    m_deleted.erase(std::remove_if(m_deleted.begin(), m_deleted.end(),
                                   [](const Ptr<IkeSa>& d)
                                   { return Simulator::Now() - d->deleted > Minutes(1); }),
                    m_deleted.end());
    m_deleted.push_back(sa);
}

std::vector<IkeExchangeRecord>
IkeDaemon::GetExchanges() const
{
    std::vector<IkeExchangeRecord> out = m_records;
    for (const auto& [k, a] : m_phase1)
    {
        if (!a.done)
        {
            out.push_back(a.task->record);
        }
    }
    for (const auto& [k, a] : m_phase2)
    {
        if (!a.done)
        {
            out.push_back(a.task->record);
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.start < b.start; });
    return out;
}

} // namespace ns3
