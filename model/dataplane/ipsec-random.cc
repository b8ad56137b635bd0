#include "ns3/ipsec-random.h"

#include "ns3/rng-seed-manager.h"

namespace ns3
{

std::shared_ptr<ipsec::ByteSource>
IpsecRandom::Stream(const std::string& label)
{
    return std::make_shared<ipsec::DeterministicByteSource>(RngSeedManager::GetSeed(),
                                                            RngSeedManager::GetRun(), label);
}

} // namespace ns3
