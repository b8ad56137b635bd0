// IosConfigReader: IKEv2 as IOS 15 configures it (FlexVPN syntax): `crypto ikev2 proposal`,
// `policy`, `keyring` (with its `peer` blocks) and `profile` with their modes, the global
// `crypto ikev2 dpd|nat|cookie-challenge|limit`, `set ikev2-profile` in crypto map entries and
// IPsec profiles, and the checks IOS makes of them. IKEv2 negotiation itself is not simulated
// yet: the data waits for the daemon (doc/ikev2.md).
#include "ios-config-reader.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

using namespace ios_config;

namespace
{
/** Sub-commands of the IKEv2 blocks we read without modelling (`crypto ikev2 authorization
 *  policy`, `crypto ikev2 client flexvpn`), accepted without indentation too. */
const Words kIkev2BlockWords = {"client",     "dns",       "netmask", "peer",   "pool",
                                "route",      "source",    "subnet",  "tunnel", "wins",
                                "def-domain", "split-dns", "banner",  "backup"};

const Words kEncryptionWords = {"3des",        "aes-cbc-128", "aes-cbc-192",
                                "aes-cbc-256", "aes-gcm-128", "aes-gcm-256"};
const IosIkev2Encryption kEncryptionValues[] = {
    IosIkev2Encryption::TRIPLE_DES,  IosIkev2Encryption::AES_CBC_128,
    IosIkev2Encryption::AES_CBC_192, IosIkev2Encryption::AES_CBC_256,
    IosIkev2Encryption::AES_GCM_128, IosIkev2Encryption::AES_GCM_256};
const Words kHashWords = {"md5", "sha1", "sha256", "sha384", "sha512"};
const IosIkev2Hash kHashValues[] = {IosIkev2Hash::MD5, IosIkev2Hash::SHA1, IosIkev2Hash::SHA256,
                                    IosIkev2Hash::SHA384, IosIkev2Hash::SHA512};
// The groups are keywords (`group ?` lists them), so "1" is group 1, not an abbreviation of 14.
const Words kGroupWords = {"1", "14", "15", "16", "19", "2", "20", "21", "24", "5"};
const uint8_t kGroupValues[] = {1, 14, 15, 16, 19, 2, 20, 21, 24, 5};

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** Adds @p v to @p list unless there (IOS merges repeated `encryption` lines into one list). */
template <typename T>
void
AddUnique(std::vector<T>& list, const T& v)
{
    if (std::find(list.begin(), list.end(), v) == list.end())
    {
        list.push_back(v);
    }
}

template <typename T>
void
Remove(std::vector<T>& list, const T& v)
{
    list.erase(std::remove(list.begin(), list.end(), v), list.end());
}

/**
 * The values of a proposal line (`encryption aes-cbc-256 aes-cbc-128`): one or more of
 * @p words, each mapped through @p values. With @p no and no value, @p list is emptied.
 */
template <typename T>
void
ReadValues(IosCursor& c, bool no, const Words& words, const T* values, const std::string& hint,
           std::vector<T>& list)
{
    if (no && c.AtEnd())
    {
        list.clear();
        return;
    }
    std::vector<T> read;
    do
    {
        read.push_back(values[c.Keyword(words, hint)]);
    } while (!c.AtEnd());
    for (const T& v : read)
    {
        no ? Remove(list, v) : AddUnique(list, v);
    }
}

/** `[0|6] KEY`: a lone 0 or 6 followed by the key is the encryption type. */
IosIkev2Key
ReadKey(IosCursor& c)
{
    IosIkev2Key k;
    if (!c.AtEnd() && (c.Peek().text == "0" || c.Peek().text == "6") &&
        c.Position() + 1 < c.Tokens().size())
    {
        k.encryptionType = static_cast<uint8_t>(c.Word("") == "6" ? 6 : 0);
    }
    k.key = c.Word("expected the pre-shared key (0 or 6 first for its encryption type)");
    c.End();
    return k;
}

/** `address A | fqdn NAME | email NAME | key-id K` (and `dn` where @p dn). */
IosIkev2Identity
ReadIdentity(IosCursor& c, bool dn)
{
    static const Words withDn = {"address", "dn", "email", "fqdn", "key-id"};
    static const Words withoutDn = {"address", "email", "fqdn", "key-id"};
    const Words& kinds = dn ? withDn : withoutDn;
    const std::string hint = dn ? "expected address, fqdn, email, key-id or dn"
                                : "expected address, fqdn, email or key-id";
    const std::string kind = kinds[c.Keyword(kinds, hint)];
    IosIkev2Identity id;
    if (kind == "address")
    {
        id.type = IosIkev2IdType::ADDRESS;
        id.value = Text(c.Address("expected the address A.B.C.D"));
    }
    else if (kind == "dn")
    {
        id.type = IosIkev2IdType::DN;
    }
    else
    {
        id.type = kind == "fqdn"    ? IosIkev2IdType::FQDN
                  : kind == "email" ? IosIkev2IdType::EMAIL
                                    : IosIkev2IdType::KEY_ID;
        id.value = c.Word(kind == "fqdn"    ? "expected the fully qualified domain name"
                          : kind == "email" ? "expected the e-mail address"
                                            : "expected the key id");
    }
    c.End();
    return id;
}

/** An address and an optional contiguous mask (`address A [MASK]`). */
std::pair<Ipv4Address, Ipv4Mask>
ReadAddressMask(IosCursor& c, const std::string& hint)
{
    const Ipv4Address a = c.Address(hint);
    // IOS reads `address 0.0.0.0` without a mask as any address (the usual FlexVPN hub's
    // `match identity remote address 0.0.0.0`); any other address alone is a host.
    Ipv4Mask mask = a == Ipv4Address::GetAny() ? Ipv4Mask::GetZero() : Ipv4Mask::GetOnes();
    if (!c.AtEnd() && IosParseAddress(c.Peek().text))
    {
        const size_t maskToken = c.Position();
        const uint32_t m = c.Address("").Get();
        if (!Contiguous(m))
        {
            c.FailWith(maskToken, "% Bad mask " + Hex32(m) + " for address " + Text(a));
        }
        mask = Ipv4Mask(m);
    }
    return {a, mask};
}

/**
 * The command word of a sub-mode line (one of @p words, which include "no" and "exit"), after
 * `no` if given; @p no tells which.
 */
std::string
SubCommand(IosCursor& c, const Words& words, const std::string& hint, bool& no)
{
    no = false;
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
    return word;
}

/** The column of the last word of @p where (the name in `set ikev2-profile NAME`). */
size_t
LastWordColumn(const IosLocation& where)
{
    const std::vector<IosToken> t = IosTokenize(where.text);
    return t.empty() ? 0 : t.back().column;
}
} // namespace

// ------------------------------------------------------------------------------ the data

bool
IosIkev2Proposal::IsAead() const
{
    return !encryption.empty() && std::all_of(encryption.begin(), encryption.end(),
                                              [](IosIkev2Encryption e) {
                                                  return e == IosIkev2Encryption::AES_GCM_128 ||
                                                         e == IosIkev2Encryption::AES_GCM_256;
                                              });
}

std::vector<IosIkev2Hash>
IosIkev2Proposal::Prfs() const
{
    return prf.empty() ? integrity : prf;
}

bool
IosIkev2Policy::Matches(Ipv4Address local) const
{
    return matchLocal.empty() ||
           std::find(matchLocal.begin(), matchLocal.end(), local) != matchLocal.end();
}

bool
IosIkev2Identity::operator==(const IosIkev2Identity& o) const
{
    // Names compare without regard to case (DNS); key ids byte for byte.
    return type == o.type &&
           (type == IosIkev2IdType::KEY_ID ? value == o.value
                                           : IosLower(value) == IosLower(o.value));
}

bool
IosIkev2Profile::RemoteMatch::operator==(const RemoteMatch& o) const
{
    return type == o.type && address == o.address && mask == o.mask && domain == o.domain &&
           IosLower(value) == IosLower(o.value);
}

namespace
{
/** Is @p name @p domain or a name inside it ("r1.example.com" in "example.com")? */
bool
InDomain(const std::string& name, const std::string& domain)
{
    const std::string n = IosLower(name);
    const std::string d = IosLower(domain);
    return n == d || (n.size() > d.size() && n.compare(n.size() - d.size(), d.size(), d) == 0 &&
                      n[n.size() - d.size() - 1] == '.');
}
} // namespace

bool
IosIkev2Profile::MatchesRemote(const IosIkev2Identity& id) const
{
    if (matchRemoteAny)
    {
        return true;
    }
    for (const auto& m : matchRemote)
    {
        if (m.type != id.type)
        {
            continue;
        }
        if (m.type == IosIkev2IdType::ADDRESS)
        {
            const std::optional<Ipv4Address> a = IosParseAddress(id.value);
            if (a && m.mask.IsMatch(*a, m.address))
            {
                return true;
            }
        }
        else if (!m.domain)
        {
            if (IosIkev2Identity{m.type, m.value} == id)
            {
                return true;
            }
        }
        else if (m.type == IosIkev2IdType::EMAIL)
        {
            const size_t at = id.value.find('@');
            if (at != std::string::npos && InDomain(id.value.substr(at + 1), m.value))
            {
                return true;
            }
        }
        else if (InDomain(id.value, m.value))
        {
            return true;
        }
    }
    return false;
}

bool
IosIkev2Profile::MatchesLocal(Ipv4Address local, const std::vector<IosInterface>& interfaces) const
{
    if (matchLocal.empty() && matchLocalInterface.empty())
    {
        return true;
    }
    if (std::find(matchLocal.begin(), matchLocal.end(), local) != matchLocal.end())
    {
        return true;
    }
    return std::any_of(interfaces.begin(), interfaces.end(),
                       [&](const IosInterface& i)
                       { return i.name == matchLocalInterface && i.address == local; });
}

IosIkev2Proposal
IosIkev2Config::DefaultProposal()
{
    // IOS 15 (15.2(4)M, 15.3T, 15.4): the smart default offers every AES-CBC key size, the
    // SHA-2 and older hashes, and groups 5 and 2.
    IosIkev2Proposal p;
    p.name = "default";
    p.encryption = {IosIkev2Encryption::AES_CBC_256, IosIkev2Encryption::AES_CBC_192,
                    IosIkev2Encryption::AES_CBC_128};
    p.integrity = {IosIkev2Hash::SHA512, IosIkev2Hash::SHA384, IosIkev2Hash::SHA256,
                   IosIkev2Hash::SHA1, IosIkev2Hash::MD5};
    p.groups = {5, 2};
    return p;
}

IosIkev2Policy
IosIkev2Config::DefaultPolicy()
{
    IosIkev2Policy p;
    p.name = "default";
    p.proposals = {"default"};
    p.matchFvrf = "any";
    return p;
}

std::optional<IosIkev2Proposal>
IosIkev2Config::FindProposal(const std::string& name) const
{
    auto it = proposals.find(name);
    if (it != proposals.end())
    {
        return it->second;
    }
    if (name == "default" && defaultProposal)
    {
        return DefaultProposal();
    }
    return std::nullopt;
}

std::vector<IosIkev2Policy>
IosIkev2Config::PoliciesFor(Ipv4Address local) const
{
    std::vector<IosIkev2Policy> specific;
    std::vector<IosIkev2Policy> any;
    bool userDefined = false;
    for (const auto& [name, p] : policies)
    {
        if (name == "default")
        {
            continue;
        }
        userDefined = true;
        if (p.Matches(local))
        {
            (p.matchLocal.empty() ? any : specific).push_back(p);
        }
    }
    if (userDefined)
    {
        specific.insert(specific.end(), any.begin(), any.end());
        return specific;
    }
    auto configuredDefault = policies.find("default");
    if (configuredDefault != policies.end())
    {
        return {configuredDefault->second};
    }
    if (defaultPolicy)
    {
        return {DefaultPolicy()};
    }
    return {};
}

std::vector<IosIkev2Proposal>
IosIkev2Config::ProposalsFor(Ipv4Address local) const
{
    std::vector<IosIkev2Proposal> out;
    for (const auto& policy : PoliciesFor(local))
    {
        for (const auto& name : policy.proposals)
        {
            std::optional<IosIkev2Proposal> p = FindProposal(name);
            const bool seen =
                std::any_of(out.begin(), out.end(),
                            [&name](const IosIkev2Proposal& x) { return x.name == name; });
            if (p && !seen)
            {
                out.push_back(*p);
            }
        }
    }
    return out;
}

const IosIkev2Profile*
IosIkev2Config::FindProfile(const IosIkev2Identity& remote, Ipv4Address local,
                            const std::vector<IosInterface>& interfaces) const
{
    for (const auto& [name, p] : profiles)
    {
        if (p.MatchesRemote(remote) && p.MatchesLocal(local, interfaces))
        {
            return &p;
        }
    }
    return nullptr;
}

const IosIkev2KeyringPeer*
IosIkev2Config::FindKeyringPeer(const std::string& keyring, Ipv4Address address) const
{
    auto k = keyrings.find(keyring);
    if (k == keyrings.end())
    {
        return nullptr;
    }
    const IosIkev2KeyringPeer* best = nullptr;
    for (const auto& p : k->second.peers)
    {
        if (p.address && p.mask.IsMatch(address, *p.address) &&
            (!best || p.mask.GetPrefixLength() > best->mask.GetPrefixLength()))
        {
            best = &p;
        }
    }
    return best;
}

const IosIkev2KeyringPeer*
IosIkev2Config::FindKeyringPeer(const std::string& keyring, const IosIkev2Identity& id) const
{
    auto k = keyrings.find(keyring);
    if (k == keyrings.end())
    {
        return nullptr;
    }
    for (const auto& p : k->second.peers)
    {
        const bool byHostname = id.type == IosIkev2IdType::FQDN && !p.hostname.empty() &&
                                IosLower(p.hostname) == IosLower(id.value);
        if ((p.identity && *p.identity == id) || byHostname)
        {
            return &p;
        }
    }
    return nullptr;
}

IosIkev2Config::PreSharedKeys
IosIkev2Config::FindPreSharedKeys(const IosIkev2Profile& profile, Ipv4Address peer,
                                  const std::optional<IosIkev2Identity>& id) const
{
    PreSharedKeys keys;
    if (profile.localAuthKey)
    {
        keys.local = profile.localAuthKey->key;
    }
    if (profile.remoteAuthKey)
    {
        keys.remote = profile.remoteAuthKey->key;
    }
    const IosIkev2KeyringPeer* p = id ? FindKeyringPeer(profile.keyring, *id) : nullptr;
    if (!p)
    {
        p = FindKeyringPeer(profile.keyring, peer);
    }
    if (p && !keys.local && p->localKey)
    {
        keys.local = p->localKey->key;
    }
    if (p && !keys.remote && p->remoteKey)
    {
        keys.remote = p->remoteKey->key;
    }
    return keys;
}

bool
IosIkev2Config::Configured() const
{
    return !proposals.empty() || !policies.empty() || !keyrings.empty() || !profiles.empty() ||
           !defaultProposal || !defaultPolicy || dpd || natKeepaliveSeconds || cookieChallenge ||
           maxSa || maxInNegotiation;
}

// ------------------------------------------------------------------------------ crypto ikev2

void
IosConfigReader::Session::Ikev2(IosCursor& c, bool no)
{
    static const Words words = {"authorization", "certificate-cache",
                                "client",        "cookie-challenge",
                                "diagnose",      "dpd",
                                "fragmentation", "http-url",
                                "keyring",       "limit",
                                "nat",           "policy",
                                "profile",       "proposal",
                                "redirect",      "window"};
    const std::string word = words[c.Keyword(
        words, "expected proposal, policy, keyring, profile, dpd, nat, cookie-challenge, limit or "
               "another ikev2 command")];
    if (word == "proposal")
    {
        Ikev2Proposal(c, no);
    }
    else if (word == "policy")
    {
        Ikev2Policy(c, no);
    }
    else if (word == "keyring")
    {
        Ikev2Keyring(c, no);
    }
    else if (word == "profile")
    {
        Ikev2Profile(c, no);
    }
    else if (word == "dpd")
    {
        Ikev2Dpd(c, no, m_cfg.ikev2.dpd);
    }
    else if (word == "nat")
    {
        c.Keyword({"keepalive"}, "expected keepalive");
        Ikev2NatKeepalive(c, no, m_cfg.ikev2.natKeepaliveSeconds);
    }
    else if (word == "cookie-challenge")
    {
        const auto v = no && c.AtEnd() ? 0
                                       : c.Number(1, 1000,
                                                  "expected the number of half-open "
                                                  "SAs that starts cookies, 1 to "
                                                  "1000");
        c.End();
        m_cfg.ikev2.cookieChallenge =
            no ? std::nullopt : std::optional<uint32_t>(static_cast<uint32_t>(v));
    }
    else if (word == "limit")
    {
        Ikev2Limit(c, no);
    }
    else
    {
        // Authorization policies, FlexVPN clients, redirects, fragmentation, certificate
        // caches, windows: read without effect, with their blocks.
        c.Seek(c.Tokens().size());
        NotModelled(c.Where(), &kIkev2BlockWords);
    }
}

/** `crypto ikev2 limit max-sa N | max-in-negotiation-sa N [incoming|outgoing] | queue ...`:
 *  call admission, kept for the daemon; it has no effect while IKEv2 is not simulated. */
void
IosConfigReader::Session::Ikev2Limit(IosCursor& c, bool no)
{
    static const Words kinds = {"max-in-negotiation-sa", "max-sa", "queue"};
    const size_t k = c.Keyword(kinds, "expected max-sa, max-in-negotiation-sa or queue");
    if (k == 2)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    std::optional<uint32_t> v;
    if (!no || !c.AtEnd())
    {
        v = static_cast<uint32_t>(c.Number(1, 200000, "expected a limit from 1 to 200000"));
        if (k == 0)
        {
            c.OptionalKeyword({"incoming", "outgoing"});
        }
    }
    c.End();
    (k == 0 ? m_cfg.ikev2.maxInNegotiation : m_cfg.ikev2.maxSa) = no ? std::nullopt : v;
    m_cfg.notModelled.push_back(c.Where());
}

/** `dpd INTERVAL RETRY on-demand|periodic` (global after `crypto ikev2`, or in a profile). */
void
IosConfigReader::Session::Ikev2Dpd(IosCursor& c, bool no, std::optional<IosIkev2Dpd>& dpd)
{
    if (no)
    {
        c.Seek(c.Tokens().size());
        dpd.reset();
        return;
    }
    IosIkev2Dpd d;
    d.interval =
        static_cast<uint32_t>(c.Number(10, 3600, "expected the DPD interval, 10 to 3600 seconds"));
    d.retry =
        static_cast<uint32_t>(c.Number(2, 60, "expected the retry interval, 2 to 60 seconds"));
    d.periodic = c.Keyword({"on-demand", "periodic"}, "expected on-demand or periodic") == 1;
    c.End();
    d.where = c.Where();
    dpd = d;
}

/** `keepalive SECONDS` after `nat` (global or in a profile). */
void
IosConfigReader::Session::Ikev2NatKeepalive(IosCursor& c, bool no, std::optional<uint32_t>& v)
{
    if (no)
    {
        c.Seek(c.Tokens().size());
        v.reset();
        return;
    }
    v = static_cast<uint32_t>(
        c.Number(5, 3600, "expected the NAT keepalive interval, 5 to 3600 seconds"));
    c.End();
}

// ------------------------------------------------------------------------------ proposal

void
IosConfigReader::Session::Ikev2Proposal(IosCursor& c, bool no)
{
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string name = c.Word("expected the proposal's name");
    c.End();
    IosIkev2Config& v2 = m_cfg.ikev2;
    if (no)
    {
        v2.proposals.erase(name);
        if (name == "default")
        {
            v2.defaultProposal = false; // IOS 15 then offers no default proposal
        }
        return;
    }
    auto [it, added] = v2.proposals.try_emplace(name);
    if (added)
    {
        it->second.name = name;
        it->second.where = c.Where();
        m_ikev2Column[{"proposal", name}] = column;
    }
    if (name == "default")
    {
        v2.defaultProposal = true;
    }
    m_ikev2Block = name;
    Enter(Mode::IKEV2_PROPOSAL);
}

void
IosConfigReader::Session::Ikev2ProposalMode(IosCursor& c)
{
    static const Words words = {"encryption", "exit", "group", "integrity", "no", "prf"};
    const std::string hint = "expected encryption, integrity, group, prf or exit";
    bool no = false;
    const std::string word = SubCommand(c, words, hint, no);
    IosIkev2Proposal& p = m_cfg.ikev2.proposals.at(m_ikev2Block);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "encryption")
    {
        ReadValues(c, no, kEncryptionWords, kEncryptionValues,
                   "expected aes-cbc-128, aes-cbc-192, aes-cbc-256, aes-gcm-128, aes-gcm-256 or "
                   "3des",
                   p.encryption);
    }
    else if (word == "integrity" || word == "prf")
    {
        ReadValues(c, no, kHashWords, kHashValues, "expected sha1, sha256, sha384, sha512 or md5",
                   word == "prf" ? p.prf : p.integrity);
    }
    else
    {
        ReadValues(c, no, kGroupWords, kGroupValues,
                   "expected a Diffie-Hellman group: 1, 2, 5, 14, 15, 16, 19, 20, 21 or 24",
                   p.groups);
    }
}

// ------------------------------------------------------------------------------ policy

void
IosConfigReader::Session::Ikev2Policy(IosCursor& c, bool no)
{
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string name = c.Word("expected the policy's name");
    c.End();
    IosIkev2Config& v2 = m_cfg.ikev2;
    if (no)
    {
        v2.policies.erase(name);
        m_ikev2ProposalRef.erase(name);
        if (name == "default")
        {
            v2.defaultPolicy = false;
        }
        return;
    }
    auto [it, added] = v2.policies.try_emplace(name);
    if (added)
    {
        it->second.name = name;
        it->second.where = c.Where();
        m_ikev2Column[{"policy", name}] = column;
    }
    if (name == "default")
    {
        v2.defaultPolicy = true;
    }
    m_ikev2Block = name;
    Enter(Mode::IKEV2_POLICY);
}

void
IosConfigReader::Session::Ikev2PolicyMode(IosCursor& c)
{
    static const Words words = {"exit", "match", "no", "proposal"};
    const std::string hint = "expected proposal, match address local, match fvrf or exit";
    bool no = false;
    const std::string word = SubCommand(c, words, hint, no);
    IosIkev2Policy& p = m_cfg.ikev2.policies.at(m_ikev2Block);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "proposal")
    {
        const size_t column = c.AtEnd() ? 0 : c.Peek().column;
        const std::string name = c.Word("expected the proposal's name");
        c.End();
        auto& refs = m_ikev2ProposalRef[p.name];
        refs.erase(std::remove_if(refs.begin(), refs.end(),
                                  [&name](const Reference& r) { return r.name == name; }),
                   refs.end());
        Remove(p.proposals, name);
        if (!no)
        {
            p.proposals.push_back(name);
            refs.push_back(Reference{c.Where(), column, name});
        }
    }
    else if (c.Keyword({"address", "fvrf"}, "expected address local or fvrf") == 1)
    {
        const std::string vrf = no && c.AtEnd() ? "" : c.Word("expected any or a VRF's name");
        c.End();
        p.matchFvrf = no ? ""
                      : IosMatchKeyword(vrf, {"any"}).result == IosKeywordMatch::Result::UNIQUE
                          ? "any"
                          : vrf;
        if (!p.matchFvrf.empty() && p.matchFvrf != "any")
        {
            m_cfg.notModelled.push_back(c.Where()); // VRFs are not modelled
        }
    }
    else
    {
        c.Keyword({"local"}, "expected local");
        const Ipv4Address a = c.Address("expected the local address A.B.C.D");
        c.End();
        Remove(p.matchLocal, a);
        if (!no)
        {
            p.matchLocal.push_back(a);
        }
    }
}

// ------------------------------------------------------------------------------ keyring

void
IosConfigReader::Session::Ikev2Keyring(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the keyring's name");
    c.End();
    if (no)
    {
        m_cfg.ikev2.keyrings.erase(name);
        return;
    }
    auto [it, added] = m_cfg.ikev2.keyrings.try_emplace(name);
    if (added)
    {
        it->second.name = name;
        it->second.where = c.Where();
    }
    m_ikev2Block = name;
    Enter(Mode::IKEV2_KEYRING);
}

void
IosConfigReader::Session::Ikev2KeyringMode(IosCursor& c)
{
    static const Words words = {"exit", "no", "peer"};
    bool no = false;
    const std::string word = SubCommand(c, words, "expected peer or exit", no);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    Ikev2KeyringPeer(c, no);
}

/** `peer NAME` in a keyring (or in a peer's block: IOS goes up a level for it). */
void
IosConfigReader::Session::Ikev2KeyringPeer(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the peer's name");
    c.End();
    IosIkev2Keyring& k = m_cfg.ikev2.keyrings.at(m_ikev2Block);
    auto& v = k.peers;
    auto it = std::find_if(v.begin(), v.end(),
                           [&name](const IosIkev2KeyringPeer& p) { return p.name == name; });
    if (no)
    {
        if (it != v.end())
        {
            v.erase(it);
        }
        m_mode = Mode::IKEV2_KEYRING;
        return;
    }
    if (it == v.end())
    {
        IosIkev2KeyringPeer p;
        p.name = name;
        p.where = c.Where();
        v.push_back(p);
        it = std::prev(v.end());
    }
    m_ikev2Peer = static_cast<size_t>(it - v.begin());
    Enter(Mode::IKEV2_PEER);
}

void
IosConfigReader::Session::Ikev2PeerMode(IosCursor& c)
{
    static const Words words = {"address",  "description", "exit",           "hostname",
                                "identity", "no",          "pre-shared-key", "peer"};
    const std::string hint =
        "expected address, hostname, identity, pre-shared-key, description, peer or exit";
    bool no = false;
    const std::string word = SubCommand(c, words, hint, no);
    IosIkev2Keyring& k = m_cfg.ikev2.keyrings.at(m_ikev2Block);
    IosIkev2KeyringPeer& p = k.peers.at(m_ikev2Peer);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::IKEV2_KEYRING;
    }
    else if (word == "peer")
    {
        Ikev2KeyringPeer(c, no);
    }
    else if (word == "address")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            p.address.reset();
            p.mask = Ipv4Mask::GetOnes();
            return;
        }
        const auto [a, mask] = ReadAddressMask(c, "expected the peer's address A.B.C.D");
        c.End("expected a mask");
        p.address = a;
        p.mask = mask;
    }
    else if (word == "hostname")
    {
        const std::string name = no && c.AtEnd() ? "" : c.Word("expected the peer's host name");
        c.End();
        p.hostname = no ? "" : name;
    }
    else if (word == "identity")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            p.identity.reset();
            return;
        }
        p.identity = ReadIdentity(c, false);
    }
    else if (word == "description")
    {
        p.description = no ? "" : c.Rest();
        c.Seek(c.Tokens().size());
    }
    else
    {
        Ikev2PeerKey(c, p, no);
    }
}

/** `pre-shared-key [local|remote] [0|6] KEY`: without local or remote, both directions. */
void
IosConfigReader::Session::Ikev2PeerKey(IosCursor& c, IosIkev2KeyringPeer& p, bool no)
{
    const auto side = c.OptionalKeyword({"local", "remote"});
    if (no)
    {
        c.Seek(c.Tokens().size());
        if (!side || *side == 0)
        {
            p.localKey.reset();
        }
        if (!side || *side == 1)
        {
            p.remoteKey.reset();
        }
        return;
    }
    const IosIkev2Key key = ReadKey(c);
    if (!side || *side == 0)
    {
        p.localKey = key;
    }
    if (!side || *side == 1)
    {
        p.remoteKey = key;
    }
}

// ------------------------------------------------------------------------------ profile

void
IosConfigReader::Session::Ikev2Profile(IosCursor& c, bool no)
{
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string name = c.Word("expected the profile's name");
    c.End();
    if (no)
    {
        m_cfg.ikev2.profiles.erase(name);
        m_ikev2KeyringRef.erase(name);
        return;
    }
    auto [it, added] = m_cfg.ikev2.profiles.try_emplace(name);
    if (added)
    {
        it->second.name = name;
        it->second.where = c.Where();
        m_ikev2Column[{"profile", name}] = column;
    }
    m_ikev2Block = name;
    Enter(Mode::IKEV2_PROFILE);
}

void
IosConfigReader::Session::Ikev2ProfileMode(IosCursor& c)
{
    // Modelled: match, identity local, authentication, keyring local, pki trustpoint, lifetime,
    // dpd, nat keepalive, virtual-template, description. The rest (AAA, config exchange,
    // inside VRFs, redirects) is read without effect.
    static const Words words = {"aaa",
                                "authentication",
                                "config-exchange",
                                "description",
                                "dpd",
                                "dynamic",
                                "exit",
                                "identity",
                                "initial-contact",
                                "ivrf",
                                "keyring",
                                "lifetime",
                                "match",
                                "nat",
                                "no",
                                "pki",
                                "reconnect",
                                "redirect",
                                "shutdown",
                                "virtual-template"};
    const std::string hint =
        "expected match, identity local, authentication, keyring local, lifetime, dpd or exit";
    bool no = false;
    const std::string word = SubCommand(c, words, hint, no);
    IosIkev2Profile& p = m_cfg.ikev2.profiles.at(m_ikev2Block);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "match")
    {
        Ikev2ProfileMatch(c, p, no);
    }
    else if (word == "identity")
    {
        c.Keyword({"local"}, "expected local");
        if (no)
        {
            c.Seek(c.Tokens().size());
            p.localIdentity.reset();
            return;
        }
        p.localIdentity = ReadIdentity(c, true);
    }
    else if (word == "authentication")
    {
        Ikev2ProfileAuthentication(c, p, no);
    }
    else
    {
        Ikev2ProfileSetting(c, p, word, no);
    }
}

/** The profile's single-value settings: keyring, pki trustpoint, lifetime, dpd, nat keepalive,
 *  virtual-template, description, and the commands read without effect. */
void
IosConfigReader::Session::Ikev2ProfileSetting(IosCursor& c, IosIkev2Profile& p,
                                              const std::string& word, bool no)
{
    if (word == "keyring")
    {
        // `keyring local NAME` (15.2 on); 15.1 wrote `keyring NAME`; `keyring aaa` is AAA's.
        if (!c.AtEnd() &&
            IosMatchKeyword(c.Peek().text, {"aaa"}).result == IosKeywordMatch::Result::UNIQUE)
        {
            c.Seek(c.Tokens().size());
            m_cfg.notModelled.push_back(c.Where());
            return;
        }
        if (c.Tokens().size() - c.Position() > 1)
        {
            c.Keyword({"local"}, "expected local");
        }
        const size_t column = c.AtEnd() ? 0 : c.Peek().column;
        const std::string name = no && c.AtEnd() ? "" : c.Word("expected the keyring's name");
        c.End();
        p.keyring = no ? "" : name;
        m_ikev2KeyringRef.erase(p.name);
        if (!no)
        {
            m_ikev2KeyringRef[p.name] = Reference{c.Where(), column, name};
        }
    }
    else if (word == "pki")
    {
        c.Keyword({"trustpoint"}, "expected trustpoint");
        const std::string name = c.Word("expected the trustpoint's name");
        c.OptionalKeyword({"sign", "verify"});
        c.End("expected sign or verify");
        Remove(p.trustpoints, name);
        if (!no)
        {
            p.trustpoints.push_back(name);
        }
    }
    else if (word == "lifetime")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            p.lifetimeSeconds = IosIkev2Profile().lifetimeSeconds;
            return;
        }
        const auto v = c.Number(120, 86400, "expected the lifetime, 120 to 86400 seconds");
        c.End();
        p.lifetimeSeconds = static_cast<uint32_t>(v);
    }
    else if (word == "dpd")
    {
        Ikev2Dpd(c, no, p.dpd);
    }
    else if (word == "nat")
    {
        if (c.Keyword({"force-encap", "keepalive"}, "expected keepalive") == 0)
        {
            c.End();
            m_cfg.notModelled.push_back(c.Where());
            return;
        }
        Ikev2NatKeepalive(c, no, p.natKeepaliveSeconds);
    }
    else if (word == "virtual-template")
    {
        const auto v = no && c.AtEnd() ? 0
                                       : c.Number(1, 4095,
                                                  "expected the virtual template "
                                                  "interface number");
        c.End();
        p.virtualTemplate = no ? std::nullopt : std::optional<uint32_t>(static_cast<uint32_t>(v));
        m_cfg.notModelled.push_back(c.Where()); // virtual-access interfaces are not modelled
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

/** `match identity remote ...`, `match address local A|interface I`, `match fvrf any|VRF`,
 *  `match certificate MAP` (read without effect). */
void
IosConfigReader::Session::Ikev2ProfileMatch(IosCursor& c, IosIkev2Profile& p, bool no)
{
    static const Words kinds = {"address", "certificate", "fvrf", "identity"};
    const std::string kind =
        kinds[c.Keyword(kinds, "expected identity remote, address local, fvrf or certificate")];
    if (kind == "certificate")
    {
        c.Word("expected the certificate map's name");
        c.End();
        p.matchCertificate = !no;
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (kind == "fvrf")
    {
        const std::string vrf = no && c.AtEnd() ? "" : c.Word("expected any or a VRF's name");
        c.End();
        const bool any = IosMatchKeyword(vrf, {"any"}).result == IosKeywordMatch::Result::UNIQUE;
        p.matchFvrf = no ? "" : any ? "any" : vrf;
        if (!p.matchFvrf.empty() && !any)
        {
            m_cfg.notModelled.push_back(c.Where()); // VRFs are not modelled
        }
        return;
    }
    if (kind == "address")
    {
        c.Keyword({"local"}, "expected local");
        if (c.OptionalKeyword({"interface"}))
        {
            const std::string iface = c.InterfaceName();
            c.End();
            p.matchLocalInterface = no ? "" : iface;
            return;
        }
        const Ipv4Address a = c.Address("expected the local address A.B.C.D or interface");
        c.End();
        Remove(p.matchLocal, a);
        if (!no)
        {
            p.matchLocal.push_back(a);
        }
        return;
    }
    c.Keyword({"remote"}, "expected remote");
    Ikev2ProfileMatchRemote(c, p, no);
}

/** After `match identity remote`: `address A [MASK] | fqdn [domain] D | email [domain] D |
 *  key-id K | any`. */
void
IosConfigReader::Session::Ikev2ProfileMatchRemote(IosCursor& c, IosIkev2Profile& p, bool no)
{
    static const Words kinds = {"address", "any", "email", "fqdn", "key-id"};
    const std::string kind =
        kinds[c.Keyword(kinds, "expected address, fqdn, email, key-id or any")];
    if (kind == "any")
    {
        c.End();
        p.matchRemoteAny = !no;
        return;
    }
    IosIkev2Profile::RemoteMatch m;
    if (kind == "address")
    {
        const auto [a, mask] = ReadAddressMask(c, "expected the peer's address A.B.C.D");
        m.address = a;
        m.mask = mask;
    }
    else
    {
        m.type = kind == "fqdn"    ? IosIkev2IdType::FQDN
                 : kind == "email" ? IosIkev2IdType::EMAIL
                                   : IosIkev2IdType::KEY_ID;
        if (kind != "key-id" && c.OptionalKeyword({"domain"}))
        {
            m.domain = true;
        }
        m.value = c.Word(m.domain ? "expected the domain" : "expected the peer's identity");
    }
    c.End("expected a mask");
    Remove(p.matchRemote, m);
    if (!no)
    {
        p.matchRemote.push_back(m);
    }
}

/** `authentication local|remote pre-share [key [0|6] K] | rsa-sig | ecdsa-sig | eap ...`. */
void
IosConfigReader::Session::Ikev2ProfileAuthentication(IosCursor& c, IosIkev2Profile& p, bool no)
{
    const bool local = c.Keyword({"local", "remote"}, "expected local or remote") == 0;
    static const Words methods = {"ecdsa-sig", "eap", "pre-share", "rsa-sig"};
    static const IosIkev2AuthMethod values[] = {
        IosIkev2AuthMethod::ECDSA_SIG, IosIkev2AuthMethod::EAP, IosIkev2AuthMethod::PRE_SHARE,
        IosIkev2AuthMethod::RSA_SIG};
    if (no && c.AtEnd())
    {
        local ? p.localAuth.reset() : p.remoteAuth.clear();
        (local ? p.localAuthKey : p.remoteAuthKey).reset();
        return;
    }
    const size_t m = c.Keyword(methods, "expected pre-share, rsa-sig, ecdsa-sig or eap");
    const IosIkev2AuthMethod method = values[m];
    std::optional<IosIkev2Key> key;
    if (method == IosIkev2AuthMethod::PRE_SHARE && !no && c.OptionalKeyword({"key"}))
    {
        key = ReadKey(c);
    }
    else if (method == IosIkev2AuthMethod::EAP)
    {
        c.Seek(c.Tokens().size()); // EAP options: not simulated
        m_cfg.notModelled.push_back(c.Where());
    }
    else
    {
        c.Seek(no ? c.Tokens().size() : c.Position());
        c.End(method == IosIkev2AuthMethod::PRE_SHARE ? "expected key" : "");
    }
    if (local)
    {
        p.localAuth = no ? std::nullopt : std::optional<IosIkev2AuthMethod>(method);
        p.localAuthKey = no ? std::nullopt : key;
        return;
    }
    // The remote side may allow several methods (one line each).
    Remove(p.remoteAuth, method);
    if (!no)
    {
        p.remoteAuth.push_back(method);
    }
    if (method == IosIkev2AuthMethod::PRE_SHARE)
    {
        p.remoteAuthKey = no ? std::nullopt : key;
    }
}

// ------------------------------------------------------------------------------ set ikev2-profile

/** `set ikev2-profile NAME` in a crypto map entry: the entry is negotiated by the IKEv2 daemon. */
void
IosConfigReader::Session::CryptoMapIkev2Profile(IosCursor& c, IosCryptoMapEntry& e, bool no)
{
    const std::string name = no && c.AtEnd() ? "" : c.Word("expected the IKEv2 profile's name");
    c.End();
    e.ikev2Profile = no ? "" : name;
    e.ikev2ProfileWhere = no ? IosLocation{} : c.Where();
}

/** `set ikev2-profile NAME` in an IPsec profile (as in a crypto map entry): the tunnels that
 *  name the profile negotiate by IKEv2. */
void
IosConfigReader::Session::IpsecProfileIkev2Profile(IosCursor& c, IosIpsecProfile& p, bool no)
{
    IosCryptoMapEntry e;
    CryptoMapIkev2Profile(c, e, no);
    p.ikev2Profile = e.ikev2Profile;
    p.ikev2ProfileWhere = e.ikev2ProfileWhere;
}

// ------------------------------------------------------------------------------ final checks

namespace
{
/** The checks IOS makes of a proposal: an encryption, an integrity (a prf with AES-GCM) and a
 *  group; AES-GCM neither mixed with other ciphers nor given an integrity (RFC 7296 3.3). */
std::string
Ikev2ProposalProblem(const IosIkev2Proposal& p)
{
    const auto gcm = [](IosIkev2Encryption e)
    { return e == IosIkev2Encryption::AES_GCM_128 || e == IosIkev2Encryption::AES_GCM_256; };
    const size_t aead = std::count_if(p.encryption.begin(), p.encryption.end(), gcm);
    if (p.encryption.empty())
    {
        return "has no encryption algorithm";
    }
    if (aead != 0 && aead != p.encryption.size())
    {
        return "mixes AES-GCM with other encryption algorithms (an AEAD cipher needs a "
               "proposal of its own)";
    }
    if (aead != 0 && !p.integrity.empty())
    {
        return "gives an integrity algorithm with AES-GCM (AES-GCM has its own; give a prf)";
    }
    if (aead != 0 && p.prf.empty())
    {
        return "has AES-GCM but no prf algorithm";
    }
    if (aead == 0 && p.integrity.empty())
    {
        return "has no integrity algorithm";
    }
    if (p.groups.empty())
    {
        return "has no Diffie-Hellman group";
    }
    return "";
}
} // namespace

bool
IosConfigReader::Session::Editing(Mode mode, const std::string& name) const
{
    // IOS checks a block when its mode is left: one still being typed (a configuration
    // session, the console) is checked once it is complete.
    return m_mode == mode && m_ikev2Block == name;
}

void
IosConfigReader::Session::CheckIkev2(std::vector<IosConfigError>& errors) const
{
    const IosIkev2Config& v2 = m_cfg.ikev2;
    auto column = [this](const char* kind, const std::string& name)
    {
        auto it = m_ikev2Column.find({kind, name});
        return it == m_ikev2Column.end() ? size_t(0) : it->second;
    };
    for (const auto& [name, p] : v2.proposals)
    {
        const std::string problem = Ikev2ProposalProblem(p);
        if (!problem.empty() && !Editing(Mode::IKEV2_PROPOSAL, name))
        {
            errors.emplace_back(p.where, column("proposal", name),
                                "% IKEv2 proposal " + name + " is incomplete: it " + problem +
                                    " (an IKEv2 proposal needs an encryption, an integrity and "
                                    "a Diffie-Hellman group; with AES-GCM a prf in place of the "
                                    "integrity)");
        }
    }
    for (const auto& [name, p] : v2.policies)
    {
        if (p.proposals.empty() && !Editing(Mode::IKEV2_POLICY, name))
        {
            errors.emplace_back(p.where, column("policy", name),
                                "% IKEv2 policy " + name +
                                    " has no proposal: give it at least one (proposal NAME)");
        }
    }
    for (const auto& [policy, refs] : m_ikev2ProposalRef)
    {
        for (const auto& ref : refs)
        {
            if (!v2.FindProposal(ref.name))
            {
                errors.emplace_back(ref.where, ref.column,
                                    "% IKEv2 proposal " + ref.name +
                                        " is not defined (no `crypto ikev2 proposal " + ref.name +
                                        "`)");
            }
        }
    }
    CheckIkev2Profiles(errors);
}

void
IosConfigReader::Session::CheckIkev2Profiles(std::vector<IosConfigError>& errors) const
{
    const IosIkev2Config& v2 = m_cfg.ikev2;
    for (const auto& [name, p] : v2.profiles)
    {
        const bool matches = !p.matchRemote.empty() || p.matchRemoteAny || p.matchCertificate;
        if ((!p.localAuth || p.remoteAuth.empty() || !matches) &&
            !Editing(Mode::IKEV2_PROFILE, name))
        {
            auto col = m_ikev2Column.find({"profile", name});
            errors.emplace_back(
                p.where, col == m_ikev2Column.end() ? 0 : col->second,
                "% IKEv2 profile " + name + " is incomplete: it needs " +
                    (!p.localAuth           ? "authentication local"
                     : p.remoteAuth.empty() ? "authentication remote"
                                            : "a match identity remote (or match certificate)") +
                    " (a profile needs a local and a remote authentication method and a match "
                    "identity or match certificate statement)");
        }
    }
    for (const auto& [profile, ref] : m_ikev2KeyringRef)
    {
        if (!v2.keyrings.count(ref.name))
        {
            errors.emplace_back(ref.where, ref.column,
                                "% IKEv2 keyring " + ref.name +
                                    " is not defined (no `crypto ikev2 keyring " + ref.name + "`)");
        }
    }
    auto check = [&](const std::string& name, const IosLocation& where)
    {
        if (!name.empty() && !v2.profiles.count(name))
        {
            errors.emplace_back(where, LastWordColumn(where),
                                "% IKEv2 profile " + name +
                                    " is not defined (no `crypto ikev2 profile " + name + "`)");
        }
    };
    for (const auto* maps : {&m_cfg.cryptoMaps, &m_cfg.dynamicMaps})
    {
        for (const auto& e : *maps)
        {
            check(e.ikev2Profile, e.ikev2ProfileWhere);
        }
    }
    for (const auto& [name, p] : m_cfg.ipsecProfiles)
    {
        check(p.ikev2Profile, p.ikev2ProfileWhere);
    }
}

} // namespace ns3
