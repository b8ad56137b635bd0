#include "ns3/ipsec-tags.h"

#include <map>
#include <memory>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecInboundTag);
NS_OBJECT_ENSURE_REGISTERED(IpsecOutboundTag);
NS_OBJECT_ENSURE_REGISTERED(IpsecCarriedTags);

namespace
{
template <size_t N>
void
WriteIds(TagBuffer& i, uint32_t node, const IpsecIdList<N>& ids)
{
    i.WriteU32(node);
    i.WriteU8(static_cast<uint8_t>(ids.size()));
    for (uint32_t id : ids)
    {
        i.WriteU32(id);
    }
}

template <size_t N>
void
ReadIds(TagBuffer& i, uint32_t& node, IpsecIdList<N>& ids)
{
    node = i.ReadU32();
    uint8_t n = i.ReadU8();
    ids.clear();
    for (uint8_t k = 0; k < n && k < N; ++k)
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
    ReadIds(i, node, saIds);
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
    ReadIds(i, node, entryIds);
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
    return 3 + static_cast<uint32_t>(m_bytes.size());
}

void
IpsecCarriedTags::Serialize(TagBuffer i) const
{
    i.WriteU8(m_count);
    i.WriteU16(static_cast<uint16_t>(m_bytes.size()));
    i.Write(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
}

void
IpsecCarriedTags::Deserialize(TagBuffer i)
{
    m_count = i.ReadU8();
    m_bytes.resize(i.ReadU16());
    i.Read(m_bytes.data(), static_cast<uint32_t>(m_bytes.size()));
}

void
IpsecCarriedTags::Print(std::ostream& os) const
{
    os << "carried=" << static_cast<uint32_t>(m_count);
}

namespace
{
/**
 * One instance per tag type, by TypeId uid, reused for every packet (a tag's Deserialize sets
 * what its Serialize writes); null for a type without a constructor.
 */
Tag*
Prototype(TypeId tid)
{
    static std::map<uint16_t, std::unique_ptr<Tag>> prototypes;
    auto it = prototypes.find(tid.GetUid());
    if (it != prototypes.end())
    {
        return it->second.get();
    }
    std::unique_ptr<Tag> tag;
    if (tid.HasConstructor())
    {
        ObjectBase* o = tid.GetConstructor()();
        tag.reset(dynamic_cast<Tag*>(o));
        if (!tag)
        {
            delete o;
        }
    }
    return prototypes.emplace(tid.GetUid(), std::move(tag)).first->second.get();
}

void
PutU16(std::vector<uint8_t>& v, uint16_t x)
{
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x & 0xff));
}

uint16_t
GetU16(const uint8_t* p)
{
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}
} // namespace

void
IpsecCarriedTags::Pack(const Packet& from)
{
    m_count = 0;
    m_bytes.clear();
    for (ByteTagIterator it = from.GetByteTagIterator(); it.HasNext() && m_count < 255;)
    {
        ByteTagIterator::Item item = it.Next();
        Tag* tag = Prototype(item.GetTypeId());
        if (!tag)
        {
            continue;
        }
        item.GetTag(*tag);
        const uint32_t size = tag->GetSerializedSize();
        if (size > 0xffff || m_bytes.size() + 4 + size > 0xffff)
        {
            continue; // cannot be carried (no ns-3 tag comes near this)
        }
        PutU16(m_bytes, item.GetTypeId().GetUid());
        PutU16(m_bytes, static_cast<uint16_t>(size));
        const size_t at = m_bytes.size();
        m_bytes.resize(at + size);
        tag->Serialize(TagBuffer(m_bytes.data() + at, m_bytes.data() + at + size));
        ++m_count;
    }
}

void
IpsecCarriedTags::Unpack(Packet& to) const
{
    size_t at = 0;
    for (uint8_t k = 0; k < m_count && at + 4 <= m_bytes.size(); ++k)
    {
        TypeId tid;
        tid.SetUid(GetU16(&m_bytes[at]));
        const size_t size = GetU16(&m_bytes[at + 2]);
        at += 4;
        if (at + size > m_bytes.size())
        {
            return;
        }
        // Only types packed in this process reach here, so their prototype exists.
        if (Tag* tag = Prototype(tid))
        {
            // TagBuffer only reads here; it takes a non-const pointer.
            uint8_t* start = const_cast<uint8_t*>(m_bytes.data()) + at;
            tag->Deserialize(TagBuffer(start, start + size));
            to.AddByteTag(*tag);
        }
        at += size;
    }
}

} // namespace ns3
