// RSA over DER keys and X.509 chain checks (crypto core alone), on the openssl-made fixtures of
// test/data/pki. Each result is checked against OpenSSL used directly, not through our code.
#include "ns3/byte-source.h"
#include "ns3/rsa-ops.h"
#include "ns3/x509-verify.h"

#include "common/pki-fixtures.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::ipsec;
using ns3::test::kPkiNow;
using ns3::test::PkiFile;

namespace
{

/** The raw RSA public operation (no padding removed) with OpenSSL: what a signature encodes. */
std::vector<uint8_t>
RawPublic(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& in)
{
    const unsigned char* p = spki.data();
    EVP_PKEY* k = d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size()));
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(k, nullptr);
    std::vector<uint8_t> out(EVP_PKEY_get_size(k));
    size_t n = out.size();
    EXPECT_EQ(EVP_PKEY_verify_recover_init(c), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(c, RSA_NO_PADDING), 1);
    EXPECT_EQ(EVP_PKEY_verify_recover(c, out.data(), &n, in.data(), in.size()), 1);
    out.resize(n);
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(k);
    return out;
}

/** OpenSSL's own PKCS#1 v1.5 decryption. */
std::vector<uint8_t>
OpenSslDecrypt(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& in)
{
    const unsigned char* p = pkcs8.data();
    EVP_PKEY* k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(pkcs8.size()));
    EVP_PKEY_CTX* c = EVP_PKEY_CTX_new(k, nullptr);
    std::vector<uint8_t> out(EVP_PKEY_get_size(k));
    size_t n = out.size();
    EXPECT_EQ(EVP_PKEY_decrypt_init(c), 1);
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING), 1);
    EXPECT_EQ(EVP_PKEY_decrypt(c, out.data(), &n, in.data(), in.size()), 1);
    out.resize(n);
    EVP_PKEY_CTX_free(c);
    EVP_PKEY_free(k);
    return out;
}

TEST(CryptoRsa, SignsTheRawHashWithType1PaddingAndNoDigestInfo)
{
    const auto key = PkiFile("r1.key");
    const auto pub = RsaPublicKeyOf(key);
    EXPECT_EQ(RsaPrivateKeyBits(key), 1024u);
    EXPECT_EQ(RsaPublicKeyBits(pub), 1024u);
    const std::vector<uint8_t> hash(20, 0xab); // a SHA-1 sized HASH_I
    RsaResult sig = RsaSignRaw(key, hash);
    ASSERT_TRUE(sig) << sig.error;
    ASSERT_EQ(sig.bytes.size(), 128u);
    // 00 01 FF..FF 00 || HASH_I: no DigestInfo (RFC 2409 5.1 as strongSwan's IKEv1 signs).
    const auto em = RawPublic(pub, sig.bytes);
    std::vector<uint8_t> want{0x00, 0x01};
    want.resize(128 - 21, 0xff);
    want.push_back(0x00);
    want.insert(want.end(), hash.begin(), hash.end());
    EXPECT_EQ(em, want);
    std::string error;
    EXPECT_TRUE(RsaVerifyRaw(pub, hash, sig.bytes, &error)) << error;
    auto other = hash;
    other[0] ^= 1;
    EXPECT_FALSE(RsaVerifyRaw(pub, other, sig.bytes, &error));
    EXPECT_FALSE(RsaVerifyRaw(RsaPublicKeyOf(PkiFile("r2.key")), hash, sig.bytes, &error));
    EXPECT_FALSE(RsaVerifyRaw(pub, hash, {1, 2, 3}, &error));
    EXPECT_NE(error.find("signature of 3 bytes"), std::string::npos) << error;
}

TEST(CryptoRsa, EncryptionPaddingComesFromTheSeededStream)
{
    const auto key = PkiFile("r2.key");
    const auto pub = RsaPublicKeyOf(key);
    const std::vector<uint8_t> nonce(20, 0x5a);
    DeterministicByteSource a(7, 1, "rsa"), b(7, 1, "rsa"), c(8, 1, "rsa");
    RsaResult ea = RsaEncryptPkcs1(pub, nonce, a);
    RsaResult eb = RsaEncryptPkcs1(pub, nonce, b);
    RsaResult ec = RsaEncryptPkcs1(pub, nonce, c);
    ASSERT_TRUE(ea && eb && ec) << ea.error;
    EXPECT_EQ(ea.bytes, eb.bytes) << "same seed, same ciphertext";
    EXPECT_NE(ea.bytes, ec.bytes) << "another seed, other padding";
    EXPECT_EQ(OpenSslDecrypt(key, ea.bytes), nonce) << "OpenSSL reads our padding";
    RsaResult d = RsaDecryptPkcs1(key, ec.bytes);
    ASSERT_TRUE(d) << d.error;
    EXPECT_EQ(d.bytes, nonce);
    RsaResult wrong = RsaDecryptPkcs1(PkiFile("r1.key"), ea.bytes);
    EXPECT_FALSE(wrong);
    EXPECT_FALSE(RsaEncryptPkcs1(pub, std::vector<uint8_t>(118, 1), a)) << "k - 11 is the limit";
    EXPECT_TRUE(RsaEncryptPkcs1(pub, std::vector<uint8_t>(117, 1), a));
    EXPECT_FALSE(RsaSignRaw({1, 2, 3}, nonce));
}

TEST(CryptoX509, ChainVerdictsAtTheRoutersClock)
{
    const std::vector<Der> anchors{PkiFile("ca.crt")};
    const std::vector<Der> crl{PkiFile("ca.crl")};
    auto check = [&](const char* cert, const std::vector<Der>& crls, bool required, int64_t now)
    { return X509VerifyChain({PkiFile(cert)}, anchors, crls, required, now).failure; };
    EXPECT_EQ(check("r1.crt", {}, false, kPkiNow), X509Failure::NONE);
    EXPECT_EQ(check("r2.crt", crl, true, kPkiNow), X509Failure::NONE);
    EXPECT_EQ(check("r2-expired.crt", {}, false, kPkiNow), X509Failure::EXPIRED);
    // 2020-06: the short certificate was still valid, R1's not yet.
    EXPECT_EQ(check("r2-expired.crt", {}, false, 1590969600), X509Failure::NONE);
    EXPECT_EQ(check("r1.crt", {}, false, 1590969600), X509Failure::NOT_YET_VALID);
    EXPECT_EQ(check("r2-revoked.crt", crl, true, kPkiNow), X509Failure::REVOKED);
    EXPECT_EQ(check("r2-revoked.crt", crl, false, kPkiNow), X509Failure::REVOKED)
        << "a CRL held is applied even when none is required";
    EXPECT_EQ(check("r2-revoked.crt", {}, false, kPkiNow), X509Failure::NONE);
    EXPECT_EQ(check("r2.crt", {}, true, kPkiNow), X509Failure::NO_CRL);
    EXPECT_EQ(check("r2-wrongca.crt", {}, false, kPkiNow), X509Failure::UNKNOWN_CA);
    EXPECT_EQ(X509VerifyChain({{0x30, 0x03, 1, 2, 3}}, anchors, {}, false, kPkiNow).failure,
              X509Failure::MALFORMED);
    EXPECT_EQ(X509VerifyChain({}, anchors, {}, false, kPkiNow).failure, X509Failure::MALFORMED);
    // Through a subordinate CA: the peer sends it after its own, or it is itself an anchor.
    EXPECT_EQ(
        X509VerifyChain({PkiFile("r2-sub.crt"), PkiFile("sub-ca.crt")}, anchors, {}, false, kPkiNow)
            .failure,
        X509Failure::NONE);
    EXPECT_EQ(check("r2-sub.crt", {}, false, kPkiNow), X509Failure::UNKNOWN_CA);
    EXPECT_EQ(X509VerifyChain({PkiFile("r2-sub.crt")}, {PkiFile("sub-ca.crt")}, {}, false, kPkiNow)
                  .failure,
              X509Failure::NONE);
    // The wrong CA authenticated too: then its certificate is good.
    EXPECT_EQ(X509VerifyChain({PkiFile("r2-wrongca.crt")},
                              {PkiFile("ca.crt"), PkiFile("other-ca.crt")}, {}, false, kPkiNow)
                  .failure,
              X509Failure::NONE);
}

TEST(CryptoX509, IdentitiesACertificateNames)
{
    auto r1 = X509ReadCertificate(PkiFile("r1.crt"));
    auto r2 = X509ReadCertificate(PkiFile("r2.crt"));
    ASSERT_TRUE(r1 && r2);
    // IOS style: unstructuredAddress and unstructuredName in the subject.
    EXPECT_TRUE(X509NamesAddress(*r1, "172.16.0.1"));
    EXPECT_FALSE(X509NamesAddress(*r1, "172.16.0.2"));
    EXPECT_TRUE(X509NamesHost(*r1, "r1.LAB.example"));
    EXPECT_FALSE(X509NamesHost(*r1, "R2.lab.example"));
    // strongSwan style: subjectAltName.
    EXPECT_TRUE(X509NamesAddress(*r2, "172.16.0.2"));
    EXPECT_TRUE(X509NamesHost(*r2, "R2.lab.example"));
    EXPECT_TRUE(X509NamesSubject(*r2, r2->subjectDer));
    EXPECT_FALSE(X509NamesSubject(*r2, r1->subjectDer));
    EXPECT_EQ(X509NameText(r2->subjectDer), "CN=R2.lab.example,O=ns3-ipsec lab,C=US");
    EXPECT_EQ(r2->publicKey, RsaPublicKeyOf(PkiFile("r2.key")));
    EXPECT_FALSE(X509ReadCertificate({1, 2, 3}));
}

} // namespace
