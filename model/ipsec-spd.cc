#include "ipsec-spd.h"

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

int
IpsecPolicyEntry::Match(const IpsecFlow& flow) const
{
    if (!acl)
    {
        // A dynamic map entry without `match address` accepts whatever flow a peer proposes;
        // what it then protects are the flows negotiated (its temporary entries).
        if (keying == IpsecKeying::DYNAMIC)
        {
            for (const auto& b : bundles)
            {
                if (b->IsUsable() && b->scope.Matches(flow))
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
IpsecPolicyEntry::FindBundle(const IpsecFlow& flow) const
{
    // The newest bundle first: after a rekey the new SAs carry the traffic.
    for (auto it = bundles.rbegin(); it != bundles.rend(); ++it)
    {
        if ((*it)->IsUsable() && (*it)->scope.Matches(flow))
        {
            return *it;
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

IpsecOutboundDecision
IpsecSpd::LookupOutbound(const IpsecFlow& flow, const std::vector<uint32_t>& skip) const
{
    IpsecOutboundDecision d;
    for (const auto& e : m_entries)
    {
        if (std::find(skip.begin(), skip.end(), e->id) != skip.end())
        {
            continue;
        }
        int rule = e->Match(flow);
        if (rule < 0)
        {
            continue; // a deny only means "not by this entry": the next entry is tried
        }
        d.entry = e;
        d.rule = rule;
        d.bundle = e->FindBundle(flow);
        d.action = d.bundle ? IpsecOutboundDecision::Action::PROTECT
                            : IpsecOutboundDecision::Action::ACQUIRE;
        return d;
    }
    return d;
}

Ptr<IpsecPolicyEntry>
IpsecSpd::LookupInboundRequirement(const IpsecFlow& flow) const
{
    IpsecFlow reversed = flow.Reversed();
    for (const auto& e : m_entries)
    {
        if (e->Match(reversed) >= 0)
        {
            return e;
        }
    }
    return nullptr;
}

} // namespace ns3
