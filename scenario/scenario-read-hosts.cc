// ScenarioReader: the scenario's name table ("hosts"), which stands in for DNS. Routers look a
// host name up in their own `ip host` entries first, then (unless `no ip domain-lookup`) ask
// the name server: this table.
#include "scenario-reader.h"

#include "ns3/ios-keywords.h"

namespace ns3
{

using namespace scenario_detail;

namespace
{
/** Letters, digits, '-', '_' and '.', with a letter somewhere (not an address). */
bool
IsHostName(const std::string& name)
{
    if (name.empty() || name.find_first_not_of("0123456789.") == std::string::npos)
    {
        return false;
    }
    return name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789-_.") == std::string::npos;
}
} // namespace

void
ScenarioReader::ReadHostTable(const nlohmann::json& v, const std::string& ptr,
                              std::map<std::string, std::vector<Ipv4Address>>& out)
{
    if (!v.is_object())
    {
        Error(ptr, "must be an object of host names and their addresses, e.g. "
                   "{\"r2.example.com\": \"192.0.2.2\"}, not " +
                       TypeName(v));
        return;
    }
    for (const auto& [name, value] : v.items())
    {
        const std::string at = JPtr(ptr, name);
        if (name == "comment")
        {
            continue;
        }
        if (!IsHostName(name))
        {
            Error(at, Quote(name) + " is not a host name (letters, digits, '-', '_' and '.', "
                                    "with a letter)");
            continue;
        }
        std::vector<Ipv4Address> addresses;
        const nlohmann::json list = value.is_array() ? value : nlohmann::json::array({value});
        for (size_t i = 0; i < list.size(); ++i)
        {
            const std::string where = value.is_array() ? JPtr(at, i) : at;
            auto a =
                list[i].is_string() ? ParseDottedQuad(list[i].get<std::string>()) : std::nullopt;
            if (!a)
            {
                Error(where,
                      "expected an address A.B.C.D (or a list of them), not " + list[i].dump());
                continue;
            }
            addresses.push_back(*a);
        }
        if (addresses.empty() && list.empty())
        {
            Error(at, "a host name needs at least one address");
        }
        const std::string key = IosLower(name);
        if (out.count(key))
        {
            Error(at, "host name " + Quote(name) +
                          " given twice (names are compared without regard to case)");
            continue;
        }
        out[key] = addresses;
    }
}

void
ScenarioReader::GiveRoutersHostTable()
{
    for (auto& n : m_s.nodes)
    {
        n.config.dns = m_s.hosts;
    }
    if (m_s.sweep)
    {
        for (auto& c : m_s.sweep->configurations)
        {
            for (auto& [index, config] : c.configs)
            {
                config.dns = m_s.hosts;
            }
        }
    }
}

} // namespace ns3
