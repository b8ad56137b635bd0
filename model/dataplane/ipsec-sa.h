// A security association (RFC 2401 4.4.3, RFC 4301 4.4.2): one direction of one protocol.
#ifndef IPSEC_SA_H
#define IPSEC_SA_H

#include "ns3/cipher.h"
#include "ns3/compression.h"
#include "ns3/ipsec-drop-reason.h"
#include "ns3/ipsec-replay-window.h"
#include "ns3/ipsec-traffic-selector.h"

#include "ns3/event-id.h"
#include "ns3/event-impl.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object-base.h"
#include "ns3/simple-ref-count.h"
#include "ns3/traced-callback.h"

#include <initializer_list>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/** IPsec security protocols by IP protocol number. */
enum class IpsecProtocol : uint8_t
{
    ESP = 50,
    AH = 51,
    IPCOMP = 108,
};
const char* ToString(IpsecProtocol p);

enum class IpsecMode : uint8_t
{
    TUNNEL,
    TRANSPORT
};

enum class IpsecDirection : uint8_t
{
    INBOUND,
    OUTBOUND
};

/**
 * @brief Free text naming where an SA comes from, e.g. "crypto map toRemoteSite 10".
 *
 * Every SA of one crypto map entry has the same label, so the text is kept once per process
 * (interned, never freed: there are as many as crypto map entries) and an SA holds a pointer
 * to it: 8 bytes instead of a std::string and its heap block per SA. Assigned and read as a
 * std::string.
 */
class IpsecSaLabel
{
public:
    IpsecSaLabel() = default;
    IpsecSaLabel(const std::string& text); // NOLINT(google-explicit-constructor): a string
    IpsecSaLabel(const char* text);        // NOLINT(google-explicit-constructor)

    const std::string& str() const;
    operator const std::string&() const // NOLINT(google-explicit-constructor)
    {
        return str();
    }
    bool empty() const
    {
        return m_text == nullptr;
    }

private:
    const std::string* m_text = nullptr; //!< the interned text; nullptr: empty
};

bool operator==(const IpsecSaLabel& a, const IpsecSaLabel& b);
bool operator!=(const IpsecSaLabel& a, const IpsecSaLabel& b);
std::ostream& operator<<(std::ostream& os, const IpsecSaLabel& label);

/**
 * @brief Key bytes of an SA (up to 255), read and assigned like a std::vector<uint8_t>.
 *
 * Every SA keeps its keys (show and the tshark key file need them). Keys of up to 23 bytes,
 * AES-128 and HMAC-SHA1 among them, are kept inside the object; longer ones in one heap block
 * of their own. A std::vector costs 24 bytes plus a 32-byte heap block per key.
 */
class IpsecKeyBytes
{
public:
    IpsecKeyBytes() = default;
    IpsecKeyBytes(const std::vector<uint8_t>& bytes); // NOLINT(google-explicit-constructor)
    IpsecKeyBytes(std::initializer_list<uint8_t> bytes);
    IpsecKeyBytes(const IpsecKeyBytes& other);
    IpsecKeyBytes(IpsecKeyBytes&& other) noexcept;
    IpsecKeyBytes& operator=(const IpsecKeyBytes& other);
    IpsecKeyBytes& operator=(IpsecKeyBytes&& other) noexcept;
    ~IpsecKeyBytes();

    const uint8_t* data() const;
    size_t size() const
    {
        return m_size;
    }
    bool empty() const
    {
        return m_size == 0;
    }
    const uint8_t* begin() const
    {
        return data();
    }
    const uint8_t* end() const
    {
        return data() + m_size;
    }
    uint8_t operator[](size_t i) const
    {
        return data()[i];
    }
    /** @throws std::length_error past 255 bytes (as the other mutators) */
    void assign(size_t count, uint8_t value);
    template <typename It> void assign(It first, It last)
    {
        *this = IpsecKeyBytes(std::vector<uint8_t>(first, last));
    }
    void clear();
    void push_back(uint8_t byte);
    operator std::vector<uint8_t>() const // NOLINT(google-explicit-constructor)
    {
        return std::vector<uint8_t>(begin(), end());
    }

private:
    static constexpr size_t kInline = 23;
    void Set(const uint8_t* bytes, size_t count);
    void Release();
    bool OnHeap() const
    {
        return m_size > kInline;
    }
    uint8_t* HeapBlock() const;

    alignas(uint8_t*) uint8_t m_store[kInline] = {}; //!< the bytes, or the heap block's address
    uint8_t m_size = 0;
};

bool operator==(const IpsecKeyBytes& a, const IpsecKeyBytes& b);
bool operator!=(const IpsecKeyBytes& a, const IpsecKeyBytes& b);
/** Lowercase hex, as test failures show it. */
std::ostream& operator<<(std::ostream& os, const IpsecKeyBytes& key);

/**
 * Everything needed to build an SA. Validated by IpsecSa::Create, which throws
 * std::invalid_argument with a clear message on a wrong key length or an impossible combination.
 * (The fields are ordered small to large so that the struct, kept in every SA, has no holes.)
 */
struct IpsecSaConfig
{
    IpsecProtocol protocol = IpsecProtocol::ESP;
    IpsecDirection direction = IpsecDirection::OUTBOUND;
    IpsecMode mode = IpsecMode::TUNNEL;
    // ESP
    ipsec::CipherAlgorithm cipher = ipsec::CipherAlgorithm::NULL_CIPHER;
    bool rfc1829 = false;        //!< old RFC 1829 DES-CBC format (no sequence number, no ICV)
    uint8_t rfc1829IvLength = 8; //!< 4 or 8
    // ESP and AH
    ipsec::AuthAlgorithm auth = ipsec::AuthAlgorithm::NONE;
    bool udpEncapsulated = false; //!< ESP in UDP (RFC 3948): shown as "Tunnel UDP-Encaps"
    /** The Diffie-Hellman group of the quick mode's PFS exchange that keyed it; 0 without PFS
     *  (and for manual SAs). Shown as `PFS (Y/N)` and `DH group`. */
    uint8_t pfsGroup = 0;
    // IPComp
    ipsec::CompressionAlgorithm compression = ipsec::CompressionAlgorithm::LZS;

    uint32_t spi = 0;        //!< SPI (ESP, AH) or CPI (IPComp, 16 bits used)
    Ipv4Address source;      //!< local end for outbound, the peer for inbound
    Ipv4Address destination; //!< the SA's destination: part of the SAD key (RFC 2401 4.4.3)
    /** Anti-replay window in packets; 0 disables the service (IOS manual SAs). */
    uint32_t replayWindow = 64;

    IpsecKeyBytes cipherKey; //!< ESP
    IpsecKeyBytes authKey;   //!< ESP and AH

    /** Lifetimes; zero = unlimited (manual SAs never expire). Soft = rekey point. */
    Time softLifetime = Seconds(0);
    Time hardLifetime = Seconds(0);
    uint64_t softKilobytes = 0;
    uint64_t hardKilobytes = 0;

    /** The traffic this SA carries (outbound direction sense), checked after inbound processing. */
    IpsecTrafficSelector selector = IpsecTrafficSelector::Any();
    IpsecSaLabel label; //!< free text for show output, e.g. "crypto map toRemoteSite 10"
};

/**
 * @brief One SA: owns its keys and crypto contexts, sequence number, replay window, counters and
 * lifetime events (cancelled when the SA is deleted).
 *
 * A reference-counted ObjectBase rather than an ns3::Object: an SA has trace sources but is
 * never aggregated or disposed, and a hub keeps thousands (Object adds 24 bytes and a heap
 * block for its aggregate list to each).
 */
class IpsecSa : public SimpleRefCount<IpsecSa, ObjectBase>
{
public:
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    /** @throws std::invalid_argument */
    static Ptr<IpsecSa> Create(const IpsecSaConfig& config);

    IpsecSa();
    ~IpsecSa() override;

    const IpsecSaConfig& GetConfig() const
    {
        return m_config;
    }
    /** Process-unique id (creation order), carried in packet tags. */
    uint32_t GetId() const
    {
        return m_id;
    }
    /** The IOS connection id of the SA (`conn id` of show crypto ipsec sa, `sa_conn_id=` of
     *  debug crypto ipsec): given by its router's IpsecProcessor when installed, 0 before. */
    uint32_t GetConnId() const
    {
        return m_connId;
    }
    void SetConnId(uint32_t connId)
    {
        m_connId = connId;
    }
    IpsecProtocol GetProtocol() const
    {
        return m_config.protocol;
    }
    IpsecDirection GetDirection() const
    {
        return m_config.direction;
    }
    IpsecMode GetMode() const
    {
        return m_config.mode;
    }
    uint32_t GetSpi() const
    {
        return m_config.spi;
    }
    Ipv4Address GetSource() const
    {
        return m_config.source;
    }
    Ipv4Address GetDestination() const
    {
        return m_config.destination;
    }

    ipsec::Cipher* GetCipher()
    {
        return m_cipher ? &*m_cipher : nullptr;
    }
    ipsec::Authenticator* GetAuthenticator()
    {
        return m_auth.IsKeyed() ? &m_auth : nullptr;
    }
    ipsec::Compressor* GetCompressor()
    {
        return m_rare ? m_rare->compressor.get() : nullptr;
    }
    /** nullptr when anti-replay is off. */
    IpsecReplayWindow* GetReplayWindow()
    {
        return m_replay.get();
    }

    /** Outbound: the next sequence number, or nothing if it would cycle (RFC 4303 3.3.3). */
    std::optional<uint32_t> NextSequenceNumber();
    uint32_t GetLastSequenceNumber() const
    {
        return m_seq;
    }
    /** Set the last sequence number sent (an SA that has already carried traffic; tests). */
    void SetLastSequenceNumber(uint32_t seq)
    {
        m_seq = seq;
    }

    /** Count a processed packet of @p bytes (the protected payload, for the kilobyte lifetime). */
    void CountPacket(uint32_t bytes);
    void CountDrop(IpsecDropReason r);
    uint64_t GetPackets() const
    {
        return m_packets;
    }
    uint64_t GetBytes() const
    {
        return m_bytes;
    }
    /** Outbound IPComp: of the packets counted, those sent as they were because compression did
     *  not make them smaller (RFC 3173 2.2; IOS `#pkts not compressed`). */
    void CountNotCompressed()
    {
        ++Rare().notCompressed;
    }
    uint64_t GetNotCompressed() const
    {
        return m_rare ? m_rare->notCompressed : 0;
    }
    /** When the SA last carried a packet; its installation time before the first. */
    Time GetLastActivity() const
    {
        return std::max(m_lastActivity, m_installedAt);
    }
    /** Drops counted on this SA by reason (all zero until the first). */
    const IpsecDropCounters& GetDrops() const;

    /**
     * Fast crypto (IpsecProcessor attribute FastCrypto): the transforms build packets of the
     * real size and layout, sequence numbers and padding, but do not encrypt or compute ICVs.
     */
    void SetFastCrypto(bool fast)
    {
        m_fastCrypto = fast;
    }
    bool IsFastCrypto() const
    {
        return m_fastCrypto;
    }

    /** Start the seconds lifetimes (called when the SA is installed). */
    void StartLifetime();
    /** Mark expired and cancel its timers (hard expiry or clear). */
    void Expire();
    bool IsExpired() const
    {
        return m_expired;
    }
    bool IsSoftExpired() const
    {
        return m_softExpired;
    }
    Time GetInstalledAt() const
    {
        return m_installedAt;
    }
    /** Remaining seconds lifetime, or nothing when unlimited. */
    std::optional<Time> GetRemainingLifetime() const;
    /** Remaining kilobytes lifetime, or nothing when unlimited. */
    std::optional<uint64_t> GetRemainingKilobytes() const;

    /** Fired at the soft (rekey) and hard (delete) limits, by time or volume. */
    TracedCallback<Ptr<IpsecSa>> m_softExpiry;
    TracedCallback<Ptr<IpsecSa>> m_hardExpiry;

private:
    void SoftExpire();
    void HardExpire();
    /** What few SAs need, in a block made at the first need (IPComp, a drop). */
    struct RareState
    {
        std::unique_ptr<ipsec::Compressor> compressor; //!< IPComp SAs
        IpsecDropCounters drops;                       //!< by reason, from the first drop
        uint64_t notCompressed = 0;                    //!< IPComp: sent as they were
    };
    RareState& Rare();
    /** Cancel a lifetime event (nothing if none was scheduled or it already ran). */
    static void CancelEvent(Ptr<EventImpl>& event);

    // Memory: a hub keeps thousands of SAs (bench/hub-scale.cc measures the bytes per pair), so
    // the cipher and authenticator live inside the SA rather than in heap blocks of their own,
    // and the drop counters are allocated at the first drop (most SAs never drop). m_id comes
    // first: it fills the base's tail padding.
    uint32_t m_id = 0;
    IpsecSaConfig m_config;
    uint32_t m_connId = 0;
    uint32_t m_seq = 0;
    std::optional<ipsec::Cipher> m_cipher;
    ipsec::Authenticator m_auth; //!< unkeyed when the SA has no integrity algorithm
    std::unique_ptr<IpsecReplayWindow> m_replay;
    std::unique_ptr<RareState> m_rare;
    uint64_t m_packets = 0;
    uint64_t m_bytes = 0;
    Time m_lastActivity;
    Time m_installedAt;
    // The lifetime events, held by their EventImpl alone: cancelling is all the SA does with
    // them, and an EventId would add its time stamp, context and uid (16 bytes) each.
    Ptr<EventImpl> m_softEvent;
    Ptr<EventImpl> m_hardEvent;
    bool m_expired = false;
    bool m_fastCrypto = false;
    bool m_softExpired = false;
};

} // namespace ns3

#endif
