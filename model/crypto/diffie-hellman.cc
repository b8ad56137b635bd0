// Oakley MODP Diffie-Hellman groups 1, 2, 5 and 14 over OpenSSL BIGNUM.
#include "ns3/diffie-hellman.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace ipsec
{

namespace
{

struct BnDeleter
{
    void operator()(BIGNUM* b) const
    {
        BN_clear_free(b);
    }
};

struct BnCtxDeleter
{
    void operator()(BN_CTX* c) const
    {
        BN_CTX_free(c);
    }
};

using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxDeleter>;

[[noreturn]] void
ThrowBn(const std::string& what)
{
    std::string msg = what;
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
    {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof(buf));
        msg += (msg == what ? ": " : "; ");
        msg += buf;
    }
    throw std::runtime_error(msg);
}

void
CheckGroup(int group, const char* where)
{
    if (!IsSupportedDhGroup(group))
    {
        throw std::invalid_argument(std::string(where) + ": unsupported DH group " +
                                    std::to_string(group) + " (supported: 1, 2, 5, 14)");
    }
}

/** The group's prime as shipped by OpenSSL (RFC 2409 section 6 / RFC 3526). */
BnPtr
GroupPrime(int group)
{
    BIGNUM* p = nullptr;
    switch (group)
    {
    case 1:
        p = BN_get_rfc2409_prime_768(nullptr);
        break;
    case 2:
        p = BN_get_rfc2409_prime_1024(nullptr);
        break;
    case 5:
        p = BN_get_rfc3526_prime_1536(nullptr);
        break;
    case 14:
        p = BN_get_rfc3526_prime_2048(nullptr);
        break;
    default:
        CheckGroup(group, "DH");
    }
    if (p == nullptr)
    {
        ThrowBn("DH group " + std::to_string(group) + ": cannot load prime");
    }
    return BnPtr(p);
}

} // namespace

bool
IsSupportedDhGroup(int group)
{
    return group == 1 || group == 2 || group == 5 || group == 14;
}

size_t
DhPrimeBytes(int group)
{
    switch (group)
    {
    case 1:
        return 96;
    case 2:
        return 128;
    case 5:
        return 192;
    case 14:
        return 256;
    default:
        CheckGroup(group, "DhPrimeBytes");
    }
    return 0; // unreachable
}

size_t
DhPrivateExponentBytes(int group)
{
    switch (group)
    {
    case 1:
    case 2:
        return 20; // 160 bits: the floor (2 x 80-bit strength for the 1024-bit group)
    case 5:
        return 30; // 240 bits: RFC 3526 section 8, "Strength Estimate 2" exponent size
    case 14:
        return 40; // 320 bits: RFC 3526 section 8, "Strength Estimate 2" exponent size
    default:
        CheckGroup(group, "DhPrivateExponentBytes");
    }
    return 0; // unreachable
}

std::vector<uint8_t>
DhPrime(int group)
{
    CheckGroup(group, "DhPrime");
    BnPtr p = GroupPrime(group);
    std::vector<uint8_t> out(DhPrimeBytes(group));
    if (BN_bn2binpad(p.get(), out.data(), static_cast<int>(out.size())) !=
        static_cast<int>(out.size()))
    {
        ThrowBn("DhPrime: encoding failed");
    }
    return out;
}

struct DhKeyPair::Impl
{
    int group = 0;
    size_t primeBytes = 0;
    BnPtr p;
    BnPtr x;
    std::vector<uint8_t> publicValue;
};

DhKeyPair::DhKeyPair(int group, ByteSource& rng) : m_impl(std::make_unique<Impl>())
{
    CheckGroup(group, "DhKeyPair");
    Impl& d = *m_impl;
    d.group = group;
    d.primeBytes = DhPrimeBytes(group);
    d.p = GroupPrime(group);

    // Private exponent: DhPrivateExponentBytes(group) bytes from the source, big-endian, with the
    // top bit forced to 1 so x has exactly that many bits (hence 1 < x < q = (p-1)/2).
    std::vector<uint8_t> xb = rng.Bytes(DhPrivateExponentBytes(group));
    xb[0] |= 0x80;
    d.x.reset(BN_bin2bn(xb.data(), static_cast<int>(xb.size()), nullptr));
    OPENSSL_cleanse(xb.data(), xb.size());
    BnCtxPtr ctx(BN_CTX_new());
    BnPtr g(BN_new());
    BnPtr y(BN_new());
    if (!d.x || !ctx || !g || !y || BN_set_word(g.get(), 2) != 1)
    {
        ThrowBn("DhKeyPair: allocation failed");
    }
    BN_set_flags(d.x.get(), BN_FLG_CONSTTIME);
    if (BN_mod_exp_mont_consttime(y.get(), g.get(), d.x.get(), d.p.get(), ctx.get(), nullptr) != 1)
    {
        ThrowBn("DhKeyPair: g^x mod p failed");
    }
    d.publicValue.assign(d.primeBytes, 0);
    if (BN_bn2binpad(y.get(), d.publicValue.data(), static_cast<int>(d.primeBytes)) !=
        static_cast<int>(d.primeBytes))
    {
        ThrowBn("DhKeyPair: encoding g^x failed");
    }
}

DhKeyPair::~DhKeyPair() = default;

int
DhKeyPair::Group() const
{
    return m_impl->group;
}

const std::vector<uint8_t>&
DhKeyPair::PublicValue() const
{
    return m_impl->publicValue;
}

std::vector<uint8_t>
DhKeyPair::ComputeShared(const std::vector<uint8_t>& peerPublic) const
{
    const Impl& d = *m_impl;
    if (peerPublic.size() != d.primeBytes)
    {
        throw std::invalid_argument("DhKeyPair::ComputeShared: group " + std::to_string(d.group) +
                                    " peer public value must be " + std::to_string(d.primeBytes) +
                                    " bytes, got " + std::to_string(peerPublic.size()));
    }
    BnPtr y(BN_bin2bn(peerPublic.data(), static_cast<int>(peerPublic.size()), nullptr));
    BnPtr pMinus1(BN_dup(d.p.get()));
    BnPtr z(BN_new());
    BnCtxPtr ctx(BN_CTX_new());
    if (!y || !pMinus1 || !z || !ctx || BN_sub_word(pMinus1.get(), 1) != 1)
    {
        ThrowBn("DhKeyPair::ComputeShared: allocation failed");
    }
    // 1 < y < p-1 (rejects 0, 1, p-1 and anything >= p: the trivial subgroups and non-residues
    // of the field).
    if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), pMinus1.get()) >= 0)
    {
        throw std::invalid_argument("DhKeyPair::ComputeShared: group " + std::to_string(d.group) +
                                    " peer public value is outside [2, p-2]");
    }
    if (BN_mod_exp_mont_consttime(z.get(), y.get(), d.x.get(), d.p.get(), ctx.get(), nullptr) != 1)
    {
        ThrowBn("DhKeyPair::ComputeShared: y^x mod p failed");
    }
    if (BN_is_one(z.get()))
    {
        throw std::invalid_argument("DhKeyPair::ComputeShared: shared secret is 1 "
                                    "(peer public value of small order)");
    }
    std::vector<uint8_t> out(d.primeBytes, 0);
    if (BN_bn2binpad(z.get(), out.data(), static_cast<int>(d.primeBytes)) !=
        static_cast<int>(d.primeBytes))
    {
        ThrowBn("DhKeyPair::ComputeShared: encoding g^xy failed");
    }
    return out;
}

} // namespace ipsec
} // namespace ns3
