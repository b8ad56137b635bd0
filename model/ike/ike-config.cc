#include "ns3/ike-config.h"

#include <sstream>

namespace ns3
{

IkePolicy
IkePolicy::IosDefault()
{
    IkePolicy p;
    p.priority = 65535;
    p.encryption = IKE_ENCR_DES_CBC;
    p.keyLength = 0;
    p.hash = IKE_HASH_SHA;
    p.authentication = IKE_AUTH_RSA_SIGNATURES;
    p.group = IKE_GROUP_MODP_768;
    p.lifetimeSeconds = 86400;
    return p;
}

bool
IkePolicy::SameSuite(const IkePolicy& o) const
{
    auto keyLen = [](const IkePolicy& p)
    { return p.encryption == IKE_ENCR_AES_CBC && p.keyLength == 0 ? uint16_t(128) : p.keyLength; };
    return encryption == o.encryption && keyLen(*this) == keyLen(o) && hash == o.hash &&
           authentication == o.authentication && group == o.group;
}

std::string
IkePolicy::ToString() const
{
    std::ostringstream os;
    switch (encryption)
    {
    case IKE_ENCR_DES_CBC:
        os << "DES";
        break;
    case IKE_ENCR_3DES_CBC:
        os << "3DES";
        break;
    case IKE_ENCR_AES_CBC:
        os << "AES-" << (keyLength ? keyLength : 128);
        break;
    default:
        os << "cipher" << encryption;
    }
    switch (hash)
    {
    case IKE_HASH_MD5:
        os << " MD5";
        break;
    case IKE_HASH_SHA:
        os << " SHA";
        break;
    case IKE_HASH_SHA2_256:
        os << " SHA256";
        break;
    case IKE_HASH_SHA2_384:
        os << " SHA384";
        break;
    case IKE_HASH_SHA2_512:
        os << " SHA512";
        break;
    default:
        os << " hash" << hash;
    }
    switch (authentication)
    {
    case IKE_AUTH_PRE_SHARED_KEY:
        os << " pre-share";
        break;
    case IKE_AUTH_RSA_SIGNATURES:
        os << " rsa-sig";
        break;
    case IKE_AUTH_RSA_ENCRYPTION:
        os << " rsa-encr";
        break;
    default:
        os << " auth" << authentication;
    }
    os << " group" << group << " " << lifetimeSeconds << "s";
    return os.str();
}

void
IkeAdjustModes(IkePhase2Offer& offer, const IpsecTrafficSelector& scope, Ipv4Address local,
               Ipv4Address peer)
{
    const bool betweenPeers = scope.srcWildcard == 0 && scope.dstWildcard == 0 &&
                              scope.srcAddr == local && scope.dstAddr == peer;
    for (auto& set : offer.sets)
    {
        if (!betweenPeers)
        {
            set.mode = IpsecMode::TUNNEL;
        }
    }
}

} // namespace ns3
