#include "ns3/isakmp-vid-payload.h"

#include "isakmp-payload-util.h"

#include "ns3/abort.h"
#include "ns3/assert.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IsakmpVendorIdPayload);

using namespace isakmp_wire;

IsakmpVendorIdPayload::IsakmpVendorIdPayload() = default;

IsakmpVendorIdPayload::IsakmpVendorIdPayload(const std::vector<uint8_t>& data)
{
    m_data = data;
}

TypeId
IsakmpVendorIdPayload::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IsakmpVendorIdPayload")
                            .SetParent<IsakmpOpaquePayload>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IsakmpVendorIdPayload>();
    return tid;
}

TypeId
IsakmpVendorIdPayload::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint8_t
IsakmpVendorIdPayload::GetPayloadType() const
{
    return ISAKMP_PAYLOAD_VENDOR_ID;
}

std::unique_ptr<IsakmpPayload>
IsakmpVendorIdPayload::Clone() const
{
    return std::make_unique<IsakmpVendorIdPayload>(*this);
}

std::vector<uint8_t>
IsakmpVendorIdPayload::DpdVendorId()
{
    // RFC 3706 5.1 (Vendor ID with major 1, minor 0 in the last two bytes).
    return {0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
            0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00};
}

std::vector<uint8_t>
IsakmpVendorIdPayload::CiscoUnityVendorId()
{
    // MD5("CISCO-UNITY") = 12f5f28c457168a9702d9fe274cc02d4 with the last two bytes replaced by
    // major 1, minor 0 (strongSwan src/libcharon/sa/ikev1/tasks/isakmp_vendor.c; Wireshark
    // epan/dissectors/packet-isakmp.c, VID_CISCO_UNITY).
    return {0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
            0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00};
}

std::vector<uint8_t>
IsakmpVendorIdPayload::NatTraversalRfc3947VendorId()
{
    // RFC 3947 3.1: "the hash of the vendor ID string "RFC 3947"" (MD5).
    return {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
            0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f};
}

} // namespace ns3
