// Known-answer and behaviour tests for the IKE Diffie-Hellman groups: MODP 1, 2, 5, 14, 15, 16
// and 24, ECP 19, 20 and 21.
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

/** The safe-prime MODP groups (generator 2). */
const int kGroups[] = {1, 2, 5, 14, 15, 16};
/** Every supported group. */
const int kAllGroups[] = {1, 2, 5, 14, 15, 16, 19, 20, 21, 24};

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

// RFC 3526 section 4, 3072-bit MODP Group (group 15).
const char* kRfc3526Prime3072 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                                "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                                "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                                "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED\n"
                                "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D\n"
                                "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F\n"
                                "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D\n"
                                "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B\n"
                                "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9\n"
                                "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510\n"
                                "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64\n"
                                "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7\n"
                                "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B\n"
                                "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C\n"
                                "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31\n"
                                "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF";

// RFC 3526 section 5, 4096-bit MODP Group (group 16).
const char* kRfc3526Prime4096 = "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1\n"
                                "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD\n"
                                "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245\n"
                                "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED\n"
                                "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D\n"
                                "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F\n"
                                "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D\n"
                                "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B\n"
                                "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9\n"
                                "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510\n"
                                "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64\n"
                                "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7\n"
                                "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B\n"
                                "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C\n"
                                "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31\n"
                                "43DB5BFC E0FD108E 4B82D120 A9210801 1A723C12 A787E6D7\n"
                                "88719A10 BDBA5B26 99C32718 6AF4E23C 1A946834 B6150BDA\n"
                                "2583E9CA 2AD44CE8 DBBBC2DB 04DE8EF9 2E8EFC14 1FBECAA6\n"
                                "287C5947 4E6BC05D 99B2964F A090C3A2 233BA186 515BE7ED\n"
                                "1F612970 CEE2D7AF B81BDD76 2170481C D0069127 D5B05AA9\n"
                                "93B4EA98 8D8FDDC1 86FFB7DC 90A6C08F 4DF435C9 34063199\n"
                                "FFFFFFFF FFFFFFFF";

// RFC 5114 section 2.3, 2048-bit MODP Group with 256-bit Prime Order Subgroup (group 24): p
// and the generator g of the order-q subgroup.
const char* kRfc5114Prime2048 = "87A8E61D B4B6663C FFBBD19C 65195999 8CEEF608 660DD0F2\n"
                                "5D2CEED4 435E3B00 E00DF8F1 D61957D4 FAF7DF45 61B2AA30\n"
                                "16C3D911 34096FAA 3BF4296D 830E9A7C 209E0C64 97517ABD\n"
                                "5A8A9D30 6BCF67ED 91F9E672 5B4758C0 22E0B1EF 4275BF7B\n"
                                "6C5BFC11 D45F9088 B941F54E B1E59BB8 BC39A0BF 12307F5C\n"
                                "4FDB70C5 81B23F76 B63ACAE1 CAA6B790 2D525267 35488A0E\n"
                                "F13C6D9A 51BFA4AB 3AD83477 96524D8E F6A167B5 A41825D9\n"
                                "67E144E5 14056425 1CCACB83 E6B486F6 B3CA3F79 71506026\n"
                                "C0B857F6 89962856 DED4010A BD0BE621 C3A3960A 54E710C3\n"
                                "75F26375 D7014103 A4B54330 C198AF12 6116D227 6E11715F\n"
                                "693877FA D7EF09CA DB094AE9 1E1A1597";
const char* kRfc5114Generator2048 = "3FB32C9B 73134D0B 2E775066 60EDBD48 4CA7B18F 21EF2054\n"
                                    "07F4793A 1A0BA125 10DBC150 77BE463F FF4FED4A AC0BB555\n"
                                    "BE3A6C1B 0C6B47B1 BC3773BF 7E8C6F62 901228F8 C28CBB18\n"
                                    "A55AE313 41000A65 0196F931 C77A57F2 DDF463E5 E9EC144B\n"
                                    "777DE62A AAB8A862 8AC376D2 82D6ED38 64E67982 428EBC83\n"
                                    "1D14348F 6F2F9193 B5045AF2 767164E1 DFC967C1 FB3F2E55\n"
                                    "A4BD1BFF E83B9C80 D052B985 D182EA0A DB2A3B73 13D3FE14\n"
                                    "C8484B1E 052588B9 B7D2BBD2 DF016199 ECD06E15 57CD0915\n"
                                    "B3353BBB 64E0EC37 7FD02837 0DF92B52 C7891428 CDC67EB6\n"
                                    "184B523D 1DB246C3 2F630784 90F00EF8 D647D148 D4795451\n"
                                    "5E2327CF EF98C582 664B4C0F 6CC41659";

// RFC 5903 section 3 (the field primes of P-256, P-384 and P-521).
const char* kRfc5903Prime256 =
    "FFFFFFFF 00000001 00000000 00000000 00000000 FFFFFFFF FFFFFFFF FFFFFFFF";
const char* kRfc5903Prime384 = "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF\n"
                               "FFFFFFFE FFFFFFFF 00000000 00000000 FFFFFFFF";

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
    case 14:
        return Compact(kRfc3526Prime2048);
    case 15:
        return Compact(kRfc3526Prime3072);
    case 16:
        return Compact(kRfc3526Prime4096);
    case 19:
        return Compact(kRfc5903Prime256);
    case 20:
        return Compact(kRfc5903Prime384);
    case 21:
        return "01" + std::string(130, 'f'); // 2^521 - 1 in 66 bytes
    default:
        return Compact(kRfc5114Prime2048);
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
    EXPECT_EQ(SupportedDhGroups(), std::vector<int>(std::begin(kAllGroups), std::end(kAllGroups)));
    for (int g : kAllGroups)
    {
        EXPECT_TRUE(IsSupportedDhGroup(g)) << g;
    }
    for (int g : {0, 3, 4, 6, 17, 18, 22, 23, 25, 26, 31, -1})
    {
        EXPECT_FALSE(IsSupportedDhGroup(g)) << g;
        EXPECT_THROW(DhPrimeBytes(g), std::invalid_argument) << g;
        EXPECT_THROW(DhPrime(g), std::invalid_argument) << g;
        EXPECT_THROW(DhPrivateExponentBytes(g), std::invalid_argument) << g;
        EXPECT_THROW(DhPublicValueBytes(g), std::invalid_argument) << g;
        EXPECT_THROW(DhGroupTypeOf(g), std::invalid_argument) << g;
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
    // RFC 3526 section 8, "Strength Estimate 2": 420 bits (53 bytes) and 480 bits.
    EXPECT_EQ(DhPrimeBytes(15), 384u);
    EXPECT_EQ(DhPrimeBytes(16), 512u);
    EXPECT_EQ(DhPrivateExponentBytes(15), 53u);
    EXPECT_EQ(DhPrivateExponentBytes(16), 60u);
    // Group 24: 2048-bit p, 256-bit q.
    EXPECT_EQ(DhPrimeBytes(24), 256u);
    EXPECT_EQ(DhPublicValueBytes(24), 256u);
    EXPECT_EQ(DhPrivateExponentBytes(24), 32u);
    // ECP (RFC 5903 7): KE data x || y, shared secret x.
    const std::vector<std::pair<int, size_t>> ecp = {{19, 32}, {20, 48}, {21, 66}};
    for (const auto& [g, n] : ecp)
    {
        EXPECT_EQ(DhGroupTypeOf(g), DhGroupType::ECP) << g;
        EXPECT_EQ(DhPrimeBytes(g), n) << g;
        EXPECT_EQ(DhPublicValueBytes(g), 2 * n) << g;
        EXPECT_EQ(DhSharedSecretBytes(g), n) << g;
        EXPECT_EQ(DhPrivateExponentBytes(g), n) << g;
        EXPECT_THROW(DhGenerator(g), std::invalid_argument) << g;
    }
    for (int g : {1, 2, 5, 14, 15, 16, 24})
    {
        EXPECT_EQ(DhGroupTypeOf(g), DhGroupType::MODP) << g;
        EXPECT_EQ(DhPublicValueBytes(g), DhPrimeBytes(g)) << g;
        EXPECT_EQ(DhSharedSecretBytes(g), DhPrimeBytes(g)) << g;
    }
    EXPECT_EQ(DhGroupText(19), "ECP 256-bit (P-256)");
    EXPECT_EQ(DhGroupText(15), "MODP 3072-bit");
}

TEST(DhTest, PrimesMatchRfcText)
{
    for (int g : kAllGroups)
    {
        SCOPED_TRACE("group " + std::to_string(g));
        const Bytes p = DhPrime(g);
        EXPECT_EQ(p.size(), DhPrimeBytes(g));
        EXPECT_EQ(ToHex(p), RfcPrimeHex(g));
    }
}

TEST(DhTest, GeneratorsMatchRfcText)
{
    // Generator 2 for the safe-prime groups; RFC 5114's g (not 2) for group 24.
    for (int g : kGroups)
    {
        Bytes two(DhPrimeBytes(g), 0);
        two.back() = 2;
        EXPECT_EQ(DhGenerator(g), two) << g;
    }
    EXPECT_EQ(ToHex(DhGenerator(24)), Compact(kRfc5114Generator2048));
}

TEST(DhTest, TwoPartiesAgree)
{
    for (int g : kAllGroups)
    {
        SCOPED_TRACE("group " + std::to_string(g));
        DeterministicByteSource ra(5, 1, "dh-test/initiator");
        DeterministicByteSource rb(5, 1, "dh-test/responder");
        DhKeyPair a(g, ra);
        DhKeyPair b(g, rb);
        EXPECT_EQ(a.Group(), g);
        EXPECT_EQ(a.PublicValue().size(), DhPublicValueBytes(g));
        EXPECT_EQ(b.PublicValue().size(), DhPublicValueBytes(g));
        EXPECT_NE(a.PublicValue(), b.PublicValue());
        const Bytes ax(a.PublicValue().begin(), a.PublicValue().begin() + DhPrimeBytes(g));
        EXPECT_LT(ToHex(ax), ToHex(DhPrime(g))) << "g^x mod p < p, or x < p";
        const Bytes sa = a.ComputeShared(b.PublicValue());
        const Bytes sb = b.ComputeShared(a.PublicValue());
        EXPECT_EQ(sa.size(), DhSharedSecretBytes(g));
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
    for (int g : {19, 24})
    {
        DeterministicByteSource s1(9, 4, "dh-test/same");
        DeterministicByteSource s2(9, 4, "dh-test/same");
        EXPECT_EQ(DhKeyPair(g, s1).PublicValue(), DhKeyPair(g, s2).PublicValue()) << g;
    }
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

// The known answers of RFC 5903 section 8 (groups 19, 20, 21: i, g^i, r, g^r and g^ir, the
// latter the x coordinate only) and RFC 5114 appendix A.3 (group 24: xA, yA, xB, yB and Z),
// checked also with Python's `cryptography` (ECDH) and pow() before they were written here.
// Our private value is c mod (q-1) + 1 for c from the ByteSource, so a source replaying eight
// zero bytes and then the bytes of i-1 gives exactly i.
namespace
{
struct RfcKat
{
    int group;
    const char* privateI;
    const char* privateR;
    const char* publicI;
    const char* publicR;
    const char* shared;
};

const RfcKat kRfcKats[] = {
    {19, "814264145f2f56f2e96a8e337a1284993faf432a5abce59e867b7291d507a3af",
     "2ce1788ec197e096db95a200cc0ab26a19ce6bccad562b8eee1b593761cf7f41",
     "2af502f3be8952f2c9b5a8d4160d09e97165be50bc42ae4a5e8d3b4ba83aeb15"
     "eb0faf4ca986c4d38681a0f9872d79d56795bd4bff6e6de3c0f5015ece5efd85",
     "b120de4aa36492795346e8de6c2c8646ae06aaea279fa775b3ab0715f6ce51b0"
     "9f1b7eece20d7b5ed8ec685fa3f071d83727027092a8411385c34dde5708b2b6",
     "dd0f5396219d1ea393310412d19a08f1f5811e9dc8ec8eea7f80d21c820c2788"},
    {20,
     "d27335ea71664af244dd14e9fd1260715dfd8a7965571c48d709ee7a7962a156"
     "d706a90cbcb5df2986f05feadb9376f1",
     "52d1791fdb4b70f89c0f00d456c2f7023b6125262c36a7df1f80231121cce3d3"
     "9be52e00c194a4132c4a6c768bcd94d2",
     "793148f1787634d5da4c6d9074417d05e057ab62f82054d10ee6b0403d627954"
     "7e6a8ea9d1fd77427d016fe27a8b8c66c6c41294331d23e6f480f4fb4cd40504"
     "c947392e94f4c3f06b8f398bb29e42368f7a685923de3b67baced214a1a1d128",
     "5cd42ab9c41b5347f74b8d4efb708b3d5b36db65915359b44abc17647b6b9999"
     "789d72a84865ae2f223f12b5a1abc120e171458feaa939aaa3a8bfac46b404bd"
     "8f6d5b348c0fa4d80ceca16356ca933240bde8723415a8ece035b0edf36755de",
     "5ea1fc4af7256d2055981b110575e0a8cae53160137d904c59d926eb1b8456e4"
     "27aa8a4540884c37de159a58028abc0e"},
    {21,
     "0113f82da825735e3d97276683b2b74277bad27335ea71664af2430cc4f33459"
     "b9669ee78b3ffb9b8683015d344dcbfef6fb9af4c6c470be254516cd3c1a1fb4"
     "7362",
     "00cee3480d8645a17d249f2776d28bae616952d1791fdb4b70f7c3378732aa1b"
     "22928448bcd1dc2496d435b01048066ebe4f72903c361b1a9dc1193dc2c9d089"
     "1b96",
     "01ebb34dd75721abf8adc9dbed17889cbb9765d90a7c60f2cef007bb0f2b26e1"
     "4881fd4442e689d61cb2dd046ee30e3ffd20f9a45bbdf6413d583a2dbf59924f"
     "d35c00f6b632d194c0388e22d8437e558c552ae195adfd153f92d74908351b2f"
     "8c4eda94edb0916d1b53c020b5eecaed1a5fc38a233e4830587bb2ee3489b3b4"
     "2a5a86a4",
     "010ebfafc6e85e08d24bfffcc1a4511db0e634beeb1b6dec8c5939ae44766201"
     "af6200430ba97c8ac6a0e9f08b33ce7e9feeb5ba4ee5e0d81510c24295b8a08d"
     "023500a4a6ec300df9e257b0372b5e7abfef093436719a77887ebb0b18cf8099"
     "b9f4212b6e30a1419c18e029d36863cc9d448f4dba4d2a0e60711be572915fbd"
     "4fef2695",
     "00cdea89621cfa46b132f9e4cfe2261cde2d4368eb5656634c7cc98c7a00cde5"
     "4ed1866a0dd3e6126c9d2f845daff82ceb1da08f5d87521bb0ebeca77911169c"
     "20cc"},
    {24, "0881382cdb87660c6dc13e614938d5b9c8b2f248581cc5e31b35454397fce50e",
     "7d62a7e3ef36de617b13d1afb82c780d83a23bd4ee6705645121f371f546a53d",
     "2e9380c8323af97545bc4941deb0ec3742c62fe0ece824a6abdbe66c59bee024"
     "2911bfb967235ceba35ae13e4ec752be630b92dc4bde2847a9c62cb815274542"
     "1fb7eb60a63c0fe9159fcce726ce7cd8523d7450667ef840e4919121eb5f01c8"
     "c9b0d3d648a93bfb75689e8244ac134af544711ce79a02dcc34226684780dddc"
     "b498594106c37f5bc79856487af5ab022a2e5e42f09897c1a85a11ea0212af04"
     "d9b4cebc937c3c1a3e15a8a0342e337615c84e7fe3b8b9b87fb1e73a15af12a3"
     "0d746e06dfc34f290d797ce51aa13aa785bf6658aff5e4b093003cbeaf665b3c"
     "2e113a3a4e905269341dc0711426685f4ef37e868a8126ff3f2279b57ca67e29",
     "575f0351bd2b1b817448bdf87a6c362c1e289d3903a30b9832c5741fa250363e"
     "7acbc7f77f3dacbc1f131add8e03367eff8fbbb3e1c5784424809b25afe4d226"
     "2a1a6fd2fab64105ca30a674e07f7809852088632fc049233791ad4edd083a97"
     "8b883ee618bc5e0dd047415f2d95e683cf14826b5fbe10d3ce41c6c120c78ab2"
     "0008c698bf7f0bcab9d7f407bed0f43afb2970f57f8d12043963e66ddd320d59"
     "9ad9936c8f44137c08b180ec5e985cebe186f3d549677e80607331ee17af3380"
     "a725b0782317d7dd43f59d7af9568a9bb63a84d365f92244ed120988219302f4"
     "2924c7ca90b89d24f71b0ab697823d7deb1aff5b0e8e4a45d49f7f53757e1913",
     "86c70bf8d0bb81bb01078a17219cb7d27203db2a19c877f1d1f19fd7d77ef225"
     "46a68f005ad52dc84553b78fc60330be51ea7c0672cac1515e4b35c047b9a551"
     "b88f39dc26da14a09ef74774d47c762dd177f9ed5bc2f11e52c879bd95098504"
     "cd9eecd8a8f9b3efbd1f008ac5853097d9d1837f2b18f77cd7be01af80a7c7b5"
     "ea3ca54cc02d0c116fee3f95bb87399385875d7e86747e676e728938acbff709"
     "8e05be4dcfb24052b83aeffb14783f029adbde7f53fae92084224090e007cee9"
     "4d4bf2bace9ffd4b57d2af7c724d0caa19bf0501f6f17b4aa10f425e3ea76080"
     "b4b9d6b3cefea115b2ceb8789bb8a3b0ea87febe63b6c8f846ec6db0c26c5d7c"},
};

/** A source that makes DhKeyPair's private value exactly @p hex (see above). */
FixedByteSource
SourceForPrivate(int group, const std::string& hex)
{
    Bytes d = FromHex(hex);
    d.insert(d.begin(), DhPrivateExponentBytes(group) - d.size(), 0);
    for (size_t i = d.size(); i-- > 0;) // d - 1 (d > 0)
    {
        if (d[i]-- != 0)
        {
            break;
        }
    }
    Bytes c(8, 0);
    c.insert(c.end(), d.begin(), d.end());
    return FixedByteSource(c);
}
} // namespace

TEST(DhTest, RfcKnownAnswers)
{
    for (const auto& kat : kRfcKats)
    {
        SCOPED_TRACE("group " + std::to_string(kat.group));
        FixedByteSource ri = SourceForPrivate(kat.group, kat.privateI);
        FixedByteSource rr = SourceForPrivate(kat.group, kat.privateR);
        DhKeyPair i(kat.group, ri);
        DhKeyPair r(kat.group, rr);
        EXPECT_EQ(ToHex(i.PublicValue()), kat.publicI);
        EXPECT_EQ(ToHex(r.PublicValue()), kat.publicR);
        EXPECT_EQ(ToHex(i.ComputeShared(FromHex(kat.publicR))), kat.shared);
        EXPECT_EQ(ToHex(r.ComputeShared(FromHex(kat.publicI))), kat.shared);
    }
}

TEST(DhTest, Group24PeerMustBeInTheSubgroup)
{
    DeterministicByteSource rng(3, 3, "dh-test/group24");
    DhKeyPair kp(24, rng);
    // 2 is in [2, p-2] but not of order q (2^q mod p != 1): accepted by a range check alone.
    EXPECT_THROW(kp.ComputeShared(Small(24, 2)), std::invalid_argument);
    EXPECT_THROW(kp.ComputeShared(PrimeMinus(24, 2)), std::invalid_argument);
    for (const std::string& bad : {"0", "1", "p-1", "p"})
    {
        const Bytes v = bad == "p"     ? DhPrime(24)
                        : bad == "p-1" ? PrimeMinus(24, 1)
                                       : Small(24, static_cast<uint8_t>(bad[0] - '0'));
        EXPECT_THROW(kp.ComputeShared(v), std::invalid_argument) << bad;
    }
    try
    {
        kp.ComputeShared(Small(24, 2));
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("subgroup"), std::string::npos) << e.what();
    }
    // The generator and the RFC's yB are of order q.
    EXPECT_NO_THROW(kp.ComputeShared(DhGenerator(24)));
    EXPECT_NO_THROW(kp.ComputeShared(FromHex(kRfcKats[3].publicR)));
}

TEST(DhTest, EcpPeerMustBeOnTheCurve)
{
    for (const auto& kat : kRfcKats)
    {
        if (kat.group == 24)
        {
            continue;
        }
        SCOPED_TRACE("group " + std::to_string(kat.group));
        const size_t n = DhPrimeBytes(kat.group);
        DeterministicByteSource rng(3, 3, "dh-test/ecp");
        DhKeyPair kp(kat.group, rng);
        const Bytes good = FromHex(kat.publicR);
        ASSERT_NO_THROW(kp.ComputeShared(good));
        Bytes offCurve = good;
        offCurve.at(offCurve.size() - 1) ^= 0x01; // y + 1 or y - 1: not on the curve
        Bytes xTooBig = good;                     // x = p
        const Bytes p = DhPrime(kat.group);
        std::copy(p.begin(), p.end(), xTooBig.begin());
        const std::vector<std::pair<std::string, Bytes>> bad = {
            {"zeros (the point at infinity has no affine form)", Bytes(2 * n, 0)},
            {"off the curve", offCurve},
            {"x = p", xTooBig},
            {"with the 0x04 prefix",
             [&]
             {
                 Bytes b = good;
                 b.insert(b.begin(), 0x04);
                 return b;
             }()},
            {"x only", Bytes(good.begin(), good.begin() + n)},
        };
        for (const auto& [what, value] : bad)
        {
            EXPECT_THROW(kp.ComputeShared(value), std::invalid_argument) << what;
        }
        try
        {
            kp.ComputeShared(offCurve);
            ADD_FAILURE() << "off-curve point accepted";
        }
        catch (const std::invalid_argument& e)
        {
            EXPECT_NE(std::string(e.what()).find("not a point of the curve"), std::string::npos)
                << e.what();
        }
    }
}
