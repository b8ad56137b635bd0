// Why the IPsec data plane dropped a packet. Each reason has a counter (what `show crypto ipsec
// sa` and `show crypto engine` print) and is passed to the Drop trace source.
#ifndef IPSEC_DROP_REASON_H
#define IPSEC_DROP_REASON_H

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

enum class IpsecDropReason : uint8_t
{
    NO_SA,             //!< a policy requires protection but no (outbound or inbound) SA exists
    UNPROTECTED,       //!< clear inbound packet that matches a crypto ACL permit (RFC 2401 5.2.1)
    POLICY_MISMATCH,   //!< decapsulated packet not covered by the SA(s) that carried it
    ICV_FAILURE,       //!< integrity check failed (ESP ICV, GCM tag or AH ICV)
    REPLAY,            //!< duplicate or left of the anti-replay window
    BAD_PADDING,       //!< ESP padding or pad length inconsistent after decryption
    SEQUENCE_OVERFLOW, //!< outbound sequence number would cycle (RFC 4303 3.3.3)
    MALFORMED,         //!< truncated or otherwise unparsable packet
    DECOMPRESSION,     //!< IPComp payload did not decompress
    SA_EXPIRED,        //!< the SA reached its hard lifetime
    NESTING_LIMIT,     //!< too many nested encapsulations
    NO_ROUTE,          //!< no route to the IPsec peer for the encapsulated packet
    ENGINE_QUEUE_FULL, //!< crypto engine queue overflow (IOS "ppq full")
    ACCESS_GROUP,      //!< denied by an interface access list (`ip access-group`), not IPsec
    FRAGMENTATION_NEEDED, //!< DF set on the outer header and the packet exceeds the egress MTU
    COUNT                 //!< number of reasons, not a reason
};

constexpr size_t kIpsecDropReasonCount = static_cast<size_t>(IpsecDropReason::COUNT);

/** Short stable name, e.g. "icv-failure" (used in JSON results and show output). */
const char* ToString(IpsecDropReason reason);
std::ostream& operator<<(std::ostream& os, IpsecDropReason reason);

/** Per-reason drop counters. */
struct IpsecDropCounters
{
    std::array<uint64_t, kIpsecDropReasonCount> count{};

    void Add(IpsecDropReason r)
    {
        ++count[static_cast<size_t>(r)];
    }
    uint64_t Get(IpsecDropReason r) const
    {
        return count[static_cast<size_t>(r)];
    }
    uint64_t Total() const;
};

} // namespace ns3

#endif
