#include "ns3/scenario.h"

#include "ns3/calibration.h"

#include "ns3/ios-exec.h"

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

ScenarioNodeIndex::ScenarioNodeIndex(const Scenario& s) : m_scenario(s), m_size(s.nodes.size())
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const ScenarioNode& n = s.nodes[i];
        const auto idx = static_cast<int32_t>(i);
        m_names.emplace(n.name, idx); // emplace keeps the first, as the linear search finds it
        if (!n.IsRouter())
        {
            m_addresses.emplace(n.address.Get(), idx);
            if (!n.networks.empty())
            {
                m_withNetworks.push_back(static_cast<uint32_t>(i));
            }
            continue;
        }
        for (const auto& f : n.config.interfaces)
        {
            if (f.address)
            {
                m_addresses.emplace(f.address->Get(), idx);
            }
        }
    }
}

int32_t
ScenarioNodeIndex::ByName(const std::string& name) const
{
    auto it = m_names.find(name);
    return it == m_names.end() ? -1 : it->second;
}

int32_t
ScenarioNodeIndex::ByAddress(Ipv4Address address) const
{
    auto it = m_addresses.find(address.Get());
    int32_t found = it == m_addresses.end() ? -1 : it->second;
    // A node before it whose networks hold the address comes first, as in the linear search.
    for (uint32_t i : m_withNetworks)
    {
        if (found >= 0 && static_cast<int32_t>(i) >= found)
        {
            break;
        }
        if (m_scenario.nodes[i].Owns(address))
        {
            return static_cast<int32_t>(i);
        }
    }
    return found;
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

} // namespace ns3
