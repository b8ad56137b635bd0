// The IKE daemon on its own: two IkeDaemons on two ns-3 routers, their policy given by a small
// fake IkePolicyProvider instead of IOS configuration text. Traffic between the LANs makes the
// first router acquire, main mode and quick mode run, and both sides install the SAs; a wrong
// pre-shared key and a transform-set mismatch fail with the right reason and notification.
#include "ns3/byte-source.h"
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ike-proposal.h"
#include "ns3/ipsec-helper.h"
#include "ns3/isakmp-message.h"
#include "ns3/isakmp-payloads.h"

#include "common/two-routers.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/** One router's IKE policy as data: one phase-1 suite, one key, one crypto map entry. */
class FakePolicyProvider : public IkePolicyProvider
{
public:
    IkePolicy policy;
    std::string key;
    Ptr<IpsecPolicyEntry> entry;
    IkePhase2Offer offer;

    FakePolicyProvider()
    {
        policy.priority = 10;
        policy.encryption = IKE_ENCR_3DES_CBC;
        policy.hash = IKE_HASH_SHA;
        policy.authentication = IKE_AUTH_PRE_SHARED_KEY;
        policy.group = IKE_GROUP_MODP_1024;
    }

    std::vector<IkePolicy> GetIkePolicies() const override
    {
        return {policy};
    }

    std::optional<std::string> GetPreSharedKey(Ipv4Address) const override
    {
        return key;
    }

    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> e) const override
    {
        return {e, offer, ""};
    }

    Phase2 MatchQuickMode(Ipv4Address peer, Ipv4Address, const IpsecTrafficSelector&) const override
    {
        if (std::find(entry->peers.begin(), entry->peers.end(), peer) == entry->peers.end())
        {
            return {nullptr, {}, "no entry names this peer"};
        }
        return {entry, offer, ""};
    }
};

/** H1 -- R1 ==serial== R2 -- H2; each router with an IkeDaemon and a fake provider. */
class IkeDaemonFakeProvider : public test::TwoRouterTest
{
protected:
    FakePolicyProvider provider[2];
    Ptr<IkeDaemon> ike[2];

    void SetUp() override
    {
        TwoRouterTest::SetUp();
        const IpsecTrafficSelector lans = IpsecTrafficSelector::Subnets(
            h1, Ipv4Mask("255.255.255.0"), h2, Ipv4Mask("255.255.255.0"), 17);
        const Ipv4Address peerOf[2] = {r2s, r1s};
        const uint32_t serialIf[2] = {2, 1};
        for (int i = 0; i < 2; ++i)
        {
            Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
            e->mapName = "m";
            e->seq = 10;
            e->keying = IpsecKeying::ISAKMP;
            e->peers = {peerOf[i]};
            e->AddRule(true, i == 0 ? lans : lans.Mirror());
            Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
            spd->AddEntry(e);
            IpsecHelper::ApplyCryptoMap(routers.Get(i), serialIf[i], spd);
            provider[i].entry = e;
            provider[i].key = "secret";
            provider[i].offer.sets = {IpsecTransformSet::Parse("esp-3des esp-sha-hmac")};
        }
    }

    void TearDown() override
    {
        for (auto& d : ike)
        {
            if (d)
            {
                d->Stop();
            }
        }
        TwoRouterTest::TearDown();
    }

    void StartDaemons()
    {
        for (int i = 0; i < 2; ++i)
        {
            ike[i] = CreateObject<IkeDaemon>();
            ike[i]->Setup(IpsecHelper::Install(routers.Get(i)), &provider[i],
                          "R" + std::to_string(i + 1));
            ike[i]->Start();
        }
    }

    /** A few UDP datagrams from H1 to H2 (the first one makes R1 acquire), then @p seconds. */
    void SendAndRun(double seconds)
    {
        UdpClientHelper c(h2, 9);
        c.SetAttribute("MaxPackets", UintegerValue(20));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(500)));
        c.SetAttribute("PacketSize", UintegerValue(200));
        c.Install(hosts.Get(0)).Start(Seconds(1));
        Simulator::Stop(Seconds(seconds));
        Simulator::Run();
    }

    /** The records of @p exchange ("main", "quick") that ended with @p result at router @p i. */
    std::vector<IkeExchangeRecord> Exchanges(int i, const std::string& exchange,
                                             const std::string& result) const
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& r : ike[i]->GetExchanges())
        {
            if (r.exchange == exchange && r.result == result)
            {
                out.push_back(r);
            }
        }
        return out;
    }
};

TEST_F(IkeDaemonFakeProvider, MainAndQuickModeInstallSasOnBothSides)
{
    StartDaemons();
    SendAndRun(20);
    for (int i = 0; i < 2; ++i)
    {
        SCOPED_TRACE("R" + std::to_string(i + 1));
        EXPECT_EQ(Exchanges(i, "main", "ok").size(), 1u);
        EXPECT_EQ(Exchanges(i, "quick", "ok").size(), 1u);
        ASSERT_EQ(ike[i]->GetSas().size(), 1u);
        EXPECT_TRUE(ike[i]->GetSas()[0]->IsEstablished());
        EXPECT_EQ(ike[i]->GetSas()[0]->initiator, i == 0);
        ASSERT_EQ(provider[i].entry->bundles.size(), 1u);
        const Ptr<IpsecSaBundle> b = provider[i].entry->bundles[0];
        EXPECT_EQ(b->peer, i == 0 ? r2s : r1s);
        ASSERT_EQ(b->inbound.size(), 1u);
        ASSERT_EQ(b->outbound.size(), 1u);
        EXPECT_EQ(ike[i]->GetDroppedMessages(), 0u);
    }
    // Each side's outbound SA is the other's inbound one.
    EXPECT_EQ(provider[0].entry->bundles[0]->outbound[0]->GetSpi(),
              provider[1].entry->bundles[0]->inbound[0]->GetSpi());
    EXPECT_EQ(provider[1].entry->bundles[0]->outbound[0]->GetSpi(),
              provider[0].entry->bundles[0]->inbound[0]->GetSpi());
    EXPECT_GT(provider[0].entry->bundles[0]->outbound[0]->GetPackets(), 0u);
}

TEST_F(IkeDaemonFakeProvider, WrongPreSharedKeyFailsMainMode)
{
    provider[1].key = "other";
    StartDaemons();
    SendAndRun(60);
    EXPECT_TRUE(Exchanges(0, "main", "ok").empty());
    EXPECT_FALSE(Exchanges(0, "main", "failed").empty());
    const auto failed = Exchanges(1, "main", "failed");
    ASSERT_FALSE(failed.empty());
    EXPECT_NE(failed[0].reason.find("pre-shared keys of the two peers differ"), std::string::npos)
        << failed[0].reason;
    EXPECT_TRUE(Exchanges(0, "quick", "ok").empty());
    EXPECT_TRUE(provider[0].entry->bundles.empty());
    EXPECT_TRUE(provider[1].entry->bundles.empty());
}

TEST_F(IkeDaemonFakeProvider, TransformSetMismatchFailsQuickModeWithNoProposalChosen)
{
    provider[1].offer.sets = {IpsecTransformSet::Parse("esp-aes esp-sha-hmac")};
    StartDaemons();
    SendAndRun(20);
    EXPECT_FALSE(Exchanges(0, "main", "ok").empty());
    const auto responder = Exchanges(1, "quick", "failed");
    ASSERT_FALSE(responder.empty());
    const auto initiator = Exchanges(0, "quick", "failed");
    ASSERT_FALSE(initiator.empty());
    EXPECT_EQ(initiator[0].reason, "peer reported NO-PROPOSAL-CHOSEN");
    bool notified = false;
    for (const auto& r : ike[1]->GetExchanges())
    {
        notified |= r.exchange == "informational" &&
                    r.reason.find("NO-PROPOSAL-CHOSEN") != std::string::npos;
    }
    EXPECT_TRUE(notified);
    EXPECT_TRUE(provider[0].entry->bundles.empty());
    EXPECT_TRUE(provider[1].entry->bundles.empty());
}

TEST_F(IkeDaemonFakeProvider, DropsAreCountedByTypedReason)
{
    StartDaemons();
    ike[1]->Receive(IkeBytes(10, 0), r1s, r2s);
    IkeBytes header(28, 0);
    header[17] = 0x10; // version 1.0
    header[18] = 99;   // exchange type
    header[27] = 28;   // length
    ike[1]->Receive(header, r1s, r2s);
    EXPECT_EQ(ike[1]->GetDroppedMessages(), 2u);
    const auto& counts = ike[1]->GetDropCounts();
    EXPECT_EQ(counts.at(IkeDropKey{IkeDropReason::SHORTER_THAN_HEADER}), 1u);
    EXPECT_EQ(counts.at(IkeDropKey{IkeDropReason::UNSUPPORTED_EXCHANGE_TYPE, 99}), 1u);
    const auto reasons = ike[1]->GetDropReasons();
    EXPECT_EQ(reasons.at("shorter than an ISAKMP header"), 1u);
    EXPECT_EQ(reasons.at("exchange type 99 not supported"), 1u);
}

/**
 * One Diffie-Hellman group in phase 1 and in PFS, with the SHA-2 / AES / GCM suite the group is
 * usually paired with, in main or aggressive mode.
 */
struct GroupCase
{
    uint16_t group;
    uint16_t keyLength; //!< phase-1 AES key length
    uint16_t hash;      //!< phase-1 hash
    const char* transforms;
    bool aggressive;
};

class IkeDaemonDhGroups : public IkeDaemonFakeProvider,
                          public ::testing::WithParamInterface<GroupCase>
{
};

TEST_P(IkeDaemonDhGroups, PhaseOneAndPfsInEveryGroup)
{
    const GroupCase& c = GetParam();
    for (auto& p : provider)
    {
        p.policy.encryption = IKE_ENCR_AES_CBC;
        p.policy.keyLength = c.keyLength;
        p.policy.hash = c.hash;
        p.policy.group = c.group;
        p.offer.pfsGroup = c.group;
        p.offer.sets = {IpsecTransformSet::Parse(c.transforms)};
    }
    StartDaemons();
    if (c.aggressive)
    {
        ike[0]->SetInitiateAggressiveMode(r2s);
    }
    SendAndRun(30);
    const std::string phase1 = c.aggressive ? "aggressive" : "main";
    const std::string group = "group" + std::to_string(c.group);
    for (int i = 0; i < 2; ++i)
    {
        SCOPED_TRACE("R" + std::to_string(i + 1));
        const auto p1 = Exchanges(i, phase1, "ok");
        ASSERT_EQ(p1.size(), 1u);
        EXPECT_NE(p1[0].detail.find(" " + group + " "), std::string::npos) << p1[0].detail;
        const auto qm = Exchanges(i, "quick", "ok");
        ASSERT_EQ(qm.size(), 1u);
        EXPECT_NE(qm[0].detail.find("PFS " + group), std::string::npos) << qm[0].detail;
        ASSERT_EQ(ike[i]->GetSas().size(), 1u);
        EXPECT_EQ(ike[i]->GetSas()[0]->policy.group, c.group);
        ASSERT_EQ(provider[i].entry->bundles.size(), 1u);
        EXPECT_EQ(ike[i]->GetDroppedMessages(), 0u);
    }
    // The keys agree: what R1 protects, R2 authenticates and decrypts.
    const Ptr<IpsecSa> out = provider[0].entry->bundles[0]->outbound.at(0);
    const Ptr<IpsecSa> in = provider[1].entry->bundles[0]->inbound.at(0);
    EXPECT_EQ(out->GetSpi(), in->GetSpi());
    EXPECT_GT(out->GetPackets(), 0u);
    EXPECT_EQ(in->GetPackets(), out->GetPackets());
}

TEST_F(IkeDaemonFakeProvider, OffCurveEcpKeyExchangeFailsMainMode)
{
    // A peer offering group 19 whose KE payload is not a point of P-256 (RFC 5903 8's g^r with
    // the last bit of y flipped): R2 must refuse it, not compute with it (RFC 6989 2.3).
    for (auto& p : provider)
    {
        p.policy.encryption = IKE_ENCR_AES_CBC;
        p.policy.keyLength = 128;
        p.policy.hash = IKE_HASH_SHA2_256;
        p.policy.group = IKE_GROUP_ECP_256;
    }
    StartDaemons();
    IsakmpHeader h;
    h.SetInitiatorCookie(IsakmpCookieFromUint64(0x1122334455667788ULL));
    h.SetExchangeType(ISAKMP_EXCH_MAIN_MODE);
    IsakmpMessage mm1;
    mm1.SetHeader(h);
    mm1.AddPayload(IkeMakePhase1Offer({provider[0].policy}));
    // Delivered from inside the simulation, once the nodes' stacks are initialised.
    const IkeBytes mm1Bytes = mm1.ToBytes();
    Simulator::Schedule(Seconds(0.1), [&] { ike[1]->Receive(mm1Bytes, r1s, r2s); });
    Simulator::Stop(Seconds(0.2));
    Simulator::Run();
    ASSERT_EQ(ike[1]->GetSas().size(), 1u);
    h.SetResponderCookie(ike[1]->GetSas()[0]->rcookie);

    IkeBytes ke =
        ipsec::FromHex("b120de4aa36492795346e8de6c2c8646ae06aaea279fa775b3ab0715f6ce51b0"
                       "9f1b7eece20d7b5ed8ec685fa3f071d83727027092a8411385c34dde5708b2b6");
    ke.back() ^= 0x01;
    IsakmpMessage mm3;
    mm3.SetHeader(h);
    mm3.AddPayload(IsakmpKeyExchangePayload(ke));
    mm3.AddPayload(IsakmpNoncePayload(IkeBytes(16, 0x42)));
    const IkeBytes mm3Bytes = mm3.ToBytes();
    Simulator::Schedule(Seconds(0.1), [&] { ike[1]->Receive(mm3Bytes, r1s, r2s); });
    Simulator::Stop(Seconds(0.2));
    Simulator::Run();
    const auto failed = Exchanges(1, "main", "failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].reason.find("not a point of the curve"), std::string::npos)
        << failed[0].reason;
    EXPECT_TRUE(Exchanges(1, "main", "ok").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Groups, IkeDaemonDhGroups,
    ::testing::Values(
        GroupCase{IKE_GROUP_MODP_2048, 128, IKE_HASH_SHA2_256, "esp-aes esp-sha256-hmac", false},
        GroupCase{IKE_GROUP_MODP_3072, 192, IKE_HASH_SHA2_256, "esp-aes 192 esp-sha-hmac", false},
        GroupCase{IKE_GROUP_MODP_4096, 256, IKE_HASH_SHA2_512, "esp-aes 256 esp-sha512-hmac",
                  false},
        GroupCase{IKE_GROUP_ECP_256, 128, IKE_HASH_SHA2_256, "esp-gcm", false},
        GroupCase{IKE_GROUP_ECP_384, 256, IKE_HASH_SHA2_384, "esp-gcm 256", false},
        GroupCase{IKE_GROUP_ECP_521, 256, IKE_HASH_SHA2_512, "esp-aes 256 esp-sha384-hmac", false},
        GroupCase{IKE_GROUP_MODP_2048_256, 256, IKE_HASH_SHA2_256, "esp-gcm 192", false},
        GroupCase{IKE_GROUP_ECP_256, 256, IKE_HASH_SHA2_256, "esp-gcm 256", true},
        GroupCase{IKE_GROUP_MODP_2048_256, 128, IKE_HASH_SHA, "esp-aes esp-sha-hmac", true}),
    [](const ::testing::TestParamInfo<GroupCase>& info)
    {
        return "group" + std::to_string(info.param.group) +
               (info.param.aggressive ? "_aggressive" : "_main");
    });

} // namespace
