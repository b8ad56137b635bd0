#include "ns3/isakmp-header.h"

#include "ns3/log.h"

#include <algorithm>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IsakmpHeader");

NS_OBJECT_ENSURE_REGISTERED(IsakmpHeader);

IsakmpCookie
IsakmpCookieFromUint64(uint64_t value)
{
    IsakmpCookie c;
    for (int k = 0; k < 8; ++k)
    {
        c[k] = static_cast<uint8_t>(value >> (56 - 8 * k));
    }
    return c;
}

uint64_t
IsakmpCookieToUint64(const IsakmpCookie& cookie)
{
    uint64_t v = 0;
    for (uint8_t b : cookie)
    {
        v = (v << 8) | b;
    }
    return v;
}

IsakmpHeader::IsakmpHeader()
    : m_initiatorCookie{}, m_responderCookie{}, m_nextPayload(0), m_version(VERSION_1_0),
      m_exchangeType(ISAKMP_EXCH_NONE), m_flags(0), m_messageId(0), m_length(SIZE)
{
}

IsakmpHeader::~IsakmpHeader() = default;

TypeId
IsakmpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpHeader>();
    return tid;
}

TypeId
IsakmpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags f = os.flags();
    char fill = os.fill();
    os << "icookie=" << std::hex << std::setfill('0') << std::setw(16)
       << IsakmpCookieToUint64(m_initiatorCookie) << " rcookie=" << std::setw(16)
       << IsakmpCookieToUint64(m_responderCookie) << " np=" << std::dec
       << static_cast<uint32_t>(m_nextPayload)
       << " ver=" << static_cast<uint32_t>(GetMajorVersion()) << "."
       << static_cast<uint32_t>(GetMinorVersion())
       << " exch=" << static_cast<uint32_t>(m_exchangeType) << " flags=0x" << std::hex
       << static_cast<uint32_t>(m_flags) << " mid=0x" << std::setw(8) << m_messageId << std::dec
       << " len=" << m_length;
    os.flags(f);
    os.fill(fill);
}

uint32_t
IsakmpHeader::GetSerializedSize() const
{
    return SIZE;
}

void
IsakmpHeader::Serialize(Buffer::Iterator start) const
{
    uint8_t bytes[SIZE];
    WriteTo(bytes);
    start.Write(bytes, SIZE);
}

uint32_t
IsakmpHeader::Deserialize(Buffer::Iterator start)
{
    if (start.GetRemainingSize() < SIZE)
    {
        NS_LOG_WARN("ISAKMP header truncated: " << start.GetRemainingSize() << " bytes");
        return 0;
    }
    uint8_t bytes[SIZE];
    start.Read(bytes, SIZE);
    ReadFrom(bytes);
    return SIZE;
}

void
IsakmpHeader::WriteTo(uint8_t* out) const
{
    // RFC 2408 3.1: "Initiator Cookie (8 octets) - Cookie of entity that initiated SA
    // establishment, SA notification, or SA deletion."
    std::copy(m_initiatorCookie.begin(), m_initiatorCookie.end(), out);
    // "Responder Cookie (8 octets) - Cookie of entity that is responding to an SA establishment
    // request, SA notification, or SA deletion."
    std::copy(m_responderCookie.begin(), m_responderCookie.end(), out + 8);
    // "Next Payload (1 octet) - Indicates the type of the first payload in the message."
    out[16] = m_nextPayload;
    // "Major Version (4 bits)" then "Minor Version (4 bits)".
    out[17] = m_version;
    // "Exchange Type (1 octet) - Indicates the type of exchange being used."
    out[18] = m_exchangeType;
    // "Flags (1 octet) - Indicates specific options that are set for the ISAKMP exchange."
    out[19] = m_flags;
    // "Message ID (4 octets) - Unique Message Identifier used to identify protocol state during
    // Phase 2 negotiations."
    // "Length (4 octets) - Length of total message (header + payloads) in octets."
    for (int k = 0; k < 4; ++k)
    {
        out[20 + k] = static_cast<uint8_t>(m_messageId >> (24 - 8 * k));
        out[24 + k] = static_cast<uint8_t>(m_length >> (24 - 8 * k));
    }
}

void
IsakmpHeader::ReadFrom(const uint8_t* in)
{
    std::copy(in, in + 8, m_initiatorCookie.begin());      // RFC 2408 3.1, Initiator Cookie
    std::copy(in + 8, in + 16, m_responderCookie.begin()); // Responder Cookie
    m_nextPayload = in[16];                                // Next Payload
    m_version = in[17];                                    // MjVer, MnVer
    m_exchangeType = in[18];                               // Exchange Type
    m_flags = in[19];                                      // Flags
    m_messageId = (uint32_t(in[20]) << 24) | (uint32_t(in[21]) << 16) | (uint32_t(in[22]) << 8) |
                  in[23]; // Message ID
    m_length = (uint32_t(in[24]) << 24) | (uint32_t(in[25]) << 16) | (uint32_t(in[26]) << 8) |
               in[27]; // Length
}

void
IsakmpHeader::SetInitiatorCookie(const IsakmpCookie& cookie)
{
    m_initiatorCookie = cookie;
}

const IsakmpCookie&
IsakmpHeader::GetInitiatorCookie() const
{
    return m_initiatorCookie;
}

void
IsakmpHeader::SetResponderCookie(const IsakmpCookie& cookie)
{
    m_responderCookie = cookie;
}

const IsakmpCookie&
IsakmpHeader::GetResponderCookie() const
{
    return m_responderCookie;
}

void
IsakmpHeader::SetNextPayload(uint8_t type)
{
    m_nextPayload = type;
}

uint8_t
IsakmpHeader::GetNextPayload() const
{
    return m_nextPayload;
}

void
IsakmpHeader::SetVersion(uint8_t version)
{
    m_version = version;
}

uint8_t
IsakmpHeader::GetVersion() const
{
    return m_version;
}

uint8_t
IsakmpHeader::GetMajorVersion() const
{
    return m_version >> 4;
}

uint8_t
IsakmpHeader::GetMinorVersion() const
{
    return m_version & 0x0f;
}

void
IsakmpHeader::SetExchangeType(uint8_t type)
{
    m_exchangeType = type;
}

uint8_t
IsakmpHeader::GetExchangeType() const
{
    return m_exchangeType;
}

void
IsakmpHeader::SetFlags(uint8_t flags)
{
    m_flags = flags;
}

uint8_t
IsakmpHeader::GetFlags() const
{
    return m_flags;
}

bool
IsakmpHeader::IsEncrypted() const
{
    return (m_flags & FLAG_ENCRYPTION) != 0;
}

void
IsakmpHeader::SetEncrypted(bool on)
{
    m_flags = on ? (m_flags | FLAG_ENCRYPTION) : (m_flags & ~FLAG_ENCRYPTION);
}

void
IsakmpHeader::SetMessageId(uint32_t id)
{
    m_messageId = id;
}

uint32_t
IsakmpHeader::GetMessageId() const
{
    return m_messageId;
}

void
IsakmpHeader::SetLength(uint32_t length)
{
    m_length = length;
}

uint32_t
IsakmpHeader::GetLength() const
{
    return m_length;
}

} // namespace ns3
