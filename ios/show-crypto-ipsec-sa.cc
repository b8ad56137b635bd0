// show crypto ipsec sa [address | identity | detail | map NAME | interface NAME | peer ADDRESS]:
// the SAs of a router per interface, crypto map, flow and peer, with their counters, as IOS
// 12.x prints them.
#include "ios-router-state.h"
#include "ns3/ios-show.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace ns3
{

std::string
IosHex8(uint32_t v)
{
    char b[16];
    std::snprintf(b, sizeof(b), "%08X", v);
    return b;
}

std::string
IosTransformOf(const std::vector<Ptr<IpsecSa>>& sas)
{
    IpsecTransformSet ts;
    for (const auto& sa : sas)
    {
        const IpsecSaConfig& c = sa->GetConfig();
        switch (c.protocol)
        {
        case IpsecProtocol::AH:
            ts.ah = c.auth;
            break;
        case IpsecProtocol::ESP:
            ts.espCipher = c.cipher;
            ts.espRfc1829 = c.rfc1829;
            if (c.auth != ipsec::AuthAlgorithm::NONE)
            {
                ts.espAuth = c.auth;
            }
            break;
        case IpsecProtocol::IPCOMP:
            ts.comp = c.compression;
            break;
        }
    }
    return ts.ToString();
}

namespace
{
std::string
MaskOf(uint32_t wildcard)
{
    std::ostringstream os;
    os << Ipv4Address(~wildcard);
    return os.str();
}

/** "(10.0.0.0/255.255.255.0/0/0)" as IOS prints identities. */
std::string
Ident(Ipv4Address a, uint32_t wildcard, uint8_t proto, const IpsecPortMatch& port)
{
    std::ostringstream os;
    os << "(" << a << "/" << MaskOf(wildcard) << "/" << unsigned(proto) << "/"
       << (port.op == IpsecPortMatch::Op::EQ ? port.lo : 0) << ")";
    return os.str();
}

/** The SAs of one direction and protocol, each with its settings and lifetime left. */
void
PrintSas(std::ostream& os, const char* dir, const char* proto, IpsecProtocol p,
         const std::vector<Ptr<IpsecSa>>& sas, const std::string& transform, const std::string& map)
{
    os << "\n     " << dir << " " << proto << " sas:\n";
    for (const auto& sa : sas)
    {
        if (sa->GetProtocol() != p || sa->IsExpired())
        {
            continue;
        }
        const IpsecSaConfig& c = sa->GetConfig();
        os << "      spi: 0x" << IosHex8(c.spi) << "(" << c.spi << ")\n";
        os << "        transform: " << transform << " ,\n";
        os << "        in use settings ={" << (c.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
           << (c.udpEncapsulated ? " UDP-Encaps" : "") << ", }\n";
        os << "        slot: 0, conn id: " << sa->GetId() << ", flow_id: " << sa->GetId()
           << ", crypto map: " << map << "\n";
        auto secs = sa->GetRemainingLifetime();
        auto kb = sa->GetRemainingKilobytes();
        if (secs || kb)
        {
            os << "        sa timing: remaining key lifetime (k/sec): ("
               << (kb ? std::to_string(*kb) : std::string("-")) << "/"
               << (secs ? std::to_string(static_cast<uint64_t>(secs->GetSeconds()))
                        : std::string("-"))
               << ")\n";
        }
        if (p == IpsecProtocol::ESP)
        {
            os << "        IV size: " << ipsec::GetCipherInfo(c.cipher).ivLen << " bytes\n";
        }
        if (p != IpsecProtocol::IPCOMP)
        {
            os << "        replay detection support: " << (c.replayWindow ? "Y" : "N") << "\n";
        }
    }
}

/** `show crypto ipsec sa address`: SAs grouped by destination address, then protocol. */
void
ShowByAddress(std::ostream& os, const IosRouterState& state)
{
    std::map<uint32_t, std::vector<std::pair<Ptr<IpsecSa>, std::string>>> byDst;
    for (const auto& [mapName, set] : state.maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            for (const auto& b : pe->bundles)
            {
                for (const auto* v : {&b->inbound, &b->outbound})
                {
                    for (const auto& sa : *v)
                    {
                        byDst[sa->GetDestination().Get()].emplace_back(sa, mapName);
                    }
                }
            }
        }
    }
    for (const auto& [dst, sas] : byDst)
    {
        os << "dest address: " << Ipv4Address(dst) << "\n";
        for (IpsecProtocol p : {IpsecProtocol::AH, IpsecProtocol::ESP, IpsecProtocol::IPCOMP})
        {
            bool header = false;
            for (const auto& [sa, mapName] : sas)
            {
                if (sa->GetProtocol() != p || sa->IsExpired())
                {
                    continue;
                }
                if (!header)
                {
                    os << "   protocol: "
                       << (p == IpsecProtocol::AH    ? "AH"
                           : p == IpsecProtocol::ESP ? "ESP"
                                                     : "PCP")
                       << "\n";
                    header = true;
                }
                os << "      spi: 0x" << IosHex8(sa->GetSpi()) << "(" << sa->GetSpi()
                   << "), transform: " << IosTransformOf({sa}) << " ,\n"
                   << "      in use settings ={"
                   << (sa->GetMode() == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
                   << (sa->GetConfig().udpEncapsulated ? " UDP-Encaps" : "") << ", }\n"
                   << "      slot: 0, conn id: " << sa->GetId() << ", crypto map: " << mapName
                   << "\n";
            }
        }
        os << "\n";
    }
}

/** One block of the display: a flow and peer (after a rekey the old and the new SAs share it,
 *  the newest outbound SA being the current one), or a permit line still without SAs. */
struct Block
{
    IpsecTrafficSelector scope;
    Ipv4Address peer;
    std::vector<Ptr<IpsecSaBundle>> bundles;
};

/** The blocks of policy entry @p pe shown under interface @p ifn of map set @p set. */
std::vector<Block>
BlocksOf(const IosRouter& router, const IosMapSet& set, const std::string& ifn,
         const IpsecPolicyEntry& pe)
{
    std::vector<Block> blocks;
    auto key = [](const IpsecTrafficSelector& sc)
    {
        std::ostringstream k;
        k << sc;
        return k.str();
    };
    for (const auto& b : pe.bundles)
    {
        if (!IosBundleOnInterface(router, *b, set.interfaces, ifn))
        {
            continue;
        }
        auto same = std::find_if(blocks.begin(), blocks.end(),
                                 [&](const Block& x)
                                 { return x.peer == b->peer && key(x.scope) == key(b->scope); });
        if (same == blocks.end())
        {
            blocks.push_back({b->scope, b->peer, {b}});
        }
        else
        {
            same->bundles.push_back(b);
        }
    }
    if (blocks.empty() && pe.acl && pe.keying != IpsecKeying::DYNAMIC)
    {
        for (const auto& rule : pe.acl->GetRules())
        {
            if (rule.permit)
            {
                blocks.push_back({rule.selector,
                                  pe.peers.empty() ? Ipv4Address::GetAny() : pe.peers.front(),
                                  {}});
            }
        }
    }
    return blocks;
}

/** A block's SAs and packet counters, summed over its bundles. */
struct BlockCounters
{
    std::vector<Ptr<IpsecSa>> in;
    std::vector<Ptr<IpsecSa>> out;
    uint64_t encaps = 0, encrypt = 0, digest = 0;
    uint64_t decaps = 0, decrypt = 0, verify = 0;
    uint64_t sendErr = 0, recvErr = 0;
};

/** Does @p c encrypt (ESP with a cipher)? Does it authenticate (HMAC or an AEAD cipher)? */
bool
Encrypts(const IpsecSaConfig& c)
{
    return c.protocol == IpsecProtocol::ESP && c.cipher != ipsec::CipherAlgorithm::NULL_CIPHER;
}

bool
Authenticates(const IpsecSaConfig& c)
{
    return c.protocol != IpsecProtocol::IPCOMP &&
           (c.auth != ipsec::AuthAlgorithm::NONE || ipsec::GetCipherInfo(c.cipher).aead);
}

BlockCounters
CountBlock(const Block& blk)
{
    BlockCounters n;
    for (const auto& b : blk.bundles)
    {
        n.in.insert(n.in.end(), b->inbound.begin(), b->inbound.end());
        n.out.insert(n.out.end(), b->outbound.begin(), b->outbound.end());
        uint64_t e = 0, d = 0;
        for (const auto& sa : b->outbound)
        {
            const IpsecSaConfig& c = sa->GetConfig();
            e = std::max(e, sa->GetPackets());
            n.encrypt += Encrypts(c) ? sa->GetPackets() : 0;
            n.digest += Authenticates(c) ? sa->GetPackets() : 0;
            n.sendErr += sa->GetDrops().Total();
        }
        for (const auto& sa : b->inbound)
        {
            const IpsecSaConfig& c = sa->GetConfig();
            d = std::max(d, sa->GetPackets());
            n.decrypt += Encrypts(c) ? sa->GetPackets() : 0;
            n.verify += Authenticates(c) ? sa->GetPackets() : 0;
            n.recvErr += sa->GetDrops().Total();
        }
        n.encaps += e;
        n.decaps += d;
    }
    return n;
}

/** `show crypto ipsec sa detail`: the error counters by kind. */
void
PrintDetail(std::ostream& os, const IpsecPolicyEntry& pe, const BlockCounters& n)
{
    auto count = [](const std::vector<Ptr<IpsecSa>>& v, IpsecDropReason r)
    {
        uint64_t c = 0;
        for (const auto& sa : v)
        {
            c += sa->GetDrops().Get(r);
        }
        return c;
    };
    using R = IpsecDropReason;
    os << "    #pkts no sa (send) " << pe.noSaDrops << ", #pkts invalid sa (rcv) 0\n"
       << "    #pkts encaps failed (send) " << n.sendErr << ", #pkts decaps failed (rcv) "
       << n.recvErr << "\n"
       << "    #pkts invalid prot (recv) 0, #pkts verify failed: " << count(n.in, R::ICV_FAILURE)
       << "\n"
       << "    #pkts invalid identity (recv) " << count(n.in, R::POLICY_MISMATCH)
       << ", #pkts invalid len (rcv) " << count(n.in, R::MALFORMED) + count(n.in, R::BAD_PADDING)
       << "\n"
       << "    #pkts replay rollover (send): " << count(n.out, R::SEQUENCE_OVERFLOW)
       << ", #pkts replay rollover (rcv) 0\n"
       << "    ##pkts replay failed (rcv): " << count(n.in, R::REPLAY) << "\n"
       << "    #pkts internal err (send): 0, #pkts internal err (recv) 0\n";
}

/** One block: identities and peer, then (unless `identity`) counters, endpoints and SAs. */
void
PrintBlock(std::ostream& os, const IosExecCommand& cmd, const std::string& mapName,
           const IosMapSet& set, const IpsecPolicyEntry& pe, const Block& blk)
{
    const IpsecTrafficSelector& scope = blk.scope;
    const Ipv4Address peer = blk.peer;
    const BlockCounters n = CountBlock(blk);
    os << "\n   local  ident (addr/mask/prot/port): "
       << Ident(scope.srcAddr, scope.srcWildcard, scope.protocol, scope.srcPort)
       << "\n   remote ident (addr/mask/prot/port): "
       << Ident(scope.dstAddr, scope.dstWildcard, scope.protocol, scope.dstPort)
       << "\n   current_peer: " << peer << ":"
       << (!blk.bundles.empty() && blk.bundles.back()->udpEncapPeerPort
               ? blk.bundles.back()->udpEncapPeerPort
               : 500)
       << "\n";
    os << "     PERMIT, flags={origin_is_acl,}\n";
    if (cmd.filter == "identity")
    {
        return;
    }
    os << "    #pkts encaps: " << n.encaps << ", #pkts encrypt: " << n.encrypt
       << ", #pkts digest: " << n.digest << "\n";
    os << "    #pkts decaps: " << n.decaps << ", #pkts decrypt: " << n.decrypt
       << ", #pkts verify: " << n.verify << "\n";
    if (cmd.detail)
    {
        PrintDetail(os, pe, n);
    }
    os << "    #send errors " << n.sendErr << ", #recv errors " << n.recvErr << "\n\n";
    const Ipv4Address localEnd = blk.bundles.empty() ? set.local : blk.bundles.back()->local;
    os << "     local crypto endpt.: " << localEnd << ", remote crypto endpt.: " << peer << "\n";
    std::string outSpi = "0";
    if (!blk.bundles.empty())
    {
        for (const auto& sa : blk.bundles.back()->outbound)
        {
            if (sa->GetProtocol() != IpsecProtocol::IPCOMP)
            {
                outSpi = IosHex8(sa->GetSpi());
                break;
            }
        }
    }
    os << "     current outbound spi: " << outSpi << "\n";
    const std::string tf = blk.bundles.empty() ? "" : IosTransformOf(blk.bundles.back()->outbound);
    PrintSas(os, "inbound", "esp", IpsecProtocol::ESP, n.in, tf, mapName);
    PrintSas(os, "inbound", "ah", IpsecProtocol::AH, n.in, tf, mapName);
    PrintSas(os, "inbound", "pcp", IpsecProtocol::IPCOMP, n.in, tf, mapName);
    PrintSas(os, "outbound", "esp", IpsecProtocol::ESP, n.out, tf, mapName);
    PrintSas(os, "outbound", "ah", IpsecProtocol::AH, n.out, tf, mapName);
    PrintSas(os, "outbound", "pcp", IpsecProtocol::IPCOMP, n.out, tf, mapName);
}

/** One interface of a map set: its heading, then the blocks of every entry. */
void
PrintInterface(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
               const std::string& mapName, const IosMapSet& set, const std::string& ifn)
{
    os << "\ninterface: " << ifn << "\n";
    const int32_t ifi = router.GetInterfaceIndex(ifn);
    os << "    Crypto map tag: " << mapName << ", local addr. "
       << (ifi >= 0 ? router.GetProcessor()->GetLocalAddress(ifi) : set.local) << "\n";
    for (const auto& [src, pe] : set.entries)
    {
        for (const auto& blk : BlocksOf(router, set, ifn, *pe))
        {
            if (cmd.filter == "peer" && !cmd.args.empty() &&
                (blk.bundles.empty() || Ipv4Address(cmd.args[0].c_str()) != blk.peer))
            {
                continue;
            }
            PrintBlock(os, cmd, mapName, set, *pe, blk);
        }
    }
}
} // namespace

void
ShowCryptoIpsecSa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                  const IosRouterState& state)
{
    if (cmd.filter == "address")
    {
        ShowByAddress(os, state);
        return;
    }
    for (const auto& [mapName, set] : state.maps)
    {
        if (cmd.filter == "map" && !cmd.args.empty() && cmd.args[0] != mapName)
        {
            continue;
        }
        for (const auto& ifn : set.interfaces)
        {
            if (cmd.filter == "interface" && !cmd.args.empty() && cmd.args[0] != ifn)
            {
                continue;
            }
            PrintInterface(os, cmd, router, mapName, set, ifn);
        }
    }
}

} // namespace ns3
