#include "ns3/isakmp-hash-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpHashPayload);

using namespace isakmp_wire;

IsakmpHashPayload::IsakmpHashPayload() = default;

IsakmpHashPayload::IsakmpHashPayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpHashPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpHashPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpHashPayload>();
    return tid;
}

TypeId
IsakmpHashPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpHashPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_HASH;
}

std::unique_ptr<IsakmpPayload>
IsakmpHashPayload::Clone() const
{
    return std::make_unique<IsakmpHashPayload>(*this);
}

} // namespace ns3
