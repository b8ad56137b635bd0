#include "ns3/ipsec-ns3-compat.h"
#include "ns3/ipsec-random.h"
#include "ns3/router-json.h"
#include "scenario-runner-impl.h"

#include "ns3/arp-cache.h"
#include "ns3/ipv4-interface.h"
#include "ns3/ipv6-l3-protocol.h"
#include "ns3/object-map.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioRunner");

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

/** Packets a host's ARP holds for a neighbour it is resolving: Linux's unres_qlen default. */
constexpr uint32_t kHostArpPendingPackets = 101;

NS_OBJECT_ENSURE_REGISTERED(ScenarioCablePull);

/**
 * A stand-in for ns-3's node list as the root of configuration paths, holding one node under its
 * real index, so that "/NodeList/ID/..." resolves without looking at the other nodes.
 *
 * Why: each Ipv4FlowProbe connects two traces by such a path, and ns-3 3.37 resolves
 * "/NodeList/ID" by copying the whole node list through an accessor that walks the vector from
 * its start for every element (object-vector.h): N^2/2 steps per path, so installing
 * FlowMonitor on the hosts cost O(N^3). At 30,000 nodes (10,000 spokes with their hosts)
 * one path took about 0.2 s and the 20,001 hosts would have taken hours; with this root the
 * resolution is the same one match, found at once.
 */
class OneNodeConfigRoot : public Object
{
public:
    static TypeId GetTypeId()
    {
        static TypeId tid =
            TypeId("ns3::ScenarioOneNodeConfigRoot")
                .SetParent<Object>()
                .SetGroupName("Ipsec")
                .AddAttribute("NodeList", "The one node, under its index in ns-3's node list.",
                              ObjectMapValue(), MakeObjectMapAccessor(&OneNodeConfigRoot::m_nodes),
                              MakeObjectMapChecker<Node>());
        return tid;
    }

    std::map<uint32_t, Ptr<Node>> m_nodes; //!< at most one
};

NS_OBJECT_ENSURE_REGISTERED(OneNodeConfigRoot);

/** The configuration root that holds ns-3's node list, or null. */
Ptr<Object>
NodeListConfigRoot()
{
    for (std::size_t i = 0; i < Config::GetRootNamespaceObjectN(); ++i)
    {
        Ptr<Object> root = Config::GetRootNamespaceObject(i);
        if (root->GetInstanceTypeId().GetName() == "ns3::NodeListPriv")
        {
            return root;
        }
    }
    return nullptr;
}

/**
 * flowHelper.Install(ends), node by node, each with a configuration root that holds that node
 * alone (OneNodeConfigRoot says why); ns-3's node list is the root again afterwards. The probes
 * connect the same traces as FlowMonitorHelper::Install(NodeContainer) does.
 */
Ptr<FlowMonitor>
InstallFlowMonitor(FlowMonitorHelper& flowHelper, const NodeContainer& ends)
{
    Ptr<Object> nodeList = NodeListConfigRoot();
    if (!nodeList)
    {
        return flowHelper.Install(ends);
    }
    Config::UnregisterRootNamespaceObject(nodeList);
    Ptr<OneNodeConfigRoot> one = CreateObject<OneNodeConfigRoot>();
    Config::RegisterRootNamespaceObject(one);
    Ptr<FlowMonitor> monitor;
    for (auto it = ends.Begin(); it != ends.End(); ++it)
    {
        one->m_nodes = {{(*it)->GetId(), *it}};
        if ((*it)->GetObject<Ipv4L3Protocol>() || (*it)->GetObject<Ipv6L3Protocol>())
        {
            monitor = flowHelper.Install(*it);
        }
    }
    Config::UnregisterRootNamespaceObject(one);
    Config::RegisterRootNamespaceObject(nodeList);
    return monitor ? monitor : flowHelper.GetMonitor();
}

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
Stamp(Time t)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(3) << t.GetSeconds() << " s";
    return os.str();
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
            if (Ptr<ArpCache> arp = ipv4->GetInterface(idx)->GetArpCache())
            {
                // Linux (since 3.3) holds about 101 packets for a neighbour it is resolving;
                // ns-3's 3, Linux's old figure, dropped a busy server's replies each time its
                // gateway's entry was refreshed (every 120 s).
                arp->SetAttribute("PendingQueueSize", UintegerValue(kHostArpPendingPackets));
            }
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
    IosRouter::ApproximateRouting(routers); // `router ospf|eigrp` (doc/tunnels.md)
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
        monitor = InstallFlowMonitor(flowHelper, ends);
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
                    "Rx", MakeLambdaCallback<Callback<void, Ptr<const Packet>, const Address&>>(
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
                    "Rx", MakeLambdaCallback<Callback<void, Ptr<const Packet>, const Address&>>(
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
            ScheduleLambda(t.start + t.interval * static_cast<int64_t>(n - 1),
                           [app]() { app->SetAttribute("Interval", TimeValue(Seconds(1e9))); });
            f.app->TraceConnectWithoutContext("Rtt", MakeLambdaCallback<Callback<void, Time>>(
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

namespace
{
/** @p a holds what gives @p b's esp_sa.uat row (IpsecHelper::EspSaUatRow). */
bool
SameUatRow(const ScenarioUatCached& a, const IpsecSaConfig& b)
{
    return a.spi == b.spi && a.source == b.source && a.destination == b.destination &&
           a.cipher == b.cipher && a.auth == b.auth && a.cipherKey == b.cipherKey &&
           a.authKey == b.authKey;
}

/** An SA's SPI, source and destination, as one key. */
struct UatSpiKey
{
    uint32_t spi;
    uint32_t source;
    uint32_t destination;

    bool operator==(const UatSpiKey& o) const
    {
        return spi == o.spi && source == o.source && destination == o.destination;
    }
};

struct UatSpiKeyHash
{
    size_t operator()(const UatSpiKey& k) const
    {
        return std::hash<uint64_t>()((uint64_t(k.spi) << 32) ^ (uint64_t(k.source) << 16) ^
                                     k.destination);
    }
};
} // namespace

void
ScenarioRunner::Impl::SnapshotSas()
{
    // What IpsecHelper::WriteEspSaUat writes for the routers (each SPI, source and destination
    // once, the first in node order), rows not seen before appended to uatRows. It runs every
    // simulated second, so the rows are made only for SAs not met before: formatting every row
    // of every router each second took 80% of a 10,000-spoke run (40,000 SAs, 236 seconds).
    // When no SAD has changed since the last snapshot, none of this can add a row; once the
    // tunnels are up that is most seconds, and walking every SA for nothing was still about 7%
    // of such a run.
    std::vector<std::pair<Ptr<IpsecSad>, uint64_t>> sads;
    for (size_t i = 0; i < routers.size(); ++i)
    {
        Ptr<IpsecProcessor> p = routers[i] ? nodes[i]->GetObject<IpsecProcessor>() : nullptr;
        if (p)
        {
            sads.emplace_back(p->GetSad(), p->GetSad()->GetChangeCount());
        }
    }
    if (sads == uatSadChanges)
    {
        return;
    }
    uatSadChanges = sads;
    std::unordered_set<UatSpiKey, UatSpiKeyHash> spiSeen;
    for (const auto& [sad, count] : sads)
    {
        for (const auto& sa : sad->GetAll())
        {
            const IpsecSaConfig& c = sa->GetConfig();
            if (c.protocol != IpsecProtocol::ESP || c.rfc1829 ||
                !spiSeen.insert({c.spi, c.source.Get(), c.destination.Get()}).second)
            {
                continue;
            }
            auto cached = uatCache.find(PeekPointer(sa));
            if (cached != uatCache.end() && SameUatRow(cached->second, c))
            {
                continue; // its row is in uatSeen already
            }
            uatCache[PeekPointer(sa)] = ScenarioUatCached{
                c.spi, c.source, c.destination, c.cipher, c.auth, c.cipherKey, c.authKey};
            std::string row = IpsecHelper::EspSaUatRow(c);
            if (uatSeen.insert(row).second)
            {
                uatRows.push_back(std::move(row));
            }
        }
    }
}

std::string
ScenarioRunner::Impl::Exec(uint32_t node, const std::string& command)
{
    SnapshotSas(); // `clear crypto sa` may remove SAs whose frames are already captured
    return RunCommand(node, command);
}

std::string
ScenarioRunner::Impl::RunCommand(uint32_t node, const std::string& command)
{
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
    auto nameServer = s.hosts; // the "hosts" table as the events change it, in time order
    for (const auto& e : s.events)
    {
        nlohmann::json j;
        j["at_s"] = ResultSeconds(e.at.GetSeconds());
        if (e.kind == ScenarioEvent::Kind::HOSTS)
        {
            for (const auto& [name, addresses] : e.hosts)
            {
                nameServer[name] = addresses;
                j["hosts"][name] = nlohmann::json::array();
                for (const auto& a : addresses)
                {
                    std::ostringstream os;
                    os << a;
                    j["hosts"][name].push_back(os.str());
                }
            }
            const std::vector<Ptr<IosRouter>> all = routers;
            ScheduleLambda(e.at,
                           [all, table = nameServer]()
                           {
                               for (const auto& r : all)
                               {
                                   if (r)
                                   {
                                       r->SetNameTable(table);
                                   }
                               }
                           });
        }
        else if (e.kind == ScenarioEvent::Kind::EXEC)
        {
            j["node"] = s.nodes[e.node].name;
            j["exec"] = e.exec;
            j["show"] = "show/" + FileSafe(s.nodes[e.node].name) + ".txt";
            Simulator::Schedule(e.at, &ScenarioRunner::Impl::Exec, this, e.node, e.exec);
        }
        else if (e.kind == ScenarioEvent::Kind::CARD_STATE)
        {
            j["node"] = s.nodes[e.node].name;
            j["card"] = e.slot;
            j["state"] = e.up ? "up" : "failed";
            Ptr<IosRouter> r = routers[e.node];
            const uint32_t slot = e.slot;
            const bool up = e.up;
            ScheduleLambda(e.at,
                           [r, slot, up]()
                           {
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
                j["reload_s"] = ResultSeconds(e.reload.GetSeconds());
                j["boot_s"] = ResultSeconds((e.at + e.reload).GetSeconds());
                Simulator::Schedule(e.at, &ScenarioRunner::Impl::SetPower, this, node, false);
                Simulator::Schedule(e.at + e.reload, &ScenarioRunner::Impl::SetPower, this, node,
                                    true);
            }
            else
            {
                j["power"] = e.up ? "on" : "off";
                const bool up = e.up;
                Simulator::Schedule(e.at, &ScenarioRunner::Impl::SetPower, this, node, up);
            }
        }
        else
        {
            j["link"] = s.Describe(e.end);
            j["state"] = e.up ? "up" : "down";
            Simulator::Schedule(e.at, &ScenarioRunner::Impl::SetLinkState, this, e);
        }
        eventLog.push_back(j);
    }
    // Keys of SAs that come and go during the run (rekeying, clear) are kept for esp_sa.uat.
    for (Time t = Seconds(1); t < s.duration; t += Seconds(1))
    {
        Simulator::Schedule(t, &ScenarioRunner::Impl::SnapshotSas, this);
    }
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
    NS_LOG_FUNCTION(this);
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
    // A real peer keeps state under IKE cookies and SPIs across runs: with one, those differ
    // from run to run (the seed still drives nonces, DH secrets, IVs and all the rest).
    IpsecRandom::SetUniqueIdentifiers(im.realtime);
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
    ResetMac48Allocation();
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
    im.BuildPki();
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

void
ScenarioRunner::Start(const Options& options)
{
    NS_LOG_FUNCTION(this << options.outDir);
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
    if (im.pki)
    {
        im.pki->Export(out, im.s.clockStart); // before the run: external hosts read them
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
    NS_LOG_FUNCTION(this << t);
    NS_ABORT_MSG_UNLESS(m_impl->started, "ScenarioRunner::Advance before Start");
    Simulator::Stop(t);
    Simulator::Run();
}

std::string
ScenarioRunner::Exec(uint32_t node, const std::string& command)
{
    NS_LOG_FUNCTION(this << node << command);
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
    NS_LOG_FUNCTION(this << options.outDir);
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
    NS_LOG_FUNCTION(this);
    Impl& im = *m_impl;
    NS_ABORT_MSG_UNLESS(im.started, "ScenarioRunner::Finish before Start");
    const std::filesystem::path out = im.out;
    im.CaptureFinalState();

    nlohmann::json r;
    // the time the run ended: the scenario's duration, or where the console's user left it
    r["scenario"] = ScenarioSummaryJson(im.s, Simulator::Now().GetSeconds(), im.realtime);
    r["warnings"] = WarningsJson(im.s);
    r["nodes"] = im.NodesResult();
    r["links"] = im.LinksResult();
    r["pcaps"] = im.pcapNames;
    r["timeseries"] = im.SeriesResult();
    r["flows"] = nlohmann::json::array();
    for (size_t i = 0; i < im.s.traffic.size(); ++i)
    {
        r["flows"].push_back(im.FlowResult(i));
    }
    r["events"] = im.eventLog;
    if (im.pki)
    {
        // Again at the end: the CRLs with what was revoked during the run.
        const int64_t now =
            im.s.clockStart + static_cast<int64_t>(std::floor(Simulator::Now().GetSeconds()));
        im.pki->Export(out, now);
        r["pki"] = im.pki->Result(now);
    }
    std::vector<std::string> ikeTable;
    r["ike"] = im.IkeResult(ikeTable);
    im.WriteKeysAndShow(out, ikeTable);
    // The pictures, then results.json last: its presence says the run finished.
    if (im.report)
    {
        r["report"] = WriteRunReport(r, out.string());
    }
    WriteResultsJson(r, out);
    im.Release();
    Simulator::Destroy();
    return r;
}

/** The scenario's CAs, made from the seeded streams; every router's calendar and CAs. */
void
ScenarioRunner::Impl::BuildPki()
{
    const bool nodeCertificates = std::any_of(s.nodes.begin(), s.nodes.end(),
                                              [](const ScenarioNode& n) { return n.certificate; });
    if (!s.authorities.empty() || nodeCertificates)
    {
        try
        {
            pki = std::make_shared<ScenarioPki>(s);
        }
        catch (const std::exception& e)
        {
            throw ScenarioError(s.file,
                                {ScenarioIssue{"/certificate-authorities", e.what(), false}});
        }
    }
    for (size_t i = 0; i < routers.size(); ++i)
    {
        Ptr<IosRouter> r = routers[i];
        if (!r)
        {
            continue;
        }
        r->SetCalendarStart(s.clockStart);
        if (pki)
        {
            r->SetCertificateAuthorities(pki->Lookup());
        }
        if (r->GetConfig().pki.keyGenerations.empty() && r->GetConfig().pki.actions.empty())
        {
            continue;
        }
        // The configuration's `crypto key generate rsa` and `crypto pki authenticate|enroll`
        // at time zero, written to show/NODE.txt as the console would print them.
        Simulator::ScheduleNow(
            [this, i, r]()
            {
                r->StartPki();
                for (const auto& [line, text] : r->GetPkiLog())
                {
                    show[i] += "! " + Stamp(Simulator::Now()) + "\n" + r->GetHostname() +
                               "(config)#" + line + "\n" + text + "\n";
                }
            });
    }
}

/** The final state: every router's SAs; packets still in flight count as lost. */
void
ScenarioRunner::Impl::CaptureFinalState()
{
    // One snapshot for all the shows: a show removes no SA and no time passes between them (a
    // snapshot before each show cost O(routers x SAs), minutes with 10,000 spokes).
    SnapshotSas();
    for (size_t i = 0; i < routers.size(); ++i)
    {
        if (routers[i])
        {
            RunCommand(static_cast<uint32_t>(i), "show crypto ipsec sa");
        }
    }
    SnapshotSas();
    if (monitor)
    {
        monitor->CheckForLostPackets(Seconds(0)); // still in flight at the end: lost
    }
}

/** results.json "nodes": routers report themselves, hosts are what the scenario gave them. */
nlohmann::json
ScenarioRunner::Impl::NodesResult()
{
    Impl& im = *this;
    nlohmann::json nodes = nlohmann::json::object();
    for (size_t i = 0; i < im.s.nodes.size(); ++i)
    {
        const ScenarioNode& n = im.s.nodes[i];
        nlohmann::json j;
        if (n.IsRouter())
        {
            j["kind"] = "router";
            j["report"] = RouterReport(*im.routers[i]);
            j["show"] = "show/" + FileSafe(n.name) + ".txt";
        }
        else
        {
            j = HostNodeJson(n);
        }
        nodes[n.name] = j;
    }
    return nodes;
}

/** results.json "links", with what the error model of each medium with "errors" counted. */
nlohmann::json
ScenarioRunner::Impl::LinksResult() const
{
    nlohmann::json links = nlohmann::json::array();
    for (const auto& l : s.links)
    {
        nlohmann::json j = LinkJson(s, l);
        if (auto fm = faultModels.find(l.segment); fm != faultModels.end())
        {
            const ScenarioSegment& seg = s.segments[l.segment];
            std::vector<std::pair<std::string, nlohmann::json>> ends;
            for (const auto& [end, m] : fm->second)
            {
                ends.emplace_back(s.Describe(seg.ends[end]), m->Report());
            }
            j["errors"] = LinkErrorsJson(seg, ends);
        }
        links.push_back(j);
    }
    return links;
}

/** results.json "ike": every exchange of every router, in order of start; and Wireshark's
 *  IKEv1 decryption table rows (initiator cookie, phase-1 encryption key) in @p ikeTable. */
nlohmann::json
ScenarioRunner::Impl::IkeResult(std::vector<std::string>& ikeTable)
{
    Impl& im = *this;
    nlohmann::json ike = nlohmann::json::array();
    std::vector<std::pair<double, nlohmann::json>> timeline;
    std::set<std::string> ikeRows;
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
        ike.push_back(j);
    }
    return ike;
}

/** Wireshark's key files (IKEv1 decryption table, ESP SAs) and show/NODE.txt. */
void
ScenarioRunner::Impl::WriteKeysAndShow(const std::filesystem::path& out,
                                       const std::vector<std::string>& ikeTable)
{
    if (!ikeTable.empty())
    {
        std::ofstream t(out / "ikev1_decryption_table.uat");
        for (const auto& row : ikeTable)
        {
            t << row << "\n";
        }
    }
    // Wireshark's IKEv2 decryption table: both ends of an IKE SA hold the same row, written
    // once.
    std::vector<std::string> ikev2Table;
    std::set<std::string> ikev2Rows;
    for (const auto& router : routers)
    {
        if (router && router->GetIke())
        {
            for (const auto& row : router->GetIke()->GetIkev2DecryptionTable())
            {
                if (ikev2Rows.insert(row).second)
                {
                    ikev2Table.push_back(row);
                }
            }
        }
    }
    if (!ikev2Table.empty())
    {
        std::ofstream t(out / "ikev2_decryption_table.uat");
        for (const auto& row : ikev2Table)
        {
            t << row << "\n";
        }
    }
    if (!s.fastCrypto) // fast crypto encrypts nothing: there are no keys to give
    {
        std::ofstream uat(out / "esp_sa.uat");
        for (const auto& row : uatRows)
        {
            uat << row << "\n";
        }
    }
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (routers[i])
        {
            std::ofstream(out / "show" / (FileSafe(s.nodes[i].name) + ".txt")) << show[i];
        }
    }
}

/** Let go of every ns-3 object before the simulator is destroyed. */
void
ScenarioRunner::Impl::Release()
{
#ifdef IPSEC_HAVE_NETANIM
    anim.reset();
#endif
    routers.clear();
    nodes.clear();
    pullOf.clear();
    segmentDevices.clear();
    devices.clear();
    flows.clear();
    patternSenders.clear();
    faultModels.clear();
    monitor = nullptr;
}

} // namespace ns3
