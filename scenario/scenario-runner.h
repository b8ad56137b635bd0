// Builds a loaded Scenario in ns-3 and runs it: serial links as PointToPoint (framing of the
// IOS encapsulation), Ethernet segments as CSMA, routers from their IOS configuration
// (IpsecStackHelper + IosRouter), hosts with one address and a default route, traffic
// applications measured by FlowMonitor, EXEC commands and cable pulls at their times. Writes
// results.json, one pcap per link end, esp_sa.uat and show/NODE.txt into the output folder.
#ifndef IPSEC_SCENARIO_RUNNER_H
#define IPSEC_SCENARIO_RUNNER_H

#include "ns3/ios-router.h"
#include "ns3/scenario.h"

#include "ns3/node.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace ns3
{

/** What framing a serial line puts around each IP packet, by IOS encapsulation. */
struct SerialFraming
{
    std::string name;      //!< "hdlc", "ppp", "frame-relay"
    uint32_t bytes = 0;    //!< per frame on the line: header, FCS and one shared flag
    uint32_t modelled = 2; //!< what ns-3's PointToPointNetDevice already counts (its PPP field)

    /** @p e NONE counts as HDLC, the IOS default on serial interfaces. */
    static SerialFraming For(IosEncapsulation e);
};

class ScenarioRunner
{
public:
    struct Options
    {
        std::string outDir = "out";
        bool progress = false; //!< a progress line on stderr (the caller checks for a TTY)
        bool pcaps = true;     //!< one capture per link end (sweeps leave them out)
        bool report = true;    //!< plots and report.html (WriteRunReport; sweeps leave them out)
        bool netanim = true;   //!< netanim.xml for NetAnim (not for sweeps or external nodes)
    };

    explicit ScenarioRunner(Scenario scenario);
    ~ScenarioRunner();
    ScenarioRunner(const ScenarioRunner&) = delete;
    ScenarioRunner& operator=(const ScenarioRunner&) = delete;

    /**
     * Create the network in ns-3 (seed and run first) and schedule traffic and events. Writes
     * nothing.
     * @throws ScenarioError for a configuration the routers refuse (IosRouter::Install), with
     *         the JSON Pointer of the node's configuration (or of its offending line).
     */
    void Build();

    /**
     * Run the simulation and write the outputs into Options::outDir (created if needed).
     * Build() must have succeeded. Destroys the simulator at the end.
     * @return the content of results.json
     */
    nlohmann::json Run(const Options& options);

    // Step by step (the console): Start, then Advance and Exec as often as wanted, then Finish,
    // which writes the outputs as Run does and destroys the simulator.
    /** Captures and samplers in place, simulated time 0. */
    void Start(const Options& options);
    /** Run the simulation for @p t more (also past the scenario's duration). */
    void Advance(Time t);
    /** An EXEC command on router @p node at the current time; its output (also in show/). */
    std::string Exec(uint32_t node, const std::string& command);
    /** @return the content of results.json */
    nlohmann::json Finish();
    Ptr<IosRouter> GetRouter(uint32_t node) const;
    Ptr<Node> GetNode(uint32_t node) const;

    const Scenario& GetScenario() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace ns3

#endif
