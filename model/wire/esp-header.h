// ESP header (RFC 4303 2.1, 2.2): the cleartext SPI and Sequence Number that precede the
// (possibly encrypted) payload.
#ifndef ESP_HEADER_H
#define ESP_HEADER_H

#include "ns3/header.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief The ESP header: Security Parameters Index and Sequence Number (RFC 4303 2).
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |               Security Parameters Index (SPI)                 |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                      Sequence Number                          |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * Only these 8 bytes: the IV (part of the Payload Data, RFC 4303 2.3), the trailer
 * (EspTrailer) and the ICV belong to the transform that processes the packet. Without ESN
 * (RFC 4303 2.2.1) the 32-bit Sequence Number is the whole counter.
 *
 * Deserialize reads 8 bytes; the caller checks that the packet holds at least that many.
 */
class EspHeader : public Header
{
public:
    /** Size of the header on the wire, in bytes. */
    static constexpr uint32_t SIZE = 8;

    /** @brief Per-packet fast path of Serialize(): SPI and sequence number, big-endian, at @p out.
     */
    static void WriteTo(uint8_t* out, uint32_t spi, uint32_t sequenceNumber);
    /** @brief Per-packet fast path of Deserialize(): the sequence number of the header at @p in. */
    static uint32_t ReadSequenceNumber(const uint8_t* in);

    EspHeader();
    ~EspHeader() override;

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

    /** @param spi the Security Parameters Index (RFC 4303 2.1; 1..255 are reserved by IANA) */
    void SetSpi(uint32_t spi);
    /** @return the Security Parameters Index */
    uint32_t GetSpi() const;
    /** @param seq the Sequence Number (RFC 4303 2.2; the first packet sent on an SA is 1) */
    void SetSequenceNumber(uint32_t seq);
    /** @return the Sequence Number */
    uint32_t GetSequenceNumber() const;

private:
    uint32_t m_spi;            //!< Security Parameters Index
    uint32_t m_sequenceNumber; //!< Sequence Number
};

} // namespace ns3

#endif /* ESP_HEADER_H */
