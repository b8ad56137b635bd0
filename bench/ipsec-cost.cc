// The cost of IPsec per packet in a whole simulation: the hub-many-spokes scenario run three
// ways, measured side by side.
//
//   plain  no crypto map on any interface: the same hosts, routes and datagrams, routed in the
//          clear
//   fast   crypto maps, IKE, SAs, ESP packets of the real size and layout with sequence numbers,
//          padding and the modelled crypto engines' timing, but no byte encrypted or
//          authenticated ("crypto": "fast")
//   real   the same with real AES-128-CBC + HMAC-SHA1-96 over every byte
//
// make-scenario.py (--generator) writes the three scenarios with the same spokes, rates and
// times (--traffic seconds of steady traffic after every spoke's IKE, see hub-scale.cc). Each
// run is a forked child that builds the scenario and runs the setup (IKE) untimed, then times
// the traffic phase alone; its wall time divided by the UDP datagrams delivered is the cost per
// delivered packet (every datagram crosses two routers: with crypto maps it is protected at one
// and unprotected at the other). A repetition runs the three once each, in alternating order
// (plain fast real, then real fast plain, ...), so machine noise hits all alike; the figures are
// medians over repetitions, the differences and ratio medians of the per-repetition values:
//   fast - plain   what the IPsec model costs per packet beyond the crypto itself
//   real - fast    what the real crypto costs per packet
//   fast / real
// The same differences in CPU time are printed too (less disturbed by a shared machine).
// The runs must deliver the same datagrams (checked: all three deliver what they send) and the
// crypto runs must bring every tunnel up, or the benchmark fails (exit status 1).
//
//   ipsec-cost [--generator=PATH] [--spokes=20] [--traffic=30] [--rate=64kbps] [--size=200]
//              [--reps=5] [--quick] [--json=FILE] [--only=plain|fast|real]
//
// --quick: 4 spokes, 1 s of traffic, one repetition (a smoke test; its numbers mean nothing).
// --only=VARIANT: that variant alone, for a profiler (perf record --call-graph ...).
#include "hub-scale-run.h"

#include "ns3/command-line.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::benchstats;
using namespace ns3::hubbench;
namespace fs = std::filesystem;

namespace
{

const std::vector<std::string> kVariants = {"plain", "fast", "real"};

struct Options
{
    std::string generator = "scenarios/hub-many-spokes/make-scenario.py";
    uint32_t spokes = 20;
    double traffic = 30;
    std::string rate = "64kbps";
    uint32_t size = 200;
    uint32_t reps = 5;
    bool quick = false;
    std::string jsonFile;
    std::string only; //!< run this variant alone (to profile it); empty: all three
};

/** Everything measured over the repetitions, per variant and per repetition. */
struct Measurements : VariantRuns
{
    std::vector<double> modelCost;  //!< fast - plain
    std::vector<double> cryptoCost; //!< real - fast
    std::vector<double> fastOverReal;
    std::vector<double> modelCostCpu;
    std::vector<double> cryptoCostCpu;
};

Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    CommandLine cmd(__FILE__);
    cmd.AddValue("generator", "make-scenario.py of scenarios/hub-many-spokes", o.generator);
    cmd.AddValue("spokes", "spokes", o.spokes);
    cmd.AddValue("traffic", "simulated seconds of steady traffic", o.traffic);
    cmd.AddValue("rate", "per-spoke UDP rate, each way", o.rate);
    cmd.AddValue("size", "UDP payload bytes", o.size);
    cmd.AddValue("reps", "repetitions of the three runs", o.reps);
    cmd.AddValue("quick", "smoke test: tiny runs", o.quick);
    cmd.AddValue("json", "write the results as JSON to this file", o.jsonFile);
    cmd.AddValue("only", "run only this variant (plain, fast or real), to profile it", o.only);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.spokes = 4;
        o.traffic = 1;
        o.reps = 1;
    }
    o.reps = std::max<uint32_t>(o.reps, 1);
    return o;
}

/** The three scenarios (same spokes, rates and times) in @p dir, by variant. */
std::map<std::string, fs::path>
WriteScenarios(const Options& o, const fs::path& dir)
{
    const std::vector<std::string> common = {"--traffic",   std::to_string(o.traffic),
                                             "--spread",    "0.05",
                                             "--settle",    "3",
                                             "--rate-up",   o.rate,
                                             "--rate-down", o.rate,
                                             "--size",      std::to_string(o.size)};
    std::map<std::string, fs::path> files;
    for (const auto& v : kVariants)
    {
        std::vector<std::string> args = common;
        if (v == "plain")
        {
            args.push_back("--plain");
        }
        if (v == "fast")
        {
            args.insert(args.end(), {"--crypto", "fast"});
        }
        files[v] = dir / (v + ".json");
        GenerateHubScenario(o.generator, o.spokes, args, files[v]);
    }
    return files;
}

/**
 * Run variant @p v once (repetition @p rep) in a child and record it in @p m; returns its wall
 * ns per delivered packet. @p ok becomes false if it did not deliver all it sent or (with crypto)
 * did not bring every tunnel up.
 */
double
MeasureVariant(const Options& o, const fs::path& dir, const fs::path& scenario,
               const std::string& v, uint32_t rep, Measurements& m, bool& ok)
{
    nlohmann::json j = InChild(dir / (v + "-measure.json"),
                               [&] { return RunHubScenario(scenario, dir / ("run-" + v)); });
    j["variant"] = v;
    j["rep"] = rep;
    const uint64_t sent = j.at("udp_sent");
    const uint64_t received = j.at("udp_received");
    const bool tunnelsOk = v == "plain" || j.at("tunnels") == o.spokes;
    if (!tunnelsOk || received == 0 || received != sent)
    {
        std::fprintf(
            stderr, "ipsec-cost: %s run: %llu of %llu datagrams delivered, %u of %u tunnels up\n",
            v.c_str(), static_cast<unsigned long long>(received),
            static_cast<unsigned long long>(sent), j.at("tunnels").get<unsigned>(), o.spokes);
        ok = false;
    }
    return m.Record(v, std::move(j)).first;
}

/**
 * Repetition @p rep: the three variants once each, in reverse order in odd repetitions, and
 * the per-repetition differences and ratio.
 */
void
RunRepetition(const Options& o, const fs::path& dir, const std::map<std::string, fs::path>& files,
              uint32_t rep, Measurements& m, bool& ok)
{
    std::vector<std::string> order = kVariants;
    if (rep % 2)
    {
        std::reverse(order.begin(), order.end());
    }
    std::map<std::string, double> ns;
    for (const auto& v : order)
    {
        ns[v] = MeasureVariant(o, dir, files.at(v), v, rep, m, ok);
    }
    const auto cpu = [&](const std::string& v) { return m.cpuPerPacket[v].back(); };
    m.modelCostCpu.push_back(cpu("fast") - cpu("plain"));
    m.cryptoCostCpu.push_back(cpu("real") - cpu("fast"));
    m.modelCost.push_back(ns["fast"] - ns["plain"]);
    m.cryptoCost.push_back(ns["real"] - ns["fast"]);
    m.fastOverReal.push_back(ns["real"] > 0 ? ns["fast"] / ns["real"] : 0);
}

/** What IPsec costs: the differences and ratios with their ranges over the repetitions. */
void
PrintCosts(Measurements& m)
{
    auto range = [](const std::vector<double>& v)
    {
        return std::make_pair(*std::min_element(v.begin(), v.end()),
                              *std::max_element(v.begin(), v.end()));
    };
    const auto [m0, m1] = range(m.modelCost);
    const auto [c0, c1] = range(m.cryptoCost);
    const auto [f0, f1] = range(m.fastOverReal);
    std::printf("\n  IPsec model beyond the crypto (fast - plain): %8.0f ns per packet "
                "(%.0f to %.0f)\n",
                Median(m.modelCost), m0, m1);
    std::printf("  real crypto (real - fast):                    %8.0f ns per packet "
                "(%.0f to %.0f)\n",
                Median(m.cryptoCost), c0, c1);
    std::printf("  fast / real:                                  %8.3f (%.3f to %.3f)\n",
                Median(m.fastOverReal), f0, f1);
    std::printf("  in CPU time: model %.0f ns, crypto %.0f ns per packet\n", Median(m.modelCostCpu),
                Median(m.cryptoCostCpu));
    std::printf("  fast / plain: %.2f, real / plain: %.2f\n",
                Median(m.perPacket["fast"]) / Median(m.perPacket["plain"]),
                Median(m.perPacket["real"]) / Median(m.perPacket["plain"]));
}

/**
 * --only: run variant @p v alone, @p o.reps times, and print its cost per packet. Nothing is
 * compared; this is for running one variant under a profiler. The exit status.
 */
int
RunOnly(const Options& o, const fs::path& dir, const std::map<std::string, fs::path>& files,
        const std::string& v)
{
    if (files.count(v) == 0)
    {
        std::fprintf(stderr, "ipsec-cost: --only=%s: no such variant (plain, fast, real)\n",
                     v.c_str());
        return 2;
    }
    Measurements m;
    bool ok = true;
    for (uint32_t r = 0; r < o.reps; ++r)
    {
        MeasureVariant(o, dir, files.at(v), v, r, m, ok);
    }
    std::printf("  %s: %llu delivered, %.3f s traffic wall, %.0f ns (%.0f CPU ns) per delivered "
                "(medians)\n",
                v.c_str(), static_cast<unsigned long long>(m.delivered[v]), Median(m.wall[v]),
                Median(m.perPacket[v]), Median(m.cpuPerPacket[v]));
    return ok ? 0 : 1;
}

/** Generate, measure, print; the exit status. */
int
Run(const Options& o, const fs::path& dir)
{
    fs::create_directories(dir);
    const std::map<std::string, fs::path> files = WriteScenarios(o, dir);
    if (!o.only.empty())
    {
        return RunOnly(o, dir, files, o.only);
    }
    std::printf("ipsec-cost: %u spokes, %g s of traffic at %s each way per spoke (%u-byte "
                "datagrams), %u repetitions\n",
                o.spokes, o.traffic, o.rate.c_str(), o.size, o.reps);
    Measurements m;
    bool ok = true;
    for (uint32_t r = 0; r < o.reps; ++r)
    {
        RunRepetition(o, dir, files, r, m, ok);
    }
    if (m.delivered["plain"] != m.delivered["fast"] || m.delivered["fast"] != m.delivered["real"])
    {
        std::fprintf(stderr, "ipsec-cost: the three runs delivered different datagrams\n");
        ok = false;
    }
    nlohmann::json out = m.PrintTable(kVariants);
    PrintCosts(m);
    out["spokes"] = o.spokes;
    out["traffic_s"] = o.traffic;
    out["rate"] = o.rate;
    out["size"] = o.size;
    out["reps"] = o.reps;
    out["model_ns_per_packet"] = Median(m.modelCost);
    out["crypto_ns_per_packet"] = Median(m.cryptoCost);
    out["fast_over_real"] = Median(m.fastOverReal);
    out["model_cpu_ns_per_packet"] = Median(m.modelCostCpu);
    out["crypto_cpu_ns_per_packet"] = Median(m.cryptoCostCpu);
    out["runs"] = m.runs;
    out["ok"] = ok;
    if (!o.jsonFile.empty())
    {
        std::ofstream(o.jsonFile) << out.dump(2) << "\n";
    }
    return ok ? 0 : 1;
}

} // namespace

int
main(int argc, char* argv[])
{
    const Options o = ParseOptions(argc, argv);
    const fs::path dir = fs::temp_directory_path() / ("ipsec-cost-" + std::to_string(getpid()));
    int rc = 0;
    try
    {
        rc = Run(o, dir);
    }
    catch (const std::exception& e)
    {
        std::cerr << "ipsec-cost: " << e.what() << "\n";
        rc = 1;
    }
    fs::remove_all(dir);
    return rc;
}
