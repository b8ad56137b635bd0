// ScenarioImporter: links inferred from shared subnets (serial lines, Ethernet pairs and shared
// segments, interfaces a link cannot join), hosts on LANs, the provider router, bad folders.
#include "ns3/scenario-import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace ns3;
namespace fs = std::filesystem;

namespace
{

class ScenarioImportTest : public testing::Test
{
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() /
                ("import-test-" + std::to_string(getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "in");
    }

    void TearDown() override
    {
        fs::remove_all(m_dir);
    }

    void File(const std::string& name, const std::string& text)
    {
        std::ofstream(m_dir / "in" / name) << text;
    }

    std::string In() const
    {
        return (m_dir / "in").string();
    }

    /** The links as "A B" strings. */
    static std::set<std::string> Links(const ImportedScenario& s)
    {
        std::set<std::string> out;
        for (const auto& l : s.scenario["links"])
        {
            out.insert(l["a"].get<std::string>() + " " + l["b"].get<std::string>());
        }
        return out;
    }

    static bool Mentions(const std::vector<std::string>& lines, const std::string& what)
    {
        for (const auto& l : lines)
        {
            if (l.find(what) != std::string::npos)
            {
                return true;
            }
        }
        return false;
    }

    fs::path m_dir;
};

TEST_F(ScenarioImportTest, LinksFollowSharedSubnetsAndInterfaceTypes)
{
    File("R1.cfg", "hostname R1\n"
                   "interface Serial0/0\n ip address 10.0.12.1 255.255.255.252\n"
                   "interface FastEthernet0/0\n ip address 192.168.0.1 255.255.255.0\n"
                   "interface FastEthernet0/1\n ip address 10.0.99.1 255.255.255.0\n"
                   "interface Loopback0\n ip address 1.1.1.1 255.255.255.255\n"
                   "interface Tunnel0\n ip address 172.31.0.1 255.255.255.252\n"
                   " tunnel source Serial0/0\n tunnel destination 10.0.12.2\n");
    File("R2.cfg", "hostname R2\n"
                   "interface Serial0/0\n ip address 10.0.12.2 255.255.255.252\n"
                   "interface FastEthernet0/0\n ip address 192.168.0.2 255.255.255.0\n"
                   "interface Serial0/1\n ip address 10.0.99.2 255.255.255.0\n"
                   "interface Tunnel0\n ip address 172.31.0.2 255.255.255.252\n"
                   " tunnel source Serial0/0\n tunnel destination 10.0.12.1\n");
    File("R3.cfg", "hostname R3\n"
                   "interface Ethernet0\n ip address 192.168.0.3 255.255.255.0\n"
                   "interface Ethernet1\n ip address 10.3.0.1 255.255.255.0\n"
                   "interface Serial0\n ip address 10.0.34.1 255.255.255.252\n");
    const ImportedScenario s = ScenarioImporter::Import(In());
    // A /30 between two serial interfaces: a line; three Ethernet interfaces on one /24: one
    // segment (every link names the same first end); tunnels and loopbacks are no links;
    // a LAN no other router is on gets a host.
    EXPECT_EQ(Links(s), (std::set<std::string>{
                            "R1:Serial0/0 R2:Serial0/0", "R1:FastEthernet0/0 R2:FastEthernet0/0",
                            "R1:FastEthernet0/0 R3:Ethernet0", "R1-lan:eth0 R1:FastEthernet0/1",
                            "R3-lan:eth0 R3:Ethernet1"}));
    EXPECT_TRUE(Mentions(s.guesses, "shared Ethernet segment on 192.168.0.0/24"));
    EXPECT_TRUE(Mentions(s.guesses, "serial point-to-point line on 10.0.12.0/30"));
    // A serial interface in an Ethernet subnet is not joined; a serial line to nowhere neither.
    EXPECT_TRUE(Mentions(s.warnings, "R2 Serial0/1 is on 10.0.99.0/24 with interfaces of "));
    EXPECT_TRUE(
        Mentions(s.warnings, "R3 Serial0 (10.0.34.0/30) is no Ethernet LAN on a subnet no other"));
    EXPECT_FALSE(s.providerInvented);
    EXPECT_EQ(s.routers, 3u);
}

TEST_F(ScenarioImportTest, ProviderTakesTheNextHopOrAFreeAddress)
{
    File("a-running-config.txt", "interface FastEthernet0/0\n ip address 10.1.0.1 255.255.255.0\n"
                                 "interface FastEthernet0/1\n"
                                 " ip address 198.51.100.2 255.255.255.248\n"
                                 "ip route 0.0.0.0 0.0.0.0 198.51.100.1\n");
    File("B.cfg", "hostname B\ninterface Serial0\n ip address 100.64.0.2 255.255.255.252\n"
                  "ip route 0.0.0.0 0.0.0.0 Serial0\n");
    const ImportedScenario s = ScenarioImporter::Import(In());
    ASSERT_TRUE(s.providerInvented);
    std::map<std::string, std::string> files(s.files.begin(), s.files.end());
    ASSERT_TRUE(files.count("ISP.cfg"));
    EXPECT_NE(files["ISP.cfg"].find(" ip address 198.51.100.1 255.255.255.248"), std::string::npos);
    EXPECT_NE(files["ISP.cfg"].find(" ip address 100.64.0.1 255.255.255.252"), std::string::npos);
    EXPECT_EQ(Links(s),
              (std::set<std::string>{"a:FastEthernet0/1 ISP:FastEthernet0/0",
                                     "B:Serial0 ISP:Serial0/0", "a-lan:eth0 a:FastEthernet0/0"}));
    EXPECT_TRUE(Mentions(s.guesses, "a-running-config.txt has no hostname line: router named a"));
    EXPECT_TRUE(files.count("a.cfg") && files.count("README.md"));
}

TEST_F(ScenarioImportTest, BadFoldersAreRefused)
{
    EXPECT_THROW(ScenarioImporter::Import(In()), ScenarioImportError); // empty
    File("R1.cfg", "hostname R1\ninterface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n");
    File("R1-copy.cfg", "hostname R1\ninterface Ethernet0\n ip address 10.0.0.2 255.255.255.0\n");
    try
    {
        ScenarioImporter::Import(In());
        FAIL() << "two files for one router accepted";
    }
    catch (const ScenarioImportError& e)
    {
        EXPECT_NE(std::string(e.what()).find("router R1 is also the router of"), std::string::npos)
            << e.what();
    }
    fs::remove(m_dir / "in" / "R1-copy.cfg");
    File("banner.txt", "hostname X\nbanner motd ^C hello ^C\n");
    EXPECT_THROW(ScenarioImporter::Import(In()), ScenarioImportError); // no interface
}

TEST_F(ScenarioImportTest, WriteIsAllOrNothing)
{
    File("R1.cfg", "hostname R1\ninterface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n");
    const ImportedScenario s = ScenarioImporter::Import(In());
    const fs::path out = m_dir / "out";
    fs::create_directories(out);
    std::ofstream(out / "keep") << "x";
    EXPECT_THROW(ScenarioImporter::Write(s, out.string()), ScenarioImportError);
    EXPECT_TRUE(fs::exists(out / "keep"));
    fs::remove_all(out);
    ScenarioImporter::Write(s, out.string());
    EXPECT_TRUE(fs::exists(out / "scenario.json") && fs::exists(out / "R1.cfg") &&
                fs::exists(out / "README.md"));
    size_t entries = std::distance(fs::directory_iterator(m_dir), fs::directory_iterator());
    EXPECT_EQ(entries, 2u); // in/ and out/: no staging folder left
}

TEST_F(ScenarioImportTest, CryptoAclLinesBecomeFlowsBetweenTheHostsTheyCover)
{
    const std::string ike = "crypto isakmp policy 10\n authentication pre-share\n"
                            "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n";
    File("A.cfg", "hostname A\n" + ike +
                      "crypto isakmp key k address 192.0.2.2\n"
                      "access-list 101 permit ip 10.1.0.0 0.0.1.255 10.2.0.0 0.0.0.255\n"
                      "access-list 101 permit tcp 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255\n"
                      "crypto map m 10 ipsec-isakmp\n match address 101\n set peer 192.0.2.2\n"
                      " set transform-set ts\n"
                      "interface Ethernet0\n ip address 10.1.0.1 255.255.255.0\n"
                      "interface Ethernet1\n ip address 10.1.1.1 255.255.255.0\n"
                      "interface Serial0\n ip address 192.0.2.1 255.255.255.252\n crypto map m\n");
    File("B.cfg", "hostname B\n" + ike +
                      "crypto isakmp key k address 192.0.2.1\n"
                      "interface Ethernet0\n ip address 10.2.0.1 255.255.255.0\n"
                      "interface Serial0\n ip address 192.0.2.2 255.255.255.252\n");
    const ImportedScenario s = ScenarioImporter::Import(In());
    std::set<std::string> udp;
    std::set<std::string> pings;
    for (const auto& t : s.scenario["traffic"])
    {
        const std::string pair = t["from"].get<std::string>() + ">" + t["to"].get<std::string>();
        (t["kind"] == "udp" ? udp : pings).insert(pair);
    }
    // The wildcard covers both of A's LANs: a flow each way between each of them and B's LAN;
    // A's side starts IKE (it has the crypto map), once per pair of hosts.
    EXPECT_EQ(
        udp, (std::set<std::string>{"A-lan>B-lan", "B-lan>A-lan", "A-lan2>B-lan", "B-lan>A-lan2"}));
    EXPECT_EQ(pings, (std::set<std::string>{"A-lan>B-lan", "A-lan2>B-lan"}));
    EXPECT_TRUE(Mentions(s.warnings, "`permit tcp 10.1.0.0 0.0.0.255 10.2.0.0 0.0.0.255` is not "
                                     "for UDP"));
}

TEST_F(ScenarioImportTest, TunnelWithoutStaticRouteCarriesAllTheFarLans)
{
    auto router = [](const std::string& name, int self, int peer)
    {
        const std::string me = std::to_string(self);
        return "hostname " + name + "\ninterface Tunnel0\n ip address 172.31.0." + me +
               " 255.255.255.252\n tunnel source Serial0\n tunnel destination 192.0.2." +
               std::to_string(peer) + "\ninterface Serial0\n ip address 192.0.2." + me +
               " 255.255.255.252\ninterface Ethernet0\n ip address 10." + me +
               ".0.1 255.255.255.0\nrouter ospf 1\n network 0.0.0.0 255.255.255.255 area 0\n";
    };
    File("R1.cfg", router("R1", 1, 2));
    File("R2.cfg", router("R2", 2, 1));
    const ImportedScenario s = ScenarioImporter::Import(In());
    EXPECT_TRUE(Mentions(s.guesses, "R1 Tunnel0: no static route into it; assumed that a routing "
                                    "protocol carries R2's LANs through it"));
    size_t udp = 0;
    for (const auto& t : s.scenario["traffic"])
    {
        udp += t["kind"] == "udp" ? 1 : 0;
    }
    EXPECT_EQ(udp, 2u);
}

TEST_F(ScenarioImportTest, CommandLine)
{
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(ImportCommand({}, out, err), 2);
    EXPECT_NE(err.str().find("usage: ipsec-sim import DIR [-o SCENARIO_DIR]"), std::string::npos);
    EXPECT_EQ(ImportCommand({In(), "--bogus"}, out, err), 2);
    File("R1.cfg", "hostname R1\ninterface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n");
    const std::string dest = (m_dir / "written").string();
    EXPECT_EQ(ImportCommand({In(), "-o", dest}, out, err), 0);
    EXPECT_NE(out.str().find("wrote " + dest + "/: 1 routers"), std::string::npos) << out.str();
    EXPECT_NE(err.str().find("import: guessed: host R1-lan 10.0.0.10/24"), std::string::npos);
    EXPECT_EQ(ImportCommand({In(), "-o", dest}, out, err), 2); // it exists now
    EXPECT_EQ(ScenarioImporter::DefaultOutput(In() + "/"), "in-scenario");
}

} // namespace
