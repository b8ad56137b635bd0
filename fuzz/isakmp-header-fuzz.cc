// libFuzzer target: the ISAKMP header (RFC 2408 3.1) from arbitrary bytes. Deserialize takes 28
// bytes or returns 0; what it read serializes back to the same 28 bytes; the message parser's
// checks of the header (version, flags, Length against the datagram) end in OK or a fault
// pointing inside the datagram.
#include "isakmp-payload-fuzz.h"

#include "ns3/isakmp-header.h"

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Buffer b;
    b.AddAtStart(static_cast<uint32_t>(size));
    if (size > 0)
    {
        b.Begin().Write(data, static_cast<uint32_t>(size));
    }
    IsakmpHeader h;
    const uint32_t n = h.Deserialize(b.Begin());
    fuzz::Check(n == (size >= IsakmpHeader::SIZE ? IsakmpHeader::SIZE : 0));
    if (n == 0)
    {
        return 0;
    }
    uint8_t out[IsakmpHeader::SIZE];
    h.WriteTo(out);
    fuzz::Check(std::memcmp(out, data, IsakmpHeader::SIZE) == 0);
    IsakmpHeader again;
    again.ReadFrom(out);
    fuzz::Check(again.GetLength() == h.GetLength() && again.GetFlags() == h.GetFlags() &&
                again.GetMessageId() == h.GetMessageId());

    // The header alone, as a whole datagram: a fault may sit at its end (the first payload it
    // announces is missing).
    IsakmpMessage m;
    const IsakmpParseStatus s = m.Parse(data, IsakmpHeader::SIZE);
    fuzz::Check(s.Ok() || s.offset <= IsakmpHeader::SIZE);
    return 0;
}
