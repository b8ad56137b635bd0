// show crypto ipsec sa [map NAME | address | identity | interface NAME | peer ADDRESS] [detail]:
// the SAs of a router per interface, crypto map, flow and peer, with their counters, in the
// form of the router's IOS release (IosRouterConfig::release): 15.x or 12.4.
#include "ios-router-state.h"
#include "ns3/esp-overhead.h"
#include "ns3/ios-show.h"

#include "ns3/ipv4.h"

#include <algorithm>
#include <cstdio>
#include <map>
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
IosSpiText(uint32_t spi)
{
    char b[32];
    std::snprintf(b, sizeof(b), "0x%X(%u)", spi, spi);
    return b;
}

namespace
{
std::string
AuthTransformName(const char* prefix, ipsec::AuthAlgorithm a)
{
    switch (a)
    {
    case ipsec::AuthAlgorithm::HMAC_MD5_96:
        return std::string(prefix) + "md5-hmac";
    case ipsec::AuthAlgorithm::HMAC_SHA1_96:
        return std::string(prefix) + "sha-hmac";
    case ipsec::AuthAlgorithm::HMAC_SHA256_128:
        return std::string(prefix) + "sha256-hmac";
    case ipsec::AuthAlgorithm::HMAC_SHA384_192:
        return std::string(prefix) + "sha384-hmac";
    case ipsec::AuthAlgorithm::HMAC_SHA512_256:
        return std::string(prefix) + "sha512-hmac";
    case ipsec::AuthAlgorithm::NONE:
        break;
    }
    return "";
}

/** The name IOS shows for an ESP cipher: the AES key size goes before "aes" (`esp-256-aes`),
 *  unlike the configuration's `esp-aes 256`; GCM keeps the configuration's form. */
std::string
CipherTransformName(const IpsecSaConfig& c)
{
    if (c.rfc1829)
    {
        return "esp-rfc1829";
    }
    switch (c.cipher)
    {
    case ipsec::CipherAlgorithm::NULL_CIPHER:
        return "esp-null";
    case ipsec::CipherAlgorithm::DES_CBC:
        return "esp-des";
    case ipsec::CipherAlgorithm::TDES_CBC:
        return "esp-3des";
    case ipsec::CipherAlgorithm::AES_CBC_128:
        return "esp-aes";
    case ipsec::CipherAlgorithm::AES_CBC_192:
        return "esp-192-aes";
    case ipsec::CipherAlgorithm::AES_CBC_256:
        return "esp-256-aes";
    case ipsec::CipherAlgorithm::AES_GCM_128:
        return "esp-gcm";
    case ipsec::CipherAlgorithm::AES_GCM_192:
        return "esp-gcm 192";
    case ipsec::CipherAlgorithm::AES_GCM_256:
        return "esp-gcm 256";
    }
    return "";
}
} // namespace

std::string
IosSaTransform(const IpsecSaConfig& c)
{
    switch (c.protocol)
    {
    case IpsecProtocol::AH:
        return AuthTransformName("ah-", c.auth);
    case IpsecProtocol::ESP:
    {
        const std::string auth = AuthTransformName("esp-", c.auth);
        return CipherTransformName(c) + (auth.empty() ? "" : " " + auth);
    }
    case IpsecProtocol::IPCOMP:
        return c.compression == ipsec::CompressionAlgorithm::LZS ? "comp-lzs" : "comp-deflate";
    }
    return "";
}

std::string
IosTransformOf(const std::vector<Ptr<IpsecSa>>& sas)
{
    std::string out;
    for (IpsecProtocol p : {IpsecProtocol::AH, IpsecProtocol::ESP, IpsecProtocol::IPCOMP})
    {
        for (const auto& sa : sas)
        {
            if (sa->GetProtocol() == p)
            {
                out += (out.empty() ? "" : " ") + IosSaTransform(sa->GetConfig());
                break;
            }
        }
    }
    return out;
}

namespace
{
/** What every part of the display needs: the command, the router and its release. */
struct View
{
    const IosExecCommand& cmd;
    const IosRouter& router;
    bool ios15;
};

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

/** "conn id: 2001, flow_id: SW:1": the SA's connection and its flow on its engine (the flow
 *  number is the connection's place after 2000; a card prints its own name before it). */
std::string
ConnText(const View& v, const IpsecSa& sa)
{
    const uint32_t conn = sa.GetConnId();
    Ptr<IpsecEngineSet> engines = v.router.GetEngines();
    std::ostringstream os;
    os << "conn id: " << conn
       << ", flow_id: " << (engines ? engines->FlowIdPrefix(conn) : std::string("SW")) << ":"
       << (conn > 2000 ? conn - 2000 : conn);
    if (v.ios15)
    {
        // The flags IOS 15 prints for the SAs of a tunnel-mode and a transport-mode entry.
        os << ", sibling_flags " << (sa.GetMode() == IpsecMode::TUNNEL ? "80000046" : "80000000");
    }
    return os.str();
}

/** One SA as IOS lists it under "inbound esp sas:" and the like; @p pad indents it. */
void
PrintSa(std::ostream& os, const View& v, const IpsecSa& sa, const std::string& map,
        const std::string& pad)
{
    const IpsecSaConfig& c = sa.GetConfig();
    os << pad << "spi: " << IosSpiText(c.spi) << "\n";
    os << pad << "  transform: " << IosSaTransform(c) << " ,\n";
    os << pad << "  in use settings ={" << (c.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport")
       << (c.udpEncapsulated ? " UDP-Encaps" : "") << ", }\n";
    os << pad << "  " << ConnText(v, sa) << ", crypto map: " << map << "\n";
    auto secs = sa.GetRemainingLifetime();
    auto kb = sa.GetRemainingKilobytes();
    if (secs || kb)
    {
        os << pad << "  sa timing: remaining key lifetime (k/sec): (" << (kb ? *kb : 0) << "/"
           << (secs ? static_cast<uint64_t>(secs->GetSeconds()) : 0) << ")\n";
    }
    if (c.protocol == IpsecProtocol::ESP)
    {
        os << pad << "  IV size: "
           << (c.rfc1829 ? c.rfc1829IvLength : ipsec::GetCipherInfo(c.cipher).ivLen) << " bytes\n";
    }
    if (c.protocol != IpsecProtocol::IPCOMP)
    {
        os << pad << "  replay detection support: " << (c.replayWindow ? "Y" : "N");
        if (v.ios15 && c.replayWindow)
        {
            os << "  replay window size: " << c.replayWindow;
        }
        os << "\n";
    }
    os << pad << "  Status: " << (v.ios15 ? "ACTIVE(ACTIVE)" : "ACTIVE") << "\n";
}

const char*
ProtocolHeading(IpsecProtocol p)
{
    return p == IpsecProtocol::AH ? "ah" : p == IpsecProtocol::ESP ? "esp" : "pcp";
}

/** The six SA lists of a block: inbound esp, ah, pcp, then outbound. */
void
PrintSaLists(std::ostream& os, const View& v, const std::vector<Ptr<IpsecSa>>& in,
             const std::vector<Ptr<IpsecSa>>& out, const std::string& map)
{
    for (const auto* dir : {&in, &out})
    {
        for (IpsecProtocol p : {IpsecProtocol::ESP, IpsecProtocol::AH, IpsecProtocol::IPCOMP})
        {
            os << "\n     " << (dir == &in ? "inbound " : "outbound ") << ProtocolHeading(p)
               << " sas:\n";
            for (const auto& sa : *dir)
            {
                if (sa->GetProtocol() == p && !sa->IsExpired())
                {
                    PrintSa(os, v, *sa, map, "      ");
                }
            }
        }
    }
}

/** `show crypto ipsec sa address`: SAs grouped by destination address, then protocol. */
void
ShowByAddress(std::ostream& os, const View& v, const IosRouterState& state)
{
    std::map<uint32_t, std::vector<std::pair<Ptr<IpsecSa>, std::string>>> byDst;
    for (const auto& [mapName, set] : state.maps)
    {
        for (const auto& [src, pe] : set.entries)
        {
            for (const auto& b : pe->bundles)
            {
                for (const auto* dir : {&b->inbound, &b->outbound})
                {
                    for (const auto& sa : *dir)
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
                PrintSa(os, v, *sa, mapName, "      ");
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
    // The block of each (peer, flow as printed), found by a map: comparing each bundle with every
    // block made so far, printing both flows each time, was O(N^2) and took minutes at a hub
    // with 10,000 spokes' bundles on one dynamic-map entry.
    std::map<std::pair<uint32_t, std::string>, size_t> blockOf;
    for (const auto& b : pe.bundles)
    {
        if (!IosBundleOnInterface(router, *b, set.interfaces, ifn))
        {
            continue;
        }
        std::ostringstream k;
        k << b->scope;
        auto [it, added] = blockOf.emplace(std::make_pair(b->peer.Get(), k.str()), blocks.size());
        if (added)
        {
            blocks.push_back({b->scope, b->peer, {b}});
        }
        else
        {
            blocks[it->second].bundles.push_back(b);
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
    uint64_t compressed = 0, decompressed = 0, notCompressed = 0, notDecompressed = 0;
    uint64_t decompressFailed = 0;
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

/** The IPComp counters of one bundle (RFC 3173 2.2: a packet that compression would not make
 *  smaller goes uncompressed, and the peer receives it without an IPComp header). */
void
CountCompression(const IpsecSaBundle& b, uint64_t decaps, BlockCounters& n)
{
    for (const auto& sa : b.outbound)
    {
        if (sa->GetProtocol() == IpsecProtocol::IPCOMP)
        {
            n.notCompressed += sa->GetNotCompressed();
            n.compressed += sa->GetPackets() - sa->GetNotCompressed();
        }
    }
    for (const auto& sa : b.inbound)
    {
        if (sa->GetProtocol() == IpsecProtocol::IPCOMP)
        {
            n.decompressed += sa->GetPackets();
            n.notDecompressed += decaps > sa->GetPackets() ? decaps - sa->GetPackets() : 0;
            n.decompressFailed += sa->GetDrops().Get(IpsecDropReason::DECOMPRESSION);
        }
    }
}

BlockCounters
CountBlock(const Block& blk)
{
    BlockCounters n;
    for (const auto& b : blk.bundles)
    {
        n.in.insert(n.in.end(), b->inbound.begin(), b->inbound.end());
        n.out.insert(n.out.end(), b->outbound.begin(), b->outbound.end());
        // Per packet, as IOS counts: a packet that AH and ESP both authenticate is one digest.
        uint64_t e = 0, d = 0, enc = 0, dig = 0, dec = 0, ver = 0;
        for (const auto& sa : b->outbound)
        {
            const IpsecSaConfig& c = sa->GetConfig();
            e = std::max(e, sa->GetPackets());
            enc = std::max(enc, Encrypts(c) ? sa->GetPackets() : 0);
            dig = std::max(dig, Authenticates(c) ? sa->GetPackets() : 0);
            n.sendErr += sa->GetDrops().Total();
        }
        for (const auto& sa : b->inbound)
        {
            const IpsecSaConfig& c = sa->GetConfig();
            d = std::max(d, sa->GetPackets());
            dec = std::max(dec, Encrypts(c) ? sa->GetPackets() : 0);
            ver = std::max(ver, Authenticates(c) ? sa->GetPackets() : 0);
            n.recvErr += sa->GetDrops().Total();
        }
        n.encaps += e;
        n.decaps += d;
        n.encrypt += enc;
        n.digest += dig;
        n.decrypt += dec;
        n.verify += ver;
        CountCompression(*b, d, n);
    }
    return n;
}

/** `detail`: the error counters by kind, in place of "#send errors, #recv errors". */
void
PrintDetail(std::ostream& os, const View& v, const IpsecPolicyEntry& pe, const BlockCounters& n)
{
    auto count = [](const std::vector<Ptr<IpsecSa>>& sas, IpsecDropReason r)
    {
        uint64_t c = 0;
        for (const auto& sa : sas)
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
       << "    ##pkts replay failed (rcv): " << count(n.in, R::REPLAY) << "\n";
    if (v.ios15)
    {
        // Cisco TrustSec tags (15.x): the model carries none.
        os << "    #pkts tagged (send): 0, #pkts untagged (rcv): 0\n"
           << "    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0\n";
    }
    os << "    #pkts internal err (send): 0, #pkts internal err (recv) 0\n";
}

/**
 * The plaintext MTU IOS prints (15.x): the largest packet that still fits @p ipMtu once the
 * outbound SAs of @p b have added their headers, trailer, ICV and worst padding (and the outer
 * header in tunnel mode, the UDP header under NAT-T).
 */
uint32_t
PlaintextMtu(const IpsecSaBundle* b, uint32_t ipMtu)
{
    if (!b || b->outbound.empty())
    {
        return ipMtu;
    }
    const bool tunnel = b->mode == IpsecMode::TUNNEL;
    for (uint32_t p = ipMtu; p > 64; --p)
    {
        uint32_t size = p + (tunnel ? 20 : 0) + (b->udpEncapPeerPort ? 8 : 0);
        const uint32_t payload = tunnel ? p : p - 20;
        for (const auto& sa : b->outbound)
        {
            const IpsecSaConfig& c = sa->GetConfig();
            if (c.protocol == IpsecProtocol::ESP)
            {
                // The worst padding: the largest the cipher's block can need.
                size += IpsecEspOverhead(c.cipher, c.auth, payload, false);
            }
            else if (c.protocol == IpsecProtocol::AH)
            {
                size += IpsecAhOverhead(c.auth, false);
            }
        }
        if (size <= ipMtu)
        {
            return p;
        }
    }
    return ipMtu;
}

/** "group2" for PFS group 2; "none" without PFS. */
std::string
DhGroupText(uint8_t group)
{
    return group ? "group" + std::to_string(group) : "none";
}

/** The endpoints, MTU, current outbound SPI and (15.x) PFS lines of a block. */
void
PrintEndpoints(std::ostream& os, const View& v, const IosMapSet& set, const std::string& ifn,
               const Block& blk)
{
    const IpsecSaBundle* current = blk.bundles.empty() ? nullptr : PeekPointer(blk.bundles.back());
    const Ipv4Address localEnd = current ? current->local : set.local;
    os << "     local crypto endpt.: " << localEnd << ", remote crypto endpt.: " << blk.peer
       << "\n";
    uint32_t ipMtu = 1500;
    const int32_t ifi = v.router.GetInterfaceIndex(ifn);
    Ptr<Ipv4> ipv4 = v.router.GetNode() ? v.router.GetNode()->GetObject<Ipv4>() : nullptr;
    if (ipv4 && ifi >= 0 && static_cast<uint32_t>(ifi) < ipv4->GetNInterfaces())
    {
        ipMtu = ipv4->GetMtu(ifi);
    }
    if (v.ios15)
    {
        os << "     plaintext mtu " << PlaintextMtu(current, ipMtu) << ", ";
    }
    else
    {
        os << "     ";
    }
    os << "path mtu " << ipMtu << ", ip mtu " << ipMtu << ", ip mtu idb " << ifn << "\n";
    uint32_t outSpi = 0;
    uint8_t pfs = 0;
    if (current)
    {
        for (const auto& sa : current->outbound)
        {
            pfs = sa->GetConfig().pfsGroup;
            if (sa->GetProtocol() != IpsecProtocol::IPCOMP)
            {
                outSpi = sa->GetSpi();
                break;
            }
        }
    }
    os << "     current outbound spi: " << IosSpiText(outSpi) << "\n";
    if (v.ios15)
    {
        os << "     PFS (Y/N): " << (pfs ? "Y" : "N") << ", DH group: " << DhGroupText(pfs) << "\n";
    }
}

/** One block: identities and peer, then (unless `identity`) counters, endpoints and SAs. */
void
PrintBlock(std::ostream& os, const View& v, const std::string& mapName, const IosMapSet& set,
           const std::string& ifn, const IpsecPolicyEntry& pe, const Block& blk)
{
    const IpsecTrafficSelector& scope = blk.scope;
    const BlockCounters n = CountBlock(blk);
    const uint16_t port = !blk.bundles.empty() && blk.bundles.back()->udpEncapPeerPort
                              ? blk.bundles.back()->udpEncapPeerPort
                              : 500;
    os << "\n   protected vrf: (none)\n"
       << "   local  ident (addr/mask/prot/port): "
       << Ident(scope.srcAddr, scope.srcWildcard, scope.protocol, scope.srcPort)
       << "\n   remote ident (addr/mask/prot/port): "
       << Ident(scope.dstAddr, scope.dstWildcard, scope.protocol, scope.dstPort)
       << "\n   current_peer " << blk.peer << " port " << port << "\n";
    os << "     PERMIT, flags={origin_is_acl,}\n";
    if (v.cmd.filter == "identity")
    {
        return;
    }
    os << "    #pkts encaps: " << n.encaps << ", #pkts encrypt: " << n.encrypt
       << ", #pkts digest: " << n.digest << "\n";
    os << "    #pkts decaps: " << n.decaps << ", #pkts decrypt: " << n.decrypt
       << ", #pkts verify: " << n.verify << "\n";
    os << "    #pkts compressed: " << n.compressed << ", #pkts decompressed: " << n.decompressed
       << "\n";
    os << "    #pkts not compressed: " << n.notCompressed << ", #pkts compr. failed: 0\n";
    os << "    #pkts not decompressed: " << n.notDecompressed
       << ", #pkts decompress failed: " << n.decompressFailed << "\n";
    if (v.cmd.detail)
    {
        PrintDetail(os, v, pe, n);
    }
    else
    {
        os << "    #send errors " << n.sendErr << ", #recv errors " << n.recvErr << "\n";
    }
    os << "\n";
    PrintEndpoints(os, v, set, ifn, blk);
    PrintSaLists(os, v, n.in, n.out, mapName);
}

/** Does block @p blk pass the command's `peer` filter (when there is one)? */
bool
PassesPeerFilter(const IosExecCommand& cmd, const Block& blk)
{
    return cmd.filter != "peer" || cmd.args.empty() ||
           (!blk.bundles.empty() && Ipv4Address(cmd.args[0].c_str()) == blk.peer);
}

/** One interface of a map set: its heading, then the blocks of every entry (with `peer`, only
 *  the interfaces that have a block of that peer). */
void
PrintInterface(std::ostream& os, const View& v, const std::string& mapName, const IosMapSet& set,
               const std::string& ifn)
{
    std::vector<std::pair<const IpsecPolicyEntry*, Block>> shown;
    for (const auto& [src, pe] : set.entries)
    {
        for (auto& blk : BlocksOf(v.router, set, ifn, *pe))
        {
            if (PassesPeerFilter(v.cmd, blk))
            {
                shown.emplace_back(PeekPointer(pe), std::move(blk));
            }
        }
    }
    if (shown.empty() && v.cmd.filter == "peer")
    {
        return;
    }
    os << "\ninterface: " << ifn << "\n";
    const int32_t ifi = v.router.GetInterfaceIndex(ifn);
    os << "    Crypto map tag: " << mapName << ", local addr "
       << (ifi >= 0 ? v.router.GetProcessor()->GetLocalAddress(ifi) : set.local) << "\n";
    for (const auto& [pe, blk] : shown)
    {
        PrintBlock(os, v, mapName, set, ifn, *pe, blk);
    }
}
} // namespace

void
ShowCryptoIpsecSa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                  const IosRouterState& state)
{
    const View v{cmd, router, router.GetConfig().release == IosRelease::IOS_15};
    if (cmd.filter == "address")
    {
        ShowByAddress(os, v, state);
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
            PrintInterface(os, v, mapName, set, ifn);
        }
    }
}

} // namespace ns3
