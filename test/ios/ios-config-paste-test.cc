// Configurations as people keep them: pasted `show running-config` sessions (headings, prompts,
// CRLF, non-ASCII text), configuration-mode scripts (`enable`, `conf t`, `exit`, `end`,
// `wr mem`), and commands the simulation does not model, with their blocks. They must read as
// the same configuration as the clean text; typing mistakes in modelled commands stay errors.
#include "common/ios-config-parse.h"
#include "ns3/ios-config.h"
#include "ns3/ios-keywords.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

using namespace ns3;

namespace
{

using test::E;
using test::P;

const std::string kScenario = std::string(IPSEC_SOURCE_DIR) + "/scenarios/ike-spec-example/";
const std::string kPasted = test::kIosData + "pasted/";

bool
Listed(const IosRouterConfig& c, const std::string& text)
{
    return std::any_of(c.notModelled.begin(), c.notModelled.end(),
                       [&](const IosLocation& l) { return l.text == text; });
}

int
ListedLine(const IosRouterConfig& c, const std::string& text)
{
    for (const auto& l : c.notModelled)
    {
        if (l.text == text)
        {
            return l.line;
        }
    }
    return 0;
}

/** What the router is built from, as text: two configurations that print the same are the same
 *  router (hostname, interfaces, routes, access lists, transform sets, crypto maps, IKE). */
std::string
Modelled(const IosRouterConfig& c)
{
    std::ostringstream os;
    os << "hostname " << c.hostname << "\n";
    for (const auto& i : c.interfaces)
    {
        os << "interface " << i.name << " " << (i.address ? *i.address : Ipv4Address()) << "/"
           << i.mask.GetPrefixLength() << " map=" << i.cryptoMap << " shut=" << i.shutdown
           << " encap=" << int(i.encapsulation) << "\n";
    }
    for (const auto& r : c.routes)
    {
        os << "route " << r.network << "/" << r.mask.GetPrefixLength() << " "
           << (r.nextHop ? *r.nextHop : Ipv4Address()) << " " << r.interface << "\n";
    }
    for (const auto& [name, acl] : c.accessLists)
    {
        for (const auto& e : acl.entries)
        {
            os << "acl " << name << " " << e.text << "\n";
        }
    }
    for (const auto& [name, ts] : c.transformSets)
    {
        os << "transform-set " << name << " " << int(ts.mode) << "\n";
    }
    for (const auto& e : c.cryptoMaps)
    {
        os << "crypto map " << e.map << " " << e.seq << " " << int(e.kind) << " " << e.matchAddress
           << " peers=" << e.peers.size() << " sets=" << e.transformSets.size() << "\n";
    }
    for (const auto& [map, iface] : c.localAddress)
    {
        os << "local-address " << map << " " << iface << "\n";
    }
    for (const auto& [prio, p] : c.isakmpPolicies)
    {
        os << "isakmp policy " << prio << " " << int(p.encryption) << int(p.hash)
           << int(p.authentication) << p.group << "\n";
    }
    for (const auto& k : c.isakmpKeys)
    {
        os << "isakmp key " << k.key << " " << k.address << "\n";
    }
    return os.str();
}

// ------------------------------------------------------------------------------ whole files

TEST(IosConfigPaste, ShowRunningConfigSessionReadsAsTheCleanConfiguration)
{
    // CRLF, a heading, prompts, tabs, trailing blanks, UTF-8 in comments, a description and a
    // banner, and many commands we do not model, with their blocks.
    const IosRouterConfig pasted = IosConfigReader::ParseFile(kPasted + "R1-show-run.cfg");
    const IosRouterConfig clean = IosConfigReader::ParseFile(kScenario + "R1.cfg");
    EXPECT_EQ(Modelled(pasted), Modelled(clean));
    EXPECT_EQ(pasted.hostname, "R1") << "trailing blanks are not part of the name";
    EXPECT_EQ(pasted.FindInterface("Ethernet0")->description, "LAN – café floor");

    for (const char* l : {"mmi polling-interval 60",
                          "no ipv6 cef",
                          "multilink bundle-name authenticated",
                          "redundancy",
                          "track 1 ip sla 1 reachability",
                          " delay down 5 up 5",
                          "ip sla 1",
                          " icmp-echo 172.16.0.2 source-interface Serial0",
                          " frequency 10",
                          "ip prefix-list LANS seq 5 permit 10.0.0.0/24",
                          "route-map LOCAL permit 10",
                          " set ip next-hop 172.16.0.2",
                          "zone-pair security IN-OUT source INSIDE destination OUTSIDE",
                          " service-policy type inspect IN-OUT-POLICY",
                          " ipv6 address 2001:DB8::1/64",
                          " standby 1 ip 10.0.0.254",
                          " zone-member security INSIDE",
                          " ip ospf network point-to-point",
                          " ip nbar protocol-discovery",
                          "cts logging verbose",
                          "bsd-client server url "
                          "https://cloudsso.cisco.com/its/service/oddce/services/DDCEService",
                          "  priority 128",
                          "  key-string s3cr3t"})
    {
        EXPECT_TRUE(Listed(pasted, l)) << l;
    }
    // `version 12.4` is read: the router prints that release's output.
    EXPECT_FALSE(Listed(pasted, "version 12.4"));
    EXPECT_EQ(pasted.release, IosRelease::IOS_12_4);
    EXPECT_EQ(ListedLine(pasted, "mmi polling-interval 60"), 22) << "file:line as written";
    // The session around the configuration is not configuration, and is not listed.
    for (const auto& l : pasted.notModelled)
    {
        EXPECT_EQ(l.text.find("R1#"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("Building"), std::string::npos) << l.text;
        EXPECT_EQ(l.text.find("Current configuration"), std::string::npos) << l.text;
        EXPECT_NE(l.text, "end");
    }
    for (const auto& l : pasted.lines)
    {
        EXPECT_EQ(l.text.find('\r'), std::string::npos);
        EXPECT_EQ(l.text.find("R1#"), std::string::npos) << l.text;
    }
}

TEST(IosConfigPaste, ConfigurationScriptReadsAsTheCleanConfiguration)
{
    // Prompts with commands, `enable`, `conf t`, `exit`, `end`, `wr mem`, `do`, `copy run
    // start` and its question, log messages, abbreviations and no indentation.
    const IosRouterConfig script = IosConfigReader::ParseFile(kPasted + "R2-conf-t.cfg");
    const IosRouterConfig clean = IosConfigReader::ParseFile(kScenario + "R2.cfg");
    EXPECT_EQ(Modelled(script), Modelled(clean));
    // Interface sub-commands we do not model stay in their interface: what follows them still
    // configures it.
    EXPECT_TRUE(Listed(script, "standby 1 ip 10.2.2.254"));
    EXPECT_TRUE(Listed(script, "ip ospf cost 10"));
    // router eigrp is approximated (doc/tunnels.md); its other sub-commands are listed.
    EXPECT_FALSE(Listed(script, "router eigrp 10"));
    EXPECT_TRUE(Listed(script, "no auto-summary"));
    for (const auto& l : script.notModelled)
    {
        for (const char* session :
             {"enable", "conf t", "wr mem", "do show", "copy", "end", "Destination", "[OK]"})
        {
            EXPECT_NE(l.text.rfind(session, 0), 0u) << l.text;
        }
    }
}

TEST(IosConfigPaste, KeptLinesReadBackAsTheSameRouter)
{
    // The console and sweeps re-read a router's kept lines with more appended: without the
    // session around it, they must still be the same configuration, in the same mode.
    for (const char* file : {"R1-show-run.cfg", "R2-conf-t.cfg"})
    {
        const IosRouterConfig c = IosConfigReader::ParseFile(kPasted + file);
        std::string text;
        for (const auto& l : c.lines)
        {
            text += l.text + "\n";
        }
        std::string endMode;
        const IosRouterConfig again = IosConfigReader::Parse(text, "again", endMode);
        EXPECT_EQ(Modelled(again), Modelled(c)) << file;
        EXPECT_EQ(again.notModelled.size(), c.notModelled.size()) << file;
        EXPECT_EQ(endMode, "config") << file;
    }
}

// ------------------------------------------------------------------------------ lines

TEST(IosConfigPaste, PromptsAndSessionLines)
{
    const IosRouterConfig c = P("R1>en\n"
                                "Password:\n"
                                "R1#configure terminal\n"
                                "R1(config)#interface Serial0\n"
                                "R1(config-if)#ip address 10.0.0.1 255.255.255.0\n"
                                "R1(config-if)#mystery sub-command\n"
                                "R1(config)#hostname EDGE\n"
                                "EDGE(config)#ip route 0.0.0.0 0.0.0.0 10.0.0.2\n"
                                "EDGE(config)#do wr\n"
                                "EDGE(config)#^Z\n"
                                "EDGE#write memory\n"
                                "EDGE#\n");
    EXPECT_EQ(c.hostname, "EDGE");
    ASSERT_EQ(c.interfaces.size(), 1u);
    EXPECT_EQ(*c.interfaces[0].address, Ipv4Address("10.0.0.1"));
    ASSERT_EQ(c.routes.size(), 1u);
    ASSERT_EQ(c.notModelled.size(), 1u);
    EXPECT_EQ(c.notModelled[0].text, " mystery sub-command") << "an interface's, by its prompt";
    EXPECT_EQ(c.notModelled[0].line, 6);

    // An error after a prompt points into the line as written.
    const IosConfigError e = E("R1(config)#interface Serial0\n"
                               "R1(config-if)#ip address 10.0.0.1\n");
    EXPECT_EQ(e.Where().line, 2);
    EXPECT_EQ(e.Where().text, "R1(config-if)#ip address 10.0.0.1");
    EXPECT_EQ(e.Column(), std::string("R1(config-if)#ip address 10.0.0.1 ").size());
    EXPECT_NE(e.Detail().find("% Incomplete command."), std::string::npos);
    const IosConfigError t = E("R1(config)#acess-list 101 permit ip any any\n");
    EXPECT_EQ(t.Column(), 11u);
    EXPECT_NE(t.Detail().find("did you mean access-list?"), std::string::npos);
}

TEST(IosConfigPaste, HeadingsAndAnswersAreSkipped)
{
    const IosRouterConfig c = P("\xEF\xBB\xBF"
                                "Building configuration...\r\n"
                                "\r\n"
                                "Current configuration : 3336 bytes\r\n"
                                "Using 1250 out of 29688 bytes\r\n"
                                "Overwrite the previous NVRAM configuration?[confirm]\r\n"
                                "[startup-config]?\r\n"
                                "% Invalid input detected at '^' marker.\r\n"
                                "hostname R9 \t\r\n"
                                "end\r\n");
    EXPECT_EQ(c.hostname, "R9");
    EXPECT_TRUE(c.notModelled.empty()) << c.notModelled[0].text;
}

TEST(IosConfigPaste, NewCryptoMapNoteIsSkipped)
{
    // IOS's two-line note on entering a new crypto map entry, as a pasted session shows it.
    const IosRouterConfig c =
        P("R1(config)#crypto map VPN 10 ipsec-isakmp\n"
          "% NOTE: This new crypto map will remain disabled until a peer\n"
          "        and a valid access list have been configured.\n"
          "R1(config-crypto-map)#set peer 10.0.0.2\n");
    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    ASSERT_EQ(c.cryptoMaps[0].peers.size(), 1u);
    EXPECT_EQ(c.cryptoMaps[0].peers[0], "10.0.0.2");
    EXPECT_TRUE(c.notModelled.empty()) << c.notModelled[0].text;
}

TEST(IosConfigPaste, PagerPromptsAreRemoved)
{
    // Captured without `terminal length 0`: the pager's prompt, erased with backspaces.
    const IosRouterConfig c = P("interface Serial0\n"
                                " --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b ip "
                                "address 10.0.0.1 255.255.255.0\n"
                                " --More-- hostname R1\n");
    ASSERT_EQ(c.interfaces.size(), 1u);
    EXPECT_EQ(*c.interfaces[0].address, Ipv4Address("10.0.0.1"));
    EXPECT_EQ(c.hostname, "R1");
    const IosConfigError e = E(" --More-- \b\b\bip route 10.0.0.0 255.0.0.0\n");
    EXPECT_EQ(e.Column(), e.Where().text.size() + 1) << "the ^ after the line as written";
}

TEST(IosConfigPaste, EndAndExitLeaveSubModes)
{
    const IosRouterConfig c = P("interface Serial0\n"
                                "ip address 10.0.0.1 255.255.255.0\n"
                                "exit\n"
                                "interface Serial1\n"
                                "ip address 10.0.1.1 255.255.255.0\n"
                                "end\n"
                                "conf t\n"
                                "hostname R1\n"
                                "write memory\n");
    ASSERT_EQ(c.interfaces.size(), 2u);
    EXPECT_EQ(*c.interfaces[1].address, Ipv4Address("10.0.1.1"));
    EXPECT_EQ(c.hostname, "R1");
    // After `end` an interface command is out of its place: an error, not a command we ignore
    // (the interface would silently lose its address).
    EXPECT_IOS_ERROR("interface Serial0\nend\nconf t\nip address 10.9.9.9 255.0.0.0\n", 4, 3,
                     "interface command");
}

// ------------------------------------------------------------------------------ not modelled

TEST(IosConfigPaste, CommandsNotModelledTakeTheirBlocks)
{
    const IosRouterConfig c = P("policy-map WAN\n"
                                " class VOICE\n"
                                "  police 8000 conform-action transmit\n"
                                "  ip address 1.2.3.4 255.0.0.0\n" // in the block: not ours
                                "ip vrf CUST\n"
                                " rd 65000:1\n"
                                "crypto keyring KR\n"
                                " pre-shared-key address 10.0.0.2 key k\n"
                                "crypto isakmp profile P\n"
                                " match identity address 10.0.0.2 255.255.255.255\n"
                                "crypto ipsec transform-set T esp-aes esp-sha-hmac\n"
                                "crypto ipsec profile PROT\n"
                                " set transform-set T\n"
                                "crypto ikev2 authorization policy AUTH\n"
                                " route set interface\n"
                                "crypto pki trustpoint TP\n"
                                " enrollment selfsigned\n"
                                "crypto key generate rsa modulus 2048\n"
                                "hostname R1\n");
    EXPECT_EQ(c.hostname, "R1");
    EXPECT_TRUE(c.interfaces.empty());
    // The keyring, the ISAKMP profile (doc/ike-profiles.md) and the IPsec profile
    // (doc/tunnels.md) are modelled: 6 lines fewer; the trustpoint and the key generation too
    // (doc/pki.md), `enrollment selfsigned` not: 2 fewer. An IKEv2 authorization policy is not
    // modelled, with its block (doc/ikev2.md).
    EXPECT_EQ(c.notModelled.size(), 9u);
    EXPECT_EQ(c.keyrings.at("KR").keys.size(), 1u);
    EXPECT_EQ(c.ipsecProfiles.at("PROT").transformSets, std::vector<std::string>{"T"});
    EXPECT_EQ(c.isakmpProfiles.at("P").matches.size(), 1u);
    for (const auto& l : c.notModelled)
    {
        EXPECT_NE(l.text, "hostname R1");
    }
}

TEST(IosConfigPaste, ScriptInterfacesKeepTheirCommands)
{
    // Without indentation, a command we do not model does not end the interface; a global
    // command we know does.
    const IosRouterConfig c = P("interface FastEthernet0/0\n"
                                "standby 1 ip 10.0.0.254\n"
                                "ipv6 address 2001:db8::1/64\n"
                                "ip address 10.0.0.1 255.255.255.0\n"
                                "ip route 0.0.0.0 0.0.0.0 10.0.0.2\n"
                                "router ospf 1\n"
                                "network 10.0.0.0 0.0.0.255 area 0\n");
    ASSERT_EQ(c.interfaces.size(), 1u);
    EXPECT_EQ(*c.interfaces[0].address, Ipv4Address("10.0.0.1"));
    ASSERT_EQ(c.routes.size(), 1u);
    ASSERT_EQ(c.routingProcesses.size(), 1u);
    EXPECT_EQ(c.routingProcesses[0].networks.size(), 1u);
    EXPECT_FALSE(Listed(c, "network 10.0.0.0 0.0.0.255 area 0"));
    // Indented (show running-config), a line without indentation after the block is global.
    const IosRouterConfig r = P("interface FastEthernet0/0\n"
                                " ip address 10.0.0.1 255.255.255.0\n"
                                "mmi polling-interval 60\n"
                                " ip address 10.0.0.9 255.255.255.0\n");
    EXPECT_EQ(*r.interfaces[0].address, Ipv4Address("10.0.0.1"));
    EXPECT_TRUE(Listed(r, " ip address 10.0.0.9 255.255.255.0")) << "in mmi's block";
}

// ------------------------------------------------------------------------------ still errors

TEST(IosConfigPaste, TyposInModelledCommandsAreErrors)
{
    EXPECT_IOS_ERROR("acess-list 101 permit ip any any\n", 1, 0, "did you mean access-list?");
    EXPECT_IOS_ERROR("interfce Serial0\n", 1, 0, "did you mean interface?");
    EXPECT_IOS_ERROR("crpyto map m 10\n", 1, 0, "did you mean crypto?");
    EXPECT_IOS_ERROR("crypto mpa m 10\n", 1, 7, "did you mean map?");
    EXPECT_IOS_ERROR("ip rotue 0.0.0.0 0.0.0.0 1.1.1.1\n", 1, 3, "did you mean route?");
    EXPECT_IOS_ERROR("ip acess-list extended X\n", 1, 3, "did you mean access-list?");
    EXPECT_IOS_ERROR("no acess-list 101\n", 1, 3, "did you mean access-list?");
    EXPECT_IOS_ERROR("crypto ipsec transfrom-set t esp-des\n", 1, 13,
                     "did you mean transform-set?");
    EXPECT_IOS_ERROR("crypto map m 10 ipsec-isakmp\n reverse-routes\n", 2, 1, "% Invalid input");
    EXPECT_IOS_ERROR("interface Serial0\n ip adress 1.1.1.1 255.0.0.0\n", 2, 4,
                     "did you mean address?");
    // Malformed modelled commands are errors whatever surrounds them.
    EXPECT_IOS_ERROR("mmi polling-interval 60\ninterface Serial0\n ip address 10.0.0.1\n", 3, 21,
                     "% Incomplete command.");
    EXPECT_IOS_ERROR("access-list 101 permit ip any\n", 1, 30, "% Incomplete command.");
    EXPECT_IOS_ERROR("ip route 10.0.0.0 255.255.255.0\n", 1, 32, "% Incomplete command.");
    EXPECT_IOS_ERROR("ip nat inside source static 10.0.0.1\n", 1, 37, "% Incomplete command.");
    // Every crypto command outside the families being modelled is read strictly.
    EXPECT_IOS_ERROR("crypto logging session\n", 1, 7, "% Invalid input");
    // IOS forms of modelled families that the simulation does not model are read and listed.
    const IosRouterConfig v = P("ip route vrf MGMT 0.0.0.0 0.0.0.0 192.0.2.1\n"
                                "ip route 0.0.0.0 0.0.0.0 10.0.0.2 track 1\n"
                                "ip access-list logging interval 10\n");
    EXPECT_EQ(v.notModelled.size(), 2u);
    ASSERT_EQ(v.routes.size(), 1u) << "the VRF's route is not in the global table";
    EXPECT_EQ(v.routes[0].nextHop, Ipv4Address("10.0.0.2"));
    EXPECT_IOS_ERROR("ip route 0.0.0.0 0.0.0.0 10.0.0.2 track\n", 1, 40, "% Incomplete command.");
    // Interfaces of types no router here has take their block with them; a type close to one
    // we know is a typo.
    const IosRouterConfig i = P("interface Embedded-Service-Engine0/0\n"
                                " no ip address\n"
                                " shutdown\n"
                                "interface BVI1\n"
                                " ip address 10.0.0.1 255.255.255.0\n"
                                "interface Serial0\n"
                                " ip address 10.1.0.1 255.255.255.0\n");
    ASSERT_EQ(i.interfaces.size(), 1u);
    EXPECT_EQ(i.interfaces[0].name, "Serial0");
    EXPECT_EQ(i.notModelled.size(), 5u);
    EXPECT_IOS_ERROR("interface FastEthernt0/0\n", 1, 10, "did you mean FastEthernet?");
    EXPECT_IOS_ERROR("interface Seral0\n", 1, 10, "did you mean Serial?");
    // Unknown words far from every modelled one are not typos.
    for (const char* ok : {"ipv6 unicast-routing\n", "ntp server 10.0.0.1\n", "ipx routing\n",
                           "ip mroute 10.0.0.0 255.0.0.0 1.1.1.1\n", "vpdn enable\n"})
    {
        EXPECT_EQ(P(ok).notModelled.size(), 1u) << ok;
    }
}

TEST(IosConfigPaste, DidYouMeanIsCloseOnly)
{
    EXPECT_EQ(IosEditDistance("acess-list", "access-list"), 1u);
    EXPECT_EQ(IosEditDistance("mpa", "map"), 1u) << "a swap is one edit";
    EXPECT_EQ(IosDidYouMean("mpa", {"map", "pki"}), "map");
    EXPECT_EQ(IosDidYouMean("ipv6", {"ip"}), "");
    EXPECT_EQ(IosDidYouMean("pi", {"ip"}), "ip");
    EXPECT_EQ(IosDidYouMean("3", {"1", "2"}), "") << "numbers are values";
    EXPECT_EQ(IosDidYouMean("routing", {"route"}), "");
}

} // namespace
