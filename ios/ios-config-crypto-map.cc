// IosConfigReader: `crypto ipsec ...`, transform sets, crypto maps and dynamic maps and their
// configuration modes.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace ns3
{

using namespace ios_config;

void
IosConfigReader::Session::GlobalCrypto(IosCursor& c, bool no)
{
    if (CryptoFamilyNotModelled(c))
    {
        return; // kCryptoNotModelled
    }
    static const Words words = {"ca",  "dynamic-map", "ikev2", "ipsec", "isakmp",
                                "key", "keyring",     "map",   "pki"};
    const std::string word = words[c.Keyword(words)];
    if (word == "ikev2")
    {
        Ikev2(c, no); // ios-config-ikev2.cc
    }
    else if (word == "ipsec")
    {
        CryptoIpsec(c, no);
    }
    else if (word == "map")
    {
        CryptoMap(c, no, false);
    }
    else if (word == "dynamic-map")
    {
        CryptoMap(c, no, true);
    }
    else if (word == "isakmp")
    {
        Isakmp(c, no);
    }
    else if (word == "keyring")
    {
        Keyring(c, no);
    }
    else if (word == "pki" || word == "ca")
    {
        CryptoPki(c, no, word == "ca");
    }
    else
    {
        CryptoKey(c, no);
    }
}

void
IosConfigReader::Session::CryptoIpsec(IosCursor& c, bool no)
{
    static const Words words = {"df-bit",  "fragmentation",        "nat-transparency",
                                "profile", "security-association", "transform-set"};
    const std::string word = words[c.Keyword(words)];
    if (word == "df-bit")
    {
        std::optional<IosDfBit> v;
        DfBit(c, v, no);
        m_cfg.dfBit = v.value_or(IosDfBit::COPY);
        return;
    }
    if (word == "security-association" && GlobalSaOption(c, no))
    {
        return;
    }
    if (word == "profile")
    {
        CryptoIpsecProfile(c, no);
    }
    else if (word == "security-association")
    {
        CryptoIpsecLifetime(c, no);
    }
    else if (word == "transform-set")
    {
        CryptoIpsecTransformSet(c, no);
    }
    else if (word == "nat-transparency")
    {
        // NAT traversal (RFC 3947/3948) is on by default; `no ... udp-encapsulation` turns it off.
        const bool udp = c.Keyword({"spi-matching", "udp-encapsulation"}) == 1;
        c.End();
        if (udp)
        {
            m_cfg.natTransparency = !no;
        }
        else
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else
    {
        m_cfg.notModelled.push_back(c.Where());
    }
}

/** `crypto ipsec security-association lifetime seconds|kilobytes N`: the global lifetimes. */
void
IosConfigReader::Session::CryptoIpsecLifetime(IosCursor& c, bool no)
{
    c.Keyword({"lifetime"});
    // `no` puts back IOS's defaults.
    std::optional<uint32_t> seconds = m_cfg.lifetimeSeconds;
    std::optional<uint64_t> kilobytes = m_cfg.lifetimeKilobytes;
    ReadLifetime(c, no, seconds, kilobytes);
    m_cfg.lifetimeSeconds = seconds.value_or(3600);
    m_cfg.lifetimeKilobytes = kilobytes.value_or(4608000);
}

/** `crypto ipsec transform-set NAME TRANSFORMS...`, entering its mode. */
void
IosConfigReader::Session::CryptoIpsecTransformSet(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the transform set's name");
    if (no)
    {
        c.End();
        m_cfg.transformSets.erase(name);
        m_cfg.defaultTransformSet &= name != "default";
        return;
    }
    if (c.AtEnd())
    {
        c.Incomplete("expected transforms, e.g. esp-3des esp-sha-hmac");
    }
    const size_t first = c.Position();
    std::vector<std::string> words;
    for (size_t i = first; i < c.Tokens().size(); ++i)
    {
        words.push_back(IosLower(c.Tokens()[i].text));
    }
    IpsecTransformSet ts;
    try
    {
        ts = IpsecTransformSet::Parse(words);
    }
    catch (const TransformSetError& e)
    {
        const size_t token = first + std::min(e.Token(), words.size() - 1);
        const std::string what = e.what();
        if (what.rfind("ambiguous", 0) == 0)
        {
            // "ambiguous transform 'esp-s' (esp-sha-hmac, esp-sha256-hmac, ...)"
            std::vector<std::string> candidates;
            const size_t open = what.find('(');
            const size_t close = what.rfind(')');
            if (open != std::string::npos && close != std::string::npos && close > open)
            {
                std::istringstream list(what.substr(open + 1, close - open - 1));
                for (std::string w; std::getline(list, w, ',');)
                {
                    const size_t b = w.find_first_not_of(' ');
                    if (b != std::string::npos)
                    {
                        candidates.push_back(w.substr(b));
                    }
                }
            }
            c.Ambiguous(token, candidates);
        }
        c.FailAt(token, what);
    }
    c.Seek(c.Tokens().size());
    ts.name = name;
    auto it = m_cfg.transformSets.find(name);
    if (it != m_cfg.transformSets.end())
    {
        ts.mode = it->second.mode; // a new list of transforms keeps the mode
    }
    m_cfg.transformSets[name] = ts;
    m_transform = name;
    Enter(Mode::TRANSFORM);
}

void
IosConfigReader::Session::TransformMode(IosCursor& c)
{
    static const Words words = {"exit", "mode", "no"};
    const size_t k = c.Keyword(words, "expected mode or exit");
    if (k == 0)
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    const bool no = k == 2;
    if (no)
    {
        c.Keyword({"mode"});
    }
    // `mode` alone, like `no mode`, is the default: tunnel.
    const auto m = c.OptionalKeyword({"transport", "tunnel"});
    if (!m && !c.AtEnd())
    {
        c.Fail("expected tunnel or transport");
    }
    c.End();
    m_cfg.transformSets[m_transform].mode =
        !no && m && *m == 0 ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
}

void
IosConfigReader::Session::CryptoMap(IosCursor& c, bool no, bool dynamic)
{
    const std::string name =
        c.Word(dynamic ? "expected the dynamic map's name" : "expected the crypto map's name");
    const std::string seqHint = "expected a sequence number from 1 to 65535";
    if (!dynamic && !c.AtEnd() && !std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        static const Words words = {"client", "isakmp", "local-address"};
        const size_t k = c.Keyword(words, seqHint + ", or local-address");
        if (k < 2)
        {
            Ike(c); // IKE options of the map set
            return;
        }
        if (no)
        {
            c.Seek(c.Tokens().size());
            m_cfg.localAddress.erase(name);
            return;
        }
        const std::string iface = c.InterfaceName();
        c.End();
        m_cfg.localAddress[name] = iface;
        return;
    }
    if (no && c.AtEnd())
    {
        auto& v = dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
        for (const auto& e : v)
        {
            if (e.map == name)
            {
                m_transformRef.erase(EntryKey{dynamic, name, e.seq});
                m_matchRef.erase(EntryKey{dynamic, name, e.seq});
            }
        }
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosCryptoMapEntry& e) { return e.map == name; }),
                v.end());
        return;
    }
    const uint32_t seq = static_cast<uint32_t>(c.Number(1, 65535, seqHint));
    EntryKey key{dynamic, name, seq};
    IosCryptoMapEntry* existing = FindEntry(key);
    std::optional<IosCryptoMapKind> kind;
    std::string dynamicMap;
    const size_t kindToken = c.Position();
    if (!dynamic && !no && !c.AtEnd())
    {
        if (auto k = c.OptionalKeyword({"ipsec-isakmp", "ipsec-manual"}))
        {
            kind = *k == 0 ? IosCryptoMapKind::IPSEC_ISAKMP : IosCryptoMapKind::IPSEC_MANUAL;
            if (*k == 0 && c.OptionalKeyword({"dynamic"}))
            {
                dynamicMap = c.Word("expected the dynamic crypto map's name");
                kind = IosCryptoMapKind::DYNAMIC_REFERENCE;
            }
        }
        else
        {
            c.Fail("expected ipsec-manual or ipsec-isakmp");
        }
    }
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no crypto map NAME SEQ [ipsec-...]`
    }
    c.End();
    if (no)
    {
        auto& v = dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosCryptoMapEntry& e)
                               { return e.map == name && e.seq == seq; }),
                v.end());
        m_transformRef.erase(key);
        m_matchRef.erase(key);
        return;
    }
    if (dynamic)
    {
        kind = IosCryptoMapKind::DYNAMIC_TEMPLATE;
    }
    if (existing)
    {
        if (kind && *kind != existing->kind)
        {
            c.FailWith(kindToken, std::string("% Crypto map entry ") + name + " " +
                                      std::to_string(seq) + " is " + KindText(existing->kind) +
                                      "; remove it (no crypto map " + name + " " +
                                      std::to_string(seq) + ") to change its type");
        }
        if (existing->kind == IosCryptoMapKind::DYNAMIC_REFERENCE &&
            dynamicMap != existing->dynamicMap && !dynamicMap.empty())
        {
            existing->dynamicMap = dynamicMap;
        }
    }
    else
    {
        IosCryptoMapEntry e;
        e.map = name;
        e.seq = seq;
        e.kind = kind.value_or(IosCryptoMapKind::IPSEC_ISAKMP);
        e.dynamicMap = dynamicMap;
        e.where = c.Where();
        (dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps).push_back(e);
    }
    // An entry that refers to a dynamic map set has no sub-commands of its own.
    if (kind.value_or(existing ? existing->kind : IosCryptoMapKind::IPSEC_ISAKMP) !=
        IosCryptoMapKind::DYNAMIC_REFERENCE)
    {
        m_entry = key;
        Enter(Mode::CRYPTO_MAP);
    }
}

namespace
{
std::optional<std::vector<uint8_t>>
ParseHex(const std::string& s)
{
    if (s.empty() || s.size() % 2 != 0)
    {
        return std::nullopt;
    }
    std::vector<uint8_t> out;
    for (size_t i = 0; i < s.size(); i += 2)
    {
        if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
            !std::isxdigit(static_cast<unsigned char>(s[i + 1])))
        {
            return std::nullopt;
        }
        out.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
    }
    return out;
}
} // namespace

void
IosConfigReader::Session::CryptoMapMode(IosCursor& c)
{
    using Handler = void (Session::*)(IosCursor&, IosCryptoMapEntry&, bool);
    static const std::map<std::string, Handler> handlers = {
        {"description", &Session::CryptoMapDescription},
        {"match", &Session::CryptoMapMatch},
        {"reverse-route", &Session::CryptoMapReverseRoute},
        {"set", &Session::CryptoMapSet},
    };
    IosCryptoMapEntry& e = *FindEntry(m_entry);
    static const Words words = {"description", "exit", "match", "no", "reverse-route", "set"};
    bool no = false;
    size_t k = c.Keyword(words, "expected set, match, description or exit");
    if (words[k] == "no")
    {
        no = true;
        const size_t at = c.Position();
        k = c.Keyword(words, "expected set, match or description");
        if (words[k] == "no" || words[k] == "exit")
        {
            c.FailAt(at, "expected set, match or description");
        }
    }
    const std::string word = words[k];
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    (this->*handlers.at(word))(c, e, no);
}

void
IosConfigReader::Session::CryptoMapDescription(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const std::string text = c.Rest();
    if (!no && text.empty())
    {
        c.Incomplete("expected the description text");
    }
    e.description = no ? "" : text;
    m_cfg.notModelled.push_back(c.Where());
}

/** `match address LIST`: an extended list, checked at the end. */
void
IosConfigReader::Session::CryptoMapMatch(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    c.Keyword({"address"});
    if (no)
    {
        if (!c.AtEnd())
        {
            c.Word("");
        }
        c.End();
        e.matchAddress.clear();
        m_matchRef.erase(m_entry);
        return;
    }
    const std::string hint = "expected an extended access list: 100-199, 2000-2699 or a name";
    const size_t t = c.Position();
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string acl = c.Word(hint);
    if (AllDigits(acl))
    {
        auto n = IosParseNumber(acl);
        if (!n || NumberedAclKind(*n) != AclKind::EXTENDED)
        {
            c.FailAt(t, hint);
        }
    }
    c.End();
    e.matchAddress = acl;
    m_matchRef[m_entry] = Reference{c.Where(), column, acl};
}

/** `set peer|transform-set|pfs|security-association|session-key ...`. */
void
IosConfigReader::Session::CryptoMapSet(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    using Handler = void (Session::*)(IosCursor&, IosCryptoMapEntry&, bool);
    static const std::map<std::string, Handler> handlers = {
        {"peer", &Session::CryptoMapPeer},
        {"isakmp-profile", &Session::CryptoMapIsakmpProfile},
        {"ikev2-profile", &Session::CryptoMapIkev2Profile},
        {"pfs", &Session::CryptoMapPfs},
        {"security-association", &Session::CryptoMapSecurityAssociation},
        {"session-key", &Session::CryptoMapSessionKey},
        {"transform-set", &Session::CryptoMapTransformSets},
    };
    static const Words setWords = {"ikev2-profile",        "isakmp-profile", "peer",         "pfs",
                                   "security-association", "session-key",    "transform-set"};
    (this->*handlers.at(setWords[c.Keyword(setWords)]))(c, e, no);
}

/** `set peer ADDRESS|HOSTNAME [dynamic]` (one only in a manual entry). A host name is resolved
 *  when the configuration is put in force (`ip host`, the scenario's name table); with
 *  `dynamic` at each negotiation (IOS 12.3(4)T). */
void
IosConfigReader::Session::CryptoMapPeer(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const bool manual = e.kind == IosCryptoMapKind::IPSEC_MANUAL;
    const size_t t = c.Position();
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string peer = c.Word("expected the peer's address or host name");
    const bool address = IosParseAddress(peer).has_value();
    if (std::isdigit(static_cast<unsigned char>(peer[0])) && !address &&
        peer.find_first_not_of("0123456789.") == std::string::npos)
    {
        c.FailAt(t, "expected the peer's address A.B.C.D or host name");
    }
    if (!address && peer.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_.") != std::string::npos)
    {
        c.FailAt(t, "expected the peer's address A.B.C.D or host name (letters, digits, '-', "
                    "'_' and '.')");
    }
    const size_t dynAt = c.Position();
    const bool dynamic = c.OptionalKeyword({"dynamic"}).has_value();
    if (dynamic && address)
    {
        c.FailWith(dynAt, "% dynamic is for a peer given by host name: " + peer +
                              " is an address, nothing to resolve");
    }
    c.End(address ? "" : "expected dynamic");
    auto& v = e.peers;
    if (no)
    {
        v.erase(std::remove(v.begin(), v.end(), peer), v.end());
        e.peerLines.erase(peer);
        e.dynamicPeers.erase(peer);
        return;
    }
    if (std::find(v.begin(), v.end(), peer) != v.end())
    {
        if (dynamic)
        {
            e.dynamicPeers.insert(peer);
        }
        return;
    }
    if (manual && !v.empty())
    {
        c.FailWith(t, "% An ipsec-manual entry has only one peer (this one has " + v.front() +
                          "): manual security associations are set up with one peer");
    }
    v.push_back(peer);
    e.peerLines[peer] = {c.Where(), column};
    if (dynamic)
    {
        e.dynamicPeers.insert(peer);
    }
}

/** `set transform-set NAME...` (one in a manual entry, up to six otherwise). */
void
IosConfigReader::Session::CryptoMapTransformSets(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const bool manual = e.kind == IosCryptoMapKind::IPSEC_MANUAL;
    if (no)
    {
        c.Seek(c.Tokens().size());
        e.transformSets.clear();
        m_transformRef.erase(m_entry);
        return;
    }
    std::vector<std::string> names;
    std::vector<Reference> refs;
    if (c.AtEnd())
    {
        c.Incomplete("expected the name of a transform set");
    }
    while (!c.AtEnd())
    {
        const size_t t = c.Position();
        if (manual && !names.empty())
        {
            c.FailWith(t, "% An ipsec-manual entry has exactly one transform set: without "
                          "IKE nothing is negotiated");
        }
        if (names.size() == 6)
        {
            c.FailAt(t, "at most six transform sets");
        }
        refs.push_back(Reference{c.Where(), c.Peek().column, c.Peek().text});
        names.push_back(c.Word(""));
    }
    e.transformSets = names;
    m_transformRef[m_entry] = refs;
}

/** `set pfs [group1|group2|group5|group14|group15|group16|group19|group20|group21|group24]`. */
void
IosConfigReader::Session::CryptoMapPfs(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    static const Words groups = {"group1", "group14", "group15", "group16", "group19",
                                 "group2", "group20", "group21", "group24", "group5"};
    static const int numbers[] = {1, 14, 15, 16, 19, 2, 20, 21, 24, 5};
    std::optional<size_t> g;
    if (!no || !c.AtEnd())
    {
        g = c.OptionalKeyword(groups);
        if (!g && !c.AtEnd())
        {
            c.Fail("expected group1, group2, group5, group14, group15, group16, group19, group20, "
                   "group21 or group24");
        }
    }
    c.End();
    if (no)
    {
        e.pfsGroup.reset();
        return;
    }
    e.pfsGroup = g ? numbers[*g] : 1; // `set pfs` alone asks for group 1
}

/** `set security-association level per-host | lifetime seconds|kilobytes N`. */
void
IosConfigReader::Session::CryptoMapLifetime(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const size_t k2 = c.Keyword({"level", "lifetime"});
    if (k2 == 0)
    {
        c.Keyword({"per-host"});
        c.End();
        e.perHost = !no;
        return;
    }
    ReadLifetime(c, no, e.lifetimeSeconds, e.lifetimeKilobytes);
}

void
ios_config::ReadLifetime(IosCursor& c, bool no, std::optional<uint32_t>& seconds,
                         std::optional<uint64_t>& kilobytes)
{
    const bool inSeconds = c.Keyword({"kilobytes", "seconds"}) == 1;
    if (no)
    {
        if (!c.AtEnd())
        {
            c.Word("");
        }
        c.End();
        (inSeconds ? seconds.reset() : kilobytes.reset());
        return;
    }
    const uint64_t v = inSeconds
                           ? c.Number(120, 86400, "expected seconds from 120 to 86400")
                           : c.Number(2560, 536870912, "expected kilobytes from 2560 to 536870912");
    c.End();
    if (inSeconds)
    {
        seconds = static_cast<uint32_t>(v);
    }
    else
    {
        kilobytes = v;
    }
}

/** `set session-key inbound|outbound ah|esp SPI ...` (manual entries only). */
void
IosConfigReader::Session::CryptoMapSessionKey(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const bool manual = e.kind == IosCryptoMapKind::IPSEC_MANUAL;
    const size_t setToken = c.Position() - 1; // the word after `set`
    if (!manual)
    {
        c.FailAt(setToken, "session keys are set only in ipsec-manual entries (this one is " +
                               std::string(KindText(e.kind)) + ")");
    }
    IosSessionKey key;
    key.inbound = c.Keyword({"inbound", "outbound"}) == 0;
    const bool esp = c.Keyword({"ah", "esp"}) == 1;
    key.protocol = esp ? IpsecProtocol::ESP : IpsecProtocol::AH;
    auto sameSlot = [&](const IosSessionKey& x)
    { return x.inbound == key.inbound && x.protocol == key.protocol; };
    if (no)
    {
        c.Seek(c.Tokens().size());
        auto& v = e.sessionKeys;
        v.erase(std::remove_if(v.begin(), v.end(), sameSlot), v.end());
        return;
    }
    key.spi = static_cast<uint32_t>(
        c.Number(256, 4294967295u, "expected an SPI from 256 to 4294967295", true));
    const std::string hexHint = "expected the key in hexadecimal (an even number of digits)";
    auto hex = [&]()
    {
        const size_t t = c.Position();
        auto v = ParseHex(c.Word(hexHint));
        if (!v)
        {
            c.FailAt(t, hexHint);
        }
        return *v;
    };
    if (!esp)
    {
        key.authKey = hex();
    }
    else
    {
        const size_t k3 = c.Keyword({"authenticator", "cipher"});
        if (k3 == 1)
        {
            key.cipherKey = hex();
            if (c.OptionalKeyword({"authenticator"}))
            {
                key.authKey = hex();
            }
        }
        else
        {
            key.authKey = hex();
        }
    }
    c.End();
    auto& v = e.sessionKeys;
    auto it = std::find_if(v.begin(), v.end(), sameSlot);
    if (it != v.end())
    {
        *it = key;
    }
    else
    {
        v.push_back(key);
    }
}

} // namespace ns3
