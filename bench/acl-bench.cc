// Crypto map lookup benchmark: the per-packet cost of IpsecAccessList::Evaluate and
// IpsecSpd::LookupOutbound as access lists and crypto maps grow, indexed against the linear walk
// IOS does.
//
// Three configurations, each built at 10, 1,000 and 10,000 lines (or entries):
//   acl          one access list, N lines `permit ip 10.0.0.0 0.0.255.255 10.D.D.0 0.0.0.255`
//                (one destination /24 per line, the crypto ACL of a hub), IpsecAccessList::Evaluate
//   acl-mixed    the same with four shapes of line in turn (prefixes, hosts, udp eq port, tcp
//                port range with a discontiguous source wildcard), IpsecAccessList::Evaluate
//   map-lines    one crypto map entry whose access list is that list, IpsecSpd::LookupOutbound
//   map-entries  a crypto map with N entries of one such line each (a hub with N spokes),
//                IpsecSpd::LookupOutbound
// and three flows: one that the first line matches, one that only the last line matches, and
// one that nothing matches (the implicit deny, or bypass). Each is looked up by the indexed
// object (lookup mode AUTO, as the data plane runs) and by an identical object in LINEAR mode
// (the reference). Before timing, both must give the same answer for every flow.
//
// For one configuration and flow, all variants (sizes x indexed/linear) run in the same round,
// batch by batch in forward then reverse order until each has --seconds of timed work, so noise
// hits all alike (a batch is calibrated to last about --seconds / 40, at least --batch lookups).
// ns/lookup is the median over --rounds rounds; a ratio N:10 is the median of the per-round ratios.
//
//   acl-bench [--seconds=0.05] [--rounds=5] [--batch=64] [--quick] [--json=FILE]
#include "bench-stats.h"
#include "ns3/ipsec-access-list.h"
#include "ns3/ipsec-spd.h"

#include "ns3/command-line.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::benchstats;

namespace
{

const std::vector<uint32_t> kSizes = {10, 1000, 10000};

/** Line i: 10.0.0.0/16 to 10.(128 + i / 256).(i % 256).0/24. */
IpsecTrafficSelector
Line(uint32_t i)
{
    return IpsecTrafficSelector::Subnets(
        Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"),
        Ipv4Address((10u << 24) | ((128u + i / 256) << 16) | ((i % 256) << 8)),
        Ipv4Mask("255.255.255.0"));
}

/**
 * Line i of the mixed list, four shapes in turn on the same destinations as Line(i):
 * the /16 to /24 above; host to host; `udp ... 0.0.0.255 eq 4500+i%1000`; `tcp 10.0.0.0
 * 0.0.255.255 10.D.D.0 0.0.0.255 range 1000 2000` with a discontiguous source wildcard
 * (0.0.255.254: even hosts only).
 */
IpsecTrafficSelector
MixedLine(uint32_t i)
{
    IpsecTrafficSelector s = Line(i);
    switch (i % 4)
    {
    case 1:
        s.srcAddr = Ipv4Address("10.0.1.1");
        s.srcWildcard = 0;
        s.dstAddr = Ipv4Address(s.dstAddr.Get() | 1);
        s.dstWildcard = 0;
        break;
    case 2:
        s.protocol = 17;
        s.dstPort = IpsecPortMatch::Eq(static_cast<uint16_t>(4500 + i % 1000));
        break;
    case 3:
        s.protocol = 6;
        s.srcWildcard = 0x0000fffe;
        s.dstPort = IpsecPortMatch::Range(1000, 2000);
        break;
    default:
        break;
    }
    return s;
}

/**
 * 16 flows (different hosts and ports) that line @p s matches, or, without @p s, flows that
 * nothing matches.
 */
std::vector<IpsecFlow>
Flows(const IpsecTrafficSelector* s)
{
    std::vector<IpsecFlow> out;
    for (uint32_t k = 0; k < 16; ++k)
    {
        IpsecFlow f;
        f.src = Ipv4Address((10u << 24) | ((k % 4) << 8) | (2 + 2 * k));
        f.dst = Ipv4Address((192u << 24) | (168u << 16) | (1 + k));
        f.protocol = 17;
        f.srcPort = static_cast<uint16_t>(1024 + k);
        f.dstPort = 5001;
        f.hasPorts = true;
        if (s)
        {
            f.src =
                Ipv4Address((s->srcAddr.Get() & ~s->srcWildcard) | (f.src.Get() & s->srcWildcard));
            f.dst = Ipv4Address((s->dstAddr.Get() & ~s->dstWildcard) | ((1 + k) & s->dstWildcard));
            f.protocol = s->protocol ? s->protocol : f.protocol;
            if (!s->dstPort.IsAny())
            {
                f.dstPort = s->dstPort.lo;
            }
        }
        out.push_back(f);
    }
    return out;
}

Ptr<IpsecAccessList>
MakeAcl(uint32_t n, IpsecLookupMode mode, bool mixed = false)
{
    Ptr<IpsecAccessList> acl = Create<IpsecAccessList>("bench");
    acl->SetLookupMode(mode);
    for (uint32_t i = 0; i < n; ++i)
    {
        acl->Add(true, mixed ? MixedLine(i) : Line(i));
    }
    return acl;
}

Ptr<IpsecSpd>
MakeMap(uint32_t n, bool oneEntryPerLine, IpsecLookupMode mode)
{
    Ptr<IpsecSpd> spd = CreateObject<IpsecSpd>();
    spd->SetLookupMode(mode);
    // The same few flows come back in every batch: with the flow cache on, the cache would be
    // timed instead of the index and the walk.
    spd->SetFlowCache(false);
    if (!oneEntryPerLine)
    {
        Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
        e->mapName = "hub";
        e->seq = 10;
        e->keying = IpsecKeying::ISAKMP;
        e->acl = MakeAcl(n, mode);
        spd->AddEntry(e);
        return spd;
    }
    for (uint32_t i = 0; i < n; ++i)
    {
        Ptr<IpsecPolicyEntry> e = Create<IpsecPolicyEntry>();
        e->mapName = "hub";
        e->seq = i + 1;
        e->keying = IpsecKeying::ISAKMP;
        e->acl = Create<IpsecAccessList>();
        e->acl->SetLookupMode(mode);
        e->acl->Add(true, Line(i));
        spd->AddEntry(e);
    }
    return spd;
}

/** One thing to time: a lookup function over a set of flows. */
struct Variant
{
    uint32_t size;
    bool indexed;
    /** Looks up flows[k % flows.size()], returns something that depends on the answer. */
    std::function<uint64_t(const IpsecFlow&)> lookup;
    std::vector<IpsecFlow> flows;
    std::vector<double> nsPerRound;
    uint32_t batch = 0; //!< lookups per timed batch (calibrated)
    double timed = 0;   //!< seconds in the current round
    uint64_t count = 0; //!< lookups in the current round
};

volatile uint64_t g_sink;

void
RunBatch(Variant& v, uint32_t batch)
{
    uint64_t acc = 0;
    const size_t nf = v.flows.size();
    auto t0 = Clock::now();
    for (uint32_t k = 0; k < batch; ++k)
    {
        acc += v.lookup(v.flows[k % nf]);
    }
    v.timed += Since(t0);
    v.count += batch;
    g_sink = g_sink + acc;
}

struct Options
{
    double seconds = 0.05;
    uint32_t rounds = 5;
    uint32_t batch = 64;
    bool quick = false;
    std::string json;
};

const char* const kConfigs[] = {"acl", "acl-mixed", "map-lines", "map-entries"};
const char* const kFlows[] = {"first", "last", "none"};

/** The lookup objects of one configuration, kept alive until all its flows are measured. */
struct Objects
{
    std::vector<Ptr<IpsecAccessList>> acls;
    std::vector<Ptr<IpsecSpd>> maps;
};

/** Parse the command line into @p o; false (after a message) if a value is out of range. */
bool
ParseOptions(int argc, char* argv[], Options& o)
{
    CommandLine cmd(__FILE__);
    cmd.AddValue("seconds", "Timed seconds per variant and round", o.seconds);
    cmd.AddValue("rounds", "Rounds (medians reported)", o.rounds);
    cmd.AddValue("batch", "Least lookups per timed batch", o.batch);
    cmd.AddValue("quick", "Smoke test: one tiny batch per variant", o.quick);
    cmd.AddValue("json", "Write the results to this JSON file", o.json);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.seconds = 0;
        o.rounds = 1;
        o.batch = 4;
    }
    if (o.rounds == 0 || o.batch == 0 || o.seconds < 0)
    {
        std::cerr << "acl-bench: --rounds and --batch must be positive, --seconds >= 0\n";
        return false;
    }
    return true;
}

/**
 * The variant of configuration @p config at @p n lines, @p indexed or linear, looking up
 * @p flows; its lookup object goes into @p keep.
 */
Variant
MakeVariant(const std::string& config, uint32_t n, bool indexed, std::vector<IpsecFlow> flows,
            Objects& keep)
{
    Variant v;
    v.size = n;
    v.indexed = indexed;
    v.flows = std::move(flows);
    const IpsecLookupMode mode = indexed ? IpsecLookupMode::AUTO : IpsecLookupMode::LINEAR;
    if (config == "acl" || config == "acl-mixed")
    {
        Ptr<IpsecAccessList> acl = MakeAcl(n, mode, config == "acl-mixed");
        keep.acls.push_back(acl);
        v.lookup = [acl](const IpsecFlow& f)
        { return static_cast<uint64_t>(acl->Evaluate(f) + 1); };
    }
    else
    {
        Ptr<IpsecSpd> spd = MakeMap(n, config == "map-entries", mode);
        keep.maps.push_back(spd);
        v.lookup = [spd](const IpsecFlow& f) -> uint64_t
        {
            IpsecOutboundDecision d = spd->LookupOutbound(f);
            return d.entry ? (uint64_t(d.entry->seq) << 20) + d.rule + 1 : 0;
        };
    }
    return v;
}

/**
 * Whether @p indexed and @p linear give the same answer for every flow, a match exactly when
 * @p expectMatch (a message on stderr if not).
 */
bool
IndexedAgreesWithLinear(const Variant& indexed, const Variant& linear, bool expectMatch,
                        const std::string& what)
{
    bool agree = true;
    for (const IpsecFlow& f : indexed.flows)
    {
        const uint64_t x = indexed.lookup(f);
        const uint64_t y = linear.lookup(f);
        if (x != y || (x != 0) != expectMatch)
        {
            std::cerr << "acl-bench: " << what << ": indexed " << x << ", linear " << y << "\n";
            agree = false;
        }
    }
    return agree;
}

/**
 * The variants of one configuration and flow kind: per size, indexed then linear, checked to
 * agree before anything is timed (@p agree becomes false if they do not).
 */
std::vector<Variant>
MakeVariants(const std::string& config, const std::string& flowKind, Objects& keep, bool& agree)
{
    std::vector<Variant> vs;
    for (uint32_t n : kSizes)
    {
        const int64_t line = flowKind == "first" ? 0 : flowKind == "last" ? int64_t(n) - 1 : -1;
        const IpsecTrafficSelector sel = config == "acl-mixed"
                                             ? MixedLine(uint32_t(std::max<int64_t>(line, 0)))
                                             : Line(uint32_t(std::max<int64_t>(line, 0)));
        for (bool indexed : {true, false})
        {
            vs.push_back(MakeVariant(config, n, indexed, Flows(line >= 0 ? &sel : nullptr), keep));
        }
        const std::string what = config + "/" + flowKind + " n=" + std::to_string(n);
        agree =
            IndexedAgreesWithLinear(vs[vs.size() - 2], vs[vs.size() - 1], line >= 0, what) && agree;
    }
    return vs;
}

/**
 * Batch sizes: a batch of each variant lasts about seconds / 40, so that slow and fast variants
 * interleave finely and each round takes about --seconds per variant.
 */
void
CalibrateBatches(const Options& o, std::vector<Variant>& vs)
{
    for (auto& v : vs)
    {
        v.batch = o.batch;
        while (!o.quick && v.batch < (1u << 24))
        {
            v.timed = 0;
            v.count = 0;
            RunBatch(v, v.batch);
            if (v.timed >= o.seconds / 40)
            {
                break;
            }
            v.batch *= 2;
        }
    }
}

/**
 * One round: every variant batch by batch, in forward then reverse order, until each has
 * --seconds of timed work; each variant's ns/lookup goes into its nsPerRound.
 */
void
RunRound(const Options& o, std::vector<Variant>& vs)
{
    for (auto& v : vs)
    {
        v.timed = 0;
        v.count = 0;
    }
    bool forward = true;
    bool more = true;
    while (more)
    {
        for (size_t i = 0; i < vs.size(); ++i)
        {
            Variant& v = vs[forward ? i : vs.size() - 1 - i];
            if (v.count == 0 || v.timed < o.seconds)
            {
                RunBatch(v, v.batch);
            }
        }
        forward = !forward;
        more = false;
        for (const auto& v : vs)
        {
            more = more || v.timed < o.seconds;
        }
    }
    for (auto& v : vs)
    {
        v.nsPerRound.push_back(1e9 * v.timed / double(v.count));
    }
}

void
PrintHeader()
{
    std::printf("%-11s %-5s %-7s %10s %10s %10s %8s %8s\n", "config", "flow", "lookup", "ns@10",
                "ns@1000", "ns@10000", "1000:10", "10000:10");
}

/**
 * Print the table row of the indexed or the linear variants of @p vs (one per size); returns
 * it as JSON.
 */
nlohmann::json
ReportRow(const Options& o, const std::string& config, const std::string& flowKind, bool indexed,
          const std::vector<Variant>& vs)
{
    std::vector<const Variant*> row;
    for (const auto& v : vs)
    {
        if (v.indexed == indexed)
        {
            row.push_back(&v);
        }
    }
    // The median of the per-round ratios of size row[big] to size 10.
    auto ratio = [&](size_t big)
    {
        std::vector<double> per;
        for (uint32_t r = 0; r < o.rounds; ++r)
        {
            per.push_back(row[big]->nsPerRound[r] / row[0]->nsPerRound[r]);
        }
        return Median(per);
    };
    const double r1k = ratio(1);
    const double r10k = ratio(2);
    std::printf("%-11s %-5s %-7s %10.1f %10.1f %10.1f %8.2f %8.2f\n", config.c_str(),
                flowKind.c_str(), indexed ? "indexed" : "linear", Median(row[0]->nsPerRound),
                Median(row[1]->nsPerRound), Median(row[2]->nsPerRound), r1k, r10k);
    nlohmann::json j;
    j["config"] = config;
    j["flow"] = flowKind;
    j["lookup"] = indexed ? "indexed" : "linear";
    for (const Variant* v : row)
    {
        j["ns_per_lookup"][std::to_string(v->size)] = Median(v->nsPerRound);
        j["ns_per_round"][std::to_string(v->size)] = v->nsPerRound;
    }
    j["ratio_1000_10"] = r1k;
    j["ratio_10000_10"] = r10k;
    return j;
}

/** Write the settings and @p results to --json; false (after a message) if it fails. */
bool
WriteJson(const Options& o, const nlohmann::json& results)
{
    nlohmann::json top;
    top["benchmark"] = "acl-bench";
    top["seconds"] = o.seconds;
    top["rounds"] = o.rounds;
    top["batch"] = o.batch;
    top["quick"] = o.quick;
    top["results"] = results;
    std::ofstream f(o.json);
    f << top.dump(2) << "\n";
    if (!f)
    {
        std::cerr << "acl-bench: cannot write " << o.json << "\n";
        return false;
    }
    return true;
}

} // namespace

int
main(int argc, char* argv[])
{
    Options o;
    if (!ParseOptions(argc, argv, o))
    {
        return 2;
    }
    nlohmann::json results = nlohmann::json::array();
    PrintHeader();
    bool agree = true;
    for (const char* config : kConfigs)
    {
        Objects keep;
        for (const char* flowKind : kFlows)
        {
            std::vector<Variant> vs = MakeVariants(config, flowKind, keep, agree);
            CalibrateBatches(o, vs);
            for (uint32_t r = 0; r < o.rounds; ++r)
            {
                RunRound(o, vs);
            }
            for (bool indexed : {true, false})
            {
                results.push_back(ReportRow(o, config, flowKind, indexed, vs));
            }
            std::fflush(stdout);
        }
    }
    if (!o.json.empty() && !WriteJson(o, results))
    {
        return 1;
    }
    if (!agree)
    {
        std::cerr << "acl-bench: indexed and linear lookups disagree\n";
        return 1;
    }
    return 0;
}
