#include "ns3/ipsec-sad.h"

#include "ns3/log.h"

#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSad");
NS_OBJECT_ENSURE_REGISTERED(IpsecSad);

TypeId
IpsecSad::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecSad")
                            .SetParent<Object>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecSad>();
    return tid;
}

void
IpsecSad::Add(Ptr<IpsecSa> sa)
{
    NS_LOG_FUNCTION(this << sa->GetSpi());
    if (sa->GetDirection() == IpsecDirection::INBOUND)
    {
        Key k{sa->GetSpi(), sa->GetDestination().Get(), static_cast<uint8_t>(sa->GetProtocol())};
        if (m_inbound.count(k) != 0)
        {
            std::ostringstream os;
            os << "an inbound " << ToString(sa->GetProtocol()) << " SA with SPI 0x" << std::hex
               << sa->GetSpi() << std::dec << " to " << sa->GetDestination()
               << " is already installed";
            throw std::invalid_argument(os.str());
        }
        m_inbound[k] = sa;
    }
    m_byId[sa->GetId()] = sa;
    ++m_changes;
    sa->StartLifetime();
}

void
IpsecSad::Remove(Ptr<IpsecSa> sa)
{
    NS_LOG_FUNCTION(this << sa);
    if (!sa)
    {
        return;
    }
    sa->Expire();
    if (sa->GetDirection() == IpsecDirection::INBOUND)
    {
        Key k{sa->GetSpi(), sa->GetDestination().Get(), static_cast<uint8_t>(sa->GetProtocol())};
        auto it = m_inbound.find(k);
        if (it != m_inbound.end() && it->second == sa)
        {
            m_inbound.erase(it);
        }
    }
    m_changes += m_byId.erase(sa->GetId());
}

Ptr<IpsecSa>
IpsecSad::LookupInbound(uint32_t spi, Ipv4Address destination, IpsecProtocol proto) const
{
    auto it = m_inbound.find(Key{spi, destination.Get(), static_cast<uint8_t>(proto)});
    return it == m_inbound.end() ? nullptr : it->second;
}

Ptr<IpsecSa>
IpsecSad::LookupById(uint32_t id) const
{
    auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : it->second;
}

std::vector<Ptr<IpsecSa>>
IpsecSad::GetAll() const
{
    std::vector<Ptr<IpsecSa>> v;
    v.reserve(m_byId.size());
    for (const auto& [id, sa] : m_byId)
    {
        v.push_back(sa);
    }
    return v;
}

void
IpsecSad::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& [id, sa] : m_byId)
    {
        sa->Expire();
    }
    m_inbound.clear();
    m_changes += m_byId.size();
    m_byId.clear();
    Object::DoDispose();
}

} // namespace ns3
