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
    IosConfigReader::Parse("crypto keyring K\ncrypto isakmp profile P\nkeyring K\n", "t.cfg", mode);
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
    P("crypto isakmp profile P\n keyring default\n"); // the global keys: always there
    EXPECT_IOS_ERROR("crypto isakmp profile P\ncrypto map M 10 ipsec-isakmp\n"
                     " set isakmp-profile Q\n",
                     3, 20, "ISAKMP profile Q");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key adress 1.1.1.1 key k\n", 2, 16,
                     "expected address or hostname");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key address 1.1.1.1 cisco\n", 2, 32,
                     "expected a mask or key");
    EXPECT_IOS_ERROR("crypto keyring K\n pre-shared-key address 1.1.1.0 255.0.255.0 key k\n", 2, 32,
                     "Bad mask");
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
                     36, "60 to 86400 seconds");
    EXPECT_IOS_ERROR(
        "crypto map M 10 ipsec-isakmp\n set security-association replay window-size 100\n", 2, 45,
        "64, 128, 256, 512 or 1024");
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

// ------------------------------------------------------------------------------ routers

namespace
{

/** One router installed on a node of its own, for the policy provider's answers. */
class ProviderLab : public IosLab
{
protected:
    Ptr<IosRouter> Install(const std::string& config)
    {
        Router("R", config);
        Host("h", "10.9.0.2/24", "10.9.0.1");
        Link("R:Serial0", "h:eth0");
        Build();
        return routers.at("R");
    }
};

const char* kKeyRouter = R"(hostname HUB
crypto isakmp key Global-psk address 0.0.0.0 0.0.0.0
crypto isakmp key Host-psk hostname far.example.com
crypto ipsec security-association replay window-size 128
crypto ipsec security-association idle-time 600
crypto keyring BRANCH1-KEYS
  pre-shared-key address 198.51.100.2 key Lyon-psk
  pre-shared-key hostname spoke9.example.com key Spoke9-psk
crypto keyring BRANCH2-KEYS
  local-address Serial0
  pre-shared-key address 203.0.113.0 255.255.255.252 key Nantes-psk
crypto isakmp profile BRANCH1
   keyring BRANCH1-KEYS
   match identity address 198.51.100.2 255.255.255.255
   match identity host spoke9.example.com
   keepalive 10 retry 3
crypto isakmp profile OUT
   keyring BRANCH2-KEYS
crypto ipsec transform-set ts esp-aes esp-sha-hmac
access-list 101 permit ip 10.9.0.0 0.0.0.255 10.2.0.0 0.0.255.255
crypto map VPN 10 ipsec-isakmp
 match address 101
 set peer 203.0.113.2
 set transform-set ts
 set isakmp-profile OUT
 set security-association replay disable
 set security-association idle-time 120
crypto map VPN 20 ipsec-isakmp
 match address 101
 set peer 192.0.2.77
 set transform-set ts
interface Serial0
 ip address 10.9.0.1 255.255.255.0
 crypto map VPN
)";

} // namespace

TEST_F(ProviderLab, KeysComeFromProfilesKeyringsThenGlobalKeys)
{
    Ptr<IosRouter> r = Install(kKeyRouter);
    const Ipv4Address local("10.9.0.1");
    // The profile matched by address: its keyring.
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("198.51.100.2"), local, ""), "Lyon-psk");
    // Aggressive mode responder: the profile matched by host name, the keyring's host key.
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("198.51.100.9"), local, "spoke9.example.com"),
              "Spoke9-psk");
    // Initiator: the profile the crypto map entry sets; its keyring is bound to Serial0.
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("203.0.113.2"), local, ""), "Nantes-psk");
    // Another peer in that /30 (no entry, no profile): the most specific key of every keyring
    // usable here beats the global wildcard.
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("203.0.113.1"), local, ""), "Nantes-psk");
    // ... but not from an address the keyring is not bound to.
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("203.0.113.1"), Ipv4Address("10.8.0.1"), ""),
              "Global-psk");
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("192.0.2.77"), local, ""), "Global-psk");
    EXPECT_EQ(r->GetPreSharedKeyFor(Ipv4Address("192.0.2.78"), local, "far.example.com"),
              "Host-psk");
}

TEST_F(ProviderLab, ProfileKeepaliveAndLocalSaSettings)
{
    Ptr<IosRouter> r = Install(kKeyRouter);
    auto k = r->GetPeerKeepalive(Ipv4Address("198.51.100.2"));
    ASSERT_TRUE(k);
    EXPECT_EQ(k->seconds, 10u);
    EXPECT_EQ(k->retry, 3u);
    EXPECT_FALSE(r->GetPeerKeepalive(Ipv4Address("192.0.2.77")));
    std::map<uint32_t, IkePolicyProvider::LocalSaSettings> bySeq;
    for (const auto& m : r->GetCryptoMapEntries())
    {
        bySeq[m.entry->seq] = r->GetLocalSaSettings(m.entry);
    }
    EXPECT_EQ(bySeq.at(10).replayWindow, 0u); // replay disable
    EXPECT_EQ(bySeq.at(10).idleSeconds, 120u);
    EXPECT_EQ(bySeq.at(20).replayWindow, 128u); // the global window
    EXPECT_EQ(bySeq.at(20).idleSeconds, 600u);
    const std::string show = r->Exec("show crypto isakmp profile");
    EXPECT_NE(show.find("ISAKMP PROFILE BRANCH1"), std::string::npos) << show;
    EXPECT_NE(show.find("    ip-address 198.51.100.2 255.255.255.255"), std::string::npos);
    EXPECT_NE(show.find("   keepalive 10 retry 3"), std::string::npos);
    EXPECT_NE(show.find("   keyring(s): BRANCH2-KEYS"), std::string::npos);
    // `show crypto isakmp p` is ambiguous on IOS (peers, policy, profile) and here.
    EXPECT_THROW(r->Exec("sh cry isa p"), IosConfigError);
    EXPECT_EQ(r->Exec("sh cry isa pr"), show);
}

namespace
{

/** The spec's manual example with extra lines at the end of each router's configuration. */
class RriDfLab : public IosLab
{
protected:
    void Start(const std::string& r1Extra, const std::string& r2Extra, bool r1Route = true)
    {
        std::string r1 = kR1;
        if (!r1Route)
        {
            r1 = r1.substr(0, r1.find("ip route"));
        }
        Router("R1", r1 + r1Extra);
        Router("R2", std::string(kR2) + r2Extra);
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.5/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
        Build();
    }

    /** @p n datagrams of @p size bytes from h1 to h2; a counter of arrivals. */
    std::shared_ptr<uint64_t> Send(uint32_t n, uint32_t size)
    {
        auto count = std::make_shared<uint64_t>(0);
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
        sink.Install(nodes.at("h2"))
            .Get(0)
            ->TraceConnectWithoutContext("Rx", Callback<void, Ptr<const Packet>, const Address&>(
                                                   [count](Ptr<const Packet>, const Address&)
                                                   { ++*count; }));
        UdpClientHelper c(Ipv4Address("10.2.2.5"), 9);
        c.SetAttribute("MaxPackets", UintegerValue(n));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
        c.SetAttribute("PacketSize", UintegerValue(size));
        c.Install(nodes.at("h1")).Start(Seconds(1));
        return count;
    }

    /** The serial link between the routers carries at most @p mtu bytes of IP. */
    void SerialMtu(uint16_t mtu)
    {
        devByPort.at("R1:Serial0")->SetMtu(mtu);
        devByPort.at("R2:Serial0")->SetMtu(mtu);
    }
};

} // namespace

TEST_F(RriDfLab, ReverseRouteStaticForwardsWithoutAConfiguredRoute)
{
    // R1 has no `ip route` to R2's LAN: `reverse-route static` makes it from access list 101.
    Start("crypto map toRemoteSite 10\n reverse-route static\n", "", false);
    const std::string table = routers.at("R1")->Exec("show ip route");
    EXPECT_NE(table.find("S        10.2.2.0/24 [1/0] via 192.168.1.2"), std::string::npos) << table;
    EXPECT_NE(table.find("C        10.0.0.0/24 is directly connected, Ethernet0"),
              std::string::npos)
        << table;
    EXPECT_NE(table.find("Gateway of last resort is not set"), std::string::npos);
    auto got = Send(20, 100);
    Run(3);
    EXPECT_EQ(*got, 20u);
}

TEST_F(RriDfLab, ReverseRouteRemotePeerNamesTheNextHop)
{
    Start("crypto map toRemoteSite 10\n reverse-route static remote-peer 192.168.1.2\n", "", false);
    const std::string table = routers.at("R1")->Exec("sh ip ro");
    EXPECT_NE(table.find("S        10.2.2.0/24 [1/0] via 192.168.1.2"), std::string::npos) << table;
    // `no reverse-route` takes it away on the running router.
    IosRouterConfig next = routers.at("R1")->GetConfig();
    next.cryptoMaps.at(0).reverseRoute.reset();
    routers.at("R1")->Reconfigure(next);
    EXPECT_EQ(routers.at("R1")->Exec("show ip route").find("10.2.2.0"), std::string::npos);
}

TEST_F(RriDfLab, ReverseRouteWithoutStaticWaitsForSas)
{
    // Without `static` the route comes with the SAs; manual SAs are installed at once.
    Start("crypto map toRemoteSite 10\n reverse-route\n", "", false);
    EXPECT_NE(
        routers.at("R1")->Exec("show ip route").find("S        10.2.2.0/24 [1/0] via 192.168.1.2"),
        std::string::npos);
    routers.at("R1")->Exec("clear crypto sa"); // manual SAs come back at once, and the route
    EXPECT_NE(routers.at("R1")->Exec("show ip route").find("10.2.2.0"), std::string::npos);
}

TEST_F(RriDfLab, DfBitSetDropsWhatTheTunnelCannotCarry)
{
    // 350-byte datagrams fit the 400-byte link in the clear but not once in ESP.
    Start("crypto ipsec df-bit set\n", "");
    SerialMtu(400);
    auto icmp = Watch("R1:Ethernet0");
    auto got = Send(10, 350);
    Run(3);
    EXPECT_EQ(*got, 0u);
    EXPECT_EQ(P("R1")->GetDrops().Get(IpsecDropReason::FRAGMENTATION_NEEDED), 10u);
    EXPECT_GE((*icmp)[1], 1u); // ICMP fragmentation needed back toward h1
}

TEST_F(RriDfLab, DfBitClearFragmentsTheOuterPacket)
{
    Start("crypto ipsec df-bit clear\n", "");
    SerialMtu(400);
    auto wire = Watch("R1:Serial0");
    auto got = Send(10, 350);
    Run(3);
    EXPECT_EQ(*got, 10u);        // reassembled at R2 before decryption
    EXPECT_EQ((*wire)[50], 20u); // two fragments per packet
    EXPECT_EQ(P("R1")->GetDrops().Total(), 0u);
}

TEST_F(RriDfLab, InterfaceDfBitOverridesTheGlobalOne)
{
    Start("crypto ipsec df-bit set\ninterface Serial0\n crypto ipsec df-bit clear\n", "");
    SerialMtu(400);
    auto got = Send(10, 350);
    Run(3);
    EXPECT_EQ(*got, 10u);
}

TEST_F(RriDfLab, DfBitCopyFollowsTheInnerHeader)
{
    // ns-3's UDP leaves DF clear: with the default (copy) the outer packet is fragmented.
    Start("", "");
    SerialMtu(400);
    auto got = Send(10, 350);
    Run(3);
    EXPECT_EQ(*got, 10u);
    EXPECT_EQ(P("R1")->GetDfBit(routers.at("R1")->GetInterfaceIndex("Serial0")), IpsecDfBit::COPY);
}
