// IosConfigReader: `interface NAME` and the interface configuration mode.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>

namespace ns3
{

using namespace ios_config;

// ------------------------------------------------------------------------------ interfaces

void
IosConfigReader::Session::Interface(IosCursor& c, bool no)
{
    const std::string name = c.InterfaceName();
    c.OptionalKeyword({"multipoint", "point-to-point"});
    c.End();
    auto it = std::find_if(m_cfg.interfaces.begin(), m_cfg.interfaces.end(),
                           [&](const IosInterface& i) { return i.name == name; });
    if (no)
    {
        if (it != m_cfg.interfaces.end())
        {
            m_cfg.interfaces.erase(it);
        }
        m_ifaceMapRef.erase(name);
        return;
    }
    if (it == m_cfg.interfaces.end())
    {
        IosInterface i;
        i.name = name;
        i.where = c.Where();
        if (name.rfind("Serial", 0) == 0)
        {
            i.encapsulation = IosEncapsulation::HDLC; // the IOS default on serial interfaces
        }
        m_cfg.interfaces.push_back(i);
    }
    m_iface = name;
    Enter(Mode::INTERFACE);
}

void
IosConfigReader::Session::InterfaceMode(IosCursor& c)
{
    using Handler = void (Session::*)(IosCursor&, IosInterface&, bool);
    static const std::map<std::string, Handler> handlers = {
        {"arp", &Session::InterfaceArp},
        {"crypto", &Session::InterfaceCryptoMap},
        {"description", &Session::InterfaceDescription},
        {"encapsulation", &Session::InterfaceEncapsulation},
        {"ip", &Session::InterfaceIp},
        {"tunnel", &Session::InterfaceTunnel},
    };
    static const Words modelled = {"arp", "crypto",   "description", "encapsulation",
                                   "exit", "ip",      "no",          "shutdown",
                                   "tunnel"};
    static const Words all = Concat(modelled, kIfNotModelled);
    const std::string hint =
        "expected an interface command, e.g. ip address, crypto map, encapsulation, shutdown";
    bool no = false;
    std::string word = all[c.Keyword(all, hint)];
    if (word == "no")
    {
        no = true;
        const size_t at = c.Position();
        word = all[c.Keyword(all, hint)];
        if (word == "no" || word == "exit")
        {
            c.FailAt(at, "expected an interface command after no");
        }
    }
    IosInterface& i = *CurrentInterface();
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (word == "shutdown")
    {
        c.End();
        i.shutdown = !no;
        return;
    }
    auto handler = handlers.find(word);
    if (handler == handlers.end())
    {
        m_cfg.notModelled.push_back(c.Where()); // kIfNotModelled
        return;
    }
    (this->*handler->second)(c, i, no);
}

/** `tunnel source|destination|mode ...` (Tunnel interfaces only). */
void
IosConfigReader::Session::InterfaceTunnel(IosCursor& c, IosInterface& i, bool no)
{
    static const Words tw = {"destination",        "key",        "mode",
                             "path-mtu-discovery", "protection", "source"};
    const size_t tunnelAt = c.Position() - 1; // the word `tunnel`
    const std::string t = tw[c.Keyword(tw, "expected source, destination or mode")];
    if (i.name.rfind("Tunnel", 0) != 0)
    {
        c.FailAt(tunnelAt, "tunnel commands belong to Tunnel interfaces");
    }
    if (t == "source")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            i.tunnelSource.clear();
            return;
        }
        i.tunnelSourceWhere = c.Where();
        if (!c.AtEnd() && IosParseAddress(c.Peek().text))
        {
            std::ostringstream os;
            os << c.Address("expected an interface or an address A.B.C.D");
            i.tunnelSource = os.str();
        }
        else
        {
            i.tunnelSource = c.InterfaceName();
        }
        c.End();
    }
    else if (t == "destination")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            i.tunnelDestination.reset();
            return;
        }
        i.tunnelDestination = c.Address("expected the tunnel destination A.B.C.D");
        c.End();
    }
    else if (t == "protection")
    {
        InterfaceTunnelProtection(c, i, no);
    }
    else if (t == "mode")
    {
        // GRE over IPv4 (the default) and IPsec over IPv4 (a static virtual tunnel interface).
        static const Words modes = {"gre", "ipip", "ipsec", "ipv6ip", "mpls"};
        const size_t modeAt = c.Position();
        const std::string m = modes[c.Keyword(modes, "expected gre ip or ipsec ipv4")];
        if (no)
        {
            c.Seek(c.Tokens().size());
            i.tunnelModeIpsec = false;
            return;
        }
        if (m == "ipsec")
        {
            c.Keyword({"ipv4"}, "expected ipv4 (IPv6 virtual tunnel interfaces are not modelled)");
            c.End();
            i.tunnelModeIpsec = true;
            return;
        }
        if (m != "gre")
        {
            c.FailAt(modeAt, "tunnel mode " + m + " is not modelled: only gre ip and ipsec ipv4");
        }
        i.tunnelModeIpsec = false;
        static const Words greModes = {"ip", "multipoint"};
        const size_t greAt = c.Position();
        if (!c.AtEnd() && greModes[c.Keyword(greModes, "expected ip")] == "multipoint")
        {
            c.FailAt(greAt,
                     "tunnel mode gre multipoint (mGRE, DMVPN) is not modelled: only gre ip");
        }
        c.End();
    }
    else
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where()); // tunnel key, path-mtu-discovery
    }
}

void
IosConfigReader::Session::InterfaceDescription(IosCursor& c, IosInterface& i, bool no)
{
    const std::string text = c.Rest();
    if (!no && text.empty())
    {
        c.Incomplete("expected the description text");
    }
    i.description = no ? "" : text;
    m_cfg.notModelled.push_back(c.Where());
}

/** `encapsulation hdlc|ppp|frame-relay|dot1Q`; `no encapsulation` restores the default. */
void
IosConfigReader::Session::InterfaceEncapsulation(IosCursor& c, IosInterface& i, bool no)
{
    static const Words encaps = {"dot1Q", "frame-relay", "hdlc", "ppp"};
    if (no)
    {
        c.Seek(c.Tokens().size());
        i.encapsulation =
            i.name.rfind("Serial", 0) == 0 ? IosEncapsulation::HDLC : IosEncapsulation::NONE;
        m_explicitEncap.erase(i.name);
        return;
    }
    const std::string e = encaps[c.Keyword(encaps)];
    if (e == "frame-relay")
    {
        c.OptionalKeyword({"ietf"});
    }
    if (e == "dot1Q")
    {
        c.Number(1, 4094, "expected a VLAN number from 1 to 4094");
        c.OptionalKeyword({"native"});
    }
    c.End();
    if (e == "dot1Q")
    {
        m_cfg.notModelled.push_back(c.Where()); // 802.1Q tagging is not modelled
        return;
    }
    i.encapsulation = e == "hdlc"  ? IosEncapsulation::HDLC
                      : e == "ppp" ? IosEncapsulation::PPP
                                   : IosEncapsulation::FRAME_RELAY;
    m_explicitEncap.insert(i.name);
}

/** `crypto map NAME`: checked against the crypto maps at the end. */
void
IosConfigReader::Session::InterfaceCryptoMap(IosCursor& c, IosInterface& i, bool no)
{
    const IosKeywordMatch m =
        c.AtEnd() ? IosKeywordMatch{} : IosMatchKeyword(c.Peek().text, {"ipsec", "map"});
    if (m.result == IosKeywordMatch::Result::UNIQUE && m.index == 0)
    {
        InterfaceDfBit(c, i, no); // `crypto ipsec df-bit ...`
        return;
    }
    c.Keyword({"map"});
    if (no)
    {
        if (!c.AtEnd())
        {
            c.Word("");
        }
        c.End();
        i.cryptoMap.clear();
        m_ifaceMapRef.erase(i.name);
        return;
    }
    const size_t column = c.AtEnd() ? 0 : c.Peek().column;
    const std::string map = c.Word("expected the name of a crypto map set");
    c.End();
    i.cryptoMap = map;
    m_ifaceMapRef[i.name] = Reference{c.Where(), column, map};
}

/** `ip address|access-group|nat|route-cache ...` and the ip commands read but not modelled. */
void
IosConfigReader::Session::InterfaceIp(IosCursor& c, IosInterface& i, bool no)
{
    using Handler = void (Session::*)(IosCursor&, IosInterface&, bool);
    static const std::map<std::string, Handler> handlers = {
        {"access-group", &Session::InterfaceAccessGroup},
        {"address", &Session::InterfaceAddress},
        {"nat", &Session::InterfaceNat},
        {"route-cache", &Session::InterfaceRouteCache},
    };
    static const Words ipWords =
        Concat({"access-group", "address", "route-cache"}, kIfIpNotModelled);
    const std::string ip = ipWords[c.Keyword(
        ipWords, "expected address, access-group, route-cache or another ip interface command")];
    auto handler = handlers.find(ip);
    if (handler == handlers.end())
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    (this->*handler->second)(c, i, no);
}

/** `ip address A MASK [secondary]` (secondary addresses are not modelled). */
void
IosConfigReader::Session::InterfaceAddress(IosCursor& c, IosInterface& i, bool no)
{
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no ip address [A M]`
        i.address.reset();
        i.mask = Ipv4Mask();
        return;
    }
    if (!c.AtEnd() && IosMatchKeyword(c.Peek().text, {"dhcp", "negotiated"}).result ==
                          IosKeywordMatch::Result::UNIQUE)
    {
        c.Fail("addresses from DHCP or PPP negotiation are not modelled; give "
               "A.B.C.D MASK");
    }
    const Ipv4Address a = c.Address("expected the interface address A.B.C.D");
    const size_t maskToken = c.Position();
    const Ipv4Address m = c.Address("expected the subnet mask, e.g. 255.255.255.0");
    const bool secondary = c.OptionalKeyword({"secondary"}).has_value();
    c.End();
    const uint32_t mask = m.Get();
    const int len = PrefixLength(mask);
    const uint32_t host = a.Get() & ~mask;
    if (!Contiguous(mask))
    {
        std::ostringstream os;
        os << "% Bad mask " << Hex32(mask) << " for address " << a;
        c.FailWith(maskToken, os.str());
    }
    if (len < 31 && (host == 0 || host == ~mask))
    {
        std::ostringstream os;
        os << "% Bad mask /" << len << " for address " << a;
        c.FailWith(maskToken, os.str());
    }
    if (secondary)
    {
        m_cfg.notModelled.push_back(c.Where()); // one address per interface
        return;
    }
    i.address = a;
    i.mask = Ipv4Mask(mask);
}

/** `ip access-group LIST in|out`. */
void
IosConfigReader::Session::InterfaceAccessGroup(IosCursor& c, IosInterface& i, bool no)
{
    std::string acl;
    if (!(no && !c.AtEnd() &&
          IosMatchKeyword(c.Peek().text, {"in", "out"}).result == IosKeywordMatch::Result::UNIQUE))
    {
        const size_t t = c.Position();
        acl = c.Word("expected an access list: " + kAclNumbers + ", or a name");
        if (AllDigits(acl))
        {
            auto n = IosParseNumber(acl);
            if (!n || NumberedAclKind(*n) == AclKind::INVALID)
            {
                c.FailAt(t, "expected an access list: " + kAclNumbers + ", or a name");
            }
        }
    }
    const bool in = c.Keyword({"in", "out"}) == 0;
    c.End();
    (in ? i.accessGroupIn : i.accessGroupOut) = no ? "" : acl;
}

/** `ip nat inside|outside`. */
void
IosConfigReader::Session::InterfaceNat(IosCursor& c, IosInterface& i, bool no)
{
    const bool inside = c.Keyword({"inside", "outside"}, "expected inside or outside") == 0;
    c.End();
    (inside ? i.natInside : i.natOutside) = !no;
}

/** `ip route-cache [cef|flow|same-interface]`: the switching path. */
void
IosConfigReader::Session::InterfaceRouteCache(IosCursor& c, IosInterface& i, bool no)
{
    const auto kind = c.OptionalKeyword({"cef", "flow", "same-interface"});
    c.End();
    if (!kind)
    {
        i.routeCache = !no;
    }
    else if (*kind == 0)
    {
        i.routeCacheCef = !no;
    }
    else if (*kind == 1)
    {
        i.routeCacheFlow = !no;
    }
    else
    {
        m_cfg.notModelled.push_back(c.Where()); // same-interface
    }
}

/**
 * `arp timeout SECONDS` (0 to 2147483; 0: entries never expire), `no arp timeout` back to the
 * 4-hour default. The other `arp` interface commands (the encapsulation: arpa, snap, probe,
 * frame-relay; logging) are read and not modelled.
 */
void
IosConfigReader::Session::InterfaceArp(IosCursor& c, IosInterface& i, bool no)
{
    static const Words kinds = {"timeout", "arpa", "frame-relay", "log", "probe", "snap"};
    if (c.Keyword(kinds, "expected timeout, arpa, snap or probe") != 0)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no arp timeout [N]`
        i.arpTimeoutSeconds = IosInterface::kIosDefaultArpTimeout;
        return;
    }
    i.arpTimeoutSeconds =
        static_cast<uint32_t>(c.Number(0, 2147483, "expected the timeout in seconds, 0 to 2147483"));
    c.End();
}

} // namespace ns3
