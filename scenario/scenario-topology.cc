#include "scenario-reader.h"

#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace ns3
{

using namespace scenario_detail;

// --- the topology graph ---------------------------------------------------------------------

ScenarioTopology::ScenarioTopology(const Scenario& s)
    : m_scenario(s), m_graph(s.nodes.size() + s.segments.size()), m_index(s)
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (!s.nodes[i].IsRouter())
        {
            continue;
        }
        for (const auto& f : s.nodes[i].config.interfaces)
        {
            if (f.address && f.cryptoMap.size())
            {
                m_cryptoInterfaces.emplace_back(static_cast<uint32_t>(i), &f);
                IndexCallerSources(static_cast<uint32_t>(m_cryptoInterfaces.size() - 1));
            }
        }
    }
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
    IpsecFlow flow;
    flow.src = Ipv4Address::GetAny();
    flow.dst = dst;
    return TraceFlow(from, flow, why, 0);
}

std::optional<std::vector<uint32_t>>
ScenarioTopology::TraceFlow(uint32_t from, const IpsecFlow& flow, std::string* why) const
{
    return TraceFlow(from, flow, why, 0);
}

namespace
{
/** Tunnels and crypto maps inside each other deeper than this are taken for a loop. */
constexpr int kMaxNesting = 8;

/** The address of interface @p name of @p n, if it has one. */
std::optional<Ipv4Address>
InterfaceAddress(const ScenarioNode& n, const std::string& name)
{
    if (!n.IsRouter())
    {
        return n.address;
    }
    const IosInterface* f = n.config.FindInterface(name);
    return f ? f->address : std::nullopt;
}

/** @p a is the address of an interface of router @p n. */
bool
HasAddress(const ScenarioNode& n, Ipv4Address a)
{
    return n.IsRouter() &&
           std::any_of(n.config.interfaces.begin(), n.config.interfaces.end(),
                       [a](const IosInterface& f) { return f.address && *f.address == a; });
}
} // namespace

std::optional<std::vector<uint32_t>>
ScenarioTopology::TraceFlow(uint32_t from, IpsecFlow flow, std::string* why, int nesting) const
{
    std::vector<uint32_t> path{from};
    std::set<uint32_t> seen{from};
    uint32_t cur = from;
    const std::string dstText = AddressText(flow.dst);
    if (nesting > kMaxNesting)
    {
        *why = "tunnels and crypto maps nested more than " + std::to_string(kMaxNesting) +
               " deep on the way to " + dstText + " (a loop?)";
        return std::nullopt;
    }
    for (int hops = 0; hops < 64; ++hops)
    {
        // A static NAT router (ip nat inside source static) sends its global addresses on to
        // the inside local ones.
        if (m_scenario.nodes[cur].IsRouter())
        {
            for (const auto& n : m_scenario.nodes[cur].config.staticNat)
            {
                if (n.global == flow.dst)
                {
                    flow.dst = n.local;
                    break;
                }
            }
        }
        if (m_index.ByAddress(flow.dst) == static_cast<int32_t>(cur))
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
        auto hop = Lookup(cur, flow.dst);
        if (!hop)
        {
            hop = ReverseRoute(cur, flow);
        }
        if (!hop)
        {
            *why = name + " has no route to " + dstText;
            return std::nullopt;
        }
        if (flow.src == Ipv4Address::GetAny())
        {
            // The router's own packet: IOS gives it the outgoing interface's address.
            flow.src = InterfaceAddress(m_scenario.nodes[cur], hop->interface)
                           .value_or(Ipv4Address::GetAny());
        }
        const int32_t n = NextNode(cur, *hop, flow, why, nesting, path);
        if (n < 0)
        {
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

int32_t
ScenarioTopology::NextNode(uint32_t cur, const Hop& hop, const IpsecFlow& flow, std::string* why,
                           int nesting, std::vector<uint32_t>& path) const
{
    const ScenarioNode& node = m_scenario.nodes[cur];
    const IosInterface* out = node.IsRouter() ? node.config.FindInterface(hop.interface) : nullptr;
    if (out && hop.interface.rfind("Tunnel", 0) == 0)
    {
        return ThroughTunnel(cur, *out, flow, why, nesting, path);
    }
    // The router's own ESP (a crypto map's or a tunnel's) is not encrypted again.
    const bool ownEsp = flow.protocol == 50 && HasAddress(node, flow.src);
    Ipv4Address peer;
    const IosCryptoMapEntry* e =
        out && !ownEsp ? ProtectingEntry(node, *out, flow, &peer) : nullptr;
    if (e)
    {
        return ThroughCryptoMap(cur, *out, *e, peer, flow, why, nesting, path);
    }
    const int32_t n = Neighbour(cur, hop.interface, hop.nextHop.value_or(flow.dst));
    if (n < 0)
    {
        *why = NoNeighbourReason(cur, hop, flow.dst);
    }
    return n;
}

/** Into a GRE tunnel or a virtual tunnel interface: the packet travels to the tunnel's
 *  destination inside the router's own GRE (or ESP) packet, and comes out of the router that
 *  owns that address. */
int32_t
ScenarioTopology::ThroughTunnel(uint32_t cur, const IosInterface& tunnel, const IpsecFlow& flow,
                                std::string* why, int nesting, std::vector<uint32_t>& path) const
{
    const ScenarioNode& node = m_scenario.nodes[cur];
    const std::string into =
        node.name + " routes " + AddressText(flow.dst) + " into " + tunnel.name;
    if (!tunnel.tunnelDestination)
    {
        *why = into + ", which has no tunnel destination";
        return -1;
    }
    IpsecFlow outer;
    outer.dst = *tunnel.tunnelDestination;
    // `tunnel source` names an interface or gives an address; without it, the outgoing
    // interface's address.
    auto source = ParseDottedQuad(tunnel.tunnelSource);
    if (!source && !tunnel.tunnelSource.empty())
    {
        source = InterfaceAddress(node, tunnel.tunnelSource);
    }
    outer.src = source.value_or(Ipv4Address::GetAny());
    const bool esp = tunnel.tunnelModeIpsec || !tunnel.tunnelProtection.empty();
    outer.protocol = esp ? 50 : 47;
    std::string w;
    auto outerPath = TraceFlow(cur, outer, &w, nesting + 1);
    if (!outerPath)
    {
        *why = into + ", whose " + (tunnel.tunnelModeIpsec ? "ESP" : "GRE") + " to " +
               AddressText(outer.dst) + " goes nowhere: " + w;
        return -1;
    }
    for (size_t k = 1; k + 1 < outerPath->size(); ++k)
    {
        path.push_back((*outerPath)[k]); // the routers the tunnel's packets cross
    }
    return static_cast<int32_t>(outerPath->back());
}

/** Protected by a crypto map entry: ESP from the interface's address to the peer; the peer
 *  decrypts it and routes the inner packet on. */
int32_t
ScenarioTopology::ThroughCryptoMap(uint32_t cur, const IosInterface& out,
                                   const IosCryptoMapEntry& e, Ipv4Address peer,
                                   const IpsecFlow& flow, std::string* why, int nesting,
                                   std::vector<uint32_t>& path) const
{
    const ScenarioNode& node = m_scenario.nodes[cur];
    IpsecFlow outer;
    outer.src = out.address.value_or(Ipv4Address::GetAny());
    outer.dst = peer;
    outer.protocol = 50;
    std::string w;
    auto outerPath = TraceFlow(cur, outer, &w, nesting + 1);
    if (!outerPath)
    {
        *why = node.name + " protects " + AddressText(flow.src) + " -> " + AddressText(flow.dst) +
               " by crypto map " + e.map + " " + std::to_string(e.seq) + " on " + out.name +
               ", whose ESP to peer " + AddressText(peer) + " goes nowhere: " + w;
        return -1;
    }
    for (size_t k = 1; k + 1 < outerPath->size(); ++k)
    {
        path.push_back((*outerPath)[k]); // the routers the ESP packets cross
    }
    return static_cast<int32_t>(outerPath->back());
}

namespace
{
/** How the access list @p name of @p n decides @p flow: the first line that matches (none, or no
 *  such list: not permitted). An entry without `match address` protects nothing. */
bool
AclPermits(const ScenarioNode& n, const std::string& name, const IpsecFlow& flow)
{
    auto acl = n.config.accessLists.find(name);
    if (name.empty() || acl == n.config.accessLists.end())
    {
        return false;
    }
    const auto& lines = acl->second.entries;
    auto line = std::find_if(lines.begin(), lines.end(),
                             [&](const IosAclEntry& l) { return l.selector.Matches(flow); });
    return line != lines.end() && line->permit;
}
} // namespace

/** The route a crypto map entry with `reverse-route` installs for the networks it protects
 *  (static: at once; dynamic: once the peer calls in): out of the map's interface, to the peer. */
std::optional<ScenarioTopology::Hop>
ScenarioTopology::ReverseRoute(uint32_t cur, const IpsecFlow& flow) const
{
    const ScenarioNode& n = m_scenario.nodes[cur];
    if (!n.IsRouter())
    {
        return std::nullopt;
    }
    for (const auto& f : n.config.interfaces)
    {
        Ipv4Address peer;
        const IosCryptoMapEntry* e = ProtectingEntry(n, f, flow, &peer);
        if (e && e->reverseRoute)
        {
            return Hop{f.name, e->reverseRoute->nextHop.value_or(peer)};
        }
    }
    return std::nullopt;
}

const IosCryptoMapEntry*
ScenarioTopology::ProtectingEntry(const ScenarioNode& n, const IosInterface& out,
                                  const IpsecFlow& flow, Ipv4Address* peer, bool dynamic) const
{
    if (out.cryptoMap.empty() || out.shutdown)
    {
        return nullptr;
    }
    for (const auto& e : n.config.cryptoMaps)
    {
        if (e.map != out.cryptoMap)
        {
            continue;
        }
        if (e.kind == IosCryptoMapKind::DYNAMIC_REFERENCE)
        {
            if (const IosCryptoMapEntry* t =
                    dynamic ? DynamicEntry(n, e.dynamicMap, flow, peer) : nullptr)
            {
                return t;
            }
            continue;
        }
        if (!AclPermits(n, e.matchAddress, flow))
        {
            continue;
        }
        for (const auto& p : e.peers)
        {
            if (auto a = n.config.ResolvePeer(p)) // a host name as the router resolves it
            {
                *peer = *a;
                return &e;
            }
        }
    }
    return nullptr;
}

namespace
{
/** The leading fixed bits of an IOS wildcard mask (1 bits = don't care): every address a line
 *  with this wildcard matches shares them with the line's address. */
uint8_t
FixedPrefixLength(uint32_t wildcard)
{
    return wildcard == 0 ? 32 : static_cast<uint8_t>(__builtin_clz(wildcard));
}

uint64_t
SourceKey(uint8_t prefixLength, Ipv4Address a)
{
    const uint32_t mask = prefixLength == 0 ? 0 : 0xffffffffu << (32 - prefixLength);
    return (uint64_t(prefixLength) << 32) | (a.Get() & mask);
}
} // namespace

/** Files m_cryptoInterfaces[@p k] under the source network of every permit line of the access
 *  lists its crypto map's entries match on (ProtectingEntry without dynamic maps finds an entry
 *  only through such a line). */
void
ScenarioTopology::IndexCallerSources(uint32_t k)
{
    const auto& [node, f] = m_cryptoInterfaces[k];
    const IosRouterConfig& config = m_scenario.nodes[node].config;
    for (const auto& e : config.cryptoMaps)
    {
        auto acl = config.accessLists.find(e.matchAddress);
        if (e.map != f->cryptoMap || e.kind == IosCryptoMapKind::DYNAMIC_REFERENCE ||
            acl == config.accessLists.end())
        {
            continue;
        }
        for (const IosAclEntry& line : acl->second.entries)
        {
            if (!line.permit)
            {
                continue;
            }
            const uint8_t length = FixedPrefixLength(line.selector.srcWildcard);
            std::vector<uint32_t>& callers =
                m_callersBySource[SourceKey(length, line.selector.srcAddr)];
            if (callers.empty() || callers.back() != k)
            {
                callers.push_back(k);
            }
            if (std::find(m_callerPrefixLengths.begin(), m_callerPrefixLengths.end(), length) ==
                m_callerPrefixLengths.end())
            {
                m_callerPrefixLengths.push_back(length);
            }
        }
    }
}

/** The indices into m_cryptoInterfaces, in order, of the interfaces whose crypto map may protect
 *  a flow from @p source (a superset: ProtectingEntry decides). */
std::vector<uint32_t>
ScenarioTopology::CallersFrom(Ipv4Address source) const
{
    std::vector<uint32_t> out;
    for (uint8_t length : m_callerPrefixLengths)
    {
        auto it = m_callersBySource.find(SourceKey(length, source));
        if (it != m_callersBySource.end())
        {
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/** A dynamic map protects a flow only towards a peer that has called in: a router whose own
 *  crypto map names an address of @p n as its peer and protects the flow's way back. */
const IosCryptoMapEntry*
ScenarioTopology::DynamicEntry(const ScenarioNode& n, const std::string& dynamicMap,
                               const IpsecFlow& flow, Ipv4Address* peer) const
{
    for (const auto& t : n.config.dynamicMaps)
    {
        if (t.map != dynamicMap ||
            (!t.matchAddress.empty() && !AclPermits(n, t.matchAddress, flow)))
        {
            continue;
        }
        for (uint32_t k : CallersFrom(flow.dst)) // the reversed flow's source
        {
            const auto& [node, f] = m_cryptoInterfaces[k];
            const ScenarioNode& caller = m_scenario.nodes[node];
            if (&caller == &n)
            {
                continue;
            }
            Ipv4Address back;
            const IosCryptoMapEntry* e = ProtectingEntry(caller, *f, flow.Reversed(), &back, false);
            if (e && e->kind != IosCryptoMapKind::DYNAMIC_TEMPLATE && HasAddress(n, back))
            {
                *peer = *f->address;
                return &t;
            }
        }
    }
    return nullptr;
}

std::string
ScenarioTopology::NoNeighbourReason(uint32_t cur, const Hop& hop, Ipv4Address dst) const
{
    const std::string& name = m_scenario.nodes[cur].name;
    const std::string dstText = AddressText(dst);
    bool linked = false;
    for (auto [ei, eend] = boost::out_edges(cur, m_graph); ei != eend; ++ei)
    {
        linked |= m_graph[*ei].interface == hop.interface;
    }
    if (!linked)
    {
        return name + " routes " + dstText + " out of " + hop.interface + ", which has no link";
    }
    if (hop.nextHop)
    {
        return name + " routes " + dstText + " via " + AddressText(*hop.nextHop) +
               ", which no node on " + name + ":" + hop.interface + "'s link has";
    }
    return dstText + " is on no node of " + name + ":" + hop.interface + "'s link";
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
    // rsa-sig needs a certificate, rsa-encr the router's keys and the peers' public keys
    // (doc/pki.md): a policy whose material the configuration never provides cannot be agreed
    // (unless it is entered at the console during the run).
    bool usesIke = false;
    for (const auto& e : n.config.cryptoMaps)
    {
        usesIke |= applied.count(e.map) && e.kind != IosCryptoMapKind::IPSEC_MANUAL;
    }
    const IosPkiConfig& pki = n.config.pki;
    bool peerKeys = !pki.peerKeys.empty();
    for (const auto& [name, ring] : n.config.keyrings)
    {
        peerKeys |= !ring.rsaKeys.empty();
    }
    for (const auto& [prio, pol] : n.config.isakmpPolicies)
    {
        std::string missing;
        if (pol.authentication == IosIsakmpAuthentication::RSA_SIG && pki.trustpoints.empty())
        {
            missing = "rsa-sig needs a certificate, and no crypto pki trustpoint is configured";
        }
        else if (pol.authentication == IosIsakmpAuthentication::RSA_ENCR &&
                 ((pki.keyGenerations.empty() && pki.trustpoints.empty()) || !peerKeys))
        {
            missing = "rsa-encr needs the router's RSA keys (crypto key generate rsa) and the "
                      "peers' public keys (crypto key pubkey-chain rsa)";
        }
        if (usesIke && !missing.empty())
        {
            out.push_back({ConfigPointer(n, pol.where.line),
                           ConfigWhere(n, pol.where) + "crypto isakmp policy " +
                               std::to_string(prio) + ": " + missing +
                               " (doc/pki.md); IKE cannot agree on this policy",
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
    auto addr = n.config.ResolvePeer(peer); // a host name as the router resolves it
    if (!addr)
    {
        out.push_back({ConfigPointer(n, e.where.line),
                       where + ": a host name that does not resolve yet (ip host, \"hosts\"); "
                               "its reachability is not checked",
                       true});
        return;
    }
    std::string why;
    IpsecFlow esp; // the router's ESP to its peer
    esp.src = Ipv4Address::GetAny();
    esp.dst = *addr;
    esp.protocol = 50;
    auto path = TraceFlow(i, esp, &why);
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
        const ScenarioNode& src = s.nodes[t.from];
        IpsecFlow flow; // as the crypto maps on the way see it (ports are not matched)
        flow.src = src.IsRouter() ? Ipv4Address::GetAny() : src.address;
        flow.dst = t.to;
        flow.protocol = t.kind == ScenarioTrafficKind::PING  ? 1
                        : t.kind == ScenarioTrafficKind::TCP ? 6
                                                             : 17;
        if (!TraceFlow(t.from, flow, &why))
        {
            out.push_back({t.pointer,
                           "no route from " + s.nodes[t.from].name + " to " + t.toText + ": " + why,
                           true});
            continue;
        }
        if (!src.IsRouter() && !TraceFlow(t.toNode, flow.Reversed(), &why))
        {
            out.push_back({t.pointer,
                           "no route back from " + s.nodes[t.toNode].name + " to " +
                               AddressText(src.address) + ": " + why,
                           true});
        }
    }
}

} // namespace ns3
