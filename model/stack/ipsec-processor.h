// The IPsec processor of one node: it only orchestrates (RFC 2401 5.1 and 5.2). Outbound: SPD
// lookup on the interface's crypto map set, SA bundle checkout, acquire when there is none,
// transforms, then the encapsulated packet goes back to IP. Inbound: SAD lookup per header,
// transforms, the inner packet re-enters IP as if it arrived on that interface, and a policy
// check drops clear traffic that should have been protected.
#ifndef IPSEC_PROCESSOR_H
#define IPSEC_PROCESSOR_H

#include "ns3/byte-source.h"
#include "ns3/crypto-engine.h"
#include "ns3/ipsec-drop-reason.h"
#include "ns3/ipsec-sad.h"
#include "ns3/ipsec-spd.h"
#include "ns3/ipsec-tags.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-header.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <array>
#include <map>
#include <memory>
#include <optional>

namespace ns3
{

class Node;
class Ipv4L3Protocol;
class Ipv4Interface;
class Ipv4Route;

/** The DF bit of the outer header built in tunnel mode (IOS `crypto ipsec df-bit`). */
enum class IpsecDfBit : uint8_t
{
    COPY,  //!< the inner header's DF (the IOS default)
    SET,   //!< always set: an outer packet above the egress MTU is dropped
    CLEAR, //!< always clear: IP fragments the outer packet, the peer reassembles it
};

class IpsecProcessor : public Object
{
public:
    static TypeId GetTypeId();
    IpsecProcessor();
    ~IpsecProcessor() override;

    /** Called on aggregation to a node that already has an IPv4 stack. */
    void SetNode(Ptr<Node> node);
    /** How many times a processor has been aggregated to an object, in this process (see
     *  IpsecEngineSet::GetAggregations). */
    static uint64_t GetAggregations();
    Ptr<Node> GetNode() const
    {
        return m_node;
    }
    Ptr<IpsecSad> GetSad() const
    {
        return m_sad;
    }

    /**
     * Apply a crypto map set to interface @p ifIndex (`crypto map NAME` in interface mode):
     * outbound packets of that interface are evaluated against @p spd and clear inbound packets
     * arriving on it are checked against it. @p localAddress is the tunnel source (the
     * interface's address, or that of `crypto map NAME local-address IFACE`).
     */
    void ApplySpd(uint32_t ifIndex, Ptr<IpsecSpd> spd, Ipv4Address localAddress);
    Ptr<IpsecSpd> GetSpd(uint32_t ifIndex) const;
    /** Remove the crypto map set from an interface (`no crypto map`). */
    void RemoveSpd(uint32_t ifIndex);
    /**
     * Make @p ifIndex a virtual tunnel interface (IOS `tunnel mode ipsec ipv4`; the `if_id` of
     * Linux xfrm): what comes out of the SAs of its crypto map set's entries arrives on this
     * interface instead of the one the ESP came in on, so that routing and the policy check see
     * it there. Its outbound packets are protected by that set as on any interface.
     */
    void SetTunnelInterface(uint32_t ifIndex, bool on);
    /**
     * Ask IKE for the SAs of @p entry of the set on @p ifIndex now, for @p scope, as a packet
     * would (an IOS tunnel interface negotiates when it comes up, without waiting for traffic).
     */
    void RequestSas(uint32_t ifIndex, Ptr<IpsecPolicyEntry> entry,
                    const IpsecTrafficSelector& scope);

    /**
     * Interface filters (`ip access-group ACL in|out`): ordinary packet filtering, before IPsec
     * inbound (so that denying ESP or UDP 500 breaks IPsec, as the spec warns) and on what
     * finally leaves outbound (the encapsulated packet). nullptr removes a filter.
     */
    void SetAccessGroup(uint32_t ifIndex, Ptr<IpsecAccessList> in, Ptr<IpsecAccessList> out);
    Ipv4Address GetLocalAddress(uint32_t ifIndex) const;

    /**
     * Install @p bundle's SAs in the SAD and bind the bundle to @p entry, giving each SA its IOS
     * connection id (IpsecSa::GetConnId: 2001, 2002, ... per router). With crypto engines
     * (SetEngineSet) the bundle is placed on one first: @p ikeConnId is the engine connection of
     * the IKE SA that negotiated it (0: manual keying or none).
     * @throws std::runtime_error on conflicts, or when the engines refuse the tunnel (a card at
     *         its tunnel limit that refuses more)
     */
    void InstallBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle,
                       uint32_t ikeConnId = 0);
    /** Remove @p bundle's SAs from the SAD and the bundle from @p entry. */
    void RemoveBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);

    /**
     * Who to tell when a bundle with an idle timeout (IpsecSaBundle::idleTimeout) carried nothing
     * for that long (IKE deletes it and tells the peer). Without a callback the bundle is simply
     * removed.
     */
    using IdleCallback = Callback<void, Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>>;
    void SetIdleCallback(IdleCallback cb)
    {
        m_idle = cb;
    }

    /** The outer DF bit in tunnel mode on every interface without a policy of its own. */
    void SetDfBit(IpsecDfBit policy);
    /** The outer DF bit for packets protected by the crypto map set of @p ifIndex; nullopt:
     *  the node's policy (SetDfBit). */
    void SetDfBit(uint32_t ifIndex, std::optional<IpsecDfBit> policy);
    /** The policy in force on @p ifIndex. */
    IpsecDfBit GetDfBit(uint32_t ifIndex) const;

    /** Packets held for @p entry (attribute AcquireQueue) are dropped: its negotiation failed. */
    void DropHeld(Ptr<IpsecPolicyEntry> entry);

    /**
     * Time the crypto work on these engines (the router's CPU and its cards): a protected packet
     * leaves, and a received one is handed on, when its engine has done the work; a full engine
     * queue drops it (ENGINE_QUEUE_FULL). Without engines (the default) crypto takes no time.
     * The engine set is also aggregated to the node, where routing finds it for switching cost.
     */
    void SetEngineSet(Ptr<IpsecEngineSet> engines);
    Ptr<IpsecEngineSet> GetEngineSet() const
    {
        return m_engines;
    }

    /** Replace the random source (IVs); the default is IpsecRandom::Stream("nodeN/ipsec"). */
    void SetByteSource(std::shared_ptr<ipsec::ByteSource> rng)
    {
        m_rng = std::move(rng);
    }

    /** What an ipsec-isakmp entry asks IKE for when a packet finds no SA. */
    struct Acquire
    {
        Ptr<IpsecPolicyEntry> entry;
        IpsecTrafficSelector scope; //!< the SA set's traffic (IpsecPolicyEntry::ScopeFor)
        IpsecFlow flow;             //!< the packet that triggered it
        uint32_t ifIndex = 0;       //!< the interface (its crypto map set and local address)
    };
    /** Who to tell when an ipsec-isakmp entry needs SAs (IKE). */
    using AcquireCallback = Callback<void, const Acquire&>;
    void SetAcquireCallback(AcquireCallback cb)
    {
        m_acquire = cb;
    }

    // --- entry points for the ns-3 hooks --------------------------------------------------
    /** Outbound packet on @p ifIndex. @return true if IPsec consumed it (protected or dropped). */
    bool ProcessOutbound(uint32_t ifIndex, Ptr<Packet> payload, const Ipv4Header& header);
    /** ESP, AH or IPComp packet addressed to this node, arrived on @p iface. */
    void ProcessInbound(Ptr<Packet> packet, const Ipv4Header& header, Ptr<Ipv4Interface> iface);

    /**
     * ESP that arrived inside UDP (RFC 3948) from @p src to our @p dst on interface
     * @p ifIndex; the UDP header is already gone (the IKE daemon's port-4500 socket hands it
     * over). Processed as if it had come as IP protocol 50.
     */
    void ProcessInboundUdpEncapsulated(Ptr<Packet> esp, Ipv4Address src, Ipv4Address dst,
                                       uint32_t ifIndex);
    /** Inbound policy check before routing. @return false if the packet was dropped. */
    bool CheckInbound(Ptr<const Packet> packet, const Ipv4Header& header, uint32_t ifIndex);

    const IpsecDropCounters& GetDrops() const
    {
        return m_drops;
    }
    uint64_t GetEncapsulated() const
    {
        return m_encapsulated;
    }
    uint64_t GetDecapsulated() const
    {
        return m_decapsulated;
    }

    /** A bundle installed for, or removed from, a policy entry. */
    using BundleTracedCallback = void (*)(Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>);
    /** Packet (payload), its IP header, the reason. */
    using DropTracedCallback = void (*)(Ptr<const Packet>, const Ipv4Header&, IpsecDropReason);

protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

private:
    /** The crypto map entries already applied to a packet at this node (its outbound tag). */
    using AppliedEntries = IpsecIdList<IpsecOutboundTag::kMaxEntries>;
    /** The inbound SAs one pass removed (its inbound tag). */
    using SaIds = IpsecIdList<IpsecInboundTag::kMaxSas>;
    /**
     * One packet's engine work, held in place: a bundle has at most three SAs (IPComp, ESP,
     * AH); deeper nesting inbound spills into the vector.
     */
    class PacketWork
    {
    public:
        void push_back(const IpsecCryptoOperation& op);
        const IpsecCryptoOperation* data() const
        {
            return m_spill.empty() ? m_ops.data() : m_spill.data();
        }
        size_t size() const
        {
            return m_n;
        }

    private:
        std::array<IpsecCryptoOperation, 3> m_ops;
        std::vector<IpsecCryptoOperation> m_spill; //!< all of them, once more than 3
        size_t m_n = 0;
    };

    void Drop(Ptr<const Packet> p, const Ipv4Header& h, IpsecDropReason r);
    /** Broadcast (limited or of a subnet of @p ifIndex) or multicast: never IPsec's. */
    bool IsGroupDestination(Ipv4Address dst, uint32_t ifIndex) const;
    void Encapsulate(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle,
                     const AppliedEntries& applied, Ptr<Packet> payload, const Ipv4Header& header,
                     uint32_t ifIndex);
    /** Arm (or re-arm) the idle check of @p bundle, due when it will have been idle long enough. */
    void ScheduleIdleCheck(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    void IdleCheck(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    /** DF set and @p size above the MTU of @p route: dropped, ICMP "fragmentation needed" to
     *  the inner packet's sender. @return true if dropped. */
    bool DropTooBig(Ptr<const Packet> payload, const Ipv4Header& header, const Ipv4Header& outer,
                    uint32_t size, Ptr<Ipv4Route> route);
    /** The rest of Encapsulate once the transforms are done (and timed): UDP, route, send. */
    void SendProtected(const Ptr<IpsecPolicyEntry>& entry, const Ptr<IpsecSaBundle>& bundle,
                       const AppliedEntries& applied, const Ptr<Packet>& payload,
                       const Ipv4Header& header, Ptr<Packet> data, Ipv4Header outer, uint8_t nh);
    /** The rest of ProcessInbound once every IPsec header is removed (and timed). */
    void FinishInbound(Ptr<Packet> data, Ipv4Header ip, const Ptr<Ipv4Interface>& iface,
                       const SaIds& saIds, uint8_t nh);
    /** The engine connection of @p sa's bundle (0: none). */
    uint32_t EngineConnection(const Ptr<IpsecSa>& sa) const;
    /**
     * Submit @p ops (one packet's work) to the engine of @p conn, all or none; @p done runs
     * after the last. @return false when the engine refused them (@p done never runs).
     */
    bool SubmitWork(uint32_t conn, const PacketWork& ops, Callback<void> done, bool encrypt);
    void Reinject(Ptr<Packet> packetWithHeader, Ptr<Ipv4Interface> iface, const SaIds& saIds);
    /** The interface decapsulated packets of @p saIds arrive on: a tunnel interface bound to
     *  them, else @p arrived. */
    Ptr<Ipv4Interface> ArrivalInterface(const SaIds& saIds, Ptr<Ipv4Interface> arrived) const;
    void EnsureL4Protocols();
    /** Install the outbound hook on an interface (once). */
    void AttachInterface(uint32_t ifIndex);

    struct InterfacePolicy
    {
        Ptr<IpsecSpd> spd; //!< may be null: filters only
        Ipv4Address local;
        Ptr<IpsecAccessList> aclIn;
        Ptr<IpsecAccessList> aclOut;
        bool tunnelInterface = false; //!< SetTunnelInterface
    };

    Ptr<Node> m_node;
    Ptr<Ipv4L3Protocol> m_ipv4;
    Ptr<IpsecSad> m_sad;
    std::map<uint32_t, InterfacePolicy> m_interfaces;
    std::shared_ptr<ipsec::ByteSource> m_rng;
    Ptr<IpsecEngineSet> m_engines;
    std::map<uint32_t, uint32_t> m_saConn;   //!< SA id -> engine tunnel (with engines only)
    uint32_t m_nextSaConnId = 2001;          //!< the IOS conn id of the next SA installed
    std::map<uint32_t, uint32_t> m_saTunnel; //!< inbound SA id -> its tunnel interface
    /** inbound SA id -> the entry of its bundle: traffic on it is heard from its peer */
    std::map<uint32_t, Ptr<IpsecPolicyEntry>> m_saEntry;
    bool m_fastCrypto = false;
    AcquireCallback m_acquire;
    IdleCallback m_idle;
    std::map<IpsecSaBundle*, EventId> m_idleEvents;
    std::map<uint32_t, IpsecDfBit> m_dfBit; //!< interface -> `crypto ipsec df-bit` of its own
    std::optional<IpsecDfBit> m_dfBitNode;  //!< the node's policy; unset: attribute CopyDf
    IpsecDropCounters m_drops;
    uint64_t m_encapsulated = 0;
    uint64_t m_decapsulated = 0;
    uint16_t m_nextIdentification = 0;
    bool m_l4Installed = false;
    /** Reused for every packet's byte tags (keeps its buffer): packed or unpacked at once. */
    IpsecCarriedTags m_carried;

    uint8_t m_outerTtl;
    uint32_t m_maxNesting;
    bool m_copyDf;
    uint32_t m_acquireQueue = 0;
    struct Held
    {
        Ptr<Packet> payload;
        Ipv4Header header;
        uint32_t ifIndex;
        Time since;
    };
    std::map<uint32_t, std::vector<Held>> m_held; //!< by entry id

    TracedCallback<Ptr<const Packet>, const Ipv4Header&, IpsecDropReason> m_dropTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_encapTrace;
    TracedCallback<Ptr<const Packet>, const Ipv4Header&> m_decapTrace;
    TracedCallback<const Acquire&> m_acquireTrace;
    TracedCallback<Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>> m_bundleInstalledTrace;
    TracedCallback<Ptr<IpsecPolicyEntry>, Ptr<IpsecSaBundle>> m_bundleRemovedTrace;
};

} // namespace ns3

#endif
