// The inside of a router's PKI: its RSA key pairs, what each trustpoint holds (the CA chain it
// authenticated, the certificate it enrolled) and where its CAs are. Shared by the files of
// ios/ that make up the router (ios-router-pki.cc, show-crypto-pki.cc); not for use outside ios/.
#ifndef IPSEC_IOS_PKI_STATE_H
#define IPSEC_IOS_PKI_STATE_H

#include "ns3/ios-config.h"
#include "ns3/ios-pki.h"
#include "ns3/rsa-key.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class IosRouter;

/** One RSA key pair of the router (`crypto key generate rsa`). */
struct IosRsaKeyState
{
    std::string label;
    ipsec::RsaKeyPair key;
    int64_t generatedAt = 0; //!< calendar clock, seconds since 1970
    bool usageKeys = false;  //!< asked as usage keys (made as one pair)
    uint32_t generation = 0; //!< how many pairs of this label came before (the stream's name)
};

/** What a trustpoint holds. */
struct IosTrustpointState
{
    std::vector<std::vector<uint8_t>> caChain; //!< authenticated: the CA first, up to its root
    std::vector<uint8_t> certificate;          //!< enrolled or pasted; empty: none
    std::string keyLabel;                      //!< the key pair the certificate certifies
};

struct IosPkiState
{
    IosCaLookup lookup;
    int64_t calendarStart = kIosDefaultCalendarStart;
    std::map<std::string, IosRsaKeyState> keys;            //!< by label
    std::map<std::string, IosTrustpointState> trustpoints; //!< by name
    size_t keyGenerationsDone = 0; //!< of the configuration's `crypto key generate rsa`
    size_t actionsDone = 0;        //!< of the configuration's authenticate / enroll

    /** The calendar clock: the start plus the simulated time. */
    int64_t Now() const;
    /** The router's fully qualified name: host name, then `ip domain-name` if given. */
    static std::string Fqdn(const IosRouterConfig& cfg);
    /** The label of the router's default key pair (its FQDN, as IOS names it). */
    static std::string DefaultLabel(const IosRouterConfig& cfg);

    /** `crypto key generate rsa`: a new pair from the seeded stream; what IOS prints. */
    std::string GenerateKey(const IosRouter& r, std::string label, uint32_t modulus,
                            bool usageKeys);
    /** `crypto pki authenticate NAME`: what IOS prints (errors included, as IOS prints them). */
    std::string Authenticate(const IosRouter& r, const std::string& trustpoint);
    /** `crypto pki enroll NAME`. */
    std::string Enroll(const IosRouter& r, const std::string& trustpoint);
    /** Pasted `crypto pki certificate chain` blocks: CA certificates authenticated, the router's
     *  own certificate held (used for rsa-sig only when one of our keys matches it). */
    void TakeChains(const IosRouterConfig& cfg);
    /** The configuration's key generations and authenticate / enroll lines not done yet:
     *  each line as written and what IOS printed. */
    std::vector<std::pair<std::string, std::string>> RunConfigured(const IosRouter& r);
    /** The label of the key pair whose public key is @p spki; empty if none. */
    std::string LabelOfPublicKey(const std::vector<uint8_t>& spki) const;
};

} // namespace ns3

#endif
