// The security policy database (RFC 2401 4.4.1) as a crypto map set compiles to it: an ordered
// list of entries (by seq-num); each entry holds ordered permit/deny rules (its crypto access
// list) and a template for the SAs that protect what its permits match. SAs bind late: an entry
// holds the SA bundles negotiated or configured for it, each covering one flow scope.
#ifndef IPSEC_SPD_H
#define IPSEC_SPD_H

#include "ns3/ipsec-access-list.h"
#include "ns3/ipsec-sa.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/simple-ref-count.h"

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * @brief The SAs that protect one flow scope to one peer: outbound in the order they are applied
 * (IPComp, then ESP, then AH: RFC 2393 compresses before encrypting, AH is outermost) and the
 * matching inbound SAs.
 */
class IpsecSaBundle : public SimpleRefCount<IpsecSaBundle>
{
public:
    IpsecTrafficSelector scope; //!< the traffic this bundle carries (outbound sense)
    Ipv4Address local;          //!< tunnel source (our address)
    Ipv4Address peer;           //!< tunnel destination
    IpsecMode mode = IpsecMode::TUNNEL;
    uint16_t udpEncapLocalPort = 0; //!< RFC 3948 ESP in UDP from this port (0: plain ESP)
    uint16_t udpEncapPeerPort = 0;  //!< ... to this port of the peer
    std::vector<Ptr<IpsecSa>> outbound;
    std::vector<Ptr<IpsecSa>> inbound;
    /** Delete the bundle when none of its SAs carried a packet for this long (IOS `set
     *  security-association idle-time`); zero: never idle out. */
    Time idleTimeout = Seconds(0);
    /** How many entries it is bound to by IpsecPolicyEntry::AddBundle (and not removed). */
    uint32_t bindings = 0;

    /** true while every outbound SA is usable. */
    bool IsUsable() const;
    /** The last time one of its SAs carried a packet (or was installed). */
    Time LastActivity() const;
};

/** How an entry gets its SAs. */
enum class IpsecKeying : uint8_t
{
    MANUAL,  //!< ipsec-manual: configured, never expire
    ISAKMP,  //!< ipsec-isakmp: negotiated on demand (acquire)
    DYNAMIC, //!< a dynamic map template: never initiates, drops when no SA exists
};

/** @brief A crypto map entry as the data plane sees it. */
class IpsecPolicyEntry : public SimpleRefCount<IpsecPolicyEntry>
{
public:
    IpsecPolicyEntry();
    const uint32_t id; //!< process-unique, carried in packet tags
    std::string mapName;
    uint32_t seq = 0;
    IpsecKeying keying = IpsecKeying::MANUAL;
    /** The crypto access list (`match address`); shared with `show access-lists`. An entry
     *  without one matches nothing. */
    Ptr<IpsecAccessList> acl;
    std::vector<Ipv4Address> peers;
    IpsecMode mode = IpsecMode::TUNNEL;
    bool perHost = false;   //!< set security-association level per-host
    uint64_t noSaDrops = 0; //!< packets this entry had to drop for want of an SA (#pkts no sa)
    /**
     * The SA bundles bound to the entry. Bind and unbind them with AddBundle and RemoveBundle,
     * which the SPD flow caches (IpsecSpd::SetFlowCache) follow cheaply; after any other change
     * to the vector (tests do that) they look at all of it again until the next of those calls.
     */
    std::vector<Ptr<IpsecSaBundle>> bundles;
    /** Bind @p b (at the end). */
    void AddBundle(Ptr<IpsecSaBundle> b)
    {
        bundles.push_back(b);
        ++b->bindings;
        ++bundlesAdded;
        bundlesKnownSize = bundles.size();
    }
    /** Unbind @p b. @return true if it was bound. */
    bool RemoveBundle(Ptr<IpsecSaBundle> b); // (by value: it may be one of `bundles`)
    /** Tell the flow caches that `bundles` changed in a way they cannot see. */
    void BundlesChanged()
    {
        ++bundlesEpoch;
    }
    uint64_t bundlesAdded = 0;   //!< AddBundle calls so far
    uint64_t bundlesEpoch = 0;   //!< BundlesChanged calls so far
    size_t bundlesKnownSize = 0; //!< the size after the last AddBundle or RemoveBundle
    /** true if `bundles` was changed only by AddBundle and RemoveBundle (as far as seen). */
    bool BundlesTracked() const
    {
        return bundles.size() == bundlesKnownSize;
    }
    /**
     * true if a bundle bound since @p added, @p epoch (the counts above then) may cover
     * @p flow: a usable one whose scope matches it, or the counts do not tell (BundlesChanged).
     */
    bool NewBundleCovers(uint64_t added, uint64_t epoch, const IpsecFlow& flow) const;
    /** A usable bundle whose scope matches @p flow: why an entry without a list matches it. */
    Ptr<IpsecSaBundle> CoveringBundle(const IpsecFlow& flow) const;
    /**
     * Load sharing (spec: "the last peer that the router heard from (received either traffic
     * or a negotiation request from)"): the peer whose SAs carry this entry's packets when SAs
     * to several of its peers exist, and the one IKE asks first. Any address: none yet.
     */
    Ipv4Address lastPeerHeard = Ipv4Address::GetAny();

    /** Append a line to the entry's access list (creating an unnamed list if it has none). */
    void AddRule(bool permit, const IpsecTrafficSelector& selector);
    /** Sort key within the crypto map set: seq, or an explicit value for dynamic-map entries
     *  that stand at their referencing entry's place. */
    uint64_t order = 0;
    uint64_t SortKey() const
    {
        return order ? order : seq;
    }
    /**
     * Evaluate the access list on @p flow (first match wins). @return the index of the permit rule
     * that matched, or -1 for a deny or no match; kEveryPacket for a dynamic entry whose list is
     * undefined or empty (it takes every packet that reaches it, and has no SA for any).
     */
    int Match(const IpsecFlow& flow) const;
    /** Match()'s answer for a dynamic entry that drops all packets (spec, dynamic maps:
     *  "if ... the specified access list does not exist or is empty, the router will drop all
     *  packets"). */
    static constexpr int kEveryPacket = 0x7fffffff;
    /** true for a dynamic entry with `match address` naming a list that is undefined or empty. */
    bool DropsEveryPacket() const;
    /**
     * The traffic a new SA set for @p flow must cover (what an acquire asks IKE for): the permit
     * line @p rule that matched (the spec: "the first permit statement that is matched ...
     * determine[s] the scope of the IPsec security association"), or, with `set
     * security-association level per-host`, only this source and destination host pair.
     */
    IpsecTrafficSelector ScopeFor(const IpsecFlow& flow, int rule) const;
    /**
     * The usable bundle that carries @p flow, matched by permit line @p rule: its scope covers
     * the flow and lies within that line (spec: traffic matching a different permit statement
     * gets "a new, separate IPsec security association"; the SAs of one line never carry
     * another line's traffic). Among several, the one to the peer last heard from, else the
     * newest (after a rekey the new SAs carry the traffic). @p rule -1, or a manual entry (one
     * line, one SA set): any covering bundle.
     */
    Ptr<IpsecSaBundle> FindBundle(const IpsecFlow& flow, int rule = -1) const;
    /** A short name, "MAP SEQ". */
    std::string Name() const;
};

/** Outcome of an outbound SPD lookup. */
struct IpsecOutboundDecision
{
    enum class Action : uint8_t
    {
        BYPASS,  //!< no entry permits: send in the clear
        PROTECT, //!< bundle is set
        ACQUIRE, //!< an entry permits but has no SA: ask for one (or drop)
    };
    Action action = Action::BYPASS;
    Ptr<IpsecPolicyEntry> entry;
    int rule = -1;
    Ptr<IpsecSaBundle> bundle;
};

/** @brief An ordered crypto map set (one per interface, or shared with local-address). */
class IpsecSpd : public Object
{
public:
    static TypeId GetTypeId();

    /** Add or replace (same seq) an entry, keeping seq-num order (lower = higher priority). */
    void AddEntry(Ptr<IpsecPolicyEntry> entry);
    const std::vector<Ptr<IpsecPolicyEntry>>& GetEntries() const
    {
        return m_entries;
    }

    /**
     * Outbound lookup (RFC 2401 5.1.1): entries in seq order; the first whose rules permit the
     * flow decides. @p skip lists entries that must not apply again (nested output).
     */
    IpsecOutboundDecision LookupOutbound(const IpsecFlow& flow,
                                         const std::vector<uint32_t>& skip = {}) const
    {
        return LookupOutbound(flow, skip.data(), skip.size());
    }
    /** LookupOutbound with the @p nSkip entry ids at @p skip (a packet's, without a vector). */
    IpsecOutboundDecision LookupOutbound(const IpsecFlow& flow, const uint32_t* skip,
                                         size_t nSkip) const;
    /**
     * true if every entry is among the @p nSkip ids at @p skip: then LookupOutbound with that
     * skip list decides BYPASS for any flow and counts nothing, so a caller holding no flow yet
     * need not build one (the ESP packet just made by the map's only entry, for example).
     */
    bool SkipsEveryEntry(const uint32_t* skip, size_t nSkip) const;

    /**
     * Inbound: the entry whose rules permit the reversed flow, i.e. the policy that says this
     * packet must have arrived protected. nullptr if none does.
     */
    Ptr<IpsecPolicyEntry> LookupInboundRequirement(const IpsecFlow& flow) const;

    /**
     * How lookups search the entries. AUTO and INDEXED use one IpsecSelectorIndex over the lines
     * of all entries (keyed by entry position, then line), which finds the same entry, the same
     * rule and increments the same access-list counters as the linear walk, including those of
     * deny lines in the entries before the deciding one. LINEAR walks the entries in order and
     * evaluates each entry's access list (itself indexed or not, by its own mode).
     */
    void SetLookupMode(IpsecLookupMode mode);
    IpsecLookupMode GetLookupMode() const
    {
        return m_mode;
    }
    /**
     * Drop the index. Adding entries or access-list lines does this by itself; call it after
     * changing an entry already added in place (its acl, keying or order).
     */
    void Invalidate();
    /** true if lookups currently go through the index. */
    bool UsesIndex() const;

    /**
     * The flow cache (on by default): the decision for each flow seen (the deciding entry and
     * rule, and which access-list lines a lookup counts), remembered as IOS fast switching
     * does, so that the next packet of the flow costs one hash lookup instead of a walk of the
     * entries. A cached lookup counts the same lines again, so `show access-lists` and `show
     * crypto map` print the same counters. The cache is dropped whenever an entry is added,
     * Invalidate() is called or any access list gains a line. What depends on SAs is checked
     * on every hit, at the cost of a few comparisons: the bundle remembered for the flow (and
     * the one that made an entry without a list match) must still be usable, the peer last
     * heard from the same, and a bundle bound since (IpsecPolicyEntry::AddBundle) must not
     * cover the flow; otherwise the flow is looked up again.
     */
    void SetFlowCache(bool on);
    bool GetFlowCache() const
    {
        return m_flowCacheOn;
    }
    /** Flows currently cached (for tests). */
    size_t GetFlowCacheSize() const
    {
        return m_flowCache.size();
    }
    /**
     * At most this many flows are cached; past it the cache starts again empty. A hub's flows
     * are cached in both directions (its outbound lookups and the inbound requirement of what
     * arrives), so 10,000 spokes with one flow each way need about 20,000 entries: a bound of
     * 16,384 emptied the cache before every flow had come round once, and each packet paid the
     * full walk of the dynamic entry's bundles again. An entry is a few hundred bytes, so the
     * bound caps the cache at a few tens of MB.
     */
    static constexpr size_t kFlowCacheMax = 131072;

    /** A set with at most this many access-list lines in all is walked linearly in AUTO mode. */
    static constexpr size_t kLinearMaxLines = 3;

private:
    /** One access-list line a lookup counted. */
    struct Counted
    {
        Ptr<IpsecAccessList> acl;
        uint32_t line;
    };
    /** An entry matched by its bundles (a dynamic entry without a list) that a lookup passed
     *  over, and its bundle counts then: a new bundle may make it match. */
    struct Watched
    {
        Ptr<IpsecPolicyEntry> entry;
        uint64_t added;
        uint64_t epoch;
    };
    /** What a lookup's decision rests on besides the configuration. */
    struct CountLog
    {
        std::vector<Counted> counted; //!< the lines it counted, in order
        std::vector<Watched> watched; //!< entries matched by bundles that did not match
        Ptr<IpsecSaBundle> witness;   //!< the bundle that made the decider match, if any
    };
    /** The skipped entries of a lookup. */
    struct Skip
    {
        const uint32_t* ids;
        size_t n;
        bool Contains(uint32_t id) const;
    };
    /** The first entry that decides for @p flow (sets @p rule), counting matches as it goes
     *  (and recording them in @p log when given). */
    Ptr<IpsecPolicyEntry> FindDecider(const IpsecFlow& flow, Skip skip, int& rule,
                                      CountLog* log) const;
    Ptr<IpsecPolicyEntry> FindDeciderLinear(const IpsecFlow& flow, Skip skip, int& rule,
                                            CountLog* log) const;
    void BuildIndex() const;
    /** true if the flow cache may answer now (emptying it first if it is stale). */
    bool FlowCacheUsable() const;

    /** A flow and the entries skipped for it: what a cached decision answers. */
    struct FlowKey
    {
        uint32_t src;
        uint32_t dst;
        uint16_t srcPort;
        uint16_t dstPort;
        uint8_t protocol;
        bool hasPorts;
        uint8_t nSkip;
        std::array<uint32_t, 8> skip; //!< the first nSkip are used
        bool operator==(const FlowKey& o) const;
    };
    struct FlowKeyHash
    {
        size_t operator()(const FlowKey& k) const;
    };
    struct CachedDecision
    {
        Ptr<IpsecPolicyEntry> entry; //!< null: no entry decides
        int rule = -1;
        CountLog log;
        // The decider's bundle for this flow (IpsecPolicyEntry::FindBundle), once asked, and
        // what it depends on: the entry's bundle counts and the peer last heard from.
        bool bundleKnown = false;
        Ptr<IpsecSaBundle> bundle;
        Ipv4Address peerHeard;
        uint64_t added = 0;
        uint64_t epoch = 0;
    };
    /** true if @p d still holds: the bundles it rests on are usable and none came since. */
    static bool StillValid(const CachedDecision& d, const IpsecFlow& flow);
    /** The decider's bundle for @p flow, through the cached decision @p d. */
    static Ptr<IpsecSaBundle> BundleOf(CachedDecision& d, const IpsecFlow& flow);
    /** The cached decision for @p flow and @p skip (looked up, checked, or made), or null when
     *  the cache is off or cannot hold the key; the lines it counts are counted. */
    CachedDecision* CachedDecide(const IpsecFlow& flow, Skip skip) const;
    /** The key of @p flow with @p skip; false if it cannot be cached (too many skipped). */
    static bool MakeKey(const IpsecFlow& flow, Skip skip, FlowKey& key);

    std::vector<Ptr<IpsecPolicyEntry>> m_entries;
    IpsecLookupMode m_mode = IpsecLookupMode::AUTO;
    mutable bool m_indexValid = false;
    mutable uint64_t m_indexGeneration = 0; //!< IpsecAccessList::GetGeneration() at the build
    mutable size_t m_indexedLines = 0;
    mutable IpsecSelectorIndex m_index;      //!< key: entry position << 32 | line
    mutable std::vector<uint32_t> m_special; //!< positions of entries matched by their bundles

    bool m_flowCacheOn = true;
    mutable bool m_cacheValid = false;
    mutable uint64_t m_cacheAclGeneration = 0; //!< IpsecAccessList::GetGeneration() then
    mutable std::unordered_map<FlowKey, CachedDecision, FlowKeyHash> m_flowCache;
};

} // namespace ns3

#endif
