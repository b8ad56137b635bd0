// IOS 15's built-in IPsec defaults (the "smart defaults" of 15.2(4)M and later):
//
//   crypto ipsec transform-set default esp-aes esp-sha-hmac
//    mode transport
//   crypto ipsec profile default
//    set transform-set default
//    set ikev2-profile default        (when `crypto ikev2 profile default` is configured)
//
// They are part of the configuration without being typed, so `tunnel protection ipsec profile
// default` and `set transform-set default` work on a router whose configuration never defines
// them; `show running-config` does not print them. A configured block of the same name edits
// the built-in one (its settings stay unless changed); `no crypto ipsec transform-set default`
// and `no crypto ipsec profile default` remove them. 12.x has neither.
#include "ios-config-reader.h"

#include <algorithm>

namespace ns3
{

namespace
{
const char* const kDefault = "default";

/** IOS 15's `default` transform set: ESP AES-128 with HMAC-SHA1-96, transport mode requested
 *  (`show crypto ipsec transform-set default`). */
IpsecTransformSet
DefaultTransformSet()
{
    IpsecTransformSet ts =
        IpsecTransformSet::Parse(std::vector<std::string>{"esp-aes", "esp-sha-hmac"});
    ts.name = kDefault;
    ts.mode = IpsecMode::TRANSPORT;
    return ts;
}
} // namespace

void
IosConfigReader::Session::AddIpsecDefaults()
{
    if (m_cfg.release == IosRelease::IOS_12_4)
    {
        return;
    }
    // The default profile: as IOS has it unless the configuration removed it. A configured
    // `crypto ipsec profile default` block keeps the built-in settings it did not change.
    const bool profileUsed =
        std::any_of(m_cfg.interfaces.begin(), m_cfg.interfaces.end(),
                    [](const IosInterface& i) { return i.tunnelProtection == kDefault; });
    auto profile = m_cfg.ipsecProfiles.find(kDefault);
    if (profile == m_cfg.ipsecProfiles.end() && profileUsed && m_cfg.defaultIpsecProfile)
    {
        profile = m_cfg.ipsecProfiles.emplace(kDefault, IosIpsecProfile{}).first;
        profile->second.name = kDefault;
    }
    if (profile != m_cfg.ipsecProfiles.end())
    {
        IosIpsecProfile& p = profile->second;
        if (p.transformSets.empty())
        {
            p.transformSets = {kDefault};
        }
        if (p.ikev2Profile.empty() && m_cfg.ikev2.profiles.count(kDefault))
        {
            p.ikev2Profile = kDefault;
        }
    }

    // The default transform set, where a crypto map entry or a profile names it.
    bool setUsed = std::any_of(m_cfg.ipsecProfiles.begin(), m_cfg.ipsecProfiles.end(),
                               [](const auto& p)
                               {
                                   const auto& ts = p.second.transformSets;
                                   return std::find(ts.begin(), ts.end(), kDefault) != ts.end();
                               });
    for (const auto& [key, refs] : m_transformRef)
    {
        setUsed |= std::any_of(refs.begin(), refs.end(),
                               [](const Reference& r) { return r.name == kDefault; });
    }
    if (setUsed && m_cfg.defaultTransformSet && !m_cfg.transformSets.count(kDefault))
    {
        m_cfg.transformSets.emplace(kDefault, DefaultTransformSet());
    }
}

} // namespace ns3
