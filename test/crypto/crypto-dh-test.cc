// Known-answer and behaviour tests for the Oakley MODP Diffie-Hellman groups.
#include "ns3/byte-source.h"
#include "ns3/diffie-hellman.h"

#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace ns3::ipsec;

namespace
{

using Bytes = std::vector<uint8_t>;

const int kGroups[] = {1, 2, 5, 14};

/** Remove the blanks of an RFC-formatted hex block. */
std::string
Compact(const std::string& s)
{
    std::string out;
    for (char c : s)
    {
        if (c != ' ' && c != '\n')
        {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return out;
}

// The primes exactly as printed in the RFCs. They were also re-derived from the RFCs' formulas
// (p = 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k)) with Python integer arithmetic.

// RFC 2409 section 6.1, First Oakley Default Group (768-bit MODP).
const char* kRfc2409Prime768 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                               "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                               "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                               "E485B576 625E7EC6 F44C42E9 A63A3620 FFFFFFFF FFFFFFFF";

// RFC 2409 section 6.2, Second Oakley Group (1024-bit MODP).
const char* kRfc2409Prime1024 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                                "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                                "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                                "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED\n"
                                "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE65381\n"
                                "FFFFFFFF FFFFFFFF";

// RFC 3526 section 2, 1536-bit MODP Group (group 5).
const char* kRfc3526Prime1536 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                                "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                                "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                                "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED\n"
                                "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D\n"
                                "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F\n"
                                "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D\n"
                                "670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF";

// RFC 3526 section 3, 2048-bit MODP Group (group 14).
const char* kRfc3526Prime2048 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                                "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                                "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                                "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED\n"
                                "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D\n"
                                "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F\n"
                                "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D\n"
                                "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B\n"
                                "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9\n"
                                "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510\n"
                                "15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

std::string
RfcPrimeHex(int group)
{
    switch (group)
    {
    case 1:
        return Compact(kRfc2409Prime768);
    case 2:
        return Compact(kRfc2409Prime1024);
    case 5:
        return Compact(kRfc3526Prime1536);
    default:
        return Compact(kRfc3526Prime2048);
    }
}

/** Bytes first, first+1, ... (mod 256): the FixedByteSource patterns of the KATs below. */
Bytes
Pattern(uint8_t first, size_t n)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = static_cast<uint8_t>(first + i);
    }
    return out;
}

/** p - k as big-endian bytes of the prime's length (k small). */
Bytes
PrimeMinus(int group, unsigned k)
{
    Bytes p = DhPrime(group);
    int borrow = static_cast<int>(k);
    for (size_t i = p.size(); i-- > 0 && borrow != 0;)
    {
        int v = p[i] - (borrow & 0xff);
        borrow >>= 8;
        if (v < 0)
        {
            v += 256;
            borrow += 1;
        }
        p[i] = static_cast<uint8_t>(v);
    }
    return p;
}

Bytes
Small(int group, uint8_t v)
{
    Bytes b(DhPrimeBytes(group), 0);
    b.back() = v;
    return b;
}

} // namespace

TEST(DhTest, SupportedGroupsAndSizes)
{
    EXPECT_TRUE(IsSupportedDhGroup(1));
    EXPECT_TRUE(IsSupportedDhGroup(2));
    EXPECT_TRUE(IsSupportedDhGroup(5));
    EXPECT_TRUE(IsSupportedDhGroup(14));
    for (int g : {0, 3, 4, 15, 16, 19, 24, -1})
    {
        EXPECT_FALSE(IsSupportedDhGroup(g)) << g;
        EXPECT_THROW(DhPrimeBytes(g), std::invalid_argument) << g;
        EXPECT_THROW(DhPrime(g), std::invalid_argument) << g;
        EXPECT_THROW(DhPrivateExponentBytes(g), std::invalid_argument) << g;
        FixedByteSource rng({1, 2, 3});
        EXPECT_THROW(DhKeyPair(g, rng), std::invalid_argument) << g;
    }
    EXPECT_EQ(DhPrimeBytes(1), 96u);
    EXPECT_EQ(DhPrimeBytes(2), 128u);
    EXPECT_EQ(DhPrimeBytes(5), 192u);
    EXPECT_EQ(DhPrimeBytes(14), 256u);
    EXPECT_EQ(DhPrivateExponentBytes(1), 20u);
    EXPECT_EQ(DhPrivateExponentBytes(2), 20u);
    EXPECT_EQ(DhPrivateExponentBytes(5), 30u);
    EXPECT_EQ(DhPrivateExponentBytes(14), 40u);
}

TEST(DhTest, PrimesMatchRfcText)
{
    for (int g : kGroups)
    {
        SCOPED_TRACE("group " + std::to_string(g));
        const Bytes p = DhPrime(g);
        EXPECT_EQ(p.size(), DhPrimeBytes(g));
        EXPECT_EQ(ToHex(p), RfcPrimeHex(g));
    }
}

TEST(DhTest, TwoPartiesAgree)
{
    for (int g : kGroups)
    {
        SCOPED_TRACE("group " + std::to_string(g));
        DeterministicByteSource ra(5, 1, "dh-test/initiator");
        DeterministicByteSource rb(5, 1, "dh-test/responder");
        DhKeyPair a(g, ra);
        DhKeyPair b(g, rb);
        EXPECT_EQ(a.Group(), g);
        EXPECT_EQ(a.PublicValue().size(), DhPrimeBytes(g));
        EXPECT_EQ(b.PublicValue().size(), DhPrimeBytes(g));
        EXPECT_NE(a.PublicValue(), b.PublicValue());
        EXPECT_LT(ToHex(a.PublicValue()), ToHex(DhPrime(g))) << "g^x mod p < p";
        const Bytes sa = a.ComputeShared(b.PublicValue());
        const Bytes sb = b.ComputeShared(a.PublicValue());
        EXPECT_EQ(sa.size(), DhPrimeBytes(g));
        EXPECT_EQ(sa, sb);
        EXPECT_NE(sa, a.PublicValue());
    }
}

TEST(DhTest, DeterministicFromByteSource)
{
    DeterministicByteSource r1(9, 4, "dh-test/same");
    DeterministicByteSource r2(9, 4, "dh-test/same");
    DhKeyPair a(14, r1);
    DhKeyPair b(14, r2);
    EXPECT_EQ(a.PublicValue(), b.PublicValue());
    DeterministicByteSource r3(9, 5, "dh-test/same");
    DhKeyPair c(14, r3);
    EXPECT_NE(a.PublicValue(), c.PublicValue());
}

// Known answers computed independently with Python 3 integers (pow(2, x, p) and pow(yb, xa, p))
// from the RFC primes. Party A's exponent is the first DhPrivateExponentBytes bytes of
// 01 02 03 ..., party B's of a0 a1 a2 ..., each with its top bit forced to 1 as DhKeyPair does.
namespace
{
struct DhKat
{
    int group;
    const char* publicA;
    const char* shared;
};

const DhKat kDhKats[] = {
    {1,
     "55fe735f1bb24c22484e689ac79b0d63ccca20d2a57e0f5a54d1e4eeca5200b8"
     "31db1a39b7279e53731487ddabe23bd8ae3d46dbce1bf8f4ce64d471d7399539"
     "4686976a4282b2b0fd77ff3277d21cad5a3578ab333aa1816dc4d3b056a340ff",
     "98a85fd2021f5d4473c24e5afdd90b1690b1ff1595e8b5abe1a9d400082aadb3"
     "d635e4971e96fc3281c8c149912c82ea974d5692d6f1e6879a179e68898e9489"
     "b25e46b093e0708ebb44810ffc1c1cb2a4080502f32d8c51db41a398fc786d37"},
    {2,
     "cb132aa283954fba6191565d541192b3276ffbbef7de48cfd636316ccb872702"
     "9159860fc9ab76b151e61e538b302b1f4290f19cfc37e3ea7304f20afa4d1306"
     "43dd2d99d56405131badb6f5a7e1d5c4c8f9c232aef7c2b68783fa9f9e6cedaf"
     "6ad763b351a6e99a0c52db5ce8e201c8ea57e8a306eeb4baa3543e0591dff445",
     "f4392b7905da29287d44ac15557c60d13348de92378903f0683a0726dfbb4534"
     "693aa054ab07856501893e15f7da79400da05b24ee99606f35d8991c78e84827"
     "eb20846b5e9dd0f15e75a07b44ca775109c9c1d87f762b94c2744026f72fb4e1"
     "206508969b8ef9d52337d69b42233044e4ce8ead3143211708cf81ef2803503a"},
    {5,
     "047945ef63e1e143e5222b06aefa0bed25d9ac6f5fc9bb78121680f0995409e4"
     "e1df93733154322677d59a7fd36efd02b1feabcf13d00df1beb7a2fcd0a6dbe5"
     "ea1cd76978f3cc66f511e1b6bb22d24202f8fce74679774a38a1d18303e37982"
     "9dfeadcbd4680e73ebaa08c08fb187fe4f298f88844ec16313dcde88efc1db5d"
     "ad2b3f8ee13e7eac9f5f5da3d730e4e6485ff935c69ca0f1ae0a52b5a940a451"
     "8066d884969697385b617d2170c854cdf41aceda4f225c690fe2506d9593bc8b",
     "7690f3513aa064b50f15735599b68d9c3cbcd1a31558f9d13637ddf17c0dd2af"
     "ebc640332b3fa6120ef87ec158657f1dbc7b6fda468ccb87ff98873a2f29afb0"
     "20caf8550e7d6f4cee847e02a3d71cedb95ff51eb3a8543ccfa93371fb8503f5"
     "e792b304cfe5a7a618829930980b7ece8e4169a79f9abc204090fda566436b8a"
     "7b5732c8c1c4d1b222477eccb3408a6251cb82cfcccfc2e4fa78d231d2dd2cb5"
     "76cae2feb94d403c73b65c6dd2dd9e6feadacb43b07984ba23d5b7f6eaba6cd9"},
    {14,
     "daab5fdb22cea799f390093c3df799200acc1ee6ae722be873845ebc675c2f86"
     "6256af6598841fbf6d2265ce2af0fe0020ab87b276938479556b85adf7bc3240"
     "e49375ee20bd4c229360f2e534ea08f7b944b3b5020a1c54f1d1ba087d0a216d"
     "fb86fd75bd5041eeb3da2e851d9c4ec065ba353f3d565e2ffc55b36d3a50a8c4"
     "f4b441a6cd46b9fe5fe753345f845c4a705885b6d7a54492e2c2dcc936bf5402"
     "b0c5e70e981de2bd1976de98473f49c348e83966b5389449e1137940c88ffaf0"
     "60f06ccd6bb3f5577ae1c0d01b60861db3d9c700ce11b0be220c4370738b5105"
     "bfad408fa708ba1a97ae14ea7f69f4a18a3581aa3938913f836b46f35d4df552",
     "c29d1bbd789f2a7e54ee6baf1a5902a74a04b60bb46dee2d0eace1146f314e32"
     "a2a3d9463270dc90dc6a2784b0d9b1e964c0420a4f4d24b3a933637ea3eca8a3"
     "3464a76a3819e8e498c6066e65479b27c214f9376d8c51d114ce03f60d35f707"
     "05faae7c7715b0b318350748f07c1c2314fe450540af7e0c441965e7164e190a"
     "e3b17119dd6ce4b6fa3a39f8a89e7d7e62bd9c1c78ea59a65db89469d5f1b7a5"
     "284f4ca67462cf3d569ec9b270eaa06e74a779b185451e117694697aa91a0257"
     "02ebc4feab8c1db5043ac6469bb30ebc7ba017d56b87b9159ffaea461718d8af"
     "eae26810a0320f89defde0adc5a773c173a8bb4455b90ad71681284a5ab715f7"},
};
} // namespace

TEST(DhTest, KnownAnswersFromFixedExponents)
{
    for (const auto& kat : kDhKats)
    {
        SCOPED_TRACE("group " + std::to_string(kat.group));
        FixedByteSource ra(Pattern(0x01, 64));
        FixedByteSource rb(Pattern(0xa0, 64));
        DhKeyPair a(kat.group, ra);
        DhKeyPair b(kat.group, rb);
        EXPECT_EQ(ToHex(a.PublicValue()), kat.publicA);
        EXPECT_EQ(ToHex(a.ComputeShared(b.PublicValue())), kat.shared);
        EXPECT_EQ(ToHex(b.ComputeShared(a.PublicValue())), kat.shared);
    }
}

TEST(DhTest, LeftPaddingOfShortValues)
{
    // Exponent bytes found (with Python) so that g^x mod p, and then g^xy mod p, have a leading
    // zero byte in group 1; both must still be 96 bytes long.
    FixedByteSource r1(FromHex("2e2f303132333435363738393a3b3c3d3e3f4041"));
    DhKeyPair shortPublic(1, r1);
    ASSERT_EQ(shortPublic.PublicValue().size(), 96u);
    EXPECT_EQ(ToHex(shortPublic.PublicValue()),
              "0028945b888252c142e92c7bcbee3b71af19b159006b577ab37c05e6dc1bbe01"
              "9dda0c307e0190bb85e0f9c1d91a69afbdddc608cae2326b45804091f1efac14"
              "8b28c1b7cc4c1ef204b263c1a9582e429864e4056f94ac66f5aee4977597b17f");

    FixedByteSource ra(Pattern(0x01, 64));
    FixedByteSource rb(FromHex("01434445464748494a4b4c4d4e4f505152535455"));
    DhKeyPair a(1, ra);
    DhKeyPair b(1, rb);
    const Bytes shared = a.ComputeShared(b.PublicValue());
    ASSERT_EQ(shared.size(), 96u);
    EXPECT_EQ(ToHex(shared), "001497b2cc233d1ac75e0ff9626c0dd942834a309f66896570f20a3a6068156c"
                             "fb957e784f078c02289ba530dac4f55685e4bc9059500bf380d845ae85330291"
                             "7b37d91120ee2c0258972a70fe84e798825d726439bbd81dbeb2d3839b0ad5c0");
    EXPECT_EQ(b.ComputeShared(a.PublicValue()), shared);
}

TEST(DhTest, InvalidPeerValuesRejected)
{
    for (int g : kGroups)
    {
        SCOPED_TRACE("group " + std::to_string(g));
        DeterministicByteSource rng(3, 3, "dh-test/invalid");
        DhKeyPair kp(g, rng);
        const size_t n = DhPrimeBytes(g);
        const std::vector<std::pair<std::string, Bytes>> bad = {
            {"0", Small(g, 0)},
            {"1", Small(g, 1)},
            {"p-1", PrimeMinus(g, 1)},
            {"p", DhPrime(g)},
            {"all ones (> p)", Bytes(n, 0xff)},
            {"too short", Bytes(n - 1, 0x02)},
            {"too long", Bytes(n + 1, 0x02)},
            {"empty", Bytes()},
        };
        for (const auto& [what, value] : bad)
        {
            EXPECT_THROW(kp.ComputeShared(value), std::invalid_argument) << what;
        }
        try
        {
            kp.ComputeShared(Bytes(n - 1, 0x02));
        }
        catch (const std::invalid_argument& e)
        {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(std::to_string(n)), std::string::npos) << msg;
            EXPECT_NE(msg.find(std::to_string(n - 1)), std::string::npos) << msg;
        }
        // The boundaries of the valid range are accepted.
        EXPECT_NO_THROW(kp.ComputeShared(Small(g, 2)));
        EXPECT_NO_THROW(kp.ComputeShared(PrimeMinus(g, 2)));
    }
}
