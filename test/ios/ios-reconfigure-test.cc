// Configuration changes on a running router (`configure terminal`): what takes effect at once,
// what waits for new SAs (spec: "Certain configuration changes will only take effect when
// negotiating subsequent security associations"), and changes that are refused without a trace.
#include "common/ios-lab.h"

#include <gtest/gtest.h>

#include <regex>

using namespace ns3;
using ns3::test::IosLab;
using ns3::test::kR1;
using ns3::test::kR2;

namespace
{

/** @p text with every @p from replaced by @p to (which must occur). */
std::string
Replace(std::string text, const std::string& from, const std::string& to)
{
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos)
    {
        text.replace(at, from.size(), to);
    }
    return text;
}

uint64_t
Count(const std::string& show, const std::string& what)
{
    std::smatch m;
    const std::regex re(what + ": (\\d+)");
    return std::regex_search(show, m, re) ? std::stoull(m[1]) : ~uint64_t(0);
}

class Reconfigure : public ns3::test::SpecExampleLab
{
protected:
    std::vector<std::string> Apply(const std::string& router, const std::string& text)
    {
        return routers.at(router)->Reconfigure(IosConfigReader::Parse(text, router + ".cfg"));
    }
};

// New session keys: the manual SAs in force stay until `clear crypto sa`, which re-establishes
// them from the new keys (spec: "For manually established security associations, you must clear
// and reinitialize the security associations or the changes will never take effect").
TEST_F(Reconfigure, NewManualKeysTakeEffectAtClear)
{
    Build();
    auto first = Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run(2);
    ASSERT_EQ(*first, 10u);
    Apply("R1", Replace(kR1, "outbound esp 8192", "outbound esp 8193"));
    Apply("R2", Replace(kR2, "inbound esp 8192", "inbound esp 8193"));
    std::string s = routers["R1"]->Exec("show crypto ipsec sa");
    EXPECT_NE(s.find("spi: 0x2000(8192)"), std::string::npos) << s;
    EXPECT_EQ(Count(s, "#pkts encaps"), 10u) << "the SAs in force carry on, counters and all";
    auto second = Udp("h1", "h2", "10.2.2.5", 10, 5, 0.1);
    Run(1);
    EXPECT_EQ(*second, 5u) << "still the old SAs on both sides";

    routers["R1"]->Exec("clear crypto sa");
    routers["R2"]->Exec("clear crypto sa");
    s = routers["R1"]->Exec("show crypto ipsec sa");
    EXPECT_NE(s.find("spi: 0x2001(8193)"), std::string::npos) << s;
    EXPECT_EQ(s.find("spi: 0x2000(8192)"), std::string::npos) << s;
    auto third = Udp("h1", "h2", "10.2.2.5", 11, 5, 0.1);
    Run(1);
    EXPECT_EQ(*third, 5u) << "the new keys agree";
    EXPECT_EQ(Count(routers["R2"]->Exec("show crypto ipsec sa"), "#pkts decaps"), 5u);
}

// Keys changed on one side only, then cleared: the peers no longer agree, and the receiver
// drops what it cannot authenticate. The change is real, not only shown.
TEST_F(Reconfigure, KeysChangedOnOneSideBreakTheTunnelAfterClear)
{
    Build();
    Apply("R1", Replace(kR1, "authenticator ffeeddccbbaa99887766554433221100",
                        "authenticator 0feeddccbbaa99887766554433221100"));
    auto before = Udp("h1", "h2", "10.2.2.5", 9, 5);
    Run(2);
    EXPECT_EQ(*before, 5u) << "not cleared yet: the old keys";
    routers["R1"]->Exec("clear crypto sa");
    auto after = Udp("h1", "h2", "10.2.2.5", 10, 5, 0.1);
    Run(1);
    EXPECT_EQ(*after, 0u);
    EXPECT_EQ(P("R2")->GetDrops().Get(IpsecDropReason::ICV_FAILURE), 5u);
}

// Removing the crypto map from the interface and the entry: its SAs go, the traffic leaves in
// the clear, and the peer, whose policy still asks for protection, drops it.
TEST_F(Reconfigure, RemovedCryptoMapTakesItsSasWithIt)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 5);
    Run(2);
    ASSERT_EQ(P("R1")->GetSad()->GetAll().size(), 2u);
    std::string r1 = Replace(kR1, " crypto map toRemoteSite\n", "");
    r1 = r1.substr(0, r1.find("crypto map toRemoteSite 10")) +
         r1.substr(r1.find("interface Ethernet0"));
    Apply("R1", r1);
    EXPECT_TRUE(P("R1")->GetSad()->GetAll().empty());
    EXPECT_EQ(routers["R1"]->Exec("show crypto map"), "");
    auto wire = Watch("R1:Serial0");
    auto clear = Udp("h1", "h2", "10.2.2.5", 10, 5, 0.1);
    Run(1);
    EXPECT_EQ((*wire)[17], 5u) << "UDP in the clear";
    EXPECT_EQ((*wire)[50], 0u);
    EXPECT_EQ(*clear, 0u);
    EXPECT_EQ(P("R2")->GetDrops().Get(IpsecDropReason::UNPROTECTED), 5u);
}

// What the simulation cannot change on a running router is refused and changes nothing; so
// is a configuration that reads as IOS but cannot be built (a 3DES key of the wrong length).
TEST_F(Reconfigure, RefusedChangesLeaveEverythingAsItWas)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 5);
    Run(2);
    const std::string map = routers["R1"]->Exec("show crypto map");
    const std::string sas = routers["R1"]->Exec("show crypto ipsec sa");
    const size_t lines = routers["R1"]->GetConfig().lines.size();

    std::string r1 = Replace(kR1, "ip address 192.168.1.1", "ip address 192.168.1.9");
    r1 += "access-list 150 permit ip any any\n";
    EXPECT_THROW(Apply("R1", r1), std::invalid_argument);
    EXPECT_THROW(Apply("R1", Replace(kR1, "hostname R1", "hostname Edge")), std::invalid_argument);
    EXPECT_THROW(Apply("R1", Replace(kR1, "cipher fedcba9876543210fedcba9876543210fedcba9876543210",
                                     "cipher fedcba9876543210")),
                 IosConfigError);

    EXPECT_EQ(routers["R1"]->GetConfig().lines.size(), lines);
    EXPECT_EQ(routers["R1"]->Exec("show crypto map"), map);
    EXPECT_EQ(routers["R1"]->Exec("show crypto ipsec sa"), sas);
    auto after = Udp("h1", "h2", "10.2.2.5", 10, 5, 0.1);
    Run(1);
    EXPECT_EQ(*after, 5u);
}

// An access list whose lines did not change keeps its match counters; a changed one starts
// again, and the crypto map uses the new lines at once for what it selects.
TEST_F(Reconfigure, AccessListsChangeAtOnceAndKeepCountersWhenUnchanged)
{
    Build();
    Udp("h1", "h2", "10.2.2.5", 9, 5);
    Run(2);
    auto matches = [&]()
    {
        const std::string s = routers["R1"]->Exec("show access-lists");
        std::smatch m;
        return std::regex_search(s, m, std::regex("\\((\\d+) match")) ? std::stoul(m[1]) : 0ul;
    };
    ASSERT_EQ(matches(), 5u);
    Apply("R1", std::string(kR1) + "access-list 150 permit ip any any\n");
    EXPECT_EQ(matches(), 5u) << "list 101 unchanged";
    // 101 now protects only UDP to port 11: port 12 leaves in the clear (and R2 drops it).
    Apply("R1", Replace(kR1, "permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255",
                        "permit udp 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255 eq 11"));
    EXPECT_EQ(matches(), 0u) << "a changed list starts counting again";
    auto wire = Watch("R1:Serial0");
    auto protectedFlow = Udp("h1", "h2", "10.2.2.5", 11, 3, 0.1);
    auto clearFlow = Udp("h1", "h2", "10.2.2.5", 12, 4, 0.1);
    Run(1);
    EXPECT_EQ(*protectedFlow, 3u);
    EXPECT_EQ((*wire)[50], 3u);
    EXPECT_EQ((*wire)[17], 4u);
    EXPECT_EQ(*clearFlow, 0u);
}

// shutdown / no shutdown: the interface goes down and comes back with its static routes (ns-3
// forgets routes through a down interface; IOS reinstalls them).
TEST_F(Reconfigure, ShutdownAndNoShutdownRestoreTheRoutes)
{
    Build();
    auto notes = Apply("R2", Replace(kR2, " ip address 192.168.1.2 255.255.255.252\n",
                                     " ip address 192.168.1.2 255.255.255.252\n shutdown\n"));
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0],
              "%LINK-5-CHANGED: Interface Serial0, changed state to administratively down");
    auto down = Udp("h1", "h2", "10.2.2.5", 9, 5);
    Run(2);
    EXPECT_EQ(*down, 0u);
    notes = Apply("R2", kR2);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_EQ(notes[0], "%LINK-5-CHANGED: Interface Serial0, changed state to up");
    auto up = Udp("h2", "h1", "10.0.0.10", 10, 5, 0.1);
    Run(1);
    EXPECT_EQ(*up, 5u) << "R2's route to 10.0.0.0/24 via Serial0 is back";
}

// A first ipsec-isakmp entry on a router that had only manual ones starts IKE; an incomplete
// new entry gets IOS's note.
TEST_F(Reconfigure, FirstNegotiatedEntryStartsIke)
{
    Build();
    ASSERT_FALSE(routers["R1"]->GetIke());
    auto notes = Apply("R1", std::string(kR1) + "crypto map toRemoteSite 20 ipsec-isakmp\n");
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("will remain disabled until a peer"), std::string::npos);
    EXPECT_TRUE(routers["R1"]->GetIke());
    const std::string map = routers["R1"]->Exec("show crypto map");
    EXPECT_NE(map.find("Crypto Map IPv4 \"toRemoteSite\" 20 ipsec-isakmp\n"
                       "\tWARNING: This crypto map is in an incomplete state!\n"
                       "\t\t(missing peer or access-list definitions)\n"
                       "\tNo matching address list set.\n"),
              std::string::npos)
        << map;
}

} // namespace
