// Ikev2Daemon: traffic selector narrowing (RFC 7296 2.9). A responder whose access list is
// narrower than the initiator's TSi/TSr answers with the part of them its IKEv2 entries permit;
// the initiator installs what came back when it lies within what it proposed.
#include "ns3/ikev2-daemon.h"

#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"

#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"

#include <optional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonTs");

namespace
{

/** The wildcard of a prefix: its host bits; nullopt when the wildcard is not contiguous. */
bool
IsPrefixWildcard(uint32_t wildcard)
{
    return (wildcard & (wildcard + 1)) == 0;
}

/** The common part of two prefixes (address, wildcard): the longer one when it lies in the
 *  shorter, else none. */
std::optional<std::pair<Ipv4Address, uint32_t>>
IntersectPrefix(Ipv4Address a, uint32_t wa, Ipv4Address b, uint32_t wb)
{
    if (!IsPrefixWildcard(wa) || !IsPrefixWildcard(wb))
    {
        return std::nullopt; // a non-contiguous IOS wildcard has no single IKEv2 range
    }
    const uint32_t na = a.Get() & ~wa;
    const uint32_t nb = b.Get() & ~wb;
    const uint32_t wider = wa | wb;
    if ((na & ~wider) != (nb & ~wider))
    {
        return std::nullopt;
    }
    return wa <= wb ? std::make_pair(Ipv4Address(na), wa) : std::make_pair(Ipv4Address(nb), wb);
}

/** A port condition as one closed range; false for NEQ (two ranges) or an empty one. */
bool
PortRange(const IpsecPortMatch& m, uint32_t& lo, uint32_t& hi)
{
    using Op = IpsecPortMatch::Op;
    switch (m.op)
    {
    case Op::ANY:
        lo = 0, hi = 0xffff;
        return true;
    case Op::EQ:
        lo = hi = m.lo;
        return true;
    case Op::RANGE:
        lo = m.lo, hi = m.hi;
        return lo <= hi;
    case Op::LT:
        lo = 0, hi = uint32_t(m.lo) - 1;
        return m.lo > 0;
    case Op::GT:
        lo = uint32_t(m.lo) + 1, hi = 0xffff;
        return m.lo < 0xffff;
    case Op::NEQ:
        return false;
    }
    return false;
}

std::optional<IpsecPortMatch>
IntersectPorts(const IpsecPortMatch& a, const IpsecPortMatch& b)
{
    uint32_t alo, ahi, blo, bhi;
    if (!PortRange(a, alo, ahi) || !PortRange(b, blo, bhi))
    {
        return std::nullopt;
    }
    const uint32_t lo = std::max(alo, blo);
    const uint32_t hi = std::min(ahi, bhi);
    if (lo > hi)
    {
        return std::nullopt;
    }
    if (lo == 0 && hi == 0xffff)
    {
        return IpsecPortMatch{};
    }
    return lo == hi ? IpsecPortMatch::Eq(uint16_t(lo))
                    : IpsecPortMatch::Range(uint16_t(lo), uint16_t(hi));
}

} // namespace

std::optional<IpsecTrafficSelector>
Ikev2Daemon::IntersectSelectors(const IpsecTrafficSelector& a, const IpsecTrafficSelector& b)
{
    if (a.protocol && b.protocol && a.protocol != b.protocol)
    {
        return std::nullopt;
    }
    const auto src = IntersectPrefix(a.srcAddr, a.srcWildcard, b.srcAddr, b.srcWildcard);
    const auto dst = IntersectPrefix(a.dstAddr, a.dstWildcard, b.dstAddr, b.dstWildcard);
    const auto sp = IntersectPorts(a.srcPort, b.srcPort);
    const auto dp = IntersectPorts(a.dstPort, b.dstPort);
    if (!src || !dst || !sp || !dp)
    {
        return std::nullopt;
    }
    IpsecTrafficSelector s;
    s.srcAddr = src->first;
    s.srcWildcard = src->second;
    s.dstAddr = dst->first;
    s.dstWildcard = dst->second;
    s.protocol = a.protocol ? a.protocol : b.protocol;
    s.srcPort = *sp;
    s.dstPort = *dp;
    return s;
}

IkePolicyProvider::Phase2
Ikev2Daemon::NarrowChild(const Sa& sa, const IpsecTrafficSelector& proposed,
                         IpsecTrafficSelector* narrowed) const
{
    // The permits of the crypto map entries on our interfaces, in order: the first whose part
    // of the proposal an IKEv2 entry for this peer accepts is what we answer (RFC 7296 2.9).
    IkePolicyProvider::Phase2 none;
    none.reason = "no IKEv2 entry's access list meets the selectors";
    Ptr<Ipv4> ipv4 = m_ike.m_processor->GetNode()->GetObject<Ipv4>();
    for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<IpsecSpd> spd = m_ike.m_processor->GetSpd(i);
        for (const auto& e : spd ? spd->GetEntries() : std::vector<Ptr<IpsecPolicyEntry>>{})
        {
            for (const auto& rule : e->acl ? e->acl->GetRules() : std::vector<IpsecPolicyRule>{})
            {
                const auto part =
                    rule.permit ? IntersectSelectors(proposed, rule.selector) : std::nullopt;
                if (!part)
                {
                    continue;
                }
                IkePolicyProvider::Phase2 p =
                    m_ike.m_provider->MatchIkev2Child(sa.peer, sa.local, *part);
                if (p.entry)
                {
                    *narrowed = *part;
                    return p;
                }
            }
        }
    }
    return none;
}

IkePolicyProvider::Phase2
Ikev2Daemon::ChildScope(Sa& sa, const Ikev2TsPayload& tsi, const Ikev2TsPayload& tsr,
                        bool* narrowed)
{
    *narrowed = false;
    IkePolicyProvider::Phase2 p;
    std::string why;
    const auto proposed = Ikev2ScopeOf(tsr, tsi, &why); // our outbound sense
    if (!proposed)
    {
        p.reason = why;
        return p;
    }
    p = m_ike.m_provider->MatchIkev2Child(sa.peer, sa.local, *proposed);
    if (p.entry)
    {
        sa.scope = *proposed;
        return p;
    }
    IpsecTrafficSelector part;
    IkePolicyProvider::Phase2 n = NarrowChild(sa, *proposed, &part);
    if (!n.entry)
    {
        n.reason = p.reason + "; " + n.reason;
        return n;
    }
    NS_LOG_INFO("IKEv2: " << sa.peer << " proposed " << *proposed << ", narrowed to " << part);
    sa.scope = part;
    *narrowed = true;
    return n;
}

std::string
Ikev2Daemon::AcceptTsReply(Sa& sa, const Ikev2Message& m, bool* narrowed)
{
    *narrowed = false;
    const auto* tsi = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSI);
    const auto* tsr = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSR);
    if (!tsi || !tsr)
    {
        return "IKE_AUTH response without TSi or TSr";
    }
    std::string why;
    const auto scope = Ikev2ScopeOf(*tsi, *tsr, &why); // our outbound sense: TSi to TSr
    if (!scope)
    {
        return "the responder's " + why;
    }
    if (!scope->Within(sa.scope))
    {
        return "the responder's traffic selectors are not within ours (RFC 7296 2.9)";
    }
    // The child SA carries what the responder accepted: the acquired selector, or less.
    *narrowed = !sa.scope.Within(*scope);
    sa.scope = *scope;
    return "";
}

} // namespace ns3
