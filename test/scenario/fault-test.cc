// Faults: the Poisson UDP pattern (mean rate kept, gaps that vary), the payload checker that
// tells intact datagrams from corrupted and replayed ones, the link error model that really
// changes bytes, the loader's checks of "errors", "pattern", "payload" and power events, and a
// peer that reboots in the middle of a tunnel: the survivor's dead peer detection removes the
// stale SAs and a new negotiation brings the tunnel back.
#include "ns3/router-faults.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"
#include "ns3/udp-pattern-app.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-header.h"
#include "ns3/packet-sink-helper.h"
#include "ns3/packet-sink.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/ppp-header.h"
#include "ns3/udp-header.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

using namespace ns3;
using nlohmann::json;

namespace
{

struct SenderRun
{
    uint64_t sent = 0;
    uint64_t intact = 0;
    std::vector<double> gaps;
};

/** A PatternUdpSender across one point-to-point link for @p seconds, into a checked sink. */
SenderRun
RunSender(bool poisson, double seconds, uint32_t run)
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(run);
    NodeContainer n;
    n.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    NetDeviceContainer d = p2p.Install(n);
    InternetStackHelper().Install(n);
    Ipv4AddressHelper a("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = a.Assign(d);
    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer sinks = sinkHelper.Install(n.Get(1));
    auto check = std::make_shared<PayloadChecker>(true, 7, 500);
    sinks.Get(0)->TraceConnectWithoutContext(
        "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                  [check](Ptr<const Packet> p, const Address&) { check->Check(p); }));
    Ptr<PatternUdpSender> s = CreateObject<PatternUdpSender>();
    s->SetAttribute("Remote", AddressValue(InetSocketAddress(ifs.GetAddress(1), 9)));
    s->SetAttribute("DataRate", DataRateValue(DataRate("40kbps"))); // 10 datagrams/s
    s->SetAttribute("PacketSize", UintegerValue(500));
    s->SetAttribute("Poisson", BooleanValue(poisson));
    s->SetAttribute("Flow", UintegerValue(7));
    s->SetAttribute("KeepGaps", BooleanValue(true));
    s->AssignStreams(100);
    n.Get(0)->AddApplication(s);
    s->SetStartTime(Seconds(1));
    s->SetStopTime(Seconds(1 + seconds));
    Simulator::Stop(Seconds(2 + seconds));
    Simulator::Run();
    SenderRun r{s->GetSent(), check->intact, s->GetGaps()};
    EXPECT_EQ(check->corrupt, 0u);
    EXPECT_EQ(check->duplicate, 0u);
    Simulator::Destroy();
    return r;
}

double
Mean(const std::vector<double>& v)
{
    return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double
CoefficientOfVariation(const std::vector<double>& v)
{
    const double m = Mean(v);
    double ss = 0;
    for (double x : v)
    {
        ss += (x - m) * (x - m);
    }
    return std::sqrt(ss / static_cast<double>(v.size() - 1)) / m;
}

} // namespace

TEST(PatternSender, PoissonKeepsTheMeanRateAndItsGapsVary)
{
    const SenderRun r = RunSender(true, 600, 1);
    ASSERT_GT(r.gaps.size(), 1000u);
    // 10 datagrams/s: the mean gap is 0.1 s (6000 gaps: standard error 1.3%).
    EXPECT_NEAR(Mean(r.gaps), 0.1, 0.005);
    // Exponential gaps: standard deviation = mean.
    EXPECT_NEAR(CoefficientOfVariation(r.gaps), 1.0, 0.08);
    EXPECT_NEAR(static_cast<double>(r.sent), 6000, 6000 * 0.05);
    EXPECT_EQ(r.intact, r.sent); // a clean link delivers every one, intact
}

TEST(PatternSender, ConstantRateHasEqualGaps)
{
    const SenderRun r = RunSender(false, 60, 1);
    ASSERT_GT(r.gaps.size(), 500u);
    EXPECT_NEAR(Mean(r.gaps), 0.1, 1e-9);
    EXPECT_LT(CoefficientOfVariation(r.gaps), 1e-6);
}

TEST(PatternSender, PoissonIsReproducibleAndDependsOnTheRun)
{
    const SenderRun a = RunSender(true, 30, 1);
    const SenderRun b = RunSender(true, 30, 1);
    const SenderRun c = RunSender(true, 30, 2);
    EXPECT_EQ(a.gaps, b.gaps);
    EXPECT_NE(a.gaps, c.gaps);
}

TEST(PayloadCheckerTest, TellsIntactCorruptAndDuplicate)
{
    PayloadChecker c(true, 3, 100);
    auto make = [](uint32_t flow, uint64_t seq)
    {
        std::vector<uint8_t> b = PatternUdpPayload(flow, seq, 100);
        return b;
    };
    auto pkt = [](const std::vector<uint8_t>& b)
    { return Create<Packet>(b.data(), static_cast<uint32_t>(b.size())); };
    c.Check(pkt(make(3, 0)));
    c.Check(pkt(make(3, 1)));
    c.Check(pkt(make(3, 1))); // a replay
    auto bad = make(3, 2);
    bad[60] ^= 0x10; // one bit
    c.Check(pkt(bad));
    c.Check(pkt(make(4, 5))); // another flow's datagram
    auto shortOne = make(3, 9);
    shortOne.resize(99);
    c.Check(pkt(shortOne));
    EXPECT_EQ(c.checked, 6u);
    EXPECT_EQ(c.intact, 2u);
    EXPECT_EQ(c.duplicate, 1u);
    EXPECT_EQ(c.corrupt, 3u);

    PayloadChecker z(false, 0, 8);
    std::vector<uint8_t> zeros(8, 0);
    z.Check(pkt(zeros));
    zeros[7] = 1;
    z.Check(pkt(zeros));
    EXPECT_EQ(z.intact, 1u);
    EXPECT_EQ(z.corrupt, 1u);
}

namespace
{

/** A PPP frame with an IPv4 header and @p payload bytes of protocol @p proto. */
Ptr<Packet>
Frame(uint8_t proto, uint32_t payload)
{
    std::vector<uint8_t> body(payload, 0xAB);
    Ptr<Packet> p = Create<Packet>(body.data(), payload);
    Ipv4Header ip;
    ip.SetSource("10.0.0.1");
    ip.SetDestination("10.0.0.2");
    ip.SetProtocol(proto);
    ip.SetPayloadSize(payload);
    p->AddHeader(ip);
    PppHeader ppp;
    ppp.SetProtocol(0x0021);
    p->AddHeader(ppp);
    return p;
}

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

} // namespace

TEST(LinkFaultModelTest, CorruptionFlipsOneBitAfterTheIpHeader)
{
    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
    m->SetAttribute("Corrupt", DoubleValue(1.0));
    m->SetLinkHeader(2);
    m->AssignStreams(5);
    for (int i = 0; i < 200; ++i)
    {
        Ptr<Packet> p = Frame(i % 2 ? 50 : 17, 64);
        const auto before = Bytes(p);
        ASSERT_FALSE(m->IsCorrupt(p)); // delivered, damaged
        const auto after = Bytes(p);
        ASSERT_EQ(before.size(), after.size());
        int bits = 0;
        size_t where = 0;
        for (size_t k = 0; k < before.size(); ++k)
        {
            if (before[k] != after[k])
            {
                bits += __builtin_popcount(before[k] ^ after[k]);
                where = k;
            }
        }
        EXPECT_EQ(bits, 1);
        EXPECT_GE(where, 2u + 20u); // neither the PPP field nor the IPv4 header
    }
    EXPECT_EQ(m->GetCorrupted(), 200u);
    EXPECT_EQ(m->GetCorruptedEsp(), 100u);
    // 8 of 64 bytes are the SPI and sequence number: about 1 in 8 of the ESP ones.
    EXPECT_GT(m->GetCorruptedEspHeader(), 2u);
    EXPECT_LT(m->GetCorruptedEspHeader(), 30u);
}

TEST(LinkFaultModelTest, LossDropsAboutTheGivenShare)
{
    Ptr<LinkFaultModel> m = CreateObject<LinkFaultModel>();
    m->SetAttribute("Loss", DoubleValue(0.1));
    m->AssignStreams(9);
    uint32_t lost = 0;
    for (int i = 0; i < 10000; ++i)
    {
        lost += m->IsCorrupt(Frame(50, 40)) ? 1 : 0;
    }
    EXPECT_EQ(lost, m->GetLost());
    EXPECT_NEAR(lost, 1000, 120);
    EXPECT_EQ(m->GetCorrupted(), 0u);
}

// ------------------------------------------------------------------------------ the loader

namespace
{

const char* kTwoRouters = R"({
  "duration": 60,
  "nodes": [
    {"name": "R1", "config": ["hostname R1", "interface Serial0", " ip address 172.16.0.1 255.255.255.252",
                              "interface Ethernet0", " ip address 10.1.1.1 255.255.255.0"]},
    {"name": "R2", "config": ["hostname R2", "interface Serial0", " ip address 172.16.0.2 255.255.255.252",
                              "interface Ethernet0", " ip address 10.2.2.1 255.255.255.0"]},
    {"name": "h1", "kind": "host", "address": "10.1.1.10/24", "gateway": "10.1.1.1"},
    {"name": "h2", "kind": "host", "address": "10.2.2.10/24", "gateway": "10.2.2.1"}
  ],
  "links": [
    {"a": "R1:Serial0", "b": "R2:Serial0"},
    {"a": "h1", "b": "R1:Ethernet0"},
    {"a": "h2", "b": "R2:Ethernet0"}
  ],
  "traffic": [{"kind": "udp", "from": "h1", "to": "h2", "rate": "8kbps"}],
  "events": []
})";

std::vector<ScenarioIssue>
ErrorsOf(const json& doc)
{
    try
    {
        ScenarioLoader::LoadString(doc.dump(), "s.json", "");
    }
    catch (const ScenarioError& e)
    {
        return e.Issues();
    }
    return {};
}

bool
HasError(const std::vector<ScenarioIssue>& issues, const std::string& pointer,
         const std::string& words)
{
    for (const auto& i : issues)
    {
        if (i.pointer == pointer && i.message.find(words) != std::string::npos)
        {
            return true;
        }
    }
    ADD_FAILURE() << "no error at " << pointer << " with \"" << words << "\"; got "
                  << (issues.empty() ? std::string("none") : issues[0].Format("s.json"));
    return false;
}

} // namespace

TEST(FaultLoader, GoodKeysLoad)
{
    json doc = json::parse(kTwoRouters);
    doc["links"][0]["errors"] = {{"loss", 0.01}, {"corrupt", 0.02}};
    doc["traffic"][0]["pattern"] = "poisson";
    doc["traffic"].push_back({{"kind", "udp"},
                              {"from", "h2"},
                              {"to", "h1"},
                              {"rate", "8kbps"},
                              {"payload", "sequence"}});
    doc["events"] = {{{"at", 10}, {"node", "R2"}, {"reload", 20}},
                     {{"at", 50}, {"node", "R1"}, {"power", "off"}}};
    Scenario s = ScenarioLoader::LoadString(doc.dump(), "s.json", "");
    ASSERT_EQ(s.segments.size(), 3u);
    EXPECT_DOUBLE_EQ(s.segments[s.links[0].segment].loss, 0.01);
    EXPECT_DOUBLE_EQ(s.segments[s.links[0].segment].corrupt, 0.02);
    EXPECT_FALSE(s.segments[s.links[1].segment].HasErrors());
    EXPECT_TRUE(s.traffic[0].poisson);
    EXPECT_TRUE(s.traffic[0].sequencePayload);
    EXPECT_FALSE(s.traffic[1].poisson);
    EXPECT_TRUE(s.traffic[1].sequencePayload);
    ASSERT_EQ(s.events.size(), 2u);
    EXPECT_EQ(s.events[0].kind, ScenarioEvent::Kind::POWER);
    EXPECT_EQ(s.events[0].reload, Seconds(20));
    EXPECT_FALSE(s.events[1].up);
    EXPECT_TRUE(s.events[1].reload.IsZero());
}

TEST(FaultLoader, BadValuesAreErrorsWithTheirPointer)
{
    json doc = json::parse(kTwoRouters);
    doc["links"][0]["errors"] = {{"loss", 1.5}, {"corupt", 0.1}};
    doc["links"][1]["errors"] = {{"corrupt", "high"}};
    doc["traffic"][0]["pattern"] = "bursty";
    doc["traffic"].push_back({{"kind", "udp"},
                              {"from", "h2"},
                              {"to", "h1"},
                              {"rate", "8kbps"},
                              {"size", 8},
                              {"payload", "sequence"}});
    doc["events"] = {{{"at", 10}, {"node", "R2"}, {"reload", 55}},
                     {{"at", 10}, {"node", "h1"}, {"power", "off"}},
                     {{"at", 10}, {"node", "R1"}, {"power", "maybe"}},
                     {{"at", 10}, {"node", "R1"}, {"reload", 5}, {"power", "on"}}};
    const auto e = ErrorsOf(doc);
    HasError(e, "/links/0/errors/loss", "from 0 to 1");
    HasError(e, "/links/0/errors/corupt", "did you mean \"corrupt\"");
    HasError(e, "/links/1/errors/corrupt", "from 0 to 1");
    HasError(e, "/traffic/0/pattern", "\"cbr\"");
    HasError(e, "/traffic/1/size", "at least 12");
    HasError(e, "/events/0/reload", "after the end");
    HasError(e, "/events/1/node", "not a router");
    HasError(e, "/events/2/power", "\"off\" or \"on\"");
    HasError(e, "/events/3/power", "give one of them");
}

// ------------------------------------------------------------------------------ a reboot

namespace
{

std::string
SourceDir()
{
    return IPSEC_SOURCE_DIR;
}

} // namespace

TEST(FaultRun, PeerRebootRecoversThroughDpdAndNothingBadIsDelivered)
{
    const std::string file = SourceDir() + "/scenarios/fault-peer-reboot/scenario.json";
    if (!std::filesystem::exists(file))
    {
        GTEST_SKIP() << "no scenario " << file;
    }
    Scenario s = ScenarioLoader::LoadFile(file);
    ScenarioRunner runner(s);
    runner.Build();
    ScenarioRunner::Options o;
    o.outDir = (std::filesystem::temp_directory_path() / "fault-test-reboot").string();
    o.pcaps = false;
    o.report = false;
    o.netanim = false;
    const json r = runner.Run(o);
    // The reload is in the event log, with its boot time.
    double off = -1, boot = -1;
    for (const auto& e : r["events"])
    {
        if (e.contains("reload_s"))
        {
            off = e["at_s"].get<double>();
            boot = e["boot_s"].get<double>();
        }
    }
    ASSERT_GT(off, 0);
    ASSERT_GT(boot, off);
    // The survivor declared the peer dead (DPD), and a new main mode after the boot succeeded.
    bool dead = false, newMain = false;
    for (const auto& x : r["ike"])
    {
        const std::string reason = x.value("reason", "");
        if (x["node"] == "SITE" && reason.find("peer dead") != std::string::npos)
        {
            dead = true;
        }
        if (x["exchange"] == "main" && x["result"] == "ok" && x["start_s"].get<double>() > boot)
        {
            newMain = true;
        }
    }
    EXPECT_TRUE(dead);
    EXPECT_TRUE(newMain);
    // Traffic came back, and the application got nothing damaged and nothing twice.
    const json& f = r["flows"][0];
    EXPECT_GT(f["last_rx_s"].get<double>(), boot + 20);
    EXPECT_EQ(f["payload"]["corrupt"], 0);
    EXPECT_EQ(f["payload"]["duplicate"], 0);
    EXPECT_GT(f["payload"]["intact"].get<uint64_t>(), 0u);
    std::filesystem::remove_all(o.outDir);
}
