// The Hash payload (RFC 2408 3.11).
#ifndef IPSEC_ISAKMP_HASH_PAYLOAD_H
#define IPSEC_ISAKMP_HASH_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/** @brief Hash payload (RFC 2408 3.11): HASH_I, HASH_R, HASH(1..3). */
class IsakmpHashPayload : public IsakmpOpaquePayload
{
public:
    IsakmpHashPayload();
    /** @param data Hash Data */
    explicit IsakmpHashPayload(const std::vector<uint8_t>& data);
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
