// Known-answer and behaviour tests for HMAC integrity (ns3::ipsec::Authenticator, Hmac).
#include "ns3/byte-source.h"
#include "ns3/cipher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace ns3::ipsec;

namespace
{

using Bytes = std::vector<uint8_t>;

Bytes
Rep(uint8_t b, size_t n)
{
    return Bytes(n, b);
}

Bytes
Ascii(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

Bytes
Seq(uint8_t first, size_t n)
{
    Bytes out(n);
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = static_cast<uint8_t>(first + i);
    }
    return out;
}

std::string
HmacHex(const std::string& digest, const Bytes& key, const Bytes& data)
{
    return ToHex(Hmac(digest, key, data.data(), data.size()));
}

std::string
IcvHex(AuthAlgorithm alg, const Bytes& key, const Bytes& data)
{
    Authenticator a(alg, key);
    Bytes icv(a.Info().icvLen);
    a.Compute(data.data(), data.size(), icv.data());
    return ToHex(icv);
}

struct Vector
{
    Bytes key;
    Bytes data;
    std::string mac;
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Tables

TEST(AuthInfoTest, TableMatchesRfcsAndTshark)
{
    struct Expect
    {
        AuthAlgorithm alg;
        const char* name;
        size_t keyLen, icvLen;
        const char* ws;
    };
    // wiresharkName values are the esp_authentication_type_vals strings of tshark 4.0's ESP
    // dissector (epan/dissectors/packet-ipsec.c), as accepted in the esp_sa UAT.
    const Expect expected[] = {
        {AuthAlgorithm::NONE, "none", 0, 0, "NULL"},
        {AuthAlgorithm::HMAC_MD5_96, "hmac-md5-96", 16, 12, "HMAC-MD5-96 [RFC2403]"},
        {AuthAlgorithm::HMAC_SHA1_96, "hmac-sha1-96", 20, 12, "HMAC-SHA-1-96 [RFC2404]"},
        {AuthAlgorithm::HMAC_SHA256_128, "hmac-sha256-128", 32, 16, "HMAC-SHA-256-128 [RFC4868]"},
        {AuthAlgorithm::HMAC_SHA384_192, "hmac-sha384-192", 48, 24, "HMAC-SHA-384-192 [RFC4868]"},
        {AuthAlgorithm::HMAC_SHA512_256, "hmac-sha512-256", 64, 32, "HMAC-SHA-512-256 [RFC4868]"},
    };
    for (const auto& e : expected)
    {
        const AuthInfo& i = GetAuthInfo(e.alg);
        SCOPED_TRACE(e.name);
        EXPECT_EQ(i.alg, e.alg);
        EXPECT_STREQ(i.name, e.name);
        EXPECT_EQ(i.keyLen, e.keyLen);
        EXPECT_EQ(i.icvLen, e.icvLen);
        EXPECT_STREQ(i.wiresharkName, e.ws);
    }
    EXPECT_THROW(GetAuthInfo(static_cast<AuthAlgorithm>(77)), std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// RFC 2202: HMAC-MD5 and HMAC-SHA-1, test cases 1-7

TEST(HmacTest, Rfc2202HmacMd5AllCases)
{
    const std::vector<Vector> v = {
        {Rep(0x0b, 16), Ascii("Hi There"), "9294727a3638bb1c13f48ef8158bfc9d"},
        {Ascii("Jefe"), Ascii("what do ya want for nothing?"), "750c783e6ab0b503eaa86e310a5db738"},
        {Rep(0xaa, 16), Rep(0xdd, 50), "56be34521d144c88dbb8c733f0e8b3f6"},
        {Seq(0x01, 25), Rep(0xcd, 50), "697eaf0aca3a3aea3a75164746ffaa79"},
        {Rep(0x0c, 16), Ascii("Test With Truncation"), "56461ef2342edc00f9bab995690efd4c"},
        {Rep(0xaa, 80), Ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
         "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"},
        {Rep(0xaa, 80),
         Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
         "6f630fad67cda0ee1fb1f562db3aa53e"},
    };
    for (size_t i = 0; i < v.size(); ++i)
    {
        SCOPED_TRACE("RFC 2202 HMAC-MD5 test case " + std::to_string(i + 1));
        EXPECT_EQ(HmacHex("MD5", v[i].key, v[i].data), v[i].mac);
        if (v[i].key.size() == 16) // cases 1, 3, 5 have HMAC-MD5-96's key size
        {
            EXPECT_EQ(IcvHex(AuthAlgorithm::HMAC_MD5_96, v[i].key, v[i].data),
                      v[i].mac.substr(0, 24));
        }
    }
    // Case 5 prints the 96-bit truncation explicitly: digest-96 = 0x56461ef2342edc00f9bab995.
    EXPECT_EQ(IcvHex(AuthAlgorithm::HMAC_MD5_96, Rep(0x0c, 16), Ascii("Test With Truncation")),
              "56461ef2342edc00f9bab995");
}

TEST(HmacTest, Rfc2202HmacSha1AllCases)
{
    const std::vector<Vector> v = {
        {Rep(0x0b, 20), Ascii("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
        {Ascii("Jefe"), Ascii("what do ya want for nothing?"),
         "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {Rep(0xaa, 20), Rep(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
        {Seq(0x01, 25), Rep(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
        {Rep(0x0c, 20), Ascii("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
        {Rep(0xaa, 80), Ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
         "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {Rep(0xaa, 80),
         Ascii("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
         "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
    };
    for (size_t i = 0; i < v.size(); ++i)
    {
        SCOPED_TRACE("RFC 2202 HMAC-SHA-1 test case " + std::to_string(i + 1));
        EXPECT_EQ(HmacHex("SHA1", v[i].key, v[i].data), v[i].mac);
        if (v[i].key.size() == 20) // cases 1, 3, 5 have HMAC-SHA1-96's key size
        {
            EXPECT_EQ(IcvHex(AuthAlgorithm::HMAC_SHA1_96, v[i].key, v[i].data),
                      v[i].mac.substr(0, 24));
        }
    }
    // Case 5: digest-96 = 0x4c1a03424b55e07fe7f27be1.
    EXPECT_EQ(IcvHex(AuthAlgorithm::HMAC_SHA1_96, Rep(0x0c, 20), Ascii("Test With Truncation")),
              "4c1a03424b55e07fe7f27be1");
}

// ---------------------------------------------------------------------------------------------
// RFC 4231: HMAC-SHA-256/384/512, test cases 1-7

namespace
{

const Bytes kRfc4231LongData = Ascii(
    "This is a test using a larger than block-size key and a larger than block-size data. The key "
    "needs to be hashed before being used by the HMAC algorithm.");

std::vector<Vector>
Rfc4231(const std::string& c1, const std::string& c2, const std::string& c3, const std::string& c4,
        const std::string& c5, const std::string& c6, const std::string& c7)
{
    return {
        {Rep(0x0b, 20), Ascii("Hi There"), c1},
        {Ascii("Jefe"), Ascii("what do ya want for nothing?"), c2},
        {Rep(0xaa, 20), Rep(0xdd, 50), c3},
        {Seq(0x01, 25), Rep(0xcd, 50), c4},
        {Rep(0x0c, 20), Ascii("Test With Truncation"), c5}, // RFC gives only 128 bits
        {Rep(0xaa, 131), Ascii("Test Using Larger Than Block-Size Key - Hash Key First"), c6},
        {Rep(0xaa, 131), kRfc4231LongData, c7},
    };
}

void
CheckRfc4231(const std::string& digest, const std::vector<Vector>& v)
{
    for (size_t i = 0; i < v.size(); ++i)
    {
        SCOPED_TRACE("RFC 4231 HMAC-" + digest + " test case " + std::to_string(i + 1));
        const std::string got = HmacHex(digest, v[i].key, v[i].data);
        if (i == 4)
        {
            ASSERT_EQ(v[i].mac.size(), 32u);
            EXPECT_EQ(got.substr(0, 32), v[i].mac) << "truncated to 128 bits";
        }
        else
        {
            EXPECT_EQ(got, v[i].mac);
        }
    }
}

} // namespace

TEST(HmacTest, Rfc4231Sha256)
{
    CheckRfc4231("SHA256",
                 Rfc4231("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
                         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
                         "a3b6167473100ee06e0c796c2955552b",
                         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"));
}

TEST(HmacTest, Rfc4231Sha384)
{
    CheckRfc4231("SHA384",
                 Rfc4231("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
                         "faea9ea9076ede7f4af152e8b2fa9cb6",
                         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
                         "8e2240ca5e69e2c78b3239ecfab21649",
                         "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
                         "2a5ab39dc13814b94e3ab6e101a34f27",
                         "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
                         "6801dd23c4a7d679ccf8a386c674cffb",
                         "3abf34c3503b2a23a46efc619baef897",
                         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
                         "0c2ef6ab4030fe8296248df163f44952",
                         "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
                         "a678cc31e799176d3860e6110c46523e"));
}

TEST(HmacTest, Rfc4231Sha512)
{
    CheckRfc4231("SHA512",
                 Rfc4231("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                         "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
                         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
                         "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
                         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
                         "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
                         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
                         "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
                         "415fad6271580a531d4179bc891d87a6",
                         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
                         "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
                         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
                         "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"));
}

// ---------------------------------------------------------------------------------------------
// RFC 4868 section 2.7.2: authenticator test vectors with the ESP key sizes and truncated ICVs

TEST(AuthenticatorTest, Rfc4868AuthenticatorVectors)
{
    struct Case
    {
        AuthAlgorithm alg;
        const char* digest;
        size_t keyLen;
        const char* full[4];
    };
    const Case cases[] = {
        {AuthAlgorithm::HMAC_SHA256_128,
         "SHA256",
         32,
         {"198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7",
          "167f928588c5cc2eef8e3093caa0e87c9ff566a14794aa61648d81621a2a40c6",
          "cdcb1220d1ecccea91e53aba3092f962e549fe6ce9ed7fdc43191fbde45c30b0",
          "372efcf9b40b35c2115b1346903d2ef42fced46f0846e7257bb156d3d7b30d3f"}},
        {AuthAlgorithm::HMAC_SHA384_192,
         "SHA384",
         48,
         {"b6a8d5636f5c6a7224f9977dcf7ee6c7fb6d0c48cbdee9737a959796489bddbc"
          "4c5df61d5b3297b4fb68dab9f1b582c2",
          "2c7353974f1842fd66d53c452ca42122b28c0b594cfb184da86a368e9b8e16f5"
          "349524ca4e82400cbde0686d403371c9",
          "809f439be00274321d4a538652164b53554a508184a0c3160353e3428597003d"
          "35914a18770f9443987054944b7c4b4a",
          "e8909051b8fe1a37966eec37a868389185d9da142bc5f75542169b86fc1efb42"
          "7cd1cacf23f8afb18daf17d93a1de03e"}},
        {AuthAlgorithm::HMAC_SHA512_256,
         "SHA512",
         64,
         {"637edc6e01dce7e6742a99451aae82df23da3e92439e590e43e761b33e910fb8"
          "ac2878ebd5803f6f0b61dbce5e251ff8789a4722c1be65aea45fd464e89f8f5b",
          "cb370917ae8a7ce28cfd1d8f4705d6141c173b2a9362c15df235dfb251b15454"
          "6aa334ae9fb9afc2184932d8695e397bfa0ffb93466cfcceaae38c833b7dba38",
          "2ee7acd783624ca9398710f3ee05ae41b9f9b0510c87e49e586cc9bf961733d8"
          "623c7b55cebefccf02d5581acc1c9d5fb1ff68a1de45509fbe4da9a433922655",
          "5e6688e5a3daec826ca32eaea224eff5e700628947470e13ad01302561bab108"
          "b8c48cbc6b807dcfbd850521a685babc7eae4a2a2e660dc0e86b931d65503fd2"}},
    };
    for (const auto& c : cases)
    {
        Bytes jefe;
        while (jefe.size() < c.keyLen)
        {
            const Bytes j = Ascii("Jefe");
            jefe.insert(jefe.end(), j.begin(), j.end());
        }
        const std::vector<std::pair<Bytes, Bytes>> inputs = {
            {Rep(0x0b, c.keyLen), Ascii("Hi There")},
            {jefe, Ascii("what do ya want for nothing?")},
            {Rep(0xaa, c.keyLen), Rep(0xdd, 50)},
            {Seq(0x01, c.keyLen), Rep(0xcd, 50)},
        };
        const size_t icvLen = GetAuthInfo(c.alg).icvLen;
        for (size_t i = 0; i < 4; ++i)
        {
            SCOPED_TRACE(std::string(GetAuthInfo(c.alg).name) + " case " + std::to_string(i + 1));
            EXPECT_EQ(HmacHex(c.digest, inputs[i].first, inputs[i].second), c.full[i]);
            EXPECT_EQ(IcvHex(c.alg, inputs[i].first, inputs[i].second),
                      std::string(c.full[i]).substr(0, 2 * icvLen));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Authenticator behaviour

TEST(AuthenticatorTest, IncrementalEqualsOneShotAndReuse)
{
    DeterministicByteSource rng(11, 2, "auth-test");
    for (AuthAlgorithm alg :
         {AuthAlgorithm::HMAC_MD5_96, AuthAlgorithm::HMAC_SHA1_96, AuthAlgorithm::HMAC_SHA256_128,
          AuthAlgorithm::HMAC_SHA384_192, AuthAlgorithm::HMAC_SHA512_256})
    {
        const AuthInfo& info = GetAuthInfo(alg);
        SCOPED_TRACE(info.name);
        const Bytes key = rng.Bytes(info.keyLen);
        Authenticator a(alg, key);
        EXPECT_EQ(a.Info().alg, alg);
        for (size_t len : {0u, 1u, 63u, 64u, 65u, 1400u})
        {
            const Bytes data = rng.Bytes(len);
            const std::string digest = alg == AuthAlgorithm::HMAC_MD5_96       ? "MD5"
                                       : alg == AuthAlgorithm::HMAC_SHA1_96    ? "SHA1"
                                       : alg == AuthAlgorithm::HMAC_SHA256_128 ? "SHA256"
                                       : alg == AuthAlgorithm::HMAC_SHA384_192 ? "SHA384"
                                                                               : "SHA512";
            const std::string full = HmacHex(digest, key, data);
            Bytes one(info.icvLen), inc(info.icvLen);
            a.Compute(data.data(), data.size(), one.data());
            EXPECT_EQ(ToHex(one), full.substr(0, 2 * info.icvLen));
            // ESP-style split: header, IV, then the rest in odd pieces.
            a.Begin();
            size_t off = 0;
            for (size_t piece : {8u, 16u, 7u, 1u})
            {
                const size_t n = std::min(piece, data.size() - off);
                a.Update(data.data() + off, n);
                off += n;
            }
            a.Update(data.data() + off, data.size() - off);
            a.Final(inc.data());
            EXPECT_EQ(inc, one);
            // FinalVerify accepts the right ICV and rejects any single flipped bit.
            a.Begin();
            a.Update(data.data(), data.size());
            EXPECT_TRUE(a.FinalVerify(one.data()));
            for (size_t byte = 0; byte < info.icvLen; byte += 5)
            {
                Bytes bad = one;
                bad[byte] ^= 0x10;
                a.Begin();
                a.Update(data.data(), data.size());
                EXPECT_FALSE(a.FinalVerify(bad.data())) << "byte " << byte;
            }
        }
    }
}

TEST(AuthenticatorTest, DifferentKeysDifferentIcvs)
{
    const Bytes data = Ascii("ESP header + payload");
    EXPECT_NE(IcvHex(AuthAlgorithm::HMAC_SHA1_96, Rep(1, 20), data),
              IcvHex(AuthAlgorithm::HMAC_SHA1_96, Rep(2, 20), data));
}

TEST(AuthenticatorTest, ErrorsAreReported)
{
    try
    {
        Authenticator a(AuthAlgorithm::HMAC_SHA1_96, Bytes(16));
        ADD_FAILURE() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("hmac-sha1-96"), std::string::npos) << msg;
        EXPECT_NE(msg.find("20"), std::string::npos) << msg;
        EXPECT_NE(msg.find("16"), std::string::npos) << msg;
    }
    EXPECT_THROW(Authenticator(AuthAlgorithm::HMAC_MD5_96, Bytes(20)), std::invalid_argument);
    EXPECT_THROW(Authenticator(AuthAlgorithm::HMAC_SHA256_128, Bytes(20)), std::invalid_argument);
    EXPECT_THROW(Authenticator(AuthAlgorithm::HMAC_SHA512_256, Bytes(32)), std::invalid_argument);
    try
    {
        Authenticator a(AuthAlgorithm::NONE, {});
        ADD_FAILURE() << "no exception";
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_NE(std::string(e.what()).find("NONE"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Authenticator(static_cast<AuthAlgorithm>(42), Bytes(20)), std::invalid_argument);

    Authenticator a(AuthAlgorithm::HMAC_SHA1_96, Bytes(20, 1));
    uint8_t icv[12];
    EXPECT_THROW(a.Update(icv, 1), std::logic_error);
    EXPECT_THROW(a.Final(icv), std::logic_error);
    a.Begin();
    a.Final(icv);
    EXPECT_THROW(a.Final(icv), std::logic_error) << "Final consumes the Begin";
}

TEST(HmacTest, EdgeCasesAndErrors)
{
    // HMAC-SHA256 with an empty key over empty data (computed with Python's hmac module).
    EXPECT_EQ(HmacHex("SHA256", {}, {}),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    EXPECT_EQ(HmacHex("SHA-256", Rep(0x0b, 20), Ascii("Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        << "OpenSSL name aliases are accepted";
    EXPECT_THROW(Hmac("NO-SUCH-DIGEST", Rep(1, 16), nullptr, 0), std::invalid_argument);
}

TEST(AuthenticatorTest, OneShotVerifyMatchesEvpMac)
{
    // Verify (the ESP path's one-shot check) against the EVP_MAC reference, for every digest,
    // with an Authenticator built through the raw-pointer constructor.
    DeterministicByteSource rng(11, 3, "auth-test/verify");
    const std::pair<AuthAlgorithm, const char*> algs[] = {
        {AuthAlgorithm::HMAC_MD5_96, "MD5"},        {AuthAlgorithm::HMAC_SHA1_96, "SHA1"},
        {AuthAlgorithm::HMAC_SHA256_128, "SHA256"}, {AuthAlgorithm::HMAC_SHA384_192, "SHA384"},
        {AuthAlgorithm::HMAC_SHA512_256, "SHA512"},
    };
    for (const auto& [alg, digest] : algs)
    {
        const AuthInfo& info = GetAuthInfo(alg);
        SCOPED_TRACE(info.name);
        const Bytes key = rng.Bytes(info.keyLen);
        const Authenticator a(alg, key.data(), key.size());
        for (size_t len : {0u, 20u, 1432u})
        {
            const Bytes data = rng.Bytes(len);
            const Bytes want = FromHex(HmacHex(digest, key, data));
            EXPECT_TRUE(a.Verify(data.data(), data.size(), want.data()));
            Bytes bad = want;
            bad[info.icvLen - 1] ^= 0x80;
            EXPECT_FALSE(a.Verify(data.data(), data.size(), bad.data()));
            // Bytes past the truncated ICV are not compared.
            bad = want;
            bad[info.icvLen] ^= 0x80;
            EXPECT_TRUE(a.Verify(data.data(), data.size(), bad.data()));
        }
    }
}

TEST(AuthenticatorTest, UnkeyedRefusesAndMovedFromBecomesUnkeyed)
{
    Authenticator none;
    EXPECT_FALSE(none.IsKeyed());
    EXPECT_EQ(none.Info().alg, AuthAlgorithm::NONE);
    uint8_t icv[32] = {};
    const uint8_t data[4] = {1, 2, 3, 4};
    EXPECT_THROW(none.Compute(data, sizeof(data), icv), std::logic_error);
    EXPECT_THROW(none.Verify(data, sizeof(data), icv), std::logic_error);
    EXPECT_THROW(none.Begin(), std::logic_error);

    const Bytes key(20, 0x0b);
    Authenticator a(AuthAlgorithm::HMAC_SHA1_96, key);
    a.Begin(); // the work context now shares the keyed block
    a.Update(data, sizeof(data));
    Authenticator b(std::move(a));
    EXPECT_FALSE(a.IsKeyed()); // NOLINT(bugprone-use-after-move): documented state
    ASSERT_TRUE(b.IsKeyed());
    uint8_t inc[12];
    b.Final(inc); // the begun MAC moved along
    uint8_t one[12];
    b.Compute(data, sizeof(data), one);
    EXPECT_EQ(Bytes(inc, inc + 12), Bytes(one, one + 12));
    EXPECT_EQ(ToHex(Bytes(one, one + 12)),
              HmacHex("SHA1", key, Bytes(data, data + sizeof(data))).substr(0, 24));
    none = std::move(b);
    EXPECT_TRUE(none.IsKeyed());
    EXPECT_TRUE(none.Verify(data, sizeof(data), one));
}
