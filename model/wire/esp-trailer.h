// ESP trailer (RFC 4303 2.4-2.6): Padding, Pad Length and Next Header, at the end of the
// encrypted part of an ESP packet, before the ICV.
#ifndef ESP_TRAILER_H
#define ESP_TRAILER_H

#include "ns3/trailer.h"

#include <cstdint>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief The ESP trailer: Padding (0-255 bytes), Pad Length and Next Header (RFC 4303 2.4-2.6).
 *
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |   ...         |               Padding (0-255 bytes)           |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                               |  Pad Length   | Next Header   |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * The padding written is the RFC 4303 2.4 default, the monotonic series 1, 2, 3, ...
 * The ICV is not part of this trailer: the transform strips it before decrypting, so the
 * trailer is the last thing in the decrypted plaintext.
 *
 * Deserialize reads the last two bytes first (Pad Length, Next Header), then the padding
 * before them. Two receiver checks are kept apart:
 * - IsValid(): the Pad Length fits in the bytes before it. When it does not, only the bytes
 *   that exist are consumed and the packet must be dropped.
 * - PaddingValid(): additionally, the padding holds 1, 2, 3, ... (RFC 4303 2.4: the
 *   receiver SHOULD check this). The RFC 1829 format fills padding with arbitrary bytes that
 *   the receiver ignores, so an RFC 1829 receiver looks at IsValid() only.
 */
class EspTrailer : public Trailer
{
public:
    EspTrailer();
    ~EspTrailer() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    /** @return Pad Length + 2 */
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator end) override;
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;

    /** @param padLength number of padding bytes before the Pad Length field (0..255) */
    void SetPadLength(uint8_t padLength);
    /** @return number of padding bytes (after Deserialize: the value in the Pad Length field) */
    uint8_t GetPadLength() const;
    /** @param nextHeader IP protocol number of the Payload Data (4 = IPv4 in tunnel mode) */
    void SetNextHeader(uint8_t nextHeader);
    /** @return IP protocol number of the Payload Data */
    uint8_t GetNextHeader() const;

    /**
     * @brief Whether the last Deserialize found a Pad Length that fits in the data.
     * @return false if Pad Length exceeded the bytes available before it
     */
    bool IsValid() const;
    /**
     * @brief Whether the last Deserialize found well-formed default padding.
     * @return false if IsValid() is false or a padding byte was not 1, 2, 3, ... (RFC 4303 2.4)
     */
    bool PaddingValid() const;

    /**
     * @brief Minimum padding for RFC 4303 2.4.
     *
     * The payload plus padding plus the 2 trailer bytes must be a multiple of the cipher's
     * block size, and the trailer must end on a 4-byte boundary, so the alignment is
     * lcm(blockSize, 4), which is max(blockSize, 4) for the power-of-two block sizes in use.
     *
     * @param payloadLen bytes of Payload Data that are padded (after the IV, if any)
     * @param blockSize cipher block size in bytes (1 or 0 for stream ciphers, combined modes)
     * @return padding bytes such that payloadLen + pad + 2 is a multiple of that alignment
     */
    static uint8_t PadLengthFor(uint32_t payloadLen, uint32_t blockSize);

    /**
     * @brief The per-packet fast path of Serialize(): write the trailer (padding 1, 2, 3, ...,
     * Pad Length, Next Header; @p padLength + 2 bytes) straight into plaintext memory at @p out.
     */
    static void WriteTo(uint8_t* out, uint8_t padLength, uint8_t nextHeader);

    /**
     * @brief The per-packet fast path of PaddingValid(): true if the @p padLength bytes at
     * @p padding hold the default contents 1, 2, 3, ... (RFC 4303 2.4).
     */
    static bool DefaultPaddingValid(const uint8_t* padding, uint8_t padLength);

private:
    /**
     * Read the trailer backwards from @p end.
     * @param end iterator just past the trailer
     * @param available bytes available before @p end
     * @return bytes consumed
     */
    uint32_t DoDeserialize(Buffer::Iterator end, uint32_t available);

    uint8_t m_padLength;  //!< Pad Length field
    uint8_t m_nextHeader; //!< Next Header field
    bool m_valid;         //!< Pad Length fitted in the data on Deserialize
    bool m_paddingValid;  //!< padding was 1, 2, 3, ... on Deserialize
};

} // namespace ns3

#endif /* ESP_TRAILER_H */
