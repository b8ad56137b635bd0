// IKEv2 over IPsec profiles: `set ikev2-profile` in a `crypto ipsec profile` read as modelled,
// IOS 15's built-in `crypto ipsec transform-set default` and `crypto ipsec profile default`
// (where they apply, how a configured block edits them, how `no` removes them, their absence in
// 12.4) and `match identity remote address 0.0.0.0` as any peer. The tunnels negotiating over
// IKEv2 end to end are checked by test/e2e/ikev2-library.sh.
#include "common/ios-config-parse.h"
#include "ns3/ios-config.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ns3;
using test::P;

namespace
{

/** FlexVPN with IOS 15's smart defaults: the default IKEv2 proposal and policy, a profile named
 *  `default`, and the default IPsec profile on the tunnel. */
const char* kSmartDefaults = R"(version 15.4
crypto ikev2 keyring KR
 peer R2
  address 198.51.100.6
  pre-shared-key k3y
crypto ikev2 profile default
 match identity remote address 198.51.100.6 255.255.255.255
 authentication remote pre-share
 authentication local pre-share
 keyring local KR
interface Serial0/0
 ip address 198.51.100.1 255.255.255.252
interface Tunnel0
 ip address 172.16.12.1 255.255.255.252
 tunnel source Serial0/0
 tunnel mode ipsec ipv4
 tunnel destination 198.51.100.6
 tunnel protection ipsec profile default
)";

bool
NotModelled(const IosRouterConfig& c, const std::string& text)
{
    return std::any_of(c.notModelled.begin(), c.notModelled.end(),
                       [&](const IosLocation& l) { return l.text == text; });
}

} // namespace

TEST(IosIkev2TunnelConfig, SetIkev2ProfileInAnIpsecProfileIsModelled)
{
    const IosRouterConfig c = P("crypto ikev2 profile FLEX\n"
                                " match identity remote any\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n"
                                "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac\n"
                                "crypto ipsec profile VTI\n"
                                " set transform-set TS\n"
                                " set ikev2-profile FLEX\n");
    EXPECT_EQ(c.ipsecProfiles.at("VTI").ikev2Profile, "FLEX");
    EXPECT_FALSE(NotModelled(c, " set ikev2-profile FLEX"));
    // `no set ikev2-profile` puts the profile back to IKEv1.
    const IosRouterConfig n = P("crypto ikev2 profile FLEX\n"
                                " match identity remote any\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n"
                                "crypto ipsec profile VTI\n"
                                " set ikev2-profile FLEX\n"
                                " no set ikev2-profile\n");
    EXPECT_EQ(n.ipsecProfiles.at("VTI").ikev2Profile, "");
}

TEST(IosIkev2TunnelConfig, SetIkev2ProfileNamingNoProfileIsAnError)
{
    EXPECT_IOS_ERROR("crypto ipsec transform-set TS esp-aes esp-sha-hmac\n"
                     "crypto ipsec profile VTI\n"
                     " set transform-set TS\n"
                     " set ikev2-profile FLEX-PROF\n",
                     4, 19, "% IKEv2 profile FLEX-PROF is not defined");
}

TEST(IosIkev2TunnelConfig, DefaultProfileAndTransformSetOfIos15)
{
    const IosRouterConfig c = P(kSmartDefaults);
    ASSERT_TRUE(c.ipsecProfiles.count("default"));
    const IosIpsecProfile& p = c.ipsecProfiles.at("default");
    EXPECT_EQ(p.transformSets, std::vector<std::string>{"default"});
    EXPECT_EQ(p.ikev2Profile, "default") << "the default profile uses the IKEv2 profile default";
    ASSERT_TRUE(c.transformSets.count("default"));
    const IpsecTransformSet& ts = c.transformSets.at("default");
    EXPECT_EQ(ts.mode, IpsecMode::TRANSPORT);
    const IpsecTransformSet aesSha =
        IpsecTransformSet::Parse(std::vector<std::string>{"esp-aes", "esp-sha-hmac"});
    EXPECT_EQ(ts.espCipher, aesSha.espCipher);
    EXPECT_EQ(ts.espAuth, aesSha.espAuth);
    // Not typed, so not printed back.
    for (const auto& l : c.lines)
    {
        EXPECT_EQ(l.text.find("crypto ipsec profile default"), std::string::npos);
    }
}

TEST(IosIkev2TunnelConfig, DefaultProfileWithoutIkev2ProfileDefaultIsIkev1)
{
    const IosRouterConfig c = P("interface Tunnel0\n"
                                " tunnel source 198.51.100.1\n"
                                " tunnel destination 198.51.100.6\n"
                                " tunnel protection ipsec profile default\n");
    EXPECT_EQ(c.ipsecProfiles.at("default").ikev2Profile, "");
    EXPECT_EQ(c.ipsecProfiles.at("default").transformSets, std::vector<std::string>{"default"});
}

TEST(IosIkev2TunnelConfig, AConfiguredDefaultBlockKeepsWhatItDoesNotChange)
{
    // `crypto ipsec profile default` with only PFS: the transform set stays `default`.
    const IosRouterConfig c =
        P(std::string(kSmartDefaults) + "crypto ipsec profile default\n set pfs group14\n");
    EXPECT_EQ(c.ipsecProfiles.at("default").transformSets, std::vector<std::string>{"default"});
    EXPECT_EQ(c.ipsecProfiles.at("default").pfsGroup, 14);
    // A transform set configured under the name `default` replaces the built-in one.
    const IosRouterConfig d = P(std::string(kSmartDefaults) +
                                "crypto ipsec transform-set default esp-3des esp-sha-hmac\n");
    EXPECT_EQ(d.transformSets.at("default").mode, IpsecMode::TUNNEL);
    EXPECT_EQ(d.transformSets.at("default").espCipher,
              IpsecTransformSet::Parse(std::vector<std::string>{"esp-3des"}).espCipher);
    // A crypto map entry may name the default transform set.
    const IosRouterConfig m = P("access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
                                "crypto map M 10 ipsec-isakmp\n"
                                " set peer 192.0.2.2\n"
                                " set transform-set default\n"
                                " match address 101\n");
    EXPECT_TRUE(m.transformSets.count("default"));
}

TEST(IosIkev2TunnelConfig, NoFormsAndIos124RemoveTheDefaults)
{
    // Removed, the default profile is a profile like any other that is not defined.
    EXPECT_IOS_ERROR(std::string("no crypto ipsec profile default\n") + kSmartDefaults, 19, 33,
                     "% IPsec profile default is not defined");
    EXPECT_IOS_ERROR("no crypto ipsec transform-set default\n"
                     "crypto ipsec profile P\n"
                     " set transform-set default\n",
                     3, 19, "% Transform set default is not defined");
    // 12.4 has neither.
    std::string old = kSmartDefaults;
    old.replace(0, std::string("version 15.4").size(), "version 12.4");
    EXPECT_IOS_ERROR(old, 18, 33, "% IPsec profile default is not defined");
    // Nothing is added where nothing uses them.
    const IosRouterConfig none = P("hostname R1\n");
    EXPECT_TRUE(none.ipsecProfiles.empty());
    EXPECT_TRUE(none.transformSets.empty());
}

TEST(IosIkev2TunnelConfig, MatchIdentityRemoteAddressZeroIsAnyPeer)
{
    const IosRouterConfig c = P("crypto ikev2 profile SPOKES\n"
                                " match identity remote address 0.0.0.0\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n"
                                "crypto ikev2 profile ONE\n"
                                " match identity remote address 192.0.2.11\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n");
    const IosIkev2Profile& any = c.ikev2.profiles.at("SPOKES");
    const IosIkev2Profile& one = c.ikev2.profiles.at("ONE");
    for (const char* a : {"192.0.2.11", "203.0.113.77", "10.1.2.3"})
    {
        EXPECT_TRUE(any.MatchesRemote(IosIkev2Identity{IosIkev2IdType::ADDRESS, a})) << a;
    }
    EXPECT_TRUE(one.MatchesRemote(IosIkev2Identity{IosIkev2IdType::ADDRESS, "192.0.2.11"}));
    EXPECT_FALSE(one.MatchesRemote(IosIkev2Identity{IosIkev2IdType::ADDRESS, "192.0.2.12"}))
        << "any other address alone is a host";
    EXPECT_FALSE(any.MatchesRemote(IosIkev2Identity{IosIkev2IdType::FQDN, "s3.example.com"}))
        << "an address match does not take a name";
}
