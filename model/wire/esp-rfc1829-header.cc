#include "ns3/esp-rfc1829-header.h"

#include "ns3/esp-trailer.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspRfc1829Header");

NS_OBJECT_ENSURE_REGISTERED(EspRfc1829Header);

EspRfc1829Header::EspRfc1829Header() : m_spi(0), m_iv(8, 0)
{
}

EspRfc1829Header::~EspRfc1829Header() = default;

TypeId
EspRfc1829Header::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EspRfc1829Header")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<EspRfc1829Header>();
    return tid;
}

TypeId
EspRfc1829Header::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
EspRfc1829Header::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    os << "spi=0x" << std::hex << m_spi << " iv=";
    for (uint8_t b : m_iv)
    {
        os << std::setw(2) << std::setfill('0') << static_cast<uint32_t>(b);
    }
    os.flags(flags);
}

uint32_t
EspRfc1829Header::GetSerializedSize() const
{
    return 4 + static_cast<uint32_t>(m_iv.size());
}

void
EspRfc1829Header::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // RFC 1829 2: "Security Parameters Index (SPI): A 32-bit value identifying the Security
    // Parameters for this datagram. The value MUST NOT be zero."
    i.WriteHtonU32(m_spi);
    // RFC 1829 2: "Initialization Vector (IV): ... Octets are sent in network order (most
    // significant octet first)".
    for (uint8_t b : m_iv)
    {
        i.WriteU8(b);
    }
}

uint32_t
EspRfc1829Header::Deserialize(Buffer::Iterator start)
{
    Buffer::Iterator i = start;
    m_spi = i.ReadNtohU32(); // RFC 1829 2, SPI
    // RFC 1829 2: the IV size "is expected to be indicated by the key management mechanism",
    // so m_iv already has the SA's length.
    i.Read(m_iv.data(), static_cast<uint32_t>(m_iv.size()));
    return GetSerializedSize();
}

void
EspRfc1829Header::SetSpi(uint32_t spi)
{
    m_spi = spi;
}

uint32_t
EspRfc1829Header::GetSpi() const
{
    return m_spi;
}

void
EspRfc1829Header::SetIvLength(uint8_t bytes)
{
    NS_ABORT_MSG_UNLESS(bytes == 4 || bytes == 8,
                        "RFC 1829 IV must be 32 or 64 bits, not " << 8 * bytes);
    m_iv.assign(bytes, 0);
}

uint8_t
EspRfc1829Header::GetIvLength() const
{
    return static_cast<uint8_t>(m_iv.size());
}

void
EspRfc1829Header::SetIv(const std::vector<uint8_t>& iv)
{
    NS_ABORT_MSG_UNLESS(iv.size() == 4 || iv.size() == 8,
                        "RFC 1829 IV must be 4 or 8 bytes, not " << iv.size());
    m_iv = iv;
}

const std::vector<uint8_t>&
EspRfc1829Header::GetIv() const
{
    return m_iv;
}

std::vector<uint8_t>
EspRfc1829Header::GetCbcIv() const
{
    return m_iv.size() == 4 ? Expand32BitIv(m_iv) : m_iv;
}

std::vector<uint8_t>
EspRfc1829Header::Expand32BitIv(const std::vector<uint8_t>& iv32)
{
    NS_ABORT_MSG_UNLESS(iv32.size() == 4, "Expand32BitIv needs 4 bytes, not " << iv32.size());
    // RFC 1829 2: "When the size is 32-bits, a 64-bit IV is formed from the 32-bit value
    // followed by (concatenated with) the bit-wise complement of the 32-bit value."
    std::vector<uint8_t> iv64(iv32);
    for (uint8_t b : iv32)
    {
        iv64.push_back(static_cast<uint8_t>(~b));
    }
    return iv64;
}

uint8_t
EspRfc1829Header::PadLengthFor(uint32_t payloadLen)
{
    // RFC 1829 1.3: "The DES algorithm operates on blocks of eight octets. This often requires
    // padding after the end of the unencrypted payload data." The Padding, Pad Length and
    // Payload Type are encrypted with the payload, so all of it fills whole DES blocks.
    return EspTrailer::PadLengthFor(payloadLen, BLOCK_SIZE);
}

} // namespace ns3
