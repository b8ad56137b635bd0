// What a router's `enrollment url` reaches: a certificate authority that hands out its chain
// (`crypto pki authenticate`), signs a router's request (`crypto pki enroll`) and publishes its
// CRL. The scenario layer implements it with the CAs a scenario declares; the router holds only
// this interface. All certificates and CRLs are DER.
#ifndef IPSEC_IOS_PKI_H
#define IPSEC_IOS_PKI_H

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/** What a router asks a CA to certify (its PKCS#10 request, in effect). */
struct IosEnrollmentRequest
{
    std::string router;              //!< the router's host name (the scenario node)
    std::string subject;             //!< distinguished name, "cn=R1,hostname=R1.lab"
    std::vector<uint8_t> publicKey;  //!< SubjectPublicKeyInfo DER
    std::vector<std::string> sanIp;  //!< subjectAltName addresses
    std::vector<std::string> sanDns; //!< subjectAltName names
    int64_t now = 0;                 //!< the router's calendar clock, seconds since 1970
};

/** A refusal by the CA, said as IOS reports it. */
class IosEnrollmentError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class IosCertificateAuthority
{
public:
    virtual ~IosCertificateAuthority() = default;
    virtual const std::string& GetName() const = 0;
    /** The CA's certificate first, then each issuer up to the self-signed root. */
    virtual std::vector<std::vector<uint8_t>> GetChain() const = 0;
    /** Sign @p request: the router's certificate. @throws IosEnrollmentError. */
    virtual std::vector<uint8_t> Enroll(const IosEnrollmentRequest& request) = 0;
    /** The current CRLs of the CA and its issuers (one each), as of @p now. */
    virtual std::vector<std::vector<uint8_t>> GetCrls(int64_t now) const = 0;
};

/** The CA an `enrollment url` reaches; nullptr: none answers there. */
using IosCaLookup = std::function<IosCertificateAuthority*(const std::string& url)>;

/** 2026-01-01T00:00:00Z: the calendar clock of routers when the scenario gives none. */
constexpr int64_t kIosDefaultCalendarStart = 1767225600;

} // namespace ns3

#endif
