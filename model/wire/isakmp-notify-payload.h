// The Notification payload (RFC 2408 3.14), DPD (RFC 3706) included.
#ifndef IPSEC_ISAKMP_NOTIFY_PAYLOAD_H
#define IPSEC_ISAKMP_NOTIFY_PAYLOAD_H

#include "ns3/isakmp-payload.h"

namespace ns3
{

/**
 * @brief Notification payload (RFC 2408 3.14).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 ~                Security Parameter Index (SPI)                 ~
 ~                       Notification Data                       ~
 @endverbatim
 */
class IsakmpNotificationPayload : public IsakmpPayload
{
public:
    IsakmpNotificationPayload();
    /**
     * @param type the Notify Message Type
     * @param protocol the Protocol-ID
     * @param spi the SPI (16 bytes = both cookies for ISAKMP, RFC 2408 3.14 / RFC 3706 5.3)
     * @param data Notification Data
     */
    IsakmpNotificationPayload(uint16_t type, uint8_t protocol, const std::vector<uint8_t>& spi,
                              const std::vector<uint8_t>& data = {});
    ~IsakmpNotificationPayload() override;
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

    /**
     * @return an R-U-THERE (or, with @p ack, R-U-THERE-ACK) notification: protocol ISAKMP, SPI
     *         = the two cookies, data = the 32-bit sequence number (RFC 3706 5.3)
     */
    static IsakmpNotificationPayload DpdNotify(bool ack, const IsakmpCookie& icookie,
                                               const IsakmpCookie& rcookie, uint32_t sequence);
    /** @return the ISAKMP SPI of a cookie pair: icookie | rcookie (16 bytes) */
    static std::vector<uint8_t> CookieSpi(const IsakmpCookie& icookie, const IsakmpCookie& rcookie);

    /** @param doi the DOI (1) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param protocol the Protocol-ID */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-ID */
    uint8_t GetProtocolId() const;
    /** @param type the Notify Message Type */
    void SetNotifyType(uint16_t type);
    /** @return the Notify Message Type */
    uint16_t GetNotifyType() const;
    /** @param spi the SPI (at most 255 bytes) */
    void SetSpi(const std::vector<uint8_t>& spi);
    /** @return the SPI */
    const std::vector<uint8_t>& GetSpi() const;
    /** @param data the Notification Data */
    void SetData(const std::vector<uint8_t>& data);
    /** @return the Notification Data */
    const std::vector<uint8_t>& GetData() const;

private:
    uint32_t m_doi;              //!< DOI
    uint8_t m_protocol;          //!< Protocol-ID
    uint16_t m_type;             //!< Notify Message Type
    std::vector<uint8_t> m_spi;  //!< SPI
    std::vector<uint8_t> m_data; //!< Notification Data
};

} // namespace ns3

#endif
