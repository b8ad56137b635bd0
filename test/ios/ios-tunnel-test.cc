// IPsec profiles, tunnel protection and virtual tunnel interfaces: the reader (every profile
// command, tunnel protection on GRE tunnels and VTIs, the errors with their `^`), the routing
// processes it reads, and routers built from them (a VTI pair routed by an approximated OSPF
// process, a protected GRE tunnel refusing clear GRE).
#include "common/ios-config-parse.h"
#include "common/ios-lab.h"
#include "ns3/ios-config.h"
#include "ns3/ios-router.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;

namespace
{

using test::E;
using test::P;

bool
NotModelled(const IosRouterConfig& c, const std::string& text)
{
    return std::any_of(c.notModelled.begin(), c.notModelled.end(),
                       [&](const IosLocation& l) { return l.text == text; });
}

const char* kProfile = R"(crypto ipsec transform-set A esp-aes 256 esp-sha-hmac
crypto ipsec transform-set B esp-3des esp-md5-hmac
crypto ipsec profile VTI-PROF
 description to the branches
 set transform-set A B
 set pfs group14
 set security-association lifetime seconds 7200
 set security-association lifetime kilobytes 100000
 set security-association idle-time 600
 set isakmp-profile ISAKMP-PROF
 set security-association replay window-size 128
 set reverse-route distance 10
)";

} // namespace

TEST(IosTunnelConfig, ProfileCommands)
{
    const IosRouterConfig c = P(kProfile);
    ASSERT_EQ(c.ipsecProfiles.count("VTI-PROF"), 1u);
    const IosIpsecProfile& p = c.ipsecProfiles.at("VTI-PROF");
    EXPECT_EQ(p.transformSets, (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(p.pfsGroup, 14);
    EXPECT_EQ(p.lifetimeSeconds, 7200u);
    EXPECT_EQ(p.lifetimeKilobytes, 100000u);
    EXPECT_EQ(p.sa.idleSeconds, 600u);
    EXPECT_EQ(p.sa.replayWindow, 128u);
    EXPECT_EQ(p.isakmpProfile, "ISAKMP-PROF");
    EXPECT_EQ(p.description, "to the branches");
    EXPECT_EQ(p.where.line, 3);
    // Read, without effect here: listed as not modelled.
    EXPECT_FALSE(NotModelled(c, " set security-association replay window-size 128"));
    EXPECT_TRUE(NotModelled(c, " set reverse-route distance 10"));
    EXPECT_FALSE(NotModelled(c, " set pfs group14"));
}

TEST(IosTunnelConfig, ProfileNoFormsAndAbbreviations)
{
    const IosRouterConfig c = P(std::string(kProfile) + R"(crypto ipsec prof VTI-PROF
 no set pfs
 no set security-association idle-time
 no set security-association lifetime seconds
 no set isakmp-profile
 set transform-set B
)");
    const IosIpsecProfile& p = c.ipsecProfiles.at("VTI-PROF");
    EXPECT_FALSE(p.pfsGroup);
    EXPECT_FALSE(p.sa.idleSeconds);
    EXPECT_FALSE(p.lifetimeSeconds);
    EXPECT_EQ(p.lifetimeKilobytes, 100000u);
    EXPECT_EQ(p.isakmpProfile, "");
    EXPECT_EQ(p.transformSets, (std::vector<std::string>{"B"}));
    std::string mode;
    IosConfigReader::Parse("crypto ipsec profile X\n", "t.cfg", mode);
    EXPECT_EQ(mode, "ipsec-profile");
    EXPECT_TRUE(P("crypto ipsec profile X\nno crypto ipsec profile X\n").ipsecProfiles.empty());
}

TEST(IosTunnelConfig, TunnelProtectionOnGreAndVti)
{
    const IosRouterConfig c = P(std::string(kProfile) + R"(interface Tunnel0
 ip address 172.16.0.1 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.2
 tunnel protection ipsec profile VTI-PROF shared
interface Tunnel1
 ip address 172.16.1.1 255.255.255.252
 tunnel source 192.0.2.1
 tunnel mode ipsec ipv4
 tunnel destination 192.0.2.6
 tunnel protection ipsec profile VTI-PROF
interface Tunnel2
 tunnel mode gre ip
 tunnel protection ipsec profile VTI-PROF
 no tunnel protection ipsec profile VTI-PROF
interface Serial0
 ip address 192.0.2.1 255.255.255.252
)");
    const IosInterface* t0 = c.FindInterface("Tunnel0");
    const IosInterface* t1 = c.FindInterface("Tu1");
    const IosInterface* t2 = c.FindInterface("Tunnel2");
    ASSERT_TRUE(t0 && t1 && t2);
    EXPECT_EQ(t0->tunnelProtection, "VTI-PROF");
    EXPECT_TRUE(t0->tunnelProtectionShared);
    EXPECT_FALSE(t0->tunnelModeIpsec);
    EXPECT_EQ(t1->tunnelProtection, "VTI-PROF");
    EXPECT_FALSE(t1->tunnelProtectionShared);
    EXPECT_TRUE(t1->tunnelModeIpsec);
    EXPECT_EQ(t1->tunnelSource, "192.0.2.1");
    EXPECT_EQ(t2->tunnelProtection, "");
    EXPECT_FALSE(t2->tunnelModeIpsec);
}

TEST(IosTunnelConfig, Errors)
{
    // A profile that does not exist, at the name.
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel protection ipsec profile NOPE\n", 2, 33,
                     "% IPsec profile NOPE is not defined");
    // A transform set a profile names must exist (at the name).
    EXPECT_IOS_ERROR("crypto ipsec profile P\n set transform-set MISSING\n", 2, 19,
                     "% Transform set MISSING is not defined");
    // Typos and malformed lines, at their word.
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel protection ipsec profle P\n", 2, 25,
                     "expected profile");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel protection ipsek profile P\n", 2, 19,
                     "expected ipsec");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel protection ipsec profile\n", 2, 33,
                     "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto ipsec profile P\ninterface Tunnel0\n tunnel protection ipsec "
                     "profile P sharde\n",
                     3, 35, "");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel mode ipsec ipv6\n", 2, 19, "expected ipv4");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel mode ipip\n", 2, 13, "only gre ip and ipsec ipv4");
    EXPECT_IOS_ERROR("interface Serial0\n tunnel protection ipsec profile P\n", 2, 1,
                     "tunnel commands belong to Tunnel interfaces");
    EXPECT_IOS_ERROR("crypto ipsec profile P\n set pfs group3\n", 2, 9, "expected group");
    EXPECT_IOS_ERROR("crypto ipsec profile P\n set security-association idle-time 10\n", 2, 36,
                     "the idle time, 60 to 86400 seconds");
    EXPECT_IOS_ERROR("crypto ipsec profile P\n set peer 192.0.2.1\n", 2, 5,
                     "expected transform-set");
    EXPECT_IOS_ERROR("crypto ipsec profile\n", 1, 21, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto ipsec profiel P\n", 1, 13, "");
}

TEST(IosTunnelConfig, RoutingProcesses)
{
    const IosRouterConfig c = P(R"(router ospf 1
 router-id 1.1.1.1
 log-adjacency-changes
 passive-interface FastEthernet0/0
 network 10.1.1.0 0.0.0.255 area 0
 network 172.16.0.0 0.0.255.255 area 0.0.0.0
router eigrp 100
 network 10.0.0.0
 network 192.168.1.0 0.0.0.255
 no auto-summary
router bgp 65000
 neighbor 192.0.2.2 remote-as 65001
)");
    ASSERT_EQ(c.routingProcesses.size(), 2u);
    const IosRoutingProcess& ospf = c.routingProcesses[0];
    EXPECT_EQ(ospf.protocol, "ospf");
    EXPECT_EQ(ospf.id, 1u);
    ASSERT_EQ(ospf.networks.size(), 2u);
    EXPECT_EQ(ospf.networks[1].area, "0.0.0.0");
    EXPECT_TRUE(ospf.Covers(Ipv4Address("172.16.12.1")));
    EXPECT_TRUE(ospf.Covers(Ipv4Address("10.1.1.1")));
    EXPECT_FALSE(ospf.Covers(Ipv4Address("10.1.2.1")));
    const IosRoutingProcess& eigrp = c.routingProcesses[1];
    EXPECT_EQ(eigrp.protocol, "eigrp");
    EXPECT_EQ(eigrp.id, 100u);
    EXPECT_TRUE(eigrp.Covers(Ipv4Address("10.200.1.1"))); // classful 10.0.0.0/8
    EXPECT_FALSE(eigrp.Covers(Ipv4Address("192.168.2.1")));
    EXPECT_TRUE(NotModelled(c, " passive-interface FastEthernet0/0"));
    EXPECT_TRUE(NotModelled(c, " no auto-summary"));
    EXPECT_TRUE(NotModelled(c, "router bgp 65000"));
    EXPECT_TRUE(NotModelled(c, " neighbor 192.0.2.2 remote-as 65001"));
    // Sub-commands written without indentation (configuration-mode scripts) stay in the mode.
    const IosRouterConfig s = P("router ospf 1\npassive-interface default\nnetwork 10.0.0.0 "
                                "0.0.0.255 area 0\nhostname X\n");
    EXPECT_EQ(s.routingProcesses.at(0).networks.size(), 1u);
    EXPECT_TRUE(NotModelled(s, "passive-interface default"));
    EXPECT_EQ(s.hostname, "X");
    EXPECT_IOS_ERROR("router ospf 1\n network 10.0.0.0 area 0\n", 2, 18, "expected the wildcard");
    EXPECT_IOS_ERROR("router ospf 1\n network 10.0.0.0 0.255.255.255\n", 2, 32,
                     "% Incomplete command.");
    EXPECT_IOS_ERROR("router eigrp 1\n network 10.0.0.300\n", 2, 9, "expected the network");
    std::string mode;
    IosConfigReader::Parse("router eigrp 7\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-router");
}

// ------------------------------------------------------------------ routers built from them

namespace
{
std::string
VtiRouter(int me, int peer)
{
    const std::string m = std::to_string(me);
    const std::string p = std::to_string(peer);
    return "hostname R" + m + R"(
crypto isakmp policy 10
 encr aes
 authentication pre-share
 group 14
crypto isakmp key s3cret address 192.0.2.)" +
           p + R"(
crypto ipsec transform-set TS esp-aes esp-sha-hmac
crypto ipsec profile P
 set transform-set TS
interface Tunnel0
 ip address 172.16.0.)" +
           m + R"( 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.)" +
           p + R"(
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile P
interface Ethernet0
 ip address 10.)" +
           m + R"(.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.)" +
           m + R"( 255.255.255.252
router ospf 1
 network 10.0.0.0 0.255.255.255 area 0
 network 172.16.0.0 0.0.0.3 area 0
)";
}

class TunnelLab : public test::IosLab
{
};
} // namespace

TEST_F(TunnelLab, VtiPairRoutedByApproximatedOspf)
{
    Router("R1", VtiRouter(1, 2));
    Router("R2", VtiRouter(2, 1));
    Host("h1", "10.1.0.10/24", "10.1.0.1");
    Host("h2", "10.2.0.10/24", "10.2.0.1");
    Link("R1:Serial0", "R2:Serial0");
    Link("h1:eth0", "R1:Ethernet0");
    Link("h2:eth0", "R2:Ethernet0");
    Build();
    IosRouter::ApproximateRouting({routers["R1"], routers["R2"]});
    const auto& notes = routers["R1"]->GetRoutingNotes();
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_NE(notes[0].find("approximated: router ospf 1"), std::string::npos);
    EXPECT_EQ(notes[1], "ospf: 10.2.0.0/24 [110/1010] via 172.16.0.2, Tunnel0");
    auto there = Udp("h1", "h2", "10.2.0.10", 9000, 50);
    auto back = Udp("h2", "h1", "10.1.0.10", 9001, 50);
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    EXPECT_EQ(*there, 50u);
    EXPECT_EQ(*back, 50u);
    EXPECT_GE(P("R1")->GetEncapsulated(), 50u);
    EXPECT_GE(P("R2")->GetDecapsulated(), 50u);
    const std::string sa = routers["R2"]->Exec("show crypto ipsec sa");
    EXPECT_NE(sa.find("interface: Tunnel0"), std::string::npos) << sa;
    EXPECT_NE(sa.find("Crypto map tag: Tunnel0-head-0, local addr 192.0.2.2"), std::string::npos);
    EXPECT_NE(sa.find("(0.0.0.0/0.0.0.0/0/0)"), std::string::npos);
    const std::string map = routers["R1"]->Exec("show crypto map");
    // The profile's own entry, then its instance with the tunnel's peer, as IOS numbers them.
    EXPECT_EQ(map.rfind("Crypto Map IPv4 \"Tunnel0-head-0\" 65536 ipsec-isakmp\n"
                        "\tProfile name: P\n"
                        "\tSecurity association lifetime: ",
                        0),
              0u)
        << map;
    EXPECT_NE(map.find("\t}\n\nCrypto Map IPv4 \"Tunnel0-head-0\" 65537 ipsec-isakmp\n"
                       "\tMap is a PROFILE INSTANCE.\n\tPeer = 192.0.2.2\n"),
              std::string::npos)
        << map;
    EXPECT_NE(map.find("access-list  permit ip any any"), std::string::npos) << map;
    const std::string session = routers["R1"]->Exec("show crypto session");
    EXPECT_NE(session.find("Interface: Tunnel0"), std::string::npos) << session;
    EXPECT_NE(routers["R1"]
                  ->Exec("show running-config")
                  .find("crypto ipsec profile P\n set "
                        "transform-set TS\n"),
              std::string::npos);
}

TEST_F(TunnelLab, ProtectedGreRefusesClearGre)
{
    // R1 protects its GRE tunnel; R2's end of it is plain GRE and R2 runs no IKE: R2's clear
    // GRE reaches R1 and is refused, and R1's own traffic finds no SA.
    const std::string r1 = R"(hostname R1
crypto isakmp policy 10
 authentication pre-share
crypto isakmp key k address 192.0.2.2
crypto ipsec transform-set TS esp-aes esp-sha-hmac
 mode transport
crypto ipsec profile P
 set transform-set TS
interface Tunnel0
 ip address 172.16.0.1 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.2
 tunnel protection ipsec profile P
interface Ethernet0
 ip address 10.1.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.1 255.255.255.252
ip route 10.2.0.0 255.255.255.0 Tunnel0
)";
    const std::string r2 = R"(hostname R2
interface Tunnel0
 ip address 172.16.0.2 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.1
interface Ethernet0
 ip address 10.2.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.2 255.255.255.252
ip route 10.1.0.0 255.255.255.0 Tunnel0
)";
    Router("R1", r1);
    Router("R2", r2);
    Host("h1", "10.1.0.10/24", "10.1.0.1");
    Host("h2", "10.2.0.10/24", "10.2.0.1");
    Link("R1:Serial0", "R2:Serial0");
    Link("h1:eth0", "R1:Ethernet0");
    Link("h2:eth0", "R2:Ethernet0");
    Build();
    auto toH1 = Udp("h2", "h1", "10.1.0.10", 9000, 20);
    auto toH2 = Udp("h1", "h2", "10.2.0.10", 9001, 20);
    Simulator::Stop(Seconds(2));
    Simulator::Run();
    EXPECT_EQ(*toH1, 0u);
    EXPECT_EQ(*toH2, 0u);
    Ptr<IpsecGreTunnel> t = routers["R1"]->GetGreTunnels().at("Tunnel0");
    EXPECT_TRUE(t->IsProtected());
    EXPECT_EQ(t->GetDropped(), 20u); // R2's clear GRE
    EXPECT_EQ(t->GetDecapsulated(), 0u);
    EXPECT_GT(P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 0u);
    EXPECT_FALSE(routers["R2"]->GetGreTunnels().at("Tunnel0")->IsProtected());
}
