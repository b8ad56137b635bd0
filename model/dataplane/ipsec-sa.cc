#include "ns3/ipsec-sa.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include "ns3/byte-source.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecSa");
NS_OBJECT_ENSURE_REGISTERED(IpsecSa);

const char*
ToString(IpsecProtocol p)
{
    switch (p)
    {
    case IpsecProtocol::ESP:
        return "esp";
    case IpsecProtocol::AH:
        return "ah";
    case IpsecProtocol::IPCOMP:
        return "ipcomp";
    }
    return "?";
}

namespace
{
/** The interned label texts (IpsecSaLabel). Never destroyed: labels may outlive statics. */
const std::string*
Intern(const std::string& text)
{
    if (text.empty())
    {
        return nullptr;
    }
    static auto* texts = new std::unordered_set<std::string>();
    return &*texts->insert(text).first;
}
} // namespace

IpsecSaLabel::IpsecSaLabel(const std::string& text) : m_text(Intern(text))
{
}

IpsecSaLabel::IpsecSaLabel(const char* text) : m_text(text ? Intern(text) : nullptr)
{
}

const std::string&
IpsecSaLabel::str() const
{
    static const std::string empty;
    return m_text ? *m_text : empty;
}

bool
operator==(const IpsecSaLabel& a, const IpsecSaLabel& b)
{
    return a.str() == b.str();
}

bool
operator!=(const IpsecSaLabel& a, const IpsecSaLabel& b)
{
    return !(a == b);
}

std::ostream&
operator<<(std::ostream& os, const IpsecSaLabel& label)
{
    return os << label.str();
}

// ------------------------------------------------------------------------------ IpsecKeyBytes

IpsecKeyBytes::IpsecKeyBytes(const std::vector<uint8_t>& bytes)
{
    Set(bytes.data(), bytes.size());
}

IpsecKeyBytes::IpsecKeyBytes(std::initializer_list<uint8_t> bytes)
{
    Set(bytes.begin(), bytes.size());
}

IpsecKeyBytes::IpsecKeyBytes(const IpsecKeyBytes& other)
{
    Set(other.data(), other.size());
}

IpsecKeyBytes::IpsecKeyBytes(IpsecKeyBytes&& other) noexcept
{
    std::memcpy(m_store, other.m_store, sizeof(m_store));
    m_size = other.m_size;
    other.m_size = 0; // the heap block, if any, is ours now
}

IpsecKeyBytes&
IpsecKeyBytes::operator=(const IpsecKeyBytes& other)
{
    if (this != &other)
    {
        IpsecKeyBytes copy(other);
        *this = std::move(copy);
    }
    return *this;
}

IpsecKeyBytes&
IpsecKeyBytes::operator=(IpsecKeyBytes&& other) noexcept
{
    if (this != &other)
    {
        Release();
        std::memcpy(m_store, other.m_store, sizeof(m_store));
        m_size = other.m_size;
        other.m_size = 0;
    }
    return *this;
}

IpsecKeyBytes::~IpsecKeyBytes()
{
    Release();
}

uint8_t*
IpsecKeyBytes::HeapBlock() const
{
    uint8_t* block = nullptr;
    std::memcpy(&block, m_store, sizeof(block));
    return block;
}

const uint8_t*
IpsecKeyBytes::data() const
{
    return OnHeap() ? HeapBlock() : m_store;
}

void
IpsecKeyBytes::Release()
{
    if (OnHeap())
    {
        uint8_t* block = HeapBlock();
        std::fill(block, block + m_size, 0);
        delete[] block;
    }
    std::fill(m_store, m_store + kInline, 0);
    m_size = 0;
}

void
IpsecKeyBytes::Set(const uint8_t* bytes, size_t count)
{
    if (count > 255)
    {
        throw std::length_error("IpsecKeyBytes: a key of " + std::to_string(count) +
                                " bytes is longer than 255");
    }
    // Copied aside first: @p bytes may be this object's own.
    uint8_t copy[255];
    if (count > 0)
    {
        std::memcpy(copy, bytes, count);
    }
    uint8_t* block = count > kInline ? new uint8_t[count] : nullptr;
    Release();
    if (block != nullptr)
    {
        std::memcpy(block, copy, count);
        std::memcpy(m_store, &block, sizeof(block));
    }
    else if (count > 0)
    {
        std::memcpy(m_store, copy, count);
    }
    m_size = static_cast<uint8_t>(count);
    std::fill(copy, copy + count, 0);
}

void
IpsecKeyBytes::assign(size_t count, uint8_t value)
{
    const std::vector<uint8_t> bytes(count, value);
    Set(bytes.data(), bytes.size());
}

void
IpsecKeyBytes::clear()
{
    Release();
}

void
IpsecKeyBytes::push_back(uint8_t byte)
{
    std::vector<uint8_t> bytes(begin(), end());
    bytes.push_back(byte);
    Set(bytes.data(), bytes.size());
}

bool
operator==(const IpsecKeyBytes& a, const IpsecKeyBytes& b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

bool
operator!=(const IpsecKeyBytes& a, const IpsecKeyBytes& b)
{
    return !(a == b);
}

std::ostream&
operator<<(std::ostream& os, const IpsecKeyBytes& key)
{
    return os << ipsec::ToHex(key.data(), key.size());
}

TypeId
IpsecSa::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecSa")
            .SetParent<ObjectBase>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecSa>()
            .AddTraceSource("SoftExpiry", "The SA reached its soft lifetime (time to rekey)",
                            MakeTraceSourceAccessor(&IpsecSa::m_softExpiry),
                            "ns3::IpsecSa::SaTracedCallback")
            .AddTraceSource("HardExpiry", "The SA reached its hard lifetime and is deleted",
                            MakeTraceSourceAccessor(&IpsecSa::m_hardExpiry),
                            "ns3::IpsecSa::SaTracedCallback");
    return tid;
}

TypeId
IpsecSa::GetInstanceTypeId() const
{
    return GetTypeId();
}

IpsecSa::IpsecSa() = default;
IpsecSa::~IpsecSa()
{
    // The lifetime events call back into this object: they must not outlive it.
    CancelEvent(m_softEvent);
    CancelEvent(m_hardEvent);
}

namespace
{
std::invalid_argument
SaError(const IpsecSaConfig& c, const std::string& what)
{
    std::ostringstream os;
    os << "SA " << ToString(c.protocol) << " spi 0x" << std::hex << c.spi << std::dec << " to "
       << c.destination << ": " << what;
    return std::invalid_argument(os.str());
}
} // namespace

Ptr<IpsecSa>
IpsecSa::Create(const IpsecSaConfig& config)
{
    static uint32_t s_nextId = 1;
    Ptr<IpsecSa> sa = ns3::Create<IpsecSa>();
    sa->m_config = config;
    sa->m_id = s_nextId++;
    const IpsecSaConfig& c = config;
    if (c.protocol != IpsecProtocol::IPCOMP && c.spi < 256)
    {
        // RFC 4303 2.1 / RFC 4302 2.4: SPI values 1-255 are reserved by IANA, 0 is local use.
        throw SaError(c, "SPI must be at least 256 (1-255 are reserved, RFC 4303 2.1)");
    }
    if (c.protocol == IpsecProtocol::IPCOMP && (c.spi == 0 || c.spi > 0xffff))
    {
        throw SaError(c, "an IPComp CPI is a 16-bit value other than 0");
    }
    if (c.replayWindow != 0 && (c.replayWindow % 32 != 0 || c.replayWindow > 1024))
    {
        throw SaError(c, "replay window must be 0 (off) or a multiple of 32 up to 1024");
    }
    try
    {
        switch (c.protocol)
        {
        case IpsecProtocol::ESP:
            if (c.rfc1829)
            {
                if (c.cipher != ipsec::CipherAlgorithm::DES_CBC &&
                    c.cipher != ipsec::CipherAlgorithm::TDES_CBC)
                {
                    throw SaError(c, "the RFC 1829 ESP format is defined for DES-CBC only");
                }
                if (c.auth != ipsec::AuthAlgorithm::NONE)
                {
                    throw SaError(c, "the RFC 1829 ESP format carries no integrity check");
                }
                if (c.rfc1829IvLength != 4 && c.rfc1829IvLength != 8)
                {
                    throw SaError(c, "RFC 1829 IV length must be 4 or 8 bytes");
                }
            }
            if (c.cipher == ipsec::CipherAlgorithm::NULL_CIPHER &&
                c.auth == ipsec::AuthAlgorithm::NONE)
            {
                // RFC 4303 3.2: NULL encryption and NULL integrity MUST NOT both be configured.
                throw SaError(c, "ESP needs a cipher or an integrity algorithm (RFC 4303 3.2)");
            }
            if (ipsec::GetCipherInfo(c.cipher).aead && c.auth != ipsec::AuthAlgorithm::NONE)
            {
                throw SaError(c, "a combined-mode cipher (GCM) takes no separate integrity");
            }
            // An outbound SA only encrypts and an inbound one only decrypts: one OpenSSL
            // context each (about 600 bytes for AES-CBC) instead of two.
            sa->m_cipher.emplace(c.cipher, c.cipherKey.data(), c.cipherKey.size(),
                                 c.direction == IpsecDirection::OUTBOUND
                                     ? ipsec::CipherUse::ENCRYPT
                                     : ipsec::CipherUse::DECRYPT);
            if (c.auth != ipsec::AuthAlgorithm::NONE)
            {
                sa->m_auth = ipsec::Authenticator(c.auth, c.authKey.data(), c.authKey.size());
            }
            break;
        case IpsecProtocol::AH:
            if (c.auth == ipsec::AuthAlgorithm::NONE)
            {
                throw SaError(c, "AH needs an integrity algorithm");
            }
            sa->m_auth = ipsec::Authenticator(c.auth, c.authKey.data(), c.authKey.size());
            break;
        case IpsecProtocol::IPCOMP:
            sa->Rare().compressor = ipsec::MakeCompressor(c.compression);
            break;
        }
    }
    catch (const std::invalid_argument& e)
    {
        const std::string msg = e.what();
        if (msg.rfind("SA ", 0) == 0)
        {
            throw;
        }
        throw SaError(c, msg);
    }
    // Anti-replay needs integrity (RFC 4303 3.4.3) and a sequence number (not RFC 1829).
    bool integrity = sa->m_auth.IsKeyed() || ipsec::GetCipherInfo(c.cipher).aead;
    if (c.direction == IpsecDirection::INBOUND && c.replayWindow > 0 && !c.rfc1829 &&
        c.protocol != IpsecProtocol::IPCOMP && integrity)
    {
        sa->m_replay = std::make_unique<IpsecReplayWindow>(c.replayWindow);
    }
    return sa;
}

std::optional<uint32_t>
IpsecSa::NextSequenceNumber()
{
    if (m_seq == 0xffffffff)
    {
        // RFC 4303 3.3.3: with anti-replay (the default assumption) the counter must not cycle;
        // the SA has to be replaced. Without it (replayWindow 0, as for IOS manual SAs) it wraps.
        if (m_config.replayWindow != 0)
        {
            return std::nullopt;
        }
        m_seq = 0;
    }
    return ++m_seq;
}

IpsecSa::RareState&
IpsecSa::Rare()
{
    if (!m_rare)
    {
        m_rare = std::make_unique<RareState>();
    }
    return *m_rare;
}

void
IpsecSa::CancelEvent(Ptr<EventImpl>& event)
{
    // What EventId::Cancel does for an event not yet run; for one that ran, the flag is unread.
    if (event)
    {
        event->Cancel();
    }
}

void
IpsecSa::CountDrop(IpsecDropReason r)
{
    Rare().drops.Add(r);
}

const IpsecDropCounters&
IpsecSa::GetDrops() const
{
    static const IpsecDropCounters none{};
    return m_rare ? m_rare->drops : none;
}

void
IpsecSa::CountPacket(uint32_t bytes)
{
    ++m_packets;
    m_bytes += bytes;
    m_lastActivity = Simulator::Now();
    if (m_expired)
    {
        return;
    }
    uint64_t kb = m_bytes / 1024;
    if (m_config.hardKilobytes != 0 && kb >= m_config.hardKilobytes)
    {
        HardExpire();
    }
    else if (m_config.softKilobytes != 0 && kb >= m_config.softKilobytes && !m_softExpired)
    {
        SoftExpire();
    }
}

void
IpsecSa::StartLifetime()
{
    // Started again (installed again): the events of the first start must not outlive the SA.
    CancelEvent(m_softEvent);
    CancelEvent(m_hardEvent);
    m_installedAt = Simulator::Now();
    if (m_config.softLifetime.IsStrictlyPositive())
    {
        m_softEvent =
            Simulator::Schedule(m_config.softLifetime, &IpsecSa::SoftExpire, this).PeekEventImpl();
    }
    if (m_config.hardLifetime.IsStrictlyPositive())
    {
        m_hardEvent =
            Simulator::Schedule(m_config.hardLifetime, &IpsecSa::HardExpire, this).PeekEventImpl();
    }
}

void
IpsecSa::SoftExpire()
{
    if (m_softExpired || m_expired)
    {
        return;
    }
    m_softExpired = true;
    CancelEvent(m_softEvent);
    Ptr<IpsecSa> self = this; // a listener may drop the last other reference
    NS_LOG_INFO("SA spi 0x" << std::hex << m_config.spi << " soft expiry");
    m_softExpiry(this);
}

void
IpsecSa::HardExpire()
{
    if (m_expired)
    {
        return;
    }
    Ptr<IpsecSa> self = this; // a listener may drop the last other reference
    Expire();
    NS_LOG_INFO("SA spi 0x" << std::hex << m_config.spi << " hard expiry");
    m_hardExpiry(this);
}

void
IpsecSa::Expire()
{
    m_expired = true;
    CancelEvent(m_softEvent);
    CancelEvent(m_hardEvent);
}

std::optional<Time>
IpsecSa::GetRemainingLifetime() const
{
    if (!m_config.hardLifetime.IsStrictlyPositive())
    {
        return std::nullopt;
    }
    Time left = m_installedAt + m_config.hardLifetime - Simulator::Now();
    return left.IsNegative() ? Seconds(0) : left;
}

std::optional<uint64_t>
IpsecSa::GetRemainingKilobytes() const
{
    if (m_config.hardKilobytes == 0)
    {
        return std::nullopt;
    }
    uint64_t used = m_bytes / 1024;
    return used >= m_config.hardKilobytes ? 0 : m_config.hardKilobytes - used;
}

} // namespace ns3
