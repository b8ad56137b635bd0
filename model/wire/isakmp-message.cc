#include "ns3/isakmp-message.h"

#include "isakmp-payload-util.h"
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

NS_OBJECT_ENSURE_REGISTERED(IsakmpMessage);

using namespace isakmp_wire;

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
