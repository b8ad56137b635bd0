#include "ns3/isakmp-delete-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpDeletePayload);

using namespace isakmp_wire;

// --- IsakmpDeletePayload -----------------------------------------------------------------

IsakmpDeletePayload::IsakmpDeletePayload()
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(ISAKMP_PROTO_IPSEC_ESP), m_spiSize(4)
{
}

IsakmpDeletePayload::IsakmpDeletePayload(uint8_t protocol, uint8_t spiSize)
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(protocol), m_spiSize(spiSize)
{
}

IsakmpDeletePayload::~IsakmpDeletePayload() = default;

TypeId
IsakmpDeletePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpDeletePayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpDeletePayload>();
    return tid;
}

TypeId
IsakmpDeletePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpDeletePayload::Print(std::ostream& os) const
{
    os << "D proto=" << static_cast<uint32_t>(m_protocol) << " spis=";
    for (size_t k = 0; k < m_spis.size(); ++k)
    {
        os << (k ? "," : "") << Hex(m_spis[k]);
    }
}

uint8_t
IsakmpDeletePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_DELETE;
}

std::unique_ptr<IsakmpPayload>
IsakmpDeletePayload::Clone() const
{
    return std::make_unique<IsakmpDeletePayload>(*this);
}

uint32_t
IsakmpDeletePayload::GetBodySize() const
{
    return 8 + static_cast<uint32_t>(m_spis.size()) * m_spiSize;
}

void
IsakmpDeletePayload::SerializeBody(Buffer::Iterator& i) const
{
    NS_ABORT_MSG_IF(m_spis.size() > 0xffff, "more than 65535 SPIs in a Delete payload");
    // RFC 2408 3.15: "Domain of Interpretation (4 octets) - Identifies the DOI (as described in
    // Section 2.1) under which this deletion is taking place."
    i.WriteHtonU32(m_doi);
    // "Protocol-Id (1 octet) - ISAKMP can establish security associations for various protocols,
    // including ISAKMP and IPSEC. This field identifies which security association database to
    // apply the delete request."
    i.WriteU8(m_protocol);
    // "SPI Size (1 octet) - Length in octets of the SPI as defined by the Protocol-Id. In the
    // case of ISAKMP, the Initiator and Responder cookie pair is the ISAKMP SPI. In this case,
    // the SPI Size would be 16 octets for each SPI being deleted."
    i.WriteU8(m_spiSize);
    // "# of SPIs (2 octets) - The number of SPIs contained in the Delete payload."
    i.WriteHtonU16(static_cast<uint16_t>(m_spis.size()));
    // "Security Parameter Index(es) (variable length) - Identifies the specific security
    // association(s) to delete."
    for (const auto& spi : m_spis)
    {
        WriteBytes(i, spi);
    }
}

IsakmpParseStatus
IsakmpDeletePayload::ParseBody(const uint8_t* body, size_t len)
{
    m_spis.clear();
    if (len < 8)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "delete needs 8 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_doi = Be32(body);          // RFC 2408 3.15, Domain of Interpretation
    m_protocol = body[4];        // Protocol-Id
    m_spiSize = body[5];         // SPI Size
    uint16_t n = Be16(body + 6); // # of SPIs
    // "The length of this field is determined by the SPI Size and # of SPIs fields."
    if (size_t(m_spiSize) * n != len - 8 || (m_spiSize == 0 && n != 0))
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 10,
                            std::to_string(n) + " SPIs of " + std::to_string(m_spiSize) +
                                " bytes in a delete body of " + std::to_string(len - 8) +
                                " bytes after the fixed fields");
    }
    for (uint16_t k = 0; k < n; ++k)
    {
        const uint8_t* p = body + 8 + size_t(k) * m_spiSize;
        m_spis.emplace_back(p, p + m_spiSize);
    }
    return Status::Success();
}

void
IsakmpDeletePayload::SetDoi(uint32_t doi)
{
    m_doi = doi;
}

uint32_t
IsakmpDeletePayload::GetDoi() const
{
    return m_doi;
}

void
IsakmpDeletePayload::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpDeletePayload::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpDeletePayload::SetSpiSize(uint8_t size)
{
    NS_ABORT_MSG_IF(!m_spis.empty() && size != m_spiSize,
                    "changing the SPI Size of a Delete payload that holds SPIs");
    m_spiSize = size;
}

uint8_t
IsakmpDeletePayload::GetSpiSize() const
{
    return m_spiSize;
}

void
IsakmpDeletePayload::AddSpi(const std::vector<uint8_t>& spi)
{
    NS_ABORT_MSG_IF(spi.size() != m_spiSize, "SPI of " << spi.size()
                                                       << " bytes in a Delete payload of SPI Size "
                                                       << static_cast<uint32_t>(m_spiSize));
    m_spis.push_back(spi);
}

void
IsakmpDeletePayload::AddSpi32(uint32_t spi)
{
    AddSpi({static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
            static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi)});
}

const std::vector<std::vector<uint8_t>>&
IsakmpDeletePayload::GetSpis() const
{
    return m_spis;
}

} // namespace ns3
