// Ikev2Daemon: NAT traversal (RFC 7296 2.23, RFC 3948) and the responder's cookies under load
// (RFC 7296 2.6): the NAT_DETECTION notifies both ways, the move to UDP 4500, following the
// peer's address and port, NAT keepalives, and the COOKIE answer to IKE_SA_INIT.
#include "ns3/ikev2-daemon.h"

#include "ike-daemon-private.h"
#include "ikev2-daemon-private.h"
#include "ns3/ikev2-constants.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonNat");

using namespace ipsec;
using namespace ikev2;
using ike::kNatTPort;

Ikev2NotifyPayload
Ikev2Daemon::NatDetection(const Sa& sa, uint16_t type, bool source) const
{
    // RFC 7296 2.23: SHA-1(SPIi | SPIr | IP | port) of where the message comes from or goes.
    Ikev2NotifyPayload n;
    n.notifyType = type;
    n.data = Ikev2NatDetectionHash(Bytes8(sa.spiI), Bytes8(sa.spiR),
                                   AddressBytes(source ? sa.local : sa.peer),
                                   source ? sa.localPort : sa.peerPort);
    return n;
}

void
Ikev2Daemon::EvaluateNatDetection(Sa& sa, const Ikev2Message& m)
{
    // The hashes are over the SPIs of the message that carries them (SPIr zero in the request)
    // and the addresses and ports the datagram had when it reached us.
    const Ipv4Address from = sa.fromPeerPort ? sa.fromPeer : sa.peer;
    const uint16_t fromPort = sa.fromPeerPort ? sa.fromPeerPort : sa.peerPort;
    const uint16_t toPort = sa.fromLocalPort ? sa.fromLocalPort : sa.localPort;
    const auto source = Ikev2NatDetectionHash(Bytes8(m.header.spiI), Bytes8(m.header.spiR),
                                              AddressBytes(from), fromPort);
    const auto destination = Ikev2NatDetectionHash(Bytes8(m.header.spiI), Bytes8(m.header.spiR),
                                                   AddressBytes(sa.local), toPort);
    bool sawSource = false;
    bool sawDestination = false;
    bool sourceMatches = false;
    bool destinationMatches = false;
    for (const Ikev2NotifyPayload* n : m.Notifies())
    {
        if (n->notifyType == IKEV2_N_NAT_DETECTION_SOURCE_IP)
        {
            sawSource = true; // several: the sender has several addresses, one matching is enough
            sourceMatches = sourceMatches || n->data == source;
        }
        else if (n->notifyType == IKEV2_N_NAT_DETECTION_DESTINATION_IP)
        {
            sawDestination = true;
            destinationMatches = destinationMatches || n->data == destination;
        }
    }
    // A peer that sends neither does not do NAT-T: no NAT is assumed (RFC 7296 2.23).
    if (!sawSource || !sawDestination)
    {
        return;
    }
    sa.natRemote = !sourceMatches;
    sa.natLocal = !destinationMatches;
    if (sa.NatDetected())
    {
        NS_LOG_INFO("IKEv2: NAT detected with "
                    << sa.peer << (sa.natLocal ? " (we are behind it)" : " (the peer is)"));
    }
}

void
Ikev2Daemon::FollowPeer(Sa& sa)
{
    if (!sa.fromPeerPort)
    {
        return;
    }
    // RFC 7296 2.23: a message that authenticates and came to 4500 moves us there (the
    // responder); behind a NAT the peer's address and port are the last ones it came from.
    if (sa.fromLocalPort == kNatTPort)
    {
        sa.localPort = kNatTPort;
    }
    if (sa.localPort == kNatTPort && sa.NatDetected() &&
        (sa.fromPeer != sa.peer || sa.fromPeerPort != sa.peerPort))
    {
        NS_LOG_INFO("IKEv2: peer " << sa.peer << ":" << sa.peerPort << " now at " << sa.fromPeer
                                   << ":" << sa.fromPeerPort);
        // The child SAs' ESP in UDP follows a new port; their tunnel addresses stay those
        // they were installed with (a new address takes a new child SA).
        for (auto& [raw, child] : m_children)
        {
            if (raw->local == sa.local && raw->peer == sa.peer && sa.fromPeer == sa.peer &&
                raw->udpEncapLocalPort == kNatTPort)
            {
                raw->udpEncapPeerPort = sa.fromPeerPort;
            }
        }
        sa.peer = sa.fromPeer;
        sa.peerPort = sa.fromPeerPort;
        sa.record.peer = sa.peer;
    }
}

void
Ikev2Daemon::StartNatKeepalive(Sa& sa)
{
    // RFC 3948 2.3 and `nat keepalive S` (profile, else `crypto ikev2 nat keepalive S`): only
    // the side behind the NAT keeps the mapping open.
    if (!sa.natLocal || !sa.natKeepaliveSeconds || sa.localPort != kNatTPort)
    {
        return;
    }
    sa.natKeepalive.Cancel();
    sa.natKeepalive = Simulator::Schedule(Seconds(sa.natKeepaliveSeconds),
                                          &Ikev2Daemon::OnNatKeepalive, this, Key(sa.spiI));
}

void
Ikev2Daemon::OnNatKeepalive(uint64_t key)
{
    auto it = m_sas.find(key);
    if (it == m_sas.end() || it->second.state != State::ESTABLISHED)
    {
        return;
    }
    Sa& sa = it->second;
    auto sock = m_ike.m_sockets.find({sa.local, kNatTPort});
    if (sock != m_ike.m_sockets.end())
    {
        const uint8_t ff = 0xff; // RFC 3948 2.3: one octet, 0xFF
        sock->second->SendTo(Create<Packet>(&ff, 1), 0, InetSocketAddress(sa.peer, sa.peerPort));
        ++m_ike.m_natKeepalivesSent;
    }
    StartNatKeepalive(sa);
}

// ------------------------------------------------------------------------------ cookies

size_t
Ikev2Daemon::HalfOpenSas() const
{
    size_t n = 0;
    for (const auto& [k, sa] : m_sas)
    {
        n += !sa.initiator && sa.state == State::INIT_DONE;
    }
    return n;
}

std::vector<uint8_t>
Ikev2Daemon::CookieFor(const Ikev2Message& m, Ipv4Address peer) const
{
    // RFC 7296 2.6: Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>); the hash
    // here is HMAC-SHA-256 keyed with the secret.
    const auto* ni = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    std::vector<uint8_t> data = ni ? ni->nonce : std::vector<uint8_t>{};
    const auto ip = AddressBytes(peer);
    data.insert(data.end(), ip.begin(), ip.end());
    data.insert(data.end(), m.header.spiI.begin(), m.header.spiI.end());
    std::vector<uint8_t> cookie{1};
    const auto h = Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_256, m_cookieSecret, data);
    cookie.insert(cookie.end(), h.begin(), h.end());
    return cookie;
}

bool
Ikev2Daemon::ChallengeWithCookie(const Ikev2Message& m, Ipv4Address peer, uint16_t peerPort,
                                 Ipv4Address local, uint16_t localPort)
{
    const uint32_t threshold = m_ike.m_provider->GetIkev2CookieChallenge();
    const size_t halfOpen = HalfOpenSas();
    if (!threshold || halfOpen < threshold)
    {
        return false;
    }
    if (m_cookieSecret.empty())
    {
        m_cookieSecret = m_ike.Rng().Bytes(32);
    }
    const std::vector<uint8_t> cookie = CookieFor(m, peer);
    const Ikev2NotifyPayload* sent = m.FindNotify(IKEV2_N_COOKIE);
    if (sent && sent->data == cookie)
    {
        return false; // the initiator came back with our cookie: it is at its address
    }
    // Stateless: SPIr zero, nothing kept (RFC 7296 2.6).
    Ikev2Message r;
    r.header.spiI = m.header.spiI;
    r.header.exchangeType = IKEV2_EXCH_IKE_SA_INIT;
    r.header.messageId = 0;
    r.header.flags = Ikev2Header::FLAG_RESPONSE;
    Ikev2NotifyPayload n;
    n.notifyType = IKEV2_N_COOKIE;
    n.data = cookie;
    r.Add(n);
    NS_LOG_INFO("IKEv2: " << halfOpen << " half-open IKE SAs (cookie-challenge " << threshold
                          << "): " << peer << " gets a COOKIE"
                          << (sent ? " (its cookie is not ours)" : ""));
    const std::vector<uint8_t> bytes = r.ToBytes();
    NoteMessage(bytes, true, local, localPort, peer, peerPort); // debug crypto ikev2
    m_ike.SendFrom(local, localPort, peer, peerPort, bytes);
    return true;
}

} // namespace ns3
