#include "ns3/isakmp-constants.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

using namespace isakmp_wire;

// --- names -------------------------------------------------------------------------------

const char*
IsakmpPayloadTypeName(uint8_t type)
{
    switch (type)
    {
    case ISAKMP_PAYLOAD_NONE:
        return "NONE";
    case ISAKMP_PAYLOAD_SA:
        return "SA";
    case ISAKMP_PAYLOAD_PROPOSAL:
        return "P";
    case ISAKMP_PAYLOAD_TRANSFORM:
        return "T";
    case ISAKMP_PAYLOAD_KEY_EXCHANGE:
        return "KE";
    case ISAKMP_PAYLOAD_IDENTIFICATION:
        return "ID";
    case ISAKMP_PAYLOAD_CERTIFICATE:
        return "CERT";
    case ISAKMP_PAYLOAD_CERTIFICATE_REQUEST:
        return "CR";
    case ISAKMP_PAYLOAD_HASH:
        return "HASH";
    case ISAKMP_PAYLOAD_SIGNATURE:
        return "SIG";
    case ISAKMP_PAYLOAD_NONCE:
        return "NONCE";
    case ISAKMP_PAYLOAD_NOTIFICATION:
        return "N";
    case ISAKMP_PAYLOAD_DELETE:
        return "D";
    case ISAKMP_PAYLOAD_VENDOR_ID:
        return "VID";
    case ISAKMP_PAYLOAD_NAT_D:
        return "NAT-D";
    case ISAKMP_PAYLOAD_NAT_OA:
        return "NAT-OA";
    default:
        return "unknown";
    }
}

bool
IsakmpIsKnownPayloadType(uint8_t type)
{
    return type >= ISAKMP_PAYLOAD_SA && type <= ISAKMP_PAYLOAD_VENDOR_ID;
}

const char*
IsakmpNotifyTypeName(uint16_t type)
{
    switch (type)
    {
    case ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE:
        return "INVALID-PAYLOAD-TYPE";
    case ISAKMP_NOTIFY_DOI_NOT_SUPPORTED:
        return "DOI-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED:
        return "SITUATION-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_INVALID_COOKIE:
        return "INVALID-COOKIE";
    case ISAKMP_NOTIFY_INVALID_MAJOR_VERSION:
        return "INVALID-MAJOR-VERSION";
    case ISAKMP_NOTIFY_INVALID_MINOR_VERSION:
        return "INVALID-MINOR-VERSION";
    case ISAKMP_NOTIFY_INVALID_EXCHANGE_TYPE:
        return "INVALID-EXCHANGE-TYPE";
    case ISAKMP_NOTIFY_INVALID_FLAGS:
        return "INVALID-FLAGS";
    case ISAKMP_NOTIFY_INVALID_MESSAGE_ID:
        return "INVALID-MESSAGE-ID";
    case ISAKMP_NOTIFY_INVALID_PROTOCOL_ID:
        return "INVALID-PROTOCOL-ID";
    case ISAKMP_NOTIFY_INVALID_SPI:
        return "INVALID-SPI";
    case ISAKMP_NOTIFY_INVALID_TRANSFORM_ID:
        return "INVALID-TRANSFORM-ID";
    case ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED:
        return "ATTRIBUTES-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN:
        return "NO-PROPOSAL-CHOSEN";
    case ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX:
        return "BAD-PROPOSAL-SYNTAX";
    case ISAKMP_NOTIFY_PAYLOAD_MALFORMED:
        return "PAYLOAD-MALFORMED";
    case ISAKMP_NOTIFY_INVALID_KEY_INFORMATION:
        return "INVALID-KEY-INFORMATION";
    case ISAKMP_NOTIFY_INVALID_ID_INFORMATION:
        return "INVALID-ID-INFORMATION";
    case ISAKMP_NOTIFY_INVALID_CERT_ENCODING:
        return "INVALID-CERT-ENCODING";
    case ISAKMP_NOTIFY_INVALID_CERTIFICATE:
        return "INVALID-CERTIFICATE";
    case ISAKMP_NOTIFY_CERT_TYPE_UNSUPPORTED:
        return "CERT-TYPE-UNSUPPORTED";
    case ISAKMP_NOTIFY_INVALID_CERT_AUTHORITY:
        return "INVALID-CERT-AUTHORITY";
    case ISAKMP_NOTIFY_INVALID_HASH_INFORMATION:
        return "INVALID-HASH-INFORMATION";
    case ISAKMP_NOTIFY_AUTHENTICATION_FAILED:
        return "AUTHENTICATION-FAILED";
    case ISAKMP_NOTIFY_INVALID_SIGNATURE:
        return "INVALID-SIGNATURE";
    case ISAKMP_NOTIFY_ADDRESS_NOTIFICATION:
        return "ADDRESS-NOTIFICATION";
    case ISAKMP_NOTIFY_NOTIFY_SA_LIFETIME:
        return "NOTIFY-SA-LIFETIME";
    case ISAKMP_NOTIFY_CERTIFICATE_UNAVAILABLE:
        return "CERTIFICATE-UNAVAILABLE";
    case ISAKMP_NOTIFY_UNSUPPORTED_EXCHANGE_TYPE:
        return "UNSUPPORTED-EXCHANGE-TYPE";
    case ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS:
        return "UNEQUAL-PAYLOAD-LENGTHS";
    case ISAKMP_NOTIFY_CONNECTED:
        return "CONNECTED";
    case ISAKMP_NOTIFY_RESPONDER_LIFETIME:
        return "RESPONDER-LIFETIME";
    case ISAKMP_NOTIFY_REPLAY_STATUS:
        return "REPLAY-STATUS";
    case ISAKMP_NOTIFY_INITIAL_CONTACT:
        return "INITIAL-CONTACT";
    case ISAKMP_NOTIFY_R_U_THERE:
        return "R-U-THERE";
    case ISAKMP_NOTIFY_R_U_THERE_ACK:
        return "R-U-THERE-ACK";
    default:
        return "unknown";
    }
}

} // namespace ns3
