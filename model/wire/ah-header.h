// IP Authentication Header (RFC 4302 2).
#ifndef AH_HEADER_H
#define AH_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief The IP Authentication Header (RFC 4302 2).
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 | Next Header   |  Payload Len  |          RESERVED             |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                 Security Parameters Index (SPI)               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                    Sequence Number Field                      |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                                                               |
 +                Integrity Check Value-ICV (variable)           |
 |                                                               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * The ICV field is padded with zero bytes so that the header is a multiple of 32 bits, the
 * IPv4 rule of RFC 4302 2.6 (IPv6's 64-bit rule is not implemented). With the 12, 16, 24 and
 * 32-byte ICVs of the HMAC transforms no padding is needed. Payload Len is derived from the
 * ICV length on Serialize.
 *
 * Deserialize derives the ICV field length from Payload Len, ((len + 2) * 4) - 12 bytes, and
 * reads the whole field: GetIcv() then holds the ICV plus any padding, so a receiver compares
 * the first N bytes with an N-byte ICV. A malformed header never makes Deserialize read past
 * the data; it clears IsValid() instead:
 * - fewer than 12 bytes available: nothing is read and 0 is returned;
 * - Payload Len 0 (ICV length -4), an ICV field longer than MAX_ICV_LENGTH, or one longer
 *   than the bytes available: the 12 fixed bytes are read and 12 is returned, GetIcv() is
 *   empty and GetPayloadLen() returns the Payload Len received.
 *
 * The RESERVED field is written as zero (RFC 4302 2.3) unless it was received non-zero, in
 * which case the received value is kept so that re-serializing the header for the ICV check
 * reproduces the bytes the sender authenticated.
 */
class AhHeader : public Header
{
public:
    /** Bytes before the ICV: Next Header, Payload Len, RESERVED, SPI, Sequence Number. */
    static constexpr uint32_t FIXED_SIZE = 12;
    /** Longest ICV field accepted on Deserialize: the untruncated HMAC-SHA-512 output. */
    static constexpr uint32_t MAX_ICV_LENGTH = 64;

    AhHeader();
    ~AhHeader() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    /** @return 12 + ICV length + padding to a multiple of 4 */
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @param nextHeader IP protocol number of the payload after AH (4 = IPv4 in tunnel mode) */
    void SetNextHeader(uint8_t nextHeader);
    /** @return IP protocol number of the payload after AH */
    uint8_t GetNextHeader() const;
    /** @param spi the Security Parameters Index (RFC 4302 2.4) */
    void SetSpi(uint32_t spi);
    /** @return the Security Parameters Index */
    uint32_t GetSpi() const;
    /** @param seq the Sequence Number (RFC 4302 2.5) */
    void SetSequenceNumber(uint32_t seq);
    /** @return the Sequence Number */
    uint32_t GetSequenceNumber() const;

    /**
     * @brief Set an all-zero ICV of @p bytes bytes (the form the ICV is computed over).
     *
     * This and SetIcv() make the header well-formed again (IsValid() true).
     * @param bytes ICV length, e.g. 12 for HMAC-SHA1-96
     */
    void SetIcvLength(uint8_t bytes);
    /**
     * @param icv the Integrity Check Value (zero-padded to a 4-byte multiple on the wire), at
     *        most 1016 bytes
     */
    void SetIcv(const std::vector<uint8_t>& icv);
    /** @return the ICV; after Deserialize the whole ICV field, padding included */
    const std::vector<uint8_t>& GetIcv() const;

    /**
     * @brief The Payload Len field: the length of AH in 32-bit words minus 2 (RFC 4302 2.2).
     * @return the value for the current ICV, or the value received if IsValid() is false
     */
    uint8_t GetPayloadLen() const;
    /** @return the RESERVED field (zero unless a non-zero value was received) */
    uint16_t GetReserved() const;
    /** @return false if the last Deserialize saw an impossible Payload Len or truncated data */
    bool IsValid() const;

private:
    /** @return zero bytes appended to the ICV so the header is a multiple of 4 bytes */
    uint32_t GetIcvPadding() const;

    uint8_t m_nextHeader;       //!< Next Header
    uint8_t m_receivedLen;      //!< Payload Len as received (reported when invalid)
    uint16_t m_reserved;        //!< RESERVED
    uint32_t m_spi;             //!< Security Parameters Index
    uint32_t m_sequenceNumber;  //!< Sequence Number
    std::vector<uint8_t> m_icv; //!< Integrity Check Value (after Deserialize: whole field)
    bool m_valid;               //!< last Deserialize found a well-formed header
};

} // namespace ns3

#endif /* AH_HEADER_H */
