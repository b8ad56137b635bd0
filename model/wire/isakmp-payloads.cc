#include "ns3/isakmp-payloads.h"

#include "ns3/abort.h"
#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IsakmpPayloads");

NS_OBJECT_ENSURE_REGISTERED(IsakmpPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpTransform);
NS_OBJECT_ENSURE_REGISTERED(IsakmpProposal);
NS_OBJECT_ENSURE_REGISTERED(IsakmpSaPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpOpaquePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpKeyExchangePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpHashPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpSignaturePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpNoncePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpVendorIdPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpIdPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpNotificationPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpDeletePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpRawPayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpMessage);

namespace
{

using Bytes = std::vector<uint8_t>;
using Status = IsakmpParseStatus;

/** Largest body a 16-bit Payload Length can describe. */
constexpr uint32_t MAX_BODY = 0xffff - IsakmpPayload::GENERIC_HEADER_SIZE;
/** Most SA attributes accepted in one transform on parsing. */
constexpr size_t MAX_ATTRIBUTES = 255;

uint16_t
Be16(const uint8_t* p)
{
    return static_cast<uint16_t>((uint16_t(p[0]) << 8) | p[1]);
}

uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

void
WriteBytes(Buffer::Iterator& i, const Bytes& v)
{
    if (!v.empty())
    {
        i.Write(v.data(), static_cast<uint32_t>(v.size()));
    }
}

/** A failure at @p at (relative to its container) moved by @p by. */
Status
Shift(Status s, size_t by)
{
    if (!s.Ok())
    {
        s.offset += static_cast<uint32_t>(by);
    }
    return s;
}

std::string
Hex(const Bytes& v, size_t max = 16)
{
    std::ostringstream os;
    os << std::hex << std::setfill('0');
    for (size_t k = 0; k < v.size() && k < max; ++k)
    {
        os << std::setw(2) << static_cast<uint32_t>(v[k]);
    }
    if (v.size() > max)
    {
        os << "..(" << std::dec << v.size() << " bytes)";
    }
    return os.str();
}

/**
 * Parse the chain of substructures (proposals in an SA, transforms in a proposal) that fills
 * @p len bytes at @p data exactly: each one's Next Payload is @p type, the last one's 0 (RFC 2408
 * 3.5: "This field MUST only contain the value "2" or "0""; 3.6 likewise "3" or "0").
 * Offsets in a failure are relative to @p data.
 */
template <class T>
Status
ParseChain(const uint8_t* data, size_t len, uint8_t type, size_t max, std::vector<T>& out,
           const char* what)
{
    size_t off = 0;
    while (true)
    {
        if (out.size() >= max)
        {
            return Status::Fail(Status::TOO_MANY_PAYLOADS, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, off,
                                std::string("more than ") + std::to_string(max) + " " + what + "s");
        }
        if (len - off < IsakmpPayload::GENERIC_HEADER_SIZE)
        {
            return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, off,
                                std::string(what) + " header needs 4 bytes, " +
                                    std::to_string(len - off) + " left");
        }
        T item;
        Status s = item.Parse(data + off, len - off);
        if (!s.Ok())
        {
            return Shift(s, off);
        }
        uint8_t next = item.GetNextPayload();
        off += item.GetPayloadLength();
        out.push_back(std::move(item));
        if (next == ISAKMP_PAYLOAD_NONE)
        {
            break;
        }
        if (next != type)
        {
            return Status::Fail(Status::BAD_PAYLOAD_TYPE, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX,
                                off - out.back().GetPayloadLength(),
                                std::string(what) + " with Next Payload " + std::to_string(next) +
                                    " (only " + std::to_string(type) + " or 0 allowed)");
        }
        if (off == len)
        {
            return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, off,
                                std::string(what) + " announces another " + what +
                                    " but its container ends");
        }
    }
    if (off != len)
    {
        return Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, off,
                            std::to_string(len - off) + " bytes after the last " + what);
    }
    return Status::Success();
}

} // namespace

// --- names -------------------------------------------------------------------------------

const char*
IsakmpPayloadTypeName(uint8_t type)
{
    switch (type)
    {
    case ISAKMP_PAYLOAD_NONE:
        return "NONE";
    case ISAKMP_PAYLOAD_SA:
        return "SA";
    case ISAKMP_PAYLOAD_PROPOSAL:
        return "P";
    case ISAKMP_PAYLOAD_TRANSFORM:
        return "T";
    case ISAKMP_PAYLOAD_KEY_EXCHANGE:
        return "KE";
    case ISAKMP_PAYLOAD_IDENTIFICATION:
        return "ID";
    case ISAKMP_PAYLOAD_CERTIFICATE:
        return "CERT";
    case ISAKMP_PAYLOAD_CERTIFICATE_REQUEST:
        return "CR";
    case ISAKMP_PAYLOAD_HASH:
        return "HASH";
    case ISAKMP_PAYLOAD_SIGNATURE:
        return "SIG";
    case ISAKMP_PAYLOAD_NONCE:
        return "NONCE";
    case ISAKMP_PAYLOAD_NOTIFICATION:
        return "N";
    case ISAKMP_PAYLOAD_DELETE:
        return "D";
    case ISAKMP_PAYLOAD_VENDOR_ID:
        return "VID";
    case ISAKMP_PAYLOAD_NAT_D:
        return "NAT-D";
    case ISAKMP_PAYLOAD_NAT_OA:
        return "NAT-OA";
    default:
        return "unknown";
    }
}

bool
IsakmpIsKnownPayloadType(uint8_t type)
{
    return type >= ISAKMP_PAYLOAD_SA && type <= ISAKMP_PAYLOAD_VENDOR_ID;
}

const char*
IsakmpNotifyTypeName(uint16_t type)
{
    switch (type)
    {
    case ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE:
        return "INVALID-PAYLOAD-TYPE";
    case ISAKMP_NOTIFY_DOI_NOT_SUPPORTED:
        return "DOI-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED:
        return "SITUATION-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_INVALID_COOKIE:
        return "INVALID-COOKIE";
    case ISAKMP_NOTIFY_INVALID_MAJOR_VERSION:
        return "INVALID-MAJOR-VERSION";
    case ISAKMP_NOTIFY_INVALID_MINOR_VERSION:
        return "INVALID-MINOR-VERSION";
    case ISAKMP_NOTIFY_INVALID_EXCHANGE_TYPE:
        return "INVALID-EXCHANGE-TYPE";
    case ISAKMP_NOTIFY_INVALID_FLAGS:
        return "INVALID-FLAGS";
    case ISAKMP_NOTIFY_INVALID_MESSAGE_ID:
        return "INVALID-MESSAGE-ID";
    case ISAKMP_NOTIFY_INVALID_PROTOCOL_ID:
        return "INVALID-PROTOCOL-ID";
    case ISAKMP_NOTIFY_INVALID_SPI:
        return "INVALID-SPI";
    case ISAKMP_NOTIFY_INVALID_TRANSFORM_ID:
        return "INVALID-TRANSFORM-ID";
    case ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED:
        return "ATTRIBUTES-NOT-SUPPORTED";
    case ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN:
        return "NO-PROPOSAL-CHOSEN";
    case ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX:
        return "BAD-PROPOSAL-SYNTAX";
    case ISAKMP_NOTIFY_PAYLOAD_MALFORMED:
        return "PAYLOAD-MALFORMED";
    case ISAKMP_NOTIFY_INVALID_KEY_INFORMATION:
        return "INVALID-KEY-INFORMATION";
    case ISAKMP_NOTIFY_INVALID_ID_INFORMATION:
        return "INVALID-ID-INFORMATION";
    case ISAKMP_NOTIFY_INVALID_CERT_ENCODING:
        return "INVALID-CERT-ENCODING";
    case ISAKMP_NOTIFY_INVALID_CERTIFICATE:
        return "INVALID-CERTIFICATE";
    case ISAKMP_NOTIFY_CERT_TYPE_UNSUPPORTED:
        return "CERT-TYPE-UNSUPPORTED";
    case ISAKMP_NOTIFY_INVALID_CERT_AUTHORITY:
        return "INVALID-CERT-AUTHORITY";
    case ISAKMP_NOTIFY_INVALID_HASH_INFORMATION:
        return "INVALID-HASH-INFORMATION";
    case ISAKMP_NOTIFY_AUTHENTICATION_FAILED:
        return "AUTHENTICATION-FAILED";
    case ISAKMP_NOTIFY_INVALID_SIGNATURE:
        return "INVALID-SIGNATURE";
    case ISAKMP_NOTIFY_ADDRESS_NOTIFICATION:
        return "ADDRESS-NOTIFICATION";
    case ISAKMP_NOTIFY_NOTIFY_SA_LIFETIME:
        return "NOTIFY-SA-LIFETIME";
    case ISAKMP_NOTIFY_CERTIFICATE_UNAVAILABLE:
        return "CERTIFICATE-UNAVAILABLE";
    case ISAKMP_NOTIFY_UNSUPPORTED_EXCHANGE_TYPE:
        return "UNSUPPORTED-EXCHANGE-TYPE";
    case ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS:
        return "UNEQUAL-PAYLOAD-LENGTHS";
    case ISAKMP_NOTIFY_CONNECTED:
        return "CONNECTED";
    case ISAKMP_NOTIFY_RESPONDER_LIFETIME:
        return "RESPONDER-LIFETIME";
    case ISAKMP_NOTIFY_REPLAY_STATUS:
        return "REPLAY-STATUS";
    case ISAKMP_NOTIFY_INITIAL_CONTACT:
        return "INITIAL-CONTACT";
    case ISAKMP_NOTIFY_R_U_THERE:
        return "R-U-THERE";
    case ISAKMP_NOTIFY_R_U_THERE_ACK:
        return "R-U-THERE-ACK";
    default:
        return "unknown";
    }
}

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

// --- IsakmpProposal ----------------------------------------------------------------------

IsakmpProposal::IsakmpProposal() : m_number(1), m_protocol(ISAKMP_PROTO_ISAKMP)
{
}

IsakmpProposal::IsakmpProposal(uint8_t number, uint8_t protocol, const std::vector<uint8_t>& spi)
    : m_number(number), m_protocol(protocol)
{
    SetSpi(spi);
}

IsakmpProposal::~IsakmpProposal() = default;

TypeId
IsakmpProposal::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpProposal")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpProposal>();
    return tid;
}

TypeId
IsakmpProposal::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpProposal::Print(std::ostream& os) const
{
    os << "P#" << static_cast<uint32_t>(m_number) << " proto=" << static_cast<uint32_t>(m_protocol)
       << " spi=" << Hex(m_spi) << " [";
    for (size_t k = 0; k < m_transforms.size(); ++k)
    {
        os << (k ? "; " : "");
        m_transforms[k].Print(os);
    }
    os << "]";
}

uint8_t
IsakmpProposal::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_PROPOSAL;
}

std::unique_ptr<IsakmpPayload>
IsakmpProposal::Clone() const
{
    return std::make_unique<IsakmpProposal>(*this);
}

uint32_t
IsakmpProposal::GetBodySize() const
{
    uint32_t n = 4 + static_cast<uint32_t>(m_spi.size());
    for (const auto& t : m_transforms)
    {
        n += t.GetSerializedSize();
    }
    return n;
}

void
IsakmpProposal::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.5: "Proposal # (1 octet) - Identifies the Proposal number for the current
    // payload."
    i.WriteU8(m_number);
    // "Protocol-Id (1 octet) - Specifies the protocol identifier for the current negotiation."
    i.WriteU8(m_protocol);
    // "SPI Size (1 octet) - Length in octets of the SPI as defined by the Protocol-Id."
    i.WriteU8(static_cast<uint8_t>(m_spi.size()));
    // "# of Transforms (1 octet) - Specifies the number of transforms for the Proposal."
    i.WriteU8(static_cast<uint8_t>(m_transforms.size()));
    // "SPI (variable) - The sending entity's SPI."
    WriteBytes(i, m_spi);
    // RFC 2408 3.6, Next Payload: "This field MUST only contain the value "3" or "0". If there
    // are additional Transform payloads in the proposal, then this field will be 3. If the
    // current Transform payload is the last within the proposal, then this field will be 0."
    for (size_t k = 0; k < m_transforms.size(); ++k)
    {
        m_transforms[k].SerializeWithNext(i, k + 1 < m_transforms.size() ? ISAKMP_PAYLOAD_TRANSFORM
                                                                         : ISAKMP_PAYLOAD_NONE);
    }
}

IsakmpParseStatus
IsakmpProposal::ParseBody(const uint8_t* body, size_t len)
{
    m_transforms.clear();
    m_spi.clear();
    if (len < 4)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "proposal needs 4 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_number = body[0];            // RFC 2408 3.5, Proposal #
    m_protocol = body[1];          // Protocol-Id
    uint8_t spiSize = body[2];     // SPI Size
    uint8_t nTransforms = body[3]; // # of Transforms
    if (4 + size_t(spiSize) > len)
    {
        return Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 6,
                            "proposal SPI Size " + std::to_string(spiSize) + " exceeds the " +
                                std::to_string(len - 4) + " bytes left");
    }
    m_spi.assign(body + 4, body + 4 + spiSize);
    if (nTransforms == 0)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 7,
                            "proposal with 0 transforms");
    }
    size_t at = 4 + spiSize;
    Status s = ParseChain(body + at, len - at, ISAKMP_PAYLOAD_TRANSFORM, MAX_TRANSFORMS,
                          m_transforms, "transform");
    if (!s.Ok())
    {
        return Shift(s, GENERIC_HEADER_SIZE + at);
    }
    if (m_transforms.size() != nTransforms)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 7,
                            "# of Transforms is " + std::to_string(nTransforms) + " but " +
                                std::to_string(m_transforms.size()) + " follow");
    }
    return Status::Success();
}

void
IsakmpProposal::SetProposalNumber(uint8_t number)
{
    m_number = number;
}

uint8_t
IsakmpProposal::GetProposalNumber() const
{
    return m_number;
}

void
IsakmpProposal::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpProposal::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpProposal::SetSpi(const std::vector<uint8_t>& spi)
{
    NS_ABORT_MSG_IF(spi.size() > 255, "proposal SPI of " << spi.size() << " bytes");
    m_spi = spi;
}

void
IsakmpProposal::SetSpi32(uint32_t spi)
{
    m_spi = {static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
             static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi)};
}

const std::vector<uint8_t>&
IsakmpProposal::GetSpi() const
{
    return m_spi;
}

std::optional<uint32_t>
IsakmpProposal::GetSpi32() const
{
    if (m_spi.size() == 4)
    {
        return Be32(m_spi.data());
    }
    if (m_spi.size() == 2)
    {
        return Be16(m_spi.data());
    }
    return std::nullopt;
}

IsakmpTransform&
IsakmpProposal::AddTransform(const IsakmpTransform& t)
{
    NS_ABORT_MSG_IF(m_transforms.size() >= MAX_TRANSFORMS, "more than 255 transforms");
    m_transforms.push_back(t);
    return m_transforms.back();
}

const std::vector<IsakmpTransform>&
IsakmpProposal::GetTransforms() const
{
    return m_transforms;
}

// --- IsakmpSaPayload ---------------------------------------------------------------------

IsakmpSaPayload::IsakmpSaPayload() : m_doi(ISAKMP_DOI_IPSEC), m_situation(ISAKMP_SIT_IDENTITY_ONLY)
{
}

IsakmpSaPayload::~IsakmpSaPayload() = default;

TypeId
IsakmpSaPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpSaPayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpSaPayload>();
    return tid;
}

TypeId
IsakmpSaPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpSaPayload::Print(std::ostream& os) const
{
    os << "SA doi=" << m_doi << " sit=" << m_situation << " {";
    for (size_t k = 0; k < m_proposals.size(); ++k)
    {
        os << (k ? " " : "");
        m_proposals[k].Print(os);
    }
    os << "}";
}

uint8_t
IsakmpSaPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_SA;
}

std::unique_ptr<IsakmpPayload>
IsakmpSaPayload::Clone() const
{
    return std::make_unique<IsakmpSaPayload>(*this);
}

uint32_t
IsakmpSaPayload::GetBodySize() const
{
    uint32_t n = 8;
    for (const auto& p : m_proposals)
    {
        n += p.GetSerializedSize();
    }
    return n;
}

void
IsakmpSaPayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.4: "Domain of Interpretation (4 octets) - Identifies the DOI (as described in
    // Section 2.1) under which this negotiation is taking place."
    i.WriteHtonU32(m_doi);
    // "Situation (variable length) - A DOI-specific field that identifies the situation under
    // which this negotiation is taking place." RFC 2407 4.2: a 32-bit bitmask.
    i.WriteHtonU32(m_situation);
    // RFC 2408 3.5, Next Payload: "This field MUST only contain the value "2" or "0". If there
    // are additional Proposal payloads in the message, then this field will be 2. If the current
    // Proposal payload is the last within the security association proposal, then this field
    // will be 0."
    for (size_t k = 0; k < m_proposals.size(); ++k)
    {
        m_proposals[k].SerializeWithNext(i, k + 1 < m_proposals.size() ? ISAKMP_PAYLOAD_PROPOSAL
                                                                       : ISAKMP_PAYLOAD_NONE);
    }
}

IsakmpParseStatus
IsakmpSaPayload::ParseBody(const uint8_t* body, size_t len)
{
    m_proposals.clear();
    if (len < 8)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "SA payload needs DOI and Situation (8 bytes), has " +
                                std::to_string(len));
    }
    m_doi = Be32(body);           // RFC 2408 3.4, Domain of Interpretation
    m_situation = Be32(body + 4); // Situation (RFC 2407 4.6.1: 4 octets in the IPsec DOI)
    if (m_doi != ISAKMP_DOI_IPSEC)
    {
        // RFC 2408 5.4: "Determine if the Domain of Interpretation (DOI) is supported. If the
        // DOI determination fails, the message is discarded and ... DOI-NOT-SUPPORTED".
        return Status::Fail(Status::UNSUPPORTED, ISAKMP_NOTIFY_DOI_NOT_SUPPORTED, 4,
                            "DOI " + std::to_string(m_doi) + " (only the IPsec DOI, 1)");
    }
    if (m_situation & ~uint32_t(ISAKMP_SIT_IDENTITY_ONLY))
    {
        // RFC 2407 4.6.1: SIT_SECRECY and SIT_INTEGRITY add labelled-domain fields; RFC 2408
        // 5.4: "SITUATION-NOT-SUPPORTED".
        return Status::Fail(Status::UNSUPPORTED, ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED, 8,
                            "situation 0x" + Hex(Bytes(body + 4, body + 8)) +
                                " (only SIT_IDENTITY_ONLY)");
    }
    if (len == 8)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 12,
                            "SA payload without a proposal");
    }
    Status s = ParseChain(body + 8, len - 8, ISAKMP_PAYLOAD_PROPOSAL, MAX_PROPOSALS, m_proposals,
                          "proposal");
    return Shift(s, GENERIC_HEADER_SIZE + 8);
}

void
IsakmpSaPayload::SetDoi(uint32_t doi)
{
    m_doi = doi;
}

uint32_t
IsakmpSaPayload::GetDoi() const
{
    return m_doi;
}

void
IsakmpSaPayload::SetSituation(uint32_t situation)
{
    m_situation = situation;
}

uint32_t
IsakmpSaPayload::GetSituation() const
{
    return m_situation;
}

IsakmpProposal&
IsakmpSaPayload::AddProposal(const IsakmpProposal& p)
{
    m_proposals.push_back(p);
    return m_proposals.back();
}

const std::vector<IsakmpProposal>&
IsakmpSaPayload::GetProposals() const
{
    return m_proposals;
}

// --- IsakmpOpaquePayload and its one-field payloads ---------------------------------------

IsakmpOpaquePayload::IsakmpOpaquePayload() = default;

IsakmpOpaquePayload::~IsakmpOpaquePayload() = default;

TypeId
IsakmpOpaquePayload::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IsakmpOpaquePayload").SetParent<IsakmpPayload>().SetGroupName("Ipsec");
    return tid;
}

void
IsakmpOpaquePayload::Print(std::ostream& os) const
{
    os << IsakmpPayloadTypeName(GetPayloadType()) << " " << Hex(m_data);
}

uint32_t
IsakmpOpaquePayload::GetBodySize() const
{
    return static_cast<uint32_t>(m_data.size());
}

void
IsakmpOpaquePayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.7 "Key Exchange Data", 3.11 "Hash Data", 3.12 "Signature Data", 3.13 "Nonce
    // Data", 3.16 "Vendor ID (VID) (variable length)": one field filling the payload.
    WriteBytes(i, m_data);
}

IsakmpParseStatus
IsakmpOpaquePayload::ParseBody(const uint8_t* body, size_t len)
{
    Status s = CheckDataLength(len);
    if (!s.Ok())
    {
        m_data.clear();
        return s;
    }
    m_data.assign(body, body + len);
    return s;
}

IsakmpParseStatus
IsakmpOpaquePayload::CheckDataLength(size_t len) const
{
    if (len == 0)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                            std::string(IsakmpPayloadTypeName(GetPayloadType())) +
                                " payload without data");
    }
    return Status::Success();
}

void
IsakmpOpaquePayload::SetData(const std::vector<uint8_t>& data)
{
    m_data = data;
}

const std::vector<uint8_t>&
IsakmpOpaquePayload::GetData() const
{
    return m_data;
}

IsakmpKeyExchangePayload::IsakmpKeyExchangePayload() = default;

IsakmpKeyExchangePayload::IsakmpKeyExchangePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpKeyExchangePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpKeyExchangePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpKeyExchangePayload>();
    return tid;
}

TypeId
IsakmpKeyExchangePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpKeyExchangePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_KEY_EXCHANGE;
}

std::unique_ptr<IsakmpPayload>
IsakmpKeyExchangePayload::Clone() const
{
    return std::make_unique<IsakmpKeyExchangePayload>(*this);
}

IsakmpHashPayload::IsakmpHashPayload() = default;

IsakmpHashPayload::IsakmpHashPayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpHashPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpHashPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpHashPayload>();
    return tid;
}

TypeId
IsakmpHashPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpHashPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_HASH;
}

std::unique_ptr<IsakmpPayload>
IsakmpHashPayload::Clone() const
{
    return std::make_unique<IsakmpHashPayload>(*this);
}

IsakmpSignaturePayload::IsakmpSignaturePayload() = default;

IsakmpSignaturePayload::IsakmpSignaturePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpSignaturePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpSignaturePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpSignaturePayload>();
    return tid;
}

TypeId
IsakmpSignaturePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpSignaturePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_SIGNATURE;
}

std::unique_ptr<IsakmpPayload>
IsakmpSignaturePayload::Clone() const
{
    return std::make_unique<IsakmpSignaturePayload>(*this);
}

IsakmpNoncePayload::IsakmpNoncePayload() = default;

IsakmpNoncePayload::IsakmpNoncePayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpNoncePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpNoncePayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpNoncePayload>();
    return tid;
}

TypeId
IsakmpNoncePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpNoncePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_NONCE;
}

std::unique_ptr<IsakmpPayload>
IsakmpNoncePayload::Clone() const
{
    return std::make_unique<IsakmpNoncePayload>(*this);
}

IsakmpParseStatus
IsakmpNoncePayload::CheckDataLength(size_t len) const
{
    // RFC 2409 5: "The length of nonce payload MUST be between 8 and 256 bytes inclusive."
    if (len < MIN_NONCE || len > MAX_NONCE)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 2,
                            "nonce of " + std::to_string(len) + " bytes (RFC 2409: 8 to 256)");
    }
    return Status::Success();
}

IsakmpVendorIdPayload::IsakmpVendorIdPayload() = default;

IsakmpVendorIdPayload::IsakmpVendorIdPayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpVendorIdPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpVendorIdPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpVendorIdPayload>();
    return tid;
}

TypeId
IsakmpVendorIdPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpVendorIdPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_VENDOR_ID;
}

std::unique_ptr<IsakmpPayload>
IsakmpVendorIdPayload::Clone() const
{
    return std::make_unique<IsakmpVendorIdPayload>(*this);
}

std::vector<uint8_t>
IsakmpVendorIdPayload::DpdVendorId()
{
    // RFC 3706 5.1 (Vendor ID with major 1, minor 0 in the last two bytes).
    return {0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
            0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00};
}

std::vector<uint8_t>
IsakmpVendorIdPayload::CiscoUnityVendorId()
{
    // MD5("CISCO-UNITY") = 12f5f28c457168a9702d9fe274cc02d4 with the last two bytes replaced by
    // major 1, minor 0 (strongSwan src/libcharon/sa/ikev1/tasks/isakmp_vendor.c; Wireshark
    // epan/dissectors/packet-isakmp.c, VID_CISCO_UNITY).
    return {0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
            0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00};
}

std::vector<uint8_t>
IsakmpVendorIdPayload::NatTraversalRfc3947VendorId()
{
    // RFC 3947 3.1: "the hash of the vendor ID string "RFC 3947"" (MD5).
    return {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
            0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f};
}

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

// --- IsakmpNotificationPayload -----------------------------------------------------------

IsakmpNotificationPayload::IsakmpNotificationPayload()
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(ISAKMP_PROTO_ISAKMP), m_type(0)
{
}

IsakmpNotificationPayload::IsakmpNotificationPayload(uint16_t type, uint8_t protocol,
                                                     const std::vector<uint8_t>& spi,
                                                     const std::vector<uint8_t>& data)
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(protocol), m_type(type), m_data(data)
{
    SetSpi(spi);
}

IsakmpNotificationPayload::~IsakmpNotificationPayload() = default;

TypeId
IsakmpNotificationPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpNotificationPayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpNotificationPayload>();
    return tid;
}

TypeId
IsakmpNotificationPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpNotificationPayload::Print(std::ostream& os) const
{
    os << "N " << IsakmpNotifyTypeName(m_type) << "(" << m_type
       << ") proto=" << static_cast<uint32_t>(m_protocol) << " spi=" << Hex(m_spi)
       << " data=" << Hex(m_data);
}

uint8_t
IsakmpNotificationPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_NOTIFICATION;
}

std::unique_ptr<IsakmpPayload>
IsakmpNotificationPayload::Clone() const
{
    return std::make_unique<IsakmpNotificationPayload>(*this);
}

uint32_t
IsakmpNotificationPayload::GetBodySize() const
{
    return 8 + static_cast<uint32_t>(m_spi.size() + m_data.size());
}

void
IsakmpNotificationPayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.14: "Domain of Interpretation (4 octets) - Identifies the DOI (as described in
    // Section 2.1) under which this notification is taking place."
    i.WriteHtonU32(m_doi);
    // "Protocol-Id (1 octet) - Specifies the protocol identifier for the current notification."
    i.WriteU8(m_protocol);
    // "SPI Size (1 octet) - Length in octets of the SPI as defined by the Protocol-Id."
    i.WriteU8(static_cast<uint8_t>(m_spi.size()));
    // "Notify Message Type (2 octets) - Specifies the type of notification message".
    i.WriteHtonU16(m_type);
    // "Security Parameter Index (SPI) (variable length)".
    WriteBytes(i, m_spi);
    // "Notification Data (variable length) - Informational or error data transmitted in
    // addition to the Notify Message Type."
    WriteBytes(i, m_data);
}

IsakmpParseStatus
IsakmpNotificationPayload::ParseBody(const uint8_t* body, size_t len)
{
    m_spi.clear();
    m_data.clear();
    if (len < 8)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "notification needs 8 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_doi = Be32(body);        // RFC 2408 3.14, Domain of Interpretation
    m_protocol = body[4];      // Protocol-Id
    uint8_t spiSize = body[5]; // SPI Size
    m_type = Be16(body + 6);   // Notify Message Type
    if (8 + size_t(spiSize) > len)
    {
        return Status::Fail(Status::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 9,
                            "notification SPI Size " + std::to_string(spiSize) + " exceeds the " +
                                std::to_string(len - 8) + " bytes left");
    }
    m_spi.assign(body + 8, body + 8 + spiSize);
    m_data.assign(body + 8 + spiSize, body + len);
    return Status::Success();
}

IsakmpNotificationPayload
IsakmpNotificationPayload::DpdNotify(bool ack, const IsakmpCookie& icookie,
                                     const IsakmpCookie& rcookie, uint32_t sequence)
{
    // RFC 3706 5.3: "the SPI field in the notify payload ... contain[s] the initiator and
    // responder cookies of the ISAKMP SA" (Protocol-ID ISAKMP, SPI Size 16); "the Notification
    // Data field MUST contain a 32-bit sequence number".
    Bytes seq = {static_cast<uint8_t>(sequence >> 24), static_cast<uint8_t>(sequence >> 16),
                 static_cast<uint8_t>(sequence >> 8), static_cast<uint8_t>(sequence)};
    return IsakmpNotificationPayload(ack ? ISAKMP_NOTIFY_R_U_THERE_ACK : ISAKMP_NOTIFY_R_U_THERE,
                                     ISAKMP_PROTO_ISAKMP, CookieSpi(icookie, rcookie), seq);
}

std::vector<uint8_t>
IsakmpNotificationPayload::CookieSpi(const IsakmpCookie& icookie, const IsakmpCookie& rcookie)
{
    Bytes spi(icookie.begin(), icookie.end());
    spi.insert(spi.end(), rcookie.begin(), rcookie.end());
    return spi;
}

void
IsakmpNotificationPayload::SetDoi(uint32_t doi)
{
    m_doi = doi;
}

uint32_t
IsakmpNotificationPayload::GetDoi() const
{
    return m_doi;
}

void
IsakmpNotificationPayload::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpNotificationPayload::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpNotificationPayload::SetNotifyType(uint16_t type)
{
    m_type = type;
}

uint16_t
IsakmpNotificationPayload::GetNotifyType() const
{
    return m_type;
}

void
IsakmpNotificationPayload::SetSpi(const std::vector<uint8_t>& spi)
{
    NS_ABORT_MSG_IF(spi.size() > 255, "notification SPI of " << spi.size() << " bytes");
    m_spi = spi;
}

const std::vector<uint8_t>&
IsakmpNotificationPayload::GetSpi() const
{
    return m_spi;
}

void
IsakmpNotificationPayload::SetData(const std::vector<uint8_t>& data)
{
    m_data = data;
}

const std::vector<uint8_t>&
IsakmpNotificationPayload::GetData() const
{
    return m_data;
}

// --- IsakmpDeletePayload -----------------------------------------------------------------

IsakmpDeletePayload::IsakmpDeletePayload()
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(ISAKMP_PROTO_IPSEC_ESP), m_spiSize(4)
{
}

IsakmpDeletePayload::IsakmpDeletePayload(uint8_t protocol, uint8_t spiSize)
    : m_doi(ISAKMP_DOI_IPSEC), m_protocol(protocol), m_spiSize(spiSize)
{
}

IsakmpDeletePayload::~IsakmpDeletePayload() = default;

TypeId
IsakmpDeletePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpDeletePayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpDeletePayload>();
    return tid;
}

TypeId
IsakmpDeletePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpDeletePayload::Print(std::ostream& os) const
{
    os << "D proto=" << static_cast<uint32_t>(m_protocol) << " spis=";
    for (size_t k = 0; k < m_spis.size(); ++k)
    {
        os << (k ? "," : "") << Hex(m_spis[k]);
    }
}

uint8_t
IsakmpDeletePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_DELETE;
}

std::unique_ptr<IsakmpPayload>
IsakmpDeletePayload::Clone() const
{
    return std::make_unique<IsakmpDeletePayload>(*this);
}

uint32_t
IsakmpDeletePayload::GetBodySize() const
{
    return 8 + static_cast<uint32_t>(m_spis.size()) * m_spiSize;
}

void
IsakmpDeletePayload::SerializeBody(Buffer::Iterator& i) const
{
    NS_ABORT_MSG_IF(m_spis.size() > 0xffff, "more than 65535 SPIs in a Delete payload");
    // RFC 2408 3.15: "Domain of Interpretation (4 octets) - Identifies the DOI (as described in
    // Section 2.1) under which this deletion is taking place."
    i.WriteHtonU32(m_doi);
    // "Protocol-Id (1 octet) - ISAKMP can establish security associations for various protocols,
    // including ISAKMP and IPSEC. This field identifies which security association database to
    // apply the delete request."
    i.WriteU8(m_protocol);
    // "SPI Size (1 octet) - Length in octets of the SPI as defined by the Protocol-Id. In the
    // case of ISAKMP, the Initiator and Responder cookie pair is the ISAKMP SPI. In this case,
    // the SPI Size would be 16 octets for each SPI being deleted."
    i.WriteU8(m_spiSize);
    // "# of SPIs (2 octets) - The number of SPIs contained in the Delete payload."
    i.WriteHtonU16(static_cast<uint16_t>(m_spis.size()));
    // "Security Parameter Index(es) (variable length) - Identifies the specific security
    // association(s) to delete."
    for (const auto& spi : m_spis)
    {
        WriteBytes(i, spi);
    }
}

IsakmpParseStatus
IsakmpDeletePayload::ParseBody(const uint8_t* body, size_t len)
{
    m_spis.clear();
    if (len < 8)
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            "delete needs 8 bytes after the generic header, has " +
                                std::to_string(len));
    }
    m_doi = Be32(body);          // RFC 2408 3.15, Domain of Interpretation
    m_protocol = body[4];        // Protocol-Id
    m_spiSize = body[5];         // SPI Size
    uint16_t n = Be16(body + 6); // # of SPIs
    // "The length of this field is determined by the SPI Size and # of SPIs fields."
    if (size_t(m_spiSize) * n != len - 8 || (m_spiSize == 0 && n != 0))
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 10,
                            std::to_string(n) + " SPIs of " + std::to_string(m_spiSize) +
                                " bytes in a delete body of " + std::to_string(len - 8) +
                                " bytes after the fixed fields");
    }
    for (uint16_t k = 0; k < n; ++k)
    {
        const uint8_t* p = body + 8 + size_t(k) * m_spiSize;
        m_spis.emplace_back(p, p + m_spiSize);
    }
    return Status::Success();
}

void
IsakmpDeletePayload::SetDoi(uint32_t doi)
{
    m_doi = doi;
}

uint32_t
IsakmpDeletePayload::GetDoi() const
{
    return m_doi;
}

void
IsakmpDeletePayload::SetProtocolId(uint8_t protocol)
{
    m_protocol = protocol;
}

uint8_t
IsakmpDeletePayload::GetProtocolId() const
{
    return m_protocol;
}

void
IsakmpDeletePayload::SetSpiSize(uint8_t size)
{
    NS_ABORT_MSG_IF(!m_spis.empty() && size != m_spiSize,
                    "changing the SPI Size of a Delete payload that holds SPIs");
    m_spiSize = size;
}

uint8_t
IsakmpDeletePayload::GetSpiSize() const
{
    return m_spiSize;
}

void
IsakmpDeletePayload::AddSpi(const std::vector<uint8_t>& spi)
{
    NS_ABORT_MSG_IF(spi.size() != m_spiSize, "SPI of " << spi.size()
                                                       << " bytes in a Delete payload of SPI Size "
                                                       << static_cast<uint32_t>(m_spiSize));
    m_spis.push_back(spi);
}

void
IsakmpDeletePayload::AddSpi32(uint32_t spi)
{
    AddSpi({static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
            static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi)});
}

const std::vector<std::vector<uint8_t>>&
IsakmpDeletePayload::GetSpis() const
{
    return m_spis;
}

// --- IsakmpRawPayload --------------------------------------------------------------------

IsakmpRawPayload::IsakmpRawPayload() : m_type(ISAKMP_PAYLOAD_NONE)
{
}

IsakmpRawPayload::IsakmpRawPayload(uint8_t type, const std::vector<uint8_t>& body) : m_type(type)
{
    m_data = body;
}

TypeId
IsakmpRawPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpRawPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpRawPayload>();
    return tid;
}

TypeId
IsakmpRawPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpRawPayload::Print(std::ostream& os) const
{
    os << "raw(" << static_cast<uint32_t>(m_type) << ") " << Hex(m_data);
}

uint8_t
IsakmpRawPayload::GetPayloadType() const
{
    return m_type;
}

std::unique_ptr<IsakmpPayload>
IsakmpRawPayload::Clone() const
{
    return std::make_unique<IsakmpRawPayload>(*this);
}

void
IsakmpRawPayload::SetPayloadType(uint8_t type)
{
    m_type = type;
}

IsakmpParseStatus
IsakmpRawPayload::CheckDataLength(size_t len) const
{
    return Status::Success();
}

// --- IsakmpMessage -----------------------------------------------------------------------

IsakmpMessage::IsakmpMessage() : m_hasEncryptedBody(false), m_padding(0)
{
}

IsakmpMessage::~IsakmpMessage() = default;

IsakmpMessage::IsakmpMessage(const IsakmpMessage& o)
    : Header(o), m_header(o.m_header), m_encryptedBody(o.m_encryptedBody),
      m_hasEncryptedBody(o.m_hasEncryptedBody), m_padding(o.m_padding), m_status(o.m_status)
{
    for (const auto& p : o.m_payloads)
    {
        m_payloads.push_back(p->Clone());
    }
}

IsakmpMessage&
IsakmpMessage::operator=(const IsakmpMessage& o)
{
    if (this != &o)
    {
        IsakmpMessage copy(o);
        *this = std::move(copy);
    }
    return *this;
}

TypeId
IsakmpMessage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpMessage")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpMessage>();
    return tid;
}

TypeId
IsakmpMessage::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpMessage::Print(std::ostream& os) const
{
    IsakmpHeader h = m_header; // with the Length and Next Payload Serialize would write
    h.SetLength(GetSerializedSize());
    if (!m_hasEncryptedBody)
    {
        h.SetNextPayload(m_payloads.empty() ? uint8_t(ISAKMP_PAYLOAD_NONE)
                                            : m_payloads.front()->GetPayloadType());
    }
    h.Print(os);
    if (m_hasEncryptedBody)
    {
        os << " <encrypted " << m_encryptedBody.size() << " bytes>";
        return;
    }
    for (const auto& p : m_payloads)
    {
        os << " [";
        p->Print(os);
        os << "]";
    }
}

uint32_t
IsakmpMessage::GetBodySize() const
{
    if (m_hasEncryptedBody)
    {
        return static_cast<uint32_t>(m_encryptedBody.size());
    }
    uint32_t n = 0;
    for (const auto& p : m_payloads)
    {
        n += p->GetSerializedSize();
    }
    return n;
}

uint32_t
IsakmpMessage::GetSerializedSize() const
{
    return IsakmpHeader::SIZE + GetBodySize();
}

void
IsakmpMessage::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    IsakmpHeader h = m_header;
    // RFC 2408 3.1: "Length (4 octets) - Length of total message (header + payloads) in octets."
    h.SetLength(GetSerializedSize());
    if (m_hasEncryptedBody)
    {
        // The Next Payload of an encrypted message stays as received: the first payload is
        // inside the ciphertext.
        h.Serialize(i);
        i.Next(IsakmpHeader::SIZE);
        WriteBytes(i, m_encryptedBody);
        return;
    }
    // "Next Payload (1 octet) - Indicates the type of the first payload in the message."
    h.SetNextPayload(m_payloads.empty() ? uint8_t(ISAKMP_PAYLOAD_NONE)
                                        : m_payloads.front()->GetPayloadType());
    h.Serialize(i);
    i.Next(IsakmpHeader::SIZE);
    // RFC 2408 3.2: "If the current payload is the last in the message, then this field will
    // be 0."
    for (size_t k = 0; k < m_payloads.size(); ++k)
    {
        uint8_t next = k + 1 < m_payloads.size() ? m_payloads[k + 1]->GetPayloadType()
                                                 : uint8_t(ISAKMP_PAYLOAD_NONE);
        m_payloads[k]->SerializeWithNext(i, next);
    }
}

uint32_t
IsakmpMessage::Deserialize(Buffer::Iterator start)
{
    uint32_t avail = start.GetRemainingSize();
    if (avail < IsakmpHeader::SIZE)
    {
        ClearPayloads();
        m_status =
            Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0,
                         "ISAKMP header needs 28 bytes, " + std::to_string(avail) + " available");
        return 0;
    }
    Buffer::Iterator peek = start;
    peek.Next(24);
    uint32_t length = peek.ReadNtohU32();
    uint32_t n = std::min(avail, std::max(length, IsakmpHeader::SIZE));
    std::vector<uint8_t> bytes(n);
    start.Read(bytes.data(), n);
    // A Length beyond the bytes available (or below 28) fails Parse: Length must equal what it
    // is given.
    Status s = Parse(bytes.data(), bytes.size());
    return s.Ok() ? n : 0;
}

IsakmpHeader&
IsakmpMessage::GetHeader()
{
    return m_header;
}

const IsakmpHeader&
IsakmpMessage::GetHeader() const
{
    return m_header;
}

void
IsakmpMessage::SetHeader(const IsakmpHeader& header)
{
    m_header = header;
}

void
IsakmpMessage::AddPayload(std::unique_ptr<IsakmpPayload> payload)
{
    NS_ABORT_MSG_IF(!payload, "null ISAKMP payload");
    m_payloads.push_back(std::move(payload));
}

size_t
IsakmpMessage::GetNPayloads() const
{
    return m_payloads.size();
}

const IsakmpPayload&
IsakmpMessage::GetPayload(size_t i) const
{
    NS_ABORT_MSG_IF(i >= m_payloads.size(), "ISAKMP payload " << i << " of " << m_payloads.size());
    return *m_payloads[i];
}

IsakmpPayload&
IsakmpMessage::GetPayload(size_t i)
{
    NS_ABORT_MSG_IF(i >= m_payloads.size(), "ISAKMP payload " << i << " of " << m_payloads.size());
    return *m_payloads[i];
}

std::vector<uint8_t>
IsakmpMessage::GetPayloadTypes() const
{
    std::vector<uint8_t> types;
    for (const auto& p : m_payloads)
    {
        types.push_back(p->GetPayloadType());
    }
    return types;
}

void
IsakmpMessage::ClearPayloads()
{
    m_payloads.clear();
    m_encryptedBody.clear();
    m_hasEncryptedBody = false;
    m_padding = 0;
}

size_t
IsakmpMessage::CountPayloads(uint8_t type) const
{
    return static_cast<size_t>(std::count_if(m_payloads.begin(), m_payloads.end(),
                                             [type](const auto& p)
                                             { return p->GetPayloadType() == type; }));
}

bool
IsakmpMessage::HasEncryptedBody() const
{
    return m_hasEncryptedBody;
}

const std::vector<uint8_t>&
IsakmpMessage::GetEncryptedBody() const
{
    return m_encryptedBody;
}

void
IsakmpMessage::SetEncryptedBody(const std::vector<uint8_t>& body)
{
    m_payloads.clear();
    m_padding = 0;
    m_encryptedBody = body;
    m_hasEncryptedBody = true;
    m_header.SetEncrypted(true);
}

uint32_t
IsakmpMessage::GetPaddingLength() const
{
    return m_padding;
}

std::vector<uint8_t>
IsakmpMessage::ToBytes() const
{
    Buffer b;
    b.AddAtStart(GetSerializedSize());
    Serialize(b.Begin());
    std::vector<uint8_t> out(b.GetSize());
    b.CopyData(out.data(), out.size());
    return out;
}

IsakmpParseStatus
IsakmpMessage::Parse(const uint8_t* data, size_t len, bool decrypted)
{
    ClearPayloads();
    m_status = Status::Success();
    if (len < IsakmpHeader::SIZE)
    {
        m_status =
            Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0,
                         "ISAKMP header needs 28 bytes, datagram has " + std::to_string(len));
        return m_status;
    }
    m_header.ReadFrom(data);
    // RFC 2408 5.1: "Check the Major and Minor Version fields and confirm they are correct".
    if (m_header.GetMajorVersion() != 1)
    {
        m_status = Status::Fail(Status::BAD_VERSION, ISAKMP_NOTIFY_INVALID_MAJOR_VERSION, 17,
                                "Major Version " + std::to_string(m_header.GetMajorVersion()));
        return m_status;
    }
    if (m_header.GetMinorVersion() != 0)
    {
        m_status = Status::Fail(Status::BAD_VERSION, ISAKMP_NOTIFY_INVALID_MINOR_VERSION, 17,
                                "Minor Version " + std::to_string(m_header.GetMinorVersion()));
        return m_status;
    }
    // RFC 2408 3.1: "The remaining bits of the Flags field MUST be set to 0 prior to
    // transmission." 5.1: "Check the Flags field to ensure it contains correct values."
    if (m_header.GetFlags() & IsakmpHeader::FLAG_RESERVED)
    {
        m_status = Status::Fail(Status::BAD_FLAGS, ISAKMP_NOTIFY_INVALID_FLAGS, 19,
                                "reserved flag bits set in 0x" + Hex(Bytes{m_header.GetFlags()}));
        return m_status;
    }
    if (m_header.GetLength() != len)
    {
        m_status =
            Status::Fail(Status::BAD_MESSAGE_LENGTH, ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS, 24,
                         "Length field " + std::to_string(m_header.GetLength()) +
                             " but the datagram has " + std::to_string(len) + " bytes");
        return m_status;
    }
    if (m_header.IsEncrypted() && !decrypted)
    {
        // RFC 2408 3.1, Encryption bit: "all payloads following the header are encrypted using
        // the encryption algorithm identified in the ISAKMP SA."
        m_encryptedBody.assign(data + IsakmpHeader::SIZE, data + len);
        m_hasEncryptedBody = true;
        return m_status;
    }
    size_t off = IsakmpHeader::SIZE;
    uint8_t type = m_header.GetNextPayload();
    while (type != ISAKMP_PAYLOAD_NONE)
    {
        if (m_payloads.size() >= MAX_PAYLOADS)
        {
            m_status = Status::Fail(Status::TOO_MANY_PAYLOADS, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, off,
                                    "more than " + std::to_string(MAX_PAYLOADS) + " payloads");
            break;
        }
        if (len - off < IsakmpPayload::GENERIC_HEADER_SIZE)
        {
            m_status = Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, off,
                                    std::string(IsakmpPayloadTypeName(type)) + " payload (type " +
                                        std::to_string(type) + ") announced but " +
                                        std::to_string(len - off) + " bytes left");
            break;
        }
        std::unique_ptr<IsakmpPayload> p = IsakmpPayload::Create(type);
        if (!p)
        {
            // RFC 2408 3.5 / 3.6: Proposal and Transform payloads only exist inside an SA.
            m_status = Status::Fail(
                Status::BAD_PAYLOAD_TYPE, ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE, off,
                std::string(IsakmpPayloadTypeName(type)) + " payload outside an SA payload");
            break;
        }
        Status s = p->Parse(data + off, len - off);
        if (!s.Ok())
        {
            m_status = Shift(s, off);
            break;
        }
        if (dynamic_cast<IsakmpRawPayload*>(p.get()))
        {
            NS_LOG_INFO("ISAKMP payload of unknown type " << static_cast<uint32_t>(type)
                                                          << " kept raw at offset " << off);
        }
        off += p->GetPayloadLength();
        type = p->GetNextPayload();
        m_payloads.push_back(std::move(p));
    }
    if (m_status.Ok() && off != len)
    {
        if (m_header.IsEncrypted())
        {
            // The CBC padding of a decrypted body (RFC 2409 Appendix B; see IsakmpCipherState).
            m_padding = static_cast<uint32_t>(len - off);
        }
        else
        {
            m_status = Status::Fail(
                Status::TRAILING_DATA, ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS, off,
                std::to_string(len - off) + " bytes after the last payload of a cleartext message");
        }
    }
    if (!m_status.Ok())
    {
        NS_LOG_LOGIC("ISAKMP parse failed: " << m_status.ToString());
    }
    return m_status;
}

std::optional<IsakmpMessage>
IsakmpMessage::FromBytes(const std::vector<uint8_t>& bytes, IsakmpParseStatus* status)
{
    IsakmpMessage m;
    Status s = m.Parse(bytes.data(), bytes.size(), false);
    if (status)
    {
        *status = s;
    }
    if (!s.Ok())
    {
        return std::nullopt;
    }
    return m;
}

std::optional<IsakmpMessage>
IsakmpMessage::FromDecryptedBytes(const std::vector<uint8_t>& bytes, IsakmpParseStatus* status)
{
    IsakmpMessage m;
    Status s = m.Parse(bytes.data(), bytes.size(), true);
    if (status)
    {
        *status = s;
    }
    if (!s.Ok())
    {
        return std::nullopt;
    }
    return m;
}

const IsakmpParseStatus&
IsakmpMessage::GetParseStatus() const
{
    return m_status;
}

} // namespace ns3
