// The IKEv2 daemon on its own: two IkeDaemons (whose Ikev2Daemon takes the entries the provider
// marks as IKEv2) on two ns-3 routers, their policy given by a small fake provider. Traffic
// between the LANs makes R1 acquire; IKE_SA_INIT and IKE_AUTH run and both sides install the
// child SA, which then carries the traffic. A wrong pre-shared key fails with
// AUTHENTICATION_FAILED on both sides, proposals that do not meet with NO_PROPOSAL_CHOSEN, a lost
// response is recovered by the initiator's retransmission and the responder's answering the
// duplicate with its stored response, and an entry not marked IKEv2 still runs IKEv1.
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ipsec-helper.h"

#include "common/two-routers.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/** One router's IKEv2 policy as data: one proposal, one key, one crypto map entry. */
class FakeIkev2Provider : public IkePolicyProvider
{
public:
    Ikev2IkeOffer proposal;
    std::string localKey = "secret";
    std::string remoteKey = "secret";
    Ptr<IpsecPolicyEntry> entry;
    IkePhase2Offer offer;
    bool ikev2 = true;
    Ipv4Address self;

    FakeIkev2Provider()
    {
        proposal.name = "P";
        proposal.encryption = {{IKEV2_ENCR_AES_CBC, 128}};
        proposal.integrity = {IKEV2_INTEG_HMAC_SHA1_96};
        proposal.prf = {2};
        proposal.groups = {14};
    }

    std::vector<IkePolicy> GetIkePolicies() const override
    {
        IkePolicy p;
        p.priority = 10;
        p.encryption = IKE_ENCR_3DES_CBC;
        p.hash = IKE_HASH_SHA;
        p.authentication = IKE_AUTH_PRE_SHARED_KEY;
        p.group = IKE_GROUP_MODP_1024;
        return {p};
    }

    std::optional<std::string> GetPreSharedKey(Ipv4Address) const override
    {
        return localKey;
    }

    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> e) const override
    {
        return {e, offer, ""};
    }

    Phase2 MatchQuickMode(Ipv4Address, Ipv4Address, const IpsecTrafficSelector&) const override
    {
        return ikev2 ? Phase2{nullptr, {}, "IKEv2 entry"} : Phase2{entry, offer, ""};
    }

    bool UsesIkev2(Ptr<IpsecPolicyEntry>) const override
    {
        return ikev2;
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
        c.localKey = localKey;
        c.remoteKey = remoteKey;
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
};

/** Drops the first IKEv2 IKE_SA_INIT response (version 0x20, exchange 34, flag R) it sees. */
class DropFirstInitResponse : public ErrorModel
{
public:
    bool dropped = false;

private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        std::vector<uint8_t> b(p->GetSize());
        p->CopyData(b.data(), b.size());
        for (size_t i = 0; !dropped && i + 3 <= b.size(); ++i)
        {
            if (b[i] == 0x20 && b[i + 1] == 34 && b[i + 2] == 0x20)
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

class Ikev2DaemonTest : public test::TwoRouterTest
{
protected:
    FakeIkev2Provider provider[2];
    Ptr<IkeDaemon> ike[2];

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

TEST_F(Ikev2DaemonTest, InitAndAuthInstallTheChildSaOnBothSides)
{
    StartDaemons();
    SendAndRun(15);
    for (int i = 0; i < 2; ++i)
    {
        SCOPED_TRACE("R" + std::to_string(i + 1));
        ASSERT_EQ(Exchanges(i, "IKE_SA_INIT", "ok").size(), 1u);
        ASSERT_EQ(Exchanges(i, "IKE_AUTH", "ok").size(), 1u);
        EXPECT_EQ(Exchanges(i, "IKE_AUTH", "ok")[0].role, i == 0 ? "initiator" : "responder");
        EXPECT_EQ(Exchanges(i, "IKE_AUTH", "ok")[0].detail, "esp-aes 256 esp-sha-hmac");
        EXPECT_TRUE(Exchanges(i, "main", "ok").empty()) << "no IKEv1 for an IKEv2 entry";
        ASSERT_EQ(provider[i].entry->bundles.size(), 1u);
        const Ptr<IpsecSaBundle> b = provider[i].entry->bundles[0];
        EXPECT_EQ(b->peer, i == 0 ? r2s : r1s);
        ASSERT_EQ(b->inbound.size(), 1u);
        ASSERT_EQ(b->outbound.size(), 1u);
        EXPECT_EQ(ike[i]->GetIkev2DecryptionTable().size(), 1u);
    }
    EXPECT_EQ(ike[0]->GetIkev2DecryptionTable(), ike[1]->GetIkev2DecryptionTable())
        << "both ends derived the same IKE SA keys";
    const Ptr<IpsecSaBundle> b1 = provider[0].entry->bundles[0];
    const Ptr<IpsecSaBundle> b2 = provider[1].entry->bundles[0];
    EXPECT_EQ(b1->outbound[0]->GetSpi(), b2->inbound[0]->GetSpi());
    EXPECT_EQ(b2->outbound[0]->GetSpi(), b1->inbound[0]->GetSpi());
    // The child SA's keys agree: what R1 encrypts, R2 decrypts and verifies.
    EXPECT_GT(b1->outbound[0]->GetPackets(), 10u);
    EXPECT_EQ(b2->inbound[0]->GetPackets(), b1->outbound[0]->GetPackets());
}

// The IKE SA algorithms IOS 15 offers for IKEv2 (AES-CBC, AES-GCM, 3DES; SHA-1 and SHA-2 as PRF
// and integrity) and the DH groups 2, 5, 14, 15, 19, 20, 21: each suite negotiated alone, both
// routers derive the same keys (the same decryption table row) and the child SA carries traffic.
struct Ikev2Suite
{
    uint16_t encr, bits, integ, prf, group;
    const char* named; //!< what the IKE_SA_INIT record names
};

class Ikev2SuiteTest : public Ikev2DaemonTest, public ::testing::WithParamInterface<Ikev2Suite>
{
};

TEST_P(Ikev2SuiteTest, ComesUpAndCarriesTraffic)
{
    const Ikev2Suite& s = GetParam();
    for (auto& p : provider)
    {
        p.proposal.encryption = {{s.encr, s.bits}};
        p.proposal.integrity.clear();
        if (s.integ != IKEV2_INTEG_NONE)
        {
            p.proposal.integrity = {s.integ};
        }
        p.proposal.prf = {s.prf};
        p.proposal.groups = {s.group};
    }
    StartDaemons();
    SendAndRun(8);
    for (int i = 0; i < 2; ++i)
    {
        const auto init = Exchanges(i, "IKE_SA_INIT", "ok");
        ASSERT_EQ(init.size(), 1u) << "R" << i + 1;
        EXPECT_NE(init[0].detail.find(s.named), std::string::npos) << init[0].detail;
        ASSERT_EQ(Exchanges(i, "IKE_AUTH", "ok").size(), 1u) << "R" << i + 1;
        ASSERT_EQ(provider[i].entry->bundles.size(), 1u);
    }
    EXPECT_EQ(ike[0]->GetIkev2DecryptionTable(), ike[1]->GetIkev2DecryptionTable());
    const Ptr<IpsecSaBundle> b1 = provider[0].entry->bundles[0];
    const Ptr<IpsecSaBundle> b2 = provider[1].entry->bundles[0];
    EXPECT_GT(b1->outbound[0]->GetPackets(), 5u);
    EXPECT_EQ(b2->inbound[0]->GetPackets(), b1->outbound[0]->GetPackets());
}

INSTANTIATE_TEST_SUITE_P(
    Ikev2DaemonTest, Ikev2SuiteTest,
    ::testing::Values(Ikev2Suite{IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA1_96,
                                 IKEV2_PRF_HMAC_SHA1, 2, "group 2"},
                      Ikev2Suite{IKEV2_ENCR_AES_CBC, 192, IKEV2_INTEG_HMAC_SHA2_256_128,
                                 IKEV2_PRF_HMAC_SHA2_256, 5, "group 5"},
                      Ikev2Suite{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_384_192,
                                 IKEV2_PRF_HMAC_SHA2_384, 15, "group 15"},
                      Ikev2Suite{IKEV2_ENCR_3DES, 0, IKEV2_INTEG_HMAC_SHA2_512_256,
                                 IKEV2_PRF_HMAC_SHA2_512, 19, "group 19"},
                      Ikev2Suite{IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE,
                                 IKEV2_PRF_HMAC_SHA2_256, 20, "group 20"},
                      Ikev2Suite{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE,
                                 IKEV2_PRF_HMAC_SHA2_512, 21, "group 21"}));

TEST_F(Ikev2DaemonTest, WrongPreSharedKeyIsAuthenticationFailedOnBothSides)
{
    provider[0].localKey = "not-the-secret";
    StartDaemons();
    SendAndRun(10);
    const auto r1 = Exchanges(0, "IKE_AUTH", "failed");
    const auto r2 = Exchanges(1, "IKE_AUTH", "failed");
    // Traffic from 1 s to 10.5 s: an attempt at 1 s and another after the 5 s hold-down.
    ASSERT_EQ(r1.size(), 2u);
    ASSERT_EQ(r2.size(), 2u);
    EXPECT_GE(r1[1].start - r1[0].end, Seconds(5)) << "the hold-down after a failure";
    EXPECT_NE(r1[0].reason.find("AUTHENTICATION_FAILED"), std::string::npos) << r1[0].reason;
    EXPECT_NE(r2[0].reason.find("does not verify"), std::string::npos) << r2[0].reason;
    EXPECT_TRUE(provider[0].entry->bundles.empty());
    EXPECT_TRUE(provider[1].entry->bundles.empty());
}

TEST_F(Ikev2DaemonTest, NoCommonProposalIsNoProposalChosen)
{
    provider[1].proposal.groups = {5};
    StartDaemons();
    SendAndRun(10);
    const auto r1 = Exchanges(0, "IKE_SA_INIT", "failed");
    ASSERT_EQ(r1.size(), 2u) << "an attempt at 1 s and another after the 5 s hold-down";
    EXPECT_NE(r1[0].reason.find("NO_PROPOSAL_CHOSEN"), std::string::npos) << r1[0].reason;
    const auto r2 = Exchanges(1, "IKE_SA_INIT", "failed");
    ASSERT_EQ(r2.size(), 2u);
    EXPECT_NE(r2[0].reason.find("answered NO_PROPOSAL_CHOSEN"), std::string::npos) << r2[0].reason;
    EXPECT_TRUE(Exchanges(0, "IKE_AUTH", "ok").empty());
}

TEST_F(Ikev2DaemonTest, ALostResponseIsRecoveredByRetransmission)
{
    Ptr<DropFirstInitResponse> loss = CreateObject<DropFirstInitResponse>();
    serialDevs.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(loss));
    StartDaemons();
    SendAndRun(15);
    EXPECT_TRUE(loss->dropped);
    const auto init = Exchanges(0, "IKE_SA_INIT", "ok");
    ASSERT_EQ(init.size(), 1u);
    EXPECT_EQ(init[0].retransmissions, 1u);
    EXPECT_EQ(init[0].messages, 3u) << "request, its retransmission, the response";
    // The responder answered the duplicate with its stored response: one IKE SA, not two.
    EXPECT_EQ(Exchanges(1, "IKE_SA_INIT", "ok").size(), 1u);
    EXPECT_EQ(Exchanges(1, "IKE_AUTH", "ok").size(), 1u);
    EXPECT_EQ(ike[1]->GetIkev2DecryptionTable().size(), 1u);
    EXPECT_GE(init[0].end - init[0].start, Seconds(2)) << "retransmitted after 2 s";
}

TEST_F(Ikev2DaemonTest, AnEntryNotMarkedIkev2StillRunsIkev1)
{
    provider[0].ikev2 = provider[1].ikev2 = false;
    StartDaemons();
    SendAndRun(15);
    EXPECT_EQ(Exchanges(0, "main", "ok").size(), 1u);
    EXPECT_EQ(Exchanges(0, "quick", "ok").size(), 1u);
    EXPECT_TRUE(Exchanges(0, "IKE_SA_INIT", "ok").empty());
    EXPECT_TRUE(ike[0]->GetIkev2DecryptionTable().empty());
}

} // namespace
