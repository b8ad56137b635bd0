// Capacity sweeps: a scenario with a "sweep" key is run once per hardware configuration, packet
// size and offered load. Each point is an ordinary run of ScenarioRunner (without pcaps) in its
// own folder; the sweep collects throughput, loss, latency and the measured router's CPU and
// card utilisation into one table (results.json, sweep.csv) and draws throughput against
// offered load per configuration, one PNG per packet size (gnuplot, through ns-3's Gnuplot).
#ifndef IPSEC_SCENARIO_SWEEP_H
#define IPSEC_SCENARIO_SWEEP_H

#include "ns3/scenario.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace ns3
{

class PlotWriter;

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
        /** Processes at a time for Run (1: everything in this process). */
        unsigned jobs = 1;
        /** This program (ipsec-sim), for the ladder processes and job lists. */
        std::string program;
    };

    /** One ladder: a configuration and a packet size, its loads in order, with one seed. */
    struct Ladder
    {
        size_t configuration = 0;
        uint32_t size = 0;
        uint32_t seed = 1;
        uint32_t tunnels = 0; //!< 0: the scenario's tunnels as configured
    };
    /** The ladders of the sweep (restricted by the options), in the order of their index. */
    std::vector<Ladder> Ladders(const Options& options) const;
    std::string LadderLabel(const Ladder& l) const;
    /** The configuration's name, with its number of tunnels when the sweep varies it. */
    std::string ConfigurationName(const Ladder& l) const;

    /** @p scenario must have a sweep (Scenario::sweep). */
    explicit ScenarioSweepRunner(Scenario scenario);

    /**
     * Run every ladder (its loads in order, stopping `after_knee` loads after the throughput
     * first falls below 95% of the offered load), in this process or in `jobs` processes at a
     * time, then Merge.
     * @throws ScenarioError when a point cannot be built (a configuration the routers refuse),
     *         std::runtime_error when a ladder process fails
     * @return the content of results.json
     */
    nlohmann::json Run(const Options& options);
    /** Run ladder @p index alone: runs/ of its points and ladders/INDEX.json. */
    nlohmann::json RunLadder(size_t index, const Options& options);
    /**
     * Merge ladders/K.json into results.json (the mean of each measure over the seeds and its
     * 95% confidence half-width, `_ci95`), sweep.csv and the plots.
     * @throws std::runtime_error naming the ladders without results
     */
    nlohmann::json Merge(const Options& options);
    /**
     * Write the job lists for running elsewhere: jobs.txt (one `ipsec-sim ... --ladder K`
     * command per line, for GNU parallel) and sweep.sbatch (a Slurm job array, one task per
     * ladder). Merge afterwards.
     */
    nlohmann::json WritePlan(const Options& options);

    /**
     * The scenario of one point: @p base with the configuration's hardware, the swept flow at
     * @p load (offered at the IP layer) with IP packets of @p size bytes (0: Simple IMIX, as
     * three flows on the port and the two after it), carried by @p tunnels tunnels (0: as
     * configured; see the sweep's "tunnels"), and no sweep.
     * @throws std::invalid_argument when the tunnels cannot be made
     */
    static Scenario PointScenario(const Scenario& base, const ScenarioSweepConfiguration& c,
                                  uint32_t size, DataRate load, uint32_t tunnels = 0);

    /** "64", "512", "imix" */
    static std::string SizeName(uint32_t size);

    // IKE setups per second (the sweep's "ike_setups"; scenario-sweep-ike.cc)
    /**
     * The scenario that measures them for configuration @p c: the measured router, with
     * @p c's hardware, as a hub with a dynamic crypto map on one Ethernet segment with
     * `peers` untimed spokes whose hosts all send their first packet at 0.5 s.
     * @throws ScenarioError when the generated configurations are refused
     */
    static Scenario IkeSetupScenario(const Scenario& base, const ScenarioSweepConfiguration& c);
    /**
     * The figures of one such run from its results: setups that completed (the hub answered
     * the spoke's main mode and a quick mode), setups per second from the first main mode's
     * start to the last quick mode's end, and the mean time of one setup.
     */
    static nlohmann::json IkeSetupFigures(const nlohmann::json& results, const std::string& hub,
                                          uint32_t peers);

private:
    /** Per packet size: per configuration, (offered, carried) Mbit/s at each load. */
    using Curves =
        std::map<uint32_t,
                 std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>>>;

    // The parts of Merge, in the order it runs them.
    nlohmann::json ReadLadderRows(const std::filesystem::path& out,
                                  const std::vector<Ladder>& ladders) const;
    nlohmann::json MeanOverSeeds(const nlohmann::json& rows,
                                 const std::vector<Ladder>& ladders) const;
    nlohmann::json KneesAndCurves(const nlohmann::json& table, const std::vector<Ladder>& ladders,
                                  Curves& curves) const;
    void WriteSweepCsv(const std::filesystem::path& out, const nlohmann::json& table) const;
    nlohmann::json PlotThroughput(PlotWriter& writer, const Curves& curves) const;

    /** Whether ladder @p index is the first of its configuration and seed. */
    static bool FirstOfItsConfiguration(const std::vector<Ladder>& ladders, size_t index);
    /** The IKE setup run of ladder @p l's configuration and seed (the first such ladder). */
    nlohmann::json RunIkeSetups(const Ladder& l, const std::filesystem::path& out) const;
    /** Per configuration the mean over seeds; ike-setups.csv and ike-setups.png. */
    nlohmann::json MergeIkeSetups(const std::filesystem::path& out,
                                  const std::vector<Ladder>& ladders, PlotWriter& writer,
                                  nlohmann::json& plots) const;

    /** The shell command that runs ladder @p index (a number or "$SLURM_ARRAY_TASK_ID"). */
    std::string LadderCommand(const Options& options, const std::string& index) const;

    Scenario m_s;
};

} // namespace ns3

#endif
