// ISAKMP and IKE numbers: payload, protocol, notify, attribute and transform
// values (RFC 2407, 2408, 2409 and later), and their names.
#ifndef IPSEC_ISAKMP_CONSTANTS_H
#define IPSEC_ISAKMP_CONSTANTS_H

#include <cstdint>

namespace ns3
{

/** Next Payload Types (RFC 2408 3.1). */
enum IsakmpPayloadType : uint8_t
{
    ISAKMP_PAYLOAD_NONE = 0,
    ISAKMP_PAYLOAD_SA = 1,
    ISAKMP_PAYLOAD_PROPOSAL = 2,
    ISAKMP_PAYLOAD_TRANSFORM = 3,
    ISAKMP_PAYLOAD_KEY_EXCHANGE = 4,
    ISAKMP_PAYLOAD_IDENTIFICATION = 5,
    ISAKMP_PAYLOAD_CERTIFICATE = 6,
    ISAKMP_PAYLOAD_CERTIFICATE_REQUEST = 7,
    ISAKMP_PAYLOAD_HASH = 8,
    ISAKMP_PAYLOAD_SIGNATURE = 9,
    ISAKMP_PAYLOAD_NONCE = 10,
    ISAKMP_PAYLOAD_NOTIFICATION = 11,
    ISAKMP_PAYLOAD_DELETE = 12,
    ISAKMP_PAYLOAD_VENDOR_ID = 13,
    ISAKMP_PAYLOAD_NAT_D = 20,  //!< RFC 3947 3.2 (kept as IsakmpRawPayload)
    ISAKMP_PAYLOAD_NAT_OA = 21, //!< RFC 3947 5.1 (kept as IsakmpRawPayload)
};

/** @return a short name for a payload type ("SA", "KE", ..., "unknown") */
const char* IsakmpPayloadTypeName(uint8_t type);
/**
 * @return true for the payload types RFC 2408 3.1 defines (1 to 13). A parsed message keeps any
 * other type as an IsakmpRawPayload; RFC 2408 5.2 lets the receiver answer INVALID-PAYLOAD-TYPE.
 */
bool IsakmpIsKnownPayloadType(uint8_t type);

/** Protocol identifiers (RFC 2407 4.4.1). */
enum IsakmpProtocolId : uint8_t
{
    ISAKMP_PROTO_ISAKMP = 1,
    ISAKMP_PROTO_IPSEC_AH = 2,
    ISAKMP_PROTO_IPSEC_ESP = 3,
    ISAKMP_PROTO_IPCOMP = 4,
};

/** Domain of Interpretation: RFC 2407 2 ("the IPSEC DOI is assigned ... number one (1)"). */
constexpr uint32_t ISAKMP_DOI_IPSEC = 1;

/** Situation bits of the IPsec DOI (RFC 2407 4.2). */
enum IsakmpSituation : uint32_t
{
    ISAKMP_SIT_IDENTITY_ONLY = 0x01,
    ISAKMP_SIT_SECRECY = 0x02,
    ISAKMP_SIT_INTEGRITY = 0x04,
};

/** Notify Message Types (RFC 2408 3.14.1; RFC 2407 4.6.3; RFC 3706 5). */
enum IsakmpNotifyType : uint16_t
{
    ISAKMP_NOTIFY_NONE = 0, //!< not a notify type: "no notification applies"
    ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE = 1,
    ISAKMP_NOTIFY_DOI_NOT_SUPPORTED = 2,
    ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED = 3,
    ISAKMP_NOTIFY_INVALID_COOKIE = 4,
    ISAKMP_NOTIFY_INVALID_MAJOR_VERSION = 5,
    ISAKMP_NOTIFY_INVALID_MINOR_VERSION = 6,
    ISAKMP_NOTIFY_INVALID_EXCHANGE_TYPE = 7,
    ISAKMP_NOTIFY_INVALID_FLAGS = 8,
    ISAKMP_NOTIFY_INVALID_MESSAGE_ID = 9,
    ISAKMP_NOTIFY_INVALID_PROTOCOL_ID = 10,
    ISAKMP_NOTIFY_INVALID_SPI = 11,
    ISAKMP_NOTIFY_INVALID_TRANSFORM_ID = 12,
    ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED = 13,
    ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN = 14,
    ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX = 15,
    ISAKMP_NOTIFY_PAYLOAD_MALFORMED = 16,
    ISAKMP_NOTIFY_INVALID_KEY_INFORMATION = 17,
    ISAKMP_NOTIFY_INVALID_ID_INFORMATION = 18,
    ISAKMP_NOTIFY_INVALID_CERT_ENCODING = 19,
    ISAKMP_NOTIFY_INVALID_CERTIFICATE = 20,
    ISAKMP_NOTIFY_CERT_TYPE_UNSUPPORTED = 21,
    ISAKMP_NOTIFY_INVALID_CERT_AUTHORITY = 22,
    ISAKMP_NOTIFY_INVALID_HASH_INFORMATION = 23,
    ISAKMP_NOTIFY_AUTHENTICATION_FAILED = 24,
    ISAKMP_NOTIFY_INVALID_SIGNATURE = 25,
    ISAKMP_NOTIFY_ADDRESS_NOTIFICATION = 26,
    ISAKMP_NOTIFY_NOTIFY_SA_LIFETIME = 27,
    ISAKMP_NOTIFY_CERTIFICATE_UNAVAILABLE = 28,
    ISAKMP_NOTIFY_UNSUPPORTED_EXCHANGE_TYPE = 29,
    ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS = 30,
    ISAKMP_NOTIFY_CONNECTED = 16384,          //!< RFC 2408 3.14.1 status
    ISAKMP_NOTIFY_RESPONDER_LIFETIME = 24576, //!< RFC 2407 4.6.3.1
    ISAKMP_NOTIFY_REPLAY_STATUS = 24577,      //!< RFC 2407 4.6.3.2
    ISAKMP_NOTIFY_INITIAL_CONTACT = 24578,    //!< RFC 2407 4.6.3.3
    ISAKMP_NOTIFY_R_U_THERE = 36136,          //!< RFC 3706 5 (DPD)
    ISAKMP_NOTIFY_R_U_THERE_ACK = 36137,      //!< RFC 3706 5 (DPD)
};

/** @return the RFC name of a notify type ("NO-PROPOSAL-CHOSEN", ...), or "unknown" */
const char* IsakmpNotifyTypeName(uint16_t type);

/** Phase-1 SA attribute classes (RFC 2409 Appendix A). */
enum IkeAttributeType : uint16_t
{
    IKE_ATTR_ENCRYPTION_ALGORITHM = 1,
    IKE_ATTR_HASH_ALGORITHM = 2,
    IKE_ATTR_AUTHENTICATION_METHOD = 3,
    IKE_ATTR_GROUP_DESCRIPTION = 4,
    IKE_ATTR_GROUP_TYPE = 5,
    IKE_ATTR_GROUP_PRIME = 6,
    IKE_ATTR_GROUP_GENERATOR_ONE = 7,
    IKE_ATTR_GROUP_GENERATOR_TWO = 8,
    IKE_ATTR_GROUP_CURVE_A = 9,
    IKE_ATTR_GROUP_CURVE_B = 10,
    IKE_ATTR_LIFE_TYPE = 11,
    IKE_ATTR_LIFE_DURATION = 12,
    IKE_ATTR_PRF = 13,
    IKE_ATTR_KEY_LENGTH = 14,
    IKE_ATTR_FIELD_SIZE = 15,
    IKE_ATTR_GROUP_ORDER = 16,
};

/** Phase-1 Encryption Algorithm values (RFC 2409 Appendix A; AES-CBC from RFC 3602 5). */
enum IkeEncryptionAlgorithm : uint16_t
{
    IKE_ENCR_DES_CBC = 1,
    IKE_ENCR_IDEA_CBC = 2,
    IKE_ENCR_BLOWFISH_CBC = 3,
    IKE_ENCR_RC5_R16_B64_CBC = 4,
    IKE_ENCR_3DES_CBC = 5,
    IKE_ENCR_CAST_CBC = 6,
    IKE_ENCR_AES_CBC = 7,
};

/** Phase-1 Hash Algorithm values (RFC 2409 Appendix A; SHA-2 from RFC 4868 / IANA). */
enum IkeHashAlgorithm : uint16_t
{
    IKE_HASH_MD5 = 1,
    IKE_HASH_SHA = 2,
    IKE_HASH_TIGER = 3,
    IKE_HASH_SHA2_256 = 4,
    IKE_HASH_SHA2_384 = 5,
    IKE_HASH_SHA2_512 = 6,
};

/** Phase-1 Authentication Method values (RFC 2409 Appendix A). */
enum IkeAuthMethod : uint16_t
{
    IKE_AUTH_PRE_SHARED_KEY = 1,
    IKE_AUTH_DSS_SIGNATURES = 2,
    IKE_AUTH_RSA_SIGNATURES = 3,
    IKE_AUTH_RSA_ENCRYPTION = 4,
    IKE_AUTH_RSA_REVISED_ENCRYPTION = 5,
};

/**
 * Group Description values (RFC 2409 6 and Appendix A; RFC 3526 for 5, 14, 15, 16; RFC 5903 for
 * the ECP groups 19-21; RFC 5114 for 24). The ECP groups need no Group Type attribute in IKEv1:
 * the description names the group (RFC 5903 5).
 */
enum IkeGroupDescription : uint16_t
{
    IKE_GROUP_MODP_768 = 1,
    IKE_GROUP_MODP_1024 = 2,
    IKE_GROUP_EC2N_155 = 3,
    IKE_GROUP_EC2N_185 = 4,
    IKE_GROUP_MODP_1536 = 5,
    IKE_GROUP_MODP_2048 = 14,
    IKE_GROUP_MODP_3072 = 15,
    IKE_GROUP_MODP_4096 = 16,
    IKE_GROUP_ECP_256 = 19,
    IKE_GROUP_ECP_384 = 20,
    IKE_GROUP_ECP_521 = 21,
    IKE_GROUP_MODP_2048_256 = 24,
};

/** Life Type values, phase 1 (RFC 2409 App. A) and phase 2 (RFC 2407 4.5) alike. */
enum IkeLifeType : uint16_t
{
    IKE_LIFE_SECONDS = 1,
    IKE_LIFE_KILOBYTES = 2,
};

/** Phase-2 (IPsec DOI) SA attribute classes (RFC 2407 4.5). */
enum IpsecAttributeType : uint16_t
{
    IPSEC_ATTR_SA_LIFE_TYPE = 1,
    IPSEC_ATTR_SA_LIFE_DURATION = 2,
    IPSEC_ATTR_GROUP_DESCRIPTION = 3,
    IPSEC_ATTR_ENCAPSULATION_MODE = 4,
    IPSEC_ATTR_AUTHENTICATION_ALGORITHM = 5,
    IPSEC_ATTR_KEY_LENGTH = 6,
    IPSEC_ATTR_KEY_ROUNDS = 7,
    IPSEC_ATTR_COMPRESS_DICTIONARY_SIZE = 8,
    IPSEC_ATTR_COMPRESS_PRIVATE_ALGORITHM = 9,
};

/** Encapsulation Mode values (RFC 2407 4.5). */
enum IpsecEncapsulationMode : uint16_t
{
    IPSEC_ENCAP_TUNNEL = 1,
    IPSEC_ENCAP_TRANSPORT = 2,
    IPSEC_ENCAP_UDP_TUNNEL = 3,              //!< RFC 3947 5.2
    IPSEC_ENCAP_UDP_TRANSPORT = 4,           //!< RFC 3947 5.2
    IPSEC_ENCAP_UDP_TUNNEL_DRAFT = 61443,    //!< draft-ietf-ipsec-nat-t-ike-0x
    IPSEC_ENCAP_UDP_TRANSPORT_DRAFT = 61444, //!< draft-ietf-ipsec-nat-t-ike-0x
};

/** Authentication Algorithm values (RFC 2407 4.5; SHA-2 from RFC 4868 2.4). */
enum IpsecAuthAlgorithm : uint16_t
{
    IPSEC_AUTH_HMAC_MD5 = 1,
    IPSEC_AUTH_HMAC_SHA = 2,
    IPSEC_AUTH_DES_MAC = 3,
    IPSEC_AUTH_KPDK = 4,
    IPSEC_AUTH_HMAC_SHA2_256 = 5,
    IPSEC_AUTH_HMAC_SHA2_384 = 6,
    IPSEC_AUTH_HMAC_SHA2_512 = 7,
};

/** Transform identifiers (RFC 2407 4.4.2-4.4.5; ESP_AES RFC 3602, GCM RFC 4106 8.4). */
enum IsakmpTransformId : uint8_t
{
    ISAKMP_KEY_IKE = 1, //!< the only ISAKMP transform (RFC 2407 4.4.2)
    IPSEC_AH_MD5 = 2,
    IPSEC_AH_SHA = 3,
    IPSEC_AH_DES = 4,
    IPSEC_AH_SHA2_256 = 5,
    IPSEC_AH_SHA2_384 = 6,
    IPSEC_AH_SHA2_512 = 7,
    IPSEC_ESP_DES_IV64 = 1,
    IPSEC_ESP_DES = 2,
    IPSEC_ESP_3DES = 3,
    IPSEC_ESP_RC5 = 4,
    IPSEC_ESP_IDEA = 5,
    IPSEC_ESP_CAST = 6,
    IPSEC_ESP_BLOWFISH = 7,
    IPSEC_ESP_3IDEA = 8,
    IPSEC_ESP_DES_IV32 = 9,
    IPSEC_ESP_RC4 = 10,
    IPSEC_ESP_NULL = 11,
    IPSEC_ESP_AES = 12,
    IPSEC_ESP_AES_GCM_8 = 18,
    IPSEC_ESP_AES_GCM_12 = 19,
    IPSEC_ESP_AES_GCM_16 = 20,
    IPSEC_IPCOMP_OUI = 1,
    IPSEC_IPCOMP_DEFLATE = 2,
    IPSEC_IPCOMP_LZS = 3,
};

/** Identification Type values (RFC 2407 4.6.2.1). */
enum IsakmpIdType : uint8_t
{
    ISAKMP_ID_IPV4_ADDR = 1,
    ISAKMP_ID_FQDN = 2,
    ISAKMP_ID_USER_FQDN = 3,
    ISAKMP_ID_IPV4_ADDR_SUBNET = 4,
    ISAKMP_ID_IPV6_ADDR = 5,
    ISAKMP_ID_IPV6_ADDR_SUBNET = 6,
    ISAKMP_ID_IPV4_ADDR_RANGE = 7,
    ISAKMP_ID_IPV6_ADDR_RANGE = 8,
    ISAKMP_ID_DER_ASN1_DN = 9,
    ISAKMP_ID_DER_ASN1_GN = 10,
    ISAKMP_ID_KEY_ID = 11,
};

} // namespace ns3

#endif
