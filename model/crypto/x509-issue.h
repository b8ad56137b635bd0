// X.509 v3 certificates and v2 CRLs as a certificate authority issues them (RFC 5280), signed
// with RSA PKCS#1 v1.5 and SHA-256, all DER; and what show commands print about them, read back
// with OpenSSL's getters. Signatures of this kind are deterministic, so with keys and serials
// drawn from the seeded stream the same run seed gives the same certificate bytes.
#ifndef IPSEC_X509_ISSUE_H
#define IPSEC_X509_ISSUE_H

#include "ns3/byte-source.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

using Der = std::vector<uint8_t>;

/**
 * Check a distinguished name as written in configuration and scenarios: RDNs separated by
 * commas, each TYPE=VALUE with TYPE one of CN, O, OU, C, L, ST, E (emailAddress), serialNumber,
 * unstructuredName, unstructuredAddress, hostname (as unstructuredName), DC, in any case.
 * A value may hold "\," for a comma. @return "" when fine, else what is wrong.
 */
std::string CheckDistinguishedName(const std::string& dn);

/** What a CA signs. */
struct CertificateTemplate
{
    std::string subject;             //!< "CN=R1,O=Lab" (CheckDistinguishedName)
    Der publicKey;                   //!< SubjectPublicKeyInfo DER
    Der serial;                      //!< big-endian, positive (SerialFromStream)
    int64_t notBefore = 0;           //!< seconds since 1970
    int64_t notAfter = 0;            //!< seconds since 1970
    std::vector<std::string> sanIp;  //!< subjectAltName iPAddress entries (IPv4 dotted quads)
    std::vector<std::string> sanDns; //!< subjectAltName dNSName entries
    bool ca = false;                 //!< basicConstraints CA:TRUE, keyUsage keyCertSign, cRLSign
    int pathLength = -1;             //!< with ca: pathLenConstraint, -1 none
};

/**
 * Sign @p t. @p issuerCert empty: self-signed with @p issuerKey (a root CA; its key must be the
 * one in @p t). Else issued by @p issuerCert with @p issuerKey (PKCS#8 DER). End-entity
 * certificates get keyUsage digitalSignature and keyEncipherment (rsa-sig and rsa-encr).
 * @throws std::invalid_argument for a bad name, address or key; std::runtime_error from OpenSSL.
 */
Der IssueCertificate(const CertificateTemplate& t, const Der& issuerCert, const Der& issuerKey);

/** A positive, non-zero 8-byte serial number from @p src (RFC 5280 4.1.2.2: at most 20). */
Der SerialFromStream(ByteSource& src);

/** One revoked certificate in a CRL. */
struct RevokedCertificate
{
    Der serial;
    int64_t revoked = 0; //!< revocationDate, seconds since 1970
};

/** A v2 CRL of @p issuerCert signed with @p issuerKey, with cRLNumber @p number. */
Der IssueCrl(const Der& issuerCert, const Der& issuerKey,
             const std::vector<RevokedCertificate>& revoked, int64_t thisUpdate, int64_t nextUpdate,
             uint64_t number);

/** What `show crypto pki certificates` prints about a certificate. */
struct CertificateInfo
{
    std::string subject; //!< RFC 2253 order reversed as IOS prints: "CN=R1,O=Lab"
    std::vector<std::pair<std::string, std::string>> subjectParts; //!< (short type, value)
    std::string issuer;
    std::vector<std::pair<std::string, std::string>> issuerParts;
    Der serial;
    int64_t notBefore = 0;
    int64_t notAfter = 0;
    int keyBits = 0;
    Der publicKey; //!< SubjectPublicKeyInfo DER
    std::vector<std::string> sanIp;
    std::vector<std::string> sanDns;
    bool ca = false;
    bool selfSigned = false;
    Der md5;  //!< fingerprint: MD5 of the DER (IOS prints it at `crypto pki authenticate`)
    Der sha1; //!< fingerprint: SHA-1 of the DER
};

/** Read @p der. @throws std::invalid_argument when it is not a certificate. */
CertificateInfo DescribeCertificate(const Der& der);

/** What a CRL lists. */
struct CrlInfo
{
    std::string issuer;
    int64_t thisUpdate = 0;
    int64_t nextUpdate = 0;
    std::vector<Der> revokedSerials;
};

/** Read @p der. @throws std::invalid_argument when it is not a CRL. */
CrlInfo DescribeCrl(const Der& der);

/** Seconds since 1970 of a UTC calendar date "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ";
 *  @throws std::invalid_argument. */
int64_t ParseUtcDate(const std::string& text);

} // namespace ipsec
} // namespace ns3

#endif
