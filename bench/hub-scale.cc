// Scale benchmark: a hub with many spokes, and the memory an SA pair takes.
//
// 1. SA pairs. A child process builds --sa-pairs pairs of ESP SAs (AES-128-CBC + HMAC-SHA1-96,
//    inbound with a 64-packet replay window, lifetimes of 3600 s and 4 608 000 KB) the way
//    IkeDaemon::Install does after a quick mode: IpsecSaConfig -> IpsecSa::Create (keys, OpenSSL
//    contexts, replay window), an IpsecSaBundle holding both, the expiry trace connections, and
//    the SAD entry with its lifetime events (IpsecSad::Add). Heap in use (mallinfo2) is read
//    before the first pair and after the last, step by step; OpenSSL's own allocations are
//    counted through CRYPTO_set_mem_functions, so the bytes per pair are split into the model's
//    (C++ objects, its vectors and strings, ns-3 events and callbacks) and OpenSSL's (EVP cipher
//    and digest contexts with their key schedules). A warm-up pair built and destroyed first keeps
//    one-time costs (providers, fetched algorithms, TypeIds) out of the figure.
// 2. The hub. For each of --compare and --spokes spokes, scenarios/hub-many-spokes/
//    make-scenario.py (--generator) writes a scenario with --traffic seconds of steady traffic
//    (every spoke starts its IKE with an echo request, --spread seconds after the previous one;
//    then each spoke's host and the hub LAN send each other --rate of 200-byte datagrams), and a
//    child process runs it through ScenarioRunner without pcaps, plots or NetAnim. Reported: wall
//    (and CPU) time of build, setup (IKE) and traffic, heap and RSS after each, peak RSS, the
//    tunnels up at the hub (ESP SA pairs with distinct peers, ISAKMP SAs, quick modes), datagrams
//    delivered. The growth of heap and RSS from the smaller run to the larger, divided by the
//    spokes added, is the whole simulation's cost per spoke. A run in which not every spoke's
//    tunnel came up fails the benchmark (exit status 1).
//
//   hub-scale [--generator=PATH] [--spokes=1000] [--compare=100] [--traffic=60] [--spread=0.02]
//             [--rate=1600bps] [--crypto=real|fast] [--sa-pairs=1000] [--quick] [--json=FILE]
//             [--keep=DIR] [--only=sa|hub]
//
// --quick: 20 and 10 spokes, 2 s of traffic, 100 SA pairs (a smoke test; its numbers mean little).
// --keep: leave the scenarios and each run's results.json in DIR.
#include "hub-scale-run.h"
#include "ns3/ipsec-sa.h"
#include "ns3/ipsec-sad.h"
#include "ns3/ipsec-spd.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/callback.h"
#include "ns3/command-line.h"
#include "ns3/simulator.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::hubbench;
namespace fs = std::filesystem;

namespace
{

// ------------------------------------------------------------------ counting OpenSSL's heap

/** Bytes OpenSSL holds, as malloc chunks (usable size + the chunk header), and as requested. */
int64_t g_sslChunkBytes = 0;
int64_t g_sslRequested = 0;
int64_t g_sslBlocks = 0;
bool g_sslCounted = false;
constexpr size_t kHead = 16; // keeps OpenSSL's 16-byte alignment

size_t
ChunkBytes(void* base)
{
    return malloc_usable_size(base) + sizeof(size_t);
}

void*
SslMalloc(size_t n, const char*, int)
{
    auto* base = static_cast<unsigned char*>(std::malloc(n + kHead));
    if (!base)
    {
        return nullptr;
    }
    *reinterpret_cast<size_t*>(base) = n;
    g_sslChunkBytes += ChunkBytes(base);
    g_sslRequested += n;
    ++g_sslBlocks;
    return base + kHead;
}

void
SslFree(void* p, const char*, int)
{
    if (!p)
    {
        return;
    }
    auto* base = static_cast<unsigned char*>(p) - kHead;
    g_sslChunkBytes -= ChunkBytes(base);
    g_sslRequested -= *reinterpret_cast<size_t*>(base);
    --g_sslBlocks;
    std::free(base);
}

void*
SslRealloc(void* p, size_t n, const char* file, int line)
{
    if (!p)
    {
        return SslMalloc(n, file, line);
    }
    if (n == 0)
    {
        SslFree(p, file, line);
        return nullptr;
    }
    void* q = SslMalloc(n, file, line);
    if (q)
    {
        auto* oldBase = static_cast<unsigned char*>(p) - kHead;
        std::memcpy(q, p, std::min(n, *reinterpret_cast<size_t*>(oldBase)));
        SslFree(p, file, line);
    }
    return q;
}

struct Snapshot
{
    int64_t heap = 0;     //!< heap in use, all of it
    int64_t ssl = 0;      //!< of which OpenSSL's blocks (malloc chunks)
    int64_t sslAsked = 0; //!< the bytes OpenSSL asked for
    int64_t sslBlocks = 0;

    static Snapshot Now()
    {
        return {HeapInUse(), g_sslChunkBytes, g_sslRequested, g_sslBlocks};
    }
};

// ------------------------------------------------------------------------------ SA pairs

void
IgnoreExpiry(Ptr<IpsecSa>)
{
}

/** One quick mode's worth of SAs, as IkeDaemon::Install builds them. */
struct Pair
{
    Ptr<IpsecSaBundle> bundle;
};

IpsecSaConfig
PairConfig(uint32_t k, bool inbound)
{
    const Ipv4Address hub("172.16.0.1");
    const Ipv4Address spoke(0xAC100000u + 10 + k);
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    c.mode = IpsecMode::TUNNEL;
    c.spi = 0x10000000u + 2 * k + (inbound ? 1 : 0);
    c.source = inbound ? spoke : hub;
    c.destination = inbound ? hub : spoke;
    c.selector = IpsecTrafficSelector::Subnets(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.255.0"),
                                               Ipv4Address(0x0A000000u + (k << 8)),
                                               Ipv4Mask("255.255.255.0"));
    c.label = "crypto map vpn 100"; // what IkeDaemon writes: "crypto map " + entry name
    c.cipher = ipsec::CipherAlgorithm::AES_CBC_128;
    c.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
    c.cipherKey.assign(16, static_cast<uint8_t>(k));
    c.authKey.assign(20, static_cast<uint8_t>(k + 1));
    c.hardLifetime = Seconds(3600);
    c.softLifetime = Seconds(3600 - 30);
    c.hardKilobytes = 4608000;
    c.softKilobytes = 4608000 - 256;
    return c;
}

struct PairSteps
{
    Snapshot start;
    Snapshot sas;    //!< after IpsecSa::Create x2 and the bundle
    Snapshot traces; //!< after connecting the expiry traces
    Snapshot sad;    //!< after IpsecSad::Add x2 (lifetime events scheduled)
};

PairSteps
BuildPairs(uint32_t n, std::vector<Pair>& keep, Ptr<IpsecSad> sad)
{
    keep.reserve(keep.size() + n);
    PairSteps s;
    s.start = Snapshot::Now();
    const size_t first = keep.size();
    for (uint32_t k = 0; k < n; ++k)
    {
        Pair p;
        p.bundle = Create<IpsecSaBundle>();
        p.bundle->scope = PairConfig(k, false).selector;
        p.bundle->local = Ipv4Address("172.16.0.1");
        p.bundle->peer = Ipv4Address(0xAC100000u + 10 + k);
        p.bundle->inbound.push_back(IpsecSa::Create(PairConfig(k, true)));
        p.bundle->outbound.push_back(IpsecSa::Create(PairConfig(k, false)));
        keep.push_back(std::move(p));
    }
    s.sas = Snapshot::Now();
    for (size_t i = first; i < keep.size(); ++i)
    {
        for (auto* v : {&keep[i].bundle->inbound, &keep[i].bundle->outbound})
        {
            for (auto& sa : *v)
            {
                sa->TraceConnectWithoutContext("SoftExpiry", MakeCallback(&IgnoreExpiry));
                sa->TraceConnectWithoutContext("HardExpiry", MakeCallback(&IgnoreExpiry));
            }
        }
    }
    s.traces = Snapshot::Now();
    for (size_t i = first; i < keep.size(); ++i)
    {
        sad->Add(keep[i].bundle->inbound[0]);
        sad->Add(keep[i].bundle->outbound[0]);
    }
    s.sad = Snapshot::Now();
    return s;
}

nlohmann::json
SaPairBench(uint32_t n)
{
    // An empty run first, as SAs are made inside a running simulation: until the first
    // Simulator::Run, ns-3 records every Time object it constructs in a std::set (for
    // Time::SetResolution), and the Time members of each SA, its config and its bundle would
    // each count a 48-byte set node (about 430 bytes per pair) that a simulation never has.
    Simulator::Run();
    // Warm-up: one pair built and destroyed.
    {
        std::vector<Pair> warm;
        Ptr<IpsecSad> sad = CreateObject<IpsecSad>();
        BuildPairs(1, warm, sad);
        sad->Dispose();
    }
    std::vector<Pair> pairs;
    Ptr<IpsecSad> sad = CreateObject<IpsecSad>();
    const PairSteps s = BuildPairs(n, pairs, sad);
    auto per = [n](int64_t bytes) { return static_cast<double>(bytes) / n; };
    auto step = [&](const Snapshot& a, const Snapshot& b)
    {
        const int64_t heap = b.heap - a.heap;
        const int64_t ssl = b.ssl - a.ssl;
        return nlohmann::json{{"heap_per_pair", per(heap)},
                              {"openssl_per_pair", per(ssl)},
                              {"openssl_requested_per_pair", per(b.sslAsked - a.sslAsked)},
                              {"openssl_blocks_per_pair", per(b.sslBlocks - a.sslBlocks)},
                              {"model_per_pair", per(heap - ssl)}};
    };
    nlohmann::json j;
    j["pairs"] = n;
    j["openssl_counted"] = g_sslCounted;
    j["sizeof"] = {{"IpsecSa", sizeof(IpsecSa)},
                   {"IpsecSaConfig", sizeof(IpsecSaConfig)},
                   {"IpsecReplayWindow", sizeof(IpsecReplayWindow)},
                   {"IpsecSaBundle", sizeof(IpsecSaBundle)},
                   {"IpsecTrafficSelector", sizeof(IpsecTrafficSelector)},
                   {"IpsecDropCounters", sizeof(IpsecDropCounters)},
                   {"Cipher", sizeof(ipsec::Cipher)},
                   {"Authenticator", sizeof(ipsec::Authenticator)}};
    j["sas_and_bundle"] = step(s.start, s.sas);
    j["expiry_traces"] = step(s.sas, s.traces);
    j["sad_and_lifetime_events"] = step(s.traces, s.sad);
    j["total"] = step(s.start, s.sad);
    sad->Dispose();
    pairs.clear();
    Simulator::Destroy();
    return j;
}

// ------------------------------------------------------------------------------ the program

struct Options
{
    std::string generator = "scenarios/hub-many-spokes/make-scenario.py";
    uint32_t spokes = 1000;
    uint32_t compare = 100;
    double traffic = 60;
    double spread = 0.02;
    std::string rate = "1600bps";
    std::string crypto = "real";
    uint32_t saPairs = 1000;
    bool quick = false;
    std::string jsonFile;
    std::string keep;
    std::string only;
};

Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    CommandLine cmd(__FILE__);
    cmd.AddValue("generator", "make-scenario.py of scenarios/hub-many-spokes", o.generator);
    cmd.AddValue("spokes", "spokes of the large run", o.spokes);
    cmd.AddValue("compare", "spokes of the smaller run (0: none)", o.compare);
    cmd.AddValue("traffic", "simulated seconds of steady traffic", o.traffic);
    cmd.AddValue("spread", "seconds between spokes' first packets", o.spread);
    cmd.AddValue("rate", "per-spoke UDP rate, each way", o.rate);
    cmd.AddValue("crypto", "real or fast", o.crypto);
    cmd.AddValue("sa-pairs", "SA pairs built for the memory figure", o.saPairs);
    cmd.AddValue("quick", "smoke test: tiny runs", o.quick);
    cmd.AddValue("json", "write the results as JSON to this file", o.jsonFile);
    cmd.AddValue("keep", "leave scenarios and results.json in this folder", o.keep);
    cmd.AddValue("only", "sa or hub: one part only", o.only);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.spokes = 20;
        o.compare = 10;
        o.traffic = 2;
        o.saPairs = 100;
    }
    if (o.compare >= o.spokes)
    {
        o.compare = 0;
    }
    return o;
}

/** Part 1: the SA pairs, measured in a child; prints the bytes per pair by step. */
nlohmann::json
MeasureSaPairs(const Options& o, const fs::path& dir)
{
    const uint32_t saPairs = o.saPairs;
    const nlohmann::json sa =
        InChild(dir / "sa-pairs.json", [saPairs] { return SaPairBench(saPairs); });
    std::printf("SA pairs: %u ESP pairs (AES-128-CBC + HMAC-SHA1-96), bytes per pair%s\n", saPairs,
                sa.at("openssl_counted") ? "" : " (OpenSSL not separable)");
    std::printf("  %-26s %8s %8s %8s %8s %8s\n", "step", "model", "OpenSSL", "heap", "SSL asked",
                "SSL blocks");
    for (const char* k : {"sas_and_bundle", "expiry_traces", "sad_and_lifetime_events", "total"})
    {
        const auto& x = sa.at(k);
        std::printf("  %-26s %8.0f %8.0f %8.0f %8.0f %8.1f\n", k,
                    x.at("model_per_pair").get<double>(), x.at("openssl_per_pair").get<double>(),
                    x.at("heap_per_pair").get<double>(),
                    x.at("openssl_requested_per_pair").get<double>(),
                    x.at("openssl_blocks_per_pair").get<double>());
    }
    std::printf("  sizeof: IpsecSa %d, IpsecSaConfig %d, IpsecReplayWindow %d, "
                "IpsecSaBundle %d\n",
                sa["sizeof"]["IpsecSa"].get<int>(), sa["sizeof"]["IpsecSaConfig"].get<int>(),
                sa["sizeof"]["IpsecReplayWindow"].get<int>(),
                sa["sizeof"]["IpsecSaBundle"].get<int>());
    return sa;
}

void
PrintHubHeader(const Options& o)
{
    std::printf("\nHub runs: %g s of traffic at %s each way per spoke, spread %g s, "
                "crypto %s\n",
                o.traffic, o.rate.c_str(), o.spread, o.crypto.c_str());
    std::printf("  %6s %8s %8s %8s %9s %9s %9s %9s %9s %10s %10s\n", "spokes", "tunnels", "build s",
                "setup s", "traffic s", "(CPU s)", "heap MB", "RSS MB", "peak MB", "sent",
                "received");
}

/** Generate the scenario of @p n spokes and run it in a child; its figures, as JSON. */
nlohmann::json
RunHub(const Options& o, const fs::path& dir, uint32_t n)
{
    const fs::path scenario = dir / ("hub-" + std::to_string(n) + ".json");
    std::vector<std::string> args = {"--traffic",   std::to_string(o.traffic),
                                     "--spread",    std::to_string(o.spread),
                                     "--rate-up",   o.rate,
                                     "--rate-down", o.rate};
    if (o.crypto == "fast")
    {
        args.insert(args.end(), {"--crypto", "fast"});
    }
    GenerateHubScenario(o.generator, n, args, scenario);
    const fs::path runDir = dir / ("run-" + std::to_string(n));
    nlohmann::json j = InChild(dir / ("hub-" + std::to_string(n) + "-measure.json"),
                               [&] { return RunHubScenario(scenario, runDir); });
    j["spokes"] = n;
    j["all_tunnels_up"] = j.at("tunnels") == n && j.at("isakmp_sas_qm_idle") == n;
    return j;
}

void
PrintHubRow(uint32_t n, const nlohmann::json& j)
{
    const bool ok = j.at("all_tunnels_up").get<bool>();
    std::printf("  %6u %8u %8.1f %8.1f %9.1f %9.1f %9s %9s %9s %10llu %10llu%s\n", n,
                j.at("tunnels").get<unsigned>(), j["build"]["wall_s"].get<double>(),
                j["setup"]["wall_s"].get<double>(), j["traffic"]["wall_s"].get<double>(),
                j["traffic"]["cpu_s"].get<double>(),
                Mb(j["traffic"]["heap_bytes"].get<double>()).c_str(),
                Mb(j["traffic"]["rss_bytes"].get<double>()).c_str(),
                Mb(j["peak_rss_bytes"].get<double>()).c_str(),
                static_cast<unsigned long long>(j["udp_sent"].get<uint64_t>()),
                static_cast<unsigned long long>(j["udp_received"].get<uint64_t>()),
                ok ? "" : "  <- NOT ALL TUNNELS UP");
}

/**
 * The growth of heap and RSS from the smaller run @p a (@p na spokes) to the larger @p b
 * (@p nb), per spoke added; printed and returned as JSON.
 */
nlohmann::json
PerSpoke(const nlohmann::json& a, const nlohmann::json& b, uint32_t na, uint32_t nb)
{
    const double dn = static_cast<double>(nb - na);
    auto grow = [&](const char* phase, const char* what)
    { return (b[phase][what].get<double>() - a[phase][what].get<double>()) / dn; };
    const nlohmann::json p = {
        {"heap_after_setup", grow("setup", "heap_bytes")},
        {"rss_after_setup", grow("setup", "rss_bytes")},
        {"heap_after_traffic", grow("traffic", "heap_bytes")},
        {"rss_after_traffic", grow("traffic", "rss_bytes")},
        {"peak_rss", (b["peak_rss_bytes"].get<double>() - a["peak_rss_bytes"].get<double>()) / dn}};
    std::printf("  per spoke added (%u -> %u): heap %.0f B after setup, %.0f B after "
                "traffic; RSS %.0f B after traffic; peak RSS %.0f B\n",
                na, nb, p["heap_after_setup"].get<double>(), p["heap_after_traffic"].get<double>(),
                p["rss_after_traffic"].get<double>(), p["peak_rss"].get<double>());
    return p;
}

/**
 * Part 2: the hub at --compare (if any) and --spokes spokes, into @p out; false if a run did
 * not bring every tunnel up.
 */
bool
MeasureHubs(const Options& o, const fs::path& dir, nlohmann::json& out)
{
    std::vector<uint32_t> sizes;
    if (o.compare)
    {
        sizes.push_back(o.compare);
    }
    sizes.push_back(o.spokes);
    out["hub"] = nlohmann::json::array();
    PrintHubHeader(o);
    bool ok = true;
    for (uint32_t n : sizes)
    {
        const nlohmann::json j = RunHub(o, dir, n);
        out["hub"].push_back(j);
        PrintHubRow(n, j);
        ok = ok && j.at("all_tunnels_up").get<bool>();
    }
    if (sizes.size() == 2)
    {
        out["per_spoke"] = PerSpoke(out["hub"][0], out["hub"][1], sizes[0], sizes[1]);
    }
    return ok;
}

/** Both parts (or the one --only names); the exit status. */
int
Run(const Options& o)
{
    const fs::path dir = o.keep.empty()
                             ? fs::temp_directory_path() / ("hub-scale-" + std::to_string(getpid()))
                             : fs::path(o.keep);
    fs::create_directories(dir);
    nlohmann::json out;
    int rc = 0;
    if (o.only.empty() || o.only == "sa")
    {
        out["sa_pairs"] = MeasureSaPairs(o, dir);
    }
    if ((o.only.empty() || o.only == "hub") && !MeasureHubs(o, dir, out))
    {
        rc = 1;
    }
    if (!o.jsonFile.empty())
    {
        std::ofstream(o.jsonFile) << out.dump(2) << "\n";
    }
    if (o.keep.empty())
    {
        fs::remove_all(dir);
    }
    return rc;
}

} // namespace

int
main(int argc, char* argv[])
{
    // Before anything can make OpenSSL allocate.
    g_sslCounted = CRYPTO_set_mem_functions(SslMalloc, SslRealloc, SslFree) == 1;
    const Options o = ParseOptions(argc, argv);
    try
    {
        return Run(o);
    }
    catch (const std::exception& e)
    {
        std::cerr << "hub-scale: " << e.what() << "\n";
        return 1;
    }
}
