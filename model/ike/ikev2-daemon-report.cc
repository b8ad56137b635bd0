// Ikev2Daemon: what the IOS shows and debugs read of the IKE SAs, as read-only snapshots
// (`show crypto ikev2 sa|session`, `show crypto session`, `debug crypto ikev2`).
#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/x509-verify.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonReport");

namespace
{
/** How long a failed IKE SA is still listed as DELETE (IOS frees it after a short timer; the
 *  same ten seconds as the IKEv1 shows' "ACTIVE (deleted)"). */
constexpr double kDeletedLingerSeconds = 10.0;

/** An identity as IOS prints it: the address, or the name as it came. */
std::string
IdentityText(uint8_t type, const std::vector<uint8_t>& id)
{
    if (type == IKEV2_ID_DER_ASN1_DN)
    {
        return ipsec::X509NameText(id); // `identity local dn`: the subject as IOS prints it
    }
    if (type == IKEV2_ID_IPV4_ADDR && id.size() == 4)
    {
        std::ostringstream os;
        os << Ipv4Address((uint32_t(id[0]) << 24) | (uint32_t(id[1]) << 16) |
                          (uint32_t(id[2]) << 8) | id[3]);
        return os.str();
    }
    return std::string(id.begin(), id.end());
}
} // namespace

std::vector<Ikev2SaReport>
Ikev2Daemon::GetSaReports() const
{
    NS_LOG_FUNCTION(this);
    std::vector<Ikev2SaReport> out;
    for (const auto& [key, sa] : m_sas)
    {
        const bool failed = sa.state == State::FAILED;
        if ((failed && (Simulator::Now() - sa.record.end).GetSeconds() >= kDeletedLingerSeconds) ||
            !sa.tunnelId)
        {
            continue;
        }
        Ikev2SaReport r;
        r.tunnelId = sa.tunnelId;
        r.status = failed || sa.state == State::DELETING ? Ikev2SaReport::Status::DELETE
                   : sa.state == State::ESTABLISHED      ? Ikev2SaReport::Status::READY
                                                         : Ikev2SaReport::Status::IN_NEG;
        r.initiator = sa.initiator;
        r.local = sa.local;
        r.localPort = sa.localPort;
        r.peer = sa.peer;
        r.peerPort = sa.peerPort;
        r.suite = sa.suite;
        r.localSpi = sa.initiator ? sa.spiI : sa.spiR;
        r.remoteSpi = sa.initiator ? sa.spiR : sa.spiI;
        r.profile = sa.creds.profile;
        if (!sa.creds.profile.empty())
        {
            const Ikev2IdPayload id = OwnId(sa, IKEV2_PAYLOAD_IDI);
            r.localId = IdentityText(id.idType, id.data);
        }
        std::ostringstream peer;
        peer << sa.peer;
        r.remoteId = sa.peerSubject.empty() ? peer.str() : sa.peerSubject;
        r.natInside = sa.natLocal;
        r.natOutside = sa.natRemote;
        r.lifetimeSeconds = sa.creds.lifetimeSeconds;
        r.created = sa.created;
        // Message IDs (RFC 7296 2.2): ours count our requests, the peer's its requests we
        // answered.
        r.localNextMessageId = sa.nextRequestId;
        r.remoteNextMessageId = sa.answered ? sa.responseId + 1 : 0;
        r.failure = failed ? sa.record.reason : "";
        for (const auto& [raw, child] : m_children)
        {
            if (child.ike == key && !child.replaced)
            {
                r.children.push_back(child.bundle);
            }
        }
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(),
              [](const Ikev2SaReport& a, const Ikev2SaReport& b)
              { return a.tunnelId < b.tunnelId; });
    return out;
}

void
Ikev2Daemon::NoteMessage(const std::vector<uint8_t>& bytes, bool sent, Ipv4Address local,
                         uint16_t localPort, Ipv4Address peer, uint16_t peerPort)
{
    Ikev2DebugMessage d;
    d.at = Simulator::Now();
    d.sent = sent;
    d.local = local;
    d.localPort = localPort;
    d.peer = peer;
    d.peerPort = peerPort;
    if (!d.header.Read(bytes.data(), bytes.size()).Ok())
    {
        return; // the daemon drops it too
    }
    auto it = m_sas.find(Key(d.header.spiI));
    const Sa* sa = it != m_sas.end() && it->second.peer == peer ? &it->second : nullptr;
    d.tunnelId = sa ? sa->tunnelId : 0;
    d.retransmission = sent && sa && sa->retries > 0 && bytes == sa->request;
    // What we send is sealed with our keys, what we receive with the peer's: either opens
    // with the cipher of its direction.
    ipsec::Ikev2SkCipher* cipher = sa ? (sent ? sa->out.get() : sa->in.get()) : nullptr;
    Ikev2Message m;
    const bool opened = cipher && m.Open(bytes.data(), bytes.size(), *cipher).Ok();
    if (!opened && !m.Parse(bytes.data(), bytes.size()).Ok())
    {
        d.payloads.emplace_back(IKEV2_PAYLOAD_NONE, 0); // nothing readable
        m_debug.push_back(std::move(d));
        return;
    }
    auto add = [&d](const std::vector<std::unique_ptr<Ikev2Payload>>& chain)
    {
        for (const auto& p : chain)
        {
            if (p->GetType() == IKEV2_PAYLOAD_SK)
            {
                continue;
            }
            const auto* n = dynamic_cast<const Ikev2NotifyPayload*>(p.get());
            d.payloads.emplace_back(p->GetType(), n ? n->notifyType : 0);
        }
    };
    add(m.payloads);
    if (opened)
    {
        add(m.inner);
    }
    else if (!m.payloads.empty() && m.payloads.back()->GetType() == IKEV2_PAYLOAD_SK)
    {
        d.payloads.emplace_back(IKEV2_PAYLOAD_SK, 0); // still encrypted
    }
    m_debug.push_back(std::move(d));
}

std::vector<Ikev2SaReport>
IkeDaemon::GetIkev2SaReports() const
{
    return m_ikev2 ? m_ikev2->GetSaReports() : std::vector<Ikev2SaReport>{};
}

const std::vector<Ikev2DebugMessage>&
IkeDaemon::GetIkev2DebugMessages() const
{
    static const std::vector<Ikev2DebugMessage> none;
    return m_ikev2 ? m_ikev2->GetDebugMessages() : none;
}

} // namespace ns3
