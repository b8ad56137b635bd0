// debug crypto ipsec: the key-engine messages of IKE's quick mode and the SAs made, in the form
// the router's IOS release logs them (IPSEC(sa_request), IPSEC(validate_proposal_request),
// IPSEC(initialize_sas), IPSEC(create_sa)): 12.4 with proxy ID types, 15.x with ports on the
// addresses and protocol 256 for "any IP" in the proxies.
#include "ns3/ios-show.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{

/** A proxy identity: 12.4 "10.0.0.0/255.255.255.0/0/0 (type=4)", with its ID type (RFC 2407
 *  4.6.2.1: 1 for one address, 4 for a subnet); 15.x "10.0.0.0/255.255.255.0/256/0", where
 *  protocol 256 stands for any IP protocol. */
std::string
Proxy(Ipv4Address addr, uint32_t wildcard, uint8_t protocol, const IpsecPortMatch& port, bool ios15)
{
    std::ostringstream os;
    os << addr << "/" << Ipv4Address(~wildcard) << "/"
       << (ios15 && protocol == 0 ? 256u : unsigned(protocol)) << "/"
       << (port.op == IpsecPortMatch::Op::EQ ? port.lo : 0);
    if (!ios15)
    {
        os << " (type=" << (wildcard ? 4 : 1) << ")";
    }
    return os.str();
}

/** The transforms of @p set that belong to @p protocol ("esp-3des esp-sha-hmac",
 *  "ah-sha-hmac", "comp-lzs"), with the names IOS shows ("esp-256-aes"), as IOS prints them in
 *  one key-engine message per protocol. */
std::string
TransformsOf(const IpsecTransformSet& set, IpsecProtocol protocol)
{
    IpsecSaConfig c;
    c.protocol = protocol;
    switch (protocol)
    {
    case IpsecProtocol::AH:
        c.auth = set.ah ? *set.ah : ipsec::AuthAlgorithm::NONE;
        break;
    case IpsecProtocol::ESP:
        c.cipher = set.espCipher ? *set.espCipher : ipsec::CipherAlgorithm::NULL_CIPHER;
        c.rfc1829 = set.espRfc1829;
        c.auth = set.espAuth ? *set.espAuth : ipsec::AuthAlgorithm::NONE;
        break;
    case IpsecProtocol::IPCOMP:
        c.compression = set.comp ? *set.comp : ipsec::CompressionAlgorithm::LZS;
        break;
    }
    return IosSaTransform(c);
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
IosDebugCryptoIpsec(const IkeIpsecDebugEvent& e, IosRelease release)
{
    const bool ios15 = release == IosRelease::IOS_15;
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
    // 15.x prints the addresses with a port (":0": any).
    const char* port = ios15 ? ":0" : "";
    os << "  (key eng. msg.) " << (e.inbound ? "INBOUND" : "OUTBOUND") << " local= " << e.local
       << port << ", remote= " << e.remote << port << ",\n"
       << "    local_proxy= " << Proxy(s.srcAddr, s.srcWildcard, s.protocol, s.srcPort, ios15)
       << ",\n"
       << "    remote_proxy= " << Proxy(s.dstAddr, s.dstWildcard, s.protocol, s.dstPort, ios15)
       << ",\n"
       << "    protocol= " << ProtocolName(e.protocol)
       << ", transform= " << TransformsOf(e.set, e.protocol) << "  ("
       << (e.set.mode == IpsecMode::TUNNEL ? "Tunnel" : "Transport") << "),\n"
       << "    lifedur= " << e.lifetimeSeconds << "s and " << e.lifetimeKilobytes << "kb,\n"
       << "    spi= " << Hex(e.spi) << "(" << e.spi << "), conn_id= " << e.connId
       << ", keysize= " << KeySize(e) << ", flags= " << Hex(flags);
    return os.str();
}

std::string
IosDebugCreateSa(Ptr<IpsecSa> sa, IosRelease release)
{
    const IpsecSaConfig& c = sa->GetConfig();
    std::ostringstream os;
    os << "IPSEC(create_sa): sa created,\n"
       << "  (sa) sa_dest= " << c.destination << ", sa_proto= " << unsigned(c.protocol) << ",\n"
       << "    sa_spi= " << Hex(c.spi) << "(" << c.spi << "),\n"
       << "    sa_trans= " << IosSaTransform(c) << " , sa_conn_id= " << sa->GetConnId();
    if (release == IosRelease::IOS_15)
    {
        auto kb = sa->GetRemainingKilobytes();
        auto secs = sa->GetRemainingLifetime();
        os << "\n    sa_lifetime(k/sec)= (" << (kb ? *kb : 0) << "/"
           << (secs ? static_cast<uint64_t>(secs->GetSeconds()) : 0) << ")";
    }
    return os.str();
}

} // namespace ns3
