// Private to the ISAKMP payload files (isakmp-*.cc): byte helpers and the parser of proposal and
// transform chains they share. Not for users of the payload classes.
#ifndef IPSEC_ISAKMP_PAYLOAD_UTIL_H
#define IPSEC_ISAKMP_PAYLOAD_UTIL_H

#include "ns3/isakmp-payload.h"

#include "ns3/buffer.h"

#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace isakmp_wire
{

using Bytes = std::vector<uint8_t>;
using Status = IsakmpParseStatus;

/** Largest body a 16-bit Payload Length can describe. */
inline constexpr uint32_t MAX_BODY = 0xffff - IsakmpPayload::GENERIC_HEADER_SIZE;
/** Most SA attributes accepted in one transform on parsing. */
inline constexpr size_t MAX_ATTRIBUTES = 255;

inline uint16_t
Be16(const uint8_t* p)
{
    return static_cast<uint16_t>((uint16_t(p[0]) << 8) | p[1]);
}

inline uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

inline void
WriteBytes(Buffer::Iterator& i, const Bytes& v)
{
    if (!v.empty())
    {
        i.Write(v.data(), static_cast<uint32_t>(v.size()));
    }
}

/** A failure at @p at (relative to its container) moved by @p by. */
inline Status
Shift(Status s, size_t by)
{
    if (!s.Ok())
    {
        s.offset += static_cast<uint32_t>(by);
    }
    return s;
}

inline std::string
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

} // namespace isakmp_wire
} // namespace ns3

#endif
