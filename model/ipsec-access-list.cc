#include "ipsec-access-list.h"

#include <algorithm>

namespace ns3
{

IpsecAccessList::IpsecAccessList(std::string name)
    : m_name(std::move(name))
{
}

void
IpsecAccessList::Add(bool permit, const IpsecTrafficSelector& selector)
{
    m_rules.push_back({permit, selector});
    m_matches.push_back(0);
}

int
IpsecAccessList::Evaluate(const IpsecFlow& flow) const
{
    for (size_t i = 0; i < m_rules.size(); ++i)
    {
        if (m_rules[i].selector.Matches(flow))
        {
            ++m_matches[i];
            return static_cast<int>(i);
        }
    }
    return -1;
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
