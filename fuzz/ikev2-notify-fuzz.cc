// libFuzzer target: the IKEv2 Notify payload (RFC 7296 3.10) from arbitrary bytes
// (fuzz/ikev2-payload-fuzz.h): a clean failure, or a payload whose serialization round trip is
// stable.
#include "ikev2-payload-fuzz.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return fuzz::FuzzIkev2Payload(data, size,
                                  [] { return std::make_unique<Ikev2NotifyPayload>(); });
}
