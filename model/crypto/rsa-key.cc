#include "ns3/rsa-key.h"

#include "ns3/openssl-error.h"
#include "openssl-ptr.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace ns3
{
namespace ipsec
{

namespace
{
using BnPtr = OpensslPtr<BIGNUM, BN_clear_free>;
using BnCtxPtr = OpensslPtr<BN_CTX, BN_CTX_free>;
using ParamBldPtr = OpensslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using ParamPtr = OpensslPtr<OSSL_PARAM, OSSL_PARAM_free>;

constexpr unsigned long kPublicExponent = 65537;

BnPtr
NewBn()
{
    BnPtr b(BN_new());
    if (!b)
    {
        ThrowOpenSsl("BN_new");
    }
    return b;
}

/** A prime of @p bits bits with the top two bits set, p - 1 coprime with e, from @p src. */
BnPtr
DrawPrime(ByteSource& src, int bits, BN_CTX* ctx)
{
    std::vector<uint8_t> bytes = src.Bytes(static_cast<size_t>((bits + 7) / 8));
    BnPtr p(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
    // Keep exactly `bits` bits, the top two set (so the product of two has 2 * bits bits), odd.
    for (int i = static_cast<int>(bytes.size()) * 8 - 1; i >= bits; --i)
    {
        BN_clear_bit(p.get(), i);
    }
    BN_set_bit(p.get(), bits - 1);
    BN_set_bit(p.get(), bits - 2);
    BN_set_bit(p.get(), 0);
    BnPtr pMinus1 = NewBn();
    BnPtr gcd = NewBn();
    BnPtr e = NewBn();
    BN_set_word(e.get(), kPublicExponent);
    for (;;)
    {
        if (BN_num_bits(p.get()) > bits) // ran past the top: start again lower (never in practice)
        {
            BN_clear_bit(p.get(), bits);
            BN_set_bit(p.get(), bits - 1);
            BN_set_bit(p.get(), bits - 2);
        }
        const int prime = BN_check_prime(p.get(), ctx, nullptr);
        if (prime < 0)
        {
            ThrowOpenSsl("BN_check_prime");
        }
        if (prime == 1)
        {
            BN_copy(pMinus1.get(), p.get());
            BN_sub_word(pMinus1.get(), 1);
            BN_gcd(gcd.get(), pMinus1.get(), e.get(), ctx);
            if (BN_is_one(gcd.get()))
            {
                return p;
            }
        }
        BN_add_word(p.get(), 2);
    }
}

std::vector<uint8_t>
PrivateDer(EVP_PKEY* key)
{
    OpensslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> info(EVP_PKEY2PKCS8(key));
    if (!info)
    {
        ThrowOpenSsl("EVP_PKEY2PKCS8");
    }
    unsigned char* out = nullptr;
    const int len = i2d_PKCS8_PRIV_KEY_INFO(info.get(), &out);
    if (len <= 0)
    {
        ThrowOpenSsl("i2d_PKCS8_PRIV_KEY_INFO");
    }
    std::vector<uint8_t> der(out, out + len);
    OPENSSL_clear_free(out, static_cast<size_t>(len));
    return der;
}

std::vector<uint8_t>
PublicDer(EVP_PKEY* key)
{
    unsigned char* out = nullptr;
    const int len = i2d_PUBKEY(key, &out);
    if (len <= 0)
    {
        ThrowOpenSsl("i2d_PUBKEY");
    }
    std::vector<uint8_t> der(out, out + len);
    OPENSSL_free(out);
    return der;
}

/** The key from its numbers: n, e, d and the CRT values, as EVP_PKEY_fromdata takes them. */
PkeyPtr
AssembleKey(const BIGNUM* p, const BIGNUM* q, BN_CTX* ctx)
{
    BnPtr n = NewBn(), e = NewBn(), d = NewBn(), p1 = NewBn(), q1 = NewBn(), lcm = NewBn(),
          gcd = NewBn(), dp = NewBn(), dq = NewBn(), qinv = NewBn();
    BN_set_word(e.get(), kPublicExponent);
    bool ok = BN_mul(n.get(), p, q, ctx) && BN_sub(p1.get(), p, BN_value_one()) &&
              BN_sub(q1.get(), q, BN_value_one()) && BN_gcd(gcd.get(), p1.get(), q1.get(), ctx) &&
              BN_mul(lcm.get(), p1.get(), q1.get(), ctx) &&
              BN_div(lcm.get(), nullptr, lcm.get(), gcd.get(), ctx) &&
              // d = e^-1 mod lcm(p - 1, q - 1) (RFC 8017 3.2, FIPS 186-4 B.3.1)
              BN_mod_inverse(d.get(), e.get(), lcm.get(), ctx) &&
              BN_mod(dp.get(), d.get(), p1.get(), ctx) &&
              BN_mod(dq.get(), d.get(), q1.get(), ctx) && BN_mod_inverse(qinv.get(), q, p, ctx);
    if (!ok)
    {
        ThrowOpenSsl("RSA key arithmetic");
    }
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    ok = bld && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()) &&
         OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get());
    if (!ok)
    {
        ThrowOpenSsl("OSSL_PARAM_BLD");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !pctx || EVP_PKEY_fromdata_init(pctx.get()) <= 0 ||
        EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) <= 0)
    {
        ThrowOpenSsl("EVP_PKEY_fromdata (RSA)");
    }
    return PkeyPtr(raw);
}
} // namespace

bool
IsValidRsaModulus(int bits)
{
    return bits >= 360 && bits <= 4096 && bits % 2 == 0;
}

RsaKeyPair
GenerateRsaKey(ByteSource& src, int bits)
{
    if (!IsValidRsaModulus(bits))
    {
        throw std::invalid_argument("RSA modulus " + std::to_string(bits) +
                                    " bits: expected an even size from 360 to 4096");
    }
    BnCtxPtr ctx(BN_CTX_new());
    BnPtr p = DrawPrime(src, bits / 2, ctx.get());
    BnPtr q = DrawPrime(src, bits / 2, ctx.get());
    while (BN_cmp(p.get(), q.get()) == 0)
    {
        q = DrawPrime(src, bits / 2, ctx.get());
    }
    PkeyPtr key = AssembleKey(p.get(), q.get(), ctx.get());
    return RsaKeyPair{PrivateDer(key.get()), PublicDer(key.get()), EVP_PKEY_get_bits(key.get())};
}

RsaKeyPair
RsaKeyFromPrivate(const std::vector<uint8_t>& pkcs8)
{
    PkeyPtr key = DecodeDer<PkeyPtr>(pkcs8, d2i_AutoPrivateKey);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
    {
        throw std::invalid_argument("not an RSA private key");
    }
    return RsaKeyPair{PrivateDer(key.get()), PublicDer(key.get()), EVP_PKEY_get_bits(key.get())};
}

std::string
ToPem(const std::vector<uint8_t>& der, const std::string& label)
{
    OpensslPtr<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio(bio.get(), label.c_str(), "", der.data(), static_cast<long>(der.size())) <= 0)
    {
        ThrowOpenSsl("PEM_write_bio");
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
}

std::vector<uint8_t>
FromPem(const std::string& pem, const std::string& label)
{
    OpensslPtr<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    for (;;)
    {
        char* name = nullptr;
        char* header = nullptr;
        unsigned char* data = nullptr;
        long len = 0;
        if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &len) <= 0)
        {
            OpenSslErrors();
            throw std::invalid_argument("no PEM block labelled " + label);
        }
        const bool match = label == name;
        std::vector<uint8_t> der(data, data + len);
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_clear_free(data, static_cast<size_t>(len));
        if (match)
        {
            return der;
        }
    }
}

} // namespace ipsec
} // namespace ns3
