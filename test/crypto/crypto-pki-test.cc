// Seeded RSA keys, certificates and CRLs, checked by the openssl command line where it can.
#include "ns3/byte-source.h"
#include "ns3/rsa-key.h"
#include "ns3/rsa-ops.h"
#include "ns3/x509-issue.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3::ipsec;

namespace
{
const int64_t kJan2026 = 1767225600; // 2026-01-01T00:00:00Z (date -u -d 2026-01-01 +%s)
const int64_t kYear = 365 * 86400;

/** A scratch folder removed at the end. */
class TempDir
{
public:
    TempDir()
    {
        char tmpl[] = "/tmp/pki-test-XXXXXX";
        m_path = mkdtemp(tmpl);
    }
    ~TempDir()
    {
        std::system(("rm -rf '" + m_path + "'").c_str());
    }
    std::string Write(const std::string& name, const std::string& text) const
    {
        const std::string path = m_path + "/" + name;
        std::ofstream(path) << text;
        return path;
    }

private:
    std::string m_path;
};

struct ShellRun
{
    int status;
    std::string out;
};

/** Run @p cmd with a shell; its stdout and stderr together. */
ShellRun
Shell(const std::string& cmd)
{
    ShellRun r{0, ""};
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
    {
        r.out.append(buf, n);
    }
    r.status = pclose(p);
    return r;
}

std::string
UpperHex(const Der& d)
{
    std::string h = ToHex(d);
    for (char& ch : h)
    {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return h;
}

bool
HaveOpenssl()
{
    return Shell("openssl version").status == 0;
}

/** A root CA, a subordinate under it and a router certificate under that. */
struct Chain
{
    RsaKeyPair rootKey, subKey, leafKey;
    Der root, sub, leaf;
};

Chain
MakeChain(uint64_t seed)
{
    DeterministicByteSource src(seed, 1, "pki-test");
    Chain c;
    c.rootKey = GenerateRsaKey(src, 1024);
    c.subKey = GenerateRsaKey(src, 1024);
    c.leafKey = GenerateRsaKey(src, 768);
    CertificateTemplate root{"CN=Lab Root CA,O=Lab,C=US",
                             c.rootKey.publicKey,
                             SerialFromStream(src),
                             kJan2026,
                             kJan2026 + 10 * kYear,
                             {},
                             {},
                             true,
                             1};
    c.root = IssueCertificate(root, {}, c.rootKey.privateKey);
    CertificateTemplate sub{"CN=Lab Sub CA,O=Lab",
                            c.subKey.publicKey,
                            SerialFromStream(src),
                            kJan2026,
                            kJan2026 + 5 * kYear,
                            {},
                            {},
                            true,
                            0};
    c.sub = IssueCertificate(sub, c.root, c.rootKey.privateKey);
    CertificateTemplate leaf{"CN=R1,OU=Branch,hostname=R1.lab.example",
                             c.leafKey.publicKey,
                             SerialFromStream(src),
                             kJan2026,
                             kJan2026 + kYear,
                             {"192.0.2.1"},
                             {"r1.lab.example"},
                             false,
                             -1};
    c.leaf = IssueCertificate(leaf, c.sub, c.subKey.privateKey);
    return c;
}
} // namespace

TEST(RsaKeyTest, SameSeedSameKeyBytes)
{
    DeterministicByteSource a(7, 1, "node1/rsa");
    DeterministicByteSource b(7, 1, "node1/rsa");
    const RsaKeyPair ka = GenerateRsaKey(a, 1024);
    const RsaKeyPair kb = GenerateRsaKey(b, 1024);
    EXPECT_EQ(ka.privateKey, kb.privateKey);
    EXPECT_EQ(ka.publicKey, kb.publicKey);
    EXPECT_EQ(ka.bits, 1024);
}

TEST(RsaKeyTest, DifferentSeedOrLabelDifferentKey)
{
    DeterministicByteSource a(7, 1, "node1/rsa");
    DeterministicByteSource b(8, 1, "node1/rsa");
    DeterministicByteSource c(7, 1, "node2/rsa");
    const RsaKeyPair ka = GenerateRsaKey(a, 512);
    EXPECT_NE(ka.publicKey, GenerateRsaKey(b, 512).publicKey);
    EXPECT_NE(ka.publicKey, GenerateRsaKey(c, 512).publicKey);
    // The next key of the same stream is another key.
    EXPECT_NE(ka.publicKey, GenerateRsaKey(a, 512).publicKey);
}

TEST(RsaKeyTest, SizesAndRoundTrip)
{
    DeterministicByteSource s(1, 1, "sizes");
    for (int bits : {360, 512, 1026, 2048})
    {
        const RsaKeyPair k = GenerateRsaKey(s, bits);
        EXPECT_EQ(k.bits, bits);
        EXPECT_EQ(RsaPublicKeyBits(k.publicKey), static_cast<uint32_t>(bits)); // rsa-ops.h
        const RsaKeyPair back = RsaKeyFromPrivate(k.privateKey);
        EXPECT_EQ(back.publicKey, k.publicKey);
        EXPECT_EQ(back.privateKey, k.privateKey);
    }
    EXPECT_THROW(GenerateRsaKey(s, 256), std::invalid_argument);
    EXPECT_THROW(GenerateRsaKey(s, 4098), std::invalid_argument);
    EXPECT_THROW(GenerateRsaKey(s, 1023), std::invalid_argument);
    EXPECT_EQ(RsaPublicKeyBits({0x30, 0x03, 0x02, 0x01, 0x01}), 0u);
    EXPECT_THROW(RsaKeyFromPrivate({1, 2, 3}), std::invalid_argument);
}

TEST(RsaKeyTest, OpensslChecksTheKey)
{
    if (!HaveOpenssl())
    {
        GTEST_SKIP() << "no openssl command";
    }
    DeterministicByteSource s(3, 1, "check");
    const RsaKeyPair k = GenerateRsaKey(s, 1024);
    TempDir dir;
    const std::string key = dir.Write("k.pem", ToPem(k.privateKey, "PRIVATE KEY"));
    const ShellRun check = Shell("openssl rsa -check -noout -in " + key);
    EXPECT_EQ(check.status, 0) << check.out;
    EXPECT_NE(check.out.find("RSA key ok"), std::string::npos) << check.out;
    const ShellRun text = Shell("openssl pkey -in " + key + " -text -noout");
    EXPECT_NE(text.out.find("Private-Key: (1024 bit, 2 primes)"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("publicExponent: 65537"), std::string::npos) << text.out;
    // The public key of the PEM is the one we hold.
    const ShellRun pub = Shell("openssl pkey -in " + key + " -pubout");
    EXPECT_EQ(FromPem(pub.out, "PUBLIC KEY"), k.publicKey);
}

TEST(PemTest, RoundTripAndErrors)
{
    const Der der = {0x30, 0x03, 0x02, 0x01, 0x05};
    const std::string pem = ToPem(der, "X509 CRL");
    EXPECT_EQ(pem.rfind("-----BEGIN X509 CRL-----\n", 0), 0u);
    EXPECT_EQ(FromPem("junk\n" + ToPem({1}, "OTHER") + pem, "X509 CRL"), der);
    EXPECT_THROW(FromPem(pem, "CERTIFICATE"), std::invalid_argument);
}

TEST(X509IssueTest, ChainVerifiesWithOpenssl)
{
    if (!HaveOpenssl())
    {
        GTEST_SKIP() << "no openssl command";
    }
    const Chain c = MakeChain(11);
    TempDir dir;
    const std::string root = dir.Write("root.pem", ToPem(c.root, "CERTIFICATE"));
    const std::string sub = dir.Write("sub.pem", ToPem(c.sub, "CERTIFICATE"));
    const std::string leaf = dir.Write("leaf.pem", ToPem(c.leaf, "CERTIFICATE"));
    const std::string at = " -attime " + std::to_string(kJan2026 + 86400);
    ShellRun v =
        Shell("openssl verify" + at + " -CAfile " + root + " -untrusted " + sub + " " + leaf);
    EXPECT_EQ(v.status, 0) << v.out;
    EXPECT_NE(v.out.find(": OK"), std::string::npos) << v.out;
    // Without the subordinate the chain is broken; with another root it is refused.
    v = Shell("openssl verify" + at + " -CAfile " + root + " " + leaf);
    EXPECT_NE(v.status, 0) << v.out;
    const Chain other = MakeChain(12);
    const std::string otherRoot = dir.Write("other.pem", ToPem(other.root, "CERTIFICATE"));
    v = Shell("openssl verify" + at + " -CAfile " + otherRoot + " -untrusted " + sub + " " + leaf);
    EXPECT_NE(v.status, 0) << v.out;
    // After the end of validity it has expired.
    v = Shell("openssl verify -attime " + std::to_string(kJan2026 + kYear + 86400) + " -CAfile " +
              root + " -untrusted " + sub + " " + leaf);
    EXPECT_NE(v.status, 0);
    EXPECT_NE(v.out.find("certificate has expired"), std::string::npos) << v.out;
}

TEST(X509IssueTest, ContentsAsOpensslPrintsThem)
{
    if (!HaveOpenssl())
    {
        GTEST_SKIP() << "no openssl command";
    }
    const Chain c = MakeChain(11);
    TempDir dir;
    const std::string leaf = dir.Write("leaf.pem", ToPem(c.leaf, "CERTIFICATE"));
    const std::string text = Shell("openssl x509 -noout -text -in " + leaf).out;
    for (const char* want :
         {"Version: 3 (0x2)", "Signature Algorithm: sha256WithRSAEncryption",
          "Issuer: CN = Lab Sub CA, O = Lab",
          "Subject: CN = R1, OU = Branch, unstructuredName = R1.lab.example",
          "Not Before: Jan  1 00:00:00 2026 GMT", "Not After : Jan  1 00:00:00 2027 GMT",
          "Public-Key: (768 bit)", "CA:FALSE", "Digital Signature, Key Encipherment",
          "IP Address:192.0.2.1, DNS:r1.lab.example", "X509v3 Authority Key Identifier"})
    {
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
    }
    const std::string root = dir.Write("root.pem", ToPem(c.root, "CERTIFICATE"));
    const std::string rootText = Shell("openssl x509 -noout -text -in " + root).out;
    EXPECT_NE(rootText.find("CA:TRUE, pathlen:1"), std::string::npos) << rootText;
    EXPECT_NE(rootText.find("Certificate Sign, CRL Sign"), std::string::npos) << rootText;
    EXPECT_NE(rootText.find("Subject: CN = Lab Root CA, O = Lab, C = US"), std::string::npos);
    // The fingerprint openssl computes is ours.
    const std::string fp = Shell("openssl x509 -noout -fingerprint -sha1 -in " + leaf).out;
    std::string colons;
    for (size_t i = 0; i < DescribeCertificate(c.leaf).sha1.size(); ++i)
    {
        colons += (i ? ":" : "") + UpperHex({DescribeCertificate(c.leaf).sha1[i]});
    }
    EXPECT_EQ(fp.substr(fp.find('=') + 1), colons + "\n") << fp; // "SHA1"/"sha1" by version
    // The serial openssl reads is ours.
    const CertificateInfo info = DescribeCertificate(c.leaf);
    const std::string serial = Shell("openssl x509 -noout -serial -in " + leaf).out;
    EXPECT_EQ(serial, "serial=" + UpperHex(info.serial) + "\n");
}

TEST(X509IssueTest, SameSeedSameCertificates)
{
    const Chain a = MakeChain(21);
    const Chain b = MakeChain(21);
    EXPECT_EQ(a.root, b.root);
    EXPECT_EQ(a.sub, b.sub);
    EXPECT_EQ(a.leaf, b.leaf);
    EXPECT_NE(a.leaf, MakeChain(22).leaf);
}

TEST(X509IssueTest, DescribeReadsTheFields)
{
    const Chain c = MakeChain(11);
    const CertificateInfo leaf = DescribeCertificate(c.leaf);
    EXPECT_EQ(leaf.subject, "CN=R1,OU=Branch,unstructuredName=R1.lab.example");
    EXPECT_EQ(leaf.issuer, "CN=Lab Sub CA,O=Lab");
    EXPECT_EQ(leaf.notBefore, kJan2026);
    EXPECT_EQ(leaf.notAfter, kJan2026 + kYear);
    EXPECT_EQ(leaf.keyBits, 768);
    EXPECT_EQ(leaf.publicKey, c.leafKey.publicKey);
    EXPECT_EQ(leaf.sanIp, std::vector<std::string>{"192.0.2.1"});
    EXPECT_EQ(leaf.sanDns, std::vector<std::string>{"r1.lab.example"});
    EXPECT_EQ(leaf.serial.size(), 8u);
    EXPECT_EQ(leaf.sha1.size(), 20u);
    EXPECT_EQ(leaf.md5.size(), 16u);
    EXPECT_FALSE(leaf.ca);
    EXPECT_FALSE(leaf.selfSigned);
    const CertificateInfo root = DescribeCertificate(c.root);
    EXPECT_TRUE(root.ca);
    EXPECT_TRUE(root.selfSigned);
    EXPECT_THROW(DescribeCertificate({0x30, 0x00}), std::invalid_argument);
}

TEST(X509IssueTest, CrlRevokesWithOpenssl)
{
    const Chain c = MakeChain(11);
    const CertificateInfo leaf = DescribeCertificate(c.leaf);
    const Der crl = IssueCrl(c.sub, c.subKey.privateKey, {{leaf.serial, kJan2026 + 3600}},
                             kJan2026 + 3600, kJan2026 + 3600 + 7 * 86400, 2);
    const CrlInfo info = DescribeCrl(crl);
    EXPECT_EQ(info.issuer, "CN=Lab Sub CA,O=Lab");
    EXPECT_EQ(info.thisUpdate, kJan2026 + 3600);
    ASSERT_EQ(info.revokedSerials.size(), 1u);
    EXPECT_EQ(info.revokedSerials[0], leaf.serial);
    if (!HaveOpenssl())
    {
        GTEST_SKIP() << "no openssl command";
    }
    TempDir dir;
    const std::string root = dir.Write("root.pem", ToPem(c.root, "CERTIFICATE"));
    const std::string sub = dir.Write("sub.pem", ToPem(c.sub, "CERTIFICATE"));
    const std::string leafPem = dir.Write("leaf.pem", ToPem(c.leaf, "CERTIFICATE"));
    const std::string crlPem = dir.Write("sub.crl.pem", ToPem(crl, "X509 CRL"));
    const std::string text = Shell("openssl crl -noout -text -in " + crlPem).out;
    EXPECT_NE(text.find("Issuer: CN = Lab Sub CA, O = Lab"), std::string::npos) << text;
    EXPECT_NE(text.find("X509v3 CRL Number: \n                2"), std::string::npos) << text;
    EXPECT_NE(text.find("Serial Number: " + UpperHex(leaf.serial)), std::string::npos)
        << ToHex(leaf.serial) << "\n"
        << text;
    const std::string at = " -attime " + std::to_string(kJan2026 + 7200);
    // The CRL verifies under its CA.
    ShellRun v = Shell("openssl crl -noout -in " + crlPem + " -CAfile " + sub);
    EXPECT_NE(v.out.find("verify OK"), std::string::npos) << v.out;
    // With the CRL checked the leaf is revoked; without, fine.
    v = Shell("openssl verify" + at + " -crl_check -CAfile " + root + " -untrusted " + sub +
              " -CRLfile " + crlPem + " " + leafPem);
    EXPECT_NE(v.status, 0);
    EXPECT_NE(v.out.find("certificate revoked"), std::string::npos) << v.out;
    const Der empty =
        IssueCrl(c.sub, c.subKey.privateKey, {}, kJan2026 + 3600, kJan2026 + 3600 + 7 * 86400, 1);
    const std::string emptyPem = dir.Write("empty.crl.pem", ToPem(empty, "X509 CRL"));
    v = Shell("openssl verify" + at + " -crl_check -CAfile " + root + " -untrusted " + sub +
              " -CRLfile " + emptyPem + " " + leafPem);
    EXPECT_EQ(v.status, 0) << v.out;
}

TEST(X509IssueTest, BadInputIsRefusedClearly)
{
    EXPECT_EQ(CheckDistinguishedName("CN=R1, ou=Lab, C=US"), "");
    EXPECT_EQ(CheckDistinguishedName("cn=a\\,b"), "");
    EXPECT_NE(CheckDistinguishedName("R1").find("expected TYPE=VALUE"), std::string::npos);
    EXPECT_NE(CheckDistinguishedName("XX=1").find("unknown name attribute \"XX\""),
              std::string::npos);
    EXPECT_NE(CheckDistinguishedName("C=USA").find("two letters"), std::string::npos);
    EXPECT_NE(CheckDistinguishedName("CN=").find("empty value"), std::string::npos);
    DeterministicByteSource s(1, 1, "bad");
    const RsaKeyPair k = GenerateRsaKey(s, 512);
    CertificateTemplate t{"CN=x", k.publicKey, SerialFromStream(s), kJan2026, kJan2026 + 1, {}, {},
                          false,  -1};
    t.sanIp = {"300.1.1.1"};
    EXPECT_THROW(IssueCertificate(t, {}, k.privateKey), std::invalid_argument);
    t.sanIp = {};
    t.notAfter = t.notBefore;
    EXPECT_THROW(IssueCertificate(t, {}, k.privateKey), std::invalid_argument);
}

TEST(UtcDateTest, KnownDates)
{
    EXPECT_EQ(ParseUtcDate("2026-01-01"), kJan2026);
    EXPECT_EQ(ParseUtcDate("2026-03-01T12:30:00Z"), 1772368200); // date -u -d ... +%s
    EXPECT_EQ(ParseUtcDate("1970-01-01"), 0);
    EXPECT_THROW(ParseUtcDate("2026-13-01"), std::invalid_argument);
    EXPECT_THROW(ParseUtcDate("2026-01-01T00:00:00"), std::invalid_argument);
    EXPECT_THROW(ParseUtcDate("yesterday"), std::invalid_argument);
}
