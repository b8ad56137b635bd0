// The IOS configuration of IKEv2 (FlexVPN syntax): proposals, policies, keyrings and profiles read
// from a pasted running configuration, a configuration-mode session and CRLF text; IOS 15's
// defaults; the checks IOS makes; the lookups a daemon needs; and the show commands.
#include "common/ios-config-parse.h"
#include "common/ios-lab.h"
#include "ns3/ios-config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace ns3;
using namespace ns3::test;

namespace
{

/** A FlexVPN hub as `show running-config` prints it on IOS 15.4, pasted with its heading, and
 *  with commands the simulation does not model among the IKEv2 blocks. */
const char* kHub = R"(HUB#show running-config
Building configuration...

Current configuration : 2817 bytes
!
! Last configuration change at 10:12:01 UTC Mon Mar 2 2026
!
version 15.4
service timestamps debug datetime msec
no service password-encryption
!
hostname HUB
!
boot-start-marker
boot-end-marker
!
aaa new-model
!
crypto ikev2 authorization policy FLEX-AUTHOR
 route set interface
!
crypto ikev2 proposal AES256-SHA256
 encryption aes-cbc-256 aes-cbc-128
 integrity sha256 sha1
 group 14 5
!
crypto ikev2 proposal GCM
 encryption aes-gcm-256
 prf sha384
 group 19
!
crypto ikev2 policy HUB-POLICY
 match fvrf any
 match address local 192.0.2.1
 proposal AES256-SHA256
 proposal GCM
!
crypto ikev2 policy ANY-LOCAL
 proposal GCM
!
crypto ikev2 keyring FLEX-KEYS
 peer SPOKES
  address 198.51.100.0 255.255.255.0
  pre-shared-key Spokes-psk
 !
 peer SPOKE1
  address 198.51.100.2
  identity fqdn spoke1.example.com
  pre-shared-key local Hub-to-spoke1
  pre-shared-key remote Spoke1-to-hub
 !
 peer BRANCH
  hostname branch.example.com
  pre-shared-key 6 FLgBaJHXdYY_AcHZZMgQ_RhTDJXHUBAAB
 !
!
crypto ikev2 profile FLEX-PROF
 description spokes of the FlexVPN
 match fvrf any
 match identity remote address 198.51.100.0 255.255.255.0
 match identity remote fqdn domain example.com
 identity local fqdn hub.example.com
 authentication remote pre-share
 authentication local pre-share
 keyring local FLEX-KEYS
 dpd 10 2 periodic
 aaa authorization group psk list default FLEX-AUTHOR
 virtual-template 1
!
crypto ikev2 dpd 30 5 on-demand
crypto ikev2 nat keepalive 20
crypto ikev2 cookie-challenge 10
crypto ikev2 limit max-sa 50
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
!
crypto ipsec profile FLEX-IPSEC
 set transform-set TS
 set ikev2-profile FLEX-PROF
!
interface Loopback0
 ip address 10.0.0.1 255.255.255.255
!
interface Tunnel1
 ip address 10.255.0.1 255.255.255.252
 tunnel source Serial0/0
 tunnel mode ipsec ipv4
 tunnel destination 198.51.100.2
 tunnel protection ipsec profile FLEX-IPSEC
!
interface Serial0/0
 ip address 192.0.2.1 255.255.255.0
!
ip http server
!
line vty 0 4
 transport input ssh
!
end
)";

/** A spoke typed at the console: prompts, abbreviations, `exit`, `end` and `write`. */
const char* kSpokeSession = R"(SPOKE1#configure terminal
Enter configuration commands, one per line.  End with CNTL/Z.
SPOKE1(config)#cry ikev2 proposal P1
SPOKE1(config-ikev2-proposal)#encr aes-cbc-128 3des
SPOKE1(config-ikev2-proposal)#integ sha1
SPOKE1(config-ikev2-proposal)#group 2
SPOKE1(config-ikev2-proposal)#encryption aes-cbc-256
SPOKE1(config-ikev2-proposal)#no encryption 3des
SPOKE1(config-ikev2-proposal)#exit
SPOKE1(config)#crypto ikev2 policy POL
SPOKE1(config-ikev2-policy)#proposal P1
SPOKE1(config-ikev2-policy)#exit
SPOKE1(config)#no crypto ikev2 proposal default
SPOKE1(config)#crypto ikev2 keyring KR
SPOKE1(config-ikev2-keyring)#peer HUB
SPOKE1(config-ikev2-keyring-peer)#address 192.0.2.1
SPOKE1(config-ikev2-keyring-peer)#pre-shared-key local Spoke1-to-hub
SPOKE1(config-ikev2-keyring-peer)#pre-shared-key remote Hub-to-spoke1
SPOKE1(config-ikev2-keyring-peer)#exit
SPOKE1(config-ikev2-keyring)#exit
SPOKE1(config)#crypto ikev2 profile PROF
SPOKE1(config-ikev2-profile)#match identity remote fqdn hub.example.com
SPOKE1(config-ikev2-profile)#identity local fqdn spoke1.example.com
SPOKE1(config-ikev2-profile)#authentication local pre-share
SPOKE1(config-ikev2-profile)#authentication remote pre-share
SPOKE1(config-ikev2-profile)#authentication remote rsa-sig
SPOKE1(config-ikev2-profile)#keyring local KR
SPOKE1(config-ikev2-profile)#lifetime 3600
SPOKE1(config-ikev2-profile)#end
SPOKE1#write memory
Building configuration...
[OK]
SPOKE1#
)";

} // namespace

// ------------------------------------------------------------------------------ reading

TEST(IosIkev2ConfigTest, PastedRunningConfigurationOfAHub)
{
    const IosRouterConfig cfg = IosConfigReader::Parse(kHub, "HUB.cfg");
    const IosIkev2Config& v2 = cfg.ikev2;
    ASSERT_EQ(v2.proposals.size(), 2u);
    const IosIkev2Proposal& p = v2.proposals.at("AES256-SHA256");
    EXPECT_EQ(p.encryption, (std::vector<IosIkev2Encryption>{IosIkev2Encryption::AES_CBC_256,
                                                             IosIkev2Encryption::AES_CBC_128}));
    EXPECT_EQ(p.integrity, (std::vector<IosIkev2Hash>{IosIkev2Hash::SHA256, IosIkev2Hash::SHA1}));
    EXPECT_EQ(p.Prfs(), p.integrity) << "without prf, IOS derives with the integrity hashes";
    EXPECT_EQ(p.groups, (std::vector<uint8_t>{14, 5}));
    EXPECT_FALSE(p.IsAead());
    EXPECT_TRUE(v2.proposals.at("GCM").IsAead());
    EXPECT_EQ(v2.proposals.at("GCM").Prfs(), std::vector<IosIkev2Hash>{IosIkev2Hash::SHA384});

    const IosIkev2Policy& pol = v2.policies.at("HUB-POLICY");
    EXPECT_EQ(pol.proposals, (std::vector<std::string>{"AES256-SHA256", "GCM"}));
    EXPECT_EQ(pol.matchLocal, std::vector<Ipv4Address>{Ipv4Address("192.0.2.1")});
    EXPECT_EQ(pol.matchFvrf, "any");

    const IosIkev2Keyring& kr = v2.keyrings.at("FLEX-KEYS");
    ASSERT_EQ(kr.peers.size(), 3u) << "the ` !` between peers keeps the keyring open";
    EXPECT_EQ(kr.peers[0].mask, Ipv4Mask("255.255.255.0"));
    EXPECT_EQ(kr.peers[0].localKey->key, "Spokes-psk");
    EXPECT_EQ(kr.peers[0].remoteKey->key, "Spokes-psk") << "no local/remote: both directions";
    EXPECT_EQ(kr.peers[1].identity->type, IosIkev2IdType::FQDN);
    EXPECT_EQ(kr.peers[1].localKey->key, "Hub-to-spoke1");
    EXPECT_EQ(kr.peers[1].remoteKey->key, "Spoke1-to-hub");
    EXPECT_EQ(kr.peers[2].hostname, "branch.example.com");
    EXPECT_EQ(kr.peers[2].localKey->encryptionType, 6);

    const IosIkev2Profile& prof = v2.profiles.at("FLEX-PROF");
    EXPECT_EQ(prof.description, "spokes of the FlexVPN");
    ASSERT_EQ(prof.matchRemote.size(), 2u);
    EXPECT_TRUE(prof.matchRemote[1].domain);
    EXPECT_EQ(prof.localIdentity->value, "hub.example.com");
    EXPECT_EQ(prof.localAuth, IosIkev2AuthMethod::PRE_SHARE);
    EXPECT_EQ(prof.remoteAuth, std::vector<IosIkev2AuthMethod>{IosIkev2AuthMethod::PRE_SHARE});
    EXPECT_EQ(prof.keyring, "FLEX-KEYS");
    EXPECT_EQ(prof.dpd->interval, 10u);
    EXPECT_TRUE(prof.dpd->periodic);
    EXPECT_EQ(prof.virtualTemplate, 1u);
    EXPECT_EQ(prof.lifetimeSeconds, 86400u) << "IOS's default lifetime";

    EXPECT_EQ(v2.dpd->interval, 30u);
    EXPECT_FALSE(v2.dpd->periodic);
    EXPECT_EQ(v2.natKeepaliveSeconds, 20u);
    EXPECT_EQ(v2.cookieChallenge, 10u);
    EXPECT_EQ(v2.maxSa, 50u);
    EXPECT_EQ(cfg.ipsecProfiles.at("FLEX-IPSEC").ikev2Profile, "FLEX-PROF");

    // Listed as not modelled: the authorization policy and its block, the AAA line and the
    // virtual template of the profile and the call admission limit; the proposals, policies,
    // keyrings and profiles are not, nor `set ikev2-profile` in an IPsec profile.
    std::vector<std::string> listed;
    for (const auto& l : cfg.notModelled)
    {
        listed.push_back(l.text);
    }
    auto has = [&listed](const std::string& s)
    { return std::find(listed.begin(), listed.end(), s) != listed.end(); };
    EXPECT_TRUE(has("crypto ikev2 authorization policy FLEX-AUTHOR"));
    EXPECT_TRUE(has(" route set interface"));
    EXPECT_TRUE(has(" aaa authorization group psk list default FLEX-AUTHOR"));
    EXPECT_TRUE(has(" virtual-template 1"));
    EXPECT_TRUE(has("crypto ikev2 limit max-sa 50"));
    EXPECT_FALSE(has(" set ikev2-profile FLEX-PROF"));
    EXPECT_FALSE(has("crypto ikev2 proposal AES256-SHA256"));
    EXPECT_FALSE(has("  pre-shared-key Spokes-psk"));
}

TEST(IosIkev2ConfigTest, CrlfReadsTheSame)
{
    std::string crlf;
    for (const char ch : std::string(kHub))
    {
        crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    }
    const IosRouterConfig a = IosConfigReader::Parse(kHub, "HUB.cfg");
    const IosRouterConfig b = IosConfigReader::Parse(crlf, "HUB.cfg");
    EXPECT_EQ(b.ikev2.keyrings.at("FLEX-KEYS").peers.size(), 3u);
    EXPECT_EQ(b.ikev2.profiles.at("FLEX-PROF").localIdentity->value, "hub.example.com");
    EXPECT_EQ(b.ikev2.proposals.at("GCM").groups, a.ikev2.proposals.at("GCM").groups);
    EXPECT_EQ(b.ikev2.keyrings.at("FLEX-KEYS").peers[1].remoteKey->key, "Spoke1-to-hub")
        << "no carriage return left in a key";
}

TEST(IosIkev2ConfigTest, ConfigurationSessionWithPromptsAndNoForms)
{
    std::string endMode;
    const IosRouterConfig cfg = IosConfigReader::Parse(kSpokeSession, "SPOKE1.txt", endMode);
    EXPECT_EQ(endMode, "config");
    const IosIkev2Config& v2 = cfg.ikev2;
    EXPECT_EQ(v2.proposals.at("P1").encryption,
              (std::vector<IosIkev2Encryption>{IosIkev2Encryption::AES_CBC_128,
                                               IosIkev2Encryption::AES_CBC_256}))
        << "a second encryption line adds, `no encryption 3des` takes one away";
    EXPECT_FALSE(v2.defaultProposal);
    EXPECT_FALSE(v2.FindProposal("default"));
    const IosIkev2Profile& prof = v2.profiles.at("PROF");
    EXPECT_EQ(prof.remoteAuth, (std::vector<IosIkev2AuthMethod>{IosIkev2AuthMethod::PRE_SHARE,
                                                                IosIkev2AuthMethod::RSA_SIG}));
    EXPECT_EQ(prof.lifetimeSeconds, 3600u);
    EXPECT_EQ(v2.keyrings.at("KR").peers.at(0).localKey->key, "Spoke1-to-hub");

    // Each mode's prompt, as a session left in it names it.
    const std::string proposal = "crypto ikev2 proposal X\n encryption 3des\n integrity md5\n"
                                 " group 2\n";
    const std::string profile = "crypto ikev2 profile X\n match identity remote any\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n";
    const std::vector<std::pair<std::string, std::string>> modes = {
        {proposal, "config-ikev2-proposal"},
        {proposal + "crypto ikev2 policy X\n proposal X\n", "config-ikev2-policy"},
        {"crypto ikev2 keyring X\n", "config-ikev2-keyring"},
        {"crypto ikev2 keyring X\n peer Y\n", "config-ikev2-keyring-peer"},
        {"crypto ikev2 keyring X\n peer Y\n exit\n", "config-ikev2-keyring"},
        {"crypto ikev2 keyring X\n peer Y\n !\n peer Z\n", "config-ikev2-keyring-peer"},
        {profile, "config-ikev2-profile"},
    };
    for (const auto& [text, mode] : modes)
    {
        IosConfigReader::Parse(text, "t.cfg", endMode);
        EXPECT_EQ(endMode, mode) << text;
    }
}

TEST(IosIkev2ConfigTest, NoFormsRemoveWhatTheyName)
{
    const IosRouterConfig cfg = P(R"(crypto ikev2 proposal P
 encryption aes-cbc-128
 integrity sha1 md5
 group 14
 no integrity md5
crypto ikev2 policy default
 proposal P
no crypto ikev2 policy default
crypto ikev2 keyring K
 peer A
  address 192.0.2.9
  pre-shared-key both-ways
  no pre-shared-key remote
 peer B
  address 192.0.2.10
 no peer B
crypto ikev2 profile F
 match identity remote address 192.0.2.9
 match identity remote address 192.0.2.8
 no match identity remote address 192.0.2.8
 authentication local pre-share key 0 own-key
 authentication remote pre-share
 dpd 10 3 on-demand
 no dpd
crypto ikev2 dpd 10 2 on-demand
no crypto ikev2 dpd
)");
    EXPECT_EQ(cfg.ikev2.proposals.at("P").integrity, std::vector<IosIkev2Hash>{IosIkev2Hash::SHA1});
    EXPECT_FALSE(cfg.ikev2.defaultPolicy);
    EXPECT_TRUE(cfg.ikev2.PoliciesFor(Ipv4Address("192.0.2.1")).empty())
        << "no policy and the default disabled: IKEv2 is refused";
    const IosIkev2KeyringPeer& a = cfg.ikev2.keyrings.at("K").peers.at(0);
    EXPECT_EQ(a.localKey->key, "both-ways");
    EXPECT_FALSE(a.remoteKey);
    EXPECT_EQ(cfg.ikev2.keyrings.at("K").peers.size(), 1u);
    const IosIkev2Profile& f = cfg.ikev2.profiles.at("F");
    EXPECT_EQ(f.matchRemote.size(), 1u);
    EXPECT_EQ(f.localAuthKey->key, "own-key");
    EXPECT_FALSE(f.dpd);
    EXPECT_FALSE(cfg.ikev2.dpd);
}

// ------------------------------------------------------------------------------ errors

TEST(IosIkev2ConfigTest, ChecksIosMakes)
{
    const std::string proposal = "crypto ikev2 proposal P\n encryption aes-cbc-128\n"
                                 " integrity sha1\n group 14\n";
    EXPECT_IOS_ERROR(proposal + "crypto ikev2 policy POL\n proposal Q\n", 6, 10,
                     "IKEv2 proposal Q is not defined");
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n encryption aes-cbc-128\n group 14\n!\n", 1, 22,
                     "no integrity algorithm");
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n encryption aes-cbc-128\n integrity sha1\n!\n", 1,
                     22, "no Diffie-Hellman group");
    EXPECT_IOS_ERROR("crypto ikev2 proposal G\n encryption aes-gcm-128\n integrity sha1\n"
                     " group 19\n!\n",
                     1, 22, "integrity algorithm with AES-GCM");
    EXPECT_IOS_ERROR("crypto ikev2 proposal G\n encryption aes-gcm-128\n group 19\n!\n", 1, 22,
                     "no prf");
    EXPECT_IOS_ERROR("crypto ikev2 proposal G\n encryption aes-gcm-128 aes-cbc-128\n prf sha1\n"
                     " group 19\n!\n",
                     1, 22, "mixes AES-GCM");
    EXPECT_IOS_ERROR("crypto ikev2 policy POL\n match address local 192.0.2.1\n!\n", 1, 20,
                     "has no proposal");
    const std::string profile = "crypto ikev2 profile F\n match identity remote any\n"
                                " authentication local pre-share\n"
                                " authentication remote pre-share\n";
    EXPECT_IOS_ERROR(profile + " keyring local NOPE\n", 5, 15, "IKEv2 keyring NOPE is not defined");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n match identity remote any\n"
                     " authentication local pre-share\n!\n",
                     1, 21, "needs authentication remote");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n authentication local pre-share\n"
                     " authentication remote pre-share\n!\n",
                     1, 21, "a match identity remote");
    EXPECT_IOS_ERROR("crypto ipsec profile V\n set ikev2-profile MISSING\n", 2, 19,
                     "IKEv2 profile MISSING is not defined");
    EXPECT_IOS_ERROR("access-list 101 permit ip any any\n"
                     "crypto map M 10 ipsec-isakmp\n set peer 192.0.2.2\n match address 101\n"
                     " set ikev2-profile GONE\n",
                     5, 19, "IKEv2 profile GONE is not defined");
}

TEST(IosIkev2ConfigTest, ABlockIsCheckedWhenItsModeIsLeft)
{
    // At the console each line is read with all before it: a block still being typed is not
    // yet incomplete, as IOS checks it when its mode is left.
    std::string endMode;
    const IosRouterConfig typing = IosConfigReader::Parse(
        "crypto ikev2 proposal P\n encryption aes-cbc-128\n", "<console>", endMode);
    EXPECT_EQ(endMode, "config-ikev2-proposal");
    EXPECT_EQ(typing.ikev2.proposals.count("P"), 1u);
    EXPECT_NO_THROW(IosConfigReader::Parse("crypto ikev2 profile F\n", "<console>", endMode));
    EXPECT_NO_THROW(IosConfigReader::Parse("crypto ikev2 policy X\n", "<console>", endMode));
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n encryption aes-cbc-128\n!\n", 1, 22,
                     "no integrity algorithm");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n exit\n", 1, 21, "is incomplete");
    EXPECT_IOS_ERROR("crypto ikev2 policy X\nhostname R\n", 1, 20, "has no proposal");
}

TEST(IosIkev2ConfigTest, WordsIosRefuses)
{
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n encryption aes-cbc-512\n", 2, 12,
                     "expected aes-cbc-128");
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n group 3\n", 2, 7, "Diffie-Hellman group");
    EXPECT_IOS_ERROR("crypto ikev2 proposal P\n integrity sha\n", 2, 11, "Ambiguous");
    EXPECT_IOS_ERROR("crypto ikev2 keyring K\n peer A\n  address 192.0.2.1 255.0.255.0\n", 3, 20,
                     "Bad mask");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n dpd 5 2 on-demand\n", 2, 5, "10 to 3600");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n dpd 10 2\n", 2, 10, "on-demand or periodic");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n lifetime 60\n", 2, 10, "120 to 86400");
    EXPECT_IOS_ERROR("crypto ikev2 profile F\n authentication local pre-shared\n", 2, 22,
                     "expected pre-share");
    EXPECT_IOS_ERROR("crypto ikev2 profle F\n", 1, 13, "Invalid input");
    // In a pasted session the '^' points into the line as typed, prompt included.
    EXPECT_IOS_ERROR("R1(config)#crypto ikev2 proposal P\nR1(config-ikev2-proposal)#group 3\n", 2,
                     32, "Diffie-Hellman group");
}

// ------------------------------------------------------------------------------ lookups

TEST(IosIkev2ConfigTest, DefaultsOfIos15)
{
    const IosRouterConfig none = P("hostname R\n");
    EXPECT_FALSE(none.ikev2.Configured());
    const std::vector<IosIkev2Proposal> offered = none.ikev2.ProposalsFor(Ipv4Address("1.1.1.1"));
    ASSERT_EQ(offered.size(), 1u) << "no policy: the default policy with the default proposal";
    EXPECT_EQ(offered[0].name, "default");
    EXPECT_EQ(offered[0].encryption.front(), IosIkev2Encryption::AES_CBC_256);
    EXPECT_EQ(offered[0].groups, (std::vector<uint8_t>{5, 2}));
    EXPECT_TRUE(IosIkev2Config::DefaultPolicy().Matches(Ipv4Address("203.0.113.7")));

    // A proposal not in a policy is not offered (the default is, through the default policy).
    const IosRouterConfig orphan =
        P("crypto ikev2 proposal P\n encryption 3des\n integrity md5\n group 2\n");
    EXPECT_EQ(orphan.ikev2.ProposalsFor(Ipv4Address("1.1.1.1")).at(0).name, "default");
}

TEST(IosIkev2ConfigTest, PolicyProfileAndKeyLookups)
{
    const IosRouterConfig cfg = IosConfigReader::Parse(kHub, "HUB.cfg");
    const IosIkev2Config& v2 = cfg.ikev2;
    // On 192.0.2.1 the policy naming the address comes first; elsewhere only ANY-LOCAL applies.
    const auto onHub = v2.ProposalsFor(Ipv4Address("192.0.2.1"));
    ASSERT_EQ(onHub.size(), 2u);
    EXPECT_EQ(onHub[0].name, "AES256-SHA256");
    EXPECT_EQ(onHub[1].name, "GCM");
    const auto elsewhere = v2.PoliciesFor(Ipv4Address("10.0.0.1"));
    ASSERT_EQ(elsewhere.size(), 1u);
    EXPECT_EQ(elsewhere[0].name, "ANY-LOCAL");

    const IosIkev2Identity spoke1{IosIkev2IdType::FQDN, "SPOKE1.example.com"};
    const IosIkev2Identity stranger{IosIkev2IdType::FQDN, "r1.example.org"};
    const IosIkev2Identity byAddress{IosIkev2IdType::ADDRESS, "198.51.100.77"};
    const Ipv4Address hub("192.0.2.1");
    ASSERT_NE(v2.FindProfile(spoke1, hub, cfg.interfaces), nullptr);
    EXPECT_NE(v2.FindProfile(byAddress, hub, cfg.interfaces), nullptr);
    EXPECT_EQ(v2.FindProfile(stranger, hub, cfg.interfaces), nullptr);

    const IosIkev2Profile& prof = v2.profiles.at("FLEX-PROF");
    // Responder: spoke1's own keys by its identity; any other spoke the /24's key.
    auto k1 = v2.FindPreSharedKeys(prof, Ipv4Address("198.51.100.2"), spoke1);
    EXPECT_EQ(k1.local, "Hub-to-spoke1");
    EXPECT_EQ(k1.remote, "Spoke1-to-hub");
    auto k9 = v2.FindPreSharedKeys(prof, Ipv4Address("198.51.100.9"));
    EXPECT_EQ(k9.local, "Spokes-psk");
    EXPECT_EQ(k9.remote, "Spokes-psk");
    EXPECT_EQ(v2.FindKeyringPeer("FLEX-KEYS", Ipv4Address("198.51.100.2"))->name, "SPOKE1")
        << "the longest mask wins";
    EXPECT_EQ(v2.FindKeyringPeer("FLEX-KEYS",
                                 IosIkev2Identity{IosIkev2IdType::FQDN, "branch.example.com"})
                  ->name,
              "BRANCH")
        << "a peer's hostname names the identity it presents";
    EXPECT_FALSE(v2.FindPreSharedKeys(prof, Ipv4Address("203.0.113.1")).local);
}

// ------------------------------------------------------------------------------ the router

namespace
{
class Ikev2RouterLab : public IosLab
{
};

const char* kSiteA = R"(hostname A
crypto ikev2 proposal P
 encryption aes-cbc-128
 integrity sha256
 group 14
crypto ikev2 policy POL
 match address local 192.0.2.1
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
crypto ipsec transform-set TS esp-aes esp-sha-hmac
access-list 101 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
crypto map M 10 ipsec-isakmp
 set peer 192.0.2.2
 set transform-set TS
 set ikev2-profile PR
 match address 101
interface Serial0
 ip address 192.0.2.1 255.255.255.0
 crypto map M
)";
} // namespace

TEST_F(Ikev2RouterLab, AccessorsAndNoIkev1InPlaceOfIkev2)
{
    Router("A", kSiteA);
    Router("B", std::string("version 12.4\n") +
                    "hostname B\n"
                    "interface Serial0\n ip address 192.0.2.2 255.255.255.0\n");
    Link("A:Serial0", "B:Serial0");
    Build();
    Ptr<IosRouter> a = routers.at("A");
    Ptr<IpsecPolicyEntry> e = a->GetCryptoMapEntries().at(0).entry;
    EXPECT_EQ(a->GetIkev2ProfileName(e), "PR");
    ASSERT_NE(a->GetIkev2Profile(e), nullptr);
    EXPECT_TRUE(a->UsesIkev2(e)) << "negotiated by IKEv2, never by IKEv1 in its place";
    EXPECT_EQ(a->ResolvePeers(e), std::vector<Ipv4Address>{Ipv4Address("192.0.2.2")});
    const IpsecTrafficSelector flow =
        IpsecTrafficSelector::Hosts(Ipv4Address("10.1.0.5"), Ipv4Address("10.2.0.5"));
    const auto answer = a->MatchQuickMode(Ipv4Address("192.0.2.2"), Ipv4Address("192.0.2.1"), flow);
    EXPECT_EQ(answer.entry, nullptr) << "nor as an IKEv1 responder";
    EXPECT_EQ(a->MatchIkev2Child(Ipv4Address("192.0.2.2"), Ipv4Address("192.0.2.1"), flow).entry, e)
        << "IKEv2 answers for it";
    // What the IKEv2 daemon gets: our identity (the address) and keys, both ways.
    const auto init =
        a->GetIkev2InitiatorCredentials(e, Ipv4Address("192.0.2.1"), Ipv4Address("192.0.2.2"));
    EXPECT_EQ(init.profile, "PR");
    EXPECT_EQ(init.idType, 1); // ID_IPV4_ADDR
    EXPECT_EQ(init.id, (std::vector<uint8_t>{192, 0, 2, 1}));
    EXPECT_EQ(init.localKey, "s3cret");
    EXPECT_EQ(init.remoteKey, "s3cret");
    const auto resp = a->GetIkev2ResponderCredentials(1, {192, 0, 2, 2}, Ipv4Address("192.0.2.1"),
                                                      Ipv4Address("192.0.2.2"));
    EXPECT_EQ(resp.profile, "PR");
    const auto stranger = a->GetIkev2ResponderCredentials(
        1, {192, 0, 2, 9}, Ipv4Address("192.0.2.1"), Ipv4Address("192.0.2.9"));
    EXPECT_TRUE(stranger.profile.empty());
    EXPECT_NE(stranger.reason.find("no IKEv2 profile matches"), std::string::npos)
        << stranger.reason;
    const auto offers = a->GetIkev2Offers(Ipv4Address("192.0.2.1"));
    ASSERT_EQ(offers.size(), 1u);
    EXPECT_EQ(offers[0].encryption, (std::vector<std::pair<uint16_t, uint16_t>>{{12, 128}}));
    EXPECT_EQ(offers[0].integrity, std::vector<uint16_t>{12}); // AUTH_HMAC_SHA2_256_128
    EXPECT_EQ(offers[0].prf, std::vector<uint16_t>{5});        // PRF_HMAC_SHA2_256
    EXPECT_EQ(offers[0].groups, std::vector<uint16_t>{14});
    EXPECT_EQ(a->GetIkev2Proposals(Ipv4Address("192.0.2.1")).at(0).name, "P");
    const auto keys = a->GetIkev2PreSharedKeys(*a->GetIkev2Profile(e), Ipv4Address("192.0.2.2"));
    EXPECT_EQ(keys.local, "s3cret");
    EXPECT_EQ(a->GetIkev2LocalIdentity(*a->GetIkev2Profile(e), Ipv4Address("192.0.2.1")).value,
              "192.0.2.1");
    EXPECT_EQ(a->FindIkev2Profile(IosIkev2Identity{IosIkev2IdType::ADDRESS, "192.0.2.2"},
                                  Ipv4Address("192.0.2.1")),
              a->GetIkev2Profile(e));

    // The show commands (15.x), and 12.4's refusal of a command it does not have.
    const std::string proposals = a->Exec("show crypto ikev2 proposal");
    EXPECT_NE(proposals.find(" IKEv2 proposal: default\n"
                             "     Encryption : AES-CBC-256 AES-CBC-192 AES-CBC-128\n"),
              std::string::npos)
        << proposals;
    EXPECT_NE(proposals.find(" IKEv2 proposal: P\n     Encryption : AES-CBC-128\n"
                             "     Integrity  : SHA256\n     PRF        : SHA256\n"
                             "     DH Group   : DH_GROUP_2048_MODP/Group 14\n"),
              std::string::npos)
        << proposals;
    EXPECT_EQ(a->Exec("sh cry ikev2 prop P").find("default"), std::string::npos);
    const std::string policy = a->Exec("show crypto ikev2 policy POL");
    EXPECT_NE(policy.find("      Match address local : 192.0.2.1\n"), std::string::npos) << policy;
    const std::string profile = a->Exec("show crypto ikev2 profile");
    EXPECT_NE(profile.find("IKEv2 profile: PR\n Ref Count: 1\n"), std::string::npos) << profile;
    EXPECT_NE(profile.find(" Keyring: K\n"), std::string::npos) << profile;
    try
    {
        routers.at("B")->Exec("show crypto ikev2 proposal");
        ADD_FAILURE() << "12.4 has no IKEv2";
    }
    catch (const IosConfigError& err)
    {
        EXPECT_EQ(err.Column(), 12u);
        EXPECT_EQ(err.Detail(), "% Invalid input detected at '^' marker.");
    }
}

TEST(IosIkev2ConfigTest, FuzzSeedsAreValidConfigurations)
{
    // The seeds of the configuration fuzzer start from a valid IKEv2 configuration, so that
    // mutations reach the IKEv2 modes and their checks.
    const std::string dir = std::string(IPSEC_SOURCE_DIR) + "/fuzz/corpus/ios-config/";
    const IosRouterConfig hub = IosConfigReader::ParseFile(dir + "ikev2-flexvpn-hub.cfg");
    EXPECT_EQ(hub.ikev2.profiles.count("FLEX-PROF"), 1u);
    std::string endMode;
    std::ifstream in(dir + "ikev2-spoke-session.txt");
    std::ostringstream text;
    text << in.rdbuf();
    const IosRouterConfig spoke = IosConfigReader::Parse(text.str(), "spoke", endMode);
    EXPECT_TRUE(spoke.ikev2.proposals.at("P1").IsAead());
    EXPECT_EQ(spoke.ikev2.profiles.at("PROF").localIdentity->type, IosIkev2IdType::EMAIL);
    EXPECT_EQ(spoke.cryptoMaps.at(0).ikev2Profile, "PROF");
    EXPECT_EQ(endMode, "config");
}

TEST(IosIkev2ConfigTest, RemoteIdentityAndLocalAddressMatching)
{
    const IosRouterConfig cfg = P(R"(interface Serial0
 ip address 192.0.2.1 255.255.255.0
crypto ikev2 profile BY-EMAIL
 match identity remote email domain example.com
 match identity remote key-id branch-7
 match address local interface Serial0
 authentication local pre-share
 authentication remote pre-share
crypto ikev2 profile BY-FQDN
 match identity remote fqdn r1.example.net
 match address local 203.0.113.1
 authentication local rsa-sig
 authentication remote rsa-sig
 pki trustpoint TP
)");
    const IosIkev2Profile& email = cfg.ikev2.profiles.at("BY-EMAIL");
    EXPECT_TRUE(email.MatchesRemote({IosIkev2IdType::EMAIL, "ops@example.com"}));
    EXPECT_TRUE(email.MatchesRemote({IosIkev2IdType::EMAIL, "ops@lab.example.com"}));
    EXPECT_FALSE(email.MatchesRemote({IosIkev2IdType::EMAIL, "ops@badexample.com"}));
    EXPECT_FALSE(email.MatchesRemote({IosIkev2IdType::FQDN, "example.com"})) << "types differ";
    EXPECT_TRUE(email.MatchesRemote({IosIkev2IdType::KEY_ID, "branch-7"}));
    EXPECT_FALSE(email.MatchesRemote({IosIkev2IdType::KEY_ID, "BRANCH-7"}))
        << "key ids compare byte for byte";
    EXPECT_TRUE(email.MatchesLocal(Ipv4Address("192.0.2.1"), cfg.interfaces));
    EXPECT_FALSE(email.MatchesLocal(Ipv4Address("203.0.113.1"), cfg.interfaces));

    const IosIkev2Identity r1{IosIkev2IdType::FQDN, "R1.example.net"};
    EXPECT_EQ(cfg.ikev2.FindProfile(r1, Ipv4Address("203.0.113.1"), cfg.interfaces),
              &cfg.ikev2.profiles.at("BY-FQDN"));
    EXPECT_EQ(cfg.ikev2.FindProfile(r1, Ipv4Address("192.0.2.1"), cfg.interfaces), nullptr)
        << "match address local restricts the profile";
    EXPECT_EQ(cfg.ikev2.profiles.at("BY-FQDN").trustpoints, std::vector<std::string>{"TP"});
    EXPECT_EQ(cfg.ikev2.profiles.at("BY-FQDN").localAuth, IosIkev2AuthMethod::RSA_SIG);
}
