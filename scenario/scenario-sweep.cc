#include "ns3/scenario-sweep.h"

#include "ns3/plot-writer.h"
#include "ns3/results-json.h"
#include "ns3/scenario-runner.h"

#include "ns3/gnuplot.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

namespace ns3
{

namespace
{
constexpr uint32_t kUdpIpHeaders = 28; // IPv4 20 + UDP 8

/** Simple IMIX: packets in the ratio 7:4:1 of 40, 576 and 1500 IP bytes. */
struct ImixPart
{
    uint32_t ipBytes;
    uint32_t weight;
};
constexpr ImixPart kImix[] = {{40, 7}, {576, 4}, {1500, 1}};

/**
 * Carry the swept flows (@p count entries of s.traffic from @p first, on consecutive ports) over
 * @p n tunnels. Every static crypto map entry, on any router, whose access list permits them
 * (outbound, or mirrored for the far end) becomes n entries: n - 1 copies whose permit line is
 * narrowed to UDP and the ports of one tunnel (manual copies with their SPIs moved up by
 * 65536 per copy), then the entry itself for the first tunnel's ports and everything else it
 * covered. The map's entries are renumbered 1, 2, ... in their order. The flows are split
 * evenly: tunnel k carries ports base + k * count ... base + k * count + count - 1.
 * @throws std::invalid_argument when no entry protects the flow, or ports or SPIs run out
 */
void
SplitIntoTunnels(Scenario& s, size_t first, size_t count, uint32_t n)
{
    const std::vector<ScenarioTraffic> flows(s.traffic.begin() + first,
                                             s.traffic.begin() + first + count);
    const uint32_t base = flows.front().port;
    if (base + uint64_t(n) * count - 1 > 65535)
    {
        throw std::invalid_argument("tunnels: " + std::to_string(n) + " tunnels of " +
                                    std::to_string(count) + " flows from port " +
                                    std::to_string(base) + " run past port 65535");
    }
    std::vector<ScenarioTraffic> split;
    for (uint32_t k = 0; k < n; ++k)
    {
        for (size_t j = 0; j < count; ++j)
        {
            ScenarioTraffic x = flows[j];
            x.port = static_cast<uint16_t>(base + k * count + j);
            x.rate = DataRate(std::max<uint64_t>(
                1, static_cast<uint64_t>(std::llround(double(flows[j].rate.GetBitRate()) / n))));
            // Staggered by a share of their packet interval, so that together they are as
            // smooth as the one flow they replace (not n packets at the same instant).
            const double interval = 8.0 * std::max<uint32_t>(x.size, 1) / x.rate.GetBitRate();
            x.start = x.start + Seconds(interval * k / n);
            split.push_back(x);
        }
    }
    s.traffic.erase(s.traffic.begin() + first, s.traffic.begin() + first + count);
    s.traffic.insert(s.traffic.begin() + first, split.begin(), split.end());

    // The flow as the first router sees it (any ephemeral source port).
    IpsecFlow f;
    f.src = s.nodes[flows.front().from].address;
    f.dst = flows.front().to;
    f.protocol = 17;
    f.srcPort = 49153;
    f.dstPort = static_cast<uint16_t>(base);
    f.hasPorts = true;
    const IpsecFlow back = f.Reversed();
    size_t splitEntries = 0;
    for (auto& node : s.nodes)
    {
        if (!node.IsRouter())
        {
            continue;
        }
        IosRouterConfig& cfg = node.config;
        std::vector<IosCryptoMapEntry> out;
        std::map<std::string, uint32_t> nextSeq;
        for (const IosCryptoMapEntry& e : cfg.cryptoMaps)
        {
            auto renumbered = [&](IosCryptoMapEntry x)
            {
                x.seq = ++nextSeq[x.map];
                out.push_back(std::move(x));
            };
            auto acl = cfg.accessLists.find(e.matchAddress);
            if (e.kind == IosCryptoMapKind::DYNAMIC_REFERENCE || acl == cfg.accessLists.end())
            {
                renumbered(e);
                continue;
            }
            // The first line that matches decides, as the data plane evaluates it.
            std::optional<size_t> line;
            bool outbound = true;
            for (size_t i = 0; i < acl->second.entries.size() && !line; ++i)
            {
                const IpsecTrafficSelector& sel = acl->second.entries[i].selector;
                for (bool dir : {true, false})
                {
                    if (!line && sel.Matches(dir ? f : back))
                    {
                        if (acl->second.entries[i].permit)
                        {
                            line = i;
                            outbound = dir;
                        }
                        else
                        {
                            i = acl->second.entries.size(); // a deny: not this entry's traffic
                        }
                        break;
                    }
                }
            }
            if (!line)
            {
                renumbered(e);
                continue;
            }
            ++splitEntries;
            for (uint32_t k = 1; k < n; ++k)
            {
                const uint16_t lo = static_cast<uint16_t>(base + k * count);
                const uint16_t hi = static_cast<uint16_t>(lo + count - 1);
                IosAccessList copy = acl->second;
                copy.name = acl->second.name + "~t" + std::to_string(k);
                IosAclEntry& l = copy.entries[*line];
                l.selector.protocol = 17;
                (outbound ? l.selector.dstPort : l.selector.srcPort) =
                    lo == hi ? IpsecPortMatch::Eq(lo) : IpsecPortMatch::Range(lo, hi);
                l.text = IosAclLineText(l.permit, l.selector);
                IosCryptoMapEntry c = e;
                c.matchAddress = copy.name;
                for (auto& key : c.sessionKeys)
                {
                    const uint64_t spi = key.spi + (uint64_t(k) << 16);
                    if (spi > 0xffffffffu)
                    {
                        throw std::invalid_argument("tunnels: the SPIs of crypto map " + e.map +
                                                    " " + std::to_string(e.seq) +
                                                    " run past 4294967295");
                    }
                    key.spi = static_cast<uint32_t>(spi);
                }
                cfg.accessLists[copy.name] = std::move(copy);
                renumbered(std::move(c));
            }
            renumbered(e);
        }
        cfg.cryptoMaps = std::move(out);
    }
    if (splitEntries == 0)
    {
        throw std::invalid_argument("tunnels: no crypto map entry of any router protects the swept "
                                    "flow " +
                                    s.traffic[first].pointer);
    }
}

std::string
Safe(const std::string& s)
{
    std::string r;
    for (char c : s)
    {
        r += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
    }
    return r;
}

std::string
Mbps(double bps)
{
    std::ostringstream os;
    os << bps / 1e6;
    return os.str();
}

double
Round(double x, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(x * f) / f;
}
} // namespace

ScenarioSweepRunner::ScenarioSweepRunner(Scenario scenario) : m_s(std::move(scenario))
{
    if (!m_s.sweep)
    {
        throw std::invalid_argument("ScenarioSweepRunner: the scenario has no sweep");
    }
}

std::string
ScenarioSweepRunner::SizeName(uint32_t size)
{
    return size == 0 ? "imix" : std::to_string(size);
}

Scenario
ScenarioSweepRunner::PointScenario(const Scenario& base, const ScenarioSweepConfiguration& c,
                                   uint32_t size, DataRate load, uint32_t tunnels)
{
    Scenario s = base;
    const ScenarioSweep& sw = *base.sweep;
    s.sweep.reset();
    for (const auto& [node, hw] : c.hardware)
    {
        s.nodes[node].platform = hw.first;
        s.nodes[node].modules = hw.second;
    }
    for (const auto& [node, config] : c.configs)
    {
        s.nodes[node].config = config;
    }
    // Cards named in the base scenario's card events must exist in this configuration.
    s.events.erase(std::remove_if(s.events.begin(), s.events.end(),
                                  [&s](const ScenarioEvent& e) {
                                      return e.kind == ScenarioEvent::Kind::CARD_STATE &&
                                             e.slot >= s.nodes[e.node].modules.size();
                                  }),
                   s.events.end());
    const ScenarioTraffic t = s.traffic[sw.traffic];
    // A ping along the path before the flow starts: ARP entries (ns-3 holds only 3 packets per
    // unresolved address and jitters its requests by up to 10 ms) and IKE SAs are in place when
    // the measured flow begins, so that start-up is not counted as the router's loss.
    if (t.start > MilliSeconds(200))
    {
        ScenarioTraffic warm;
        warm.kind = ScenarioTrafficKind::PING;
        warm.from = t.from;
        warm.toNode = t.toNode;
        warm.to = t.to;
        warm.toText = t.toText;
        warm.size = 56;
        warm.count = 3;
        warm.interval = MilliSeconds(50);
        warm.start = t.start - MilliSeconds(200);
        warm.stop = t.start;
        warm.pointer = "/sweep/warm-up";
        s.traffic.push_back(warm);
    }
    // OnOffApplication's rate counts UDP payload bytes: scaled so that the IP layer sees `load`.
    auto flow = [&](uint32_t ipBytes, double share, uint16_t port)
    {
        ScenarioTraffic x = t;
        x.size = ipBytes - kUdpIpHeaders;
        x.port = port;
        const double bps = load.GetBitRate() * share * x.size / ipBytes;
        x.rate = DataRate(static_cast<uint64_t>(std::max(1.0, std::round(bps))));
        return x;
    };
    if (size != 0)
    {
        s.traffic[sw.traffic] = flow(size, 1.0, t.port);
        if (tunnels > 0)
        {
            SplitIntoTunnels(s, sw.traffic, 1, tunnels);
        }
        return s;
    }
    double total = 0;
    for (const auto& p : kImix)
    {
        total += double(p.ipBytes) * p.weight;
    }
    std::vector<ScenarioTraffic> parts;
    uint16_t port = t.port;
    for (const auto& p : kImix)
    {
        parts.push_back(flow(p.ipBytes, p.ipBytes * p.weight / total, port++));
    }
    s.traffic.erase(s.traffic.begin() + sw.traffic);
    s.traffic.insert(s.traffic.begin() + sw.traffic, parts.begin(), parts.end());
    if (tunnels > 0)
    {
        SplitIntoTunnels(s, sw.traffic, parts.size(), tunnels);
    }
    return s;
}

std::vector<ScenarioSweepRunner::Ladder>
ScenarioSweepRunner::Ladders(const Options& options) const
{
    const ScenarioSweep& sw = *m_s.sweep;
    auto wanted = [](const auto& list, const auto& x)
    { return list.empty() || std::find(list.begin(), list.end(), x) != list.end(); };
    std::vector<Ladder> v;
    const std::vector<uint32_t> seeds =
        sw.seeds.empty() ? std::vector<uint32_t>{m_s.seed} : sw.seeds;
    for (size_t c = 0; c < sw.configurations.size(); ++c)
    {
        if (!wanted(options.configurations, sw.configurations[c].name))
        {
            continue;
        }
        for (uint32_t size : sw.sizes)
        {
            if (!wanted(options.sizes, size))
            {
                continue;
            }
            for (uint32_t tunnels : sw.tunnels.empty() ? std::vector<uint32_t>{0} : sw.tunnels)
            {
                for (uint32_t seed : seeds)
                {
                    v.push_back({c, size, seed, tunnels});
                }
            }
        }
    }
    return v;
}

std::string
ScenarioSweepRunner::LadderLabel(const Ladder& l) const
{
    return Safe(m_s.sweep->configurations[l.configuration].name) + "_" + SizeName(l.size) +
           (l.tunnels ? "_" + std::to_string(l.tunnels) + "tunnels" : std::string()) + "_seed" +
           std::to_string(l.seed);
}

std::string
ScenarioSweepRunner::ConfigurationName(const Ladder& l) const
{
    const std::string& name = m_s.sweep->configurations[l.configuration].name;
    return l.tunnels
               ? name + ", " + std::to_string(l.tunnels) + (l.tunnels == 1 ? " tunnel" : " tunnels")
               : name;
}

nlohmann::json
ScenarioSweepRunner::RunLadder(size_t index, const Options& options)
{
    namespace fs = std::filesystem;
    const auto ladders = Ladders(options);
    if (index >= ladders.size())
    {
        throw std::out_of_range("the sweep has " + std::to_string(ladders.size()) +
                                " ladders (0 to " + std::to_string(ladders.size() - 1) + "), not " +
                                std::to_string(index));
    }
    const Ladder& l = ladders[index];
    const ScenarioSweep& sw = *m_s.sweep;
    const ScenarioSweepConfiguration& c = sw.configurations[l.configuration];
    const fs::path out(options.outDir);
    fs::create_directories(out / "runs");
    fs::create_directories(out / "ladders");
    const ScenarioTraffic& swept = m_s.traffic[sw.traffic];
    const std::string measured = m_s.nodes[sw.measure].name;

    nlohmann::json rows = nlohmann::json::array();
    bool knee = false;
    uint32_t past = 0;
    for (const DataRate& load : sw.loads)
    {
        Scenario s = PointScenario(m_s, c, l.size, load, l.tunnels);
        s.seed = l.seed;
        const std::string label = LadderLabel(l) + "_" + Mbps(load.GetBitRate()) + "Mbps";
        const auto t0 = std::chrono::steady_clock::now();
        ScenarioRunner runner(s);
        runner.Build();
        ScenarioRunner::Options o;
        o.outDir = (out / "runs" / label).string();
        o.pcaps = false;
        o.report = false;
        o.netanim = false;
        nlohmann::json r = runner.Run(o);
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

        // The swept flow (three for IMIX): every flow row of its traffic entry.
        const std::string tp = swept.pointer;
        double sentBytes = 0, recvBytes = 0, sent = 0, recv = 0, delaySum = 0, maxDelay = 0;
        double firstTx = 1e300, lastTx = 0, firstRx = 1e300, lastRx = 0;
        auto span =
            [](const nlohmann::json& f, const char* a, const char* b, double& first, double& last)
        {
            if (f.contains(a) && f[a].is_number() && f.contains(b) && f[b].is_number())
            {
                first = std::min(first, f[a].get<double>());
                last = std::max(last, f[b].get<double>());
            }
        };
        for (const auto& f : r["flows"])
        {
            if (f.value("traffic", "") != tp)
            {
                continue;
            }
            span(f, "first_tx_s", "last_tx_s", firstTx, lastTx);
            span(f, "first_rx_s", "last_rx_s", firstRx, lastRx);
            sentBytes += f.value("sent_bytes", 0.0);
            recvBytes += f.value("received_bytes", 0.0);
            sent += f.value("sent", 0.0);
            const double n = f.value("received", 0.0);
            recv += n;
            if (f.contains("mean_delay_s") && f["mean_delay_s"].is_number())
            {
                delaySum += n * f["mean_delay_s"].get<double>();
            }
            if (f.contains("max_delay_s") && f["max_delay_s"].is_number())
            {
                maxDelay = std::max(maxDelay, f["max_delay_s"].get<double>());
            }
        }
        // Rates over the span of first to last packet (n packets: n - 1 intervals), so that
        // the queues still draining after the sender stopped count at the rate they drain, not
        // as extra throughput.
        auto rate = [](double bytes, double n, double first, double last)
        { return n > 1 && last > first ? bytes * 8 * (n - 1) / n / (last - first) : 0.0; };
        const double offered = rate(sentBytes, sent, firstTx, lastTx);
        const double throughput = rate(recvBytes, recv, firstRx, lastRx);
        const double window = (swept.stop - swept.start).GetSeconds();
        nlohmann::json row;
        row["configuration"] = ConfigurationName(l);
        if (l.tunnels)
        {
            row["tunnels"] = l.tunnels;
        }
        row["size"] = SizeName(l.size);
        row["seed"] = l.seed;
        row["load_mbps"] = Round(load.GetBitRate() / 1e6, 6);
        row["offered_mbps"] = Round(offered / 1e6, 4);
        row["throughput_mbps"] = Round(throughput / 1e6, 4);
        row["throughput_pps"] =
            Round(recv > 1 && lastRx > firstRx ? (recv - 1) / (lastRx - firstRx) : 0.0, 1);
        row["loss"] = sent > 0 ? Round(1.0 - recv / sent, 5) : 0.0;
        row["mean_delay_ms"] = recv > 0 ? Round(1e3 * delaySum / recv, 3) : 0.0;
        row["max_delay_ms"] = Round(1e3 * maxDelay, 3);
        const auto& rep = r["nodes"][measured]["report"];
        if (rep.contains("hardware"))
        {
            const auto& hw = rep["hardware"];
            if (hw.contains("cpu"))
            {
                row["cpu_percent"] =
                    Round(std::min(100.0, 100.0 * hw["cpu"].value("busy_s", 0.0) / window), 1);
            }
            double card = 0;
            for (const auto& k : hw["cards"])
            {
                card = std::max(card, 100.0 * k.value("busy_s", 0.0) / window);
            }
            if (!hw["cards"].empty())
            {
                row["card_percent"] = Round(std::min(100.0, card), 1);
            }
            row["input_queue_drops"] = hw.value("input_queue_drops", 0);
        }
        row["engine_queue_full"] =
            rep.contains("drops") ? rep["drops"].value("engine-queue-full", 0) : 0;
        row["run"] = "runs/" + label;
        row["wall_s"] = Round(wall, 2);
        rows.push_back(row);
        if (options.progress)
        {
            std::cerr << "  " << std::left << std::setw(l.tunnels ? 40 : 28) << ConfigurationName(l)
                      << " " << std::setw(6) << SizeName(l.size) << std::right << std::setw(10)
                      << Round(load.GetBitRate() / 1e6, 3) << " Mbps offered -> " << std::setw(9)
                      << Round(throughput / 1e6, 3) << " Mbps, loss "
                      << Round(100 * row["loss"].get<double>(), 1) << "% (" << Round(wall, 1)
                      << " s)\n";
        }
        // The knee: the first load the routers no longer carry (95% of what was sent).
        knee = knee || (offered > 0 && throughput < 0.95 * offered);
        if (knee && past++ >= sw.afterKnee)
        {
            break;
        }
    }
    nlohmann::json ladder = {{"index", index},
                             {"configuration", ConfigurationName(l)},
                             {"size", SizeName(l.size)},
                             {"seed", l.seed},
                             {"rows", rows}};
    if (sw.ikeSetups && FirstOfItsConfiguration(ladders, index))
    {
        ladder["ike_setups"] = RunIkeSetups(l, out); // scenario-sweep-ike.cc
    }
    WriteJsonFile(ladder, out / "ladders" / (std::to_string(index) + ".json"), 1);
    return ladder;
}

namespace
{
/** Two-sided 95% Student t quantile for @p df degrees of freedom. */
double
T95(size_t df)
{
    static const double t[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                               2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                               2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                               2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    return df < sizeof(t) / sizeof(t[0]) ? t[df] : 1.96;
}

/** The measures of a point that the table averages over seeds, in the CSV's column order. */
const std::vector<std::string> kMeasures = {
    "offered_mbps",      "throughput_mbps",  "throughput_pps", "loss",
    "mean_delay_ms",     "max_delay_ms",     "cpu_percent",    "card_percent",
    "input_queue_drops", "engine_queue_full"};

/** The points that one table row averages: the same configuration, size and load. */
struct PointKey
{
    std::string configuration, size;
    double load;

    bool operator<(const PointKey& o) const
    {
        return std::tie(configuration, size, load) < std::tie(o.configuration, o.size, o.load);
    }
};

/** A table row: each measure's mean over the seeds and, with more than one seed, its 95%
 *  confidence half-width (Student t), `_ci95`. */
nlohmann::json
TableRow(const PointKey& key, const std::vector<const nlohmann::json*>& rs)
{
    nlohmann::json t;
    t["configuration"] = key.configuration;
    if (rs.front()->contains("tunnels"))
    {
        t["tunnels"] = (*rs.front())["tunnels"];
    }
    t["size"] = key.size;
    t["load_mbps"] = key.load;
    t["seeds"] = rs.size();
    for (const auto& m : kMeasures)
    {
        std::vector<double> v;
        for (const auto* r : rs)
        {
            if (r->contains(m) && (*r)[m].is_number())
            {
                v.push_back((*r)[m].get<double>());
            }
        }
        if (v.empty())
        {
            continue;
        }
        double mean = 0;
        for (double x : v)
        {
            mean += x;
        }
        mean /= v.size();
        t[m] = Round(mean, 4);
        if (v.size() > 1)
        {
            double ss = 0;
            for (double x : v)
            {
                ss += (x - mean) * (x - mean);
            }
            const double sd = std::sqrt(ss / (v.size() - 1));
            t[m + "_ci95"] = Round(T95(v.size() - 1) * sd / std::sqrt(double(v.size())), 4);
        }
    }
    t["run"] = (*rs.front())["run"];
    return t;
}
} // namespace

nlohmann::json
ScenarioSweepRunner::Merge(const Options& options)
{
    const ScenarioSweep& sw = *m_s.sweep;
    const std::filesystem::path out(options.outDir);
    const auto ladders = Ladders(options);
    const nlohmann::json rows = ReadLadderRows(out, ladders);
    const nlohmann::json table = MeanOverSeeds(rows, ladders);
    Curves curves;
    const nlohmann::json knees = KneesAndCurves(table, ladders, curves);
    WriteSweepCsv(out, table);
    PlotWriter writer(out);
    nlohmann::json plots = PlotThroughput(writer, curves);
    const nlohmann::json ikeSetups =
        sw.ikeSetups ? MergeIkeSetups(out, ladders, writer, plots) : nlohmann::json();

    nlohmann::json r;
    r["scenario"] = {{"name", m_s.name},
                     {"file", m_s.file},
                     {"seed", m_s.seed},
                     {"run", m_s.run},
                     {"crypto", m_s.fastCrypto ? "fast" : "real"}};
    r["sweep"] = {{"flow", m_s.traffic[sw.traffic].pointer},
                  {"measured_router", m_s.nodes[sw.measure].name},
                  {"ladders", ladders.size()},
                  {"knee_rule", "first load with throughput below 95% of the offered load"},
                  {"rows", table},
                  {"runs", rows},
                  {"knees", knees},
                  {"plots", plots}};
    if (sw.ikeSetups)
    {
        r["sweep"]["ike_setups"] = ikeSetups;
    }
    if (!writer.HaveGnuplot())
    {
        r["sweep"]["note"] = "gnuplot is not installed: the .plt scripts are written, no PNG";
    }
    WriteResultsJson(r, out);
    return r;
}

/** Every point of every ladder (ladders/K.json), in ladder order.
 *  @throws std::runtime_error naming the ladders without results */
nlohmann::json
ScenarioSweepRunner::ReadLadderRows(const std::filesystem::path& out,
                                    const std::vector<Ladder>& ladders) const
{
    nlohmann::json rows = nlohmann::json::array();
    std::vector<std::string> missing;
    for (size_t k = 0; k < ladders.size(); ++k)
    {
        const std::filesystem::path f = out / "ladders" / (std::to_string(k) + ".json");
        std::ifstream in(f);
        nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        if (!in || j.is_discarded() || !j.contains("rows") ||
            j.value("configuration", "") != ConfigurationName(ladders[k]) ||
            j.value("size", "") != SizeName(ladders[k].size) ||
            j.value("seed", 0u) != ladders[k].seed)
        {
            missing.push_back(std::to_string(k) + " (" + LadderLabel(ladders[k]) + ")");
            continue;
        }
        for (const auto& r : j["rows"])
        {
            rows.push_back(r);
        }
    }
    if (!missing.empty())
    {
        std::string m;
        for (const auto& x : missing)
        {
            m += "\n  ladder " + x;
        }
        throw std::runtime_error("the sweep is not complete: no results for" + m +
                                 "\n(run them with --ladder K, then merge again)");
    }
    return rows;
}

/** The table: one row per configuration, size and load (over the seeds), in the order of the
 *  ladders' configurations, then the sweep's sizes, then load. */
nlohmann::json
ScenarioSweepRunner::MeanOverSeeds(const nlohmann::json& rows,
                                   const std::vector<Ladder>& ladders) const
{
    std::map<PointKey, std::vector<const nlohmann::json*>> groups;
    for (const auto& r : rows)
    {
        groups[{r["configuration"], r["size"], r["load_mbps"]}].push_back(&r);
    }
    // Configurations (with their numbers of tunnels) in the order of the ladders.
    std::map<std::string, size_t> configOrder, sizeOrder;
    for (const auto& l : ladders)
    {
        configOrder.emplace(ConfigurationName(l), configOrder.size());
    }
    const ScenarioSweep& sw = *m_s.sweep;
    for (size_t i = 0; i < sw.sizes.size(); ++i)
    {
        sizeOrder[SizeName(sw.sizes[i])] = i;
    }
    std::vector<std::pair<PointKey, std::vector<const nlohmann::json*>>> ordered(groups.begin(),
                                                                                 groups.end());
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const auto& a, const auto& b)
                     {
                         return std::make_tuple(configOrder[a.first.configuration],
                                                sizeOrder[a.first.size], a.first.load) <
                                std::make_tuple(configOrder[b.first.configuration],
                                                sizeOrder[b.first.size], b.first.load);
                     });
    nlohmann::json table = nlohmann::json::array();
    for (const auto& [key, rs] : ordered)
    {
        table.push_back(TableRow(key, rs));
    }
    return table;
}

/** Knees of the mean curves (the first load carried below 95%); the curves for the plots. */
nlohmann::json
ScenarioSweepRunner::KneesAndCurves(const nlohmann::json& table, const std::vector<Ladder>& ladders,
                                    Curves& curves) const
{
    std::vector<std::string> configNames;
    std::set<std::string> seen;
    for (const auto& l : ladders)
    {
        if (seen.insert(ConfigurationName(l)).second)
        {
            configNames.push_back(ConfigurationName(l));
        }
    }
    nlohmann::json knees = nlohmann::json::array();
    for (const auto& name : configNames)
    {
        for (uint32_t size : m_s.sweep->sizes)
        {
            std::vector<std::pair<double, double>> curve;
            std::optional<double> knee;
            double best = 0;
            for (const auto& t : table)
            {
                if (t["configuration"] != name || t["size"] != SizeName(size))
                {
                    continue;
                }
                const double offered = t.value("offered_mbps", 0.0);
                const double thr = t.value("throughput_mbps", 0.0);
                curve.emplace_back(offered, thr);
                best = std::max(best, thr);
                if (!knee && offered > 0 && thr < 0.95 * offered)
                {
                    knee = t["load_mbps"].get<double>();
                }
            }
            if (curve.empty())
            {
                continue;
            }
            knees.push_back({{"configuration", name},
                             {"size", SizeName(size)},
                             {"max_throughput_mbps", Round(best, 4)},
                             {"knee_load_mbps", knee ? nlohmann::json(*knee) : nlohmann::json()}});
            curves[size].emplace_back(name, curve);
        }
    }
    return knees;
}

/** The table as CSV as well (spreadsheets). */
void
ScenarioSweepRunner::WriteSweepCsv(const std::filesystem::path& out,
                                   const nlohmann::json& table) const
{
    std::ofstream csv(out / "sweep.csv");
    std::vector<std::string> cols = {"configuration", "size", "load_mbps", "seeds"};
    if (!m_s.sweep->tunnels.empty())
    {
        cols.insert(cols.begin() + 1, "tunnels");
    }
    for (const auto& m : kMeasures)
    {
        cols.push_back(m);
        cols.push_back(m + "_ci95");
    }
    for (size_t i = 0; i < cols.size(); ++i)
    {
        csv << (i ? "," : "") << cols[i];
    }
    csv << "\n";
    for (const auto& row : table)
    {
        for (size_t i = 0; i < cols.size(); ++i)
        {
            csv << (i ? "," : "");
            if (row.contains(cols[i]))
            {
                const auto& v = row[cols[i]];
                csv << (v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump());
            }
        }
        csv << "\n";
    }
}

/** One plot per packet size: throughput against offered load, a line per configuration. */
nlohmann::json
ScenarioSweepRunner::PlotThroughput(PlotWriter& writer, const Curves& curves) const
{
    nlohmann::json plots = nlohmann::json::array();
    for (const auto& [size, lines] : curves)
    {
        const std::string base = "throughput-" + SizeName(size);
        Gnuplot plot(base + ".png");
        plot.SetTerminal("png size 1000,700");
        plot.SetTitle(m_s.name + ": " +
                      (size ? std::to_string(size) + "-byte packets" : std::string("Simple IMIX")));
        plot.SetLegend("offered load (Mbit/s, IP layer)", "throughput (Mbit/s)");
        plot.AppendExtra("set logscale xy 2\nset key top left\nset grid");
        double lo = 1e300, hi = 0;
        for (const auto& [name, pts] : lines)
        {
            Gnuplot2dDataset d(name);
            d.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            for (const auto& [x, y] : pts)
            {
                d.Add(x, std::max(y, 1e-3));
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
            plot.AddDataset(d);
        }
        // the line a router that carried everything would follow
        Gnuplot2dDataset ideal("offered = carried");
        ideal.SetStyle(Gnuplot2dDataset::LINES);
        ideal.SetExtra("dashtype 2 lc rgb 'gray'");
        ideal.Add(lo, lo);
        ideal.Add(hi, hi);
        plot.AddDataset(ideal);
        nlohmann::json p = {{"size", SizeName(size)}, {"script", base + ".plt"}};
        if (writer.Write(plot, base))
        {
            p["png"] = base + ".png";
        }
        plots.push_back(p);
    }
    return plots;
}

std::string
ScenarioSweepRunner::LadderCommand(const Options& options, const std::string& index) const
{
    std::string cmd = ShellQuote(options.program) + " " +
                      ShellQuote(std::filesystem::absolute(m_s.file).string()) + " --ladder " +
                      index + " --out " +
                      ShellQuote(std::filesystem::absolute(options.outDir).string()) + " --quiet";
    for (const auto& c : options.configurations)
    {
        cmd += " --configuration " + ShellQuote(c);
    }
    for (uint32_t z : options.sizes)
    {
        cmd += " --size " + SizeName(z);
    }
    return cmd;
}

nlohmann::json
ScenarioSweepRunner::WritePlan(const Options& options)
{
    namespace fs = std::filesystem;
    const fs::path out(options.outDir);
    fs::create_directories(out / "ladders");
    fs::create_directories(out / "logs");
    const auto ladders = Ladders(options);
    {
        // GNU parallel (or xargs, or a shell loop): one ladder per line
        std::ofstream jobs(out / "jobs.txt");
        for (size_t k = 0; k < ladders.size(); ++k)
        {
            jobs << LadderCommand(options, std::to_string(k)) << "\n";
        }
    }
    {
        // Slurm: one array task per ladder, then `--merge`
        std::ofstream sb(out / "sweep.sbatch");
        sb << "#!/bin/bash\n"
           << "#SBATCH --job-name=ipsec-sweep\n"
           << "#SBATCH --array=0-" << (ladders.empty() ? 0 : ladders.size() - 1) << "\n"
           << "#SBATCH --ntasks=1\n"
           << "#SBATCH --cpus-per-task=1\n"
           << "#SBATCH --output=" << fs::absolute(out / "logs").string() << "/ladder-%a.log\n"
           << "# " << m_s.name << ": " << ladders.size() << " ladders\n"
           << "exec " << LadderCommand(options, "\"$SLURM_ARRAY_TASK_ID\"") << "\n";
    }
    return {{"ladders", ladders.size()}, {"jobs", "jobs.txt"}, {"slurm", "sweep.sbatch"}};
}

nlohmann::json
ScenarioSweepRunner::Run(const Options& options)
{
    const auto ladders = Ladders(options);
    if (options.jobs <= 1 || options.program.empty() || ladders.size() <= 1)
    {
        for (size_t k = 0; k < ladders.size(); ++k)
        {
            RunLadder(k, options);
        }
        return Merge(options);
    }
    // Independent processes (ns-3 has one simulator per process), at most `jobs` at a time.
    WritePlan(options);
    const std::filesystem::path logs = std::filesystem::path(options.outDir) / "logs";
    std::map<pid_t, size_t> running;
    size_t next = 0, done = 0;
    std::vector<std::string> failed;
    auto bar = [&]()
    {
        if (!options.progress)
        {
            return;
        }
        const size_t width = 40;
        const size_t full = ladders.empty() ? width : done * width / ladders.size();
        std::cerr << "\ripsec-sim: sweep [" << std::string(full, '#')
                  << std::string(width - full, '.') << "] " << done << "/" << ladders.size()
                  << " ladders, " << running.size() << " running " << std::flush;
    };
    while (done < ladders.size())
    {
        while (next < ladders.size() && running.size() < options.jobs)
        {
            const std::string cmd = LadderCommand(options, std::to_string(next)) + " >" +
                                    (logs / ("ladder-" + std::to_string(next) + ".log")).string() +
                                    " 2>&1";
            const pid_t pid = fork();
            if (pid == 0)
            {
                execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
                _exit(127);
            }
            if (pid < 0)
            {
                throw std::runtime_error("cannot start a sweep process");
            }
            running[pid] = next++;
        }
        bar();
        int status = 0;
        const pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0)
        {
            break;
        }
        auto it = running.find(pid);
        if (it == running.end())
        {
            continue;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        {
            failed.push_back(std::to_string(it->second) + " (" + LadderLabel(ladders[it->second]) +
                             "), see logs/ladder-" + std::to_string(it->second) + ".log");
        }
        running.erase(it);
        ++done;
    }
    bar();
    if (options.progress)
    {
        std::cerr << "\n";
    }
    if (!failed.empty())
    {
        std::string m;
        for (const auto& f : failed)
        {
            m += "\n  ladder " + f;
        }
        throw std::runtime_error("sweep processes failed:" + m);
    }
    return Merge(options);
}

} // namespace ns3
