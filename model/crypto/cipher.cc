// ESP ciphers and integrity algorithms over OpenSSL 3 EVP.
#include "ns3/cipher.h"
#include "ns3/openssl-error.h"

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

/** OpenSSL digest name for an integrity algorithm (nullptr for NONE). */
const char*
EvpDigestName(AuthAlgorithm alg)
{
    switch (alg)
    {
    case AuthAlgorithm::NONE:
        return nullptr;
    case AuthAlgorithm::HMAC_MD5_96:
        return "MD5";
    case AuthAlgorithm::HMAC_SHA1_96:
        return "SHA1";
    case AuthAlgorithm::HMAC_SHA256_128:
        return "SHA256";
    case AuthAlgorithm::HMAC_SHA384_192:
        return "SHA384";
    case AuthAlgorithm::HMAC_SHA512_256:
        return "SHA512";
    }
    return nullptr;
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
    for (const auto& info : kCipherInfos)
    {
        if (info.alg == alg)
        {
            return info;
        }
    }
    throw std::invalid_argument("GetCipherInfo: unsupported cipher algorithm value " +
                                std::to_string(static_cast<int>(alg)));
}

const AuthInfo&
GetAuthInfo(AuthAlgorithm alg)
{
    for (const auto& info : kAuthInfos)
    {
        if (info.alg == alg)
        {
            return info;
        }
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

struct Cipher::Impl
{
    const CipherInfo* info = nullptr;
    /** Separate contexts per direction: CBC decryption uses a different AES key schedule. */
    EVP_CIPHER_CTX* enc = nullptr;
    EVP_CIPHER_CTX* dec = nullptr;
    /** GCM: the 4-byte salt that prefixes every nonce (RFC 4106 section 4). */
    uint8_t salt[4] = {};

    ~Impl()
    {
        EVP_CIPHER_CTX_free(enc);
        EVP_CIPHER_CTX_free(dec);
        OPENSSL_cleanse(salt, sizeof(salt));
    }

    /** Re-initialise @p ctx with a new IV only (key schedule kept): the per-packet fast path. */
    void SetIv(EVP_CIPHER_CTX* ctx, const uint8_t* iv) const
    {
        if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, iv, -1, nullptr) != 1)
        {
            ThrowOpenSsl(std::string("Cipher ") + info->name + ": setting the IV failed");
        }
    }

    void RequireAead(bool wantAead, const char* op) const
    {
        if (info->aead != wantAead)
        {
            throw std::logic_error(std::string("Cipher::") + op + ": " + info->name +
                                   (info->aead ? " is an AEAD cipher; use Seal/Open"
                                               : " is not an AEAD cipher; use Encrypt/Decrypt"));
        }
    }
};

Cipher::Cipher(CipherAlgorithm alg, const std::vector<uint8_t>& keyMaterial)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->info = &GetCipherInfo(alg);
    const CipherInfo& info = *m_impl->info;
    if (keyMaterial.size() != info.keyLen)
    {
        throw std::invalid_argument(std::string("Cipher ") + info.name + ": expected " +
                                    std::to_string(info.keyLen) + " bytes of key material" +
                                    (info.aead ? " (AES key + 4-byte salt)" : "") + ", got " +
                                    std::to_string(keyMaterial.size()));
    }
    if (alg == CipherAlgorithm::NULL_CIPHER)
    {
        return;
    }

    EnsureProvidersLoaded();
    const char* evpName = EvpCipherName(alg);
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
        std::memcpy(m_impl->salt, keyMaterial.data() + evpKeyLen, 4);
    }

    m_impl->enc = EVP_CIPHER_CTX_new();
    m_impl->dec = EVP_CIPHER_CTX_new();
    bool ok = m_impl->enc != nullptr && m_impl->dec != nullptr;
    // Key the contexts once; each packet then only supplies its IV (GCM keeps the default
    // 12-byte nonce length, which is exactly salt || 8-byte IV).
    ok = ok && EVP_CipherInit_ex2(m_impl->enc, cipher, keyMaterial.data(), nullptr, 1, nullptr);
    ok = ok && EVP_CipherInit_ex2(m_impl->dec, cipher, keyMaterial.data(), nullptr, 0, nullptr);
    if (ok && !info.aead)
    {
        // The ESP layer does its own (RFC 4303) padding.
        ok = EVP_CIPHER_CTX_set_padding(m_impl->enc, 0) == 1 &&
             EVP_CIPHER_CTX_set_padding(m_impl->dec, 0) == 1;
    }
    EVP_CIPHER_free(cipher); // the contexts keep their own references
    if (!ok)
    {
        ThrowOpenSsl(std::string("Cipher ") + info.name + ": context initialisation failed");
    }
}

Cipher::~Cipher() = default;

const CipherInfo&
Cipher::Info() const
{
    return *m_impl->info;
}

void
Cipher::Encrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len)
{
    const Impl& d = *m_impl;
    d.RequireAead(false, "Encrypt");
    if (len % d.info->blockSize != 0)
    {
        throw std::invalid_argument(std::string("Cipher::Encrypt ") + d.info->name + ": length " +
                                    std::to_string(len) + " is not a multiple of the " +
                                    std::to_string(d.info->blockSize) + "-byte block");
    }
    if (d.enc == nullptr) // NULL cipher
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
    d.SetIv(d.enc, iv);
    int outl = 0;
    if (EVP_CipherUpdate(d.enc, out, &outl, in, inl) != 1 || outl != inl)
    {
        ThrowOpenSsl(std::string("Cipher::Encrypt ") + d.info->name + " failed");
    }
}

bool
Cipher::Decrypt(const uint8_t* iv, const uint8_t* in, uint8_t* out, size_t len)
{
    const Impl& d = *m_impl;
    d.RequireAead(false, "Decrypt");
    if (len % d.info->blockSize != 0)
    {
        return false;
    }
    if (d.dec == nullptr) // NULL cipher
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
    d.SetIv(d.dec, iv);
    int outl = 0;
    if (EVP_CipherUpdate(d.dec, out, &outl, in, inl) != 1 || outl != inl)
    {
        ThrowOpenSsl(std::string("Cipher::Decrypt ") + d.info->name + " failed");
    }
    return true;
}

void
Cipher::Seal(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
             size_t len, uint8_t* tag)
{
    const Impl& d = *m_impl;
    d.RequireAead(true, "Seal");
    const int inl = CheckedInt(len, "Cipher::Seal");
    const int aadl = CheckedInt(aadLen, "Cipher::Seal");

    uint8_t nonce[12];
    std::memcpy(nonce, d.salt, 4);
    std::memcpy(nonce + 4, iv, 8);
    d.SetIv(d.enc, nonce);

    int outl = 0;
    bool ok = true;
    if (aadl > 0)
    {
        ok = EVP_CipherUpdate(d.enc, nullptr, &outl, aad, aadl) == 1;
    }
    if (ok && inl > 0)
    {
        ok = EVP_CipherUpdate(d.enc, out, &outl, in, inl) == 1 && outl == inl;
    }
    uint8_t scratch[16];
    ok = ok && EVP_CipherFinal_ex(d.enc, scratch, &outl) == 1;
    if (ok)
    {
        OSSL_PARAM params[2] = {
            OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, d.info->icvLen),
            OSSL_PARAM_construct_end()};
        ok = EVP_CIPHER_CTX_get_params(d.enc, params) == 1;
    }
    if (!ok)
    {
        ThrowOpenSsl(std::string("Cipher::Seal ") + d.info->name + " failed");
    }
}

bool
Cipher::Open(const uint8_t* iv, const uint8_t* aad, size_t aadLen, const uint8_t* in, uint8_t* out,
             size_t len, const uint8_t* tag)
{
    const Impl& d = *m_impl;
    d.RequireAead(true, "Open");
    const int inl = CheckedInt(len, "Cipher::Open");
    const int aadl = CheckedInt(aadLen, "Cipher::Open");

    uint8_t nonce[12];
    std::memcpy(nonce, d.salt, 4);
    std::memcpy(nonce + 4, iv, 8);
    d.SetIv(d.dec, nonce);

    OSSL_PARAM params[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                              const_cast<uint8_t*>(tag),
                                                              d.info->icvLen),
                            OSSL_PARAM_construct_end()};
    int outl = 0;
    if (EVP_CIPHER_CTX_set_params(d.dec, params) != 1 ||
        (aadl > 0 && EVP_CipherUpdate(d.dec, nullptr, &outl, aad, aadl) != 1) ||
        (inl > 0 && (EVP_CipherUpdate(d.dec, out, &outl, in, inl) != 1 || outl != inl)))
    {
        ThrowOpenSsl(std::string("Cipher::Open ") + d.info->name + " failed");
    }
    uint8_t scratch[16];
    if (EVP_CipherFinal_ex(d.dec, scratch, &outl) != 1)
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
// HMAC (RFC 2104) is computed from two EVP_MD_CTX states precomputed at construction: the digest
// after absorbing (K ^ ipad) and after absorbing (K ^ opad). Per packet the inner state is copied
// into a work context, the data is absorbed, and the outer state finishes the MAC. This is what
// OpenSSL's HMAC does internally, minus the EVP_MAC dispatch layer; measured on OpenSSL 3.0 it is
// about 25% faster than re-initialising a keyed EVP_MAC_CTX for 64-byte packets (and 5-10% for
// 1400-byte ones), and much faster than EVP_MAC_CTX_dup or re-keying per packet. In OpenSSL 3.0
// EVP_MD_CTX_copy_ex re-allocates the provider's digest state, so each packet costs two small
// allocations inside OpenSSL; the EVP_MAC path has the same cost.

struct Authenticator::Impl
{
    const AuthInfo* info = nullptr;
    EVP_MD_CTX* inner = nullptr; //!< state after H(K ^ ipad)
    EVP_MD_CTX* outer = nullptr; //!< state after H(K ^ opad)
    EVP_MD_CTX* work = nullptr;
    bool begun = false;

    ~Impl()
    {
        EVP_MD_CTX_free(inner);
        EVP_MD_CTX_free(outer);
        EVP_MD_CTX_free(work);
    }

    /** Full-length HMAC of what was absorbed since Begin() into @p mac; @return its length. */
    unsigned int FinalFull(uint8_t* mac)
    {
        if (!begun)
        {
            throw std::logic_error(std::string("Authenticator ") + info->name +
                                   ": Final without Begin");
        }
        begun = false;
        unsigned int innerLen = 0;
        unsigned int macLen = 0;
        if (EVP_DigestFinal_ex(work, mac, &innerLen) != 1 || EVP_MD_CTX_copy_ex(work, outer) != 1 ||
            EVP_DigestUpdate(work, mac, innerLen) != 1 ||
            EVP_DigestFinal_ex(work, mac, &macLen) != 1)
        {
            ThrowOpenSsl(std::string("Authenticator ") + info->name + ": HMAC final failed");
        }
        return macLen;
    }
};

Authenticator::Authenticator(AuthAlgorithm alg, const std::vector<uint8_t>& key)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->info = &GetAuthInfo(alg);
    const AuthInfo& info = *m_impl->info;
    if (alg == AuthAlgorithm::NONE)
    {
        throw std::invalid_argument("Authenticator: integrity algorithm NONE has no ICV; "
                                    "do not construct an Authenticator for it");
    }
    if (key.size() != info.keyLen)
    {
        throw std::invalid_argument(std::string("Authenticator ") + info.name + ": expected a " +
                                    std::to_string(info.keyLen) + "-byte key, got " +
                                    std::to_string(key.size()));
    }

    EnsureProvidersLoaded();
    const char* mdName = EvpDigestName(alg);
    EVP_MD* md = EVP_MD_fetch(nullptr, mdName, nullptr);
    if (md == nullptr)
    {
        ThrowOpenSsl(std::string("Authenticator ") + info.name + ": OpenSSL cannot fetch " +
                     mdName);
    }
    const size_t blockLen = static_cast<size_t>(EVP_MD_get_block_size(md));
    uint8_t kblock[128] = {}; // largest block: SHA-384/512
    bool ok = blockLen > 0 && blockLen <= sizeof(kblock);

    m_impl->inner = EVP_MD_CTX_new();
    m_impl->outer = EVP_MD_CTX_new();
    m_impl->work = EVP_MD_CTX_new();
    ok = ok && m_impl->inner != nullptr && m_impl->outer != nullptr && m_impl->work != nullptr;
    if (ok && key.size() > blockLen)
    {
        // RFC 2104: keys longer than the block are hashed first (never the case for our fixed
        // ESP key sizes, kept for completeness).
        unsigned int hlen = 0;
        ok = EVP_Digest(key.data(), key.size(), kblock, &hlen, md, nullptr) == 1;
    }
    else if (ok)
    {
        std::memcpy(kblock, key.data(), key.size());
    }
    uint8_t pad[128];
    if (ok)
    {
        for (size_t i = 0; i < blockLen; ++i)
        {
            pad[i] = kblock[i] ^ 0x36;
        }
        ok = EVP_DigestInit_ex2(m_impl->inner, md, nullptr) == 1 &&
             EVP_DigestUpdate(m_impl->inner, pad, blockLen) == 1;
    }
    if (ok)
    {
        for (size_t i = 0; i < blockLen; ++i)
        {
            pad[i] = kblock[i] ^ 0x5c;
        }
        ok = EVP_DigestInit_ex2(m_impl->outer, md, nullptr) == 1 &&
             EVP_DigestUpdate(m_impl->outer, pad, blockLen) == 1;
    }
    OPENSSL_cleanse(kblock, sizeof(kblock));
    OPENSSL_cleanse(pad, sizeof(pad));
    EVP_MD_free(md);
    if (!ok)
    {
        ThrowOpenSsl(std::string("Authenticator ") + info.name + ": HMAC key setup failed");
    }
}

Authenticator::~Authenticator() = default;

const AuthInfo&
Authenticator::Info() const
{
    return *m_impl->info;
}

void
Authenticator::Begin()
{
    if (EVP_MD_CTX_copy_ex(m_impl->work, m_impl->inner) != 1)
    {
        ThrowOpenSsl(std::string("Authenticator ") + m_impl->info->name + ": Begin failed");
    }
    m_impl->begun = true;
}

void
Authenticator::Update(const uint8_t* data, size_t len)
{
    if (!m_impl->begun)
    {
        throw std::logic_error(std::string("Authenticator ") + m_impl->info->name +
                               ": Update without Begin");
    }
    if (len > 0 && EVP_DigestUpdate(m_impl->work, data, len) != 1)
    {
        ThrowOpenSsl(std::string("Authenticator ") + m_impl->info->name + ": Update failed");
    }
}

void
Authenticator::Final(uint8_t* icv)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    m_impl->FinalFull(mac);
    std::memcpy(icv, mac, m_impl->info->icvLen);
}

void
Authenticator::Compute(const uint8_t* data, size_t len, uint8_t* icv)
{
    Begin();
    Update(data, len);
    Final(icv);
}

bool
Authenticator::FinalVerify(const uint8_t* receivedIcv)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    m_impl->FinalFull(mac);
    return CRYPTO_memcmp(mac, receivedIcv, m_impl->info->icvLen) == 0;
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
