// show crypto engine configuration | connections active and show processes cpu as IOS prints
// them, and show simulation crypto engine: the simulator's own view of its engine model (queue,
// busy time, refusals) that no IOS prints. The numbers are the engines' own, see
// hardware/crypto-engine.h.
#include "ios-router-state.h"
#include "ns3/ios-show.h"

#include "ns3/ike-daemon.h"
#include "ns3/simulator.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace ns3
{

namespace
{
/** IOS's short name of an ESP cipher in the engine table ("3DES", "AES256"). */
std::string
CipherShort(ipsec::CipherAlgorithm c)
{
    switch (c)
    {
    case ipsec::CipherAlgorithm::NULL_CIPHER:
        return "";
    case ipsec::CipherAlgorithm::DES_CBC:
        return "DES";
    case ipsec::CipherAlgorithm::TDES_CBC:
        return "3DES";
    case ipsec::CipherAlgorithm::AES_CBC_128:
        return "AES";
    case ipsec::CipherAlgorithm::AES_CBC_192:
        return "AES192";
    case ipsec::CipherAlgorithm::AES_CBC_256:
        return "AES256";
    case ipsec::CipherAlgorithm::AES_GCM_128:
        return "AES-GCM";
    case ipsec::CipherAlgorithm::AES_GCM_192:
        return "AES-GCM192";
    case ipsec::CipherAlgorithm::AES_GCM_256:
        return "AES-GCM256";
    }
    return "";
}

std::string
AuthShort(ipsec::AuthAlgorithm a)
{
    switch (a)
    {
    case ipsec::AuthAlgorithm::HMAC_MD5_96:
        return "MD5";
    case ipsec::AuthAlgorithm::HMAC_SHA1_96:
        return "SHA";
    case ipsec::AuthAlgorithm::HMAC_SHA256_128:
        return "SHA256";
    case ipsec::AuthAlgorithm::HMAC_SHA384_192:
        return "SHA384";
    case ipsec::AuthAlgorithm::HMAC_SHA512_256:
        return "SHA512";
    case ipsec::AuthAlgorithm::NONE:
        break;
    }
    return "";
}

/** The Algorithm column of an IPsec SA: cipher+integrity ("3DES+SHA"), the integrity alone
 *  for AH, the compression for IPComp. */
std::string
SaAlgorithm(const IpsecEngineSet::Connection& c)
{
    if (c.protocol == static_cast<uint8_t>(IpsecProtocol::IPCOMP))
    {
        return "LZS";
    }
    const std::string enc =
        c.protocol == static_cast<uint8_t>(IpsecProtocol::ESP)
            ? (c.cipher == ipsec::CipherAlgorithm::NULL_CIPHER ? std::string("NULL")
                                                               : CipherShort(c.cipher))
            : std::string();
    const std::string auth = AuthShort(c.auth);
    if (enc.empty())
    {
        return auth.empty() ? "NONE" : auth;
    }
    return auth.empty() ? enc : enc + "+" + auth;
}

std::string
YesNo(bool b)
{
    return b ? "Yes" : "No";
}

/** A card as show crypto engine configuration lists it. */
void
CardConfiguration(std::ostream& os, const IpsecHardwareEngine& c)
{
    const IpsecCardRecord& r = c.GetCard();
    auto has = [&r](ipsec::CipherAlgorithm a) { return r.ciphers.count(a) > 0; };
    std::string aes;
    for (auto [alg, bits] : {std::pair{ipsec::CipherAlgorithm::AES_CBC_128, "128"},
                             std::pair{ipsec::CipherAlgorithm::AES_CBC_192, "192"},
                             std::pair{ipsec::CipherAlgorithm::AES_CBC_256, "256"}})
    {
        if (has(alg))
        {
            aes += (aes.empty() ? "" : ",") + std::string(bits);
        }
    }
    os << "crypto engine name:  " << c.GetName() << "\n"
       << "crypto engine type:  hardware\n"
       << "            State:  " << (c.IsFailed() ? "Disabled" : "Enabled") << "\n"
       << "         Location:  slot " << c.GetSlot() << "\n"
       << "     Product Name:  " << r.description << "\n"
       << "      Compression:  No\n"
       << "              DES:  " << YesNo(has(ipsec::CipherAlgorithm::DES_CBC)) << "\n"
       << "            3 DES:  " << YesNo(has(ipsec::CipherAlgorithm::TDES_CBC)) << "\n"
       << "          AES CBC:  " << (aes.empty() ? "No" : "Yes (" + aes + ")") << "\n";
}

/** Percentage of the time @p e was busy over the last @p s seconds. */
int
BusyPercent(const IpsecCryptoEngine& e, double s)
{
    const Time now = Simulator::Now();
    const Time since = now > Seconds(s) ? now - Seconds(s) : Time(0);
    return static_cast<int>(std::lround(100.0 * e.GetUtilisation(since)));
}

/** The simulator's own lines of an engine: its queue and the work it did or refused. */
void
EngineCounters(std::ostream& os, const IpsecCryptoEngine& e)
{
    os << "   queue depth limit:  " << e.GetQueueDepth() << ", in queue: " << e.GetQueueLength()
       << "\n";
    os << "   busy:  " << BusyPercent(e, 5) << "% 5 s, " << BusyPercent(e, 60) << "% 1 min, "
       << BusyPercent(e, 300) << "% 5 min\n";
    os << "   operations done:  " << e.GetCompleted() << ", refused: queue-full "
       << e.GetDrops(IpsecEngineDropReason::QUEUE_FULL) << ", engine-failed "
       << e.GetDrops(IpsecEngineDropReason::ENGINE_FAILED) << ", unsupported "
       << e.GetDrops(IpsecEngineDropReason::UNSUPPORTED) << "\n";
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
} // namespace

std::string
ShowCryptoEngineConfiguration(const IpsecEngineSet& engines, IosRelease release)
{
    std::ostringstream os;
    if (engines.GetSoftware())
    {
        // The software engine's name: 12.4 leaves it "unknown".
        os << "crypto engine name:  "
           << (release == IosRelease::IOS_15 ? "Cisco VPN Software Implementation" : "unknown")
           << "\n"
           << "crypto engine type:  software\n"
           << "crypto engine state:  installed\n"
           << "crypto engine in slot:  N/A\n";
    }
    for (const auto& c : engines.GetCards())
    {
        os << "\n"; // a blank line between engines
        CardConfiguration(os, *c);
    }
    return os.str();
}

std::string
ShowProcessesCpu(const IpsecEngineSet& engines)
{
    std::ostringstream os;
    if (Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware())
    {
        const int five = BusyPercent(*cpu, 5);
        os << "CPU utilization for five seconds: " << five << "%/" << five
           << "%; one minute: " << BusyPercent(*cpu, 60)
           << "%; five minutes: " << BusyPercent(*cpu, 300) << "%\n";
    }
    return os.str();
}

std::string
ShowSimulationCryptoEngine(const IpsecEngineSet& engines)
{
    std::ostringstream os;
    if (Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware())
    {
        os << "engine " << cpu->GetName() << " (software)\n";
        os << "   platform:  " << cpu->Describe() << "\n";
        EngineCounters(os, *cpu);
    }
    for (const auto& c : engines.GetCards())
    {
        const IpsecCardRecord& r = c->GetCard();
        std::vector<std::string> algs;
        for (auto a : r.ciphers)
        {
            algs.push_back(ipsec::GetCipherInfo(a).name);
        }
        for (auto a : r.auths)
        {
            algs.push_back(ipsec::GetAuthInfo(a).name);
        }
        os << "engine " << c->GetName() << " (hardware, slot " << c->GetSlot() << ", "
           << (c->IsFailed() ? "failed" : "installed") << ")\n";
        os << "   platform:  " << c->Describe() << "\n";
        os << "   algorithms in hardware:  " << Join(algs) << "\n";
        os << "   DH offload: " << (r.dhOffload ? "yes" : "no")
           << ", RSA offload: " << (r.rsaOffload ? "yes" : "no") << "\n";
        os << "   tunnels:  " << c->GetTunnels() << " of " << c->GetMaxTunnels()
           << ", past the limit: "
           << (r.overLimit == IpsecOverLimitPolicy::REFUSE ? "refused" : "software") << "\n";
        EngineCounters(os, *c);
    }
    os << "transit packets switched:  " << engines.GetForwarded()
       << ", dropped (CPU queue full): " << engines.GetForwardDrops() << "\n";
    return os.str();
}

namespace
{
/** The table of show crypto engine connections active from its rows. */
std::string
ConnectionsText(const std::map<uint32_t, IpsecEngineSet::Connection>& rows, IosRelease release,
                const std::map<uint32_t, IosEngineConnectionInfo>& info)
{
    const bool ios15 = release == IosRelease::IOS_15;
    std::ostringstream os;
    char line[160];
    os << "Crypto Engine Connections\n\n";
    if (ios15)
    {
        std::snprintf(line, sizeof(line), "%5s  %-8s%-20s%7s  %7s %8s %s\n", "ID", "Type",
                      "Algorithm", "Encrypt", "Decrypt", "LastSeqN", "IP-Address");
    }
    else
    {
        std::snprintf(line, sizeof(line), "%5s %-10s %-6s%-20s%7s  %7s %s\n", "ID", "Interface",
                      "Type", "Algorithm", "Encrypt", "Decrypt", "IP-Address");
    }
    os << line;
    for (const auto& [id, c] : rows)
    {
        auto it = info.find(id);
        const IosEngineConnectionInfo none;
        const IosEngineConnectionInfo& i = it == info.end() ? none : it->second;
        const std::string alg =
            !i.algorithm.empty() ? i.algorithm : (c.ike ? std::string("IKE") : SaAlgorithm(c));
        const std::string addr = i.address.empty() ? c.label : i.address;
        if (ios15)
        {
            std::snprintf(line, sizeof(line), "%5u  %-8s%-20s%7" PRIu64 "  %7" PRIu64 " %8u %s\n",
                          id, c.ike ? "IKE" : "IPsec", alg.c_str(), c.encrypted, c.decrypted,
                          i.lastSeq, addr.c_str());
        }
        else
        {
            std::snprintf(line, sizeof(line), "%5u %-10s %-6s%-20s%7" PRIu64 "  %7" PRIu64 " %s\n",
                          id, i.interface.c_str(), c.ike ? "IKE" : "IPsec", alg.c_str(),
                          c.encrypted, c.decrypted, addr.c_str());
        }
        os << line;
    }
    return os.str();
}
} // namespace

std::string
ShowCryptoEngineConnectionsActive(const IpsecEngineSet& engines, IosRelease release,
                                  const std::map<uint32_t, IosEngineConnectionInfo>& info)
{
    return ConnectionsText(engines.GetConnections(), release, info);
}

namespace
{
/** IOS's short interface name: "Fa0/0" for FastEthernet0/0, "Se0" for Serial0. */
std::string
ShortInterface(const std::string& name)
{
    size_t digit = name.find_first_of("0123456789");
    if (digit == std::string::npos || digit < 2)
    {
        return name;
    }
    return name.substr(0, 2) + name.substr(digit);
}

/** The IKE SA's algorithms as the engine table names them: hash+cipher ("SHA+3DES"). */
std::string
IkeAlgorithm(const IkePolicy& p)
{
    std::string hash = p.hash == IKE_HASH_MD5        ? "MD5"
                       : p.hash == IKE_HASH_SHA2_256 ? "SHA256"
                       : p.hash == IKE_HASH_SHA2_384 ? "SHA384"
                       : p.hash == IKE_HASH_SHA2_512 ? "SHA512"
                                                     : "SHA";
    std::string enc = p.encryption == IKE_ENCR_3DES_CBC ? "3DES"
                      : p.encryption == IKE_ENCR_AES_CBC
                          ? (p.keyLength > 128 ? "AES" + std::to_string(p.keyLength) : "AES")
                          : "DES";
    return hash + "+" + enc;
}

/** What the router knows of each engine connection: interfaces, addresses, sequence numbers. */
std::map<uint32_t, IosEngineConnectionInfo>
ConnectionInfo(const IosRouter& router)
{
    std::map<uint32_t, IosEngineConnectionInfo> info;
    std::map<uint32_t, std::string> ifOfAddress;
    for (const auto& i : router.GetConfig().interfaces)
    {
        if (i.address)
        {
            ifOfAddress.emplace(i.address->Get(), ShortInterface(i.name));
        }
    }
    auto ifName = [&](Ipv4Address a)
    {
        auto it = ifOfAddress.find(a.Get());
        return it == ifOfAddress.end() ? std::string() : it->second;
    };
    for (const auto& [mapName, pe] : router.GetCryptoMapEntries())
    {
        for (const auto& b : pe->bundles)
        {
            for (const auto* dir : {&b->inbound, &b->outbound})
            {
                for (const auto& sa : *dir)
                {
                    IosEngineConnectionInfo& i = info[sa->GetConnId()];
                    i.interface = ifName(b->local);
                    std::ostringstream a;
                    a << b->local;
                    i.address = a.str();
                    Ptr<IpsecSa> s = sa;
                    if (s->GetDirection() == IpsecDirection::OUTBOUND)
                    {
                        i.lastSeq = s->GetLastSequenceNumber();
                    }
                    else if (IpsecReplayWindow* w = s->GetReplayWindow())
                    {
                        i.lastSeq = static_cast<uint32_t>(w->GetHighest());
                    }
                }
            }
        }
    }
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        for (const auto& sa : ike->GetSas())
        {
            IosEngineConnectionInfo& i = info[sa->connId];
            i.interface = ifName(sa->local);
            std::ostringstream a;
            a << sa->local;
            i.address = a.str();
            if (sa->state != IkeSaState::MM_NO_STATE)
            {
                i.algorithm = IkeAlgorithm(sa->policy);
            }
        }
    }
    return info;
}

/**
 * The connections of a router without a platform (no engine set): every IKE SA and IPsec SA is
 * on IOS's software engine, with the packets its SAs carried.
 */
std::map<uint32_t, IpsecEngineSet::Connection>
SoftwareConnections(const IosRouter& router)
{
    std::map<uint32_t, IpsecEngineSet::Connection> rows;
    for (const auto& [mapName, pe] : router.GetCryptoMapEntries())
    {
        for (const auto& b : pe->bundles)
        {
            for (const auto* dir : {&b->inbound, &b->outbound})
            {
                for (const auto& sa : *dir)
                {
                    const IpsecSaConfig& c = sa->GetConfig();
                    IpsecEngineSet::Connection& r = rows[sa->GetConnId()];
                    r.id = sa->GetConnId();
                    r.protocol = static_cast<uint8_t>(c.protocol);
                    r.inbound = dir == &b->inbound;
                    r.cipher = c.protocol == IpsecProtocol::ESP
                                   ? c.cipher
                                   : ipsec::CipherAlgorithm::NULL_CIPHER;
                    r.auth =
                        c.protocol == IpsecProtocol::IPCOMP ? ipsec::AuthAlgorithm::NONE : c.auth;
                    (r.inbound ? r.decrypted : r.encrypted) = sa->GetPackets();
                }
            }
        }
    }
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        for (const auto& sa : ike->GetSas())
        {
            IpsecEngineSet::Connection& r = rows[sa->connId];
            r.id = sa->connId;
            r.ike = true;
        }
    }
    return rows;
}
} // namespace

void
ShowCryptoEngine(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router)
{
    Ptr<IpsecEngineSet> e = router.GetEngines();
    const IosRelease release = router.GetConfig().release;
    if (!e && cmd.kind == IosExecCommand::Kind::SHOW_CRYPTO_ENGINE_CONNECTIONS)
    {
        os << ConnectionsText(SoftwareConnections(router), release, ConnectionInfo(router));
        return;
    }
    if (!e)
    {
        os << "% No platform: crypto and switching are not timed on this router (name one "
              "with the scenario's \"platform\" key)\n";
        return;
    }
    switch (cmd.kind)
    {
    case IosExecCommand::Kind::SHOW_CRYPTO_ENGINE_CONFIGURATION:
        os << ShowCryptoEngineConfiguration(*e, release);
        break;
    case IosExecCommand::Kind::SHOW_CRYPTO_ENGINE_CONNECTIONS:
        os << ShowCryptoEngineConnectionsActive(*e, release, ConnectionInfo(router));
        break;
    case IosExecCommand::Kind::SHOW_SIMULATION_CRYPTO_ENGINE:
        os << ShowSimulationCryptoEngine(*e);
        break;
    default:
        os << ShowProcessesCpu(*e);
        break;
    }
}

} // namespace ns3
