// A payload of a type this model does not parse (NAT-D among them), kept as bytes.
#ifndef IPSEC_ISAKMP_RAW_PAYLOAD_H
#define IPSEC_ISAKMP_RAW_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/**
 * @brief A payload kept as raw bytes: the types we have no class for (CERT, CR, NAT-D, private
 * use...). Parsing records it and moves on by Payload Length.
 */
class IsakmpRawPayload : public IsakmpOpaquePayload
{
public:
    IsakmpRawPayload();
    /** @param type the payload type @param body the body bytes */
    IsakmpRawPayload(uint8_t type, const std::vector<uint8_t>& body);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    /** @param type the payload type this raw payload claims */
    void SetPayloadType(uint8_t type);

protected:
    IsakmpParseStatus CheckDataLength(size_t len) const override;

private:
    uint8_t m_type; //!< payload type
};

} // namespace ns3

#endif
