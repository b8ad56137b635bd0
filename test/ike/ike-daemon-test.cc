// The IKE daemon on its own: two IkeDaemons on two ns-3 routers, their policy given by a small
// fake IkePolicyProvider instead of IOS configuration text. Traffic between the LANs makes the
// first router acquire, main mode and quick mode run, and both sides install the SAs; a wrong
// pre-shared key and a transform-set mismatch fail with the right reason and notification.
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ipsec-helper.h"

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

} // namespace
