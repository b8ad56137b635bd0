// IosConfigReader: what IOS 12.2(15)T to 15 added around crypto maps: `crypto keyring` and
// `crypto isakmp profile` with their modes, `set isakmp-profile`, `reverse-route`, the idle time
// and replay window of SAs (`set security-association idle-time|replay`, also global) and
// `crypto ipsec df-bit` (global and per interface).
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

namespace
{
/** The replay window sizes IOS offers (`replay window-size ?`). */
const Words kWindowSizes = {"1024", "128", "256", "512", "64"};

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}
} // namespace

bool
ios_config::ReadSaOption(IosCursor& c, IosSaOptions& o, bool no)
{
    if (c.AtEnd() || IosMatchKeyword(c.Peek().text, {"idle-time", "replay"}).result !=
                         IosKeywordMatch::Result::UNIQUE)
    {
        return false;
    }
    if (c.Keyword({"idle-time", "replay"}) == 0)
    {
        if (no)
        {
            c.Seek(c.Tokens().size()); // `no ... idle-time [N [default]]`
            o.idleSeconds.reset();
            return true;
        }
        const uint64_t v = c.Number(60, 86400, "expected the idle time, 60 to 86400 seconds");
        c.OptionalKeyword({"default"}); // 15.x: the default idle time of the peers (same value)
        c.End("expected default");
        o.idleSeconds = static_cast<uint32_t>(v);
        return true;
    }
    const bool disable =
        c.Keyword({"disable", "window-size"}, "expected window-size or disable") == 0;
    if (disable)
    {
        c.End();
        if (no)
        {
            o.replayWindow.reset();
        }
        else
        {
            o.replayWindow = 0;
        }
        return true;
    }
    // `replay window-size` alone is the default window (64).
    uint32_t size = 64;
    if (!c.AtEnd())
    {
        size = static_cast<uint32_t>(std::stoul(
            kWindowSizes[c.Keyword(kWindowSizes, "expected a window size: 64, 128, 256, 512 or "
                                                 "1024")]));
    }
    c.End();
    if (no)
    {
        o.replayWindow.reset();
    }
    else
    {
        o.replayWindow = size;
    }
    return true;
}

// ------------------------------------------------------------------------------ crypto keyring

/** `crypto keyring NAME`: enters the keyring mode. */
void
IosConfigReader::Session::Keyring(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the keyring's name");
    if (c.OptionalKeyword({"vrf"}))
    {
        c.Word("expected the VRF's name");
    }
    c.End();
    if (no)
    {
        m_cfg.keyrings.erase(name);
        return;
    }
    auto& k = m_cfg.keyrings[name];
    if (k.name.empty())
    {
        k.name = name;
        k.where = c.Where();
    }
    m_keyring = name;
    Enter(Mode::KEYRING);
}

void
IosConfigReader::Session::KeyringMode(IosCursor& c)
{
    static const Words words = {"description", "exit",           "local-address",
                                "no",          "pre-shared-key", "rsa-pubkey"};
    const std::string hint = "expected pre-shared-key, local-address, description or exit";
    bool no = false;
    std::string word = words[c.Keyword(words, hint)];
    if (word == "no")
    {
        no = true;
        const size_t at = c.Position();
        word = words[c.Keyword(words, hint)];
        if (word == "no" || word == "exit")
        {
            c.FailAt(at, "expected pre-shared-key, local-address or description");
        }
    }
    IosKeyring& k = m_cfg.keyrings.at(m_keyring);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "pre-shared-key")
    {
        KeyringPreSharedKey(c, k, no);
    }
    else if (word == "description")
    {
        k.description = no ? "" : c.Rest();
        c.Seek(c.Tokens().size());
    }
    else if (word == "local-address")
    {
        std::string local;
        if (!no || !c.AtEnd())
        {
            local = IosParseAddress(c.AtEnd() ? "" : c.Peek().text) ? AddressText(c.Address(""))
                                                                    : c.InterfaceName();
        }
        c.End();
        k.localAddress = no ? "" : local;
    }
    else // rsa-pubkey address A|name N [encryption|signature]: a peer's key (rsa-encr)
    {
        const bool named = c.Keyword({"address", "name"}, "expected address or name") == 1;
        PeerKeyEntry(c, no, named, &k);
    }
}

/** `pre-shared-key address A [MASK] key [0|6] KEY` / `pre-shared-key hostname NAME key KEY`. */
void
IosConfigReader::Session::KeyringPreSharedKey(IosCursor& c, IosKeyring& k, bool no)
{
    IosIsakmpKey key;
    const bool byAddress = c.Keyword({"address", "hostname"}, "expected address or hostname") == 0;
    if (byAddress)
    {
        key.address = c.Address("expected the peer's address A.B.C.D");
        if (!c.AtEnd() && IosParseAddress(c.Peek().text))
        {
            const size_t maskToken = c.Position();
            const uint32_t m = c.Address("").Get();
            if (!Contiguous(m))
            {
                c.FailWith(maskToken,
                           "% Bad mask " + Hex32(m) + " for address " + AddressText(key.address));
            }
            key.mask = Ipv4Mask(m);
        }
    }
    else
    {
        key.hostname = c.Word("expected the peer's host name");
    }
    auto same = [&](const IosIsakmpKey& x)
    {
        return byAddress ? x.hostname.empty() && x.address == key.address && x.mask == key.mask
                         : IosLower(x.hostname) == IosLower(key.hostname);
    };
    auto& v = k.keys;
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no pre-shared-key address A [key ...]`
        v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
        return;
    }
    c.Keyword({"key"}, byAddress ? "expected a mask or key" : "expected key");
    // `key 0 KEY` / `key 6 KEY`: a lone 0 or 6 followed by the key is the encryption type.
    if (!c.AtEnd() && (c.Peek().text == "0" || c.Peek().text == "6") &&
        c.Position() + 1 < c.Tokens().size())
    {
        key.encryptionType = static_cast<uint8_t>(c.Word("") == "6" ? 6 : 0);
    }
    key.key = c.Word("expected the pre-shared key (0 or 6 first for its encryption type)");
    c.End();
    key.where = c.Where();
    auto it = std::find_if(v.begin(), v.end(), same);
    if (it != v.end())
    {
        *it = key;
    }
    else
    {
        v.push_back(key);
    }
}

// ------------------------------------------------------------------------------ isakmp profile

/** `crypto isakmp profile NAME`: enters the profile mode. */
void
IosConfigReader::Session::IsakmpProfile(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the ISAKMP profile's name");
    c.End();
    if (no)
    {
        m_cfg.isakmpProfiles.erase(name);
        for (auto it = m_keyringRef.begin(); it != m_keyringRef.end();)
        {
            it = it->first.first == name ? m_keyringRef.erase(it) : std::next(it);
        }
        return;
    }
    auto& p = m_cfg.isakmpProfiles[name];
    if (p.name.empty())
    {
        p.name = name;
        p.where = c.Where();
    }
    m_profile = name;
    Enter(Mode::ISAKMP_PROFILE);
}

void
IosConfigReader::Session::IsakmpProfileMode(IosCursor& c)
{
    // Modelled: match identity address|host, keyring, keepalive, self-identity, initiate mode
    // aggressive, local-address, description. The rest (certificates, Easy VPN, VRFs, virtual
    // templates) is read without effect.
    static const Words words = {
        "accounting", "ca",     "client",    "description",   "exit",
        "initiate",   "isakmp", "keepalive", "keyring",       "local-address",
        "match",      "no",     "qos-group", "self-identity", "virtual-template",
        "vrf"};
    const std::string hint =
        "expected match identity, keyring, keepalive, self-identity, description or exit";
    bool no = false;
    std::string word = words[c.Keyword(words, hint)];
    if (word == "no")
    {
        no = true;
        const size_t at = c.Position();
        word = words[c.Keyword(words, hint)];
        if (word == "no" || word == "exit")
        {
            c.FailAt(at, hint);
        }
    }
    IosIsakmpProfile& p = m_cfg.isakmpProfiles.at(m_profile);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "match")
    {
        IsakmpProfileMatch(c, p, no);
    }
    else if (word == "keyring")
    {
        const size_t column = c.AtEnd() ? 0 : c.Peek().column;
        const std::string name = c.Word("expected the keyring's name");
        c.End();
        auto& v = p.keyrings;
        v.erase(std::remove(v.begin(), v.end(), name), v.end());
        m_keyringRef.erase({p.name, name});
        if (!no)
        {
            v.push_back(name);
            m_keyringRef[{p.name, name}] = Reference{c.Where(), column, name};
        }
    }
    else if (word == "keepalive")
    {
        IsakmpProfileKeepalive(c, p, no);
    }
    else if (word == "self-identity")
    {
        std::optional<size_t> k;
        if (!no || !c.AtEnd())
        {
            k = c.Keyword({"address", "fqdn", "user-fqdn"}, "expected address or fqdn");
            if (*k == 2)
            {
                c.Word("expected the user's FQDN");
            }
        }
        c.End();
        if (no)
        {
            p.selfIdentity.reset();
        }
        else
        {
            p.selfIdentity = *k == 0 ? IosIsakmpIdentity::ADDRESS : IosIsakmpIdentity::HOSTNAME;
        }
    }
    else if (word == "initiate")
    {
        c.Keyword({"mode"});
        c.Keyword({"aggressive"});
        c.End();
        p.initiateAggressive = !no;
    }
    else if (word == "local-address")
    {
        std::string local;
        if (!no || !c.AtEnd())
        {
            local = IosParseAddress(c.AtEnd() ? "" : c.Peek().text) ? AddressText(c.Address(""))
                                                                    : c.InterfaceName();
        }
        c.End();
        p.localAddress = no ? "" : local;
    }
    else if (word == "description")
    {
        p.description = no ? "" : c.Rest();
        c.Seek(c.Tokens().size());
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
    }
}

/** `match identity address A [MASK] [VRF]`, `match identity host NAME`, and the forms not
 *  modelled (`host domain`, `group`, `user`), which match nobody here. */
void
IosConfigReader::Session::IsakmpProfileMatch(IosCursor& c, IosIsakmpProfile& p, bool no)
{
    if (c.Keyword({"certificate", "identity"}, "expected identity") == 0)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    static const Words kinds = {"address", "group", "host", "user"};
    const std::string kind = kinds[c.Keyword(kinds, "expected address, host, group or user")];
    IosIsakmpProfile::Match m;
    if (kind == "address")
    {
        m.address = c.Address("expected the peer's address A.B.C.D");
        if (!c.AtEnd() && IosParseAddress(c.Peek().text))
        {
            const size_t maskToken = c.Position();
            const uint32_t mask = c.Address("").Get();
            if (!Contiguous(mask))
            {
                c.FailWith(maskToken,
                           "% Bad mask " + Hex32(mask) + " for address " + AddressText(m.address));
            }
            m.mask = Ipv4Mask(mask);
        }
        if (!c.AtEnd())
        {
            c.Word("expected a mask or a VRF name"); // `match identity address A M VRF`
        }
    }
    else if (kind == "host" && !c.AtEnd() &&
             IosMatchKeyword(c.Peek().text, {"domain"}).result != IosKeywordMatch::Result::UNIQUE)
    {
        m.host = c.Word("expected the peer's host name");
    }
    else
    {
        // `host domain D`, `group G`, `user U`: Easy VPN and domain matches, not modelled.
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    c.End();
    auto& v = p.matches;
    auto same = [&](const IosIsakmpProfile::Match& x)
    {
        return x.host.empty() == m.host.empty() &&
               (m.host.empty() ? x.address == m.address && x.mask == m.mask
                               : IosLower(x.host) == IosLower(m.host));
    };
    v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
    if (!no)
    {
        v.push_back(m);
    }
}

/** `keepalive SECONDS retry RETRY` (DPD for the profile's peers). */
void
IosConfigReader::Session::IsakmpProfileKeepalive(IosCursor& c, IosIsakmpProfile& p, bool no)
{
    if (no)
    {
        c.Seek(c.Tokens().size());
        p.keepalive.reset();
        return;
    }
    IosIsakmpKeepalive k;
    k.seconds = static_cast<uint32_t>(
        c.Number(10, 3600, "expected the keepalive interval, 10 to 3600 seconds"));
    c.Keyword({"retry"}, "expected retry");
    k.retry =
        static_cast<uint32_t>(c.Number(2, 60, "expected the retry interval, 2 to 60 seconds"));
    c.End();
    k.where = c.Where();
    p.keepalive = k;
}

// ------------------------------------------------------------------------------ crypto map entries

/** `set security-association idle-time|replay|level|lifetime ...`. */
void
IosConfigReader::Session::CryptoMapSecurityAssociation(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    if (!ReadSaOption(c, e.sa, no))
    {
        CryptoMapLifetime(c, e, no);
    }
}

/** `set isakmp-profile NAME`: checked against the profiles at the end. */
void
IosConfigReader::Session::CryptoMapIsakmpProfile(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    if (no)
    {
        c.Seek(c.Tokens().size());
        e.isakmpProfile.clear();
        m_profileRef.erase(m_entry);
        return;
    }
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string name = c.Word("expected the ISAKMP profile's name");
    c.End();
    e.isakmpProfile = name;
    m_profileRef[m_entry] = Reference{c.Where(), column, name};
}

/** `reverse-route [static | remote-peer [A.B.C.D] [gateway | static] | tag N]`. */
void
IosConfigReader::Session::CryptoMapReverseRoute(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    if (no)
    {
        c.Seek(c.Tokens().size());
        e.reverseRoute.reset();
        return;
    }
    IosReverseRoute r;
    r.where = c.Where();
    static const Words words = {"gateway", "remote-peer", "static", "tag"};
    while (!c.AtEnd())
    {
        const std::string w =
            words[c.Keyword(words, "expected static, remote-peer, tag or the end of the line")];
        if (w == "static")
        {
            r.isStatic = true;
        }
        else if (w == "remote-peer")
        {
            r.remotePeer = true;
            if (!c.AtEnd() && IosParseAddress(c.Peek().text))
            {
                r.nextHop = c.Address("");
            }
        }
        else if (w == "tag")
        {
            c.Number(0, 4294967295u, "expected a tag from 0 to 4294967295");
        }
        // gateway: a second route to the peer via the default gateway; ours is one route
    }
    e.reverseRoute = r;
}

// ------------------------------------------------------------------------------ global IPsec

bool
IosConfigReader::Session::GlobalSaOption(IosCursor& c, bool no)
{
    return ReadSaOption(c, m_cfg.saOptions, no);
}

/** `df-bit clear|set|copy` after `crypto ipsec`. */
void
IosConfigReader::Session::DfBit(IosCursor& c, std::optional<IosDfBit>& v, bool no)
{
    static const Words kinds = {"clear", "copy", "set"};
    std::optional<size_t> k;
    if (!no || !c.AtEnd())
    {
        k = c.Keyword(kinds, "expected clear, set or copy");
    }
    c.End();
    if (no)
    {
        v.reset();
        return;
    }
    v = *k == 0 ? IosDfBit::CLEAR : *k == 1 ? IosDfBit::COPY : IosDfBit::SET;
}

/** `crypto ipsec df-bit clear|set|copy` in interface mode (`crypto` already read). */
void
IosConfigReader::Session::InterfaceDfBit(IosCursor& c, IosInterface& i, bool no)
{
    c.Keyword({"ipsec"});
    c.Keyword({"df-bit"}, "expected df-bit");
    DfBit(c, i.dfBit, no);
}

// ------------------------------------------------------------------------------ final checks

void
IosConfigReader::Session::CheckIsakmpProfileReferences(std::vector<IosConfigError>& errors) const
{
    // IOS refuses a profile that names a keyring it does not have, and a crypto map entry that
    // names an ISAKMP profile that does not exist.
    for (const auto& [key, ref] : m_keyringRef)
    {
        // `keyring default`: the global keys (`crypto isakmp key`), IOS's default keyring.
        if (!m_cfg.keyrings.count(ref.name) && ref.name != "default")
        {
            errors.emplace_back(ref.where, ref.column,
                                "% Keyring " + ref.name + " is not defined (no `crypto keyring " +
                                    ref.name + "`)");
        }
    }
    for (const auto& [key, ref] : m_profileRef)
    {
        if (!m_cfg.isakmpProfiles.count(ref.name))
        {
            errors.emplace_back(ref.where, ref.column,
                                "% ISAKMP profile " + ref.name +
                                    " is not defined (no `crypto isakmp profile " + ref.name +
                                    "`)");
        }
    }
}

} // namespace ns3
