// Packet tags the IPsec data plane uses inside one node. Tags travel with packet copies across
// links in ns-3, so each names the node that set it and is ignored elsewhere.
#ifndef IPSEC_TAGS_H
#define IPSEC_TAGS_H

#include "ns3/packet.h"
#include "ns3/tag.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief Up to N ids (SAs or crypto map entries) held in place: what the IPsec tags carry and
 * what a packet's processing collects. A std::vector cost one allocation per packet (and one
 * per copy into a tag or a deferred callback); the lists hold at most a few ids.
 */
template <size_t N> class IpsecIdList
{
public:
    static constexpr size_t kCapacity = N;
    /** Append @p id; beyond the capacity it is ignored (the tags' limit). */
    void push_back(uint32_t id)
    {
        if (m_n < N)
        {
            m_ids[m_n++] = id;
        }
    }
    void clear()
    {
        m_n = 0;
    }
    size_t size() const
    {
        return m_n;
    }
    bool empty() const
    {
        return m_n == 0;
    }
    const uint32_t* begin() const
    {
        return m_ids.data();
    }
    const uint32_t* end() const
    {
        return m_ids.data() + m_n;
    }
    const uint32_t* data() const
    {
        return m_ids.data();
    }
    bool Contains(uint32_t id) const
    {
        for (size_t i = 0; i < m_n; ++i)
        {
            if (m_ids[i] == id)
            {
                return true;
            }
        }
        return false;
    }

private:
    std::array<uint32_t, N> m_ids{};
    uint8_t m_n = 0;
};

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
    IpsecIdList<kMaxSas> saIds;
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
    IpsecIdList<kMaxEntries> entryIds;
};

/**
 * @brief The ns-3 byte tags of a packet IPsec protected, packed into one tag on the protected
 * packet and unpacked onto the inner packet when it comes out of the tunnel. Simulation metadata
 * (FlowMonitor's tag among it) thus crosses a tunnel with the data it marks, but is not visible
 * on the encapsulated packet, which is a different packet between different addresses.
 *
 * A tag's type is carried as its TypeId's uid, which is valid within the process only: tags
 * never leave the simulation (they are not in pcaps). Per packet this keeps one flat byte
 * buffer and one reusable instance of each tag type, instead of a string, a vector and a new
 * tag object per carried tag and a TypeId lookup by name on unpacking.
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
        return m_count == 0;
    }

private:
    uint8_t m_count = 0;
    /** Per tag: its TypeId uid (2 bytes), the length of its bytes (2), its bytes. */
    std::vector<uint8_t> m_bytes;
};

} // namespace ns3

#endif
