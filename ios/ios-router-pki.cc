// IosRouter: its PKI. RSA key pairs from the run's seeded stream, trustpoints that authenticate
// a CA and enroll with it (the scenario's CA signs the request directly: no SCEP packets are
// modelled), pasted certificate chains, and what IKE asks for as DER (IkePolicyProvider's
// GetRsaCredentials, GetTrust, GetPeerRsaPublicKey).
#include "ios-pki-state.h"
#include "ios-router-state.h"

#include "ns3/ios-keywords.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-random.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/x509-issue.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterPki");

namespace
{
/** "4B8D3A34 9F2E..." : a fingerprint as IOS prints it, in words of 8 hex digits. */
std::string
HexWords(const std::vector<uint8_t>& bytes)
{
    std::string hex = ipsec::ToHex(bytes);
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 8)
    {
        out += (i ? " " : "") + hex.substr(i, 8);
    }
    return out;
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** `ip-address IFACE|A.B.C.D` of a trustpoint: the address to certify; empty if none. */
std::string
TrustpointAddress(const IosRouterConfig& cfg, const IosTrustpoint& t)
{
    if (t.ipAddress.empty() || IosParseAddress(t.ipAddress))
    {
        return t.ipAddress;
    }
    const IosInterface* i = cfg.FindInterface(t.ipAddress);
    return i && i->address ? AddressText(*i->address) : "";
}
} // namespace

// ---------------------------------------------------------------------------------- the state

int64_t
IosPkiState::Now() const
{
    return calendarStart + static_cast<int64_t>(std::floor(Simulator::Now().GetSeconds()));
}

std::string
IosPkiState::Fqdn(const IosRouterConfig& cfg)
{
    // `ip domain-name X` (or 15.x `ip domain name X`) is read as not modelled: find it there.
    for (const IosLocation& l : cfg.lines)
    {
        const std::vector<IosToken> t = IosTokenize(l.text);
        if (t.size() == 3 && IosLower(t[0].text) == "ip" && IosLower(t[1].text) == "domain-name")
        {
            return cfg.hostname + "." + t[2].text;
        }
        if (t.size() == 4 && IosLower(t[0].text) == "ip" && IosLower(t[1].text) == "domain" &&
            IosLower(t[2].text) == "name")
        {
            return cfg.hostname + "." + t[3].text;
        }
    }
    return cfg.hostname;
}

std::string
IosPkiState::DefaultLabel(const IosRouterConfig& cfg)
{
    return Fqdn(cfg);
}

std::string
IosPkiState::GenerateKey(const IosRouter& r, std::string label, uint32_t modulus, bool usageKeys)
{
    if (label.empty())
    {
        label = DefaultLabel(r.GetConfig());
    }
    if (modulus == 0)
    {
        modulus = 512; // what IOS proposes when asked "How many bits in the modulus [512]"
    }
    std::ostringstream os;
    os << "The name for the keys will be: " << label << "\n";
    auto old = keys.find(label);
    const uint32_t generation = old == keys.end() ? 0 : old->second.generation + 1;
    if (old != keys.end())
    {
        os << "% You already have RSA keys defined named " << label
           << ".\n% They will be replaced.\n";
    }
    // One stream per node, label and generation: the key does not depend on what else the
    // router drew before, and a replaced key differs from the one it replaces.
    auto src = IpsecRandom::Stream("node" + std::to_string(r.GetNode()->GetId()) + "/rsa/" + label +
                                   "/" + std::to_string(generation));
    IosRsaKeyState k;
    k.label = label;
    k.key = ipsec::GenerateRsaKey(*src, static_cast<int>(modulus));
    k.generatedAt = Now();
    k.usageKeys = usageKeys;
    k.generation = generation;
    keys[label] = k;
    os << "% The key modulus size is " << modulus << " bits\n"
       << "% Generating " << modulus << " bit RSA keys, keys will be non-exportable...[OK]\n";
    return os.str();
}

std::string
IosPkiState::Authenticate(const IosRouter& r, const std::string& name)
{
    const auto& tps = r.GetConfig().pki.trustpoints;
    const auto t = tps.find(name);
    if (t == tps.end())
    {
        return "% Trustpoint " + name + " is not configured (crypto pki trustpoint " + name + ")\n";
    }
    if (t->second.enrollmentUrl.empty())
    {
        return "% Trustpoint " + name +
               " has no enrollment url: paste the CA certificate into a certificate chain or "
               "configure enrollment url\n";
    }
    IosCertificateAuthority* ca = lookup ? lookup(t->second.enrollmentUrl) : nullptr;
    if (!ca)
    {
        return "% Error in receiving Certificate Authority certificate: status = FAIL, cert "
               "length = 0 (no CA answers at " +
               t->second.enrollmentUrl + ")\n";
    }
    const std::vector<std::vector<uint8_t>> chain = ca->GetChain();
    const ipsec::CertificateInfo info = ipsec::DescribeCertificate(chain.front());
    trustpoints[name].caChain = chain;
    std::ostringstream os;
    if (!info.selfSigned)
    {
        os << "Trustpoint '" << name << "' is a subordinate CA and holds a non self signed cert\n";
    }
    os << "Certificate has the following attributes:\n"
       << "       Fingerprint MD5: " << HexWords(info.md5) << "\n"
       << "      Fingerprint SHA1: " << HexWords(info.sha1) << "\n"
       << "% Do you accept this certificate? [yes/no]: yes\n"
       << "Trustpoint CA certificate accepted.\n";
    return os.str();
}

std::string
IosPkiState::Enroll(const IosRouter& r, const std::string& name)
{
    const IosRouterConfig& cfg = r.GetConfig();
    const auto t = cfg.pki.trustpoints.find(name);
    if (t == cfg.pki.trustpoints.end())
    {
        return "% Trustpoint " + name + " is not configured (crypto pki trustpoint " + name + ")\n";
    }
    IosTrustpointState& state = trustpoints[name];
    if (state.caChain.empty())
    {
        return "% You must authenticate the Certificate Authority before you can enroll with "
               "it.\n";
    }
    IosCertificateAuthority* ca = lookup ? lookup(t->second.enrollmentUrl) : nullptr;
    if (!ca)
    {
        return "% Certificate enrollment failed: no CA answers at " + t->second.enrollmentUrl +
               "\n";
    }
    std::ostringstream os;
    const IosTrustpoint& tp = t->second;
    const std::string label = tp.rsaKeypair.empty() ? DefaultLabel(cfg) : tp.rsaKeypair;
    if (!keys.count(label))
    {
        os << GenerateKey(r, label, tp.rsaKeypairSize ? tp.rsaKeypairSize : 1024, false);
    }
    IosEnrollmentRequest req;
    req.router = cfg.hostname;
    req.publicKey = keys.at(label).key.publicKey;
    req.now = Now();
    os << "% Start certificate enrollment ..\n";
    std::string subject = tp.subjectName;
    const std::string fqdn = tp.fqdn.empty() ? Fqdn(cfg) : tp.fqdn;
    if (!tp.fqdnNone)
    {
        subject += (subject.empty() ? "" : ",") + std::string("hostname=") + fqdn;
        req.sanDns.push_back(fqdn);
        os << "% The subject name in the certificate will include: " << fqdn << "\n";
    }
    const std::string address = TrustpointAddress(cfg, tp);
    if (!address.empty())
    {
        subject += (subject.empty() ? "" : ",") + std::string("unstructuredAddress=") + address;
        req.sanIp.push_back(address);
    }
    if (tp.serialNumber)
    {
        char serial[16];
        std::snprintf(serial, sizeof(serial), "4279%04X", r.GetNode()->GetId());
        subject += (subject.empty() ? "" : ",") + std::string("serialNumber=") + serial;
        os << "% The subject name in the certificate will include: serialNumber=" << serial << "\n";
    }
    if (!tp.subjectName.empty())
    {
        os << "% The subject name in the certificate will include: " << tp.subjectName << "\n";
    }
    req.subject = subject.empty() ? "hostname=" + fqdn : subject;
    os << "% Certificate request sent to Certificate Authority\n";
    try
    {
        state.certificate = ca->Enroll(req);
        state.keyLabel = label;
        os << "%PKI-6-CERTRET: Certificate received from Certificate Authority\n";
    }
    catch (const IosEnrollmentError& e)
    {
        os << "%PKI-6-CERTREJECT: Certificate enrollment request was rejected by Certificate "
              "Authority: "
           << e.what() << "\n";
    }
    return os.str();
}

void
IosPkiState::TakeChains(const IosRouterConfig& cfg)
{
    for (const auto& [name, chain] : cfg.pki.chains)
    {
        // What is pasted is what the trustpoint holds (a reconfiguration pastes it again).
        IosTrustpointState& t = trustpoints[name];
        std::vector<std::vector<uint8_t>> cas;
        for (const IosChainCertificate& c : chain.certificates)
        {
            if (c.ca)
            {
                cas.push_back(c.der);
            }
            else
            {
                t.certificate = c.der;
                t.keyLabel = LabelOfPublicKey(ipsec::DescribeCertificate(c.der).publicKey);
            }
        }
        if (!cas.empty())
        {
            t.caChain = cas;
        }
    }
}

std::string
IosPkiState::LabelOfPublicKey(const std::vector<uint8_t>& spki) const
{
    for (const auto& [label, k] : keys)
    {
        if (k.key.publicKey == spki)
        {
            return label;
        }
    }
    return "";
}

std::vector<std::pair<std::string, std::string>>
IosPkiState::RunConfigured(const IosRouter& r)
{
    const IosPkiConfig& pki = r.GetConfig().pki;
    std::vector<std::pair<std::string, std::string>> out;
    for (; keyGenerationsDone < pki.keyGenerations.size(); ++keyGenerationsDone)
    {
        const IosRsaKeyGeneration& g = pki.keyGenerations[keyGenerationsDone];
        out.emplace_back(g.where.text, GenerateKey(r, g.label, g.modulus, g.usageKeys));
    }
    for (auto& [name, t] : trustpoints)
    {
        if (!t.certificate.empty() && t.keyLabel.empty())
        {
            t.keyLabel = LabelOfPublicKey(ipsec::DescribeCertificate(t.certificate).publicKey);
        }
    }
    for (; actionsDone < pki.actions.size(); ++actionsDone)
    {
        const IosPkiAction& a = pki.actions[actionsDone];
        out.emplace_back(a.where.text,
                         a.enroll ? Enroll(r, a.trustpoint) : Authenticate(r, a.trustpoint));
    }
    return out;
}

// ---------------------------------------------------------------------------------- IosRouter

void
IosRouter::SetCertificateAuthorities(IosCaLookup lookup)
{
    NS_LOG_FUNCTION(this);
    m_pki->lookup = std::move(lookup);
}

void
IosRouter::SetCalendarStart(int64_t secondsSince1970)
{
    NS_LOG_FUNCTION(this << secondsSince1970);
    m_pki->calendarStart = secondsSince1970;
}

int64_t
IosRouter::GetCalendarNow() const
{
    return m_pki->Now();
}

const std::vector<std::pair<std::string, std::string>>&
IosRouter::GetPkiLog() const
{
    return m_pkiLog;
}

void
IosRouter::StartPki()
{
    NS_LOG_FUNCTION(this);
    for (auto& entry : m_pki->RunConfigured(*this))
    {
        m_pkiLog.push_back(std::move(entry));
    }
}

std::optional<IkePolicyProvider::RsaCredentials>
IosRouter::GetRsaCredentials(Ipv4Address local) const
{
    NS_LOG_FUNCTION(this << local);
    // A trustpoint with a certificate whose key we hold, in name order; else the default key
    // pair (or the only one) without a certificate, enough for rsa-encr.
    for (const auto& [name, t] : m_pki->trustpoints)
    {
        auto key = m_pki->keys.find(t.keyLabel);
        if (t.certificate.empty() || key == m_pki->keys.end())
        {
            continue;
        }
        RsaCredentials c;
        c.privateKey = key->second.key.privateKey;
        c.trustpoint = name;
        c.certificates.push_back(t.certificate);
        // The issuers below the trust anchor: the CA chain without its self-signed root.
        for (size_t i = 0; i + 1 < t.caChain.size(); ++i)
        {
            c.certificates.push_back(t.caChain[i]);
        }
        return c;
    }
    auto key = m_pki->keys.find(IosPkiState::DefaultLabel(m_config));
    if (key == m_pki->keys.end())
    {
        key = m_pki->keys.begin();
    }
    if (key == m_pki->keys.end())
    {
        return std::nullopt;
    }
    RsaCredentials c;
    c.privateKey = key->second.key.privateKey;
    return c;
}

IkePolicyProvider::Trust
IosRouter::GetTrust() const
{
    NS_LOG_FUNCTION(this);
    Trust trust;
    trust.now = m_pki->Now();
    for (const auto& [name, t] : m_pki->trustpoints)
    {
        if (t.caChain.empty())
        {
            continue;
        }
        // Every CA the router authenticated is trusted, a subordinate as much as its root
        // (IOS trusts the trustpoint's CA certificate, whichever level it is).
        for (const auto& der : t.caChain)
        {
            if (std::find(trust.anchors.begin(), trust.anchors.end(), der) == trust.anchors.end())
            {
                trust.anchors.push_back(der);
            }
        }
        const auto cfg = m_config.pki.trustpoints.find(name);
        const bool configured = cfg != m_config.pki.trustpoints.end();
        if (configured && cfg->second.crlRequired)
        {
            trust.crlRequired = true;
        }
        if (configured && !cfg->second.revocationNone && m_pki->lookup &&
            !cfg->second.enrollmentUrl.empty())
        {
            // The CRL as the CA publishes it now (the fetch from its distribution point).
            if (IosCertificateAuthority* ca = m_pki->lookup(cfg->second.enrollmentUrl))
            {
                for (auto& crl : ca->GetCrls(trust.now))
                {
                    trust.crls.push_back(std::move(crl));
                }
            }
        }
    }
    return trust;
}

std::optional<std::vector<uint8_t>>
IosRouter::GetPeerRsaPublicKey(Ipv4Address peer, const std::string& peerName) const
{
    NS_LOG_FUNCTION(this << peer << peerName);
    auto matches = [&](const IosPeerRsaKey& k)
    {
        if (k.key.empty() || k.usage == "signature")
        {
            return false;
        }
        if (k.named)
        {
            return (!peerName.empty() && IosLower(k.name) == IosLower(peerName)) ||
                   (k.hasAddress && k.address == peer);
        }
        return k.address == peer;
    };
    for (const IosPeerRsaKey& k : m_config.pki.peerKeys)
    {
        if (matches(k))
        {
            return k.key;
        }
    }
    for (const auto& [name, ring] : m_config.keyrings)
    {
        for (const IosPeerRsaKey& k : ring.rsaKeys)
        {
            if (matches(k))
            {
                return k.key;
            }
        }
    }
    return std::nullopt;
}

namespace
{
/** "  3082022B 30820194 ...": DER as IOS writes it in a chain, 8 words of 8 digits a line. */
void
AddHexLines(IosRouterConfig& c, const std::vector<uint8_t>& der)
{
    std::string hex = ipsec::ToHex(der);
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    for (size_t i = 0; i < hex.size(); i += 64)
    {
        std::string line = " ";
        for (size_t w = i; w < std::min(hex.size(), i + 64); w += 8)
        {
            line += " " + hex.substr(w, 8);
        }
        c.lines.push_back({"", 0, line});
    }
    c.lines.push_back({"", 0, "  \tquit"});
}

std::string
SerialText(const std::vector<uint8_t>& der)
{
    std::string hex = ipsec::ToHex(ipsec::DescribeCertificate(der).serial);
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
    return hex;
}
} // namespace

IosRouterConfig
IosWithCertificateChains(const IosRouterConfig& config, const IosPkiState& pki)
{
    IosRouterConfig c = config;
    for (const auto& [name, t] : pki.trustpoints)
    {
        if (config.pki.chains.count(name) || (t.certificate.empty() && t.caChain.empty()))
        {
            continue; // pasted: already in the lines
        }
        c.lines.push_back({"", 0, "crypto pki certificate chain " + name});
        if (!t.certificate.empty())
        {
            c.lines.push_back({"", 0, " certificate " + SerialText(t.certificate)});
            AddHexLines(c, t.certificate);
        }
        if (!t.caChain.empty())
        {
            c.lines.push_back({"", 0, " certificate ca " + SerialText(t.caChain.front())});
            AddHexLines(c, t.caChain.front());
        }
        c.lines.push_back({"", 0, "!"});
    }
    return c;
}

std::string
PkiExec(const IosExecCommand& cmd, const IosRouter& router, IosPkiState& pki)
{
    using K = IosExecCommand::Kind;
    switch (cmd.kind)
    {
    case K::CRYPTO_KEY_GENERATE_RSA:
        return pki.GenerateKey(
            router, cmd.args.at(0),
            cmd.args.at(1).empty() ? 0 : static_cast<uint32_t>(std::stoul(cmd.args.at(1))),
            cmd.filter == "usage-keys");
    case K::CRYPTO_KEY_ZEROIZE_RSA:
    {
        if (cmd.args.empty())
        {
            pki.keys.clear();
            return "% All RSA keys will be removed.\n% All router certs issued using these keys "
                   "will also be removed.\n";
        }
        if (pki.keys.erase(cmd.args[0]) == 0)
        {
            return "% RSA keypair " + cmd.args[0] + " does not exist\n";
        }
        return "% Keys to be removed are named " + cmd.args[0] + ".\n";
    }
    case K::CRYPTO_PKI_AUTHENTICATE:
        return pki.Authenticate(router, cmd.args.at(0));
    case K::CRYPTO_PKI_ENROLL:
        return pki.Enroll(router, cmd.args.at(0));
    default:
        return "";
    }
}

} // namespace ns3
