// ScenarioReader: the certificate authorities ("certificate-authorities"), the routers' calendar
// clock ("clock") and an external node's "certificate" (doc/pki.md).
#include "scenario-reader.h"

#include "ns3/ios-keywords.h"

#include "ns3/rsa-key.h"
#include "ns3/x509-issue.h"

#include <algorithm>

namespace ns3
{

using namespace scenario_detail;

void
ScenarioReader::ReadPki(const nlohmann::json& root)
{
    if (auto clock = GetString(root, "", "clock", false))
    {
        try
        {
            m_s.clockStart = ipsec::ParseUtcDate(*clock);
        }
        catch (const std::invalid_argument&)
        {
            Error("/clock", "the routers' calendar at time zero: a UTC date \"2026-01-01\" or "
                            "\"2026-01-01T08:00:00Z\", not " +
                                Quote(*clock));
        }
    }
    auto cas = root.find("certificate-authorities");
    if (cas != root.end())
    {
        if (!cas->is_array())
        {
            Error("/certificate-authorities", "must be an array of CAs, not " + TypeName(*cas));
        }
        for (size_t i = 0; cas->is_array() && i < cas->size(); ++i)
        {
            ReadAuthority((*cas)[i], i);
        }
    }
    // The CAs external nodes name exist.
    for (const ScenarioNode& n : m_s.nodes)
    {
        if (n.certificate && std::none_of(m_s.authorities.begin(), m_s.authorities.end(),
                                          [&](const ScenarioCertificateAuthority& a)
                                          { return a.name == n.certificate->ca; }))
        {
            Error(n.pointer + "/certificate/ca",
                  "no certificate authority is called " + Quote(n.certificate->ca) +
                      " (declare it in \"certificate-authorities\")");
        }
    }
}

void
ScenarioReader::ReadAuthority(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/certificate-authorities", i);
    if (!ExpectObject(v, ptr, "a certificate authority"))
    {
        return;
    }
    CheckKeys(v, ptr,
              {"name", "subject", "issuer", "url", "key-size", "validity-days",
               "certificate-validity", "revoke"});
    ScenarioCertificateAuthority ca;
    ca.pointer = ptr;
    ca.name = GetString(v, ptr, "name", true).value_or("");
    const bool taken = std::any_of(m_s.authorities.begin(), m_s.authorities.end(),
                                   [&](const ScenarioCertificateAuthority& a)
                                   { return IosLower(a.name) == IosLower(ca.name); });
    if (taken)
    {
        Error(JPtr(ptr, "name"), "a second CA called " + Quote(ca.name));
    }
    if (ca.name.find_first_of("/\\ ") != std::string::npos)
    {
        Error(JPtr(ptr, "name"), "a CA's name names its files (pki/NAME.pem): no '/', '\\' or "
                                 "blank");
    }
    ca.subject = GetString(v, ptr, "subject", false).value_or("CN=" + ca.name);
    const std::string dnError = ipsec::CheckDistinguishedName(ca.subject);
    if (!dnError.empty())
    {
        Error(JPtr(ptr, "subject"), dnError);
    }
    ca.issuer = GetString(v, ptr, "issuer", false).value_or("");
    if (!ca.issuer.empty() &&
        std::none_of(m_s.authorities.begin(), m_s.authorities.end(),
                     [&](const ScenarioCertificateAuthority& a) { return a.name == ca.issuer; }))
    {
        Error(JPtr(ptr, "issuer"), "no CA called " + Quote(ca.issuer) +
                                       " is declared before this one (a subordinate's issuer "
                                       "comes first)");
    }
    ca.url = GetString(v, ptr, "url", false).value_or("");
    ca.keySize =
        static_cast<uint32_t>(GetUnsigned(v, ptr, "key-size", false, 512, 4096).value_or(2048));
    if (ca.keySize % 2 != 0)
    {
        Error(JPtr(ptr, "key-size"), "must be even");
    }
    ca.validityDays =
        static_cast<uint32_t>(GetUnsigned(v, ptr, "validity-days", false, 1, 36500).value_or(3650));
    if (auto t = GetTime(v, ptr, "certificate-validity", false))
    {
        if (t->IsZero())
        {
            Error(JPtr(ptr, "certificate-validity"), "must be more than 0");
        }
        ca.certificateValidity = *t;
    }
    ReadRevocations(v, ptr, ca);
    // Kept even with errors (nothing runs then), so that what names it is not refused too.
    if (!ca.name.empty() && !taken)
    {
        m_s.authorities.push_back(std::move(ca));
    }
}

void
ScenarioReader::ReadRevocations(const nlohmann::json& v, const std::string& ptr,
                                ScenarioCertificateAuthority& ca)
{
    auto it = v.find("revoke");
    if (it == v.end())
    {
        return;
    }
    const std::string rptr = JPtr(ptr, "revoke");
    if (!it->is_array())
    {
        Error(rptr, "must be an array of node names or {\"node\": NAME, \"at\": TIME}");
        return;
    }
    for (size_t k = 0; k < it->size(); ++k)
    {
        const nlohmann::json& r = (*it)[k];
        const std::string eptr = JPtr(rptr, k);
        ScenarioCertificateAuthority::Revocation rev;
        if (r.is_string())
        {
            rev.node = r.get<std::string>();
        }
        else if (r.is_object())
        {
            CheckKeys(r, eptr, {"node", "at"});
            rev.node = GetString(r, eptr, "node", true).value_or("");
            rev.at = GetTime(r, eptr, "at", false);
        }
        else
        {
            Error(eptr, "a node name or {\"node\": NAME, \"at\": TIME}, not " + TypeName(r));
            continue;
        }
        if (!rev.node.empty() && m_s.FindNode(rev.node) < 0)
        {
            Error(eptr, "no node is called " + Quote(rev.node));
            continue;
        }
        ca.revoke.push_back(rev);
    }
}

void
ScenarioReader::ReadNodeCertificate(const nlohmann::json& v, ScenarioNode& n)
{
    auto it = v.find("certificate");
    if (it == v.end())
    {
        return;
    }
    const std::string ptr = n.pointer + "/certificate";
    if (!ExpectObject(*it, ptr, "a certificate request"))
    {
        return;
    }
    CheckKeys(*it, ptr, {"ca", "subject", "san", "key-size"});
    ScenarioNodeCertificate c;
    c.ca = GetString(*it, ptr, "ca", true).value_or("");
    c.subject = GetString(*it, ptr, "subject", false).value_or("CN=" + n.name);
    const std::string dnError = ipsec::CheckDistinguishedName(c.subject);
    if (!dnError.empty())
    {
        Error(JPtr(ptr, "subject"), dnError);
    }
    c.keySize =
        static_cast<uint32_t>(GetUnsigned(*it, ptr, "key-size", false, 512, 4096).value_or(2048));
    if (c.keySize % 2 != 0)
    {
        Error(JPtr(ptr, "key-size"), "must be even");
    }
    auto san = it->find("san");
    if (san != it->end())
    {
        if (!san->is_array())
        {
            Error(JPtr(ptr, "san"), "must be an array of addresses and DNS names");
        }
        for (size_t k = 0; san->is_array() && k < san->size(); ++k)
        {
            const nlohmann::json& e = (*san)[k];
            if (!e.is_string() || e.get<std::string>().empty() ||
                e.get<std::string>().find_first_of(", \t") != std::string::npos)
            {
                Error(JPtr(JPtr(ptr, "san"), k), "an address (\"192.0.2.2\") or a DNS name");
                continue;
            }
            const std::string s = e.get<std::string>();
            (ParseDottedQuad(s) ? c.sanIp : c.sanDns).push_back(s);
        }
    }
    n.certificate = c;
}

} // namespace ns3
