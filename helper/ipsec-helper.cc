#include "ns3/ipsec-helper.h"

#include "ns3/ipsec-hooks.h"

#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/node.h"

#include <cstdio>
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{

IpsecStackHelper::IpsecStackHelper()
{
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4GlobalRoutingHelper globalRouting;
    IpsecListRoutingHelper list;
    list.Add(staticRouting, 0);
    list.Add(globalRouting, -10);
    SetRoutingHelper(list);
}

Ptr<IpsecProcessor>
IpsecHelper::Install(Ptr<Node> node)
{
    Ptr<IpsecProcessor> p = node->GetObject<IpsecProcessor>();
    if (!p)
    {
        if (!node->GetObject<Ipv4L3Protocol>())
        {
            throw std::logic_error("IpsecHelper: node " + std::to_string(node->GetId()) +
                                   " has no IPv4 stack; install IpsecStackHelper first");
        }
        p = CreateObject<IpsecProcessor>();
        node->AggregateObject(p);
    }
    return p;
}

void
IpsecHelper::ApplyCryptoMap(Ptr<Node> node, uint32_t ifIndex, Ptr<IpsecSpd> spd, Ipv4Address local)
{
    Ptr<IpsecProcessor> p = Install(node);
    if (local == Ipv4Address())
    {
        Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
        if (ifIndex >= ipv4->GetNInterfaces() || ipv4->GetNAddresses(ifIndex) == 0)
        {
            throw std::invalid_argument("IpsecHelper: interface " + std::to_string(ifIndex) +
                                        " of node " + std::to_string(node->GetId()) +
                                        " has no IPv4 address");
        }
        local = ipv4->GetAddress(ifIndex, 0).GetLocal();
    }
    p->ApplySpd(ifIndex, spd, local);
}

IpsecManualKeys
IpsecHelper::RandomKeys(const IpsecTransformSet& ts, ipsec::ByteSource& rng, uint32_t spiBase)
{
    IpsecManualKeys k;
    if (ts.HasEsp())
    {
        k.espSpi = spiBase;
        k.espCipherKey = rng.Bytes(ipsec::GetCipherInfo(*ts.espCipher).keyLen);
        if (ts.espAuth)
        {
            k.espAuthKey = rng.Bytes(ipsec::GetAuthInfo(*ts.espAuth).keyLen);
        }
    }
    if (ts.ah)
    {
        k.ahSpi = spiBase + 1;
        k.ahKey = rng.Bytes(ipsec::GetAuthInfo(*ts.ah).keyLen);
    }
    if (ts.comp)
    {
        // RFC 3173 3.3: CPIs 256-61439 are negotiated or configured; keep ours in that range.
        k.cpi = static_cast<uint16_t>(256 + (spiBase % 61000));
    }
    return k;
}

namespace
{
void
AddSas(const IpsecTransformSet& ts, IpsecDirection dir, Ipv4Address src, Ipv4Address dst,
       const IpsecTrafficSelector& scope, const IpsecManualKeys& keys, uint32_t replayWindow,
       std::vector<Ptr<IpsecSa>>& out)
{
    for (IpsecProtocol proto : ts.Protocols())
    {
        IpsecSaConfig c;
        c.protocol = proto;
        c.direction = dir;
        c.mode = ts.mode;
        c.source = src;
        c.destination = dst;
        c.selector = scope;
        c.replayWindow = replayWindow;
        switch (proto)
        {
        case IpsecProtocol::ESP:
            c.spi = keys.espSpi;
            c.cipher = *ts.espCipher;
            c.cipherKey = keys.espCipherKey;
            c.rfc1829 = ts.espRfc1829;
            if (ts.espAuth)
            {
                c.auth = *ts.espAuth;
                c.authKey = keys.espAuthKey;
            }
            break;
        case IpsecProtocol::AH:
            c.spi = keys.ahSpi;
            c.auth = *ts.ah;
            c.authKey = keys.ahKey;
            break;
        case IpsecProtocol::IPCOMP:
            c.spi = keys.cpi;
            c.compression = *ts.comp;
            break;
        }
        out.push_back(IpsecSa::Create(c));
    }
}
} // namespace

Ptr<IpsecSaBundle>
IpsecHelper::MakeManualBundle(const IpsecTransformSet& ts, Ipv4Address local, Ipv4Address peer,
                              const IpsecTrafficSelector& scope, const IpsecManualKeys& in,
                              const IpsecManualKeys& out, uint32_t replayWindow)
{
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = scope;
    b->local = local;
    b->peer = peer;
    b->mode = ts.mode;
    AddSas(ts, IpsecDirection::OUTBOUND, local, peer, scope, out, replayWindow, b->outbound);
    AddSas(ts, IpsecDirection::INBOUND, peer, local, scope, in, replayWindow, b->inbound);
    return b;
}

void
IpsecHelper::WriteEspSaUat(std::ostream& os, const NodeContainer& nodes)
{
    std::set<std::tuple<uint32_t, uint32_t, uint32_t>> seen; // SPI, source, destination
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        Ptr<IpsecProcessor> p = (*it)->GetObject<IpsecProcessor>();
        if (!p)
        {
            continue;
        }
        for (const auto& sa : p->GetSad()->GetAll())
        {
            const IpsecSaConfig& c = sa->GetConfig();
            if (c.protocol != IpsecProtocol::ESP || c.rfc1829 ||
                !seen.insert({c.spi, c.source.Get(), c.destination.Get()}).second)
            {
                continue;
            }
            os << EspSaUatRow(c) << "\n";
        }
    }
}

std::string
IpsecHelper::EspSaUatRow(const IpsecSaConfig& c)
{
    const ipsec::CipherInfo& ci = ipsec::GetCipherInfo(c.cipher);
    const ipsec::AuthInfo& ai = ipsec::GetAuthInfo(c.auth);
    char spi[16];
    std::snprintf(spi, sizeof(spi), "0x%08x", c.spi);
    auto key = [](const std::vector<uint8_t>& k)
    { return k.empty() ? std::string() : "0x" + ipsec::ToHex(k); };
    std::ostringstream os;
    os << "\"IPv4\",\"" << c.source << "\",\"" << c.destination << "\",\"" << spi << "\",\""
       << ci.wiresharkName << "\",\"" << key(c.cipherKey) << "\",\"" << ai.wiresharkName << "\",\""
       << key(c.authKey) << "\"";
    return os.str();
}

} // namespace ns3
