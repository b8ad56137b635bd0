// RSA private- and public-key operations over DER keys (OpenSSL EVP), as IKEv1 uses them:
// signatures over a raw hash with PKCS#1 v1.5 padding and no DigestInfo (RFC 2409 5.1, as
// strongSwan's and IOS's IKEv1 sign), and PKCS#1 v1.5 encryption for rsa-encr (RFC 2409 5.2)
// whose random padding comes from an injectable byte source, so that a run is reproducible.
#ifndef IPSEC_RSA_OPS_H
#define IPSEC_RSA_OPS_H

#include "ns3/byte-source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** @brief Outcome of an RSA operation: the bytes, or why not. */
struct RsaResult
{
    bool ok = false;
    std::string error;
    std::vector<uint8_t> bytes;

    explicit operator bool() const
    {
        return ok;
    }
};

/** @return the modulus size in bits of a PKCS#8 private key (0: not an RSA key) */
uint32_t RsaPrivateKeyBits(const std::vector<uint8_t>& pkcs8);
/** @return the modulus size in bits of a SubjectPublicKeyInfo (0: not an RSA key) */
uint32_t RsaPublicKeyBits(const std::vector<uint8_t>& spki);
/** @return the SubjectPublicKeyInfo DER of a PKCS#8 private key (empty: unreadable) */
std::vector<uint8_t> RsaPublicKeyOf(const std::vector<uint8_t>& pkcs8);

/**
 * Signs @p data as it is: EMSA-PKCS1-v1_5 block type 1 (00 01 FF.. 00 data) without the
 * DigestInfo of RFC 8017 9.2; IKEv1 signs HASH_I / HASH_R this way (RFC 2409 5.1).
 */
RsaResult RsaSignRaw(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& data);
/** @return true when @p signature is RsaSignRaw(@p data) under @p spki; else @p error says why */
bool RsaVerifyRaw(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& data,
                  const std::vector<uint8_t>& signature, std::string* error);

/**
 * RSAES-PKCS1-v1_5 encryption (RFC 8017 7.2.1): 00 02 PS 00 M, PS non-zero bytes drawn from
 * @p rng (at least 8). Fails when @p data is longer than the modulus allows (k - 11 bytes).
 */
RsaResult RsaEncryptPkcs1(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& data,
                          ByteSource& rng);
/** RSAES-PKCS1-v1_5 decryption; fails on a wrong length or padding. */
RsaResult RsaDecryptPkcs1(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& data);

} // namespace ipsec
} // namespace ns3

#endif
