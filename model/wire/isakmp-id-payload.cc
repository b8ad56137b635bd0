#include "ns3/isakmp-id-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpIdPayload);

using namespace isakmp_wire;

// --- IsakmpIdPayload ---------------------------------------------------------------------

IsakmpIdPayload::IsakmpIdPayload() : m_idType(ISAKMP_ID_IPV4_ADDR), m_protocol(0), m_port(0)
{
}

IsakmpIdPayload::~IsakmpIdPayload() = default;

TypeId
IsakmpIdPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpIdPayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpIdPayload>();
    return tid;
}

TypeId
IsakmpIdPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpIdPayload::Print(std::ostream& os) const
{
    os << "ID type=" << static_cast<uint32_t>(m_idType)
       << " proto=" << static_cast<uint32_t>(m_protocol) << " port=" << m_port << " ";
    auto addr = GetIpv4Address();
    switch (addr ? m_idType : 0)
    {
    case ISAKMP_ID_IPV4_ADDR:
        os << *addr;
        break;
    case ISAKMP_ID_IPV4_ADDR_SUBNET:
        os << *addr << "/" << GetIpv4Mask()->GetPrefixLength();
        break;
    case ISAKMP_ID_IPV4_ADDR_RANGE:
        os << *addr << "-" << *GetIpv4RangeEnd();
        break;
    case ISAKMP_ID_FQDN:
    case ISAKMP_ID_USER_FQDN:
        os << GetDataString();
        break;
    default:
        os << Hex(m_data);
    }
}

uint8_t
IsakmpIdPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_IDENTIFICATION;
}

std::unique_ptr<IsakmpPayload>
IsakmpIdPayload::Clone() const
{
    return std::make_unique<IsakmpIdPayload>(*this);
}

uint32_t
IsakmpIdPayload::GetBodySize() const
{
    return 4 + static_cast<uint32_t>(m_data.size());
}

void
IsakmpIdPayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2407 4.6.2: "Identification Type (1 octet) - Specifies the type of Identification
    // being used."
    i.WriteU8(m_idType);
    // "Protocol ID (1 octet) - Specifies the IP protocol ID (e.g. UDP/TCP)."
    i.WriteU8(m_protocol);
    // "Port (2 octets) - Specifies the port number."
    i.WriteHtonU16(m_port);
    // "Identification Data (variable length) - Value, as indicated by the Identification Type."
    WriteBytes(i, m_data);
}

IsakmpParseStatus
IsakmpIdPayload::ParseBody(const uint8_t* body, size_t len)
{
    m_data.clear();
    if (len < 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "ID payload needs 4 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_idType = body[0];      // RFC 2407 4.6.2, Identification Type
    m_protocol = body[1];    // Protocol ID
    m_port = Be16(body + 2); // Port
    m_data.assign(body + 4, body + len);
    size_t need = 0;
    switch (m_idType)
    {
    case ISAKMP_ID_IPV4_ADDR:
        need = 4; // RFC 2407 4.6.2.2: "a single four (4) octet IPv4 address"
        break;
    case ISAKMP_ID_IPV4_ADDR_SUBNET:
    case ISAKMP_ID_IPV4_ADDR_RANGE:
        need = 8; // 4.6.2.5 / 4.6.2.8: two four-octet values
        break;
    case ISAKMP_ID_IPV6_ADDR:
        need = 16;
        break;
    case ISAKMP_ID_IPV6_ADDR_SUBNET:
    case ISAKMP_ID_IPV6_ADDR_RANGE:
        need = 32;
        break;
    default:
        break;
    }
    if (need != 0 && m_data.size() != need)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_INVALID_ID_INFORMATION, 8,
                            "ID type " + std::to_string(m_idType) + " needs " +
                                std::to_string(need) + " bytes of data, has " +
                                std::to_string(m_data.size()));
    }
    return Status::Success();
}

namespace
{

void
AppendAddress(Bytes& v, Ipv4Address a)
{
    uint8_t b[4];
    a.Serialize(b);
    v.insert(v.end(), b, b + 4);
}

} // namespace

IsakmpIdPayload
IsakmpIdPayload::Ipv4(Ipv4Address addr, uint8_t protocol, uint16_t port)
{
    IsakmpIdPayload id;
    id.m_idType = ISAKMP_ID_IPV4_ADDR;
    id.m_protocol = protocol;
    id.m_port = port;
    AppendAddress(id.m_data, addr);
    return id;
}

IsakmpIdPayload
IsakmpIdPayload::Ipv4Subnet(Ipv4Address net, Ipv4Mask mask, uint8_t protocol, uint16_t port)
{
    IsakmpIdPayload id;
    id.m_idType = ISAKMP_ID_IPV4_ADDR_SUBNET;
    id.m_protocol = protocol;
    id.m_port = port;
    // RFC 2407 4.6.2.5: "the first value is an IPv4 address. The second is an IPv4 network mask."
    AppendAddress(id.m_data, net);
    AppendAddress(id.m_data, Ipv4Address(mask.Get()));
    return id;
}

IsakmpIdPayload
IsakmpIdPayload::Ipv4Range(Ipv4Address first, Ipv4Address last, uint8_t protocol, uint16_t port)
{
    IsakmpIdPayload id;
    id.m_idType = ISAKMP_ID_IPV4_ADDR_RANGE;
    id.m_protocol = protocol;
    id.m_port = port;
    // RFC 2407 4.6.2.8: "The first value is the beginning IPv4 address (inclusive) and the
    // second value is the ending IPv4 address (inclusive)."
    AppendAddress(id.m_data, first);
    AppendAddress(id.m_data, last);
    return id;
}

IsakmpIdPayload
IsakmpIdPayload::Fqdn(const std::string& name, uint8_t protocol, uint16_t port)
{
    IsakmpIdPayload id;
    id.m_idType = ISAKMP_ID_FQDN;
    id.m_protocol = protocol;
    id.m_port = port;
    // RFC 2407 4.6.2.3: "a fully-qualified domain name string ... There is not any terminator
    // character (e.g. NULL, CR, etc.)."
    id.m_data.assign(name.begin(), name.end());
    return id;
}

void
IsakmpIdPayload::SetIdType(uint8_t type)
{
    m_idType = type;
}

uint8_t
IsakmpIdPayload::GetIdType() const
{
    return m_idType;
}

void
IsakmpIdPayload::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpIdPayload::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpIdPayload::SetPort(uint16_t port)
{
    m_port = port;
}

uint16_t
IsakmpIdPayload::GetPort() const
{
    return m_port;
}

void
IsakmpIdPayload::SetData(const std::vector<uint8_t>& data)
{
    m_data = data;
}

const std::vector<uint8_t>&
IsakmpIdPayload::GetData() const
{
    return m_data;
}

std::optional<Ipv4Address>
IsakmpIdPayload::GetIpv4Address() const
{
    bool v4 = m_idType == ISAKMP_ID_IPV4_ADDR || m_idType == ISAKMP_ID_IPV4_ADDR_SUBNET ||
              m_idType == ISAKMP_ID_IPV4_ADDR_RANGE;
    if (!v4 || m_data.size() < 4)
    {
        return std::nullopt;
    }
    return Ipv4Address::Deserialize(m_data.data());
}

std::optional<Ipv4Mask>
IsakmpIdPayload::GetIpv4Mask() const
{
    if (m_idType != ISAKMP_ID_IPV4_ADDR_SUBNET || m_data.size() < 8)
    {
        return std::nullopt;
    }
    return Ipv4Mask(Be32(m_data.data() + 4));
}

std::optional<Ipv4Address>
IsakmpIdPayload::GetIpv4RangeEnd() const
{
    if (m_idType != ISAKMP_ID_IPV4_ADDR_RANGE || m_data.size() < 8)
    {
        return std::nullopt;
    }
    return Ipv4Address::Deserialize(m_data.data() + 4);
}

std::string
IsakmpIdPayload::GetDataString() const
{
    return std::string(m_data.begin(), m_data.end());
}

} // namespace ns3
