// IosRouter and host names: peers given by name and resolved at each negotiation (`set peer NAME
// dynamic`), the name server's table, and `crypto isakmp peer` blocks that start aggressive mode.
#include "ns3/ios-router.h"

#include "ns3/ios-keywords.h"

#include "ios-router-state.h"
#include "ns3/ios-show.h"

#include "ns3/isakmp-constants.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IosRouterHosts");

std::vector<Ipv4Address>
IosRouter::ResolvePeers(Ptr<IpsecPolicyEntry> entry) const
{
    NS_LOG_FUNCTION(this << entry);
    const IosCryptoMapEntry* src = m_impl->SourceOf(entry);
    if (!src || src->dynamicPeers.empty())
    {
        return entry->peers;
    }
    // Every peer in the entry's order: addresses, and names as they resolved when the
    // configuration was put in force; names given with `dynamic` as the name server answers
    // now. A name that does not resolve is skipped.
    const auto& server = m_impl->liveDns ? *m_impl->liveDns : m_config.dns;
    std::vector<Ipv4Address> peers;
    for (const auto& p : src->peers)
    {
        std::optional<Ipv4Address> a = m_config.ResolvePeer(p);
        if (src->dynamicPeers.count(p) && !IosParseAddress(p))
        {
            const std::vector<Ipv4Address> now = m_config.ResolveHost(p, server);
            a = now.empty() ? std::nullopt : std::optional<Ipv4Address>(now.front());
            NS_LOG_INFO(m_config.hostname << ": set peer " << p << " dynamic resolves to "
                                          << (a ? *a : Ipv4Address::GetAny()));
        }
        if (a && std::find(peers.begin(), peers.end(), *a) == peers.end())
        {
            peers.push_back(*a);
        }
    }
    if (!peers.empty())
    {
        // What `show crypto map`, failover and the responder's checks see from now on.
        entry->peers = peers;
    }
    return peers;
}

void
IosRouter::SetNameTable(const std::map<std::string, std::vector<Ipv4Address>>& dns)
{
    NS_LOG_FUNCTION(this);
    std::map<std::string, std::vector<Ipv4Address>> lower;
    for (const auto& [name, addresses] : dns)
    {
        lower[IosLower(name)] = addresses;
    }
    m_impl->liveDns = std::move(lower);
}

namespace
{
/** The phase-1 identity `set aggressive-mode client-endpoint` gives; IOS sends it as
 *  protocol UDP, port 500, as its other phase-1 identities. */
IsakmpIdPayload
EndpointIdentity(const IosIsakmpPeer& p)
{
    if (p.endpointType == IosClientEndpoint::IPV4_ADDRESS)
    {
        return IsakmpIdPayload::Ipv4(*IosParseAddress(p.endpoint), 17, 500);
    }
    IsakmpIdPayload id = IsakmpIdPayload::Fqdn(p.endpoint, 17, 500);
    if (p.endpointType == IosClientEndpoint::USER_FQDN)
    {
        id.SetIdType(ISAKMP_ID_USER_FQDN);
    }
    return id;
}
} // namespace

void
IosRouterState::ApplyIsakmpPeers(IosRouter& r)
{
    if (!r.m_ike)
    {
        return;
    }
    r.m_ike->ClearPeerSettings();
    // IOS: "if the device has been configured with the crypto isakmp peer address and the set
    // aggressive-mode password or set aggressive-mode client-endpoint commands, the device will
    // initiate aggressive mode" unless `crypto isakmp aggressive-mode disable`.
    if (r.m_config.aggressiveModeDisabled)
    {
        return;
    }
    for (const auto& p : r.m_config.isakmpPeers)
    {
        const std::optional<Ipv4Address> peer =
            p.address ? p.address : r.m_config.ResolvePeer(p.hostname);
        if (!peer || !p.InitiatesAggressive())
        {
            continue;
        }
        r.m_ike->SetInitiateAggressiveMode(*peer);
        if (p.endpointType != IosClientEndpoint::NONE)
        {
            r.m_ike->SetPeerIdentity(*peer, EndpointIdentity(p));
        }
    }
}

namespace
{
/** The host names the configuration uses: peers, keys, `crypto isakmp peer hostname`. */
std::vector<std::string>
NamesInUse(const IosRouterConfig& c)
{
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto add = [&](const std::string& n)
    {
        if (!n.empty() && !IosParseAddress(n) && seen.insert(IosLower(n)).second)
        {
            out.push_back(n);
        }
    };
    for (const auto* maps : {&c.cryptoMaps, &c.dynamicMaps})
    {
        for (const auto& e : *maps)
        {
            for (const auto& p : e.peers)
            {
                add(p);
            }
        }
    }
    for (const auto& k : c.isakmpKeys)
    {
        add(k.hostname);
    }
    for (const auto& p : c.isakmpPeers)
    {
        add(p.hostname);
    }
    return out;
}

void
HostLine(std::ostream& os, const std::string& name, const char* flags,
         const std::vector<Ipv4Address>& addresses)
{
    os << std::left << std::setw(26) << name << "None  " << std::setw(12) << flags << "0   IP    ";
    for (size_t i = 0; i < addresses.size(); ++i)
    {
        os << (i ? " " : "") << addresses[i];
    }
    os << "\n";
}
} // namespace

std::string
ShowHosts(const IosRouterConfig& config,
          const std::map<std::string, std::vector<Ipv4Address>>& server)
{
    // As IOS 12.x prints it, and classic IOS 15.x alike (lab transcripts of both); entries the
    // name server gave are temporary, `ip host` ones permanent. The simulation keeps no cache:
    // the names listed as temporary are those the configuration uses, as the name server
    // answers them now.
    std::ostringstream os;
    os << "Default domain is " << (config.domainName.empty() ? "not set" : config.domainName)
       << "\n";
    if (!config.domainLookup)
    {
        os << "Name/address lookup uses static mappings\n";
    }
    else
    {
        os << "Name/address lookup uses domain service\nName servers are ";
        if (config.nameServers.empty())
        {
            os << "255.255.255.255";
        }
        for (size_t i = 0; i < config.nameServers.size(); ++i)
        {
            os << (i ? ", " : "") << config.nameServers[i];
        }
        os << "\n";
    }
    os << "\nCodes: UN - unknown, EX - expired, OK - OK, ?? - revalidate\n"
          "       temp - temporary, perm - permanent\n"
          "       NA - Not Applicable None - Not defined\n\n"
          "Host                      Port  Flags      Age Type   Address(es)\n";
    for (const auto& h : config.hosts)
    {
        HostLine(os, h.name, "(perm, OK)", h.addresses);
    }
    std::set<std::string> listed;
    for (const auto& name : NamesInUse(config))
    {
        const bool permanent =
            std::any_of(config.hosts.begin(), config.hosts.end(),
                        [&](const IosHostEntry& h) { return IosLower(h.name) == IosLower(name); });
        const std::vector<Ipv4Address> a = config.ResolveHost(name, server);
        // The name server was asked for the name with the domain appended, when that answered.
        const bool qualified = name.find('.') == std::string::npos && !config.domainName.empty() &&
                               !server.count(IosLower(name));
        const std::string shown = qualified ? name + "." + config.domainName : name;
        if (!permanent && !a.empty() && listed.insert(IosLower(shown)).second)
        {
            HostLine(os, shown, "(temp, OK)", a);
        }
    }
    return os.str();
}

} // namespace ns3
