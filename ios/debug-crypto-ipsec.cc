// debug crypto ipsec: the key-engine messages of IKE's quick mode and the SAs made, in the form
// IOS 12.x logs them (IPSEC(sa_request), IPSEC(validate_proposal_request),
// IPSEC(initialize_sas), IPSEC(create_sa)).
#include "ns3/ios-show.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{

/** "10.0.0.0/255.255.255.0/0/0 (type=4)": a proxy identity, with its ID type (RFC 2407 4.6.2.1:
 *  1 for one address, 4 for a subnet). */
std::string
Proxy(Ipv4Address addr, uint32_t wildcard, uint8_t protocol, const IpsecPortMatch& port)
{
    std::ostringstream os;
    os << addr << "/" << Ipv4Address(~wildcard) << "/" << unsigned(protocol) << "/"
       << (port.op == IpsecPortMatch::Op::EQ ? port.lo : 0) << " (type=" << (wildcard ? 4 : 1)
       << ")";
    return os.str();
}

/** The transforms of @p set that belong to @p protocol ("esp-3des esp-sha-hmac", "ah-sha-hmac",
 *  "comp-lzs"), as IOS prints them in one key-engine message per protocol. */
std::string
TransformsOf(IpsecTransformSet set, IpsecProtocol protocol)
{
    if (protocol != IpsecProtocol::AH)
    {
        set.ah.reset();
    }
    if (protocol != IpsecProtocol::ESP)
    {
        set.espCipher.reset();
        set.espAuth.reset();
        set.espRfc1829 = false;
    }
    if (protocol != IpsecProtocol::IPCOMP)
    {
        set.comp.reset();
    }
    return set.ToString();
}

const char*
ProtocolName(IpsecProtocol p)
{
    return p == IpsecProtocol::AH ? "AH" : p == IpsecProtocol::ESP ? "ESP" : "PCP";
}

/** The key size IOS prints: the AES key in bits, 0 for the ciphers of fixed size. */
uint32_t
KeySize(const IkeIpsecDebugEvent& e)
{
    if (e.protocol != IpsecProtocol::ESP || !e.set.espCipher)
    {
        return 0;
    }
    const ipsec::CipherInfo& info = ipsec::GetCipherInfo(*e.set.espCipher);
    const std::string name = info.name;
    if (name.find("aes") == std::string::npos)
    {
        return 0;
    }
    const size_t salt = name.find("gcm") != std::string::npos ? 4 : 0; // GCM keys carry a salt
    return static_cast<uint32_t>((info.keyLen - salt) * 8);
}

std::string
Hex(uint32_t v)
{
    char b[16];
    std::snprintf(b, sizeof(b), "0x%X", v);
    return b;
}

} // namespace

std::string
IosDebugCryptoIpsec(const IkeIpsecDebugEvent& e)
{
    std::ostringstream os;
    switch (e.kind)
    {
    case IkeIpsecDebugEvent::Kind::SA_REQUEST:
        os << "IPSEC(sa_request): ,\n";
        break;
    case IkeIpsecDebugEvent::Kind::VALIDATE_PROPOSAL:
        os << "IPSEC(validate_proposal_request): proposal part #" << e.proposal << ",\n";
        break;
    case IkeIpsecDebugEvent::Kind::INITIALIZE_SAS:
        os << "IPSEC(initialize_sas): ,\n";
        break;
    }
    const IpsecTrafficSelector& s = e.scope;
    // Flags: 0x2 is the tunnel-mode bit; an initiator's messages carry 0x4008 besides, as IOS's
    // do (0x400A in tunnel mode).
    const uint32_t flags =
        (e.set.mode == IpsecMode::TUNNEL ? 0x2u : 0x0u) | (e.initiator ? 0x4008u : 0x0u);
    os << "  (key eng. msg.) " << (e.inbound ? "INBOUND" : "OUTBOUND") << " local= " << e.local
       << ", remote= " << e.remote << ",\n"
       << "    local_proxy= " << Proxy(s.srcAddr, s.srcWildcard, s.protocol, s.srcPort) << ",\n"
       << "    remote_proxy= " << Proxy(s.dstAddr, s.dstWildcard, s.protocol, s.dstPort) << ",\n"
       << "    protocol= " << ProtocolName(e.protocol)
       << ", transform= " << TransformsOf(e.set, e.protocol) << "  ("
       << (e.set.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport") << "),\n"
       << "    lifedur= " << e.lifetimeSeconds << "s and " << e.lifetimeKilobytes << "kb,\n"
       << "    spi= " << Hex(e.spi) << "(" << e.spi << "), conn_id= " << e.connId
       << ", keysize= " << KeySize(e) << ", flags= " << Hex(flags);
    return os.str();
}

std::string
IosDebugCreateSa(Ptr<IpsecSa> sa)
{
    const IpsecSaConfig& c = sa->GetConfig();
    std::ostringstream os;
    os << "IPSEC(create_sa): sa created,\n"
       << "  (sa) sa_dest= " << c.destination << ", sa_proto= " << unsigned(c.protocol) << ",\n"
       << "    sa_spi= " << Hex(c.spi) << "(" << c.spi << "),\n"
       << "    sa_trans= " << IosTransformOf({sa}) << " , sa_conn_id= " << sa->GetId();
    return os.str();
}

} // namespace ns3
