/**
 * @file
 * IKEv2 SA payloads and traffic selectors (RFC 7296 2.7, 2.9, 3.3): the IKE SA offer made of the
 * router's proposals and the responder's choice, the child SA's ESP offer made of a crypto map
 * entry's transform sets and its choice, and traffic selectors to and from the data plane's
 * selectors. Pure functions; Ikev2Daemon calls them.
 */
#ifndef IPSEC_IKEV2_PROPOSAL_H
#define IPSEC_IKEV2_PROPOSAL_H

#include "ns3/ike-policy-provider.h"
#include "ns3/ikev2-prf.h"
#include "ns3/ikev2-sa-payload.h"
#include "ns3/ikev2-sk-cipher.h"
#include "ns3/ikev2-ts-payload.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/** The algorithms of one IKE SA. */
struct Ikev2IkeSuite
{
    ipsec::Ikev2EncrAlgorithm encr;
    ipsec::Ikev2IntegAlgorithm integ = ipsec::Ikev2IntegAlgorithm::NONE;
    ipsec::Ikev2PrfAlgorithm prf;
    uint16_t group = 0;
    std::string ToString() const;
};

/** The initiator's SA payload: proposal k + 1 is offer k with all its transforms. */
Ikev2SaPayload Ikev2MakeIkeOffer(const std::vector<IkePolicyProvider::Ikev2IkeOffer>& offers);

/** A choice of one proposal, or why none was chosen. */
struct Ikev2IkeSelection
{
    std::optional<Ikev2IkeSuite> suite;
    Ikev2SaPayload reply; //!< the chosen proposal with one transform of each type
    std::string reason;
};

/**
 * Responder: the peer's proposals in its order; the first for which one of our offers holds an
 * encryption (with its key length), a PRF, an integrity algorithm (none with AES-GCM) and a
 * group, each the first of the peer's list that we accept.
 */
Ikev2IkeSelection Ikev2SelectIke(const Ikev2SaPayload& offer,
                                 const std::vector<IkePolicyProvider::Ikev2IkeOffer>& ours);

/** Initiator: the reply holds one proposal of IKE with one transform of each type, from our
 *  offer. */
std::optional<Ikev2IkeSuite> Ikev2AcceptIkeReply(const Ikev2SaPayload& reply,
                                                 const Ikev2SaPayload& offered,
                                                 std::string* reason);

/** ESP transforms of a transform set; nullopt when the set is not ESP alone (AH, IPComp). */
std::optional<std::vector<Ikev2Transform>> Ikev2EspTransforms(const IpsecTransformSet& set);

/** The child SA's offer: one ESP proposal per usable transform set, all with @p spi. */
Ikev2SaPayload Ikev2MakeChildOffer(const IkePhase2Offer& offer, uint32_t spi);

/** The child's choice: our set and the SPI the proposal carried. */
struct Ikev2ChildSelection
{
    std::optional<IpsecTransformSet> set;
    uint32_t peerSpi = 0;
    Ikev2SaPayload reply;
    std::string reason;
};

/** Responder: the peer's ESP proposals in order, the first equal to one of our sets. The reply
 *  carries @p ourSpi. */
Ikev2ChildSelection Ikev2SelectChild(const Ikev2SaPayload& offer, const IkePhase2Offer& ours,
                                     uint32_t ourSpi);

/** Initiator: the reply's one ESP proposal, one of the sets we offered. */
Ikev2ChildSelection Ikev2AcceptChildReply(const Ikev2SaPayload& reply, const IkePhase2Offer& ours);

/** A selector's source (@p source) or destination side as one traffic selector. */
Ikev2TrafficSelector Ikev2SelectorOf(const IpsecTrafficSelector& s, bool source);

/**
 * The data plane's selector (in the receiver's outbound sense: source from @p src, destination
 * from @p dst); nullopt with @p reason when a range is not one prefix or ports are not one range.
 */
std::optional<IpsecTrafficSelector> Ikev2ScopeOf(const Ikev2TsPayload& src,
                                                 const Ikev2TsPayload& dst, std::string* reason);

} // namespace ns3

#endif
