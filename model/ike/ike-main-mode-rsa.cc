// Phase 1 authenticated with RSA: signatures (RFC 2409 5.1; CERT, CERT_REQ and SIG payloads, the
// peer's chain verified against the router's trust anchors and CRLs at its calendar time) and
// encrypted nonces (RFC 2409 5.2). The pre-shared-key path and the message flow are in
// ike-main-mode.cc, which calls these hooks where the methods differ.
#include "ns3/ike-exchange.h"
#include "ns3/rsa-ops.h"
#include "ns3/x509-verify.h"

#include "ns3/buffer.h"
#include "ns3/log.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeMainModeRsa");

namespace
{
std::string
PolicyName(const IkePolicy& p)
{
    return "policy " + std::to_string(p.priority) + " (" + p.ToString() + ")";
}

/** The text IOS logs for a certificate it refuses (%CRYPTO-5-IKMP_INVAL_CERT). */
std::string
InvalidCertText(Ipv4Address peer, const std::string& why)
{
    std::ostringstream os;
    os << "%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from " << peer << " is bad: " << why;
    return os.str();
}

/** The IPv4 address of an ID_IPV4_ADDR body as a dotted quad. */
std::string
DottedQuad(const IkeBytes& data)
{
    return std::to_string(data[0]) + "." + std::to_string(data[1]) + "." + std::to_string(data[2]) +
           "." + std::to_string(data[3]);
}

/**
 * Parses a cleartext message payload by payload, keeping as raw payloads the ID and nonce
 * bodies that are RSA ciphertext (they do not parse as what their type says).
 */
std::optional<IsakmpMessage>
ParseWithOpaqueIdentity(const IkeBytes& datagram, std::string* error)
{
    IsakmpParseStatus st;
    if (auto strict = IsakmpMessage::FromBytes(datagram, &st))
    {
        return strict;
    }
    if (datagram.size() < IsakmpHeader::SIZE)
    {
        *error = st.ToString();
        return std::nullopt;
    }
    Buffer b;
    b.AddAtStart(IsakmpHeader::SIZE);
    b.Begin().Write(datagram.data(), IsakmpHeader::SIZE);
    IsakmpHeader h;
    h.Deserialize(b.Begin());
    IsakmpMessage m;
    m.SetHeader(h);
    uint8_t next = datagram[16];
    size_t off = IsakmpHeader::SIZE;
    while (next != ISAKMP_PAYLOAD_NONE)
    {
        if (off + 4 > datagram.size() || m.GetNPayloads() >= IsakmpMessage::MAX_PAYLOADS)
        {
            *error = st.ToString();
            return std::nullopt;
        }
        const size_t len = (size_t(datagram[off + 2]) << 8) | datagram[off + 3];
        if (len < 4 || off + len > datagram.size())
        {
            *error = st.ToString();
            return std::nullopt;
        }
        const uint8_t* body = datagram.data() + off + 4;
        std::unique_ptr<IsakmpPayload> p = IsakmpPayload::Create(next);
        if (!p || !p->ParseBody(body, len - 4).Ok())
        {
            if (next != ISAKMP_PAYLOAD_IDENTIFICATION && next != ISAKMP_PAYLOAD_NONCE)
            {
                *error = st.ToString();
                return std::nullopt;
            }
            p = std::make_unique<IsakmpRawPayload>(next, IkeBytes(body, body + len - 4));
        }
        next = datagram[off];
        p->SetNextPayload(next);
        m.AddPayload(std::move(p));
        off += len;
    }
    return m;
}

/** The first payload of @p type, whatever class decoded it (a raw one included). */
const IsakmpPayload*
FirstOfType(const IsakmpMessage& m, uint8_t type)
{
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        if (m.GetPayload(k).GetPayloadType() == type)
        {
            return &m.GetPayload(k);
        }
    }
    return nullptr;
}
} // namespace

bool
IkeMainMode::UsesRsaSig() const
{
    return m_sa->policy.authentication == IKE_AUTH_RSA_SIGNATURES;
}

bool
IkeMainMode::UsesRsaEncr() const
{
    return m_sa->policy.authentication == IKE_AUTH_RSA_ENCRYPTION;
}

std::vector<IkePolicy>
IkeMainMode::UsablePolicies(std::string* skipped)
{
    const IkePolicyProvider& p = m_ctx.Provider();
    const auto rsa = p.GetRsaCredentials(m_sa->local);
    bool peerKey = false;
    if (m_sa->initiator)
    {
        peerKey = p.GetPeerRsaPublicKey(m_sa->peer, "").has_value();
    }
    std::vector<IkePolicy> out;
    for (const IkePolicy& pol : p.GetIkePolicies())
    {
        std::string why;
        if (pol.authentication == IKE_AUTH_RSA_SIGNATURES && (!rsa || rsa->certificates.empty()))
        {
            why = " needs a certificate (crypto pki enroll)";
        }
        else if (pol.authentication == IKE_AUTH_RSA_ENCRYPTION && !rsa)
        {
            why = " needs RSA keys (crypto key generate rsa)";
        }
        else if (pol.authentication == IKE_AUTH_RSA_ENCRYPTION && m_sa->initiator && !peerKey)
        {
            why = " needs the peer's public key (crypto key pubkey-chain rsa)";
        }
        else if (pol.authentication != IKE_AUTH_PRE_SHARED_KEY &&
                 pol.authentication != IKE_AUTH_RSA_SIGNATURES &&
                 pol.authentication != IKE_AUTH_RSA_ENCRYPTION)
        {
            why = " uses an authentication method this router does not run";
        }
        if (why.empty())
        {
            out.push_back(pol);
        }
        else if (skipped)
        {
            *skipped += (skipped->empty() ? "" : "; ") + PolicyName(pol) + why;
        }
    }
    return out;
}

bool
IkeMainMode::LoadAuthMaterial(Status* status)
{
    const IkePolicyProvider& p = m_ctx.Provider();
    std::ostringstream os;
    if (m_sa->policy.authentication == IKE_AUTH_PRE_SHARED_KEY)
    {
        if (!m_psk.empty())
        {
            return true;
        }
        auto psk = p.GetPreSharedKeyFor(m_sa->peer, m_sa->local, {});
        if (psk)
        {
            m_psk.assign(psk->begin(), psk->end());
            return true;
        }
        os << "no pre-shared key for peer " << m_sa->peer << " (crypto isakmp key)";
        *status = Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
        return false;
    }
    m_rsa = p.GetRsaCredentials(m_sa->local);
    if (!m_rsa || (UsesRsaSig() && m_rsa->certificates.empty()))
    {
        os << "no " << (m_rsa ? "certificate" : "RSA keys") << " for " << m_sa->local
           << " to authenticate with " << (UsesRsaSig() ? "rsa-sig" : "rsa-encr");
        *status = Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
        return false;
    }
    if (UsesRsaEncr() && m_sa->initiator)
    {
        auto key = p.GetPeerRsaPublicKey(m_sa->peer, "");
        if (!key)
        {
            m_dropReason = IkeDropReason::NO_PEER_PUBLIC_KEY;
            os << "no public key for peer " << m_sa->peer << " (crypto key pubkey-chain rsa)";
            *status = Fail(os.str(), ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
            return false;
        }
        m_peerPublicKey = *key;
    }
    return true;
}

IkeBytes
IkeMainMode::Skeyid(ipsec::IkeHash h, const IkeBytes& gxy) const
{
    if (UsesRsaSig())
    {
        return ipsec::SkeyidSig(h, m_ni, m_nr, gxy); // prf(Ni_b | Nr_b, g^xy)
    }
    if (UsesRsaEncr())
    {
        // RFC 2409 5: "For public key encryption: SKEYID = prf(hash(Ni_b | Nr_b), CKY-I | CKY-R)"
        IkeBytes nonces = m_ni;
        nonces.insert(nonces.end(), m_nr.begin(), m_nr.end());
        IkeBytes cookies(m_sa->icookie.begin(), m_sa->icookie.end());
        cookies.insert(cookies.end(), m_sa->rcookie.begin(), m_sa->rcookie.end());
        return ipsec::IkePrf(h, ipsec::IkeHashOf(h, nonces), cookies);
    }
    return ipsec::SkeyidPsk(h, m_psk, m_ni, m_nr);
}

IsakmpIdPayload
IkeMainMode::OurIdentity() const
{
    IsakmpIdPayload id = m_ctx.Phase1Identity(m_sa->local);
    if (UsesRsaSig() && m_ctx.IdentityDn() && m_rsa && !m_rsa->certificates.empty())
    {
        if (auto cert = ipsec::X509ReadCertificate(m_rsa->certificates.front()))
        {
            id.SetIdType(ISAKMP_ID_DER_ASN1_DN);
            id.SetData(cert->subjectDer);
        }
    }
    return id;
}

IkeBytes
IkeMainMode::OwnHash(bool initiator, const IkeBytes& idBody) const
{
    const IkeBytes ci(m_sa->icookie.begin(), m_sa->icookie.end());
    const IkeBytes cr(m_sa->rcookie.begin(), m_sa->rcookie.end());
    return initiator ? IkePhase1Hash(m_sa->keys, m_gxi, m_gxr, ci, cr, m_saiBody, idBody)
                     : IkePhase1Hash(m_sa->keys, m_gxr, m_gxi, cr, ci, m_saiBody, idBody);
}

void
IkeMainMode::AddCertRequests(IsakmpMessage& m) const
{
    if (!UsesRsaSig())
    {
        return;
    }
    // IOS asks for a certificate from each CA it trusts: X.509 signature, the CA's name.
    for (const auto& anchor : m_ctx.Provider().GetTrust().anchors)
    {
        if (auto ca = ipsec::X509ReadCertificate(anchor))
        {
            m.AddPayload(
                IsakmpCertificateRequestPayload(ISAKMP_CERT_X509_SIGNATURE, ca->subjectDer));
        }
    }
}

bool
IkeMainMode::AddSignedIdentity(IsakmpMessage& m, bool initiator, Status* status)
{
    IsakmpIdPayload id = OurIdentity();
    const IkeBytes hash = OwnHash(initiator, IkePayloadBody(id));
    ipsec::RsaResult sig = ipsec::RsaSignRaw(m_rsa->privateKey, hash);
    if (!sig)
    {
        *status = Fail("cannot sign with our RSA key: " + sig.error);
        return false;
    }
    CountRsa(true, ipsec::RsaPrivateKeyBits(m_rsa->privateKey));
    // Aggressive mode's third message carries no ID: it went in the first.
    if (!(m_sa->aggressive && initiator))
    {
        m.AddPayload(id);
    }
    for (const auto& cert : m_rsa->certificates)
    {
        m.AddPayload(IsakmpCertificatePayload(ISAKMP_CERT_X509_SIGNATURE, cert));
    }
    m.AddPayload(IsakmpSignaturePayload(sig.bytes));
    return true;
}

IkeExchange::Status
IkeMainMode::CheckSignedIdentity(const IsakmpMessage& m, bool fromInitiator)
{
    const auto* idp = m.FindPayload<IsakmpIdPayload>();
    const auto* sig = m.FindPayload<IsakmpSignaturePayload>();
    if (!idp && !(m_sa->aggressive && fromInitiator))
    {
        return Fail("rsa-sig message without its identification payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    if (!sig)
    {
        return Fail("rsa-sig message without its signature payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    IsakmpIdPayload id;
    IkeBytes idBody = idp ? IkePayloadBody(*idp) : m_idiBody;
    if (!id.ParseBody(idBody.data(), idBody.size()).Ok())
    {
        return Fail("rsa-sig identity does not parse", ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    }
    std::vector<ipsec::Der> chain;
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        const auto* c = dynamic_cast<const IsakmpCertificatePayload*>(&m.GetPayload(k));
        if (c && c->GetEncoding() == ISAKMP_CERT_X509_SIGNATURE)
        {
            chain.push_back(c->GetData());
        }
    }
    if (chain.empty())
    {
        m_dropReason = IkeDropReason::NO_PEER_CERTIFICATE;
        std::ostringstream os;
        os << "no certificate from peer " << m_sa->peer << " (no X.509 CERT payload)";
        return Fail(os.str(), ISAKMP_NOTIFY_CERTIFICATE_UNAVAILABLE);
    }
    const IkePolicyProvider::Trust trust = m_ctx.Provider().GetTrust();
    ipsec::X509ChainCheck check =
        ipsec::X509VerifyChain(chain, trust.anchors, trust.crls, trust.crlRequired, trust.now);
    auto cert = ipsec::X509ReadCertificate(chain.front());
    CountRsa(false, cert ? ipsec::RsaPublicKeyBits(cert->publicKey) : 0); // the CA's signature
    if (!check.Ok() || !cert)
    {
        m_dropReason = IkeDropReason::PEER_CERTIFICATE_INVALID;
        const std::string why =
            check.Ok() ? "malformed certificate" : ipsec::ToString(check.failure);
        NS_LOG_INFO("certificate of " << check.subject << ": " << check.detail);
        return Fail(InvalidCertText(m_sa->peer, why), ISAKMP_NOTIFY_INVALID_CERTIFICATE);
    }
    bool named = false;
    std::string shown;
    switch (id.GetIdType())
    {
    case ISAKMP_ID_IPV4_ADDR:
        shown = DottedQuad(id.GetData());
        named = ipsec::X509NamesAddress(*cert, shown);
        break;
    case ISAKMP_ID_FQDN:
        shown = id.GetDataString();
        named = ipsec::X509NamesHost(*cert, shown);
        break;
    case ISAKMP_ID_DER_ASN1_DN:
        shown = ipsec::X509NameText(id.GetData());
        named = ipsec::X509NamesSubject(*cert, id.GetData());
        break;
    default:
        shown = "ID type " + std::to_string(id.GetIdType());
        break;
    }
    if (!named)
    {
        m_dropReason = IkeDropReason::ID_CERTIFICATE_MISMATCH;
        std::ostringstream os;
        os << "peer " << m_sa->peer << ": ID payload does not match certificate (ID " << shown
           << ", certificate " << cert->subject << ")";
        return Fail(os.str(), ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    }
    std::string error;
    const IkeBytes expect = OwnHash(fromInitiator, idBody);
    CountRsa(false, ipsec::RsaPublicKeyBits(cert->publicKey));
    if (!ipsec::RsaVerifyRaw(cert->publicKey, expect, sig->GetData(), &error))
    {
        m_dropReason = IkeDropReason::SIGNATURE_INVALID;
        std::ostringstream os;
        os << "peer " << m_sa->peer << " failed authentication (SIG_" << (fromInitiator ? "I" : "R")
           << " does not verify with the key of " << cert->subject << "): " << error;
        return Fail(os.str(), ISAKMP_NOTIFY_INVALID_SIGNATURE);
    }
    record.detail += ", peer " + cert->subject;
    return Status::NEED_MORE;
}

bool
IkeMainMode::AddEncryptedNonce(IsakmpMessage& m, const IkeBytes& nonce, Status* status)
{
    // RFC 2409 5.2: <IDii_b>PubKey_r, <Ni_b>PubKey_r (the responder: with PubKey_i). We send no
    // HASH(1): each router holds one key pair, so the peer needs no hint which one we used.
    const IkeBytes idBody = IkePayloadBody(OurIdentity());
    const uint32_t bits = ipsec::RsaPublicKeyBits(m_peerPublicKey);
    ipsec::RsaResult encId = ipsec::RsaEncryptPkcs1(m_peerPublicKey, idBody, m_ctx.Rng());
    ipsec::RsaResult encNonce = ipsec::RsaEncryptPkcs1(m_peerPublicKey, nonce, m_ctx.Rng());
    if (!encId || !encNonce)
    {
        *status = Fail("cannot encrypt with the peer's public key: " +
                       (encId ? encNonce.error : encId.error));
        return false;
    }
    CountRsa(false, bits);
    CountRsa(false, bits);
    m.AddPayload(IsakmpRawPayload(ISAKMP_PAYLOAD_IDENTIFICATION, encId.bytes));
    m.AddPayload(IsakmpRawPayload(ISAKMP_PAYLOAD_NONCE, encNonce.bytes));
    return true;
}

IkeExchange::Status
IkeMainMode::ParseLenient(const IkeBytes& datagram, std::optional<IsakmpMessage>* m)
{
    std::string error;
    *m = ParseWithOpaqueIdentity(datagram, &error);
    if (!*m)
    {
        return Fail("malformed message from peer: " + error, ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::ReadEncryptedNonce(const IkeBytes& datagram, std::optional<IsakmpMessage>* m)
{
    Status st = ParseLenient(datagram, m);
    return st == Status::NEED_MORE ? DecryptIdAndNonce(m) : st;
}

IkeExchange::Status
IkeMainMode::AggressiveIdAndNonce(std::optional<IsakmpMessage>* m, const IsakmpIdPayload** id,
                                  const IsakmpNoncePayload** nonce)
{
    Status st = Status::NEED_MORE;
    const auto* plainId = (*m)->FindPayload<IsakmpIdPayload>();
    if (m_sa->policy.authentication == IKE_AUTH_PRE_SHARED_KEY && !m_sa->initiator && plainId)
    {
        // The key may be filed under the name the initiator gave (crypto isakmp key ... hostname).
        auto psk = m_ctx.Provider().GetPreSharedKeyFor(
            m_sa->peer, m_sa->local,
            plainId->GetIdType() == ISAKMP_ID_FQDN ? plainId->GetDataString() : std::string());
        if (psk)
        {
            m_psk.assign(psk->begin(), psk->end());
        }
    }
    if (!LoadAuthMaterial(&st))
    {
        return st;
    }
    if (UsesRsaEncr() && (st = DecryptIdAndNonce(m)) != Status::NEED_MORE)
    {
        return st;
    }
    *id = (*m)->FindPayload<IsakmpIdPayload>();
    *nonce = (*m)->FindPayload<IsakmpNoncePayload>();
    if (!*id || !*nonce)
    {
        return Fail("aggressive mode message without its SA, key exchange, nonce or identity",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::DecryptIdAndNonce(std::optional<IsakmpMessage>* out)
{
    const std::optional<IsakmpMessage> m = std::move(*out);
    const IsakmpPayload* idp = FirstOfType(*m, ISAKMP_PAYLOAD_IDENTIFICATION);
    const IsakmpPayload* np = FirstOfType(*m, ISAKMP_PAYLOAD_NONCE);
    if (!idp || !np)
    {
        return Fail("rsa-encr message without its encrypted identity and nonce",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    const uint32_t bits = ipsec::RsaPrivateKeyBits(m_rsa->privateKey);
    ipsec::RsaResult id = ipsec::RsaDecryptPkcs1(m_rsa->privateKey, IkePayloadBody(*idp));
    ipsec::RsaResult nonce = ipsec::RsaDecryptPkcs1(m_rsa->privateKey, IkePayloadBody(*np));
    CountRsa(true, bits);
    CountRsa(true, bits);
    IsakmpIdPayload plainId;
    if (!id || !nonce || !plainId.ParseBody(id.bytes.data(), id.bytes.size()).Ok() ||
        nonce.bytes.empty())
    {
        m_dropReason = IkeDropReason::RSA_DECRYPTION_FAILED;
        std::ostringstream os;
        os << "encrypted identity or nonce from " << m_sa->peer
           << " does not decrypt with our key: " << (id ? nonce.error : id.error);
        return Fail(os.str(), ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
    }
    m_peerIdBody = id.bytes;
    if (!m_sa->initiator)
    {
        // The initiator's key by its address, or by the name it gave (named-key).
        const std::string name =
            plainId.GetIdType() == ISAKMP_ID_FQDN ? plainId.GetDataString() : std::string();
        auto key = m_ctx.Provider().GetPeerRsaPublicKey(m_sa->peer, name);
        if (!key)
        {
            m_dropReason = IkeDropReason::NO_PEER_PUBLIC_KEY;
            std::ostringstream os;
            os << "no public key for peer " << m_sa->peer << (name.empty() ? "" : " (" + name + ")")
               << " (crypto key pubkey-chain rsa)";
            return Fail(os.str(), ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        m_peerPublicKey = *key;
    }
    IsakmpMessage plain;
    plain.SetHeader(m->GetHeader());
    for (size_t k = 0; k < m->GetNPayloads(); ++k)
    {
        const IsakmpPayload& p = m->GetPayload(k);
        if (&p == idp)
        {
            plain.AddPayload(plainId);
        }
        else if (&p == np)
        {
            plain.AddPayload(IsakmpNoncePayload(nonce.bytes));
        }
        else
        {
            plain.AddPayload(p.Clone());
        }
    }
    *out = std::move(plain);
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::CheckNonceHash(const IsakmpMessage& m, bool fromInitiator)
{
    const auto* hash = m.FindPayload<IsakmpHashPayload>();
    if (!hash || hash->GetData() != OwnHash(fromInitiator, m_peerIdBody))
    {
        m_dropReason = IkeDropReason::SIGNATURE_INVALID;
        std::ostringstream os;
        os << "peer " << m_sa->peer << " failed authentication (HASH_"
           << (fromInitiator ? "I" : "R") << (hash ? " does not match" : " missing")
           << "): rsa-encr nonces or keys differ";
        return Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
    }
    return Status::NEED_MORE;
}

} // namespace ns3
