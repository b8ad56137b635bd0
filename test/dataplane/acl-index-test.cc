// The indexed access-list and crypto-map lookups against a plain linear reference: same first
// matching line, same decision, same per-line match counters (deny lines included), on random
// access lists and flows, plus targeted cases for what the index must not get wrong.
#include "ns3/ipsec-access-list.h"
#include "ns3/ipsec-helper.h"
#include "ns3/ipsec-random.h"
#include "ns3/ipsec-spd.h"
#include "ns3/ipsec-transform-set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>

using namespace ns3;

namespace
{

// --- the reference: IOS's line-by-line walk, written out again here -----------------------

struct RefAcl
{
    std::vector<IpsecPolicyRule> rules;
    std::vector<uint64_t> matches;

    void Add(bool permit, const IpsecTrafficSelector& s)
    {
        rules.push_back({permit, s});
        matches.push_back(0);
    }
    int Evaluate(const IpsecFlow& f)
    {
        for (size_t i = 0; i < rules.size(); ++i)
        {
            if (rules[i].selector.Matches(f))
            {
                ++matches[i];
                return static_cast<int>(i);
            }
        }
        return -1;
    }
};

struct RefEntry
{
    Ptr<IpsecPolicyEntry> entry; //!< the entry under test (for its id and, without a list, Match)
    std::shared_ptr<RefAcl> acl; //!< nullptr: no `match address`
};

/** The crypto map walk: first entry (not skipped) whose list's first match is a permit. */
int
RefDecide(std::vector<RefEntry>& entries, const IpsecFlow& f, const std::vector<uint32_t>& skip,
          int& rule)
{
    for (size_t i = 0; i < entries.size(); ++i)
    {
        if (std::find(skip.begin(), skip.end(), entries[i].entry->id) != skip.end())
        {
            continue;
        }
        if (!entries[i].acl)
        {
            rule = entries[i].entry->Match(f); // dynamic entries: by their bundles' scopes
        }
        else
        {
            rule = entries[i].acl->Evaluate(f);
            if (rule >= 0 && !entries[i].acl->rules[rule].permit)
            {
                rule = -1;
            }
        }
        if (rule >= 0)
        {
            return static_cast<int>(i);
        }
    }
    rule = -1;
    return -1;
}

// --- random access lists and flows ---------------------------------------------------------

/** Addresses from a small universe so that lines and flows meet often: 10.a.b.c. */
Ipv4Address
RandomAddr(std::mt19937_64& rng)
{
    return Ipv4Address((10u << 24) | (uint32_t(rng() % 4) << 16) | (uint32_t(rng() % 4) << 8) |
                       uint32_t(rng() % 8));
}

uint16_t
RandomPort(std::mt19937_64& rng)
{
    static const uint16_t kPorts[] = {0, 1, 2, 3, 20, 21, 22, 23, 500, 4500, 65534, 65535};
    return kPorts[rng() % (sizeof(kPorts) / sizeof(kPorts[0]))];
}

void
RandomAddrMatch(std::mt19937_64& rng, Ipv4Address& addr, uint32_t& wildcard)
{
    addr = RandomAddr(rng);
    switch (rng() % 6)
    {
    case 0:
        wildcard = 0xffffffff; // any
        break;
    case 1:
        wildcard = 0; // host
        break;
    case 2:
    case 3:
    {
        const int len = 8 + int(rng() % 25); // a prefix, /8 to /32
        wildcard = len == 32 ? 0 : 0xffffffffu >> len;
        break;
    }
    case 4:
        wildcard = uint32_t(rng()) & 0x0003030fu; // discontiguous, within the universe
        break;
    default:
        wildcard = uint32_t(rng()); // discontiguous anywhere
        break;
    }
}

IpsecPortMatch
RandomPortMatch(std::mt19937_64& rng)
{
    IpsecPortMatch m;
    uint16_t a = RandomPort(rng);
    uint16_t b = RandomPort(rng);
    switch (rng() % 8)
    {
    case 0:
    case 1:
    case 2:
        return m; // any
    case 3:
    case 4:
        return IpsecPortMatch::Eq(a);
    case 5:
        return {rng() % 2 ? IpsecPortMatch::Op::LT : IpsecPortMatch::Op::GT, a, a};
    case 6:
        return {IpsecPortMatch::Op::NEQ, a, a};
    default:
        return IpsecPortMatch::Range(std::min(a, b), std::max(a, b));
    }
}

IpsecTrafficSelector
RandomSelector(std::mt19937_64& rng)
{
    IpsecTrafficSelector s;
    RandomAddrMatch(rng, s.srcAddr, s.srcWildcard);
    RandomAddrMatch(rng, s.dstAddr, s.dstWildcard);
    static const uint8_t kProtos[] = {0, 0, 6, 17, 1};
    s.protocol = kProtos[rng() % 5];
    if (s.protocol == 6 || s.protocol == 17 || rng() % 16 == 0)
    {
        s.srcPort = RandomPortMatch(rng);
        s.dstPort = RandomPortMatch(rng);
    }
    return s;
}

IpsecFlow
RandomFlow(std::mt19937_64& rng)
{
    IpsecFlow f;
    f.src = RandomAddr(rng);
    f.dst = RandomAddr(rng);
    static const uint8_t kProtos[] = {6, 17, 1, 50, 6, 17};
    f.protocol = kProtos[rng() % 6];
    // TCP and UDP first fragments have ports; later fragments (1 in 8) and other protocols not.
    if ((f.protocol == 6 || f.protocol == 17) && rng() % 8 != 0)
    {
        f.hasPorts = true;
        f.srcPort = RandomPort(rng);
        f.dstPort = RandomPort(rng);
    }
    return f;
}

/** A flow that the line @p s is likely to match: its fixed bits, random don't-care bits. */
IpsecFlow
FlowNear(std::mt19937_64& rng, const IpsecTrafficSelector& s)
{
    IpsecFlow f = RandomFlow(rng);
    f.src = Ipv4Address((s.srcAddr.Get() & ~s.srcWildcard) | (f.src.Get() & s.srcWildcard));
    f.dst = Ipv4Address((s.dstAddr.Get() & ~s.dstWildcard) | (f.dst.Get() & s.dstWildcard));
    if (s.protocol != 0)
    {
        f.protocol = s.protocol;
    }
    if (s.srcPort.op == IpsecPortMatch::Op::EQ || s.dstPort.op == IpsecPortMatch::Op::EQ)
    {
        f.hasPorts = rng() % 8 != 0;
        f.srcPort = s.srcPort.op == IpsecPortMatch::Op::EQ ? s.srcPort.lo : RandomPort(rng);
        f.dstPort = s.dstPort.op == IpsecPortMatch::Op::EQ ? s.dstPort.lo : RandomPort(rng);
    }
    return f;
}

IpsecFlow
TestFlow(std::mt19937_64& rng, const std::vector<IpsecPolicyRule>& rules)
{
    if (!rules.empty() && rng() % 2 == 0)
    {
        return FlowNear(rng, rules[rng() % rules.size()].selector);
    }
    return RandomFlow(rng);
}

std::string
Describe(const IpsecFlow& f)
{
    std::ostringstream os;
    os << f.src << ":" << f.srcPort << " -> " << f.dst << ":" << f.dstPort << " proto "
       << unsigned(f.protocol) << (f.hasPorts ? "" : " (no ports)");
    return os.str();
}

// --- property tests -------------------------------------------------------------------------

TEST(AclIndex, AccessListMatchesLinearReference)
{
    std::mt19937_64 rng(20261127);
    size_t cases = 0;
    size_t deep = 0;      // first match beyond the first 8 lines
    size_t unmatched = 0; // the implicit deny
    for (int list = 0; list < 1000; ++list)
    {
        const size_t n = 1 + rng() % (list % 4 == 0 ? 400 : 40);
        RefAcl ref;
        Ptr<IpsecAccessList> indexed = Create<IpsecAccessList>("indexed");
        indexed->SetLookupMode(IpsecLookupMode::INDEXED);
        Ptr<IpsecAccessList> autoMode = Create<IpsecAccessList>("auto");
        auto add = [&](bool permit, const IpsecTrafficSelector& s)
        {
            ref.Add(permit, s);
            indexed->Add(permit, s);
            autoMode->Add(permit, s);
        };
        for (size_t i = 0; i < n; ++i)
        {
            add(rng() % 3 != 0, RandomSelector(rng));
        }
        for (int k = 0; k < 120; ++k)
        {
            if (k == 60)
            {
                // Lines added after lookups must be found: the index is rebuilt.
                for (int extra = 0; extra < 5; ++extra)
                {
                    add(rng() % 2 == 0, RandomSelector(rng));
                }
            }
            const IpsecFlow f = TestFlow(rng, ref.rules);
            const int want = ref.Evaluate(f);
            deep += want >= 8;
            unmatched += want < 0;
            ASSERT_EQ(indexed->Evaluate(f), want) << "list " << list << " flow " << Describe(f);
            const bool permits = want >= 0 && ref.rules[want].permit;
            ASSERT_EQ(autoMode->Permits(f), permits) << "list " << list << " " << Describe(f);
            ++cases;
        }
        for (size_t i = 0; i < ref.rules.size(); ++i)
        {
            ASSERT_EQ(indexed->GetMatches(i), ref.matches[i]) << "list " << list << " line " << i;
            ASSERT_EQ(autoMode->GetMatches(i), ref.matches[i]) << "list " << list << " line " << i;
        }
    }
    EXPECT_GE(cases, 100000u);
    // The generator must reach lines deep in the lists and leave some flows unmatched.
    EXPECT_GT(deep, cases / 20);
    EXPECT_GT(unmatched, cases / 20);
}

/** A usable bundle covering @p scope (for dynamic entries without an access list). */
Ptr<IpsecSaBundle>
BundleFor(const IpsecTrafficSelector& scope)
{
    IpsecTransformSet ts = IpsecTransformSet::Parse("esp-aes esp-sha-hmac");
    auto rng = IpsecRandom::Stream("test/acl-index");
    IpsecManualKeys k = IpsecHelper::RandomKeys(ts, *rng, 0x100);
    return IpsecHelper::MakeManualBundle(ts, Ipv4Address("192.0.2.1"), Ipv4Address("192.0.2.2"),
                                         scope, k, k);
}

TEST(AclIndex, CryptoMapMatchesLinearReference)
{
    std::mt19937_64 rng(7);
    Ptr<IpsecSaBundle> bundle =
        BundleFor(IpsecTrafficSelector::Subnets(Ipv4Address("10.1.0.0"), Ipv4Mask("255.255.0.0"),
                                                Ipv4Address("10.2.0.0"), Ipv4Mask("255.255.0.0")));
    size_t cases = 0;
    size_t decided = 0;
    size_t deniedEarlier = 0;
    for (int set = 0; set < 600; ++set)
    {
        const IpsecLookupMode mode = set % 2 ? IpsecLookupMode::INDEXED : IpsecLookupMode::AUTO;
        Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
        spd->SetLookupMode(mode);
        std::vector<RefEntry> ref;
        std::vector<std::pair<Ptr<IpsecAccessList>, std::shared_ptr<RefAcl>>> lists;
        const size_t entries = 1 + rng() % (set % 5 == 0 ? 60 : 12);
        for (size_t i = 0; i < entries; ++i)
        {
            Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
            e->mapName = "m";
            e->seq = static_cast<uint32_t>(10 * (i + 1));
            e->keying = IpsecKeying::ISAKMP;
            RefEntry r{e, nullptr};
            const unsigned kind = rng() % 10;
            if (kind == 0)
            {
                // No `match address`: matches nothing, or, dynamic, by its bundles.
                if (rng() % 2)
                {
                    e->keying = IpsecKeying::DYNAMIC;
                    e->bundles.push_back(bundle);
                }
            }
            else if (kind == 1 && !lists.empty())
            {
                // The same access list in two entries: counted once per entry evaluated.
                auto& l = lists[rng() % lists.size()];
                e->acl = l.first;
                r.acl = l.second;
            }
            else
            {
                auto refAcl = std::make_shared<RefAcl>();
                const size_t n = rng() % (set % 7 == 0 ? 200 : 12);
                for (size_t j = 0; j < n; ++j)
                {
                    // Plenty of denies: each passes the flow on to the next entry.
                    const bool permit = rng() % 2 == 0;
                    const IpsecTrafficSelector s = RandomSelector(rng);
                    e->AddRule(permit, s);
                    refAcl->Add(permit, s);
                }
                if (!e->acl)
                {
                    e->acl = Create<IpsecAccessList>(); // an empty list: matches nothing
                }
                r.acl = refAcl;
                lists.emplace_back(e->acl, refAcl);
            }
            spd->AddEntry(e);
            ref.push_back(r);
        }
        std::vector<IpsecPolicyRule> allRules;
        for (const auto& l : lists)
        {
            allRules.insert(allRules.end(), l.second->rules.begin(), l.second->rules.end());
        }
        for (int k = 0; k < 150; ++k)
        {
            if (k == 75 && !lists.empty())
            {
                // A line added to a list already in use: the crypto map's index follows.
                auto& l = lists[rng() % lists.size()];
                const IpsecTrafficSelector s = RandomSelector(rng);
                l.first->Add(true, s);
                l.second->Add(true, s);
                allRules.push_back({true, s});
            }
            IpsecFlow f = TestFlow(rng, allRules);
            if (rng() % 8 == 0)
            {
                f.src = Ipv4Address("10.1.3.4"); // inside the dynamic entries' bundle scope
                f.dst = Ipv4Address("10.2.0.9");
            }
            std::vector<uint32_t> skip;
            for (const auto& r : ref)
            {
                if (rng() % 6 == 0)
                {
                    skip.push_back(r.entry->id);
                }
            }
            int wantRule = -1;
            const int want = RefDecide(ref, f, skip, wantRule);
            const IpsecOutboundDecision d = spd->LookupOutbound(f, skip);
            ASSERT_EQ(d.entry ? d.entry->id : 0u, want >= 0 ? ref[want].entry->id : 0u)
                << "set " << set << " flow " << Describe(f);
            ASSERT_EQ(d.rule, wantRule) << "set " << set << " flow " << Describe(f);
            ASSERT_EQ(d.action == IpsecOutboundDecision::Action::BYPASS, want < 0);

            // Inbound: the policy that permits the reversed flow, no skip list.
            const int wantIn = RefDecide(ref, f.Reversed(), {}, wantRule);
            Ptr<IpsecPolicyEntry> in = spd->LookupInboundRequirement(f);
            ASSERT_EQ(in ? in->id : 0u, wantIn >= 0 ? ref[wantIn].entry->id : 0u)
                << "set " << set << " inbound " << Describe(f);
            decided += want >= 0;
            deniedEarlier += want > 0;
            ++cases;
        }
        for (size_t l = 0; l < lists.size(); ++l)
        {
            for (size_t i = 0; i < lists[l].second->rules.size(); ++i)
            {
                ASSERT_EQ(lists[l].first->GetMatches(i), lists[l].second->matches[i])
                    << "set " << set << " list " << l << " line " << i;
            }
        }
    }
    EXPECT_GE(cases, 90000u);
    // The generator must exercise both outcomes and decisions past the first entry.
    EXPECT_GT(decided, cases / 10);
    EXPECT_GT(deniedEarlier, cases / 20);
    EXPECT_LT(decided, cases);
}

/**
 * The flow cache (IpsecSpd::SetFlowCache, on by default) against the line-by-line reference: a
 * few flows and skip lists that come back again and again (so most lookups are answered by the
 * cache), and between lookups random changes to the configuration and the SAs: lines added to
 * lists in use, entries added, an entry given another existing list (IpsecSpd::Invalidate),
 * counters cleared, bundles installed, removed and expired (through the entry's AddBundle and
 * RemoveBundle, and behind its back), the peer last heard from changed; some sets have dynamic
 * entries without a list, matched by their bundles. Decisions, bundles and every line's
 * counter must be those of the uncached walk.
 */
TEST(AclIndex, FlowCacheMatchesUncachedReference)
{
    std::mt19937_64 rng(17);
    const IpsecTrafficSelector wide =
        IpsecTrafficSelector::Subnets(Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0"),
                                      Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0"));
    size_t lookups = 0;
    size_t cachedSets = 0;
    size_t changes = 0;
    size_t protectedLookups = 0;
    for (int set = 0; set < 300; ++set)
    {
        static const IpsecLookupMode kModes[] = {IpsecLookupMode::AUTO, IpsecLookupMode::INDEXED,
                                                 IpsecLookupMode::LINEAR};
        Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
        spd->SetLookupMode(kModes[set % 3]);
        std::vector<RefEntry> ref;
        std::vector<std::pair<Ptr<IpsecAccessList>, std::shared_ptr<RefAcl>>> lists;
        std::vector<IpsecPolicyRule> allRules;
        const bool withBundleMatched = set % 10 == 9; // never cached: checked all the same
        auto addEntry = [&](uint32_t seq)
        {
            Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
            e->mapName = "m";
            e->seq = seq;
            e->keying = IpsecKeying::ISAKMP;
            RefEntry r{e, nullptr};
            if (withBundleMatched && rng() % 4 == 0)
            {
                e->keying = IpsecKeying::DYNAMIC; // no list: matched by its bundles' scopes
                e->AddBundle(BundleFor(rng() % 2 ? wide : RandomSelector(rng)));
            }
            else if (!lists.empty() && rng() % 5 == 0)
            {
                auto& l = lists[rng() % lists.size()];
                e->acl = l.first;
                r.acl = l.second;
            }
            else
            {
                auto refAcl = std::make_shared<RefAcl>();
                e->acl = Create<IpsecAccessList>();
                const size_t n = rng() % 10;
                for (size_t j = 0; j < n; ++j)
                {
                    const bool permit = rng() % 2 == 0;
                    const IpsecTrafficSelector sel = RandomSelector(rng);
                    e->AddRule(permit, sel);
                    refAcl->Add(permit, sel);
                    allRules.push_back({permit, sel});
                }
                r.acl = refAcl;
                lists.emplace_back(e->acl, refAcl);
            }
            spd->AddEntry(e); // replaces an entry with the same seq
            auto same = std::find_if(ref.begin(), ref.end(),
                                     [&](const RefEntry& x) { return x.entry->seq == seq; });
            if (same != ref.end())
            {
                *same = r;
                return;
            }
            auto at =
                std::upper_bound(ref.begin(), ref.end(), seq,
                                 [](uint32_t s, const RefEntry& x) { return s < x.entry->seq; });
            ref.insert(at, r);
        };
        const size_t entries = 1 + rng() % 8;
        for (size_t i = 0; i < entries; ++i)
        {
            addEntry(static_cast<uint32_t>(10 * (i + 1)));
        }
        // The traffic: a few flows and skip lists, each seen many times.
        std::vector<IpsecFlow> flows;
        for (int i = 0; i < 12; ++i)
        {
            flows.push_back(TestFlow(rng, allRules));
        }
        for (int k = 0; k < 400; ++k)
        {
            if (rng() % 25 == 0)
            {
                ++changes;
                switch (rng() % 7)
                {
                case 0: // a line added to a list in use
                    if (!lists.empty())
                    {
                        auto& l = lists[rng() % lists.size()];
                        const bool permit = rng() % 2 == 0;
                        const IpsecTrafficSelector sel = RandomSelector(rng);
                        l.first->Add(permit, sel);
                        l.second->Add(permit, sel);
                        flows[rng() % flows.size()] = FlowNear(rng, sel);
                    }
                    break;
                case 1: // a new entry between the others
                    addEntry(static_cast<uint32_t>(5 + 10 * (rng() % 10)));
                    break;
                case 2: // an entry given another list that exists already: no new line
                {
                    RefEntry& r = ref[rng() % ref.size()];
                    if (r.acl && !lists.empty())
                    {
                        auto& l = lists[rng() % lists.size()];
                        r.entry->acl = l.first;
                        r.acl = l.second;
                        spd->Invalidate();
                    }
                    break;
                }
                case 3: // clear access-list counters
                    if (!lists.empty())
                    {
                        auto& l = lists[rng() % lists.size()];
                        l.first->ResetCounters();
                        std::fill(l.second->matches.begin(), l.second->matches.end(), 0);
                    }
                    break;
                case 4: // SAs installed for an entry
                {
                    Ptr<IpsecPolicyEntry> e = ref[rng() % ref.size()].entry;
                    Ptr<IpsecSaBundle> b = BundleFor(rng() % 2 ? wide : RandomSelector(rng));
                    if (rng() % 4)
                    {
                        e->AddBundle(b);
                    }
                    else
                    {
                        e->bundles.push_back(b); // behind the cache's back: it must notice
                    }
                    break;
                }
                case 5: // SAs expired or deleted
                {
                    Ptr<IpsecPolicyEntry> e = ref[rng() % ref.size()].entry;
                    if (!e->bundles.empty())
                    {
                        const size_t b = rng() % e->bundles.size();
                        switch (rng() % 3)
                        {
                        case 0:
                            e->bundles[b]->outbound.front()->Expire();
                            break;
                        case 1:
                            e->RemoveBundle(e->bundles[b]); // unbound, its SAs still usable
                            break;
                        default:
                            e->bundles.erase(e->bundles.begin() + b); // behind its back
                        }
                    }
                    break;
                }
                case 6: // load sharing: traffic heard from a peer
                {
                    Ptr<IpsecPolicyEntry> e = ref[rng() % ref.size()].entry;
                    e->lastPeerHeard = rng() % 2 ? Ipv4Address("192.0.2.2") : Ipv4Address::GetAny();
                    break;
                }
                }
            }
            const IpsecFlow f = flows[rng() % flows.size()];
            std::vector<uint32_t> skip;
            if (rng() % 4 == 0)
            {
                skip.push_back(ref[rng() % ref.size()].entry->id);
            }
            int wantRule = -1;
            const int want = RefDecide(ref, f, skip, wantRule);
            const IpsecOutboundDecision d = spd->LookupOutbound(f, skip);
            ASSERT_EQ(d.entry ? d.entry->id : 0u, want >= 0 ? ref[want].entry->id : 0u)
                << "set " << set << " lookup " << k << " flow " << Describe(f);
            ASSERT_EQ(d.rule, wantRule) << "set " << set << " lookup " << k;
            if (want >= 0 && !(wantRule == IpsecPolicyEntry::kEveryPacket && !skip.empty()))
            {
                // The bundle is chosen per packet, from the SAs there are now.
                ASSERT_EQ(d.bundle, ref[want].entry->FindBundle(f, wantRule))
                    << "set " << set << " lookup " << k;
                protectedLookups += d.bundle != nullptr;
            }
            const int wantIn = RefDecide(ref, f.Reversed(), {}, wantRule);
            Ptr<IpsecPolicyEntry> in = spd->LookupInboundRequirement(f);
            ASSERT_EQ(in ? in->id : 0u, wantIn >= 0 ? ref[wantIn].entry->id : 0u)
                << "set " << set << " inbound " << Describe(f);
            for (size_t l = 0; l < lists.size(); ++l)
            {
                for (size_t i = 0; i < lists[l].second->rules.size(); ++i)
                {
                    ASSERT_EQ(lists[l].first->GetMatches(i), lists[l].second->matches[i])
                        << "set " << set << " lookup " << k << " list " << l << " line " << i;
                }
            }
            ++lookups;
        }
        cachedSets += spd->GetFlowCacheSize() > 0;
    }
    EXPECT_GE(lookups, 100000u);
    EXPECT_EQ(cachedSets, 300u);
    EXPECT_GT(changes, 3000u);
    EXPECT_GT(protectedLookups, lookups / 50);
}

TEST(AclIndex, FlowCacheOffGivesTheSameAnswers)
{
    // The same SPD asked with the cache on and off: same decisions and counts.
    Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
    e->mapName = "m";
    e->seq = 10;
    e->AddRule(false,
               IpsecTrafficSelector::Hosts(Ipv4Address("10.0.0.1"), Ipv4Address("10.0.0.2"), 0));
    e->AddRule(true, IpsecTrafficSelector::Subnets(Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0"),
                                                   Ipv4Address("10.0.0.0"), Ipv4Mask("255.0.0.0")));
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->AddEntry(e);
    IpsecFlow f;
    f.src = Ipv4Address("10.0.0.1");
    f.dst = Ipv4Address("10.0.0.3");
    f.protocol = 1;
    for (bool on : {true, false, true})
    {
        spd->SetFlowCache(on);
        EXPECT_EQ(spd->GetFlowCache(), on);
        for (int i = 0; i < 3; ++i)
        {
            const IpsecOutboundDecision d = spd->LookupOutbound(f);
            EXPECT_EQ(d.entry, e);
            EXPECT_EQ(d.rule, 1);
            EXPECT_EQ(d.action, IpsecOutboundDecision::Action::ACQUIRE);
        }
        EXPECT_EQ(spd->GetFlowCacheSize(), on ? 1u : 0u);
    }
    EXPECT_EQ(e->acl->GetMatches(0), 0u);
    EXPECT_EQ(e->acl->GetMatches(1), 9u);
}

// --- targeted cases -------------------------------------------------------------------------

IpsecFlow
Udp(const char* src, uint16_t sp, const char* dst, uint16_t dp)
{
    IpsecFlow f;
    f.src = Ipv4Address(src);
    f.dst = Ipv4Address(dst);
    f.protocol = 17;
    f.srcPort = sp;
    f.dstPort = dp;
    f.hasPorts = true;
    return f;
}

TEST(AclIndex, DenyInEarlierEntryCountsAndPassesOn)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->SetLookupMode(IpsecLookupMode::INDEXED);
    Ptr<IpsecPolicyEntry> e10 = Create<IpsecPolicyEntry>();
    e10->seq = 10;
    e10->AddRule(false,
                 IpsecTrafficSelector::Hosts(Ipv4Address("10.0.0.1"), Ipv4Address("10.0.0.2")));
    e10->AddRule(true, IpsecTrafficSelector::Any());
    Ptr<IpsecPolicyEntry> e20 = Create<IpsecPolicyEntry>();
    e20->seq = 20;
    e20->AddRule(true, IpsecTrafficSelector::Any());
    spd->AddEntry(e20);
    spd->AddEntry(e10);
    ASSERT_TRUE(spd->UsesIndex());

    IpsecOutboundDecision d = spd->LookupOutbound(Udp("10.0.0.1", 1, "10.0.0.2", 2));
    EXPECT_EQ(d.entry, e20); // the deny in 10 sends it on to 20
    EXPECT_EQ(d.rule, 0);
    EXPECT_EQ(e10->acl->GetMatches(0), 1u);
    EXPECT_EQ(e10->acl->GetMatches(1), 0u);
    d = spd->LookupOutbound(Udp("10.0.0.3", 1, "10.0.0.2", 2));
    EXPECT_EQ(d.entry, e10);
    EXPECT_EQ(d.rule, 1);
    EXPECT_EQ(e20->acl->GetMatches(0), 1u);
    // Skipping entry 20 (nested output) leaves the denied flow in the clear, still counted.
    d = spd->LookupOutbound(Udp("10.0.0.1", 1, "10.0.0.2", 2), {e20->id});
    EXPECT_EQ(d.action, IpsecOutboundDecision::Action::BYPASS);
    EXPECT_EQ(e10->acl->GetMatches(0), 2u);
    EXPECT_EQ(e20->acl->GetMatches(0), 1u);
}

TEST(AclIndex, SkipsEveryEntryOnlyWhenTheLookupCouldTakeNoEntry)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    Ptr<IpsecPolicyEntry> e10 = Create<IpsecPolicyEntry>();
    e10->seq = 10;
    e10->AddRule(true, IpsecTrafficSelector::Any());
    Ptr<IpsecPolicyEntry> e20 = Create<IpsecPolicyEntry>();
    e20->seq = 20;
    e20->AddRule(true, IpsecTrafficSelector::Any());
    EXPECT_TRUE(spd->SkipsEveryEntry(nullptr, 0)) << "no entry at all";
    spd->AddEntry(e10);
    const uint32_t only10[] = {e10->id};
    const uint32_t both[] = {e20->id, e10->id};
    const uint32_t twice10[] = {e10->id, e10->id};
    EXPECT_FALSE(spd->SkipsEveryEntry(nullptr, 0));
    EXPECT_TRUE(spd->SkipsEveryEntry(only10, 1));
    spd->AddEntry(e20); // a nested map: entry 20 is still to apply
    EXPECT_FALSE(spd->SkipsEveryEntry(only10, 1));
    EXPECT_FALSE(spd->SkipsEveryEntry(twice10, 2));
    EXPECT_TRUE(spd->SkipsEveryEntry(both, 2));
    // What it promises: the lookup with that skip list takes no entry and counts nothing.
    const IpsecOutboundDecision d = spd->LookupOutbound(Udp("10.0.0.1", 1, "10.0.0.2", 2), both, 2);
    EXPECT_EQ(d.action, IpsecOutboundDecision::Action::BYPASS);
    EXPECT_EQ(e10->acl->GetMatches(0), 0u);
    EXPECT_EQ(e20->acl->GetMatches(0), 0u);
}

TEST(AclIndex, DiscontiguousWildcardsAndPortOperatorsStayExact)
{
    Ptr<IpsecAccessList> acl = Create<IpsecAccessList>("x");
    acl->SetLookupMode(IpsecLookupMode::INDEXED);
    // permit udp 10.0.0.1 0.255.0.0 any range 100 200: second octet free, the rest fixed
    IpsecTrafficSelector odd;
    odd.srcAddr = Ipv4Address("10.0.0.1");
    odd.srcWildcard = 0x00ff0000;
    odd.protocol = 17;
    odd.srcPort = IpsecPortMatch::Range(100, 200);
    acl->Add(true, odd);
    IpsecTrafficSelector neq = IpsecTrafficSelector::Any();
    neq.protocol = 17;
    neq.dstPort = {IpsecPortMatch::Op::NEQ, 53, 53};
    acl->Add(false, neq);
    IpsecTrafficSelector gt = IpsecTrafficSelector::Any();
    gt.protocol = 17;
    gt.dstPort = {IpsecPortMatch::Op::GT, 1023, 1023};
    acl->Add(true, gt);

    EXPECT_EQ(acl->Evaluate(Udp("10.77.0.1", 150, "1.2.3.4", 53)), 0);
    EXPECT_EQ(acl->Evaluate(Udp("10.77.0.2", 150, "1.2.3.4", 53)), -1); // last octet differs
    EXPECT_EQ(acl->Evaluate(Udp("10.77.1.1", 150, "1.2.3.4", 53)), -1); // third octet differs
    EXPECT_EQ(acl->Evaluate(Udp("10.77.0.1", 201, "1.2.3.4", 9)), 1);   // out of range: neq 53
    EXPECT_EQ(acl->Evaluate(Udp("10.77.0.1", 201, "1.2.3.4", 53)), -1); // neq fails, gt fails
    IpsecFlow frag = Udp("10.77.0.1", 0, "1.2.3.4", 0);
    frag.hasPorts = false; // a later fragment: no port condition can match
    EXPECT_EQ(acl->Evaluate(frag), -1);
    EXPECT_EQ(acl->GetMatches(0), 1u);
    EXPECT_EQ(acl->GetMatches(1), 1u);
    EXPECT_EQ(acl->GetMatches(2), 0u);
}

TEST(AclIndex, EqZeroDoesNotMatchAFlowWithoutPorts)
{
    Ptr<IpsecAccessList> acl = Create<IpsecAccessList>("z");
    acl->SetLookupMode(IpsecLookupMode::INDEXED);
    IpsecTrafficSelector s = IpsecTrafficSelector::Any();
    s.protocol = 17;
    s.dstPort = IpsecPortMatch::Eq(0);
    acl->Add(true, s);
    IpsecFlow f = Udp("1.1.1.1", 0, "2.2.2.2", 0);
    EXPECT_EQ(acl->Evaluate(f), 0);
    f.hasPorts = false; // hashes like port 0, must not match
    EXPECT_EQ(acl->Evaluate(f), -1);
}

TEST(AclIndex, LongListFindsTheLastLineAndRebuildsAfterAdd)
{
    Ptr<IpsecAccessList> acl = Create<IpsecAccessList>("big");
    for (uint32_t i = 0; i < 10000; ++i)
    {
        acl->Add(true, IpsecTrafficSelector::Subnets(
                           Ipv4Address(0x0a000000u | (i << 8)), Ipv4Mask("255.255.255.0"),
                           Ipv4Address(0xac100000u | (i << 8)), Ipv4Mask("255.255.255.0")));
    }
    ASSERT_TRUE(acl->UsesIndex());
    IpsecFlow last = Udp("10.39.15.7", 1, "172.55.15.9", 2); // i = 9999 = 0x270f
    EXPECT_EQ(acl->Evaluate(last), 9999);
    IpsecFlow none = Udp("10.39.15.7", 1, "172.55.14.9", 2);
    EXPECT_EQ(acl->Evaluate(none), -1);
    acl->Add(false, IpsecTrafficSelector::Any());
    EXPECT_EQ(acl->Evaluate(none), 10000);
    EXPECT_EQ(acl->GetMatches(9999), 1u);
    EXPECT_EQ(acl->GetMatches(10000), 1u);
}

TEST(AclIndex, HubWithAThousandSpokes)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    std::vector<Ptr<IpsecPolicyEntry>> spokes;
    for (uint32_t i = 0; i < 1000; ++i)
    {
        Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
        e->seq = i + 1;
        e->AddRule(true, IpsecTrafficSelector::Subnets(
                             Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"),
                             Ipv4Address(0x0a800000u | (i << 8)), Ipv4Mask("255.255.255.0")));
        spd->AddEntry(e);
        spokes.push_back(e);
    }
    ASSERT_TRUE(spd->UsesIndex());
    IpsecFlow f = Udp("10.0.1.1", 1, "10.131.231.5", 2); // spoke 999 = 0x3e7
    IpsecOutboundDecision d = spd->LookupOutbound(f);
    EXPECT_EQ(d.entry, spokes[999]);
    EXPECT_EQ(d.action, IpsecOutboundDecision::Action::ACQUIRE);
    EXPECT_EQ(spd->LookupInboundRequirement(f.Reversed()), spokes[999]);
    EXPECT_EQ(spokes[999]->acl->GetMatches(0), 2u);
    EXPECT_EQ(spd->LookupOutbound(f, {spokes[999]->id}).action,
              IpsecOutboundDecision::Action::BYPASS);

    // Entries replaced in place (same seq) and changed after Invalidate() are seen.
    Ptr<IpsecPolicyEntry> replacement = Create<IpsecPolicyEntry>();
    replacement->seq = 1000;
    replacement->AddRule(false, IpsecTrafficSelector::Any());
    spd->AddEntry(replacement);
    EXPECT_EQ(spd->LookupOutbound(f).action, IpsecOutboundDecision::Action::BYPASS);
    EXPECT_EQ(replacement->acl->GetMatches(0), 1u);
    Ptr<IpsecAccessList> other = Create<IpsecAccessList>();
    other->Add(true, IpsecTrafficSelector::Any());
    spokes[0]->acl = other;
    spd->Invalidate();
    EXPECT_EQ(spd->LookupOutbound(f).entry, spokes[0]);
}

} // namespace
