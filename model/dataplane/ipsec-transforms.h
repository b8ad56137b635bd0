// Per-packet IPsec transforms: ESP (RFC 4303, RFC 2406; RFC 1829 for the old DES-CBC format),
// AH (RFC 4302, RFC 2402) and IPComp (RFC 3173). A transform only transforms: it never looks up
// policy or SAs. Each takes the SA to use and returns the new payload (what follows the IP
// header) and its Next Header value, or a drop reason.
#ifndef IPSEC_TRANSFORMS_H
#define IPSEC_TRANSFORMS_H

#include "ns3/byte-source.h"
#include "ns3/ipsec-drop-reason.h"
#include "ns3/ipsec-sa.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"

#include <optional>

namespace ns3
{

/** Result of a transform: the payload after the IP header and what its first header is. */
struct IpsecTransformResult
{
    Ptr<Packet> payload;
    uint8_t nextHeader = 0;
    std::optional<IpsecDropReason> drop; //!< set when the packet must be dropped
    bool applied = true;                 //!< false: IPComp left the payload as it was
};

class EspTransform
{
public:
    /** ESP-protect @p payload whose type is @p nextHeader (4 = IPv4 in tunnel mode). */
    static IpsecTransformResult Protect(IpsecSa& sa, ipsec::ByteSource& rng, const Packet& payload,
                                        uint8_t nextHeader);
    /** Verify, check replay, decrypt and strip ESP (RFC 4303 3.4). */
    static IpsecTransformResult Unprotect(IpsecSa& sa, const Packet& packet);
    /** Bytes ESP adds to a payload of @p len bytes with this SA (header, IV, pad, trailer, ICV). */
    static uint32_t Overhead(IpsecSa& sa, uint32_t len);
    /** The SPI of an ESP packet (first 4 bytes), or nothing if shorter than the ESP header. */
    static std::optional<uint32_t> PeekSpi(const Packet& packet);
};

class AhTransform
{
public:
    /**
     * AH-protect @p payload, to be sent under @p outer (its protocol and length are set here:
     * the caller passes the header as it will be sent, source and destination final).
     */
    static IpsecTransformResult Protect(IpsecSa& sa, Ipv4Header& outer, const Packet& payload,
                                        uint8_t nextHeader);
    /** Verify and strip AH (RFC 4302 3.4); @p ip is the header the packet arrived with. */
    static IpsecTransformResult Unprotect(IpsecSa& sa, const Ipv4Header& ip, const Packet& packet);
    static std::optional<uint32_t> PeekSpi(const Packet& packet);
};

class IpcompTransform
{
public:
    /**
     * Compress @p payload; if the result is not smaller (RFC 3173 2.2), the payload is left as it
     * was and `applied` is false.
     */
    static IpsecTransformResult Protect(IpsecSa& sa, const Packet& payload, uint8_t nextHeader);
    static IpsecTransformResult Unprotect(IpsecSa& sa, const Packet& packet);
    /** The CPI of an IPComp packet. */
    static std::optional<uint32_t> PeekCpi(const Packet& packet);
};

/**
 * The IPv4 header as AH's ICV sees it (RFC 4302 3.3.3.1.1.1): TOS, flags, fragment offset, TTL
 * and checksum zeroed, total length as sent. Appends its 20 bytes to @p out.
 */
void AppendAhCanonicalIpHeader(const Ipv4Header& ip, std::vector<uint8_t>& out);

} // namespace ns3

#endif
