// `arp timeout` on a router's Ethernet interface: how often the router asks again for a neighbour
// it keeps sending to, counted in the ARP requests it puts on the wire.
#include "ns3/ios-config.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-helper.h"

#include "ns3/arp-header.h"
#include "ns3/core-module.h"
#include "ns3/csma-module.h"
#include "ns3/ethernet-header.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/**
 * h1 -- Ethernet0 R1 Ethernet1 -- h2, each side its own CSMA segment; h1 sends h2 one datagram a
 * second for 400 s. R1's Ethernet1 takes @p arpLine (an interface command, or nothing).
 */
class RouterArp : public ::testing::Test
{
protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }

    void Build(const std::string& arpLine)
    {
        r1 = CreateObject<Node>();
        h1 = CreateObject<Node>();
        h2 = CreateObject<Node>();
        IpsecStackHelper().Install(r1);
        InternetStackHelper().Install(NodeContainer(h1, h2));
        CsmaHelper csma;
        NetDeviceContainer left = csma.Install(NodeContainer(h1, r1));
        NetDeviceContainer right = csma.Install(NodeContainer(r1, h2));
        r1Right = right.Get(0);
        config = "hostname R1\r\n"
                                   "interface Ethernet0\r\n"
                                   " ip address 10.0.1.1 255.255.255.0\r\n"
                                   "interface Ethernet1\r\n"
                                   " ip address 10.0.2.1 255.255.255.0\r\n" +
                                   arpLine + " duplex auto\r\n";
        router = IosRouter::Install(r1,
                                    IosConfigReader::Parse(config, "R1.cfg"),
                                    {{"Ethernet0", left.Get(1)}, {"Ethernet1", right.Get(0)}});
        Address(h1, left.Get(0), "10.0.1.2", "10.0.1.1");
        Address(h2, right.Get(1), "10.0.2.2", "10.0.2.1");
        r1Right->TraceConnectWithoutContext("PromiscSniffer",
                                            MakeCallback(&RouterArp::Frame, this));
        Ptr<Socket> sink = Socket::CreateSocket(h2, UdpSocketFactory::GetTypeId());
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        sink->SetRecvCallback(MakeCallback(&RouterArp::Received, this));
        Ptr<Socket> src = Socket::CreateSocket(h1, UdpSocketFactory::GetTypeId());
        src->Connect(InetSocketAddress(Ipv4Address("10.0.2.2"), 9));
        for (int t = 1; t <= 400; ++t)
        {
            Simulator::Schedule(Seconds(t), [src]() { src->Send(Create<Packet>(100)); });
        }
    }

    void Run()
    {
        Simulator::Stop(Seconds(401));
        Simulator::Run();
    }

    static void Address(Ptr<Node> n, Ptr<NetDevice> dev, const char* a, const char* gw)
    {
        Ptr<Ipv4> ipv4 = n->GetObject<Ipv4>();
        const int32_t i = ipv4->AddInterface(dev);
        ipv4->AddAddress(i, Ipv4InterfaceAddress(Ipv4Address(a), Ipv4Mask("255.255.255.0")));
        ipv4->SetUp(i);
        Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(Ipv4Address(gw), i);
    }

    /** Every frame on R1's Ethernet1 segment: ARP requests R1 sends are counted. */
    void Frame(Ptr<const Packet> frame)
    {
        Ptr<Packet> p = frame->Copy();
        EthernetHeader eth;
        p->RemoveHeader(eth);
        ArpHeader arp;
        if (eth.GetLengthType() == 0x0806 && p->RemoveHeader(arp) && arp.IsRequest() &&
            arp.GetSourceHardwareAddress() == r1Right->GetAddress())
        {
            ++requests;
        }
    }

    void Received(Ptr<Socket> s)
    {
        while (s->Recv())
        {
            ++received;
        }
    }

    Ptr<Node> r1;
    Ptr<Node> h1;
    Ptr<Node> h2;
    Ptr<NetDevice> r1Right;
    Ptr<IosRouter> router;
    std::string config; //!< R1's, ending in Ethernet1's block
    int requests = 0;
    int received = 0;
};

TEST_F(RouterArp, EntriesLiveFourHoursByDefault)
{
    Build("");
    Run();
    EXPECT_EQ(requests, 1) << "ns-3's own 120 s would have asked again at least twice";
    EXPECT_EQ(received, 400);
}

TEST_F(RouterArp, ShorterTimeoutAsksAgain)
{
    Build(" arp timeout 60\r\n");
    Run();
    // Asked at 1 s, then at the first datagram more than 60 s after the last answer: 62, 123, ...
    EXPECT_GE(requests, 6);
    EXPECT_LE(requests, 7);
    EXPECT_EQ(received, 400);
}

TEST_F(RouterArp, ZeroNeverExpires)
{
    Build(" arp timeout 0\r\n");
    Run();
    EXPECT_EQ(requests, 1);
}

TEST_F(RouterArp, ChangedOnTheRunningRouterTakesEffect)
{
    Build("");
    const IosRouterConfig next = IosConfigReader::Parse(config + " arp timeout 60\r\n", "R1.cfg");
    Simulator::Schedule(Seconds(200.5), [this, next]() { router->Reconfigure(next); });
    Run();
    EXPECT_GE(requests, 3) << "once at 1 s, then every 60 s or so after 200 s";
    EXPECT_LE(requests, 5);
}

} // namespace
