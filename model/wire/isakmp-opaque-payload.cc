#include "ns3/isakmp-opaque-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpOpaquePayload);

using namespace isakmp_wire;

// --- IsakmpOpaquePayload and its one-field payloads ---------------------------------------

IsakmpOpaquePayload::IsakmpOpaquePayload() = default;

IsakmpOpaquePayload::~IsakmpOpaquePayload() = default;

TypeId
IsakmpOpaquePayload::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IsakmpOpaquePayload").SetParent<IsakmpPayload>().SetGroupName("Ipsec");
    return tid;
}

void
IsakmpOpaquePayload::Print(std::ostream& os) const
{
    os << IsakmpPayloadTypeName(GetPayloadType()) << " " << Hex(m_data);
}

uint32_t
IsakmpOpaquePayload::GetBodySize() const
{
    return static_cast<uint32_t>(m_data.size());
}

void
IsakmpOpaquePayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.7 "Key Exchange Data", 3.11 "Hash Data", 3.12 "Signature Data", 3.13 "Nonce
    // Data", 3.16 "Vendor ID (VID) (variable length)": one field filling the payload.
    WriteBytes(i, m_data);
}

IsakmpParseStatus
IsakmpOpaquePayload::ParseBody(const uint8_t* body, size_t len)
{
    Status s = CheckDataLength(len);
    if (!s.Ok())
    {
        m_data.clear();
        return s;
    }
    m_data.assign(body, body + len);
    return s;
}

IsakmpParseStatus
IsakmpOpaquePayload::CheckDataLength(size_t len) const
{
    if (len == 0)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                            std::string(IsakmpPayloadTypeName(GetPayloadType())) +
                                " payload without data");
    }
    return Status::Success();
}

void
IsakmpOpaquePayload::SetData(const std::vector<uint8_t>& data)
{
    m_data = data;
}

const std::vector<uint8_t>&
IsakmpOpaquePayload::GetData() const
{
    return m_data;
}

} // namespace ns3
