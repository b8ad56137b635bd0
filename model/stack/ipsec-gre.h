// GRE tunnels (RFC 2784, as IOS's `interface Tunnel` with `tunnel mode gre ip`): an IPv4 packet
// routed into the tunnel interface is carried in GRE inside an IPv4 packet from the tunnel source
// to the tunnel destination, which then meets the physical interface's crypto map like any
// packet the router sends (GRE over IPsec: `permit gre host A host B`). Received GRE addressed
// to the tunnel source comes out of the tunnel interface as if it had arrived there.
#ifndef IPSEC_GRE_H
#define IPSEC_GRE_H

#include "ns3/header.h"
#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/virtual-net-device.h"

namespace ns3
{

class Node;
class Socket;
class Packet;

/** @brief The GRE header of RFC 2784 without options: C bit, reserved, version 0, protocol. */
class GreHeader : public Header
{
public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    void SetProtocolType(uint16_t type)
    {
        m_protocol = type;
    }
    uint16_t GetProtocolType() const
    {
        return m_protocol;
    }
    /** False when the packet used a feature this model does not read (checksum, key,
     *  sequence, routing, or a version other than 0): such packets are dropped. */
    bool IsSupported() const
    {
        return m_supported;
    }

    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;
    void Print(std::ostream& os) const override;

private:
    uint16_t m_flagsVersion = 0;
    uint16_t m_protocol = 0x0800;
    bool m_supported = true;
};

/**
 * @brief One GRE tunnel interface of a node: a VirtualNetDevice whose frames go out in GRE over
 * IPv4, and a raw IP socket (protocol 47) that hands received GRE to it.
 */
class IpsecGreTunnel : public Object
{
public:
    static TypeId GetTypeId();
    IpsecGreTunnel();
    ~IpsecGreTunnel() override;

    /** Create the tunnel's device on @p node (added to it; the caller gives it an IPv4
     *  interface). The endpoints can be set later (SetEndpoints). */
    Ptr<VirtualNetDevice> Install(Ptr<Node> node);
    void SetEndpoints(Ipv4Address source, Ipv4Address destination);
    Ipv4Address GetSource() const
    {
        return m_source;
    }
    Ipv4Address GetDestination() const
    {
        return m_destination;
    }
    Ptr<VirtualNetDevice> GetDevice() const
    {
        return m_device;
    }
    /**
     * `tunnel protection ipsec profile`: the GRE packets are handed to the node's IpsecProcessor
     * with the crypto map set of the tunnel interface itself (which protects GRE from the
     * tunnel source to the destination), whatever interface they then leave by; received GRE
     * that did not come through IPsec is dropped.
     */
    void SetProtected(bool on)
    {
        m_protected = on;
    }
    bool IsProtected() const
    {
        return m_protected;
    }

    uint64_t GetEncapsulated() const
    {
        return m_encapsulated;
    }
    uint64_t GetDecapsulated() const
    {
        return m_decapsulated;
    }
    uint64_t GetDropped() const
    {
        return m_dropped;
    }

protected:
    void DoDispose() override;

private:
    bool Send(Ptr<Packet> packet, const Address& src, const Address& dst, uint16_t protocol);
    void Receive(Ptr<Socket> socket);

    Ptr<Node> m_node;
    Ptr<VirtualNetDevice> m_device;
    Ptr<Socket> m_socket;
    Ipv4Address m_source;
    Ipv4Address m_destination;
    bool m_protected = false;
    uint16_t m_identification = 0; //!< of the GRE packets handed to IPsec
    uint64_t m_encapsulated = 0;
    uint64_t m_decapsulated = 0;
    uint64_t m_dropped = 0;
    TracedCallback<Ptr<const Packet>> m_encapTrace;
    TracedCallback<Ptr<const Packet>> m_decapTrace;
};

} // namespace ns3

#endif
