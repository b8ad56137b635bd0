#include "ns3/scenario.h"

#include "ns3/calibration.h"

#include "ns3/ios-exec.h"

#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <regex>
#include <set>
#include <sstream>

namespace ns3
{

// --- issues ---------------------------------------------------------------------------------

std::string
ScenarioIssue::Format(const std::string& file) const
{
    std::string s = file + ": ";
    if (!pointer.empty())
    {
        s += pointer + ": ";
    }
    if (warning)
    {
        s += "warning: ";
    }
    if (!message.empty() && message.front() == '\n' && s.back() == ' ')
    {
        s.pop_back(); // a block (an IOS error with its '^') starts on a line of its own
    }
    return s + message;
}

namespace
{
std::string
JoinIssues(const std::string& file, const std::vector<ScenarioIssue>& issues)
{
    std::string s;
    for (const auto& i : issues)
    {
        s += (s.empty() ? "" : "\n") + i.Format(file);
    }
    return s;
}
} // namespace

ScenarioError::ScenarioError(const std::string& file, std::vector<ScenarioIssue> issues)
    : std::runtime_error(JoinIssues(file, issues)), m_file(file), m_issues(std::move(issues))
{
}

std::string
ToString(ScenarioLinkType t)
{
    return t == ScenarioLinkType::SERIAL ? "serial" : "ethernet";
}

std::string
ToString(ScenarioNodeKind k)
{
    switch (k)
    {
    case ScenarioNodeKind::ROUTER:
        return "router";
    case ScenarioNodeKind::HOST:
        return "host";
    case ScenarioNodeKind::EXTERNAL:
        return "external";
    }
    return "?";
}

std::string
ToString(ScenarioTrafficKind k)
{
    switch (k)
    {
    case ScenarioTrafficKind::UDP:
        return "udp";
    case ScenarioTrafficKind::PING:
        return "ping";
    case ScenarioTrafficKind::TCP:
        return "tcp";
    }
    return "?";
}

// --- values with units ----------------------------------------------------------------------

std::optional<Time>
ParseScenarioTime(const nlohmann::json& v)
{
    // ns-3 keeps time in 64-bit nanoseconds: beyond about 292 years a time does not fit, so
    // anything over a billion seconds (32 years) is refused rather than overflowing.
    constexpr double kMaxSeconds = 1e9;
    if (v.is_number())
    {
        const double s = v.get<double>();
        if (!std::isfinite(s) || std::fabs(s) > kMaxSeconds)
        {
            return std::nullopt;
        }
        return Seconds(s);
    }
    if (!v.is_string())
    {
        return std::nullopt;
    }
    static const std::regex re(
        R"(^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(h|min|s|ms|us|ns)?\s*$)");
    std::smatch m;
    const std::string s = v.get<std::string>();
    if (!std::regex_match(s, m, re))
    {
        return std::nullopt;
    }
    double x = 0;
    try
    {
        x = std::stod(m[1].str());
    }
    catch (const std::out_of_range&)
    {
        return std::nullopt; // "1e999s"
    }
    const std::string unit = m[2].matched ? m[2].str() : "s";
    static const std::map<std::string, double> scale = {{"h", 3600.0}, {"min", 60.0}, {"s", 1.0},
                                                        {"ms", 1e-3},  {"us", 1e-6},  {"ns", 1e-9}};
    const double seconds = x * scale.at(unit);
    if (!std::isfinite(seconds) || seconds > kMaxSeconds)
    {
        return std::nullopt;
    }
    return Seconds(seconds);
}

std::optional<DataRate>
ParseScenarioRate(const nlohmann::json& v)
{
    if (v.is_number())
    {
        const double bps = v.get<double>();
        if (!std::isfinite(bps) || bps < 1 || bps > 1e15)
        {
            return std::nullopt;
        }
        return DataRate(static_cast<uint64_t>(bps));
    }
    if (!v.is_string())
    {
        return std::nullopt;
    }
    // ns-3's own reader (bps, kbps, Mbps, Gbps, b/s, kb/s, KiBps, ...); it accepts a number
    // with no unit as bits per second, which we leave to the bare-number form.
    const std::string s = v.get<std::string>();
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s.front())) ||
        std::isdigit(static_cast<unsigned char>(s.back())) || s.find(' ') != std::string::npos)
    {
        return std::nullopt;
    }
    if (s.size() > 40)
    {
        return std::nullopt; // no rate needs more; ns-3's reader would overflow on some
    }
    std::istringstream is(s);
    DataRate r;
    try
    {
        is >> r;
    }
    catch (const std::exception&)
    {
        return std::nullopt;
    }
    if (is.fail() || r.GetBitRate() == 0 || r.GetBitRate() > 1000000000000000ULL)
    {
        return std::nullopt;
    }
    return r;
}

// --- the loader -----------------------------------------------------------------------------

namespace
{
/** RFC 6901 pointer to @p key under @p base ('~' and '/' escaped by nlohmann's json_pointer). */
std::string
JPtr(const std::string& base, const std::string& key)
{
    return (nlohmann::json::json_pointer(base) / key).to_string();
}

std::string
JPtr(const std::string& base, size_t index)
{
    return base + "/" + std::to_string(index);
}

size_t
EditDistance(const std::string& a, const std::string& b)
{
    std::vector<size_t> d(b.size() + 1);
    std::iota(d.begin(), d.end(), 0);
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t prev = d[0];
        d[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            const size_t cur = d[j];
            d[j] = std::min({d[j] + 1, d[j - 1] + 1,
                             prev + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1)});
            prev = cur;
        }
    }
    return d[b.size()];
}

std::string
Quote(const std::string& s)
{
    return nlohmann::json(s).dump();
}

std::string
TypeName(const nlohmann::json& v)
{
    if (v.is_number_integer() || v.is_number_unsigned())
    {
        return "an integer";
    }
    if (v.is_number())
    {
        return "a number";
    }
    if (v.is_string())
    {
        return "a string";
    }
    if (v.is_boolean())
    {
        return "true/false";
    }
    if (v.is_null())
    {
        return "null";
    }
    if (v.is_array())
    {
        return "an array";
    }
    return "an object";
}

std::string
AddressText(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::optional<Ipv4Address>
ParseDottedQuad(const std::string& s)
{
    static const std::regex re(R"(^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$)");
    std::smatch m;
    if (!std::regex_match(s, m, re))
    {
        return std::nullopt;
    }
    for (int i = 1; i <= 4; ++i)
    {
        if (std::stoi(m[i].str()) > 255)
        {
            return std::nullopt;
        }
    }
    return Ipv4Address(s.c_str());
}

bool
SameSubnet(Ipv4Address a, Ipv4Mask m, Ipv4Address b)
{
    return a.CombineMask(m) == b.CombineMask(m);
}

uint32_t
PrefixLength(Ipv4Mask m)
{
    return m.GetPrefixLength();
}

bool
IsSerialName(const std::string& ifname)
{
    return ifname.rfind("Serial", 0) == 0;
}

bool
IsEthernetName(const std::string& ifname)
{
    return ifname.find("Ethernet") != std::string::npos;
}

/** Where in the scenario a line of a router's configuration is: the file, or an array item. */
std::string
ConfigPointer(const ScenarioNode& n, int line)
{
    if (n.inlineConfig && line > 0)
    {
        return JPtr(n.pointer + "/config", static_cast<size_t>(line - 1));
    }
    return n.pointer + "/config";
}

/** A configuration message: "R1.cfg:12: text" for files, the text alone for inline lines. */
std::string
ConfigWhere(const ScenarioNode& n, const IosLocation& where)
{
    if (n.inlineConfig || where.line <= 0)
    {
        return "";
    }
    return where.file + ":" + std::to_string(where.line) + ": ";
}

/** An IOS error's message without its first line ("FILE:LINE:"). */
std::string
WithoutLocation(const IosConfigError& e)
{
    std::string msg = e.what();
    const std::string head = e.Where().file + ":" + std::to_string(e.Where().line) + ":";
    if (msg.rfind(head, 0) == 0)
    {
        msg = msg.substr(head.size());
        if (!msg.empty() && msg.front() == '\n')
        {
            msg.erase(0, 1);
        }
    }
    return msg;
}

class Reader
{
public:
    Reader(Scenario& s, ScenarioLoader::FileReader files) : m_s(s), m_files(std::move(files))
    {
    }

    void Read(const nlohmann::json& root);

    std::vector<ScenarioIssue> issues;

private:
    void Error(const std::string& ptr, const std::string& msg)
    {
        issues.push_back({ptr, msg, false});
    }
    void Warn(const std::string& ptr, const std::string& msg)
    {
        m_s.warnings.push_back({ptr, msg, true});
    }

    /** Report keys of @p obj that are not in @p allowed (plus "comment"). */
    void CheckKeys(const nlohmann::json& obj, const std::string& ptr,
                   const std::vector<std::string>& allowed);
    bool ExpectObject(const nlohmann::json& v, const std::string& ptr, const std::string& what);
    /** obj[key], or end() (and an error when @p required) if it is missing. */
    nlohmann::json::const_iterator Find(const nlohmann::json& obj, const std::string& ptr,
                                        const std::string& key, bool required);
    std::optional<std::string> GetString(const nlohmann::json& obj, const std::string& ptr,
                                         const std::string& key, bool required);
    std::optional<uint64_t> GetUnsigned(const nlohmann::json& obj, const std::string& ptr,
                                        const std::string& key, bool required, uint64_t min,
                                        uint64_t max);
    std::optional<Time> GetTime(const nlohmann::json& obj, const std::string& ptr,
                                const std::string& key, bool required);
    std::optional<DataRate> GetRate(const nlohmann::json& obj, const std::string& ptr,
                                    const std::string& key, bool required);

    void ReadNode(const nlohmann::json& v, size_t i);
    void ReadRouterConfig(const nlohmann::json& v, ScenarioNode& n);
    void ReadHost(const nlohmann::json& v, ScenarioNode& n, const std::string& defaultInterface);
    void ReadExternal(const nlohmann::json& v, ScenarioNode& n);
    std::optional<std::pair<Ipv4Address, Ipv4Mask>> ReadPrefix(const std::string& text,
                                                               const std::string& ptr,
                                                               bool bareAddress);
    std::optional<ScenarioEndpoint> ReadEndpoint(const nlohmann::json& v, const std::string& ptr);
    void ReadLinks(const nlohmann::json& v);
    void ReadTraffic(const nlohmann::json& v, size_t i);
    void ReadEvent(const nlohmann::json& v, size_t i);
    void ReadCardEvent(const nlohmann::json& v, ScenarioEvent& e);
    void ReadPowerEvent(const nlohmann::json& v, ScenarioEvent& e);
    void ReadHardware(const nlohmann::json& v, ScenarioNode& n);
    void ReadSweep(const nlohmann::json& v);

    Scenario& m_s;
    ScenarioLoader::FileReader m_files;
    std::set<std::string> m_nodeNames; //!< every name given, even of nodes with errors
    bool m_nodeErrors = false;         //!< some node was left out for its errors
    bool m_durationOk = true;          //!< times can be checked against the duration
};

void
Reader::CheckKeys(const nlohmann::json& obj, const std::string& ptr,
                  const std::vector<std::string>& allowed)
{
    for (auto it = obj.begin(); it != obj.end(); ++it)
    {
        const std::string& key = it.key();
        if (key == "comment" || std::find(allowed.begin(), allowed.end(), key) != allowed.end())
        {
            continue;
        }
        std::string best;
        size_t bestD = 3;
        for (const auto& a : allowed)
        {
            const size_t d = EditDistance(key, a);
            if (d < bestD)
            {
                bestD = d;
                best = a;
            }
        }
        std::string msg = "unknown key " + Quote(key);
        if (!best.empty())
        {
            msg += " (did you mean " + Quote(best) + "?)";
        }
        else
        {
            msg += "; allowed here:";
            for (const auto& a : allowed)
            {
                msg += " " + a;
            }
            msg += " comment";
        }
        Error(JPtr(ptr, key), msg);
    }
}

bool
Reader::ExpectObject(const nlohmann::json& v, const std::string& ptr, const std::string& what)
{
    if (!v.is_object())
    {
        Error(ptr, what + " must be an object, not " + TypeName(v));
        return false;
    }
    return true;
}

nlohmann::json::const_iterator
Reader::Find(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
             bool required)
{
    auto it = obj.find(key);
    if (it == obj.end() && required)
    {
        Error(ptr, "missing key " + Quote(key));
    }
    return it;
}

std::optional<std::string>
Reader::GetString(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
                  bool required)
{
    auto it = Find(obj, ptr, key, required);
    if (it == obj.end())
    {
        return std::nullopt;
    }
    if (!it->is_string())
    {
        Error(JPtr(ptr, key), "must be a string, not " + TypeName(*it));
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<uint64_t>
Reader::GetUnsigned(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
                    bool required, uint64_t min, uint64_t max)
{
    auto it = Find(obj, ptr, key, required);
    if (it == obj.end())
    {
        return std::nullopt;
    }
    if (!it->is_number_integer() && !it->is_number_unsigned())
    {
        Error(JPtr(ptr, key), "must be an integer, not " + TypeName(*it));
        return std::nullopt;
    }
    if (it->is_number_integer() && it->get<int64_t>() < 0)
    {
        Error(JPtr(ptr, key), "must be at least " + std::to_string(min));
        return std::nullopt;
    }
    const uint64_t x = it->get<uint64_t>();
    if (x < min || x > max)
    {
        Error(JPtr(ptr, key), it->dump() + " is out of range (" + std::to_string(min) + ".." +
                                  std::to_string(max) + ")");
        return std::nullopt;
    }
    return x;
}

std::optional<Time>
Reader::GetTime(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
                bool required)
{
    auto it = Find(obj, ptr, key, required);
    if (it == obj.end())
    {
        return std::nullopt;
    }
    auto t = ParseScenarioTime(*it);
    if (!t)
    {
        Error(JPtr(ptr, key), "cannot read " + it->dump() +
                                  " as a time (a number of seconds, or e.g. \"10ms\", \"1.5s\"; "
                                  "at most 1e9 s)");
        return std::nullopt;
    }
    if (t->IsStrictlyNegative())
    {
        Error(JPtr(ptr, key), "must not be negative");
        return std::nullopt;
    }
    return t;
}

std::optional<DataRate>
Reader::GetRate(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
                bool required)
{
    auto it = Find(obj, ptr, key, required);
    if (it == obj.end())
    {
        return std::nullopt;
    }
    auto r = ParseScenarioRate(*it);
    if (!r)
    {
        Error(JPtr(ptr, key), "cannot read " + it->dump() +
                                  " as a data rate (e.g. \"1544kbps\", \"100Mbps\", or bits per "
                                  "second as a number)");
    }
    return r;
}

void
Reader::Read(const nlohmann::json& root)
{
    if (!root.is_object())
    {
        Error("", "a scenario is a JSON object, not " + TypeName(root));
        return;
    }
    CheckKeys(root, "",
              {"name", "duration", "seed", "run", "crypto", "nodes", "links", "traffic", "events",
               "sweep"});
    if (auto c = GetString(root, "", "crypto", false))
    {
        if (*c != "real" && *c != "fast")
        {
            Error("/crypto", "\"real\" (the default: bytes encrypted) or \"fast\" (sizes and "
                             "timing as modelled, bytes not encrypted), not " + Quote(*c));
        }
        m_s.fastCrypto = *c == "fast";
    }
    if (auto n = GetString(root, "", "name", false))
    {
        m_s.name = *n;
    }
    m_s.duration = Seconds(10);
    const size_t beforeDuration = issues.size();
    if (auto d = GetTime(root, "", "duration", false))
    {
        if (d->IsZero())
        {
            Error("/duration", "must be more than 0");
        }
        m_s.duration = *d;
    }
    m_durationOk = issues.size() == beforeDuration;
    if (auto seed = GetUnsigned(root, "", "seed", false, 1, 0xffffffffULL))
    {
        m_s.seed = static_cast<uint32_t>(*seed);
    }
    if (auto run = GetUnsigned(root, "", "run", false, 1, UINT64_MAX))
    {
        m_s.run = *run;
    }

    auto nodes = root.find("nodes");
    if (nodes == root.end())
    {
        Error("", "missing key \"nodes\"");
        return; // everything else names nodes
    }
    if (!nodes->is_array() || nodes->empty())
    {
        Error("/nodes", "must be a non-empty array of nodes");
        return;
    }
    for (size_t i = 0; i < nodes->size(); ++i)
    {
        ReadNode((*nodes)[i], i);
    }
    m_nodeErrors = m_s.nodes.size() != nodes->size();

    for (const char* key : {"links", "traffic", "events"})
    {
        auto it = root.find(key);
        if (it != root.end() && !it->is_array())
        {
            Error(std::string("/") + key, "must be an array, not " + TypeName(*it));
        }
    }
    const nlohmann::json empty = nlohmann::json::array();
    auto arr = [&](const char* key) -> const nlohmann::json&
    {
        auto it = root.find(key);
        return it != root.end() && it->is_array() ? *it : empty;
    };
    ReadLinks(arr("links"));
    const auto& traffic = arr("traffic");
    for (size_t i = 0; i < traffic.size(); ++i)
    {
        ReadTraffic(traffic[i], i);
    }
    const auto& events = arr("events");
    for (size_t i = 0; i < events.size(); ++i)
    {
        ReadEvent(events[i], i);
    }
    std::stable_sort(m_s.events.begin(), m_s.events.end(),
                     [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.at < b.at; });
    if (auto sw = root.find("sweep"); sw != root.end())
    {
        ReadSweep(*sw);
    }
}

void
Reader::ReadSweep(const nlohmann::json& v)
{
    const std::string ptr = "/sweep";
    if (!ExpectObject(v, ptr, "a sweep"))
    {
        return;
    }
    CheckKeys(v, ptr,
              {"traffic", "loads", "sizes", "configurations", "measure", "after_knee", "seeds",
               "tunnels"});
    ScenarioSweep sw;
    const size_t before = issues.size();
    if (auto it = v.find("seeds"); it != v.end())
    {
        if (!it->is_array() || it->empty())
        {
            Error(JPtr(ptr, "seeds"), "\"seeds\" must be a non-empty array of seeds");
        }
        else
        {
            for (size_t k = 0; k < it->size(); ++k)
            {
                const auto& x = (*it)[k];
                if (!x.is_number_unsigned() || x.get<uint64_t>() < 1 ||
                    x.get<uint64_t>() > 0xffffffffULL)
                {
                    Error(JPtr(JPtr(ptr, "seeds"), k), "a seed is a whole number from 1 to 4294967295");
                }
                else
                {
                    sw.seeds.push_back(x.get<uint32_t>());
                }
            }
        }
    }
    if (auto t = GetUnsigned(v, ptr, "traffic", false, 0, 1000000))
    {
        sw.traffic = static_cast<uint32_t>(*t);
    }
    const std::string tp = JPtr("/traffic", sw.traffic);
    auto tr = std::find_if(m_s.traffic.begin(), m_s.traffic.end(),
                           [&](const ScenarioTraffic& x) { return x.pointer == tp; });
    if (tr == m_s.traffic.end())
    {
        Error(JPtr(ptr, "traffic"), "there is no traffic entry " + tp);
    }
    else if (tr->kind != ScenarioTrafficKind::UDP)
    {
        Error(JPtr(ptr, "traffic"), tp + " is not \"udp\": a sweep varies a UDP flow's rate and size");
    }
    else
    {
        sw.traffic = static_cast<uint32_t>(tr - m_s.traffic.begin());
    }
    auto array = [&](const char* key) -> const nlohmann::json* {
        auto it = v.find(key);
        if (it == v.end() || !it->is_array() || it->empty())
        {
            Error(it == v.end() ? ptr : JPtr(ptr, key),
                  std::string(it == v.end() ? "missing key \"" : "\"") + key +
                      (it == v.end() ? "\"" : "\" must be a non-empty array"));
            return nullptr;
        }
        return &*it;
    };
    if (const nlohmann::json* loads = array("loads"))
    {
        for (size_t k = 0; k < loads->size(); ++k)
        {
            nlohmann::json holder = {{"rate", (*loads)[k]}};
            if (auto r = GetRate(holder, JPtr(JPtr(ptr, "loads"), k), "rate", true))
            {
                if (!sw.loads.empty() && r->GetBitRate() <= sw.loads.back().GetBitRate())
                {
                    Error(JPtr(JPtr(ptr, "loads"), k), "loads must ascend");
                }
                sw.loads.push_back(*r);
            }
        }
    }
    if (const nlohmann::json* sizes = array("sizes"))
    {
        for (size_t k = 0; k < sizes->size(); ++k)
        {
            const auto& x = (*sizes)[k];
            if (x.is_string() && x.get<std::string>() == "imix")
            {
                sw.sizes.push_back(0);
            }
            else if (x.is_number_unsigned() && x.get<uint64_t>() >= 29 && x.get<uint64_t>() <= 1500)
            {
                sw.sizes.push_back(x.get<uint32_t>());
            }
            else
            {
                Error(JPtr(JPtr(ptr, "sizes"), k),
                      "a size is an IP packet size from 29 to 1500 bytes, or \"imix\"");
            }
        }
    }
    if (v.contains("tunnels"))
    {
        if (const nlohmann::json* tunnels = array("tunnels"))
        {
            for (size_t k = 0; k < tunnels->size(); ++k)
            {
                const auto& x = (*tunnels)[k];
                if (x.is_number_unsigned() && x.get<uint64_t>() >= 1 &&
                    x.get<uint64_t>() <= 4096)
                {
                    sw.tunnels.push_back(x.get<uint32_t>());
                }
                else
                {
                    Error(JPtr(JPtr(ptr, "tunnels"), k),
                          "a number of tunnels is a whole number from 1 to 4096");
                }
            }
        }
    }
    if (auto m = GetString(v, ptr, "measure", true))
    {
        const int32_t n = m_s.FindNode(*m);
        if (n < 0 || !m_s.nodes[n].IsRouter())
        {
            Error(JPtr(ptr, "measure"), Quote(*m) + " is not a router of the scenario");
        }
        else
        {
            sw.measure = static_cast<uint32_t>(n);
        }
    }
    if (auto a = GetUnsigned(v, ptr, "after_knee", false, 0, 100))
    {
        sw.afterKnee = static_cast<uint32_t>(*a);
    }
    if (const nlohmann::json* cfgs = array("configurations"))
    {
        std::set<std::string> names;
        for (size_t k = 0; k < cfgs->size(); ++k)
        {
            const std::string cp = JPtr(JPtr(ptr, "configurations"), k);
            const auto& c = (*cfgs)[k];
            if (!ExpectObject(c, cp, "a configuration"))
            {
                continue;
            }
            CheckKeys(c, cp, {"name", "nodes"});
            ScenarioSweepConfiguration sc;
            if (auto name = GetString(c, cp, "name", true))
            {
                sc.name = *name;
                if (!names.insert(*name).second)
                {
                    Error(JPtr(cp, "name"), "configuration " + Quote(*name) + " is named twice");
                }
            }
            auto nodes = c.find("nodes");
            if (nodes == c.end() || !nodes->is_object())
            {
                Error(nodes == c.end() ? cp : JPtr(cp, "nodes"),
                      "\"nodes\" maps router names to {\"platform\": ..., \"modules\": [...]}");
                continue;
            }
            for (const auto& [rname, hw] : nodes->items())
            {
                const std::string np = JPtr(JPtr(cp, "nodes"), rname);
                const int32_t n = m_s.FindNode(rname);
                if (n < 0 || !m_s.nodes[n].IsRouter())
                {
                    Error(np, Quote(rname) + " is not a router of the scenario");
                    continue;
                }
                if (!ExpectObject(hw, np, "a router's hardware"))
                {
                    continue;
                }
                CheckKeys(hw, np, {"platform", "modules", "config"});
                ScenarioNode tmp;
                tmp.pointer = np;
                ReadHardware(hw, tmp);
                sc.hardware[static_cast<uint32_t>(n)] = {tmp.platform, tmp.modules};
                if (auto cf = hw.find("config"); cf != hw.end())
                {
                    // Lines added to the router's configuration for this configuration: a
                    // later definition replaces an earlier one, as on IOS.
                    const std::string cp = JPtr(np, "config");
                    if (!cf->is_array())
                    {
                        Error(cp, "an array of configuration lines added to " + Quote(rname) + "'s");
                        continue;
                    }
                    std::string text;
                    for (const auto& l : m_s.nodes[n].config.lines)
                    {
                        if (l.text != "end")
                        {
                            text += l.text + "\n";
                        }
                    }
                    const size_t base = std::count(text.begin(), text.end(), '\n');
                    bool ok = true;
                    for (size_t k = 0; k < cf->size() && ok; ++k)
                    {
                        if (!(*cf)[k].is_string() ||
                            (*cf)[k].get<std::string>().find('\n') != std::string::npos)
                        {
                            Error(JPtr(cp, k), "one configuration line (a string) per item");
                            ok = false;
                            break;
                        }
                        text += (*cf)[k].get<std::string>() + "\n";
                    }
                    if (!ok)
                    {
                        continue;
                    }
                    try
                    {
                        sc.configs[static_cast<uint32_t>(n)] =
                            IosConfigReader::Parse(text, m_s.file + "#" + cp);
                    }
                    catch (const IosConfigError& e)
                    {
                        const int line = e.Where().line - static_cast<int>(base);
                        Error(line >= 1 ? JPtr(cp, static_cast<size_t>(line - 1)) : cp,
                              "\n" + WithoutLocation(e));
                    }
                }
            }
            sw.configurations.push_back(sc);
        }
    }
    if (issues.size() == before)
    {
        m_s.sweep = sw;
    }
}

void
Reader::ReadNode(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/nodes", i);
    if (!ExpectObject(v, ptr, "a node"))
    {
        return;
    }
    ScenarioNode n;
    n.pointer = ptr;
    auto name = GetString(v, ptr, "name", true);
    bool ok = name.has_value();
    if (name)
    {
        static const std::regex re(R"(^[A-Za-z0-9_.-]+$)");
        if (!std::regex_match(*name, re))
        {
            Error(JPtr(ptr, "name"), "a node name is letters, digits and _ . - only (it names "
                                     "files and appears in \"NODE:INTERFACE\"), not " +
                                         Quote(*name));
            ok = false;
        }
        else if (!m_nodeNames.insert(*name).second)
        {
            Error(JPtr(ptr, "name"), "node " + Quote(*name) + " is defined twice");
            ok = false;
        }
        n.name = *name;
    }
    std::string kind = GetString(v, ptr, "kind", false).value_or("router");
    if (kind == "router")
    {
        CheckKeys(v, ptr, {"name", "kind", "config", "platform", "modules"});
        n.kind = ScenarioNodeKind::ROUTER;
        n.pointer = ptr;
        ReadHardware(v, n);
        auto c = v.find("config");
        if (c == v.end())
        {
            Error(ptr, "missing key \"config\" (a file name, or an array of configuration lines)");
            ok = false;
        }
        else
        {
            const size_t before = issues.size();
            ReadRouterConfig(*c, n);
            ok = ok && issues.size() == before;
        }
    }
    else if (kind == "host")
    {
        CheckKeys(v, ptr, {"name", "kind", "address", "gateway", "interface"});
        n.kind = ScenarioNodeKind::HOST;
        const size_t before = issues.size();
        ReadHost(v, n, "eth0");
        ok = ok && issues.size() == before;
    }
    else if (kind == "external")
    {
        CheckKeys(v, ptr,
                  {"name", "kind", "namespace", "interface", "address", "gateway", "networks"});
        n.kind = ScenarioNodeKind::EXTERNAL;
        const size_t before = issues.size();
        ReadExternal(v, n);
        ok = ok && issues.size() == before;
    }
    else
    {
        Error(JPtr(ptr, "kind"), "a node is a \"router\" or a \"host\", or \"external\" (a real "
                                 "host in a Linux network namespace), not " +
                                     Quote(kind));
        ok = false;
    }
    if (ok)
    {
        m_s.nodes.push_back(std::move(n));
    }
}

void
Reader::ReadRouterConfig(const nlohmann::json& c, ScenarioNode& n)
{
    const std::string ptr = n.pointer + "/config";
    std::string text;
    std::string label;
    if (c.is_string())
    {
        const std::string rel = c.get<std::string>();
        std::filesystem::path p(rel);
        if (p.is_relative() && !m_s.directory.empty())
        {
            p = std::filesystem::path(m_s.directory) / p;
        }
        label = p.lexically_normal().string();
        auto content = m_files(p.string());
        if (!content)
        {
            Error(ptr, "cannot read configuration file " + Quote(label));
            return;
        }
        text = *content;
        n.configFile = label;
    }
    else if (c.is_array())
    {
        for (size_t k = 0; k < c.size(); ++k)
        {
            if (!c[k].is_string())
            {
                Error(JPtr(ptr, k), "a configuration line must be a string, not " + TypeName(c[k]));
                return;
            }
            const std::string line = c[k].get<std::string>();
            if (line.find('\n') != std::string::npos)
            {
                Error(JPtr(ptr, k), "one configuration line per array item (found a line break)");
                return;
            }
            text += line + "\n";
        }
        n.inlineConfig = true;
        label = m_s.file + "#" + ptr;
    }
    else
    {
        Error(ptr, "must be a file name or an array of configuration lines, not " + TypeName(c));
        return;
    }
    try
    {
        n.config = IosConfigReader::Parse(text, label);
    }
    catch (const IosConfigError& e)
    {
        // Inline, the array item already says where: keep the line, the '^' and the reason.
        Error(ConfigPointer(n, e.Where().line),
              "\n" + (n.inlineConfig ? WithoutLocation(e) : std::string(e.what())));
    }
    catch (const std::exception& e)
    {
        Error(ptr, e.what());
    }
}

void
Reader::ReadHost(const nlohmann::json& v, ScenarioNode& n, const std::string& defaultInterface)
{
    n.hostInterface = GetString(v, n.pointer, "interface", false).value_or(defaultInterface);
    if (n.hostInterface.empty() || n.hostInterface.find(':') != std::string::npos)
    {
        Error(JPtr(n.pointer, "interface"), "an interface name must be non-empty and without ':'");
    }
    bool addressOk = false;
    if (auto a = GetString(v, n.pointer, "address", true))
    {
        static const std::regex re(R"(^([0-9.]+)/(\d{1,2})$)");
        std::smatch m;
        std::optional<Ipv4Address> addr;
        int len = -1;
        if (std::regex_match(*a, m, re))
        {
            addr = ParseDottedQuad(m[1].str());
            len = std::stoi(m[2].str());
        }
        if (!addr || len < 1 || len > 32)
        {
            Error(JPtr(n.pointer, "address"),
                  "a host address is ADDRESS/PREFIX-LENGTH, e.g. \"10.1.1.10/24\", not " +
                      Quote(*a));
        }
        else
        {
            n.address = *addr;
            n.mask = Ipv4Mask(("/" + std::to_string(len)).c_str());
            addressOk = true;
            if (len < 31 && (addr->CombineMask(n.mask) == *addr ||
                             addr->GetSubnetDirectedBroadcast(n.mask) == *addr))
            {
                Error(JPtr(n.pointer, "address"),
                      *a + " is the network or broadcast address of its subnet");
            }
        }
    }
    if (auto g = GetString(v, n.pointer, "gateway", false))
    {
        auto gw = ParseDottedQuad(*g);
        if (!gw)
        {
            Error(JPtr(n.pointer, "gateway"), "not an IPv4 address: " + Quote(*g));
        }
        else if (addressOk && !SameSubnet(n.address, n.mask, *gw))
        {
            Error(JPtr(n.pointer, "gateway"), *g + " is not in the host's subnet " +
                                                  AddressText(n.address.CombineMask(n.mask)) + "/" +
                                                  std::to_string(n.mask.GetPrefixLength()));
        }
        else
        {
            n.gateway = gw;
        }
    }
}

std::optional<std::pair<Ipv4Address, Ipv4Mask>>
Reader::ReadPrefix(const std::string& text, const std::string& ptr, bool bareAddress)
{
    static const std::regex re(R"(^([0-9.]+)(?:/(\d{1,2}))?$)");
    std::smatch m;
    std::optional<Ipv4Address> addr;
    int len = -1;
    if (std::regex_match(text, m, re))
    {
        addr = ParseDottedQuad(m[1].str());
        len = m[2].matched ? std::stoi(m[2].str()) : (bareAddress ? 32 : -1);
    }
    if (!addr || len < 1 || len > 32)
    {
        Error(ptr, "expected ADDRESS/PREFIX-LENGTH (e.g. \"203.0.113.0/24\") or an address, not " +
                       Quote(text));
        return std::nullopt;
    }
    return std::make_pair(*addr, Ipv4Mask(("/" + std::to_string(len)).c_str()));
}

void
Reader::ReadExternal(const nlohmann::json& v, ScenarioNode& n)
{
    ReadHost(v, n, "tap0");
    // A Linux interface name: at most IFNAMSIZ - 1 = 15 bytes, no '/', no white space.
    static const std::regex ifre(R"(^[A-Za-z0-9_.-]{1,15}$)");
    if (v.contains("interface") && !n.hostInterface.empty() &&
        n.hostInterface.find(':') == std::string::npos &&
        (!std::regex_match(n.hostInterface, ifre) || n.hostInterface == "." ||
         n.hostInterface == ".."))
    {
        Error(JPtr(n.pointer, "interface"),
              "not a Linux interface name (1 to 15 letters, digits, _ . -): " +
                  Quote(n.hostInterface));
    }
    if (auto ns = GetString(v, n.pointer, "namespace", true))
    {
        static const std::regex nsre(R"(^[A-Za-z0-9_.-]+$)");
        if (!std::regex_match(*ns, nsre) || *ns == "." || *ns == "..")
        {
            Error(JPtr(n.pointer, "namespace"),
                  "a network namespace name as `ip netns` gives it (letters, digits, _ . -), not " +
                      Quote(*ns));
        }
        n.netns = *ns;
    }
    auto nets = v.find("networks");
    if (nets == v.end())
    {
        return;
    }
    const std::string ptr = JPtr(n.pointer, "networks");
    if (!nets->is_array())
    {
        Error(ptr, "must be an array of \"ADDRESS/PREFIX-LENGTH\" strings, not " + TypeName(*nets));
        return;
    }
    for (size_t k = 0; k < nets->size(); ++k)
    {
        if (!(*nets)[k].is_string())
        {
            Error(JPtr(ptr, k), "must be a string, not " + TypeName((*nets)[k]));
            continue;
        }
        if (auto p = ReadPrefix((*nets)[k].get<std::string>(), JPtr(ptr, k), true))
        {
            n.networks.push_back(*p);
        }
    }
}

std::optional<ScenarioEndpoint>
Reader::ReadEndpoint(const nlohmann::json& v, const std::string& ptr)
{
    if (!v.is_string())
    {
        Error(ptr, "a link end is \"NODE:INTERFACE\", not " + TypeName(v));
        return std::nullopt;
    }
    const std::string s = v.get<std::string>();
    const auto colon = s.find(':');
    const std::string nodeName = s.substr(0, colon);
    const std::string ifText = colon == std::string::npos ? "" : s.substr(colon + 1);
    const int32_t idx = m_s.FindNode(nodeName);
    if (idx < 0)
    {
        if (m_nodeNames.count(nodeName))
        {
            return std::nullopt; // the node itself was reported
        }
        Error(ptr, "node " + Quote(nodeName) + " is not defined");
        return std::nullopt;
    }
    const ScenarioNode& n = m_s.nodes[idx];
    ScenarioEndpoint e;
    e.node = static_cast<uint32_t>(idx);
    if (!n.IsRouter())
    {
        if (!ifText.empty() && ifText != n.hostInterface)
        {
            Error(ptr, std::string(n.IsExternal() ? "external node " : "host ") + Quote(n.name) +
                           " has one interface, " + Quote(n.hostInterface) + ", not " +
                           Quote(ifText));
            return std::nullopt;
        }
        e.interface = n.hostInterface;
        return e;
    }
    if (ifText.empty())
    {
        Error(ptr, "name the interface of router " + Quote(n.name) + ", as in \"" + n.name +
                       ":Serial0\"");
        return std::nullopt;
    }
    const std::string canonical = IosConfigReader::CanonicalInterfaceName(ifText);
    const IosInterface* iface = n.config.FindInterface(canonical.empty() ? ifText : canonical);
    if (!iface)
    {
        Error(ptr, "interface " + Quote(ifText) + " is not declared in the configuration of " +
                       n.name + (n.configFile.empty() ? "" : " (" + n.configFile + ")"));
        return std::nullopt;
    }
    e.interface = iface->name;
    if (!IsSerialName(e.interface) && !IsEthernetName(e.interface))
    {
        Error(ptr, n.name + ":" + e.interface +
                       " cannot be linked (only Serial and Ethernet interfaces take a link)");
        return std::nullopt;
    }
    return e;
}

void
Reader::ReadLinks(const nlohmann::json& links)
{
    // An Ethernet end may appear in several links: they all join one segment. A serial end
    // belongs to exactly one link.
    std::map<ScenarioEndpoint, uint32_t> segmentOf;
    std::map<ScenarioEndpoint, std::string> serialLinkOf; // end -> pointer of its serial link
    std::vector<std::optional<DataRate>> segRate;
    std::vector<std::optional<Time>> segDelay;
    std::vector<std::string> segRatePtr, segDelayPtr;
    std::map<uint32_t, std::string> externalLinkOf; // external node -> pointer of its link

    for (size_t i = 0; i < links.size(); ++i)
    {
        const std::string ptr = JPtr("/links", i);
        const nlohmann::json& v = links[i];
        if (!ExpectObject(v, ptr, "a link"))
        {
            continue;
        }
        CheckKeys(v, ptr, {"a", "b", "type", "rate", "delay", "errors"});
        double loss = 0, corrupt = 0;
        bool hasErrors = false;
        if (auto ev = v.find("errors"); ev != v.end())
        {
            const std::string ep = JPtr(ptr, "errors");
            if (ExpectObject(*ev, ep, "\"errors\""))
            {
                hasErrors = true;
                CheckKeys(*ev, ep, {"loss", "corrupt"});
                for (const char* key : {"loss", "corrupt"})
                {
                    auto it = ev->find(key);
                    if (it == ev->end())
                    {
                        continue;
                    }
                    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1 ||
                        std::isnan(it->get<double>()))
                    {
                        Error(JPtr(ep, key), std::string("a probability per frame, from 0 to 1, "
                                                         "not ") +
                                                 it->dump());
                        continue;
                    }
                    (key[0] == 'l' ? loss : corrupt) = it->get<double>();
                }
            }
        }
        std::optional<ScenarioEndpoint> a, b;
        for (const char* side : {"a", "b"})
        {
            auto it = v.find(side);
            if (it == v.end())
            {
                Error(ptr, std::string("missing key \"") + side + "\"");
                continue;
            }
            (side[0] == 'a' ? a : b) = ReadEndpoint(*it, JPtr(ptr, side));
        }
        auto typeText = GetString(v, ptr, "type", false);
        std::optional<ScenarioLinkType> type;
        if (typeText)
        {
            if (*typeText == "serial")
            {
                type = ScenarioLinkType::SERIAL;
            }
            else if (*typeText == "ethernet")
            {
                type = ScenarioLinkType::ETHERNET;
            }
            else
            {
                Error(JPtr(ptr, "type"),
                      "a link is \"serial\" or \"ethernet\", not " + Quote(*typeText));
                continue;
            }
        }
        auto rate = GetRate(v, ptr, "rate", false);
        auto delay = GetTime(v, ptr, "delay", false);
        if (!a || !b)
        {
            continue;
        }
        if (*a == *b)
        {
            Error(JPtr(ptr, "b"), "a link joins two different ends");
            continue;
        }
        // An external node: its TAP device is an Ethernet cable to one simulated interface.
        const bool extA = m_s.nodes[a->node].IsExternal();
        const bool extB = m_s.nodes[b->node].IsExternal();
        if (extA || extB)
        {
            const ScenarioEndpoint& ext = extA ? *a : *b;
            const std::string extName = m_s.nodes[ext.node].name;
            bool bad = false;
            if (extA && extB)
            {
                Error(ptr, "a link joins an external node to a simulated node, not two external "
                           "nodes");
                bad = true;
            }
            const ScenarioEndpoint& sim = extA ? *b : *a;
            if (type && *type != ScenarioLinkType::ETHERNET)
            {
                Error(JPtr(ptr, "type"), "the link to external node " + Quote(extName) +
                                             " is an Ethernet link (a TAP device)");
                bad = true;
            }
            else if (m_s.nodes[sim.node].IsRouter() && IsSerialName(sim.interface))
            {
                Error(ptr, "the link to external node " + Quote(extName) +
                               " is an Ethernet link (a TAP device); " + m_s.Describe(sim) +
                               " is a serial interface");
                bad = true;
            }
            for (const char* key : {"rate", "delay", "errors"})
            {
                if (v.contains(key))
                {
                    Error(JPtr(ptr, key), std::string("the link to external node ") +
                                              Quote(extName) + " has no " + key +
                                              ": it is a real TAP device, frames pass as the "
                                              "host sends them");
                    bad = true;
                }
            }
            auto prev = externalLinkOf.find(ext.node);
            if (prev != externalLinkOf.end())
            {
                Error(JPtr(ptr, extA ? "a" : "b"), "external node " + Quote(extName) +
                                                       " has one link (its TAP device), already " +
                                                       prev->second);
                bad = true;
            }
            if (bad)
            {
                continue;
            }
            externalLinkOf[ext.node] = ptr;
        }
        // The routers' interfaces decide the medium; the "type" must agree with them.
        bool bad = false;
        for (const auto* e : {&*a, &*b})
        {
            const ScenarioNode& n = m_s.nodes[e->node];
            if (!n.IsRouter())
            {
                continue;
            }
            const auto t =
                IsSerialName(e->interface) ? ScenarioLinkType::SERIAL : ScenarioLinkType::ETHERNET;
            if (!type)
            {
                type = t;
            }
            else if (*type != t)
            {
                Error(typeText ? JPtr(ptr, "type") : ptr,
                      "a " + ToString(*type) + " link cannot end at " + m_s.Describe(*e) + " (a " +
                          ToString(t) + " interface)");
                bad = true;
                break;
            }
        }
        if (bad)
        {
            continue;
        }
        ScenarioLink l;
        l.a = *a;
        l.b = *b;
        l.type = type.value_or(ScenarioLinkType::ETHERNET);
        l.pointer = ptr;
        l.loss = loss;
        l.corrupt = corrupt;
        l.hasErrors = hasErrors;

        if (l.type == ScenarioLinkType::SERIAL)
        {
            for (const auto& [e, side] : {std::pair{l.a, "a"}, std::pair{l.b, "b"}})
            {
                auto prev = serialLinkOf.find(e);
                if (prev != serialLinkOf.end())
                {
                    Error(JPtr(ptr, side), m_s.Describe(e) +
                                               " is already an end of the serial link " +
                                               prev->second);
                    bad = true;
                }
                else if (segmentOf.count(e))
                {
                    Error(JPtr(ptr, side), m_s.Describe(e) + " is already on an Ethernet segment");
                    bad = true;
                }
            }
            if (bad)
            {
                continue;
            }
            // IOS: both ends of a serial line must use the same encapsulation, or the line
            // protocol stays down.
            const ScenarioNode& na = m_s.nodes[l.a.node];
            const ScenarioNode& nb = m_s.nodes[l.b.node];
            if (na.IsRouter() && nb.IsRouter())
            {
                auto enc = [](const ScenarioNode& n, const std::string& ifn)
                {
                    const IosInterface* f = n.config.FindInterface(ifn);
                    IosEncapsulation e = f ? f->encapsulation : IosEncapsulation::HDLC;
                    return e == IosEncapsulation::NONE ? IosEncapsulation::HDLC : e;
                };
                auto name = [](IosEncapsulation e)
                {
                    switch (e)
                    {
                    case IosEncapsulation::PPP:
                        return "ppp";
                    case IosEncapsulation::FRAME_RELAY:
                        return "frame-relay";
                    default:
                        return "hdlc";
                    }
                };
                const auto ea = enc(na, l.a.interface);
                const auto eb = enc(nb, l.b.interface);
                if (ea != eb)
                {
                    Error(ptr, m_s.Describe(l.a) + " uses encapsulation " + name(ea) + " and " +
                                   m_s.Describe(l.b) + " uses " + name(eb) +
                                   ": the line protocol would stay down");
                    continue;
                }
            }
            ScenarioSegment seg;
            seg.type = ScenarioLinkType::SERIAL;
            seg.ends = {l.a, l.b};
            seg.rate = rate.value_or(DataRate("1544kbps"));
            seg.delay = delay.value_or(MilliSeconds(1));
            l.rate = seg.rate;
            l.delay = seg.delay;
            l.segment = static_cast<uint32_t>(m_s.segments.size());
            seg.links.push_back(static_cast<uint32_t>(m_s.links.size()));
            serialLinkOf[l.a] = ptr;
            serialLinkOf[l.b] = ptr;
            m_s.segments.push_back(seg);
            segRate.emplace_back();
            segDelay.emplace_back();
            segRatePtr.emplace_back();
            segDelayPtr.emplace_back();
            m_s.links.push_back(l);
            continue;
        }

        // Ethernet: merge the segments of both ends.
        for (const auto& [e, side] : {std::pair{l.a, "a"}, std::pair{l.b, "b"}})
        {
            auto prev = serialLinkOf.find(e);
            if (prev != serialLinkOf.end())
            {
                Error(JPtr(ptr, side),
                      m_s.Describe(e) + " is already an end of the serial link " + prev->second);
                bad = true;
            }
        }
        if (bad)
        {
            continue;
        }
        auto segA = segmentOf.find(l.a);
        auto segB = segmentOf.find(l.b);
        uint32_t seg;
        if (segA == segmentOf.end() && segB == segmentOf.end())
        {
            seg = static_cast<uint32_t>(m_s.segments.size());
            ScenarioSegment s;
            s.type = ScenarioLinkType::ETHERNET;
            m_s.segments.push_back(s);
            segRate.emplace_back();
            segDelay.emplace_back();
            segRatePtr.emplace_back();
            segDelayPtr.emplace_back();
        }
        else if (segA == segmentOf.end() || segB == segmentOf.end() || segA->second == segB->second)
        {
            seg = segA != segmentOf.end() ? segA->second : segB->second;
        }
        else
        {
            // Two segments become one: move the later one into the earlier one.
            seg = std::min(segA->second, segB->second);
            const uint32_t gone = std::max(segA->second, segB->second);
            ScenarioSegment& keep = m_s.segments[seg];
            ScenarioSegment& from = m_s.segments[gone];
            for (const auto& e : from.ends)
            {
                keep.ends.push_back(e);
                segmentOf[e] = seg;
            }
            for (uint32_t li : from.links)
            {
                keep.links.push_back(li);
                m_s.links[li].segment = seg;
            }
            from.ends.clear();
            from.links.clear();
            if (!segRate[seg] && segRate[gone])
            {
                segRate[seg] = segRate[gone];
                segRatePtr[seg] = segRatePtr[gone];
            }
            if (!segDelay[seg] && segDelay[gone])
            {
                segDelay[seg] = segDelay[gone];
                segDelayPtr[seg] = segDelayPtr[gone];
            }
        }
        ScenarioSegment& s = m_s.segments[seg];
        for (const auto& e : {l.a, l.b})
        {
            if (!segmentOf.count(e))
            {
                segmentOf[e] = seg;
                s.ends.push_back(e);
            }
        }
        // One segment has one rate and one delay (CSMA channel): the links must agree.
        if (rate)
        {
            if (segRate[seg] && *segRate[seg] != *rate)
            {
                Error(JPtr(ptr, "rate"), "this Ethernet segment already has rate " +
                                             std::to_string(segRate[seg]->GetBitRate()) + "bps (" +
                                             segRatePtr[seg] + ")");
            }
            else if (!segRate[seg])
            {
                segRate[seg] = rate;
                segRatePtr[seg] = JPtr(ptr, "rate");
            }
        }
        if (delay)
        {
            if (segDelay[seg] && *segDelay[seg] != *delay)
            {
                Error(JPtr(ptr, "delay"), "this Ethernet segment already has delay " +
                                              std::to_string(segDelay[seg]->GetSeconds()) + "s (" +
                                              segDelayPtr[seg] + ")");
            }
            else if (!segDelay[seg])
            {
                segDelay[seg] = delay;
                segDelayPtr[seg] = JPtr(ptr, "delay");
            }
        }
        l.segment = seg;
        s.links.push_back(static_cast<uint32_t>(m_s.links.size()));
        m_s.links.push_back(l);
    }

    // Drop segments emptied by merging; renumber.
    std::vector<uint32_t> newIndex(m_s.segments.size(), 0);
    std::vector<ScenarioSegment> kept;
    for (size_t i = 0; i < m_s.segments.size(); ++i)
    {
        if (m_s.segments[i].ends.empty())
        {
            continue;
        }
        ScenarioSegment s = m_s.segments[i];
        if (s.type == ScenarioLinkType::ETHERNET)
        {
            s.rate = segRate[i].value_or(DataRate("100Mbps"));
            s.delay = segDelay[i].value_or(MicroSeconds(100));
        }
        newIndex[i] = static_cast<uint32_t>(kept.size());
        kept.push_back(s);
    }
    m_s.segments = kept;
    for (auto& l : m_s.links)
    {
        l.segment = newIndex[l.segment];
        l.rate = m_s.segments[l.segment].rate;
        l.delay = m_s.segments[l.segment].delay;
    }
    for (auto& s : m_s.segments)
    {
        std::sort(s.links.begin(), s.links.end());
    }
    // "errors" apply to the whole medium: the links of one segment that give them agree.
    for (auto& seg : m_s.segments)
    {
        const ScenarioLink* first = nullptr;
        for (uint32_t li : seg.links)
        {
            const ScenarioLink& l = m_s.links[li];
            if (!l.hasErrors)
            {
                continue;
            }
            if (!first)
            {
                first = &l;
                seg.loss = l.loss;
                seg.corrupt = l.corrupt;
            }
            else if (l.loss != first->loss || l.corrupt != first->corrupt)
            {
                Error(JPtr(l.pointer, "errors"),
                      "this Ethernet segment already has other \"errors\" (" + first->pointer +
                          "/errors): one segment, one error model");
            }
        }
    }
    // The TAP of an external node is a cable to exactly one simulated interface.
    for (auto& seg : m_s.segments)
    {
        for (size_t k = 0; k < seg.ends.size(); ++k)
        {
            if (m_s.nodes[seg.ends[k].node].IsExternal())
            {
                seg.externalEnd = static_cast<int32_t>(k);
            }
        }
        if (seg.externalEnd < 0 || seg.ends.size() == 2)
        {
            continue;
        }
        const ScenarioEndpoint& ext = seg.ends[seg.externalEnd];
        std::string others;
        std::string at;
        for (uint32_t li : seg.links)
        {
            const ScenarioLink& l = m_s.links[li];
            if (!(l.a == ext) && !(l.b == ext) && at.empty())
            {
                at = l.pointer;
            }
        }
        for (const auto& e : seg.ends)
        {
            if (!(e == ext))
            {
                others += (others.empty() ? "" : ", ") + m_s.Describe(e);
            }
        }
        Error(at.empty() ? m_s.links[seg.links.front()].pointer : at,
              "external node " + Quote(m_s.nodes[ext.node].name) +
                  " is reached through a TAP device, a cable to one simulated interface; it "
                  "cannot share an Ethernet segment (" +
                  others + ")");
    }
}

void
Reader::ReadTraffic(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/traffic", i);
    if (!ExpectObject(v, ptr, "a traffic item"))
    {
        return;
    }
    ScenarioTraffic t;
    t.pointer = ptr;
    auto kind = GetString(v, ptr, "kind", true);
    if (!kind)
    {
        return;
    }
    const std::vector<std::string> common = {"kind", "from", "to", "start", "stop"};
    auto with = [&](std::vector<std::string> more)
    {
        more.insert(more.end(), common.begin(), common.end());
        return more;
    };
    const size_t before = issues.size();
    bool silent = false; // left out without a message of its own
    // From an external node the real host sends by itself: only the sink is simulated.
    int32_t externalFrom = -1;
    bool fromLeftOut = false; // a node with errors of its own: what it needs is unknown
    if (auto f = v.find("from"); f != v.end() && f->is_string())
    {
        const int32_t n = m_s.FindNode(f->get<std::string>());
        if (n >= 0 && m_s.nodes[n].IsExternal())
        {
            externalFrom = n;
        }
        fromLeftOut = n < 0 && m_nodeNames.count(f->get<std::string>());
    }
    const std::string externalWho =
        externalFrom >= 0 ? "external node " + Quote(m_s.nodes[externalFrom].name) : "";
    if (externalFrom >= 0 && *kind == "ping")
    {
        Error(JPtr(ptr, "kind"), externalWho + " pings by itself (ping in its namespace); only "
                                               "udp and tcp sinks are set up for traffic from it");
        return;
    }
    if (externalFrom >= 0 && (*kind == "udp" || *kind == "tcp"))
    {
        t.kind = *kind == "udp" ? ScenarioTrafficKind::UDP : ScenarioTrafficKind::TCP;
        for (const char* key : {"rate", "size", "bytes"})
        {
            if (v.contains(key))
            {
                Error(JPtr(ptr, key), externalWho + " sends what its own programs send: traffic "
                                                    "from it sets up only the sink (kind, from, "
                                                    "to, port, start, stop)");
            }
        }
        CheckKeys(v, ptr, with({"port", "rate", "size", "bytes"}));
    }
    else if (*kind == "udp")
    {
        t.kind = ScenarioTrafficKind::UDP;
        CheckKeys(v, ptr, with({"rate", "size", "port", "pattern", "payload"}));
        if (auto r = GetRate(v, ptr, "rate", !fromLeftOut))
        {
            t.rate = *r;
        }
        t.size = static_cast<uint32_t>(GetUnsigned(v, ptr, "size", false, 1, 65507).value_or(512));
        if (auto pattern = GetString(v, ptr, "pattern", false))
        {
            if (*pattern == "poisson")
            {
                t.poisson = true;
                t.sequencePayload = true;
            }
            else if (*pattern != "cbr")
            {
                Error(JPtr(ptr, "pattern"), "a UDP pattern is \"cbr\" (constant gaps) or "
                                            "\"poisson\" (exponential gaps at the same mean "
                                            "rate), not " +
                                                Quote(*pattern));
            }
        }
        if (auto payload = GetString(v, ptr, "payload", false))
        {
            if (*payload == "sequence")
            {
                t.sequencePayload = true;
            }
            else if (*payload != "zeros" || t.poisson)
            {
                Error(JPtr(ptr, "payload"),
                      t.poisson && *payload == "zeros"
                          ? "a \"poisson\" flow sends numbered datagrams (\"sequence\")"
                          : "a UDP payload is \"zeros\" or \"sequence\", not " +
                                Quote(*payload));
            }
        }
        if (t.sequencePayload && t.size < 12)
        {
            Error(JPtr(ptr, "size"), "numbered datagrams (\"sequence\" payload, \"poisson\" "
                                     "pattern) carry a 12-byte header: size at least 12");
        }
    }
    else if (*kind == "ping")
    {
        t.kind = ScenarioTrafficKind::PING;
        CheckKeys(v, ptr, with({"count", "interval", "size"}));
        t.count =
            static_cast<uint32_t>(GetUnsigned(v, ptr, "count", false, 1, 1000000).value_or(5));
        t.interval = GetTime(v, ptr, "interval", false).value_or(Seconds(1));
        if (t.interval.IsZero())
        {
            Error(JPtr(ptr, "interval"), "must be more than 0");
        }
        t.size = static_cast<uint32_t>(GetUnsigned(v, ptr, "size", false, 8, 65507).value_or(56));
    }
    else if (*kind == "tcp")
    {
        t.kind = ScenarioTrafficKind::TCP;
        CheckKeys(v, ptr, with({"bytes", "port"}));
        t.bytes = GetUnsigned(v, ptr, "bytes", false, 0, UINT64_MAX).value_or(0);
    }
    else
    {
        Error(JPtr(ptr, "kind"), "traffic is \"udp\", \"ping\" or \"tcp\", not " + Quote(*kind));
        return;
    }
    if (t.kind != ScenarioTrafficKind::PING)
    {
        t.port =
            static_cast<uint16_t>(GetUnsigned(v, ptr, "port", false, 1, 65535).value_or(5000 + i));
    }
    if (auto from = GetString(v, ptr, "from", true))
    {
        const int32_t n = m_s.FindNode(*from);
        if (n < 0)
        {
            if (!m_nodeNames.count(*from))
            {
                Error(JPtr(ptr, "from"), "node " + Quote(*from) + " is not defined");
            }
            else
            {
                silent = true; // the node's own errors say why
            }
        }
        else
        {
            t.from = static_cast<uint32_t>(n);
        }
    }
    if (auto to = GetString(v, ptr, "to", true))
    {
        t.toText = *to;
        if (auto a = ParseDottedQuad(*to))
        {
            const int32_t n = m_s.FindNodeByAddress(*a);
            if (n < 0 && m_nodeErrors)
            {
                silent = true; // perhaps the address of a node with errors
            }
            else if (n < 0)
            {
                Error(JPtr(ptr, "to"), "no node has the address " + *to);
            }
            else
            {
                t.to = *a;
                t.toNode = static_cast<uint32_t>(n);
            }
        }
        else
        {
            const int32_t n = m_s.FindNode(*to);
            if (n < 0 && m_nodeNames.count(*to))
            {
                silent = true;
            }
            else if (n < 0)
            {
                Error(JPtr(ptr, "to"), Quote(*to) + " is neither an IPv4 address nor a node");
            }
            else if (m_s.nodes[n].IsRouter())
            {
                Error(JPtr(ptr, "to"),
                      "router " + Quote(*to) + " has several addresses: give the one to send to");
            }
            else
            {
                t.toNode = static_cast<uint32_t>(n);
                t.to = m_s.nodes[n].address;
            }
        }
    }
    t.start = GetTime(v, ptr, "start", false).value_or(Seconds(1));
    t.stop = GetTime(v, ptr, "stop", false).value_or(m_s.duration);
    if (issues.size() != before || silent || !m_durationOk)
    {
        return;
    }
    if (t.from == t.toNode)
    {
        Error(JPtr(ptr, "to"), "a flow goes from one node to another, not to itself");
        return;
    }
    if (m_s.nodes[t.from].IsExternal() && m_s.nodes[t.toNode].IsExternal())
    {
        Error(JPtr(ptr, "to"), "between two external nodes nothing is simulated");
        return;
    }
    if (t.start >= m_s.duration)
    {
        Error(JPtr(ptr, "start"), "starts at or after the end of the run (duration " +
                                      std::to_string(m_s.duration.GetSeconds()) + " s)");
        return;
    }
    if (t.stop > m_s.duration)
    {
        Error(JPtr(ptr, "stop"), "stops after the end of the run (duration " +
                                     std::to_string(m_s.duration.GetSeconds()) + " s)");
        return;
    }
    if (t.stop <= t.start)
    {
        Error(JPtr(ptr, "stop"), "stops before it starts");
        return;
    }
    if (t.kind == ScenarioTrafficKind::PING && t.PingsThatFit() < t.count)
    {
        Warn(JPtr(ptr, "count"), "only " + std::to_string(t.PingsThatFit()) + " of " +
                                     std::to_string(t.count) +
                                     " echo requests fit before it stops");
    }
    if (t.kind != ScenarioTrafficKind::PING && !m_s.nodes[t.toNode].IsExternal())
    {
        // (an external destination listens with its own programs: no sink is set up there)
        for (const auto& o : m_s.traffic)
        {
            if (o.kind == t.kind && o.toNode == t.toNode && o.to == t.to && o.port == t.port)
            {
                Error(JPtr(ptr, "port"), ToString(t.kind) + " port " + std::to_string(t.port) +
                                             " of " + t.toText + " is already the sink of " +
                                             o.pointer);
                return;
            }
        }
    }
    m_s.traffic.push_back(t);
}

void
Reader::ReadEvent(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/events", i);
    if (!ExpectObject(v, ptr, "an event"))
    {
        return;
    }
    ScenarioEvent e;
    e.pointer = ptr;
    CheckKeys(v, ptr, {"at", "node", "exec", "link", "state", "card", "reload", "power"});
    const size_t before = issues.size();
    auto at = GetTime(v, ptr, "at", true);
    if (at)
    {
        e.at = *at;
        if (m_durationOk && *at > m_s.duration)
        {
            Error(JPtr(ptr, "at"), "after the end of the run (duration " +
                                       std::to_string(m_s.duration.GetSeconds()) + " s)");
        }
    }
    if (v.contains("card"))
    {
        ReadCardEvent(v, e);
        if (issues.size() == before)
        {
            m_s.events.push_back(e);
        }
        return;
    }
    if (v.contains("reload") || v.contains("power"))
    {
        ReadPowerEvent(v, e);
        if (issues.size() == before)
        {
            m_s.events.push_back(e);
        }
        return;
    }
    const bool isExec = v.contains("node") || v.contains("exec");
    const bool isLink = v.contains("link") || v.contains("state");
    if (isExec == isLink)
    {
        Error(ptr, "an event has \"node\" and \"exec\" (an EXEC command), or \"link\" and "
                   "\"state\" (a cable pulled or plugged back)");
        return;
    }
    if (isExec)
    {
        e.kind = ScenarioEvent::Kind::EXEC;
        auto node = GetString(v, ptr, "node", true);
        auto exec = GetString(v, ptr, "exec", true);
        if (node)
        {
            const int32_t n = m_s.FindNode(*node);
            if (n < 0)
            {
                if (!m_nodeNames.count(*node))
                {
                    Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
                }
            }
            else if (!m_s.nodes[n].IsRouter())
            {
                Error(JPtr(ptr, "node"),
                      Quote(*node) + " is " +
                          (m_s.nodes[n].IsExternal() ? "an external node" : "a host") +
                          "; EXEC commands run on routers");
            }
            else
            {
                e.node = static_cast<uint32_t>(n);
            }
        }
        if (exec)
        {
            try
            {
                IosExecParser::Parse(*exec);
                e.exec = *exec;
            }
            catch (const IosConfigError& err)
            {
                Error(JPtr(ptr, "exec"), "\n" + WithoutLocation(err));
            }
        }
    }
    else
    {
        e.kind = ScenarioEvent::Kind::LINK_STATE;
        auto state = GetString(v, ptr, "state", true);
        if (state && *state != "up" && *state != "down")
        {
            Error(JPtr(ptr, "state"), "a link state is \"up\" or \"down\", not " + Quote(*state));
        }
        e.up = state && *state == "up";
        auto it = v.find("link");
        if (it == v.end())
        {
            Error(ptr, "missing key \"link\"");
        }
        else if (auto end = ReadEndpoint(*it, JPtr(ptr, "link")))
        {
            bool found = false;
            for (const auto& l : m_s.links)
            {
                if (l.a == *end || l.b == *end)
                {
                    e.end = *end;
                    e.node = end->node;
                    e.segment = l.segment;
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                Error(JPtr(ptr, "link"), m_s.Describe(*end) + " is the end of no link");
            }
            else if (m_s.segments[e.segment].externalEnd >= 0)
            {
                const auto& seg = m_s.segments[e.segment];
                Error(JPtr(ptr, "link"),
                      "cable pulls are not modelled on the link to external node " +
                          Quote(m_s.nodes[seg.ends[seg.externalEnd].node].name) +
                          " (take its TAP device down in its namespace instead)");
            }
        }
    }
    if (issues.size() == before)
    {
        m_s.events.push_back(e);
    }
}

void
Reader::ReadHardware(const nlohmann::json& v, ScenarioNode& n)
{
    const std::string& ptr = n.pointer;
    auto platform = GetString(v, ptr, "platform", false);
    auto mods = v.find("modules");
    if (!platform)
    {
        if (mods != v.end())
        {
            Error(JPtr(ptr, "modules"), "modules need a \"platform\" to sit in");
        }
        return;
    }
    const IpsecCalibration* cal = nullptr;
    try
    {
        cal = &IpsecCalibration::Default();
    }
    catch (const IpsecCalibrationError& e)
    {
        Error(JPtr(ptr, "platform"), std::string("the hardware calibration cannot be used: ") +
                                         e.what());
        return;
    }
    auto list = [](const std::vector<std::string>& names) {
        std::string t;
        for (const auto& x : names)
        {
            t += (t.empty() ? "" : ", ") + x;
        }
        return t;
    };
    const auto platforms = cal->GetPlatformNames();
    if (std::find(platforms.begin(), platforms.end(), *platform) == platforms.end())
    {
        Error(JPtr(ptr, "platform"), "unknown platform " + Quote(*platform) + " (the calibration has " +
                                         list(platforms) + ")");
        return;
    }
    n.platform = *platform;
    if (mods == v.end())
    {
        return;
    }
    if (!mods->is_array())
    {
        Error(JPtr(ptr, "modules"), "expected an array of card names, e.g. [\"MOD1700-VPN\"]");
        return;
    }
    const auto cards = cal->GetCardNames();
    for (size_t k = 0; k < mods->size(); ++k)
    {
        const std::string mp = JPtr(JPtr(ptr, "modules"), k);
        const auto& m = (*mods)[k];
        if (!m.is_string())
        {
            Error(mp, "expected a card name (a string)");
            continue;
        }
        const std::string name = m.get<std::string>();
        if (std::find(cards.begin(), cards.end(), name) == cards.end())
        {
            Error(mp, "unknown card " + Quote(name) + " (the calibration has " + list(cards) + ")");
            continue;
        }
        const auto& fits = cal->GetCard(name).platforms;
        if (!fits.empty() && std::find(fits.begin(), fits.end(), n.platform) == fits.end())
        {
            Error(mp, "card " + Quote(name) + " does not fit platform " + Quote(n.platform) +
                          " (it fits " + list(fits) + ")");
            continue;
        }
        n.modules.push_back(name);
    }
}

void
Reader::ReadCardEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::CARD_STATE;
    for (const char* k : {"exec", "link"})
    {
        if (v.contains(k))
        {
            Error(JPtr(ptr, k), "a card event has \"node\", \"card\" and \"state\" only");
        }
    }
    auto state = GetString(v, ptr, "state", true);
    if (state && *state != "failed" && *state != "up")
    {
        Error(JPtr(ptr, "state"), "a card state is \"failed\" or \"up\", not " + Quote(*state));
    }
    e.up = state && *state == "up";
    auto slot = GetUnsigned(v, ptr, "card", true, 0, 15);
    auto node = GetString(v, ptr, "node", true);
    if (!node || !slot)
    {
        return;
    }
    const int32_t n = m_s.FindNode(*node);
    if (n < 0)
    {
        if (!m_nodeNames.count(*node))
        {
            Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
        }
        return;
    }
    const ScenarioNode& r = m_s.nodes[n];
    if (*slot >= r.modules.size())
    {
        Error(JPtr(ptr, "card"), Quote(*node) + " has " + std::to_string(r.modules.size()) +
                                     " card(s) in \"modules\"; slot " + std::to_string(*slot) +
                                     " is not one of them");
        return;
    }
    e.node = static_cast<uint32_t>(n);
    e.slot = static_cast<uint32_t>(*slot);
}

void
Reader::ReadPowerEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::POWER;
    for (const char* k : {"exec", "link", "state", "card"})
    {
        if (v.contains(k))
        {
            Error(JPtr(ptr, k), "a power event has \"node\" and \"reload\" (off, then on after "
                                "that time) or \"power\" (\"off\" or \"on\") only");
        }
    }
    if (v.contains("reload") && v.contains("power"))
    {
        Error(JPtr(ptr, "power"), "\"reload\" is \"power\": \"off\" and, after that time, "
                                  "\"on\": give one of them");
        return;
    }
    if (v.contains("reload"))
    {
        e.up = false;
        if (auto t = GetTime(v, ptr, "reload", true))
        {
            if (t->IsZero())
            {
                Error(JPtr(ptr, "reload"), "a reload takes some time (more than 0)");
            }
            else if (m_durationOk && e.at + *t > m_s.duration)
            {
                Error(JPtr(ptr, "reload"),
                      "the router would boot after the end of the run (duration " +
                          std::to_string(m_s.duration.GetSeconds()) +
                          " s); to switch it off for good, give \"power\": \"off\"");
            }
            e.reload = *t;
        }
    }
    else if (auto power = GetString(v, ptr, "power", true))
    {
        if (*power != "off" && *power != "on")
        {
            Error(JPtr(ptr, "power"), "power is \"off\" or \"on\", not " + Quote(*power));
        }
        e.up = *power == "on";
    }
    auto node = GetString(v, ptr, "node", true);
    if (!node)
    {
        return;
    }
    const int32_t n = m_s.FindNode(*node);
    if (n < 0)
    {
        if (!m_nodeNames.count(*node))
        {
            Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
        }
        return;
    }
    if (!m_s.nodes[n].IsRouter())
    {
        Error(JPtr(ptr, "node"), Quote(*node) + " is not a router: only routers lose power here");
        return;
    }
    e.node = static_cast<uint32_t>(n);
}

/** Line and column of byte @p offset in @p text, both from 1. */
std::pair<size_t, size_t>
LineColumn(const std::string& text, size_t offset)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
    {
        if (text[i] == '\n')
        {
            ++line;
            col = 1;
        }
        else
        {
            ++col;
        }
    }
    return {line, col};
}

std::optional<std::string>
ReadFileText(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return std::nullopt;
    }
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}
} // namespace

Scenario
ScenarioLoader::LoadFile(const std::string& path)
{
    auto text = ReadFileText(path);
    if (!text)
    {
        throw ScenarioError(path, {{"", "cannot read the scenario file", false}});
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return LoadString(*text, path, dir);
}

Scenario
ScenarioLoader::LoadString(const std::string& text, const std::string& file,
                           const std::string& directory, FileReader reader)
{
    Scenario s;
    s.file = file;
    s.directory = directory;
    s.name = std::filesystem::path(file).stem().string();
    nlohmann::json root;
    try
    {
        root = nlohmann::json::parse(text);
    }
    catch (const nlohmann::json::exception& e)
    {
        // A syntax error, or a number too large for a double (out_of_range 406, which has no
        // position of its own: the message names the number). nlohmann's message already says
        // where ("at line 3, column 5"); keep only that part.
        std::string what = e.what();
        const auto colon = what.find(": ");
        if (what.rfind("[json.exception", 0) == 0 && colon != std::string::npos)
        {
            what = what.substr(colon + 2);
        }
        else if (what.rfind("[json.exception", 0) == 0 && what.find("] ") != std::string::npos)
        {
            what = what.substr(what.find("] ") + 2);
        }
        const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e);
        const size_t byte = pe ? pe->byte : 0;
        if (!pe)
        {
            const auto n = what.find('\'');
            const auto at =
                n == std::string::npos ? std::string::npos
                                       : text.find(what.substr(n + 1, what.find('\'', n + 1) - n - 1));
            const auto [line, col] = LineColumn(text, at == std::string::npos ? 0 : at);
            throw ScenarioError(file, {{"",
                                        "not a JSON file (line " + std::to_string(line) +
                                            ", column " + std::to_string(col) + "): " + what,
                                        false}});
        }
        const auto [line, col] = LineColumn(text, byte > 0 ? byte - 1 : 0);
        throw ScenarioError(file, {{"",
                                    "not a JSON file (line " + std::to_string(line) + ", column " +
                                        std::to_string(col) + "): " + what,
                                    false}});
    }
    Reader r(s, reader ? reader : FileReader(ReadFileText));
    r.Read(root);
    if (r.issues.empty())
    {
        ScenarioTopology topo(s);
        for (auto& i : topo.Check())
        {
            (i.warning ? s.warnings : r.issues).push_back(i);
        }
    }
    if (!r.issues.empty())
    {
        throw ScenarioError(file, r.issues);
    }
    return s;
}

// --- the scenario ---------------------------------------------------------------------------

uint32_t
ScenarioTraffic::PingsThatFit() const
{
    if (kind != ScenarioTrafficKind::PING || !interval.IsStrictlyPositive() || stop <= start)
    {
        return 0;
    }
    // Requests at start, start + interval, ... strictly before stop.
    const int64_t slots = (stop - start - TimeStep(1)).GetTimeStep() / interval.GetTimeStep() + 1;
    return static_cast<uint32_t>(std::min<int64_t>(slots, count));
}

int32_t
Scenario::FindNode(const std::string& name) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
    {
        if (nodes[i].name == name)
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

int32_t
Scenario::FindNodeByAddress(Ipv4Address address) const
{
    for (size_t i = 0; i < nodes.size(); ++i)
    {
        const ScenarioNode& n = nodes[i];
        if (!n.IsRouter())
        {
            if (n.Owns(address))
            {
                return static_cast<int32_t>(i);
            }
            continue;
        }
        for (const auto& f : n.config.interfaces)
        {
            if (f.address && *f.address == address)
            {
                return static_cast<int32_t>(i);
            }
        }
    }
    return -1;
}

std::optional<std::pair<Ipv4Address, Ipv4Mask>>
Scenario::AddressOf(const ScenarioEndpoint& end) const
{
    const ScenarioNode& n = nodes.at(end.node);
    if (!n.IsRouter())
    {
        return std::make_pair(n.address, n.mask);
    }
    const IosInterface* f = n.config.FindInterface(end.interface);
    if (!f || !f->address)
    {
        return std::nullopt;
    }
    return std::make_pair(*f->address, f->mask);
}

std::string
Scenario::Describe(const ScenarioEndpoint& end) const
{
    return nodes.at(end.node).name + ":" + end.interface;
}

bool
Scenario::HasExternal() const
{
    return std::any_of(nodes.begin(), nodes.end(),
                       [](const ScenarioNode& n) { return n.IsExternal(); });
}

bool
ScenarioNode::Owns(Ipv4Address a) const
{
    if (IsRouter())
    {
        return false;
    }
    if (address == a)
    {
        return true;
    }
    return std::any_of(networks.begin(), networks.end(),
                       [a](const auto& net)
                       { return a.CombineMask(net.second) == net.first.CombineMask(net.second); });
}

// --- the topology graph ---------------------------------------------------------------------

ScenarioTopology::ScenarioTopology(const Scenario& s)
    : m_scenario(s), m_graph(s.nodes.size() + s.segments.size())
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        m_graph[i] = Vertex{false, static_cast<uint32_t>(i)};
    }
    for (size_t k = 0; k < s.segments.size(); ++k)
    {
        const auto v = s.nodes.size() + k;
        m_graph[v] = Vertex{true, static_cast<uint32_t>(k)};
        for (const auto& e : s.segments[k].ends)
        {
            boost::add_edge(e.node, v, Edge{e.interface}, m_graph);
        }
    }
}

std::optional<ScenarioTopology::Hop>
ScenarioTopology::Lookup(uint32_t node, Ipv4Address dst, int depth) const
{
    const ScenarioNode& n = m_scenario.nodes[node];
    if (!n.IsRouter())
    {
        if (SameSubnet(n.address, n.mask, dst))
        {
            return Hop{n.hostInterface, std::nullopt};
        }
        if (n.gateway)
        {
            return Hop{n.hostInterface, n.gateway};
        }
        return std::nullopt;
    }
    // Longest prefix first; among equal prefixes the lower administrative distance (connected
    // networks count 0), then the first configured.
    std::optional<Hop> best;
    int bestLen = -1;
    int bestDistance = 256;
    auto consider = [&](int len, int distance, const Hop& h)
    {
        if (len > bestLen || (len == bestLen && distance < bestDistance))
        {
            best = h;
            bestLen = len;
            bestDistance = distance;
        }
    };
    for (const auto& f : n.config.interfaces)
    {
        if (f.address && !f.shutdown && SameSubnet(*f.address, f.mask, dst))
        {
            consider(static_cast<int>(PrefixLength(f.mask)), 0, Hop{f.name, std::nullopt});
        }
    }
    for (const auto& r : n.config.routes)
    {
        if (!SameSubnet(r.network, r.mask, dst))
        {
            continue;
        }
        const int len = static_cast<int>(PrefixLength(r.mask));
        if (!r.interface.empty())
        {
            const IosInterface* f = n.config.FindInterface(r.interface);
            if (f && !f->shutdown)
            {
                consider(len, r.distance, Hop{f->name, r.nextHop});
            }
            continue;
        }
        if (!r.nextHop || depth > 4)
        {
            continue;
        }
        // The next hop must lie on a connected network (as IosRouter installs it).
        for (const auto& f : n.config.interfaces)
        {
            if (f.address && !f.shutdown && SameSubnet(*f.address, f.mask, *r.nextHop))
            {
                consider(len, r.distance, Hop{f.name, r.nextHop});
                break;
            }
        }
    }
    return best;
}

int32_t
ScenarioTopology::Neighbour(uint32_t node, const std::string& interface, Ipv4Address a) const
{
    for (auto [ei, eend] = boost::out_edges(node, m_graph); ei != eend; ++ei)
    {
        if (m_graph[*ei].interface != interface)
        {
            continue;
        }
        const auto seg = boost::target(*ei, m_graph);
        const ScenarioSegment& s = m_scenario.segments[m_graph[seg].index];
        for (const auto& e : s.ends)
        {
            if (e.node == node && e.interface == interface)
            {
                continue;
            }
            // A serial line delivers whatever is sent into it to the other end.
            if (s.type == ScenarioLinkType::SERIAL)
            {
                return static_cast<int32_t>(e.node);
            }
            auto addr = m_scenario.AddressOf(e);
            if ((addr && addr->first == a) || m_scenario.nodes[e.node].Owns(a))
            {
                return static_cast<int32_t>(e.node);
            }
        }
    }
    return -1;
}

std::optional<std::vector<uint32_t>>
ScenarioTopology::Trace(uint32_t from, Ipv4Address dst, std::string* why) const
{
    std::vector<uint32_t> path{from};
    std::set<uint32_t> seen{from};
    uint32_t cur = from;
    std::string dstText = AddressText(dst);
    for (int hops = 0; hops < 64; ++hops)
    {
        // A static NAT router (ip nat inside source static) sends its global addresses on to
        // the inside local ones.
        if (m_scenario.nodes[cur].IsRouter())
        {
            for (const auto& n : m_scenario.nodes[cur].config.staticNat)
            {
                if (n.global == dst)
                {
                    dst = n.local;
                    break;
                }
            }
        }
        if (m_scenario.FindNodeByAddress(dst) == static_cast<int32_t>(cur))
        {
            return path;
        }
        const std::string& name = m_scenario.nodes[cur].name;
        auto hop = Lookup(cur, dst);
        if (!hop)
        {
            *why = name + " has no route to " + dstText;
            return std::nullopt;
        }
        const Ipv4Address next = hop->nextHop.value_or(dst);
        int32_t n = -1;
        // Into a GRE tunnel: the packet travels to the tunnel's destination as the router's own
        // GRE packet, and comes out of the router that owns that address.
        const IosInterface* tunnel =
            m_scenario.nodes[cur].IsRouter() && hop->interface.rfind("Tunnel", 0) == 0
                ? m_scenario.nodes[cur].config.FindInterface(hop->interface)
                : nullptr;
        if (tunnel)
        {
            if (!tunnel->tunnelDestination)
            {
                *why = name + " routes " + dstText + " into " + hop->interface +
                       ", which has no tunnel destination";
                return std::nullopt;
            }
            std::string w;
            auto outer = Trace(cur, *tunnel->tunnelDestination, &w);
            if (!outer)
            {
                *why = name + " routes " + dstText + " into " + hop->interface + ", whose GRE to " +
                       AddressText(*tunnel->tunnelDestination) + " goes nowhere: " + w;
                return std::nullopt;
            }
            for (size_t k = 1; k + 1 < outer->size(); ++k)
            {
                path.push_back((*outer)[k]); // the routers the GRE packets cross
            }
            n = static_cast<int32_t>(outer->back());
        }
        else
        {
            n = Neighbour(cur, hop->interface, next);
        }
        if (n < 0)
        {
            const bool linked = [&]
            {
                for (auto [ei, eend] = boost::out_edges(cur, m_graph); ei != eend; ++ei)
                {
                    if (m_graph[*ei].interface == hop->interface)
                    {
                        return true;
                    }
                }
                return false;
            }();
            if (!linked)
            {
                *why = name + " routes " + dstText + " out of " + hop->interface +
                       ", which has no link";
            }
            else if (hop->nextHop)
            {
                *why = name + " routes " + dstText + " via " + AddressText(next) +
                       ", which no node on " + name + ":" + hop->interface + "'s link has";
            }
            else
            {
                *why = dstText + " is on no node of " + name + ":" + hop->interface + "'s link";
            }
            return std::nullopt;
        }
        if (seen.count(static_cast<uint32_t>(n)))
        {
            std::string loop;
            for (uint32_t p : path)
            {
                loop += m_scenario.nodes[p].name + " -> ";
            }
            *why = "routing loop: " + loop + m_scenario.nodes[n].name;
            return std::nullopt;
        }
        cur = static_cast<uint32_t>(n);
        seen.insert(cur);
        path.push_back(cur);
    }
    *why = "more than 64 hops";
    return std::nullopt;
}

std::vector<ScenarioIssue>
ScenarioTopology::Check() const
{
    std::vector<ScenarioIssue> out;
    const Scenario& s = m_scenario;
    if (s.nodes.empty())
    {
        return out;
    }

    // Unconnected nodes: no link at all, or a part of the graph apart from the first node's.
    std::vector<int> component(boost::num_vertices(m_graph));
    const int parts = boost::connected_components(m_graph, component.data());
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        if (boost::out_degree(i, m_graph) == 0)
        {
            out.push_back(
                {s.nodes[i].pointer,
                 "node " + Quote(s.nodes[i].name) + " has no link (no \"links\" item names it)",
                 false});
        }
    }
    if (parts > 1)
    {
        // The largest part is "the network"; nodes outside it are reported.
        std::map<int, size_t> size;
        for (size_t i = 0; i < s.nodes.size(); ++i)
        {
            ++size[component[i]];
        }
        int main = component[0];
        for (const auto& [c, n] : size)
        {
            if (n > size[main])
            {
                main = c;
            }
        }
        uint32_t anchor = 0;
        while (component[anchor] != main)
        {
            ++anchor;
        }
        for (size_t i = 0; i < s.nodes.size(); ++i)
        {
            if (component[i] != main && boost::out_degree(i, m_graph) > 0)
            {
                out.push_back({s.nodes[i].pointer,
                               "node " + Quote(s.nodes[i].name) + " is not connected to " +
                                   Quote(s.nodes[anchor].name) + " (no chain of links joins them)",
                               false});
            }
        }
    }

    // Duplicate addresses.
    std::map<uint32_t, std::string> owner; // address -> "R1:Ethernet0"
    for (const auto& n : s.nodes)
    {
        if (!n.IsRouter())
        {
            const auto [it, fresh] = owner.emplace(n.address.Get(), n.name + ":" + n.hostInterface);
            if (!fresh)
            {
                out.push_back({n.pointer + "/address",
                               AddressText(n.address) + " is already the address of " + it->second,
                               false});
            }
            continue;
        }
        for (const auto& f : n.config.interfaces)
        {
            if (!f.address)
            {
                continue;
            }
            const auto [it, fresh] = owner.emplace(f.address->Get(), n.name + ":" + f.name);
            if (!fresh)
            {
                out.push_back({ConfigPointer(n, f.where.line),
                               ConfigWhere(n, f.where) + "interface " + f.name + ": " +
                                   AddressText(*f.address) + " is already the address of " +
                                   it->second,
                               false});
            }
        }
    }

    // The networks of an external node hold no address of another node (an address has one
    // owner, for traffic and for following routes).
    for (const auto& n : s.nodes)
    {
        for (size_t k = 0; k < n.networks.size(); ++k)
        {
            const auto& [net, mask] = n.networks[k];
            for (const auto& [addr, who] : owner)
            {
                const Ipv4Address a(addr);
                if (who.rfind(n.name + ":", 0) != 0 && a.CombineMask(mask) == net.CombineMask(mask))
                {
                    out.push_back({n.pointer + "/networks/" + std::to_string(k),
                                   AddressText(net) + "/" + std::to_string(mask.GetPrefixLength()) +
                                       " holds " + AddressText(a) + ", the address of " + who,
                                   false});
                }
            }
        }
    }

    // The ends of one medium should share a subnet; a host's gateway must be on its segment.
    for (const auto& seg : s.segments)
    {
        std::optional<std::pair<Ipv4Address, Ipv4Mask>> first;
        ScenarioEndpoint firstEnd;
        for (const auto& e : seg.ends)
        {
            auto a = s.AddressOf(e);
            if (!a)
            {
                out.push_back({s.nodes[e.node].pointer,
                               s.Describe(e) + " has a link but no IP address", true});
                continue;
            }
            if (!first)
            {
                first = a;
                firstEnd = e;
            }
            else if (!SameSubnet(first->first, first->second, a->first) ||
                     !SameSubnet(a->first, a->second, first->first))
            {
                out.push_back({s.nodes[e.node].pointer,
                               s.Describe(e) + " (" + AddressText(a->first) + ") and " +
                                   s.Describe(firstEnd) + " (" + AddressText(first->first) +
                                   ") share a link but not a subnet",
                               true});
            }
        }
    }
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const ScenarioNode& n = s.nodes[i];
        if (n.IsRouter() || !n.gateway || boost::out_degree(i, m_graph) == 0)
        {
            continue;
        }
        if (Neighbour(static_cast<uint32_t>(i), n.hostInterface, *n.gateway) < 0)
        {
            out.push_back({n.pointer + "/gateway",
                           "no node on " + n.name + "'s link has the gateway address " +
                               AddressText(*n.gateway),
                           false});
        }
    }
    if (std::any_of(out.begin(), out.end(), [](const ScenarioIssue& i) { return !i.warning; }))
    {
        return out; // routes over a broken graph would only repeat the errors above
    }

    // Every `set peer` of a crypto map applied to an interface must be reachable by the
    // configured routes.
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const ScenarioNode& n = s.nodes[i];
        if (!n.IsRouter())
        {
            continue;
        }
        std::set<std::string> applied;
        for (const auto& f : n.config.interfaces)
        {
            if (!f.cryptoMap.empty() && !f.shutdown)
            {
                applied.insert(f.cryptoMap);
            }
        }
        // IKE with certificates is not modelled: such a policy can never be agreed.
        bool usesIke = false;
        for (const auto& e : n.config.cryptoMaps)
        {
            usesIke |= applied.count(e.map) && e.kind != IosCryptoMapKind::IPSEC_MANUAL;
        }
        for (const auto& [prio, pol] : n.config.isakmpPolicies)
        {
            if (usesIke && pol.authentication != IosIsakmpAuthentication::PRE_SHARE)
            {
                out.push_back({ConfigPointer(n, pol.where.line),
                               ConfigWhere(n, pol.where) + "crypto isakmp policy " +
                                   std::to_string(prio) +
                                   ": authentication by certificates (rsa-sig, rsa-encr) is not "
                                   "modelled; IKE never agrees on this policy",
                               true});
            }
        }
        for (const auto& e : n.config.cryptoMaps)
        {
            if (!applied.count(e.map))
            {
                continue;
            }
            for (const auto& peer : e.peers)
            {
                const std::string where = ConfigWhere(n, e.where) + "crypto map " + e.map + " " +
                                          std::to_string(e.seq) + ": set peer " + peer;
                auto addr = ParseDottedQuad(peer);
                if (!addr)
                {
                    out.push_back({ConfigPointer(n, e.where.line),
                                   where + ": a host name; its reachability is not checked", true});
                    continue;
                }
                std::string why;
                auto path = Trace(static_cast<uint32_t>(i), *addr, &why);
                if (!path)
                {
                    out.push_back({ConfigPointer(n, e.where.line),
                                   where + " cannot be reached: " + why, false});
                }
                else if (!s.nodes[path->back()].IsRouter() && !s.nodes[path->back()].IsExternal())
                {
                    out.push_back(
                        {ConfigPointer(n, e.where.line),
                         where + " is host " + s.nodes[path->back()].name + ", which runs no IPsec",
                         true});
                }
            }
        }
    }

    // Traffic with no route there or back: a warning (the run may mean to show exactly that).
    for (const auto& t : s.traffic)
    {
        std::string why;
        if (!Trace(t.from, t.to, &why))
        {
            out.push_back({t.pointer,
                           "no route from " + s.nodes[t.from].name + " to " + t.toText + ": " + why,
                           true});
            continue;
        }
        const ScenarioNode& src = s.nodes[t.from];
        if (!src.IsRouter() && !Trace(t.toNode, src.address, &why))
        {
            out.push_back({t.pointer,
                           "no route back from " + s.nodes[t.toNode].name + " to " +
                               AddressText(src.address) + ": " + why,
                           true});
        }
    }
    return out;
}

// --- the built-in default -------------------------------------------------------------------

// The same bytes as scenarios/default/ (a test compares them).
const std::vector<std::pair<std::string, std::string>>&
ScenarioLoader::DefaultFiles()
{
    static const std::vector<std::pair<std::string, std::string>> files = {
        {"scenario.json", R"IPSEC({
  "name": "default: the spec's example, two sites keyed by hand",
  "comment": "Two LANs joined by a T1 serial line; R1 and R2 protect LAN-to-LAN traffic with manually keyed ESP (3DES, HMAC-MD5).",
  "duration": 10,
  "seed": 1,
  "nodes": [
    {"name": "R1", "config": "R1.cfg"},
    {"name": "R2", "config": "R2.cfg"},
    {"name": "h1", "kind": "host", "address": "10.0.0.10/24", "gateway": "10.0.0.1"},
    {"name": "h3", "kind": "host", "address": "10.0.0.11/24", "gateway": "10.0.0.1"},
    {"name": "h2", "kind": "host", "address": "10.2.2.5/24", "gateway": "10.2.2.1"}
  ],
  "links": [
    {"a": "R1:Serial0", "b": "R2:Serial0", "type": "serial", "rate": "1544kbps", "delay": "10ms"},
    {"a": "h1:eth0", "b": "R1:Ethernet0", "type": "ethernet", "rate": "100Mbps", "delay": "0.1ms"},
    {"a": "h3:eth0", "b": "R1:Ethernet0", "type": "ethernet"},
    {"a": "h2:eth0", "b": "R2:Ethernet0", "type": "ethernet", "rate": "100Mbps", "delay": "0.1ms"}
  ],
  "traffic": [
    {"kind": "udp", "from": "h1", "to": "10.2.2.5", "rate": "256kbps", "size": 512, "start": 1, "stop": 8},
    {"kind": "udp", "from": "h2", "to": "10.0.0.10", "rate": "64kbps", "size": 256, "start": 1.5, "stop": 8},
    {"kind": "ping", "from": "h3", "to": "10.2.2.5", "count": 5, "start": 2},
    {"kind": "tcp", "from": "h2", "to": "10.0.0.10", "bytes": 60000, "start": 3}
  ],
  "events": [
    {"at": 5, "node": "R1", "exec": "show crypto ipsec sa"},
    {"at": 5, "node": "R2", "exec": "show crypto map"},
    {"at": 9, "node": "R1", "exec": "show access-lists"}
  ]
}
)IPSEC"},
        {"R1.cfg",
         R"IPSEC(! R1: the spec's "IPsec Configuration Example" (access-list 101, transform sets myset1 and
! myset2, crypto map toRemoteSite on Serial0), keyed by hand: ipsec-manual with session keys
! instead of ipsec-isakmp. LAN 10.0.0.0/24 on Ethernet0, the serial line to R2 on Serial0.
hostname R1
!
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
!
crypto ipsec transform-set myset1 esp-des esp-sha
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
!
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 172.16.0.2
 set session-key inbound esp 8192 cipher 1032547698badcfeefcdab89674523018796a5b4c3d2e1f0 authenticator ffeeddccbbaa99887766554433221100
 set session-key outbound esp 4096 cipher 0123456789abcdeffedcba98765432100f1e2d3c4b5a6978 authenticator 00112233445566778899aabbccddeeff
!
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
!
interface Serial0
 ip address 172.16.0.1 255.255.255.252
 crypto map toRemoteSite
!
ip route 10.2.2.0 255.255.255.0 172.16.0.2
)IPSEC"},
        {"R2.cfg",
         R"IPSEC(! R2: the mirror image of R1 (IOS needs the peer's access list to be the mirror of ours and
! the keys crossed: R1's outbound SA is R2's inbound one). LAN 10.2.2.0/24 on Ethernet0.
hostname R2
!
access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255
!
crypto ipsec transform-set myset1 esp-des esp-sha
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
!
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 172.16.0.1
 set session-key inbound esp 4096 cipher 0123456789abcdeffedcba98765432100f1e2d3c4b5a6978 authenticator 00112233445566778899aabbccddeeff
 set session-key outbound esp 8192 cipher 1032547698badcfeefcdab89674523018796a5b4c3d2e1f0 authenticator ffeeddccbbaa99887766554433221100
!
interface Ethernet0
 ip address 10.2.2.1 255.255.255.0
!
interface Serial0
 ip address 172.16.0.2 255.255.255.252
 crypto map toRemoteSite
!
ip route 10.0.0.0 255.255.255.0 172.16.0.1
)IPSEC"},
    };
    return files;
}

Scenario
ScenarioLoader::LoadDefault()
{
    const auto& files = DefaultFiles();
    FileReader reader = [&files](const std::string& path) -> std::optional<std::string>
    {
        const std::string base = std::filesystem::path(path).filename().string();
        for (const auto& [name, text] : files)
        {
            if (name == base)
            {
                return text;
            }
        }
        return std::nullopt;
    };
    return LoadString(files.front().second, "scenarios/default/scenario.json (built in)",
                      "scenarios/default", reader);
}

} // namespace ns3
