// Capacity sweeps: a scenario with a "sweep" key is run once per hardware configuration, packet
// size and offered load. Each point is an ordinary run of ScenarioRunner (without pcaps) in its
// own folder; the sweep collects throughput, loss, latency and the measured router's CPU and
// card utilisation into one table (results.json, sweep.csv) and draws throughput against
// offered load per configuration, one PNG per packet size (gnuplot, through ns-3's Gnuplot).
#ifndef IPSEC_SCENARIO_SWEEP_H
#define IPSEC_SCENARIO_SWEEP_H

#include "scenario.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace ns3
{

class ScenarioSweepRunner
{
  public:
    struct Options
    {
        std::string outDir = "out";
        bool progress = false; //!< one line per point on stderr
        /** Only these configurations (by name; empty: all). */
        std::vector<std::string> configurations;
        /** Only these sizes (IP bytes, 0 = IMIX; empty: all). */
        std::vector<uint32_t> sizes;
    };

    /** @p scenario must have a sweep (Scenario::sweep). */
    explicit ScenarioSweepRunner(Scenario scenario);

    /**
     * Run every point (a configuration's ladder of loads stops `after_knee` loads after its
     * throughput first falls below 95% of the offered load) and write the outputs.
     * @throws ScenarioError when a point cannot be built (a configuration the routers refuse)
     * @return the content of results.json
     */
    nlohmann::json Run(const Options& options);

    /**
     * The scenario of one point: @p base with the configuration's hardware, the swept flow at
     * @p load (offered at the IP layer) with IP packets of @p size bytes (0: Simple IMIX, as
     * three flows on the port and the two after it), and no sweep.
     */
    static Scenario PointScenario(const Scenario& base, const ScenarioSweepConfiguration& c,
                                  uint32_t size, DataRate load);

    /** "64", "512", "imix" */
    static std::string SizeName(uint32_t size);

  private:
    Scenario m_s;
};

} // namespace ns3

#endif
