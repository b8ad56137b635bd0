/**
 * @file
 * INITIAL-CONTACT (RFC 2407 4.6.3.3) as IOS sends and honours it. The initiator of a phase-1
 * exchange that holds no ISAKMP SA and no IPsec SA with its peer (first contact) puts the
 * notification, encrypted, into its last phase-1 message: main mode message 5 after ID and HASH,
 * aggressive mode message 3. A peer that kept state from an earlier run, or from before our
 * reboot, drops it then instead of taking our new exchange for an old one.
 */
#ifndef IPSEC_IKE_INITIAL_CONTACT_H
#define IPSEC_IKE_INITIAL_CONTACT_H

#include "ns3/ike-sa.h"
#include "ns3/ipsec-spd.h"
#include "ns3/isakmp-message.h"
#include "ns3/isakmp-notify-payload.h"

namespace ns3
{

/** N(INITIAL-CONTACT) for @p sa: DOI IPsec, protocol ISAKMP, SPI = its two cookies. */
IsakmpNotificationPayload IkeInitialContactNotify(const IkeSa& sa);

/**
 * The hook of the initiator's last phase-1 message: adds N(INITIAL-CONTACT) to @p m when @p sa
 * is ours as initiator and was started on first contact (IkeSa::sendInitialContact).
 */
void IkeAddInitialContact(const IkeSa& sa, IsakmpMessage& m);

/** Whether @p m carries an INITIAL-CONTACT notification. */
bool IkeCarriesInitialContact(const IsakmpMessage& m);

/**
 * Whether the ISAKMP SA @p other is stale once the peer's INITIAL-CONTACT came in @p fresh: it
 * was established before @p fresh's exchange began. An SA negotiated meanwhile (both ends
 * started at once, each on first contact) is the peer's as much as ours and stays.
 */
bool IkeStaleAfterInitialContact(const IkeSa& other, const IkeSa& fresh);

/** The same for an IPsec SA bundle: every SA of it was installed before @p fresh began. */
bool IkeStaleAfterInitialContact(const IpsecSaBundle& bundle, const IkeSa& fresh);

} // namespace ns3

#endif
