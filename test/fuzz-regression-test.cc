// Regression tests for faults found while fuzzing (fuzz/, doc/fuzzing.md): each feeds the input
// that broke the code to the code it broke.
#include "ios-console.h"
#include "scenario-runner.h"
#include "scenario.h"

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

} // namespace
