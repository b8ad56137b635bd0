#include "ns3/ipsec-random.h"

#include "ns3/rng-seed-manager.h"

#include <random>

namespace ns3
{

namespace
{
bool g_uniqueIdentifiers = false;
} // namespace

std::shared_ptr<ipsec::ByteSource>
IpsecRandom::Stream(const std::string& label)
{
    return std::make_shared<ipsec::DeterministicByteSource>(RngSeedManager::GetSeed(),
                                                            RngSeedManager::GetRun(), label);
}

void
IpsecRandom::SetUniqueIdentifiers(bool unique)
{
    g_uniqueIdentifiers = unique;
}

bool
IpsecRandom::UniqueIdentifiers()
{
    return g_uniqueIdentifiers;
}

std::shared_ptr<ipsec::ByteSource>
IpsecRandom::IdentifierStream(const std::string& label, std::shared_ptr<ipsec::ByteSource> seeded)
{
    if (!g_uniqueIdentifiers)
    {
        return seeded; // the same draws from the same stream as always: runs stay byte-identical
    }
    // Keyed by 128 bits of the OS's randomness (std::random_device reads /dev/urandom on Linux).
    std::random_device os;
    auto word = [&os] { return (uint64_t(os()) << 32) | os(); };
    return std::make_shared<ipsec::DeterministicByteSource>(word(), word(), label + "/unique");
}

} // namespace ns3
