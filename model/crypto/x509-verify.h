// X.509 certificates as IKE's rsa-sig uses them (OpenSSL): a peer's chain checked against the
// trust anchors and CRLs a router holds, at the router's calendar time rather than the host's;
// what a certificate names (subject, subjectAltName, the PKCS#9 unstructuredName and
// unstructuredAddress IOS puts in its subjects) and whether that matches a phase-1 identity.
#ifndef IPSEC_X509_VERIFY_H
#define IPSEC_X509_VERIFY_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

using Der = std::vector<uint8_t>;

/** Why a chain was refused. */
enum class X509Failure : uint8_t
{
    NONE,          //!< the chain verifies
    MALFORMED,     //!< a certificate or CRL does not parse
    EXPIRED,       //!< a certificate's notAfter lies before the router's clock
    NOT_YET_VALID, //!< a certificate's notBefore lies after it
    REVOKED,       //!< a held CRL lists the serial number
    UNKNOWN_CA,    //!< no trust anchor issued the chain
    NO_CRL,        //!< a CRL is required and none is held for the issuer (or it is stale)
    BAD_SIGNATURE, //!< a signature in the chain does not verify
    OTHER,         //!< anything else OpenSSL refuses (see detail)
};

const char* ToString(X509Failure f);

/** The outcome of X509VerifyChain. */
struct X509ChainCheck
{
    X509Failure failure = X509Failure::NONE;
    std::string detail;  //!< OpenSSL's reason, or ours
    std::string subject; //!< the end certificate's subject (RFC 2253 text)
    std::string serial;  //!< its serial number, hex

    bool Ok() const
    {
        return failure == X509Failure::NONE;
    }
};

/**
 * Verifies @p chain (the end certificate first, then issuers) up to one of @p anchors (each a
 * trust anchor even when it is a subordinate CA, as an IOS trustpoint is) at @p now (seconds
 * since 1970). Certificates a CRL of @p crls lists are refused; with @p crlRequired, an end
 * certificate whose issuer has no current CRL in @p crls is refused too.
 */
X509ChainCheck X509VerifyChain(const std::vector<Der>& chain, const std::vector<Der>& anchors,
                               const std::vector<Der>& crls, bool crlRequired, int64_t now);

/** What one certificate says about its holder. */
struct X509CertInfo
{
    Der subjectDer;                             //!< the subject Name, DER
    std::string subject;                        //!< RFC 2253 text
    Der publicKey;                              //!< SubjectPublicKeyInfo DER
    std::vector<std::string> ipAddresses;       //!< subjectAltName iPAddress (IPv4 dotted quads)
    std::vector<std::string> dnsNames;          //!< subjectAltName dNSName
    std::vector<std::string> unstructuredNames; //!< subject unstructuredName (IOS hostname)
    std::vector<std::string> unstructuredAddresses; //!< subject unstructuredAddress (IOS address)
};

/** @return what certificate @p der names, or nullopt (then @p error says why) */
std::optional<X509CertInfo> X509ReadCertificate(const Der& der, std::string* error = nullptr);

/** @return the RFC 2253 text of a DER Name (an ID_DER_ASN1_DN body), or "" if it does not parse */
std::string X509NameText(const Der& nameDer);

/** ID_IPV4_ADDR: subjectAltName iPAddress or the subject's unstructuredAddress. */
bool X509NamesAddress(const X509CertInfo& cert, const std::string& dottedQuad);
/** ID_FQDN: subjectAltName dNSName or the subject's unstructuredName, case aside. */
bool X509NamesHost(const X509CertInfo& cert, const std::string& fqdn);
/** ID_DER_ASN1_DN: the subject, compared as X.509 names (X509_NAME_cmp). */
bool X509NamesSubject(const X509CertInfo& cert, const Der& nameDer);

} // namespace ipsec
} // namespace ns3

#endif
