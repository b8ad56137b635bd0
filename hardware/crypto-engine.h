// Timed crypto engines: a router CPU (software crypto sharing the CPU with packet switching) and
// accelerator cards, each a FIFO server with a busy-until time, a depth limit and traces.
//
// The real bytes are computed by the caller at once (EspTransform and friends); an engine only
// says *when* the work is done: Submit() schedules the completion callback at
// max(now, busyUntil) + ServiceTime(op), the queue discipline of OMNeT++ INET's IPsec model
// (`lastProtectedOut = max(now, lastProtectedOut) + delay`) with a depth limit added, as IOS's
// crypto engine has ("ppq full" drops). Service times come from hardware/calibration.json
// through IpsecCalibration; see doc/hardware.md.
#ifndef IPSEC_CRYPTO_ENGINE_H
#define IPSEC_CRYPTO_ENGINE_H

#include "ns3/cipher.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"
#include "ns3/traced-value.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/** IOS switching paths that work with IPsec (the spec's Table 24). */
enum class IpsecSwitchingPath : uint8_t
{
    PROCESS,   //!< no ip route-cache
    FAST,      //!< ip route-cache, no CEF, no flow
    CEF,       //!< ip cef, no flow
    FAST_FLOW, //!< ip route-cache flow, no CEF
    CEF_FLOW,  //!< ip cef with ip route-cache flow
    COUNT      //!< number of paths, not a path
};
constexpr size_t kIpsecSwitchingPathCount = static_cast<size_t>(IpsecSwitchingPath::COUNT);
/** "process", "fast", "cef", "fast-flow", "cef-flow" (the calibration file's keys). */
const char* ToString(IpsecSwitchingPath path);
std::optional<IpsecSwitchingPath> IpsecSwitchingPathFromString(const std::string& name);

/** One unit of work for an engine. */
struct IpsecCryptoOperation
{
    enum Kind : uint8_t
    {
        PROTECT,    //!< ESP/AH outbound; bytes = the payload handed to the transform
        UNPROTECT,  //!< ESP/AH inbound; bytes = the protected payload (after the outer IP header)
        DH,         //!< one Diffie-Hellman modular exponentiation in group dhGroup
        RSA_SIGN,   //!< one RSA private-key operation with an rsaBits modulus
        RSA_VERIFY, //!< one RSA public-key operation
        FORWARD,    //!< switching one IP packet of `bytes` on `path` (software engine only)
    };
    Kind kind = PROTECT;
    ipsec::CipherAlgorithm cipher = ipsec::CipherAlgorithm::NULL_CIPHER;
    ipsec::AuthAlgorithm auth = ipsec::AuthAlgorithm::NONE;
    uint32_t bytes = 0;
    int dhGroup = 2; //!< IKE group: MODP 1, 2, 5, 14, 15, 16, 24; ECP 19, 20, 21
    uint32_t rsaBits = 1024;
    IpsecSwitchingPath path = IpsecSwitchingPath::CEF;

    static IpsecCryptoOperation Protect(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a,
                                        uint32_t bytes);
    static IpsecCryptoOperation Unprotect(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a,
                                          uint32_t bytes);
    static IpsecCryptoOperation Dh(int group);
    static IpsecCryptoOperation RsaSign(uint32_t bits = 1024);
    static IpsecCryptoOperation RsaVerify(uint32_t bits = 1024);
    static IpsecCryptoOperation Forward(IpsecSwitchingPath path, uint32_t bytes);
};
const char* ToString(IpsecCryptoOperation::Kind kind);
/**
 * Size in bits of IKE group @p group's prime: the MODP modulus (RFC 2409 6.1/6.2, RFC 3526, RFC
 * 5114 2.3) or the ECP field (RFC 5903: 256, 384, 521); 0 if unknown.
 */
uint32_t IpsecDhGroupBits(int group);
/** @return true for the elliptic-curve groups 19, 20 and 21 (RFC 5903). */
bool IpsecDhGroupIsEcp(int group);

/** Why an engine refused an operation (the caller decides what becomes of the packet). */
enum class IpsecEngineDropReason : uint8_t
{
    QUEUE_FULL,    //!< "queue-full": the queue is at its depth limit (IOS "ppq full")
    ENGINE_FAILED, //!< "engine-failed": the card has failed (the caller falls back to software)
    UNSUPPORTED,   //!< "unsupported": the engine cannot do this algorithm or operation
    COUNT
};
constexpr size_t kIpsecEngineDropReasonCount = static_cast<size_t>(IpsecEngineDropReason::COUNT);
const char* ToString(IpsecEngineDropReason reason);

/**
 * @brief A crypto engine: an abstract service-time model behind one FIFO server.
 *
 * Operations in the system (waiting or in service) are limited by the QueueDepth attribute;
 * beyond it Submit() refuses with QUEUE_FULL. Completions are delivered in submission order,
 * each at max(submit time, previous completion) + ServiceTime(op). Utilisation is the busy time
 * inside an interval, kept for UtilisationHistory.
 */
class IpsecCryptoEngine : public Object
{
public:
    static TypeId GetTypeId();
    IpsecCryptoEngine();
    ~IpsecCryptoEngine() override;

    /** Modelled time to perform @p op alone (no queueing). */
    virtual Time ServiceTime(const IpsecCryptoOperation& op) const = 0;
    /** Whether this engine can perform @p op at all (algorithm, offload). */
    virtual bool Supports(const IpsecCryptoOperation& op) const;
    /** False when the engine has failed and refuses all work. */
    virtual bool IsAvailable() const;
    virtual bool IsHardware() const = 0;
    /** One-line description for show output (platform or card). */
    virtual std::string Describe() const = 0;

    /**
     * Queue @p op; @p done (may be null) runs when it completes.
     * @return false, counting and tracing the reason, when the engine is unavailable, cannot do
     *         the operation, or its queue is at the depth limit; nothing is then scheduled.
     */
    bool Submit(const IpsecCryptoOperation& op, Callback<void> done);
    /**
     * Queue all of @p ops back to back, or none: @p done (may be null) runs when the last
     * completes. The work of one packet (AH and ESP of a bundle) is taken or refused whole, so
     * the engine never spends time on a packet it then drops. A refusal counts and traces the
     * reason once per operation.
     */
    bool SubmitAll(const std::vector<IpsecCryptoOperation>& ops, Callback<void> done)
    {
        return SubmitAll(ops.data(), ops.size(), std::move(done));
    }
    /** SubmitAll of the @p n operations at @p ops (a packet's, held without a vector). */
    bool SubmitAll(const IpsecCryptoOperation* ops, size_t n, Callback<void> done);
    /** When the operation submitted now would complete (no side effects). */
    Time PredictCompletion(const IpsecCryptoOperation& op) const;

    Time GetBusyUntil() const
    {
        return m_busyUntil;
    }
    /** Operations in the system (waiting or in service). */
    uint32_t GetQueueLength() const
    {
        return m_queueLength;
    }
    uint32_t GetQueueDepth() const;
    uint64_t GetCompleted() const
    {
        return m_completed;
    }
    uint64_t GetSubmitted() const
    {
        return m_submitted;
    }
    uint64_t GetDrops(IpsecEngineDropReason r) const
    {
        return m_drops[size_t(r)];
    }
    uint64_t GetTotalDrops() const;
    /** Busy time from creation to now (service already delivered, not future). */
    Time GetBusyTime() const;
    /** Fraction of [since, now] the server was busy (0 if the interval is empty). */
    double GetUtilisation(Time since) const;

    /** The Name attribute, or the engine's default name ("software", the card's name). */
    std::string GetName() const
    {
        return m_name.empty() ? DefaultName() : m_name;
    }
    void SetName(const std::string& name)
    {
        m_name = name;
    }

    /** Operation, time spent waiting, time in service. */
    using DelayTracedCallback = void (*)(const IpsecCryptoOperation&, Time, Time);
    /** Operation, why it was refused. */
    using DropTracedCallback = void (*)(const IpsecCryptoOperation&, IpsecEngineDropReason);
    /** Start and end of one operation's service. */
    using BusyTracedCallback = void (*)(Time, Time);

protected:
    void DoDispose() override;
    virtual std::string DefaultName() const
    {
        return "engine";
    }
    /** Depth used when the QueueDepth attribute is 0 (subclasses set it from calibration). */
    void SetDefaultQueueDepth(uint32_t depth)
    {
        m_defaultDepth = depth;
    }
    bool Refuse(const IpsecCryptoOperation& op, IpsecEngineDropReason reason);

private:
    struct Pending
    {
        IpsecCryptoOperation op;
        Callback<void> done;
        Time submitted;
        Time start;
        Time finish;
    };
    void Complete();
    void RecordBusy(Time start, Time end);

    std::string m_name;
    uint32_t m_queueDepthAttr = 0;
    uint32_t m_defaultDepth = 64;
    Time m_history;
    std::deque<Pending> m_pending;
    EventId m_next;
    Time m_busyUntil;
    TracedValue<uint32_t> m_queueLength;
    uint64_t m_completed = 0;
    uint64_t m_submitted = 0;
    std::array<uint64_t, kIpsecEngineDropReasonCount> m_drops{};
    std::deque<std::pair<Time, Time>> m_busy; //!< merged busy intervals, oldest first
    Time m_busyTotal; //!< busy time of every interval recorded, those dropped from m_busy too

    TracedCallback<const IpsecCryptoOperation&, Time, Time> m_delayTrace;
    TracedCallback<const IpsecCryptoOperation&, IpsecEngineDropReason> m_dropTrace;
    TracedCallback<Time, Time> m_busyTrace;
};

/** Cost of one algorithm in CPU cycles: per packet plus per byte. */
struct IpsecCycleCost
{
    double perPacket = 0;
    double perByte = 0;
};

/** A router platform's CPU as the calibration describes it (see IpsecCalibration). */
struct IpsecPlatformRecord
{
    std::string name;
    std::string description;
    double cpuHz = 0;
    /** Seconds of CPU per switched packet, by IpsecSwitchingPath. */
    std::array<double, kIpsecSwitchingPathCount> switchingSeconds{};
    std::map<ipsec::CipherAlgorithm, IpsecCycleCost> cipher;
    std::map<ipsec::AuthAlgorithm, IpsecCycleCost> auth;
    double ipsecCyclesPerPacket = 0; //!< SA lookup, headers, padding, buffers: once per packet
    double dhCycles1024 = 0;         //!< one 1024-bit modular exponentiation, full exponent
    /** One n-bit ECP scalar multiplication costs this times an n-bit modexp (bits^3 model). */
    double dhEcpFactor = 0;
    double rsaSignCycles1024 = 0;
    double rsaVerifyCycles1024 = 0;
    uint32_t queueDepth = 0; //!< 0: the engine's default
};

/** What a card does with a new SA when all its tunnels are taken. */
enum class IpsecOverLimitPolicy : uint8_t
{
    SOFTWARE, //!< the SA is processed by the router's software engine
    REFUSE    //!< the SA is refused (IKE fails the negotiation)
};

/** An accelerator card as the calibration describes it. */
struct IpsecCardRecord
{
    std::string name;
    std::string description;
    std::set<ipsec::CipherAlgorithm> ciphers;
    std::set<ipsec::AuthAlgorithm> auths; //!< NONE is always accepted
    double perPacketSeconds = 0;
    double perByteSeconds = 0;
    uint32_t maxTunnels = 0;
    IpsecOverLimitPolicy overLimit = IpsecOverLimitPolicy::REFUSE;
    bool dhOffload = false;
    bool rsaOffload = false;
    double dhSeconds1024 = 0;
    double rsaSignSeconds1024 = 0;
    double rsaVerifySeconds1024 = 0;
    uint32_t queueDepth = 0;
    std::vector<std::string> platforms;
};

/**
 * @brief The router's CPU as a crypto engine (IOS "software crypto engine").
 *
 * Crypto costs CPU cycles per packet and per byte for the cipher and the integrity algorithm plus
 * a fixed IPsec per-packet cost; switching a packet (Forward) costs the platform's per-packet time
 * for the switching path. Both occupy the same server, so crypto and forwarding share the CPU and
 * GetUtilisation() is the CPU utilisation they cause.
 */
class IpsecSoftwareEngine : public IpsecCryptoEngine
{
public:
    static TypeId GetTypeId();
    IpsecSoftwareEngine();

    void SetPlatform(const IpsecPlatformRecord& record);
    const IpsecPlatformRecord& GetPlatform() const
    {
        return m_platform;
    }
    /** Attribute "Platform": looks the name up in IpsecCalibration::Default(). */
    void SetPlatformName(const std::string& name);
    std::string GetPlatformName() const
    {
        return m_platform.name;
    }

    Time ServiceTime(const IpsecCryptoOperation& op) const override;
    bool Supports(const IpsecCryptoOperation& op) const override;
    bool IsHardware() const override
    {
        return false;
    }
    std::string Describe() const override;

    /** CPU time to switch one packet of @p bytes on @p path. */
    Time SwitchingCost(IpsecSwitchingPath path, uint32_t bytes) const;
    /** Switch one packet on the CPU (the same server as crypto); @see Submit. */
    bool Forward(IpsecSwitchingPath path, uint32_t bytes, Callback<void> done = Callback<void>());

protected:
    std::string DefaultName() const override
    {
        return "software";
    }

private:
    IpsecPlatformRecord m_platform;
    bool m_hasPlatform = false;
};

/**
 * @brief An accelerator card: throughput by packet size, a tunnel limit, DH/RSA offload.
 *
 * Service time per packet is perPacket + perByte * bytes for every algorithm the card does in
 * hardware. A failed card (attribute Failed) refuses all work; the caller moves to software.
 */
class IpsecHardwareEngine : public IpsecCryptoEngine
{
public:
    static TypeId GetTypeId();
    IpsecHardwareEngine();

    void SetCard(const IpsecCardRecord& record);
    const IpsecCardRecord& GetCard() const
    {
        return m_card;
    }
    /** Attribute "Card": looks the name up in IpsecCalibration::Default(). */
    void SetCardName(const std::string& name);
    std::string GetCardName() const
    {
        return m_card.name;
    }

    Time ServiceTime(const IpsecCryptoOperation& op) const override;
    bool Supports(const IpsecCryptoOperation& op) const override;
    bool IsAvailable() const override
    {
        return !m_failed;
    }
    bool IsHardware() const override
    {
        return true;
    }
    std::string Describe() const override;

    /** Does the card do this transform in hardware (ignoring failure and tunnel count)? */
    bool SupportsTransform(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a) const;
    /** Take a tunnel slot for a new SA pair. @return false at the limit or when failed. */
    bool AllocateTunnel();
    void ReleaseTunnel();
    uint32_t GetTunnels() const
    {
        return m_tunnels;
    }
    uint32_t GetMaxTunnels() const;
    IpsecOverLimitPolicy GetOverLimitPolicy() const
    {
        return m_card.overLimit;
    }

    void SetFailed(bool failed);
    bool IsFailed() const
    {
        return m_failed;
    }
    uint32_t GetSlot() const
    {
        return m_slot;
    }
    void SetSlot(uint32_t slot)
    {
        m_slot = slot;
    }

protected:
    std::string DefaultName() const override
    {
        return m_card.name;
    }

private:
    IpsecCardRecord m_card;
    bool m_hasCard = false;
    bool m_failed = false;
    uint32_t m_maxTunnelsAttr = 0;
    uint32_t m_tunnels = 0;
    uint32_t m_slot = 0;
};

/**
 * @brief The engines of one router: its CPU and any cards, and the SA-to-engine placement.
 *
 * IKE SAs go to the available card holding fewer IKE SAs (IOS Multi-ISA), else software.
 * A tunnel (an IPsec SA pair) goes to its IKE SA's card, or for manual SAs to the card holding
 * fewer tunnels; a card that does not do the transform, or has failed, leaves it to software;
 * a card at its tunnel limit applies its IpsecOverLimitPolicy. EngineFor() re-checks per packet,
 * so tunnels of a card that fails later continue in software.
 */
class IpsecEngineSet : public Object
{
public:
    static TypeId GetTypeId();
    IpsecEngineSet();

    /**
     * How many times an engine set has been aggregated to an object, in this process. Code that
     * caches a node's GetObject<IpsecEngineSet>() (once per packet otherwise: a walk of the
     * node's aggregate) compares it to know when to look again.
     */
    static uint64_t GetAggregations();

    void SetSoftware(Ptr<IpsecSoftwareEngine> cpu);
    Ptr<IpsecSoftwareEngine> GetSoftware() const
    {
        return m_software;
    }
    /** Add a card in @p slot (shown by show crypto engine). */
    void AddCard(Ptr<IpsecHardwareEngine> card, uint32_t slot);
    const std::vector<Ptr<IpsecHardwareEngine>>& GetCards() const
    {
        return m_cards;
    }

    struct Assignment
    {
        /** What was placed: the IKE SA's connection id (AssignIkeSa), or the tunnel's handle
         *  (AssignTunnel: internal, never shown; pass it to AddSa, EngineFor and Release).
         *  0 when refused. */
        uint32_t connId = 0;
        Ptr<IpsecCryptoEngine> engine; //!< null when refused
        Ptr<IpsecHardwareEngine> card; //!< the card holding it, or null (software)
        bool refused = false;
        std::string why; //!< why it is where it is
    };
    /**
     * Place a new IKE SA (its DH/RSA work and, by default, its IPsec SAs) under the IKE SA's own
     * connection id @p connId (IOS numbers them from 1001; the IKE daemon does). 0: the next id
     * from 1001 of this set's own (engines used without an IKE daemon).
     */
    Assignment AssignIkeSa(const std::string& label, uint32_t connId = 0);
    /**
     * Place a new tunnel (an SA bundle: its SAs share a card slot) protected with @p cipher and
     * @p auth; @p ikeConnId is the IKE SA that negotiated it (0: manual keying). Its SAs are
     * then added with AddSa under their own connection ids.
     */
    Assignment AssignTunnel(ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth,
                            const std::string& label, uint32_t ikeConnId = 0);
    /**
     * Add IPsec SA @p connId (its IOS conn id) of @p tunnel: one row of show crypto engine
     * connections active, done by the tunnel's engine. @p protocol is its IP protocol number
     * (50 ESP, 51 AH, 108 IPComp).
     */
    void AddSa(uint32_t tunnel, uint32_t connId, uint8_t protocol, bool inbound,
               ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth, const std::string& label);
    /** Free an IKE SA's connection, or a tunnel with its SAs and its card slot. */
    void Release(uint32_t connId);
    /** The engine that does the work of @p connId (a tunnel, an IPsec SA or an IKE SA) now
     *  (software once its card has failed). */
    Ptr<IpsecCryptoEngine> EngineFor(uint32_t connId) const;
    /** Engine for DH or RSA work of @p op: an available offloading card, else software. */
    Ptr<IpsecCryptoEngine> EngineForKeyExchange(const IpsecCryptoOperation& op) const;
    /** Count a packet for show crypto engine connections active: of IPsec SA (or IKE SA)
     *  @p connId, or of each SA of that direction of tunnel @p connId. */
    void CountPacket(uint32_t connId, bool encrypt);

    /** A connection the engines hold, as show crypto engine connections active lists them: an
     *  IKE SA or one IPsec SA. */
    struct Connection
    {
        uint32_t id = 0;
        bool ike = false;
        std::string label;
        ipsec::CipherAlgorithm cipher = ipsec::CipherAlgorithm::NULL_CIPHER;
        ipsec::AuthAlgorithm auth = ipsec::AuthAlgorithm::NONE;
        uint8_t protocol = 0;          //!< IPsec SAs: 50 ESP, 51 AH, 108 IPComp
        bool inbound = false;          //!< IPsec SAs: decrypts (true) or encrypts
        uint32_t tunnel = 0;           //!< IPsec SAs: the tunnel whose engine does its work
        Ptr<IpsecHardwareEngine> card; //!< null: software
        uint64_t encrypted = 0;
        uint64_t decrypted = 0;
    };
    /** The IKE SAs and IPsec SAs in force by connection id. */
    const std::map<uint32_t, Connection>& GetConnections() const
    {
        return m_connections;
    }
    /** The engine name IOS prints before an IPsec SA's flow number in its `flow_id` ("SW" for
     *  the software engine, the card's own name for a card). */
    std::string FlowIdPrefix(uint32_t connId) const;

    /** Switching path of packets leaving through interface @p ifIndex (IOS: per interface). */
    void SetSwitchingPath(uint32_t ifIndex, IpsecSwitchingPath path);
    IpsecSwitchingPath GetSwitchingPath(uint32_t ifIndex) const;
    /** Path of interfaces without one of their own (IOS default: fast switching). */
    void SetDefaultSwitchingPath(IpsecSwitchingPath path)
    {
        m_defaultPath = path;
    }

    /**
     * Switch one transit packet leaving through @p outIf on the CPU; @p done runs when the CPU
     * has done it. Without a software engine (no platform) @p done runs at once.
     * @return false when the CPU's input queue is full (the packet is dropped: counted here).
     */
    bool Forward(uint32_t outIf, uint32_t bytes, Callback<void> done);
    /** Transit packets dropped because the CPU queue was full (IOS input queue drops). */
    uint64_t GetForwardDrops() const
    {
        return m_forwardDrops;
    }
    uint64_t GetForwarded() const
    {
        return m_forwarded;
    }

protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

private:
    Ptr<IpsecHardwareEngine> CardOfIke(uint32_t ikeConnId) const;
    uint32_t IkeCount(const Ptr<IpsecHardwareEngine>& card) const;

    Ptr<IpsecSoftwareEngine> m_software;
    std::vector<Ptr<IpsecHardwareEngine>> m_cards;
    std::map<uint32_t, IpsecSwitchingPath> m_paths;
    IpsecSwitchingPath m_defaultPath = IpsecSwitchingPath::FAST;
    uint64_t m_forwardDrops = 0;
    uint64_t m_forwarded = 0;
    /** A tunnel: the card slot its SAs share. */
    struct Tunnel
    {
        Ptr<IpsecHardwareEngine> card; //!< null: software
        bool holdsSlot = false;
        std::vector<uint32_t> sas; //!< its IPsec SAs' connection ids
    };
    std::map<uint32_t, Connection> m_connections;
    std::map<uint32_t, Tunnel> m_tunnels;
    uint32_t m_nextIke = 1001;
    /** Tunnel handles: internal, in a range of their own so that they never meet an SA's id. */
    uint32_t m_nextTunnel = 0x40000001;
};

} // namespace ns3

#endif
