// The Nonce payload (RFC 2408 3.13).
#ifndef IPSEC_ISAKMP_NONCE_PAYLOAD_H
#define IPSEC_ISAKMP_NONCE_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/**
 * @brief Nonce payload (RFC 2408 3.13). RFC 2409 5: "The length of nonce payload MUST be
 * between 8 and 256 bytes inclusive"; others are a BAD_PAYLOAD_BODY (PAYLOAD-MALFORMED).
 */
class IsakmpNoncePayload : public IsakmpOpaquePayload
{
public:
    /** Shortest nonce (RFC 2409 5). */
    static constexpr size_t MIN_NONCE = 8;
    /** Longest nonce (RFC 2409 5). */
    static constexpr size_t MAX_NONCE = 256;

    IsakmpNoncePayload();
    /** @param data Nonce Data */
    explicit IsakmpNoncePayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;

protected:
    IsakmpParseStatus CheckDataLength(size_t len) const override;
};

} // namespace ns3

#endif
