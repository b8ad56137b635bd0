#include "scenario-reader.h"

#include <boost/graph/connected_components.hpp>

#include <map>
#include <set>

namespace ns3
{

using namespace scenario_detail;

// --- the topology graph ---------------------------------------------------------------------

ScenarioTopology::ScenarioTopology(const Scenario& s)
    : m_scenario(s), m_graph(s.nodes.size() + s.segments.size())
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        m_graph[i] = Vertex{false, static_cast<uint32_t>(i)};
    }
    for (size_t k = 0; k < s.segments.size(); ++k)
    {
        const auto v = s.nodes.size() + k;
        m_graph[v] = Vertex{true, static_cast<uint32_t>(k)};
        for (const auto& e : s.segments[k].ends)
        {
            boost::add_edge(e.node, v, Edge{e.interface}, m_graph);
        }
    }
}

std::optional<ScenarioTopology::Hop>
ScenarioTopology::Lookup(uint32_t node, Ipv4Address dst, int depth) const
{
    const ScenarioNode& n = m_scenario.nodes[node];
    if (!n.IsRouter())
    {
        if (SameSubnet(n.address, n.mask, dst))
        {
            return Hop{n.hostInterface, std::nullopt};
        }
        if (n.gateway)
        {
            return Hop{n.hostInterface, n.gateway};
        }
        return std::nullopt;
    }
    // Longest prefix first; among equal prefixes the lower administrative distance (connected
    // networks count 0), then the first configured.
    std::optional<Hop> best;
    int bestLen = -1;
    int bestDistance = 256;
    auto consider = [&](int len, int distance, const Hop& h)
    {
        if (len > bestLen || (len == bestLen && distance < bestDistance))
        {
            best = h;
            bestLen = len;
            bestDistance = distance;
        }
    };
    for (const auto& f : n.config.interfaces)
    {
        if (f.address && !f.shutdown && SameSubnet(*f.address, f.mask, dst))
        {
            consider(static_cast<int>(PrefixLength(f.mask)), 0, Hop{f.name, std::nullopt});
        }
    }
    for (const auto& r : n.config.routes)
    {
        if (!SameSubnet(r.network, r.mask, dst))
        {
            continue;
        }
        const int len = static_cast<int>(PrefixLength(r.mask));
        if (!r.interface.empty())
        {
            const IosInterface* f = n.config.FindInterface(r.interface);
            if (f && !f->shutdown)
            {
                consider(len, r.distance, Hop{f->name, r.nextHop});
            }
            continue;
        }
        if (!r.nextHop || depth > 4)
        {
            continue;
        }
        // The next hop must lie on a connected network (as IosRouter installs it).
        for (const auto& f : n.config.interfaces)
        {
            if (f.address && !f.shutdown && SameSubnet(*f.address, f.mask, *r.nextHop))
            {
                consider(len, r.distance, Hop{f.name, r.nextHop});
                break;
            }
        }
    }
    return best;
}

int32_t
ScenarioTopology::Neighbour(uint32_t node, const std::string& interface, Ipv4Address a) const
{
    for (auto [ei, eend] = boost::out_edges(node, m_graph); ei != eend; ++ei)
    {
        if (m_graph[*ei].interface != interface)
        {
            continue;
        }
        const auto seg = boost::target(*ei, m_graph);
        const ScenarioSegment& s = m_scenario.segments[m_graph[seg].index];
        for (const auto& e : s.ends)
        {
            if (e.node == node && e.interface == interface)
            {
                continue;
            }
            // A serial line delivers whatever is sent into it to the other end.
            if (s.type == ScenarioLinkType::SERIAL)
            {
                return static_cast<int32_t>(e.node);
            }
            auto addr = m_scenario.AddressOf(e);
            if ((addr && addr->first == a) || m_scenario.nodes[e.node].Owns(a))
            {
                return static_cast<int32_t>(e.node);
            }
        }
    }
    return -1;
}

std::optional<std::vector<uint32_t>>
ScenarioTopology::Trace(uint32_t from, Ipv4Address dst, std::string* why) const
{
    std::vector<uint32_t> path{from};
    std::set<uint32_t> seen{from};
    uint32_t cur = from;
    std::string dstText = AddressText(dst);
    for (int hops = 0; hops < 64; ++hops)
    {
        // A static NAT router (ip nat inside source static) sends its global addresses on to
        // the inside local ones.
        if (m_scenario.nodes[cur].IsRouter())
        {
            for (const auto& n : m_scenario.nodes[cur].config.staticNat)
            {
                if (n.global == dst)
                {
                    dst = n.local;
                    break;
                }
            }
        }
        if (m_scenario.FindNodeByAddress(dst) == static_cast<int32_t>(cur))
        {
            return path;
        }
        const std::string& name = m_scenario.nodes[cur].name;
        if (m_scenario.nodes[cur].IsRouter() &&
            !m_scenario.nodes[cur].config.routingProcesses.empty())
        {
            // Its `router ospf|eigrp` routes are computed when the run is built (and take
            // precedence over a default route): the path is not checked beyond it.
            return path;
        }
        auto hop = Lookup(cur, dst);
        if (!hop)
        {
            *why = name + " has no route to " + dstText;
            return std::nullopt;
        }
        const Ipv4Address next = hop->nextHop.value_or(dst);
        int32_t n = -1;
        // Into a GRE tunnel: the packet travels to the tunnel's destination as the router's own
        // GRE packet, and comes out of the router that owns that address.
        const IosInterface* tunnel =
            m_scenario.nodes[cur].IsRouter() && hop->interface.rfind("Tunnel", 0) == 0
                ? m_scenario.nodes[cur].config.FindInterface(hop->interface)
                : nullptr;
        if (tunnel)
        {
            if (!tunnel->tunnelDestination)
            {
                *why = name + " routes " + dstText + " into " + hop->interface +
                       ", which has no tunnel destination";
                return std::nullopt;
            }
            std::string w;
            auto outer = Trace(cur, *tunnel->tunnelDestination, &w);
            if (!outer)
            {
                *why = name + " routes " + dstText + " into " + hop->interface + ", whose GRE to " +
                       AddressText(*tunnel->tunnelDestination) + " goes nowhere: " + w;
                return std::nullopt;
            }
            for (size_t k = 1; k + 1 < outer->size(); ++k)
            {
                path.push_back((*outer)[k]); // the routers the GRE packets cross
            }
            n = static_cast<int32_t>(outer->back());
        }
        else
        {
            n = Neighbour(cur, hop->interface, next);
        }
        if (n < 0)
        {
            const bool linked = [&]
            {
                for (auto [ei, eend] = boost::out_edges(cur, m_graph); ei != eend; ++ei)
                {
                    if (m_graph[*ei].interface == hop->interface)
                    {
                        return true;
                    }
                }
                return false;
            }();
            if (!linked)
            {
                *why = name + " routes " + dstText + " out of " + hop->interface +
                       ", which has no link";
            }
            else if (hop->nextHop)
            {
                *why = name + " routes " + dstText + " via " + AddressText(next) +
                       ", which no node on " + name + ":" + hop->interface + "'s link has";
            }
            else
            {
                *why = dstText + " is on no node of " + name + ":" + hop->interface + "'s link";
            }
            return std::nullopt;
        }
        if (seen.count(static_cast<uint32_t>(n)))
        {
            std::string loop;
            for (uint32_t p : path)
            {
                loop += m_scenario.nodes[p].name + " -> ";
            }
            *why = "routing loop: " + loop + m_scenario.nodes[n].name;
            return std::nullopt;
        }
        cur = static_cast<uint32_t>(n);
        seen.insert(cur);
        path.push_back(cur);
    }
    *why = "more than 64 hops";
    return std::nullopt;
}

std::vector<ScenarioIssue>
ScenarioTopology::Check() const
{
    std::vector<ScenarioIssue> out;
    if (m_scenario.nodes.empty())
    {
        return out;
    }
    CheckConnected(out);
    const auto owner = CheckDuplicateAddresses(out);
    CheckExternalNetworks(owner, out);
    CheckSubnets(out);
    CheckGateways(out);
    if (std::any_of(out.begin(), out.end(), [](const ScenarioIssue& i) { return !i.warning; }))
    {
        return out; // routes over a broken graph would only repeat the errors above
    }
    for (size_t i = 0; i < m_scenario.nodes.size(); ++i)
    {
        if (m_scenario.nodes[i].IsRouter())
        {
            CheckPeers(static_cast<uint32_t>(i), out);
        }
    }
    CheckTrafficRoutes(out);
    return out;
}

/** Unconnected nodes: no link at all, or a part of the graph apart from the first node's. */
void
ScenarioTopology::CheckConnected(std::vector<ScenarioIssue>& out) const
{
    const Scenario& s = m_scenario;
    std::vector<int> component(boost::num_vertices(m_graph));
    const int parts = boost::connected_components(m_graph, component.data());
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (boost::out_degree(i, m_graph) == 0)
        {
            out.push_back(
                {s.nodes[i].pointer,
                 "node " + Quote(s.nodes[i].name) + " has no link (no \"links\" item names it)",
                 false});
        }
    }
    if (parts <= 1)
    {
        return;
    }
    // The largest part is "the network"; nodes outside it are reported.
    std::map<int, size_t> size;
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        ++size[component[i]];
    }
    int main = component[0];
    for (const auto& [c, n] : size)
    {
        if (n > size[main])
        {
            main = c;
        }
    }
    uint32_t anchor = 0;
    while (component[anchor] != main)
    {
        ++anchor;
    }
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (component[i] != main && boost::out_degree(i, m_graph) > 0)
        {
            out.push_back({s.nodes[i].pointer,
                           "node " + Quote(s.nodes[i].name) + " is not connected to " +
                               Quote(s.nodes[anchor].name) + " (no chain of links joins them)",
                           false});
        }
    }
}

/** Duplicate addresses. @return every address and its owner ("R1:Ethernet0"). */
std::map<uint32_t, std::string>
ScenarioTopology::CheckDuplicateAddresses(std::vector<ScenarioIssue>& out) const
{
    std::map<uint32_t, std::string> owner;
    for (const auto& n : m_scenario.nodes)
    {
        if (!n.IsRouter())
        {
            const auto [it, fresh] = owner.emplace(n.address.Get(), n.name + ":" + n.hostInterface);
            if (!fresh)
            {
                out.push_back({n.pointer + "/address",
                               AddressText(n.address) + " is already the address of " + it->second,
                               false});
            }
            continue;
        }
        for (const auto& f : n.config.interfaces)
        {
            if (!f.address)
            {
                continue;
            }
            const auto [it, fresh] = owner.emplace(f.address->Get(), n.name + ":" + f.name);
            if (!fresh)
            {
                out.push_back({ConfigPointer(n, f.where.line),
                               ConfigWhere(n, f.where) + "interface " + f.name + ": " +
                                   AddressText(*f.address) + " is already the address of " +
                                   it->second,
                               false});
            }
        }
    }
    return owner;
}

/** The networks of an external node hold no address of another node (an address has one
 *  owner, for traffic and for following routes). */
void
ScenarioTopology::CheckExternalNetworks(const std::map<uint32_t, std::string>& owner,
                                        std::vector<ScenarioIssue>& out) const
{
    for (const auto& n : m_scenario.nodes)
    {
        for (size_t k = 0; k < n.networks.size(); ++k)
        {
            const auto& [net, mask] = n.networks[k];
            for (const auto& [addr, who] : owner)
            {
                const Ipv4Address a(addr);
                if (who.rfind(n.name + ":", 0) != 0 && a.CombineMask(mask) == net.CombineMask(mask))
                {
                    out.push_back({n.pointer + "/networks/" + std::to_string(k),
                                   AddressText(net) + "/" + std::to_string(mask.GetPrefixLength()) +
                                       " holds " + AddressText(a) + ", the address of " + who,
                                   false});
                }
            }
        }
    }
}

/** The ends of one medium should share a subnet. */
void
ScenarioTopology::CheckSubnets(std::vector<ScenarioIssue>& out) const
{
    const Scenario& s = m_scenario;
    for (const auto& seg : s.segments)
    {
        std::optional<std::pair<Ipv4Address, Ipv4Mask>> first;
        ScenarioEndpoint firstEnd;
        for (const auto& e : seg.ends)
        {
            auto a = s.AddressOf(e);
            if (!a)
            {
                out.push_back({s.nodes[e.node].pointer,
                               s.Describe(e) + " has a link but no IP address", true});
                continue;
            }
            if (!first)
            {
                first = a;
                firstEnd = e;
            }
            else if (!SameSubnet(first->first, first->second, a->first) ||
                     !SameSubnet(a->first, a->second, first->first))
            {
                out.push_back({s.nodes[e.node].pointer,
                               s.Describe(e) + " (" + AddressText(a->first) + ") and " +
                                   s.Describe(firstEnd) + " (" + AddressText(first->first) +
                                   ") share a link but not a subnet",
                               true});
            }
        }
    }
}

/** A host's gateway must be on its segment. */
void
ScenarioTopology::CheckGateways(std::vector<ScenarioIssue>& out) const
{
    for (size_t i = 0; i < m_scenario.nodes.size(); ++i)
    {
        const ScenarioNode& n = m_scenario.nodes[i];
        if (n.IsRouter() || !n.gateway || boost::out_degree(i, m_graph) == 0)
        {
            continue;
        }
        if (Neighbour(static_cast<uint32_t>(i), n.hostInterface, *n.gateway) < 0)
        {
            out.push_back({n.pointer + "/gateway",
                           "no node on " + n.name + "'s link has the gateway address " +
                               AddressText(*n.gateway),
                           false});
        }
    }
}

/** Every `set peer` of a crypto map applied to an interface of router @p i must be reachable
 *  by the configured routes; IKE policies must be ones IKE can agree on. */
void
ScenarioTopology::CheckPeers(uint32_t i, std::vector<ScenarioIssue>& out) const
{
    const ScenarioNode& n = m_scenario.nodes[i];
    std::set<std::string> applied;
    for (const auto& f : n.config.interfaces)
    {
        if (!f.cryptoMap.empty() && !f.shutdown)
        {
            applied.insert(f.cryptoMap);
        }
    }
    // IKE with certificates is not modelled: such a policy can never be agreed.
    bool usesIke = false;
    for (const auto& e : n.config.cryptoMaps)
    {
        usesIke |= applied.count(e.map) && e.kind != IosCryptoMapKind::IPSEC_MANUAL;
    }
    for (const auto& [prio, pol] : n.config.isakmpPolicies)
    {
        if (usesIke && pol.authentication != IosIsakmpAuthentication::PRE_SHARE)
        {
            out.push_back({ConfigPointer(n, pol.where.line),
                           ConfigWhere(n, pol.where) + "crypto isakmp policy " +
                               std::to_string(prio) +
                               ": authentication by certificates (rsa-sig, rsa-encr) is not "
                               "modelled; IKE never agrees on this policy",
                           true});
        }
    }
    for (const auto& e : n.config.cryptoMaps)
    {
        if (!applied.count(e.map))
        {
            continue;
        }
        for (const auto& peer : e.peers)
        {
            CheckPeer(i, e, peer, out);
        }
    }
}

void
ScenarioTopology::CheckPeer(uint32_t i, const IosCryptoMapEntry& e, const std::string& peer,
                            std::vector<ScenarioIssue>& out) const
{
    const Scenario& s = m_scenario;
    const ScenarioNode& n = s.nodes[i];
    const std::string where = ConfigWhere(n, e.where) + "crypto map " + e.map + " " +
                              std::to_string(e.seq) + ": set peer " + peer;
    auto addr = ParseDottedQuad(peer);
    if (!addr)
    {
        out.push_back({ConfigPointer(n, e.where.line),
                       where + ": a host name; its reachability is not checked", true});
        return;
    }
    std::string why;
    auto path = Trace(i, *addr, &why);
    if (!path)
    {
        out.push_back(
            {ConfigPointer(n, e.where.line), where + " cannot be reached: " + why, false});
    }
    else if (!s.nodes[path->back()].IsRouter() && !s.nodes[path->back()].IsExternal())
    {
        out.push_back({ConfigPointer(n, e.where.line),
                       where + " is host " + s.nodes[path->back()].name + ", which runs no IPsec",
                       true});
    }
}

/** Traffic with no route there or back: a warning (the run may mean to show exactly that). */
void
ScenarioTopology::CheckTrafficRoutes(std::vector<ScenarioIssue>& out) const
{
    const Scenario& s = m_scenario;
    for (const auto& t : s.traffic)
    {
        std::string why;
        if (!Trace(t.from, t.to, &why))
        {
            out.push_back({t.pointer,
                           "no route from " + s.nodes[t.from].name + " to " + t.toText + ": " + why,
                           true});
            continue;
        }
        const ScenarioNode& src = s.nodes[t.from];
        if (!src.IsRouter() && !Trace(t.toNode, src.address, &why))
        {
            out.push_back({t.pointer,
                           "no route back from " + s.nodes[t.toNode].name + " to " +
                               AddressText(src.address) + ": " + why,
                           true});
        }
    }
}

} // namespace ns3
