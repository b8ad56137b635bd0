// Soak run: two routers keep an IKE tunnel for thousands of rekeys (IPsec SAs of 120 s, the IOS
// minimum, and ISAKMP SAs of 60 s), with light numbered traffic both ways, and the process's
// resident memory and the routers' live SA counts are sampled over the run. A model that leaks
// per SA, per exchange or per packet shows it as memory that grows with the rekeys; a healthy
// one is flat once the first rekeys are done (only the IKE exchange log grows, by design: one
// record per exchange, reported separately).
//
//   soak [--rekeys=2000] [--quick] [--samples=40] [--json=FILE]
//
// Checks (exit status 1 if one fails; --quick: 200 rekeys, a smoke test): the live SA counts
// stay bounded, resident memory grows from 10% of the run to the end by less than half of
// --max-growth-kb (default 6144 KiB) once the IKE log's own growth is taken out (and, with
// --quick, by less than --max-growth-kb in all), and every datagram delivered was intact and
// delivered once.
#include "ns3/ike-daemon.h"
#include "ns3/ios-config.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-helper.h"
#include "ns3/router-faults.h"
#include "ns3/udp-pattern-app.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/point-to-point-module.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{

/** Resident set size of this process in KiB (/proc/self/statm). */
uint64_t
RssKb()
{
    std::ifstream in("/proc/self/statm");
    uint64_t size = 0, resident = 0;
    in >> size >> resident;
    return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) / 1024;
}

std::string
RouterConfig(const std::string& name, const std::string& self, const std::string& peer,
             const std::string& lan, const std::string& remoteLan)
{
    return "hostname " + name +
           "\n"
           "crypto isakmp policy 10\n"
           " encryption aes 128\n"
           " hash sha\n"
           " authentication pre-share\n"
           " group 2\n"
           " lifetime 60\n"
           "crypto isakmp key Soak-Test address " +
           peer +
           "\n"
           "access-list 110 permit ip " +
           lan + " 0.0.0.255 " + remoteLan +
           " 0.0.0.255\n"
           "crypto ipsec transform-set ts esp-aes esp-sha-hmac\n"
           "crypto map vpn 10 ipsec-isakmp\n"
           " match address 110\n"
           " set transform-set ts\n"
           " set peer " +
           peer +
           "\n"
           " set security-association lifetime seconds 120\n"
           "interface Ethernet0\n"
           " ip address " +
           lan.substr(0, lan.rfind('.')) +
           ".1 255.255.255.0\n"
           "interface Serial0\n"
           " ip address " +
           self +
           " 255.255.255.252\n"
           " crypto map vpn\n"
           "ip route " +
           remoteLan + " 255.255.255.0 " + peer + "\n";
}

/**
 * Bytes the IKE exchange log and decryption table of @p r hold: they grow by design (one record
 * per exchange, one row per phase-1 SA, kept for results.json), so they are told apart from
 * memory that should not grow. Vectors are counted at the next power of two of their size (their
 * capacity after doubling), strings beyond the small-string buffer with a malloc header.
 */
uint64_t
LogBytes(Ptr<IosRouter> r)
{
    auto str = [](const std::string& s) -> uint64_t
    { return s.size() > 15 ? s.size() + 1 + 16 : 0; };
    auto pow2 = [](uint64_t n)
    {
        uint64_t p = 1;
        while (p < n)
        {
            p <<= 1;
        }
        return p;
    };
    uint64_t b = 0;
    const auto records = r->GetIke()->GetExchanges();
    b += pow2(records.size()) * sizeof(IkeExchangeRecord);
    for (const auto& x : records)
    {
        b += str(x.exchange) + str(x.role) + str(x.icookie) + str(x.result) + str(x.reason) +
             str(x.detail);
    }
    const auto& table = r->GetIke()->GetDecryptionTable();
    b += pow2(table.size()) * sizeof(table.front());
    for (const auto& [c, k] : table)
    {
        b += str(c) + str(k);
    }
    return b;
}

struct Options
{
    uint64_t rekeys = 2000;
    bool quick = false;
    uint32_t samples = 40;
    uint64_t maxGrowthKb = 6144;
    std::string json;
};

struct Sample
{
    double t = 0;
    uint64_t rssKb = 0;
    uint32_t ipsecSas[2] = {0, 0};
    uint32_t isakmpSas[2] = {0, 0};
    uint64_t records = 0;
    uint64_t logBytes = 0;
};
/** Live SA counts at a finer grain than the samples: their maximum per router. */
struct SaWatch
{
    uint32_t maxIpsec = 0;
    uint32_t maxIsakmp = 0;
};

/** What the run measured. */
struct SoakRun
{
    std::vector<Sample> samples;
    SaWatch watch;
    double wall = 0; //!< seconds the simulation took
};

/** The two routers and their hosts, and the checkers of the datagrams each host receives. */
struct Network
{
    NodeContainer routers;
    NodeContainer hosts;
    std::array<Ptr<IosRouter>, 2> r;
    std::array<std::shared_ptr<PayloadChecker>, 2> checks;
};

/** The initiators' exchanges of both routers, by outcome. */
struct ExchangeCounts
{
    uint64_t quickOk = 0;
    uint64_t mainOk = 0;
    uint64_t failed = 0;
};

/** Memory growth from 10% of the run to its end, and how much of it the IKE log explains. */
struct Growth
{
    const Sample* at10 = nullptr;
    const Sample* last = nullptr;
    int64_t rssKb = 0;
    double perRekey = 0;     //!< bytes of RSS growth per IPsec rekey
    int64_t logKb = 0;       //!< of which the IKE log's own growth
    int64_t unexplained = 0; //!< what is left once the log's growth is taken out
};

const char* const kHostAddr[2] = {"10.1.1.10", "10.2.2.10"};
const char* const kGateway[2] = {"10.1.1.1", "10.2.2.1"};

/** Parse the command line into @p o; false (after the usage) on an unknown argument. */
bool
ParseOptions(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        auto value = [&](const std::string& key) -> std::optional<std::string>
        {
            return a.rfind(key + "=", 0) == 0 ? std::optional<std::string>(a.substr(key.size() + 1))
                                              : std::nullopt;
        };
        if (a == "--quick")
        {
            o.quick = true;
            o.rekeys = 200;
        }
        else if (auto v = value("--rekeys"))
        {
            o.rekeys = std::stoull(*v);
        }
        else if (auto v = value("--samples"))
        {
            o.samples = static_cast<uint32_t>(std::stoul(*v));
        }
        else if (auto v = value("--max-growth-kb"))
        {
            o.maxGrowthKb = std::stoull(*v);
        }
        else if (auto v = value("--json"))
        {
            o.json = *v;
        }
        else
        {
            std::cerr << "usage: soak [--rekeys=N] [--quick] [--samples=N] [--max-growth-kb=N] "
                         "[--json=FILE]\n";
            return false;
        }
    }
    o.samples = std::max<uint32_t>(o.samples, 10);
    return true;
}

/** R1 and R2 on a T1, one host behind each, the routers configured by RouterConfig. */
void
BuildNetwork(Network& net)
{
    NodeContainer& routers = net.routers;
    NodeContainer& hosts = net.hosts;
    routers.Create(2);
    hosts.Create(2);
    IpsecStackHelper().Install(routers);
    InternetStackHelper().Install(hosts);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1544kbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10ms"));
    NetDeviceContainer wan = p2p.Install(routers.Get(0), routers.Get(1));
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("0.1ms"));
    NetDeviceContainer lan1 = p2p.Install(hosts.Get(0), routers.Get(0));
    NetDeviceContainer lan2 = p2p.Install(hosts.Get(1), routers.Get(1));
    const std::string cfg[2] = {
        RouterConfig("R1", "172.16.0.1", "172.16.0.2", "10.1.1.0", "10.2.2.0"),
        RouterConfig("R2", "172.16.0.2", "172.16.0.1", "10.2.2.0", "10.1.1.0")};
    for (int k = 0; k < 2; ++k)
    {
        std::map<std::string, Ptr<NetDevice>> devs = {{"Serial0", wan.Get(k)},
                                                      {"Ethernet0", (k == 0 ? lan1 : lan2).Get(1)}};
        net.r[k] =
            IosRouter::Install(routers.Get(k), IosConfigReader::Parse(cfg[k], "soak.cfg"), devs);
    }
    for (int k = 0; k < 2; ++k)
    {
        Ptr<Ipv4> ipv4 = hosts.Get(k)->GetObject<Ipv4>();
        const int32_t i = ipv4->AddInterface((k == 0 ? lan1 : lan2).Get(0));
        ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(kHostAddr[k]), Ipv4Mask("/24")));
        ipv4->SetUp(i);
        Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(kGateway[k]),
                                                                          i);
    }
}

/**
 * Light numbered traffic both ways (2 datagrams/s; host 1 to host 0 Poisson) until 5 s before
 * @p duration, each datagram checked at its sink.
 */
void
InstallTraffic(Network& net, Time duration)
{
    for (int k = 0; k < 2; ++k)
    {
        const uint16_t port = static_cast<uint16_t>(5000 + k);
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sink = sinkHelper.Install(net.hosts.Get(1 - k));
        net.checks[k] = std::make_shared<PayloadChecker>(true, k, 100);
        auto check = net.checks[k];
        sink.Get(0)->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                      [check](Ptr<const Packet> p, const Address&) { check->Check(p); }));
        Ptr<PatternUdpSender> s = CreateObject<PatternUdpSender>();
        s->SetAttribute("Remote",
                        AddressValue(InetSocketAddress(Ipv4Address(kHostAddr[1 - k]), port)));
        s->SetAttribute("DataRate", DataRateValue(DataRate("1600bps"))); // 2 datagrams/s
        s->SetAttribute("PacketSize", UintegerValue(100));
        s->SetAttribute("Poisson", BooleanValue(k == 1));
        s->SetAttribute("Flow", UintegerValue(k));
        s->AssignStreams(10 + k);
        net.hosts.Get(k)->AddApplication(s);
        s->SetStartTime(Seconds(1 + k * 0.5));
        s->SetStopTime(duration - Seconds(5));
    }
}

/** Memory, live SAs and the IKE log now. */
Sample
TakeSample(const std::array<Ptr<IosRouter>, 2>& r)
{
    Sample x;
    x.t = Simulator::Now().GetSeconds();
    x.rssKb = RssKb();
    for (int k = 0; k < 2; ++k)
    {
        x.ipsecSas[k] = RouterFaults::CountIpsecSas(r[k]);
        x.isakmpSas[k] = RouterFaults::CountIsakmpSas(r[k]);
        x.records += r[k]->GetIke()->GetExchanges().size();
        x.logBytes += LogBytes(r[k]);
    }
    return x;
}

/** Every 5 simulated seconds: the live SA counts into their maximum (cheap). */
void
WatchSaCounts(std::array<Ptr<IosRouter>, 2> r, SaWatch* watch)
{
    for (int k = 0; k < 2; ++k)
    {
        watch->maxIpsec = std::max(watch->maxIpsec, RouterFaults::CountIpsecSas(r[k]));
        watch->maxIsakmp = std::max(watch->maxIsakmp, RouterFaults::CountIsakmpSas(r[k]));
    }
    Simulator::Schedule(Seconds(5), &WatchSaCounts, r, watch);
}

/** Run the simulation for @p duration in --samples steps, sampling after each. */
void
RunSampled(const Options& o, const Network& net, Time duration, SoakRun& run)
{
    const Time step = duration / static_cast<int64_t>(o.samples);
    Simulator::Schedule(Seconds(5), &WatchSaCounts, net.r, &run.watch);
    const auto wall0 = std::chrono::steady_clock::now();
    for (uint32_t i = 1; i <= o.samples; ++i)
    {
        Simulator::Stop(step * static_cast<int64_t>(i) - Simulator::Now());
        Simulator::Run();
        run.samples.push_back(TakeSample(net.r));
    }
    run.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
}

ExchangeCounts
CountExchanges(const std::array<Ptr<IosRouter>, 2>& r)
{
    ExchangeCounts n;
    for (int k = 0; k < 2; ++k)
    {
        for (const auto& rec : r[k]->GetIke()->GetExchanges())
        {
            if (rec.role != "initiator")
            {
                continue;
            }
            n.quickOk += rec.exchange == "quick" && rec.result == "ok";
            n.mainOk += rec.exchange == "main" && rec.result == "ok";
            n.failed += rec.result == "failed";
        }
    }
    return n;
}

Growth
MeasureGrowth(const std::vector<Sample>& samples, uint64_t quickOk)
{
    Growth g;
    g.at10 = &samples[samples.size() / 10];
    g.last = &samples.back();
    g.rssKb = static_cast<int64_t>(g.last->rssKb) - static_cast<int64_t>(g.at10->rssKb);
    g.perRekey =
        quickOk > 0 ? static_cast<double>(g.rssKb) * 1024.0 / static_cast<double>(quickOk) : 0;
    g.logKb =
        (static_cast<int64_t>(g.last->logBytes) - static_cast<int64_t>(g.at10->logBytes)) / 1024;
    g.unexplained = g.rssKb - g.logKb;
    return g;
}

nlohmann::json
ResultsJson(Time duration, const SoakRun& run, const Network& net, const ExchangeCounts& n,
            const Growth& g)
{
    nlohmann::json j;
    j["simulated_s"] = duration.GetSeconds();
    j["wall_s"] = run.wall;
    j["ipsec_rekeys"] = n.quickOk;
    j["isakmp_negotiations"] = n.mainOk;
    j["failed_exchanges"] = n.failed;
    j["rss_kb_at_10pct"] = g.at10->rssKb;
    j["rss_kb_at_end"] = g.last->rssKb;
    j["rss_growth_kb"] = g.rssKb;
    j["rss_growth_bytes_per_rekey"] = g.perRekey;
    j["ike_log_growth_kb"] = g.logKb;
    j["rss_growth_without_logs_kb"] = g.unexplained;
    j["max_live_ipsec_sas_per_router"] = run.watch.maxIpsec;
    j["max_live_isakmp_sas_per_router"] = run.watch.maxIsakmp;
    j["ike_log_records_at_end"] = g.last->records;
    for (int k = 0; k < 2; ++k)
    {
        j["payload"].push_back({{"intact", net.checks[k]->intact},
                                {"corrupt", net.checks[k]->corrupt},
                                {"duplicate", net.checks[k]->duplicate}});
    }
    for (const auto& x : run.samples)
    {
        j["samples"].push_back({{"t_s", x.t},
                                {"rss_kb", x.rssKb},
                                {"ipsec_sas", {x.ipsecSas[0], x.ipsecSas[1]}},
                                {"isakmp_sas", {x.isakmpSas[0], x.isakmpSas[1]}},
                                {"ike_records", x.records},
                                {"ike_log_kb", x.logBytes / 1024}});
    }
    return j;
}

void
PrintSummary(Time duration, const SoakRun& run, const ExchangeCounts& n, const Growth& g)
{
    std::printf("soak: %.0f s simulated in %.1f s: %llu IPsec rekeys, %llu ISAKMP negotiations, "
                "%llu failed exchanges\n",
                duration.GetSeconds(), run.wall, static_cast<unsigned long long>(n.quickOk),
                static_cast<unsigned long long>(n.mainOk),
                static_cast<unsigned long long>(n.failed));
    std::printf("soak: RSS %llu KiB at 10%% of the run, %llu KiB at the end (%+lld KiB, %.0f bytes "
                "per rekey); live SAs per router at most %u IPsec, %u ISAKMP; IKE log %llu "
                "records (%+lld KiB): growth without the log %+lld KiB\n",
                static_cast<unsigned long long>(g.at10->rssKb),
                static_cast<unsigned long long>(g.last->rssKb), static_cast<long long>(g.rssKb),
                g.perRekey, run.watch.maxIpsec, run.watch.maxIsakmp,
                static_cast<unsigned long long>(g.last->records), static_cast<long long>(g.logKb),
                static_cast<long long>(g.unexplained));
}

/** The checks (a message on stderr for each that fails); the exit status. */
int
Check(const Options& o, const SoakRun& run, const Network& net, const ExchangeCounts& n,
      const Growth& g)
{
    int status = 0;
    auto expect = [&](bool ok, const std::string& what)
    {
        if (!ok)
        {
            std::fprintf(stderr, "soak: FAILED: %s\n", what.c_str());
            status = 1;
        }
    };
    const uint32_t maxIpsec = run.watch.maxIpsec;
    const uint32_t maxIsakmp = run.watch.maxIsakmp;
    // Checks that hold for any run length.
    expect(n.quickOk >= o.rekeys * 9 / 10, "fewer IPsec rekeys than asked for");
    // One SA pair, plus the new one during a rekey, in each direction: 2 bundles of 2 SAs.
    expect(maxIpsec <= 6,
           "live IPsec SAs per router not bounded (" + std::to_string(maxIpsec) + ")");
    expect(maxIsakmp <= 3,
           "live ISAKMP SAs per router not bounded (" + std::to_string(maxIsakmp) + ")");
    for (int k = 0; k < 2; ++k)
    {
        expect(net.checks[k]->corrupt == 0 && net.checks[k]->duplicate == 0,
               "a corrupted or duplicated datagram was delivered");
        expect(net.checks[k]->intact > 0, "nothing delivered");
    }
    // The IKE log grows by design (about 2.4 KiB per rekey of two routers); the rest should not.
    expect(g.unexplained <= static_cast<int64_t>(o.maxGrowthKb) / 2,
           "resident memory grew by " + std::to_string(g.unexplained) +
               " KiB beyond the IKE log's own growth (bound " + std::to_string(o.maxGrowthKb / 2) +
               ")");
    if (o.quick)
    {
        expect(g.rssKb <= static_cast<int64_t>(o.maxGrowthKb),
               "resident memory grew by " + std::to_string(g.rssKb) + " KiB (bound " +
                   std::to_string(o.maxGrowthKb) + ")");
    }
    return status;
}

} // namespace

int
main(int argc, char** argv)
{
    Options o;
    if (!ParseOptions(argc, argv, o))
    {
        return 2;
    }
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    Network net;
    BuildNetwork(net);
    // A rekey by time every ~90 s (soft lifetime of the 120 s SAs): the run is as long as the
    // number of rekeys asked for needs.
    const Time duration = Seconds(90.0 * static_cast<double>(o.rekeys) + 60);
    InstallTraffic(net, duration);

    SoakRun run;
    RunSampled(o, net, duration, run);
    const ExchangeCounts n = CountExchanges(net.r);
    const Growth g = MeasureGrowth(run.samples, n.quickOk);

    PrintSummary(duration, run, n, g);
    if (!o.json.empty())
    {
        std::ofstream(o.json) << ResultsJson(duration, run, net, n, g).dump(2) << "\n";
    }
    const int status = Check(o, run, net, n, g);
    Simulator::Destroy();
    return status;
}
