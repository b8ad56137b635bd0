// Two hosts behind two routers joined by a serial (point-to-point) link; traffic between the
// hosts' LANs is protected by manually keyed IPsec SAs on the routers' serial interfaces (the
// spec's ipsec-manual crypto map entries).
//
//   H1 10.1.1.10 --- 10.1.1.11 R1 172.16.0.1 ==serial== 172.16.0.2 R2 10.2.2.10 --- 10.2.2.11 H2
//
// Each transform set given on the command line protects its own UDP flow (one crypto map entry
// per flow, as IOS needs one manual entry per permit). Writes into --out: one pcap per link end,
// esp_sa.uat (one tshark `-o uat:esp_sa:` row per ESP SA) and results.json.
//
//   ipsec-two-routers --out=out --transforms="esp-3des esp-sha-hmac;ah-sha-hmac esp-aes 256"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-random.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

using namespace ns3;

namespace
{
std::vector<std::string>
Split(const std::string& s, char sep)
{
    std::vector<std::string> out;
    std::string cur;
    for (char c : s)
    {
        if (c == sep)
        {
            out.push_back(cur);
            cur.clear();
        }
        else
        {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

uint32_t
InterfaceOf(Ptr<Node> n, Ipv4Address a)
{
    return static_cast<uint32_t>(n->GetObject<Ipv4>()->GetInterfaceForAddress(a));
}

/** The command line's values. */
struct Options
{
    std::string out = "out";
    std::string transforms = "esp-3des esp-sha-hmac";
    std::string mode = "tunnel";
    uint32_t packets = 20;
    uint32_t size = 512;
    double interval = 0.1;
    uint32_t replayWindow = 0;
    std::string serialRate = "2Mbps";

    bool Transport() const
    {
        return mode == "transport";
    }
};

/** Takes a command-line value whole: ns-3 would stop a std::string value at the first space. */
bool
StoreWhole(std::string* to, std::string value)
{
    *to = value;
    return true;
}

Options
ParseOptions(int argc, char* argv[])
{
    Options o;
    CommandLine cmd(__FILE__);
    cmd.AddValue("out", "Directory for pcaps, esp_sa.uat and results.json", o.out);
    cmd.AddValue("transforms",
                 "IOS transform sets, ';' between sets; each set protects its own flow",
                 MakeBoundCallback(&StoreWhole, &o.transforms));
    cmd.AddValue("mode", "tunnel, or transport (then the flow runs between the routers)", o.mode);
    cmd.AddValue("packets", "UDP echo requests per flow", o.packets);
    cmd.AddValue("size", "UDP payload bytes", o.size);
    cmd.AddValue("interval", "Seconds between requests", o.interval);
    cmd.AddValue("replayWindow", "Anti-replay window of the SAs (0: off, as IOS for manual SAs)",
                 o.replayWindow);
    cmd.AddValue("serialRate", "Data rate of the serial link", o.serialRate);
    cmd.Parse(argc, argv);
    return o;
}

/** The transform sets of --transforms, in --mode. @return nullopt (after a message) if one
 *  cannot be read */
std::optional<std::vector<IpsecTransformSet>>
ParseTransformSets(const Options& o)
{
    std::vector<IpsecTransformSet> sets;
    for (const auto& text : Split(o.transforms, ';'))
    {
        try
        {
            IpsecTransformSet ts = IpsecTransformSet::Parse(text);
            ts.mode = o.Transport() ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
            ts.name = "ts" + std::to_string(sets.size() + 1);
            sets.push_back(ts);
        }
        catch (const TransformSetError& e)
        {
            std::cerr << "error: transform set '" << text << "': " << e.what() << "\n";
            return std::nullopt;
        }
    }
    return sets;
}

/** H1 - R1 = R2 - H2, addressed. */
struct Network
{
    NodeContainer hosts;
    NodeContainer routers;
    Ptr<Node> h1, h2, r1, r2;
    PointToPointHelper lan;
    PointToPointHelper serial;
    Ipv4Address r1Serial, r2Serial, h1Addr, h2Addr;
};

void
BuildNetwork(const Options& o, Network& net)
{
    net.hosts.Create(2);
    net.routers.Create(2);
    net.h1 = net.hosts.Get(0);
    net.h2 = net.hosts.Get(1);
    net.r1 = net.routers.Get(0);
    net.r2 = net.routers.Get(1);
    Names::Add("H1", net.h1);
    Names::Add("H2", net.h2);
    Names::Add("R1", net.r1);
    Names::Add("R2", net.r2);

    net.lan.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    net.lan.SetChannelAttribute("Delay", StringValue("100us"));
    net.serial.SetDeviceAttribute("DataRate", StringValue(o.serialRate));
    net.serial.SetChannelAttribute("Delay", StringValue("2ms"));
    NetDeviceContainer d1 = net.lan.Install(net.h1, net.r1);
    NetDeviceContainer ds = net.serial.Install(net.r1, net.r2);
    NetDeviceContainer d2 = net.lan.Install(net.r2, net.h2);

    InternetStackHelper().Install(net.hosts);
    IpsecStackHelper().Install(net.routers);
    Ipv4AddressHelper addr;
    addr.SetBase("10.1.1.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer i1 = addr.Assign(d1); // H1 10.1.1.10, R1 10.1.1.11
    addr.SetBase("172.16.0.0", "255.255.255.252");
    Ipv4InterfaceContainer is = addr.Assign(ds);
    addr.SetBase("10.2.2.0", "255.255.255.0", "0.0.0.10");
    Ipv4InterfaceContainer i2 = addr.Assign(d2);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    net.r1Serial = is.GetAddress(0);
    net.r2Serial = is.GetAddress(1);
    net.h1Addr = i1.GetAddress(0);
    net.h2Addr = i2.GetAddress(1); // 10.2.2.11
}

/** Crypto maps: one ipsec-manual entry per flow on each router's serial interface. */
void
InstallCryptoMaps(const Options& o, const Network& net, const std::vector<IpsecTransformSet>& sets)
{
    auto keysRng = IpsecRandom::Stream("example/manual-keys");
    Ptr<IpsecSpd> map1 = CreateObject<IpsecSpd>();
    Ptr<IpsecSpd> map2 = CreateObject<IpsecSpd>();
    IpsecHelper::ApplyCryptoMap(net.r1, InterfaceOf(net.r1, net.r1Serial), map1);
    IpsecHelper::ApplyCryptoMap(net.r2, InterfaceOf(net.r2, net.r2Serial), map2);
    for (size_t i = 0; i < sets.size(); ++i)
    {
        const uint16_t port = static_cast<uint16_t>(5001 + i);
        IpsecTrafficSelector sel =
            o.Transport()
                ? IpsecTrafficSelector::Hosts(net.r1Serial, net.r2Serial, 17)
                : IpsecTrafficSelector::Subnets(net.h1Addr, Ipv4Mask("255.255.255.0"), net.h2Addr,
                                                Ipv4Mask("255.255.255.0"), 17);
        // Requests go to the port; the mirror image at the other router covers the replies.
        sel.dstPort = IpsecPortMatch::Eq(port);
        IpsecManualKeys k12 = IpsecHelper::RandomKeys(sets[i], *keysRng, 0x1000 + 0x10 * i);
        IpsecManualKeys k21 = IpsecHelper::RandomKeys(sets[i], *keysRng, 0x2000 + 0x10 * i);
        for (int side = 0; side < 2; ++side)
        {
            Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
            e->mapName = "toRemoteSite";
            e->seq = static_cast<uint32_t>(10 * (i + 1));
            e->keying = IpsecKeying::MANUAL;
            e->mode = sets[i].mode;
            const IpsecTrafficSelector mine = side == 0 ? sel : sel.Mirror();
            e->AddRule(true, mine); // ipsec-manual: a single permit
            Ptr<Node> r = side == 0 ? net.r1 : net.r2;
            const Ipv4Address local = side == 0 ? net.r1Serial : net.r2Serial;
            const Ipv4Address peer = side == 0 ? net.r2Serial : net.r1Serial;
            e->peers.push_back(peer);
            Ptr<IpsecSaBundle> b =
                IpsecHelper::MakeManualBundle(sets[i], local, peer, mine, side == 0 ? k21 : k12,
                                              side == 0 ? k12 : k21, o.replayWindow);
            (side == 0 ? map1 : map2)->AddEntry(e);
            r->GetObject<IpsecProcessor>()->InstallBundle(e, b);
        }
    }
}

/** Counts a reply (the echo client's Rx trace). */
void
CountReply(uint64_t* replies, Ptr<const Packet>)
{
    ++*replies;
}

/** A UDP echo flow per transform set; @p echoed counts each flow's replies. */
void
InstallTraffic(const Options& o, const Network& net, size_t flows, std::vector<uint64_t>& echoed)
{
    ApplicationContainer apps;
    for (size_t i = 0; i < flows; ++i)
    {
        const uint16_t port = static_cast<uint16_t>(5001 + i);
        Ptr<Node> server = o.Transport() ? net.r2 : net.h2;
        Ptr<Node> client = o.Transport() ? net.r1 : net.h1;
        Ipv4Address serverAddr = o.Transport() ? net.r2Serial : net.h2Addr;
        UdpEchoServerHelper srv(port);
        apps.Add(srv.Install(server));
        UdpEchoClientHelper cli(serverAddr, port);
        cli.SetAttribute("MaxPackets", UintegerValue(o.packets));
        cli.SetAttribute("Interval", TimeValue(Seconds(o.interval)));
        cli.SetAttribute("PacketSize", UintegerValue(o.size));
        ApplicationContainer c = cli.Install(client);
        c.Start(Seconds(1.0 + 0.01 * i));
        apps.Add(c);
    }
    apps.Stop(Seconds(2.0 + o.packets * o.interval));
    for (size_t i = 0; i < flows; ++i)
    {
        Ptr<Application> c = apps.Get(2 * i + 1);
        c->TraceConnectWithoutContext("Rx", MakeBoundCallback(&CountReply, &echoed[i]));
    }
}

/** A router's counters and SAs for results.json. */
nlohmann::json
RouterJson(Ptr<Node> r)
{
    Ptr<IpsecProcessor> p = r->GetObject<IpsecProcessor>();
    nlohmann::json rj;
    rj["encapsulated"] = p->GetEncapsulated();
    rj["decapsulated"] = p->GetDecapsulated();
    for (size_t k = 0; k < kIpsecDropReasonCount; ++k)
    {
        auto reason = static_cast<IpsecDropReason>(k);
        if (p->GetDrops().Get(reason))
        {
            rj["drops"][ToString(reason)] = p->GetDrops().Get(reason);
        }
    }
    for (const auto& sa : p->GetSad()->GetAll())
    {
        char spi[16];
        std::snprintf(spi, sizeof(spi), "0x%08x", sa->GetSpi());
        rj["sas"].push_back(
            {{"protocol", ToString(sa->GetProtocol())},
             {"direction", sa->GetDirection() == IpsecDirection::INBOUND ? "inbound" : "outbound"},
             {"spi", spi},
             {"packets", sa->GetPackets()},
             {"bytes", sa->GetBytes()}});
    }
    return rj;
}

/** esp_sa.uat and results.json in --out. */
void
WriteResults(const Options& o, const Network& net, const std::vector<IpsecTransformSet>& sets,
             const std::vector<uint64_t>& echoed)
{
    {
        std::ofstream uat(o.out + "/esp_sa.uat");
        IpsecHelper::WriteEspSaUat(uat, net.routers);
    }
    nlohmann::json j;
    j["mode"] = o.mode;
    j["flows"] = nlohmann::json::array();
    for (size_t i = 0; i < sets.size(); ++i)
    {
        j["flows"].push_back({{"transforms", sets[i].ToString()},
                              {"port", 5001 + i},
                              {"sent", o.packets},
                              {"echoed", echoed[i]}});
    }
    for (auto r : {net.r1, net.r2})
    {
        j["routers"][Names::FindName(r)] = RouterJson(r);
    }
    std::ofstream(o.out + "/results.json") << j.dump(2) << "\n";
}
} // namespace

int
main(int argc, char* argv[])
{
    const Options o = ParseOptions(argc, argv);
    // Real checksums, so that the captures are valid IPv4 for Wireshark.
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    if (o.mode != "tunnel" && o.mode != "transport")
    {
        std::cerr << "error: --mode must be tunnel or transport, not '" << o.mode << "'\n";
        return 2;
    }
    const auto sets = ParseTransformSets(o);
    if (!sets)
    {
        return 2;
    }
    std::filesystem::create_directories(o.out);

    Network net;
    BuildNetwork(o, net);
    InstallCryptoMaps(o, net, *sets);
    std::vector<uint64_t> echoed(sets->size(), 0);
    InstallTraffic(o, net, sets->size(), echoed);
    net.lan.EnablePcapAll(o.out + "/link");
    net.serial.EnablePcapAll(o.out + "/link");

    Simulator::Stop(Seconds(3.0 + o.packets * o.interval));
    Simulator::Run();
    WriteResults(o, net, *sets, echoed);
    for (size_t i = 0; i < sets->size(); ++i)
    {
        std::cout << "flow " << i + 1 << " [" << (*sets)[i].ToString() << ", " << o.mode
                  << "]: " << echoed[i] << "/" << o.packets << " echoed\n";
    }
    std::cout << "wrote " << o.out << "/esp_sa.uat, " << o.out << "/results.json and pcaps\n";
    Simulator::Destroy();
    return 0;
}
