// Tunnel interfaces protected by IPsec, as IOS 12.4/15 builds them: `tunnel protection ipsec
// profile NAME` makes a crypto map set of the tunnel's own ("Tunnel0-head-0") with one
// ipsec-isakmp entry whose peer is the tunnel destination, whose local address is the tunnel
// source and whose transform sets, PFS and lifetimes are the profile's. On a GRE tunnel its
// access list is `permit gre host SOURCE host DESTINATION` and the GRE packets meet it; on a
// virtual tunnel interface (`tunnel mode ipsec ipv4`) it is `permit ip any any` and every packet
// routed into the interface meets it, while what the SAs bring arrives on the interface.
#include "ios-router-state.h"

#include "ns3/ios-keywords.h"
#include "ns3/ipsec-ns3-compat.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/virtual-net-device.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterTunnels");

namespace
{
constexpr uint8_t kGre = 47;
constexpr uint32_t kTunnelMapSeq = 65536; //!< as IOS numbers the entry of "Tunnel0-head-0"

/** The tunnel source of @p iface from the configuration: an address, or the address of the
 *  interface named. @throws IosConfigError */
Ipv4Address
TunnelSourceOf(const IosRouterConfig& cfg, const IosInterface& iface)
{
    if (auto a = IosParseAddress(iface.tunnelSource))
    {
        return *a;
    }
    const IosInterface* si = cfg.FindInterface(iface.tunnelSource);
    if (!si || !si->address)
    {
        throw IosConfigError(iface.tunnelSourceWhere, 0,
                             "tunnel source " + iface.tunnelSource +
                                 ": no such interface with an address");
    }
    return *si->address;
}
} // namespace

std::string
IosTunnelMapName(const IosInterface& iface)
{
    return iface.tunnelProtection.empty() ? "" : iface.name + "-head-0";
}

void
IosBuildTunnelMapSets(const IosRouterConfig& cfg, const std::map<std::string, uint32_t>& ifIndex,
                      IosBuiltMaps& out)
{
    for (const auto& iface : cfg.interfaces)
    {
        if (iface.tunnelProtection.empty() || !iface.cryptoMap.empty() ||
            !ifIndex.count(iface.name))
        {
            continue;
        }
        if (iface.tunnelSource.empty() || !iface.tunnelDestination)
        {
            continue; // the tunnel is down (IOS: line protocol down) and negotiates nothing
        }
        const IosIpsecProfile& profile = cfg.ipsecProfiles.at(iface.tunnelProtection);
        const Ipv4Address source = TunnelSourceOf(cfg, iface);
        const Ipv4Address destination = *iface.tunnelDestination;

        auto src = std::make_shared<IosCryptoMapEntry>();
        src->map = IosTunnelMapName(iface);
        src->seq = kTunnelMapSeq;
        src->kind = IosCryptoMapKind::IPSEC_ISAKMP;
        std::ostringstream peer;
        peer << destination;
        src->peers = {peer.str()};
        src->transformSets = profile.transformSets;
        src->lifetimeSeconds = profile.lifetimeSeconds;
        src->lifetimeKilobytes = profile.lifetimeKilobytes;
        src->pfsGroup = profile.pfsGroup;
        src->profile = profile.name;
        src->isakmpProfile = profile.isakmpProfile;
        src->sa = profile.sa;
        src->where = iface.tunnelProtectionWhere;

        Ptr<IpsecPolicyEntry> pe = Create<IpsecPolicyEntry>();
        pe->mapName = src->map;
        pe->seq = src->seq;
        pe->keying = IpsecKeying::ISAKMP;
        pe->peers = {destination};
        pe->acl = Create<IpsecAccessList>(src->map);
        // IOS: the proxy identities of a protected GRE tunnel are GRE between its ends; those
        // of a virtual tunnel interface are any to any (routing decides what enters it).
        pe->acl->Add(true,
                     iface.tunnelModeIpsec
                         ? IpsecTrafficSelector::Subnets(Ipv4Address::GetAny(), Ipv4Mask::GetZero(),
                                                         Ipv4Address::GetAny(), Ipv4Mask::GetZero())
                         : IpsecTrafficSelector::Hosts(source, destination, kGre));
        if (!profile.transformSets.empty())
        {
            auto ts = cfg.transformSets.find(profile.transformSets.front());
            if (ts != cfg.transformSets.end() && !iface.tunnelModeIpsec)
            {
                pe->mode = ts->second.mode; // a VTI is always tunnel mode
            }
        }

        IosMapSet set;
        set.local = source;
        set.interfaces = {iface.name};
        set.entries.emplace_back(src.get(), pe);
        out.maps[src->map] = std::move(set);
        out.tunnelEntries.push_back(src);
    }
}

Ptr<NetDevice>
IosRouterState::InstallVti(IosRouter& r, const IosInterface& iface)
{
    Ptr<VirtualNetDevice> dev = CreateObject<VirtualNetDevice>();
    dev->SetAddress(Mac48Address::Allocate());
    dev->SetNeedsArp(false);
    dev->SetIsPointToPoint(true);
    // IOS 15 for an IPsec tunnel over a 1500-byte path: "Tunnel transport MTU 1438 bytes".
    dev->SetMtu(1438);
    // Every unicast packet routed into the interface is taken by IPsec before it reaches the
    // device (the set permits any to any); what gets here (broadcast, or a tunnel without
    // destination or profile) goes nowhere.
    dev->SetSendCallback(MakeLambdaCallback<VirtualNetDevice::SendCallback>(
        [](Ptr<Packet>, const Address&, const Address&, uint16_t) { return false; }));
    r.m_node->AddDevice(dev);
    vtis[iface.name] = dev;
    return dev;
}

void
IosRouterState::ApplyTunnelProtection(IosRouter& r)
{
    for (const auto& iface : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx == ifIndex.end())
        {
            continue;
        }
        const bool protectedSet = maps.count(IosTunnelMapName(iface)) > 0;
        auto gre = tunnels.find(iface.name);
        if (gre != tunnels.end())
        {
            gre->second->SetProtected(protectedSet);
        }
        if (vtis.count(iface.name))
        {
            r.m_processor->SetTunnelInterface(idx->second, true);
        }
    }
}

void
IosRouterState::StartTunnels(IosRouter& r)
{
    if (!r.m_ike)
    {
        return;
    }
    for (const auto& iface : r.m_config.interfaces)
    {
        auto ms = maps.find(IosTunnelMapName(iface));
        auto idx = ifIndex.find(iface.name);
        if (iface.tunnelProtection.empty() || ms == maps.end() || idx == ifIndex.end() ||
            iface.shutdown)
        {
            continue;
        }
        for (const auto& entry : ms->second.entries)
        {
            Ptr<IpsecPolicyEntry> pe = entry.second; // (a lambda cannot capture a binding in C++17)
            // Both ends bring the tunnel up. So that they do not both initiate at the same
            // instant (two SA pairs where one does), the end with the lower address starts at
            // once and the other a second later, if it has no SAs by then.
            const bool first = ms->second.local.Get() < pe->peers.front().Get();
            Ptr<IpsecProcessor> processor = r.m_processor;
            const uint32_t ifIdx = idx->second;
            ScheduleLambda(first ? Seconds(0) : Seconds(1),
                           [processor, ifIdx, pe]()
                           {
                               if (pe->bundles.empty())
                               {
                                   processor->RequestSas(ifIdx, pe,
                                                         pe->acl->GetRules().front().selector);
                               }
                           });
        }
    }
}

} // namespace ns3
