#include "ns3/ipsec-traffic-selector.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"

namespace ns3
{

IpsecFlow
IpsecFlow::Reversed() const
{
    IpsecFlow r = *this;
    std::swap(r.src, r.dst);
    std::swap(r.srcPort, r.dstPort);
    return r;
}

IpsecFlow
FlowOf(const Ipv4Header& header, const Packet& payload)
{
    IpsecFlow f;
    f.src = header.GetSource();
    f.dst = header.GetDestination();
    f.protocol = header.GetProtocol();
    // TCP (6) and UDP (17) carry the ports in their first four bytes; only the first fragment
    // has them (RFC 2401 4.4.2: later fragments cannot be matched on ports).
    if ((f.protocol == 6 || f.protocol == 17) && header.GetFragmentOffset() == 0 &&
        payload.GetSize() >= 4)
    {
        uint8_t b[4];
        payload.CopyData(b, 4);
        f.srcPort = static_cast<uint16_t>((b[0] << 8) | b[1]);
        f.dstPort = static_cast<uint16_t>((b[2] << 8) | b[3]);
        f.hasPorts = true;
    }
    return f;
}

bool
IpsecPortMatch::Matches(uint16_t port) const
{
    switch (op)
    {
    case Op::ANY:
        return true;
    case Op::EQ:
        return port == lo;
    case Op::LT:
        return port < lo;
    case Op::GT:
        return port > lo;
    case Op::NEQ:
        return port != lo;
    case Op::RANGE:
        return port >= lo && port <= hi;
    }
    return false;
}

namespace
{
/** Inclusive [min,max] span of a port condition that is an interval; NEQ is not one. */
bool
Interval(const IpsecPortMatch& m, uint32_t& a, uint32_t& b)
{
    switch (m.op)
    {
    case IpsecPortMatch::Op::ANY:
        a = 0;
        b = 65535;
        return true;
    case IpsecPortMatch::Op::EQ:
        a = b = m.lo;
        return true;
    case IpsecPortMatch::Op::LT:
        if (m.lo == 0)
        {
            return false;
        }
        a = 0;
        b = m.lo - 1u;
        return true;
    case IpsecPortMatch::Op::GT:
        if (m.lo == 65535)
        {
            return false;
        }
        a = m.lo + 1u;
        b = 65535;
        return true;
    case IpsecPortMatch::Op::RANGE:
        a = m.lo;
        b = m.hi;
        return true;
    case IpsecPortMatch::Op::NEQ:
        return false;
    }
    return false;
}
} // namespace

bool
IpsecPortMatch::Within(const IpsecPortMatch& outer) const
{
    if (outer.op == Op::ANY)
    {
        return true;
    }
    if (op == Op::NEQ)
    {
        return outer.op == Op::NEQ && outer.lo == lo;
    }
    uint32_t a;
    uint32_t b;
    if (!Interval(*this, a, b))
    {
        return true; // matches nothing
    }
    if (outer.op == Op::NEQ)
    {
        return outer.lo < a || outer.lo > b;
    }
    uint32_t oa;
    uint32_t ob;
    if (!Interval(outer, oa, ob))
    {
        return false;
    }
    return a >= oa && b <= ob;
}

namespace
{
bool
AddrMatch(Ipv4Address pattern, uint32_t wildcard, Ipv4Address a)
{
    return ((pattern.Get() ^ a.Get()) & ~wildcard) == 0;
}

/** Every address matched by (a, wa) is matched by (b, wb). */
bool
AddrWithin(Ipv4Address a, uint32_t wa, Ipv4Address b, uint32_t wb)
{
    // Bits the outer pattern cares about must be fixed in the inner one and equal.
    uint32_t care = ~wb;
    return (wa & care) == 0 && ((a.Get() ^ b.Get()) & care) == 0;
}
} // namespace

bool
IpsecTrafficSelector::Matches(const IpsecFlow& flow) const
{
    if (!AddrMatch(srcAddr, srcWildcard, flow.src) || !AddrMatch(dstAddr, dstWildcard, flow.dst))
    {
        return false;
    }
    if (protocol != 0 && protocol != flow.protocol)
    {
        return false;
    }
    if (srcPort.IsAny() && dstPort.IsAny())
    {
        return true;
    }
    // A port condition can only be met by a packet whose ports are known.
    return flow.hasPorts && srcPort.Matches(flow.srcPort) && dstPort.Matches(flow.dstPort);
}

IpsecTrafficSelector
IpsecTrafficSelector::Mirror() const
{
    IpsecTrafficSelector m = *this;
    std::swap(m.srcAddr, m.dstAddr);
    std::swap(m.srcWildcard, m.dstWildcard);
    std::swap(m.srcPort, m.dstPort);
    return m;
}

bool
IpsecTrafficSelector::Within(const IpsecTrafficSelector& outer) const
{
    return AddrWithin(srcAddr, srcWildcard, outer.srcAddr, outer.srcWildcard) &&
           AddrWithin(dstAddr, dstWildcard, outer.dstAddr, outer.dstWildcard) &&
           (outer.protocol == 0 || outer.protocol == protocol) && srcPort.Within(outer.srcPort) &&
           dstPort.Within(outer.dstPort);
}

IpsecTrafficSelector
IpsecTrafficSelector::Any()
{
    return IpsecTrafficSelector{};
}

IpsecTrafficSelector
IpsecTrafficSelector::Subnets(Ipv4Address src, Ipv4Mask srcMask, Ipv4Address dst, Ipv4Mask dstMask,
                              uint8_t protocol)
{
    IpsecTrafficSelector s;
    s.srcAddr = src.CombineMask(srcMask);
    s.srcWildcard = ~srcMask.Get();
    s.dstAddr = dst.CombineMask(dstMask);
    s.dstWildcard = ~dstMask.Get();
    s.protocol = protocol;
    return s;
}

IpsecTrafficSelector
IpsecTrafficSelector::Hosts(Ipv4Address src, Ipv4Address dst, uint8_t protocol)
{
    return Subnets(src, Ipv4Mask::GetOnes(), dst, Ipv4Mask::GetOnes(), protocol);
}

namespace
{
void
PrintAddr(std::ostream& os, Ipv4Address a, uint32_t w)
{
    if (w == 0xffffffff)
    {
        os << "any";
    }
    else if (w == 0)
    {
        os << "host " << a;
    }
    else
    {
        os << a << " " << Ipv4Address(w);
    }
}

void
PrintPort(std::ostream& os, const IpsecPortMatch& p)
{
    switch (p.op)
    {
    case IpsecPortMatch::Op::ANY:
        return;
    case IpsecPortMatch::Op::EQ:
        os << " eq " << p.lo;
        return;
    case IpsecPortMatch::Op::LT:
        os << " lt " << p.lo;
        return;
    case IpsecPortMatch::Op::GT:
        os << " gt " << p.lo;
        return;
    case IpsecPortMatch::Op::NEQ:
        os << " neq " << p.lo;
        return;
    case IpsecPortMatch::Op::RANGE:
        os << " range " << p.lo << " " << p.hi;
        return;
    }
}
} // namespace

std::ostream&
operator<<(std::ostream& os, const IpsecTrafficSelector& s)
{
    if (s.protocol == 0)
    {
        os << "ip ";
    }
    else
    {
        os << unsigned(s.protocol) << " ";
    }
    PrintAddr(os, s.srcAddr, s.srcWildcard);
    PrintPort(os, s.srcPort);
    os << " ";
    PrintAddr(os, s.dstAddr, s.dstWildcard);
    PrintPort(os, s.dstPort);
    return os;
}

} // namespace ns3
