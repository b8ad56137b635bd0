// Shared body of the per-payload ISAKMP fuzz targets (fuzz/isakmp-PAYLOAD-fuzz.cc): arbitrary
// bytes go to one payload class through both entry points (the ns-3 Header::Deserialize over a
// Buffer and IsakmpPayload::Parse); the result must be a clean failure, or a payload whose
// serialization parses again to the same bytes.
#ifndef IPSEC_FUZZ_ISAKMP_PAYLOAD_FUZZ_H
#define IPSEC_FUZZ_ISAKMP_PAYLOAD_FUZZ_H

#include "ns3/isakmp-payloads.h"

#include "ns3/buffer.h"

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
Check(bool ok)
{
    if (!ok)
    {
        __builtin_trap();
    }
}

/**
 * Feed @p data to a payload made by @p make (a fresh IsakmpPayload of one class each call).
 * @return 0, as libFuzzer wants
 */
template <class Make>
int
FuzzPayload(const uint8_t* data, size_t size, Make make)
{
    // 1. Header::Deserialize over an ns-3 Buffer, as a payload inside a received packet.
    std::unique_ptr<IsakmpPayload> viaBuffer = make();
    {
        Buffer b;
        b.AddAtStart(static_cast<uint32_t>(size));
        if (size > 0)
        {
            b.Begin().Write(data, static_cast<uint32_t>(size));
        }
        const uint32_t n = viaBuffer->Deserialize(b.Begin());
        Check(n == 0 || (n <= size && n == viaBuffer->GetPayloadLength()));
        Check((n != 0) == viaBuffer->GetParseStatus().Ok());
    }

    // 2. Parse over the bytes: the same verdict.
    std::unique_ptr<IsakmpPayload> p = make();
    const IsakmpParseStatus s = p->Parse(data, size);
    Check(s.Ok() == viaBuffer->GetParseStatus().Ok());
    if (!s.Ok())
    {
        Check(s.offset <= size || size < IsakmpPayload::GENERIC_HEADER_SIZE);
        return 0;
    }
    // What parsed is exactly the bytes it claims, and serializes back to them but for RESERVED.
    const std::vector<uint8_t> once = p->ToBytes();
    Check(once.size() == p->GetPayloadLength() && once.size() <= size);
    Check(once[0] == data[0] && std::memcmp(once.data() + 2, data + 2, 2) == 0);

    // 3. What we write, we read, and it stays the same.
    std::unique_ptr<IsakmpPayload> q = make();
    Check(q->Parse(once.data(), once.size()).Ok());
    Check(q->GetPayloadType() == p->GetPayloadType());
    Check(q->ToBytes() == once);
    std::unique_ptr<IsakmpPayload> c = p->Clone();
    Check(c->ToBytes() == once);
    return 0;
}

} // namespace fuzz
} // namespace ns3

#endif
