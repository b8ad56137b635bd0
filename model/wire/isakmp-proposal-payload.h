// The Proposal payload (RFC 2408 3.5).
#ifndef IPSEC_ISAKMP_PROPOSAL_PAYLOAD_H
#define IPSEC_ISAKMP_PROPOSAL_PAYLOAD_H

#include "ns3/isakmp-transform-payload.h"

namespace ns3
{

/**
 * @brief Proposal payload (RFC 2408 3.5): one protocol's offer and its transforms.
 *
 * @verbatim
 ! Next Payload  !   RESERVED    !         Payload Length        !
 !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 !                        SPI (variable)                         !
 @endverbatim
 *
 * The transforms follow, chained with Next Payload 3, the last 0; Payload Length covers them.
 */
class IsakmpProposal : public IsakmpPayload
{
public:
    /** Most transforms accepted in one proposal on parsing (# of Transforms is one octet). */
    static constexpr size_t MAX_TRANSFORMS = 255;

    IsakmpProposal();
    /** @param number Proposal # @param protocol Protocol-Id @param spi the SPI (any size) */
    IsakmpProposal(uint8_t number, uint8_t protocol, const std::vector<uint8_t>& spi = {});
    ~IsakmpProposal() override;
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

    /** @param number the Proposal # */
    void SetProposalNumber(uint8_t number);
    /** @return the Proposal # */
    uint8_t GetProposalNumber() const;
    /** @param protocol the Protocol-Id (IsakmpProtocolId) */
    void SetProtocolId(uint8_t protocol);
    /** @return the Protocol-Id */
    uint8_t GetProtocolId() const;
    /** @param spi the SPI; its size is the SPI Size field (at most 255 bytes) */
    void SetSpi(const std::vector<uint8_t>& spi);
    /** @param spi a 4-byte SPI (AH, ESP), big-endian */
    void SetSpi32(uint32_t spi);
    /** @return the SPI bytes */
    const std::vector<uint8_t>& GetSpi() const;
    /** @return the SPI as a number, if it is 4 bytes (or 2, an IPComp CPI) */
    std::optional<uint32_t> GetSpi32() const;
    /** @brief Append a transform (at most 255). @return the stored copy */
    IsakmpTransform& AddTransform(const IsakmpTransform& t);
    /** @return the transforms in wire order */
    const std::vector<IsakmpTransform>& GetTransforms() const;

private:
    uint8_t m_number;                          //!< Proposal #
    uint8_t m_protocol;                        //!< Protocol-Id
    std::vector<uint8_t> m_spi;                //!< SPI
    std::vector<IsakmpTransform> m_transforms; //!< transforms
};

} // namespace ns3

#endif
