// The configuration shows in each IOS release: transform names as IOS prints them, show crypto
// map (static, manual and dynamic entries, the entries a dynamic map makes for its peers),
// show crypto ipsec transform-set, show running-config and show access-lists, on routers of a
// small lab (test/common/ios-lab.h) that print 15.x or, with `version 12.4`, 12.4.
#include "common/ios-lab.h"
#include "ns3/ios-show.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{
std::string
ShownNames(const std::string& transforms)
{
    return IosTransformNames(IpsecTransformSet::Parse(transforms));
}

size_t
Count(const std::string& text, const std::string& what)
{
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    {
        ++n;
    }
    return n;
}

/** A hub whose entry 20 hands every peer to dynamic map `dyn`, and a spoke that negotiates
 *  with it; both print @p version (empty: 15.x). */
class DynamicHubLab : public test::IosLab
{
protected:
    void Start(const std::string& version)
    {
        Router("HUB", version + R"(hostname HUB
crypto isakmp policy 10
 encryption aes 256
 authentication pre-share
 group 14
crypto isakmp key k address 0.0.0.0 0.0.0.0
crypto ipsec transform-set T1 esp-aes 256 esp-sha-hmac
crypto ipsec transform-set T2 ah-sha-hmac esp-aes 192 esp-sha256-hmac
crypto dynamic-map dyn 5
 set transform-set T2 T1
 set pfs group14
crypto map M 10 ipsec-isakmp
 set peer 192.0.2.9
 set transform-set T1
 match address 110
crypto map M 20 ipsec-isakmp dynamic dyn
interface Ethernet0
 ip address 10.1.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.1 255.255.255.252
 crypto map M
ip route 10.2.0.0 255.255.255.0 192.0.2.2
access-list 110 permit ip 10.1.0.0 0.0.0.255 10.9.0.0 0.0.0.255
)");
        Router("SPOKE", R"(hostname SPOKE
crypto isakmp policy 10
 encryption aes 256
 authentication pre-share
 group 14
crypto isakmp key k address 192.0.2.1
crypto ipsec transform-set T1 esp-aes 256 esp-sha-hmac
crypto map M 10 ipsec-isakmp
 set peer 192.0.2.1
 set transform-set T1
 set pfs group14
 match address 110
interface Ethernet0
 ip address 10.2.0.1 255.255.255.0
interface Serial0
 ip address 192.0.2.2 255.255.255.252
 crypto map M
ip route 10.1.0.0 255.255.255.0 192.0.2.1
access-list 110 permit ip 10.2.0.0 0.0.0.255 10.1.0.0 0.0.0.255
)");
        Host("h1", "10.1.0.10/24", "10.1.0.1");
        Host("h2", "10.2.0.10/24", "10.2.0.1");
        Link("HUB:Serial0", "SPOKE:Serial0");
        Link("h1:eth0", "HUB:Ethernet0");
        Link("h2:eth0", "SPOKE:Ethernet0");
        Build();
    }

    /** h2 -> h1, which makes the spoke negotiate with the hub's dynamic map; all of it
     *  but what IKE's negotiation held up arrives. */
    void Traffic()
    {
        auto got = Udp("h2", "h1", "10.1.0.10", 9000, 20, 0.5);
        Run(4);
        EXPECT_GT(*got, 10u);
    }
};
} // namespace

TEST(IosShowConfig, TransformNamesAreIosShowNames)
{
    EXPECT_EQ(ShownNames("esp-aes 256 esp-sha-hmac"), "esp-256-aes esp-sha-hmac");
    EXPECT_EQ(ShownNames("esp-aes 192 esp-sha256-hmac"), "esp-192-aes esp-sha256-hmac");
    EXPECT_EQ(ShownNames("esp-aes esp-md5-hmac"), "esp-aes esp-md5-hmac");
    EXPECT_EQ(ShownNames("esp-aes 128 esp-md5-hmac"), "esp-aes esp-md5-hmac");
    EXPECT_EQ(ShownNames("ah-sha-hmac esp-aes 256 esp-sha-hmac comp-lzs"),
              "ah-sha-hmac esp-256-aes esp-sha-hmac comp-lzs");
    EXPECT_EQ(ShownNames("esp-gcm 256"), "esp-gcm 256");
    EXPECT_EQ(ShownNames("esp-gcm"), "esp-gcm");
    EXPECT_EQ(ShownNames("esp-3des esp-sha512-hmac"), "esp-3des esp-sha512-hmac");
    EXPECT_EQ(ShownNames("ah-md5-hmac"), "ah-md5-hmac");
}

TEST_F(DynamicHubLab, DynamicEntryShowsUnderItsMapIos15)
{
    Start("");
    const std::string before = routers.at("HUB")->Exec("show crypto map");
    EXPECT_NE(before.find("\n\nCrypto Map IPv4 \"M\" 20 ipsec-isakmp\n"
                          "\tDynamic map template tag: dyn\n"
                          "\tInterfaces using crypto map M:\n\t\tSerial0\n\n"),
              std::string::npos)
        << before;
    EXPECT_EQ(before.find("65536"), std::string::npos) << "no peer yet: " << before;
    Traffic();
    const std::string after = routers.at("HUB")->Exec("show crypto map");
    const std::string instance = "Crypto Map IPv4 \"M\" 65536 ipsec-isakmp\n"
                                 "\tPeer = 192.0.2.2\n"
                                 "\tExtended IP access list \n"
                                 "\t    access-list  permit ip 10.1.0.0 0.0.0.255 10.2.0.0 "
                                 "0.0.0.255\n"
                                 "\t    dynamic (created from dynamic map dyn/5)\n"
                                 "\tCurrent peer: 192.0.2.2\n"
                                 "\tSecurity association lifetime: 4608000 kilobytes/3600 "
                                 "seconds\n"
                                 "\tResponder-Only (Y/N): N\n"
                                 "\tPFS (Y/N): Y\n"
                                 "\tDH group:  group14\n"
                                 "\tMixed-mode : Disabled\n"
                                 "\tTransform sets={ \n"
                                 "\t\tT2:  { ah-sha-hmac esp-192-aes esp-sha256-hmac  } , \n"
                                 "\t\tT1:  { esp-256-aes esp-sha-hmac  } , \n"
                                 "\t}\n"
                                 "\tInterfaces using crypto map M:\n";
    EXPECT_NE(after.find("\tDynamic map template tag: dyn\n\n" + instance), std::string::npos)
        << after;
    EXPECT_EQ(Count(after, "Crypto Map IPv4 \"M\""), 3u) << after;
    // The template itself: show crypto dynamic-map.
    const std::string dyn = routers.at("HUB")->Exec("show crypto dynamic-map tag dyn");
    EXPECT_EQ(dyn.rfind("Crypto Map Template\"dyn\" 5\n\tNo matching address list set.\n"
                        "\tCurrent peer: 0.0.0.0\n",
                        0),
              0u)
        << dyn;
}

TEST_F(DynamicHubLab, DynamicEntryShowsUnderItsMapIos124)
{
    Start("version 12.4\n");
    Traffic();
    const std::string map = routers.at("HUB")->Exec("show crypto map");
    EXPECT_EQ(map.rfind("Crypto Map \"M\" 10 ipsec-isakmp\n\tPeer = 192.0.2.9\n", 0), 0u) << map;
    EXPECT_NE(map.find("\n\nCrypto Map \"M\" 20 ipsec-isakmp\n\tDynamic map template tag: dyn\n\n"
                       "Crypto Map \"M\" 65536 ipsec-isakmp\n\tPeer = 192.0.2.2\n"),
              std::string::npos)
        << map;
    EXPECT_NE(map.find("\tPFS (Y/N): Y\n\tDH group:  group14\n"
                       "\tTransform sets={ \n\t\tT2, \n\t\tT1, \n\t}\n"
                       "\tInterfaces using crypto map M:\n"),
              std::string::npos)
        << map;
    EXPECT_EQ(map.find("IPv4"), std::string::npos) << map;
    EXPECT_EQ(map.find("Responder-Only"), std::string::npos) << map;
    EXPECT_EQ(map.find("Mixed-mode"), std::string::npos) << map;
}

TEST_F(DynamicHubLab, TransformSetsOfEachRelease)
{
    Start("");
    EXPECT_EQ(routers.at("HUB")->Exec("show crypto ipsec transform-set"),
              "Transform set default: { esp-aes esp-sha-hmac  } \n"
              "   will negotiate = { Transport,  }, \n\n"
              "Transform set T1: { esp-256-aes esp-sha-hmac  } \n"
              "   will negotiate = { Tunnel,  }, \n\n"
              "Transform set T2: { ah-sha-hmac esp-192-aes esp-sha256-hmac  } \n"
              "   will negotiate = { Tunnel,  }, \n\n");
    EXPECT_EQ(routers.at("HUB")->Exec("show crypto ipsec transform-set tag T1"),
              "Transform set T1: { esp-256-aes esp-sha-hmac  } \n"
              "   will negotiate = { Tunnel,  }, \n\n");
}

TEST_F(DynamicHubLab, RunningConfigHeadingAndVersion)
{
    Start("");
    const std::string run = routers.at("HUB")->Exec("show running-config");
    const std::string head = "Building configuration...\n\nCurrent configuration : ";
    ASSERT_EQ(run.rfind(head, 0), 0u) << run;
    // The count is the bytes from the `!` under the heading to `end`.
    const size_t bytesAt = head.size();
    const size_t count = std::stoul(run.substr(bytesAt));
    const size_t textAt = run.find(" bytes\n", bytesAt) + 7;
    EXPECT_EQ(run.size() - textAt, count);
    const std::string top = "!\nversion 15.4\n!\nhostname HUB\n";
    EXPECT_EQ(run.substr(textAt, top.size()), top) << run;
    EXPECT_EQ(run.find("\n\n", textAt), std::string::npos) << "no empty lines";
    EXPECT_EQ(run.substr(run.size() - 5), "\nend\n");
}

TEST_F(DynamicHubLab, AccessListMatchesCount)
{
    Start("version 12.4\n");
    Traffic();
    const std::string acl = routers.at("SPOKE")->Exec("show access-lists 110");
    EXPECT_EQ(acl.rfind("Extended IP access list 110\n    10 permit ip 10.2.0.0 0.0.0.255 "
                        "10.1.0.0 0.0.0.255 (",
                        0),
              0u)
        << acl;
    EXPECT_NE(acl.find(" matches)\n"), std::string::npos) << acl;
    const std::string run = routers.at("HUB")->Exec("show running-config");
    EXPECT_NE(run.find("!\nversion 12.4\nhostname HUB\n"), std::string::npos) << run;
}
