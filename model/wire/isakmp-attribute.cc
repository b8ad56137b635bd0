#include "ns3/isakmp-attribute.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

using namespace isakmp_wire;

// --- IsakmpAttribute ---------------------------------------------------------------------

IsakmpAttribute::IsakmpAttribute() : m_type(0), m_basic(true), m_value(2, 0)
{
}

IsakmpAttribute
IsakmpAttribute::Basic(uint16_t type, uint16_t value)
{
    NS_ABORT_MSG_IF(type & 0x8000, "ISAKMP attribute type " << type << " does not fit 15 bits");
    IsakmpAttribute a;
    a.m_type = type;
    a.m_basic = true;
    a.m_value = {static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
    return a;
}

IsakmpAttribute
IsakmpAttribute::Variable(uint16_t type, const std::vector<uint8_t>& value)
{
    NS_ABORT_MSG_IF(type & 0x8000, "ISAKMP attribute type " << type << " does not fit 15 bits");
    NS_ABORT_MSG_IF(value.size() > 0xffff,
                    "ISAKMP attribute value of " << value.size() << " bytes does not fit");
    IsakmpAttribute a;
    a.m_type = type;
    a.m_basic = false;
    a.m_value = value;
    return a;
}

IsakmpAttribute
IsakmpAttribute::Integer(uint16_t type, uint64_t value)
{
    // RFC 2409 Appendix A: "Variable length attributes (V) MAY be encoded as basic attributes
    // if their value can fit into two octets."
    if (value <= 0xffff)
    {
        return Basic(type, static_cast<uint16_t>(value));
    }
    size_t n = value <= 0xffffffffULL ? 4 : 8;
    std::vector<uint8_t> bytes(n);
    for (size_t k = 0; k < n; ++k)
    {
        bytes[k] = static_cast<uint8_t>(value >> (8 * (n - 1 - k)));
    }
    return Variable(type, bytes);
}

uint16_t
IsakmpAttribute::GetType() const
{
    return m_type;
}

bool
IsakmpAttribute::IsBasic() const
{
    return m_basic;
}

const std::vector<uint8_t>&
IsakmpAttribute::GetValue() const
{
    return m_value;
}

std::optional<uint64_t>
IsakmpAttribute::GetInteger() const
{
    if (m_value.empty() || m_value.size() > 8)
    {
        return std::nullopt;
    }
    uint64_t v = 0;
    for (uint8_t b : m_value)
    {
        v = (v << 8) | b;
    }
    return v;
}

uint32_t
IsakmpAttribute::GetSerializedSize() const
{
    return m_basic ? 4 : 4 + static_cast<uint32_t>(m_value.size());
}

void
IsakmpAttribute::Serialize(Buffer::Iterator& i) const
{
    // RFC 2408 3.3: "Attribute Type (2 octets) - ... The most significant bit, or Attribute
    // Format (AF), indicates whether the data attributes follow the Type/Length/Value (TLV)
    // format or a shortened Type/Value (TV) format."
    i.WriteHtonU16(static_cast<uint16_t>((m_basic ? 0x8000 : 0) | m_type));
    if (m_basic)
    {
        // "If the AF bit is a one (1), then the Attribute Value is only 2 octets and the
        // Attribute Length field is not present."
        i.Write(m_value.data(), 2);
    }
    else
    {
        // "Attribute Length (2 octets) - Length in octets of the Attribute Value."
        i.WriteHtonU16(static_cast<uint16_t>(m_value.size()));
        WriteBytes(i, m_value);
    }
}

IsakmpParseStatus
IsakmpAttribute::Parse(const uint8_t* data, size_t len, size_t* used)
{
    if (len < 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0,
                            "SA attribute needs 4 bytes, " + std::to_string(len) + " left");
    }
    uint16_t t = Be16(data);
    m_basic = (t & 0x8000) != 0;
    m_type = t & 0x7fff;
    if (m_basic)
    {
        m_value.assign(data + 2, data + 4);
        *used = 4;
        return Status::Success();
    }
    uint16_t l = Be16(data + 2);
    if (l > len - 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                            "SA attribute " + std::to_string(m_type) + " Attribute Length " +
                                std::to_string(l) + " exceeds the " + std::to_string(len - 4) +
                                " bytes left");
    }
    m_value.assign(data + 4, data + 4 + l);
    *used = 4 + l;
    return Status::Success();
}

bool
IsakmpAttribute::operator==(const IsakmpAttribute& o) const
{
    return m_type == o.m_type && m_basic == o.m_basic && m_value == o.m_value;
}

} // namespace ns3
