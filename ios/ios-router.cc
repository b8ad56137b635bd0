#include "ns3/ios-router.h"

#include "ns3/ios-keywords.h"
#include "ns3/ipsec-gre.h"

#include "ios-pki-state.h"
#include "ios-router-state.h"
#include "ns3/ios-show.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-static-nat.h"

#include "ns3/arp-cache.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/simple-channel.h"
#include "ns3/simple-net-device.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouter");
NS_OBJECT_ENSURE_REGISTERED(IosRouter);

namespace
{
[[noreturn]] void
Fail(const IosLocation& where, const std::string& detail)
{
    throw IosConfigError(where, 0, detail);
}

IpsecManualKeys
KeysFor(const IosCryptoMapEntry& e, bool inbound, const IpsecTransformSet& ts, bool& complete)
{
    IpsecManualKeys k;
    bool esp = false;
    bool ah = false;
    for (const auto& sk : e.sessionKeys)
    {
        if (sk.inbound != inbound)
        {
            continue;
        }
        if (sk.protocol == IpsecProtocol::ESP)
        {
            k.espSpi = sk.spi;
            k.espCipherKey = sk.cipherKey;
            k.espAuthKey = sk.authKey;
            esp = true;
        }
        else if (sk.protocol == IpsecProtocol::AH)
        {
            k.ahSpi = sk.spi;
            k.ahKey = sk.authKey;
            ah = true;
        }
    }
    if (ts.comp)
    {
        // RFC 3173 3.3: without negotiation the well-known CPI of the algorithm is used.
        k.cpi = static_cast<uint16_t>(*ts.comp);
    }
    complete = (!ts.HasEsp() || esp) && (!ts.ah || ah);
    return k;
}

/** A policy entry's identity across reconfigurations: map, place in the set, keying. */
using EntryKey = std::tuple<std::string, uint64_t, IpsecKeying>;

EntryKey
KeyOf(const IpsecPolicyEntry& pe)
{
    return {pe.mapName, pe.SortKey(), pe.keying};
}

/** The policy entry of crypto map entry @p src (its list, peers and the mode of its first
 *  transform set). @throws IosConfigError for a peer whose host name does not resolve */
Ptr<IpsecPolicyEntry>
PolicyEntryOf(const IosRouterConfig& cfg, const IosCryptoMapEntry& src, IpsecKeying keying,
              uint64_t order, const std::function<Ptr<IpsecAccessList>(const std::string&)>& aclOf)
{
    Ptr<IpsecPolicyEntry> pe = Create<IpsecPolicyEntry>();
    pe->mapName = src.map;
    pe->seq = src.seq;
    pe->order = order;
    pe->keying = keying;
    pe->perHost = src.perHost;
    if (!src.matchAddress.empty())
    {
        pe->acl = aclOf(src.matchAddress);
    }
    for (const auto& p : src.peers)
    {
        // A host name is resolved now (`ip host`, then the name server: the scenario's table);
        // one given with `dynamic` at each negotiation too, and need not resolve yet.
        if (auto a = cfg.ResolvePeer(p))
        {
            pe->peers.push_back(*a);
        }
        else if (!src.dynamicPeers.count(p))
        {
            auto line = src.peerLines.find(p);
            throw IosUnresolvedHostError(
                line != src.peerLines.end() ? line->second.first : src.where,
                line != src.peerLines.end() ? line->second.second : 0, p, cfg.domainLookup);
        }
    }
    if (!src.transformSets.empty())
    {
        auto ts = cfg.transformSets.find(src.transformSets.front());
        if (ts != cfg.transformSets.end())
        {
            pe->mode = ts->second.mode;
        }
    }
    return pe;
}

/** The SAs of complete manual entry @p e (policy entry @p pe), made but not installed;
 *  nullopt when keys or the permit line are missing. @throws IosConfigError */
std::optional<IosManualBinding>
ManualBindingOf(const IosRouterConfig& cfg, const IosCryptoMapEntry& e,
                const Ptr<IpsecPolicyEntry>& pe, Ipv4Address local)
{
    auto ts = cfg.transformSets.find(e.transformSets.front());
    if (ts == cfg.transformSets.end())
    {
        Fail(e.where, "transform set " + e.transformSets.front() + " is not defined");
    }
    bool inOk = false;
    bool outOk = false;
    IosManualBinding mb;
    mb.entry = pe;
    mb.ts = ts->second;
    mb.local = local;
    mb.peer = pe->peers.front();
    mb.in = KeysFor(e, true, mb.ts, inOk);
    mb.out = KeysFor(e, false, mb.ts, outOk);
    const auto& rules = pe->acl->GetRules();
    auto permit =
        std::find_if(rules.begin(), rules.end(), [](const IpsecPolicyRule& x) { return x.permit; });
    if (!inOk || !outOk || permit == rules.end())
    {
        return std::nullopt;
    }
    mb.scope = permit->selector;
    // Transform sets, Step 2: `mode transport` applies only to traffic between the peers' own
    // addresses; all other traffic is tunnelled. The SAs say the mode they really use (the one
    // IKE would agree on for this scope), so `show crypto ipsec sa` does too.
    const bool betweenPeers = mb.scope.srcWildcard == 0 && mb.scope.dstWildcard == 0 &&
                              mb.scope.srcAddr == mb.local && mb.scope.dstAddr == mb.peer;
    if (!betweenPeers)
    {
        mb.ts.mode = IpsecMode::TUNNEL;
    }
    try
    {
        mb.bundle =
            IpsecHelper::MakeManualBundle(mb.ts, mb.local, mb.peer, mb.scope, mb.in, mb.out, 0);
    }
    catch (const std::invalid_argument& err)
    {
        Fail(e.where, err.what());
    }
    return mb;
}

/**
 * Build the crypto map sets of @p cfg that are applied to an interface of @p ifIndex: one per map
 * name, its entries (dynamic-map entries at their reference) as fresh policy entries, and the SAs
 * of its complete manual entries. Nothing is installed. @p cfg must outlive the result (the map
 * sets point at its entries).
 * @throws IosConfigError for a configuration that is consistent as text but not as a router.
 */
IosBuiltMaps
BuildMapSets(const IosRouterConfig& cfg, const std::map<std::string, uint32_t>& ifIndex,
             const std::function<Ptr<IpsecAccessList>(const std::string&)>& aclOf)
{
    IosBuiltMaps out;
    std::map<std::string, std::vector<const IosCryptoMapEntry*>> byMap;
    for (const auto& e : cfg.cryptoMaps)
    {
        byMap[e.map].push_back(&e);
    }
    for (const auto& iface : cfg.interfaces)
    {
        if (iface.cryptoMap.empty() || !ifIndex.count(iface.name))
        {
            continue;
        }
        auto ms = out.maps.find(iface.cryptoMap);
        if (ms != out.maps.end())
        {
            ms->second.interfaces.push_back(iface.name);
            continue;
        }
        IosMapSet set;
        std::string localIface = iface.name;
        auto la = cfg.localAddress.find(iface.cryptoMap);
        if (la != cfg.localAddress.end())
        {
            localIface = la->second;
        }
        const IosInterface* li = cfg.FindInterface(localIface);
        if (!li || !li->address)
        {
            Fail(iface.where, "crypto map " + iface.cryptoMap + ": local interface " + localIface +
                                  " has no IP address");
        }
        set.local = *li->address;
        auto build = [&](const IosCryptoMapEntry& src, IpsecKeying keying, uint64_t order)
        {
            Ptr<IpsecPolicyEntry> pe = PolicyEntryOf(cfg, src, keying, order, aclOf);
            set.entries.emplace_back(&src, pe);
            return pe;
        };
        for (const IosCryptoMapEntry* e : byMap[iface.cryptoMap])
        {
            const uint64_t order = uint64_t(e->seq) << 32;
            if (e->kind == IosCryptoMapKind::DYNAMIC_REFERENCE)
            {
                for (const auto& d : cfg.dynamicMaps)
                {
                    if (d.map == e->dynamicMap)
                    {
                        build(d, IpsecKeying::DYNAMIC, order | d.seq);
                    }
                }
                continue;
            }
            Ptr<IpsecPolicyEntry> pe =
                build(*e,
                      e->kind == IosCryptoMapKind::IPSEC_MANUAL ? IpsecKeying::MANUAL
                                                                : IpsecKeying::ISAKMP,
                      order);
            if (e->kind != IosCryptoMapKind::IPSEC_MANUAL || pe->peers.empty() ||
                e->transformSets.empty() || !pe->acl)
            {
                continue; // an incomplete manual entry has no SAs: its traffic is dropped
            }
            if (auto mb = ManualBindingOf(cfg, *e, pe, set.local))
            {
                out.manual.push_back(*mb);
            }
        }
        set.interfaces.push_back(iface.name);
        out.maps.emplace(iface.cryptoMap, std::move(set));
    }
    IosBuildTunnelMapSets(cfg, ifIndex, out);
    return out;
}

/** Same lines, same meaning: the list's counters can carry over. */
bool
SameRules(const IpsecAccessList& live, const IosAccessList& configured)
{
    const auto& rules = live.GetRules();
    if (rules.size() != configured.entries.size())
    {
        return false;
    }
    for (size_t i = 0; i < rules.size(); ++i)
    {
        const IpsecTrafficSelector& a = rules[i].selector;
        const IpsecTrafficSelector& b = configured.entries[i].selector;
        if (rules[i].permit != configured.entries[i].permit || !a.Within(b) || !b.Within(a))
        {
            return false;
        }
    }
    return true;
}

bool
SameRoute(const IosRoute& a, const IosRoute& b)
{
    return a.network == b.network && a.mask == b.mask && a.nextHop == b.nextHop &&
           a.interface == b.interface && a.distance == b.distance;
}

} // namespace

TypeId
IosRouter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IosRouter")
                            .SetParent<Object>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IosRouter>();
    return tid;
}

void
IosRouter::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_ike)
    {
        m_ike->Stop();
        m_ike = nullptr;
    }
    if (m_impl)
    {
        for (auto& [name, t] : m_impl->tunnels)
        {
            t->Dispose();
        }
    }
    m_impl.reset();
    m_node = nullptr;
    m_processor = nullptr;
    m_nat = nullptr;
    Object::DoDispose();
}

bool
IosBundleOnInterface(const IosRouter& router, const IpsecSaBundle& b,
                     const std::vector<std::string>& interfaces, const std::string& ifn)
{
    if (interfaces.size() <= 1)
    {
        return true;
    }
    bool anyMatch = false;
    for (const auto& i : interfaces)
    {
        const int32_t idx = router.GetInterfaceIndex(i);
        if (idx >= 0 && router.GetProcessor()->GetLocalAddress(idx) == b.local)
        {
            if (i == ifn)
            {
                return true;
            }
            anyMatch = true;
        }
    }
    return !anyMatch && ifn == interfaces.front();
}

IpsecSwitchingPath
IosRouter::SwitchingPathOf(const IosRouterConfig& config, const IosInterface& iface)
{
    const bool flow = iface.routeCacheFlow.value_or(false);
    if (!iface.routeCache.value_or(true))
    {
        return IpsecSwitchingPath::PROCESS; // `no ip route-cache`: neither fast nor CEF
    }
    if (config.ipCef && iface.routeCacheCef.value_or(true))
    {
        return flow ? IpsecSwitchingPath::CEF_FLOW : IpsecSwitchingPath::CEF;
    }
    return flow ? IpsecSwitchingPath::FAST_FLOW : IpsecSwitchingPath::FAST;
}

Ptr<IpsecEngineSet>
IosRouter::GetEngines() const
{
    return m_processor ? m_processor->GetEngineSet() : nullptr;
}

int32_t
IosRouter::GetInterfaceIndex(const std::string& name) const
{
    const IosInterface* i = m_config.FindInterface(name);
    if (!i)
    {
        return -1;
    }
    auto it = m_impl->ifIndex.find(i->name);
    return it == m_impl->ifIndex.end() ? -1 : static_cast<int32_t>(it->second);
}

std::map<std::string, Ptr<IpsecAccessList>>
IosRouterState::ComputeAcls(const IosRouterConfig& cfg) const
{
    std::map<std::string, Ptr<IpsecAccessList>> next;
    for (const auto& [name, acl] : cfg.accessLists)
    {
        auto live = acls.find(name);
        if (live != acls.end() && SameRules(*live->second, acl))
        {
            next[name] = live->second; // unchanged: keeps its match counters
            continue;
        }
        Ptr<IpsecAccessList> l = Create<IpsecAccessList>(name);
        for (const auto& e : acl.entries)
        {
            l->Add(e.permit, e.selector);
        }
        next[name] = l;
    }
    return next;
}

namespace
{
/** An interface's `arp timeout` on its ns-3 ARP cache. ns-3's own default (120 s) would make a
 *  router ask again for a neighbour it is busy sending to, holding only three packets meanwhile;
 *  IOS keeps entries 4 hours. Interfaces without ARP (serial links, tunnels) have no cache. */
void
SetArpTimeout(Ipv4L3Protocol& ipv4, uint32_t index, const IosInterface& iface)
{
    Ptr<ArpCache> cache = ipv4.GetInterface(index)->GetArpCache();
    if (cache)
    {
        cache->SetAliveTimeout(iface.arpTimeoutSeconds == 0 ? Time::Max()
                                                            : Seconds(iface.arpTimeoutSeconds));
    }
}
} // namespace

void
IosRouterState::ApplyFilters(IosRouter& r)
{
    for (const auto& iface : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx == ifIndex.end())
        {
            continue;
        }
        // IOS: an access-group naming an undefined list permits everything.
        auto known = [this](const std::string& n) -> Ptr<IpsecAccessList>
        {
            auto it = acls.find(n);
            return it == acls.end() ? nullptr : it->second;
        };
        Ptr<IpsecAccessList> in = known(iface.accessGroupIn);
        Ptr<IpsecAccessList> out = known(iface.accessGroupOut);
        if (in || out || filtered.count(idx->second))
        {
            r.m_processor->SetAccessGroup(idx->second, in, out);
            filtered.insert(idx->second);
        }
    }
}

IosBuiltMaps
IosRouterState::BuildMaps(const IosRouterConfig& cfg,
                          const std::map<std::string, Ptr<IpsecAccessList>>& lists) const
{
    return BuildMapSets(cfg, ifIndex,
                        [&lists](const std::string& name) -> Ptr<IpsecAccessList>
                        {
                            if (name.empty())
                            {
                                return nullptr;
                            }
                            // IOS: a crypto map entry naming an undefined list matches
                            // nothing; an empty list stands for it.
                            auto it = lists.find(name);
                            return it == lists.end() ? Create<IpsecAccessList>(name) : it->second;
                        });
}

void
IosRouterState::AddRoute(IosRouter& r, const IosRoute& route)
{
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    const IosRouterConfig& cfg = r.m_config;
    if (!route.interface.empty())
    {
        int32_t idx = r.GetInterfaceIndex(route.interface);
        if (idx < 0)
        {
            std::ostringstream os;
            os << "ip route " << route.network << " " << route.mask << " "
               << route.interface << ": " << cfg.hostname << " has no such interface";
            throw std::invalid_argument(os.str());
        }
        if (route.nextHop)
        {
            rt->AddNetworkRouteTo(route.network, route.mask, *route.nextHop, idx, route.distance);
        }
        else
        {
            rt->AddNetworkRouteTo(route.network, route.mask, idx, route.distance);
        }
        return;
    }
    int32_t idx = -1;
    for (uint32_t i = 1; i < ipv4->GetNInterfaces() && idx < 0; ++i)
    {
        for (uint32_t a = 0; a < ipv4->GetNAddresses(i); ++a)
        {
            Ipv4InterfaceAddress ia = ipv4->GetAddress(i, a);
            if (ia.GetLocal().CombineMask(ia.GetMask()) == route.nextHop->CombineMask(ia.GetMask()))
            {
                idx = static_cast<int32_t>(i);
                break;
            }
        }
    }
    if (idx < 0)
    {
        std::ostringstream os;
        os << "ip route " << route.network << " " << route.mask << " " << *route.nextHop
           << ": the next hop is on no connected network of " << cfg.hostname;
        throw std::invalid_argument(os.str());
    }
    rt->AddNetworkRouteTo(route.network, route.mask, *route.nextHop, idx, route.distance);
}

int32_t
IosRouterState::FindRoute(IosRouter& r, const IosRoute& route) const
{
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    const int32_t iface = route.interface.empty() ? -1 : r.GetInterfaceIndex(route.interface);
    for (uint32_t i = 0; i < rt->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry e = rt->GetRoute(i);
        if (e.GetDest() == route.network && e.GetDestNetworkMask() == route.mask &&
            e.GetGateway() == route.nextHop.value_or(Ipv4Address::GetZero()) &&
            (iface < 0 || e.GetInterface() == static_cast<uint32_t>(iface)) &&
            rt->GetMetric(i) == route.distance)
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

void
IosRouterState::ApplyMaps(IosRouter& r, IosBuiltMaps built, std::vector<std::string>& notes)
{
    // Entries that stay (same map, place and keying) keep their object, so that their SAs,
    // held packets and negotiations in progress stay theirs; the configuration they carry is
    // the new one. IOS applies changed settings to new SAs only (spec: "Certain configuration
    // changes will only take effect when negotiating subsequent security associations").
    std::map<EntryKey, Ptr<IpsecPolicyEntry>> old;
    for (const auto& [name, set] : maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            old.emplace(KeyOf(*pe), pe);
        }
    }
    std::set<IpsecPolicyEntry*> kept;
    for (auto& [name, set] : built.maps)
    {
        set.spd = CreateObject<IpsecSpd>();
        for (auto& [src, pe] : set.entries)
        {
            auto o = old.find(KeyOf(*pe));
            if (o != old.end() && !kept.count(PeekPointer(o->second)))
            {
                Ptr<IpsecPolicyEntry> k = o->second;
                k->acl = pe->acl;
                k->peers = pe->peers;
                k->mode = pe->mode;
                k->perHost = pe->perHost;
                for (auto& mb : built.manual)
                {
                    if (mb.entry == pe)
                    {
                        mb.entry = k;
                    }
                }
                pe = k;
                kept.insert(PeekPointer(k));
            }
            else if (o == old.end() && pe->keying == IpsecKeying::ISAKMP &&
                     (pe->peers.empty() || !pe->acl))
            {
                notes.push_back("% NOTE: This new crypto map will remain disabled until a peer\n"
                                "        and a valid access list have been configured.");
            }
            set.spd->AddEntry(pe);
        }
    }
    // Entries that are gone take their SAs with them.
    for (const auto& [key, pe] : old)
    {
        if (kept.count(PeekPointer(pe)))
        {
            continue;
        }
        for (auto b : std::vector<Ptr<IpsecSaBundle>>(pe->bundles))
        {
            if (r.m_ike && pe->keying != IpsecKeying::MANUAL)
            {
                r.m_ike->DeleteBundle(pe, b); // tells the peer, too
            }
            else
            {
                r.m_processor->RemoveBundle(pe, b);
            }
        }
        r.m_processor->DropHeld(pe);
    }
    // Manual entries: SAs in force stay until `clear crypto sa` (spec: "For manually established
    // security associations, you must clear and reinitialize the security associations or the
    // changes will never take effect"); an entry that has none gets them now.
    for (auto& mb : built.manual)
    {
        Ptr<IpsecSaBundle> inForce;
        for (const auto& b : mb.entry->bundles)
        {
            inForce = b;
        }
        if (inForce)
        {
            mb.bundle = inForce;
        }
        else
        {
            InstallManual(*r.m_processor, mb,
                          "crypto map " + mb.entry->mapName + " " + std::to_string(mb.entry->seq));
        }
    }
    // The sets on their interfaces.
    const IosRouterConfig& cfg = r.m_config;
    for (const auto& iface : cfg.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx == ifIndex.end())
        {
            continue;
        }
        // A tunnel with `tunnel protection` has the set IOS makes for it.
        const bool tunnelSet = iface.cryptoMap.empty() && !iface.tunnelProtection.empty();
        auto ms = built.maps.find(tunnelSet ? IosTunnelMapName(iface) : iface.cryptoMap);
        if (ms == built.maps.end())
        {
            r.m_processor->RemoveSpd(idx->second);
            continue;
        }
        // IOS: each interface the map is applied to speaks IKE and ESP from its own address,
        // unless `crypto map NAME local-address IFACE` names one for all of them.
        Ipv4Address local = ms->second.local;
        if (!tunnelSet && !cfg.localAddress.count(iface.cryptoMap) && iface.address)
        {
            local = *iface.address;
        }
        r.m_processor->ApplySpd(idx->second, ms->second.spd, local);
    }
    maps = std::move(built.maps);
    manual = std::move(built.manual);
    tunnelEntries = std::move(built.tunnelEntries);
    ApplyTunnelProtection(r);
}

void
IosRouterState::StartIke(IosRouter& r)
{
    // A daemon answers on UDP 500 when some applied entry is negotiated (ipsec-isakmp or a
    // dynamic map) and `no crypto isakmp enable` is not given.
    const IosRouterConfig& cfg = r.m_config;
    if (r.m_ike || !cfg.isakmpEnabled)
    {
        return;
    }
    bool negotiated = false;
    for (const auto& [name, set] : maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            negotiated |= pe->keying != IpsecKeying::MANUAL;
        }
    }
    if (!negotiated)
    {
        return;
    }
    r.m_ike = CreateObject<IkeDaemon>();
    r.m_node->AggregateObject(r.m_ike);
    r.m_ike->Setup(r.m_processor, &r, cfg.Fqdn()); // hostname.domain, as IOS identifies itself
    r.m_ike->SetFirstConnId(cfg.release == IosRelease::IOS_12_4 ? 1 : 1001);
    r.m_ike->SetIdentityHostname(cfg.isakmpIdentity == IosIsakmpIdentity::HOSTNAME);
    r.m_ike->SetIdentityDn(cfg.isakmpIdentity == IosIsakmpIdentity::DN);
    r.m_ike->SetAcceptAggressiveMode(!cfg.aggressiveModeDisabled);
    r.m_ike->SetNatTraversal(cfg.natTransparency);
    r.m_ike->SetNatKeepalive(cfg.natKeepaliveSeconds.value_or(0));
    if (cfg.isakmpKeepalive)
    {
        r.m_ike->SetKeepalive(cfg.isakmpKeepalive->seconds, cfg.isakmpKeepalive->retry,
                              cfg.isakmpKeepalive->periodic);
    }
    r.m_ike->Start();
}

void
IosRouterState::InstallInterfaces(IosRouter& r,
                                  const std::map<std::string, Ptr<NetDevice>>& devices)
{
    // Addresses and state; devices of their own for loopbacks, unlinked ports and tunnels.
    Ptr<Node> node = r.m_node;
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    IosRouterState& im = *this;
    const IosRouterConfig& cfg = r.m_config;
    for (const auto& iface : cfg.interfaces)
    {
        Ptr<NetDevice> dev;
        auto d = devices.find(iface.name);
        if (d != devices.end())
        {
            dev = d->second;
        }
        else if (iface.name.rfind("Tunnel", 0) == 0 && iface.tunnelModeIpsec)
        {
            dev = im.InstallVti(r, iface); // a virtual tunnel interface: IPsec, no GRE
        }
        else if (iface.name.rfind("Tunnel", 0) == 0)
        {
            // A GRE tunnel interface: its device sends into GRE over IPv4 (endpoints below).
            Ptr<IpsecGreTunnel> t = CreateObject<IpsecGreTunnel>();
            dev = t->Install(node);
            im.tunnels[iface.name] = t;
        }
        else if (iface.address)
        {
            // Loopbacks and unlinked ports: a device of their own on a channel of their own.
            Ptr<SimpleNetDevice> s = CreateObject<SimpleNetDevice>();
            s->SetChannel(CreateObject<SimpleChannel>());
            s->SetAddress(Mac48Address::Allocate());
            node->AddDevice(s);
            dev = s;
        }
        else
        {
            continue;
        }
        int32_t idx = ipv4->GetInterfaceForDevice(dev);
        if (idx < 0)
        {
            idx = static_cast<int32_t>(ipv4->AddInterface(dev));
        }
        if (iface.address)
        {
            ipv4->AddAddress(idx, Ipv4InterfaceAddress(*iface.address, iface.mask));
        }
        SetArpTimeout(*ipv4, static_cast<uint32_t>(idx), iface);
        if (iface.shutdown)
        {
            ipv4->SetDown(idx);
        }
        else
        {
            ipv4->SetUp(idx);
        }
        im.ifIndex[iface.name] = static_cast<uint32_t>(idx);
        im.ifName[static_cast<uint32_t>(idx)] = iface.name;
    }
}

void
IosRouterState::SetTunnelEndpoints(IosRouter& r)
{
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    IosRouterState& im = *this;
    const IosRouterConfig& cfg = r.m_config;
    // GRE tunnel endpoints: the source interface's address (or the address given) to the
    // destination; a tunnel without both stays down, as on IOS.
    for (const auto& iface : cfg.interfaces)
    {
        auto t = im.tunnels.find(iface.name);
        if (t == im.tunnels.end())
        {
            continue;
        }
        std::optional<Ipv4Address> src = IosParseAddress(iface.tunnelSource);
        if (!src && !iface.tunnelSource.empty())
        {
            const int32_t si = r.GetInterfaceIndex(iface.tunnelSource);
            if (si < 0 || ipv4->GetNAddresses(si) == 0)
            {
                Fail(iface.tunnelSourceWhere,
                     "tunnel source " + iface.tunnelSource + ": no such interface with an address");
            }
            src = ipv4->GetAddress(si, 0).GetLocal();
        }
        const int32_t ti = r.GetInterfaceIndex(iface.name);
        if (src && iface.tunnelDestination)
        {
            t->second->SetEndpoints(*src, *iface.tunnelDestination);
        }
        else if (ti >= 0)
        {
            ipv4->SetDown(ti);
        }
    }
}

void
IosRouterState::InstallEngines(IosRouter& r, Ptr<IpsecEngineSet> engines)
{
    // The platform and its cards: crypto and switching take CPU and card time.
    r.m_processor->SetEngineSet(engines);
    for (const auto& iface : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx != ifIndex.end())
        {
            engines->SetSwitchingPath(idx->second, IosRouter::SwitchingPathOf(r.m_config, iface));
        }
    }
}

void
IosRouterState::InstallStaticNat(IosRouter& r)
{
    // `ip nat inside source static` with `ip nat inside|outside` interfaces.
    Ptr<IpsecStaticNat> nat = CreateObject<IpsecStaticNat>();
    for (const auto& n : r.m_config.staticNat)
    {
        try
        {
            nat->AddStatic(n.local, n.global);
        }
        catch (const std::invalid_argument& e)
        {
            Fail(n.where, e.what());
        }
    }
    for (const auto& iface : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx == ifIndex.end())
        {
            continue;
        }
        if (iface.natInside)
        {
            nat->SetInside(idx->second);
        }
        if (iface.natOutside)
        {
            nat->SetOutside(idx->second);
        }
    }
    r.m_node->AggregateObject(nat);
    r.m_nat = nat;
}

Ptr<IosRouter>
IosRouter::Install(Ptr<Node> node, const IosRouterConfig& config,
                   const std::map<std::string, Ptr<NetDevice>>& devices,
                   Ptr<IpsecEngineSet> engines)
{
    NS_LOG_FUNCTION(node << &config << engines);
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (!ipv4)
    {
        throw std::logic_error("IosRouter: node " + std::to_string(node->GetId()) +
                               " has no IPv4 stack (install IpsecStackHelper first)");
    }
    Ptr<IosRouter> r = CreateObject<IosRouter>();
    r->m_impl = std::make_unique<IosRouterState>();
    r->m_config = config;
    r->m_node = node;
    r->m_processor = IpsecHelper::Install(node);
    node->AggregateObject(r);
    IosRouterState& im = *r->m_impl;
    const IosRouterConfig& cfg = r->m_config;

    im.InstallInterfaces(*r, devices);
    im.SetTunnelEndpoints(*r);
    if (engines)
    {
        im.InstallEngines(*r, engines);
    }

    // Access lists, shared by filters, crypto maps and `show access-lists`.
    im.acls = im.ComputeAcls(cfg);
    im.ApplyFilters(*r);

    // Static routes (connected ones come with the addresses).
    for (const auto& route : cfg.routes)
    {
        im.AddRoute(*r, route);
    }

    // Crypto map sets: one per map name, applied to each interface that names it.
    std::vector<std::string> notes;
    im.ApplyMaps(*r, im.BuildMaps(cfg, im.acls), notes);
    im.ApplyDfBit(*r);
    im.ApplyReverseRoutes(*r);

    if (!cfg.staticNat.empty())
    {
        im.InstallStaticNat(*r);
    }
    im.StartIke(*r);
    im.StartTunnels(*r);
    im.ApplyIsakmpPeers(*r);
    im.ApplyIsakmpProfiles(*r);
    r->m_pki = std::make_shared<IosPkiState>();
    r->m_pki->TakeChains(cfg);
    if (!cfg.pki.keyGenerations.empty() || !cfg.pki.actions.empty())
    {
        // At time zero, once the scenario has said where the CAs are.
        Simulator::ScheduleNow(&IosRouter::StartPki, r);
    }
    return r;
}

// ------------------------------------------------------------------------- live reconfiguration

namespace
{
/**
 * What a running router of the simulation cannot change: its devices, addresses and the
 * settings that shaped its model when it was built.
 * @throws std::invalid_argument when @p next changes one of them.
 */
void
CheckChangeable(const IosRouterConfig& current, const IosRouterConfig& next)
{
    auto refuse = [](const std::string& what)
    {
        throw std::invalid_argument(what +
                                    " cannot change on a running router in the simulation; put "
                                    "it in the router's configuration and run the scenario again");
    };
    // What a running router of the simulation cannot change: its devices, addresses and the
    // settings that shaped its model when it was built.
    if (next.hostname != current.hostname)
    {
        refuse("The hostname");
    }
    for (const auto& n : next.interfaces)
    {
        const IosInterface* c = nullptr;
        for (const auto& i : current.interfaces)
        {
            c = i.name == n.name ? &i : c;
        }
        if (!c)
        {
            refuse("The set of interfaces (" + n.name + " is new)");
        }
        if (n.address != c->address || (n.address && n.mask != c->mask))
        {
            refuse("The address of " + n.name);
        }
        if (n.encapsulation != c->encapsulation || n.natInside != c->natInside ||
            n.natOutside != c->natOutside || n.routeCache != c->routeCache ||
            n.routeCacheFlow != c->routeCacheFlow || n.routeCacheCef != c->routeCacheCef)
        {
            refuse("The encapsulation, NAT role or switching path of " + n.name);
        }
        if (n.tunnelSource != c->tunnelSource || n.tunnelDestination != c->tunnelDestination ||
            n.tunnelModeIpsec != c->tunnelModeIpsec)
        {
            refuse("The tunnel source or destination of " + n.name);
        }
    }
    if (next.interfaces.size() != current.interfaces.size())
    {
        refuse("The set of interfaces");
    }
    const bool natSame =
        next.staticNat.size() == current.staticNat.size() &&
        std::equal(next.staticNat.begin(), next.staticNat.end(), current.staticNat.begin(),
                   [](const IosStaticNat& a, const IosStaticNat& b)
                   { return a.local == b.local && a.global == b.global; });
    if (!natSame)
    {
        refuse("Static NAT");
    }
    if (next.ipCef != current.ipCef)
    {
        refuse("ip cef");
    }
    if (next.isakmpEnabled != current.isakmpEnabled ||
        next.isakmpIdentity != current.isakmpIdentity ||
        next.natTransparency != current.natTransparency ||
        next.natKeepaliveSeconds != current.natKeepaliveSeconds ||
        next.aggressiveModeDisabled != current.aggressiveModeDisabled ||
        next.invalidSpiRecovery != current.invalidSpiRecovery ||
        (next.isakmpIdentity == IosIsakmpIdentity::HOSTNAME && next.Fqdn() != current.Fqdn()))
    {
        refuse("crypto isakmp enable, identity, aggressive-mode, invalid-spi-recovery or NAT "
               "transparency");
    }
}
} // namespace

void
IosRouterState::ApplyInterfaceStates(IosRouter& r, const IosRouterConfig& previous,
                                     std::vector<std::string>& notes)
{
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    for (const auto& n : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(n.name);
        if (idx == ifIndex.end())
        {
            continue;
        }
        SetArpTimeout(*ipv4, idx->second, n);
        const IosInterface* c = previous.FindInterface(n.name);
        if (!c || c->shutdown == n.shutdown)
        {
            continue;
        }
        if (n.shutdown)
        {
            ipv4->SetDown(idx->second);
        }
        else
        {
            ipv4->SetUp(idx->second);
        }
        notes.push_back("%LINK-5-CHANGED: Interface " + n.name + ", changed state to " +
                        (n.shutdown ? "administratively down" : "up"));
    }
}

void
IosRouterState::ApplyRoutes(IosRouter& r, const IosRouterConfig& previous,
                            std::vector<std::string>& notes)
{
    Ptr<Ipv4L3Protocol> ipv4 = r.m_node->GetObject<Ipv4L3Protocol>();
    for (const auto& route : previous.routes)
    {
        if (std::none_of(r.m_config.routes.begin(), r.m_config.routes.end(),
                         [&route](const IosRoute& x) { return SameRoute(x, route); }))
        {
            const int32_t i = FindRoute(r, route);
            if (i >= 0)
            {
                Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->RemoveRoute(i);
            }
        }
    }
    // New routes, and configured routes ns-3 dropped while their interface was down (IOS keeps
    // them in the configuration and installs them again when it comes back).
    for (const auto& route : r.m_config.routes)
    {
        if (FindRoute(r, route) < 0)
        {
            try
            {
                AddRoute(r, route);
            }
            catch (const std::invalid_argument& e)
            {
                notes.push_back(std::string("% Route not installed: ") + e.what());
            }
        }
    }
}

std::vector<std::string>
IosRouter::Reconfigure(const IosRouterConfig& next)
{
    NS_LOG_FUNCTION(this << &next);
    IosRouterState& im = *m_impl;
    CheckChangeable(m_config, next);

    // Everything that can fail is built before anything changes. The name server's answers
    // are the scenario's, not the configuration's: they stay.
    auto staged = std::make_unique<IosRouterConfig>(next);
    staged->dns = im.liveDns.value_or(m_config.dns);
    // The release a scenario gave the router stays unless the new text names another version.
    if (staged->version == m_config.version)
    {
        staged->release = m_config.release;
    }
    std::map<std::string, Ptr<IpsecAccessList>> lists = im.ComputeAcls(*staged);
    IosBuiltMaps built = im.BuildMaps(*staged, lists);

    // In force from here on. The old configuration lives until the old map sets are replaced.
    std::vector<std::string> notes;
    IosRouterConfig previous = std::move(m_config);
    m_config = std::move(*staged);
    im.acls = std::move(lists);
    im.ApplyFilters(*this);
    im.ApplyInterfaceStates(*this, previous, notes);
    im.ApplyRoutes(*this, previous, notes);
    im.ApplyMaps(*this, std::move(built), notes);
    im.ApplyDfBit(*this);
    im.ApplyReverseRoutes(*this);
    im.StartIke(*this);
    im.ApplyIsakmpPeers(*this);
    im.ApplyIsakmpProfiles(*this);
    if (m_ike)
    {
        const auto& k = m_config.isakmpKeepalive;
        m_ike->SetKeepalive(k ? k->seconds : 0, k ? k->retry : 0, k && k->periodic);
    }
    m_pki->TakeChains(m_config);
    for (auto& [line, text] : m_pki->RunConfigured(*this))
    {
        notes.push_back(std::move(text));
    }
    return notes;
}

// ------------------------------------------------------------------------------------ EXEC

std::string
IosRouter::Exec(const std::string& line)
{
    NS_LOG_FUNCTION(this << line);
    const IosExecCommand cmd = IosExecParser::Parse(line);
    IosRouterState& state = *m_impl;
    std::ostringstream os;
    using K = IosExecCommand::Kind;
    switch (cmd.kind)
    {
    case K::SHOW_CRYPTO_IPSEC_SA:
        ShowCryptoIpsecSa(os, cmd, *this, state);
        break;
    case K::SHOW_CRYPTO_MAP:
        ShowCryptoMap(os, cmd, *this, state);
        break;
    case K::SHOW_CRYPTO_TRANSFORM_SET:
        ShowCryptoTransformSet(os, cmd, m_config);
        break;
    case K::SHOW_CRYPTO_DYNAMIC_MAP:
        ShowCryptoDynamicMap(os, cmd, m_config);
        break;
    case K::SHOW_CRYPTO_SA_LIFETIME:
        ShowCryptoSaLifetime(os, m_config);
        break;
    case K::SHOW_ACCESS_LISTS:
        ShowAccessLists(os, cmd, m_config, state);
        break;
    case K::SHOW_RUNNING_CONFIG:
        ShowRunningConfig(os, IosWithCertificateChains(m_config, *m_pki));
        break;
    case K::SHOW_CRYPTO_ISAKMP_POLICY:
        os << ShowCryptoIsakmpPolicy(m_config);
        break;
    case K::SHOW_CRYPTO_ENGINE_CONFIGURATION:
    case K::SHOW_CRYPTO_ENGINE_CONNECTIONS:
    case K::SHOW_PROCESSES_CPU:
    case K::SHOW_SIMULATION_CRYPTO_ENGINE:
        ShowCryptoEngine(os, cmd, *this);
        break;
    case K::SHOW_CRYPTO_ISAKMP_SA:
        ShowCryptoIsakmpSa(os, cmd, *this);
        break;
    case K::SHOW_CRYPTO_SESSION:
        ShowCryptoSession(os, cmd, *this, state);
        break;
    case K::SHOW_IP_ROUTE:
        ShowIpRoute(os, *this, state);
        break;
    case K::SHOW_HOSTS:
        os << ShowHosts(m_config, m_impl->liveDns.value_or(m_config.dns));
        break;
    case K::SHOW_CRYPTO_ISAKMP_PROFILE:
        ShowCryptoIsakmpProfile(os, m_config);
        break;
    case K::SHOW_CRYPTO_IKEV2_PROPOSAL:
    case K::SHOW_CRYPTO_IKEV2_POLICY:
    case K::SHOW_CRYPTO_IKEV2_PROFILE:
        ShowCryptoIkev2(os, cmd, m_config);
        break;
    case K::SHOW_CRYPTO_IKEV2_SA:
    case K::SHOW_CRYPTO_IKEV2_SESSION:
        ShowCryptoIkev2Sa(os, cmd, *this);
        break;
    case K::CLEAR_CRYPTO_IKEV2_SA:
        ClearCryptoIkev2Sa(cmd, *this);
        break;
    case K::CLEAR_CRYPTO_ISAKMP:
        ClearCryptoIsakmp(cmd, *this);
        break;
    case K::CLEAR_CRYPTO_SA:
        ClearCryptoSa(cmd, *this, state);
        break;
    case K::CLEAR_CRYPTO_SESSION:
        ClearCryptoSession(cmd, *this, state);
        break;
    case K::SHOW_CRYPTO_PKI_CERTIFICATES:
    case K::SHOW_CRYPTO_PKI_TRUSTPOINTS:
    case K::SHOW_CRYPTO_KEY_MYPUBKEY_RSA:
    case K::SHOW_CRYPTO_KEY_PUBKEY_CHAIN_RSA:
        ShowCryptoPki(os, cmd, *this, *m_pki);
        break;
    case K::CRYPTO_KEY_GENERATE_RSA:
    case K::CRYPTO_KEY_ZEROIZE_RSA:
    case K::CRYPTO_PKI_AUTHENTICATE:
    case K::CRYPTO_PKI_ENROLL:
        os << PkiExec(cmd, *this, *m_pki);
        break;
    }
    return os.str();
}

// ----------------------------------------------------------------------- state for the results

const std::map<std::string, Ptr<IpsecGreTunnel>>&
IosRouter::GetGreTunnels() const
{
    return m_impl->tunnels;
}

const std::vector<std::string>&
IosRouter::GetEngineRefusals() const
{
    return m_impl->engineRefusals;
}

std::vector<IosRouter::MapEntry>
IosRouter::GetCryptoMapEntries() const
{
    std::vector<MapEntry> out;
    for (const auto& [mapName, set] : m_impl->maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            out.push_back({mapName, pe});
        }
    }
    return out;
}

} // namespace ns3
