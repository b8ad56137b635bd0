#include "ns3/ipsec-access-list.h"

#include <algorithm>
#include <atomic>
#include <map>

namespace ns3
{

namespace
{
std::atomic<uint64_t> g_aclGeneration{1};

/** The longest run of leading care bits of an IOS wildcard (1 bits = don't care), as a mask. */
uint32_t
PrefixMaskOf(uint32_t wildcard)
{
    const uint32_t care = ~wildcard;
    if (care == 0xffffffffu)
    {
        return care;
    }
    const int len = __builtin_clz(~care); // leading ones of care
    return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

inline uint64_t
AddrKey(uint32_t src, uint32_t srcMask, uint32_t dst, uint32_t dstMask)
{
    return (uint64_t(src & srcMask) << 32) | (dst & dstMask);
}

inline uint64_t
RestKey(uint8_t protocol, uint16_t srcPort, uint16_t dstPort)
{
    return (uint64_t(protocol) << 32) | (uint64_t(srcPort) << 16) | dstPort;
}

inline size_t
Hash(uint64_t a, uint64_t b)
{
    uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return static_cast<size_t>(h);
}
} // namespace

// --- IpsecSelectorIndex --------------------------------------------------------------------

void
IpsecSelectorIndex::Clear()
{
    m_pending.clear();
    m_lines.clear();
    m_slots.clear();
    m_groups.clear();
}

void
IpsecSelectorIndex::Add(const IpsecTrafficSelector& selector, uint64_t key)
{
    m_pending.push_back({key, 0, 0, selector});
}

void
IpsecSelectorIndex::Build()
{
    std::vector<Line> all;
    all.swap(m_pending);
    for (const auto& l : m_lines)
    {
        all.push_back(l); // a second Build() without Clear() keeps what was there
    }
    m_lines.clear();
    m_slots.clear();
    m_groups.clear();

    // Shape: source and destination prefix lengths, protocol given, eq on each port.
    std::map<uint32_t, std::vector<Line>> shapes;
    for (auto& l : all)
    {
        const IpsecTrafficSelector& s = l.selector;
        const uint32_t sm = PrefixMaskOf(s.srcWildcard);
        const uint32_t dm = PrefixMaskOf(s.dstWildcard);
        const bool proto = s.protocol != 0;
        const bool srcEq = s.srcPort.op == IpsecPortMatch::Op::EQ;
        const bool dstEq = s.dstPort.op == IpsecPortMatch::Op::EQ;
        l.a = AddrKey(s.srcAddr.Get(), sm, s.dstAddr.Get(), dm);
        l.b = RestKey(s.protocol, srcEq ? s.srcPort.lo : 0, dstEq ? s.dstPort.lo : 0);
        const uint32_t shape = uint32_t(__builtin_popcount(sm)) |
                               (uint32_t(__builtin_popcount(dm)) << 6) | (uint32_t(proto) << 12) |
                               (uint32_t(srcEq) << 13) | (uint32_t(dstEq) << 14);
        shapes[shape].push_back(l);
    }
    m_lines.reserve(all.size());
    for (auto& [shape, lines] : shapes)
    {
        std::sort(lines.begin(), lines.end(),
                  [](const Line& x, const Line& y) {
                      return x.a != y.a ? x.a < y.a : x.b != y.b ? x.b < y.b : x.key < y.key;
                  });
        size_t buckets = 0;
        for (size_t i = 0; i < lines.size(); ++i)
        {
            buckets += i == 0 || lines[i].a != lines[i - 1].a || lines[i].b != lines[i - 1].b;
        }
        size_t cap = 2;
        while (cap < 2 * buckets)
        {
            cap <<= 1;
        }
        const IpsecTrafficSelector& s = lines.front().selector;
        Group g;
        const uint32_t srcLen = shape & 0x3f;
        const uint32_t dstLen = (shape >> 6) & 0x3f;
        g.srcMask = srcLen == 0 ? 0 : 0xffffffffu << (32 - srcLen);
        g.dstMask = dstLen == 0 ? 0 : 0xffffffffu << (32 - dstLen);
        g.protocol = s.protocol != 0;
        g.srcEq = s.srcPort.op == IpsecPortMatch::Op::EQ;
        g.dstEq = s.dstPort.op == IpsecPortMatch::Op::EQ;
        g.minKey = NONE;
        g.maxKey = 0;
        g.slotBase = m_slots.size();
        g.slotMask = cap - 1;
        m_slots.resize(m_slots.size() + cap);
        for (size_t i = 0; i < lines.size();)
        {
            size_t j = i;
            while (j < lines.size() && lines[j].a == lines[i].a && lines[j].b == lines[i].b)
            {
                ++j;
            }
            Slot slot;
            slot.a = lines[i].a;
            slot.b = lines[i].b;
            slot.begin = static_cast<uint32_t>(m_lines.size());
            for (size_t k = i; k < j; ++k)
            {
                g.minKey = std::min(g.minKey, lines[k].key);
                g.maxKey = std::max(g.maxKey, lines[k].key);
                m_lines.push_back(lines[k]);
            }
            slot.end = static_cast<uint32_t>(m_lines.size());
            size_t h = Hash(slot.a, slot.b) & g.slotMask;
            while (m_slots[g.slotBase + h].end != 0)
            {
                h = (h + 1) & g.slotMask;
            }
            m_slots[g.slotBase + h] = slot;
            i = j;
        }
        m_groups.push_back(g);
    }
    std::sort(m_groups.begin(), m_groups.end(),
              [](const Group& x, const Group& y) { return x.minKey < y.minKey; });
}

uint64_t
IpsecSelectorIndex::FindFirst(const IpsecFlow& flow, uint64_t from) const
{
    uint64_t best = NONE;
    const uint32_t src = flow.src.Get();
    const uint32_t dst = flow.dst.Get();
    for (const Group& g : m_groups)
    {
        if (g.minKey >= best)
        {
            break; // the groups are in order of their smallest key: none can do better
        }
        if (g.maxKey < from)
        {
            continue;
        }
        const uint64_t a = AddrKey(src, g.srcMask, dst, g.dstMask);
        const uint64_t b = RestKey(g.protocol ? flow.protocol : 0, g.srcEq ? flow.srcPort : 0,
                                   g.dstEq ? flow.dstPort : 0);
        size_t h = Hash(a, b) & g.slotMask;
        const Slot* slot = &m_slots[g.slotBase + h];
        while (slot->end != 0 && (slot->a != a || slot->b != b))
        {
            h = (h + 1) & g.slotMask;
            slot = &m_slots[g.slotBase + h];
        }
        if (slot->end == 0)
        {
            continue;
        }
        auto it = m_lines.begin() + slot->begin;
        const auto end = m_lines.begin() + slot->end;
        if (from > it->key)
        {
            it = std::lower_bound(it, end, from,
                                  [](const Line& l, uint64_t k) { return l.key < k; });
        }
        for (; it != end && it->key < best; ++it)
        {
            // The hash covers the prefix part only: the selector decides.
            if (it->selector.Matches(flow))
            {
                best = it->key;
                break;
            }
        }
    }
    return best;
}

// --- IpsecAccessList -----------------------------------------------------------------------

IpsecAccessList::IpsecAccessList(std::string name) : m_name(std::move(name))
{
}

uint64_t
IpsecAccessList::GetGeneration()
{
    return g_aclGeneration.load(std::memory_order_relaxed);
}

void
IpsecAccessList::Add(bool permit, const IpsecTrafficSelector& selector)
{
    m_rules.push_back({permit, selector});
    m_matches.push_back(0);
    m_indexStale = true;
    g_aclGeneration.fetch_add(1, std::memory_order_relaxed);
}

void
IpsecAccessList::SetLookupMode(IpsecLookupMode mode)
{
    m_mode = mode;
}

bool
IpsecAccessList::UsesIndex() const
{
    switch (m_mode)
    {
    case IpsecLookupMode::INDEXED:
        return true;
    case IpsecLookupMode::LINEAR:
        return false;
    case IpsecLookupMode::AUTO:
        break;
    }
    return m_rules.size() > kLinearMaxLines;
}

int
IpsecAccessList::FindLinear(const IpsecFlow& flow) const
{
    for (size_t i = 0; i < m_rules.size(); ++i)
    {
        if (m_rules[i].selector.Matches(flow))
        {
            return static_cast<int>(i);
        }
    }
    return -1;
}

int
IpsecAccessList::Find(const IpsecFlow& flow) const
{
    if (!UsesIndex())
    {
        return FindLinear(flow);
    }
    if (m_indexStale)
    {
        m_index.Clear();
        for (size_t i = 0; i < m_rules.size(); ++i)
        {
            m_index.Add(m_rules[i].selector, i);
        }
        m_index.Build();
        m_indexStale = false;
    }
    const uint64_t k = m_index.FindFirst(flow);
    return k == IpsecSelectorIndex::NONE ? -1 : static_cast<int>(k);
}

int
IpsecAccessList::Evaluate(const IpsecFlow& flow) const
{
    const int i = Find(flow);
    if (i >= 0)
    {
        ++m_matches[i];
    }
    return i;
}

bool
IpsecAccessList::Permits(const IpsecFlow& flow) const
{
    int i = Evaluate(flow);
    return i >= 0 && m_rules[i].permit;
}

size_t
IpsecAccessList::CountPermits() const
{
    return static_cast<size_t>(
        std::count_if(m_rules.begin(), m_rules.end(), [](const auto& r) { return r.permit; }));
}

void
IpsecAccessList::ResetCounters()
{
    std::fill(m_matches.begin(), m_matches.end(), 0);
}

} // namespace ns3
