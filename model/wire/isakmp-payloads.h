// ISAKMP payloads (RFC 2408 3.2-3.16) with the IPsec DOI (RFC 2407) and IKE (RFC 2409) values,
// and IsakmpMessage: a header plus an ordered chain of payloads.
//
// Every payload class is an ns-3 Header whose Serialize writes the generic payload header (RFC
// 2408 3.2) followed by the payload body; a chain's Next Payload fields are filled in by the
// container (IsakmpMessage for payloads, IsakmpSaPayload for proposals, IsakmpProposal for
// transforms). Parsing works on bytes and never trusts a length: every failure is reported as an
// IsakmpParseStatus naming the fault, its offset and the Notify Message Type (RFC 2408 3.14.1)
// a receiver would answer with.
#ifndef ISAKMP_PAYLOADS_H
#define ISAKMP_PAYLOADS_H

#include "ns3/isakmp-header.h"

#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

/** Group Description values (RFC 2409 6 and Appendix A; RFC 3526 for 5 and 14). */
enum IkeGroupDescription : uint16_t
{
    IKE_GROUP_MODP_768 = 1,
    IKE_GROUP_MODP_1024 = 2,
    IKE_GROUP_EC2N_155 = 3,
    IKE_GROUP_EC2N_185 = 4,
    IKE_GROUP_MODP_1536 = 5,
    IKE_GROUP_MODP_2048 = 14,
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

/**
 * @brief Outcome of parsing ISAKMP bytes: OK, or what was wrong, where, and which Notify
 * Message Type (RFC 2408 3.14.1, 5) a receiver would answer with.
 */
struct IsakmpParseStatus
{
    /** What went wrong. */
    enum Code : uint8_t
    {
        OK = 0,
        TRUNCATED,          //!< fewer bytes than a fixed field or a length needs
        BAD_MESSAGE_LENGTH, //!< header Length disagrees with the datagram
        BAD_VERSION,        //!< Major Version not 1 or Minor Version not 0
        BAD_FLAGS,          //!< reserved flag bits set
        BAD_PAYLOAD_LENGTH, //!< a Payload Length < 4, or beyond its container
        BAD_PAYLOAD_TYPE,   //!< a payload type that is not allowed where it is
        BAD_PAYLOAD_BODY,   //!< a body whose fields contradict each other or the RFC
        TOO_MANY_PAYLOADS,  //!< more payloads / proposals / transforms than the limits
        TRAILING_DATA,      //!< bytes after the last payload of a cleartext chain
        UNSUPPORTED,        //!< valid ISAKMP, but a DOI or situation we do not implement
        ENCRYPTED,          //!< (crypto) the E flag is set but the body is not decrypted
    };

    Code code = OK;                       //!< OK or the failure
    uint16_t notify = ISAKMP_NOTIFY_NONE; //!< IsakmpNotifyType to answer with (0 if none)
    uint32_t offset = 0;                  //!< byte offset of the fault from the start
    std::string reason;                   //!< human-readable description

    /** @return true if parsing succeeded */
    bool Ok() const
    {
        return code == OK;
    }

    /** @return a success status */
    static IsakmpParseStatus Success();
    /**
     * @return a failure status
     * @param code the failure
     * @param notify the IsakmpNotifyType a receiver would answer with
     * @param offset where the fault is
     * @param reason description
     */
    static IsakmpParseStatus Fail(Code code, uint16_t notify, uint32_t offset, std::string reason);
    /** @return a short name for @p code ("ok", "truncated", ...) */
    static const char* CodeName(Code code);
    /** @return "code at offset N: reason" (or "ok") */
    std::string ToString() const;
};

/**
 * @brief A data attribute (RFC 2408 3.3): Type/Value (AF=1, basic) or Type/Length/Value
 * (AF=0, variable).
 *
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !A!       Attribute Type        !    AF=0  Attribute Length     !
 !F!                             !    AF=1  Attribute Value      !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 .                   AF=0  Attribute Value                       .
 .                   AF=1  Not Transmitted                       .
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 */
class IsakmpAttribute
{
public:
    /** An empty basic attribute of type 0. */
    IsakmpAttribute();

    /** @return a basic (TV, AF=1) attribute: @p type (15 bits) with a 16-bit @p value */
    static IsakmpAttribute Basic(uint16_t type, uint16_t value);
    /** @return a variable (TLV, AF=0) attribute with @p value as its bytes (at most 65535) */
    static IsakmpAttribute Variable(uint16_t type, const std::vector<uint8_t>& value);
    /**
     * @return basic if @p value fits 16 bits, else variable with the value in 4 bytes (or 8 if it
     * needs them), big-endian: RFC 2409 Appendix A marks Life Duration "V" and a 4-byte
     * 86400 is what IOS, strongSwan and racoon send.
     */
    static IsakmpAttribute Integer(uint16_t type, uint64_t value);

    /** @return the Attribute Type without the AF bit */
    uint16_t GetType() const;
    /** @return true for the TV form (AF=1) */
    bool IsBasic() const;
    /** @return the value bytes (2 for a basic attribute) */
    const std::vector<uint8_t>& GetValue() const;
    /** @return the value as a big-endian integer, if it has 1 to 8 bytes */
    std::optional<uint64_t> GetInteger() const;

    /** @return bytes on the wire: 4, plus the value for TLV */
    uint32_t GetSerializedSize() const;
    /** @brief Write the attribute at @p i and advance it. */
    void Serialize(Buffer::Iterator& i) const;
    /**
     * @brief Parse one attribute from @p len bytes at @p data.
     * @param[out] used bytes consumed on success
     * @return OK, or TRUNCATED (notify PAYLOAD-MALFORMED) with offsets relative to @p data
     */
    IsakmpParseStatus Parse(const uint8_t* data, size_t len, size_t* used);

    /** @return true if type, form and value are equal */
    bool operator==(const IsakmpAttribute& o) const;

private:
    uint16_t m_type;              //!< Attribute Type (15 bits)
    bool m_basic;                 //!< AF bit
    std::vector<uint8_t> m_value; //!< value bytes (2 when basic)
};

/**
 * @ingroup ipsec
 * @brief Base of every payload: the generic payload header (RFC 2408 3.2) and its chaining.
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 ! Next Payload  !   RESERVED    !         Payload Length        !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * Serialize writes this header and the body; Deserialize reads one payload, or returns 0 and
 * records the reason (GetParseStatus) if the bytes are not a valid payload of this class.
 * Serializing a body longer than 65531 bytes aborts (Payload Length is 16 bits).
 */
class IsakmpPayload : public Header
{
public:
    /** Size of the generic payload header. */
    static constexpr uint32_t GENERIC_HEADER_SIZE = 4;

    IsakmpPayload();
    ~IsakmpPayload() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @return this payload's type (the value a preceding Next Payload field carries) */
    virtual uint8_t GetPayloadType() const = 0;
    /** @return a deep copy */
    virtual std::unique_ptr<IsakmpPayload> Clone() const = 0;
    /** @return the size of the body (everything after the generic header) */
    virtual uint32_t GetBodySize() const = 0;
    /** @brief Write the body at @p i and advance it. */
    virtual void SerializeBody(Buffer::Iterator& i) const = 0;
    /**
     * @brief Parse the body: @p len bytes at @p body (the generic header is already read).
     * @return OK or the fault, offsets relative to the start of the payload
     */
    virtual IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) = 0;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @brief Write generic header (with @p nextPayload) and body at @p i, advancing it. */
    void SerializeWithNext(Buffer::Iterator& i, uint8_t nextPayload) const;
    /**
     * @brief Parse one whole payload (generic header included) from at most @p len bytes.
     * On success GetPayloadLength() bytes were consumed.
     */
    IsakmpParseStatus Parse(const uint8_t* data, size_t len);
    /** @return the payload serialized alone (generic header included) */
    std::vector<uint8_t> ToBytes() const;

    /** @param type the Next Payload field written by Serialize() */
    void SetNextPayload(uint8_t type);
    /** @return the Next Payload field (as parsed, or as set) */
    uint8_t GetNextPayload() const;
    /** @return the Payload Length: 4 plus the body */
    uint16_t GetPayloadLength() const;
    /** @return the status of the last Deserialize or Parse */
    const IsakmpParseStatus& GetParseStatus() const;

    /**
     * @return a new payload of the class for @p type (SA, KE, ID, HASH, SIG, NONCE, N, D, VID),
     *         an IsakmpRawPayload for any other type except Proposal and Transform (which only
     *         exist inside an SA / Proposal), and nullptr for those two
     */
    static std::unique_ptr<IsakmpPayload> Create(uint8_t type);

protected:
    IsakmpParseStatus m_status; //!< status of the last Deserialize or Parse

private:
    uint8_t m_nextPayload; //!< Next Payload
};

/**
 * @brief Transform payload (RFC 2408 3.6): a transform of a proposal and its SA attributes.
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !  Transform #  !  Transform-Id !           RESERVED2           !
 ~                        SA Attributes                          ~
 @endverbatim
 */
class IsakmpTransform : public IsakmpPayload
{
public:
    IsakmpTransform();
    /** @param number Transform # @param id Transform-Id (IsakmpTransformId) */
    IsakmpTransform(uint8_t number, uint8_t id);
    ~IsakmpTransform() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param number the Transform # */
    void SetTransformNumber(uint8_t number);
    /** @return the Transform # */
    uint8_t GetTransformNumber() const;
    /** @param id the Transform-Id */
    void SetTransformId(uint8_t id);
    /** @return the Transform-Id */
    uint8_t GetTransformId() const;
    /** @brief Append @p attr to the SA attributes. @return *this */
    IsakmpTransform& AddAttribute(const IsakmpAttribute& attr);
    /** @return the SA attributes in wire order */
    const std::vector<IsakmpAttribute>& GetAttributes() const;
    /** @return the first attribute of @p type, or nullptr */
    const IsakmpAttribute* FindAttribute(uint16_t type) const;
    /** @return the integer value of the first attribute of @p type, if present and numeric */
    std::optional<uint64_t> GetAttributeValue(uint16_t type) const;

private:
    uint8_t m_number;                          //!< Transform #
    uint8_t m_id;                              //!< Transform-Id
    std::vector<IsakmpAttribute> m_attributes; //!< SA Attributes
};

/**
 * @brief Proposal payload (RFC 2408 3.5): one protocol's offer and its transforms.
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 !                        SPI (variable)                         !
 @endverbatim
 *
 * The transforms follow, chained with Next Payload 3, the last 0; Payload Length covers them.
 */
class IsakmpProposal : public IsakmpPayload
{
public:
    /** Most transforms accepted in one proposal on parsing (# of Transforms is one octet). */
    static constexpr size_t MAX_TRANSFORMS = 255;

    IsakmpProposal();
    /** @param number Proposal # @param protocol Protocol-Id @param spi the SPI (any size) */
    IsakmpProposal(uint8_t number, uint8_t protocol, const std::vector<uint8_t>& spi = {});
    ~IsakmpProposal() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param number the Proposal # */
    void SetProposalNumber(uint8_t number);
    /** @return the Proposal # */
    uint8_t GetProposalNumber() const;
    /** @param protocol the Protocol-Id (IsakmpProtocolId) */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-Id */
    uint8_t GetProtocolId() const;
    /** @param spi the SPI; its size is the SPI Size field (at most 255 bytes) */
    void SetSpi(const std::vector<uint8_t>& spi);
    /** @param spi a 4-byte SPI (AH, ESP), big-endian */
    void SetSpi32(uint32_t spi);
    /** @return the SPI bytes */
    const std::vector<uint8_t>& GetSpi() const;
    /** @return the SPI as a number, if it is 4 bytes (or 2, an IPComp CPI) */
    std::optional<uint32_t> GetSpi32() const;
    /** @brief Append a transform (at most 255). @return the stored copy */
    IsakmpTransform& AddTransform(const IsakmpTransform& t);
    /** @return the transforms in wire order */
    const std::vector<IsakmpTransform>& GetTransforms() const;

private:
    uint8_t m_number;                          //!< Proposal #
    uint8_t m_protocol;                        //!< Protocol-Id
    std::vector<uint8_t> m_spi;                //!< SPI
    std::vector<IsakmpTransform> m_transforms; //!< transforms
};

/**
 * @brief Security Association payload (RFC 2408 3.4) in the IPsec DOI (RFC 2407 4.6.1).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !                           Situation                           !
 @endverbatim
 *
 * Only DOI 1 with SIT_IDENTITY_ONLY is parsed; another DOI is UNSUPPORTED (DOI-NOT-SUPPORTED),
 * SIT_SECRECY / SIT_INTEGRITY (which add labelled-domain fields, RFC 2407 4.6.1) are UNSUPPORTED
 * (SITUATION-NOT-SUPPORTED). The proposals follow, chained with Next Payload 2, the last 0.
 */
class IsakmpSaPayload : public IsakmpPayload
{
public:
    /** Most proposals accepted in one SA payload on parsing. */
    static constexpr size_t MAX_PROPOSALS = 64;

    IsakmpSaPayload();
    ~IsakmpSaPayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param doi the Domain of Interpretation (ISAKMP_DOI_IPSEC by default) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param situation the Situation bitmap (ISAKMP_SIT_IDENTITY_ONLY by default) */
    void SetSituation(uint32_t situation);
    /** @return the Situation */
    uint32_t GetSituation() const;
    /** @brief Append a proposal. @return the stored copy */
    IsakmpProposal& AddProposal(const IsakmpProposal& p);
    /** @return the proposals in wire order */
    const std::vector<IsakmpProposal>& GetProposals() const;

private:
    uint32_t m_doi;                          //!< Domain of Interpretation
    uint32_t m_situation;                    //!< Situation
    std::vector<IsakmpProposal> m_proposals; //!< proposals
};

/**
 * @brief A payload whose body is one opaque field: the base of KE, HASH, SIG, NONCE, VID and of
 * IsakmpRawPayload.
 */
class IsakmpOpaquePayload : public IsakmpPayload
{
public:
    IsakmpOpaquePayload();
    ~IsakmpOpaquePayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    void Print(std::ostream& os) const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param data the payload's data field */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the data field */
    const std::vector<uint8_t>& GetData() const;

protected:
    /**
     * @return OK if @p len is an acceptable data length for this payload; the default accepts
     *         at least one byte
     * @param len the data length received
     */
    virtual IsakmpParseStatus CheckDataLength(size_t len) const;

    std::vector<uint8_t> m_data; //!< the data field
};

/** @brief Key Exchange payload (RFC 2408 3.7): the Diffie-Hellman public value g^x. */
class IsakmpKeyExchangePayload : public IsakmpOpaquePayload
{
public:
    IsakmpKeyExchangePayload();
    /** @param data Key Exchange Data */
    explicit IsakmpKeyExchangePayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
};

/** @brief Hash payload (RFC 2408 3.11): HASH_I, HASH_R, HASH(1..3). */
class IsakmpHashPayload : public IsakmpOpaquePayload
{
public:
    IsakmpHashPayload();
    /** @param data Hash Data */
    explicit IsakmpHashPayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
};

/** @brief Signature payload (RFC 2408 3.12): SIG_I, SIG_R. */
class IsakmpSignaturePayload : public IsakmpOpaquePayload
{
public:
    IsakmpSignaturePayload();
    /** @param data Signature Data */
    explicit IsakmpSignaturePayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
};

/**
 * @brief Nonce payload (RFC 2408 3.13). RFC 2409 5: "The length of nonce payload MUST be
 * between 8 and 256 bytes inclusive"; others are a BAD_PAYLOAD_BODY (PAYLOAD-MALFORMED).
 */
class IsakmpNoncePayload : public IsakmpOpaquePayload
{
public:
    /** Shortest nonce (RFC 2409 5). */
    static constexpr size_t MIN_NONCE = 8;
    /** Longest nonce (RFC 2409 5). */
    static constexpr size_t MAX_NONCE = 256;

    IsakmpNoncePayload();
    /** @param data Nonce Data */
    explicit IsakmpNoncePayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;

protected:
    IsakmpParseStatus CheckDataLength(size_t len) const override;
};

/**
 * @brief Vendor ID payload (RFC 2408 3.16), with the public IDs we send.
 */
class IsakmpVendorIdPayload : public IsakmpOpaquePayload
{
public:
    IsakmpVendorIdPayload();
    /** @param data the Vendor ID */
    explicit IsakmpVendorIdPayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;

    /**
     * @return the Dead Peer Detection vendor ID of RFC 3706 5.1 (version 1.0):
     *         af ca d7 13 68 a1 f1 c9 6b 86 96 fc 77 57 01 00
     */
    static std::vector<uint8_t> DpdVendorId();
    /**
     * @return the Cisco Unity vendor ID: MD5("CISCO-UNITY") with the last two bytes replaced by
     *         major 1, minor 0 (as strongSwan's isakmp_vendor.c, libreswan's vendor.c and
     *         Wireshark's packet-isakmp.c list it): 12 f5 f2 8c 45 71 68 a9 70 2d 9f e2 74 cc 01 00
     */
    static std::vector<uint8_t> CiscoUnityVendorId();
    /** @return the NAT-Traversal vendor ID, MD5("RFC 3947") (RFC 3947 3.1) */
    static std::vector<uint8_t> NatTraversalRfc3947VendorId();
};

/**
 * @brief Identification payload in the IPsec DOI (RFC 2407 4.6.2; RFC 2408 3.8).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !        Payload Length         !
 !   ID Type     !  Protocol ID  !             Port              !
 ~                     Identification Data                       ~
 @endverbatim
 *
 * Address types must carry their exact length (4, 8, 16 or 32 bytes), otherwise parsing fails
 * with INVALID-ID-INFORMATION.
 */
class IsakmpIdPayload : public IsakmpPayload
{
public:
    IsakmpIdPayload();
    ~IsakmpIdPayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @return ID_IPV4_ADDR @p addr (phase 1: protocol 17 port 500 or 0/0, RFC 2407 4.6.2) */
    static IsakmpIdPayload Ipv4(Ipv4Address addr, uint8_t protocol = 0, uint16_t port = 0);
    /** @return ID_IPV4_ADDR_SUBNET @p net / @p mask (a quick-mode client identity) */
    static IsakmpIdPayload Ipv4Subnet(Ipv4Address net, Ipv4Mask mask, uint8_t protocol = 0,
                                      uint16_t port = 0);
    /** @return ID_IPV4_ADDR_RANGE @p first .. @p last */
    static IsakmpIdPayload Ipv4Range(Ipv4Address first, Ipv4Address last, uint8_t protocol = 0,
                                     uint16_t port = 0);
    /** @return ID_FQDN @p name */
    static IsakmpIdPayload Fqdn(const std::string& name, uint8_t protocol = 0, uint16_t port = 0);

    /** @param type the ID Type (IsakmpIdType) */
    void SetIdType(uint8_t type);
    /** @return the ID Type */
    uint8_t GetIdType() const;
    /** @param protocol the Protocol ID (an IP protocol number, 0 = any) */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol ID */
    uint8_t GetProtocolId() const;
    /** @param port the Port (0 = any) */
    void SetPort(uint16_t port);
    /** @return the Port */
    uint16_t GetPort() const;
    /** @param data the Identification Data */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the Identification Data */
    const std::vector<uint8_t>& GetData() const;
    /** @return the (first) IPv4 address of an IPV4 ADDR, SUBNET or RANGE identity */
    std::optional<Ipv4Address> GetIpv4Address() const;
    /** @return the mask of an IPV4_ADDR_SUBNET identity */
    std::optional<Ipv4Mask> GetIpv4Mask() const;
    /** @return the end address of an IPV4_ADDR_RANGE identity */
    std::optional<Ipv4Address> GetIpv4RangeEnd() const;
    /** @return the data as text (FQDN, USER_FQDN) */
    std::string GetDataString() const;

private:
    uint8_t m_idType;            //!< ID Type
    uint8_t m_protocol;          //!< Protocol ID
    uint16_t m_port;             //!< Port
    std::vector<uint8_t> m_data; //!< Identification Data
};

/**
 * @brief Notification payload (RFC 2408 3.14).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 ~                Security Parameter Index (SPI)                 ~
 ~                       Notification Data                       ~
 @endverbatim
 */
class IsakmpNotificationPayload : public IsakmpPayload
{
public:
    IsakmpNotificationPayload();
    /**
     * @param type the Notify Message Type
     * @param protocol the Protocol-ID
     * @param spi the SPI (16 bytes = both cookies for ISAKMP, RFC 2408 3.14 / RFC 3706 5.3)
     * @param data Notification Data
     */
    IsakmpNotificationPayload(uint16_t type, uint8_t protocol, const std::vector<uint8_t>& spi,
                              const std::vector<uint8_t>& data = {});
    ~IsakmpNotificationPayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /**
     * @return an R-U-THERE (or, with @p ack, R-U-THERE-ACK) notification: protocol ISAKMP, SPI
     *         = the two cookies, data = the 32-bit sequence number (RFC 3706 5.3)
     */
    static IsakmpNotificationPayload DpdNotify(bool ack, const IsakmpCookie& icookie,
                                               const IsakmpCookie& rcookie, uint32_t sequence);
    /** @return the ISAKMP SPI of a cookie pair: icookie | rcookie (16 bytes) */
    static std::vector<uint8_t> CookieSpi(const IsakmpCookie& icookie, const IsakmpCookie& rcookie);

    /** @param doi the DOI (1) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param protocol the Protocol-ID */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-ID */
    uint8_t GetProtocolId() const;
    /** @param type the Notify Message Type */
    void SetNotifyType(uint16_t type);
    /** @return the Notify Message Type */
    uint16_t GetNotifyType() const;
    /** @param spi the SPI (at most 255 bytes) */
    void SetSpi(const std::vector<uint8_t>& spi);
    /** @return the SPI */
    const std::vector<uint8_t>& GetSpi() const;
    /** @param data the Notification Data */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the Notification Data */
    const std::vector<uint8_t>& GetData() const;

private:
    uint32_t m_doi;              //!< DOI
    uint8_t m_protocol;          //!< Protocol-ID
    uint16_t m_type;             //!< Notify Message Type
    std::vector<uint8_t> m_spi;  //!< SPI
    std::vector<uint8_t> m_data; //!< Notification Data
};

/**
 * @brief Delete payload (RFC 2408 3.15).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 ~               Security Parameter Index(es) (SPI)              ~
 @endverbatim
 *
 * All SPIs have SPI Size bytes; the body must hold exactly # of SPIs of them.
 */
class IsakmpDeletePayload : public IsakmpPayload
{
public:
    IsakmpDeletePayload();
    /** @param protocol the Protocol-Id @param spiSize the SPI Size (4 for AH/ESP, 16 ISAKMP) */
    IsakmpDeletePayload(uint8_t protocol, uint8_t spiSize);
    ~IsakmpDeletePayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param doi the DOI (1) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param protocol the Protocol-Id */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-Id */
    uint8_t GetProtocolId() const;
    /** @param size the SPI Size; SPIs added later must have it */
    void SetSpiSize(uint8_t size);
    /** @return the SPI Size */
    uint8_t GetSpiSize() const;
    /** @brief Append an SPI (aborts unless it has SPI Size bytes). */
    void AddSpi(const std::vector<uint8_t>& spi);
    /** @brief Append a 4-byte SPI (SPI Size must be 4). */
    void AddSpi32(uint32_t spi);
    /** @return the SPIs */
    const std::vector<std::vector<uint8_t>>& GetSpis() const;

private:
    uint32_t m_doi;                           //!< DOI
    uint8_t m_protocol;                       //!< Protocol-Id
    uint8_t m_spiSize;                        //!< SPI Size
    std::vector<std::vector<uint8_t>> m_spis; //!< SPIs
};

/**
 * @brief A payload kept as raw bytes: the types we have no class for (CERT, CR, NAT-D, private
 * use...). Parsing records it and moves on by Payload Length.
 */
class IsakmpRawPayload : public IsakmpOpaquePayload
{
public:
    IsakmpRawPayload();
    /** @param type the payload type @param body the body bytes */
    IsakmpRawPayload(uint8_t type, const std::vector<uint8_t>& body);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    /** @param type the payload type this raw payload claims */
    void SetPayloadType(uint8_t type);

protected:
    IsakmpParseStatus CheckDataLength(size_t len) const override;

private:
    uint8_t m_type; //!< payload type
};

/**
 * @ingroup ipsec
 * @brief A whole ISAKMP message: the header (RFC 2408 3.1) and an ordered chain of payloads.
 *
 * Serializing fills in the header's Next Payload (the first payload's type), each payload's Next
 * Payload (the following payload's type, 0 for the last) and the header's Length. A message
 * whose E flag is set is produced in the clear by ToBytes (IsakmpCipherState pads and encrypts
 * it); a received message with the E flag is kept as an opaque encrypted body until decrypted.
 *
 * Parsing (Parse, FromBytes, Deserialize) never reads past the given bytes and always ends: each
 * payload consumes at least 4 bytes and at most MAX_PAYLOADS are accepted. Payloads of unknown
 * type are kept as IsakmpRawPayload (RFC 2408 5.2 lets the receiver decide to answer
 * INVALID-PAYLOAD-TYPE).
 */
class IsakmpMessage : public Header
{
public:
    /** Most top-level payloads accepted on parsing. */
    static constexpr size_t MAX_PAYLOADS = 64;

    IsakmpMessage();
    ~IsakmpMessage() override;
    /** Deep copy. */
    IsakmpMessage(const IsakmpMessage& o);
    /** Deep copy. @return *this */
    IsakmpMessage& operator=(const IsakmpMessage& o);
    IsakmpMessage(IsakmpMessage&&) = default;
    /** @return *this */
    IsakmpMessage& operator=(IsakmpMessage&&) = default;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * Reads the header, then Length bytes (at most what remains) as with FromBytes.
     * @return the bytes consumed, or 0 if the bytes are not a valid message (GetParseStatus)
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @return the header (Next Payload and Length are recomputed on serialization) */
    IsakmpHeader& GetHeader();
    /** @return the header */
    const IsakmpHeader& GetHeader() const;
    /** @param header the header to use */
    void SetHeader(const IsakmpHeader& header);

    /** @brief Append a copy of @p payload. @return the stored copy */
    template <class T> T& AddPayload(const T& payload)
    {
        auto p = std::make_unique<T>(payload);
        T& ref = *p;
        m_payloads.push_back(std::move(p));
        return ref;
    }

    /** @brief Append @p payload. */
    void AddPayload(std::unique_ptr<IsakmpPayload> payload);
    /** @return the number of payloads */
    size_t GetNPayloads() const;
    /** @return payload @p i (aborts if out of range) */
    const IsakmpPayload& GetPayload(size_t i) const;
    /** @return payload @p i, to change it in place (aborts if out of range) */
    IsakmpPayload& GetPayload(size_t i);
    /** @return the types of the payloads in order */
    std::vector<uint8_t> GetPayloadTypes() const;
    /** @brief Remove every payload and any encrypted body. */
    void ClearPayloads();

    /** @return the @p nth payload of class T, or nullptr */
    template <class T> const T* FindPayload(size_t nth = 0) const
    {
        for (const auto& p : m_payloads)
        {
            if (auto t = dynamic_cast<const T*>(p.get()))
            {
                if (nth-- == 0)
                {
                    return t;
                }
            }
        }
        return nullptr;
    }

    /** @return the number of payloads of @p type */
    size_t CountPayloads(uint8_t type) const;

    /** @return true if the message holds an encrypted body not yet decrypted */
    bool HasEncryptedBody() const;
    /** @return the encrypted body (everything after the header) */
    const std::vector<uint8_t>& GetEncryptedBody() const;
    /** @brief Replace the payloads by an opaque encrypted @p body (sets the E flag). */
    void SetEncryptedBody(const std::vector<uint8_t>& body);
    /** @return the bytes after the last payload of a decrypted message (the CBC padding) */
    uint32_t GetPaddingLength() const;

    /** @return the whole message on the wire */
    std::vector<uint8_t> ToBytes() const;
    /**
     * @brief Parse a whole message.
     * @param data the datagram
     * @param len its length: the header's Length must equal it
     * @param decrypted true if an E-flagged body has been decrypted already (the bytes after the
     *        last payload are then padding); false keeps an E-flagged body opaque
     * @return OK or the fault; on failure the message content is unspecified
     */
    IsakmpParseStatus Parse(const uint8_t* data, size_t len, bool decrypted = false);
    /** @return the message parsed from @p bytes, or nullopt (reason in @p status) */
    static std::optional<IsakmpMessage> FromBytes(const std::vector<uint8_t>& bytes,
                                                  IsakmpParseStatus* status = nullptr);
    /** @return as FromBytes, for a message whose E-flagged body was decrypted in place */
    static std::optional<IsakmpMessage> FromDecryptedBytes(const std::vector<uint8_t>& bytes,
                                                           IsakmpParseStatus* status = nullptr);
    /** @return the status of the last Parse or Deserialize */
    const IsakmpParseStatus& GetParseStatus() const;

private:
    /** @return the body size: payloads, or the encrypted body */
    uint32_t GetBodySize() const;

    IsakmpHeader m_header;                                  //!< the header
    std::vector<std::unique_ptr<IsakmpPayload>> m_payloads; //!< payload chain
    std::vector<uint8_t> m_encryptedBody;                   //!< opaque encrypted body
    bool m_hasEncryptedBody;                                //!< m_encryptedBody is in use
    uint32_t m_padding;                                     //!< trailing bytes after the chain
    IsakmpParseStatus m_status;                             //!< last parse status
};

} // namespace ns3

#endif /* ISAKMP_PAYLOADS_H */
