// Test support: ISAKMP messages written as UDP/500 datagrams into a pcap for tshark.
#ifndef IPSEC_TEST_ISAKMP_PCAP_H
#define IPSEC_TEST_ISAKMP_PCAP_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/pcap-file.h"
#include "ns3/udp-header.h"

#include <cstdint>
#include <vector>

namespace ns3
{
namespace test
{

/** @p isakmp as one UDP/500 datagram in IPv4, frame @p n of a LINKTYPE_RAW (101) capture. */
inline void
WriteIsakmpFrame(PcapFile& pcap, uint32_t n, const std::vector<uint8_t>& isakmp,
                 Ipv4Address src = Ipv4Address("192.0.2.1"),
                 Ipv4Address dst = Ipv4Address("198.51.100.1"))
{
    Ptr<Packet> p = Create<Packet>(isakmp.data(), isakmp.size());
    UdpHeader udp;
    udp.SetSourcePort(500);
    udp.SetDestinationPort(500);
    udp.EnableChecksums();
    udp.InitializeChecksum(src, dst, 17);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetProtocol(17);
    ip.SetTtl(64);
    ip.SetIdentification(static_cast<uint16_t>(n));
    ip.SetPayloadSize(p->GetSize());
    ip.EnableChecksum();
    p->AddHeader(ip);
    pcap.Write(1700000000 + n, 0, p);
}

} // namespace test
} // namespace ns3

#endif
