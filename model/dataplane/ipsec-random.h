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
 */
class IpsecRandom
{
public:
    /** A new deterministic source for @p label under the current ns-3 seed and run. */
    static std::shared_ptr<ipsec::ByteSource> Stream(const std::string& label);
};

} // namespace ns3

#endif
