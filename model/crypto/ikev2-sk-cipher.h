// Protection of the IKEv2 Encrypted payload (RFC 7296 3.14): AES-CBC and 3DES with an HMAC
// integrity check, and AES-GCM with a 16-octet ICV (RFC 5282), over the ESP cipher primitives.
// It works on bytes: the wire layer (Ikev2Message) lays the payload out around it.
#ifndef IPSEC_IKEV2_SK_CIPHER_H
#define IPSEC_IKEV2_SK_CIPHER_H

#include "ns3/byte-source.h"
#include "ns3/cipher.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** IKE SA encryption algorithms (transform type 1) with their key size. */
enum class Ikev2EncrAlgorithm : uint8_t
{
    TDES_CBC,      //!< ENCR_3DES (3)
    AES_CBC_128,   //!< ENCR_AES_CBC (12), Key Length 128
    AES_CBC_192,   //!< 192
    AES_CBC_256,   //!< 256
    AES_GCM16_128, //!< ENCR_AES_GCM_16 (20), Key Length 128, RFC 5282
    AES_GCM16_192, //!< 192
    AES_GCM16_256, //!< 256
};

/** IKE SA integrity algorithms (transform type 3). */
enum class Ikev2IntegAlgorithm : uint8_t
{
    NONE,              //!< with an AEAD cipher
    HMAC_SHA1_96,      //!< AUTH_HMAC_SHA1_96 (2)
    HMAC_SHA2_256_128, //!< AUTH_HMAC_SHA2_256_128 (12), RFC 4868
    HMAC_SHA2_384_192, //!< AUTH_HMAC_SHA2_384_192 (13)
    HMAC_SHA2_512_256, //!< AUTH_HMAC_SHA2_512_256 (14)
};

/** @brief What the IKE layer needs to know about an encryption algorithm. */
struct Ikev2EncrInfo
{
    Ikev2EncrAlgorithm alg;
    const char* name;          //!< "ENCR_AES_CBC-128", ...
    uint16_t transformId;      //!< IANA Transform ID
    uint16_t keyBits;          //!< the Key Length attribute (0: none is sent, 3DES)
    size_t keyLen;             //!< bytes of SK_e (GCM: key and the 4-byte salt)
    size_t blockSize;          //!< padding unit (1 for GCM)
    size_t ivLen;              //!< IV carried in the SK payload
    size_t icvLen;             //!< GCM tag (16), else 0 (the integrity algorithm's)
    bool aead;                 //!< GCM
    CipherAlgorithm cipher;    //!< the primitive
    const char* wiresharkName; //!< name in tshark's ikev2_decryption_table
};

/** @brief What the IKE layer needs to know about an integrity algorithm. */
struct Ikev2IntegInfo
{
    Ikev2IntegAlgorithm alg;
    const char* name;          //!< "AUTH_HMAC_SHA1_96", ...
    uint16_t transformId;      //!< IANA Transform ID (0 for NONE)
    size_t keyLen;             //!< bytes of SK_a
    size_t icvLen;             //!< truncated ICV
    AuthAlgorithm auth;        //!< the primitive
    const char* wiresharkName; //!< name in tshark's ikev2_decryption_table
};

/** @throws std::invalid_argument for a value outside the enum */
const Ikev2EncrInfo& GetIkev2EncrInfo(Ikev2EncrAlgorithm alg);
/** @throws std::invalid_argument for a value outside the enum */
const Ikev2IntegInfo& GetIkev2IntegInfo(Ikev2IntegAlgorithm alg);
/** @return the algorithm of Transform ID @p id with Key Length @p keyBits (0: none sent) */
std::optional<Ikev2EncrAlgorithm> Ikev2EncrFromTransform(uint16_t id, uint16_t keyBits);
/** @return the algorithm of Transform ID @p id */
std::optional<Ikev2IntegAlgorithm> Ikev2IntegFromTransform(uint16_t id);

/**
 * @brief One direction's protection of the SK payload (SK_ei/SK_ai or SK_er/SK_ar).
 *
 * Layout of the SK body: IV | ciphertext of (inner payloads | Padding | Pad Length) | ICV.
 * - CBC: a random IV of one block; Padding makes the plaintext a multiple of the block; the ICV
 *   is the truncated HMAC over the whole message from the IKE header to the end of the
 *   ciphertext (RFC 7296 3.14), so the header's Length must already count the ICV.
 * - GCM (RFC 5282): an 8-byte IV; nonce = 4-byte salt (the end of SK_e) | IV; no Padding; the
 *   AAD is the message from the IKE header to the end of the SK generic header (5.1); the
 *   16-byte tag is the ICV.
 * Not thread-safe: one object per IKE SA and direction.
 */
class Ikev2SkCipher
{
public:
    /**
     * @throws std::invalid_argument if a key has the wrong length, GCM comes with an integrity
     *         algorithm or CBC without one
     */
    Ikev2SkCipher(Ikev2EncrAlgorithm encr, const std::vector<uint8_t>& encrKey,
                  Ikev2IntegAlgorithm integ, const std::vector<uint8_t>& integKey);
    ~Ikev2SkCipher();
    Ikev2SkCipher(const Ikev2SkCipher&) = delete;
    Ikev2SkCipher& operator=(const Ikev2SkCipher&) = delete;

    /** @return the encryption algorithm */
    const Ikev2EncrInfo& Encr() const;
    /** @return the integrity algorithm (NONE for GCM) */
    const Ikev2IntegInfo& Integ() const;
    /** @return the ICV length: the GCM tag or the truncated HMAC */
    size_t IcvLength() const;
    /** @return the size of the SK body that Seal makes of @p plainLen bytes of inner payloads */
    size_t SealedSize(size_t plainLen) const;
    /** @return the fewest bytes an SK body can have (IV, one block or the Pad Length, ICV) */
    size_t MinimumSize() const;
    /**
     * @brief Encrypt and authenticate @p plain (the inner payload chain).
     * @param prefix the message from the IKE header to the end of the SK generic header, with
     *        the final Length fields (header Length = prefix + SealedSize)
     * @param prefixLen its size
     * @param rng source of the IV
     * @return the SK body (SealedSize(plain.size()) bytes)
     */
    std::vector<uint8_t> Seal(const uint8_t* prefix, size_t prefixLen,
                              const std::vector<uint8_t>& plain, ByteSource& rng);
    /**
     * @brief Check and decrypt an SK body.
     * @param prefix as for Seal, as received
     * @param body the SK body (IV, ciphertext, ICV), @p bodyLen bytes
     * @param[out] plain the inner payload chain, padding removed
     * @param[out] error why it failed: a body of the wrong size, an ICV that does not verify, a
     *             Pad Length beyond the plaintext
     * @param[out] integrityFailed true if the failure is the ICV (or the GCM tag)
     * @return true on success
     */
    bool Open(const uint8_t* prefix, size_t prefixLen, const uint8_t* body, size_t bodyLen,
              std::vector<uint8_t>& plain, std::string& error, bool& integrityFailed);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ipsec
} // namespace ns3

#endif
