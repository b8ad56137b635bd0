#include "ns3/isakmp-ke-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpKeyExchangePayload);

using namespace isakmp_wire;

IsakmpKeyExchangePayload::IsakmpKeyExchangePayload() = default;

IsakmpKeyExchangePayload::IsakmpKeyExchangePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpKeyExchangePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpKeyExchangePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpKeyExchangePayload>();
    return tid;
}

TypeId
IsakmpKeyExchangePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpKeyExchangePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_KEY_EXCHANGE;
}

std::unique_ptr<IsakmpPayload>
IsakmpKeyExchangePayload::Clone() const
{
    return std::make_unique<IsakmpKeyExchangePayload>(*this);
}

} // namespace ns3
