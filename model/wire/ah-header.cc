#include "ns3/ah-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AhHeader");

NS_OBJECT_ENSURE_REGISTERED(AhHeader);

AhHeader::AhHeader()
    : m_nextHeader(0), m_receivedLen(0), m_reserved(0), m_spi(0), m_sequenceNumber(0), m_valid(true)
{
}

AhHeader::~AhHeader() = default;

TypeId
AhHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::AhHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<AhHeader>();
    return tid;
}

TypeId
AhHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
AhHeader::Print(std::ostream& os) const
{
    os << "next=" << static_cast<uint32_t>(m_nextHeader)
       << " len=" << static_cast<uint32_t>(GetPayloadLen()) << " spi=0x" << std::hex << m_spi
       << std::dec << " seq=" << m_sequenceNumber << " icv=";
    std::ios_base::fmtflags flags = os.flags();
    for (uint8_t b : m_icv)
    {
        os << std::hex << std::setw(2) << std::setfill('0') << static_cast<uint32_t>(b);
    }
    os.flags(flags);
    if (!m_valid)
    {
        os << " (malformed)";
    }
}

uint32_t
AhHeader::GetIcvPadding() const
{
    // RFC 4302 2.6: "This field may include explicit padding, if required to ensure that the
    // length of the AH header is an integral multiple of 32 bits (IPv4) or 64 bits (IPv6)."
    return (4 - (m_icv.size() % 4)) % 4;
}

uint32_t
AhHeader::GetSerializedSize() const
{
    return FIXED_SIZE + static_cast<uint32_t>(m_icv.size()) + GetIcvPadding();
}

uint8_t
AhHeader::GetPayloadLen() const
{
    if (!m_valid)
    {
        return m_receivedLen;
    }
    // RFC 4302 2.2: "This 8-bit field specifies the length of AH in 32-bit words (4-byte
    // units), minus "2"."
    return static_cast<uint8_t>(GetSerializedSize() / 4 - 2);
}

void
AhHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // RFC 4302 2.1: "The Next Header is an 8-bit field that identifies the type of the next
    // payload after the Authentication Header."
    i.WriteU8(m_nextHeader);
    // RFC 4302 2.2: Payload Length, in 32-bit words minus 2.
    i.WriteU8(GetPayloadLen());
    // RFC 4302 2.3: "This 16-bit field is reserved for future use. It MUST be set to "zero" by
    // the sender" (m_reserved is non-zero only when a received header is re-serialized).
    i.WriteHtonU16(m_reserved);
    // RFC 4302 2.4: "The SPI is an arbitrary 32-bit value that is used by a receiver to
    // identify the SA to which an incoming packet is bound."
    i.WriteHtonU32(m_spi);
    // RFC 4302 2.5: "This unsigned 32-bit field contains a counter value that increases by
    // one for each packet sent".
    i.WriteHtonU32(m_sequenceNumber);
    // RFC 4302 2.6: "This is a variable-length field that contains the Integrity Check Value
    // (ICV) for this packet. The field must be an integral multiple of 32 bits".
    for (uint8_t b : m_icv)
    {
        i.WriteU8(b);
    }
    i.WriteU8(0, GetIcvPadding());
}

uint32_t
AhHeader::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_icv.clear();
    m_valid = false;
    uint32_t available = i.GetRemainingSize();
    if (available < FIXED_SIZE)
    {
        NS_LOG_WARN("AH truncated: " << available << " bytes");
        m_nextHeader = m_receivedLen = 0;
        m_reserved = 0;
        m_spi = m_sequenceNumber = 0;
        return 0;
    }
    m_nextHeader = i.ReadU8();          // RFC 4302 2.1, Next Header
    m_receivedLen = i.ReadU8();         // RFC 4302 2.2, Payload Length
    m_reserved = i.ReadNtohU16();       // RFC 4302 2.3, "SHOULD be ignored by the recipient"
    m_spi = i.ReadNtohU32();            // RFC 4302 2.4, SPI
    m_sequenceNumber = i.ReadNtohU32(); // RFC 4302 2.5, Sequence Number

    // RFC 4302 2.6: the ICV fills the rest of the (Payload Len + 2) 32-bit words.
    int32_t icvLength =
        (static_cast<int32_t>(m_receivedLen) + 2) * 4 - static_cast<int32_t>(FIXED_SIZE);
    if (icvLength < 0 || static_cast<uint32_t>(icvLength) > MAX_ICV_LENGTH ||
        static_cast<uint32_t>(icvLength) > available - FIXED_SIZE)
    {
        NS_LOG_WARN("AH Payload Len " << static_cast<uint32_t>(m_receivedLen)
                                      << " gives ICV length " << icvLength << " with "
                                      << available - FIXED_SIZE << " bytes after the header");
        return FIXED_SIZE;
    }
    m_icv.resize(icvLength);
    i.Read(m_icv.data(), icvLength);
    m_valid = true;
    return FIXED_SIZE + icvLength;
}

void
AhHeader::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
AhHeader::GetNextHeader() const
{
    return m_nextHeader;
}

void
AhHeader::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
AhHeader::GetSpi() const
{
    return m_spi;
}

void
AhHeader::SetSequenceNumber(uint32_t seq)
{
    m_sequenceNumber = seq;
}

uint32_t
AhHeader::GetSequenceNumber() const
{
    return m_sequenceNumber;
}

void
AhHeader::SetIcvLength(uint8_t bytes)
{
    m_icv.assign(bytes, 0);
    m_valid = true;
}

void
AhHeader::SetIcv(const std::vector<uint8_t>& icv)
{
    // Payload Len is 8 bits: at most (255 + 2) * 4 - 12 = 1016 bytes of ICV field.
    NS_ABORT_MSG_IF(icv.size() > 1016, "AH ICV of " << icv.size() << " bytes does not fit");
    m_icv = icv;
    m_valid = true;
}

const std::vector<uint8_t>&
AhHeader::GetIcv() const
{
    return m_icv;
}

uint16_t
AhHeader::GetReserved() const
{
    return m_reserved;
}

bool
AhHeader::IsValid() const
{
    return m_valid;
}

} // namespace ns3
