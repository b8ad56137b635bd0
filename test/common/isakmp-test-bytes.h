// Byte helpers and sample payloads shared by the ISAKMP wire and crypto tests: hex in and out,
// concatenation, cookies, and the phase-1 and quick-mode SAs of the brief.
#ifndef IPSEC_TEST_ISAKMP_TEST_BYTES_H
#define IPSEC_TEST_ISAKMP_TEST_BYTES_H

#include "ns3/isakmp-header.h"
#include "ns3/isakmp-payloads.h"

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/packet.h"

#include <cstdint>
#include <initializer_list>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// Written for test files that say `using namespace ns3;`; said here too so the header stands alone.
using namespace ns3;

namespace
{

using Bytes = std::vector<uint8_t>;

/** Bytes from hex text; spaces are ignored. */
Bytes
H(const std::string& hex)
{
    Bytes out;
    std::string digits;
    for (char c : hex)
    {
        if (c != ' ' && c != '\n')
        {
            digits += c;
        }
    }
    for (size_t k = 0; k + 1 < digits.size(); k += 2)
    {
        out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(k, 2), nullptr, 16)));
    }
    return out;
}

std::string
ToHex(const Bytes& v)
{
    std::ostringstream os;
    os << std::hex << std::setfill('0');
    for (uint8_t b : v)
    {
        os << std::setw(2) << static_cast<uint32_t>(b);
    }
    return os.str();
}

Bytes
Cat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const auto& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes
Range(uint8_t first, uint32_t n)
{
    Bytes out(n);
    for (uint32_t k = 0; k < n; ++k)
    {
        out[k] = static_cast<uint8_t>(first + k);
    }
    return out;
}

Bytes
Be32(uint32_t v)
{
    return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
            static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

/** The bytes of a header serialized alone, through an ns-3 Packet. */
Bytes
HeaderBytes(const Header& h)
{
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    EXPECT_EQ(p->GetSize(), h.GetSerializedSize());
    Bytes out(p->GetSize());
    p->CopyData(out.data(), out.size());
    return out;
}

IsakmpCookie
Cookie(uint64_t v)
{
    return IsakmpCookieFromUint64(v);
}

/** The 8 wire bytes of cookie @p v. */
Bytes
CookieBytes(uint64_t v)
{
    IsakmpCookie c = Cookie(v);
    return Bytes(c.begin(), c.end());
}

/** The phase-1 transform of the brief: 3DES, SHA, pre-shared key, group 2, 86400 s. */
IsakmpTransform
Phase1Transform3Des(uint8_t number = 1)
{
    IsakmpTransform t(number, ISAKMP_KEY_IKE);
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, IKE_ENCR_3DES_CBC))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, IKE_HASH_SHA))
        .AddAttribute(
            IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, IKE_AUTH_PRE_SHARED_KEY))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, IKE_GROUP_MODP_1024))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS))
        .AddAttribute(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 86400));
    return t;
}

IsakmpSaPayload
Phase1Sa()
{
    IsakmpSaPayload sa;
    IsakmpProposal p(1, ISAKMP_PROTO_ISAKMP);
    p.AddTransform(Phase1Transform3Des());
    sa.AddProposal(p);
    return sa;
}

IsakmpHeader
MakeHeader(uint64_t icookie, uint64_t rcookie, uint8_t exchange, uint32_t mid = 0,
           uint8_t flags = 0)
{
    IsakmpHeader h;
    h.SetInitiatorCookie(Cookie(icookie));
    h.SetResponderCookie(Cookie(rcookie));
    h.SetExchangeType(exchange);
    h.SetMessageId(mid);
    h.SetFlags(flags);
    return h;
}

/** The quick-mode phase-2 SA: ESP with AES-128/SHA, then 3DES/SHA, tunnel mode, 3600 s. */
IsakmpSaPayload
QuickModeSa(uint32_t spi)
{
    IsakmpSaPayload sa;
    IsakmpProposal p(1, ISAKMP_PROTO_IPSEC_ESP);
    p.SetSpi32(spi);
    IsakmpTransform aes(1, IPSEC_ESP_AES);
    aes.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS))
        .AddAttribute(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, 3600))
        .AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, IPSEC_ENCAP_TUNNEL))
        .AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA))
        .AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_KEY_LENGTH, 128));
    IsakmpTransform tdes(2, IPSEC_ESP_3DES);
    tdes.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS))
        .AddAttribute(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, 3600))
        .AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, IPSEC_ENCAP_TUNNEL))
        .AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA));
    p.AddTransform(aes);
    p.AddTransform(tdes);
    sa.AddProposal(p);
    return sa;
}

// RFC 2408 3.1 header, then the SA of the brief (RFC 2408 3.4-3.6, RFC 2409 Appendix A).
// python3-scapy 2.5.0 builds the same message except that it writes Life Duration with a
// 3-byte value (00 0c 00 03 01 51 80); we send 4 bytes as IOS and strongSwan do.
const Bytes kMm1Header = H("0011223344556677 0000000000000000 01 10 02 00 00000000 00000054");
const Bytes kMm1Sa = H("00 00 0038 00000001 00000001"  // SA: DOI IPsec, SIT_IDENTITY_ONLY
                       "00 00 002c 01 01 00 01"        // P #1, PROTO_ISAKMP, SPI 0, 1 T
                       "00 00 0024 01 01 0000"         // T #1, KEY_IKE
                       "8001 0005 8002 0002 8003 0001" // 3DES-CBC, SHA, pre-shared key
                       "8004 0002 800b 0001"           // group 2, life in seconds
                       "000c 0004 00015180");          // life duration 86400 (TLV)

/** Set the ISAKMP header's Length field (bytes 24-27) to the size of @p b. */
void
PutLength(Bytes& b)
{
    if (b.size() >= 28)
    {
        auto l = Be32(static_cast<uint32_t>(b.size()));
        std::copy(l.begin(), l.end(), b.begin() + 24);
    }
}

} // namespace

#endif
