#include "ns3/ike-drop-reason.h"

namespace ns3
{

std::string
ToString(IkeDropReason reason, uint8_t exchangeType)
{
    switch (reason)
    {
    case IkeDropReason::SHORTER_THAN_HEADER:
        return "shorter than an ISAKMP header";
    case IkeDropReason::NOT_VERSION_1:
        return "not ISAKMP version 1";
    case IkeDropReason::LENGTH_MISMATCH:
        return "length field disagrees with the datagram";
    case IkeDropReason::COOKIE_OF_ANOTHER_PEER:
        return "cookie of another peer's SA";
    case IkeDropReason::RESPONDER_COOKIE_MISMATCH:
        return "responder cookie does not match";
    case IkeDropReason::AGGRESSIVE_MODE_REFUSED:
        return "aggressive mode refused (crypto isakmp aggressive-mode disable)";
    case IkeDropReason::MAIN_MODE_AFTER_PHASE1:
        return "main mode message after phase 1 completed";
    case IkeDropReason::MAIN_MODE_NO_EXCHANGE:
        return "main mode message of no exchange in progress";
    case IkeDropReason::QUICK_MODE_WITHOUT_SA:
        return "quick mode without an established ISAKMP SA";
    case IkeDropReason::QUICK_MODE_AFTER_COMPLETION:
        return "quick mode message after the exchange completed";
    case IkeDropReason::QUICK_MODE_MESSAGE_ID_ZERO:
        return "quick mode with message ID 0";
    case IkeDropReason::UNSUPPORTED_EXCHANGE_TYPE:
        return "exchange type " + std::to_string(exchangeType) + " not supported";
    case IkeDropReason::INFORMATIONAL_WITHOUT_KEYS:
        return "encrypted informational without keys";
    case IkeDropReason::INFORMATIONAL_UNREADABLE:
        return "informational message cannot be read";
    case IkeDropReason::INFORMATIONAL_BAD_HASH:
        return "informational message fails its HASH(1)";
    case IkeDropReason::INFORMATIONAL_MALFORMED:
        return "malformed informational message";
    case IkeDropReason::CLEARTEXT_INFORMATIONAL_ON_SA:
        return "cleartext informational for an established SA";
    case IkeDropReason::PEER_CERTIFICATE_INVALID:
        return "peer certificate refused (IKMP_INVAL_CERT)";
    case IkeDropReason::NO_PEER_CERTIFICATE:
        return "no certificate from peer";
    case IkeDropReason::ID_CERTIFICATE_MISMATCH:
        return "ID payload does not match certificate";
    case IkeDropReason::SIGNATURE_INVALID:
        return "RSA authentication does not verify";
    case IkeDropReason::NO_PEER_PUBLIC_KEY:
        return "no public key for peer (rsa-encr)";
    case IkeDropReason::RSA_DECRYPTION_FAILED:
        return "encrypted nonce does not decrypt";
    }
    return "unknown";
}

std::ostream&
operator<<(std::ostream& os, IkeDropReason reason)
{
    return os << ToString(reason);
}

} // namespace ns3
