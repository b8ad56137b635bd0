// Known-answer tests of the transforms against outside references: RFC 3602's ESP packets
// (cases 5-8) and AH packets computed by Scapy, an independent IPsec implementation.
#include "common/rfc3602-vectors.h"
#include "ns3/ipsec-transforms.h"

#include "ns3/packet.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace ns3;
using ns3::ipsec::FromHex;
using ns3::ipsec::ToHex;

namespace
{

std::vector<uint8_t>
Bytes(const Packet& p)
{
    std::vector<uint8_t> b(p.GetSize());
    p.CopyData(b.data(), b.size());
    return b;
}

Ptr<Packet>
PacketOf(const std::vector<uint8_t>& b)
{
    return Create<Packet>(b.data(), static_cast<uint32_t>(b.size()));
}

Ptr<IpsecSa>
AesCbcSa(const ipsec::test::Rfc3602EspCase& c, IpsecDirection dir)
{
    IpsecSaConfig cfg;
    cfg.protocol = IpsecProtocol::ESP;
    cfg.direction = dir;
    cfg.spi = c.spi;
    cfg.cipher = ipsec::CipherAlgorithm::AES_CBC_128;
    cfg.cipherKey = FromHex(c.key);
    cfg.replayWindow = 0; // no integrity in these vectors, hence no anti-replay
    return IpsecSa::Create(cfg);
}

TEST(EspTransform, Rfc3602Cases5To8ProtectByteForByte)
{
    for (const auto& c : ipsec::test::kRfc3602EspCases)
    {
        Ptr<IpsecSa> sa = AesCbcSa(c, IpsecDirection::OUTBOUND);
        sa->SetLastSequenceNumber(c.sequence - 1);
        ipsec::FixedByteSource iv(FromHex(c.iv));
        IpsecTransformResult r =
            EspTransform::Protect(*sa, iv, *PacketOf(FromHex(c.payload)), c.nextHeader);
        ASSERT_FALSE(r.drop) << "case " << c.number;
        EXPECT_EQ(r.nextHeader, 50);
        char head[17];
        std::snprintf(head, sizeof(head), "%08x%08x", c.spi, c.sequence);
        EXPECT_EQ(ToHex(Bytes(*r.payload)), std::string(head) + c.iv + c.ciphertext)
            << "case " << c.number << ": " << c.description;
        EXPECT_EQ(EspTransform::Overhead(*sa, FromHex(c.payload).size()),
                  8 + 16 + c.padLength + 2u);
    }
}

TEST(EspTransform, Rfc3602Cases5To8Unprotect)
{
    for (const auto& c : ipsec::test::kRfc3602EspCases)
    {
        Ptr<IpsecSa> sa = AesCbcSa(c, IpsecDirection::INBOUND);
        char head[17];
        std::snprintf(head, sizeof(head), "%08x%08x", c.spi, c.sequence);
        auto wire = FromHex(std::string(head) + c.iv + c.ciphertext);
        EXPECT_EQ(EspTransform::PeekSpi(*PacketOf(wire)).value(), c.spi);
        IpsecTransformResult r = EspTransform::Unprotect(*sa, *PacketOf(wire));
        ASSERT_FALSE(r.drop) << "case " << c.number;
        EXPECT_EQ(r.nextHeader, c.nextHeader);
        EXPECT_EQ(ToHex(Bytes(*r.payload)), c.payload) << "case " << c.number;
    }
}

TEST(EspTransform, CorruptPaddingIsRefused)
{
    // Case 6 re-encrypted with its padding bytes changed from 01 02 to 01 03.
    const auto& c = ipsec::test::kRfc3602EspCases[1];
    auto pt = FromHex(c.plaintext);
    pt[pt.size() - 3] = 3;
    ipsec::Cipher aes(ipsec::CipherAlgorithm::AES_CBC_128, FromHex(c.key));
    auto iv = FromHex(c.iv);
    std::vector<uint8_t> ct(pt.size());
    aes.Encrypt(iv.data(), pt.data(), ct.data(), pt.size());
    std::vector<uint8_t> wire = {0, 0, 0x43, 0x21, 0, 0, 0, 8};
    wire.insert(wire.end(), iv.begin(), iv.end());
    wire.insert(wire.end(), ct.begin(), ct.end());
    Ptr<IpsecSa> sa = AesCbcSa(c, IpsecDirection::INBOUND);
    IpsecTransformResult r = EspTransform::Unprotect(*sa, *PacketOf(wire));
    ASSERT_TRUE(r.drop);
    EXPECT_EQ(*r.drop, IpsecDropReason::BAD_PADDING);
    EXPECT_EQ(sa->GetDrops().Get(IpsecDropReason::BAD_PADDING), 1u);
}

TEST(EspTransform, SequenceNumberNeverCyclesWithAntiReplay)
{
    IpsecSaConfig cfg;
    cfg.spi = 0x1000;
    cfg.cipher = ipsec::CipherAlgorithm::AES_CBC_128;
    cfg.cipherKey = std::vector<uint8_t>(16, 7);
    cfg.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
    cfg.authKey = std::vector<uint8_t>(20, 9);
    cfg.replayWindow = 64;
    Ptr<IpsecSa> sa = IpsecSa::Create(cfg);
    sa->SetLastSequenceNumber(0xfffffffe);
    ipsec::FixedByteSource rng({1, 2, 3});
    Ptr<Packet> p = Create<Packet>(100);
    EXPECT_FALSE(EspTransform::Protect(*sa, rng, *p, 4).drop); // 0xffffffff is the last one
    IpsecTransformResult r = EspTransform::Protect(*sa, rng, *p, 4);
    ASSERT_TRUE(r.drop);
    EXPECT_EQ(*r.drop, IpsecDropReason::SEQUENCE_OVERFLOW);
}

// Reference: Scapy 2.5 (python3-scapy), SecurityAssociation(AH, spi=0x1234,
// auth_algo='HMAC-SHA1-96', auth_key=01..14).encrypt(pkt, seq_num=7) on
// IP(src=172.16.0.1, dst=172.16.0.2, id=0x4242, ttl=64, tos=0x10, DF)/UDP(1234->9)/"hello ah".
constexpr const char* kScapyAhOut =
    "4510003c424240004033a019ac100001ac100002" // IPv4, protocol 51
    "1104000000001234000000"
    "07c903932222ffb9f261157e0d"        // AH: nh 17, len 4, spi, seq 7, ICV
    "04d200090010fd7468656c6c6f206168"; // UDP
constexpr const char* kUdp = "04d200090010fd7468656c6c6f206168";

Ptr<IpsecSa>
AhSa(IpsecDirection dir)
{
    IpsecSaConfig cfg;
    cfg.protocol = IpsecProtocol::AH;
    cfg.direction = dir;
    cfg.spi = 0x1234;
    cfg.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
    for (uint8_t k = 1; k <= 20; ++k)
    {
        cfg.authKey.push_back(k);
    }
    return IpsecSa::Create(cfg);
}

Ipv4Header
ScapyIpHeader()
{
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("172.16.0.1"));
    ip.SetDestination(Ipv4Address("172.16.0.2"));
    ip.SetIdentification(0x4242);
    ip.SetTtl(64);
    ip.SetTos(0x10);
    ip.SetDontFragment();
    ip.SetProtocol(17);
    return ip;
}

TEST(AhTransform, MatchesScapyByteForByte)
{
    Ptr<IpsecSa> sa = AhSa(IpsecDirection::OUTBOUND);
    sa->SetLastSequenceNumber(6);
    Ipv4Header ip = ScapyIpHeader();
    IpsecTransformResult r = AhTransform::Protect(*sa, ip, *PacketOf(FromHex(kUdp)), 17);
    ASSERT_FALSE(r.drop);
    EXPECT_EQ(ip.GetProtocol(), 51);
    EXPECT_EQ(ip.GetPayloadSize(), 24u + 16u);
    const std::string expected = std::string(kScapyAhOut).substr(40);
    EXPECT_EQ(ToHex(Bytes(*r.payload)), expected);
}

TEST(AhTransform, VerifiesScapyPacketDespiteMutableFields)
{
    Ptr<IpsecSa> sa = AhSa(IpsecDirection::INBOUND);
    Ipv4Header ip = ScapyIpHeader();
    ip.SetProtocol(51);
    ip.SetTtl(3);        // routers on the way changed TTL,
    ip.SetTos(0xb8);     // DSCP
    ip.SetMayFragment(); // and flags: all mutable, outside the ICV
    auto wire = FromHex(std::string(kScapyAhOut).substr(40));
    ip.SetPayloadSize(wire.size());
    IpsecTransformResult r = AhTransform::Unprotect(*sa, ip, *PacketOf(wire));
    ASSERT_FALSE(r.drop);
    EXPECT_EQ(r.nextHeader, 17);
    EXPECT_EQ(ToHex(Bytes(*r.payload)), kUdp);

    // An immutable field changed (identification): the ICV fails.
    Ptr<IpsecSa> sa2 = AhSa(IpsecDirection::INBOUND);
    ip.SetIdentification(0x4243);
    r = AhTransform::Unprotect(*sa2, ip, *PacketOf(wire));
    ASSERT_TRUE(r.drop);
    EXPECT_EQ(*r.drop, IpsecDropReason::ICV_FAILURE);
}

TEST(IpcompTransform, LeavesIncompressiblePayloadsAlone)
{
    IpsecSaConfig cfg;
    cfg.protocol = IpsecProtocol::IPCOMP;
    cfg.spi = 0x300;
    cfg.compression = ipsec::CompressionAlgorithm::LZS;
    Ptr<IpsecSa> sa = IpsecSa::Create(cfg);
    ipsec::DeterministicByteSource rng(1, 1, "ipcomp-test");
    auto noise = rng.Bytes(600);
    IpsecTransformResult r = IpcompTransform::Protect(*sa, *PacketOf(noise), 4);
    EXPECT_FALSE(r.applied);
    EXPECT_EQ(r.nextHeader, 4);
    EXPECT_EQ(Bytes(*r.payload), noise);

    std::vector<uint8_t> text(600);
    for (size_t i = 0; i < text.size(); ++i)
    {
        text[i] = "the quick brown fox "[i % 20];
    }
    r = IpcompTransform::Protect(*sa, *PacketOf(text), 4);
    ASSERT_TRUE(r.applied);
    EXPECT_EQ(r.nextHeader, 108);
    EXPECT_LT(r.payload->GetSize(), 200u);
    EXPECT_EQ(IpcompTransform::PeekCpi(*r.payload).value(), 0x300u);
    IpsecTransformResult back = IpcompTransform::Unprotect(*sa, *r.payload);
    ASSERT_FALSE(back.drop);
    EXPECT_EQ(back.nextHeader, 4);
    EXPECT_EQ(Bytes(*back.payload), text);
}

} // namespace

namespace
{
/** An ESP SA pair's config (AES-128-CBC + HMAC-SHA1-96 or AES-128-GCM) in @p dir. */
IpsecSaConfig
EspConfig(bool gcm, IpsecDirection dir)
{
    IpsecSaConfig cfg;
    cfg.spi = 0x2000;
    cfg.direction = dir;
    if (gcm)
    {
        cfg.cipher = ipsec::CipherAlgorithm::AES_GCM_128;
        cfg.cipherKey = std::vector<uint8_t>(20, 0x31);
    }
    else
    {
        cfg.cipher = ipsec::CipherAlgorithm::AES_CBC_128;
        cfg.cipherKey = std::vector<uint8_t>(16, 0x31);
        cfg.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
        cfg.authKey = std::vector<uint8_t>(20, 0x32);
    }
    return cfg;
}
} // namespace

TEST(EspTransform, EachSaKeysOnlyItsOwnDirection)
{
    // An outbound SA holds only an encrypting context and an inbound one only a decrypting one;
    // using one the other way is a programming error and is refused with std::logic_error, not
    // silently done with the wrong key schedule.
    for (bool gcm : {false, true})
    {
        SCOPED_TRACE(gcm ? "aes-gcm-128" : "aes-cbc-128 + hmac-sha1-96");
        Ptr<IpsecSa> out = IpsecSa::Create(EspConfig(gcm, IpsecDirection::OUTBOUND));
        Ptr<IpsecSa> in = IpsecSa::Create(EspConfig(gcm, IpsecDirection::INBOUND));
        EXPECT_EQ(out->GetCipher()->Use(), ipsec::CipherUse::ENCRYPT);
        EXPECT_EQ(in->GetCipher()->Use(), ipsec::CipherUse::DECRYPT);
        ipsec::DeterministicByteSource rng(1, 1, "transforms-test/direction");
        const std::vector<uint8_t> payload(333, 0x5a);
        for (int i = 0; i < 3; ++i)
        {
            IpsecTransformResult p = EspTransform::Protect(*out, rng, *PacketOf(payload), 4);
            ASSERT_FALSE(p.drop);
            IpsecTransformResult u = EspTransform::Unprotect(*in, *p.payload);
            ASSERT_FALSE(u.drop);
            EXPECT_EQ(Bytes(*u.payload), payload);
            EXPECT_EQ(u.nextHeader, 4);
            EXPECT_THROW(EspTransform::Unprotect(*out, *p.payload), std::logic_error);
            EXPECT_THROW(EspTransform::Protect(*in, rng, *PacketOf(payload), 4), std::logic_error);
        }
    }
}

TEST(EspTransform, GcmPacketsAgreeWithTheCipherLayer)
{
    // RFC 4106 framing: SPI || sequence number is the AAD, the 8-byte IV follows the header,
    // the 16-byte tag ends the packet; the bytes must be what Cipher::Seal makes of them.
    Ptr<IpsecSa> out = IpsecSa::Create(EspConfig(true, IpsecDirection::OUTBOUND));
    const std::vector<uint8_t> iv = FromHex("0102030405060708");
    ipsec::FixedByteSource rng(iv);
    const std::vector<uint8_t> payload = FromHex("45000014000000004011000001020304050607");
    IpsecTransformResult r = EspTransform::Protect(*out, rng, *PacketOf(payload), 4);
    ASSERT_FALSE(r.drop);
    const std::vector<uint8_t> wire = Bytes(*r.payload);
    // 19 bytes + pad 1 + 2 = 22 -> 4-byte aligned 24 (pad 3).
    ASSERT_EQ(wire.size(), 8u + 8 + 24 + 16);
    std::vector<uint8_t> pt = payload;
    for (uint8_t k = 1; k <= 3; ++k)
    {
        pt.push_back(k);
    }
    pt.push_back(3);
    pt.push_back(4);
    ipsec::Cipher ref(ipsec::CipherAlgorithm::AES_GCM_128, std::vector<uint8_t>(20, 0x31));
    std::vector<uint8_t> ct(pt.size()), tag(16);
    ref.Seal(iv.data(), wire.data(), 8, pt.data(), ct.data(), pt.size(), tag.data());
    EXPECT_EQ(ToHex(std::vector<uint8_t>(wire.begin(), wire.begin() + 8)), "0000200000000001");
    EXPECT_EQ(std::vector<uint8_t>(wire.begin() + 8, wire.begin() + 16), iv);
    EXPECT_EQ(std::vector<uint8_t>(wire.begin() + 16, wire.begin() + 40), ct);
    EXPECT_EQ(std::vector<uint8_t>(wire.begin() + 40, wire.end()), tag);

    Ptr<IpsecSa> in = IpsecSa::Create(EspConfig(true, IpsecDirection::INBOUND));
    IpsecTransformResult u = EspTransform::Unprotect(*in, *r.payload);
    ASSERT_FALSE(u.drop);
    EXPECT_EQ(Bytes(*u.payload), payload);
    std::vector<uint8_t> bad = wire;
    bad.back() ^= 1;
    Ptr<IpsecSa> fresh = IpsecSa::Create(EspConfig(true, IpsecDirection::INBOUND));
    u = EspTransform::Unprotect(*fresh, *PacketOf(bad));
    ASSERT_TRUE(u.drop);
    EXPECT_EQ(*u.drop, IpsecDropReason::ICV_FAILURE);
}

TEST(IpsecSaLabel, KeptOnceAndReadAsAString)
{
    IpsecSaConfig a;
    IpsecSaConfig b;
    EXPECT_TRUE(a.label.empty());
    EXPECT_EQ(a.label.str(), "");
    const std::string name = "vpn";
    a.label = "crypto map " + name + " 10";
    b.label = "crypto map vpn 10";
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(&a.label.str(), &b.label.str()) << "one copy of the text for every SA";
    const std::string& text = a.label;
    EXPECT_EQ(text, "crypto map vpn 10");
    std::ostringstream os;
    os << a.label;
    EXPECT_EQ(os.str(), "crypto map vpn 10");
    b.label = "";
    EXPECT_TRUE(b.label.empty());
    EXPECT_NE(a.label, b.label);
    Ptr<IpsecSa> sa = IpsecSa::Create(EspConfig(false, IpsecDirection::OUTBOUND));
    EXPECT_TRUE(sa->GetConfig().label.empty());
}

TEST(IpsecKeyBytes, ReadsAndAssignsLikeAVectorInlineOrOnTheHeap)
{
    // 16 and 20 bytes (AES-128, HMAC-SHA1) are kept inline, 64 (HMAC-SHA512) in a block.
    for (size_t len : {0u, 16u, 20u, 23u, 24u, 36u, 64u})
    {
        SCOPED_TRACE(len);
        std::vector<uint8_t> v(len);
        for (size_t i = 0; i < len; ++i)
        {
            v[i] = static_cast<uint8_t>(i * 7 + 1);
        }
        IpsecKeyBytes k = v;
        EXPECT_EQ(k.size(), len);
        EXPECT_EQ(k.empty(), len == 0);
        EXPECT_EQ(std::vector<uint8_t>(k), v);
        EXPECT_TRUE(std::equal(k.begin(), k.end(), v.begin(), v.end()));
        IpsecKeyBytes copy = k;
        EXPECT_EQ(copy, k);
        copy = copy; // NOLINT: self-assignment keeps the bytes
        EXPECT_EQ(copy, k);
        IpsecKeyBytes moved = std::move(copy);
        EXPECT_EQ(moved, k);
        moved.push_back(0xee);
        EXPECT_EQ(moved.size(), len + 1);
        EXPECT_EQ(moved[len], 0xee);
        EXPECT_NE(moved, k);
        moved.assign(v.begin(), v.end());
        EXPECT_EQ(moved, k);
        moved.clear();
        EXPECT_TRUE(moved.empty());
        moved.assign(len, 0x5a);
        EXPECT_EQ(std::vector<uint8_t>(moved), std::vector<uint8_t>(len, 0x5a));
    }
    IpsecKeyBytes big;
    EXPECT_THROW(big.assign(256, 1), std::length_error);
    std::ostringstream os;
    os << IpsecKeyBytes({0xab, 0x01});
    EXPECT_EQ(os.str(), "ab01");
    // An SA built from either keeps exactly the bytes it was given.
    IpsecSaConfig cfg = EspConfig(false, IpsecDirection::OUTBOUND);
    Ptr<IpsecSa> sa = IpsecSa::Create(cfg);
    EXPECT_EQ(std::vector<uint8_t>(sa->GetConfig().cipherKey), std::vector<uint8_t>(16, 0x31));
    EXPECT_EQ(std::vector<uint8_t>(sa->GetConfig().authKey), std::vector<uint8_t>(20, 0x32));
}
