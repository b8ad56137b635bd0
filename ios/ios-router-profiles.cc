// IosRouter as policy provider, with keyrings and ISAKMP profiles: which pre-shared key a peer
// gets, its keepalive, and the local settings of negotiated SAs (replay window, idle time).
#include "ns3/ios-router.h"

#include "ns3/ios-keywords.h"

#include "ios-router-state.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterProfiles");

namespace
{
bool
Covers(Ipv4Address net, Ipv4Mask mask, Ipv4Address peer)
{
    return mask.IsMatch(net, peer);
}

/** Can keyring @p k be used for IKE from @p local (its `local-address`, if any)? */
bool
UsableFrom(const IosKeyring& k, const IosRouterConfig& cfg, Ipv4Address local)
{
    if (k.localAddress.empty())
    {
        return true;
    }
    if (auto a = IosParseAddress(k.localAddress))
    {
        return *a == local;
    }
    const IosInterface* i = cfg.FindInterface(k.localAddress);
    return i && i->address && *i->address == local;
}

/** The best key in @p keys for @p peer (longest mask), compared with @p best so far. */
const IosIsakmpKey*
BestAddressKey(const std::vector<IosIsakmpKey>& keys, Ipv4Address peer, const IosIsakmpKey* best)
{
    for (const auto& k : keys)
    {
        if (k.hostname.empty() && Covers(k.address, k.mask, peer) &&
            (!best || k.mask.GetPrefixLength() > best->mask.GetPrefixLength()))
        {
            best = &k;
        }
    }
    return best;
}

const IosIsakmpKey*
HostnameKey(const std::vector<IosIsakmpKey>& keys, const std::string& fqdn)
{
    for (const auto& k : keys)
    {
        if (!k.hostname.empty() && IosLower(k.hostname) == IosLower(fqdn))
        {
            return &k;
        }
    }
    return nullptr;
}
} // namespace

const IosIsakmpProfile*
IosRouter::FindIsakmpProfile(Ipv4Address peer, const std::string& fqdn) const
{
    const IosRouterConfig& cfg = m_config;
    // Initiator: the profile of the crypto map entry that names this peer.
    for (const auto& e : cfg.cryptoMaps)
    {
        if (e.isakmpProfile.empty())
        {
            continue;
        }
        for (const auto& p : e.peers)
        {
            auto a = cfg.ResolvePeer(p);
            auto prof = cfg.isakmpProfiles.find(e.isakmpProfile);
            if (a && *a == peer && prof != cfg.isakmpProfiles.end())
            {
                return &prof->second;
            }
        }
    }
    // Responder: the profile whose `match identity` the peer's identity fits.
    for (const auto& [name, prof] : cfg.isakmpProfiles)
    {
        for (const auto& m : prof.matches)
        {
            if (m.host.empty() ? Covers(m.address, m.mask, peer)
                               : !fqdn.empty() && IosLower(m.host) == IosLower(fqdn))
            {
                return &prof;
            }
        }
    }
    return nullptr;
}

std::optional<std::string>
IosRouter::GetPreSharedKeyFor(Ipv4Address peer, Ipv4Address local,
                              const std::string& peerFqdn) const
{
    NS_LOG_FUNCTION(this << peer << local << peerFqdn);
    const IosRouterConfig& cfg = m_config;
    // `crypto isakmp peer ...` with `set aggressive-mode password`: that peer's key.
    if (const IosIsakmpPeer* p = cfg.FindIsakmpPeer(peer); p && !p->aggressivePassword.empty())
    {
        return p->aggressivePassword;
    }
    // A profile's keyrings first (IOS: "the keyring of the ISAKMP profile is searched").
    if (const IosIsakmpProfile* prof = FindIsakmpProfile(peer, peerFqdn))
    {
        const IosIsakmpKey* best = nullptr;
        for (const auto& name : prof->keyrings)
        {
            if (name == "default" && !cfg.keyrings.count(name))
            {
                // The global keys, IOS's default keyring.
                if (const IosIsakmpKey* h =
                        peerFqdn.empty() ? nullptr : cfg.FindIsakmpKeyByHostname(peerFqdn))
                {
                    return h->key;
                }
                best = BestAddressKey(cfg.isakmpKeys, peer, best);
                continue;
            }
            auto k = cfg.keyrings.find(name);
            if (k == cfg.keyrings.end() || !UsableFrom(k->second, cfg, local))
            {
                continue;
            }
            if (const IosIsakmpKey* h =
                    peerFqdn.empty() ? nullptr : HostnameKey(k->second.keys, peerFqdn))
            {
                return h->key;
            }
            best = BestAddressKey(k->second.keys, peer, best);
        }
        if (best)
        {
            return best->key;
        }
    }
    // Then the global keys (the default keyring) and every keyring usable from this address:
    // the most specific address key wins, as IOS looks a main-mode peer up before it knows
    // the peer's identity.
    if (!peerFqdn.empty())
    {
        if (const IosIsakmpKey* k = cfg.FindIsakmpKeyByHostname(peerFqdn))
        {
            return k->key;
        }
        for (const auto& [name, ring] : cfg.keyrings)
        {
            if (UsableFrom(ring, cfg, local))
            {
                if (const IosIsakmpKey* k = HostnameKey(ring.keys, peerFqdn))
                {
                    return k->key;
                }
            }
        }
    }
    const IosIsakmpKey* best = cfg.FindIsakmpKey(peer);
    for (const auto& [name, ring] : cfg.keyrings)
    {
        if (UsableFrom(ring, cfg, local))
        {
            best = BestAddressKey(ring.keys, peer, best);
        }
    }
    // `crypto isakmp key KEY hostname NAME` before the peer's identity is known (main mode):
    // IOS resolves NAME and takes the key for the address it resolves to, as specific as a
    // host address.
    if (!best || best->mask.GetPrefixLength() < 32)
    {
        if (const IosIsakmpKey* k = cfg.FindIsakmpKeyByResolvedHostname(peer))
        {
            return k->key;
        }
    }
    if (!best)
    {
        return std::nullopt;
    }
    return best->key;
}

std::optional<IkePolicyProvider::Keepalive>
IosRouter::GetPeerKeepalive(Ipv4Address peer) const
{
    const IosIsakmpProfile* prof = FindIsakmpProfile(peer);
    if (!prof || !prof->keepalive)
    {
        return std::nullopt;
    }
    return Keepalive{prof->keepalive->seconds, prof->keepalive->retry};
}

IkePolicyProvider::LocalSaSettings
IosRouter::GetLocalSaSettings(Ptr<IpsecPolicyEntry> entry) const
{
    LocalSaSettings s;
    const IosSaOptions& global = m_config.saOptions;
    const IosCryptoMapEntry* src = m_impl->SourceOf(entry);
    const IosSaOptions none;
    const IosSaOptions& own = src ? src->sa : none;
    s.replayWindow = own.replayWindow.value_or(global.replayWindow.value_or(64));
    s.idleSeconds = own.idleSeconds.value_or(global.idleSeconds.value_or(0));
    return s;
}

const IosCryptoMapEntry*
IosRouterState::SourceOf(const Ptr<IpsecPolicyEntry>& pe) const
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

void
IosRouterState::ApplyIsakmpProfiles(IosRouter& r)
{
    // `initiate mode aggressive`: phase 1 with the peers of the entries that set the profile
    // starts in aggressive mode.
    if (!r.m_ike)
    {
        return;
    }
    for (const auto& e : r.m_config.cryptoMaps)
    {
        auto prof = r.m_config.isakmpProfiles.find(e.isakmpProfile);
        if (prof == r.m_config.isakmpProfiles.end() || !prof->second.initiateAggressive)
        {
            continue;
        }
        for (const auto& p : e.peers)
        {
            if (auto a = r.m_config.ResolvePeer(p))
            {
                r.m_ike->SetInitiateAggressiveMode(*a);
            }
        }
    }
}

void
IosRouterState::ApplyDfBit(IosRouter& r)
{
    auto policy = [](IosDfBit b)
    {
        return b == IosDfBit::SET     ? IpsecDfBit::SET
               : b == IosDfBit::CLEAR ? IpsecDfBit::CLEAR
                                      : IpsecDfBit::COPY;
    };
    r.m_processor->SetDfBit(policy(r.m_config.dfBit));
    for (const auto& iface : r.m_config.interfaces)
    {
        auto idx = ifIndex.find(iface.name);
        if (idx != ifIndex.end())
        {
            r.m_processor->SetDfBit(idx->second,
                                    iface.dfBit ? std::optional<IpsecDfBit>(policy(*iface.dfBit))
                                                : std::nullopt);
        }
    }
}

} // namespace ns3
