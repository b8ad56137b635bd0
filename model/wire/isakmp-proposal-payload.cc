#include "ns3/isakmp-proposal-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpProposal);

using namespace isakmp_wire;

// --- IsakmpProposal ----------------------------------------------------------------------

IsakmpProposal::IsakmpProposal() : m_number(1), m_protocol(ISAKMP_PROTO_ISAKMP)
{
}

IsakmpProposal::IsakmpProposal(uint8_t number, uint8_t protocol, const std::vector<uint8_t>& spi)
    : m_number(number), m_protocol(protocol)
{
    SetSpi(spi);
}

IsakmpProposal::~IsakmpProposal() = default;

TypeId
IsakmpProposal::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpProposal")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpProposal>();
    return tid;
}

TypeId
IsakmpProposal::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpProposal::Print(std::ostream& os) const
{
    os << "P#" << static_cast<uint32_t>(m_number) << " proto=" << static_cast<uint32_t>(m_protocol)
       << " spi=" << Hex(m_spi) << " [";
    for (size_t k = 0; k < m_transforms.size(); ++k)
    {
        os << (k ? "; " : "");
        m_transforms[k].Print(os);
    }
    os << "]";
}

uint8_t
IsakmpProposal::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_PROPOSAL;
}

std::unique_ptr<IsakmpPayload>
IsakmpProposal::Clone() const
{
    return std::make_unique<IsakmpProposal>(*this);
}

uint32_t
IsakmpProposal::GetBodySize() const
{
    uint32_t n = 4 + static_cast<uint32_t>(m_spi.size());
    for (const auto& t : m_transforms)
    {
        n += t.GetSerializedSize();
    }
    return n;
}

void
IsakmpProposal::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.5: "Proposal # (1 octet) - Identifies the Proposal number for the current
    // payload."
    i.WriteU8(m_number);
    // "Protocol-Id (1 octet) - Specifies the protocol identifier for the current negotiation."
    i.WriteU8(m_protocol);
    // "SPI Size (1 octet) - Length in octets of the SPI as defined by the Protocol-Id."
    i.WriteU8(static_cast<uint8_t>(m_spi.size()));
    // "# of Transforms (1 octet) - Specifies the number of transforms for the Proposal."
    i.WriteU8(static_cast<uint8_t>(m_transforms.size()));
    // "SPI (variable) - The sending entity's SPI."
    WriteBytes(i, m_spi);
    // RFC 2408 3.6, Next Payload: "This field MUST only contain the value "3" or "0". If there
    // are additional Transform payloads in the proposal, then this field will be 3. If the
    // current Transform payload is the last within the proposal, then this field will be 0."
    for (size_t k = 0; k < m_transforms.size(); ++k)
    {
        m_transforms[k].SerializeWithNext(i, k + 1 < m_transforms.size() ? ISAKMP_PAYLOAD_TRANSFORM
                                                                         : ISAKMP_PAYLOAD_NONE);
    }
}

IsakmpParseStatus
IsakmpProposal::ParseBody(const uint8_t* body, size_t len)
{
    m_transforms.clear();
    m_spi.clear();
    if (len < 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "proposal needs 4 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_number = body[0];            // RFC 2408 3.5, Proposal #
    m_protocol = body[1];          // Protocol-Id
    uint8_t spiSize = body[2];     // SPI Size
    uint8_t nTransforms = body[3]; // # of Transforms
    if (4 + size_t(spiSize) > len)
    {
        return Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 6,
                            "proposal SPI Size " + std::to_string(spiSize) + " exceeds the " +
                                std::to_string(len - 4) + " bytes left");
    }
    m_spi.assign(body + 4, body + 4 + spiSize);
    if (nTransforms == 0)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 7,
                            "proposal with 0 transforms");
    }
    size_t at = 4 + spiSize;
    Status s = ParseChain(body + at, len - at, ISAKMP_PAYLOAD_TRANSFORM, MAX_TRANSFORMS,
                          m_transforms, "transform");
    if (!s.Ok())
    {
        return Shift(s, GENERIC_HEADER_SIZE + at);
    }
    if (m_transforms.size() != nTransforms)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 7,
                            "# of Transforms is " + std::to_string(nTransforms) + " but " +
                                std::to_string(m_transforms.size()) + " follow");
    }
    return Status::Success();
}

void
IsakmpProposal::SetProposalNumber(uint8_t number)
{
    m_number = number;
}

uint8_t
IsakmpProposal::GetProposalNumber() const
{
    return m_number;
}

void
IsakmpProposal::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpProposal::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpProposal::SetSpi(const std::vector<uint8_t>& spi)
{
    NS_ABORT_MSG_IF(spi.size() > 255, "proposal SPI of " << spi.size() << " bytes");
    m_spi = spi;
}

void
IsakmpProposal::SetSpi32(uint32_t spi)
{
    m_spi = {static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
             static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi)};
}

const std::vector<uint8_t>&
IsakmpProposal::GetSpi() const
{
    return m_spi;
}

std::optional<uint32_t>
IsakmpProposal::GetSpi32() const
{
    if (m_spi.size() == 4)
    {
        return Be32(m_spi.data());
    }
    if (m_spi.size() == 2)
    {
        return Be16(m_spi.data());
    }
    return std::nullopt;
}

IsakmpTransform&
IsakmpProposal::AddTransform(const IsakmpTransform& t)
{
    NS_ABORT_MSG_IF(m_transforms.size() >= MAX_TRANSFORMS, "more than 255 transforms");
    m_transforms.push_back(t);
    return m_transforms.back();
}

const std::vector<IsakmpTransform>&
IsakmpProposal::GetTransforms() const
{
    return m_transforms;
}

} // namespace ns3
