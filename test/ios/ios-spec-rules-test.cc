// Spec rules that were wrong or never asserted, each run through routers configured in IOS
// syntax: a dynamic map entry whose access list is undefined or empty, one SA per permit line,
// the mode an SA really uses, the peer last heard from (load sharing), and the rules around
// them (lifetimes and transform sets for new SAs only, named lists, `no crypto isakmp enable`,
// multicast, the filtered show forms, DPD `periodic`).
#include "common/ios-lab.h"

#include "ns3/ppp-header.h"

#include <gtest/gtest.h>

#include <regex>

using namespace ns3;
using ns3::test::IosLab;

namespace
{

const char* kPolicy = "crypto isakmp policy 10\n encryption 3des\n hash sha\n"
                      " authentication pre-share\n group 2\n";

/** A router's text with "\r\n" line ends, as a configuration saved on Windows arrives. */
std::string
Crlf(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        if (c == '\n')
        {
            out += '\r';
        }
        out += c;
    }
    return out;
}

/** The value after "@p what: " in @p show (the first one), or all ones when absent. */
uint64_t
Count(const std::string& show, const std::string& what)
{
    std::smatch m;
    const std::regex re(what + ": (\\d+)");
    return std::regex_search(show, m, re) ? std::stoull(m[1]) : ~uint64_t(0);
}

/** The block of `show crypto ipsec sa` whose local identity is @p ident ("" when none). */
std::string
BlockOf(const std::string& show, const std::string& ident)
{
    const std::string head = "local  ident (addr/mask/prot/port): (" + ident + ")";
    const size_t at = show.find(head);
    if (at == std::string::npos)
    {
        return "";
    }
    const size_t next = show.find("local  ident", at + head.size());
    return show.substr(at, next == std::string::npos ? std::string::npos : next - at);
}

class SpecRules : public IosLab
{
protected:
    Ptr<IkeDaemon> Ike(const std::string& r)
    {
        return routers.at(r)->GetIke();
    }

    size_t Exchanges(const std::string& r, const std::string& kind, const std::string& result)
    {
        size_t n = 0;
        for (const auto& x : Ike(r)->GetExchanges())
        {
            n += x.exchange == kind && x.result == result;
        }
        return n;
    }

    /** Every bundle of every entry of the set on @p iface. */
    std::vector<Ptr<IpsecSaBundle>> Bundles(const std::string& r,
                                            const std::string& iface = "Serial0")
    {
        std::vector<Ptr<IpsecSaBundle>> out;
        Ptr<IpsecSpd> spd = P(r)->GetSpd(routers.at(r)->GetInterfaceIndex(iface));
        for (const auto& e : spd->GetEntries())
        {
            out.insert(out.end(), e->bundles.begin(), e->bundles.end());
        }
        return out;
    }

    std::vector<std::string> Apply(const std::string& r, const std::string& text)
    {
        return routers.at(r)->Reconfigure(IosConfigReader::Parse(text, r + ".cfg"));
    }
};

// ---------------------------------------------------------------------------------------------
// Dynamic crypto maps (spec, Creating a Dynamic Crypto Map Set, Step 3): "if this is configured
// but the specified access list does not exist or is empty, the router will drop all packets".
// All packets are those the crypto map set hands to that entry: every packet on the interface
// that no entry before it (lower seq) takes, in both directions. What the router needs to
// negotiate (its own IKE, ESP and IKE addressed to it) and what IPsec never protects
// (broadcast, multicast) is not among them.

/** Hub H: a static entry for spoke S1's first LAN, then a dynamic entry with list @p acl. */
std::string
HubWithDynamicList(const std::string& aclLines)
{
    return std::string("hostname H\n") + kPolicy +
           "crypto isakmp key k address 0.0.0.0 0.0.0.0\n"
           "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n" +
           aclLines +
           "access-list 110 permit ip 10.9.9.0 0.0.0.255 10.1.1.0 0.0.0.255\n"
           "crypto dynamic-map dyn 10\n set transform-set ts\n match address 150\n"
           "crypto map cm 10 ipsec-isakmp\n match address 110\n set transform-set ts\n"
           " set peer 192.168.1.2\n"
           "crypto map cm 65535 ipsec-isakmp dynamic dyn\n"
           "interface Ethernet0\n ip address 10.9.9.1 255.255.255.0\n"
           "interface Serial0\n ip address 192.168.1.1 255.255.255.252\n crypto map cm\n"
           "ip route 10.1.0.0 255.255.0.0 192.168.1.2\n";
}

class DynamicListDrops : public SpecRules
{
protected:
    void Lab(const std::string& hub)
    {
        Router("H", hub);
        Router("S1", std::string("hostname S1\n") + kPolicy +
                         "crypto isakmp key k address 192.168.1.1\n"
                         "access-list 101 permit ip 10.1.1.0 0.0.0.255 10.9.9.0 0.0.0.255\n"
                         "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n"
                         "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                         " set transform-set ts\n set peer 192.168.1.1\n"
                         "interface Ethernet0\n ip address 10.1.1.1 255.255.255.0\n"
                         "interface Ethernet1\n ip address 10.1.2.1 255.255.255.0\n"
                         "interface Serial0\n ip address 192.168.1.2 255.255.255.252\n"
                         " crypto map cm\n"
                         "ip route 0.0.0.0 0.0.0.0 192.168.1.1\n");
        Host("hh", "10.9.9.10/24", "10.9.9.1");
        Host("h1", "10.1.1.10/24", "10.1.1.1");
        Host("h2", "10.1.2.10/24", "10.1.2.1");
        Link("hh:eth0", "H:Ethernet0");
        Link("H:Serial0", "S1:Serial0");
        Link("h1:eth0", "S1:Ethernet0");
        Link("h2:eth0", "S1:Ethernet1");
        Build();
    }

    void Check()
    {
        auto wire = Watch("H:Serial0");
        auto protectedOut = Udp("hh", "h1", "10.1.1.10", 9001, 200, 1.5);
        auto protectedIn = Udp("h1", "hh", "10.9.9.10", 9002, 200, 1.0);
        auto out = Udp("hh", "h2", "10.1.2.10", 9003, 79, 3.0);
        auto in = Udp("h2", "hh", "10.9.9.10", 9004, 79, 3.0);
        Run(6);
        // The static entry before the dynamic one negotiates and protects its traffic.
        EXPECT_EQ(Exchanges("H", "quick", "ok"), 1u);
        EXPECT_GT(*protectedOut, 190u);
        EXPECT_GT(*protectedIn, 190u);
        // What falls to the dynamic entry is dropped, both ways: none of 79 gets through.
        EXPECT_EQ(*out, 0u) << "outbound traffic reaching the dynamic entry";
        EXPECT_EQ(*in, 0u) << "inbound clear traffic reaching the dynamic entry";
        EXPECT_EQ(P("H")->GetDrops().Get(IpsecDropReason::UNPROTECTED), 79u);
        Ptr<IpsecPolicyEntry> dyn =
            P("H")->GetSpd(routers["H"]->GetInterfaceIndex("Serial0"))->GetEntries().back();
        EXPECT_EQ(dyn->keying, IpsecKeying::DYNAMIC);
        EXPECT_EQ(dyn->noSaDrops, 79u);
        EXPECT_EQ((*wire)[17], 3u + 1u) << "on the wire: IKE only (main mode 2, 4, 6, quick 2)";
    }
};

TEST_F(DynamicListDrops, UndefinedListDropsEveryPacketTheEntrySees)
{
    Lab(HubWithDynamicList(""));
    Check();
}

TEST_F(DynamicListDrops, EmptyNamedListInAPastedConfigurationDropsToo)
{
    // `match address` naming an extended list without lines, in a file saved with CRLF.
    std::string hub = HubWithDynamicList("ip access-list extended EMPTY\n");
    hub.replace(hub.find("match address 150"), 17, "match address EMPTY");
    Lab(Crlf(hub));
    Check();
}

TEST_F(DynamicListDrops, DefiningTheListLaterLetsUnlistedTrafficPass)
{
    // Once list 150 exists (permitting something else), traffic outside it is no longer the
    // entry's: it leaves in the clear as for any entry whose list does not permit it.
    std::string hub =
        HubWithDynamicList("access-list 150 permit ip 10.9.9.0 0.0.0.255 172.16.0.0 0.0.255.255\n");
    Lab(hub);
    auto out = Udp("hh", "h2", "10.1.2.10", 9003, 20, 1.0);
    Run(3);
    EXPECT_EQ(*out, 20u);
    EXPECT_EQ(
        P("H")->GetSpd(routers["H"]->GetInterfaceIndex("Serial0"))->GetEntries().back()->noSaDrops,
        0u);
}

// ---------------------------------------------------------------------------------------------
// Crypto access lists: "Later, if traffic matches a different permit statement of the crypto
// access list, a new, separate IPsec security association will be negotiated to protect traffic
// matching the newly matched access list statement." Each line's traffic stays on its own SAs.

class PerLineSas : public SpecRules
{
protected:
    void SetUp() override
    {
        const std::string r1 = std::string("hostname R1\n") + kPolicy +
                               "crypto isakmp key k address 192.168.1.2\n"
                               "access-list 101 permit ip host 10.0.0.10 host 10.2.2.10\n"
                               "access-list 101 permit ip 10.0.0.0 0.0.255.255 10.2.2.0 "
                               "0.0.0.255\n"
                               "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n"
                               "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                               " set transform-set ts\n set peer 192.168.1.2\n"
                               "interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n"
                               "interface Ethernet1\n ip address 10.0.1.1 255.255.255.0\n"
                               "interface Serial0\n ip address 192.168.1.1 255.255.255.252\n"
                               " crypto map cm\n"
                               "ip route 10.2.2.0 255.255.255.0 192.168.1.2\n";
        const std::string r2 = std::string("hostname R2\n") + kPolicy +
                               "crypto isakmp key k address 192.168.1.1\n"
                               "access-list 101 permit ip host 10.2.2.10 host 10.0.0.10\n"
                               "access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 "
                               "0.0.255.255\n"
                               "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n"
                               "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                               " set transform-set ts\n set peer 192.168.1.1\n"
                               "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n"
                               "interface Serial0\n ip address 192.168.1.2 255.255.255.252\n"
                               " crypto map cm\n"
                               "ip route 10.0.0.0 255.255.0.0 192.168.1.1\n";
        Router("R1", r1);
        Router("R2", r2);
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h1b", "10.0.1.10/24", "10.0.1.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("h1b:eth0", "R1:Ethernet1");
        Link("R1:Serial0", "R2:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
    }
};

TEST_F(PerLineSas, EachPermitLineKeepsItsTrafficOnItsOwnSas)
{
    Build();
    // Line 1 (host to host) from 1 s to 5 s; line 2 (the /16) from 2 s to 5 s.
    auto first = Udp("h1", "h2", "10.2.2.10", 9001, 400, 1.0);
    auto second = Udp("h1b", "h2", "10.2.2.10", 9002, 300, 2.0);
    Run(6);
    EXPECT_EQ(Exchanges("R1", "quick", "ok"), 2u) << "one quick mode per permit line";
    ASSERT_EQ(Bundles("R1").size(), 2u);
    const std::string s1 = routers["R1"]->Exec("show crypto ipsec sa");
    const std::string s2 = routers["R2"]->Exec("show crypto ipsec sa");
    const std::string line1 = BlockOf(s1, "10.0.0.10/255.255.255.255/0/0");
    const std::string line2 = BlockOf(s1, "10.0.0.0/255.255.0.0/0/0");
    ASSERT_FALSE(line1.empty()) << s1;
    ASSERT_FALSE(line2.empty()) << s1;
    // Every datagram of line 1 that got through went on line 1's SAs, and so for line 2.
    EXPECT_GT(*first, 390u);
    EXPECT_GT(*second, 290u);
    EXPECT_EQ(Count(line1, "#pkts encaps"), *first) << s1;
    EXPECT_EQ(Count(line2, "#pkts encaps"), *second) << s1;
    EXPECT_EQ(Count(BlockOf(s2, "10.2.2.10/255.255.255.255/0/0"), "#pkts decaps"), *first) << s2;
    EXPECT_EQ(Count(BlockOf(s2, "10.2.2.0/255.255.255.0/0/0"), "#pkts decaps"), *second) << s2;
}

// ---------------------------------------------------------------------------------------------
// Transform sets, Step 2: "The mode setting is only applicable to traffic whose source and
// destination addresses are the IPsec peer addresses; it is ignored for all other traffic."
// `show crypto ipsec sa` says the mode the SA really uses.

class ModeInUse : public SpecRules
{
};

TEST_F(ModeInUse, TransportAskedForLanTrafficIsShownAsTunnel)
{
    std::string r1 = ns3::test::kR1;
    std::string r2 = ns3::test::kR2;
    for (std::string* r : {&r1, &r2})
    {
        const std::string set = "crypto ipsec transform-set myset2 esp-3des esp-md5-hmac\n";
        r->replace(r->find(set), set.size(), set + " mode transport\n");
    }
    Router("R1", Crlf(r1));
    Router("R2", r2);
    Host("h1", "10.0.0.10/24", "10.0.0.1");
    Host("h2", "10.2.2.5/24", "10.2.2.1");
    Link("h1:eth0", "R1:Ethernet0");
    Link("R1:Serial0", "R2:Serial0");
    Link("R2:Ethernet0", "h2:eth0");
    Build();
    auto got = Udp("h1", "h2", "10.2.2.5", 9, 10);
    Run(3);
    EXPECT_EQ(*got, 10u);
    for (const char* r : {"R1", "R2"})
    {
        const std::string s = routers[r]->Exec("show crypto ipsec sa");
        EXPECT_NE(s.find("in use settings ={Tunnel, }"), std::string::npos) << s;
        EXPECT_EQ(s.find("Transport"), std::string::npos) << s;
        const std::string a = routers[r]->Exec("show crypto ipsec sa address");
        EXPECT_EQ(a.find("Transport"), std::string::npos) << a;
    }
    // The packets were indeed tunnelled: one outer header from R1's serial address.
    for (const auto& sa : P("R1")->GetSad()->GetAll())
    {
        EXPECT_EQ(sa->GetMode(), IpsecMode::TUNNEL);
    }
}

// ---------------------------------------------------------------------------------------------
// Load sharing: "The peer that packets are actually sent to is determined by the last peer that
// the router heard from (received either traffic or a negotiation request from) for a given
// data flow." R1 lists R2 and R3, both gateways to 10.2.2.0/24 (two sites with the same LAN).

class LoadSharing : public SpecRules
{
protected:
    static std::string Site(const std::string& name, const std::string& serial)
    {
        return "hostname " + name + "\n" + kPolicy +
               "crypto isakmp key k address 192.168.1.1\n"
               "access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255\n"
               "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n"
               "crypto map cm 10 ipsec-isakmp\n match address 101\n set transform-set ts\n"
               " set peer 192.168.1.1\n"
               "interface Ethernet0\n ip address 10.2.2.1 255.255.255.0\n"
               "interface Serial0\n ip address " +
               serial + " 255.255.255.252\n crypto map cm\n";
    }

    void SetUp() override
    {
        Router("R1", std::string("hostname R1\n") + kPolicy +
                         "crypto isakmp key k address 192.168.1.2\n"
                         "crypto isakmp key k address 192.168.3.2\n"
                         "access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255\n"
                         "crypto ipsec transform-set ts esp-3des esp-sha-hmac\n"
                         "crypto map cm local-address Serial0\n"
                         "crypto map cm 10 ipsec-isakmp\n match address 101\n"
                         " set transform-set ts\n set peer 192.168.1.2\n set peer 192.168.3.2\n"
                         "interface Ethernet0\n ip address 10.0.0.1 255.255.255.0\n"
                         "interface Serial0\n ip address 192.168.1.1 255.255.255.252\n"
                         " crypto map cm\n"
                         "interface Serial1\n ip address 192.168.3.1 255.255.255.252\n"
                         " crypto map cm\n"
                         "ip route 10.2.2.0 255.255.255.0 192.168.1.2\n");
        Router("R2", Site("R2", "192.168.1.2") + "ip route 10.0.0.0 255.255.255.0 192.168.1.1\n");
        Router("R3", Site("R3", "192.168.3.2") +
                         "ip route 10.0.0.0 255.255.255.0 192.168.3.1\n"
                         "ip route 192.168.1.0 255.255.255.252 192.168.3.1\n");
        Host("h1", "10.0.0.10/24", "10.0.0.1");
        Host("h2", "10.2.2.10/24", "10.2.2.1");
        Host("h3", "10.2.2.10/24", "10.2.2.1");
        Link("h1:eth0", "R1:Ethernet0");
        Link("R1:Serial0", "R2:Serial0");
        Link("R1:Serial1", "R3:Serial0");
        Link("R2:Ethernet0", "h2:eth0");
        Link("R3:Ethernet0", "h3:eth0");
        Build();
        // h1's datagrams that reach h3 are taken quietly: no port unreachable back to h1,
        // which would be traffic from R3 that R1 hears.
        for (uint16_t port : {9000, 9004})
        {
            PacketSinkHelper sink("ns3::UdpSocketFactory",
                                  InetSocketAddress(Ipv4Address::GetAny(), port));
            sink.Install(nodes.at("h3"));
        }
    }
};

TEST_F(LoadSharing, TrafficFromAPeerMakesItThePeerPacketsGoTo)
{
    // 1 s: h1 starts; R1 negotiates with its first peer, R2. 3 s: R3 negotiates for its own
    // traffic to h1, so R1 last heard from R3. 5 s: R2's site sends to h1 over its SAs: R1 has
    // heard from R2 last, and its packets go back to R2.
    auto a = Udp("h1", "h2", "10.2.2.10", 9000, 700, 1.0); // to 8 s
    Udp("h3", "h1", "10.0.0.10", 9003, 100, 3.0);
    Udp("h2", "h1", "10.0.0.10", 9002, 100, 5.0);
    Run(4.5);
    const uint64_t atH2Before = *a;
    // Between 3 s and 4.5 s R1 sent to R3, the peer last heard from.
    const uint64_t r3Decaps = Count(routers["R3"]->Exec("show crypto ipsec sa"), "#pkts decaps");
    EXPECT_GT(r3Decaps, 50u) << "R3 negotiated last: R1's packets went to R3";
    Simulator::Stop(Seconds(4.0));
    Simulator::Run(); // to 8.5 s
    const uint64_t r3After = Count(routers["R3"]->Exec("show crypto ipsec sa"), "#pkts decaps");
    const uint64_t r2After = Count(routers["R2"]->Exec("show crypto ipsec sa"), "#pkts decaps");
    EXPECT_LT(r3After - r3Decaps, 70u) << "after R2's traffic at 5 s, R1 stops sending to R3";
    EXPECT_GT(*a - atH2Before, 250u) << "and h2 (behind R2) gets h1's packets again";
    EXPECT_GT(r2After, 300u);
}

TEST_F(LoadSharing, NextNegotiationGoesToThePeerLastHeardFrom)
{
    // R3 negotiated last, then traffic came from R2. After `clear crypto sa` on R1, its next
    // negotiation starts with R2.
    Udp("h1", "h2", "10.2.2.10", 9000, 50, 1.0);
    Udp("h3", "h1", "10.0.0.10", 9003, 50, 3.0);
    Udp("h2", "h1", "10.0.0.10", 9002, 50, 5.0);
    Run(6);
    routers["R1"]->Exec("clear crypto sa");
    const size_t before = routers["R1"]->GetIke()->GetExchanges().size();
    Udp("h1", "h2", "10.2.2.10", 9004, 100, 0.5); // (relative to now)
    Simulator::Stop(Seconds(3));
    Simulator::Run();
    const auto ex = routers["R1"]->GetIke()->GetExchanges();
    bool quickToR2 = false;
    for (size_t i = before; i < ex.size(); ++i)
    {
        if (ex[i].exchange == "quick" && ex[i].role == "initiator")
        {
            EXPECT_EQ(ex[i].peer, Ipv4Address("192.168.1.2")) << "negotiated with " << ex[i].peer;
            quickToR2 |= ex[i].peer == Ipv4Address("192.168.1.2") && ex[i].result == "ok";
        }
    }
    EXPECT_TRUE(quickToR2);
}

} // namespace
