// The scenario's certificate authorities, calendar clock and node certificates: what the reader
// takes from them and every way they can be wrong, reported at the JSON Pointer at fault.
#include "ns3/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace ns3;
using nlohmann::json;

namespace
{

class ScenarioPkiLoad : public ::testing::Test
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
        doc["clock"] = "2026-03-01T08:00:00Z";
        doc["certificate-authorities"] = json::parse(R"([
            {"name": "Root", "subject": "CN=Root,O=Lab", "key-size": 1024, "validity-days": 30,
             "revoke": ["R2", {"node": "h1", "at": "2.5s"}]},
            {"name": "Sub", "issuer": "Root", "url": "http://192.0.2.100/",
             "certificate-validity": "2h"}])");
        doc["nodes"][2]["certificate"] =
            json::parse(R"({"ca": "Sub", "subject": "CN=h1", "san": ["10.0.0.10", "h1.lab"],
                            "key-size": 1024})");
    }

    Scenario Load()
    {
        auto reader = [this](const std::string& path) -> std::optional<std::string>
        {
            auto it = files.find(std::filesystem::path(path).filename().string());
            return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
        return ScenarioLoader::LoadString(doc.dump(2), "scenario.json", "", reader);
    }

    void ExpectError(const std::string& pointer, const std::string& text)
    {
        try
        {
            Load();
            ADD_FAILURE() << "loaded; expected an error at " << pointer;
        }
        catch (const ScenarioError& e)
        {
            ASSERT_EQ(e.Issues().size(), 1u) << e.what();
            EXPECT_EQ(e.Issues()[0].pointer, pointer) << e.what();
            EXPECT_NE(e.Issues()[0].message.find(text), std::string::npos) << e.what();
        }
    }
};

} // namespace

TEST_F(ScenarioPkiLoad, ReadsAuthoritiesClockAndCertificates)
{
    const Scenario s = Load();
    EXPECT_EQ(s.clockStart, 1772352000);
    ASSERT_EQ(s.authorities.size(), 2u);
    const ScenarioCertificateAuthority& root = s.authorities[0];
    EXPECT_EQ(root.name, "Root");
    EXPECT_EQ(root.subject, "CN=Root,O=Lab");
    EXPECT_EQ(root.keySize, 1024u);
    EXPECT_EQ(root.validityDays, 30u);
    ASSERT_EQ(root.revoke.size(), 2u);
    EXPECT_EQ(root.revoke[0].node, "R2");
    EXPECT_FALSE(root.revoke[0].at);
    EXPECT_EQ(root.revoke[1].at, Seconds(2.5));
    const ScenarioCertificateAuthority& sub = s.authorities[1];
    EXPECT_EQ(sub.subject, "CN=Sub") << "the default subject";
    EXPECT_EQ(sub.issuer, "Root");
    EXPECT_EQ(sub.keySize, 2048u);
    EXPECT_EQ(sub.certificateValidity, Seconds(7200));
    const auto& c = s.nodes.at(2).certificate;
    ASSERT_TRUE(c);
    EXPECT_EQ(c->ca, "Sub");
    EXPECT_EQ(c->sanIp, std::vector<std::string>{"10.0.0.10"});
    EXPECT_EQ(c->sanDns, std::vector<std::string>{"h1.lab"});
    EXPECT_EQ(c->keySize, 1024u);
}

TEST_F(ScenarioPkiLoad, DefaultsWithoutTheKeys)
{
    doc.erase("clock");
    doc.erase("certificate-authorities");
    doc["nodes"][2].erase("certificate");
    const Scenario s = Load();
    EXPECT_EQ(s.clockStart, kIosDefaultCalendarStart);
    EXPECT_TRUE(s.authorities.empty());
}

TEST_F(ScenarioPkiLoad, BadClock)
{
    doc["clock"] = "yesterday";
    ExpectError("/clock", "a UTC date");
}

TEST_F(ScenarioPkiLoad, IssuerMustComeFirst)
{
    std::swap(doc["certificate-authorities"][0], doc["certificate-authorities"][1]);
    ExpectError("/certificate-authorities/0/issuer", "is declared before this one");
}

TEST_F(ScenarioPkiLoad, RevokedNodeMustExist)
{
    doc["certificate-authorities"][0]["revoke"][0] = "R9";
    ExpectError("/certificate-authorities/0/revoke/0", "no node is called \"R9\"");
}

TEST_F(ScenarioPkiLoad, NodeCertificateNamesAKnownCa)
{
    doc["nodes"][2]["certificate"]["ca"] = "Nobody";
    ExpectError("/nodes/2/certificate/ca", "no certificate authority is called \"Nobody\"");
}

TEST_F(ScenarioPkiLoad, BadNamesSizesAndKeys)
{
    doc["certificate-authorities"][1]["subject"] = "CN=Sub,Q=1";
    ExpectError("/certificate-authorities/1/subject", "unknown name attribute \"Q\"");
    SetUp();
    doc["certificate-authorities"][1]["name"] = "root";
    doc["nodes"][2]["certificate"]["ca"] = "Root";
    ExpectError("/certificate-authorities/1/name", "a second CA called");
    SetUp();
    doc["certificate-authorities"][0]["key-size"] = 256;
    ExpectError("/certificate-authorities/0/key-size", "512");
    SetUp();
    doc["certificate-authorities"][0]["lifetime"] = 1;
    ExpectError("/certificate-authorities/0/lifetime", "unknown key");
    SetUp();
    doc["nodes"][2]["certificate"]["san"] = json::array({"a b"});
    ExpectError("/nodes/2/certificate/san/0", "an address");
}
