// What a real IKE peer (strongSwan) showed about us: cookies and SPIs that repeat from run to run
// with the same seed, no INITIAL-CONTACT on first contact, `show crypto session` with port 500
// for a peer reached on 4500. The run with a real peer is test/e2e/strongswan-interop.sh; here
// the parts that need none.
#include "ns3/ike-daemon.h"
#include "ns3/ike-initial-contact.h"
#include "ns3/ios-config.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-random.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario-sweep.h"
#include "ns3/scenario.h"

#include "ns3/simulator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

using namespace ns3;
using nlohmann::json;

namespace
{

Scenario
Library(const std::string& name)
{
    return ScenarioLoader::LoadFile(std::string(IPSEC_SOURCE_DIR) + "/scenarios/" + name +
                                    "/scenario.json");
}

ScenarioRunner::Options
TempOptions(const std::string& tag)
{
    ScenarioRunner::Options o;
    o.outDir = (std::filesystem::temp_directory_path() /
                ("real-peer-edges-" + tag + "-" + std::to_string(::getpid())))
                   .string();
    o.pcaps = false;
    o.report = false;
    o.netanim = false;
    return o;
}

uint32_t
NodeIndex(const Scenario& s, const std::string& name)
{
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].name == name)
        {
            return i;
        }
    }
    ADD_FAILURE() << "no node " << name;
    return 0;
}

/** The initiator cookies and inbound SPIs of a run's results, in order. */
std::vector<std::string>
Identifiers(const json& r)
{
    std::vector<std::string> ids;
    for (const auto& e : r["ike"])
    {
        ids.push_back(e.value("icookie", ""));
    }
    for (const auto& [name, n] : r["nodes"].items())
    {
        ids.push_back(n.dump()); // the SA tables with their SPIs
    }
    return ids;
}

} // namespace

// ------------------------------------------------------------------ identifiers per run

TEST(IkeIdentifiers, SeededStreamUnlessSwitchedOn)
{
    auto seeded = IpsecRandom::Stream("ike/7");
    IpsecRandom::SetUniqueIdentifiers(false);
    EXPECT_EQ(IpsecRandom::IdentifierStream("ike/7", seeded), seeded) << "the same stream";

    IpsecRandom::SetUniqueIdentifiers(true);
    auto a = IpsecRandom::IdentifierStream("ike/7", seeded);
    auto b = IpsecRandom::IdentifierStream("ike/7", seeded);
    EXPECT_NE(a, seeded);
    EXPECT_NE(a->Bytes(16), b->Bytes(16)) << "two runs, two sets of cookies";
    EXPECT_NE(a->Bytes(16), IpsecRandom::Stream("ike/7")->Bytes(16));
    IpsecRandom::SetUniqueIdentifiers(false);
}

TEST(IkeIdentifiers, WithoutExternalNodeTheSeedGivesTheSameCookiesAndSpis)
{
    // A run switches the identifiers to per run only when it has an external node; one left
    // switched on by an earlier run in this process must not leak into the next.
    IpsecRandom::SetUniqueIdentifiers(true);
    json r[2];
    for (int i = 0; i < 2; ++i)
    {
        ScenarioRunner runner(Library("ike-spec-example"));
        runner.Build();
        const ScenarioRunner::Options o = TempOptions("seeded");
        r[i] = runner.Run(o);
        std::filesystem::remove_all(o.outDir);
    }
    EXPECT_EQ(r[0]["scenario"]["ike_identifiers"], "seeded");
    ASSERT_FALSE(r[0]["ike"].empty());
    EXPECT_EQ(Identifiers(r[0]), Identifiers(r[1]));
    EXPECT_FALSE(IpsecRandom::UniqueIdentifiers());
}

// ------------------------------------------------------------------ INITIAL-CONTACT

TEST(InitialContact, NotifyCarriesTheCookiesAndOnlyTheFirstContactsInitiatorSendsIt)
{
    IkeSa sa;
    sa.icookie = {1, 2, 3, 4, 5, 6, 7, 8};
    sa.rcookie = {9, 10, 11, 12, 13, 14, 15, 16};
    const IsakmpNotificationPayload n = IkeInitialContactNotify(sa);
    EXPECT_EQ(n.GetNotifyType(), ISAKMP_NOTIFY_INITIAL_CONTACT);
    EXPECT_EQ(n.GetNotifyType(), 24578);
    EXPECT_EQ(n.GetProtocolId(), ISAKMP_PROTO_ISAKMP);
    EXPECT_EQ(n.GetSpi(), IsakmpNotificationPayload::CookieSpi(sa.icookie, sa.rcookie));
    EXPECT_EQ(n.GetDoi(), 1u);

    for (bool initiator : {false, true})
    {
        for (bool first : {false, true})
        {
            sa.initiator = initiator;
            sa.sendInitialContact = first;
            IsakmpMessage m;
            IkeAddInitialContact(sa, m);
            EXPECT_EQ(IkeCarriesInitialContact(m), initiator && first)
                << "initiator " << initiator << ", first contact " << first;
        }
    }
}

TEST(InitialContact, OnlySasEstablishedBeforeTheNewExchangeAreStale)
{
    IkeSa fresh;
    fresh.begun = Seconds(100);
    IkeSa old;
    old.state = IkeSaState::QM_IDLE;
    old.created = Seconds(40);
    EXPECT_TRUE(IkeStaleAfterInitialContact(old, fresh));
    IkeSa meanwhile; // both ends started at once: ours came up while theirs was under way
    meanwhile.state = IkeSaState::QM_IDLE;
    meanwhile.created = Seconds(100.2);
    EXPECT_FALSE(IkeStaleAfterInitialContact(meanwhile, fresh));
    IkeSa negotiating;
    negotiating.state = IkeSaState::MM_KEY_EXCH;
    EXPECT_FALSE(IkeStaleAfterInitialContact(negotiating, fresh));
}

TEST(InitialContact, FirstMainModeCarriesItOneWithIpsecSasInPlaceDoesNot)
{
    // ike-rekey-time: IPsec SAs of 120 s, renewed by R1 about 90 s after the first ones. With
    // ISAKMP SAs of 60 s, that renewal needs a new main mode, while the IPsec SAs still live:
    // not a first contact, so no INITIAL-CONTACT (else R2 would drop the SAs in use).
    Scenario s = Library("ike-rekey-time");
    for (auto& n : s.nodes)
    {
        for (auto& [priority, policy] : n.config.isakmpPolicies)
        {
            policy.lifetimeSeconds = 60;
        }
    }
    const uint32_t r1 = NodeIndex(s, "R1");
    const uint32_t r2 = NodeIndex(s, "R2");
    ScenarioRunner runner(s);
    runner.Build();
    const ScenarioRunner::Options o = TempOptions("ic");
    runner.Start(o);
    runner.Advance(Seconds(20));
    auto established = [&](uint32_t node)
    {
        std::vector<Ptr<IkeSa>> v;
        for (const auto& sa : runner.GetRouter(node)->GetIke()->GetSas())
        {
            if (sa->IsEstablished())
            {
                v.push_back(sa);
            }
        }
        return v;
    };
    auto first = established(r2);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_FALSE(first[0]->initiator);
    EXPECT_TRUE(first[0]->peerInitialContact) << "R1's main mode message 5 carries it";
    ASSERT_EQ(established(r1).size(), 1u);
    EXPECT_TRUE(established(r1)[0]->sendInitialContact);

    runner.Advance(Seconds(100)); // to 120 s: the first ISAKMP SA expired at 60 s, R1 renewed
    auto second = established(r2);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_NE(second[0]->icookie, first[0]->icookie) << "a new main mode";
    EXPECT_FALSE(second[0]->peerInitialContact);
    const json r = runner.Finish();
    std::filesystem::remove_all(o.outDir);
    int mainModes = 0;
    for (const auto& e : r["ike"])
    {
        mainModes += e["node"] == "R1" && e["exchange"] == "main" && e["result"] == "ok";
        EXPECT_EQ(e.value("reason", "").find("INITIAL-CONTACT"), std::string::npos) << e.dump();
    }
    EXPECT_EQ(mainModes, 2);
    for (const auto& f : r["flows"])
    {
        EXPECT_GE(f["received"].get<int64_t>(), f["sent"].get<int64_t>() - 2)
            << "no loss across the renewal: " << f.dump();
    }
}

TEST(InitialContact, AggressiveModeMessageThreeCarriesIt)
{
    Scenario s = Library("ike-spec-example");
    const uint32_t r1 = NodeIndex(s, "R1");
    const uint32_t r2 = NodeIndex(s, "R2");
    ScenarioRunner runner(s);
    runner.Build();
    runner.GetRouter(r1)->GetIke()->SetInitiateAggressiveMode(
        Ipv4Address("10.2.2.5")); // its set peer
    const ScenarioRunner::Options o = TempOptions("ic-am");
    runner.Start(o);
    runner.Advance(Seconds(10));
    std::vector<Ptr<IkeSa>> r2sas = runner.GetRouter(r2)->GetIke()->GetSas();
    ASSERT_EQ(r2sas.size(), 1u);
    EXPECT_TRUE(r2sas[0]->aggressive);
    EXPECT_TRUE(r2sas[0]->IsEstablished());
    EXPECT_TRUE(r2sas[0]->peerInitialContact) << "R1's message 3";
    const json r = runner.Finish();
    std::filesystem::remove_all(o.outDir);
    bool am = false;
    for (const auto& e : r["ike"])
    {
        am |= e["node"] == "R1" && e["exchange"] == "aggressive" && e["result"] == "ok";
    }
    EXPECT_TRUE(am);
}

// ------------------------------------------------------------------ show crypto session

TEST(ShowCryptoSession, PeerPortIsTheNatTraversalPortAfterNatDetection)
{
    // ike-nat-t: BRANCH behind a static NAT; IKE and ESP float to UDP 4500.
    Scenario s = Library("ike-nat-t");
    ScenarioRunner runner(s);
    runner.Build();
    const ScenarioRunner::Options o = TempOptions("session");
    runner.Start(o);
    runner.Advance(Seconds(15));
    for (const std::string name : {"BRANCH", "HQ"})
    {
        SCOPED_TRACE(name);
        const uint32_t i = NodeIndex(s, name);
        const std::string session = runner.Exec(i, "show crypto session");
        const std::string sa = runner.Exec(i, "show crypto ipsec sa");
        std::smatch m;
        ASSERT_TRUE(std::regex_search(sa, m, std::regex(R"(current_peer ([\d.]+) port (\d+))")))
            << sa;
        EXPECT_EQ(m[2], "4500") << sa;
        // IOS pads the line with a space; the IKE SA line shows the floated ports too.
        EXPECT_NE(session.find("Peer: " + m[1].str() + " port 4500 \n"), std::string::npos)
            << session;
        EXPECT_NE(session.find("remote " + m[1].str() + "/4500 Active"), std::string::npos)
            << session;
        EXPECT_EQ(session.find("port 500 \n"), std::string::npos) << session;
    }
    runner.Finish();
    std::filesystem::remove_all(o.outDir);
}

TEST(ShowCryptoSession, PeerPortIs500WithoutNat)
{
    Scenario s = Library("ike-spec-example");
    ScenarioRunner runner(s);
    runner.Build();
    const ScenarioRunner::Options o = TempOptions("session500");
    runner.Start(o);
    runner.Advance(Seconds(10));
    bool any = false;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (!s.nodes[i].IsRouter())
        {
            continue;
        }
        const std::string session = runner.Exec(i, "show crypto session");
        any |= session.find("Peer: ") != std::string::npos;
        EXPECT_EQ(session.find("port 4500"), std::string::npos) << session;
        if (session.find("Peer: ") != std::string::npos)
        {
            EXPECT_NE(session.find(" port 500 \n"), std::string::npos) << session;
        }
    }
    EXPECT_TRUE(any);
    runner.Finish();
    std::filesystem::remove_all(o.outDir);
}

// ------------------------------------------------------------------ not modelled, but not `end`

TEST(NotModelledList, EndAndExitAreNeverListed)
{
    // `end` leaves configuration mode wherever it is typed: at the global level, in a modelled
    // sub-mode, in a block that is not modelled (indented or not), after a pasted prompt, with
    // CRLF line ends, capitalised; `exit` leaves a sub-mode. Neither is configuration.
    const std::vector<std::string> tails = {
        "end\n",
        "End\r\n",
        "interface Ethernet0\n end\n",
        "crypto isakmp policy 10\n end\n",
        "line vty 0 4\n login\n end\n",
        "line vty 0 4\n login\nend\n",
        "line vty 0 4\n login\n exit\n",
        "router rip\n network 10.0.0.0\n exit\nend\n",
        "R1(config)#line con 0\nR1(config-line)#logging synchronous\nR1(config-line)#end\n",
        "crypto pki trustpoint TP\n enrollment selfsigned\n exit\n",
        "logging buffered\nend\nwrite memory\n",
    };
    for (const auto& tail : tails)
    {
        const IosRouterConfig c = IosConfigReader::Parse("hostname R1\n" + tail, "R1.cfg");
        for (const auto& w : c.notModelled)
        {
            std::string first = w.text.substr(w.text.find_first_not_of(' '));
            first = first.substr(0, first.find(' '));
            EXPECT_NE(first, "end") << tail;
            EXPECT_NE(first, "End") << tail;
            EXPECT_NE(first, "exit") << tail;
        }
    }
    // and what is not modelled is listed (results.json's report.not_modelled)
    const IosRouterConfig c =
        IosConfigReader::Parse("hostname R1\nline vty 0 4\n login\nend\n", "R1.cfg");
    ASSERT_EQ(c.notModelled.size(), 2u);
    EXPECT_EQ(c.notModelled[0].text, "line vty 0 4");
    EXPECT_EQ(c.notModelled[1].text, " login");
}

// ------------------------------------------------------------------ IKE setups per second

TEST(SweepIkeSetups, FiguresFromTheHubsTimeline)
{
    // Three spokes: two complete (main mode then quick mode), one fails its main mode; the
    // other router's records do not count.
    const json r = {{"ike", json::array({{{"node", "R1"},
                                          {"exchange", "main"},
                                          {"peer", "10.0.0.2"},
                                          {"result", "ok"},
                                          {"start_s", 0.5},
                                          {"end_s", 0.9}},
                                         {{"node", "R1"},
                                          {"exchange", "main"},
                                          {"peer", "10.0.0.3"},
                                          {"result", "ok"},
                                          {"start_s", 0.6},
                                          {"end_s", 1.4}},
                                         {{"node", "R1"},
                                          {"exchange", "main"},
                                          {"peer", "10.0.0.4"},
                                          {"result", "failed"},
                                          {"start_s", 0.6},
                                          {"end_s", 9.0}},
                                         {{"node", "R1"},
                                          {"exchange", "quick"},
                                          {"peer", "10.0.0.2"},
                                          {"result", "ok"},
                                          {"start_s", 0.9},
                                          {"end_s", 1.0}},
                                         {{"node", "R1"},
                                          {"exchange", "quick"},
                                          {"peer", "10.0.0.3"},
                                          {"result", "ok"},
                                          {"start_s", 1.4},
                                          {"end_s", 1.5}},
                                         {{"node", "R1"},
                                          {"exchange", "quick"},
                                          {"peer", "10.0.0.3"},
                                          {"result", "ok"},
                                          {"start_s", 5.0},
                                          {"end_s", 5.1}},
                                         {{"node", "S1"},
                                          {"exchange", "main"},
                                          {"peer", "172.16.0.1"},
                                          {"result", "ok"},
                                          {"start_s", 0.1},
                                          {"end_s", 0.9}}})}};
    const json f = ScenarioSweepRunner::IkeSetupFigures(r, "R1", 3);
    EXPECT_EQ(f["peers"], 3);
    EXPECT_EQ(f["completed"], 2);
    EXPECT_DOUBLE_EQ(f["span_s"].get<double>(), 1.0);          // 0.5 to 1.5
    EXPECT_DOUBLE_EQ(f["setups_per_s"].get<double>(), 2.0);    // 2 in 1 s
    EXPECT_DOUBLE_EQ(f["mean_setup_ms"].get<double>(), 700.0); // (0.5 + 0.9) / 2
}

TEST(SweepIkeSetups, CardSetsUpFasterThanTheCpuAsCalibrated)
{
    Scenario s = Library("capacity");
    ASSERT_TRUE(s.sweep && s.sweep->ikeSetups);
    double rate[2] = {0, 0};
    for (int k = 0; k < 2; ++k)
    {
        const ScenarioSweepConfiguration& c = s.sweep->configurations[k]; // 1750, + MOD1700-VPN
        ScenarioRunner runner(ScenarioSweepRunner::IkeSetupScenario(s, c));
        runner.Build();
        const ScenarioRunner::Options o = TempOptions("ike-setups");
        const json r = runner.Run(o);
        std::filesystem::remove_all(o.outDir);
        const json f = ScenarioSweepRunner::IkeSetupFigures(r, "R1", s.sweep->ikeSetups->peers);
        EXPECT_EQ(f["completed"], s.sweep->ikeSetups->peers) << c.name;
        rate[k] = f["setups_per_s"].get<double>();
    }
    // Per setup the hub makes two 1024-bit exponentiations (group 2, no PFS): 0.83 s each on
    // the 1750's CPU, 100 ms on the card.
    EXPECT_NEAR(rate[0], 0.6, 0.06);
    EXPECT_NEAR(rate[1], 5.0, 0.5);
}

TEST(SweepIkeSetups, BadKeysAreRefusedWithTheirPointer)
{
    std::ifstream in(std::string(IPSEC_SOURCE_DIR) + "/scenarios/capacity/scenario.json");
    json doc = json::parse(in);
    doc["sweep"]["ike_setups"] = {
        {"peers", 0}, {"config", {"crypto isakmp policy 10", " encryption des3"}}, {"bogus", 1}};
    try
    {
        ScenarioLoader::LoadString(doc.dump(), "scenario.json",
                                   std::string(IPSEC_SOURCE_DIR) + "/scenarios/capacity");
        FAIL() << "accepted";
    }
    catch (const ScenarioError& e)
    {
        const std::string m = e.what();
        EXPECT_NE(m.find("/sweep/ike_setups/peers"), std::string::npos) << m;
        EXPECT_NE(m.find("/sweep/ike_setups/config/1"), std::string::npos) << m;
        EXPECT_NE(m.find("bogus"), std::string::npos) << m;
    }
}
