// libFuzzer target: ISAKMP messages (header and every payload, RFC 2408 3) as received on UDP
// 500, parsed as cleartext and as a decrypted body; a message that parses serializes again to
// bytes that parse.
#include "ns3/isakmp-payloads.h"

#include <cstdint>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::vector<uint8_t> bytes(data, data + size);
    for (bool decrypted : {false, true})
    {
        IsakmpParseStatus status;
        auto m = decrypted ? IsakmpMessage::FromDecryptedBytes(bytes, &status)
                           : IsakmpMessage::FromBytes(bytes, &status);
        if (m && !decrypted)
        {
            const std::vector<uint8_t> again = m->ToBytes();
            if (!IsakmpMessage::FromBytes(again))
            {
                __builtin_trap(); // what we write, we must read
            }
        }
    }
    return 0;
}
