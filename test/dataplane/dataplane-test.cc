// End-to-end data-plane behaviour inside ns-3: manually keyed SAs between two routers carry
// real traffic; every way a packet can be refused is counted under its reason.
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-random.h"
#include "ns3/ipsec-transforms.h"

#include "common/two-routers.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/** Drops (and keeps a copy of) every IPsec frame arriving on a device, for replay tests. */
class CaptureIpsecErrorModel : public ErrorModel
{
public:
    std::vector<Ptr<Packet>> captured; //!< IP packets (header included)
    bool capture = true;

private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (!capture)
        {
            return false;
        }
        Ptr<Packet> c = p->Copy();
        PppHeader ppp;
        c->RemoveHeader(ppp);
        Ipv4Header ip;
        c->PeekHeader(ip);
        if (ip.GetProtocol() == 50 || ip.GetProtocol() == 51)
        {
            captured.push_back(c);
            return true;
        }
        return false;
    }
    void DoReset() override
    {
    }
};

/**
 * H1 -- R1 ==serial== R2 -- H2 with UDP from H1 to H2 (port 9, one-way, counted at H2) and a
 * crypto map entry protecting UDP between the LANs.
 */
class TwoRouters : public test::TwoRouterTest
{
protected:
    Ptr<IpsecSpd> map1, map2;
    Ptr<IpsecPolicyEntry> e1, e2;
    Ptr<IpsecSaBundle> b1, b2;
    uint64_t received = 0;

    void SetUp() override
    {
        TwoRouterTest::SetUp();
        map1 = CreateObject<IpsecSpd>();
        map2 = CreateObject<IpsecSpd>();
        IpsecHelper::ApplyCryptoMap(routers.Get(0), 2, map1);
        IpsecHelper::ApplyCryptoMap(routers.Get(1), 1, map2);
    }

    Ptr<IpsecProcessor> P(int i)
    {
        return routers.Get(i)->GetObject<IpsecProcessor>();
    }

    /** Manual entries on both routers for UDP between the LANs with transform set @p ts. */
    void Protect(const std::string& transforms, IpsecMode mode = IpsecMode::TUNNEL,
                 uint32_t replayWindow = 0, bool sameKeys = true)
    {
        IpsecTransformSet ts = IpsecTransformSet::Parse(transforms);
        ts.mode = mode;
        auto rng = IpsecRandom::Stream("test/keys");
        IpsecManualKeys k12 = IpsecHelper::RandomKeys(ts, *rng, 0x1000);
        IpsecManualKeys k21 = IpsecHelper::RandomKeys(ts, *rng, 0x2000);
        IpsecManualKeys k12AtR2 = sameKeys ? k12 : IpsecHelper::RandomKeys(ts, *rng, 0x1000);
        IpsecTrafficSelector sel =
            mode == IpsecMode::TUNNEL
                ? IpsecTrafficSelector::Subnets(h1, Ipv4Mask("255.255.255.0"), h2,
                                                Ipv4Mask("255.255.255.0"), 17)
                : IpsecTrafficSelector::Hosts(r1s, r2s, 17);
        e1 = Create<IpsecPolicyEntry>();
        e1->mapName = "m";
        e1->seq = 10;
        e1->AddRule(true, sel);
        e2 = Create<IpsecPolicyEntry>();
        e2->mapName = "m";
        e2->seq = 10;
        e2->AddRule(true, sel.Mirror());
        b1 = IpsecHelper::MakeManualBundle(ts, r1s, r2s, sel, k21, k12, replayWindow);
        b2 = IpsecHelper::MakeManualBundle(ts, r2s, r1s, sel.Mirror(), k12AtR2, k21, replayWindow);
        map1->AddEntry(e1);
        map2->AddEntry(e2);
        P(0)->InstallBundle(e1, b1);
        P(1)->InstallBundle(e2, b2);
    }

    /** @p n UDP datagrams of @p size bytes from @p from to @p to:9, counted on arrival. */
    void Send(Ptr<Node> from, Ptr<Node> to, Ipv4Address dst, uint32_t n, uint32_t size,
              double start = 1.0)
    {
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
        ApplicationContainer s = sink.Install(to);
        s.Get(0)->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                      [this](Ptr<const Packet>, const Address&) { ++received; }));
        UdpClientHelper c(dst, 9);
        c.SetAttribute("MaxPackets", UintegerValue(n));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
        c.SetAttribute("PacketSize", UintegerValue(size));
        ApplicationContainer ca = c.Install(from);
        ca.Start(Seconds(start));
    }

    void SendH1ToH2(uint32_t n, uint32_t size = 200)
    {
        Send(hosts.Get(0), hosts.Get(1), h2, n, size);
    }

    /** Keep R2 from receiving IPsec frames from the wire; they are kept for Inject. */
    Ptr<CaptureIpsecErrorModel> CaptureAtR2()
    {
        Ptr<CaptureIpsecErrorModel> em = CreateObject<CaptureIpsecErrorModel>();
        serialDevs.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        return em;
    }

    /** Deliver an IP packet (header included) to R2 as if it came from the serial link. */
    void InjectAtR2(Ptr<Packet> ipPacket)
    {
        Ptr<NetDevice> dev = serialDevs.Get(1);
        routers.Get(1)->GetObject<Ipv4L3Protocol>()->Receive(
            dev, ipPacket, 0x0800, dev->GetAddress(), dev->GetAddress(), NetDevice::PACKET_HOST);
    }

    void Run(double seconds = 5)
    {
        Simulator::Stop(Seconds(seconds));
        Simulator::Run();
    }
};

struct Case
{
    const char* transforms;
    IpsecMode mode;
};

class AllTransforms : public TwoRouters, public ::testing::WithParamInterface<Case>
{
};

TEST_P(AllTransforms, TrafficCrossesTheTunnelProtected)
{
    const Case c = GetParam();
    Protect(c.transforms, c.mode, 64);
    uint32_t espOrAh = 0;
    uint32_t clear = 0;
    serialDevs.Get(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        Callback<void, Ptr<const Packet>>(
            [&](Ptr<const Packet> p)
            {
                Ptr<Packet> q = p->Copy();
                PppHeader ppp;
                q->RemoveHeader(ppp);
                Ipv4Header ip;
                q->RemoveHeader(ip);
                (ip.GetProtocol() == 50 || ip.GetProtocol() == 51 || ip.GetProtocol() == 108
                     ? espOrAh
                     : clear)++;
            }));
    if (c.mode == IpsecMode::TUNNEL)
    {
        SendH1ToH2(20, 300);
    }
    else
    {
        Send(routers.Get(0), routers.Get(1), r2s, 20, 300);
    }
    Run();
    EXPECT_EQ(received, 20u) << c.transforms;
    EXPECT_EQ(espOrAh, 20u) << "every datagram leaves R1 protected";
    EXPECT_EQ(clear, 0u);
    EXPECT_EQ(P(0)->GetEncapsulated(), 20u);
    EXPECT_EQ(P(1)->GetDecapsulated(), 20u);
    EXPECT_EQ(P(1)->GetDrops().Total(), 0u);
    for (const auto& sa : b2->inbound)
    {
        EXPECT_EQ(sa->GetPackets(), 20u) << ToString(sa->GetProtocol());
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table25AndMore, AllTransforms,
    ::testing::Values(Case{"esp-des esp-md5-hmac", IpsecMode::TUNNEL},
                      Case{"esp-3des esp-sha-hmac", IpsecMode::TUNNEL},
                      Case{"esp-null esp-sha-hmac", IpsecMode::TUNNEL},
                      Case{"esp-aes 256 esp-sha256-hmac", IpsecMode::TUNNEL},
                      Case{"esp-gcm 128", IpsecMode::TUNNEL}, Case{"esp-aes", IpsecMode::TUNNEL},
                      Case{"ah-sha-hmac", IpsecMode::TUNNEL},
                      Case{"ah-md5-hmac esp-des", IpsecMode::TUNNEL},
                      Case{"ah-sha-hmac esp-3des esp-md5-hmac comp-lzs", IpsecMode::TUNNEL},
                      Case{"esp-aes esp-sha-hmac comp-deflate", IpsecMode::TUNNEL},
                      Case{"esp-rfc1829", IpsecMode::TUNNEL},
                      Case{"esp-3des esp-sha-hmac", IpsecMode::TRANSPORT},
                      Case{"ah-sha-hmac esp-aes", IpsecMode::TRANSPORT}));

TEST_F(TwoRouters, CompressionShrinksCompressiblePayloads)
{
    Protect("esp-3des esp-sha-hmac comp-lzs");
    uint64_t wireBytes = 0;
    serialDevs.Get(0)->TraceConnectWithoutContext(
        "PhyTxBegin",
        Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) { wireBytes += p->GetSize(); }));
    SendH1ToH2(10, 1000); // UdpClient payloads are zeros after its 12-byte header
    Run();
    EXPECT_EQ(received, 10u);
    EXPECT_LT(wireBytes, 10u * 500) << "zeros compress: frames far smaller than the payload";
}

TEST_F(TwoRouters, WrongKeysFailTheIntegrityCheck)
{
    Protect("esp-3des esp-sha-hmac", IpsecMode::TUNNEL, 64, /*sameKeys=*/false);
    SendH1ToH2(10);
    Run();
    EXPECT_EQ(received, 0u);
    EXPECT_EQ(P(1)->GetDrops().Get(IpsecDropReason::ICV_FAILURE), 10u);
}

TEST_F(TwoRouters, UnprotectedTrafficThatShouldBeProtectedIsDropped)
{
    Protect("esp-3des esp-sha-hmac");
    // R1 stops protecting (its crypto map entry goes away); R2 still requires protection.
    map1 = CreateObject<IpsecSpd>();
    IpsecHelper::ApplyCryptoMap(routers.Get(0), 2, map1);
    SendH1ToH2(10);
    Run();
    EXPECT_EQ(received, 0u);
    EXPECT_EQ(P(1)->GetDrops().Get(IpsecDropReason::UNPROTECTED), 10u);
}

TEST_F(TwoRouters, TrafficOutsideTheAccessListPassesInTheClear)
{
    Protect("esp-3des esp-sha-hmac");
    // TCP is not in the UDP-only crypto ACL: a ping (ICMP) crosses in the clear.
    V4PingHelper ping(h2);
    ping.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    ApplicationContainer a = ping.Install(hosts.Get(0));
    uint32_t rtts = 0;
    a.Get(0)->TraceConnectWithoutContext("Rtt", Callback<void, Time>([&](Time) { ++rtts; }));
    a.Start(Seconds(1));
    a.Stop(Seconds(1.55));
    Run(3);
    EXPECT_EQ(rtts, 6u);
    EXPECT_EQ(P(0)->GetEncapsulated(), 0u);
    EXPECT_EQ(P(1)->GetDrops().Total(), 0u);
}

TEST_F(TwoRouters, ManualEntryWithoutSaDropsAsNoSa)
{
    Protect("esp-3des esp-sha-hmac");
    P(0)->RemoveBundle(e1, b1);
    SendH1ToH2(5);
    Run();
    EXPECT_EQ(received, 0u);
    EXPECT_EQ(P(0)->GetDrops().Get(IpsecDropReason::NO_SA), 5u);
}

TEST_F(TwoRouters, ReplayedAndOldPacketsAreDroppedAndCounted)
{
    Protect("esp-aes esp-sha-hmac", IpsecMode::TUNNEL, 64);
    Ptr<CaptureIpsecErrorModel> em = CaptureAtR2();
    SendH1ToH2(100);
    Run(3);
    ASSERT_EQ(em->captured.size(), 100u);
    ASSERT_EQ(received, 0u);
    // Deliver by hand, as if from the wire: 100, 40 (in window), 40 again, 30 (too old: 100-64),
    // 99, 100 again.
    for (uint32_t seq : {100u, 40u, 40u, 30u, 99u, 100u})
    {
        InjectAtR2(em->captured[seq - 1]->Copy());
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    EXPECT_EQ(received, 3u) << "100, 40 and 99";
    EXPECT_EQ(P(1)->GetDrops().Get(IpsecDropReason::REPLAY), 3u);
    EXPECT_EQ(b2->inbound[0]->GetDrops().Get(IpsecDropReason::REPLAY), 3u);
}

TEST_F(TwoRouters, WithoutAntiReplayDuplicatesAreAccepted)
{
    // IOS manual SAs have no anti-replay service (spec, "Anti-Replay").
    Protect("esp-aes esp-sha-hmac", IpsecMode::TUNNEL, 0);
    Ptr<CaptureIpsecErrorModel> em = CaptureAtR2();
    SendH1ToH2(3);
    Run(2);
    ASSERT_EQ(em->captured.size(), 3u);
    for (int k = 0; k < 2; ++k)
    {
        InjectAtR2(em->captured[0]->Copy());
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    EXPECT_EQ(received, 2u);
    EXPECT_EQ(P(1)->GetDrops().Total(), 0u);
}

TEST_F(TwoRouters, TruncatedGarbledAndTamperedPacketsAreDroppedNotFatal)
{
    Protect("ah-sha-hmac esp-3des esp-sha-hmac", IpsecMode::TUNNEL, 64);
    Ptr<CaptureIpsecErrorModel> em = CaptureAtR2();
    SendH1ToH2(3);
    Run(2);
    ASSERT_EQ(em->captured.size(), 3u);
    auto inject = [&](Ptr<Packet> ipPacket) { InjectAtR2(ipPacket); };
    auto rebuild = [&](Ptr<Packet> orig, size_t keep, int flipAt)
    {
        Ptr<Packet> c = orig->Copy();
        Ipv4Header ip;
        c->RemoveHeader(ip);
        std::vector<uint8_t> b(c->GetSize());
        c->CopyData(b.data(), b.size());
        b.resize(std::min(keep, b.size()));
        if (flipAt >= 0 && size_t(flipAt) < b.size())
        {
            b[flipAt] ^= 0x40;
        }
        Ptr<Packet> p = Create<Packet>(b.data(), b.size());
        ip.SetPayloadSize(p->GetSize());
        p->AddHeader(ip);
        return p;
    };
    for (size_t keep : {0, 3, 8, 11, 12, 20, 40})
    {
        inject(rebuild(em->captured[0], keep, -1)); // truncated
    }
    inject(rebuild(em->captured[1], 10000, 60)); // a flipped bit deep in the ciphertext
    inject(rebuild(em->captured[2], 10000, 5));  // the AH SPI changed: no SA
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    EXPECT_EQ(received, 0u);
    const auto& d = P(1)->GetDrops();
    EXPECT_EQ(d.Get(IpsecDropReason::MALFORMED) + d.Get(IpsecDropReason::ICV_FAILURE) +
                  d.Get(IpsecDropReason::NO_SA),
              9u);
    EXPECT_GE(d.Get(IpsecDropReason::ICV_FAILURE), 1u);
    EXPECT_GE(d.Get(IpsecDropReason::NO_SA), 1u);
    // The genuine packets still pass afterwards: no state was lost.
    em->capture = false;
    for (auto& p : em->captured)
    {
        inject(p->Copy());
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    EXPECT_EQ(received, 3u);
}

TEST_F(TwoRouters, KilobyteLifetimeExpiresOnSchedule)
{
    Protect("esp-3des esp-sha-hmac", IpsecMode::TUNNEL, 64);
    // Replace R1's outbound SA by one with a 10 KB hard and 5 KB soft volume lifetime.
    IpsecSaConfig c = b1->outbound[0]->GetConfig();
    P(0)->GetSad()->Remove(b1->outbound[0]);
    c.hardKilobytes = 10;
    c.softKilobytes = 5;
    b1->outbound[0] = IpsecSa::Create(c);
    P(0)->GetSad()->Add(b1->outbound[0]);
    int soft = 0;
    int hard = 0;
    b1->outbound[0]->TraceConnectWithoutContext(
        "SoftExpiry", Callback<void, Ptr<IpsecSa>>([&](Ptr<IpsecSa>) { ++soft; }));
    b1->outbound[0]->TraceConnectWithoutContext(
        "HardExpiry", Callback<void, Ptr<IpsecSa>>([&](Ptr<IpsecSa>) { ++hard; }));
    // Each datagram is 1000 bytes of UDP payload + 8 UDP + 20 inner IP = 1028 protected bytes:
    // the 10th reaches 10280 >= 10240 bytes and ends the SA; the 5th (5140 >= 5120) is soft.
    SendH1ToH2(15, 1000);
    Run();
    EXPECT_EQ(soft, 1);
    EXPECT_EQ(hard, 1);
    EXPECT_EQ(received, 10u);
    EXPECT_EQ(P(0)->GetDrops().Get(IpsecDropReason::NO_SA), 5u);
}

TEST_F(TwoRouters, SecondsLifetimeExpiresOnSchedule)
{
    Protect("esp-aes esp-sha-hmac", IpsecMode::TUNNEL, 64);
    IpsecSaConfig c = b1->outbound[0]->GetConfig();
    P(0)->GetSad()->Remove(b1->outbound[0]);
    c.softLifetime = Seconds(0.5);
    c.hardLifetime = Seconds(1.2); // installed at t=0: expires at 1.2 s
    b1->outbound[0] = IpsecSa::Create(c);
    P(0)->GetSad()->Add(b1->outbound[0]);
    SendH1ToH2(50); // one every 10 ms from t=1.0 s: 20 before 1.2 s (1.00 .. 1.19)
    Run();
    EXPECT_EQ(received, 20u);
    EXPECT_EQ(P(0)->GetDrops().Get(IpsecDropReason::NO_SA), 30u);
}

TEST_F(TwoRouters, SadChangeCountMovesWithEveryAddAndRemove)
{
    Protect("esp-aes esp-sha-hmac", IpsecMode::TUNNEL, 64);
    Ptr<IpsecSad> sad = P(0)->GetSad();
    const uint64_t start = sad->GetChangeCount();
    Ptr<IpsecSa> sa = b1->outbound[0];
    sad->Remove(sa);
    EXPECT_EQ(sad->GetChangeCount(), start + 1);
    sad->Remove(sa); // not installed: nothing changed
    EXPECT_EQ(sad->GetChangeCount(), start + 1);
    b1->outbound[0] = IpsecSa::Create(sa->GetConfig());
    sad->Add(b1->outbound[0]);
    EXPECT_EQ(sad->GetChangeCount(), start + 2);
    SendH1ToH2(5); // traffic through the SAs changes no SA
    Run();
    EXPECT_EQ(received, 5u);
    EXPECT_EQ(sad->GetChangeCount(), start + 2);
}

TEST_F(TwoRouters, DecapsulatedTrafficOutsideTheSaSelectorsIsDropped)
{
    Protect("esp-3des esp-sha-hmac", IpsecMode::TUNNEL, 64);
    // R2 accepts only 10.1.1.0/24 -> 10.2.2.0/24 UDP port 7 through this SA; R1 sends port 9.
    IpsecSaConfig c = b2->inbound[0]->GetConfig();
    P(1)->GetSad()->Remove(b2->inbound[0]);
    c.selector.dstPort = IpsecPortMatch::Eq(7);
    b2->inbound[0] = IpsecSa::Create(c);
    P(1)->GetSad()->Add(b2->inbound[0]);
    SendH1ToH2(5);
    Run();
    EXPECT_EQ(received, 0u);
    EXPECT_EQ(P(1)->GetDrops().Get(IpsecDropReason::POLICY_MISMATCH), 5u);
}

TEST_F(TwoRouters, SetupErrorsAreClear)
{
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.spi = 0x1000;
    c.cipher = ipsec::CipherAlgorithm::TDES_CBC;
    c.cipherKey = std::vector<uint8_t>(16, 1); // 3DES needs 24
    c.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
    c.authKey = std::vector<uint8_t>(20, 2);
    try
    {
        IpsecSa::Create(c);
        FAIL() << "a 16-byte 3DES key must be refused";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("spi 0x1000"), std::string::npos) << e.what();
    }
    c.cipherKey = std::vector<uint8_t>(24, 1);
    c.spi = 5;
    EXPECT_THROW(IpsecSa::Create(c), std::invalid_argument); // reserved SPI
    c.spi = 0x1000;
    c.cipher = ipsec::CipherAlgorithm::NULL_CIPHER;
    c.cipherKey.clear();
    c.auth = ipsec::AuthAlgorithm::NONE;
    c.authKey.clear();
    EXPECT_THROW(IpsecSa::Create(c), std::invalid_argument); // NULL + NULL (RFC 4303 3.2)
    EXPECT_THROW(IpsecTransformSet::Parse("esp-des esp-3des"), TransformSetError);
    EXPECT_THROW(IpsecTransformSet::Parse("ah-md5-hmac ah-sha-hmac"), TransformSetError);
    EXPECT_THROW(IpsecTransformSet::Parse("esp-blowfish"), TransformSetError);
    EXPECT_THROW(IpsecTransformSet::Parse("esp-"), TransformSetError); // ambiguous
    EXPECT_EQ(IpsecTransformSet::Parse("esp-des esp-sha").ToString(), "esp-des esp-sha-hmac");
}

} // namespace
