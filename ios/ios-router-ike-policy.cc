// IosRouter as the IKE daemon's policy provider: the ISAKMP policies, the pre-shared keys, the
// proposals an initiator offers and the crypto map entry a responder's quick mode matches.
#include "ns3/ios-router.h"

#include "ios-router-state.h"

#include "ns3/log.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterIkePolicy");

std::vector<IkePolicy>
IosRouter::GetIkePolicies() const
{
    NS_LOG_FUNCTION(this);
    // IOS 15 negotiates its eight default suites when no policy is configured and nothing
    // else; 12.4 tries its one default suite after the configured ones (the chapter's rule).
    const bool ios15 = m_config.release == IosRelease::IOS_15;
    const std::map<uint32_t, IosIsakmpPolicy>& suites =
        ios15 && m_config.isakmpPolicies.empty() ? IosDefaultIsakmpPolicies()
                                                 : m_config.isakmpPolicies;
    std::vector<IkePolicy> out;
    for (const auto& [prio, p] : suites)
    {
        IkePolicy k;
        k.priority = prio;
        switch (p.encryption)
        {
        case IosIsakmpEncryption::DES:
            k.encryption = IKE_ENCR_DES_CBC;
            break;
        case IosIsakmpEncryption::TRIPLE_DES:
            k.encryption = IKE_ENCR_3DES_CBC;
            break;
        case IosIsakmpEncryption::AES_128:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 128;
            break;
        case IosIsakmpEncryption::AES_192:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 192;
            break;
        case IosIsakmpEncryption::AES_256:
            k.encryption = IKE_ENCR_AES_CBC;
            k.keyLength = 256;
            break;
        }
        switch (p.hash)
        {
        case IosIsakmpHash::MD5:
            k.hash = IKE_HASH_MD5;
            break;
        case IosIsakmpHash::SHA:
            k.hash = IKE_HASH_SHA;
            break;
        case IosIsakmpHash::SHA256:
            k.hash = IKE_HASH_SHA2_256;
            break;
        case IosIsakmpHash::SHA384:
            k.hash = IKE_HASH_SHA2_384;
            break;
        case IosIsakmpHash::SHA512:
            k.hash = IKE_HASH_SHA2_512;
            break;
        }
        switch (p.authentication)
        {
        case IosIsakmpAuthentication::PRE_SHARE:
            k.authentication = IKE_AUTH_PRE_SHARED_KEY;
            break;
        case IosIsakmpAuthentication::RSA_SIG:
            k.authentication = IKE_AUTH_RSA_SIGNATURES;
            break;
        case IosIsakmpAuthentication::RSA_ENCR:
            k.authentication = IKE_AUTH_RSA_ENCRYPTION;
            break;
        }
        k.group = p.group;
        k.lifetimeSeconds = p.lifetimeSeconds;
        out.push_back(k);
    }
    if (!ios15)
    {
        out.push_back(IkePolicy::IosDefault());
    }
    return out;
}

std::optional<std::string>
IosRouter::GetPreSharedKey(Ipv4Address peer) const
{
    NS_LOG_FUNCTION(this << peer);
    const IosIsakmpKey* k = m_config.FindIsakmpKey(peer);
    if (!k)
    {
        return std::nullopt;
    }
    return k->key;
}

namespace
{
/** The IOS entry behind a policy entry, searched in every map set. */
const IosCryptoMapEntry*
SourceOf(const std::map<std::string, IosMapSet>& maps, const Ptr<IpsecPolicyEntry>& pe)
{
    for (const auto& [name, set] : maps)
    {
        for (const auto& [src, e] : set.entries)
        {
            if (e == pe)
            {
                return src;
            }
        }
    }
    return nullptr;
}
} // namespace

IkePolicyProvider::Phase2
IosRouter::GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const
{
    NS_LOG_FUNCTION(this << entry);
    Phase2 p;
    const IosCryptoMapEntry* src = SourceOf(m_impl->maps, entry);
    if (!src)
    {
        p.reason = "crypto map entry " + entry->Name() + " is not configured";
        return p;
    }
    for (const auto& name : src->transformSets)
    {
        auto ts = m_config.transformSets.find(name);
        if (ts == m_config.transformSets.end())
        {
            continue; // IOS ignores a set that does not exist
        }
        p.offer.sets.push_back(ts->second);
    }
    if (p.offer.sets.empty())
    {
        p.reason = "crypto map " + entry->Name() + " has no transform set defined";
        return p;
    }
    p.offer.lifetimeSeconds = src->lifetimeSeconds.value_or(m_config.lifetimeSeconds);
    p.offer.lifetimeKilobytes = src->lifetimeKilobytes.value_or(m_config.lifetimeKilobytes);
    p.offer.pfsGroup = src->pfsGroup.value_or(0);
    p.entry = entry;
    return p;
}

IkePolicyProvider::Phase2
IosRouter::MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                          const IpsecTrafficSelector& scope) const
{
    NS_LOG_FUNCTION(this << peer << local << scope);
    return MatchEntry(peer, local, scope, false);
}

IkePolicyProvider::Phase2
IosRouter::MatchEntry(Ipv4Address peer, Ipv4Address local, const IpsecTrafficSelector& scope,
                      bool ikev2) const
{
    Phase2 p;
    std::ostringstream why;
    for (const auto& [name, set] : m_impl->maps)
    {
        // The map's local address: `crypto map NAME local-address IFACE`, or else the address
        // of whichever interface it is applied to.
        bool ours = set.local == local;
        if (!ours && !m_config.localAddress.count(name))
        {
            for (const auto& ifn : set.interfaces)
            {
                const IosInterface* i = m_config.FindInterface(ifn);
                ours |= i && i->address && *i->address == local;
            }
        }
        if (!ours)
        {
            continue;
        }
        for (const auto& [src, pe] : set.entries)
        {
            if (pe->keying == IpsecKeying::MANUAL ||
                IosIkev2ProfileOf(m_config, *src).empty() == ikev2)
            {
                continue; // an entry configured for IKEv2 is not IKEv1's to answer, and back
            }
            const bool dynamic = pe->keying == IpsecKeying::DYNAMIC;
            if (!pe->peers.empty() &&
                std::find(pe->peers.begin(), pe->peers.end(), peer) == pe->peers.end())
            {
                continue; // static entries must name the peer; dynamic ones may
            }
            if (pe->peers.empty() && !dynamic)
            {
                continue;
            }
            bool accepted = false;
            if (!pe->acl)
            {
                // A dynamic entry without `match address` accepts any flow; a static one
                // without it matches nothing.
                accepted = dynamic;
            }
            else
            {
                for (const auto& rule : pe->acl->GetRules())
                {
                    if (scope.Within(rule.selector))
                    {
                        accepted = rule.permit;
                        break;
                    }
                }
            }
            if (!accepted)
            {
                why << " " << pe->Name();
                continue;
            }
            Phase2 ip = GetInitiatorPhase2(pe);
            if (!ip.entry)
            {
                why << " " << pe->Name() << " (" << ip.reason << ")";
                continue;
            }
            IkeAdjustModes(ip.offer, scope, local, peer);
            return ip;
        }
    }
    std::ostringstream os;
    os << "no crypto map entry for peer " << peer << " on " << local << " permits " << scope;
    if (!why.str().empty())
    {
        os << " (entries that name the peer but do not permit it:" << why.str() << ")";
    }
    p.reason = os.str();
    return p;
}

} // namespace ns3
