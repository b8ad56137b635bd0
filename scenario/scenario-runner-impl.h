// The runner's state (ScenarioRunner::Impl), shared by the files that build, run and measure a
// scenario (scenario-runner.cc, scenario-runner-measure.cc). Not part of the module's API.
#ifndef IPSEC_SCENARIO_RUNNER_IMPL_H
#define IPSEC_SCENARIO_RUNNER_IMPL_H

#include "ns3/scenario-runner.h"
#include "scenario-pki.h"

#include "ns3/calibration.h"
#include "ns3/results-json.h"
#include "ns3/run-report.h"

#include "ns3/ios-router.h"
#include "ns3/ipsec-helper.h"
#include "ns3/router-faults.h"
#include "ns3/udp-pattern-app.h"

#ifdef IPSEC_HAVE_NETANIM // defined where ns-3's netanim module is linked (doc/building.md)
#include "ns3/animation-interface.h"
#endif
#include "ns3/boolean.h"
#include "ns3/bulk-send-helper.h"
#include "ns3/config.h"
#include "ns3/csma-channel.h"
#include "ns3/csma-helper.h"
#include "ns3/csma-net-device.h"
#include "ns3/double.h"
#include "ns3/error-model.h"
#include "ns3/fd-net-device-helper.h"
#include "ns3/fd-net-device.h"
#include "ns3/flow-monitor-helper.h"
#include "ns3/flow-monitor.h"
#include "ns3/global-value.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-flow-classifier.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/log.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/on-off-helper.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator-impl.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"
#include "ns3/v4ping-helper.h"
#include "ns3/v4ping.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace ns3
{

/**
 * A pulled cable as seen by the receiver: every frame is lost. Used on both ends of a serial
 * line while it is down (frames already queued still go out, and vanish).
 */
class ScenarioCablePull : public ErrorModel
{
public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::ScenarioCablePull")
                                .SetParent<ErrorModel>()
                                .SetGroupName("Ipsec")
                                .AddConstructor<ScenarioCablePull>();
        return tid;
    }

private:
    // ErrorModel leaves the enabled check to DoCorrupt.
    bool DoCorrupt(Ptr<Packet>) override
    {
        return IsEnabled();
    }
    void DoReset() override
    {
    }
};

/** What an esp_sa.uat row is made of (IpsecHelper::EspSaUatRow), as SnapshotSas last saw it. */
struct ScenarioUatCached
{
    uint32_t spi = 0;
    Ipv4Address source;
    Ipv4Address destination;
    ipsec::CipherAlgorithm cipher{};
    ipsec::AuthAlgorithm auth{};
    std::vector<uint8_t> cipherKey;
    std::vector<uint8_t> authKey;
};

struct ScenarioRunner::Impl
{
    Scenario s;
    bool built = false;
    std::vector<Ptr<Node>> nodes;
    std::vector<Ptr<IosRouter>> routers; // null for hosts
    std::shared_ptr<ScenarioPki> pki;    // the scenario's CAs; null without any
    std::vector<std::map<std::string, Ptr<NetDevice>>> devices; // per node: interface -> device
    std::vector<std::vector<Ptr<NetDevice>>> segmentDevices;    // per segment, as its ends
    std::vector<Ptr<ScenarioCablePull>> cablePulls;             // per serial device (or null)
    std::map<Ptr<NetDevice>, Ptr<ScenarioCablePull>> pullOf;
    PointToPointHelper p2p;
    CsmaHelper csma;
    FdNetDeviceHelper fd;           // the simulated end of a link to an external node
    std::map<uint32_t, int> tapFds; // external node -> its TAP, until a device takes it
    bool realtime = false;

    // traffic
    struct Flow
    {
        Ptr<PacketSink> sink;
        Ptr<Application> app;
        uint64_t rttCount = 0;
        Time rttSum;
        Time rttMax;
        uint32_t pingsSent = 0;
        uint64_t sinkPackets = 0;              //!< from an external node: what the sink got
        std::shared_ptr<PayloadChecker> check; //!< udp: what the sink got, byte for byte
    };
    std::vector<Ptr<PatternUdpSender>> patternSenders; //!< in order of the traffic entries
    /** Per segment with "errors": (end index, the model on that end's receiver). */
    std::map<size_t, std::vector<std::pair<size_t, Ptr<LinkFaultModel>>>> faultModels;
    std::set<uint32_t> poweredOff; //!< routers without power
    void SetPower(uint32_t node, bool on);
    std::vector<Flow> flows;
    FlowMonitorHelper flowHelper;
    Ptr<FlowMonitor> monitor;

    // events and outputs
    std::map<uint32_t, std::string> show; // node -> text of show/NODE.txt
    std::vector<std::string> uatRows;
    std::set<std::string> uatSeen;
    /** By SA, what SnapshotSas last made its row of: an SA whose config still matches needs no
     *  row made again (its row is in uatSeen). */
    std::unordered_map<const IpsecSa*, ScenarioUatCached> uatCache;
    /** Each router's SAD and its change count at the last SnapshotSas: the same list means the
     *  same SAs, so no new rows (holding the SADs keeps a new one from taking an old address). */
    std::vector<std::pair<Ptr<IpsecSad>, uint64_t>> uatSadChanges;
    struct DownState
    {
        std::vector<Ipv4RoutingTableEntry> routes;
        std::vector<uint32_t> metrics;
    };
    std::map<std::pair<uint32_t, std::string>, DownState> down; // (node, interface) -> saved
    nlohmann::json eventLog = nlohmann::json::array();

    // time series, sampled every seriesStep (results.json "timeseries")
    Time seriesStep;
    std::vector<double> seriesT;
    struct FlowSeries
    {
        uint64_t rxBytes = 0;
        uint64_t rxPackets = 0;
        Time delaySum;
        std::vector<double> bps;
        std::vector<nlohmann::json> delayMs; //!< mean one-way delay in the interval, or null
    };
    std::map<size_t, FlowSeries> flowSeries; // by traffic index (UDP and TCP from simulated nodes)
    /** FlowMonitor flow id -> the flowSeries it counts towards, classified once per flow (a
     *  flow's five-tuple never changes); with thousands of flows, classifying every flow against
     *  every series at every sample was quadratic. */
    std::map<FlowId, std::vector<size_t>> seriesOfFlow;
    /** The flowSeries by protocol, destination address and port, in traffic order: a new flow
     *  is classified against these only (with 20,000 flows and as many series, classifying each
     *  new flow against every series cost O(N^2)). */
    std::map<std::tuple<uint8_t, uint32_t, uint16_t>, std::vector<size_t>> seriesToSink;
    /** Five-tuples by flow id: Ipv4FlowClassifier::FindFlow searches its whole map each time,
     *  and the results ask it for every flow once per traffic item. */
    std::map<FlowId, Ipv4FlowClassifier::FiveTuple> flowTuples;
    /** FlowMonitor's flows by protocol, destination address and port, each list in FlowId
     *  order; made again when FlowMonitor has more flows. */
    std::map<std::tuple<uint8_t, uint32_t, uint16_t>, std::vector<FlowId>> flowsToSink;
    size_t flowsIndexed = 0;
    /** The flows (FlowId order) of @p protocol to @p dst port @p port: FlowResult looks only at
     *  these instead of every flow for every traffic item, which was O(N^2) (minutes with
     *  10,000 spokes' 30,000 traffic items). */
    const std::vector<FlowId>& FlowsTo(uint8_t protocol, Ipv4Address dst, uint16_t port);
    const Ipv4FlowClassifier::FiveTuple& TupleOf(FlowId id);
    struct EngineSeries
    {
        std::string node;
        Ptr<IpsecCryptoEngine> engine;
        Time busy;
        std::vector<double> utilisation;
        std::vector<uint32_t> queue;
    };
    std::vector<EngineSeries> engineSeries;

    // Start .. Finish
    bool started = false;
    bool report = true;
    std::filesystem::path out;
    nlohmann::json pcapNames;

    // progress
    bool progress = false;
    std::chrono::steady_clock::time_point lastPrint;

    ~Impl()
    {
        for (const auto& [node, f] : tapFds)
        {
            close(f);
        }
    }
    void OpenTaps();
    void BuildSegments();
    void BuildStacks();
    void BuildPki();
    void BuildTraffic();
    void ScheduleEvents();
    void SnapshotSas();
    /** Run @p command at router @p node into its show log, having first kept the keys of the
     *  SAs it may remove (SnapshotSas). */
    std::string Exec(uint32_t node, const std::string& command);
    /** Exec without the snapshot: for commands that remove no SA. */
    std::string RunCommand(uint32_t node, const std::string& command);
    void SetLinkState(const ScenarioEvent& e);
    void SetEndState(uint32_t segment, size_t end, bool up);
    void Progress();
    void AssignStreams();
    nlohmann::json FlowResult(size_t i);
    /** Does FlowMonitor's flow @p ft belong to traffic entry @p i? */
    bool FlowOf(size_t i, const Ipv4FlowClassifier::FiveTuple& ft) const;
    void StartSeries();
#ifdef IPSEC_HAVE_NETANIM
    void StartAnimation(const std::string& file);
    std::unique_ptr<AnimationInterface> anim;
#endif
    void Sample();
    nlohmann::json SeriesResult() const;

    // Finish: the outputs
    void CaptureFinalState();
    nlohmann::json NodesResult();
    nlohmann::json LinksResult() const;
    nlohmann::json IkeResult(std::vector<std::string>& ikeTable);
    void WriteKeysAndShow(const std::filesystem::path& out,
                          const std::vector<std::string>& ikeTable);
    void Release();
};

} // namespace ns3

#endif
