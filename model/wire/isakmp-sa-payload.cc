#include "ns3/isakmp-sa-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpSaPayload);

using namespace isakmp_wire;

// --- IsakmpSaPayload ---------------------------------------------------------------------

IsakmpSaPayload::IsakmpSaPayload() : m_doi(ISAKMP_DOI_IPSEC), m_situation(ISAKMP_SIT_IDENTITY_ONLY)
{
}

IsakmpSaPayload::~IsakmpSaPayload() = default;

TypeId
IsakmpSaPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpSaPayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpSaPayload>();
    return tid;
}

TypeId
IsakmpSaPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpSaPayload::Print(std::ostream& os) const
{
    os << "SA doi=" << m_doi << " sit=" << m_situation << " {";
    for (size_t k = 0; k < m_proposals.size(); ++k)
    {
        os << (k ? " " : "");
        m_proposals[k].Print(os);
    }
    os << "}";
}

uint8_t
IsakmpSaPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_SA;
}

std::unique_ptr<IsakmpPayload>
IsakmpSaPayload::Clone() const
{
    return std::make_unique<IsakmpSaPayload>(*this);
}

uint32_t
IsakmpSaPayload::GetBodySize() const
{
    uint32_t n = 8;
    for (const auto& p : m_proposals)
    {
        n += p.GetSerializedSize();
    }
    return n;
}

void
IsakmpSaPayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.4: "Domain of Interpretation (4 octets) - Identifies the DOI (as described in
    // Section 2.1) under which this negotiation is taking place."
    i.WriteHtonU32(m_doi);
    // "Situation (variable length) - A DOI-specific field that identifies the situation under
    // which this negotiation is taking place." RFC 2407 4.2: a 32-bit bitmask.
    i.WriteHtonU32(m_situation);
    // RFC 2408 3.5, Next Payload: "This field MUST only contain the value "2" or "0". If there
    // are additional Proposal payloads in the message, then this field will be 2. If the current
    // Proposal payload is the last within the security association proposal, then this field
    // will be 0."
    for (size_t k = 0; k < m_proposals.size(); ++k)
    {
        m_proposals[k].SerializeWithNext(i, k + 1 < m_proposals.size() ? ISAKMP_PAYLOAD_PROPOSAL
                                                                       : ISAKMP_PAYLOAD_NONE);
    }
}

IsakmpParseStatus
IsakmpSaPayload::ParseBody(const uint8_t* body, size_t len)
{
    m_proposals.clear();
    if (len < 8)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "SA payload needs DOI and Situation (8 bytes), has " +
                                std::to_string(len));
    }
    m_doi = Be32(body);           // RFC 2408 3.4, Domain of Interpretation
    m_situation = Be32(body + 4); // Situation (RFC 2407 4.6.1: 4 octets in the IPsec DOI)
    if (m_doi != ISAKMP_DOI_IPSEC)
    {
        // RFC 2408 5.4: "Determine if the Domain of Interpretation (DOI) is supported. If the
        // DOI determination fails, the message is discarded and ... DOI-NOT-SUPPORTED".
        return Status::Fail(Status::UNSUPPORTED, ISAKMP_NOTIFY_DOI_NOT_SUPPORTED, 4,
                            "DOI " + std::to_string(m_doi) + " (only the IPsec DOI, 1)");
    }
    if (m_situation & ~uint32_t(ISAKMP_SIT_IDENTITY_ONLY))
    {
        // RFC 2407 4.6.1: SIT_SECRECY and SIT_INTEGRITY add labelled-domain fields; RFC 2408
        // 5.4: "SITUATION-NOT-SUPPORTED".
        return Status::Fail(Status::UNSUPPORTED, ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED, 8,
                            "situation 0x" + Hex(Bytes(body + 4, body + 8)) +
                                " (only SIT_IDENTITY_ONLY)");
    }
    if (len == 8)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 12,
                            "SA payload without a proposal");
    }
    Status s = ParseChain(body + 8, len - 8, ISAKMP_PAYLOAD_PROPOSAL, MAX_PROPOSALS, m_proposals,
                          "proposal");
    return Shift(s, GENERIC_HEADER_SIZE + 8);
}

void
IsakmpSaPayload::SetDoi(uint32_t doi)
{
    m_doi = doi;
}

uint32_t
IsakmpSaPayload::GetDoi() const
{
    return m_doi;
}

void
IsakmpSaPayload::SetSituation(uint32_t situation)
{
    m_situation = situation;
}

uint32_t
IsakmpSaPayload::GetSituation() const
{
    return m_situation;
}

IsakmpProposal&
IsakmpSaPayload::AddProposal(const IsakmpProposal& p)
{
    m_proposals.push_back(p);
    return m_proposals.back();
}

const std::vector<IsakmpProposal>&
IsakmpSaPayload::GetProposals() const
{
    return m_proposals;
}

} // namespace ns3
