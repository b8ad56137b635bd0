// show ip route on a running router: connected networks, configured static routes (by next hop,
// by interface, by both, and the default route with the gateway of last resort), a reverse route
// injection route, and the routes of an approximated OSPF or EIGRP process over a virtual tunnel
// interface, with their metrics and ages, compared with the whole text IOS 12.4 and 15.x print
// (15.x: the longer legend, a local /32 route per interface address, one column more indent).
#include "common/ios-lab.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{
const char* kLegend =
    "Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
    "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n"
    "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
    "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
    "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
    "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
    "       o - ODR, P - periodic downloaded static route\n\n";

/** The routing process block of both routers. */
std::string
Process(bool eigrp)
{
    return eigrp ? "router eigrp 100\n network 10.0.0.0\n network 172.16.0.0\n"
                 : "router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\n network 172.16.0.0 "
                   "0.0.0.3 area 0\n";
}

/** R1: a LAN, a VTI to R2 over Serial0, a crypto map toward R3 on Serial1 with `reverse-route
 *  static`, static routes of every kind and a default route. */
std::string
R1(bool eigrp)
{
    return R"(hostname R1
crypto isakmp policy 10
 encr aes
 authentication pre-share
 group 14
crypto isakmp key s3cret address 192.0.2.2
crypto isakmp key other address 198.51.100.2
crypto ipsec transform-set TS esp-aes esp-sha-hmac
crypto ipsec profile P
 set transform-set TS
access-list 110 permit ip 10.1.0.0 0.0.0.255 172.20.0.0 0.0.255.255
crypto map CM 10 ipsec-isakmp
 set peer 198.51.100.2
 set transform-set TS
 match address 110
 reverse-route static
interface Tunnel0
 ip address 172.16.0.1 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.2
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile P
interface Ethernet0
 ip address 10.1.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.1 255.255.255.252
interface Serial1
 ip address 198.51.100.1 255.255.255.252
 crypto map CM
)" + Process(eigrp) +
           R"(ip route 0.0.0.0 0.0.0.0 192.0.2.2
ip route 192.168.50.0 255.255.255.0 Tunnel0
ip route 10.9.0.0 255.255.0.0 Serial0 192.0.2.2
)";
}

/** R2: the VTI's far end, with a LAN and a loopback the routing process advertises. */
std::string
R2(bool eigrp)
{
    return R"(hostname R2
crypto isakmp policy 10
 encr aes
 authentication pre-share
 group 14
crypto isakmp key s3cret address 192.0.2.1
crypto ipsec transform-set TS esp-aes esp-sha-hmac
crypto ipsec profile P
 set transform-set TS
interface Loopback0
 ip address 10.255.0.2 255.255.255.255
interface Tunnel0
 ip address 172.16.0.2 255.255.255.252
 tunnel source Serial0
 tunnel destination 192.0.2.1
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile P
interface Ethernet0
 ip address 10.2.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.2 255.255.255.252
)" + Process(eigrp);
}

class ShowIpRouteLab : public test::IosLab
{
protected:
    /** Builds the lab, approximates the routing process at time 0 and runs to @p seconds; R1
     *  and R2 print 12.4 with @p ios124, else 15.x. */
    void Start(bool eigrp, double seconds, bool ios124 = false)
    {
        const std::string version = ios124 ? "version 12.4\n" : "";
        Router("R1", version + R1(eigrp));
        Router("R2", version + R2(eigrp));
        Router("R3", "hostname R3\ninterface Serial0\n ip address 198.51.100.2 255.255.255.252\n");
        Host("h1", "10.1.0.10/24", "10.1.0.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("R1:Serial1", "R3:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Build();
        IosRouter::ApproximateRouting({routers["R1"], routers["R2"], routers["R3"]});
        Run(seconds);
    }
};
} // namespace

TEST_F(ShowIpRouteLab, OspfOverAVtiWithStaticDefaultAndRriRoutesIos124)
{
    Start(false, 12, true);
    // OSPF: R2's LAN costs the tunnel's 1000 and its Ethernet's 10, the loopback 1000 + 1.
    const std::string expected =
        std::string(kLegend) +
        "Gateway of last resort is 192.0.2.2 to network 0.0.0.0\n\n"
        "S*   0.0.0.0/0 [1/0] via 192.0.2.2\n"
        "     10.0.0.0/8 is variably subnetted, 4 subnets, 3 masks\n"
        "C       10.1.0.0/24 is directly connected, Ethernet0\n"
        "O       10.2.0.0/24 [110/1010] via 172.16.0.2, 00:00:12, Tunnel0\n"
        "S       10.9.0.0/16 [1/0] via 192.0.2.2, Serial0\n"
        "O       10.255.0.2/32 [110/1001] via 172.16.0.2, 00:00:12, Tunnel0\n"
        "     172.16.0.0/30 is subnetted, 1 subnets\n"
        "C       172.16.0.0 is directly connected, Tunnel0\n"
        "S    172.20.0.0/16 [1/0] via 198.51.100.2\n"
        "     192.0.2.0/30 is subnetted, 1 subnets\n"
        "C       192.0.2.0 is directly connected, Serial0\n"
        "S    192.168.50.0/24 is directly connected, Tunnel0\n"
        "     198.51.100.0/30 is subnetted, 1 subnets\n"
        "C       198.51.100.0 is directly connected, Serial1\n";
    EXPECT_EQ(routers["R1"]->Exec("show ip route"), expected);
}

TEST_F(ShowIpRouteLab, EigrpRoutesCarryTheCompositeMetric)
{
    Start(true, 75);
    // 256 * (10^7 / 100 kbit/s of the tunnel + (50000 us tunnel + 1000 us Ethernet) / 10), and
    // for the loopback (5000 us) 256 * (100000 + 5500).
    const std::string table = routers["R1"]->Exec("show ip route");
    EXPECT_NE(table.find("D        10.2.0.0/24 [90/26905600] via 172.16.0.2, 00:01:15, Tunnel0\n"),
              std::string::npos)
        << table;
    EXPECT_NE(
        table.find("D        10.255.0.2/32 [90/27008000] via 172.16.0.2, 00:01:15, Tunnel0\n"),
        std::string::npos)
        << table;
    // R2 learns R1's LAN, and has no default route.
    const std::string r2 = routers["R2"]->Exec("show ip route");
    EXPECT_NE(r2.find("D        10.1.0.0/24 [90/26905600] via 172.16.0.1, 00:01:15, Tunnel0\n"),
              std::string::npos)
        << r2;
    EXPECT_NE(r2.find("Gateway of last resort is not set\n"), std::string::npos) << r2;
    EXPECT_EQ(r2.find("S*"), std::string::npos) << r2;
    // Its own loopback is connected, once, not a route of its own process.
    EXPECT_NE(r2.find("C        10.255.0.2/32 is directly connected, Loopback0\n"),
              std::string::npos)
        << r2;
    EXPECT_EQ(r2.find("10.255.0.2/32"), r2.rfind("10.255.0.2/32")) << r2;
}

TEST_F(ShowIpRouteLab, RoutesGoneFromTheTableAreNotShown)
{
    Start(false, 1);
    // `no ip route 0.0.0.0 0.0.0.0 192.0.2.2`: no candidate default any more.
    IosRouterConfig next = routers["R1"]->GetConfig();
    next.routes.erase(next.routes.begin());
    routers["R1"]->Reconfigure(next);
    const std::string table = routers["R1"]->Exec("show ip route");
    EXPECT_NE(table.find("Gateway of last resort is not set\n"), std::string::npos) << table;
    EXPECT_EQ(table.find("0.0.0.0/0"), std::string::npos) << table;
    EXPECT_NE(table.find("O        10.2.0.0/24 [110/1010] via 172.16.0.2, 00:00:01, Tunnel0\n"),
              std::string::npos)
        << table;
}

TEST_F(ShowIpRouteLab, OspfOverAVtiWithStaticDefaultAndRriRoutes)
{
    Start(false, 12);
    // 15.x: every interface address is a local /32, so each connected network is variably
    // subnetted; headings six columns in, routes at column 9 (at 6 when not under a heading).
    const std::string expected =
        "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
        "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area \n"
        "       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2\n"
        "       E1 - OSPF external type 1, E2 - OSPF external type 2\n"
        "       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2\n"
        "       ia - IS-IS inter area, * - candidate default, U - per-user static route\n"
        "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP\n"
        "       a - application route\n"
        "       + - replicated route, % - next hop override, p - overrides from PfR\n\n"
        "Gateway of last resort is 192.0.2.2 to network 0.0.0.0\n\n"
        "S*    0.0.0.0/0 [1/0] via 192.0.2.2\n"
        "      10.0.0.0/8 is variably subnetted, 5 subnets, 3 masks\n"
        "C        10.1.0.0/24 is directly connected, Ethernet0\n"
        "L        10.1.0.1/32 is directly connected, Ethernet0\n"
        "O        10.2.0.0/24 [110/1010] via 172.16.0.2, 00:00:12, Tunnel0\n"
        "S        10.9.0.0/16 [1/0] via 192.0.2.2, Serial0\n"
        "O        10.255.0.2/32 [110/1001] via 172.16.0.2, 00:00:12, Tunnel0\n"
        "      172.16.0.0/16 is variably subnetted, 2 subnets, 2 masks\n"
        "C        172.16.0.0/30 is directly connected, Tunnel0\n"
        "L        172.16.0.1/32 is directly connected, Tunnel0\n"
        "S     172.20.0.0/16 [1/0] via 198.51.100.2\n"
        "      192.0.2.0/24 is variably subnetted, 2 subnets, 2 masks\n"
        "C        192.0.2.0/30 is directly connected, Serial0\n"
        "L        192.0.2.1/32 is directly connected, Serial0\n"
        "S     192.168.50.0/24 is directly connected, Tunnel0\n"
        "      198.51.100.0/24 is variably subnetted, 2 subnets, 2 masks\n"
        "C        198.51.100.0/30 is directly connected, Serial1\n"
        "L        198.51.100.1/32 is directly connected, Serial1\n";
    EXPECT_EQ(routers["R1"]->Exec("show ip route"), expected);
}
