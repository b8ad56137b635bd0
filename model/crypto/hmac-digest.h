// HMAC (RFC 2104) over OpenSSL's low-level digest functions, with keyed states precomputed once
// per key. Private to model/crypto: Authenticator (cipher.cc) is its only user.
//
// This is the one place in the project that uses OpenSSL's low-level MD5/SHA API, deprecated in
// OpenSSL 3 (hmac-digest.cc says why). A keyed state is the digest's chaining value and bit
// count after absorbing (K ^ ipad), then the same after (K ^ opad): 28 bytes each for SHA-1.
#ifndef IPSEC_HMAC_DIGEST_H
#define IPSEC_HMAC_DIGEST_H

#include "ns3/cipher.h"

#include <cstddef>
#include <cstdint>

namespace ns3
{
namespace ipsec
{
namespace hmacdigest
{

/** Bytes of a work context, for every algorithm (stack buffers use it). */
constexpr size_t kMaxWorkSize = 224;
/** Alignment of a work context and of a keyed state (SHA-512 counts in 64-bit words). */
constexpr size_t kAlign = 8;

/** Bytes of the keyed state of @p alg (inner and outer). @p alg must not be NONE. */
size_t KeyedStateSize(AuthAlgorithm alg);

/**
 * Key @p keyed (KeyedStateSize(alg) bytes, kAlign-aligned) with @p key (any length; a key
 * longer than the digest's block is hashed first, RFC 2104 section 2).
 * @return false if OpenSSL failed.
 */
bool Precompute(AuthAlgorithm alg, const uint8_t* key, size_t keyLen, uint8_t* keyed);

/** Start an HMAC in @p work (kMaxWorkSize bytes, kAlign-aligned) from the inner keyed state. */
void Begin(AuthAlgorithm alg, const uint8_t* keyed, void* work);
/** Absorb @p len bytes. */
void Update(AuthAlgorithm alg, void* work, const uint8_t* data, size_t len);
/**
 * Finish: the inner digest, then the outer one from the outer keyed state, into @p mac (at
 * least 64 bytes). @return the full MAC length.
 */
size_t Final(AuthAlgorithm alg, const uint8_t* keyed, void* work, uint8_t* mac);

} // namespace hmacdigest
} // namespace ipsec
} // namespace ns3

#endif
