#include "scenario-pki.h"

#include "ns3/ios-keywords.h"
#include "ns3/ipsec-random.h"
#include "ns3/log.h"
#include "ns3/x509-issue.h"

#include <algorithm>
#include <cmath>
#include <fstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioPki");

namespace
{
/** The host of a URL: "http://10.0.0.100:80/cgi-bin" -> "10.0.0.100". */
std::string
UrlHost(const std::string& url)
{
    std::string s = url;
    const size_t scheme = s.find("://");
    if (scheme != std::string::npos)
    {
        s = s.substr(scheme + 3);
    }
    s = s.substr(0, s.find_first_of(":/"));
    return IosLower(s);
}

int64_t
CalendarSeconds(int64_t start, Time t)
{
    return start + static_cast<int64_t>(std::floor(t.GetSeconds()));
}
} // namespace

/** One CA: its key, its certificate, what it issued, and its CRL. */
class ScenarioPki::Authority : public IosCertificateAuthority
{
public:
    struct Issued
    {
        std::string node;
        std::vector<uint8_t> serial;
        int64_t notBefore = 0;
        int64_t notAfter = 0;
    };

    Authority(const ScenarioCertificateAuthority& cfg, Authority* parent, int64_t clock)
        : m_cfg(cfg), m_parent(parent), m_clock(clock),
          m_serials(IpsecRandom::Stream("pki/" + cfg.name + "/serial"))
    {
        auto keySource = IpsecRandom::Stream("pki/" + cfg.name + "/key");
        m_key = ipsec::GenerateRsaKey(*keySource, static_cast<int>(cfg.keySize));
        ipsec::CertificateTemplate t;
        t.subject = cfg.subject;
        t.publicKey = m_key.publicKey;
        t.serial = parent ? parent->NextSerial() : ipsec::SerialFromStream(*m_serials);
        t.notBefore = clock;
        t.notAfter = clock + static_cast<int64_t>(cfg.validityDays) * 86400;
        t.ca = true;
        m_certificate =
            parent ? ipsec::IssueCertificate(t, parent->m_certificate, parent->m_key.privateKey)
                   : ipsec::IssueCertificate(t, {}, m_key.privateKey);
    }

    const std::string& GetName() const override
    {
        return m_cfg.name;
    }

    std::vector<std::vector<uint8_t>> GetChain() const override
    {
        std::vector<std::vector<uint8_t>> chain;
        for (const Authority* a = this; a; a = a->m_parent)
        {
            chain.push_back(a->m_certificate);
        }
        return chain;
    }

    std::vector<uint8_t> Enroll(const IosEnrollmentRequest& r) override
    {
        NS_LOG_FUNCTION(this << r.router << r.subject);
        return Issue(r.router, r.subject, r.publicKey, r.sanIp, r.sanDns, r.now);
    }

    std::vector<uint8_t> Issue(const std::string& node, const std::string& subject,
                               const std::vector<uint8_t>& publicKey,
                               const std::vector<std::string>& sanIp,
                               const std::vector<std::string>& sanDns, int64_t now)
    {
        ipsec::CertificateTemplate t;
        t.subject = subject;
        t.publicKey = publicKey;
        t.serial = NextSerial();
        t.notBefore = now;
        t.notAfter = now + static_cast<int64_t>(std::ceil(m_cfg.certificateValidity.GetSeconds()));
        t.sanIp = sanIp;
        t.sanDns = sanDns;
        std::vector<uint8_t> der;
        try
        {
            der = ipsec::IssueCertificate(t, m_certificate, m_key.privateKey);
        }
        catch (const std::invalid_argument& e)
        {
            throw IosEnrollmentError(e.what());
        }
        m_issued.push_back({node, t.serial, t.notBefore, t.notAfter});
        return der;
    }

    std::vector<std::vector<uint8_t>> GetCrls(int64_t now) const override
    {
        std::vector<std::vector<uint8_t>> crls;
        for (const Authority* a = this; a; a = a->m_parent)
        {
            crls.push_back(a->Crl(now));
        }
        return crls;
    }

    /** The revocations in force at @p now: each certificate issued to a node the scenario
     *  revokes, from its "at" (or from its issue) on. */
    std::vector<ipsec::RevokedCertificate> Revoked(int64_t now) const
    {
        std::vector<ipsec::RevokedCertificate> out;
        for (const Issued& i : m_issued)
        {
            for (const auto& r : m_cfg.revoke)
            {
                if (r.node != i.node)
                {
                    continue;
                }
                const int64_t when =
                    std::max(i.notBefore, r.at ? CalendarSeconds(m_clock, *r.at) : i.notBefore);
                if (when <= now)
                {
                    out.push_back({i.serial, when});
                }
                break;
            }
        }
        return out;
    }

    std::vector<uint8_t> Crl(int64_t now) const
    {
        const auto revoked = Revoked(now);
        // The CRL number counts the CRLs that differ: one more for each revocation.
        return ipsec::IssueCrl(m_certificate, m_key.privateKey, revoked, now, now + 86400,
                               1 + revoked.size());
    }

    bool Answers(const std::string& url) const
    {
        const std::string host = UrlHost(url);
        return host == IosLower(m_cfg.name) || (!m_cfg.url.empty() && host == UrlHost(m_cfg.url));
    }

    const std::vector<uint8_t>& Certificate() const
    {
        return m_certificate;
    }
    const std::vector<Issued>& IssuedCertificates() const
    {
        return m_issued;
    }

private:
    std::vector<uint8_t> NextSerial()
    {
        return ipsec::SerialFromStream(*m_serials);
    }

    ScenarioCertificateAuthority m_cfg;
    const Authority* m_parent;
    int64_t m_clock;
    std::shared_ptr<ipsec::ByteSource> m_serials;
    ipsec::RsaKeyPair m_key;
    std::vector<uint8_t> m_certificate;
    std::vector<Issued> m_issued;
};

ScenarioPki::ScenarioPki(const Scenario& s)
{
    NS_LOG_FUNCTION(this);
    for (const ScenarioCertificateAuthority& cfg : s.authorities)
    {
        Authority* parent = nullptr;
        for (const auto& a : m_cas)
        {
            if (a->GetName() == cfg.issuer)
            {
                parent = a.get();
            }
        }
        m_cas.push_back(std::make_unique<Authority>(cfg, parent, s.clockStart));
    }
    for (const ScenarioNode& n : s.nodes)
    {
        if (!n.certificate)
        {
            continue;
        }
        auto ca = std::find_if(m_cas.begin(), m_cas.end(),
                               [&](const auto& a) { return a->GetName() == n.certificate->ca; });
        if (ca == m_cas.end())
        {
            continue; // refused by the reader
        }
        auto keySource = IpsecRandom::Stream("pki/node/" + n.name + "/key");
        NodeCredentials c;
        c.node = n.name;
        c.key = ipsec::GenerateRsaKey(*keySource, static_cast<int>(n.certificate->keySize));
        c.certificate = (*ca)->Issue(n.name, n.certificate->subject, c.key.publicKey,
                                     n.certificate->sanIp, n.certificate->sanDns, s.clockStart);
        m_nodes.push_back(std::move(c));
    }
}

ScenarioPki::~ScenarioPki() = default;

IosCaLookup
ScenarioPki::Lookup()
{
    return [this](const std::string& url) -> IosCertificateAuthority*
    {
        for (const auto& a : m_cas)
        {
            if (a->Answers(url))
            {
                return a.get();
            }
        }
        return nullptr;
    };
}

std::vector<std::string>
ScenarioPki::Export(const std::filesystem::path& out, int64_t now) const
{
    NS_LOG_FUNCTION(this << out << now);
    std::filesystem::create_directories(out / "pki");
    std::vector<std::string> written;
    auto write = [&](const std::string& name, const std::string& text)
    {
        std::ofstream(out / "pki" / name, std::ios::binary | std::ios::trunc) << text;
        written.push_back("pki/" + name);
    };
    for (const auto& a : m_cas)
    {
        write(a->GetName() + ".pem", ipsec::ToPem(a->Certificate(), "CERTIFICATE"));
        if (!a->Revoked(now).empty())
        {
            write(a->GetName() + ".crl.pem", ipsec::ToPem(a->Crl(now), "X509 CRL"));
        }
    }
    for (const NodeCredentials& n : m_nodes)
    {
        write(n.node + ".key.pem", ipsec::ToPem(n.key.privateKey, "PRIVATE KEY"));
        write(n.node + ".cert.pem", ipsec::ToPem(n.certificate, "CERTIFICATE"));
    }
    return written;
}

nlohmann::json
ScenarioPki::Result(int64_t now) const
{
    nlohmann::json out = nlohmann::json::object();
    for (const auto& a : m_cas)
    {
        nlohmann::json issued = nlohmann::json::array();
        const auto revoked = a->Revoked(now);
        for (const auto& i : a->IssuedCertificates())
        {
            const bool isRevoked = std::any_of(revoked.begin(), revoked.end(),
                                               [&](const ipsec::RevokedCertificate& r)
                                               { return r.serial == i.serial; });
            issued.push_back({{"node", i.node},
                              {"serial", ipsec::ToHex(i.serial)},
                              {"not_before", i.notBefore},
                              {"not_after", i.notAfter},
                              {"revoked", isRevoked}});
        }
        out[a->GetName()] = {{"certificate", "pki/" + a->GetName() + ".pem"}, {"issued", issued}};
    }
    return out;
}

} // namespace ns3
