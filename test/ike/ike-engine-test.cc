// IKE between routers configured in IOS syntax: negotiation, retransmission, failures with their
// reasons, lifetimes and rekeying, clearing, dead peer detection and bad datagrams.
#include "common/ios-lab.h"

#include "ns3/ipsec-random.h"
#include "ns3/ipsec-static-nat.h"

#include "ns3/error-model.h"
#include "ns3/ppp-header.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::test::IosLab;

namespace
{

/** IOS text of one end of the spec's example keyed by IKE; the far end's LAN and peer. */
std::string
Site(const std::string& name, const std::string& lan, const std::string& lanAddr,
     const std::string& farLan, const std::string& serial, const std::string& peer,
     const std::string& psk, const std::string& sets = "esp-3des esp-md5-hmac",
     const std::string& extra = "", const std::string& entryExtra = "")
{
    return "hostname " + name +
           "\n"
           "crypto isakmp policy 10\n encryption aes 128\n hash sha\n authentication pre-share\n"
           " group 2\n"
           "crypto isakmp key " +
           psk + " address " + peer +
           "\n"
           "access-list 101 permit ip " +
           lan + " 0.0.0.255 " + farLan +
           " 0.0.0.255\n"
           "crypto ipsec transform-set ts " +
           sets + "\n" + extra +
           "crypto map cm 10 ipsec-isakmp\n match address 101\n set transform-set ts\n set peer " +
           peer + "\n" + entryExtra + "interface Ethernet0\n ip address " + lanAddr +
           " 255.255.255.0\n"
           "interface Serial0\n ip address " +
           serial +
           " 255.255.255.252\n crypto map cm\n"
           "ip route " +
           farLan + " 255.255.255.0 " + peer + "\n";
}

class IkeLab : public IosLab
{
protected:
    void TwoSites(const std::string& psk1 = "k3y", const std::string& psk2 = "k3y",
                  const std::string& sets1 = "esp-3des esp-md5-hmac",
                  const std::string& sets2 = "esp-3des esp-md5-hmac",
                  const std::string& extra1 = "", const std::string& extra2 = "",
                  const std::string& entry1 = "", const std::string& entry2 = "")
    {
        Router("R1", Site("R1", "10.0.0.0", "10.0.0.1", "10.2.2.0", "192.168.1.1", "192.168.1.2",
                          psk1, sets1, extra1, entry1));
        Router("R2", Site("R2", "10.2.2.0", "10.2.2.1", "10.0.0.0", "192.168.1.2", "192.168.1.1",
                          psk2, sets2, extra2, entry2));
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        Build();
    }

    Ptr<IkeDaemon> Ike(const std::string& r)
    {
        return routers.at(r)->GetIke();
    }

    std::vector<IkeExchangeRecord> Exchanges(const std::string& r, const std::string& kind,
                                             const std::string& result = "")
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& x : Ike(r)->GetExchanges())
        {
            if (x.exchange == kind && (result.empty() || x.result == result))
            {
                out.push_back(x);
            }
        }
        return out;
    }

    std::vector<Ptr<IpsecSaBundle>> Bundles(const std::string& r)
    {
        std::vector<Ptr<IpsecSaBundle>> out;
        Ptr<IpsecSpd> spd = P(r)->GetSpd(routers.at(r)->GetInterfaceIndex("Serial0"));
        for (const auto& e : spd->GetEntries())
        {
            out.insert(out.end(), e->bundles.begin(), e->bundles.end());
        }
        return out;
    }
};

/** Drops the first @c n ISAKMP datagrams a device receives. */
class DropIke : public ErrorModel
{
public:
    uint32_t n = 0;
    uint32_t dropped = 0;

private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> q = p->Copy();
        PppHeader ppp;
        Ipv4Header ip;
        UdpHeader udp;
        q->RemoveHeader(ppp);
        q->RemoveHeader(ip);
        if (ip.GetProtocol() != 17)
        {
            return false;
        }
        q->RemoveHeader(udp);
        if (udp.GetDestinationPort() == 500 && dropped < n)
        {
            ++dropped;
            return true;
        }
        return false;
    }

    void DoReset() override
    {
    }
};

TEST_F(IkeLab, IdentityDnReachesTheDaemon)
{
    // `crypto isakmp identity dn`: with rsa-sig the router names itself by its certificate's
    // subject (doc/ike-rsa.md); R2 keeps the default, its address.
    TwoSites("k3y", "k3y", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac",
             "crypto isakmp identity dn\n");
    EXPECT_TRUE(Ike("R1")->IdentityDn());
    EXPECT_FALSE(Ike("R2")->IdentityDn());
}

TEST_F(IkeLab, SpecExampleNegotiatesAndCarriesTraffic)
{
    TwoSites();
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 300, 1.5);
    Run(6);
    // One main mode and one quick mode, each side in its role.
    ASSERT_EQ(Exchanges("R1", "main", "ok").size(), 1u);
    ASSERT_EQ(Exchanges("R2", "main", "ok").size(), 1u);
    EXPECT_EQ(Exchanges("R1", "main")[0].role, "initiator");
    EXPECT_EQ(Exchanges("R2", "main")[0].role, "responder");
    EXPECT_EQ(Exchanges("R1", "main")[0].messages, 6u);
    ASSERT_EQ(Exchanges("R1", "quick", "ok").size(), 1u);
    ASSERT_EQ(Exchanges("R2", "quick", "ok").size(), 1u);
    // The SAs agree: each outbound SA of one side is an inbound SA of the other, same keys.
    auto b1 = Bundles("R1");
    auto b2 = Bundles("R2");
    ASSERT_EQ(b1.size(), 1u);
    ASSERT_EQ(b2.size(), 1u);
    ASSERT_EQ(b1[0]->outbound.size(), 1u);
    const IpsecSaConfig& out1 = b1[0]->outbound[0]->GetConfig();
    const IpsecSaConfig& in2 = b2[0]->inbound[0]->GetConfig();
    EXPECT_EQ(out1.spi, in2.spi);
    EXPECT_EQ(out1.cipherKey, in2.cipherKey);
    EXPECT_EQ(out1.authKey, in2.authKey);
    EXPECT_EQ(out1.cipherKey.size(), 24u); // 3DES
    EXPECT_EQ(out1.authKey.size(), 16u);   // HMAC-MD5
    EXPECT_NE(b1[0]->inbound[0]->GetConfig().cipherKey, out1.cipherKey);
    // The scope is the access list's permit, in each side's outbound sense.
    EXPECT_EQ(b1[0]->scope.srcAddr, Ipv4Address("10.0.0.0"));
    EXPECT_EQ(b2[0]->scope.srcAddr, Ipv4Address("10.2.2.0"));
    // The first datagrams are dropped while IKE negotiates (as IOS does), the rest arrive.
    EXPECT_GT(*there, 290u);
    EXPECT_EQ(*there + P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 300u);
    EXPECT_EQ(*back + P("R2")->GetDrops().Get(IpsecDropReason::NO_SA), 300u);
    // show crypto isakmp sa
    const std::string show = routers.at("R1")->Exec("show crypto isakmp sa");
    // IOS 15's form: the IPv4 table (R1 initiated: dst is R2), status ACTIVE, conn-ids from
    // 1001, then the empty IPv6 table.
    EXPECT_EQ(show, "IPv4 Crypto ISAKMP SA\n"
                    "dst             src             state          conn-id status\n"
                    "192.168.1.2     192.168.1.1     QM_IDLE           1001 ACTIVE\n"
                    "\n"
                    "IPv6 Crypto ISAKMP SA\n"
                    "\n");
}

TEST_F(IkeLab, LostMessagesAreRetransmitted)
{
    TwoSites();
    // R1 loses the first two ISAKMP datagrams R2 sends (message 2 and its first resend). Both
    // ends retransmit 10 s later (R1 message 1, R2 message 2 on its own timer) and R2 answers
    // the duplicate message 1 with its stored message 2.
    Ptr<DropIke> em = CreateObject<DropIke>();
    em->n = 2;
    devByPort.at("R1:Serial0")->SetReceiveErrorModel(em);
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 4000, 1.0);
    Run(45);
    EXPECT_EQ(em->dropped, 2u);
    auto mm = Exchanges("R1", "main", "ok");
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_GE(mm[0].retransmissions, 1u);
    EXPECT_GE(mm[0].end.GetSeconds() - mm[0].start.GetSeconds(), 10.0);
    EXPECT_LT(mm[0].end.GetSeconds() - mm[0].start.GetSeconds(), 21.0);
    EXPECT_GE(Exchanges("R2", "main", "ok")[0].retransmissions, 2u); // timer and duplicate
    EXPECT_EQ(Exchanges("R1", "quick", "ok").size(), 1u);
    EXPECT_GT(*there, 2000u);
}

TEST_F(IkeLab, PeerThatNeverAnswersFailsWithAReason)
{
    TwoSites();
    Ptr<DropIke> em = CreateObject<DropIke>();
    em->n = 1000;
    devByPort.at("R2:Serial0")->SetReceiveErrorModel(em);
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(60);
    auto mm = Exchanges("R1", "main", "failed");
    ASSERT_GE(mm.size(), 1u);
    EXPECT_EQ(mm[0].retransmissions, 3u);
    EXPECT_NE(mm[0].reason.find("no answer from 192.168.1.2"), std::string::npos) << mm[0].reason;
    EXPECT_TRUE(Bundles("R1").empty());
    EXPECT_TRUE(Ike("R1")->GetSas().empty());
}

TEST_F(IkeLab, WrongPreSharedKeyFailsCleanly)
{
    TwoSites("right-key", "wrong-key");
    Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(10);
    auto r2 = Exchanges("R2", "main", "failed");
    ASSERT_GE(r2.size(), 1u);
    EXPECT_NE(r2[0].reason.find("pre-shared keys of the two peers differ"), std::string::npos)
        << r2[0].reason;
    auto r1 = Exchanges("R1", "main", "failed");
    ASSERT_GE(r1.size(), 1u);
    EXPECT_NE(r1[0].reason.find("AUTHENTICATION-FAILED"), std::string::npos) << r1[0].reason;
    EXPECT_TRUE(Bundles("R1").empty());
    EXPECT_TRUE(Bundles("R2").empty());
    EXPECT_TRUE(Exchanges("R1", "quick").empty());
}

TEST_F(IkeLab, TransformSetsWithNothingInCommonFail)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-aes 256 esp-sha-hmac");
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(5);
    EXPECT_EQ(Exchanges("R1", "main", "ok").size(), 1u);
    auto r2 = Exchanges("R2", "quick", "failed");
    ASSERT_GE(r2.size(), 1u);
    EXPECT_NE(r2[0].reason.find("esp-3des esp-md5-hmac"), std::string::npos) << r2[0].reason;
    auto r1 = Exchanges("R1", "quick", "failed");
    ASSERT_GE(r1.size(), 1u);
    EXPECT_NE(r1[0].reason.find("NO-PROPOSAL-CHOSEN"), std::string::npos) << r1[0].reason;
    // Held off after the failure: not one negotiation per packet.
    EXPECT_LE(r1.size(), 2u);
    EXPECT_TRUE(Bundles("R1").empty());
}

TEST_F(IkeLab, ResponderLifetimeIsTheSmaller)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac", "",
             "crypto ipsec security-association lifetime seconds 900\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    auto b1 = Bundles("R1");
    auto b2 = Bundles("R2");
    ASSERT_EQ(b1.size(), 1u);
    ASSERT_EQ(b2.size(), 1u);
    // R1 proposed 3600 s, R2 has 900 s: both use 900 s (R1 learns it by RESPONDER-LIFETIME).
    EXPECT_EQ(b1[0]->outbound[0]->GetConfig().hardLifetime, Seconds(900));
    EXPECT_EQ(b2[0]->outbound[0]->GetConfig().hardLifetime, Seconds(900));
    EXPECT_EQ(b1[0]->outbound[0]->GetConfig().softLifetime, Seconds(870));
}

TEST_F(IkeLab, RekeyBeforeExpiryLosesNothing)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac",
             "crypto ipsec security-association lifetime seconds 120\n",
             "crypto ipsec security-association lifetime seconds 120\n");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 30000, 1.0); // 10 ms apart, to 301 s
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 30000, 1.0);
    Run(310);
    // Both sides started a negotiation for their own first packet; each rekeys what it began.
    std::vector<IkeExchangeRecord> qm;
    for (const auto& x : Exchanges("R1", "quick", "ok"))
    {
        if (x.role == "initiator")
        {
            qm.push_back(x);
        }
    }
    // First at ~1 s, then every 90 s (30 s before each 120 s lifetime): ~91, ~181, ~271.
    ASSERT_GE(qm.size(), 4u);
    EXPECT_NEAR(qm[1].start.GetSeconds() - qm[0].end.GetSeconds(), 90.0, 1.0);
    // Only the packets sent before the first SA existed are lost.
    EXPECT_EQ(*there + P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 30000u);
    EXPECT_EQ(*back + P("R2")->GetDrops().Get(IpsecDropReason::NO_SA), 30000u);
    EXPECT_LT(P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 20u);
    // Old SAs are gone at their hard expiry: at most the current and the previous bundle.
    EXPECT_LE(Bundles("R1").size(), 4u);
    EXPECT_LE(P("R1")->GetSad()->GetN(), 8u);
}

TEST_F(IkeLab, IdleSaIsNotRenegotiated)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac",
             "crypto ipsec security-association lifetime seconds 120\n",
             "crypto ipsec security-association lifetime seconds 120\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 1, 1.0); // one datagram: no SA yet, dropped
    Udp("h1", "h2", "10.2.2.10", 9002, 1, 3.0); // carried by the new SA
    auto late = Udp("h1", "h2", "10.2.2.10", 9003, 1, 215.0);
    Run(225);
    // The SA carried one packet, so it was renegotiated once at its soft expiry (~91 s); the
    // second one carried nothing, was not renegotiated and expired at ~211 s; the datagram at
    // 215 s started a new negotiation.
    auto qm = Exchanges("R1", "quick", "ok");
    ASSERT_EQ(qm.size(), 3u);
    EXPECT_NEAR(qm[1].start.GetSeconds(), 91.0, 1.0);
    EXPECT_NEAR(qm[2].start.GetSeconds(), 215.0, 0.1);
    EXPECT_TRUE(P("R1")->GetSad()->GetN() == 2u);
    EXPECT_EQ(*late, 0u); // dropped while negotiating
}

TEST_F(IkeLab, ClearCryptoSaTellsThePeerAndTrafficRenegotiates)
{
    TwoSites();
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 500, 1.0);
    Simulator::Schedule(Seconds(3), [this]() { routers.at("R1")->Exec("clear crypto sa"); });
    Run(8);
    // R2 removed the pair when R1's delete arrived; R1's next packet negotiated anew over the
    // same ISAKMP SA.
    auto info = Exchanges("R2", "informational", "ok");
    ASSERT_GE(info.size(), 1u);
    EXPECT_EQ(info[0].reason, "peer deleted IPsec SAs");
    EXPECT_EQ(Exchanges("R1", "main", "ok").size(), 1u);
    EXPECT_EQ(Exchanges("R1", "quick", "ok").size(), 2u);
    EXPECT_EQ(Bundles("R1").size(), 1u);
    EXPECT_EQ(Bundles("R2").size(), 1u);
    EXPECT_GT(*there, 480u);
    // clear crypto isakmp: the phase-1 SA goes on both sides; IPsec SAs stay.
    routers.at("R1")->Exec("clear crypto isakmp");
    Simulator::Stop(Seconds(1));
    Simulator::Run();
    EXPECT_TRUE(Ike("R1")->GetSas().empty());
    EXPECT_TRUE(Ike("R2")->GetSas().empty());
    EXPECT_EQ(Bundles("R1").size(), 1u);
}

TEST_F(IkeLab, DeadPeerDetectionRemovesTheSas)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac",
             "crypto isakmp keepalive 10 2\n", "crypto isakmp keepalive 10 2\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 4000, 1.0);
    Ptr<DropIke> em = CreateObject<DropIke>();
    // From 5 s on, R2 hears nothing at all from R1 (cable cut one way).
    Simulator::Schedule(Seconds(5),
                        [this]()
                        {
                            Ptr<RateErrorModel> all = CreateObject<RateErrorModel>();
                            all->SetRate(1.0);
                            all->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
                            devByPort.at("R1:Serial0")->SetReceiveErrorModel(all);
                            devByPort.at("R2:Serial0")->SetReceiveErrorModel(all);
                        });
    Run(40);
    auto dead = Exchanges("R1", "informational", "failed");
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_NE(dead[0].reason.find("peer dead"), std::string::npos);
    // 10 s without an answer, then 5 R-U-THERE 2 s apart.
    EXPECT_GT(dead[0].start.GetSeconds(), 15.0);
    EXPECT_LT(dead[0].start.GetSeconds(), 35.0);
    EXPECT_TRUE(Bundles("R1").empty() || Exchanges("R1", "main").size() > 1);
}

TEST_F(IkeLab, AggressiveModeNegotiatesInThreeMessages)
{
    TwoSites();
    Ike("R1")->SetInitiateAggressiveMode(Ipv4Address("192.168.1.2"));
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(5);
    auto am = Exchanges("R1", "aggressive", "ok");
    ASSERT_EQ(am.size(), 1u);
    EXPECT_EQ(am[0].messages, 3u);
    ASSERT_EQ(Exchanges("R2", "aggressive", "ok").size(), 1u);
    EXPECT_EQ(Exchanges("R1", "quick", "ok").size(), 1u);
    EXPECT_GT(*there, 290u);
}

TEST_F(IkeLab, AggressiveModeRefusedWhenDisabled)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac", "",
             "crypto isakmp aggressive-mode disable\n");
    Ike("R1")->SetInitiateAggressiveMode(Ipv4Address("192.168.1.2"));
    Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(50);
    EXPECT_TRUE(Exchanges("R1", "aggressive", "ok").empty());
    EXPECT_FALSE(Exchanges("R1", "aggressive", "failed").empty());
    EXPECT_GE(Ike("R2")->GetDropReasons().count(
                  "aggressive mode refused (crypto isakmp aggressive-mode disable)"),
              1u);
}

TEST_F(IkeLab, WrongPreSharedKeyInAggressiveMode)
{
    TwoSites("one", "two");
    Ike("R1")->SetInitiateAggressiveMode(Ipv4Address("192.168.1.2"));
    Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(5);
    auto am = Exchanges("R1", "aggressive", "failed");
    ASSERT_GE(am.size(), 1u);
    EXPECT_NE(am[0].reason.find("pre-shared key mismatch"), std::string::npos) << am[0].reason;
    EXPECT_TRUE(Bundles("R1").empty());
}

// A hub with a dynamic crypto map: spokes the hub has no entry for bring up their tunnels; the
// hub protects its answers with the negotiated (temporary) entries.
TEST_F(IkeLab, DynamicMapHubAcceptsUnknownSpokes)
{
    const std::string policy = "crypto isakmp policy 10\n encryption 3des\n hash sha\n"
                               " authentication pre-share\n group 2\n";
    Router("H", "hostname H\n" + policy +
                    "crypto isakmp key hub-k3y address 0.0.0.0 0.0.0.0\n"
                    "crypto ipsec transform-set ts esp-3des esp-md5-hmac\n"
                    "crypto dynamic-map dyn 10\n set transform-set ts\n"
                    "crypto map cm 65535 ipsec-isakmp dynamic dyn\n"
                    "interface Ethernet0\n ip address 10.9.9.1 255.255.255.0\n"
                    "interface Serial0\n ip address 192.168.1.1 255.255.255.252\n crypto map cm\n"
                    "interface Serial1\n ip address 192.168.2.1 255.255.255.252\n crypto map cm\n"
                    "ip route 10.1.1.0 255.255.255.0 192.168.1.2\n"
                    "ip route 10.2.2.0 255.255.255.0 192.168.2.2\n");
    for (int k : {1, 2})
    {
        const std::string n = std::to_string(k);
        Router("S" + n, "hostname S" + n + "\n" + policy +
                            "crypto isakmp key hub-k3y address 192.168." + n +
                            ".1\n"
                            "access-list 101 permit ip 10." +
                            n + "." + n +
                            ".0 0.0.0.255 10.9.9.0 0.0.0.255\n"
                            "crypto ipsec transform-set ts esp-3des esp-md5-hmac\n"
                            "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                            " set transform-set ts\n set peer 192.168." +
                            n +
                            ".1\n"
                            "interface Ethernet0\n ip address 10." +
                            n + "." + n +
                            ".1 255.255.255.0\n"
                            "interface Serial0\n ip address 192.168." +
                            n +
                            ".2 255.255.255.252\n crypto map cm\n"
                            "ip route 0.0.0.0 0.0.0.0 192.168." +
                            n + ".1\n");
        Host("h" + n, "10." + n + "." + n + ".10/24", "10." + n + "." + n + ".1");
        Link("h" + n + ":eth0", "S" + n + ":Ethernet0");
    }
    Host("hh", "10.9.9.10/24", "10.9.9.1");
    Link("H:Serial0", "S1:Serial0");
    Link("H:Serial1", "S2:Serial0");
    Link("hh:eth0", "H:Ethernet0");
    Build();
    auto up1 = Udp("h1", "hh", "10.9.9.10", 9001, 300, 1.0);
    auto up2 = Udp("h2", "hh", "10.9.9.10", 9002, 300, 1.5);
    // The hub's answers start later, once the spokes have brought the tunnels up.
    auto down1 = Udp("hh", "h1", "10.1.1.10", 9003, 200, 3.0);
    auto down2 = Udp("hh", "h2", "10.2.2.10", 9004, 200, 3.0);
    auto hubOut = Watch("H:Serial0");
    Run(8);
    EXPECT_EQ(Exchanges("H", "quick", "ok").size(), 2u);
    EXPECT_GT(*up1, 290u);
    EXPECT_GT(*up2, 290u);
    EXPECT_EQ(*down1, 200u);
    EXPECT_EQ(*down2, 200u);
    EXPECT_EQ((*hubOut)[17], 4u); // main mode 2, 4, 6 and quick mode 2: all of it is IKE
    EXPECT_GE((*hubOut)[50], 200u);
}

// Two `set peer` lines: the first peer never answers, IKE moves on to the second, and later
// negotiations start with the peer last heard from.
TEST_F(IkeLab, NextPeerWhenTheFirstDoesNotAnswer)
{
    Router("R1", Site("R1", "10.0.0.0", "10.0.0.1", "10.2.2.0", "192.168.1.1", "192.168.1.2", "k",
                      "esp-3des esp-md5-hmac",
                      "crypto isakmp key k address 192.168.3.2\n"
                      "crypto ipsec security-association lifetime seconds 120\n",
                      " set peer 192.168.3.2\n") +
                     "interface Serial1\n ip address 192.168.3.1 255.255.255.252\n"
                     " crypto map cm\ncrypto map cm local-address Serial0\n");
    Router("R2", Site("R2", "10.2.2.0", "10.2.2.1", "10.0.0.0", "192.168.1.2", "192.168.1.1", "k"));
    std::string r3 =
        Site("R3", "10.2.2.0", "10.2.2.1", "10.0.0.0", "192.168.3.2", "192.168.1.1", "k");
    r3.replace(r3.find("ip route"), std::string::npos,
               "ip route 10.0.0.0 255.255.255.0 192.168.3.1\n"
               "ip route 192.168.1.0 255.255.255.252 192.168.3.1\n");
    Router("R3", r3);
    Host("h1", "10.0.0.10/24", "10.0.0.1");
    Host("h3", "10.2.2.10/24", "10.2.2.1");
    Link("R1:Serial0", "R2:Serial0");
    Link("R1:Serial1", "R3:Serial0");
    Link("h1:eth0", "R1:Ethernet0");
    Link("h3:eth0", "R3:Ethernet0");
    Build();
    // R1 reaches the remote LAN through R3, and R3 reaches R1's Serial0 address through R1.
    Ptr<Ipv4StaticRouting> rt =
        Ipv4StaticRoutingHelper().GetStaticRouting(nodes["R1"]->GetObject<Ipv4>());
    for (uint32_t i = 0; i < rt->GetNRoutes(); ++i)
    {
        if (rt->GetRoute(i).GetDest() == Ipv4Address("10.2.2.0"))
        {
            rt->RemoveRoute(i);
            break;
        }
    }
    rt->AddNetworkRouteTo("10.2.2.0", "255.255.255.0", "192.168.3.2",
                          routers["R1"]->GetInterfaceIndex("Serial1"));
    Ptr<DropIke> deaf = CreateObject<DropIke>();
    deaf->n = 1000;
    devByPort.at("R2:Serial0")->SetReceiveErrorModel(deaf);
    auto there = Udp("h1", "h3", "10.2.2.10", 9000, 10000, 1.0); // 10 ms apart, to 101 s
    Run(110);
    auto mm = Exchanges("R1", "main");
    ASSERT_GE(mm.size(), 2u);
    EXPECT_EQ(mm[0].peer, Ipv4Address("192.168.1.2"));
    EXPECT_EQ(mm[0].result, "failed");
    EXPECT_EQ(mm[1].peer, Ipv4Address("192.168.3.2"));
    EXPECT_EQ(mm[1].result, "ok");
    EXPECT_NEAR(mm[1].start.GetSeconds(), 41.0, 0.5); // after 3 retransmissions 10 s apart
    // The rekey at ~131 s is beyond the run; the traffic after ~41 s went through R3.
    EXPECT_GT(*there, 5500u);
    auto b = Bundles("R1");
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0]->peer, Ipv4Address("192.168.3.2"));
}

// NAT traversal (RFC 3947/3948): when one side finds a NAT (here pretended, as strongSwan's
// encap = yes does), IKE floats to port 4500 from main mode message 5 on and ESP travels in UDP.
TEST_F(IkeLab, NatTraversalPutsEspInUdp)
{
    TwoSites();
    Ike("R1")->SetAttribute("ForceUdpEncapsulation", BooleanValue(true));
    auto r1out = Watch("R1:Serial0");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 300, 2.0);
    Run(6);
    auto mm = Exchanges("R1", "main", "ok");
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_NE(mm[0].detail.find("NAT here"), std::string::npos) << mm[0].detail;
    EXPECT_NE(Exchanges("R2", "main", "ok")[0].detail.find("NAT at the peer"), std::string::npos);
    auto b1 = Bundles("R1");
    ASSERT_EQ(b1.size(), 1u);
    EXPECT_EQ(b1[0]->udpEncapLocalPort, 4500);
    EXPECT_EQ(b1[0]->udpEncapPeerPort, 4500);
    EXPECT_GT(*there, 290u);
    EXPECT_GT(*back, 290u);
    EXPECT_EQ((*r1out)[50], 0u); // no plain ESP: all of it inside UDP
    EXPECT_GT((*r1out)[17], 290u);
    EXPECT_EQ(P("R2")->GetDecapsulated(), *there);
}

TEST_F(IkeLab, NatTransparencyOffKeepsPlainEsp)
{
    TwoSites("k", "k", "esp-3des esp-md5-hmac", "esp-3des esp-md5-hmac",
             "no crypto ipsec nat-transparency udp-encapsulation\n", "");
    Ike("R2")->SetAttribute("ForceUdpEncapsulation", BooleanValue(true));
    auto r1out = Watch("R1:Serial0");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(4);
    EXPECT_EQ(Bundles("R1").at(0)->udpEncapPeerPort, 0);
    EXPECT_GT((*r1out)[50], 290u);
    EXPECT_GT(*there, 290u);
}

// A site behind a static NAT (IOS `ip nat inside source static`): IKE finds the NAT with
// NAT-D, floats to port 4500 and ESP crosses the NAT inside UDP; R2 can also initiate toward
// the site's global address.
class NatLab : public IkeLab
{
protected:
    void Build3(const std::string& r1extra, const std::string& sets = "esp-3des esp-sha-hmac")
    {
        const std::string policy = "crypto isakmp policy 10\n encryption aes 256\n hash sha\n"
                                   " authentication pre-share\n group 14\n";
        Router("R1", "hostname R1\n" + policy + r1extra +
                         "crypto isakmp key n4t address 198.51.100.2\n"
                         "access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
                         "crypto ipsec transform-set ts " +
                         sets +
                         "\n"
                         "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                         " set transform-set ts\n set peer 198.51.100.2\n"
                         "interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n"
                         "interface Serial0\n ip address 10.10.0.1 255.255.255.252\n"
                         " crypto map cm\n"
                         "ip route 0.0.0.0 0.0.0.0 10.10.0.2\n");
        Router("N", "hostname N\n"
                    "ip nat inside source static 10.10.0.1 203.0.113.1\n"
                    "interface Serial0\n ip address 10.10.0.2 255.255.255.252\n ip nat inside\n"
                    "interface Serial1\n ip address 198.51.100.1 255.255.255.252\n"
                    " ip nat outside\n"
                    "ip route 10.0.0.0 255.255.255.0 10.10.0.1\n"
                    "ip route 10.2.2.0 255.255.255.0 198.51.100.2\n");
        Router("R2", "hostname R2\n" + policy +
                         "crypto isakmp key n4t address 203.0.113.1\n"
                         "access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255\n"
                         "crypto ipsec transform-set ts " +
                         sets +
                         "\n"
                         "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                         " set transform-set ts\n set peer 203.0.113.1\n"
                         "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n"
                         "interface Serial0\n ip address 198.51.100.2 255.255.255.252\n"
                         " crypto map cm\n"
                         "ip route 0.0.0.0 0.0.0.0 198.51.100.1\n");
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "N:Serial0");
        Link("N:Serial1", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        Build();
    }

    void TearDown() override
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
        IkeLab::TearDown();
    }
};

TEST_F(NatLab, IkeAndEspCrossAStaticNat)
{
    Build3("");
    auto outside = Watch("N:Serial1");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 300, 2.0);
    Run(6);
    for (const auto& r : {"R1", "R2"})
    {
        for (const auto& x : Ike(r)->GetExchanges())
        {
            std::cerr << r << " " << x.exchange << " " << x.role << " " << x.result << " "
                      << x.reason << "\n";
        }
        std::cerr << r << " drops " << P(r)->GetDrops().Get(IpsecDropReason::NO_SA) << "\n";
    }
    auto mm = Exchanges("R1", "main", "ok");
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_NE(mm[0].detail.find("NAT here"), std::string::npos) << mm[0].detail;
    auto mm2 = Exchanges("R2", "main", "ok");
    ASSERT_EQ(mm2.size(), 1u);
    EXPECT_EQ(mm2[0].peer, Ipv4Address("203.0.113.1")); // R2 knows the site by its global address
    EXPECT_NE(mm2[0].detail.find("NAT at the peer"), std::string::npos) << mm2[0].detail;
    EXPECT_GT(*there, 290u);
    EXPECT_GT(*back, 290u);
    EXPECT_EQ((*outside)[50], 0u); // ESP in UDP 4500 on the outside
    Ptr<IpsecStaticNat> nat = nodes["N"]->GetObject<IpsecStaticNat>();
    ASSERT_TRUE(nat);
    EXPECT_GT(nat->GetTranslatedOut(), 290u);
    EXPECT_GT(nat->GetTranslatedIn(), 290u);
    EXPECT_EQ(Bundles("R2").at(0)->peer, Ipv4Address("203.0.113.1"));
}

TEST_F(NatLab, AhCannotCrossANat)
{
    // AH authenticates the IP addresses (RFC 2402 3.3.3.1): the translated packet fails its
    // ICV at the far end, which is why IOS does not offer AH through NAT.
    Build3("no crypto ipsec nat-transparency udp-encapsulation\n", "ah-sha-hmac");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(5);
    EXPECT_EQ(Exchanges("R1", "quick", "ok").size(), 1u);
    EXPECT_EQ(*there, 0u);
    EXPECT_GT(P("R2")->GetDrops().Get(IpsecDropReason::ICV_FAILURE), 90u);
}

TEST_F(IkeLab, AcquireQueueHoldsPacketsWhileNegotiating)
{
    TwoSites();
    P("R1")->SetAttribute("AcquireQueue", UintegerValue(16));
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(6);
    EXPECT_EQ(*there, 300u); // nothing lost: the first datagrams waited for the SAs
    EXPECT_EQ(P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 0u);
}

TEST_F(IkeLab, BadDatagramsAreDroppedAndCounted)
{
    TwoSites();
    Ptr<IkeDaemon> ike = Ike("R2");
    const Ipv4Address peer("192.168.1.1");
    const Ipv4Address local("192.168.1.2");
    ike->Receive({}, peer, local);
    ike->Receive(IkeBytes(27, 0x11), peer, local);
    IkeBytes hdr(28, 0);
    hdr[17] = 0x10;
    hdr[18] = 2;
    hdr[27] = 28;
    ike->Receive(hdr, peer, local); // main mode with no SA payload
    hdr[27] = 99;
    ike->Receive(hdr, peer, local); // length field lies
    hdr[27] = 28;
    hdr[18] = 32;
    ike->Receive(hdr, peer, local); // quick mode without ISAKMP SA
    // Random bytes behind a plausible header.
    auto rng = IpsecRandom::Stream("test/garbage");
    for (int k = 0; k < 200; ++k)
    {
        IkeBytes g = rng->Bytes(28 + k);
        g[17] = 0x10;
        g[18] = k % 2 ? 2 : 5;
        g[24] = g[25] = g[26] = 0;
        g[27] = static_cast<uint8_t>(28 + k);
        if (28 + k > 255)
        {
            g[26] = static_cast<uint8_t>((28 + k) >> 8);
        }
        ike->Receive(g, peer, local);
    }
    EXPECT_GE(ike->GetDroppedMessages(), 4u);
    // Nothing of it disturbed the real negotiation.
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    Run(6);
    EXPECT_GT(*there, 290u);
}

} // namespace

TEST_F(IkeLab, ClearedSaIsListedAsDeletedForAWhile)
{
    // `clear crypto isakmp`: the SA leaves the daemon's table at once, but IOS keeps listing it
    // as "MM_NO_STATE ... ACTIVE (deleted)" for a while; the daemon remembers it for the shows.
    TwoSites();
    Udp("h1", "h2", "10.2.2.10", 9000, 20, 1.0);
    Run(4);
    ASSERT_EQ(Ike("R1")->GetSas().size(), 1u);
    const uint32_t id = Ike("R1")->GetSas()[0]->connId;
    EXPECT_EQ(id, 1001u) << "IOS 15 numbers ISAKMP SAs from 1001";
    routers.at("R1")->Exec("clear crypto isakmp");
    EXPECT_TRUE(Ike("R1")->GetSas().empty());
    auto gone = Ike("R1")->GetDeletedSas(Seconds(10));
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0]->connId, id);
    EXPECT_EQ(gone[0]->state, IkeSaState::DELETED);
    EXPECT_NE(routers.at("R1")
                  ->Exec("show crypto isakmp sa")
                  .find("MM_NO_STATE       1001 ACTIVE "
                        "(deleted)\n"),
              std::string::npos);
    Run(11);
    EXPECT_TRUE(Ike("R1")->GetDeletedSas(Seconds(10)).empty());
    EXPECT_EQ(routers.at("R1")->Exec("show crypto isakmp sa").find("deleted"), std::string::npos);
}
