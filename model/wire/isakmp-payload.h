// The generic ISAKMP payload (RFC 2408 3.2) every payload class derives from, and
// IsakmpParseStatus, what a failed parse reports.
#ifndef IPSEC_ISAKMP_PAYLOAD_H
#define IPSEC_ISAKMP_PAYLOAD_H

#include "ns3/isakmp-constants.h"
#include "ns3/isakmp-header.h"

#include "ns3/header.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief Outcome of parsing ISAKMP bytes: OK, or what was wrong, where, and which Notify
 * Message Type (RFC 2408 3.14.1, 5) a receiver would answer with.
 */
struct IsakmpParseStatus
{
    /** What went wrong. */
    enum Code : uint8_t
    {
        OK = 0,
        TRUNCATED,          //!< fewer bytes than a fixed field or a length needs
        BAD_MESSAGE_LENGTH, //!< header Length disagrees with the datagram
        BAD_VERSION,        //!< Major Version not 1 or Minor Version not 0
        BAD_FLAGS,          //!< reserved flag bits set
        BAD_PAYLOAD_LENGTH, //!< a Payload Length < 4, or beyond its container
        BAD_PAYLOAD_TYPE,   //!< a payload type that is not allowed where it is
        BAD_PAYLOAD_BODY,   //!< a body whose fields contradict each other or the RFC
        TOO_MANY_PAYLOADS,  //!< more payloads / proposals / transforms than the limits
        TRAILING_DATA,      //!< bytes after the last payload of a cleartext chain
        UNSUPPORTED,        //!< valid ISAKMP, but a DOI or situation we do not implement
        ENCRYPTED,          //!< (crypto) the E flag is set but the body is not decrypted
    };

    Code code = OK;                       //!< OK or the failure
    uint16_t notify = ISAKMP_NOTIFY_NONE; //!< IsakmpNotifyType to answer with (0 if none)
    uint32_t offset = 0;                  //!< byte offset of the fault from the start
    std::string reason;                   //!< human-readable description

    /** @return true if parsing succeeded */
    bool Ok() const
    {
        return code == OK;
    }

    /** @return a success status */
    static IsakmpParseStatus Success();
    /**
     * @return a failure status
     * @param code the failure
     * @param notify the IsakmpNotifyType a receiver would answer with
     * @param offset where the fault is
     * @param reason description
     */
    static IsakmpParseStatus Fail(Code code, uint16_t notify, uint32_t offset, std::string reason);
    /** @return a short name for @p code ("ok", "truncated", ...) */
    static const char* CodeName(Code code);
    /** @return "code at offset N: reason" (or "ok") */
    std::string ToString() const;
};

/**
 * @ingroup ipsec
 * @brief Base of every payload: the generic payload header (RFC 2408 3.2) and its chaining.
 *
 * @verbatim
  0                   1                   2                   3
  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 ! Next Payload  !   RESERVED    !         Payload Length        !
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 @endverbatim
 *
 * Serialize writes this header and the body; Deserialize reads one payload, or returns 0 and
 * records the reason (GetParseStatus) if the bytes are not a valid payload of this class.
 * Serializing a body longer than 65531 bytes aborts (Payload Length is 16 bits).
 */
class IsakmpPayload : public Header
{
public:
    /** Size of the generic payload header. */
    static constexpr uint32_t GENERIC_HEADER_SIZE = 4;

    IsakmpPayload();
    ~IsakmpPayload() override;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    /** @return this payload's type (the value a preceding Next Payload field carries) */
    virtual uint8_t GetPayloadType() const = 0;
    /** @return a deep copy */
    virtual std::unique_ptr<IsakmpPayload> Clone() const = 0;
    /** @return the size of the body (everything after the generic header) */
    virtual uint32_t GetBodySize() const = 0;
    /** @brief Write the body at @p i and advance it. */
    virtual void SerializeBody(Buffer::Iterator& i) const = 0;
    /**
     * @brief Parse the body: @p len bytes at @p body (the generic header is already read).
     * @return OK or the fault, offsets relative to the start of the payload
     */
    virtual IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) = 0;

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @brief Write generic header (with @p nextPayload) and body at @p i, advancing it. */
    void SerializeWithNext(Buffer::Iterator& i, uint8_t nextPayload) const;
    /**
     * @brief Parse one whole payload (generic header included) from at most @p len bytes.
     * On success GetPayloadLength() bytes were consumed.
     */
    IsakmpParseStatus Parse(const uint8_t* data, size_t len);
    /** @return the payload serialized alone (generic header included) */
    std::vector<uint8_t> ToBytes() const;

    /** @param type the Next Payload field written by Serialize() */
    void SetNextPayload(uint8_t type);
    /** @return the Next Payload field (as parsed, or as set) */
    uint8_t GetNextPayload() const;
    /** @return the Payload Length: 4 plus the body */
    uint16_t GetPayloadLength() const;
    /** @return the status of the last Deserialize or Parse */
    const IsakmpParseStatus& GetParseStatus() const;

    /**
     * @return a new payload of the class for @p type (SA, KE, ID, HASH, SIG, NONCE, N, D, VID),
     *         an IsakmpRawPayload for any other type except Proposal and Transform (which only
     *         exist inside an SA / Proposal), and nullptr for those two
     */
    static std::unique_ptr<IsakmpPayload> Create(uint8_t type);

protected:
    IsakmpParseStatus m_status; //!< status of the last Deserialize or Parse

private:
    uint8_t m_nextPayload; //!< Next Payload
};

} // namespace ns3

#endif
