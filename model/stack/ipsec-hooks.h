// Where IPsec attaches to ns-3's IPv4 stack:
//  - IpsecTrafficControl: set on an Ipv4Interface in place of the node's TrafficControlLayer,
//    it sees every outbound IPv4 packet of that interface (forwarded or local) and hands the
//    ones IPsec does not consume to the node's real traffic-control layer.
//  - IpsecL4Protocol: receives ESP (50), AH (51) and IPComp (108) addressed to the node, after
//    reassembly.
//  - IpsecListRouting: an Ipv4ListRouting that runs the inbound policy check on every packet
//    before routing it (local delivery included), so ns-3's static and global routing helpers
//    work as usual. Installed by IpsecStackHelper.
#ifndef IPSEC_HOOKS_H
#define IPSEC_HOOKS_H

#include "ns3/ip-l4-protocol.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/traffic-control-layer.h"

#include <list>
#include <utility>

namespace ns3
{

class IpsecProcessor;
class IpsecEngineSet;
class IpsecStaticNat;

class IpsecTrafficControl : public TrafficControlLayer
{
public:
    static TypeId GetTypeId();
    void Setup(Ptr<IpsecProcessor> processor, uint32_t ifIndex, Ptr<TrafficControlLayer> inner);
    void Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item) override;

protected:
    void DoDispose() override;

private:
    Ptr<IpsecProcessor> m_processor;
    uint32_t m_ifIndex = 0;
    Ptr<TrafficControlLayer> m_inner;
};

class IpsecL4Protocol : public IpL4Protocol
{
public:
    static TypeId GetTypeId();
    IpsecL4Protocol();
    void SetProcessor(Ptr<IpsecProcessor> processor)
    {
        m_processor = processor;
    }
    void SetProtocolNumber(uint8_t protocol)
    {
        m_protocol = protocol;
    }

    int GetProtocolNumber() const override
    {
        return m_protocol;
    }
    RxStatus Receive(Ptr<Packet> p, const Ipv4Header& header,
                     Ptr<Ipv4Interface> incomingInterface) override;
    RxStatus Receive(Ptr<Packet> p, const Ipv6Header& header,
                     Ptr<Ipv6Interface> incomingInterface) override;
    void SetDownTarget(DownTargetCallback cb) override
    {
        m_down = cb;
    }
    void SetDownTarget6(DownTargetCallback6 cb) override
    {
        m_down6 = cb;
    }
    DownTargetCallback GetDownTarget() const override
    {
        return m_down;
    }
    DownTargetCallback6 GetDownTarget6() const override
    {
        return m_down6;
    }

protected:
    void DoDispose() override;

private:
    Ptr<IpsecProcessor> m_processor;
    uint8_t m_protocol = 50;
    DownTargetCallback m_down;
    DownTargetCallback6 m_down6;
};

class IpsecListRouting : public Ipv4ListRouting
{
public:
    static TypeId GetTypeId();
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb, MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb, ErrorCallback ecb) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;

protected:
    void DoDispose() override;

private:
    /** Look the node's IPsec objects up again if anything of theirs was aggregated since. */
    void RefreshAggregates();

    Ptr<Ipv4> m_ipsecIpv4;
    // The node's IPsec objects, looked up once instead of per packet: each GetObject walks the
    // node's aggregate comparing type ids (measured: the three lookups were about a fifth of
    // what the IPsec model added per packet in bench/ipsec-cost). Objects are never removed
    // from an aggregate, so only an aggregation (counted by each class) can change them.
    uint64_t m_aggregations = UINT64_MAX; //!< the counts when they were looked up
    Ptr<IpsecProcessor> m_processor;
    Ptr<IpsecEngineSet> m_engines;
    Ptr<IpsecStaticNat> m_nat;
};

/** Creates IpsecListRouting holding the routing protocols added to it (like the list helper). */
class IpsecListRoutingHelper : public Ipv4RoutingHelper
{
public:
    IpsecListRoutingHelper() = default;
    IpsecListRoutingHelper(const IpsecListRoutingHelper& o);
    IpsecListRoutingHelper& operator=(const IpsecListRoutingHelper&) = delete;
    ~IpsecListRoutingHelper() override;
    IpsecListRoutingHelper* Copy() const override;
    void Add(const Ipv4RoutingHelper& routing, int16_t priority);
    Ptr<Ipv4RoutingProtocol> Create(Ptr<Node> node) const override;

private:
    std::list<std::pair<const Ipv4RoutingHelper*, int16_t>> m_list;
};

} // namespace ns3

#endif
