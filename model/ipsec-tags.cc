#include "ipsec-tags.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecInboundTag);
NS_OBJECT_ENSURE_REGISTERED(IpsecOutboundTag);

namespace
{
void
WriteIds(TagBuffer& i, uint32_t node, const std::vector<uint32_t>& ids)
{
    i.WriteU32(node);
    i.WriteU8(static_cast<uint8_t>(ids.size()));
    for (uint32_t id : ids)
    {
        i.WriteU32(id);
    }
}

void
ReadIds(TagBuffer& i, uint32_t& node, std::vector<uint32_t>& ids, size_t max)
{
    node = i.ReadU32();
    uint8_t n = i.ReadU8();
    ids.clear();
    for (uint8_t k = 0; k < n && k < max; ++k)
    {
        ids.push_back(i.ReadU32());
    }
}
} // namespace

TypeId
IpsecInboundTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecInboundTag")
                            .SetParent<Tag>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecInboundTag>();
    return tid;
}

TypeId
IpsecInboundTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
IpsecInboundTag::GetSerializedSize() const
{
    return 5 + 4 * static_cast<uint32_t>(saIds.size());
}

void
IpsecInboundTag::Serialize(TagBuffer i) const
{
    WriteIds(i, node, saIds);
}

void
IpsecInboundTag::Deserialize(TagBuffer i)
{
    ReadIds(i, node, saIds, kMaxSas);
}

void
IpsecInboundTag::Print(std::ostream& os) const
{
    os << "node=" << node << " sas=" << saIds.size();
}

TypeId
IpsecOutboundTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecOutboundTag")
                            .SetParent<Tag>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecOutboundTag>();
    return tid;
}

TypeId
IpsecOutboundTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
IpsecOutboundTag::GetSerializedSize() const
{
    return 5 + 4 * static_cast<uint32_t>(entryIds.size());
}

void
IpsecOutboundTag::Serialize(TagBuffer i) const
{
    WriteIds(i, node, entryIds);
}

void
IpsecOutboundTag::Deserialize(TagBuffer i)
{
    ReadIds(i, node, entryIds, kMaxEntries);
}

void
IpsecOutboundTag::Print(std::ostream& os) const
{
    os << "node=" << node << " entries=" << entryIds.size();
}

} // namespace ns3
