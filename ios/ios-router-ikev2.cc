// IosRouter and IKEv2: what the IKEv2 daemon asks of the configuration (the proposals for a
// local address, the profile for a peer, its keys and identities, the entry for a child SA).
#include "ns3/ios-router.h"
#include "ns3/x509-verify.h"

#include "ns3/ios-keywords.h"

#include "ios-router-state.h"

#include "ns3/ikev2-constants.h"
#include "ns3/log.h"

#include <algorithm>
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

bool
IosRouter::UsesIkev2(Ptr<IpsecPolicyEntry> entry) const
{
    return !GetIkev2ProfileName(entry).empty();
}

namespace
{

/** IKEv2 transform IDs of an IOS hash as integrity and as PRF; MD5 (neither implemented): 0. */
uint16_t
IntegId(IosIkev2Hash h)
{
    switch (h)
    {
    case IosIkev2Hash::SHA1:
        return IKEV2_INTEG_HMAC_SHA1_96;
    case IosIkev2Hash::SHA256:
        return IKEV2_INTEG_HMAC_SHA2_256_128;
    case IosIkev2Hash::SHA384:
        return IKEV2_INTEG_HMAC_SHA2_384_192;
    case IosIkev2Hash::SHA512:
        return IKEV2_INTEG_HMAC_SHA2_512_256;
    case IosIkev2Hash::MD5:
        break;
    }
    return 0;
}

uint16_t
PrfId(IosIkev2Hash h)
{
    switch (h)
    {
    case IosIkev2Hash::SHA1:
        return 2; // PRF_HMAC_SHA1
    case IosIkev2Hash::SHA256:
        return 5; // PRF_HMAC_SHA2_256
    case IosIkev2Hash::SHA384:
        return 6;
    case IosIkev2Hash::SHA512:
        return 7;
    case IosIkev2Hash::MD5:
        break;
    }
    return 0;
}

std::pair<uint16_t, uint16_t>
EncrId(IosIkev2Encryption e)
{
    switch (e)
    {
    case IosIkev2Encryption::TRIPLE_DES:
        return {IKEV2_ENCR_3DES, 0};
    case IosIkev2Encryption::AES_CBC_128:
        return {IKEV2_ENCR_AES_CBC, 128};
    case IosIkev2Encryption::AES_CBC_192:
        return {IKEV2_ENCR_AES_CBC, 192};
    case IosIkev2Encryption::AES_CBC_256:
        return {IKEV2_ENCR_AES_CBC, 256};
    case IosIkev2Encryption::AES_GCM_128:
        return {IKEV2_ENCR_AES_GCM_16, 128};
    case IosIkev2Encryption::AES_GCM_256:
        return {IKEV2_ENCR_AES_GCM_16, 256};
    }
    return {0, 0};
}

/** The wire form of an identity (RFC 7296 3.5). */
void
WireIdentity(const IosIkev2Identity& id, IkePolicyProvider::Ikev2Credentials& c)
{
    switch (id.type)
    {
    case IosIkev2IdType::ADDRESS:
    {
        c.idType = IKEV2_ID_IPV4_ADDR;
        const uint32_t a = IosParseAddress(id.value).value_or(Ipv4Address()).Get();
        c.id = {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)};
        return;
    }
    case IosIkev2IdType::FQDN:
    case IosIkev2IdType::DN: // no certificates here: sent as the name given
        c.idType = IKEV2_ID_FQDN;
        break;
    case IosIkev2IdType::EMAIL:
        c.idType = IKEV2_ID_RFC822_ADDR;
        break;
    case IosIkev2IdType::KEY_ID:
        c.idType = IKEV2_ID_KEY_ID;
        break;
    }
    c.id.assign(id.value.begin(), id.value.end());
}

/** The configuration's form of a peer's ID payload; nullopt for types IOS cannot match. */
std::optional<IosIkev2Identity>
ConfigIdentity(uint8_t type, const std::vector<uint8_t>& data)
{
    IosIkev2Identity id;
    switch (type)
    {
    case IKEV2_ID_IPV4_ADDR:
    {
        if (data.size() != 4)
        {
            return std::nullopt;
        }
        std::ostringstream os;
        os << Ipv4Address((uint32_t(data[0]) << 24) | (data[1] << 16) | (data[2] << 8) | data[3]);
        return IosIkev2Identity{IosIkev2IdType::ADDRESS, os.str()};
    }
    case IKEV2_ID_FQDN:
        id.type = IosIkev2IdType::FQDN;
        break;
    case IKEV2_ID_RFC822_ADDR:
        id.type = IosIkev2IdType::EMAIL;
        break;
    case IKEV2_ID_KEY_ID:
        id.type = IosIkev2IdType::KEY_ID;
        break;
    case IKEV2_ID_DER_ASN1_DN: // a certificate's subject: `match identity remote any` takes it
        id.type = IosIkev2IdType::DN;
        id.value = ipsec::X509NameText(data);
        return id;
    default:
        return std::nullopt;
    }
    id.value.assign(data.begin(), data.end());
    return id;
}

} // namespace

std::vector<IkePolicyProvider::Ikev2IkeOffer>
IosRouter::GetIkev2Offers(Ipv4Address local) const
{
    NS_LOG_FUNCTION(this << local);
    std::vector<Ikev2IkeOffer> out;
    for (const auto& p : GetIkev2Proposals(local))
    {
        Ikev2IkeOffer o;
        o.name = p.name;
        for (auto e : p.encryption)
        {
            o.encryption.push_back(EncrId(e));
        }
        for (auto h : p.integrity)
        {
            if (uint16_t id = IntegId(h))
            {
                o.integrity.push_back(id);
            }
        }
        for (auto h : p.Prfs())
        {
            if (uint16_t id = PrfId(h))
            {
                o.prf.push_back(id);
            }
        }
        o.groups.assign(p.groups.begin(), p.groups.end());
        if (!o.encryption.empty() && !o.prf.empty() && !o.groups.empty() &&
            (p.IsAead() || !o.integrity.empty()))
        {
            out.push_back(o);
        }
    }
    return out;
}

namespace
{

/** The keys and identity of @p profile with @p keys; the reason when it cannot be used. */
IkePolicyProvider::Ikev2Credentials
CredentialsOf(const IosIkev2Profile& profile, const IosIkev2Config::PreSharedKeys& keys,
              const IosIkev2Identity& local)
{
    IkePolicyProvider::Ikev2Credentials c;
    auto remoteTakes = [&](IosIkev2AuthMethod m)
    {
        return std::find(profile.remoteAuth.begin(), profile.remoteAuth.end(), m) !=
               profile.remoteAuth.end();
    };
    const bool localPsk = profile.localAuth == IosIkev2AuthMethod::PRE_SHARE;
    c.localRsaSig = profile.localAuth == IosIkev2AuthMethod::RSA_SIG;
    c.remoteRsaSig = remoteTakes(IosIkev2AuthMethod::RSA_SIG);
    const bool remotePsk = remoteTakes(IosIkev2AuthMethod::PRE_SHARE);
    if ((!localPsk && !c.localRsaSig) || (!remotePsk && !c.remoteRsaSig))
    {
        c.reason = "IKEv2 profile " + profile.name +
                   " authenticates with ecdsa-sig or eap (only pre-share and rsa-sig are "
                   "simulated)";
        return c;
    }
    if ((c.localRsaSig || c.remoteRsaSig) && profile.trustpoints.empty())
    {
        c.reason = "IKEv2 profile " + profile.name + " uses rsa-sig without a pki trustpoint";
        return c;
    }
    c.profile = profile.name;
    c.trustpoint = profile.trustpoints.empty() ? "" : profile.trustpoints.front();
    c.localKey = localPsk ? keys.local : std::nullopt;
    c.remoteKey = remotePsk ? keys.remote : std::nullopt;
    c.lifetimeSeconds = profile.lifetimeSeconds;
    WireIdentity(local, c);
    c.idDn = local.type == IosIkev2IdType::DN;
    if (localPsk && !keys.local)
    {
        c.profile.clear();
        c.reason = "IKEv2 profile " + profile.name + " has no pre-shared key for the peer";
    }
    return c;
}

} // namespace

IkePolicyProvider::Ikev2Credentials
IosRouter::GetIkev2InitiatorCredentials(Ptr<IpsecPolicyEntry> entry, Ipv4Address local,
                                        Ipv4Address peer) const
{
    NS_LOG_FUNCTION(this << entry << local << peer);
    const IosIkev2Profile* profile = GetIkev2Profile(entry);
    if (!profile)
    {
        Ikev2Credentials c;
        c.reason = "crypto map " + entry->Name() + " names no IKEv2 profile";
        return c;
    }
    Ikev2Credentials c = CredentialsOf(*profile, GetIkev2PreSharedKeys(*profile, peer),
                                       GetIkev2LocalIdentity(*profile, local));
    c.natKeepaliveSeconds =
        profile->natKeepaliveSeconds.value_or(m_config.ikev2.natKeepaliveSeconds.value_or(0));
    return c;
}

IkePolicyProvider::Ikev2Credentials
IosRouter::GetIkev2ResponderCredentials(uint8_t idType, const std::vector<uint8_t>& id,
                                        Ipv4Address local, Ipv4Address peer) const
{
    NS_LOG_FUNCTION(this << int(idType) << local << peer);
    Ikev2Credentials c;
    const std::optional<IosIkev2Identity> remote = ConfigIdentity(idType, id);
    const IosIkev2Profile* profile = remote ? FindIkev2Profile(*remote, local) : nullptr;
    if (!profile)
    {
        c.reason = "no IKEv2 profile matches the peer's identity" +
                   (remote ? " " + remote->value : std::string(" (type not matched)"));
        return c;
    }
    c = CredentialsOf(*profile, GetIkev2PreSharedKeys(*profile, peer, remote),
                      GetIkev2LocalIdentity(*profile, local));
    c.natKeepaliveSeconds =
        profile->natKeepaliveSeconds.value_or(m_config.ikev2.natKeepaliveSeconds.value_or(0));
    return c;
}

IkePolicyProvider::Phase2
IosRouter::MatchIkev2Child(Ipv4Address peer, Ipv4Address local,
                           const IpsecTrafficSelector& scope) const
{
    NS_LOG_FUNCTION(this << peer << local << scope);
    return MatchEntry(peer, local, scope, true);
}

IkePolicyProvider::Ikev2Dpd
IosRouter::GetIkev2Dpd(const std::string& profile) const
{
    NS_LOG_FUNCTION(this << profile);
    auto it = m_config.ikev2.profiles.find(profile);
    const std::optional<IosIkev2Dpd>& dpd =
        it != m_config.ikev2.profiles.end() && it->second.dpd ? it->second.dpd : m_config.ikev2.dpd;
    Ikev2Dpd d;
    if (dpd)
    {
        d.interval = dpd->interval;
        d.retry = dpd->retry;
        d.periodic = dpd->periodic;
    }
    return d;
}

uint32_t
IosRouter::GetIkev2CookieChallenge() const
{
    return m_config.ikev2.cookieChallenge.value_or(0);
}

} // namespace ns3
