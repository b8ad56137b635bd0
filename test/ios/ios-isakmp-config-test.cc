// The IKE side of the IOS configuration: `crypto isakmp policy` and its sub-mode, pre-shared keys,
// identity, keepalives (DPD), NAT-T switches, the IKE commands still read as not modelled, the
// `show crypto isakmp policy` text, and the EXEC commands that go with IKE.
#include "common/ios-config-parse.h"
#include "ns3/ios-config.h"
#include "ns3/ios-exec.h"
#include "ns3/ios-keywords.h"
#include "ns3/ios-router.h"
#include "ns3/ios-show.h"
#include "ns3/ipsec-helper.h"

#include "ns3/core-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

using namespace ns3;

namespace
{

const std::string& kData = test::kIosData;
using test::E;
using test::P;

/** The policy @p priority of @p text (which must define it). */
IosIsakmpPolicy
Policy(const std::string& text, uint32_t priority = 10)
{
    const IosRouterConfig c = P(text);
    auto it = c.isakmpPolicies.find(priority);
    if (it == c.isakmpPolicies.end())
    {
        ADD_FAILURE() << "no policy " << priority << " in:\n" << text;
        return IosIsakmpPolicy{};
    }
    return it->second;
}

bool
HasNotModelled(const IosRouterConfig& c, const std::string& text)
{
    return std::any_of(c.notModelled.begin(), c.notModelled.end(),
                       [&](const IosLocation& l) { return l.text == text; });
}

// ------------------------------------------------------------------------------ defaults

TEST(IosIsakmpConfig, DefaultsWithoutIkeLines)
{
    const IosRouterConfig c = P("hostname R1\n");
    EXPECT_TRUE(c.isakmpPolicies.empty());
    EXPECT_TRUE(c.isakmpKeys.empty());
    EXPECT_TRUE(c.isakmpEnabled) << "IKE is on unless `no crypto isakmp enable`";
    EXPECT_EQ(c.isakmpIdentity, IosIsakmpIdentity::ADDRESS);
    EXPECT_FALSE(c.isakmpKeepalive.has_value());
    EXPECT_FALSE(c.natKeepaliveSeconds.has_value());
    EXPECT_TRUE(c.natTransparency);
    EXPECT_FALSE(c.invalidSpiRecovery);
    EXPECT_FALSE(c.aggressiveModeDisabled);
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.0.0.1")), nullptr);
}

TEST(IosIsakmpConfig, PolicyDefaultsAreTheDefaultSuite)
{
    const IosRouterConfig c = P("hostname R1\ncrypto isakmp policy 10\n");
    ASSERT_EQ(c.isakmpPolicies.size(), 1u);
    const IosIsakmpPolicy& p = c.isakmpPolicies.at(10);
    EXPECT_EQ(p.priority, 10u);
    EXPECT_EQ(p.encryption, IosIsakmpEncryption::DES);
    EXPECT_EQ(p.hash, IosIsakmpHash::SHA);
    EXPECT_EQ(p.authentication, IosIsakmpAuthentication::RSA_SIG);
    EXPECT_EQ(p.group, 1);
    EXPECT_EQ(p.lifetimeSeconds, 86400u);
    EXPECT_EQ(p.where.line, 2);
    EXPECT_EQ(p.where.text, "crypto isakmp policy 10");
    EXPECT_EQ(p.where.file, "t.cfg");
    EXPECT_TRUE(c.notModelled.empty());
    // A default-constructed policy is the same suite.
    const IosIsakmpPolicy d;
    EXPECT_EQ(d.encryption, IosIsakmpEncryption::DES);
    EXPECT_EQ(d.hash, IosIsakmpHash::SHA);
    EXPECT_EQ(d.authentication, IosIsakmpAuthentication::RSA_SIG);
    EXPECT_EQ(d.group, 1);
    EXPECT_EQ(d.lifetimeSeconds, 86400u);
}

// ------------------------------------------------------------------------------ the policy
// sub-mode

TEST(IosIsakmpConfig, PolicyEveryValue)
{
    const std::string head = "crypto isakmp policy 10\n";
    EXPECT_EQ(Policy(head + " encryption des\n").encryption, IosIsakmpEncryption::DES);
    EXPECT_EQ(Policy(head + " encryption 3des\n").encryption, IosIsakmpEncryption::TRIPLE_DES);
    EXPECT_EQ(Policy(head + " encryption aes\n").encryption, IosIsakmpEncryption::AES_128);
    EXPECT_EQ(Policy(head + " encryption aes 128\n").encryption, IosIsakmpEncryption::AES_128);
    EXPECT_EQ(Policy(head + " encryption aes 192\n").encryption, IosIsakmpEncryption::AES_192);
    EXPECT_EQ(Policy(head + " encryption aes 256\n").encryption, IosIsakmpEncryption::AES_256);

    EXPECT_EQ(Policy(head + " hash md5\n").hash, IosIsakmpHash::MD5);
    EXPECT_EQ(Policy(head + " hash sha\n").hash, IosIsakmpHash::SHA) << "sha is exact";
    EXPECT_EQ(Policy(head + " hash sha256\n").hash, IosIsakmpHash::SHA256);
    EXPECT_EQ(Policy(head + " hash sha384\n").hash, IosIsakmpHash::SHA384);
    EXPECT_EQ(Policy(head + " hash sha512\n").hash, IosIsakmpHash::SHA512);

    EXPECT_EQ(Policy(head + " authentication pre-share\n").authentication,
              IosIsakmpAuthentication::PRE_SHARE);
    EXPECT_EQ(Policy(head + " authentication rsa-sig\n").authentication,
              IosIsakmpAuthentication::RSA_SIG);
    EXPECT_EQ(Policy(head + " authentication rsa-encr\n").authentication,
              IosIsakmpAuthentication::RSA_ENCR);

    EXPECT_EQ(Policy(head + " group 1\n").group, 1);
    EXPECT_EQ(Policy(head + " group 2\n").group, 2);
    EXPECT_EQ(Policy(head + " group 5\n").group, 5);
    EXPECT_EQ(Policy(head + " group 14\n").group, 14);
    for (int g : {15, 16, 19, 20, 21, 24})
    {
        EXPECT_EQ(Policy(head + " group " + std::to_string(g) + "\n").group, g) << g;
    }

    EXPECT_EQ(Policy(head + " lifetime 60\n").lifetimeSeconds, 60u);
    EXPECT_EQ(Policy(head + " lifetime 3600\n").lifetimeSeconds, 3600u);
    EXPECT_EQ(Policy(head + " lifetime 86400\n").lifetimeSeconds, 86400u);
}

TEST(IosIsakmpConfig, PolicyAbbreviations)
{
    const IosRouterConfig c = P("cry isa pol 10\n"
                                " enc 3des\n"
                                " auth pre\n"
                                " gr 2\n"
                                " ha md\n"
                                " li 28800\n"
                                " ex\n"
                                "CRYPTO ISAKMP POLICY 20\n"
                                " ENCR AES 256\n"
                                " Hash Sha2\n" // sha256 is the only keyword sha2 begins
                                " a rsa-e\n"
                                " g 14\n"
                                "crypto isakmp policy 30\n"
                                " en d\n" // des: 3des begins with a digit
                                " au rsa-s\n");
    ASSERT_EQ(c.isakmpPolicies.size(), 3u);
    const IosIsakmpPolicy& ten = c.isakmpPolicies.at(10);
    EXPECT_EQ(ten.encryption, IosIsakmpEncryption::TRIPLE_DES);
    EXPECT_EQ(ten.authentication, IosIsakmpAuthentication::PRE_SHARE);
    EXPECT_EQ(ten.group, 2);
    EXPECT_EQ(ten.hash, IosIsakmpHash::MD5);
    EXPECT_EQ(ten.lifetimeSeconds, 28800u);
    const IosIsakmpPolicy& twenty = c.isakmpPolicies.at(20);
    EXPECT_EQ(twenty.encryption, IosIsakmpEncryption::AES_256);
    EXPECT_EQ(twenty.hash, IosIsakmpHash::SHA256);
    EXPECT_EQ(twenty.authentication, IosIsakmpAuthentication::RSA_ENCR);
    EXPECT_EQ(twenty.group, 14);
    const IosIsakmpPolicy& thirty = c.isakmpPolicies.at(30);
    EXPECT_EQ(thirty.encryption, IosIsakmpEncryption::DES);
    EXPECT_EQ(thirty.authentication, IosIsakmpAuthentication::RSA_SIG);
    EXPECT_TRUE(c.notModelled.empty());
}

TEST(IosIsakmpConfig, PolicyNoAndDefaultRestoreTheDefaults)
{
    const IosIsakmpPolicy p = Policy("crypto isakmp policy 10\n"
                                     " encryption aes 192\n"
                                     " hash md5\n"
                                     " authentication pre-share\n"
                                     " group 5\n"
                                     " lifetime 600\n"
                                     " no encryption\n"
                                     " no hash md5\n"
                                     " default authentication\n"
                                     " no group\n"
                                     " default lifetime 600\n");
    EXPECT_EQ(p.encryption, IosIsakmpEncryption::DES);
    EXPECT_EQ(p.hash, IosIsakmpHash::SHA);
    EXPECT_EQ(p.authentication, IosIsakmpAuthentication::RSA_SIG);
    EXPECT_EQ(p.group, 1);
    EXPECT_EQ(p.lifetimeSeconds, 86400u);
}

TEST(IosIsakmpConfig, PoliciesReenteredRemovedAndOrdered)
{
    const IosRouterConfig c = P("crypto isakmp policy 30\n"
                                " group 2\n"
                                "crypto isakmp policy 5\n"
                                " hash md5\n"
                                "crypto isakmp policy 10000\n"
                                "crypto isakmp policy 1\n"
                                "no crypto isakmp policy 10000\n"
                                "crypto isakmp policy 30\n" // back into 30: its group stays
                                " lifetime 1000\n"
                                "!\n");
    std::vector<uint32_t> order;
    for (const auto& [priority, p] : c.isakmpPolicies)
    {
        order.push_back(priority);
        EXPECT_EQ(p.priority, priority);
    }
    EXPECT_EQ(order, (std::vector<uint32_t>{1, 5, 30}));
    EXPECT_EQ(c.isakmpPolicies.at(30).group, 2);
    EXPECT_EQ(c.isakmpPolicies.at(30).lifetimeSeconds, 1000u);
    EXPECT_EQ(c.isakmpPolicies.at(30).where.line, 1) << "where the policy was first defined";
    EXPECT_EQ(c.isakmpPolicies.at(5).hash, IosIsakmpHash::MD5);
}

TEST(IosIsakmpConfig, PolicyModeEnds)
{
    // A global command ends the sub-mode (as IOS does), and so do `exit` and '!'.
    IosRouterConfig c = P("crypto isakmp policy 10\n"
                          " hash md5\n"
                          "crypto isakmp key k address 10.0.0.2\n"
                          "crypto isakmp policy 20\n"
                          " group 2\n"
                          "interface Serial0\n"
                          " ip address 10.0.0.1 255.255.255.0\n");
    EXPECT_EQ(c.isakmpPolicies.at(10).hash, IosIsakmpHash::MD5);
    EXPECT_EQ(c.isakmpPolicies.at(20).group, 2);
    EXPECT_EQ(c.isakmpKeys.size(), 1u);
    EXPECT_EQ(*c.interfaces.at(0).address, Ipv4Address("10.0.0.1"));
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n exit\n group 2\n", 3, 1, "% Invalid input");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n!\n group 2\n", 3, 1, "% Invalid input");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\nhostname R\n hash md5\n", 3, 1, "% Invalid input");
    // Sub-commands need no indentation.
    EXPECT_EQ(Policy("crypto isakmp policy 10\nencryption 3des\n").encryption,
              IosIsakmpEncryption::TRIPLE_DES);
}

TEST(IosIsakmpConfig, PolicyErrors)
{
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group 3\n", 2, 7,
                     "% Invalid input detected at '^' marker. (expected a Diffie-Hellman group: 1, "
                     "2, 5, 14, 15, 16, 19, 20, 21 or 24)");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group 22\n", 2, 7, "19, 20, 21 or 24");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group 25\n", 2, 7, "19, 20, 21 or 24");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group 19 ecp\n", 2, 10, "");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group\n", 2, 7, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n group 2 5\n", 2, 9, "nothing more expected");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n lifetime 30\n", 2, 10,
                     "expected the lifetime, 60 to 86400 seconds");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n lifetime 86401\n", 2, 10, "60 to 86400");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n lifetime 1h\n", 2, 10, "60 to 86400");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n encryption blowfish\n", 2, 12,
                     "expected des, 3des or aes");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n encryption aes 512\n", 2, 16, "128, 192 or 256");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n encryption\n", 2, 12, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n encryption 3des 168\n", 2, 17, "nothing more");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n hash sha1\n", 2, 6, "md5 or sha");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n hash sha-1\n", 2, 6, "md5 or sha");
    EXPECT_EQ(Policy("crypto isakmp policy 10\n hash sha3\n").hash, IosIsakmpHash::SHA384)
        << "an abbreviation, not an error";
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n authentication rsa\n", 2, 16,
                     "% Ambiguous command: \"authentication rsa\" (rsa-encr or rsa-sig)");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n authentication psk\n", 2, 16,
                     "pre-share, rsa-sig or rsa-encr");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n e 3des\n", 2, 1,
                     "% Ambiguous command: \"e\" (encryption or exit)");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n encr 3des\n hash md5\n bogus\n", 4, 1,
                     "expected encryption, hash, authentication, group, lifetime or exit");
    EXPECT_IOS_ERROR("crypto isakmp policy 10\n no exit\n", 2, 4, "% Invalid input");
    EXPECT_IOS_ERROR("crypto isakmp policy 0\n", 1, 21, "expected a priority from 1 to 10000");
    EXPECT_IOS_ERROR("crypto isakmp policy 10001\n", 1, 21, "1 to 10000");
    EXPECT_IOS_ERROR("crypto isakmp policy\n", 1, 21, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp policy 10 20\n", 1, 24, "nothing more");
    EXPECT_IOS_ERROR("crypto isakmp polcy 10\n", 1, 14, "% Invalid input");
    EXPECT_IOS_ERROR("crypto isakmp p 10\n", 1, 14,
                     "% Ambiguous command: \"crypto isakmp p\" (peer, policy or profile)");
    EXPECT_IOS_ERROR("crypto isakmp\n", 1, 14, "% Incomplete command.");

    // The whole message, laid out as IOS prints it.
    const IosConfigError e = E("crypto isakmp policy 10\n lifetime 30\n");
    EXPECT_STREQ(e.what(), "t.cfg:2:\n  lifetime 30\n           ^\n"
                           "% Invalid input detected at '^' marker. (expected the lifetime, 60 to "
                           "86400 seconds)");
}

// ------------------------------------------------------------------------------ pre-shared keys

TEST(IosIsakmpConfig, Keys)
{
    const IosRouterConfig c = P("crypto isakmp key s3cr3t address 10.2.2.5\n"
                                "crypto isakmp key netkey address 10.3.0.0 255.255.0.0\n"
                                "crypto isakmp key anykey address 0.0.0.0 0.0.0.0 no-xauth\n"
                                "crypto isakmp key 0 clearkey address 10.4.4.4\n"
                                "crypto isakmp key 6 FLgBaJHXdYY_AVLE address 10.6.6.6 no-xauth\n"
                                "crypto isakmp key 6 address 10.7.7.7\n" // the key "6"
                                "crypto isakmp key 0 address 10.8.8.8 255.255.255.255\n"
                                "crypto isakmp key hostkey hostname peer.example.com\n"
                                "cry isa key abbrev add 10.9.9.9 no\n");
    ASSERT_EQ(c.isakmpKeys.size(), 9u);
    const auto& k = c.isakmpKeys;
    EXPECT_EQ(k[0].key, "s3cr3t");
    EXPECT_EQ(k[0].address, Ipv4Address("10.2.2.5"));
    EXPECT_EQ(k[0].mask, Ipv4Mask("255.255.255.255")) << "a host unless a mask is given";
    EXPECT_FALSE(k[0].noXauth);
    EXPECT_EQ(k[0].encryptionType, 0);
    EXPECT_TRUE(k[0].hostname.empty());
    EXPECT_EQ(k[0].where.line, 1);

    EXPECT_EQ(k[1].address, Ipv4Address("10.3.0.0"));
    EXPECT_EQ(k[1].mask, Ipv4Mask("255.255.0.0"));
    EXPECT_EQ(k[2].mask, Ipv4Mask("0.0.0.0"));
    EXPECT_TRUE(k[2].noXauth);

    EXPECT_EQ(k[3].key, "clearkey");
    EXPECT_EQ(k[3].encryptionType, 0);
    EXPECT_EQ(k[4].key, "FLgBaJHXdYY_AVLE");
    EXPECT_EQ(k[4].encryptionType, 6);
    EXPECT_TRUE(k[4].noXauth);
    EXPECT_EQ(k[5].key, "6");
    EXPECT_EQ(k[5].encryptionType, 0);
    EXPECT_EQ(k[6].key, "0");
    EXPECT_EQ(k[6].mask, Ipv4Mask("255.255.255.255"));

    EXPECT_EQ(k[7].key, "hostkey");
    EXPECT_EQ(k[7].hostname, "peer.example.com");
    EXPECT_EQ(k[8].key, "abbrev");
    EXPECT_TRUE(k[8].noXauth);
    EXPECT_TRUE(c.notModelled.empty());

    // The most specific key covers a peer, the wildcard the rest.
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.2.2.5"))->key, "s3cr3t");
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.3.200.1"))->key, "netkey");
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.2.2.6"))->key, "anykey");
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("192.0.2.1"))->key, "anykey");
    EXPECT_EQ(c.FindIsakmpKeyByHostname("PEER.example.com")->key, "hostkey");
    EXPECT_EQ(c.FindIsakmpKeyByHostname("other.example.com"), nullptr);

    const IosRouterConfig one = P("crypto isakmp key k address 10.3.0.0 255.255.0.0\n");
    EXPECT_EQ(one.FindIsakmpKey(Ipv4Address("10.4.0.1")), nullptr);
    EXPECT_EQ(one.FindIsakmpKey(Ipv4Address("10.3.0.1"))->key, "k");
}

TEST(IosIsakmpConfig, KeysReplacedAndRemoved)
{
    const IosRouterConfig c = P("crypto isakmp key old address 10.2.2.5\n"
                                "crypto isakmp key net address 10.2.2.0 255.255.255.0\n"
                                "crypto isakmp key new address 10.2.2.5\n" // same peer: replaces
                                "crypto isakmp key h1 hostname a.example\n"
                                "crypto isakmp key h2 hostname A.EXAMPLE\n"
                                "crypto isakmp key gone address 10.9.9.9\n"
                                "no crypto isakmp key gone address 10.9.9.9\n"
                                "no crypto isakmp key x address 10.2.2.0 255.255.255.0\n");
    ASSERT_EQ(c.isakmpKeys.size(), 2u);
    EXPECT_EQ(c.isakmpKeys[0].key, "new");
    EXPECT_EQ(c.isakmpKeys[0].where.line, 3);
    EXPECT_EQ(c.isakmpKeys[1].key, "h2");
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.2.2.7")), nullptr);
}

TEST(IosIsakmpConfig, KeyErrors)
{
    EXPECT_IOS_ERROR("crypto isakmp key\n", 1, 18, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp key k\n", 1, 20, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp key k 10.0.0.2\n", 1, 20, "expected address or hostname");
    EXPECT_IOS_ERROR("crypto isakmp key k address\n", 1, 28, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp key k address 10.0.0\n", 1, 28, "peer's address");
    EXPECT_IOS_ERROR("crypto isakmp key k address peer1\n", 1, 28, "peer's address");
    EXPECT_IOS_ERROR("crypto isakmp key k address 10.0.0.0 255.0.255.0\n", 1, 37,
                     "% Bad mask 0xFF00FF00 for address 10.0.0.0");
    EXPECT_IOS_ERROR("crypto isakmp key k address 10.0.0.2 xauth\n", 1, 37,
                     "expected a mask or no-xauth");
    EXPECT_IOS_ERROR("crypto isakmp key k address 10.0.0.2 no-xauth 1\n", 1, 46, "");
    EXPECT_IOS_ERROR("crypto isakmp key k hostname\n", 1, 29, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp key k hostname a b\n", 1, 31, "expected no-xauth");
    EXPECT_IOS_ERROR("crypto isakmp key 6 k address\n", 1, 30, "% Incomplete command.");
}

// ------------------------------------------------------------------------------ global IKE
// commands

TEST(IosIsakmpConfig, IdentityEnableAndSwitches)
{
    EXPECT_EQ(P("crypto isakmp identity hostname\n").isakmpIdentity, IosIsakmpIdentity::HOSTNAME);
    EXPECT_EQ(P("cry isa id host\n").isakmpIdentity, IosIsakmpIdentity::HOSTNAME);
    EXPECT_EQ(P("crypto isakmp identity address\n").isakmpIdentity, IosIsakmpIdentity::ADDRESS);
    EXPECT_EQ(P("crypto isakmp identity dn\n").isakmpIdentity, IosIsakmpIdentity::DN);
    EXPECT_EQ(P("crypto isakmp identity hostname\nno crypto isakmp identity\n").isakmpIdentity,
              IosIsakmpIdentity::ADDRESS);
    EXPECT_IOS_ERROR("crypto isakmp identity fqdn\n", 1, 23, "address, hostname or dn");
    EXPECT_IOS_ERROR("crypto isakmp identity\n", 1, 23, "% Incomplete command.");

    EXPECT_FALSE(P("no crypto isakmp enable\n").isakmpEnabled);
    EXPECT_FALSE(P("no crypto isakmp\n").isakmpEnabled) << "the older spelling";
    EXPECT_FALSE(P("no cry isa en\n").isakmpEnabled);
    EXPECT_TRUE(P("no crypto isakmp enable\ncrypto isakmp enable\n").isakmpEnabled);
    EXPECT_IOS_ERROR("crypto isakmp enable now\n", 1, 21, "nothing more");

    EXPECT_TRUE(P("crypto isakmp invalid-spi-recovery\n").invalidSpiRecovery);
    EXPECT_FALSE(P("crypto isakmp invalid-spi-recovery\nno crypto isakmp invalid-spi-recovery\n")
                     .invalidSpiRecovery);
    EXPECT_TRUE(P("cry isa inv\n").invalidSpiRecovery);

    EXPECT_TRUE(P("crypto isakmp aggressive-mode disable\n").aggressiveModeDisabled);
    EXPECT_TRUE(P("cry isa agg dis\n").aggressiveModeDisabled);
    EXPECT_FALSE(P("crypto isakmp aggressive-mode disable\n"
                   "no crypto isakmp aggressive-mode disable\n")
                     .aggressiveModeDisabled);
    EXPECT_IOS_ERROR("crypto isakmp aggressive-mode\n", 1, 30, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp aggressive-mode enable\n", 1, 30, "disable");
}

TEST(IosIsakmpConfig, Keepalive)
{
    IosRouterConfig c = P("crypto isakmp keepalive 10\n");
    ASSERT_TRUE(c.isakmpKeepalive.has_value());
    EXPECT_EQ(c.isakmpKeepalive->seconds, 10u);
    EXPECT_EQ(c.isakmpKeepalive->retry, 2u) << "IOS default: 2 s";
    EXPECT_FALSE(c.isakmpKeepalive->periodic) << "IOS default: on-demand";
    EXPECT_EQ(c.isakmpKeepalive->where.line, 1);

    c = P("crypto isakmp keepalive 30 5 periodic\n");
    EXPECT_EQ(c.isakmpKeepalive->seconds, 30u);
    EXPECT_EQ(c.isakmpKeepalive->retry, 5u);
    EXPECT_TRUE(c.isakmpKeepalive->periodic);

    c = P("crypto isakmp keepalive 3600 60 on-demand\n");
    EXPECT_EQ(c.isakmpKeepalive->seconds, 3600u);
    EXPECT_EQ(c.isakmpKeepalive->retry, 60u);
    EXPECT_FALSE(c.isakmpKeepalive->periodic);

    c = P("cry isa keep 20 per\n");
    EXPECT_EQ(c.isakmpKeepalive->retry, 2u);
    EXPECT_TRUE(c.isakmpKeepalive->periodic);

    EXPECT_FALSE(
        P("crypto isakmp keepalive 20\nno crypto isakmp keepalive\n").isakmpKeepalive.has_value());
    EXPECT_FALSE(P("crypto isakmp keepalive 20\nno crypto isakmp keepalive 20 3\n")
                     .isakmpKeepalive.has_value());

    EXPECT_IOS_ERROR("crypto isakmp keepalive 5\n", 1, 24, "10 to 3600 seconds");
    EXPECT_IOS_ERROR("crypto isakmp keepalive 3601\n", 1, 24, "10 to 3600 seconds");
    EXPECT_IOS_ERROR("crypto isakmp keepalive\n", 1, 24, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp keepalive 10 1\n", 1, 27, "2 to 60 seconds");
    EXPECT_IOS_ERROR("crypto isakmp keepalive 10 61\n", 1, 27, "2 to 60 seconds");
    EXPECT_IOS_ERROR("crypto isakmp keepalive 10 2 always\n", 1, 29, "periodic or on-demand");
    EXPECT_IOS_ERROR("crypto isakmp k 10\n", 1, 14, "(keepalive or key)");
}

TEST(IosIsakmpConfig, NatTraversalSwitches)
{
    IosRouterConfig c = P("crypto isakmp nat keepalive 20\n");
    EXPECT_EQ(c.natKeepaliveSeconds, 20u);
    EXPECT_TRUE(c.natTransparency);
    EXPECT_FALSE(P("crypto isakmp nat keepalive 20\nno crypto isakmp nat keepalive\n")
                     .natKeepaliveSeconds.has_value());
    EXPECT_EQ(P("cry isa nat k 3600\n").natKeepaliveSeconds, 3600u);
    EXPECT_IOS_ERROR("crypto isakmp nat keepalive 4\n", 1, 28, "5 to 3600 seconds");
    EXPECT_IOS_ERROR("crypto isakmp nat keepalive\n", 1, 28, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto isakmp nat traversal\n", 1, 18, "keepalive");

    c = P("no crypto ipsec nat-transparency udp-encapsulation\n");
    EXPECT_FALSE(c.natTransparency);
    EXPECT_TRUE(c.notModelled.empty());
    EXPECT_TRUE(P("no crypto ipsec nat-transparency udp-encapsulation\n"
                  "crypto ipsec nat-transparency udp-encapsulation\n")
                    .natTransparency);
    EXPECT_FALSE(P("no cry ips nat udp\n").natTransparency);
    c = P("crypto ipsec nat-transparency spi-matching\n");
    EXPECT_TRUE(c.natTransparency);
    EXPECT_TRUE(HasNotModelled(c, "crypto ipsec nat-transparency spi-matching"));
    EXPECT_IOS_ERROR("crypto ipsec nat-transparency\n", 1, 30, "% Incomplete command.");
    EXPECT_IOS_ERROR("crypto ipsec nat-transparency udp-encapsulation on\n", 1, 48, "nothing");
}

TEST(IosIsakmpConfig, OtherIkeCommandsAreNotModelled)
{
    const IosRouterConfig c = P("crypto isakmp profile prof1\n"
                                " match identity address 10.2.2.5 255.255.255.255\n"
                                " keyring default\n"
                                "crypto isakmp client configuration group grp\n"
                                " key groupkey\n"
                                " pool vpnpool\n"
                                "crypto isakmp xauth timeout 30\n"
                                "crypto isakmp fragmentation\n"
                                "crypto isakmp peer address 10.2.2.5\n"
                                " set aggressive-mode password pw\n"
                                "crypto pki server LOCAL-CA\n"
                                " database level complete\n"
                                "crypto keyring kr\n"
                                " pre-shared-key address 10.2.2.5 key ringkey\n"
                                "crypto map vpn isakmp authorization list ikelist\n"
                                "crypto map vpn client configuration address respond\n"
                                "crypto isakmp policy 10\n"
                                " hash md5\n");
    for (const char* l : {"crypto isakmp client configuration group grp", " pool vpnpool",
                          "crypto isakmp xauth timeout 30", "crypto isakmp fragmentation",
                          "crypto pki server LOCAL-CA", " database level complete",
                          "crypto map vpn isakmp authorization list ikelist",
                          "crypto map vpn client configuration address respond"})
    {
        EXPECT_TRUE(HasNotModelled(c, l)) << l;
    }
    // `crypto isakmp peer` with its aggressive-mode settings is modelled (ios-hosts-test.cc).
    EXPECT_FALSE(HasNotModelled(c, "crypto isakmp peer address 10.2.2.5"));
    ASSERT_EQ(c.isakmpPeers.size(), 1u);
    EXPECT_EQ(c.isakmpPeers[0].aggressivePassword, "pw");
    // Profiles and keyrings are modelled (ios-profiles-test.cc); `keyring default` names the
    // global keys.
    EXPECT_EQ(c.isakmpProfiles.at("prof1").keyrings, std::vector<std::string>{"default"});
    EXPECT_EQ(c.keyrings.at("kr").keys.at(0).key, "ringkey");
    // `key groupkey` inside the client group is not a pre-shared key of ours.
    EXPECT_TRUE(c.isakmpKeys.empty());
    EXPECT_EQ(c.isakmpPolicies.at(10).hash, IosIsakmpHash::MD5);
    EXPECT_FALSE(HasNotModelled(c, " hash md5"));
}

// ------------------------------------------------------------------------------ show output

TEST(IosIsakmpShow, DefaultSuitesOfIos15)
{
    // No policy configured: 15.x lists its eight default suites under `Default IKE policy`.
    const std::string text = ShowCryptoIsakmpPolicy(P(""));
    EXPECT_EQ(text.rfind("\nDefault IKE policy\n"
                         "Default protection suite of priority 65507\n"
                         "        encryption algorithm:   AES - Advanced Encryption Standard (128 "
                         "bit keys).\n"
                         "        hash algorithm:         Secure Hash Standard\n"
                         "        authentication method:  Rivest-Shamir-Adleman Signature\n"
                         "        Diffie-Hellman group:   #5 (1536 bit)\n"
                         "        lifetime:               86400 seconds, no volume limit\n"
                         "Default protection suite of priority 65508\n",
                         0),
              0u)
        << text;
    EXPECT_NE(text.find("Default protection suite of priority 65514\n"
                        "        encryption algorithm:   Three key triple DES\n"
                        "        hash algorithm:         Message Digest 5\n"
                        "        authentication method:  Pre-Shared Key\n"
                        "        Diffie-Hellman group:   #2 (1024 bit)\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("65515"), std::string::npos);
    EXPECT_EQ(text.find("Global IKE policy"), std::string::npos);
}

namespace
{
/** The ISAKMP policies a router installed from @p config offers and accepts. */
std::vector<IkePolicy>
IkePoliciesOf(const IosRouterConfig& config)
{
    Ptr<Node> node = CreateObject<Node>();
    IpsecStackHelper().Install(node);
    std::vector<IkePolicy> out = IosRouter::Install(node, config, {})->GetIkePolicies();
    Simulator::Destroy();
    return out;
}
} // namespace

// What a 15.x router shows is what it negotiates: with no policy, its eight default suites and
// nothing else; with policies, those alone (no DES suite after them, as 12.4 has).
TEST(IosIsakmpShow, Ios15NegotiatesWhatItShows)
{
    const std::vector<IkePolicy> none = IkePoliciesOf(P(""));
    ASSERT_EQ(none.size(), 8u);
    EXPECT_EQ(none.front().priority, 65507u);
    EXPECT_EQ(none.front().encryption, IKE_ENCR_AES_CBC);
    EXPECT_EQ(none.front().keyLength, 128u);
    EXPECT_EQ(none.front().group, 5u);
    EXPECT_EQ(none.front().authentication, IKE_AUTH_RSA_SIGNATURES);
    EXPECT_EQ(none.back().priority, 65514u);
    EXPECT_EQ(none.back().encryption, IKE_ENCR_3DES_CBC);
    EXPECT_EQ(none.back().hash, IKE_HASH_MD5);
    EXPECT_EQ(none.back().authentication, IKE_AUTH_PRE_SHARED_KEY);
    const std::vector<IkePolicy> one =
        IkePoliciesOf(P("crypto isakmp policy 10\n authentication pre-share\n"));
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].priority, 10u);
    // 12.4: the configured suite, then the chapter's default suite.
    const std::vector<IkePolicy> old =
        IkePoliciesOf(P("version 12.4\ncrypto isakmp policy 10\n authentication pre-share\n"));
    ASSERT_EQ(old.size(), 2u);
    EXPECT_EQ(old[1].encryption, IKE_ENCR_DES_CBC);
    EXPECT_EQ(old[1].group, 1u);
    EXPECT_EQ(IkePoliciesOf(P("version 12.4\n")).size(), 1u);
}

TEST(IosIsakmpShow, DefaultSuiteOnly)
{
    EXPECT_EQ(ShowCryptoIsakmpPolicy(P("version 12.4\n")),
              "Default protection suite\n"
              "        encryption algorithm:   DES - Data Encryption Standard (56 bit keys).\n"
              "        hash algorithm:         Secure Hash Standard\n"
              "        authentication method:  Rivest-Shamir-Adleman Signature\n"
              "        Diffie-Hellman group:   #1 (768 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n");
}

TEST(IosIsakmpShow, PolicySet)
{
    const IosRouterConfig c = P("version 12.4\n"
                                "crypto isakmp policy 20\n"
                                " encryption aes 256\n"
                                " hash sha512\n"
                                " authentication rsa-encr\n"
                                " group 14\n"
                                " lifetime 3600\n"
                                "crypto isakmp policy 10\n"
                                " encr 3des\n"
                                " authentication pre-share\n"
                                " group 2\n"
                                "crypto isakmp policy 15\n"
                                " hash md5\n"
                                " group 5\n"
                                " encryption aes\n");
    EXPECT_EQ(ShowCryptoIsakmpPolicy(c),
              "Protection suite of priority 10\n"
              "        encryption algorithm:   Three key triple DES\n"
              "        hash algorithm:         Secure Hash Standard\n"
              "        authentication method:  Pre-Shared Key\n"
              "        Diffie-Hellman group:   #2 (1024 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n"
              "Protection suite of priority 15\n"
              "        encryption algorithm:   AES - Advanced Encryption Standard (128 bit keys).\n"
              "        hash algorithm:         Message Digest 5\n"
              "        authentication method:  Rivest-Shamir-Adleman Signature\n"
              "        Diffie-Hellman group:   #5 (1536 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n"
              "Protection suite of priority 20\n"
              "        encryption algorithm:   AES - Advanced Encryption Standard (256 bit keys).\n"
              "        hash algorithm:         Secure Hash Standard 2 (512 bit)\n"
              "        authentication method:  Rivest-Shamir-Adleman Encryption\n"
              "        Diffie-Hellman group:   #14 (2048 bit)\n"
              "        lifetime:               3600 seconds, no volume limit\n"
              "Default protection suite\n"
              "        encryption algorithm:   DES - Data Encryption Standard (56 bit keys).\n"
              "        hash algorithm:         Secure Hash Standard\n"
              "        authentication method:  Rivest-Shamir-Adleman Signature\n"
              "        Diffie-Hellman group:   #1 (768 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n");
}

TEST(IosIsakmpShow, PolicySetOfIos15)
{
    // 15.x: a blank line, `Global IKE policy`, the configured suites and no default suite.
    const IosRouterConfig c = P("crypto isakmp policy 20\n"
                                " encryption aes 256\n"
                                " group 14\n"
                                "crypto isakmp policy 10\n"
                                " encr 3des\n"
                                " authentication pre-share\n"
                                " group 2\n");
    EXPECT_EQ(ShowCryptoIsakmpPolicy(c),
              "\nGlobal IKE policy\n"
              "Protection suite of priority 10\n"
              "        encryption algorithm:   Three key triple DES\n"
              "        hash algorithm:         Secure Hash Standard\n"
              "        authentication method:  Pre-Shared Key\n"
              "        Diffie-Hellman group:   #2 (1024 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n"
              "Protection suite of priority 20\n"
              "        encryption algorithm:   AES - Advanced Encryption Standard (256 bit keys).\n"
              "        hash algorithm:         Secure Hash Standard\n"
              "        authentication method:  Rivest-Shamir-Adleman Signature\n"
              "        Diffie-Hellman group:   #14 (2048 bit)\n"
              "        lifetime:               86400 seconds, no volume limit\n");
}

TEST(IosIsakmpShow, EveryValueHasItsWords)
{
    EXPECT_EQ(IosIsakmpEncryptionText(IosIsakmpEncryption::AES_192),
              "AES - Advanced Encryption Standard (192 bit keys).");
    EXPECT_EQ(IosIsakmpHashText(IosIsakmpHash::SHA256), "Secure Hash Standard 2 (256 bit)");
    EXPECT_EQ(IosIsakmpHashText(IosIsakmpHash::SHA384), "Secure Hash Standard 2 (384 bit)");
    EXPECT_EQ(IosIsakmpGroupText(1), "#1 (768 bit)");
    EXPECT_EQ(IosIsakmpGroupText(2), "#2 (1024 bit)");
    EXPECT_EQ(IosIsakmpGroupText(5), "#5 (1536 bit)");
    EXPECT_EQ(IosIsakmpGroupText(14), "#14 (2048 bit)");
    EXPECT_EQ(IosIsakmpGroupText(15), "#15 (3072 bit)");
    EXPECT_EQ(IosIsakmpGroupText(16), "#16 (4096 bit)");
    EXPECT_EQ(IosIsakmpGroupText(19), "#19 (256 bit ecp)");
    EXPECT_EQ(IosIsakmpGroupText(20), "#20 (384 bit ecp)");
    EXPECT_EQ(IosIsakmpGroupText(21), "#21 (521 bit ecp)");
    EXPECT_EQ(IosIsakmpGroupText(24), "#24 (2048 bit, 256 bit subgroup)");
    EXPECT_EQ(IosIsakmpGroupBits(3), 0u);

    // The keywords read back: each value's keyword parses to the value.
    for (auto e :
         {IosIsakmpEncryption::DES, IosIsakmpEncryption::TRIPLE_DES, IosIsakmpEncryption::AES_128,
          IosIsakmpEncryption::AES_192, IosIsakmpEncryption::AES_256})
    {
        EXPECT_EQ(
            Policy("crypto isakmp policy 10\n encryption " + IosIsakmpEncryptionKeyword(e) + "\n")
                .encryption,
            e);
    }
    for (auto h : {IosIsakmpHash::MD5, IosIsakmpHash::SHA, IosIsakmpHash::SHA256,
                   IosIsakmpHash::SHA384, IosIsakmpHash::SHA512})
    {
        EXPECT_EQ(Policy("crypto isakmp policy 10\n hash " + IosIsakmpHashKeyword(h) + "\n").hash,
                  h);
    }
    for (auto a : {IosIsakmpAuthentication::PRE_SHARE, IosIsakmpAuthentication::RSA_SIG,
                   IosIsakmpAuthentication::RSA_ENCR})
    {
        EXPECT_EQ(Policy("crypto isakmp policy 10\n authentication " +
                         IosIsakmpAuthenticationKeyword(a) + "\n")
                      .authentication,
                  a);
    }
}

// ------------------------------------------------------------------------------ a whole router

/** The spec's example (test/data/ios/spec-example.cfg) with the IKE configuration the chapter
 *  says it needs ("In this example, IKE must be enabled"). */
std::string
SpecExampleWithIke()
{
    std::ifstream in(kData + "spec-example.cfg");
    std::ostringstream os;
    os << in.rdbuf();
    return os.str() + "!\n"
                      "crypto isakmp policy 10\n"
                      " encr 3des\n"
                      " hash md5\n"
                      " authentication pre-share\n"
                      " group 2\n"
                      " lifetime 28800\n"
                      "!\n"
                      "crypto isakmp policy 20\n"
                      " authentication pre-share\n"
                      "crypto isakmp key s3cr3t address 10.2.2.5\n"
                      "crypto isakmp key 0 fallback address 10.2.2.0 255.255.255.0 no-xauth\n"
                      "crypto isakmp identity address\n"
                      "crypto isakmp keepalive 10 3\n"
                      "crypto isakmp nat keepalive 20\n"
                      "crypto isakmp invalid-spi-recovery\n"
                      "crypto isakmp aggressive-mode disable\n"
                      "crypto isakmp enable\n"
                      "no crypto ipsec nat-transparency udp-encapsulation\n"
                      "crypto ipsec security-association lifetime seconds 1800\n"
                      "end\n";
}

TEST(IosIsakmpConfig, SpecExampleWithIke)
{
    const std::string text = SpecExampleWithIke();
    const IosRouterConfig c = IosConfigReader::Parse(text, "spec-ike.cfg");
    // The IPsec part is as before.
    ASSERT_EQ(c.cryptoMaps.size(), 1u);
    EXPECT_EQ(c.cryptoMaps[0].peers, std::vector<std::string>{"10.2.2.5"});
    EXPECT_EQ(c.transformSets.size(), 2u);
    EXPECT_EQ(c.interfaces.at(0).cryptoMap, "toRemoteSite");
    EXPECT_EQ(c.lifetimeSeconds, 1800u);

    ASSERT_EQ(c.isakmpPolicies.size(), 2u);
    const IosIsakmpPolicy& ten = c.isakmpPolicies.at(10);
    EXPECT_EQ(ten.encryption, IosIsakmpEncryption::TRIPLE_DES);
    EXPECT_EQ(ten.hash, IosIsakmpHash::MD5);
    EXPECT_EQ(ten.authentication, IosIsakmpAuthentication::PRE_SHARE);
    EXPECT_EQ(ten.group, 2);
    EXPECT_EQ(ten.lifetimeSeconds, 28800u);
    EXPECT_EQ(c.isakmpPolicies.at(20).encryption, IosIsakmpEncryption::DES);
    ASSERT_EQ(c.isakmpKeys.size(), 2u);
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.2.2.5"))->key, "s3cr3t")
        << "the key for the crypto map's peer";
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("10.2.2.9"))->key, "fallback");
    EXPECT_TRUE(c.isakmpEnabled);
    EXPECT_EQ(c.isakmpIdentity, IosIsakmpIdentity::ADDRESS);
    ASSERT_TRUE(c.isakmpKeepalive.has_value());
    EXPECT_EQ(c.isakmpKeepalive->seconds, 10u);
    EXPECT_EQ(c.isakmpKeepalive->retry, 3u);
    EXPECT_EQ(c.natKeepaliveSeconds, 20u);
    EXPECT_FALSE(c.natTransparency);
    EXPECT_TRUE(c.invalidSpiRecovery);
    EXPECT_TRUE(c.aggressiveModeDisabled);

    // Nothing IKE-related is left unmodelled (and `end` is no command to list).
    EXPECT_TRUE(c.notModelled.empty());

    EXPECT_EQ(ShowCryptoIsakmpPolicy(c).substr(0, 51),
              "\nGlobal IKE policy\nProtection suite of priority 10\n");
    EXPECT_NE(ShowCryptoIsakmpPolicy(c).find("        lifetime:               28800 seconds, "
                                             "no volume limit\n"
                                             "Protection suite of priority 20\n"
                                             "        encryption algorithm:   DES - Data "
                                             "Encryption Standard (56 bit keys).\n"),
              std::string::npos);
}

TEST(IosIsakmpConfig, RunningConfigOfABranchRouter)
{
    // test/data/ios/r1-running-config.cfg: an IOS 12.2 `show running-config` with IKE.
    const IosRouterConfig c = IosConfigReader::ParseFile(kData + "r1-running-config.cfg");
    ASSERT_EQ(c.isakmpPolicies.size(), 1u);
    EXPECT_EQ(c.isakmpPolicies.at(10).group, 2);
    EXPECT_EQ(c.FindIsakmpKey(Ipv4Address("172.16.1.2"))->key, "s3cr3t");
    for (const auto& l : c.notModelled)
    {
        EXPECT_EQ(l.text.find("isakmp"), std::string::npos) << l.text;
    }
}

// ------------------------------------------------------------------------------ EXEC commands

using K = IosExecCommand::Kind;

TEST(IosIsakmpExec, ShowAndClear)
{
    IosExecCommand c = IosExecParser::Parse("show crypto isakmp policy");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_ISAKMP_POLICY);
    EXPECT_EQ(IosExecParser::Parse("sh cry isa pol").kind, K::SHOW_CRYPTO_ISAKMP_POLICY);
    EXPECT_EQ(IosExecParser::Parse("sh cry isa po").kind, K::SHOW_CRYPTO_ISAKMP_POLICY);

    c = IosExecParser::Parse("show crypto isakmp sa");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_ISAKMP_SA);
    EXPECT_FALSE(c.detail);
    c = IosExecParser::Parse("sh cry isa sa det");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_ISAKMP_SA);
    EXPECT_TRUE(c.detail);

    c = IosExecParser::Parse("show crypto session");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_SESSION);
    EXPECT_FALSE(c.detail);
    c = IosExecParser::Parse("sh cry ses detail");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_SESSION);
    EXPECT_TRUE(c.detail);
    EXPECT_EQ(IosExecParser::Parse("sh cry s").kind, K::SHOW_CRYPTO_SESSION);
    c = IosExecParser::Parse("show crypto session brief");
    EXPECT_EQ(c.kind, K::SHOW_CRYPTO_SESSION);
    EXPECT_EQ(c.filter, "brief");
    EXPECT_FALSE(c.detail);

    c = IosExecParser::Parse("clear crypto isakmp");
    EXPECT_EQ(c.kind, K::CLEAR_CRYPTO_ISAKMP);
    EXPECT_TRUE(c.args.empty());
    c = IosExecParser::Parse("clear cry isa 1001");
    EXPECT_EQ(c.kind, K::CLEAR_CRYPTO_ISAKMP);
    EXPECT_EQ(c.args, std::vector<std::string>{"1001"});
    c = IosExecParser::Parse("clear crypto session");
    EXPECT_EQ(c.kind, K::CLEAR_CRYPTO_SESSION);
    EXPECT_TRUE(c.args.empty());
    c = IosExecParser::Parse("clear cry sess remote 10.2.2.5");
    EXPECT_EQ(c.kind, K::CLEAR_CRYPTO_SESSION);
    EXPECT_EQ(c.filter, "remote");
    EXPECT_EQ(c.args, std::vector<std::string>{"10.2.2.5"});
    // The older commands are unchanged.
    EXPECT_EQ(IosExecParser::Parse("clear crypto sa").kind, K::CLEAR_CRYPTO_SA);
    EXPECT_EQ(IosExecParser::Parse("sh cry ips sa").kind, K::SHOW_CRYPTO_IPSEC_SA);
}

TEST(IosIsakmpExec, Errors)
{
    auto error = [](const std::string& line) -> IosConfigError
    {
        try
        {
            IosExecParser::Parse(line);
        }
        catch (const IosConfigError& e)
        {
            return e;
        }
        ADD_FAILURE() << "parsed: " << line;
        return IosConfigError(IosLocation{}, 0, "");
    };
    struct Case
    {
        const char* line;
        size_t column;
        const char* detail;
    };
    for (const Case& k : std::vector<Case>{
             {"show crypto isakmp", 19, "% Incomplete command."},
             {"show crypto isakmp policies", 19, "% Invalid input"},
             {"show crypto isakmp policy 10", 26, "nothing more"},
             {"show crypto isakmp sa 1.2.3.4", 22, "expected detail"},
             {"show crypto i", 12,
              "% Ambiguous command: \"show crypto i\" (ikev2, ipsec or isakmp)"},
             {"show crypto session summary", 20, "expected brief or detail"},
             {"clear crypto isakmp sa", 20, "connection id"},
             {"clear crypto isakmp 0", 20, "connection id"},
             {"clear crypto isakmp 5 6", 22, "nothing more"},
             {"clear crypto", 13, "% Incomplete command. (expected ikev2, isakmp, sa or session)"},
             {"clear crypto session remote", 28, "expected the peer's address"},
             {"clear crypto session peer 1.2.3.4", 21, "expected remote"},
         })
    {
        const IosConfigError e = error(k.line);
        EXPECT_EQ(e.Column(), k.column) << k.line << "\n" << e.what();
        EXPECT_NE(e.Detail().find(k.detail), std::string::npos) << k.line << "\n" << e.what();
        EXPECT_EQ(e.Where().file, "<exec>");
    }
}

// ------------------------------------------------------------------------------ garbage

TEST(IosIsakmpConfig, GarbageNeverCrashes)
{
    const std::vector<std::string> words = {"crypto",
                                            "isakmp",
                                            "policy",
                                            "key",
                                            "address",
                                            "hostname",
                                            "10",
                                            "0",
                                            "6",
                                            "1.2.3.4",
                                            "255.255.255.0",
                                            "no-xauth",
                                            "encryption",
                                            "aes",
                                            "256",
                                            "hash",
                                            "sha",
                                            "group",
                                            "14",
                                            "3",
                                            "lifetime",
                                            "60",
                                            "exit",
                                            "no",
                                            "default",
                                            "keepalive",
                                            "periodic",
                                            "nat",
                                            "identity",
                                            "enable",
                                            "\t",
                                            "!",
                                            "authentication",
                                            "pre-share",
                                            "x"};
    std::mt19937 rng(3706);
    for (int i = 0; i < 4000; ++i)
    {
        std::string text;
        const int lines = 1 + static_cast<int>(rng() % 4);
        for (int l = 0; l < lines; ++l)
        {
            text += rng() % 2 ? " " : "";
            const int n = static_cast<int>(rng() % 7);
            for (int k = 0; k < n; ++k)
            {
                text += words[rng() % words.size()] + " ";
            }
            text += "\n";
        }
        try
        {
            IosConfigReader::Parse(text, "g.cfg");
        }
        catch (const IosConfigError& e)
        {
            ASSERT_GE(e.Where().line, 1);
            ASSERT_LE(e.Column(), e.Where().text.size() + 1) << e.what();
        }
    }
}

} // namespace
