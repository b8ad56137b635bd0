#include "ns3/isakmp-sig-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpSignaturePayload);

using namespace isakmp_wire;

IsakmpSignaturePayload::IsakmpSignaturePayload() = default;

IsakmpSignaturePayload::IsakmpSignaturePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpSignaturePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpSignaturePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpSignaturePayload>();
    return tid;
}

TypeId
IsakmpSignaturePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpSignaturePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_SIGNATURE;
}

std::unique_ptr<IsakmpPayload>
IsakmpSignaturePayload::Clone() const
{
    return std::make_unique<IsakmpSignaturePayload>(*this);
}

} // namespace ns3
