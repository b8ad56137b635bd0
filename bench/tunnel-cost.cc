// What an IPsec tunnel costs a whole simulation: two sites, each a host on a gigabit LAN behind
// an IOS router, the routers joined by a gigabit WAN line; one host sends UDP at 200 Mbit/s
// (1400-byte datagrams) to the other. The network is run three ways, measured side by side:
//
//   plain  the same configurations without the crypto map lines: routed in the clear
//   fast   crypto maps, IKE (pre-shared keys), ESP packets of the real size and layout with
//          sequence numbers and padding, but no byte encrypted or authenticated
//          ("crypto": "fast")
//   real   the same with real AES-128-CBC + HMAC-SHA1-96 (--cipher=gcm: AES-128-GCM) over
//          every byte
//
// scenarios/tunnel-200mbps/make-scenario.py (--generator) writes the three scenarios. Each run
// is a forked child that builds the scenario and runs the setup (pings, IKE) untimed, then
// times the traffic phase alone; its wall time divided by the UDP datagrams delivered is the
// cost per delivered packet (each is protected at R1 and unprotected at R2 with crypto maps).
// A repetition runs the three once each, in alternating order (plain fast real, then real fast
// plain, ...), so machine noise hits all alike. The figures are medians over the repetitions;
// the ratios (real / plain, fast / plain) and differences are medians of the per-repetition
// values, in wall and in CPU time.
// The runs must deliver the same datagrams, all they send, and the crypto runs must have the
// tunnel (an inbound and an outbound ESP SA) up at both routers, or the benchmark fails
// (exit status 1).
//
//   tunnel-cost [--generator=PATH] [--traffic=5] [--rate=200Mbps] [--size=1400]
//               [--cipher=aes|gcm] [--wan=serial|ethernet] [--reps=5] [--only=VARIANTS]
//               [--keep=DIR] [--quick] [--json=FILE]
//
// --quick: 0.05 s of traffic, one repetition (a smoke test; its numbers mean nothing).
// --only=plain,real: run only those variants (for profiling one of them with perf).
// --keep=DIR: write the scenarios into DIR and leave them there (to run or profile them with
// ipsec-sim).
#include "hub-scale-run.h"

#include "ns3/command-line.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::benchstats;
using namespace ns3::hubbench;
namespace fs = std::filesystem;

namespace
{

const std::vector<std::string> kAllVariants = {"plain", "fast", "real"};

struct Options
{
    std::string generator = "scenarios/tunnel-200mbps/make-scenario.py";
    double traffic = 5;
    std::string rate = "200Mbps";
    uint32_t size = 1400;
    std::string cipher = "aes";
    std::string wan = "serial";
    uint32_t reps = 5;
    std::string only;
    std::string keep;
    bool quick = false;
    std::string jsonFile;
    std::vector<std::string> variants; //!< from --only, in kAllVariants' order
};

/** Everything measured over the repetitions, per variant and per repetition. */
struct Measurements : VariantRuns
{
    std::map<std::string, std::vector<double>> ratio; //!< "real/plain" ... per repetition
    std::map<std::string, std::vector<double>> cpuRatio;
    std::map<std::string, std::vector<double>> diff; //!< "real-plain" ... wall ns per packet
    std::map<std::string, std::vector<double>> cpuDiff;
};

Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    CommandLine cmd(__FILE__);
    cmd.AddValue("generator", "make-scenario.py of scenarios/tunnel-200mbps", o.generator);
    cmd.AddValue("traffic", "simulated seconds of UDP traffic", o.traffic);
    cmd.AddValue("rate", "UDP rate, h1 to h2", o.rate);
    cmd.AddValue("size", "UDP payload bytes", o.size);
    cmd.AddValue("cipher", "aes (AES-128-CBC + HMAC-SHA1-96) or gcm (AES-128-GCM)", o.cipher);
    cmd.AddValue("wan", "serial (point-to-point) or ethernet", o.wan);
    cmd.AddValue("reps", "repetitions of the runs", o.reps);
    cmd.AddValue("only", "comma-separated variants to run (plain,fast,real)", o.only);
    cmd.AddValue("keep", "write the scenarios into this folder and keep them", o.keep);
    cmd.AddValue("quick", "smoke test: tiny runs", o.quick);
    cmd.AddValue("json", "write the results as JSON to this file", o.jsonFile);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.traffic = 0.05;
        o.reps = 1;
    }
    o.reps = std::max<uint32_t>(o.reps, 1);
    for (const auto& v : kAllVariants)
    {
        if (o.only.empty() || ("," + o.only + ",").find("," + v + ",") != std::string::npos)
        {
            o.variants.push_back(v);
        }
    }
    return o;
}

/** Whether the options are usable; says why not on stderr. */
bool
CheckOptions(const Options& o)
{
    if (o.variants.empty())
    {
        std::fprintf(stderr, "tunnel-cost: --only names no variant (plain, fast, real)\n");
        return false;
    }
    if (o.cipher != "aes" && o.cipher != "gcm")
    {
        std::fprintf(stderr, "tunnel-cost: --cipher must be aes or gcm\n");
        return false;
    }
    if (o.wan != "serial" && o.wan != "ethernet")
    {
        std::fprintf(stderr, "tunnel-cost: --wan must be serial or ethernet\n");
        return false;
    }
    if (!(o.traffic > 0) || o.size < 1 || o.size > 65507)
    {
        std::fprintf(stderr, "tunnel-cost: --traffic must be positive, --size 1 to 65507\n");
        return false;
    }
    return true;
}

/**
 * Run `python3 GENERATOR ARGS... --out DIR` (the scenario and both configurations into DIR).
 * @throws std::runtime_error if it fails or writes no scenario
 */
void
GenerateTunnelScenario(const std::string& generator, const std::vector<std::string>& args,
                       const fs::path& dir)
{
    std::ostringstream cmd;
    cmd << "python3 " << ShQuote(generator);
    for (const auto& a : args)
    {
        cmd << " " << ShQuote(a);
    }
    cmd << " --out " << ShQuote(dir.string()) << " > /dev/null";
    fs::remove(dir / "scenario.json");
    if (std::system(cmd.str().c_str()) != 0 || !fs::exists(dir / "scenario.json"))
    {
        throw std::runtime_error("scenario generator failed: " + cmd.str());
    }
}

/** The scenarios of the variants (same hosts, rates and times) under @p dir, by variant. */
std::map<std::string, fs::path>
WriteScenarios(const Options& o, const fs::path& dir)
{
    const std::vector<std::string> common = {"--traffic", std::to_string(o.traffic),
                                             "--rate",    o.rate,
                                             "--size",    std::to_string(o.size),
                                             "--cipher",  o.cipher,
                                             "--wan",     o.wan};
    std::map<std::string, fs::path> files;
    for (const auto& v : o.variants)
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
        GenerateTunnelScenario(o.generator, args, dir / v);
        files[v] = dir / v / "scenario.json";
    }
    return files;
}

/** Whether router @p name of the results @p r has an inbound and an outbound ESP SA. */
bool
TunnelUp(const nlohmann::json& r, const std::string& name)
{
    bool in = false;
    bool out = false;
    for (const auto& sa : r.at("nodes").at(name).at("report").at("sas"))
    {
        if (sa.at("protocol") == "esp")
        {
            (sa.at("direction") == "inbound" ? in : out) = true;
        }
    }
    return in && out;
}

/**
 * Load, build and run @p scenarioFile in timed phases (hub-scale-run.h's RunScenarioPhases), then
 * check that both routers have the tunnel up and count the UDP datagrams.
 */
nlohmann::json
RunTunnelScenario(const fs::path& scenarioFile, const fs::path& outDir)
{
    return RunScenarioPhases(scenarioFile, outDir,
                             [](const nlohmann::json& r, nlohmann::json& j)
                             {
                                 j["tunnel_up"] = TunnelUp(r, "R1") && TunnelUp(r, "R2");
                                 CountUdp(r, j);
                             });
}

/**
 * Run variant @p v once (repetition @p rep) in a child and record it in @p m; returns its wall
 * and CPU ns per delivered packet. @p ok becomes false if it did not deliver all it sent or
 * (with crypto) did not bring the tunnel up.
 */
std::pair<double, double>
MeasureVariant(const fs::path& dir, const fs::path& scenario, const std::string& v, uint32_t rep,
               Measurements& m, bool& ok)
{
    nlohmann::json j = InChild(dir / (v + "-measure.json"),
                               [&] { return RunTunnelScenario(scenario, dir / ("run-" + v)); });
    j["variant"] = v;
    j["rep"] = rep;
    const uint64_t sent = j.at("udp_sent");
    const uint64_t received = j.at("udp_received");
    const bool tunnelOk = v == "plain" || j.at("tunnel_up").get<bool>();
    if (!tunnelOk || received == 0 || received != sent)
    {
        std::fprintf(stderr, "tunnel-cost: %s run: %llu of %llu datagrams delivered, tunnel %s\n",
                     v.c_str(), static_cast<unsigned long long>(received),
                     static_cast<unsigned long long>(sent), tunnelOk ? "up" : "NOT up");
        ok = false;
    }
    if (m.delivered.count(v) != 0 && m.delivered[v] != received)
    {
        std::fprintf(stderr, "tunnel-cost: %s delivered differently between repetitions\n",
                     v.c_str());
        ok = false;
    }
    return m.Record(v, std::move(j));
}

/**
 * Repetition @p rep: the variants once each, in reverse order in odd repetitions, and the
 * per-repetition ratios and differences against plain.
 */
void
RunRepetition(const Options& o, const fs::path& dir, const std::map<std::string, fs::path>& files,
              uint32_t rep, Measurements& m, bool& ok)
{
    std::vector<std::string> order = o.variants;
    if (rep % 2)
    {
        std::reverse(order.begin(), order.end());
    }
    std::map<std::string, std::pair<double, double>> ns;
    for (const auto& v : order)
    {
        ns[v] = MeasureVariant(dir, files.at(v), v, rep, m, ok);
    }
    if (ns.count("plain") == 0)
    {
        return;
    }
    const auto [plainWall, plainCpu] = ns["plain"];
    for (const auto& [v, t] : ns)
    {
        if (v != "plain" && plainWall > 0 && plainCpu > 0)
        {
            m.ratio[v + "/plain"].push_back(t.first / plainWall);
            m.cpuRatio[v + "/plain"].push_back(t.second / plainCpu);
            m.diff[v + "-plain"].push_back(t.first - plainWall);
            m.cpuDiff[v + "-plain"].push_back(t.second - plainCpu);
        }
    }
}

/** The smallest and largest of @p v (not empty). */
std::pair<double, double>
Range(const std::vector<double>& v)
{
    return {*std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end())};
}

/** The ratios and differences against plain, with their ranges; as JSON too. */
nlohmann::json
PrintAgainstPlain(Measurements& m)
{
    nlohmann::json out;
    for (const auto& [key, r] : m.ratio)
    {
        const std::string v = key.substr(0, key.find('/'));
        const std::string d = v + "-plain";
        const auto [r0, r1] = Range(r);
        const auto [d0, d1] = Range(m.diff[d]);
        std::printf("\n  %-11s wall %.3f (%.3f to %.3f), CPU %.3f\n", key.c_str(), Median(r), r0,
                    r1, Median(m.cpuRatio[key]));
        std::printf("  %-11s wall %.0f ns per packet (%.0f to %.0f), CPU %.0f ns\n", d.c_str(),
                    Median(m.diff[d]), d0, d1, Median(m.cpuDiff[d]));
        out[key] = {{"wall", Median(r)},
                    {"wall_range", {r0, r1}},
                    {"cpu", Median(m.cpuRatio[key])},
                    {"per_rep", r}};
        out[d] = {{"wall_ns_per_packet", Median(m.diff[d])},
                  {"wall_range", {d0, d1}},
                  {"cpu_ns_per_packet", Median(m.cpuDiff[d])}};
    }
    return out;
}

/** Whether every variant delivered the same datagrams. */
bool
SameDeliveries(const Measurements& m)
{
    for (const auto& [v, n] : m.delivered)
    {
        if (n != m.delivered.begin()->second)
        {
            std::fprintf(stderr, "tunnel-cost: the runs delivered different datagrams\n");
            return false;
        }
    }
    return true;
}

/** Generate, measure, print; the exit status. */
int
Run(const Options& o, const fs::path& dir)
{
    fs::create_directories(dir);
    const std::map<std::string, fs::path> files = WriteScenarios(o, dir);
    std::printf("tunnel-cost: %g s of UDP at %s (%u-byte datagrams), %s, %s WAN, %u "
                "repetitions\n",
                o.traffic, o.rate.c_str(), o.size,
                o.cipher == "gcm" ? "AES-128-GCM" : "AES-128-CBC + HMAC-SHA1-96", o.wan.c_str(),
                o.reps);
    Measurements m;
    bool ok = true;
    for (uint32_t r = 0; r < o.reps; ++r)
    {
        RunRepetition(o, dir, files, r, m, ok);
    }
    ok = SameDeliveries(m) && ok;
    nlohmann::json out = m.PrintTable(o.variants);
    out["against_plain"] = PrintAgainstPlain(m);
    out["traffic_s"] = o.traffic;
    out["rate"] = o.rate;
    out["size"] = o.size;
    out["cipher"] = o.cipher;
    out["wan"] = o.wan;
    out["reps"] = o.reps;
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
    if (!CheckOptions(o))
    {
        return 1;
    }
    const fs::path dir =
        o.keep.empty() ? fs::temp_directory_path() / ("tunnel-cost-" + std::to_string(getpid()))
                       : fs::path(o.keep);
    int rc = 0;
    try
    {
        rc = Run(o, dir);
    }
    catch (const std::exception& e)
    {
        std::cerr << "tunnel-cost: " << e.what() << "\n";
        rc = 1;
    }
    if (o.keep.empty())
    {
        fs::remove_all(dir);
    }
    return rc;
}
