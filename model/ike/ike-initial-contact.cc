#include "ns3/ike-initial-contact.h"

#include "ike-daemon-private.h"

#include "ns3/node.h"

namespace ns3
{

IsakmpNotificationPayload
IkeInitialContactNotify(const IkeSa& sa)
{
    // RFC 2407 4.6.3.3: "the SPI field ... set to the ISAKMP cookie pair (ICOOKIE | RCOOKIE)",
    // Protocol-ID ISAKMP; no notification data.
    return IsakmpNotificationPayload(ISAKMP_NOTIFY_INITIAL_CONTACT, ISAKMP_PROTO_ISAKMP,
                                     IsakmpNotificationPayload::CookieSpi(sa.icookie, sa.rcookie));
}

void
IkeAddInitialContact(const IkeSa& sa, IsakmpMessage& m)
{
    if (sa.initiator && sa.sendInitialContact)
    {
        m.AddPayload(IkeInitialContactNotify(sa));
    }
}

bool
IkeCarriesInitialContact(const IsakmpMessage& m)
{
    for (size_t k = 0; k < m.GetNPayloads(); ++k)
    {
        const auto* n = dynamic_cast<const IsakmpNotificationPayload*>(&m.GetPayload(k));
        if (n && n->GetNotifyType() == ISAKMP_NOTIFY_INITIAL_CONTACT)
        {
            return true;
        }
    }
    return false;
}

bool
IkeStaleAfterInitialContact(const IkeSa& other, const IkeSa& fresh)
{
    return other.IsEstablished() && other.created < fresh.begun;
}

bool
IkeStaleAfterInitialContact(const IpsecSaBundle& bundle, const IkeSa& fresh)
{
    for (const auto* v : {&bundle.inbound, &bundle.outbound})
    {
        for (const auto& s : *v)
        {
            if (s->GetInstalledAt() >= fresh.begun)
            {
                return false;
            }
        }
    }
    return true;
}

bool
IkeDaemon::FirstContact(Ipv4Address peer) const
{
    // IOS sends INITIAL-CONTACT only when it holds nothing with the peer: no ISAKMP SA (live or
    // being negotiated) and no IPsec SA. Told so while an IPsec SA of ours lives, the peer
    // would drop its end of it, and our traffic on it would be lost until the new one is up.
    for (const auto& [ic, sa] : m_sas)
    {
        if (sa->peer == peer && sa->state != IkeSaState::DELETED)
        {
            return false;
        }
    }
    for (const auto& [p, info] : m_bundles)
    {
        if (p->peer == peer)
        {
            return false;
        }
    }
    return true;
}

} // namespace ns3
