// The IKEv2 header (RFC 7296 3.1) and Ikev2ParseStatus, what a decoder reports when bytes are
// not a valid IKEv2 structure.
#ifndef IPSEC_IKEV2_HEADER_H
#define IPSEC_IKEV2_HEADER_H

#include "ns3/ikev2-constants.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/** An IKE SA SPI (RFC 7296 3.1): 8 opaque bytes in wire order. */
using Ikev2Spi = std::array<uint8_t, 8>;

/**
 * @brief Outcome of decoding IKEv2 bytes: OK, or what was wrong, where, and the notify a
 * responder would answer with (RFC 7296 2.21.1: INVALID_SYNTAX for malformed messages,
 * UNSUPPORTED_CRITICAL_PAYLOAD naming the type, INVALID_MAJOR_VERSION).
 */
struct Ikev2ParseStatus
{
    /** What went wrong. */
    enum Code : uint8_t
    {
        OK = 0,
        TRUNCATED,            //!< fewer bytes than a fixed field or a length needs
        BAD_MESSAGE_LENGTH,   //!< the header's Length disagrees with the datagram
        BAD_VERSION,          //!< Major Version other than 2
        BAD_PAYLOAD_LENGTH,   //!< a length field too small, or beyond its container
        BAD_PAYLOAD_TYPE,     //!< a payload type that is not allowed where it is
        BAD_PAYLOAD_BODY,     //!< fields that contradict each other or RFC 7296
        TOO_MANY,             //!< more payloads / proposals / transforms / selectors than allowed
        UNSUPPORTED_CRITICAL, //!< an unknown payload with the critical bit set
        TRAILING_DATA,        //!< bytes after the last payload
        INTEGRITY_FAILED,     //!< the SK payload's ICV (or GCM tag) does not verify
        DECRYPTION_FAILED,    //!< the SK payload's body is not a valid ciphertext
    };

    Code code = OK;       //!< OK or the failure
    uint16_t notify = 0;  //!< Ikev2NotifyType a responder would answer with (0 if none)
    uint32_t offset = 0;  //!< byte offset of the fault from the start of what was decoded
    std::string reason;   //!< human-readable description
    uint8_t critical = 0; //!< for UNSUPPORTED_CRITICAL: the payload type (the notify's data)

    /** @return true if decoding succeeded */
    bool Ok() const
    {
        return code == OK;
    }

    /** @return a success status */
    static Ikev2ParseStatus Success();
    /**
     * @return a failure status
     * @param code the failure
     * @param notify the Ikev2NotifyType a responder would answer with
     * @param offset where the fault is
     * @param reason description
     */
    static Ikev2ParseStatus Fail(Code code, uint16_t notify, size_t offset, std::string reason);
    /** @return this status with its offset moved by @p by (a fault inside a container) */
    Ikev2ParseStatus Shifted(size_t by) const;
    /** @return a short name for @p code ("ok", "truncated", ...) */
    static const char* CodeName(Code code);
    /** @return "code at offset N: reason" (or "ok") */
    std::string ToString() const;
};

/**
 * @ingroup ipsec
 * @brief The IKEv2 header (RFC 7296 3.1), 28 bytes.
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                       IKE SA Initiator's SPI                  |
 |                                                               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                       IKE SA Responder's SPI                  |
 |                                                               |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                          Message ID                           |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |                            Length                             |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * A plain value: Read takes 28 bytes and checks only the Major Version (Ikev2Message checks
 * Length against the datagram). The Flags octet is kept whole, so bits RFC 7296 reserves
 * ("MUST be ignored on receipt") survive a round trip.
 */
struct Ikev2Header
{
    /** Size on the wire. */
    static constexpr size_t SIZE = 28;
    /** Version octet of IKEv2: Major 2, Minor 0. */
    static constexpr uint8_t VERSION_2_0 = 0x20;

    /** Flags (RFC 7296 3.1). */
    enum Flag : uint8_t
    {
        FLAG_INITIATOR = 0x08, //!< I: sent by the original initiator of the IKE SA
        FLAG_VERSION = 0x10,   //!< V: the sender can speak a higher major version
        FLAG_RESPONSE = 0x20,  //!< R: this message is a response
    };

    Ikev2Spi spiI{};               //!< IKE SA Initiator's SPI
    Ikev2Spi spiR{};               //!< IKE SA Responder's SPI (zero in the first message)
    uint8_t nextPayload = 0;       //!< type of the first payload
    uint8_t version = VERSION_2_0; //!< Major Version (high nibble), Minor (low nibble)
    uint8_t exchangeType = 0;      //!< Ikev2ExchangeType
    uint8_t flags = 0;             //!< Flag bits
    uint32_t messageId = 0;        //!< Message ID
    uint32_t length = 0;           //!< header plus payloads, in bytes

    /** @brief Append the 28 bytes to @p out. */
    void AppendTo(std::vector<uint8_t>& out) const;
    /**
     * @brief Read the header from @p len bytes at @p data.
     * @return OK, TRUNCATED (fewer than 28 bytes) or BAD_VERSION (Major Version not 2, answered
     *         with INVALID_MAJOR_VERSION; RFC 7296 3.1 says the Minor Version is ignored)
     */
    Ikev2ParseStatus Read(const uint8_t* data, size_t len);

    /** @return true if the I flag is set */
    bool IsInitiator() const
    {
        return (flags & FLAG_INITIATOR) != 0;
    }

    /** @return true if the R flag is set */
    bool IsResponse() const
    {
        return (flags & FLAG_RESPONSE) != 0;
    }
};

/** @return @p value as 8 big-endian bytes */
Ikev2Spi Ikev2SpiFromUint64(uint64_t value);
/** @return the SPI's bytes read as a big-endian number */
uint64_t Ikev2SpiToUint64(const Ikev2Spi& spi);

} // namespace ns3

#endif
