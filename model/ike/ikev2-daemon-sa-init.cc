// Ikev2Daemon: IKE_SA_INIT for both roles (RFC 7296 1.2), from the acquire that starts it.
#include "ns3/ikev2-daemon.h"

#include "ike-daemon-private.h"
#include "ikev2-daemon-private.h"
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

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonSaInit");

using namespace ipsec;
using namespace ikev2;
using ike::kNatTPort;

namespace
{

/** Does our IKE SA offer name Diffie-Hellman group @p group in one of its proposals? */
bool
OffersGroup(const Ikev2SaPayload& offer, uint16_t group)
{
    for (const auto& p : offer.proposals)
    {
        for (const auto& t : p.transforms)
        {
            if (t.type == IKEV2_TRANSFORM_DH && t.id == group)
            {
                return true;
            }
        }
    }
    return false;
}

} // namespace

void
Ikev2Daemon::OnAcquire(const IpsecProcessor::Acquire& a)
{
    NS_LOG_FUNCTION(this << a.entry);
    if (AcquireOverExistingSa(a))
    {
        return; // CREATE_CHILD_SA over the IKE SA with the peer (ikev2-daemon-child.cc)
    }
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
    sa.spiI = NewIkeSpi();
    Begin(sa, "IKE_SA_INIT", "initiator");
    IkePolicyProvider::Phase2 p2 = provider.GetInitiatorPhase2(a.entry);
    sa.creds = provider.GetIkev2InitiatorCredentials(a.entry, sa.local, peer);
    const auto offers = provider.GetIkev2Offers(sa.local);
    const uint64_t key = Key(sa.spiI);
    auto& stored = m_sas[key] = std::move(sa);
    const std::string noRsa = stored.creds.profile.empty() ? "" : LoadRsa(stored);
    if (!p2.entry || stored.creds.profile.empty() || offers.empty() || offers[0].groups.empty() ||
        !noRsa.empty())
    {
        Done(stored, false,
             !p2.entry                      ? p2.reason
             : stored.creds.profile.empty() ? stored.creds.reason
             : !noRsa.empty()               ? noRsa
                                            : "no IKEv2 proposal applies on this address");
        return;
    }
    stored.offer = p2.offer;
    stored.ikeOffer = Ikev2MakeIkeOffer(offers);
    // The KE goes in the first group of the first proposal (RFC 7296 1.2).
    stored.group = offers[0].groups[0];
    stored.natKeepaliveSeconds = stored.creds.natKeepaliveSeconds;
    SendInitRequest(stored);
}

void
Ikev2Daemon::SendInitRequest(Sa& sa)
{
    // A restart after INVALID_KE_PAYLOAD makes a new key pair and nonce; one after COOKIE
    // sends the same payloads again (RFC 7296 2.6: the cookie covers Ni).
    if (!sa.dh)
    {
        sa.dh = std::make_unique<DhKeyPair>(sa.group, m_ike.Rng());
    }
    if (sa.ni.empty())
    {
        sa.ni = m_ike.Rng().Bytes(32);
    }
    Ikev2Message m;
    m.header = Header(sa, IKEV2_EXCH_IKE_SA_INIT, 0, false);
    if (!sa.cookie.empty())
    {
        Ikev2NotifyPayload c; // RFC 7296 2.6: the COOKIE goes first
        c.notifyType = IKEV2_N_COOKIE;
        c.data = sa.cookie;
        m.Add(c);
    }
    m.Add(sa.ikeOffer);
    Ikev2KePayload ke;
    ke.dhGroup = sa.group;
    ke.data = sa.dh->PublicValue();
    m.Add(ke);
    Ikev2NoncePayload n;
    n.nonce = sa.ni;
    m.Add(n);
    m.Add(NatDetection(sa, IKEV2_N_NAT_DETECTION_SOURCE_IP, true));
    m.Add(NatDetection(sa, IKEV2_N_NAT_DETECTION_DESTINATION_IP, false));
    sa.initRequest = m.ToBytes();
    sa.state = State::INIT_SENT;
    SendRequest(sa, sa.initRequest, 0);
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
    if (RestartInit(sa, m))
    {
        return;
    }
    for (uint16_t refusal : {IKEV2_N_NO_PROPOSAL_CHOSEN, IKEV2_N_INVALID_KE_PAYLOAD})
    {
        if (m.FindNotify(refusal))
        {
            Done(sa, false, std::string("the peer answered ") + Ikev2NotifyTypeName(refusal));
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
    EvaluateNatDetection(sa, m);
    sa.record.detail =
        sa.suite->ToString() + (sa.record.detail.empty() ? "" : " (" + sa.record.detail + ")");
    Done(sa, true, "");
    if (sa.NatDetected())
    {
        // RFC 7296 2.23: a NAT between us: IKE_AUTH and everything after go to UDP 4500.
        sa.localPort = sa.peerPort = kNatTPort;
    }
    SendAuthRequest(sa);
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
    if (ChallengeWithCookie(m, peer, peerPort, local, ike::kIkePort))
    {
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
        m_sas.erase(key); // RFC 7296 2.6: a refusal keeps no state
        return;
    }
    if (ke->dhGroup != sel.suite->group)
    {
        Ikev2NotifyPayload n;
        n.notifyType = IKEV2_N_INVALID_KE_PAYLOAD;
        n.data = {uint8_t(sel.suite->group >> 8), uint8_t(sel.suite->group)};
        r.Add(n);
        Answer(s, r, false);
        Done(s, false,
             "the peer's KE is of group " + std::to_string(ke->dhGroup) + ", not " +
                 std::to_string(sel.suite->group) + " (answered INVALID_KE_PAYLOAD)");
        // No state: the initiator restarts with the same SPIi (RFC 7296 1.2), a new exchange.
        m_sas.erase(key);
        return;
    }
    s.suite = sel.suite;
    s.group = sel.suite->group;
    s.ni = ni->nonce;
    s.spiR = NewIkeSpi();
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
    AddCertRequest(r, false); // RFC 7296 1.2: [CERTREQ] when we hold CAs to verify the peer
    r.Add(NatDetection(s, IKEV2_N_NAT_DETECTION_SOURCE_IP, true));
    r.Add(NatDetection(s, IKEV2_N_NAT_DETECTION_DESTINATION_IP, false));
    s.initResponse = r.ToBytes();
    DeriveKeys(s, ke->data);
    EvaluateNatDetection(s, m);
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

bool
Ikev2Daemon::RestartInit(Sa& sa, const Ikev2Message& m)
{
    // At most a few restarts: a responder that keeps asking for another cookie or group is
    // refused (RFC 7296 2.6 asks the initiator to bound them).
    constexpr uint32_t kMaxRestarts = 3;
    const Ikev2NotifyPayload* cookie = m.FindNotify(IKEV2_N_COOKIE);
    const Ikev2NotifyPayload* invalidKe = m.FindNotify(IKEV2_N_INVALID_KE_PAYLOAD);
    if ((!cookie && !invalidKe) || sa.initRestarts >= kMaxRestarts)
    {
        return false;
    }
    if (cookie)
    {
        if (cookie->data.empty() || cookie->data.size() > 64)
        {
            return false; // RFC 7296 3.10.1: 1 to 64 octets
        }
        sa.cookie = cookie->data;
        sa.record.detail += (sa.record.detail.empty() ? "" : "; ") + std::string("COOKIE");
        NS_LOG_INFO("IKEv2: " << sa.peer << " asks for a cookie; IKE_SA_INIT again with it");
    }
    else
    {
        // RFC 7296 1.2: the group the responder wants, if we offered it; the retry keeps SPIi.
        if (invalidKe->data.size() != 2)
        {
            return false;
        }
        const uint16_t wanted = uint16_t((invalidKe->data[0] << 8) | invalidKe->data[1]);
        if (wanted == sa.group || !OffersGroup(sa.ikeOffer, wanted))
        {
            return false;
        }
        NS_LOG_INFO("IKEv2: " << sa.peer << " wants group " << wanted << ", not " << sa.group);
        sa.record.detail += (sa.record.detail.empty() ? "" : "; ") +
                            std::string("INVALID_KE_PAYLOAD: group ") + std::to_string(sa.group) +
                            " -> " + std::to_string(wanted);
        sa.group = wanted;
        sa.dh.reset();
        sa.ni.clear();
    }
    ++sa.initRestarts;
    // One exchange record across the restarts: its messages count every one of them.
    SendInitRequest(sa);
    return true;
}

} // namespace ns3
