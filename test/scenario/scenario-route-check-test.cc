// The loader's route check follows traffic the way the routers forward it: through a crypto
// map's ESP to the peer and on from there, through GRE tunnels and virtual tunnel interfaces to
// the router that owns the tunnel destination; a hop that really is missing is still named.
#include "ns3/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

using namespace ns3;
using nlohmann::json;

namespace
{

/** Two sites behind a provider that has no route to their LANs: R1 (LAN 10.1.1.0/24) on the
 *  provider's Serial0, R2 (LAN 10.2.2.0/24, and R3 with 10.2.4.0/24 behind it) on Serial1. R2
 *  has routes to R1's addresses only (no default route), none to R3's LAN. */
class RouteCheck : public ::testing::Test
{
protected:
    std::map<std::string, std::string> files;
    json doc;

    void SetUp() override
    {
        // R1 typed in configuration mode.
        files["R1.cfg"] = "enable\r\nconfigure terminal\r\n"
                          "hostname R1\r\n"
                          "crypto isakmp policy 10\r\n authentication pre-share\r\n exit\r\n"
                          "crypto isakmp key s3cret address 198.51.100.2\r\n"
                          "crypto ipsec transform-set ts esp-aes esp-sha-hmac\r\n exit\r\n"
                          "access-list 101 permit ip 10.1.1.0 0.0.0.255 10.2.0.0 0.0.255.255\r\n"
                          "crypto map vpn 10 ipsec-isakmp\r\n set peer 198.51.100.2\r\n"
                          " set transform-set ts\r\n match address 101\r\n exit\r\n"
                          "interface Ethernet0\r\n ip address 10.1.1.1 255.255.255.0\r\n exit\r\n"
                          "interface Serial0\r\n ip address 192.0.2.1 255.255.255.252\r\n"
                          " crypto map vpn\r\n exit\r\n"
                          "ip route 0.0.0.0 0.0.0.0 192.0.2.2\r\nend\r\n";
        // R2 pasted from `show running-config`.
        files["R2.cfg"] = "R2#show running-config\nBuilding configuration...\n\n"
                          "Current configuration : 812 bytes\n!\nversion 12.4\n"
                          "service timestamps debug datetime msec\n!\nhostname R2\n!\n"
                          "crypto isakmp policy 10\n authentication pre-share\n"
                          "crypto isakmp key s3cret address 192.0.2.1\n!\n"
                          "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n!\n"
                          "crypto map vpn 10 ipsec-isakmp\n set peer 192.0.2.1\n"
                          " set transform-set ts\n match address 101\n!\n"
                          "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n!\n"
                          "interface Serial0\n ip address 198.51.100.2 255.255.255.252\n"
                          " crypto map vpn\n!\n"
                          "ip route 192.0.2.0 255.255.255.252 198.51.100.1\n"
                          "ip route 10.1.1.0 255.255.255.0 198.51.100.1\n!\n"
                          "access-list 101 permit ip 10.2.0.0 0.0.255.255 10.1.1.0 0.0.0.255\n!\n"
                          "end\n\nR2#\n";
        files["ISP.cfg"] = "hostname ISP\n"
                           "interface Serial0\n ip address 192.0.2.2 255.255.255.252\n"
                           "interface Serial1\n ip address 198.51.100.1 255.255.255.252\n";
        files["R3.cfg"] = "hostname R3\n"
                          "interface Ethernet0\n ip address 10.2.2.3 255.255.255.0\n"
                          "interface Ethernet1\n ip address 10.2.4.1 255.255.255.0\n"
                          "ip route 0.0.0.0 0.0.0.0 10.2.2.1\n";
        doc = json::parse(R"({
          "name": "route check", "duration": 5,
          "nodes": [
            {"name": "R1", "config": "R1.cfg"}, {"name": "ISP", "config": "ISP.cfg"},
            {"name": "R2", "config": "R2.cfg"}, {"name": "R3", "config": "R3.cfg"},
            {"name": "h1", "kind": "host", "address": "10.1.1.10/24", "gateway": "10.1.1.1"},
            {"name": "h2", "kind": "host", "address": "10.2.2.10/24", "gateway": "10.2.2.1"},
            {"name": "h4", "kind": "host", "address": "10.2.4.10/24", "gateway": "10.2.4.1"}],
          "links": [
            {"a": "R1:Serial0", "b": "ISP:Serial0"}, {"a": "ISP:Serial1", "b": "R2:Serial0"},
            {"a": "h1:eth0", "b": "R1:Ethernet0"}, {"a": "h2:eth0", "b": "R2:Ethernet0"},
            {"a": "R3:Ethernet0", "b": "R2:Ethernet0"}, {"a": "h4:eth0", "b": "R3:Ethernet1"}],
          "traffic": [
            {"kind": "udp", "from": "h1", "to": "10.2.2.10", "rate": "64kbps", "size": 256,
             "start": 1, "stop": 4}]
        })");
    }

    Scenario Load()
    {
        return ScenarioLoader::LoadString(
            doc.dump(2), "scenario.json", "",
            [this](const std::string& path) -> std::optional<std::string>
            {
                auto it = files.find(std::filesystem::path(path).filename().string());
                return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
            });
    }

    static std::string Describe(const std::vector<ScenarioIssue>& issues)
    {
        std::string out;
        for (const auto& i : issues)
        {
            out += i.pointer + ": " + i.message + "\n";
        }
        return out;
    }

    static std::vector<std::string> Names(const Scenario& s, const std::vector<uint32_t>& path)
    {
        std::vector<std::string> names;
        for (uint32_t n : path)
        {
            names.push_back(s.nodes[n].name);
        }
        return names;
    }

    /** The flow of UDP from host @p from to @p to. */
    static IpsecFlow Udp(const Scenario& s, const std::string& from, const std::string& to)
    {
        IpsecFlow f;
        f.src = s.nodes[s.FindNode(from)].address;
        f.dst = Ipv4Address(to.c_str());
        f.protocol = 17;
        return f;
    }
};

TEST_F(RouteCheck, CryptoMapCarriesTheFlowPastAProviderWithoutLanRoutes)
{
    Scenario s = Load();
    EXPECT_TRUE(s.warnings.empty()) << Describe(s.warnings);
    ScenarioTopology topo(s);
    std::string why;
    auto path = topo.TraceFlow(s.FindNode("h1"), Udp(s, "h1", "10.2.2.10"), &why);
    ASSERT_TRUE(path) << why;
    EXPECT_EQ(Names(s, *path), (std::vector<std::string>{"h1", "R1", "ISP", "R2", "h2"}));
    // Back: R2's entry protects it as far as R1.
    path = topo.TraceFlow(s.FindNode("h2"), Udp(s, "h2", "10.1.1.10"), &why);
    ASSERT_TRUE(path) << why;
    EXPECT_EQ(Names(s, *path), (std::vector<std::string>{"h2", "R2", "ISP", "R1", "h1"}));
    // Without a source the router's own packet leaves from Serial0's address, which no access
    // list line permits: in clear, and the provider has no route.
    EXPECT_FALSE(topo.Trace(s.FindNode("R1"), Ipv4Address("10.2.2.10"), &why));
    EXPECT_EQ(why, "ISP has no route to 10.2.2.10");
}

TEST_F(RouteCheck, FlowTheAccessListDoesNotPermitStillWarns)
{
    // A deny line first: the entry does not protect it, it leaves in clear.
    std::string r1 = files.at("R1.cfg");
    r1.insert(r1.find("access-list 101 permit"), "access-list 101 deny udp any any\r\n");
    files["R1.cfg"] = r1;
    Scenario s = Load();
    ASSERT_EQ(s.warnings.size(), 1u) << Describe(s.warnings);
    EXPECT_EQ(s.warnings[0].message,
              "no route from h1 to 10.2.2.10: ISP has no route to 10.2.2.10");
}

TEST_F(RouteCheck, MissingRouteBeyondThePeerIsNamed)
{
    // R2 decrypts h1's packets for 10.2.4.10 but has no route to R3's LAN.
    doc["traffic"][0]["to"] = "10.2.4.10";
    Scenario s = Load();
    ASSERT_EQ(s.warnings.size(), 1u) << Describe(s.warnings);
    EXPECT_EQ(s.warnings[0].pointer, "/traffic/0");
    EXPECT_EQ(s.warnings[0].message, "no route from h1 to 10.2.4.10: R2 has no route to 10.2.4.10");
    // With the route it is delivered, through the tunnel and on over R2's LAN.
    files["R2.cfg"].insert(files["R2.cfg"].find("!\naccess-list"),
                           "ip route 10.2.4.0 255.255.255.0 10.2.2.3\n");
    s = Load();
    EXPECT_TRUE(s.warnings.empty()) << Describe(s.warnings);
    ScenarioTopology topo(s);
    std::string why;
    auto path = topo.TraceFlow(s.FindNode("h1"), Udp(s, "h1", "10.2.4.10"), &why);
    ASSERT_TRUE(path) << why;
    EXPECT_EQ(Names(s, *path), (std::vector<std::string>{"h1", "R1", "ISP", "R2", "R3", "h4"}));
}

TEST_F(RouteCheck, MissingOuterPathIsNamed)
{
    // The peer is R2's LAN address, which the provider has no route to: the ESP goes nowhere.
    // (The peer check reports it as an error; the trace names the hop.)
    Scenario s = Load();
    ScenarioTopology topo(s);
    std::string r1 = files.at("R1.cfg");
    std::string why;
    IpsecFlow esp;
    esp.src = Ipv4Address("192.0.2.1");
    esp.dst = Ipv4Address("10.2.2.1");
    esp.protocol = 50;
    EXPECT_FALSE(topo.TraceFlow(s.FindNode("R1"), esp, &why));
    EXPECT_EQ(why, "ISP has no route to 10.2.2.1");
    r1.replace(r1.find("set peer 198.51.100.2"), 21, "set peer 10.2.2.1");
    files["R1.cfg"] = r1;
    try
    {
        Load();
        ADD_FAILURE() << "a peer the routes do not reach loaded";
    }
    catch (const ScenarioError& e)
    {
        ASSERT_EQ(e.Issues().size(), 1u) << Describe(e.Issues());
        EXPECT_NE(e.Issues()[0].message.find("set peer 10.2.2.1 cannot be reached: ISP has no "
                                             "route to 10.2.2.1"),
                  std::string::npos)
            << e.Issues()[0].message;
    }
}

/** R1 and R2 joined by a tunnel interface over the provider instead of the crypto maps. */
void
UseTunnels(std::map<std::string, std::string>& files, const std::string& mode)
{
    files["R1.cfg"] = "hostname R1\n"
                      "interface Ethernet0\n ip address 10.1.1.1 255.255.255.0\n"
                      "interface Serial0\n ip address 192.0.2.1 255.255.255.252\n"
                      "interface Tunnel0\n ip address 172.16.9.1 255.255.255.252\n"
                      " tunnel source Serial0\n tunnel destination 198.51.100.2\n" +
                      mode +
                      "ip route 0.0.0.0 0.0.0.0 192.0.2.2\n"
                      "ip route 10.2.0.0 255.255.0.0 Tunnel0\n";
    files["R2.cfg"] = "hostname R2\n"
                      "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n"
                      "interface Serial0\n ip address 198.51.100.2 255.255.255.252\n"
                      "interface Tunnel0\n ip address 172.16.9.2 255.255.255.252\n"
                      " tunnel source 198.51.100.2\n tunnel destination 192.0.2.1\n" +
                      mode +
                      "ip route 192.0.2.0 255.255.255.252 198.51.100.1\n"
                      "ip route 10.1.1.0 255.255.255.0 172.16.9.1\n";
}

TEST_F(RouteCheck, GreTunnelCarriesTheFlowPastTheProvider)
{
    UseTunnels(files, "");
    Scenario s = Load();
    EXPECT_TRUE(s.warnings.empty()) << Describe(s.warnings);
    ScenarioTopology topo(s);
    std::string why;
    auto path = topo.TraceFlow(s.FindNode("h1"), Udp(s, "h1", "10.2.2.10"), &why);
    ASSERT_TRUE(path) << why;
    EXPECT_EQ(Names(s, *path), (std::vector<std::string>{"h1", "R1", "ISP", "R2", "h2"}));
    // Beyond the far router the routes still count.
    doc["traffic"][0]["to"] = "10.2.4.10";
    s = Load();
    ASSERT_EQ(s.warnings.size(), 1u) << Describe(s.warnings);
    EXPECT_EQ(s.warnings[0].message, "no route from h1 to 10.2.4.10: R2 has no route to 10.2.4.10");
}

TEST_F(RouteCheck, VirtualTunnelInterfaceCarriesTheFlow)
{
    const std::string vti = " tunnel mode ipsec ipv4\n tunnel protection ipsec profile p\n";
    UseTunnels(files, vti);
    for (const char* r : {"R1.cfg", "R2.cfg"})
    {
        const std::string peer = r[1] == '1' ? "198.51.100.2" : "192.0.2.1";
        files[r] = "crypto isakmp policy 10\n authentication pre-share\n"
                   "crypto isakmp key s3cret address " +
                   peer +
                   "\ncrypto ipsec transform-set ts esp-aes esp-sha-hmac\n"
                   "crypto ipsec profile p\n set transform-set ts\n" +
                   files[r];
    }
    Scenario s = Load();
    EXPECT_TRUE(s.warnings.empty()) << Describe(s.warnings);
    ScenarioTopology topo(s);
    std::string why;
    auto path = topo.TraceFlow(s.FindNode("h2"), Udp(s, "h2", "10.1.1.10"), &why);
    ASSERT_TRUE(path) << why;
    EXPECT_EQ(Names(s, *path), (std::vector<std::string>{"h2", "R2", "ISP", "R1", "h1"}));
    // The tunnel's far end where the provider has no route: the missing hop is named.
    files["R1.cfg"].replace(files["R1.cfg"].find("destination 198.51.100.2"), 24,
                            "destination 203.0.113.9");
    s = Load();
    ASSERT_FALSE(s.warnings.empty());
    EXPECT_EQ(s.warnings[0].message,
              "no route from h1 to 10.2.2.10: R1 routes 10.2.2.10 into Tunnel0, whose ESP to "
              "203.0.113.9 goes nowhere: ISP has no route to 203.0.113.9")
        << Describe(s.warnings);
}

} // namespace
