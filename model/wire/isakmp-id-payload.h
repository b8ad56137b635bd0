// The Identification payload (RFC 2408 3.8, RFC 2407 4.6.2).
#ifndef IPSEC_ISAKMP_ID_PAYLOAD_H
#define IPSEC_ISAKMP_ID_PAYLOAD_H

#include "ns3/isakmp-payload.h"

#include "ns3/ipv4-address.h"

namespace ns3
{

/**
 * @brief Identification payload in the IPsec DOI (RFC 2407 4.6.2; RFC 2408 3.8).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !        Payload Length         !
 !   ID Type     !  Protocol ID  !             Port              !
 ~                     Identification Data                       ~
 @endverbatim
 *
 * Address types must carry their exact length (4, 8, 16 or 32 bytes), otherwise parsing fails
 * with INVALID-ID-INFORMATION.
 */
class IsakmpIdPayload : public IsakmpPayload
{
public:
    IsakmpIdPayload();
    ~IsakmpIdPayload() override;
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    /** @return ID_IPV4_ADDR @p addr (phase 1: protocol 17 port 500 or 0/0, RFC 2407 4.6.2) */
    static IsakmpIdPayload Ipv4(Ipv4Address addr, uint8_t protocol = 0, uint16_t port = 0);
    /** @return ID_IPV4_ADDR_SUBNET @p net / @p mask (a quick-mode client identity) */
    static IsakmpIdPayload Ipv4Subnet(Ipv4Address net, Ipv4Mask mask, uint8_t protocol = 0,
                                      uint16_t port = 0);
    /** @return ID_IPV4_ADDR_RANGE @p first .. @p last */
    static IsakmpIdPayload Ipv4Range(Ipv4Address first, Ipv4Address last, uint8_t protocol = 0,
                                     uint16_t port = 0);
    /** @return ID_FQDN @p name */
    static IsakmpIdPayload Fqdn(const std::string& name, uint8_t protocol = 0, uint16_t port = 0);

    /** @param type the ID Type (IsakmpIdType) */
    void SetIdType(uint8_t type);
    /** @return the ID Type */
    uint8_t GetIdType() const;
    /** @param protocol the Protocol ID (an IP protocol number, 0 = any) */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol ID */
    uint8_t GetProtocolId() const;
    /** @param port the Port (0 = any) */
    void SetPort(uint16_t port);
    /** @return the Port */
    uint16_t GetPort() const;
    /** @param data the Identification Data */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the Identification Data */
    const std::vector<uint8_t>& GetData() const;
    /** @return the (first) IPv4 address of an IPV4 ADDR, SUBNET or RANGE identity */
    std::optional<Ipv4Address> GetIpv4Address() const;
    /** @return the mask of an IPV4_ADDR_SUBNET identity */
    std::optional<Ipv4Mask> GetIpv4Mask() const;
    /** @return the end address of an IPV4_ADDR_RANGE identity */
    std::optional<Ipv4Address> GetIpv4RangeEnd() const;
    /** @return the data as text (FQDN, USER_FQDN) */
    std::string GetDataString() const;

private:
    uint8_t m_idType;            //!< ID Type
    uint8_t m_protocol;          //!< Protocol ID
    uint16_t m_port;             //!< Port
    std::vector<uint8_t> m_data; //!< Identification Data
};

} // namespace ns3

#endif
