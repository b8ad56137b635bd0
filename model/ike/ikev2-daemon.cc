// Ikev2Daemon: IKE_SA_INIT and IKE_AUTH (pre-shared keys) for both roles, the first child SA
// installed in the data plane, retransmission of requests and the error notifies.
#include "ns3/ikev2-daemon.h"

#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2Daemon");

using namespace ipsec;

namespace
{

std::vector<uint8_t>
AddressBytes(Ipv4Address a)
{
    const uint32_t v = a.Get();
    return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

std::vector<uint8_t>
Bytes8(const Ikev2Spi& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

std::vector<uint8_t>
KeyBytes(const std::string& k)
{
    return std::vector<uint8_t>(k.begin(), k.end());
}

bool
IsZero(const Ikev2Spi& s)
{
    for (uint8_t b : s)
    {
        if (b)
        {
            return false;
        }
    }
    return true;
}

} // namespace

Ikev2Daemon::Ikev2Daemon(IkeDaemon& ike) : m_ike(ike)
{
}

Ikev2Daemon::~Ikev2Daemon()
{
    Stop();
}

void
Ikev2Daemon::Stop()
{
    for (auto& [k, sa] : m_sas)
    {
        sa.retransmit.Cancel();
    }
    m_sas.clear();
}

void
Ikev2Daemon::ForgetAll()
{
    Stop();
    while (!m_children.empty())
    {
        RemoveChild(m_children.begin()->first);
    }
}

void
Ikev2Daemon::OnChildExpired(IpsecSaBundle* raw)
{
    // After the trace returns: the SAD is still walking the expiring SA.
    Simulator::ScheduleNow(&Ikev2Daemon::RemoveChild, this, raw);
}

void
Ikev2Daemon::RemoveChild(IpsecSaBundle* raw)
{
    auto it = m_children.find(raw);
    if (it == m_children.end())
    {
        return;
    }
    auto [bundle, entry] = it->second;
    m_children.erase(it);
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            m_ike.m_spis.erase(s->GetSpi());
            if (!s->IsExpired())
            {
                s->Expire();
            }
        }
    }
    if (std::find(entry->bundles.begin(), entry->bundles.end(), bundle) != entry->bundles.end())
    {
        m_ike.m_processor->RemoveBundle(entry, bundle);
    }
}

uint64_t
Ikev2Daemon::Key(const Ikev2Spi& spiI) const
{
    return Ikev2SpiToUint64(spiI);
}

void
Ikev2Daemon::Send(const Sa& sa, const std::vector<uint8_t>& bytes)
{
    m_ike.SendFrom(sa.local, 500, sa.peer, sa.peerPort, bytes);
}

Ikev2Header
Ikev2Daemon::Header(const Sa& sa, uint8_t exchange, uint32_t id, bool response) const
{
    Ikev2Header h;
    h.spiI = sa.spiI;
    h.spiR = sa.spiR;
    h.exchangeType = exchange;
    h.messageId = id;
    h.flags = uint8_t((sa.initiator ? Ikev2Header::FLAG_INITIATOR : 0) |
                      (response ? Ikev2Header::FLAG_RESPONSE : 0));
    return h;
}

Ikev2NotifyPayload
Ikev2Daemon::NatDetection(const Sa& sa, uint16_t type, bool source) const
{
    // RFC 7296 2.23: SHA-1(SPIi | SPIr | IP | port) of where the message comes from or goes.
    Ikev2NotifyPayload n;
    n.notifyType = type;
    n.data = Ikev2NatDetectionHash(Bytes8(sa.spiI), Bytes8(sa.spiR),
                                   AddressBytes(source ? sa.local : sa.peer),
                                   source ? 500 : sa.peerPort);
    return n;
}

void
Ikev2Daemon::Begin(Sa& sa, const std::string& exchange, const std::string& role)
{
    sa.record = IkeExchangeRecord();
    sa.record.exchange = exchange;
    sa.record.role = role;
    sa.record.local = sa.local;
    sa.record.peer = sa.peer;
    sa.record.icookie = ToHex(Bytes8(sa.spiI));
    sa.record.start = Simulator::Now();
    sa.record.messageId = exchange == "IKE_AUTH" ? 1 : 0;
}

void
Ikev2Daemon::Done(Sa& sa, bool ok, const std::string& reason)
{
    sa.retransmit.Cancel();
    sa.record.end = Simulator::Now();
    sa.record.result = ok ? "ok" : "failed";
    sa.record.reason = reason;
    sa.record.retransmissions = sa.retries;
    m_ike.Record(sa.record);
    if (!ok)
    {
        NS_LOG_INFO("IKEv2 " << sa.record.exchange << " with " << sa.peer << " failed: " << reason);
        sa.state = State::FAILED;
        if (sa.initiator && sa.entry)
        {
            m_ike.m_holdDown[sa.entry->id] = Simulator::Now() + m_ike.m_failureHoldDown;
        }
    }
}

// ------------------------------------------------------------------------------ initiator

void
Ikev2Daemon::OnAcquire(const IpsecProcessor::Acquire& a)
{
    NS_LOG_FUNCTION(this << a.entry);
    for (const auto& [k, sa] : m_sas)
    {
        if (sa.initiator && sa.entry == a.entry && sa.state != State::FAILED &&
            sa.state != State::ESTABLISHED)
        {
            return; // already negotiating for this entry
        }
    }
    auto held = m_ike.m_holdDown.find(a.entry->id);
    if (held != m_ike.m_holdDown.end() && Simulator::Now() < held->second)
    {
        return;
    }
    std::vector<Ipv4Address> peers = m_ike.m_provider->ResolvePeers(a.entry);
    if (peers.empty())
    {
        IkeExchangeRecord r;
        r.exchange = "IKE_SA_INIT";
        r.role = "initiator";
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = "crypto map " + a.entry->Name() + " has no peer (set peer)";
        m_ike.Record(r);
        return;
    }
    StartInitiator(a, peers.front());
}

void
Ikev2Daemon::StartInitiator(const IpsecProcessor::Acquire& a, Ipv4Address peer)
{
    const IkePolicyProvider& provider = *m_ike.m_provider;
    Sa sa;
    sa.initiator = true;
    sa.local = m_ike.m_processor->GetLocalAddress(a.ifIndex);
    sa.peer = peer;
    sa.entry = a.entry;
    sa.scope = a.scope;
    sa.spiI =
        Ikev2SpiFromUint64((uint64_t(m_ike.m_idRng->Uint32()) << 32) | m_ike.m_idRng->Uint32());
    Begin(sa, "IKE_SA_INIT", "initiator");
    IkePolicyProvider::Phase2 p2 = provider.GetInitiatorPhase2(a.entry);
    sa.creds = provider.GetIkev2InitiatorCredentials(a.entry, sa.local, peer);
    const auto offers = provider.GetIkev2Offers(sa.local);
    const uint64_t key = Key(sa.spiI);
    auto& stored = m_sas[key] = std::move(sa);
    if (!p2.entry || stored.creds.profile.empty() || offers.empty() || offers[0].groups.empty())
    {
        Done(stored, false,
             !p2.entry                      ? p2.reason
             : stored.creds.profile.empty() ? stored.creds.reason
                                            : "no IKEv2 proposal applies on this address");
        return;
    }
    stored.offer = p2.offer;
    stored.ikeOffer = Ikev2MakeIkeOffer(offers);
    // The KE goes in the first group of the first proposal (RFC 7296 1.2).
    stored.group = offers[0].groups[0];
    stored.dh = std::make_unique<DhKeyPair>(stored.group, m_ike.Rng());
    stored.ni = m_ike.Rng().Bytes(32);

    Ikev2Message m;
    m.header = Header(stored, IKEV2_EXCH_IKE_SA_INIT, 0, false);
    m.Add(stored.ikeOffer);
    Ikev2KePayload ke;
    ke.dhGroup = stored.group;
    ke.data = stored.dh->PublicValue();
    m.Add(ke);
    Ikev2NoncePayload n;
    n.nonce = stored.ni;
    m.Add(n);
    m.Add(NatDetection(stored, IKEV2_N_NAT_DETECTION_SOURCE_IP, true));
    m.Add(NatDetection(stored, IKEV2_N_NAT_DETECTION_DESTINATION_IP, false));
    stored.initRequest = m.ToBytes();
    stored.state = State::INIT_SENT;
    SendRequest(stored, stored.initRequest, 0);
}

void
Ikev2Daemon::SendRequest(Sa& sa, std::vector<uint8_t> bytes, uint32_t messageId)
{
    sa.request = std::move(bytes);
    sa.requestId = messageId;
    sa.retries = 0;
    ++sa.record.messages;
    Send(sa, sa.request);
    sa.retransmit.Cancel();
    sa.retransmit = Simulator::Schedule(Seconds(kRetransmitSeconds), &Ikev2Daemon::OnRetransmit,
                                        this, Key(sa.spiI));
}

void
Ikev2Daemon::OnRetransmit(uint64_t key)
{
    auto it = m_sas.find(key);
    if (it == m_sas.end())
    {
        return;
    }
    Sa& sa = it->second;
    if (sa.retries >= kRetransmissions)
    {
        Done(sa, false,
             "no response from the peer after " + std::to_string(sa.retries) + " retransmissions");
        return;
    }
    ++sa.retries;
    ++sa.record.messages;
    Send(sa, sa.request);
    // RFC 7296 2.4: the interval grows exponentially.
    sa.retransmit = Simulator::Schedule(Seconds(kRetransmitSeconds * (1u << sa.retries)),
                                        &Ikev2Daemon::OnRetransmit, this, key);
}

void
Ikev2Daemon::OnInitResponse(Sa& sa, const std::vector<uint8_t>& bytes)
{
    Ikev2Message m;
    const Ikev2ParseStatus st = m.Parse(bytes.data(), bytes.size());
    if (!st.Ok())
    {
        NS_LOG_INFO("IKEv2: IKE_SA_INIT response dropped: " << st.ToString());
        return;
    }
    ++sa.record.messages;
    for (uint16_t refusal : {IKEV2_N_NO_PROPOSAL_CHOSEN, IKEV2_N_INVALID_KE_PAYLOAD})
    {
        if (m.FindNotify(refusal))
        {
            Done(sa, false,
                 std::string("the peer answered ") + Ikev2NotifyTypeName(refusal) +
                     (refusal == IKEV2_N_INVALID_KE_PAYLOAD
                          ? " (the retry with another group is not simulated)"
                          : ""));
            return;
        }
    }
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    const auto* nr = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    std::string why;
    if (!saP || !ke || !nr)
    {
        Done(sa, false, "IKE_SA_INIT response without SA, KE or Nr");
        return;
    }
    sa.suite = Ikev2AcceptIkeReply(*saP, sa.ikeOffer, &why);
    if (!sa.suite || sa.suite->group != sa.group || ke->dhGroup != sa.group)
    {
        Done(sa, false, sa.suite ? "the responder's group is not the one of our KE" : why);
        return;
    }
    sa.spiR = m.header.spiR;
    sa.nr = nr->nonce;
    sa.initResponse = bytes;
    DeriveKeys(sa, ke->data);
    sa.record.detail = sa.suite->ToString();
    Done(sa, true, "");
    SendAuthRequest(sa);
}

void
Ikev2Daemon::SendAuthRequest(Sa& sa)
{
    Begin(sa, "IKE_AUTH", "initiator");
    sa.childSpi = m_ike.AllocateSpi(false);
    Ikev2Message m;
    m.header = Header(sa, IKEV2_EXCH_IKE_AUTH, 1, false);
    Ikev2IdPayload idi(IKEV2_PAYLOAD_IDI);
    idi.idType = sa.creds.idType;
    idi.data = sa.creds.id;
    m.AddInner(idi);
    Ikev2AuthPayload auth;
    auth.data = PskAuth(sa, sa.creds.localKey.value_or(""), true, idi);
    m.AddInner(auth);
    m.AddInner(Ikev2MakeChildOffer(sa.offer, sa.childSpi));
    Ikev2TsPayload tsi(IKEV2_PAYLOAD_TSI);
    tsi.selectors.push_back(Ikev2SelectorOf(sa.scope, true));
    m.AddInner(tsi);
    Ikev2TsPayload tsr(IKEV2_PAYLOAD_TSR);
    tsr.selectors.push_back(Ikev2SelectorOf(sa.scope, false));
    m.AddInner(tsr);
    sa.state = State::AUTH_SENT;
    SendRequest(sa, m.Seal(*sa.out, m_ike.Rng()), 1);
}

void
Ikev2Daemon::OnAuthResponse(Sa& sa, const std::vector<uint8_t>& bytes)
{
    Ikev2Message m;
    const Ikev2ParseStatus st = m.Open(bytes.data(), bytes.size(), *sa.in);
    if (!st.Ok())
    {
        NS_LOG_INFO("IKEv2: IKE_AUTH response dropped: " << st.ToString());
        return; // RFC 7296 2.21.2: a response that does not verify is ignored
    }
    ++sa.record.messages;
    for (uint16_t refusal :
         {IKEV2_N_AUTHENTICATION_FAILED, IKEV2_N_NO_PROPOSAL_CHOSEN, IKEV2_N_TS_UNACCEPTABLE})
    {
        if (m.FindNotify(refusal))
        {
            Done(sa, false, std::string("the peer answered ") + Ikev2NotifyTypeName(refusal));
            return;
        }
    }
    const auto* idr = m.Get<Ikev2IdPayload>(IKEV2_PAYLOAD_IDR);
    const auto* auth = m.Get<Ikev2AuthPayload>(IKEV2_PAYLOAD_AUTH);
    const auto* child = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    if (!idr || !auth || !child)
    {
        Done(sa, false, "IKE_AUTH response without IDr, AUTH or SA");
        return;
    }
    if (auth->method != IKEV2_AUTH_SHARED_KEY_MIC || !sa.creds.remoteKey ||
        auth->data != PskAuth(sa, *sa.creds.remoteKey, false, *idr))
    {
        Done(sa, false, "the responder's AUTH does not verify with our pre-shared key");
        return;
    }
    Ikev2ChildSelection sel = Ikev2AcceptChildReply(*child, sa.offer);
    if (!sel.set)
    {
        Done(sa, false, sel.reason);
        return;
    }
    sa.state = State::ESTABLISHED;
    sa.record.detail = sel.set->ToString();
    InstallChild(sa, *sel.set, sel.peerSpi);
    Done(sa, true, "");
}

// ------------------------------------------------------------------------------ responder

void
Ikev2Daemon::Receive(const std::vector<uint8_t>& datagram, Ipv4Address peer, uint16_t peerPort,
                     Ipv4Address local, uint16_t localPort)
{
    NS_LOG_FUNCTION(this << datagram.size() << peer << local);
    Ikev2Header h;
    if (!h.Read(datagram.data(), datagram.size()).Ok() || h.length != datagram.size() ||
        localPort != 500)
    {
        NS_LOG_INFO("IKEv2: datagram from " << peer << " dropped (header)");
        return;
    }
    auto it = m_sas.find(Key(h.spiI));
    if (it == m_sas.end() || it->second.peer != peer)
    {
        if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && !h.IsResponse() && h.messageId == 0 &&
            IsZero(h.spiR) && h.IsInitiator() && it == m_sas.end())
        {
            OnInitRequest(datagram, peer, peerPort, local);
        }
        return;
    }
    Sa& sa = it->second;
    if (!h.IsResponse())
    {
        if (sa.initiator)
        {
            return; // requests of the responder (INFORMATIONAL) are not simulated yet
        }
        if (sa.answered && h.messageId == sa.responseId)
        {
            Send(sa, sa.response); // RFC 7296 2.1: a retransmitted request, the same answer
            return;
        }
        if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && h.messageId == 1 &&
            sa.state == State::INIT_DONE && h.spiR == sa.spiR)
        {
            OnAuthRequest(sa, datagram);
        }
        return;
    }
    if (!sa.initiator || h.messageId != sa.requestId)
    {
        return;
    }
    if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && sa.state == State::INIT_SENT)
    {
        OnInitResponse(sa, datagram);
    }
    else if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && sa.state == State::AUTH_SENT &&
             h.spiR == sa.spiR)
    {
        OnAuthResponse(sa, datagram);
    }
}

void
Ikev2Daemon::Answer(Sa& sa, const Ikev2Message& m, bool encrypted)
{
    sa.response = encrypted ? m.Seal(*sa.out, m_ike.Rng()) : m.ToBytes();
    sa.responseId = m.header.messageId;
    sa.answered = true;
    ++sa.record.messages;
    Send(sa, sa.response);
}

void
Ikev2Daemon::OnInitRequest(const std::vector<uint8_t>& bytes, Ipv4Address peer, uint16_t peerPort,
                           Ipv4Address local)
{
    Ikev2Message m;
    const Ikev2ParseStatus st = m.Parse(bytes.data(), bytes.size());
    if (!st.Ok())
    {
        NS_LOG_INFO("IKEv2: IKE_SA_INIT request from " << peer << " dropped: " << st.ToString());
        return;
    }
    Sa sa;
    sa.initiator = false;
    sa.spiI = m.header.spiI;
    sa.local = local;
    sa.peer = peer;
    sa.peerPort = peerPort;
    sa.initRequest = bytes;
    Begin(sa, "IKE_SA_INIT", "responder");
    ++sa.record.messages;
    const uint64_t key = Key(sa.spiI);
    Sa& s = m_sas[key] = std::move(sa);
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    const auto* ni = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    Ikev2Message r;
    r.header = Header(s, IKEV2_EXCH_IKE_SA_INIT, 0, true);
    Ikev2IkeSelection sel;
    if (saP)
    {
        sel = Ikev2SelectIke(*saP, m_ike.m_provider->GetIkev2Offers(local));
    }
    if (!saP || !ke || !ni || !sel.suite)
    {
        Ikev2NotifyPayload n;
        n.notifyType = IKEV2_N_NO_PROPOSAL_CHOSEN;
        r.Add(n);
        Answer(s, r, false);
        Done(s, false,
             (saP && ke && ni ? sel.reason : std::string("IKE_SA_INIT without SA, KE or Ni")) +
                 " (answered NO_PROPOSAL_CHOSEN)");
        return;
    }
    if (ke->dhGroup != sel.suite->group)
    {
        Ikev2NotifyPayload n;
        n.notifyType = IKEV2_N_INVALID_KE_PAYLOAD;
        n.data = {uint8_t(sel.suite->group >> 8), uint8_t(sel.suite->group)};
        r.Add(n);
        Answer(s, r, false);
        Done(s, false, "the peer's KE is not of the group chosen (answered INVALID_KE_PAYLOAD)");
        return;
    }
    s.suite = sel.suite;
    s.group = sel.suite->group;
    s.ni = ni->nonce;
    s.spiR =
        Ikev2SpiFromUint64((uint64_t(m_ike.m_idRng->Uint32()) << 32) | m_ike.m_idRng->Uint32());
    s.dh = std::make_unique<DhKeyPair>(s.group, m_ike.Rng());
    s.nr = m_ike.Rng().Bytes(32);
    r.header = Header(s, IKEV2_EXCH_IKE_SA_INIT, 0, true);
    r.Add(sel.reply);
    Ikev2KePayload k;
    k.dhGroup = s.group;
    k.data = s.dh->PublicValue();
    r.Add(k);
    Ikev2NoncePayload n;
    n.nonce = s.nr;
    r.Add(n);
    r.Add(NatDetection(s, IKEV2_N_NAT_DETECTION_SOURCE_IP, true));
    r.Add(NatDetection(s, IKEV2_N_NAT_DETECTION_DESTINATION_IP, false));
    s.initResponse = r.ToBytes();
    DeriveKeys(s, ke->data);
    s.state = State::INIT_DONE;
    s.response = s.initResponse;
    s.responseId = 0;
    s.answered = true;
    ++s.record.messages;
    Send(s, s.response);
    s.record.detail = s.suite->ToString();
    Done(s, true, "");
    s.state = State::INIT_DONE;
}

void
Ikev2Daemon::RefuseAuth(Sa& sa, uint16_t notify, const std::string& reason)
{
    Ikev2Message r;
    r.header = Header(sa, IKEV2_EXCH_IKE_AUTH, 1, true);
    Ikev2NotifyPayload n;
    n.notifyType = notify;
    r.AddInner(n);
    Answer(sa, r, true);
    Done(sa, false, reason + " (answered " + Ikev2NotifyTypeName(notify) + ")");
}

void
Ikev2Daemon::OnAuthRequest(Sa& sa, const std::vector<uint8_t>& bytes)
{
    Ikev2Message m;
    const Ikev2ParseStatus st = m.Open(bytes.data(), bytes.size(), *sa.in);
    if (!st.Ok())
    {
        NS_LOG_INFO("IKEv2: IKE_AUTH request from " << sa.peer << " dropped: " << st.ToString());
        return;
    }
    Begin(sa, "IKE_AUTH", "responder");
    ++sa.record.messages;
    const auto* idi = m.Get<Ikev2IdPayload>(IKEV2_PAYLOAD_IDI);
    const auto* auth = m.Get<Ikev2AuthPayload>(IKEV2_PAYLOAD_AUTH);
    const auto* child = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* tsi = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSI);
    const auto* tsr = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSR);
    if (!idi || !auth || !child || !tsi || !tsr)
    {
        RefuseAuth(sa, IKEV2_N_INVALID_SYNTAX, "IKE_AUTH without IDi, AUTH, SA, TSi or TSr");
        return;
    }
    sa.creds =
        m_ike.m_provider->GetIkev2ResponderCredentials(idi->idType, idi->data, sa.local, sa.peer);
    if (sa.creds.profile.empty() || !sa.creds.remoteKey ||
        auth->method != IKEV2_AUTH_SHARED_KEY_MIC ||
        auth->data != PskAuth(sa, *sa.creds.remoteKey, true, *idi))
    {
        RefuseAuth(sa, IKEV2_N_AUTHENTICATION_FAILED,
                   sa.creds.profile.empty() ? sa.creds.reason
                   : !sa.creds.remoteKey
                       ? "profile " + sa.creds.profile + " has no key for the peer"
                       : "the initiator's AUTH does not verify with our key");
        return;
    }
    std::string why;
    auto scope = Ikev2ScopeOf(*tsr, *tsi, &why);
    IkePolicyProvider::Phase2 p2;
    if (scope)
    {
        p2 = m_ike.m_provider->MatchIkev2Child(sa.peer, sa.local, *scope);
    }
    if (!scope || !p2.entry)
    {
        RefuseAuth(sa, IKEV2_N_TS_UNACCEPTABLE, scope ? p2.reason : why);
        return;
    }
    sa.entry = p2.entry;
    sa.scope = *scope;
    sa.offer = p2.offer;
    sa.childSpi = m_ike.AllocateSpi(false);
    Ikev2ChildSelection sel = Ikev2SelectChild(*child, sa.offer, sa.childSpi);
    if (!sel.set)
    {
        RefuseAuth(sa, IKEV2_N_NO_PROPOSAL_CHOSEN, sel.reason);
        return;
    }
    Ikev2Message r;
    r.header = Header(sa, IKEV2_EXCH_IKE_AUTH, 1, true);
    Ikev2IdPayload idr(IKEV2_PAYLOAD_IDR);
    idr.idType = sa.creds.idType;
    idr.data = sa.creds.id;
    r.AddInner(idr);
    Ikev2AuthPayload a;
    a.data = PskAuth(sa, sa.creds.localKey.value_or(""), false, idr);
    r.AddInner(a);
    r.AddInner(sel.reply);
    r.AddInner(*tsi);
    r.AddInner(*tsr);
    Answer(sa, r, true);
    sa.state = State::ESTABLISHED;
    sa.record.detail = sel.set->ToString();
    InstallChild(sa, *sel.set, sel.peerSpi);
    Done(sa, true, "");
    sa.state = State::ESTABLISHED;
}

// ------------------------------------------------------------------------------ keys

void
Ikev2Daemon::DeriveKeys(Sa& sa, const std::vector<uint8_t>& peerKe)
{
    const Ikev2IkeSuite& s = *sa.suite;
    const Ikev2EncrInfo& e = GetIkev2EncrInfo(s.encr);
    const Ikev2IntegInfo& i = GetIkev2IntegInfo(s.integ);
    const std::vector<uint8_t> gir = sa.dh->ComputeShared(peerKe);
    sa.keys = Ikev2DeriveSaKeys(s.prf, Ikev2Skeyseed(s.prf, sa.ni, sa.nr, gir), sa.ni, sa.nr,
                                Bytes8(sa.spiI), Bytes8(sa.spiR), e.keyLen, i.keyLen);
    const auto& k = sa.keys;
    sa.out = std::make_unique<Ikev2SkCipher>(s.encr, sa.initiator ? k.skEi : k.skEr, s.integ,
                                             sa.initiator ? k.skAi : k.skAr);
    sa.in = std::make_unique<Ikev2SkCipher>(s.encr, sa.initiator ? k.skEr : k.skEi, s.integ,
                                            sa.initiator ? k.skAr : k.skAi);
    // Wireshark's IKEv2 decryption table: SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ".
    std::ostringstream row;
    row << ToHex(Bytes8(sa.spiI)) << "," << ToHex(Bytes8(sa.spiR)) << "," << ToHex(k.skEi) << ","
        << ToHex(k.skEr) << ",\"" << e.wiresharkName << "\"," << ToHex(k.skAi) << ","
        << ToHex(k.skAr) << ",\"" << i.wiresharkName << "\"";
    m_table.push_back(row.str());
}

std::vector<uint8_t>
Ikev2Daemon::PskAuth(const Sa& sa, const std::string& key, bool ofInitiator,
                     const Ikev2IdPayload& id) const
{
    // RFC 7296 2.15: the initiator signs its IKE_SA_INIT request with Nr and SK_pi, the
    // responder its response with Ni and SK_pr.
    const Ikev2PrfAlgorithm prf = sa.suite->prf;
    const auto signedOctets =
        ofInitiator ? Ikev2SignedOctets(prf, sa.initRequest, sa.nr, sa.keys.skPi, id.BodyBytes())
                    : Ikev2SignedOctets(prf, sa.initResponse, sa.ni, sa.keys.skPr, id.BodyBytes());
    return Ikev2PskAuth(prf, KeyBytes(key), signedOctets);
}

Ptr<IpsecSa>
Ikev2Daemon::MakeSa(const Sa& sa, const IpsecTransformSet& set, bool inbound, uint32_t spi,
                    const Ikev2ChildKeys& k) const
{
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    c.mode = IpsecMode::TUNNEL;
    c.spi = spi;
    c.source = inbound ? sa.peer : sa.local;
    c.destination = inbound ? sa.local : sa.peer;
    c.selector = sa.scope;
    c.label = "crypto map " + sa.entry->Name();
    c.replayWindow = m_ike.m_provider->GetLocalSaSettings(sa.entry).replayWindow;
    c.cipher = *set.espCipher;
    if (set.espAuth)
    {
        c.auth = *set.espAuth;
    }
    // KEYMAT (2.17): initiator-to-responder keys first. Our inbound SA carries what the peer
    // sends.
    const bool fromInitiator = inbound != sa.initiator;
    c.cipherKey = fromInitiator ? k.encrI : k.encrR;
    c.authKey = fromInitiator ? k.integI : k.integR;
    const uint32_t secs = sa.offer.lifetimeSeconds;
    const uint64_t kb = sa.offer.lifetimeKilobytes;
    if (secs)
    {
        c.hardLifetime = Seconds(secs);
        c.softLifetime = secs > 60 ? Seconds(secs - 30) : Seconds(secs * 0.5);
    }
    if (kb)
    {
        c.hardKilobytes = kb;
        c.softKilobytes = kb > 512 ? kb - 256 : kb / 2;
    }
    return IpsecSa::Create(c);
}

void
Ikev2Daemon::InstallChild(Sa& sa, const IpsecTransformSet& chosen, uint32_t peerSpi)
{
    IpsecTransformSet set = chosen;
    set.mode = IpsecMode::TUNNEL; // transport mode (USE_TRANSPORT_MODE) is not negotiated yet
    const size_t cl = GetCipherInfo(*set.espCipher).keyLen;
    const size_t al = set.espAuth ? GetAuthInfo(*set.espAuth).keyLen : 0;
    const Ikev2ChildKeys k =
        Ikev2DeriveChildKeys(sa.suite->prf, sa.keys.skD, {}, sa.ni, sa.nr, cl, al);
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = sa.scope;
    b->local = sa.local;
    b->peer = sa.peer;
    b->mode = set.mode;
    try
    {
        b->inbound.push_back(MakeSa(sa, set, true, sa.childSpi, k));
        b->outbound.push_back(MakeSa(sa, set, false, peerSpi, k));
        m_ike.m_processor->InstallBundle(sa.entry, b);
    }
    catch (const std::exception& e)
    {
        sa.record.reason = std::string("the child SA cannot be installed: ") + e.what();
        NS_LOG_WARN("IKEv2: " << sa.record.reason);
        return;
    }
    m_children[PeekPointer(b)] = {b, sa.entry};
    for (auto* v : {&b->inbound, &b->outbound})
    {
        for (auto& s : *v)
        {
            s->TraceConnectWithoutContext("HardExpiry",
                                          MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                              [this, raw = PeekPointer(b)](Ptr<IpsecSa>)
                                              { OnChildExpired(raw); }));
        }
    }
}

} // namespace ns3
