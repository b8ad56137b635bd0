// IosRouter and IKEv2: what a future IKEv2 daemon asks of the configuration (the proposals for a
// local address, the profile for a peer, its keys and identities), and the guard that keeps an
// entry configured for IKEv2 from being negotiated with IKEv1 meanwhile.
#include "ns3/ios-router.h"

#include "ios-router-state.h"

#include "ns3/log.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterIkev2");

std::string
IosIkev2ProfileOf(const IosRouterConfig& config, const IosCryptoMapEntry& e)
{
    if (!e.ikev2Profile.empty())
    {
        return e.ikev2Profile;
    }
    // A tunnel's entry is made from its IPsec profile (`tunnel protection ipsec profile`).
    auto profile = config.ipsecProfiles.find(e.profile);
    return profile == config.ipsecProfiles.end() ? "" : profile->second.ikev2Profile;
}

std::vector<IosIkev2Proposal>
IosRouter::GetIkev2Proposals(Ipv4Address local) const
{
    NS_LOG_FUNCTION(this << local);
    return m_config.ikev2.ProposalsFor(local);
}

const IosIkev2Profile*
IosRouter::FindIkev2Profile(const IosIkev2Identity& remote, Ipv4Address local) const
{
    NS_LOG_FUNCTION(this << remote.value << local);
    return m_config.ikev2.FindProfile(remote, local, m_config.interfaces);
}

std::string
IosRouter::GetIkev2ProfileName(Ptr<IpsecPolicyEntry> entry) const
{
    NS_LOG_FUNCTION(this << entry);
    const IosCryptoMapEntry* src = m_impl->SourceOf(entry);
    return src ? IosIkev2ProfileOf(m_config, *src) : "";
}

const IosIkev2Profile*
IosRouter::GetIkev2Profile(Ptr<IpsecPolicyEntry> entry) const
{
    NS_LOG_FUNCTION(this << entry);
    auto it = m_config.ikev2.profiles.find(GetIkev2ProfileName(entry));
    return it == m_config.ikev2.profiles.end() ? nullptr : &it->second;
}

IosIkev2Config::PreSharedKeys
IosRouter::GetIkev2PreSharedKeys(const IosIkev2Profile& profile, Ipv4Address peer,
                                 const std::optional<IosIkev2Identity>& remote) const
{
    NS_LOG_FUNCTION(this << profile.name << peer);
    return m_config.ikev2.FindPreSharedKeys(profile, peer, remote);
}

IosIkev2Identity
IosRouter::GetIkev2LocalIdentity(const IosIkev2Profile& profile, Ipv4Address local) const
{
    NS_LOG_FUNCTION(this << profile.name << local);
    if (profile.localIdentity)
    {
        return *profile.localIdentity;
    }
    // IOS's default: the address IKE runs on (ID_IPV4_ADDR).
    std::ostringstream os;
    os << local;
    return IosIkev2Identity{IosIkev2IdType::ADDRESS, os.str()};
}

} // namespace ns3
