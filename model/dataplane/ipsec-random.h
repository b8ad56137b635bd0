// Per-node, per-purpose random byte streams tied to the ns-3 run seed.
#ifndef IPSEC_RANDOM_H
#define IPSEC_RANDOM_H

#include "ns3/byte-source.h"

#include <memory>
#include <string>

namespace ns3
{

/**
 * @brief Factory for the simulator's random byte sources.
 *
 * A stream is named by a label (for example "node2/esp-iv"); its bytes depend only on the label
 * and on ns-3's RngSeedManager seed and run number, so the same scenario, seed and run give the
 * same IVs, SPIs, nonces and DH secrets, and thus the same bytes on the wire.
 *
 * One exception, switched on for runs with a real peer (an external node): the identifiers a
 * peer keeps state under, IKE cookies and SPIs, then come from IdentifierStream, which differs
 * from run to run. A real peer that stays up between two runs would otherwise take the second
 * run's main mode for the first run's established ISAKMP SA (same cookies) and ignore it.
 */
class IpsecRandom
{
public:
    /** A new deterministic source for @p label under the current ns-3 seed and run. */
    static std::shared_ptr<ipsec::ByteSource> Stream(const std::string& label);

    /** Cookies and SPIs differ from run to run (true) or follow the seed (false, the default). */
    static void SetUniqueIdentifiers(bool unique);
    /** Whether cookies and SPIs differ from run to run. */
    static bool UniqueIdentifiers();
    /**
     * The source of cookies and SPIs for @p label: @p seeded itself while identifiers follow the
     * seed, else a stream keyed from the operating system's randomness, new for every call.
     */
    static std::shared_ptr<ipsec::ByteSource> IdentifierStream(
        const std::string& label, std::shared_ptr<ipsec::ByteSource> seeded);
};

} // namespace ns3

#endif
