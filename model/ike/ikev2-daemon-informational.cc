// Ikev2Daemon: INFORMATIONAL exchanges (RFC 7296 1.4, 1.5): deleting child SAs and the IKE SA
// both ways, and the empty INFORMATIONAL as liveness check (dead peer detection, 2.4).
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

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonInformational");

using namespace ipsec;
using namespace ikev2;

namespace
{

std::string
SpiText(uint32_t spi)
{
    std::ostringstream os;
    os << "0x" << std::hex << std::uppercase << spi;
    return os.str();
}

std::string
SpiList(const std::vector<uint32_t>& spis)
{
    std::string s;
    for (uint32_t spi : spis)
    {
        s += (s.empty() ? "" : " ") + SpiText(spi);
    }
    return s;
}

} // namespace

void
Ikev2Daemon::OnInformationalRequest(Sa& sa, const Ikev2Message& m)
{
    const uint64_t key = Key(sa.spiI);
    IkeExchangeRecord rec = NewRecord(sa, "INFORMATIONAL", "responder", m.header.messageId);
    rec.messages = 2;
    rec.result = "ok";
    bool ikeDeleted = false;
    std::vector<uint32_t> theirs;
    std::vector<uint32_t> ours;
    std::vector<IpsecSaBundle*> gone;
    for (const auto& p : m.inner)
    {
        const auto* d = dynamic_cast<const Ikev2DeletePayload*>(p.get());
        if (!d)
        {
            continue;
        }
        if (d->protocol == IKEV2_PROTO_IKE)
        {
            ikeDeleted = true;
            continue;
        }
        for (uint32_t spi : d->spis)
        {
            theirs.push_back(spi);
            // The peer names its inbound SPIs: our outbound SAs of the pair.
            for (auto& [raw, c] : m_children)
            {
                if (d->protocol == IKEV2_PROTO_ESP && c.outSpi == spi && c.bundle->peer == sa.peer)
                {
                    gone.push_back(raw);
                    // RFC 7296 1.4.1: the response deletes the other direction, unless our own
                    // Delete of the pair crossed this one.
                    if (!c.deleting)
                    {
                        ours.push_back(c.inSpi);
                    }
                }
            }
        }
    }
    Ikev2Message r;
    if (!ours.empty())
    {
        Ikev2DeletePayload d;
        d.protocol = IKEV2_PROTO_ESP;
        d.spis = ours;
        r.AddInner(d);
    }
    AnswerRequest(sa, m, r);
    for (const auto* n : m.Notifies())
    {
        rec.reason += std::string(rec.reason.empty() ? "" : "; ") + "the peer notified " +
                      Ikev2NotifyTypeName(n->notifyType);
    }
    if (ikeDeleted)
    {
        rec.detail = "delete IKE SA";
        m_ike.Record(rec);
        DeleteIkeSa(key, "deleted by the peer", false);
        return;
    }
    rec.detail = theirs.empty() ? "liveness check (DPD)"
                                : "delete child SA " + SpiList(theirs) +
                                      (ours.empty() ? "" : ", answered " + SpiList(ours));
    m_ike.Record(rec);
    for (IpsecSaBundle* raw : gone)
    {
        RemoveChild(raw);
    }
}

void
Ikev2Daemon::OnInformationalResponse(Sa& sa, const Ikev2Message& m)
{
    const uint64_t key = Key(sa.spiI);
    switch (sa.task)
    {
    case Task::DELETE_CHILD:
    {
        // The peer's Delete names its inbound SPIs; our pair goes either way.
        const uint32_t spi = sa.create.spi;
        EndTask(sa, true, "");
        for (auto& [raw, c] : m_children)
        {
            if (c.inSpi == spi && c.bundle->peer == sa.peer)
            {
                RemoveChild(raw);
                break;
            }
        }
        return;
    }
    case Task::DELETE_IKE:
        EndTask(sa, true, "");
        DeleteIkeSa(key, "deleted (rekeyed or cleared)", false);
        return;
    case Task::DPD:
        EndTask(sa, true, "the peer is alive");
        sa.lastHeard = Simulator::Now();
        sa.dpdTimer = Simulator::Schedule(Seconds(std::max<uint32_t>(DpdOf(sa).interval, 1)),
                                          &Ikev2Daemon::DpdCheck, this, key);
        return;
    default:
        return;
    }
}

void
Ikev2Daemon::SendChildDelete(IpsecSaBundle* raw, bool now)
{
    auto it = m_children.find(raw);
    if (it == m_children.end())
    {
        // Not one of ours (any more): only the data plane holds it.
        return;
    }
    Child& c = it->second;
    if (c.deleting)
    {
        return;
    }
    c.deleting = true;
    const uint32_t spi = c.inSpi;
    Sa* sa = Find(c.ike);
    if (now || !sa || sa->state == State::FAILED)
    {
        RemoveChild(raw);
    }
    if (!sa || sa->state == State::FAILED)
    {
        return;
    }
    Enqueue(*sa,
            [this, spi](Sa& s)
            {
                Ikev2Message m;
                m.header.exchangeType = IKEV2_EXCH_INFORMATIONAL;
                Ikev2DeletePayload d;
                d.protocol = IKEV2_PROTO_ESP;
                d.spis = {spi}; // RFC 7296 1.4.1: our inbound SPI
                m.AddInner(d);
                s.create = PendingCreate();
                s.create.spi = spi;
                SendTask(s, Task::DELETE_CHILD, m, "INFORMATIONAL",
                         "delete child SA " + SpiText(spi));
            });
}

void
Ikev2Daemon::SendIkeDelete(Sa& sa)
{
    sa.state = State::DELETING;
    sa.dpdTimer.Cancel();
    sa.rekeyTimer.Cancel();
    Enqueue(sa,
            [this](Sa& s)
            {
                Ikev2Message m;
                m.header.exchangeType = IKEV2_EXCH_INFORMATIONAL;
                Ikev2DeletePayload d;
                d.protocol = IKEV2_PROTO_IKE; // no SPI: the IKE SA of the header
                m.AddInner(d);
                SendTask(s, Task::DELETE_IKE, m, "INFORMATIONAL", "delete IKE SA");
            });
}

// ------------------------------------------------------------------------------ DPD

IkePolicyProvider::Ikev2Dpd
Ikev2Daemon::DpdOf(const Sa& sa) const
{
    return m_ike.m_provider ? m_ike.m_provider->GetIkev2Dpd(sa.creds.profile)
                            : IkePolicyProvider::Ikev2Dpd();
}

uint64_t
Ikev2Daemon::EspPackets(uint64_t key, bool inbound) const
{
    uint64_t n = 0;
    for (const auto& [raw, c] : m_children)
    {
        if (c.ike == key)
        {
            for (const auto& s : inbound ? c.bundle->inbound : c.bundle->outbound)
            {
                n += s->GetPackets();
            }
        }
    }
    return n;
}

void
Ikev2Daemon::DpdCheck(uint64_t key)
{
    Sa* sa = Find(key);
    if (!sa || sa->state != State::ESTABLISHED)
    {
        return;
    }
    const IkePolicyProvider::Ikev2Dpd dpd = DpdOf(*sa);
    if (dpd.interval == 0)
    {
        return; // switched off since (reconfiguration)
    }
    const uint64_t in = EspPackets(key, true);
    const uint64_t out = EspPackets(key, false);
    if (in != sa->lastInbound)
    {
        sa->lastHeard = Simulator::Now();
    }
    const bool sending = out != sa->lastOutbound;
    sa->lastInbound = in;
    sa->lastOutbound = out;
    const bool quiet = Simulator::Now() - sa->lastHeard >= Seconds(dpd.interval);
    // IOS: on demand, a check only when we send and hear nothing back; periodic, whenever the
    // peer has been quiet for the interval. A request already in flight is a check itself.
    if (quiet && (dpd.periodic || sending) && !sa->inFlight)
    {
        Enqueue(*sa,
                [this](Sa& s)
                {
                    Ikev2Message m;
                    m.header.exchangeType = IKEV2_EXCH_INFORMATIONAL;
                    SendTask(s, Task::DPD, m, "INFORMATIONAL", "liveness check (DPD)");
                });
        return; // the next check is armed when it is answered
    }
    sa->dpdTimer = Simulator::Schedule(Seconds(dpd.interval), &Ikev2Daemon::DpdCheck, this, key);
}

} // namespace ns3
