// Tests for the IKEv2 Encrypted payload protection (RFC 7296 3.14, RFC 5282): layout, round trip,
// the ICV covering the header, the GCM AAD and nonce, and refusal of damaged bodies.
#include "ns3/byte-source.h"
#include "ns3/cipher.h"
#include "ns3/ikev2-sk-cipher.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace ns3::ipsec;
using Bytes = std::vector<uint8_t>;

namespace
{

struct Suite
{
    Ikev2EncrAlgorithm encr;
    Ikev2IntegAlgorithm integ;
};

const Suite kSuites[] = {
    {Ikev2EncrAlgorithm::AES_CBC_128, Ikev2IntegAlgorithm::HMAC_SHA1_96},
    {Ikev2EncrAlgorithm::AES_CBC_192, Ikev2IntegAlgorithm::HMAC_SHA2_384_192},
    {Ikev2EncrAlgorithm::AES_CBC_256, Ikev2IntegAlgorithm::HMAC_SHA2_256_128},
    {Ikev2EncrAlgorithm::TDES_CBC, Ikev2IntegAlgorithm::HMAC_SHA2_512_256},
    {Ikev2EncrAlgorithm::AES_GCM16_128, Ikev2IntegAlgorithm::NONE},
    {Ikev2EncrAlgorithm::AES_GCM16_192, Ikev2IntegAlgorithm::NONE},
    {Ikev2EncrAlgorithm::AES_GCM16_256, Ikev2IntegAlgorithm::NONE},
};

struct Keyed
{
    Bytes ek, ik;
    std::unique_ptr<Ikev2SkCipher> cipher;
};

Keyed
Make(const Suite& s, uint64_t seed = 1)
{
    DeterministicByteSource rng(seed, 0, "sk-keys");
    Keyed k;
    k.ek = rng.Bytes(GetIkev2EncrInfo(s.encr).keyLen);
    k.ik = rng.Bytes(GetIkev2IntegInfo(s.integ).keyLen);
    k.cipher = std::make_unique<Ikev2SkCipher>(s.encr, k.ek, s.integ, k.ik);
    return k;
}

} // namespace

TEST(Ikev2SkCipher, RoundTripEveryLength)
{
    for (const Suite& s : kSuites)
    {
        Keyed k = Make(s);
        SCOPED_TRACE(k.cipher->Encr().name);
        DeterministicByteSource rng(2, 0, "sk-data");
        const Bytes prefix = rng.Bytes(32);
        for (size_t len = 0; len < 70; ++len)
        {
            const Bytes plain = rng.Bytes(len);
            const Bytes body = k.cipher->Seal(prefix.data(), prefix.size(), plain, rng);
            ASSERT_EQ(body.size(), k.cipher->SealedSize(len));
            const size_t ivLen = k.cipher->Encr().ivLen;
            EXPECT_EQ((body.size() - ivLen - k.cipher->IcvLength()) % k.cipher->Encr().blockSize,
                      0u);
            Bytes out;
            std::string error;
            bool integrity = true;
            ASSERT_TRUE(k.cipher->Open(prefix.data(), prefix.size(), body.data(), body.size(), out,
                                       error, integrity))
                << error;
            EXPECT_EQ(out, plain);
            EXPECT_FALSE(integrity);
        }
    }
}

// Any flipped bit in the prefix (the IKE header and the SK generic header), the IV, the
// ciphertext or the ICV makes Open fail its integrity check, and nothing decrypted is returned.
TEST(Ikev2SkCipher, IntegrityCoversHeaderAndBody)
{
    for (const Suite& s : kSuites)
    {
        Keyed k = Make(s);
        SCOPED_TRACE(k.cipher->Encr().name);
        DeterministicByteSource rng(3, 0, "sk-data");
        Bytes prefix = rng.Bytes(32);
        const Bytes plain = rng.Bytes(40);
        Bytes body = k.cipher->Seal(prefix.data(), prefix.size(), plain, rng);
        for (size_t at = 0; at < prefix.size() + body.size(); ++at)
        {
            Bytes& target = at < prefix.size() ? prefix : body;
            const size_t i = at < prefix.size() ? at : at - prefix.size();
            target[i] ^= 0x40;
            Bytes out;
            std::string error;
            bool integrity = false;
            EXPECT_FALSE(k.cipher->Open(prefix.data(), prefix.size(), body.data(), body.size(), out,
                                        error, integrity))
                << "flip at " << at;
            EXPECT_TRUE(integrity);
            EXPECT_TRUE(out.empty());
            EXPECT_NE(error.find("does not verify"), std::string::npos) << error;
            target[i] ^= 0x40;
        }
    }
}

TEST(Ikev2SkCipher, WrongKeyFails)
{
    for (const Suite& s : kSuites)
    {
        Keyed a = Make(s, 1), b = Make(s, 2);
        DeterministicByteSource rng(4, 0, "sk-data");
        const Bytes prefix = rng.Bytes(28), plain = rng.Bytes(20);
        const Bytes body = a.cipher->Seal(prefix.data(), prefix.size(), plain, rng);
        Bytes out;
        std::string error;
        bool integrity = false;
        EXPECT_FALSE(b.cipher->Open(prefix.data(), prefix.size(), body.data(), body.size(), out,
                                    error, integrity));
        EXPECT_TRUE(integrity);
    }
}

// Bodies whose size no sealed body can have are refused with the reason, without decrypting.
TEST(Ikev2SkCipher, BadSizesRefused)
{
    for (const Suite& s : kSuites)
    {
        Keyed k = Make(s);
        const Bytes prefix(28, 0);
        for (size_t len = 0; len < k.cipher->MinimumSize() + 20; ++len)
        {
            const size_t ct = len >= k.cipher->Encr().ivLen + k.cipher->IcvLength()
                                  ? len - k.cipher->Encr().ivLen - k.cipher->IcvLength()
                                  : 0;
            if (len >= k.cipher->MinimumSize() && ct % k.cipher->Encr().blockSize == 0)
            {
                continue;
            }
            const Bytes body(len, 0x5a);
            Bytes out;
            std::string error;
            bool integrity = true;
            EXPECT_FALSE(k.cipher->Open(prefix.data(), prefix.size(), body.data(), body.size(), out,
                                        error, integrity));
            EXPECT_FALSE(integrity);
            EXPECT_NE(error.find("cannot be"), std::string::npos) << error;
        }
    }
}

// CBC: the plaintext is IV-prefixed CBC of payloads | zero padding | Pad Length, and the ICV is
// HMAC(prefix | IV | ciphertext) truncated; checked with the primitives directly.
TEST(Ikev2SkCipher, CbcLayout)
{
    const Suite s{Ikev2EncrAlgorithm::AES_CBC_128, Ikev2IntegAlgorithm::HMAC_SHA2_256_128};
    Keyed k = Make(s);
    DeterministicByteSource rng(5, 0, "sk-data");
    const Bytes prefix = rng.Bytes(32), plain = rng.Bytes(21);
    const Bytes body = k.cipher->Seal(prefix.data(), prefix.size(), plain, rng);
    ASSERT_EQ(body.size(), 16u + 32u + 16u);
    Cipher c(CipherAlgorithm::AES_CBC_128, k.ek);
    Bytes pt(32);
    ASSERT_TRUE(c.Decrypt(body.data(), body.data() + 16, pt.data(), 32));
    EXPECT_EQ(Bytes(pt.begin(), pt.begin() + 21), plain);
    EXPECT_EQ(pt[31], 10); // 10 bytes of padding, then Pad Length
    Bytes macInput = prefix;
    macInput.insert(macInput.end(), body.begin(), body.begin() + 48);
    const Bytes mac = Hmac("SHA256", k.ik, macInput.data(), macInput.size());
    EXPECT_EQ(Bytes(body.begin() + 48, body.end()), Bytes(mac.begin(), mac.begin() + 16));
}

// GCM (RFC 5282): 8-byte IV, nonce = salt (last 4 bytes of SK_e) | IV, AAD = the prefix, no
// padding, 16-byte tag; checked with the ESP GCM primitive (RFC 4106 uses the same nonce).
TEST(Ikev2SkCipher, GcmLayout)
{
    const Suite s{Ikev2EncrAlgorithm::AES_GCM16_256, Ikev2IntegAlgorithm::NONE};
    Keyed k = Make(s);
    ASSERT_EQ(k.ek.size(), 36u);
    DeterministicByteSource rng(6, 0, "sk-data");
    const Bytes prefix = rng.Bytes(32), plain = rng.Bytes(21);
    const Bytes body = k.cipher->Seal(prefix.data(), prefix.size(), plain, rng);
    ASSERT_EQ(body.size(), 8u + 22u + 16u);
    Cipher c(CipherAlgorithm::AES_GCM_256, k.ek);
    Bytes pt(22);
    ASSERT_TRUE(c.Open(body.data(), prefix.data(), prefix.size(), body.data() + 8, pt.data(), 22,
                       body.data() + 30));
    EXPECT_EQ(Bytes(pt.begin(), pt.begin() + 21), plain);
    EXPECT_EQ(pt[21], 0);
}

TEST(Ikev2SkCipher, Algorithms)
{
    EXPECT_EQ(Ikev2EncrFromTransform(12, 128), Ikev2EncrAlgorithm::AES_CBC_128);
    EXPECT_EQ(Ikev2EncrFromTransform(20, 256), Ikev2EncrAlgorithm::AES_GCM16_256);
    EXPECT_EQ(Ikev2EncrFromTransform(3, 0), Ikev2EncrAlgorithm::TDES_CBC);
    EXPECT_FALSE(Ikev2EncrFromTransform(12, 0).has_value()); // AES-CBC needs a Key Length
    EXPECT_FALSE(Ikev2EncrFromTransform(12, 100).has_value());
    EXPECT_EQ(Ikev2IntegFromTransform(2), Ikev2IntegAlgorithm::HMAC_SHA1_96);
    EXPECT_EQ(Ikev2IntegFromTransform(14), Ikev2IntegAlgorithm::HMAC_SHA2_512_256);
    EXPECT_FALSE(Ikev2IntegFromTransform(0).has_value());
    EXPECT_EQ(GetIkev2EncrInfo(Ikev2EncrAlgorithm::AES_GCM16_128).keyLen, 20u);
    EXPECT_EQ(GetIkev2IntegInfo(Ikev2IntegAlgorithm::HMAC_SHA2_384_192).icvLen, 24u);
}

TEST(Ikev2SkCipher, MisuseThrows)
{
    EXPECT_THROW(Ikev2SkCipher(Ikev2EncrAlgorithm::AES_GCM16_128, Bytes(20),
                               Ikev2IntegAlgorithm::HMAC_SHA1_96, Bytes(20)),
                 std::invalid_argument);
    EXPECT_THROW(Ikev2SkCipher(Ikev2EncrAlgorithm::AES_CBC_128, Bytes(16),
                               Ikev2IntegAlgorithm::NONE, Bytes()),
                 std::invalid_argument);
    EXPECT_THROW(Ikev2SkCipher(Ikev2EncrAlgorithm::AES_CBC_128, Bytes(15),
                               Ikev2IntegAlgorithm::HMAC_SHA1_96, Bytes(20)),
                 std::invalid_argument);
    EXPECT_THROW(Ikev2SkCipher(Ikev2EncrAlgorithm::AES_CBC_128, Bytes(16),
                               Ikev2IntegAlgorithm::HMAC_SHA1_96, Bytes(19)),
                 std::invalid_argument);
}
