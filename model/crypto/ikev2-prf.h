// IKEv2 (RFC 7296) key derivation: the PRFs, prf+ (2.13), SKEYSEED and the seven IKE SA keys
// (2.14), the IKE SA rekey SKEYSEED (2.18), child SA KEYMAT (2.17) and the AUTH value of a
// pre-shared key (2.15).
#ifndef IPSEC_IKEV2_PRF_H
#define IPSEC_IKEV2_PRF_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{
namespace ipsec
{

using Bytes = std::vector<uint8_t>;

/** The IKEv2 PRFs we implement (transform type 2). */
enum class Ikev2PrfAlgorithm : uint8_t
{
    HMAC_SHA1,     //!< PRF_HMAC_SHA1 (2), RFC 2104
    HMAC_SHA2_256, //!< PRF_HMAC_SHA2_256 (5), RFC 4868
    HMAC_SHA2_384, //!< PRF_HMAC_SHA2_384 (6)
    HMAC_SHA2_512, //!< PRF_HMAC_SHA2_512 (7)
    AES128_XCBC,   //!< PRF_AES128_XCBC (4), RFC 4434 (a 16-byte key, variable keys adapted)
};

/** @return the IANA Transform ID of @p alg */
uint16_t Ikev2PrfTransformId(Ikev2PrfAlgorithm alg);
/** @return the PRF for Transform ID @p id, if we implement it */
std::optional<Ikev2PrfAlgorithm> Ikev2PrfFromTransformId(uint16_t id);
/** @return "PRF_HMAC_SHA2_256", ... */
const char* Ikev2PrfName(Ikev2PrfAlgorithm alg);
/**
 * @return the PRF's output length, which RFC 7296 2.13 and 2.14 also take as the length of
 *         SK_d, SK_pi and SK_pr (the preferred key length of an HMAC PRF, RFC 4868 2.1.2)
 */
size_t Ikev2PrfLength(Ikev2PrfAlgorithm alg);
/**
 * prf(key, data): HMAC over @p data, full length; or AES-XCBC-PRF-128 (RFC 4434: a key shorter
 * than 16 bytes is padded with zeros, a longer one replaced by AES-XCBC-MAC-128(0^128, key)).
 * @throws std::invalid_argument
 */
Bytes Ikev2Prf(Ikev2PrfAlgorithm alg, const Bytes& key, const Bytes& data);
/**
 * prf+ (RFC 7296 2.13): T1 | T2 | ... with T1 = prf(K, S | 0x01) and Tn = prf(K, Tn-1 | S | n),
 * cut to @p len bytes.
 * @throws std::invalid_argument if @p len needs more than 255 iterations
 */
Bytes Ikev2PrfPlus(Ikev2PrfAlgorithm alg, const Bytes& key, const Bytes& seed, size_t len);
/**
 * SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 2.14). For AES-XCBC, whose key is 16 bytes, the key is
 * the first 8 bytes of Ni and the first 8 of Nr ("half the bits must come from Ni and half from
 * Nr, taking the first bits of each").
 */
Bytes Ikev2Skeyseed(Ikev2PrfAlgorithm alg, const Bytes& ni, const Bytes& nr, const Bytes& gir);
/**
 * SKEYSEED of an IKE SA made by rekeying (RFC 7296 2.18):
 * prf(SK_d (old), g^ir (new) | Ni | Nr), the PRF being the old SA's.
 */
Bytes Ikev2RekeySkeyseed(Ikev2PrfAlgorithm alg, const Bytes& oldSkD, const Bytes& gir,
                         const Bytes& ni, const Bytes& nr);

/** The seven secrets of an IKE SA (RFC 7296 2.14). */
struct Ikev2SaKeys
{
    Bytes skD;  //!< derives child SA keys
    Bytes skAi; //!< integrity, initiator to responder (empty for an AEAD cipher)
    Bytes skAr; //!< integrity, responder to initiator
    Bytes skEi; //!< encryption, initiator to responder (with the salt for GCM)
    Bytes skEr; //!< encryption, responder to initiator
    Bytes skPi; //!< the initiator's AUTH (MACedIDForI)
    Bytes skPr; //!< the responder's AUTH (MACedIDForR)
};

/**
 * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 * (RFC 7296 2.14). @p integKeyLen is 0 for an AEAD cipher; @p encrKeyLen counts the salt (RFC
 * 5282 7.1: 4 octets for GCM).
 * @throws std::invalid_argument if an SPI is not 8 bytes
 */
Ikev2SaKeys Ikev2DeriveSaKeys(Ikev2PrfAlgorithm alg, const Bytes& skeyseed, const Bytes& ni,
                              const Bytes& nr, const Bytes& spiI, const Bytes& spiR,
                              size_t encrKeyLen, size_t integKeyLen);

/** The keys of one child SA pair (RFC 7296 2.17). */
struct Ikev2ChildKeys
{
    Bytes encrI;  //!< encryption, initiator to responder (the SA the responder receives on)
    Bytes integI; //!< integrity, initiator to responder
    Bytes encrR;  //!< encryption, responder to initiator
    Bytes integR; //!< integrity, responder to initiator
};

/**
 * KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) with PFS (@p gir not empty),
 * taken in the order RFC 7296 2.17 gives: initiator-to-responder encryption then integrity, then
 * responder-to-initiator encryption then integrity.
 */
Ikev2ChildKeys Ikev2DeriveChildKeys(Ikev2PrfAlgorithm alg, const Bytes& skD, const Bytes& gir,
                                    const Bytes& ni, const Bytes& nr, size_t encrKeyLen,
                                    size_t integKeyLen);

/**
 * The octets an AUTH payload signs or MACs (RFC 7296 2.15): RealMessage | NonceData |
 * prf(SK_p, RestOfIDPayload). For the initiator: its IKE_SA_INIT request, Nr, SK_pi and the body
 * of IDi; for the responder: its IKE_SA_INIT response, Ni, SK_pr and the body of IDr.
 */
Bytes Ikev2SignedOctets(Ikev2PrfAlgorithm alg, const Bytes& realMessage, const Bytes& peerNonce,
                        const Bytes& skP, const Bytes& idBody);
/** AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets) (RFC 7296 2.15). */
Bytes Ikev2PskAuth(Ikev2PrfAlgorithm alg, const Bytes& sharedSecret, const Bytes& signedOctets);

/** AES-XCBC-MAC-96's full 128-bit MAC (RFC 3566) with a 16-byte @p key. @throws
 * std::invalid_argument */
Bytes AesXcbcMac128(const Bytes& key, const Bytes& data);

/**
 * The data of NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP (RFC 7296 2.23):
 * SHA-1(SPIi | SPIr | IP address | port), with SPIr all zeros in IKE_SA_INIT's request.
 * @param address 4 (IPv4) or 16 (IPv6) bytes in network order
 * @throws std::invalid_argument if an SPI is not 8 bytes or the address not 4 or 16
 */
Bytes Ikev2NatDetectionHash(const Bytes& spiI, const Bytes& spiR, const Bytes& address,
                            uint16_t port);

} // namespace ipsec
} // namespace ns3

#endif
