#include "ns3/ike-exchange.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeQuickMode");

namespace
{
/**
 * The bytes a quick-mode or informational hash covers: the payload chain after the first
 * payload (the HASH), generic headers included, padding excluded (RFC 2409 5.5).
 */
bool
BytesAfterHash(const IkeBytes& message, IkeBytes* rest)
{
    size_t at = IsakmpHeader::SIZE;
    if (message.size() < at + 4)
    {
        return false;
    }
    uint8_t next = message[16];
    size_t restStart = 0;
    bool first = true;
    while (next != ISAKMP_PAYLOAD_NONE)
    {
        if (message.size() < at + 4)
        {
            return false;
        }
        const size_t len = (size_t(message[at + 2]) << 8) | message[at + 3];
        if (len < 4 || at + len > message.size())
        {
            return false;
        }
        next = message[at];
        at += len;
        if (first)
        {
            restStart = at;
            first = false;
        }
    }
    rest->assign(message.begin() + restStart, message.begin() + at);
    return true;
}

} // namespace

IsakmpIdPayload
IkeIdFromSelector(Ipv4Address addr, uint32_t wildcard, uint8_t protocol, const IpsecPortMatch& port)
{
    const uint16_t p = port.op == IpsecPortMatch::Op::EQ ? port.lo : 0;
    if (wildcard == 0)
    {
        return IsakmpIdPayload::Ipv4(addr, protocol, p);
    }
    if (wildcard == 0xffffffff)
    {
        return IsakmpIdPayload::Ipv4Subnet(Ipv4Address::GetAny(), Ipv4Mask::GetZero(), protocol, p);
    }
    // A wildcard with holes (not a prefix) has no ID form; its covering range is offered.
    if (((wildcard + 1) & wildcard) != 0)
    {
        const uint32_t lo = addr.Get() & ~wildcard;
        return IsakmpIdPayload::Ipv4Range(Ipv4Address(lo), Ipv4Address(lo | wildcard), protocol, p);
    }
    return IsakmpIdPayload::Ipv4Subnet(Ipv4Address(addr.Get() & ~wildcard), Ipv4Mask(~wildcard),
                                       protocol, p);
}

namespace
{
bool
SideOf(const IsakmpIdPayload& id, Ipv4Address* addr, uint32_t* wildcard)
{
    switch (id.GetIdType())
    {
    case ISAKMP_ID_IPV4_ADDR:
    {
        auto a = id.GetIpv4Address();
        if (!a)
        {
            return false;
        }
        *addr = *a;
        *wildcard = 0;
        return true;
    }
    case ISAKMP_ID_IPV4_ADDR_SUBNET:
    {
        auto a = id.GetIpv4Address();
        auto m = id.GetIpv4Mask();
        if (!a || !m)
        {
            return false;
        }
        *addr = Ipv4Address(a->Get() & m->Get());
        *wildcard = ~m->Get();
        return true;
    }
    case ISAKMP_ID_IPV4_ADDR_RANGE:
    {
        auto a = id.GetIpv4Address();
        auto b = id.GetIpv4RangeEnd();
        if (!a || !b || b->Get() < a->Get())
        {
            return false;
        }
        // Only ranges that are a prefix are kept exact; others are widened to their prefix.
        uint32_t span = a->Get() ^ b->Get();
        uint32_t w = 0;
        while (w < span)
        {
            w = (w << 1) | 1;
        }
        *addr = Ipv4Address(a->Get() & ~w);
        *wildcard = w;
        return true;
    }
    default:
        return false;
    }
}
} // namespace

bool
IkeSelectorFromIds(const IsakmpIdPayload& src, const IsakmpIdPayload& dst,
                   IpsecTrafficSelector* out)
{
    IpsecTrafficSelector s;
    if (!SideOf(src, &s.srcAddr, &s.srcWildcard) || !SideOf(dst, &s.dstAddr, &s.dstWildcard))
    {
        return false;
    }
    if (src.GetProtocolId() != dst.GetProtocolId() && src.GetProtocolId() && dst.GetProtocolId())
    {
        return false;
    }
    s.protocol = src.GetProtocolId() ? src.GetProtocolId() : dst.GetProtocolId();
    if (src.GetPort())
    {
        s.srcPort = IpsecPortMatch::Eq(src.GetPort());
    }
    if (dst.GetPort())
    {
        s.dstPort = IpsecPortMatch::Eq(dst.GetPort());
    }
    *out = s;
    return true;
}

// ------------------------------------------------------------------------------ quick mode

IkeQuickMode::IkeQuickMode(IkeContext& ctx, Ptr<IkeSa> sa, uint32_t messageId,
                           Ptr<IpsecPolicyEntry> entry, const IkePhase2Offer& offer,
                           const IpsecTrafficSelector& scope)
    : IkeExchange(ctx, sa), m_initiator(true), m_messageId(messageId), m_step(Step::SEND_1),
      m_offer(offer)
{
    m_outcome.entry = entry;
    m_outcome.scope = scope;
    record.exchange = "quick";
    record.role = "initiator";
    record.local = sa->local;
    record.peer = sa->peer;
    record.icookie = ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end()));
    record.connId = sa->connId;
    record.messageId = messageId;
}

IkeQuickMode::IkeQuickMode(IkeContext& ctx, Ptr<IkeSa> sa, uint32_t messageId)
    : IkeExchange(ctx, sa), m_initiator(false), m_messageId(messageId), m_step(Step::WAIT_1)
{
    record.exchange = "quick";
    record.role = "responder";
    record.local = sa->local;
    record.peer = sa->peer;
    record.icookie = ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end()));
    record.connId = sa->connId;
    record.messageId = messageId;
}

IkeQuickMode::~IkeQuickMode() = default;

IkeBytes
IkeQuickMode::Seal(IsakmpMessage& m, size_t hashPayloadIndex, const IkeBytes& niBody, bool hash3)
{
    const size_t hashLen = ipsec::IkeHashLength(m_sa->keys.hash);
    auto& hp = dynamic_cast<IsakmpHashPayload&>(m.GetPayload(hashPayloadIndex));
    hp.SetData(IkeBytes(hashLen, 0));
    IkeBytes clear = m.ToBytes();
    IkeBytes rest;
    BytesAfterHash(clear, &rest);
    IkeBytes h;
    if (hash3)
    {
        h = IkeHash3(m_sa->keys, m_messageId, m_outcome.ni, m_outcome.nr);
    }
    else if (niBody.empty())
    {
        h = IkeHash1(m_sa->keys, m_messageId, rest);
    }
    else
    {
        h = IkeHash2(m_sa->keys, m_messageId, niBody, rest);
    }
    hp.SetData(h);
    IsakmpCryptoResult r = m_sa->cipher->EncryptMessage(m);
    NS_ABORT_MSG_UNLESS(r, "IKE: cannot encrypt our own message: " << r.error);
    return r.bytes;
}

IkeBytes
IkeQuickMode::Build(Status* status)
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(ISAKMP_EXCH_QUICK_MODE, m_messageId));
    *status = Status::NEED_MORE;
    switch (m_step)
    {
    case Step::SEND_1:
        return BuildMessage1(m, status);
    case Step::SEND_2:
        return BuildMessage2(m, status);
    case Step::SEND_3:
        return BuildMessage3(m, status);
    default:
        *status = Fail("internal: nothing to send in this quick mode state");
        return {};
    }
}

IkeSpis
IkeQuickMode::AllocateSpis(const IpsecTransformSet& set)
{
    IkeSpis s;
    if (set.HasEsp())
    {
        s.esp = m_ctx.AllocateSpi(false);
    }
    if (set.ah)
    {
        s.ah = m_ctx.AllocateSpi(false);
    }
    if (set.comp)
    {
        s.cpi = static_cast<uint16_t>(m_ctx.AllocateSpi(true));
    }
    return s;
}

IkeBytes
IkeQuickMode::BuildMessage1(IsakmpMessage& m, Status* status)
{
    // HDR*, HASH(1), SA, Ni [, KE], IDci, IDcr
    m_offerSpis.clear();
    for (const auto& set : m_offer.sets)
    {
        m_offerSpis.push_back(AllocateSpis(set));
    }
    m_outcome.ni = m_ctx.Rng().Bytes(16);
    m.AddPayload(IsakmpHashPayload());
    m.AddPayload(IkeMakePhase2Offer(m_offer, m_offerSpis));
    m.AddPayload(IsakmpNoncePayload(m_outcome.ni));
    if (m_offer.pfsGroup)
    {
        try
        {
            m_dh = std::make_unique<ipsec::DhKeyPair>(m_offer.pfsGroup, m_ctx.Rng());
            CountDh(m_offer.pfsGroup);
        }
        catch (const std::exception& e)
        {
            *status = Fail(std::string("PFS group: ") + e.what());
            return {};
        }
        m.AddPayload(IsakmpKeyExchangePayload(m_dh->PublicValue()));
    }
    const IpsecTrafficSelector& s = m_outcome.scope;
    m_idci = IkeIdFromSelector(s.srcAddr, s.srcWildcard, s.protocol, s.srcPort);
    m_idcr = IkeIdFromSelector(s.dstAddr, s.dstWildcard, s.protocol, s.dstPort);
    m.AddPayload(m_idci);
    m.AddPayload(m_idcr);
    std::ostringstream d;
    for (size_t k = 0; k < m_offer.sets.size(); ++k)
    {
        d << (k ? ", " : "") << m_offer.sets[k].ToString();
    }
    record.detail = "offered " + d.str();
    m_step = Step::WAIT_2;
    return Seal(m, 0, {}, false);
}

IkeBytes
IkeQuickMode::BuildMessage2(IsakmpMessage& m, Status* status)
{
    // HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
    const IpsecTransformSet& set = m_outcome.set;
    m_outcome.ourSpis = AllocateSpis(set);
    m_outcome.nr = m_ctx.Rng().Bytes(16);
    m.AddPayload(IsakmpHashPayload());
    m.AddPayload(IkeMakePhase2Reply(m_peerSa, m_sel, m_outcome.ourSpis));
    m.AddPayload(IsakmpNoncePayload(m_outcome.nr));
    if (m_sel.pfsGroup)
    {
        try
        {
            m_dh = std::make_unique<ipsec::DhKeyPair>(m_sel.pfsGroup, m_ctx.Rng());
            CountDh(m_sel.pfsGroup);
            m_outcome.gqmxy = m_dh->ComputeShared(m_peerKe);
            CountDh(m_sel.pfsGroup);
        }
        catch (const std::exception& e)
        {
            *status = Fail(std::string("PFS: ") + e.what(), ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
            return {};
        }
        m.AddPayload(IsakmpKeyExchangePayload(m_dh->PublicValue()));
    }
    if (m_haveIds)
    {
        m.AddPayload(m_idci);
        m.AddPayload(m_idcr);
    }
    if (m_responderLifetime)
    {
        uint8_t proto = set.comp       ? uint8_t(ISAKMP_PROTO_IPCOMP)
                        : set.HasEsp() ? uint8_t(ISAKMP_PROTO_IPSEC_ESP)
                                       : uint8_t(ISAKMP_PROTO_IPSEC_AH);
        uint32_t spi = set.comp       ? m_outcome.ourSpis.cpi
                       : set.HasEsp() ? m_outcome.ourSpis.esp
                                      : m_outcome.ourSpis.ah;
        m.AddPayload(IkeResponderLifetimeNotify(proto, spi, m_outcome.lifetimeSeconds,
                                                m_outcome.lifetimeKilobytes));
    }
    m_step = Step::WAIT_3;
    return Seal(m, 0, m_outcome.ni, false);
}

IkeBytes
IkeQuickMode::BuildMessage3(IsakmpMessage& m, Status* status)
{
    // HDR*, HASH(3)
    m.AddPayload(IsakmpHashPayload());
    m_step = Step::DONE;
    *status = Status::SUCCESS;
    return Seal(m, 0, {}, true);
}

IkeExchange::Status
IkeQuickMode::Process(const IkeBytes& datagram)
{
    IkeBytes plain;
    std::string error;
    auto m = Decrypt(datagram, &plain, &error);
    if (!m)
    {
        return Fail("quick mode message from peer cannot be read: " + error,
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    const auto* hash =
        m->GetNPayloads() ? dynamic_cast<const IsakmpHashPayload*>(&m->GetPayload(0)) : nullptr;
    IkeBytes rest;
    if (!hash || !BytesAfterHash(plain, &rest))
    {
        return Fail("quick mode message does not start with a HASH payload",
                    ISAKMP_NOTIFY_INVALID_HASH_INFORMATION);
    }
    switch (m_step)
    {
    case Step::WAIT_1:
        return ProcessMessage1(*m, hash->GetData(), rest);
    case Step::WAIT_2:
        return ProcessMessage2(*m, hash->GetData(), rest);
    case Step::WAIT_3:
        return ProcessMessage3(hash->GetData());
    default:
        return Fail("unexpected quick mode message", ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE);
    }
}

IkeExchange::Status
IkeQuickMode::ProcessMessage1(const IsakmpMessage& m, const IkeBytes& hash, const IkeBytes& rest)
{
    // HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]
    const auto* sa = m.FindPayload<IsakmpSaPayload>();
    const auto* nonce = m.FindPayload<IsakmpNoncePayload>();
    if (hash != IkeHash1(m_sa->keys, m_messageId, rest))
    {
        return Fail("quick mode message 1: HASH(1) does not match",
                    ISAKMP_NOTIFY_INVALID_HASH_INFORMATION);
    }
    if (!sa || !nonce)
    {
        return Fail("quick mode message 1 lacks its SA or nonce payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    m_peerSa = *sa;
    m_outcome.ni = nonce->GetData();
    IpsecTrafficSelector theirs; // initiator's sense: src = IDci, dst = IDcr
    if (Status st = ReadProxyIds(m, &theirs); st != Status::NEED_MORE)
    {
        return st;
    }
    const IpsecTrafficSelector scope = theirs.Mirror();
    m_outcome.scope = scope;
    IkePolicyProvider::Phase2 p2 = m_ctx.Provider().MatchQuickMode(m_sa->peer, m_sa->local, scope);
    std::ostringstream ids;
    ids << "proxy identities " << theirs;
    if (!p2.entry)
    {
        return Fail(ids.str() + " not accepted: " + p2.reason,
                    ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    }
    m_sel = IkeSelectPhase2(*sa, p2.offer);
    if (!m_sel.ok)
    {
        return Fail("crypto map " + p2.entry->Name() + ": " + m_sel.reason,
                    m_sel.notify ? m_sel.notify : uint16_t(ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN));
    }
    if (m_sel.pfsGroup)
    {
        const auto* ke = m.FindPayload<IsakmpKeyExchangePayload>();
        if (!ke || ke->GetData().size() != ipsec::DhPublicValueBytes(m_sel.pfsGroup))
        {
            return Fail("PFS group " + std::to_string(m_sel.pfsGroup) +
                            " proposed without a fitting key exchange payload",
                        ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        m_peerKe = ke->GetData();
    }
    AdoptSelection(p2.entry);
    for (IpsecProtocol proto : m_sel.set.Protocols())
    {
        IkeIpsecDebugEvent e;
        e.kind = IkeIpsecDebugEvent::Kind::VALIDATE_PROPOSAL;
        e.at = Simulator::Now();
        e.inbound = true;
        e.local = m_sa->local;
        e.remote = m_sa->peer;
        e.scope = scope;
        e.protocol = proto;
        e.set = m_sel.set;
        e.lifetimeSeconds = m_sel.offeredSeconds; // as the peer proposed them
        e.lifetimeKilobytes = m_sel.offeredKilobytes;
        e.proposal = m_sel.proposalNumber;
        m_ctx.IpsecDebug(e);
    }
    m_step = Step::SEND_2;
    return Status::NEED_MORE;
}

IkeExchange::Status
IkeQuickMode::ReadProxyIds(const IsakmpMessage& m, IpsecTrafficSelector* theirs)
{
    const auto* id1 = m.FindPayload<IsakmpIdPayload>(0);
    const auto* id2 = m.FindPayload<IsakmpIdPayload>(1);
    if (id1 && id2)
    {
        m_haveIds = true;
        m_idci = *id1;
        m_idcr = *id2;
        if (!IkeSelectorFromIds(*id1, *id2, theirs))
        {
            return Fail("quick mode identities of a type that cannot name IPv4 traffic",
                        ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
        }
    }
    else if (id1 || id2)
    {
        return Fail("quick mode message 1 with one identity payload",
                    ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    }
    else
    {
        // RFC 2409 5.5: without identities the ISAKMP peers' addresses are implied.
        *theirs = IpsecTrafficSelector::Hosts(m_sa->peer, m_sa->local);
    }
    return Status::NEED_MORE;
}

void
IkeQuickMode::AdoptSelection(Ptr<IpsecPolicyEntry> entry)
{
    m_outcome.entry = entry;
    m_outcome.set = m_sel.set;
    m_outcome.peerSpis = m_sel.peerSpis;
    m_outcome.lifetimeSeconds = m_sel.lifetimeSeconds;
    m_outcome.lifetimeKilobytes = m_sel.lifetimeKilobytes;
    m_outcome.pfsGroup = m_sel.pfsGroup;
    // RFC 2407 4.6.3.1: tell the initiator when we keep a shorter lifetime than it
    // offered (an absent seconds lifetime means 28,800 s, an absent kilobytes one none).
    const uint32_t offeredSeconds = m_sel.offeredSeconds ? m_sel.offeredSeconds : 28800;
    m_responderLifetime =
        m_sel.lifetimeSeconds < offeredSeconds ||
        (m_sel.lifetimeKilobytes &&
         (!m_sel.offeredKilobytes || m_sel.lifetimeKilobytes < m_sel.offeredKilobytes));
    record.detail = "crypto map " + entry->Name() + ": " + m_sel.set.ToString() +
                    (m_sel.pfsGroup ? ", PFS group" + std::to_string(m_sel.pfsGroup) : "");
}

IkeExchange::Status
IkeQuickMode::ProcessMessage2(const IsakmpMessage& m, const IkeBytes& hash, const IkeBytes& rest)
{
    // HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, N(RESPONDER-LIFETIME)]
    const auto* sa = m.FindPayload<IsakmpSaPayload>();
    const auto* nonce = m.FindPayload<IsakmpNoncePayload>();
    const auto* id1 = m.FindPayload<IsakmpIdPayload>(0);
    const auto* id2 = m.FindPayload<IsakmpIdPayload>(1);
    if (!nonce)
    {
        return Fail("quick mode message 2 lacks its nonce payload",
                    ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    if (hash != IkeHash2(m_sa->keys, m_messageId, m_outcome.ni, rest))
    {
        return Fail("quick mode message 2: HASH(2) does not match",
                    ISAKMP_NOTIFY_INVALID_HASH_INFORMATION);
    }
    if (!sa)
    {
        return Fail("quick mode message 2 lacks its SA payload", ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    }
    std::string reason;
    auto res = IkeAcceptPhase2Reply(*sa, m_offer, &reason);
    if (!res)
    {
        return Fail("peer's choice is not one we offered: " + reason,
                    ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);
    }
    if ((id1 || id2) && (!id1 || !id2 || IkePayloadBody(*id1) != IkePayloadBody(m_idci) ||
                         IkePayloadBody(*id2) != IkePayloadBody(m_idcr)))
    {
        return Fail("peer answered with other proxy identities",
                    ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    }
    m_outcome.nr = nonce->GetData();
    if (m_offer.pfsGroup)
    {
        const auto* ke = m.FindPayload<IsakmpKeyExchangePayload>();
        if (!ke || ke->GetData().size() != ipsec::DhPublicValueBytes(m_offer.pfsGroup))
        {
            return Fail("PFS asked for, but the peer sent no fitting key exchange payload",
                        ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
        try
        {
            m_outcome.gqmxy = m_dh->ComputeShared(ke->GetData());
            CountDh(m_offer.pfsGroup);
        }
        catch (const std::exception& e)
        {
            return Fail(std::string("PFS: ") + e.what(), ISAKMP_NOTIFY_INVALID_KEY_INFORMATION);
        }
    }
    m_outcome.set = res->set;
    m_outcome.ourSpis = m_offerSpis.at(res->setIndex);
    m_outcome.peerSpis = res->peerSpis;
    m_outcome.lifetimeSeconds = res->lifetimeSeconds;
    m_outcome.lifetimeKilobytes = res->lifetimeKilobytes;
    m_outcome.pfsGroup = res->pfsGroup;
    ApplyResponderLifetime(m);
    record.detail = "agreed " + res->set.ToString() +
                    (res->pfsGroup ? ", PFS group" + std::to_string(res->pfsGroup) : "");
    m_step = Step::SEND_3;
    return Status::NEED_MORE;
}

void
IkeQuickMode::ApplyResponderLifetime(const IsakmpMessage& m)
{
    // RFC 2407 4.6.3.1: the responder keeps a shorter lifetime; so do we.
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        const auto* n = dynamic_cast<const IsakmpNotificationPayload*>(&m.GetPayload(k));
        if (n && n->GetNotifyType() == ISAKMP_NOTIFY_RESPONDER_LIFETIME)
        {
            uint32_t s = 0;
            uint64_t kb = 0;
            IkeReadResponderLifetime(*n, &s, &kb);
            if (s && (s < m_outcome.lifetimeSeconds || !m_outcome.lifetimeSeconds))
            {
                m_outcome.lifetimeSeconds = s;
            }
            if (kb && (kb < m_outcome.lifetimeKilobytes || !m_outcome.lifetimeKilobytes))
            {
                m_outcome.lifetimeKilobytes = kb;
            }
        }
    }
}

IkeExchange::Status
IkeQuickMode::ProcessMessage3(const IkeBytes& hash)
{
    // HDR*, HASH(3)
    if (hash != IkeHash3(m_sa->keys, m_messageId, m_outcome.ni, m_outcome.nr))
    {
        return Fail("quick mode message 3: HASH(3) does not match",
                    ISAKMP_NOTIFY_INVALID_HASH_INFORMATION);
    }
    m_step = Step::DONE;
    return Status::SUCCESS;
}

} // namespace ns3
