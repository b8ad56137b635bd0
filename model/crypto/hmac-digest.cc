// HMAC over OpenSSL's low-level digests with compact precomputed keyed states.
//
// Why the deprecated low-level API (MD5_*, SHA1_*, SHA256_*, SHA384_*, SHA512_*), here only:
// - Speed. HMAC per ESP packet starts from the digest state after (K ^ ipad) and finishes from
//   the one after (K ^ opad). With EVP that is EVP_MD_CTX_copy_ex twice per packet, and in
//   OpenSSL 3.0 each copy frees and allocates the provider's digest context (and EVP_MAC_init
//   with a kept key does the same internally). A low-level context is a plain struct: starting
//   a packet is a struct copy. Measured with esp-bench (AES-128-CBC + HMAC-SHA1-96, 1400-byte
//   payloads) this is what takes our ESP path past raw EVP (doc/benchmarks.md).
// - Memory. Three EVP_MD_CTX per SA held 504 bytes of OpenSSL heap for SHA-1; the keyed state
//   here is the chaining value and bit count only, 56 bytes for SHA-1 (inner and outer).
// The low-level functions are the same code the default provider runs (SHA-NI/AVX assembly
// where the CPU has it). Nothing here hashes by itself: every block goes through OpenSSL.
//
// OPENSSL_SUPPRESS_DEPRECATED silences the deprecation warnings of exactly this file.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "hmac-digest.h"

#include <openssl/crypto.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <cstddef>
#include <cstring>

namespace ns3
{
namespace ipsec
{
namespace hmacdigest
{
namespace
{

/**
 * One digest's HMAC. Ctx is OpenSSL's low-level context; kChain is the number of leading bytes
 * of it that absorbing whole blocks changes (the chaining value and the bit count, before the
 * partial-block buffer). A context is rebuilt from kChain saved bytes laid over a context fresh
 * from Init, whose remaining fields (empty buffer, digest length) are what they are after any
 * whole number of blocks.
 */
template <typename Ctx, int (*InitFn)(Ctx*), int (*UpdateFn)(Ctx*, const void*, size_t),
          int (*FinalFn)(unsigned char*, Ctx*), size_t kBlock, size_t kDigest, size_t kChain>
struct Hmac
{
    static_assert(sizeof(Ctx) <= kMaxWorkSize, "work context too small");
    static_assert(alignof(Ctx) <= kAlign, "work context alignment too small");
    static constexpr size_t kStateSize = 2 * kChain;

    static const Ctx& Fresh()
    {
        static const Ctx fresh = []
        {
            Ctx c;
            InitFn(&c);
            return c;
        }();
        return fresh;
    }

    static void Restore(Ctx& c, const uint8_t* chain)
    {
        c = Fresh();
        std::memcpy(static_cast<void*>(&c), chain, kChain);
    }

    static bool Precompute(const uint8_t* key, size_t keyLen, uint8_t* keyed)
    {
        uint8_t k[kBlock] = {};
        Ctx c;
        bool ok = true;
        if (keyLen > kBlock)
        {
            ok = InitFn(&c) == 1 && UpdateFn(&c, key, keyLen) == 1 && FinalFn(k, &c) == 1;
        }
        else if (keyLen > 0)
        {
            std::memcpy(k, key, keyLen);
        }
        uint8_t pad[kBlock];
        const uint8_t pads[2] = {0x36, 0x5c}; // RFC 2104: ipad, opad
        for (size_t half = 0; ok && half < 2; ++half)
        {
            for (size_t i = 0; i < kBlock; ++i)
            {
                pad[i] = k[i] ^ pads[half];
            }
            ok = InitFn(&c) == 1 && UpdateFn(&c, pad, kBlock) == 1;
            std::memcpy(keyed + half * kChain, static_cast<const void*>(&c), kChain);
        }
        OPENSSL_cleanse(k, sizeof(k));
        OPENSSL_cleanse(pad, sizeof(pad));
        OPENSSL_cleanse(&c, sizeof(c));
        return ok;
    }

    static void Begin(const uint8_t* keyed, void* work)
    {
        Restore(*static_cast<Ctx*>(work), keyed);
    }

    static void Update(void* work, const uint8_t* data, size_t len)
    {
        UpdateFn(static_cast<Ctx*>(work), data, len);
    }

    static size_t Final(const uint8_t* keyed, void* work, uint8_t* mac)
    {
        Ctx& c = *static_cast<Ctx*>(work);
        uint8_t inner[kDigest];
        FinalFn(inner, &c);
        Restore(c, keyed + kChain);
        UpdateFn(&c, inner, kDigest);
        FinalFn(mac, &c);
        return kDigest;
    }
};

using HmacMd5 = Hmac<MD5_CTX, MD5_Init, MD5_Update, MD5_Final, 64, 16, offsetof(MD5_CTX, data)>;
using HmacSha1 = Hmac<SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final, 64, 20, offsetof(SHA_CTX, data)>;
using HmacSha256 =
    Hmac<SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final, 64, 32, offsetof(SHA256_CTX, data)>;
using HmacSha384 =
    Hmac<SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final, 128, 48, offsetof(SHA512_CTX, u)>;
using HmacSha512 =
    Hmac<SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final, 128, 64, offsetof(SHA512_CTX, u)>;

} // namespace

// One switch per call: the algorithm is the SA's, so the branch always goes the same way.
#define IPSEC_HMAC_DISPATCH(alg, call, otherwise)                                                  \
    switch (alg)                                                                                   \
    {                                                                                              \
    case AuthAlgorithm::HMAC_MD5_96:                                                               \
        return HmacMd5::call;                                                                      \
    case AuthAlgorithm::HMAC_SHA1_96:                                                              \
        return HmacSha1::call;                                                                     \
    case AuthAlgorithm::HMAC_SHA256_128:                                                           \
        return HmacSha256::call;                                                                   \
    case AuthAlgorithm::HMAC_SHA384_192:                                                           \
        return HmacSha384::call;                                                                   \
    case AuthAlgorithm::HMAC_SHA512_256:                                                           \
        return HmacSha512::call;                                                                   \
    case AuthAlgorithm::NONE:                                                                      \
        break;                                                                                     \
    }                                                                                              \
    return otherwise

size_t
KeyedStateSize(AuthAlgorithm alg)
{
    IPSEC_HMAC_DISPATCH(alg, kStateSize, 0);
}

bool
Precompute(AuthAlgorithm alg, const uint8_t* key, size_t keyLen, uint8_t* keyed)
{
    IPSEC_HMAC_DISPATCH(alg, Precompute(key, keyLen, keyed), false);
}

void
Begin(AuthAlgorithm alg, const uint8_t* keyed, void* work)
{
    IPSEC_HMAC_DISPATCH(alg, Begin(keyed, work), void());
}

void
Update(AuthAlgorithm alg, void* work, const uint8_t* data, size_t len)
{
    IPSEC_HMAC_DISPATCH(alg, Update(work, data, len), void());
}

size_t
Final(AuthAlgorithm alg, const uint8_t* keyed, void* work, uint8_t* mac)
{
    IPSEC_HMAC_DISPATCH(alg, Final(keyed, work, mac), 0);
}

#undef IPSEC_HMAC_DISPATCH

} // namespace hmacdigest
} // namespace ipsec
} // namespace ns3
