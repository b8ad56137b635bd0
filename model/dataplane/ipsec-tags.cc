#include "ns3/ipsec-tags.h"

#include <memory>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecInboundTag);
NS_OBJECT_ENSURE_REGISTERED(IpsecOutboundTag);
NS_OBJECT_ENSURE_REGISTERED(IpsecCarriedTags);

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

TypeId
IpsecCarriedTags::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecCarriedTags")
                            .SetParent<Tag>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecCarriedTags>();
    return tid;
}

TypeId
IpsecCarriedTags::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
IpsecCarriedTags::GetSerializedSize() const
{
    uint32_t n = 1;
    for (const auto& c : m_tags)
    {
        n += 2 + static_cast<uint32_t>(c.type.size()) + 2 + static_cast<uint32_t>(c.bytes.size());
    }
    return n;
}

void
IpsecCarriedTags::Serialize(TagBuffer i) const
{
    i.WriteU8(static_cast<uint8_t>(m_tags.size()));
    for (const auto& c : m_tags)
    {
        i.WriteU16(static_cast<uint16_t>(c.type.size()));
        i.Write(reinterpret_cast<const uint8_t*>(c.type.data()),
                static_cast<uint32_t>(c.type.size()));
        i.WriteU16(static_cast<uint16_t>(c.bytes.size()));
        i.Write(c.bytes.data(), static_cast<uint32_t>(c.bytes.size()));
    }
}

void
IpsecCarriedTags::Deserialize(TagBuffer i)
{
    m_tags.clear();
    const uint8_t n = i.ReadU8();
    for (uint8_t k = 0; k < n; ++k)
    {
        Carried c;
        c.type.resize(i.ReadU16());
        i.Read(reinterpret_cast<uint8_t*>(c.type.data()), static_cast<uint32_t>(c.type.size()));
        c.bytes.resize(i.ReadU16());
        i.Read(c.bytes.data(), static_cast<uint32_t>(c.bytes.size()));
        m_tags.push_back(std::move(c));
    }
}

void
IpsecCarriedTags::Print(std::ostream& os) const
{
    os << "carried=" << m_tags.size();
}

namespace
{
Tag*
NewTag(TypeId tid)
{
    if (!tid.HasConstructor())
    {
        return nullptr;
    }
    ObjectBase* o = tid.GetConstructor()();
    Tag* t = dynamic_cast<Tag*>(o);
    if (!t)
    {
        delete o;
    }
    return t;
}
} // namespace

void
IpsecCarriedTags::Pack(const Packet& from)
{
    m_tags.clear();
    for (ByteTagIterator it = from.GetByteTagIterator(); it.HasNext() && m_tags.size() < 255;)
    {
        ByteTagIterator::Item item = it.Next();
        std::unique_ptr<Tag> tag(NewTag(item.GetTypeId()));
        if (!tag)
        {
            continue;
        }
        item.GetTag(*tag);
        Carried c;
        c.type = item.GetTypeId().GetName();
        c.bytes.resize(tag->GetSerializedSize());
        tag->Serialize(TagBuffer(c.bytes.data(), c.bytes.data() + c.bytes.size()));
        m_tags.push_back(std::move(c));
    }
}

void
IpsecCarriedTags::Unpack(Packet& to) const
{
    for (const auto& c : m_tags)
    {
        TypeId tid;
        if (!TypeId::LookupByNameFailSafe(c.type, &tid))
        {
            continue;
        }
        std::unique_ptr<Tag> tag(NewTag(tid));
        if (!tag)
        {
            continue;
        }
        std::vector<uint8_t> bytes = c.bytes;
        tag->Deserialize(TagBuffer(bytes.data(), bytes.data() + bytes.size()));
        to.AddByteTag(*tag);
    }
}

} // namespace ns3
