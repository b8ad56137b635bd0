// Import: the provider router. People export their site routers, never the provider between
// them: where a site's route leads to a next hop no exported router owns, or out of an interface
// no other exported router is on, a router "ISP" is added that owns those next hops (or an
// address of its own in the subnet) and routes between the sites' tunnel endpoints.
#include "scenario-import-impl.h"

#include <set>
#include <sstream>

namespace ns3
{
namespace import_detail
{

namespace
{

/** The subnet of router @p r's interface @p name, if it has one. */
std::optional<size_t>
SubnetOfInterface(const ImportNetwork& n, size_t r, const std::string& name)
{
    for (size_t s : n.SubnetsOf(r))
    {
        for (const auto& e : n.subnets[s].ends)
        {
            if (e.router == r && e.interface == name)
            {
                return s;
            }
        }
    }
    return std::nullopt;
}

std::string
RouteText(const IosRoute& rt)
{
    std::string t = "ip route " + Addr(rt.network) + " " + Addr(Ipv4Address(rt.mask.Get()));
    if (!rt.interface.empty())
    {
        t += " " + rt.interface;
    }
    if (rt.nextHop)
    {
        t += " " + Addr(*rt.nextHop);
    }
    return t;
}

void
JoinProvider(ImportNetwork& n, size_t s, std::optional<Ipv4Address> nextHop, const std::string& why)
{
    ImportSubnet& sub = n.subnets[s];
    if (sub.medium == ImportMedium::SERIAL && sub.ends.size() >= 2)
    {
        n.warnings.push_back(why + ", but " + Prefix(sub.network, sub.mask) +
                             " is a serial line between two exported routers already: no "
                             "provider there");
        return;
    }
    if (sub.medium == ImportMedium::OTHER)
    {
        n.warnings.push_back(why + ", but the interface on " + Prefix(sub.network, sub.mask) +
                             " is of a type a scenario link cannot join: no provider there");
        return;
    }
    if (nextHop && sub.providerAddr && *sub.providerAddr != *nextHop)
    {
        n.warnings.push_back(why + ", but the provider already takes " + Addr(*sub.providerAddr) +
                             " on " + Prefix(sub.network, sub.mask) +
                             ": that route stays unanswered");
        return;
    }
    if (!sub.provider)
    {
        sub.why = why;
    }
    sub.provider = true;
    if (nextHop)
    {
        sub.providerAddr = nextHop;
    }
}

/** Routes of router @p r that lead out of the folder. */
void
FindExits(ImportNetwork& n, size_t r)
{
    const ImportRouter& rt = n.routers[r];
    for (const auto& route : rt.cfg.routes)
    {
        const std::string said = rt.name + "'s `" + RouteText(route) + "`";
        if (route.nextHop && !n.Owner(*route.nextHop))
        {
            std::optional<size_t> on;
            for (size_t s : n.SubnetsOf(r))
            {
                if (n.subnets[s].Contains(*route.nextHop))
                {
                    on = s;
                }
            }
            if (on)
            {
                JoinProvider(n, *on, route.nextHop,
                             "next hop " + Addr(*route.nextHop) + " of " + said +
                                 " belongs to no router in the folder");
            }
            else
            {
                n.warnings.push_back("next hop " + Addr(*route.nextHop) + " of " + said +
                                     " is on none of its linked subnets: route not followed");
            }
        }
        else if (!route.nextHop && !route.interface.empty())
        {
            auto s = SubnetOfInterface(n, r, route.interface);
            if (s && n.subnets[*s].ends.size() == 1)
            {
                JoinProvider(n, *s, std::nullopt,
                             said + " leads out of " + route.interface +
                                 ", which no other router in the folder is on");
            }
        }
    }
}

/** Tunnel endpoints the routers name: crypto map peers and tunnel destinations. */
std::set<uint32_t>
Endpoints(ImportNetwork& n)
{
    std::set<uint32_t> out;
    auto note = [&](size_t r, Ipv4Address a, const std::string& what)
    {
        if (!n.Owner(a))
        {
            n.warnings.push_back(what + " " + Addr(a) + " of " + n.routers[r].name +
                                 " belongs to no router in the folder: that tunnel will not "
                                 "come up (add that router's configuration to the folder)");
        }
        out.insert(a.Get());
    };
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        for (const auto& e : n.routers[r].cfg.cryptoMaps)
        {
            for (const auto& p : e.peers)
            {
                if (auto a = n.routers[r].cfg.ResolvePeer(p)) // a name by the router's ip host
                {
                    note(r, *a, "peer");
                }
            }
        }
        for (const auto& i : n.routers[r].cfg.interfaces)
        {
            if (i.tunnelDestination)
            {
                note(r, *i.tunnelDestination, "tunnel destination");
            }
        }
    }
    return out;
}

/** The lowest usable address of @p s that no router on it has. */
std::optional<Ipv4Address>
FreeAddress(const ImportSubnet& s)
{
    const uint32_t net = s.network.Get();
    const uint32_t broadcast = net | ~s.mask.Get();
    for (uint32_t a = net + 1; a < broadcast; ++a)
    {
        bool used = false;
        for (const auto& e : s.ends)
        {
            used = used || e.address.Get() == a;
        }
        if (!used)
        {
            return Ipv4Address(a);
        }
    }
    return std::nullopt;
}

std::string
UniqueName(const ImportNetwork& n, const std::string& base)
{
    for (int k = 1;; ++k)
    {
        const std::string name = k == 1 ? base : base + "-" + std::to_string(k);
        bool taken = false;
        for (const auto& r : n.routers)
        {
            taken = taken || r.name == name;
        }
        if (!taken)
        {
            return name;
        }
    }
}

/** Routes to the endpoints that are not on the provider's own subnets. */
void
ProviderRoutes(ImportNetwork& n, const std::set<uint32_t>& endpoints, std::ostream& cfg)
{
    for (uint32_t e : endpoints)
    {
        const Ipv4Address a(e);
        auto owner = n.Owner(a);
        bool connected = false;
        std::optional<Ipv4Address> via;
        for (const auto& s : n.subnets)
        {
            if (!s.provider)
            {
                continue;
            }
            connected = connected || s.Contains(a);
            for (const auto& end : s.ends)
            {
                if (owner && end.router == *owner && !via)
                {
                    via = end.address;
                }
            }
        }
        if (!owner || connected)
        {
            continue;
        }
        if (!via)
        {
            continue; // the sites reach it without the provider
        }
        cfg << "ip route " << a << " 255.255.255.255 " << *via << "\n";
        n.guesses.push_back("the provider routes " + Addr(a) + " (a tunnel endpoint of " +
                            n.routers[*owner].name + ") to " + Addr(*via));
    }
}

} // namespace

void
InventProvider(ImportNetwork& n)
{
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        FindExits(n, r);
    }
    const std::set<uint32_t> endpoints = Endpoints(n);
    bool any = false;
    for (const auto& s : n.subnets)
    {
        any = any || s.provider;
    }
    if (!any)
    {
        return;
    }
    ImportRouter isp;
    isp.name = UniqueName(n, "ISP");
    isp.configFile = isp.name + ".cfg";
    std::ostringstream cfg;
    cfg << "! " << isp.name << ": the provider between the sites, invented by the import (no "
        << "configuration of it was in the folder).\n! It owns the next hops the sites route to "
        << "and carries their tunnels' packets; it has no IPsec.\nhostname " << isp.name << "\n";
    const size_t self = n.routers.size();
    int serial = 0;
    int ethernet = 0;
    for (auto& s : n.subnets)
    {
        if (!s.provider)
        {
            continue;
        }
        auto addr = s.providerAddr ? s.providerAddr : FreeAddress(s);
        if (!addr)
        {
            n.warnings.push_back("no free address for the provider on " +
                                 Prefix(s.network, s.mask));
            s.provider = false;
            continue;
        }
        const std::string ifName = s.medium == ImportMedium::SERIAL
                                       ? "Serial0/" + std::to_string(serial++)
                                       : "FastEthernet0/" + std::to_string(ethernet++);
        std::string faces;
        for (const auto& e : s.ends)
        {
            faces += (faces.empty() ? "" : ", ") + n.routers[e.router].name + " " + e.interface;
        }
        cfg << "! facing " << faces << "\ninterface " << ifName << "\n ip address " << *addr << " "
            << Ipv4Address(s.mask.Get()) << "\n";
        n.guesses.push_back(
            "provider " + isp.name + " " + ifName + " " + Addr(*addr) + " on " +
            Prefix(s.network, s.mask) + " (facing " + faces + "): " + s.why +
            (s.providerAddr ? "; it takes that address" : "; it takes the first free address"));
        s.ends.push_back({self, ifName, *addr});
    }
    cfg << "!\n";
    ProviderRoutes(n, endpoints, cfg);
    isp.text = cfg.str();
    isp.cfg = IosConfigReader::Parse(isp.text, isp.configFile);
    n.routers.push_back(std::move(isp));
    n.provider = self;
}

} // namespace import_detail
} // namespace ns3
