// ESP ciphers and integrity algorithms over OpenSSL 3 EVP.
#include "ns3/cipher.h"
#include "ns3/openssl-error.h"

#include "hmac-digest.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace ns3
{
namespace ipsec
{

namespace
{

// Padding block sizes. CBC ciphers pad to their block; NULL and GCM are stream-like, and ESP
// (RFC 4303 section 2.4) still requires the Pad Length and Next Header fields to end on a 4-byte
// boundary, so their padding block is 4.
const CipherInfo kCipherInfos[] = {
    {CipherAlgorithm::NULL_CIPHER, "null", 0, 4, 0, 0, false, "NULL"},
    {CipherAlgorithm::DES_CBC, "des-cbc", 8, 8, 8, 0, false, "DES-CBC [RFC2405]"},
    {CipherAlgorithm::TDES_CBC, "3des-cbc", 24, 8, 8, 0, false, "TripleDES-CBC [RFC2451]"},
    {CipherAlgorithm::AES_CBC_128, "aes-cbc-128", 16, 16, 16, 0, false, "AES-CBC [RFC3602]"},
    {CipherAlgorithm::AES_CBC_192, "aes-cbc-192", 24, 16, 16, 0, false, "AES-CBC [RFC3602]"},
    {CipherAlgorithm::AES_CBC_256, "aes-cbc-256", 32, 16, 16, 0, false, "AES-CBC [RFC3602]"},
    {CipherAlgorithm::AES_GCM_128, "aes-gcm-128", 16 + 4, 4, 8, 16, true,
     "AES-GCM with 16 octet ICV [RFC4106]"},
    {CipherAlgorithm::AES_GCM_192, "aes-gcm-192", 24 + 4, 4, 8, 16, true,
     "AES-GCM with 16 octet ICV [RFC4106]"},
    {CipherAlgorithm::AES_GCM_256, "aes-gcm-256", 32 + 4, 4, 8, 16, true,
     "AES-GCM with 16 octet ICV [RFC4106]"},
};

const AuthInfo kAuthInfos[] = {
    {AuthAlgorithm::NONE, "none", 0, 0, "NULL"},
    {AuthAlgorithm::HMAC_MD5_96, "hmac-md5-96", 16, 12, "HMAC-MD5-96 [RFC2403]"},
    {AuthAlgorithm::HMAC_SHA1_96, "hmac-sha1-96", 20, 12, "HMAC-SHA-1-96 [RFC2404]"},
    {AuthAlgorithm::HMAC_SHA256_128, "hmac-sha256-128", 32, 16, "HMAC-SHA-256-128 [RFC4868]"},
    {AuthAlgorithm::HMAC_SHA384_192, "hmac-sha384-192", 48, 24, "HMAC-SHA-384-192 [RFC4868]"},
    {AuthAlgorithm::HMAC_SHA512_256, "hmac-sha512-256", 64, 32, "HMAC-SHA-512-256 [RFC4868]"},
};

/** OpenSSL algorithm name for a cipher (nullptr for NULL). */
const char*
EvpCipherName(CipherAlgorithm alg)
{
    switch (alg)
    {
    case CipherAlgorithm::NULL_CIPHER:
        return nullptr;
    case CipherAlgorithm::DES_CBC:
        return "DES-CBC"; // legacy provider
    case CipherAlgorithm::TDES_CBC:
        return "DES-EDE3-CBC";
    case CipherAlgorithm::AES_CBC_128:
        return "AES-128-CBC";
    case CipherAlgorithm::AES_CBC_192:
        return "AES-192-CBC";
    case CipherAlgorithm::AES_CBC_256:
        return "AES-256-CBC";
    case CipherAlgorithm::AES_GCM_128:
        return "AES-128-GCM";
    case CipherAlgorithm::AES_GCM_192:
        return "AES-192-GCM";
    case CipherAlgorithm::AES_GCM_256:
        return "AES-256-GCM";
    }
    return nullptr;
}

/**
 * The parameter that gives a GCM context a new nonce (salt || explicit IV) for the next
 * message. EVP_CipherInit_ex2 with only an IV does the same through OpenSSL 3.0's generic
 * re-initialisation (IV length query, parameter look-ups), which was about 15% of the EVP
 * work for a 1400-byte GCM packet (perf, esp-bench). This is the provider's "set the fixed IV
 * field" parameter with the length -1, which OpenSSL defines as "restore the whole IV" (the
 * EVP_CTRL_GCM_SET_IV_FIXED ctrl with -1, kept by the 3.0 providers): the context takes all 12
 * bytes as the nonce of the next message, exactly as an IV passed to EVP_CipherInit_ex2.
 */
OSSL_PARAM
GcmNonceParam(uint8_t* nonce)
{
    return OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED, nonce,
                                             static_cast<size_t>(-1));
}

/** 64-bit words of an Authenticator's block: the keyed state, and the work context if asked. */
size_t
StateWords(AuthAlgorithm alg, bool withWork)
{
    return (hmacdigest::KeyedStateSize(alg) + 7) / 8 +
           (withWork ? hmacdigest::kMaxWorkSize / 8 : 0);
}

/** EVP lengths are int; ESP packets are far smaller, but refuse silently truncating. */
int
CheckedInt(size_t len, const char* where)
{
    if (len > static_cast<size_t>(INT_MAX))
    {
        throw std::invalid_argument(std::string(where) + ": buffer of " + std::to_string(len) +
                                    " bytes is too large");
    }
    return static_cast<int>(len);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Tables and providers

const CipherInfo&
GetCipherInfo(CipherAlgorithm alg)
{
    // The table is in enum order (a Cipher looks its entry up on every packet).
    const size_t i = static_cast<size_t>(alg);
    if (i < sizeof(kCipherInfos) / sizeof(kCipherInfos[0]) && kCipherInfos[i].alg == alg)
    {
        return kCipherInfos[i];
    }
    throw std::invalid_argument("GetCipherInfo: unsupported cipher algorithm value " +
                                std::to_string(static_cast<int>(alg)));
}

const AuthInfo&
GetAuthInfo(AuthAlgorithm alg)
{
    // The table is in enum order.
    const size_t i = static_cast<size_t>(alg);
    if (i < sizeof(kAuthInfos) / sizeof(kAuthInfos[0]) && kAuthInfos[i].alg == alg)
    {
        return kAuthInfos[i];
    }
    throw std::invalid_argument("GetAuthInfo: unsupported integrity algorithm value " +
                                std::to_string(static_cast<int>(alg)));
}

namespace
{

/**
 * Provider handles, unloaded at process exit. OpenSSL 3.0 does not release explicitly loaded
 * providers in its own exit cleanup (LeakSanitizer reports them), so this static does. It is
 * created by the first EnsureProvidersLoaded() call, after OpenSSL registered its atexit
 * cleanup, so it is destroyed before that cleanup runs; EVP objects still alive at that point
 * keep their own provider references.
 */
struct ProviderHandles
{
    OSSL_PROVIDER* defaultProvider = nullptr;
    OSSL_PROVIDER* legacyProvider = nullptr;

    ~ProviderHandles()
    {
        if (legacyProvider != nullptr)
        {
            OSSL_PROVIDER_unload(legacyProvider);
        }
        if (defaultProvider != nullptr)
        {
            OSSL_PROVIDER_unload(defaultProvider);
        }
    }
};

} // namespace

void
EnsureProvidersLoaded()
{
    static std::once_flag once;
    // If the lambda throws, the flag stays unset and the next call retries.
    std::call_once(
        once,
        []
        {
            // Initialise libcrypto first so its atexit cleanup is registered before (and thus runs
            // after) the destructor of the static below. (Options 0 would return without
            // registering anything once base initialisation has happened.)
            OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, nullptr);
            static ProviderHandles handles;
            // Explicitly loading any provider disables OpenSSL's implicit fallback to `default`,
            // so both are loaded.
            if (handles.defaultProvider == nullptr)
            {
                handles.defaultProvider = OSSL_PROVIDER_load(nullptr, "default");
                if (handles.defaultProvider == nullptr)
                {
                    ThrowOpenSsl(
                        "EnsureProvidersLoaded: cannot load the OpenSSL 'default' provider");
                }
            }
            if (handles.legacyProvider == nullptr)
            {
                handles.legacyProvider = OSSL_PROVIDER_load(nullptr, "legacy");
                if (handles.legacyProvider == nullptr)
                {
                    ThrowOpenSsl(
                        "EnsureProvidersLoaded: cannot load the OpenSSL 'legacy' provider (needed "
                        "for single DES; check OPENSSL_MODULES / the ossl-modules directory)");
                }
            }
        });
}

// ---------------------------------------------------------------------------------------------
// Cipher

Cipher::Cipher(CipherAlgorithm alg, const std::vector<uint8_t>& keyMaterial, CipherUse use)
    : Cipher(alg, keyMaterial.data(), keyMaterial.size(), use)
{
}

Cipher::Cipher(CipherAlgorithm alg, const uint8_t* keyMaterial, size_t keyLen, CipherUse use)
    : m_alg(alg), m_use(use)
{
    GetCipherInfo(alg); // throws for a value outside the enum
    if (use != CipherUse::BOTH && use != CipherUse::ENCRYPT && use != CipherUse::DECRYPT)
    {
        throw std::invalid_argument("Cipher: unknown CipherUse value " +
                                    std::to_string(static_cast<int>(use)));
    }
    const CipherInfo& info = Info();
    if (keyLen != info.keyLen)
    {
        throw std::invalid_argument(std::string("Cipher ") + info.name + ": expected " +
                                    std::to_string(info.keyLen) + " bytes of key material" +
                                    (info.aead ? " (AES key + 4-byte salt)" : "") + ", got " +
                                    std::to_string(keyLen));
    }
    if (alg != CipherAlgorithm::NULL_CIPHER)
    {
        try
        {
            Init(keyMaterial);
        }
        catch (...)
        {
            EVP_CIPHER_CTX_free(m_enc);
            EVP_CIPHER_CTX_free(m_dec);
            throw;
        }
    }
}

void
Cipher::Init(const uint8_t* keyMaterial)
{
    const CipherInfo& info = Info();
    EnsureProvidersLoaded();
    const char* evpName = EvpCipherName(info.alg);
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, evpName, nullptr);
    if (cipher == nullptr)
    {
        ThrowOpenSsl(std::string("Cipher ") + info.name + ": OpenSSL cannot fetch " + evpName);
    }
    const size_t evpKeyLen = info.aead ? info.keyLen - 4 : info.keyLen;
    if (static_cast<size_t>(EVP_CIPHER_get_key_length(cipher)) != evpKeyLen)
    {
        EVP_CIPHER_free(cipher);
        throw std::logic_error(std::string("Cipher ") + info.name + ": key length table mismatch");
    }
    if (info.aead)
    {
        std::memcpy(m_salt, keyMaterial + evpKeyLen, 4);
    }
    // Key each context once; each packet then only supplies its IV (GCM keeps the default
    // 12-byte nonce length, which is exactly salt || 8-byte IV). CBC decryption needs a key
    // schedule of its own, so a context serves one direction.
    auto keyed = [&](int enc)
    {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        if (ctx == nullptr)
        {
            return ctx;
        }
        // CBC starts from a zero chaining value, which m_chain mirrors (ChainedCbc).
        bool ok = EVP_CipherInit_ex2(ctx, cipher, keyMaterial, info.aead ? nullptr : m_chain, enc,
                                     nullptr) == 1;
        // The ESP layer does its own (RFC 4303) padding.
        ok = ok && (info.aead || EVP_CIPHER_CTX_set_padding(ctx, 0) == 1);
        if (!ok)
        {
            EVP_CIPHER_CTX_free(ctx);
            ctx = nullptr;
        }
        return ctx;
    };
    bool ok = true;
    if (m_use != CipherUse::DECRYPT)
    {
        m_enc = keyed(1);
        ok = m_enc != nullptr;
    }
    if (ok && m_use != CipherUse::ENCRYPT)
    {
        m_dec = keyed(0);
        ok = m_dec != nullptr;
    }
    EVP_CIPHER_free(cipher); // the contexts keep their own references
    if (!ok)
    {
        ThrowOpenSsl(std::string("Cipher ") + info.name + ": context initialisation failed");
    }
}

Cipher::~Cipher()
{
    EVP_CIPHER_CTX_free(m_enc);
    EVP_CIPHER_CTX_free(m_dec);
    OPENSSL_cleanse(m_salt, sizeof(m_salt));
    OPENSSL_cleanse(m_chain, sizeof(m_chain));
}

void
Cipher::Require(bool aead, bool encrypt, const char* op) const
{
    if (Info().aead != aead)
    {
        throw std::logic_error(std::string("Cipher::") + op + ": " + Info().name +
                               (Info().aead ? " is an AEAD cipher; use Seal/Open"
                                            : " is not an AEAD cipher; use Encrypt/Decrypt"));
    }
    if (m_use == (encrypt ? CipherUse::DECRYPT : CipherUse::ENCRYPT))
    {
        throw std::logic_error(std::string("Cipher::") + op + ": this " + Info().name +
                               " cipher is keyed for " + (encrypt ? "decryption" : "encryption") +
                               " only");
    }
}

void
Cipher::SetIv(EVP_CIPHER_CTX* ctx, const uint8_t* iv) const
{
    // Re-initialise with a new IV only (key schedule kept): the per-packet fast path.
    if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, iv, -1, nullptr) != 1)
    {
        ThrowOpenSsl(std::string("Cipher ") + Info().name + ": setting the IV failed");
    }
}

// CBC without re-initialising the context per packet. OpenSSL's CBC context carries a chaining
// value: after each update, the last ciphertext block it produced or consumed. Re-keying only
// the IV (EVP_CipherInit_ex2) goes through OpenSSL 3.0's parameter machinery and cost about 6%
// of an AES-128-CBC + HMAC-SHA1 packet of 1400 bytes (perf, esp-bench). Instead the context
// keeps chaining from the previous packet, whose last ciphertext block we remember (m_chain),
// and the first block absorbs the difference, by CBC's definition C1 = E(P1 ^ IV):
//  - encrypting, the first plaintext block goes in as P1 ^ IV ^ chain, so E sees P1 ^ IV;
//  - decrypting, the first block comes out as D(C1) ^ chain; XOR with chain ^ IV gives P1.
// Every block still goes through OpenSSL; the output is that of a context given the IV.
void
Cipher::ChainedCbc(const uint8_t* iv, const uint8_t* in, uint8_t* out, int len, bool encrypt)
{
    EVP_CIPHER_CTX* ctx = encrypt ? m_enc : m_dec;
    uint8_t* chain = m_chain;
    const size_t block = Info().blockSize;
    uint8_t mask[kMaxCbcBlock];
    for (size_t i = 0; i < block; ++i)
    {
        mask[i] = iv[i] ^ chain[i];
    }
    uint8_t lastIn[kMaxCbcBlock];
    std::memcpy(lastIn, in + len - block, block); // in place, the update overwrites it
    int outl = 0;
    int firstl = 0;
    bool ok = true;
    if (encrypt)
    {
        uint8_t first[kMaxCbcBlock];
        for (size_t i = 0; i < block; ++i)
        {
            first[i] = in[i] ^ mask[i];
        }
        ok = EVP_CipherUpdate(ctx, out, &firstl, first, static_cast<int>(block)) == 1 &&
             (len == static_cast<int>(block) ||
              EVP_CipherUpdate(ctx, out + block, &outl, in + block,
                               len - static_cast<int>(block)) == 1);
        OPENSSL_cleanse(first, sizeof(first));
    }
    else
    {
        ok = EVP_CipherUpdate(ctx, out, &outl, in, len) == 1;
        firstl = static_cast<int>(block);
        outl -= firstl;
        for (size_t i = 0; ok && i < block; ++i)
        {
            out[i] ^= mask[i];
        }
    }
    if (!ok || firstl + outl != len)
    {
        // The context's chaining value is unknown now: give it a known one before failing.
        std::memset(chain, 0, kMaxCbcBlock);
        EVP_CipherInit_ex2(ctx, nullptr, nullptr, chain, -1, nullptr);
        ThrowOpenSsl(std::string("Cipher ") + (encrypt ? "Encrypt " : "Decrypt ") + Info().name +
                     " failed");
    }
    std::memcpy(chain, encrypt ? out + len - block : lastIn, block);
}

void
Cipher::Cbc(const uint8_t* iv, const uint8_t* in, uint8_t* out, int len, bool encrypt)
{
    if (m_use != CipherUse::BOTH)
    {
        ChainedCbc(iv, in, out, len, encrypt);
        return;
    }
    EVP_CIPHER_CTX* ctx = encrypt ? m_enc : m_dec;
    SetIv(ctx, iv);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, out, &outl, in, len) != 1 || outl != len)
    {
        ThrowOpenSsl(std::string("Cipher ") + (encrypt ? "Encrypt " : "Decrypt ") + Info().name +
                     " failed");
    }
}

void
Cipher::Encrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len)
{
    Require(false, true, "Encrypt");
    if (len % Info().blockSize != 0)
    {
        throw std::invalid_argument(std::string("Cipher::Encrypt ") + Info().name + ": length " +
                                    std::to_string(len) + " is not a multiple of the " +
                                    std::to_string(Info().blockSize) + "-byte block");
    }
    if (Info().alg == CipherAlgorithm::NULL_CIPHER)
    {
        if (out != in && len > 0)
        {
            std::memmove(out, in, len);
        }
        return;
    }
    if (len == 0)
    {
        return;
    }
    const int inl = CheckedInt(len, "Cipher::Encrypt");
    Cbc(iv, in, out, inl, true);
}

bool
Cipher::Decrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len)
{
    Require(false, false, "Decrypt");
    if (len % Info().blockSize != 0)
    {
        return false;
    }
    if (Info().alg == CipherAlgorithm::NULL_CIPHER)
    {
        if (out != in && len > 0)
        {
            std::memmove(out, in, len);
        }
        return true;
    }
    if (len == 0)
    {
        return true;
    }
    const int inl = CheckedInt(len, "Cipher::Decrypt");
    Cbc(iv, in, out, inl, false);
    return true;
}

void
Cipher::Seal(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
             size_t len, uint8_t* tag)
{
    Require(true, true, "Seal");
    const int inl = CheckedInt(len, "Cipher::Seal");
    const int aadl = CheckedInt(aadLen, "Cipher::Seal");

    uint8_t nonce[12];
    std::memcpy(nonce, m_salt, 4);
    std::memcpy(nonce + 4, iv, 8);
    OSSL_PARAM nonceParams[2] = {GcmNonceParam(nonce), OSSL_PARAM_construct_end()};
    if (EVP_CIPHER_CTX_set_params(m_enc, nonceParams) != 1)
    {
        ThrowOpenSsl(std::string("Cipher::Seal ") + Info().name + ": setting the nonce failed");
    }

    int outl = 0;
    bool ok = true;
    if (aadl > 0)
    {
        ok = EVP_CipherUpdate(m_enc, nullptr, &outl, aad, aadl) == 1;
    }
    if (ok && inl > 0)
    {
        ok = EVP_CipherUpdate(m_enc, out, &outl, in, inl) == 1 && outl == inl;
    }
    uint8_t scratch[16];
    ok = ok && EVP_CipherFinal_ex(m_enc, scratch, &outl) == 1;
    if (ok)
    {
        OSSL_PARAM params[2] = {
            OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, Info().icvLen),
            OSSL_PARAM_construct_end()};
        ok = EVP_CIPHER_CTX_get_params(m_enc, params) == 1;
    }
    if (!ok)
    {
        ThrowOpenSsl(std::string("Cipher::Seal ") + Info().name + " failed");
    }
}

bool
Cipher::Open(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
             size_t len, const uint8_t* tag)
{
    Require(true, false, "Open");
    const int inl = CheckedInt(len, "Cipher::Open");
    const int aadl = CheckedInt(aadLen, "Cipher::Open");

    uint8_t nonce[12];
    std::memcpy(nonce, m_salt, 4);
    std::memcpy(nonce + 4, iv, 8);
    // The nonce and the expected tag in one call.
    OSSL_PARAM params[3] = {GcmNonceParam(nonce),
                            OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                              const_cast<uint8_t*>(tag),
                                                              Info().icvLen),
                            OSSL_PARAM_construct_end()};
    int outl = 0;
    if (EVP_CIPHER_CTX_set_params(m_dec, params) != 1 ||
        (aadl > 0 && EVP_CipherUpdate(m_dec, nullptr, &outl, aad, aadl) != 1) ||
        (inl > 0 && (EVP_CipherUpdate(m_dec, out, &outl, in, inl) != 1 || outl != inl)))
    {
        ThrowOpenSsl(std::string("Cipher::Open ") + Info().name + " failed");
    }
    uint8_t scratch[16];
    if (EVP_CipherFinal_ex(m_dec, scratch, &outl) != 1)
    {
        // Authentication failed: do not leave unauthenticated plaintext behind.
        ERR_clear_error();
        if (len > 0)
        {
            OPENSSL_cleanse(out, len);
        }
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Authenticator
//
// HMAC (RFC 2104) from two keyed states precomputed at construction (hmac-digest.h: the digest
// state after absorbing K ^ ipad and after K ^ opad). Per packet the inner state is restored
// into a work context, the data is absorbed, and the outer state finishes the MAC. The EVP
// version this replaces copied EVP_MD_CTX states, which in OpenSSL 3.0 frees and allocates the
// provider's digest context twice per packet; see hmac-digest.cc.

Authenticator::Authenticator(AuthAlgorithm alg, const std::vector<uint8_t>& key)
    : Authenticator(alg, key.data(), key.size())
{
}

Authenticator::Authenticator(AuthAlgorithm alg, const uint8_t* key, size_t keyLen)
{
    const AuthInfo& info = GetAuthInfo(alg);
    if (alg == AuthAlgorithm::NONE)
    {
        throw std::invalid_argument("Authenticator: integrity algorithm NONE has no ICV; "
                                    "do not construct an Authenticator for it");
    }
    if (keyLen != info.keyLen)
    {
        throw std::invalid_argument(std::string("Authenticator ") + info.name + ": expected a " +
                                    std::to_string(info.keyLen) + "-byte key, got " +
                                    std::to_string(keyLen));
    }
    auto state = std::make_unique<uint64_t[]>(StateWords(alg, false));
    if (!hmacdigest::Precompute(alg, key, keyLen, reinterpret_cast<uint8_t*>(state.get())))
    {
        ThrowOpenSsl(std::string("Authenticator ") + info.name + ": HMAC key setup failed");
    }
    m_state = state.release();
    m_alg = alg;
}

Authenticator::Authenticator(Authenticator&& other) noexcept
    : m_state(other.m_state), m_alg(other.m_alg), m_hasWork(other.m_hasWork), m_begun(other.m_begun)
{
    other.m_state = nullptr;
    other.m_alg = AuthAlgorithm::NONE;
    other.m_hasWork = false;
    other.m_begun = false;
}

Authenticator&
Authenticator::operator=(Authenticator&& other) noexcept
{
    if (this != &other)
    {
        Release();
        std::swap(m_state, other.m_state);
        std::swap(m_alg, other.m_alg);
        std::swap(m_hasWork, other.m_hasWork);
        std::swap(m_begun, other.m_begun);
    }
    return *this;
}

Authenticator::~Authenticator()
{
    Release();
}

void
Authenticator::Release() noexcept
{
    if (m_state != nullptr)
    {
        OPENSSL_cleanse(m_state, 8 * StateWords(m_alg, m_hasWork));
        delete[] m_state;
    }
    m_state = nullptr;
    m_alg = AuthAlgorithm::NONE;
    m_hasWork = false;
    m_begun = false;
}

const uint8_t*
Authenticator::Keyed(const char* op) const
{
    if (m_state == nullptr)
    {
        throw std::logic_error(std::string("Authenticator::") + op + ": not keyed");
    }
    return reinterpret_cast<const uint8_t*>(m_state);
}

uint64_t*
Authenticator::Work()
{
    // The work context follows the keyed state, 8-byte aligned; the block grows to hold it at
    // the first Begin (the ESP path never needs it: Compute and Verify use the stack).
    const size_t keyedWords = StateWords(m_alg, false);
    if (!m_hasWork)
    {
        uint64_t* grown = new uint64_t[StateWords(m_alg, true)]();
        std::memcpy(grown, m_state, keyedWords * 8);
        OPENSSL_cleanse(m_state, keyedWords * 8);
        delete[] m_state;
        m_state = grown;
        m_hasWork = true;
    }
    return m_state + keyedWords;
}

size_t
Authenticator::FullMac(const uint8_t* data, size_t len, uint8_t* mac) const
{
    const uint8_t* keyed = Keyed("Compute");
    alignas(hmacdigest::kAlign) unsigned char work[hmacdigest::kMaxWorkSize];
    hmacdigest::Begin(m_alg, keyed, work);
    hmacdigest::Update(m_alg, work, data, len);
    return hmacdigest::Final(m_alg, keyed, work, mac);
}

void
Authenticator::Compute(const uint8_t* data, size_t len, uint8_t* icv) const
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    FullMac(data, len, mac);
    std::memcpy(icv, mac, Info().icvLen);
}

bool
Authenticator::Verify(const uint8_t* data, size_t len, const uint8_t* receivedIcv) const
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    FullMac(data, len, mac);
    return CRYPTO_memcmp(mac, receivedIcv, Info().icvLen) == 0;
}

void
Authenticator::Begin()
{
    Keyed("Begin"); // throws when unkeyed
    uint64_t* work = Work();
    hmacdigest::Begin(m_alg, reinterpret_cast<const uint8_t*>(m_state), work);
    m_begun = true;
}

void
Authenticator::Update(const uint8_t* data, size_t len)
{
    if (!m_begun)
    {
        throw std::logic_error(std::string("Authenticator ") + Info().name +
                               ": Update without Begin");
    }
    if (len > 0)
    {
        hmacdigest::Update(m_alg, Work(), data, len);
    }
}

size_t
Authenticator::FinalFull(uint8_t* mac)
{
    if (!m_begun)
    {
        throw std::logic_error(std::string("Authenticator ") + Info().name +
                               ": Final without Begin");
    }
    m_begun = false;
    uint64_t* work = Work();
    return hmacdigest::Final(m_alg, reinterpret_cast<const uint8_t*>(m_state), work, mac);
}

void
Authenticator::Final(uint8_t* icv)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    FinalFull(mac);
    std::memcpy(icv, mac, Info().icvLen);
}

bool
Authenticator::FinalVerify(const uint8_t* receivedIcv)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    FinalFull(mac);
    return CRYPTO_memcmp(mac, receivedIcv, Info().icvLen) == 0;
}

// ---------------------------------------------------------------------------------------------
// Plain HMAC

std::vector<uint8_t>
Hmac(const std::string& digest, const std::vector<uint8_t>& key, const uint8_t* data, size_t len)
{
    EnsureProvidersLoaded();
    // Validate the digest name first so an unknown name is reported as the caller's mistake.
    EVP_MD* md = EVP_MD_fetch(nullptr, digest.c_str(), nullptr);
    if (md == nullptr)
    {
        ERR_clear_error();
        throw std::invalid_argument("Hmac: unknown digest \"" + digest + "\"");
    }
    const int mdSize = EVP_MD_get_size(md);
    EVP_MD_free(md);

    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr)
    {
        ThrowOpenSsl("Hmac: OpenSSL cannot fetch HMAC");
    }
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                             const_cast<char*>(digest.c_str()), 0),
                            OSSL_PARAM_construct_end()};
    // EVP_MAC_init treats a null key as "keep the old key"; an empty key must still be a key.
    static const uint8_t kEmpty = 0;
    const uint8_t* keyPtr = key.empty() ? &kEmpty : key.data();
    std::vector<uint8_t> out(static_cast<size_t>(mdSize > 0 ? mdSize : EVP_MAX_MD_SIZE));
    size_t outLen = 0;
    const bool ok = ctx != nullptr && EVP_MAC_init(ctx, keyPtr, key.size(), params) == 1 &&
                    (len == 0 || EVP_MAC_update(ctx, data, len) == 1) &&
                    EVP_MAC_final(ctx, out.data(), &outLen, out.size()) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!ok)
    {
        ThrowOpenSsl("Hmac(" + digest + ") failed");
    }
    out.resize(outLen);
    return out;
}

} // namespace ipsec
} // namespace ns3
