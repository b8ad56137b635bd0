#include "scenario-reader.h"

#include "ns3/ios-keywords.h"

#include "ns3/calibration.h"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace ns3
{

using namespace scenario_detail;

void
ScenarioReader::ReadNode(const nlohmann::json& v, size_t i)
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
        CheckKeys(v, ptr, {"name", "kind", "config", "platform", "modules", "ios"});
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
            ReadRelease(v, n);
            ok = ok && issues.size() == before;
        }
    }
    else if (kind == "host")
    {
        CheckKeys(v, ptr, {"name", "kind", "address", "gateway", "interface", "certificate"});
        n.kind = ScenarioNodeKind::HOST;
        const size_t before = issues.size();
        ReadHost(v, n, "eth0");
        ok = ok && issues.size() == before;
        ReadNodeCertificate(v, n); // its errors leave the node in (others name it)
    }
    else if (kind == "external")
    {
        CheckKeys(v, ptr,
                  {"name", "kind", "namespace", "interface", "address", "gateway", "networks",
                   "certificate"});
        n.kind = ScenarioNodeKind::EXTERNAL;
        const size_t before = issues.size();
        ReadExternal(v, n);
        ok = ok && issues.size() == before;
        ReadNodeCertificate(v, n); // its errors leave the node in (others name it)
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
ScenarioReader::ReadRouterConfig(const nlohmann::json& c, ScenarioNode& n)
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
ScenarioReader::ReadRelease(const nlohmann::json& v, ScenarioNode& n)
{
    // "ios": "12.4" prints the chapter era's output; without it the configuration's `version`
    // line decides, and without that the router prints as IOS 15 does.
    const auto release = GetString(v, n.pointer, "ios", false);
    if (!release)
    {
        return;
    }
    if (*release != "12.4" && *release != "15")
    {
        Error(JPtr(n.pointer, "ios"),
              "the IOS release whose output the router prints is \"12.4\" or \"15\", not " +
                  Quote(*release));
        return;
    }
    n.config.release = *release == "12.4" ? IosRelease::IOS_12_4 : IosRelease::IOS_15;
}

void
ScenarioReader::ReadHost(const nlohmann::json& v, ScenarioNode& n,
                         const std::string& defaultInterface)
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
ScenarioReader::ReadPrefix(const std::string& text, const std::string& ptr, bool bareAddress)
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
ScenarioReader::ReadExternal(const nlohmann::json& v, ScenarioNode& n)
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

namespace
{
/** "Cisco 1750", "cisco1750", "c1750" -> "1750": the platform as IOS prints it in `show version`
 *  and in image names, without its maker. */
std::string
BarePlatform(const std::string& typed)
{
    std::string s = IosLower(typed);
    if (s.compare(0, 5, "cisco") == 0)
    {
        s.erase(0, 5);
        s.erase(0, s.find_first_not_of(" -_"));
    }
    else if (s.size() > 1 && s[0] == 'c' && std::isdigit(static_cast<unsigned char>(s[1])))
    {
        s.erase(0, 1);
    }
    return s;
}

/** The calibration's name for @p typed (case and the maker's prefix ignored), or "" and in
 *  @p meant the name it is probably a mistake for. */
std::string
PlatformName(const std::string& typed, const std::vector<std::string>& names, std::string& meant)
{
    const std::string bare = BarePlatform(typed);
    size_t best = SIZE_MAX;
    for (const auto& name : names)
    {
        const std::string candidate = BarePlatform(name);
        if (candidate == bare)
        {
            return name;
        }
        const size_t d = IosEditDistance(bare, candidate);
        if (d <= 2 && d < best)
        {
            best = d;
            meant = name;
        }
    }
    return "";
}
} // namespace

void
ScenarioReader::ReadHardware(const nlohmann::json& v, ScenarioNode& n)
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
        Error(JPtr(ptr, "platform"),
              std::string("the hardware calibration cannot be used: ") + e.what());
        return;
    }
    auto list = [](const std::vector<std::string>& names)
    {
        std::string t;
        for (const auto& x : names)
        {
            t += (t.empty() ? "" : ", ") + x;
        }
        return t;
    };
    const auto platforms = cal->GetPlatformNames();
    std::string meant;
    const std::string name = PlatformName(*platform, platforms, meant);
    if (name.empty())
    {
        Error(JPtr(ptr, "platform"),
              "unknown platform " + Quote(*platform) + " (the calibration has " + list(platforms) +
                  ")" + (meant.empty() ? "" : "; did you mean " + Quote(meant) + "?"));
        return;
    }
    n.platform = name;
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

} // namespace ns3
