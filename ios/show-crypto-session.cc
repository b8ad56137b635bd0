// show crypto session [detail]: one block per interface and peer, with the peer's ISAKMP SAs and
// the flows of its crypto map entries, in the form of the router's IOS release.
//
// The forms, from captured output of real routers (parser test fixtures):
// - IOS 15: "Crypto session current status", a blank line, then per peer "Interface:",
//   (detail: "Profile:", "Uptime:"), "Session status:", "Peer: A port P" (detail: "fvrf: (none)
//   ivrf: (none)", "Phase1_id:", "Desc:", Desc first while the peer is unknown), per ISAKMP SA
//   "Session ID: 0" and "IKEv1 SA: local L/500 remote R/500 Active" (detail: "Capabilities:D
//   connid:1001 lifetime:23:59:50"), per flow "IPSEC FLOW: permit ip 10.0.0.0/255.255.255.0
//   host 10.2.2.1" and "Active SAs: 2, origin: crypto map" (detail: the inbound and outbound packet
//   counts and lifetimes left).
// - IOS 12.4: no Session ID, "IKE SA:" in place of "IKEv1 SA:", Desc before Phase1_id, no
//   Uptime; its detail legend is the short one.
// Lines without detail end in a space (the router pads them); the status is padded to 14.
// Session status, as the command reference defines it: UP-ACTIVE (an ISAKMP SA and IPsec SAs),
// UP-IDLE (the ISAKMP SA only), UP-NO-IKE (IPsec SAs without an ISAKMP SA: manual keying, or
// phase 1 expired), DOWN-NEGOTIATING (phase 1 under way), DOWN (nothing).
#include "ios-router-state.h"

#include "ns3/ikev2-daemon.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-route.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{
/** One flow of a session: a selector and the bundles carrying it. */
struct SessionFlow
{
    IpsecTrafficSelector selector;
    IpsecKeying keying = IpsecKeying::ISAKMP;
    std::vector<const IpsecSaBundle*> bundles;
};

/** Everything shown for one peer on one interface. */
struct Session
{
    Ipv4Address peer;
    std::string profile;     //!< the entry's `set isakmp-profile`
    std::string description; //!< the entry's `description`
    std::vector<SessionFlow> flows;
    std::vector<Ptr<IkeSa>> ikeSas;
    std::vector<Ikev2SaReport> ikev2Sas;   //!< the IKEv2 SAs with the peer (not those deleted)
    std::vector<uint32_t> ikev2SessionIds; //!< their Session IDs, in the same order
};

bool
SameSelector(const IpsecTrafficSelector& a, const IpsecTrafficSelector& b)
{
    return a.Within(b) && b.Within(a);
}

void
AddFlow(Session& s, const IpsecTrafficSelector& sel, IpsecKeying keying,
        const IpsecSaBundle* bundle)
{
    for (auto& f : s.flows)
    {
        if (SameSelector(f.selector, sel))
        {
            if (bundle)
            {
                f.bundles.push_back(bundle);
            }
            return;
        }
    }
    SessionFlow f;
    f.selector = sel;
    f.keying = keying;
    if (bundle)
    {
        f.bundles.push_back(bundle);
    }
    s.flows.push_back(f);
}

Session&
SessionOf(std::vector<Session>& sessions, Ipv4Address peer)
{
    for (auto& s : sessions)
    {
        if (s.peer == peer)
        {
            return s;
        }
    }
    sessions.push_back(Session{});
    sessions.back().peer = peer;
    return sessions.back();
}

/** The interface of a map set on several interfaces whose address @p local is; empty if none. */
std::string
InterfaceWithAddress(const IosRouter& router, const IosMapSet& set, Ipv4Address local)
{
    for (const auto& i : set.interfaces)
    {
        const int32_t idx = router.GetInterfaceIndex(i);
        if (idx >= 0 && router.GetProcessor()->GetLocalAddress(idx) == local)
        {
            return i;
        }
    }
    return "";
}

/** The interface of map set @p set under which peer @p peer's session shows: where its SAs
 *  are (the local address of its bundles or ISAKMP SA), else the one the route to it leaves
 *  by, else the first. */
std::string
HomeInterface(const IosRouter& router, const IosMapSet& set, Ipv4Address peer)
{
    if (set.interfaces.size() <= 1)
    {
        return set.interfaces.empty() ? "" : set.interfaces.front();
    }
    for (const auto& [src, pe] : set.entries)
    {
        for (const auto& b : pe->bundles)
        {
            if (b->peer == peer)
            {
                for (const auto& i : set.interfaces)
                {
                    if (IosBundleOnInterface(router, *b, set.interfaces, i))
                    {
                        return i;
                    }
                }
            }
        }
    }
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        for (const auto& sa : ike->GetSas())
        {
            const std::string i =
                sa->peer == peer ? InterfaceWithAddress(router, set, sa->local) : "";
            if (!i.empty())
            {
                return i;
            }
        }
    }
    Ptr<Ipv4L3Protocol> ipv4 = router.GetNode()->GetObject<Ipv4L3Protocol>();
    Ipv4Header h;
    h.SetDestination(peer);
    Socket::SocketErrno err;
    if (Ptr<Ipv4Route> route =
            ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, err))
    {
        const int32_t idx = ipv4->GetInterfaceForDevice(route->GetOutputDevice());
        for (const auto& i : set.interfaces)
        {
            if (router.GetInterfaceIndex(i) == idx)
            {
                return i;
            }
        }
    }
    return set.interfaces.front();
}

bool
HasDynamicEntry(const IosMapSet& set)
{
    for (const auto& [src, pe] : set.entries)
    {
        if (pe->keying == IpsecKeying::DYNAMIC)
        {
            return true;
        }
    }
    return false;
}

/** The sessions of interface @p ifn of map set @p set: its entries' peers (configured ones
 *  even when down) with their flows, and the bundles and ISAKMP SAs with each peer. */
std::vector<Session>
SessionsOn(const IosRouter& router, const IosMapSet& set, const std::string& ifn)
{
    std::vector<Session> sessions;
    for (const auto& [src, pe] : set.entries)
    {
        if (pe->keying != IpsecKeying::DYNAMIC)
        {
            for (const auto& peer : pe->peers)
            {
                Session& s = SessionOf(sessions, peer);
                if (src)
                {
                    s.profile = s.profile.empty() ? src->isakmpProfile : s.profile;
                    s.description = s.description.empty() ? src->description : s.description;
                }
                if (pe->acl)
                {
                    for (const auto& rule : pe->acl->GetRules())
                    {
                        if (rule.permit)
                        {
                            AddFlow(s, rule.selector, pe->keying, nullptr);
                        }
                    }
                }
            }
        }
        for (const auto& b : pe->bundles)
        {
            if (IosBundleOnInterface(router, *b, set.interfaces, ifn))
            {
                AddFlow(SessionOf(sessions, b->peer), b->scope, pe->keying, PeekPointer(b));
            }
        }
    }
    Ptr<IkeDaemon> ike = router.GetIke();
    if (ike && HasDynamicEntry(set))
    {
        // A dynamic map's peers are known by their ISAKMP SAs: one whose IPsec SAs are gone
        // (expired, cleared) is a session still, UP-IDLE.
        const int32_t idx = router.GetInterfaceIndex(ifn);
        for (const auto& sa : ike->GetSas())
        {
            const bool here =
                set.interfaces.size() <= 1 ||
                (idx >= 0 && router.GetProcessor()->GetLocalAddress(idx) == sa->local);
            if (here && sa->IsEstablished())
            {
                SessionOf(sessions, sa->peer);
            }
        }
    }
    sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                  [&](const Session& s)
                                  { return HomeInterface(router, set, s.peer) != ifn; }),
                   sessions.end());
    if (ike)
    {
        const std::vector<Ikev2SaReport> v2 = ike->GetIkev2SaReports();
        for (auto& s : sessions)
        {
            for (const auto& sa : ike->GetSas())
            {
                if (sa->peer == s.peer)
                {
                    s.ikeSas.push_back(sa);
                }
            }
            for (const auto& r : v2)
            {
                if (r.peer == s.peer && r.status != Ikev2SaReport::Status::DELETE)
                {
                    s.ikev2Sas.push_back(r);
                    s.ikev2SessionIds.push_back(IosIkev2SessionId(r, v2));
                    s.profile = s.profile.empty() ? r.profile : s.profile;
                }
            }
        }
    }
    return sessions;
}

size_t
SaCount(const SessionFlow& f)
{
    size_t n = 0;
    for (const auto* b : f.bundles)
    {
        n += b->inbound.size() + b->outbound.size();
    }
    return n;
}

std::string
StatusOf(const Session& s)
{
    bool ipsec = false;
    for (const auto& f : s.flows)
    {
        ipsec |= SaCount(f) > 0;
    }
    bool ikeUp = false;
    bool negotiating = false;
    for (const auto& sa : s.ikeSas)
    {
        ikeUp |= sa->IsEstablished();
        negotiating |= !sa->IsEstablished();
    }
    for (const auto& r : s.ikev2Sas)
    {
        ikeUp |= r.status == Ikev2SaReport::Status::READY;
        negotiating |= r.status == Ikev2SaReport::Status::IN_NEG;
    }
    if (ikeUp)
    {
        return ipsec ? "UP-ACTIVE" : "UP-IDLE";
    }
    if (ipsec)
    {
        return "UP-NO-IKE";
    }
    return negotiating ? "DOWN-NEGOTIATING" : "DOWN";
}

/** The port IKE and ESP reach the peer on: 4500 (or what its NAT chose) after NAT detection. */
uint16_t
PeerPort(const Session& s)
{
    for (const auto& sa : s.ikeSas)
    {
        if (sa->localPort != 500)
        {
            return sa->peerPort;
        }
    }
    for (const auto& r : s.ikev2Sas)
    {
        if (r.localPort != 500)
        {
            return r.peerPort;
        }
    }
    for (const auto& f : s.flows)
    {
        for (const auto* b : f.bundles)
        {
            if (b->udpEncapPeerPort)
            {
                return b->udpEncapPeerPort;
            }
        }
    }
    return 500;
}

std::string
Address(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** One side of a flow as IOS prints it: "host A", "A/MASK" (a wildcard's complement) or
 *  "0.0.0.0/0.0.0.0" for any, then " port N" for a single port. */
std::string
FlowSide(Ipv4Address addr, uint32_t wildcard, const IpsecPortMatch& port)
{
    std::string out = wildcard == 0 ? "host " + Address(addr)
                                    : Address(Ipv4Address(addr.Get() & ~wildcard)) + "/" +
                                          Address(Ipv4Address(~wildcard));
    if (port.op == IpsecPortMatch::Op::EQ)
    {
        out += " port " + std::to_string(port.lo);
    }
    return out;
}

std::string
FlowText(const IpsecTrafficSelector& s)
{
    const std::string proto = s.protocol == 0 ? "ip" : std::to_string(s.protocol);
    return "permit " + proto + " " + FlowSide(s.srcAddr, s.srcWildcard, s.srcPort) + " " +
           FlowSide(s.dstAddr, s.dstWildcard, s.dstPort);
}

std::string
OriginOf(IpsecKeying k)
{
    switch (k)
    {
    case IpsecKeying::MANUAL:
        return "manual-keyed";
    case IpsecKeying::DYNAMIC:
        return "dynamic crypto map";
    case IpsecKeying::ISAKMP:
        return "crypto map";
    }
    return "crypto map";
}

/** "23:59:50" below a day, "1d02h" below a week, "3w2d" beyond, as IOS prints a duration. */
std::string
Duration(Time t)
{
    const int64_t s = std::max<int64_t>(0, t.GetSeconds());
    char buf[32];
    if (s < 86400)
    {
        std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                      static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    }
    else if (s < 7 * 86400)
    {
        std::snprintf(buf, sizeof(buf), "%lldd%02lldh", static_cast<long long>(s / 86400),
                      static_cast<long long>(s / 3600 % 24));
    }
    else
    {
        std::snprintf(buf, sizeof(buf), "%lldw%lldd", static_cast<long long>(s / (7 * 86400)),
                      static_cast<long long>(s / 86400 % 7));
    }
    return buf;
}

/** When the session came up: its oldest established ISAKMP SA, else its oldest SA. */
Time
UpSince(const Session& s)
{
    Time since = Simulator::Now();
    bool ike = false;
    for (const auto& sa : s.ikeSas)
    {
        if (sa->IsEstablished())
        {
            since = std::min(since, sa->created);
            ike = true;
        }
    }
    for (const auto& r : s.ikev2Sas)
    {
        if (r.status == Ikev2SaReport::Status::READY)
        {
            since = std::min(since, r.created);
            ike = true;
        }
    }
    for (const auto& f : s.flows)
    {
        for (const auto* b : f.bundles)
        {
            for (const auto& sa : b->inbound)
            {
                since = ike ? since : std::min(since, sa->GetInstalledAt());
            }
        }
    }
    return since;
}

/** The peer's phase-1 identity once authenticated (its address: the simulator keeps no other
 *  form for the shows); empty before. */
std::string
Phase1Id(const Session& s)
{
    for (const auto& sa : s.ikeSas)
    {
        if (sa->IsEstablished())
        {
            return Address(s.peer);
        }
    }
    for (const auto& r : s.ikev2Sas)
    {
        if (r.status == Ikev2SaReport::Status::READY)
        {
            return r.remoteId;
        }
    }
    return "";
}

/** "Inbound:  #pkts dec'ed N drop D life (KB/Sec) K/S" for one direction of a flow: the
 *  packets of its newest bundle's SAs (one count per packet, whatever the protocols), their
 *  drops, and the lifetime left of that bundle ("0/0" without SAs or lifetimes). */
std::string
DirectionLine(const SessionFlow& f, bool inbound)
{
    uint64_t packets = 0;
    uint64_t drops = 0;
    std::string life = "0/0";
    for (const auto* b : f.bundles)
    {
        const auto& sas = inbound ? b->inbound : b->outbound;
        uint64_t most = 0;
        for (const auto& sa : sas)
        {
            most = std::max(most, sa->GetPackets());
            drops += sa->GetDrops().Total();
        }
        packets += most;
        if (!sas.empty())
        {
            const auto kb = sas.front()->GetRemainingKilobytes();
            const auto secs = sas.front()->GetRemainingLifetime();
            if (kb || secs)
            {
                life = std::to_string(kb.value_or(0)) + "/" +
                       std::to_string(secs ? static_cast<int64_t>(secs->GetSeconds()) : 0);
            }
        }
    }
    std::ostringstream os;
    os << (inbound ? "        Inbound:  #pkts dec'ed " : "        Outbound: #pkts enc'ed ")
       << packets << " drop " << drops << " life (KB/Sec) " << life << "\n";
    return os.str();
}

/** The ISAKMP SA's lines: "IKEv1 SA: local L/500 remote R/500 Active" (12.4: "IKE SA:"). */
void
PrintIkeSa(std::ostream& os, const IkeSa& sa, IosRelease release, bool detail)
{
    const bool v15 = release == IosRelease::IOS_15;
    const std::string pad = detail ? "" : " ";
    if (v15)
    {
        os << "  Session ID: 0 " << (detail ? "" : " ") << "\n";
    }
    os << "  " << (v15 ? "IKEv1 SA" : "IKE SA") << ": local " << sa.local << "/" << sa.localPort
       << " remote " << sa.peer << "/" << sa.peerPort << " "
       << (sa.IsEstablished() ? "Active" : "Inactive") << pad << "\n";
    if (!detail)
    {
        return;
    }
    std::string caps = std::string(sa.dpdActive ? "D" : "") + (sa.NatDetected() ? "N" : "");
    const uint32_t shownId = v15 && !sa.IsKeyed() ? 0 : sa.connId;
    os << "          Capabilities:" << (caps.empty() ? "(none)" : caps) << " connid:" << shownId
       << " lifetime:" << (sa.IsEstablished() ? Duration(sa.RemainingLifetime()) : "0") << "\n";
}

/** An IKEv2 SA's lines (15.x): "Session ID: 1" and "IKEv2 SA: local L/500 remote R/500 Active"
 *  (detail: "Capabilities:D connid:1 lifetime:23:59:50", connid the SA's Tunnel-id). */
void
PrintIkev2Sa(std::ostream& os, const Ikev2SaReport& r, uint32_t sessionId, bool dpd, bool detail)
{
    const bool ready = r.status == Ikev2SaReport::Status::READY;
    os << "  Session ID: " << sessionId << " " << (detail ? "" : " ") << "\n";
    os << "  IKEv2 SA: local " << r.local << "/" << r.localPort << " remote " << r.peer << "/"
       << r.peerPort << " " << (ready ? "Active" : "Inactive") << (detail ? "" : " ") << "\n";
    if (!detail)
    {
        return;
    }
    const Time left = Seconds(r.lifetimeSeconds) - (Simulator::Now() - r.created);
    const std::string caps = std::string(dpd ? "D" : "") + (r.natInside || r.natOutside ? "N" : "");
    os << "          Capabilities:" << (caps.empty() ? "(none)" : caps) << " connid:" << r.tunnelId
       << " lifetime:" << (ready ? Duration(left) : "0") << "\n";
}

void
PrintSession(std::ostream& os, const std::string& ifn, const Session& s, IosRelease release,
             bool detail, const IosRouterConfig& config)
{
    const bool v15 = release == IosRelease::IOS_15;
    const std::string status = StatusOf(s);
    os << "Interface: " << ifn << "\n";
    if (detail && !s.profile.empty())
    {
        os << "Profile: " << s.profile << "\n";
    }
    if (detail && v15 && status.rfind("UP", 0) == 0)
    {
        os << "Uptime: " << Duration(Simulator::Now() - UpSince(s)) << "\n";
    }
    char padded[32];
    std::snprintf(padded, sizeof(padded), "%-14s", status.c_str());
    os << "Session status: " << padded << "\n";
    os << "Peer: " << s.peer << " port " << PeerPort(s)
       << (detail ? " fvrf: (none) ivrf: (none)" : " ") << "\n";
    if (detail)
    {
        // 15.x puts a known peer's Phase1_id first; with none yet (a peer not authenticated)
        // it prints Desc first, as 12.4 always does.
        const bool known = !Phase1Id(s).empty();
        const std::string id = known ? Phase1Id(s) : "(none)";
        const std::string desc = s.description.empty() ? "(none)" : s.description;
        os << (v15 && known ? "      Phase1_id: " + id + "\n      Desc: " + desc
                            : "      Desc: " + desc + "\n      Phase1_id: " + id)
           << "\n";
    }
    for (const auto& sa : s.ikeSas)
    {
        PrintIkeSa(os, *sa, release, detail);
    }
    for (size_t k = 0; k < s.ikev2Sas.size(); ++k)
    {
        const Ikev2SaReport& r = s.ikev2Sas[k];
        PrintIkev2Sa(os, r, s.ikev2SessionIds[k], IosIkev2DpdOf(r, config).has_value(), detail);
    }
    for (const auto& f : s.flows)
    {
        os << "  IPSEC FLOW: " << FlowText(f.selector) << (detail ? "" : " ") << "\n";
        os << "        Active SAs: " << SaCount(f) << ", origin: " << OriginOf(f.keying) << "\n";
        if (detail)
        {
            os << DirectionLine(f, true) << DirectionLine(f, false);
        }
    }
}

/** "Se0", "Fa0/0", "Tu1": the short interface name of `show crypto session brief`. */
std::string
ShortInterface(const std::string& name)
{
    const size_t digit = name.find_first_of("0123456789");
    if (digit == std::string::npos || digit < 2)
    {
        return name;
    }
    return name.substr(0, 2) + name.substr(digit);
}

/** The status code of `show crypto session brief`: U (up) or D (down), then A (active), I
 *  (idle), K (no IKE), N (negotiating). */
std::string
BriefStatus(const std::string& status)
{
    if (status == "UP-ACTIVE")
    {
        return "UA";
    }
    if (status == "UP-IDLE")
    {
        return "UI";
    }
    if (status == "UP-NO-IKE")
    {
        return "UK";
    }
    return status == "DOWN-NEGOTIATING" ? "DN" : "D";
}

void
PrintBriefRow(std::ostream& os, const std::string& ifn, const Session& s)
{
    const std::string status = StatusOf(s);
    const bool up = status.rfind("UP", 0) == 0;
    const std::string id = Phase1Id(s);
    const std::string uptime = up ? Duration(Simulator::Now() - UpSince(s)) : "";
    char line[160];
    std::snprintf(line, sizeof(line), "%-15s %-12s %-15s %-24s %-8s %s\n", Address(s.peer).c_str(),
                  ShortInterface(ifn).c_str(), "", id.c_str(), uptime.c_str(),
                  BriefStatus(status).c_str());
    os << line;
}

void
PrintHeader(std::ostream& os, IosRelease release, bool detail)
{
    os << "Crypto session current status\n";
    if (release == IosRelease::IOS_15 || detail)
    {
        os << "\n";
    }
    if (!detail)
    {
        return;
    }
    if (release == IosRelease::IOS_15)
    {
        os << "Code: C - IKE Configuration mode, D - Dead Peer Detection     \n"
              "K - Keepalives, N - NAT-traversal, T - cTCP encapsulation     \n"
              "X - IKE Extended Authentication, F - IKE Fragmentation\n"
              "R - IKE Auto Reconnect, U - IKE Dynamic Route Update\n"
              "S - SIP VPN\n\n";
    }
    else
    {
        os << "Code: C - IKE Configuration mode, D - Dead Peer Detection\n"
              "K - Keepalives, N - NAT-traversal, X - IKE Extended Authentication\n\n";
    }
}
} // namespace

void
ShowCryptoSession(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                  const IosRouterState& state)
{
    const IosRelease release = router.GetConfig().release;
    if (cmd.filter == "brief")
    {
        if (release != IosRelease::IOS_15)
        {
            // 12.4 has no brief form: its parser stops at the word.
            throw IosConfigError(IosLocation{"<exec>", 1, cmd.text}, cmd.text.rfind(' ') + 1,
                                 "% Invalid input detected at '^' marker. (expected detail)");
        }
        os << "Status: A- Active, U - Up, D - Down, I - Idle, S - Standby, N - Negotiating \n"
              "        K - No IKE\n"
              "ivrf = (none)\n"
              "Peer            I/F          Username        Group/Phase1_id          Uptime   "
              "Status\n";
        for (const auto& [mapName, set] : state.maps)
        {
            for (const auto& ifn : set.interfaces)
            {
                for (const auto& s : SessionsOn(router, set, ifn))
                {
                    PrintBriefRow(os, ifn, s);
                }
            }
        }
        return;
    }
    PrintHeader(os, release, cmd.detail);
    bool first = true;
    for (const auto& [mapName, set] : state.maps)
    {
        for (const auto& ifn : set.interfaces)
        {
            for (const auto& s : SessionsOn(router, set, ifn))
            {
                if (!first)
                {
                    os << "\n";
                }
                first = false;
                PrintSession(os, ifn, s, release, cmd.detail, router.GetConfig());
            }
        }
    }
}

} // namespace ns3
