#include "ns3/ikev2-payload.h"

#include "ikev2-wire-util.h"

#include "ns3/ikev2-sa-payload.h"
#include "ns3/ikev2-ts-payload.h"

#include <stdexcept>

namespace ns3
{

using namespace ikev2_wire;

namespace
{

/** Append @p v to @p out. */
void
Append(Bytes& out, const Bytes& v)
{
    out.insert(out.end(), v.begin(), v.end());
}

/** Read "Type (1 octet) | RESERVED (3 octets) | data": the ID and AUTH layout. */
Status
ParseTypeAndData(const uint8_t* body, size_t len, const char* what, uint8_t& type, Bytes& data)
{
    if (len < 4)
    {
        return Short(what, 0, 4, len);
    }
    if (len == 4)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 4, std::string(what) + " carries no data");
    }
    type = body[0];
    data.assign(body + 4, body + len);
    return Status::Success();
}

} // namespace

Ikev2Payload::~Ikev2Payload() = default;

std::string
Ikev2Payload::Describe() const
{
    std::vector<uint8_t> body;
    AppendBody(body);
    return std::string(Ikev2PayloadTypeName(GetType())) + " " + std::to_string(body.size()) +
           " bytes";
}

void
Ikev2Payload::AppendTo(Bytes& out, uint8_t next) const
{
    const size_t start = out.size();
    out.push_back(next);
    out.push_back(m_critical ? CRITICAL_BIT : 0);
    PutBe16(out, 0);
    AppendBody(out);
    const size_t length = out.size() - start;
    if (length > 0xffff)
    {
        out.resize(start);
        throw std::length_error(std::string("IKEv2 ") + Ikev2PayloadTypeName(GetType()) +
                                " payload of " + std::to_string(length) +
                                " bytes does not fit its 16-bit Payload Length");
    }
    SetBe16(out, start + 2, static_cast<uint16_t>(length));
}

Bytes
Ikev2Payload::ToBytes(uint8_t next) const
{
    Bytes out;
    AppendTo(out, next);
    return out;
}

Status
Ikev2Payload::Parse(const uint8_t* data, size_t len)
{
    if (len < GENERIC_HEADER_SIZE)
    {
        return Short("generic payload header", 0, GENERIC_HEADER_SIZE, len);
    }
    const uint16_t length = Be16(data + 2);
    if (length < GENERIC_HEADER_SIZE || length > len)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 2,
                      std::string(Ikev2PayloadTypeName(GetType())) + " Payload Length " +
                          std::to_string(length) + " (needs 4 to " + std::to_string(len) + ")");
    }
    m_nextPayload = data[0];
    m_critical = (data[1] & CRITICAL_BIT) != 0;
    m_payloadLength = length;
    return ParseBody(data + GENERIC_HEADER_SIZE, length - GENERIC_HEADER_SIZE)
        .Shifted(GENERIC_HEADER_SIZE);
}

std::unique_ptr<Ikev2Payload>
Ikev2Payload::Create(uint8_t type)
{
    switch (type)
    {
    case IKEV2_PAYLOAD_SA:
        return std::make_unique<Ikev2SaPayload>();
    case IKEV2_PAYLOAD_KE:
        return std::make_unique<Ikev2KePayload>();
    case IKEV2_PAYLOAD_IDI:
    case IKEV2_PAYLOAD_IDR:
        return std::make_unique<Ikev2IdPayload>(type);
    case IKEV2_PAYLOAD_CERT:
    case IKEV2_PAYLOAD_CERTREQ:
        return std::make_unique<Ikev2CertPayload>(type);
    case IKEV2_PAYLOAD_AUTH:
        return std::make_unique<Ikev2AuthPayload>();
    case IKEV2_PAYLOAD_NONCE:
        return std::make_unique<Ikev2NoncePayload>();
    case IKEV2_PAYLOAD_NOTIFY:
        return std::make_unique<Ikev2NotifyPayload>();
    case IKEV2_PAYLOAD_DELETE:
        return std::make_unique<Ikev2DeletePayload>();
    case IKEV2_PAYLOAD_VENDOR_ID:
        return std::make_unique<Ikev2VendorIdPayload>();
    case IKEV2_PAYLOAD_TSI:
    case IKEV2_PAYLOAD_TSR:
        return std::make_unique<Ikev2TsPayload>(type);
    case IKEV2_PAYLOAD_SK:
        return std::make_unique<Ikev2EncryptedPayload>();
    default:
        return std::make_unique<Ikev2UnknownPayload>(type);
    }
}

// --- KE ---------------------------------------------------------------------------------------

uint8_t
Ikev2KePayload::GetType() const
{
    return IKEV2_PAYLOAD_KE;
}

std::unique_ptr<Ikev2Payload>
Ikev2KePayload::Clone() const
{
    return std::make_unique<Ikev2KePayload>(*this);
}

void
Ikev2KePayload::AppendBody(Bytes& out) const
{
    PutBe16(out, dhGroup);
    PutBe16(out, 0);
    Append(out, data);
}

Status
Ikev2KePayload::ParseBody(const uint8_t* body, size_t len)
{
    if (len < 4)
    {
        return Short("KE", 0, 4, len);
    }
    if (len == 4)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 4, "KE carries no Key Exchange Data");
    }
    dhGroup = Be16(body);
    data.assign(body + 4, body + len);
    return Status::Success();
}

std::string
Ikev2KePayload::Describe() const
{
    return "KE group " + std::to_string(dhGroup) + ", " + std::to_string(data.size()) + " bytes";
}

// --- IDi / IDr --------------------------------------------------------------------------------

Ikev2IdPayload::Ikev2IdPayload(uint8_t type) : m_type(type)
{
}

uint8_t
Ikev2IdPayload::GetType() const
{
    return m_type;
}

std::unique_ptr<Ikev2Payload>
Ikev2IdPayload::Clone() const
{
    return std::make_unique<Ikev2IdPayload>(*this);
}

void
Ikev2IdPayload::AppendBody(Bytes& out) const
{
    out.push_back(idType);
    out.insert(out.end(), 3, 0);
    Append(out, data);
}

Bytes
Ikev2IdPayload::BodyBytes() const
{
    Bytes out;
    AppendBody(out);
    return out;
}

Status
Ikev2IdPayload::ParseBody(const uint8_t* body, size_t len)
{
    Status s = ParseTypeAndData(body, len, Ikev2PayloadTypeName(m_type), idType, data);
    if (!s.Ok())
    {
        return s;
    }
    const size_t want = idType == IKEV2_ID_IPV4_ADDR ? 4 : idType == IKEV2_ID_IPV6_ADDR ? 16 : 0;
    if (want != 0 && data.size() != want)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 4,
                      std::string(Ikev2PayloadTypeName(m_type)) + " of an IP address with " +
                          std::to_string(data.size()) + " bytes (needs " + std::to_string(want) +
                          ")");
    }
    return Status::Success();
}

std::string
Ikev2IdPayload::Describe() const
{
    std::string value;
    if (idType == IKEV2_ID_IPV4_ADDR && data.size() == 4)
    {
        value = std::to_string(data[0]) + "." + std::to_string(data[1]) + "." +
                std::to_string(data[2]) + "." + std::to_string(data[3]);
    }
    else if (idType == IKEV2_ID_FQDN || idType == IKEV2_ID_RFC822_ADDR)
    {
        value = std::string(data.begin(), data.end());
    }
    else
    {
        value = std::to_string(data.size()) + " bytes";
    }
    return std::string(Ikev2PayloadTypeName(m_type)) + " type " + std::to_string(idType) + " " +
           value;
}

// --- CERT / CERTREQ ---------------------------------------------------------------------------

Ikev2CertPayload::Ikev2CertPayload(uint8_t type) : m_type(type)
{
}

uint8_t
Ikev2CertPayload::GetType() const
{
    return m_type;
}

std::unique_ptr<Ikev2Payload>
Ikev2CertPayload::Clone() const
{
    return std::make_unique<Ikev2CertPayload>(*this);
}

void
Ikev2CertPayload::AppendBody(Bytes& out) const
{
    out.push_back(encoding);
    Append(out, data);
}

Status
Ikev2CertPayload::ParseBody(const uint8_t* body, size_t len)
{
    const char* what = Ikev2PayloadTypeName(m_type);
    if (len < 1)
    {
        return Short(what, 0, 1, len);
    }
    encoding = body[0];
    data.assign(body + 1, body + len);
    if (m_type == IKEV2_PAYLOAD_CERT && data.empty())
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 1, "CERT carries no Certificate Data");
    }
    // RFC 7296 3.7: for X.509 the CA field is a list of 20-byte SHA-1 hashes of CA public keys.
    if (m_type == IKEV2_PAYLOAD_CERTREQ && encoding == IKEV2_CERT_X509_SIGNATURE &&
        data.size() % 20 != 0)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 1,
                      "CERTREQ for X.509 with " + std::to_string(data.size()) +
                          " bytes of CA hashes (a multiple of 20 expected)");
    }
    return Status::Success();
}

std::string
Ikev2CertPayload::Describe() const
{
    return std::string(Ikev2PayloadTypeName(m_type)) + " encoding " + std::to_string(encoding) +
           ", " + std::to_string(data.size()) + " bytes";
}

// --- AUTH -------------------------------------------------------------------------------------

uint8_t
Ikev2AuthPayload::GetType() const
{
    return IKEV2_PAYLOAD_AUTH;
}

std::unique_ptr<Ikev2Payload>
Ikev2AuthPayload::Clone() const
{
    return std::make_unique<Ikev2AuthPayload>(*this);
}

void
Ikev2AuthPayload::AppendBody(Bytes& out) const
{
    out.push_back(method);
    out.insert(out.end(), 3, 0);
    Append(out, data);
}

Status
Ikev2AuthPayload::ParseBody(const uint8_t* body, size_t len)
{
    return ParseTypeAndData(body, len, "AUTH", method, data);
}

std::string
Ikev2AuthPayload::Describe() const
{
    return "AUTH method " + std::to_string(method) + ", " + std::to_string(data.size()) + " bytes";
}

// --- Ni / Nr ----------------------------------------------------------------------------------

uint8_t
Ikev2NoncePayload::GetType() const
{
    return IKEV2_PAYLOAD_NONCE;
}

std::unique_ptr<Ikev2Payload>
Ikev2NoncePayload::Clone() const
{
    return std::make_unique<Ikev2NoncePayload>(*this);
}

void
Ikev2NoncePayload::AppendBody(Bytes& out) const
{
    Append(out, nonce);
}

Status
Ikev2NoncePayload::ParseBody(const uint8_t* body, size_t len)
{
    if (len < MIN_NONCE || len > MAX_NONCE)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0,
                      "Nonce of " + std::to_string(len) + " bytes (RFC 7296 3.9: 16 to 256)");
    }
    nonce.assign(body, body + len);
    return Status::Success();
}

std::string
Ikev2NoncePayload::Describe() const
{
    return "Nonce " + std::to_string(nonce.size()) + " bytes";
}

// --- N ----------------------------------------------------------------------------------------

uint8_t
Ikev2NotifyPayload::GetType() const
{
    return IKEV2_PAYLOAD_NOTIFY;
}

std::unique_ptr<Ikev2Payload>
Ikev2NotifyPayload::Clone() const
{
    return std::make_unique<Ikev2NotifyPayload>(*this);
}

void
Ikev2NotifyPayload::AppendBody(Bytes& out) const
{
    if (spi.size() > 0xff)
    {
        throw std::length_error("Notify SPI of " + std::to_string(spi.size()) + " bytes");
    }
    out.push_back(protocol);
    out.push_back(static_cast<uint8_t>(spi.size()));
    PutBe16(out, notifyType);
    Append(out, spi);
    Append(out, data);
}

Status
Ikev2NotifyPayload::ParseBody(const uint8_t* body, size_t len)
{
    if (len < 4)
    {
        return Short("Notify", 0, 4, len);
    }
    const size_t spiSize = body[1];
    if (4 + spiSize > len)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 1,
                      "Notify SPI Size " + std::to_string(spiSize) + " but only " +
                          std::to_string(len - 4) + " bytes follow");
    }
    protocol = body[0];
    notifyType = Be16(body + 2);
    spi.assign(body + 4, body + 4 + spiSize);
    data.assign(body + 4 + spiSize, body + len);
    return Status::Success();
}

std::string
Ikev2NotifyPayload::Describe() const
{
    return std::string("N(") + Ikev2NotifyTypeName(notifyType) + ") type " +
           std::to_string(notifyType) + ", " + std::to_string(data.size()) + " bytes";
}

bool
Ikev2NotifyPayload::IsError() const
{
    return notifyType < 16384;
}

// --- D ----------------------------------------------------------------------------------------

uint8_t
Ikev2DeletePayload::GetType() const
{
    return IKEV2_PAYLOAD_DELETE;
}

std::unique_ptr<Ikev2Payload>
Ikev2DeletePayload::Clone() const
{
    return std::make_unique<Ikev2DeletePayload>(*this);
}

void
Ikev2DeletePayload::AppendBody(Bytes& out) const
{
    const bool ike = protocol == IKEV2_PROTO_IKE;
    if (spis.size() > 0xffff || (ike && !spis.empty()))
    {
        throw std::length_error("Delete payload with " + std::to_string(spis.size()) + " SPIs");
    }
    out.push_back(protocol);
    out.push_back(ike ? 0 : 4);
    PutBe16(out, static_cast<uint16_t>(spis.size()));
    for (uint32_t spi : spis)
    {
        PutBe32(out, spi);
    }
}

Status
Ikev2DeletePayload::ParseBody(const uint8_t* body, size_t len)
{
    if (len < 4)
    {
        return Short("Delete", 0, 4, len);
    }
    const uint8_t proto = body[0];
    const size_t spiSize = body[1];
    const size_t count = Be16(body + 2);
    // RFC 7296 3.11: the IKE SA is named by the header's SPIs (SPI Size 0, no SPIs); AH and ESP
    // SAs by their 4-byte SPIs.
    if (proto != IKEV2_PROTO_IKE && proto != IKEV2_PROTO_AH && proto != IKEV2_PROTO_ESP)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0,
                      "Delete for Protocol ID " + std::to_string(proto) + " (1, 2 or 3 expected)");
    }
    const size_t want = proto == IKEV2_PROTO_IKE ? 0 : 4;
    if (spiSize != want || (proto == IKEV2_PROTO_IKE && count != 0))
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 1,
                      "Delete with SPI Size " + std::to_string(spiSize) + " and " +
                          std::to_string(count) + " SPIs for Protocol ID " + std::to_string(proto) +
                          " (SPI Size " + std::to_string(want) + (want == 0 ? ", no SPIs" : "") +
                          " expected)");
    }
    if (len != 4 + spiSize * count)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 2,
                      "Delete announces " + std::to_string(count) + " SPIs in " +
                          std::to_string(len - 4) + " bytes");
    }
    protocol = proto;
    spis.clear();
    for (size_t k = 0; k < count; ++k)
    {
        spis.push_back(Be32(body + 4 + 4 * k));
    }
    return Status::Success();
}

std::string
Ikev2DeletePayload::Describe() const
{
    return "D protocol " + std::to_string(protocol) + ", " + std::to_string(spis.size()) + " SPIs";
}

// --- V ----------------------------------------------------------------------------------------

uint8_t
Ikev2VendorIdPayload::GetType() const
{
    return IKEV2_PAYLOAD_VENDOR_ID;
}

std::unique_ptr<Ikev2Payload>
Ikev2VendorIdPayload::Clone() const
{
    return std::make_unique<Ikev2VendorIdPayload>(*this);
}

void
Ikev2VendorIdPayload::AppendBody(Bytes& out) const
{
    Append(out, vendorId);
}

Status
Ikev2VendorIdPayload::ParseBody(const uint8_t* body, size_t len)
{
    if (len == 0)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0, "Vendor ID payload is empty");
    }
    vendorId.assign(body, body + len);
    return Status::Success();
}

// --- SK ---------------------------------------------------------------------------------------

uint8_t
Ikev2EncryptedPayload::GetType() const
{
    return IKEV2_PAYLOAD_SK;
}

std::unique_ptr<Ikev2Payload>
Ikev2EncryptedPayload::Clone() const
{
    return std::make_unique<Ikev2EncryptedPayload>(*this);
}

void
Ikev2EncryptedPayload::AppendBody(Bytes& out) const
{
    Append(out, body);
}

Status
Ikev2EncryptedPayload::ParseBody(const uint8_t* data, size_t len)
{
    // Whether IV, ciphertext and ICV fit is for the cipher to judge (Ikev2SkCipher::Open).
    body.assign(data, data + len);
    firstInner = GetNextPayload();
    return Status::Success();
}

// --- unknown ----------------------------------------------------------------------------------

Ikev2UnknownPayload::Ikev2UnknownPayload(uint8_t type) : m_type(type)
{
}

uint8_t
Ikev2UnknownPayload::GetType() const
{
    return m_type;
}

std::unique_ptr<Ikev2Payload>
Ikev2UnknownPayload::Clone() const
{
    return std::make_unique<Ikev2UnknownPayload>(*this);
}

void
Ikev2UnknownPayload::AppendBody(Bytes& out) const
{
    Append(out, body);
}

Status
Ikev2UnknownPayload::ParseBody(const uint8_t* data, size_t len)
{
    body.assign(data, data + len);
    return Status::Success();
}

} // namespace ns3
