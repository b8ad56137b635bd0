// Regression tests for faults found while fuzzing (fuzz/, doc/fuzzing.md): each feeds the input
// that broke the code to the code it broke.
#include "ns3/ios-console.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

using namespace ns3;

namespace
{

/** The console over scenarios/ike-spec-example, as fuzz/console-fuzz.cc drives it. */
class ConsoleRegression : public ::testing::Test
{
protected:
    void SetUp() override
    {
        out = std::filesystem::temp_directory_path() /
              ("fuzz-regression-" + std::to_string(::getpid()));
        runner = std::make_unique<ScenarioRunner>(ScenarioLoader::LoadFile(
            std::string(IPSEC_SOURCE_DIR) + "/scenarios/ike-spec-example/scenario.json"));
        runner->Build();
        ScenarioRunner::Options o;
        o.outDir = out.string();
        o.pcaps = false;
        o.report = false;
        o.netanim = false;
        runner->Start(o);
    }

    void TearDown() override
    {
        runner.reset();
        Simulator::Destroy();
        std::filesystem::remove_all(out);
    }

    /** @return what the console printed for @p lines */
    std::string Type(const std::string& lines)
    {
        std::istringstream in;
        std::ostringstream o;
        IosConsole console(*runner, in, o, false);
        std::istringstream text(lines);
        for (std::string l; std::getline(text, l);)
        {
            console.Command(l);
        }
        return o.str();
    }

    std::filesystem::path out;
    std::unique_ptr<ScenarioRunner> runner;
};

// `run 1e30` (and `run 1e9min`) overflowed ns-3's Time and simulated forever.
TEST_F(ConsoleRegression, RunBeyondTimeRangeIsRefused)
{
    for (const char* line : {"run 1e30", "run 1e9min", "run 9223372037", "run 1e300ms"})
    {
        const std::string o = Type(line);
        EXPECT_NE(o.find("% run N"), std::string::npos) << line << ": " << o;
        EXPECT_EQ(Simulator::Now(), Seconds(0)) << line;
    }
    // What fits still runs.
    const std::string o = Type("run 0.5\n");
    EXPECT_NE(o.find("Simulated time 0.500 s"), std::string::npos) << o;
}

// Found by console-fuzz: the SAs a quick mode installs had their lifetime started twice (by
// the SAD and again by the IKE daemon), so each had a second pair of lifetime events that
// nothing cancelled; `clear crypto sa` freed the SAs and the orphaned soft-expiry event then ran
// on freed memory. Under AddressSanitizer this test failed with a heap-use-after-free.
TEST_F(ConsoleRegression, ClearedNegotiatedSasLeaveNoLifetimeEventBehind)
{
    const std::string t = Type("ping 10.2.2.5 source Ethernet0 repeat 2\n"
                               "show crypto ipsec sa | include spi:\n"
                               "clear crypto sa\n"
                               "run 3700\n"
                               "show crypto ipsec sa | include pkts encaps\n");
    EXPECT_NE(t.find("Success rate is 50 percent (1/2)"), std::string::npos) << t;
    EXPECT_NE(t.find("spi: 0x"), std::string::npos) << t;
    // After an hour (beyond the SAs' 3,600 s lifetime) the tunnel has carried the scenario's
    // traffic over SAs negotiated after the clear, and nothing has crashed.
    EXPECT_NE(t.find("#pkts encaps:"), std::string::npos) << t;
}

} // namespace
