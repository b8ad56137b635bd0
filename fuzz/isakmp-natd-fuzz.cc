// libFuzzer target: NAT-D and NAT-OA (RFC 3947, kept as IsakmpRawPayload) from arbitrary bytes
// (fuzz/isakmp-payload-fuzz.h): a clean failure, or a payload whose Serialize/Deserialize round
// trip is stable.
#include "isakmp-payload-fuzz.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return fuzz::FuzzPayload(data, size,
                             [] { return IsakmpPayload::Create(ISAKMP_PAYLOAD_NAT_D); });
}
