#include "ns3/isakmp-transform-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpTransform);

using namespace isakmp_wire;

// --- IsakmpTransform ---------------------------------------------------------------------

IsakmpTransform::IsakmpTransform() : m_number(1), m_id(0)
{
}

IsakmpTransform::IsakmpTransform(uint8_t number, uint8_t id) : m_number(number), m_id(id)
{
}

IsakmpTransform::~IsakmpTransform() = default;

TypeId
IsakmpTransform::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpTransform")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpTransform>();
    return tid;
}

TypeId
IsakmpTransform::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpTransform::Print(std::ostream& os) const
{
    os << "T#" << static_cast<uint32_t>(m_number) << " id=" << static_cast<uint32_t>(m_id);
    for (const auto& a : m_attributes)
    {
        os << " " << a.GetType() << "=";
        auto v = a.GetInteger();
        if (v)
        {
            os << *v;
        }
        else
        {
            os << Hex(a.GetValue());
        }
    }
}

uint8_t
IsakmpTransform::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_TRANSFORM;
}

std::unique_ptr<IsakmpPayload>
IsakmpTransform::Clone() const
{
    return std::make_unique<IsakmpTransform>(*this);
}

uint32_t
IsakmpTransform::GetBodySize() const
{
    uint32_t n = 4;
    for (const auto& a : m_attributes)
    {
        n += a.GetSerializedSize();
    }
    return n;
}

void
IsakmpTransform::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.6: "Transform # (1 octet) - Identifies the Transform number for the current
    // payload."
    i.WriteU8(m_number);
    // "Transform-Id (1 octet) - Specifies the Transform identifier for the protocol within the
    // current proposal."
    i.WriteU8(m_id);
    // "RESERVED2 (2 octets) - Unused, set to 0."
    i.WriteHtonU16(0);
    // "SA Attributes (variable length) - This field contains the security association
    // attributes as defined for the transform given in the Transform-Id field."
    for (const auto& a : m_attributes)
    {
        a.Serialize(i);
    }
}

IsakmpParseStatus
IsakmpTransform::ParseBody(const uint8_t* body, size_t len)
{
    m_attributes.clear();
    if (len < 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "transform needs 4 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_number = body[0]; // RFC 2408 3.6, Transform #
    m_id = body[1];     // Transform-Id; body[2..3] is RESERVED2
    size_t off = 4;
    while (off < len)
    {
        if (m_attributes.size() >= MAX_ATTRIBUTES)
        {
            return Status::Fail(Status::TOO_MANY_PAYLOADS, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4 + off,
                                "more than " + std::to_string(MAX_ATTRIBUTES) +
                                    " attributes in a transform");
        }
        IsakmpAttribute a;
        size_t used = 0;
        Status s = a.Parse(body + off, len - off, &used);
        if (!s.Ok())
        {
            return Shift(s, 4 + off);
        }
        m_attributes.push_back(std::move(a));
        off += used;
    }
    return Status::Success();
}

void
IsakmpTransform::SetTransformNumber(uint8_t number)
{
    m_number = number;
}

uint8_t
IsakmpTransform::GetTransformNumber() const
{
    return m_number;
}

void
IsakmpTransform::SetTransformId(uint8_t id)
{
    m_id = id;
}

uint8_t
IsakmpTransform::GetTransformId() const
{
    return m_id;
}

IsakmpTransform&
IsakmpTransform::AddAttribute(const IsakmpAttribute& attr)
{
    m_attributes.push_back(attr);
    return *this;
}

const std::vector<IsakmpAttribute>&
IsakmpTransform::GetAttributes() const
{
    return m_attributes;
}

const IsakmpAttribute*
IsakmpTransform::FindAttribute(uint16_t type) const
{
    for (const auto& a : m_attributes)
    {
        if (a.GetType() == type)
        {
            return &a;
        }
    }
    return nullptr;
}

std::optional<uint64_t>
IsakmpTransform::GetAttributeValue(uint16_t type) const
{
    const IsakmpAttribute* a = FindAttribute(type);
    return a ? a->GetInteger() : std::nullopt;
}

} // namespace ns3
