// IosConfigReader: `crypto ipsec profile NAME` and its mode, `tunnel protection ipsec profile` on
// tunnel interfaces, and `router ospf|eigrp` with its `network` statements.
#include "ios-config-reader.h"

#include <algorithm>

namespace ns3
{

using namespace ios_config;

namespace
{
/** The classful network's wildcard of @p a (EIGRP `network A` without a wildcard). */
uint32_t
ClassfulWildcard(Ipv4Address a)
{
    const uint32_t first = a.Get() >> 24;
    if (first < 128)
    {
        return 0x00ffffff;
    }
    return first < 192 ? 0x0000ffff : 0x000000ff;
}

/** A profile's own key for the transform-set references checked at the end. */
EntryKey
ProfileKey(const std::string& name)
{
    return EntryKey{false, "ipsec profile " + name, 0};
}
} // namespace

bool
IosRoutingProcess::Covers(Ipv4Address a) const
{
    return std::any_of(networks.begin(), networks.end(),
                       [a](const Network& n)
                       { return (a.Get() & ~n.wildcard) == (n.address.Get() & ~n.wildcard); });
}

void
IosConfigReader::Session::CryptoIpsecProfile(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the profile's name");
    c.End();
    if (no)
    {
        m_cfg.ipsecProfiles.erase(name);
        m_transformRef.erase(ProfileKey(name));
        m_cfg.defaultIpsecProfile &= name != "default";
        return;
    }
    auto [it, added] = m_cfg.ipsecProfiles.try_emplace(name);
    if (added)
    {
        it->second.name = name;
        it->second.where = c.Where();
    }
    m_ipsecProfile = name;
    Enter(Mode::IPSEC_PROFILE);
}

void
IosConfigReader::Session::IpsecProfileMode(IosCursor& c)
{
    // IOS 12.4/15 profile commands; those the simulation has no use for are listed as such.
    static const Words words = {"description", "exit", "no", "redundancy", "responder-only", "set"};
    const std::string hint = "expected set, description or exit";
    std::string word = words[c.Keyword(words, hint)];
    const bool no = word == "no";
    if (no)
    {
        const size_t at = c.Position();
        word = words[c.Keyword(words, hint)];
        if (word == "no" || word == "exit")
        {
            c.FailAt(at, "expected set or description");
        }
    }
    IosIpsecProfile& p = m_cfg.ipsecProfiles.at(m_ipsecProfile);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "description")
    {
        const std::string text = c.Rest();
        if (!no && text.empty())
        {
            c.Incomplete("expected the description text");
        }
        p.description = no ? "" : text;
    }
    else if (word == "set")
    {
        IpsecProfileSet(c, p, no);
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where()); // redundancy, responder-only
    }
}

/** `set transform-set|pfs|security-association|isakmp-profile ...` in a profile. */
void
IosConfigReader::Session::IpsecProfileSet(IosCursor& c, IosIpsecProfile& p, bool no)
{
    static const Words words = {
        "identity", "ikev2-profile", "isakmp-profile",       "mixed-mode",
        "pfs",      "reverse-route", "security-association", "transform-set"};
    const std::string word =
        words[c.Keyword(words, "expected transform-set, pfs, security-association or "
                               "isakmp-profile")];
    // The transform-set and PFS words are those of a crypto map entry: read by its handlers.
    IosCryptoMapEntry e;
    e.transformSets = p.transformSets;
    e.pfsGroup = p.pfsGroup;
    if (word == "transform-set")
    {
        const EntryKey saved = m_entry;
        m_entry = ProfileKey(p.name);
        CryptoMapTransformSets(c, e, no);
        m_entry = saved;
        p.transformSets = e.transformSets;
    }
    else if (word == "pfs")
    {
        CryptoMapPfs(c, e, no);
        p.pfsGroup = e.pfsGroup;
    }
    else if (word == "security-association")
    {
        IpsecProfileSecurityAssociation(c, p, no);
    }
    else if (word == "isakmp-profile")
    {
        const std::string name = no && c.AtEnd() ? "" : c.Word("expected the ISAKMP profile");
        c.End();
        p.isakmpProfile = no ? "" : name;
    }
    else if (word == "ikev2-profile")
    {
        IpsecProfileIkev2Profile(c, p, no); // ios-config-ikev2.cc
    }
    else
    {
        c.Seek(c.Tokens().size()); // identity, mixed-mode, reverse-route
        m_cfg.notModelled.push_back(c.Where());
    }
}

/** `set security-association lifetime seconds|kilobytes N | idle-time N [default] | replay
 *  ...` in a profile. */
void
IosConfigReader::Session::IpsecProfileSecurityAssociation(IosCursor& c, IosIpsecProfile& p, bool no)
{
    // idle-time and replay read as in a crypto map entry; what is left is the lifetime.
    if (ReadSaOption(c, p.sa, no))
    {
        return;
    }
    c.Keyword({"lifetime"}, "expected lifetime, idle-time or replay");
    ReadLifetime(c, no, p.lifetimeSeconds, p.lifetimeKilobytes);
}

/** `tunnel protection ipsec profile NAME [shared]` (the profile is checked at the end). */
void
IosConfigReader::Session::InterfaceTunnelProtection(IosCursor& c, IosInterface& i, bool no)
{
    c.Keyword({"ipsec"}, "expected ipsec");
    c.Keyword({"profile"}, "expected profile");
    if (no)
    {
        c.Seek(c.Tokens().size());
        i.tunnelProtection.clear();
        i.tunnelProtectionShared = false;
        m_protectionRef.erase(i.name);
        return;
    }
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string name = c.Word("expected the IPsec profile's name");
    const bool shared = c.OptionalKeyword({"shared"}).has_value();
    c.End();
    i.tunnelProtection = name;
    i.tunnelProtectionShared = shared;
    i.tunnelProtectionWhere = c.Where();
    m_protectionRef[i.name] = Reference{c.Where(), column, name};
}

void
IosConfigReader::Session::CheckIpsecProfileReferences(std::vector<IosConfigError>& errors) const
{
    for (const auto& [ifn, ref] : m_protectionRef)
    {
        if (!m_cfg.ipsecProfiles.count(ref.name))
        {
            errors.emplace_back(ref.where, ref.column,
                                "% IPsec profile " + ref.name +
                                    " is not defined (no `crypto ipsec profile " + ref.name + "`)");
        }
    }
}

bool
IosConfigReader::Session::RouterProcess(IosCursor& c, bool no)
{
    const auto protocol = c.OptionalKeyword({"eigrp", "ospf"});
    if (!protocol || c.AtEnd() || !AllDigits(c.Peek().text))
    {
        return false; // bgp, rip, ospf with a vrf, named EIGRP, ...: not modelled
    }
    IosRoutingProcess r;
    r.protocol = *protocol == 0 ? "eigrp" : "ospf";
    r.id = static_cast<uint32_t>(c.Number(1, 65535, "expected the process id from 1 to 65535"));
    if (!c.AtEnd())
    {
        return false; // `router ospf 1 vrf X`
    }
    auto same = [&r](const IosRoutingProcess& x)
    { return x.protocol == r.protocol && x.id == r.id; };
    auto& v = m_cfg.routingProcesses;
    if (no)
    {
        v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
        return true;
    }
    auto it = std::find_if(v.begin(), v.end(), same);
    if (it == v.end())
    {
        r.where = c.Where();
        v.push_back(r);
        it = v.end() - 1;
    }
    m_router = static_cast<size_t>(it - v.begin());
    Enter(Mode::ROUTER);
    return true;
}

void
IosConfigReader::Session::RouterMode(IosCursor& c)
{
    IosRoutingProcess& r = m_cfg.routingProcesses.at(m_router);
    const bool indented = c.Where().text[0] == ' ' || c.Where().text[0] == '\t';
    const bool no = c.OptionalKeyword({"no"}).has_value();
    if (!c.AtEnd() && IosLower(c.Peek().text) == "exit")
    {
        c.Keyword({"exit"});
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (c.AtEnd() ||
        IosMatchKeyword(c.Peek().text, {"network"}).result != IosKeywordMatch::Result::UNIQUE)
    {
        // Every other sub-command (passive-interface, router-id, redistribute, ...) is read and
        // listed as not modelled; an unindented line that is none of them may be a global one.
        // Written out in full, a router sub-command stays in the block even unindented (a
        // configuration-mode script); anything else unindented is a global command (`router
        // eigrp 1` after `router ospf 1`, or one the reader lists as not modelled).
        const bool routerWord =
            !c.AtEnd() && std::find(kRouterWords.begin(), kRouterWords.end(),
                                    IosLower(c.Peek().text)) != kRouterWords.end();
        if (!indented && !routerWord)
        {
            IosCursor g(c.Where());
            Global(g);
            return;
        }
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    c.Keyword({"network"});
    IosRoutingProcess::Network n;
    n.address = c.Address("expected the network A.B.C.D");
    const bool ospf = r.protocol == "ospf";
    if (ospf || (!c.AtEnd() && IosParseAddress(c.Peek().text)))
    {
        n.wildcard = c.Address("expected the wildcard mask, e.g. 0.0.0.255").Get();
    }
    else
    {
        n.wildcard = ClassfulWildcard(n.address);
    }
    if (ospf)
    {
        c.Keyword({"area"}, "expected area");
        n.area = c.Word("expected the area id (a number or A.B.C.D)");
    }
    c.End();
    auto& v = r.networks;
    auto same = [&n](const IosRoutingProcess::Network& x)
    { return x.address == n.address && x.wildcard == n.wildcard; };
    v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
    if (!no)
    {
        v.push_back(n);
    }
}

} // namespace ns3
