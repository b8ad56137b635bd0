// IsakmpMessage: an ISAKMP header and its ordered chain of payloads.
#ifndef IPSEC_ISAKMP_MESSAGE_H
#define IPSEC_ISAKMP_MESSAGE_H

#include "ns3/isakmp-header.h"
#include "ns3/isakmp-payload.h"

#include <optional>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief A whole ISAKMP message: the header (RFC 2408 3.1) and an ordered chain of payloads.
 *
 * Serializing fills in the header's Next Payload (the first payload's type), each payload's Next
 * Payload (the following payload's type, 0 for the last) and the header's Length. A message
 * whose E flag is set is produced in the clear by ToBytes (IsakmpCipherState pads and encrypts
 * it); a received message with the E flag is kept as an opaque encrypted body until decrypted.
 *
 * Parsing (Parse, FromBytes, Deserialize) never reads past the given bytes and always ends: each
 * payload consumes at least 4 bytes and at most MAX_PAYLOADS are accepted. Payloads of unknown
 * type are kept as IsakmpRawPayload (RFC 2408 5.2 lets the receiver decide to answer
 * INVALID-PAYLOAD-TYPE).
 */
class IsakmpMessage : public Header
{
public:
    /** Most top-level payloads accepted on parsing. */
    static constexpr size_t MAX_PAYLOADS = 64;

    IsakmpMessage();
    ~IsakmpMessage() override;
    /** Deep copy. */
    IsakmpMessage(const IsakmpMessage& o);
    /** Deep copy. @return *this */
    IsakmpMessage& operator=(const IsakmpMessage& o);
    IsakmpMessage(IsakmpMessage&&) = default;
    /** @return *this */
    IsakmpMessage& operator=(IsakmpMessage&&) = default;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    /**
     * Reads the header, then Length bytes (at most what remains) as with FromBytes.
     * @return the bytes consumed, or 0 if the bytes are not a valid message (GetParseStatus)
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /** @return the header (Next Payload and Length are recomputed on serialization) */
    IsakmpHeader& GetHeader();
    /** @return the header */
    const IsakmpHeader& GetHeader() const;
    /** @param header the header to use */
    void SetHeader(const IsakmpHeader& header);

    /** @brief Append a copy of @p payload. @return the stored copy */
    template <class T> T& AddPayload(const T& payload)
    {
        auto p = std::make_unique<T>(payload);
        T& ref = *p;
        m_payloads.push_back(std::move(p));
        return ref;
    }

    /** @brief Append @p payload. */
    void AddPayload(std::unique_ptr<IsakmpPayload> payload);
    /** @return the number of payloads */
    size_t GetNPayloads() const;
    /** @return payload @p i (aborts if out of range) */
    const IsakmpPayload& GetPayload(size_t i) const;
    /** @return payload @p i, to change it in place (aborts if out of range) */
    IsakmpPayload& GetPayload(size_t i);
    /** @return the types of the payloads in order */
    std::vector<uint8_t> GetPayloadTypes() const;
    /** @brief Remove every payload and any encrypted body. */
    void ClearPayloads();

    /** @return the @p nth payload of class T, or nullptr */
    template <class T> const T* FindPayload(size_t nth = 0) const
    {
        for (const auto& p : m_payloads)
        {
            if (auto t = dynamic_cast<const T*>(p.get()))
            {
                if (nth-- == 0)
                {
                    return t;
                }
            }
        }
        return nullptr;
    }

    /** @return the number of payloads of @p type */
    size_t CountPayloads(uint8_t type) const;

    /** @return true if the message holds an encrypted body not yet decrypted */
    bool HasEncryptedBody() const;
    /** @return the encrypted body (everything after the header) */
    const std::vector<uint8_t>& GetEncryptedBody() const;
    /** @brief Replace the payloads by an opaque encrypted @p body (sets the E flag). */
    void SetEncryptedBody(const std::vector<uint8_t>& body);
    /** @return the bytes after the last payload of a decrypted message (the CBC padding) */
    uint32_t GetPaddingLength() const;

    /** @return the whole message on the wire */
    std::vector<uint8_t> ToBytes() const;
    /**
     * @brief Parse a whole message.
     * @param data the datagram
     * @param len its length: the header's Length must equal it
     * @param decrypted true if an E-flagged body has been decrypted already (the bytes after the
     *        last payload are then padding); false keeps an E-flagged body opaque
     * @return OK or the fault; on failure the message content is unspecified
     */
    IsakmpParseStatus Parse(const uint8_t* data, size_t len, bool decrypted = false);
    /** @return the message parsed from @p bytes, or nullopt (reason in @p status) */
    static std::optional<IsakmpMessage> FromBytes(const std::vector<uint8_t>& bytes,
                                                  IsakmpParseStatus* status = nullptr);
    /** @return as FromBytes, for a message whose E-flagged body was decrypted in place */
    static std::optional<IsakmpMessage> FromDecryptedBytes(const std::vector<uint8_t>& bytes,
                                                           IsakmpParseStatus* status = nullptr);
    /** @return the status of the last Parse or Deserialize */
    const IsakmpParseStatus& GetParseStatus() const;

private:
    /** @return the body size: payloads, or the encrypted body */
    uint32_t GetBodySize() const;

    IsakmpHeader m_header;                                  //!< the header
    std::vector<std::unique_ptr<IsakmpPayload>> m_payloads; //!< payload chain
    std::vector<uint8_t> m_encryptedBody;                   //!< opaque encrypted body
    bool m_hasEncryptedBody;                                //!< m_encryptedBody is in use
    uint32_t m_padding;                                     //!< trailing bytes after the chain
    IsakmpParseStatus m_status;                             //!< last parse status
};

} // namespace ns3

#endif
