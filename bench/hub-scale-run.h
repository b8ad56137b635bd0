// What bench/hub-scale.cc, bench/ipsec-cost.cc and bench/core-scale.cc share: writing a
// scenario with a make-scenario.py (hub-many-spokes, hub-core-spokes), running it phase by phase in
// a child process, and reading back what came up and what was delivered.
#ifndef IPSEC_BENCH_HUB_SCALE_RUN_H
#define IPSEC_BENCH_HUB_SCALE_RUN_H

#include "bench-stats.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/nstime.h"

#include <nlohmann/json.hpp>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace hubbench
{

using benchstats::Clock;
using benchstats::Since;

/** Heap in use: small chunks and mmapped ones (glibc mallinfo2). */
inline int64_t
HeapInUse()
{
    struct mallinfo2 mi = mallinfo2();
    return static_cast<int64_t>(mi.uordblks + mi.hblkhd);
}

/** Resident set size now, in bytes (/proc/self/statm). */
inline int64_t
RssNow()
{
    std::ifstream f("/proc/self/statm");
    int64_t size = 0;
    int64_t resident = 0;
    f >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

/** Peak resident set size of this process, in bytes (getrusage). */
inline int64_t
PeakRss()
{
    struct rusage ru = {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<int64_t>(ru.ru_maxrss) * 1024;
}

/** CPU time of this process so far (user + system), in seconds: on a shared machine it varies
 *  less than wall time. */
inline double
CpuSeconds()
{
    struct rusage ru = {};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/** @p s in single quotes for /bin/sh. */
inline std::string
ShQuote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

/**
 * Run `python3 GENERATOR SPOKES ARGS... --out FILE`.
 * @throws std::runtime_error if it fails or writes nothing
 */
inline void
GenerateScenario(const std::string& generator, uint32_t spokes,
                 const std::vector<std::string>& args, const std::filesystem::path& file)
{
    std::ostringstream cmd;
    cmd << "python3 " << ShQuote(generator) << " " << spokes;
    for (const auto& a : args)
    {
        cmd << " " << ShQuote(a);
    }
    cmd << " --out " << ShQuote(file.string()) << " > /dev/null";
    std::filesystem::remove(file);
    if (std::system(cmd.str().c_str()) != 0 || !std::filesystem::exists(file))
    {
        throw std::runtime_error("scenario generator failed: " + cmd.str());
    }
}

/** GenerateScenario for scenarios/hub-many-spokes: `--wide` comes first. */
inline void
GenerateHubScenario(const std::string& generator, uint32_t spokes,
                    const std::vector<std::string>& args, const std::filesystem::path& file)
{
    std::vector<std::string> all = {"--wide"};
    all.insert(all.end(), args.begin(), args.end());
    GenerateScenario(generator, spokes, all, file);
}

/** Wall and CPU time since @p t0 and @p cpu0, and heap and RSS now. */
inline nlohmann::json
Phase(Clock::time_point t0, double cpu0)
{
    return {{"wall_s", Since(t0)},
            {"cpu_s", CpuSeconds() - cpu0},
            {"heap_bytes", HeapInUse()},
            {"rss_bytes", RssNow()}};
}

/**
 * What came up at the hubs of the results @p r (the routers whose names begin with "HUB": "HUB"
 * itself, or "HUB1" and "HUB2"), into @p j: the tunnels (outbound and inbound ESP SAs to the
 * same peer at the same hub), their ESP SAs, ISAKMP SAs in QM_IDLE and quick modes, summed
 * over the hubs.
 */
inline void
CountHubTunnels(const nlohmann::json& r, nlohmann::json& j)
{
    size_t tunnels = 0;
    size_t espSas = 0;
    uint32_t isakmp = 0;
    uint32_t quickOk = 0;
    uint32_t quickFailed = 0;
    for (const auto& [name, node] : r.at("nodes").items())
    {
        if (name.rfind("HUB", 0) != 0 || !node.contains("report"))
        {
            continue;
        }
        const nlohmann::json& hub = node.at("report");
        std::set<std::string> inPeers;
        std::set<std::string> outPeers;
        for (const auto& sa : hub.at("sas"))
        {
            if (sa.at("protocol") == "esp")
            {
                (sa.at("direction") == "inbound" ? inPeers : outPeers)
                    .insert(sa.at("peer").get<std::string>());
            }
        }
        for (const auto& p : outPeers)
        {
            tunnels += inPeers.count(p);
        }
        espSas += inPeers.size() + outPeers.size();
        if (hub.contains("ike"))
        {
            for (const auto& sa : hub.at("ike").at("isakmp_sas"))
            {
                isakmp += sa.at("state") == "QM_IDLE";
            }
            for (const auto& x : hub.at("ike").at("exchanges"))
            {
                if (x.at("exchange") == "quick")
                {
                    quickOk += x.at("result") == "ok";
                    quickFailed += x.at("result") == "failed";
                }
            }
        }
    }
    j["tunnels"] = tunnels;
    j["hub_esp_sas"] = espSas;
    j["isakmp_sas_qm_idle"] = isakmp;
    j["quick_modes_ok"] = quickOk;
    j["quick_modes_failed"] = quickFailed;
}

/** The UDP datagrams sent and received over all flows of the results @p r, into @p j. */
inline void
CountUdp(const nlohmann::json& r, nlohmann::json& j)
{
    uint64_t sent = 0;
    uint64_t received = 0;
    for (const auto& f : r.at("flows"))
    {
        if (f.at("kind") == "udp")
        {
            sent += f.at("sent").get<uint64_t>();
            received += f.at("received").get<uint64_t>();
        }
    }
    j["udp_sent"] = sent;
    j["udp_received"] = received;
}

/**
 * Load, build and run @p scenarioFile without pcaps, plots or NetAnim, in three timed phases:
 * build, setup (simulated time up to the first UDP flow's start: IKE) and traffic (the rest).
 * Returns per phase the wall and CPU time, heap and RSS after it, and the peak RSS; then
 * @p count(results, json) adds what the caller counts in results.json (RunHubScenario: the
 * tunnels up at the hubs and the UDP datagrams sent and received).
 */
template <typename Count>
nlohmann::json
RunScenarioPhases(const std::filesystem::path& scenarioFile, const std::filesystem::path& outDir,
                  Count count)
{
    nlohmann::json j;
    j["start"] = {{"heap_bytes", HeapInUse()}, {"rss_bytes", RssNow()}};
    auto t0 = Clock::now();
    double cpu0 = CpuSeconds();
    Scenario s = ScenarioLoader::LoadFile(scenarioFile.string());
    Time trafficStart = s.duration;
    for (const auto& t : s.traffic)
    {
        if (t.kind == ScenarioTrafficKind::UDP)
        {
            trafficStart = std::min(trafficStart, t.start);
        }
    }
    const Time duration = s.duration;
    ScenarioRunner runner(std::move(s));
    runner.Build();
    j["build"] = Phase(t0, cpu0);
    ScenarioRunner::Options o;
    o.outDir = outDir.string();
    o.pcaps = false;
    o.report = false;
    o.netanim = false;
    t0 = Clock::now();
    cpu0 = CpuSeconds();
    runner.Start(o);
    runner.Advance(trafficStart);
    j["setup"] = Phase(t0, cpu0);
    j["setup"]["simulated_s"] = trafficStart.GetSeconds();
    t0 = Clock::now();
    cpu0 = CpuSeconds();
    runner.Advance(duration - trafficStart);
    j["traffic"] = Phase(t0, cpu0);
    j["traffic"]["simulated_s"] = (duration - trafficStart).GetSeconds();
    t0 = Clock::now();
    cpu0 = CpuSeconds();
    const nlohmann::json r = runner.Finish();
    j["finish"] = Phase(t0, cpu0);
    j["peak_rss_bytes"] = PeakRss();
    count(r, j);
    return j;
}

/** RunScenarioPhases for a hub scenario: counts the tunnels at HUB* and the UDP datagrams. */
inline nlohmann::json
RunHubScenario(const std::filesystem::path& scenarioFile, const std::filesystem::path& outDir)
{
    return RunScenarioPhases(scenarioFile, outDir,
                             [](const nlohmann::json& r, nlohmann::json& j)
                             {
                                 CountHubTunnels(r, j);
                                 CountUdp(r, j);
                             });
}

/**
 * Run @p body in a forked child (so each measurement starts from the same clean process and
 * has its own peak RSS); the JSON it returns comes back through @p resultFile.
 * @throws std::runtime_error if the child fails
 */
template <typename F>
nlohmann::json
InChild(const std::filesystem::path& resultFile, F body)
{
    std::cout.flush();
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0)
    {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0)
    {
        int rc = 0;
        try
        {
            std::ofstream(resultFile) << body().dump(1) << "\n";
        }
        catch (const std::exception& e)
        {
            std::cerr << "child: " << e.what() << "\n";
            rc = 1;
        }
        std::cout.flush();
        std::cerr.flush();
        _exit(rc);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    {
        throw std::runtime_error("the measuring child process failed");
    }
    nlohmann::json j;
    std::ifstream(resultFile) >> j;
    return j;
}

/** @p bytes in MiB, one decimal. */
inline std::string
Mb(double bytes)
{
    char b[32];
    std::snprintf(b, sizeof(b), "%.1f", bytes / 1048576.0);
    return b;
}

/**
 * What ipsec-cost and tunnel-cost keep of each variant's runs over the repetitions: the traffic
 * phase's wall seconds, wall and CPU ns per delivered datagram, each run's JSON, and what the
 * first run of each variant delivered.
 */
struct VariantRuns
{
    std::map<std::string, std::vector<double>> perPacket;    //!< wall ns per delivered packet
    std::map<std::string, std::vector<double>> wall;         //!< traffic phase wall seconds
    std::map<std::string, std::vector<double>> cpuPerPacket; //!< CPU ns per delivered packet
    nlohmann::json runs = nlohmann::json::array();
    std::map<std::string, uint64_t> delivered; //!< by the first run of each variant

    /** Records run @p j of variant @p v (udp_received, and traffic wall_s and cpu_s); returns
     *  its wall and CPU ns per delivered datagram (0 when none was delivered). */
    std::pair<double, double> Record(const std::string& v, nlohmann::json j)
    {
        const uint64_t received = j.at("udp_received");
        const double w = j["traffic"]["wall_s"].get<double>();
        const double c = j["traffic"]["cpu_s"].get<double>();
        const double per = received ? 1e9 / static_cast<double>(received) : 0;
        delivered.emplace(v, received);
        wall[v].push_back(w);
        perPacket[v].push_back(w * per);
        cpuPerPacket[v].push_back(c * per);
        runs.push_back(std::move(j));
        return {w * per, c * per};
    }

    /** Prints a row per variant of @p variants (medians over the repetitions); returns the
     *  figures as JSON, by variant. */
    nlohmann::json PrintTable(const std::vector<std::string>& variants)
    {
        std::printf("\n  %-6s %12s %14s %16s %16s\n", "run", "delivered", "traffic wall s",
                    "ns per delivered", "(CPU ns)");
        nlohmann::json out;
        for (const auto& v : variants)
        {
            std::printf("  %-6s %12llu %14.3f %16.0f %16.0f\n", v.c_str(),
                        static_cast<unsigned long long>(delivered[v]), benchstats::Median(wall[v]),
                        benchstats::Median(perPacket[v]), benchstats::Median(cpuPerPacket[v]));
            out[v] = {{"delivered", delivered[v]},
                      {"traffic_wall_s_median", benchstats::Median(wall[v])},
                      {"ns_per_packet_median", benchstats::Median(perPacket[v])},
                      {"cpu_ns_per_packet_median", benchstats::Median(cpuPerPacket[v])},
                      {"ns_per_packet", perPacket[v]},
                      {"cpu_ns_per_packet", cpuPerPacket[v]}};
        }
        return out;
    }
};

} // namespace hubbench
} // namespace ns3

#endif
