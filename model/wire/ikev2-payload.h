// The generic IKEv2 payload (RFC 7296 3.2) and the payloads whose body is a few fixed fields and
// opaque data: KE, IDi/IDr, CERT/CERTREQ, AUTH, Ni/Nr, N, D, V, SK, and any unknown type.
// The SA payload is in ikev2-sa-payload.h, TSi/TSr in ikev2-ts-payload.h.
#ifndef IPSEC_IKEV2_PAYLOAD_H
#define IPSEC_IKEV2_PAYLOAD_H

#include "ns3/ikev2-header.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief Base of every IKEv2 payload: the generic payload header and its critical bit.
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 | Next Payload  |C|  RESERVED   |         Payload Length        |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * The critical bit is kept as parsed and written as set; RFC 7296 3.2 has it ignored for types
 * the receiver understands and Ikev2Message rejects an unknown type that carries it. The
 * RESERVED bits are written as zero and ignored on parsing. Parse never reads past the bytes it
 * is given and reports the first fault with its offset from the start of the payload.
 */
class Ikev2Payload
{
public:
    /** Size of the generic payload header. */
    static constexpr size_t GENERIC_HEADER_SIZE = 4;
    /** The critical bit in the second octet of the generic header. */
    static constexpr uint8_t CRITICAL_BIT = 0x80;

    virtual ~Ikev2Payload();

    /** @return this payload's type (the value the preceding Next Payload field carries) */
    virtual uint8_t GetType() const = 0;
    /** @return a deep copy */
    virtual std::unique_ptr<Ikev2Payload> Clone() const = 0;
    /** @brief Append the body (everything after the generic header) to @p out. */
    virtual void AppendBody(std::vector<uint8_t>& out) const = 0;
    /**
     * @brief Parse a body of @p len bytes (the generic header is already read).
     * @return OK or the fault, its offset relative to the start of the body
     */
    virtual Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) = 0;
    /** @return a one-line description for logs ("N(COOKIE) 20 bytes", ...) */
    virtual std::string Describe() const;

    /**
     * @brief Append the generic header (with @p next as Next Payload) and the body.
     * @throws std::length_error if the body does not fit a 16-bit Payload Length
     */
    void AppendTo(std::vector<uint8_t>& out, uint8_t next) const;
    /** @return the payload alone, generic header included, Next Payload @p next */
    std::vector<uint8_t> ToBytes(uint8_t next = 0) const;
    /**
     * @brief Parse one whole payload (generic header included) from at most @p len bytes.
     * On success GetPayloadLength() bytes were consumed.
     */
    Ikev2ParseStatus Parse(const uint8_t* data, size_t len);

    /** @return the Next Payload field as parsed */
    uint8_t GetNextPayload() const
    {
        return m_nextPayload;
    }

    /** @return the Payload Length as parsed */
    uint16_t GetPayloadLength() const
    {
        return m_payloadLength;
    }

    /** @return the critical bit */
    bool IsCritical() const
    {
        return m_critical;
    }

    /** @param on the critical bit to send (RFC 7296: zero for the types it defines) */
    void SetCritical(bool on)
    {
        m_critical = on;
    }

    /**
     * @return a new payload of the class for @p type (SA, KE, IDi, IDr, CERT, CERTREQ, AUTH,
     *         Ni/Nr, N, D, V, TSi, TSr, SK), or an Ikev2UnknownPayload for any other type
     */
    static std::unique_ptr<Ikev2Payload> Create(uint8_t type);

private:
    uint8_t m_nextPayload = 0;    //!< Next Payload as parsed
    uint16_t m_payloadLength = 0; //!< Payload Length as parsed
    bool m_critical = false;      //!< the C bit
};

/** @brief Key Exchange payload (RFC 7296 3.4): DH group and public value. */
class Ikev2KePayload : public Ikev2Payload
{
public:
    uint16_t dhGroup = 0;      //!< Diffie-Hellman Group Num
    std::vector<uint8_t> data; //!< Key Exchange Data

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
};

/** @brief Identification payload (RFC 7296 3.5), IDi or IDr. */
class Ikev2IdPayload : public Ikev2Payload
{
public:
    /** @param type IKEV2_PAYLOAD_IDI or IKEV2_PAYLOAD_IDR */
    explicit Ikev2IdPayload(uint8_t type = IKEV2_PAYLOAD_IDI);

    uint8_t idType = 0;        //!< Ikev2IdType
    std::vector<uint8_t> data; //!< Identification Data (4 bytes for IPV4_ADDR)

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
    /** @return the body (ID Type, RESERVED, data): what AUTH's MACedIDFor is computed over */
    std::vector<uint8_t> BodyBytes() const;

private:
    uint8_t m_type; //!< IDi or IDr
};

/** @brief Certificate (3.6) or Certificate Request (3.7): encoding and data. */
class Ikev2CertPayload : public Ikev2Payload
{
public:
    /** @param type IKEV2_PAYLOAD_CERT or IKEV2_PAYLOAD_CERTREQ */
    explicit Ikev2CertPayload(uint8_t type = IKEV2_PAYLOAD_CERT);

    uint8_t encoding = IKEV2_CERT_X509_SIGNATURE; //!< Ikev2CertEncoding
    /** the certificate (CERT) or the concatenated 20-byte SHA-1 CA key hashes (CERTREQ) */
    std::vector<uint8_t> data;

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;

private:
    uint8_t m_type; //!< CERT or CERTREQ
};

/** @brief Authentication payload (RFC 7296 3.8). */
class Ikev2AuthPayload : public Ikev2Payload
{
public:
    uint8_t method = IKEV2_AUTH_SHARED_KEY_MIC; //!< Ikev2AuthMethod
    std::vector<uint8_t> data;                  //!< Authentication Data

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
};

/** @brief Nonce payload (RFC 7296 3.9): 16 to 256 bytes. */
class Ikev2NoncePayload : public Ikev2Payload
{
public:
    /** RFC 7296 3.9: "between 16 and 256 octets, inclusive". */
    static constexpr size_t MIN_NONCE = 16;
    static constexpr size_t MAX_NONCE = 256; //!< see MIN_NONCE

    std::vector<uint8_t> nonce; //!< Nonce Data

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
};

/** @brief Notify payload (RFC 7296 3.10). */
class Ikev2NotifyPayload : public Ikev2Payload
{
public:
    uint8_t protocol = IKEV2_PROTO_NONE; //!< Ikev2ProtocolId, 0 when no SPI is concerned
    std::vector<uint8_t> spi;            //!< SPI (0, 4 or 8 bytes)
    uint16_t notifyType = 0;             //!< Ikev2NotifyType
    std::vector<uint8_t> data;           //!< Notification Data

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
    /** @return true for error types (below 16384, RFC 7296 3.10.1) */
    bool IsError() const;
};

/** @brief Delete payload (RFC 7296 3.11). */
class Ikev2DeletePayload : public Ikev2Payload
{
public:
    uint8_t protocol = IKEV2_PROTO_ESP; //!< IKE (no SPIs), AH or ESP (4-byte SPIs)
    std::vector<uint32_t> spis;         //!< the SPIs (AH/ESP)

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
};

/** @brief Vendor ID payload (RFC 7296 3.12). */
class Ikev2VendorIdPayload : public Ikev2Payload
{
public:
    std::vector<uint8_t> vendorId; //!< opaque Vendor ID

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
};

/**
 * @brief The Encrypted and Authenticated payload (RFC 7296 3.14) as it travels: IV, ciphertext
 * and ICV in one opaque body. Its Next Payload field is the type of the first payload inside.
 * Ikev2Message builds it (Seal) and opens it (Open) with an Ikev2SkCipher.
 */
class Ikev2EncryptedPayload : public Ikev2Payload
{
public:
    std::vector<uint8_t> body; //!< IV || encrypted payloads, padding, Pad Length || ICV
    uint8_t firstInner = 0;    //!< type of the first payload inside (its Next Payload field)

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* data, size_t len) override;
};

/** @brief A payload of a type we do not parse (CP, EAP, future types): type and raw body. */
class Ikev2UnknownPayload : public Ikev2Payload
{
public:
    /** @param type the payload type */
    explicit Ikev2UnknownPayload(uint8_t type = 0);

    std::vector<uint8_t> body; //!< the body as received

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* data, size_t len) override;

private:
    uint8_t m_type; //!< payload type
};

} // namespace ns3

#endif
