// Diffie-Hellman groups 1, 2, 5, 14, 15, 16 and 24 (MODP, OpenSSL BIGNUM) and 19, 20, 21 (ECP,
// OpenSSL EC_GROUP / EC_POINT).
#include "ns3/diffie-hellman.h"
#include "ns3/openssl-error.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <map>
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

struct EcGroupDeleter
{
    void operator()(EC_GROUP* g) const
    {
        EC_GROUP_free(g);
    }
};

struct EcPointDeleter
{
    void operator()(EC_POINT* p) const
    {
        EC_POINT_clear_free(p);
    }
};

using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxDeleter>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, EcGroupDeleter>;
using EcPointPtr = std::unique_ptr<EC_POINT, EcPointDeleter>;

/** What sets one group apart from the others. */
struct GroupSpec
{
    int group;
    DhGroupType type;
    size_t primeBytes;
    size_t privateBytes; //!< DhPrivateExponentBytes
    int curveNid;        //!< ECP: OpenSSL's curve; MODP: 0
    const char* text;
};

// Private value sizes: see DhPrivateExponentBytes in the header.
const GroupSpec kGroups[] = {
    {1, DhGroupType::MODP, 96, 20, 0, "MODP 768-bit"},
    {2, DhGroupType::MODP, 128, 20, 0, "MODP 1024-bit"},
    {5, DhGroupType::MODP, 192, 30, 0, "MODP 1536-bit"},
    {14, DhGroupType::MODP, 256, 40, 0, "MODP 2048-bit"},
    {15, DhGroupType::MODP, 384, 53, 0, "MODP 3072-bit"},
    {16, DhGroupType::MODP, 512, 60, 0, "MODP 4096-bit"},
    {19, DhGroupType::ECP, 32, 32, NID_X9_62_prime256v1, "ECP 256-bit (P-256)"},
    {20, DhGroupType::ECP, 48, 48, NID_secp384r1, "ECP 384-bit (P-384)"},
    {21, DhGroupType::ECP, 66, 66, NID_secp521r1, "ECP 521-bit (P-521)"},
    {24, DhGroupType::MODP, 256, 32, 0, "MODP 2048-bit with 256-bit prime order subgroup"},
};

const GroupSpec&
Spec(int group, const char* where)
{
    for (const GroupSpec& s : kGroups)
    {
        if (s.group == group)
        {
            return s;
        }
    }
    throw std::invalid_argument(std::string(where) + ": unsupported DH group " +
                                std::to_string(group) +
                                " (supported: 1, 2, 5, 14, 15, 16, 19, 20, 21, 24)");
}

/** Extra bytes drawn for a private value reduced modulo a group order (FIPS 186-4 B.4.1). */
constexpr size_t kExtraPrivateBytes = 8;

std::vector<uint8_t>
Encode(const BIGNUM* v, size_t len, const char* what)
{
    std::vector<uint8_t> out(len, 0);
    if (BN_bn2binpad(v, out.data(), static_cast<int>(len)) != static_cast<int>(len))
    {
        ThrowOpenSsl(std::string(what) + ": encoding failed");
    }
    return out;
}

BnPtr
Decode(const uint8_t* data, size_t len)
{
    BnPtr v(BN_bin2bn(data, static_cast<int>(len), nullptr));
    if (!v)
    {
        ThrowOpenSsl("DH: cannot decode a number");
    }
    return v;
}

BnPtr
Dup(const BIGNUM* v)
{
    BnPtr d(BN_dup(v));
    if (!d)
    {
        ThrowOpenSsl("DH: allocation failed");
    }
    return d;
}

// ------------------------------------------------------------------------------------ MODP

/** A MODP group's numbers; q is null for the safe-prime groups (there q = (p-1)/2). */
struct ModpParams
{
    BnPtr p;
    BnPtr g;
    BnPtr q;
};

/** RFC 5114 2.3 (group 24) as OpenSSL ships it: the named FFC group "dh_2048_256". */
ModpParams
LoadRfc5114Group24()
{
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr), EVP_PKEY_CTX_free);
    char name[] = "dh_2048_256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, name, 0),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_paramgen_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_params(ctx.get(), params) != 1 || EVP_PKEY_paramgen(ctx.get(), &raw) != 1)
    {
        ThrowOpenSsl("DH group 24: cannot load the RFC 5114 2048/256 parameters");
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(raw, EVP_PKEY_free);
    BIGNUM* p = nullptr;
    BIGNUM* g = nullptr;
    BIGNUM* q = nullptr;
    const bool ok = EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_FFC_P, &p) == 1 &&
                    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_FFC_G, &g) == 1 &&
                    EVP_PKEY_get_bn_param(pkey.get(), OSSL_PKEY_PARAM_FFC_Q, &q) == 1;
    ModpParams m{BnPtr(p), BnPtr(g), BnPtr(q)};
    if (!ok)
    {
        ThrowOpenSsl("DH group 24: cannot read p, g, q");
    }
    return m;
}

/** The RFC 2409 / RFC 3526 safe prime of @p group, with generator 2. */
ModpParams
LoadSafePrimeGroup(int group)
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
    case 15:
        p = BN_get_rfc3526_prime_3072(nullptr);
        break;
    case 16:
        p = BN_get_rfc3526_prime_4096(nullptr);
        break;
    }
    ModpParams m{BnPtr(p), BnPtr(BN_new()), nullptr};
    if (!m.p || !m.g || BN_set_word(m.g.get(), 2) != 1)
    {
        ThrowOpenSsl("DH group " + std::to_string(group) + ": cannot load the prime");
    }
    return m;
}

/** The numbers of MODP group @p group, loaded once. */
const ModpParams&
Modp(int group)
{
    static const std::map<int, ModpParams> all = []
    {
        std::map<int, ModpParams> m;
        for (const GroupSpec& s : kGroups)
        {
            if (s.type == DhGroupType::MODP)
            {
                m[s.group] = s.group == 24 ? LoadRfc5114Group24() : LoadSafePrimeGroup(s.group);
            }
        }
        return m;
    }();
    return all.at(group);
}

EcGroupPtr
Curve(const GroupSpec& s)
{
    EcGroupPtr g(EC_GROUP_new_by_curve_name(s.curveNid));
    if (!g)
    {
        ThrowOpenSsl("DH group " + std::to_string(s.group) + ": cannot load the curve");
    }
    return g;
}

/**
 * A private value in [1, q-1] from @p rng: c mod (q-1) + 1 with c of DhPrivateExponentBytes + 8
 * bytes (FIPS 186-4 B.4.1).
 */
BnPtr
PrivateInSubgroup(const GroupSpec& s, const BIGNUM* q, ByteSource& rng, BN_CTX* ctx)
{
    std::vector<uint8_t> cb = rng.Bytes(s.privateBytes + kExtraPrivateBytes);
    BnPtr c = Decode(cb.data(), cb.size());
    OPENSSL_cleanse(cb.data(), cb.size());
    BnPtr qMinus1 = Dup(q);
    BnPtr x(BN_new());
    if (!x || BN_sub_word(qMinus1.get(), 1) != 1 ||
        BN_mod(x.get(), c.get(), qMinus1.get(), ctx) != 1 || BN_add_word(x.get(), 1) != 1)
    {
        ThrowOpenSsl("DhKeyPair: private value reduction failed");
    }
    return x;
}

/** A safe-prime group's exponent: privateBytes bytes, top bit set. */
BnPtr
PrivateExponent(const GroupSpec& s, ByteSource& rng)
{
    std::vector<uint8_t> xb = rng.Bytes(s.privateBytes);
    xb[0] |= 0x80;
    BnPtr x = Decode(xb.data(), xb.size());
    OPENSSL_cleanse(xb.data(), xb.size());
    return x;
}

/** ECP point (x, y) from x || y; nullptr-free. @throws std::invalid_argument if invalid. */
EcPointPtr
PeerPoint(const EC_GROUP* curve, const std::vector<uint8_t>& v, size_t n, int group, BN_CTX* ctx)
{
    BnPtr x = Decode(v.data(), n);
    BnPtr y = Decode(v.data() + n, n);
    BnPtr p(BN_new());
    EcPointPtr pt(EC_POINT_new(curve));
    if (!p || !pt || EC_GROUP_get_curve(curve, p.get(), nullptr, nullptr, ctx) != 1)
    {
        ThrowOpenSsl("DhKeyPair::ComputeShared: allocation failed");
    }
    const std::string where = "DhKeyPair::ComputeShared: group " + std::to_string(group);
    if (BN_cmp(x.get(), p.get()) >= 0 || BN_cmp(y.get(), p.get()) >= 0)
    {
        throw std::invalid_argument(where + " peer public value has a coordinate not below p");
    }
    // Setting the coordinates fails (OpenSSL 3) for a point not on the curve; checked again
    // explicitly, so the rule does not hang on that detail.
    if (EC_POINT_set_affine_coordinates(curve, pt.get(), x.get(), y.get(), ctx) != 1 ||
        EC_POINT_is_on_curve(curve, pt.get(), ctx) != 1)
    {
        ERR_clear_error();
        throw std::invalid_argument(where + " peer public value is not a point of the curve");
    }
    return pt;
}

} // namespace

bool
IsSupportedDhGroup(int group)
{
    for (const GroupSpec& s : kGroups)
    {
        if (s.group == group)
        {
            return true;
        }
    }
    return false;
}

const std::vector<int>&
SupportedDhGroups()
{
    static const std::vector<int> groups = []
    {
        std::vector<int> g;
        for (const GroupSpec& s : kGroups)
        {
            g.push_back(s.group);
        }
        return g;
    }();
    return groups;
}

DhGroupType
DhGroupTypeOf(int group)
{
    return Spec(group, "DhGroupTypeOf").type;
}

std::string
DhGroupText(int group)
{
    return Spec(group, "DhGroupText").text;
}

size_t
DhPrimeBytes(int group)
{
    return Spec(group, "DhPrimeBytes").primeBytes;
}

size_t
DhPublicValueBytes(int group)
{
    const GroupSpec& s = Spec(group, "DhPublicValueBytes");
    return s.type == DhGroupType::ECP ? 2 * s.primeBytes : s.primeBytes;
}

size_t
DhSharedSecretBytes(int group)
{
    return Spec(group, "DhSharedSecretBytes").primeBytes;
}

size_t
DhPrivateExponentBytes(int group)
{
    return Spec(group, "DhPrivateExponentBytes").privateBytes;
}

std::vector<uint8_t>
DhPrime(int group)
{
    const GroupSpec& s = Spec(group, "DhPrime");
    if (s.type == DhGroupType::MODP)
    {
        return Encode(Modp(group).p.get(), s.primeBytes, "DhPrime");
    }
    EcGroupPtr curve = Curve(s);
    BnPtr p(BN_new());
    if (!p || EC_GROUP_get_curve(curve.get(), p.get(), nullptr, nullptr, nullptr) != 1)
    {
        ThrowOpenSsl("DhPrime: cannot read the field prime");
    }
    return Encode(p.get(), s.primeBytes, "DhPrime");
}

std::vector<uint8_t>
DhGenerator(int group)
{
    const GroupSpec& s = Spec(group, "DhGenerator");
    if (s.type != DhGroupType::MODP)
    {
        throw std::invalid_argument("DhGenerator: group " + std::to_string(group) +
                                    " is an ECP group");
    }
    return Encode(Modp(group).g.get(), s.primeBytes, "DhGenerator");
}

// ------------------------------------------------------------------------------- key pair

struct DhKeyPair::Impl
{
    const GroupSpec* spec = nullptr;
    BnPtr x;          //!< the private value (exponent or scalar)
    EcGroupPtr curve; //!< ECP only
    std::vector<uint8_t> publicValue;

    void MakeModp(ByteSource& rng, BN_CTX* ctx);
    void MakeEcp(ByteSource& rng, BN_CTX* ctx);
    std::vector<uint8_t> SharedModp(const std::vector<uint8_t>& peer, BN_CTX* ctx) const;
    std::vector<uint8_t> SharedEcp(const std::vector<uint8_t>& peer, BN_CTX* ctx) const;
};

void
DhKeyPair::Impl::MakeModp(ByteSource& rng, BN_CTX* ctx)
{
    const ModpParams& m = Modp(spec->group);
    x = m.q ? PrivateInSubgroup(*spec, m.q.get(), rng, ctx) : PrivateExponent(*spec, rng);
    BN_set_flags(x.get(), BN_FLG_CONSTTIME);
    BnPtr y(BN_new());
    if (!y || BN_mod_exp_mont_consttime(y.get(), m.g.get(), x.get(), m.p.get(), ctx, nullptr) != 1)
    {
        ThrowOpenSsl("DhKeyPair: g^x mod p failed");
    }
    publicValue = Encode(y.get(), spec->primeBytes, "DhKeyPair: g^x");
}

void
DhKeyPair::Impl::MakeEcp(ByteSource& rng, BN_CTX* ctx)
{
    curve = Curve(*spec);
    const BIGNUM* order = EC_GROUP_get0_order(curve.get());
    x = PrivateInSubgroup(*spec, order, rng, ctx);
    BN_set_flags(x.get(), BN_FLG_CONSTTIME);
    EcPointPtr q(EC_POINT_new(curve.get()));
    BnPtr qx(BN_new());
    BnPtr qy(BN_new());
    if (!q || !qx || !qy ||
        EC_POINT_mul(curve.get(), q.get(), x.get(), nullptr, nullptr, ctx) != 1 ||
        EC_POINT_get_affine_coordinates(curve.get(), q.get(), qx.get(), qy.get(), ctx) != 1)
    {
        ThrowOpenSsl("DhKeyPair: d * G failed");
    }
    publicValue = Encode(qx.get(), spec->primeBytes, "DhKeyPair: x");
    const std::vector<uint8_t> yb = Encode(qy.get(), spec->primeBytes, "DhKeyPair: y");
    publicValue.insert(publicValue.end(), yb.begin(), yb.end());
}

std::vector<uint8_t>
DhKeyPair::Impl::SharedModp(const std::vector<uint8_t>& peer, BN_CTX* ctx) const
{
    const ModpParams& m = Modp(spec->group);
    const std::string where = "DhKeyPair::ComputeShared: group " + std::to_string(spec->group);
    BnPtr y = Decode(peer.data(), peer.size());
    BnPtr pMinus1 = Dup(m.p.get());
    BnPtr z(BN_new());
    if (!z || BN_sub_word(pMinus1.get(), 1) != 1)
    {
        ThrowOpenSsl(where + ": allocation failed");
    }
    // 1 < y < p-1 (rejects 0, 1, p-1 and anything >= p: the trivial subgroups and non-residues
    // of the field).
    if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), pMinus1.get()) >= 0)
    {
        throw std::invalid_argument(where + " peer public value is outside [2, p-2]");
    }
    // Group 24's p-1 has small factors besides q: y must lie in the order-q subgroup (y^q = 1,
    // RFC 6989 2.2), or a peer could learn x modulo those factors.
    if (m.q)
    {
        if (BN_mod_exp_mont(z.get(), y.get(), m.q.get(), m.p.get(), ctx, nullptr) != 1)
        {
            ThrowOpenSsl(where + ": y^q mod p failed");
        }
        if (!BN_is_one(z.get()))
        {
            throw std::invalid_argument(where + " peer public value is not in the order-q "
                                                "subgroup (y^q mod p != 1)");
        }
    }
    if (BN_mod_exp_mont_consttime(z.get(), y.get(), x.get(), m.p.get(), ctx, nullptr) != 1)
    {
        ThrowOpenSsl(where + ": y^x mod p failed");
    }
    if (BN_is_one(z.get()))
    {
        throw std::invalid_argument(where + ": shared secret is 1 (peer public value of small "
                                            "order)");
    }
    return Encode(z.get(), spec->primeBytes, "DhKeyPair::ComputeShared");
}

std::vector<uint8_t>
DhKeyPair::Impl::SharedEcp(const std::vector<uint8_t>& peer, BN_CTX* ctx) const
{
    EcPointPtr q = PeerPoint(curve.get(), peer, spec->primeBytes, spec->group, ctx);
    EcPointPtr z(EC_POINT_new(curve.get()));
    BnPtr zx(BN_new());
    if (!z || !zx || EC_POINT_mul(curve.get(), z.get(), nullptr, q.get(), x.get(), ctx) != 1)
    {
        ThrowOpenSsl("DhKeyPair::ComputeShared: d * Q failed");
    }
    if (EC_POINT_is_at_infinity(curve.get(), z.get()) == 1)
    {
        throw std::invalid_argument("DhKeyPair::ComputeShared: group " +
                                    std::to_string(spec->group) +
                                    ": shared point is the point at infinity");
    }
    if (EC_POINT_get_affine_coordinates(curve.get(), z.get(), zx.get(), nullptr, ctx) != 1)
    {
        ThrowOpenSsl("DhKeyPair::ComputeShared: reading x failed");
    }
    // RFC 5903 7 (as corrected by its errata and section 9): the x coordinate only.
    return Encode(zx.get(), spec->primeBytes, "DhKeyPair::ComputeShared");
}

DhKeyPair::DhKeyPair(int group, ByteSource& rng) : m_impl(std::make_unique<Impl>())
{
    m_impl->spec = &Spec(group, "DhKeyPair");
    BnCtxPtr ctx(BN_CTX_new());
    if (!ctx)
    {
        ThrowOpenSsl("DhKeyPair: allocation failed");
    }
    if (m_impl->spec->type == DhGroupType::ECP)
    {
        m_impl->MakeEcp(rng, ctx.get());
    }
    else
    {
        m_impl->MakeModp(rng, ctx.get());
    }
}

DhKeyPair::~DhKeyPair() = default;

int
DhKeyPair::Group() const
{
    return m_impl->spec->group;
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
    const size_t want = DhPublicValueBytes(d.spec->group);
    if (peerPublic.size() != want)
    {
        throw std::invalid_argument("DhKeyPair::ComputeShared: group " +
                                    std::to_string(d.spec->group) + " peer public value must be " +
                                    std::to_string(want) + " bytes, got " +
                                    std::to_string(peerPublic.size()));
    }
    BnCtxPtr ctx(BN_CTX_new());
    if (!ctx)
    {
        ThrowOpenSsl("DhKeyPair::ComputeShared: allocation failed");
    }
    return d.spec->type == DhGroupType::ECP ? d.SharedEcp(peerPublic, ctx.get())
                                            : d.SharedModp(peerPublic, ctx.get());
}

} // namespace ipsec
} // namespace ns3
