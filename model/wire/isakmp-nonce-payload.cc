#include "ns3/isakmp-nonce-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpNoncePayload);

using namespace isakmp_wire;

IsakmpNoncePayload::IsakmpNoncePayload() = default;

IsakmpNoncePayload::IsakmpNoncePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpNoncePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpNoncePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpNoncePayload>();
    return tid;
}

TypeId
IsakmpNoncePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpNoncePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_NONCE;
}

std::unique_ptr<IsakmpPayload>
IsakmpNoncePayload::Clone() const
{
    return std::make_unique<IsakmpNoncePayload>(*this);
}

IsakmpParseStatus
IsakmpNoncePayload::CheckDataLength(size_t len) const
{
    // RFC 2409 5: "The length of nonce payload MUST be between 8 and 256 bytes inclusive."
    if (len < MIN_NONCE || len > MAX_NONCE)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                            "nonce of " + std::to_string(len) + " bytes (RFC 2409: 8 to 256)");
    }
    return Status::Success();
}

} // namespace ns3
