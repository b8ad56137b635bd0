// IKE setups per second as a figure of a capacity sweep ("ike_setups"): per configuration, the
// measured router is a hub with a dynamic crypto map that many untimed spokes call at the same
// instant; its crypto engines (CPU or card: Diffie-Hellman, and the RSA operations of the
// policy when it uses them) set how fast the main modes and quick modes complete.
#include "ns3/ios-config.h"
#include "ns3/plot-writer.h"
#include "ns3/results-json.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario-sweep.h"
#include "scenario-reader.h"

#include "ns3/gnuplot.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace ns3
{

using namespace scenario_detail;

namespace
{

const char* const kHubWan = "172.16.0.1";
const char* const kPsk = "sweep-ike-setups";

/** Spoke K (1-based): its address on the shared segment and its LAN's first three octets. */
std::string
SpokeWan(uint32_t k)
{
    const uint32_t a = (172u << 24) | (16u << 16) | (10 + k);
    return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
           std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::string
SpokeLan(uint32_t k)
{
    return "10." + std::to_string(100 + k / 256) + "." + std::to_string(k % 256);
}

/** The policy under test for router @p host: "config" with %HOST% replaced by its name (a
 *  trustpoint's subject-name, say), or the default pre-shared-key policy. */
std::vector<std::string>
PolicyLines(const ScenarioSweepIkeSetups& ike, const std::string& host)
{
    if (ike.config.empty())
    {
        return {"crypto isakmp policy 10", " encryption aes 128", " hash sha",
                " authentication pre-share", " group 2"};
    }
    std::vector<std::string> lines = ike.config;
    for (auto& l : lines)
    {
        for (size_t at = l.find("%HOST%"); at != std::string::npos; at = l.find("%HOST%", at))
        {
            l.replace(at, 6, host);
        }
    }
    return lines;
}

std::vector<std::string>
HubConfig(const ScenarioSweepIkeSetups& ike, const std::string& name)
{
    std::vector<std::string> c = {"hostname " + name};
    for (const auto& l : PolicyLines(ike, name))
    {
        c.push_back(l);
    }
    for (const char* l :
         {"!", "crypto isakmp key %PSK% address 0.0.0.0 0.0.0.0",
          "crypto ipsec transform-set ts %TS%", "crypto dynamic-map spokes 10",
          " set transform-set ts", "crypto map vpn 100 ipsec-isakmp dynamic spokes",
          "interface FastEthernet0/0", " ip address 10.0.0.1 255.255.255.0",
          "interface FastEthernet0/1", " ip address %WAN% 255.255.0.0", " crypto map vpn"})
    {
        std::string s = l;
        for (auto [key, value] : {std::pair<std::string, std::string>{"%PSK%", kPsk},
                                  {"%TS%", ike.transformSet},
                                  {"%WAN%", kHubWan}})
        {
            if (auto at = s.find(key); at != std::string::npos)
            {
                s.replace(at, key.size(), value);
            }
        }
        c.push_back(s);
    }
    return c;
}

std::vector<std::string>
SpokeConfig(const ScenarioSweepIkeSetups& ike, uint32_t k)
{
    const std::string lan = SpokeLan(k);
    std::vector<std::string> c = {"hostname S" + std::to_string(k)};
    for (const auto& l : PolicyLines(ike, "S" + std::to_string(k)))
    {
        c.push_back(l);
    }
    for (const std::string& l :
         {std::string("!"), "crypto isakmp key " + std::string(kPsk) + " address " + kHubWan,
          "access-list 110 permit ip " + lan + ".0 0.0.0.255 10.0.0.0 0.0.0.255",
          "crypto ipsec transform-set ts " + ike.transformSet,
          std::string("crypto map vpn 10 ipsec-isakmp"), std::string(" match address 110"),
          std::string(" set transform-set ts"), " set peer " + std::string(kHubWan),
          std::string("interface FastEthernet0/0"), " ip address " + lan + ".1 255.255.255.0",
          std::string("interface FastEthernet0/1"), " ip address " + SpokeWan(k) + " 255.255.0.0",
          std::string(" crypto map vpn"),
          "ip route 10.0.0.0 255.255.255.0 " + std::string(kHubWan)})
    {
        c.push_back(l);
    }
    return c;
}

/**
 * The scenario's certificate authorities and calendar ("certificate-authorities", "clock"),
 * copied as written into the generated scenario, so that an rsa-sig policy's trustpoints
 * (in "config") can enrol with them.
 */
void
CopyPkiKeys(const Scenario& base, nlohmann::json& doc)
{
    std::ifstream in(base.file);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
    {
        return;
    }
    for (const char* key : {"certificate-authorities", "clock"})
    {
        if (j.contains(key))
        {
            doc[key] = j[key];
        }
    }
}

double
Round(double x, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(x * f) / f;
}

} // namespace

// ------------------------------------------------------------------------------ reading

void
ScenarioReader::ReadSweepIkeSetups(const nlohmann::json& v, ScenarioSweep& sw)
{
    auto it = v.find("ike_setups");
    if (it == v.end())
    {
        return;
    }
    const std::string ptr = "/sweep/ike_setups";
    if (!ExpectObject(*it, ptr, "IKE setups ({\"peers\": N, \"config\": [...]})"))
    {
        return;
    }
    CheckKeys(*it, ptr, {"peers", "config", "transform_set", "duration"});
    ScenarioSweepIkeSetups ike;
    if (auto p = GetUnsigned(*it, ptr, "peers", false, 1, 1000))
    {
        ike.peers = static_cast<uint32_t>(*p);
    }
    if (auto t = GetString(*it, ptr, "transform_set", false))
    {
        ike.transformSet = *t;
    }
    if (auto d = GetTime(*it, ptr, "duration", false))
    {
        ike.duration = *d;
    }
    if (auto cf = it->find("config"); cf != it->end())
    {
        if (!cf->is_array() || cf->empty())
        {
            Error(ptr + "/config", "a non-empty array of configuration lines (the ISAKMP policy "
                                   "under test), for the hub and every spoke");
            return;
        }
        for (size_t k = 0; k < cf->size(); ++k)
        {
            const auto& l = (*cf)[k];
            if (!l.is_string() || l.get<std::string>().find('\n') != std::string::npos)
            {
                Error(JPtr(ptr + "/config", k), "one configuration line (a string) per item");
                return;
            }
            ike.config.push_back(l.get<std::string>());
        }
    }
    // The lines are read now, in the hub's configuration, so that a typo is an error before
    // anything runs (line 2 of the hub's configuration is the first of "config").
    std::string text;
    for (const auto& l : HubConfig(ike, "HUB"))
    {
        text += l + "\n";
    }
    try
    {
        IosConfigReader::Parse(text, m_s.file + "#" + ptr);
    }
    catch (const IosConfigError& e)
    {
        const int line = e.Where().line - 2;
        const bool inConfig =
            !ike.config.empty() && line >= 0 && line < static_cast<int>(ike.config.size());
        Error(inConfig ? JPtr(ptr + "/config", static_cast<size_t>(line)) : ptr,
              "\n" + WithoutLocation(e));
        return;
    }
    sw.ikeSetups = ike;
}

// ------------------------------------------------------------------------------ running

Scenario
ScenarioSweepRunner::IkeSetupScenario(const Scenario& base, const ScenarioSweepConfiguration& c)
{
    const ScenarioSweep& sw = *base.sweep;
    const ScenarioSweepIkeSetups& ike = *sw.ikeSetups;
    const std::string hub = base.nodes[sw.measure].name;
    nlohmann::json hubNode = {{"name", hub}, {"config", HubConfig(ike, hub)}};
    if (auto hw = c.hardware.find(sw.measure); hw != c.hardware.end() && !hw->second.first.empty())
    {
        hubNode["platform"] = hw->second.first;
        hubNode["modules"] = hw->second.second;
    }
    nlohmann::json nodes = nlohmann::json::array({hubNode});
    nlohmann::json links = nlohmann::json::array();
    nlohmann::json traffic = nlohmann::json::array();
    for (uint32_t k = 1; k <= ike.peers; ++k)
    {
        const std::string s = "S" + std::to_string(k);
        const std::string h = "h" + std::to_string(k);
        nodes.push_back({{"name", s}, {"config", SpokeConfig(ike, k)}});
        nodes.push_back({{"name", h},
                         {"kind", "host"},
                         {"address", SpokeLan(k) + ".10/24"},
                         {"gateway", SpokeLan(k) + ".1"}});
        links.push_back({{"a", hub + ":FastEthernet0/1"},
                         {"b", s + ":FastEthernet0/1"},
                         {"type", "ethernet"},
                         {"rate", "1Gbps"},
                         {"delay", "0.001ms"}});
        links.push_back({{"a", h + ":eth0"}, {"b", s + ":FastEthernet0/0"}, {"type", "ethernet"}});
        // the first echo request starts the spoke's main mode and quick mode: all at once
        traffic.push_back(
            {{"kind", "ping"}, {"from", h}, {"to", "10.0.0.1"}, {"count", 1}, {"start", 0.5}});
    }
    nlohmann::json doc = {{"name", base.name + ": IKE setups, " + c.name},
                          {"duration", ike.duration.GetSeconds() + 0.5},
                          {"seed", base.seed},
                          {"crypto", base.fastCrypto ? "fast" : "real"},
                          {"nodes", nodes},
                          {"links", links},
                          {"traffic", traffic}};
    CopyPkiKeys(base, doc);
    return ScenarioLoader::LoadString(doc.dump(), base.file + "#/sweep/ike_setups", base.directory);
}

nlohmann::json
ScenarioSweepRunner::IkeSetupFigures(const nlohmann::json& results, const std::string& hub,
                                     uint32_t peers)
{
    // Per peer: when the hub's first successful main mode with it began, and when its first
    // quick mode with it ended.
    std::map<std::string, std::pair<double, double>> setup;
    std::map<std::string, double> phase1;
    for (const auto& e : results["ike"])
    {
        if (e["node"] != hub || e["result"] != "ok")
        {
            continue;
        }
        const std::string peer = e["peer"];
        if ((e["exchange"] == "main" || e["exchange"] == "aggressive") && !phase1.count(peer))
        {
            phase1[peer] = e["start_s"].get<double>();
        }
        else if (e["exchange"] == "quick" && phase1.count(peer) && !setup.count(peer))
        {
            setup[peer] = {phase1[peer], e["end_s"].get<double>()};
        }
    }
    double first = 1e300, last = 0, sum = 0;
    for (const auto& [peer, se] : setup)
    {
        first = std::min(first, se.first);
        last = std::max(last, se.second);
        sum += se.second - se.first;
    }
    const size_t n = setup.size();
    nlohmann::json f = {{"peers", peers}, {"completed", n}};
    f["setups_per_s"] = n && last > first ? Round(n / (last - first), 2) : 0.0;
    f["mean_setup_ms"] = n ? Round(1e3 * sum / n, 3) : 0.0;
    f["span_s"] = n ? Round(last - first, 6) : 0.0;
    return f;
}

bool
ScenarioSweepRunner::FirstOfItsConfiguration(const std::vector<Ladder>& ladders, size_t index)
{
    // once per configuration and seed, whatever the packet size or number of tunnels
    for (size_t k = 0; k < index; ++k)
    {
        if (ladders[k].configuration == ladders[index].configuration &&
            ladders[k].seed == ladders[index].seed)
        {
            return false;
        }
    }
    return true;
}

nlohmann::json
ScenarioSweepRunner::RunIkeSetups(const Ladder& l, const std::filesystem::path& out) const
{
    const ScenarioSweepConfiguration& c = m_s.sweep->configurations[l.configuration];
    Scenario s = IkeSetupScenario(m_s, c);
    s.seed = l.seed;
    ScenarioRunner runner(s);
    runner.Build();
    ScenarioRunner::Options o;
    o.outDir =
        (out / "runs" / (LadderLabel(l).substr(0, LadderLabel(l).rfind('_')) + "_ike-setups"))
            .string();
    o.pcaps = false;
    o.report = false;
    o.netanim = false;
    const nlohmann::json r = runner.Run(o);
    nlohmann::json f =
        IkeSetupFigures(r, m_s.nodes[m_s.sweep->measure].name, m_s.sweep->ikeSetups->peers);
    f["configuration"] = c.name;
    f["seed"] = l.seed;
    f["run"] = std::filesystem::relative(o.outDir, out).string();
    return f;
}

nlohmann::json
ScenarioSweepRunner::MergeIkeSetups(const std::filesystem::path& out,
                                    const std::vector<Ladder>& ladders, PlotWriter& writer,
                                    nlohmann::json& plots) const
{
    // configuration -> the figures of each seed, in the order of the configurations
    std::vector<std::string> order;
    std::map<std::string, std::vector<nlohmann::json>> bySeed;
    for (size_t k = 0; k < ladders.size(); ++k)
    {
        std::ifstream in(out / "ladders" / (std::to_string(k) + ".json"));
        const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
        if (j.is_discarded() || !j.contains("ike_setups"))
        {
            continue;
        }
        const std::string name = j["ike_setups"]["configuration"];
        if (!bySeed.count(name))
        {
            order.push_back(name);
        }
        bySeed[name].push_back(j["ike_setups"]);
    }
    nlohmann::json table = nlohmann::json::array();
    std::ofstream csv(out / "ike-setups.csv");
    csv << "configuration,peers,seeds,completed,setups_per_s,mean_setup_ms\n";
    Gnuplot plot("ike-setups.png");
    plot.SetTerminal("png size 1000,700");
    plot.SetTitle(m_s.name + "\\nIKE setups per second (main mode + quick mode), " +
                  std::to_string(m_s.sweep->ikeSetups->peers) + " peers at once");
    plot.SetLegend("", "setups per second");
    // One point per configuration, its value beside it; a logarithmic axis, since a card may
    // set up a hundred times more than a small router's CPU.
    std::string extra = "set key off\nset grid y\nset logscale y\nset offsets 0.5, 0.5, 0, 0\n";
    std::string tics = "set xtics rotate by -20 (";
    Gnuplot2dDataset bars("setups/s");
    bars.SetStyle(Gnuplot2dDataset::POINTS);
    bars.SetExtra("pointtype 7 pointsize 2");
    for (size_t i = 0; i < order.size(); ++i)
    {
        const auto& runs = bySeed[order[i]];
        double rate = 0, mean = 0, completed = 0;
        for (const auto& f : runs)
        {
            rate += f["setups_per_s"].get<double>() / runs.size();
            mean += f["mean_setup_ms"].get<double>() / runs.size();
            completed += f["completed"].get<double>() / runs.size();
        }
        nlohmann::json row = {{"configuration", order[i]},
                              {"peers", m_s.sweep->ikeSetups->peers},
                              {"seeds", runs.size()},
                              {"completed", Round(completed, 2)},
                              {"setups_per_s", Round(rate, 2)},
                              {"mean_setup_ms", Round(mean, 3)},
                              {"runs", runs}};
        table.push_back(row);
        csv << "\"" << order[i] << "\"," << m_s.sweep->ikeSetups->peers << "," << runs.size() << ","
            << row["completed"] << "," << row["setups_per_s"] << "," << row["mean_setup_ms"]
            << "\n";
        bars.Add(static_cast<double>(i), std::max(rate, 1e-3));
        tics += (i ? ", \"" : "\"") + order[i] + "\" " + std::to_string(i);
        std::ostringstream label;
        label << "set label \"" << Round(rate, 2) << "\" at " << i << ", " << std::max(rate, 1e-3)
              << " offset 1.5, 0\n";
        extra += label.str();
    }
    if (!order.empty())
    {
        plot.AppendExtra(extra + tics + ")");
        plot.AddDataset(bars);
        nlohmann::json p = {{"figure", "ike_setups_per_s"}, {"script", "ike-setups.plt"}};
        if (writer.Write(plot, "ike-setups"))
        {
            p["png"] = "ike-setups.png";
        }
        plots.push_back(p);
    }
    return table;
}

} // namespace ns3
