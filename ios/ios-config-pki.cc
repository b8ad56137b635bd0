// IosConfigReader: certificates and RSA keys. `crypto key generate rsa`, `crypto key
// pubkey-chain rsa` with its named and addressed keys, `crypto pki trustpoint` and the older
// `crypto ca identity` with their modes, `crypto pki|ca certificate chain` with the hex blocks a
// `show running-config` prints, `crypto pki|ca authenticate|enroll`, and a keyring's
// `rsa-pubkey` (ios-config-keyring.cc hands it here).
#include "ios-config-reader.h"

#include "ns3/rsa-key.h"
#include "ns3/rsa-ops.h"
#include "ns3/x509-issue.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

namespace
{
bool
IsHexWord(const std::string& w)
{
    return !w.empty() &&
           std::all_of(w.begin(), w.end(), [](unsigned char ch) { return std::isxdigit(ch) != 0; });
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}
} // namespace

/** `crypto pki ...` (@p legacyCa: `crypto ca ...`, the 12.2 spelling). */
void
IosConfigReader::Session::CryptoPki(IosCursor& c, bool no, bool legacyCa)
{
    static const Words words = {"authenticate", "certificate", "crl",         "enroll", "export",
                                "identity",     "import",      "profile",     "server", "token",
                                "trustpoint",   "trustpool",   "trusted-root"};
    const size_t at = c.Position();
    const std::string word = words[c.Keyword(words, "expected trustpoint, authenticate, enroll "
                                                    "or certificate chain")];
    if (word == "trustpoint" || word == "identity")
    {
        if (word == "identity" && !legacyCa)
        {
            c.FailAt(at, "crypto ca identity is the older spelling; crypto pki trustpoint NAME");
        }
        Trustpoint(c, no, word == "identity");
    }
    else if (word == "authenticate" || word == "enroll")
    {
        IosPkiAction a{word == "enroll", c.Word("expected the trustpoint's name"), c.Where()};
        c.End();
        if (!no)
        {
            m_cfg.pki.actions.push_back(a);
        }
        else
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else if (word == "certificate" && !c.AtEnd() && IosWordMatches(c.Peek().text, "chain", 2))
    {
        c.Seek(c.Position() + 1);
        CertificateChain(c, no);
    }
    else
    {
        // certificate map|query, crl request, server, trustpool, profile, ...: read, no effect.
        c.Seek(c.Tokens().size());
        NotModelled(c.Where(), &kPkiWords);
    }
}

/** `crypto key generate rsa ...`, `crypto key pubkey-chain rsa`, `crypto key zeroize rsa`. */
void
IosConfigReader::Session::CryptoKey(IosCursor& c, bool no)
{
    static const Words words = {"decrypt", "encrypt",      "export",  "generate", "import",
                                "move",    "pubkey-chain", "storage", "zeroize"};
    const std::string word =
        words[c.Keyword(words, "expected generate rsa, pubkey-chain rsa or zeroize rsa")];
    if (word == "generate" && !no)
    {
        CryptoKeyGenerate(c);
    }
    else if (word == "pubkey-chain")
    {
        c.Keyword({"rsa"}, "expected rsa");
        c.End();
        if (no)
        {
            m_cfg.pki.peerKeys.clear();
            return;
        }
        Enter(Mode::PUBKEY_CHAIN);
    }
    else if (word == "zeroize")
    {
        c.Keyword({"rsa"}, "expected rsa");
        std::string label;
        if (!c.AtEnd())
        {
            label = c.Word("");
        }
        c.End();
        auto& g = m_cfg.pki.keyGenerations;
        g.erase(std::remove_if(g.begin(), g.end(),
                               [&](const IosRsaKeyGeneration& k)
                               { return label.empty() || k.label == label; }),
                g.end());
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
    }
}

/** `crypto key generate rsa [general-keys|usage-keys] [label L] [modulus N] [exportable] ...` */
void
IosConfigReader::Session::CryptoKeyGenerate(IosCursor& c)
{
    c.Keyword({"rsa"}, "expected rsa");
    IosRsaKeyGeneration g;
    g.where = c.Where();
    static const Words options = {"encryption", "exportable", "general-keys", "label",
                                  "modulus",    "on",         "redundancy",   "signature",
                                  "storage",    "usage-keys"};
    while (!c.AtEnd())
    {
        const std::string o = options[c.Keyword(options, "expected general-keys, usage-keys, "
                                                         "label, modulus or exportable")];
        if (o == "label")
        {
            g.label = c.Word("expected the key pair's label");
        }
        else if (o == "modulus")
        {
            g.modulus = static_cast<uint32_t>(
                c.Number(360, 4096, "expected the modulus size in bits, 360 to 4096"));
            if (g.modulus % 2 != 0)
            {
                c.FailAt(c.Position() - 1, "expected an even modulus size");
            }
        }
        else if (o == "usage-keys")
        {
            g.usageKeys = true;
        }
        else if (o == "on" || o == "storage")
        {
            c.Word("expected the storage device");
        }
    }
    m_cfg.pki.keyGenerations.push_back(g);
}

/** `crypto pki trustpoint NAME` / `crypto ca identity NAME`: enters the trustpoint's mode. */
void
IosConfigReader::Session::Trustpoint(IosCursor& c, bool no, bool legacy)
{
    const std::string name = c.Word("expected the trustpoint's name");
    c.End();
    if (no)
    {
        m_cfg.pki.trustpoints.erase(name);
        m_cfg.pki.chains.erase(name);
        return;
    }
    IosTrustpoint& t = m_cfg.pki.trustpoints[name];
    if (t.name.empty())
    {
        t.name = name;
        t.legacyIdentity = legacy;
        t.where = c.Where();
    }
    m_trustpoint = name;
    Enter(Mode::TRUSTPOINT);
}

void
IosConfigReader::Session::TrustpointMode(IosCursor& c)
{
    // Modelled: enrollment url|terminal, subject-name, fqdn, ip-address, revocation-check, crl
    // optional, rsakeypair, serial-number. The rest is read without effect.
    static const Words words = {"auto-enroll",
                                "crl",
                                "default",
                                "enrollment",
                                "exit",
                                "fqdn",
                                "ip-address",
                                "match",
                                "no",
                                "ocsp",
                                "password",
                                "query",
                                "revocation-check",
                                "rsakeypair",
                                "serial-number",
                                "source",
                                "subject-alt-name",
                                "subject-name",
                                "usage",
                                "vrf"};
    const std::string hint = "expected enrollment, subject-name, fqdn, ip-address, "
                             "revocation-check, rsakeypair, serial-number or exit";
    bool no = false;
    std::string word = words[c.Keyword(words, hint)];
    if (word == "no" || word == "default")
    {
        no = true;
        word = words[c.Keyword(words, hint)];
    }
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    auto t = m_cfg.pki.trustpoints.find(m_trustpoint);
    if (t == m_cfg.pki.trustpoints.end())
    {
        c.FailAt(0, "the trustpoint was removed: crypto pki trustpoint NAME first");
    }
    TrustpointCommand(c, t->second, word, no);
}

void
IosConfigReader::Session::TrustpointCommand(IosCursor& c, IosTrustpoint& t, const std::string& word,
                                            bool no)
{
    if (word == "enrollment")
    {
        static const Words kinds = {"http-proxy", "mode",     "profile", "retry",
                                    "selfsigned", "terminal", "url"};
        const std::string k = kinds[c.Keyword(kinds, "expected url or terminal")];
        if (k == "url")
        {
            const std::string url = no && c.AtEnd() ? "" : c.Word("expected the CA's URL");
            c.End();
            t.enrollmentUrl = no ? "" : url;
        }
        else if (k == "terminal")
        {
            c.OptionalKeyword({"pem"});
            c.End();
            t.enrollmentTerminal = !no;
        }
        else
        {
            c.Seek(c.Tokens().size());
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else if (word == "subject-name")
    {
        const size_t at = c.Position();
        const std::string dn = c.Rest();
        c.Seek(c.Tokens().size());
        if (!no && !dn.empty())
        {
            const std::string error = ipsec::CheckDistinguishedName(dn);
            if (!error.empty())
            {
                c.FailAt(at, "a distinguished name such as cn=R1,ou=Lab: " + error);
            }
        }
        t.subjectName = no ? "" : dn;
    }
    else if (word == "fqdn")
    {
        const std::string v = no && c.AtEnd() ? "" : c.Word("expected the name, or none");
        c.End();
        t.fqdnNone = IosLower(v) == "none";
        t.fqdn = no || t.fqdnNone ? "" : v;
    }
    else if (word == "ip-address")
    {
        std::string v;
        if (!c.AtEnd() && IosLower(c.Peek().text) == "none")
        {
            c.Word(""); // no address in the certificate
        }
        else if (!c.AtEnd())
        {
            v = IosParseAddress(c.Peek().text) ? AddressText(c.Address("")) : c.InterfaceName();
        }
        else if (!no)
        {
            c.Incomplete("expected an address, an interface or none");
        }
        c.End();
        t.ipAddress = no ? "" : v;
    }
    else
    {
        TrustpointKeyAndRevocation(c, t, word, no);
    }
}

/** `revocation-check`, `crl optional`, `rsakeypair`, `serial-number`; the others are read
 *  without effect. */
void
IosConfigReader::Session::TrustpointKeyAndRevocation(IosCursor& c, IosTrustpoint& t,
                                                     const std::string& word, bool no)
{
    if (word == "revocation-check")
    {
        // `revocation-check crl none`: the CRL when there is one, else accept (not required).
        static const Words methods = {"crl", "none", "ocsp"};
        std::vector<std::string> given;
        while (!c.AtEnd())
        {
            given.push_back(methods[c.Keyword(methods, "expected crl, none or ocsp")]);
        }
        if (given.empty() && !no)
        {
            c.Incomplete("expected crl, none or ocsp");
        }
        const bool none = std::find(given.begin(), given.end(), "none") != given.end();
        t.crlRequired = no || !none; // `no revocation-check`: back to the default (crl)
        t.revocationNone = !no && none && given.size() == 1;
    }
    else if (word == "crl")
    {
        // 12.2 `crl optional`: accept a peer's certificate without a CRL.
        if (c.OptionalKeyword({"optional"}))
        {
            c.End();
            t.crlRequired = no;
        }
        else
        {
            c.Seek(c.Tokens().size());
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else if (word == "rsakeypair")
    {
        const std::string label = no && c.AtEnd() ? "" : c.Word("expected the key pair's label");
        uint32_t size = 0;
        if (!c.AtEnd())
        {
            size = static_cast<uint32_t>(c.Number(360, 4096, "expected the key size, 360 to 4096"));
            if (!c.AtEnd())
            {
                c.Number(360, 4096, "expected the encryption key size, 360 to 4096");
            }
        }
        c.End();
        t.rsaKeypair = no ? "" : label;
        t.rsaKeypairSize = no ? 0 : size;
    }
    else if (word == "serial-number")
    {
        const bool none = c.OptionalKeyword({"none"}).has_value();
        c.End();
        t.serialNumber = !no && !none;
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
    }
}

/** `crypto pki certificate chain NAME`: its `certificate` blocks follow. */
void
IosConfigReader::Session::CertificateChain(IosCursor& c, bool no)
{
    const std::string name = c.Word("expected the trustpoint's name");
    c.End();
    if (no)
    {
        m_cfg.pki.chains.erase(name);
        return;
    }
    IosCertificateChain& chain = m_cfg.pki.chains[name];
    chain.trustpoint = name;
    chain.where = c.Where();
    m_trustpoint = name;
    Enter(Mode::CERT_CHAIN);
}

void
IosConfigReader::Session::CertChainMode(IosCursor& c)
{
    static const Words words = {"certificate", "exit", "no"};
    const size_t word = c.Keyword(words, "expected certificate or exit");
    const bool no = word == 2;
    if (word == 1)
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (no)
    {
        c.Keyword({"certificate"}, "expected certificate");
    }
    IosChainCertificate cert;
    static const Words kinds = {"ca",           "ra-encrypt", "ra-general",
                                "ra-signature", "rollover",   "self-signed"};
    if (auto k = c.OptionalKeyword(kinds))
    {
        cert.ca = kinds[*k] == "ca";
    }
    const size_t serialAt = c.Position();
    cert.serial = c.Word("expected the certificate's serial number (hex)");
    if (!IsHexWord(cert.serial))
    {
        c.FailAt(serialAt, "expected the certificate's serial number in hex");
    }
    c.End();
    auto& certs = m_cfg.pki.chains[m_trustpoint].certificates;
    auto same = [&](const IosChainCertificate& x)
    { return IosLower(x.serial) == IosLower(cert.serial) && x.ca == cert.ca; };
    if (no)
    {
        certs.erase(std::remove_if(certs.begin(), certs.end(), same), certs.end());
        return;
    }
    cert.where = c.Where();
    m_hexCert = cert;
    m_hexForCertificate = true;
    m_hex.clear();
    m_hexStart = c.Where();
    Enter(Mode::HEX_DATA);
}

void
IosConfigReader::Session::PubkeyChainMode(IosCursor& c)
{
    static const Words words = {"addressed-key", "exit", "named-key", "no"};
    std::string word = words[c.Keyword(words, "expected named-key, addressed-key or exit")];
    const bool no = word == "no";
    if (no)
    {
        word = words[c.Keyword({"addressed-key", "named-key"}, "expected named-key or "
                                                               "addressed-key") == 0
                         ? 0
                         : 2];
    }
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    PeerKeyEntry(c, no, word == "named-key", nullptr);
}

void
IosConfigReader::Session::PeerKeyEntry(IosCursor& c, bool no, bool named, IosKeyring* keyring)
{
    IosPeerRsaKey key;
    key.named = named;
    if (named)
    {
        key.name = c.Word("expected the peer's name");
    }
    else
    {
        key.address = c.Address("expected the peer's address A.B.C.D");
        key.hasAddress = true;
    }
    if (auto u = c.OptionalKeyword({"encryption", "signature"}))
    {
        key.usage = *u == 0 ? "encryption" : "signature";
    }
    c.End("expected encryption or signature");
    key.where = c.Where();
    auto& list = keyring ? keyring->rsaKeys : m_cfg.pki.peerKeys;
    auto same = [&](const IosPeerRsaKey& x)
    {
        return x.named == key.named && x.usage == key.usage &&
               (named ? IosLower(x.name) == IosLower(key.name) : x.address == key.address);
    };
    auto it = std::find_if(list.begin(), list.end(), same);
    if (no)
    {
        if (it != list.end())
        {
            list.erase(it);
        }
        return;
    }
    if (it == list.end())
    {
        list.push_back(key);
        it = list.end() - 1;
    }
    m_peerKeyInKeyring = keyring != nullptr;
    m_peerKey = static_cast<size_t>(it - list.begin());
    Enter(Mode::PUBKEY_KEY);
}

IosPeerRsaKey*
IosConfigReader::Session::CurrentPeerKey()
{
    if (m_peerKeyInKeyring && !m_cfg.keyrings.count(m_keyring))
    {
        return nullptr;
    }
    auto& list = m_peerKeyInKeyring ? m_cfg.keyrings.at(m_keyring).rsaKeys : m_cfg.pki.peerKeys;
    return m_peerKey < list.size() ? &list[m_peerKey] : nullptr;
}

void
IosConfigReader::Session::PubkeyKeyMode(IosCursor& c)
{
    static const Words words = {"address", "key-string", "quit", "serial-number"};
    const std::optional<size_t> k = c.AtEnd() ? std::nullopt : c.OptionalKeyword(words);
    if (!k)
    {
        // Not one of the key's commands: the enclosing mode's (the next key, a pre-shared key).
        m_mode = m_peerKeyInKeyring ? Mode::KEYRING : Mode::PUBKEY_CHAIN;
        m_peerKeyInKeyring ? KeyringMode(c) : PubkeyChainMode(c);
        return;
    }
    IosPeerRsaKey* key = CurrentPeerKey();
    if (!key)
    {
        c.Fail("expected named-key or addressed-key first"); // the key was removed meanwhile
    }
    const std::string word = words[*k];
    if (word == "address")
    {
        const Ipv4Address a = c.Address("expected the peer's address A.B.C.D");
        c.End();
        key->address = a;
        key->hasAddress = true;
    }
    else if (word == "key-string")
    {
        c.End();
        m_hexForCertificate = false;
        m_hex.clear();
        m_hexStart = c.Where();
        Enter(Mode::HEX_DATA);
    }
    else if (word == "quit")
    {
        c.End();
        m_mode = m_peerKeyInKeyring ? Mode::KEYRING : Mode::PUBKEY_CHAIN;
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
    }
}

void
IosConfigReader::Session::HexDataLine(const IosLocation& loc)
{
    IosCursor c(loc);
    if (c.AtEnd())
    {
        FinishHexData(c); // "End with a blank line or the word "quit" on a line by itself"
        return;
    }
    // What IOS prints when the hex is typed at a session, captured with it.
    if (c.Peek().text == "Enter" || c.Peek().text == "End")
    {
        return;
    }
    if (IosLower(c.Peek().text) == "quit")
    {
        c.Seek(1);
        c.End();
        FinishHexData(c);
        return;
    }
    while (!c.AtEnd())
    {
        const std::string& w = c.Peek().text;
        if (!IsHexWord(w))
        {
            c.Fail(m_hexForCertificate
                       ? "expected the certificate's hex digits, or quit to end them"
                       : "expected the key's hex digits, or quit to end them");
        }
        m_hex += w;
        c.Seek(c.Position() + 1);
    }
}

void
IosConfigReader::Session::FinishHexData(IosCursor& c)
{
    std::vector<uint8_t> der;
    try
    {
        der = ipsec::FromHex(m_hex);
        if (m_hexForCertificate)
        {
            ipsec::DescribeCertificate(der);
        }
        else
        {
            if (ipsec::RsaPublicKeyBits(der) == 0)
            {
                throw std::invalid_argument("not an RSA SubjectPublicKeyInfo");
            }
        }
    }
    catch (const std::invalid_argument& e)
    {
        const size_t column = c.Tokens().empty() ? 0 : c.Tokens()[0].column;
        throw IosConfigError(
            c.Where(), column,
            m_hexForCertificate
                ? "% The certificate's hex (from line " + std::to_string(m_hexStart.line) +
                      ") is not a DER X.509 certificate: " + e.what()
                : "% The key-string (from line " + std::to_string(m_hexStart.line) +
                      ") is not an RSA public key (SubjectPublicKeyInfo): " + e.what());
    }
    if (m_hexForCertificate)
    {
        m_hexCert.der = der;
        auto& certs = m_cfg.pki.chains[m_trustpoint].certificates;
        auto it = std::find_if(certs.begin(), certs.end(),
                               [&](const IosChainCertificate& x) {
                                   return IosLower(x.serial) == IosLower(m_hexCert.serial) &&
                                          x.ca == m_hexCert.ca;
                               });
        if (it != certs.end())
        {
            *it = m_hexCert;
        }
        else
        {
            certs.push_back(m_hexCert);
        }
        m_mode = Mode::CERT_CHAIN;
        return;
    }
    if (IosPeerRsaKey* key = CurrentPeerKey())
    {
        key->key = der;
    }
    m_mode = Mode::PUBKEY_KEY;
}

} // namespace ns3
