// The IKEv2 Security Association payload (RFC 7296 3.3): proposals, their transforms and the
// transforms' attributes (Key Length).
#ifndef IPSEC_IKEV2_SA_PAYLOAD_H
#define IPSEC_IKEV2_SA_PAYLOAD_H

#include "ns3/ikev2-payload.h"

#include <optional>

namespace ns3
{

/**
 * @brief A transform attribute (RFC 7296 3.3.5): TV (AF = 1, a 16-bit value; Key Length is the
 * only one IKEv2 defines) or TLV (AF = 0, a variable value).
 */
struct Ikev2TransformAttribute
{
    uint16_t type = 0;          //!< Attribute Type (15 bits)
    bool tv = true;             //!< AF bit: true for TV
    uint16_t value = 0;         //!< the value of a TV attribute
    std::vector<uint8_t> bytes; //!< the value of a TLV attribute

    /** @brief Append the attribute. @throws std::length_error for a TLV value over 65535 bytes */
    void AppendTo(std::vector<uint8_t>& out) const;
    /** @return true if both are the same attribute with the same value */
    bool operator==(const Ikev2TransformAttribute& o) const;
};

/**
 * @brief A transform substructure (RFC 7296 3.3.2).
 *
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 | Last Substruc |   RESERVED    |        Transform Length       |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |Transform Type |   RESERVED    |          Transform ID         |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 ~                      Transform Attributes                     ~
 @endverbatim
 */
struct Ikev2Transform
{
    /** Most attributes accepted in one transform. */
    static constexpr size_t MAX_ATTRIBUTES = 16;

    uint8_t type = 0; //!< Ikev2TransformType
    uint16_t id = 0;  //!< Transform ID (Ikev2EncrId, Ikev2PrfId, Ikev2IntegId, DH group, ESN)
    std::vector<Ikev2TransformAttribute> attributes; //!< attributes in order

    /** @return a transform of @p type and @p id, with a Key Length attribute if @p keyBits != 0 */
    static Ikev2Transform Make(uint8_t type, uint16_t id, uint16_t keyBits = 0);
    /** @return the Key Length attribute's value in bits, if present */
    std::optional<uint16_t> KeyLength() const;
    /** @brief Append the substructure; @p last picks Last Substruc 0, else 3. */
    void AppendTo(std::vector<uint8_t>& out, bool last) const;
    /**
     * @brief Parse one transform from at most @p len bytes.
     * @param[out] length the Transform Length (bytes consumed) on success
     * @param[out] more true if Last Substruc is 3 (another transform follows)
     */
    Ikev2ParseStatus Parse(const uint8_t* data, size_t len, size_t& length, bool& more);
    /** @return true if both are equal in every field */
    bool operator==(const Ikev2Transform& o) const;
};

/**
 * @brief A proposal substructure (RFC 7296 3.3.1).
 *
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 | Last Substruc |   RESERVED    |         Proposal Length       |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 | Proposal Num  |  Protocol ID  |    SPI Size   |Num  Transforms|
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 ~                        SPI (variable)                         ~
 ~                        <Transforms>                           ~
 @endverbatim
 */
struct Ikev2Proposal
{
    /** Most transforms accepted in one proposal (Num Transforms is one octet). */
    static constexpr size_t MAX_TRANSFORMS = 255;

    uint8_t number = 1;                     //!< Proposal Num (1 for the first)
    uint8_t protocol = IKEV2_PROTO_IKE;     //!< Ikev2ProtocolId
    std::vector<uint8_t> spi;               //!< SPI: none (first IKE SA), 8 (IKE rekey), 4 (ESP/AH)
    std::vector<Ikev2Transform> transforms; //!< transforms in order

    /** @return the first transform of @p type, or nullptr */
    const Ikev2Transform* Find(uint8_t type) const;
    /** @brief Append the substructure; @p last picks Last Substruc 0, else 2. */
    void AppendTo(std::vector<uint8_t>& out, bool last) const;
    /** @brief Parse one proposal (see Ikev2Transform::Parse for the out parameters). */
    Ikev2ParseStatus Parse(const uint8_t* data, size_t len, size_t& length, bool& more);
    /** @return true if both are equal in every field */
    bool operator==(const Ikev2Proposal& o) const;
};

/** @brief The SA payload (RFC 7296 3.3): one or more proposals. */
class Ikev2SaPayload : public Ikev2Payload
{
public:
    /** Most proposals accepted in one SA payload. */
    static constexpr size_t MAX_PROPOSALS = 64;

    std::vector<Ikev2Proposal> proposals; //!< proposals in order

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;
};

} // namespace ns3

#endif
