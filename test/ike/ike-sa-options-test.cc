// What keyrings, ISAKMP profiles and the SA options of IOS 12.3(14)T+ do to negotiated SAs:
// keys from a profile's keyring on both ends, initiation in aggressive mode and keepalive per
// profile, the replay window of the SAs IKE installs, and SAs deleted when idle (peer told).
#include "common/ios-lab.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::test::IosLab;

namespace
{

/** One end of the spec's example keyed by IKE; @p keys: its key lines, @p extra: more global
 *  lines, @p entry: more lines of its crypto map entry. */
std::string
Site(const std::string& name, const std::string& lan, const std::string& farLan,
     const std::string& serial, const std::string& peer, const std::string& keys,
     const std::string& extra = "", const std::string& entry = "")
{
    return "hostname " + name + "\n" + keys +
           "crypto isakmp policy 10\n encryption aes 128\n authentication pre-share\n group 2\n" +
           extra + "access-list 101 permit ip " + lan + " 0.0.0.255 " + farLan +
           " 0.0.0.255\n"
           "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n"
           "crypto map cm 10 ipsec-isakmp\n match address 101\n set transform-set ts\n"
           " set peer " +
           peer + "\n" + entry + "interface Ethernet0\n ip address " +
           lan.substr(0, lan.size() - 1) + "1 255.255.255.0\ninterface Serial0\n ip address " +
           serial + " 255.255.255.252\n crypto map cm\nip route " + farLan + " 255.255.255.0 " +
           peer + "\n";
}

class SaOptionsLab : public IosLab
{
protected:
    void TwoSites(const std::string& keys1, const std::string& keys2,
                  const std::string& extra1 = "", const std::string& extra2 = "",
                  const std::string& entry1 = "", const std::string& entry2 = "")
    {
        Router("R1", Site("R1", "10.0.0.0", "10.2.2.0", "192.168.1.1", "192.168.1.2", keys1, extra1,
                          entry1));
        Router("R2", Site("R2", "10.2.2.0", "10.0.0.0", "192.168.1.2", "192.168.1.1", keys2, extra2,
                          entry2));
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        Build();
    }

    std::vector<IkeExchangeRecord> Exchanges(const std::string& r, const std::string& kind,
                                             const std::string& result = "ok")
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& x : routers.at(r)->GetIke()->GetExchanges())
        {
            if (x.exchange == kind && x.result == result)
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

const std::string kGlobalKey1 = "crypto isakmp key s3cret address 192.168.1.2\n";
const std::string kGlobalKey2 = "crypto isakmp key s3cret address 192.168.1.1\n";

} // namespace

TEST_F(SaOptionsLab, KeysFromKeyringsThroughProfilesOnBothEnds)
{
    // R1 initiates with the key of the profile its entry sets; R2 answers with a keyring key
    // (no global key on either side).
    TwoSites("crypto keyring PEERS\n pre-shared-key address 192.168.1.2 key ring-k3y\n"
             "crypto isakmp profile TO-R2\n keyring PEERS\n"
             " match identity address 192.168.1.2 255.255.255.255\n",
             "crypto keyring ALL\n pre-shared-key address 192.168.1.0 255.255.255.252 key "
             "ring-k3y\n",
             "", "", " set isakmp-profile TO-R2\n");
    auto got = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    EXPECT_EQ(Exchanges("R1", "main").size(), 1u);
    EXPECT_EQ(Exchanges("R2", "quick").size(), 1u);
    EXPECT_GT(*got, 95u);
}

TEST_F(SaOptionsLab, KeyringKeysThatDifferFailAuthentication)
{
    TwoSites("crypto keyring PEERS\n pre-shared-key address 192.168.1.2 key one\n",
             "crypto keyring ALL\n pre-shared-key address 192.168.1.1 key other\n");
    auto got = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    EXPECT_TRUE(Exchanges("R1", "main").empty());
    EXPECT_EQ(*got, 0u);
}

TEST_F(SaOptionsLab, ProfileStartsAggressiveMode)
{
    TwoSites(kGlobalKey1 + "crypto isakmp profile AM\n initiate mode aggressive\n"
                           " match identity address 192.168.1.2\n",
             kGlobalKey2, "", "", " set isakmp-profile AM\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    EXPECT_EQ(Exchanges("R1", "aggressive").size(), 1u);
    EXPECT_TRUE(Exchanges("R1", "main").empty());
}

TEST_F(SaOptionsLab, ReplayWindowOfNegotiatedSas)
{
    // R1: a 128-packet window for all entries; R2: replay detection off for its entry.
    TwoSites(kGlobalKey1, kGlobalKey2, "crypto ipsec security-association replay window-size 128\n",
             "", "", " set security-association replay disable\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    ASSERT_EQ(Bundles("R1").size(), 1u);
    ASSERT_EQ(Bundles("R2").size(), 1u);
    IpsecReplayWindow* w1 = Bundles("R1")[0]->inbound.at(0)->GetReplayWindow();
    ASSERT_NE(w1, nullptr);
    EXPECT_EQ(w1->GetWindowSize(), 128u);
    EXPECT_EQ(Bundles("R2")[0]->inbound.at(0)->GetReplayWindow(), nullptr);
}

TEST_F(SaOptionsLab, IdleSasAreDeletedAndThePeerTold)
{
    TwoSites(kGlobalKey1, kGlobalKey2, "", "", " set security-association idle-time 60\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 200, 1.0); // 1 s to 3 s
    Simulator::Schedule(Seconds(50), [this]() { EXPECT_EQ(Bundles("R1").size(), 1u); });
    Run(70);
    EXPECT_TRUE(Bundles("R1").empty());
    EXPECT_TRUE(Bundles("R2").empty()); // told by the delete
    bool told = false;
    for (const auto& x : routers.at("R2")->GetIke()->GetExchanges())
    {
        told |=
            x.reason == "peer deleted IPsec SAs" && x.start > Seconds(62) && x.start < Seconds(64);
    }
    EXPECT_TRUE(told);
}

TEST_F(SaOptionsLab, TrafficKeepsSasFromIdling)
{
    TwoSites(kGlobalKey1, kGlobalKey2, "crypto ipsec security-association idle-time 60\n");
    Udp("h1", "h2", "10.2.2.10", 9000, 9000, 1.0); // every 10 ms until 91 s
    Run(80);
    EXPECT_EQ(Bundles("R1").size(), 1u);
    EXPECT_EQ(Exchanges("R1", "quick").size(), 1u);
}

TEST_F(SaOptionsLab, ProfileKeepaliveDetectsADeadPeer)
{
    // No global keepalive: only the profile's DPD (10 s, retries 2 s apart) watches R2.
    TwoSites(kGlobalKey1 + "crypto isakmp profile R2\n keepalive 10 retry 2\n"
                           " match identity address 192.168.1.2\n",
             kGlobalKey2);
    Udp("h1", "h2", "10.2.2.10", 9000, 4000, 1.0);
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
    EXPECT_TRUE(Exchanges("R2", "informational", "failed").empty()); // R2 has no DPD
}

TEST_F(SaOptionsLab, ReverseRouteFollowsRekeyAndIdleDeletion)
{
    // R2, the responder, has no route of its own back to R1's LAN: the injected one is the only
    // one, through the rekey (two bundles for a while, one route) until the SAs idle out.
    TwoSites(kGlobalKey1, kGlobalKey2, "", "", "",
             " reverse-route\n set security-association lifetime seconds 120\n"
             " set security-association idle-time 60\n");
    IosRouterConfig c = routers.at("R2")->GetConfig();
    c.routes.clear();
    routers.at("R2")->Reconfigure(c);
    auto count = [this]()
    {
        const std::string t = routers.at("R2")->Exec("show ip route");
        const std::string line = "S        10.0.0.0/24 [1/0] via 192.168.1.1"; // 15.x
        size_t n = 0;
        for (size_t at = t.find(line); at != std::string::npos; at = t.find(line, at + 1))
        {
            ++n;
        }
        return n;
    };
    Udp("h1", "h2", "10.2.2.10", 9000, 10000, 1.0);            // until 101 s: brings the SAs
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 9000, 3.0); // until 93 s: needs the route
    std::vector<size_t> seen;
    std::vector<size_t> bundles;
    for (double t : {0.5, 50.0, 110.0, 200.0})
    {
        Simulator::Schedule(Seconds(t),
                            [&, this]()
                            {
                                seen.push_back(count());
                                bundles.push_back(Bundles("R2").size());
                            });
    }
    Run(210);
    EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 1, 0}));
    EXPECT_EQ(bundles[2], 2u); // the rekeyed bundle and the old one, still in its lifetime
    EXPECT_EQ(bundles[3], 0u);
    EXPECT_GT(*back, 8990u); // routed by the injected route only
}
