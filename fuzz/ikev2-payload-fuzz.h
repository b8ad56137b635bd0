// Shared body of the per-payload IKEv2 fuzz targets (fuzz/ikev2-PAYLOAD-fuzz.cc): arbitrary
// bytes go to one payload class; the result must be a failure with a reason pointing inside the
// input, or a payload that serializes to its own length and type chain and parses again to the
// same bytes.
#ifndef IPSEC_FUZZ_IKEV2_PAYLOAD_FUZZ_H
#define IPSEC_FUZZ_IKEV2_PAYLOAD_FUZZ_H

#include "ns3/ikev2-message.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace ns3
{
namespace fuzz
{

/** Stops the fuzzer at the first broken promise (libFuzzer reports it as a crash). */
inline void
Ikev2Check(bool ok)
{
    if (!ok)
    {
        __builtin_trap();
    }
}

/**
 * Feed @p data to a payload made by @p make (a fresh Ikev2Payload of one class each call).
 * @return 0, as libFuzzer wants
 */
template <class Make>
int
FuzzIkev2Payload(const uint8_t* data, size_t size, Make make)
{
    std::unique_ptr<Ikev2Payload> p = make();
    const Ikev2ParseStatus s = p->Parse(data, size);
    if (!s.Ok())
    {
        Ikev2Check(s.offset <= size && !s.reason.empty());
        return 0;
    }
    // What parsed is exactly the bytes it claims; it serializes to the same Next Payload and
    // Payload Length (RESERVED fields are written as zero, so only those may differ).
    const std::vector<uint8_t> once = p->ToBytes(p->GetNextPayload());
    Ikev2Check(once.size() == p->GetPayloadLength() && once.size() <= size);
    Ikev2Check(once[0] == data[0] && std::memcmp(once.data() + 2, data + 2, 2) == 0);
    Ikev2Check((once[1] & 0x80) == (data[1] & 0x80));

    // What we write, we read, and it stays the same (also through Clone and Describe).
    std::unique_ptr<Ikev2Payload> q = make();
    Ikev2Check(q->Parse(once.data(), once.size()).Ok());
    Ikev2Check(q->ToBytes(q->GetNextPayload()) == once);
    Ikev2Check(p->Clone()->ToBytes(p->GetNextPayload()) == once);
    Ikev2Check(!p->Describe().empty());
    return 0;
}

} // namespace fuzz
} // namespace ns3

#endif
