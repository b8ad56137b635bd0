// show crypto ikev2 sa|session, show crypto session, clear crypto ikev2 sa and debug crypto
// ikev2 on two routers that negotiate IKEv2: what each prints checked against the other
// router's view and against the data plane's SAs.
#include "common/ios-lab.h"

#include "ns3/ike-daemon.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ios-show.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>

using namespace ns3;
using ns3::test::IosLab;

namespace
{

const char* kSiteA = R"(hostname A
crypto ikev2 proposal P
 encryption aes-cbc-128
 integrity sha256
 group 14
crypto ikev2 policy POL
 proposal P
crypto ikev2 keyring K
 peer B
  address 192.0.2.2
  pre-shared-key s3cret
crypto ikev2 profile PR
 match identity remote address 192.0.2.2 255.255.255.255
 authentication local pre-share
 authentication remote pre-share
 keyring local K
 dpd 30 3 on-demand
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
crypto map M 10 ipsec-isakmp
 set peer 192.0.2.2
 set transform-set TS
 set ikev2-profile PR
 match address 101
interface Ethernet0
 ip address 10.1.0.1 255.255.0.0
interface Serial0
 ip address 192.0.2.1 255.255.255.0
 crypto map M
ip route 10.2.0.0 255.255.0.0 192.0.2.2
)";

const char* kSiteB = R"(hostname B
crypto ikev2 proposal P
 encryption aes-cbc-128
 integrity sha256
 group 14
crypto ikev2 policy POL
 proposal P
crypto ikev2 keyring K
 peer A
  address 192.0.2.1
  pre-shared-key s3cret
crypto ikev2 profile PR
 match identity remote address 192.0.2.1 255.255.255.255
 authentication local pre-share
 authentication remote pre-share
 keyring local K
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
access-list 101 permit ip 10.2.0.0 0.0.255.255 10.1.0.0 0.0.255.255
crypto map M 10 ipsec-isakmp
 set peer 192.0.2.1
 set transform-set TS
 set ikev2-profile PR
 match address 101
interface Ethernet0
 ip address 10.2.0.1 255.255.0.0
interface Serial0
 ip address 192.0.2.2 255.255.255.0
 crypto map M
ip route 10.1.0.0 255.255.0.0 192.0.2.1
)";

class ShowIkev2 : public IosLab
{
protected:
    void SetUp() override
    {
        Host("h1", "10.1.0.10/16", "10.1.0.1");
        Host("h2", "10.2.0.10/16", "10.2.0.1");
        Link("h1:eth0", "A:Ethernet0");
        Link("A:Serial0", "B:Serial0");
        Link("B:Ethernet0", "h2:eth0");
    }

    void BuildPair(const std::string& a = kSiteA, const std::string& b = kSiteB)
    {
        Router("A", a);
        Router("B", b);
        Build();
    }

    std::string Exec(const std::string& router, const std::string& command)
    {
        return routers.at(router)->Exec(command);
    }

    /** Runs until @p t (absolute simulated time). */
    void RunUntil(double t)
    {
        Simulator::Stop(Seconds(t) - Simulator::Now());
        Simulator::Run();
    }
};

/** The first match of @p re's group 1 in @p text ("" if none). */
std::string
Capture(const std::string& text, const std::string& re)
{
    std::smatch m;
    return std::regex_search(text, m, std::regex(re)) ? m[1].str() : "";
}

std::string
SpiHex(uint32_t spi)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "0x%08X", spi);
    return buf;
}

TEST_F(ShowIkev2, SaTableWhileNegotiatingThenUpOnBothRouters)
{
    BuildPair();
    Udp("h1", "h2", "10.2.0.10", 9, 50);
    const std::string empty = Exec("A", "show crypto ikev2 sa");
    EXPECT_EQ(empty, " IPv4 Crypto IKEv2  SA \n\n IPv6 Crypto IKEv2  SA \n\n");
    // The first packet at 1 s starts IKE_SA_INIT; its answer needs a round trip and two DH
    // computations: just after the request, A waits.
    RunUntil(1.0015);
    const std::string neg = Exec("A", "show crypto ikev2 sa detail");
    EXPECT_NE(neg.find("1         192.0.2.1/500         192.0.2.2/500         none/none     "
                       "       IN-NEG \n"),
              std::string::npos)
        << neg;
    EXPECT_NE(neg.find("      Encr: Unknown - 0, PRF: Unknown - 0, Hash: None, DH Grp:0, Auth "
                       "sign: Unknown - 0, Auth verify: Unknown - 0\n"),
              std::string::npos)
        << neg;
    EXPECT_NE(neg.find("Remote spi: 0000000000000000\n"), std::string::npos) << neg;
    EXPECT_NE(neg.find("Status Description: Negotiation in progress"), std::string::npos);
    EXPECT_EQ(Exec("A", "show crypto ipsec sa").find("inbound esp sas:\n      spi:"),
              std::string::npos)
        << "no child SA yet";

    RunUntil(3);
    const std::string a = Exec("A", "show crypto ikev2 sa detail");
    const std::string b = Exec("B", "show crypto ikev2 sa detail");
    for (const std::string* s : {&a, &b})
    {
        EXPECT_NE(s->find("READY  \n      Encr: AES-CBC, keysize: 128, PRF: SHA256, Hash: SHA256, "
                          "DH Grp:14, Auth sign: PSK, Auth verify: PSK\n"),
                  std::string::npos)
            << *s;
        EXPECT_NE(s->find("Status Description: Negotiation done"), std::string::npos);
    }
    EXPECT_NE(a.find("1         192.0.2.1/500         192.0.2.2/500         none/none"),
              std::string::npos);
    EXPECT_NE(b.find("1         192.0.2.2/500         192.0.2.1/500         none/none"),
              std::string::npos);
    // Each side's SPIs are the other's, crossed.
    const std::string spiRe = "Local spi: ([0-9A-F]{16})       Remote spi: ([0-9A-F]{16})";
    std::smatch ma, mb;
    ASSERT_TRUE(std::regex_search(a, ma, std::regex(spiRe))) << a;
    ASSERT_TRUE(std::regex_search(b, mb, std::regex(spiRe))) << b;
    EXPECT_EQ(ma[1].str(), mb[2].str());
    EXPECT_EQ(ma[2].str(), mb[1].str());
    EXPECT_NE(ma[2].str(), "0000000000000000");
    // The initiator sent IKE_SA_INIT (0) and IKE_AUTH (1); the responder answered them.
    EXPECT_NE(a.find("Local next msg id: 2              Remote next msg id: 0         \n"),
              std::string::npos)
        << a;
    EXPECT_NE(b.find("Local next msg id: 0              Remote next msg id: 2         \n"),
              std::string::npos)
        << b;
    EXPECT_NE(a.find("Local id: 192.0.2.1\n      Remote id: 192.0.2.2\n"), std::string::npos);
    EXPECT_NE(a.find("Initiator of SA : Yes"), std::string::npos);
    EXPECT_NE(b.find("Initiator of SA : No"), std::string::npos);
    EXPECT_NE(a.find("DPD configured for 30 seconds, retry 3"), std::string::npos)
        << "the profile's dpd";
    EXPECT_NE(b.find("DPD configured for 0 seconds, retry 0"), std::string::npos);
    EXPECT_EQ(Capture(a, "Life/Active Time: 86400/(\\d+) sec"), "1");

    // The short form is the first three lines of each SA; the filters select.
    const std::string brief = Exec("A", "sh cry ikev2 sa");
    EXPECT_EQ(brief.find("CE id"), std::string::npos);
    EXPECT_NE(brief.find("Life/Active Time: 86400/1 sec\n\n IPv6 Crypto IKEv2  SA \n\n"),
              std::string::npos)
        << brief;
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa remote 192.0.2.2"), brief);
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa local 192.0.2.1"), brief);
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa remote 192.0.2.9"), empty);
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa fvrf BLUE"), empty);
}

TEST_F(ShowIkev2, SessionListsTheChildSaOfTheDataPlane)
{
    BuildPair();
    Udp("h1", "h2", "10.2.0.10", 9, 50);
    RunUntil(3);
    const std::string a = Exec("A", "show crypto ikev2 session detail");
    const std::string b = Exec("B", "show crypto ikev2 session");
    EXPECT_NE(a.find("IPv4 Crypto IKEv2 Session \n\nSession-id:1, Status:UP-ACTIVE, IKE count:1, "
                     "CHILD count:1\n\n"),
              std::string::npos)
        << a;
    EXPECT_NE(a.find("Child sa: local selector  10.1.0.0/0 - 10.1.255.255/65535\n"
                     "          remote selector 10.2.0.0/0 - 10.2.255.255/65535\n"),
              std::string::npos)
        << a;
    EXPECT_NE(b.find("Child sa: local selector  10.2.0.0/0 - 10.2.255.255/65535\n"),
              std::string::npos)
        << b;
    EXPECT_NE(a.find("Encr: AES-CBC, keysize: 256, esp_hmac: SHA256\n"
                     "          ah_hmac: None, comp: IPCOMP_NONE, mode tunnel\n"),
              std::string::npos)
        << a;
    // The SPIs are those of the data plane's SAs, and the peer's crossed.
    const std::string spis = "ESP spi in/out: (0x[0-9A-F]{8}/0x[0-9A-F]{8})";
    const std::string inOutA = Capture(a, spis);
    const std::string inOutB = Capture(b, spis);
    ASSERT_FALSE(inOutA.empty()) << a;
    EXPECT_EQ(inOutA.substr(0, 10), inOutB.substr(11));
    EXPECT_EQ(inOutA.substr(11), inOutB.substr(0, 10));
    std::string inbound, outbound;
    for (const auto& sa : P("A")->GetSad()->GetAll())
    {
        (sa->GetConfig().direction == IpsecDirection::INBOUND ? inbound : outbound) =
            SpiHex(sa->GetSpi());
    }
    EXPECT_EQ(inOutA, inbound + "/" + outbound);

    // show crypto session (15.x) names the IKEv2 SA as IOS does.
    const std::string s = Exec("A", "show crypto session detail");
    EXPECT_NE(s.find("Profile: PR\n"), std::string::npos) << s;
    EXPECT_NE(s.find("Session status: UP-ACTIVE     \n"), std::string::npos) << s;
    EXPECT_NE(s.find("      Phase1_id: 192.0.2.2\n"), std::string::npos) << s;
    EXPECT_NE(s.find("  Session ID: 1 \n  IKEv2 SA: local 192.0.2.1/500 remote 192.0.2.2/500 "
                     "Active\n          Capabilities:D connid:1 lifetime:23:59:58\n"),
              std::string::npos)
        << s;
    EXPECT_EQ(s.find("IKEv1 SA"), std::string::npos);
    EXPECT_NE(Exec("B", "show crypto session")
                  .find("  IKEv2 SA: local 192.0.2.2/500 remote "
                        "192.0.2.1/500 Active \n"),
              std::string::npos);
}

TEST_F(ShowIkev2, ClearCryptoIkev2SaAndItsFilters)
{
    BuildPair();
    Udp("h1", "h2", "10.2.0.10", 9, 50);
    RunUntil(3);
    ASSERT_NE(Exec("A", "show crypto ikev2 sa").find("READY"), std::string::npos);
    for (const char* other :
         {"clear crypto ikev2 sa remote 192.0.2.9", "clear crypto ikev2 sa local 192.0.2.99",
          "clear crypto ikev2 sa 2", "clear crypto ikev2 sa fvrf BLUE"})
    {
        EXPECT_EQ(Exec("A", other), "") << other;
        EXPECT_NE(Exec("A", "show crypto ikev2 sa").find("READY"), std::string::npos)
            << other << " must leave the SA alone";
    }
    EXPECT_EQ(Exec("A", "clear crypto ikev2 sa 1"), "");
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa").find("Tunnel-id"), std::string::npos);
    RunUntil(3.1);
    // The peer was told (INFORMATIONAL Delete): its SA and both routers' child SAs are gone.
    EXPECT_EQ(Exec("B", "show crypto ikev2 sa").find("Tunnel-id"), std::string::npos);
    EXPECT_TRUE(P("A")->GetSad()->GetAll().empty());
    EXPECT_TRUE(P("B")->GetSad()->GetAll().empty());
    EXPECT_NE(Exec("A", "show crypto session").find("Session status: DOWN          \n"),
              std::string::npos);

    // New traffic, a new IKE SA: Tunnel-id 2; `clear ... local` and `remote` take it.
    Udp("h1", "h2", "10.2.0.10", 10, 20, 0.1);
    RunUntil(5);
    const std::string again = Exec("A", "show crypto ikev2 sa");
    EXPECT_NE(again.find("\n2         192.0.2.1/500"), std::string::npos) << again;
    Exec("A", "clear crypto ikev2 sa local 192.0.2.1");
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa").find("Tunnel-id"), std::string::npos);
    Udp("h1", "h2", "10.2.0.10", 11, 20, 0.1);
    RunUntil(7);
    ASSERT_NE(Exec("B", "show crypto ikev2 sa").find("READY"), std::string::npos);
    Exec("B", "clear crypto ikev2 sa remote 192.0.2.1");
    EXPECT_EQ(Exec("B", "show crypto ikev2 sa").find("Tunnel-id"), std::string::npos);
}

TEST_F(ShowIkev2, FailedSaListedAsDeleteForTenSeconds)
{
    std::string b = kSiteB;
    b.replace(b.find("pre-shared-key s3cret"), 21, "pre-shared-key wrong");
    BuildPair(kSiteA, b);
    Udp("h1", "h2", "10.2.0.10", 9, 1);
    RunUntil(3);
    const std::string a = Exec("A", "show crypto ikev2 sa detail");
    EXPECT_NE(a.find("none/none            DELETE \n"), std::string::npos) << a;
    EXPECT_NE(a.find("Status Description: Deleting IKE SA"), std::string::npos) << a;
    EXPECT_NE(Exec("B", "show crypto ikev2 sa").find("DELETE"), std::string::npos);
    EXPECT_NE(Exec("A", "show crypto ikev2 session")
                  .find("Status:DOWN, IKE count:1, CHILD "
                        "count:0"),
              std::string::npos);
    RunUntil(12);
    EXPECT_EQ(Exec("A", "show crypto ikev2 sa").find("Tunnel-id"), std::string::npos)
        << "freed after ten seconds";
}

TEST_F(ShowIkev2, Refused124AndBadInput)
{
    Router("A", kSiteA);
    Router("B", std::string("version 12.4\n") + kSiteB);
    Build();
    for (const char* c :
         {"show crypto ikev2 sa", "show crypto ikev2 session detail", "clear crypto ikev2 sa"})
    {
        try
        {
            Exec("B", c);
            ADD_FAILURE() << c << ": 12.4 has no IKEv2";
        }
        catch (const IosConfigError& e)
        {
            EXPECT_NE(std::string(e.what()).find("Invalid input"), std::string::npos) << e.what();
            EXPECT_EQ(e.Column(), std::string(c).find("ikev2")) << c;
        }
    }
    for (const char* bad : {"show crypto ikev2 sa remote", "show crypto ikev2 sa detail more",
                            "show crypto ikev2 session remote 1.2.3.4", "clear crypto ikev2",
                            "clear crypto ikev2 sa remote 1.2.3", "show crypto ikev2 sax"})
    {
        EXPECT_THROW(Exec("A", bad), IosConfigError) << bad;
    }
}

TEST_F(ShowIkev2, DebugLinesOfEachMessage)
{
    BuildPair();
    Udp("h1", "h2", "10.2.0.10", 9, 10);
    RunUntil(3);
    const auto& msgs = routers.at("A")->GetIke()->GetIkev2DebugMessages();
    ASSERT_EQ(msgs.size(), 4u) << "IKE_SA_INIT and IKE_AUTH, both ways";
    const auto first = IosDebugCryptoIkev2(msgs[0]);
    ASSERT_EQ(first.size(), 5u);
    EXPECT_EQ(first[0],
              "IKEv2:(SA ID = 1):Sending Packet [To 192.0.2.2:500/From 192.0.2.1:500/VRF i0:f0] ");
    EXPECT_NE(first[1].find(" - Responder SPI : 0000000000000000 Message id: 0"), std::string::npos)
        << first[1];
    EXPECT_EQ(first[2], "IKEv2 IKE_SA_INIT Exchange REQUEST ");
    EXPECT_EQ(first[4],
              " SA KE N NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(NAT_DETECTION_DESTINATION_IP) ");
    // IKE_AUTH is printed with what SK carries, decrypted with the SA's keys.
    const auto auth = IosDebugCryptoIkev2(msgs[2]);
    EXPECT_EQ(auth[2], "IKEv2 IKE_AUTH Exchange REQUEST ");
    EXPECT_EQ(auth[4], " IDi AUTH SA TSi TSr ");
    const auto reply = IosDebugCryptoIkev2(msgs[3]);
    EXPECT_EQ(reply[0].substr(0, 37), "IKEv2:(SA ID = 1):Received Packet [Fr");
    EXPECT_EQ(reply[3] + reply[4], "Payload contents:  IDr AUTH SA TSi TSr ");
    // B saw the first request before it had an SA.
    const auto& b = routers.at("B")->GetIke()->GetIkev2DebugMessages();
    ASSERT_FALSE(b.empty());
    EXPECT_EQ(IosDebugCryptoIkev2(b[0])[0].substr(0, 22), "IKEv2:Received Packet ");

    // The exchange records: IKE_AUTH's success; a failed one in IOS's words.
    bool created = false;
    for (const auto& e : routers.at("A")->GetIke()->GetExchanges())
    {
        ASSERT_TRUE(IosIsIkev2Exchange(e));
        for (const auto& l : IosDebugCryptoIkev2Exchange(e))
        {
            created |= l == "IKEv2:(SA ID = 1):SA created; inserting SA into database";
        }
    }
    EXPECT_TRUE(created);
    IkeExchangeRecord failed;
    failed.exchange = "IKE_AUTH";
    failed.connId = 3;
    failed.result = "failed";
    failed.reason = "the peer answered AUTHENTICATION_FAILED";
    EXPECT_EQ(IosDebugCryptoIkev2Exchange(failed),
              (std::vector<std::string>{
                  "IKEv2:(SA ID = 3):Negotiation aborted due to ERROR: the peer answered "
                  "AUTHENTICATION_FAILED",
                  "IKEv2-ERROR:(SA ID = 3):: Auth exchange failed"}));
    failed.exchange = "IKE_SA_INIT";
    failed.retransmissions = 5;
    failed.reason = "no response from the peer after 5 retransmissions";
    EXPECT_EQ(IosDebugCryptoIkev2Exchange(failed),
              std::vector<std::string>{
                  "IKEv2-ERROR:(SA ID = 3):: Maximum number of retransmissions reached"});
    IkeExchangeRecord main;
    main.exchange = "main";
    EXPECT_FALSE(IosIsIkev2Exchange(main));
}

} // namespace
