#include "ns3/ipsec-spd.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IpsecSpd);

bool
IpsecSaBundle::IsUsable() const
{
    if (outbound.empty())
    {
        return false;
    }
    for (const auto& sa : outbound)
    {
        if (sa->IsExpired())
        {
            return false;
        }
    }
    return true;
}

Time
IpsecSaBundle::LastActivity() const
{
    Time last;
    for (const auto* v : {&outbound, &inbound})
    {
        for (const auto& sa : *v)
        {
            last = std::max(last, sa->GetLastActivity());
        }
    }
    return last;
}

namespace
{
uint32_t g_nextEntryId = 1;
}

IpsecPolicyEntry::IpsecPolicyEntry() : id(g_nextEntryId++)
{
}

void
IpsecPolicyEntry::AddRule(bool permit, const IpsecTrafficSelector& selector)
{
    if (!acl)
    {
        acl = Create<IpsecAccessList>();
    }
    acl->Add(permit, selector);
}

bool
IpsecPolicyEntry::DropsEveryPacket() const
{
    return keying == IpsecKeying::DYNAMIC && acl && acl->GetRules().empty();
}

int
IpsecPolicyEntry::Match(const IpsecFlow& flow) const
{
    if (DropsEveryPacket())
    {
        return kEveryPacket;
    }
    if (!acl)
    {
        // A dynamic map entry without `match address` accepts whatever flow a peer proposes;
        // what it then protects are the flows negotiated (its temporary entries).
        if (keying == IpsecKeying::DYNAMIC)
        {
            for (const auto& b : bundles)
            {
                if (b->scope.Matches(flow) && b->IsUsable())
                {
                    return 0;
                }
            }
        }
        return -1;
    }
    int i = acl->Evaluate(flow);
    return i >= 0 && acl->GetRules()[i].permit ? i : -1; // deny or the implicit deny: -1
}

IpsecTrafficSelector
IpsecPolicyEntry::ScopeFor(const IpsecFlow& flow, int rule) const
{
    if (!acl)
    {
        return IpsecTrafficSelector::Hosts(flow.src, flow.dst, flow.protocol);
    }
    IpsecTrafficSelector scope = acl->GetRules().at(rule).selector;
    if (perHost)
    {
        scope.srcAddr = flow.src;
        scope.srcWildcard = 0;
        scope.dstAddr = flow.dst;
        scope.dstWildcard = 0;
    }
    return scope;
}

Ptr<IpsecSaBundle>
IpsecPolicyEntry::FindBundle(const IpsecFlow& flow, int rule) const
{
    if (rule == kEveryPacket)
    {
        return nullptr;
    }
    const IpsecTrafficSelector* line = nullptr;
    // (A manual entry has one permit line and one SA set: it serves whatever the entry selects,
    // even after the line changed, until `clear crypto sa` makes new SAs.)
    if (keying != IpsecKeying::MANUAL && acl && rule >= 0 &&
        static_cast<size_t>(rule) < acl->GetRules().size())
    {
        line = &acl->GetRules()[rule].selector;
    }
    // The newest bundle first: after a rekey the new SAs carry the traffic.
    Ptr<IpsecSaBundle> newest;
    for (auto it = bundles.rbegin(); it != bundles.rend(); ++it)
    {
        const Ptr<IpsecSaBundle>& b = *it;
        if (!b->scope.Matches(flow) || !b->IsUsable() || (line && !b->scope.Within(*line)))
        {
            continue;
        }
        if (b->peer == lastPeerHeard)
        {
            return b;
        }
        newest = newest ? newest : b;
    }
    return newest;
}

bool
IpsecPolicyEntry::NewBundleCovers(uint64_t added, uint64_t epoch, const IpsecFlow& flow) const
{
    if (epoch != bundlesEpoch || !BundlesTracked() || bundlesAdded - added > bundles.size())
    {
        return true; // changed otherwise: cannot tell
    }
    // The bundles bound since are the last ones (removals only take bundles out).
    for (size_t i = bundles.size() - (bundlesAdded - added); i < bundles.size(); ++i)
    {
        if (bundles[i]->scope.Matches(flow) && bundles[i]->IsUsable())
        {
            return true;
        }
    }
    return false;
}

bool
IpsecPolicyEntry::RemoveBundle(Ptr<IpsecSaBundle> b)
{
    const bool bound = std::find(bundles.begin(), bundles.end(), b) != bundles.end();
    bundles.erase(std::remove(bundles.begin(), bundles.end(), b), bundles.end());
    if (bound && b->bindings > 0)
    {
        --b->bindings;
    }
    bundlesKnownSize = bundles.size();
    return bound;
}

Ptr<IpsecSaBundle>
IpsecPolicyEntry::CoveringBundle(const IpsecFlow& flow) const
{
    for (const auto& b : bundles)
    {
        if (b->scope.Matches(flow) && b->IsUsable())
        {
            return b;
        }
    }
    return nullptr;
}

std::string
IpsecPolicyEntry::Name() const
{
    std::ostringstream os;
    os << mapName << " " << seq;
    return os.str();
}

TypeId
IpsecSpd::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecSpd")
                            .SetParent<Object>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecSpd>();
    return tid;
}

void
IpsecSpd::AddEntry(Ptr<IpsecPolicyEntry> entry)
{
    auto same = std::find_if(m_entries.begin(), m_entries.end(),
                             [&](const Ptr<IpsecPolicyEntry>& e)
                             { return e->SortKey() == entry->SortKey(); });
    m_indexValid = false;
    m_cacheValid = false;
    if (same != m_entries.end())
    {
        *same = entry;
        return;
    }
    auto pos = std::upper_bound(m_entries.begin(), m_entries.end(), entry,
                                [](const Ptr<IpsecPolicyEntry>& a, const Ptr<IpsecPolicyEntry>& b)
                                { return a->SortKey() < b->SortKey(); });
    m_entries.insert(pos, entry);
}

void
IpsecSpd::SetLookupMode(IpsecLookupMode mode)
{
    m_mode = mode;
}

void
IpsecSpd::Invalidate()
{
    m_indexValid = false;
    m_cacheValid = false;
}

void
IpsecSpd::SetFlowCache(bool on)
{
    m_flowCacheOn = on;
    m_cacheValid = false;
    m_flowCache.clear();
}

bool
IpsecSpd::Skip::Contains(uint32_t id) const
{
    return std::find(ids, ids + n, id) != ids + n;
}

void
IpsecSpd::BuildIndex() const
{
    m_index.Clear();
    m_special.clear();
    m_indexedLines = 0;
    for (size_t pos = 0; pos < m_entries.size(); ++pos)
    {
        const Ptr<IpsecPolicyEntry>& e = m_entries[pos];
        if (e->DropsEveryPacket())
        {
            m_special.push_back(static_cast<uint32_t>(pos)); // no line, yet it takes everything
            continue;
        }
        if (!e->acl)
        {
            // Without an access list only a dynamic entry can match (by its bundles' scopes,
            // which change as SAs come and go): it is asked directly when its turn comes.
            if (e->keying == IpsecKeying::DYNAMIC)
            {
                m_special.push_back(static_cast<uint32_t>(pos));
            }
            continue;
        }
        const auto& rules = e->acl->GetRules();
        for (size_t i = 0; i < rules.size(); ++i)
        {
            m_index.Add(rules[i].selector, (uint64_t(pos) << 32) | i);
        }
        m_indexedLines += rules.size();
    }
    m_index.Build();
    m_indexValid = true;
    m_indexGeneration = IpsecAccessList::GetGeneration();
}

bool
IpsecSpd::UsesIndex() const
{
    if (m_mode == IpsecLookupMode::LINEAR)
    {
        return false;
    }
    if (!m_indexValid || m_indexGeneration != IpsecAccessList::GetGeneration())
    {
        BuildIndex();
    }
    return m_mode == IpsecLookupMode::INDEXED || m_indexedLines > kLinearMaxLines;
}

namespace
{
/** Match() of an entry without an access list (or one that drops every packet) gave @p rule:
 *  for the flow cache, what that answer rests on when it rests on the entry's bundles. */
template <typename Log>
void
NoteBundleMatch(const Ptr<IpsecPolicyEntry>& e, int rule, const IpsecFlow& flow, Log* log)
{
    if (!log || e->acl || e->keying != IpsecKeying::DYNAMIC)
    {
        return; // no log, or an answer given by the configuration alone
    }
    if (rule >= 0)
    {
        log->witness = e->CoveringBundle(flow);
    }
    else
    {
        log->watched.push_back({e, e->bundlesAdded, e->bundlesEpoch});
    }
}
} // namespace

Ptr<IpsecPolicyEntry>
IpsecSpd::FindDeciderLinear(const IpsecFlow& flow, Skip skip, int& rule, CountLog* log) const
{
    for (const auto& e : m_entries)
    {
        if (skip.Contains(e->id))
        {
            continue;
        }
        if (e->acl && !e->DropsEveryPacket())
        {
            // IpsecPolicyEntry::Match, keeping the line it counts
            const int line = e->acl->Evaluate(flow);
            if (line >= 0 && log)
            {
                log->counted.push_back({e->acl, static_cast<uint32_t>(line)});
            }
            if (line >= 0 && e->acl->GetRules()[line].permit)
            {
                rule = line;
                return e;
            }
            continue; // a deny only means "not by this entry": the next entry is tried
        }
        rule = e->Match(flow);
        NoteBundleMatch(e, rule, flow, log);
        if (rule >= 0)
        {
            return e;
        }
    }
    rule = -1;
    return nullptr;
}

Ptr<IpsecPolicyEntry>
IpsecSpd::FindDecider(const IpsecFlow& flow, Skip skip, int& rule, CountLog* log) const
{
    if (!UsesIndex())
    {
        return FindDeciderLinear(flow, skip, rule, log);
    }
    // The index yields, in entry order, each entry's first matching line: exactly the entries
    // the linear walk would see match something. An entry whose first match is a deny has its
    // counter incremented and passes the flow on, as in the walk.
    constexpr size_t kNone = SIZE_MAX;
    size_t next = 0;    // the first position not yet decided on
    size_t special = 0; // cursor in m_special
    uint64_t found = 0; // m_index.FindFirst(flow, next << 32), when fresh
    bool fresh = false;
    while (true)
    {
        while (special < m_special.size() && m_special[special] < next)
        {
            ++special;
        }
        if (!fresh)
        {
            found = m_index.FindFirst(flow, uint64_t(next) << 32);
            fresh = true;
        }
        const size_t linePos = found == IpsecSelectorIndex::NONE ? kNone : size_t(found >> 32);
        const size_t specialPos = special < m_special.size() ? m_special[special] : kNone;
        if (linePos == kNone && specialPos == kNone)
        {
            rule = -1;
            return nullptr;
        }
        const bool bySpecial = specialPos < linePos;
        const size_t pos = bySpecial ? specialPos : linePos;
        const Ptr<IpsecPolicyEntry>& e = m_entries[pos];
        next = pos + 1;
        fresh = bySpecial; // the line found lies beyond a special entry: still the next one
        if (skip.Contains(e->id))
        {
            continue;
        }
        if (bySpecial)
        {
            rule = e->Match(flow);
            NoteBundleMatch(e, rule, flow, log);
            if (rule >= 0)
            {
                return e;
            }
            continue;
        }
        const size_t line = static_cast<size_t>(found & 0xffffffffu);
        ++e->acl->m_matches[line];
        if (log)
        {
            log->counted.push_back({e->acl, static_cast<uint32_t>(line)});
        }
        if (e->acl->m_rules[line].permit)
        {
            rule = static_cast<int>(line);
            return e;
        }
    }
}

bool
IpsecSpd::FlowKey::operator==(const FlowKey& o) const
{
    return src == o.src && dst == o.dst && srcPort == o.srcPort && dstPort == o.dstPort &&
           protocol == o.protocol && hasPorts == o.hasPorts && nSkip == o.nSkip &&
           std::equal(skip.begin(), skip.begin() + nSkip, o.skip.begin());
}

size_t
IpsecSpd::FlowKeyHash::operator()(const FlowKey& k) const
{
    uint64_t h = (uint64_t(k.src) << 32) ^ k.dst;
    h ^= (uint64_t(k.srcPort) << 48) ^ (uint64_t(k.dstPort) << 32) ^ (uint64_t(k.protocol) << 8) ^
         (uint64_t(k.hasPorts) << 1) ^ k.nSkip;
    for (uint8_t i = 0; i < k.nSkip; ++i)
    {
        h = h * 0x9e3779b97f4a7c15ULL ^ k.skip[i];
    }
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return static_cast<size_t>(h);
}

bool
IpsecSpd::MakeKey(const IpsecFlow& flow, Skip skip, FlowKey& key)
{
    if (skip.n > key.skip.size())
    {
        return false;
    }
    key.src = flow.src.Get();
    key.dst = flow.dst.Get();
    key.srcPort = flow.srcPort;
    key.dstPort = flow.dstPort;
    key.protocol = flow.protocol;
    key.hasPorts = flow.hasPorts;
    key.nSkip = static_cast<uint8_t>(skip.n);
    key.skip.fill(0);
    std::copy(skip.ids, skip.ids + skip.n, key.skip.begin());
    return true;
}

bool
IpsecSpd::FlowCacheUsable() const
{
    if (!m_flowCacheOn)
    {
        return false;
    }
    if (!m_cacheValid || m_cacheAclGeneration != IpsecAccessList::GetGeneration())
    {
        m_flowCache.clear();
        m_cacheValid = true;
        m_cacheAclGeneration = IpsecAccessList::GetGeneration();
    }
    return true;
}

namespace
{
/** A bundle still usable and bound (a removed one's SAs are normally expired too). */
bool
Bound(const Ptr<IpsecSaBundle>& b)
{
    return b->bindings > 0 && b->IsUsable();
}
} // namespace

bool
IpsecSpd::StillValid(const CachedDecision& d, const IpsecFlow& flow)
{
    if (d.log.witness && (!Bound(d.log.witness) || !d.entry->BundlesTracked()))
    {
        return false; // the decider matched by a bundle that has expired (or gone) since
    }
    for (const Watched& w : d.log.watched)
    {
        if (w.entry->NewBundleCovers(w.added, w.epoch, flow))
        {
            return false; // an entry passed over may match now
        }
    }
    return true;
}

Ptr<IpsecSaBundle>
IpsecSpd::BundleOf(CachedDecision& d, const IpsecFlow& flow)
{
    const IpsecPolicyEntry& e = *d.entry;
    // FindBundle's choice stands while the bundle stays usable (none becomes usable again), the
    // peer last heard from is the same and no bundle bound since covers the flow (a new one
    // would be preferred, or be the first).
    if (d.bundleKnown && (!d.bundle || Bound(d.bundle)) && e.lastPeerHeard == d.peerHeard &&
        !e.NewBundleCovers(d.added, d.epoch, flow))
    {
        return d.bundle;
    }
    d.bundle = e.FindBundle(flow, d.rule);
    d.bundleKnown = true;
    d.peerHeard = e.lastPeerHeard;
    d.added = e.bundlesAdded;
    d.epoch = e.bundlesEpoch;
    return d.bundle;
}

IpsecSpd::CachedDecision*
IpsecSpd::CachedDecide(const IpsecFlow& flow, Skip skip) const
{
    FlowKey key;
    if (!FlowCacheUsable() || !MakeKey(flow, skip, key))
    {
        return nullptr;
    }
    auto hit = m_flowCache.find(key);
    if (hit != m_flowCache.end() && StillValid(hit->second, flow))
    {
        // The same lines count as the lookup would count them.
        for (const Counted& c : hit->second.log.counted)
        {
            ++c.acl->m_matches[c.line];
        }
        return &hit->second;
    }
    if (hit == m_flowCache.end() && m_flowCache.size() >= kFlowCacheMax)
    {
        m_flowCache.clear(); // a bound on memory; the flows in use come back at once
    }
    CachedDecision d;
    d.entry = FindDecider(flow, skip, d.rule, &d.log);
    if (hit != m_flowCache.end())
    {
        hit->second = std::move(d);
        return &hit->second;
    }
    return &m_flowCache.emplace(key, std::move(d)).first->second;
}

bool
IpsecSpd::SkipsEveryEntry(const uint32_t* skip, size_t nSkip) const
{
    if (nSkip < m_entries.size())
    {
        return false; // fewer ids than entries (whose ids are distinct) cannot name them all
    }
    const Skip s{skip, nSkip};
    for (const auto& e : m_entries)
    {
        if (!s.Contains(e->id))
        {
            return false;
        }
    }
    return true;
}

IpsecOutboundDecision
IpsecSpd::LookupOutbound(const IpsecFlow& flow, const uint32_t* skip, size_t nSkip) const
{
    IpsecOutboundDecision d;
    int rule = -1;
    CachedDecision* cached = CachedDecide(flow, Skip{skip, nSkip});
    Ptr<IpsecPolicyEntry> e =
        cached ? cached->entry : FindDecider(flow, Skip{skip, nSkip}, rule, nullptr);
    rule = cached ? cached->rule : rule;
    if (!e || (rule == IpsecPolicyEntry::kEveryPacket && nSkip != 0))
    {
        // (An entry that drops every packet does not take what this node has just protected:
        // the ESP or AH of an entry before it, looked up again for nesting.)
        return d;
    }
    d.entry = e;
    d.rule = rule;
    d.bundle = cached ? BundleOf(*cached, flow) : e->FindBundle(flow, rule);
    d.action =
        d.bundle ? IpsecOutboundDecision::Action::PROTECT : IpsecOutboundDecision::Action::ACQUIRE;
    return d;
}

Ptr<IpsecPolicyEntry>
IpsecSpd::LookupInboundRequirement(const IpsecFlow& flow) const
{
    const IpsecFlow reversed = flow.Reversed();
    if (CachedDecision* cached = CachedDecide(reversed, Skip{nullptr, 0}))
    {
        return cached->entry;
    }
    int rule = -1;
    return FindDecider(reversed, Skip{nullptr, 0}, rule, nullptr);
}

} // namespace ns3
