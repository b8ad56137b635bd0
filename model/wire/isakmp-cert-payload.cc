#include "ns3/isakmp-cert-payload.h"

#include "isakmp-payload-util.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpCertificatePayload);
NS_OBJECT_ENSURE_REGISTERED(IsakmpCertificateRequestPayload);

using namespace isakmp_wire;

namespace
{
/** RFC 2408 3.9: "11 - 255 RESERVED" for both the encoding and the requested type. */
constexpr uint8_t kFirstReservedEncoding = 11;

/** One octet of type, then the rest: the shared body of CERT and CERT_REQ. */
Status
ParseTypedBody(const uint8_t* body, size_t len, const char* what, bool dataRequired,
               uint16_t reservedNotify, uint8_t* type, Bytes* data)
{
    data->clear();
    if (len < 1 || (dataRequired && len < 2))
    {
        return Status::Fail(Status::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 4,
                            std::string(what) + (len < 1 ? " payload without its type octet"
                                                         : " payload without certificate data"));
    }
    *type = body[0];
    if (*type >= kFirstReservedEncoding)
    {
        return Status::Fail(Status::BAD_PAYLOAD_BODY, reservedNotify, 4,
                            std::string(what) + " type " + std::to_string(*type) + " is reserved");
    }
    data->assign(body + 1, body + len);
    return Status::Success();
}
} // namespace

// --- CERT ------------------------------------------------------------------------------------

IsakmpCertificatePayload::IsakmpCertificatePayload() = default;

IsakmpCertificatePayload::IsakmpCertificatePayload(uint8_t encoding,
                                                   const std::vector<uint8_t>& data)
    : m_encoding(encoding), m_data(data)
{
}

TypeId
IsakmpCertificatePayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpCertificatePayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpCertificatePayload>();
    return tid;
}

TypeId
IsakmpCertificatePayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpCertificatePayload::Print(std::ostream& os) const
{
    os << "CERT encoding=" << unsigned(m_encoding) << " " << Hex(m_data);
}

uint8_t
IsakmpCertificatePayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_CERTIFICATE;
}

std::unique_ptr<IsakmpPayload>
IsakmpCertificatePayload::Clone() const
{
    return std::make_unique<IsakmpCertificatePayload>(*this);
}

uint32_t
IsakmpCertificatePayload::GetBodySize() const
{
    return static_cast<uint32_t>(1 + m_data.size());
}

void
IsakmpCertificatePayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.9: "Certificate Encoding (1 octet)", "Certificate Data (variable length)".
    i.WriteU8(m_encoding);
    WriteBytes(i, m_data);
}

IsakmpParseStatus
IsakmpCertificatePayload::ParseBody(const uint8_t* body, size_t len)
{
    return ParseTypedBody(body, len, "CERT", true, ISAKMP_NOTIFY_INVALID_CERT_ENCODING, &m_encoding,
                          &m_data);
}

// --- CERT_REQ --------------------------------------------------------------------------------

IsakmpCertificateRequestPayload::IsakmpCertificateRequestPayload() = default;

IsakmpCertificateRequestPayload::IsakmpCertificateRequestPayload(
    uint8_t certType, const std::vector<uint8_t>& authority)
    : m_certType(certType), m_authority(authority)
{
}

TypeId
IsakmpCertificateRequestPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpCertificateRequestPayload")
                            .SetParent<IsakmpPayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpCertificateRequestPayload>();
    return tid;
}

TypeId
IsakmpCertificateRequestPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IsakmpCertificateRequestPayload::Print(std::ostream& os) const
{
    os << "CERT_REQ type=" << unsigned(m_certType) << " " << Hex(m_authority);
}

uint8_t
IsakmpCertificateRequestPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_CERTIFICATE_REQUEST;
}

std::unique_ptr<IsakmpPayload>
IsakmpCertificateRequestPayload::Clone() const
{
    return std::make_unique<IsakmpCertificateRequestPayload>(*this);
}

uint32_t
IsakmpCertificateRequestPayload::GetBodySize() const
{
    return static_cast<uint32_t>(1 + m_authority.size());
}

void
IsakmpCertificateRequestPayload::SerializeBody(Buffer::Iterator& i) const
{
    // RFC 2408 3.10: "Certificate Type (1 octet)", "Certificate Authority (variable length)".
    i.WriteU8(m_certType);
    WriteBytes(i, m_authority);
}

IsakmpParseStatus
IsakmpCertificateRequestPayload::ParseBody(const uint8_t* body, size_t len)
{
    return ParseTypedBody(body, len, "CERT_REQ", false, ISAKMP_NOTIFY_CERT_TYPE_UNSUPPORTED,
                          &m_certType, &m_authority);
}

} // namespace ns3
