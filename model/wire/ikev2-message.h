// Ikev2Message: an IKEv2 header, its cleartext payloads and the payloads inside its Encrypted
// payload (RFC 7296 3.1, 3.2, 3.14).
#ifndef IPSEC_IKEV2_MESSAGE_H
#define IPSEC_IKEV2_MESSAGE_H

#include "ns3/ikev2-header.h"
#include "ns3/ikev2-payload.h"
#include "ns3/ikev2-sa-payload.h"
#include "ns3/ikev2-sk-cipher.h"
#include "ns3/ikev2-ts-payload.h"

#include <memory>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup ipsec
 * @brief A whole IKEv2 message.
 *
 * `payloads` travel in the clear (IKE_SA_INIT carries only these); `inner` travel inside the SK
 * payload, which is always last (RFC 7296 3.14). ToBytes writes a cleartext message, Seal one
 * with an SK payload protected by an Ikev2SkCipher; both fill in the header's Next Payload and
 * Length and every payload's Next Payload.
 *
 * Parse reads the header and the cleartext chain and keeps a received SK payload, still
 * encrypted, as the last of `payloads`; Open does the same and then checks and decrypts it into
 * `inner`. Decoding never reads past the given bytes and always ends (each payload takes at
 * least 4 bytes, at most MAX_PAYLOADS are accepted). Failures say what, where and which notify
 * to answer with: Length other than the datagram's size, Major Version other than 2, an unknown
 * payload type with the critical bit (UNSUPPORTED_CRITICAL_PAYLOAD, RFC 7296 2.5), an SK payload
 * that is not last or sits inside another, a malformed payload, an ICV that does not verify.
 * Unknown payloads without the critical bit are kept as Ikev2UnknownPayload.
 */
class Ikev2Message
{
public:
    /** Most payloads accepted in one chain on parsing. */
    static constexpr size_t MAX_PAYLOADS = 64;

    Ikev2Message();
    ~Ikev2Message();
    /** Deep copy. */
    Ikev2Message(const Ikev2Message& o);
    /** Deep copy. @return *this */
    Ikev2Message& operator=(const Ikev2Message& o);
    Ikev2Message(Ikev2Message&&) = default;
    /** @return *this */
    Ikev2Message& operator=(Ikev2Message&&) = default;

    Ikev2Header header;                                  //!< Next Payload, Length are computed
    std::vector<std::unique_ptr<Ikev2Payload>> payloads; //!< cleartext payloads, in order
    std::vector<std::unique_ptr<Ikev2Payload>> inner;    //!< payloads inside SK, in order

    /** @brief Append a copy of @p p to the cleartext payloads. @return the stored copy */
    template <class T> T& Add(const T& p)
    {
        auto c = std::make_unique<T>(p);
        T& ref = *c;
        payloads.push_back(std::move(c));
        return ref;
    }

    /** @brief Append a copy of @p p to the payloads inside SK. @return the stored copy */
    template <class T> T& AddInner(const T& p)
    {
        auto c = std::make_unique<T>(p);
        T& ref = *c;
        inner.push_back(std::move(c));
        return ref;
    }

    /**
     * @return the message with its cleartext payloads (and a received SK payload as it came)
     * @throws std::logic_error if `inner` is not empty (use Seal)
     */
    std::vector<uint8_t> ToBytes() const;
    /**
     * @return the message with `payloads` in the clear and `inner` in an SK payload protected
     *         by @p cipher (IV from @p rng)
     * @throws std::logic_error if `payloads` already holds an SK payload
     */
    std::vector<uint8_t> Seal(ipsec::Ikev2SkCipher& cipher, ipsec::ByteSource& rng) const;
    /** @brief Decode @p len bytes (one UDP payload, without the non-ESP marker of port 4500). */
    Ikev2ParseStatus Parse(const uint8_t* data, size_t len);
    /**
     * @brief Parse, then check and decrypt the SK payload (if any) with @p cipher into `inner`.
     * A fault inside SK has its offset from the start of the decrypted payload chain.
     */
    Ikev2ParseStatus Open(const uint8_t* data, size_t len, ipsec::Ikev2SkCipher& cipher);

    /** @return the received SK payload, or nullptr */
    const Ikev2EncryptedPayload* GetEncrypted() const;
    /** @return the first payload of @p type, cleartext then inner, or nullptr */
    const Ikev2Payload* Find(uint8_t type) const;

    /** @return the first payload of @p type as a T (nullptr if absent or of another class) */
    template <class T> const T* Get(uint8_t type) const
    {
        return dynamic_cast<const T*>(Find(type));
    }

    /** @return every Notify payload, cleartext then inner */
    std::vector<const Ikev2NotifyPayload*> Notifies() const;
    /** @return the Notify of @p type, or nullptr */
    const Ikev2NotifyPayload* FindNotify(uint16_t type) const;
    /** @return "IKE_AUTH request #1 [ SK { IDi AUTH SA TSi TSr } ]"-style summary */
    std::string Describe() const;

    /**
     * @brief Decode a chain of payloads starting with type @p first that fills @p len bytes.
     * @param allowSk whether an SK payload may end the chain (not inside SK)
     */
    static Ikev2ParseStatus ParseChain(const uint8_t* data, size_t len, uint8_t first, bool allowSk,
                                       std::vector<std::unique_ptr<Ikev2Payload>>& out);
};

} // namespace ns3

#endif
