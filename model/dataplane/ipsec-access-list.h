// An IP access list as the data plane evaluates it: ordered permit/deny lines, first match wins,
// an implicit deny at the end, and a match counter per line (`show access-lists`). Used both as a
// crypto access list (inside a crypto map entry) and as an interface filter (`ip access-group`).
//
// IOS searches an access list line by line. Here a list longer than a few lines is searched
// through an index (IpsecSelectorIndex, a tuple-space search) that returns exactly the line a
// linear scan would, so a 10,000-line list costs about as much per packet as a 10-line one.
#ifndef IPSEC_ACCESS_LIST_H
#define IPSEC_ACCESS_LIST_H

#include "ns3/ipsec-traffic-selector.h"

#include "ns3/simple-ref-count.h"

#include <cstdint>
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

/** How an access list or a crypto map set is searched for a flow. */
enum class IpsecLookupMode : uint8_t
{
    AUTO,    //!< the index for long lists, a linear scan for short ones (where it is faster)
    INDEXED, //!< always the index
    LINEAR,  //!< always line by line, as IOS does (the reference)
};

/**
 * @brief A classifier over traffic selectors that answers "the smallest key among the lines that
 * match this flow" (tuple-space search).
 *
 * Lines are grouped by their shape: the longest prefix of the source and of the destination
 * wildcard's care bits, whether a protocol is given, and whether each port condition is `eq`.
 * Each group is a hash table on the flow's fields masked by the shape; a bucket holds its lines
 * sorted by key. A lookup probes each group once (groups in order of their smallest key, stopping
 * when no group can beat the best match so far) and confirms a candidate with the selector's own
 * IpsecTrafficSelector::Matches, so what the hash does not cover (discontiguous wildcard bits,
 * `range`, `gt`, `lt`, `neq`, packets without ports) stays exact: such lines share a bucket with
 * their prefix neighbours and are checked one by one. The cost per lookup grows with the number
 * of distinct shapes, not with the number of lines.
 */
class IpsecSelectorIndex
{
public:
    static constexpr uint64_t NONE = UINT64_MAX; //!< FindFirst: no line matches

    void Clear();
    /** Queue a line; keys must be distinct. Build() makes it searchable. */
    void Add(const IpsecTrafficSelector& selector, uint64_t key);
    /** (Re)build the tables from the lines added since Clear(). */
    void Build();
    /** The smallest key >= @p from whose line matches @p flow, or NONE. */
    uint64_t FindFirst(const IpsecFlow& flow, uint64_t from = 0) const;

    size_t GetNLines() const
    {
        return m_lines.size();
    }
    size_t GetNGroups() const
    {
        return m_groups.size();
    }

private:
    struct Line
    {
        uint64_t key;
        uint64_t a; //!< masked source and destination addresses (hash key, first half)
        uint64_t b; //!< protocol and ports the shape hashes on (second half)
        IpsecTrafficSelector selector;
    };
    struct Slot
    {
        uint64_t a = 0;
        uint64_t b = 0;
        uint32_t begin = 0;
        uint32_t end = 0; //!< 0: empty slot (a bucket holds at least one line)
    };
    struct Group
    {
        uint32_t srcMask;
        uint32_t dstMask;
        bool protocol;
        bool srcEq;
        bool dstEq;
        uint64_t minKey;
        uint64_t maxKey;
        size_t slotBase;
        size_t slotMask;
    };
    std::vector<Line> m_pending;
    std::vector<Line> m_lines; //!< bucket by bucket, each sorted by key
    std::vector<Slot> m_slots; //!< the groups' open-addressing tables, one after the other
    std::vector<Group> m_groups;
};

class IpsecSpd;

class IpsecAccessList : public SimpleRefCount<IpsecAccessList>
{
public:
    explicit IpsecAccessList(std::string name = "");

    /** Append a line. The index is rebuilt on the next evaluation. */
    void Add(bool permit, const IpsecTrafficSelector& selector);
    const std::vector<IpsecPolicyRule>& GetRules() const
    {
        return m_rules;
    }
    const std::string& GetName() const
    {
        return m_name;
    }

    /**
     * The index of the first line that matches @p flow (its match counter is incremented), or
     * -1 when none does (the implicit deny).
     */
    int Evaluate(const IpsecFlow& flow) const;
    /** As Evaluate, but counts nothing. */
    int Find(const IpsecFlow& flow) const;
    /** true if the first matching line is a permit. */
    bool Permits(const IpsecFlow& flow) const;
    /** How many permit lines the list has (manual crypto map entries allow one). */
    size_t CountPermits() const;

    uint64_t GetMatches(size_t line) const
    {
        return m_matches.at(line);
    }
    void ResetCounters();

    void SetLookupMode(IpsecLookupMode mode);
    IpsecLookupMode GetLookupMode() const
    {
        return m_mode;
    }
    /** true if lookups currently go through the index (AUTO: the list is long enough). */
    bool UsesIndex() const;

    /** Lists at most this long are scanned line by line in AUTO mode. */
    static constexpr size_t kLinearMaxLines = 3;

    /**
     * A counter that changes whenever a line is added to any access list: what caches built
     * from access lists (IpsecSpd's index) compare to know they are stale.
     */
    static uint64_t GetGeneration();

private:
    friend class IpsecSpd; // counts the matches its own index finds
    int FindLinear(const IpsecFlow& flow) const;

    std::string m_name;
    std::vector<IpsecPolicyRule> m_rules;
    mutable std::vector<uint64_t> m_matches;
    IpsecLookupMode m_mode = IpsecLookupMode::AUTO;
    mutable bool m_indexStale = true;
    mutable IpsecSelectorIndex m_index;
};

} // namespace ns3

#endif
