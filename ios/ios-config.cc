#include "ns3/ios-config.h"

#include "ns3/ios-keywords.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace ns3
{

// ---------------------------------------------------------------------------------- IosRelease

std::optional<IosRelease>
IosReleaseOfVersion(const std::string& version)
{
    // The major number alone decides: every 12.x prints the 12.4 forms we model, every 15.x,
    // 16.x and 17.x (IOS-XE) the 15.x ones.
    size_t digits = 0;
    while (digits < version.size() && std::isdigit(static_cast<unsigned char>(version[digits])))
    {
        ++digits;
    }
    if (digits == 0 || digits > 3 || (digits < version.size() && version[digits] != '.'))
    {
        return std::nullopt;
    }
    const int major = std::stoi(version.substr(0, digits));
    if (major == 12)
    {
        return IosRelease::IOS_12_4;
    }
    if (major >= 15 && major <= 17)
    {
        return IosRelease::IOS_15;
    }
    return std::nullopt;
}

std::string
ToString(IosRelease release)
{
    return release == IosRelease::IOS_12_4 ? "12.4" : "15";
}

const std::map<uint32_t, IosIsakmpPolicy>&
IosDefaultIsakmpPolicies()
{
    static const std::map<uint32_t, IosIsakmpPolicy> suites = [] {
        std::map<uint32_t, IosIsakmpPolicy> out;
        uint32_t priority = 65507;
        for (const auto& [encryption, group] :
             {std::pair{IosIsakmpEncryption::AES_128, 5}, {IosIsakmpEncryption::TRIPLE_DES, 2}})
        {
            for (IosIsakmpHash hash : {IosIsakmpHash::SHA, IosIsakmpHash::MD5})
            {
                for (IosIsakmpAuthentication auth :
                     {IosIsakmpAuthentication::RSA_SIG, IosIsakmpAuthentication::PRE_SHARE})
                {
                    IosIsakmpPolicy p;
                    p.encryption = encryption;
                    p.hash = hash;
                    p.authentication = auth;
                    p.group = static_cast<uint8_t>(group);
                    out.emplace(priority++, p);
                }
            }
        }
        return out;
    }();
    return suites;
}

// ------------------------------------------------------------------------------ IosConfigError

namespace
{
std::string
FormatError(const IosLocation& where, size_t column, const std::string& detail)
{
    std::ostringstream os;
    os << where.file << ":" << where.line << ":\n";
    os << " " << where.text << "\n ";
    // Tabs in the line stay tabs under it, so the '^' lines up whatever the tab width.
    for (size_t i = 0; i < column; ++i)
    {
        os << (i < where.text.size() && where.text[i] == '\t' ? '\t' : ' ');
    }
    os << "^\n" << detail;
    return os.str();
}
} // namespace

IosConfigError::IosConfigError(const IosLocation& where, size_t column, const std::string& detail)
    : std::runtime_error(FormatError(where, column, detail)), m_where(where), m_column(column),
      m_detail(detail)
{
}

// --------------------------------------------------------------------------- IosRouterConfig

const IosInterface*
IosRouterConfig::FindInterface(const std::string& name) const
{
    IosInterfaceNameMatch m = IosMatchInterfaceName(name);
    const std::string& want =
        m.result == IosKeywordMatch::Result::UNIQUE && !m.badUnit ? m.name : name;
    for (const auto& i : interfaces)
    {
        if (i.name == want)
        {
            return &i;
        }
    }
    return nullptr;
}

const IosIsakmpKey*
IosRouterConfig::FindIsakmpKey(Ipv4Address peer) const
{
    const IosIsakmpKey* best = nullptr;
    for (const auto& k : isakmpKeys)
    {
        if (!k.hostname.empty() || !k.mask.IsMatch(k.address, peer))
        {
            continue;
        }
        // The most specific key wins; between equal masks, the later line (it replaced nothing,
        // so the addresses differ only in bits the mask ignores).
        if (!best || k.mask.GetPrefixLength() >= best->mask.GetPrefixLength())
        {
            best = &k;
        }
    }
    return best;
}

const IosIsakmpKey*
IosRouterConfig::FindIsakmpKeyByHostname(const std::string& hostname) const
{
    for (const auto& k : isakmpKeys)
    {
        if (!k.hostname.empty() && IosLower(k.hostname) == IosLower(hostname))
        {
            return &k;
        }
    }
    return nullptr;
}

std::string
IosConfigReader::CanonicalInterfaceName(const std::string& word)
{
    IosInterfaceNameMatch m = IosMatchInterfaceName(word);
    return m.result == IosKeywordMatch::Result::UNIQUE && !m.badUnit ? m.name : std::string();
}

} // namespace ns3
