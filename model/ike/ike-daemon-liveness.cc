// IkeDaemon, the liveness part: NAT keepalives (RFC 3948 2.3) and dead peer detection
// (RFC 3706), and what a dead peer's SAs become.
#include "ike-daemon-private.h"

#include "ns3/crypto-engine.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemonLiveness");

using namespace ike;

// ------------------------------------------------------------------------------ NAT keepalive

void
IkeDaemon::NatKeepalive(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end() || it->second->localPort != kNatTPort)
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    auto sock = m_sockets.find({sa->local, kNatTPort});
    if (sock != m_sockets.end())
    {
        const uint8_t ff = 0xff; // RFC 3948 2.3: one octet, 0xFF
        sock->second->SendTo(Create<Packet>(&ff, 1), 0, InetSocketAddress(sa->peer, sa->peerPort));
        ++m_natKeepalivesSent;
    }
    sa->natKeepaliveEvent = Simulator::Schedule(Seconds(m_natKeepaliveSeconds),
                                                &IkeDaemon::NatKeepalive, this, icookie);
}

// ------------------------------------------------------------------------------ DPD

uint64_t
IkeDaemon::PacketsWithPeer(Ipv4Address peer, bool inbound) const
{
    uint64_t n = 0;
    for (const auto& [bp, info] : m_bundles)
    {
        if (bp->peer != peer)
        {
            continue;
        }
        for (const auto& s : inbound ? bp->inbound : bp->outbound)
        {
            n += s->GetPackets();
        }
    }
    return n;
}

IkePolicyProvider::Keepalive
IkeDaemon::DpdOf(Ipv4Address peer) const
{
    if (m_provider)
    {
        if (auto k = m_provider->GetPeerKeepalive(peer))
        {
            return *k;
        }
    }
    return {m_dpdSeconds, m_dpdRetry};
}

void
IkeDaemon::DpdCheck(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end())
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    auto& [lastOut, lastIn] = m_dpdCounters[icookie];
    const uint64_t out = PacketsWithPeer(sa->peer, false);
    const uint64_t in = PacketsWithPeer(sa->peer, true);
    if (in != lastIn)
    {
        sa->lastHeard = Simulator::Now();
    }
    const bool sending = out != lastOut;
    lastOut = out;
    lastIn = in;
    const IkePolicyProvider::Keepalive dpd = DpdOf(sa->peer);
    if (dpd.seconds == 0)
    {
        return; // switched off since (reconfiguration)
    }
    const bool quiet = Simulator::Now() - sa->lastHeard >= Seconds(dpd.seconds);
    // RFC 3706 5.3: on demand, ask only when we send and hear nothing back; periodic: whenever
    // the peer has been quiet.
    if (quiet && (m_dpdPeriodic || sending) && sa->dpdOutstanding == 0)
    {
        sa->dpdOutstanding = 1;
        sa->dpdSequence =
            sa->dpdSequence ? sa->dpdSequence + 1 : (m_rng->Uint32() & 0x7fffffff) + 1;
        SendInformational(
            sa,
            IsakmpNotificationPayload::DpdNotify(false, sa->icookie, sa->rcookie, sa->dpdSequence),
            "DPD R-U-THERE");
        sa->dpdEvent = Simulator::Schedule(Seconds(dpd.retry), &IkeDaemon::DpdRetry, this, icookie);
        return;
    }
    sa->dpdEvent = Simulator::Schedule(Seconds(dpd.seconds), &IkeDaemon::DpdCheck, this, icookie);
}

void
IkeDaemon::DpdRetry(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end())
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    if (sa->dpdOutstanding == 0)
    {
        sa->lastHeard = Simulator::Now();
        sa->dpdEvent = Simulator::Schedule(Seconds(DpdOf(sa->peer).seconds), &IkeDaemon::DpdCheck,
                                           this, icookie);
        return;
    }
    if (sa->dpdOutstanding >= m_dpdMaxRetries)
    {
        PeerDead(sa);
        return;
    }
    ++sa->dpdOutstanding;
    ++sa->dpdSequence;
    SendInformational(
        sa, IsakmpNotificationPayload::DpdNotify(false, sa->icookie, sa->rcookie, sa->dpdSequence),
        "DPD R-U-THERE (retry)");
    sa->dpdEvent =
        Simulator::Schedule(Seconds(DpdOf(sa->peer).retry), &IkeDaemon::DpdRetry, this, icookie);
}

void
IkeDaemon::PeerDead(Ptr<IkeSa> sa)
{
    RecordInformational(sa, "initiator", "failed",
                        "peer dead: " + std::to_string(sa->dpdOutstanding) +
                            " R-U-THERE unanswered; its ISAKMP and IPsec SAs are removed",
                        0, 0); // the R-U-THEREs have their own records: no message here
    const Ipv4Address dead = sa->peer;
    DeleteIkeSa(sa, "peer dead (DPD)", false);
    std::vector<Ptr<IpsecSaBundle>> gone;
    for (const auto& [bp, info] : m_bundles)
    {
        if (bp->peer == dead)
        {
            gone.push_back(bp);
            const auto& peers = info.entry->peers;
            auto pi = std::find(peers.begin(), peers.end(), dead);
            if (pi != peers.end() && peers.size() > 1)
            {
                // Traffic moves on: the next peer of the list is tried first.
                m_lastPeer[info.entry->id] =
                    (static_cast<size_t>(pi - peers.begin()) + 1) % peers.size();
                info.entry->lastPeerHeard = Ipv4Address::GetAny();
            }
        }
    }
    for (auto& b : gone)
    {
        RemoveBundleFromPlane(b);
    }
}

} // namespace ns3
