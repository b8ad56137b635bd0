// The anti-replay window size and its absence, through real ESP packets: what IOS's `set
// security-association replay window-size N` and `replay disable` give an inbound SA.
#include "ns3/byte-source.h"
#include "ns3/ipsec-transforms.h"

#include "ns3/packet.h"

#include <gtest/gtest.h>

#include <vector>

using namespace ns3;

namespace
{

IpsecSaConfig
Config(IpsecDirection dir, uint32_t window)
{
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.direction = dir;
    c.spi = 0x1234;
    c.cipher = ipsec::CipherAlgorithm::AES_CBC_128;
    c.cipherKey = std::vector<uint8_t>(16, 0x11);
    c.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
    c.authKey = std::vector<uint8_t>(20, 0x22);
    c.replayWindow = window;
    return c;
}

/** ESP packets with sequence numbers 1..n from one outbound SA. */
std::vector<Ptr<Packet>>
Sent(uint32_t n)
{
    Ptr<IpsecSa> out = IpsecSa::Create(Config(IpsecDirection::OUTBOUND, 64));
    ipsec::FixedByteSource iv(std::vector<uint8_t>(16, 0x33));
    std::vector<Ptr<Packet>> v;
    for (uint32_t i = 1; i <= n; ++i)
    {
        IpsecTransformResult r = EspTransform::Protect(*out, iv, *Create<Packet>(100), 17);
        EXPECT_FALSE(r.drop);
        v.push_back(r.payload);
    }
    return v;
}

/** Deliver packet @p seq (1-based) of @p sent to @p in: accepted? */
bool
Accepts(IpsecSa& in, const std::vector<Ptr<Packet>>& sent, uint32_t seq)
{
    IpsecTransformResult r = EspTransform::Unprotect(in, *sent.at(seq - 1));
    if (r.drop)
    {
        EXPECT_EQ(*r.drop, IpsecDropReason::REPLAY);
    }
    return !r.drop;
}

} // namespace

TEST(ReplayWindowSize, OlderThan64ButWithin128AcceptedOnlyWith128)
{
    const auto sent = Sent(200);
    Ptr<IpsecSa> w64 = IpsecSa::Create(Config(IpsecDirection::INBOUND, 64));
    Ptr<IpsecSa> w128 = IpsecSa::Create(Config(IpsecDirection::INBOUND, 128));
    ASSERT_TRUE(Accepts(*w64, sent, 200));
    ASSERT_TRUE(Accepts(*w128, sent, 200));
    // 100 lies 100 behind the highest: outside a 64-packet window, inside a 128-packet one.
    EXPECT_FALSE(Accepts(*w64, sent, 100));
    EXPECT_TRUE(Accepts(*w128, sent, 100));
    // 60 is 140 behind: too old for both.
    EXPECT_FALSE(Accepts(*w128, sent, 60));
    EXPECT_EQ(w128->GetReplayWindow()->GetWindowSize(), 128u);
}

TEST(ReplayWindowSize, DisabledAcceptsDuplicatesAndOldPackets)
{
    const auto sent = Sent(300);
    Ptr<IpsecSa> on = IpsecSa::Create(Config(IpsecDirection::INBOUND, 64));
    Ptr<IpsecSa> off = IpsecSa::Create(Config(IpsecDirection::INBOUND, 0));
    EXPECT_EQ(off->GetReplayWindow(), nullptr);
    for (IpsecSa* sa : {PeekPointer(on), PeekPointer(off)})
    {
        ASSERT_TRUE(Accepts(*sa, sent, 5));
    }
    EXPECT_FALSE(Accepts(*on, sent, 5)); // a duplicate
    EXPECT_TRUE(Accepts(*off, sent, 5));
    EXPECT_TRUE(Accepts(*off, sent, 5));
    ASSERT_TRUE(Accepts(*off, sent, 300));
    EXPECT_TRUE(Accepts(*off, sent, 1)); // 299 behind
    EXPECT_EQ(off->GetPackets(), 5u);
}

TEST(ReplayWindowSize, LargestIosWindowWorks)
{
    const auto sent = Sent(1100);
    Ptr<IpsecSa> in = IpsecSa::Create(Config(IpsecDirection::INBOUND, 1024));
    ASSERT_TRUE(Accepts(*in, sent, 1100));
    EXPECT_TRUE(Accepts(*in, sent, 1100 - 1023));
    EXPECT_FALSE(Accepts(*in, sent, 1100 - 1024));
}
