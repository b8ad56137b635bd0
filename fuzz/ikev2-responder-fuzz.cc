// libFuzzer target: the IKEv2 daemon (Ikev2Daemon: IKE_SA_INIT with cookies and INVALID_KE,
// IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL, NAT-T, narrowing) receiving arbitrary datagrams. The
// network is scenarios/ikev2-spec-example, run until R1 and R2 share an IKE SA and a child SA;
// the fuzzed datagrams go to R2 (the responder of that IKE SA) as if from R1. The first input
// byte picks how the rest arrives:
//   bit 0-1  0: as it is, from R1
//            1: with the IKE SA's SPIs written over bytes 0-15
//            2: sealed: bytes 1-3 of the rest pick the exchange type, the message ID (the one
//               R2 expects next, or with the top bit set 0-7) and the first inner payload
//               type; the remaining bytes are the inner payload chain,
//               encrypted and authenticated with the IKE SA's keys (the ones the run exports
//               for Wireshark), so the paths behind the ICV check see arbitrary payloads
//            3: as it is, from an address R2 has no IKE SA with (new IKE_SA_INIT, cookies)
//   bit 2    on port 4500 (NAT-T) instead of 500
//   bit 3    mode 2 only: the message is flagged as a response instead of a request
// After each datagram the simulation runs 1 ms, so answers, retransmissions and the peer's
// reactions happen; the network is rebuilt every 2000 inputs, and as soon as R2 no longer holds
// that IKE SA (an input deleted it), so that the sealed inputs keep reaching a live SA. A
// datagram may only be dropped,
// answered or notified: a crash, hang, leak or sanitizer report is a bug.
#include "fuzz-world.h"

#include "ns3/byte-source.h"
#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ikev2-header.h"
#include "ns3/ikev2-sk-cipher.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using ipsec::Ikev2EncrAlgorithm;
using ipsec::Ikev2IntegAlgorithm;

namespace
{
constexpr uint64_t kReloadEvery = 2000;
const Ipv4Address kR1("172.16.0.1"); // R1's address towards R2 (scenarios/ikev2-spec-example)
const Ipv4Address kR2("10.2.2.5");   // the address R2's IKE SA with R1 runs on

/** The fields of one ikev2_decryption_table row: SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ".
 */
std::vector<std::string>
Fields(const std::string& row)
{
    std::vector<std::string> f;
    std::stringstream in(row);
    for (std::string s; std::getline(in, s, ',');)
    {
        if (s.size() >= 2 && s.front() == '"')
        {
            s = s.substr(1, s.size() - 2);
        }
        f.push_back(s);
    }
    return f;
}

/** R1's sending side of the IKE SA the exported row describes. */
std::unique_ptr<ipsec::Ikev2SkCipher>
InitiatorCipher(const std::vector<std::string>& f)
{
    std::optional<Ikev2EncrAlgorithm> encr;
    for (auto e : {Ikev2EncrAlgorithm::TDES_CBC, Ikev2EncrAlgorithm::AES_CBC_128,
                   Ikev2EncrAlgorithm::AES_CBC_192, Ikev2EncrAlgorithm::AES_CBC_256,
                   Ikev2EncrAlgorithm::AES_GCM16_128, Ikev2EncrAlgorithm::AES_GCM16_192,
                   Ikev2EncrAlgorithm::AES_GCM16_256})
    {
        encr = ipsec::GetIkev2EncrInfo(e).wiresharkName == f[4] ? e : encr;
    }
    Ikev2IntegAlgorithm integ = Ikev2IntegAlgorithm::NONE;
    for (auto i : {Ikev2IntegAlgorithm::HMAC_SHA1_96, Ikev2IntegAlgorithm::HMAC_SHA2_256_128,
                   Ikev2IntegAlgorithm::HMAC_SHA2_384_192, Ikev2IntegAlgorithm::HMAC_SHA2_512_256})
    {
        integ = ipsec::GetIkev2IntegInfo(i).wiresharkName == f[7] ? i : integ;
    }
    if (!encr)
    {
        __builtin_trap(); // the table names an algorithm this target does not know
    }
    return std::make_unique<ipsec::Ikev2SkCipher>(*encr, ipsec::FromHex(f[2]), integ,
                                                  ipsec::FromHex(f[5]));
}

struct State
{
    fuzz::World world{"ikev2-spec-example"};
    Ptr<IkeDaemon> ike;
    Ikev2Spi spiI{};
    Ikev2Spi spiR{};
    std::unique_ptr<ipsec::Ikev2SkCipher> out;
    uint64_t inputs = 0;

    State()
    {
        Reset();
    }

    void Reset()
    {
        ike = nullptr;
        world.Reload();
        world.Runner().Advance(Seconds(3)); // traffic at 1 s starts IKE_SA_INIT and IKE_AUTH
        ike = world.Runner().GetRouter(1)->GetIke();
        const auto table = ike->GetIkev2DecryptionTable();
        if (table.empty())
        {
            __builtin_trap(); // the scenario no longer negotiates: the target would fuzz nothing
        }
        const auto f = Fields(table.front());
        const auto i = ipsec::FromHex(f[0]);
        const auto r = ipsec::FromHex(f[1]);
        std::memcpy(spiI.data(), i.data(), 8);
        std::memcpy(spiR.data(), r.data(), 8);
        out = InitiatorCipher(f);
    }

    /** R2's view of the IKE SA with R1, while it is up. */
    std::optional<Ikev2SaReport> Current() const
    {
        for (const auto& r : ike->GetIkev2SaReports())
        {
            if (r.status == Ikev2SaReport::Status::READY && r.remoteSpi == spiI &&
                r.localSpi == spiR)
            {
                return r;
            }
        }
        return std::nullopt;
    }

    /** A message of R1's to R2 whose SK payload holds @p plain (inner chain, first @p first). */
    std::vector<uint8_t> Sealed(uint8_t exchange, uint32_t mid, uint8_t first, bool response,
                                const std::vector<uint8_t>& plain)
    {
        Ikev2Header h;
        h.spiI = spiI;
        h.spiR = spiR;
        h.nextPayload = IKEV2_PAYLOAD_SK;
        h.exchangeType = exchange;
        h.flags =
            uint8_t(Ikev2Header::FLAG_INITIATOR | (response ? Ikev2Header::FLAG_RESPONSE : 0));
        h.messageId = mid;
        const size_t sealed = out->SealedSize(plain.size());
        h.length = static_cast<uint32_t>(Ikev2Header::SIZE + 4 + sealed);
        std::vector<uint8_t> m;
        h.AppendTo(m);
        m.push_back(first);
        m.push_back(0);
        m.push_back(static_cast<uint8_t>((4 + sealed) >> 8));
        m.push_back(static_cast<uint8_t>(4 + sealed));
        ipsec::FixedByteSource iv(std::vector<uint8_t>{0x5a});
        const std::vector<uint8_t> body = out->Seal(m.data(), m.size(), plain, iv);
        m.insert(m.end(), body.begin(), body.end());
        return m;
    }
};

/** Exchange types worth reaching most often, and any other byte as it is. */
uint8_t
ExchangeOf(uint8_t b)
{
    switch (b % 5)
    {
    case 0:
        return IKEV2_EXCH_IKE_AUTH;
    case 1:
        return IKEV2_EXCH_CREATE_CHILD_SA;
    case 2:
    case 3:
        return IKEV2_EXCH_INFORMATIONAL;
    default:
        return b;
    }
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static State* st = new State;
    if (size == 0)
    {
        return 0;
    }
    if (++st->inputs % kReloadEvery == 0)
    {
        st->Reset();
    }
    const uint8_t mode = data[0];
    std::vector<uint8_t> d(data + 1, data + size);
    Ipv4Address peer = kR1;
    switch (mode & 3)
    {
    case 1:
        if (d.size() >= 16)
        {
            std::memcpy(d.data(), st->spiI.data(), 8);
            std::memcpy(d.data() + 8, st->spiR.data(), 8);
        }
        break;
    case 2:
        if (d.size() < 3 || d.size() > 4000)
        {
            return 0;
        }
        {
            const auto sa = st->Current();
            const uint32_t mid = (d[1] & 0x80) || !sa ? d[1] % 8 : sa->remoteNextMessageId;
            d = st->Sealed(ExchangeOf(d[0]), mid, d[2], (mode & 8) != 0,
                           std::vector<uint8_t>(d.begin() + 3, d.end()));
            break;
        }
    case 3:
        peer = Ipv4Address("192.0.2.77");
        break;
    default:
        break;
    }
    if (mode & 4)
    {
        st->ike->ReceiveOn(d, peer, 4500, kR2, 4500);
    }
    else
    {
        st->ike->Receive(d, peer, kR2);
    }
    st->world.Runner().Advance(MilliSeconds(1));
    if (!st->Current())
    {
        st->Reset();
    }
    return 0;
}
