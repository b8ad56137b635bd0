// RSA with OpenSSL EVP over DER keys. Padding for encryption is done here (RSA_NO_PADDING below)
// so that its random bytes come from the caller's byte source, and decryption checks it here so
// a bad block gives a clear error rather than OpenSSL 3's implicit rejection.
#include "ns3/rsa-ops.h"

#include "ns3/openssl-error.h"
#include "openssl-ptr.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

namespace ns3
{
namespace ipsec
{

namespace
{
PkeyPtr
ReadPrivate(const std::vector<uint8_t>& der)
{
    PkeyPtr k = DecodeDer<PkeyPtr>(der, d2i_AutoPrivateKey);
    if (k && EVP_PKEY_get_base_id(k.get()) != EVP_PKEY_RSA)
    {
        k.reset();
    }
    return k;
}

PkeyPtr
ReadPublic(const std::vector<uint8_t>& der)
{
    PkeyPtr k = DecodeDer<PkeyPtr>(der, d2i_PUBKEY);
    if (k && EVP_PKEY_get_base_id(k.get()) != EVP_PKEY_RSA)
    {
        k.reset();
    }
    return k;
}

RsaResult
Failed(const std::string& what)
{
    RsaResult r;
    r.error = what + OpenSslErrors();
    return r;
}

/** One raw RSA operation (@p init, then @p op) with @p padding on @p in. */
template <typename Init, typename Op>
RsaResult
Apply(EVP_PKEY* key, Init init, Op op, int padding, const std::vector<uint8_t>& in,
      const char* what)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
    size_t outLen = 0;
    if (!ctx || init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), padding) <= 0 ||
        op(ctx.get(), nullptr, &outLen, in.data(), in.size()) <= 0)
    {
        return Failed(what);
    }
    RsaResult r;
    r.bytes.resize(outLen);
    if (op(ctx.get(), r.bytes.data(), &outLen, in.data(), in.size()) <= 0)
    {
        return Failed(what);
    }
    r.bytes.resize(outLen);
    r.ok = true;
    return r;
}
} // namespace

uint32_t
RsaPrivateKeyBits(const std::vector<uint8_t>& pkcs8)
{
    PkeyPtr k = ReadPrivate(pkcs8);
    return k ? static_cast<uint32_t>(EVP_PKEY_get_bits(k.get())) : 0;
}

uint32_t
RsaPublicKeyBits(const std::vector<uint8_t>& spki)
{
    PkeyPtr k = ReadPublic(spki);
    return k ? static_cast<uint32_t>(EVP_PKEY_get_bits(k.get())) : 0;
}

std::vector<uint8_t>
RsaPublicKeyOf(const std::vector<uint8_t>& pkcs8)
{
    PkeyPtr k = ReadPrivate(pkcs8);
    if (!k)
    {
        return {};
    }
    unsigned char* out = nullptr;
    const int n = i2d_PUBKEY(k.get(), &out);
    std::vector<uint8_t> spki;
    if (n > 0)
    {
        spki.assign(out, out + n);
    }
    OPENSSL_free(out);
    return spki;
}

RsaResult
RsaSignRaw(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& data)
{
    PkeyPtr k = ReadPrivate(pkcs8);
    if (!k)
    {
        return Failed("not an RSA private key (PKCS#8 DER)");
    }
    // Without a signature digest, EVP signs the data itself: type 1 padding, no DigestInfo.
    return Apply(k.get(), EVP_PKEY_sign_init, EVP_PKEY_sign, RSA_PKCS1_PADDING, data,
                 "RSA signature failed");
}

bool
RsaVerifyRaw(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& data,
             const std::vector<uint8_t>& signature, std::string* error)
{
    PkeyPtr k = ReadPublic(spki);
    if (!k)
    {
        *error = "not an RSA public key";
        return false;
    }
    if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(k.get())))
    {
        *error = "signature of " + std::to_string(signature.size()) + " bytes for a " +
                 std::to_string(EVP_PKEY_get_bits(k.get())) + "-bit key";
        return false;
    }
    RsaResult r = Apply(k.get(), EVP_PKEY_verify_recover_init, EVP_PKEY_verify_recover,
                        RSA_PKCS1_PADDING, signature, "RSA signature does not verify");
    if (!r)
    {
        *error = r.error;
        return false;
    }
    if (r.bytes != data)
    {
        *error = "RSA signature is over other data";
        return false;
    }
    return true;
}

RsaResult
RsaEncryptPkcs1(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& data, ByteSource& rng)
{
    PkeyPtr k = ReadPublic(spki);
    if (!k)
    {
        return Failed("not an RSA public key (SubjectPublicKeyInfo DER)");
    }
    const size_t modulus = static_cast<size_t>(EVP_PKEY_get_size(k.get()));
    if (data.size() + 11 > modulus)
    {
        return Failed(std::to_string(data.size()) + " bytes do not fit a " +
                      std::to_string(modulus * 8) + "-bit RSA key");
    }
    // RFC 8017 7.2.1: EM = 0x00 || 0x02 || PS || 0x00 || M, PS non-zero pseudo-random octets.
    std::vector<uint8_t> em{0x00, 0x02};
    const size_t psLen = modulus - data.size() - 3;
    while (em.size() < 2 + psLen)
    {
        uint8_t b = 0;
        rng.Fill(&b, 1);
        if (b != 0)
        {
            em.push_back(b);
        }
    }
    em.push_back(0x00);
    em.insert(em.end(), data.begin(), data.end());
    return Apply(k.get(), EVP_PKEY_encrypt_init, EVP_PKEY_encrypt, RSA_NO_PADDING, em,
                 "RSA encryption failed");
}

RsaResult
RsaDecryptPkcs1(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& data)
{
    PkeyPtr k = ReadPrivate(pkcs8);
    if (!k)
    {
        return Failed("not an RSA private key (PKCS#8 DER)");
    }
    if (data.size() != static_cast<size_t>(EVP_PKEY_get_size(k.get())))
    {
        return Failed(std::to_string(data.size()) + " bytes of ciphertext for a " +
                      std::to_string(EVP_PKEY_get_bits(k.get())) + "-bit key");
    }
    RsaResult r = Apply(k.get(), EVP_PKEY_decrypt_init, EVP_PKEY_decrypt, RSA_NO_PADDING, data,
                        "RSA decryption failed");
    if (!r)
    {
        return r;
    }
    // Leading zero octets may be dropped by the raw operation: put them back.
    r.bytes.insert(r.bytes.begin(), data.size() - r.bytes.size(), 0);
    size_t sep = 2;
    while (sep < r.bytes.size() && r.bytes[sep] != 0)
    {
        ++sep;
    }
    if (r.bytes[0] != 0 || r.bytes[1] != 2 || sep < 10 || sep == r.bytes.size())
    {
        RsaResult bad;
        bad.error = "RSA decryption: not PKCS#1 v1.5 encryption padding (wrong key?)";
        return bad;
    }
    r.bytes.erase(r.bytes.begin(), r.bytes.begin() + sep + 1);
    return r;
}

} // namespace ipsec
} // namespace ns3
