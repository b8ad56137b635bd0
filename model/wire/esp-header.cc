#include "ns3/esp-header.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspHeader");

NS_OBJECT_ENSURE_REGISTERED(EspHeader);

EspHeader::EspHeader() : m_spi(0), m_sequenceNumber(0)
{
}

EspHeader::~EspHeader() = default;

TypeId
EspHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EspHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<EspHeader>();
    return tid;
}

TypeId
EspHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
EspHeader::Print(std::ostream& os) const
{
    os << "spi=0x" << std::hex << m_spi << std::dec << " seq=" << m_sequenceNumber;
}

uint32_t
EspHeader::GetSerializedSize() const
{
    return SIZE;
}

void
EspHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // RFC 4303 2.1: "The SPI is an arbitrary 32-bit value that is used by a receiver to
    // identify the SA to which an incoming packet is bound."
    i.WriteHtonU32(m_spi);
    // RFC 4303 2.2: "This unsigned 32-bit field contains a counter value that increases by
    // one for each packet sent, i.e., a per-SA packet sequence number."
    i.WriteHtonU32(m_sequenceNumber);
}

uint32_t
EspHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_spi = i.ReadNtohU32();            // RFC 4303 2.1, Security Parameters Index
    m_sequenceNumber = i.ReadNtohU32(); // RFC 4303 2.2, Sequence Number
    return SIZE;
}

void
EspHeader::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
EspHeader::GetSpi() const
{
    return m_spi;
}

void
EspHeader::SetSequenceNumber(uint32_t seq)
{
    m_sequenceNumber = seq;
}

uint32_t
EspHeader::GetSequenceNumber() const
{
    return m_sequenceNumber;
}

void
EspHeader::WriteTo(uint8_t* out, uint32_t spi, uint32_t sequenceNumber)
{
    for (int k = 0; k < 4; ++k)
    {
        out[k] = static_cast<uint8_t>(spi >> (24 - 8 * k));
        out[4 + k] = static_cast<uint8_t>(sequenceNumber >> (24 - 8 * k));
    }
}

uint32_t
EspHeader::ReadSequenceNumber(const uint8_t* in)
{
    return (uint32_t(in[4]) << 24) | (uint32_t(in[5]) << 16) | (uint32_t(in[6]) << 8) | in[7];
}

} // namespace ns3
