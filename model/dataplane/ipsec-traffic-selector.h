// Traffic selectors: what an SPD rule (a compiled crypto access-list line) matches.
#ifndef IPSEC_TRAFFIC_SELECTOR_H
#define IPSEC_TRAFFIC_SELECTOR_H

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/** The fields of a packet that selectors look at (RFC 2401 4.4.2). */
struct IpsecFlow
{
    Ipv4Address src;
    Ipv4Address dst;
    uint8_t protocol = 0;
    uint16_t srcPort = 0; //!< 0 when the protocol has no ports or the packet is a later fragment
    uint16_t dstPort = 0;
    bool hasPorts = false; //!< true for TCP/UDP first fragments (ports were read)

    /** The flow seen from the other side (src and dst swapped). */
    IpsecFlow Reversed() const;
};

/** Extracts the selector fields from an IPv4 header and its payload (no copy of the payload). */
class Ipv4Header;
class Packet;
IpsecFlow FlowOf(const Ipv4Header& header, const Packet& payload);

/** A port condition as in IOS access lists (eq, lt, gt, neq, range), or any. */
struct IpsecPortMatch
{
    enum class Op : uint8_t
    {
        ANY,
        EQ,
        LT,
        GT,
        NEQ,
        RANGE
    };
    Op op = Op::ANY;
    uint16_t lo = 0;
    uint16_t hi = 0;

    bool Matches(uint16_t port) const;
    bool IsAny() const
    {
        return op == Op::ANY;
    }
    /** true if every port this matches is also matched by @p outer. */
    bool Within(const IpsecPortMatch& outer) const;
    static IpsecPortMatch Eq(uint16_t p)
    {
        return {Op::EQ, p, p};
    }
    static IpsecPortMatch Range(uint16_t a, uint16_t b)
    {
        return {Op::RANGE, a, b};
    }
};

/**
 * @brief Source/destination address with an IOS wildcard mask (1 bits = don't care; need not be
 * contiguous), protocol (0 = any IP protocol) and port conditions.
 */
struct IpsecTrafficSelector
{
    Ipv4Address srcAddr;
    uint32_t srcWildcard = 0xffffffff; //!< default: any
    Ipv4Address dstAddr;
    uint32_t dstWildcard = 0xffffffff;
    uint8_t protocol = 0; //!< 0 = any
    IpsecPortMatch srcPort;
    IpsecPortMatch dstPort;

    bool Matches(const IpsecFlow& flow) const;
    /** The same selector with source and destination exchanged (inbound evaluation). */
    IpsecTrafficSelector Mirror() const;
    /** true if every flow matched by this selector is also matched by @p outer. */
    bool Within(const IpsecTrafficSelector& outer) const;

    static IpsecTrafficSelector Any();
    /** Subnets given by network masks (e.g. 255.255.255.0), any protocol. */
    static IpsecTrafficSelector Subnets(Ipv4Address src, Ipv4Mask srcMask, Ipv4Address dst,
                                        Ipv4Mask dstMask, uint8_t protocol = 0);
    static IpsecTrafficSelector Hosts(Ipv4Address src, Ipv4Address dst, uint8_t protocol = 0);
};

std::ostream& operator<<(std::ostream& os, const IpsecTrafficSelector& s);

} // namespace ns3

#endif
