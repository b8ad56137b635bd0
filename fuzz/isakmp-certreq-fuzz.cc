// libFuzzer target: the Certificate Request payload (RFC 2408 3.10) from arbitrary bytes
// (fuzz/isakmp-payload-fuzz.h): a clean failure, or a payload whose Serialize/Deserialize round
// trip is stable.
#include "isakmp-payload-fuzz.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return fuzz::FuzzPayload(data, size,
                             [] { return std::make_unique<IsakmpCertificateRequestPayload>(); });
}
