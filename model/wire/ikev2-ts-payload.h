// The IKEv2 Traffic Selector payloads TSi and TSr (RFC 7296 3.13): address ranges with an IP
// protocol and a port range.
#ifndef IPSEC_IKEV2_TS_PAYLOAD_H
#define IPSEC_IKEV2_TS_PAYLOAD_H

#include "ns3/ikev2-payload.h"

namespace ns3
{

/**
 * @brief One traffic selector (RFC 7296 3.13.1).
 *
 * @verbatim
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |   TS Type     |IP Protocol ID*|       Selector Length         |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 |           Start Port*         |           End Port*           |
 +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 ~                         Starting Address*                     ~
 ~                         Ending Address*                       ~
 @endverbatim
 *
 * IPv4 (type 7, 16 bytes) and IPv6 (type 8, 40 bytes) ranges; other types are refused on
 * parsing. Protocol 0 means any protocol, ports 0-65535 any port; Start Port 65535 and End Port
 * 0 mean OPAQUE (RFC 7296 3.13.1).
 */
struct Ikev2TrafficSelector
{
    uint8_t type = IKEV2_TS_IPV4_ADDR_RANGE; //!< Ikev2TsType
    uint8_t protocol = 0;                    //!< IP Protocol ID, 0 for any
    uint16_t startPort = 0;                  //!< Start Port
    uint16_t endPort = 0xffff;               //!< End Port
    std::vector<uint8_t> start;              //!< Starting Address (4 or 16 bytes)
    std::vector<uint8_t> end;                //!< Ending Address (4 or 16 bytes)

    /** @return an IPv4 range from @p first to @p last (host order) for @p protocol and ports */
    static Ikev2TrafficSelector Ipv4(uint32_t first, uint32_t last, uint8_t protocol = 0,
                                     uint16_t startPort = 0, uint16_t endPort = 0xffff);
    /** @return the IPv4 Starting Address in host order (0 for an IPv6 selector) */
    uint32_t Ipv4Start() const;
    /** @return the IPv4 Ending Address in host order (0 for an IPv6 selector) */
    uint32_t Ipv4End() const;
    /** @brief Append the selector. @throws std::invalid_argument if the addresses do not fit the
     * type */
    void AppendTo(std::vector<uint8_t>& out) const;
    /**
     * @brief Parse one selector from at most @p len bytes.
     * @param[out] length its Selector Length on success
     */
    Ikev2ParseStatus Parse(const uint8_t* data, size_t len, size_t& length);
    /** @return "10.0.0.0-10.0.0.255 proto 0 port 0-65535" */
    std::string ToString() const;
    /** @return true if equal in every field */
    bool operator==(const Ikev2TrafficSelector& o) const;
};

/** @brief TSi or TSr (RFC 7296 3.13): one or more traffic selectors. */
class Ikev2TsPayload : public Ikev2Payload
{
public:
    /** Most selectors accepted in one payload. */
    static constexpr size_t MAX_SELECTORS = 64;

    /** @param type IKEV2_PAYLOAD_TSI or IKEV2_PAYLOAD_TSR */
    explicit Ikev2TsPayload(uint8_t type = IKEV2_PAYLOAD_TSI);

    std::vector<Ikev2TrafficSelector> selectors; //!< selectors in order

    uint8_t GetType() const override;
    std::unique_ptr<Ikev2Payload> Clone() const override;
    void AppendBody(std::vector<uint8_t>& out) const override;
    Ikev2ParseStatus ParseBody(const uint8_t* body, size_t len) override;
    std::string Describe() const override;

private:
    uint8_t m_type; //!< TSi or TSr
};

} // namespace ns3

#endif
