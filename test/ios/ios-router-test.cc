// The spec's sentences about crypto maps, each run through routers configured in IOS syntax.
#include "common/ios-lab.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

using namespace ns3;
using ns3::test::IosLab;
using ns3::test::kR1;
using ns3::test::kR2;

namespace
{

// The spec's example, keyed by hand: hosts on two LANs behind R1 and R2.
class SpecExample : public ns3::test::SpecExampleLab
{
};

TEST_F(SpecExample, ProtectedBothWaysAndCountersAgree)
{
    Build();
    auto wire = Watch("R1:Serial0");
    auto toH2 = Udp("h1", "h2", "10.2.2.5", 9, 20);
    auto toH1 = Udp("h2", "h1", "10.0.0.10", 9, 15);
    Run();
    EXPECT_EQ(*toH2, 20u);
    EXPECT_EQ(*toH1, 15u);
    EXPECT_EQ((*wire)[50], 20u);
    EXPECT_EQ((*wire)[17], 0u) << "no clear UDP of the protected flow on the serial link";
    std::string s1 = routers["R1"]->Exec("show crypto ipsec sa");
    std::string s2 = routers["R2"]->Exec("sh cry ipsec sa");
    EXPECT_NE(s1.find("#pkts encaps: 20, #pkts encrypt: 20, #pkts digest: 20"), std::string::npos)
        << s1;
    EXPECT_NE(s2.find("#pkts decaps: 20, #pkts decrypt: 20, #pkts verify: 20"), std::string::npos)
        << s2;
    EXPECT_NE(s1.find("local  ident (addr/mask/prot/port): (10.0.0.0/255.255.255.0/0/0)"),
              std::string::npos);
    EXPECT_NE(s1.find("spi: 0x2000(8192)"), std::string::npos) << "no zero padding";
    EXPECT_NE(s1.find("transform: esp-3des esp-md5-hmac"), std::string::npos);
    EXPECT_NE(s1.find("replay detection support: N"), std::string::npos)
        << "manual SAs have no anti-replay";
    EXPECT_EQ(s1.find("sa timing"), std::string::npos) << "manual SAs never expire";
}

TEST_F(SpecExample, ClearCryptoSaReestablishesManualSas)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run(2);
    EXPECT_NE(routers["R1"]->Exec("show crypto ipsec sa").find("#pkts encaps: 10"),
              std::string::npos);
    EXPECT_EQ(routers["R1"]->Exec("clear crypto sa"), "");
    const std::string after = routers["R1"]->Exec("show crypto ipsec sa");
    EXPECT_NE(after.find("#pkts encaps: 0"), std::string::npos) << after;
    EXPECT_NE(after.find("spi: 0x2000(8192)"), std::string::npos) << "re-established";
    auto more = Udp("h1", "h2", "10.2.2.5", 10, 5, 3.0);
    Run(5);
    EXPECT_EQ(*more, 5u);
}

TEST_F(SpecExample, ClearCryptoSaByPeerMapAndEntry)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run(2);
    auto encaps = [&]()
    {
        const std::string s = routers["R1"]->Exec("show crypto ipsec sa");
        auto at = s.find("#pkts encaps: ");
        return std::stoul(s.substr(at + 14));
    };
    ASSERT_EQ(encaps(), 10u);
    for (const char* other : {"clear crypto sa peer 192.0.2.99", "clear crypto sa map nosuchmap",
                              "clear crypto sa entry 192.168.1.2 esp 4097"})
    {
        routers["R1"]->Exec(other);
        EXPECT_EQ(encaps(), 10u) << other << " must leave these SAs alone";
    }
    uint16_t port = 20;
    for (const char* mine : {"clear crypto sa peer 192.168.1.2", "clear crypto sa map toRemoteSite",
                             "clear crypto sa entry 192.168.1.2 esp 8192", "clear cry sa"})
    {
        Udp("h1", "h2", "10.2.2.5", port++, 1, 0.1); // added while running: start is relative
        Simulator::Stop(Seconds(0.5));
        Simulator::Run();
        ASSERT_GT(encaps(), 0u) << mine;
        routers["R1"]->Exec(mine);
        EXPECT_EQ(encaps(), 0u) << mine << " clears (and re-establishes) the manual SAs";
    }
}

TEST_F(SpecExample, UnprotectedInboundMatchingAPermitIsDropped)
{
    // R1 loses its crypto map (`no crypto map` on Serial0): R2 still requires protection.
    std::string r1 = kR1;
    r1.replace(r1.find(" crypto map toRemoteSite\n"), 25, "");
    configs["R1"] = r1;
    Build();
    auto got = Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run();
    EXPECT_EQ(*got, 0u);
    EXPECT_EQ(P("R2")->GetDrops().Get(IpsecDropReason::UNPROTECTED), 10u);
}

TEST_F(SpecExample, ManualEntryWithoutSessionKeysDrops)
{
    std::string r1 = kR1;
    auto a = r1.find(" set session-key inbound");
    auto b = r1.find("interface Ethernet0");
    r1.erase(a, b - a);
    configs["R1"] = r1;
    Build();
    auto got = Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run();
    EXPECT_EQ(*got, 0u);
    EXPECT_EQ(P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 10u);
    const std::string map = routers["R1"]->Exec("show crypto map");
    EXPECT_NE(map.find("Crypto Map IPv4 \"toRemoteSite\" 10 ipsec-manual\n"
                       "\tWARNING: This crypto map is in an incomplete state!\n"),
              std::string::npos)
        << map;
    const std::string detail = routers["R1"]->Exec("show crypto ipsec sa detail");
    EXPECT_NE(detail.find("#pkts no sa (send) 10"), std::string::npos) << detail;
}

TEST_F(SpecExample, ShowSaByAddressAndIdentity)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 4);
    Run(2);
    const std::string byAddr = routers["R1"]->Exec("sh crypto ipsec sa address");
    EXPECT_NE(byAddr.find("dest address: 192.168.1.2\n   protocol: ESP\n      spi: 0x2000(8192)"),
              std::string::npos)
        << byAddr;
    EXPECT_NE(byAddr.find("dest address: 192.168.1.1"), std::string::npos);
    const std::string ident = routers["R1"]->Exec("show crypto ipsec sa identity");
    EXPECT_NE(ident.find("remote ident (addr/mask/prot/port): (10.2.2.0/255.255.255.0/0/0)"),
              std::string::npos)
        << ident;
    EXPECT_EQ(ident.find("#pkts"), std::string::npos) << "identity shows no counters";
}

TEST_F(SpecExample, BlockingEspWithAnAccessGroupBreaksIpsec)
{
    std::string r2 = kR2;
    r2 += "access-list 150 deny esp any any\naccess-list 150 permit ip any any\n"
          "interface Serial0\n ip access-group 150 in\n";
    configs["R2"] = r2;
    Build();
    auto got = Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run();
    EXPECT_EQ(*got, 0u);
    EXPECT_EQ(P("R2")->GetDrops().Get(IpsecDropReason::ACCESS_GROUP), 10u);
    const std::string acl = routers["R2"]->Exec("show access-lists 150");
    EXPECT_NE(acl.find("deny esp any any (10 matches)"), std::string::npos) << acl;
}

TEST_F(SpecExample, ShowCommandsLookLikeIos)
{
    // IOS 15.x, the default release.
    configs["R1"] += "crypto isakmp policy 10\n encryption 3des\n authentication pre-share\n"
                     " group 2\n";
    Build();
    const std::string pol = routers["R1"]->Exec("sh cry isakmp policy");
    EXPECT_EQ(pol.substr(0, 51), "\nGlobal IKE policy\nProtection suite of priority 10\n") << pol;
    EXPECT_EQ(pol.find("Default"), std::string::npos) << "15.x shows configured suites only";
    const std::string session = routers["R1"]->Exec("show crypto session");
    EXPECT_NE(session.find("Peer: 192.168.1.2 port 500"), std::string::npos) << session;
    const std::string map = routers["R1"]->Exec("show crypto map");
    EXPECT_EQ(map.rfind("Crypto Map IPv4 \"toRemoteSite\" 10 ipsec-manual\n"
                        "\tPeer = 192.168.1.2\n"
                        "\tExtended IP access list 101\n"
                        "\t    access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
                        "\tCurrent peer: 192.168.1.2\n"
                        "\tTransform sets={ \n"
                        "\t\tmyset2:  { esp-3des esp-md5-hmac  } , \n"
                        "\t}\n",
                        0),
              0u)
        << map;
    EXPECT_NE(map.find("\tInterfaces using crypto map toRemoteSite:\n\t\tSerial0\n"),
              std::string::npos);
    const std::string ts = routers["R1"]->Exec("show crypto ipsec transform-set");
    EXPECT_EQ(ts.rfind("Transform set default: { esp-aes esp-sha-hmac  } \n"
                       "   will negotiate = { Transport,  }, \n\n"
                       "Transform set myset1: { esp-des esp-sha-hmac  } \n"
                       "   will negotiate = { Tunnel,  }, \n\n",
                       0),
              0u)
        << ts;
    EXPECT_EQ(routers["R1"]->Exec("show crypto ipsec security-association lifetime"),
              "Security association lifetime: 4608000 kilobytes/3600 seconds\n");
    const std::string run = routers["R1"]->Exec("sh run");
    EXPECT_EQ(run.rfind("Building configuration...\n\nCurrent configuration : ", 0), 0u) << run;
    EXPECT_NE(run.find("\nversion 15.4\n"), std::string::npos) << "the release's version line";
    EXPECT_NE(run.find("hostname R1"), std::string::npos);
    EXPECT_EQ(run.substr(run.size() - 5), "\nend\n");
    EXPECT_THROW(routers["R1"]->Exec("show crypto ipsec sax"), IosConfigError);
}

TEST_F(SpecExample, ShowCommandsOfIos124)
{
    // `version 12.4` in the configuration: the chapter's era.
    configs["R1"] = "version 12.4\n" + configs["R1"] +
                    "crypto isakmp policy 10\n encryption 3des\n authentication pre-share\n"
                    " group 2\n";
    Build();
    const std::string pol = routers["R1"]->Exec("show crypto isakmp policy");
    EXPECT_EQ(pol.rfind("Protection suite of priority 10\n", 0), 0u) << pol;
    EXPECT_NE(pol.find("\nDefault protection suite\n"
                       "        encryption algorithm:   DES - Data Encryption Standard (56 bit "
                       "keys).\n"),
              std::string::npos)
        << pol;
    const std::string map = routers["R1"]->Exec("show crypto map");
    EXPECT_EQ(map.rfind("Crypto Map \"toRemoteSite\" 10 ipsec-manual\n", 0), 0u) << map;
    EXPECT_NE(map.find("\tTransform sets={ \n\t\tmyset2, \n\t}\n"), std::string::npos) << map;
    EXPECT_EQ(map.find("Mixed-mode"), std::string::npos) << map;
    const std::string ts = routers["R1"]->Exec("show crypto ipsec transform-set");
    EXPECT_EQ(ts.rfind("Transform set myset1: { esp-des esp-sha-hmac  } \n", 0), 0u)
        << "12.4 has no default set: " << ts;
    const std::string run = routers["R1"]->Exec("show running-config");
    EXPECT_NE(run.find("!\nversion 12.4\n"), std::string::npos) << run;
    EXPECT_EQ(run.find("version 15"), std::string::npos);
}

// Order and deny: entry 10 protects one host's traffic with AH only; its deny line sends
// another host's traffic on to entry 20 (ESP).
const char* kOrderR1 = R"(hostname R1
access-list 110 deny ip host 10.0.0.11 any
access-list 110 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
access-list 120 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto ipsec transform-set auth ah-sha-hmac
crypto ipsec transform-set enc esp-aes esp-sha-hmac
crypto map m 10 ipsec-manual
 match address 110
 set transform-set auth
 set peer 192.168.1.2
 set session-key inbound ah 300 0102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound ah 301 1102030405060708090a0b0c0d0e0f1011121314
crypto map m 20 ipsec-manual
 match address 120
 set transform-set enc
 set peer 192.168.1.2
 set session-key inbound esp 400 cipher 00112233445566778899aabbccddeeff authenticator 0102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 401 cipher 10112233445566778899aabbccddeeff authenticator 1102030405060708090a0b0c0d0e0f1011121314
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 192.168.1.1 255.255.255.252
 crypto map m
ip route 10.2.2.0 255.255.255.0 192.168.1.2
)";

/** R1 with kOrderR1, a plain R2, and one host on each LAN (@p host at @p addr on R1's). */
class OrderLab : public IosLab
{
protected:
    void Lab(const std::string& host, const std::string& addr)
    {
        Router("R1", kOrderR1);
        Router("R2", "hostname R2\ninterface Serial0\n ip address 192.168.1.2 255.255.255.252\n"
                     "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n"
                     "ip route 10.0.0.0 255.255.255.0 192.168.1.1\n");
        Host(host, addr, "10.0.0.1");
        Host("h2", "10.2.2.5/24", "10.2.2.1");
        Link(host + ":eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
        Build();
    }
};

TEST_F(OrderLab, EntriesInSeqOrderAndDenyMeansNextEntry)
{
    Lab("h1", "10.0.0.10/24");
    auto wire = Watch("R1:Serial0");
    Udp("h1", "h2", "10.2.2.5", 9, 7);
    Run();
    EXPECT_EQ((*wire)[51], 7u) << "h1's traffic: entry 10, AH";
    EXPECT_EQ((*wire)[50], 0u);
    const std::string acl = routers["R1"]->Exec("show access-lists 110");
    EXPECT_NE(acl.find("permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255 (7 matches)"),
              std::string::npos)
        << acl;
}

TEST_F(OrderLab, DenyLineSendsTrafficToTheNextEntry)
{
    Lab("h11", "10.0.0.11/24");
    auto wire = Watch("R1:Serial0");
    Udp("h11", "h2", "10.2.2.5", 9, 6);
    Run();
    EXPECT_EQ((*wire)[50], 6u) << "h11 is denied by entry 10's list: entry 20 (ESP) protects it";
    EXPECT_EQ((*wire)[51], 0u);
}

// The spec's warning: `permit ip any any` drops every unprotected packet from the neighbour.
class AnyAny : public IosLab
{
protected:
    void SetUp() override
    {
        const std::string common = R"(crypto ipsec transform-set t esp-3des esp-sha-hmac
access-list 101 permit ip any any
interface Serial0
 crypto map m
)";
        Router("R1", "hostname R1\n" + common + R"(crypto map m 10 ipsec-manual
 match address 101
 set transform-set t
 set peer 192.168.1.2
 set session-key inbound esp 1000 cipher 0123456789abcdef0123456789abcdef0123456789abcdef authenticator 0102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 2000 cipher 1123456789abcdef0123456789abcdef0123456789abcdef authenticator 1102030405060708090a0b0c0d0e0f1011121314
interface Serial0
 ip address 192.168.1.1 255.255.255.252
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
ip route 10.2.2.0 255.255.255.0 192.168.1.2
)");
        Router("R2", R"(hostname R2
interface Serial0
 ip address 192.168.1.2 255.255.255.252
interface Ethernet0
 ip address 10.2.2.1 255.255.255.0
ip route 10.0.0.0 255.255.255.0 192.168.1.1
)");
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.5/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
        Build();
    }

    std::map<std::pair<std::string, uint16_t>, Ptr<Socket>> sockets;

    /** A UDP socket on @p node bound to @p port; counts what it receives. */
    std::shared_ptr<uint64_t> Listen(const std::string& node, uint16_t port)
    {
        auto n = std::make_shared<uint64_t>(0);
        Ptr<Socket> s = Socket::CreateSocket(nodes.at(node), UdpSocketFactory::GetTypeId());
        s->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        sockets[{node, port}] = s;
        s->SetRecvCallback(Callback<void, Ptr<Socket>>(
            [n](Ptr<Socket> sock)
            {
                while (sock->Recv())
                {
                    ++*n;
                }
            }));
        return n;
    }

    /** Send @p count datagrams from @p node's port @p from to @p to:@p port at t = 1 s. */
    void SendFrom(const std::string& node, uint16_t from, const std::string& to, uint16_t port,
                  int count, bool broadcast = false)
    {
        Ptr<Socket> s = sockets[{node, from}]; // one socket per port, as IKE's on UDP 500
        if (!s)
        {
            s = Socket::CreateSocket(nodes.at(node), UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(Ipv4Address::GetAny(), from));
        }
        s->SetAllowBroadcast(broadcast);
        for (int i = 0; i < count; ++i)
        {
            Simulator::Schedule(Seconds(1 + 0.01 * i),
                                [s, to, port]() {
                                    s->SendTo(Create<Packet>(100), 0,
                                              InetSocketAddress(Ipv4Address(to.c_str()), port));
                                });
        }
    }
};

TEST_F(AnyAny, UnprotectedExchangesWithTheNeighbourAreDropped)
{
    Build();
    // R2 has no crypto map: its UDP to R1 arrives in the clear and R1 drops it.
    auto got = Udp("R2", "R1", "192.168.1.1", 9, 5);
    Run();
    EXPECT_EQ(*got, 0u);
    EXPECT_EQ(P("R1")->GetDrops().Get(IpsecDropReason::UNPROTECTED), 5u);
}

TEST_F(AnyAny, IkeIsNotCaughtByPermitAnyAny)
{
    Build();
    auto wire = Watch("R1:Serial0");
    auto atR2 = Listen("R2", 500);
    auto atR1 = Listen("R1", 500);
    SendFrom("R1", 500, "192.168.1.2", 500, 3);
    SendFrom("R2", 500, "192.168.1.1", 500, 3);
    Run(3);
    EXPECT_EQ(*atR2, 3u) << "R1's own IKE leaves in the clear";
    EXPECT_EQ(*atR1, 3u) << "IKE addressed to R1 is not dropped as unprotected";
    EXPECT_EQ((*wire)[50], 0u);
}

TEST_F(AnyAny, BroadcastIsNeverProtected)
{
    Build();
    auto wire = Watch("R1:Serial0");
    auto atR2 = Listen("R2", 9);
    SendFrom("R1", 1234, "192.168.1.3", 9, 4, /*broadcast=*/true); // the serial /30's broadcast
    Run(3);
    EXPECT_EQ((*wire)[50], 0u);
    EXPECT_EQ((*wire)[17], 4u);
    EXPECT_EQ(P("R1")->GetEncapsulated(), 0u);
}

// Figure 30: A protects traffic for C, and that ESP again inside a tunnel to B.
TEST_F(IosLab, NestingFigure30)
{
    Router("A", R"(hostname A
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.3.3.0 0.0.0.255
access-list 102 permit esp host 192.168.1.1 host 192.168.2.2
crypto ipsec transform-set inner esp-aes 256 esp-sha-hmac
crypto ipsec transform-set outer ah-sha-hmac
crypto map m 10 ipsec-manual
 match address 101
 set transform-set inner
 set peer 192.168.2.2
 set session-key inbound esp 5000 cipher 000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f authenticator 0102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 5001 cipher 100102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f authenticator 1102030405060708090a0b0c0d0e0f1011121314
crypto map m 20 ipsec-manual
 match address 102
 set transform-set outer
 set peer 192.168.1.2
 set session-key inbound ah 6000 2102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound ah 6001 3102030405060708090a0b0c0d0e0f1011121314
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 192.168.1.1 255.255.255.252
 crypto map m
ip route 0.0.0.0 0.0.0.0 192.168.1.2
)");
    Router("B", R"(hostname B
access-list 102 permit esp host 192.168.2.2 host 192.168.1.1
crypto ipsec transform-set outer ah-sha-hmac
crypto map m 20 ipsec-manual
 match address 102
 set transform-set outer
 set peer 192.168.1.1
 set session-key inbound ah 6001 3102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound ah 6000 2102030405060708090a0b0c0d0e0f1011121314
interface Serial0
 ip address 192.168.1.2 255.255.255.252
 crypto map m
interface Serial1
 ip address 192.168.2.1 255.255.255.252
ip route 10.0.0.0 255.255.255.0 192.168.1.1
ip route 10.3.3.0 255.255.255.0 192.168.2.2
)");
    Router("C", R"(hostname C
access-list 101 permit ip 10.3.3.0 0.0.0.255 10.0.0.0 0.0.0.255
crypto ipsec transform-set inner esp-aes 256 esp-sha-hmac
crypto map m 10 ipsec-manual
 match address 101
 set transform-set inner
 set peer 192.168.1.1
 set session-key inbound esp 5001 cipher 100102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f authenticator 1102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 5000 cipher 000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f authenticator 0102030405060708090a0b0c0d0e0f1011121314
interface Serial0
 ip address 192.168.2.2 255.255.255.252
 crypto map m
interface Ethernet0
 ip address 10.3.3.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 192.168.2.1
)");
    Host("h1", "10.0.0.10/24", "10.0.0.1");
    Host("h3", "10.3.3.5/24", "10.3.3.1");
    Link("h1:eth0", "A:Ethernet0");
    Link("A:Serial0", "B:Serial0");
    Link("B:Serial1", "C:Serial0");
    Link("C:Ethernet0", "h3:eth0");
    Build();
    auto ab = Watch("A:Serial0");
    auto bc = Watch("B:Serial1");
    auto got = Udp("h1", "h3", "10.3.3.5", 9, 8);
    Run();
    EXPECT_EQ(*got, 8u);
    EXPECT_EQ((*ab)[51], 8u) << "A to B: AH (outer peer B) around ESP (inner peer C)";
    EXPECT_EQ((*ab)[50], 0u);
    EXPECT_EQ((*bc)[50], 8u) << "B to C: B removed its layer, the ESP for C goes on";
    EXPECT_EQ(P("B")->GetDecapsulated(), 8u);
    EXPECT_EQ(P("C")->GetDecapsulated(), 8u);
}

TEST_F(IosLab, TransportModeBetweenTheRoutersOwnAddresses)
{
    auto cfg = [](const char* name, const char* me, const char* peer, int in, int out)
    {
        std::ostringstream os;
        os << "hostname " << name << "\n"
           << "access-list 101 permit udp host " << me << " host " << peer << "\n"
           << "crypto ipsec transform-set t esp-3des esp-sha-hmac\n mode transport\n"
           << "crypto map m 10 ipsec-manual\n match address 101\n set transform-set t\n"
           << " set peer " << peer << "\n"
           << " set session-key inbound esp " << in
           << " cipher 0123456789abcdef0123456789abcdef0123456789abcdef authenticator "
              "0102030405060708090a0b0c0d0e0f1011121314\n"
           << " set session-key outbound esp " << out
           << " cipher 0123456789abcdef0123456789abcdef0123456789abcdef authenticator "
              "0102030405060708090a0b0c0d0e0f1011121314\n"
           << "interface Serial0\n ip address " << me << " 255.255.255.252\n crypto map m\n";
        return os.str();
    };
    Router("R1", cfg("R1", "192.168.1.1", "192.168.1.2", 700, 800));
    Router("R2", cfg("R2", "192.168.1.2", "192.168.1.1", 800, 700));
    Link("R1:Serial0", "R2:Serial0");
    Build();
    auto wire = Watch("R1:Serial0");
    auto got = Udp("R1", "R2", "192.168.1.2", 9, 6);
    Run();
    EXPECT_EQ(*got, 6u);
    EXPECT_EQ((*wire)[50], 6u);
    EXPECT_NE(routers["R1"]->Exec("show crypto ipsec sa").find("in use settings ={Transport, }"),
              std::string::npos);
}

// Redundant interfaces sharing one crypto map set, identified by a loopback (`local-address`).
TEST_F(IosLab, SharedMapWithLocalAddress)
{
    Router("R1", R"(hostname R1
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto ipsec transform-set t esp-aes esp-sha-hmac
crypto map m local-address Loopback0
crypto map m 10 ipsec-manual
 match address 101
 set transform-set t
 set peer 192.168.1.2
 set session-key inbound esp 9000 cipher 00112233445566778899aabbccddeeff authenticator 0102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 9001 cipher 10112233445566778899aabbccddeeff authenticator 1102030405060708090a0b0c0d0e0f1011121314
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 192.168.1.1 255.255.255.252
 crypto map m
interface Serial1
 ip address 192.168.3.1 255.255.255.252
 crypto map m
ip route 10.2.2.0 255.255.255.0 192.168.1.2
)");
    Router("R2", R"(hostname R2
access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255
crypto ipsec transform-set t esp-aes esp-sha-hmac
crypto map m 10 ipsec-manual
 match address 101
 set transform-set t
 set peer 10.255.0.1
 set session-key inbound esp 9001 cipher 10112233445566778899aabbccddeeff authenticator 1102030405060708090a0b0c0d0e0f1011121314
 set session-key outbound esp 9000 cipher 00112233445566778899aabbccddeeff authenticator 0102030405060708090a0b0c0d0e0f1011121314
interface Ethernet0
 ip address 10.2.2.1 255.255.255.0
interface Serial0
 ip address 192.168.1.2 255.255.255.252
 crypto map m
interface Serial1
 ip address 192.168.3.2 255.255.255.252
ip route 10.0.0.0 255.255.255.0 192.168.1.1
ip route 10.255.0.1 255.255.255.255 192.168.1.1
)");
    Host("h1", "10.0.0.10/24", "10.0.0.1");
    Host("h2", "10.2.2.5/24", "10.2.2.1");
    Link("h1:eth0", "R1:Ethernet0");
    Link("R1:Serial0", "R2:Serial0");
    Link("R1:Serial1", "R2:Serial1");
    Link("R2:Ethernet0", "h2:eth0");
    Build();
    Ipv4Address outerSrc;
    devByPort.at("R1:Serial0")
        ->TraceConnectWithoutContext("PhyTxBegin", Callback<void, Ptr<const Packet>>(
                                                       [&outerSrc](Ptr<const Packet> p)
                                                       {
                                                           Ptr<Packet> q = p->Copy();
                                                           PppHeader ppp;
                                                           q->RemoveHeader(ppp);
                                                           Ipv4Header ip;
                                                           q->RemoveHeader(ip);
                                                           if (ip.GetProtocol() == 50)
                                                           {
                                                               outerSrc = ip.GetSource();
                                                           }
                                                       }));
    auto there = Udp("h1", "h2", "10.2.2.5", 9, 5);
    auto back = Udp("h2", "h1", "10.0.0.10", 9, 5);
    Run();
    EXPECT_EQ(*there, 5u);
    EXPECT_EQ(*back, 5u);
    EXPECT_EQ(outerSrc, Ipv4Address("10.255.0.1")) << "the identifying interface's address";
    const std::string map = routers["R1"]->Exec("show crypto map");
    EXPECT_NE(map.find("\t\tSerial0\n\t\tSerial1\n"), std::string::npos) << map;
    const std::string sa = routers["R1"]->Exec("show crypto ipsec sa");
    EXPECT_NE(sa.find("Crypto map tag: m, local addr 10.255.0.1"), std::string::npos) << sa;
}

// ipsec-isakmp entries raise an acquire (for IKE) and drop the packet while no SA exists; the
// acquire's scope is the matching permit line, or one host pair with `level per-host`.
class Acquires : public IosLab
{
protected:
    std::vector<IpsecProcessor::Acquire> acquires;

    void Lab(bool perHost)
    {
        Router("R1", std::string(R"(hostname R1
access-list 101 permit udp 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
crypto map toRemoteSite 10 ipsec-isakmp
 match address 101
 set transform-set myset2
 set peer 192.168.1.2
)") + (perHost ? " set security-association level per-host\n" : "") +
                         R"(interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 192.168.1.1 255.255.255.252
 crypto map toRemoteSite
ip route 10.2.2.0 255.255.255.0 192.168.1.2
)");
        Router("R2", "hostname R2\ninterface Serial0\n ip address 192.168.1.2 255.255.255.252\n"
                     "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n");
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.5/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
        Build();
        P("R1")->SetAcquireCallback(Callback<void, const IpsecProcessor::Acquire&>(
            [this](const IpsecProcessor::Acquire& a) { acquires.push_back(a); }));
    }
};

TEST_F(Acquires, ScopeIsTheMatchingPermitLine)
{
    Lab(false);
    auto got = Udp("h1", "h2", "10.2.2.5", 9, 3);
    Run(3);
    EXPECT_EQ(*got, 0u) << "dropped while no SA exists";
    ASSERT_EQ(acquires.size(), 3u);
    EXPECT_EQ(P("R1")->GetDrops().Get(IpsecDropReason::NO_SA), 3u);
    const IpsecTrafficSelector& s = acquires[0].scope;
    EXPECT_EQ(s.protocol, 17) << "the first permit line (udp) decides the scope";
    EXPECT_EQ(s.srcAddr, Ipv4Address("10.0.0.0"));
    EXPECT_EQ(s.srcWildcard, 0x000000ffu);
    EXPECT_EQ(acquires[0].entry->seq, 10u);
    EXPECT_EQ(acquires[0].entry->peers.at(0), Ipv4Address("192.168.1.2"));
}

TEST_F(Acquires, PerHostAsksForOneHostPair)
{
    Lab(true);
    Udp("h1", "h2", "10.2.2.5", 9, 2);
    Run(3);
    ASSERT_EQ(acquires.size(), 2u);
    const IpsecTrafficSelector& s = acquires[0].scope;
    EXPECT_EQ(s.srcAddr, Ipv4Address("10.0.0.10"));
    EXPECT_EQ(s.srcWildcard, 0u);
    EXPECT_EQ(s.dstAddr, Ipv4Address("10.2.2.5"));
    EXPECT_EQ(s.dstWildcard, 0u);
    EXPECT_EQ(s.protocol, 17);
}

} // namespace
