// IKE_SA_INIT and IKE_AUTH beyond the first exchange pair, on routers configured as IOS 15
// is: the initiator's restart after INVALID_KE_PAYLOAD (RFC 7296 1.2), NAT traversal through a
// static NAT (RFC 7296 2.23, RFC 3948: IKE_AUTH on UDP 4500, ESP in UDP, NAT keepalives) and the
// responder's cookie under load (RFC 7296 2.6), RSA signatures with certificates from a CA
// (RFC 7296 2.15) and traffic selector narrowing (2.9).
#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-message.h"
#include "ns3/ikev2-proposal.h"
#include "ns3/ios-pki.h"
#include "ns3/ipsec-static-nat.h"
#include "ns3/rsa-key.h"
#include "ns3/x509-issue.h"

#include "common/ios-lab.h"

#include "ns3/ppp-header.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;

namespace
{

// R1 as `show running-config` prints it (banner lines, `!` separators, `end`).
std::string
R1RunningConfig(const std::string& groups, const std::string& profileExtra,
                const std::string& wan = "192.168.1.1", const std::string& peer = "192.168.1.2",
                const std::string& route = "ip route 10.2.2.0 255.255.255.0 192.168.1.2\n")
{
    return "Building configuration...\n\nCurrent configuration : 1789 bytes\n!\n"
           "version 15.4\nservice timestamps debug datetime msec\nhostname R1\n!\n"
           "crypto ikev2 proposal PROP\n encryption aes-cbc-256\n integrity sha256\n group " +
           groups +
           "\n!\ncrypto ikev2 policy POL\n proposal PROP\n!\ncrypto ikev2 keyring KR\n peer R2\n"
           "  address " +
           peer +
           "\n  pre-shared-key v2-k3y\n !\n!\ncrypto ikev2 profile PR\n"
           " match identity remote address " +
           peer +
           " 255.255.255.255\n authentication remote pre-share\n"
           " authentication local pre-share\n keyring local KR\n" +
           profileExtra +
           "!\ncrypto ipsec transform-set TS esp-aes 256 esp-sha-hmac\n mode tunnel\n!\n"
           "crypto map CM 10 ipsec-isakmp\n set peer " +
           peer +
           "\n set transform-set TS\n set ikev2-profile PR\n match address 101\n!\n"
           "interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n duplex auto\n!\n"
           "interface Serial0\n ip address " +
           wan + " 255.255.255.252\n crypto map CM\n!\n" + route +
           "!\naccess-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n!\n"
           "line vty 0 4\n login\n!\nend\n";
}

// R2 typed at the console, with the CR LF line ends of a terminal session.
std::string
R2ConfTerminal(const std::string& groups, const std::string& globalExtra,
               const std::string& wan = "192.168.1.2", const std::string& peer = "192.168.1.1",
               const std::string& route = "ip route 10.0.0.0 255.255.255.0 192.168.1.1",
               const std::string& matchRemote = "")
{
    std::string s = "enable\nconfigure terminal\nhostname R2\n" + globalExtra +
                    "crypto ikev2 proposal PROP\n encryption aes-cbc-256\n integrity sha256\n"
                    " group " +
                    groups +
                    "\n exit\ncrypto ikev2 policy POL\n proposal PROP\n exit\n"
                    "crypto ikev2 keyring KR\n peer R1\n  address " +
                    peer +
                    "\n  pre-shared-key v2-k3y\n  exit\n exit\n"
                    "crypto ikev2 profile PR\n match identity remote " +
                    (matchRemote.empty() ? "address " + peer + " 255.255.255.255" : matchRemote) +
                    "\n authentication local pre-share\n"
                    " authentication remote pre-share\n keyring local KR\n exit\n"
                    "access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255\n"
                    "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac\n"
                    "crypto map CM 10 ipsec-isakmp\n match address 101\n set transform-set TS\n"
                    " set peer " +
                    peer +
                    "\n set ikev2-profile PR\n exit\n"
                    "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n no shutdown\n"
                    " exit\ninterface Serial0\n ip address " +
                    wan + " 255.255.255.252\n crypto map CM\n exit\n" + route + "\nend\n";
    std::string crlf;
    for (char c : s)
    {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    return crlf;
}

/** @p text with its first @p what replaced by @p with. */
std::string
Edit(std::string text, const std::string& what, const std::string& with)
{
    const size_t at = text.find(what);
    EXPECT_NE(at, std::string::npos) << what;
    return at == std::string::npos ? text : text.replace(at, what.size(), with);
}

class Ikev2InitLab : public test::IosLab
{
protected:
    void TwoSites(const std::string& groups1, const std::string& groups2,
                  const std::string& r2global = "", const std::string& acl1 = "",
                  const std::string& acl2 = "")
    {
        const std::string r1 = R1RunningConfig(groups1, "");
        const std::string r2 = R2ConfTerminal(groups2, r2global);
        Router("R1",
               acl1.empty() ? r1 : Edit(r1, "ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255", acl1));
        Router("R2",
               acl2.empty() ? r2 : Edit(r2, "ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255", acl2));
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        Build();
    }

    /** R1 behind a static NAT (10.10.0.1 seen as 203.0.113.1), R2 on the outside. */
    void BehindNat(const std::string& r1profileExtra)
    {
        Router("R1", R1RunningConfig("14", r1profileExtra, "10.10.0.1", "198.51.100.2",
                                     "ip route 0.0.0.0 0.0.0.0 10.10.0.2\n"));
        Router("N", "hostname N\n"
                    "ip nat inside source static 10.10.0.1 203.0.113.1\n"
                    "interface Serial0\n ip address 10.10.0.2 255.255.255.252\n ip nat inside\n"
                    "interface Serial1\n ip address 198.51.100.1 255.255.255.252\n"
                    " ip nat outside\n"
                    "ip route 10.0.0.0 255.255.255.0 10.10.0.1\n"
                    "ip route 10.2.2.0 255.255.255.0 198.51.100.2\n");
        // R1 names itself by FQDN: its address (10.10.0.1) is not what R2 sees.
        Router("R2",
               R2ConfTerminal("14", "", "198.51.100.2", "203.0.113.1",
                              "ip route 0.0.0.0 0.0.0.0 198.51.100.1", "fqdn branch.example.net"));
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "N:Serial0");
        Link("N:Serial1", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        Build();
    }

    void TearDown() override
    {
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(false));
        IosLab::TearDown();
    }

    Ptr<IkeDaemon> Ike(const std::string& r)
    {
        return routers.at(r)->GetIke();
    }

    std::vector<IkeExchangeRecord> Exchanges(const std::string& r, const std::string& kind,
                                             const std::string& result = "")
    {
        std::vector<IkeExchangeRecord> out;
        for (const auto& x : Ike(r)->GetExchanges())
        {
            if (x.exchange == kind && (result.empty() || x.result == result))
            {
                out.push_back(x);
            }
        }
        return out;
    }

    std::vector<Ptr<IpsecSaBundle>> Bundles(const std::string& r)
    {
        std::vector<Ptr<IpsecSaBundle>> out;
        Ptr<IpsecSpd> spd = P(r)->GetSpd(routers.at(r)->GetInterfaceIndex("Serial0"));
        for (const auto& e : spd->GetEntries())
        {
            out.insert(out.end(), e->bundles.begin(), e->bundles.end());
        }
        return out;
    }

    /** UDP datagrams leaving @p port, by destination port (IKE, NAT-T). */
    std::shared_ptr<std::map<uint16_t, uint64_t>> UdpPorts(const std::string& port)
    {
        auto m = std::make_shared<std::map<uint16_t, uint64_t>>();
        devByPort.at(port)->TraceConnectWithoutContext("PhyTxBegin",
                                                       Callback<void, Ptr<const Packet>>(
                                                           [m](Ptr<const Packet> p)
                                                           {
                                                               Ptr<Packet> q = p->Copy();
                                                               PppHeader ppp;
                                                               q->RemoveHeader(ppp);
                                                               Ipv4Header ip;
                                                               q->RemoveHeader(ip);
                                                               if (ip.GetProtocol() == 17)
                                                               {
                                                                   UdpHeader u;
                                                                   q->RemoveHeader(u);
                                                                   ++(*m)[u.GetDestinationPort()];
                                                               }
                                                           }));
        return m;
    }
};

TEST_F(Ikev2InitLab, InvalidKePayloadRestartsInitWithTheResponderGroup)
{
    // R1 offers groups 5 and 14 and sends its KE in 5; R2 takes only 14.
    TwoSites("5 14", "14");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 200, 1.0);
    Run(6);
    const auto init = Exchanges("R1", "IKE_SA_INIT");
    ASSERT_EQ(init.size(), 1u) << "one exchange across the restart";
    EXPECT_EQ(init[0].result, "ok") << init[0].reason;
    EXPECT_NE(init[0].detail.find("INVALID_KE_PAYLOAD: group 5 -> 14"), std::string::npos)
        << init[0].detail;
    EXPECT_EQ(init[0].messages, 4u) << "request, INVALID_KE_PAYLOAD, request again, response";
    const auto r2 = Exchanges("R2", "IKE_SA_INIT");
    ASSERT_EQ(r2.size(), 2u);
    EXPECT_EQ(r2[0].result, "failed");
    EXPECT_NE(r2[0].reason.find("group 5, not 14 (answered INVALID_KE_PAYLOAD)"), std::string::npos)
        << r2[0].reason;
    EXPECT_EQ(r2[1].result, "ok");
    EXPECT_EQ(r2[1].icookie, init[0].icookie) << "the restart keeps SPIi (RFC 7296 1.2)";
    ASSERT_EQ(Exchanges("R1", "IKE_AUTH", "ok").size(), 1u);
    ASSERT_EQ(Exchanges("R2", "IKE_AUTH", "ok").size(), 1u);
    EXPECT_EQ(Ike("R1")->GetIkev2DecryptionTable(), Ike("R2")->GetIkev2DecryptionTable());
    EXPECT_GT(*there, 190u);
}

TEST_F(Ikev2InitLab, AGroupWeDidNotOfferIsNotRetried)
{
    TwoSites("5", "14"); // NO_PROPOSAL_CHOSEN: no group in common, never INVALID_KE
    Udp("h1", "h2", "10.2.2.10", 9000, 20, 1.0);
    Run(3);
    const auto init = Exchanges("R1", "IKE_SA_INIT");
    ASSERT_EQ(init.size(), 1u);
    EXPECT_EQ(init[0].result, "failed");
    EXPECT_NE(init[0].reason.find("NO_PROPOSAL_CHOSEN"), std::string::npos) << init[0].reason;
}

TEST_F(Ikev2InitLab, NatTraversalMovesIkeToPort4500AndEspIntoUdp)
{
    BehindNat(" identity local fqdn branch.example.net\n nat keepalive 5\n");
    auto inside = UdpPorts("R1:Serial0");
    auto outside = Watch("N:Serial1");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 300, 1.0);
    auto back = Udp("h2", "h1", "10.0.0.10", 9001, 300, 2.0);
    Run(20);
    ASSERT_EQ(Exchanges("R1", "IKE_AUTH", "ok").size(), 1u);
    ASSERT_EQ(Exchanges("R2", "IKE_AUTH", "ok").size(), 1u);
    EXPECT_EQ(Exchanges("R2", "IKE_AUTH", "ok")[0].peer, Ipv4Address("203.0.113.1"));
    EXPECT_EQ((*inside)[500], 1u) << "only the IKE_SA_INIT request goes to 500";
    EXPECT_GT((*inside)[4500], 290u) << "IKE_AUTH, ESP in UDP and keepalives go to 4500";
    EXPECT_EQ((*outside)[50], 0u) << "no bare ESP beyond the NAT";
    EXPECT_GT(*there, 290u);
    EXPECT_GT(*back, 290u);
    for (const char* r : {"R1", "R2"})
    {
        SCOPED_TRACE(r);
        const auto b = Bundles(r);
        ASSERT_EQ(b.size(), 1u);
        EXPECT_EQ(b[0]->udpEncapLocalPort, 4500);
        EXPECT_EQ(b[0]->udpEncapPeerPort, 4500);
        EXPECT_TRUE(b[0]->outbound.at(0)->GetConfig().udpEncapsulated);
    }
    EXPECT_EQ(Bundles("R2")[0]->peer, Ipv4Address("203.0.113.1"));
    // R1, behind the NAT, keeps its mapping: a keepalive every 5 s from about 1 s on.
    EXPECT_GE(Ike("R1")->GetNatKeepalivesSent(), 3u);
    EXPECT_EQ(Ike("R2")->GetNatKeepalivesSent(), 0u) << "the side outside the NAT sends none";
    EXPECT_EQ(Ike("R2")->GetNatKeepalivesReceived(), Ike("R1")->GetNatKeepalivesSent());
    EXPECT_GT(nodes["N"]->GetObject<IpsecStaticNat>()->GetTranslatedOut(), 290u);
}

TEST_F(Ikev2InitLab, WithoutANatIkeStaysOnPort500)
{
    TwoSites("14", "14");
    auto wan = UdpPorts("R1:Serial0");
    auto esp = Watch("R1:Serial0");
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    ASSERT_EQ(Exchanges("R1", "IKE_AUTH", "ok").size(), 1u);
    EXPECT_EQ((*wan)[500], 2u);
    EXPECT_EQ((*wan)[4500], 0u);
    EXPECT_GT((*esp)[50], 90u);
    EXPECT_EQ(Bundles("R1").at(0)->udpEncapLocalPort, 0);
}

/** An IKE_SA_INIT request from a host that never comes back: a half-open IKE SA at R2. */
std::vector<uint8_t>
HalfOpenRequest()
{
    IkePolicyProvider::Ikev2IkeOffer o;
    o.encryption = {{IKEV2_ENCR_AES_CBC, 256}};
    o.integrity = {IKEV2_INTEG_HMAC_SHA2_256_128};
    o.prf = {5};
    o.groups = {14};
    Ikev2Message m;
    m.header.spiI = Ikev2SpiFromUint64(0x0123456789abcdefULL);
    m.header.exchangeType = IKEV2_EXCH_IKE_SA_INIT;
    m.header.flags = Ikev2Header::FLAG_INITIATOR;
    m.Add(Ikev2MakeIkeOffer({o}));
    Ikev2KePayload ke;
    ke.dhGroup = 14;
    ke.data.assign(256, 0x5a);
    m.Add(ke);
    Ikev2NoncePayload n;
    n.nonce.assign(32, 0x11);
    m.Add(n);
    return m.ToBytes();
}

TEST_F(Ikev2InitLab, UnderLoadTheResponderAsksForACookieFirst)
{
    TwoSites("14", "14", "crypto ikev2 cookie-challenge 1\n");
    Simulator::Schedule(Seconds(0.5),
                        [this]() {
                            Ike("R2")->Receive(HalfOpenRequest(), Ipv4Address("192.0.2.99"),
                                               Ipv4Address("192.168.1.2"));
                        });
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(5);
    const auto init = Exchanges("R1", "IKE_SA_INIT");
    ASSERT_EQ(init.size(), 1u);
    EXPECT_EQ(init[0].result, "ok") << init[0].reason;
    EXPECT_NE(init[0].detail.find("COOKIE"), std::string::npos) << init[0].detail;
    EXPECT_EQ(init[0].messages, 4u) << "request, COOKIE, request with it, response";
    // R2 kept no state for the challenged request: one IKE_SA_INIT of R1's, and the stranger's.
    const auto r2 = Exchanges("R2", "IKE_SA_INIT", "ok");
    ASSERT_EQ(r2.size(), 2u);
    EXPECT_EQ(r2[1].icookie, init[0].icookie);
    ASSERT_EQ(Exchanges("R1", "IKE_AUTH", "ok").size(), 1u);
    EXPECT_GT(*there, 90u);
}

TEST_F(Ikev2InitLab, BelowTheThresholdNoCookie)
{
    TwoSites("14", "14", "crypto ikev2 cookie-challenge 2\n");
    Simulator::Schedule(Seconds(0.5),
                        [this]() {
                            Ike("R2")->Receive(HalfOpenRequest(), Ipv4Address("192.0.2.99"),
                                               Ipv4Address("192.168.1.2"));
                        });
    Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(5);
    const auto init = Exchanges("R1", "IKE_SA_INIT", "ok");
    ASSERT_EQ(init.size(), 1u);
    EXPECT_EQ(init[0].detail.find("COOKIE"), std::string::npos) << init[0].detail;
    EXPECT_EQ(init[0].messages, 2u);
}

TEST_F(Ikev2InitLab, TheResponderNarrowsWhatItsAccessListDoesNotCover)
{
    // R1 protects traffic to all of 10.2.0.0/16; R2 only its own LAN 10.2.2.0/24.
    TwoSites("14", "14", "", "ip 10.0.0.0 0.0.0.255 10.2.0.0 0.0.255.255");
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    for (const char* r : {"R1", "R2"})
    {
        SCOPED_TRACE(r);
        const auto auth = Exchanges(r, "IKE_AUTH");
        ASSERT_EQ(auth.size(), 1u);
        EXPECT_EQ(auth[0].result, "ok") << auth[0].reason;
        EXPECT_NE(auth[0].detail.find("(traffic selectors narrowed)"), std::string::npos)
            << auth[0].detail;
    }
    // Both install R2's selector: 10.0.0.0/24 <-> 10.2.2.0/24, not R1's /16.
    const auto b1 = Bundles("R1");
    ASSERT_EQ(b1.size(), 1u);
    EXPECT_EQ(b1[0]->scope.dstAddr, Ipv4Address("10.2.2.0"));
    EXPECT_EQ(b1[0]->scope.dstWildcard, 0xffu);
    EXPECT_EQ(b1[0]->scope.srcWildcard, 0xffu);
    const auto b2 = Bundles("R2");
    ASSERT_EQ(b2.size(), 1u);
    EXPECT_EQ(b2[0]->scope.srcAddr, Ipv4Address("10.2.2.0"));
    EXPECT_EQ(b2[0]->scope.srcWildcard, 0xffu);
    EXPECT_EQ(b2[0]->scope.dstAddr, Ipv4Address("10.0.0.0"));
    EXPECT_GT(*there, 95u);
}

TEST_F(Ikev2InitLab, NarrowingKeepsThePortsAndProtocolOfBoth)
{
    // R1 asks for UDP to all of 10.2.0.0/16; R2 permits UDP from its LAN, port 9000 only.
    TwoSites("14", "14", "", "udp 10.0.0.0 0.0.0.255 10.2.0.0 0.0.255.255",
             "udp 10.2.2.0 0.0.0.255 eq 9000 10.0.0.0 0.0.0.255");
    Udp("h1", "h2", "10.2.2.10", 9000, 50, 1.0);
    Run(3);
    const auto b1 = Bundles("R1");
    ASSERT_EQ(b1.size(), 1u);
    EXPECT_EQ(b1[0]->scope.protocol, 17);
    EXPECT_EQ(b1[0]->scope.dstPort.op, IpsecPortMatch::Op::EQ);
    EXPECT_EQ(b1[0]->scope.dstPort.lo, 9000);
    EXPECT_TRUE(b1[0]->scope.srcPort.IsAny());
    EXPECT_EQ(b1[0]->scope.dstAddr, Ipv4Address("10.2.2.0"));
}

TEST_F(Ikev2InitLab, NothingInCommonIsTsUnacceptable)
{
    TwoSites("14", "14", "", "", "ip 10.2.2.0 0.0.0.255 10.9.9.0 0.0.0.255");
    Udp("h1", "h2", "10.2.2.10", 9000, 20, 1.0);
    Run(3);
    const auto r1 = Exchanges("R1", "IKE_AUTH", "failed");
    ASSERT_FALSE(r1.empty());
    EXPECT_NE(r1[0].reason.find("TS_UNACCEPTABLE"), std::string::npos) << r1[0].reason;
    const auto r2 = Exchanges("R2", "IKE_AUTH", "failed");
    ASSERT_FALSE(r2.empty());
    EXPECT_NE(r2[0].reason.find("answered TS_UNACCEPTABLE"), std::string::npos) << r2[0].reason;
    EXPECT_TRUE(Bundles("R1").empty());
}

TEST_F(Ikev2InitLab, TheRouterHandsTheDaemonItsCookieAndKeepaliveSettings)
{
    TwoSites("14", "14", "crypto ikev2 nat keepalive 20\ncrypto ikev2 cookie-challenge 5\n");
    Ptr<IosRouter> r2 = routers.at("R2");
    EXPECT_EQ(r2->GetIkev2CookieChallenge(), 5u);
    EXPECT_EQ(routers.at("R1")->GetIkev2CookieChallenge(), 0u) << "IOS: no cookies by default";
    const auto c =
        r2->GetIkev2ResponderCredentials(IKEV2_ID_IPV4_ADDR, {192, 168, 1, 1},
                                         Ipv4Address("192.168.1.2"), Ipv4Address("192.168.1.1"));
    ASSERT_EQ(c.profile, "PR") << c.reason;
    EXPECT_EQ(c.natKeepaliveSeconds, 20u) << "the global setting, the profile having none";
    EXPECT_FALSE(c.localRsaSig);
    EXPECT_FALSE(c.remoteRsaSig);
}

// ------------------------------------------------------------------ RSA signatures

constexpr int64_t kJun2026 = 1780304400; // 2026-06-01T09:00:00Z

/** A root CA that signs what the routers ask (`crypto pki enroll`). */
class LabCa : public IosCertificateAuthority
{
public:
    LabCa() : m_src(7, 1, "ikev2-lab-ca")
    {
        m_key = ipsec::GenerateRsaKey(m_src, 1024);
        ipsec::CertificateTemplate t{"CN=Lab CA,O=Lab",
                                     m_key.publicKey,
                                     ipsec::SerialFromStream(m_src),
                                     kJun2026 - 86400,
                                     kJun2026 + 3650 * 86400LL,
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
    std::vector<ipsec::Der> GetChain() const override
    {
        return {m_cert};
    }
    ipsec::Der Enroll(const IosEnrollmentRequest& r) override
    {
        ipsec::CertificateTemplate t{r.subject, r.publicKey,   ipsec::SerialFromStream(m_src),
                                     r.now,     r.now + 86400, r.sanIp,
                                     r.sanDns,  false,         -1};
        return ipsec::IssueCertificate(t, m_cert, m_key.privateKey);
    }
    std::vector<ipsec::Der> GetCrls(int64_t) const override
    {
        return {};
    }

private:
    std::string m_name = "LabCA";
    ipsec::DeterministicByteSource m_src;
    ipsec::RsaKeyPair m_key;
    ipsec::Der m_cert;
};

/** Replaces the pre-shared key lines of a profile by rsa-sig with trustpoint LabCA. */
std::string
WithCertificates(std::string cfg, const std::string& identity)
{
    const std::string pki = "crypto key generate rsa general-keys modulus 1024\n"
                            "crypto pki trustpoint LabCA\n enrollment url http://10.9.9.9\n"
                            " ip-address Serial0\n revocation-check none\n exit\n"
                            "crypto pki authenticate LabCA\ncrypto pki enroll LabCA\n";
    cfg = Edit(cfg, "crypto ikev2 proposal", pki + "crypto ikev2 proposal");
    for (const char* dir : {"remote", "local"})
    {
        const std::string psk = std::string(" authentication ") + dir + " pre-share";
        cfg = Edit(cfg, psk, std::string(" authentication ") + dir + " rsa-sig");
    }
    cfg = Edit(cfg, " keyring local KR", " pki trustpoint LabCA\n identity local " + identity);
    return cfg;
}

class Ikev2RsaLab : public Ikev2InitLab
{
protected:
    LabCa ca;

    void Sites(const std::string& r2identity)
    {
        std::string r1 = R1RunningConfig("14", "");
        std::string r2 = R2ConfTerminal("14", "");
        r2.erase(std::remove(r2.begin(), r2.end(), '\r'), r2.end());
        Router("R1", WithCertificates(r1, "address 192.168.1.1"));
        Router("R2", WithCertificates(r2, r2identity));
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("R1:Serial0", "R2:Serial0");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h2:eth0", "R2:Ethernet0");
        Build();
        for (auto& [n, r] : routers)
        {
            r->SetCalendarStart(kJun2026);
            r->SetCertificateAuthorities([this](const std::string&) -> IosCertificateAuthority*
                                         { return &ca; });
            r->StartPki();
        }
    }
};

TEST_F(Ikev2RsaLab, BothSidesSignWithTheirCertificates)
{
    Sites("dn");
    Ptr<IpsecPolicyEntry> e = routers.at("R1")->GetCryptoMapEntries().at(0).entry;
    const auto c = routers.at("R1")->GetIkev2InitiatorCredentials(e, Ipv4Address("192.168.1.1"),
                                                                  Ipv4Address("192.168.1.2"));
    ASSERT_EQ(c.profile, "PR") << c.reason;
    EXPECT_TRUE(c.localRsaSig);
    EXPECT_TRUE(c.remoteRsaSig);
    EXPECT_EQ(c.trustpoint, "LabCA");
    EXPECT_FALSE(c.localKey) << "no pre-shared key with rsa-sig";
    auto there = Udp("h1", "h2", "10.2.2.10", 9000, 100, 1.0);
    Run(4);
    for (const char* r : {"R1", "R2"})
    {
        SCOPED_TRACE(r);
        const auto auth = Exchanges(r, "IKE_AUTH");
        ASSERT_EQ(auth.size(), 1u);
        EXPECT_EQ(auth[0].result, "ok") << auth[0].reason;
    }
    EXPECT_GT(*there, 95u);
}

TEST_F(Ikev2RsaLab, AnIdentityTheCertificateDoesNotNameFails)
{
    // R2's certificate names 192.168.1.2 and R2.<domain>, not this FQDN.
    Sites("fqdn vpn.elsewhere.example");
    Udp("h1", "h2", "10.2.2.10", 9000, 20, 1.0);
    Run(3);
    const auto r1 = Exchanges("R1", "IKE_AUTH");
    ASSERT_FALSE(r1.empty());
    EXPECT_EQ(r1[0].result, "failed");
    EXPECT_NE(r1[0].reason.find("the ID payload does not match the certificate (ID "
                                "vpn.elsewhere.example"),
              std::string::npos)
        << r1[0].reason;
    EXPECT_TRUE(Bundles("R1").empty());
}

} // namespace
