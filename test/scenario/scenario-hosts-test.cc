// The scenario's name table ("hosts", standing in for DNS) and the "hosts" event that changes it:
// what the reader takes, what it refuses (at which pointer), and what routers get from it.
#include "ns3/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

using namespace ns3;
using json = nlohmann::json;

namespace
{

class ScenarioHosts : public ::testing::Test
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

    /** The errors of loading the document (none: it loaded). */
    std::vector<ScenarioIssue> Errors()
    {
        try
        {
            Load();
        }
        catch (const ScenarioError& e)
        {
            return e.Issues();
        }
        return {};
    }

    void ExpectError(const std::string& pointer, const std::string& text)
    {
        auto errors = Errors();
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_EQ(errors[0].pointer, pointer) << errors[0].message;
        EXPECT_NE(errors[0].message.find(text), std::string::npos) << errors[0].message;
    }
};

} // namespace

TEST_F(ScenarioHosts, TableGoesToEveryRouter)
{
    doc["hosts"] = {{"comment", "what DNS would answer"},
                    {"R2.Example.com", "172.16.0.2"},
                    {"hq.example.com", {"198.51.100.2", "198.51.100.6"}}};
    const Scenario s = Load();
    ASSERT_EQ(s.hosts.size(), 2u);
    EXPECT_EQ(s.hosts.at("r2.example.com"), std::vector<Ipv4Address>{Ipv4Address("172.16.0.2")})
        << "names are kept lower case";
    EXPECT_EQ(s.hosts.at("hq.example.com").size(), 2u);
    const ScenarioNode& r1 = s.nodes.at(s.FindNode("R1"));
    EXPECT_EQ(r1.config.dns, s.hosts);
    EXPECT_EQ(r1.config.ResolvePeer("R2.EXAMPLE.COM"), Ipv4Address("172.16.0.2"));
}

TEST_F(ScenarioHosts, BadTablesAreErrorsAtTheirPointer)
{
    doc["hosts"] = json::array();
    ExpectError("/hosts", "must be an object of host names");
    SetUp();
    doc["hosts"] = {{"10.0.0.1", "10.0.0.1"}};
    ExpectError("/hosts/10.0.0.1", "is not a host name");
    SetUp();
    doc["hosts"] = {{"bad name", "10.0.0.1"}};
    ExpectError("/hosts/bad name", "is not a host name");
    SetUp();
    doc["hosts"] = {{"r2", "10.0.0"}};
    ExpectError("/hosts/r2", "expected an address A.B.C.D");
    SetUp();
    doc["hosts"] = {{"r2", {"10.0.0.1", 7}}};
    ExpectError("/hosts/r2/1", "expected an address A.B.C.D");
    SetUp();
    doc["hosts"] = {{"r2", json::array()}};
    ExpectError("/hosts/r2", "at least one address");
    SetUp();
    doc["hosts"] = {{"r2", "10.0.0.1"}, {"R2", "10.0.0.2"}};
    auto errors = Errors();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].message.find("given twice"), std::string::npos) << errors[0].message;
}

TEST_F(ScenarioHosts, PeerByNameIsTracedToItsAddress)
{
    // R1's peer by a name the table resolves: the scenario check traces it like an address
    // (no warning about a name it cannot follow).
    std::string r1 = files.at("R1.cfg");
    const std::string addr = " set peer 172.16.0.2";
    ASSERT_NE(r1.find(addr), std::string::npos);
    files["R1.cfg"] = r1.replace(r1.find(addr), addr.size(), " set peer r2.example.com");
    auto warnings = [this]()
    {
        std::vector<std::string> out;
        for (const auto& w : Load().warnings)
        {
            if (w.message.find("host name") != std::string::npos)
            {
                out.push_back(w.message);
            }
        }
        return out;
    };
    EXPECT_EQ(warnings().size(), 1u) << "without the table: not resolved yet";
    doc["hosts"] = {{"r2.example.com", "172.16.0.2"}};
    EXPECT_TRUE(warnings().empty());
}

TEST_F(ScenarioHosts, HostsEvent)
{
    doc["events"].push_back({{"at", 4}, {"hosts", {{"Moving.example.com", "10.9.9.9"}}}});
    const Scenario s = Load();
    auto e =
        std::find_if(s.events.begin(), s.events.end(),
                     [](const ScenarioEvent& x) { return x.kind == ScenarioEvent::Kind::HOSTS; });
    ASSERT_NE(e, s.events.end());
    EXPECT_EQ(e->at, Seconds(4));
    EXPECT_EQ(e->hosts.at("moving.example.com"), std::vector<Ipv4Address>{Ipv4Address("10.9.9.9")});
    SetUp();
    doc["events"].push_back({{"at", 4}, {"node", "R1"}, {"hosts", {{"a", "10.0.0.1"}}}});
    ExpectError("/events/3/node", "unknown key \"node\"");
    SetUp();
    doc["events"].push_back({{"at", 4}, {"hosts", {{"a", "x"}}}});
    ExpectError("/events/3/hosts/a", "expected an address");
}
