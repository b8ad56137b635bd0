// libFuzzer target: the Encrypted payload (RFC 7296 3.14, RFC 5282) and what it carries. The
// first byte picks a suite (AES-CBC-128 + HMAC-SHA1-96, AES-CBC-256 + HMAC-SHA2-256-128,
// AES-GCM-16-128) with fixed keys and a mode:
//   - even: the rest is a received datagram for Ikev2Message::Open (ICV and size checks, then
//     the payloads inside);
//   - odd: the rest is a plaintext (its first byte the first inner payload type) that is sealed
//     with those keys into an IKE_AUTH message, so Open always decrypts and the inner chain
//     parser sees arbitrary bytes.
// Either way the result is a failure with a reason, or payloads that seal and open again to the
// same message.
#include "ikev2-payload-fuzz.h"

#include "ns3/byte-source.h"

using namespace ns3;
using ipsec::Ikev2EncrAlgorithm;
using ipsec::Ikev2IntegAlgorithm;

namespace
{

std::unique_ptr<ipsec::Ikev2SkCipher>
MakeCipher(int suite)
{
    static const Ikev2EncrAlgorithm encr[] = {Ikev2EncrAlgorithm::AES_CBC_128,
                                              Ikev2EncrAlgorithm::AES_CBC_256,
                                              Ikev2EncrAlgorithm::AES_GCM16_128};
    static const Ikev2IntegAlgorithm integ[] = {Ikev2IntegAlgorithm::HMAC_SHA1_96,
                                                Ikev2IntegAlgorithm::HMAC_SHA2_256_128,
                                                Ikev2IntegAlgorithm::NONE};
    const auto& e = ipsec::GetIkev2EncrInfo(encr[suite]);
    const auto& i = ipsec::GetIkev2IntegInfo(integ[suite]);
    return std::make_unique<ipsec::Ikev2SkCipher>(encr[suite], std::vector<uint8_t>(e.keyLen, 0x11),
                                                  integ[suite],
                                                  std::vector<uint8_t>(i.keyLen, 0x22));
}

/** An IKE_AUTH request whose SK payload holds @p plain, first inner type @p first. */
std::vector<uint8_t>
SealRaw(ipsec::Ikev2SkCipher& c, uint8_t first, const std::vector<uint8_t>& plain)
{
    Ikev2Header h;
    h.spiI = Ikev2SpiFromUint64(0x0102030405060708);
    h.spiR = Ikev2SpiFromUint64(0x1112131415161718);
    h.nextPayload = IKEV2_PAYLOAD_SK;
    h.exchangeType = IKEV2_EXCH_IKE_AUTH;
    h.flags = Ikev2Header::FLAG_INITIATOR;
    h.messageId = 1;
    const size_t sealed = c.SealedSize(plain.size());
    h.length = static_cast<uint32_t>(Ikev2Header::SIZE + 4 + sealed);
    std::vector<uint8_t> out;
    h.AppendTo(out);
    out.push_back(first);
    out.push_back(0);
    out.push_back(static_cast<uint8_t>((4 + sealed) >> 8));
    out.push_back(static_cast<uint8_t>(4 + sealed));
    ipsec::FixedByteSource iv(std::vector<uint8_t>{0x5a});
    const std::vector<uint8_t> body = c.Seal(out.data(), out.size(), plain, iv);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 2 || size > 60000)
    {
        return 0;
    }
    static std::unique_ptr<ipsec::Ikev2SkCipher> ciphers[3] = {MakeCipher(0), MakeCipher(1),
                                                               MakeCipher(2)};
    ipsec::Ikev2SkCipher& c = *ciphers[(data[0] >> 1) % 3];
    std::vector<uint8_t> datagram;
    if (data[0] & 1)
    {
        datagram = SealRaw(c, data[1], std::vector<uint8_t>(data + 2, data + size));
    }
    else
    {
        datagram.assign(data + 1, data + size);
    }
    Ikev2Message m;
    const Ikev2ParseStatus s = m.Open(datagram.data(), datagram.size(), c);
    if (data[0] & 1)
    {
        // Our own sealing always verifies and decrypts; only the inner chain may be wrong.
        fuzz::Ikev2Check(s.code != Ikev2ParseStatus::INTEGRITY_FAILED &&
                         s.code != Ikev2ParseStatus::DECRYPTION_FAILED);
    }
    if (!s.Ok())
    {
        fuzz::Ikev2Check(!s.reason.empty());
        return 0;
    }
    if (m.GetEncrypted() == nullptr)
    {
        return 0;
    }
    // Seal what was decrypted again and open it: the same inner payloads.
    Ikev2Message resend = m;
    resend.payloads.pop_back();
    ipsec::FixedByteSource iv(std::vector<uint8_t>{0x33});
    const std::vector<uint8_t> again = resend.Seal(c, iv);
    Ikev2Message reopened;
    fuzz::Ikev2Check(reopened.Open(again.data(), again.size(), c).Ok());
    fuzz::Ikev2Check(reopened.inner.size() == m.inner.size());
    for (size_t k = 0; k < m.inner.size(); ++k)
    {
        fuzz::Ikev2Check(reopened.inner[k]->ToBytes() == m.inner[k]->ToBytes());
    }
    return 0;
}
