// The Vendor ID payload (RFC 2408 3.16) and the vendor IDs this model knows.
#ifndef IPSEC_ISAKMP_VID_PAYLOAD_H
#define IPSEC_ISAKMP_VID_PAYLOAD_H

#include "ns3/isakmp-opaque-payload.h"

namespace ns3
{

/**
 * @brief Vendor ID payload (RFC 2408 3.16), with the public IDs we send.
 */
class IsakmpVendorIdPayload : public IsakmpOpaquePayload
{
public:
    IsakmpVendorIdPayload();
    /** @param data the Vendor ID */
    explicit IsakmpVendorIdPayload(const std::vector<uint8_t>& data);
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;

    /**
     * @return the Dead Peer Detection vendor ID of RFC 3706 5.1 (version 1.0):
     *         af ca d7 13 68 a1 f1 c9 6b 86 96 fc 77 57 01 00
     */
    static std::vector<uint8_t> DpdVendorId();
    /**
     * @return the Cisco Unity vendor ID: MD5("CISCO-UNITY") with the last two bytes replaced by
     *         major 1, minor 0 (as strongSwan's isakmp_vendor.c, libreswan's vendor.c and
     *         Wireshark's packet-isakmp.c list it): 12 f5 f2 8c 45 71 68 a9 70 2d 9f e2 74 cc 01 00
     */
    static std::vector<uint8_t> CiscoUnityVendorId();
    /** @return the NAT-Traversal vendor ID, MD5("RFC 3947") (RFC 3947 3.1) */
    static std::vector<uint8_t> NatTraversalRfc3947VendorId();
};

} // namespace ns3

#endif
