// Reverse route injection (`reverse-route` in crypto map entries, IOS 12.1(9)E / 12.3(14)T): static
// routes to the remote proxy networks, installed in the node's static routing as SAs come up and
// removed when they go (or at once and for good with `reverse-route static`). `show ip route`
// (show-ip-route.cc) shows them as static routes.
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

} // namespace ns3
