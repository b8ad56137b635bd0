// IkeDaemon, the informational part: notifications and deletes sent and received (RFC 2408
// 4.8, RFC 2409 5.7), and the deletion of ISAKMP SAs.
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

NS_LOG_COMPONENT_DEFINE("IkeDaemonInformational");

using namespace ike;

void
IkeDaemon::SendInformational(Ptr<IkeSa> sa, const IsakmpPayload& payload, const std::string& what)
{
    if (!sa->cipher)
    {
        return;
    }
    uint32_t mid = 0;
    const uint64_t ic = CookieKey(sa->icookie);
    while (mid == 0 || m_phase2.count({ic, mid}))
    {
        mid = m_rng->Uint32();
    }
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(sa->icookie);
    h.SetResponderCookie(sa->rcookie);
    h.SetExchangeType(ISAKMP_EXCH_INFORMATIONAL);
    h.SetMessageId(mid);
    m.SetHeader(h);
    const IkeBytes body = payload.ToBytes();
    // RFC 2409 5.7: HASH(1) = prf(SKEYID_a, M-ID | N/D)
    m.AddPayload(IsakmpHashPayload(IkeHash1(sa->keys, mid, body)));
    m.AddPayload(payload.Clone());
    IsakmpCryptoResult r = sa->cipher->EncryptMessage(m);
    sa->cipher->ForgetExchange(mid);
    if (!r)
    {
        return;
    }
    RecordInformational(sa, "initiator", "ok", "sent " + what, mid);
    Send(sa, r.bytes);
}

void
IkeDaemon::SendCleartextNotify(Ptr<IkeSa> sa, uint16_t type)
{
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(sa->icookie);
    h.SetResponderCookie(sa->rcookie);
    h.SetExchangeType(ISAKMP_EXCH_INFORMATIONAL);
    h.SetMessageId(m_rng->Uint32() | 1);
    m.SetHeader(h);
    m.AddPayload(IsakmpNotificationPayload(
        type, ISAKMP_PROTO_ISAKMP, IsakmpNotificationPayload::CookieSpi(sa->icookie, sa->rcookie)));
    Send(sa, m.ToBytes());
}

void
IkeDaemon::ProcessInformational(Ptr<IkeSa> sa, const IkeBytes& datagram, uint64_t icookie)
{
    IsakmpHeader h;
    h.ReadFrom(datagram.data());
    std::optional<IsakmpMessage> m = ReadInformational(sa, datagram, h);
    if (!m)
    {
        return;
    }
    for (size_t k = 0; k < m->GetNPayloads(); ++k)
    {
        const IsakmpPayload& p = m->GetPayload(k);
        if (const auto* n = dynamic_cast<const IsakmpNotificationPayload*>(&p))
        {
            OnNotification(sa, *n, h.IsEncrypted(), icookie);
        }
        else if (const auto* d = dynamic_cast<const IsakmpDeletePayload*>(&p))
        {
            if (sa && h.IsEncrypted() && OnDelete(sa, *d, h.GetMessageId()))
            {
                return;
            }
        }
    }
}

std::optional<IsakmpMessage>
IkeDaemon::ReadInformational(Ptr<IkeSa> sa, const IkeBytes& datagram, const IsakmpHeader& h)
{
    const Ipv4Address peerAddr = sa ? sa->peer : Ipv4Address();
    std::optional<IsakmpMessage> m;
    if (!h.IsEncrypted())
    {
        m = IsakmpMessage::FromBytes(datagram);
        if (!m)
        {
            Drop(IkeDropReason::INFORMATIONAL_MALFORMED, peerAddr);
            return std::nullopt;
        }
        if (sa && sa->IsEstablished())
        {
            Drop(IkeDropReason::CLEARTEXT_INFORMATIONAL_ON_SA, peerAddr);
            return std::nullopt;
        }
        return m;
    }
    if (!sa || !sa->cipher)
    {
        Drop(IkeDropReason::INFORMATIONAL_WITHOUT_KEYS, peerAddr);
        return std::nullopt;
    }
    const uint32_t mid = h.GetMessageId();
    IsakmpCryptoResult r = sa->cipher->Decrypt(datagram);
    sa->cipher->ForgetExchange(mid);
    IsakmpParseStatus st;
    if (r)
    {
        m = IsakmpMessage::FromDecryptedBytes(r.bytes, &st);
    }
    if (!m || m->GetNPayloads() < 2)
    {
        Drop(IkeDropReason::INFORMATIONAL_UNREADABLE, peerAddr);
        return std::nullopt;
    }
    const auto* hash = dynamic_cast<const IsakmpHashPayload*>(&m->GetPayload(0));
    IkeBytes rest = m->GetPayload(1).ToBytes();
    // the generic header's next payload field is as received: take the raw bytes
    const size_t off = IsakmpHeader::SIZE + m->GetPayload(0).GetSerializedSize();
    if (r.bytes.size() >= off + rest.size())
    {
        rest.assign(r.bytes.begin() + off, r.bytes.begin() + off + rest.size());
    }
    if (!hash || hash->GetData() != IkeHash1(sa->keys, mid, rest))
    {
        Drop(IkeDropReason::INFORMATIONAL_BAD_HASH, peerAddr);
        return std::nullopt;
    }
    return m;
}

void
IkeDaemon::OnNotification(Ptr<IkeSa> sa, const IsakmpNotificationPayload& n, bool encrypted,
                          uint64_t icookie)
{
    const uint16_t type = n.GetNotifyType();
    if (sa && (type == ISAKMP_NOTIFY_R_U_THERE || type == ISAKMP_NOTIFY_R_U_THERE_ACK) && encrypted)
    {
        const IkeBytes& d = n.GetData();
        const uint32_t seq = d.size() >= 4 ? Be32(d.data()) : 0;
        if (type == ISAKMP_NOTIFY_R_U_THERE)
        {
            SendInformational(
                sa, IsakmpNotificationPayload::DpdNotify(true, sa->icookie, sa->rcookie, seq),
                "DPD R-U-THERE-ACK");
        }
        else if (seq == sa->dpdSequence)
        {
            sa->dpdOutstanding = 0;
        }
        return;
    }
    if (type >= 1 && type < 16384)
    {
        // An error notification: the exchange in flight with this peer fails with it.
        const std::string why = std::string("peer reported ") + IsakmpNotifyTypeName(type);
        auto p1 = m_phase1.find(icookie);
        if (p1 != m_phase1.end() && !p1->second.done)
        {
            Finish(p1->second, true, icookie, 0, false, why);
            return;
        }
        FailExchangesOf(icookie, why);
    }
}

void
IkeDaemon::FailExchangesOf(uint64_t icookie, const std::string& why)
{
    // The notification names no message ID: the exchanges in flight with this peer over this
    // SA end with it.
    std::vector<QmKey> failing;
    for (auto& [key, a] : m_phase2)
    {
        if (key.first == icookie && !a.done)
        {
            failing.push_back(key);
        }
    }
    for (const auto& key : failing)
    {
        auto it = m_phase2.find(key);
        if (it != m_phase2.end() && !it->second.done)
        {
            it->second.task->GetSa(); // keep the SA alive through Finish
            Finish(it->second, false, key.first, key.second, false, why);
        }
    }
}

bool
IkeDaemon::OnDelete(Ptr<IkeSa> sa, const IsakmpDeletePayload& d, uint32_t messageId)
{
    if (d.GetProtocolId() == ISAKMP_PROTO_ISAKMP)
    {
        DeleteIkeSa(sa, "peer deleted the ISAKMP SA", false);
        return true;
    }
    for (const auto& spiBytes : d.GetSpis())
    {
        uint32_t spi = 0;
        for (uint8_t b : spiBytes)
        {
            spi = (spi << 8) | b;
        }
        std::vector<Ptr<IpsecSaBundle>> gone;
        for (const auto& [bp, info] : m_bundles)
        {
            for (const auto& s : bp->outbound)
            {
                if (bp->peer == sa->peer && s->GetSpi() == spi &&
                    IsakmpProtocolOf(s->GetProtocol()) == d.GetProtocolId())
                {
                    gone.push_back(bp);
                }
            }
        }
        for (auto& b : gone)
        {
            RemoveBundleFromPlane(b);
        }
    }
    RecordInformational(sa, "responder", "ok", "peer deleted IPsec SAs", messageId);
    return false;
}

void
IkeDaemon::DeleteIkeSa(Ptr<IkeSa> sa, const std::string& why, bool notifyPeer)
{
    const uint64_t ic = CookieKey(sa->icookie);
    if (notifyPeer && sa->IsEstablished())
    {
        IsakmpDeletePayload d(ISAKMP_PROTO_ISAKMP, 16);
        d.AddSpi(IsakmpNotificationPayload::CookieSpi(sa->icookie, sa->rcookie));
        SendInformational(sa, d, "delete of the ISAKMP SA");
    }
    sa->expiry.Cancel();
    sa->dpdEvent.Cancel();
    sa->natKeepaliveEvent.Cancel();
    sa->state = IkeSaState::DELETED;
    sa->failure = why;
    ReleaseEngine(sa);
    DropSa(ic);
    RememberDeleted(sa);
    m_dpdCounters.erase(ic);
    NS_LOG_INFO("IKE: ISAKMP SA with " << sa->peer << " deleted: " << why);
}

void
IkeDaemon::ClearIsakmp(uint32_t connId)
{
    NS_LOG_FUNCTION(this << connId);
    std::vector<Ptr<IkeSa>> all;
    for (const auto& [k, sa] : m_sas)
    {
        if (connId == 0 || sa->connId == connId)
        {
            all.push_back(sa);
        }
    }
    for (auto& sa : all)
    {
        DeleteIkeSa(sa, "cleared", true);
    }
}

} // namespace ns3
