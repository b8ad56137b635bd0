// Host names: `ip host`, `ip domain-name`, `ip domain-lookup`, `ip name-server`, `set peer NAME
// [dynamic]`, keys by host name and `crypto isakmp peer` blocks with their aggressive-mode
// settings: the reader's view (pasted show running-config, configure-terminal scripts, CRLF,
// errors), name resolution, and what routers do with them in a lab (keys found by resolved
// names, names resolved at each negotiation, aggressive mode started with the block's key and
// identity).
#include "common/ios-config-parse.h"
#include "common/ios-lab.h"
#include "ns3/ios-config.h"
#include "ns3/isakmp-constants.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;
using namespace ns3::test;

namespace
{

/** A router's `show running-config` as pasted from a terminal, IOS 12.4 spellings. */
const char* kPastedShowRun = R"(R1#show running-config
Building configuration...

Current configuration : 1102 bytes
!
version 12.4
hostname R1
!
no ip domain lookup
ip domain name example.com
ip host r2.example.com 192.0.2.2 192.0.2.3
ip host lab 2001 10.0.0.9
ip name-server 192.0.2.53 192.0.2.54
!
crypto isakmp policy 10
 authentication pre-share
crypto isakmp key Name-psk hostname r3.example.com
crypto isakmp peer address 192.0.2.2
 set aggressive-mode password Aggr-psk
 set aggressive-mode client-endpoint user-fqdn vpn@r1.example.com
crypto isakmp peer hostname r3.example.com
 description the third site
 set aggressive-mode client-endpoint fqdn r1.example.com
!
crypto ipsec transform-set ts esp-aes esp-sha-hmac
!
crypto map VPN 10 ipsec-isakmp
 set peer r2.example.com
 set peer r3.example.com dynamic
 set peer 192.0.2.9
 set transform-set ts
!
end

R1#
)";

const IosIsakmpPeer*
PeerBlock(const IosRouterConfig& c, const std::string& what)
{
    for (const auto& p : c.isakmpPeers)
    {
        std::ostringstream os;
        if (p.address)
        {
            os << *p.address;
        }
        if ((p.address ? os.str() : p.hostname) == what)
        {
            return &p;
        }
    }
    return nullptr;
}

void
ExpectPastedConfig(const IosRouterConfig& c)
{
    EXPECT_FALSE(c.domainLookup);
    EXPECT_EQ(c.domainName, "example.com");
    ASSERT_EQ(c.hosts.size(), 2u);
    EXPECT_EQ(c.hosts[0].name, "r2.example.com");
    EXPECT_EQ(c.hosts[0].addresses,
              (std::vector<Ipv4Address>{Ipv4Address("192.0.2.2"), Ipv4Address("192.0.2.3")}));
    EXPECT_EQ(c.hosts[1].addresses, std::vector<Ipv4Address>{Ipv4Address("10.0.0.9")})
        << "2001 is the telnet port";
    EXPECT_EQ(c.nameServers.size(), 2u);
    const IosIsakmpPeer* a = PeerBlock(c, "192.0.2.2");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->aggressivePassword, "Aggr-psk");
    EXPECT_EQ(a->endpointType, IosClientEndpoint::USER_FQDN);
    EXPECT_EQ(a->endpoint, "vpn@r1.example.com");
    EXPECT_TRUE(a->InitiatesAggressive());
    const IosIsakmpPeer* h = PeerBlock(c, "r3.example.com");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->description, "the third site");
    EXPECT_TRUE(h->aggressivePassword.empty());
    EXPECT_EQ(h->endpointType, IosClientEndpoint::FQDN);
    EXPECT_TRUE(h->InitiatesAggressive()) << "client-endpoint alone is enough";
    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    const IosCryptoMapEntry& e = c.cryptoMaps[0];
    EXPECT_EQ(e.peers, (std::vector<std::string>{"r2.example.com", "r3.example.com", "192.0.2.9"}));
    EXPECT_EQ(e.dynamicPeers, std::set<std::string>{"r3.example.com"});
    EXPECT_EQ(e.peerLines.at("r2.example.com").second, 10u) << "the column of the name";
    for (const auto& l : c.notModelled)
    {
        EXPECT_EQ(l.text.find("ip "), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("aggressive-mode"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("isakmp peer"), std::string::npos) << l.text;
    }
}

} // namespace

// ------------------------------------------------------------------------------ reader

TEST(IosHostsConfig, PastedShowRunningConfig)
{
    ExpectPastedConfig(P(kPastedShowRun));
}

TEST(IosHostsConfig, CrlfLineEnds)
{
    std::string crlf;
    for (char ch : std::string(kPastedShowRun))
    {
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    }
    ExpectPastedConfig(P(crlf));
}

TEST(IosHostsConfig, ConfigureTerminalScript)
{
    const IosRouterConfig c = P("R1#configure terminal\n"
                                "Enter configuration commands, one per line.  End with CNTL/Z.\n"
                                "R1(config)#ip domain-name example.com\n"
                                "R1(config)#no ip domain-lookup\n"
                                "R1(config)#ip host R2 192.0.2.2\n"
                                "R1(config)#crypto isakmp peer address 192.0.2.2\n"
                                "R1(config-isakmp-peer)#set aggressive-mode password k3y\n"
                                "R1(config-isakmp-peer)#set aggr client-endpoint ipv4 10.1.1.1\n"
                                "R1(config-isakmp-peer)#exit\n"
                                "R1(config)#crypto map VPN 10 ipsec-isakmp\n"
                                "R1(config-crypto-map)#set peer r2 dynamic\n"
                                "R1(config-crypto-map)#end\n"
                                "R1#\n");
    EXPECT_EQ(c.domainName, "example.com");
    EXPECT_FALSE(c.domainLookup);
    ASSERT_EQ(c.isakmpPeers.size(), 1u);
    EXPECT_EQ(c.isakmpPeers[0].aggressivePassword, "k3y");
    EXPECT_EQ(c.isakmpPeers[0].endpointType, IosClientEndpoint::IPV4_ADDRESS);
    EXPECT_EQ(c.isakmpPeers[0].endpoint, "10.1.1.1");
    EXPECT_EQ(c.cryptoMaps.at(0).dynamicPeers, std::set<std::string>{"r2"});
    EXPECT_EQ(c.ResolvePeer("r2"), Ipv4Address("192.0.2.2")) << "ip host names ignore case";
}

TEST(IosHostsConfig, ModeAndNoForms)
{
    std::string mode;
    IosConfigReader::Parse("crypto isakmp peer address 10.0.0.2\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-isakmp-peer");
    const IosRouterConfig c = P("ip host a 10.0.0.1\n"
                                "ip host b 10.0.0.2\n"
                                "ip host a 10.0.0.3\n"
                                "no ip host b\n"
                                "ip name-server 10.9.9.9 10.9.9.8\n"
                                "no ip name-server 10.9.9.9\n"
                                "ip domain lookup\n"
                                "crypto isakmp peer address 10.0.0.2\n"
                                " set aggressive-mode password pw\n"
                                " set aggressive-mode client-endpoint fqdn me.example.com\n"
                                " no set aggressive-mode password\n"
                                "crypto isakmp peer address 10.0.0.3\n"
                                "no crypto isakmp peer address 10.0.0.3\n"
                                "crypto map m 10 ipsec-isakmp\n"
                                " set peer a dynamic\n"
                                " set peer b\n"
                                " no set peer b\n");
    ASSERT_EQ(c.hosts.size(), 1u);
    EXPECT_EQ(c.hosts[0].addresses, std::vector<Ipv4Address>{Ipv4Address("10.0.0.3")})
        << "a new entry for a name replaces the old one";
    EXPECT_EQ(c.nameServers, std::vector<Ipv4Address>{Ipv4Address("10.9.9.8")});
    EXPECT_TRUE(c.domainLookup);
    ASSERT_EQ(c.isakmpPeers.size(), 1u);
    EXPECT_TRUE(c.isakmpPeers[0].aggressivePassword.empty());
    EXPECT_TRUE(c.isakmpPeers[0].InitiatesAggressive());
    EXPECT_EQ(c.cryptoMaps.at(0).peers, std::vector<std::string>{"a"});
}

TEST(IosHostsConfig, BadNamesAndSettingsAreErrors)
{
    EXPECT_IOS_ERROR("ip host 10.0.0.1 10.0.0.2\n", 1, 8, "expected the host's name");
    EXPECT_IOS_ERROR("ip host r2!x 10.0.0.2\n", 1, 8, "% Invalid host name \"r2!x\"");
    EXPECT_IOS_ERROR("ip host r2\n", 1, 11, "% Incomplete command");
    EXPECT_IOS_ERROR("ip host r2 10.0.0\n", 1, 11, "expected the host's address");
    EXPECT_IOS_ERROR("ip domain-name bad/name\n", 1, 15, "% Invalid host name");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp\n set peer 10.0.0.1 dynamic\n", 2, 19,
                     "dynamic is for a peer given by host name");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp\n set peer r2:500\n", 2, 10,
                     "expected the peer's address A.B.C.D or host name");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp\n set peer r2 dynamc\n", 2, 13,
                     "expected dynamic");
    EXPECT_IOS_ERROR("crypto isakmp peer address r2\n", 1, 27, "expected the peer's address");
    EXPECT_IOS_ERROR("crypto isakmp peer hostname 10.0.0.1\n", 1, 28, "this is an address");
    EXPECT_IOS_ERROR("crypto isakmp peer address 10.0.0.2\n"
                     " set aggressive-mode client-endpoint user-fqdn nobody\n",
                     2, 47, "user@example.com");
    EXPECT_IOS_ERROR("crypto isakmp peer address 10.0.0.2\n"
                     " set aggressive-mode client-endpoint ipv6-address 2001:db8::1\n",
                     2, 37, "IPv6 is not modelled");
    EXPECT_IOS_ERROR("crypto isakmp peer address 10.0.0.2\n"
                     " set aggressive-mode clinet-endpoint fqdn a.b\n",
                     2, 21, "did you mean client-endpoint?");
    EXPECT_IOS_ERROR("crypto isakmp peer address 10.0.0.2\n set aggressive-mode password\n", 2, 30,
                     "% Incomplete command");
}

TEST(IosHostsConfig, ResolutionOrder)
{
    IosRouterConfig c = P("ip domain-name example.com\n"
                          "ip host R2.example.com 10.0.0.2\n");
    c.dns = {{"r2.example.com", {Ipv4Address("10.9.9.2")}},
             {"r3.example.com", {Ipv4Address("10.9.9.3"), Ipv4Address("10.9.9.4")}}};
    // `ip host` first, then the name server; names compare without case.
    EXPECT_EQ(c.ResolvePeer("r2.EXAMPLE.com"), Ipv4Address("10.0.0.2"));
    EXPECT_EQ(c.ResolveHost("r3.example.com").size(), 2u);
    EXPECT_EQ(c.ResolvePeer("r3"), Ipv4Address("10.9.9.3")) << "ip domain-name appended";
    EXPECT_FALSE(c.ResolvePeer("r3.other.net"));
    EXPECT_EQ(c.ResolvePeer("192.0.2.1"), Ipv4Address("192.0.2.1"));
    c.domainLookup = false; // `no ip domain-lookup`: ip host only
    EXPECT_FALSE(c.ResolvePeer("r3"));
    EXPECT_EQ(c.ResolvePeer("r2.example.com"), Ipv4Address("10.0.0.2"));
    EXPECT_EQ(c.Fqdn(), "Router.example.com");
}

// ------------------------------------------------------------------------------ routers

namespace
{

const char* kCommon = R"(crypto isakmp policy 10
 encryption aes
 authentication pre-share
 group 2
crypto ipsec transform-set ts esp-aes esp-sha-hmac
)";

/** R1 (LAN 10.1.0.0/24) and R2 (LAN 10.2.0.0/24) over 192.0.2.0/30, a host on each LAN. */
class HostsLab : public IosLab
{
protected:
    void TwoRouters(const std::string& r1Extra, const std::string& r2Extra)
    {
        Router("R1", std::string("hostname R1\n") + kCommon + r1Extra + R"(
access-list 101 permit ip 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255
interface Ethernet0
 ip address 10.1.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.1 255.255.255.252
 crypto map VPN
ip route 10.2.0.0 255.255.255.0 192.0.2.2
)");
        Router("R2", std::string("hostname R2\n") + kCommon + r2Extra + R"(
access-list 101 permit ip 10.2.0.0 0.0.0.255 10.1.0.0 0.0.0.255
interface Ethernet0
 ip address 10.2.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.2 255.255.255.252
 crypto map VPN
ip route 10.1.0.0 255.255.255.0 192.0.2.1
)");
        Host("h1", "10.1.0.10/24", "10.1.0.1");
        Host("h2", "10.2.0.10/24", "10.2.0.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        Build();
    }

    std::vector<IkeExchangeRecord> Exchanges(const std::string& r, const std::string& kind)
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& x : routers.at(r)->GetIke()->GetExchanges())
        {
            if (x.exchange == kind)
            {
                out.push_back(x);
            }
        }
        return out;
    }
};

const char* kR2Responder = R"(crypto isakmp identity hostname
ip domain-name example.com
ip host r1.example.com 192.0.2.1
crypto isakmp key Named-psk hostname r1.example.com
crypto map VPN 10 ipsec-isakmp
 set peer r1.example.com
 set transform-set ts
 match address 101
)";

} // namespace

TEST_F(HostsLab, UnknownPeerNameIsAnErrorAtTheName)
{
    const std::string cfg = std::string("hostname R1\n") + kCommon +
                            "crypto map VPN 10 ipsec-isakmp\n"
                            " set peer nowhere.example.com\n"
                            "interface Serial0\n"
                            " ip address 192.0.2.1 255.255.255.252\n"
                            " crypto map VPN\n";
    Router("R1", cfg);
    Host("h", "192.0.2.2/30", "192.0.2.1");
    Link("R1:Serial0", "h:eth0");
    try
    {
        Build();
        FAIL() << "installed a crypto map whose peer does not resolve";
    }
    catch (const IosConfigError& e)
    {
        EXPECT_EQ(e.Where().line, 8);
        EXPECT_EQ(e.Column(), 10u);
        EXPECT_NE(e.Detail().find("% Unable to resolve host name \"nowhere.example.com\""),
                  std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("R1.cfg:8:\n  set peer nowhere.example.com\n"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(HostsLab, MainModeWithPeersAndKeysByName)
{
    // R1 names R2 by a name its ip host table resolves; both identify by host name and hold
    // the other's key by name: main mode needs the key before the identity arrives, and finds
    // it by resolving the key's name to the peer's address.
    TwoRouters(R"(crypto isakmp identity hostname
ip host r2.example.com 192.0.2.2
crypto isakmp key Named-psk hostname R2
crypto map VPN 10 ipsec-isakmp
 set peer r2.example.com
 set transform-set ts
 match address 101
)",
               kR2Responder);
    // `crypto isakmp key ... hostname R2`: R2 does not resolve on R1 (no such entry) ...
    EXPECT_FALSE(routers.at("R1")->GetPreSharedKeyFor(Ipv4Address("192.0.2.2"),
                                                      Ipv4Address("192.0.2.1"), ""));
    // ... so R1 gets the name as R2's ip domain-name has it.
    auto next = routers.at("R1")->GetConfig();
    next.isakmpKeys.at(0).hostname = "r2.example.com";
    routers.at("R1")->Reconfigure(next);
    EXPECT_EQ(routers.at("R1")->GetPreSharedKeyFor(Ipv4Address("192.0.2.2"),
                                                   Ipv4Address("192.0.2.1"), ""),
              "Named-psk");
    auto got = Udp("h1", "h2", "10.2.0.10", 9, 50);
    Run(4);
    auto mm = Exchanges("R1", "main");
    ASSERT_EQ(mm.size(), 1u);
    EXPECT_EQ(mm[0].result, "ok") << mm[0].reason;
    EXPECT_EQ(mm[0].peer, Ipv4Address("192.0.2.2")) << "the address r2.example.com resolves to";
    EXPECT_GE(*got, 48u);
}

TEST_F(HostsLab, AggressiveModeFromACryptoIsakmpPeerBlock)
{
    // R1 starts aggressive mode with the block's password and its user-fqdn identity; R2
    // knows neither R1's address nor a key for it: it picks the key by the identity.
    TwoRouters(R"(crypto isakmp key Wrong-psk address 192.0.2.2
crypto isakmp peer address 192.0.2.2
 set aggressive-mode password Aggr-psk
 set aggressive-mode client-endpoint user-fqdn branch@example.com
crypto map VPN 10 ipsec-isakmp
 set peer 192.0.2.2
 set transform-set ts
 match address 101
)",
               R"(crypto isakmp key Aggr-psk hostname branch@example.com
crypto dynamic-map DYN 10
 set transform-set ts
crypto map VPN 10 ipsec-isakmp dynamic DYN
)");
    EXPECT_EQ(routers.at("R1")->GetPreSharedKeyFor(Ipv4Address("192.0.2.2"),
                                                   Ipv4Address("192.0.2.1"), ""),
              "Aggr-psk")
        << "the block's password before any crypto isakmp key";
    auto got = Udp("h1", "h2", "10.2.0.10", 9, 50);
    Run(4);
    auto am = Exchanges("R1", "aggressive");
    ASSERT_EQ(am.size(), 1u);
    EXPECT_EQ(am[0].result, "ok") << am[0].reason;
    EXPECT_TRUE(Exchanges("R1", "main").empty());
    auto resp = Exchanges("R2", "aggressive");
    ASSERT_EQ(resp.size(), 1u);
    EXPECT_EQ(resp[0].result, "ok") << resp[0].reason;
    EXPECT_GE(*got, 48u);
    // The block's identity is what R1 sends to that peer, and only to it.
    Ptr<IkeDaemon> ike = routers.at("R1")->GetIke();
    IsakmpIdPayload id = ike->Phase1IdentityFor(Ipv4Address("192.0.2.1"), Ipv4Address("192.0.2.2"));
    EXPECT_EQ(id.GetIdType(), ISAKMP_ID_USER_FQDN);
    EXPECT_EQ(id.GetDataString(), "branch@example.com");
    EXPECT_EQ(
        ike->Phase1IdentityFor(Ipv4Address("192.0.2.1"), Ipv4Address("192.0.2.9")).GetIdType(),
        ISAKMP_ID_IPV4_ADDR);
}

TEST_F(HostsLab, AggressiveModeDisableKeepsMainMode)
{
    TwoRouters(R"(crypto isakmp aggressive-mode disable
crypto isakmp key Named-psk address 192.0.2.2
crypto isakmp peer address 192.0.2.2
 set aggressive-mode password Named-psk
crypto map VPN 10 ipsec-isakmp
 set peer 192.0.2.2
 set transform-set ts
 match address 101
)",
               kR2Responder);
    Udp("h1", "h2", "10.2.0.10", 9, 20);
    Run(3);
    EXPECT_TRUE(Exchanges("R1", "aggressive").empty());
    ASSERT_EQ(Exchanges("R1", "main").size(), 1u);
    EXPECT_EQ(Exchanges("R1", "main")[0].result, "ok");
}

TEST_F(HostsLab, DynamicPeersResolveAtEachNegotiation)
{
    TwoRouters(R"(ip host fixed.example.com 192.0.2.2
crypto isakmp key k address 0.0.0.0 0.0.0.0
crypto map VPN 10 ipsec-isakmp
 set peer moving.example.com dynamic
 set peer fixed.example.com
 set transform-set ts
 match address 101
)",
               kR2Responder);
    Ptr<IosRouter> r1 = routers.at("R1");
    Ptr<IpsecPolicyEntry> e = r1->GetCryptoMapEntries().at(0).entry;
    // Not resolvable yet: only the fixed peer, resolved when the configuration went in force.
    EXPECT_EQ(e->peers, std::vector<Ipv4Address>{Ipv4Address("192.0.2.2")});
    EXPECT_EQ(r1->ResolvePeers(e), std::vector<Ipv4Address>{Ipv4Address("192.0.2.2")});
    // The name server learns the moving peer; then it moves. The fixed peer's name changes
    // too, but the entry keeps what it resolved to.
    r1->SetNameTable({{"moving.example.com", {Ipv4Address("203.0.113.7")}}});
    EXPECT_EQ(r1->ResolvePeers(e),
              (std::vector<Ipv4Address>{Ipv4Address("203.0.113.7"), Ipv4Address("192.0.2.2")}));
    r1->SetNameTable({{"MOVING.example.com", {Ipv4Address("203.0.113.8")}},
                      {"fixed.example.com", {Ipv4Address("203.0.113.9")}}});
    EXPECT_EQ(r1->ResolvePeers(e),
              (std::vector<Ipv4Address>{Ipv4Address("203.0.113.8"), Ipv4Address("192.0.2.2")}));
    EXPECT_EQ(e->peers, r1->ResolvePeers(e)) << "failover and the responder see the same";
    const std::string hosts = r1->Exec("show hosts");
    EXPECT_NE(hosts.find("Name/address lookup uses domain service\n"), std::string::npos) << hosts;
    EXPECT_NE(hosts.find("fixed.example.com         None  (perm, OK)  0   IP    192.0.2.2\n"),
              std::string::npos)
        << hosts;
    EXPECT_NE(hosts.find("moving.example.com        None  (temp, OK)  0   IP    203.0.113.8\n"),
              std::string::npos)
        << hosts;
    const std::string map = r1->Exec("show crypto map");
    EXPECT_NE(map.find("\tPeer = moving.example.com\n"), std::string::npos) << map;
    EXPECT_NE(map.find("\tCurrent peer: 203.0.113.8\n"), std::string::npos) << map;
}
