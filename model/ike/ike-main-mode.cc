#include "ns3/ike-exchange.h"
#include "ns3/ike-initial-contact.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeMainMode");

// ------------------------------------------------------------------------------- IkeExchange

IkeExchange::IkeExchange(IkeContext& ctx, Ptr<IkeSa> sa) : m_ctx(ctx), m_sa(sa)
{
}

IkeExchange::~IkeExchange() = default;

IkeExchange::Status
IkeExchange::Fail(const std::string& reason, uint16_t notify)
{
    m_failure = reason;
    m_notify = notify;
    NS_LOG_INFO("IKE " << m_sa->local << " <-> " << m_sa->peer << ": " << reason);
    return Status::FAILED;
}

std::optional<IsakmpMessage>
IkeExchange::Decrypt(const IkeBytes& datagram, IkeBytes* plain, std::string* error)
{
    if (!m_sa->cipher)
    {
        *error = "no keys yet";
        return std::nullopt;
    }
    if (datagram.size() < IsakmpHeader::SIZE || !(datagram[19] & IsakmpHeader::FLAG_ENCRYPTION))
    {
        *error = "message is not encrypted";
        return std::nullopt;
    }
    const uint32_t mid = (uint32_t(datagram[20]) << 24) | (uint32_t(datagram[21]) << 16) |
                         (uint32_t(datagram[22]) << 8) | datagram[23];
    auto iv = m_sa->cipher->GetIv(mid);
    IsakmpCryptoResult r = m_sa->cipher->Decrypt(datagram);
    IsakmpParseStatus st;
    std::optional<IsakmpMessage> m;
    if (r)
    {
        m = IsakmpMessage::FromDecryptedBytes(r.bytes, &st);
    }
    if (!r || !m)
    {
        // A message we cannot read must not move the CBC chain: the peer's next (or
        // retransmitted) message is encrypted with the IV we had.
        if (iv)
        {
            m_sa->cipher->SetIv(mid, *iv);
        }
        *error = r ? st.ToString() : r.error;
        return std::nullopt;
    }
    *plain = std::move(r.bytes);
    return m;
}

IsakmpHeader
IkeExchange::MakeHeader(uint8_t exchange, uint32_t messageId) const
{
    IsakmpHeader h;
    h.SetInitiatorCookie(m_sa->icookie);
    h.SetResponderCookie(m_sa->rcookie);
    h.SetExchangeType(exchange);
    h.SetMessageId(messageId);
    return h;
}

IkeBytes
IkePayloadBody(const IsakmpPayload& p)
{
    IkeBytes b = p.ToBytes();
    b.erase(b.begin(), b.begin() + IsakmpPayload::GENERIC_HEADER_SIZE);
    return b;
}

// ------------------------------------------------------------------------------- main mode

IkeMainMode::IkeMainMode(IkeContext& ctx, Ptr<IkeSa> sa)
    : IkeExchange(ctx, sa), m_step(sa->initiator ? Step::SEND_1 : Step::WAIT_1)
{
    record.exchange = "main";
    record.role = sa->initiator ? "initiator" : "responder";
    record.local = sa->local;
    record.peer = sa->peer;
    record.icookie = ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end()));
    record.connId = sa->connId;
}

IkeMainMode::~IkeMainMode() = default;

namespace
{
IkeBytes
ToBytesOf(const std::string& s)
{
    return IkeBytes(s.begin(), s.end());
}

} // namespace

IkeBytes
IkeMainMode::Encrypt(const IsakmpMessage& m)
{
    IsakmpCryptoResult r = m_sa->cipher->EncryptMessage(m);
    NS_ABORT_MSG_UNLESS(r, "IKE: cannot encrypt our own message: " << r.error);
    return r.bytes;
}

bool
IkeMainMode::DeriveKeys()
{
    auto hash = IkeHashFromAttribute(m_sa->policy.hash);
    auto alg = IkeCipherFromAttributes(m_sa->policy.encryption, m_sa->policy.keyLength);
    if (!hash || !alg)
    {
        return false;
    }
    const IkeBytes& peerKe = m_sa->initiator ? m_gxr : m_gxi;
    IkeBytes gxy;
    try
    {
        gxy = m_dh->ComputeShared(peerKe);
        CountDh(m_sa->policy.group);
    }
    catch (const std::exception& e)
    {
        m_failure = std::string("Diffie-Hellman failed: ") + e.what();
        return false;
    }
    m_sa->keys = IkeDerivePhase1KeysFromSkeyid(
        *hash, Skeyid(*hash, gxy), gxy, IkeBytes(m_sa->icookie.begin(), m_sa->icookie.end()),
        IkeBytes(m_sa->rcookie.begin(), m_sa->rcookie.end()), ipsec::GetCipherInfo(*alg).keyLen);
    m_sa->cipher = std::make_unique<IsakmpCipherState>(*alg, m_sa->keys.encryptionKey, *hash);
    m_sa->cipher->InitPhase1(m_gxi, m_gxr);
    m_sa->state = IkeSaState::MM_KEY_EXCH;
    return true;
}

void
IkeMainMode::ReadVendorIds(const IsakmpMessage& m)
{
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        if (const auto* v = dynamic_cast<const IsakmpVendorIdPayload*>(&m.GetPayload(k)))
        {
            m_sa->peerSupportsDpd |= v->GetData() == IsakmpVendorIdPayload::DpdVendorId();
            m_sa->peerNatT |= v->GetData() == IsakmpVendorIdPayload::NatTraversalRfc3947VendorId();
        }
    }
}

void
IkeMainMode::AddVendorIds(IsakmpMessage& m) const
{
    if (m_ctx.AnnouncesDpd())
    {
        m.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::DpdVendorId()));
    }
    if (m_ctx.NatTraversal())
    {
        m.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::NatTraversalRfc3947VendorId()));
    }
}

namespace
{
/**
 * RFC 2407 4.6.3.3: an INITIAL-CONTACT notification in an authenticated phase-1 message says the
 * peer has no other SA with us (it rebooted): what we still hold with it is stale.
 */
bool
HasInitialContact(const IsakmpMessage& m)
{
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        const auto* n = dynamic_cast<const IsakmpNotificationPayload*>(&m.GetPayload(k));
        if (n && n->GetNotifyType() == ISAKMP_NOTIFY_INITIAL_CONTACT)
        {
            return true;
        }
    }
    return false;
}

/** RFC 3947 3.2: HASH = HASH(CKY-I | CKY-R | IP | Port), with the negotiated hash. */
IkeBytes
NatDHash(ipsec::IkeHash h, const IkeSa& sa, Ipv4Address addr, uint16_t port)
{
    IkeBytes d(sa.icookie.begin(), sa.icookie.end());
    d.insert(d.end(), sa.rcookie.begin(), sa.rcookie.end());
    uint8_t a[4];
    addr.Serialize(a);
    d.insert(d.end(), a, a + 4);
    d.push_back(static_cast<uint8_t>(port >> 8));
    d.push_back(static_cast<uint8_t>(port));
    return ipsec::IkeHashOf(h, d);
}
} // namespace

void
IkeMainMode::AddNatD(IsakmpMessage& m) const
{
    auto h = IkeHashFromAttribute(m_sa->policy.hash);
    if (!m_ctx.NatTraversal() || !m_sa->peerNatT || !h)
    {
        return;
    }
    m.AddPayload(
        IsakmpRawPayload(ISAKMP_PAYLOAD_NAT_D, NatDHash(*h, *m_sa, m_sa->peer, m_sa->peerPort)));
    // With encapsulation forced, our own NAT-D describes an address nobody has (0.0.0.0:0).
    const bool fake = m_ctx.ForceUdpEncapsulation();
    m.AddPayload(IsakmpRawPayload(ISAKMP_PAYLOAD_NAT_D,
                                  NatDHash(*h, *m_sa, fake ? Ipv4Address::GetAny() : m_sa->local,
                                           fake ? uint16_t(0) : m_sa->localPort)));
}

void
IkeMainMode::CheckNatD(const IsakmpMessage& m)
{
    auto h = IkeHashFromAttribute(m_sa->policy.hash);
    if (!m_ctx.NatTraversal() || !m_sa->peerNatT || !h)
    {
        return;
    }
    std::vector<IkeBytes> natd;
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        const auto* r = dynamic_cast<const IsakmpRawPayload*>(&m.GetPayload(k));
        if (r && r->GetPayloadType() == ISAKMP_PAYLOAD_NAT_D)
        {
            natd.push_back(r->GetData());
        }
    }
    if (natd.empty())
    {
        return; // the peer does not do NAT-T after all
    }
    // "The first NAT-D payload contains the remote end's IP address and port": us, as seen.
    m_sa->natLocal = natd[0] != NatDHash(*h, *m_sa, m_sa->local, m_sa->localPort);
    const IkeBytes sender = NatDHash(*h, *m_sa, m_sa->peer, m_sa->peerPort);
    m_sa->natRemote = std::find(natd.begin() + 1, natd.end(), sender) == natd.end();
    m_sa->natLocal |= m_ctx.ForceUdpEncapsulation();
    if (m_sa->NatDetected())
    {
        record.detail += m_sa->natLocal ? ", NAT here" : ", NAT at the peer";
    }
    if (m_sa->initiator && m_sa->NatDetected())
    {
        // RFC 3947 4: the initiator moves to port 4500 from main mode message 5 on.
        m_sa->localPort = 4500;
        m_sa->peerPort = 4500;
    }
}

bool
IkeMainMode::LoadOffer(Status* status)
{
    std::string skipped;
    m_offered = UsablePolicies(&skipped);
    if (m_offered.empty())
    {
        *status = Fail("no ISAKMP policy this router can use with this peer" +
                       (skipped.empty() ? std::string() : ": " + skipped));
        return false;
    }
    auto psk = m_ctx.Provider().GetPreSharedKeyFor(m_sa->peer, m_sa->local, {});
    auto preShare = [](const IkePolicy& p) { return p.authentication == IKE_AUTH_PRE_SHARED_KEY; };
    if (!psk && !std::all_of(m_offered.begin(), m_offered.end(), preShare))
    {
        // Without a key for this peer, only the RSA suites are offered.
        m_offered.erase(std::remove_if(m_offered.begin(), m_offered.end(), preShare),
                        m_offered.end());
        return true;
    }
    if (!psk)
    {
        std::ostringstream os;
        os << "no pre-shared key for peer " << m_sa->peer << " (crypto isakmp key)";
        *status = Fail(os.str());
        return false;
    }
    m_psk = ToBytesOf(*psk);
    return true;
}

IkeBytes
IkeMainMode::Build(Status* status)
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(ISAKMP_EXCH_MAIN_MODE, 0));
    *status = Status::NEED_MORE;
    switch (m_step)
    {
    case Step::SEND_1:
    {
        if (!LoadOffer(status))
        {
            return {};
        }
        IsakmpSaPayload sa = IkeMakePhase1Offer(m_offered);
        m_saiBody = IkePayloadBody(sa);
        m.AddPayload(sa);
        AddVendorIds(m);
        m_step = Step::WAIT_2;
        return m.ToBytes();
    }
    case Step::SEND_3:
    case Step::SEND_4:
    {
        const bool init = m_step == Step::SEND_3;
        try
        {
            m_dh = std::make_unique<ipsec::DhKeyPair>(m_sa->policy.group, m_ctx.Rng());
            CountDh(m_sa->policy.group);
        }
        catch (const std::exception& e)
        {
            *status = Fail(std::string("Diffie-Hellman group ") +
                           std::to_string(m_sa->policy.group) + ": " + e.what());
            return {};
        }
        IkeBytes nonce = m_ctx.Rng().Bytes(20);
        (init ? m_gxi : m_gxr) = m_dh->PublicValue();
        (init ? m_ni : m_nr) = nonce;
        m.AddPayload(IsakmpKeyExchangePayload(m_dh->PublicValue()));
        if (!UsesRsaEncr())
        {
            m.AddPayload(IsakmpNoncePayload(nonce));
        }
        else if (!AddEncryptedNonce(m, nonce, status))
        {
            return {};
        }
        AddCertRequests(m);
        AddNatD(m);
        IkeBytes out = m.ToBytes();
        if (init)
        {
            m_step = Step::WAIT_4;
        }
        else
        {
            if (!DeriveKeys())
            {
                *status = Fail("cannot derive keys: " + m_failure);
                return {};
            }
            m_step = Step::WAIT_5;
        }
        return out;
    }
    case Step::SEND_5:
    case Step::SEND_6:
    {
        const bool init = m_step == Step::SEND_5;
        if (UsesRsaSig())
        {
            if (!AddSignedIdentity(m, init, status))
            {
                return {};
            }
        }
        else if (UsesRsaEncr())
        {
            // RFC 2409 5.2: the identity went encrypted in message 3 or 4; HASH alone here.
            m.AddPayload(IsakmpHashPayload(OwnHash(init, IkePayloadBody(OurIdentity()))));
        }
        else
        {
            IsakmpIdPayload id = OurIdentity();
            m.AddPayload(id);
            m.AddPayload(IsakmpHashPayload(OwnHash(init, IkePayloadBody(id))));
        }
        IkeAddInitialContact(*m_sa, m); // RFC 2407 4.6.3.3, on first contact (initiator only)
        m_step = init ? Step::WAIT_6 : Step::DONE;
        if (!init)
        {
            m_sa->state = IkeSaState::QM_IDLE;
            *status = Status::SUCCESS;
        }
        return Encrypt(m);
    }
    case Step::SEND_2:
    {
        m.AddPayload(m_reply);
        AddVendorIds(m);
        m_step = Step::WAIT_3;
        return m.ToBytes();
    }
    default:
        *status = Fail("internal: nothing to send in this state");
        return {};
    }
}

IkeExchange::Status
IkeMainMode::Process(const IkeBytes& datagram)
{
    std::optional<IsakmpMessage> m;
    if (Status st = ReadMessage(datagram, &m); st != Status::NEED_MORE)
    {
        return st;
    }
    switch (m_step)
    {
    case Step::WAIT_1:
        return ProcessSaOffer(*m);
    case Step::WAIT_2:
        return ProcessSaReply(*m);
    case Step::WAIT_3:
    case Step::WAIT_4:
        return ProcessKeyExchange(*m);
    case Step::WAIT_5:
    case Step::WAIT_6:
        return ProcessAuthentication(*m);
    default:
        return Fail("unexpected main mode message", ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE);
    }
}

IkeExchange::Status
IkeMainMode::ReadMessage(const IkeBytes& datagram, std::optional<IsakmpMessage>* m)
{
    if (m_step == Step::WAIT_6 || m_step == Step::WAIT_5)
    {
        // Messages 5 and 6 are encrypted with the keys of the exchange.
        const int n = m_step == Step::WAIT_5 ? 5 : 6;
        IkeBytes plain;
        std::string error;
        *m = Decrypt(datagram, &plain, &error);
        if (!*m)
        {
            std::ostringstream os;
            NS_LOG_INFO("message " << n << " unreadable: " << error); // varies: not kept
            os << "message " << n << " from " << m_sa->peer
               << " cannot be decrypted: the pre-shared keys of the two peers differ";
            return Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
        }
        return Status::NEED_MORE;
    }
    const bool encrypted =
        datagram.size() >= IsakmpHeader::SIZE && (datagram[19] & IsakmpHeader::FLAG_ENCRYPTION);
    if (encrypted)
    {
        return Fail("unexpected encrypted message in main mode before the key exchange",
                    ISAKMP_NOTIFY_INVALID_FLAGS);
    }
    if (UsesRsaEncr() && (m_step == Step::WAIT_3 || m_step == Step::WAIT_4))
    {
        return ReadEncryptedNonce(datagram, m);
    }
    IsakmpParseStatus st;
    *m = IsakmpMessage::FromBytes(datagram, &st);
    if (!*m)
    {
        return Fail("malformed message from peer: " + st.ToString(), st.notify);
    }
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::ProcessSaOffer(const IsakmpMessage& m)
{
    // Message 1 (responder): HDR, SA [, VID...]
    const auto* sa = m.FindPayload<IsakmpSaPayload>();
    if (!sa)
    {
        return Fail("main mode message 1 without an SA payload", ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    m_saiBody = IkePayloadBody(*sa);
    std::string skipped;
    std::vector<IkePolicy> ours = UsablePolicies(&skipped);
    IkePhase1Selection sel = IkeSelectPhase1(*sa, ours);
    if (!sel.ok)
    {
        return Fail("phase 1 policy not acceptable: " + sel.reason +
                        (skipped.empty() ? std::string() : " (" + skipped + ")"),
                    sel.notify ? sel.notify : uint16_t(ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN));
    }
    m_sa->policy = sel.policy;
    if (Status st = Status::NEED_MORE; !LoadAuthMaterial(&st))
    {
        return st;
    }
    ReadVendorIds(m);
    m_reply = sel.reply;
    m_sa->state = IkeSaState::MM_SA_SETUP;
    record.detail = sel.policy.ToString();
    m_step = Step::SEND_2;
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::ProcessSaReply(const IsakmpMessage& m)
{
    // Message 2 (initiator): HDR, SA [, VID...]
    const auto* sa = m.FindPayload<IsakmpSaPayload>();
    if (!sa)
    {
        return Fail("main mode message 2 without an SA payload", ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    std::string reason;
    auto pol = IkeAcceptPhase1Reply(*sa, m_offered, &reason);
    if (!pol)
    {
        return Fail("peer chose a suite we did not offer: " + reason,
                    ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);
    }
    ReadVendorIds(m);
    m_sa->rcookie = m.GetHeader().GetResponderCookie();
    m_sa->policy = *pol;
    if (Status st = Status::NEED_MORE; !LoadAuthMaterial(&st))
    {
        return st;
    }
    m_sa->state = IkeSaState::MM_SA_SETUP;
    record.detail = pol->ToString();
    m_step = Step::SEND_3;
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::ProcessKeyExchange(const IsakmpMessage& m)
{
    // Message 3 (responder) or 4 (initiator): HDR, KE, N [, NAT-D, NAT-D]
    const bool resp = m_step == Step::WAIT_3;
    const auto* ke = m.FindPayload<IsakmpKeyExchangePayload>();
    const auto* nonce = m.FindPayload<IsakmpNoncePayload>();
    if (!ke || !nonce)
    {
        return Fail(std::string("main mode message ") + (resp ? "3" : "4") +
                        " lacks its key exchange or nonce payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    if (ke->GetData().size() != ipsec::DhPublicValueBytes(m_sa->policy.group))
    {
        return Fail("key exchange data of " + std::to_string(ke->GetData().size()) +
                        " bytes does not fit Diffie-Hellman group " +
                        std::to_string(m_sa->policy.group),
                    ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
    }
    (resp ? m_gxi : m_gxr) = ke->GetData();
    (resp ? m_ni : m_nr) = nonce->GetData();
    CheckNatD(m);
    if (resp)
    {
        m_step = Step::SEND_4;
        return Status::NEED_MORE;
    }
    if (!DeriveKeys())
    {
        return Fail("cannot derive keys: " + m_failure, ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
    }
    m_step = Step::SEND_5;
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeMainMode::ProcessAuthentication(const IsakmpMessage& m)
{
    // Message 5 (responder) or 6 (initiator): HDR*, ID, HASH [, N(INITIAL-CONTACT)]
    const bool resp = m_step == Step::WAIT_5;
    if (m_sa->policy.authentication != IKE_AUTH_PRE_SHARED_KEY)
    {
        Status st = UsesRsaSig() ? CheckSignedIdentity(m, resp) : CheckNonceHash(m, resp);
        if (st != Status::NEED_MORE)
        {
            return st;
        }
        m_sa->peerInitialContact |= HasInitialContact(m);
        m_step = resp ? Step::SEND_6 : Step::DONE;
        m_sa->state = resp ? m_sa->state : IkeSaState::QM_IDLE;
        return resp ? Status::NEED_MORE : Status::SUCCESS;
    }
    const auto* id = m.FindPayload<IsakmpIdPayload>();
    const auto* hash = m.FindPayload<IsakmpHashPayload>();
    if (!id || !hash)
    {
        return Fail(std::string("main mode message ") + (resp ? "5" : "6") +
                        " lacks its identification or hash payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    const IkeBytes ci(m_sa->icookie.begin(), m_sa->icookie.end());
    const IkeBytes cr(m_sa->rcookie.begin(), m_sa->rcookie.end());
    IkeBytes idBody = IkePayloadBody(*id);
    IkeBytes expect = resp ? IkePhase1Hash(m_sa->keys, m_gxi, m_gxr, ci, cr, m_saiBody, idBody)
                           : IkePhase1Hash(m_sa->keys, m_gxr, m_gxi, cr, ci, m_saiBody, idBody);
    if (hash->GetData() != expect)
    {
        std::ostringstream os;
        os << "peer " << m_sa->peer << " failed authentication (HASH_" << (resp ? "I" : "R")
           << " does not match): pre-shared key mismatch";
        return Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
    }
    m_sa->peerInitialContact |= HasInitialContact(m);
    if (resp)
    {
        m_step = Step::SEND_6;
        return Status::NEED_MORE;
    }
    m_sa->state = IkeSaState::QM_IDLE;
    m_step = Step::DONE;
    return Status::SUCCESS;
}

// ------------------------------------------------------------------------------- aggressive

IkeAggressiveMode::IkeAggressiveMode(IkeContext& ctx, Ptr<IkeSa> sa) : IkeMainMode(ctx, sa)
{
    sa->aggressive = true;
    record.exchange = "aggressive";
}

IkeAggressiveMode::~IkeAggressiveMode() = default;

IkeBytes
IkeAggressiveMode::Build(Status* status)
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(ISAKMP_EXCH_AGGRESSIVE, 0));
    *status = Status::NEED_MORE;
    const IkeBytes ci(m_sa->icookie.begin(), m_sa->icookie.end());
    const IkeBytes cr(m_sa->rcookie.begin(), m_sa->rcookie.end());
    switch (m_step)
    {
    case Step::SEND_1:
    {
        if (!LoadOffer(status))
        {
            return {};
        }
        // The key exchange goes with the offer: only suites of the first policy's group.
        // The key exchange and the nonce go with the offer: only suites of the first policy's
        // group and authentication method (an encrypted nonce cannot also be a plain one).
        const uint16_t group = m_offered.front().group;
        const uint16_t auth = m_offered.front().authentication;
        m_offered.erase(std::remove_if(m_offered.begin(), m_offered.end(),
                                       [group, auth](const IkePolicy& p)
                                       { return p.group != group || p.authentication != auth; }),
                        m_offered.end());
        m_sa->policy.group = group;
        m_sa->policy.authentication = auth;
        if (!LoadAuthMaterial(status))
        {
            return {};
        }
        try
        {
            m_dh = std::make_unique<ipsec::DhKeyPair>(group, m_ctx.Rng());
            CountDh(group);
        }
        catch (const std::exception& e)
        {
            *status = Fail(std::string("Diffie-Hellman: ") + e.what());
            return {};
        }
        m_gxi = m_dh->PublicValue();
        m_ni = m_ctx.Rng().Bytes(20);
        IsakmpSaPayload sa = IkeMakePhase1Offer(m_offered);
        m_saiBody = IkePayloadBody(sa);
        IsakmpIdPayload id = OurIdentity();
        m_idiBody = IkePayloadBody(id);
        m.AddPayload(sa);
        m.AddPayload(IsakmpKeyExchangePayload(m_gxi));
        if (UsesRsaEncr())
        {
            if (!AddEncryptedNonce(m, m_ni, status))
            {
                return {};
            }
        }
        else
        {
            m.AddPayload(IsakmpNoncePayload(m_ni));
            m.AddPayload(id);
        }
        AddCertRequests(m);
        AddVendorIds(m);
        m_step = Step::WAIT_2;
        return m.ToBytes();
    }
    case Step::SEND_2:
    {
        try
        {
            m_dh = std::make_unique<ipsec::DhKeyPair>(m_sa->policy.group, m_ctx.Rng());
            CountDh(m_sa->policy.group);
        }
        catch (const std::exception& e)
        {
            *status = Fail(std::string("Diffie-Hellman: ") + e.what());
            return {};
        }
        m_gxr = m_dh->PublicValue();
        m_nr = m_ctx.Rng().Bytes(20);
        if (!DeriveKeys())
        {
            *status = Fail("cannot derive keys: " + m_failure);
            return {};
        }
        IsakmpIdPayload id = OurIdentity();
        m.AddPayload(m_reply);
        m.AddPayload(IsakmpKeyExchangePayload(m_gxr));
        if (!UsesRsaEncr())
        {
            m.AddPayload(IsakmpNoncePayload(m_nr));
        }
        else if (!AddEncryptedNonce(m, m_nr, status))
        {
            return {};
        }
        if (UsesRsaSig())
        {
            AddCertRequests(m);
            if (!AddSignedIdentity(m, false, status))
            {
                return {};
            }
        }
        else
        {
            if (!UsesRsaEncr())
            {
                m.AddPayload(id);
            }
            m.AddPayload(IsakmpHashPayload(OwnHash(false, IkePayloadBody(id))));
        }
        AddNatD(m);
        AddVendorIds(m);
        m_step = Step::WAIT_5;
        return m.ToBytes();
    }
    case Step::SEND_5:
    {
        if (UsesRsaSig())
        {
            if (!AddSignedIdentity(m, true, status))
            {
                return {};
            }
        }
        else
        {
            m.AddPayload(IsakmpHashPayload(OwnHash(true, m_idiBody)));
        }
        AddNatD(m);
        IkeAddInitialContact(*m_sa, m); // RFC 2407 4.6.3.3, on first contact
        m_step = Step::DONE;
        m_sa->state = IkeSaState::QM_IDLE;
        *status = Status::SUCCESS;
        return Encrypt(m);
    }
    default:
        *status = Fail("internal: nothing to send in this aggressive mode state");
        return {};
    }
}

IkeExchange::Status
IkeAggressiveMode::Process(const IkeBytes& datagram)
{
    const IkeBytes ci(m_sa->icookie.begin(), m_sa->icookie.end());
    if (m_step == Step::WAIT_5)
    {
        IkeBytes plain;
        std::string error;
        auto m = Decrypt(datagram, &plain, &error);
        const auto* hash = m ? m->FindPayload<IsakmpHashPayload>() : nullptr;
        const IkeBytes cr(m_sa->rcookie.begin(), m_sa->rcookie.end());
        if (m && m_sa->policy.authentication != IKE_AUTH_PRE_SHARED_KEY)
        {
            Status rsa = UsesRsaSig() ? CheckSignedIdentity(*m, true) : CheckNonceHash(*m, true);
            if (rsa != Status::NEED_MORE)
            {
                return rsa;
            }
        }
        else if (!m || !hash ||
                 hash->GetData() !=
                     IkePhase1Hash(m_sa->keys, m_gxi, m_gxr, ci, cr, m_saiBody, m_idiBody))
        {
            std::ostringstream os;
            os << "aggressive mode message 3 from " << m_sa->peer
               << (m ? " fails HASH_I" : " cannot be decrypted")
               << ": the pre-shared keys of the two peers differ";
            return Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
        }
        CheckNatD(*m);
        m_sa->peerInitialContact |= HasInitialContact(*m);
        m_sa->state = IkeSaState::QM_IDLE;
        m_step = Step::DONE;
        return Status::SUCCESS;
    }
    // An rsa-encr identity is ciphertext that need not parse as an ID: ParseLenient keeps it.
    std::optional<IsakmpMessage> m;
    if (Status st = ParseLenient(datagram, &m); st != Status::NEED_MORE)
    {
        return st;
    }
    const auto* sa = m->FindPayload<IsakmpSaPayload>();
    const auto* ke = m->FindPayload<IsakmpKeyExchangePayload>();
    if (!sa || !ke)
    {
        return Fail("aggressive mode message without its SA, key exchange, nonce or identity",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    ReadVendorIds(*m);
    if (m_step == Step::WAIT_1)
    {
        m_saiBody = IkePayloadBody(*sa);
        std::string skipped;
        IkePhase1Selection sel = IkeSelectPhase1(*sa, UsablePolicies(&skipped));
        if (!sel.ok)
        {
            return Fail("phase 1 policy not acceptable: " + sel.reason,
                        sel.notify ? sel.notify : uint16_t(ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN));
        }
        if (ke->GetData().size() != ipsec::DhPublicValueBytes(sel.policy.group))
        {
            return Fail("key exchange data does not fit the chosen group " +
                            std::to_string(sel.policy.group),
                        ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        m_sa->policy = sel.policy;
        const IsakmpIdPayload* id = nullptr;
        const IsakmpNoncePayload* nonce = nullptr;
        if (Status st = AggressiveIdAndNonce(&m, &id, &nonce); st != Status::NEED_MORE)
        {
            return st;
        }
        m_reply = sel.reply;
        // (the message may have been rebuilt with its identity and nonce decrypted)
        m_gxi = m->FindPayload<IsakmpKeyExchangePayload>()->GetData();
        m_ni = nonce->GetData();
        m_idiBody = IkePayloadBody(*id);
        m_sa->state = IkeSaState::AG_INIT_EXCH;
        record.detail = sel.policy.ToString();
        m_step = Step::SEND_2;
        return Status::NEED_MORE;
    }
    if (m_step == Step::WAIT_2)
    {
        std::string reason;
        auto pol = IkeAcceptPhase1Reply(*sa, m_offered, &reason);
        if (!pol)
        {
            return Fail("peer chose a suite we did not offer: " + reason,
                        ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);
        }
        if (ke->GetData().size() != ipsec::DhPublicValueBytes(pol->group))
        {
            return Fail("key exchange data does not fit group " + std::to_string(pol->group),
                        ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        m_sa->rcookie = m->GetHeader().GetResponderCookie();
        m_sa->policy = *pol;
        record.detail = pol->ToString();
        const IsakmpIdPayload* id = nullptr;
        const IsakmpNoncePayload* nonce = nullptr;
        if (Status st = AggressiveIdAndNonce(&m, &id, &nonce); st != Status::NEED_MORE)
        {
            return st;
        }
        m_gxr = m->FindPayload<IsakmpKeyExchangePayload>()->GetData();
        m_nr = nonce->GetData();
        if (!DeriveKeys())
        {
            return Fail("cannot derive keys: " + m_failure, ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        const auto* hash = m->FindPayload<IsakmpHashPayload>();
        const IkeBytes cr(m_sa->rcookie.begin(), m_sa->rcookie.end());
        if (m_sa->policy.authentication != IKE_AUTH_PRE_SHARED_KEY)
        {
            Status rsa = UsesRsaSig() ? CheckSignedIdentity(*m, false) : CheckNonceHash(*m, false);
            if (rsa != Status::NEED_MORE)
            {
                return rsa;
            }
        }
        else if (!hash || hash->GetData() != IkePhase1Hash(m_sa->keys, m_gxr, m_gxi, cr, ci,
                                                           m_saiBody, IkePayloadBody(*id)))
        {
            std::ostringstream os;
            os << "peer " << m_sa->peer
               << " failed authentication (HASH_R does not match): pre-shared key mismatch";
            return Fail(os.str(), ISAKMP_NOTIFY_AUTHENTICATION_FAILED);
        }
        CheckNatD(*m);
        m_step = Step::SEND_5;
        return Status::NEED_MORE;
    }
    return Fail("unexpected aggressive mode message", ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE);
}

} // namespace ns3
