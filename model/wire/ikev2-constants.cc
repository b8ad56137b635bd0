#include "ns3/ikev2-constants.h"

namespace ns3
{

const char*
Ikev2PayloadTypeName(uint8_t type)
{
    static const char* const names[] = {"SA",   "KE",    "IDi", "IDr", "CERT", "CERTREQ",
                                        "AUTH", "Ni/Nr", "N",   "D",   "V",    "TSi",
                                        "TSr",  "SK",    "CP",  "EAP"};
    if (type == IKEV2_PAYLOAD_NONE)
    {
        return "none";
    }
    if (type >= IKEV2_PAYLOAD_SA && type <= IKEV2_PAYLOAD_EAP)
    {
        return names[type - IKEV2_PAYLOAD_SA];
    }
    return "unknown";
}

bool
Ikev2IsKnownPayloadType(uint8_t type)
{
    return type >= IKEV2_PAYLOAD_SA && type <= IKEV2_PAYLOAD_SK;
}

const char*
Ikev2ExchangeTypeName(uint8_t type)
{
    switch (type)
    {
    case IKEV2_EXCH_IKE_SA_INIT:
        return "IKE_SA_INIT";
    case IKEV2_EXCH_IKE_AUTH:
        return "IKE_AUTH";
    case IKEV2_EXCH_CREATE_CHILD_SA:
        return "CREATE_CHILD_SA";
    case IKEV2_EXCH_INFORMATIONAL:
        return "INFORMATIONAL";
    default:
        return "unknown";
    }
}

const char*
Ikev2NotifyTypeName(uint16_t type)
{
    struct Entry
    {
        uint16_t type;
        const char* name;
    };

    static const Entry names[] = {
        {IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD"},
        {IKEV2_N_INVALID_IKE_SPI, "INVALID_IKE_SPI"},
        {IKEV2_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION"},
        {IKEV2_N_INVALID_SYNTAX, "INVALID_SYNTAX"},
        {IKEV2_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID"},
        {IKEV2_N_INVALID_SPI, "INVALID_SPI"},
        {IKEV2_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN"},
        {IKEV2_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD"},
        {IKEV2_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"},
        {IKEV2_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED"},
        {IKEV2_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS"},
        {IKEV2_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE"},
        {IKEV2_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED"},
        {IKEV2_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE"},
        {IKEV2_N_INVALID_SELECTORS, "INVALID_SELECTORS"},
        {IKEV2_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE"},
        {IKEV2_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND"},
        {IKEV2_N_INITIAL_CONTACT, "INITIAL_CONTACT"},
        {IKEV2_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE"},
        {IKEV2_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE"},
        {IKEV2_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED"},
        {IKEV2_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP"},
        {IKEV2_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP"},
        {IKEV2_N_COOKIE, "COOKIE"},
        {IKEV2_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE"},
        {IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED"},
        {IKEV2_N_REKEY_SA, "REKEY_SA"},
        {IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED"},
        {IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO"},
    };
    for (const Entry& e : names)
    {
        if (e.type == type)
        {
            return e.name;
        }
    }
    return "unknown";
}

} // namespace ns3
