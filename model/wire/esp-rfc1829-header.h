// The original ESP DES-CBC transform (RFC 1827 + RFC 1829), which Cisco IOS still offers as the
// `esp-rfc1829` transform: SPI and IV only, no sequence number and no integrity.
#ifndef ESP_RFC1829_HEADER_H
#define ESP_RFC1829_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief Header of the RFC 1829 "ESP DES-CBC Transform": SPI and a 32- or 64-bit IV.
 *
 * RFC 1829 2, Payload Format:
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                Security Parameters Index (SPI)                |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                                                               |
 ~                   Initialization Vector (IV)                  ~
 |                                                               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                                                               |
 ~                          Payload Data                         ~
 |                                                               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
           ... Padding           |  Pad Length   | Payload Type  |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * This class is the SPI and IV. Unlike RFC 4303 there is no Sequence Number (so no
 * anti-replay) and no ICV. Everything after the IV is DES-CBC ciphertext.
 *
 * IV length. RFC 1829 2: the IV "size MUST be a multiple of 32-bits. Sizes of 32 and 64 bits
 * are required to be supported." and "The size is expected to be indicated by the key
 * management mechanism", so it is a property of the SA, not of the packet: call SetIvLength()
 * (or SetIv()) with the SA's IV length before Deserialize(), which reads 4 + that many bytes
 * (default 8). "When the size is 32-bits, a 64-bit IV is formed from the 32-bit value followed
 * by (concatenated with) the bit-wise complement of the 32-bit value": see Expand32BitIv()
 * and GetCbcIv().
 *
 * Trailer. The encrypted part ends with Padding, Pad Length and Payload Type, the same layout
 * as the RFC 4303 trailer (Payload Type is an IP protocol number like Next Header), so
 * EspTrailer writes and reads it. Differences from RFC 4303, which the transform applies:
 * - Alignment is to the 8-octet DES block (PadLengthFor()). RFC 1829 1.3: "if the length of
 *   the data to be decrypted is not an integral multiple of eight octets, then an error is
 *   indicated".
 * - RFC 1829 leaves the padding contents to the implementation (random values are
 *   suggested), so the receiver ignores them: it checks EspTrailer::IsValid() (Pad Length
 *   fits in the decrypted data) and not EspTrailer::PaddingValid(). EspTrailer's 1, 2, 3, ...
 *   padding is one valid choice for the sender.
 *
 * Deserialize reads 4 + IV length bytes; the caller checks that the packet holds that many.
 */
class EspRfc1829Header : public Header
{
public:
    /** DES block size in bytes: the unit the encrypted part is padded to. */
    static constexpr uint32_t BLOCK_SIZE = 8;

    EspRfc1829Header();
    ~EspRfc1829Header() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    /** @return 4 + IV length */
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * Reads the SPI and an IV of the length set by SetIvLength() or SetIv() beforehand.
     * @param start where the header starts
     * @return 4 + IV length
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @param spi the Security Parameters Index (RFC 1829 2: "MUST NOT be zero") */
    void SetSpi(uint32_t spi);
    /** @return the Security Parameters Index */
    uint32_t GetSpi() const;

    /**
     * @brief Set the SA's IV length; the IV becomes all zero bytes of that length.
     * @param bytes 4 (32-bit IV) or 8 (64-bit IV); other values abort
     */
    void SetIvLength(uint8_t bytes);
    /** @return the IV length in bytes, 4 or 8 */
    uint8_t GetIvLength() const;
    /**
     * @brief Set the IV as sent on the wire; this also sets the IV length.
     * @param iv 4 or 8 bytes; other sizes abort
     */
    void SetIv(const std::vector<uint8_t>& iv);
    /** @return the IV as sent on the wire (4 or 8 bytes) */
    const std::vector<uint8_t>& GetIv() const;
    /** @return the 64-bit IV for DES-CBC: the IV itself, or Expand32BitIv() of a 32-bit IV */
    std::vector<uint8_t> GetCbcIv() const;

    /**
     * @brief RFC 1829 2: a 32-bit IV followed by its bit-wise complement.
     * @param iv32 4 bytes (other sizes abort)
     * @return 8 bytes: iv32[0..3], ~iv32[0..3]
     */
    static std::vector<uint8_t> Expand32BitIv(const std::vector<uint8_t>& iv32);

    /**
     * @brief Padding for the RFC 1829 trailer.
     * @param payloadLen bytes of Payload Data (after the IV)
     * @return the fewest padding bytes (0..7) such that payloadLen + padding + 2 (Pad Length,
     *         Payload Type) is a multiple of the 8-octet DES block
     */
    static uint8_t PadLengthFor(uint32_t payloadLen);

private:
    uint32_t m_spi;            //!< Security Parameters Index
    std::vector<uint8_t> m_iv; //!< IV as on the wire, 4 or 8 bytes
};

} // namespace ns3

#endif /* ESP_RFC1829_HEADER_H */
