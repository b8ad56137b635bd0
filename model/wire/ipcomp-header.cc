#include "ns3/ipcomp-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpcompHeader");

NS_OBJECT_ENSURE_REGISTERED(IpcompHeader);

IpcompHeader::IpcompHeader() : m_nextHeader(0), m_flags(0), m_cpi(0)
{
}

IpcompHeader::~IpcompHeader() = default;

TypeId
IpcompHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpcompHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpcompHeader>();
    return tid;
}

TypeId
IpcompHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IpcompHeader::Print(std::ostream& os) const
{
    os << "next=" << static_cast<uint32_t>(m_nextHeader)
       << " flags=" << static_cast<uint32_t>(m_flags) << " cpi=" << m_cpi;
}

uint32_t
IpcompHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IpcompHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // RFC 3173 2.1: "Next Header: 8-bit selector. Stores the IPv4 Protocol field or the IPv6
    // Next Header field of the original IP header."
    i.WriteU8(m_nextHeader);
    // RFC 3173 2.1: "Flags: 8-bit field. Reserved for future use. MUST be set to zero. MUST be
    // ignored by the receiving node."
    i.WriteU8(m_flags);
    // RFC 3173 2.1: "CPI: 16-bit index. The CPI is stored in network order."
    i.WriteHtonU16(m_cpi);
}

uint32_t
IpcompHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_nextHeader = i.ReadU8(); // RFC 3173 2.1, Next Header
    m_flags = i.ReadU8();      // RFC 3173 2.1, Flags (ignored)
    m_cpi = i.ReadNtohU16();   // RFC 3173 2.1, Compression Parameter Index
    return SIZE;
}

void
IpcompHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
IpcompHeader::GetNextHeader() const
{
    return m_nextHeader;
}

void
IpcompHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
IpcompHeader::GetFlags() const
{
    return m_flags;
}

void
IpcompHeader::SetCpi(uint16_t cpi)
{
    m_cpi = cpi;
}

uint16_t
IpcompHeader::GetCpi() const
{
    return m_cpi;
}

} // namespace ns3
