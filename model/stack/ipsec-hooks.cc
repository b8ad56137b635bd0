#include "ns3/ipsec-hooks.h"

#include "ns3/crypto-engine.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-static-nat.h"

#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/log.h"
#include "ns3/node.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecHooks");
NS_OBJECT_ENSURE_REGISTERED(IpsecTrafficControl);
NS_OBJECT_ENSURE_REGISTERED(IpsecL4Protocol);
NS_OBJECT_ENSURE_REGISTERED(IpsecListRouting);

// --------------------------------------------------------------------- IpsecTrafficControl

TypeId
IpsecTrafficControl::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecTrafficControl")
                            .SetParent<TrafficControlLayer>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecTrafficControl>();
    return tid;
}

void
IpsecTrafficControl::Setup(Ptr<IpsecProcessor> processor, uint32_t ifIndex,
                           Ptr<TrafficControlLayer> inner)
{
    NS_LOG_FUNCTION(this << processor << ifIndex << inner);
    m_processor = processor;
    m_ifIndex = ifIndex;
    m_inner = inner;
}

void
IpsecTrafficControl::Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item)
{
    // (No NS_LOG_FUNCTION: every packet the interface sends; IpsecProcessor::ProcessOutbound
    // logs it, and so does the traffic-control layer it goes on to.)
    Ptr<Ipv4QueueDiscItem> ip = DynamicCast<Ipv4QueueDiscItem>(item);
    if (ip && m_processor &&
        m_processor->ProcessOutbound(m_ifIndex, ip->GetPacket(), ip->GetHeader()))
    {
        return;
    }
    m_inner->Send(device, item);
}

void
IpsecTrafficControl::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_processor = nullptr;
    m_inner = nullptr;
    TrafficControlLayer::DoDispose();
}

// ------------------------------------------------------------------------- IpsecL4Protocol

TypeId
IpsecL4Protocol::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecL4Protocol")
                            .SetParent<IpL4Protocol>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecL4Protocol>();
    return tid;
}

IpsecL4Protocol::IpsecL4Protocol() = default;

IpL4Protocol::RxStatus
IpsecL4Protocol::Receive(Ptr<Packet> p, const Ipv4Header& header,
                         Ptr<Ipv4Interface> incomingInterface)
{
    // (No NS_LOG_FUNCTION: every IPsec packet; IpsecProcessor::ProcessInbound logs it.)
    if (m_processor)
    {
        m_processor->ProcessInbound(p, header, incomingInterface);
    }
    return RX_OK;
}

IpL4Protocol::RxStatus
IpsecL4Protocol::Receive(Ptr<Packet>, const Ipv6Header&, Ptr<Ipv6Interface>)
{
    NS_LOG_FUNCTION(this);
    return RX_ENDPOINT_UNREACH;
}

void
IpsecL4Protocol::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_processor = nullptr;
    m_down =
        MakeNullCallback<void, Ptr<Packet>, Ipv4Address, Ipv4Address, uint8_t, Ptr<Ipv4Route>>();
    IpL4Protocol::DoDispose();
}

// ------------------------------------------------------------------------ IpsecListRouting

TypeId
IpsecListRouting::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecListRouting")
                            .SetParent<Ipv4ListRouting>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecListRouting>();
    return tid;
}

void
IpsecListRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    NS_LOG_FUNCTION(this << ipv4);
    m_ipsecIpv4 = ipv4;
    m_aggregations = UINT64_MAX; // another node's objects: look them up again
    Ipv4ListRouting::SetIpv4(ipv4);
}

void
IpsecListRouting::RefreshAggregates()
{
    const uint64_t now = IpsecProcessor::GetAggregations() + IpsecEngineSet::GetAggregations() +
                         IpsecStaticNat::GetAggregations();
    if (now == m_aggregations)
    {
        return;
    }
    m_aggregations = now;
    m_processor = m_ipsecIpv4->GetObject<IpsecProcessor>();
    m_engines = m_ipsecIpv4->GetObject<IpsecEngineSet>();
    m_nat = m_ipsecIpv4->GetObject<IpsecStaticNat>();
}

bool
IpsecListRouting::RouteInput(Ptr<const Packet> p, const Ipv4Header& header,
                             Ptr<const NetDevice> idev, UnicastForwardCallback ucb,
                             MulticastForwardCallback mcb, LocalDeliverCallback lcb,
                             ErrorCallback ecb)
{
    // (No NS_LOG_FUNCTION: this runs for every packet every node receives, and the routing
    // protocols it hands the packet to log their own.)
    if (!m_ipsecIpv4)
    {
        return Ipv4ListRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }
    RefreshAggregates();
    const int32_t iif = m_ipsecIpv4->GetInterfaceForDevice(idev);
    if (m_processor && iif >= 0 &&
        !m_processor->CheckInbound(p, header, static_cast<uint32_t>(iif)))
    {
        return true; // consumed: dropped by the inbound policy, counted and traced
    }
    // A unicast packet for this node (the ESP packet at the tunnel's end, the inner packet at a
    // host) goes to local delivery at once, as Ipv4ListRouting::RouteInput would send it first
    // thing: same check, same callback, same arguments. What this skips is only the list's
    // virtual call and, with a platform, the forwarding wrapper below, a heap-allocated callback
    // that a delivered packet never calls. Not with static NAT, which may rewrite the
    // destination before routing.
    if (!m_nat && iif >= 0 && !header.GetDestination().IsMulticast() &&
        m_ipsecIpv4->IsDestinationAddress(header.GetDestination(), static_cast<uint32_t>(iif)))
    {
        lcb(p, header, static_cast<uint32_t>(iif));
        return true;
    }
    // Switching costs CPU time when the node has a platform: a transit packet is handed on
    // when the CPU has switched it (on the path of its output interface); when the CPU's queue
    // is full it is dropped, as an input queue drop.
    if (m_engines)
    {
        Ptr<IpsecEngineSet> engines = m_engines;
        Ptr<Ipv4> ipv4 = m_ipsecIpv4;
        UnicastForwardCallback inner = ucb;
        ucb = MakeLambdaCallback<UnicastForwardCallback>(
            [engines, ipv4, inner](Ptr<Ipv4Route> route, Ptr<const Packet> q, const Ipv4Header& h)
            {
                const int32_t oif = ipv4->GetInterfaceForDevice(route->GetOutputDevice());
                const uint32_t bytes = q->GetSize() + h.GetSerializedSize();
                Ptr<const Packet> copy = q;
                engines->Forward(oif < 0 ? 0 : static_cast<uint32_t>(oif), bytes,
                                 MakeLambdaCallback<Callback<void>>([inner, route, copy, h]()
                                                                    { inner(route, copy, h); }));
            });
    }
    // Static NAT (IOS: after IPsec inbound, before IPsec outbound).
    if (m_nat && iif >= 0)
    {
        auto route = [&](Ptr<const Packet> q, const Ipv4Header& h, UnicastForwardCallback u)
        { return Ipv4ListRouting::RouteInput(q, h, idev, u, mcb, lcb, ecb); };
        bool routed = false;
        if (m_nat->RouteInput(p, header, static_cast<uint32_t>(iif), m_ipsecIpv4, route, ucb,
                              &routed))
        {
            return routed;
        }
    }
    return Ipv4ListRouting::RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

void
IpsecListRouting::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_ipsecIpv4 = nullptr;
    m_processor = nullptr;
    m_engines = nullptr;
    m_nat = nullptr;
    m_aggregations = UINT64_MAX;
    Ipv4ListRouting::DoDispose();
}

IpsecListRoutingHelper::IpsecListRoutingHelper(const IpsecListRoutingHelper& o)
{
    NS_LOG_FUNCTION(this);
    for (const auto& [helper, prio] : o.m_list)
    {
        m_list.emplace_back(helper->Copy(), prio);
    }
}

IpsecListRoutingHelper::~IpsecListRoutingHelper()
{
    NS_LOG_FUNCTION(this);
    for (auto& [helper, prio] : m_list)
    {
        delete helper;
    }
}

IpsecListRoutingHelper*
IpsecListRoutingHelper::Copy() const
{
    return new IpsecListRoutingHelper(*this);
}

void
IpsecListRoutingHelper::Add(const Ipv4RoutingHelper& routing, int16_t priority)
{
    NS_LOG_FUNCTION(this << priority);
    m_list.emplace_back(routing.Copy(), priority);
}

Ptr<Ipv4RoutingProtocol>
IpsecListRoutingHelper::Create(Ptr<Node> node) const
{
    Ptr<IpsecListRouting> list = CreateObject<IpsecListRouting>();
    for (const auto& [helper, prio] : m_list)
    {
        list->AddRoutingProtocol(helper->Create(node), prio);
    }
    return list;
}

} // namespace ns3
