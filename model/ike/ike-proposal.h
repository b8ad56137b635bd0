/**
 * @file
 * SA payloads of IKEv1: building the offers and choosing among them, for phase 1 (RFC 2409
 * 5, Appendix A attributes) and for quick mode (RFC 2407 4.5, 4.6.2). Pure functions over the
 * wire structures of isakmp-payloads.h; the exchanges call them.
 */
#ifndef IPSEC_IKE_PROPOSAL_H
#define IPSEC_IKE_PROPOSAL_H

#include "ns3/ike-config.h"
#include "ns3/isakmp-payloads.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

// ------------------------------------------------------------------------------- phase 1

/**
 * The initiator's phase-1 SA payload: DOI IPsec, situation SIT_IDENTITY_ONLY, one proposal
 * (#1, PROTO_ISAKMP, no SPI) with one KEY_IKE transform per policy, numbered from 1 in the
 * order given (priority order). Attributes, basic form: encryption, key length (AES only), hash,
 * authentication method, group description, life type seconds, life duration.
 */
IsakmpSaPayload IkeMakePhase1Offer(const std::vector<IkePolicy>& policies);

/** The responder's choice in phase 1. */
struct IkePhase1Selection
{
    bool ok = false;
    IkePolicy policy;      //!< the suite both use; lifetime: the peer's (never above ours)
    IsakmpSaPayload reply; //!< one proposal with the one chosen transform, as the peer sent it
    std::string reason;    //!< why nothing was chosen
    uint16_t notify = ISAKMP_NOTIFY_NONE; //!< NO_PROPOSAL_CHOSEN, BAD_PROPOSAL_SYNTAX, ...
};

/**
 * Responder: IOS compares its own policies in priority order against each of the peer's
 * transforms in order; a match is the same encryption, key length, hash, authentication and
 * group, and a peer lifetime less than or equal to the policy's (the peer's lifetime is then
 * used). A transform with attributes we do not know is skipped. An offer with no proposal, a
 * proposal that is not PROTO_ISAKMP, or transforms that are not KEY_IKE gives BAD_PROPOSAL_SYNTAX;
 * no match gives NO_PROPOSAL_CHOSEN with a reason naming what the peer offered.
 */
IkePhase1Selection IkeSelectPhase1(const IsakmpSaPayload& offer,
                                   const std::vector<IkePolicy>& ours);

/**
 * Initiator: the responder's SA payload must hold one proposal with one transform whose suite
 * is one we offered and whose lifetime is not above what we offered for it. Returns our policy
 * with the lifetime of the reply.
 */
std::optional<IkePolicy> IkeAcceptPhase1Reply(const IsakmpSaPayload& reply,
                                              const std::vector<IkePolicy>& offered,
                                              std::string* reason = nullptr);

// ------------------------------------------------------------------------------- phase 2

/**
 * The initiator's quick-mode SA payload: DOI IPsec, SIT_IDENTITY_ONLY; for transform set k
 * (from 0) proposal number k + 1, made of one proposal payload per protocol of the set
 * (IPComp, then ESP, then AH: the order of RFC 2401's bundles, innermost first), each with its
 * SPI from @p spis[k] (4 bytes; the CPI in 2 bytes) and one transform: ESP_* / AH_* /
 * IPCOMP_* transform ids, attributes SA life type seconds + duration, SA life type kilobytes
 * + duration, encapsulation mode, authentication algorithm (ESP with an authenticator, AH),
 * key length (AES), group description (when @p offer.pfsGroup is set).
 * @pre spis.size() == offer.sets.size()
 */
IsakmpSaPayload IkeMakePhase2Offer(const IkePhase2Offer& offer, const std::vector<IkeSpis>& spis);

/** The responder's choice in quick mode. */
struct IkePhase2Selection
{
    bool ok = false;
    size_t setIndex = 0;         //!< index into the responder's IkePhase2Offer::sets
    IpsecTransformSet set;       //!< the chosen set (ours; equal to the peer's proposal)
    uint8_t proposalNumber = 0;  //!< the peer's proposal number
    IkeSpis peerSpis;            //!< the initiator's SPIs of the chosen proposal
    uint32_t offeredSeconds = 0; //!< the initiator's lifetimes (0 if absent)
    uint64_t offeredKilobytes = 0;
    uint32_t lifetimeSeconds = 0; //!< the smaller of offered and ours
    uint64_t lifetimeKilobytes = 0;
    int pfsGroup = 0; //!< the group of the chosen proposal, 0 without PFS
    std::string reason;
    uint16_t notify = ISAKMP_NOTIFY_NONE;
};

/**
 * Responder: the peer's proposals in its order (grouped by proposal number); the first one
 * equal to one of our sets is chosen (same protocols, algorithms, key lengths and mode). With
 * @p ours.pfsGroup set the proposal must carry that group; without it, a proposal with a group
 * is accepted with that group (IOS answers PFS when asked). Lifetimes absent from the offer count
 * as the RFC 2407 defaults (28,800 s, no kilobytes limit).
 */
IkePhase2Selection IkeSelectPhase2(const IsakmpSaPayload& offer, const IkePhase2Offer& ours);

/**
 * The responder's SA payload: the chosen proposal as the peer sent it (attributes unchanged, as
 * RFC 2409 5.5 demands), with our inbound SPIs in place of the initiator's.
 */
IsakmpSaPayload IkeMakePhase2Reply(const IsakmpSaPayload& offer, const IkePhase2Selection& sel,
                                   const IkeSpis& ourSpis);

/** What the initiator learns from the responder's quick-mode SA payload. */
struct IkePhase2Result
{
    size_t setIndex = 0; //!< index into the initiator's IkePhase2Offer::sets
    IpsecTransformSet set;
    IkeSpis peerSpis; //!< the responder's SPIs
    uint32_t lifetimeSeconds = 0;
    uint64_t lifetimeKilobytes = 0;
    int pfsGroup = 0;
};

/**
 * Initiator: the reply must hold exactly one proposal number, equal in content to one we
 * offered (SPIs aside).
 */
std::optional<IkePhase2Result> IkeAcceptPhase2Reply(const IsakmpSaPayload& reply,
                                                    const IkePhase2Offer& offered,
                                                    std::string* reason = nullptr);

/**
 * RESPONDER-LIFETIME (RFC 2407 4.6.3.1): a notification, protocol and SPI of the responder's
 * inbound SA of the first protocol of the set, data: the attributes SA life type / duration
 * for seconds and kilobytes (only those given, non-zero).
 */
IsakmpNotificationPayload IkeResponderLifetimeNotify(uint8_t protocol, uint32_t spi,
                                                     uint32_t seconds, uint64_t kilobytes);

/** Reads a RESPONDER-LIFETIME notification's data; fields stay 0 when absent or malformed. */
void IkeReadResponderLifetime(const IsakmpNotificationPayload& n, uint32_t* seconds,
                              uint64_t* kilobytes);

/** IOS-style one-line description of a phase-2 proposal, e.g. "esp-3des esp-sha-hmac". */
std::string IkeDescribePhase2Proposal(const IsakmpSaPayload& offer, uint8_t proposalNumber);

} // namespace ns3

#endif
