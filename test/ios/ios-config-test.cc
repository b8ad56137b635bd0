// The IOS configuration reader: every command family, abbreviations, errors with their line and
// column, the manual-entry restrictions, the spec's example, a realistic `show running-config` of
// an IOS 12.2 router, and garbage input.
#include "common/ios-config-parse.h"
#include "ns3/ios-config.h"
#include "ns3/ios-keywords.h"
#include "ns3/ios-router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>

using namespace ns3;

namespace
{

const std::string& kData = test::kIosData;
using test::E;
using test::P;

IpsecFlow
Flow(const char* src, const char* dst, uint8_t proto = 17, uint16_t sport = 0, uint16_t dport = 0)
{
    IpsecFlow f;
    f.src = Ipv4Address(src);
    f.dst = Ipv4Address(dst);
    f.protocol = proto;
    f.srcPort = sport;
    f.dstPort = dport;
    f.hasPorts = proto == 6 || proto == 17;
    return f;
}

const IosCryptoMapEntry*
Entry(const IosRouterConfig& c, const std::string& map, uint32_t seq)
{
    for (const auto& e : c.cryptoMaps)
    {
        if (e.map == map && e.seq == seq)
        {
            return &e;
        }
    }
    return nullptr;
}

bool
HasNotModelled(const IosRouterConfig& c, const std::string& text)
{
    return std::any_of(c.notModelled.begin(), c.notModelled.end(),
                       [&](const IosLocation& l) { return l.text == text; });
}

// ------------------------------------------------------------------------------ the spec example

TEST(IosConfigSpecExample, ParsesWithTheMask)
{
    IosRouterConfig c = IosConfigReader::ParseFile(kData + "spec-example.cfg");
    ASSERT_EQ(c.accessLists.count("101"), 1u);
    const IosAccessList& acl = c.accessLists.at("101");
    EXPECT_TRUE(acl.extended);
    ASSERT_EQ(acl.entries.size(), 1u);
    EXPECT_EQ(acl.entries[0].text, "permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255");
    EXPECT_TRUE(acl.entries[0].permit);
    const IpsecTrafficSelector& s = acl.entries[0].selector;
    EXPECT_TRUE(s.Matches(Flow("10.0.0.7", "10.2.2.200", 6, 1234, 80)));
    EXPECT_TRUE(s.Matches(Flow("10.0.0.255", "10.2.2.0", 1)));
    EXPECT_FALSE(s.Matches(Flow("10.0.1.7", "10.2.2.200")));
    EXPECT_FALSE(s.Matches(Flow("10.2.2.200", "10.0.0.7")));

    ASSERT_EQ(c.transformSets.size(), 2u);
    EXPECT_EQ(c.transformSets.at("myset1").ToString(), "esp-des esp-sha-hmac");
    EXPECT_EQ(c.transformSets.at("myset2").ToString(), "esp-3des esp-md5-hmac");
    EXPECT_EQ(c.transformSets.at("myset2").name, "myset2");
    EXPECT_EQ(c.transformSets.at("myset2").mode, IpsecMode::TUNNEL);

    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    const IosCryptoMapEntry& e = c.cryptoMaps[0];
    EXPECT_EQ(e.map, "toRemoteSite");
    EXPECT_EQ(e.seq, 10u);
    EXPECT_EQ(e.kind, IosCryptoMapKind::IPSEC_ISAKMP);
    EXPECT_EQ(e.matchAddress, "101");
    EXPECT_EQ(e.transformSets, std::vector<std::string>{"myset2"});
    EXPECT_EQ(e.peers, std::vector<std::string>{"10.2.2.5"});
    EXPECT_EQ(e.where.line, 6);

    ASSERT_EQ(c.interfaces.size(), 1u);
    const IosInterface& i = c.interfaces[0];
    EXPECT_EQ(i.name, "Serial0");
    EXPECT_EQ(*i.address, Ipv4Address("10.0.0.2"));
    EXPECT_EQ(i.mask, Ipv4Mask("255.255.255.0"));
    EXPECT_EQ(i.cryptoMap, "toRemoteSite");
    EXPECT_EQ(i.encapsulation, IosEncapsulation::HDLC) << "the IOS default on serial interfaces";
    EXPECT_EQ(c.hostname, "Router");
    EXPECT_EQ(c.lifetimeSeconds, 3600u);
    EXPECT_EQ(c.lifetimeKilobytes, 4608000u);
    EXPECT_EQ(c.lines.size(), 12u);
    EXPECT_TRUE(c.notModelled.empty());
}

TEST(IosConfigSpecExample, VerbatimMasklessAddressIsIncomplete)
{
    // The chapter prints `ip address 10.0.0.2` without a mask; IOS answers "% Incomplete command."
    try
    {
        IosConfigReader::ParseFile(kData + "spec-example-verbatim.cfg");
        FAIL() << "parsed";
    }
    catch (const IosConfigError& e)
    {
        EXPECT_EQ(e.Where().line, 9);
        EXPECT_EQ(e.Where().text, " ip address 10.0.0.2");
        EXPECT_EQ(e.Where().file, kData + "spec-example-verbatim.cfg");
        EXPECT_EQ(e.Column(), 21u) << "just after the end of the line";
        EXPECT_EQ(e.Detail().rfind("% Incomplete command.", 0), 0u) << e.what();
    }
}

TEST(IosConfigErrors, LaidOutAsIos)
{
    const IosConfigError e = E("hostname R1\ncrypto map toRemoteSite 10 ipsec-manuel\n");
    EXPECT_STREQ(e.what(), "t.cfg:2:\n"
                           " crypto map toRemoteSite 10 ipsec-manuel\n"
                           "                            ^\n"
                           "% Invalid input detected at '^' marker. (expected ipsec-manual or "
                           "ipsec-isakmp)");
    EXPECT_EQ(e.Column(), 27u);
    // The caret keeps the tabs of the line, so it stays under the word whatever the tab width.
    const IosConfigError t = E("interface Serial0\n\tip adress 1.2.3.4 255.0.0.0\n");
    EXPECT_EQ(t.Column(), 4u);
    EXPECT_NE(std::string(t.what()).find("\n \tip adress 1.2.3.4 255.0.0.0\n \t   ^\n"),
              std::string::npos)
        << t.what();
    // Errors built by others (the router) show the same layout.
    IosConfigError o(IosLocation{"x.cfg", 3, "abc"}, 1, "detail");
    EXPECT_STREQ(o.what(), "x.cfg:3:\n abc\n  ^\ndetail");
}

TEST(IosConfigErrors, UnknownCommandsAtTheirWord)
{
    // Commands outside what is modelled are read and listed (issue 14); words close to a
    // modelled command are typing mistakes, at their word, saying what was probably meant.
    EXPECT_TRUE(HasNotModelled(P("foo bar\n"), "foo bar"));
    EXPECT_TRUE(HasNotModelled(P("hostname R\nip foo\n"), "ip foo"));
    EXPECT_TRUE(HasNotModelled(P("interface Serial0\n foo\n"), " foo"));
    EXPECT_IOS_ERROR("hostnme R\n", 1, 0, "did you mean hostname?");
    EXPECT_IOS_ERROR("hostname R\nip rotue 0.0.0.0 0.0.0.0 1.1.1.1\n", 2, 3, "did you mean route?");
    EXPECT_IOS_ERROR("interface Serial0\n ip adress 1.1.1.1 255.0.0.0\n", 2, 4,
                     "did you mean address?");
    EXPECT_IOS_ERROR("interface Serial0\n shutdwon\n", 2, 1, "did you mean shutdown?");
    EXPECT_IOS_ERROR("crypto map m 10\n bar 1\n", 2, 1, "expected set, match");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des\n tunnel\n", 2, 1, "expected mode");
    EXPECT_IOS_ERROR("hostname R1 R2\n", 1, 12, "nothing more expected");
    EXPECT_IOS_ERROR("hostname\n", 1, 9, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto\n", 1, 7, "% Incomplete command.");
    EXPECT_IOS_ERROR("no\n", 1, 3, "% Incomplete command.");
    EXPECT_IOS_ERROR("no no ip cef\n", 1, 3, "after no");
    EXPECT_IOS_ERROR("  ip address 1.1.1.1 255.0.0.0\n", 1, 5, "% Invalid input");
}

// ------------------------------------------------------------------------------ abbreviations

TEST(IosConfigAbbreviations, UniquePrefixesAndCase)
{
    IosRouterConfig c = P("ho R1\n"
                          "int s0\n"
                          " ip add 10.0.0.1 255.255.255.0\n"
                          " cry map vpn\n"
                          " enc p\n"
                          " shut\n"
                          "access-l 101 per ip any any\n"
                          "ip access-l ext web\n"
                          " perm tcp any any eq ww\n"
                          "cry ips trans ts esp-3des esp-sha\n"
                          " mo trans\n"
                          "cry ips sec lif sec 900\n"
                          "cry map vpn 10 ipsec-i\n"
                          " mat add 101\n"
                          " se pe 1.2.3.4\n"
                          " se tr ts\n"
                          " se pf\n"
                          "INTERFACE FASTETHERNET0/0\n"
                          " IP ADDRESS 10.1.0.1 255.255.0.0\n"
                          "ip ro 0.0.0.0 0.0.0.0 10.0.0.2\n");
    EXPECT_EQ(c.hostname, "R1");
    ASSERT_EQ(c.interfaces.size(), 2u);
    EXPECT_EQ(c.interfaces[0].name, "Serial0");
    EXPECT_EQ(c.interfaces[0].cryptoMap, "vpn");
    EXPECT_EQ(c.interfaces[0].encapsulation, IosEncapsulation::PPP);
    EXPECT_TRUE(c.interfaces[0].shutdown);
    EXPECT_EQ(c.interfaces[1].name, "FastEthernet0/0");
    EXPECT_EQ(*c.interfaces[1].address, Ipv4Address("10.1.0.1"));
    EXPECT_EQ(c.accessLists.at("101").entries[0].text, "permit ip any any");
    EXPECT_EQ(c.accessLists.at("web").entries[0].text, "permit tcp any any eq www");
    EXPECT_EQ(c.transformSets.at("ts").mode, IpsecMode::TRANSPORT);
    EXPECT_EQ(c.transformSets.at("ts").ToString(), "esp-3des esp-sha-hmac");
    EXPECT_EQ(c.lifetimeSeconds, 900u);
    const IosCryptoMapEntry* e = Entry(c, "vpn", 10);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->matchAddress, "101");
    EXPECT_EQ(e->peers, std::vector<std::string>{"1.2.3.4"});
    EXPECT_EQ(e->transformSets, std::vector<std::string>{"ts"});
    EXPECT_EQ(e->pfsGroup, 1);
    ASSERT_EQ(c.routes.size(), 1u);
    EXPECT_EQ(*c.routes[0].nextHop, Ipv4Address("10.0.0.2"));
}

TEST(IosConfigAbbreviations, NamesAreCaseSensitive)
{
    IosRouterConfig c = P("crypto ipsec transform-set TS esp-des\n"
                          "crypto map Vpn 10 ipsec-isakmp\n set transform-set TS\n");
    EXPECT_EQ(c.cryptoMaps[0].map, "Vpn");
    EXPECT_IOS_ERROR("crypto ipsec transform-set TS esp-des\n"
                     "crypto map Vpn 10 ipsec-isakmp\n set transform-set ts\n",
                     3, 19, "% Transform set ts is not defined");
}

TEST(IosConfigAbbreviations, AmbiguousPrefixes)
{
    // Globally `i` is interface or ip, `c` is crypto, cdp, clock, ...
    EXPECT_IOS_ERROR("i s0\n", 1, 0, "% Ambiguous command: \"i\"");
    const IosConfigError c = E("c map x 10\n");
    EXPECT_EQ(c.Column(), 0u);
    EXPECT_NE(c.Detail().find("crypto"), std::string::npos);
    EXPECT_NE(c.Detail().find("clock"), std::string::npos);
    // In interface mode `s` is shutdown or speed; `sh` is unique.
    EXPECT_IOS_ERROR("interface Serial0\n s\n", 2, 1, "% Ambiguous command: \"s\"");
    EXPECT_TRUE(P("interface Serial0\n sh\n").interfaces[0].shutdown);
    // The quote holds the command up to the ambiguous word.
    EXPECT_IOS_ERROR("crypto i\n", 1, 7,
                     "% Ambiguous command: \"crypto i\" (ikev2, ipsec or isakmp)");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp\n set p\n", 2, 5,
                     "% Ambiguous command: \"set p\" (peer or pfs)");
    EXPECT_EQ(P("crypto map m 10 ipsec-isakmp\n s pf\n").cryptoMaps[0].pfsGroup, 1);
    // Protocols: `i` could be icmp, igmp, igrp, ip, ipinip; `ip` itself is exact.
    EXPECT_IOS_ERROR("access-list 101 permit i any any\n", 1, 23, "% Ambiguous command");
    // After a destination, `l` could be lt, log or log-input.
    EXPECT_IOS_ERROR("access-list 101 permit tcp any any l 80\n", 1, 35, "% Ambiguous command");
    EXPECT_EQ(P("access-list 101 permit tcp any any lt 80\n").accessLists.at("101").entries[0].text,
              "permit tcp any any lt www");
    // Interface types: `t` is Tunnel or TenGigabitEthernet.
    EXPECT_IOS_ERROR("interface t0\n", 1, 10, "% Ambiguous command");
    // Transforms: `esp-s` could be several.
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des esp-s\n", 1, 37,
                     "% Ambiguous command: \"crypto ipsec transform-set t esp-des esp-s\" "
                     "(esp-sha-hmac, esp-sha256-hmac");
}

TEST(IosConfigInterfaceNames, Canonical)
{
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("s0"), "Serial0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("se0/1"), "Serial0/1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("e0"), "Ethernet0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("eth1"), "Ethernet1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("fa0/0"), "FastEthernet0/0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("gi0/0.100"), "GigabitEthernet0/0.100");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("lo0"), "Loopback0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("tu0"), "Tunnel0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("te1/0/1"), "TenGigabitEthernet1/0/1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("di1"), "Dialer1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("virtual-t1"), "Virtual-Template1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("SERIAL0/0:0.1"), "Serial0/0:0.1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("Serial0"), "Serial0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("at0"), "ATM0");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("as1"), "Async1");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("a1"), "") << "ATM or Async";
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("t0"), "") << "Tunnel or TenGigabitEthernet";
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("foo0"), "");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("Serial"), "");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("Serial0/"), "");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName("0"), "");
    EXPECT_EQ(IosConfigReader::CanonicalInterfaceName(""), "");
}

TEST(IosConfigInterfaceNames, FindInterfaceTakesAbbreviations)
{
    IosRouterConfig c = P("interface Serial0/0\ninterface FastEthernet0/1\ninterface Loopback0\n");
    ASSERT_NE(c.FindInterface("s0/0"), nullptr);
    EXPECT_EQ(c.FindInterface("s0/0")->name, "Serial0/0");
    EXPECT_EQ(c.FindInterface("fa0/1")->name, "FastEthernet0/1");
    EXPECT_EQ(c.FindInterface("Loopback0")->name, "Loopback0");
    EXPECT_EQ(c.FindInterface("lo1"), nullptr);
    EXPECT_EQ(c.FindInterface("x"), nullptr);
}

// ------------------------------------------------------------------------------ interfaces

TEST(IosConfigInterface, ModesEndAsIosEndsThem)
{
    IosRouterConfig c = P("interface Serial0\n"
                          "ip address 10.0.0.1 255.255.255.252\n" // not indented: still Serial0
                          "crypto map m\n"
                          "crypto map m 10 ipsec-isakmp\n" // global: a crypto map entry
                          "interface Serial 1\n"           // "Serial 1" as two words
                          " ip address 10.0.1.1 255.255.255.252\n"
                          "!\n"
                          "interface Ethernet0\n"
                          " ip address 10.1.0.1 255.255.255.0\n"
                          " exit\n"
                          "interface Serial0\n" // re-entered: same interface
                          " description back again\n");
    ASSERT_EQ(c.interfaces.size(), 3u);
    EXPECT_EQ(c.interfaces[0].name, "Serial0");
    EXPECT_EQ(*c.interfaces[0].address, Ipv4Address("10.0.0.1"));
    EXPECT_EQ(c.interfaces[0].cryptoMap, "m");
    EXPECT_EQ(c.interfaces[0].description, "back again");
    EXPECT_EQ(c.interfaces[0].where.line, 1);
    EXPECT_EQ(c.interfaces[1].name, "Serial1");
    EXPECT_EQ(c.interfaces[2].name, "Ethernet0");
    EXPECT_EQ(c.interfaces[2].encapsulation, IosEncapsulation::NONE);
    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    // After `!` or `exit` an interface command is no longer one.
    EXPECT_IOS_ERROR("interface Serial0\n!\n shutdown\n", 3, 1, "% Invalid input");
    EXPECT_IOS_ERROR("interface Serial0\n exit\n shutdown\n", 3, 1, "% Invalid input");
    EXPECT_IOS_ERROR("interface Serial0\nend\n shutdown\n", 3, 1, "% Invalid input");
    // Blank lines do not end it.
    EXPECT_TRUE(P("interface Serial0\n\n shutdown\n").interfaces[0].shutdown);
}

TEST(IosConfigInterface, GreTunnels)
{
    IosRouterConfig c = P("interface Tunnel0\n"
                          " ip address 192.168.100.1 255.255.255.252\n"
                          " tunnel source s0\n"
                          " tunnel destination 172.16.0.2\n"
                          " tunnel mode gre ip\n"
                          " tunnel key 7\n"
                          "interface Tunnel1\n"
                          " tunnel source 172.16.0.1\n");
    const IosInterface& t = *c.FindInterface("Tunnel0");
    EXPECT_EQ(t.tunnelSource, "Serial0");
    EXPECT_EQ(*t.tunnelDestination, Ipv4Address("172.16.0.2"));
    EXPECT_EQ(t.tunnelSourceWhere.line, 3);
    EXPECT_EQ(c.FindInterface("Tunnel1")->tunnelSource, "172.16.0.1");
    EXPECT_FALSE(c.FindInterface("Tunnel1")->tunnelDestination.has_value());
    EXPECT_TRUE(HasNotModelled(c, " tunnel key 7"));
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel mode ipip\n", 2, 13,
                     "tunnel mode ipip is not modelled: only gre ip");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel mode gre multipoint\n", 2, 17,
                     "(mGRE, DMVPN) is not modelled");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel destination 10.0.0\n", 2, 20, "destination");
    EXPECT_IOS_ERROR("interface Serial0\n tunnel source Ethernet0\n", 2, 1,
                     "tunnel commands belong to Tunnel interfaces");
    EXPECT_IOS_ERROR("interface Tunnel0\n tunnel\n", 2, 8, "% Incomplete command.");
    P("interface Tunnel0\n no tunnel source\n no tunnel destination\n");
}

TEST(IosConfigInterface, ArpTimeout)
{
    // As pasted from `show running-config` (CRLF), with the encapsulation commands beside it.
    IosRouterConfig c = P("interface FastEthernet0/0\r\n"
                          " ip address 10.0.0.1 255.255.255.0\r\n"
                          " arp timeout 300\r\n"
                          " arp arpa\r\n"
                          "interface FastEthernet0/1\r\n"
                          " arp time 0\r\n"
                          "interface Ethernet0\r\n"
                          " arp timeout 60\r\n"
                          " no arp timeout\r\n"
                          "interface Serial0\r\n");
    EXPECT_EQ(c.FindInterface("fa0/0")->arpTimeoutSeconds, 300u);
    EXPECT_EQ(c.FindInterface("fa0/1")->arpTimeoutSeconds, 0u) << "0: entries never expire";
    EXPECT_EQ(c.FindInterface("e0")->arpTimeoutSeconds, 14400u) << "back to the IOS default";
    EXPECT_EQ(c.FindInterface("s0")->arpTimeoutSeconds, 14400u);
    EXPECT_TRUE(HasNotModelled(c, " arp arpa"));
    EXPECT_FALSE(HasNotModelled(c, " arp timeout 300"));
    EXPECT_IOS_ERROR("interface Ethernet0\n arp timeout 2147484\n", 2, 13, "0 to 2147483");
    EXPECT_IOS_ERROR("interface Ethernet0\n arp timeout\n", 2, 13, "% Incomplete command.");
    EXPECT_IOS_ERROR("interface Ethernet0\n arp timeout 30 x\n", 2, 16, "x");
}

TEST(IosConfigInterface, Commands)
{
    IosRouterConfig c = P("interface Serial0/0\n"
                          " encapsulation frame-relay ietf\n"
                          " ip access-group 150 in\n"
                          " ip access-group filter-out out\n"
                          " no ip route-cache\n"
                          " ip route-cache flow\n"
                          " no ip route-cache cef\n"
                          " shutdown\n"
                          " no shutdown\n"
                          " bandwidth 64\n"
                          " clock rate 64000\n"
                          " no ip directed-broadcast\n"
                          "interface Serial0/0.1 point-to-point\n"
                          " ip address 10.0.0.1 255.255.255.252\n"
                          "interface Serial0/1\n"
                          " encapsulation hdlc\n"
                          " ip address 10.0.1.1 255.255.255.0\n"
                          " no ip address\n"
                          "interface Loopback0\n"
                          " ip address 10.255.0.1 255.255.255.255\n"
                          " ip address 10.255.1.1 255.255.255.255 secondary\n"
                          "interface FastEthernet0/0\n"
                          " duplex auto\n speed 100\n");
    const IosInterface& s = *c.FindInterface("Serial0/0");
    EXPECT_EQ(s.encapsulation, IosEncapsulation::FRAME_RELAY);
    EXPECT_EQ(s.accessGroupIn, "150");
    EXPECT_EQ(s.accessGroupOut, "filter-out");
    EXPECT_FALSE(s.shutdown);
    EXPECT_EQ(s.routeCache, false);
    EXPECT_EQ(s.routeCacheFlow, true);
    EXPECT_EQ(s.routeCacheCef, false);
    EXPECT_EQ(c.FindInterface("s0/0.1")->encapsulation, IosEncapsulation::FRAME_RELAY)
        << "a sub-interface has the encapsulation of its interface";
    EXPECT_EQ(c.FindInterface("s0/1")->encapsulation, IosEncapsulation::HDLC);
    EXPECT_FALSE(c.FindInterface("s0/1")->address.has_value());
    EXPECT_EQ(*c.FindInterface("lo0")->address, Ipv4Address("10.255.0.1"))
        << "secondary addresses are not modelled";
    EXPECT_EQ(c.FindInterface("lo0")->mask, Ipv4Mask("255.255.255.255"));
    EXPECT_FALSE(c.FindInterface("fa0/0")->routeCache.has_value());
    for (const char* l :
         {" bandwidth 64", " clock rate 64000", " no ip directed-broadcast", " duplex auto",
          " speed 100", " ip address 10.255.1.1 255.255.255.255 secondary"})
    {
        EXPECT_TRUE(HasNotModelled(c, l)) << l;
    }
    // The switching path is modelled (it costs CPU time when the router has a platform).
    EXPECT_FALSE(HasNotModelled(c, " no ip route-cache"));
    EXPECT_EQ(IosRouter::SwitchingPathOf(c, *c.FindInterface("s0/0")), IpsecSwitchingPath::PROCESS);
    auto path = [](const std::string& text)
    {
        IosRouterConfig r = P(text);
        return IosRouter::SwitchingPathOf(r, *r.FindInterface("Serial0"));
    };
    EXPECT_EQ(path("interface Serial0\n"), IpsecSwitchingPath::FAST) << "IOS default";
    EXPECT_EQ(path("ip cef\ninterface Serial0\n"), IpsecSwitchingPath::CEF);
    EXPECT_EQ(path("ip cef\ninterface Serial0\n ip route-cache flow\n"),
              IpsecSwitchingPath::CEF_FLOW);
    EXPECT_EQ(path("ip cef\ninterface Serial0\n no ip route-cache cef\n"),
              IpsecSwitchingPath::FAST);
    EXPECT_EQ(path("interface Serial0\n ip route-cache flow\n"), IpsecSwitchingPath::FAST_FLOW);
    EXPECT_EQ(path("ip cef\ninterface Serial0\n no ip route-cache\n"), IpsecSwitchingPath::PROCESS);
    P("interface Serial0\n no ip access-group in\n no crypto map\n no description\n");
    IosRouterConfig n =
        P("crypto map m 10\ninterface Serial0\n ip access-group 1 in\n crypto map m\n"
          " no ip access-group 1 in\n no crypto map\n");
    EXPECT_EQ(n.interfaces[0].accessGroupIn, "");
    EXPECT_EQ(n.interfaces[0].cryptoMap, "");
}

TEST(IosConfigInterface, Errors)
{
    EXPECT_IOS_ERROR("interface Serial0\n ip address 10.0.0.1 255.0.255.0\n", 2, 21,
                     "% Bad mask 0xFF00FF00 for address 10.0.0.1");
    EXPECT_IOS_ERROR("interface Serial0\n ip address 10.0.0.0 255.255.255.0\n", 2, 21,
                     "% Bad mask /24 for address 10.0.0.0");
    EXPECT_IOS_ERROR("interface Serial0\n ip address 10.0.0.255 255.255.255.0\n", 2, 23,
                     "% Bad mask /24");
    EXPECT_EQ(P("interface Serial0\n ip address 10.0.0.0 255.255.255.254\n")
                  .interfaces[0]
                  .mask.GetPrefixLength(),
              31);
    EXPECT_IOS_ERROR("interface Serial0\n ip address 10.0.0.256 255.0.0.0\n", 2, 12,
                     "expected the interface address");
    EXPECT_IOS_ERROR("interface Serial0\n ip address dhcp\n", 2, 12, "not modelled");
    EXPECT_IOS_ERROR("interface Foo0\n", 1, 10, "expected an interface");
    EXPECT_IOS_ERROR("interface Serial\n", 1, 17, "% Incomplete command.");
    EXPECT_IOS_ERROR("interface Serial0/\n", 1, 10, "bad interface number");
    EXPECT_IOS_ERROR("interface Serial0\n encapsulation x25\n", 2, 15, "hdlc");
    EXPECT_IOS_ERROR("interface Serial0\n ip access-group 200 in\n", 2, 17, "access list");
    EXPECT_IOS_ERROR("interface Serial0\n ip access-group 101 both\n", 2, 21, "in or out");
    EXPECT_IOS_ERROR("interface Serial0\n crypto map\n", 2, 12, "% Incomplete command.");
    EXPECT_IOS_ERROR("interface Serial0\n tunnel source Serial1\n", 2, 1,
                     "tunnel commands belong to Tunnel interfaces");
}

// ------------------------------------------------------------------------------ routes, cef

TEST(IosConfigRoutes, Forms)
{
    IosRouterConfig c = P("ip route 0.0.0.0 0.0.0.0 10.0.0.2\n"
                          "ip route 10.2.0.0 255.255.0.0 Serial0\n"
                          "ip route 10.3.0.0 255.255.0.0 s0/1 10.0.1.2 200\n"
                          "ip route 10.4.0.0 255.255.0.0 10.0.0.6 250 name backup permanent\n"
                          "ip route 10.5.0.0 255.255.0.0 Serial 2\n"
                          "ip route 10.6.0.0 255.255.0.0 10.0.0.9 tag 7\n"
                          "no ip route 10.6.0.0 255.255.0.0\n");
    ASSERT_EQ(c.routes.size(), 5u);
    EXPECT_EQ(c.routes[0].network, Ipv4Address("0.0.0.0"));
    EXPECT_EQ(c.routes[0].mask, Ipv4Mask("0.0.0.0"));
    EXPECT_EQ(*c.routes[0].nextHop, Ipv4Address("10.0.0.2"));
    EXPECT_EQ(c.routes[0].interface, "");
    EXPECT_EQ(c.routes[0].distance, 1);
    EXPECT_EQ(c.routes[1].interface, "Serial0");
    EXPECT_FALSE(c.routes[1].nextHop.has_value());
    EXPECT_EQ(c.routes[2].interface, "Serial0/1");
    EXPECT_EQ(*c.routes[2].nextHop, Ipv4Address("10.0.1.2"));
    EXPECT_EQ(c.routes[2].distance, 200);
    EXPECT_EQ(c.routes[3].distance, 250);
    EXPECT_EQ(c.routes[4].interface, "Serial2");

    EXPECT_IOS_ERROR("ip route 10.0.0.1 255.255.255.0 10.0.0.2\n", 1, 9,
                     "% Inconsistent address and mask");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.0.255.0 10.0.0.2\n", 1, 18,
                     "% Inconsistent address and mask");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.0.0.0\n", 1, 28, "% Incomplete command.");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.0.0.0 nowhere\n", 1, 28, "next-hop");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.0.0.0 10.0.0.1 256\n", 1, 37, "distance");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.0.0.0 10.0.0.1 5 bogus\n", 1, 39, "");
}

TEST(IosConfigRoutes, Cef)
{
    EXPECT_FALSE(P("hostname R\n").ipCef);
    EXPECT_TRUE(P("ip cef\n").ipCef);
    EXPECT_TRUE(P("ip cef distributed\n").ipCef);
    EXPECT_FALSE(P("ip cef\nno ip cef\n").ipCef);
}

// ------------------------------------------------------------------------------ access lists

TEST(IosConfigAcl, Standard)
{
    IosRouterConfig c = P("access-list 1 permit 10.1.1.0 0.0.0.255\n"
                          "access-list 1 deny host 10.2.2.2 log\n"
                          "access-list 1 permit 10.3.3.3\n"
                          "access-list 1300 deny any\n"
                          "access-list 1 remark branch LANs\n");
    const IosAccessList& a = c.accessLists.at("1");
    EXPECT_FALSE(a.extended);
    ASSERT_EQ(a.entries.size(), 3u);
    EXPECT_EQ(a.entries[0].text, "permit 10.1.1.0, wildcard bits 0.0.0.255");
    EXPECT_EQ(a.entries[1].text, "deny 10.2.2.2 log");
    EXPECT_TRUE(a.entries[1].log);
    EXPECT_FALSE(a.entries[1].permit);
    EXPECT_EQ(a.entries[2].text, "permit 10.3.3.3");
    EXPECT_EQ(a.entries[0].seq, 10u);
    EXPECT_EQ(a.entries[2].seq, 30u);
    EXPECT_EQ(a.entries[1].where.line, 2);
    // Standard lists look at the source only.
    EXPECT_TRUE(a.entries[0].selector.Matches(Flow("10.1.1.9", "192.0.2.1", 6, 1, 2)));
    EXPECT_FALSE(a.entries[0].selector.Matches(Flow("10.1.2.9", "192.0.2.1")));
    EXPECT_TRUE(a.entries[1].selector.Matches(Flow("10.2.2.2", "8.8.8.8", 1)));
    EXPECT_FALSE(a.entries[1].selector.Matches(Flow("10.2.2.3", "8.8.8.8", 1)));
    EXPECT_TRUE(a.entries[2].selector.Matches(Flow("10.3.3.3", "1.1.1.1")));
    EXPECT_EQ(c.accessLists.at("1300").entries[0].text, "deny any");
    EXPECT_TRUE(c.accessLists.at("1300").entries[0].selector.Matches(Flow("1.2.3.4", "5.6.7.8")));
    EXPECT_TRUE(HasNotModelled(c, "access-list 1 remark branch LANs"));
}

TEST(IosConfigAcl, ExtendedProtocolsAndAddresses)
{
    IosRouterConfig c = P("access-list 101 permit ip 10.0.0.5 0.0.0.255 host 10.9.9.9\n"
                          "access-list 101 permit esp any any\n"
                          "access-list 101 permit ahp any any\n"
                          "access-list 101 permit 50 any any\n"
                          "access-list 101 deny 0 any any\n"
                          "access-list 101 permit gre host 1.1.1.1 host 2.2.2.2\n"
                          "access-list 101 permit 99 any any\n"
                          "access-list 101 permit icmp any any log-input\n"
                          "access-list 2000 permit ip 10.0.0.0 0.255.0.255 any\n");
    const auto& e = c.accessLists.at("101").entries;
    ASSERT_EQ(e.size(), 8u);
    EXPECT_EQ(e[0].text, "permit ip 10.0.0.0 0.0.0.255 host 10.9.9.9")
        << "IOS clears the don't-care bits of the address";
    EXPECT_EQ(e[0].selector.srcAddr, Ipv4Address("10.0.0.0"));
    EXPECT_EQ(e[0].selector.srcWildcard, 0xffu);
    EXPECT_EQ(e[0].selector.dstWildcard, 0u);
    EXPECT_EQ(e[1].selector.protocol, 50);
    EXPECT_EQ(e[2].selector.protocol, 51);
    EXPECT_EQ(e[2].text, "permit ahp any any");
    EXPECT_EQ(e[3].text, "permit esp any any") << "protocol numbers print as their names";
    EXPECT_EQ(e[4].text, "deny ip any any");
    EXPECT_EQ(e[4].selector.protocol, 0);
    EXPECT_EQ(e[5].selector.protocol, 47);
    EXPECT_EQ(e[6].text, "permit 99 any any");
    EXPECT_EQ(e[7].text, "permit icmp any any log-input");
    EXPECT_TRUE(e[7].log);
    EXPECT_TRUE(e[0].selector.Matches(Flow("10.0.0.77", "10.9.9.9", 6, 5, 6)));
    EXPECT_FALSE(e[0].selector.Matches(Flow("10.0.0.77", "10.9.9.8")));
    EXPECT_TRUE(e[1].selector.Matches(Flow("1.2.3.4", "5.6.7.8", 50)));
    EXPECT_FALSE(e[1].selector.Matches(Flow("1.2.3.4", "5.6.7.8", 51)));
    // Wildcards need not be contiguous: 0.255.0.255 = 10.x.0.y
    const auto& w = c.accessLists.at("2000").entries[0];
    EXPECT_EQ(w.text, "permit ip 10.0.0.0 0.255.0.255 any");
    EXPECT_TRUE(w.selector.Matches(Flow("10.7.0.9", "1.1.1.1")));
    EXPECT_FALSE(w.selector.Matches(Flow("10.7.1.9", "1.1.1.1")));
}

TEST(IosConfigAcl, Ports)
{
    IosRouterConfig c = P("access-list 110 permit tcp any host 10.0.0.1 eq www\n"
                          "access-list 110 permit tcp any eq 1023 any eq 23\n"
                          "access-list 110 permit udp any any eq isakmp\n"
                          "access-list 110 permit udp any any eq non500-isakmp\n"
                          "access-list 110 permit udp host 1.1.1.1 range bootps bootpc any\n"
                          "access-list 110 permit tcp any gt 1023 any lt 1024 log\n"
                          "access-list 110 deny tcp any any neq smtp\n"
                          "access-list 110 permit udp any any eq 514\n"
                          "access-list 110 permit tcp any any eq 514\n"
                          "access-list 110 permit udp any any range 1 65535\n"
                          "access-list 110 permit 6 any any eq 80\n");
    const auto& e = c.accessLists.at("110").entries;
    ASSERT_EQ(e.size(), 11u);
    EXPECT_EQ(e[0].text, "permit tcp any host 10.0.0.1 eq www");
    EXPECT_EQ(e[1].text, "permit tcp any eq 1023 any eq telnet");
    EXPECT_EQ(e[2].text, "permit udp any any eq isakmp");
    EXPECT_EQ(e[3].text, "permit udp any any eq non500-isakmp");
    EXPECT_EQ(e[4].text, "permit udp host 1.1.1.1 range bootps bootpc any");
    EXPECT_EQ(e[5].text, "permit tcp any gt 1023 any lt 1024 log");
    EXPECT_EQ(e[6].text, "deny tcp any any neq smtp");
    EXPECT_EQ(e[7].text, "permit udp any any eq syslog");
    EXPECT_EQ(e[8].text, "permit tcp any any eq cmd");
    EXPECT_EQ(e[10].text, "permit tcp any any eq www");

    EXPECT_TRUE(e[0].selector.Matches(Flow("9.9.9.9", "10.0.0.1", 6, 40000, 80)));
    EXPECT_FALSE(e[0].selector.Matches(Flow("9.9.9.9", "10.0.0.1", 6, 40000, 81)));
    EXPECT_FALSE(e[0].selector.Matches(Flow("9.9.9.9", "10.0.0.1", 17, 40000, 80)));
    EXPECT_TRUE(e[1].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1023, 23)));
    EXPECT_FALSE(e[1].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1024, 23)));
    EXPECT_TRUE(e[2].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 17, 500, 500)));
    EXPECT_TRUE(e[3].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 17, 4500, 4500)));
    EXPECT_EQ(e[4].selector.srcPort.op, IpsecPortMatch::Op::RANGE);
    EXPECT_EQ(e[4].selector.srcPort.lo, 67);
    EXPECT_EQ(e[4].selector.srcPort.hi, 68);
    EXPECT_TRUE(e[4].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 17, 68, 9)));
    EXPECT_FALSE(e[4].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 17, 69, 9)));
    EXPECT_TRUE(e[5].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1024, 1023)));
    EXPECT_FALSE(e[5].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1023, 1023)));
    EXPECT_FALSE(e[5].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1024, 1024)));
    EXPECT_TRUE(e[6].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1, 26)));
    EXPECT_FALSE(e[6].selector.Matches(Flow("1.1.1.1", "2.2.2.2", 6, 1, 25)));
    EXPECT_EQ(e[10].selector.protocol, 6);
}

TEST(IosConfigAcl, Named)
{
    IosRouterConfig c = P("ip access-list extended vpn-traffic\n"
                          " remark the LANs\n"
                          " permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
                          " 5 deny ip host 10.0.0.9 any\n"
                          " 40 permit udp any any eq 500\n"
                          " permit tcp any any\n"
                          " 30 deny icmp any any\n"
                          " no 40\n"
                          " exit\n"
                          "ip access-list standard mgmt\n"
                          " permit host 10.0.0.1\n"
                          "ip access-list extended 150\n"
                          " permit esp any any\n"
                          "access-list 150 permit ahp any any\n");
    const auto& v = c.accessLists.at("vpn-traffic");
    EXPECT_TRUE(v.extended);
    EXPECT_EQ(v.name, "vpn-traffic");
    ASSERT_EQ(v.entries.size(), 4u);
    EXPECT_EQ(v.entries[0].seq, 5u);
    EXPECT_EQ(v.entries[0].text, "deny ip host 10.0.0.9 any");
    EXPECT_EQ(v.entries[1].seq, 10u);
    EXPECT_EQ(v.entries[2].seq, 30u);
    EXPECT_EQ(v.entries[2].text, "deny icmp any any");
    EXPECT_EQ(v.entries[3].seq, 50u) << "after 40, the last one then";
    EXPECT_EQ(v.entries[3].text, "permit tcp any any");
    EXPECT_FALSE(c.accessLists.at("mgmt").extended);
    EXPECT_EQ(c.accessLists.at("mgmt").entries[0].text, "permit 10.0.0.1");
    EXPECT_EQ(c.accessLists.at("150").entries.size(), 2u);
    EXPECT_TRUE(HasNotModelled(c, " remark the LANs"));
    // An empty list is a list.
    EXPECT_EQ(P("ip access-list extended empty\n").accessLists.at("empty").entries.size(), 0u);
    // Removing lines and lists.
    IosRouterConfig r = P("ip access-list extended x\n permit ip any any\n deny tcp any any\n"
                          " no permit ip any any\n"
                          "access-list 101 permit ip any any\nno access-list 101\n");
    EXPECT_EQ(r.accessLists.at("x").entries.size(), 1u);
    EXPECT_EQ(r.accessLists.count("101"), 0u);
    EXPECT_EQ(P("ip access-list extended x\nno ip access-list extended x\n").accessLists.size(),
              0u);
}

TEST(IosConfigAcl, Errors)
{
    EXPECT_IOS_ERROR("access-list 200 permit ip any any\n", 1, 12, "1-99, 100-199");
    EXPECT_IOS_ERROR("access-list 0 permit any\n", 1, 12, "1-99");
    EXPECT_IOS_ERROR("access-list x permit any\n", 1, 12, "access list number");
    EXPECT_IOS_ERROR("access-list 101 allow ip any any\n", 1, 16, "deny, permit or remark");
    EXPECT_IOS_ERROR("access-list 101 permit foo any any\n", 1, 23, "expected a protocol");
    EXPECT_IOS_ERROR("access-list 101 permit 256 any any\n", 1, 23, "0-255");
    EXPECT_IOS_ERROR("access-list 101 permit ip any\n", 1, 30, "% Incomplete command.");
    EXPECT_IOS_ERROR("access-list 101 permit ip 10.0.0.0 any\n", 1, 35, "wildcard");
    EXPECT_IOS_ERROR("access-list 101 permit ip 10.0.0.0\n", 1, 35, "% Incomplete command.");
    EXPECT_IOS_ERROR("access-list 101 permit ip any eq 80 any\n", 1, 30, "expected any, host");
    EXPECT_IOS_ERROR("access-list 101 permit ip any any eq 80\n", 1, 34, "log");
    EXPECT_IOS_ERROR("access-list 101 permit tcp any any eq 70000\n", 1, 38, "port");
    // isakmp is a UDP port name.
    EXPECT_IOS_ERROR("access-list 101 permit tcp any any eq isakmp\n", 1, 38, "port");
    EXPECT_IOS_ERROR("access-list 101 permit udp any any range 600 500\n", 1, 45, "range");
    EXPECT_IOS_ERROR("access-list 101 permit tcp any any established\n", 1, 35,
                     "established is not modelled");
    EXPECT_IOS_ERROR("access-list 101 permit icmp any any echo\n", 1, 36,
                     "ICMP message types are not modelled");
    EXPECT_IOS_ERROR("access-list 101 permit ip host any any\n", 1, 31, "address");
    EXPECT_IOS_ERROR("access-list 1 permit any any\n", 1, 25, "log");
    EXPECT_IOS_ERROR("access-list 1 permit tcp any\n", 1, 21, "expected any, host");
    EXPECT_IOS_ERROR("ip access-list extended 10\n", 1, 24, "100-199");
    EXPECT_IOS_ERROR("ip access-list standard 101\n", 1, 24, "1-99");
    EXPECT_IOS_ERROR("ip access-list standard x\nip access-list extended x\n", 2, 24,
                     "already a standard list");
    EXPECT_IOS_ERROR("ip access-list extended x\n 10 permit ip any any\n 10 deny ip any any\n", 3,
                     1, "% Duplicate sequence number");
    EXPECT_IOS_ERROR("ip access-list extended x\n permit any\n", 2, 8, "expected a protocol");
    EXPECT_IOS_ERROR("ip access-list standard x\n permit ip any\n", 2, 8, "expected any, host");
    EXPECT_IOS_ERROR("ip access-list standard x\n 10 exit\n", 2, 4, "after a sequence number");
}

// ------------------------------------------------------------------------------ transform sets

TEST(IosConfigTransformSet, ParsedWithTable25)
{
    IosRouterConfig c = P("crypto ipsec transform-set a ah-md5-hmac esp-des esp-md5-hmac comp-lzs\n"
                          "crypto ipsec transform-set b esp-aes 256 esp-sha-hmac\n"
                          " mode transport\n"
                          " exit\n"
                          "crypto ipsec transform-set c ESP-NULL ESP-SHA-HMAC\n"
                          " mode tunnel\n"
                          "crypto ipsec transform-set d esp-rfc1829\n"
                          " mode transport\n"
                          " no mode\n"
                          "crypto ipsec transform-set b esp-3des\n");
    EXPECT_EQ(c.transformSets.at("a").ToString(), "ah-md5-hmac esp-des esp-md5-hmac comp-lzs");
    EXPECT_EQ(c.transformSets.at("b").ToString(), "esp-3des") << "redefined";
    EXPECT_EQ(c.transformSets.at("b").mode, IpsecMode::TRANSPORT) << "the mode stays";
    EXPECT_EQ(c.transformSets.at("c").ToString(), "esp-null esp-sha-hmac");
    EXPECT_EQ(c.transformSets.at("d").mode, IpsecMode::TUNNEL);
    EXPECT_TRUE(c.transformSets.at("d").espRfc1829);
    EXPECT_EQ(P("crypto ipsec transform-set x esp-des\n mode\n").transformSets.at("x").mode,
              IpsecMode::TUNNEL);
    EXPECT_EQ(P("crypto ipsec transform-set x esp-des\nno crypto ipsec transform-set x\n")
                  .transformSets.size(),
              0u);
}

TEST(IosConfigTransformSet, ErrorsAtTheWord)
{
    // The transform set's error names a word; the caret goes under it.
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des esp-3des\n", 1, 37,
                     "more than one ESP encryption transform");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des esp-md5-hmac esp-sha-hmac\n", 1, 50,
                     "more than one ESP authentication");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des foo\n", 1, 37, "unknown transform");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t ah-md5-hmac ah-sha-hmac\n", 1, 41, "AH");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-aes 100\n", 1, 37, "AES key size");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t\n", 1, 29, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto ipsec transform-set\n", 1, 27, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto ipsec transform-set t esp-des\n mode sideways\n", 2, 6,
                     "tunnel or transport");
}

TEST(IosConfigTransformSet, GlobalLifetimes)
{
    IosRouterConfig c = P("crypto ipsec security-association lifetime seconds 120\n"
                          "crypto ipsec security-association lifetime kilobytes 536870912\n");
    EXPECT_EQ(c.lifetimeSeconds, 120u);
    EXPECT_EQ(c.lifetimeKilobytes, 536870912u);
    EXPECT_EQ(P("crypto ipsec security-association lifetime seconds 86400\n").lifetimeSeconds,
              86400u);
    EXPECT_EQ(P("crypto ipsec security-association lifetime kilobytes 2560\n"
                "no crypto ipsec security-association lifetime kilobytes\n")
                  .lifetimeKilobytes,
              4608000u);
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime seconds 119\n", 1, 51,
                     "120 to 86400");
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime seconds 86401\n", 1, 51,
                     "120 to 86400");
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime kilobytes 2559\n", 1, 53,
                     "2560 to 536870912");
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime kilobytes 536870913\n", 1, 53,
                     "2560 to 536870912");
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime hours 1\n", 1, 43,
                     "kilobytes or seconds");
    EXPECT_IOS_ERROR("crypto ipsec security-association lifetime seconds\n", 1, 51,
                     "% Incomplete command.");
}

// ------------------------------------------------------------------------------ crypto maps

TEST(IosConfigCryptoMap, IsakmpEntry)
{
    IosRouterConfig c = P("crypto ipsec transform-set t1 esp-des\n"
                          "crypto ipsec transform-set t2 esp-3des\n"
                          "crypto ipsec transform-set t3 ah-sha-hmac\n"
                          "access-list 120 permit ip any any\n"
                          "access-list 120 permit tcp any any\n"
                          "crypto map vpn 20 ipsec-isakmp\n"
                          " description second entry\n"
                          " match address 120\n"
                          " set peer 10.0.0.1\n"
                          " set peer 10.0.0.2\n"
                          " set peer hq.example.net\n"
                          " set peer 10.0.0.1\n"
                          " set transform-set t1 t2 t3 t1 t2 t3\n"
                          " set security-association lifetime seconds 900\n"
                          " set security-association lifetime kilobytes 10000\n"
                          " set security-association level per-host\n"
                          " set pfs group14\n"
                          "crypto map vpn 10\n"
                          " set pfs group5\n"
                          "crypto map other 5 ipsec-isakmp\n"
                          "crypto map vpn 10 ipsec-isakmp\n"
                          " set peer 10.0.0.9\n");
    ASSERT_EQ(c.cryptoMaps.size(), 3u);
    EXPECT_EQ(c.cryptoMaps[0].map, "other") << "sorted by map name, then sequence";
    EXPECT_EQ(c.cryptoMaps[1].seq, 10u);
    EXPECT_EQ(c.cryptoMaps[2].seq, 20u);
    const IosCryptoMapEntry& e = *Entry(c, "vpn", 20);
    EXPECT_EQ(e.kind, IosCryptoMapKind::IPSEC_ISAKMP);
    EXPECT_EQ(e.description, "second entry");
    EXPECT_EQ(e.matchAddress, "120") << "two permits are fine with IKE";
    EXPECT_EQ(e.peers, (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "hq.example.net"}));
    EXPECT_EQ(e.transformSets.size(), 6u);
    EXPECT_EQ(e.transformSets[2], "t3");
    EXPECT_EQ(e.lifetimeSeconds, 900u);
    EXPECT_EQ(e.lifetimeKilobytes, 10000u);
    EXPECT_TRUE(e.perHost);
    EXPECT_EQ(e.pfsGroup, 14);
    EXPECT_EQ(e.where.line, 6);
    const IosCryptoMapEntry& ten = *Entry(c, "vpn", 10);
    EXPECT_EQ(ten.kind, IosCryptoMapKind::IPSEC_ISAKMP) << "the default kind";
    EXPECT_EQ(ten.pfsGroup, 5);
    EXPECT_EQ(ten.peers, std::vector<std::string>{"10.0.0.9"}) << "re-entered, modified";
    EXPECT_EQ(ten.where.line, 18);
    EXPECT_FALSE(ten.lifetimeSeconds.has_value());
    EXPECT_FALSE(ten.perHost);

    IosRouterConfig n = P("crypto ipsec transform-set t1 esp-des\n"
                          "crypto map vpn 20 ipsec-isakmp\n"
                          " set peer 10.0.0.1\n set peer 10.0.0.2\n no set peer 10.0.0.1\n"
                          " set pfs group2\n no set pfs\n"
                          " set transform-set t1\n no set transform-set\n"
                          " set security-association level per-host\n"
                          " no set security-association level per-host\n"
                          " set security-association lifetime seconds 900\n"
                          " no set security-association lifetime seconds\n"
                          " match address 101\n no match address 101\n"
                          " set transform-set undefined-but-removed\n no set transform-set\n");
    const IosCryptoMapEntry& x = n.cryptoMaps[0];
    EXPECT_EQ(x.peers, std::vector<std::string>{"10.0.0.2"});
    EXPECT_FALSE(x.pfsGroup.has_value());
    EXPECT_TRUE(x.transformSets.empty());
    EXPECT_FALSE(x.perHost);
    EXPECT_FALSE(x.lifetimeSeconds.has_value());
    EXPECT_EQ(x.matchAddress, "");
}

TEST(IosConfigCryptoMap, DynamicMapsAndLocalAddress)
{
    IosRouterConfig c = P("crypto ipsec transform-set t esp-3des esp-sha-hmac\n"
                          "crypto dynamic-map dyn 20\n"
                          " set transform-set t\n"
                          " match address 130\n"
                          "crypto dynamic-map dyn 10\n"
                          " set transform-set t\n"
                          " set pfs group2\n"
                          "crypto map vpn 100 ipsec-isakmp dynamic dyn\n"
                          "crypto map vpn local-address Loopback0\n"
                          "interface Loopback0\n ip address 10.255.0.1 255.255.255.255\n"
                          "interface Serial0\n crypto map vpn\n");
    ASSERT_EQ(c.dynamicMaps.size(), 2u);
    EXPECT_EQ(c.dynamicMaps[0].seq, 10u);
    EXPECT_EQ(c.dynamicMaps[0].kind, IosCryptoMapKind::DYNAMIC_TEMPLATE);
    EXPECT_EQ(c.dynamicMaps[0].pfsGroup, 2);
    EXPECT_EQ(c.dynamicMaps[1].matchAddress, "130");
    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    EXPECT_EQ(c.cryptoMaps[0].kind, IosCryptoMapKind::DYNAMIC_REFERENCE);
    EXPECT_EQ(c.cryptoMaps[0].dynamicMap, "dyn");
    EXPECT_EQ(c.localAddress.at("vpn"), "Loopback0");
    EXPECT_EQ(P("crypto map vpn local-address lo0\n").localAddress.at("vpn"), "Loopback0");
    // An entry that refers to a dynamic map has no sub-commands.
    EXPECT_IOS_ERROR("crypto map vpn 100 ipsec-isakmp dynamic dyn\n set peer 1.1.1.1\n", 2, 1,
                     "% Invalid input");
    // Dynamic maps are for IKE: no session keys.
    EXPECT_IOS_ERROR("crypto dynamic-map d 10\n set session-key inbound ah 300 00\n", 2, 5,
                     "only in ipsec-manual entries");
    EXPECT_IOS_ERROR("crypto dynamic-map d 10 ipsec-isakmp\n", 1, 24, "nothing more");
}

TEST(IosConfigCryptoMap, Errors)
{
    EXPECT_IOS_ERROR("crypto map m 0 ipsec-isakmp\n", 1, 13, "1 to 65535");
    EXPECT_IOS_ERROR("crypto map m 65536\n", 1, 13, "1 to 65535");
    EXPECT_IOS_ERROR("crypto map m 10 cisco\n", 1, 16, "ipsec-manual or ipsec-isakmp");
    EXPECT_IOS_ERROR("crypto map m\n", 1, 13, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp dynamic\n", 1, 37, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\ncrypto map m 10 ipsec-isakmp\n", 2, 16,
                     "is ipsec-manual");
    EXPECT_IOS_ERROR("crypto map m 10\n match address 10\n", 2, 15, "extended access list");
    EXPECT_IOS_ERROR("crypto map m 10\n set peer 10.0.0\n", 2, 10, "peer's address");
    EXPECT_IOS_ERROR("crypto map m 10\n set pfs group3\n", 2, 9, "group1, group2");
    EXPECT_IOS_ERROR("crypto map m 10\n set pfs group22\n", 2, 9, "group21 or group24");
    EXPECT_IOS_ERROR("crypto map m 10\n set pfs group 19\n", 2, 9, "");
    for (int g : {14, 15, 16, 19, 20, 21, 24})
    {
        const std::string text =
            "crypto map m 10 ipsec-isakmp\n set pfs group" + std::to_string(g) + "\n";
        EXPECT_EQ(P(text).cryptoMaps[0].pfsGroup, g) << g;
    }
    EXPECT_IOS_ERROR("crypto map m 10\n set security-association lifetime seconds 60\n", 2, 43,
                     "120 to 86400");
    EXPECT_IOS_ERROR("crypto map m 10\n set transform-set a b c d e f g\n", 2, 31, "at most six");
    EXPECT_IOS_ERROR("crypto map m 10\n set transform-set\n", 2, 19, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto map m 10\n set session-key inbound esp 300 cipher 00\n", 2, 5,
                     "only in ipsec-manual");
    // Checked at the end, at the line that named it.
    EXPECT_IOS_ERROR("crypto map m 10\n set transform-set nothere\n", 2, 19,
                     "% Transform set nothere is not defined");
    EXPECT_IOS_ERROR("interface Serial0\n crypto map nomap\n", 2, 12,
                     "% Crypto map nomap is not defined");
    EXPECT_IOS_ERROR("ip access-list standard s\n permit any\ncrypto map m 10\n match address s\n",
                     4, 15, "standard list");
    // A map defined after the interface is fine; a removed one is not. (In interface mode
    // `no crypto map x` is the interface's own command.)
    P("interface Serial0\n crypto map later\ncrypto map later 10\n");
    EXPECT_IOS_ERROR("crypto map x 10\ninterface Serial0\n crypto map x\n!\nno crypto map x\n", 3,
                     12, "not defined");
    // The first of several errors, in line order.
    EXPECT_IOS_ERROR("crypto map m 10\n set transform-set a\ninterface Serial0\n crypto map z\n", 2,
                     19, "Transform set a");
}

TEST(IosConfigCryptoMap, ManualEntry)
{
    IosRouterConfig c =
        P("crypto ipsec transform-set t ah-sha-hmac esp-des esp-md5-hmac\n"
          "crypto map m 10 ipsec-manual\n"
          " set peer 10.0.0.2\n"
          " set peer 10.0.0.2\n"
          " set transform-set t\n"
          " match address 101\n"
          " set session-key inbound ah 256 00112233445566778899aabbccddeeff00112233\n"
          " set session-key outbound ah 4294967295 "
          "ffeeddccbbaa99887766554433221100ffeeddcc\n"
          " set session-key inbound esp 0x1000 cipher 0123456789ABCDEF "
          "authenticator 000102030405060708090a0b0c0d0e0f\n"
          " set session-key outbound esp 4097 cipher 1123456789abcdef\n"
          " set session-key outbound esp 4098 cipher 2123456789abcdef "
          "authenticator 100102030405060708090a0b0c0d0e0f\n"
          "access-list 101 deny ip host 10.0.0.9 any\n"
          "access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n");
    const IosCryptoMapEntry& e = c.cryptoMaps[0];
    EXPECT_EQ(e.kind, IosCryptoMapKind::IPSEC_MANUAL);
    EXPECT_EQ(e.peers.size(), 1u) << "the same peer twice is one peer";
    ASSERT_EQ(e.sessionKeys.size(), 4u) << "a second outbound esp key replaces the first";
    EXPECT_TRUE(e.sessionKeys[0].inbound);
    EXPECT_EQ(e.sessionKeys[0].protocol, IpsecProtocol::AH);
    EXPECT_EQ(e.sessionKeys[0].spi, 256u);
    EXPECT_EQ(e.sessionKeys[0].authKey.size(), 20u);
    EXPECT_EQ(e.sessionKeys[0].authKey[1], 0x11);
    EXPECT_TRUE(e.sessionKeys[0].cipherKey.empty());
    EXPECT_FALSE(e.sessionKeys[1].inbound);
    EXPECT_EQ(e.sessionKeys[1].spi, 4294967295u);
    EXPECT_EQ(e.sessionKeys[2].protocol, IpsecProtocol::ESP);
    EXPECT_EQ(e.sessionKeys[2].spi, 4096u);
    EXPECT_EQ(e.sessionKeys[2].cipherKey,
              (std::vector<uint8_t>{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}));
    EXPECT_EQ(e.sessionKeys[2].authKey.size(), 16u);
    EXPECT_EQ(e.sessionKeys[3].spi, 4098u);
    EXPECT_EQ(e.sessionKeys[3].cipherKey[0], 0x21);
    EXPECT_EQ(e.sessionKeys[3].authKey[0], 0x10);

    IosRouterConfig a = P("crypto map m 10 ipsec-manual\n"
                          " set session-key inbound esp 300 authenticator 0011\n"
                          " set session-key outbound esp 301 authenticator 0011\n"
                          " no set session-key outbound esp\n");
    ASSERT_EQ(a.cryptoMaps[0].sessionKeys.size(), 1u);
    EXPECT_TRUE(a.cryptoMaps[0].sessionKeys[0].cipherKey.empty());
    EXPECT_EQ(a.cryptoMaps[0].sessionKeys[0].authKey, (std::vector<uint8_t>{0x00, 0x11}));
}

TEST(IosConfigCryptoMap, ManualEntryRestrictions)
{
    // The spec: only one peer, only one transform set, and an access list with one permit.
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set peer 10.0.0.2\n set peer 10.0.0.3\n", 3,
                     10, "only one peer");
    EXPECT_IOS_ERROR("crypto ipsec transform-set a esp-des\ncrypto ipsec transform-set b esp-3des\n"
                     "crypto map m 10 ipsec-manual\n set transform-set a b\n",
                     4, 21, "exactly one transform set");
    // The list is defined after the map: checked at the end, reported at `match address`.
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n match address 101\n"
                     "access-list 101 permit ip 10.0.0.0 0.0.0.255 any\n"
                     "access-list 101 deny ip any any\n"
                     "access-list 101 permit ip 10.1.0.0 0.0.0.255 any\n",
                     2, 15, "has 2 permit entries");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n match address 101\n"
                     "access-list 101 deny ip any any\n",
                     2, 15, "has 0 permit entries");
    // Re-entering the entry keeps it manual.
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set peer 1.1.1.1\ncrypto map m 10\n"
                     " set peer 2.2.2.2\n",
                     4, 10, "only one peer");
    // A list not (yet) defined is accepted: the entry is incomplete until it exists.
    P("crypto map m 10 ipsec-manual\n match address 199\n");
    // Session keys.
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound ah 255 00\n", 2, 28,
                     "256 to 4294967295");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound ah 4294967296 00\n", 2,
                     28, "256 to 4294967295");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound ah 300 0g\n", 2, 32,
                     "hexadecimal");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound ah 300 abc\n", 2, 32,
                     "even number");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound esp 300 00\n", 2, 33,
                     "authenticator or cipher");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key sideways ah 300 00\n", 2, 17,
                     "inbound or outbound");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-manual\n set session-key inbound esp 300 cipher\n", 2,
                     40, "% Incomplete command.");
}

TEST(IosConfigCryptoMap, NoForms)
{
    IosRouterConfig c = P("hostname R1\n"
                          "no hostname\n"
                          "interface Loopback1\n"
                          "no interface Loopback1\n"
                          "crypto ipsec transform-set t esp-des\n"
                          "crypto map m 10\n set transform-set t\n"
                          "crypto map m 20\n set transform-set gone\n"
                          "no crypto map m 20 ipsec-isakmp\n"
                          "crypto map n 10\n set transform-set gone-too\n"
                          "no crypto map n\n"
                          "crypto map m local-address Serial0\n"
                          "no crypto map m local-address\n"
                          "crypto dynamic-map d 10\n"
                          "crypto dynamic-map d 20\n"
                          "no crypto dynamic-map d 10\n"
                          "end\n"
                          "hostname after-end\n");
    EXPECT_EQ(c.hostname, "after-end");
    EXPECT_TRUE(c.interfaces.empty());
    ASSERT_EQ(c.cryptoMaps.size(), 1u) << "undefined sets of removed entries are not errors";
    EXPECT_EQ(c.cryptoMaps[0].seq, 10u);
    EXPECT_TRUE(c.localAddress.empty());
    ASSERT_EQ(c.dynamicMaps.size(), 1u);
    EXPECT_EQ(c.dynamicMaps[0].seq, 20u);
    EXPECT_FALSE(HasNotModelled(c, "end")) << "end is no command: it leaves configuration mode";
}

// ------------------------------------------------------------------------------ not modelled

TEST(IosConfigNotModelled, BannersAndBlocks)
{
    IosRouterConfig c = P("banner motd ^C\n"
                          "interface Serial0 is not a command here\n"
                          "  ^ nor this\n"
                          "^C\n"
                          "banner login #one line#\n"
                          "banner exec $\n"
                          "text$\n"
                          "banner %all on the first line but closed later\n"
                          "more %\n"
                          "line vty 0 4\n"
                          " password 7 0822455D0A16\n"
                          " login\n"
                          "line con 0\n"
                          "exec-timeout 0 0\n" // a line sub-command without indentation
                          "router ospf 1\n"
                          " network 10.0.0.0 0.255.255.255 area 0\n"
                          "router rip\n"
                          " version 2\n"
                          " network 10.0.0.0\n"
                          " no auto-summary\n"
                          "crypto isakmp policy 10\n"
                          " encr 3des\n"
                          " authentication pre-share\n"
                          "crypto isakmp key secret address 10.0.0.2\n"
                          "control-plane\n"
                          "!\n"
                          "no service pad\n"
                          "service timestamps debug uptime\n"
                          "end\n");
    EXPECT_TRUE(c.interfaces.empty()) << "inside the banner";
    for (const char* l : {"banner motd ^C", "banner login #one line#", "banner exec $",
                          "line vty 0 4", " password 7 0822455D0A16", " login", "exec-timeout 0 0",
                          "router rip", " network 10.0.0.0", " version 2", " no auto-summary",
                          "control-plane", "no service pad", "service timestamps debug uptime"})
    {
        EXPECT_TRUE(HasNotModelled(c, l)) << l;
    }
    // `router ospf` with its network statements is read (and approximated; ios-tunnel-test.cc).
    EXPECT_FALSE(HasNotModelled(c, "router ospf 1"));
    ASSERT_EQ(c.routingProcesses.size(), 1u);
    EXPECT_EQ(c.routingProcesses[0].networks.size(), 1u);
    // IKE lines are modelled now (test/ios/ios-isakmp-config-test.cc).
    for (const char* l : {"crypto isakmp policy 10", " encr 3des", " authentication pre-share",
                          "crypto isakmp key secret address 10.0.0.2"})
    {
        EXPECT_FALSE(HasNotModelled(c, l)) << l;
    }
    ASSERT_EQ(c.isakmpPolicies.count(10), 1u);
    EXPECT_EQ(c.isakmpPolicies.at(10).encryption, IosIsakmpEncryption::TRIPLE_DES);
    EXPECT_EQ(c.isakmpPolicies.at(10).authentication, IosIsakmpAuthentication::PRE_SHARE);
    ASSERT_EQ(c.isakmpKeys.size(), 1u);
    EXPECT_EQ(c.isakmpKeys[0].key, "secret");
    EXPECT_FALSE(HasNotModelled(c, "!")) << "comments are not listed";
    EXPECT_IOS_ERROR("hostname R\nbanner motd ^C\nnever closed\n", 2, 12,
                     "% Banner not terminated");
    EXPECT_IOS_ERROR("banner motd\n", 1, 12, "% Incomplete command.");
    // After a block a command we do not know starts a block of its own; a mistyped modelled
    // command is still an error.
    EXPECT_TRUE(
        HasNotModelled(P("router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\nbogus\n"), "bogus"));
    EXPECT_IOS_ERROR("router ospf 1\n network 10.0.0.0 0.0.0.255 area 0\nacess-list 1 permit any\n",
                     3, 0, "did you mean access-list?");
}

// ------------------------------------------------------------------------------ a real router

TEST(IosConfigRunningConfig, Ios122Router)
{
    IosRouterConfig c = IosConfigReader::ParseFile(kData + "r1-running-config.cfg");
    EXPECT_EQ(c.hostname, "branch-r1");
    EXPECT_TRUE(c.ipCef);
    EXPECT_EQ(c.lifetimeSeconds, 1800u);
    EXPECT_EQ(c.lines.size(), 132u);
    EXPECT_EQ(c.lines[10].text, "hostname branch-r1");
    EXPECT_EQ(c.lines[10].line, 11);

    ASSERT_EQ(c.interfaces.size(), 4u);
    EXPECT_EQ(c.interfaces[0].name, "Loopback0");
    const IosInterface& s = *c.FindInterface("Serial0/0");
    EXPECT_EQ(s.encapsulation, IosEncapsulation::PPP);
    EXPECT_EQ(s.accessGroupIn, "150");
    EXPECT_EQ(s.cryptoMap, "vpn");
    EXPECT_EQ(s.description, "WAN to ISP (T1)");
    EXPECT_EQ(s.routeCache, false);
    const IosInterface& s1 = *c.FindInterface("Serial0/1");
    EXPECT_TRUE(s1.shutdown);
    EXPECT_FALSE(s1.address.has_value());
    EXPECT_EQ(s1.encapsulation, IosEncapsulation::HDLC);
    EXPECT_EQ(c.FindInterface("fa0/0")->routeCacheCef, false);

    ASSERT_EQ(c.routes.size(), 2u);
    EXPECT_EQ(c.routes[1].interface, "Serial0/0");
    EXPECT_EQ(c.routes[1].distance, 250);

    EXPECT_EQ(c.transformSets.size(), 3u);
    EXPECT_EQ(c.transformSets.at("to-hq-ah").mode, IpsecMode::TRANSPORT);
    ASSERT_EQ(c.cryptoMaps.size(), 2u);
    const IosCryptoMapEntry& ten = c.cryptoMaps[0];
    EXPECT_EQ(ten.peers.size(), 2u);
    EXPECT_EQ(ten.transformSets, (std::vector<std::string>{"to-hq", "to-hq-ah"}));
    EXPECT_EQ(ten.lifetimeKilobytes, 2560000u);
    EXPECT_EQ(ten.pfsGroup, 2);
    EXPECT_EQ(ten.description, "tunnel to headquarters");
    const IosCryptoMapEntry& twenty = c.cryptoMaps[1];
    EXPECT_EQ(twenty.kind, IosCryptoMapKind::IPSEC_MANUAL);
    EXPECT_EQ(twenty.sessionKeys.size(), 2u);
    EXPECT_EQ(twenty.matchAddress, "branch-mgmt");

    const auto& acl150 = c.accessLists.at("150").entries;
    ASSERT_EQ(acl150.size(), 5u);
    EXPECT_EQ(acl150[0].text, "permit udp host 172.16.1.2 host 172.16.1.1 eq isakmp");
    EXPECT_EQ(acl150[4].text, "deny ip any any log");
    EXPECT_EQ(c.accessLists.at("120").entries[0].text, "deny ip host 10.1.1.10 any");
    EXPECT_EQ(c.accessLists.at("branch-mgmt").entries[0].text,
              "permit tcp host 10.1.1.10 host 10.0.0.5 eq telnet");
    EXPECT_FALSE(c.accessLists.at("1").extended);

    // IKE: the policy and the key (no longer listed as not modelled).
    ASSERT_EQ(c.isakmpPolicies.size(), 1u);
    const IosIsakmpPolicy& p = c.isakmpPolicies.at(10);
    EXPECT_EQ(p.encryption, IosIsakmpEncryption::TRIPLE_DES);
    EXPECT_EQ(p.hash, IosIsakmpHash::MD5);
    EXPECT_EQ(p.authentication, IosIsakmpAuthentication::PRE_SHARE);
    EXPECT_EQ(p.group, 2);
    EXPECT_EQ(p.lifetimeSeconds, 86400u);
    ASSERT_EQ(c.isakmpKeys.size(), 1u);
    EXPECT_EQ(c.isakmpKeys[0].key, "s3cr3t");
    EXPECT_EQ(c.isakmpKeys[0].address, Ipv4Address("172.16.1.2"));

    // Everything we read but do not model is listed, each line once, in order.
    EXPECT_EQ(c.version, "12.2");
    EXPECT_EQ(c.release, IosRelease::IOS_12_4);
    std::vector<std::string> expected = {
        "service timestamps debug datetime msec localtime",
        "service timestamps log datetime msec localtime",
        "service password-encryption",
        "no service pad",
        "boot-start-marker",
        "boot system flash c2600-ik9o3s-mz.122-15.T9.bin",
        "boot-end-marker",
        "logging buffered 16384 debugging",
        "no logging console",
        "enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0",
        "username admin privilege 15 password 7 0822455D0A16",
        "clock timezone UTC 0",
        "memory-size iomem 15",
        "ip subnet-zero", // the name lookup lines are modelled (ios-hosts-test.cc)
        " description tunnel to headquarters",
        " description LAN (users)",
        " duplex auto",
        " speed auto",
        " description WAN to ISP (T1)",
        " bandwidth 1544",
        " no fair-queue",
        " clock rate 64000",
        " log-adjacency-changes", // router ospf 1 and its network statements are modelled
        "ip nat inside source list 1 interface Serial0/0 overload",
        "ip classless",
        "no ip http server",
        " remark management traffic to the NOC only",
        "snmp-server community public RO",
        "snmp-server enable traps tty",
        "banner motd ^C",
        "line con 0",
        " exec-timeout 0 0",
        " logging synchronous",
        "line aux 0",
        "line vty 0 4",
        " password 7 060506324F41",
        " login",
        " transport input telnet ssh",
        "ntp server 192.0.2.123",
    };
    std::vector<std::string> got;
    for (const auto& l : c.notModelled)
    {
        got.push_back(l.text);
    }
    EXPECT_EQ(got, expected);
    EXPECT_FALSE(c.domainLookup);
    EXPECT_EQ(c.domainName, "example.net");
    EXPECT_EQ(c.nameServers, std::vector<Ipv4Address>{Ipv4Address("192.0.2.53")});
}

TEST(IosConfigRunningConfig, LineEndingsAndTabs)
{
    IosRouterConfig c = P("hostname R1\r\ninterface Serial0\r\n\tip address 10.0.0.1 "
                          "255.255.255.0\r\n\tcrypto\tmap  m \r\ncrypto map m 10\r\n");
    EXPECT_EQ(c.hostname, "R1");
    EXPECT_EQ(c.interfaces[0].cryptoMap, "m");
    EXPECT_EQ(c.lines[0].text, "hostname R1");
    EXPECT_EQ(P("").lines.size(), 0u);
    EXPECT_EQ(P("\n\n   \n").lines.size(), 3u);
}

TEST(IosConfigRunningConfig, MissingFile)
{
    EXPECT_THROW(IosConfigReader::ParseFile(kData + "no-such-file.cfg"), std::runtime_error);
}

// ------------------------------------------------------------------------------ garbage

/** Parse and accept only success or an IosConfigError whose location is sane. */
void
ParseOrIosError(const std::string& text)
{
    try
    {
        IosConfigReader::Parse(text, "g.cfg");
    }
    catch (const IosConfigError& e)
    {
        ASSERT_GE(e.Where().line, 1);
        ASSERT_LE(e.Column(), e.Where().text.size() + 1) << e.what();
        ASSERT_FALSE(std::string(e.what()).empty());
    }
}

TEST(IosConfigGarbage, RandomBytesNeverCrash)
{
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> len(0, 60);
    for (int i = 0; i < 3000; ++i)
    {
        std::string text;
        const int lines = 1 + i % 4;
        for (int l = 0; l < lines; ++l)
        {
            const int n = len(rng);
            for (int k = 0; k < n; ++k)
            {
                text.push_back(static_cast<char>(byte(rng)));
            }
            text.push_back('\n');
        }
        ParseOrIosError(text);
    }
}

TEST(IosConfigGarbage, TruncatedAndShuffledRealLines)
{
    std::ifstream in(kData + "r1-running-config.cfg");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);)
    {
        lines.push_back(l);
    }
    ASSERT_GT(lines.size(), 100u);
    // Every line cut at every length, after the lines before it.
    for (size_t i = 0; i < lines.size(); ++i)
    {
        std::string before;
        for (size_t j = 0; j < i; ++j)
        {
            before += lines[j] + "\n";
        }
        for (size_t cut = 0; cut <= lines[i].size(); ++cut)
        {
            ParseOrIosError(before + lines[i].substr(0, cut) + "\n");
        }
    }
    // Words of the configuration in random order, and lines in random order.
    std::vector<std::string> words;
    for (const auto& l : lines)
    {
        for (const auto& t : IosTokenize(l))
        {
            words.push_back(t.text);
        }
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i)
    {
        std::string text;
        for (int l = 0; l < 3; ++l)
        {
            text += (rng() % 2 ? " " : "");
            const int n = 1 + static_cast<int>(rng() % 7);
            for (int k = 0; k < n; ++k)
            {
                text += words[rng() % words.size()] + " ";
            }
            text += "\n";
        }
        ParseOrIosError(text);
        std::vector<std::string> shuffled = lines;
        if (i < 200)
        {
            std::shuffle(shuffled.begin(), shuffled.end(), rng);
            std::string all;
            for (const auto& l : shuffled)
            {
                all += l + "\n";
            }
            ParseOrIosError(all);
        }
    }
}

} // namespace

namespace
{
// `ip nat inside source static` and `ip nat inside|outside` (static NAT, the only kind modelled)
TEST(IosConfigStaticNat, ParsesEntriesAndInterfaces)
{
    IosRouterConfig c =
        P("ip nat inside source static 10.10.0.1 203.0.113.1\n"
          "ip nat inside source static 10.10.0.2 203.0.113.2\n"
          "interface Serial0\n ip address 10.10.0.2 255.255.255.252\n ip nat inside\n"
          "interface Serial1\n ip address 198.51.100.1 255.255.255.252\n"
          " ip nat outside\n");
    ASSERT_EQ(c.staticNat.size(), 2u);
    EXPECT_EQ(c.staticNat[0].local, Ipv4Address("10.10.0.1"));
    EXPECT_EQ(c.staticNat[0].global, Ipv4Address("203.0.113.1"));
    EXPECT_TRUE(c.FindInterface("Serial0")->natInside);
    EXPECT_FALSE(c.FindInterface("Serial0")->natOutside);
    EXPECT_TRUE(c.FindInterface("Serial1")->natOutside);
    IosRouterConfig d = P("ip nat inside source static 10.10.0.1 203.0.113.1\n"
                          "no ip nat inside source static 10.10.0.1 203.0.113.1\n");
    EXPECT_TRUE(d.staticNat.empty());
}

TEST(IosConfigStaticNat, ErrorsAtTheirWord)
{
    // PAT and static port translation are read without effect.
    IosRouterConfig pat = P("ip nat inside source list 1 interface Serial0 overload\n"
                            "ip nat inside source static udp 10.0.0.1 500 1.1.1.1 500\n");
    EXPECT_TRUE(pat.staticNat.empty());
    EXPECT_EQ(pat.notModelled.size(), 2u);
    EXPECT_IOS_ERROR("ip nat inside source static 10.0.0.1\n", 1, 37, "inside global");
    EXPECT_IOS_ERROR("ip nat sideways\n", 1, 7, "expected inside, outside");
    EXPECT_IOS_ERROR("ip nat inside source static 10.0.0.1 1.1.1.1\n"
                     "ip nat inside source static 10.0.0.1 1.1.1.2\n",
                     2, 37, "already mapped");
    EXPECT_IOS_ERROR("ip nat inside source static 10.0.0.1 1.1.1.1\n"
                     "ip nat inside source static 10.0.0.2 1.1.1.1\n",
                     2, 37, "similar static entry");
    EXPECT_IOS_ERROR("interface Serial0\n ip nat sideways\n", 2, 8, "expected inside or outside");
}
} // namespace

// The `version` line of a running configuration says whose output the router prints.
TEST(IosConfigVersion, ChoosesTheReleaseFamily)
{
    EXPECT_EQ(P("hostname R1\n").release, IosRelease::IOS_15);
    EXPECT_EQ(P("hostname R1\n").version, "");
    IosRouterConfig old = P("!\r\nversion 12.4\r\nservice timestamps debug datetime msec\r\n");
    EXPECT_EQ(old.version, "12.4");
    EXPECT_EQ(old.release, IosRelease::IOS_12_4);
    EXPECT_EQ(P("version 12.2\n").release, IosRelease::IOS_12_4);
    EXPECT_EQ(P("version 15.1\n").release, IosRelease::IOS_15);
    EXPECT_EQ(P("version 17.3\n").release, IosRelease::IOS_15);
    EXPECT_EQ(P("version 12.4\nno version\n").release, IosRelease::IOS_15);
    // Not listed among the commands without effect: it has one.
    EXPECT_TRUE(P("version 12.4\n").notModelled.empty());
}

TEST(IosConfigVersion, ErrorsAtTheVersion)
{
    try
    {
        IosConfigReader::Parse("hostname R1\nversion 11.3\n", "r1.cfg");
        FAIL() << "version 11.3 was accepted";
    }
    catch (const IosConfigError& e)
    {
        EXPECT_EQ(e.Where().line, 2);
        EXPECT_EQ(e.Column(), 8u);
        EXPECT_NE(std::string(e.what()).find("expected an IOS version 12.x or 15.x"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(IosReleaseOfVersion("12.2(15)T"), IosRelease::IOS_12_4);
    EXPECT_EQ(IosReleaseOfVersion("15"), IosRelease::IOS_15);
    EXPECT_FALSE(IosReleaseOfVersion("abc").has_value());
    EXPECT_FALSE(IosReleaseOfVersion("1234.1").has_value());
    EXPECT_EQ(ToString(IosRelease::IOS_12_4), "12.4");
}
