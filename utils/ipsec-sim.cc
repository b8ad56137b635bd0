// ipsec-sim: run a scenario file (topology, IOS configurations, traffic, events) and leave its
// outputs in a folder. Without a scenario it runs the built-in default (scenarios/default/):
// the spec's example configuration between two LANs, keyed by hand.
//
//   ipsec-sim [SCENARIO.json] [--out DIR] [--seed N] [--run N] [--check] [--strict]
//             [--configuration NAME]... [--size N|imix]...
//   ipsec-sim sweep SWEEP.json [--out DIR] [--jobs N | --plan | --ladder K | --merge]
//   ipsec-sim console [SCENARIO.json] [--out DIR] [--seed N] [--run N]
//   ipsec-sim import DIR [-o SCENARIO_DIR]   (a folder of router configurations -> a scenario)
//
// `console` gives a router prompt over the running scenario (scenario/ios-console.h): time
// advances when the user types `run N`; the outputs are written at `exit`.
//
// A scenario with a "sweep" runs once per configuration, packet size and load (each point in
// DIR/runs/) and writes the table (results.json, sweep.csv) and plots (throughput-SIZE.png).
//
// A scenario with faults is rejected before the run: each fault is printed with the JSON
// Pointer of the value that caused it, the exit status is 2 and nothing is written. A run writes
// into a hidden folder beside the output folder and moves its files into place at the end, so a
// run that fails leaves no results.json, show/ or pcaps behind.
#include "ns3/ios-console.h"
#include "ns3/scenario-import.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario-sweep.h"
#include "ns3/scenario.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>

using namespace ns3;

namespace
{
const char* const kUsage =
    "usage: ipsec-sim [SCENARIO.json] [--out DIR] [--seed N] [--run N] [--check] [--strict]\n"
    "                 [--quiet]\n"
    "       ipsec-sim console [SCENARIO.json] [--out DIR] [--seed N] [--run N]\n"
    "       ipsec-sim import DIR [-o SCENARIO_DIR]   (doc/import.md)\n"
    "\n"
    "  SCENARIO.json  the scenario (doc/scenario-format.md); none: the built-in default,\n"
    "                 the same as scenarios/default/scenario.json\n"
    "  --out DIR      where results.json, the pcaps, esp_sa.uat and show/ go\n"
    "                 (default: out/NAME, NAME from the scenario file or \"default\")\n"
    "  --seed N       ns-3 seed (RngSeedManager::SetSeed), overriding the file's \"seed\"\n"
    "  --run N        ns-3 run number (RngSeedManager::SetRun), overriding the file's \"run\"\n"
    "  console        a router prompt (R1#) over the running scenario: show, clear, ping,\n"
    "                 debug crypto isakmp|ipsec|ikev2, configure terminal, run N, switch NAME\n"
    "  --check        check the scenario and build it, run nothing, write nothing\n"
    "  --strict       a configuration command the simulation does not model is an error\n"
    "                 (without it such commands are read, listed in results.json and\n"
    "                 counted in one line per router on stderr)\n"
    "  --quiet        no summary on stdout and no progress line\n"
    "  --no-pcaps     write no pcaps (large networks: one per link end)\n"
    "  --no-plots     draw no plots and write no report.html or NetAnim trace\n"
    "  --configuration NAME, --size N|imix\n"
    "                 a sweep: only these configurations / packet sizes (repeatable)\n"
    "  sweep          (before the file) the scenario must have a \"sweep\"\n"
    "  --jobs N       a sweep: N processes at a time (default: the machine's cores)\n"
    "  --plan         a sweep: write jobs.txt (GNU parallel) and sweep.sbatch (Slurm job\n"
    "                 array) into DIR, run nothing\n"
    "  --ladder K     a sweep: run only ladder K (what a job of the plan does)\n"
    "  --merge        a sweep: merge the ladders' results in DIR into the table and plots\n"
    "\n"
    "Exit status: 0 done, 2 bad arguments, a bad scenario or an output folder that cannot be\n"
    "written (nothing written), 1 a failure during the run (nothing written: the outputs go\n"
    "to a hidden folder beside DIR and move into DIR only when the run is complete).\n";

std::optional<uint64_t>
ParseCount(const std::string& s)
{
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 19)
    {
        return std::nullopt;
    }
    const uint64_t v = std::stoull(s);
    return v == 0 ? std::nullopt : std::optional<uint64_t>(v);
}

std::string
DefaultOut(const std::string& scenarioFile)
{
    if (scenarioFile.empty())
    {
        return "out/default";
    }
    std::filesystem::path p(scenarioFile);
    std::string stem = p.stem().string();
    // scenarios/NAME/scenario.json -> out/NAME
    if (stem == "scenario" && p.has_parent_path())
    {
        const std::string dir =
            std::filesystem::absolute(p).lexically_normal().parent_path().filename().string();
        if (!dir.empty())
        {
            stem = dir;
        }
    }
    return "out/" + stem;
}

std::string
Ms(const nlohmann::json& seconds)
{
    if (seconds.is_null())
    {
        return "-";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.2f ms", seconds.get<double>() * 1e3);
    return buf;
}

/**
 * The output folder of a run: the runner writes into a hidden staging folder beside it
 * (".NAME.partial-PID"), which moves into place only when the run has finished. A run that
 * fails, or a folder that cannot be written, leaves nothing that looks like a result.
 */
class OutputFolder
{
public:
    explicit OutputFolder(const std::string& dir) : m_dir(dir)
    {
        namespace fs = std::filesystem;
        fs::path d = fs::path(dir).lexically_normal();
        if (!d.has_filename() && d.has_parent_path())
        {
            d = d.parent_path(); // "out/x/" -> "out/x"
        }
        m_final = d;
        const std::string name = d.filename().string();
        m_staging =
            d.parent_path() /
            ("." + (name.empty() || name == "." || name == ".." ? std::string("out") : name) +
             ".partial-" + std::to_string(getpid()));
    }

    ~OutputFolder()
    {
        if (m_prepared && !m_published)
        {
            std::error_code ec;
            std::filesystem::remove_all(m_staging, ec);
        }
    }

    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    /** Create the staging folder. @return an empty string, or why the folder cannot be written */
    std::string Prepare()
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (fs::exists(m_final, ec) && !fs::is_directory(m_final, ec))
        {
            return "it exists and is not a folder";
        }
        if (m_staging.has_parent_path())
        {
            fs::create_directories(m_staging.parent_path(), ec);
            if (ec)
            {
                return "cannot create '" + m_staging.parent_path().string() + "': " + ec.message();
            }
        }
        fs::remove_all(m_staging, ec);
        if (!fs::create_directory(m_staging, ec) || ec)
        {
            return "cannot create a folder in '" +
                   (m_staging.has_parent_path() ? m_staging.parent_path().string() : ".") +
                   "': " + (ec ? ec.message() : "it exists");
        }
        m_prepared = true;
        return "";
    }

    /** @return where the runner writes */
    std::string Staging() const
    {
        return m_staging.string();
    }

    /**
     * Move what the run wrote into the output folder (files of an earlier run with the same
     * names are replaced, others left alone); results.json goes last.
     * @return an empty string, or what failed
     */
    std::string Publish()
    {
        namespace fs = std::filesystem;
        std::error_code ec;
        fs::create_directories(m_final, ec);
        if (ec)
        {
            return "cannot create '" + m_dir + "': " + ec.message();
        }
        fs::remove(m_final / "results.json", ec);
        std::vector<fs::path> entries;
        for (const auto& e : fs::directory_iterator(m_staging, ec))
        {
            if (e.path().filename() != "results.json")
            {
                entries.push_back(e.path());
            }
        }
        if (fs::exists(m_staging / "results.json"))
        {
            entries.push_back(m_staging / "results.json");
        }
        for (const auto& from : entries)
        {
            const fs::path to = m_final / from.filename();
            fs::remove_all(to, ec);
            fs::rename(from, to, ec);
            if (ec)
            {
                return "cannot move '" + from.string() + "' to '" + to.string() +
                       "': " + ec.message();
            }
        }
        fs::remove_all(m_staging, ec);
        m_published = true;
        return "";
    }

private:
    std::string m_dir;               //!< as given
    std::filesystem::path m_final;   //!< the output folder
    std::filesystem::path m_staging; //!< where the runner writes
    bool m_prepared = false;         //!< the staging folder exists
    bool m_published = false;        //!< moved into place
};

/** What the command line asks for. */
struct CommandLine
{
    std::string scenarioFile; //!< empty: the built-in default
    std::optional<std::string> out;
    std::optional<uint64_t> seed, run;
    bool check = false;
    bool strict = false;
    bool quiet = false;
    bool pcaps = true;    // --no-pcaps
    bool pictures = true; // --no-plots: no PNG plots, report.html or NetAnim trace
    bool console = false;
    bool sweepCommand = false;
    bool plan = false;
    bool merge = false;
    std::optional<uint64_t> ladder;
    std::optional<uint64_t> jobs;
    std::vector<std::string> onlyConfigurations;
    std::vector<uint32_t> onlySizes;

    std::string OutDir() const
    {
        return out.value_or(DefaultOut(scenarioFile));
    }
};

/** Reads the arguments one by one into a CommandLine. */
class CommandLineParser
{
public:
    CommandLineParser(int argc, char* argv[], CommandLine& cl)
        : m_argc(argc), m_argv(argv), m_cl(cl)
    {
    }

    /** @return an exit status when the program ends here (help, bad arguments) */
    std::optional<int> Parse()
    {
        for (m_i = 1; m_i < m_argc; ++m_i)
        {
            m_a = m_argv[m_i];
            m_hasValue = false;
            if (m_a.rfind("--", 0) == 0 && m_a.find('=') != std::string::npos)
            {
                m_value = m_a.substr(m_a.find('=') + 1);
                m_a = m_a.substr(0, m_a.find('='));
                m_hasValue = true;
            }
            if (auto status = ParseOne())
            {
                return status;
            }
        }
        return std::nullopt;
    }

private:
    /** The option's value: after '=' or the next argument. */
    std::optional<std::string> Next(const char* what)
    {
        if (m_hasValue)
        {
            return m_value;
        }
        if (m_i + 1 >= m_argc)
        {
            std::cerr << "ipsec-sim: " << m_a << " needs " << what << "\n" << kUsage;
            return std::nullopt;
        }
        return std::string(m_argv[++m_i]);
    }

    std::optional<int> ParseOne()
    {
        const std::string& a = m_a;
        if (a == "-h" || a == "--help")
        {
            std::cout << kUsage;
            return 0;
        }
        if (a == "--configuration" || a == "--size")
        {
            return ParseSweepFilter();
        }
        if (a == "--out" || a == "--seed" || a == "--run")
        {
            return ParseRunValue();
        }
        if (ParseFlag())
        {
            return std::nullopt;
        }
        if (a == "--ladder" || a == "--jobs")
        {
            return ParseSweepNumber();
        }
        return ParseWord();
    }

    /** --configuration NAME, --size N|imix */
    std::optional<int> ParseSweepFilter()
    {
        if (m_a == "--configuration")
        {
            auto v = Next("a configuration name");
            if (!v)
            {
                return 2;
            }
            m_cl.onlyConfigurations.push_back(*v);
            return std::nullopt;
        }
        auto v = Next("an IP packet size or imix");
        if (!v)
        {
            return 2;
        }
        auto n = ParseCount(*v);
        if (*v != "imix" && (!n || *n > 1500))
        {
            std::cerr << "ipsec-sim: --size takes an IP packet size up to 1500 or imix, not '" << *v
                      << "'\n";
            return 2;
        }
        m_cl.onlySizes.push_back(*v == "imix" ? 0 : static_cast<uint32_t>(*n));
        return std::nullopt;
    }

    /** --out DIR, --seed N, --run N */
    std::optional<int> ParseRunValue()
    {
        const std::string& a = m_a;
        if (a == "--out")
        {
            auto v = Next("a folder");
            if (!v || v->empty())
            {
                return 2;
            }
            m_cl.out = *v;
            return std::nullopt;
        }
        auto v = Next("a number");
        if (!v)
        {
            return 2;
        }
        auto n = ParseCount(*v);
        if (!n || (a == "--seed" && *n > 0xffffffffULL))
        {
            std::cerr << "ipsec-sim: " << a << " takes a whole number from 1"
                      << (a == "--seed" ? " to 4294967295" : "") << ", not '" << *v << "'\n";
            return 2;
        }
        (a == "--seed" ? m_cl.seed : m_cl.run) = n;
        return std::nullopt;
    }

    /** The options without a value, and the `console` and `sweep` commands. */
    bool ParseFlag()
    {
        const std::string& a = m_a;
        const bool command = m_cl.scenarioFile.empty() && !m_cl.console && !m_cl.sweepCommand;
        bool* flag = nullptr;
        bool to = true;
        if (a == "--check" && !m_hasValue)
        {
            flag = &m_cl.check;
        }
        else if (a == "--strict" && !m_hasValue)
        {
            flag = &m_cl.strict;
        }
        else if (a == "--quiet" && !m_hasValue)
        {
            flag = &m_cl.quiet;
        }
        else if (a == "--no-pcaps" && !m_hasValue)
        {
            flag = &m_cl.pcaps;
            to = false;
        }
        else if (a == "--no-plots" && !m_hasValue)
        {
            flag = &m_cl.pictures;
            to = false;
        }
        else if (a == "console" && command)
        {
            flag = &m_cl.console;
        }
        else if (a == "sweep" && command)
        {
            flag = &m_cl.sweepCommand;
        }
        else if (a == "--plan")
        {
            flag = &m_cl.plan;
        }
        else if (a == "--merge")
        {
            flag = &m_cl.merge;
        }
        if (flag)
        {
            *flag = to;
        }
        return flag != nullptr;
    }

    /** --ladder K, --jobs N */
    std::optional<int> ParseSweepNumber()
    {
        const std::string& a = m_a;
        auto v = Next(a == "--ladder" ? "a ladder number" : "a number of processes");
        if (!v)
        {
            return 2;
        }
        std::optional<uint64_t> n =
            (a == "--ladder" && *v == "0") ? std::optional<uint64_t>(0) : ParseCount(*v);
        if (!n || *n > 100000)
        {
            std::cerr << "ipsec-sim: " << a << " takes a number, not '" << *v << "'\n";
            return 2;
        }
        (a == "--ladder" ? m_cl.ladder : m_cl.jobs) = n;
        return std::nullopt;
    }

    /** An unknown option, or the scenario file. */
    std::optional<int> ParseWord()
    {
        const std::string& a = m_a;
        if (a.rfind("-", 0) == 0 && a != "-")
        {
            std::cerr << "ipsec-sim: unknown option '" << m_argv[m_i] << "'\n" << kUsage;
            return 2;
        }
        if (!m_cl.scenarioFile.empty())
        {
            std::cerr << "ipsec-sim: one scenario at a time ('" << m_cl.scenarioFile << "' and '"
                      << a << "')\n";
            return 2;
        }
        m_cl.scenarioFile = a;
        return std::nullopt;
    }

    int m_argc;
    char** m_argv;
    CommandLine& m_cl;
    int m_i = 1;
    std::string m_a;     //!< the option (without "=VALUE")
    std::string m_value; //!< VALUE of "--option=VALUE"
    bool m_hasValue = false;
};

/**
 * Load the scenario (--seed and --run applied), print its warnings and build it: a sweep
 * builds the first point of each configuration, so the scenario's faults show before anything
 * runs. @return an exit status when the program ends here
 */
/**
 * The configuration commands each router reads but the simulation does not model: one line per
 * router on stderr, or (--strict) an error at the first of them.
 * @return false if --strict refuses the scenario
 */
bool
ReportNotModelled(const CommandLine& cl, const Scenario& s)
{
    bool refused = false;
    for (const auto& n : s.nodes)
    {
        const auto& list = n.config.notModelled;
        if (!n.IsRouter() || list.empty())
        {
            continue;
        }
        const IosLocation& first = list.front();
        const std::string count = std::to_string(list.size()) + " command" +
                                  (list.size() == 1 ? "" : "s") + " not modelled";
        if (cl.strict)
        {
            const size_t column = first.text.find_first_not_of(" \t");
            const IosConfigError e(first, column == std::string::npos ? 0 : column,
                                   "% Not modelled by the simulation (--strict): " + count +
                                       " in this configuration, this is the first");
            std::cerr << "ipsec-sim: router " << n.name << ": " << e.what() << "\n";
            refused = true;
        }
        else if (!cl.quiet)
        {
            const size_t start = first.text.find_first_not_of(" \t");
            std::cerr << first.file << ": " << count << " (listed in results.json); first: line "
                      << first.line << " `"
                      << first.text.substr(start == std::string::npos ? 0 : start) << "`\n";
        }
    }
    return !refused;
}

std::optional<int>
LoadAndBuild(const CommandLine& cl, Scenario& s, std::optional<ScenarioRunner>& runner)
{
    try
    {
        s = cl.scenarioFile.empty() ? ScenarioLoader::LoadDefault()
                                    : ScenarioLoader::LoadFile(cl.scenarioFile);
        if (cl.seed)
        {
            s.seed = static_cast<uint32_t>(*cl.seed);
        }
        if (cl.run)
        {
            s.run = *cl.run;
        }
        for (const auto& w : s.warnings)
        {
            std::cerr << w.Format(s.file) << "\n";
        }
        if (!ReportNotModelled(cl, s))
        {
            return 2;
        }
        if (!s.sweep)
        {
            runner.emplace(s);
            runner->Build();
            return std::nullopt;
        }
        const auto& sw = *s.sweep;
        for (const auto& c : cl.onlyConfigurations)
        {
            if (std::none_of(sw.configurations.begin(), sw.configurations.end(),
                             [&c](const ScenarioSweepConfiguration& x) { return x.name == c; }))
            {
                std::cerr << "ipsec-sim: the sweep has no configuration '" << c << "'\n";
                return 2;
            }
        }
        for (const auto& c : sw.configurations)
        {
            ScenarioRunner(
                ScenarioSweepRunner::PointScenario(s, c, sw.sizes.front(), sw.loads.front()))
                .Build();
            Simulator::Destroy();
        }
    }
    catch (const ScenarioError& e)
    {
        std::cerr << e.what() << "\n";
        const size_t n = e.Issues().size();
        std::cerr << e.File() << ": " << n << (n == 1 ? " error" : " errors")
                  << "; nothing was run\n";
        return 2;
    }
    return std::nullopt;
}

/** Options that do not go with this scenario. @return 2 when there are any */
std::optional<int>
CheckModes(const CommandLine& cl, const Scenario& s)
{
    if (cl.sweepCommand && !s.sweep)
    {
        std::cerr << "ipsec-sim: " << s.file << " has no \"sweep\" (doc/scenario-format.md)\n";
        return 2;
    }
    if ((cl.plan || cl.merge || cl.ladder || cl.jobs) && !s.sweep)
    {
        std::cerr << "ipsec-sim: --jobs, --plan, --ladder and --merge are for sweeps\n";
        return 2;
    }
    if (int(cl.plan) + int(cl.merge) + int(cl.ladder.has_value()) > 1)
    {
        std::cerr << "ipsec-sim: one of --plan, --ladder and --merge at a time\n";
        return 2;
    }
    if (cl.console && (s.sweep || s.HasExternal()))
    {
        std::cerr << "ipsec-sim: the console runs one simulated scenario (no sweep, no "
                     "external node)\n";
        return 2;
    }
    return std::nullopt;
}

void
PrintSweepSummary(const Scenario& s, const nlohmann::json& r, const std::string& outDir)
{
    std::cout << s.name << ": " << r["sweep"]["runs"].size() << " runs in " << r["sweep"]["ladders"]
              << " ladders\n";
    for (const auto& k : r["sweep"]["knees"])
    {
        std::cout << "  " << k["configuration"].get<std::string>() << ", "
                  << k["size"].get<std::string>() << ": carries up to " << k["max_throughput_mbps"]
                  << " Mbit/s";
        if (!k["knee_load_mbps"].is_null())
        {
            std::cout << " (falls behind at " << k["knee_load_mbps"] << " Mbit/s offered)";
        }
        std::cout << "\n";
    }
    for (const auto& k : r["sweep"].value("ike_setups", nlohmann::json::array()))
    {
        std::cout << "  " << k["configuration"].get<std::string>() << ": " << k["setups_per_s"]
                  << " IKE setups/s (main mode + quick mode; " << k["completed"] << " of "
                  << k["peers"] << " peers at once, " << k["mean_setup_ms"] << " ms each)\n";
    }
    std::cout << "wrote " << outDir << "/: results.json, sweep.csv, " << r["sweep"]["plots"].size()
              << " plots, runs/\n";
}

/** A sweep: all of it, one ladder, its plan or the merge of its ladders. */
int
RunSweep(const CommandLine& cl, const Scenario& s)
{
    ScenarioSweepRunner::Options so;
    so.outDir = cl.OutDir();
    so.progress = !cl.quiet;
    so.configurations = cl.onlyConfigurations;
    so.sizes = cl.onlySizes;
    so.jobs =
        static_cast<unsigned>(cl.jobs.value_or(std::max(1u, std::thread::hardware_concurrency())));
    so.program = std::filesystem::read_symlink("/proc/self/exe").string();
    nlohmann::json r;
    try
    {
        ScenarioSweepRunner sweep(s);
        if (cl.plan)
        {
            nlohmann::json p = sweep.WritePlan(so);
            if (!cl.quiet)
            {
                std::cout << s.name << ": " << p["ladders"] << " ladders\n"
                          << "  GNU parallel: parallel < " << so.outDir << "/jobs.txt\n"
                          << "  Slurm:        sbatch " << so.outDir << "/sweep.sbatch\n"
                          << "then: ipsec-sim sweep " << s.file << " --out " << so.outDir
                          << " --merge\n";
            }
            return 0;
        }
        if (cl.ladder)
        {
            so.progress = false;
            sweep.RunLadder(static_cast<size_t>(*cl.ladder), so);
            return 0;
        }
        r = cl.merge ? sweep.Merge(so) : sweep.Run(so);
    }
    catch (const std::exception& e)
    {
        std::cerr << "ipsec-sim: the sweep failed: " << e.what() << "\n";
        return 1;
    }
    if (!cl.quiet)
    {
        PrintSweepSummary(s, r, so.outDir);
    }
    return 0;
}

/** Run @p work, then move the outputs into place; a failure leaves nothing written. */
bool
Complete(OutputFolder& folder, const std::function<void()>& work)
{
    try
    {
        work();
    }
    catch (const std::exception& e)
    {
        std::cerr << "ipsec-sim: the run failed: " << e.what() << "; nothing was written\n";
        return false;
    }
    if (const std::string why = folder.Publish(); !why.empty())
    {
        std::cerr << "ipsec-sim: " << why << "\n";
        return false;
    }
    return true;
}

void
PrintRunSummary(const Scenario& s, const nlohmann::json& r, const std::string& outDir)
{
    std::cout << s.name << " (seed " << s.seed << ", run " << s.run << ", "
              << s.duration.GetSeconds() << " s)\n";
    if (r["scenario"].value("ike_identifiers", "") == "per run")
    {
        std::cout << "  IKE cookies and SPIs differ from run to run (a real peer, the external "
                     "node, remembers them); the seed drives everything else\n";
    }
    for (const auto& f : r["flows"])
    {
        std::cout << "  " << f["kind"].get<std::string>() << " " << f["from"].get<std::string>()
                  << " -> " << f["to"].get<std::string>();
        if (f.contains("port"))
        {
            std::cout << ":" << f["port"];
        }
        std::cout << "  sent " << f["sent"] << ", received " << f["received"] << ", lost "
                  << f["lost"] << ", " << f["delay"].get<std::string>() << " delay mean "
                  << Ms(f["mean_delay_s"]) << ", max " << Ms(f["max_delay_s"]) << "\n";
    }
    for (const auto& [name, n] : r["nodes"].items())
    {
        if (n["kind"] != "router")
        {
            continue;
        }
        const auto& rep = n["report"];
        std::cout << "  " << name << ": " << rep.value("encapsulated", 0)
                  << " packets encapsulated, " << rep.value("decapsulated", 0) << " decapsulated";
        if (rep.contains("drops") && !rep["drops"].empty())
        {
            std::cout << ", drops " << rep["drops"].dump();
        }
        if (rep.contains("not_modelled") && !rep["not_modelled"].empty())
        {
            std::cout << "; " << rep["not_modelled"].size()
                      << " configuration lines read but not modelled (results.json)";
        }
        std::cout << "\n";
    }
    std::cout << "wrote " << outDir << "/: results.json, esp_sa.uat, show/, " << r["pcaps"].size()
              << " pcaps\n";
}

/** One scenario: run to its end, or step by step at the console. */
int
RunScenario(const CommandLine& cl, const Scenario& s, ScenarioRunner& runner)
{
    const std::string outDir = cl.OutDir();
    OutputFolder folder(outDir);
    if (const std::string why = folder.Prepare(); !why.empty())
    {
        std::cerr << "ipsec-sim: --out " << outDir << ": " << why << "; nothing was run\n";
        return 2;
    }
    ScenarioRunner::Options opt;
    opt.outDir = folder.Staging();
    opt.pcaps = cl.pcaps;
    opt.report = opt.netanim = cl.pictures;
    if (cl.console)
    {
        if (!Complete(folder,
                      [&]
                      {
                          runner.Start(opt);
                          IosConsole(runner, std::cin, std::cout, !isatty(STDIN_FILENO)).Loop();
                          runner.Finish();
                      }))
        {
            return 1;
        }
        std::cout << "wrote " << outDir << "/: results.json, pcaps, show/\n";
        return 0;
    }
    opt.progress = !cl.quiet && isatty(STDERR_FILENO);
    nlohmann::json r;
    if (!Complete(folder, [&] { r = runner.Run(opt); }))
    {
        return 1;
    }
    if (!cl.quiet)
    {
        PrintRunSummary(s, r, outDir);
    }
    return 0;
}
} // namespace

int
main(int argc, char* argv[])
{
    if (argc >= 2 && std::string(argv[1]) == "import")
    {
        return ImportCommand(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
    }
    CommandLine cl;
    if (auto status = CommandLineParser(argc, argv, cl).Parse())
    {
        return *status;
    }
    Scenario s;
    std::optional<ScenarioRunner> runner;
    if (auto status = LoadAndBuild(cl, s, runner))
    {
        return *status;
    }
    if (cl.check)
    {
        if (!cl.quiet)
        {
            std::cout << s.file << ": OK (" << s.nodes.size() << " nodes, " << s.links.size()
                      << " links, " << s.traffic.size() << " flows, " << s.events.size()
                      << " events)\n";
        }
        return 0;
    }
    if (auto status = CheckModes(cl, s))
    {
        return *status;
    }
    return s.sweep ? RunSweep(cl, s) : RunScenario(cl, s, *runner);
}
