// Tests for the byte sources and hex helpers.
#include "ns3/byte-source.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3::ipsec;

namespace
{
using Bytes = std::vector<uint8_t>;
} // namespace

// ---------------------------------------------------------------------------------------------
// DeterministicByteSource

TEST(DeterministicByteSourceTest, KnownAnswer)
{
    // Reference computed outside this code base:
    //   key = sha256(b"node0/esp-iv" + (1).to_bytes(8, "big") + (7).to_bytes(8, "big"))  (Python)
    //   head -c 48 /dev/zero | openssl enc -aes-256-ctr -K <key> -iv 000...0             (CLI)
    DeterministicByteSource s(1, 7, "node0/esp-iv");
    EXPECT_EQ(ToHex(s.Bytes(48)), "c899e0c1e06126800a457ee469c1a6b60920620c110829d4e688bcf05be1ae68"
                                  "786e028d225bb3219decb0d5104cead3");
    // Empty label, seed 0, run 0.
    DeterministicByteSource z(0, 0, "");
    EXPECT_EQ(ToHex(z.Bytes(32)),
              "1241af55378b61479bea1edf69c40f16520ac7fb863a92edd9d552305e200d89");
}

TEST(DeterministicByteSourceTest, SameInputsSameStream)
{
    DeterministicByteSource a(42, 3, "node1/spi");
    DeterministicByteSource b(42, 3, "node1/spi");
    EXPECT_EQ(a.Bytes(1000), b.Bytes(1000));
    EXPECT_EQ(a.Uint32(), b.Uint32());
}

TEST(DeterministicByteSourceTest, DifferentInputsDifferentStreams)
{
    const Bytes base = DeterministicByteSource(42, 3, "node1/spi").Bytes(64);
    EXPECT_NE(DeterministicByteSource(42, 3, "node1/esp-iv").Bytes(64), base) << "label";
    EXPECT_NE(DeterministicByteSource(42, 3, "node2/spi").Bytes(64), base) << "label";
    EXPECT_NE(DeterministicByteSource(43, 3, "node1/spi").Bytes(64), base) << "seed";
    EXPECT_NE(DeterministicByteSource(42, 4, "node1/spi").Bytes(64), base) << "run";
    EXPECT_NE(DeterministicByteSource(3, 42, "node1/spi").Bytes(64), base) << "seed/run swapped";
    // seed and run are fixed-width words after the label: no ambiguity with label text.
    EXPECT_NE(DeterministicByteSource(0, 0, "a").Bytes(32),
              DeterministicByteSource(0, 0, "").Bytes(32));
}

TEST(DeterministicByteSourceTest, StreamIsPositionBased)
{
    DeterministicByteSource whole(5, 5, "split");
    const Bytes all = whole.Bytes(100);
    DeterministicByteSource parts(5, 5, "split");
    Bytes joined;
    for (size_t n : {1u, 15u, 16u, 0u, 17u, 3u, 48u})
    {
        const Bytes p = parts.Bytes(n);
        joined.insert(joined.end(), p.begin(), p.end());
    }
    ASSERT_EQ(joined.size(), all.size());
    EXPECT_EQ(joined, all);
}

TEST(DeterministicByteSourceTest, LooksRandomEnough)
{
    DeterministicByteSource s(1, 1, "stats");
    const Bytes b = s.Bytes(1 << 16);
    size_t ones = 0;
    std::set<uint8_t> seen;
    for (uint8_t x : b)
    {
        ones += static_cast<size_t>(__builtin_popcount(x));
        seen.insert(x);
    }
    const double frac = static_cast<double>(ones) / (8.0 * b.size());
    EXPECT_NEAR(frac, 0.5, 0.01);
    EXPECT_EQ(seen.size(), 256u);
}

TEST(DeterministicByteSourceTest, UsableThroughBasePointer)
{
    std::unique_ptr<ByteSource> s = std::make_unique<DeterministicByteSource>(1, 2, "ptr");
    EXPECT_EQ(s->Bytes(16), DeterministicByteSource(1, 2, "ptr").Bytes(16));
    EXPECT_TRUE(s->Bytes(0).empty());
}

// ---------------------------------------------------------------------------------------------
// FixedByteSource and the ByteSource helpers

TEST(FixedByteSourceTest, ReplaysAndCycles)
{
    FixedByteSource s({1, 2, 3, 4, 5});
    EXPECT_EQ(s.Bytes(3), (Bytes{1, 2, 3}));
    EXPECT_EQ(s.Bytes(4), (Bytes{4, 5, 1, 2}));
    EXPECT_EQ(s.Bytes(12), (Bytes{3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4}));
    EXPECT_EQ(s.Bytes(1), (Bytes{5}));
    EXPECT_EQ(s.Bytes(1), (Bytes{1}));

    FixedByteSource one({0xab});
    EXPECT_EQ(one.Bytes(4), (Bytes{0xab, 0xab, 0xab, 0xab}));
}

TEST(FixedByteSourceTest, EmptyIsRejected)
{
    EXPECT_THROW(FixedByteSource(Bytes{}), std::invalid_argument);
}

TEST(FixedByteSourceTest, Uint32IsBigEndian)
{
    FixedByteSource s({0x01, 0x02, 0x03, 0x04, 0xff, 0xfe, 0xfd, 0xfc});
    EXPECT_EQ(s.Uint32(), 0x01020304u);
    EXPECT_EQ(s.Uint32(), 0xfffefdfcu);
    EXPECT_EQ(s.Uint32(), 0x01020304u);
}

// ---------------------------------------------------------------------------------------------
// Hex helpers

TEST(HexTest, RoundTripAllBytes)
{
    Bytes all(256);
    for (size_t i = 0; i < all.size(); ++i)
    {
        all[i] = static_cast<uint8_t>(i);
    }
    const std::string hex = ToHex(all);
    EXPECT_EQ(hex.size(), 512u);
    EXPECT_EQ(hex.substr(0, 8), "00010203");
    EXPECT_EQ(hex.substr(504), "fcfdfeff");
    EXPECT_EQ(hex.find_first_of("ABCDEFxX"), std::string::npos) << "lowercase, no prefix";
    EXPECT_EQ(FromHex(hex), all);
    EXPECT_EQ(ToHex(all.data(), 3), "000102");
    EXPECT_EQ(ToHex(Bytes{}), "");
}

TEST(HexTest, AcceptedForms)
{
    EXPECT_EQ(FromHex("0xDEADbeef"), (Bytes{0xde, 0xad, 0xbe, 0xef}));
    EXPECT_EQ(FromHex("0XdeadBEEF"), (Bytes{0xde, 0xad, 0xbe, 0xef}));
    EXPECT_EQ(FromHex("00ff"), (Bytes{0x00, 0xff}));
    EXPECT_TRUE(FromHex("").empty());
    EXPECT_TRUE(FromHex("0x").empty());
    EXPECT_EQ(FromHex("0x00"), (Bytes{0x00}));
}

TEST(HexTest, ErrorsAreRejected)
{
    for (const char* bad :
         {"abc", "0x123", "0", "zz", "0g", "12 34", "0x0x12", "x012", "12-3", "\xff\xfe"})
    {
        EXPECT_THROW(FromHex(bad), std::invalid_argument) << "\"" << bad << "\"";
    }
    try
    {
        FromHex("12g4");
        ADD_FAILURE() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'g'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("position 2"), std::string::npos) << msg;
    }
    try
    {
        FromHex("0x123");
        ADD_FAILURE() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("odd"), std::string::npos) << e.what();
    }
}
