// ISAKMP fixed header (RFC 2408 3.1), the 28 bytes that start every IKEv1 message on UDP 500.
#ifndef ISAKMP_HEADER_H
#define ISAKMP_HEADER_H

#include "ns3/header.h"

#include <array>
#include <cstdint>

namespace ns3
{

/** An ISAKMP cookie (RFC 2408 2.5.3): 8 opaque bytes, kept in wire order. */
using IsakmpCookie = std::array<uint8_t, 8>;

/** @return the cookie whose wire bytes are @p value, big-endian */
IsakmpCookie IsakmpCookieFromUint64(uint64_t value);
/** @return the cookie's wire bytes read as a big-endian number */
uint64_t IsakmpCookieToUint64(const IsakmpCookie& cookie);

/** Exchange Type values (RFC 2408 3.1 and 4.1; RFC 2409 adds 32 and 33). */
enum IsakmpExchangeType : uint8_t
{
    ISAKMP_EXCH_NONE = 0,
    ISAKMP_EXCH_BASE = 1,
    ISAKMP_EXCH_IDENTITY_PROTECTION = 2, //!< IKE Main Mode (RFC 2409 5)
    ISAKMP_EXCH_MAIN_MODE = 2,
    ISAKMP_EXCH_AUTHENTICATION_ONLY = 3,
    ISAKMP_EXCH_AGGRESSIVE = 4,      //!< IKE Aggressive Mode (RFC 2409 5)
    ISAKMP_EXCH_INFORMATIONAL = 5,   //!< RFC 2408 4.8, RFC 2409 5.7
    ISAKMP_EXCH_QUICK_MODE = 32,     //!< RFC 2409 5.5
    ISAKMP_EXCH_NEW_GROUP_MODE = 33, //!< RFC 2409 5.6
};

/**
 * @ingroup ipsec
 * @brief The ISAKMP header (RFC 2408 3.1).
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !                          Initiator                            !
 !                            Cookie                             !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !                          Responder                            !
 !                            Cookie                             !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !  Next Payload ! MjVer ! MnVer ! Exchange Type !     Flags     !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !                          Message ID                           !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 !                            Length                             !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * The header is only these 28 bytes: Length is stored as set (IsakmpMessage fills it in from
 * the payloads it carries). Deserialize reads 28 bytes and returns 0 if fewer are available;
 * it checks nothing else (IsakmpMessage::Parse validates versions, flags and length).
 */
class IsakmpHeader : public Header
{
public:
    /** Size of the header on the wire, in bytes. */
    static constexpr uint32_t SIZE = 28;
    /** RFC 2408 3.1: "Implementations based on this version of the ISAKMP Internet-Draft MUST
     * set the Major Version to 1" and the Minor Version to 0; the version octet is 0x10. */
    static constexpr uint8_t VERSION_1_0 = 0x10;

    /** Flags (RFC 2408 3.1). */
    enum Flag : uint8_t
    {
        FLAG_ENCRYPTION = 0x01, //!< E: payloads after the header are encrypted
        FLAG_COMMIT = 0x02,     //!< C: key exchange synchronisation (RFC 2408 3.1, 4.1)
        FLAG_AUTH_ONLY = 0x04,  //!< A: authentication-only Informational (RFC 2408 3.1)
        FLAG_RESERVED = 0xf8,   //!< "The remaining bits of the Flags field MUST be set to 0"
    };

    IsakmpHeader();
    ~IsakmpHeader() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @brief Serialize into @p out, which must hold SIZE bytes. */
    void WriteTo(uint8_t* out) const;
    /** @brief Deserialize from @p in, which must hold SIZE bytes. */
    void ReadFrom(const uint8_t* in);

    /** @param cookie the initiator cookie (RFC 2408 2.5.3) */
    void SetInitiatorCookie(const IsakmpCookie& cookie);
    /** @return the initiator cookie */
    const IsakmpCookie& GetInitiatorCookie() const;
    /** @param cookie the responder cookie (all zeros in the first message of an exchange) */
    void SetResponderCookie(const IsakmpCookie& cookie);
    /** @return the responder cookie */
    const IsakmpCookie& GetResponderCookie() const;
    /** @param type the type of the first payload of the message (IsakmpPayloadType) */
    void SetNextPayload(uint8_t type);
    /** @return the type of the first payload */
    uint8_t GetNextPayload() const;
    /** @param version the version octet, major in the high nibble (VERSION_1_0) */
    void SetVersion(uint8_t version);
    /** @return the version octet */
    uint8_t GetVersion() const;
    /** @return the Major Version (high nibble) */
    uint8_t GetMajorVersion() const;
    /** @return the Minor Version (low nibble) */
    uint8_t GetMinorVersion() const;
    /** @param type the Exchange Type (IsakmpExchangeType) */
    void SetExchangeType(uint8_t type);
    /** @return the Exchange Type */
    uint8_t GetExchangeType() const;
    /** @param flags the whole Flags octet (Flag bits) */
    void SetFlags(uint8_t flags);
    /** @return the whole Flags octet */
    uint8_t GetFlags() const;
    /** @return true if the Encryption bit is set */
    bool IsEncrypted() const;
    /** @param on set or clear the Encryption bit */
    void SetEncrypted(bool on);
    /** @param id the Message ID (0 in phase 1; random and unique per phase-2 exchange) */
    void SetMessageId(uint32_t id);
    /** @return the Message ID */
    uint32_t GetMessageId() const;
    /** @param length the Length field: header plus payloads (and padding), in bytes */
    void SetLength(uint32_t length);
    /** @return the Length field */
    uint32_t GetLength() const;

private:
    IsakmpCookie m_initiatorCookie; //!< Initiator Cookie
    IsakmpCookie m_responderCookie; //!< Responder Cookie
    uint8_t m_nextPayload;          //!< Next Payload (type of the first payload)
    uint8_t m_version;              //!< MjVer (high nibble) and MnVer (low nibble)
    uint8_t m_exchangeType;         //!< Exchange Type
    uint8_t m_flags;                //!< Flags
    uint32_t m_messageId;           //!< Message ID
    uint32_t m_length;              //!< Length
};

} // namespace ns3

#endif /* ISAKMP_HEADER_H */
