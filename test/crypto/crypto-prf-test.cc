// Tests for the IKEv1 (RFC 2409) PRF and key derivation.
#include "ns3/byte-source.h"
#include "ns3/ike-prf.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace ns3::ipsec;

namespace
{

const IkeHash kAllHashes[] = {IkeHash::MD5, IkeHash::SHA1, IkeHash::SHA256, IkeHash::SHA384,
                              IkeHash::SHA512};

const EVP_MD*
RefMd(IkeHash h)
{
    switch (h)
    {
    case IkeHash::MD5:
        return EVP_md5();
    case IkeHash::SHA1:
        return EVP_sha1();
    case IkeHash::SHA256:
        return EVP_sha256();
    case IkeHash::SHA384:
        return EVP_sha384();
    default:
        return EVP_sha512();
    }
}

/** Independent reference: OpenSSL's one-shot HMAC(), not the code under test. */
Bytes
RefPrf(IkeHash h, const Bytes& key, const Bytes& msg)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const unsigned char kEmpty = 0;
    HMAC(RefMd(h), key.empty() ? &kEmpty : key.data(), static_cast<int>(key.size()), msg.data(),
         msg.size(), out, &len);
    return Bytes(out, out + len);
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
Ascii(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

Bytes
Pattern(size_t n, unsigned mul, unsigned add)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = static_cast<uint8_t>(i * mul + add);
    }
    return out;
}

// Common inputs of the Python-computed vectors below.
const Bytes kPsk = Ascii("cisco123");
const Bytes kNi = FromHex("101112131415161718191a1b1c1d1e1f20212223");
const Bytes kNr = FromHex("404142434445464748494a4b4c4d4e4f50515253");
const Bytes kGxy = Pattern(96, 7, 3);     // stands in for a group 1 g^xy
const Bytes kGqmxy = Pattern(128, 13, 5); // PFS g(qm)^xy
const Bytes kCkyI = FromHex("0011223344556677");
const Bytes kCkyR = FromHex("8899aabbccddeeff");

} // namespace

TEST(IkeHashTest, LengthsAndFips180Digests)
{
    EXPECT_EQ(IkeHashLength(IkeHash::MD5), 16u);
    EXPECT_EQ(IkeHashLength(IkeHash::SHA1), 20u);
    EXPECT_EQ(IkeHashLength(IkeHash::SHA256), 32u);
    EXPECT_EQ(IkeHashLength(IkeHash::SHA384), 48u);
    EXPECT_EQ(IkeHashLength(IkeHash::SHA512), 64u);
    EXPECT_THROW(IkeHashLength(static_cast<IkeHash>(50)), std::invalid_argument);
    // RFC 1321 appendix A.5 and FIPS 180 examples: hash("abc").
    const Bytes abc = Ascii("abc");
    EXPECT_EQ(ToHex(IkeHashOf(IkeHash::MD5, abc)), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(ToHex(IkeHashOf(IkeHash::SHA1, abc)), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(ToHex(IkeHashOf(IkeHash::SHA256, abc)),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(ToHex(IkeHashOf(IkeHash::SHA384, abc)),
              "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
              "8086072ba1e7cc2358baeca134c825a7");
    EXPECT_EQ(ToHex(IkeHashOf(IkeHash::SHA512, abc)),
              "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    for (IkeHash h : kAllHashes)
    {
        EXPECT_EQ(IkeHashOf(h, abc).size(), IkeHashLength(h));
    }
}

TEST(IkePrfTest, PrfIsHmac)
{
    // RFC 2202 test case 2 (HMAC-SHA-1) and RFC 4231 test case 2 (HMAC-SHA-256).
    EXPECT_EQ(ToHex(IkePrf(IkeHash::SHA1, Ascii("Jefe"), Ascii("what do ya want for nothing?"))),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(ToHex(IkePrf(IkeHash::SHA256, Ascii("Jefe"), Ascii("what do ya want for nothing?"))),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    for (IkeHash h : kAllHashes)
    {
        EXPECT_EQ(IkePrf(h, kPsk, kNi), RefPrf(h, kPsk, kNi));
        EXPECT_EQ(IkePrf(h, kPsk, kNi).size(), IkeHashLength(h));
    }
}

// RFC 2409 section 5 formulas, each recomputed in the test with OpenSSL's HMAC().
TEST(IkePrfTest, Phase1DerivationMatchesFormulas)
{
    for (IkeHash h : kAllHashes)
    {
        SCOPED_TRACE("hash " + std::to_string(static_cast<int>(h)));
        // SKEYID = prf(pre-shared-key, Ni_b | Nr_b)
        const Bytes skeyid = SkeyidPsk(h, kPsk, kNi, kNr);
        EXPECT_EQ(skeyid, RefPrf(h, kPsk, Cat({kNi, kNr})));
        // SKEYID = prf(Ni_b | Nr_b, g^xy)
        EXPECT_EQ(SkeyidSig(h, kNi, kNr, kGxy), RefPrf(h, Cat({kNi, kNr}), kGxy));

        const IkeSkeyids k = DeriveSkeyids(h, skeyid, kGxy, kCkyI, kCkyR);
        const Bytes d = RefPrf(h, skeyid, Cat({kGxy, kCkyI, kCkyR, {0}}));
        const Bytes a = RefPrf(h, skeyid, Cat({d, kGxy, kCkyI, kCkyR, {1}}));
        const Bytes e = RefPrf(h, skeyid, Cat({a, kGxy, kCkyI, kCkyR, {2}}));
        EXPECT_EQ(k.d, d);
        EXPECT_EQ(k.a, a);
        EXPECT_EQ(k.e, e);
        EXPECT_EQ(k.d.size(), IkeHashLength(h));
        EXPECT_NE(k.d, k.a);
        EXPECT_NE(k.a, k.e);
    }
}

TEST(IkePrfTest, CookiesMustBeEightBytes)
{
    const Bytes skeyid(20, 1);
    EXPECT_THROW(DeriveSkeyids(IkeHash::SHA1, skeyid, kGxy, Bytes(7), kCkyR),
                 std::invalid_argument);
    EXPECT_THROW(DeriveSkeyids(IkeHash::SHA1, skeyid, kGxy, kCkyI, Bytes(9)),
                 std::invalid_argument);
}

TEST(IkePrfTest, ExternalSignatureAuthVectorSha1)
{
    // IKEv1 KDF known answer (digital-signature authentication, HMAC-SHA-1) in the layout of
    // NIST CAVP's SP 800-135 IKEv1 test files, as published in the test suite of a public Rust
    // KDF crate; re-verified independently with Python's hmac module.
    const Bytes ckyI = FromHex("382e5c8b0a3fa307");
    const Bytes ckyR = FromHex("ba4b7616700a2413");
    const Bytes ni = FromHex("ced5635da6796075");
    const Bytes nr = FromHex("6244b427712fb776");
    const Bytes gxy = FromHex("2a2e0bbe8da3657a83f3d35826e49e2d38e557e912a1b9e6c30c63577b3eab71"
                              "5466202862027f2c26f3090743555579611771db0b92bef93834432a3a7762fc"
                              "8a0f4889fd281d6082770d10a40d7bad61e832f041e620d6787e7f62ab2861dd"
                              "fbe272e0d9d3cdec5f1bbf750e24b8b32d6d714968ad69ce5086c32ad2742ebc");
    const Bytes skeyid = SkeyidSig(IkeHash::SHA1, ni, nr, gxy);
    EXPECT_EQ(ToHex(skeyid), "dc37ac99de6dcfbd1ee74af7fb36f9b4b0a7829d");
    const IkeSkeyids k = DeriveSkeyids(IkeHash::SHA1, skeyid, gxy, ckyI, ckyR);
    EXPECT_EQ(ToHex(k.d), "486293ed547adb562cefdaf43d3d8457b196f2b6");
    EXPECT_EQ(ToHex(k.a), "f4053b5ca07e59bb41b8f401037ca90b72b3917e");
    EXPECT_EQ(ToHex(k.e), "49a1d53a80fb77e663552964fbbcb45092021473");
}

// Values computed once with Python 3's hmac/hashlib from the same inputs, transcribing RFC 2409
// sections 5 and 5.5 and Appendix B directly.
TEST(IkePrfTest, PythonComputedPskVectors)
{
    struct Expect
    {
        IkeHash h;
        const char* skeyid;
        const char* d;
        const char* a;
        const char* e;
        const char* ka24; // 3DES key
        const char* ka32; // AES-256 key
    };
    const Expect expected[] = {
        {IkeHash::MD5, "354da327aabe914df30c8e54acae5c8b", "8b7c7c8f486566c380fbea83a5bc6e08",
         "d712e05ed8e9a37b2a0f1ec01f7749b1", "6ee166c6eb018cf3b969671780c53644",
         "029c7e374292e82551be7683bbc476ee5339fcb06e0ae672",
         "029c7e374292e82551be7683bbc476ee5339fcb06e0ae67258960eb4b43164fa"},
        {IkeHash::SHA1, "5ab41fe04629f7c489e5bc965dd772b66b664722",
         "b64b77de1c074ececc471f523d1061c489739f2d", "f6084f61f198db53344e705a39964f68b43c5d46",
         "dabb091d88c34913fc6b11b8c2d1bc303f31252a",
         "f65e60dfc1216d732d13f1d63a3561ef8f974ce192567a7c",
         "f65e60dfc1216d732d13f1d63a3561ef8f974ce192567a7c971f097f33d9b58e"},
        {IkeHash::SHA256, "bf37eaeff553e3a43d4cd212e7db5af9e1eb0ab1f2f3fd49e597ba4bd5a8ad5e",
         "b3a6bbe00e0f15f427eacb46d2cf713bc0b47b8d973027fcaa078a26e3f8b1b6",
         "dc30b7afb6ddcc0ae4081b8810f779ce58fb657f4d1359d22a3e43bddfe9934c",
         "44549aaf2bd2b808254e5b7dfb63a9722b6357dad92d563cb314481b3febaa12",
         "44549aaf2bd2b808254e5b7dfb63a9722b6357dad92d563c",
         "44549aaf2bd2b808254e5b7dfb63a9722b6357dad92d563cb314481b3febaa12"},
    };
    for (const auto& x : expected)
    {
        SCOPED_TRACE("hash " + std::to_string(static_cast<int>(x.h)));
        const Bytes skeyid = SkeyidPsk(x.h, kPsk, kNi, kNr);
        EXPECT_EQ(ToHex(skeyid), x.skeyid);
        const IkeSkeyids k = DeriveSkeyids(x.h, skeyid, kGxy, kCkyI, kCkyR);
        EXPECT_EQ(ToHex(k.d), x.d);
        EXPECT_EQ(ToHex(k.a), x.a);
        EXPECT_EQ(ToHex(k.e), x.e);
        EXPECT_EQ(ToHex(IkeEncryptionKey(x.h, k.e, 24)), x.ka24);
        EXPECT_EQ(ToHex(IkeEncryptionKey(x.h, k.e, 32)), x.ka32);
    }
}

TEST(IkePrfTest, AppendixBExpansion)
{
    // MD5 + 3DES: SKEYID_e (16 bytes) is shorter than the 24-byte key, so
    // Ka = K1 | K2 truncated, K1 = prf(SKEYID_e, 0x00), K2 = prf(SKEYID_e, K1).
    const Bytes e = FromHex("6ee166c6eb018cf3b969671780c53644");
    const Bytes k1 = RefPrf(IkeHash::MD5, e, Bytes{0});
    const Bytes k2 = RefPrf(IkeHash::MD5, e, k1);
    const Bytes k3 = RefPrf(IkeHash::MD5, e, k2);
    const Bytes ka = IkeEncryptionKey(IkeHash::MD5, e, 24);
    ASSERT_EQ(ka.size(), 24u);
    const Bytes k12 = Cat({k1, k2});
    EXPECT_EQ(ka, Bytes(k12.begin(), k12.begin() + 24));
    EXPECT_NE(Bytes(ka.begin(), ka.begin() + 16), e) << "Ka does not start with SKEYID_e";
    // Three blocks for a 40-byte key.
    const Bytes ka40 = IkeEncryptionKey(IkeHash::MD5, e, 40);
    const Bytes all = Cat({k1, k2, k3});
    EXPECT_EQ(ka40, Bytes(all.begin(), all.begin() + 40));
    // SHA-1 + AES-256 (20 < 32).
    const Bytes e1 = FromHex("dabb091d88c34913fc6b11b8c2d1bc303f31252a");
    const Bytes s1 = RefPrf(IkeHash::SHA1, e1, Bytes{0});
    const Bytes s2 = RefPrf(IkeHash::SHA1, e1, s1);
    const Bytes both = Cat({s1, s2});
    EXPECT_EQ(IkeEncryptionKey(IkeHash::SHA1, e1, 32), Bytes(both.begin(), both.begin() + 32));
    // Long enough: the key is the first keyLen bytes of SKEYID_e.
    EXPECT_EQ(IkeEncryptionKey(IkeHash::SHA1, e1, 16), Bytes(e1.begin(), e1.begin() + 16));
    EXPECT_EQ(IkeEncryptionKey(IkeHash::SHA1, e1, 20), e1);
    EXPECT_EQ(IkeEncryptionKey(IkeHash::MD5, e, 8), Bytes(e.begin(), e.begin() + 8));
}

TEST(IkePrfTest, QuickModeKeymatMatchesFormula)
{
    const uint32_t spi = 0x12345678;
    const Bytes spiBytes = {0x12, 0x34, 0x56, 0x78};
    const uint8_t esp = 3; // PROTO_IPSEC_ESP
    for (IkeHash h : kAllHashes)
    {
        SCOPED_TRACE("hash " + std::to_string(static_cast<int>(h)));
        const Bytes skeyidD = IkePrf(h, Ascii("skeyid_d"), kNi);
        for (const Bytes& gqm : {Bytes(), kGqmxy})
        {
            const Bytes seed = Cat({gqm, {esp}, spiBytes, kNi, kNr});
            // K1 = prf(SKEYID_d, seed), Kn = prf(SKEYID_d, K(n-1) | seed)
            const Bytes k1 = RefPrf(h, skeyidD, seed);
            const Bytes k2 = RefPrf(h, skeyidD, Cat({k1, seed}));
            const Bytes k3 = RefPrf(h, skeyidD, Cat({k2, seed}));
            const Bytes all = Cat({k1, k2, k3});
            const size_t len = all.size() - 3; // needs all three blocks
            const Bytes keymat = QuickModeKeymat(h, skeyidD, gqm, esp, spi, kNi, kNr, len);
            EXPECT_EQ(keymat, Bytes(all.begin(), all.begin() + static_cast<long>(len)));
            // Shorter requests are prefixes; one block exactly is K1.
            EXPECT_EQ(QuickModeKeymat(h, skeyidD, gqm, esp, spi, kNi, kNr, 10),
                      Bytes(all.begin(), all.begin() + 10));
            EXPECT_EQ(QuickModeKeymat(h, skeyidD, gqm, esp, spi, kNi, kNr, k1.size()), k1);
        }
        // The SPI and protocol separate the two directions' keys.
        EXPECT_NE(QuickModeKeymat(h, skeyidD, {}, esp, spi, kNi, kNr, 20),
                  QuickModeKeymat(h, skeyidD, {}, esp, spi + 1, kNi, kNr, 20));
        EXPECT_NE(QuickModeKeymat(h, skeyidD, {}, esp, spi, kNi, kNr, 20),
                  QuickModeKeymat(h, skeyidD, {}, 2, spi, kNi, kNr, 20));
    }
    EXPECT_TRUE(QuickModeKeymat(IkeHash::SHA1, Bytes(20, 1), {}, esp, spi, kNi, kNr, 0).empty());
}

TEST(IkePrfTest, PythonComputedKeymatVectors)
{
    // SKEYID_d values from PythonComputedPskVectors; protocol ESP (3), SPI 0x12345678.
    struct Expect
    {
        IkeHash h;
        const char* skeyidD;
        const char* noPfs44; // e.g. 3DES (24) + HMAC-SHA1 (20)
        const char* pfs52;   // e.g. AES-256 (32) + HMAC-SHA1 (20), g(qm)^xy = kGqmxy
    };
    const Expect expected[] = {
        {IkeHash::MD5, "8b7c7c8f486566c380fbea83a5bc6e08",
         "3a1f0ecf3669740171aec771e24114148f3eea66ddc5cf87889071168e7803b7fedda0a467b22e037e45a269",
         "16b3b09fb6ad7c11db9de28eba11ca105f64f7fc8b4e4bac587f7015b2f647083d4310f98d78ebdf1236efc3"
         "33d3523b06e65336"},
        {IkeHash::SHA1, "b64b77de1c074ececc471f523d1061c489739f2d",
         "9e729d886ff348e8ec27ba7884c8c3265a78d4aa4ae26b7618c4e55035b1eb08353fd73a232eb5b5669a32e5",
         "9965ad7bca70478fee3fdc424128d6ac24869935be6dc1259ea25a01c6ac0bf7a0c4f524013be97563bebe1e"
         "aa9e8d3251c93de9"},
        {IkeHash::SHA256, "b3a6bbe00e0f15f427eacb46d2cf713bc0b47b8d973027fcaa078a26e3f8b1b6",
         "f55ac68984fa369aa3ec47bd379b31f30883b76c604d560824675efbd803afea9b7b671d56444460e0d11c32",
         "91d56794baf8ba389c170c3637f3206845e76baf533bdf99f298683ac52f9be9e5fb0ce972b65e3e44098f9d"
         "ff4322fd51cb34c9"},
    };
    for (const auto& x : expected)
    {
        SCOPED_TRACE("hash " + std::to_string(static_cast<int>(x.h)));
        const Bytes d = FromHex(x.skeyidD);
        EXPECT_EQ(ToHex(QuickModeKeymat(x.h, d, {}, 3, 0x12345678, kNi, kNr, 44)), x.noPfs44);
        EXPECT_EQ(ToHex(QuickModeKeymat(x.h, d, kGqmxy, 3, 0x12345678, kNi, kNr, 52)), x.pfs52);
    }
}
