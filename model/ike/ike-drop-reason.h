/**
 * @file
 * Why the IKE daemon dropped a received ISAKMP message, the IKE counterpart of the data plane's
 * IpsecDropReason. Each reason has a counter; its text is what results.json (`drop_reasons`)
 * and the logs show, so the strings must not change.
 */
#ifndef IPSEC_IKE_DROP_REASON_H
#define IPSEC_IKE_DROP_REASON_H

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

enum class IkeDropReason : uint8_t
{
    SHORTER_THAN_HEADER,           //!< fewer bytes than an ISAKMP header
    NOT_VERSION_1,                 //!< major version other than 1
    LENGTH_MISMATCH,               //!< header length field disagrees with the datagram
    COOKIE_OF_ANOTHER_PEER,        //!< initiator cookie of an SA held with another peer
    RESPONDER_COOKIE_MISMATCH,     //!< responder cookie is not the SA's
    AGGRESSIVE_MODE_REFUSED,       //!< `crypto isakmp aggressive-mode disable`
    MAIN_MODE_AFTER_PHASE1,        //!< phase-1 message after the exchange completed
    MAIN_MODE_NO_EXCHANGE,         //!< phase-1 message that starts nothing and continues nothing
    QUICK_MODE_WITHOUT_SA,         //!< quick mode without an established ISAKMP SA
    QUICK_MODE_AFTER_COMPLETION,   //!< quick-mode message after the exchange completed
    QUICK_MODE_MESSAGE_ID_ZERO,    //!< quick mode with message ID 0
    UNSUPPORTED_EXCHANGE_TYPE,     //!< an exchange type IKEv1 here does not run
    INFORMATIONAL_WITHOUT_KEYS,    //!< encrypted informational without an SA's keys
    INFORMATIONAL_UNREADABLE,      //!< encrypted informational that does not decrypt or parse
    INFORMATIONAL_BAD_HASH,        //!< informational whose HASH(1) does not verify
    INFORMATIONAL_MALFORMED,       //!< cleartext informational that does not parse
    CLEARTEXT_INFORMATIONAL_ON_SA, //!< cleartext informational for an established SA
    PEER_CERTIFICATE_INVALID,      //!< rsa-sig: expired, revoked, unknown CA (IKMP_INVAL_CERT)
    NO_PEER_CERTIFICATE,           //!< rsa-sig: no X.509 CERT payload from the peer
    ID_CERTIFICATE_MISMATCH,       //!< rsa-sig: the ID payload names what the certificate does not
    SIGNATURE_INVALID,             //!< rsa-sig: SIG does not verify; rsa-encr: HASH does not match
    NO_PEER_PUBLIC_KEY,            //!< rsa-encr: no public key for the peer
    RSA_DECRYPTION_FAILED,         //!< rsa-encr: the encrypted nonce or ID does not decrypt
};

/**
 * The reason's text, as results.json and the logs show it. @p exchangeType completes
 * UNSUPPORTED_EXCHANGE_TYPE ("exchange type 7 not supported"); other reasons ignore it.
 */
std::string ToString(IkeDropReason reason, uint8_t exchangeType = 0);

/** A counter key: the reason, and for UNSUPPORTED_EXCHANGE_TYPE the exchange type (else 0). */
struct IkeDropKey
{
    IkeDropReason reason;
    uint8_t exchangeType = 0;

    bool operator<(const IkeDropKey& o) const
    {
        return reason != o.reason ? reason < o.reason : exchangeType < o.exchangeType;
    }

    std::string ToString() const
    {
        return ns3::ToString(reason, exchangeType);
    }
};

std::ostream& operator<<(std::ostream& os, IkeDropReason reason);

} // namespace ns3

#endif
