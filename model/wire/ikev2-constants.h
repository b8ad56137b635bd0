// IKEv2 numbers (RFC 7296 3 and the IANA "IKEv2 Parameters" registry): exchange types, payload
// types, transform types and IDs, ID types, authentication methods, notify message types and
// traffic selector types, with their names for logs and errors.
#ifndef IPSEC_IKEV2_CONSTANTS_H
#define IPSEC_IKEV2_CONSTANTS_H

#include <cstdint>

namespace ns3
{

/** Exchange Types (RFC 7296 3.1). */
enum Ikev2ExchangeType : uint8_t
{
    IKEV2_EXCH_IKE_SA_INIT = 34,
    IKEV2_EXCH_IKE_AUTH = 35,
    IKEV2_EXCH_CREATE_CHILD_SA = 36,
    IKEV2_EXCH_INFORMATIONAL = 37,
};

/** Next Payload types (RFC 7296 3.2). 0 ends a chain. */
enum Ikev2PayloadType : uint8_t
{
    IKEV2_PAYLOAD_NONE = 0,
    IKEV2_PAYLOAD_SA = 33,
    IKEV2_PAYLOAD_KE = 34,
    IKEV2_PAYLOAD_IDI = 35,
    IKEV2_PAYLOAD_IDR = 36,
    IKEV2_PAYLOAD_CERT = 37,
    IKEV2_PAYLOAD_CERTREQ = 38,
    IKEV2_PAYLOAD_AUTH = 39,
    IKEV2_PAYLOAD_NONCE = 40,
    IKEV2_PAYLOAD_NOTIFY = 41,
    IKEV2_PAYLOAD_DELETE = 42,
    IKEV2_PAYLOAD_VENDOR_ID = 43,
    IKEV2_PAYLOAD_TSI = 44,
    IKEV2_PAYLOAD_TSR = 45,
    IKEV2_PAYLOAD_SK = 46,
    IKEV2_PAYLOAD_CP = 47,  //!< Configuration (kept as an unparsed payload)
    IKEV2_PAYLOAD_EAP = 48, //!< EAP (kept as an unparsed payload)
};

/** Protocol IDs in proposals, notifies and deletes (RFC 7296 3.3.1). */
enum Ikev2ProtocolId : uint8_t
{
    IKEV2_PROTO_NONE = 0,
    IKEV2_PROTO_IKE = 1,
    IKEV2_PROTO_AH = 2,
    IKEV2_PROTO_ESP = 3,
};

/** Transform Types (RFC 7296 3.3.2). */
enum Ikev2TransformType : uint8_t
{
    IKEV2_TRANSFORM_ENCR = 1,
    IKEV2_TRANSFORM_PRF = 2,
    IKEV2_TRANSFORM_INTEG = 3,
    IKEV2_TRANSFORM_DH = 4,
    IKEV2_TRANSFORM_ESN = 5,
};

/** Transform IDs of type 1, encryption (RFC 7296 3.3.2, RFC 5282 8). */
enum Ikev2EncrId : uint16_t
{
    IKEV2_ENCR_DES = 2,
    IKEV2_ENCR_3DES = 3,
    IKEV2_ENCR_NULL = 11,
    IKEV2_ENCR_AES_CBC = 12,
    IKEV2_ENCR_AES_CTR = 13,
    IKEV2_ENCR_AES_GCM_8 = 18,
    IKEV2_ENCR_AES_GCM_12 = 19,
    IKEV2_ENCR_AES_GCM_16 = 20,
};

/** Transform IDs of type 2, pseudorandom function (RFC 7296 3.3.2, RFC 4868). */
enum Ikev2PrfId : uint16_t
{
    IKEV2_PRF_HMAC_MD5 = 1,
    IKEV2_PRF_HMAC_SHA1 = 2,
    IKEV2_PRF_AES128_XCBC = 4,
    IKEV2_PRF_HMAC_SHA2_256 = 5,
    IKEV2_PRF_HMAC_SHA2_384 = 6,
    IKEV2_PRF_HMAC_SHA2_512 = 7,
};

/** Transform IDs of type 3, integrity (RFC 7296 3.3.2, RFC 4868). */
enum Ikev2IntegId : uint16_t
{
    IKEV2_INTEG_NONE = 0,
    IKEV2_INTEG_HMAC_MD5_96 = 1,
    IKEV2_INTEG_HMAC_SHA1_96 = 2,
    IKEV2_INTEG_AES_XCBC_96 = 5,
    IKEV2_INTEG_HMAC_SHA2_256_128 = 12,
    IKEV2_INTEG_HMAC_SHA2_384_192 = 13,
    IKEV2_INTEG_HMAC_SHA2_512_256 = 14,
};

/** Transform IDs of type 5, extended sequence numbers (RFC 7296 3.3.2). */
enum Ikev2EsnId : uint16_t
{
    IKEV2_ESN_NO = 0,
    IKEV2_ESN_YES = 1,
};

/** The one transform attribute IKEv2 defines (RFC 7296 3.3.5), in TV format. */
constexpr uint16_t IKEV2_ATTR_KEY_LENGTH = 14;

/** ID Types of IDi/IDr (RFC 7296 3.5). */
enum Ikev2IdType : uint8_t
{
    IKEV2_ID_IPV4_ADDR = 1,
    IKEV2_ID_FQDN = 2,
    IKEV2_ID_RFC822_ADDR = 3,
    IKEV2_ID_IPV6_ADDR = 5,
    IKEV2_ID_DER_ASN1_DN = 9,
    IKEV2_ID_DER_ASN1_GN = 10,
    IKEV2_ID_KEY_ID = 11,
};

/** Certificate Encodings of CERT and CERTREQ (RFC 7296 3.6). */
enum Ikev2CertEncoding : uint8_t
{
    IKEV2_CERT_X509_SIGNATURE = 4,
    IKEV2_CERT_CRL = 7,
    IKEV2_CERT_HASH_URL_X509 = 12,
};

/** Authentication Methods of the AUTH payload (RFC 7296 3.8). */
enum Ikev2AuthMethod : uint8_t
{
    IKEV2_AUTH_RSA_SIG = 1,
    IKEV2_AUTH_SHARED_KEY_MIC = 2,
    IKEV2_AUTH_DSS_SIG = 3,
};

/** Notify Message Types (RFC 7296 3.10.1): errors below 16384, status types above. */
enum Ikev2NotifyType : uint16_t
{
    IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
    IKEV2_N_INVALID_IKE_SPI = 4,
    IKEV2_N_INVALID_MAJOR_VERSION = 5,
    IKEV2_N_INVALID_SYNTAX = 7,
    IKEV2_N_INVALID_MESSAGE_ID = 9,
    IKEV2_N_INVALID_SPI = 11,
    IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
    IKEV2_N_INVALID_KE_PAYLOAD = 17,
    IKEV2_N_AUTHENTICATION_FAILED = 24,
    IKEV2_N_SINGLE_PAIR_REQUIRED = 34,
    IKEV2_N_NO_ADDITIONAL_SAS = 35,
    IKEV2_N_INTERNAL_ADDRESS_FAILURE = 36,
    IKEV2_N_FAILED_CP_REQUIRED = 37,
    IKEV2_N_TS_UNACCEPTABLE = 38,
    IKEV2_N_INVALID_SELECTORS = 39,
    IKEV2_N_TEMPORARY_FAILURE = 43,
    IKEV2_N_CHILD_SA_NOT_FOUND = 44,
    IKEV2_N_INITIAL_CONTACT = 16384,
    IKEV2_N_SET_WINDOW_SIZE = 16385,
    IKEV2_N_ADDITIONAL_TS_POSSIBLE = 16386,
    IKEV2_N_IPCOMP_SUPPORTED = 16387,
    IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
    IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
    IKEV2_N_COOKIE = 16390,
    IKEV2_N_USE_TRANSPORT_MODE = 16391,
    IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
    IKEV2_N_REKEY_SA = 16393,
    IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
    IKEV2_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
};

/** Traffic Selector types (RFC 7296 3.13.1). */
enum Ikev2TsType : uint8_t
{
    IKEV2_TS_IPV4_ADDR_RANGE = 7,
    IKEV2_TS_IPV6_ADDR_RANGE = 8,
};

/** @return "SA", "KE", "IDi", ..., "SK", or "unknown" */
const char* Ikev2PayloadTypeName(uint8_t type);
/** @return true for the payload types this layer parses into their own class (33 to 46) */
bool Ikev2IsKnownPayloadType(uint8_t type);
/** @return "IKE_SA_INIT", ..., or "unknown" */
const char* Ikev2ExchangeTypeName(uint8_t type);
/** @return "NO_PROPOSAL_CHOSEN", ..., or "unknown" */
const char* Ikev2NotifyTypeName(uint16_t type);

} // namespace ns3

#endif
