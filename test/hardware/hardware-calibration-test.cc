// The calibration anchors reproduced by whole simulations: scenarios run by ScenarioRunner with
// the timed hardware wired into the data plane, measured as a user of ipsec-sim would measure
// them (datagrams arriving at the receiving host in a steady-state window, the routers' reports,
// `show` output, the packets on the wire), and compared with the figures of
// hardware/calibration.json read through IpsecCalibration::Default(). The assertions hold no
// figure of their own (the numbers below describe today's file): change the file and they follow.
//
//  * MOD1700-VPN on a 1750: throughput at its anchor packet size (4 Mbit/s at 1518 bytes),
//    engine-queue-full drops above it, nothing lost below it;
//  * MOD1700-VPN's tunnel limit (100) with 101 manual crypto map entries; a 1750 without the
//    module takes them all in software;
//  * SA-VAM2+ on the NPE it was quoted for: 280 Mbit/s at 1400-byte 3DES-SHA1 packets;
//  * 3620, 3640, 3660: process- and fast-switching rates of plain forwarding;
//  * tunnel ESP sizes on the wire (RFC 2406/4303) against IpsecEspOverhead;
//  * "crypto": "fast" gives the same flows and engine counters as real encryption.
#include "ns3/calibration.h"
#include "ns3/esp-overhead.h"
#include "ns3/ipsec-processor.h"
#include "ns3/scenario-runner.h"
#include "ns3/scenario.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace ns3;
using ipsec::AuthAlgorithm;
using ipsec::CipherAlgorithm;
using nlohmann::json;

namespace
{

/** Bytes an Ethernet frame adds to an IP packet: header 14, FCS 4. */
constexpr uint32_t kEthernetBytes = 18;
/** IPv4 and UDP headers in front of a datagram's payload. */
constexpr uint32_t kIpUdpBytes = 28;
/** IPv4 and ICMP echo headers in front of a ping's data. */
constexpr uint32_t kIpIcmpBytes = 28;

const IpsecCalibration&
Cal()
{
    return IpsecCalibration::Default();
}

/** A numeric figure of the calibration file, by JSON pointer. */
double
Figure(const std::string& pointer)
{
    const IpsecFigure& f = Cal().GetFigure(pointer);
    EXPECT_TRUE(f.isNumber) << pointer;
    return f.number;
}

/** @p n bytes of key material as hex, different for each @p seed. */
std::string
Key(uint32_t n, uint32_t seed)
{
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (uint32_t i = 0; i < n; ++i)
    {
        const uint32_t b = (seed * 97 + i * 29 + 11) & 0xff;
        s += digits[b >> 4];
        s += digits[b & 0xf];
    }
    return s;
}

/** Cipher and authenticator key lengths in bytes of an IOS transform set's ESP part. */
std::pair<uint32_t, uint32_t>
KeyLengths(const std::string& transform)
{
    const uint32_t cipher = transform.find("esp-3des") != std::string::npos  ? 24
                            : transform.find("esp-des") != std::string::npos ? 8
                                                                             : 0;
    const uint32_t auth = transform.find("esp-sha-hmac") != std::string::npos   ? 20
                          : transform.find("esp-md5-hmac") != std::string::npos ? 16
                                                                                : 0;
    return {cipher, auth};
}

/** The hardware, transform and links of a two-site tunnel (see TunnelScenario). */
struct TunnelLab
{
    std::string platform; //!< both routers; empty: untimed
    std::vector<std::string> modules;
    std::string transform = "esp-3des esp-sha-hmac";
    std::string lan = "Ethernet0"; //!< each router's interface to its host
    std::string wan = "Serial0";   //!< the interface between the routers, with the crypto map
    std::string lanRate = "100Mbps";
    std::string wanRate = "45Mbps";
    /** Propagation delay of the Ethernet links. ns-3's CSMA channel is a shared bus that a
     *  frame holds for its transmission plus this delay, so at the scenario default (0.1 ms) a
     *  segment carries fewer than 10,000 frames per second whatever its rate. */
    std::string lanDelay = "0.1ms";
    std::string wanDelay = "1ms"; //!< the WAN link's (an Ethernet WAN is a CSMA bus too)
};

/** `set session-key` lines of the manual entry: SPIs @p in / @p out, keys by SPI. */
std::vector<std::string>
SessionKeys(const std::string& transform, uint32_t in, uint32_t out)
{
    const auto [cipherBytes, authBytes] = KeyLengths(transform);
    auto line = [&](const char* dir, uint32_t spi)
    {
        std::string l = std::string(" set session-key ") + dir + " esp " + std::to_string(spi);
        if (cipherBytes)
        {
            l += " cipher " + Key(cipherBytes, spi);
        }
        if (authBytes)
        {
            l += " authenticator " + Key(authBytes, spi + 1);
        }
        return l;
    };
    return {line("inbound", in), line("outbound", out)};
}

/**
 * h1 (10.0.0.10) - R1 = R2 - h2 (10.2.2.5): R1 and R2 protect 10.0.0.0/24 <-> 10.2.2.0/24
 * with one manually keyed crypto map entry on their WAN interfaces (172.16.0.1/.2). No traffic.
 */
json
TunnelScenario(const TunnelLab& lab)
{
    auto router = [&lab](const std::string& name, const std::string& lanNet,
                         const std::string& peerLanNet, const std::string& wanLocal,
                         const std::string& wanPeer, uint32_t spiIn, uint32_t spiOut)
    {
        std::vector<std::string> c = {
            "hostname " + name,
            "access-list 101 permit ip " + lanNet + ".0 0.0.0.255 " + peerLanNet + ".0 0.0.0.255",
            "crypto ipsec transform-set ts " + lab.transform,
            "crypto map vpn 10 ipsec-manual",
            " match address 101",
            " set transform-set ts",
            " set peer " + wanPeer,
        };
        for (const auto& l : SessionKeys(lab.transform, spiIn, spiOut))
        {
            c.push_back(l);
        }
        for (const std::string& l :
             {"interface " + lab.lan, " ip address " + lanNet + ".1 255.255.255.0",
              "interface " + lab.wan, " ip address " + wanLocal + " 255.255.255.252",
              std::string(" crypto map vpn"),
              "ip route " + peerLanNet + ".0 255.255.255.0 " + wanPeer})
        {
            c.push_back(l);
        }
        json n = {{"name", name}, {"config", c}};
        if (!lab.platform.empty())
        {
            n["platform"] = lab.platform;
            n["modules"] = lab.modules;
        }
        return n;
    };
    json doc;
    doc["name"] = "calibration tunnel";
    doc["seed"] = 1;
    doc["nodes"] = json::array(
        {router("R1", "10.0.0", "10.2.2", "172.16.0.1", "172.16.0.2", 8192, 4096),
         router("R2", "10.2.2", "10.0.0", "172.16.0.2", "172.16.0.1", 4096, 8192),
         {{"name", "h1"}, {"kind", "host"}, {"address", "10.0.0.10/24"}, {"gateway", "10.0.0.1"}},
         {{"name", "h2"}, {"kind", "host"}, {"address", "10.2.2.5/24"}, {"gateway", "10.2.2.1"}}});
    doc["links"] = json::array(
        {{{"a", "R1:" + lab.wan},
          {"b", "R2:" + lab.wan},
          {"rate", lab.wanRate},
          {"delay", lab.wanDelay}},
         {{"a", "h1:eth0"}, {"b", "R1:" + lab.lan}, {"rate", lab.lanRate}, {"delay", lab.lanDelay}},
         {{"a", "h2:eth0"},
          {"b", "R2:" + lab.lan},
          {"rate", lab.lanRate},
          {"delay", lab.lanDelay}}});
    doc["traffic"] = json::array();
    return doc;
}

/**
 * A constant-rate UDP flow of @p pps IP packets of @p ipBytes each (the scenario's rate counts
 * UDP payload bits, as ns-3's OnOffApplication does).
 */
json
Udp(const std::string& from, const std::string& to, double pps, uint32_t ipBytes, double start,
    double stop)
{
    const uint32_t payload = ipBytes - kIpUdpBytes;
    const auto bps = static_cast<uint64_t>(std::llround(pps * payload * 8));
    return {{"kind", "udp"},   {"from", from},   {"to", to},    {"rate", bps},
            {"size", payload}, {"start", start}, {"stop", stop}};
}

/**
 * One ping at 0.5 s, before the measured traffic: ns-3 sends an ARP request after up to 10 ms of
 * jitter (ArpL3Protocol::RequestJitter) and holds only 3 packets meanwhile, so a flow that
 * started with empty ARP caches would lose datagrams to ARP on every Ethernet hop. The ping's
 * request and reply fill the caches along the path (and cross every router once each way).
 */
json
WarmUpPing(const std::string& from, const std::string& to)
{
    return {{"kind", "ping"}, {"from", from}, {"to", to}, {"count", 1}, {"start", 0.5}};
}

/** Packets the warm-up ping puts through each router and each engine: request and reply. */
constexpr uint64_t kWarmUp = 2;

/** The simulated node owning @p address (valid between Build and Run). */
Ptr<Node>
NodeOwning(Ipv4Address address)
{
    for (auto it = NodeList::Begin(); it != NodeList::End(); ++it)
    {
        Ptr<Ipv4> ip = (*it)->GetObject<Ipv4>();
        if (ip && ip->GetInterfaceForAddress(address) >= 0)
        {
            return *it;
        }
    }
    return nullptr;
}

/** Times (s) at which the PacketSinks of the node owning @p address receive datagrams. */
std::shared_ptr<std::vector<double>>
RecordArrivals(Ipv4Address address)
{
    auto times = std::make_shared<std::vector<double>>();
    Ptr<Node> n = NodeOwning(address);
    EXPECT_TRUE(n) << address;
    uint32_t sinks = 0;
    for (uint32_t k = 0; n && k < n->GetNApplications(); ++k)
    {
        if (Ptr<PacketSink> s = DynamicCast<PacketSink>(n->GetApplication(k)))
        {
            s->TraceConnectWithoutContext(
                "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                          [times](Ptr<const Packet>, const Address&)
                          { times->push_back(Simulator::Now().GetSeconds()); }));
            ++sinks;
        }
    }
    EXPECT_GT(sinks, 0u) << "no sink at " << address;
    return times;
}

/** Arrivals per second in [from, to). */
double
RateIn(const std::vector<double>& times, double from, double to)
{
    const auto n =
        std::count_if(times.begin(), times.end(), [&](double t) { return t >= from && t < to; });
    return static_cast<double>(n) / (to - from);
}

uint64_t
Count(const json& object, const std::string& key)
{
    return object.contains(key) ? object[key].get<uint64_t>() : 0;
}

/** Runs scenario documents, each into a fresh temporary output folder removed afterwards. */
class HardwareCalibration : public ::testing::Test
{
protected:
    std::string out;

    void SetUp() override
    {
        out = (std::filesystem::temp_directory_path() /
               ("hardware-calibration-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
        std::filesystem::remove_all(out);
    }

    void TearDown() override
    {
        Simulator::Destroy();
        std::filesystem::remove_all(out);
    }

    /**
     * Load, build and run @p doc; @p afterBuild runs between Build and Run (to connect traces).
     * @return results.json
     */
    json Run(const json& doc, const std::function<void()>& afterBuild = nullptr)
    {
        std::filesystem::remove_all(out);
        ScenarioRunner runner(ScenarioLoader::LoadString(doc.dump(2), "scenario.json", out));
        runner.Build();
        if (afterBuild)
        {
            afterBuild();
        }
        ScenarioRunner::Options o;
        o.outDir = out;
        return runner.Run(o);
    }

    std::string ReadOutput(const std::string& name) const
    {
        std::ifstream in(out + "/" + name, std::ios::binary);
        std::ostringstream os;
        os << in.rdbuf();
        return os.str();
    }
};

// --- MOD1700-VPN: throughput -------------------------------------------------------------------

TEST_F(HardwareCalibration, VpnModuleOn1750CarriesItsAnchorRateAndDropsAbove)
{
    const std::string card = "/cards/MOD1700-VPN";
    const double anchorMbps = Figure(card + "/throughput/mbps");
    // The anchor is quoted for 1518-byte packets: Ethernet frames of 1500-byte IP packets
    // (UDP payload 1472).
    const auto frameBytes = static_cast<uint32_t>(Figure(card + "/throughput/packetBytes"));
    const uint32_t ipBytes = frameBytes - kEthernetBytes;
    const double anchorPps = anchorMbps * 1e6 / (frameBytes * 8.0);

    TunnelLab lab;
    lab.platform = "1750";
    lab.modules = {"MOD1700-VPN"};
    lab.transform = "esp-3des esp-sha-hmac"; // DES and 3DES alike on the card
    // Traffic from 1 s to 4 s, measured from 1.5 s to 3.5 s at h2; the last second lets the
    // card's queue drain, so that every datagram is either received or dropped.
    const double start = 1.0, stop = 4.0, from = 1.5, to = 3.5;

    // Twice the anchor: the card is the bottleneck.
    {
        json doc = TunnelScenario(lab);
        // Fast crypto: packets of their real sizes, nothing encrypted, the same timing
        // (FastCryptoEqualsRealCrypto).
        doc["crypto"] = "fast";
        doc["duration"] = 5;
        doc["traffic"].push_back(Udp("h1", "10.2.2.5", 2 * anchorPps, ipBytes, start, stop));
        doc["traffic"].push_back(WarmUpPing("h1", "10.2.2.5"));
        std::shared_ptr<std::vector<double>> rx;
        json r = Run(doc, [&rx]() { rx = RecordArrivals(Ipv4Address("10.2.2.5")); });

        const double mbps = RateIn(*rx, from, to) * frameBytes * 8 / 1e6;
        EXPECT_NEAR(mbps, anchorMbps, 0.05 * anchorMbps)
            << "delivered " << mbps << " Mbit/s of " << frameBytes << "-byte frames";
        const json& f = r["flows"][0];
        const json& r1 = r["nodes"]["R1"]["report"];
        const json& r2 = r["nodes"]["R2"]["report"];
        const uint64_t sent = f["sent"], received = f["received"];
        const uint64_t full = Count(r1["drops"], "engine-queue-full");
        EXPECT_GT(full, sent / 4) << r1["drops"].dump(); // about half is offered in excess
        EXPECT_EQ(received + full, sent) << f.dump() << r1["drops"].dump();
        EXPECT_TRUE(r2["drops"].empty()) << r2["drops"].dump();
        // The cards did the crypto: R1's protected what was not refused, R2's unprotected it.
        const json& c1 = r1["hardware"]["cards"][0];
        const json& c2 = r2["hardware"]["cards"][0];
        EXPECT_EQ(c1["card"], "MOD1700-VPN");
        EXPECT_EQ(c1["tunnels"], 1);
        EXPECT_EQ(Count(c1["refused"], "queue-full"), full);
        EXPECT_EQ(c1["completed"].get<uint64_t>(), received + kWarmUp);
        EXPECT_EQ(c2["completed"].get<uint64_t>(), received + kWarmUp);
        // R1's CPU only switched them (every datagram, refused or not, was switched first).
        EXPECT_EQ(r1["hardware"]["cpu"]["completed"].get<uint64_t>(),
                  r1["hardware"]["forwarded"].get<uint64_t>());
        EXPECT_EQ(r1["hardware"]["forwarded"].get<uint64_t>(), sent + kWarmUp);
        EXPECT_EQ(r1["hardware"]["input_queue_drops"], 0);
        EXPECT_GT(c1["utilisation"].get<double>(), 0.5);
    }

    // Half the anchor: nothing is lost and what is offered arrives.
    {
        json doc = TunnelScenario(lab);
        doc["crypto"] = "fast";
        doc["duration"] = 5;
        doc["traffic"].push_back(Udp("h1", "10.2.2.5", anchorPps / 2, ipBytes, start, stop));
        doc["traffic"].push_back(WarmUpPing("h1", "10.2.2.5"));
        std::shared_ptr<std::vector<double>> rx;
        json r = Run(doc, [&rx]() { rx = RecordArrivals(Ipv4Address("10.2.2.5")); });

        const json& f = r["flows"][0];
        EXPECT_GT(f["sent"].get<uint64_t>(), 0u);
        EXPECT_EQ(f["received"], f["sent"]) << f.dump();
        EXPECT_EQ(f["lost"], 0) << f.dump();
        EXPECT_NEAR(RateIn(*rx, from, to), anchorPps / 2, 0.01 * anchorPps / 2);
        for (const char* router : {"R1", "R2"})
        {
            const json& rep = r["nodes"][router]["report"];
            EXPECT_TRUE(rep["drops"].empty()) << router << ": " << rep["drops"].dump();
            EXPECT_TRUE(rep["hardware"]["cards"][0]["refused"].empty()) << router;
            EXPECT_EQ(rep["hardware"]["cards"][0]["completed"].get<uint64_t>(),
                      f["sent"].get<uint64_t>() + kWarmUp)
                << router;
        }
    }
}

// --- MOD1700-VPN: tunnel limit -----------------------------------------------------------------

/**
 * R1 with one crypto map of @p entries manual entries (seq 1..N, access list 2000+seq, the
 * destination 10.100.seq.0/24, SPIs by seq, all to peer R2) and a `show crypto engine
 * configuration` at 0.5 s.
 */
json
ManyTunnelsScenario(uint32_t entries, const std::string& platform,
                    const std::vector<std::string>& modules)
{
    const std::string transform = "esp-3des esp-sha-hmac";
    std::vector<std::string> c = {"hostname R1", "crypto ipsec transform-set ts " + transform};
    for (uint32_t seq = 1; seq <= entries; ++seq)
    {
        const std::string acl = std::to_string(2000 + seq);
        c.push_back("access-list " + acl + " permit ip 10.0.0.0 0.0.0.255 10.100." +
                    std::to_string(seq) + ".0 0.0.0.255");
        c.push_back("crypto map vpn " + std::to_string(seq) + " ipsec-manual");
        c.push_back(" match address " + acl);
        c.push_back(" set transform-set ts");
        c.push_back(" set peer 172.16.0.2");
        for (const auto& l : SessionKeys(transform, 0x10000 + seq, 0x20000 + seq))
        {
            c.push_back(l);
        }
    }
    for (const char* l :
         {"interface Ethernet0", " ip address 10.0.0.1 255.255.255.0", "interface Serial0",
          " ip address 172.16.0.1 255.255.255.252", " crypto map vpn"})
    {
        c.push_back(l);
    }
    json r1 = {{"name", "R1"}, {"config", c}, {"platform", platform}, {"modules", modules}};
    json doc;
    doc["name"] = "tunnel limit";
    doc["duration"] = 1;
    doc["nodes"] = json::array(
        {r1,
         {{"name", "R2"},
          {"config", json::array({"hostname R2", "interface Serial0",
                                  " ip address 172.16.0.2 255.255.255.252"})}},
         {{"name", "h1"}, {"kind", "host"}, {"address", "10.0.0.10/24"}, {"gateway", "10.0.0.1"}}});
    doc["links"] = json::array(
        {{{"a", "R1:Serial0"}, {"b", "R2:Serial0"}}, {{"a", "h1:eth0"}, {"b", "R1:Ethernet0"}}});
    doc["events"] =
        json::array({{{"at", 0.5}, {"node", "R1"}, {"exec", "show simulation crypto engine"}}});
    return doc;
}

/** SAs in @p report of crypto map entry @p seq. */
size_t
SasOf(const json& report, uint32_t seq)
{
    return std::count_if(report["sas"].begin(), report["sas"].end(),
                         [seq](const json& sa) { return sa["seq"] == seq; });
}

TEST_F(HardwareCalibration, VpnModuleTakesItsTunnelLimitAndRefusesTheNext)
{
    const auto limit = static_cast<uint32_t>(Figure("/cards/MOD1700-VPN/maxTunnels"));
    ASSERT_EQ(Cal().GetCard("MOD1700-VPN").overLimit, IpsecOverLimitPolicy::REFUSE);
    ASSERT_LT(limit, 2000u); // the entries' numbering

    json r = Run(ManyTunnelsScenario(limit + 1, "1750", {"MOD1700-VPN"}));
    const json& rep = r["nodes"]["R1"]["report"];
    const json& hw = rep["hardware"];
    ASSERT_EQ(hw["cards"].size(), 1u) << hw.dump();
    EXPECT_EQ(hw["cards"][0]["tunnels"].get<uint32_t>(), limit);
    EXPECT_EQ(hw["cards"][0]["max_tunnels"].get<uint32_t>(), limit);
    ASSERT_EQ(hw["refused_sa_sets"].size(), 1u) << hw["refused_sa_sets"].dump();
    const std::string refused = hw["refused_sa_sets"][0];
    EXPECT_EQ(refused.find("crypto map vpn " + std::to_string(limit + 1) + ":"), 0u) << refused;
    // The refused entry has no SAs; the others have their pair.
    EXPECT_EQ(SasOf(rep, limit + 1), 0u);
    EXPECT_EQ(SasOf(rep, 1), 2u);
    EXPECT_EQ(SasOf(rep, limit), 2u);
    EXPECT_EQ(rep["sas"].size(), 2u * limit);

    const std::string show = ReadOutput("show/R1.txt");
    const std::string tunnels =
        "tunnels:  " + std::to_string(limit) + " of " + std::to_string(limit);
    EXPECT_NE(show.find(tunnels), std::string::npos) << show;
}

TEST_F(HardwareCalibration, A1750WithoutTheModuleTakesEveryTunnelInSoftware)
{
    const auto limit = static_cast<uint32_t>(Figure("/cards/MOD1700-VPN/maxTunnels"));
    json r = Run(ManyTunnelsScenario(limit + 1, "1750", {}));
    const json& rep = r["nodes"]["R1"]["report"];
    EXPECT_EQ(rep["hardware"]["platform"], "1750");
    EXPECT_TRUE(rep["hardware"]["cards"].empty());
    EXPECT_TRUE(rep["hardware"]["refused_sa_sets"].empty()) << rep["hardware"].dump();
    EXPECT_EQ(rep["sas"].size(), 2u * (limit + 1));
    EXPECT_EQ(SasOf(rep, limit + 1), 2u);
    const std::string show = ReadOutput("show/R1.txt");
    EXPECT_NE(show.find("engine software (software)\n"), std::string::npos) << show;
    EXPECT_EQ(show.find("(hardware, slot"), std::string::npos) << show;
}

// --- SA-VAM2+ ----------------------------------------------------------------------------------

TEST_F(HardwareCalibration, Vam2PlusCarriesItsAnchorRate)
{
    const std::string card = "/cards/SA-VAM2+";
    const double anchorMbps = Figure(card + "/throughput/mbps");
    // The anchor counts 1400-byte packets handed to the card: IP packets of 1400 bytes.
    const auto ipBytes = static_cast<uint32_t>(Figure(card + "/throughput/packetBytes"));
    const double anchorPps = anchorMbps * 1e6 / (ipBytes * 8.0);
    // The calibration quotes the figure for an NPE-G1 (the card's platform list says so).
    const std::string platform = "7200-NPE-G1";
    const IpsecFigure& fits = Cal().GetFigure(card + "/platforms");
    ASSERT_NE(fits.valueText.find(platform), std::string::npos) << fits.valueText;
    ASSERT_NE(fits.reasoning.find("NPE-G1"), std::string::npos) << fits.reasoning;

    TunnelLab lab;
    lab.platform = platform;
    lab.modules = {"SA-VAM2+"};
    lab.transform = "esp-3des esp-sha-hmac"; // the anchor's 3DES-HMAC-SHA1
    lab.lan = "GigabitEthernet0/1";
    lab.wan = "GigabitEthernet0/2";
    lab.lanRate = lab.wanRate = "1Gbps";
    lab.lanDelay = lab.wanDelay = "1us"; // a CSMA bus must not limit the packet rate
    json doc = TunnelScenario(lab);
    // Fast crypto (timing and sizes of the real run) keeps 19,000 datagrams quick.
    doc["crypto"] = "fast";
    doc["duration"] = 1.6;
    const double start = 1.0, stop = 1.5, from = 1.1, to = 1.5;
    doc["traffic"].push_back(Udp("h1", "10.2.2.5", 1.5 * anchorPps, ipBytes, start, stop));
    doc["traffic"].push_back(WarmUpPing("h1", "10.2.2.5"));
    std::shared_ptr<std::vector<double>> rx;
    json r = Run(doc, [&rx]() { rx = RecordArrivals(Ipv4Address("10.2.2.5")); });

    const double mbps = RateIn(*rx, from, to) * ipBytes * 8 / 1e6;
    EXPECT_NEAR(mbps, anchorMbps, 0.05 * anchorMbps)
        << "delivered " << mbps << " Mbit/s of " << ipBytes << "-byte packets";
    const json& f = r["flows"][0];
    const json& r1 = r["nodes"]["R1"]["report"];
    const uint64_t full = Count(r1["drops"], "engine-queue-full");
    EXPECT_GT(full, 0u);
    EXPECT_EQ(f["received"].get<uint64_t>() + full, f["sent"].get<uint64_t>()) << f.dump();
    EXPECT_EQ(r1["hardware"]["cards"][0]["card"], "SA-VAM2+");
    EXPECT_EQ(r1["hardware"]["cards"][0]["completed"].get<uint64_t>(),
              f["received"].get<uint64_t>() + kWarmUp);
    EXPECT_TRUE(r["nodes"]["R2"]["report"]["drops"].empty());
}

// --- 3600 series switching rates ---------------------------------------------------------------

/**
 * h1 - R1 - h2 on gigabit Ethernet with 1 us of cable (so that the CSMA buses do not limit the
 * packet rate; see TunnelLab::lanDelay), R1 a @p platform switching by process or fast
 * switching, no crypto map.
 */
json
ForwardingScenario(const std::string& platform, bool process)
{
    std::vector<std::string> c = {"hostname R1"};
    for (const auto& [ifName, net] :
         {std::pair<std::string, std::string>{"FastEthernet0/0", "10.0.0"},
          {"FastEthernet0/1", "10.2.2"}})
    {
        c.push_back("interface " + ifName);
        c.push_back(" ip address " + net + ".1 255.255.255.0");
        if (process)
        {
            c.push_back(" no ip route-cache");
        }
    }
    json doc;
    doc["name"] = "switching " + platform;
    doc["nodes"] = json::array(
        {{{"name", "R1"}, {"config", c}, {"platform", platform}},
         {{"name", "h1"}, {"kind", "host"}, {"address", "10.0.0.10/24"}, {"gateway", "10.0.0.1"}},
         {{"name", "h2"}, {"kind", "host"}, {"address", "10.2.2.5/24"}, {"gateway", "10.2.2.1"}}});
    doc["links"] = json::array(
        {{{"a", "h1:eth0"}, {"b", "R1:FastEthernet0/0"}, {"rate", "1Gbps"}, {"delay", "1us"}},
         {{"a", "h2:eth0"}, {"b", "R1:FastEthernet0/1"}, {"rate", "1Gbps"}, {"delay", "1us"}}});
    return doc;
}

TEST_F(HardwareCalibration, Series3600SwitchingRates)
{
    // The calibration's switching figures are rates of 64-byte packets.
    const uint32_t ipBytes = 64;
    for (const std::string platform : {"3620", "3640", "3660"})
    {
        for (const bool process : {true, false})
        {
            const std::string pointer =
                "/platforms/" + platform + "/switchingPps/" + (process ? "process" : "fast");
            SCOPED_TRACE(pointer);
            const IpsecFigure& fig = Cal().GetFigure(pointer);
            const double pps = fig.number;
            // At least 4,000 packets in the window, and 0.1 s.
            const double start = 1.0, from = 1.05, to = from + std::max(0.1, 4000 / pps);
            json doc = ForwardingScenario(platform, process);
            doc["duration"] = to + 0.05;
            doc["traffic"] = json::array(
                {Udp("h1", "10.2.2.5", 1.5 * pps, ipBytes, start, to), WarmUpPing("h1", "h2")});
            std::shared_ptr<std::vector<double>> rx;
            json r = Run(doc, [&rx]() { rx = RecordArrivals(Ipv4Address("10.2.2.5")); });

            const double measured = RateIn(*rx, from, to);
            EXPECT_NEAR(measured, pps, 0.05 * pps);
            if (fig.hasRange)
            {
                EXPECT_GE(measured, fig.rangeLow);
                EXPECT_LE(measured, fig.rangeHigh);
            }
            const json& hw = r["nodes"]["R1"]["report"]["hardware"];
            const json& f = r["flows"][0];
            EXPECT_EQ(hw["platform"], platform);
            EXPECT_GT(hw["input_queue_drops"].get<uint64_t>(), 0u) << hw.dump();
            EXPECT_EQ(hw["forwarded"].get<uint64_t>() + hw["input_queue_drops"].get<uint64_t>(),
                      f["sent"].get<uint64_t>() + kWarmUp)
                << hw.dump() << f.dump();
            EXPECT_EQ(hw["forwarded"].get<uint64_t>(), f["received"].get<uint64_t>() + kWarmUp)
                << f.dump();
            EXPECT_EQ(r["flows"][1]["received"], 1);
        }
    }
}

// --- ESP sizes on the wire ---------------------------------------------------------------------

/** ESP packets (IP total length) sent by @p src in a pcap of a serial link (PPP), in order. */
std::vector<uint32_t>
EspLengthsInPcap(const std::string& file, Ipv4Address src)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<uint32_t> lengths;
    if (b.size() < 24)
    {
        ADD_FAILURE() << "no capture " << file;
        return lengths;
    }
    auto u32 = [&b](size_t at, bool swap)
    {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
        {
            v |= uint32_t(b[at + i]) << (swap ? 8 * (3 - i) : 8 * i);
        }
        return v;
    };
    const bool swap = u32(0, false) != 0xa1b2c3d4;
    EXPECT_EQ(u32(0, swap), 0xa1b2c3d4u);
    EXPECT_EQ(u32(20, swap), 9u); // LINKTYPE_PPP
    uint8_t s[4];
    src.Serialize(s);
    for (size_t at = 24; at + 16 <= b.size();)
    {
        const uint32_t caplen = u32(at + 8, swap);
        const size_t p = at + 16; // PPP protocol (2 bytes), then IPv4
        at = p + caplen;
        if (at > b.size() || caplen < 22 || b[p] != 0x00 || b[p + 1] != 0x21)
        {
            continue;
        }
        const uint8_t* ip = &b[p + 2];
        if (ip[9] == 50 && std::equal(s, s + 4, ip + 12))
        {
            lengths.push_back(uint32_t(ip[2]) << 8 | ip[3]);
        }
    }
    return lengths;
}

TEST_F(HardwareCalibration, TunnelEspSizeIsInnerPlus50PlusPadding)
{
    struct Transform
    {
        std::string ios;
        CipherAlgorithm cipher;
        AuthAlgorithm auth;
    };
    const std::vector<Transform> transforms = {
        {"esp-des esp-md5-hmac", CipherAlgorithm::DES_CBC, AuthAlgorithm::HMAC_MD5_96},
        {"esp-des esp-sha-hmac", CipherAlgorithm::DES_CBC, AuthAlgorithm::HMAC_SHA1_96},
        {"esp-3des esp-md5-hmac", CipherAlgorithm::TDES_CBC, AuthAlgorithm::HMAC_MD5_96},
        {"esp-3des esp-sha-hmac", CipherAlgorithm::TDES_CBC, AuthAlgorithm::HMAC_SHA1_96},
    };
    // One ping per inner size, every residue mod 8 twice; real encryption.
    const uint32_t firstInner = 100, sizes = 16;
    const double start = 1.0, step = 0.05;
    for (const auto& t : transforms)
    {
        SCOPED_TRACE(t.ios);
        TunnelLab lab;
        lab.platform = "1750";
        lab.modules = {"MOD1700-VPN"};
        lab.transform = t.ios;
        json doc = TunnelScenario(lab);
        doc["duration"] = start + sizes * step + 0.5;
        for (uint32_t k = 0; k < sizes; ++k)
        {
            doc["traffic"].push_back({{"kind", "ping"},
                                      {"from", "h1"},
                                      {"to", "10.2.2.5"},
                                      {"count", 1},
                                      {"size", firstInner + k - kIpIcmpBytes},
                                      {"start", start + k * step}});
        }
        struct Sent
        {
            double at;
            uint32_t wire; //!< outer IP header + ESP
            uint32_t spi;
        };
        auto sent = std::make_shared<std::vector<Sent>>();
        json r =
            Run(doc,
                [sent]()
                {
                    Ptr<Node> r1 = NodeOwning(Ipv4Address("172.16.0.1"));
                    ASSERT_TRUE(r1);
                    r1->GetObject<IpsecProcessor>()->TraceConnectWithoutContext(
                        "Encapsulate",
                        Callback<void, Ptr<const Packet>, const Ipv4Header&>(
                            [sent](Ptr<const Packet> p, const Ipv4Header& outer)
                            {
                                uint8_t spi[4] = {};
                                p->CopyData(spi, 4);
                                sent->push_back({Simulator::Now().GetSeconds(),
                                                 outer.GetSerializedSize() + p->GetSize(),
                                                 uint32_t(spi[0]) << 24 | uint32_t(spi[1]) << 16 |
                                                     uint32_t(spi[2]) << 8 | spi[3]});
                            }));
                });

        ASSERT_EQ(sent->size(), sizes);
        std::set<uint32_t> pads;
        std::vector<uint32_t> wire;
        for (const Sent& s : *sent)
        {
            const auto k = static_cast<uint32_t>((s.at - start) / step);
            ASSERT_LT(k, sizes);
            const uint32_t inner = firstInner + k;
            // RFC 2406/4303: inner + pad + pad length + next header fill 8-byte blocks.
            const uint32_t pad = (8 - (inner + 2) % 8) % 8;
            pads.insert(pad);
            // Outer IP 20 + SPI 4 + sequence 4 + IV 8 + inner + pad + 2 + ICV 12.
            EXPECT_EQ(s.wire, inner + 50 + pad) << "inner " << inner;
            EXPECT_EQ(s.wire, inner + IpsecEspOverhead(t.cipher, t.auth, inner, true))
                << "inner " << inner;
            EXPECT_EQ(IpsecEspPadLength(t.cipher, inner), pad) << "inner " << inner;
            EXPECT_EQ(s.spi, 4096u); // R1's outbound SPI
            wire.push_back(s.wire);
        }
        EXPECT_EQ(pads.size(), 8u);
        // What the trace saw is what the line carried.
        EXPECT_EQ(EspLengthsInPcap(out + "/R1_Serial0.pcap", Ipv4Address("172.16.0.1")), wire);
        // And it decrypted at R2 (and the replies at R1).
        for (const auto& f : r["flows"])
        {
            EXPECT_EQ(f["received"], 1) << f.dump();
        }
    }
}

// --- fast crypto -------------------------------------------------------------------------------

TEST_F(HardwareCalibration, FastCryptoEqualsRealCrypto)
{
    const std::string card = "/cards/MOD1700-VPN";
    const auto frameBytes = static_cast<uint32_t>(Figure(card + "/throughput/packetBytes"));
    const double anchorPps = Figure(card + "/throughput/mbps") * 1e6 / (frameBytes * 8.0);
    TunnelLab lab;
    lab.platform = "1750";
    lab.modules = {"MOD1700-VPN"};
    json doc = TunnelScenario(lab);
    doc["duration"] = 3;
    doc["seed"] = 7;
    // Above the knee one way, a little back, and pings through the full queue.
    doc["traffic"] =
        json::array({Udp("h1", "10.2.2.5", 1.5 * anchorPps, frameBytes - kEthernetBytes, 1.0, 2.5),
                     Udp("h2", "10.0.0.10", 20, 540, 1.2, 2.5),
                     {{"kind", "ping"},
                      {"from", "h1"},
                      {"to", "10.2.2.5"},
                      {"count", 5},
                      {"interval", 0.25},
                      {"start", 1.1}}});
    doc["crypto"] = "real";
    const json real = Run(doc);
    doc["crypto"] = "fast";
    const json fast = Run(doc);

    EXPECT_EQ(real["scenario"]["crypto"], "real");
    EXPECT_EQ(fast["scenario"]["crypto"], "fast");
    EXPECT_GT(Count(real["nodes"]["R1"]["report"]["drops"], "engine-queue-full"), 0u);
    EXPECT_GT(real["flows"][2]["received"].get<uint64_t>(), 0u);
    EXPECT_EQ(fast["flows"], real["flows"]);
    for (const char* router : {"R1", "R2"})
    {
        const json& a = real["nodes"][router]["report"];
        const json& b = fast["nodes"][router]["report"];
        EXPECT_EQ(b["hardware"], a["hardware"]) << router;
        EXPECT_EQ(b["drops"], a["drops"]) << router;
        EXPECT_EQ(b["encapsulated"], a["encapsulated"]) << router;
        EXPECT_EQ(b["decapsulated"], a["decapsulated"]) << router;
    }
}

} // namespace
