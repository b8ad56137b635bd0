// What strongSwan's charon (5.9) sends, fed to the IKEv2 daemon, for what the interop test
// (test/e2e/strongswan-ikev2.sh) needs of it. R1 runs an IkeDaemon whose provider holds one
// IKEv2 proposal and one crypto map entry; on R2 a scripted peer with UDP sockets on 500 and
// 4500 builds its messages with the wire layer and the crypto core, in charon's shapes
// (charon's log line for each is quoted where it is built):
//   - IKE_SA_INIT with charon's notifies, its KE in a group R1 did not choose: R1 answers
//     INVALID_KE_PAYLOAD; charon retries with the same SPIi and the right group, which R1 must
//     take as a new request, not as a retransmission to answer with the refusal again;
//   - encap = yes: charon's NAT_DETECTION_SOURCE_IP is a hash of nothing real (a NAT it fakes),
//     its IKE_AUTH comes to UDP 4500 after the non-ESP marker with charon's extra payloads; R1
//     answers from 4500 and puts ESP in UDP (RFC 3948). Without the faked NAT all stays on 500;
//   - charon rekeys that IKE SA (CREATE_CHILD_SA with an IKE proposal): the new IKE SA stays on
//     4500 too, where charon's next request (a liveness check) is answered from.
#include "ns3/byte-source.h"
#include "ns3/diffie-hellman.h"
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-message.h"
#include "ns3/ikev2-prf.h"
#include "ns3/ikev2-sk-cipher.h"
#include "ns3/ipsec-helper.h"

#include "common/two-routers.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::ipsec;

namespace
{

const std::string kPsk = "interop-psk";

Bytes
Ipv4Bytes(Ipv4Address a)
{
    const uint32_t v = a.Get();
    return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

Bytes
SpiBytes(const Ikev2Spi& s)
{
    return Bytes(s.begin(), s.end());
}

/** R1's IKEv2 policy: proposal AES-CBC-128/SHA-1/PRF SHA-1/group 14, one entry, one key. */
class Provider : public IkePolicyProvider
{
public:
    Ptr<IpsecPolicyEntry> entry;
    IkePhase2Offer offer;
    Ipv4Address self;

    std::vector<IkePolicy> GetIkePolicies() const override
    {
        return {};
    }

    std::optional<std::string> GetPreSharedKey(Ipv4Address) const override
    {
        return std::nullopt;
    }

    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> e) const override
    {
        return {e, offer, ""};
    }

    Phase2 MatchQuickMode(Ipv4Address, Ipv4Address, const IpsecTrafficSelector&) const override
    {
        return {nullptr, {}, "IKEv2 entry"};
    }

    bool UsesIkev2(Ptr<IpsecPolicyEntry>) const override
    {
        return true;
    }

    std::vector<Ikev2IkeOffer> GetIkev2Offers(Ipv4Address) const override
    {
        Ikev2IkeOffer p;
        p.name = "P";
        p.encryption = {{IKEV2_ENCR_AES_CBC, 128}};
        p.integrity = {IKEV2_INTEG_HMAC_SHA1_96};
        p.prf = {IKEV2_PRF_HMAC_SHA1};
        p.groups = {14};
        return {p};
    }

    Ikev2Credentials GetIkev2ResponderCredentials(uint8_t, const std::vector<uint8_t>&, Ipv4Address,
                                                  Ipv4Address) const override
    {
        Ikev2Credentials c;
        c.profile = "SWAN";
        c.idType = IKEV2_ID_IPV4_ADDR;
        c.id = Ipv4Bytes(self);
        c.localKey = c.remoteKey = kPsk;
        return c;
    }

    Phase2 MatchIkev2Child(Ipv4Address, Ipv4Address,
                           const IpsecTrafficSelector& scope) const override
    {
        for (const auto& rule : entry->acl->GetRules())
        {
            if (scope.Within(rule.selector))
            {
                return {entry, offer, ""};
            }
        }
        return {nullptr, {}, "no entry permits the selectors"};
    }
};

/** A datagram the scripted peer received: the port it came to, the bytes after any marker. */
struct Received
{
    uint16_t localPort;
    uint16_t fromPort;
    Bytes bytes;
};

class Ikev2InteropFixesTest : public test::TwoRouterTest
{
protected:
    Provider provider;
    Ptr<IkeDaemon> ike;
    Ptr<Socket> peer500, peer4500;
    std::vector<Received> received;
    DeterministicByteSource rng{11, 0, "charon"};
    Ikev2Spi spiI{};
    // the IKE SA EstablishAsCharon made, as charon holds it
    Ikev2Spi spiR{};
    Ikev2SaKeys keys;
    std::unique_ptr<Ikev2SkCipher> out, in;

    void SetUp() override
    {
        TwoRouterTest::SetUp();
        Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
        e->mapName = "toSwan";
        e->seq = 10;
        e->keying = IpsecKeying::ISAKMP;
        e->peers = {r2s};
        e->AddRule(true, IpsecTrafficSelector::Subnets(h1, Ipv4Mask("255.255.255.0"), h2,
                                                       Ipv4Mask("255.255.255.0"), 0));
        Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
        spd->AddEntry(e);
        IpsecHelper::ApplyCryptoMap(routers.Get(0), 2, spd);
        provider.entry = e;
        provider.self = r1s;
        provider.offer.sets = {IpsecTransformSet::Parse("esp-aes 256 esp-sha-hmac")};
        ike = CreateObject<IkeDaemon>();
        ike->Setup(IpsecHelper::Install(routers.Get(0)), &provider, "R1");
        ike->Start();
        peer500 = Bind(500);
        peer4500 = Bind(4500);
        spiI = Ikev2SpiFromUint64(0x1122334455667788ull);
    }

    void TearDown() override
    {
        ike->Stop();
        TwoRouterTest::TearDown();
    }

    Ptr<Socket> Bind(uint16_t port)
    {
        Ptr<Socket> s = Socket::CreateSocket(routers.Get(1), UdpSocketFactory::GetTypeId());
        EXPECT_EQ(s->Bind(InetSocketAddress(r2s, port)), 0);
        s->SetRecvCallback(MakeCallback(&Ikev2InteropFixesTest::OnRead, this));
        return s;
    }

    void OnRead(Ptr<Socket> s)
    {
        Address from;
        while (Ptr<Packet> p = s->RecvFrom(from))
        {
            Received r;
            r.localPort = s == peer4500 ? 4500 : 500;
            r.fromPort = InetSocketAddress::ConvertFrom(from).GetPort();
            r.bytes.resize(p->GetSize());
            p->CopyData(r.bytes.data(), r.bytes.size());
            if (r.localPort == 4500 && r.bytes.size() >= 4 && r.bytes[0] == 0 && r.bytes[1] == 0 &&
                r.bytes[2] == 0 && r.bytes[3] == 0)
            {
                r.bytes.erase(r.bytes.begin(), r.bytes.begin() + 4); // the non-ESP marker
            }
            received.push_back(std::move(r));
        }
    }

    /** Sends @p bytes to R1 (from and to 4500 with the non-ESP marker, else 500) and runs the
     *  simulation until the answer is in. */
    const Received* Exchange(const Bytes& bytes, bool natT = false)
    {
        Bytes wire = natT ? Bytes(4, 0) : Bytes();
        wire.insert(wire.end(), bytes.begin(), bytes.end());
        const size_t before = received.size();
        Ptr<Socket> from = natT ? peer4500 : peer500;
        const InetSocketAddress to(r1s, natT ? 4500 : 500);
        // From inside the simulation: the nodes are initialized when it runs.
        Simulator::ScheduleWithContext(
            routers.Get(1)->GetId(), Seconds(0),
            [from, to, wire]() { from->SendTo(Create<Packet>(wire.data(), wire.size()), 0, to); });
        Simulator::Stop(Seconds(0.5));
        Simulator::Run();
        return received.size() > before ? &received.back() : nullptr;
    }

    Ikev2Header Header(uint8_t exchange, uint32_t id, const Ikev2Spi& spiR = {}) const
    {
        Ikev2Header h;
        h.spiI = spiI;
        h.spiR = spiR;
        h.exchangeType = exchange;
        h.messageId = id;
        h.flags = Ikev2Header::FLAG_INITIATOR;
        return h;
    }

    static Ikev2NotifyPayload Notify(uint16_t type, Bytes data = {})
    {
        Ikev2NotifyPayload n;
        n.notifyType = type;
        n.data = std::move(data);
        return n;
    }

    /** charon's "generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP)
     *  N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]": two proposals (the first one R1 lacks), the KE
     *  in @p keGroup. With @p fakeNat the source hash is what encap = yes sends: not of charon's
     *  address and port. */
    Bytes InitRequest(uint16_t keGroup, const DhKeyPair& dh, const Bytes& ni, bool fakeNat)
    {
        Ikev2Message m;
        m.header = Header(IKEV2_EXCH_IKE_SA_INIT, 0);
        Ikev2SaPayload sa;
        Ikev2Proposal p1;
        p1.transforms = {Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 192),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_384_192),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_384),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_DH, 15)};
        Ikev2Proposal p2;
        p2.number = 2;
        p2.transforms = {Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA1_96),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA1),
                         Ikev2Transform::Make(IKEV2_TRANSFORM_DH, 14)};
        sa.proposals = {p1, p2};
        m.Add(sa);
        Ikev2KePayload ke;
        ke.dhGroup = keGroup;
        ke.data = dh.PublicValue();
        m.Add(ke);
        Ikev2NoncePayload n;
        n.nonce = ni;
        m.Add(n);
        const Bytes zero(8, 0);
        m.Add(Notify(IKEV2_N_NAT_DETECTION_SOURCE_IP,
                     fakeNat ? rng.Bytes(20)
                             : Ikev2NatDetectionHash(SpiBytes(spiI), zero, Ipv4Bytes(r2s), 500)));
        m.Add(Notify(IKEV2_N_NAT_DETECTION_DESTINATION_IP,
                     Ikev2NatDetectionHash(SpiBytes(spiI), zero, Ipv4Bytes(r1s), 500)));
        m.Add(Notify(16430));                           // IKEV2_FRAGMENTATION_SUPPORTED
        m.Add(Notify(16431, {0, 2, 0, 3, 0, 4, 0, 5})); // SIGNATURE_HASH_ALGORITHMS
        m.Add(Notify(16408));                           // REDIRECT_SUPPORTED
        return m.ToBytes();
    }

    /** charon's IKE_SA_INIT (a faked NAT when @p fakeNat, as encap = yes) and IKE_AUTH in its
     *  shape (to 4500 after the NAT, else to 500): R1's answers and child SA checked. */
    void EstablishAsCharon(bool fakeNat);

    std::vector<IkeExchangeRecord> Records(const std::string& exchange) const
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& r : ike->GetExchanges())
        {
            if (r.exchange == exchange)
            {
                out.push_back(r);
            }
        }
        return out;
    }
};

TEST_F(Ikev2InteropFixesTest, RetryAfterInvalidKeWithTheSameSpiIsANewRequest)
{
    DhKeyPair dh15(15, rng), dh14(14, rng);
    const Bytes ni = rng.Bytes(32);
    const Bytes first = InitRequest(15, dh15, ni, false);
    const Received* r = Exchange(first);
    ASSERT_NE(r, nullptr);
    Ikev2Message m;
    ASSERT_TRUE(m.Parse(r->bytes.data(), r->bytes.size()).Ok());
    const auto* invalid = m.FindNotify(IKEV2_N_INVALID_KE_PAYLOAD);
    ASSERT_NE(invalid, nullptr) << m.Describe();
    EXPECT_EQ(invalid->data, (Bytes{0, 14})) << "R1 asks for the group of the proposal it chose";

    // A retransmission (the same bytes) still gets the same answer (RFC 7296 2.1) ...
    r = Exchange(first);
    ASSERT_NE(r, nullptr);
    ASSERT_TRUE(m.Parse(r->bytes.data(), r->bytes.size()).Ok());
    EXPECT_NE(m.FindNotify(IKEV2_N_INVALID_KE_PAYLOAD), nullptr);

    // ... but charon's retry, "peer didn't accept DH group MODP_3072, it requested MODP_2048":
    // the same SPIi, a KE of group 14: a new IKE_SA_INIT that R1 accepts.
    r = Exchange(InitRequest(14, dh14, ni, false));
    ASSERT_NE(r, nullptr);
    ASSERT_TRUE(m.Parse(r->bytes.data(), r->bytes.size()).Ok());
    EXPECT_EQ(m.FindNotify(IKEV2_N_INVALID_KE_PAYLOAD), nullptr) << m.Describe();
    ASSERT_NE(m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA), nullptr) << m.Describe();
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    ASSERT_NE(ke, nullptr);
    EXPECT_EQ(ke->dhGroup, 14);
    EXPECT_EQ(m.header.spiI, spiI);
    // One record per refused request (the refusal keeps no IKE SA), then the one accepted.
    const auto init = Records("IKE_SA_INIT");
    ASSERT_EQ(init.size(), 3u);
    for (size_t i : {0, 1})
    {
        EXPECT_EQ(init[i].result, "failed");
        EXPECT_NE(init[i].reason.find("INVALID_KE_PAYLOAD"), std::string::npos) << init[i].reason;
    }
    EXPECT_EQ(init[2].result, "ok") << init[2].reason;
    EXPECT_EQ(init[2].detail, "ENCR_AES_CBC-128/AUTH_HMAC_SHA1_96/PRF_HMAC_SHA1/group 14");
}

void
Ikev2InteropFixesTest::EstablishAsCharon(bool fakeNat)
{
    const uint16_t port = fakeNat ? 4500 : 500;
    DhKeyPair dh(14, rng);
    const Bytes ni = rng.Bytes(32);
    const Bytes init = InitRequest(14, dh, ni, fakeNat);
    const Received* r = Exchange(init);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->localPort, 500);
    Ikev2Message resp;
    ASSERT_TRUE(resp.Parse(r->bytes.data(), r->bytes.size()).Ok());
    const auto* ke = resp.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    const auto* nr = resp.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    ASSERT_TRUE(ke && nr) << resp.Describe();
    spiR = resp.header.spiR;
    const auto records = Records("IKE_SA_INIT");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].result, "ok") << records[0].reason;

    // The keys, as charon derives them.
    const auto prf = Ikev2PrfAlgorithm::HMAC_SHA1;
    const auto encr = Ikev2EncrAlgorithm::AES_CBC_128;
    const auto integ = Ikev2IntegAlgorithm::HMAC_SHA1_96;
    keys = Ikev2DeriveSaKeys(prf, Ikev2Skeyseed(prf, ni, nr->nonce, dh.ComputeShared(ke->data)), ni,
                             nr->nonce, SpiBytes(spiI), SpiBytes(spiR),
                             GetIkev2EncrInfo(encr).keyLen, GetIkev2IntegInfo(integ).keyLen);
    out = std::make_unique<Ikev2SkCipher>(encr, keys.skEi, integ, keys.skAi);
    in = std::make_unique<Ikev2SkCipher>(encr, keys.skEr, integ, keys.skAr);

    // "generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP)
    // N(ADD_4_ADDR) N(ADD_4_ADDR) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]", to UDP 4500 after a NAT.
    Ikev2Message auth;
    auth.header = Header(IKEV2_EXCH_IKE_AUTH, 1, spiR);
    Ikev2IdPayload idi(IKEV2_PAYLOAD_IDI);
    idi.idType = IKEV2_ID_IPV4_ADDR;
    idi.data = Ipv4Bytes(r2s);
    auth.AddInner(idi);
    auth.AddInner(Notify(IKEV2_N_INITIAL_CONTACT));
    Ikev2IdPayload idr(IKEV2_PAYLOAD_IDR);
    idr.idType = IKEV2_ID_IPV4_ADDR;
    idr.data = Ipv4Bytes(r1s);
    auth.AddInner(idr);
    Ikev2AuthPayload a;
    a.data = Ikev2PskAuth(prf, Bytes(kPsk.begin(), kPsk.end()),
                          Ikev2SignedOctets(prf, init, nr->nonce, keys.skPi, idi.BodyBytes()));
    auth.AddInner(a);
    Ikev2SaPayload child;
    Ikev2Proposal esp;
    esp.protocol = IKEV2_PROTO_ESP;
    esp.spi = {0xc3, 0x00, 0x00, 0x01};
    esp.transforms = {Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 256),
                      Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA1_96),
                      Ikev2Transform::Make(IKEV2_TRANSFORM_ESN, IKEV2_ESN_NO)};
    child.proposals = {esp};
    auth.AddInner(child);
    Ikev2TsPayload tsi(IKEV2_PAYLOAD_TSI), tsr(IKEV2_PAYLOAD_TSR);
    tsi.selectors = {Ikev2TrafficSelector::Ipv4(h2.Get() & 0xffffff00, h2.Get() | 0xff)};
    tsr.selectors = {Ikev2TrafficSelector::Ipv4(h1.Get() & 0xffffff00, h1.Get() | 0xff)};
    auth.AddInner(tsi);
    auth.AddInner(tsr);
    auth.AddInner(Notify(16396));                   // MOBIKE_SUPPORTED
    auth.AddInner(Notify(16397, Ipv4Bytes(r2s)));   // ADDITIONAL_IP4_ADDRESS
    auth.AddInner(Notify(16397, {203, 0, 113, 1})); // ADDITIONAL_IP4_ADDRESS
    auth.AddInner(Notify(16417));                   // EAP_ONLY_AUTHENTICATION
    auth.AddInner(Notify(16420));                   // IKEV2_MESSAGE_ID_SYNC_SUPPORTED
    r = Exchange(auth.Seal(*out, rng), fakeNat);
    ASSERT_NE(r, nullptr) << "R1 answers IKE_AUTH";
    EXPECT_EQ(r->localPort, port) << "at the port the request came from";
    EXPECT_EQ(r->fromPort, port) << "from the same port of its own (4500: after the marker)";
    Ikev2Message answer;
    ASSERT_TRUE(answer.Open(r->bytes.data(), r->bytes.size(), *in).Ok());
    EXPECT_EQ(answer.Describe(), "IKE_AUTH response #1 [ SK { IDr AUTH SA TSi TSr } ]");
    const auto authRecords = Records("IKE_AUTH");
    ASSERT_EQ(authRecords.size(), 1u);
    EXPECT_EQ(authRecords[0].result, "ok") << authRecords[0].reason;
    ASSERT_EQ(provider.entry->bundles.size(), 1u);
    const Ptr<IpsecSaBundle> b = provider.entry->bundles[0];
    EXPECT_EQ(b->udpEncapLocalPort, fakeNat ? 4500 : 0) << "ESP in UDP after a NAT only";
    EXPECT_EQ(b->udpEncapPeerPort, fakeNat ? 4500 : 0);
    ASSERT_EQ(b->outbound.size(), 1u);
    EXPECT_EQ(b->outbound[0]->GetSpi(), 0xc3000001u);
    EXPECT_EQ(b->outbound[0]->GetConfig().udpEncapsulated, fakeNat);
}

TEST_F(Ikev2InteropFixesTest, FakedNatMovesIkeAuthAndEspToPort4500)
{
    EstablishAsCharon(true);
}

TEST_F(Ikev2InteropFixesTest, WithoutANatIkeStaysOnPort500)
{
    EstablishAsCharon(false);
}

TEST_F(Ikev2InteropFixesTest, IkeSaRekeyedByCharonStaysOnPort4500)
{
    EstablishAsCharon(true);
    // charon's "generating CREATE_CHILD_SA request 2 [ SA No KE ]" rekeying the IKE SA: an IKE
    // proposal with its new SPI, a nonce and a KE (RFC 7296 1.3.2).
    DhKeyPair dh(14, rng);
    const Bytes ni = rng.Bytes(32);
    const Ikev2Spi newSpiI = Ikev2SpiFromUint64(0x8877665544332211ull);
    Ikev2Message rekey;
    rekey.header = Header(IKEV2_EXCH_CREATE_CHILD_SA, 2, spiR);
    Ikev2SaPayload sa;
    Ikev2Proposal p;
    p.spi = SpiBytes(newSpiI);
    p.transforms = {Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 128),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA1_96),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA1),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_DH, 14)};
    sa.proposals = {p};
    rekey.AddInner(sa);
    Ikev2NoncePayload n;
    n.nonce = ni;
    rekey.AddInner(n);
    Ikev2KePayload ke;
    ke.dhGroup = 14;
    ke.data = dh.PublicValue();
    rekey.AddInner(ke);
    const Received* r = Exchange(rekey.Seal(*out, rng), true);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->fromPort, 4500) << "the old IKE SA answers from 4500";
    Ikev2Message answer;
    ASSERT_TRUE(answer.Open(r->bytes.data(), r->bytes.size(), *in).Ok());
    const auto* saR = answer.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* nr = answer.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    const auto* keR = answer.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    ASSERT_TRUE(saR && nr && keR) << answer.Describe();
    ASSERT_EQ(saR->proposals.size(), 1u);
    ASSERT_EQ(saR->proposals[0].spi.size(), 8u);
    Ikev2Spi newSpiR{};
    std::copy(saR->proposals[0].spi.begin(), saR->proposals[0].spi.end(), newSpiR.begin());

    // 2.18: the new IKE SA's keys; charon's first request on it is a liveness check (ID 0).
    const auto prf = Ikev2PrfAlgorithm::HMAC_SHA1;
    const auto encr = Ikev2EncrAlgorithm::AES_CBC_128;
    const auto integ = Ikev2IntegAlgorithm::HMAC_SHA1_96;
    const Bytes skeyseed =
        Ikev2RekeySkeyseed(prf, keys.skD, dh.ComputeShared(keR->data), ni, nr->nonce);
    const Ikev2SaKeys k2 =
        Ikev2DeriveSaKeys(prf, skeyseed, ni, nr->nonce, SpiBytes(newSpiI), SpiBytes(newSpiR),
                          GetIkev2EncrInfo(encr).keyLen, GetIkev2IntegInfo(integ).keyLen);
    Ikev2SkCipher out2(encr, k2.skEi, integ, k2.skAi);
    Ikev2SkCipher in2(encr, k2.skEr, integ, k2.skAr);
    Ikev2Message dpd;
    dpd.header = Header(IKEV2_EXCH_INFORMATIONAL, 0, newSpiR);
    dpd.header.spiI = newSpiI;
    r = Exchange(dpd.Seal(out2, rng), true);
    ASSERT_NE(r, nullptr) << "R1 answers on the new IKE SA";
    EXPECT_EQ(r->fromPort, 4500) << "the new IKE SA stays on 4500 (RFC 7296 2.23)";
    Ikev2Message alive;
    ASSERT_TRUE(alive.Open(r->bytes.data(), r->bytes.size(), in2).Ok());
    EXPECT_EQ(alive.header.spiI, newSpiI);
    bool rekeyed = false;
    for (const auto& rec : Records("CREATE_CHILD_SA"))
    {
        rekeyed |= rec.result == "ok" && rec.detail.rfind("rekey IKE SA", 0) == 0;
    }
    EXPECT_TRUE(rekeyed);
}

} // namespace
