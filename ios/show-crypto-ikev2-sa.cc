// show crypto ikev2 sa [detail], show crypto ikev2 session [detail] and clear crypto ikev2 sa:
// the IKEv2 daemon's SAs (Ikev2SaReport) in the forms IOS 15.x and IOS-XE print, learnt from
// captured output of real routers (parser test fixtures):
// - " IPv4 Crypto IKEv2  SA ", a blank line, then per SA the column header (repeated for each
//   SA), its row (Tunnel-id, Local, Remote, fvrf/ivrf, Status READY|IN-NEG|DELETE), the suite
//   ("Encr: AES-CBC, keysize: 256, PRF: SHA256, Hash: SHA256, DH Grp:14, Auth sign: PSK, Auth
//   verify: PSK"; "Unknown - 0" before IKE_SA_INIT chose one) and "Life/Active Time: 86400/5
//   sec"; `detail` adds the SPIs, identities, message IDs, windows, DPD, NAT-T and the role;
// - the session form groups the SAs by peer under "Session-id:1, Status:UP-ACTIVE, IKE count:1,
//   CHILD count:1" and lists each child SA's selectors and SPIs.
// A 12.4 router has no IKEv2 and refuses the commands at the word `ikev2`.
#include "ios-router-state.h"

#include "ns3/ikev2-daemon.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{
using Status = Ikev2SaReport::Status;

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::string
StatusText(Status s)
{
    return s == Status::READY ? "READY" : s == Status::IN_NEG ? "IN-NEG" : "DELETE";
}

/** "AES-CBC, keysize: 256": IOS names the cipher family and gives the key size apart (0 for
 *  3DES, whose key size is not variable). */
std::string
EncrText(ipsec::Ikev2EncrAlgorithm e)
{
    using E = ipsec::Ikev2EncrAlgorithm;
    switch (e)
    {
    case E::TDES_CBC:
        return "3DES, keysize: 0";
    case E::AES_CBC_128:
        return "AES-CBC, keysize: 128";
    case E::AES_CBC_192:
        return "AES-CBC, keysize: 192";
    case E::AES_CBC_256:
        return "AES-CBC, keysize: 256";
    case E::AES_GCM16_128:
        return "AES-GCM, keysize: 128";
    case E::AES_GCM16_192:
        return "AES-GCM, keysize: 192";
    case E::AES_GCM16_256:
        return "AES-GCM, keysize: 256";
    }
    return "Unknown - 0, keysize: 0";
}

std::string
PrfText(ipsec::Ikev2PrfAlgorithm p)
{
    using P = ipsec::Ikev2PrfAlgorithm;
    switch (p)
    {
    case P::HMAC_SHA1:
        return "SHA1";
    case P::HMAC_SHA2_256:
        return "SHA256";
    case P::HMAC_SHA2_384:
        return "SHA384";
    case P::HMAC_SHA2_512:
        return "SHA512";
    case P::AES128_XCBC:
        return "AES-XCBC";
    }
    return "Unknown - 0";
}

/** The integrity algorithm by its truncated HMAC, as `show crypto ikev2 proposal` names it. */
std::string
HashText(ipsec::Ikev2IntegAlgorithm i)
{
    using I = ipsec::Ikev2IntegAlgorithm;
    switch (i)
    {
    case I::NONE:
        return "None";
    case I::HMAC_SHA1_96:
        return "SHA96";
    case I::HMAC_SHA2_256_128:
        return "SHA256";
    case I::HMAC_SHA2_384_192:
        return "SHA384";
    case I::HMAC_SHA2_512_256:
        return "SHA512";
    }
    return "None";
}

std::string
AuthText(IosIkev2AuthMethod m)
{
    switch (m)
    {
    case IosIkev2AuthMethod::PRE_SHARE:
        return "PSK";
    case IosIkev2AuthMethod::RSA_SIG:
        return "RSA";
    case IosIkev2AuthMethod::ECDSA_SIG:
        return "ECDSA";
    case IosIkev2AuthMethod::EAP:
        return "EAP";
    }
    return "Unknown - 0";
}

const IosIkev2Profile*
ProfileOf(const Ikev2SaReport& r, const IosRouterConfig& config)
{
    auto it = config.ikev2.profiles.find(r.profile);
    return it == config.ikev2.profiles.end() ? nullptr : &it->second;
}

/** "Encr: ..., Auth sign: PSK, Auth verify: PSK": the suite once chosen, the profile's
 *  methods once the profile is known; before IKE_SA_INIT's answer IOS prints "Encr: Unknown -
 *  0, PRF: Unknown - 0, Hash: None, DH Grp:0, Auth sign: Unknown - 0, Auth verify: Unknown - 0".
 */
std::string
SuiteLine(const Ikev2SaReport& r, const IosRouterConfig& config)
{
    std::string sign = "Unknown - 0";
    std::string verify = "Unknown - 0";
    const IosIkev2Profile* p = r.suite ? ProfileOf(r, config) : nullptr;
    if (p)
    {
        sign = p->localAuth ? AuthText(*p->localAuth) : sign;
        verify = p->remoteAuth.empty() ? verify : AuthText(p->remoteAuth.front());
    }
    std::ostringstream os;
    os << "      Encr: ";
    if (r.suite)
    {
        os << EncrText(r.suite->encr) << ", PRF: " << PrfText(r.suite->prf)
           << ", Hash: " << HashText(r.suite->integ) << ", DH Grp:" << r.suite->group;
    }
    else
    {
        os << "Unknown - 0, PRF: Unknown - 0, Hash: None, DH Grp:0";
    }
    os << ", Auth sign: " << sign << ", Auth verify: " << verify << "\n";
    return os.str();
}

std::string
SpiText(const Ikev2Spi& spi)
{
    char buf[20];
    std::snprintf(buf, sizeof(buf), "%016llX",
                  static_cast<unsigned long long>(Ikev2SpiToUint64(spi)));
    return buf;
}

uint32_t
SessionIdOf(const Ikev2SaReport& r, const std::vector<Ikev2SaReport>& all)
{
    return IosIkev2SessionId(r, all);
}

/** The detail lines after "Life/Active Time" (`show crypto ikev2 sa detail`). */
void
PrintDetail(std::ostream& os, const Ikev2SaReport& r, uint32_t sessionId,
            const IosRouterConfig& config)
{
    const bool ready = r.status == Status::READY;
    os << "      CE id: 0, Session-id: " << sessionId << "\n";
    os << "      Status Description: "
       << (ready                        ? "Negotiation done"
           : r.status == Status::DELETE ? "Deleting IKE SA"
                                        : "Negotiation in progress")
       << "\n";
    os << "      Local spi: " << SpiText(r.localSpi)
       << "       Remote spi: " << SpiText(r.remoteSpi) << "\n";
    os << "      Local id: " << r.localId << "\n";
    os << "      Remote id: " << (ready ? r.remoteId : "") << "\n";
    char line[128];
    const char* rows[] = {"Local req msg id:  %-15uRemote req msg id:  %-10u\n",
                          "Local next msg id: %-15uRemote next msg id: %-10u\n",
                          "Local req queued:  %-15uRemote req queued:  %-10u\n"};
    for (const char* fmt : rows)
    {
        std::snprintf(line, sizeof(line), fmt, r.localNextMessageId, r.remoteNextMessageId);
        os << "      " << line;
    }
    // Neither side announces SET_WINDOW_SIZE: the window is RFC 7296's one request.
    std::snprintf(line, sizeof(line), "Local window:      %-15uRemote window:      %-10u\n", 1u,
                  1u);
    os << "      " << line;
    const std::optional<IosIkev2Dpd> dpd = IosIkev2DpdOf(r, config);
    os << "      DPD configured for " << (dpd ? dpd->interval : 0) << " seconds, retry "
       << (dpd ? dpd->retry : 0) << "\n";
    os << "      Fragmentation not  configured.\n";
    os << "      Extended Authentication not configured.\n";
    // IOS: "NAT-T is not detected  ", "NAT-T is detected  outside" (the peer is behind a NAT),
    // "... inside" (we are).
    os << "      NAT-T is " << (r.natInside || r.natOutside ? "" : "not ") << "detected  "
       << (r.natInside    ? "inside"
           : r.natOutside ? "outside"
                          : "")
       << "\n";
    os << "      Cisco Trust Security SGT is disabled\n";
    os << "      Initiator of SA : " << (r.initiator ? "Yes" : "No") << "\n";
}

/** The column header, the SA's row, its suite and lifetime (and `detail`'s lines). */
void
PrintSa(std::ostream& os, const Ikev2SaReport& r, const std::vector<Ikev2SaReport>& all,
        bool detail, const IosRouterConfig& config)
{
    os << "Tunnel-id Local                 Remote                fvrf/ivrf            Status \n";
    char row[160];
    const std::string local = Text(r.local) + "/" + std::to_string(r.localPort);
    const std::string remote = Text(r.peer) + "/" + std::to_string(r.peerPort);
    std::snprintf(row, sizeof(row), "%-10u%-22s%-22s%-21s%-7s\n", r.tunnelId, local.c_str(),
                  remote.c_str(), "none/none", StatusText(r.status).c_str());
    os << row << SuiteLine(r, config);
    const int64_t active = std::max<int64_t>(0, (Simulator::Now() - r.created).GetSeconds());
    os << "      Life/Active Time: " << r.lifetimeSeconds << "/" << active << " sec\n";
    if (detail)
    {
        PrintDetail(os, r, SessionIdOf(r, all), config);
    }
}

/** One side of a child SA's selector: "10.0.0.0/0 - 10.0.0.255/65535" (first address/port,
 *  last address/port). */
std::string
SelectorSide(Ipv4Address addr, uint32_t wildcard, const IpsecPortMatch& port)
{
    const uint32_t first = addr.Get() & ~wildcard;
    uint16_t lo = 0;
    uint16_t hi = 65535;
    if (port.op == IpsecPortMatch::Op::EQ || port.op == IpsecPortMatch::Op::RANGE)
    {
        lo = port.lo;
        hi = port.op == IpsecPortMatch::Op::EQ ? port.lo : port.hi;
    }
    return Text(Ipv4Address(first)) + "/" + std::to_string(lo) + " - " +
           Text(Ipv4Address(first | wildcard)) + "/" + std::to_string(hi);
}

std::string
Hex32(uint32_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "0x%08X", v);
    return buf;
}

/** "Encr: AES-CBC, keysize: 256, esp_hmac: SHA256" of a child SA's ESP transform. */
std::string
ChildEncrText(const IpsecSaConfig& c)
{
    std::string encr;
    switch (c.cipher)
    {
    case ipsec::CipherAlgorithm::NULL_CIPHER:
        encr = "NULL, keysize: 0";
        break;
    case ipsec::CipherAlgorithm::DES_CBC:
        encr = "DES, keysize: 0";
        break;
    case ipsec::CipherAlgorithm::TDES_CBC:
        encr = "3DES, keysize: 0";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_128:
        encr = "AES-CBC, keysize: 128";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_192:
        encr = "AES-CBC, keysize: 192";
        break;
    case ipsec::CipherAlgorithm::AES_CBC_256:
        encr = "AES-CBC, keysize: 256";
        break;
    case ipsec::CipherAlgorithm::AES_GCM_128:
        encr = "AES-GCM, keysize: 128";
        break;
    case ipsec::CipherAlgorithm::AES_GCM_192:
        encr = "AES-GCM, keysize: 192";
        break;
    case ipsec::CipherAlgorithm::AES_GCM_256:
        encr = "AES-GCM, keysize: 256";
        break;
    }
    std::string hmac = "None";
    switch (c.auth)
    {
    case ipsec::AuthAlgorithm::NONE:
        break;
    case ipsec::AuthAlgorithm::HMAC_MD5_96:
        hmac = "MD596";
        break;
    case ipsec::AuthAlgorithm::HMAC_SHA1_96:
        hmac = "SHA96";
        break;
    case ipsec::AuthAlgorithm::HMAC_SHA256_128:
        hmac = "SHA256";
        break;
    case ipsec::AuthAlgorithm::HMAC_SHA384_192:
        hmac = "SHA384";
        break;
    case ipsec::AuthAlgorithm::HMAC_SHA512_256:
        hmac = "SHA512";
        break;
    }
    return "Encr: " + encr + ", esp_hmac: " + hmac;
}

/** A child SA of the session form (IOS 15's layout: the selectors after "Child sa:"). */
void
PrintChild(std::ostream& os, const IpsecSaBundle& b, bool detail)
{
    const IpsecTrafficSelector& s = b.scope;
    const uint32_t in = b.inbound.empty() ? 0 : b.inbound.front()->GetSpi();
    const uint32_t out = b.outbound.empty() ? 0 : b.outbound.front()->GetSpi();
    os << "Child sa: local selector  " << SelectorSide(s.srcAddr, s.srcWildcard, s.srcPort) << "\n";
    os << "          remote selector " << SelectorSide(s.dstAddr, s.dstWildcard, s.dstPort) << "\n";
    os << "          ESP spi in/out: " << Hex32(in) << "/" << Hex32(out) << "  \n";
    if (detail)
    {
        os << "          AH spi in/out: 0x0/0x0  \n";
        os << "          CPI in/out: 0x0/0x0  \n";
        if (!b.outbound.empty())
        {
            os << "          " << ChildEncrText(b.outbound.front()->GetConfig()) << "\n";
        }
        os << "          ah_hmac: None, comp: IPCOMP_NONE, mode "
           << (b.mode == IpsecMode::TRANSPORT ? "transport" : "tunnel") << "\n";
    }
    os << "          \n";
}

/** A peer's session status: UP-ACTIVE (an IKE SA up with child SAs), UP-IDLE (without),
 *  DOWN-NEGOTIATING (IKE SA under way), DOWN. */
std::string
SessionStatus(const std::vector<const Ikev2SaReport*>& sas)
{
    bool ready = false;
    bool children = false;
    bool negotiating = false;
    for (const auto* r : sas)
    {
        ready |= r->status == Status::READY;
        children |= !r->children.empty();
        negotiating |= r->status == Status::IN_NEG;
    }
    if (ready)
    {
        return children ? "UP-ACTIVE" : "UP-IDLE";
    }
    return negotiating ? "DOWN-NEGOTIATING" : "DOWN";
}

void
PrintSessions(std::ostream& os, const std::vector<Ikev2SaReport>& all, bool detail,
              const IosRouterConfig& config)
{
    os << "IPv4 Crypto IKEv2 Session \n\n";
    std::vector<uint32_t> done;
    for (const auto& first : all)
    {
        const uint32_t id = SessionIdOf(first, all);
        if (std::find(done.begin(), done.end(), id) != done.end())
        {
            continue;
        }
        done.push_back(id);
        std::vector<const Ikev2SaReport*> sas;
        size_t children = 0;
        for (const auto& r : all)
        {
            if (SessionIdOf(r, all) == id)
            {
                sas.push_back(&r);
                children += r.children.size();
            }
        }
        os << "Session-id:" << id << ", Status:" << SessionStatus(sas)
           << ", IKE count:" << sas.size() << ", CHILD count:" << children << "\n\n";
        for (const auto* r : sas)
        {
            PrintSa(os, *r, all, detail, config);
            os << "\n";
            for (const auto& b : r->children)
            {
                PrintChild(os, *b, detail);
            }
        }
    }
    os << "IPv6 Crypto IKEv2 Session \n\n";
}

bool
Selected(const IosExecCommand& cmd, const Ikev2SaReport& r)
{
    if (cmd.filter == "local" || cmd.filter == "remote")
    {
        return Text(cmd.filter == "local" ? r.local : r.peer) == cmd.args.front();
    }
    if (cmd.filter == "fvrf")
    {
        return false; // VRFs are not modelled: every SA is in the global table
    }
    if (cmd.filter == "tunnel")
    {
        return std::to_string(r.tunnelId) == cmd.args.front();
    }
    return true;
}
} // namespace

uint32_t
IosIkev2SessionId(const Ikev2SaReport& r, const std::vector<Ikev2SaReport>& all)
{
    // IOS groups the IKE SAs between two addresses into one crypto session.
    for (const auto& o : all)
    {
        if (o.peer == r.peer && o.local == r.local)
        {
            return o.tunnelId;
        }
    }
    return r.tunnelId;
}

std::optional<IosIkev2Dpd>
IosIkev2DpdOf(const Ikev2SaReport& r, const IosRouterConfig& config)
{
    const IosIkev2Profile* p = ProfileOf(r, config);
    return p && p->dpd ? p->dpd : config.ikev2.dpd;
}

void
ShowCryptoIkev2Sa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router)
{
    const IosRouterConfig& config = router.GetConfig();
    if (config.release == IosRelease::IOS_12_4)
    {
        IosRefuseIkev2On124(cmd);
    }
    std::vector<Ikev2SaReport> all;
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        all = ike->GetIkev2SaReports();
    }
    if (cmd.kind == IosExecCommand::Kind::SHOW_CRYPTO_IKEV2_SESSION)
    {
        PrintSessions(os, all, cmd.detail, config);
        return;
    }
    os << " IPv4 Crypto IKEv2  SA \n\n";
    for (const auto& r : all)
    {
        if (Selected(cmd, r))
        {
            PrintSa(os, r, all, cmd.detail, config);
            os << "\n";
        }
    }
    os << " IPv6 Crypto IKEv2  SA \n\n";
}

void
ClearCryptoIkev2Sa(const IosExecCommand& cmd, IosRouter& router)
{
    if (router.GetConfig().release == IosRelease::IOS_12_4)
    {
        IosRefuseIkev2On124(cmd);
    }
    Ptr<IkeDaemon> ike = router.GetIke();
    if (!ike)
    {
        return;
    }
    if (cmd.filter.empty())
    {
        ike->ClearIkev2Sas();
        return;
    }
    // The daemon deletes by peer: `local A` and a Tunnel-id select the peers of the SAs they
    // name (each such peer's IKE SAs go); `fvrf` names a VRF, and every SA here is in the
    // global table.
    std::vector<Ipv4Address> peers;
    for (const auto& r : ike->GetIkev2SaReports())
    {
        if (Selected(cmd, r) && std::find(peers.begin(), peers.end(), r.peer) == peers.end())
        {
            peers.push_back(r.peer);
        }
    }
    for (const auto& peer : peers)
    {
        ike->ClearIkev2Sas(peer);
    }
}

} // namespace ns3
