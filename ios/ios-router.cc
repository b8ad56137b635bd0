#include "ns3/ios-router.h"

#include "ns3/ios-keywords.h"
#include "ns3/ipsec-gre.h"

#include "ns3/ios-isakmp-show.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-static-nat.h"

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
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouter");
NS_OBJECT_ENSURE_REGISTERED(IosRouter);

namespace
{
/** A manual entry's SAs, kept so that `clear crypto sa` can re-establish them at once. */
struct ManualBinding
{
    Ptr<IpsecPolicyEntry> entry;
    IpsecTransformSet ts;
    Ipv4Address local;
    Ipv4Address peer;
    IpsecTrafficSelector scope;
    IpsecManualKeys in;
    IpsecManualKeys out;
    Ptr<IpsecSaBundle> bundle;
};

/** The crypto map set built for one map name. */
struct MapSet
{
    Ptr<IpsecSpd> spd;
    Ipv4Address local;
    std::vector<std::string> interfaces;
    /** For show crypto map: the IOS entry behind each policy entry. */
    std::vector<std::pair<const IosCryptoMapEntry*, Ptr<IpsecPolicyEntry>>> entries;
};

std::string
Hex8(uint32_t v)
{
    char b[16];
    std::snprintf(b, sizeof(b), "%08X", v);
    return b;
}

std::string
MaskOf(uint32_t wildcard)
{
    std::ostringstream os;
    os << Ipv4Address(~wildcard);
    return os.str();
}

/** "(10.0.0.0/255.255.255.0/0/0)" as IOS prints identities. */
std::string
Ident(Ipv4Address a, uint32_t wildcard, uint8_t proto, const IpsecPortMatch& port)
{
    std::ostringstream os;
    os << "(" << a << "/" << MaskOf(wildcard) << "/" << unsigned(proto) << "/"
       << (port.op == IpsecPortMatch::Op::EQ ? port.lo : 0) << ")";
    return os.str();
}

/** The IOS transform names of a bundle, from its SAs. */
std::string
TransformOf(const std::vector<Ptr<IpsecSa>>& sas)
{
    IpsecTransformSet ts;
    for (const auto& sa : sas)
    {
        const IpsecSaConfig& c = sa->GetConfig();
        switch (c.protocol)
        {
        case IpsecProtocol::AH:
            ts.ah = c.auth;
            break;
        case IpsecProtocol::ESP:
            ts.espCipher = c.cipher;
            ts.espRfc1829 = c.rfc1829;
            if (c.auth != ipsec::AuthAlgorithm::NONE)
            {
                ts.espAuth = c.auth;
            }
            break;
        case IpsecProtocol::IPCOMP:
            ts.comp = c.compression;
            break;
        }
    }
    return ts.ToString();
}

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

/** The crypto map sets of a configuration, built but not yet in force. */
struct BuiltMaps
{
    std::map<std::string, MapSet> maps; //!< without SPDs: those are made when they take effect
    std::vector<ManualBinding> manual;  //!< complete manual entries, bundles made, not installed
};

/**
 * Build the crypto map sets of @p cfg that are applied to an interface of @p ifIndex: one per map
 * name, its entries (dynamic-map entries at their reference) as fresh policy entries, and the SAs
 * of its complete manual entries. Nothing is installed. @p cfg must outlive the result (the map
 * sets point at its entries).
 * @throws IosConfigError for a configuration that is consistent as text but not as a router.
 */
BuiltMaps
BuildMapSets(const IosRouterConfig& cfg, const std::map<std::string, uint32_t>& ifIndex,
             const std::function<Ptr<IpsecAccessList>(const std::string&)>& aclOf)
{
    BuiltMaps out;
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
        MapSet set;
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
                if (p.find_first_not_of("0123456789.") != std::string::npos)
                {
                    Fail(src.where, "set peer " + p +
                                        ": host names are not resolved in the simulation; give "
                                        "the peer's address");
                }
                pe->peers.emplace_back(p.c_str());
            }
            if (!src.transformSets.empty())
            {
                auto ts = cfg.transformSets.find(src.transformSets.front());
                if (ts != cfg.transformSets.end())
                {
                    pe->mode = ts->second.mode;
                }
            }
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
            auto ts = cfg.transformSets.find(e->transformSets.front());
            if (ts == cfg.transformSets.end())
            {
                Fail(e->where, "transform set " + e->transformSets.front() + " is not defined");
            }
            bool inOk = false;
            bool outOk = false;
            ManualBinding mb;
            mb.entry = pe;
            mb.ts = ts->second;
            mb.local = set.local;
            mb.peer = pe->peers.front();
            mb.in = KeysFor(*e, true, mb.ts, inOk);
            mb.out = KeysFor(*e, false, mb.ts, outOk);
            const auto& rules = pe->acl->GetRules();
            auto permit = std::find_if(rules.begin(), rules.end(),
                                       [](const IpsecPolicyRule& x) { return x.permit; });
            if (!inOk || !outOk || permit == rules.end())
            {
                continue;
            }
            mb.scope = permit->selector;
            try
            {
                mb.bundle = IpsecHelper::MakeManualBundle(mb.ts, mb.local, mb.peer, mb.scope, mb.in,
                                                          mb.out, 0);
            }
            catch (const std::invalid_argument& err)
            {
                Fail(e->where, err.what());
            }
            out.manual.push_back(mb);
        }
        set.interfaces.push_back(iface.name);
        out.maps.emplace(iface.cryptoMap, std::move(set));
    }
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

struct IosRouter::Impl
{
    std::map<std::string, uint32_t> ifIndex; //!< canonical name -> IPv4 interface
    std::map<uint32_t, std::string> ifName;
    std::map<std::string, Ptr<IpsecAccessList>> acls;
    std::map<std::string, MapSet> maps;
    std::vector<ManualBinding> manual;
    std::map<std::string, Ptr<IpsecGreTunnel>> tunnels; //!< by interface name
    /** Manual SA sets the crypto engines refused (a card at its tunnel limit). */
    std::vector<std::string> engineRefusals;
    std::set<uint32_t> filtered; //!< interfaces given an access-group at some time

    /** The access lists of @p cfg; a list whose lines did not change stays (with its counters). */
    std::map<std::string, Ptr<IpsecAccessList>> ComputeAcls(const IosRouterConfig& cfg) const;
    /** `ip access-group` of every interface from the lists in force. */
    void ApplyFilters(IosRouter& r);
    /** @throws IosConfigError */
    BuiltMaps BuildMaps(const IosRouterConfig& cfg,
                        const std::map<std::string, Ptr<IpsecAccessList>>& lists) const;
    /** Put built crypto map sets in force (see the definition for what carries over). */
    void ApplyMaps(IosRouter& r, BuiltMaps built, std::vector<std::string>& notes);
    /** @throws std::invalid_argument when the route cannot be installed */
    void AddRoute(IosRouter& r, const IosRoute& route);
    /** The index of @p route in the static routing table, or -1. */
    int32_t FindRoute(IosRouter& r, const IosRoute& route) const;
    /** Start the IKE daemon if an applied entry is negotiated and IKE is enabled. */
    void StartIke(IosRouter& r);

    /** Install a manual binding's bundle; a refusal by the engines leaves the entry without
     *  SAs (its traffic is dropped, as IOS does when a card has no room) and is recorded. */
    void InstallManual(IpsecProcessor& processor, ManualBinding& mb, const std::string& what)
    {
        try
        {
            processor.InstallBundle(mb.entry, mb.bundle);
        }
        catch (const std::runtime_error& err)
        {
            engineRefusals.push_back(what + ": " + err.what());
            mb.bundle = nullptr;
        }
    }
};

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
IosRouter::BundleOnInterface(const IpsecSaBundle& b, const std::vector<std::string>& interfaces,
                             const std::string& ifn) const
{
    // A crypto map set on several interfaces: each shows the SAs whose local end is its own
    // address; SAs whose local end is none of them show under the first.
    if (interfaces.size() <= 1)
    {
        return true;
    }
    bool anyMatch = false;
    for (const auto& i : interfaces)
    {
        const int32_t idx = GetInterfaceIndex(i);
        if (idx >= 0 && m_processor->GetLocalAddress(idx) == b.local)
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
IosRouter::Impl::ComputeAcls(const IosRouterConfig& cfg) const
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

void
IosRouter::Impl::ApplyFilters(IosRouter& r)
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

BuiltMaps
IosRouter::Impl::BuildMaps(const IosRouterConfig& cfg,
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
IosRouter::Impl::AddRoute(IosRouter& r, const IosRoute& route)
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
IosRouter::Impl::FindRoute(IosRouter& r, const IosRoute& route) const
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
IosRouter::Impl::ApplyMaps(IosRouter& r, BuiltMaps built, std::vector<std::string>& notes)
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
        auto ms = built.maps.find(iface.cryptoMap);
        if (ms == built.maps.end())
        {
            r.m_processor->RemoveSpd(idx->second);
            continue;
        }
        // IOS: each interface the map is applied to speaks IKE and ESP from its own address,
        // unless `crypto map NAME local-address IFACE` names one for all of them.
        Ipv4Address local = ms->second.local;
        if (!cfg.localAddress.count(iface.cryptoMap) && iface.address)
        {
            local = *iface.address;
        }
        r.m_processor->ApplySpd(idx->second, ms->second.spd, local);
    }
    maps = std::move(built.maps);
    manual = std::move(built.manual);
}

void
IosRouter::Impl::StartIke(IosRouter& r)
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
    r.m_ike->Setup(r.m_processor, &r, cfg.hostname);
    r.m_ike->SetIdentityHostname(cfg.isakmpIdentity == IosIsakmpIdentity::HOSTNAME);
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

Ptr<IosRouter>
IosRouter::Install(Ptr<Node> node, const IosRouterConfig& config,
                   const std::map<std::string, Ptr<NetDevice>>& devices,
                   Ptr<IpsecEngineSet> engines)
{
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    if (!ipv4)
    {
        throw std::logic_error("IosRouter: node " + std::to_string(node->GetId()) +
                               " has no IPv4 stack (install IpsecStackHelper first)");
    }
    Ptr<IosRouter> r = CreateObject<IosRouter>();
    r->m_impl = std::make_unique<Impl>();
    r->m_config = config;
    r->m_node = node;
    r->m_processor = IpsecHelper::Install(node);
    node->AggregateObject(r);
    Impl& im = *r->m_impl;
    const IosRouterConfig& cfg = r->m_config;

    // Interfaces: addresses and state.
    for (const auto& iface : cfg.interfaces)
    {
        Ptr<NetDevice> dev;
        auto d = devices.find(iface.name);
        if (d != devices.end())
        {
            dev = d->second;
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
            const int32_t si = r->GetInterfaceIndex(iface.tunnelSource);
            if (si < 0 || ipv4->GetNAddresses(si) == 0)
            {
                Fail(iface.tunnelSourceWhere,
                     "tunnel source " + iface.tunnelSource + ": no such interface with an address");
            }
            src = ipv4->GetAddress(si, 0).GetLocal();
        }
        const int32_t ti = r->GetInterfaceIndex(iface.name);
        if (src && iface.tunnelDestination)
        {
            t->second->SetEndpoints(*src, *iface.tunnelDestination);
        }
        else if (ti >= 0)
        {
            ipv4->SetDown(ti);
        }
    }

    // The platform and its cards: crypto and switching take CPU and card time.
    if (engines)
    {
        r->m_processor->SetEngineSet(engines);
        for (const auto& iface : cfg.interfaces)
        {
            auto idx = im.ifIndex.find(iface.name);
            if (idx != im.ifIndex.end())
            {
                engines->SetSwitchingPath(idx->second, SwitchingPathOf(cfg, iface));
            }
        }
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

    // Static NAT: `ip nat inside source static` with `ip nat inside|outside` interfaces.
    if (!cfg.staticNat.empty())
    {
        Ptr<IpsecStaticNat> nat = CreateObject<IpsecStaticNat>();
        for (const auto& n : cfg.staticNat)
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
        for (const auto& iface : cfg.interfaces)
        {
            auto idx = im.ifIndex.find(iface.name);
            if (idx == im.ifIndex.end())
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
        node->AggregateObject(nat);
        r->m_nat = nat;
    }

    im.StartIke(*r);
    return r;
}

// ------------------------------------------------------------------------- live reconfiguration

std::vector<std::string>
IosRouter::Reconfigure(const IosRouterConfig& next)
{
    Impl& im = *m_impl;
    const IosRouterConfig& cur = m_config;
    auto refuse = [](const std::string& what)
    {
        throw std::invalid_argument(what +
                                    " cannot change on a running router in the simulation; put "
                                    "it in the router's configuration and run the scenario again");
    };
    // What a running router of the simulation cannot change: its devices, addresses and the
    // settings that shaped its model when it was built.
    if (next.hostname != cur.hostname)
    {
        refuse("The hostname");
    }
    for (const auto& n : next.interfaces)
    {
        const IosInterface* c = nullptr;
        for (const auto& i : cur.interfaces)
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
        if (n.tunnelSource != c->tunnelSource || n.tunnelDestination != c->tunnelDestination)
        {
            refuse("The tunnel source or destination of " + n.name);
        }
    }
    if (next.interfaces.size() != cur.interfaces.size())
    {
        refuse("The set of interfaces");
    }
    const bool natSame =
        next.staticNat.size() == cur.staticNat.size() &&
        std::equal(next.staticNat.begin(), next.staticNat.end(), cur.staticNat.begin(),
                   [](const IosStaticNat& a, const IosStaticNat& b)
                   { return a.local == b.local && a.global == b.global; });
    if (!natSame)
    {
        refuse("Static NAT");
    }
    if (next.ipCef != cur.ipCef)
    {
        refuse("ip cef");
    }
    if (next.isakmpEnabled != cur.isakmpEnabled || next.isakmpIdentity != cur.isakmpIdentity ||
        next.natTransparency != cur.natTransparency ||
        next.natKeepaliveSeconds != cur.natKeepaliveSeconds ||
        next.aggressiveModeDisabled != cur.aggressiveModeDisabled ||
        next.invalidSpiRecovery != cur.invalidSpiRecovery)
    {
        refuse("crypto isakmp enable, identity, aggressive-mode, invalid-spi-recovery or NAT "
               "transparency");
    }

    // Everything that can fail is built before anything changes.
    auto staged = std::make_unique<IosRouterConfig>(next);
    std::map<std::string, Ptr<IpsecAccessList>> lists = im.ComputeAcls(*staged);
    BuiltMaps built = im.BuildMaps(*staged, lists);

    // In force from here on. The old configuration lives until the old map sets are replaced.
    std::vector<std::string> notes;
    IosRouterConfig previous = std::move(m_config);
    m_config = std::move(*staged);
    im.acls = std::move(lists);
    im.ApplyFilters(*this);

    Ptr<Ipv4L3Protocol> ipv4 = m_node->GetObject<Ipv4L3Protocol>();
    for (const auto& n : m_config.interfaces)
    {
        const IosInterface* c = previous.FindInterface(n.name);
        auto idx = im.ifIndex.find(n.name);
        if (!c || idx == im.ifIndex.end() || c->shutdown == n.shutdown)
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

    for (const auto& route : previous.routes)
    {
        if (std::none_of(m_config.routes.begin(), m_config.routes.end(),
                         [&route](const IosRoute& x) { return SameRoute(x, route); }))
        {
            const int32_t i = im.FindRoute(*this, route);
            if (i >= 0)
            {
                Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->RemoveRoute(i);
            }
        }
    }
    // New routes, and configured routes ns-3 dropped while their interface was down (IOS keeps
    // them in the configuration and installs them again when it comes back).
    for (const auto& route : m_config.routes)
    {
        if (im.FindRoute(*this, route) < 0)
        {
            try
            {
                im.AddRoute(*this, route);
            }
            catch (const std::invalid_argument& e)
            {
                notes.push_back(std::string("% Route not installed: ") + e.what());
            }
        }
    }

    im.ApplyMaps(*this, std::move(built), notes);
    im.StartIke(*this);
    if (m_ike)
    {
        const auto& k = m_config.isakmpKeepalive;
        m_ike->SetKeepalive(k ? k->seconds : 0, k ? k->retry : 0, k && k->periodic);
    }
    return notes;
}

// ------------------------------------------------------------------------------------ IKE

std::vector<IkePolicy>
IosRouter::GetIkePolicies() const
{
    std::vector<IkePolicy> out;
    for (const auto& [prio, p] : m_config.isakmpPolicies)
    {
        IkePolicy k;
        k.priority = prio;
        switch (p.encryption)
        {
        case IosIsakmpEncryption::DES:
            k.encryption = IKE_ENCR_DES_CBC;
            break;
        case IosIsakmpEncryption::TRIPLE_DES:
            k.encryption = IKE_ENCR_3DES_CBC;
            break;
        case IosIsakmpEncryption::AES_128:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 128;
            break;
        case IosIsakmpEncryption::AES_192:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 192;
            break;
        case IosIsakmpEncryption::AES_256:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 256;
            break;
        }
        switch (p.hash)
        {
        case IosIsakmpHash::MD5:
            k.hash = IKE_HASH_MD5;
            break;
        case IosIsakmpHash::SHA:
            k.hash = IKE_HASH_SHA;
            break;
        case IosIsakmpHash::SHA256:
            k.hash = IKE_HASH_SHA2_256;
            break;
        case IosIsakmpHash::SHA384:
            k.hash = IKE_HASH_SHA2_384;
            break;
        case IosIsakmpHash::SHA512:
            k.hash = IKE_HASH_SHA2_512;
            break;
        }
        switch (p.authentication)
        {
        case IosIsakmpAuthentication::PRE_SHARE:
            k.authentication = IKE_AUTH_PRE_SHARED_KEY;
            break;
        case IosIsakmpAuthentication::RSA_SIG:
            k.authentication = IKE_AUTH_RSA_SIGNATURES;
            break;
        case IosIsakmpAuthentication::RSA_ENCR:
            k.authentication = IKE_AUTH_RSA_ENCRYPTION;
            break;
        }
        k.group = p.group;
        k.lifetimeSeconds = p.lifetimeSeconds;
        out.push_back(k);
    }
    out.push_back(IkePolicy::IosDefault());
    return out;
}

std::optional<std::string>
IosRouter::GetPreSharedKey(Ipv4Address peer) const
{
    const IosIsakmpKey* k = m_config.FindIsakmpKey(peer);
    if (!k)
    {
        return std::nullopt;
    }
    return k->key;
}

namespace
{
/** The IOS entry behind a policy entry, searched in every map set. */
const IosCryptoMapEntry*
SourceOf(const std::map<std::string, MapSet>& maps, const Ptr<IpsecPolicyEntry>& pe)
{
    for (const auto& [name, set] : maps)
    {
        for (const auto& [src, e] : set.entries)
        {
            if (e == pe)
            {
                return src;
            }
        }
    }
    return nullptr;
}
} // namespace

IkePolicyProvider::Phase2
IosRouter::GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const
{
    Phase2 p;
    const IosCryptoMapEntry* src = SourceOf(m_impl->maps, entry);
    if (!src)
    {
        p.reason = "crypto map entry " + entry->Name() + " is not configured";
        return p;
    }
    for (const auto& name : src->transformSets)
    {
        auto ts = m_config.transformSets.find(name);
        if (ts == m_config.transformSets.end())
        {
            continue; // IOS ignores a set that does not exist
        }
        p.offer.sets.push_back(ts->second);
    }
    if (p.offer.sets.empty())
    {
        p.reason = "crypto map " + entry->Name() + " has no transform set defined";
        return p;
    }
    p.offer.lifetimeSeconds = src->lifetimeSeconds.value_or(m_config.lifetimeSeconds);
    p.offer.lifetimeKilobytes = src->lifetimeKilobytes.value_or(m_config.lifetimeKilobytes);
    p.offer.pfsGroup = src->pfsGroup.value_or(0);
    p.entry = entry;
    return p;
}

IkePolicyProvider::Phase2
IosRouter::MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                          const IpsecTrafficSelector& scope) const
{
    Phase2 p;
    std::ostringstream why;
    for (const auto& [name, set] : m_impl->maps)
    {
        // The map's local address: `crypto map NAME local-address IFACE`, or else the address
        // of whichever interface it is applied to.
        bool ours = set.local == local;
        if (!ours && !m_config.localAddress.count(name))
        {
            for (const auto& ifn : set.interfaces)
            {
                const IosInterface* i = m_config.FindInterface(ifn);
                ours |= i && i->address && *i->address == local;
            }
        }
        if (!ours)
        {
            continue;
        }
        for (const auto& [src, pe] : set.entries)
        {
            if (pe->keying == IpsecKeying::MANUAL)
            {
                continue;
            }
            const bool dynamic = pe->keying == IpsecKeying::DYNAMIC;
            if (!pe->peers.empty() &&
                std::find(pe->peers.begin(), pe->peers.end(), peer) == pe->peers.end())
            {
                continue; // static entries must name the peer; dynamic ones may
            }
            if (pe->peers.empty() && !dynamic)
            {
                continue;
            }
            bool accepted = false;
            if (!pe->acl)
            {
                // A dynamic entry without `match address` accepts any flow; a static one
                // without it matches nothing.
                accepted = dynamic;
            }
            else
            {
                for (const auto& rule : pe->acl->GetRules())
                {
                    if (scope.Within(rule.selector))
                    {
                        accepted = rule.permit;
                        break;
                    }
                }
            }
            if (!accepted)
            {
                why << " " << pe->Name();
                continue;
            }
            Phase2 ip = GetInitiatorPhase2(pe);
            if (!ip.entry)
            {
                why << " " << pe->Name() << " (" << ip.reason << ")";
                continue;
            }
            IkeAdjustModes(ip.offer, scope, local, peer);
            return ip;
        }
    }
    std::ostringstream os;
    os << "no crypto map entry for peer " << peer << " on " << local << " permits " << scope;
    if (!why.str().empty())
    {
        os << " (entries that name the peer but do not permit it:" << why.str() << ")";
    }
    p.reason = os.str();
    return p;
}

// ------------------------------------------------------------------------------------ EXEC

namespace
{
void
PrintSas(std::ostream& os, const char* dir, const char* proto, IpsecProtocol p,
         const std::vector<Ptr<IpsecSa>>& sas, const std::string& transform, const std::string& map)
{
    os << "\n     " << dir << " " << proto << " sas:\n";
    for (const auto& sa : sas)
    {
        if (sa->GetProtocol() != p || sa->IsExpired())
        {
            continue;
        }
        const IpsecSaConfig& c = sa->GetConfig();
        os << "      spi: 0x" << Hex8(c.spi) << "(" << c.spi << ")\n";
        os << "        transform: " << transform << " ,\n";
        os << "        in use settings ={" << (c.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
           << (c.udpEncapsulated ? " UDP-Encaps" : "") << ", }\n";
        os << "        slot: 0, conn id: " << sa->GetId() << ", flow_id: " << sa->GetId()
           << ", crypto map: " << map << "\n";
        auto secs = sa->GetRemainingLifetime();
        auto kb = sa->GetRemainingKilobytes();
        if (secs || kb)
        {
            os << "        sa timing: remaining key lifetime (k/sec): ("
               << (kb ? std::to_string(*kb) : std::string("-")) << "/"
               << (secs ? std::to_string(static_cast<uint64_t>(secs->GetSeconds()))
                        : std::string("-"))
               << ")\n";
        }
        if (p == IpsecProtocol::ESP)
        {
            os << "        IV size: " << ipsec::GetCipherInfo(c.cipher).ivLen << " bytes\n";
        }
        if (p != IpsecProtocol::IPCOMP)
        {
            os << "        replay detection support: " << (c.replayWindow ? "Y" : "N") << "\n";
        }
    }
}
} // namespace

std::string
IosRouter::Exec(const std::string& line)
{
    IosExecCommand cmd = IosExecParser::Parse(line);
    Impl& im = *m_impl;
    std::ostringstream os;
    using K = IosExecCommand::Kind;
    switch (cmd.kind)
    {
    case K::SHOW_CRYPTO_IPSEC_SA:
    {
        if (cmd.filter == "address")
        {
            // SAs grouped by destination address, then protocol (IOS layout).
            std::map<uint32_t, std::vector<std::pair<Ptr<IpsecSa>, std::string>>> byDst;
            for (const auto& [mapName, set] : im.maps)
            {
                for (const auto& [src, pe] : set.entries)
                {
                    for (const auto& b : pe->bundles)
                    {
                        for (const auto* v : {&b->inbound, &b->outbound})
                        {
                            for (const auto& sa : *v)
                            {
                                byDst[sa->GetDestination().Get()].emplace_back(sa, mapName);
                            }
                        }
                    }
                }
            }
            for (const auto& [dst, sas] : byDst)
            {
                os << "dest address: " << Ipv4Address(dst) << "\n";
                for (IpsecProtocol p :
                     {IpsecProtocol::AH, IpsecProtocol::ESP, IpsecProtocol::IPCOMP})
                {
                    bool header = false;
                    for (const auto& [sa, mapName] : sas)
                    {
                        if (sa->GetProtocol() != p || sa->IsExpired())
                        {
                            continue;
                        }
                        if (!header)
                        {
                            os << "   protocol: "
                               << (p == IpsecProtocol::AH    ? "AH"
                                   : p == IpsecProtocol::ESP ? "ESP"
                                                             : "PCP")
                               << "\n";
                            header = true;
                        }
                        os << "      spi: 0x" << Hex8(sa->GetSpi()) << "(" << sa->GetSpi()
                           << "), transform: " << TransformOf({sa}) << " ,\n"
                           << "      in use settings ={"
                           << (sa->GetMode() == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
                           << (sa->GetConfig().udpEncapsulated ? " UDP-Encaps" : "") << ", }\n"
                           << "      slot: 0, conn id: " << sa->GetId()
                           << ", crypto map: " << mapName << "\n";
                    }
                }
                os << "\n";
            }
            break;
        }
        for (const auto& [mapName, set] : im.maps)
        {
            if (cmd.filter == "map" && !cmd.args.empty() && cmd.args[0] != mapName)
            {
                continue;
            }
            for (const auto& ifn : set.interfaces)
            {
                if (cmd.filter == "interface" && !cmd.args.empty() && cmd.args[0] != ifn)
                {
                    continue;
                }
                os << "\ninterface: " << ifn << "\n";
                const int32_t ifi = GetInterfaceIndex(ifn);
                os << "    Crypto map tag: " << mapName << ", local addr. "
                   << (ifi >= 0 ? m_processor->GetLocalAddress(ifi) : set.local) << "\n";
                for (const auto& [src, pe] : set.entries)
                {
                    // One block per flow and peer (after a rekey the old and the new SAs share
                    // it, the newest outbound SA being the current one), and one per permit
                    // line still without SAs.
                    struct Block
                    {
                        IpsecTrafficSelector scope;
                        Ipv4Address peer;
                        std::vector<Ptr<IpsecSaBundle>> bundles;
                    };
                    std::vector<Block> blocks;
                    auto key = [](const IpsecTrafficSelector& sc)
                    {
                        std::ostringstream k;
                        k << sc;
                        return k.str();
                    };
                    for (const auto& b : pe->bundles)
                    {
                        if (!BundleOnInterface(*b, set.interfaces, ifn))
                        {
                            continue;
                        }
                        auto same = std::find_if(blocks.begin(), blocks.end(),
                                                 [&](const Block& x) {
                                                     return x.peer == b->peer &&
                                                            key(x.scope) == key(b->scope);
                                                 });
                        if (same == blocks.end())
                        {
                            blocks.push_back({b->scope, b->peer, {b}});
                        }
                        else
                        {
                            same->bundles.push_back(b);
                        }
                    }
                    if (blocks.empty() && pe->acl && pe->keying != IpsecKeying::DYNAMIC)
                    {
                        for (const auto& rule : pe->acl->GetRules())
                        {
                            if (rule.permit)
                            {
                                blocks.push_back(
                                    {rule.selector,
                                     pe->peers.empty() ? Ipv4Address::GetAny() : pe->peers.front(),
                                     {}});
                            }
                        }
                    }
                    for (const auto& blk : blocks)
                    {
                        const IpsecTrafficSelector& scope = blk.scope;
                        const Ipv4Address peer = blk.peer;
                        if (cmd.filter == "peer" && !cmd.args.empty() &&
                            (blk.bundles.empty() || Ipv4Address(cmd.args[0].c_str()) != peer))
                        {
                            continue;
                        }
                        std::vector<Ptr<IpsecSa>> in;
                        std::vector<Ptr<IpsecSa>> out;
                        uint64_t encaps = 0, encrypt = 0, digest = 0;
                        uint64_t decaps = 0, decrypt = 0, verify = 0;
                        uint64_t sendErr = 0, recvErr = 0;
                        for (const auto& b : blk.bundles)
                        {
                            in.insert(in.end(), b->inbound.begin(), b->inbound.end());
                            out.insert(out.end(), b->outbound.begin(), b->outbound.end());
                            uint64_t e = 0, d = 0;
                            for (const auto& sa : b->outbound)
                            {
                                const IpsecSaConfig& c = sa->GetConfig();
                                e = std::max(e, sa->GetPackets());
                                if (c.protocol == IpsecProtocol::ESP &&
                                    c.cipher != ipsec::CipherAlgorithm::NULL_CIPHER)
                                {
                                    encrypt += sa->GetPackets();
                                }
                                if (c.protocol != IpsecProtocol::IPCOMP &&
                                    (c.auth != ipsec::AuthAlgorithm::NONE ||
                                     ipsec::GetCipherInfo(c.cipher).aead))
                                {
                                    digest += sa->GetPackets();
                                }
                                sendErr += sa->GetDrops().Total();
                            }
                            for (const auto& sa : b->inbound)
                            {
                                const IpsecSaConfig& c = sa->GetConfig();
                                d = std::max(d, sa->GetPackets());
                                if (c.protocol == IpsecProtocol::ESP &&
                                    c.cipher != ipsec::CipherAlgorithm::NULL_CIPHER)
                                {
                                    decrypt += sa->GetPackets();
                                }
                                if (c.protocol != IpsecProtocol::IPCOMP &&
                                    (c.auth != ipsec::AuthAlgorithm::NONE ||
                                     ipsec::GetCipherInfo(c.cipher).aead))
                                {
                                    verify += sa->GetPackets();
                                }
                                recvErr += sa->GetDrops().Total();
                            }
                            encaps += e;
                            decaps += d;
                        }
                        os << "\n   local  ident (addr/mask/prot/port): "
                           << Ident(scope.srcAddr, scope.srcWildcard, scope.protocol, scope.srcPort)
                           << "\n   remote ident (addr/mask/prot/port): "
                           << Ident(scope.dstAddr, scope.dstWildcard, scope.protocol, scope.dstPort)
                           << "\n   current_peer: " << peer << ":"
                           << (!blk.bundles.empty() && blk.bundles.back()->udpEncapPeerPort
                                   ? blk.bundles.back()->udpEncapPeerPort
                                   : 500)
                           << "\n";
                        os << "     PERMIT, flags={origin_is_acl,}\n";
                        if (cmd.filter == "identity")
                        {
                            continue;
                        }
                        os << "    #pkts encaps: " << encaps << ", #pkts encrypt: " << encrypt
                           << ", #pkts digest: " << digest << "\n";
                        os << "    #pkts decaps: " << decaps << ", #pkts decrypt: " << decrypt
                           << ", #pkts verify: " << verify << "\n";
                        if (cmd.detail)
                        {
                            auto count = [](const std::vector<Ptr<IpsecSa>>& v, IpsecDropReason r)
                            {
                                uint64_t n = 0;
                                for (const auto& sa : v)
                                {
                                    n += sa->GetDrops().Get(r);
                                }
                                return n;
                            };
                            using R = IpsecDropReason;
                            os << "    #pkts no sa (send) " << pe->noSaDrops
                               << ", #pkts invalid sa (rcv) 0\n"
                               << "    #pkts encaps failed (send) " << sendErr
                               << ", #pkts decaps failed (rcv) " << recvErr << "\n"
                               << "    #pkts invalid prot (recv) 0, #pkts verify failed: "
                               << count(in, R::ICV_FAILURE) << "\n"
                               << "    #pkts invalid identity (recv) "
                               << count(in, R::POLICY_MISMATCH) << ", #pkts invalid len (rcv) "
                               << count(in, R::MALFORMED) + count(in, R::BAD_PADDING) << "\n"
                               << "    #pkts replay rollover (send): "
                               << count(out, R::SEQUENCE_OVERFLOW)
                               << ", #pkts replay rollover (rcv) 0\n"
                               << "    ##pkts replay failed (rcv): " << count(in, R::REPLAY) << "\n"
                               << "    #pkts internal err (send): 0, #pkts internal err (recv) 0\n";
                        }
                        os << "    #send errors " << sendErr << ", #recv errors " << recvErr
                           << "\n\n";
                        const Ipv4Address localEnd =
                            blk.bundles.empty() ? set.local : blk.bundles.back()->local;
                        os << "     local crypto endpt.: " << localEnd
                           << ", remote crypto endpt.: " << peer << "\n";
                        std::string outSpi = "0";
                        if (!blk.bundles.empty())
                        {
                            for (const auto& sa : blk.bundles.back()->outbound)
                            {
                                if (sa->GetProtocol() != IpsecProtocol::IPCOMP)
                                {
                                    outSpi = Hex8(sa->GetSpi());
                                    break;
                                }
                            }
                        }
                        os << "     current outbound spi: " << outSpi << "\n";
                        const std::string tf =
                            blk.bundles.empty() ? "" : TransformOf(blk.bundles.back()->outbound);
                        PrintSas(os, "inbound", "esp", IpsecProtocol::ESP, in, tf, mapName);
                        PrintSas(os, "inbound", "ah", IpsecProtocol::AH, in, tf, mapName);
                        PrintSas(os, "inbound", "pcp", IpsecProtocol::IPCOMP, in, tf, mapName);
                        PrintSas(os, "outbound", "esp", IpsecProtocol::ESP, out, tf, mapName);
                        PrintSas(os, "outbound", "ah", IpsecProtocol::AH, out, tf, mapName);
                        PrintSas(os, "outbound", "pcp", IpsecProtocol::IPCOMP, out, tf, mapName);
                    }
                }
            }
        }
        break;
    }
    case K::SHOW_CRYPTO_MAP:
        for (const auto& [mapName, set] : im.maps)
        {
            if (cmd.filter == "tag" && !cmd.args.empty() && cmd.args[0] != mapName)
            {
                continue;
            }
            if (cmd.filter == "interface" && !cmd.args.empty() &&
                std::find(set.interfaces.begin(), set.interfaces.end(), cmd.args[0]) ==
                    set.interfaces.end())
            {
                continue;
            }
            std::set<const IosCryptoMapEntry*> shown;
            for (const auto& [src, pe] : set.entries)
            {
                if (!shown.insert(src).second)
                {
                    continue;
                }
                const bool dyn = src->kind == IosCryptoMapKind::DYNAMIC_TEMPLATE;
                os << (dyn ? "Crypto Map Template\"" : "Crypto Map \"") << src->map << "\" "
                   << src->seq << " "
                   << (src->kind == IosCryptoMapKind::IPSEC_MANUAL ? "ipsec-manual"
                                                                   : "ipsec-isakmp")
                   << "\n";
                for (const auto& p : src->peers)
                {
                    os << "\tPeer = " << p << "\n";
                }
                if (pe->acl)
                {
                    auto a = m_config.accessLists.find(src->matchAddress);
                    os << "\tExtended IP access list " << src->matchAddress << "\n";
                    if (a != m_config.accessLists.end())
                    {
                        for (const auto& e : a->second.entries)
                        {
                            os << "\t    access-list " << src->matchAddress << " " << e.text
                               << "\n";
                        }
                    }
                }
                else
                {
                    os << "\tNo matching address list set.\n";
                }
                os << "\tCurrent peer: " << (src->peers.empty() ? "0.0.0.0" : src->peers[0])
                   << "\n";
                if (src->kind != IosCryptoMapKind::IPSEC_MANUAL)
                {
                    os << "\tSecurity association lifetime: "
                       << src->lifetimeKilobytes.value_or(m_config.lifetimeKilobytes)
                       << " kilobytes/" << src->lifetimeSeconds.value_or(m_config.lifetimeSeconds)
                       << " seconds\n";
                    os << "\tPFS (Y/N): " << (src->pfsGroup ? "Y" : "N") << "\n";
                    if (src->pfsGroup)
                    {
                        os << "\tDH group:  group" << *src->pfsGroup << "\n";
                    }
                }
                os << "\tTransform sets={ ";
                for (const auto& t : src->transformSets)
                {
                    os << t << ", ";
                }
                os << "}\n";
                for (const auto& sk : src->sessionKeys)
                {
                    os << "\t" << (sk.inbound ? "Inbound " : "Outbound ")
                       << (sk.protocol == IpsecProtocol::ESP ? "esp" : "ah") << " spi: " << sk.spi
                       << "\n";
                }
                if (src->kind == IosCryptoMapKind::IPSEC_MANUAL && pe->bundles.empty())
                {
                    os << "\tEntry is incomplete: no security associations\n";
                }
            }
            os << "\tInterfaces using crypto map " << mapName << ":\n";
            for (const auto& i : set.interfaces)
            {
                os << "\t\t" << i << "\n";
            }
            os << "\n";
        }
        break;
    case K::SHOW_CRYPTO_TRANSFORM_SET:
        for (const auto& [name, ts] : m_config.transformSets)
        {
            if (cmd.filter == "tag" && !cmd.args.empty() && cmd.args[0] != name)
            {
                continue;
            }
            os << "Transform set " << name << ": { " << ts.ToString() << "  }\n";
            os << "   will negotiate = { "
               << (ts.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport") << ",  },\n\n";
        }
        break;
    case K::SHOW_CRYPTO_DYNAMIC_MAP:
        for (const auto& d : m_config.dynamicMaps)
        {
            if (cmd.filter == "tag" && !cmd.args.empty() && cmd.args[0] != d.map)
            {
                continue;
            }
            os << "Crypto Map Template\"" << d.map << "\" " << d.seq << "\n";
            if (!d.matchAddress.empty())
            {
                os << "\tExtended IP access list " << d.matchAddress << "\n";
            }
            else
            {
                os << "\tNo matching address list set.\n";
            }
            os << "\tCurrent peer: 0.0.0.0\n";
            os << "\tSecurity association lifetime: "
               << d.lifetimeKilobytes.value_or(m_config.lifetimeKilobytes) << " kilobytes/"
               << d.lifetimeSeconds.value_or(m_config.lifetimeSeconds) << " seconds\n";
            os << "\tPFS (Y/N): " << (d.pfsGroup ? "Y" : "N") << "\n";
            os << "\tTransform sets={ ";
            for (const auto& t : d.transformSets)
            {
                os << t << ", ";
            }
            os << "}\n\n";
        }
        break;
    case K::SHOW_CRYPTO_SA_LIFETIME:
        os << "Security association lifetime: " << m_config.lifetimeKilobytes << " kilobytes/"
           << m_config.lifetimeSeconds << " seconds\n";
        break;
    case K::SHOW_ACCESS_LISTS:
        for (const auto& [name, acl] : m_config.accessLists)
        {
            if (!cmd.args.empty() && cmd.args[0] != name)
            {
                continue;
            }
            os << (acl.extended ? "Extended" : "Standard") << " IP access list " << name << "\n";
            Ptr<IpsecAccessList> live = im.acls.at(name);
            for (size_t i = 0; i < acl.entries.size(); ++i)
            {
                os << "    " << acl.entries[i].seq << " " << acl.entries[i].text;
                uint64_t m = live->GetMatches(i);
                if (m)
                {
                    os << " (" << m << " match" << (m == 1 ? "" : "es") << ")";
                }
                os << "\n";
            }
        }
        break;
    case K::SHOW_RUNNING_CONFIG:
    {
        std::ostringstream body;
        for (const auto& l : m_config.lines)
        {
            if (l.text != "end") // printed once, at the end
            {
                body << l.text << "\n";
            }
        }
        os << "Building configuration...\n\nCurrent configuration : " << body.str().size()
           << " bytes\n!\n"
           << body.str() << "end\n";
        break;
    }
    case K::SHOW_CRYPTO_ISAKMP_POLICY:
        os << ShowCryptoIsakmpPolicy(m_config);
        break;
    case K::SHOW_CRYPTO_ENGINE_CONFIGURATION:
    case K::SHOW_CRYPTO_ENGINE_CONNECTIONS:
    case K::SHOW_PROCESSES_CPU:
        if (Ptr<IpsecEngineSet> e = GetEngines())
        {
            os << (cmd.kind == K::SHOW_CRYPTO_ENGINE_CONFIGURATION ? e->ShowConfiguration()
                   : cmd.kind == K::SHOW_CRYPTO_ENGINE_CONNECTIONS ? e->ShowConnectionsActive()
                                                                   : e->ShowProcessesCpu());
        }
        else
        {
            os << "% No platform: crypto and switching are not timed on this router (name one "
                  "with the scenario's \"platform\" key)\n";
        }
        break;
    case K::SHOW_CRYPTO_ISAKMP_SA:
        os << "dst             src             state          conn-id slot status\n";
        if (m_ike)
        {
            for (const auto& sa : m_ike->GetSas())
            {
                // IOS lists dst as the responder's address and src as the initiator's.
                const Ipv4Address dst = sa->initiator ? sa->peer : sa->local;
                const Ipv4Address src = sa->initiator ? sa->local : sa->peer;
                char line[128];
                std::ostringstream d;
                std::ostringstream sr;
                d << dst;
                sr << src;
                std::snprintf(line, sizeof(line), "%-15s %-15s %-14s %7u %4u %s\n", d.str().c_str(),
                              sr.str().c_str(), ToString(sa->state), sa->connId, 0u,
                              sa->IsEstablished() ? "ACTIVE" : "");
                os << line;
            }
        }
        break;
    case K::SHOW_CRYPTO_SESSION:
        os << "Crypto session current status\n";
        for (const auto& [mapName, set] : im.maps)
        {
            for (const auto& ifn : set.interfaces)
            {
                for (const auto& [src, pe] : set.entries)
                {
                    for (const auto& b : pe->bundles)
                    {
                        if (!BundleOnInterface(*b, set.interfaces, ifn))
                        {
                            continue;
                        }
                        os << "\nInterface: " << ifn << "\nSession status: "
                           << (pe->keying != IpsecKeying::MANUAL ? "UP-ACTIVE" : "UP-NO-IKE")
                           << "\nPeer: " << b->peer << " port 500\n  IPSEC FLOW: permit ";
                        std::ostringstream flow;
                        flow << b->scope;
                        const bool ike = pe->keying != IpsecKeying::MANUAL;
                        os << flow.str()
                           << "\n        Active SAs: " << b->inbound.size() + b->outbound.size()
                           << ", origin: "
                           << (pe->keying == IpsecKeying::DYNAMIC ? "dynamic crypto map"
                               : ike                              ? "crypto map"
                                                                  : "manual-keyed")
                           << "\n";
                    }
                }
            }
        }
        break;
    case K::CLEAR_CRYPTO_ISAKMP:
        if (m_ike)
        {
            m_ike->ClearIsakmp(
                cmd.args.empty() ? 0 : static_cast<uint32_t>(std::stoul(cmd.args[0], nullptr, 10)));
        }
        break;
    case K::CLEAR_CRYPTO_SA:
    {
        // Every SA goes; manually keyed ones are re-established at once (spec, Step 4 of
        // "Defining Transform Sets"), with fresh counters and replay state.
        std::set<IpsecSaBundle*> cleared;
        for (auto& [mapName, set] : im.maps)
        {
            if (cmd.filter == "map" && !cmd.args.empty() && cmd.args[0] != mapName)
            {
                continue;
            }
            for (auto& [src, pe] : set.entries)
            {
                for (auto b : std::vector<Ptr<IpsecSaBundle>>(pe->bundles))
                {
                    bool match = true;
                    if (cmd.filter == "peer" && !cmd.args.empty())
                    {
                        match = Ipv4Address(cmd.args[0].c_str()) == b->peer;
                    }
                    else if (cmd.filter == "entry" && cmd.args.size() >= 3)
                    {
                        match = false;
                        const Ipv4Address dst(cmd.args[0].c_str());
                        const uint32_t spi =
                            static_cast<uint32_t>(std::stoul(cmd.args[2], nullptr, 0));
                        for (const auto* v : {&b->inbound, &b->outbound})
                        {
                            for (const auto& sa : *v)
                            {
                                match |= sa->GetDestination() == dst && sa->GetSpi() == spi &&
                                         ToString(sa->GetProtocol()) == cmd.args[1];
                            }
                        }
                    }
                    if (match)
                    {
                        if (m_ike && pe->keying != IpsecKeying::MANUAL)
                        {
                            m_ike->DeleteBundle(pe, b); // tells the peer, too
                        }
                        else
                        {
                            m_processor->RemoveBundle(pe, b);
                        }
                        cleared.insert(PeekPointer(b));
                    }
                }
            }
        }
        for (auto& mb : im.manual)
        {
            if (!mb.bundle || cleared.count(PeekPointer(mb.bundle)))
            {
                mb.bundle = IpsecHelper::MakeManualBundle(mb.ts, mb.local, mb.peer, mb.scope, mb.in,
                                                          mb.out, 0);
                m_impl->InstallManual(*m_processor, mb, "clear crypto sa");
            }
        }
        break;
    }
    }
    return os.str();
}

nlohmann::json
IkeExchangeToJson(const IkeExchangeRecord& r)
{
    std::ostringstream l;
    std::ostringstream p;
    l << r.local;
    p << r.peer;
    nlohmann::json j = {{"exchange", r.exchange},
                        {"role", r.role},
                        {"local", l.str()},
                        {"peer", p.str()},
                        {"icookie", r.icookie},
                        {"message_id", r.messageId},
                        {"start_s", r.start.GetSeconds()},
                        {"result", r.result},
                        {"messages", r.messages},
                        {"retransmissions", r.retransmissions}};
    if (r.result != "in progress")
    {
        j["end_s"] = r.end.GetSeconds();
    }
    if (!r.reason.empty())
    {
        j["reason"] = r.reason;
    }
    if (!r.detail.empty())
    {
        j["detail"] = r.detail;
    }
    return j;
}

nlohmann::json
HardwareReport(const IpsecEngineSet& engines)
{
    auto engine = [](const Ptr<IpsecCryptoEngine>& e)
    {
        nlohmann::json x;
        x["name"] = e->GetName();
        x["description"] = e->Describe();
        x["completed"] = e->GetCompleted();
        x["utilisation"] = e->GetUtilisation(Seconds(0));
        x["busy_s"] = e->GetBusyTime().GetSeconds();
        x["queue_depth_limit"] = e->GetQueueDepth();
        nlohmann::json d = nlohmann::json::object();
        for (size_t k = 0; k < kIpsecEngineDropReasonCount; ++k)
        {
            const auto r = static_cast<IpsecEngineDropReason>(k);
            if (e->GetDrops(r))
            {
                d[ToString(r)] = e->GetDrops(r);
            }
        }
        x["refused"] = d;
        return x;
    };
    nlohmann::json h;
    if (Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware())
    {
        h["platform"] = cpu->GetPlatformName();
        h["cpu"] = engine(cpu);
    }
    h["forwarded"] = engines.GetForwarded();
    h["input_queue_drops"] = engines.GetForwardDrops();
    h["cards"] = nlohmann::json::array();
    for (const auto& c : engines.GetCards())
    {
        nlohmann::json x = engine(c);
        x["card"] = c->GetCardName();
        x["slot"] = c->GetSlot();
        x["failed"] = c->IsFailed();
        x["tunnels"] = c->GetTunnels();
        x["max_tunnels"] = c->GetMaxTunnels();
        h["cards"].push_back(x);
    }
    return h;
}

nlohmann::json
IosRouter::Report() const
{
    nlohmann::json j;
    j["hostname"] = m_config.hostname;
    j["encapsulated"] = m_processor->GetEncapsulated();
    j["decapsulated"] = m_processor->GetDecapsulated();
    j["drops"] = nlohmann::json::object();
    for (size_t k = 0; k < kIpsecDropReasonCount; ++k)
    {
        auto reason = static_cast<IpsecDropReason>(k);
        if (m_processor->GetDrops().Get(reason))
        {
            j["drops"][ToString(reason)] = m_processor->GetDrops().Get(reason);
        }
    }
    for (const auto& [name, t] : m_impl->tunnels)
    {
        std::ostringstream src, dst;
        src << t->GetSource();
        dst << t->GetDestination();
        j["gre"].push_back({{"interface", name},
                            {"source", src.str()},
                            {"destination", dst.str()},
                            {"encapsulated", t->GetEncapsulated()},
                            {"decapsulated", t->GetDecapsulated()},
                            {"dropped", t->GetDropped()}});
    }
    // Lines read but not modelled (accepted as IOS would, without effect here).
    j["not_modelled"] = nlohmann::json::array();
    for (const auto& w : m_config.notModelled)
    {
        j["not_modelled"].push_back(w.file + ":" + std::to_string(w.line) + ": " + w.text);
    }
    if (Ptr<IpsecEngineSet> engines = GetEngines())
    {
        j["hardware"] = HardwareReport(*engines);
        j["hardware"]["refused_sa_sets"] = m_impl->engineRefusals;
    }
    j["sas"] = nlohmann::json::array();
    for (const auto& [mapName, set] : m_impl->maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            for (const auto& b : pe->bundles)
            {
                std::ostringstream flow;
                flow << b->scope;
                const std::string tf = TransformOf(b->outbound);
                for (const auto* v : {&b->inbound, &b->outbound})
                {
                    for (const auto& sa : *v)
                    {
                        nlohmann::json s;
                        s["spi"] = "0x" + Hex8(sa->GetSpi());
                        s["protocol"] = ToString(sa->GetProtocol());
                        s["direction"] =
                            sa->GetDirection() == IpsecDirection::INBOUND ? "inbound" : "outbound";
                        std::ostringstream peer, local;
                        peer << b->peer;
                        local << b->local;
                        s["peer"] = peer.str();
                        s["local"] = local.str();
                        s["map"] = mapName;
                        s["seq"] = pe->seq;
                        s["transform"] = tf;
                        s["mode"] = sa->GetMode() == IpsecMode::TUNNEL ? "tunnel" : "transport";
                        s["flow"] = flow.str();
                        s["packets"] = sa->GetPackets();
                        s["bytes"] = sa->GetBytes();
                        s["drops"] = nlohmann::json::object();
                        for (size_t k = 0; k < kIpsecDropReasonCount; ++k)
                        {
                            auto reason = static_cast<IpsecDropReason>(k);
                            if (sa->GetDrops().Get(reason))
                            {
                                s["drops"][ToString(reason)] = sa->GetDrops().Get(reason);
                            }
                        }
                        j["sas"].push_back(s);
                    }
                }
            }
        }
    }
    if (m_nat)
    {
        j["nat"] = {{"translated_out", m_nat->GetTranslatedOut()},
                    {"translated_in", m_nat->GetTranslatedIn()}};
    }
    if (m_ike)
    {
        nlohmann::json ike;
        ike["isakmp_sas"] = nlohmann::json::array();
        for (const auto& sa : m_ike->GetSas())
        {
            std::ostringstream l;
            std::ostringstream pr;
            l << sa->local;
            pr << sa->peer;
            ike["isakmp_sas"].push_back({{"conn_id", sa->connId},
                                         {"local", l.str()},
                                         {"peer", pr.str()},
                                         {"role", sa->initiator ? "initiator" : "responder"},
                                         {"state", ToString(sa->state)},
                                         {"suite", sa->policy.ToString()},
                                         {"created_s", sa->created.GetSeconds()}});
        }
        ike["exchanges"] = nlohmann::json::array();
        for (const auto& r : m_ike->GetExchanges())
        {
            ike["exchanges"].push_back(IkeExchangeToJson(r));
        }
        ike["dropped_messages"] = m_ike->GetDroppedMessages();
        ike["nat_keepalives"] = {{"sent", m_ike->GetNatKeepalivesSent()},
                                 {"received", m_ike->GetNatKeepalivesReceived()}};
        ike["drop_reasons"] = m_ike->GetDropReasons();
        j["ike"] = ike;
    }
    return j;
}

} // namespace ns3
