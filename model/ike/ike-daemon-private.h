/**
 * @file
 * Private to the IKE daemon's implementation files (ike-daemon*.cc): the ports and the small
 * conversions they share. Not installed, not for callers of IkeDaemon.
 */
#ifndef IPSEC_IKE_DAEMON_PRIVATE_H
#define IPSEC_IKE_DAEMON_PRIVATE_H

#include "ns3/ike-daemon.h"

#include <cstdint>

namespace ns3
{
namespace ike
{

constexpr uint16_t kIkePort = 500;
constexpr uint16_t kNatTPort = 4500; //!< RFC 3947 4, RFC 3948

/** The initiator cookie as the key of the daemon's maps. */
inline uint64_t
CookieKey(const IsakmpCookie& c)
{
    return IsakmpCookieToUint64(c);
}

inline uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

/** The ISAKMP protocol ID (RFC 2407 4.4.1) of a data-plane protocol. */
inline uint8_t
IsakmpProtocolOf(IpsecProtocol p)
{
    switch (p)
    {
    case IpsecProtocol::ESP:
        return ISAKMP_PROTO_IPSEC_ESP;
    case IpsecProtocol::AH:
        return ISAKMP_PROTO_IPSEC_AH;
    case IpsecProtocol::IPCOMP:
        return ISAKMP_PROTO_IPCOMP;
    }
    return 0;
}

} // namespace ike
} // namespace ns3

#endif
