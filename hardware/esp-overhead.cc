#include "ns3/esp-overhead.h"

#include <algorithm>

namespace ns3
{

namespace
{
constexpr uint32_t kOuterIpv4 = 20;
constexpr uint32_t kEspHeader = 8;  // SPI + sequence number
constexpr uint32_t kEspTrailer = 2; // pad length + next header
} // namespace

uint32_t
IpsecEspPadLength(ipsec::CipherAlgorithm cipher, uint32_t payloadBytes)
{
    // The real ciphers' block sizes are powers of two, so lcm(block, 4) = max(block, 4).
    const uint32_t align =
        std::max<uint32_t>(static_cast<uint32_t>(ipsec::GetCipherInfo(cipher).blockSize), 4);
    return (align - (payloadBytes + kEspTrailer) % align) % align;
}

uint32_t
IpsecEspOverhead(ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth, uint32_t innerBytes,
                 bool tunnel)
{
    const ipsec::CipherInfo& ci = ipsec::GetCipherInfo(cipher);
    const uint32_t icv = static_cast<uint32_t>(
        ci.aead ? ci.icvLen
                : (auth == ipsec::AuthAlgorithm::NONE ? 0 : ipsec::GetAuthInfo(auth).icvLen));
    return (tunnel ? kOuterIpv4 : 0) + kEspHeader + static_cast<uint32_t>(ci.ivLen) +
           IpsecEspPadLength(cipher, innerBytes) + kEspTrailer + icv;
}

uint32_t
IpsecAhOverhead(ipsec::AuthAlgorithm auth, bool tunnel)
{
    const uint32_t icv = static_cast<uint32_t>(ipsec::GetAuthInfo(auth).icvLen);
    const uint32_t ah = 12 + ((icv + 3) / 4) * 4;
    return (tunnel ? kOuterIpv4 : 0) + ah;
}

} // namespace ns3
