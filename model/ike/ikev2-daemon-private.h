/**
 * @file
 * Private to the IKEv2 daemon's implementation files (ikev2-daemon*.cc): the small conversions
 * they share. Not installed, not for callers of Ikev2Daemon.
 */
#ifndef IPSEC_IKEV2_DAEMON_PRIVATE_H
#define IPSEC_IKEV2_DAEMON_PRIVATE_H

#include "ns3/ikev2-header.h"
#include "ns3/ipv4-address.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{
namespace ikev2
{

inline std::vector<uint8_t>
AddressBytes(Ipv4Address a)
{
    const uint32_t v = a.Get();
    return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}

inline std::vector<uint8_t>
Bytes8(const Ikev2Spi& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

inline std::vector<uint8_t>
KeyBytes(const std::string& k)
{
    return std::vector<uint8_t>(k.begin(), k.end());
}

inline bool
IsZero(const Ikev2Spi& s)
{
    for (uint8_t b : s)
    {
        if (b)
        {
            return false;
        }
    }
    return true;
}

} // namespace ikev2
} // namespace ns3

#endif
