// Ikev2Daemon: IKE_AUTH for both roles with pre-shared keys (RFC 7296 1.2, 2.15), creating the
// first child SA, and its error notifies.
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

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonAuth");

using namespace ipsec;
using namespace ikev2;

void
Ikev2Daemon::SendAuthRequest(Sa& sa)
{
    Begin(sa, "IKE_AUTH", "initiator");
    sa.childSpi = m_ike.AllocateSpi(false);
    Ikev2Message m;
    m.header = Header(sa, IKEV2_EXCH_IKE_AUTH, 1, false);
    const Ikev2IdPayload idi = OwnId(sa, IKEV2_PAYLOAD_IDI);
    m.AddInner(idi);
    AddAuth(sa, m, idi, true);
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
    FollowPeer(sa);
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
    if (const std::string why = CheckPeerAuth(sa, m, *idr, *auth, false); !why.empty())
    {
        Done(sa, false, why);
        return;
    }
    Ikev2ChildSelection sel = Ikev2AcceptChildReply(*child, sa.offer);
    if (!sel.set)
    {
        Done(sa, false, sel.reason);
        return;
    }
    bool narrowed = false;
    if (const std::string why = AcceptTsReply(sa, m, &narrowed); !why.empty())
    {
        Done(sa, false, why);
        return;
    }
    sa.state = State::ESTABLISHED;
    sa.record.detail = sel.set->ToString() + (narrowed ? " (traffic selectors narrowed)" : "");
    InstallChild(sa, *sel.set, sel.peerSpi);
    Done(sa, true, "");
    StartNatKeepalive(sa);
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
    FollowPeer(sa); // to UDP 4500, where the initiator moved when it found a NAT
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
    std::string refusal = sa.creds.profile.empty() ? sa.creds.reason : LoadRsa(sa);
    if (refusal.empty())
    {
        refusal = CheckPeerAuth(sa, m, *idi, *auth, true);
    }
    if (!refusal.empty())
    {
        RefuseAuth(sa, IKEV2_N_AUTHENTICATION_FAILED, refusal);
        return;
    }
    bool narrowed = false;
    const IkePolicyProvider::Phase2 p2 = ChildScope(sa, *tsi, *tsr, &narrowed);
    if (!p2.entry)
    {
        RefuseAuth(sa, IKEV2_N_TS_UNACCEPTABLE, p2.reason);
        return;
    }
    sa.entry = p2.entry;
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
    const Ikev2IdPayload idr = OwnId(sa, IKEV2_PAYLOAD_IDR);
    r.AddInner(idr);
    AddAuth(sa, r, idr, false);
    r.AddInner(sel.reply);
    Ikev2TsPayload ourTsi(IKEV2_PAYLOAD_TSI);
    ourTsi.selectors.push_back(Ikev2SelectorOf(sa.scope, false));
    Ikev2TsPayload ourTsr(IKEV2_PAYLOAD_TSR);
    ourTsr.selectors.push_back(Ikev2SelectorOf(sa.scope, true));
    r.AddInner(narrowed ? ourTsi : *tsi); // RFC 7296 2.9: what we accept of TSi/TSr
    r.AddInner(narrowed ? ourTsr : *tsr);
    Answer(sa, r, true);
    sa.state = State::ESTABLISHED;
    sa.record.detail = sel.set->ToString() + (narrowed ? " (traffic selectors narrowed)" : "");
    InstallChild(sa, *sel.set, sel.peerSpi);
    Done(sa, true, "");
    sa.state = State::ESTABLISHED;
    sa.natKeepaliveSeconds = sa.creds.natKeepaliveSeconds;
    StartNatKeepalive(sa);
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

} // namespace ns3
