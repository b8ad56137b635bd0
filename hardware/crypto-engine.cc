#include "ns3/crypto-engine.h"

#include "ns3/calibration.h"

#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IpsecCryptoEngine");
NS_OBJECT_ENSURE_REGISTERED(IpsecCryptoEngine);
NS_OBJECT_ENSURE_REGISTERED(IpsecSoftwareEngine);
NS_OBJECT_ENSURE_REGISTERED(IpsecHardwareEngine);
NS_OBJECT_ENSURE_REGISTERED(IpsecEngineSet);

// ------------------------------------------------------------------------------ names

const char*
ToString(IpsecSwitchingPath path)
{
    switch (path)
    {
    case IpsecSwitchingPath::PROCESS:
        return "process";
    case IpsecSwitchingPath::FAST:
        return "fast";
    case IpsecSwitchingPath::CEF:
        return "cef";
    case IpsecSwitchingPath::FAST_FLOW:
        return "fast-flow";
    case IpsecSwitchingPath::CEF_FLOW:
        return "cef-flow";
    case IpsecSwitchingPath::COUNT:
        break;
    }
    return "?";
}

std::optional<IpsecSwitchingPath>
IpsecSwitchingPathFromString(const std::string& name)
{
    for (size_t i = 0; i < kIpsecSwitchingPathCount; ++i)
    {
        if (name == ToString(IpsecSwitchingPath(i)))
        {
            return IpsecSwitchingPath(i);
        }
    }
    return std::nullopt;
}

const char*
ToString(IpsecCryptoOperation::Kind kind)
{
    switch (kind)
    {
    case IpsecCryptoOperation::PROTECT:
        return "protect";
    case IpsecCryptoOperation::UNPROTECT:
        return "unprotect";
    case IpsecCryptoOperation::DH:
        return "dh";
    case IpsecCryptoOperation::RSA_SIGN:
        return "rsa-sign";
    case IpsecCryptoOperation::RSA_VERIFY:
        return "rsa-verify";
    case IpsecCryptoOperation::FORWARD:
        return "forward";
    }
    return "?";
}

const char*
ToString(IpsecEngineDropReason reason)
{
    switch (reason)
    {
    case IpsecEngineDropReason::QUEUE_FULL:
        return "queue-full";
    case IpsecEngineDropReason::ENGINE_FAILED:
        return "engine-failed";
    case IpsecEngineDropReason::UNSUPPORTED:
        return "unsupported";
    case IpsecEngineDropReason::COUNT:
        break;
    }
    return "?";
}

uint32_t
IpsecDhGroupBits(int group)
{
    switch (group)
    {
    case 1:
        return 768; // RFC 2409 6.1
    case 2:
        return 1024; // RFC 2409 6.2
    case 5:
        return 1536; // RFC 3526 2
    case 14:
        return 2048; // RFC 3526 3
    case 15:
        return 3072; // RFC 3526 4
    case 16:
        return 4096; // RFC 3526 5
    case 24:
        return 2048; // RFC 5114 2.3 (256-bit subgroup; costed by its modulus like the others)
    case 19:
        return 256; // RFC 5903 3.1, P-256
    case 20:
        return 384; // RFC 5903 3.2, P-384
    case 21:
        return 521; // RFC 5903 3.3, P-521
    default:
        return 0;
    }
}

bool
IpsecDhGroupIsEcp(int group)
{
    return group == 19 || group == 20 || group == 21;
}

IpsecCryptoOperation
IpsecCryptoOperation::Protect(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a, uint32_t bytes)
{
    IpsecCryptoOperation op;
    op.kind = PROTECT;
    op.cipher = c;
    op.auth = a;
    op.bytes = bytes;
    return op;
}

IpsecCryptoOperation
IpsecCryptoOperation::Unprotect(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a, uint32_t bytes)
{
    IpsecCryptoOperation op = Protect(c, a, bytes);
    op.kind = UNPROTECT;
    return op;
}

IpsecCryptoOperation
IpsecCryptoOperation::Dh(int group)
{
    IpsecCryptoOperation op;
    op.kind = DH;
    op.dhGroup = group;
    return op;
}

IpsecCryptoOperation
IpsecCryptoOperation::RsaSign(uint32_t bits)
{
    IpsecCryptoOperation op;
    op.kind = RSA_SIGN;
    op.rsaBits = bits;
    return op;
}

IpsecCryptoOperation
IpsecCryptoOperation::RsaVerify(uint32_t bits)
{
    IpsecCryptoOperation op;
    op.kind = RSA_VERIFY;
    op.rsaBits = bits;
    return op;
}

IpsecCryptoOperation
IpsecCryptoOperation::Forward(IpsecSwitchingPath path, uint32_t bytes)
{
    IpsecCryptoOperation op;
    op.kind = FORWARD;
    op.path = path;
    op.bytes = bytes;
    return op;
}

namespace
{
/** Public-key cost scaling: a modular exponentiation with a full-size exponent costs about
 *  bits^3 (schoolbook multiplication, bits/w words squared, bits squarings); an RSA public
 *  operation with a small exponent about bits^2. */
double
CubeRatio(uint32_t bits)
{
    const double r = bits / 1024.0;
    return r * r * r;
}

double
SquareRatio(uint32_t bits)
{
    const double r = bits / 1024.0;
    return r * r;
}
} // namespace

// ------------------------------------------------------------------------- base engine

TypeId
IpsecCryptoEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecCryptoEngine")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddAttribute("Name", "Engine name for show output", StringValue(""),
                          MakeStringAccessor(&IpsecCryptoEngine::m_name), MakeStringChecker())
            .AddAttribute("QueueDepth",
                          "Operations the engine holds (waiting and in service) before it refuses "
                          "with queue-full; 0: the calibrated depth of the platform or card",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecCryptoEngine::m_queueDepthAttr),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("UtilisationHistory",
                          "How far back busy intervals are kept for GetUtilisation",
                          TimeValue(Seconds(300)), MakeTimeAccessor(&IpsecCryptoEngine::m_history),
                          MakeTimeChecker(Seconds(0)))
            .AddTraceSource("QueueLength", "Operations in the engine (waiting and in service)",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_queueLength),
                            "ns3::TracedValueCallback::Uint32")
            .AddTraceSource("Delay", "A completed operation: time waiting, time in service",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_delayTrace),
                            "ns3::IpsecCryptoEngine::DelayTracedCallback")
            .AddTraceSource("Busy", "One operation's service period (start, end)",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_busyTrace),
                            "ns3::IpsecCryptoEngine::BusyTracedCallback")
            .AddTraceSource("Drop", "An operation the engine refused, with the reason",
                            MakeTraceSourceAccessor(&IpsecCryptoEngine::m_dropTrace),
                            "ns3::IpsecCryptoEngine::DropTracedCallback");
    return tid;
}

IpsecCryptoEngine::IpsecCryptoEngine() : m_queueLength(0)
{
    NS_LOG_FUNCTION(this);
}

IpsecCryptoEngine::~IpsecCryptoEngine() = default;

void
IpsecCryptoEngine::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_next.Cancel();
    m_pending.clear();
    Object::DoDispose();
}

bool
IpsecCryptoEngine::Supports(const IpsecCryptoOperation&) const
{
    return true;
}

bool
IpsecCryptoEngine::IsAvailable() const
{
    return true;
}

uint32_t
IpsecCryptoEngine::GetQueueDepth() const
{
    return m_queueDepthAttr ? m_queueDepthAttr : m_defaultDepth;
}

uint64_t
IpsecCryptoEngine::GetTotalDrops() const
{
    uint64_t t = 0;
    for (uint64_t d : m_drops)
    {
        t += d;
    }
    return t;
}

bool
IpsecCryptoEngine::Refuse(const IpsecCryptoOperation& op, IpsecEngineDropReason reason)
{
    NS_LOG_FUNCTION(this);
    NS_LOG_LOGIC(m_name << " refuses " << ToString(op.kind) << ": " << ToString(reason));
    ++m_drops[size_t(reason)];
    m_dropTrace(op, reason);
    return false;
}

Time
IpsecCryptoEngine::PredictCompletion(const IpsecCryptoOperation& op) const
{
    return std::max(Simulator::Now(), m_busyUntil) + ServiceTime(op);
}

bool
IpsecCryptoEngine::SubmitAll(const IpsecCryptoOperation* ops, size_t n, Callback<void> done)
{
    // (No NS_LOG_FUNCTION here or in Complete, RecordBusy: per packet; Submit logs each operation.)
    std::optional<IpsecEngineDropReason> why;
    if (!IsAvailable())
    {
        why = IpsecEngineDropReason::ENGINE_FAILED;
    }
    else if (m_queueLength + n > GetQueueDepth())
    {
        why = IpsecEngineDropReason::QUEUE_FULL;
    }
    for (size_t i = 0; i < n; ++i)
    {
        if (!why && !Supports(ops[i]))
        {
            why = IpsecEngineDropReason::UNSUPPORTED;
        }
    }
    if (why)
    {
        for (size_t i = 0; i < n; ++i)
        {
            Refuse(ops[i], *why);
        }
        return false;
    }
    for (size_t i = 0; i < n; ++i)
    {
        Submit(ops[i], i + 1 == n ? done : Callback<void>());
    }
    if (n == 0 && !done.IsNull())
    {
        done();
    }
    return true;
}

bool
IpsecCryptoEngine::Submit(const IpsecCryptoOperation& op, Callback<void> done)
{
    NS_LOG_FUNCTION(this);
    if (!IsAvailable())
    {
        return Refuse(op, IpsecEngineDropReason::ENGINE_FAILED);
    }
    if (!Supports(op))
    {
        return Refuse(op, IpsecEngineDropReason::UNSUPPORTED);
    }
    if (m_queueLength >= GetQueueDepth())
    {
        return Refuse(op, IpsecEngineDropReason::QUEUE_FULL);
    }
    const Time now = Simulator::Now();
    Pending p;
    p.op = op;
    p.done = done;
    p.submitted = now;
    p.start = std::max(now, m_busyUntil);
    p.finish = p.start + ServiceTime(op);
    m_busyUntil = p.finish;
    RecordBusy(p.start, p.finish);
    m_busyTrace(p.start, p.finish);
    m_pending.push_back(p);
    ++m_submitted;
    m_queueLength = m_queueLength + 1;
    if (!m_next.IsRunning())
    {
        m_next =
            Simulator::Schedule(m_pending.front().finish - now, &IpsecCryptoEngine::Complete, this);
    }
    return true;
}

void
IpsecCryptoEngine::Complete()
{
    // (per packet: see SubmitAll)
    NS_ASSERT(!m_pending.empty());
    Pending p = m_pending.front();
    m_pending.pop_front();
    m_queueLength = m_queueLength - 1;
    ++m_completed;
    if (!m_pending.empty())
    {
        m_next = Simulator::Schedule(m_pending.front().finish - Simulator::Now(),
                                     &IpsecCryptoEngine::Complete, this);
    }
    m_delayTrace(p.op, p.start - p.submitted, p.finish - p.start);
    if (!p.done.IsNull())
    {
        p.done();
    }
}

void
IpsecCryptoEngine::RecordBusy(Time start, Time end)
{
    // (per packet: see SubmitAll)
    if (end <= start)
    {
        return;
    }
    m_busyTotal += end - start;
    if (!m_busy.empty() && m_busy.back().second == start)
    {
        m_busy.back().second = end;
    }
    else
    {
        m_busy.emplace_back(start, end);
    }
    // Forget intervals that ended before the history window (their time stays in the total).
    const Time horizon = Simulator::Now() - m_history;
    while (m_busy.size() > 1 && m_busy.front().second < horizon)
    {
        m_busy.pop_front();
    }
}

Time
IpsecCryptoEngine::GetBusyTime() const
{
    // The intervals do not overlap and each begins no later than it was recorded (Submit
    // starts work now or where the last interval ends, merging with it), so only the last
    // interval can reach past now. The busy time so far is thus the running total less that
    // part: the same sum as walking every interval of the history window, in O(1). (The
    // scenario runner samples this at every measurement tick; the walk was about 0.5 us per
    // packet in bench/ipsec-cost's fast run.)
    if (m_busy.empty())
    {
        return m_busyTotal;
    }
    const Time ahead = m_busy.back().second - Simulator::Now();
    return ahead.IsStrictlyPositive() ? m_busyTotal - ahead : m_busyTotal;
}

double
IpsecCryptoEngine::GetUtilisation(Time since) const
{
    const Time now = Simulator::Now();
    if (now <= since)
    {
        return 0.0;
    }
    Time busy;
    for (const auto& [s, e] : m_busy)
    {
        if (s >= now)
        {
            break;
        }
        const Time a = std::max(s, since);
        const Time b = std::min(e, now);
        if (b > a)
        {
            busy += b - a;
        }
    }
    return busy.GetSeconds() / (now - since).GetSeconds();
}

// --------------------------------------------------------------------- software engine

TypeId
IpsecSoftwareEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecSoftwareEngine")
            .SetParent<IpsecCryptoEngine>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecSoftwareEngine>()
            .AddAttribute("Platform",
                          "Router platform, a name in the calibration file (e.g. \"3640\", "
                          "\"7200-NPE-400\"); empty: set later with SetPlatform",
                          StringValue(""),
                          MakeStringAccessor(&IpsecSoftwareEngine::SetPlatformName,
                                             &IpsecSoftwareEngine::GetPlatformName),
                          MakeStringChecker());
    return tid;
}

IpsecSoftwareEngine::IpsecSoftwareEngine() = default;

void
IpsecSoftwareEngine::SetPlatform(const IpsecPlatformRecord& record)
{
    NS_LOG_FUNCTION(this);
    if (record.cpuHz <= 0)
    {
        throw std::invalid_argument("IpsecSoftwareEngine: platform '" + record.name +
                                    "' has no CPU clock");
    }
    m_platform = record;
    m_hasPlatform = true;
    if (record.queueDepth)
    {
        SetDefaultQueueDepth(record.queueDepth);
    }
}

void
IpsecSoftwareEngine::SetPlatformName(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    if (name.empty())
    {
        return;
    }
    SetPlatform(IpsecCalibration::Default().GetPlatform(name));
}

bool
IpsecSoftwareEngine::Supports(const IpsecCryptoOperation& op) const
{
    if (!m_hasPlatform)
    {
        return false;
    }
    if (op.kind == IpsecCryptoOperation::PROTECT || op.kind == IpsecCryptoOperation::UNPROTECT)
    {
        return m_platform.cipher.count(op.cipher) &&
               (op.auth == ipsec::AuthAlgorithm::NONE || m_platform.auth.count(op.auth));
    }
    if (op.kind == IpsecCryptoOperation::DH)
    {
        return IpsecDhGroupBits(op.dhGroup) != 0;
    }
    return true;
}

Time
IpsecSoftwareEngine::SwitchingCost(IpsecSwitchingPath path, uint32_t) const
{
    NS_ABORT_MSG_IF(!m_hasPlatform, "IpsecSoftwareEngine: no platform set");
    // The calibrated figures are packets per second at 64 bytes; on these DMA/particle-buffer
    // platforms the switching work is per packet, so the size does not enter (doc/hardware.md).
    return Seconds(m_platform.switchingSeconds[size_t(path)]);
}

Time
IpsecSoftwareEngine::ServiceTime(const IpsecCryptoOperation& op) const
{
    NS_ABORT_MSG_IF(!m_hasPlatform, "IpsecSoftwareEngine: no platform set");
    const double hz = m_platform.cpuHz;
    switch (op.kind)
    {
    case IpsecCryptoOperation::PROTECT:
    case IpsecCryptoOperation::UNPROTECT:
    {
        double cycles = m_platform.ipsecCyclesPerPacket;
        auto c = m_platform.cipher.find(op.cipher);
        if (c != m_platform.cipher.end())
        {
            cycles += c->second.perPacket + c->second.perByte * op.bytes;
        }
        auto a = m_platform.auth.find(op.auth);
        if (a != m_platform.auth.end())
        {
            cycles += a->second.perPacket + a->second.perByte * op.bytes;
        }
        return Seconds(cycles / hz);
    }
    case IpsecCryptoOperation::DH:
    {
        // MODP: bits^3 from the calibrated 1024-bit exponentiation; ECP: the same cubic law in
        // the field size, times the field operations per scalar bit relative to a modexp's
        // (dhEcpFactor, doc/hardware.md).
        const double ecp = IpsecDhGroupIsEcp(op.dhGroup) ? m_platform.dhEcpFactor : 1.0;
        return Seconds(m_platform.dhCycles1024 * ecp * CubeRatio(IpsecDhGroupBits(op.dhGroup)) /
                       hz);
    }
    case IpsecCryptoOperation::RSA_SIGN:
        return Seconds(m_platform.rsaSignCycles1024 * CubeRatio(op.rsaBits) / hz);
    case IpsecCryptoOperation::RSA_VERIFY:
        return Seconds(m_platform.rsaVerifyCycles1024 * SquareRatio(op.rsaBits) / hz);
    case IpsecCryptoOperation::FORWARD:
        return SwitchingCost(op.path, op.bytes);
    }
    return Seconds(0);
}

bool
IpsecSoftwareEngine::Forward(IpsecSwitchingPath path, uint32_t bytes, Callback<void> done)
{
    // (No NS_LOG_FUNCTION: every transit packet; Submit logs it.)
    return Submit(IpsecCryptoOperation::Forward(path, bytes), done);
}

std::string
IpsecSoftwareEngine::Describe() const
{
    std::ostringstream os;
    os << "Cisco Software Crypto Engine on " << m_platform.name;
    if (!m_platform.description.empty())
    {
        os << " (" << m_platform.description << ")";
    }
    return os.str();
}

// --------------------------------------------------------------------- hardware engine

TypeId
IpsecHardwareEngine::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IpsecHardwareEngine")
            .SetParent<IpsecCryptoEngine>()
            .SetGroupName("Ipsec")
            .AddConstructor<IpsecHardwareEngine>()
            .AddAttribute("Card",
                          "Accelerator, a name in the calibration file (e.g. \"MOD1700-VPN\", "
                          "\"SA-VAM2+\"); empty: set later with SetCard",
                          StringValue(""),
                          MakeStringAccessor(&IpsecHardwareEngine::SetCardName,
                                             &IpsecHardwareEngine::GetCardName),
                          MakeStringChecker())
            .AddAttribute("MaxTunnels", "Tunnel limit; 0: the calibrated limit of the card",
                          UintegerValue(0),
                          MakeUintegerAccessor(&IpsecHardwareEngine::m_maxTunnelsAttr),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("Failed",
                          "The card has failed: it refuses all work and new SAs, and the "
                          "router falls back to software crypto",
                          BooleanValue(false),
                          MakeBooleanAccessor(&IpsecHardwareEngine::SetFailed,
                                              &IpsecHardwareEngine::IsFailed),
                          MakeBooleanChecker());
    return tid;
}

IpsecHardwareEngine::IpsecHardwareEngine() = default;

void
IpsecHardwareEngine::SetCard(const IpsecCardRecord& record)
{
    NS_LOG_FUNCTION(this);
    m_card = record;
    m_hasCard = true;
    if (record.queueDepth)
    {
        SetDefaultQueueDepth(record.queueDepth);
    }
}

void
IpsecHardwareEngine::SetCardName(const std::string& name)
{
    NS_LOG_FUNCTION(this << name);
    if (name.empty())
    {
        return;
    }
    SetCard(IpsecCalibration::Default().GetCard(name));
}

void
IpsecHardwareEngine::SetFailed(bool failed)
{
    NS_LOG_FUNCTION(this << failed);
    // Work already queued completes; new work is refused (doc/hardware.md).
    m_failed = failed;
}

uint32_t
IpsecHardwareEngine::GetMaxTunnels() const
{
    return m_maxTunnelsAttr ? m_maxTunnelsAttr : m_card.maxTunnels;
}

bool
IpsecHardwareEngine::SupportsTransform(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a) const
{
    return m_hasCard && m_card.ciphers.count(c) &&
           (a == ipsec::AuthAlgorithm::NONE || m_card.auths.count(a));
}

bool
IpsecHardwareEngine::Supports(const IpsecCryptoOperation& op) const
{
    switch (op.kind)
    {
    case IpsecCryptoOperation::PROTECT:
    case IpsecCryptoOperation::UNPROTECT:
        return SupportsTransform(op.cipher, op.auth);
    case IpsecCryptoOperation::DH:
        // Assumed: the modelled cards' public-key units do no elliptic curves; ECP groups are
        // computed by the router's CPU (doc/hardware.md).
        return m_hasCard && m_card.dhOffload && IpsecDhGroupBits(op.dhGroup) != 0 &&
               !IpsecDhGroupIsEcp(op.dhGroup);
    case IpsecCryptoOperation::RSA_SIGN:
    case IpsecCryptoOperation::RSA_VERIFY:
        return m_hasCard && m_card.rsaOffload;
    case IpsecCryptoOperation::FORWARD:
        return false;
    }
    return false;
}

Time
IpsecHardwareEngine::ServiceTime(const IpsecCryptoOperation& op) const
{
    NS_ABORT_MSG_IF(!m_hasCard, "IpsecHardwareEngine: no card set");
    switch (op.kind)
    {
    case IpsecCryptoOperation::PROTECT:
    case IpsecCryptoOperation::UNPROTECT:
        return Seconds(m_card.perPacketSeconds + m_card.perByteSeconds * op.bytes);
    case IpsecCryptoOperation::DH:
        return Seconds(m_card.dhSeconds1024 * CubeRatio(IpsecDhGroupBits(op.dhGroup)));
    case IpsecCryptoOperation::RSA_SIGN:
        return Seconds(m_card.rsaSignSeconds1024 * CubeRatio(op.rsaBits));
    case IpsecCryptoOperation::RSA_VERIFY:
        return Seconds(m_card.rsaVerifySeconds1024 * SquareRatio(op.rsaBits));
    case IpsecCryptoOperation::FORWARD:
        break;
    }
    return Seconds(0);
}

bool
IpsecHardwareEngine::AllocateTunnel()
{
    NS_LOG_FUNCTION(this);
    if (m_failed || m_tunnels >= GetMaxTunnels())
    {
        return false;
    }
    ++m_tunnels;
    return true;
}

void
IpsecHardwareEngine::ReleaseTunnel()
{
    NS_LOG_FUNCTION(this);
    if (m_tunnels > 0)
    {
        --m_tunnels;
    }
}

std::string
IpsecHardwareEngine::Describe() const
{
    return m_card.description.empty() ? m_card.name : m_card.description;
}

// --------------------------------------------------------------------------- engine set

TypeId
IpsecEngineSet::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IpsecEngineSet")
                            .SetParent<Object>()
                            .SetGroupName("Ipsec")
                            .AddConstructor<IpsecEngineSet>();
    return tid;
}

IpsecEngineSet::IpsecEngineSet() = default;

namespace
{
uint64_t g_engineSetAggregations = 0;
}

uint64_t
IpsecEngineSet::GetAggregations()
{
    return g_engineSetAggregations;
}

void
IpsecEngineSet::NotifyNewAggregate()
{
    // ns-3 calls this on every object of an aggregate that just grew, this one included.
    ++g_engineSetAggregations;
    Object::NotifyNewAggregate();
}

void
IpsecEngineSet::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& c : m_cards)
    {
        c->Dispose();
    }
    m_cards.clear();
    if (m_software)
    {
        m_software->Dispose();
        m_software = nullptr;
    }
    m_connections.clear();
    m_tunnels.clear();
    Object::DoDispose();
}

void
IpsecEngineSet::SetSoftware(Ptr<IpsecSoftwareEngine> cpu)
{
    NS_LOG_FUNCTION(this << cpu);
    m_software = cpu;
}

void
IpsecEngineSet::AddCard(Ptr<IpsecHardwareEngine> card, uint32_t slot)
{
    NS_LOG_FUNCTION(this << card << slot);
    card->SetSlot(slot);
    m_cards.push_back(card);
}

uint32_t
IpsecEngineSet::IkeCount(const Ptr<IpsecHardwareEngine>& card) const
{
    uint32_t n = 0;
    for (const auto& [id, c] : m_connections)
    {
        n += c.ike && c.card == card;
    }
    return n;
}

Ptr<IpsecHardwareEngine>
IpsecEngineSet::CardOfIke(uint32_t ikeConnId) const
{
    auto it = m_connections.find(ikeConnId);
    return it == m_connections.end() || !it->second.ike ? nullptr : it->second.card;
}

IpsecEngineSet::Assignment
IpsecEngineSet::AssignIkeSa(const std::string& label, uint32_t connId)
{
    NS_LOG_FUNCTION(this << label << connId);
    // Multi-ISA: the new IKE SA goes to the engine holding fewer IKE SAs (ties: lower slot).
    Ptr<IpsecHardwareEngine> best;
    uint32_t bestCount = 0;
    for (const auto& card : m_cards)
    {
        if (card->IsFailed())
        {
            continue;
        }
        const uint32_t n = IkeCount(card);
        if (!best || n < bestCount)
        {
            best = card;
            bestCount = n;
        }
    }
    Connection c;
    c.id = connId ? connId : m_nextIke++;
    c.ike = true;
    c.label = label;
    c.card = best;
    m_connections[c.id] = c;
    Assignment a;
    a.connId = c.id;
    a.card = best;
    a.engine = best ? Ptr<IpsecCryptoEngine>(best) : Ptr<IpsecCryptoEngine>(m_software);
    a.why = best ? "card holding fewest IKE SAs" : "no available card";
    return a;
}

IpsecEngineSet::Assignment
IpsecEngineSet::AssignTunnel(ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth,
                             const std::string& label, uint32_t ikeConnId)
{
    NS_LOG_FUNCTION(this << label << ikeConnId);
    Assignment a;
    Ptr<IpsecHardwareEngine> card;
    bool full = false;
    Ptr<IpsecHardwareEngine> preferred = ikeConnId ? CardOfIke(ikeConnId) : nullptr;
    if (preferred && !preferred->IsFailed())
    {
        if (!preferred->SupportsTransform(cipher, auth))
        {
            a.why = "transform not in hardware on " + preferred->GetName();
        }
        else if (preferred->AllocateTunnel())
        {
            card = preferred;
            a.why = "card of its IKE SA";
        }
        else
        {
            full = true;
            card = preferred; // for its policy
        }
    }
    else
    {
        // Manual keying (or the IKE SA is in software / on a failed card): fewest tunnels.
        Ptr<IpsecHardwareEngine> best;
        Ptr<IpsecHardwareEngine> anyFull;
        for (const auto& c : m_cards)
        {
            if (c->IsFailed() || !c->SupportsTransform(cipher, auth))
            {
                continue;
            }
            if (c->GetTunnels() >= c->GetMaxTunnels())
            {
                if (!anyFull || c->GetOverLimitPolicy() == IpsecOverLimitPolicy::REFUSE)
                {
                    anyFull = c;
                }
                continue;
            }
            if (!best || c->GetTunnels() < best->GetTunnels())
            {
                best = c;
            }
        }
        if (best && best->AllocateTunnel())
        {
            card = best;
            a.why = "card holding fewest tunnels";
        }
        else if (anyFull)
        {
            full = true;
            card = anyFull;
        }
        else
        {
            a.why = m_cards.empty() ? "no card" : "no available card does the transform";
        }
    }
    if (full)
    {
        if (card->GetOverLimitPolicy() == IpsecOverLimitPolicy::REFUSE)
        {
            a.refused = true;
            a.why = card->GetName() + " at its tunnel limit (" +
                    std::to_string(card->GetMaxTunnels()) + "): refused";
            return a;
        }
        a.why = card->GetName() + " at its tunnel limit: software";
        card = nullptr;
    }
    if (!card && !m_software)
    {
        a.refused = true;
        a.why += "; no software engine";
        return a;
    }
    const uint32_t handle = m_nextTunnel++;
    Tunnel& t = m_tunnels[handle];
    t.card = card;
    t.holdsSlot = card != nullptr;
    a.connId = handle;
    a.card = card;
    a.engine = card ? Ptr<IpsecCryptoEngine>(card) : Ptr<IpsecCryptoEngine>(m_software);
    return a;
}

void
IpsecEngineSet::AddSa(uint32_t tunnel, uint32_t connId, uint8_t protocol, bool inbound,
                      ipsec::CipherAlgorithm cipher, ipsec::AuthAlgorithm auth,
                      const std::string& label)
{
    NS_LOG_FUNCTION(this << tunnel << connId);
    auto t = m_tunnels.find(tunnel);
    if (t == m_tunnels.end())
    {
        return;
    }
    Connection c;
    c.id = connId;
    c.label = label;
    c.cipher = cipher;
    c.auth = auth;
    c.protocol = protocol;
    c.inbound = inbound;
    c.tunnel = tunnel;
    c.card = t->second.card;
    m_connections[connId] = c;
    t->second.sas.push_back(connId);
}

void
IpsecEngineSet::Release(uint32_t connId)
{
    NS_LOG_FUNCTION(this << connId);
    auto t = m_tunnels.find(connId);
    if (t != m_tunnels.end())
    {
        if (t->second.holdsSlot && t->second.card)
        {
            t->second.card->ReleaseTunnel();
        }
        for (uint32_t sa : t->second.sas)
        {
            m_connections.erase(sa);
        }
        m_tunnels.erase(t);
        return;
    }
    m_connections.erase(connId);
}

std::string
IpsecEngineSet::FlowIdPrefix(uint32_t connId) const
{
    auto it = m_connections.find(connId);
    return it == m_connections.end() || !it->second.card ? "SW" : it->second.card->GetName();
}

Ptr<IpsecCryptoEngine>
IpsecEngineSet::EngineFor(uint32_t connId) const
{
    Ptr<IpsecHardwareEngine> card;
    if (auto t = m_tunnels.find(connId); t != m_tunnels.end())
    {
        card = t->second.card;
    }
    else if (auto it = m_connections.find(connId); it != m_connections.end())
    {
        card = it->second.card;
    }
    else
    {
        return nullptr;
    }
    if (card && card->IsAvailable())
    {
        return card;
    }
    return m_software; // software SA, or its card failed (FN13070: software crypto takes over)
}

Ptr<IpsecCryptoEngine>
IpsecEngineSet::EngineForKeyExchange(const IpsecCryptoOperation& op) const
{
    Ptr<IpsecHardwareEngine> best;
    for (const auto& c : m_cards)
    {
        if (c->IsAvailable() && c->Supports(op) &&
            (!best || c->GetQueueLength() < best->GetQueueLength()))
        {
            best = c;
        }
    }
    return best ? Ptr<IpsecCryptoEngine>(best) : Ptr<IpsecCryptoEngine>(m_software);
}

void
IpsecEngineSet::CountPacket(uint32_t connId, bool encrypt)
{
    // (No NS_LOG_FUNCTION: called for every protected and unprotected packet.)
    auto t = m_tunnels.find(connId);
    if (t == m_tunnels.end())
    {
        auto it = m_connections.find(connId);
        if (it != m_connections.end())
        {
            ++(encrypt ? it->second.encrypted : it->second.decrypted);
        }
        return;
    }
    // A packet through a tunnel: each of its SAs of that direction did its part.
    for (uint32_t id : t->second.sas)
    {
        auto it = m_connections.find(id);
        if (it != m_connections.end() && it->second.inbound == !encrypt)
        {
            ++(encrypt ? it->second.encrypted : it->second.decrypted);
        }
    }
}

void
IpsecEngineSet::SetSwitchingPath(uint32_t ifIndex, IpsecSwitchingPath path)
{
    NS_LOG_FUNCTION(this << ifIndex);
    m_paths[ifIndex] = path;
}

IpsecSwitchingPath
IpsecEngineSet::GetSwitchingPath(uint32_t ifIndex) const
{
    auto it = m_paths.find(ifIndex);
    return it == m_paths.end() ? m_defaultPath : it->second;
}

bool
IpsecEngineSet::Forward(uint32_t outIf, uint32_t bytes, Callback<void> done)
{
    // (No NS_LOG_FUNCTION: every transit packet; the CPU engine's Submit logs it.)
    if (!m_software || m_software->GetPlatformName().empty())
    {
        ++m_forwarded;
        done();
        return true;
    }
    if (!m_software->Forward(GetSwitchingPath(outIf), bytes, done))
    {
        ++m_forwardDrops;
        return false;
    }
    ++m_forwarded;
    return true;
}

} // namespace ns3
