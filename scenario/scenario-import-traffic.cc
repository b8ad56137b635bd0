// Import: hosts on the LANs and the traffic between them that the crypto ACLs and the tunnels
// (GRE, or virtual tunnel interfaces: any interface with a tunnel destination) protect.
#include "scenario-import-impl.h"

#include <set>

namespace ns3
{
namespace import_detail
{

namespace
{

const IosInterface*
FindInterface(const ImportNetwork& n, size_t r, const std::string& name)
{
    return n.routers[r].cfg.FindInterface(name);
}

/** An address for a host on @p s: the tenth of the subnet if it is free, else the first free. */
std::optional<Ipv4Address>
HostAddress(const ImportSubnet& s)
{
    const uint32_t net = s.network.Get();
    const uint32_t broadcast = net | ~s.mask.Get();
    auto free = [&](uint32_t a)
    {
        for (const auto& e : s.ends)
        {
            if (e.address.Get() == a)
            {
                return false;
            }
        }
        return a > net && a < broadcast;
    };
    if (free(net + 10))
    {
        return Ipv4Address(net + 10);
    }
    for (uint32_t a = net + 1; a < broadcast; ++a)
    {
        if (free(a))
        {
            return Ipv4Address(a);
        }
    }
    return std::nullopt;
}

/** Hosts of router @p r (or of any router but @p r when @p others) that an ACL address with
 *  IOS wildcard @p wildcard covers. */
std::vector<size_t>
HostsIn(const ImportNetwork& n, Ipv4Address addr, uint32_t wildcard,
        const std::set<size_t>& routers)
{
    std::vector<size_t> out;
    for (size_t h = 0; h < n.hosts.size(); ++h)
    {
        const bool covered = ((n.hosts[h].address.Get() ^ addr.Get()) & ~wildcard) == 0;
        if (covered && routers.count(n.hosts[h].router))
        {
            out.push_back(h);
        }
    }
    return out;
}

void
AddPair(ImportNetwork& n, size_t a, size_t b, const std::string& why, bool prime)
{
    for (const auto& [from, to] : {std::make_pair(a, b), std::make_pair(b, a)})
    {
        bool known = false;
        for (auto& f : n.flows)
        {
            if (f.from == from && f.to == to)
            {
                known = true;
                f.prime = f.prime || (prime && from == a);
            }
        }
        if (!known)
        {
            n.flows.push_back({from, to, why, prime && from == a});
        }
    }
}

std::string
SelectorText(const IosAclEntry& e)
{
    return e.text.empty() ? "an ACL line" : "`" + e.text + "`";
}

/** The routers the peers of @p e name; every router but @p r when it names none we know. */
std::set<size_t>
PeerRouters(const ImportNetwork& n, size_t r, const IosCryptoMapEntry& e)
{
    std::set<size_t> out;
    for (const auto& name : e.peers)
    {
        auto a = n.routers[r].cfg.ResolvePeer(name); // a name by the router's ip host
        const std::string p = a ? Addr(*a) : name;
        for (size_t o = 0; o < n.routers.size(); ++o)
        {
            for (const auto& i : n.routers[o].cfg.interfaces)
            {
                if (i.address && Addr(*i.address) == p)
                {
                    out.insert(o);
                }
            }
        }
    }
    if (out.empty())
    {
        for (size_t o = 0; o < n.routers.size(); ++o)
        {
            if (o != r)
            {
                out.insert(o);
            }
        }
    }
    return out;
}

/** Flows for one crypto map entry (or dynamic map template) of router @p r. */
void
EntryFlows(ImportNetwork& n, size_t r, const IosCryptoMapEntry& e, bool initiates)
{
    const auto& cfg = n.routers[r].cfg;
    const std::string entry = n.routers[r].name + "'s crypto map " + e.map + " " +
                              std::to_string(e.seq) + " (" + e.where.file + ":" +
                              std::to_string(e.where.line) + ")";
    auto acl = cfg.accessLists.find(e.matchAddress);
    if (e.matchAddress.empty() || acl == cfg.accessLists.end())
    {
        return;
    }
    const std::set<size_t> local = {r};
    const std::set<size_t> peers = PeerRouters(n, r, e);
    for (const auto& line : acl->second.entries)
    {
        const auto& sel = line.selector;
        if (!line.permit || sel.protocol == 47)
        {
            continue; // GRE: the tunnel's own flows cover it
        }
        if (sel.protocol != 0 && sel.protocol != 17)
        {
            n.warnings.push_back(entry + ": " + SelectorText(line) +
                                 " is not for UDP: no flow made for it");
            continue;
        }
        auto from = HostsIn(n, sel.srcAddr, sel.srcWildcard, local);
        auto to = HostsIn(n, sel.dstAddr, sel.dstWildcard, peers);
        if (from.empty() || to.empty())
        {
            n.warnings.push_back(entry + ": no host on a LAN of " +
                                 (from.empty() ? n.routers[r].name + " in the source"
                                               : std::string("a peer in the destination")) +
                                 " of " + SelectorText(line) + ": no flow made for it");
            continue;
        }
        for (size_t a : from)
        {
            for (size_t b : to)
            {
                AddPair(n, a, b,
                        entry + " protects " + SelectorText(line) + " (ACL " + e.matchAddress + ")",
                        initiates);
            }
        }
    }
}

/** Routes of router @p r that lead into tunnel @p t. */
std::vector<const IosRoute*>
RoutesInto(const ImportNetwork& n, size_t r, const IosInterface& t)
{
    std::vector<const IosRoute*> out;
    for (const auto& rt : n.routers[r].cfg.routes)
    {
        const bool viaName = !rt.interface.empty() &&
                             IosConfigReader::CanonicalInterfaceName(rt.interface) == t.name;
        const bool viaHop = rt.nextHop && t.address && t.mask.IsMatch(*rt.nextHop, *t.address);
        if (viaName || viaHop)
        {
            out.push_back(&rt);
        }
    }
    return out;
}

/** Flows through tunnel interface @p t of router @p r: from its LANs to the far end's LANs
 *  that its routes send into the tunnel. */
void
TunnelFlows(ImportNetwork& n, size_t r, const IosInterface& t)
{
    const std::string tunnel = n.routers[r].name + " " + t.name;
    auto far = n.Owner(*t.tunnelDestination);
    if (!far)
    {
        return; // reported with the endpoints
    }
    const auto routes = RoutesInto(n, r, t);
    std::vector<size_t> to;
    for (size_t h = 0; h < n.hosts.size(); ++h)
    {
        if (n.hosts[h].router != *far)
        {
            continue;
        }
        bool routed = routes.empty();
        for (const IosRoute* rt : routes)
        {
            routed = routed || rt->mask.IsMatch(n.hosts[h].address, rt->network);
        }
        if (routed)
        {
            to.push_back(h);
        }
    }
    if (routes.empty())
    {
        n.guesses.push_back(tunnel +
                            ": no static route into it; assumed that a routing "
                            "protocol carries " +
                            n.routers[*far].name + "'s LANs through it");
    }
    for (size_t from : HostsIn(n, Ipv4Address::GetAny(), 0xffffffff, {r}))
    {
        for (size_t h : to)
        {
            AddPair(n, from, h,
                    tunnel + " (to " + n.routers[*far].name + " " + Addr(*t.tunnelDestination) +
                        ") carries " + Prefix(n.hosts[h].address, n.hosts[h].mask) + " from " +
                        Prefix(n.hosts[from].address, n.hosts[from].mask),
                    true);
        }
    }
}

} // namespace

void
PlaceHosts(ImportNetwork& n)
{
    std::vector<int> count(n.routers.size(), 0);
    for (const auto& s : n.subnets)
    {
        if (s.provider || s.ends.size() != 1)
        {
            continue;
        }
        const ImportEnd& e = s.ends[0];
        const IosInterface* i = FindInterface(n, e.router, e.interface);
        if (s.medium != ImportMedium::ETHERNET || (i && !i->cryptoMap.empty()))
        {
            n.warnings.push_back(n.routers[e.router].name + " " + e.interface + " (" +
                                 Prefix(s.network, s.mask) + ") is " +
                                 (s.medium == ImportMedium::ETHERNET ? "a crypto map interface"
                                                                     : "no Ethernet LAN") +
                                 " on a subnet no other router shares: nothing attached to it");
            continue;
        }
        auto addr = HostAddress(s);
        if (!addr)
        {
            continue;
        }
        const int k = ++count[e.router];
        ImportHost h;
        h.name = n.routers[e.router].name + "-lan" + (k == 1 ? "" : std::to_string(k));
        h.address = *addr;
        h.mask = s.mask;
        h.router = e.router;
        h.interface = e.interface;
        h.gateway = e.address;
        n.guesses.push_back("host " + h.name + " " + Addr(h.address) + "/" +
                            std::to_string(s.mask.GetPrefixLength()) + " on " +
                            n.routers[e.router].name + " " + e.interface + ", gateway " +
                            Addr(h.gateway) + ": " + Prefix(s.network, s.mask) +
                            " is an Ethernet subnet no other router is on, taken for a LAN");
        n.hosts.push_back(h);
    }
}

void
InferTraffic(ImportNetwork& n)
{
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        const auto& cfg = n.routers[r].cfg;
        std::set<std::string> applied;
        for (const auto& i : cfg.interfaces)
        {
            if (!i.cryptoMap.empty())
            {
                applied.insert(i.cryptoMap);
            }
        }
        for (const auto& e : cfg.cryptoMaps)
        {
            if (!applied.count(e.map))
            {
                continue;
            }
            if (e.kind == IosCryptoMapKind::DYNAMIC_REFERENCE)
            {
                for (const auto& d : cfg.dynamicMaps)
                {
                    if (d.map == e.dynamicMap)
                    {
                        EntryFlows(n, r, d, false);
                    }
                }
                continue;
            }
            EntryFlows(n, r, e, true);
        }
        for (const auto& i : cfg.interfaces)
        {
            if (IsTunnel(i) && i.tunnelDestination && !i.shutdown)
            {
                TunnelFlows(n, r, i);
            }
        }
    }
    for (const auto& f : n.flows)
    {
        n.guesses.push_back("flow " + n.hosts[f.from].name + " -> " + n.hosts[f.to].name + ": " +
                            f.why);
    }
}

} // namespace import_detail
} // namespace ns3
