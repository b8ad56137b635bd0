// Seeds for the ikev2-responder fuzz target (fuzz/ikev2-responder-fuzz.cc) that a fuzzer cannot
// find on its own: whole CREATE_CHILD_SA requests R2 accepts in scenarios/ikev2-spec-example (a
// new child SA for R1's flow with its SA, Ni, TSi and TSr; an IKE SA rekey with an IKE
// proposal carrying an SPI, Ni and a KE of group 14), in the target's sealed form: mode byte 2,
// the exchange selector, a Message ID byte without its top bit (the target then takes the ID R2
// expects), the first inner payload type, and the inner chain. Each seed is checked to parse
// back as the payloads written. With IKEV2_FUZZ_SEEDS_DIR set (as for Ikev2FuzzSeeds in
// test/wire), the seeds go to that folder's ikev2-responder/.
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-message.h"
#include "ns3/ikev2-proposal.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace ns3;

namespace
{

using Bytes = std::vector<uint8_t>;

/** The target's sealed form of @p inner sent as @p exchangeSelector (fuzz target's ExchangeOf). */
Bytes
Sealed(uint8_t exchangeSelector, const std::vector<const Ikev2Payload*>& inner)
{
    Bytes seed = {2, exchangeSelector, 0, inner.front()->GetType()};
    for (size_t i = 0; i < inner.size(); ++i)
    {
        inner[i]->AppendTo(seed, i + 1 < inner.size() ? inner[i + 1]->GetType() : 0);
    }
    return seed;
}

/** R1's flow in the spec example: 10.0.0.0/24 to 10.2.2.0/24. */
IpsecTrafficSelector
R1Flow()
{
    return IpsecTrafficSelector::Subnets(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.255.0"),
                                         Ipv4Address("10.2.2.0"), Ipv4Mask("255.255.255.0"));
}

Ikev2NoncePayload
Nonce(uint8_t fill)
{
    Ikev2NoncePayload n;
    n.nonce = Bytes(32, fill);
    return n;
}

std::vector<std::pair<std::string, Bytes>>
Seeds()
{
    std::vector<std::pair<std::string, Bytes>> seeds;
    // A new child SA: R2's transform set myset2 (esp-3des esp-md5-hmac), and with PFS group 14.
    IkePhase2Offer offer;
    offer.sets = {IpsecTransformSet::Parse("esp-3des esp-md5-hmac")};
    const Ikev2SaPayload child = Ikev2MakeChildOffer(offer, 0x11223344);
    const Ikev2NoncePayload ni = Nonce(0x5a);
    Ikev2TsPayload tsi(IKEV2_PAYLOAD_TSI);
    tsi.selectors.push_back(Ikev2SelectorOf(R1Flow(), true));
    Ikev2TsPayload tsr(IKEV2_PAYLOAD_TSR);
    tsr.selectors.push_back(Ikev2SelectorOf(R1Flow(), false));
    seeds.emplace_back("sealed-create-child", Sealed(1, {&child, &ni, &tsi, &tsr}));
    Ikev2KePayload ke;
    ke.dhGroup = 14;
    ke.data = Bytes(256, 0x42);
    ke.data[0] = 0x01;
    offer.pfsGroup = 14;
    const Ikev2SaPayload childPfs = Ikev2MakeChildOffer(offer, 0x11223345);
    seeds.emplace_back("sealed-create-child-pfs", Sealed(1, {&childPfs, &ni, &ke, &tsi, &tsr}));
    // A child rekey of an SPI R2 does not hold (REKEY_SA first, as RFC 7296 1.3.3 has it).
    Ikev2NotifyPayload rekey;
    rekey.protocol = IKEV2_PROTO_ESP;
    rekey.spi = {0xde, 0xad, 0xbe, 0xef};
    rekey.notifyType = IKEV2_N_REKEY_SA;
    seeds.emplace_back("sealed-rekey-child", Sealed(1, {&rekey, &child, &ni, &tsi, &tsr}));
    // An IKE SA rekey: R2's proposal (AES-CBC-256, SHA-256, group 14) with R1's new SPI.
    IkePolicyProvider::Ikev2IkeOffer p;
    p.encryption = {{IKEV2_ENCR_AES_CBC, 256}};
    p.integrity = {IKEV2_INTEG_HMAC_SHA2_256_128};
    p.prf = {IKEV2_PRF_HMAC_SHA2_256};
    p.groups = {14};
    Ikev2SaPayload ike = Ikev2MakeIkeOffer({p});
    for (auto& prop : ike.proposals)
    {
        prop.spi = {1, 2, 3, 4, 5, 6, 7, 8};
    }
    seeds.emplace_back("sealed-rekey-ike", Sealed(1, {&ike, &ni, &ke}));
    return seeds;
}

} // namespace

TEST(Ikev2ResponderSeeds, ParseBackAsWrittenAndAreWrittenOnRequest)
{
    for (const auto& [name, seed] : Seeds())
    {
        SCOPED_TRACE(name);
        // The chain after the 4-byte prefix parses as a whole with the first type the seed names.
        Ikev2Message m;
        Ikev2Header h;
        h.nextPayload = seed[3];
        h.exchangeType = IKEV2_EXCH_CREATE_CHILD_SA;
        h.length = static_cast<uint32_t>(Ikev2Header::SIZE + seed.size() - 4);
        Bytes msg;
        h.AppendTo(msg);
        msg.insert(msg.end(), seed.begin() + 4, seed.end());
        const Ikev2ParseStatus st = m.Parse(msg.data(), msg.size());
        ASSERT_TRUE(st.Ok()) << st.ToString();
        EXPECT_TRUE(m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE));
        EXPECT_TRUE(m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA));
    }
    const char* dir = std::getenv("IKEV2_FUZZ_SEEDS_DIR");
    if (!dir)
    {
        return;
    }
    const std::filesystem::path out = std::filesystem::path(dir) / "ikev2-responder";
    std::filesystem::create_directories(out);
    for (const auto& [name, seed] : Seeds())
    {
        std::ofstream(out / name, std::ios::binary)
            .write(reinterpret_cast<const char*>(seed.data()), std::streamsize(seed.size()));
    }
}
