// `router ospf N` and `router eigrp N` approximated. The simulation runs no routing protocol:
// ns-3's global routing finds neighbours by walking each device's channel, which a tunnel
// interface (a VirtualNetDevice) does not have, and it routes over every interface of every
// node rather than over those the network statements cover. So the routers of a scenario compute
// what the protocol would converge to: neighbours are covered interfaces of two routers on one
// subnet (tunnel interfaces included), each router advertises the networks of its covered
// interfaces, and every router installs, for each network it does not have, the first hop of the
// cheapest path (Dijkstra with IOS's default interface costs) as a static route whose metric is
// the protocol's administrative distance (so a configured static route still wins), and records
// it with the metric the protocol would give it (OSPF cost; EIGRP's composite metric from the
// path's bandwidth and delay) and the time, for `show ip route` (show-ip-route.cc).
#include "ios-router-state.h"

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterRouting");

namespace
{
/** IOS's default bandwidth (kbit/s) and delay (microseconds) of an interface, by its type. */
struct LinkDefaults
{
    uint32_t bandwidthKbps;
    uint32_t delayUsec;
};

LinkDefaults
DefaultsOf(const std::string& ifn)
{
    const auto is = [&ifn](const char* type) { return ifn.rfind(type, 0) == 0; };
    if (is("Tunnel"))
    {
        return {100, 50000}; // IOS 15 (12.4 had 9 kbit/s and 500000 usec)
    }
    if (is("Serial"))
    {
        return {1544, 20000};
    }
    if (is("Ethernet"))
    {
        return {10000, 1000};
    }
    if (is("FastEthernet"))
    {
        return {100000, 100};
    }
    if (is("GigabitEthernet"))
    {
        return {1000000, 10};
    }
    if (is("Loopback"))
    {
        return {8000000, 5000};
    }
    return {100000, 100};
}

/** IOS's default OSPF cost: the reference bandwidth of 100 Mbit/s over the interface's, at
 *  least 1 (Tunnel 1000, Serial 64, Ethernet 10, FastEthernet and faster 1). */
uint32_t
DefaultCost(const std::string& ifn)
{
    return std::max<uint32_t>(1, 100000 / DefaultsOf(ifn).bandwidthKbps);
}

/** One interface a routing process covers. */
struct Covered
{
    size_t router;
    std::string name;
    uint32_t ifIndex;
    Ipv4Address address;
    Ipv4Mask mask;
    uint32_t cost;
    LinkDefaults link;
};

/** The cheapest paths from one router to the others of a domain. */
struct Paths
{
    std::vector<uint64_t> dist;             //!< sum of the OSPF costs of the outgoing interfaces
    std::vector<const Covered*> firstOut;   //!< our interface on the path
    std::vector<const Covered*> firstHop;   //!< the neighbour's interface on the path
    std::vector<uint32_t> minBandwidthKbps; //!< the slowest outgoing interface on the path
    std::vector<uint64_t> delayUsec;        //!< the delays of the outgoing interfaces, summed
};

/** EIGRP's composite metric with the default K values (K1 = K3 = 1, the others 0):
 *  256 * (10^7 / slowest bandwidth in kbit/s + sum of delays in tens of microseconds). */
uint64_t
EigrpMetric(uint32_t minBandwidthKbps, uint64_t delayUsec)
{
    return 256 * (10000000ull / minBandwidthKbps + delayUsec / 10);
}

/** Processes that form adjacencies: OSPF with OSPF (process ids are local), EIGRP within one
 *  autonomous system. */
std::string
DomainOf(const IosRoutingProcess& p)
{
    return p.protocol == "ospf" ? "ospf" : "eigrp " + std::to_string(p.id);
}

std::string
PrefixText(Ipv4Address net, Ipv4Mask mask)
{
    std::ostringstream os;
    os << net << "/" << mask.GetPrefixLength();
    return os.str();
}

/** What one router of a domain learns: its notes and the routes it installs. */
struct Learned
{
    std::vector<std::string> notes;
    std::vector<IosProtocolRoute> routes;
};

/** The metric the protocol gives the network of @p dest (an interface of another router)
 *  reached over @p paths: OSPF the costs of the path plus the destination interface's (a
 *  loopback's 1), EIGRP the composite metric of the path and the destination interface. */
uint64_t
MetricTo(const std::string& domain, const Paths& paths, const Covered& dest)
{
    const bool loopback = dest.name.rfind("Loopback", 0) == 0;
    if (domain == "ospf")
    {
        return paths.dist[dest.router] + (loopback ? 1 : dest.cost);
    }
    return EigrpMetric(std::min(paths.minBandwidthKbps[dest.router], dest.link.bandwidthKbps),
                       paths.delayUsec[dest.router] + dest.link.delayUsec);
}

void
InstallDomainRoutes(
    const std::vector<Ptr<IosRouter>>& routers, size_t s, const std::string& domain,
    const std::vector<Covered>& covered, const Paths& paths,
    const std::function<std::pair<Ipv4Address, Ipv4Mask>(const Covered&)>& networkOf,
    Learned& learned)
{
    const uint8_t distance = domain == "ospf" ? 110 : 90;
    const IosRouter& self = *routers[s];
    Ptr<Ipv4L3Protocol> ipv4 = self.GetNode()->GetObject<Ipv4L3Protocol>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    // The best path to each network another router advertises; our own networks are connected.
    std::map<std::pair<uint32_t, uint32_t>, const Covered*> best;
    for (const auto& c : covered)
    {
        const auto [net, mask] = networkOf(c);
        bool ours = false;
        for (const auto& own : self.GetConfig().interfaces)
        {
            ours |= own.address && own.address->CombineMask(own.mask) == net &&
                    own.mask.GetPrefixLength() >= mask.GetPrefixLength();
        }
        ours |= c.router == s;
        if (ours || !paths.firstOut[c.router])
        {
            continue;
        }
        const auto key = std::make_pair(net.Get(), mask.Get());
        auto b = best.find(key);
        if (b == best.end() || paths.dist[c.router] < paths.dist[b->second->router])
        {
            best[key] = &c;
        }
    }
    for (const auto& [key, c] : best)
    {
        const Covered& out = *paths.firstOut[c->router];
        const Covered& hop = *paths.firstHop[c->router];
        IosProtocolRoute route;
        route.code = domain == "ospf" ? 'O' : 'D';
        route.network = Ipv4Address(key.first);
        route.mask = Ipv4Mask(key.second);
        route.via = hop.address;
        route.ifIndex = out.ifIndex;
        route.distance = distance;
        route.metric = MetricTo(domain, paths, *c);
        route.installed = Simulator::Now();
        rt->AddNetworkRouteTo(route.network, route.mask, route.via, route.ifIndex, distance);
        std::ostringstream note;
        note << domain << ": " << PrefixText(route.network, route.mask) << " ["
             << unsigned(distance) << "/" << route.metric << "] via " << hop.address << ", "
             << out.name;
        learned.notes.push_back(note.str());
        learned.routes.push_back(route);
    }
}

/** Dijkstra over the routers of a domain from router @p s by OSPF cost; the first hop (our
 *  interface, the neighbour's address) of each, and the bandwidth and delay along the path. */
Paths
ShortestPaths(size_t routerCount, size_t s, const std::vector<Covered>& covered)
{
    constexpr uint64_t kInf = std::numeric_limits<uint64_t>::max();
    Paths p;
    p.dist.assign(routerCount, kInf);
    p.firstOut.assign(routerCount, nullptr);
    p.firstHop.assign(routerCount, nullptr);
    p.minBandwidthKbps.assign(routerCount, std::numeric_limits<uint32_t>::max());
    p.delayUsec.assign(routerCount, 0);
    using Item = std::pair<uint64_t, size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
    p.dist[s] = 0;
    q.push({0, s});
    while (!q.empty())
    {
        auto [d, u] = q.top();
        q.pop();
        if (d > p.dist[u])
        {
            continue;
        }
        for (const auto& out : covered)
        {
            if (out.router != u)
            {
                continue;
            }
            for (const auto& in : covered)
            {
                if (in.router == u || in.mask != out.mask ||
                    in.address.CombineMask(in.mask) != out.address.CombineMask(out.mask) ||
                    d + out.cost >= p.dist[in.router])
                {
                    continue;
                }
                const size_t v = in.router;
                p.dist[v] = d + out.cost;
                p.firstOut[v] = u == s ? &out : p.firstOut[u];
                p.firstHop[v] = u == s ? &in : p.firstHop[u];
                p.minBandwidthKbps[v] = std::min(p.minBandwidthKbps[u], out.link.bandwidthKbps);
                p.delayUsec[v] = p.delayUsec[u] + out.link.delayUsec;
                q.push({p.dist[v], v});
            }
        }
    }
    return p;
}

void
ApproximateDomain(const std::vector<Ptr<IosRouter>>& routers, const std::string& domain,
                  const std::vector<Covered>& covered, std::vector<Learned>& learned)
{
    const auto networkOf = [](const Covered& c)
    {
        const bool loopback = c.name.rfind("Loopback", 0) == 0;
        const Ipv4Mask m = loopback ? Ipv4Mask::GetOnes() : c.mask; // OSPF: loopbacks as /32
        return std::make_pair(c.address.CombineMask(m), m);
    };
    for (size_t s = 0; s < routers.size(); ++s)
    {
        const bool member = std::any_of(covered.begin(), covered.end(),
                                        [s](const Covered& c) { return c.router == s; });
        if (member)
        {
            InstallDomainRoutes(routers, s, domain, covered,
                                ShortestPaths(routers.size(), s, covered), networkOf, learned[s]);
        }
    }
}

} // namespace

void
IosRouter::ApproximateRouting(const std::vector<Ptr<IosRouter>>& routers)
{
    NS_LOG_FUNCTION(routers.size());
    // Each routing domain separately: its covered interfaces per router.
    std::map<std::string, std::vector<Covered>> domains;
    std::map<std::string, std::map<size_t, const IosRoutingProcess*>> processOf;
    for (size_t r = 0; r < routers.size(); ++r)
    {
        if (!routers[r])
        {
            continue;
        }
        const IosRouterConfig& cfg = routers[r]->m_config;
        for (const auto& p : cfg.routingProcesses)
        {
            std::vector<Covered>& d = domains[DomainOf(p)];
            processOf[DomainOf(p)][r] = &p;
            std::ostringstream note;
            note << "approximated: router " << p.protocol << " " << p.id
                 << " by routes computed over";
            bool any = false;
            for (const auto& iface : cfg.interfaces)
            {
                const int32_t idx = routers[r]->GetInterfaceIndex(iface.name);
                if (!iface.address || iface.shutdown || idx < 0 || !p.Covers(*iface.address))
                {
                    continue;
                }
                d.push_back({r, iface.name, static_cast<uint32_t>(idx), *iface.address, iface.mask,
                             DefaultCost(iface.name), DefaultsOf(iface.name)});
                note << (any ? ", " : " ") << iface.name;
                any = true;
            }
            note << (any ? "" : " no interface")
                 << " (the interfaces its network statements "
                    "cover; no routing protocol runs)";
            routers[r]->m_impl->routingNotes.push_back(note.str());
        }
    }
    std::vector<Learned> learned(routers.size());
    for (const auto& [domain, covered] : domains)
    {
        ApproximateDomain(routers, domain, covered, learned);
    }
    for (size_t r = 0; r < routers.size(); ++r)
    {
        for (auto& n : learned[r].notes)
        {
            routers[r]->m_impl->routingNotes.push_back(std::move(n));
        }
        for (auto& route : learned[r].routes)
        {
            routers[r]->m_impl->protocolRoutes.push_back(route);
        }
    }
}

const std::vector<std::string>&
IosRouter::GetRoutingNotes() const
{
    return m_impl->routingNotes;
}

} // namespace ns3
