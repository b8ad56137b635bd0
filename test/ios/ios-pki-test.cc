// Certificates and RSA keys on a router: the reader's view of `crypto key`, `crypto pki|ca` and
// the pasted certificate chains and key strings (every style people paste, and its errors), the
// router's keys, enrolment with a CA, the DER handed to IKE, and the show commands.
#include "common/ios-config-parse.h"
#include "common/ios-lab.h"
#include "ns3/ios-config.h"
#include "ns3/ios-pki.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/rsa-key.h"
#include "ns3/rsa-ops.h"
#include "ns3/x509-issue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace ns3;
using namespace ns3::test;
using ipsec::Der;

namespace
{
const int64_t kMar2026 = 1772352000; // 2026-03-01T08:00:00Z

/** DER as IOS writes it in a configuration: words of 8 hex digits, 8 a line. */
std::string
IosHex(const Der& der, const std::string& indent)
{
    std::string hex = ipsec::ToHex(der);
    std::transform(hex.begin(), hex.end(), hex.begin(), ::toupper);
    std::string out;
    for (size_t i = 0; i < hex.size(); i += 64)
    {
        out += indent;
        for (size_t w = i; w < std::min(hex.size(), i + 64); w += 8)
        {
            out += (w > i ? " " : "") + hex.substr(w, 8);
        }
        out += "\n";
    }
    return out;
}

/** Key data as `show crypto key` prints it: IosHex, each full line of eight words ending with
 *  a space (genieparser's ShowCryptoKeyMypubkeyRsa capture). */
std::string
IosKeyData(const Der& der, const std::string& indent)
{
    std::string out;
    std::istringstream lines(IosHex(der, indent));
    for (std::string l; std::getline(lines, l);)
    {
        out += l + (l.size() == indent.size() + 71 ? " \n" : "\n");
    }
    return out;
}

/** A CA for the tests: a root that signs what routers ask, and revokes whom it is told. */
class TestCa : public IosCertificateAuthority
{
public:
    TestCa() : m_src(5, 1, "test-ca")
    {
        m_key = ipsec::GenerateRsaKey(m_src, 1024);
        ipsec::CertificateTemplate t{"CN=TestCA,O=Lab",
                                     m_key.publicKey,
                                     ipsec::SerialFromStream(m_src),
                                     kMar2026 - 86400,
                                     kMar2026 + 3650 * 86400LL,
                                     {},
                                     {},
                                     true,
                                     -1};
        m_cert = ipsec::IssueCertificate(t, {}, m_key.privateKey);
    }
    const std::string& GetName() const override
    {
        return m_name;
    }
    std::vector<Der> GetChain() const override
    {
        return {m_cert};
    }
    Der Enroll(const IosEnrollmentRequest& r) override
    {
        requests.push_back(r);
        ipsec::CertificateTemplate t{r.subject, r.publicKey,   ipsec::SerialFromStream(m_src),
                                     r.now,     r.now + 86400, r.sanIp,
                                     r.sanDns,  false,         -1};
        issued.push_back(ipsec::IssueCertificate(t, m_cert, m_key.privateKey));
        return issued.back();
    }
    std::vector<Der> GetCrls(int64_t now) const override
    {
        std::vector<ipsec::RevokedCertificate> rev;
        for (const Der& d : revoke)
        {
            rev.push_back({ipsec::DescribeCertificate(d).serial, now});
        }
        return {ipsec::IssueCrl(m_cert, m_key.privateKey, rev, now, now + 3600, 1)};
    }

    std::vector<IosEnrollmentRequest> requests;
    std::vector<Der> issued;
    std::vector<Der> revoke;
    Der m_cert;
    ipsec::RsaKeyPair m_key;

private:
    std::string m_name = "TestCA";
    ipsec::DeterministicByteSource m_src;
};

/** A router certificate and its CA, for pasted chains. */
struct PastedChain
{
    Der ca;
    Der router;
    ipsec::RsaKeyPair routerKey;
};

PastedChain
MakePastedChain()
{
    TestCa ca;
    ipsec::DeterministicByteSource src(9, 1, "pasted");
    PastedChain p;
    p.routerKey = ipsec::GenerateRsaKey(src, 512);
    IosEnrollmentRequest r;
    r.subject = "hostname=R1.lab.example";
    r.publicKey = p.routerKey.publicKey;
    r.now = kMar2026;
    p.router = ca.Enroll(r);
    p.ca = ca.m_cert;
    return p;
}

/** A `show running-config` with the chain as IOS prints it (quit after a tab). */
std::string
ShowRunWithChain(const PastedChain& p)
{
    return "R1#show running-config\n"
           "Building configuration...\n"
           "\n"
           "Current configuration : 2403 bytes\n"
           "!\n"
           "hostname R1\n"
           "!\n"
           "crypto pki trustpoint TestCA\n"
           " enrollment url http://10.9.9.9:80\n"
           " subject-name cn=R1, ou=Lab\n"
           " revocation-check crl\n"
           " rsakeypair R1-key 1024\n"
           "!\n"
           "crypto pki certificate chain TestCA\n"
           " certificate 02\n" +
           IosHex(p.router, "  ") +
           "  \tquit\n"
           " certificate ca 01\n" +
           IosHex(p.ca, "  ") +
           "  \tquit\n"
           "!\n"
           "interface Serial0\n"
           " ip address 10.1.1.1 255.255.255.252\n"
           "!\n"
           "end\n";
}
} // namespace

// ------------------------------------------------------------------------------ reader

TEST(IosPkiConfig, ConfigurationScript)
{
    const IosRouterConfig c = P("hostname R1\n"
                                "ip domain-name lab.example\n"
                                "crypto key generate rsa general-keys label R1-key modulus 1024\n"
                                "crypto key generate rsa\n"
                                "crypto pki trustpoint CA1\n"
                                "enrollment url http://10.0.0.100:80\n"
                                "subject-name CN=R1,OU=Branch\n"
                                "fqdn R1.lab.example\n"
                                "ip-address Serial0\n"
                                "revocation-check crl\n"
                                "rsakeypair R1-key 1024\n"
                                "serial-number\n"
                                "exit\n"
                                "crypto ca identity OLD\n"
                                " enrollment url http://old-ca\n"
                                " crl optional\n"
                                "crypto pki authenticate CA1\n"
                                "crypto pki enroll CA1\n"
                                "crypto ca authenticate OLD\n");
    ASSERT_EQ(c.pki.keyGenerations.size(), 2u);
    EXPECT_EQ(c.pki.keyGenerations[0].label, "R1-key");
    EXPECT_EQ(c.pki.keyGenerations[0].modulus, 1024u);
    EXPECT_EQ(c.pki.keyGenerations[1].label, "");
    EXPECT_EQ(c.pki.keyGenerations[1].modulus, 0u);
    const IosTrustpoint& t = c.pki.trustpoints.at("CA1");
    EXPECT_EQ(t.enrollmentUrl, "http://10.0.0.100:80");
    EXPECT_EQ(t.subjectName, "CN=R1,OU=Branch");
    EXPECT_EQ(t.fqdn, "R1.lab.example");
    EXPECT_EQ(t.ipAddress, "Serial0");
    EXPECT_TRUE(t.crlRequired);
    EXPECT_EQ(t.rsaKeypair, "R1-key");
    EXPECT_EQ(t.rsaKeypairSize, 1024u);
    EXPECT_TRUE(t.serialNumber);
    EXPECT_FALSE(t.legacyIdentity);
    const IosTrustpoint& old = c.pki.trustpoints.at("OLD");
    EXPECT_TRUE(old.legacyIdentity);
    EXPECT_FALSE(old.crlRequired) << "crl optional";
    ASSERT_EQ(c.pki.actions.size(), 3u);
    EXPECT_FALSE(c.pki.actions[0].enroll);
    EXPECT_TRUE(c.pki.actions[1].enroll);
    EXPECT_EQ(c.pki.actions[2].trustpoint, "OLD");
    // Nothing of the PKI is read as not modelled (nor `ip domain-name`, which names the router).
    EXPECT_TRUE(c.notModelled.empty()) << c.notModelled[0].text;
    EXPECT_EQ(c.domainName, "lab.example");
}

TEST(IosPkiConfig, ModesAsThePromptNamesThem)
{
    std::string mode;
    IosConfigReader::Parse("crypto pki trustpoint T\n", "t.cfg", mode);
    EXPECT_EQ(mode, "ca-trustpoint");
    IosConfigReader::Parse("crypto pki certificate chain T\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-cert-chain");
    IosConfigReader::Parse("crypto pki certificate chain T\n certificate 01\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-pubkey");
    IosConfigReader::Parse("crypto key pubkey-chain rsa\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-pubkey-chain");
    IosConfigReader::Parse("crypto key pubkey-chain rsa\n named-key x\n", "t.cfg", mode);
    EXPECT_EQ(mode, "config-pubkey-key");
}

TEST(IosPkiConfig, PastedShowRunningConfigWithCertificateChain)
{
    const PastedChain p = MakePastedChain();
    const std::string text = ShowRunWithChain(p);
    const IosRouterConfig c = P(text);
    const IosCertificateChain& chain = c.pki.chains.at("TestCA");
    ASSERT_EQ(chain.certificates.size(), 2u);
    EXPECT_EQ(chain.certificates[0].serial, "02");
    EXPECT_FALSE(chain.certificates[0].ca);
    EXPECT_EQ(chain.certificates[0].der, p.router);
    EXPECT_TRUE(chain.certificates[1].ca);
    EXPECT_EQ(chain.certificates[1].der, p.ca);
    EXPECT_EQ(c.pki.trustpoints.at("TestCA").subjectName, "cn=R1, ou=Lab");
    EXPECT_EQ(c.interfaces.at(0).name, "Serial0") << "the chain's block ended at '!'";
    // The same with CRLF line ends, as saved by a Windows terminal.
    std::string crlf;
    for (char ch : text)
    {
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    }
    const IosRouterConfig d = P(crlf);
    EXPECT_EQ(d.pki.chains.at("TestCA").certificates.at(0).der, p.router);
    EXPECT_EQ(d.pki.chains.at("TestCA").certificates.at(1).der, p.ca);
    // And typed at the prompts of a session, the hex without indentation.
    const IosRouterConfig s = P("R1#configure terminal\n"
                                "R1(config)#crypto pki certificate chain TestCA\n"
                                "R1(config-cert-chain)#certificate ca 01\n"
                                "Enter the certificate in hexidecimal representation....\n"
                                "End with a blank line or the word \"quit\" on a line by "
                                "itself\n" +
                                IosHex(p.ca, "") + "\nR1(config-cert-chain)#end\n");
    EXPECT_EQ(s.pki.chains.at("TestCA").certificates.at(0).der, p.ca);
}

TEST(IosPkiConfig, PubkeyChainAndKeyringRsaPubkey)
{
    ipsec::DeterministicByteSource src(3, 1, "peer-keys");
    const ipsec::RsaKeyPair a = ipsec::GenerateRsaKey(src, 512);
    const ipsec::RsaKeyPair b = ipsec::GenerateRsaKey(src, 768);
    const IosRouterConfig c = P("crypto key pubkey-chain rsa\n"
                                " named-key R2.lab.example encryption\n"
                                "  address 10.1.1.2\n"
                                "  key-string\n" +
                                IosHex(a.publicKey, "   ") +
                                "   quit\n"
                                " addressed-key 10.1.1.3\n"
                                "  key-string\n" +
                                IosHex(b.publicKey, "  ") +
                                "  quit\n"
                                "!\n"
                                "crypto keyring KR\n"
                                "  rsa-pubkey address 10.1.1.4 encryption\n"
                                "  key-string\n" +
                                IosHex(b.publicKey, "  ") +
                                "  quit\n"
                                "  pre-shared-key address 10.1.1.9 key k9\n");
    ASSERT_EQ(c.pki.peerKeys.size(), 2u);
    EXPECT_TRUE(c.pki.peerKeys[0].named);
    EXPECT_EQ(c.pki.peerKeys[0].name, "R2.lab.example");
    EXPECT_EQ(c.pki.peerKeys[0].usage, "encryption");
    EXPECT_EQ(c.pki.peerKeys[0].address, Ipv4Address("10.1.1.2"));
    EXPECT_EQ(c.pki.peerKeys[0].key, a.publicKey);
    EXPECT_FALSE(c.pki.peerKeys[1].named);
    EXPECT_EQ(c.pki.peerKeys[1].address, Ipv4Address("10.1.1.3"));
    EXPECT_EQ(c.pki.peerKeys[1].key, b.publicKey);
    const IosKeyring& k = c.keyrings.at("KR");
    ASSERT_EQ(k.rsaKeys.size(), 1u);
    EXPECT_EQ(k.rsaKeys[0].address, Ipv4Address("10.1.1.4"));
    EXPECT_EQ(k.rsaKeys[0].key, b.publicKey);
    ASSERT_EQ(k.keys.size(), 1u) << "the keyring's mode goes on after the key's quit";
    EXPECT_EQ(k.keys[0].key, "k9");
    EXPECT_TRUE(c.notModelled.empty());
}

TEST(IosPkiConfig, BadInputSaysWhereAndWhat)
{
    // A word that is not hex inside a certificate: its line and column.
    EXPECT_IOS_ERROR("crypto pki certificate chain T\n certificate 01\n  3082 30X2\n  quit\n", 3, 7,
                     "expected the certificate's hex digits, or quit");
    // Hex that is no certificate: at the quit, naming where the block started.
    EXPECT_IOS_ERROR("crypto pki certificate chain T\n certificate 01\n  3082024A 308201B3\n"
                     "  quit\n",
                     4, 2, "(from line 2) is not a DER X.509 certificate");
    EXPECT_IOS_ERROR("crypto key pubkey-chain rsa\n named-key x\n  key-string\n  005C300D\n"
                     "  quit\n",
                     5, 2, "is not an RSA public key");
    EXPECT_IOS_ERROR("crypto pki certificate chain T\n certificate zz\n", 2, 13,
                     "serial number in hex");
    EXPECT_IOS_ERROR("crypto pki trustpoint T\n subject-name CN=R1,XX=2\n", 2, 14,
                     "unknown name attribute \"XX\"");
    EXPECT_IOS_ERROR("crypto key generate rsa modulus 300\n", 1, 32, "360 to 4096");
    EXPECT_IOS_ERROR("crypto key generate rsa modulus 1025\n", 1, 32, "even");
    EXPECT_IOS_ERROR("crypto pki trustpoint T\n revocation-check sometimes\n", 2, 18,
                     "expected crl, none or ocsp");
    EXPECT_IOS_ERROR("crypto pki enrol\n", 1, 17, "Incomplete");
    // The file and the '^' are in the message.
    const IosConfigError e = E("crypto key pubkey-chain rsa\n addressed-key 10.1.1.300\n");
    EXPECT_NE(std::string(e.what()).find("t.cfg:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("^"), std::string::npos) << e.what();
}

TEST(IosPkiConfig, WhatIsReadWithoutEffect)
{
    const IosRouterConfig c = P("crypto pki trustpoint T\n"
                                " enrollment selfsigned\n"
                                " auto-enroll 70\n"
                                "crypto pki server CA\n"
                                " database level complete\n"
                                "crypto key export rsa k pem terminal 3des pw\n");
    EXPECT_EQ(c.notModelled.size(), 5u);
    EXPECT_TRUE(c.pki.trustpoints.count("T"));
}

// ------------------------------------------------------------------------------ router

class IosPkiRouter : public IosLab
{
protected:
    void SetUp() override
    {
        RngSeedManager::SetSeed(11);
        RngSeedManager::SetRun(1);
    }
    void Install(const std::string& r1)
    {
        Router("R1", r1);
        Router("R2", "hostname R2\ninterface Serial0\n ip address 10.1.1.2 255.255.255.252\n");
        Link("R1:Serial0", "R2:Serial0");
        Build();
        routers["R1"]->SetCalendarStart(kMar2026);
        routers["R1"]->SetCertificateAuthorities(
            [this](const std::string& url) -> IosCertificateAuthority*
            { return url.find("10.9.9.9") != std::string::npos ? &ca : nullptr; });
    }
    TestCa ca;
};

const char* kEnrollingR1 = "hostname R1\n"
                           "ip domain-name lab.example\n"
                           "interface Serial0\n"
                           " ip address 10.1.1.1 255.255.255.252\n"
                           "crypto key generate rsa label R1-key modulus 768\n"
                           "crypto pki trustpoint TestCA\n"
                           " enrollment url http://10.9.9.9:80\n"
                           " subject-name CN=R1,OU=Lab\n"
                           " ip-address Serial0\n"
                           " rsakeypair R1-key\n"
                           "crypto pki authenticate TestCA\n"
                           "crypto pki enroll TestCA\n"
                           "crypto key pubkey-chain rsa\n"
                           " addressed-key 10.1.1.2 encryption\n";

TEST_F(IosPkiRouter, EnrolsAndHandsIkeItsDer)
{
    Install(kEnrollingR1);
    Ptr<IosRouter> r = routers["R1"];
    r->StartPki();
    ASSERT_EQ(ca.requests.size(), 1u);
    const IosEnrollmentRequest& req = ca.requests[0];
    EXPECT_EQ(req.subject, "CN=R1,OU=Lab,hostname=R1.lab.example,unstructuredAddress=10.1.1.1");
    EXPECT_EQ(req.sanIp, std::vector<std::string>{"10.1.1.1"});
    EXPECT_EQ(req.sanDns, std::vector<std::string>{"R1.lab.example"});
    EXPECT_EQ(req.now, kMar2026);
    EXPECT_EQ(ipsec::RsaPublicKeyBits(req.publicKey), 768u);

    const auto cred = r->GetRsaCredentials(Ipv4Address("10.1.1.1"));
    ASSERT_TRUE(cred);
    EXPECT_EQ(cred->trustpoint, "TestCA");
    ASSERT_EQ(cred->certificates.size(), 1u) << "the CA is the anchor: no issuer to send";
    EXPECT_EQ(cred->certificates[0], ca.issued.at(0));
    EXPECT_EQ(ipsec::RsaKeyFromPrivate(cred->privateKey).publicKey, req.publicKey);

    ca.revoke = {ca.issued.at(0)};
    const IkePolicyProvider::Trust trust = r->GetTrust();
    EXPECT_EQ(trust.anchors, std::vector<Der>{ca.m_cert});
    EXPECT_TRUE(trust.crlRequired) << "IOS checks the CRL unless told otherwise";
    ASSERT_EQ(trust.crls.size(), 1u);
    EXPECT_EQ(ipsec::DescribeCrl(trust.crls[0]).revokedSerials.at(0),
              ipsec::DescribeCertificate(ca.issued[0]).serial);
    EXPECT_EQ(trust.now, kMar2026);
    // Nothing is done twice.
    r->StartPki();
    EXPECT_EQ(ca.requests.size(), 1u);
    // The addressed key without a key-string gives nothing; R2's own key is unknown.
    EXPECT_FALSE(r->GetPeerRsaPublicKey(Ipv4Address("10.1.1.2"), ""));
}

TEST_F(IosPkiRouter, KeysComeFromTheSeed)
{
    Install("hostname R1\ninterface Serial0\n ip address 10.1.1.1 255.255.255.252\n");
    Ptr<IosRouter> r = routers["R1"];
    EXPECT_FALSE(r->GetRsaCredentials(Ipv4Address("10.1.1.1"))) << "no keys yet";
    const std::string out = r->Exec("crypto key generate rsa modulus 512");
    EXPECT_NE(out.find("The name for the keys will be: R1"), std::string::npos) << out;
    const auto first = r->GetRsaCredentials(Ipv4Address("10.1.1.1"));
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->certificates.empty());
    // The same seed and node give the same key; a replacement is a new key.
    Ptr<IosRouter> r2 = routers["R2"];
    r2->Exec("crypto key generate rsa modulus 512");
    EXPECT_NE(r2->GetRsaCredentials(Ipv4Address())->privateKey, first->privateKey);
    r->Exec("crypto key generate rsa modulus 512");
    const auto second = r->GetRsaCredentials(Ipv4Address("10.1.1.1"));
    EXPECT_NE(second->privateKey, first->privateKey);
    EXPECT_NE(r->Exec("crypto key zeroize rsa").find("All RSA keys will be removed"),
              std::string::npos);
    EXPECT_FALSE(r->GetRsaCredentials(Ipv4Address("10.1.1.1")));
}

TEST_F(IosPkiRouter, SameSeedSameKeyAcrossRuns)
{
    std::vector<Der> keys;
    for (int run = 0; run < 2; ++run)
    {
        Install("hostname R1\ninterface Serial0\n ip address 10.1.1.1 255.255.255.252\n");
        routers["R1"]->Exec("crypto key generate rsa modulus 512");
        keys.push_back(routers["R1"]->GetRsaCredentials(Ipv4Address())->privateKey);
        Simulator::Destroy();
        configs.clear();
        links.clear();
        nodes.clear();
        devices.clear();
        routers.clear();
    }
    EXPECT_EQ(keys[0], keys[1]);
}

TEST_F(IosPkiRouter, ConsoleCommandsAndTheirErrors)
{
    Install("hostname R1\ninterface Serial0\n ip address 10.1.1.1 255.255.255.252\n"
            "crypto pki trustpoint NOURL\n"
            "crypto pki trustpoint FAR\n enrollment url http://192.0.2.200\n");
    Ptr<IosRouter> r = routers["R1"];
    EXPECT_NE(r->Exec("crypto pki enroll FAR")
                  .find("You must authenticate the Certificate "
                        "Authority before you can enroll"),
              std::string::npos);
    EXPECT_NE(r->Exec("crypto pki authenticate FAR").find("status = FAIL"), std::string::npos);
    EXPECT_NE(r->Exec("crypto pki authenticate NOURL").find("has no enrollment url"),
              std::string::npos);
    EXPECT_NE(r->Exec("crypto pki authenticate NONE").find("is not configured"), std::string::npos);
    try
    {
        r->Exec("crypto key generate rsa modulus 100");
        ADD_FAILURE() << "accepted a 100-bit modulus";
    }
    catch (const IosConfigError& e)
    {
        EXPECT_EQ(e.Column(), 32u) << e.what();
    }
    EXPECT_THROW(r->Exec("crypto pki fetch X"), IosConfigError);
}

TEST_F(IosPkiRouter, ShowCommands)
{
    Install(kEnrollingR1);
    Ptr<IosRouter> r = routers["R1"];
    r->StartPki();
    const ipsec::CertificateInfo mine = ipsec::DescribeCertificate(ca.issued.at(0));
    std::string serial = ipsec::ToHex(mine.serial);
    std::transform(serial.begin(), serial.end(), serial.begin(), ::toupper);
    const std::string certs = r->Exec("show crypto pki certificates verbose");
    for (const std::string& want :
         {std::string("Certificate\n  Status: Available\n  Version: 3\n"
                      "  Certificate Serial Number (hex): ") +
              serial,
          std::string("  Issuer: \n    o=Lab\n    cn=TestCA\n"),
          std::string("    Name: R1.lab.example\n    IP Address: 10.1.1.1\n"),
          std::string("    start date: 08:00:00 UTC Mar 1 2026\n"
                      "    end   date: 08:00:00 UTC Mar 2 2026\n"),
          std::string("    RSA Public Key: (768 bit)\n"), std::string("IP Address : 10.1.1.1"),
          std::string("CA Certificate\n"), std::string("  Associated Trustpoints: TestCA \n")})
    {
        EXPECT_NE(certs.find(want), std::string::npos) << want << "\n---\n" << certs;
    }
    const std::string tps = r->Exec("show crypto pki trustpoints");
    EXPECT_NE(tps.find("Trustpoint TestCA:\n    Subject Name: \n    o=Lab\n    cn=TestCA\n"),
              std::string::npos)
        << tps;
    EXPECT_NE(tps.find("SCEP URL: http://10.9.9.9:80"), std::string::npos) << tps;

    // The key data IOS prints is what another router pastes as the peer's key-string.
    const std::string keys = r->Exec("show crypto key mypubkey rsa");
    EXPECT_NE(keys.find("Key name: R1-key\nKey type: RSA KEYS\n Storage Device: not specified\n"
                        " Usage: General Purpose Key\n Key is not exportable.\n Key Data:\n"),
              std::string::npos)
        << keys;
    // Fingerprints in words of eight digits, each followed by a space.
    const std::string md5 = certs.substr(certs.find("  Fingerprint MD5: ") + 19);
    EXPECT_EQ(md5.find('\n'), 36u) << md5;
    EXPECT_EQ(md5.substr(8, 1) + md5.substr(17, 1) + md5.substr(26, 1) + md5.substr(35, 1), "    ")
        << md5;
    EXPECT_NE(keys.find("% Key pair was generated at: 08:00:00 UTC Mar 1 2026"), std::string::npos)
        << keys;
    const std::string data = keys.substr(keys.find(" Key Data:\n") + 11);

    // show running-config has the enrolled chain, which reads back as the same certificates.
    const std::string run = r->Exec("show running-config");
    const size_t chainAt = run.find("crypto pki certificate chain TestCA\n certificate " + serial);
    ASSERT_NE(chainAt, std::string::npos) << run;
    const IosRouterConfig again = ns3::test::P(run);
    ASSERT_EQ(again.pki.chains.at("TestCA").certificates.size(), 2u);
    EXPECT_EQ(again.pki.chains.at("TestCA").certificates[0].der, ca.issued[0]);
    EXPECT_EQ(again.pki.chains.at("TestCA").certificates[1].der, ca.m_cert);
    const IosRouterConfig peer =
        ns3::test::P("crypto key pubkey-chain rsa\n named-key R1.lab.example\n"
                     "  key-string\n" +
                     data + "  quit\n");
    EXPECT_EQ(peer.pki.peerKeys.at(0).key, mine.publicKey);
}

// `show crypto key pubkey-chain rsa`: the keys a student pasted (a show running-config with CRLF
// line ends, named and addressed keys, a keyring's key), as a table and one key at a time with
// its data, which is the key-string as pasted.
TEST_F(IosPkiRouter, ShowPubkeyChain)
{
    ipsec::DeterministicByteSource src(3, 1, "peer-keys");
    const ipsec::RsaKeyPair a = ipsec::GenerateRsaKey(src, 512);
    const ipsec::RsaKeyPair b = ipsec::GenerateRsaKey(src, 768);
    std::string cfg = "R1#show running-config\nBuilding configuration...\n\n"
                      "Current configuration : 1202 bytes\n!\nhostname R1\n!\n"
                      "crypto key pubkey-chain rsa\n"
                      " named-key R2.lab.example encryption\n"
                      "  address 10.1.1.2\n"
                      "  key-string\n" +
                      IosHex(a.publicKey, "   ") +
                      "   quit\n"
                      " addressed-key 10.1.1.3\n"
                      "  key-string\n" +
                      IosHex(b.publicKey, "  ") +
                      "  quit\n"
                      " named-key R4.lab.example signature\n"
                      "  key-string\n" +
                      IosHex(a.publicKey, "  ") +
                      "  quit\n"
                      "!\n"
                      "crypto keyring KR\n"
                      "  rsa-pubkey address 10.1.1.4 encryption\n"
                      "  key-string\n" +
                      IosHex(b.publicKey, "  ") +
                      "  quit\n!\ninterface Serial0\n ip address 10.1.1.1 255.255.255.252\n"
                      " no fair-queue\n!\nend\n";
    std::string crlf;
    for (char ch : cfg)
    {
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    }
    Install(crlf);
    Ptr<IosRouter> r = routers["R1"];
    EXPECT_EQ(r->Exec("show crypto key pubkey-chain rsa"),
              "Codes: M - Manually configured, C - Extracted from certificate\n\n"
              "Code Usage        IP-Address/VRF        Keyring          Name\n"
              "M    Encryption   10.1.1.2              default          R2.lab.example\n"
              "M    General      10.1.1.3              default          \n"
              "M    Signature                          default          R4.lab.example\n"
              "M    Encryption   10.1.1.4              KR               \n");
    EXPECT_EQ(r->Exec("show crypto key pubkey-chain rsa address 10.1.1.3"),
              "Key address: 10.1.1.3\n Usage: General Purpose Key\n Source: Manually entered\n"
              " Data:\n" +
                  IosKeyData(b.publicKey, " "));
    EXPECT_EQ(r->Exec("show crypto key pubkey-chain rsa name r2.LAB.example"),
              "Key name: R2.lab.example\n Key address: 10.1.1.2\n  Usage: Encryption Key\n"
              "  Source: Manually entered\n  Data:\n" +
                  IosKeyData(a.publicKey, "  "));
    EXPECT_NE(r->Exec("show crypto key pubkey-chain rsa address 10.1.1.4").find(" Keyring: KR\n"),
              std::string::npos);
    EXPECT_EQ(r->Exec("show crypto key pubkey-chain rsa name nobody"), "");
    // the data printed is what was pasted: it reads back as the same key
    const std::string shown = r->Exec("show crypto key pubkey-chain rsa name R4.lab.example");
    const IosRouterConfig again =
        ns3::test::P("crypto key pubkey-chain rsa\n named-key X\n  key-string\n" +
                     shown.substr(shown.find("Data:\n") + 6) + "  quit\n");
    EXPECT_EQ(again.pki.peerKeys.at(0).key, a.publicKey);
    for (const char* bad : {"show crypto key pubkey-chain rsa address 10.1.1.300",
                            "show crypto key pubkey-chain rsa nam", "show crypto key pubkey-chain",
                            "show crypto key pubkey-chain rsa name R2 extra"})
    {
        EXPECT_THROW(r->Exec(bad), IosConfigError) << bad;
    }
}

TEST_F(IosPkiRouter, PastedChainCertificateWithoutItsKeyIsNotUsed)
{
    const PastedChain p = MakePastedChain();
    std::string text = ShowRunWithChain(p);
    text.replace(text.find("interface Serial0"), 17, "interface Serial0");
    Install(text.substr(text.find("hostname R1")));
    Ptr<IosRouter> r = routers["R1"];
    // The CA certificate is authenticated; the router certificate's key is in NVRAM, not in
    // the text: without it the certificate cannot sign.
    EXPECT_EQ(r->GetTrust().anchors, std::vector<Der>{p.ca});
    EXPECT_FALSE(r->GetRsaCredentials(Ipv4Address("10.1.1.1")));
    EXPECT_NE(r->Exec("show crypto pki certificates").find("Certificate Serial Number (hex): "),
              std::string::npos);
}

TEST_F(IosPkiRouter, PeerKeysForRsaEncr)
{
    ipsec::DeterministicByteSource src(3, 1, "peer-keys");
    const ipsec::RsaKeyPair a = ipsec::GenerateRsaKey(src, 512);
    const ipsec::RsaKeyPair b = ipsec::GenerateRsaKey(src, 512);
    Install("hostname R1\ninterface Serial0\n ip address 10.1.1.1 255.255.255.252\n"
            "crypto key pubkey-chain rsa\n named-key R2.lab signature\n  key-string\n" +
            IosHex(b.publicKey, "  ") + "  quit\n named-key R2.lab encryption\n  key-string\n" +
            IosHex(a.publicKey, "  ") +
            "  quit\n"
            "crypto keyring KR\n rsa-pubkey address 10.1.1.2\n key-string\n" +
            IosHex(b.publicKey, " ") + " quit\n");
    Ptr<IosRouter> r = routers["R1"];
    EXPECT_EQ(r->GetPeerRsaPublicKey(Ipv4Address("10.7.7.7"), "r2.LAB"), a.publicKey)
        << "by name, ignoring case, the encryption key";
    EXPECT_EQ(r->GetPeerRsaPublicKey(Ipv4Address("10.1.1.2"), ""), b.publicKey)
        << "by address, from the keyring";
    EXPECT_FALSE(r->GetPeerRsaPublicKey(Ipv4Address("10.1.1.3"), "R3"));
}

TEST_F(IosPkiRouter, ConfigureTerminalMakesKeysAndEnrols)
{
    const std::string base = "hostname R1\ninterface Serial0\n ip address 10.1.1.1 "
                             "255.255.255.252\n";
    Install(base);
    Ptr<IosRouter> r = routers["R1"];
    const std::vector<std::string> notes = r->Reconfigure(
        ns3::test::P(base + "crypto key generate rsa modulus 512\n"
                            "crypto pki trustpoint TestCA\n enrollment url http://10.9.9.9\n"
                            "crypto pki authenticate TestCA\ncrypto pki enroll TestCA\n"));
    ASSERT_EQ(notes.size(), 3u);
    EXPECT_NE(notes[0].find("Generating 512 bit RSA keys"), std::string::npos) << notes[0];
    EXPECT_NE(notes[1].find("Trustpoint CA certificate accepted."), std::string::npos);
    EXPECT_NE(notes[2].find("CERTRET"), std::string::npos) << notes[2];
    ASSERT_EQ(ca.issued.size(), 1u);
    const auto cred = r->GetRsaCredentials(Ipv4Address("10.1.1.1"));
    ASSERT_TRUE(cred);
    EXPECT_EQ(cred->certificates.at(0), ca.issued[0]);
    EXPECT_EQ(ipsec::DescribeCertificate(ca.issued[0]).subject, "unstructuredName=R1");
}

TEST(IosPkiConfig, CorpusConfigurationsRead)
{
    // The fuzzing seeds for the PKI commands (fuzz/corpus/ios-config/pki-*.cfg) read cleanly.
    const std::string dir = std::string(IPSEC_SOURCE_DIR) + "/fuzz/corpus/ios-config/";
    const IosRouterConfig pasted = IosConfigReader::ParseFile(dir + "pki-pasted-chain.cfg");
    const IosCertificateChain& chain = pasted.pki.chains.at("LabSub");
    ASSERT_EQ(chain.certificates.size(), 2u);
    EXPECT_EQ(ipsec::DescribeCertificate(chain.certificates[0].der).subject, "CN=h1,O=Lab");
    EXPECT_TRUE(ipsec::DescribeCertificate(chain.certificates[1].der).ca);
    EXPECT_FALSE(pasted.pki.trustpoints.at("LabSub").crlRequired) << "crl none";
    EXPECT_EQ(pasted.pki.peerKeys.at(0).key,
              ipsec::DescribeCertificate(chain.certificates[1].der).publicKey);
    const IosRouterConfig script = IosConfigReader::ParseFile(dir + "pki-script.cfg");
    EXPECT_EQ(script.pki.actions.size(), 2u);
}

TEST(IosPkiConfig, CertificateWithAnUnreadableValidityTimeIsAnError)
{
    // Found by fuzzing: a pasted chain whose certificate parses as DER but whose notBefore is
    // not an ASN.1 time ("2603 3" with digits moved) ended the program with an OpenSSL error.
    // It is a configuration error at the certificate's quit, naming where its hex began.
    const std::string file =
        std::string(IPSEC_SOURCE_DIR) + "/fuzz/corpus/ios-config/pki-bad-validity-time.cfg";
    try
    {
        IosConfigReader::ParseFile(file);
        FAIL() << "the damaged certificate was taken";
    }
    catch (const IosConfigError& e)
    {
        const std::string what = e.what();
        EXPECT_NE(what.find("pki-bad-validity-time.cfg:"), std::string::npos) << what;
        EXPECT_NE(what.find("(from line 12) is not a DER X.509 certificate"), std::string::npos)
            << what;
        EXPECT_NE(what.find("validity time"), std::string::npos) << what;
    }
}

TEST(IosPkiConfig, DamagedInputIsAnErrorNeverACrash)
{
    // Every line of the PKI seeds dropped, doubled, cut in half or written without its
    // indentation: the reader either takes the text or says what is wrong (IosConfigError).
    const std::string dir = std::string(IPSEC_SOURCE_DIR) + "/fuzz/corpus/ios-config/";
    for (const char* file : {"pki-pasted-chain.cfg", "pki-script.cfg"})
    {
        std::ifstream in(dir + file);
        std::vector<std::string> lines;
        for (std::string l; std::getline(in, l);)
        {
            lines.push_back(l);
        }
        ASSERT_FALSE(lines.empty()) << file;
        for (size_t i = 0; i < lines.size(); ++i)
        {
            for (int how = 0; how < 4; ++how)
            {
                std::vector<std::string> v = lines;
                const size_t start = v[i].find_first_not_of(" \t");
                switch (how)
                {
                case 0:
                    v.erase(v.begin() + static_cast<long>(i));
                    break;
                case 1:
                    v.insert(v.begin() + static_cast<long>(i), v[i]);
                    break;
                case 2:
                    v[i] = v[i].substr(0, v[i].size() / 2);
                    break;
                default:
                    v[i] = start == std::string::npos ? v[i] : v[i].substr(start);
                    break;
                }
                std::string text;
                for (const auto& l : v)
                {
                    text += l + "\n";
                }
                try
                {
                    IosConfigReader::Parse(text, file);
                }
                catch (const IosConfigError&)
                {
                }
                catch (const std::exception& e)
                {
                    ADD_FAILURE() << file << " line " << i + 1 << " change " << how << ": "
                                  << e.what();
                }
            }
        }
    }
}
