// Keyrings, ISAKMP profiles, reverse route injection, SA idle time, replay window and the DF bit:
// the reader's view of the commands (and its errors), and what they do on routers in a lab.
#include "common/ios-config-parse.h"
#include "common/ios-lab.h"
#include "ns3/ios-config.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;
using namespace ns3::test;

namespace
{

const char* kHubKeyrings = R"(hostname HUB
crypto keyring BRANCH1-KEYS
  description keys of the Lyon branch
  pre-shared-key address 198.51.100.2 key Lyon-psk
  pre-shared-key hostname spoke9.example.com key 6 Wq]AOBHbdZ
crypto keyring BRANCH2-KEYS
  local-address Serial0
  pre-shared-key address 203.0.113.0 255.255.255.252 key 0 Nantes-psk
crypto isakmp profile BRANCH1
   description Lyon
   keyring BRANCH1-KEYS
   match identity address 198.51.100.2 255.255.255.255
   match identity host spoke9.example.com
   keepalive 10 retry 2
   self-identity fqdn
   initiate mode aggressive
crypto isakmp profile BRANCH2
   keyring BRANCH2-KEYS
   match identity address 203.0.113.0 255.255.255.252
)";

} // namespace

// ------------------------------------------------------------------------------ reader

TEST(IosProfilesConfig, KeyringsAndProfilesAsShowRunWritesThem)
{
    const IosRouterConfig c = P(kHubKeyrings);
    ASSERT_EQ(c.keyrings.size(), 2u);
    const IosKeyring& k1 = c.keyrings.at("BRANCH1-KEYS");
    EXPECT_EQ(k1.description, "keys of the Lyon branch");
    ASSERT_EQ(k1.keys.size(), 2u);
    EXPECT_EQ(k1.keys[0].address, Ipv4Address("198.51.100.2"));
    EXPECT_EQ(k1.keys[0].mask, Ipv4Mask("255.255.255.255"));
    EXPECT_EQ(k1.keys[0].key, "Lyon-psk");
    EXPECT_EQ(k1.keys[1].hostname, "spoke9.example.com");
    EXPECT_EQ(k1.keys[1].encryptionType, 6);
    EXPECT_EQ(k1.keys[1].key, "Wq]AOBHbdZ");
    const IosKeyring& k2 = c.keyrings.at("BRANCH2-KEYS");
    EXPECT_EQ(k2.localAddress, "Serial0");
    EXPECT_EQ(k2.keys[0].mask, Ipv4Mask("255.255.255.252"));
    EXPECT_EQ(k2.keys[0].key, "Nantes-psk");

    const IosIsakmpProfile& p1 = c.isakmpProfiles.at("BRANCH1");
    EXPECT_EQ(p1.description, "Lyon");
    EXPECT_EQ(p1.keyrings, std::vector<std::string>{"BRANCH1-KEYS"});
    ASSERT_EQ(p1.matches.size(), 2u);
    EXPECT_EQ(p1.matches[0].address, Ipv4Address("198.51.100.2"));
    EXPECT_EQ(p1.matches[1].host, "spoke9.example.com");
    ASSERT_TRUE(p1.keepalive);
    EXPECT_EQ(p1.keepalive->seconds, 10u);
    EXPECT_EQ(p1.keepalive->retry, 2u);
    EXPECT_EQ(p1.selfIdentity, IosIsakmpIdentity::HOSTNAME);
    EXPECT_TRUE(p1.initiateAggressive);
    EXPECT_FALSE(c.isakmpProfiles.at("BRANCH2").keepalive);
    EXPECT_TRUE(c.notModelled.empty());
}

TEST(IosProfilesConfig, ModesEndAndLinesWithoutIndentationStayInThem)
{
    std::string mode;
    IosConfigReader::Parse("crypto keyring K\npre-shared-key address 1.1.1.1 key k\n", "t.cfg",
                           mode);
    EXPECT_EQ(mode, "conf-keyring");
    IosConfigReader::Parse("crypto keyring K\ncrypto isakmp profile P\nkeyring K\n", "t.cfg",
                           mode);
    EXPECT_EQ(mode, "conf-isa-prof");
    const IosRouterConfig c =
        P("crypto keyring K\npre-shared-key address 1.1.1.1 key k\nexit\nhostname X\n");
    EXPECT_EQ(c.hostname, "X");
    EXPECT_EQ(c.keyrings.at("K").keys.size(), 1u);
}

TEST(IosProfilesConfig, NoFormsRemove)
{
    const IosRouterConfig c = P(std::string(kHubKeyrings) + R"(crypto keyring BRANCH1-KEYS
 no pre-shared-key address 198.51.100.2
crypto isakmp profile BRANCH1
 no keepalive
 no match identity host spoke9.example.com
 no initiate mode aggressive
no crypto isakmp profile BRANCH2
no crypto keyring BRANCH2-KEYS
)");
    EXPECT_EQ(c.keyrings.at("BRANCH1-KEYS").keys.size(), 1u);
    const IosIsakmpProfile& p = c.isakmpProfiles.at("BRANCH1");
    EXPECT_FALSE(p.keepalive);
    EXPECT_EQ(p.matches.size(), 1u);
    EXPECT_FALSE(p.initiateAggressive);
    EXPECT_FALSE(c.isakmpProfiles.count("BRANCH2"));
    EXPECT_FALSE(c.keyrings.count("BRANCH2-KEYS"));
}

TEST(IosProfilesConfig, ProfileCommandsNotModelledAreListed)
{
    const IosRouterConfig c = P(R"(crypto isakmp profile VPN
 vrf CUST-A
 ca trust-point TP
 match identity group EZVPN
 match certificate MAP1
 client authentication list LIST
 isakmp authorization list LIST
 virtual-template 1
)");
    EXPECT_EQ(c.notModelled.size(), 7u);
    EXPECT_TRUE(c.isakmpProfiles.at("VPN").matches.empty());
}

TEST(IosProfilesConfig, UndefinedNamesAndTyposAreErrors)
{
    // A profile that names a keyring nobody defined, an entry naming an unknown profile.
    EXPECT_IOS_ERROR("crypto isakmp profile P\n keyring NOPE\n", 2, 9, "Keyring NOPE");
    EXPECT_IOS_ERROR("crypto isakmp profile P\ncrypto map M 10 ipsec-isakmp\n"
                     " set isakmp-profile Q\n",
                     3, 20, "ISAKMP profile Q");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key adress 1.1.1.1 key k\n", 2, 16,
                     "expected address or hostname");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key address 1.1.1.1 cisco\n", 2, 38,
                     "expected a mask or key");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key address 1.1.1.0 255.0.255.0 key k\n",
                     2, 31, "Bad mask");
    EXPECT_IOS_ERROR("crypto isakmp profile P\n keepalive 5 retry 2\n", 2, 11,
                     "10 to 3600 seconds");
    EXPECT_IOS_ERROR("crypto isakmp profile P\n keepalive 10 2\n", 2, 14, "expected retry");
    EXPECT_IOS_ERROR("crypto isakmp profile P\n match identity adddress 1.1.1.1\n", 2, 16,
                     "expected address, host, group or user");
    EXPECT_IOS_ERROR("crypto isakmp profile P\n self-identity dn\n", 2, 15,
                     "expected address or fqdn");
}

TEST(IosProfilesConfig, CryptoMapEntryOptions)
{
    const IosRouterConfig c = P(R"(crypto isakmp profile P
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.0.0 0.0.255.255
crypto map M 10 ipsec-isakmp
 match address 101
 set peer 192.0.2.2
 set isakmp-profile P
 set security-association idle-time 300
 set security-association replay window-size 512
 reverse-route static
crypto map M 20 ipsec-isakmp
 set security-association replay disable
 reverse-route remote-peer 192.0.2.9
crypto dynamic-map D 10
 set security-association idle-time 120 default
 set security-association lifetime seconds 900
 reverse-route
)");
    const IosCryptoMapEntry& e10 = c.cryptoMaps.at(0);
    EXPECT_EQ(e10.isakmpProfile, "P");
    EXPECT_EQ(e10.sa.idleSeconds, 300u);
    EXPECT_EQ(e10.sa.replayWindow, 512u);
    ASSERT_TRUE(e10.reverseRoute);
    EXPECT_TRUE(e10.reverseRoute->isStatic);
    EXPECT_FALSE(e10.reverseRoute->remotePeer);
    const IosCryptoMapEntry& e20 = c.cryptoMaps.at(1);
    EXPECT_EQ(e20.sa.replayWindow, 0u);
    EXPECT_TRUE(e20.reverseRoute->remotePeer);
    EXPECT_EQ(e20.reverseRoute->nextHop, Ipv4Address("192.0.2.9"));
    const IosCryptoMapEntry& d = c.dynamicMaps.at(0);
    EXPECT_EQ(d.sa.idleSeconds, 120u);
    EXPECT_EQ(d.lifetimeSeconds, 900u);
    EXPECT_FALSE(d.reverseRoute->isStatic);

    const IosRouterConfig n = P(R"(crypto map M 10 ipsec-isakmp
 set security-association idle-time 300
 reverse-route
 no set security-association idle-time
 no reverse-route
)");
    EXPECT_FALSE(n.cryptoMaps.at(0).sa.idleSeconds);
    EXPECT_FALSE(n.cryptoMaps.at(0).reverseRoute);
}

TEST(IosProfilesConfig, SaOptionErrors)
{
    EXPECT_IOS_ERROR("crypto map M 10 ipsec-isakmp\n set security-association idle-time 30\n", 2,
                     37, "60 to 86400 seconds");
    EXPECT_IOS_ERROR(
        "crypto map M 10 ipsec-isakmp\n set security-association replay window-size 100\n", 2,
        47, "64, 128, 256, 512 or 1024");
    EXPECT_IOS_ERROR("crypto map M 10 ipsec-isakmp\n set security-association replay enable\n", 2,
                     33, "expected window-size or disable");
    EXPECT_IOS_ERROR("crypto map M 10 ipsec-isakmp\n reverse-route statik\n", 2, 15,
                     "expected static, remote-peer");
    EXPECT_IOS_ERROR("crypto ipsec df-bit sett\n", 1, 20, "expected clear, set or copy");
    EXPECT_IOS_ERROR("interface Serial0\n crypto ipsec df-bit\n", 2, 21, "clear, set or copy");
}

TEST(IosProfilesConfig, GlobalSaOptionsAndDfBit)
{
    const IosRouterConfig c = P(R"(crypto ipsec security-association replay window-size 128
crypto ipsec security-association idle-time 600
crypto ipsec security-association lifetime seconds 1800
crypto ipsec df-bit clear
interface Serial0
 crypto ipsec df-bit set
interface Serial1
 ip address 192.0.2.5 255.255.255.252
)");
    EXPECT_EQ(c.saOptions.replayWindow, 128u);
    EXPECT_EQ(c.saOptions.idleSeconds, 600u);
    EXPECT_EQ(c.lifetimeSeconds, 1800u);
    EXPECT_EQ(c.dfBit, IosDfBit::CLEAR);
    EXPECT_EQ(c.FindInterface("Serial0")->dfBit, IosDfBit::SET);
    EXPECT_FALSE(c.FindInterface("Serial1")->dfBit);
    const IosRouterConfig d = P("crypto ipsec df-bit clear\nno crypto ipsec df-bit clear\n"
                                "crypto ipsec security-association replay disable\n");
    EXPECT_EQ(d.dfBit, IosDfBit::COPY);
    EXPECT_EQ(d.saOptions.replayWindow, 0u);
}

TEST(IosProfilesConfig, ReadSaOptionLeavesOtherWordsToTheCaller)
{
    IosLocation l{"t", 1, "lifetime seconds 100"};
    IosCursor c(l);
    IosSaOptions o;
    EXPECT_FALSE(ios_config::ReadSaOption(c, o, false));
    EXPECT_EQ(c.Position(), 0u);
    IosLocation r{"t", 1, "replay window-size"};
    IosCursor c2(r);
    EXPECT_TRUE(ios_config::ReadSaOption(c2, o, false));
    EXPECT_EQ(o.replayWindow, 64u);
}
