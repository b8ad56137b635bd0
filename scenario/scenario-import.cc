// Import: the stages in order, the scenario they make (scenario.json, the configurations, a
// README.md of everything guessed), its check by the scenario loader, and the writing of it.
#include "ns3/scenario-import.h"

#include "scenario-import-impl.h"

#include "ns3/log.h"
#include "ns3/results-json.h"
#include "ns3/scenario.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ScenarioImport");

using namespace import_detail;
namespace fs = std::filesystem;

namespace
{

// The traffic plan: pings start IKE from the side that initiates, a quarter second apart so
// that no two main modes between the same routers cross; the UDP flows then run over SAs that
// are up, and the routers show their SAs at the end.
constexpr double kPingStart = 1;
constexpr double kPingGap = 0.25;
constexpr double kFlowSeconds = 6;

struct TrafficPlan
{
    double lastPing = kPingStart;
    double flowStart = 4;
    double FlowStop() const
    {
        return flowStart + kFlowSeconds;
    }
    double ShowAt() const
    {
        return FlowStop() + 1;
    }
    double Duration() const
    {
        return FlowStop() + 2;
    }
};

/** "isp-sites" for "isp-sites", "isp-sites/" and "configs/isp-sites/." */
std::string
FolderName(const std::string& dir)
{
    const std::string name = fs::absolute(fs::path(dir)).lexically_normal().filename().string();
    if (!name.empty())
    {
        return name;
    }
    return fs::absolute(fs::path(dir)).lexically_normal().parent_path().filename().string();
}

nlohmann::json
NodesJson(const ImportNetwork& n)
{
    nlohmann::json nodes = nlohmann::json::array();
    for (const auto& r : n.routers)
    {
        nodes.push_back({{"name", r.name}, {"config", r.configFile}});
    }
    for (const auto& h : n.hosts)
    {
        nodes.push_back(
            {{"name", h.name},
             {"kind", "host"},
             {"address", Addr(h.address) + "/" + std::to_string(h.mask.GetPrefixLength())},
             {"gateway", Addr(h.gateway)}});
    }
    return nodes;
}

std::string
End(const ImportNetwork& n, const ImportEnd& e)
{
    return n.routers[e.router].name + ":" + e.interface;
}

nlohmann::json
LinksJson(ImportNetwork& n)
{
    nlohmann::json links = nlohmann::json::array();
    for (const auto& s : n.subnets)
    {
        if (s.ends.size() < 2)
        {
            continue;
        }
        if (s.medium == ImportMedium::OTHER ||
            (s.medium == ImportMedium::SERIAL && s.ends.size() > 2))
        {
            n.warnings.push_back(Prefix(s.network, s.mask) + ": " + std::to_string(s.ends.size()) +
                                 " interfaces a scenario link "
                                 "cannot join (" +
                                 End(n, s.ends[0]) + ", ...): not linked");
            continue;
        }
        const std::string kind =
            s.medium == ImportMedium::SERIAL
                ? "serial point-to-point line"
                : (s.ends.size() == 2 ? "Ethernet link of two" : "shared Ethernet segment");
        std::string names;
        for (size_t k = 1; k < s.ends.size(); ++k)
        {
            links.push_back({{"a", End(n, s.ends[0])}, {"b", End(n, s.ends[k])}});
            names += (k == 1 ? "" : ", ") + End(n, s.ends[k]);
        }
        n.guesses.push_back("link " + End(n, s.ends[0]) + " - " + names + ": " + kind + " on " +
                            Prefix(s.network, s.mask) + " (default rate and delay)");
    }
    for (const auto& h : n.hosts)
    {
        links.push_back(
            {{"a", h.name + ":eth0"}, {"b", n.routers[h.router].name + ":" + h.interface}});
    }
    return links;
}

nlohmann::json
TrafficJson(const ImportNetwork& n, TrafficPlan& plan)
{
    double at = kPingStart;
    nlohmann::json traffic = nlohmann::json::array();
    std::set<std::pair<size_t, size_t>> primed; // one side starts IKE: two would cross
    for (const auto& f : n.flows)
    {
        if (f.prime && primed.insert({std::min(f.from, f.to), std::max(f.from, f.to)}).second)
        {
            traffic.push_back({{"kind", "ping"},
                               {"from", n.hosts[f.from].name},
                               {"to", n.hosts[f.to].name},
                               {"count", 2},
                               {"start", at},
                               {"comment", "starts IKE before the flows"}});
            plan.lastPing = at;
            at += kPingGap;
        }
    }
    plan.flowStart = std::max(plan.flowStart, plan.lastPing + 2);
    for (const auto& f : n.flows)
    {
        traffic.push_back({{"kind", "udp"},
                           {"from", n.hosts[f.from].name},
                           {"to", n.hosts[f.to].name},
                           {"rate", "64kbps"},
                           {"size", 256},
                           {"start", plan.flowStart},
                           {"stop", plan.FlowStop()},
                           {"comment", f.why}});
    }
    return traffic;
}

nlohmann::json
EventsJson(const ImportNetwork& n, const TrafficPlan& plan)
{
    nlohmann::json events = nlohmann::json::array();
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        const auto& cfg = n.routers[r].cfg;
        bool tunnels = !cfg.cryptoMaps.empty();
        for (const auto& i : cfg.interfaces)
        {
            tunnels = tunnels || IsTunnel(i);
        }
        if (!tunnels)
        {
            continue;
        }
        for (const char* c : {"show crypto isakmp sa", "show crypto ipsec sa"})
        {
            events.push_back({{"at", plan.ShowAt()}, {"node", n.routers[r].name}, {"exec", c}});
        }
    }
    return events;
}

std::string
Readme(const ImportNetwork& n, const std::string& dir, const TrafficPlan& plan)
{
    std::ostringstream os;
    os << "# " << FolderName(dir) << ": imported router configurations\n\n"
       << "Written by `ipsec-sim import`. Run it with `ipsec-sim` and this folder's "
       << "`scenario.json`.\n\n## Routers\n\n| node | configuration | from |\n| --- | --- | --- "
       << "|\n";
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        const auto& rt = n.routers[r];
        os << "| " << rt.name << " | " << rt.configFile << " | "
           << (rt.source.empty() ? "invented: the provider between the sites" : rt.source)
           << " |\n";
    }
    os << "\n## What the import inferred or assumed\n\n";
    for (const auto& g : n.guesses)
    {
        os << "- " << g << "\n";
    }
    os << "- traffic: pings from " << kPingStart << " s to " << plan.lastPing
       << " s start IKE, the UDP flows run from " << plan.flowStart << " s to " << plan.FlowStop()
       << " s at 64 kbit/s, each router with crypto shows its SAs at " << plan.ShowAt()
       << " s (show/NODE.txt)\n";
    if (!n.warnings.empty())
    {
        os << "\n## What will probably not work\n\n";
        for (const auto& w : n.warnings)
        {
            os << "- " << w << "\n";
        }
    }
    return os.str();
}

/** The scenario, as the loader reads it, from the files in memory. */
void
CheckLoads(const ImportedScenario& s, const std::string& dir)
{
    auto reader = [&s](const std::string& path) -> std::optional<std::string>
    {
        const std::string name = fs::path(path).filename().string();
        for (const auto& [f, text] : s.files)
        {
            if (f == name)
            {
                return text;
            }
        }
        return std::nullopt;
    };
    try
    {
        ScenarioLoader::LoadString(s.scenario.dump(), "scenario.json", ".", reader);
    }
    catch (const ScenarioError& e)
    {
        throw ScenarioImportError(dir + ": the scenario inferred from it does not load:\n" +
                                  e.what());
    }
}

} // namespace

ImportedScenario
ScenarioImporter::Import(const std::string& dir)
{
    NS_LOG_FUNCTION(dir);
    ImportNetwork n;
    n.routers = ReadRouters(dir);
    for (const auto& r : n.routers)
    {
        if (r.name != r.cfg.hostname)
        {
            n.guesses.push_back(r.source + " has no hostname line: router named " + r.name +
                                " after the file");
        }
    }
    const size_t exported = n.routers.size();
    GroupSubnets(n);
    InventProvider(n);
    PlaceHosts(n);
    InferTraffic(n);
    ImportedScenario s;
    TrafficPlan plan;
    nlohmann::json traffic = TrafficJson(n, plan);
    s.scenario = {{"name", FolderName(dir) + " (imported)"},
                  {"comment", "written by ipsec-sim import from the router configurations of " +
                                  FolderName(dir) +
                                  "; README.md lists what it inferred and assumed"},
                  {"duration", plan.Duration()},
                  {"seed", 1},
                  {"nodes", NodesJson(n)},
                  {"links", LinksJson(n)},
                  {"traffic", traffic},
                  {"events", EventsJson(n, plan)}};
    // Names first, then the provider, the links, the hosts and the traffic between them.
    auto rank = [](const std::string& g)
    {
        static const char* const order[] = {"provider ", "the provider ", "link ", "host ",
                                            "flow "};
        for (size_t k = 0; k < std::size(order); ++k)
        {
            if (g.rfind(order[k], 0) == 0)
            {
                return k + 1;
            }
        }
        return size_t{0};
    };
    std::stable_sort(n.guesses.begin(), n.guesses.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    for (const auto& r : n.routers)
    {
        s.files.emplace_back(r.configFile, r.text);
    }
    s.files.emplace_back("README.md", Readme(n, dir, plan));
    s.guesses = n.guesses;
    s.warnings = n.warnings;
    s.routers = exported;
    s.providerInvented = n.provider.has_value();
    CheckLoads(s, dir);
    return s;
}

std::string
ScenarioImporter::DefaultOutput(const std::string& dir)
{
    const std::string name = FolderName(dir);
    return (name.empty() ? std::string("imported") : name) + "-scenario";
}

void
ScenarioImporter::Write(const ImportedScenario& s, const std::string& outDir)
{
    NS_LOG_FUNCTION(outDir);
    std::error_code ec;
    const fs::path out(outDir);
    if (fs::exists(out, ec) && !(fs::is_directory(out, ec) && fs::is_empty(out, ec)))
    {
        throw ScenarioImportError(outDir + ": exists and is not an empty folder (give another "
                                           "with -o, or remove it)");
    }
    // Staged beside the destination and renamed into place: all or nothing.
    const fs::path stage =
        out.parent_path() / (out.filename().string() + ".import-" + std::to_string(getpid()));
    fs::remove_all(stage, ec);
    bool ok = fs::create_directories(stage, ec);
    if (ok)
    {
        WriteJsonFile(s.scenario, stage / "scenario.json", 2);
        ok = fs::file_size(stage / "scenario.json", ec) > 0 && !ec;
    }
    for (const auto& [name, text] : s.files)
    {
        std::ofstream f(stage / name, std::ios::binary);
        f << text;
        f.close();
        ok = ok && static_cast<bool>(f);
    }
    if (ok)
    {
        fs::remove(out, ec); // the empty folder, if there was one
        fs::rename(stage, out, ec);
        ok = !ec;
    }
    if (!ok)
    {
        fs::remove_all(stage, ec);
        throw ScenarioImportError(outDir + ": cannot be written");
    }
}

int
ImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    const char* usage = "usage: ipsec-sim import DIR [-o SCENARIO_DIR]\n";
    std::string dir;
    std::string outDir;
    for (size_t k = 0; k < args.size(); ++k)
    {
        if ((args[k] == "-o" || args[k] == "--out") && k + 1 < args.size())
        {
            outDir = args[++k];
        }
        else if (args[k] == "-h" || args[k] == "--help")
        {
            out << usage;
            return 0;
        }
        else if (dir.empty() && !args[k].empty() && args[k][0] != '-')
        {
            dir = args[k];
        }
        else
        {
            err << "ipsec-sim import: unexpected '" << args[k] << "'\n" << usage;
            return 2;
        }
    }
    if (dir.empty())
    {
        err << "ipsec-sim import: which folder? (one router configuration per file)\n" << usage;
        return 2;
    }
    outDir = outDir.empty() ? ScenarioImporter::DefaultOutput(dir) : outDir;
    try
    {
        const ImportedScenario s = ScenarioImporter::Import(dir);
        for (const auto& g : s.guesses)
        {
            err << "import: guessed: " << g << "\n";
        }
        for (const auto& w : s.warnings)
        {
            err << "import: warning: " << w << "\n";
        }
        ScenarioImporter::Write(s, outDir);
        out << "wrote " << outDir << "/: " << s.routers << " routers from " << dir
            << (s.providerInvented ? " and an invented provider" : "") << ", "
            << s.scenario["nodes"].size() << " nodes, " << s.scenario["links"].size() << " links, "
            << s.scenario["traffic"].size() << " traffic entries (" << s.guesses.size()
            << " guesses listed in README.md)\nrun it: ipsec-sim " << outDir << "\n";
    }
    catch (const ScenarioImportError& e)
    {
        err << "ipsec-sim import: " << e.what() << "\n";
        return 2;
    }
    return 0;
}

} // namespace ns3
