#include "ns3/ipsec-gre.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-tags.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"
#include "ns3/virtual-net-device.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecGre");
NS_OBJECT_ENSURE_REGISTERED(GreHeader);
NS_OBJECT_ENSURE_REGISTERED(IpsecGreTunnel);

namespace
{
constexpr uint8_t kGre = 47;
constexpr uint16_t kIpv4 = 0x0800;
} // namespace

TypeId
GreHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GreHeader")
                            .SetParent<Header>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<GreHeader>();
    return tid;
}

TypeId
GreHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
GreHeader::GetSerializedSize() const
{
    return 4;
}

void
GreHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU16(0); // RFC 2784 2.1: C = 0, Reserved0 = 0, Ver = 0
    start.WriteHtonU16(m_protocol);
}

uint32_t
GreHeader::Deserialize(Buffer::Iterator start)
{
    NS_LOG_FUNCTION(this);
    m_flagsVersion = start.ReadNtohU16();
    m_protocol = start.ReadNtohU16();
    // RFC 2784 2.5: a receiver must discard a packet with a non-zero version; the checksum (C),
    // and RFC 1701's routing, key and sequence bits, would add fields this model does not read.
    m_supported = (m_flagsVersion & 0xf807) == 0;
    return 4;
}

void
GreHeader::Print(std::ostream& os) const
{
    os << "GRE protocol=0x" << std::hex << m_protocol << std::dec;
}

TypeId
IpsecGreTunnel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecGreTunnel")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecGreTunnel>()
            .AddTraceSource("Encapsulate", "A packet entered the tunnel (the inner IPv4 packet)",
                            MakeTraceSourceAccessor(&IpsecGreTunnel::m_encapTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Decapsulate", "A packet came out of the tunnel (the inner packet)",
                            MakeTraceSourceAccessor(&IpsecGreTunnel::m_decapTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

IpsecGreTunnel::IpsecGreTunnel() = default;
IpsecGreTunnel::~IpsecGreTunnel() = default;

void
IpsecGreTunnel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
    m_socket = nullptr;
    if (m_device)
    {
        m_device->SetSendCallback(VirtualNetDevice::SendCallback());
    }
    m_device = nullptr;
    m_node = nullptr;
    Object::DoDispose();
}

Ptr<VirtualNetDevice>
IpsecGreTunnel::Install(Ptr<Node> node)
{
    NS_LOG_FUNCTION(this << node);
    m_node = node;
    m_device = CreateObject<VirtualNetDevice>();
    m_device->SetAddress(Mac48Address::Allocate());
    m_device->SetNeedsArp(false);
    m_device->SetIsPointToPoint(true);
    // IOS: a GRE tunnel's IP MTU is 1476 (1500 less the outer IP header and GRE).
    m_device->SetMtu(1476);
    m_device->SetSendCallback(MakeCallback(&IpsecGreTunnel::Send, this));
    node->AddDevice(m_device);
    return m_device;
}

void
IpsecGreTunnel::SetEndpoints(Ipv4Address source, Ipv4Address destination)
{
    NS_LOG_FUNCTION(this << source << destination);
    m_source = source;
    m_destination = destination;
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(m_node, Ipv4RawSocketFactory::GetTypeId());
        m_socket->SetAttribute("Protocol", UintegerValue(kGre));
        m_socket->SetRecvCallback(MakeCallback(&IpsecGreTunnel::Receive, this));
    }
}

bool
IpsecGreTunnel::Send(Ptr<Packet> packet, const Address&, const Address&, uint16_t protocol)
{
    NS_LOG_FUNCTION(this << packet << protocol);
    Ptr<Ipv4L3Protocol> ip = m_node->GetObject<Ipv4L3Protocol>();
    if (protocol != kIpv4 || m_destination == Ipv4Address() || !ip)
    {
        ++m_dropped;
        return false;
    }
    m_encapTrace(packet);
    GreHeader gre;
    gre.SetProtocolType(kIpv4);
    Ptr<Packet> p = packet->Copy();
    p->AddHeader(gre);
    ++m_encapsulated;
    Ptr<IpsecProcessor> processor = m_node->GetObject<IpsecProcessor>();
    const int32_t ifIndex = ip->GetInterfaceForDevice(m_device);
    if (m_protected && processor && ifIndex >= 0)
    {
        // Tunnel protection: IPsec takes the GRE packet as the router's own, with the tunnel
        // interface's crypto map set, then routes what it makes.
        Ipv4Header h;
        h.SetSource(m_source);
        h.SetDestination(m_destination);
        h.SetProtocol(kGre);
        h.SetPayloadSize(p->GetSize());
        h.SetTtl(255); // IOS: tunnel ttl 255
        h.SetIdentification(m_identification++);
        h.SetMayFragment();
        if (processor->ProcessOutbound(static_cast<uint32_t>(ifIndex), p, h))
        {
            return true;
        }
    }
    // Through IP as the router's own packet: routed, and met by the outgoing interface's crypto
    // map (GRE over IPsec).
    ip->Send(p, m_source, m_destination, kGre, nullptr);
    return true;
}

void
IpsecGreTunnel::Receive(Ptr<Socket> socket)
{
    NS_LOG_FUNCTION(this << socket);
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        Ipv4Header outer;
        p->RemoveHeader(outer);
        if (outer.GetDestination() != m_source || outer.GetSource() != m_destination)
        {
            continue; // another tunnel's
        }
        IpsecInboundTag viaIpsec;
        if (m_protected && !(p->PeekPacketTag(viaIpsec) && viaIpsec.node == m_node->GetId()))
        {
            ++m_dropped; // tunnel protection: clear GRE is not accepted
            continue;
        }
        GreHeader gre;
        if (p->GetSize() < gre.GetSerializedSize())
        {
            ++m_dropped;
            continue;
        }
        p->RemoveHeader(gre);
        if (!gre.IsSupported() || gre.GetProtocolType() != kIpv4)
        {
            ++m_dropped;
            continue;
        }
        ++m_decapsulated;
        // A new packet on the tunnel interface: what IPsec recorded about the GRE packet that
        // carried it (the SAs it came through) does not apply to it.
        p->RemoveAllPacketTags();
        m_decapTrace(p);
        m_device->Receive(p, kIpv4, m_device->GetAddress(), m_device->GetAddress(),
                          NetDevice::PACKET_HOST);
    }
}

} // namespace ns3
