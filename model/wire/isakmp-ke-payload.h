// The Key Exchange payload (RFC 2408 3.7).
#ifndef IPSEC_ISAKMP_KE_PAYLOAD_H
#define IPSEC_ISAKMP_KE_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/** @brief Key Exchange payload (RFC 2408 3.7): the Diffie-Hellman public value g^x. */
class IsakmpKeyExchangePayload : public IsakmpOpaquePayload
{
public:
    IsakmpKeyExchangePayload();
    /** @param data Key Exchange Data */
    explicit IsakmpKeyExchangePayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
};

} // namespace ns3

#endif
