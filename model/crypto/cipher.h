// ESP ciphers and integrity algorithms over OpenSSL 3 EVP.
//
// The `default` and `legacy` providers are loaded once (single DES lives in `legacy`).
// Contexts are created once per SA and reused per packet: the per-packet path does no allocation.
// An SA keys only the direction it works in (CipherUse); HMAC uses precomputed keyed states.
#ifndef IPSEC_CIPHER_H
#define IPSEC_CIPHER_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct evp_cipher_ctx_st; // OpenSSL's EVP_CIPHER_CTX

namespace ns3
{
namespace ipsec
{

/** ESP encryption algorithms. */
enum class CipherAlgorithm : uint8_t
{
    NULL_CIPHER, //!< RFC 2410
    DES_CBC,     //!< RFC 2405 (explicit 8-byte IV)
    TDES_CBC,    //!< RFC 2451, 3DES-EDE, 24-byte key
    AES_CBC_128, //!< RFC 3602
    AES_CBC_192,
    AES_CBC_256,
    AES_GCM_128, //!< RFC 4106, 16-byte ICV; key material = key || 4-byte salt
    AES_GCM_192,
    AES_GCM_256,
};

/** Integrity algorithms (ESP and AH), all HMAC, truncated. */
enum class AuthAlgorithm : uint8_t
{
    NONE,
    HMAC_MD5_96,     //!< RFC 2403, 16-byte key
    HMAC_SHA1_96,    //!< RFC 2404, 20-byte key
    HMAC_SHA256_128, //!< RFC 4868, 32-byte key
    HMAC_SHA384_192, //!< RFC 4868, 48-byte key
    HMAC_SHA512_256, //!< RFC 4868, 64-byte key
};

/** @brief Static description of an ESP encryption algorithm (see GetCipherInfo). */
struct CipherInfo
{
    CipherAlgorithm alg;
    const char* name; //!< our short name, e.g. "aes-cbc-128"
    size_t keyLen;    //!< bytes of key material expected (GCM: key + 4 salt)
    /**
     * ESP padding block in bytes: the plaintext (payload + padding + pad length + next header)
     * must be a multiple of it. 8 for DES/3DES, 16 for AES-CBC, and 4 for NULL and GCM, which
     * have no cipher block but still need RFC 4303's 4-byte alignment.
     */
    size_t blockSize;
    size_t ivLen;              //!< explicit IV carried in each packet (0 for NULL)
    size_t icvLen;             //!< AEAD tag length (GCM 16), else 0
    bool aead;                 //!< true for GCM
    const char* wiresharkName; //!< tshark 4.0 esp_sa UAT name, e.g. "AES-CBC [RFC3602]"
};

/** @brief Static description of an integrity algorithm (see GetAuthInfo). */
struct AuthInfo
{
    AuthAlgorithm alg;
    const char* name;          //!< e.g. "hmac-sha1-96"
    size_t keyLen;             //!< bytes
    size_t icvLen;             //!< truncated ICV bytes (12, 16, 24, 32)
    const char* wiresharkName; //!< e.g. "HMAC-SHA-1-96 [RFC2404]"; NONE -> "NULL"
};

/** Table entry for @p alg. @throws std::invalid_argument for a value outside the enum. */
const CipherInfo& GetCipherInfo(CipherAlgorithm alg);
/** Table entry for @p alg. @throws std::invalid_argument for a value outside the enum. */
const AuthInfo& GetAuthInfo(AuthAlgorithm alg);

/**
 * Load OpenSSL's default and legacy providers (idempotent, thread-safe, std::call_once).
 * @throws std::runtime_error naming the provider if one cannot be loaded (a later call retries).
 */
void EnsureProvidersLoaded();

/** What a Cipher is keyed for: an ESP SA only ever needs one direction. */
enum class CipherUse : uint8_t
{
    BOTH,    //!< encrypt and decrypt (IKE, tests): two OpenSSL contexts
    ENCRYPT, //!< an outbound SA: Encrypt / Seal only, one context
    DECRYPT, //!< an inbound SA: Decrypt / Open only, one context
};

/**
 * @brief The cipher state of one SA (or of one IKE SA's direction pair).
 *
 * The constructor fetches the EVP cipher and keys one OpenSSL context per direction it is used
 * for (padding disabled); a packet then brings only its IV (cipher.cc: Cbc, GcmNonceParam).
 * An AES-128-CBC context holds about 650 bytes of OpenSSL heap: an SA keys one (CipherUse).
 * Calling the other direction's operation throws std::logic_error. Not thread-safe: one object
 * per SA. The state lives in the object itself (no heap block of ours), so an SA holding it
 * inline pays only OpenSSL's context.
 * @throws std::invalid_argument if the key length does not match the algorithm (the message
 *         names the algorithm and both lengths) or the algorithm value is unknown.
 */
class Cipher
{
public:
    Cipher(CipherAlgorithm alg, const std::vector<uint8_t>& keyMaterial,
           CipherUse use = CipherUse::BOTH);
    Cipher(CipherAlgorithm alg, const uint8_t* keyMaterial, size_t keyLen,
           CipherUse use = CipherUse::BOTH);
    ~Cipher();
    Cipher(const Cipher&) = delete;
    Cipher& operator=(const Cipher&) = delete;

    const CipherInfo& Info() const
    {
        return GetCipherInfo(m_alg);
    }
    CipherUse Use() const
    {
        return m_use;
    }

    /**
     * CBC / NULL: encrypt @p len bytes (a multiple of blockSize) from @p in to @p out with the
     * explicit IV @p iv (ivLen bytes; ignored for NULL). NULL copies. @p out may equal @p in
     * (in place) but must not partially overlap it. No allocation.
     * @throws std::invalid_argument if len is not a multiple of blockSize.
     * @throws std::logic_error on an AEAD cipher (use Seal) or one keyed for DECRYPT only.
     */
    void Encrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len);
    /**
     * CBC / NULL decrypt (same aliasing rules as Encrypt).
     * @return false if len is not a multiple of blockSize.
     * @throws std::logic_error on an AEAD cipher (use Open) or one keyed for ENCRYPT only.
     */
    bool Decrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len);

    /**
     * AEAD (GCM, RFC 4106): nonce = salt || iv (8 bytes). Encrypts @p len bytes (any length; the
     * ESP layer pads to blockSize) and writes the icvLen-byte tag to @p tag. @p aad is the ESP
     * header (SPI || seq, 8 bytes; 12 with ESN). @p out may equal @p in. No allocation.
     * @throws std::logic_error on a non-AEAD cipher (use Encrypt) or one keyed for DECRYPT only.
     */
    void Seal(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
              size_t len, uint8_t* tag);
    /**
     * AEAD decrypt and verify. @return false on tag mismatch; @p out is then zeroed so no
     * unauthenticated plaintext is left behind.
     * @throws std::logic_error on a non-AEAD cipher (use Decrypt) or one keyed for ENCRYPT only.
     */
    bool Open(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
              size_t len, const uint8_t* tag);

private:
    void Init(const uint8_t* keyMaterial);
    void Require(bool aead, bool encrypt, const char* op) const;
    void SetIv(evp_cipher_ctx_st* ctx, const uint8_t* iv) const;
    void Cbc(const uint8_t* iv, const uint8_t* in, uint8_t* out, int len, bool encrypt);
    void ChainedCbc(const uint8_t* iv, const uint8_t* in, uint8_t* out, int len, bool encrypt);

    static constexpr size_t kMaxCbcBlock = 16;

    // Memory: an SA holds this inline, so it keeps the algorithm (1 byte) rather than a pointer
    // to its table entry, and no padding is left.
    evp_cipher_ctx_st* m_enc = nullptr; //!< null when not keyed for encryption (and for NULL)
    evp_cipher_ctx_st* m_dec = nullptr; //!< null when not keyed for decryption (and for NULL)
    /** CBC keyed for one direction: the chaining value its OpenSSL context holds (the last
     *  ciphertext block), so that a packet needs no IV re-initialisation (cipher.cc,
     *  ChainedCbc). A BOTH cipher (IKE) sets the IV per call instead. */
    uint8_t m_chain[kMaxCbcBlock] = {};
    uint8_t m_salt[4] = {}; //!< GCM: the salt that prefixes every nonce (RFC 4106 section 4)
    CipherAlgorithm m_alg;
    CipherUse m_use;
};

/**
 * @brief HMAC integrity with a truncated ICV (one per SA and direction).
 *
 * The HMAC inner and outer digest states are precomputed from the key once (hmac-digest.h:
 * the chaining values only, 56 bytes for SHA-1, in one heap block); each packet starts from the
 * inner state, absorbs the data and finishes with the outer state, without allocating.
 * Compute and Verify work on one buffer; Begin/Update/Final(Verify) absorb several pieces and
 * keep a work context, added to the same block at the first Begin. Not thread-safe.
 * A default-constructed Authenticator is unkeyed (an SA without integrity holds one, which
 * costs less than a std::optional): IsKeyed() is false and every operation throws
 * std::logic_error.
 * @throws std::invalid_argument on a wrong key length or AuthAlgorithm::NONE.
 */
class Authenticator
{
public:
    Authenticator() noexcept = default;
    Authenticator(AuthAlgorithm alg, const std::vector<uint8_t>& key);
    Authenticator(AuthAlgorithm alg, const uint8_t* key, size_t keyLen);
    ~Authenticator();
    Authenticator(const Authenticator&) = delete;
    Authenticator& operator=(const Authenticator&) = delete;
    Authenticator(Authenticator&& other) noexcept;
    Authenticator& operator=(Authenticator&& other) noexcept;

    bool IsKeyed() const
    {
        return m_state != nullptr;
    }
    /** The algorithm's table entry (AuthAlgorithm::NONE's when unkeyed). */
    const AuthInfo& Info() const
    {
        return GetAuthInfo(m_alg);
    }

    /**
     * Incremental ICV: Begin, any number of Update, then Final writes icvLen bytes.
     * Update or Final without a preceding Begin throws std::logic_error.
     */
    void Begin();
    void Update(const uint8_t* data, size_t len);
    void Final(uint8_t* icv);
    /** Final(), then constant-time (CRYPTO_memcmp) comparison with the received icvLen bytes. */
    bool FinalVerify(const uint8_t* receivedIcv);
    /** One-shot ICV over one buffer (no work context kept, no allocation). */
    void Compute(const uint8_t* data, size_t len, uint8_t* icv) const;
    /** One-shot check of @p receivedIcv (icvLen bytes) over one buffer, constant-time. */
    bool Verify(const uint8_t* data, size_t len, const uint8_t* receivedIcv) const;

private:
    /** The keyed state (inner then outer); throws std::logic_error when unkeyed. */
    const uint8_t* Keyed(const char* op) const;
    /** The incremental API's work context, after the keyed state in the same block. */
    uint64_t* Work();
    /** The full-length MAC of the one buffer @p data into @p mac; its length. */
    size_t FullMac(const uint8_t* data, size_t len, uint8_t* mac) const;
    /** The full-length MAC of what the work context absorbed; its length. */
    size_t FinalFull(uint8_t* mac);
    void Release() noexcept;

    // Memory: an SA holds this inline; one pointer, the algorithm and two flags.
    uint64_t* m_state = nullptr; //!< keyed state, then (from the first Begin) the work context
    AuthAlgorithm m_alg = AuthAlgorithm::NONE;
    bool m_hasWork = false;
    bool m_begun = false;
};

/**
 * Plain HMAC over one buffer, full length (for KATs and IKE), via EVP_MAC. @p digest is an
 * OpenSSL digest name ("MD5", "SHA1", "SHA256", ...); any key length, including empty.
 * @throws std::invalid_argument for an unknown digest name.
 */
std::vector<uint8_t> Hmac(const std::string& digest, const std::vector<uint8_t>& key,
                          const uint8_t* data, size_t len);

} // namespace ipsec
} // namespace ns3

#endif
