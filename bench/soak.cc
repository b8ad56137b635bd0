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

} // namespace

int
main(int argc, char** argv)
{
    Options o;
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
            return 2;
        }
    }
    o.samples = std::max<uint32_t>(o.samples, 10);
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);

    // R1 and R2 on a T1, one host behind each.
    NodeContainer routers, hosts;
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
    Ptr<IosRouter> r[2];
    for (int k = 0; k < 2; ++k)
    {
        std::map<std::string, Ptr<NetDevice>> devs = {{"Serial0", wan.Get(k)},
                                                      {"Ethernet0", (k == 0 ? lan1 : lan2).Get(1)}};
        r[k] = IosRouter::Install(routers.Get(k), IosConfigReader::Parse(cfg[k], "soak.cfg"), devs);
    }
    const char* hostAddr[2] = {"10.1.1.10", "10.2.2.10"};
    const char* gateway[2] = {"10.1.1.1", "10.2.2.1"};
    for (int k = 0; k < 2; ++k)
    {
        Ptr<Ipv4> ipv4 = hosts.Get(k)->GetObject<Ipv4>();
        const int32_t i = ipv4->AddInterface((k == 0 ? lan1 : lan2).Get(0));
        ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(hostAddr[k]), Ipv4Mask("/24")));
        ipv4->SetUp(i);
        Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(gateway[k]),
                                                                          i);
    }

    // A rekey by time every ~90 s (soft lifetime of the 120 s SAs): the run is as long as the
    // number of rekeys asked for needs.
    const Time duration = Seconds(90.0 * static_cast<double>(o.rekeys) + 60);
    std::shared_ptr<PayloadChecker> checks[2];
    for (int k = 0; k < 2; ++k)
    {
        const uint16_t port = static_cast<uint16_t>(5000 + k);
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sink = sinkHelper.Install(hosts.Get(1 - k));
        checks[k] = std::make_shared<PayloadChecker>(true, k, 100);
        auto check = checks[k];
        sink.Get(0)->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                      [check](Ptr<const Packet> p, const Address&) { check->Check(p); }));
        Ptr<PatternUdpSender> s = CreateObject<PatternUdpSender>();
        s->SetAttribute("Remote",
                        AddressValue(InetSocketAddress(Ipv4Address(hostAddr[1 - k]), port)));
        s->SetAttribute("DataRate", DataRateValue(DataRate("1600bps"))); // 2 datagrams/s
        s->SetAttribute("PacketSize", UintegerValue(100));
        s->SetAttribute("Poisson", BooleanValue(k == 1));
        s->SetAttribute("Flow", UintegerValue(k));
        s->AssignStreams(10 + k);
        hosts.Get(k)->AddApplication(s);
        s->SetStartTime(Seconds(1 + k * 0.5));
        s->SetStopTime(duration - Seconds(5));
    }

    std::vector<Sample> samples;
    auto sample = [&]()
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
        samples.push_back(x);
    };
    const Time step = duration / static_cast<int64_t>(o.samples);
    // Live SA counts also at a finer grain (their maximum), cheaply.
    uint32_t maxIpsec = 0, maxIsakmp = 0;
    std::function<void()> watch = [&]()
    {
        for (int k = 0; k < 2; ++k)
        {
            maxIpsec = std::max(maxIpsec, RouterFaults::CountIpsecSas(r[k]));
            maxIsakmp = std::max(maxIsakmp, RouterFaults::CountIsakmpSas(r[k]));
        }
        Simulator::Schedule(Seconds(5), watch);
    };
    Simulator::Schedule(Seconds(5), watch);

    const auto wall0 = std::chrono::steady_clock::now();
    for (uint32_t i = 1; i <= o.samples; ++i)
    {
        Simulator::Stop(step * static_cast<int64_t>(i) - Simulator::Now());
        Simulator::Run();
        sample();
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

    uint64_t quickOk = 0, mainOk = 0, failed = 0;
    for (int k = 0; k < 2; ++k)
    {
        for (const auto& rec : r[k]->GetIke()->GetExchanges())
        {
            if (rec.role != "initiator")
            {
                continue;
            }
            quickOk += rec.exchange == "quick" && rec.result == "ok";
            mainOk += rec.exchange == "main" && rec.result == "ok";
            failed += rec.result == "failed";
        }
    }
    const Sample& at10 = samples[samples.size() / 10];
    const Sample& last = samples.back();
    const int64_t growth = static_cast<int64_t>(last.rssKb) - static_cast<int64_t>(at10.rssKb);
    const double perRekey =
        quickOk > 0 ? static_cast<double>(growth) * 1024.0 / static_cast<double>(quickOk) : 0;
    // What is left of the growth once the logs' own growth is taken out.
    const int64_t logGrowth =
        (static_cast<int64_t>(last.logBytes) - static_cast<int64_t>(at10.logBytes)) / 1024;
    const int64_t unexplained = growth - logGrowth;

    nlohmann::json j;
    j["simulated_s"] = duration.GetSeconds();
    j["wall_s"] = wall;
    j["ipsec_rekeys"] = quickOk;
    j["isakmp_negotiations"] = mainOk;
    j["failed_exchanges"] = failed;
    j["rss_kb_at_10pct"] = at10.rssKb;
    j["rss_kb_at_end"] = last.rssKb;
    j["rss_growth_kb"] = growth;
    j["rss_growth_bytes_per_rekey"] = perRekey;
    j["ike_log_growth_kb"] = logGrowth;
    j["rss_growth_without_logs_kb"] = unexplained;
    j["max_live_ipsec_sas_per_router"] = maxIpsec;
    j["max_live_isakmp_sas_per_router"] = maxIsakmp;
    j["ike_log_records_at_end"] = last.records;
    for (int k = 0; k < 2; ++k)
    {
        j["payload"].push_back({{"intact", checks[k]->intact},
                                {"corrupt", checks[k]->corrupt},
                                {"duplicate", checks[k]->duplicate}});
    }
    for (const auto& x : samples)
    {
        j["samples"].push_back({{"t_s", x.t},
                                {"rss_kb", x.rssKb},
                                {"ipsec_sas", {x.ipsecSas[0], x.ipsecSas[1]}},
                                {"isakmp_sas", {x.isakmpSas[0], x.isakmpSas[1]}},
                                {"ike_records", x.records},
                                {"ike_log_kb", x.logBytes / 1024}});
    }
    std::printf("soak: %.0f s simulated in %.1f s: %llu IPsec rekeys, %llu ISAKMP negotiations, "
                "%llu failed exchanges\n",
                duration.GetSeconds(), wall, static_cast<unsigned long long>(quickOk),
                static_cast<unsigned long long>(mainOk), static_cast<unsigned long long>(failed));
    std::printf("soak: RSS %llu KiB at 10%% of the run, %llu KiB at the end (%+lld KiB, %.0f bytes "
                "per rekey); live SAs per router at most %u IPsec, %u ISAKMP; IKE log %llu "
                "records (%+lld KiB): growth without the log %+lld KiB\n",
                static_cast<unsigned long long>(at10.rssKb),
                static_cast<unsigned long long>(last.rssKb), static_cast<long long>(growth),
                perRekey, maxIpsec, maxIsakmp, static_cast<unsigned long long>(last.records),
                static_cast<long long>(logGrowth), static_cast<long long>(unexplained));
    if (!o.json.empty())
    {
        std::ofstream(o.json) << j.dump(2) << "\n";
    }

    int status = 0;
    auto expect = [&](bool ok, const std::string& what)
    {
        if (!ok)
        {
            std::fprintf(stderr, "soak: FAILED: %s\n", what.c_str());
            status = 1;
        }
    };
    // Checks that hold for any run length.
    expect(quickOk >= o.rekeys * 9 / 10, "fewer IPsec rekeys than asked for");
    // One SA pair, plus the new one during a rekey, in each direction: 2 bundles of 2 SAs.
    expect(maxIpsec <= 6,
           "live IPsec SAs per router not bounded (" + std::to_string(maxIpsec) + ")");
    expect(maxIsakmp <= 3,
           "live ISAKMP SAs per router not bounded (" + std::to_string(maxIsakmp) + ")");
    for (int k = 0; k < 2; ++k)
    {
        expect(checks[k]->corrupt == 0 && checks[k]->duplicate == 0,
               "a corrupted or duplicated datagram was delivered");
        expect(checks[k]->intact > 0, "nothing delivered");
    }
    // The IKE log grows by design (about 2.4 KiB per rekey of two routers); the rest should not.
    expect(unexplained <= static_cast<int64_t>(o.maxGrowthKb) / 2,
           "resident memory grew by " + std::to_string(unexplained) +
               " KiB beyond the IKE log's own growth (bound " + std::to_string(o.maxGrowthKb / 2) +
               ")");
    if (o.quick)
    {
        expect(growth <= static_cast<int64_t>(o.maxGrowthKb),
               "resident memory grew by " + std::to_string(growth) + " KiB (bound " +
                   std::to_string(o.maxGrowthKb) + ")");
    }
    Simulator::Destroy();
    return status;
}
