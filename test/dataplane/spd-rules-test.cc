// The SPD's part in three spec rules, in both lookup modes (linear and indexed): a dynamic entry
// whose list is empty takes every packet that reaches it, a permit line's traffic stays on the
// SAs made for that line, and SAs to the peer last heard from are preferred.
#include "ns3/ipsec-access-list.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-random.h"
#include "ns3/ipsec-spd.h"
#include "ns3/ipsec-transform-set.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

Ptr<IpsecSaBundle>
Bundle(const IpsecTrafficSelector& scope, const char* peer = "192.0.2.2")
{
    IpsecTransformSet ts = IpsecTransformSet::Parse("esp-aes esp-sha-hmac");
    auto rng = IpsecRandom::Stream("test/spd-rules");
    IpsecManualKeys k = IpsecHelper::RandomKeys(ts, *rng, 0x100);
    return IpsecHelper::MakeManualBundle(ts, Ipv4Address("192.0.2.1"), Ipv4Address(peer), scope, k,
                                         k);
}

IpsecFlow
Flow(const char* src, const char* dst)
{
    IpsecFlow f;
    f.src = Ipv4Address(src);
    f.dst = Ipv4Address(dst);
    f.protocol = 17;
    return f;
}

IpsecTrafficSelector
Nets(const char* src, const char* srcMask, const char* dst, const char* dstMask)
{
    return IpsecTrafficSelector::Subnets(Ipv4Address(src), Ipv4Mask(srcMask), Ipv4Address(dst),
                                         Ipv4Mask(dstMask));
}

class SpdRules : public ::testing::TestWithParam<IpsecLookupMode>
{
};

TEST_P(SpdRules, DynamicEntryWithAnEmptyListTakesWhatReachesIt)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->SetLookupMode(GetParam());
    Ptr<IpsecPolicyEntry> first = Create<IpsecPolicyEntry>();
    first->seq = 10;
    first->keying = IpsecKeying::ISAKMP;
    for (int i = 1; i <= 4; ++i) // enough lines for the index in AUTO mode
    {
        first->AddRule(true, Nets("10.0.0.0", "255.255.255.0",
                                  ("10." + std::to_string(i) + ".0.0").c_str(), "255.255.255.0"));
    }
    Ptr<IpsecPolicyEntry> dyn = Create<IpsecPolicyEntry>();
    dyn->seq = 20;
    dyn->keying = IpsecKeying::DYNAMIC;
    dyn->acl = Create<IpsecAccessList>("150"); // named, undefined: no lines
    spd->AddEntry(first);
    spd->AddEntry(dyn);
    // The first entry still takes its own traffic.
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.0.5", "10.3.0.5")).entry, first);
    // Everything else reaches the dynamic entry, which has no SA for it.
    IpsecOutboundDecision d = spd->LookupOutbound(Flow("10.0.0.5", "172.16.0.1"));
    EXPECT_EQ(d.entry, dyn);
    EXPECT_EQ(d.rule, IpsecPolicyEntry::kEveryPacket);
    EXPECT_EQ(d.action, IpsecOutboundDecision::Action::ACQUIRE);
    EXPECT_EQ(spd->LookupInboundRequirement(Flow("172.16.0.1", "10.0.0.5")), dyn);
    // What this node just protected (a nested lookup) is not taken.
    EXPECT_EQ(spd->LookupOutbound(Flow("192.0.2.1", "192.0.2.2"), {first->id}).action,
              IpsecOutboundDecision::Action::BYPASS);
    // A line added to the list: only what it permits is the entry's now.
    dyn->acl->Add(true, Nets("10.0.0.0", "255.255.255.0", "172.17.0.0", "255.255.0.0"));
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.0.5", "172.16.0.1")).action,
              IpsecOutboundDecision::Action::BYPASS);
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.0.5", "172.17.0.1")).entry, dyn);
}

TEST_P(SpdRules, EachLinesTrafficStaysOnItsOwnSas)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->SetLookupMode(GetParam());
    Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
    e->seq = 10;
    e->keying = IpsecKeying::ISAKMP;
    const IpsecTrafficSelector host =
        IpsecTrafficSelector::Hosts(Ipv4Address("10.0.0.10"), Ipv4Address("10.2.2.10"));
    const IpsecTrafficSelector nets = Nets("10.0.0.0", "255.255.0.0", "10.2.2.0", "255.255.255.0");
    e->AddRule(true, host);
    e->AddRule(true, nets);
    spd->AddEntry(e);
    Ptr<IpsecSaBundle> hostSas = Bundle(host);
    e->bundles.push_back(hostSas);
    // Line 2's traffic has no SAs yet: it asks for its own, though line 1's exist.
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.1.10", "10.2.2.10")).action,
              IpsecOutboundDecision::Action::ACQUIRE);
    Ptr<IpsecSaBundle> netSas = Bundle(nets); // newer, and it covers line 1's flow too
    e->bundles.push_back(netSas);
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.0.10", "10.2.2.10")).bundle, hostSas);
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.1.10", "10.2.2.10")).bundle, netSas);
    // A manual entry keeps its one SA set whatever line selected the packet.
    e->keying = IpsecKeying::MANUAL;
    e->bundles = {netSas};
    spd->Invalidate();
    EXPECT_EQ(spd->LookupOutbound(Flow("10.0.0.10", "10.2.2.10")).bundle, netSas);
}

TEST_P(SpdRules, SasToThePeerLastHeardFromArePreferred)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->SetLookupMode(GetParam());
    Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
    e->seq = 10;
    e->keying = IpsecKeying::ISAKMP;
    const IpsecTrafficSelector nets =
        Nets("10.0.0.0", "255.255.255.0", "10.2.2.0", "255.255.255.0");
    e->AddRule(true, nets);
    e->peers = {Ipv4Address("192.0.2.2"), Ipv4Address("192.0.2.3")};
    spd->AddEntry(e);
    Ptr<IpsecSaBundle> toA = Bundle(nets, "192.0.2.2");
    Ptr<IpsecSaBundle> toB = Bundle(nets, "192.0.2.3");
    e->bundles = {toA, toB};
    const IpsecFlow f = Flow("10.0.0.10", "10.2.2.10");
    EXPECT_EQ(spd->LookupOutbound(f).bundle, toB) << "nobody heard yet: the newest";
    e->lastPeerHeard = Ipv4Address("192.0.2.2");
    EXPECT_EQ(spd->LookupOutbound(f).bundle, toA);
    e->lastPeerHeard = Ipv4Address("192.0.2.9");
    EXPECT_EQ(spd->LookupOutbound(f).bundle, toB) << "a peer without SAs: the newest";
}

INSTANTIATE_TEST_SUITE_P(LookupModes, SpdRules,
                         ::testing::Values(IpsecLookupMode::LINEAR, IpsecLookupMode::INDEXED));

} // namespace
