#include "scenario-sweep.h"

#include "scenario-runner.h"

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
#include <sstream>

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
                                   uint32_t size, DataRate load)
{
    Scenario s = base;
    const ScenarioSweep& sw = *base.sweep;
    s.sweep.reset();
    for (const auto& [node, hw] : c.hardware)
    {
        s.nodes[node].platform = hw.first;
        s.nodes[node].modules = hw.second;
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
    auto flow = [&](uint32_t ipBytes, double share, uint16_t port) {
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
    return s;
}

nlohmann::json
ScenarioSweepRunner::Run(const Options& options)
{
    namespace fs = std::filesystem;
    const ScenarioSweep& sw = *m_s.sweep;
    const fs::path out(options.outDir);
    fs::create_directories(out / "runs");
    const ScenarioTraffic& swept = m_s.traffic[sw.traffic];
    const double window = (swept.stop - swept.start).GetSeconds();
    const std::string measured = m_s.nodes[sw.measure].name;

    auto wanted = [](const auto& list, const auto& x) {
        return list.empty() || std::find(list.begin(), list.end(), x) != list.end();
    };

    nlohmann::json rows = nlohmann::json::array();
    nlohmann::json knees = nlohmann::json::array();
    // (configuration, size) -> (offered, throughput) for the plots
    std::map<uint32_t, std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>>>
        curves;
    for (const auto& c : sw.configurations)
    {
        if (!wanted(options.configurations, c.name))
        {
            continue;
        }
        for (uint32_t size : sw.sizes)
        {
            if (!wanted(options.sizes, size))
            {
                continue;
            }
            std::vector<std::pair<double, double>> curve;
            std::optional<double> knee;
            double best = 0;
            uint32_t past = 0;
            for (const DataRate& load : sw.loads)
            {
                Scenario s = PointScenario(m_s, c, size, load);
                const std::string label =
                    Safe(c.name) + "_" + SizeName(size) + "_" + Mbps(load.GetBitRate()) + "Mbps";
                const auto t0 = std::chrono::steady_clock::now();
                ScenarioRunner runner(s);
                runner.Build();
                ScenarioRunner::Options o;
                o.outDir = (out / "runs" / label).string();
                o.pcaps = false;
                nlohmann::json r = runner.Run(o);
                const double wall =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

                // The swept flow (three for IMIX): every flow row of its traffic entry.
                const std::string tp = swept.pointer;
                double sentBytes = 0, recvBytes = 0, sent = 0, recv = 0, delaySum = 0, maxDelay = 0;
                double firstTx = 1e300, lastTx = 0, firstRx = 1e300, lastRx = 0;
                auto span = [](const nlohmann::json& f, const char* a, const char* b,
                               double& first, double& last) {
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
                // Rates over the span of first to last packet (n packets: n - 1 intervals), so
                // that the queues still draining after the sender stopped count at the rate
                // they drain, not as extra throughput.
                auto rate = [](double bytes, double n, double first, double last) {
                    return n > 1 && last > first ? bytes * 8 * (n - 1) / n / (last - first) : 0.0;
                };
                const double offered = rate(sentBytes, sent, firstTx, lastTx);
                const double throughput = rate(recvBytes, recv, firstRx, lastRx);
                nlohmann::json row;
                row["configuration"] = c.name;
                row["size"] = SizeName(size);
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
                        row["cpu_percent"] = Round(
                            std::min(100.0, 100.0 * hw["cpu"].value("busy_s", 0.0) / window), 1);
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
                curve.emplace_back(offered / 1e6, throughput / 1e6);
                best = std::max(best, throughput);
                if (options.progress)
                {
                    std::cerr << "  " << std::left << std::setw(28) << c.name << std::setw(6)
                              << SizeName(size) << std::right << std::setw(10)
                              << Round(load.GetBitRate() / 1e6, 3) << " Mbps offered -> "
                              << std::setw(9) << Round(throughput / 1e6, 3) << " Mbps, loss "
                              << Round(100 * row["loss"].get<double>(), 1) << "% (" << Round(wall, 1)
                              << " s)\n";
                }
                // The knee: the first load the router no longer carries (95% of what was sent).
                if (!knee && offered > 0 && throughput < 0.95 * offered)
                {
                    knee = load.GetBitRate();
                }
                if (knee && past++ >= sw.afterKnee)
                {
                    break;
                }
            }
            nlohmann::json k;
            k["configuration"] = c.name;
            k["size"] = SizeName(size);
            k["max_throughput_mbps"] = Round(best / 1e6, 4);
            k["knee_load_mbps"] =
                knee ? nlohmann::json(Round(*knee / 1e6, 6)) : nlohmann::json(nullptr);
            knees.push_back(k);
            curves[size].emplace_back(c.name, curve);
        }
    }

    // The table as CSV as well (spreadsheets).
    {
        std::ofstream csv(out / "sweep.csv");
        const std::vector<std::string> cols = {
            "configuration", "size",        "load_mbps",    "offered_mbps", "throughput_mbps",
            "throughput_pps", "loss",        "mean_delay_ms", "max_delay_ms", "cpu_percent",
            "card_percent",  "input_queue_drops", "engine_queue_full"};
        for (size_t i = 0; i < cols.size(); ++i)
        {
            csv << (i ? "," : "") << cols[i];
        }
        csv << "\n";
        for (const auto& row : rows)
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

    // One plot per packet size: throughput against offered load, a line per configuration.
    nlohmann::json plots = nlohmann::json::array();
    const bool haveGnuplot = std::system("gnuplot --version >/dev/null 2>&1") == 0;
    for (const auto& [size, lines] : curves)
    {
        const std::string base = "throughput-" + SizeName(size);
        Gnuplot plot(base + ".png");
        plot.SetTerminal("png size 1000,700");
        plot.SetTitle(m_s.name + ": " +
                      (size ? std::to_string(size) + "-byte packets" : std::string("Simple IMIX")));
        plot.SetLegend("offered load (Mbit/s, IP layer)", "throughput (Mbit/s)");
        plot.AppendExtra("set logscale xy 2\nset key top left\nset grid");
        double hi = 0;
        for (const auto& [name, pts] : lines)
        {
            Gnuplot2dDataset d(name);
            d.SetStyle(Gnuplot2dDataset::LINES_POINTS);
            for (const auto& [x, y] : pts)
            {
                d.Add(x, std::max(y, 1e-3));
                hi = std::max(hi, x);
            }
            plot.AddDataset(d);
        }
        {
            // the line a router that carried everything would follow
            Gnuplot2dDataset ideal("offered = carried");
            ideal.SetStyle(Gnuplot2dDataset::LINES);
            ideal.SetExtra("dashtype 2 lc rgb 'gray'");
            double lo = lines.empty() || lines.front().second.empty()
                            ? 0.1
                            : lines.front().second.front().first;
            for (const auto& [name, pts] : lines)
            {
                for (const auto& p : pts)
                {
                    lo = std::min(lo, p.first);
                }
            }
            ideal.Add(lo, lo);
            ideal.Add(hi, hi);
            plot.AddDataset(ideal);
        }
        {
            std::ofstream plt(out / (base + ".plt"));
            plot.GenerateOutput(plt);
        }
        nlohmann::json p = {{"size", SizeName(size)}, {"script", base + ".plt"}};
        if (haveGnuplot)
        {
            const std::string cmd =
                "cd '" + out.string() + "' && gnuplot '" + base + ".plt' >/dev/null 2>&1";
            if (std::system(cmd.c_str()) == 0 && fs::exists(out / (base + ".png")))
            {
                p["png"] = base + ".png";
            }
        }
        plots.push_back(p);
    }

    nlohmann::json r;
    r["scenario"] = {{"name", m_s.name}, {"file", m_s.file}, {"seed", m_s.seed}, {"run", m_s.run},
                     {"crypto", m_s.fastCrypto ? "fast" : "real"}};
    r["sweep"] = {{"flow", swept.pointer},
                  {"window_s", window},
                  {"measured_router", measured},
                  {"knee_rule", "first load with throughput below 95% of the offered load"},
                  {"rows", rows},
                  {"knees", knees},
                  {"plots", plots}};
    if (!haveGnuplot)
    {
        r["sweep"]["note"] = "gnuplot is not installed: the .plt scripts are written, no PNG";
    }
    std::ofstream(out / "results.json") << r.dump(2) << "\n";
    return r;
}

} // namespace ns3
