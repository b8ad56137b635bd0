// libFuzzer target: received ESP, AH and IPComp packets (EspTransform, AhTransform,
// IpcompTransform Unprotect) and the LZS and DEFLATE decompressors, on arbitrary bytes. The first
// byte picks the SA: ESP 3DES/HMAC-SHA1, ESP AES-GCM, ESP RFC 1829 DES, ESP in fast crypto,
// AH HMAC-MD5, IPComp LZS, IPComp DEFLATE; for the bare decompressors, LZS or DEFLATE.
#include "ns3/compression.h"
#include "ns3/ipsec-sa.h"
#include "ns3/ipsec-transforms.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"

#include <cstdint>
#include <vector>

using namespace ns3;

namespace
{
Ptr<IpsecSa>
Sa(IpsecProtocol proto, ipsec::CipherAlgorithm c, size_t keyLen, ipsec::AuthAlgorithm a,
   size_t authLen, bool rfc1829 = false, bool fast = false,
   ipsec::CompressionAlgorithm comp = ipsec::CompressionAlgorithm::LZS)
{
    IpsecSaConfig cfg;
    cfg.protocol = proto;
    cfg.direction = IpsecDirection::INBOUND;
    cfg.spi = 0x1000;
    cfg.source = Ipv4Address("10.0.0.1");
    cfg.destination = Ipv4Address("10.0.0.2");
    cfg.cipher = c;
    cfg.cipherKey.assign(keyLen, 0x5a);
    cfg.auth = a;
    cfg.authKey.assign(authLen, 0xa5);
    cfg.rfc1829 = rfc1829;
    cfg.compression = comp;
    Ptr<IpsecSa> sa = IpsecSa::Create(cfg);
    sa->SetFastCrypto(fast);
    return sa;
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1)
    {
        return 0;
    }
    static Ptr<IpsecSa> sas[] = {
        Sa(IpsecProtocol::ESP, ipsec::CipherAlgorithm::TDES_CBC, 24,
           ipsec::AuthAlgorithm::HMAC_SHA1_96, 20),
        Sa(IpsecProtocol::ESP, ipsec::CipherAlgorithm::AES_GCM_128, 20, ipsec::AuthAlgorithm::NONE,
           0),
        Sa(IpsecProtocol::ESP, ipsec::CipherAlgorithm::DES_CBC, 8, ipsec::AuthAlgorithm::NONE, 0,
           true),
        Sa(IpsecProtocol::ESP, ipsec::CipherAlgorithm::AES_CBC_128, 16,
           ipsec::AuthAlgorithm::HMAC_SHA1_96, 20, false, true),
        Sa(IpsecProtocol::AH, ipsec::CipherAlgorithm::NULL_CIPHER, 0,
           ipsec::AuthAlgorithm::HMAC_MD5_96, 16),
        Sa(IpsecProtocol::IPCOMP, ipsec::CipherAlgorithm::NULL_CIPHER, 0,
           ipsec::AuthAlgorithm::NONE, 0, false, false, ipsec::CompressionAlgorithm::LZS),
        Sa(IpsecProtocol::IPCOMP, ipsec::CipherAlgorithm::NULL_CIPHER, 0,
           ipsec::AuthAlgorithm::NONE, 0, false, false, ipsec::CompressionAlgorithm::DEFLATE),
    };
    const uint8_t which = data[0] % 9;
    const uint8_t* body = data + 1;
    const size_t len = size - 1;
    if (which >= 7)
    {
        auto comp = ipsec::MakeCompressor(which == 7 ? ipsec::CompressionAlgorithm::LZS
                                                     : ipsec::CompressionAlgorithm::DEFLATE);
        std::vector<uint8_t> out;
        comp->Decompress(body, len, out, 65535);
        return 0;
    }
    Packet p(body, static_cast<uint32_t>(len));
    IpsecSa& sa = *sas[which];
    IpsecTransformResult r;
    switch (sa.GetProtocol())
    {
    case IpsecProtocol::ESP:
        EspTransform::PeekSpi(p);
        r = EspTransform::Unprotect(sa, p);
        break;
    case IpsecProtocol::AH:
    {
        Ipv4Header ip;
        ip.SetSource(Ipv4Address("10.0.0.1"));
        ip.SetDestination(Ipv4Address("10.0.0.2"));
        ip.SetProtocol(51);
        ip.SetPayloadSize(static_cast<uint16_t>(len));
        AhTransform::PeekSpi(p);
        r = AhTransform::Unprotect(sa, ip, p);
        break;
    }
    case IpsecProtocol::IPCOMP:
        IpcompTransform::PeekCpi(p);
        r = IpcompTransform::Unprotect(sa, p);
        break;
    }
    if (!r.drop && !r.payload)
    {
        __builtin_trap(); // a result is a payload or a drop reason, never neither
    }
    return 0;
}
