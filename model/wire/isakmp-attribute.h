// An SA attribute (RFC 2408 3.3), basic or variable length.
#ifndef IPSEC_ISAKMP_ATTRIBUTE_H
#define IPSEC_ISAKMP_ATTRIBUTE_H

#include "ns3/isakmp-payload.h"

#include <optional>

namespace ns3
{

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

} // namespace ns3

#endif
