// The network the data-plane and IKE daemon tests share: H1 -- R1 ==serial== R2 -- H2 on
// point-to-point links (100 Mb/s, 1 ms), hosts with ns-3's internet stack, routers with the
// IPsec stack, global routing. No crypto map yet: each test fixture adds its own.
#ifndef IPSEC_TEST_TWO_ROUTERS_H
#define IPSEC_TEST_TWO_ROUTERS_H

#include "ns3/ipsec-helper.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <gtest/gtest.h>

namespace ns3
{
namespace test
{

/**
 * Builds the network in SetUp (seed 7, run 1) and destroys the simulation in TearDown.
 * Addresses: H1 10.1.1.1, R1 serial 172.16.0.1 (its interface 2), R2 serial 172.16.0.2 (its
 * interface 1), H2 10.2.2.2.
 */
class TwoRouterTest : public ::testing::Test
{
protected:
    NodeContainer hosts;           //!< H1, H2
    NodeContainer routers;         //!< R1, R2
    NetDeviceContainer serialDevs; //!< R1's and R2's ends of the serial link
    Ipv4Address h1, h2, r1s, r2s;  //!< the hosts' and the routers' serial addresses

    void SetUp() override
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        hosts.Create(2);
        routers.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        NetDeviceContainer d1 = p2p.Install(hosts.Get(0), routers.Get(0));
        serialDevs = p2p.Install(routers.Get(0), routers.Get(1));
        NetDeviceContainer d2 = p2p.Install(routers.Get(1), hosts.Get(1));
        InternetStackHelper().Install(hosts);
        IpsecStackHelper().Install(routers);
        Ipv4AddressHelper a;
        a.SetBase("10.1.1.0", "255.255.255.0");
        h1 = a.Assign(d1).GetAddress(0);
        a.SetBase("172.16.0.0", "255.255.255.252");
        Ipv4InterfaceContainer s = a.Assign(serialDevs);
        r1s = s.GetAddress(0);
        r2s = s.GetAddress(1);
        a.SetBase("10.2.2.0", "255.255.255.0");
        h2 = a.Assign(d2).GetAddress(1);
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace test
} // namespace ns3

#endif
