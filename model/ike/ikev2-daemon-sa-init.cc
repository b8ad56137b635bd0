// Ikev2Daemon: IKE_SA_INIT for both roles (RFC 7296 1.2), from the acquire that starts it.
#include "ns3/ikev2-daemon.h"

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

} // namespace ns3
