#include "scenario-reader.h"

#include <algorithm>
#include <numeric>
#include <regex>
#include <sstream>

namespace ns3
{
namespace scenario_detail
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
} // namespace scenario_detail

using namespace scenario_detail;

void
ScenarioReader::CheckKeys(const nlohmann::json& obj, const std::string& ptr,
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
ScenarioReader::ExpectObject(const nlohmann::json& v, const std::string& ptr,
                             const std::string& what)
{
    if (!v.is_object())
    {
        Error(ptr, what + " must be an object, not " + TypeName(v));
        return false;
    }
    return true;
}

nlohmann::json::const_iterator
ScenarioReader::Find(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
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
ScenarioReader::GetString(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
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
ScenarioReader::GetUnsigned(const nlohmann::json& obj, const std::string& ptr,
                            const std::string& key, bool required, uint64_t min, uint64_t max)
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
ScenarioReader::GetTime(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
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
ScenarioReader::GetRate(const nlohmann::json& obj, const std::string& ptr, const std::string& key,
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
ScenarioReader::Read(const nlohmann::json& root)
{
    if (!root.is_object())
    {
        Error("", "a scenario is a JSON object, not " + TypeName(root));
        return;
    }
    CheckKeys(root, "",
              {"name", "duration", "seed", "run", "crypto", "nodes", "links", "traffic", "events",
               "sweep", "hosts", "clock", "certificate-authorities"});
    ReadSettings(root);
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
    if (auto hosts = root.find("hosts"); hosts != root.end())
    {
        ReadHostTable(*hosts, "/hosts", m_s.hosts);
    }
    ReadPki(root);
    ReadSections(root);
    GiveRoutersHostTable();
}

/** The run's settings: "crypto", "name", "duration", "seed", "run". */
void
ScenarioReader::ReadSettings(const nlohmann::json& root)
{
    if (auto c = GetString(root, "", "crypto", false))
    {
        if (*c != "real" && *c != "fast")
        {
            Error("/crypto", "\"real\" (the default: bytes encrypted) or \"fast\" (sizes and "
                             "timing as modelled, bytes not encrypted), not " +
                                 Quote(*c));
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
}

/** What names the nodes: "links", "traffic", "events", "sweep" (in that order: each may name
 *  what the ones before it read). */
void
ScenarioReader::ReadSections(const nlohmann::json& root)
{
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

const ScenarioNodeIndex&
ScenarioReader::Nodes()
{
    if (!m_index || m_index->Size() != m_s.nodes.size())
    {
        m_index = std::make_unique<ScenarioNodeIndex>(m_s);
    }
    return *m_index;
}

} // namespace ns3
