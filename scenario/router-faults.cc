#include "ns3/router-faults.h"

#include "ns3/ike-daemon.h"
#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-sad.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"

#include <vector>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RouterFaults");
NS_OBJECT_ENSURE_REGISTERED(LinkFaultModel);

TypeId
LinkFaultModel::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LinkFaultModel")
            .SetParent<ErrorModel>()
            .SetGroupName("Ipsec")
            .AddConstructor<LinkFaultModel>()
            .AddAttribute("Loss", "Probability that a frame is lost.", DoubleValue(0),
                          MakeDoubleAccessor(&LinkFaultModel::m_loss),
                          MakeDoubleChecker<double>(0, 1))
            .AddAttribute("Corrupt",
                          "Probability that a frame (not lost) is delivered with one bit flipped "
                          "after its IPv4 header.",
                          DoubleValue(0), MakeDoubleAccessor(&LinkFaultModel::m_corrupt),
                          MakeDoubleChecker<double>(0, 1));
    return tid;
}

LinkFaultModel::LinkFaultModel() : m_rv(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

int64_t
LinkFaultModel::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rv->SetStream(stream);
    return 1;
}

void
LinkFaultModel::DoReset()
{
}

bool
LinkFaultModel::DoCorrupt(Ptr<Packet> p)
{
    if (m_cable && m_cable->IsCorrupt(p))
    {
        return true; // the cable is pulled: not a fault of the line
    }
    if (!IsEnabled())
    {
        return false;
    }
    ++m_frames;
    // Both draws are made for every frame, so that loss and corruption do not shift each
    // other's random sequence.
    const double lossDraw = m_rv->GetValue();
    const double corruptDraw = m_rv->GetValue();
    if (lossDraw < m_loss)
    {
        ++m_lost;
        return true;
    }
    if (corruptDraw >= m_corrupt)
    {
        return false;
    }
    const uint32_t n = p->GetSize();
    if (n < m_linkHeader + 20)
    {
        return false;
    }
    std::vector<uint8_t> b(n);
    p->CopyData(b.data(), n);
    const uint8_t* ip = b.data() + m_linkHeader;
    if ((ip[0] >> 4) != 4)
    {
        return false; // not IPv4 (ARP): left alone
    }
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    const uint32_t totalLength = (uint32_t(ip[2]) << 8) | ip[3];
    const uint32_t start = m_linkHeader + ihl;
    const uint32_t end = std::min<uint32_t>(n, m_linkHeader + totalLength); // not the FCS
    if (ihl < 20 || end <= start)
    {
        return false;
    }
    const uint32_t bit = static_cast<uint32_t>(m_rv->GetInteger(0, (end - start) * 8 - 1));
    const uint32_t at = start + bit / 8;
    b[at] ^= static_cast<uint8_t>(1u << (bit % 8));
    ++m_corrupted;
    const uint8_t proto = ip[9];
    if (proto == 50)
    {
        ++m_corruptedEsp;
        if (at - start < 8)
        {
            ++m_corruptedEspHeader; // SPI or sequence number
        }
    }
    else if (proto == 17)
    {
        ++m_corruptedUdp;
    }
    // The packet object stays (its packet tags too); its bytes after the IP header change.
    Ptr<Packet> tail = Create<Packet>(b.data() + start, n - start);
    p->RemoveAtEnd(n - start);
    p->AddAtEnd(tail);
    return false;
}

nlohmann::json
LinkFaultModel::Report() const
{
    return {{"loss", m_loss},
            {"corrupt", m_corrupt},
            {"frames", m_frames},
            {"lost", m_lost},
            {"corrupted", m_corrupted},
            {"corrupted_esp", m_corruptedEsp},
            {"corrupted_esp_header", m_corruptedEspHeader},
            {"corrupted_udp", m_corruptedUdp}};
}

void
RouterFaults::LoseState(Ptr<IosRouter> router)
{
    NS_LOG_FUNCTION(router);
    if (Ptr<IkeDaemon> ike = router->GetIke())
    {
        ike->ForgetAll();
    }
    // What is left are manually keyed SAs (and any IKE left behind): they go, and the manual
    // ones come back from the configuration with fresh counters, as after a boot. IKE no
    // longer knows any bundle, so nothing is sent.
    router->Exec("clear crypto sa");
}

uint32_t
RouterFaults::CountIpsecSas(Ptr<IosRouter> router)
{
    return router && router->GetProcessor() ? router->GetProcessor()->GetSad()->GetN() : 0;
}

uint32_t
RouterFaults::CountIsakmpSas(Ptr<IosRouter> router)
{
    return router && router->GetIke() ? static_cast<uint32_t>(router->GetIke()->GetSas().size())
                                      : 0;
}

} // namespace ns3
