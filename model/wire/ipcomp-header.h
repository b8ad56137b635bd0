// IP Payload Compression Protocol header (RFC 3173 2.1).
#ifndef IPCOMP_HEADER_H
#define IPCOMP_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief The IPComp header (RFC 3173 2.1), followed on the wire by the compressed payload.
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |  Next Header  |     Flags     | Compression Parameter Index   |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * Deserialize reads 4 bytes; the caller checks that the packet holds at least that many.
 */
class IpcompHeader : public Header
{
public:
    /** Size of the header on the wire, in bytes. */
    static constexpr uint32_t SIZE = 4;

    IpcompHeader();
    ~IpcompHeader() override;

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

    /** @param nextHeader IP protocol number of the payload before compression */
    void SetNextHeader(uint8_t nextHeader);
    /** @return IP protocol number of the payload before compression */
    uint8_t GetNextHeader() const;
    /** @param flags the reserved Flags field (RFC 3173 2.1: MUST be zero when sent) */
    void SetFlags(uint8_t flags);
    /** @return the Flags field as received (RFC 3173 2.1: ignored by the receiver) */
    uint8_t GetFlags() const;
    /**
     * @param cpi Compression Parameter Index (RFC 3173 2.1): 0..63 are the well-known IPCOMP
     *        transform identifiers used for manual setup (RFC 2407 4.4.5: 1 OUI, 2 DEFLATE,
     *        3 LZS; RFC 3051: 4 LZJH), 64..255 are reserved, 256..61439 are negotiated and
     *        61440..65535 are for private use
     */
    void SetCpi(uint16_t cpi);
    /** @return Compression Parameter Index */
    uint16_t GetCpi() const;

private:
    uint8_t m_nextHeader; //!< Next Header
    uint8_t m_flags;      //!< Flags (reserved)
    uint16_t m_cpi;       //!< Compression Parameter Index
};

} // namespace ns3

#endif /* IPCOMP_HEADER_H */
