#include "ns3/isakmp-notify-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpNotificationPayload);

using namespace isakmp_wire;

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

} // namespace ns3
