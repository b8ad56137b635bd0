// Ikev2Daemon: authentication with RSA signatures (RFC 7296 2.15, AUTH method 1) and the
// certificates it needs: CERTREQ naming the CAs we trust (3.7), our chain in CERT payloads
// (X.509 signature, 3.6), the peer's chain verified against our trustpoints' CAs and its
// identity against the certificate, as the IKEv1 rsa-sig exchange does.
#include "ns3/ikev2-daemon.h"

#include "ikev2-daemon-private.h"
#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-rsa-auth.h"
#include "ns3/x509-verify.h"

#include "ns3/log.h"
#include "ns3/node.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonCert");

using namespace ipsec;
using namespace ikev2;

namespace
{

std::string
DottedQuad(const std::vector<uint8_t>& b)
{
    std::ostringstream os;
    os << int(b[0]) << "." << int(b[1]) << "." << int(b[2]) << "." << int(b[3]);
    return os.str();
}

/** Does @p cert name the holder of ID payload @p id (RFC 7296 3.5 types IOS sends)? */
bool
CertificateNames(const X509CertInfo& cert, const Ikev2IdPayload& id, std::string* shown)
{
    switch (id.idType)
    {
    case IKEV2_ID_IPV4_ADDR:
        *shown = id.data.size() == 4 ? DottedQuad(id.data) : "a malformed address";
        return id.data.size() == 4 && X509NamesAddress(cert, *shown);
    case IKEV2_ID_FQDN:
        *shown = std::string(id.data.begin(), id.data.end());
        return X509NamesHost(cert, *shown);
    case IKEV2_ID_DER_ASN1_DN:
        *shown = X509NameText(id.data);
        return X509NamesSubject(cert, id.data);
    default:
        *shown = "ID type " + std::to_string(id.idType);
        return false;
    }
}

} // namespace

Ikev2IdPayload
Ikev2Daemon::OwnId(const Sa& sa, uint8_t type) const
{
    Ikev2IdPayload id(type);
    id.idType = sa.creds.idType;
    id.data = sa.creds.id;
    if (sa.creds.idDn && sa.rsa && !sa.rsa->certificates.empty())
    {
        if (auto cert = X509ReadCertificate(sa.rsa->certificates.front()))
        {
            id.idType = IKEV2_ID_DER_ASN1_DN; // `identity local dn`: our certificate's subject
            id.data = cert->subjectDer;
        }
    }
    return id;
}

std::string
Ikev2Daemon::LoadRsa(Sa& sa)
{
    if (!sa.creds.localRsaSig)
    {
        return "";
    }
    sa.rsa = m_ike.m_provider->GetRsaCredentials(sa.local);
    if (!sa.rsa || sa.rsa->certificates.empty())
    {
        return "IKEv2 profile " + sa.creds.profile + " signs with rsa-sig but there is no " +
               (sa.rsa ? "certificate (crypto pki enroll " + sa.creds.trustpoint + ")"
                       : std::string("RSA key (crypto key generate rsa)"));
    }
    return "";
}

void
Ikev2Daemon::AddCertRequest(Ikev2Message& m, bool inner) const
{
    // RFC 7296 3.7: the SHA-1 hashes of the public keys of the CAs we trust, concatenated.
    Ikev2CertPayload req(IKEV2_PAYLOAD_CERTREQ);
    req.encoding = IKEV2_CERT_X509_SIGNATURE;
    for (const auto& anchor : m_ike.m_provider->GetTrust().anchors)
    {
        if (auto ca = X509ReadCertificate(anchor))
        {
            const auto h = Ikev2CaKeyHash(ca->publicKey);
            req.data.insert(req.data.end(), h.begin(), h.end());
        }
    }
    if (req.data.empty())
    {
        return;
    }
    if (inner)
    {
        m.AddInner(req);
    }
    else
    {
        m.Add(req);
    }
}

void
Ikev2Daemon::AddAuth(Sa& sa, Ikev2Message& m, const Ikev2IdPayload& id, bool ofInitiator)
{
    Ikev2AuthPayload auth;
    if (!sa.creds.localRsaSig || !sa.rsa)
    {
        if (ofInitiator && sa.creds.remoteRsaSig)
        {
            AddCertRequest(m, true); // RFC 7296 1.2: IDi, [CERT,] [CERTREQ,] AUTH
        }
        auth.method = IKEV2_AUTH_SHARED_KEY_MIC;
        auth.data = PskAuth(sa, sa.creds.localKey.value_or(""), ofInitiator, id);
        m.AddInner(auth);
        return;
    }
    for (const auto& cert : sa.rsa->certificates)
    {
        Ikev2CertPayload c(IKEV2_PAYLOAD_CERT); // ours first, then its issuers (3.6)
        c.encoding = IKEV2_CERT_X509_SIGNATURE;
        c.data = cert;
        m.AddInner(c);
    }
    if (ofInitiator && sa.creds.remoteRsaSig)
    {
        AddCertRequest(m, true);
    }
    const Ikev2PrfAlgorithm prf = sa.suite->prf;
    const auto octets =
        ofInitiator ? Ikev2SignedOctets(prf, sa.initRequest, sa.nr, sa.keys.skPi, id.BodyBytes())
                    : Ikev2SignedOctets(prf, sa.initResponse, sa.ni, sa.keys.skPr, id.BodyBytes());
    RsaResult sig = Ikev2RsaSign(sa.rsa->privateKey, octets);
    auth.method = IKEV2_AUTH_RSA_SIG;
    auth.data = sig.bytes;
    if (!sig)
    {
        NS_LOG_WARN("IKEv2: cannot sign with our RSA key: " << sig.error);
    }
    m.AddInner(auth);
}

std::string
Ikev2Daemon::CheckPeerAuth(Sa& sa, const Ikev2Message& m, const Ikev2IdPayload& id,
                           const Ikev2AuthPayload& auth, bool fromInitiator)
{
    const std::string who = fromInitiator ? "the initiator's" : "the responder's";
    if (auth.method == IKEV2_AUTH_SHARED_KEY_MIC)
    {
        if (!sa.creds.remoteKey)
        {
            return "profile " + sa.creds.profile + " has no pre-shared key for the peer";
        }
        return auth.data == PskAuth(sa, *sa.creds.remoteKey, fromInitiator, id)
                   ? ""
                   : who + " AUTH does not verify with our pre-shared key";
    }
    if (auth.method != IKEV2_AUTH_RSA_SIG)
    {
        return "AUTH method " + std::to_string(auth.method) + " is not accepted";
    }
    if (!sa.creds.remoteRsaSig)
    {
        return "profile " + sa.creds.profile + " does not take rsa-sig from the peer";
    }
    std::vector<Der> chain;
    for (const auto& p : m.inner)
    {
        const auto* c = dynamic_cast<const Ikev2CertPayload*>(p.get());
        if (c && c->GetType() == IKEV2_PAYLOAD_CERT && c->encoding == IKEV2_CERT_X509_SIGNATURE)
        {
            chain.push_back(c->data);
        }
    }
    if (chain.empty())
    {
        return "rsa-sig without a certificate (no CERT payload)";
    }
    const IkePolicyProvider::Trust trust = m_ike.m_provider->GetTrust();
    const X509ChainCheck check =
        X509VerifyChain(chain, trust.anchors, trust.crls, trust.crlRequired, trust.now);
    const auto cert = X509ReadCertificate(chain.front());
    if (!check.Ok() || !cert)
    {
        NS_LOG_INFO("IKEv2: certificate of " << check.subject << ": " << check.detail);
        return "the peer's certificate is bad: " +
               std::string(check.Ok() ? "malformed certificate" : ToString(check.failure));
    }
    std::string shown;
    if (!CertificateNames(*cert, id, &shown))
    {
        return "the ID payload does not match the certificate (ID " + shown + ", certificate " +
               cert->subject + ")";
    }
    const Ikev2PrfAlgorithm prf = sa.suite->prf;
    const auto octets =
        fromInitiator
            ? Ikev2SignedOctets(prf, sa.initRequest, sa.nr, sa.keys.skPi, id.BodyBytes())
            : Ikev2SignedOctets(prf, sa.initResponse, sa.ni, sa.keys.skPr, id.BodyBytes());
    std::string error;
    if (!Ikev2RsaVerify(cert->publicKey, octets, auth.data, &error))
    {
        return who + " AUTH does not verify with the key of " + cert->subject + ": " + error;
    }
    sa.peerSubject = cert->subject;
    return "";
}

} // namespace ns3
