// IKEv1 (RFC 2409) PRF and key derivation.
#include "ns3/ike-prf.h"

#include "ns3/cipher.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <string>

namespace ns3
{
namespace ipsec
{

namespace
{

const char*
DigestName(IkeHash h)
{
    switch (h)
    {
    case IkeHash::MD5:
        return "MD5";
    case IkeHash::SHA1:
        return "SHA1";
    case IkeHash::SHA256:
        return "SHA256";
    case IkeHash::SHA384:
        return "SHA384";
    case IkeHash::SHA512:
        return "SHA512";
    }
    throw std::invalid_argument("IKE: unsupported hash algorithm value " +
                                std::to_string(static_cast<int>(h)));
}

void
Append(Bytes& out, const Bytes& part)
{
    out.insert(out.end(), part.begin(), part.end());
}

void
CheckCookie(const Bytes& cky, const char* which)
{
    if (cky.size() != 8)
    {
        throw std::invalid_argument(std::string("DeriveSkeyids: ") + which +
                                    " must be 8 bytes, got " + std::to_string(cky.size()));
    }
}

} // namespace

size_t
IkeHashLength(IkeHash h)
{
    switch (h)
    {
    case IkeHash::MD5:
        return 16;
    case IkeHash::SHA1:
        return 20;
    case IkeHash::SHA256:
        return 32;
    case IkeHash::SHA384:
        return 48;
    case IkeHash::SHA512:
        return 64;
    }
    throw std::invalid_argument("IkeHashLength: unsupported hash algorithm value " +
                                std::to_string(static_cast<int>(h)));
}

Bytes
IkeHashOf(IkeHash h, const Bytes& data)
{
    EnsureProvidersLoaded();
    const char* name = DigestName(h);
    EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    const bool ok =
        md != nullptr && EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) == 1;
    EVP_MD_free(md);
    if (!ok)
    {
        ERR_clear_error();
        throw std::runtime_error(std::string("IkeHashOf: ") + name + " failed");
    }
    out.resize(len);
    return out;
}

Bytes
IkePrf(IkeHash h, const Bytes& key, const Bytes& data)
{
    return Hmac(DigestName(h), key, data.data(), data.size());
}

Bytes
SkeyidPsk(IkeHash h, const Bytes& psk, const Bytes& ni, const Bytes& nr)
{
    Bytes msg;
    msg.reserve(ni.size() + nr.size());
    Append(msg, ni);
    Append(msg, nr);
    return IkePrf(h, psk, msg);
}

Bytes
SkeyidSig(IkeHash h, const Bytes& ni, const Bytes& nr, const Bytes& gxy)
{
    Bytes key;
    key.reserve(ni.size() + nr.size());
    Append(key, ni);
    Append(key, nr);
    return IkePrf(h, key, gxy);
}

IkeSkeyids
DeriveSkeyids(IkeHash h, const Bytes& skeyid, const Bytes& gxy, const Bytes& ckyI,
              const Bytes& ckyR)
{
    CheckCookie(ckyI, "CKY-I");
    CheckCookie(ckyR, "CKY-R");
    // tail = g^xy | CKY-I | CKY-R, followed by the one-octet constant 0, 1 or 2.
    Bytes tail;
    tail.reserve(gxy.size() + 16 + 1);
    Append(tail, gxy);
    Append(tail, ckyI);
    Append(tail, ckyR);

    IkeSkeyids out;
    Bytes msg = tail;
    msg.push_back(0);
    out.d = IkePrf(h, skeyid, msg); // SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0)

    msg = out.d;
    Append(msg, tail);
    msg.push_back(1);
    out.a = IkePrf(h, skeyid, msg); // SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1)

    msg = out.a;
    Append(msg, tail);
    msg.push_back(2);
    out.e = IkePrf(h, skeyid, msg); // SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2)
    return out;
}

Bytes
IkeEncryptionKey(IkeHash h, const Bytes& skeyidE, size_t keyLen)
{
    if (skeyidE.size() >= keyLen)
    {
        return Bytes(skeyidE.begin(), skeyidE.begin() + static_cast<std::ptrdiff_t>(keyLen));
    }
    // Appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0) with "0" a single zero octet (as in
    // strongSwan, libreswan and racoon), Kn = prf(SKEYID_e, K(n-1)).
    Bytes ka;
    Bytes k = IkePrf(h, skeyidE, Bytes{0});
    while (true)
    {
        Append(ka, k);
        if (ka.size() >= keyLen)
        {
            break;
        }
        k = IkePrf(h, skeyidE, k);
    }
    ka.resize(keyLen);
    return ka;
}

Bytes
QuickModeKeymat(IkeHash h, const Bytes& skeyidD, const Bytes& gqmxy, uint8_t protocol, uint32_t spi,
                const Bytes& ni, const Bytes& nr, size_t len)
{
    // seed = [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b, with the SPI in network byte order.
    Bytes seed;
    seed.reserve(gqmxy.size() + 5 + ni.size() + nr.size());
    Append(seed, gqmxy);
    seed.push_back(protocol);
    seed.push_back(static_cast<uint8_t>(spi >> 24));
    seed.push_back(static_cast<uint8_t>(spi >> 16));
    seed.push_back(static_cast<uint8_t>(spi >> 8));
    seed.push_back(static_cast<uint8_t>(spi));
    Append(seed, ni);
    Append(seed, nr);

    Bytes keymat;
    if (len == 0)
    {
        return keymat;
    }
    Bytes k = IkePrf(h, skeyidD, seed); // K1
    while (true)
    {
        Append(keymat, k);
        if (keymat.size() >= len)
        {
            break;
        }
        Bytes msg = k; // Kn = prf(SKEYID_d, K(n-1) | seed)
        Append(msg, seed);
        k = IkePrf(h, skeyidD, msg);
    }
    keymat.resize(len);
    return keymat;
}

} // namespace ipsec
} // namespace ns3
