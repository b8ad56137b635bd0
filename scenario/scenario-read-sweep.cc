#include "scenario-reader.h"

#include <algorithm>
#include <set>

namespace ns3
{

using namespace scenario_detail;

namespace
{
const std::string kSweep = "/sweep";
} // namespace

void
ScenarioReader::ReadSweep(const nlohmann::json& v)
{
    const std::string& ptr = kSweep;
    if (!ExpectObject(v, ptr, "a sweep"))
    {
        return;
    }
    CheckKeys(v, ptr,
              {"traffic", "loads", "sizes", "configurations", "measure", "after_knee", "seeds",
               "tunnels", "ike_setups"});
    ScenarioSweep sw;
    const size_t before = issues.size();
    ReadSweepSeeds(v, sw);
    ReadSweepTraffic(v, sw);
    ReadSweepLoads(v, sw);
    ReadSweepSizes(v, sw);
    if (v.contains("tunnels"))
    {
        ReadSweepTunnels(v, sw);
    }
    ReadSweepMeasure(v, sw);
    ReadSweepIkeSetups(v, sw); // scenario-sweep-ike.cc
    if (auto a = GetUnsigned(v, ptr, "after_knee", false, 0, 100))
    {
        sw.afterKnee = static_cast<uint32_t>(*a);
    }
    ReadSweepConfigurations(v, sw);
    if (issues.size() == before)
    {
        m_s.sweep = sw;
    }
}

void
ScenarioReader::ReadSweepSeeds(const nlohmann::json& v, ScenarioSweep& sw)
{
    auto it = v.find("seeds");
    if (it == v.end())
    {
        return;
    }
    const std::string ptr = JPtr(kSweep, "seeds");
    if (!it->is_array() || it->empty())
    {
        Error(ptr, "\"seeds\" must be a non-empty array of seeds");
        return;
    }
    for (size_t k = 0; k < it->size(); ++k)
    {
        const auto& x = (*it)[k];
        if (!x.is_number_unsigned() || x.get<uint64_t>() < 1 || x.get<uint64_t>() > 0xffffffffULL)
        {
            Error(JPtr(ptr, k), "a seed is a whole number from 1 to 4294967295");
        }
        else
        {
            sw.seeds.push_back(x.get<uint32_t>());
        }
    }
}

/** "traffic": the index of the UDP flow whose rate and size the sweep varies. */
void
ScenarioReader::ReadSweepTraffic(const nlohmann::json& v, ScenarioSweep& sw)
{
    if (auto t = GetUnsigned(v, kSweep, "traffic", false, 0, 1000000))
    {
        sw.traffic = static_cast<uint32_t>(*t);
    }
    const std::string tp = JPtr("/traffic", sw.traffic);
    auto tr = std::find_if(m_s.traffic.begin(), m_s.traffic.end(),
                           [&](const ScenarioTraffic& x) { return x.pointer == tp; });
    if (tr == m_s.traffic.end())
    {
        Error(JPtr(kSweep, "traffic"), "there is no traffic entry " + tp);
    }
    else if (tr->kind != ScenarioTrafficKind::UDP)
    {
        Error(JPtr(kSweep, "traffic"),
              tp + " is not \"udp\": a sweep varies a UDP flow's rate and size");
    }
    else
    {
        sw.traffic = static_cast<uint32_t>(tr - m_s.traffic.begin());
    }
}

const nlohmann::json*
ScenarioReader::SweepArray(const nlohmann::json& v, const char* key)
{
    auto it = v.find(key);
    if (it == v.end())
    {
        Error(kSweep, std::string("missing key \"") + key + "\"");
        return nullptr;
    }
    if (!it->is_array() || it->empty())
    {
        Error(JPtr(kSweep, key), std::string("\"") + key + "\" must be a non-empty array");
        return nullptr;
    }
    return &*it;
}

void
ScenarioReader::ReadSweepLoads(const nlohmann::json& v, ScenarioSweep& sw)
{
    const nlohmann::json* loads = SweepArray(v, "loads");
    if (!loads)
    {
        return;
    }
    for (size_t k = 0; k < loads->size(); ++k)
    {
        nlohmann::json holder = {{"rate", (*loads)[k]}};
        if (auto r = GetRate(holder, JPtr(JPtr(kSweep, "loads"), k), "rate", true))
        {
            if (!sw.loads.empty() && r->GetBitRate() <= sw.loads.back().GetBitRate())
            {
                Error(JPtr(JPtr(kSweep, "loads"), k), "loads must ascend");
            }
            sw.loads.push_back(*r);
        }
    }
}

void
ScenarioReader::ReadSweepSizes(const nlohmann::json& v, ScenarioSweep& sw)
{
    const nlohmann::json* sizes = SweepArray(v, "sizes");
    if (!sizes)
    {
        return;
    }
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
            Error(JPtr(JPtr(kSweep, "sizes"), k),
                  "a size is an IP packet size from 29 to 1500 bytes, or \"imix\"");
        }
    }
}

void
ScenarioReader::ReadSweepTunnels(const nlohmann::json& v, ScenarioSweep& sw)
{
    const nlohmann::json* tunnels = SweepArray(v, "tunnels");
    if (!tunnels)
    {
        return;
    }
    for (size_t k = 0; k < tunnels->size(); ++k)
    {
        const auto& x = (*tunnels)[k];
        if (x.is_number_unsigned() && x.get<uint64_t>() >= 1 && x.get<uint64_t>() <= 4096)
        {
            sw.tunnels.push_back(x.get<uint32_t>());
        }
        else
        {
            Error(JPtr(JPtr(kSweep, "tunnels"), k),
                  "a number of tunnels is a whole number from 1 to 4096");
        }
    }
}

/** "measure": the router whose CPU and engines the sweep watches. */
void
ScenarioReader::ReadSweepMeasure(const nlohmann::json& v, ScenarioSweep& sw)
{
    if (auto m = GetString(v, kSweep, "measure", true))
    {
        const int32_t n = m_s.FindNode(*m);
        if (n < 0 || !m_s.nodes[n].IsRouter())
        {
            Error(JPtr(kSweep, "measure"), Quote(*m) + " is not a router of the scenario");
        }
        else
        {
            sw.measure = static_cast<uint32_t>(n);
        }
    }
}

void
ScenarioReader::ReadSweepConfigurations(const nlohmann::json& v, ScenarioSweep& sw)
{
    const nlohmann::json* cfgs = SweepArray(v, "configurations");
    if (!cfgs)
    {
        return;
    }
    std::set<std::string> names;
    for (size_t k = 0; k < cfgs->size(); ++k)
    {
        const std::string cp = JPtr(JPtr(kSweep, "configurations"), k);
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
            ReadSweepRouter(rname, hw, JPtr(JPtr(cp, "nodes"), rname), sc);
        }
        sw.configurations.push_back(sc);
    }
}

/** One router of a sweep configuration: its hardware and lines added to its configuration. */
void
ScenarioReader::ReadSweepRouter(const std::string& rname, const nlohmann::json& hw,
                                const std::string& np, ScenarioSweepConfiguration& sc)
{
    const int32_t n = m_s.FindNode(rname);
    if (n < 0 || !m_s.nodes[n].IsRouter())
    {
        Error(np, Quote(rname) + " is not a router of the scenario");
        return;
    }
    if (!ExpectObject(hw, np, "a router's hardware"))
    {
        return;
    }
    CheckKeys(hw, np, {"platform", "modules", "config"});
    ScenarioNode tmp;
    tmp.pointer = np;
    ReadHardware(hw, tmp);
    sc.hardware[static_cast<uint32_t>(n)] = {tmp.platform, tmp.modules};
    if (auto cf = hw.find("config"); cf != hw.end())
    {
        const std::string cp = JPtr(np, "config");
        if (!cf->is_array())
        {
            Error(cp, "an array of configuration lines added to " + Quote(rname) + "'s");
            return;
        }
        ReadSweepConfigLines(*cf, cp, static_cast<uint32_t>(n), sc);
    }
}

/** Lines added to the router's configuration for this configuration: a later definition
 *  replaces an earlier one, as on IOS. */
void
ScenarioReader::ReadSweepConfigLines(const nlohmann::json& lines, const std::string& cp,
                                     uint32_t node, ScenarioSweepConfiguration& sc)
{
    std::string text;
    for (const auto& l : m_s.nodes[node].config.lines)
    {
        if (l.text != "end")
        {
            text += l.text + "\n";
        }
    }
    const size_t base = std::count(text.begin(), text.end(), '\n');
    for (size_t k = 0; k < lines.size(); ++k)
    {
        if (!lines[k].is_string() || lines[k].get<std::string>().find('\n') != std::string::npos)
        {
            Error(JPtr(cp, k), "one configuration line (a string) per item");
            return;
        }
        text += lines[k].get<std::string>() + "\n";
    }
    try
    {
        sc.configs[node] = IosConfigReader::Parse(text, m_s.file + "#" + cp);
    }
    catch (const IosConfigError& e)
    {
        const int line = e.Where().line - static_cast<int>(base);
        Error(line >= 1 ? JPtr(cp, static_cast<size_t>(line - 1)) : cp, "\n" + WithoutLocation(e));
    }
}

} // namespace ns3
