// IkeDaemon, the negotiation part: acquires from the data plane become negotiations, which
// try the crypto map's peers in turn (failover), wait for phase 1 and run quick mode.
#include "ike-daemon-private.h"

#include "ns3/crypto-engine.h"
#include "ns3/ike-initial-contact.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemonNegotiation");

using namespace ike;

void
IkeDaemon::OnAcquire(const IpsecProcessor::Acquire& acq)
{
    if (!m_provider || !acq.entry)
    {
        return;
    }
    if (m_ikev2 && m_provider->UsesIkev2(acq.entry))
    {
        m_ikev2->OnAcquire(acq); // `set ikev2-profile`: IKEv2's to negotiate
        return;
    }
    for (const auto& [id, n] : m_negotiations)
    {
        if (n.entry == acq.entry && n.scope.srcAddr == acq.scope.srcAddr &&
            n.scope.dstAddr == acq.scope.dstAddr && n.scope.srcWildcard == acq.scope.srcWildcard &&
            n.scope.dstWildcard == acq.scope.dstWildcard && n.scope.protocol == acq.scope.protocol)
        {
            return; // already negotiating: IOS drops the packet meanwhile
        }
    }
    auto held = m_holdDown.find(acq.entry->id);
    if (held != m_holdDown.end() && Simulator::Now() < held->second)
    {
        return; // a negotiation for this entry failed a moment ago: not again at once
    }
    // Peers given by host name with `dynamic` are resolved now, at each negotiation.
    std::vector<Ipv4Address> peers = m_provider->ResolvePeers(acq.entry);
    if (peers.empty())
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.role = "initiator";
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = "crypto map " + acq.entry->Name() +
                   (acq.entry->peers.empty() ? " has no peer (set peer)"
                                             : ": no peer's host name resolves (set peer ... "
                                               "dynamic)");
        Record(r);
        return;
    }
    Negotiation n;
    n.id = m_nextNegotiation++;
    n.entry = acq.entry;
    n.scope = acq.scope;
    n.local = m_processor->GetLocalAddress(acq.ifIndex);
    n.peers = peers;
    // Load sharing: the peer last heard from (by IKE or ESP) first, else where failover left.
    auto heard = std::find(n.peers.begin(), n.peers.end(), acq.entry->lastPeerHeard);
    auto lp = m_lastPeer.find(acq.entry->id);
    n.index = heard != n.peers.end()   ? static_cast<size_t>(heard - n.peers.begin())
              : lp == m_lastPeer.end() ? 0
                                       : lp->second % n.peers.size();
    m_negotiations[n.id] = n;
    StartNegotiation(n.id);
}

Ptr<IkeSa>
IkeDaemon::FindEstablished(Ipv4Address local, Ipv4Address peer) const
{
    Ptr<IkeSa> best;
    for (const auto& [k, sa] : m_sas)
    {
        if (sa->peer == peer && sa->local == local && sa->IsEstablished() &&
            (!best || sa->created > best->created))
        {
            best = sa;
        }
    }
    return best;
}

void
IkeDaemon::StartNegotiation(uint64_t id)
{
    auto it = m_negotiations.find(id);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    const Ipv4Address peer = n.peers[n.index];
    if (Ptr<IkeSa> sa = FindEstablished(n.local, peer))
    {
        StartQuickMode(sa, id);
        return;
    }
    for (const auto& [ic, a] : m_phase1)
    {
        Ptr<IkeSa> sa = a.task->GetSa();
        if (!a.done && sa->initiator && sa->peer == peer && sa->local == n.local)
        {
            n.waitingPhase1 = ic;
            return;
        }
    }
    Ptr<IkeSa> sa = Create<IkeSa>();
    sa->connId = m_nextConnId++;
    AssignEngine(sa, peer);
    sa->initiator = true;
    sa->local = n.local;
    sa->peer = peer;
    sa->begun = Simulator::Now();
    sa->sendInitialContact = FirstContact(peer);
    IkeBytes c = m_idRng->Bytes(8);
    std::copy(c.begin(), c.end(), sa->icookie.begin());
    const uint64_t ic = CookieKey(sa->icookie);
    KeepSa(ic, sa);
    n.waitingPhase1 = ic;
    Active& a = m_phase1[ic];
    if (m_aggressivePeers.count(peer))
    {
        a.task = std::make_unique<IkeAggressiveMode>(*this, sa);
    }
    else
    {
        a.task = std::make_unique<IkeMainMode>(*this, sa);
    }
    a.task->record.start = Simulator::Now();
    Transmit(a, sa, true, ic, 0);
}

void
IkeDaemon::StartQuickMode(Ptr<IkeSa> sa, uint64_t negotiation)
{
    auto it = m_negotiations.find(negotiation);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    n.waitingPhase1 = 0;
    IkePolicyProvider::Phase2 p2 = m_provider->GetInitiatorPhase2(n.entry);
    if (!p2.entry)
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.role = "initiator";
        r.local = sa->local;
        r.peer = sa->peer;
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = p2.reason;
        Record(r);
        m_negotiations.erase(it);
        return;
    }
    uint32_t mid = 0;
    while (mid == 0 || m_phase2.count({CookieKey(sa->icookie), mid}))
    {
        mid = m_rng->Uint32();
    }
    IkeAdjustModes(p2.offer, n.scope, sa->local, sa->peer);
    p2.offer.udpEncapsulation = sa->NatDetected();
    for (const auto& set : p2.offer.sets)
    {
        for (IpsecProtocol proto : set.Protocols())
        {
            IkeIpsecDebugEvent e;
            e.kind = IkeIpsecDebugEvent::Kind::SA_REQUEST;
            e.at = Simulator::Now();
            e.initiator = true;
            e.local = sa->local;
            e.remote = sa->peer;
            e.scope = n.scope;
            e.protocol = proto;
            e.set = set;
            e.lifetimeSeconds = p2.offer.lifetimeSeconds;
            e.lifetimeKilobytes = p2.offer.lifetimeKilobytes;
            IpsecDebug(e);
        }
    }
    const uint64_t ic = CookieKey(sa->icookie);
    Active& a = m_phase2[{ic, mid}];
    a.negotiation = negotiation;
    a.task = std::make_unique<IkeQuickMode>(*this, sa, mid, n.entry, p2.offer, n.scope);
    a.task->record.start = Simulator::Now();
    Transmit(a, sa, false, ic, mid);
}

void
IkeDaemon::NextPeer(uint64_t id, const std::string& reason)
{
    auto it = m_negotiations.find(id);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    ++n.tried;
    if (n.tried >= n.peers.size())
    {
        NS_LOG_INFO("IKE: negotiation for " << n.entry->Name()
                                            << " failed with every peer: " << reason);
        m_holdDown[n.entry->id] = Simulator::Now() + m_failureHoldDown;
        m_processor->DropHeld(n.entry);
        m_negotiations.erase(it);
        return;
    }
    // "If the attempt fails with the first peer, IKE tries the next peer on the crypto map list."
    n.index = (n.index + 1) % n.peers.size();
    StartNegotiation(id);
}

void
IkeDaemon::Phase1Done(Ptr<IkeSa> sa, bool ok, const std::string& reason)
{
    const uint64_t ic = CookieKey(sa->icookie);
    std::vector<uint64_t> waiting;
    for (const auto& [id, n] : m_negotiations)
    {
        if (n.waitingPhase1 == ic)
        {
            waiting.push_back(id);
        }
    }
    if (!ok)
    {
        sa->failure = reason;
        sa->state = IkeSaState::DELETED;
        ReleaseEngine(sa);
        DropSa(ic);
        RememberDeleted(sa);
        for (uint64_t id : waiting)
        {
            m_negotiations[id].waitingPhase1 = 0;
            NextPeer(id, reason);
        }
        return;
    }
    sa->created = Simulator::Now();
    sa->lastHeard = Simulator::Now();
    if (sa->peerInitialContact)
    {
        ForgetPeer(sa);
    }
    m_decryptionTable.emplace_back(ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end())),
                                   ipsec::ToHex(sa->keys.encryptionKey));
    // By cookie: a Ptr in the event would make IkeSa -> EventId -> event -> IkeSa a cycle.
    sa->expiry = ScheduleLambda(Seconds(sa->policy.lifetimeSeconds),
                                [this, ic]()
                                {
                                    auto it = m_sas.find(ic);
                                    if (it != m_sas.end())
                                    {
                                        DeleteIkeSa(it->second, "phase-1 lifetime expired", true);
                                    }
                                });
    if (m_natKeepaliveSeconds && sa->natLocal)
    {
        // RFC 3948 2.3 / `crypto isakmp nat keepalive S`: the side behind the NAT keeps its
        // mapping alive while the SA lives.
        sa->natKeepaliveEvent =
            Simulator::Schedule(Seconds(m_natKeepaliveSeconds), &IkeDaemon::NatKeepalive, this, ic);
    }
    if (const uint32_t dpd = DpdOf(sa->peer).seconds; dpd && sa->peerSupportsDpd)
    {
        m_dpdCounters[ic] = {PacketsWithPeer(sa->peer, false), PacketsWithPeer(sa->peer, true)};
        sa->dpdEvent = Simulator::Schedule(Seconds(dpd), &IkeDaemon::DpdCheck, this, ic);
        sa->dpdActive = true;
    }
    for (uint64_t id : waiting)
    {
        StartQuickMode(sa, id);
    }
}

void
IkeDaemon::AssignEngine(Ptr<IkeSa> sa, Ipv4Address peer)
{
    // IOS gives each IKE SA a connection on a crypto engine (Multi-ISA: the card holding
    // fewer); its IPsec SAs go to the same engine when it does their transform.
    if (Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr)
    {
        std::ostringstream label;
        label << peer;
        sa->engineConnId = engines->AssignIkeSa(label.str(), sa->connId).connId;
    }
}

void
IkeDaemon::ReleaseEngine(Ptr<IkeSa> sa)
{
    Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr;
    if (engines && sa->engineConnId)
    {
        engines->Release(sa->engineConnId);
        sa->engineConnId = 0;
    }
}

void
IkeDaemon::ForgetPeer(Ptr<IkeSa> sa)
{
    // RFC 2407 4.6.3.3: INITIAL-CONTACT tells that the peer has rebooted and lost every SA it
    // had with us. Ours are stale: they go, without a word to the peer (it knows none of them).
    // Kept, the stale ISAKMP SA would go on with DPD and, unanswered, declare the peer dead
    // and take down the SAs just negotiated with it.
    std::vector<Ptr<IkeSa>> stale;
    if (auto s = m_sasByPeer.find(sa->peer.Get()); s != m_sasByPeer.end())
    {
        for (uint64_t k : s->second)
        {
            const Ptr<IkeSa>& other = m_sas.at(k);
            if (other != sa && IkeStaleAfterInitialContact(*other, *sa))
            {
                stale.push_back(other);
            }
        }
    }
    std::vector<Ptr<IpsecSaBundle>> gone;
    if (auto b = m_bundlesByPeer.find(sa->peer.Get()); b != m_bundlesByPeer.end())
    {
        for (IpsecSaBundle* bp : b->second)
        {
            if (IkeStaleAfterInitialContact(*bp, *sa))
            {
                gone.push_back(bp);
            }
        }
    }
    if (stale.empty() && gone.empty())
    {
        return;
    }
    for (auto& other : stale)
    {
        DeleteIkeSa(other, "peer sent INITIAL-CONTACT (it rebooted)", false);
    }
    for (auto& b : gone)
    {
        RemoveBundleFromPlane(b);
    }
    RecordInformational(sa, "responder", "ok",
                        "peer sent INITIAL-CONTACT: " + std::to_string(stale.size()) +
                            " ISAKMP SA(s) and " + std::to_string(gone.size()) +
                            " IPsec SA bundle(s) held with it removed",
                        0, 0);
}

void
IkeDaemon::QuickModeDone(Active& a, bool ok, const std::string& reason)
{
    auto* qm = static_cast<IkeQuickMode*>(a.task.get());
    Ptr<IkeSa> sa = qm->GetSa();
    if (!ok)
    {
        if (qm->IsInitiator())
        {
            NextPeer(a.negotiation, reason);
        }
        return;
    }
    Install(sa, qm->GetOutcome(), qm->IsInitiator());
    if (qm->IsInitiator())
    {
        m_negotiations.erase(a.negotiation);
    }
}

void
IkeDaemon::KeepSa(uint64_t ic, Ptr<IkeSa> sa)
{
    auto it = m_sas.find(ic);
    if (it != m_sas.end())
    {
        m_sasByPeer[it->second->peer.Get()].erase(ic);
    }
    m_sas[ic] = sa;
    m_sasByPeer[sa->peer.Get()].insert(ic);
}

void
IkeDaemon::DropSa(uint64_t ic)
{
    auto it = m_sas.find(ic);
    if (it == m_sas.end())
    {
        return;
    }
    auto p = m_sasByPeer.find(it->second->peer.Get());
    if (p != m_sasByPeer.end() && p->second.erase(ic) && p->second.empty())
    {
        m_sasByPeer.erase(p);
    }
    m_sas.erase(it);
}

void
IkeDaemon::DropAllSas()
{
    m_sas.clear();
    m_sasByPeer.clear();
}

void
IkeDaemon::KeepBundle(IpsecSaBundle* b, const BundleInfo& info)
{
    m_bundles[b] = info;
    m_bundlesByPeer[b->peer.Get()].insert(b);
}

void
IkeDaemon::DropBundle(std::map<IpsecSaBundle*, BundleInfo>::iterator it)
{
    auto p = m_bundlesByPeer.find(it->first->peer.Get());
    if (p != m_bundlesByPeer.end() && p->second.erase(it->first) && p->second.empty())
    {
        m_bundlesByPeer.erase(p);
    }
    m_bundles.erase(it);
}

} // namespace ns3
