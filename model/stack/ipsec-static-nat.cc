#include "ns3/ipsec-static-nat.h"

#include "ns3/ipsec-ns3-compat.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/tcp-header.h"
#include "ns3/udp-header.h"

#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecStaticNat");
NS_OBJECT_ENSURE_REGISTERED(IpsecStaticNat);

namespace
{
constexpr uint8_t kNatUdp = 17;
constexpr uint8_t kNatTcp = 6;
} // namespace

TypeId
IpsecStaticNat::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecStaticNat")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecStaticNat>()
            .AddTraceSource("Translate",
                            "A packet was translated (payload, header before, header after)",
                            MakeTraceSourceAccessor(&IpsecStaticNat::m_translateTrace),
                            "ns3::IpsecStaticNat::TranslateTracedCallback");
    return tid;
}

namespace
{
uint64_t g_natAggregations = 0;
}

uint64_t
IpsecStaticNat::GetAggregations()
{
    return g_natAggregations;
}

void
IpsecStaticNat::NotifyNewAggregate()
{
    ++g_natAggregations; // called on every object of an aggregate that grew, this one included
    Object::NotifyNewAggregate();
}

void
IpsecStaticNat::SetInside(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    m_inside.insert(ifIndex);
}

void
IpsecStaticNat::SetOutside(uint32_t ifIndex)
{
    NS_LOG_FUNCTION(this << ifIndex);
    m_outside.insert(ifIndex);
}

void
IpsecStaticNat::AddStatic(Ipv4Address local, Ipv4Address global)
{
    NS_LOG_FUNCTION(this << local << global);
    auto l = m_toGlobal.find(local.Get());
    auto g = m_toLocal.find(global.Get());
    if ((l != m_toGlobal.end() && l->second != global) ||
        (g != m_toLocal.end() && g->second != local))
    {
        std::ostringstream os;
        os << "static NAT " << local << " -> " << global << " conflicts with an existing entry";
        throw std::invalid_argument(os.str());
    }
    m_toGlobal[local.Get()] = global;
    m_toLocal[global.Get()] = local;
}

bool
IpsecStaticNat::ToLocal(Ipv4Address global, Ipv4Address* local) const
{
    auto it = m_toLocal.find(global.Get());
    if (it == m_toLocal.end())
    {
        return false;
    }
    *local = it->second;
    return true;
}

bool
IpsecStaticNat::ToGlobal(Ipv4Address local, Ipv4Address* global) const
{
    auto it = m_toGlobal.find(local.Get());
    if (it == m_toGlobal.end())
    {
        return false;
    }
    *global = it->second;
    return true;
}

Ptr<Packet>
IpsecStaticNat::FixChecksum(Ptr<const Packet> p, const Ipv4Header& h)
{
    NS_LOG_FUNCTION(p);
    Ptr<Packet> q = p->Copy();
    // Only the first fragment carries the transport header; RFC 3022 4.1: later fragments need
    // no change.
    if (!Node::ChecksumEnabled() || h.GetFragmentOffset() != 0)
    {
        return q;
    }
    if (h.GetProtocol() == kNatUdp && q->GetSize() >= 8)
    {
        UdpHeader old;
        q->RemoveHeader(old);
        // A fresh header: ns-3's UdpHeader writes back a checksum it has read instead of
        // computing a new one. A zero checksum (none, RFC 768) stays zero.
        UdpHeader u;
        u.SetSourcePort(old.GetSourcePort());
        u.SetDestinationPort(old.GetDestinationPort());
        if (old.GetChecksum() != 0)
        {
            u.EnableChecksums();
            u.InitializeChecksum(h.GetSource(), h.GetDestination(), kNatUdp);
        }
        q->AddHeader(u);
    }
    else if (h.GetProtocol() == kNatTcp && q->GetSize() >= 20)
    {
        TcpHeader t;
        q->RemoveHeader(t);
        t.EnableChecksums();
        t.InitializeChecksum(h.GetSource(), h.GetDestination(), kNatTcp);
        q->AddHeader(t);
    }
    return q;
}

bool
IpsecStaticNat::RouteInput(
    Ptr<const Packet> p, const Ipv4Header& header, uint32_t iif, Ptr<Ipv4> ipv4,
    const std::function<bool(Ptr<const Packet>, const Ipv4Header&,
                             Ipv4RoutingProtocol::UnicastForwardCallback)>& route,
    Ipv4RoutingProtocol::UnicastForwardCallback ucb, bool* routed)
{
    NS_LOG_FUNCTION(this << p << iif << ipv4);
    Ipv4Header h = header;
    Ptr<const Packet> pkt = p;
    bool changed = false;
    Ipv4Address local;
    // Outside to inside: the destination first, so that routing finds the inside host.
    if (IsOutside(iif) && ToLocal(header.GetDestination(), &local))
    {
        h.SetDestination(local);
        changed = true;
        ++m_in;
    }
    Ipv4Address global;
    const bool maybeOut = IsInside(iif) && ToGlobal(header.GetSource(), &global);
    if (!changed && !maybeOut)
    {
        return false;
    }
    // Inside to outside: the source, when the route leaves by an outside interface.
    auto forward = [this, ipv4, ucb, maybeOut, global, changed,
                    header](Ptr<Ipv4Route> rt, Ptr<const Packet> q, const Ipv4Header& hh)
    {
        Ipv4Header out = hh;
        bool translated = changed;
        if (maybeOut && rt && rt->GetOutputDevice() &&
            IsOutside(ipv4->GetInterfaceForDevice(rt->GetOutputDevice())))
        {
            out.SetSource(global);
            translated = true;
            ++m_out;
        }
        if (!translated)
        {
            ucb(rt, q, hh);
            return;
        }
        m_translateTrace(q, header, out);
        ucb(rt, FixChecksum(q, out), out);
    };
    *routed =
        route(pkt, h, MakeLambdaCallback<Ipv4RoutingProtocol::UnicastForwardCallback>(forward));
    return true;
}

} // namespace ns3
