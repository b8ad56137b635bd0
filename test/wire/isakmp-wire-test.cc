// ISAKMP wire format (RFC 2408, RFC 2407, RFC 2409): IsakmpHeader, the payload classes,
// and IsakmpMessage (the phase-1 encryption and the capture: isakmp-crypto-test.cc).
//
// Expected bytes are written by hand from the RFC figures, or were produced once by Debian's
// python3-cryptography 38.0.4 (3DES-CBC and SHA-1 over the same inputs) and pasted here, as
// marked at each use.
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

#include "common/isakmp-test-bytes.h"

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
