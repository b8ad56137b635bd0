// The Delete payload (RFC 2408 3.15).
#ifndef IPSEC_ISAKMP_DELETE_PAYLOAD_H
#define IPSEC_ISAKMP_DELETE_PAYLOAD_H

#include "ns3/isakmp-payload.h"

namespace ns3
{

/**
 * @brief Delete payload (RFC 2408 3.15).
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !              Domain of Interpretation  (DOI)                  !
 !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 ~               Security Parameter Index(es) (SPI)              ~
 @endverbatim
 *
 * All SPIs have SPI Size bytes; the body must hold exactly # of SPIs of them.
 */
class IsakmpDeletePayload : public IsakmpPayload
{
public:
    IsakmpDeletePayload();
    /** @param protocol the Protocol-Id @param spiSize the SPI Size (4 for AH/ESP, 16 ISAKMP) */
    IsakmpDeletePayload(uint8_t protocol, uint8_t spiSize);
    ~IsakmpDeletePayload() override;
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

    /** @param doi the DOI (1) */
    void SetDoi(uint32_t doi);
    /** @return the DOI */
    uint32_t GetDoi() const;
    /** @param protocol the Protocol-Id */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-Id */
    uint8_t GetProtocolId() const;
    /** @param size the SPI Size; SPIs added later must have it */
    void SetSpiSize(uint8_t size);
    /** @return the SPI Size */
    uint8_t GetSpiSize() const;
    /** @brief Append an SPI (aborts unless it has SPI Size bytes). */
    void AddSpi(const std::vector<uint8_t>& spi);
    /** @brief Append a 4-byte SPI (SPI Size must be 4). */
    void AddSpi32(uint32_t spi);
    /** @return the SPIs */
    const std::vector<std::vector<uint8_t>>& GetSpis() const;

private:
    uint32_t m_doi;                           //!< DOI
    uint8_t m_protocol;                       //!< Protocol-Id
    uint8_t m_spiSize;                        //!< SPI Size
    std::vector<std::vector<uint8_t>> m_spis; //!< SPIs
};

} // namespace ns3

#endif
