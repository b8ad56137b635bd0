// The scenario loader and its checks: every way a scenario can be wrong is reported with the JSON
// Pointer of the value at fault, before anything runs; and the runner on small scenarios
// (the default, a cable pulled and plugged back, a configuration the router refuses).
#include "ns3/calibration.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/config.h"
#include "ns3/simulator.h"
#include "ns3/string.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace ns3;
using nlohmann::json;

namespace
{

std::string
ReadSource(const std::string& rel)
{
    std::ifstream in(std::string(IPSEC_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/** The default scenario as JSON, with its configuration files served from memory. */
class ScenarioLoad : public ::testing::Test
{
protected:
    json doc;
    std::map<std::string, std::string> files;

    void SetUp() override
    {
        for (const auto& [name, text] : ScenarioLoader::DefaultFiles())
        {
            files[name] = text;
        }
        doc = json::parse(files.at("scenario.json"));
    }

    ScenarioLoader::FileReader Reader()
    {
        return [this](const std::string& path) -> std::optional<std::string>
        {
            auto it = files.find(std::filesystem::path(path).filename().string());
            return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
    }

    Scenario Load()
    {
        return Load(doc.dump(2));
    }
    Scenario Load(const std::string& text)
    {
        return ScenarioLoader::LoadString(text, "scenario.json", "", Reader());
    }

    /** The errors of loading the current document (none: it loaded). */
    std::vector<ScenarioIssue> Errors()
    {
        return Errors(doc.dump(2));
    }
    std::vector<ScenarioIssue> Errors(const std::string& text)
    {
        try
        {
            Load(text);
        }
        catch (const ScenarioError& e)
        {
            EXPECT_EQ(e.File(), "scenario.json");
            return e.Issues();
        }
        return {};
    }

    /** Exactly one error, at @p pointer, whose message contains @p text. */
    void ExpectError(const std::string& pointer, const std::string& text)
    {
        auto errors = Errors();
        ASSERT_EQ(errors.size(), 1u) << Describe(errors);
        EXPECT_EQ(errors[0].pointer, pointer) << errors[0].message;
        EXPECT_NE(errors[0].message.find(text), std::string::npos)
            << "message: " << errors[0].message << "\nexpected to contain: " << text;
        EXPECT_FALSE(errors[0].warning);
    }

    static std::string Describe(const std::vector<ScenarioIssue>& v)
    {
        std::string s;
        for (const auto& i : v)
        {
            s += i.Format("scenario.json") + "\n";
        }
        return s;
    }

    /** Replace router @p node's configuration by inline lines. */
    void InlineConfig(size_t node, const std::vector<std::string>& lines)
    {
        doc["nodes"][node]["config"] = lines;
    }
    static std::vector<std::string> Lines(const std::string& text)
    {
        std::vector<std::string> out;
        std::istringstream is(text);
        std::string l;
        while (std::getline(is, l))
        {
            out.push_back(l);
        }
        return out;
    }
};

// --- the default ----------------------------------------------------------------------------

TEST_F(ScenarioLoad, DefaultLoadsAsDescribed)
{
    Scenario s = ScenarioLoader::LoadDefault();
    EXPECT_EQ(s.nodes.size(), 5u);
    EXPECT_EQ(s.links.size(), 4u);
    // h1, h3 and R1:Ethernet0 share one CSMA segment; the serial line; R2's LAN.
    ASSERT_EQ(s.segments.size(), 3u);
    EXPECT_EQ(s.segments[0].type, ScenarioLinkType::SERIAL);
    EXPECT_EQ(s.segments[0].rate.GetBitRate(), 1544000u);
    EXPECT_EQ(s.segments[0].delay, MilliSeconds(10));
    EXPECT_EQ(s.segments[1].ends.size(), 3u);
    EXPECT_EQ(s.segments[1].rate.GetBitRate(), 100000000u);
    EXPECT_EQ(s.traffic.size(), 4u);
    EXPECT_EQ(s.traffic[0].port, 5000);
    EXPECT_EQ(s.traffic[2].kind, ScenarioTrafficKind::PING);
    EXPECT_EQ(s.traffic[2].count, 5u);
    EXPECT_EQ(s.traffic[0].toNode, static_cast<uint32_t>(s.FindNode("h2")));
    EXPECT_EQ(s.nodes[0].config.hostname, "R1");
    EXPECT_EQ(s.nodes[0].config.transformSets.count("myset1"), 1u);
    EXPECT_EQ(s.nodes[0].config.transformSets.count("myset2"), 1u);
    EXPECT_TRUE(s.warnings.empty()) << Describe(s.warnings);
}

TEST_F(ScenarioLoad, BuiltInDefaultIsTheFilesInScenariosDefault)
{
    for (const auto& [name, text] : ScenarioLoader::DefaultFiles())
    {
        EXPECT_EQ(ReadSource("scenarios/default/" + name), text) << name;
    }
    Scenario s = ScenarioLoader::LoadFile(std::string(IPSEC_SOURCE_DIR) +
                                          "/scenarios/default/scenario.json");
    EXPECT_EQ(s.nodes.size(), 5u);
    EXPECT_NE(s.nodes[0].configFile.find("scenarios/default/R1.cfg"), std::string::npos);
}

TEST_F(ScenarioLoad, ErrorFormatNamesFileAndPointer)
{
    doc["links"][1]["a"] = "R3:Serial0";
    try
    {
        Load();
        FAIL() << "loaded";
    }
    catch (const ScenarioError& e)
    {
        EXPECT_STREQ(e.what(), "scenario.json: /links/1/a: node \"R3\" is not defined");
    }
}

TEST_F(ScenarioLoad, AllErrorsAreReportedTogether)
{
    doc["links"][1]["a"] = "R3:Serial0";
    doc["traffic"][0]["rat"] = "1kbps";
    doc["events"][0]["at"] = "soon";
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 3u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/links/1/a");
    EXPECT_EQ(errors[1].pointer, "/traffic/0/rat");
    EXPECT_EQ(errors[2].pointer, "/events/0/at");
}

// --- the document ---------------------------------------------------------------------------

TEST_F(ScenarioLoad, HugeNumbersAreErrorsNotCrashes)
{
    // Found by fuzz/scenario-fuzz: a number beyond a double escaped the loader as nlohmann's
    // out_of_range, and a time beyond ns-3's 64-bit nanoseconds overflowed.
    auto errors = Errors("{\n  \"name\": 33333e3333333,\n  \"nodes\": []\n}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("not a JSON file (line 2, column 11): number overflow"),
              std::string::npos)
        << errors[0].message;
    doc["duration"] = 1e84;
    ExpectError("/duration", "at most 1e9 s");
    SetUp();
    doc["traffic"][0]["start"] = "1e999s";
    ExpectError("/traffic/0/start", "cannot read");
    SetUp();
    doc["traffic"][0]["rate"] = "99999999999999999999999999999Gbps";
    ExpectError("/traffic/0/rate", "cannot read");
    std::ifstream crash(std::string(IPSEC_SOURCE_DIR) +
                        "/fuzz/corpus/scenario/regression-number-overflow");
    std::string text((std::istreambuf_iterator<char>(crash)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(text.empty());
    EXPECT_FALSE(Errors(text).empty());
}

TEST_F(ScenarioLoad, NotJson)
{
    auto errors = Errors("{\n  \"name\": \"x\",\n  nodes: []\n}\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "");
    EXPECT_NE(errors[0].message.find("not a JSON file (line 3"), std::string::npos)
        << errors[0].message;
}

TEST_F(ScenarioLoad, RootMustBeAnObject)
{
    auto errors = Errors("[1, 2]");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "");
    EXPECT_NE(errors[0].message.find("JSON object"), std::string::npos);
}

TEST_F(ScenarioLoad, UnknownKeys)
{
    doc["durration"] = 5;
    ExpectError("/durration", "did you mean \"duration\"");
    SetUp();
    doc["traffic"][0]["rat"] = "1kbps";
    ExpectError("/traffic/0/rat", "unknown key \"rat\" (did you mean \"rate\"?)");
    SetUp();
    doc["links"][0]["colour"] = "blue";
    ExpectError("/links/0/colour", "allowed here: a b type rate delay errors comment");
    SetUp();
    doc["nodes"][2]["config"] = "R1.cfg"; // a host has no configuration
    ExpectError("/nodes/2/config", "unknown key \"config\"");
    SetUp();
    doc["comment"] = "comments are allowed everywhere";
    doc["links"][0]["comment"] = "here too";
    EXPECT_TRUE(Errors().empty());
}

TEST_F(ScenarioLoad, KeysWithSlashAreEscapedInPointers)
{
    doc["traffic"][0]["a/b~c"] = 1;
    ExpectError("/traffic/0/a~1b~0c", "unknown key");
}

TEST_F(ScenarioLoad, RootValues)
{
    doc["duration"] = "ten seconds";
    ExpectError("/duration", "cannot read \"ten seconds\" as a time");
    SetUp();
    doc["duration"] = 0;
    ExpectError("/duration", "more than 0");
    SetUp();
    doc["seed"] = 0;
    ExpectError("/seed", "out of range");
    SetUp();
    doc["seed"] = "1";
    ExpectError("/seed", "must be an integer");
    SetUp();
    doc["name"] = 3;
    ExpectError("/name", "must be a string");
    SetUp();
    doc.erase("nodes");
    ExpectError("", "missing key \"nodes\"");
    SetUp();
    doc["nodes"] = json::array();
    ExpectError("/nodes", "non-empty array");
    SetUp();
    doc["links"] = json::object();
    ExpectError("/links", "must be an array");
}

TEST_F(ScenarioLoad, SeedAndRunAreRead)
{
    doc["seed"] = 7;
    doc["run"] = 3;
    Scenario s = Load();
    EXPECT_EQ(s.seed, 7u);
    EXPECT_EQ(s.run, 3u);
}

// --- nodes ----------------------------------------------------------------------------------

TEST_F(ScenarioLoad, NodeNames)
{
    doc["nodes"][2].erase("name");
    auto errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/2");
    EXPECT_NE(errors[0].message.find("missing key \"name\""), std::string::npos);
    SetUp();
    doc["nodes"][2]["name"] = "h1";
    doc["nodes"][2]["name"] = "h 1";
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/2/name");
    EXPECT_NE(errors[0].message.find("letters, digits"), std::string::npos);
    SetUp();
    doc["nodes"][3]["name"] = "h1";
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/3/name");
    EXPECT_NE(errors[0].message.find("defined twice"), std::string::npos);
}

TEST_F(ScenarioLoad, NodeKindAndShape)
{
    doc["nodes"][2]["kind"] = "switch";
    auto errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/2/kind");
    EXPECT_NE(errors[0].message.find("\"router\" or a \"host\""), std::string::npos);
    SetUp();
    doc["nodes"][0] = "R1";
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/0");
    EXPECT_NE(errors[0].message.find("must be an object"), std::string::npos);
}

TEST_F(ScenarioLoad, RouterConfiguration)
{
    doc["nodes"][0].erase("config");
    auto errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/0");
    EXPECT_NE(errors[0].message.find("missing key \"config\""), std::string::npos);
    SetUp();
    doc["nodes"][0]["config"] = "R9.cfg";
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/0/config");
    EXPECT_NE(errors[0].message.find("cannot read configuration file \"R9.cfg\""),
              std::string::npos);
    SetUp();
    doc["nodes"][0]["config"] = 12;
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/0/config");
    SetUp();
    doc["nodes"][0]["config"] = json::array({"hostname R1", 5});
    errors = Errors();
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].pointer, "/nodes/0/config/1");
    EXPECT_NE(errors[0].message.find("must be a string"), std::string::npos);
}

TEST_F(ScenarioLoad, ConfigurationErrorInAFileNamesFileAndLine)
{
    files["R2.cfg"] = "hostname R2\ncrypto map x 10 ipsec-manuel\n";
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/nodes/1/config");
    EXPECT_NE(errors[0].message.find("R2.cfg:2:"), std::string::npos) << errors[0].message;
    EXPECT_NE(errors[0].message.find("ipsec-manuel"), std::string::npos);
    EXPECT_NE(errors[0].message.find("^"), std::string::npos);
}

TEST_F(ScenarioLoad, ConfigurationErrorInlinePointsAtTheLine)
{
    InlineConfig(1, {"hostname R2", "crypto map x 10 ipsec-manuel"});
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/nodes/1/config/1");
    EXPECT_NE(errors[0].message.find("ipsec-manuel"), std::string::npos);
}

TEST_F(ScenarioLoad, InlineConfigurationEqualsTheFile)
{
    InlineConfig(0, Lines(files.at("R1.cfg")));
    Scenario s = Load();
    EXPECT_TRUE(s.nodes[0].inlineConfig);
    EXPECT_EQ(s.nodes[0].config.interfaces.size(), 2u);
}

TEST_F(ScenarioLoad, Hosts)
{
    doc["nodes"][2]["address"] = "10.0.0.10";
    ExpectError("/nodes/2/address", "ADDRESS/PREFIX-LENGTH");
    SetUp();
    doc["nodes"][2]["address"] = "10.0.0.300/24";
    ExpectError("/nodes/2/address", "ADDRESS/PREFIX-LENGTH");
    SetUp();
    doc["nodes"][2]["address"] = "10.0.0.0/24";
    ExpectError("/nodes/2/address", "network or broadcast");
    SetUp();
    doc["nodes"][2]["gateway"] = "10.9.0.1";
    ExpectError("/nodes/2/gateway", "not in the host's subnet 10.0.0.0/24");
    SetUp();
    doc["nodes"][2]["gateway"] = "gw";
    ExpectError("/nodes/2/gateway", "not an IPv4 address");
    SetUp();
    doc["nodes"][2].erase("address");
    ExpectError("/nodes/2", "missing key \"address\"");
}

// --- links ----------------------------------------------------------------------------------

TEST_F(ScenarioLoad, LinkEnds)
{
    doc["links"][0].erase("b");
    ExpectError("/links/0", "missing key \"b\"");
    SetUp();
    doc["links"][0]["a"] = 4;
    ExpectError("/links/0/a", "\"NODE:INTERFACE\"");
    SetUp();
    doc["links"][0]["a"] = "R1";
    ExpectError("/links/0/a", "name the interface of router \"R1\"");
    SetUp();
    doc["links"][0]["a"] = "R1:Serial1";
    ExpectError("/links/0/a", "interface \"Serial1\" is not declared in the configuration of R1");
    SetUp();
    doc["links"][1]["a"] = "h1:eth1";
    ExpectError("/links/1/a", "host \"h1\" has one interface, \"eth0\"");
    SetUp();
    doc["links"][1]["b"] = "h1";
    ExpectError("/links/1/b", "two different ends");
}

TEST_F(ScenarioLoad, InterfaceAbbreviationsAreCanonical)
{
    doc["links"][0]["a"] = "R1:s0";
    doc["links"][1]["b"] = "R1:e0";
    Scenario s = Load();
    EXPECT_EQ(s.links[0].a.interface, "Serial0");
    EXPECT_EQ(s.links[1].b.interface, "Ethernet0");
}

TEST_F(ScenarioLoad, OnlySerialAndEthernetInterfacesTakeLinks)
{
    auto lines = Lines(files.at("R1.cfg"));
    lines.push_back("interface Loopback0");
    lines.push_back(" ip address 192.168.255.1 255.255.255.255");
    InlineConfig(0, lines);
    doc["links"][1]["b"] = "R1:Loopback0";
    ExpectError("/links/1/b", "cannot be linked");
}

TEST_F(ScenarioLoad, LinkTypeMustMatchTheInterfaces)
{
    doc["links"][0]["type"] = "ethernet";
    ExpectError("/links/0/type", "a ethernet link cannot end at R1:Serial0");
    SetUp();
    doc["links"][0]["type"] = "fibre";
    ExpectError("/links/0/type", "\"serial\" or \"ethernet\"");
    SetUp();
    doc["links"][0].erase("type"); // taken from the interfaces
    EXPECT_EQ(Load().links[0].type, ScenarioLinkType::SERIAL);
}

TEST_F(ScenarioLoad, ASerialEndHasOneLink)
{
    doc["links"].push_back({{"a", "R1:Serial0"}, {"b", "R2:Serial0"}});
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 2u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/links/4/a");
    EXPECT_NE(errors[0].message.find("already an end of the serial link /links/0"),
              std::string::npos);
    EXPECT_EQ(errors[1].pointer, "/links/4/b");
}

TEST_F(ScenarioLoad, RatesAndDelays)
{
    doc["links"][0]["rate"] = "fast";
    ExpectError("/links/0/rate", "cannot read \"fast\" as a data rate");
    SetUp();
    doc["links"][0]["rate"] = "1544";
    ExpectError("/links/0/rate", "as a data rate");
    SetUp();
    doc["links"][0]["rate"] = "1544 kbps";
    ExpectError("/links/0/rate", "as a data rate");
    SetUp();
    doc["links"][0]["delay"] = "10 parsecs";
    ExpectError("/links/0/delay", "as a time");
    SetUp();
    doc["links"][0]["delay"] = -1;
    ExpectError("/links/0/delay", "must not be negative");
    SetUp();
    doc["links"][0]["rate"] = 2048000;
    doc["links"][0]["delay"] = 0.005;
    Scenario s = Load();
    EXPECT_EQ(s.links[0].rate.GetBitRate(), 2048000u);
    EXPECT_EQ(s.links[0].delay, MilliSeconds(5));
}

TEST_F(ScenarioLoad, OneEthernetSegmentHasOneRate)
{
    doc["links"][2]["rate"] = "10Mbps"; // h3 to R1:Ethernet0, the LAN of links/1 at 100Mbps
    ExpectError("/links/2/rate", "already has rate 100000000bps (/links/1/rate)");
}

TEST_F(ScenarioLoad, LinksNamingOneEthernetInterfaceShareASegment)
{
    // h3 joins via h1 rather than R1: still one segment.
    doc["links"][2]["b"] = "h1:eth0";
    Scenario s = Load();
    ASSERT_EQ(s.segments.size(), 3u);
    EXPECT_EQ(s.segments[1].ends.size(), 3u);
    EXPECT_EQ(s.links[1].segment, s.links[2].segment);
}

TEST_F(ScenarioLoad, SerialEncapsulationsMustMatch)
{
    auto lines = Lines(files.at("R2.cfg"));
    for (size_t i = 0; i < lines.size(); ++i)
    {
        if (lines[i] == "interface Serial0")
        {
            lines.insert(lines.begin() + i + 1, " encapsulation ppp");
            break;
        }
    }
    InlineConfig(1, lines);
    ExpectError("/links/0", "R1:Serial0 uses encapsulation hdlc and R2:Serial0 uses ppp");
}

// --- traffic --------------------------------------------------------------------------------

TEST_F(ScenarioLoad, TrafficKindsAndEnds)
{
    doc["traffic"][0]["kind"] = "icmp";
    ExpectError("/traffic/0/kind", "\"udp\", \"ping\" or \"tcp\"");
    SetUp();
    doc["traffic"][0]["from"] = "h7";
    ExpectError("/traffic/0/from", "node \"h7\" is not defined");
    SetUp();
    doc["traffic"][0]["to"] = "10.2.2.99";
    ExpectError("/traffic/0/to", "no node has the address 10.2.2.99");
    SetUp();
    doc["traffic"][0]["to"] = "R2";
    ExpectError("/traffic/0/to", "give the one to send to");
    SetUp();
    doc["traffic"][0]["to"] = "h1";
    ExpectError("/traffic/0/to", "not to itself");
    SetUp();
    doc["traffic"][0]["to"] = "h2"; // a host by name is its address
    EXPECT_EQ(Load().traffic[0].to, Ipv4Address("10.2.2.5"));
}

TEST_F(ScenarioLoad, TrafficTimes)
{
    doc["traffic"][0]["start"] = 10;
    ExpectError("/traffic/0/start", "after the end of the run");
    SetUp();
    doc["traffic"][0]["stop"] = 11;
    ExpectError("/traffic/0/stop", "after the end of the run");
    SetUp();
    doc["traffic"][0]["stop"] = 0.5;
    ExpectError("/traffic/0/stop", "stops before it starts");
    SetUp();
    doc["traffic"][0]["start"] = "1500ms";
    EXPECT_EQ(Load().traffic[0].start, MilliSeconds(1500));
}

TEST_F(ScenarioLoad, TrafficValues)
{
    doc["traffic"][0].erase("rate");
    ExpectError("/traffic/0", "missing key \"rate\"");
    SetUp();
    doc["traffic"][0]["rate"] = "lots";
    ExpectError("/traffic/0/rate", "as a data rate");
    SetUp();
    doc["traffic"][0]["size"] = 70000;
    ExpectError("/traffic/0/size", "out of range (1..65507)");
    SetUp();
    doc["traffic"][2]["count"] = -3;
    ExpectError("/traffic/2/count", "at least 1");
    SetUp();
    doc["traffic"][2]["interval"] = 0;
    ExpectError("/traffic/2/interval", "more than 0");
    SetUp();
    doc["traffic"][3]["bytes"] = "1MB";
    ExpectError("/traffic/3/bytes", "must be an integer");
    SetUp();
    doc["traffic"][3]["rate"] = "1Mbps"; // not a tcp key
    ExpectError("/traffic/3/rate", "unknown key");
}

TEST_F(ScenarioLoad, OneSinkPerPort)
{
    doc["traffic"][0]["port"] = 7000;
    doc["traffic"].push_back(doc["traffic"][0]);
    doc["traffic"][4]["from"] = "h3";
    ExpectError("/traffic/4/port", "udp port 7000 of 10.2.2.5 is already the sink of /traffic/0");
}

TEST_F(ScenarioLoad, PingsThatDoNotFitAreAWarning)
{
    doc["traffic"][2]["count"] = 50;
    Scenario s = Load();
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_EQ(s.warnings[0].pointer, "/traffic/2/count");
    EXPECT_NE(s.warnings[0].message.find("only 8 of 50"), std::string::npos)
        << s.warnings[0].message;
}

// --- events ---------------------------------------------------------------------------------

TEST_F(ScenarioLoad, ExecEvents)
{
    doc["events"][0]["at"] = 11;
    ExpectError("/events/0/at", "after the end of the run");
    SetUp();
    doc["events"][0]["node"] = "h1";
    ExpectError("/events/0/node", "is a host");
    SetUp();
    doc["events"][0]["node"] = "R7";
    ExpectError("/events/0/node", "node \"R7\" is not defined");
    SetUp();
    doc["events"][0]["exec"] = "show crypto ipsex sa";
    ExpectError("/events/0/exec", "Invalid input");
    SetUp();
    doc["events"][0].erase("at");
    ExpectError("/events/0", "missing key \"at\"");
}

TEST_F(ScenarioLoad, LinkEvents)
{
    doc["events"].push_back({{"at", 3}, {"link", "R1:Serial0"}, {"state", "sideways"}});
    ExpectError("/events/3/state", "\"up\" or \"down\"");
    SetUp();
    doc["events"].push_back({{"at", 3}, {"link", "R1:Serial0"}, {"exec", "show crypto map"}});
    ExpectError("/events/3", "an event has \"node\" and \"exec\"");
    SetUp();
    doc["events"].push_back({{"at", 3}});
    ExpectError("/events/3", "an event has \"node\" and \"exec\"");
    SetUp();
    auto lines = Lines(files.at("R1.cfg"));
    lines.push_back("interface Serial1");
    InlineConfig(0, lines);
    doc["events"].push_back({{"at", 3}, {"link", "R1:Serial1"}, {"state", "down"}});
    ExpectError("/events/3/link", "R1:Serial1 is the end of no link");
}

TEST_F(ScenarioLoad, EventsAreSortedByTime)
{
    doc["events"].push_back({{"at", 1}, {"link", "R1:Serial0"}, {"state", "down"}});
    Scenario s = Load();
    ASSERT_EQ(s.events.size(), 4u);
    EXPECT_EQ(s.events[0].kind, ScenarioEvent::Kind::LINK_STATE);
    EXPECT_EQ(s.events[0].pointer, "/events/3");
    EXPECT_EQ(s.events[1].pointer, "/events/0");
}

// --- the topology ---------------------------------------------------------------------------

TEST_F(ScenarioLoad, NodeWithoutLink)
{
    doc["nodes"].push_back({{"name", "h9"}, {"kind", "host"}, {"address", "10.9.9.9/24"}});
    ExpectError("/nodes/5", "node \"h9\" has no link");
}

TEST_F(ScenarioLoad, PartNotConnectedToTheRest)
{
    doc["nodes"].push_back({{"name", "h8"}, {"kind", "host"}, {"address", "10.9.9.8/24"}});
    doc["nodes"].push_back({{"name", "h9"}, {"kind", "host"}, {"address", "10.9.9.9/24"}});
    doc["links"].push_back({{"a", "h8"}, {"b", "h9"}});
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 2u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/nodes/5");
    EXPECT_NE(errors[0].message.find("\"h8\" is not connected to \"R1\""), std::string::npos);
    EXPECT_EQ(errors[1].pointer, "/nodes/6");
}

TEST_F(ScenarioLoad, DuplicateAddresses)
{
    doc["nodes"][3]["address"] = "10.0.0.10/24";
    ExpectError("/nodes/3/address", "10.0.0.10 is already the address of h1:eth0");
    SetUp();
    doc["nodes"][3]["address"] = "10.0.0.1/24"; // R1's Ethernet0
    ExpectError("/nodes/3/address", "10.0.0.1 is already the address of R1:Ethernet0");
    SetUp();
    auto lines = Lines(files.at("R2.cfg"));
    for (auto& l : lines)
    {
        if (l == " ip address 10.2.2.1 255.255.255.0")
        {
            l = " ip address 10.0.0.1 255.255.255.0";
        }
    }
    InlineConfig(1, lines);
    doc["nodes"][4]["address"] = "10.0.0.5/24";
    doc["nodes"][4]["gateway"] = "10.0.0.1";
    doc["traffic"] = json::array();
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/nodes/1/config/16"); // "interface Ethernet0", line 17
    EXPECT_NE(errors[0].message.find("interface Ethernet0: 10.0.0.1 is already the address of "
                                     "R1:Ethernet0"),
              std::string::npos)
        << errors[0].message;
}

TEST_F(ScenarioLoad, GatewayMustBeOnTheHostsLink)
{
    doc["nodes"][2]["gateway"] = "10.0.0.99";
    ExpectError("/nodes/2/gateway", "no node on h1's link has the gateway address 10.0.0.99");
}

TEST_F(ScenarioLoad, UnreachablePeer)
{
    auto lines = Lines(files.at("R1.cfg"));
    for (auto& l : lines)
    {
        if (l == " set peer 172.16.0.2")
        {
            l = " set peer 10.2.2.5";
        }
        if (l.rfind("ip route", 0) == 0)
        {
            l = "!";
        }
    }
    InlineConfig(0, lines);
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    // The crypto map entry's line, counted from 0.
    size_t entry = 0;
    while (lines[entry].rfind("crypto map toRemoteSite 10", 0) != 0)
    {
        ++entry;
    }
    EXPECT_EQ(errors[0].pointer, "/nodes/0/config/" + std::to_string(entry));
    EXPECT_NE(errors[0].message.find("crypto map toRemoteSite 10: set peer 10.2.2.5 cannot be "
                                     "reached: R1 has no route to 10.2.2.5"),
              std::string::npos)
        << errors[0].message;
}

TEST_F(ScenarioLoad, UnreachablePeerInAFileNamesTheLine)
{
    std::string cfg = files.at("R1.cfg");
    cfg.replace(cfg.find("set peer 172.16.0.2"), 19, "set peer 192.0.2.1");
    files["R1.cfg"] = cfg;
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    EXPECT_EQ(errors[0].pointer, "/nodes/0/config");
    EXPECT_NE(errors[0].message.find("R1.cfg:11: crypto map toRemoteSite 10: set peer 192.0.2.1"),
              std::string::npos)
        << errors[0].message;
}

TEST_F(ScenarioLoad, PeerBehindARoutingLoop)
{
    // R2 sends 10.0.0.0/24 back to R1, and R1 sends it to R2: a loop.
    std::string r1 = files.at("R1.cfg");
    r1.replace(r1.find("set peer 172.16.0.2"), 19, "set peer 10.9.0.1 ");
    r1 += "ip route 10.9.0.0 255.255.255.0 172.16.0.2\n";
    files["R1.cfg"] = r1;
    files["R2.cfg"] += "ip route 10.9.0.0 255.255.255.0 172.16.0.1\n";
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u) << Describe(errors);
    EXPECT_NE(errors[0].message.find("routing loop: R1 -> R2 -> R1"), std::string::npos)
        << errors[0].message;
}

TEST_F(ScenarioLoad, TrafficWithoutRouteIsAWarning)
{
    doc["nodes"][4].erase("gateway");
    Scenario s = Load();
    ASSERT_EQ(s.warnings.size(), 4u) << Describe(s.warnings);
    EXPECT_EQ(s.warnings[0].pointer, "/traffic/0");
    EXPECT_NE(s.warnings[0].message.find("no route back from h2 to 10.0.0.10: h2 has no route"),
              std::string::npos)
        << s.warnings[0].message;
    EXPECT_NE(s.warnings[1].message.find("no route from h2 to 10.0.0.10"), std::string::npos);
}

TEST_F(ScenarioLoad, EndsOfALinkInDifferentSubnetsIsAWarning)
{
    doc["nodes"][3]["address"] = "10.0.1.20/24";
    doc["nodes"][3].erase("gateway");
    doc["traffic"].erase(2); // h3's ping
    Scenario s = Load();
    ASSERT_EQ(s.warnings.size(), 1u) << Describe(s.warnings);
    EXPECT_NE(s.warnings[0].message.find("share a link but not a subnet"), std::string::npos);
}

TEST_F(ScenarioLoad, TraceFollowsTheConfiguredRoutes)
{
    Scenario s = Load();
    ScenarioTopology topo(s);
    EXPECT_EQ(boost::num_vertices(topo.GetGraph()), s.nodes.size() + s.segments.size());
    EXPECT_EQ(boost::num_edges(topo.GetGraph()), 7u);
    std::string why;
    auto path = topo.Trace(static_cast<uint32_t>(s.FindNode("h1")), Ipv4Address("10.2.2.5"), &why);
    ASSERT_TRUE(path) << why;
    std::vector<std::string> names;
    for (uint32_t n : *path)
    {
        names.push_back(s.nodes[n].name);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"h1", "R1", "R2", "h2"}));
    EXPECT_FALSE(topo.Trace(0, Ipv4Address("192.0.2.1"), &why));
    EXPECT_EQ(why, "R1 has no route to 192.0.2.1");
}

// --- units ----------------------------------------------------------------------------------

TEST(ScenarioUnits, Times)
{
    EXPECT_EQ(*ParseScenarioTime(json(2)), Seconds(2));
    EXPECT_EQ(*ParseScenarioTime(json(0.25)), MilliSeconds(250));
    EXPECT_EQ(*ParseScenarioTime(json("10ms")), MilliSeconds(10));
    EXPECT_EQ(*ParseScenarioTime(json("0.1ms")), MicroSeconds(100));
    EXPECT_EQ(*ParseScenarioTime(json("250us")), MicroSeconds(250));
    EXPECT_EQ(*ParseScenarioTime(json("2min")), Seconds(120));
    EXPECT_EQ(*ParseScenarioTime(json("1.5 s")), MilliSeconds(1500));
    EXPECT_FALSE(ParseScenarioTime(json("10 parsecs")));
    EXPECT_FALSE(ParseScenarioTime(json("ms")));
    EXPECT_FALSE(ParseScenarioTime(json(true)));
}

TEST(ScenarioUnits, Rates)
{
    EXPECT_EQ(ParseScenarioRate(json("1544kbps"))->GetBitRate(), 1544000u);
    EXPECT_EQ(ParseScenarioRate(json("100Mbps"))->GetBitRate(), 100000000u);
    EXPECT_EQ(ParseScenarioRate(json("2Mb/s"))->GetBitRate(), 2000000u);
    EXPECT_EQ(ParseScenarioRate(json(64000))->GetBitRate(), 64000u);
    EXPECT_FALSE(ParseScenarioRate(json("fast")));
    EXPECT_FALSE(ParseScenarioRate(json("1544")));
    EXPECT_FALSE(ParseScenarioRate(json("kbps")));
    EXPECT_FALSE(ParseScenarioRate(json(0)));
    EXPECT_FALSE(ParseScenarioRate(json("10 furlongs")));
}

TEST(ScenarioUnits, SerialFraming)
{
    for (auto e : {IosEncapsulation::NONE, IosEncapsulation::HDLC, IosEncapsulation::PPP,
                   IosEncapsulation::FRAME_RELAY})
    {
        SerialFraming f = SerialFraming::For(e);
        EXPECT_EQ(f.bytes, 7u);
        EXPECT_EQ(f.modelled, 2u);
    }
    EXPECT_EQ(SerialFraming::For(IosEncapsulation::NONE).name, "hdlc");
    EXPECT_EQ(SerialFraming::For(IosEncapsulation::PPP).name, "ppp");
}

// --- the runner -----------------------------------------------------------------------------

class ScenarioRun : public ScenarioLoad
{
protected:
    std::string out;

    void SetUp() override
    {
        ScenarioLoad::SetUp();
        out = (std::filesystem::temp_directory_path() /
               ("scenario-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
        std::filesystem::remove_all(out);
    }
    void TearDown() override
    {
        std::filesystem::remove_all(out);
    }

    json Run()
    {
        ScenarioRunner r(Load());
        r.Build();
        ScenarioRunner::Options o;
        o.outDir = out;
        return r.Run(o);
    }
};

TEST_F(ScenarioRun, DefaultDeliversEverythingThroughTheTunnel)
{
    json r = Run();
    for (const auto& f : r["flows"])
    {
        EXPECT_GT(f["sent"].get<uint64_t>(), 0u) << f.dump();
        EXPECT_EQ(f["received"], f["sent"]) << f.dump();
        EXPECT_EQ(f["lost"], 0) << f.dump();
        EXPECT_GT(f["mean_delay_s"].get<double>(), 0.010) << f.dump(); // the serial line's delay
        EXPECT_GE(f["max_delay_s"].get<double>(), f["mean_delay_s"].get<double>());
    }
    EXPECT_EQ(r["flows"][0]["sent"], 437); // 256 kbit/s of 512-byte datagrams for 7 s
    EXPECT_EQ(r["flows"][2]["sent"], 5);
    EXPECT_EQ(r["flows"][3]["sink_bytes"], 60000);
    const auto& r1 = r["nodes"]["R1"]["report"];
    const auto& r2 = r["nodes"]["R2"]["report"];
    EXPECT_GT(r1["encapsulated"].get<uint64_t>(), 0u);
    EXPECT_EQ(r1["encapsulated"], r2["decapsulated"]);
    EXPECT_EQ(r2["encapsulated"], r1["decapsulated"]);
    EXPECT_TRUE(r1["drops"].empty()) << r1.dump();
    EXPECT_TRUE(r2["drops"].empty()) << r2.dump();
    for (const char* f : {"results.json", "esp_sa.uat", "show/R1.txt", "show/R2.txt",
                          "R1_Serial0.pcap", "R2_Serial0.pcap", "R1_Ethernet0.pcap", "h1_eth0.pcap",
                          "h3_eth0.pcap", "h2_eth0.pcap", "R2_Ethernet0.pcap"})
    {
        EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
    }
    std::ifstream show(out + "/show/R1.txt");
    std::string text((std::istreambuf_iterator<char>(show)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("! 5.000 s\nR1#show crypto ipsec sa\n"), 0u) << text.substr(0, 80);
    EXPECT_NE(text.find("! 9.000 s\nR1#show access-lists\n"), std::string::npos);
    EXPECT_NE(text.find("! 10.000 s\nR1#show crypto ipsec sa\n"), std::string::npos);
    EXPECT_NE(text.find("#pkts encaps: " + r1["encapsulated"].dump()), std::string::npos);
}

TEST_F(ScenarioRun, HostsHoldPacketsWhileTheyRefreshAnArpEntry)
{
    // h1 learns h3's address at 1 s; ns-3 asks again 120 s later, while 5 Mbit/s are flowing,
    // and here sends its request after its longest jitter (10 ms): about 30 datagrams wait.
    // With ns-3's 3 pending packets most of them were lost; a host holds 101, as Linux does.
    Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                       StringValue("ns3::ConstantRandomVariable[Constant=10.0]"));
    struct RestoreJitter
    {
        ~RestoreJitter()
        {
            Config::SetDefault("ns3::ArpL3Protocol::RequestJitter",
                               StringValue("ns3::UniformRandomVariable[Min=0.0|Max=10.0]"));
        }
    } restore; // ns-3's default, for the tests that follow
    doc["duration"] = 126;
    doc["traffic"] = json::parse(R"([
        {"kind": "ping", "from": "h1", "to": "10.0.0.11", "count": 1, "start": 1},
        {"kind": "udp", "from": "h1", "to": "10.0.0.11", "rate": "5Mbps", "size": 200,
         "start": 115, "stop": 125}])");
    doc.erase("events");
    json r = Run();
    const json& udp = r["flows"][1];
    EXPECT_GT(udp["sent"].get<uint64_t>(), 30000u) << udp.dump();
    EXPECT_EQ(udp["received"], udp["sent"]) << udp.dump();
}

TEST_F(ScenarioRun, SameSeedAndRunSameBytesOtherRunOtherBytes)
{
    auto capture = [this]()
    {
        std::ifstream in(out + "/R1_Serial0.pcap", std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    json a = Run();
    const std::string pcapA = capture();
    std::filesystem::remove_all(out);
    json b = Run(); // in the same process, too
    EXPECT_EQ(a["flows"], b["flows"]);
    EXPECT_FALSE(pcapA.empty());
    EXPECT_EQ(capture(), pcapA);
    std::filesystem::remove_all(out);
    doc["run"] = 2; // other IVs
    Run();
    EXPECT_NE(capture(), pcapA);
}

TEST_F(ScenarioRun, CablePulledAndPluggedBack)
{
    // The serial line is down from 3 s to 5 s: h1's datagrams are lost meanwhile (IP has no
    // route out of a down interface, so none is encrypted) and flow again once it is back,
    // static routes included.
    doc["events"] = json::array({{{"at", 3}, {"link", "R2:Serial0"}, {"state", "down"}},
                                 {{"at", 5}, {"link", "R1:s0"}, {"state", "up"}}});
    doc["traffic"] = json::array({doc["traffic"][0]});
    json r = Run();
    const auto& f = r["flows"][0];
    const uint64_t sent = f["sent"];
    const uint64_t received = f["received"];
    EXPECT_EQ(sent, 437u);
    // 2 s of 62.5 datagrams per second, give or take the one on the wire.
    EXPECT_NEAR(static_cast<double>(sent - received), 125.0, 2.0) << f.dump();
    const auto& r1 = r["nodes"]["R1"]["report"];
    const auto& r2 = r["nodes"]["R2"]["report"];
    EXPECT_LE(r2["decapsulated"].get<uint64_t>(), r1["encapsulated"].get<uint64_t>());
    EXPECT_NEAR(r1["encapsulated"].get<double>(), static_cast<double>(received), 2.0);
}

TEST_F(ScenarioRun, EthernetCablePulledAtOneHost)
{
    // h3 leaves the LAN for a while; h1 on the same segment is not affected.
    doc["events"] = json::array({{{"at", 1.9}, {"link", "h3:eth0"}, {"state", "down"}},
                                 {{"at", 4.5}, {"link", "h3:eth0"}, {"state", "up"}}});
    json r = Run();
    EXPECT_EQ(r["flows"][0]["received"], r["flows"][0]["sent"]);
    EXPECT_EQ(r["flows"][2]["sent"], 5);
    EXPECT_EQ(r["flows"][2]["received"], 2); // pings at 5 s and 6 s
}

TEST_F(ScenarioRun, ConfigurationTheRouterRefusesIsRejectedAtBuild)
{
    // Consistent as text, not as a router: a manual entry whose key has the wrong length.
    std::string r1 = files.at("R1.cfg");
    const std::string key = "authenticator 00112233445566778899aabbccddeeff";
    r1.replace(r1.find(key), key.size(), "authenticator 0011");
    files["R1.cfg"] = r1;
    Scenario s = Load();
    ScenarioRunner runner(s);
    try
    {
        runner.Build();
        FAIL() << "built";
    }
    catch (const ScenarioError& e)
    {
        ASSERT_EQ(e.Issues().size(), 1u) << e.what();
        EXPECT_EQ(e.Issues()[0].pointer, "/nodes/0/config");
        EXPECT_NE(e.Issues()[0].message.find("R1.cfg"), std::string::npos) << e.what();
    }
    Simulator::Destroy();
    EXPECT_FALSE(std::filesystem::exists(out));
}

// --- the release whose output a router prints -----------------------------------------------

TEST_F(ScenarioLoad, IosReleaseKey)
{
    Scenario plain = Load();
    EXPECT_EQ(plain.nodes[0].config.release, IosRelease::IOS_15);
    doc["nodes"][0]["ios"] = "12.4";
    EXPECT_EQ(Load().nodes[0].config.release, IosRelease::IOS_12_4);
    EXPECT_EQ(Load().nodes[1].config.release, IosRelease::IOS_15);
    doc["nodes"][0]["ios"] = "12.3";
    ExpectError("/nodes/0/ios", "is \"12.4\" or \"15\", not \"12.3\"");
}

// --- hardware -------------------------------------------------------------------------------

TEST_F(ScenarioLoad, HardwareKeys)
{
    doc["nodes"][0]["platform"] = "1750";
    doc["nodes"][0]["modules"] = {"MOD1700-VPN"};
    Scenario s = Load();
    EXPECT_EQ(s.nodes[0].platform, "1750");
    EXPECT_EQ(s.nodes[0].modules, std::vector<std::string>{"MOD1700-VPN"});
    EXPECT_TRUE(s.nodes[1].platform.empty());
    EXPECT_FALSE(s.fastCrypto);

    doc["nodes"][0]["platform"] = "1760x";
    ExpectError("/nodes/0/platform", "unknown platform \"1760x\" (the calibration has 1720, 1750");
    doc["nodes"][0]["platform"] = "7200-NPE-G1";
    ExpectError("/nodes/0/modules/0", "card \"MOD1700-VPN\" does not fit platform \"7200-NPE-G1\"");
    doc["nodes"][0]["modules"] = {"SA-VAM2+", "VAM9"};
    ExpectError("/nodes/0/modules/1", "unknown card \"VAM9\"");
    doc["nodes"][0]["modules"] = "SA-VAM2+";
    ExpectError("/nodes/0/modules", "expected an array of card names");
    doc["nodes"][0].erase("platform");
    doc["nodes"][0]["modules"] = {"SA-VAM2+"};
    ExpectError("/nodes/0/modules", "modules need a \"platform\"");
    doc["nodes"][0].erase("modules");
    doc["nodes"][2]["platform"] = "1750";
    ExpectError("/nodes/2/platform", "unknown key");
    doc["nodes"][2].erase("platform");

    doc["crypto"] = "fast";
    EXPECT_TRUE(Load().fastCrypto);
    doc["crypto"] = "slow";
    ExpectError("/crypto", "\"real\" (the default: bytes encrypted) or \"fast\"");
}

TEST_F(ScenarioLoad, CardEvents)
{
    doc["nodes"][0]["platform"] = "1750";
    doc["nodes"][0]["modules"] = {"MOD1700-VPN"};
    doc["events"].push_back({{"at", 3}, {"node", "R1"}, {"card", 0}, {"state", "failed"}});
    Scenario s = Load();
    ASSERT_EQ(s.events.size(), 4u);
    EXPECT_EQ(s.events[0].kind, ScenarioEvent::Kind::CARD_STATE);
    EXPECT_FALSE(s.events[0].up);
    doc["events"][3]["card"] = 1;
    ExpectError("/events/3/card", "\"R1\" has 1 card(s) in \"modules\"; slot 1 is not one of them");
    doc["events"][3]["card"] = 0;
    doc["events"][3]["state"] = "broken";
    ExpectError("/events/3/state", "a card state is \"failed\" or \"up\"");
    doc["events"][3]["state"] = "up";
    doc["events"][3]["exec"] = "show crypto engine configuration";
    ExpectError("/events/3/exec", "a card event has \"node\", \"card\" and \"state\" only");
}

TEST_F(ScenarioRun, PlatformAndCardTimeTheTunnel)
{
    const json untimed = Run();
    Simulator::Destroy();
    std::filesystem::remove_all(out);
    for (size_t n : {0, 1})
    {
        doc["nodes"][n]["platform"] = "1750";
        doc["nodes"][n]["modules"] = {"MOD1700-VPN"};
    }
    doc["events"].push_back(
        {{"at", 4.5}, {"node", "R1"}, {"exec", "show crypto engine configuration"}});
    doc["events"].push_back(
        {{"at", 4.5}, {"node", "R1"}, {"exec", "show crypto engine connections active"}});
    doc["events"].push_back({{"at", 4.5}, {"node", "R1"}, {"exec", "show processes cpu"}});
    doc["events"].push_back(
        {{"at", 4.5}, {"node", "R1"}, {"exec", "show simulation crypto engine"}});
    doc["events"].push_back({{"at", 6}, {"node", "R1"}, {"card", 0}, {"state", "failed"}});
    doc["events"].push_back({{"at", 9.5}, {"node", "R1"}, {"exec", "sh cry eng conf"}});
    const json r = Run();
    for (size_t i = 0; i < r["flows"].size(); ++i)
    {
        const auto& f = r["flows"][i];
        EXPECT_EQ(f["received"], f["sent"]) << f.dump();
        EXPECT_EQ(f["sent"], untimed["flows"][i]["sent"]) << f.dump();
    }
    // Crypto and switching take time now: about 2 ms of the card's time at each end for a
    // 512-byte packet (the other flows share the serial line with TCP, whose queueing changes).
    EXPECT_GT(r["flows"][0]["mean_delay_s"].get<double>(),
              untimed["flows"][0]["mean_delay_s"].get<double>() + 0.004)
        << r["flows"][0].dump();
    const auto& hw = r["nodes"]["R1"]["report"]["hardware"];
    EXPECT_EQ(hw["platform"], "1750");
    ASSERT_EQ(hw["cards"].size(), 1u) << hw.dump();
    EXPECT_EQ(hw["cards"][0]["card"], "MOD1700-VPN");
    EXPECT_EQ(hw["cards"][0]["tunnels"], 1);
    EXPECT_EQ(hw["cards"][0]["max_tunnels"], 100);
    EXPECT_TRUE(hw["cards"][0]["failed"].get<bool>());
    EXPECT_GT(hw["cards"][0]["completed"].get<uint64_t>(), 100u);
    // the CPU switched every transit packet, and took the crypto over when the card failed
    EXPECT_GT(hw["forwarded"].get<uint64_t>(), 400u);
    EXPECT_GT(hw["cpu"]["completed"].get<uint64_t>(), hw["forwarded"].get<uint64_t>());
    EXPECT_EQ(hw["input_queue_drops"], 0);

    std::ifstream show(out + "/show/R1.txt");
    std::string text((std::istreambuf_iterator<char>(show)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("R1#show crypto engine configuration\n"
                        "crypto engine name:  Cisco VPN Software Implementation\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("crypto engine name:  MOD1700-VPN\ncrypto engine type:  hardware\n"
                        "            State:  Enabled\n         Location:  slot 0\n"),
              std::string::npos);
    // What no IOS prints is in the simulator's own command.
    EXPECT_NE(text.find("R1#show simulation crypto engine\nengine "), std::string::npos);
    EXPECT_NE(text.find("tunnels:  1 of 100, past the limit: refused"), std::string::npos);
    EXPECT_NE(text.find("            State:  Disabled\n"), std::string::npos)
        << "the show at 9.5 s, after the card failed";
    // One row per SA of the manually keyed tunnel, under the conn ids show crypto ipsec sa has.
    EXPECT_NE(text.find(" 2001  IPsec   3DES+MD5 "), std::string::npos) << text;
    EXPECT_NE(text.find(" 2002  IPsec   3DES+MD5 "), std::string::npos) << text;
    EXPECT_NE(text.find("conn id: 2001, flow_id: MOD1700-VPN:1, sibling_flags 80000046"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("R1#show processes cpu\nCPU utilization for five seconds: "),
              std::string::npos);
}

TEST(ScenarioHardware, DiffieHellmanTakesTheEnginesTime)
{
    // The spec's IKE example: main mode (two exponentiations a side) and quick mode, timed on
    // no hardware, on a 1750's CPU, and on a 1750 whose VPN module does the exponentiations.
    auto mainMode =
        [](const std::string& platform, const std::vector<std::string>& modules, uint8_t group)
    {
        Scenario s = ScenarioLoader::LoadFile(std::string(IPSEC_SOURCE_DIR) +
                                              "/scenarios/ike-spec-example/scenario.json");
        for (auto& n : s.nodes)
        {
            if (n.IsRouter())
            {
                n.platform = platform;
                n.modules = modules;
                for (auto& [priority, policy] : n.config.isakmpPolicies)
                {
                    policy.group = group;
                }
            }
        }
        ScenarioRunner r(s);
        r.Build();
        ScenarioRunner::Options o;
        o.outDir = (std::filesystem::temp_directory_path() /
                    ("scenario-test-dh-" + std::to_string(::getpid())))
                       .string();
        o.pcaps = false;
        const json res = r.Run(o);
        std::filesystem::remove_all(o.outDir);
        for (const auto& e : res["ike"])
        {
            if (e["exchange"] == "main" && e["role"] == "initiator" && e["result"] == "ok")
            {
                return e["end_s"].get<double>() - e["start_s"].get<double>();
            }
        }
        ADD_FAILURE() << "no main mode: " << res["ike"].dump();
        return 0.0;
    };
    const double none = mainMode("", {}, 2);
    const double cpu = mainMode("1750", {}, 2);
    const double card = mainMode("1750", {"MOD1700-VPN"}, 2);
    const IpsecCalibration& cal = IpsecCalibration::Default();
    // group 2: a 1024-bit exponentiation; each side does two (its key pair, the shared secret)
    const double cpuDh = cal.GetFigure("/softwareCrypto/dhModexpCycles1024").number /
                         (cal.GetFigure("/platforms/1750/cpuMHz").number * 1e6);
    const double cardDh = cal.GetFigure("/cards/MOD1700-VPN/dhModexpMs1024").number / 1e3;
    EXPECT_LT(none, 0.1);
    // The initiator waits for its key pair, the responder's two, and its own shared secret.
    EXPECT_NEAR(cpu - none, 4 * cpuDh, 0.05 * 4 * cpuDh) << "cpu " << cpu << " none " << none;
    EXPECT_NEAR(card - none, 4 * cardDh, 0.05 * 4 * cardDh) << "card " << card;

    // Group 24 (2048-bit MODP, 256-bit subgroup) on the card: costed by its modulus, (2048/1024)^3
    // = 8 times group 2's exponentiation. (Group 16's 64 times, 6.4 s per exponentiation on this
    // card, does not let main mode finish within this scenario's run.)
    const double card24 = mainMode("1750", {"MOD1700-VPN"}, 24);
    EXPECT_NEAR(card24 - none, 4 * 8 * cardDh, 0.05 * 4 * 8 * cardDh) << "card24 " << card24;
    // Group 19 (P-256): the card computes no ECP, so the CPU does, at dhEcpFactor * (256/1024)^3.
    const double ecp = cal.GetFigure("/softwareCrypto/dhEcpFactor").number;
    const double card19 = mainMode("1750", {"MOD1700-VPN"}, 19);
    EXPECT_NEAR(card19 - none, 4 * cpuDh * ecp / 64, 0.05 * 4 * cpuDh * ecp / 64)
        << "card19 " << card19;
}

} // namespace
