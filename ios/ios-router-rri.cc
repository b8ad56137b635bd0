// Reverse route injection (`reverse-route` in crypto map entries, IOS 12.1(9)E / 12.3(14)T): static
// routes to the remote proxy networks, installed in the node's static routing as SAs come up and
// removed when they go (or at once and for good with `reverse-route static`); and `show ip
// route`, which shows them with the connected and configured routes.
#include "ns3/ios-router.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ios-router-state.h"

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterRri");

namespace
{
/** The destination of @p sel as a network, if its wildcard is a contiguous mask. */
std::optional<std::pair<Ipv4Address, Ipv4Mask>>
RemoteNetwork(const IpsecTrafficSelector& sel)
{
    const uint32_t mask = ~sel.dstWildcard;
    if (((~mask + 1) & ~mask) != 0)
    {
        return std::nullopt; // a wildcard IOS could not express as a route
    }
    return std::make_pair(Ipv4Address(sel.dstAddr.Get() & mask), Ipv4Mask(mask));
}

Ptr<Ipv4StaticRouting>
StaticRoutingOf(Ptr<Node> node)
{
    return Ipv4StaticRoutingHelper().GetStaticRouting(node->GetObject<Ipv4L3Protocol>());
}
} // namespace

bool
IosRouterState::AddRriRoute(IosRouter& r, IosRriRoute route)
{
    for (const auto& x : rri)
    {
        if (x.network == route.network && x.mask == route.mask && x.via == route.via &&
            x.owner == route.owner)
        {
            return true; // already there (a rekeyed bundle of the same flow)
        }
    }
    // ns-3's static routing does not resolve a next hop recursively: the route goes to the
    // gateway toward the shown next hop.
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    Ipv4Header h;
    h.SetDestination(route.via);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> toVia =
        ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, err);
    if (!toVia)
    {
        NS_LOG_WARN("reverse-route: no route to next hop " << route.via);
        return false;
    }
    route.ifIndex = static_cast<uint32_t>(ipv4->GetInterfaceForDevice(toVia->GetOutputDevice()));
    route.gateway = toVia->GetGateway().IsAny() ? route.via : toVia->GetGateway();
    // One routing table entry however many bundles (a rekey overlaps two) bring the route; it
    // goes with the last of them (RemoveRriRoutes).
    const bool installed =
        std::any_of(rri.begin(), rri.end(),
                    [&route](const IosRriRoute& y)
                    {
                        return y.network == route.network && y.mask == route.mask &&
                               y.gateway == route.gateway && y.ifIndex == route.ifIndex;
                    });
    if (!installed)
    {
        StaticRoutingOf(r.m_node)->AddNetworkRouteTo(route.network, route.mask, route.gateway,
                                                     route.ifIndex, route.distance);
    }
    rri.push_back(route);
    NS_LOG_INFO(r.m_config.hostname << ": RRI " << route.network << "/"
                                    << route.mask.GetPrefixLength() << " via " << route.via);
    return true;
}

void
IosRouterState::RemoveRriRoutes(IosRouter& r, const std::function<bool(const IosRriRoute&)>& which)
{
    Ptr<Ipv4StaticRouting> rt = StaticRoutingOf(r.m_node);
    for (auto it = rri.begin(); it != rri.end();)
    {
        if (!which(*it))
        {
            ++it;
            continue;
        }
        const IosRriRoute& x = *it;
        const bool shared = std::count_if(rri.begin(), rri.end(),
                                          [&x](const IosRriRoute& y)
                                          {
                                              return y.network == x.network && y.mask == x.mask &&
                                                     y.gateway == x.gateway &&
                                                     y.ifIndex == x.ifIndex;
                                          }) > 1;
        for (uint32_t i = 0; i < rt->GetNRoutes() && !shared; ++i)
        {
            Ipv4RoutingTableEntry e = rt->GetRoute(i);
            if (e.GetDest() == x.network && e.GetDestNetworkMask() == x.mask &&
                e.GetGateway() == x.gateway && e.GetInterface() == x.ifIndex)
            {
                rt->RemoveRoute(i);
                break;
            }
        }
        it = rri.erase(it);
    }
}

void
IosRouterState::RriBundleUp(IosRouter& r, Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    const IosCryptoMapEntry* src = SourceOf(entry);
    if (!src || !src->reverseRoute || src->reverseRoute->isStatic)
    {
        return;
    }
    auto net = RemoteNetwork(bundle->scope);
    if (!net)
    {
        return;
    }
    IosRriRoute route;
    route.network = net->first;
    route.mask = net->second;
    route.via = src->reverseRoute->nextHop.value_or(bundle->peer);
    route.distance = src->reverseRoute->distance;
    route.owner = PeekPointer(bundle);
    AddRriRoute(r, route);
}

void
IosRouterState::RriBundleDown(IosRouter& r, Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    const void* owner = PeekPointer(bundle);
    RemoveRriRoutes(r, [owner](const IosRriRoute& x) { return x.owner == owner; });
}

void
IosRouterState::ApplyReverseRoutes(IosRouter& r)
{
    if (!rriTraced)
    {
        // By raw pointer: the router owns the processor, which owns the callbacks.
        IosRouter* router = &r;
        IosRouterState* self = this;
        r.m_processor->TraceConnectWithoutContext(
            "BundleInstalled",
            MakeLambdaCallback<Callback<void, Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>>>(
                [router, self](Ptr<IpsecPolicyEntry> e, Ptr<IpsecSaBundle> b)
                { self->RriBundleUp(*router, e, b); }));
        r.m_processor->TraceConnectWithoutContext(
            "BundleRemoved",
            MakeLambdaCallback<Callback<void, Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>>>(
                [router, self](Ptr<IpsecPolicyEntry> e, Ptr<IpsecSaBundle> b)
                { self->RriBundleDown(*router, e, b); }));
        rriTraced = true;
    }
    // A new configuration puts its routes in place of the old ones: `reverse-route static`
    // those of the entry's access list, whether or not SAs exist; the others those of the SAs
    // in force (manual SAs are installed before this runs).
    RemoveRriRoutes(r, [](const IosRriRoute&) { return true; });
    for (const auto& [name, set] : maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            for (const auto& b : pe->bundles)
            {
                RriBundleUp(r, pe, b);
            }
            if (!src->reverseRoute || !src->reverseRoute->isStatic || !pe->acl ||
                pe->keying == IpsecKeying::DYNAMIC)
            {
                continue;
            }
            const auto& rr = *src->reverseRoute;
            if (!rr.nextHop && pe->peers.empty())
            {
                continue;
            }
            for (const auto& rule : pe->acl->GetRules())
            {
                auto net = RemoteNetwork(rule.selector);
                if (!rule.permit || !net)
                {
                    continue;
                }
                IosRriRoute route;
                route.network = net->first;
                route.mask = net->second;
                route.via = rr.nextHop.value_or(pe->peers.front());
                route.distance = rr.distance;
                AddRriRoute(r, route);
            }
        }
    }
}

// ------------------------------------------------------------------------------ show ip route

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
} // namespace

void
ShowIpRoute(std::ostream& os, const IosRouter& router, const IosRouterState& state)
{
    Ptr<Ipv4L3Protocol> ipv4 = router.GetNode()->GetObject<Ipv4L3Protocol>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    std::vector<RouteLine> lines;
    // Connected: the networks of the interfaces that are up.
    for (const auto& [name, idx] : state.ifIndex)
    {
        if (!ipv4->IsUp(idx))
        {
            continue;
        }
        for (uint32_t a = 0; a < ipv4->GetNAddresses(idx); ++a)
        {
            const Ipv4InterfaceAddress ia = ipv4->GetAddress(idx, a);
            lines.push_back({'C', ia.GetLocal().CombineMask(ia.GetMask()), ia.GetMask(),
                             "is directly connected, " + name});
        }
    }
    // Static: what the static routing holds beyond the connected networks (configured routes and
    // RRI's), with the next hop IOS shows for RRI routes.
    std::optional<Ipv4Address> lastResort;
    for (uint32_t i = 0; i < rt->GetNRoutes(); ++i)
    {
        const Ipv4RoutingTableEntry e = rt->GetRoute(i);
        auto ifn = state.ifName.find(e.GetInterface());
        if (ifn == state.ifName.end() || e.IsHost())
        {
            continue; // the loopback and host routes of ns-3's own
        }
        const bool connected = e.GetGateway().IsAny() &&
                               std::any_of(lines.begin(), lines.end(),
                                           [&e](const RouteLine& l) {
                                               return l.code == 'C' && l.network == e.GetDest() &&
                                                      l.mask == e.GetDestNetworkMask();
                                           });
        if (connected)
        {
            continue;
        }
        Ipv4Address via = e.GetGateway();
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
            rest << "is directly connected, " << ifn->second;
        }
        else
        {
            rest << "[" << rt->GetMetric(i) << "/0] via " << via;
        }
        if (e.GetDestNetworkMask().GetPrefixLength() == 0)
        {
            lastResort = via;
        }
        lines.push_back({'S', e.GetDest(), e.GetDestNetworkMask(), rest.str()});
    }
    os << "Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
          "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n"
          "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
          "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
          "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
          "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
          "       o - ODR, P - periodic downloaded static route\n\n";
    if (lastResort)
    {
        os << "Gateway of last resort is " << *lastResort << " to network 0.0.0.0\n\n";
    }
    else
    {
        os << "Gateway of last resort is not set\n\n";
    }
    // Grouped by major network, as IOS 12.4 prints them: a header line for subnetted networks,
    // with prefix lengths when the masks differ.
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
                os << "     " << Ipv4Address(major) << "/" << *masks.begin() << " is subnetted, "
                   << group.size() << " subnets\n";
            }
            else
            {
                os << "     " << Ipv4Address(major) << "/" << classful.GetPrefixLength()
                   << " is variably subnetted, " << group.size() << " subnets, " << masks.size()
                   << " masks\n";
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
            os << code
               << std::string(single || supernet ? 4 - code.size() + 1 : 8 - code.size(), ' ')
               << Text(l.network);
            if (masks.size() > 1 || single || supernet)
            {
                os << "/" << l.mask.GetPrefixLength();
            }
            os << " " << l.rest << "\n";
        }
    }
}

} // namespace ns3
