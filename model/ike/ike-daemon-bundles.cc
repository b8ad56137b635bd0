// IkeDaemon, the data-plane part: negotiated SAs installed as bundles, their expiry and
// rekeying, and their removal.
#include "ike-daemon-private.h"
#include "ns3/ikev2-daemon.h"

#include "ns3/crypto-engine.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemonBundles");

using namespace ike;

Ptr<IpsecSa>
IkeDaemon::MakeIpsecSa(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, IpsecProtocol proto,
                       bool inbound, uint32_t spi) const
{
    IpsecSaConfig c;
    c.protocol = proto;
    c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    c.mode = o.set.mode;
    c.spi = spi;
    c.source = inbound ? sa->peer : sa->local;
    c.destination = inbound ? sa->local : sa->peer;
    c.selector = o.scope;
    c.label = "crypto map " + o.entry->Name();
    c.udpEncapsulated = sa->NatDetected();
    c.pfsGroup = static_cast<uint8_t>(o.pfsGroup);
    c.replayWindow = m_provider ? m_provider->GetLocalSaSettings(o.entry).replayWindow : 64;
    size_t cl = 0;
    size_t al = 0;
    switch (proto)
    {
    case IpsecProtocol::ESP:
        c.cipher = *o.set.espCipher;
        c.rfc1829 = o.set.espRfc1829;
        cl = ipsec::GetCipherInfo(c.cipher).keyLen;
        if (o.set.espAuth)
        {
            c.auth = *o.set.espAuth;
            al = ipsec::GetAuthInfo(c.auth).keyLen;
        }
        break;
    case IpsecProtocol::AH:
        c.auth = *o.set.ah;
        al = ipsec::GetAuthInfo(c.auth).keyLen;
        break;
    case IpsecProtocol::IPCOMP:
        c.compression = *o.set.comp;
        break;
    }
    if (cl + al)
    {
        IkeSaKeys k =
            IkeDeriveSaKeys(sa->keys, o.gqmxy, IsakmpProtocolOf(proto), spi, o.ni, o.nr, cl, al);
        c.cipherKey = k.cipherKey;
        c.authKey = k.authKey;
    }
    // Rekey 30 s before the seconds lifetime, or 256 KB before the kilobytes lifetime
    // (spec: "whichever comes first").
    const uint32_t secs = o.lifetimeSeconds;
    const uint64_t kb = o.lifetimeKilobytes;
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
IkeDaemon::Install(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, bool initiatedByUs)
{
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = o.scope;
    b->local = sa->local;
    b->peer = sa->peer;
    b->mode = o.set.mode;
    if (m_provider)
    {
        b->idleTimeout = Seconds(m_provider->GetLocalSaSettings(o.entry).idleSeconds);
    }
    if (sa->NatDetected())
    {
        // RFC 3948: ESP in UDP between the ports IKE floated to.
        b->udpEncapLocalPort = sa->localPort;
        b->udpEncapPeerPort = sa->peerPort;
    }
    try
    {
        for (IpsecProtocol proto : o.set.Protocols())
        {
            const uint32_t ours = proto == IpsecProtocol::ESP  ? o.ourSpis.esp
                                  : proto == IpsecProtocol::AH ? o.ourSpis.ah
                                                               : o.ourSpis.cpi;
            const uint32_t theirs = proto == IpsecProtocol::ESP  ? o.peerSpis.esp
                                    : proto == IpsecProtocol::AH ? o.peerSpis.ah
                                                                 : o.peerSpis.cpi;
            b->inbound.push_back(MakeIpsecSa(sa, o, proto, true, ours));
            b->outbound.push_back(MakeIpsecSa(sa, o, proto, false, theirs));
        }
        m_processor->InstallBundle(o.entry, b, sa->engineConnId);
        DebugInitializeSas(sa, o, b, initiatedByUs);
    }
    catch (const std::exception& e)
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.local = sa->local;
        r.peer = sa->peer;
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = std::string("negotiated SAs cannot be installed: ") + e.what();
        Record(r);
        return;
    }
    Adopt(sa, b, o, initiatedByUs);
}

void
IkeDaemon::DebugInitializeSas(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, Ptr<IpsecSaBundle> b,
                              bool initiatedByUs)
{
    for (const auto* v : {&b->inbound, &b->outbound})
    {
        for (const auto& s : *v)
        {
            IkeIpsecDebugEvent e;
            e.kind = IkeIpsecDebugEvent::Kind::INITIALIZE_SAS;
            e.at = Simulator::Now();
            e.inbound = v == &b->inbound;
            e.initiator = initiatedByUs;
            e.local = sa->local;
            e.remote = sa->peer;
            e.scope = o.scope;
            e.protocol = s->GetProtocol();
            e.set = o.set;
            e.lifetimeSeconds = o.lifetimeSeconds;
            e.lifetimeKilobytes = o.lifetimeKilobytes;
            e.spi = s->GetSpi();
            e.connId = s->GetConnId();
            IpsecDebug(e);
        }
    }
}

void
IkeDaemon::Adopt(Ptr<IkeSa> sa, Ptr<IpsecSaBundle> b, const IkeQuickModeOutcome& o,
                 bool initiatedByUs)
{
    BundleInfo info;
    info.bundle = b;
    info.entry = o.entry;
    info.initiatedByUs = initiatedByUs;
    KeepBundle(PeekPointer(b), info);
    for (auto* v : {&b->inbound, &b->outbound})
    {
        for (auto& s : *v)
        {
            // By raw pointer: a Ptr here would make SA -> callback -> bundle -> SA a cycle.
            s->TraceConnectWithoutContext("SoftExpiry",
                                          MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                              [this, raw = PeekPointer(b)](Ptr<IpsecSa> sa)
                                              { OnSoftExpiry(raw, sa); }));
            s->TraceConnectWithoutContext("HardExpiry",
                                          MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                              [this, raw = PeekPointer(b)](Ptr<IpsecSa> sa)
                                              { OnHardExpiry(raw, sa); }));
            // (The SAD started its lifetime when the bundle was installed.)
        }
    }
    // The peer is the one last heard from for this entry's flows.
    const auto& peers = o.entry->peers;
    auto pi = std::find(peers.begin(), peers.end(), sa->peer);
    if (pi != peers.end())
    {
        m_lastPeer[o.entry->id] = static_cast<size_t>(pi - peers.begin());
        o.entry->lastPeerHeard = sa->peer;
    }
}

void
IkeDaemon::HeardFrom(Ipv4Address peer)
{
    // Load sharing: a negotiation request from a peer makes it the peer last heard from for
    // the entries that list it (ESP on an entry's SAs does the same in the data plane).
    Ptr<Ipv4> ipv4 = m_processor->GetNode()->GetObject<Ipv4>();
    for (uint32_t i = 0; ipv4 && i < ipv4->GetNInterfaces(); ++i)
    {
        Ptr<IpsecSpd> spd = m_processor->GetSpd(i);
        for (const auto& e : spd ? spd->GetEntries() : std::vector<Ptr<IpsecPolicyEntry>>{})
        {
            if (std::find(e->peers.begin(), e->peers.end(), peer) != e->peers.end())
            {
                e->lastPeerHeard = peer;
            }
        }
    }
}

// ------------------------------------------------------------------------------ expiry, rekey

void
IkeDaemon::OnSoftExpiry(IpsecSaBundle* raw, Ptr<IpsecSa> sa)
{
    auto it = m_bundles.find(raw);
    if (it == m_bundles.end())
    {
        return;
    }
    Ptr<IpsecSaBundle> bundle = it->second.bundle;
    if (it == m_bundles.end() || it->second.rekeyStarted || !it->second.initiatedByUs ||
        !m_provider)
    {
        return;
    }
    // "An SA that carried no traffic is not renegotiated": the next packet brings a new one.
    uint64_t packets = 0;
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            packets += s->GetPackets();
        }
    }
    if (packets == 0)
    {
        return;
    }
    it->second.rekeyStarted = true;
    Negotiation n;
    n.id = m_nextNegotiation++;
    n.entry = it->second.entry;
    n.scope = bundle->scope;
    n.local = bundle->local;
    n.peers = n.entry->peers.empty() ? std::vector<Ipv4Address>{bundle->peer} : n.entry->peers;
    auto pi = std::find(n.peers.begin(), n.peers.end(), bundle->peer);
    n.index = pi == n.peers.end() ? 0 : static_cast<size_t>(pi - n.peers.begin());
    n.rekey = true;
    m_negotiations[n.id] = n;
    NS_LOG_INFO("IKE: rekeying " << n.entry->Name() << " with " << bundle->peer);
    StartNegotiation(n.id);
}

void
IkeDaemon::OnHardExpiry(IpsecSaBundle* raw, Ptr<IpsecSa> sa)
{
    auto it = m_bundles.find(raw);
    if (it != m_bundles.end())
    {
        // Not from inside the SA's own expiry event: removing the bundle may free the SA.
        Simulator::ScheduleNow(&IkeDaemon::RemoveBundleFromPlane, this, it->second.bundle);
    }
}

void
IkeDaemon::RemoveBundleFromPlane(Ptr<IpsecSaBundle> bundle)
{
    auto it = m_bundles.find(PeekPointer(bundle));
    if (it == m_bundles.end())
    {
        return;
    }
    Ptr<IpsecPolicyEntry> entry = it->second.entry;
    DropBundle(it);
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            m_spis.erase(s->GetSpi());
            if (!s->IsExpired())
            {
                s->Expire();
            }
        }
    }
    if (std::find(entry->bundles.begin(), entry->bundles.end(), bundle) != entry->bundles.end())
    {
        m_processor->RemoveBundle(entry, bundle);
    }
}

void
IkeDaemon::OnBundleIdle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << entry << bundle);
    auto it = m_bundles.find(PeekPointer(bundle));
    if (it != m_bundles.end())
    {
        IkeExchangeRecord r;
        r.exchange = "informational";
        r.local = bundle->local;
        r.peer = bundle->peer;
        r.start = r.end = Simulator::Now();
        r.role = "initiator";
        r.result = "ok";
        r.reason = "no traffic for " +
                   std::to_string(static_cast<uint64_t>(bundle->idleTimeout.GetSeconds())) +
                   " s (security-association idle-time): SAs deleted";
        Record(r);
    }
    DeleteBundle(entry, bundle);
}

void
IkeDaemon::DeleteBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << entry << bundle);
    if (m_ikev2 && m_ikev2->OwnsChild(bundle))
    {
        m_ikev2->DeleteChild(bundle); // an IKEv2 child SA: INFORMATIONAL Delete
        return;
    }
    if (!m_bundles.count(PeekPointer(bundle)))
    {
        m_processor->RemoveBundle(entry, bundle);
        return;
    }
    Ptr<IkeSa> sa = FindEstablished(bundle->local, bundle->peer);
    if (sa)
    {
        // RFC 2408 3.15: one delete per protocol, with our inbound SPIs (the peer's outbound).
        for (auto& s : bundle->inbound)
        {
            const uint8_t proto = IsakmpProtocolOf(s->GetProtocol());
            IsakmpDeletePayload d(proto, proto == ISAKMP_PROTO_IPCOMP ? 2 : 4);
            if (proto == ISAKMP_PROTO_IPCOMP)
            {
                const uint16_t cpi = static_cast<uint16_t>(s->GetSpi());
                d.AddSpi({uint8_t(cpi >> 8), uint8_t(cpi)});
            }
            else
            {
                d.AddSpi32(s->GetSpi());
            }
            SendInformational(sa, d, "delete");
        }
    }
    RemoveBundleFromPlane(bundle);
}

} // namespace ns3
