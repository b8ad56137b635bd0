#include "ns3/ipsec-drop-reason.h"

namespace ns3
{

const char*
ToString(IpsecDropReason reason)
{
    switch (reason)
    {
    case IpsecDropReason::NO_SA:
        return "no-sa";
    case IpsecDropReason::UNPROTECTED:
        return "unprotected";
    case IpsecDropReason::POLICY_MISMATCH:
        return "policy-mismatch";
    case IpsecDropReason::ICV_FAILURE:
        return "icv-failure";
    case IpsecDropReason::REPLAY:
        return "replay";
    case IpsecDropReason::BAD_PADDING:
        return "bad-padding";
    case IpsecDropReason::SEQUENCE_OVERFLOW:
        return "sequence-overflow";
    case IpsecDropReason::MALFORMED:
        return "malformed";
    case IpsecDropReason::DECOMPRESSION:
        return "decompression";
    case IpsecDropReason::SA_EXPIRED:
        return "sa-expired";
    case IpsecDropReason::NESTING_LIMIT:
        return "nesting-limit";
    case IpsecDropReason::NO_ROUTE:
        return "no-route";
    case IpsecDropReason::ENGINE_QUEUE_FULL:
        return "engine-queue-full";
    case IpsecDropReason::ACCESS_GROUP:
        return "access-group";
    case IpsecDropReason::FRAGMENTATION_NEEDED:
        return "fragmentation-needed";
    case IpsecDropReason::COUNT:
        break;
    }
    return "unknown";
}

std::ostream&
operator<<(std::ostream& os, IpsecDropReason reason)
{
    return os << ToString(reason);
}

uint64_t
IpsecDropCounters::Total() const
{
    uint64_t t = 0;
    for (auto c : count)
    {
        t += c;
    }
    return t;
}

} // namespace ns3
