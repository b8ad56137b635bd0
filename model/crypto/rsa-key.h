// RSA key pairs made from a seeded byte stream, so that the same run seed gives the same key
// bytes on every machine (`crypto key generate rsa`, the scenario's certificate authorities).
//
// OpenSSL 3.0's key generation draws from its own DRBG, which we cannot seed portably. Instead of
// plugging a seeded RAND provider into a private library context (a provider of our own, and a
// key that would still depend on how each OpenSSL version walks its prime search), we draw the
// prime candidates from our stream, let OpenSSL decide primality (BN_check_prime) and assemble the
// key from its numbers (EVP_PKEY_fromdata). The key bytes then depend on the stream alone.
#ifndef IPSEC_RSA_KEY_H
#define IPSEC_RSA_KEY_H

#include "ns3/byte-source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** An RSA key pair as DER. */
struct RsaKeyPair
{
    std::vector<uint8_t> privateKey; //!< PKCS#8 PrivateKeyInfo DER
    std::vector<uint8_t> publicKey;  //!< SubjectPublicKeyInfo DER
    int bits = 0;                    //!< modulus size
};

/** The modulus sizes we accept: 360 to 4096 bits (IOS's `modulus` range), even. */
bool IsValidRsaModulus(int bits);

/**
 * An RSA key of @p bits bits, public exponent 65537. Each prime starts at a candidate drawn from
 * @p src (top two bits and bottom bit set, so that p * q has exactly @p bits bits) and moves up
 * by two until OpenSSL finds it prime and coprime with 65537 less one.
 * @throws std::invalid_argument for a modulus outside IsValidRsaModulus.
 */
RsaKeyPair GenerateRsaKey(ByteSource& src, int bits);

/** The public key (SubjectPublicKeyInfo DER) and size of a PKCS#8 RSA key.
 *  @throws std::invalid_argument when the bytes are not an RSA private key. */
RsaKeyPair RsaKeyFromPrivate(const std::vector<uint8_t>& pkcs8);

/* The modulus size of a public key: RsaPublicKeyBits (rsa-ops.h). */

/**
 * PEM armour: @p label is "CERTIFICATE", "X509 CRL", "PRIVATE KEY" or "PUBLIC KEY"; base64 in
 * lines of 64 characters as RFC 7468 asks.
 */
std::string ToPem(const std::vector<uint8_t>& der, const std::string& label);

/** The DER inside the first PEM block labelled @p label. @throws std::invalid_argument. */
std::vector<uint8_t> FromPem(const std::string& pem, const std::string& label);

} // namespace ipsec
} // namespace ns3

#endif
