// The security association database (RFC 2401 4.4.3): inbound SAs indexed by
// (SPI, destination, protocol); every SA the node holds, for show output and clearing.
#ifndef IPSEC_SAD_H
#define IPSEC_SAD_H

#include "ns3/ipsec-sa.h"

#include "ns3/object.h"

#include <map>
#include <unordered_map>
#include <vector>

namespace ns3
{

class IpsecSad : public Object
{
public:
    static TypeId GetTypeId();

    /**
     * Install @p sa and start its lifetime. An inbound SA whose (SPI, destination, protocol) is
     * already installed is a configuration error.
     * @throws std::invalid_argument on a duplicate inbound key.
     */
    void Add(Ptr<IpsecSa> sa);
    /** Remove and expire @p sa (idempotent). */
    void Remove(Ptr<IpsecSa> sa);
    /** Inbound lookup (RFC 2401 5.2.1 step 2). nullptr when absent. */
    Ptr<IpsecSa> LookupInbound(uint32_t spi, Ipv4Address destination, IpsecProtocol proto) const;
    /** By the id carried in the inbound tag. */
    Ptr<IpsecSa> LookupById(uint32_t id) const;
    /** All SAs, inbound and outbound, in installation order. */
    std::vector<Ptr<IpsecSa>> GetAll() const;
    size_t GetN() const
    {
        return m_byId.size();
    }
    /** Counts every Add and Remove: a reader that saw the same count saw the same SAs (an SA's
     *  configuration does not change once it is made). */
    uint64_t GetChangeCount() const
    {
        return m_changes;
    }

protected:
    void DoDispose() override;

private:
    /** (SPI, destination, protocol) */
    struct Key
    {
        uint32_t spi;
        uint32_t destination;
        uint8_t protocol;
        bool operator==(const Key& o) const
        {
            return spi == o.spi && destination == o.destination && protocol == o.protocol;
        }
    };
    struct KeyHash
    {
        size_t operator()(const Key& k) const
        {
            uint64_t h = (uint64_t(k.spi) << 32 | k.destination) ^ (uint64_t(k.protocol) << 56);
            h ^= h >> 33;
            h *= 0xff51afd7ed558ccdULL;
            h ^= h >> 33;
            return static_cast<size_t>(h);
        }
    };
    /** A hash table: the inbound lookup of every packet is one probe (was a tree walk). */
    std::unordered_map<Key, Ptr<IpsecSa>, KeyHash> m_inbound;
    std::map<uint32_t, Ptr<IpsecSa>> m_byId;
    uint64_t m_changes = 0;
};

} // namespace ns3

#endif
