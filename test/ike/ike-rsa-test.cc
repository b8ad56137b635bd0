// Phase 1 authenticated with RSA between two IkeDaemons: rsa-sig (certificates from the fixture CA
// of test/data/pki) and rsa-encr, in main and aggressive mode; the IOS default policy with no
// policy configured; each refusal (expired, revoked, wrong CA, identity not in the certificate,
// no public key) with its reason and drop counter; and the RSA work timed on the CPU or a card.
#include "ns3/calibration.h"
#include "ns3/crypto-engine.h"
#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ipsec-helper.h"
#include "ns3/rsa-ops.h"

#include "common/pki-fixtures.h"
#include "common/two-routers.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace ns3;
using ns3::test::PkiFile;

namespace
{

/** One router's IKE policy, keys and PKI as data. */
class RsaProvider : public IkePolicyProvider
{
public:
    std::vector<IkePolicy> policies;
    std::optional<std::string> key;
    std::optional<RsaCredentials> rsa;
    Trust trust;
    std::optional<std::vector<uint8_t>> peerKey; //!< rsa-encr: the peer's public key
    Ptr<IpsecPolicyEntry> entry;
    IkePhase2Offer offer;

    std::vector<IkePolicy> GetIkePolicies() const override
    {
        return policies;
    }

    std::optional<std::string> GetPreSharedKey(Ipv4Address) const override
    {
        return key;
    }

    std::optional<RsaCredentials> GetRsaCredentials(Ipv4Address) const override
    {
        return rsa;
    }

    Trust GetTrust() const override
    {
        return trust;
    }

    std::optional<std::vector<uint8_t>> GetPeerRsaPublicKey(Ipv4Address,
                                                            const std::string&) const override
    {
        return peerKey;
    }

    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> e) const override
    {
        return {e, offer, ""};
    }

    Phase2 MatchQuickMode(Ipv4Address, Ipv4Address, const IpsecTrafficSelector&) const override
    {
        return {entry, offer, ""};
    }
};

IkePolicy
Suite(uint16_t auth)
{
    IkePolicy p;
    p.priority = 10;
    p.encryption = IKE_ENCR_AES_CBC;
    p.keyLength = 128;
    p.hash = IKE_HASH_SHA;
    p.authentication = auth;
    p.group = IKE_GROUP_MODP_1024;
    return p;
}

class IkeRsa : public test::TwoRouterTest
{
protected:
    RsaProvider provider[2];
    Ptr<IkeDaemon> ike[2];
    std::string platform;                //!< "" : no engines
    std::vector<std::string> modules[2]; //!< cards per router

    void SetUp() override
    {
        TwoRouterTest::SetUp();
        const IpsecTrafficSelector lans = IpsecTrafficSelector::Subnets(
            h1, Ipv4Mask("255.255.255.0"), h2, Ipv4Mask("255.255.255.0"), 17);
        const Ipv4Address peerOf[2] = {r2s, r1s};
        const uint32_t serialIf[2] = {2, 1};
        const char* names[2] = {"r1", "r2"};
        for (int i = 0; i < 2; ++i)
        {
            Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
            e->mapName = "m";
            e->seq = 10;
            e->keying = IpsecKeying::ISAKMP;
            e->peers = {peerOf[i]};
            e->AddRule(true, i == 0 ? lans : lans.Mirror());
            Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
            spd->AddEntry(e);
            IpsecHelper::ApplyCryptoMap(routers.Get(i), serialIf[i], spd);
            RsaProvider& p = provider[i];
            p.entry = e;
            p.offer.sets = {IpsecTransformSet::Parse("esp-aes esp-sha-hmac")};
            p.policies = {Suite(IKE_AUTH_RSA_SIGNATURES)};
            p.rsa = IkePolicyProvider::RsaCredentials{PkiFile(std::string(names[i]) + ".key"),
                                                      {PkiFile(std::string(names[i]) + ".crt")},
                                                      "lab"};
            p.trust.anchors = {PkiFile("ca.crt")};
            p.trust.now = test::kPkiNow;
        }
        provider[0].peerKey = ipsec::RsaPublicKeyOf(PkiFile("r2.key"));
        provider[1].peerKey = ipsec::RsaPublicKeyOf(PkiFile("r1.key"));
    }

    void TearDown() override
    {
        for (auto& d : ike)
        {
            if (d)
            {
                d->Stop();
            }
        }
        TwoRouterTest::TearDown();
    }

    void StartDaemons(bool aggressive = false)
    {
        for (int i = 0; i < 2; ++i)
        {
            Ptr<IpsecProcessor> proc = IpsecHelper::Install(routers.Get(i));
            if (!platform.empty())
            {
                proc->SetEngineSet(
                    IpsecCalibration::Default().BuildEngineSet(platform, modules[i]));
            }
            ike[i] = CreateObject<IkeDaemon>();
            ike[i]->Setup(proc, &provider[i], i == 0 ? "R1.lab.example" : "R2.lab.example");
            ike[i]->Start();
        }
        if (aggressive)
        {
            ike[0]->SetInitiateAggressiveMode(r2s);
        }
    }

    void SendAndRun(double seconds)
    {
        UdpClientHelper c(h2, 9);
        c.SetAttribute("MaxPackets", UintegerValue(20));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(500)));
        c.SetAttribute("PacketSize", UintegerValue(200));
        c.Install(hosts.Get(0)).Start(Seconds(1));
        Simulator::Stop(Seconds(seconds));
        Simulator::Run();
    }

    std::vector<IkeExchangeRecord> Exchanges(int i, const std::string& exchange,
                                             const std::string& result) const
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& r : ike[i]->GetExchanges())
        {
            if (r.exchange == exchange && r.result == result)
            {
                out.push_back(r);
            }
        }
        return out;
    }

    /** Both routers completed @p phase1 and quick mode; traffic flows over the SAs. */
    void ExpectTunnelUp(const std::string& phase1, const std::string& method)
    {
        for (int i = 0; i < 2; ++i)
        {
            SCOPED_TRACE("R" + std::to_string(i + 1));
            const auto p1 = Exchanges(i, phase1, "ok");
            ASSERT_EQ(p1.size(), 1u);
            EXPECT_NE(p1[0].detail.find(method), std::string::npos) << p1[0].detail;
            EXPECT_EQ(Exchanges(i, "quick", "ok").size(), 1u);
            ASSERT_EQ(provider[i].entry->bundles.size(), 1u);
            EXPECT_EQ(ike[i]->GetDroppedMessages(), 0u);
        }
        const Ptr<IpsecSa> out = provider[0].entry->bundles[0]->outbound.at(0);
        const Ptr<IpsecSa> in = provider[1].entry->bundles[0]->inbound.at(0);
        EXPECT_EQ(out->GetSpi(), in->GetSpi());
        EXPECT_GT(out->GetPackets(), 0u);
        EXPECT_EQ(in->GetPackets(), out->GetPackets());
    }

    /** Phase 1 failed at router @p i with @p text in the reason, counted as @p drop. */
    void ExpectRefused(int i, const std::string& text, IkeDropReason drop)
    {
        EXPECT_TRUE(Exchanges(0, "quick", "ok").empty());
        EXPECT_TRUE(provider[0].entry->bundles.empty());
        std::vector<IkeExchangeRecord> failed = Exchanges(i, "main", "failed");
        const auto aggr = Exchanges(i, "aggressive", "failed");
        failed.insert(failed.end(), aggr.begin(), aggr.end());
        ASSERT_FALSE(failed.empty());
        EXPECT_NE(failed[0].reason.find(text), std::string::npos) << failed[0].reason;
        const auto& counts = ike[i]->GetDropCounts();
        auto it = counts.find(IkeDropKey{drop});
        ASSERT_NE(it, counts.end()) << ToString(drop);
        EXPECT_GE(it->second, 1u);
    }
};

TEST_F(IkeRsa, MainModeRsaSigByAddress)
{
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
    // Each end names the certificate it verified.
    EXPECT_NE(Exchanges(0, "main", "ok")[0].detail.find("CN=R2.lab.example"), std::string::npos);
    EXPECT_NE(Exchanges(1, "main", "ok")[0].detail.find("CN=R1"), std::string::npos);
}

TEST_F(IkeRsa, MainModeRsaSigByHostname)
{
    // R1's certificate names its host in unstructuredName (IOS), R2's in a dNSName.
    StartDaemons();
    ike[0]->SetIdentityHostname(true);
    ike[1]->SetIdentityHostname(true);
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
}

TEST_F(IkeRsa, MainModeRsaSigByDistinguishedName)
{
    StartDaemons();
    ike[0]->SetIdentityDn(true);
    ike[1]->SetIdentityDn(true);
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
}

TEST_F(IkeRsa, ChainThroughASubordinateCa)
{
    // R2's certificate comes from the issuing CA below the root; R2 sends both, R1 trusts the
    // root only.
    provider[1].rsa->certificates = {PkiFile("r2-sub.crt"), PkiFile("sub-ca.crt")};
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
}

TEST_F(IkeRsa, IosDefaultPolicyNegotiatesWithCertificates)
{
    // No `crypto isakmp policy` at all: the default suite, DES SHA rsa-sig group 1, 86,400 s.
    for (auto& p : provider)
    {
        p.policies = {IkePolicy::IosDefault()};
    }
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "DES SHA rsa-sig group1 86400s");
    EXPECT_EQ(ike[0]->GetSas()[0]->policy.authentication, IKE_AUTH_RSA_SIGNATURES);
    EXPECT_EQ(ike[0]->GetSas()[0]->policy.group, IKE_GROUP_MODP_768);
}

TEST_F(IkeRsa, PreShareIsPreferredWhereConfiguredFirst)
{
    // pre-share first, rsa-sig second on both: the first acceptable suite wins, as in IOS.
    for (auto& p : provider)
    {
        IkePolicy psk = Suite(IKE_AUTH_PRE_SHARED_KEY);
        psk.priority = 5;
        p.policies = {psk, Suite(IKE_AUTH_RSA_SIGNATURES)};
        p.key = "k3y";
    }
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "pre-share");
}

TEST_F(IkeRsa, WithoutAKeyForThePeerOnlyTheRsaSuitesAreOffered)
{
    // pre-share is R1's first policy, but R1 has no key for R2: rsa-sig is offered and agreed.
    IkePolicy psk = Suite(IKE_AUTH_PRE_SHARED_KEY);
    psk.priority = 5;
    provider[0].policies = {psk, Suite(IKE_AUTH_RSA_SIGNATURES)};
    provider[1].policies = provider[0].policies;
    provider[1].key = "k3y";
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
}

TEST_F(IkeRsa, AggressiveModeRsaSig)
{
    StartDaemons(true);
    SendAndRun(20);
    ExpectTunnelUp("aggressive", "rsa-sig");
    EXPECT_NE(Exchanges(0, "aggressive", "ok")[0].detail.find("CN=R2.lab.example"),
              std::string::npos);
    EXPECT_NE(Exchanges(1, "aggressive", "ok")[0].detail.find("CN=R1"), std::string::npos);
}

TEST_F(IkeRsa, MainModeRsaEncr)
{
    for (auto& p : provider)
    {
        p.policies = {Suite(IKE_AUTH_RSA_ENCRYPTION)};
        p.rsa->certificates.clear(); // keys only: rsa-encr needs no certificate
    }
    StartDaemons();
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-encr");
}

TEST_F(IkeRsa, AggressiveModeRsaEncr)
{
    for (auto& p : provider)
    {
        p.policies = {Suite(IKE_AUTH_RSA_ENCRYPTION)};
    }
    StartDaemons(true);
    SendAndRun(20);
    ExpectTunnelUp("aggressive", "rsa-encr");
}

TEST_F(IkeRsa, RsaEncrWithTheWrongPublicKeyFails)
{
    // R1 holds R1's own key for R2: R2 cannot decrypt what R1 sends.
    for (auto& p : provider)
    {
        p.policies = {Suite(IKE_AUTH_RSA_ENCRYPTION)};
    }
    provider[0].peerKey = ipsec::RsaPublicKeyOf(PkiFile("r1.key"));
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(1, "does not decrypt with our key", IkeDropReason::RSA_DECRYPTION_FAILED);
}

TEST_F(IkeRsa, RsaEncrWithoutThePeersPublicKeyFails)
{
    for (auto& p : provider)
    {
        p.policies = {Suite(IKE_AUTH_RSA_ENCRYPTION)};
    }
    provider[1].peerKey.reset(); // R2 has no pubkey-chain entry for R1
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(1, "no public key for peer 172.16.0.1 (crypto key pubkey-chain rsa)",
                  IkeDropReason::NO_PEER_PUBLIC_KEY);
}

TEST_F(IkeRsa, ExpiredCertificateIsRefused)
{
    provider[1].rsa->certificates = {PkiFile("r2-expired.crt")};
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0,
                  "%CRYPTO-5-IKMP_INVAL_CERT: Certificate received from 172.16.0.2 is bad: "
                  "certificate has expired",
                  IkeDropReason::PEER_CERTIFICATE_INVALID);
}

TEST_F(IkeRsa, RevokedCertificateIsRefusedWithCrlRequired)
{
    provider[1].rsa->certificates = {PkiFile("r2-revoked.crt")};
    provider[0].trust.crls = {PkiFile("ca.crl")};
    provider[0].trust.crlRequired = true;
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0, "is bad: certificate revoked", IkeDropReason::PEER_CERTIFICATE_INVALID);
}

TEST_F(IkeRsa, CrlRequiredWithoutCrlRefusesEvenAGoodCertificate)
{
    provider[0].trust.crlRequired = true; // and no CRL held
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0, "is bad: no valid CRL for the issuer",
                  IkeDropReason::PEER_CERTIFICATE_INVALID);
}

TEST_F(IkeRsa, CertificateOfAnotherCaIsRefused)
{
    provider[1].rsa->certificates = {PkiFile("r2-wrongca.crt")};
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0, "is bad: certificate issued by an unknown CA",
                  IkeDropReason::PEER_CERTIFICATE_INVALID);
}

TEST_F(IkeRsa, IdentityNotInCertificateIsRefused)
{
    // R2 presents a good certificate of the CA that names another router (10.9.9.9, R9).
    provider[1].rsa->certificates = {PkiFile("r2-othername.crt")};
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0, "ID payload does not match certificate (ID 172.16.0.2",
                  IkeDropReason::ID_CERTIFICATE_MISMATCH);
}

TEST_F(IkeRsa, SignatureByAnotherKeyIsRefused)
{
    // R2 signs with R1's key but presents its own certificate.
    provider[1].rsa->privateKey = PkiFile("r1.key");
    StartDaemons();
    SendAndRun(30);
    ExpectRefused(0, "SIG_R does not verify", IkeDropReason::SIGNATURE_INVALID);
}

TEST_F(IkeRsa, RsaSigWithoutCertificateIsNotOffered)
{
    provider[0].rsa->certificates.clear();
    StartDaemons();
    SendAndRun(10);
    const auto failed = Exchanges(0, "main", "failed");
    ASSERT_FALSE(failed.empty());
    EXPECT_NE(failed[0].reason.find("needs a certificate (crypto pki enroll)"), std::string::npos)
        << failed[0].reason;
}

/**
 * For test/e2e/ike-rsa-tshark.sh: with IKE_RSA_TSHARK_DIR set, an rsa-sig main mode (identity
 * dn on R1, address on R2) captured on R1's serial link (rsa-sig.pcap) and the phase-1 key as an
 * ikev1_decryption_table row (ikev1_decryption_table.txt). Without the variable it only checks
 * that phase 1 came up.
 */
TEST_F(IkeRsa, WriteRsaSigPcapForTshark)
{
    const char* dir = std::getenv("IKE_RSA_TSHARK_DIR");
    if (dir)
    {
        PointToPointHelper().EnablePcap(std::string(dir) + "/rsa-sig.pcap", serialDevs.Get(0),
                                        false, true);
    }
    StartDaemons();
    ike[0]->SetIdentityDn(true);
    SendAndRun(20);
    ExpectTunnelUp("main", "rsa-sig");
    if (dir)
    {
        const Ptr<IkeSa> sa = ike[0]->GetSas().at(0);
        std::ofstream(std::string(dir) + "/ikev1_decryption_table.txt")
            << ipsec::ToHex(std::vector<uint8_t>(sa->icookie.begin(), sa->icookie.end())) << ","
            << ipsec::ToHex(sa->keys.encryptionKey) << "\n";
    }
}

class IkeRsaTiming : public IkeRsa
{
protected:
    /**
     * Phase-1 setup time (the initiator's first message to phase 1 up) between two 2621s with
     * @p auth, with or without an AIM-VPN/BP (which offloads DH and RSA); a fresh network each.
     */
    double Run(uint16_t auth, bool card)
    {
        TearDown();
        ike[0] = ike[1] = nullptr;
        hosts = NodeContainer();
        routers = NodeContainer();
        SetUp();
        platform = "2621";
        for (auto& m : modules)
        {
            m = card ? std::vector<std::string>{"AIM-VPN/BP"} : std::vector<std::string>{};
        }
        for (auto& p : provider)
        {
            p.policies = {Suite(auth)};
            p.key = "k3y";
        }
        StartDaemons();
        SendAndRun(30);
        const auto ok = Exchanges(0, "main", "ok");
        return ok.empty() ? -1 : (ok[0].end - ok[0].start).GetSeconds();
    }
};

TEST_F(IkeRsaTiming, RsaCostShowsInSetupTimeAndAnOffloadingCardShortensIt)
{
    const double pskCpu = Run(IKE_AUTH_PRE_SHARED_KEY, false);
    const double rsaCpu = Run(IKE_AUTH_RSA_SIGNATURES, false);
    const double pskCard = Run(IKE_AUTH_PRE_SHARED_KEY, true);
    const double rsaCard = Run(IKE_AUTH_RSA_SIGNATURES, true);
    RecordProperty("setup_ms", std::to_string(pskCpu * 1000) + " " + std::to_string(rsaCpu * 1000) +
                                   " " + std::to_string(pskCard * 1000) + " " +
                                   std::to_string(rsaCard * 1000));
    ASSERT_GT(pskCpu, 0);
    ASSERT_GT(pskCard, 0);
    EXPECT_GT(rsaCpu, pskCpu) << "RSA signatures cost CPU time";
    EXPECT_LT(rsaCard, rsaCpu) << "the card offloads RSA";
    // What RSA adds is smaller on the card than on the CPU (DH aside).
    EXPECT_LT(rsaCard - pskCard, rsaCpu - pskCpu);
}

} // namespace
