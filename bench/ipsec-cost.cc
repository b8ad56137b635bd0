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
//              [--reps=5] [--quick] [--json=FILE]
//
// --quick: 4 spokes, 1 s of traffic, one repetition (a smoke test; its numbers mean nothing).
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
using namespace ns3::hubbench;
namespace fs = std::filesystem;

namespace
{

double
Median(std::vector<double> v)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

const std::vector<std::string> kVariants = {"plain", "fast", "real"};

} // namespace

int
main(int argc, char* argv[])
{
    std::string generator = "scenarios/hub-many-spokes/make-scenario.py";
    uint32_t spokes = 20;
    double traffic = 30;
    std::string rate = "64kbps";
    uint32_t size = 200;
    uint32_t reps = 5;
    bool quick = false;
    std::string jsonFile;
    CommandLine cmd(__FILE__);
    cmd.AddValue("generator", "make-scenario.py of scenarios/hub-many-spokes", generator);
    cmd.AddValue("spokes", "spokes", spokes);
    cmd.AddValue("traffic", "simulated seconds of steady traffic", traffic);
    cmd.AddValue("rate", "per-spoke UDP rate, each way", rate);
    cmd.AddValue("size", "UDP payload bytes", size);
    cmd.AddValue("reps", "repetitions of the three runs", reps);
    cmd.AddValue("quick", "smoke test: tiny runs", quick);
    cmd.AddValue("json", "write the results as JSON to this file", jsonFile);
    cmd.Parse(argc, argv);
    if (quick)
    {
        spokes = 4;
        traffic = 1;
        reps = 1;
    }
    reps = std::max<uint32_t>(reps, 1);
    const fs::path dir = fs::temp_directory_path() / ("ipsec-cost-" + std::to_string(getpid()));
    int rc = 0;
    try
    {
        fs::create_directories(dir);
        const std::vector<std::string> common = {"--traffic",   std::to_string(traffic),
                                                 "--spread",    "0.05",
                                                 "--settle",    "3",
                                                 "--rate-up",   rate,
                                                 "--rate-down", rate,
                                                 "--size",      std::to_string(size)};
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
            GenerateHubScenario(generator, spokes, args, files[v]);
        }
        std::printf("ipsec-cost: %u spokes, %g s of traffic at %s each way per spoke (%u-byte "
                    "datagrams), %u repetitions\n",
                    spokes, traffic, rate.c_str(), size, reps);
        std::map<std::string, std::vector<double>> perPacket;
        std::map<std::string, std::vector<double>> wall;
        std::map<std::string, std::vector<double>> cpuPerPacket; //!< CPU time, for comparison
        std::vector<double> modelCost;
        std::vector<double> cryptoCost;
        std::vector<double> fastOverReal;
        std::vector<double> modelCostCpu;
        std::vector<double> cryptoCostCpu;
        nlohmann::json runs = nlohmann::json::array();
        std::map<std::string, uint64_t> delivered;
        for (uint32_t r = 0; r < reps; ++r)
        {
            std::vector<std::string> order = kVariants;
            if (r % 2)
            {
                std::reverse(order.begin(), order.end());
            }
            std::map<std::string, double> ns;
            for (const auto& v : order)
            {
                nlohmann::json j =
                    InChild(dir / (v + "-measure.json"),
                            [&] { return RunHubScenario(files[v], dir / ("run-" + v)); });
                j["variant"] = v;
                j["rep"] = r;
                const uint64_t sent = j.at("udp_sent");
                const uint64_t received = j.at("udp_received");
                const bool tunnelsOk = v == "plain" || j.at("tunnels") == spokes;
                if (!tunnelsOk || received == 0 || received != sent)
                {
                    std::fprintf(stderr,
                                 "ipsec-cost: %s run: %llu of %llu datagrams delivered, %u of %u "
                                 "tunnels up\n",
                                 v.c_str(), static_cast<unsigned long long>(received),
                                 static_cast<unsigned long long>(sent),
                                 j.at("tunnels").get<unsigned>(), spokes);
                    rc = 1;
                }
                if (delivered.count(v) == 0)
                {
                    delivered[v] = received;
                }
                const double w = j["traffic"]["wall_s"].get<double>();
                const double c = j["traffic"]["cpu_s"].get<double>();
                ns[v] = received ? w * 1e9 / static_cast<double>(received) : 0;
                wall[v].push_back(w);
                perPacket[v].push_back(ns[v]);
                cpuPerPacket[v].push_back(received ? c * 1e9 / static_cast<double>(received) : 0);
                runs.push_back(j);
            }
            const auto cpu = [&](const std::string& v) { return cpuPerPacket[v].back(); };
            modelCostCpu.push_back(cpu("fast") - cpu("plain"));
            cryptoCostCpu.push_back(cpu("real") - cpu("fast"));
            modelCost.push_back(ns["fast"] - ns["plain"]);
            cryptoCost.push_back(ns["real"] - ns["fast"]);
            fastOverReal.push_back(ns["real"] > 0 ? ns["fast"] / ns["real"] : 0);
        }
        if (delivered["plain"] != delivered["fast"] || delivered["fast"] != delivered["real"])
        {
            std::fprintf(stderr, "ipsec-cost: the three runs delivered different datagrams\n");
            rc = 1;
        }
        std::printf("\n  %-6s %12s %14s %16s %16s\n", "run", "delivered", "traffic wall s",
                    "ns per delivered", "(CPU ns)");
        nlohmann::json out;
        for (const auto& v : kVariants)
        {
            std::printf("  %-6s %12llu %14.3f %16.0f %16.0f\n", v.c_str(),
                        static_cast<unsigned long long>(delivered[v]), Median(wall[v]),
                        Median(perPacket[v]), Median(cpuPerPacket[v]));
            out[v] = {{"delivered", delivered[v]},
                      {"traffic_wall_s_median", Median(wall[v])},
                      {"ns_per_packet_median", Median(perPacket[v])},
                      {"cpu_ns_per_packet_median", Median(cpuPerPacket[v])},
                      {"ns_per_packet", perPacket[v]}};
        }
        auto range = [](const std::vector<double>& v)
        {
            return std::make_pair(*std::min_element(v.begin(), v.end()),
                                  *std::max_element(v.begin(), v.end()));
        };
        const auto [m0, m1] = range(modelCost);
        const auto [c0, c1] = range(cryptoCost);
        const auto [f0, f1] = range(fastOverReal);
        std::printf("\n  IPsec model beyond the crypto (fast - plain): %8.0f ns per packet "
                    "(%.0f to %.0f)\n",
                    Median(modelCost), m0, m1);
        std::printf("  real crypto (real - fast):                    %8.0f ns per packet "
                    "(%.0f to %.0f)\n",
                    Median(cryptoCost), c0, c1);
        std::printf("  fast / real:                                  %8.3f (%.3f to %.3f)\n",
                    Median(fastOverReal), f0, f1);
        std::printf("  in CPU time: model %.0f ns, crypto %.0f ns per packet\n",
                    Median(modelCostCpu), Median(cryptoCostCpu));
        std::printf("  fast / plain: %.2f, real / plain: %.2f\n",
                    Median(perPacket["fast"]) / Median(perPacket["plain"]),
                    Median(perPacket["real"]) / Median(perPacket["plain"]));
        out["spokes"] = spokes;
        out["traffic_s"] = traffic;
        out["rate"] = rate;
        out["size"] = size;
        out["reps"] = reps;
        out["model_ns_per_packet"] = Median(modelCost);
        out["crypto_ns_per_packet"] = Median(cryptoCost);
        out["fast_over_real"] = Median(fastOverReal);
        out["model_cpu_ns_per_packet"] = Median(modelCostCpu);
        out["crypto_cpu_ns_per_packet"] = Median(cryptoCostCpu);
        out["runs"] = runs;
        out["ok"] = rc == 0;
        if (!jsonFile.empty())
        {
            std::ofstream(jsonFile) << out.dump(2) << "\n";
        }
    }
    catch (const std::exception& e)
    {
        std::cerr << "ipsec-cost: " << e.what() << "\n";
        rc = 1;
    }
    fs::remove_all(dir);
    return rc;
}
