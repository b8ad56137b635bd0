// The Signature payload (RFC 2408 3.12).
#ifndef IPSEC_ISAKMP_SIG_PAYLOAD_H
#define IPSEC_ISAKMP_SIG_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/** @brief Signature payload (RFC 2408 3.12): SIG_I, SIG_R. */
class IsakmpSignaturePayload : public IsakmpOpaquePayload
{
public:
    IsakmpSignaturePayload();
    /** @param data Signature Data */
    explicit IsakmpSignaturePayload(const std::vector<uint8_t>& data);
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
