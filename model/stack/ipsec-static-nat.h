/**
 * @file
 * One-to-one static NAT as IOS does it with `ip nat inside source static LOCAL GLOBAL` and `ip nat
 * inside` / `ip nat outside` interfaces: the source of inside packets leaving by an outside
 * interface becomes GLOBAL, the destination GLOBAL of packets arriving on an outside interface
 * becomes LOCAL. Done in the node's routing step (IpsecListRouting::RouteInput), so on a router
 * that also runs crypto maps the translation comes before IPsec outbound and after it inbound,
 * as IOS orders them. UDP and TCP checksums follow the new addresses.
 */
#ifndef IPSEC_STATIC_NAT_H
#define IPSEC_STATIC_NAT_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <functional>
#include <map>
#include <set>

namespace ns3
{

class IpsecStaticNat : public Object
{
public:
    static TypeId GetTypeId();

    void SetInside(uint32_t ifIndex);
    void SetOutside(uint32_t ifIndex);
    bool IsInside(uint32_t ifIndex) const
    {
        return m_inside.count(ifIndex) > 0;
    }
    bool IsOutside(uint32_t ifIndex) const
    {
        return m_outside.count(ifIndex) > 0;
    }

    /** A static translation; @p local and @p global are each used once. */
    void AddStatic(Ipv4Address local, Ipv4Address global);

    /** The inside local address of @p global, if it is translated. */
    bool ToLocal(Ipv4Address global, Ipv4Address* local) const;
    /** The inside global address of @p local, if it is translated. */
    bool ToGlobal(Ipv4Address local, Ipv4Address* global) const;

    /**
     * Routes @p p through @p route: the packet arrived on interface @p iif, is forwarded by
     * @p routeInput (the node's own routing, which receives the possibly translated header) and
     * leaves through @p ucb with its source translated when it goes out by an outside
     * interface. Returns false when NAT has nothing to do with the packet (then it is routed
     * as usual by the caller); else @p routed tells whether routing took the packet.
     */
    bool RouteInput(Ptr<const Packet> p, const Ipv4Header& header, uint32_t iif, Ptr<Ipv4> ipv4,
                    const std::function<bool(Ptr<const Packet>, const Ipv4Header&,
                                             Ipv4RoutingProtocol::UnicastForwardCallback)>& route,
                    Ipv4RoutingProtocol::UnicastForwardCallback ucb, bool* routed);

    /** Packets translated inside to outside and outside to inside. */
    uint64_t GetTranslatedOut() const
    {
        return m_out;
    }
    uint64_t GetTranslatedIn() const
    {
        return m_in;
    }

    /** A copy of @p p with its UDP or TCP checksum recomputed for @p h (checksums on). */
    static Ptr<Packet> FixChecksum(Ptr<const Packet> p, const Ipv4Header& h);

    /** How many times a NAT has been aggregated to an object, in this process (see
     *  IpsecEngineSet::GetAggregations). */
    static uint64_t GetAggregations();

protected:
    void NotifyNewAggregate() override;

private:
    std::set<uint32_t> m_inside;
    std::set<uint32_t> m_outside;
    std::map<uint32_t, Ipv4Address> m_toGlobal; //!< local -> global
    std::map<uint32_t, Ipv4Address> m_toLocal;  //!< global -> local
    uint64_t m_out = 0;
    uint64_t m_in = 0;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&, const Ipv4Header&> m_translateTrace;
};

} // namespace ns3

#endif
