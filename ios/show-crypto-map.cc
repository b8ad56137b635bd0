// show crypto map, show crypto dynamic-map, show crypto ipsec transform-set and show crypto
// ipsec security-association lifetime: the crypto configuration in force, as IOS 12.x prints it.
#include "ns3/ios-keywords.h"

#include "ios-router-state.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace ns3
{

namespace
{
/** The access list a crypto map entry matches, with its lines. */
void
PrintMatchAddress(std::ostream& os, const IosRouterConfig& config, const IosCryptoMapEntry& src)
{
    auto a = config.accessLists.find(src.matchAddress);
    os << "\tExtended IP access list " << src.matchAddress << "\n";
    if (a != config.accessLists.end())
    {
        for (const auto& e : a->second.entries)
        {
            os << "\t    access-list " << src.matchAddress << " " << e.text << "\n";
        }
    }
}

void
PrintTransformSets(std::ostream& os, const std::vector<std::string>& names)
{
    os << "\tTransform sets={ ";
    for (const auto& t : names)
    {
        os << t << ", ";
    }
    os << "}\n";
}

/** One entry of a crypto map set: @p pe is the policy entry built from @p src. */
void
PrintEntry(std::ostream& os, const IosRouterConfig& config, const IosCryptoMapEntry& src,
           const IpsecPolicyEntry& pe)
{
    const bool dyn = src.kind == IosCryptoMapKind::DYNAMIC_TEMPLATE;
    const bool manual = src.kind == IosCryptoMapKind::IPSEC_MANUAL;
    os << (dyn ? "Crypto Map Template\"" : "Crypto Map \"") << src.map << "\" " << src.seq << " "
       << (manual ? "ipsec-manual" : "ipsec-isakmp") << "\n";
    if (!src.profile.empty())
    {
        os << "\tMap is a PROFILE INSTANCE.\n\tProfile name: " << src.profile << "\n";
    }
    for (const auto& p : src.peers)
    {
        os << "\tPeer = " << p << "\n";
    }
    if (pe.acl && !src.profile.empty())
    {
        // A tunnel's set: its access list is the tunnel's (GRE between its ends, or any).
        os << "\tExtended IP access list \n";
        for (const auto& rule : pe.acl->GetRules())
        {
            os << "\t    access-list  " << IosAclLineText(rule.permit, rule.selector) << "\n";
        }
    }
    else if (pe.acl)
    {
        PrintMatchAddress(os, config, src);
    }
    else
    {
        os << "\tNo matching address list set.\n";
    }
    // A peer given by host name is current at the address it resolved to.
    std::ostringstream current;
    if (!src.peers.empty() && !IosParseAddress(src.peers[0]) && !pe.peers.empty())
    {
        current << pe.peers.front();
    }
    else
    {
        current << (src.peers.empty() ? "0.0.0.0" : src.peers[0]);
    }
    os << "\tCurrent peer: " << current.str() << "\n";
    if (!manual)
    {
        os << "\tSecurity association lifetime: "
           << src.lifetimeKilobytes.value_or(config.lifetimeKilobytes) << " kilobytes/"
           << src.lifetimeSeconds.value_or(config.lifetimeSeconds) << " seconds\n";
        os << "\tPFS (Y/N): " << (src.pfsGroup ? "Y" : "N") << "\n";
        if (src.pfsGroup)
        {
            os << "\tDH group:  group" << *src.pfsGroup << "\n";
        }
    }
    PrintTransformSets(os, src.transformSets);
    for (const auto& sk : src.sessionKeys)
    {
        os << "\t" << (sk.inbound ? "Inbound " : "Outbound ")
           << (sk.protocol == IpsecProtocol::ESP ? "esp" : "ah") << " spi: " << sk.spi << "\n";
    }
    if (manual && pe.bundles.empty())
    {
        os << "\tEntry is incomplete: no security associations\n";
    }
}
} // namespace

void
ShowCryptoMap(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
              const IosRouterState& state)
{
    for (const auto& [mapName, set] : state.maps)
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
            if (shown.insert(src).second)
            {
                PrintEntry(os, router.GetConfig(), *src, *pe);
            }
        }
        os << "\tInterfaces using crypto map " << mapName << ":\n";
        for (const auto& i : set.interfaces)
        {
            os << "\t\t" << i << "\n";
        }
        os << "\n";
    }
}

void
ShowCryptoDynamicMap(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config)
{
    for (const auto& d : config.dynamicMaps)
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
           << d.lifetimeKilobytes.value_or(config.lifetimeKilobytes) << " kilobytes/"
           << d.lifetimeSeconds.value_or(config.lifetimeSeconds) << " seconds\n";
        os << "\tPFS (Y/N): " << (d.pfsGroup ? "Y" : "N") << "\n";
        PrintTransformSets(os, d.transformSets);
        os << "\n";
    }
}

void
ShowCryptoTransformSet(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config)
{
    for (const auto& [name, ts] : config.transformSets)
    {
        if (cmd.filter == "tag" && !cmd.args.empty() && cmd.args[0] != name)
        {
            continue;
        }
        os << "Transform set " << name << ": { " << ts.ToString() << "  }\n";
        os << "   will negotiate = { " << (ts.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
           << ",  },\n\n";
    }
}

void
ShowCryptoSaLifetime(std::ostream& os, const IosRouterConfig& config)
{
    os << "Security association lifetime: " << config.lifetimeKilobytes << " kilobytes/"
       << config.lifetimeSeconds << " seconds\n";
}

} // namespace ns3
