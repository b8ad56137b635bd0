// IKEv1 (RFC 2409) pseudo-random function and key derivation, ready for the IKE exchanges.
// The PRF is HMAC with the negotiated hash (RFC 2409 section 5: "prf(key, msg)").
#ifndef IPSEC_IKE_PRF_H
#define IPSEC_IKE_PRF_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{
namespace ipsec
{

using Bytes = std::vector<uint8_t>;

/** Hash algorithms negotiable for IKE phase 1. */
enum class IkeHash : uint8_t
{
    MD5,    //!< RFC 2409 Oakley hash 1
    SHA1,   //!< 2
    SHA256, //!< 4 (RFC 4868 usage in IKEv1 phase 1, as IOS "hash sha256")
    SHA384, //!< 5
    SHA512, //!< 6
};

size_t IkeHashLength(IkeHash h);
/** Plain hash (e.g. for the phase-1 IV = hash(g^xi | g^xr)). */
Bytes IkeHashOf(IkeHash h, const Bytes& data);
/** prf(key, data) = HMAC-hash(key, data), full length. */
Bytes IkePrf(IkeHash h, const Bytes& key, const Bytes& data);

/** SKEYID for pre-shared keys: prf(pre-shared-key, Ni_b | Nr_b). */
Bytes SkeyidPsk(IkeHash h, const Bytes& psk, const Bytes& ni, const Bytes& nr);
/** SKEYID for signatures: prf(Ni_b | Nr_b, g^xy). */
Bytes SkeyidSig(IkeHash h, const Bytes& ni, const Bytes& nr, const Bytes& gxy);

/**
 * SKEYID_d, SKEYID_a, SKEYID_e (RFC 2409 section 5). cky = 8-byte cookies; the trailing
 * constants 0, 1, 2 are single octets.
 * @throws std::invalid_argument if a cookie is not 8 bytes.
 */
struct IkeSkeyids
{
    Bytes d;
    Bytes a;
    Bytes e;
};
IkeSkeyids DeriveSkeyids(IkeHash h, const Bytes& skeyid, const Bytes& gxy, const Bytes& ckyI,
                         const Bytes& ckyR);

/**
 * Phase-1 encryption key of @p keyLen bytes from SKEYID_e (RFC 2409 Appendix B): the first
 * keyLen bytes of SKEYID_e if long enough, else the first keyLen bytes of Ka = K1 | K2 | ...
 * with K1 = prf(SKEYID_e, 0) ("0" = one zero octet), K2 = prf(SKEYID_e, K1), ...
 */
Bytes IkeEncryptionKey(IkeHash h, const Bytes& skeyidE, size_t keyLen);

/**
 * Quick-mode KEYMAT (RFC 2409 section 5.5), expanded to @p len bytes:
 * KEYMAT = K1 | K2 | ..., K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn = prf(SKEYID_d, K(n-1) | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
 * @p gqmxy empty when no PFS. @p spi is the 4-byte SPI of the SA this keying material is for
 * (the receiver's SPI), encoded in network byte order. The result is the first @p len bytes.
 */
Bytes QuickModeKeymat(IkeHash h, const Bytes& skeyidD, const Bytes& gqmxy, uint8_t protocol,
                      uint32_t spi, const Bytes& ni, const Bytes& nr, size_t len);

} // namespace ipsec
} // namespace ns3

#endif
