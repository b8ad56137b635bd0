/**
 * @file
 * What the IKE engine asks of the router's configuration: its phase-1 policies and keys, what a
 * crypto map entry offers, and whether a peer's quick-mode request fits an entry. The IOS router
 * (ios/ios-router) implements it; the engine never reads configuration text.
 */
#ifndef IPSEC_IKE_POLICY_PROVIDER_H
#define IPSEC_IKE_POLICY_PROVIDER_H

#include "ns3/ike-config.h"
#include "ns3/ipsec-spd.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class IkePolicyProvider
{
public:
    virtual ~IkePolicyProvider() = default;

    /** Phase-1 policies in priority order, the IOS default suite last. */
    virtual std::vector<IkePolicy> GetIkePolicies() const = 0;

    /** The pre-shared key for @p peer (`crypto isakmp key ... address`), if any. */
    virtual std::optional<std::string> GetPreSharedKey(Ipv4Address peer) const = 0;

    /** An entry's quick-mode offer, or the refusal. */
    struct Phase2
    {
        Ptr<IpsecPolicyEntry> entry; //!< nullptr: refused, see reason
        IkePhase2Offer offer;
        std::string reason;
    };

    /** Initiator: what the acquired entry proposes (transform sets, lifetimes, PFS). */
    virtual Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const = 0;

    /**
     * Responder: the entry that accepts @p peer's request for @p scope, given in this router's
     * outbound sense (source: the initiator's IDcr, destination: its IDci). The scope must lie
     * within a permit of the entry's access list, the entry must name @p peer (or be a dynamic
     * map template, whose absent access list accepts anything), and its crypto map must be
     * applied where @p local is the local address. Entries are tried in crypto map order.
     */
    virtual Phase2 MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                                  const IpsecTrafficSelector& scope) const = 0;
};

} // namespace ns3

#endif
