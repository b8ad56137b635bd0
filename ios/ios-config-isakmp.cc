// IosConfigReader: `crypto isakmp ...`, the ISAKMP policy mode, and the IKE blocks read but not
// modelled.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

// ------------------------------------------------------------------------------ crypto

void
IosConfigReader::Session::Ike(IosCursor& c)
{
    // Certificates and RSA keys (`crypto ca`, `crypto pki`, `crypto key`) and the IKE options of
    // a crypto map set (`crypto map NAME isakmp|client ...`) are read as not modelled, with the
    // blocks some of them open.
    NotModelled(c.Where(), &kPkiWords);
}

void
IosConfigReader::Session::Isakmp(IosCursor& c, bool no)
{
    if (no && c.AtEnd())
    {
        c.End();
        m_cfg.isakmpEnabled = false; // `no crypto isakmp`, the older spelling
        return;
    }
    // Modelled: aggressive-mode, enable, identity, invalid-spi-recovery, keepalive, key, nat,
    // peer, policy, profile. The rest is IKE configuration we read without effect.
    static const Words words = {"aggressive-mode",
                                "call",
                                "client",
                                "default",
                                "diagnose",
                                "disconnect-revoked-peers",
                                "enable",
                                "fragmentation",
                                "identity",
                                "invalid-spi-recovery",
                                "keepalive",
                                "key",
                                "nat",
                                "peer",
                                "policy",
                                "profile",
                                "xauth"};
    const std::string word = words[c.Keyword(
        words, "expected policy, key, identity, keepalive, enable, nat, aggressive-mode, "
               "invalid-spi-recovery or another isakmp command")];
    if (word == "enable")
    {
        c.End();
        m_cfg.isakmpEnabled = !no;
    }
    else if (word == "policy")
    {
        IsakmpPolicy(c, no);
    }
    else if (word == "key")
    {
        IsakmpKey(c, no);
    }
    else if (word == "identity")
    {
        IsakmpIdentity(c, no);
    }
    else if (word == "keepalive")
    {
        IsakmpKeepalive(c, no);
    }
    else if (word == "nat")
    {
        IsakmpNatKeepalive(c, no);
    }
    else if (word == "invalid-spi-recovery")
    {
        c.End();
        m_cfg.invalidSpiRecovery = !no;
    }
    else if (word == "profile")
    {
        IsakmpProfile(c, no);
    }
    else if (word == "peer")
    {
        IsakmpPeer(c, no);
    }
    else if (word == "aggressive-mode")
    {
        c.Keyword({"disable"});
        c.End();
        m_cfg.aggressiveModeDisabled = !no;
    }
    else
    {
        NotModelled(c.Where(), &kIsakmpBlockWords);
    }
}

/** `crypto isakmp policy PRIORITY`: enters the policy mode. */
void
IosConfigReader::Session::IsakmpPolicy(IosCursor& c, bool no)
{
    const uint32_t priority =
        static_cast<uint32_t>(c.Number(1, 10000, "expected a priority from 1 to 10000"));
    c.End();
    if (no)
    {
        m_cfg.isakmpPolicies.erase(priority);
        return;
    }
    auto it = m_cfg.isakmpPolicies.find(priority);
    if (it == m_cfg.isakmpPolicies.end())
    {
        IosIsakmpPolicy p;
        p.priority = priority;
        p.where = c.Where();
        m_cfg.isakmpPolicies.emplace(priority, p);
    }
    m_policy = priority;
    Enter(Mode::ISAKMP_POLICY);
}

/** `crypto isakmp identity address|hostname|dn`. */
void
IosConfigReader::Session::IsakmpIdentity(IosCursor& c, bool no)
{
    static const Words kinds = {"address", "dn", "hostname"};
    std::optional<size_t> k;
    if (!no || !c.AtEnd())
    {
        k = c.Keyword(kinds, "expected address, hostname or dn");
    }
    c.End();
    m_cfg.isakmpIdentity = no || *k == 0 ? IosIsakmpIdentity::ADDRESS
                           : *k == 1     ? IosIsakmpIdentity::DN
                                         : IosIsakmpIdentity::HOSTNAME;
}

/** `crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]` (DPD). */
void
IosConfigReader::Session::IsakmpKeepalive(IosCursor& c, bool no)
{
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no crypto isakmp keepalive [S [R] [mode]]`
        m_cfg.isakmpKeepalive.reset();
        return;
    }
    IosIsakmpKeepalive k;
    k.seconds = static_cast<uint32_t>(
        c.Number(10, 3600, "expected the keepalive interval, 10 to 3600 seconds"));
    if (!c.AtEnd() && std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        k.retry =
            static_cast<uint32_t>(c.Number(2, 60, "expected the retry interval, 2 to 60 seconds"));
    }
    if (auto m = c.OptionalKeyword({"on-demand", "periodic"}))
    {
        k.periodic = *m == 1;
    }
    c.End("expected a retry interval (2-60), periodic or on-demand");
    k.where = c.Where();
    m_cfg.isakmpKeepalive = k;
}

/** `crypto isakmp nat keepalive SECONDS`. */
void
IosConfigReader::Session::IsakmpNatKeepalive(IosCursor& c, bool no)
{
    c.Keyword({"keepalive"});
    if (no)
    {
        c.Seek(c.Tokens().size());
        m_cfg.natKeepaliveSeconds.reset();
        return;
    }
    const uint64_t v = c.Number(5, 3600,
                                "expected the NAT keepalive interval, 5 to 3600 "
                                "seconds");
    c.End();
    m_cfg.natKeepaliveSeconds = static_cast<uint32_t>(v);
}

void
IosConfigReader::Session::IsakmpKey(IosCursor& c, bool no)
{
    static const Words kinds = {"address", "hostname"};
    IosIsakmpKey k;
    // `key 0 KEY address ...` / `key 6 KEY address ...`: a digit followed by a key and the peer
    // is the encryption type; `key 6 address A` is the key "6".
    const size_t pos = c.Position();
    if (!c.AtEnd() && (c.Peek().text == "0" || c.Peek().text == "6") &&
        pos + 2 < c.Tokens().size() &&
        IosMatchKeyword(c.Tokens()[pos + 2].text, kinds).result == IosKeywordMatch::Result::UNIQUE)
    {
        k.encryptionType = static_cast<uint8_t>(c.Word("") == "6" ? 6 : 0);
    }
    k.key = c.Word("expected the pre-shared key (0 or 6 first for its encryption type)");
    const bool byAddress = c.Keyword(kinds, "expected address or hostname") == 0;
    if (byAddress)
    {
        k.address = c.Address("expected the peer's address A.B.C.D");
        if (!c.AtEnd() && IosParseAddress(c.Peek().text))
        {
            const size_t maskToken = c.Position();
            const uint32_t m = c.Address("").Get();
            if (!Contiguous(m))
            {
                std::ostringstream os;
                os << "% Bad mask " << Hex32(m) << " for address " << k.address;
                c.FailWith(maskToken, os.str());
            }
            k.mask = Ipv4Mask(m);
        }
    }
    else
    {
        k.hostname = c.Word("expected the peer's host name");
    }
    k.noXauth = c.OptionalKeyword({"no-xauth"}).has_value();
    c.End(byAddress ? "expected a mask or no-xauth" : "expected no-xauth");
    k.where = c.Where();
    auto& v = m_cfg.isakmpKeys;
    auto same = [&](const IosIsakmpKey& x)
    {
        return byAddress ? x.hostname.empty() && x.address == k.address && x.mask == k.mask
                         : IosLower(x.hostname) == IosLower(k.hostname);
    };
    if (no)
    {
        v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
        return;
    }
    auto it = std::find_if(v.begin(), v.end(), same);
    if (it != v.end())
    {
        *it = k; // a new key for the same peer replaces the old one
    }
    else
    {
        v.push_back(k);
    }
}

void
IosConfigReader::Session::IsakmpPolicyMode(IosCursor& c)
{
    static const Words words = {"authentication", "default", "encryption", "exit",
                                "group",          "hash",    "lifetime",   "no"};
    const std::string hint = "expected encryption, hash, authentication, group, lifetime or exit";
    std::string word = words[c.Keyword(words, hint)];
    bool reset = false;
    if (word == "no" || word == "default")
    {
        reset = true;
        const size_t at = c.Position();
        word = words[c.Keyword(words, "expected encryption, hash, authentication, group or "
                                      "lifetime")];
        if (word == "no" || word == "default" || word == "exit")
        {
            c.FailAt(at, "expected encryption, hash, authentication, group or lifetime");
        }
    }
    IosIsakmpPolicy& p = m_cfg.isakmpPolicies.at(m_policy);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (reset)
    {
        // `no hash [md5]` and the like: back to the default of the suite.
        c.Seek(c.Tokens().size());
        const IosIsakmpPolicy d;
        if (word == "encryption")
        {
            p.encryption = d.encryption;
        }
        else if (word == "hash")
        {
            p.hash = d.hash;
        }
        else if (word == "authentication")
        {
            p.authentication = d.authentication;
        }
        else if (word == "group")
        {
            p.group = d.group;
        }
        else
        {
            p.lifetimeSeconds = d.lifetimeSeconds;
        }
        return;
    }
    if (word == "encryption")
    {
        static const Words ciphers = {"3des", "aes", "des"};
        const size_t e = c.Keyword(ciphers, "expected des, 3des or aes");
        IosIsakmpEncryption v = e == 0 ? IosIsakmpEncryption::TRIPLE_DES : IosIsakmpEncryption::DES;
        if (e == 1)
        {
            v = IosIsakmpEncryption::AES_128;
            static const Words bits = {"128", "192", "256"};
            if (!c.AtEnd())
            {
                const size_t b = c.Keyword(bits, "expected the AES key length: 128, 192 or 256");
                v = b == 0   ? IosIsakmpEncryption::AES_128
                    : b == 1 ? IosIsakmpEncryption::AES_192
                             : IosIsakmpEncryption::AES_256;
            }
        }
        c.End();
        p.encryption = v;
    }
    else if (word == "hash")
    {
        static const Words hashes = {"md5", "sha", "sha256", "sha384", "sha512"};
        static const IosIsakmpHash values[] = {IosIsakmpHash::MD5, IosIsakmpHash::SHA,
                                               IosIsakmpHash::SHA256, IosIsakmpHash::SHA384,
                                               IosIsakmpHash::SHA512};
        const size_t h = c.Keyword(hashes, "expected md5 or sha (or sha256, sha384, sha512)");
        c.End();
        p.hash = values[h];
    }
    else if (word == "authentication")
    {
        static const Words methods = {"pre-share", "rsa-encr", "rsa-sig"};
        static const IosIsakmpAuthentication values[] = {IosIsakmpAuthentication::PRE_SHARE,
                                                         IosIsakmpAuthentication::RSA_ENCR,
                                                         IosIsakmpAuthentication::RSA_SIG};
        const size_t a = c.Keyword(methods, "expected pre-share, rsa-sig or rsa-encr");
        c.End();
        p.authentication = values[a];
    }
    else if (word == "group")
    {
        // The groups are keywords in IOS (`group ?` lists 1, 2, 5 ...), so "1" is group 1 and
        // not an abbreviation of 14.
        static const Words groups = {"1", "14", "15", "16", "19", "2", "20", "21", "24", "5"};
        static const uint8_t values[] = {1, 14, 15, 16, 19, 2, 20, 21, 24, 5};
        const size_t g = c.Keyword(
            groups, "expected a Diffie-Hellman group: 1, 2, 5, 14, 15, 16, 19, 20, 21 or 24");
        c.End();
        p.group = values[g];
    }
    else // lifetime
    {
        const uint64_t v = c.Number(60, 86400, "expected the lifetime, 60 to 86400 seconds");
        c.End();
        p.lifetimeSeconds = static_cast<uint32_t>(v);
    }
}

} // namespace ns3
