// Shared by the fuzz targets that drive a whole simulated network (ike-responder-fuzz,
// console-fuzz): a scenario of the tree loaded, built and started once, and rebuilt from scratch
// when a target asks (every N inputs, so state that inputs leave behind cannot grow without
// bound). Outputs go to a private temporary folder; no pcaps, report or animation.
#ifndef IPSEC_FUZZ_FUZZ_WORLD_H
#define IPSEC_FUZZ_FUZZ_WORLD_H

#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/simulator.h"

#include <cstdlib>
#include <memory>
#include <string>

namespace ns3
{
namespace fuzz
{

/** @return scenarios/NAME/scenario.json of the source tree this file belongs to */
inline std::string
TreeScenario(const std::string& name)
{
    if (const char* env = std::getenv("IPSEC_FUZZ_SCENARIOS"))
    {
        return std::string(env) + "/" + name + "/scenario.json";
    }
    std::string here = __FILE__; // .../fuzz/fuzz-world.h
    here = here.substr(0, here.rfind('/'));
    here = here.substr(0, here.rfind('/'));
    return here + "/scenarios/" + name + "/scenario.json";
}

/** A started ScenarioRunner over one scenario of the tree. */
class World
{
public:
    /** @param scenario a scenario name under scenarios/ */
    explicit World(const std::string& scenario) : m_file(TreeScenario(scenario))
    {
        char dir[] = "/tmp/ipsec-fuzz-XXXXXX";
        if (!mkdtemp(dir))
        {
            std::abort();
        }
        m_out = dir;
        Reload();
    }

    /** Throw the network away and build it again at simulated time 0. */
    void Reload()
    {
        m_runner.reset();
        Simulator::Destroy();
        m_runner = std::make_unique<ScenarioRunner>(ScenarioLoader::LoadFile(m_file));
        m_runner->Build();
        ScenarioRunner::Options o;
        o.outDir = m_out;
        o.pcaps = false;
        o.report = false;
        o.netanim = false;
        m_runner->Start(o);
    }

    /** @return the runner */
    ScenarioRunner& Runner()
    {
        return *m_runner;
    }

private:
    std::string m_file;                       //!< the scenario file
    std::string m_out;                        //!< the runner's output folder
    std::unique_ptr<ScenarioRunner> m_runner; //!< the network
};

} // namespace fuzz
} // namespace ns3

#endif
