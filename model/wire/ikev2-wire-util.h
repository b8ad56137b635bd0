// Private to the IKEv2 wire files (ikev2-*.cc): big-endian helpers and the failure shorthand
// they share. Not for users of the payload classes.
#ifndef IPSEC_IKEV2_WIRE_UTIL_H
#define IPSEC_IKEV2_WIRE_UTIL_H

#include "ns3/ikev2-header.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ikev2_wire
{

using Bytes = std::vector<uint8_t>;
using Status = Ikev2ParseStatus;

/** Largest body a 16-bit Payload Length can describe. */
inline constexpr size_t MAX_BODY = 0xffff - 4;

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
PutBe16(Bytes& out, uint16_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

inline void
PutBe32(Bytes& out, uint32_t v)
{
    PutBe16(out, static_cast<uint16_t>(v >> 16));
    PutBe16(out, static_cast<uint16_t>(v));
}

/** Write @p v big-endian at @p at (for lengths known only after the body is written). */
inline void
SetBe16(Bytes& out, size_t at, uint16_t v)
{
    out[at] = static_cast<uint8_t>(v >> 8);
    out[at + 1] = static_cast<uint8_t>(v);
}

inline void
SetBe32(Bytes& out, size_t at, uint32_t v)
{
    SetBe16(out, at, static_cast<uint16_t>(v >> 16));
    SetBe16(out, at + 2, static_cast<uint16_t>(v));
}

/** INVALID_SYNTAX failure: the notify RFC 7296 2.21.1 answers malformed messages with. */
inline Status
Syntax(Status::Code code, size_t offset, std::string reason)
{
    return Status::Fail(code, IKEV2_N_INVALID_SYNTAX, offset, std::move(reason));
}

/** TRUNCATED: @p what needs @p need bytes at @p offset, @p have remain. */
inline Status
Short(const char* what, size_t offset, size_t need, size_t have)
{
    return Syntax(Status::TRUNCATED, offset,
                  std::string(what) + " needs " + std::to_string(need) + " bytes, " +
                      std::to_string(have) + " left");
}

} // namespace ikev2_wire
} // namespace ns3

#endif
