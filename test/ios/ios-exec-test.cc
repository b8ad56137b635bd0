// EXEC commands (`show ...`, `clear crypto sa ...`): each form, abbreviations and errors.
#include "ns3/ios-exec.h"

#include <gtest/gtest.h>

#include <random>

using namespace ns3;

namespace
{

using K = IosExecCommand::Kind;

IosConfigError
E(const std::string& line)
{
    try
    {
        IosExecParser::Parse(line);
    }
    catch (const IosConfigError& e)
    {
        return e;
    }
    ADD_FAILURE() << "parsed: " << line;
    return IosConfigError(IosLocation{}, 0, "");
}

#define EXPECT_EXEC_ERROR(input, col, detail)                                                      \
    do                                                                                             \
    {                                                                                              \
        const IosConfigError err_ = E(input);                                                      \
        EXPECT_EQ(err_.Column(), size_t(col)) << err_.what();                                      \
        EXPECT_NE(err_.Detail().find(detail), std::string::npos) << err_.what();                   \
        EXPECT_EQ(err_.Where().file, "<exec>");                                                    \
        EXPECT_EQ(err_.Where().line, 1);                                                           \
    } while (false)

TEST(IosExec, ShowCryptoIpsecSa)
{
    IosExecCommand c = IosExecParser::Parse("show crypto ipsec sa");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_IPSEC_SA);
    EXPECT_EQ(c.filter, "");
    EXPECT_TRUE(c.args.empty());
    EXPECT_FALSE(c.detail);
    EXPECT_EQ(c.text, "show crypto ipsec sa");

    c = IosExecParser::Parse("sh cry ipsec sa");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_IPSEC_SA);
    EXPECT_EQ(c.text, "sh cry ipsec sa");

    c = IosExecParser::Parse("show crypto ipsec sa detail");
    EXPECT_TRUE(c.detail);
    EXPECT_EQ(c.filter, "");

    c = IosExecParser::Parse("sh cry ips sa map toRemoteSite detail");
    EXPECT_EQ(c.filter, "map");
    EXPECT_EQ(c.args, std::vector<std::string>{"toRemoteSite"});
    EXPECT_TRUE(c.detail);

    c = IosExecParser::Parse("sh cry ips sa ad");
    EXPECT_EQ(c.filter, "address");
    EXPECT_TRUE(c.args.empty());

    c = IosExecParser::Parse("sh cry ips sa id det");
    EXPECT_EQ(c.filter, "identity");
    EXPECT_TRUE(c.detail);

    c = IosExecParser::Parse("sh cry ips sa pe 10.0.0.1");
    EXPECT_EQ(c.filter, "peer");
    EXPECT_EQ(c.args, std::vector<std::string>{"10.0.0.1"});

    c = IosExecParser::Parse("sh cry ips sa int s0");
    EXPECT_EQ(c.filter, "interface");
    EXPECT_EQ(c.args, std::vector<std::string>{"Serial0"});
    c = IosExecParser::Parse("show crypto ipsec sa interface FastEthernet 0/0 detail");
    EXPECT_EQ(c.args, std::vector<std::string>{"FastEthernet0/0"});
    EXPECT_TRUE(c.detail);
}

TEST(IosExec, ShowCryptoMapsAndSets)
{
    IosExecCommand c = IosExecParser::Parse("show crypto map");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_MAP);
    EXPECT_EQ(c.filter, "");
    c = IosExecParser::Parse("sh cry map tag vpn");
    EXPECT_EQ(c.filter, "tag");
    EXPECT_EQ(c.args, std::vector<std::string>{"vpn"});
    c = IosExecParser::Parse("sh cry map int se0/1");
    EXPECT_EQ(c.filter, "interface");
    EXPECT_EQ(c.args, std::vector<std::string>{"Serial0/1"});

    c = IosExecParser::Parse("show crypto ipsec transform-set");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_TRANSFORM_SET);
    c = IosExecParser::Parse("sh cry ips tr tag myset1");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_TRANSFORM_SET);
    EXPECT_EQ(c.filter, "tag");
    EXPECT_EQ(c.args, std::vector<std::string>{"myset1"});

    c = IosExecParser::Parse("show crypto dynamic-map");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_DYNAMIC_MAP);
    c = IosExecParser::Parse("sh cry dyn tag dyn1");
    EXPECT_EQ(c.filter, "tag");
    EXPECT_EQ(c.args, std::vector<std::string>{"dyn1"});

    c = IosExecParser::Parse("show crypto ipsec security-association lifetime");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_SA_LIFETIME);
    c = IosExecParser::Parse("sh cry ips sec l");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_SA_LIFETIME);
}

TEST(IosExec, ShowAccessListsAndRunningConfig)
{
    IosExecCommand c = IosExecParser::Parse("sh access");
    EXPECT_EQ(c.kind, K::SHOW_ACCESS_LISTS);
    EXPECT_TRUE(c.args.empty());
    c = IosExecParser::Parse("show access-lists 150");
    EXPECT_EQ(c.args, std::vector<std::string>{"150"});
    c = IosExecParser::Parse("sh ip access-lists");
    EXPECT_EQ(c.kind, K::SHOW_ACCESS_LISTS);
    c = IosExecParser::Parse("show ip access-lists vpn-traffic");
    EXPECT_EQ(c.args, std::vector<std::string>{"vpn-traffic"});
    EXPECT_EQ(IosExecParser::Parse("sh run").kind, K::SHOW_RUNNING_CONFIG);
    EXPECT_EQ(IosExecParser::Parse("show running-config").kind, K::SHOW_RUNNING_CONFIG);
    EXPECT_EQ(IosExecParser::Parse("  SHOW RUN  ").kind, K::SHOW_RUNNING_CONFIG);
    EXPECT_EQ(IosExecParser::Parse("sh run\r").text, "sh run");
}

TEST(IosExec, ShowCryptoPkiCertificatesVerbose)
{
    IosExecCommand c = IosExecParser::Parse("show crypto pki certificates");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_PKI_CERTIFICATES);
    EXPECT_FALSE(c.detail);
    c = IosExecParser::Parse("sh cry pki cert verb LabCA");
    EXPECT_TRUE(c.detail) << "verbose: every field";
    EXPECT_EQ(c.args, std::vector<std::string>{"LabCA"});
    c = IosExecParser::Parse("show crypto ca certificates status");
    EXPECT_FALSE(c.detail);
    EXPECT_TRUE(c.args.empty());
    // A trustpoint whose name begins like the keyword is still a trustpoint.
    c = IosExecParser::Parse("show crypto pki certificates verbosetp");
    EXPECT_FALSE(c.detail);
    EXPECT_EQ(c.args, std::vector<std::string>{"verbosetp"});
}

TEST(IosExec, ClearCryptoSa)
{
    IosExecCommand c = IosExecParser::Parse("clear crypto sa");
    EXPECT_EQ(c.kind, K::CLEAR_CRYPTO_SA);
    EXPECT_EQ(c.filter, "");
    c = IosExecParser::Parse("clear cry sa peer 10.0.0.1");
    EXPECT_EQ(c.filter, "peer");
    EXPECT_EQ(c.args, std::vector<std::string>{"10.0.0.1"});
    c = IosExecParser::Parse("clear crypto sa map toRemoteSite");
    EXPECT_EQ(c.filter, "map");
    EXPECT_EQ(c.args, std::vector<std::string>{"toRemoteSite"});
    c = IosExecParser::Parse("clear cry sa entry 10.0.0.1 esp 4096");
    EXPECT_EQ(c.filter, "entry");
    EXPECT_EQ(c.args, (std::vector<std::string>{"10.0.0.1", "esp", "4096"}));
    c = IosExecParser::Parse("cle cr sa en 10.0.0.1 AH 0x1000");
    EXPECT_EQ(c.args, (std::vector<std::string>{"10.0.0.1", "ah", "4096"}))
        << "protocol in lower case, SPI in decimal";
}

TEST(IosExec, Errors)
{
    EXPECT_EXEC_ERROR("show crypto ipsec sax", 18, "% Invalid input detected at '^' marker.");
    EXPECT_EXEC_ERROR("sh cry ipsec s", 13, "% Ambiguous command: \"sh cry ipsec s\"");
    EXPECT_EQ(IosExecParser::Parse("sh c map").kind, K::SHOW_CRYPTO_MAP) << "only crypto is c";
    EXPECT_EXEC_ERROR("s", 2, "% Incomplete command.");
    EXPECT_EXEC_ERROR("x", 0, "% Invalid input");
    EXPECT_EXEC_ERROR("show", 5, "% Incomplete command.");
    EXPECT_EXEC_ERROR("", 0, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto", 12, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto ipsec sa map", 25, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto ipsec sa peer 10.0.0", 26, "peer's address");
    EXPECT_EXEC_ERROR("show crypto ipsec sa peer 10.0.0.1 extra", 35, "detail");
    EXPECT_EXEC_ERROR("show crypto ipsec sa detail detail", 28, "");
    EXPECT_EXEC_ERROR("show crypto ipsec sa interface foo0", 31, "interface");
    EXPECT_EXEC_ERROR("show crypto map tag", 20, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto map vpn", 16, "interface or tag");
    EXPECT_EXEC_ERROR("show access-lists 101 102", 22, "");
    EXPECT_EXEC_ERROR("show ip bgp", 8, "access-lists");
    EXPECT_EXEC_ERROR("show running-config | include crypto", 20, "");
    EXPECT_EXEC_ERROR("clear crypto sa entry 10.0.0.1 esp", 35, "% Incomplete command.");
    EXPECT_EXEC_ERROR("clear crypto sa entry 10.0.0.1 gre 300", 31, "ah or esp");
    EXPECT_EXEC_ERROR("clear crypto sa entry 10.0.0.1 esp 255", 35, "256 to 4294967295");
    EXPECT_EXEC_ERROR("clear crypto sa counters", 16, "expected peer, map or entry");
    EXPECT_EXEC_ERROR("clear crypto ikex", 13,
                      "ikev2, isakmp, sa or session"); // `clear crypto isakmp` is valid
    // `ike` abbreviates `ikev2` alone (`clear crypto ikev2 sa`), which needs its `sa`.
    EXPECT_EXEC_ERROR("clear crypto ike", 17, "% Incomplete command. (expected sa)");
    EXPECT_EXEC_ERROR("configure terminal", 0, "show or clear");
    const IosConfigError e = E("sh cry ipsec sax");
    EXPECT_STREQ(e.what(), "<exec>:1:\n sh cry ipsec sax\n              ^\n"
                           "% Invalid input detected at '^' marker. (expected sa, "
                           "security-association or transform-set)");
}

TEST(IosExec, ShowCryptoEngineAndProcessesCpu)
{
    EXPECT_EQ(IosExecParser::Parse("show crypto engine configuration").kind,
              K::SHOW_CRYPTO_ENGINE_CONFIGURATION);
    EXPECT_EQ(IosExecParser::Parse("sh cry eng conf").kind, K::SHOW_CRYPTO_ENGINE_CONFIGURATION);
    EXPECT_EQ(IosExecParser::Parse("show crypto engine connections active").kind,
              K::SHOW_CRYPTO_ENGINE_CONNECTIONS);
    EXPECT_EQ(IosExecParser::Parse("sh cry e conn a").kind, K::SHOW_CRYPTO_ENGINE_CONNECTIONS);
    EXPECT_EQ(IosExecParser::Parse("show processes cpu").kind, K::SHOW_PROCESSES_CPU);
    EXPECT_EQ(IosExecParser::Parse("sh proc cpu").kind, K::SHOW_PROCESSES_CPU);
    EXPECT_EXEC_ERROR("show crypto engine", 19, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto engine connections", 31, "% Incomplete command.");
    EXPECT_EXEC_ERROR("show crypto engine brief", 19, "% Invalid input");
    EXPECT_EXEC_ERROR("show processes memory", 15, "% Invalid input");
    EXPECT_EXEC_ERROR("show processes cpu sorted", 19, "");
}

TEST(IosExec, GarbageNeverCrashes)
{
    std::mt19937 rng(99);
    const std::vector<std::string> words = {
        "show",    "sh",     "crypto", "cry",   "ipsec", "sa",   "map", "peer",
        "1.2.3.4", "detail", "clear",  "entry", "esp",   "4096", "tag", "interface",
        "s0",      "access", "ip",     "run",   "x",     "\x01"};
    for (int i = 0; i < 5000; ++i)
    {
        std::string line;
        const int n = static_cast<int>(rng() % 8);
        for (int k = 0; k < n; ++k)
        {
            line += words[rng() % words.size()] + (rng() % 3 ? " " : "\t");
        }
        if (i % 2)
        {
            for (int k = 0; k < 5; ++k)
            {
                line.push_back(static_cast<char>(rng() % 256));
            }
        }
        try
        {
            IosExecParser::Parse(line);
        }
        catch (const IosConfigError& e)
        {
            ASSERT_LE(e.Column(), line.size() + 1);
        }
    }
}

} // namespace
