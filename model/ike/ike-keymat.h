/**
 * @file
 * IKEv1 authentication hashes and per-SA keying material (RFC 2409 5, 5.5, 5.7), over the
 * key derivation of the crypto core (ike-prf.h).
 */
#ifndef IPSEC_IKE_KEYMAT_H
#define IPSEC_IKE_KEYMAT_H

#include "ns3/ike-prf.h"

#include <cstdint>
#include <vector>

namespace ns3
{

using IkeBytes = std::vector<uint8_t>;

/** The phase-1 keys of one ISAKMP SA (RFC 2409 5). */
struct IkePhase1Keys
{
    ipsec::IkeHash hash = ipsec::IkeHash::SHA1;
    IkeBytes skeyid;
    IkeBytes d;             //!< SKEYID_d: derives IPsec keys
    IkeBytes a;             //!< SKEYID_a: authenticates phase-2 and informational messages
    IkeBytes e;             //!< SKEYID_e: gives the encryption key
    IkeBytes encryptionKey; //!< Appendix B: SKEYID_e expanded to the cipher's key length
};

/**
 * SKEYID for pre-shared keys and its three derivatives, and the phase-1 encryption key of
 * @p keyLength bytes.
 */
IkePhase1Keys IkeDerivePhase1Keys(ipsec::IkeHash hash, const IkeBytes& psk, const IkeBytes& ni,
                                  const IkeBytes& nr, const IkeBytes& gxy, const IkeBytes& ckyI,
                                  const IkeBytes& ckyR, size_t keyLength);

/** SKEYID's three derivatives and the encryption key from an SKEYID of any method. */
IkePhase1Keys IkeDerivePhase1KeysFromSkeyid(ipsec::IkeHash hash, const IkeBytes& skeyid,
                                            const IkeBytes& gxy, const IkeBytes& ckyI,
                                            const IkeBytes& ckyR, size_t keyLength);

/**
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) and
 * HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b): @p ownKe, @p peerKe,
 * @p ownCookie, @p peerCookie in the order of the formula for the side computing its own hash
 * (the initiator passes g^xi first and CKY-I first). SAi_b is the body of the initiator's SA
 * payload and ID_b the body of the ID payload, both without generic headers.
 */
IkeBytes IkePhase1Hash(const IkePhase1Keys& k, const IkeBytes& firstKe, const IkeBytes& secondKe,
                       const IkeBytes& firstCookie, const IkeBytes& secondCookie,
                       const IkeBytes& saiBody, const IkeBytes& idBody);

/** HASH(1) of quick mode and of informational exchanges: prf(SKEYID_a, M-ID | rest). */
IkeBytes IkeHash1(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& rest);

/** HASH(2) of quick mode: prf(SKEYID_a, M-ID | Ni_b | rest). */
IkeBytes IkeHash2(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& niBody,
                  const IkeBytes& rest);

/** HASH(3) of quick mode: prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
IkeBytes IkeHash3(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& niBody,
                  const IkeBytes& nrBody);

/** The keys of one IPsec SA cut from its KEYMAT: encryption key first, then the integrity key. */
struct IkeSaKeys
{
    IkeBytes cipherKey;
    IkeBytes authKey;
};

/**
 * KEYMAT = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), expanded (RFC 2409 5.5),
 * for the SA of @p protocol whose receiver chose @p spi; cut into @p cipherLength and
 * @p authLength bytes.
 */
IkeSaKeys IkeDeriveSaKeys(const IkePhase1Keys& k, const IkeBytes& gqmxy, uint8_t protocol,
                          uint32_t spi, const IkeBytes& niBody, const IkeBytes& nrBody,
                          size_t cipherLength, size_t authLength);

} // namespace ns3

#endif
