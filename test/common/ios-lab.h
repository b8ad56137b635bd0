// A small lab of IOS-configured routers and hosts on point-to-point links, shared by the
// router and IKE tests.
#ifndef IPSEC_TEST_IOS_LAB_H
#define IPSEC_TEST_IOS_LAB_H

#include "ns3/ios-config.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-helper.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-apps-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace ns3
{
namespace test
{

// The spec's example keyed by hand (manual SAs, transform set myset2): R1 and R2 join the LANs
// 10.0.0.0/24 and 10.2.2.0/24 over Serial0, 192.168.1.0/30.
inline const char* kR1 = R"(hostname R1
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
crypto ipsec transform-set myset1 esp-des esp-sha
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 192.168.1.2
 set session-key inbound esp 4096 cipher 0123456789abcdef0123456789abcdef0123456789abcdef authenticator 00112233445566778899aabbccddeeff
 set session-key outbound esp 8192 cipher fedcba9876543210fedcba9876543210fedcba9876543210 authenticator ffeeddccbbaa99887766554433221100
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
interface Serial0
 ip address 192.168.1.1 255.255.255.252
 crypto map toRemoteSite
ip route 10.2.2.0 255.255.255.0 192.168.1.2
)";
inline const char* kR2 = R"(hostname R2
access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 192.168.1.1
 set session-key inbound esp 8192 cipher fedcba9876543210fedcba9876543210fedcba9876543210 authenticator ffeeddccbbaa99887766554433221100
 set session-key outbound esp 4096 cipher 0123456789abcdef0123456789abcdef0123456789abcdef authenticator 00112233445566778899aabbccddeeff
interface Ethernet0
 ip address 10.2.2.1 255.255.255.0
interface Serial0
 ip address 192.168.1.2 255.255.255.252
 crypto map toRemoteSite
ip route 10.0.0.0 255.255.255.0 192.168.1.1
)";

/**
 * A small lab: routers from IOS text, hosts with one address and a gateway, point-to-point
 * links between named interfaces ("R1:Serial0", "h1:eth0").
 */
class IosLab : public ::testing::Test
{
protected:
    std::map<std::string, Ptr<Node>> nodes;
    std::map<std::string, std::map<std::string, Ptr<NetDevice>>> devices;
    std::map<std::string, std::string> configs;
    std::map<std::string, std::pair<std::string, std::string>> hostAddr; // addr/len, gateway
    std::vector<std::pair<std::string, std::string>> links;
    std::map<std::string, Ptr<IosRouter>> routers;
    std::map<std::string, Ptr<PointToPointNetDevice>> devByPort;

    void TearDown() override
    {
        Simulator::Destroy();
    }

    void Router(const std::string& name, const std::string& config)
    {
        configs[name] = config;
    }
    void Host(const std::string& name, const std::string& addr, const std::string& gw)
    {
        hostAddr[name] = {addr, gw};
    }
    void Link(const std::string& a, const std::string& b)
    {
        links.emplace_back(a, b);
    }

    void Build()
    {
        for (const auto& [n, c] : configs)
        {
            nodes[n] = CreateObject<Node>();
            IpsecStackHelper().Install(nodes[n]);
        }
        for (const auto& [n, a] : hostAddr)
        {
            nodes[n] = CreateObject<Node>();
            InternetStackHelper().Install(nodes[n]);
        }
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        for (const auto& [a, b] : links)
        {
            auto split = [](const std::string& s)
            {
                auto c = s.find(':');
                return std::make_pair(s.substr(0, c), s.substr(c + 1));
            };
            auto [na, ia] = split(a);
            auto [nb, ib] = split(b);
            NetDeviceContainer d = p2p.Install(nodes.at(na), nodes.at(nb));
            devices[na][ia] = d.Get(0);
            devices[nb][ib] = d.Get(1);
            devByPort[a] = DynamicCast<PointToPointNetDevice>(d.Get(0));
            devByPort[b] = DynamicCast<PointToPointNetDevice>(d.Get(1));
        }
        for (const auto& [n, c] : configs)
        {
            IosRouterConfig cfg = IosConfigReader::Parse(c, n + ".cfg");
            std::map<std::string, Ptr<NetDevice>> devs;
            for (const auto& [ifn, dev] : devices[n])
            {
                devs[IosConfigReader::CanonicalInterfaceName(ifn)] = dev;
            }
            routers[n] = IosRouter::Install(nodes[n], cfg, devs);
        }
        for (const auto& [n, a] : hostAddr)
        {
            Ptr<Ipv4> ipv4 = nodes[n]->GetObject<Ipv4>();
            Ptr<NetDevice> dev = devices[n].begin()->second;
            int32_t i = ipv4->AddInterface(dev);
            auto slash = a.first.find('/');
            Ipv4Address addr(a.first.substr(0, slash).c_str());
            Ipv4Mask mask(("/" + a.first.substr(slash + 1)).c_str());
            ipv4->AddAddress(i, Ipv4InterfaceAddress(addr, mask));
            ipv4->SetUp(i);
            Ipv4StaticRoutingHelper().GetStaticRouting(ipv4)->SetDefaultRoute(
                Ipv4Address(a.second.c_str()), i);
        }
    }

    Ptr<IpsecProcessor> P(const std::string& r)
    {
        return routers.at(r)->GetProcessor();
    }

    /** UDP datagrams from @p from to @p to:port; returns a counter of arrivals. */
    std::shared_ptr<uint64_t> Udp(const std::string& from, const std::string& toNode,
                                  const std::string& toAddr, uint16_t port, uint32_t n,
                                  double start = 1.0)
    {
        auto count = std::make_shared<uint64_t>(0);
        PacketSinkHelper sink("ns3::UdpSocketFactory",
                              InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer s = sink.Install(nodes.at(toNode));
        s.Get(0)->TraceConnectWithoutContext(
            "Rx", Callback<void, Ptr<const Packet>, const Address&>(
                      [count](Ptr<const Packet>, const Address&) { ++*count; }));
        UdpClientHelper c(Ipv4Address(toAddr.c_str()), port);
        c.SetAttribute("MaxPackets", UintegerValue(n));
        c.SetAttribute("Interval", TimeValue(MilliSeconds(10)));
        c.SetAttribute("PacketSize", UintegerValue(200));
        c.Install(nodes.at(from)).Start(Seconds(start));
        return count;
    }

    /** Count frames leaving a port by IP protocol. */
    std::shared_ptr<std::map<uint8_t, uint64_t>> Watch(const std::string& port)
    {
        auto m = std::make_shared<std::map<uint8_t, uint64_t>>();
        devByPort.at(port)->TraceConnectWithoutContext("PhyTxBegin",
                                                       Callback<void, Ptr<const Packet>>(
                                                           [m](Ptr<const Packet> p)
                                                           {
                                                               Ptr<Packet> q = p->Copy();
                                                               PppHeader ppp;
                                                               q->RemoveHeader(ppp);
                                                               Ipv4Header ip;
                                                               q->RemoveHeader(ip);
                                                               ++(*m)[ip.GetProtocol()];
                                                           }));
        return m;
    }

    void Run(double s = 4)
    {
        Simulator::Stop(Seconds(s));
        Simulator::Run();
    }
};

/** The spec's example keyed by hand (kR1, kR2): h1 - R1 - R2 - h2 on point-to-point links. */
class SpecExampleLab : public IosLab
{
protected:
    void SetUp() override
    {
        Router("R1", kR1);
        Router("R2", kR2);
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.5/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
    }
};

} // namespace test
} // namespace ns3

#endif
