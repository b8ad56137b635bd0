// The Security Association payload (RFC 2408 3.4).
#ifndef IPSEC_ISAKMP_SA_PAYLOAD_H
#define IPSEC_ISAKMP_SA_PAYLOAD_H

#include "ns3/isakmp-proposal-payload.h"

namespace ns3
{

/**
 * @brief Security Association payload (RFC 2408 3.4) in the IPsec DOI (RFC 2407 4.6.1).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !                           Situation                           !
 @endverbatim
 *
 * Only DOI 1 with SIT_IDENTITY_ONLY is parsed; another DOI is UNSUPPORTED (DOI-NOT-SUPPORTED),
 * SIT_SECRECY / SIT_INTEGRITY (which add labelled-domain fields, RFC 2407 4.6.1) are UNSUPPORTED
 * (SITUATION-NOT-SUPPORTED). The proposals follow, chained with Next Payload 2, the last 0.
 */
class IsakmpSaPayload : public IsakmpPayload
{
public:
    /** Most proposals accepted in one SA payload on parsing. */
    static constexpr size_t MAX_PROPOSALS = 64;

    IsakmpSaPayload();
    ~IsakmpSaPayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @param doi the Domain of Interpretation (ISAKMP_DOI_IPSEC by default) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param situation the Situation bitmap (ISAKMP_SIT_IDENTITY_ONLY by default) */
    void SetSituation(uint32_t situation);
    /** @return the Situation */
    uint32_t GetSituation() const;
    /** @brief Append a proposal. @return the stored copy */
    IsakmpProposal& AddProposal(const IsakmpProposal& p);
    /** @return the proposals in wire order */
    const std::vector<IsakmpProposal>& GetProposals() const;

private:
    uint32_t m_doi;                          //!< Domain of Interpretation
    uint32_t m_situation;                    //!< Situation
    std::vector<IsakmpProposal> m_proposals; //!< proposals
};

} // namespace ns3

#endif
