#include "ns3/udp-pattern-app.h"

#include "ns3/boolean.h"
#include "ns3/data-rate.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("PatternUdpSender");
NS_OBJECT_ENSURE_REGISTERED(PatternUdpSender);

TypeId
PatternUdpSender::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::PatternUdpSender")
            .SetParent<Application>()
            .SetGroupName("Ipsec")
            .AddConstructor<PatternUdpSender>()
            .AddAttribute("Remote", "The destination address and port.", AddressValue(),
                          MakeAddressAccessor(&PatternUdpSender::m_remote), MakeAddressChecker())
            .AddAttribute("DataRate", "Mean rate of payload bytes.",
                          DataRateValue(DataRate("64kbps")),
                          MakeDataRateAccessor(&PatternUdpSender::m_rate), MakeDataRateChecker())
            .AddAttribute("PacketSize",
                          "UDP payload bytes per datagram (12 or more to carry the numbers).",
                          UintegerValue(512), MakeUintegerAccessor(&PatternUdpSender::m_size),
                          MakeUintegerChecker<uint32_t>(1, 65507))
            .AddAttribute("Poisson", "Exponential gaps (true) or constant gaps (false).",
                          BooleanValue(false), MakeBooleanAccessor(&PatternUdpSender::m_poisson),
                          MakeBooleanChecker())
            .AddAttribute("Flow", "The flow number written into every datagram.", UintegerValue(0),
                          MakeUintegerAccessor(&PatternUdpSender::m_flow),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("KeepGaps", "Record every gap (tests).", BooleanValue(false),
                          MakeBooleanAccessor(&PatternUdpSender::m_keepGaps), MakeBooleanChecker());
    return tid;
}

PatternUdpSender::PatternUdpSender() : m_gap(CreateObject<ExponentialRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

PatternUdpSender::~PatternUdpSender() = default;

int64_t
PatternUdpSender::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_gap->SetStream(stream);
    return 1;
}

void
PatternUdpSender::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_socket = nullptr;
    m_gap = nullptr;
    Application::DoDispose();
}

Time
PatternUdpSender::NextGap()
{
    NS_LOG_FUNCTION(this);
    const double mean = m_size * 8.0 / static_cast<double>(m_rate.GetBitRate());
    if (!m_poisson)
    {
        return Seconds(mean);
    }
    return Seconds(m_gap->GetValue(mean, 0)); // no bound
}

void
PatternUdpSender::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (!m_socket)
    {
        m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
        m_socket->Bind();
        m_socket->Connect(m_remote);
        m_socket->SetAllowBroadcast(false);
    }
    // A Poisson process is already running when we look at it: the first send is a gap away too.
    m_next =
        Simulator::Schedule(m_poisson ? NextGap() : Seconds(0), &PatternUdpSender::SendOne, this);
}

void
PatternUdpSender::StopApplication()
{
    NS_LOG_FUNCTION(this);
    m_next.Cancel();
}

void
PatternUdpSender::SendOne()
{
    NS_LOG_FUNCTION(this);
    const std::vector<uint8_t> b = PatternUdpPayload(m_flow, m_sent, m_size);
    m_socket->Send(Create<Packet>(b.data(), static_cast<uint32_t>(b.size())));
    if (m_keepGaps && m_sent > 0)
    {
        m_gaps.push_back((Simulator::Now() - m_last).GetSeconds());
    }
    m_last = Simulator::Now();
    ++m_sent;
    m_next = Simulator::Schedule(NextGap(), &PatternUdpSender::SendOne, this);
}

std::vector<uint8_t>
PatternUdpPayload(uint32_t flow, uint64_t seq, uint32_t size)
{
    std::vector<uint8_t> b(size, 0);
    for (int i = 0; i < 4 && i < static_cast<int>(size); ++i)
    {
        b[i] = static_cast<uint8_t>(flow >> (24 - 8 * i));
    }
    for (int i = 0; i < 8 && 4 + i < static_cast<int>(size); ++i)
    {
        b[4 + i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
    }
    // xorshift64 from (flow, seq): every byte depends on both.
    uint64_t x = (static_cast<uint64_t>(flow) << 32) ^ seq ^ 0x9e3779b97f4a7c15ULL;
    for (uint32_t i = 12; i < size; ++i)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b[i] = static_cast<uint8_t>(x);
    }
    return b;
}

void
PayloadChecker::Check(Ptr<const Packet> p)
{
    NS_LOG_FUNCTION(this << p);
    ++checked;
    const uint32_t n = p->GetSize();
    std::vector<uint8_t> b(n);
    p->CopyData(b.data(), n);
    if (n != m_size)
    {
        ++corrupt;
        return;
    }
    if (!m_sequence)
    {
        for (uint8_t c : b)
        {
            if (c != 0)
            {
                ++corrupt;
                return;
            }
        }
        ++intact;
        return;
    }
    if (n < 12)
    {
        return; // too short to carry its numbers (a sweep's smallest sizes): looked at only
    }
    uint64_t seq = 0;
    for (int i = 0; i < 8; ++i)
    {
        seq = (seq << 8) | b[4 + i];
    }
    if (b != PatternUdpPayload(m_flow, seq, n))
    {
        ++corrupt;
        return;
    }
    if (seq >= (uint64_t(1) << 40))
    {
        ++corrupt; // cannot have been sent (and would not fit the table)
        return;
    }
    if (seq >= m_seen.size())
    {
        m_seen.resize(seq + 1, false);
    }
    if (m_seen[seq])
    {
        ++duplicate;
        return;
    }
    m_seen[seq] = true;
    ++intact;
}

} // namespace ns3
