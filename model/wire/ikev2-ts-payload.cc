#include "ns3/ikev2-ts-payload.h"

#include "ikev2-wire-util.h"

#include <stdexcept>

namespace ns3
{

using namespace ikev2_wire;

namespace
{

/** Selector Length of a type, 0 for types we do not know. */
size_t
SelectorLength(uint8_t type)
{
    switch (type)
    {
    case IKEV2_TS_IPV4_ADDR_RANGE:
        return 16;
    case IKEV2_TS_IPV6_ADDR_RANGE:
        return 40;
    default:
        return 0;
    }
}

Bytes
Ipv4Bytes(uint32_t a)
{
    Bytes b;
    PutBe32(b, a);
    return b;
}

std::string
AddressText(const Bytes& a)
{
    if (a.size() == 4)
    {
        return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) +
               "." + std::to_string(a[3]);
    }
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (size_t k = 0; k < a.size(); ++k)
    {
        if (k > 0 && k % 2 == 0)
        {
            s += ':';
        }
        s += hex[a[k] >> 4];
        s += hex[a[k] & 15];
    }
    return s;
}

} // namespace

Ikev2TrafficSelector
Ikev2TrafficSelector::Ipv4(uint32_t first, uint32_t last, uint8_t protocol, uint16_t startPort,
                           uint16_t endPort)
{
    Ikev2TrafficSelector ts;
    ts.type = IKEV2_TS_IPV4_ADDR_RANGE;
    ts.protocol = protocol;
    ts.startPort = startPort;
    ts.endPort = endPort;
    ts.start = Ipv4Bytes(first);
    ts.end = Ipv4Bytes(last);
    return ts;
}

uint32_t
Ikev2TrafficSelector::Ipv4Start() const
{
    return start.size() == 4 ? Be32(start.data()) : 0;
}

uint32_t
Ikev2TrafficSelector::Ipv4End() const
{
    return end.size() == 4 ? Be32(end.data()) : 0;
}

void
Ikev2TrafficSelector::AppendTo(Bytes& out) const
{
    const size_t length = SelectorLength(type);
    const size_t addr = (length - 8) / 2;
    if (length == 0 || start.size() != addr || end.size() != addr)
    {
        throw std::invalid_argument("traffic selector of type " + std::to_string(type) + " with " +
                                    std::to_string(start.size()) + "- and " +
                                    std::to_string(end.size()) + "-byte addresses");
    }
    out.push_back(type);
    out.push_back(protocol);
    PutBe16(out, static_cast<uint16_t>(length));
    PutBe16(out, startPort);
    PutBe16(out, endPort);
    out.insert(out.end(), start.begin(), start.end());
    out.insert(out.end(), end.begin(), end.end());
}

Status
Ikev2TrafficSelector::Parse(const uint8_t* data, size_t len, size_t& length)
{
    if (len < 8)
    {
        return Short("traffic selector", 0, 8, len);
    }
    const size_t want = SelectorLength(data[0]);
    if (want == 0)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0,
                      "TS Type " + std::to_string(data[0]) + " (7 IPv4 or 8 IPv6 expected)");
    }
    length = Be16(data + 2);
    if (length != want)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 2,
                      "Selector Length " + std::to_string(length) + " for TS Type " +
                          std::to_string(data[0]) + " (" + std::to_string(want) + " expected)");
    }
    if (length > len)
    {
        return Short("traffic selector", 0, length, len);
    }
    type = data[0];
    protocol = data[1];
    startPort = Be16(data + 4);
    endPort = Be16(data + 6);
    const size_t addr = (length - 8) / 2;
    start.assign(data + 8, data + 8 + addr);
    end.assign(data + 8 + addr, data + length);
    return Status::Success();
}

std::string
Ikev2TrafficSelector::ToString() const
{
    return AddressText(start) + "-" + AddressText(end) + " proto " + std::to_string(protocol) +
           " port " + std::to_string(startPort) + "-" + std::to_string(endPort);
}

bool
Ikev2TrafficSelector::operator==(const Ikev2TrafficSelector& o) const
{
    return type == o.type && protocol == o.protocol && startPort == o.startPort &&
           endPort == o.endPort && start == o.start && end == o.end;
}

Ikev2TsPayload::Ikev2TsPayload(uint8_t type) : m_type(type)
{
}

uint8_t
Ikev2TsPayload::GetType() const
{
    return m_type;
}

std::unique_ptr<Ikev2Payload>
Ikev2TsPayload::Clone() const
{
    return std::make_unique<Ikev2TsPayload>(*this);
}

void
Ikev2TsPayload::AppendBody(Bytes& out) const
{
    if (selectors.size() > 0xff)
    {
        throw std::length_error(std::to_string(selectors.size()) + " traffic selectors");
    }
    out.push_back(static_cast<uint8_t>(selectors.size()));
    out.insert(out.end(), 3, 0);
    for (const Ikev2TrafficSelector& ts : selectors)
    {
        ts.AppendTo(out);
    }
}

Status
Ikev2TsPayload::ParseBody(const uint8_t* body, size_t len)
{
    const char* what = Ikev2PayloadTypeName(m_type);
    if (len < 4)
    {
        return Short(what, 0, 4, len);
    }
    const size_t count = body[0];
    if (count == 0)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0, std::string(what) + " with no selector");
    }
    if (count > MAX_SELECTORS)
    {
        return Syntax(Status::TOO_MANY, 0,
                      std::string(what) + " announces " + std::to_string(count) +
                          " selectors (at most " + std::to_string(MAX_SELECTORS) + ")");
    }
    selectors.clear();
    size_t off = 4;
    for (size_t k = 0; k < count; ++k)
    {
        Ikev2TrafficSelector ts;
        size_t length = 0;
        Status s = ts.Parse(body + off, len - off, length);
        if (!s.Ok())
        {
            return s.Shifted(off);
        }
        selectors.push_back(std::move(ts));
        off += length;
    }
    if (off != len)
    {
        return Syntax(Status::TRAILING_DATA, off,
                      std::to_string(len - off) + " bytes after the " + std::to_string(count) +
                          " selectors " + what + " announces");
    }
    return Status::Success();
}

std::string
Ikev2TsPayload::Describe() const
{
    std::string s = Ikev2PayloadTypeName(m_type);
    for (const Ikev2TrafficSelector& ts : selectors)
    {
        s += " " + ts.ToString();
    }
    return s;
}

} // namespace ns3
