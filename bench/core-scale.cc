// Scale benchmark: N spokes through a provider core to one hub (or two), with IPsec and without.
//
// scenarios/hub-core-spokes/make-scenario.py (--generator) writes, for each N of --spokes, the
// network of README.md there: N spokes on T1 lines to provider-edge routers (--per-pe of them
// each), the provider edges on a full mesh of --p-routers P routers, the hub(s) behind the hub
// site's provider edge, a server behind the hub for every --per-server spokes, static routes
// only. Each spoke's host pings its server twice (--spread seconds
// after the previous spoke; the first echo request starts the spoke's IKEv1 main mode and quick
// mode), then sends the server one 200-byte datagram a second and gets one back, for --traffic
// seconds. Two variants of each network:
//   ipsec  the hub's dynamic crypto map, every spoke's crypto map (IKE, pre-shared keys)
//   plain  the same routers, hosts and datagrams without crypto maps; the provider then routes
//          the customer's networks (one route per provider edge)
// Each run is a forked child that builds and runs the scenario through ScenarioRunner without
// pcaps, plots or NetAnim, in timed phases: build, setup (up to the first datagram: IKE),
// traffic, and finish (results.json). For each it records wall and CPU time and the heap and RSS
// after it, and at the end the peak RSS. From the results it checks that every spoke's tunnel
// is up at the hub(s) (ESP SAs both ways and an ISAKMP SA in QM_IDLE per spoke) and that every
// datagram sent was received; a run that fails either fails the benchmark (exit status 1).
//
// Printed: a row per run; per run the cost per spoke (wall and CPU seconds, peak RSS divided by
// N); and between consecutive N the slope (the growth from one N to the next divided by the
// spokes added), which stays about constant if the cost grows linearly. --plot writes a gnuplot
// script and its data (wall time and peak RSS against N, both variants, log-log) and, if
// gnuplot is installed, the PNG.
//
//   core-scale [--generator=PATH] [--spokes=100,1000,10000] [--variants=ipsec,plain] [--hubs=1]
//              [--per-pe=200] [--p-routers=4] [--per-server=250] [--traffic=30]
//              [--spread=0.02] [--settle=5]
//              [--crypto=real|fast] [--quick] [--json=FILE] [--plot=FILE.png] [--keep=DIR]
//
// --quick: 8 and 16 spokes, 4 to a provider edge, two hubs, 2 s of traffic (a smoke test; its
// numbers mean little).
#include "hub-scale-run.h"

#include "ns3/command-line.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::hubbench;
namespace fs = std::filesystem;

namespace
{

struct Options
{
    std::string generator = "scenarios/hub-core-spokes/make-scenario.py";
    std::string spokesText = "100,1000,10000";
    std::string variantsText = "ipsec,plain";
    uint32_t hubs = 1;
    uint32_t perPe = 200;
    uint32_t pRouters = 4;
    uint32_t perServer = 250;
    double traffic = 30;
    double spread = 0.02;
    double settle = 5;
    std::string crypto = "real";
    bool quick = false;
    std::string jsonFile;
    std::string plotFile;
    std::string keep;
    std::vector<uint32_t> spokes;
    std::vector<std::string> variants;
};

/** The comma-separated words of @p text. */
std::vector<std::string>
Words(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string w;
    while (std::getline(in, w, ','))
    {
        if (!w.empty())
        {
            out.push_back(w);
        }
    }
    return out;
}

/** @throws std::runtime_error on a bad spoke count or variant */
Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    CommandLine cmd(__FILE__);
    cmd.AddValue("generator", "make-scenario.py of scenarios/hub-core-spokes", o.generator);
    cmd.AddValue("spokes", "spoke counts, comma-separated, smallest first", o.spokesText);
    cmd.AddValue("variants", "ipsec, plain or both, comma-separated", o.variantsText);
    cmd.AddValue("hubs", "1 or 2", o.hubs);
    cmd.AddValue("per-pe", "spokes per provider-edge router", o.perPe);
    cmd.AddValue("p-routers", "core (P) routers", o.pRouters);
    cmd.AddValue("per-server", "spokes per server behind the hub", o.perServer);
    cmd.AddValue("traffic", "simulated seconds of traffic after every spoke is up", o.traffic);
    cmd.AddValue("spread", "seconds between spokes' first packets", o.spread);
    cmd.AddValue("settle", "seconds from the last spoke's first packet to the traffic", o.settle);
    cmd.AddValue("crypto", "real or fast", o.crypto);
    cmd.AddValue("quick", "smoke test: tiny runs", o.quick);
    cmd.AddValue("json", "write the results as JSON to this file", o.jsonFile);
    cmd.AddValue("plot", "write a gnuplot plot to this PNG (and its .plt and .dat)", o.plotFile);
    cmd.AddValue("keep", "leave scenarios and results.json in this folder", o.keep);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.spokesText = "8,16";
        o.hubs = 2;
        o.perPe = 4;
        o.pRouters = 2;
        o.traffic = 2;
    }
    for (const auto& w : Words(o.spokesText))
    {
        const unsigned long n = std::stoul(w);
        if (n == 0 || n > 64000 || (!o.spokes.empty() && n <= o.spokes.back()))
        {
            throw std::runtime_error("--spokes: increasing counts from 1 to 64000");
        }
        o.spokes.push_back(static_cast<uint32_t>(n));
    }
    for (const auto& w : Words(o.variantsText))
    {
        if (w != "ipsec" && w != "plain")
        {
            throw std::runtime_error("--variants: ipsec and/or plain, not " + w);
        }
        o.variants.push_back(w);
    }
    if (o.spokes.empty() || o.variants.empty())
    {
        throw std::runtime_error("nothing to run");
    }
    return o;
}

/** The generator's arguments for @p variant. */
std::vector<std::string>
GeneratorArgs(const Options& o, const std::string& variant)
{
    std::vector<std::string> args = {
        "--hubs",      std::to_string(o.hubs),     "--per-pe",     std::to_string(o.perPe),
        "--p-routers", std::to_string(o.pRouters), "--traffic",    std::to_string(o.traffic),
        "--spread",    std::to_string(o.spread),   "--per-server", std::to_string(o.perServer),
        "--settle",    std::to_string(o.settle)};
    if (variant == "plain")
    {
        args.push_back("--plain");
    }
    if (o.crypto == "fast")
    {
        args.insert(args.end(), {"--crypto", "fast"});
    }
    return args;
}

/** Total wall (or CPU, @p what "cpu_s") seconds of a run's four phases. */
double
Total(const nlohmann::json& j, const char* what)
{
    double t = 0;
    for (const char* phase : {"build", "setup", "traffic", "finish"})
    {
        t += j.at(phase).at(what).get<double>();
    }
    return t;
}

/** Generate and run @p variant with @p n spokes in a child; its figures and verdict. */
nlohmann::json
RunOne(const Options& o, const fs::path& dir, uint32_t n, const std::string& variant)
{
    const std::string tag = variant + "-" + std::to_string(n);
    const fs::path scenario = dir / (tag + ".json");
    GenerateScenario(o.generator, n, GeneratorArgs(o, variant), scenario);
    const fs::path runDir = dir / ("run-" + tag);
    nlohmann::json j =
        InChild(dir / (tag + "-measure.json"), [&] { return RunHubScenario(scenario, runDir); });
    j["spokes"] = n;
    j["variant"] = variant;
    j["wall_s"] = Total(j, "wall_s");
    j["cpu_s"] = Total(j, "cpu_s");
    const bool tunnelsOk = variant == "plain"
                               ? j.at("tunnels") == 0
                               : j.at("tunnels") == n && j.at("isakmp_sas_qm_idle") == n;
    const bool deliveredOk =
        j.at("udp_sent").get<uint64_t>() > 0 && j.at("udp_sent") == j.at("udp_received");
    j["all_tunnels_up"] = tunnelsOk;
    j["all_delivered"] = deliveredOk;
    return j;
}

void
PrintHeader(const Options& o)
{
    std::printf("Spokes through a provider core: %u hub(s), %u spokes per provider edge, %u P "
                "routers, %u spokes per server, %g s of traffic at one datagram a second each "
                "way, spread %g s, crypto %s\n",
                o.hubs, o.perPe, o.pRouters, o.perServer, o.traffic, o.spread, o.crypto.c_str());
    std::printf("  %-6s %6s %8s %8s %8s %9s %8s %9s %9s %8s %8s %9s %9s\n", "variant", "spokes",
                "tunnels", "build s", "setup s", "traffic s", "finish s", "total s", "(CPU s)",
                "heap MB", "RSS MB", "peak MB", "sent/rcvd");
}

void
PrintRow(const nlohmann::json& j)
{
    const bool ok = j.at("all_tunnels_up").get<bool>() && j.at("all_delivered").get<bool>();
    std::printf("  %-6s %6u %8u %8.1f %8.1f %9.1f %8.1f %9.1f %9.1f %8s %8s %9s %9s%s\n",
                j.at("variant").get<std::string>().c_str(), j.at("spokes").get<unsigned>(),
                j.at("tunnels").get<unsigned>(), j["build"]["wall_s"].get<double>(),
                j["setup"]["wall_s"].get<double>(), j["traffic"]["wall_s"].get<double>(),
                j["finish"]["wall_s"].get<double>(), j["wall_s"].get<double>(),
                j["cpu_s"].get<double>(), Mb(j["traffic"]["heap_bytes"].get<double>()).c_str(),
                Mb(j["traffic"]["rss_bytes"].get<double>()).c_str(),
                Mb(j["peak_rss_bytes"].get<double>()).c_str(),
                j.at("udp_sent") == j.at("udp_received") ? "equal" : "DIFFER",
                ok ? "" : "  <- FAILED (tunnels or datagrams)");
    std::fflush(stdout);
}

/** The costs of one run divided by its spokes. */
nlohmann::json
PerSpoke(const nlohmann::json& j)
{
    const double n = j.at("spokes").get<double>();
    return {{"wall_ms", 1e3 * j.at("wall_s").get<double>() / n},
            {"cpu_ms", 1e3 * j.at("cpu_s").get<double>() / n},
            {"traffic_cpu_ms", 1e3 * j["traffic"]["cpu_s"].get<double>() / n},
            {"peak_rss_kb", j.at("peak_rss_bytes").get<double>() / 1024 / n},
            {"heap_kb", j["traffic"]["heap_bytes"].get<double>() / 1024 / n}};
}

/** The growth from run @p a to the larger run @p b, per spoke added. */
nlohmann::json
Slope(const nlohmann::json& a, const nlohmann::json& b)
{
    const double dn = b.at("spokes").get<double>() - a.at("spokes").get<double>();
    auto grow = [&](const nlohmann::json& x, const nlohmann::json& y)
    { return (y.get<double>() - x.get<double>()) / dn; };
    return {{"from", a.at("spokes")},
            {"to", b.at("spokes")},
            {"wall_ms", 1e3 * grow(a["wall_s"], b["wall_s"])},
            {"cpu_ms", 1e3 * grow(a["cpu_s"], b["cpu_s"])},
            {"traffic_cpu_ms", 1e3 * grow(a["traffic"]["cpu_s"], b["traffic"]["cpu_s"])},
            {"peak_rss_kb", grow(a["peak_rss_bytes"], b["peak_rss_bytes"]) / 1024},
            {"heap_kb", grow(a["traffic"]["heap_bytes"], b["traffic"]["heap_bytes"]) / 1024}};
}

void
PrintPerSpoke(const std::string& label, const nlohmann::json& p)
{
    std::printf("  %-22s %9.2f %9.2f %13.3f %11.1f %9.1f\n", label.c_str(),
                p["wall_ms"].get<double>(), p["cpu_ms"].get<double>(),
                p["traffic_cpu_ms"].get<double>(), p["peak_rss_kb"].get<double>(),
                p["heap_kb"].get<double>());
}

/** The cost per spoke of every run and the slopes between consecutive N, per variant. */
nlohmann::json
Linearity(const Options& o, const nlohmann::json& runs)
{
    nlohmann::json out;
    std::printf("\nPer spoke (a run's cost / N) and slope (growth / spokes added):\n");
    std::printf("  %-22s %9s %9s %13s %11s %9s\n", "", "wall ms", "CPU ms", "traffic CPU ms",
                "peak RSS KB", "heap KB");
    for (const auto& v : o.variants)
    {
        std::vector<nlohmann::json> mine;
        for (const auto& r : runs)
        {
            if (r.at("variant") == v)
            {
                mine.push_back(r);
            }
        }
        for (size_t i = 0; i < mine.size(); ++i)
        {
            const nlohmann::json p = PerSpoke(mine[i]);
            out[v]["per_spoke"].push_back(p);
            PrintPerSpoke(v + " " + std::to_string(mine[i].at("spokes").get<unsigned>()), p);
            if (i > 0)
            {
                const nlohmann::json s = Slope(mine[i - 1], mine[i]);
                out[v]["slopes"].push_back(s);
                PrintPerSpoke(v + " slope " +
                                  std::to_string(mine[i - 1].at("spokes").get<unsigned>()) + "->" +
                                  std::to_string(mine[i].at("spokes").get<unsigned>()),
                              s);
            }
        }
    }
    return out;
}

/** The run of @p variant with the most spokes among @p runs. */
const nlohmann::json&
LargestRun(const nlohmann::json& runs, const std::string& variant)
{
    const nlohmann::json* best = &runs[0];
    for (const auto& r : runs)
    {
        if (r.at("variant") == variant && r.at("spokes") >= best->at("spokes"))
        {
            best = &r;
        }
    }
    return *best;
}

/** The gnuplot data (one block per variant: N, wall s, peak RSS MB) and script; runs gnuplot. */
void
WritePlot(const Options& o, const nlohmann::json& runs)
{
    const fs::path png(o.plotFile);
    fs::path dat = png;
    dat.replace_extension(".dat");
    fs::path plt = png;
    plt.replace_extension(".plt");
    std::ofstream d(dat);
    for (const auto& v : o.variants)
    {
        d << "# " << v << ": spokes wall_s peak_rss_mb cpu_s\n";
        for (const auto& r : runs)
        {
            if (r.at("variant") == v)
            {
                d << r.at("spokes").get<unsigned>() << " " << r.at("wall_s").get<double>() << " "
                  << r.at("peak_rss_bytes").get<double>() / 1048576.0 << " "
                  << r.at("cpu_s").get<double>() << "\n";
            }
        }
        d << "\n\n";
    }
    d.close();
    std::ofstream g(plt);
    g << "set terminal pngcairo size 1100,450\n"
      << "set output '" << png.string() << "'\n"
      << "set multiplot layout 1,2 title 'Spokes through a provider core (" << o.hubs << " hub(s), "
      << o.perPe << " spokes per PE)'\n"
      << "set logscale xy\nset grid\nset key top left\nset xlabel 'spokes'\n"
      << "set ylabel 'wall time, s'\n"
      << "plot '" << dat.string() << "' index 0 using 1:2 with linespoints title '" << o.variants[0]
      << "'";
    if (o.variants.size() > 1)
    {
        g << ", '' index 1 using 1:2 with linespoints title '" << o.variants[1] << "'";
    }
    // Linear growth through the largest run of the first variant: where the other points lie
    // if every spoke costs the same.
    const nlohmann::json& last = LargestRun(runs, o.variants[0]);
    const double n = last.at("spokes").get<double>();
    g << ", '' index 0 using 1:($1*" << last.at("wall_s").get<double>() / n
      << ") with lines dashtype 2 title 'linear'\n"
      << "set ylabel 'peak RSS, MB'\n"
      << "plot '" << dat.string() << "' index 0 using 1:3 with linespoints title '" << o.variants[0]
      << "'";
    if (o.variants.size() > 1)
    {
        g << ", '' index 1 using 1:3 with linespoints title '" << o.variants[1] << "'";
    }
    g << ", '' index 0 using 1:($1*" << last.at("peak_rss_bytes").get<double>() / 1048576.0 / n
      << ") with lines dashtype 2 title 'linear'\nunset multiplot\n";
    g.close();
    if (std::system(("gnuplot " + ShQuote(plt.string()) + " 2>/dev/null").c_str()) == 0)
    {
        std::printf("\nplot: %s (%s, %s)\n", png.string().c_str(), plt.string().c_str(),
                    dat.string().c_str());
    }
    else
    {
        std::printf("\nplot: %s and %s (gnuplot did not run)\n", plt.string().c_str(),
                    dat.string().c_str());
    }
}

/** Every N, every variant; the exit status. */
int
Run(const Options& o)
{
    const fs::path dir =
        o.keep.empty() ? fs::temp_directory_path() / ("core-scale-" + std::to_string(getpid()))
                       : fs::path(o.keep);
    fs::create_directories(dir);
    nlohmann::json out;
    out["options"] = {{"hubs", o.hubs},          {"per_pe", o.perPe},
                      {"p_routers", o.pRouters}, {"per_server", o.perServer},
                      {"traffic_s", o.traffic},  {"spread_s", o.spread},
                      {"crypto", o.crypto}};
    out["runs"] = nlohmann::json::array();
    PrintHeader(o);
    bool ok = true;
    for (uint32_t n : o.spokes)
    {
        for (const auto& v : o.variants)
        {
            const nlohmann::json j = RunOne(o, dir, n, v);
            PrintRow(j);
            ok = ok && j.at("all_tunnels_up").get<bool>() && j.at("all_delivered").get<bool>();
            out["runs"].push_back(j);
            if (!o.jsonFile.empty())
            {
                std::ofstream(o.jsonFile) << out.dump(2) << "\n"; // as far as it got
            }
        }
    }
    out["linearity"] = Linearity(o, out["runs"]);
    out["ok"] = ok;
    if (!o.jsonFile.empty())
    {
        std::ofstream(o.jsonFile) << out.dump(2) << "\n";
    }
    if (!o.plotFile.empty())
    {
        WritePlot(o, out["runs"]);
    }
    if (o.keep.empty())
    {
        fs::remove_all(dir);
    }
    return ok ? 0 : 1;
}

} // namespace

int
main(int argc, char* argv[])
{
    try
    {
        return Run(ParseOptions(argc, argv));
    }
    catch (const std::exception& e)
    {
        std::cerr << "core-scale: " << e.what() << "\n";
        return 1;
    }
}
