// show ip route: the routing table as the router's IOS release prints it. Connected networks (C),
// in 15.x also each interface address as a local /32 route (L), static routes
// (S, `ip route` and reverse route injection alike, as IOS shows RRI routes), the routes of the
// approximated routing processes (O for OSPF, D for EIGRP, with their metric and age; see
// ios-router-routing.cc), the candidate default (*) and the gateway of last resort, grouped by
// classful major network with the "is subnetted" lines. 15.x's legend starts "L - local" and
// ends with three more lines, its network headings are indented six columns and its route
// lines one column more than 12.4's.
#include "ios-router-state.h"

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{
/** One line of the table before it is grouped by major network. */
struct RouteLine
{
    char code = 'S';
    Ipv4Address network;
    Ipv4Mask mask;
    std::string rest; //!< "[1/0] via 192.0.2.2" or "is directly connected, Serial0"
};

/** The classful network of @p a (A /8, B /16, C /24). */
Ipv4Mask
ClassfulMask(Ipv4Address a)
{
    const uint32_t first = a.Get() >> 24;
    return first < 128   ? Ipv4Mask("255.0.0.0")
           : first < 192 ? Ipv4Mask("255.255.0.0")
                         : Ipv4Mask("255.255.255.0");
}

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** A route's age as IOS prints it: "00:00:12" under a day, then "1d02h", from a week "2w3d". */
std::string
RouteAge(Time age)
{
    const uint64_t s = static_cast<uint64_t>(std::max<int64_t>(0, age.GetSeconds()));
    char buf[32];
    if (s < 86400)
    {
        std::snprintf(buf, sizeof buf, "%02u:%02u:%02u", unsigned(s / 3600), unsigned(s / 60 % 60),
                      unsigned(s % 60));
    }
    else if (s < 7 * 86400)
    {
        std::snprintf(buf, sizeof buf, "%ud%02uh", unsigned(s / 86400), unsigned(s / 3600 % 24));
    }
    else
    {
        std::snprintf(buf, sizeof buf, "%uw%ud", unsigned(s / (7 * 86400)),
                      unsigned(s / 86400 % 7));
    }
    return buf;
}

/** The networks of the interfaces that are up and, with @p local (15.x), their addresses. */
void
ConnectedLines(Ptr<Ipv4L3Protocol> ipv4, const IosRouterState& state, bool local,
               std::vector<RouteLine>& out)
{
    for (const auto& [name, idx] : state.ifIndex)
    {
        if (!ipv4->IsUp(idx))
        {
            continue;
        }
        for (uint32_t a = 0; a < ipv4->GetNAddresses(idx); ++a)
        {
            const Ipv4InterfaceAddress ia = ipv4->GetAddress(idx, a);
            out.push_back({'C', ia.GetLocal().CombineMask(ia.GetMask()), ia.GetMask(),
                           "is directly connected, " + name});
            if (local && ia.GetMask() != Ipv4Mask::GetOnes())
            {
                out.push_back(
                    {'L', ia.GetLocal(), Ipv4Mask::GetOnes(), "is directly connected, " + name});
            }
        }
    }
}

/** The approximated routing process's route behind table entry @p e, if it is one. */
const IosProtocolRoute*
ProtocolRouteOf(const Ipv4RoutingTableEntry& e, uint32_t metric, const IosRouterState& state)
{
    for (const auto& p : state.protocolRoutes)
    {
        if (p.network == e.GetDest() && p.mask == e.GetDestNetworkMask() &&
            p.via == e.GetGateway() && p.ifIndex == e.GetInterface() && p.distance == metric)
        {
            return &p;
        }
    }
    return nullptr;
}

/** "[1/0] via A.B.C.D" for a static route: the next hop IOS shows (RRI's peer rather than the
 *  gateway toward it), the interface too when the configured route names both. */
std::string
StaticRest(const Ipv4RoutingTableEntry& e, uint32_t distance, const std::string& ifn,
           const IosRouter& router, const IosRouterState& state, Ipv4Address& via)
{
    via = e.GetGateway();
    for (const auto& x : state.rri)
    {
        if (x.network == e.GetDest() && x.mask == e.GetDestNetworkMask() &&
            x.gateway == e.GetGateway() && x.ifIndex == e.GetInterface())
        {
            via = x.via;
        }
    }
    std::ostringstream rest;
    if (via.IsAny())
    {
        rest << "is directly connected, " << ifn;
        return rest.str();
    }
    rest << "[" << distance << "/0] via " << via;
    for (const auto& c : router.GetConfig().routes)
    {
        if (c.network == e.GetDest() && c.mask == e.GetDestNetworkMask() && c.nextHop &&
            *c.nextHop == via && c.interface == ifn)
        {
            rest << ", " << ifn;
            break;
        }
    }
    return rest.str();
}

/** The routes of the node's static routing beyond the connected networks: configured and RRI
 *  routes (S) and those of the approximated routing processes (O, D). */
void
TableLines(Ptr<Ipv4StaticRouting> rt, const IosRouter& router, const IosRouterState& state,
           std::vector<RouteLine>& lines, std::optional<Ipv4Address>& lastResort)
{
    const size_t connectedCount = lines.size();
    for (uint32_t i = 0; i < rt->GetNRoutes(); ++i)
    {
        const Ipv4RoutingTableEntry e = rt->GetRoute(i);
        auto ifn = state.ifName.find(e.GetInterface());
        if (ifn == state.ifName.end())
        {
            continue; // ns-3's own route to 127.0.0.0/8
        }
        const bool connected =
            e.GetGateway().IsAny() &&
            std::any_of(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(connectedCount),
                        [&e](const RouteLine& l)
                        { return l.network == e.GetDest() && l.mask == e.GetDestNetworkMask(); });
        if (connected)
        {
            continue;
        }
        const uint32_t metric = rt->GetMetric(i);
        if (const IosProtocolRoute* p = ProtocolRouteOf(e, metric, state))
        {
            std::ostringstream rest;
            rest << "[" << unsigned(p->distance) << "/" << p->metric << "] via " << p->via << ", "
                 << RouteAge(Simulator::Now() - p->installed) << ", " << ifn->second;
            lines.push_back({p->code, e.GetDest(), e.GetDestNetworkMask(), rest.str()});
            continue;
        }
        Ipv4Address via;
        const std::string rest = StaticRest(e, metric, ifn->second, router, state, via);
        if (e.GetDestNetworkMask().GetPrefixLength() == 0)
        {
            lastResort = via;
        }
        lines.push_back({'S', e.GetDest(), e.GetDestNetworkMask(), rest});
    }
}

/** The lines grouped by major network: a header line for subnetted networks, with prefix
 *  lengths when the masks differ. 15.x indents one column more than 12.4 (@p extra). */
void
PrintGrouped(std::ostream& os, const std::vector<RouteLine>& lines, size_t extra)
{
    std::map<uint32_t, std::vector<RouteLine>> byMajor;
    for (const auto& l : lines)
    {
        byMajor[l.network.CombineMask(ClassfulMask(l.network)).Get()].push_back(l);
    }
    for (auto& [major, group] : byMajor)
    {
        std::stable_sort(group.begin(), group.end(),
                         [](const RouteLine& a, const RouteLine& b)
                         {
                             return std::make_pair(a.network.Get(), a.mask.GetPrefixLength()) <
                                    std::make_pair(b.network.Get(), b.mask.GetPrefixLength());
                         });
        const Ipv4Mask classful = ClassfulMask(Ipv4Address(major));
        std::set<uint16_t> masks;
        for (const auto& l : group)
        {
            masks.insert(l.mask.GetPrefixLength());
        }
        const bool single = group.size() == 1 && group.front().mask == classful;
        if (!single && !(group.front().mask.GetPrefixLength() < classful.GetPrefixLength()))
        {
            if (masks.size() == 1)
            {
                os << std::string(5 + extra, ' ') << Ipv4Address(major) << "/" << *masks.begin()
                   << " is subnetted, " << group.size() << " subnets\n";
            }
            else
            {
                os << std::string(5 + extra, ' ') << Ipv4Address(major) << "/"
                   << classful.GetPrefixLength() << " is variably subnetted, " << group.size()
                   << " subnets, " << masks.size() << " masks\n";
            }
        }
        for (const auto& l : group)
        {
            const bool supernet = l.mask.GetPrefixLength() < classful.GetPrefixLength();
            std::string code(1, l.code);
            if (l.mask.GetPrefixLength() == 0)
            {
                code += "*";
            }
            const size_t column = (single || supernet ? 5 : 8) + extra;
            os << code << std::string(column - code.size(), ' ') << Text(l.network);
            if (masks.size() > 1 || single || supernet)
            {
                os << "/" << l.mask.GetPrefixLength();
            }
            os << " " << l.rest << "\n";
        }
    }
}

/** The legend of route codes: 12.4's, or 15.x's with local routes and three lines more. */
const char*
Legend(IosRelease release)
{
    if (release == IosRelease::IOS_12_4)
    {
        return "Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
               "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n"
               "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
               "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
               "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
               "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
               "       o - ODR, P - periodic downloaded static route\n\n";
    }
    return "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
           "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n"
           "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
           "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
           "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
           "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
           "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP\n"
           "       a - application route\n"
           "       + - replicated route, % - next hop override, p - overrides from PfR\n\n";
}
} // namespace

void
ShowIpRoute(std::ostream& os, const IosRouter& router, const IosRouterState& state)
{
    const IosRelease release = router.GetConfig().release;
    const bool is15 = release == IosRelease::IOS_15;
    Ptr<Ipv4L3Protocol> ipv4 = router.GetNode()->GetObject<Ipv4L3Protocol>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    std::vector<RouteLine> lines;
    ConnectedLines(ipv4, state, is15, lines);
    std::optional<Ipv4Address> lastResort;
    TableLines(rt, router, state, lines, lastResort);
    os << Legend(release);
    if (lastResort)
    {
        os << "Gateway of last resort is " << *lastResort << " to network 0.0.0.0\n\n";
    }
    else
    {
        os << "Gateway of last resort is not set\n\n";
    }
    PrintGrouped(os, lines, is15 ? 1 : 0);
}

} // namespace ns3
