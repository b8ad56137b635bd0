// A user's program built against an installed ns3-ipsec: it includes only the module header,
// as an ns-3 user does ("ns3/ipsec-module.h"), and checks that the module works from there.
//
// Two nodes joined by a point-to-point link, an ESP tunnel between them keyed by hand
// (esp-aes 256 esp-sha-hmac, the module's ipsec-manual crypto map entries), and a UDP echo flow
// from A to B. It passes (exit status 0) when every request was echoed, both nodes
// encapsulated and decapsulated, and every IPv4 packet on the link was ESP (no UDP in the clear).
#include "ns3/ipsec-module.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

namespace
{
uint32_t g_esp = 0;   // IPv4 packets on the link carrying ESP
uint32_t g_clear = 0; // IPv4 packets on the link carrying anything else
uint32_t g_echoed = 0;

void
OnLinkTx(Ptr<const Packet> p)
{
    Ptr<Packet> copy = p->Copy();
    PppHeader ppp;
    copy->RemoveHeader(ppp);
    if (ppp.GetProtocol() != 0x0021) // IPv4
    {
        return;
    }
    Ipv4Header ip;
    copy->PeekHeader(ip);
    ++(ip.GetProtocol() == 50 ? g_esp : g_clear);
}

void
OnEcho(Ptr<const Packet>)
{
    ++g_echoed;
}
} // namespace

int
main(int argc, char* argv[])
{
    uint32_t packets = 10;
    CommandLine cmd(__FILE__);
    cmd.AddValue("packets", "UDP echo requests", packets);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper link;
    link.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    link.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer devices = link.Install(nodes);
    IpsecStackHelper().Install(nodes);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.0.0.0", "255.255.255.252");
    Ipv4InterfaceContainer ifs = addresses.Assign(devices);
    const Ipv4Address a = ifs.GetAddress(0);
    const Ipv4Address b = ifs.GetAddress(1);

    // One ipsec-manual crypto map entry on each side: UDP between A and B goes through an ESP
    // tunnel from A to B, with keys made up here and given to both ends.
    IpsecTransformSet ts = IpsecTransformSet::Parse("esp-aes 256 esp-sha-hmac");
    ts.name = "myset";
    ts.mode = IpsecMode::TUNNEL;
    auto rng = IpsecRandom::Stream("install-check/keys");
    const IpsecManualKeys keysAB = IpsecHelper::RandomKeys(ts, *rng, 0x1000);
    const IpsecManualKeys keysBA = IpsecHelper::RandomKeys(ts, *rng, 0x2000);
    const IpsecTrafficSelector fromA = IpsecTrafficSelector::Hosts(a, b, 17);
    for (uint32_t side = 0; side < 2; ++side)
    {
        Ptr<Node> node = nodes.Get(side);
        const Ipv4Address local = side == 0 ? a : b;
        const Ipv4Address peer = side == 0 ? b : a;
        const IpsecTrafficSelector scope = side == 0 ? fromA : fromA.Mirror();
        Ptr<IpsecSpd> map = CreateObject<IpsecSpd>();
        IpsecHelper::ApplyCryptoMap(node, 1, map);
        Ptr<IpsecPolicyEntry> entry = Create<IpsecPolicyEntry>();
        entry->mapName = "toPeer";
        entry->seq = 10;
        entry->keying = IpsecKeying::MANUAL;
        entry->mode = ts.mode;
        entry->AddRule(true, scope);
        entry->peers.push_back(peer);
        map->AddEntry(entry);
        // Inbound SAs with the keys the peer sends with, outbound with its own.
        const IpsecManualKeys& in = side == 0 ? keysBA : keysAB;
        const IpsecManualKeys& out = side == 0 ? keysAB : keysBA;
        Ptr<IpsecSaBundle> bundle = IpsecHelper::MakeManualBundle(ts, local, peer, scope, in, out);
        node->GetObject<IpsecProcessor>()->InstallBundle(entry, bundle);
    }

    UdpEchoServerHelper server(9);
    ApplicationContainer apps = server.Install(nodes.Get(1));
    UdpEchoClientHelper client(b, 9);
    client.SetAttribute("MaxPackets", UintegerValue(packets));
    client.SetAttribute("Interval", TimeValue(MilliSeconds(100)));
    client.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer clients = client.Install(nodes.Get(0));
    clients.Start(Seconds(1));
    apps.Add(clients);
    apps.Stop(Seconds(2 + 0.1 * packets));
    clients.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnEcho));
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        devices.Get(i)->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&OnLinkTx));
    }

    Simulator::Stop(Seconds(3 + 0.1 * packets));
    Simulator::Run();

    bool ok = true;
    auto check = [&ok](bool good, const std::string& what)
    {
        std::cout << (good ? "ok   " : "FAIL ") << what << "\n";
        ok = ok && good;
    };
    check(g_echoed == packets,
          std::to_string(g_echoed) + "/" + std::to_string(packets) + " echo requests answered");
    for (uint32_t side = 0; side < 2; ++side)
    {
        Ptr<IpsecProcessor> p = nodes.Get(side)->GetObject<IpsecProcessor>();
        const std::string name = side == 0 ? "A" : "B";
        check(p->GetEncapsulated() >= packets,
              name + " encapsulated " + std::to_string(p->GetEncapsulated()) + " packets");
        check(p->GetDecapsulated() >= packets,
              name + " decapsulated " + std::to_string(p->GetDecapsulated()) + " packets");
    }
    const std::string onLink = "on the link: " + std::to_string(g_esp) + " ESP packets, " +
                               std::to_string(g_clear) + " other IPv4 packets";
    check(g_esp >= 2 * packets && g_clear == 0, onLink);
    Simulator::Destroy();
    std::cout << (ok ? "PASS" : "FAIL") << ": ns3-ipsec from an installed prefix\n";
    return ok ? 0 : 1;
}
