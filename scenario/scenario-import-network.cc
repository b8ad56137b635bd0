// Import, first stages: read the folder's configurations and group the interfaces by subnet.
#include "scenario-import-impl.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace ns3
{
namespace import_detail
{

namespace fs = std::filesystem;

std::string
Addr(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::string
Prefix(Ipv4Address a, Ipv4Mask m)
{
    return Addr(a.CombineMask(m)) + "/" + std::to_string(m.GetPrefixLength());
}

bool
IsTunnel(const IosInterface& i)
{
    return i.tunnelDestination.has_value() || i.name.rfind("Tunnel", 0) == 0;
}

ImportMedium
MediumOf(const std::string& interface)
{
    if (interface.rfind("Serial", 0) == 0)
    {
        return ImportMedium::SERIAL;
    }
    if (interface.find("Ethernet") != std::string::npos)
    {
        return ImportMedium::ETHERNET;
    }
    return ImportMedium::OTHER;
}

std::optional<size_t>
ImportNetwork::Owner(Ipv4Address a) const
{
    for (size_t r = 0; r < routers.size(); ++r)
    {
        for (const auto& i : routers[r].cfg.interfaces)
        {
            if (i.address && *i.address == a)
            {
                return r;
            }
        }
    }
    return std::nullopt;
}

std::vector<size_t>
ImportNetwork::SubnetsOf(size_t r) const
{
    std::vector<size_t> out;
    for (size_t s = 0; s < subnets.size(); ++s)
    {
        for (const auto& e : subnets[s].ends)
        {
            if (e.router == r)
            {
                out.push_back(s);
                break;
            }
        }
    }
    return out;
}

namespace
{

std::string
ReadText(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
    {
        throw ScenarioImportError(p.string() + ": cannot be read");
    }
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

/** The line of a `hostname` command, if the configuration has one. */
const IosLocation*
HostnameLine(const IosRouterConfig& cfg)
{
    static const std::regex re(R"(^\s*hostname\s+\S+)");
    for (const auto& l : cfg.lines)
    {
        if (std::regex_search(l.text, re))
        {
            return &l;
        }
    }
    return nullptr;
}

/** A node name from a file name as people export them: "R1.cfg" -> "R1",
 *  "hub-running-config.txt" -> "hub", "branch 2 (show run).txt" -> "branch-2". */
std::string
NameFromFile(const fs::path& p)
{
    std::string stem = p.stem().string();
    static const std::regex suffix(
        R"(([-_. ]*(\(?show[-_ ]?run(ning)?(-config)?\)?|running[-_]?config|startup[-_]?config|run|confg|config|cfg))+$)",
        std::regex::icase);
    std::string name = std::regex_replace(stem, suffix, "");
    if (name.empty())
    {
        name = stem;
    }
    std::string clean;
    for (char c : name)
    {
        const bool ok =
            std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
        clean += ok ? c : '-';
    }
    return clean;
}

void
CheckIsText(const fs::path& p, const std::string& text)
{
    if (text.find('\0') != std::string::npos)
    {
        throw ScenarioImportError(p.string() +
                                  ": not a router configuration (binary data, not text)");
    }
}

/** The router a file holds. */
ImportRouter
ReadRouter(const fs::path& p)
{
    ImportRouter r;
    r.source = p.filename().string();
    r.text = ReadText(p);
    CheckIsText(p, r.text);
    try
    {
        r.cfg = IosConfigReader::Parse(r.text, p.string());
    }
    catch (const IosConfigError& e)
    {
        throw ScenarioImportError(std::string(e.what()) +
                                  "\n(every file in the folder must be one router's "
                                  "configuration)");
    }
    const bool addressed = std::any_of(r.cfg.interfaces.begin(), r.cfg.interfaces.end(),
                                       [](const IosInterface& i) { return i.address.has_value(); });
    if (!addressed)
    {
        throw ScenarioImportError(p.string() +
                                  ": not a router configuration: no interface has an "
                                  "`ip address` (every file in the folder must be one router's "
                                  "configuration)");
    }
    r.name = HostnameLine(r.cfg) ? r.cfg.hostname : NameFromFile(p);
    r.configFile = r.name + ".cfg";
    return r;
}

} // namespace

std::vector<ImportRouter>
ReadRouters(const std::string& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
    {
        throw ScenarioImportError(dir + ": not a folder (expected a folder of router "
                                        "configurations, one file per router)");
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
    {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && name[0] != '.' && name.back() != '~')
        {
            files.push_back(e.path());
        }
    }
    if (files.empty())
    {
        throw ScenarioImportError(dir + ": no router configuration in the folder (expected one "
                                        "file per router: R1.cfg, hub-running-config.txt, ...)");
    }
    // In the order a listing shows them, whatever the case: R1.cfg, r2.cfg, R3.cfg.
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b)
              {
                  auto lower = [](std::string t)
                  {
                      std::transform(t.begin(), t.end(), t.begin(),
                                     [](unsigned char c) { return std::tolower(c); });
                      return t;
                  };
                  return lower(a.filename().string()) < lower(b.filename().string());
              });
    std::vector<ImportRouter> routers;
    std::map<std::string, std::string> byName; // node name -> file
    for (const auto& f : files)
    {
        ImportRouter r = ReadRouter(f);
        auto [it, fresh] = byName.emplace(r.name, r.source);
        if (!fresh)
        {
            throw ScenarioImportError(f.string() + ": router " + r.name +
                                      " is also the router of " + it->second +
                                      " (two files for one router? give each its own hostname)");
        }
        routers.push_back(std::move(r));
    }
    return routers;
}

namespace
{

/** Two interfaces with one address cannot both be in the network. */
void
CheckUniqueAddresses(const ImportNetwork& n)
{
    std::map<uint32_t, std::pair<size_t, const IosInterface*>> seen;
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        for (const auto& i : n.routers[r].cfg.interfaces)
        {
            if (!i.address || i.shutdown)
            {
                continue;
            }
            auto [it, fresh] = seen.emplace(i.address->Get(), std::make_pair(r, &i));
            if (!fresh)
            {
                const auto& [r0, i0] = it->second;
                throw ScenarioImportError(i.where.file + ":" + std::to_string(i.where.line) + ": " +
                                          n.routers[r].name + " " + i.name + " has address " +
                                          Addr(*i.address) + ", which " + n.routers[r0].name + " " +
                                          i0->name + " (" + i0->where.file + ":" +
                                          std::to_string(i0->where.line) +
                                          ") has too: two routers cannot share an address");
            }
        }
    }
}

} // namespace

void
GroupSubnets(ImportNetwork& n)
{
    CheckUniqueAddresses(n);
    std::map<std::pair<uint32_t, uint32_t>, size_t> index; // (network, mask) -> subnet
    for (size_t r = 0; r < n.routers.size(); ++r)
    {
        for (const auto& i : n.routers[r].cfg.interfaces)
        {
            const bool linkable = i.address && !i.shutdown && !IsTunnel(i) &&
                                  i.mask.GetPrefixLength() < 31 && i.name.rfind("Loopback", 0) != 0;
            if (!linkable)
            {
                continue;
            }
            const auto key = std::make_pair(i.address->CombineMask(i.mask).Get(), i.mask.Get());
            auto [it, fresh] = index.emplace(key, n.subnets.size());
            if (fresh)
            {
                ImportSubnet s;
                s.network = i.address->CombineMask(i.mask);
                s.mask = i.mask;
                s.medium = MediumOf(i.name);
                n.subnets.push_back(s);
            }
            ImportSubnet& s = n.subnets[it->second];
            if (MediumOf(i.name) != s.medium)
            {
                n.warnings.push_back(n.routers[r].name + " " + i.name + " is on " +
                                     Prefix(s.network, s.mask) +
                                     " with interfaces of another "
                                     "type: not joined to them (a link joins serial to serial, "
                                     "Ethernet to Ethernet)");
                continue;
            }
            s.ends.push_back({r, i.name, *i.address});
        }
    }
}

} // namespace import_detail
} // namespace ns3
