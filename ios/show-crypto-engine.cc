// show crypto engine configuration | connections active, show processes cpu: the text of a
// router's crypto engines (the numbers are the engines' own, see hardware/crypto-engine.h).
#include "ios-router-state.h"
#include "ns3/ios-show.h"

#include "ns3/simulator.h"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{
/** IOS-style algorithm column, e.g. "HMAC_SHA+3DES_56_C". */
std::string
IosAlgorithm(ipsec::CipherAlgorithm c, ipsec::AuthAlgorithm a)
{
    std::string auth;
    switch (a)
    {
    case ipsec::AuthAlgorithm::HMAC_MD5_96:
        auth = "HMAC_MD5";
        break;
    case ipsec::AuthAlgorithm::HMAC_SHA1_96:
        auth = "HMAC_SHA";
        break;
    case ipsec::AuthAlgorithm::NONE:
        break;
    default:
        auth = ipsec::GetAuthInfo(a).name;
        break;
    }
    std::string enc;
    switch (c)
    {
    case ipsec::CipherAlgorithm::DES_CBC:
        enc = "DES_56_CB";
        break;
    case ipsec::CipherAlgorithm::TDES_CBC:
        enc = "3DES_56_C";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_128:
        enc = "AES_128_C";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_192:
        enc = "AES_192_C";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_256:
        enc = "AES_256_C";
        break;
    case ipsec::CipherAlgorithm::NULL_CIPHER:
        break;
    default:
        enc = ipsec::GetCipherInfo(c).name;
        break;
    }
    if (auth.empty())
    {
        return enc.empty() ? "NONE" : enc;
    }
    return enc.empty() ? auth : auth + "+" + enc;
}

std::string
Join(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
    {
        s += (s.empty() ? "" : " ") + x;
    }
    return s;
}

/** The lines every engine has: its queue and the work it did or refused. */
void
EngineCounters(std::ostream& os, const IpsecCryptoEngine& e)
{
    os << "   queue depth limit:  " << e.GetQueueDepth() << ", in queue: " << e.GetQueueLength()
       << "\n";
    os << "   operations done:  " << e.GetCompleted() << ", refused: queue-full "
       << e.GetDrops(IpsecEngineDropReason::QUEUE_FULL) << ", engine-failed "
       << e.GetDrops(IpsecEngineDropReason::ENGINE_FAILED) << ", unsupported "
       << e.GetDrops(IpsecEngineDropReason::UNSUPPORTED) << "\n";
}

void
CardConfiguration(std::ostream& os, const IpsecHardwareEngine& c)
{
    const IpsecCardRecord& r = c.GetCard();
    std::vector<std::string> algs;
    for (auto a : r.ciphers)
    {
        algs.push_back(ipsec::GetCipherInfo(a).name);
    }
    for (auto a : r.auths)
    {
        algs.push_back(ipsec::GetAuthInfo(a).name);
    }
    os << "crypto engine name:  " << c.GetName() << "\n";
    os << "crypto engine type:  hardware\n";
    os << "crypto engine state:  " << (c.IsFailed() ? "failed" : "installed") << "\n";
    os << "crypto engine in slot:  " << c.GetSlot() << "\n";
    os << "   platform:  " << c.Describe() << "\n";
    os << "   algorithms in hardware:  " << Join(algs) << "\n";
    os << "   DH offload: " << (r.dhOffload ? "yes" : "no")
       << ", RSA offload: " << (r.rsaOffload ? "yes" : "no") << "\n";
    os << "   tunnels:  " << c.GetTunnels() << " of " << c.GetMaxTunnels() << ", past the limit: "
       << (r.overLimit == IpsecOverLimitPolicy::REFUSE ? "refused" : "software") << "\n";
    EngineCounters(os, c);
    os << "\n";
}

/** Percentage of the time @p e was busy over the last @p s seconds. */
int
BusyPercent(const IpsecCryptoEngine& e, double s)
{
    const Time now = Simulator::Now();
    const Time since = now > Seconds(s) ? now - Seconds(s) : Time(0);
    return static_cast<int>(std::lround(100.0 * e.GetUtilisation(since)));
}
} // namespace

std::string
ShowCryptoEngineConfiguration(const IpsecEngineSet& engines)
{
    std::ostringstream os;
    if (Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware())
    {
        os << "crypto engine name:  " << cpu->GetName() << "\n";
        os << "crypto engine type:  software\n";
        os << "crypto engine state:  installed\n";
        os << "crypto engine in slot:  N/A\n";
        os << "   platform:  " << cpu->Describe() << "\n";
        EngineCounters(os, *cpu);
        os << "\n";
    }
    for (const auto& c : engines.GetCards())
    {
        CardConfiguration(os, *c);
    }
    return os.str();
}

std::string
ShowProcessesCpu(const IpsecEngineSet& engines)
{
    std::ostringstream os;
    Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware();
    if (cpu)
    {
        const int five = BusyPercent(*cpu, 5);
        os << "CPU utilization for five seconds: " << five << "%/" << five
           << "%; one minute: " << BusyPercent(*cpu, 60)
           << "%; five minutes: " << BusyPercent(*cpu, 300) << "%\n";
    }
    os << " Engine            5Sec   1Min   5Min  Queue  Done        Refused\n";
    auto line = [&os](const IpsecCryptoEngine& e)
    {
        os << " " << std::left << std::setw(16) << e.GetName() << std::right << std::setw(5)
           << BusyPercent(e, 5) << "%" << std::setw(5) << BusyPercent(e, 60) << "%" << std::setw(5)
           << BusyPercent(e, 300) << "%" << std::setw(7) << e.GetQueueLength() << "  " << std::left
           << std::setw(12) << e.GetCompleted() << std::right << e.GetTotalDrops() << "\n";
    };
    if (cpu)
    {
        line(*cpu);
    }
    for (const auto& c : engines.GetCards())
    {
        line(*c);
    }
    return os.str();
}

std::string
ShowCryptoEngineConnectionsActive(const IpsecEngineSet& engines)
{
    std::ostringstream os;
    os << std::setw(6) << "ID"
       << " " << std::left << std::setw(10) << "Engine" << std::setw(7) << "State" << std::setw(22)
       << "Algorithm" << std::right << std::setw(10) << "Encrypt" << std::setw(10) << "Decrypt"
       << "  Peer\n";
    for (const auto& [id, c] : engines.GetConnections())
    {
        std::string engine = "software";
        if (c.card)
        {
            engine =
                c.card->IsAvailable() ? "slot " + std::to_string(c.card->GetSlot()) : "software*";
        }
        const std::string alg = c.ike ? "IKE" : IosAlgorithm(c.cipher, c.auth);
        os << std::setw(6) << id << " " << std::left << std::setw(10) << engine << std::setw(7)
           << "set" << std::setw(22) << alg << std::right << std::setw(10) << c.encrypted
           << std::setw(10) << c.decrypted << "  " << c.label << "\n";
    }
    return os.str();
}

void
ShowCryptoEngine(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router)
{
    Ptr<IpsecEngineSet> e = router.GetEngines();
    if (!e)
    {
        os << "% No platform: crypto and switching are not timed on this router (name one "
              "with the scenario's \"platform\" key)\n";
        return;
    }
    switch (cmd.kind)
    {
    case IosExecCommand::Kind::SHOW_CRYPTO_ENGINE_CONFIGURATION:
        os << ShowCryptoEngineConfiguration(*e);
        break;
    case IosExecCommand::Kind::SHOW_CRYPTO_ENGINE_CONNECTIONS:
        os << ShowCryptoEngineConnectionsActive(*e);
        break;
    default:
        os << ShowProcessesCpu(*e);
        break;
    }
}

} // namespace ns3
