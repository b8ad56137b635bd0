/**
 * @file
 * IKE settings as data, without configuration text: phase-1 policies (a `crypto isakmp policy`)
 * and the phase-2 offer of a crypto map entry. The IOS reader fills them; the IKE engine and the
 * proposal code read them.
 */
#ifndef IPSEC_IKE_CONFIG_H
#define IPSEC_IKE_CONFIG_H

#include "ns3/ipsec-transform-set.h"
#include "ns3/isakmp-payloads.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * One phase-1 protection suite, as `crypto isakmp policy N` states it. Values are the RFC 2409
 * Appendix A codes.
 */
struct IkePolicy
{
    uint32_t priority = 65535;                         //!< lower is offered and compared first
    uint16_t encryption = IKE_ENCR_DES_CBC;            //!< IkeEncryptionAlgorithm
    uint16_t keyLength = 0;                            //!< bits; AES only (128, 192, 256), else 0
    uint16_t hash = IKE_HASH_SHA;                      //!< IkeHashAlgorithm
    uint16_t authentication = IKE_AUTH_RSA_SIGNATURES; //!< IkeAuthMethod
    uint16_t group = IKE_GROUP_MODP_768;               //!< IkeGroupDescription value
    uint32_t lifetimeSeconds = 86400;                  //!< phase-1 SA lifetime

    /** IOS's default protection suite (priority 65535): DES, SHA, rsa-sig, group 1, 86,400 s. */
    static IkePolicy IosDefault();

    /** Same encryption (and key length), hash, authentication and group; lifetime aside. */
    bool SameSuite(const IkePolicy& o) const;

    /** e.g. "3DES SHA pre-share group2 86400s" */
    std::string ToString() const;
};

/** What one crypto map entry offers in quick mode (initiator) or accepts (responder). */
struct IkePhase2Offer
{
    std::vector<IpsecTransformSet> sets; //!< in priority order (`set transform-set` order)
    uint32_t lifetimeSeconds = 3600;     //!< entry's `set security-association lifetime` or global
    uint64_t lifetimeKilobytes = 4608000;
    int pfsGroup = 0;              //!< `set pfs groupN` (a supported DH group); 0 = no PFS
    bool udpEncapsulation = false; //!< NAT found in phase 1: modes 3/4 of RFC 3947 are offered
};

/** The SPIs (CPI for IPComp) this end chose for its inbound SAs of one transform set. */
struct IkeSpis
{
    uint32_t esp = 0;
    uint32_t ah = 0;
    uint16_t cpi = 0;

    bool operator==(const IkeSpis& o) const
    {
        return esp == o.esp && ah == o.ah && cpi == o.cpi;
    }
};

/**
 * IOS applies a transform set's `mode transport` only to traffic between the two IPsec peers'
 * own addresses; everything else goes in tunnel mode (spec, "Defining Transform Sets", Step 2).
 * Sets the mode of each set of @p offer for @p scope accordingly.
 */
void IkeAdjustModes(IkePhase2Offer& offer, const IpsecTrafficSelector& scope, Ipv4Address local,
                    Ipv4Address peer);

} // namespace ns3

#endif
