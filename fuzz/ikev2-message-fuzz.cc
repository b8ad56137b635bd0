// libFuzzer target: whole IKEv2 messages (RFC 7296 3) from arbitrary bytes: header, payload
// chain, critical bits, an SK payload kept encrypted. The result is a failure pointing inside the
// datagram, or a message that serializes to bytes that parse to the same message.
#include "ikev2-payload-fuzz.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Ikev2Message m;
    const Ikev2ParseStatus s = m.Parse(data, size);
    if (!s.Ok())
    {
        fuzz::Ikev2Check(s.offset <= size && !s.reason.empty());
        fuzz::Ikev2Check(s.code != Ikev2ParseStatus::UNSUPPORTED_CRITICAL || s.critical != 0);
        return 0;
    }
    fuzz::Ikev2Check(m.header.length == size && m.inner.empty());
    fuzz::Ikev2Check(m.payloads.size() <= Ikev2Message::MAX_PAYLOADS);
    const std::vector<uint8_t> once = m.ToBytes();
    fuzz::Ikev2Check(once.size() == size);
    Ikev2Message again;
    fuzz::Ikev2Check(again.Parse(once.data(), once.size()).Ok());
    fuzz::Ikev2Check(again.ToBytes() == once);
    fuzz::Ikev2Check(Ikev2Message(m).ToBytes() == once);
    fuzz::Ikev2Check(!m.Describe().empty());
    return 0;
}
