// ISAKMP wire format (RFC 2408, RFC 2407, RFC 2409): IsakmpHeader, the payload classes,
// IsakmpMessage and the phase-1 encryption of IsakmpCipherState.
//
// Expected bytes are written by hand from the RFC figures, or were produced once by Debian's
// python3-cryptography 38.0.4 (3DES-CBC and SHA-1 over the same inputs) and pasted here, as
// marked at each use. The test IsakmpTshark.WritePcap also writes a capture of a whole main
// mode, quick mode and informational exchange for test/e2e/isakmp-tshark.sh (the outside
// judge); with ISAKMP_TSHARK_DIR set it writes there, otherwise into a scratch directory.
#include "ns3/byte-source.h"
#include "ns3/cipher.h"
#include "ns3/diffie-hellman.h"
#include "ns3/ike-prf.h"
#include "ns3/isakmp-crypto.h"
#include "ns3/isakmp-header.h"
#include "ns3/isakmp-payloads.h"

#include "ns3/buffer.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/pcap-file.h"
#include "ns3/udp-header.h"

#include "common/isakmp-pcap.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <vector>

#include <unistd.h>

using namespace ns3;
using ns3::ipsec::CipherAlgorithm;
using ns3::ipsec::IkeHash;

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

} // namespace

// --- IsakmpHeader ------------------------------------------------------------------------

TEST(IsakmpHeaderTest, ByteExact)
{
    IsakmpHeader h =
        MakeHeader(0x0011223344556677ULL, 0x8899aabbccddeeffULL, ISAKMP_EXCH_QUICK_MODE, 0xdeadbeef,
                   IsakmpHeader::FLAG_ENCRYPTION | IsakmpHeader::FLAG_COMMIT);
    h.SetNextPayload(ISAKMP_PAYLOAD_HASH);
    h.SetLength(0x0000019c);
    EXPECT_EQ(HeaderBytes(h), H("0011223344556677 8899aabbccddeeff 08 10 20 03 deadbeef 0000019c"));

    Buffer b;
    b.AddAtStart(IsakmpHeader::SIZE);
    h.Serialize(b.Begin());
    IsakmpHeader r;
    ASSERT_EQ(r.Deserialize(b.Begin()), IsakmpHeader::SIZE);
    EXPECT_EQ(r.GetInitiatorCookie(), Cookie(0x0011223344556677ULL));
    EXPECT_EQ(r.GetResponderCookie(), Cookie(0x8899aabbccddeeffULL));
    EXPECT_EQ(r.GetNextPayload(), ISAKMP_PAYLOAD_HASH);
    EXPECT_EQ(r.GetMajorVersion(), 1);
    EXPECT_EQ(r.GetMinorVersion(), 0);
    EXPECT_EQ(r.GetExchangeType(), ISAKMP_EXCH_QUICK_MODE);
    EXPECT_TRUE(r.IsEncrypted());
    EXPECT_EQ(r.GetFlags(), 0x03);
    EXPECT_EQ(r.GetMessageId(), 0xdeadbeefu);
    EXPECT_EQ(r.GetLength(), 0x19cu);
    std::ostringstream os;
    r.Print(os);
    EXPECT_NE(os.str().find("mid=0xdeadbeef"), std::string::npos) << os.str();
}

TEST(IsakmpHeaderTest, ShortBufferIsRefusedAndCookiesConvert)
{
    Buffer b;
    b.AddAtStart(27);
    IsakmpHeader h;
    EXPECT_EQ(h.Deserialize(b.Begin()), 0u);
    EXPECT_EQ(IsakmpCookieToUint64(Cookie(0x0102030405060708ULL)), 0x0102030405060708ULL);
    EXPECT_EQ(Cookie(1)[7], 1);
    h.SetEncrypted(true);
    h.SetEncrypted(false);
    EXPECT_EQ(h.GetFlags(), 0);
}

// --- IsakmpAttribute ---------------------------------------------------------------------

TEST(IsakmpAttributeTest, BasicVariableAndInteger)
{
    auto bytes = [](const IsakmpAttribute& a)
    {
        Buffer b;
        b.AddAtStart(a.GetSerializedSize());
        Buffer::Iterator i = b.Begin();
        a.Serialize(i);
        Bytes out(b.GetSize());
        b.CopyData(out.data(), out.size());
        return out;
    };
    // RFC 2408 3.3: AF=1 puts the value where AF=0 puts the length.
    EXPECT_EQ(bytes(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, 5)), H("80010005"));
    EXPECT_EQ(bytes(IsakmpAttribute::Variable(IKE_ATTR_GROUP_PRIME, H("ffee"))), H("00060002ffee"));
    // RFC 2409 Appendix A: a V attribute that fits two octets MAY be basic.
    EXPECT_EQ(bytes(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 3600)), H("800c0e10"));
    EXPECT_EQ(bytes(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 86400)),
              H("000c000400015180"));
    EXPECT_EQ(bytes(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, 0x100000000ULL)),
              H("0002 0008 0000000100000000"));

    IsakmpAttribute a;
    size_t used = 0;
    Bytes tlv = H("000c000400015180 ffff");
    ASSERT_TRUE(a.Parse(tlv.data(), tlv.size(), &used).Ok());
    EXPECT_EQ(used, 8u);
    EXPECT_FALSE(a.IsBasic());
    EXPECT_EQ(a.GetType(), IKE_ATTR_LIFE_DURATION);
    EXPECT_EQ(a.GetInteger(), 86400u);
    EXPECT_EQ(a, IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 86400));
    Bytes long9 = H("000c0009 010203040506070809");
    ASSERT_TRUE(a.Parse(long9.data(), long9.size(), &used).Ok());
    EXPECT_FALSE(a.GetInteger().has_value()); // nine bytes are no integer

    Bytes cut = H("000c0004000151");
    auto s = a.Parse(cut.data(), cut.size(), &used);
    EXPECT_EQ(s.code, IsakmpParseStatus::TRUNCATED);
    EXPECT_EQ(s.notify, ISAKMP_NOTIFY_PAYLOAD_MALFORMED);
    EXPECT_EQ(a.Parse(cut.data(), 3, &used).code, IsakmpParseStatus::TRUNCATED);
}

// --- payloads ----------------------------------------------------------------------------

TEST(IsakmpPayloadTest, SaProposalTransformByteExact)
{
    IsakmpSaPayload sa = Phase1Sa();
    EXPECT_EQ(sa.ToBytes(), kMm1Sa);
    EXPECT_EQ(sa.GetPayloadLength(), 0x38);

    IsakmpSaPayload r;
    ASSERT_TRUE(r.Parse(kMm1Sa.data(), kMm1Sa.size()).Ok()) << r.GetParseStatus().ToString();
    EXPECT_EQ(r.GetDoi(), ISAKMP_DOI_IPSEC);
    EXPECT_EQ(r.GetSituation(), ISAKMP_SIT_IDENTITY_ONLY);
    ASSERT_EQ(r.GetProposals().size(), 1u);
    const IsakmpProposal& p = r.GetProposals()[0];
    EXPECT_EQ(p.GetProposalNumber(), 1);
    EXPECT_EQ(p.GetProtocolId(), ISAKMP_PROTO_ISAKMP);
    EXPECT_TRUE(p.GetSpi().empty());
    ASSERT_EQ(p.GetTransforms().size(), 1u);
    const IsakmpTransform& t = p.GetTransforms()[0];
    EXPECT_EQ(t.GetTransformId(), ISAKMP_KEY_IKE);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_ENCRYPTION_ALGORITHM), IKE_ENCR_3DES_CBC);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_HASH_ALGORITHM), IKE_HASH_SHA);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_AUTHENTICATION_METHOD), IKE_AUTH_PRE_SHARED_KEY);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_GROUP_DESCRIPTION), IKE_GROUP_MODP_1024);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_LIFE_TYPE), IKE_LIFE_SECONDS);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_LIFE_DURATION), 86400u);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_KEY_LENGTH), std::nullopt);
    EXPECT_EQ(r.ToBytes(), kMm1Sa);
}

TEST(IsakmpPayloadTest, ProposalChainsTransformsAndSaChainsProposals)
{
    // Two proposals (AH and ESP, both #1: RFC 2408 4.2 "logical AND"), the ESP one with two
    // transforms: Next Payload is 2 between proposals and 3 between transforms, 0 at the end.
    IsakmpSaPayload sa;
    IsakmpProposal ah(1, ISAKMP_PROTO_IPSEC_AH);
    ah.SetSpi32(0x0000a001);
    ah.AddTransform(IsakmpTransform(1, IPSEC_AH_SHA))
        .AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA));
    IsakmpProposal esp(1, ISAKMP_PROTO_IPSEC_ESP);
    esp.SetSpi32(0x0000e001);
    esp.AddTransform(IsakmpTransform(1, IPSEC_ESP_3DES));
    esp.AddTransform(IsakmpTransform(2, IPSEC_ESP_DES));
    sa.AddProposal(ah);
    sa.AddProposal(esp);
    Bytes expect = H("00 00 0040 00000001 00000001"
                     "02 00 0018 01 02 04 01 0000a001" // P #1 AH, SPI 4, 1 T, next P
                     "00 00 000c 01 03 0000 8005 0002" // T #1 AH_SHA, HMAC-SHA
                     "00 00 001c 01 03 04 02 0000e001" // P #1 ESP, SPI 4, 2 T, last P
                     "03 00 0008 01 03 0000"           // T #1 ESP_3DES, next T
                     "00 00 0008 02 02 0000");         // T #2 ESP_DES, last
    EXPECT_EQ(sa.ToBytes(), expect);
    IsakmpSaPayload r;
    ASSERT_TRUE(r.Parse(expect.data(), expect.size()).Ok()) << r.GetParseStatus().ToString();
    ASSERT_EQ(r.GetProposals().size(), 2u);
    EXPECT_EQ(r.GetProposals()[0].GetSpi32(), 0xa001u);
    EXPECT_EQ(r.GetProposals()[1].GetTransforms().size(), 2u);
    EXPECT_EQ(r.GetProposals()[1].GetTransforms()[1].GetTransformId(), IPSEC_ESP_DES);
    EXPECT_EQ(r.ToBytes(), expect);
}

TEST(IsakmpPayloadTest, OpaquePayloadsByteExact)
{
    // RFC 2408 3.7, 3.11, 3.12, 3.13, 3.16: generic header plus one data field.
    EXPECT_EQ(IsakmpKeyExchangePayload(H("0102")).ToBytes(), H("000000060102"));
    EXPECT_EQ(IsakmpHashPayload(Range(0, 20)).ToBytes(), Cat({H("00000018"), Range(0, 20)}));
    EXPECT_EQ(IsakmpSignaturePayload(H("aa")).ToBytes(), H("00000005aa"));
    EXPECT_EQ(IsakmpNoncePayload(Range(1, 16)).ToBytes(), Cat({H("00000014"), Range(1, 16)}));
    IsakmpVendorIdPayload vid(IsakmpVendorIdPayload::DpdVendorId());
    vid.SetNextPayload(ISAKMP_PAYLOAD_VENDOR_ID);
    EXPECT_EQ(vid.ToBytes(), H("0d000014 afcad71368a1f1c96b8696fc77570100"));

    IsakmpNoncePayload n;
    Bytes nb = Cat({H("0a000010"), Range(7, 12)});
    ASSERT_TRUE(n.Parse(nb.data(), nb.size()).Ok());
    EXPECT_EQ(n.GetNextPayload(), ISAKMP_PAYLOAD_NONCE);
    EXPECT_EQ(n.GetData(), Range(7, 12));
    // RFC 2409 5: nonces of 8 to 256 bytes.
    Bytes tiny = H("00000008 01020304");
    EXPECT_EQ(n.Parse(tiny.data(), tiny.size()).code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
    Bytes huge = Cat({H("00000105"), Bytes(257, 1)});
    EXPECT_EQ(n.Parse(huge.data(), huge.size()).code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
    IsakmpHashPayload hp;
    Bytes empty = H("00000004");
    EXPECT_EQ(hp.Parse(empty.data(), empty.size()).code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
}

TEST(IsakmpPayloadTest, VendorIdsMatchTheirSources)
{
    // Cisco Unity: MD5("CISCO-UNITY") with its last two bytes replaced by 01 00.
    std::string unity = "CISCO-UNITY";
    Bytes md5 = ipsec::IkeHashOf(IkeHash::MD5, Bytes(unity.begin(), unity.end()));
    EXPECT_EQ(ToHex(md5), "12f5f28c457168a9702d9fe274cc02d4");
    Bytes vid = IsakmpVendorIdPayload::CiscoUnityVendorId();
    EXPECT_TRUE(std::equal(vid.begin(), vid.begin() + 14, md5.begin()));
    EXPECT_EQ(vid[14], 0x01);
    EXPECT_EQ(vid[15], 0x00);
    // RFC 3947 3.1: MD5("RFC 3947").
    std::string natt = "RFC 3947";
    EXPECT_EQ(IsakmpVendorIdPayload::NatTraversalRfc3947VendorId(),
              ipsec::IkeHashOf(IkeHash::MD5, Bytes(natt.begin(), natt.end())));
    // RFC 3706 5.1.
    EXPECT_EQ(ToHex(IsakmpVendorIdPayload::DpdVendorId()), "afcad71368a1f1c96b8696fc77570100");
}

TEST(IsakmpPayloadTest, IdentificationForms)
{
    // RFC 2407 4.6.2: ID type, protocol, port, data.
    auto v4 = IsakmpIdPayload::Ipv4(Ipv4Address("192.0.2.1"), 17, 500);
    EXPECT_EQ(v4.ToBytes(), H("0000000c 01 11 01f4 c0000201"));
    auto subnet = IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.1.1.0"), Ipv4Mask("255.255.255.0"));
    EXPECT_EQ(subnet.ToBytes(), H("00000010 04 00 0000 0a010100 ffffff00"));
    auto range =
        IsakmpIdPayload::Ipv4Range(Ipv4Address("10.0.0.1"), Ipv4Address("10.0.0.9"), 6, 80);
    EXPECT_EQ(range.ToBytes(), H("00000010 07 06 0050 0a000001 0a000009"));
    auto fqdn = IsakmpIdPayload::Fqdn("r1.example");
    EXPECT_EQ(fqdn.ToBytes(), Cat({H("00000012 02 00 0000"), H("72312e6578616d706c65")}));

    IsakmpIdPayload r;
    Bytes b = subnet.ToBytes();
    ASSERT_TRUE(r.Parse(b.data(), b.size()).Ok());
    EXPECT_EQ(r.GetIdType(), ISAKMP_ID_IPV4_ADDR_SUBNET);
    EXPECT_EQ(*r.GetIpv4Address(), Ipv4Address("10.1.1.0"));
    EXPECT_EQ(*r.GetIpv4Mask(), Ipv4Mask("255.255.255.0"));
    EXPECT_FALSE(r.GetIpv4RangeEnd().has_value());
    b = range.ToBytes();
    ASSERT_TRUE(r.Parse(b.data(), b.size()).Ok());
    EXPECT_EQ(*r.GetIpv4RangeEnd(), Ipv4Address("10.0.0.9"));
    EXPECT_EQ(r.GetProtocolId(), 6);
    EXPECT_EQ(r.GetPort(), 80);
    b = fqdn.ToBytes();
    ASSERT_TRUE(r.Parse(b.data(), b.size()).Ok());
    EXPECT_EQ(r.GetDataString(), "r1.example");
    EXPECT_FALSE(r.GetIpv4Address().has_value());

    // An IPv4 subnet identity needs exactly 8 bytes: INVALID-ID-INFORMATION.
    Bytes bad = H("0000000c 04 00 0000 0a010100");
    auto s = r.Parse(bad.data(), bad.size());
    EXPECT_EQ(s.code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
    EXPECT_EQ(s.notify, ISAKMP_NOTIFY_INVALID_ID_INFORMATION);
    std::ostringstream os;
    r.Print(os); // must not dereference the missing mask
}

TEST(IsakmpPayloadTest, NotificationForms)
{
    // RFC 2408 3.14: DOI, Protocol-ID, SPI Size, Notify Message Type, SPI, data.
    IsakmpNotificationPayload n(ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN, ISAKMP_PROTO_ISAKMP, {});
    EXPECT_EQ(n.ToBytes(), H("0000000c 00000001 01 00 000e"));
    // RFC 3706 5.3: R-U-THERE, ISAKMP, the cookie pair as SPI, a 32-bit sequence number.
    auto dpd = IsakmpNotificationPayload::DpdNotify(false, Cookie(0x0102030405060708ULL),
                                                    Cookie(0x1112131415161718ULL), 0x5a5a0001);
    EXPECT_EQ(dpd.ToBytes(), H("00000020 00000001 01 10 8d28"
                               "0102030405060708 1112131415161718 5a5a0001"));
    EXPECT_EQ(IsakmpNotificationPayload::DpdNotify(true, Cookie(1), Cookie(2), 7).GetNotifyType(),
              ISAKMP_NOTIFY_R_U_THERE_ACK);
    // RFC 2407 4.6.3.1: RESPONDER-LIFETIME for an ESP SPI, data = SA attributes.
    IsakmpNotificationPayload life(ISAKMP_NOTIFY_RESPONDER_LIFETIME, ISAKMP_PROTO_IPSEC_ESP,
                                   Be32(0xcafe0001), H("80010001 80020e10"));
    EXPECT_EQ(life.ToBytes(), H("00000018 00000001 03 04 6000 cafe0001 80010001 80020e10"));

    IsakmpNotificationPayload r;
    Bytes b = dpd.ToBytes();
    ASSERT_TRUE(r.Parse(b.data(), b.size()).Ok());
    EXPECT_EQ(r.GetNotifyType(), ISAKMP_NOTIFY_R_U_THERE);
    EXPECT_EQ(r.GetSpi().size(), 16u);
    EXPECT_EQ(r.GetData(), H("5a5a0001"));
    EXPECT_STREQ(IsakmpNotifyTypeName(r.GetNotifyType()), "R-U-THERE");
    EXPECT_STREQ(IsakmpNotifyTypeName(ISAKMP_NOTIFY_AUTHENTICATION_FAILED),
                 "AUTHENTICATION-FAILED");
    EXPECT_STREQ(IsakmpNotifyTypeName(ISAKMP_NOTIFY_INVALID_ID_INFORMATION),
                 "INVALID-ID-INFORMATION");
    EXPECT_EQ(ISAKMP_NOTIFY_INITIAL_CONTACT, 24578);

    Bytes cut = H("0000000d 00000001 01 10 8d28 01"); // SPI Size 16, one byte present
    auto s = r.Parse(cut.data(), cut.size());
    EXPECT_EQ(s.code, IsakmpParseStatus::BAD_PAYLOAD_LENGTH);
    EXPECT_EQ(s.offset, 9u);
}

TEST(IsakmpPayloadTest, DeleteForms)
{
    // RFC 2408 3.15: DOI, Protocol-Id, SPI Size, # of SPIs, SPIs.
    IsakmpDeletePayload d(ISAKMP_PROTO_IPSEC_ESP, 4);
    d.AddSpi32(0x11223344);
    d.AddSpi32(0x55667788);
    EXPECT_EQ(d.ToBytes(), H("00000014 00000001 03 04 0002 11223344 55667788"));
    IsakmpDeletePayload isakmp(ISAKMP_PROTO_ISAKMP, 16);
    isakmp.AddSpi(IsakmpNotificationPayload::CookieSpi(Cookie(1), Cookie(2)));
    EXPECT_EQ(isakmp.ToBytes(),
              H("0000001c 00000001 01 10 0001 0000000000000001 0000000000000002"));

    IsakmpDeletePayload r;
    Bytes b = d.ToBytes();
    ASSERT_TRUE(r.Parse(b.data(), b.size()).Ok());
    ASSERT_EQ(r.GetSpis().size(), 2u);
    EXPECT_EQ(r.GetSpis()[1], H("55667788"));
    Bytes wrong = H("00000014 00000001 03 04 0003 11223344 55667788"); // says 3 SPIs
    EXPECT_EQ(r.Parse(wrong.data(), wrong.size()).code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
    Bytes zero = H("0000000c 00000001 03 00 0005"); // five SPIs of size 0
    EXPECT_EQ(r.Parse(zero.data(), zero.size()).code, IsakmpParseStatus::BAD_PAYLOAD_BODY);
}

TEST(IsakmpPayloadTest, Ns3HeaderDeserializeAndFactory)
{
    // Each payload works as an ns-3 Header on its own.
    IsakmpTransform t = Phase1Transform3Des(7);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(t);
    IsakmpTransform r;
    EXPECT_EQ(p->RemoveHeader(r), t.GetSerializedSize());
    EXPECT_EQ(r.GetTransformNumber(), 7);
    EXPECT_EQ(r.GetAttributes(), t.GetAttributes());

    Buffer b;
    b.AddAtStart(3);
    EXPECT_EQ(r.Deserialize(b.Begin()), 0u);
    EXPECT_EQ(r.GetParseStatus().code, IsakmpParseStatus::TRUNCATED);

    EXPECT_NE(dynamic_cast<IsakmpSaPayload*>(IsakmpPayload::Create(1).get()), nullptr);
    EXPECT_EQ(IsakmpPayload::Create(ISAKMP_PAYLOAD_PROPOSAL), nullptr);
    EXPECT_EQ(IsakmpPayload::Create(ISAKMP_PAYLOAD_TRANSFORM), nullptr);
    EXPECT_NE(dynamic_cast<IsakmpRawPayload*>(IsakmpPayload::Create(20).get()), nullptr);
    EXPECT_EQ(IsakmpPayload::Create(ISAKMP_PAYLOAD_CERTIFICATE)->GetPayloadType(),
              ISAKMP_PAYLOAD_CERTIFICATE);
    EXPECT_EQ(IsakmpTransform::GetTypeId().GetName(), "ns3::IsakmpTransform");
    EXPECT_EQ(IsakmpMessage::GetTypeId().GetParent(), ns3::Header::GetTypeId());
}

// --- IsakmpMessage -----------------------------------------------------------------------

TEST(IsakmpMessageTest, MainModeMessage1ByteExact)
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(0x0011223344556677ULL, 0, ISAKMP_EXCH_MAIN_MODE));
    m.AddPayload(Phase1Sa());
    EXPECT_EQ(m.ToBytes(), Cat({kMm1Header, kMm1Sa}));
    EXPECT_EQ(HeaderBytes(m), Cat({kMm1Header, kMm1Sa}));

    // With the DPD vendor ID: the SA's Next Payload becomes 13, the Length 104.
    m.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::DpdVendorId()));
    Bytes withVid = Cat({H("0011223344556677 0000000000000000 01 10 02 00 00000000 00000068"),
                         H("0d"), Bytes(kMm1Sa.begin() + 1, kMm1Sa.end()),
                         H("00000014 afcad71368a1f1c96b8696fc77570100")});
    EXPECT_EQ(m.ToBytes(), withVid);

    IsakmpParseStatus st;
    auto r = IsakmpMessage::FromBytes(withVid, &st);
    ASSERT_TRUE(r) << st.ToString();
    EXPECT_EQ(r->GetPayloadTypes(),
              (std::vector<uint8_t>{ISAKMP_PAYLOAD_SA, ISAKMP_PAYLOAD_VENDOR_ID}));
    const IsakmpSaPayload* sa = r->FindPayload<IsakmpSaPayload>();
    ASSERT_NE(sa, nullptr);
    const IsakmpTransform& t = sa->GetProposals().at(0).GetTransforms().at(0);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_ENCRYPTION_ALGORITHM), IKE_ENCR_3DES_CBC);
    EXPECT_EQ(t.GetAttributeValue(IKE_ATTR_LIFE_DURATION), 86400u);
    EXPECT_EQ(r->FindPayload<IsakmpVendorIdPayload>()->GetData(),
              IsakmpVendorIdPayload::DpdVendorId());
    EXPECT_EQ(r->FindPayload<IsakmpVendorIdPayload>(1), nullptr);
    EXPECT_EQ(r->CountPayloads(ISAKMP_PAYLOAD_VENDOR_ID), 1u);
    EXPECT_EQ(r->GetHeader().GetLength(), 104u);
    EXPECT_EQ(r->ToBytes(), withVid);
}

TEST(IsakmpMessageTest, QuickModeMessage1Shape)
{
    // RFC 2409 5.5: HDR*, HASH(1), SA, Ni [, KE ] [, IDci, IDcr ]
    IsakmpMessage m;
    m.SetHeader(
        MakeHeader(1, 2, ISAKMP_EXCH_QUICK_MODE, 0x0a0b0c0d, IsakmpHeader::FLAG_ENCRYPTION));
    m.AddPayload(IsakmpHashPayload(Range(0x30, 20)));
    m.AddPayload(QuickModeSa(0x11223344));
    m.AddPayload(IsakmpNoncePayload(Range(0x50, 16)));
    m.AddPayload(IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.1.1.0"), Ipv4Mask("/24")));
    m.AddPayload(IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.2.2.0"), Ipv4Mask("/24")));
    Bytes b = m.ToBytes();

    // The chain by hand: HASH -> SA -> NONCE -> ID -> ID.
    ASSERT_GE(b.size(), 28u + 24u);
    EXPECT_EQ(b[16], ISAKMP_PAYLOAD_HASH);
    EXPECT_EQ(b[28], ISAKMP_PAYLOAD_SA);
    Bytes hashPayload(b.begin() + 28, b.begin() + 52);
    EXPECT_EQ(hashPayload, Cat({H("01000018"), Range(0x30, 20)}));
    size_t sa = 52;
    uint16_t saLen = uint16_t(b[sa + 2] << 8 | b[sa + 3]);
    EXPECT_EQ(b[sa], ISAKMP_PAYLOAD_NONCE);
    // SA: 12 + proposal (8 + SPI 4) + T1 (8 + 5 attrs) + T2 (8 + 4 attrs)
    EXPECT_EQ(saLen, 12 + 12 + 28 + 24);
    EXPECT_EQ(Bytes(b.begin() + sa + 12, b.begin() + sa + 24),
              H("00 00 0040 01 03 04 02 11223344"));
    size_t nonce = sa + saLen;
    EXPECT_EQ(b[nonce], ISAKMP_PAYLOAD_IDENTIFICATION);
    size_t id1 = nonce + 20;
    EXPECT_EQ(Bytes(b.begin() + id1, b.begin() + id1 + 16),
              H("05000010 04 00 0000 0a010100 ffffff00"));
    EXPECT_EQ(Bytes(b.begin() + id1 + 16, b.end()), H("00000010 04 00 0000 0a020200 ffffff00"));
    EXPECT_EQ(b.size(), id1 + 32);

    // E flag set, so FromBytes keeps the (here cleartext) body opaque; FromDecryptedBytes parses.
    auto opaque = IsakmpMessage::FromBytes(b);
    ASSERT_TRUE(opaque);
    EXPECT_TRUE(opaque->HasEncryptedBody());
    EXPECT_EQ(opaque->GetNPayloads(), 0u);
    EXPECT_EQ(opaque->ToBytes(), b);
    auto r = IsakmpMessage::FromDecryptedBytes(b);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->GetPayloadTypes(), (std::vector<uint8_t>{8, 1, 10, 5, 5}));
    const auto* sap = r->FindPayload<IsakmpSaPayload>();
    ASSERT_NE(sap, nullptr);
    const IsakmpProposal& p = sap->GetProposals().at(0);
    EXPECT_EQ(p.GetSpi32(), 0x11223344u);
    EXPECT_EQ(p.GetTransforms().at(0).GetAttributeValue(IPSEC_ATTR_KEY_LENGTH), 128u);
    EXPECT_EQ(p.GetTransforms().at(1).GetTransformId(), IPSEC_ESP_3DES);
    EXPECT_EQ(*r->FindPayload<IsakmpIdPayload>(1)->GetIpv4Address(), Ipv4Address("10.2.2.0"));
    EXPECT_EQ(r->ToBytes(), b);
}

TEST(IsakmpMessageTest, Ns3PacketRoundTrip)
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(0x1111, 0x2222, ISAKMP_EXCH_INFORMATIONAL, 0x77));
    IsakmpDeletePayload d(ISAKMP_PROTO_IPSEC_ESP, 4);
    d.AddSpi32(0xabcdef01);
    m.AddPayload(d);
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(m);
    IsakmpMessage r;
    EXPECT_EQ(p->RemoveHeader(r), m.GetSerializedSize());
    EXPECT_TRUE(r.GetParseStatus().Ok());
    EXPECT_EQ(r.ToBytes(), m.ToBytes());
    EXPECT_EQ(r.FindPayload<IsakmpDeletePayload>()->GetSpis().at(0), H("abcdef01"));
    std::ostringstream os;
    r.Print(os);
    EXPECT_NE(os.str().find("D proto=3"), std::string::npos) << os.str();

    // Copies are deep.
    IsakmpMessage copy = r;
    r.ClearPayloads();
    EXPECT_EQ(copy.GetNPayloads(), 1u);
    EXPECT_EQ(r.GetNPayloads(), 0u);

    // A Length larger than the packet: Deserialize refuses and says why.
    Bytes bytes = m.ToBytes();
    bytes[27] += 4;
    Ptr<Packet> q = Create<Packet>(bytes.data(), bytes.size());
    IsakmpMessage bad;
    EXPECT_EQ(q->RemoveHeader(bad), 0u);
    EXPECT_EQ(bad.GetParseStatus().code, IsakmpParseStatus::BAD_MESSAGE_LENGTH);
}

TEST(IsakmpMessageTest, UnknownPayloadsAreSkippedAndRecorded)
{
    // NAT-D (20, RFC 3947) and a private-use type (200) between two known payloads.
    Bytes b = Cat({H("0000000000000001 0000000000000002 0d 10 02 00 00000000 00000040"),
                   H("14 00 0008 01020304"),           // VID: next is type 20
                   H("c8 00 0008 aabbccdd"),           // type 20: next is type 200
                   H("0a 00 0004"),                    // type 200, empty: next is NONCE
                   H("00 00 000c 0102030405060708")}); // NONCE
    b[27] = static_cast<uint8_t>(b.size());
    IsakmpParseStatus st;
    auto m = IsakmpMessage::FromBytes(b, &st);
    ASSERT_TRUE(m) << st.ToString();
    EXPECT_EQ(m->GetPayloadTypes(), (std::vector<uint8_t>{13, 20, 200, 10}));
    const auto* raw = m->FindPayload<IsakmpRawPayload>();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(raw->GetPayloadType(), 20);
    EXPECT_EQ(raw->GetData(), H("aabbccdd"));
    EXPECT_EQ(m->FindPayload<IsakmpRawPayload>(1)->GetData().size(), 0u);
    EXPECT_FALSE(IsakmpIsKnownPayloadType(raw->GetPayloadType()));
    EXPECT_TRUE(IsakmpIsKnownPayloadType(ISAKMP_PAYLOAD_CERTIFICATE)); // known, kept raw
    EXPECT_FALSE(IsakmpIsKnownPayloadType(ISAKMP_PAYLOAD_NONE));
    EXPECT_EQ(m->ToBytes(), b);
}

/** One malformed input and what the parser must say about it. */
struct BadCase
{
    const char* name;
    Bytes bytes;
    IsakmpParseStatus::Code code;
    uint16_t notify;
    uint32_t offset;
};

TEST(IsakmpMessageTest, MalformedInputsGiveClearErrors)
{
    auto hdr = [](uint8_t np, uint32_t len, uint8_t ver = 0x10, uint8_t flags = 0)
    {
        return Cat({H("0102030405060708 0000000000000000"), Bytes{np, ver, 2, flags}, H("00000000"),
                    Be32(len)});
    };
    Bytes vid = H("00 00 0008 01020304");
    std::vector<BadCase> cases = {
        {"empty", {}, IsakmpParseStatus::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0},
        {"27 bytes", Bytes(27, 0), IsakmpParseStatus::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED,
         0},
        {"IKEv2 version", hdr(0, 28, 0x20), IsakmpParseStatus::BAD_VERSION,
         ISAKMP_NOTIFY_INVALID_MAJOR_VERSION, 17},
        {"minor version", hdr(0, 28, 0x11), IsakmpParseStatus::BAD_VERSION,
         ISAKMP_NOTIFY_INVALID_MINOR_VERSION, 17},
        {"reserved flag", hdr(0, 28, 0x10, 0x08), IsakmpParseStatus::BAD_FLAGS,
         ISAKMP_NOTIFY_INVALID_FLAGS, 19},
        {"Length too big", hdr(0, 29), IsakmpParseStatus::BAD_MESSAGE_LENGTH,
         ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS, 24},
        {"Length too small", Cat({hdr(13, 28), vid}), IsakmpParseStatus::BAD_MESSAGE_LENGTH,
         ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS, 24},
        {"payload announced, none", hdr(13, 28), IsakmpParseStatus::TRUNCATED,
         ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 28},
        {"payload header cut", Cat({hdr(13, 31), H("000000")}), IsakmpParseStatus::TRUNCATED,
         ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 28},
        {"Payload Length 3", Cat({hdr(13, 36), H("00 00 0003 01020304")}),
         IsakmpParseStatus::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 30},
        {"Payload Length beyond", Cat({hdr(13, 36), H("00 00 0009 01020304")}),
         IsakmpParseStatus::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 30},
        {"chain points past the end", Cat({hdr(13, 36), H("0d 00 0008 01020304")}),
         IsakmpParseStatus::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 36},
        {"trailing bytes", Cat({hdr(13, 38), vid, H("0000")}), IsakmpParseStatus::TRAILING_DATA,
         ISAKMP_NOTIFY_UNEQUAL_PAYLOAD_LENGTHS, 36},
        {"proposal at top level", Cat({hdr(2, 36), H("00 00 0008 01010000")}),
         IsakmpParseStatus::BAD_PAYLOAD_TYPE, ISAKMP_NOTIFY_INVALID_PAYLOAD_TYPE, 28},
        {"SA with DOI 2", Cat({hdr(1, 40), H("00 00 000c 00000002 00000001")}),
         IsakmpParseStatus::UNSUPPORTED, ISAKMP_NOTIFY_DOI_NOT_SUPPORTED, 32},
        {"SA with SIT_SECRECY", Cat({hdr(1, 40), H("00 00 000c 00000001 00000003")}),
         IsakmpParseStatus::UNSUPPORTED, ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED, 36},
        {"SA without proposal", Cat({hdr(1, 40), H("00 00 000c 00000001 00000001")}),
         IsakmpParseStatus::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 40},
        {"# of Transforms 2, one present",
         Cat({hdr(1, 56), H("00 00 001c 00000001 00000001 00 00 0010 01 01 00 02 00 00 0008 01 01 "
                            "0000")}),
         IsakmpParseStatus::BAD_PAYLOAD_BODY, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 47},
        {"transform Next Payload 5",
         Cat({hdr(1, 64), H("00 00 0024 00000001 00000001 00 00 0018 01 01 00 02 05 00 0008 01 01 "
                            "0000 00 00 0008 02 01 0000")}),
         IsakmpParseStatus::BAD_PAYLOAD_TYPE, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX, 48},
        {"attribute Length beyond the transform",
         Cat({hdr(1, 60), H("00 00 0020 00000001 00000001 00 00 0014 01 01 00 01 00 00 000c 01 01 "
                            "0000 000c 0008")}),
         IsakmpParseStatus::TRUNCATED, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 58},
        {"proposal SPI Size beyond",
         Cat({hdr(1, 48), H("00 00 0014 00000001 00000001 00 00 0008 "
                            "01 03 04 01")}),
         IsakmpParseStatus::BAD_PAYLOAD_LENGTH, ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 46},
    };
    for (const auto& c : cases)
    {
        IsakmpParseStatus st;
        auto m = IsakmpMessage::FromBytes(c.bytes, &st);
        EXPECT_FALSE(m) << c.name;
        EXPECT_EQ(st.code, c.code) << c.name << ": " << st.ToString();
        EXPECT_EQ(st.notify, c.notify) << c.name << ": " << st.ToString();
        EXPECT_EQ(st.offset, c.offset) << c.name << ": " << st.ToString();
        EXPECT_FALSE(st.reason.empty()) << c.name;
        EXPECT_LE(st.offset, c.bytes.size()) << c.name;
    }

    // Too many payloads: 65 vendor IDs.
    Bytes many = hdr(13, 0);
    for (int k = 0; k < 65; ++k)
    {
        many.insert(many.end(), {uint8_t(k < 64 ? 13 : 0), 0, 0, 5, uint8_t(k)});
    }
    auto len = Be32(static_cast<uint32_t>(many.size()));
    std::copy(len.begin(), len.end(), many.begin() + 24);
    IsakmpParseStatus st;
    EXPECT_FALSE(IsakmpMessage::FromBytes(many, &st));
    EXPECT_EQ(st.code, IsakmpParseStatus::TOO_MANY_PAYLOADS) << st.ToString();
    // 64 are fine.
    many.resize(many.size() - 5);
    many[many.size() - 5] = 0;
    len = Be32(static_cast<uint32_t>(many.size()));
    std::copy(len.begin(), len.end(), many.begin() + 24);
    EXPECT_TRUE(IsakmpMessage::FromBytes(many, &st)) << st.ToString();

    // A decrypted message may end in padding; a cleartext one may not.
    Bytes padded = Cat({hdr(13, 40, 0x10, 1), vid, H("00000000")});
    auto d = IsakmpMessage::FromDecryptedBytes(padded, &st);
    ASSERT_TRUE(d) << st.ToString();
    EXPECT_EQ(d->GetPaddingLength(), 4u);
}

// --- fuzzing -----------------------------------------------------------------------------

namespace
{

/** Counters of one fuzz run. */
struct FuzzStats
{
    size_t inputs = 0;
    size_t parsed = 0;
    std::map<int, size_t> codes;
};

/** Parse @p b both ways; whatever parses must re-serialize to something that parses the same. */
void
FuzzOne(const Bytes& b, FuzzStats& stats)
{
    ++stats.inputs;
    for (bool decrypted : {false, true})
    {
        IsakmpMessage m;
        IsakmpParseStatus s = m.Parse(b.data(), b.size(), decrypted);
        ++stats.codes[s.code];
        if (!s.Ok())
        {
            ASSERT_FALSE(s.reason.empty());
            ASSERT_LE(s.offset, b.size()) << s.ToString();
            continue;
        }
        ++stats.parsed;
        Bytes again = m.ToBytes();
        ASSERT_LE(again.size(), b.size());
        IsakmpMessage m2;
        IsakmpParseStatus s2 = m2.Parse(again.data(), again.size(), decrypted);
        ASSERT_TRUE(s2.Ok()) << s2.ToString() << " for " << ToHex(b);
        ASSERT_EQ(m2.ToBytes(), again);
        ASSERT_EQ(m2.GetPayloadTypes(), m.GetPayloadTypes());
    }
}

void
PutLength(Bytes& b)
{
    if (b.size() >= 28)
    {
        auto l = Be32(static_cast<uint32_t>(b.size()));
        std::copy(l.begin(), l.end(), b.begin() + 24);
    }
}

/** Cleartext messages of every shape we build, the seeds of mutation fuzzing. */
std::vector<Bytes>
SeedMessages()
{
    std::vector<Bytes> seeds;
    IsakmpMessage mm1;
    mm1.SetHeader(MakeHeader(1, 0, ISAKMP_EXCH_MAIN_MODE));
    mm1.AddPayload(Phase1Sa());
    mm1.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::CiscoUnityVendorId()));
    seeds.push_back(mm1.ToBytes());
    IsakmpMessage mm3;
    mm3.SetHeader(MakeHeader(1, 2, ISAKMP_EXCH_MAIN_MODE));
    mm3.AddPayload(IsakmpKeyExchangePayload(Range(9, 128)));
    mm3.AddPayload(IsakmpNoncePayload(Range(3, 20)));
    mm3.AddPayload(IsakmpRawPayload(20, Range(1, 20)));
    seeds.push_back(mm3.ToBytes());
    IsakmpMessage qm;
    qm.SetHeader(MakeHeader(1, 2, ISAKMP_EXCH_QUICK_MODE, 99));
    qm.AddPayload(IsakmpHashPayload(Range(0, 20)));
    qm.AddPayload(QuickModeSa(0x1234));
    qm.AddPayload(IsakmpNoncePayload(Range(3, 16)));
    qm.AddPayload(IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.0.0.0"), Ipv4Mask("/8")));
    qm.AddPayload(IsakmpIdPayload::Fqdn("peer"));
    seeds.push_back(qm.ToBytes());
    IsakmpMessage info;
    info.SetHeader(MakeHeader(1, 2, ISAKMP_EXCH_INFORMATIONAL, 7));
    info.AddPayload(IsakmpHashPayload(Range(0, 20)));
    IsakmpDeletePayload d(ISAKMP_PROTO_IPSEC_ESP, 4);
    d.AddSpi32(1);
    d.AddSpi32(2);
    info.AddPayload(d);
    info.AddPayload(IsakmpNotificationPayload::DpdNotify(false, Cookie(1), Cookie(2), 5));
    info.AddPayload(IsakmpNotificationPayload(ISAKMP_NOTIFY_RESPONDER_LIFETIME,
                                              ISAKMP_PROTO_IPSEC_ESP, Be32(5), H("80010001")));
    seeds.push_back(info.ToBytes());
    return seeds;
}

} // namespace

TEST(IsakmpFuzzTest, RandomBytesNeverCrashOrHang)
{
    std::mt19937 rng(20240601);
    FuzzStats stats;
    auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < 20000; ++n)
    {
        Bytes b(rng() % 600);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(rng());
        }
        if (n % 2 && b.size() >= 28)
        {
            // Look enough like ISAKMP to get past the header checks.
            b[16] = static_cast<uint8_t>(rng() % 16);
            b[17] = 0x10;
            b[19] &= 0x01;
            PutLength(b);
        }
        FuzzOne(b, stats);
        if (HasFatalFailure())
        {
            return;
        }
    }
    auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(stats.inputs, 20000u);
    EXPECT_LT(seconds, 60.0);
    EXPECT_GE(stats.codes.size(), 5u); // the header checks and several payload faults were hit
}

TEST(IsakmpFuzzTest, MutatedMessagesNeverCrashOrHang)
{
    std::mt19937 rng(7);
    FuzzStats stats;
    std::vector<Bytes> seeds = SeedMessages();
    for (const auto& s : seeds)
    {
        ASSERT_TRUE(IsakmpMessage::FromBytes(s)) << ToHex(s);
    }
    for (int n = 0; n < 50000; ++n)
    {
        Bytes b = seeds[rng() % seeds.size()];
        int edits = 1 + rng() % 4;
        for (int e = 0; e < edits && !b.empty(); ++e)
        {
            size_t at = 28 + rng() % std::max<size_t>(1, b.size() - 28);
            at = std::min(at, b.size() - 1);
            switch (rng() % 7)
            {
            case 0: // flip one bit
                b[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
                break;
            case 1: // overwrite a byte
                b[at] = static_cast<uint8_t>(rng());
                break;
            case 2: // truncate
                b.resize(at);
                break;
            case 3: // a length-ish field: set a 16-bit value
                if (at + 1 < b.size())
                {
                    uint16_t v = static_cast<uint16_t>(rng() % 3 == 0 ? rng() : rng() % 64);
                    b[at] = static_cast<uint8_t>(v >> 8);
                    b[at + 1] = static_cast<uint8_t>(v);
                }
                break;
            case 4: // insert random bytes
                b.insert(b.begin() + at, 1 + rng() % 8, static_cast<uint8_t>(rng()));
                break;
            case 5: // erase bytes
                b.erase(b.begin() + at, b.begin() + std::min(b.size(), at + 1 + rng() % 8));
                break;
            case 6: // next-payload byte of the header
                if (b.size() > 16)
                {
                    b[16] = static_cast<uint8_t>(rng() % 20);
                }
                break;
            }
        }
        if (rng() % 4 != 0)
        {
            PutLength(b); // mostly keep the Length consistent so parsing goes deep
        }
        FuzzOne(b, stats);
        if (HasFatalFailure())
        {
            return;
        }
    }
    EXPECT_GT(stats.parsed, 100u);
    EXPECT_GE(stats.codes.size(), 7u);
    for (const auto& [code, count] : stats.codes)
    {
        std::cout << "  " << IsakmpParseStatus::CodeName(IsakmpParseStatus::Code(code)) << ": "
                  << count << "\n";
    }
}

TEST(IsakmpFuzzTest, GarbageIntoDecryptNeverCrashes)
{
    std::mt19937 rng(11);
    IsakmpCipherState st(CipherAlgorithm::TDES_CBC, Range(1, 24), IkeHash::SHA1);
    st.InitPhase1(Range(0, 16), Range(16, 16));
    size_t decrypted = 0;
    for (int n = 0; n < 3000; ++n)
    {
        Bytes b(rng() % 200);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(rng());
        }
        if (n % 2 && b.size() >= 28)
        {
            b[17] = 0x10;
            b[19] = 0x01;
            b.resize(28 + (b.size() - 28) / 8 * 8);
            PutLength(b);
        }
        IsakmpParseStatus status;
        auto m = st.DecryptMessage(b, &status);
        if (m || status.code != IsakmpParseStatus::ENCRYPTED)
        {
            ++decrypted;
        }
        EXPECT_TRUE(m || !status.reason.empty());
    }
    EXPECT_GT(decrypted, 100u);
}

// --- phase-1 encryption ------------------------------------------------------------------

namespace
{

/** Raw OpenSSL CBC decryption, no padding: the reference the cipher state is checked against. */
Bytes
EvpCbc(const EVP_CIPHER* c, const Bytes& key, const Bytes& iv, const Bytes& in, bool encrypt)
{
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    Bytes out(in.size() + 32);
    int n1 = 0, n2 = 0;
    EXPECT_EQ(EVP_CipherInit_ex(ctx, c, nullptr, key.data(), iv.data(), encrypt ? 1 : 0), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    EXPECT_EQ(EVP_CipherUpdate(ctx, out.data(), &n1, in.data(), static_cast<int>(in.size())), 1);
    EXPECT_EQ(EVP_CipherFinal_ex(ctx, out.data() + n1, &n2), 1);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(n1 + n2);
    return out;
}

Bytes
Sha1(const Bytes& in)
{
    Bytes out(20);
    unsigned int n = 0;
    EVP_Digest(in.data(), in.size(), out.data(), &n, EVP_sha1(), nullptr);
    return out;
}

// The known-answer inputs (see the file comment): key 40..57, g^xi = 00..7f, g^xr = 80..ff.
const Bytes kKatKey = Range(0x40, 24);
const Bytes kKatGxi = Range(0x00, 128);
const Bytes kKatGxr = Range(0x80, 128);

/** MM5 in the clear: HDR (E flag), ID (IPV4_ADDR 192.0.2.1, UDP/500), HASH_I (a0..b3). */
Bytes
KatMm5Clear()
{
    IsakmpMessage m;
    m.SetHeader(MakeHeader(0x0123456789abcdefULL, 0xfedcba9876543210ULL, ISAKMP_EXCH_MAIN_MODE, 0,
                           IsakmpHeader::FLAG_ENCRYPTION));
    m.AddPayload(IsakmpIdPayload::Ipv4(Ipv4Address("192.0.2.1"), 17, 500));
    m.AddPayload(IsakmpHashPayload(Range(0xa0, 20)));
    return m.ToBytes();
}

} // namespace

TEST(IsakmpCryptoTest, PaddingAndAlgorithmMapping)
{
    EXPECT_EQ(IsakmpCipherState::PaddingLength(36, 8), 4u);
    EXPECT_EQ(IsakmpCipherState::PaddingLength(40, 8), 8u); // strongSwan: always 1..bs
    EXPECT_EQ(IsakmpCipherState::PaddingLength(1, 16), 15u);
    EXPECT_EQ(IkeCipherFromAttributes(IKE_ENCR_3DES_CBC, 0), CipherAlgorithm::TDES_CBC);
    EXPECT_EQ(IkeCipherFromAttributes(IKE_ENCR_DES_CBC, 0), CipherAlgorithm::DES_CBC);
    EXPECT_EQ(IkeCipherFromAttributes(IKE_ENCR_AES_CBC, 256), CipherAlgorithm::AES_CBC_256);
    EXPECT_EQ(IkeCipherFromAttributes(IKE_ENCR_AES_CBC, 0), std::nullopt);
    EXPECT_EQ(IkeCipherFromAttributes(IKE_ENCR_BLOWFISH_CBC, 0), std::nullopt);
    EXPECT_EQ(IkeHashFromAttribute(IKE_HASH_SHA), IkeHash::SHA1);
    EXPECT_EQ(IkeHashFromAttribute(IKE_HASH_SHA2_256), IkeHash::SHA256);
    EXPECT_EQ(IkeHashFromAttribute(IKE_HASH_TIGER), std::nullopt);
    EXPECT_THROW(IsakmpCipherState(CipherAlgorithm::AES_GCM_128, Range(0, 20), IkeHash::SHA1),
                 std::invalid_argument);
    EXPECT_THROW(IsakmpCipherState(CipherAlgorithm::NULL_CIPHER, {}, IkeHash::SHA1),
                 std::invalid_argument);
    EXPECT_THROW(IsakmpCipherState(CipherAlgorithm::TDES_CBC, Range(0, 16), IkeHash::SHA1),
                 std::invalid_argument);
}

TEST(IsakmpCryptoTest, KnownAnswerMainMode5AndQuickModeIv)
{
    // Produced once with python3-cryptography 38.0.4: IV1 = SHA-1(g^xi | g^xr)[0..8), MM5 body
    // zero-padded to 40 bytes and 3DES-CBC encrypted; IV2 = SHA-1(last block | 0a0b0c0d)[0..8).
    const Bytes iv1 = H("4916d6bdb7f78e68");
    const Bytes mm5 = H("0123456789abcdeffedcba98765432100510020100000000000000440cd43e865454e028d8"
                        "4408fe581f36b339681bc534a3c26f36d954026a5f1784a16c49651b87bc33");
    const Bytes iv2 = H("b9c0626f7c9160c3");
    const Bytes qm = H("0123456789abcdeffedcba9876543210081020010a0b0c0d0000003cc8f633513b16519117"
                       "3293575d83c8b380e71afdba8fec0b64039849b8d702ab");

    EXPECT_EQ(IsakmpCipherState::Phase1Iv(IkeHash::SHA1, kKatGxi, kKatGxr, 8), iv1);
    IsakmpCipherState st(CipherAlgorithm::TDES_CBC, kKatKey, IkeHash::SHA1);
    EXPECT_FALSE(st.HasPhase1Iv());
    EXPECT_FALSE(st.Encrypt(KatMm5Clear()));
    st.InitPhase1(kKatGxi, kKatGxr);
    EXPECT_EQ(st.GetIv(0), iv1);
    IsakmpCryptoResult r = st.Encrypt(KatMm5Clear());
    ASSERT_TRUE(r) << r.error;
    EXPECT_EQ(r.bytes, mm5);
    EXPECT_EQ(st.GetIv(0), Bytes(mm5.end() - 8, mm5.end()));
    EXPECT_EQ(st.GetIv(0x0a0b0c0d), iv2);

    IsakmpMessage q;
    q.SetHeader(MakeHeader(0x0123456789abcdefULL, 0xfedcba9876543210ULL, ISAKMP_EXCH_QUICK_MODE,
                           0x0a0b0c0d));
    q.AddPayload(IsakmpHashPayload(Range(0xc0, 20)));
    r = st.EncryptMessage(q);
    ASSERT_TRUE(r) << r.error;
    EXPECT_EQ(r.bytes, qm);
    EXPECT_EQ(st.GetNExchanges(), 1u);

    // The receiving side, in order.
    IsakmpCipherState rx(CipherAlgorithm::TDES_CBC, kKatKey, IkeHash::SHA1);
    rx.InitPhase1(kKatGxi, kKatGxr);
    IsakmpParseStatus status;
    auto m5 = rx.DecryptMessage(mm5, &status);
    ASSERT_TRUE(m5) << status.ToString();
    EXPECT_EQ(m5->GetPaddingLength(), 4u);
    EXPECT_EQ(*m5->FindPayload<IsakmpIdPayload>()->GetIpv4Address(), Ipv4Address("192.0.2.1"));
    EXPECT_EQ(m5->FindPayload<IsakmpHashPayload>()->GetData(), Range(0xa0, 20));
    auto mq = rx.DecryptMessage(qm, &status);
    ASSERT_TRUE(mq) << status.ToString();
    EXPECT_EQ(mq->FindPayload<IsakmpHashPayload>()->GetData(), Range(0xc0, 20));
}

TEST(IsakmpCryptoTest, IvChainingAgreesWithRawOpenSsl)
{
    // Both peers, and raw OpenSSL with the RFC 2409 Appendix B IVs computed here from SHA-1,
    // over MM5, MM6, a three-message quick mode and an informational exchange.
    for (CipherAlgorithm alg : {CipherAlgorithm::TDES_CBC, CipherAlgorithm::AES_CBC_128,
                                CipherAlgorithm::AES_CBC_256, CipherAlgorithm::DES_CBC})
    {
        const ipsec::CipherInfo& info = ipsec::GetCipherInfo(alg);
        const EVP_CIPHER* evp = alg == CipherAlgorithm::TDES_CBC      ? EVP_des_ede3_cbc()
                                : alg == CipherAlgorithm::AES_CBC_128 ? EVP_aes_128_cbc()
                                : alg == CipherAlgorithm::AES_CBC_256 ? EVP_aes_256_cbc()
                                                                      : nullptr;
        Bytes key = Range(0x10, static_cast<uint32_t>(info.keyLen));
        if (alg == CipherAlgorithm::DES_CBC)
        {
            key = H("0123456789abcdef");
        }
        size_t bs = info.blockSize;
        IsakmpCipherState in(alg, key, IkeHash::SHA1);
        IsakmpCipherState out(alg, key, IkeHash::SHA1);
        in.InitPhase1(kKatGxi, kKatGxr);
        out.InitPhase1(kKatGxi, kKatGxr);
        Bytes refIv = Sha1(Cat({kKatGxi, kKatGxr}));
        refIv.resize(bs);
        Bytes lastP1;
        std::map<uint32_t, Bytes> refIvs;

        struct Step
        {
            uint32_t mid;
            bool fromInitiator;
            uint32_t hashLen;
        };
        std::vector<Step> steps = {{0, true, 20},          {0, false, 20},
                                   {0x01020304, true, 21}, {0x01020304, false, 19},
                                   {0x01020304, true, 20}, {0xfeedf00d, true, 33},
                                   {0xfeedf00e, false, 20}};
        for (size_t k = 0; k < steps.size(); ++k)
        {
            const Step& s = steps[k];
            IsakmpMessage m;
            m.SetHeader(MakeHeader(0xabc, 0xdef,
                                   s.mid ? ISAKMP_EXCH_QUICK_MODE : ISAKMP_EXCH_MAIN_MODE, s.mid,
                                   IsakmpHeader::FLAG_ENCRYPTION));
            m.AddPayload(IsakmpHashPayload(Range(static_cast<uint8_t>(k), s.hashLen)));
            IsakmpCipherState& tx = s.fromInitiator ? in : out;
            IsakmpCipherState& rx = s.fromInitiator ? out : in;
            IsakmpCryptoResult c = tx.EncryptMessage(m);
            ASSERT_TRUE(c) << c.error;
            ASSERT_EQ((c.bytes.size() - 28) % bs, 0u);
            EXPECT_EQ(c.bytes[19] & 1, 1);

            // The reference IV for this message.
            Bytes iv;
            if (s.mid == 0)
            {
                iv = refIv;
            }
            else if (refIvs.count(s.mid))
            {
                iv = refIvs[s.mid];
            }
            else
            {
                iv = Sha1(Cat({lastP1, Be32(s.mid)}));
                iv.resize(bs);
            }
            EXPECT_EQ(tx.GetIv(s.mid), Bytes(c.bytes.end() - bs, c.bytes.end()));
            if (evp)
            {
                Bytes body(c.bytes.begin() + 28, c.bytes.end());
                Bytes plain = EvpCbc(evp, key, iv, body, false);
                Bytes clear = m.ToBytes();
                EXPECT_TRUE(std::equal(clear.begin() + 28, clear.end(), plain.begin()))
                    << info.name << " step " << k;
                EXPECT_TRUE(std::all_of(plain.begin() + (clear.size() - 28), plain.end(),
                                        [](uint8_t x) { return x == 0; }));
            }
            Bytes last(c.bytes.end() - bs, c.bytes.end());
            if (s.mid == 0)
            {
                refIv = last;
                lastP1 = last;
            }
            else
            {
                refIvs[s.mid] = last;
            }

            IsakmpParseStatus status;
            auto d = rx.DecryptMessage(c.bytes, &status);
            ASSERT_TRUE(d) << info.name << " step " << k << ": " << status.ToString();
            EXPECT_EQ(d->FindPayload<IsakmpHashPayload>()->GetData(),
                      Range(static_cast<uint8_t>(k), s.hashLen));
            EXPECT_EQ(in.GetIv(s.mid), out.GetIv(s.mid));
        }
        EXPECT_EQ(in.GetNExchanges(), 3u);
        in.ForgetExchange(0x01020304);
        EXPECT_EQ(in.GetNExchanges(), 2u);
    }
}

TEST(IsakmpCryptoTest, ErrorReturnsLeaveTheIvAlone)
{
    IsakmpCipherState st(CipherAlgorithm::TDES_CBC, kKatKey, IkeHash::SHA1);
    Bytes clear = KatMm5Clear();
    Bytes aligned = Cat({clear, Bytes(4, 0)});
    PutLength(aligned);
    EXPECT_NE(st.Decrypt(aligned).error.find("no phase-1 IV"), std::string::npos);
    st.InitPhase1(kKatGxi, kKatGxr);
    auto iv = st.GetIv(0);

    EXPECT_NE(st.Encrypt(Bytes(20, 0)).error.find("shorter"), std::string::npos);
    Bytes badLen = clear;
    badLen[27] ^= 1;
    EXPECT_NE(st.Encrypt(badLen).error.find("Length field"), std::string::npos);
    Bytes notEncrypted = clear;
    notEncrypted[19] = 0;
    EXPECT_NE(st.Decrypt(notEncrypted).error.find("Encryption flag"), std::string::npos);
    Bytes ragged = Cat({Bytes(clear.begin(), clear.begin() + 28), Bytes(13, 0)});
    PutLength(ragged);
    EXPECT_NE(st.Decrypt(ragged).error.find("whole"), std::string::npos);
    Bytes empty(clear.begin(), clear.begin() + 28);
    PutLength(empty);
    EXPECT_FALSE(st.Decrypt(empty));
    EXPECT_EQ(st.GetIv(0), iv);

    IsakmpParseStatus status;
    EXPECT_FALSE(st.DecryptMessage(ragged, &status));
    EXPECT_EQ(status.code, IsakmpParseStatus::ENCRYPTED);

    // A wrong key decrypts to garbage: the chain advances (the caller restores it with SetIv
    // once the HASH check fails), and parsing reports the fault instead of crashing.
    IsakmpCipherState good(CipherAlgorithm::TDES_CBC, kKatKey, IkeHash::SHA1);
    good.InitPhase1(kKatGxi, kKatGxr);
    Bytes mm5 = good.Encrypt(clear).bytes;
    IsakmpCipherState wrong(CipherAlgorithm::TDES_CBC, Range(0x99, 24), IkeHash::SHA1);
    wrong.InitPhase1(kKatGxi, kKatGxr);
    auto before = wrong.GetIv(0);
    auto garbage = wrong.DecryptMessage(mm5, &status);
    EXPECT_FALSE(garbage && garbage->FindPayload<IsakmpHashPayload>() &&
                 garbage->FindPayload<IsakmpHashPayload>()->GetData() == Range(0xa0, 20));
    wrong.SetIv(0, *before);
    EXPECT_EQ(wrong.GetIv(0), before);
}

// --- the capture for the outside judge ---------------------------------------------------

namespace
{

/** What tshark must show: in frame @c frame, field @c field has (among its values) @c value. */
struct Expectation
{
    uint32_t frame;
    std::string field;
    std::string value;
};

/** A whole IKEv1 conversation, encrypted as it would be on the wire, and its expectations. */
struct Conversation
{
    std::vector<std::pair<Bytes, bool>> frames; //!< message, sent by the initiator
    std::vector<Expectation> expect;
    Bytes key; //!< phase-1 encryption key (for the decryption table)
    IsakmpCookie icookie;
    std::vector<std::vector<IsakmpMessage>> clear; //!< the cleartext messages, per frame
};

void
SetHash(IsakmpMessage& m, const Bytes& hash)
{
    dynamic_cast<IsakmpHashPayload&>(m.GetPayload(0)).SetData(hash);
}

/** The bytes after the HASH payload (which is first) of @p m, as RFC 2409 5.5 hashes them. */
Bytes
AfterHash(const IsakmpMessage& m)
{
    Bytes b = m.ToBytes();
    size_t skip = 28 + m.GetPayload(0).GetSerializedSize();
    return Bytes(b.begin() + skip, b.end());
}

/** The body of payload @p p (without the generic header), as RFC 2409 "_b" means. */
Bytes
Body(const IsakmpPayload& p)
{
    Bytes b = p.ToBytes();
    return Bytes(b.begin() + 4, b.end());
}

Conversation
BuildConversation()
{
    Conversation c;
    const IkeHash hash = IkeHash::SHA1;
    const uint64_t ic = 0x5f3e2a1c9d8b7a60ULL, rc = 0x1a2b3c4d5e6f7081ULL;
    c.icookie = Cookie(ic);
    const std::string psk = "cisco123";
    uint32_t frame = 0;
    auto add = [&c, &frame](const Bytes& bytes, bool fromI)
    {
        c.frames.emplace_back(bytes, fromI);
        ++frame;
    };
    auto expect = [&c, &frame](const std::string& field, const std::string& value) {
        c.expect.push_back({frame, field, value});
    };

    // MM1: SA offering 3DES then AES-128, both SHA / pre-shared / group 2 / 86400 s; VIDs.
    IsakmpMessage mm1;
    mm1.SetHeader(MakeHeader(ic, 0, ISAKMP_EXCH_MAIN_MODE));
    IsakmpSaPayload sai;
    IsakmpProposal p1(1, ISAKMP_PROTO_ISAKMP);
    p1.AddTransform(Phase1Transform3Des(1));
    IsakmpTransform aes(2, ISAKMP_KEY_IKE);
    aes.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, IKE_ENCR_AES_CBC))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_KEY_LENGTH, 128))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, IKE_HASH_SHA))
        .AddAttribute(
            IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, IKE_AUTH_PRE_SHARED_KEY))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, IKE_GROUP_MODP_1024))
        .AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS))
        .AddAttribute(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 86400));
    p1.AddTransform(aes);
    sai.AddProposal(p1);
    mm1.AddPayload(sai);
    mm1.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::DpdVendorId()));
    mm1.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::CiscoUnityVendorId()));
    Bytes saiBody = Body(sai);
    add(mm1.ToBytes(), true);
    expect("isakmp.ispi", ToHex(Bytes(c.icookie.begin(), c.icookie.end())));
    expect("isakmp.rspi", "0000000000000000");
    expect("isakmp.exchangetype", "2");
    expect("isakmp.sa.doi", "1");
    expect("isakmp.prop.transforms", "2");
    expect("isakmp.ike.attr.encryption_algorithm", "5");
    expect("isakmp.ike.attr.encryption_algorithm", "7");
    expect("isakmp.ike.attr.key_length", "128");
    expect("isakmp.ike.attr.hash_algorithm", "2");
    expect("isakmp.ike.attr.authentication_method", "1");
    expect("isakmp.ike.attr.group_description", "2");
    expect("isakmp.ike.attr.life_type", "1");
    expect("isakmp.ike.attr.life_duration", "86400");
    expect("isakmp.vid_bytes", "afcad71368a1f1c96b8696fc77570100");
    expect("isakmp.vid_bytes", "12f5f28c457168a9702d9fe274cc0100");
    expect("isakmp.length", std::to_string(mm1.GetSerializedSize()));

    // MM2: the responder's choice, 3DES.
    IsakmpMessage mm2;
    mm2.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_MAIN_MODE));
    mm2.AddPayload(Phase1Sa());
    mm2.AddPayload(IsakmpVendorIdPayload(IsakmpVendorIdPayload::DpdVendorId()));
    add(mm2.ToBytes(), false);
    expect("isakmp.rspi", ToHex(CookieBytes(rc)));
    expect("isakmp.ike.attr.encryption_algorithm", "5");
    expect("isakmp.prop.transforms", "1");

    // MM3 / MM4: real group-2 Diffie-Hellman values and nonces.
    ipsec::FixedByteSource rngI(Range(0x21, 200)), rngR(Range(0x61, 200));
    ipsec::DhKeyPair dhI(2, rngI), dhR(2, rngR);
    const Bytes& gxi = dhI.PublicValue();
    const Bytes& gxr = dhR.PublicValue();
    Bytes gxy = dhI.ComputeShared(gxr);
    Bytes ni = Range(0x90, 20), nr = Range(0xb0, 24);
    IsakmpMessage mm3;
    mm3.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_MAIN_MODE));
    mm3.AddPayload(IsakmpKeyExchangePayload(gxi));
    mm3.AddPayload(IsakmpNoncePayload(ni));
    add(mm3.ToBytes(), true);
    expect("isakmp.key_exchange.data", ToHex(gxi));
    expect("isakmp.nonce", ToHex(ni));
    IsakmpMessage mm4;
    mm4.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_MAIN_MODE));
    mm4.AddPayload(IsakmpKeyExchangePayload(gxr));
    mm4.AddPayload(IsakmpNoncePayload(nr));
    add(mm4.ToBytes(), false);
    expect("isakmp.key_exchange.data", ToHex(gxr));
    expect("isakmp.nonce", ToHex(nr));

    // RFC 2409 5 and Appendix B: SKEYID, SKEYID_d/a/e and the 3DES key.
    Bytes skeyid = ipsec::SkeyidPsk(hash, Bytes(psk.begin(), psk.end()), ni, nr);
    Bytes cky = CookieBytes(ic);
    Bytes ckyR = CookieBytes(rc);
    ipsec::IkeSkeyids k = ipsec::DeriveSkeyids(hash, skeyid, gxy, cky, ckyR);
    c.key = ipsec::IkeEncryptionKey(hash, k.e, 24);
    IsakmpCipherState init(CipherAlgorithm::TDES_CBC, c.key, hash);
    IsakmpCipherState resp(CipherAlgorithm::TDES_CBC, c.key, hash);
    init.InitPhase1(gxi, gxr);
    resp.InitPhase1(gxi, gxr);
    auto send = [&](const IsakmpMessage& m, bool fromI)
    {
        IsakmpCryptoResult r = (fromI ? init : resp).EncryptMessage(m);
        EXPECT_TRUE(r) << r.error;
        IsakmpParseStatus st;
        auto back = (fromI ? resp : init).DecryptMessage(r.bytes, &st);
        EXPECT_TRUE(back) << st.ToString();
        if (back)
        {
            EXPECT_EQ(back->ToBytes(), m.ToBytes());
        }
        add(r.bytes, fromI);
    };

    // MM5: IDii, HASH_I, INITIAL-CONTACT (encrypted from here on).
    IsakmpIdPayload idii = IsakmpIdPayload::Ipv4(Ipv4Address("192.0.2.1"), 17, 500);
    Bytes hashI = ipsec::IkePrf(hash, skeyid, Cat({gxi, gxr, cky, ckyR, saiBody, Body(idii)}));
    IsakmpMessage mm5;
    mm5.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_MAIN_MODE, 0, IsakmpHeader::FLAG_ENCRYPTION));
    mm5.AddPayload(idii);
    mm5.AddPayload(IsakmpHashPayload(hashI));
    mm5.AddPayload(IsakmpNotificationPayload(ISAKMP_NOTIFY_INITIAL_CONTACT, ISAKMP_PROTO_ISAKMP,
                                             Cat({cky, ckyR})));
    send(mm5, true);
    expect("isakmp.flag_e", "1");
    expect("isakmp.id.type", "1");
    expect("isakmp.id.data.ipv4_addr", "192.0.2.1");
    expect("isakmp.id.port", "500");
    expect("isakmp.hash", ToHex(hashI));
    expect("isakmp.notify.msgtype", "24578");

    // MM6: IDir, HASH_R.
    IsakmpIdPayload idir = IsakmpIdPayload::Ipv4(Ipv4Address("198.51.100.1"), 17, 500);
    Bytes hashR = ipsec::IkePrf(hash, skeyid, Cat({gxr, gxi, ckyR, cky, saiBody, Body(idir)}));
    IsakmpMessage mm6;
    mm6.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_MAIN_MODE, 0, IsakmpHeader::FLAG_ENCRYPTION));
    mm6.AddPayload(idir);
    mm6.AddPayload(IsakmpHashPayload(hashR));
    send(mm6, false);
    expect("isakmp.id.data.ipv4_addr", "198.51.100.1");
    expect("isakmp.hash", ToHex(hashR));

    // Quick mode (RFC 2409 5.5), M-ID 0x3a5c7e91: HASH(1), SA, Ni, IDci, IDcr.
    const uint32_t qmid = 0x3a5c7e91;
    Bytes mid = Be32(qmid);
    Bytes ni2 = Range(0x11, 16), nr2 = Range(0x31, 16);
    IsakmpIdPayload idci = IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.1.1.0"), Ipv4Mask("/24"));
    IsakmpIdPayload idcr = IsakmpIdPayload::Ipv4Subnet(Ipv4Address("10.2.2.0"), Ipv4Mask("/24"));
    IsakmpMessage qm1;
    qm1.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_QUICK_MODE, qmid, IsakmpHeader::FLAG_ENCRYPTION));
    qm1.AddPayload(IsakmpHashPayload(Bytes(20, 0)));
    qm1.AddPayload(QuickModeSa(0x11223344));
    qm1.AddPayload(IsakmpNoncePayload(ni2));
    qm1.AddPayload(idci);
    qm1.AddPayload(idcr);
    SetHash(qm1, ipsec::IkePrf(hash, k.a, Cat({mid, AfterHash(qm1)})));
    send(qm1, true);
    expect("isakmp.exchangetype", "32");
    expect("isakmp.messageid", "0x3a5c7e91");
    expect("isakmp.prop.protoid", "3");
    expect("isakmp.spi", "11223344");
    expect("isakmp.trans.id", "12");
    expect("isakmp.trans.id", "3");
    expect("isakmp.ipsec.attr.encap_mode", "1");
    expect("isakmp.ipsec.attr.auth_algorithm", "2");
    expect("isakmp.ipsec.attr.key_length", "128");
    expect("isakmp.ipsec.attr.life_duration", "3600");
    expect("isakmp.id.type", "4");
    expect("isakmp.id.data.ipv4_addr", "10.1.1.0"); // tshark 4.0 shows a subnet's address so,
    expect("isakmp.id.data.ipv4_addr", "10.2.2.0"); // and its mask as ipv4_subnet
    expect("isakmp.id.data.ipv4_subnet", "255.255.255.0");
    expect("isakmp.nonce", ToHex(ni2));

    // QM2: HASH(2), SA (the chosen 3DES transform, the responder's SPI), Nr, IDs,
    // RESPONDER-LIFETIME.
    IsakmpMessage qm2;
    qm2.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_QUICK_MODE, qmid, IsakmpHeader::FLAG_ENCRYPTION));
    qm2.AddPayload(IsakmpHashPayload(Bytes(20, 0)));
    IsakmpSaPayload sar;
    IsakmpProposal pr(1, ISAKMP_PROTO_IPSEC_ESP);
    pr.SetSpi32(0x99aabbcc);
    pr.AddTransform(QuickModeSa(0).GetProposals()[0].GetTransforms()[1]);
    sar.AddProposal(pr);
    qm2.AddPayload(sar);
    qm2.AddPayload(IsakmpNoncePayload(nr2));
    qm2.AddPayload(idci);
    qm2.AddPayload(idcr);
    qm2.AddPayload(IsakmpNotificationPayload(ISAKMP_NOTIFY_RESPONDER_LIFETIME,
                                             ISAKMP_PROTO_IPSEC_ESP, Be32(0x99aabbcc),
                                             H("80010001 0002000400001c20")));
    SetHash(qm2, ipsec::IkePrf(hash, k.a, Cat({mid, ni2, AfterHash(qm2)})));
    send(qm2, false);
    expect("isakmp.spi", "99aabbcc");
    expect("isakmp.trans.id", "3");
    expect("isakmp.notify.msgtype", "24576");
    expect("isakmp.notify.data.resp_lifetime.ipsec.attr.life_duration", "7200");

    // QM3: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).
    IsakmpMessage qm3;
    qm3.SetHeader(MakeHeader(ic, rc, ISAKMP_EXCH_QUICK_MODE, qmid, IsakmpHeader::FLAG_ENCRYPTION));
    Bytes hash3 = ipsec::IkePrf(hash, k.a, Cat({Bytes{0}, mid, ni2, nr2}));
    qm3.AddPayload(IsakmpHashPayload(hash3));
    send(qm3, true);
    expect("isakmp.hash", ToHex(hash3));

    // Informational exchanges (RFC 2409 5.7), each with its own M-ID and IV:
    // HASH(1) = prf(SKEYID_a, M-ID | N/D).
    auto informational = [&](uint32_t id, const IsakmpPayload& p, bool fromI)
    {
        IsakmpMessage m;
        m.SetHeader(
            MakeHeader(ic, rc, ISAKMP_EXCH_INFORMATIONAL, id, IsakmpHeader::FLAG_ENCRYPTION));
        m.AddPayload(IsakmpHashPayload(Bytes(20, 0)));
        m.AddPayload(p.Clone());
        SetHash(m, ipsec::IkePrf(hash, k.a, Cat({Be32(id), AfterHash(m)})));
        send(m, fromI);
    };
    informational(0x0badcafe,
                  IsakmpNotificationPayload::DpdNotify(false, c.icookie, Cookie(rc), 0x2c6e0001),
                  true);
    expect("isakmp.exchangetype", "5");
    expect("isakmp.notify.msgtype", "36136");
    expect("isakmp.notify.data.dpd.are_you_there", std::to_string(0x2c6e0001));
    informational(0x1ee7f00d,
                  IsakmpNotificationPayload::DpdNotify(true, c.icookie, Cookie(rc), 0x2c6e0001),
                  false);
    expect("isakmp.notify.msgtype", "36137");
    expect("isakmp.notify.data.dpd.are_you_there_ack", std::to_string(0x2c6e0001));
    IsakmpDeletePayload delEsp(ISAKMP_PROTO_IPSEC_ESP, 4);
    delEsp.AddSpi32(0x11223344);
    informational(0x600dd00d, delEsp, true);
    expect("isakmp.delete.protoid", "3");
    expect("isakmp.delete.spi", "11223344");
    IsakmpDeletePayload delIsakmp(ISAKMP_PROTO_ISAKMP, 16);
    delIsakmp.AddSpi(Cat({cky, ckyR}));
    informational(0x7007cafe, delIsakmp, true);
    expect("isakmp.delete.protoid", "1");
    expect("isakmp.delete.spi", ToHex(Cat({cky, ckyR})));

    // Another peer's phase 1 fails before any key exists: a cleartext NO-PROPOSAL-CHOSEN.
    IsakmpMessage npc;
    npc.SetHeader(MakeHeader(0x0102030405060708ULL, 0x1112131415161718ULL,
                             ISAKMP_EXCH_INFORMATIONAL, 0x44556677));
    npc.AddPayload(IsakmpNotificationPayload(
        ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN, ISAKMP_PROTO_ISAKMP,
        IsakmpNotificationPayload::CookieSpi(Cookie(0x0102030405060708ULL),
                                             Cookie(0x1112131415161718ULL))));
    add(npc.ToBytes(), false);
    expect("isakmp.ispi", "0102030405060708");
    expect("isakmp.notify.msgtype", "14");
    expect("isakmp.flag_e", "0");
    return c;
}

} // namespace

TEST(IsakmpTshark, WritePcap)
{
    Conversation c = BuildConversation();
    if (HasFailure())
    {
        return;
    }
    ASSERT_EQ(c.frames.size(), 14u);
    const char* env = std::getenv("ISAKMP_TSHARK_DIR");
    std::filesystem::path dir = env ? std::filesystem::path(env)
                                    : std::filesystem::temp_directory_path() /
                                          ("isakmp-wire-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    PcapFile pcap;
    pcap.Open((dir / "isakmp.pcap").string(), std::ios::out);
    pcap.Init(101 /* LINKTYPE_RAW */, 65535);
    Ipv4Address initiator("192.0.2.1"), responder("198.51.100.1"), other("203.0.113.9");
    for (size_t n = 0; n < c.frames.size(); ++n)
    {
        const auto& [bytes, fromI] = c.frames[n];
        Ipv4Address src = fromI ? initiator : responder;
        Ipv4Address dst = fromI ? responder : initiator;
        if (n + 1 == c.frames.size())
        {
            dst = other; // the failed phase 1 with another peer
        }
        ns3::test::WriteIsakmpFrame(pcap, static_cast<uint32_t>(n), bytes, src, dst);
    }
    pcap.Close();

    std::ofstream uat(dir / "ikev1_decryption_table.txt");
    uat << ToHex(Bytes(c.icookie.begin(), c.icookie.end())) << "," << ToHex(c.key) << "\n";
    std::ofstream tsv(dir / "expect.tsv");
    for (const auto& e : c.expect)
    {
        tsv << e.frame << "\t" << e.field << "\t" << e.value << "\n";
    }
    tsv.close();
    EXPECT_GT(std::filesystem::file_size(dir / "isakmp.pcap"), 1000u);
    if (!env)
    {
        std::filesystem::remove_all(dir);
    }
}
