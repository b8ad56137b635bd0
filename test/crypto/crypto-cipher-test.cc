// Known-answer and behaviour tests for the ESP ciphers (ns3::ipsec::Cipher).
#include "common/rfc3602-vectors.h"
#include "ns3/byte-source.h"
#include "ns3/cipher.h"

#include <openssl/crypto.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3::ipsec;

namespace
{

using Bytes = std::vector<uint8_t>;

Bytes
Hex(const std::string& s)
{
    return FromHex(s);
}

Bytes
Ascii(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

/** CBC/NULL encryption through a fresh Cipher. */
Bytes
EncryptCbc(CipherAlgorithm alg, const Bytes& key, const Bytes& iv, const Bytes& pt)
{
    Cipher c(alg, key);
    Bytes out(pt.size());
    c.Encrypt(iv.data(), pt.data(), out.data(), pt.size());
    return out;
}

Bytes
DecryptCbc(CipherAlgorithm alg, const Bytes& key, const Bytes& iv, const Bytes& ct)
{
    Cipher c(alg, key);
    Bytes out(ct.size());
    EXPECT_TRUE(c.Decrypt(iv.data(), ct.data(), out.data(), ct.size()));
    return out;
}

/** Expect @p fn to throw E whose message contains every string in @p parts. */
template <typename E, typename F>
void
ExpectThrowWith(F fn, const std::vector<std::string>& parts)
{
    try
    {
        fn();
        ADD_FAILURE() << "no exception thrown";
    }
    catch (const E& e)
    {
        const std::string msg = e.what();
        for (const auto& p : parts)
        {
            EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
        }
    }
}

// Count OpenSSL's heap allocations to check that the per-packet path allocates nothing.
// CRYPTO_set_mem_functions only works before OpenSSL's first allocation, hence a static
// initializer; if it is refused the test that needs it is skipped.
std::atomic<long> g_opensslAllocations{0};

void*
CountingMalloc(size_t n, const char*, int)
{
    ++g_opensslAllocations;
    return std::malloc(n);
}

void*
CountingRealloc(void* p, size_t n, const char*, int)
{
    ++g_opensslAllocations;
    return std::realloc(p, n);
}

void
CountingFree(void* p, const char*, int)
{
    std::free(p);
}

const bool g_allocationCounting =
    CRYPTO_set_mem_functions(CountingMalloc, CountingRealloc, CountingFree) == 1;

const CipherAlgorithm kAllCiphers[] = {
    CipherAlgorithm::NULL_CIPHER, CipherAlgorithm::DES_CBC,     CipherAlgorithm::TDES_CBC,
    CipherAlgorithm::AES_CBC_128, CipherAlgorithm::AES_CBC_192, CipherAlgorithm::AES_CBC_256,
    CipherAlgorithm::AES_GCM_128, CipherAlgorithm::AES_GCM_192, CipherAlgorithm::AES_GCM_256,
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Tables

TEST(CipherInfoTest, TableMatchesRfcsAndTshark)
{
    struct Expect
    {
        CipherAlgorithm alg;
        const char* name;
        size_t keyLen, blockSize, ivLen, icvLen;
        bool aead;
        const char* ws;
    };
    // wiresharkName values are the esp_encryption_type_vals strings of tshark 4.0's ESP
    // dissector (epan/dissectors/packet-ipsec.c), as accepted in the esp_sa UAT.
    const Expect expected[] = {
        {CipherAlgorithm::NULL_CIPHER, "null", 0, 4, 0, 0, false, "NULL"},
        {CipherAlgorithm::DES_CBC, "des-cbc", 8, 8, 8, 0, false, "DES-CBC [RFC2405]"},
        {CipherAlgorithm::TDES_CBC, "3des-cbc", 24, 8, 8, 0, false, "TripleDES-CBC [RFC2451]"},
        {CipherAlgorithm::AES_CBC_128, "aes-cbc-128", 16, 16, 16, 0, false, "AES-CBC [RFC3602]"},
        {CipherAlgorithm::AES_CBC_192, "aes-cbc-192", 24, 16, 16, 0, false, "AES-CBC [RFC3602]"},
        {CipherAlgorithm::AES_CBC_256, "aes-cbc-256", 32, 16, 16, 0, false, "AES-CBC [RFC3602]"},
        {CipherAlgorithm::AES_GCM_128, "aes-gcm-128", 20, 4, 8, 16, true,
         "AES-GCM with 16 octet ICV [RFC4106]"},
        {CipherAlgorithm::AES_GCM_192, "aes-gcm-192", 28, 4, 8, 16, true,
         "AES-GCM with 16 octet ICV [RFC4106]"},
        {CipherAlgorithm::AES_GCM_256, "aes-gcm-256", 36, 4, 8, 16, true,
         "AES-GCM with 16 octet ICV [RFC4106]"},
    };
    for (const auto& e : expected)
    {
        const CipherInfo& i = GetCipherInfo(e.alg);
        SCOPED_TRACE(e.name);
        EXPECT_EQ(i.alg, e.alg);
        EXPECT_STREQ(i.name, e.name);
        EXPECT_EQ(i.keyLen, e.keyLen);
        EXPECT_EQ(i.blockSize, e.blockSize);
        EXPECT_EQ(i.blockSize % 4, 0u) << "ESP needs 4-byte alignment";
        EXPECT_EQ(i.ivLen, e.ivLen);
        EXPECT_EQ(i.icvLen, e.icvLen);
        EXPECT_EQ(i.aead, e.aead);
        EXPECT_STREQ(i.wiresharkName, e.ws);
    }
    ExpectThrowWith<std::invalid_argument>([] { GetCipherInfo(static_cast<CipherAlgorithm>(200)); },
                                           {"200"});
}

TEST(CipherTest, ProvidersLoadIdempotently)
{
    EXPECT_NO_THROW(EnsureProvidersLoaded());
    EXPECT_NO_THROW(EnsureProvidersLoaded());
}

// ---------------------------------------------------------------------------------------------
// AES-CBC: RFC 3602 section 4 and NIST SP 800-38A appendix F.2

TEST(CipherTest, Rfc3602Cases1To4)
{
    for (const auto& tc : test::kRfc3602CbcCases)
    {
        SCOPED_TRACE("RFC 3602 case " + std::to_string(tc.number));
        const Bytes key = Hex(tc.key), iv = Hex(tc.iv), pt = Hex(tc.plaintext),
                    ct = Hex(tc.ciphertext);
        EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::AES_CBC_128, key, iv, pt)), tc.ciphertext);
        EXPECT_EQ(ToHex(DecryptCbc(CipherAlgorithm::AES_CBC_128, key, iv, ct)), tc.plaintext);
    }
    // Case 1 and 3 plaintexts are ASCII in the RFC.
    EXPECT_EQ(Hex(test::kRfc3602CbcCases[0].plaintext), Ascii("Single block msg"));
    EXPECT_EQ(Hex(test::kRfc3602CbcCases[2].plaintext),
              Ascii("This is a 48-byte message (exactly 3 AES blocks)"));
}

TEST(CipherTest, Rfc3602EspCases5To8CipherLayer)
{
    // The ESP tests use these packets end to end; here only the cipher layer is checked so the
    // shared header's data is known to be right.
    for (const auto& tc : test::kRfc3602EspCases)
    {
        SCOPED_TRACE("RFC 3602 case " + std::to_string(tc.number));
        const Bytes key = Hex(tc.key), iv = Hex(tc.iv), pt = Hex(tc.plaintext);
        const Bytes payload = Hex(tc.payload);
        ASSERT_EQ(pt.size() % 16, 0u);
        ASSERT_EQ(pt.size(), payload.size() + tc.padLength + 2u);
        EXPECT_TRUE(std::equal(payload.begin(), payload.end(), pt.begin()));
        for (unsigned i = 0; i < tc.padLength; ++i)
        {
            EXPECT_EQ(pt[payload.size() + i], i + 1) << "RFC 4303 default padding 1, 2, 3, ...";
        }
        EXPECT_EQ(pt[pt.size() - 2], tc.padLength);
        EXPECT_EQ(pt[pt.size() - 1], tc.nextHeader);
        EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::AES_CBC_128, key, iv, pt)), tc.ciphertext);
        EXPECT_EQ(ToHex(DecryptCbc(CipherAlgorithm::AES_CBC_128, key, iv, Hex(tc.ciphertext))),
                  tc.plaintext);
    }
}

TEST(CipherTest, NistSp80038aAesCbc192And256)
{
    // NIST SP 800-38A appendix F.2.3-F.2.6 (CBC-AES192/256 encrypt and decrypt).
    const std::string iv = "000102030405060708090a0b0c0d0e0f";
    const std::string pt = "6bc1bee22e409f96e93d7e117393172a"
                           "ae2d8a571e03ac9c9eb76fac45af8e51"
                           "30c81c46a35ce411e5fbc1191a0a52ef"
                           "f69f2445df4f9b17ad2b417be66c3710";
    const std::string key192 = "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b";
    const std::string ct192 = "4f021db243bc633d7178183a9fa071e8"
                              "b4d9ada9ad7dedf4e5e738763f69145a"
                              "571b242012fb7ae07fa9baac3df102e0"
                              "08b0e27988598881d920a9e64f5615cd";
    const std::string key256 = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
    const std::string ct256 = "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
                              "9cfc4e967edb808d679f777bc6702c7d"
                              "39f23369a9d9bacfa530e26304231461"
                              "b2eb05e2c39be9fcda6c19078c6a9d1b";
    EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::AES_CBC_192, Hex(key192), Hex(iv), Hex(pt))),
              ct192);
    EXPECT_EQ(ToHex(DecryptCbc(CipherAlgorithm::AES_CBC_192, Hex(key192), Hex(iv), Hex(ct192))),
              pt);
    EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::AES_CBC_256, Hex(key256), Hex(iv), Hex(pt))),
              ct256);
    EXPECT_EQ(ToHex(DecryptCbc(CipherAlgorithm::AES_CBC_256, Hex(key256), Hex(iv), Hex(ct256))),
              pt);
}

// ---------------------------------------------------------------------------------------------
// DES and 3DES

TEST(CipherTest, DesCbcFips81Example)
{
    // FIPS PUB 81 (DES modes of operation), appendix C, CBC example: "Now is the time for all ".
    const Bytes key = Hex("0123456789abcdef");
    const Bytes iv = Hex("1234567890abcdef");
    const Bytes pt = Ascii("Now is the time for all ");
    const std::string ct = "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6";
    EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::DES_CBC, key, iv, pt)), ct);
    EXPECT_EQ(DecryptCbc(CipherAlgorithm::DES_CBC, key, iv, Hex(ct)), pt);
}

TEST(CipherTest, TripleDesCbcOpenSslDestest)
{
    // OpenSSL test/destest.c: cbc_key | cbc2_key | cbc3_key, cbc_iv, and the first 32 bytes of
    // cbc_data ("7654321 Now is the time for " and zero fill) -> cbc3_ok.
    const Bytes key = Hex("0123456789abcdef"
                          "f1e0d3c2b5a49786"
                          "fedcba9876543210");
    const Bytes iv = Hex("fedcba9876543210");
    Bytes pt = Ascii("7654321 Now is the time for ");
    pt.resize(32, 0);
    const std::string ct = "3fe301c962ac01d02213763c1cbd4cdc799657c064ecf5d41c673812cfde9675";
    EXPECT_EQ(ToHex(EncryptCbc(CipherAlgorithm::TDES_CBC, key, iv, pt)), ct);
    EXPECT_EQ(DecryptCbc(CipherAlgorithm::TDES_CBC, key, iv, Hex(ct)), pt);
}

TEST(CipherTest, TripleDesSp80067ExampleBlockByBlock)
{
    // NIST SP 800-67 (Rev. 1/2) appendix B, TDEA ECB example "The qufck brown fox jump".
    // CBC of a single block under an all-zero IV is the ECB encryption of that block.
    const Bytes key = Hex("0123456789abcdef"
                          "23456789abcdef01"
                          "456789abcdef0123");
    const Bytes zeroIv(8, 0);
    const Bytes pt = Ascii("The qufck brown fox jump");
    const std::string ecb = "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900";
    Cipher c(CipherAlgorithm::TDES_CBC, key);
    std::string got;
    for (size_t off = 0; off < pt.size(); off += 8)
    {
        uint8_t block[8];
        c.Encrypt(zeroIv.data(), pt.data() + off, block, 8);
        got += ToHex(block, 8);
    }
    EXPECT_EQ(got, ecb);
}

// ---------------------------------------------------------------------------------------------
// NULL

TEST(CipherTest, NullCipherCopies)
{
    Cipher c(CipherAlgorithm::NULL_CIPHER, {});
    const Bytes pt = Hex("000102030405060708090a0b");
    Bytes out(pt.size(), 0xee);
    c.Encrypt(nullptr, pt.data(), out.data(), pt.size());
    EXPECT_EQ(out, pt);
    Bytes back(pt.size(), 0xee);
    EXPECT_TRUE(c.Decrypt(nullptr, out.data(), back.data(), out.size()));
    EXPECT_EQ(back, pt);
    Bytes inplace = pt;
    c.Encrypt(nullptr, inplace.data(), inplace.data(), inplace.size());
    EXPECT_EQ(inplace, pt);
    // 4-byte ESP alignment applies to NULL as well.
    EXPECT_FALSE(c.Decrypt(nullptr, pt.data(), back.data(), 6));
    EXPECT_THROW(c.Encrypt(nullptr, pt.data(), out.data(), 6), std::invalid_argument);
    EXPECT_THROW(EncryptCbc(CipherAlgorithm::NULL_CIPHER, Hex("00"), {}, {}),
                 std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------
// Context reuse, in-place operation and argument checks

TEST(CipherTest, ReusedContextMatchesFreshContextPerPacket)
{
    DeterministicByteSource rng(1, 1, "cipher-test/reuse");
    for (CipherAlgorithm alg : kAllCiphers)
    {
        const CipherInfo& info = GetCipherInfo(alg);
        SCOPED_TRACE(info.name);
        const Bytes key = rng.Bytes(info.keyLen);
        Cipher enc(alg, key);
        Cipher dec(alg, key);
        for (size_t blocks : {1u, 3u, 1u, 90u, 2u})
        {
            const size_t len = blocks * info.blockSize;
            const Bytes iv = rng.Bytes(info.ivLen);
            const Bytes pt = rng.Bytes(len);
            Bytes ct(len), tag(info.icvLen), freshCt(len), freshTag(info.icvLen);
            Cipher fresh(alg, key);
            if (info.aead)
            {
                const Bytes aad = rng.Bytes(8);
                enc.Seal(iv.data(), aad.data(), aad.size(), pt.data(), ct.data(), len, tag.data());
                fresh.Seal(iv.data(), aad.data(), aad.size(), pt.data(), freshCt.data(), len,
                           freshTag.data());
                EXPECT_EQ(tag, freshTag);
                Bytes back(len);
                EXPECT_TRUE(dec.Open(iv.data(), aad.data(), aad.size(), ct.data(), back.data(), len,
                                     tag.data()));
                EXPECT_EQ(back, pt);
                // In place.
                Bytes buf = pt;
                Bytes tag2(info.icvLen);
                enc.Seal(iv.data(), aad.data(), aad.size(), buf.data(), buf.data(), len,
                         tag2.data());
                EXPECT_EQ(buf, ct);
                EXPECT_EQ(tag2, tag);
                EXPECT_TRUE(dec.Open(iv.data(), aad.data(), aad.size(), buf.data(), buf.data(), len,
                                     tag2.data()));
                EXPECT_EQ(buf, pt);
            }
            else
            {
                enc.Encrypt(iv.data(), pt.data(), ct.data(), len);
                fresh.Encrypt(iv.data(), pt.data(), freshCt.data(), len);
                Bytes back(len);
                EXPECT_TRUE(dec.Decrypt(iv.data(), ct.data(), back.data(), len));
                EXPECT_EQ(back, pt);
                Bytes buf = pt;
                enc.Encrypt(iv.data(), buf.data(), buf.data(), len);
                EXPECT_EQ(buf, ct);
                EXPECT_TRUE(dec.Decrypt(iv.data(), buf.data(), buf.data(), len));
                EXPECT_EQ(buf, pt);
            }
            EXPECT_EQ(ct, freshCt);
            if (alg != CipherAlgorithm::NULL_CIPHER)
            {
                EXPECT_NE(ct, pt);
            }
        }
    }
}

TEST(CipherTest, CbcIvMatters)
{
    const Bytes key(16, 0x42);
    const Bytes pt(32, 0x00);
    const Bytes iv1(16, 0x01), iv2(16, 0x02);
    Cipher c(CipherAlgorithm::AES_CBC_128, key);
    Bytes a(32), b(32);
    c.Encrypt(iv1.data(), pt.data(), a.data(), 32);
    c.Encrypt(iv2.data(), pt.data(), b.data(), 32);
    EXPECT_NE(a, b);
    // Decrypting with the wrong IV garbles (only) the first block.
    Bytes back(32);
    EXPECT_TRUE(c.Decrypt(iv2.data(), a.data(), back.data(), 32));
    EXPECT_NE(Bytes(back.begin(), back.begin() + 16), Bytes(pt.begin(), pt.begin() + 16));
    EXPECT_EQ(Bytes(back.begin() + 16, back.end()), Bytes(pt.begin() + 16, pt.end()));
}

TEST(CipherTest, LengthChecks)
{
    Cipher c(CipherAlgorithm::AES_CBC_128, Bytes(16, 1));
    Bytes iv(16, 0), buf(40, 0);
    EXPECT_FALSE(c.Decrypt(iv.data(), buf.data(), buf.data(), 40));
    EXPECT_FALSE(c.Decrypt(iv.data(), buf.data(), buf.data(), 15));
    EXPECT_TRUE(c.Decrypt(iv.data(), buf.data(), buf.data(), 0));
    ExpectThrowWith<std::invalid_argument>(
        [&] { c.Encrypt(iv.data(), buf.data(), buf.data(), 40); }, {"aes-cbc-128", "40", "16"});
    Cipher d(CipherAlgorithm::DES_CBC, Bytes(8, 1));
    EXPECT_FALSE(d.Decrypt(iv.data(), buf.data(), buf.data(), 12));
    EXPECT_TRUE(d.Decrypt(iv.data(), buf.data(), buf.data(), 40));
}

TEST(CipherTest, WrongKeyLengthNamesAlgorithmAndLengths)
{
    ExpectThrowWith<std::invalid_argument>(
        [] { Cipher c(CipherAlgorithm::AES_CBC_128, Bytes(15)); }, {"aes-cbc-128", "16", "15"});
    ExpectThrowWith<std::invalid_argument>(
        [] { Cipher c(CipherAlgorithm::AES_CBC_256, Bytes(16)); }, {"aes-cbc-256", "32", "16"});
    ExpectThrowWith<std::invalid_argument>([] { Cipher c(CipherAlgorithm::DES_CBC, Bytes(24)); },
                                           {"des-cbc", "8", "24"});
    ExpectThrowWith<std::invalid_argument>([] { Cipher c(CipherAlgorithm::TDES_CBC, Bytes(16)); },
                                           {"3des-cbc", "24", "16"});
    // GCM key material must include the 4-byte salt.
    ExpectThrowWith<std::invalid_argument>(
        [] { Cipher c(CipherAlgorithm::AES_GCM_128, Bytes(16)); }, {"aes-gcm-128", "20", "16"});
    ExpectThrowWith<std::invalid_argument>(
        [] { Cipher c(CipherAlgorithm::AES_GCM_256, Bytes(32)); }, {"aes-gcm-256", "36", "32"});
    ExpectThrowWith<std::invalid_argument>([] { Cipher c(CipherAlgorithm::NULL_CIPHER, Bytes(1)); },
                                           {"null", "0", "1"});
}

TEST(CipherTest, UnsupportedAlgorithmThrows)
{
    ExpectThrowWith<std::invalid_argument>(
        [] { Cipher c(static_cast<CipherAlgorithm>(99), Bytes(16)); }, {"unsupported", "99"});
}

TEST(CipherTest, WrongModeOfUseThrows)
{
    Cipher cbc(CipherAlgorithm::AES_CBC_128, Bytes(16, 1));
    Cipher gcm(CipherAlgorithm::AES_GCM_128, Bytes(20, 1));
    uint8_t iv[16] = {}, buf[16] = {}, tag[16] = {};
    ExpectThrowWith<std::logic_error>([&] { cbc.Seal(iv, buf, 8, buf, buf, 16, tag); },
                                      {"aes-cbc-128", "Encrypt"});
    ExpectThrowWith<std::logic_error>([&] { cbc.Open(iv, buf, 8, buf, buf, 16, tag); },
                                      {"aes-cbc-128"});
    ExpectThrowWith<std::logic_error>([&] { gcm.Encrypt(iv, buf, buf, 16); },
                                      {"aes-gcm-128", "Seal"});
    ExpectThrowWith<std::logic_error>([&] { gcm.Decrypt(iv, buf, buf, 16); }, {"aes-gcm-128"});
}

// ---------------------------------------------------------------------------------------------
// AES-GCM (RFC 4106 framing of the McGrew-Viega GCM specification test cases)

namespace
{

struct GcmCase
{
    const char* name;
    CipherAlgorithm alg;
    const char* key;   // AES key
    const char* nonce; // 96-bit IV of the GCM spec = RFC 4106 salt (4) || explicit IV (8)
    const char* aad;
    const char* pt;
    const char* ct;
    const char* tag;
};

// "The Galois/Counter Mode of Operation (GCM)", McGrew and Viega, appendix B, test cases 3, 4,
// 9, 10, 15 and 16 (the ones with a 96-bit IV, as RFC 4106 requires).
const char* kGcmP64 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
const char* kGcmP60 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                      "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
const char* kGcmA = "feedfacedeadbeeffeedfacedeadbeefabaddad2";

const GcmCase kGcmCases[] = {
    {"GCM test case 3", CipherAlgorithm::AES_GCM_128, "feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "", kGcmP64,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"GCM test case 4", CipherAlgorithm::AES_GCM_128, "feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", kGcmA, kGcmP60,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"GCM test case 9", CipherAlgorithm::AES_GCM_192,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c", "cafebabefacedbaddecaf888", "", kGcmP64,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
     "9924a7c8587336bfb118024db8674a14"},
    {"GCM test case 10", CipherAlgorithm::AES_GCM_192,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c", "cafebabefacedbaddecaf888", kGcmA, kGcmP60,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
     "2519498e80f1478f37ba55bd6d27618c"},
    {"GCM test case 15", CipherAlgorithm::AES_GCM_256,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "", kGcmP64,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"GCM test case 16", CipherAlgorithm::AES_GCM_256,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     kGcmA, kGcmP60,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

/** RFC 4106 key material = AES key || salt, where salt = the first 4 bytes of the GCM nonce. */
Bytes
GcmKeyMaterial(const GcmCase& tc)
{
    Bytes km = Hex(tc.key);
    const Bytes nonce = Hex(tc.nonce);
    km.insert(km.end(), nonce.begin(), nonce.begin() + 4);
    return km;
}

Bytes
GcmExplicitIv(const GcmCase& tc)
{
    const Bytes nonce = Hex(tc.nonce);
    return Bytes(nonce.begin() + 4, nonce.end());
}

} // namespace

TEST(CipherGcmTest, McGrewViegaVectorsWithSaltIvSplit)
{
    for (const auto& tc : kGcmCases)
    {
        SCOPED_TRACE(tc.name);
        Cipher c(tc.alg, GcmKeyMaterial(tc));
        const Bytes iv = GcmExplicitIv(tc), aad = Hex(tc.aad), pt = Hex(tc.pt);
        Bytes ct(pt.size()), tag(16);
        c.Seal(iv.data(), aad.data(), aad.size(), pt.data(), ct.data(), pt.size(), tag.data());
        EXPECT_EQ(ToHex(ct), tc.ct);
        EXPECT_EQ(ToHex(tag), tc.tag);

        Bytes back(ct.size());
        EXPECT_TRUE(c.Open(iv.data(), aad.data(), aad.size(), ct.data(), back.data(), ct.size(),
                           tag.data()));
        EXPECT_EQ(ToHex(back), tc.pt);
    }
}

TEST(CipherGcmTest, OpenRejectsFlippedTagCiphertextAndAad)
{
    const GcmCase& tc = kGcmCases[1]; // has AAD
    Cipher c(tc.alg, GcmKeyMaterial(tc));
    const Bytes iv = GcmExplicitIv(tc), aad = Hex(tc.aad), ct = Hex(tc.ct), tag = Hex(tc.tag);
    Bytes out(ct.size());

    auto open = [&](const Bytes& i, const Bytes& a, const Bytes& x, const Bytes& t)
    {
        std::fill(out.begin(), out.end(), 0xee);
        return c.Open(i.data(), a.data(), a.size(), x.data(), out.data(), x.size(), t.data());
    };

    ASSERT_TRUE(open(iv, aad, ct, tag));
    for (size_t bit : {0u, 7u, 64u, 127u})
    {
        Bytes t = tag;
        t[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_FALSE(open(iv, aad, ct, t)) << "tag bit " << bit;
        EXPECT_EQ(out, Bytes(out.size(), 0)) << "plaintext must be wiped on failure";
    }
    for (size_t pos : {0u, 17u, 59u})
    {
        Bytes x = ct;
        x[pos] ^= 0x01;
        EXPECT_FALSE(open(iv, aad, x, tag)) << "ciphertext byte " << pos;
    }
    for (size_t pos : {0u, 8u, 19u})
    {
        Bytes a = aad;
        a[pos] ^= 0x80;
        EXPECT_FALSE(open(iv, a, ct, tag)) << "AAD byte " << pos;
    }
    Bytes shortAad(aad.begin(), aad.end() - 1);
    EXPECT_FALSE(open(iv, shortAad, ct, tag));
    Bytes i2 = iv;
    i2[7] ^= 0x01;
    EXPECT_FALSE(open(i2, aad, ct, tag)) << "explicit IV";
    // A wrong salt (different key material) fails too.
    Bytes km = GcmKeyMaterial(tc);
    km.back() ^= 0x01;
    Cipher wrongSalt(tc.alg, km);
    EXPECT_FALSE(wrongSalt.Open(iv.data(), aad.data(), aad.size(), ct.data(), out.data(), ct.size(),
                                tag.data()));
    // The context is still usable after failures.
    ASSERT_TRUE(open(iv, aad, ct, tag));
    EXPECT_EQ(ToHex(out), tc.pt);
}

TEST(CipherGcmTest, EmptyPayloadAndEspAadSizes)
{
    DeterministicByteSource rng(7, 3, "gcm-edge");
    Cipher c(CipherAlgorithm::AES_GCM_128, rng.Bytes(20));
    const Bytes iv = rng.Bytes(8);
    for (size_t aadLen : {0u, 8u, 12u})
    {
        const Bytes aad = rng.Bytes(aadLen);
        uint8_t tag[16];
        c.Seal(iv.data(), aad.data(), aad.size(), nullptr, nullptr, 0, tag);
        EXPECT_TRUE(c.Open(iv.data(), aad.data(), aad.size(), nullptr, nullptr, 0, tag));
        tag[15] ^= 1;
        EXPECT_FALSE(c.Open(iv.data(), aad.data(), aad.size(), nullptr, nullptr, 0, tag));
    }
}

// ---------------------------------------------------------------------------------------------
// Per-packet cost

TEST(CipherTest, PerPacketPathDoesNotAllocate)
{
    if (!g_allocationCounting)
    {
        GTEST_SKIP() << "OpenSSL allocated before the counting allocator could be installed";
    }
    DeterministicByteSource rng(2, 2, "alloc-test");
    for (CipherAlgorithm alg : kAllCiphers)
    {
        const CipherInfo& info = GetCipherInfo(alg);
        SCOPED_TRACE(info.name);
        const Bytes key = rng.Bytes(info.keyLen);
        const long beforeSetup = g_opensslAllocations.load();
        Cipher c(alg, key);
        if (alg != CipherAlgorithm::NULL_CIPHER)
        {
            EXPECT_GT(g_opensslAllocations.load(), beforeSetup) << "the counter sees SA setup";
        }
        const size_t len = 1392; // multiple of every blockSize
        Bytes buf = rng.Bytes(len), iv = rng.Bytes(info.ivLen), aad = rng.Bytes(8), tag(16);
        auto packet = [&]
        {
            if (info.aead)
            {
                c.Seal(iv.data(), aad.data(), 8, buf.data(), buf.data(), len, tag.data());
                EXPECT_TRUE(
                    c.Open(iv.data(), aad.data(), 8, buf.data(), buf.data(), len, tag.data()));
            }
            else
            {
                c.Encrypt(iv.data(), buf.data(), buf.data(), len);
                EXPECT_TRUE(c.Decrypt(iv.data(), buf.data(), buf.data(), len));
            }
        };
        packet(); // warm-up
        const long before = g_opensslAllocations.load();
        for (int i = 0; i < 50; ++i)
        {
            packet();
        }
        EXPECT_EQ(g_opensslAllocations.load() - before, 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Ciphers keyed for one direction (an SA's): one OpenSSL context, CBC chained from packet to
// packet instead of re-initialised (cipher.cc, ChainedCbc)

TEST(CipherDirectionTest, OneDirectionRefusesTheOther)
{
    for (CipherAlgorithm alg : kAllCiphers)
    {
        const CipherInfo& info = GetCipherInfo(alg);
        SCOPED_TRACE(info.name);
        const Bytes key(info.keyLen, 3);
        Cipher enc(alg, key, CipherUse::ENCRYPT);
        Cipher dec(alg, key, CipherUse::DECRYPT);
        EXPECT_EQ(enc.Use(), CipherUse::ENCRYPT);
        EXPECT_EQ(dec.Use(), CipherUse::DECRYPT);
        const Bytes iv(16, 1);
        Bytes buf(info.blockSize * 2, 5), tag(16);
        if (info.aead)
        {
            EXPECT_THROW(
                dec.Seal(iv.data(), buf.data(), 8, buf.data(), buf.data(), buf.size(), tag.data()),
                std::logic_error);
            EXPECT_THROW(
                enc.Open(iv.data(), buf.data(), 8, buf.data(), buf.data(), buf.size(), tag.data()),
                std::logic_error);
        }
        else
        {
            EXPECT_THROW(dec.Encrypt(iv.data(), buf.data(), buf.data(), buf.size()),
                         std::logic_error);
            EXPECT_THROW(enc.Decrypt(iv.data(), buf.data(), buf.data(), buf.size()),
                         std::logic_error);
        }
        // The refusal leaves the cipher usable in its own direction.
        const Bytes pt = buf;
        if (info.aead)
        {
            enc.Seal(iv.data(), pt.data(), 8, pt.data(), buf.data(), pt.size(), tag.data());
            EXPECT_TRUE(
                dec.Open(iv.data(), pt.data(), 8, buf.data(), buf.data(), buf.size(), tag.data()));
        }
        else
        {
            enc.Encrypt(iv.data(), pt.data(), buf.data(), pt.size());
            EXPECT_TRUE(dec.Decrypt(iv.data(), buf.data(), buf.data(), buf.size()));
        }
        EXPECT_EQ(buf, pt);
    }
    EXPECT_THROW(Cipher(CipherAlgorithm::AES_CBC_128, Bytes(16), static_cast<CipherUse>(9)),
                 std::invalid_argument);
}

TEST(CipherDirectionTest, Rfc3602VectorsInSequenceThroughOneContextEach)
{
    // All eight RFC 3602 AES-128-CBC cases share no key, so each pass keys a fresh pair; the
    // cases are run three times over through the same two contexts, so every packet after the
    // first starts from the chaining value the previous one left.
    for (const auto& tc : test::kRfc3602CbcCases)
    {
        SCOPED_TRACE("RFC 3602 case " + std::to_string(tc.number));
        const Bytes key = Hex(tc.key), iv = Hex(tc.iv), pt = Hex(tc.plaintext);
        Cipher enc(CipherAlgorithm::AES_CBC_128, key, CipherUse::ENCRYPT);
        Cipher dec(CipherAlgorithm::AES_CBC_128, key, CipherUse::DECRYPT);
        for (int pass = 0; pass < 3; ++pass)
        {
            Bytes ct(pt.size()), back(pt.size());
            enc.Encrypt(iv.data(), pt.data(), ct.data(), pt.size());
            EXPECT_EQ(ToHex(ct), tc.ciphertext);
            EXPECT_TRUE(dec.Decrypt(iv.data(), ct.data(), back.data(), ct.size()));
            EXPECT_EQ(ToHex(back), tc.plaintext);
        }
    }
    for (const auto& tc : test::kRfc3602EspCases)
    {
        SCOPED_TRACE("RFC 3602 ESP case " + std::to_string(tc.number));
        const Bytes key = Hex(tc.key), iv = Hex(tc.iv);
        Cipher enc(CipherAlgorithm::AES_CBC_128, key, CipherUse::ENCRYPT);
        Cipher dec(CipherAlgorithm::AES_CBC_128, key, CipherUse::DECRYPT);
        for (int pass = 0; pass < 3; ++pass)
        {
            Bytes buf = Hex(tc.plaintext); // in place, as the ESP layer does
            enc.Encrypt(iv.data(), buf.data(), buf.data(), buf.size());
            EXPECT_EQ(ToHex(buf), tc.ciphertext);
            EXPECT_TRUE(dec.Decrypt(iv.data(), buf.data(), buf.data(), buf.size()));
            EXPECT_EQ(ToHex(buf), tc.plaintext);
        }
    }
}

TEST(CipherDirectionTest, ChainedPacketsMatchAFreshContextPerPacket)
{
    // Random IVs and lengths, in place and out of place, every CBC cipher: each packet must be
    // what a context given that IV produces, whatever came before it.
    DeterministicByteSource rng(1, 1, "cipher-test/chained");
    for (CipherAlgorithm alg : kAllCiphers)
    {
        const CipherInfo& info = GetCipherInfo(alg);
        if (info.aead || alg == CipherAlgorithm::NULL_CIPHER)
        {
            continue;
        }
        SCOPED_TRACE(info.name);
        const Bytes key = rng.Bytes(info.keyLen);
        Cipher enc(alg, key, CipherUse::ENCRYPT);
        Cipher dec(alg, key, CipherUse::DECRYPT);
        for (size_t blocks : {1u, 88u, 2u, 1u, 5u, 64u, 1u})
        {
            for (bool inPlace : {false, true})
            {
                const size_t len = blocks * info.blockSize;
                const Bytes iv = rng.Bytes(info.ivLen);
                const Bytes pt = rng.Bytes(len);
                Cipher fresh(alg, key);
                Bytes want(len);
                fresh.Encrypt(iv.data(), pt.data(), want.data(), len);

                Bytes ct = pt;
                Bytes out(len);
                enc.Encrypt(iv.data(), ct.data(), inPlace ? ct.data() : out.data(), len);
                EXPECT_EQ(inPlace ? ct : out, want) << blocks << " blocks";

                Bytes back = want;
                EXPECT_TRUE(
                    dec.Decrypt(iv.data(), back.data(), inPlace ? back.data() : out.data(), len));
                EXPECT_EQ(inPlace ? back : out, pt) << blocks << " blocks";
            }
        }
    }
}

TEST(CipherDirectionTest, GcmVectorsThroughOneDirectionEach)
{
    for (const auto& tc : kGcmCases)
    {
        SCOPED_TRACE(tc.name);
        Cipher enc(tc.alg, GcmKeyMaterial(tc), CipherUse::ENCRYPT);
        Cipher dec(tc.alg, GcmKeyMaterial(tc), CipherUse::DECRYPT);
        const Bytes iv = GcmExplicitIv(tc), aad = Hex(tc.aad), pt = Hex(tc.pt);
        for (int pass = 0; pass < 2; ++pass)
        {
            Bytes ct(pt.size()), tag(16), back(pt.size());
            enc.Seal(iv.data(), aad.data(), aad.size(), pt.data(), ct.data(), pt.size(),
                     tag.data());
            EXPECT_EQ(ToHex(ct), tc.ct);
            EXPECT_EQ(ToHex(tag), tc.tag);
            EXPECT_TRUE(dec.Open(iv.data(), aad.data(), aad.size(), ct.data(), back.data(),
                                 ct.size(), tag.data()));
            EXPECT_EQ(ToHex(back), tc.pt);
            tag[0] ^= 1;
            EXPECT_FALSE(dec.Open(iv.data(), aad.data(), aad.size(), ct.data(), back.data(),
                                  ct.size(), tag.data()));
        }
    }
}
