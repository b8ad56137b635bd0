// The IKE SA after IKE_AUTH: two IkeDaemons on two ns-3 routers (as ikev2-daemon-test.cc), their
// policy given by a small fake provider. Message-ID windows (a retransmitted request answered
// from the stored response, a request outside the window dropped), INFORMATIONAL deletes both
// ways and `clear crypto ikev2 sa`, DPD declaring a silent peer dead, CREATE_CHILD_SA rekeying
// a child SA without losing a packet (with PFS), rekeying the IKE SA (the children move to the
// new one), simultaneous rekeys leaving one pair, and a new child SA over an IKE SA that is up.
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-ns3-compat.h"

#include "common/two-routers.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;

namespace
{

/** One router's IKEv2 policy as data: one proposal, one key, one crypto map entry. */
class Provider : public IkePolicyProvider
{
public:
    Ikev2IkeOffer proposal;
    Ptr<IpsecPolicyEntry> entry;
    IkePhase2Offer offer;
    Ipv4Address self;
    Ikev2Dpd dpd;
    uint32_t ikeLifetime = 86400;

    Provider()
    {
        proposal.name = "P";
        proposal.encryption = {{IKEV2_ENCR_AES_CBC, 128}};
        proposal.integrity = {IKEV2_INTEG_HMAC_SHA1_96};
        proposal.prf = {2};
        proposal.groups = {14};
    }

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
        return {proposal};
    }

    Ikev2Credentials Credentials() const
    {
        Ikev2Credentials c;
        c.profile = "PR";
        c.idType = IKEV2_ID_IPV4_ADDR;
        const uint32_t a = self.Get();
        c.id = {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)};
        c.localKey = c.remoteKey = "secret";
        c.lifetimeSeconds = ikeLifetime;
        return c;
    }

    Ikev2Credentials GetIkev2InitiatorCredentials(Ptr<IpsecPolicyEntry>, Ipv4Address,
                                                  Ipv4Address) const override
    {
        return Credentials();
    }

    Ikev2Credentials GetIkev2ResponderCredentials(uint8_t, const std::vector<uint8_t>&, Ipv4Address,
                                                  Ipv4Address) const override
    {
        return Credentials();
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

    Ikev2Dpd GetIkev2Dpd(const std::string&) const override
    {
        return dpd;
    }
};

/** Drops the first IKEv2 message of @p exchange with flags @p flags (header bytes 17-19). */
class DropFirst : public ErrorModel
{
public:
    uint8_t exchange = 0;
    uint8_t flags = 0;
    bool dropped = false;
    bool all = false; //!< drop every packet (a dead peer)

private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (all)
        {
            return true;
        }
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        for (size_t i = 0; !dropped && i + 3 <= b.size(); ++i)
        {
            if (b[i] == 0x20 && b[i + 1] == exchange && b[i + 2] == flags)
            {
                dropped = true;
                return true;
            }
        }
        return false;
    }

    void DoReset() override
    {
    }
};

class Ikev2ExchangesTest : public test::TwoRouterTest
{
protected:
    Provider provider[2];
    Ptr<IkeDaemon> ike[2];
    Ptr<UdpServer> server;
    Ptr<UdpClient> client;

    void SetUp() override
    {
        TwoRouterTest::SetUp();
        const IpsecTrafficSelector lans = IpsecTrafficSelector::Subnets(
            h1, Ipv4Mask("255.255.255.0"), h2, Ipv4Mask("255.255.255.0"), 17);
        const Ipv4Address peerOf[2] = {r2s, r1s};
        const Ipv4Address self[2] = {r1s, r2s};
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
            provider[i].self = self[i];
            provider[i].offer.sets = {IpsecTransformSet::Parse("esp-aes 256 esp-sha-hmac")};
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

    /** H1 sends @p packets UDP datagrams to H2, one every 500 ms from 1 s; runs to @p stop. */
    void Traffic(uint32_t packets, double stop)
    {
        UdpServerHelper s(9);
        server = DynamicCast<UdpServer>(s.Install(hosts.Get(1)).Get(0));
        UdpClientHelper c(h2, 9);
        c.SetAttribute("MaxPackets", UintegerValue(packets));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(500)));
        c.SetAttribute("PacketSize", UintegerValue(200));
        client = DynamicCast<UdpClient>(c.Install(hosts.Get(0)).Get(0));
        client->SetStartTime(Seconds(1));
        Simulator::Stop(Seconds(stop));
    }

    std::vector<IkeExchangeRecord> Records(int i, const std::string& exchange,
                                           const std::string& result = "ok") const
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

    static bool Has(const std::vector<IkeExchangeRecord>& rs, const std::string& role,
                    const std::string& detail)
    {
        for (const auto& r : rs)
        {
            if (r.role == role && r.detail.find(detail) != std::string::npos)
            {
                return true;
            }
        }
        return false;
    }

    Ptr<IpsecSaBundle> Bundle(int i) const
    {
        return provider[i].entry->bundles.empty() ? nullptr : provider[i].entry->bundles.back();
    }

    /** One bundle on each side, their SPIs crossed. */
    void ExpectOnePairCrossed()
    {
        ASSERT_EQ(provider[0].entry->bundles.size(), 1u);
        ASSERT_EQ(provider[1].entry->bundles.size(), 1u);
        EXPECT_EQ(Bundle(0)->outbound[0]->GetSpi(), Bundle(1)->inbound[0]->GetSpi());
        EXPECT_EQ(Bundle(1)->outbound[0]->GetSpi(), Bundle(0)->inbound[0]->GetSpi());
    }
};

TEST_F(Ikev2ExchangesTest, ClearDeletesTheIkeSaAndItsChildrenOnBothSides)
{
    StartDaemons();
    Traffic(6, 10);
    Simulator::Schedule(Seconds(5), [this] { ike[0]->ClearIkev2Sas(); });
    Simulator::Run();
    EXPECT_EQ(Records(0, "IKE_AUTH").size(), 1u);
    EXPECT_TRUE(Has(Records(0, "INFORMATIONAL"), "initiator", "delete IKE SA"));
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "responder", "delete IKE SA"));
    for (int i = 0; i < 2; ++i)
    {
        EXPECT_EQ(ike[i]->GetIkev2()->CountSas(), 0u) << "R" << i + 1;
        EXPECT_TRUE(provider[i].entry->bundles.empty()) << "R" << i + 1;
    }
}

TEST_F(Ikev2ExchangesTest, ChildDeletesBothWaysAndNewChildrenOverTheSameIkeSa)
{
    StartDaemons();
    Traffic(30, 17);
    uint32_t r1Spi = 0;
    uint32_t r2Spi = 0;
    Simulator::Schedule(Seconds(5),
                        [&]
                        {
                            r1Spi = Bundle(0)->inbound[0]->GetSpi();
                            ike[0]->DeleteBundle(provider[0].entry, Bundle(0)); // clear crypto sa
                        });
    Simulator::Schedule(Seconds(10),
                        [&]
                        {
                            ASSERT_TRUE(Bundle(1));
                            r2Spi = Bundle(1)->inbound[0]->GetSpi();
                            ike[1]->DeleteBundle(provider[1].entry, Bundle(1));
                        });
    Simulator::Run();
    std::ostringstream s1, s2;
    s1 << std::hex << std::uppercase << "delete child SA 0x" << r1Spi;
    s2 << std::hex << std::uppercase << "delete child SA 0x" << r2Spi;
    EXPECT_TRUE(Has(Records(0, "INFORMATIONAL"), "initiator", s1.str()));
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "responder", s1.str() + ", answered"));
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "initiator", s2.str()));
    EXPECT_TRUE(Has(Records(0, "INFORMATIONAL"), "responder", s2.str() + ", answered"));
    // Each time the next packet made a child SA over the IKE SA that stayed up.
    EXPECT_EQ(Records(0, "IKE_SA_INIT").size(), 1u);
    EXPECT_EQ(Records(0, "CREATE_CHILD_SA").size(), 2u);
    EXPECT_TRUE(Has(Records(1, "CREATE_CHILD_SA"), "responder", "new child SA"));
    EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 1u);
    ExpectOnePairCrossed();
    EXPECT_GE(server->GetReceived(), 26u) << "a packet or two per deletion at most";
}

TEST_F(Ikev2ExchangesTest, ARetransmittedRequestIsAnsweredFromTheStoredResponse)
{
    // R2's response to R1's Delete (INFORMATIONAL 37, flag R of the original responder) is lost.
    Ptr<DropFirst> loss = CreateObject<DropFirst>();
    loss->exchange = IKEV2_EXCH_INFORMATIONAL;
    loss->flags = 0x20;
    serialDevs.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    StartDaemons();
    Traffic(6, 12);
    Simulator::Schedule(Seconds(5), [this] { ike[0]->DeleteBundle(provider[0].entry, Bundle(0)); });
    Simulator::Run();
    EXPECT_TRUE(loss->dropped);
    const auto r1 = Records(0, "INFORMATIONAL");
    ASSERT_EQ(r1.size(), 1u);
    EXPECT_EQ(r1[0].retransmissions, 1u);
    EXPECT_EQ(r1[0].messages, 3u) << "request, its retransmission, the response";
    EXPECT_EQ(r1[0].messageId, 2u) << "R1's first request after IKE_AUTH (message 1)";
    EXPECT_EQ(Records(1, "INFORMATIONAL").size(), 1u) << "processed once, answered twice";
    EXPECT_TRUE(provider[1].entry->bundles.empty());
}

TEST_F(Ikev2ExchangesTest, ARequestOutsideTheWindowIsDropped)
{
    StartDaemons();
    Traffic(20, 20);
    // R2's receive side: keep every IKEv2 datagram R1 sent (IP 20 + UDP 8 bytes in front).
    std::vector<std::vector<uint8_t>> fromR1;
    serialDevs.Get(1)->TraceConnectWithoutContext(
        "MacRx", MakeLambdaCallback<Callback<void, Ptr<const Packet>>>(
                     [&](Ptr<const Packet> p)
                     {
                         std::vector<uint8_t> b(p->GetSize());
                         p->CopyData(b.data(), b.size());
                         const size_t ip = b.size() > 2 && b[0] != 0x45 ? 2 : 0; // PPP header
                         const size_t ike = ip + 28;
                         if (b.size() > ike + 28 && b[ip + 9] == 17 && b[ike + 17] == 0x20)
                         {
                             fromR1.emplace_back(b.begin() + ike, b.end());
                         }
                     }));
    uint64_t sentByR2 = 0;
    serialDevs.Get(1)->TraceConnectWithoutContext(
        "MacTx", MakeLambdaCallback<Callback<void, Ptr<const Packet>>>([&](Ptr<const Packet>)
                                                                       { ++sentByR2; }));
    Simulator::Schedule(Seconds(5), [this] { ike[0]->DeleteBundle(provider[0].entry, Bundle(0)); });
    Simulator::Schedule(Seconds(8), [this] { ike[0]->DeleteBundle(provider[0].entry, Bundle(0)); });
    std::vector<uint8_t> firstDelete;
    uint64_t before = 0;
    Simulator::Schedule(Seconds(12),
                        [&]
                        {
                            // Message 2 (the first Delete); R2 has answered 3 (the next child
                            // SA) and 4 (the second Delete) since.
                            for (const auto& d : fromR1)
                            {
                                if (d[18] == IKEV2_EXCH_INFORMATIONAL && d[23] == 2)
                                {
                                    firstDelete = d;
                                }
                            }
                            before = sentByR2;
                            ike[1]->Receive(firstDelete, r1s, r2s);
                        });
    Simulator::Run();
    ASSERT_FALSE(firstDelete.empty());
    EXPECT_EQ(sentByR2, before) << "no answer to a request older than the last one answered";
    EXPECT_EQ(Records(1, "INFORMATIONAL").size(), 2u);
}

TEST_F(Ikev2ExchangesTest, DpdDeclaresASilentPeerDeadAndRemovesItsSas)
{
    provider[0].dpd = {10, 2, false};
    Ptr<DropFirst> dead = CreateObject<DropFirst>();
    StartDaemons();
    Traffic(100, 60);
    // From 5 s nothing reaches R1 from R2: R1 keeps sending and hears nothing back.
    Simulator::Schedule(Seconds(5),
                        [&]
                        {
                            dead->all = true;
                            serialDevs.Get(0)->SetAttribute("ReceiveErrorModel",
                                                            PointerValue(dead));
                        });
    Simulator::Run();
    const auto failed = Records(0, "INFORMATIONAL", "failed");
    ASSERT_FALSE(failed.empty());
    EXPECT_EQ(failed[0].detail, "liveness check (DPD)");
    EXPECT_EQ(failed[0].retransmissions, 5u);
    EXPECT_NE(failed[0].reason.find("peer dead"), std::string::npos) << failed[0].reason;
    // Every 2 s (`dpd 10 2`): the check and five retries, then the peer is dead.
    EXPECT_EQ(failed[0].end - failed[0].start, Seconds(12));
    EXPECT_LE(failed[0].start, Seconds(27));
    EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 0u);
    EXPECT_TRUE(provider[0].entry->bundles.empty() ||
                Bundle(0)->outbound[0]->GetInstalledAt() > failed[0].end)
        << "the dead peer's child SA is gone";
}

TEST_F(Ikev2ExchangesTest, DpdOnDemandChecksOnlyWhileSending)
{
    provider[0].dpd = {10, 2, false};
    StartDaemons();
    Traffic(10, 60); // one way (nothing comes back), until 5.5 s
    Simulator::Run();
    // One check at about 11 s (R1 sent and heard nothing), none once R1 stopped sending.
    const auto r1 = Records(0, "INFORMATIONAL");
    ASSERT_EQ(r1.size(), 1u);
    EXPECT_EQ(r1[0].detail, "liveness check (DPD)");
    EXPECT_EQ(r1[0].messages, 2u);
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "responder", "liveness check (DPD)"));
    EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 1u);
}

TEST_F(Ikev2ExchangesTest, DpdPeriodicChecksAQuietPeerEveryInterval)
{
    provider[1].dpd = {10, 2, true};
    StartDaemons();
    Traffic(4, 60);
    Simulator::Run();
    // R2 (the responder) asks: about every 10 s from its IKE SA's start.
    const auto r2 = Records(1, "INFORMATIONAL");
    EXPECT_GE(r2.size(), 4u);
    EXPECT_TRUE(Has(r2, "initiator", "liveness check (DPD)"));
    EXPECT_EQ(Records(0, "INFORMATIONAL").size(), r2.size()) << "each answered by R1";
    EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 1u);
}

TEST_F(Ikev2ExchangesTest, IkeRekeyWithAnotherGroupIsInvalidKePayload)
{
    provider[0].proposal.groups = {14, 5};
    StartDaemons();
    Traffic(10, 10);
    // R2 is reconfigured to group 5 only: R1's KE (group 14, its IKE SA's) does not fit.
    Simulator::Schedule(Seconds(3),
                        [this]
                        {
                            provider[1].proposal.groups = {5};
                            EXPECT_TRUE(ike[0]->GetIkev2()->RekeyIkeSa(r2s));
                        });
    Simulator::Run();
    const auto r1 = Records(0, "CREATE_CHILD_SA", "failed");
    ASSERT_EQ(r1.size(), 1u);
    EXPECT_NE(r1[0].reason.find("INVALID_KE_PAYLOAD"), std::string::npos) << r1[0].reason;
    EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 1u) << "the IKE SA stays";
}

TEST_F(Ikev2ExchangesTest, ChildRekeyWithPfsLosesNoPacket)
{
    for (auto& p : provider)
    {
        p.offer.lifetimeSeconds = 90; // R1 (creator) rekeys at 60 s, R2 would at 70 s
        p.offer.pfsGroup = 14;
    }
    StartDaemons();
    Traffic(200, 110);
    Simulator::Run();
    const auto r1 = Records(0, "CREATE_CHILD_SA");
    ASSERT_EQ(r1.size(), 1u);
    EXPECT_EQ(r1[0].role, "initiator");
    EXPECT_NE(r1[0].detail.find("rekey child SA"), std::string::npos) << r1[0].detail;
    EXPECT_NE(r1[0].detail.find("PFS group 14"), std::string::npos) << r1[0].detail;
    EXPECT_GT(r1[0].start, Seconds(60));
    EXPECT_LT(r1[0].start, Seconds(62));
    ASSERT_EQ(Records(1, "CREATE_CHILD_SA").size(), 1u);
    EXPECT_NE(Records(1, "CREATE_CHILD_SA")[0].detail.find("PFS group 14"), std::string::npos);
    // The old pair deleted after the new one was in: one delete each way.
    EXPECT_TRUE(Has(Records(0, "INFORMATIONAL"), "initiator", "delete child SA"));
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "responder", "answered"));
    ExpectOnePairCrossed();
    EXPECT_GT(Bundle(0)->outbound[0]->GetInstalledAt(), Seconds(60));
    EXPECT_GT(Bundle(1)->inbound[0]->GetPackets(), 50u) << "the new child SA carries the flow";
    EXPECT_GE(server->GetReceived(), 199u) << "every packet but the one that started IKE";
}

TEST_F(Ikev2ExchangesTest, TheSideThatDidNotCreateTheChildRekeysWhenItsLifetimeIsShorter)
{
    provider[1].offer.lifetimeSeconds = 90; // R2 (responder of IKE_AUTH) rekeys at 70 s
    StartDaemons();
    Traffic(180, 100);
    Simulator::Run();
    const auto r2 = Records(1, "CREATE_CHILD_SA");
    ASSERT_EQ(r2.size(), 1u);
    EXPECT_EQ(r2[0].role, "initiator");
    EXPECT_EQ(r2[0].messageId, 0u) << "R2's first request on the IKE SA";
    EXPECT_GT(r2[0].start, Seconds(70));
    EXPECT_LT(r2[0].start, Seconds(72));
    EXPECT_EQ(r2[0].detail.find("PFS"), std::string::npos) << "no set pfs: no KE";
    EXPECT_TRUE(Has(Records(1, "INFORMATIONAL"), "initiator", "delete child SA"));
    ExpectOnePairCrossed();
    EXPECT_GE(server->GetReceived(), 179u);
}

TEST_F(Ikev2ExchangesTest, PfsGroupMismatchIsRefused)
{
    provider[0].offer.pfsGroup = 14;
    provider[1].offer.pfsGroup = 5; // R2 wants group 5: R1's proposal has only 14
    StartDaemons();
    Traffic(10, 8);
    Simulator::Schedule(Seconds(4), [this] { ike[0]->GetIkev2()->RekeyChild(Bundle(0)); });
    Simulator::Run();
    const auto r1 = Records(0, "CREATE_CHILD_SA", "failed");
    ASSERT_EQ(r1.size(), 1u);
    EXPECT_NE(r1[0].reason.find("NO_PROPOSAL_CHOSEN"), std::string::npos) << r1[0].reason;
    EXPECT_EQ(provider[0].entry->bundles.size(), 1u) << "the old child SA stays";
}

TEST_F(Ikev2ExchangesTest, AChildSaNotRekeyedIsDeletedOnBothSidesAtItsEnd)
{
    provider[0].offer.lifetimeSeconds = 40; // R1 tries to rekey at 20 s and fails
    provider[0].offer.pfsGroup = 14;
    provider[1].offer.pfsGroup = 5;
    StartDaemons();
    Traffic(8, 50);
    Simulator::Run();
    ASSERT_EQ(Records(0, "CREATE_CHILD_SA", "failed").size(), 1u);
    const auto del = Records(0, "INFORMATIONAL");
    ASSERT_EQ(del.size(), 1u);
    EXPECT_NE(del[0].detail.find("delete child SA"), std::string::npos);
    EXPECT_GE(del[0].start, Seconds(41));
    EXPECT_LT(del[0].start, Seconds(42));
    EXPECT_TRUE(provider[0].entry->bundles.empty());
    EXPECT_TRUE(provider[1].entry->bundles.empty()) << "R2 (lifetime 3600 s) was told";
    EXPECT_EQ(ike[1]->GetIkev2()->CountSas(), 1u) << "the IKE SA stays";
}

TEST_F(Ikev2ExchangesTest, IkeSaRekeyMovesTheChildren)
{
    provider[0].ikeLifetime = provider[1].ikeLifetime = 120; // R1 rekeys at 90 s
    StartDaemons();
    Traffic(230, 130);
    Simulator::Schedule(Seconds(125), [this] { ike[1]->ClearIkev2Sas(); });
    Simulator::Run();
    ASSERT_TRUE(Has(Records(0, "CREATE_CHILD_SA"), "initiator", "rekey IKE SA"));
    EXPECT_TRUE(Has(Records(1, "CREATE_CHILD_SA"), "responder", "rekey IKE SA"));
    EXPECT_TRUE(Has(Records(0, "INFORMATIONAL"), "initiator", "delete IKE SA"));
    const auto t0 = ike[0]->GetIkev2DecryptionTable();
    ASSERT_EQ(t0.size(), 2u);
    EXPECT_EQ(t0, ike[1]->GetIkev2DecryptionTable()) << "the same keys for the new IKE SA";
    EXPECT_NE(t0[0].substr(0, 33), t0[1].substr(0, 33)) << "new SPIs";
    // R2's clear went over the new IKE SA and took the moved child SAs with it on both sides.
    for (int i = 0; i < 2; ++i)
    {
        EXPECT_EQ(ike[i]->GetIkev2()->CountSas(), 0u);
        EXPECT_TRUE(provider[i].entry->bundles.empty());
    }
    EXPECT_EQ(Records(0, "IKE_SA_INIT").size(), 1u);
    EXPECT_GE(server->GetReceived(), 229u) << "every packet but the one that started IKE";
}

TEST_F(Ikev2ExchangesTest, SimultaneousChildRekeyLeavesOnePair)
{
    provider[0].offer.pfsGroup = provider[1].offer.pfsGroup = 14;
    StartDaemons();
    Traffic(30, 17);
    Simulator::Schedule(Seconds(5),
                        [this]
                        {
                            EXPECT_TRUE(ike[0]->GetIkev2()->RekeyChild(Bundle(0)));
                            EXPECT_TRUE(ike[1]->GetIkev2()->RekeyChild(Bundle(1)));
                        });
    Simulator::Run();
    for (int i = 0; i < 2; ++i)
    {
        const auto r = Records(i, "CREATE_CHILD_SA");
        ASSERT_EQ(r.size(), 2u) << "R" << i + 1 << ": its own rekey and the peer's";
    }
    ExpectOnePairCrossed();
    EXPECT_GT(Bundle(0)->outbound[0]->GetInstalledAt(), Seconds(5));
    EXPECT_GE(server->GetReceived(), 29u) << "no packet lost";
}

TEST_F(Ikev2ExchangesTest, SimultaneousIkeRekeyLeavesOneIkeSa)
{
    StartDaemons();
    Traffic(27, 17); // until 14 s: no new IKE SA after the clear at 15 s
    Simulator::Schedule(Seconds(5),
                        [this]
                        {
                            EXPECT_TRUE(ike[0]->GetIkev2()->RekeyIkeSa(r2s));
                            EXPECT_TRUE(ike[1]->GetIkev2()->RekeyIkeSa(r1s));
                        });
    Simulator::Schedule(Seconds(14),
                        [this]
                        {
                            EXPECT_EQ(ike[0]->GetIkev2()->CountSas(), 1u);
                            EXPECT_EQ(ike[1]->GetIkev2()->CountSas(), 1u);
                        });
    Simulator::Schedule(Seconds(15), [this] { ike[0]->ClearIkev2Sas(); });
    Simulator::Run();
    auto t0 = ike[0]->GetIkev2DecryptionTable();
    auto t1 = ike[1]->GetIkev2DecryptionTable();
    EXPECT_EQ(t0.size(), 3u) << "the first IKE SA and the two rekeys";
    std::sort(t0.begin(), t0.end());
    std::sort(t1.begin(), t1.end());
    EXPECT_EQ(t0, t1);
    // Both sides kept the same IKE SA: the clear over it removed R2's children too.
    for (int i = 0; i < 2; ++i)
    {
        EXPECT_EQ(ike[i]->GetIkev2()->CountSas(), 0u);
        EXPECT_TRUE(provider[i].entry->bundles.empty()) << "R" << i + 1;
    }
    EXPECT_EQ(Records(1, "INFORMATIONAL", "failed").size(), 0u);
    for (int i = 0; i < 2 && HasFailure(); ++i)
    {
        for (const auto& r : ike[i]->GetExchanges())
        {
            std::cout << "R" << i + 1 << " " << r.start.GetSeconds() << " " << r.exchange << " "
                      << r.role << " " << r.icookie << " id " << r.messageId << " " << r.result
                      << " [" << r.detail << "] " << r.reason << "\n";
        }
    }
}

} // namespace
