#include "ns3/isakmp-payload.h"

#include "isakmp-payload-util.h"
#include "ns3/isakmp-payloads.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpPayload);

using namespace isakmp_wire;

// --- IsakmpParseStatus -------------------------------------------------------------------

IsakmpParseStatus
IsakmpParseStatus::Success()
{
    return IsakmpParseStatus();
}

IsakmpParseStatus
IsakmpParseStatus::Fail(Code code, uint16_t notify, uint32_t offset, std::string reason)
{
    IsakmpParseStatus s;
    s.code = code;
    s.notify = notify;
    s.offset = offset;
    s.reason = std::move(reason);
    return s;
}

const char*
IsakmpParseStatus::CodeName(Code code)
{
    switch (code)
    {
    case OK:
        return "ok";
    case TRUNCATED:
        return "truncated";
    case BAD_MESSAGE_LENGTH:
        return "bad message length";
    case BAD_VERSION:
        return "bad version";
    case BAD_FLAGS:
        return "bad flags";
    case BAD_PAYLOAD_LENGTH:
        return "bad payload length";
    case BAD_PAYLOAD_TYPE:
        return "bad payload type";
    case BAD_PAYLOAD_BODY:
        return "bad payload body";
    case TOO_MANY_PAYLOADS:
        return "too many payloads";
    case TRAILING_DATA:
        return "trailing data";
    case UNSUPPORTED:
        return "unsupported";
    case ENCRYPTED:
        return "encrypted";
    }
    return "unknown";
}

std::string
IsakmpParseStatus::ToString() const
{
    if (Ok())
    {
        return "ok";
    }
    std::ostringstream os;
    os << CodeName(code) << " at offset " << offset << ": " << reason;
    if (notify != ISAKMP_NOTIFY_NONE)
    {
        os << " (" << IsakmpNotifyTypeName(notify) << ")";
    }
    return os.str();
}

// --- IsakmpPayload -----------------------------------------------------------------------

IsakmpPayload::IsakmpPayload() : m_nextPayload(ISAKMP_PAYLOAD_NONE)
{
}

IsakmpPayload::~IsakmpPayload() = default;

TypeId
IsakmpPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpPayload").SetParent<Header>().SetGroupName("Ipsec");
    return tid;
}

uint32_t
IsakmpPayload::GetSerializedSize() const
{
    return GENERIC_HEADER_SIZE + GetBodySize();
}

void
IsakmpPayload::Serialize(Buffer::Iterator start) const
{
    SerializeWithNext(start, m_nextPayload);
}

void
IsakmpPayload::SerializeWithNext(Buffer::Iterator& i, uint8_t nextPayload) const
{
    uint32_t body = GetBodySize();
    NS_ABORT_MSG_IF(body > MAX_BODY, "ISAKMP " << IsakmpPayloadTypeName(GetPayloadType())
                                               << " payload body of " << body
                                               << " bytes exceeds the 16-bit Payload Length");
    // RFC 2408 3.2: "Next Payload (1 octet) - Identifier for the payload type of the next
    // payload in the message. If the current payload is the last in the message, then this field
    // will be 0."
    i.WriteU8(nextPayload);
    // "RESERVED (1 octet) - Unused, set to 0."
    i.WriteU8(0);
    // "Payload Length (2 octets) - Length in octets of the current payload, including the
    // generic payload header."
    i.WriteHtonU16(static_cast<uint16_t>(GENERIC_HEADER_SIZE + body));
    SerializeBody(i);
}

uint32_t
IsakmpPayload::Deserialize(Buffer::Iterator start)
{
    uint32_t avail = start.GetRemainingSize();
    if (avail < GENERIC_HEADER_SIZE)
    {
        m_status = Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0,
                                "generic payload header needs 4 bytes, " + std::to_string(avail) +
                                    " left");
        return 0;
    }
    Buffer::Iterator peek = start;
    peek.Next(2);
    uint32_t plen = peek.ReadNtohU16();
    uint32_t n = std::min(avail, std::max(plen, GENERIC_HEADER_SIZE));
    std::vector<uint8_t> bytes(n);
    start.Read(bytes.data(), n);
    Status s = Parse(bytes.data(), bytes.size());
    return s.Ok() ? plen : 0;
}

IsakmpParseStatus
IsakmpPayload::Parse(const uint8_t* data, size_t len)
{
    if (len < GENERIC_HEADER_SIZE)
    {
        m_status =
            Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0,
                         "generic payload header needs 4 bytes, " + std::to_string(len) + " left");
        return m_status;
    }
    uint8_t next = data[0];         // RFC 2408 3.2, Next Payload
    uint16_t plen = Be16(data + 2); // Payload Length (RESERVED, data[1], is ignored)
    if (plen < GENERIC_HEADER_SIZE)
    {
        m_status =
            Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                         std::string(IsakmpPayloadTypeName(GetPayloadType())) + " Payload Length " +
                             std::to_string(plen) + " is shorter than the generic header");
        return m_status;
    }
    if (plen > len)
    {
        m_status = Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                                std::string(IsakmpPayloadTypeName(GetPayloadType())) +
                                    " Payload Length " + std::to_string(plen) + " exceeds the " +
                                    std::to_string(len) + " bytes left");
        return m_status;
    }
    m_nextPayload = next;
    m_status = ParseBody(data + GENERIC_HEADER_SIZE, plen - GENERIC_HEADER_SIZE);
    // Every ParseBody consumes its whole body or fails, so the payload re-serializes to plen.
    NS_ASSERT_MSG(!m_status.Ok() || GetBodySize() == plen - GENERIC_HEADER_SIZE,
                  "ISAKMP " << IsakmpPayloadTypeName(GetPayloadType())
                            << " body parsed to a different size");
    return m_status;
}

std::vector<uint8_t>
IsakmpPayload::ToBytes() const
{
    Buffer b;
    b.AddAtStart(GetSerializedSize());
    Serialize(b.Begin());
    std::vector<uint8_t> out(b.GetSize());
    b.CopyData(out.data(), out.size());
    return out;
}

void
IsakmpPayload::SetNextPayload(uint8_t type)
{
    m_nextPayload = type;
}

uint8_t
IsakmpPayload::GetNextPayload() const
{
    return m_nextPayload;
}

uint16_t
IsakmpPayload::GetPayloadLength() const
{
    return static_cast<uint16_t>(GENERIC_HEADER_SIZE + GetBodySize());
}

const IsakmpParseStatus&
IsakmpPayload::GetParseStatus() const
{
    return m_status;
}

std::unique_ptr<IsakmpPayload>
IsakmpPayload::Create(uint8_t type)
{
    switch (type)
    {
    case ISAKMP_PAYLOAD_SA:
        return std::make_unique<IsakmpSaPayload>();
    case ISAKMP_PAYLOAD_PROPOSAL:
    case ISAKMP_PAYLOAD_TRANSFORM:
        return nullptr;
    case ISAKMP_PAYLOAD_KEY_EXCHANGE:
        return std::make_unique<IsakmpKeyExchangePayload>();
    case ISAKMP_PAYLOAD_IDENTIFICATION:
        return std::make_unique<IsakmpIdPayload>();
    case ISAKMP_PAYLOAD_HASH:
        return std::make_unique<IsakmpHashPayload>();
    case ISAKMP_PAYLOAD_CERTIFICATE:
        return std::make_unique<IsakmpCertificatePayload>();
    case ISAKMP_PAYLOAD_CERTIFICATE_REQUEST:
        return std::make_unique<IsakmpCertificateRequestPayload>();
    case ISAKMP_PAYLOAD_SIGNATURE:
        return std::make_unique<IsakmpSignaturePayload>();
    case ISAKMP_PAYLOAD_NONCE:
        return std::make_unique<IsakmpNoncePayload>();
    case ISAKMP_PAYLOAD_NOTIFICATION:
        return std::make_unique<IsakmpNotificationPayload>();
    case ISAKMP_PAYLOAD_DELETE:
        return std::make_unique<IsakmpDeletePayload>();
    case ISAKMP_PAYLOAD_VENDOR_ID:
        return std::make_unique<IsakmpVendorIdPayload>();
    default:
        return std::make_unique<IsakmpRawPayload>(type, Bytes());
    }
}

} // namespace ns3
