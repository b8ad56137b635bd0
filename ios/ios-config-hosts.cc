// IosConfigReader: host names (`ip host`, `ip domain-lookup`, `ip domain-name`, `ip name-server`)
// and `crypto isakmp peer` blocks with their aggressive-mode settings; IosRouterConfig's name
// resolution.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

namespace
{
/** A host name as IOS takes one: letters, digits, '-', '_' and '.', not an address, not all
 *  digits; @return the index of the first character that is not allowed, or npos. */
size_t
BadHostNameCharacter(const std::string& name)
{
    for (size_t i = 0; i < name.size(); ++i)
    {
        const unsigned char ch = static_cast<unsigned char>(name[i]);
        if (!std::isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
        {
            return i;
        }
    }
    return std::string::npos;
}

/** The host name at the cursor: an IosConfigError for one IOS would not take. */
std::string
HostName(IosCursor& c, const std::string& hint)
{
    const size_t at = c.Position();
    const std::string name = c.Word(hint);
    if (IosParseAddress(name))
    {
        c.FailAt(at, hint + " (this is an address)");
    }
    if (AllDigits(name) || name.find_first_not_of("0123456789.") == std::string::npos)
    {
        c.FailAt(at, hint + "; a name has a letter in it");
    }
    const size_t bad = BadHostNameCharacter(name);
    if (bad != std::string::npos)
    {
        c.FailWith(at, "% Invalid host name \"" + name + "\": '" + name.substr(bad, 1) +
                           "' is not allowed (letters, digits, '-', '_' and '.')");
    }
    return name;
}
} // namespace

/** `ip host [vrf V] NAME [TCP-PORT] ADDRESS [ADDRESS...]` (up to eight addresses). */
void
IosConfigReader::Session::IpHost(IosCursor& c, bool no)
{
    if (!c.AtEnd() && IosLower(c.Peek().text) == "vrf")
    {
        c.Word("");
        c.Word("expected the VRF's name");
    }
    IosHostEntry h;
    h.name = HostName(c, "expected the host's name");
    if (!c.AtEnd() && AllDigits(c.Peek().text))
    {
        c.Number(0, 65535, "expected a TCP port or the host's address"); // telnet port: not used
    }
    while (!c.AtEnd())
    {
        if (h.addresses.size() == 8)
        {
            c.Fail("an ip host entry has up to eight addresses");
        }
        h.addresses.push_back(c.Address("expected the host's address A.B.C.D"));
    }
    h.where = c.Where();
    auto& v = m_cfg.hosts;
    auto same = [&](const IosHostEntry& x) { return IosLower(x.name) == IosLower(h.name); };
    v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
    if (no)
    {
        return; // `no ip host NAME [...]` removes the entry
    }
    if (h.addresses.empty())
    {
        c.Incomplete("expected the host's address A.B.C.D");
    }
    v.push_back(h);
}

void
IosConfigReader::Session::IpDomain(IosCursor& c, bool no, bool hyphenated)
{
    // `ip domain-lookup` / `ip domain lookup` and `ip domain-name X` / `ip domain name X` (the
    // 12.4 spelling); the word after `ip domain` says which. Other `ip domain` commands
    // (`list`, `timeout`, `retry`) are read without effect.
    const std::string& first = c.Tokens()[c.Position() - 1].text;
    bool lookup = IosWordMatches(first, "domain-lookup", 8);
    if (!hyphenated)
    {
        static const Words words = {"list", "lookup", "name", "retry", "round-robin", "timeout"};
        const std::string w =
            words[c.Keyword(words, "expected lookup, name or another ip domain command")];
        if (w != "lookup" && w != "name")
        {
            c.Seek(c.Tokens().size());
            NotModelled(c.Where());
            return;
        }
        lookup = w == "lookup";
    }
    if (lookup)
    {
        c.Seek(c.Tokens().size()); // `ip domain-lookup source-interface X` and the like
        m_cfg.domainLookup = !no;
        return;
    }
    if (no)
    {
        c.Seek(c.Tokens().size());
        m_cfg.domainName.clear();
        return;
    }
    const std::string name = HostName(c, "expected the domain's name");
    c.End();
    m_cfg.domainName = name;
}

/** `ip name-server A [A...]`: the scenario's "hosts" table answers in their stead. */
void
IosConfigReader::Session::IpNameServer(IosCursor& c, bool no)
{
    if (!c.AtEnd() && IosLower(c.Peek().text) == "vrf")
    {
        c.Word("");
        c.Word("expected the VRF's name");
    }
    std::vector<Ipv4Address> servers;
    while (!c.AtEnd())
    {
        servers.push_back(c.Address("expected the name server's address A.B.C.D"));
    }
    auto& v = m_cfg.nameServers;
    if (no)
    {
        if (servers.empty())
        {
            v.clear();
        }
        for (const auto& a : servers)
        {
            v.erase(std::remove(v.begin(), v.end(), a), v.end());
        }
        return;
    }
    if (servers.empty())
    {
        c.Incomplete("expected the name server's address A.B.C.D");
    }
    for (const auto& a : servers)
    {
        if (std::find(v.begin(), v.end(), a) == v.end())
        {
            v.push_back(a);
        }
    }
}

// ------------------------------------------------------------------------------ crypto isakmp peer

/** `crypto isakmp peer address A | hostname NAME [vrf V]`: enters its block. */
void
IosConfigReader::Session::IsakmpPeer(IosCursor& c, bool no)
{
    IosIsakmpPeer p;
    static const Words kinds = {"address", "hostname", "ip-address"};
    const size_t k = c.Keyword(kinds, "expected address or hostname");
    if (k == 1)
    {
        p.hostname = HostName(c, "expected the peer's host name");
    }
    else
    {
        p.address = c.Address("expected the peer's address A.B.C.D");
    }
    if (c.OptionalKeyword({"vrf"}))
    {
        c.Word("expected the VRF's name");
    }
    c.End();
    p.where = c.Where();
    auto& v = m_cfg.isakmpPeers;
    auto same = [&](const IosIsakmpPeer& x)
    {
        return p.address ? x.address == p.address
                         : !x.address && IosLower(x.hostname) == IosLower(p.hostname);
    };
    auto it = std::find_if(v.begin(), v.end(), same);
    if (no)
    {
        if (it != v.end())
        {
            v.erase(it);
        }
        return;
    }
    if (it == v.end())
    {
        it = v.insert(v.end(), p);
    }
    m_isakmpPeer = static_cast<size_t>(it - v.begin());
    Enter(Mode::ISAKMP_PEER);
}

void
IosConfigReader::Session::IsakmpPeerMode(IosCursor& c)
{
    // Modelled: set aggressive-mode password|client-endpoint, description. Easy VPN and DPD
    // settings of the block are read without effect.
    static const Words words = {"description", "exit", "no", "set"};
    const std::string hint = "expected set aggressive-mode, description or exit";
    const size_t at = c.Position();
    const std::optional<size_t> k = c.OptionalKeyword(words);
    if (!k)
    {
        if (c.AtEnd())
        {
            c.Incomplete(hint);
        }
        c.FailAt(at, hint);
    }
    std::string word = words[*k];
    bool no = false;
    if (word == "no")
    {
        no = true;
        const size_t w = c.Keyword(words, hint);
        if (words[w] == "no" || words[w] == "exit")
        {
            c.FailAt(at + 1, hint);
        }
        word = words[w];
    }
    IosIsakmpPeer& p = m_cfg.isakmpPeers.at(m_isakmpPeer);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
    }
    else if (word == "description")
    {
        p.description = no ? std::string() : c.Rest();
        c.Seek(c.Tokens().size());
    }
    else
    {
        IsakmpPeerSet(c, p, no);
    }
}

/** `set aggressive-mode password KEY` / `set aggressive-mode client-endpoint TYPE VALUE`. */
void
IosConfigReader::Session::IsakmpPeerSet(IosCursor& c, IosIsakmpPeer& p, bool no)
{
    static const Words sets = {"aggressive-mode", "feature"};
    if (c.Keyword(sets, "expected aggressive-mode") == 1)
    {
        c.Seek(c.Tokens().size()); // `set feature vpn-acceleration` and the like
        NotModelled(c.Where());
        return;
    }
    static const Words what = {"client-endpoint", "password"};
    const size_t w = c.Keyword(what, "expected password or client-endpoint");
    if (w == 1)
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            p.aggressivePassword.clear();
            return;
        }
        p.aggressivePassword = c.Word("expected the pre-shared key");
        c.End();
        return;
    }
    static const Words types = {"fqdn", "ipv4-address", "ipv6-address", "user-fqdn"};
    if (no)
    {
        c.Seek(c.Tokens().size());
        p.endpointType = IosClientEndpoint::NONE;
        p.endpoint.clear();
        return;
    }
    const size_t typeAt = c.Position();
    const size_t t = c.Keyword(types, "expected ipv4-address, fqdn or user-fqdn");
    std::string value;
    IosClientEndpoint type = IosClientEndpoint::NONE;
    if (t == 0)
    {
        value = HostName(c, "expected the fully qualified domain name");
        type = IosClientEndpoint::FQDN;
    }
    else if (t == 1)
    {
        std::ostringstream os;
        os << c.Address("expected the address A.B.C.D");
        value = os.str();
        type = IosClientEndpoint::IPV4_ADDRESS;
    }
    else if (t == 2)
    {
        c.FailWith(typeAt, "% IPv6 is not modelled: give ipv4-address, fqdn or user-fqdn");
    }
    else
    {
        const size_t valueAt = c.Position();
        value = c.Word("expected the user's FQDN, e.g. user@example.com");
        if (value.find('@') == std::string::npos)
        {
            c.FailAt(valueAt, "expected the user's FQDN, e.g. user@example.com");
        }
        type = IosClientEndpoint::USER_FQDN;
    }
    c.End();
    p.endpointType = type;
    p.endpoint = value;
}

// ------------------------------------------------------------------------------ resolution

std::vector<Ipv4Address>
IosRouterConfig::ResolveHost(const std::string& name) const
{
    return ResolveHost(name, dns);
}

std::vector<Ipv4Address>
IosRouterConfig::ResolveHost(const std::string& name,
                             const std::map<std::string, std::vector<Ipv4Address>>& server) const
{
    const std::string want = IosLower(name);
    for (const auto& h : hosts)
    {
        if (IosLower(h.name) == want)
        {
            return h.addresses;
        }
    }
    if (!domainLookup)
    {
        return {};
    }
    auto it = server.find(want);
    if (it == server.end() && want.find('.') == std::string::npos && !domainName.empty())
    {
        it = server.find(want + "." + IosLower(domainName));
    }
    return it == server.end() ? std::vector<Ipv4Address>{} : it->second;
}

std::optional<Ipv4Address>
IosRouterConfig::ResolvePeer(const std::string& peer) const
{
    if (auto a = IosParseAddress(peer))
    {
        return a;
    }
    const std::vector<Ipv4Address> all = ResolveHost(peer);
    return all.empty() ? std::nullopt : std::optional<Ipv4Address>(all.front());
}

const IosIsakmpKey*
IosRouterConfig::FindIsakmpKeyByResolvedHostname(Ipv4Address peer) const
{
    for (const auto& k : isakmpKeys)
    {
        if (k.hostname.empty())
        {
            continue;
        }
        const std::vector<Ipv4Address> all = ResolveHost(k.hostname);
        if (std::find(all.begin(), all.end(), peer) != all.end())
        {
            return &k;
        }
    }
    return nullptr;
}

std::string
IosRouterConfig::Fqdn() const
{
    return domainName.empty() ? hostname : hostname + "." + domainName;
}

const IosIsakmpPeer*
IosRouterConfig::FindIsakmpPeer(Ipv4Address peer) const
{
    for (const auto& p : isakmpPeers)
    {
        if (p.address ? *p.address == peer : ResolvePeer(p.hostname) == peer)
        {
            return &p;
        }
    }
    return nullptr;
}

IosConfigError
IosUnresolvedHostError(const IosLocation& where, size_t column, const std::string& name,
                       bool domainLookup)
{
    const std::string why =
        domainLookup ? "no ip host entry names it, and the name server (the scenario's "
                       "\"hosts\" table) does not know it"
                     : "no ip host entry names it (no ip domain-lookup: no name server is asked)";
    return IosConfigError(where, column, "% Unable to resolve host name \"" + name + "\": " + why);
}

} // namespace ns3
