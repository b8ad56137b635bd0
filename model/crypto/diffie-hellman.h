// Diffie-Hellman groups for IKE, over OpenSSL:
// - MODP groups with a safe prime and generator 2: 1 and 2 (RFC 2409 6.1, 6.2), 5, 14, 15 and 16
//   (RFC 3526 2, 3, 4, 5);
// - the MODP group with a prime-order subgroup 24 (RFC 5114 2.3: 2048-bit p, 256-bit q, and a
//   generator g of the order-q subgroup that is not 2);
// - the random ECP groups 19, 20 and 21 (RFC 5903: NIST P-256, P-384, P-521).
// The group parameters are OpenSSL's copies of the RFC constants; the tests compare them with the
// RFC text and check the RFCs' known answers.
#ifndef IPSEC_DIFFIE_HELLMAN_H
#define IPSEC_DIFFIE_HELLMAN_H

#include "ns3/byte-source.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** How a group's public values are formed and combined. */
enum class DhGroupType
{
    MODP, //!< g^x mod p (RFC 2409, RFC 3526, RFC 5114)
    ECP,  //!< elliptic curve over GF(p): d * G (RFC 5903)
};

/** @return true for the groups we model (1, 2, 5, 14, 15, 16, 19, 20, 21, 24). */
bool IsSupportedDhGroup(int group);
/** The supported groups in ascending order. */
const std::vector<int>& SupportedDhGroups();
/** MODP or ECP. @throws std::invalid_argument for an unsupported group. */
DhGroupType DhGroupTypeOf(int group);
/** "MODP 3072-bit", "ECP 256-bit (P-256)". @throws std::invalid_argument. */
std::string DhGroupText(int group);
/**
 * Size in bytes of the group's prime: the MODP modulus (96, 128, 192, 256, 384, 512; 256 for
 * group 24) or the ECP field prime (32, 48, 66). @throws std::invalid_argument.
 */
size_t DhPrimeBytes(int group);
/**
 * Size in bytes of a public value as the KE payload carries it: the MODP prime size, or for ECP
 * x || y, each coordinate the field size, without the 0x04 point-format octet (RFC 5903 7).
 * @throws std::invalid_argument.
 */
size_t DhPublicValueBytes(int group);
/**
 * Size in bytes of the shared secret g^xy: the MODP prime size, or for ECP the field size (the x
 * coordinate only, RFC 5903 7 and 9). @throws std::invalid_argument.
 */
size_t DhSharedSecretBytes(int group);
/**
 * The group's prime p (MODP modulus or ECP field prime) as DhPrimeBytes(group) big-endian bytes.
 * @throws std::invalid_argument for an unsupported group.
 */
std::vector<uint8_t> DhPrime(int group);
/**
 * The MODP generator g, DhPrimeBytes(group) big-endian bytes (2 for the safe-prime groups, RFC
 * 5114's g for group 24). @throws std::invalid_argument for ECP and unsupported groups.
 */
std::vector<uint8_t> DhGenerator(int group);
/**
 * Size in bytes of the private value of @p group.
 *
 * Safe-prime MODP groups: the exponent length, 20 (160 bits) for groups 1 and 2, 30 (240 bits)
 * for 5, 40 (320 bits) for 14, 53 (424 bits) for 15 and 60 (480 bits) for 16: at least twice
 * the group's estimated symmetric strength and never below 160 bits; for groups 5 to 16 the
 * "Strength Estimate 2" exponent sizes of RFC 3526 section 8 (420 bits rounded up to bytes).
 *
 * Groups with a prime-order subgroup (24 and the ECP groups): the byte length of the order q
 * (32 for 24 and 19, 48 for 20, 66 for 21).
 * @throws std::invalid_argument for an unsupported group.
 */
size_t DhPrivateExponentBytes(int group);

/**
 * @brief One side's DH key pair in any supported group.
 *
 * The private value comes from the given ByteSource, so a deterministic source gives the same key
 * pair on every run:
 * - safe-prime MODP groups: x is DhPrivateExponentBytes(group) bytes (big-endian) with the most
 *   significant bit forced to 1, so it has exactly that many bits and 1 < x < (p-1)/2; public
 *   value 2^x mod p;
 * - group 24 and the ECP groups (order q): c is DhPrivateExponentBytes(group) + 8 bytes and the
 *   private value is c mod (q-1) + 1, in [1, q-1] with negligible bias (FIPS 186-4 B.4.1, "extra
 *   random bits"); public value g^x mod p, or the point x * G as x || y.
 */
class DhKeyPair
{
public:
    /** @throws std::invalid_argument for an unsupported group. */
    DhKeyPair(int group, ByteSource& rng);
    ~DhKeyPair();
    DhKeyPair(const DhKeyPair&) = delete;
    DhKeyPair& operator=(const DhKeyPair&) = delete;

    int Group() const;
    /** The KE payload's data: g^x mod p left-padded to DhPublicValueBytes, or ECP x || y. */
    const std::vector<uint8_t>& PublicValue() const;
    /**
     * The shared secret, DhSharedSecretBytes long: g^xy mod p left-padded, or the x coordinate of
     * the ECP point d * Q.
     * @throws std::invalid_argument if the peer value has the wrong length or is not a valid
     *         public value: MODP outside [2, p-2] (RFC 2631 / SP 800-56A range check) or, for
     *         group 24, not of order q (RFC 6989 2.2); ECP coordinates not below p or not a point
     *         of the curve (RFC 6989 2.3).
     */
    std::vector<uint8_t> ComputeShared(const std::vector<uint8_t>& peerPublic) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ipsec
} // namespace ns3

#endif
