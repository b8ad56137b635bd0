#include "ns3/ikev2-header.h"

#include "ikev2-wire-util.h"

#include <cstring>

namespace ns3
{

Ikev2ParseStatus
Ikev2ParseStatus::Success()
{
    return Ikev2ParseStatus();
}

Ikev2ParseStatus
Ikev2ParseStatus::Fail(Code code, uint16_t notify, size_t offset, std::string reason)
{
    Ikev2ParseStatus s;
    s.code = code;
    s.notify = notify;
    s.offset = static_cast<uint32_t>(offset);
    s.reason = std::move(reason);
    return s;
}

Ikev2ParseStatus
Ikev2ParseStatus::Shifted(size_t by) const
{
    Ikev2ParseStatus s = *this;
    if (!s.Ok())
    {
        s.offset += static_cast<uint32_t>(by);
    }
    return s;
}

const char*
Ikev2ParseStatus::CodeName(Code code)
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
    case BAD_PAYLOAD_LENGTH:
        return "bad payload length";
    case BAD_PAYLOAD_TYPE:
        return "bad payload type";
    case BAD_PAYLOAD_BODY:
        return "bad payload body";
    case TOO_MANY:
        return "too many";
    case UNSUPPORTED_CRITICAL:
        return "unsupported critical payload";
    case TRAILING_DATA:
        return "trailing data";
    case INTEGRITY_FAILED:
        return "integrity check failed";
    case DECRYPTION_FAILED:
        return "decryption failed";
    }
    return "unknown";
}

std::string
Ikev2ParseStatus::ToString() const
{
    if (Ok())
    {
        return "ok";
    }
    return std::string(CodeName(code)) + " at offset " + std::to_string(offset) + ": " + reason;
}

void
Ikev2Header::AppendTo(std::vector<uint8_t>& out) const
{
    out.insert(out.end(), spiI.begin(), spiI.end());
    out.insert(out.end(), spiR.begin(), spiR.end());
    out.push_back(nextPayload);
    out.push_back(version);
    out.push_back(exchangeType);
    out.push_back(flags);
    ikev2_wire::PutBe32(out, messageId);
    ikev2_wire::PutBe32(out, length);
}

Ikev2ParseStatus
Ikev2Header::Read(const uint8_t* data, size_t len)
{
    using S = Ikev2ParseStatus;
    if (len < SIZE)
    {
        return S::Fail(S::TRUNCATED, IKEV2_N_INVALID_SYNTAX, len,
                       "IKEv2 header needs 28 bytes, " + std::to_string(len) + " given");
    }
    std::memcpy(spiI.data(), data, 8);
    std::memcpy(spiR.data(), data + 8, 8);
    nextPayload = data[16];
    version = data[17];
    exchangeType = data[18];
    flags = data[19];
    messageId = ikev2_wire::Be32(data + 20);
    length = ikev2_wire::Be32(data + 24);
    if ((version >> 4) != 2)
    {
        return S::Fail(S::BAD_VERSION, IKEV2_N_INVALID_MAJOR_VERSION, 17,
                       "Major Version " + std::to_string(version >> 4) + " (IKEv2 is 2)");
    }
    return S::Success();
}

Ikev2Spi
Ikev2SpiFromUint64(uint64_t value)
{
    Ikev2Spi s{};
    for (int k = 7; k >= 0; --k)
    {
        s[k] = static_cast<uint8_t>(value);
        value >>= 8;
    }
    return s;
}

uint64_t
Ikev2SpiToUint64(const Ikev2Spi& spi)
{
    uint64_t v = 0;
    for (uint8_t b : spi)
    {
        v = (v << 8) | b;
    }
    return v;
}

} // namespace ns3
