// IKEv2 (RFC 7296) PRFs and key derivation.
#include "ns3/ikev2-prf.h"

#include "ns3/cipher.h"
#include "ns3/ike-prf.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace ipsec
{

namespace
{

struct PrfEntry
{
    Ikev2PrfAlgorithm alg;
    uint16_t transformId; //!< IANA IKEv2 Transform Type 2 ID
    const char* name;
    const char* digest; //!< OpenSSL digest name
    size_t length;
};

const PrfEntry PRFS[] = {
    {Ikev2PrfAlgorithm::HMAC_SHA1, 2, "PRF_HMAC_SHA1", "SHA1", 20},
    {Ikev2PrfAlgorithm::HMAC_SHA2_256, 5, "PRF_HMAC_SHA2_256", "SHA256", 32},
    {Ikev2PrfAlgorithm::HMAC_SHA2_384, 6, "PRF_HMAC_SHA2_384", "SHA384", 48},
    {Ikev2PrfAlgorithm::HMAC_SHA2_512, 7, "PRF_HMAC_SHA2_512", "SHA512", 64},
    {Ikev2PrfAlgorithm::AES128_XCBC, 4, "PRF_AES128_XCBC", nullptr, 16},
};

const PrfEntry&
Entry(Ikev2PrfAlgorithm alg)
{
    for (const PrfEntry& e : PRFS)
    {
        if (e.alg == alg)
        {
            return e;
        }
    }
    throw std::invalid_argument("IKEv2: unknown PRF value " + std::to_string(int(alg)));
}

void
Append(Bytes& out, const Bytes& part)
{
    out.insert(out.end(), part.begin(), part.end());
}

Bytes
Concat(std::initializer_list<const Bytes*> parts)
{
    Bytes out;
    for (const Bytes* p : parts)
    {
        Append(out, *p);
    }
    return out;
}

/** The next @p n bytes of @p keymat from @p pos. */
Bytes
Take(const Bytes& keymat, size_t& pos, size_t n)
{
    Bytes out(keymat.begin() + pos, keymat.begin() + pos + n);
    pos += n;
    return out;
}

/** AES-128 of one 16-byte block. */
void
AesBlock(const Bytes& key, const uint8_t* in, uint8_t* out)
{
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        EVP_CIPHER_CTX_free);
    int n = 0;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ecb(), nullptr, key.data(), nullptr) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &n, in, 16) != 1 || n != 16)
    {
        throw std::runtime_error("AES-XCBC: OpenSSL AES-128-ECB failed");
    }
}

/** RFC 4434 2: the 16-byte key AES-XCBC-PRF-128 uses for a key of any length. */
Bytes
XcbcPrfKey(const Bytes& key)
{
    if (key.size() <= 16)
    {
        Bytes k = key;
        k.resize(16, 0);
        return k;
    }
    return AesXcbcMac128(Bytes(16, 0), key);
}

} // namespace

Bytes
AesXcbcMac128(const Bytes& key, const Bytes& data)
{
    if (key.size() != 16)
    {
        throw std::invalid_argument("AES-XCBC-MAC: key of " + std::to_string(key.size()) +
                                    " bytes (16 expected)");
    }
    // RFC 3566 4: K1, K2, K3 from the key; CBC-MAC with K1; the last block XORed with K2 if it
    // is complete, else padded with 0x80 00.. and XORed with K3.
    uint8_t k[3][16];
    for (uint8_t c = 1; c <= 3; ++c)
    {
        const Bytes constant(16, c);
        AesBlock(key, constant.data(), k[c - 1]);
    }
    const Bytes k1(k[0], k[0] + 16);
    uint8_t e[16] = {0};
    size_t pos = 0;
    while (data.size() - pos > 16)
    {
        for (int b = 0; b < 16; ++b)
        {
            e[b] ^= data[pos + b];
        }
        AesBlock(k1, e, e);
        pos += 16;
    }
    const size_t rest = data.size() - pos;
    const bool complete = rest == 16;
    for (size_t b = 0; b < 16; ++b)
    {
        const uint8_t m = b < rest ? data[pos + b] : (b == rest ? 0x80 : 0);
        e[b] ^= m ^ (complete ? k[1][b] : k[2][b]);
    }
    AesBlock(k1, e, e);
    return Bytes(e, e + 16);
}

uint16_t
Ikev2PrfTransformId(Ikev2PrfAlgorithm alg)
{
    return Entry(alg).transformId;
}

std::optional<Ikev2PrfAlgorithm>
Ikev2PrfFromTransformId(uint16_t id)
{
    for (const PrfEntry& e : PRFS)
    {
        if (e.transformId == id)
        {
            return e.alg;
        }
    }
    return std::nullopt;
}

const char*
Ikev2PrfName(Ikev2PrfAlgorithm alg)
{
    return Entry(alg).name;
}

size_t
Ikev2PrfLength(Ikev2PrfAlgorithm alg)
{
    return Entry(alg).length;
}

Bytes
Ikev2Prf(Ikev2PrfAlgorithm alg, const Bytes& key, const Bytes& data)
{
    if (alg == Ikev2PrfAlgorithm::AES128_XCBC)
    {
        return AesXcbcMac128(XcbcPrfKey(key), data);
    }
    return Hmac(Entry(alg).digest, key, data.data(), data.size());
}

Bytes
Ikev2PrfPlus(Ikev2PrfAlgorithm alg, const Bytes& key, const Bytes& seed, size_t len)
{
    const size_t h = Ikev2PrfLength(alg);
    if (len > 255 * h)
    {
        throw std::invalid_argument("prf+: " + std::to_string(len) + " bytes asked, " +
                                    Ikev2PrfName(alg) + " gives at most " +
                                    std::to_string(255 * h) + " (255 iterations)");
    }
    Bytes out;
    Bytes t;
    for (unsigned n = 1; out.size() < len; ++n)
    {
        Bytes input = t;
        Append(input, seed);
        input.push_back(static_cast<uint8_t>(n));
        t = Ikev2Prf(alg, key, input);
        Append(out, t);
    }
    out.resize(len);
    return out;
}

Bytes
Ikev2Skeyseed(Ikev2PrfAlgorithm alg, const Bytes& ni, const Bytes& nr, const Bytes& gir)
{
    if (alg == Ikev2PrfAlgorithm::AES128_XCBC)
    {
        // Nonces are at least 16 bytes (RFC 7296 3.9); take the first 8 of each.
        Bytes key(ni.begin(), ni.begin() + std::min<size_t>(8, ni.size()));
        key.insert(key.end(), nr.begin(), nr.begin() + std::min<size_t>(8, nr.size()));
        return Ikev2Prf(alg, key, gir);
    }
    return Ikev2Prf(alg, Concat({&ni, &nr}), gir);
}

Bytes
Ikev2RekeySkeyseed(Ikev2PrfAlgorithm alg, const Bytes& oldSkD, const Bytes& gir, const Bytes& ni,
                   const Bytes& nr)
{
    return Ikev2Prf(alg, oldSkD, Concat({&gir, &ni, &nr}));
}

Ikev2SaKeys
Ikev2DeriveSaKeys(Ikev2PrfAlgorithm alg, const Bytes& skeyseed, const Bytes& ni, const Bytes& nr,
                  const Bytes& spiI, const Bytes& spiR, size_t encrKeyLen, size_t integKeyLen)
{
    if (spiI.size() != 8 || spiR.size() != 8)
    {
        throw std::invalid_argument("Ikev2DeriveSaKeys: SPIs must be 8 bytes, got " +
                                    std::to_string(spiI.size()) + " and " +
                                    std::to_string(spiR.size()));
    }
    const size_t p = Ikev2PrfLength(alg);
    const size_t total = 3 * p + 2 * integKeyLen + 2 * encrKeyLen;
    const Bytes keymat = Ikev2PrfPlus(alg, skeyseed, Concat({&ni, &nr, &spiI, &spiR}), total);
    size_t pos = 0;
    Ikev2SaKeys k;
    k.skD = Take(keymat, pos, p);
    k.skAi = Take(keymat, pos, integKeyLen);
    k.skAr = Take(keymat, pos, integKeyLen);
    k.skEi = Take(keymat, pos, encrKeyLen);
    k.skEr = Take(keymat, pos, encrKeyLen);
    k.skPi = Take(keymat, pos, p);
    k.skPr = Take(keymat, pos, p);
    return k;
}

Ikev2ChildKeys
Ikev2DeriveChildKeys(Ikev2PrfAlgorithm alg, const Bytes& skD, const Bytes& gir, const Bytes& ni,
                     const Bytes& nr, size_t encrKeyLen, size_t integKeyLen)
{
    const size_t total = 2 * (encrKeyLen + integKeyLen);
    const Bytes keymat = Ikev2PrfPlus(alg, skD, Concat({&gir, &ni, &nr}), total);
    size_t pos = 0;
    Ikev2ChildKeys k;
    k.encrI = Take(keymat, pos, encrKeyLen);
    k.integI = Take(keymat, pos, integKeyLen);
    k.encrR = Take(keymat, pos, encrKeyLen);
    k.integR = Take(keymat, pos, integKeyLen);
    return k;
}

Bytes
Ikev2SignedOctets(Ikev2PrfAlgorithm alg, const Bytes& realMessage, const Bytes& peerNonce,
                  const Bytes& skP, const Bytes& idBody)
{
    const Bytes macedId = Ikev2Prf(alg, skP, idBody);
    return Concat({&realMessage, &peerNonce, &macedId});
}

Bytes
Ikev2PskAuth(Ikev2PrfAlgorithm alg, const Bytes& sharedSecret, const Bytes& signedOctets)
{
    static const std::string pad = "Key Pad for IKEv2";
    const Bytes key = Ikev2Prf(alg, sharedSecret, Bytes(pad.begin(), pad.end()));
    return Ikev2Prf(alg, key, signedOctets);
}

Bytes
Ikev2NatDetectionHash(const Bytes& spiI, const Bytes& spiR, const Bytes& address, uint16_t port)
{
    if (spiI.size() != 8 || spiR.size() != 8 || (address.size() != 4 && address.size() != 16))
    {
        throw std::invalid_argument(
            "Ikev2NatDetectionHash: SPIs of " + std::to_string(spiI.size()) + " and " +
            std::to_string(spiR.size()) + " bytes, address of " + std::to_string(address.size()) +
            " (8, 8 and 4 or 16 expected)");
    }
    const Bytes portBytes = {uint8_t(port >> 8), uint8_t(port)};
    return IkeHashOf(IkeHash::SHA1, Concat({&spiI, &spiR, &address, &portBytes}));
}

} // namespace ipsec
} // namespace ns3
