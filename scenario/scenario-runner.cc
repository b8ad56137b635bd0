#include "ns3/scenario-runner.h"

#include "ns3/calibration.h"
#include "ns3/run-report.h"

#include "ns3/ios-router.h"
#include "ns3/ipsec-helper.h"
#include "ns3/router-faults.h"
#include "ns3/udp-pattern-app.h"

#include "ns3/boolean.h"
#ifdef IPSEC_HAVE_NETANIM // defined where ns-3's netanim module is linked (doc/building.md)
#include "ns3/animation-interface.h"
#endif
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

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace ns3
{

SerialFraming
SerialFraming::For(IosEncapsulation e)
{
    // Bytes on the line per frame beyond the IP packet, with the closing flag of one frame
    // serving as the opening flag of the next (bit stuffing is not modelled):
    //   Cisco HDLC: address, control, 2-byte protocol, 16-bit FCS, flag      = 7
    //   PPP in HDLC-like framing (RFC 1662, no ACFC/PFC): FF 03, protocol, FCS, flag = 7
    //   Frame Relay (2-byte Q.922 address, Cisco 2-byte type), FCS, flag    = 7
    SerialFraming f;
    switch (e)
    {
    case IosEncapsulation::PPP:
        f.name = "ppp";
        break;
    case IosEncapsulation::FRAME_RELAY:
        f.name = "frame-relay";
        break;
    default:
        f.name = "hdlc";
        break;
    }
    f.bytes = 7;
    return f;
}

namespace
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

NS_OBJECT_ENSURE_REGISTERED(ScenarioCablePull);

std::string
FileSafe(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')
                   ? c
                   : '_';
    }
    return out;
}

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::string
Stamp(Time t)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << t.GetSeconds() << " s";
    return os.str();
}

nlohmann::json
Seconds3(double s)
{
    return std::round(s * 1e9) / 1e9; // ns resolution, no float noise in the file
}

std::string
PrefixText(Ipv4Address a, Ipv4Mask m)
{
    return Text(a) + "/" + std::to_string(m.GetPrefixLength());
}

/** Why a TAP device of an external node could not be opened, and which key is at fault. */
struct TapProblem
{
    std::string key; //!< "" (the node), "namespace" or "interface"
    std::string message;
};

/**
 * Opens the existing TAP device @p dev inside the network namespace @p netns (a file in
 * /var/run/netns, as `ip netns add` makes it): this thread enters the namespace (setns),
 * attaches to the device (TUNSETIFF, IFF_TAP | IFF_NO_PI) and comes back, so the simulation
 * itself runs in the namespace it was started in. @return the file descriptor, or -1 and
 * @p problem.
 */
int
OpenTapInNamespace(const std::string& netns, const std::string& dev, TapProblem* problem)
{
    if (geteuid() != 0)
    {
        *problem = {"", "ipsec-sim must run as root to open TAP device " + dev +
                            " in network namespace " + netns + " (setns, /dev/net/tun)"};
        return -1;
    }
    if (access("/dev/net/tun", R_OK | W_OK) != 0)
    {
        *problem = {"", std::string("/dev/net/tun cannot be opened: ") + std::strerror(errno) +
                            " (the tun module: modprobe tun)"};
        return -1;
    }
    const std::string path = "/var/run/netns/" + netns;
    const int target = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (target < 0)
    {
        const int e = errno;
        *problem = {"namespace", e == ENOENT ? "network namespace " + nlohmann::json(netns).dump() +
                                                   " does not exist (no " + path +
                                                   "; ip netns add " + netns + ")"
                                             : "cannot open " + path + ": " + std::strerror(e)};
        return -1;
    }
    const int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (self < 0)
    {
        *problem = {"", std::string("cannot open /proc/self/ns/net: ") + std::strerror(errno)};
        close(target);
        return -1;
    }
    if (setns(target, CLONE_NEWNET) != 0)
    {
        *problem = {"namespace",
                    "cannot enter network namespace " + netns + ": " + std::strerror(errno)};
        close(target);
        close(self);
        return -1;
    }
    close(target);
    int fd = -1;
    if (if_nametoindex(dev.c_str()) == 0)
    {
        *problem = {"interface", "network namespace " + netns + " has no interface " +
                                     nlohmann::json(dev).dump() + " (ip -n " + netns +
                                     " tuntap add dev " + dev + " mode tap)"};
    }
    else if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC)) < 0)
    {
        *problem = {"", std::string("cannot open /dev/net/tun: ") + std::strerror(errno)};
    }
    else
    {
        struct ifreq ifr;
        std::memset(&ifr, 0, sizeof(ifr));
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
        std::strncpy(ifr.ifr_name, dev.c_str(), IFNAMSIZ - 1);
        if (ioctl(fd, TUNSETIFF, &ifr) != 0)
        {
            const int e = errno;
            std::string why = std::strerror(e);
            if (e == EINVAL)
            {
                why = "it is not a TAP device";
            }
            else if (e == EBUSY)
            {
                why = "another program holds it";
            }
            *problem = {"interface",
                        "cannot attach to " + dev + " in network namespace " + netns + ": " + why};
            close(fd);
            fd = -1;
        }
    }
    // Back to our own namespace whatever happened: the simulation runs there.
    NS_ABORT_MSG_IF(setns(self, CLONE_NEWNET) != 0,
                    "cannot return to the original network namespace: " << std::strerror(errno));
    close(self);
    return fd;
}

} // namespace

struct ScenarioRunner::Impl
{
    Scenario s;
    bool built = false;
    std::vector<Ptr<Node>> nodes;
    std::vector<Ptr<IosRouter>> routers;                        // null for hosts
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
        uint64_t sinkPackets = 0; //!< from an external node: what the sink got
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
    /** Five-tuples by flow id: Ipv4FlowClassifier::FindFlow searches its whole map each time,
     *  and the results ask it for every flow once per traffic item. */
    std::map<FlowId, Ipv4FlowClassifier::FiveTuple> flowTuples;
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
    void BuildTraffic();
    void ScheduleEvents();
    void SnapshotSas();
    std::string Exec(uint32_t node, const std::string& command);
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
};

ScenarioRunner::ScenarioRunner(Scenario scenario) : m_impl(std::make_unique<Impl>())
{
    m_impl->s = std::move(scenario);
}

ScenarioRunner::~ScenarioRunner() = default;

const Scenario&
ScenarioRunner::GetScenario() const
{
    return m_impl->s;
}

void
ScenarioRunner::Impl::OpenTaps()
{
    std::vector<ScenarioIssue> issues;
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const ScenarioNode& n = s.nodes[i];
        if (!n.IsExternal())
        {
            continue;
        }
        TapProblem problem;
        const int f = OpenTapInNamespace(n.netns, n.hostInterface, &problem);
        if (f < 0)
        {
            issues.push_back(
                {problem.key.empty() ? n.pointer : n.pointer + "/" + problem.key,
                 "external node " + nlohmann::json(n.name).dump() + ": " + problem.message, false});
            continue;
        }
        tapFds[static_cast<uint32_t>(i)] = f;
    }
    if (!issues.empty())
    {
        throw ScenarioError(s.file, issues);
    }
}

void
ScenarioRunner::Impl::BuildSegments()
{
    devices.resize(s.nodes.size());
    for (size_t k = 0; k < s.segments.size(); ++k)
    {
        const ScenarioSegment& seg = s.segments[k];
        std::vector<Ptr<NetDevice>> devs;
        if (seg.externalEnd >= 0)
        {
            // A real host: the simulated end is an FdNetDevice on the host's TAP device (plain
            // Ethernet frames, DIX); the external end has no device in the simulation.
            const ScenarioEndpoint& ext = seg.ends[seg.externalEnd];
            const ScenarioEndpoint& sim = seg.ends[1 - seg.externalEnd];
            Ptr<FdNetDevice> d = DynamicCast<FdNetDevice>(fd.Install(nodes[sim.node]).Get(0));
            d->SetFileDescriptor(tapFds.at(ext.node));
            tapFds.erase(ext.node); // the device closes it
            devs.resize(2);
            devs[seg.externalEnd] = nullptr;
            devs[1 - seg.externalEnd] = d;
        }
        else if (seg.type == ScenarioLinkType::SERIAL)
        {
            p2p.SetDeviceAttribute("DataRate", DataRateValue(seg.rate));
            p2p.SetChannelAttribute("Delay", TimeValue(seg.delay));
            NetDeviceContainer c = p2p.Install(nodes[seg.ends[0].node], nodes[seg.ends[1].node]);
            // The device counts a 2-byte PPP protocol field; the rest of the IOS framing is a
            // gap after each frame, so the line carries exactly as many bytes per frame.
            IosEncapsulation enc = IosEncapsulation::HDLC;
            for (const auto& e : seg.ends)
            {
                if (s.nodes[e.node].IsRouter())
                {
                    if (const IosInterface* f = s.nodes[e.node].config.FindInterface(e.interface))
                    {
                        enc = f->encapsulation;
                    }
                }
            }
            const SerialFraming f = SerialFraming::For(enc);
            const Time gap = seg.rate.CalculateBytesTxTime(f.bytes - f.modelled);
            for (uint32_t i = 0; i < 2; ++i)
            {
                Ptr<PointToPointNetDevice> d = DynamicCast<PointToPointNetDevice>(c.Get(i));
                d->SetInterframeGap(gap);
                Ptr<ScenarioCablePull> pull = CreateObject<ScenarioCablePull>();
                pull->Disable();
                if (seg.HasErrors())
                {
                    // A lossy or noisy line; the cable pull is asked first.
                    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
                    m->SetAttribute("Loss", DoubleValue(seg.loss));
                    m->SetAttribute("Corrupt", DoubleValue(seg.corrupt));
                    m->SetLinkHeader(2); // ns-3's PPP protocol field
                    m->SetCable(pull);
                    d->SetReceiveErrorModel(m);
                    faultModels[k].emplace_back(i, m);
                }
                else
                {
                    d->SetReceiveErrorModel(pull);
                }
                pullOf[d] = pull;
                devs.push_back(d);
            }
        }
        else
        {
            Ptr<CsmaChannel> ch = CreateObject<CsmaChannel>();
            ch->SetAttribute("DataRate", DataRateValue(seg.rate));
            ch->SetAttribute("Delay", TimeValue(seg.delay));
            for (const auto& e : seg.ends)
            {
                devs.push_back(csma.Install(nodes[e.node], ch).Get(0));
                if (seg.HasErrors())
                {
                    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
                    m->SetAttribute("Loss", DoubleValue(seg.loss));
                    m->SetAttribute("Corrupt", DoubleValue(seg.corrupt));
                    m->SetLinkHeader(14); // Ethernet (DIX)
                    DynamicCast<CsmaNetDevice>(devs.back())->SetReceiveErrorModel(m);
                    faultModels[k].emplace_back(devs.size() - 1, m);
                }
            }
        }
        for (size_t i = 0; i < seg.ends.size(); ++i)
        {
            if (devs[i])
            {
                devices[seg.ends[i].node][seg.ends[i].interface] = devs[i];
            }
        }
        segmentDevices.push_back(devs);
    }
}

void
ScenarioRunner::Impl::BuildStacks()
{
    IpsecStackHelper routerStack;
    InternetStackHelper hostStack;
    std::vector<ScenarioIssue> issues;
    routers.assign(s.nodes.size(), nullptr);
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const ScenarioNode& n = s.nodes[i];
        if (n.IsExternal())
        {
            continue; // a real host: nothing of it is simulated
        }
        if (!n.IsRouter())
        {
            hostStack.Install(nodes[i]);
            Ptr<Ipv4L3Protocol> ipv4 = nodes[i]->GetObject<Ipv4L3Protocol>();
            auto dev = devices[i].find(n.hostInterface);
            if (dev == devices[i].end())
            {
                continue; // no link: reported by the topology check
            }
            const uint32_t idx = ipv4->AddInterface(dev->second);
            ipv4->AddAddress(idx, Ipv4InterfaceAddress(n.address, n.mask));
            ipv4->SetUp(idx);
            if (n.gateway)
            {
                Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(*n.gateway, idx);
            }
            continue;
        }
        routerStack.Install(nodes[i]);
        try
        {
            Ptr<IpsecEngineSet> engines;
            if (!n.platform.empty())
            {
                engines = IpsecCalibration::Default().BuildEngineSet(n.platform, n.modules);
            }
            routers[i] = IosRouter::Install(nodes[i], n.config, devices[i], engines);
        }
        catch (const IosConfigError& e)
        {
            std::string ptr = n.pointer + "/config";
            std::string msg = e.what();
            if (n.inlineConfig && e.Where().line > 0)
            {
                ptr += "/" + std::to_string(e.Where().line - 1);
            }
            issues.push_back({ptr, "\n" + msg, false});
        }
        catch (const std::exception& e)
        {
            issues.push_back({n.pointer + "/config", e.what(), false});
        }
    }
    if (!issues.empty())
    {
        throw ScenarioError(s.file, issues);
    }
}

void
ScenarioRunner::Impl::BuildTraffic()
{
    const Time end = s.duration;
    flows.resize(s.traffic.size());
    std::set<uint32_t> sources, sinks;
    for (const auto& t : s.traffic)
    {
        if (t.kind != ScenarioTrafficKind::PING)
        {
            sources.insert(t.from);
            sinks.insert(t.toNode);
        }
    }
    // FlowMonitor counts at the ends of each flow (IPsec carries its byte tags across tunnels).
    std::set<uint32_t> all = sources;
    all.insert(sinks.begin(), sinks.end());
    NodeContainer ends;
    for (uint32_t n : all)
    {
        if (nodes[n]) // not an external node
        {
            ends.Add(nodes[n]);
        }
    }
    if (ends.GetN() > 0)
    {
        // 10 us bins: the maximum delay is read from the histogram's last non-empty bin.
        flowHelper.SetMonitorAttribute("DelayBinWidth", DoubleValue(1e-5));
        monitor = flowHelper.Install(ends);
    }
    for (size_t i = 0; i < s.traffic.size(); ++i)
    {
        const ScenarioTraffic& t = s.traffic[i];
        Flow& f = flows[i];
        Ptr<Node> from = nodes[t.from];
        Ptr<Node> to = nodes[t.toNode];
        switch (t.kind)
        {
        case ScenarioTrafficKind::UDP:
        case ScenarioTrafficKind::TCP:
        {
            const std::string factory = t.kind == ScenarioTrafficKind::UDP
                                            ? "ns3::UdpSocketFactory"
                                            : "ns3::TcpSocketFactory";
            if (to) // an external destination listens with its own programs
            {
                PacketSinkHelper sink(factory, InetSocketAddress(Ipv4Address::GetAny(), t.port));
                ApplicationContainer sc = sink.Install(to);
                sc.Start(Seconds(0));
                sc.Stop(end);
                f.sink = DynamicCast<PacketSink>(sc.Get(0));
            }
            if (!from)
            {
                // From an external node: its own programs send; the sink counts what arrives.
                f.sink->TraceConnectWithoutContext(
                    "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                              [&f](Ptr<const Packet>, const Address&) { ++f.sinkPackets; }));
                break;
            }
            ApplicationContainer ac;
            if (t.kind == ScenarioTrafficKind::UDP && to)
            {
                // What the application gets is checked: nothing corrupted, nothing twice.
                f.check = std::make_shared<PayloadChecker>(t.sequencePayload,
                                                           static_cast<uint32_t>(i), t.size);
                auto check = f.check;
                f.sink->TraceConnectWithoutContext(
                    "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                              [check](Ptr<const Packet> p, const Address&) { check->Check(p); }));
            }
            if (t.kind == ScenarioTrafficKind::UDP && t.sequencePayload)
            {
                Ptr<PatternUdpSender> app = CreateObject<PatternUdpSender>();
                app->SetAttribute("Remote", AddressValue(InetSocketAddress(t.to, t.port)));
                app->SetAttribute("DataRate", DataRateValue(t.rate));
                app->SetAttribute("PacketSize", UintegerValue(t.size));
                app->SetAttribute("Poisson", BooleanValue(t.poisson));
                app->SetAttribute("Flow", UintegerValue(i));
                from->AddApplication(app);
                patternSenders.push_back(app);
                ac.Add(app);
            }
            else if (t.kind == ScenarioTrafficKind::UDP)
            {
                OnOffHelper onoff(factory, InetSocketAddress(t.to, t.port));
                onoff.SetConstantRate(t.rate, t.size);
                ac = onoff.Install(from);
            }
            else
            {
                BulkSendHelper bulk(factory, InetSocketAddress(t.to, t.port));
                bulk.SetAttribute("MaxBytes", UintegerValue(t.bytes));
                ac = bulk.Install(from);
            }
            ac.Start(t.start);
            ac.Stop(t.stop);
            f.app = ac.Get(0);
            break;
        }
        case ScenarioTrafficKind::PING:
        {
            V4PingHelper ping(t.to);
            ping.SetAttribute("Interval", TimeValue(t.interval));
            ping.SetAttribute("Size", UintegerValue(t.size));
            ApplicationContainer ac = ping.Install(from);
            // V4Ping (3.37) pings until stopped and forgets replies once stopped. So it runs
            // to the end, and after the last request it should send its next one only "never":
            // this event is queued before the application's own send at that instant.
            const uint32_t n = t.PingsThatFit();
            f.pingsSent = n;
            ac.Start(t.start);
            ac.Stop(end);
            f.app = ac.Get(0);
            Ptr<Application> app = f.app;
            Simulator::Schedule(t.start + t.interval * static_cast<int64_t>(n - 1), [app]()
                                { app->SetAttribute("Interval", TimeValue(Seconds(1e9))); });
            f.app->TraceConnectWithoutContext("Rtt", Callback<void, Time>(
                                                         [&f](Time rtt)
                                                         {
                                                             ++f.rttCount;
                                                             f.rttSum += rtt;
                                                             f.rttMax = std::max(f.rttMax, rtt);
                                                         }));
            break;
        }
        }
    }
}

void
ScenarioRunner::Impl::SnapshotSas()
{
    NodeContainer rs;
    for (size_t i = 0; i < routers.size(); ++i)
    {
        if (routers[i])
        {
            rs.Add(nodes[i]);
        }
    }
    std::ostringstream os;
    IpsecHelper::WriteEspSaUat(os, rs);
    std::istringstream is(os.str());
    std::string row;
    while (std::getline(is, row))
    {
        if (!row.empty() && uatSeen.insert(row).second)
        {
            uatRows.push_back(row);
        }
    }
}

std::string
ScenarioRunner::Impl::Exec(uint32_t node, const std::string& command)
{
    SnapshotSas(); // `clear crypto sa` may remove SAs whose frames are already captured
    std::string out;
    try
    {
        out = routers[node]->Exec(command);
    }
    catch (const std::exception& e)
    {
        out = e.what();
    }
    std::string& log = show[node];
    log += "! " + Stamp(Simulator::Now()) + "\n";
    log += routers[node]->GetHostname() + "#" + command + "\n";
    log += out;
    if (!out.empty() && out.back() != '\n')
    {
        log += "\n";
    }
    log += "\n";
    return out;
}

void
ScenarioRunner::Impl::SetEndState(uint32_t segment, size_t end, bool up)
{
    const ScenarioEndpoint& e = s.segments[segment].ends[end];
    Ptr<NetDevice> dev = segmentDevices[segment][end];
    if (!dev)
    {
        return; // an external node (the loader refuses cable pulls on its link)
    }
    // The medium: frames stop (or flow again) at this end.
    if (auto pull = pullOf.find(dev); pull != pullOf.end())
    {
        up ? pull->second->Disable() : pull->second->Enable();
    }
    if (Ptr<CsmaNetDevice> c = DynamicCast<CsmaNetDevice>(dev))
    {
        c->SetSendEnable(up);
        c->SetReceiveEnable(up);
    }
    // IP: the interface goes down as on carrier loss, and comes back with its routes.
    Ptr<Ipv4L3Protocol> ipv4 = nodes[e.node]->GetObject<Ipv4L3Protocol>();
    const int32_t idx = ipv4->GetInterfaceForDevice(dev);
    if (idx < 0)
    {
        return;
    }
    const auto key = std::make_pair(e.node, e.interface);
    Ptr<Ipv4StaticRouting> rt = Ipv4StaticRoutingHelper().GetStaticRouting(ipv4);
    if (!up)
    {
        if (down.count(key) || !ipv4->IsUp(idx))
        {
            return;
        }
        // ns-3 forgets static routes through an interface that goes down; IOS keeps them in
        // the configuration and installs them again when it comes back.
        DownState st;
        for (uint32_t r = 0; rt && r < rt->GetNRoutes(); ++r)
        {
            Ipv4RoutingTableEntry entry = rt->GetRoute(r);
            if (entry.GetInterface() == static_cast<uint32_t>(idx))
            {
                st.routes.push_back(entry);
                st.metrics.push_back(rt->GetMetric(r));
            }
        }
        down[key] = st;
        ipv4->SetDown(idx);
        return;
    }
    auto it = down.find(key);
    if (it == down.end())
    {
        return;
    }
    ipv4->SetUp(idx);
    for (size_t r = 0; rt && r < it->second.routes.size(); ++r)
    {
        const Ipv4RoutingTableEntry& want = it->second.routes[r];
        bool present = false;
        for (uint32_t k = 0; k < rt->GetNRoutes() && !present; ++k)
        {
            Ipv4RoutingTableEntry have = rt->GetRoute(k);
            present = have.GetDest() == want.GetDest() &&
                      have.GetDestNetworkMask() == want.GetDestNetworkMask() &&
                      have.GetGateway() == want.GetGateway() &&
                      have.GetInterface() == want.GetInterface();
        }
        if (present)
        {
            continue;
        }
        if (want.IsGateway())
        {
            rt->AddNetworkRouteTo(want.GetDest(), want.GetDestNetworkMask(), want.GetGateway(),
                                  want.GetInterface(), it->second.metrics[r]);
        }
        else
        {
            rt->AddNetworkRouteTo(want.GetDest(), want.GetDestNetworkMask(), want.GetInterface(),
                                  it->second.metrics[r]);
        }
    }
    down.erase(it);
}

void
ScenarioRunner::Impl::SetLinkState(const ScenarioEvent& e)
{
    const ScenarioSegment& seg = s.segments[e.segment];
    if (seg.type == ScenarioLinkType::SERIAL)
    {
        // A serial line pulled at either end is down at both (carrier lost).
        SetEndState(e.segment, 0, e.up);
        SetEndState(e.segment, 1, e.up);
        return;
    }
    for (size_t k = 0; k < seg.ends.size(); ++k)
    {
        if (seg.ends[k] == e.end)
        {
            SetEndState(e.segment, k, e.up);
        }
    }
}

void
ScenarioRunner::Impl::SetPower(uint32_t node, bool on)
{
    if (on != (poweredOff.count(node) > 0))
    {
        return; // already so
    }
    // Off: every interface loses carrier (a serial line at both ends), then the router forgets
    // all it negotiated; nothing it would say about that can leave. On: the interfaces come
    // back with the configuration's routes, and the router starts from nothing.
    for (size_t k = 0; k < s.segments.size(); ++k)
    {
        const ScenarioSegment& seg = s.segments[k];
        for (size_t i = 0; i < seg.ends.size(); ++i)
        {
            if (seg.ends[i].node != node)
            {
                continue;
            }
            if (seg.type == ScenarioLinkType::SERIAL)
            {
                SetEndState(static_cast<uint32_t>(k), 0, on);
                SetEndState(static_cast<uint32_t>(k), 1, on);
            }
            else
            {
                SetEndState(static_cast<uint32_t>(k), i, on);
            }
        }
    }
    if (!on)
    {
        poweredOff.insert(node);
        if (routers[node])
        {
            RouterFaults::LoseState(routers[node]);
        }
    }
    else
    {
        poweredOff.erase(node);
    }
}

void
ScenarioRunner::Impl::ScheduleEvents()
{
    for (const auto& e : s.events)
    {
        nlohmann::json j;
        j["at_s"] = Seconds3(e.at.GetSeconds());
        if (e.kind == ScenarioEvent::Kind::EXEC)
        {
            j["node"] = s.nodes[e.node].name;
            j["exec"] = e.exec;
            j["show"] = "show/" + FileSafe(s.nodes[e.node].name) + ".txt";
            const uint32_t node = e.node;
            const std::string cmd = e.exec;
            Simulator::Schedule(e.at, [this, node, cmd]() { Exec(node, cmd); });
        }
        else if (e.kind == ScenarioEvent::Kind::CARD_STATE)
        {
            j["node"] = s.nodes[e.node].name;
            j["card"] = e.slot;
            j["state"] = e.up ? "up" : "failed";
            Ptr<IosRouter> r = routers[e.node];
            const uint32_t slot = e.slot;
            const bool up = e.up;
            Simulator::Schedule(e.at, [r, slot, up]() {
                Ptr<IpsecEngineSet> engines = r ? r->GetEngines() : nullptr;
                if (engines && slot < engines->GetCards().size())
                {
                    engines->GetCards()[slot]->SetFailed(!up);
                }
            });
        }
        else if (e.kind == ScenarioEvent::Kind::POWER)
        {
            j["node"] = s.nodes[e.node].name;
            const uint32_t node = e.node;
            if (e.reload.IsStrictlyPositive())
            {
                j["reload_s"] = Seconds3(e.reload.GetSeconds());
                j["boot_s"] = Seconds3((e.at + e.reload).GetSeconds());
                Simulator::Schedule(e.at, [this, node]() { SetPower(node, false); });
                Simulator::Schedule(e.at + e.reload, [this, node]() { SetPower(node, true); });
            }
            else
            {
                j["power"] = e.up ? "on" : "off";
                const bool up = e.up;
                Simulator::Schedule(e.at, [this, node, up]() { SetPower(node, up); });
            }
        }
        else
        {
            j["link"] = s.Describe(e.end);
            j["state"] = e.up ? "up" : "down";
            const ScenarioEvent ev = e;
            Simulator::Schedule(e.at, [this, ev]() { SetLinkState(ev); });
        }
        eventLog.push_back(j);
    }
    // Keys of SAs that come and go during the run (rekeying, clear) are kept for esp_sa.uat.
    for (Time t = Seconds(1); t < s.duration; t += Seconds(1))
    {
        Simulator::Schedule(t, [this]() { SnapshotSas(); });
    }
}

bool
ScenarioRunner::Impl::FlowOf(size_t i, const Ipv4FlowClassifier::FiveTuple& ft) const
{
    // FlowMonitor's flows of this item: its protocol, to its sink, from its source's addresses.
    const ScenarioTraffic& t = s.traffic[i];
    const uint8_t proto = t.kind == ScenarioTrafficKind::UDP ? 17 : 6;
    if (ft.protocol != proto || ft.destinationAddress != t.to || ft.destinationPort != t.port)
    {
        return false; // the cheap tests first: results ask this of every flow for every item
    }
    Ptr<Ipv4> srcIp = nodes[t.from] ? nodes[t.from]->GetObject<Ipv4>() : nullptr;
    return srcIp && srcIp->GetInterfaceForAddress(ft.sourceAddress) >= 0;
}

#ifdef IPSEC_HAVE_NETANIM
void
ScenarioRunner::Impl::StartAnimation(const std::string& file)
{
    // Routers in a row, each host below the router of its segment (or below the row's end).
    std::map<uint32_t, double> x;
    double next = 0;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].IsRouter() && nodes[i])
        {
            x[i] = next;
            next += 100;
        }
    }
    std::map<uint32_t, int> hostsBelow;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (!nodes[i])
        {
            continue;
        }
        if (s.nodes[i].IsRouter())
        {
            AnimationInterface::SetConstantPosition(nodes[i], x[i], 50);
            continue;
        }
        int32_t router = -1;
        for (const auto& seg : s.segments)
        {
            bool mine = false;
            for (const auto& e : seg.ends)
            {
                mine = mine || e.node == i;
            }
            for (const auto& e : seg.ends)
            {
                if (mine && s.nodes[e.node].IsRouter())
                {
                    router = static_cast<int32_t>(e.node);
                }
            }
        }
        const double hx = router >= 0 ? x[router] : next;
        const int k = hostsBelow[router >= 0 ? router : 1u << 30]++;
        AnimationInterface::SetConstantPosition(nodes[i], hx + 25 * k, 100 + 15 * k);
    }
    anim = std::make_unique<AnimationInterface>(file);
    anim->SetMaxPktsPerTraceFile(200000);
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (nodes[i])
        {
            anim->UpdateNodeDescription(nodes[i], s.nodes[i].name);
        }
    }
}
#endif

void
ScenarioRunner::Impl::StartSeries()
{
    // About 200 samples a run, no finer than 10 ms and no coarser than 1 s.
    seriesStep = std::clamp(s.duration / 200, MilliSeconds(10), Seconds(1));
    for (size_t i = 0; i < s.traffic.size(); ++i)
    {
        const ScenarioTraffic& t = s.traffic[i];
        if (t.kind != ScenarioTrafficKind::PING && !s.nodes[t.from].IsExternal() &&
            !s.nodes[t.toNode].IsExternal())
        {
            flowSeries[i];
        }
    }
    for (size_t n = 0; n < routers.size(); ++n)
    {
        Ptr<IpsecEngineSet> e = routers[n] ? routers[n]->GetEngines() : nullptr;
        if (!e)
        {
            continue;
        }
        if (e->GetSoftware())
        {
            engineSeries.push_back({s.nodes[n].name, e->GetSoftware(), Time(0), {}, {}});
        }
        for (const auto& c : e->GetCards())
        {
            engineSeries.push_back({s.nodes[n].name, c, Time(0), {}, {}});
        }
    }
    if (!flowSeries.empty() || !engineSeries.empty())
    {
        Simulator::Schedule(seriesStep, &ScenarioRunner::Impl::Sample, this);
    }
}

const Ipv4FlowClassifier::FiveTuple&
ScenarioRunner::Impl::TupleOf(FlowId id)
{
    auto it = flowTuples.find(id);
    if (it == flowTuples.end())
    {
        Ptr<Ipv4FlowClassifier> cls = DynamicCast<Ipv4FlowClassifier>(flowHelper.GetClassifier());
        it = flowTuples.emplace(id, cls->FindFlow(id)).first;
    }
    return it->second;
}

void
ScenarioRunner::Impl::Sample()
{
    seriesT.push_back(Simulator::Now().GetSeconds());
    const double dt = seriesStep.GetSeconds();
    if (monitor && !flowSeries.empty())
    {
        std::map<size_t, std::tuple<uint64_t, uint64_t, Time>> now;
        for (const auto& [id, st] : monitor->GetFlowStats())
        {
            auto [of, fresh] = seriesOfFlow.try_emplace(id);
            if (fresh)
            {
                const auto& ft = TupleOf(id);
                for (const auto& [i, fs] : flowSeries)
                {
                    if (FlowOf(i, ft))
                    {
                        of->second.push_back(i);
                    }
                }
            }
            for (size_t i : of->second)
            {
                auto& [b, p, d] = now[i];
                b += st.rxBytes;
                p += st.rxPackets;
                d += st.delaySum;
            }
        }
        for (auto& [i, fs] : flowSeries)
        {
            const auto [b, p, d] = now[i];
            fs.bps.push_back(std::round((b - fs.rxBytes) * 8 / dt));
            const double ms = p > fs.rxPackets ? (d - fs.delaySum).GetSeconds() * 1e3 /
                                                     double(p - fs.rxPackets)
                                               : 0;
            fs.delayMs.push_back(p > fs.rxPackets ? nlohmann::json(std::round(ms * 1e4) / 1e4)
                                                  : nlohmann::json());
            fs.rxBytes = b;
            fs.rxPackets = p;
            fs.delaySum = d;
        }
    }
    for (auto& es : engineSeries)
    {
        const Time busy = es.engine->GetBusyTime();
        es.utilisation.push_back(
            std::round(std::min(1.0, (busy - es.busy).GetSeconds() / dt) * 1e4) / 1e4);
        es.busy = busy;
        es.queue.push_back(es.engine->GetQueueLength());
    }
    if (Simulator::Now() + seriesStep <= s.duration)
    {
        Simulator::Schedule(seriesStep, &ScenarioRunner::Impl::Sample, this);
    }
}

nlohmann::json
ScenarioRunner::Impl::SeriesResult() const
{
    nlohmann::json j;
    j["interval_s"] = seriesStep.GetSeconds();
    j["t_s"] = seriesT;
    j["flows"] = nlohmann::json::array();
    for (const auto& [i, fs] : flowSeries)
    {
        const ScenarioTraffic& t = s.traffic[i];
        j["flows"].push_back({{"traffic", t.pointer},
                              {"from", s.nodes[t.from].name},
                              {"to", Text(t.to)},
                              {"port", t.port},
                              {"kind", ToString(t.kind)},
                              {"rx_bps", fs.bps},
                              {"mean_delay_ms", fs.delayMs}});
    }
    j["engines"] = nlohmann::json::array();
    for (const auto& es : engineSeries)
    {
        j["engines"].push_back({{"node", es.node},
                                {"engine", es.engine->GetName()},
                                {"hardware", es.engine->IsHardware()},
                                {"utilisation", es.utilisation},
                                {"queue", es.queue}});
    }
    return j;
}

void
ScenarioRunner::Impl::AssignStreams()
{
    int64_t stream = 0;
    NodeContainer all;
    NetDeviceContainer lans;
    for (size_t k = 0; k < s.segments.size(); ++k)
    {
        if (s.segments[k].type == ScenarioLinkType::ETHERNET && s.segments[k].externalEnd < 0)
        {
            for (const auto& d : segmentDevices[k])
            {
                lans.Add(d);
            }
        }
    }
    for (const auto& n : nodes)
    {
        if (n) // not an external node
        {
            all.Add(n);
        }
    }
    stream += InternetStackHelper().AssignStreams(all, stream);
    stream += csma.AssignStreams(lans, stream);
    stream += OnOffHelper("ns3::UdpSocketFactory", Address()).AssignStreams(all, stream);
    for (auto& app : patternSenders)
    {
        stream += app->AssignStreams(stream);
    }
    for (auto& [seg, models] : faultModels)
    {
        for (auto& [end, m] : models)
        {
            stream += m->AssignStreams(stream);
        }
    }
}

void
ScenarioRunner::Build()
{
    Impl& im = *m_impl;
    NS_ABORT_MSG_IF(im.built, "ScenarioRunner::Build called twice");
    RngSeedManager::SetSeed(im.s.seed);
    RngSeedManager::SetRun(im.s.run);
    Config::SetDefault("ns3::IpsecProcessor::FastCrypto", BooleanValue(im.s.fastCrypto));
    // Real checksums, so that the captures are valid IPv4 for Wireshark (and real hosts accept
    // what the simulated nodes send them).
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    // With an external node the simulation keeps pace with the wall clock: real hosts do not
    // wait. The choice is made before the first node creates the simulator.
    im.realtime = im.s.HasExternal();
    StringValue impl;
    GlobalValue::GetValueByName("SimulatorImplementationType", impl);
    if (im.realtime)
    {
        im.OpenTaps(); // the errors (no namespace, no TAP, not root) before anything is built
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::RealtimeSimulatorImpl"));
    }
    else if (impl.Get() == "ns3::RealtimeSimulatorImpl")
    {
        GlobalValue::Bind("SimulatorImplementationType", StringValue("ns3::DefaultSimulatorImpl"));
    }

    // The same scenario gives the same run, also twice in one process: MAC addresses from the
    // start, and fixed random-stream numbers for everything built here.
    Mac48Address::ResetAllocationIndex();
    for (size_t i = 0; i < im.s.nodes.size(); ++i)
    {
        // An external node is a real host: it has no ns-3 node.
        im.nodes.push_back(im.s.nodes[i].IsExternal() ? nullptr : CreateObject<Node>());
    }
    if (im.realtime && Simulator::GetImplementation()->GetInstanceTypeId().GetName() !=
                           "ns3::RealtimeSimulatorImpl")
    {
        const std::string have = Simulator::GetImplementation()->GetInstanceTypeId().GetName();
        throw ScenarioError(im.s.file, {ScenarioIssue{"",
                                                      "the scenario has an external node and "
                                                      "needs the real-time simulator, but the "
                                                      "simulator already exists as " +
                                                          have,
                                                      false}});
    }
    im.BuildSegments();
    im.BuildStacks();
    im.BuildTraffic();
    im.AssignStreams();
    im.ScheduleEvents();
    im.built = true;
}

void
ScenarioRunner::Impl::Progress()
{
    const auto now = std::chrono::steady_clock::now();
    const double t = Simulator::Now().GetSeconds();
    const double total = s.duration.GetSeconds();
    if (now - lastPrint >= std::chrono::milliseconds(100))
    {
        lastPrint = now;
        std::fprintf(stderr, "\ripsec-sim: %5.1f%%  t = %.2f of %.2f s ", 100.0 * t / total, t,
                     total);
        std::fflush(stderr);
    }
    const Time step = s.duration / 200;
    if (Simulator::Now() + step < s.duration)
    {
        Simulator::Schedule(step, &ScenarioRunner::Impl::Progress, this);
    }
}

nlohmann::json
ScenarioRunner::Impl::FlowResult(size_t i)
{
    const ScenarioTraffic& t = s.traffic[i];
    const Flow& f = flows[i];
    nlohmann::json j;
    j["traffic"] = t.pointer;
    j["kind"] = ToString(t.kind);
    j["from"] = s.nodes[t.from].name;
    j["to"] = Text(t.to);
    j["to_node"] = s.nodes[t.toNode].name;
    j["start_s"] = Seconds3(t.start.GetSeconds());
    j["stop_s"] = Seconds3(t.stop.GetSeconds());
    if (t.kind == ScenarioTrafficKind::PING)
    {
        j["count"] = t.count;
        j["delay"] = "round-trip";
        // The requests sent by the time the run ended (a console session may end it early).
        uint32_t sent = 0;
        const Time now = Simulator::Now();
        if (now >= t.start && t.interval.IsStrictlyPositive())
        {
            sent = static_cast<uint32_t>(std::min<int64_t>(
                f.pingsSent, (now - t.start).GetNanoSeconds() / t.interval.GetNanoSeconds() + 1));
        }
        j["sent"] = sent;
        j["received"] = f.rttCount;
        j["lost"] = sent >= f.rttCount ? sent - f.rttCount : 0;
        j["mean_delay_s"] =
            f.rttCount ? Seconds3(f.rttSum.GetSeconds() / f.rttCount) : nlohmann::json();
        j["max_delay_s"] = f.rttCount ? Seconds3(f.rttMax.GetSeconds()) : nlohmann::json();
        return j;
    }
    j["port"] = t.port;
    j["delay"] = "one-way";
    if (s.nodes[t.from].IsExternal())
    {
        // A real host sent it: only what the sink received is known.
        for (const char* k :
             {"sent", "lost", "sent_bytes", "received_bytes", "mean_delay_s", "max_delay_s"})
        {
            j[k] = nullptr;
        }
        j["received"] = f.sinkPackets;
        j["sink_bytes"] = f.sink ? f.sink->GetTotalRx() : 0;
        return j;
    }
    const bool toExternal = s.nodes[t.toNode].IsExternal();
    uint64_t tx = 0, rx = 0, lost = 0, txBytes = 0, rxBytes = 0;
    Time delaySum;
    double maxDelay = -1;
    std::optional<Time> firstTx, lastTx, firstRx, lastRx;
    auto widen = [](std::optional<Time>& first, std::optional<Time>& last, Time a, Time b) {
        first = first ? std::min(*first, a) : a;
        last = last ? std::max(*last, b) : b;
    };
    for (const auto& [id, st] : monitor->GetFlowStats())
    {
        if (!FlowOf(i, TupleOf(id)))
        {
            continue;
        }
        if (st.txPackets)
        {
            widen(firstTx, lastTx, st.timeFirstTxPacket, st.timeLastTxPacket);
        }
        if (st.rxPackets)
        {
            widen(firstRx, lastRx, st.timeFirstRxPacket, st.timeLastRxPacket);
        }
        tx += st.txPackets;
        rx += st.rxPackets;
        lost += st.lostPackets;
        txBytes += st.txBytes;
        rxBytes += st.rxBytes;
        delaySum += st.delaySum;
        Histogram h = st.delayHistogram;
        for (uint32_t b = h.GetNBins(); b > 0; --b)
        {
            if (h.GetBinCount(b - 1) > 0)
            {
                maxDelay = std::max(maxDelay, h.GetBinEnd(b - 1));
                break;
            }
        }
    }
    j["sent"] = tx;
    j["received"] = rx;
    j["lost"] = lost;
    j["sent_bytes"] = txBytes;
    j["received_bytes"] = rxBytes;
    // First and last packet sent and received (IP bytes counted by FlowMonitor): what a
    // saturated path carries is received bytes over the receiving span, its queue draining at
    // the same rate after the sender stops.
    auto secs = [](const std::optional<Time>& t) {
        return t ? nlohmann::json(t->GetSeconds()) : nlohmann::json();
    };
    j["first_tx_s"] = secs(firstTx);
    j["last_tx_s"] = secs(lastTx);
    j["first_rx_s"] = secs(firstRx);
    j["last_rx_s"] = secs(lastRx);
    j["mean_delay_s"] = rx ? Seconds3(delaySum.GetSeconds() / rx) : nlohmann::json();
    j["max_delay_s"] = maxDelay >= 0 ? Seconds3(maxDelay) : nlohmann::json();
    if (toExternal)
    {
        // A real host received it: what arrived there is not known here.
        for (const char* k : {"received", "lost", "received_bytes", "mean_delay_s", "max_delay_s",
                              "first_rx_s", "last_rx_s"})
        {
            j[k] = nullptr;
        }
    }
    if (t.kind == ScenarioTrafficKind::UDP)
    {
        j["rate_bps"] = t.rate.GetBitRate();
        j["size"] = t.size;
        j["pattern"] = t.poisson ? "poisson" : "cbr";
        if (f.check)
        {
            // Datagrams the application got, checked byte for byte against what was sent.
            j["payload"] = {{"kind", t.sequencePayload ? "sequence" : "zeros"},
                            {"checked", f.check->checked},
                            {"intact", f.check->intact},
                            {"corrupt", f.check->corrupt},
                            {"duplicate", f.check->duplicate}};
        }
    }
    else
    {
        j["bytes"] = t.bytes;
    }
    j["sink_bytes"] = f.sink ? nlohmann::json(f.sink->GetTotalRx()) : nlohmann::json();
    return j;
}

void
ScenarioRunner::Start(const Options& options)
{
    Impl& im = *m_impl;
    NS_ABORT_MSG_UNLESS(im.built, "ScenarioRunner::Run before Build");
    NS_ABORT_MSG_IF(im.started, "ScenarioRunner started twice");
    namespace fs = std::filesystem;
    const fs::path out(options.outDir);
    fs::create_directories(out / "show");

    // One capture per link end, named after it.
    nlohmann::json pcaps = nlohmann::json::array();
    for (size_t k = 0; k < im.s.segments.size() && options.pcaps; ++k)
    {
        const ScenarioSegment& seg = im.s.segments[k];
        for (size_t i = 0; i < seg.ends.size(); ++i)
        {
            const std::string name = FileSafe(im.s.Describe(seg.ends[i])) + ".pcap";
            // "R1:Serial0" -> "R1_Serial0.pcap"
            Ptr<NetDevice> d = im.segmentDevices[k][i];
            if (!d)
            {
                continue; // the external end: its host captures for itself if it wants
            }
            if (seg.externalEnd >= 0)
            {
                im.fd.EnablePcap((out / name).string(), d, false, true);
            }
            else if (seg.type == ScenarioLinkType::SERIAL)
            {
                im.p2p.EnablePcap((out / name).string(), d, false, true);
            }
            else
            {
                im.csma.EnablePcap((out / name).string(), d, false, true);
            }
            pcaps.push_back(name);
        }
    }

    im.progress = options.progress;
    if (im.progress)
    {
        Simulator::Schedule(Seconds(0), &ScenarioRunner::Impl::Progress, &im);
    }
    if (options.netanim && !im.realtime)
    {
#ifdef IPSEC_HAVE_NETANIM
        im.StartAnimation((out / "netanim.xml").string());
#else
        std::clog << "note: no netanim.xml (built without ns-3's netanim module)\n";
#endif
    }
    im.StartSeries();
    im.started = true;
    im.report = options.report;
    im.out = out;
    im.pcapNames = pcaps;
}

void
ScenarioRunner::Advance(Time t)
{
    NS_ABORT_MSG_UNLESS(m_impl->started, "ScenarioRunner::Advance before Start");
    Simulator::Stop(t);
    Simulator::Run();
}

std::string
ScenarioRunner::Exec(uint32_t node, const std::string& command)
{
    Impl& im = *m_impl;
    NS_ABORT_MSG_UNLESS(node < im.routers.size() && im.routers[node], "Exec on a non-router");
    return im.Exec(node, command);
}

Ptr<IosRouter>
ScenarioRunner::GetRouter(uint32_t node) const
{
    return node < m_impl->routers.size() ? m_impl->routers[node] : nullptr;
}

Ptr<Node>
ScenarioRunner::GetNode(uint32_t node) const
{
    return node < m_impl->nodes.size() ? m_impl->nodes[node] : nullptr;
}

nlohmann::json
ScenarioRunner::Run(const Options& options)
{
    Start(options);
    Impl& im = *m_impl;
    Simulator::Stop(im.s.duration);
    Simulator::Run();
    if (im.progress)
    {
        std::fprintf(stderr, "\ripsec-sim: 100.0%%  t = %.2f of %.2f s \n",
                     im.s.duration.GetSeconds(), im.s.duration.GetSeconds());
    }
    return Finish();
}

nlohmann::json
ScenarioRunner::Finish()
{
    Impl& im = *m_impl;
    NS_ABORT_MSG_UNLESS(im.started, "ScenarioRunner::Finish before Start");
    namespace fs = std::filesystem;
    const fs::path out = im.out;
    const nlohmann::json pcaps = im.pcapNames;

    // The final state: every router's SAs.
    for (size_t i = 0; i < im.routers.size(); ++i)
    {
        if (im.routers[i])
        {
            im.Exec(static_cast<uint32_t>(i), "show crypto ipsec sa");
        }
    }
    im.SnapshotSas();
    if (im.monitor)
    {
        im.monitor->CheckForLostPackets(Seconds(0)); // still in flight at the end: lost
    }

    nlohmann::json r;
    r["scenario"] = {{"name", im.s.name},
                     {"file", im.s.file},
                     {"seed", im.s.seed},
                     {"run", im.s.run},
                     // the time the run ended: the scenario's duration, or where the
                     // console's user left it
                     {"duration_s", Seconds3(Simulator::Now().GetSeconds())},
                     {"realtime", im.realtime},
                     {"crypto", im.s.fastCrypto ? "fast" : "real"}};
    r["warnings"] = nlohmann::json::array();
    for (const auto& w : im.s.warnings)
    {
        r["warnings"].push_back(w.Format(im.s.file));
    }
    r["nodes"] = nlohmann::json::object();
    for (size_t i = 0; i < im.s.nodes.size(); ++i)
    {
        const ScenarioNode& n = im.s.nodes[i];
        nlohmann::json j;
        if (n.IsRouter())
        {
            j["kind"] = "router";
            j["report"] = im.routers[i]->Report();
            j["show"] = "show/" + FileSafe(n.name) + ".txt";
        }
        else
        {
            j["kind"] = ToString(n.kind);
            if (n.IsExternal())
            {
                j["namespace"] = n.netns;
                j["interface"] = n.hostInterface;
            }
            j["address"] = Text(n.address) + "/" + std::to_string(n.mask.GetPrefixLength());
            if (n.gateway)
            {
                j["gateway"] = Text(*n.gateway);
            }
            if (n.IsExternal())
            {
                j["networks"] = nlohmann::json::array();
                for (const auto& [a, m] : n.networks)
                {
                    j["networks"].push_back(PrefixText(a, m));
                }
            }
        }
        r["nodes"][n.name] = j;
    }
    r["links"] = nlohmann::json::array();
    for (const auto& l : im.s.links)
    {
        nlohmann::json j = {{"link", l.pointer},
                            {"a", im.s.Describe(l.a)},
                            {"b", im.s.Describe(l.b)},
                            {"type", ToString(l.type)},
                            {"rate_bps", l.rate.GetBitRate()},
                            {"delay_s", Seconds3(l.delay.GetSeconds())}};
        if (const ScenarioSegment& seg = im.s.segments[l.segment]; seg.externalEnd >= 0)
        {
            // A TAP device: no rate, no delay of its own.
            const ScenarioNode& x = im.s.nodes[seg.ends[seg.externalEnd].node];
            j["rate_bps"] = nullptr;
            j["delay_s"] = nullptr;
            j["tap"] = {{"namespace", x.netns}, {"interface", x.hostInterface}};
        }
        if (auto fm = im.faultModels.find(l.segment); fm != im.faultModels.end())
        {
            // The error model of the medium: what each receiving end lost and got damaged.
            nlohmann::json e = {{"loss", im.s.segments[l.segment].loss},
                                {"corrupt", im.s.segments[l.segment].corrupt},
                                {"ends", nlohmann::json::object()}};
            for (const char* k : {"frames", "lost", "corrupted", "corrupted_esp",
                                  "corrupted_esp_header", "corrupted_udp"})
            {
                e[k] = 0;
            }
            for (const auto& [end, m] : fm->second)
            {
                const nlohmann::json r = m->Report();
                e["ends"][im.s.Describe(im.s.segments[l.segment].ends[end])] = r;
                for (const char* k : {"frames", "lost", "corrupted", "corrupted_esp",
                                      "corrupted_esp_header", "corrupted_udp"})
                {
                    e[k] = e[k].get<uint64_t>() + r[k].get<uint64_t>();
                }
            }
            j["errors"] = e;
        }
        if (l.type == ScenarioLinkType::SERIAL)
        {
            IosEncapsulation enc = IosEncapsulation::HDLC;
            for (const auto* e : {&l.a, &l.b})
            {
                if (im.s.nodes[e->node].IsRouter())
                {
                    if (auto* f = im.s.nodes[e->node].config.FindInterface(e->interface))
                    {
                        enc = f->encapsulation;
                    }
                }
            }
            const SerialFraming f = SerialFraming::For(enc);
            j["encapsulation"] = f.name;
            j["framing_bytes"] = f.bytes;
        }
        r["links"].push_back(j);
    }
    r["pcaps"] = pcaps;
    r["timeseries"] = im.SeriesResult();
    r["flows"] = nlohmann::json::array();
    for (size_t i = 0; i < im.s.traffic.size(); ++i)
    {
        r["flows"].push_back(im.FlowResult(i));
    }
    r["events"] = im.eventLog;

    // The IKE timeline: every exchange of every router, in order of start.
    r["ike"] = nlohmann::json::array();
    std::vector<std::pair<double, nlohmann::json>> timeline;
    std::set<std::string> ikeRows;
    std::vector<std::string> ikeTable;
    for (size_t i = 0; i < im.s.nodes.size(); ++i)
    {
        if (!im.routers[i] || !im.routers[i]->GetIke())
        {
            continue;
        }
        for (const auto& x : im.routers[i]->GetIke()->GetExchanges())
        {
            nlohmann::json j = IkeExchangeToJson(x);
            j["node"] = im.s.nodes[i].name;
            timeline.emplace_back(x.start.GetSeconds(), j);
        }
        for (const auto& [cookie, key] : im.routers[i]->GetIke()->GetDecryptionTable())
        {
            // Wireshark's IKEv1 decryption table: initiator cookie, phase-1 encryption key.
            std::string row = cookie + "," + key;
            if (ikeRows.insert(row).second)
            {
                ikeTable.push_back(row);
            }
        }
    }
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [t, j] : timeline)
    {
        r["ike"].push_back(j);
    }
    if (!ikeTable.empty())
    {
        std::ofstream t(out / "ikev1_decryption_table.uat");
        for (const auto& row : ikeTable)
        {
            t << row << "\n";
        }
    }

    if (!im.s.fastCrypto) // fast crypto encrypts nothing: there are no keys to give
    {
        std::ofstream uat(out / "esp_sa.uat");
        for (const auto& row : im.uatRows)
        {
            uat << row << "\n";
        }
    }
    for (size_t i = 0; i < im.s.nodes.size(); ++i)
    {
        if (im.routers[i])
        {
            std::ofstream(out / "show" / (FileSafe(im.s.nodes[i].name) + ".txt")) << im.show[i];
        }
    }
    // The pictures, then results.json last: its presence says the run finished.
    if (im.report)
    {
        r["report"] = WriteRunReport(r, out.string());
    }
    std::ofstream(out / "results.json") << r.dump(2) << "\n";

#ifdef IPSEC_HAVE_NETANIM
    im.anim.reset();
#endif
    im.routers.clear();
    im.nodes.clear();
    im.pullOf.clear();
    im.segmentDevices.clear();
    im.devices.clear();
    im.flows.clear();
    im.patternSenders.clear();
    im.faultModels.clear();
    im.monitor = nullptr;
    Simulator::Destroy();
    return r;
}

} // namespace ns3
