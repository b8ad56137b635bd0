#include "ns3/esp-trailer.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <numeric>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EspTrailer");

NS_OBJECT_ENSURE_REGISTERED(EspTrailer);

EspTrailer::EspTrailer() : m_padLength(0), m_nextHeader(0), m_valid(true), m_paddingValid(true)
{
}

EspTrailer::~EspTrailer() = default;

TypeId
EspTrailer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::EspTrailer")
                            .SetParent<Trailer>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<EspTrailer>();
    return tid;
}

TypeId
EspTrailer::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
EspTrailer::Print(std::ostream& os) const
{
    os << "pad=" << static_cast<uint32_t>(m_padLength)
       << " next=" << static_cast<uint32_t>(m_nextHeader);
    if (!m_valid)
    {
        os << " (pad length exceeds data)";
    }
    else if (!m_paddingValid)
    {
        os << " (bad padding)";
    }
}

uint32_t
EspTrailer::GetSerializedSize() const
{
    return static_cast<uint32_t>(m_padLength) + 2;
}

void
EspTrailer::Serialize(Buffer::Iterator start) const
{
    // A trailer is written from the end: step back over the whole trailer first.
    Buffer::Iterator i = start;
    i.Prev(GetSerializedSize());
    // RFC 4303 2.4: "If Padding bytes are needed but the encryption algorithm does not specify
    // the padding contents, then the following default processing MUST be used. The Padding
    // bytes are initialized with a series of (unsigned, 1-byte) integer values. The first
    // padding byte appended to the plaintext is numbered 1, with subsequent padding bytes
    // making up a monotonically increasing sequence: 1, 2, 3, ...."
    for (uint32_t k = 1; k <= m_padLength; ++k)
    {
        i.WriteU8(static_cast<uint8_t>(k));
    }
    // RFC 4303 2.5: "The Pad Length field indicates the number of pad bytes immediately
    // preceding it in the Padding field."
    i.WriteU8(m_padLength);
    // RFC 4303 2.6: "The Next Header is a mandatory, 8-bit field that identifies the type of
    // data contained in the Payload Data field."
    i.WriteU8(m_nextHeader);
}

uint32_t
EspTrailer::Deserialize(Buffer::Iterator end)
{
    // Bytes between the start of the data and 'end'.
    return DoDeserialize(end, end.GetSize() - end.GetRemainingSize());
}

uint32_t
EspTrailer::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return DoDeserialize(end, end.GetDistanceFrom(start));
}

uint32_t
EspTrailer::DoDeserialize(Buffer::Iterator end, uint32_t available)
{
    m_valid = false;
    m_paddingValid = false;
    if (available < 2)
    {
        NS_LOG_WARN("ESP trailer truncated: " << available << " bytes");
        m_padLength = 0;
        m_nextHeader = 0;
        return 0;
    }
    // The pad length is only known once read, so read the two fixed fields at the very end
    // first (RFC 4303 2.5 Pad Length, 2.6 Next Header), then the padding before them.
    Buffer::Iterator i = end;
    i.Prev(2);
    m_padLength = i.ReadU8();
    m_nextHeader = i.ReadU8();

    // RFC 4303 2.5: "The range of valid values is 0 to 255". It cannot exceed what precedes it.
    uint32_t padAvailable = std::min<uint32_t>(m_padLength, available - 2);
    m_valid = (padAvailable == m_padLength);
    if (!m_valid)
    {
        NS_LOG_WARN("ESP Pad Length " << static_cast<uint32_t>(m_padLength) << " exceeds the "
                                      << available - 2 << " bytes before it");
    }

    // RFC 4303 2.4: "the receiver SHOULD inspect the Padding field" (default padding only).
    i = end;
    i.Prev(2 + padAvailable);
    bool monotonic = true;
    for (uint32_t k = 1; k <= padAvailable; ++k)
    {
        if (i.ReadU8() != static_cast<uint8_t>(k))
        {
            monotonic = false;
        }
    }
    m_paddingValid = m_valid && monotonic;
    return 2 + padAvailable;
}

void
EspTrailer::SetPadLength(uint8_t padLength)
{
    m_padLength = padLength;
}

uint8_t
EspTrailer::GetPadLength() const
{
    return m_padLength;
}

void
EspTrailer::SetNextHeader(uint8_t nextHeader)
{
    m_nextHeader = nextHeader;
}

uint8_t
EspTrailer::GetNextHeader() const
{
    return m_nextHeader;
}

bool
EspTrailer::IsValid() const
{
    return m_valid;
}

bool
EspTrailer::PaddingValid() const
{
    return m_paddingValid;
}

uint8_t
EspTrailer::PadLengthFor(uint32_t payloadLen, uint32_t blockSize)
{
    // RFC 4303 2.4: "the Padding field is used to fill the plaintext (consisting of the
    // Payload Data, Padding, Pad Length, and Next Header fields) to the size required by the
    // algorithm" and "the Pad Length and Next Header fields must be right aligned within a
    // 4-byte word ... to ensure that the ICV field (if present) is aligned on a 4-byte
    // boundary". The padding "applies to the Payload Data exclusive of any IV, but including
    // the ESP trailer fields".
    // lcm(blockSize, 4) is max(blockSize, 4) for the power-of-two block sizes of real ciphers.
    // Those take a mask instead of std::lcm and three divisions, which were about 4% of an
    // AES-GCM packet's time in the ESP path (perf, esp-bench); the result is the same.
    if (blockSize <= 256 && (blockSize & (blockSize - 1)) == 0)
    {
        const uint32_t mask = std::max<uint32_t>(blockSize, 4) - 1;
        return static_cast<uint8_t>((0u - (payloadLen + 2)) & mask);
    }
    uint32_t align = std::lcm<uint32_t>(std::max<uint32_t>(blockSize, 1), 4);
    NS_ABORT_MSG_IF(align > 256, "ESP block size " << blockSize << " cannot be padded");
    uint32_t rem = (payloadLen % align + 2) % align;
    return static_cast<uint8_t>((align - rem) % align);
}

void
EspTrailer::WriteTo(uint8_t* out, uint8_t padLength, uint8_t nextHeader)
{
    for (uint32_t k = 1; k <= padLength; ++k)
    {
        *out++ = static_cast<uint8_t>(k); // RFC 4303 2.4 default padding
    }
    *out++ = padLength;
    *out = nextHeader;
}

bool
EspTrailer::DefaultPaddingValid(const uint8_t* padding, uint8_t padLength)
{
    for (uint32_t k = 1; k <= padLength; ++k)
    {
        if (padding[k - 1] != static_cast<uint8_t>(k))
        {
            return false;
        }
    }
    return true;
}

} // namespace ns3
