// An IP access list as the data plane evaluates it: ordered permit/deny lines, first match wins,
// an implicit deny at the end, and a match counter per line (`show access-lists`). Used both as a
// crypto access list (inside a crypto map entry) and as an interface filter (`ip access-group`).
#ifndef IPSEC_ACCESS_LIST_H
#define IPSEC_ACCESS_LIST_H

#include "ipsec-traffic-selector.h"

#include "ns3/simple-ref-count.h"

#include <string>
#include <vector>

namespace ns3
{

/** One line of an access list. */
struct IpsecPolicyRule
{
    bool permit = true;
    IpsecTrafficSelector selector;
};

class IpsecAccessList : public SimpleRefCount<IpsecAccessList>
{
  public:
    explicit IpsecAccessList(std::string name = "");

    void Add(bool permit, const IpsecTrafficSelector& selector);
    const std::vector<IpsecPolicyRule>& GetRules() const { return m_rules; }
    const std::string& GetName() const { return m_name; }

    /**
     * The index of the first line that matches @p flow (its match counter is incremented), or
     * -1 when none does (the implicit deny).
     */
    int Evaluate(const IpsecFlow& flow) const;
    /** true if the first matching line is a permit. */
    bool Permits(const IpsecFlow& flow) const;
    /** How many permit lines the list has (manual crypto map entries allow one). */
    size_t CountPermits() const;

    uint64_t GetMatches(size_t line) const { return m_matches.at(line); }
    void ResetCounters();

  private:
    std::string m_name;
    std::vector<IpsecPolicyRule> m_rules;
    mutable std::vector<uint64_t> m_matches;
};

} // namespace ns3

#endif
