// `router ospf N` and `router eigrp N` approximated. The simulation runs no routing protocol:
// ns-3's global routing finds neighbours by walking each device's channel, which a tunnel
// interface (a VirtualNetDevice) does not have, and it routes over every interface of every
// node rather than over those the network statements cover. So the routers of a scenario compute
// what the protocol would converge to: neighbours are covered interfaces of two routers on one
// subnet (tunnel interfaces included), each router advertises the networks of its covered
// interfaces, and every router installs, for each network it does not have, the first hop of the
// cheapest path (Dijkstra with IOS's default interface costs) as a static route whose metric is
// the protocol's administrative distance (so a configured static route still wins).
#include "ios-router-state.h"

#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"

#include <functional>
#include <limits>
#include <queue>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterRouting");

namespace
{
/** One interface a routing process covers. */
struct Covered
{
    size_t router;
    std::string name;
    uint32_t ifIndex;
    Ipv4Address address;
    Ipv4Mask mask;
    uint32_t cost;
};

/** IOS's default OSPF cost (10^8 / bandwidth); EIGRP's metric orders interfaces alike. */
uint32_t
DefaultCost(const std::string& ifn)
{
    if (ifn.rfind("Tunnel", 0) == 0)
    {
        return 1000; // IOS 15: tunnel bandwidth 100 kbit/s
    }
    if (ifn.rfind("Serial", 0) == 0)
    {
        return 64; // 1544 kbit/s
    }
    if (ifn.rfind("Ethernet", 0) == 0)
    {
        return 10;
    }
    return 1; // FastEthernet, GigabitEthernet, Loopback
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

void
InstallDomainRoutes(
    const std::vector<Ptr<IosRouter>>& routers, size_t s, const std::string& domain,
    uint8_t distance, const std::vector<Covered>& covered, const std::vector<uint64_t>& dist,
    const std::vector<const Covered*>& firstOut, const std::vector<const Covered*>& firstHop,
    const std::function<std::pair<Ipv4Address, Ipv4Mask>(const Covered&)>& networkOf,
    std::vector<std::string>& notes)
{
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
        if (ours || !firstOut[c.router])
        {
            continue;
        }
        const auto key = std::make_pair(net.Get(), mask.Get());
        auto b = best.find(key);
        if (b == best.end() || dist[c.router] < dist[b->second->router])
        {
            best[key] = &c;
        }
    }
    for (const auto& [key, c] : best)
    {
        const Covered& out = *firstOut[c->router];
        const Covered& hop = *firstHop[c->router];
        const Ipv4Address net(key.first);
        const Ipv4Mask mask(key.second);
        rt->AddNetworkRouteTo(net, mask, hop.address, out.ifIndex, distance);
        std::ostringstream note;
        note << domain << ": " << PrefixText(net, mask) << " [" << unsigned(distance) << "/"
             << dist[c->router] + (c->name.rfind("Loopback", 0) == 0 ? 1 : c->cost) << "] via "
             << hop.address << ", " << out.name;
        notes.push_back(note.str());
    }
}

void
ApproximateDomain(const std::vector<Ptr<IosRouter>>& routers, const std::string& domain,
                  const std::vector<Covered>& covered, std::vector<std::vector<std::string>>& notes)
{
    const uint8_t distance = domain == "ospf" ? 110 : 90;
    const auto networkOf = [](const Covered& c)
    {
        const bool loopback = c.name.rfind("Loopback", 0) == 0;
        const Ipv4Mask m = loopback ? Ipv4Mask::GetOnes() : c.mask; // OSPF: loopbacks as /32
        return std::make_pair(c.address.CombineMask(m), m);
    };
    for (size_t s = 0; s < routers.size(); ++s)
    {
        bool member = false;
        for (const auto& c : covered)
        {
            member |= c.router == s;
        }
        if (!member)
        {
            continue;
        }
        // Dijkstra over routers; the first hop (our interface, the neighbour's address) of each.
        constexpr uint64_t kInf = std::numeric_limits<uint64_t>::max();
        std::vector<uint64_t> dist(routers.size(), kInf);
        std::vector<const Covered*> firstOut(routers.size(), nullptr);
        std::vector<const Covered*> firstHop(routers.size(), nullptr);
        using Item = std::pair<uint64_t, size_t>;
        std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
        dist[s] = 0;
        q.push({0, s});
        while (!q.empty())
        {
            auto [d, u] = q.top();
            q.pop();
            if (d > dist[u])
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
                        d + out.cost >= dist[in.router])
                    {
                        continue;
                    }
                    dist[in.router] = d + out.cost;
                    firstOut[in.router] = u == s ? &out : firstOut[u];
                    firstHop[in.router] = u == s ? &in : firstHop[u];
                    q.push({dist[in.router], in.router});
                }
            }
        }
        InstallDomainRoutes(routers, s, domain, distance, covered, dist, firstOut, firstHop,
                            networkOf, notes[s]);
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
                             DefaultCost(iface.name)});
                note << (any ? ", " : " ") << iface.name;
                any = true;
            }
            note << (any ? "" : " no interface")
                 << " (the interfaces its network statements "
                    "cover; no routing protocol runs)";
            routers[r]->m_impl->routingNotes.push_back(note.str());
        }
    }
    std::vector<std::vector<std::string>> notes(routers.size());
    for (const auto& [domain, covered] : domains)
    {
        ApproximateDomain(routers, domain, covered, notes);
    }
    for (size_t r = 0; r < routers.size(); ++r)
    {
        for (auto& n : notes[r])
        {
            routers[r]->m_impl->routingNotes.push_back(std::move(n));
        }
    }
}

const std::vector<std::string>&
IosRouter::GetRoutingNotes() const
{
    return m_impl->routingNotes;
}

} // namespace ns3
