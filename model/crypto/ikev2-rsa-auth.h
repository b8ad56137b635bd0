/**
 * @file
 * IKEv2's RSA Digital Signature authentication (RFC 7296 2.15, AUTH method 1) and the CA key
 * hashes of CERTREQ (3.7): RSASSA-PKCS1-v1_5 with SHA-1 over the signed octets, as IOS 15 and
 * strongSwan send method 1, and SHA-1 of a CA's SubjectPublicKeyInfo.
 */
#ifndef IPSEC_IKEV2_RSA_AUTH_H
#define IPSEC_IKEV2_RSA_AUTH_H

#include "ns3/rsa-ops.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** AUTH data of method 1: the PKCS#1 v1.5 signature (SHA-1 DigestInfo) of @p signedOctets. */
RsaResult Ikev2RsaSign(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& signedOctets);
/** @return true when @p auth is Ikev2RsaSign(@p signedOctets) under @p spki; else @p error */
bool Ikev2RsaVerify(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& signedOctets,
                    const std::vector<uint8_t>& auth, std::string* error);
/** SHA-1 of a DER SubjectPublicKeyInfo: one 20-byte entry of a CERTREQ's CA list. */
std::vector<uint8_t> Ikev2CaKeyHash(const std::vector<uint8_t>& spki);

} // namespace ipsec
} // namespace ns3

#endif
