// Packet tags the IPsec data plane uses inside one node. Tags travel with packet copies across
// links in ns-3, so each names the node that set it and is ignored elsewhere.
#ifndef IPSEC_TAGS_H
#define IPSEC_TAGS_H

#include "ns3/packet.h"
#include "ns3/tag.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief On a packet that IPsec decapsulated and re-injected: the inbound SAs (by id) that it
 * came through, for the inbound policy check (RFC 2401 5.2.1 step 4).
 */
class IpsecInboundTag : public Tag
{
public:
    static constexpr size_t kMaxSas = 8;
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    uint32_t node = 0;
    std::vector<uint32_t> saIds;
};

/**
 * @brief On a packet IPsec produced: the crypto map entries already applied at this node, so
 * outbound processing of the encapsulated packet can nest (Figure 30) but never loop.
 */
class IpsecOutboundTag : public Tag
{
public:
    static constexpr size_t kMaxEntries = 8;
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    uint32_t node = 0;
    std::vector<uint32_t> entryIds;
};

/**
 * @brief The ns-3 byte tags of a packet IPsec protected, packed into one tag on the protected
 * packet and unpacked onto the inner packet when it comes out of the tunnel. Simulation metadata
 * (FlowMonitor's tag among it) thus crosses a tunnel with the data it marks, but is not visible
 * on the encapsulated packet, which is a different packet between different addresses.
 */
class IpsecCarriedTags : public Tag
{
public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    /** Pack every byte tag of @p from (a tag of this kind included: nesting). */
    void Pack(const Packet& from);
    /** Put the packed tags on the whole of @p to. */
    void Unpack(Packet& to) const;
    bool IsEmpty() const
    {
        return m_tags.empty();
    }

private:
    struct Carried
    {
        std::string type; //!< TypeId name
        std::vector<uint8_t> bytes;
    };
    std::vector<Carried> m_tags;
};

} // namespace ns3

#endif
