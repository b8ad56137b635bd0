// `show crypto pki certificates [verbose]`, `show crypto pki trustpoints`, `show crypto key
// mypubkey rsa` and `show crypto key pubkey-chain rsa`: what the router's trustpoints, key pairs
// and configured peer keys hold, read from the certificates with OpenSSL's getters (the crypto
// core's DescribeCertificate), laid out as IOS prints them (the IOS-XE and 15.x captures of
// genieparser's ShowCryptoPkiCertificates, ShowCryptoPkiCertificateVerbose and
// ShowCryptoKeyMypubkeyRsa tests; ntc-templates' cisco_ios_show_crypto_pki_certificates reads
// the result). 12.4 differs only in `show crypto key mypubkey rsa`, which has no `Key type` line.
#include "ios-pki-state.h"
#include "ios-router-state.h"

#include "ns3/x509-issue.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <map>
#include <sstream>

namespace ns3
{

namespace
{
/** "12:00:00 UTC Jan 1 2026": a date as IOS prints it. */
std::string
IosDate(int64_t seconds)
{
    const time_t t = static_cast<time_t>(seconds);
    struct tm tm
    {
    };
    gmtime_r(&t, &tm);
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[48];
    std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d UTC %s %d %d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                  months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
    return buf;
}

std::string
UpperHex(const std::vector<uint8_t>& bytes)
{
    std::string hex = ipsec::ToHex(bytes);
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    return hex;
}

/** Hex in words of 8 digits, 8 words a line, each line indented by @p indent; a full line
 *  ends with a space, as IOS leaves one after each word but the last of the key. */
std::string
HexBlock(const std::vector<uint8_t>& bytes, const std::string& indent)
{
    const std::string hex = UpperHex(bytes);
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 64)
    {
        out += indent;
        for (size_t w = i; w < std::min(hex.size(), i + 64); w += 8)
        {
            out += (w > i ? " " : "") + hex.substr(w, 8);
        }
        out += (i + 64 <= hex.size() ? " \n" : "\n");
    }
    return out;
}

/** A fingerprint as IOS prints it: words of 8 hex digits, each followed by a space. */
std::string
Fingerprint(const std::vector<uint8_t>& digest)
{
    const std::string hex = UpperHex(digest);
    std::string out;
    for (size_t w = 0; w < hex.size(); w += 8)
    {
        out += hex.substr(w, 8) + " ";
    }
    return out;
}

/** The attribute names IOS prints ("cn", "hostname", "ipaddress"). */
std::string
IosAttribute(const std::string& sn)
{
    static const std::map<std::string, std::string> names = {
        {"CN", "cn"},
        {"O", "o"},
        {"OU", "ou"},
        {"C", "c"},
        {"L", "l"},
        {"ST", "st"},
        {"emailAddress", "e"},
        {"unstructuredName", "hostname"},
        {"unstructuredAddress", "ipaddress"},
        {"serialNumber", "serialNumber"},
        {"DC", "dc"},
    };
    const auto it = names.find(sn);
    return it == names.end() ? sn : it->second;
}

/** A name, one attribute a line, the last RDN first as IOS lists them. */
void
NameLines(std::ostream& os, const std::vector<std::pair<std::string, std::string>>& parts,
          bool subjectSummary)
{
    if (subjectSummary)
    {
        for (const auto& [type, value] : parts)
        {
            if (type == "unstructuredName")
            {
                os << "    Name: " << value << "\n";
            }
            else if (type == "unstructuredAddress")
            {
                os << "    IP Address: " << value << "\n";
            }
            else if (type == "serialNumber")
            {
                os << "    Serial Number: " << value << "\n";
            }
        }
    }
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
    {
        os << "    " << IosAttribute(it->first) << "=" << it->second << "\n";
    }
}

void
Certificate(std::ostream& os, const std::vector<uint8_t>& der, const std::string& trustpoint,
            bool ca, bool verbose, int64_t now)
{
    const ipsec::CertificateInfo c = ipsec::DescribeCertificate(der);
    os << (ca ? "CA Certificate" : "Certificate") << "\n"
       << "  Status: " << (now > c.notAfter ? "Expired" : "Available") << "\n"
       << (verbose ? "  Version: 3\n" : "")
       << "  Certificate Serial Number (hex): " << UpperHex(c.serial) << "\n"
       << "  Certificate Usage: " << (ca ? "Signature" : "General Purpose") << "\n"
       << "  Issuer: \n";
    NameLines(os, c.issuerParts, false);
    os << "  Subject:\n";
    NameLines(os, c.subjectParts, !ca);
    os << "  Validity Date: \n"
       << "    start date: " << IosDate(c.notBefore) << "\n"
       << "    end   date: " << IosDate(c.notAfter) << "\n";
    if (verbose)
    {
        os << "  Subject Key Info:\n"
           << "    Public Key Algorithm: rsaEncryption\n"
           << "    RSA Public Key: (" << c.keyBits << " bit)\n"
           << "  Signature Algorithm: SHA256 with RSA Encryption\n"
           << "  Fingerprint MD5: " << Fingerprint(c.md5) << "\n"
           << "  Fingerprint SHA1: " << Fingerprint(c.sha1) << "\n";
        if (!c.sanIp.empty() || !c.sanDns.empty())
        {
            os << "  X509v3 extensions:\n    X509v3 Subject Alternative Name:\n";
            for (const auto& d : c.sanDns)
            {
                os << "        " << d << "\n";
            }
            for (const auto& ip : c.sanIp)
            {
                os << "        IP Address : " << ip << "\n";
            }
        }
    }
    os << "  Associated Trustpoints: " << trustpoint << " \n\n";
}

void
ShowCertificates(std::ostream& os, const IosExecCommand& cmd, const IosPkiState& pki)
{
    const bool verbose = cmd.detail;
    const int64_t now = pki.Now();
    for (const auto& [name, t] : pki.trustpoints)
    {
        if (!cmd.args.empty() && cmd.args[0] != name)
        {
            continue;
        }
        if (!t.certificate.empty())
        {
            Certificate(os, t.certificate, name, false, verbose, now);
        }
        for (const auto& der : t.caChain)
        {
            Certificate(os, der, name, true, verbose, now);
        }
    }
}

void
ShowTrustpoints(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                const IosPkiState& pki)
{
    for (const auto& [name, tp] : router.GetConfig().pki.trustpoints)
    {
        if (!cmd.args.empty() && cmd.args[0] != name)
        {
            continue;
        }
        os << "Trustpoint " << name << ":\n";
        const auto st = pki.trustpoints.find(name);
        if (st == pki.trustpoints.end() || st->second.caChain.empty())
        {
            os << "    Not authenticated.\n";
        }
        else
        {
            const ipsec::CertificateInfo ca = ipsec::DescribeCertificate(st->second.caChain[0]);
            os << "    Subject Name: \n";
            for (auto it = ca.subjectParts.rbegin(); it != ca.subjectParts.rend(); ++it)
            {
                os << "    " << IosAttribute(it->first) << "=" << it->second << "\n";
            }
            os << "          Serial Number (hex): " << UpperHex(ca.serial) << "\n"
               << "    Certificate configured.\n";
            if (!st->second.certificate.empty())
            {
                os << "    Router certificate enrolled.\n";
            }
        }
        if (!tp.enrollmentUrl.empty())
        {
            os << "    SCEP URL: " << tp.enrollmentUrl << "\n";
        }
        os << "    Revocation check: "
           << (tp.crlRequired      ? "crl"
               : tp.revocationNone ? "none"
                                   : "crl none")
           << "\n\n";
    }
}

void
ShowMypubkey(std::ostream& os, const IosExecCommand& cmd, const IosPkiState& pki,
             IosRelease release)
{
    for (const auto& [label, k] : pki.keys)
    {
        if (!cmd.args.empty() && cmd.args[0] != label)
        {
            continue;
        }
        os << "% Key pair was generated at: " << IosDate(k.generatedAt) << "\n"
           << "Key name: " << label << "\n"
           << (release == IosRelease::IOS_15 ? "Key type: RSA KEYS\n" : "")
           << " Storage Device: not specified\n"
           << " Usage: General Purpose Key\n"
           << " Key is not exportable.\n"
           << " Key Data:\n"
           << HexBlock(k.key.publicKey, "  ");
    }
}
/** A configured peer key with the keyring it is in ("default": `crypto key pubkey-chain rsa`). */
struct PeerKeyRow
{
    const IosPeerRsaKey* key;
    std::string keyring;
};

std::vector<PeerKeyRow>
PeerKeys(const IosRouterConfig& config)
{
    std::vector<PeerKeyRow> rows;
    for (const auto& k : config.pki.peerKeys)
    {
        rows.push_back({&k, "default"});
    }
    for (const auto& [name, ring] : config.keyrings)
    {
        for (const auto& k : ring.rsaKeys)
        {
            rows.push_back({&k, name});
        }
    }
    return rows;
}

/** "Signature", "Encryption" or "General" (no usage keyword: a general-purpose key). */
std::string
UsageWord(const IosPeerRsaKey& k)
{
    if (k.usage == "signature")
    {
        return "Signature";
    }
    return k.usage == "encryption" ? "Encryption" : "General";
}

std::string
AddressText(const IosPeerRsaKey& k)
{
    if (!k.named || k.hasAddress)
    {
        std::ostringstream os;
        os << k.address;
        return os.str();
    }
    return "";
}

/** The table of every key: `show crypto key pubkey-chain rsa`. */
void
PubkeyChainTable(std::ostream& os, const std::vector<PeerKeyRow>& rows)
{
    os << "Codes: M - Manually configured, C - Extracted from certificate\n\n"
       << "Code Usage        IP-Address/VRF        Keyring          Name\n";
    for (const auto& r : rows)
    {
        os << std::left << std::setw(5) << "M" << std::setw(13) << UsageWord(*r.key)
           << std::setw(22) << AddressText(*r.key) << std::setw(17) << r.keyring
           << (r.key->named ? r.key->name : "") << "\n";
    }
    os << std::right;
}

/** One key with its data: `show crypto key pubkey-chain rsa address A | name N`. */
void
PubkeyChainKey(std::ostream& os, const PeerKeyRow& r)
{
    const IosPeerRsaKey& k = *r.key;
    std::string indent = " ";
    if (k.named)
    {
        os << "Key name: " << k.name << "\n";
        if (k.hasAddress)
        {
            os << " Key address: " << k.address << "\n";
        }
        indent = "  ";
    }
    else
    {
        os << "Key address: " << k.address << "\n";
    }
    if (r.keyring != "default")
    {
        os << indent << "Keyring: " << r.keyring << "\n";
    }
    os << indent << "Usage: " << UsageWord(k) << (k.usage.empty() ? " Purpose Key" : " Key") << "\n"
       << indent << "Source: Manually entered\n"
       << indent << "Data:\n"
       << HexBlock(k.key, indent);
}

bool
Lower(const std::string& a, const std::string& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

void
ShowPubkeyChain(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config)
{
    const std::vector<PeerKeyRow> rows = PeerKeys(config);
    if (cmd.filter.empty())
    {
        PubkeyChainTable(os, rows);
        return;
    }
    for (const auto& r : rows)
    {
        const bool match = cmd.filter == "name" ? r.key->named && Lower(r.key->name, cmd.args.at(0))
                                                : AddressText(*r.key) == cmd.args.at(0);
        if (match)
        {
            PubkeyChainKey(os, r);
        }
    }
}
} // namespace

void
ShowCryptoPki(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
              const IosPkiState& pki)
{
    switch (cmd.kind)
    {
    case IosExecCommand::Kind::SHOW_CRYPTO_PKI_CERTIFICATES:
        ShowCertificates(os, cmd, pki);
        break;
    case IosExecCommand::Kind::SHOW_CRYPTO_PKI_TRUSTPOINTS:
        ShowTrustpoints(os, cmd, router, pki);
        break;
    case IosExecCommand::Kind::SHOW_CRYPTO_KEY_PUBKEY_CHAIN_RSA:
        ShowPubkeyChain(os, cmd, router.GetConfig());
        break;
    default:
        ShowMypubkey(os, cmd, pki, router.GetConfig().release);
        break;
    }
}

} // namespace ns3
