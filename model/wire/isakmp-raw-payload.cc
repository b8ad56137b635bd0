#include "ns3/isakmp-raw-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpRawPayload);

using namespace isakmp_wire;

// --- IsakmpRawPayload --------------------------------------------------------------------

IsakmpRawPayload::IsakmpRawPayload() : m_type(ISAKMP_PAYLOAD_NONE)
{
}

IsakmpRawPayload::IsakmpRawPayload(uint8_t type, const std::vector<uint8_t>& body) : m_type(type)
{
    m_data = body;
}

TypeId
IsakmpRawPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpRawPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpRawPayload>();
    return tid;
}

TypeId
IsakmpRawPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpRawPayload::Print(std::ostream& os) const
{
    os << "raw(" << static_cast<uint32_t>(m_type) << ") " << Hex(m_data);
}

uint8_t
IsakmpRawPayload::GetPayloadType() const
{
    return m_type;
}

std::unique_ptr<IsakmpPayload>
IsakmpRawPayload::Clone() const
{
    return std::make_unique<IsakmpRawPayload>(*this);
}

void
IsakmpRawPayload::SetPayloadType(uint8_t type)
{
    m_type = type;
}

IsakmpParseStatus
IsakmpRawPayload::CheckDataLength(size_t len) const
{
    return Status::Success();
}

} // namespace ns3
