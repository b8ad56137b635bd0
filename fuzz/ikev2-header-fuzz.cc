// libFuzzer target: the IKEv2 header (RFC 7296 3.1) from arbitrary bytes. Read takes 28 bytes or
// reports TRUNCATED; a header it accepts has Major Version 2 and writes back the same 28 bytes.
#include "ikev2-payload-fuzz.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Ikev2Header h;
    const Ikev2ParseStatus s = h.Read(data, size);
    if (size < Ikev2Header::SIZE)
    {
        fuzz::Ikev2Check(s.code == Ikev2ParseStatus::TRUNCATED);
        return 0;
    }
    fuzz::Ikev2Check(s.Ok() == ((data[17] >> 4) == 2));
    if (!s.Ok())
    {
        fuzz::Ikev2Check(s.notify == IKEV2_N_INVALID_MAJOR_VERSION && s.offset == 17);
        return 0;
    }
    std::vector<uint8_t> out;
    h.AppendTo(out);
    fuzz::Ikev2Check(out.size() == Ikev2Header::SIZE &&
                     std::memcmp(out.data(), data, Ikev2Header::SIZE) == 0);
    return 0;
}
