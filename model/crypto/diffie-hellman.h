// Oakley MODP Diffie-Hellman groups for IKE: 1 and 2 (RFC 2409 6.1, 6.2), 5 (RFC 3526 2) and
// 14 (RFC 3526 3), with OpenSSL's BIGNUM arithmetic and the primes OpenSSL ships.
#ifndef IPSEC_DIFFIE_HELLMAN_H
#define IPSEC_DIFFIE_HELLMAN_H

#include "ns3/byte-source.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** @return true for the groups we model (1, 2, 5, 14). */
bool IsSupportedDhGroup(int group);
/** Size in bytes of the group's prime (96, 128, 192, 256). @throws std::invalid_argument. */
size_t DhPrimeBytes(int group);
/**
 * The group's prime p as DhPrimeBytes(group) big-endian bytes (OpenSSL's copy of the RFC 2409 /
 * RFC 3526 constant). @throws std::invalid_argument for an unsupported group.
 */
std::vector<uint8_t> DhPrime(int group);
/**
 * Size in bytes of the private exponent drawn for @p group: 20 (160 bits) for groups 1 and 2,
 * 30 (240 bits) for group 5 and 40 (320 bits) for group 14. These are at least twice the
 * group's estimated symmetric strength and never below 160 bits; for groups 5 and 14 they are
 * the larger exponent sizes of RFC 3526 section 8 ("Strength Estimate 2").
 * @throws std::invalid_argument for an unsupported group.
 */
size_t DhPrivateExponentBytes(int group);

/**
 * @brief One side's DH key pair (generator 2).
 *
 * The private exponent x is DhPrivateExponentBytes(group) bytes read from the given ByteSource
 * (big-endian) with the most significant bit forced to 1, so it has exactly that many bits and
 * 1 < x < (p-1)/2. A deterministic ByteSource therefore gives the same key pair on every run.
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
    /** g^x mod p, left-padded with zeros to DhPrimeBytes (the KE payload's data). */
    const std::vector<uint8_t>& PublicValue() const;
    /**
     * g^xy mod p, left-padded to DhPrimeBytes.
     * @throws std::invalid_argument if the peer value has the wrong length or is not in
     *         [2, p-2] (RFC 2631 / SP 800-56A range check).
     */
    std::vector<uint8_t> ComputeShared(const std::vector<uint8_t>& peerPublic) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ipsec
} // namespace ns3

#endif
