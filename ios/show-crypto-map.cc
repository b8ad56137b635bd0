// show crypto map, show crypto dynamic-map, show crypto ipsec transform-set and show crypto
// ipsec security-association lifetime: the crypto configuration in force, as the router's IOS
// release prints it, and the IOS names of transforms.
//
// The layouts follow captured output of real routers (public lab transcripts and parser
// fixtures):
// - 15.x heads each entry `Crypto Map IPv4 "NAME" SEQ ipsec-isakmp` (what IOSv 15.4+ and IOS-XE
//   print, and what genieparser's ShowCryptoMap matches), adds `Responder-Only (Y/N)` before
//   `PFS (Y/N)` and `Mixed-mode : Disabled` after it, and lists each transform set with its
//   transforms (`NAME:  { esp-256-aes esp-sha-hmac  } ,`).
// - 12.4 heads it `Crypto Map "NAME" SEQ ipsec-isakmp` and lists the transform sets by name,
//   one a line (`NAME,`).
// - A static entry that references a dynamic map prints only `Dynamic map template tag: DYN`;
//   each peer the template accepted appears as an entry of its own at sequence 65536 and up,
//   its access list the flow negotiated, marked `dynamic (created from dynamic map DYN/SEQ)`.
// - `show crypto dynamic-map` heads each template `Crypto Map Template"DYN" SEQ` (no space
//   before the quote, as IOS prints it) in both releases.
// - `show crypto ipsec transform-set`: `Transform set NAME: { ...  } ` and `   will negotiate =
//   { Tunnel,  }, `; 15.x lists its built-in `default` set (esp-aes esp-sha-hmac, transport)
//   first.
#include "ns3/ios-keywords.h"
#include "ns3/ios-show.h"

#include "ios-router-state.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace ns3
{

std::string
IosTransformNames(const IpsecTransformSet& ts)
{
    // The configuration's `esp-aes 256` is printed `esp-256-aes` (and 192 `esp-192-aes`) by
    // every show and debug command; GCM keeps the key size after a space (`esp-gcm 256`).
    std::string text = ts.ToString();
    for (const auto& [config, shown] :
         {std::pair<std::string, std::string>{"esp-aes 192", "esp-192-aes"},
          {"esp-aes 256", "esp-256-aes"}})
    {
        const size_t at = text.find(config);
        if (at != std::string::npos)
        {
            text.replace(at, config.size(), shown);
        }
    }
    return text;
}

namespace
{
bool
Is15(const IosRouterConfig& config)
{
    return config.release == IosRelease::IOS_15;
}

/** The first line of an entry: `Crypto Map IPv4 "NAME" SEQ KIND` (15.x) or without `IPv4 `. */
void
PrintHeader(std::ostream& os, const IosRouterConfig& config, const std::string& map, uint64_t seq,
            const char* kind)
{
    os << "Crypto Map " << (Is15(config) ? "IPv4 " : "") << "\"" << map << "\" " << seq << " "
       << kind << "\n";
}

/** The access list a crypto map entry matches, with its lines. */
void
PrintMatchAddress(std::ostream& os, const IosRouterConfig& config, const std::string& acl)
{
    os << "\tExtended IP access list " << acl << "\n";
    auto a = config.accessLists.find(acl);
    if (a != config.accessLists.end())
    {
        for (const auto& e : a->second.entries)
        {
            os << "\t    access-list " << acl << " " << e.text << "\n";
        }
    }
}

/** `Transform sets={ ... }`: names only in 12.4, names with their transforms in 15.x. */
void
PrintTransformSets(std::ostream& os, const IosRouterConfig& config,
                   const std::vector<std::string>& names)
{
    os << "\tTransform sets={ \n";
    for (const auto& t : names)
    {
        os << "\t\t" << t;
        auto ts = config.transformSets.find(t);
        if (Is15(config) && ts != config.transformSets.end())
        {
            os << ":  { " << IosTransformNames(ts->second) << "  } ";
        }
        os << ", \n";
    }
    os << "\t}\n";
}

/** The negotiation settings of an ipsec-isakmp or dynamic entry, from its lifetime to its
 *  transform sets. */
void
PrintNegotiated(std::ostream& os, const IosRouterConfig& config, const IosCryptoMapEntry& src)
{
    os << "\tSecurity association lifetime: "
       << src.lifetimeKilobytes.value_or(config.lifetimeKilobytes) << " kilobytes/"
       << src.lifetimeSeconds.value_or(config.lifetimeSeconds) << " seconds\n";
    if (auto idle = src.sa.idleSeconds ? src.sa.idleSeconds : config.saOptions.idleSeconds)
    {
        os << "\tSecurity association idletime: " << *idle << " seconds\n";
    }
    if (Is15(config))
    {
        os << "\tResponder-Only (Y/N): N\n";
    }
    os << "\tPFS (Y/N): " << (src.pfsGroup ? "Y" : "N") << "\n";
    if (src.pfsGroup)
    {
        os << "\tDH group:  group" << *src.pfsGroup << "\n";
    }
    if (Is15(config))
    {
        os << "\tMixed-mode : Disabled\n";
    }
    PrintTransformSets(os, config, src.transformSets);
    if (src.reverseRoute)
    {
        os << "\tReverse Route Injection Enabled\n";
    }
}

/** The peer IOS shows as current: the one last heard from, else the first that resolved. */
std::string
CurrentPeer(const IosCryptoMapEntry& src, const IpsecPolicyEntry& pe)
{
    std::ostringstream os;
    if (!pe.lastPeerHeard.IsAny())
    {
        os << pe.lastPeerHeard;
    }
    else if (!pe.peers.empty())
    {
        os << pe.peers.front();
    }
    else
    {
        os << src.peers.front();
    }
    return os.str();
}

/** One static entry of a crypto map set: @p pe is the policy entry built from @p src. */
void
PrintEntry(std::ostream& os, const IosRouterConfig& config, const IosCryptoMapEntry& src,
           const IpsecPolicyEntry& pe)
{
    const bool manual = src.kind == IosCryptoMapKind::IPSEC_MANUAL;
    // A tunnel's profile instance follows the profile's own entry (PrintProfile).
    PrintHeader(os, config, src.map, src.seq + (src.profile.empty() ? 0 : 1),
                manual ? "ipsec-manual" : "ipsec-isakmp");
    // An entry IOS cannot use: no peer or access list, or manual keying without its keys.
    if (((src.peers.empty() || src.matchAddress.empty()) && src.profile.empty()) ||
        (manual && pe.bundles.empty()))
    {
        os << "\tWARNING: This crypto map is in an incomplete state!\n"
              "\t\t(missing peer or access-list definitions)\n";
    }
    if (!src.description.empty())
    {
        os << "\tDescription: " << src.description << "\n";
    }
    if (!src.profile.empty())
    {
        os << "\tMap is a PROFILE INSTANCE.\n";
    }
    for (const auto& p : src.peers)
    {
        os << "\tPeer = " << p << "\n";
    }
    if (!src.isakmpProfile.empty())
    {
        os << "\tISAKMP Profile: " << src.isakmpProfile << "\n";
    }
    if (!src.ikev2Profile.empty())
    {
        os << "\tIKEv2 Profile: " << src.ikev2Profile << "\n"; // as genieparser's capture
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
    else if (!src.matchAddress.empty())
    {
        PrintMatchAddress(os, config, src.matchAddress);
    }
    else
    {
        os << "\tNo matching address list set.\n";
    }
    if (!src.peers.empty())
    {
        os << "\tCurrent peer: " << CurrentPeer(src, pe) << "\n";
    }
    if (manual)
    {
        PrintTransformSets(os, config, src.transformSets);
        for (const auto& sk : src.sessionKeys)
        {
            os << "\t" << (sk.inbound ? "Inbound " : "Outbound ")
               << (sk.protocol == IpsecProtocol::ESP ? "esp" : "ah") << " spi: " << sk.spi << "\n";
        }
        return;
    }
    PrintNegotiated(os, config, src);
}

/** The entry IOS shows for the IPsec profile of a tunnel's crypto map set (`tunnel protection
 *  ipsec profile P`): the profile's settings, before the instance with the tunnel's peer. */
std::string
ProfileBlock(const IosRouterConfig& config, const IosCryptoMapEntry& src)
{
    std::ostringstream os;
    PrintHeader(os, config, src.map, src.seq, "ipsec-isakmp");
    os << "\tProfile name: " << src.profile << "\n";
    PrintNegotiated(os, config, src);
    return os.str();
}

/**
 * The entries IOS makes for the peers a dynamic-map template accepted, numbered from 65536 in
 * @p next: one per negotiated flow, its access list that flow. One block per entry.
 */
void
DynamicInstances(std::vector<std::string>& blocks, const IosRouterConfig& config,
                 const std::string& map, const IosCryptoMapEntry& tmpl, const IpsecPolicyEntry& pe,
                 uint64_t& next)
{
    for (const auto& b : pe.bundles)
    {
        std::ostringstream os;
        PrintHeader(os, config, map, next++, "ipsec-isakmp");
        os << "\tPeer = " << b->peer << "\n"
           << "\tExtended IP access list \n"
           << "\t    access-list  " << IosAclLineText(true, b->scope) << "\n"
           << "\t    dynamic (created from dynamic map " << tmpl.map << "/" << tmpl.seq << ")\n"
           << "\tCurrent peer: " << b->peer << "\n";
        PrintNegotiated(os, config, tmpl);
        blocks.push_back(os.str());
    }
}

/** The `crypto map NAME SEQ ipsec-isakmp dynamic DYN` entries of map set @p map, by seq. */
std::vector<const IosCryptoMapEntry*>
DynamicReferences(const IosRouterConfig& config, const std::string& map)
{
    std::vector<const IosCryptoMapEntry*> out;
    for (const auto& e : config.cryptoMaps)
    {
        if (e.map == map && e.kind == IosCryptoMapKind::DYNAMIC_REFERENCE)
        {
            out.push_back(&e);
        }
    }
    return out;
}

bool
Shown(const IosExecCommand& cmd, const std::string& mapName, const IosMapSet& set)
{
    if (cmd.filter == "tag" && !cmd.args.empty() && cmd.args[0] != mapName)
    {
        return false;
    }
    return !(cmd.filter == "interface" && !cmd.args.empty() &&
             std::find(set.interfaces.begin(), set.interfaces.end(), cmd.args[0]) ==
                 set.interfaces.end());
}

/** Every entry of one crypto map set in sequence order (a blank line between two), then the
 *  interfaces it is on, which close the last entry. */
void
PrintMapSet(std::ostream& os, const IosRouterConfig& config, const std::string& mapName,
            const IosMapSet& set)
{
    std::vector<std::string> blocks;
    const std::vector<const IosCryptoMapEntry*> refs = DynamicReferences(config, mapName);
    size_t nextRef = 0;
    auto referencesUpTo = [&](uint64_t seq)
    {
        for (; nextRef < refs.size() && refs[nextRef]->seq <= seq; ++nextRef)
        {
            std::ostringstream b;
            PrintHeader(b, config, mapName, refs[nextRef]->seq, "ipsec-isakmp");
            b << "\tDynamic map template tag: " << refs[nextRef]->dynamicMap << "\n";
            blocks.push_back(b.str());
        }
    };
    std::vector<std::pair<const IosCryptoMapEntry*, const IpsecPolicyEntry*>> templates;
    std::set<const IosCryptoMapEntry*> shown;
    for (const auto& [src, pe] : set.entries)
    {
        if (src->kind == IosCryptoMapKind::DYNAMIC_TEMPLATE)
        {
            templates.emplace_back(src, PeekPointer(pe)); // its reference stands for it
            continue;
        }
        if (shown.insert(src).second)
        {
            referencesUpTo(src->seq);
            if (!src->profile.empty())
            {
                blocks.push_back(ProfileBlock(config, *src));
            }
            std::ostringstream b;
            PrintEntry(b, config, *src, *pe);
            blocks.push_back(b.str());
        }
    }
    referencesUpTo(UINT64_MAX);
    uint64_t next = 65536;
    for (const auto& [tmpl, pe] : templates)
    {
        DynamicInstances(blocks, config, mapName, *tmpl, *pe, next);
    }
    for (size_t i = 0; i < blocks.size(); ++i)
    {
        os << (i ? "\n" : "") << blocks[i];
    }
    os << "\tInterfaces using crypto map " << mapName << ":\n";
    for (const auto& i : set.interfaces)
    {
        os << "\t\t" << i << "\n";
    }
    os << "\n";
}
} // namespace

void
ShowCryptoMap(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
              const IosRouterState& state)
{
    for (const auto& [mapName, set] : state.maps)
    {
        if (Shown(cmd, mapName, set))
        {
            PrintMapSet(os, router.GetConfig(), mapName, set);
        }
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
        if (!d.description.empty())
        {
            os << "\tDescription: " << d.description << "\n";
        }
        for (const auto& p : d.peers)
        {
            os << "\tPeer = " << p << "\n";
        }
        if (!d.matchAddress.empty())
        {
            PrintMatchAddress(os, config, d.matchAddress);
        }
        else
        {
            os << "\tNo matching address list set.\n";
        }
        os << "\tCurrent peer: 0.0.0.0\n";
        PrintNegotiated(os, config, d);
        os << "\n";
    }
}

void
ShowCryptoTransformSet(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config)
{
    auto print = [&os](const std::string& name, const std::string& transforms, IpsecMode mode)
    {
        os << "Transform set " << name << ": { " << transforms << "  } \n"
           << "   will negotiate = { " << (mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
           << ",  }, \n\n";
    };
    const bool all = cmd.filter != "tag" || cmd.args.empty();
    // 15.x has a built-in set named `default` (unless one is configured under that name).
    if (Is15(config) && !config.transformSets.count("default") && (all || cmd.args[0] == "default"))
    {
        print("default", "esp-aes esp-sha-hmac", IpsecMode::TRANSPORT);
    }
    for (const auto& [name, ts] : config.transformSets)
    {
        if (all || cmd.args[0] == name)
        {
            print(name, IosTransformNames(ts), ts.mode);
        }
    }
}

void
ShowCryptoSaLifetime(std::ostream& os, const IosRouterConfig& config)
{
    os << "Security association lifetime: " << config.lifetimeKilobytes << " kilobytes/"
       << config.lifetimeSeconds << " seconds\n";
}

} // namespace ns3
