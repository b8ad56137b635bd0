#include "ns3/ios-config.h"

#include "ns3/ios-keywords.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace ns3
{

// ------------------------------------------------------------------------------ IosConfigError

namespace
{
std::string
FormatError(const IosLocation& where, size_t column, const std::string& detail)
{
    std::ostringstream os;
    os << where.file << ":" << where.line << ":\n";
    os << " " << where.text << "\n ";
    // Tabs in the line stay tabs under it, so the '^' lines up whatever the tab width.
    for (size_t i = 0; i < column; ++i)
    {
        os << (i < where.text.size() && where.text[i] == '\t' ? '\t' : ' ');
    }
    os << "^\n" << detail;
    return os.str();
}
} // namespace

IosConfigError::IosConfigError(const IosLocation& where, size_t column, const std::string& detail)
    : std::runtime_error(FormatError(where, column, detail)), m_where(where), m_column(column),
      m_detail(detail)
{
}

// --------------------------------------------------------------------------- IosRouterConfig

const IosInterface*
IosRouterConfig::FindInterface(const std::string& name) const
{
    IosInterfaceNameMatch m = IosMatchInterfaceName(name);
    const std::string& want =
        m.result == IosKeywordMatch::Result::UNIQUE && !m.badUnit ? m.name : name;
    for (const auto& i : interfaces)
    {
        if (i.name == want)
        {
            return &i;
        }
    }
    return nullptr;
}

const IosIsakmpKey*
IosRouterConfig::FindIsakmpKey(Ipv4Address peer) const
{
    const IosIsakmpKey* best = nullptr;
    for (const auto& k : isakmpKeys)
    {
        if (!k.hostname.empty() || !k.mask.IsMatch(k.address, peer))
        {
            continue;
        }
        // The most specific key wins; between equal masks, the later line (it replaced nothing,
        // so the addresses differ only in bits the mask ignores).
        if (!best || k.mask.GetPrefixLength() >= best->mask.GetPrefixLength())
        {
            best = &k;
        }
    }
    return best;
}

const IosIsakmpKey*
IosRouterConfig::FindIsakmpKeyByHostname(const std::string& hostname) const
{
    for (const auto& k : isakmpKeys)
    {
        if (!k.hostname.empty() && IosLower(k.hostname) == IosLower(hostname))
        {
            return &k;
        }
    }
    return nullptr;
}

std::string
IosConfigReader::CanonicalInterfaceName(const std::string& word)
{
    IosInterfaceNameMatch m = IosMatchInterfaceName(word);
    return m.result == IosKeywordMatch::Result::UNIQUE && !m.badUnit ? m.name : std::string();
}

// ------------------------------------------------------------------------------ the tables

namespace
{
using Words = std::vector<std::string>;

/** Global commands we read but do not model, each followed by anything. */
const Words kGlobalNotModelled = {
    "aaa",         "alias",       "boot",     "boot-end-marker", "boot-start-marker",
    "cdp",         "class-map",   "clock",    "config-register", "control-plane",
    "enable",      "key",         "line",     "logging",         "memory-size",
    "ntp",         "policy-map",  "router",   "scheduler",       "service",
    "snmp-server", "tftp-server", "username", "version",
};

/** Sub-commands of the not-modelled blocks that we also accept without indentation. */
const Words kLineWords = {"access-class", "exec-timeout", "flowcontrol", "history",
                          "length",       "location",     "logging",     "login",
                          "modem",        "password",     "privilege",   "session-timeout",
                          "speed",        "stopbits",     "transport",   "width"};
const Words kRouterWords = {"area",
                            "auto-summary",
                            "default-information",
                            "default-metric",
                            "distance",
                            "distribute-list",
                            "eigrp",
                            "log-adjacency-changes",
                            "maximum-paths",
                            "neighbor",
                            "network",
                            "offset-list",
                            "passive-interface",
                            "redistribute",
                            "router-id",
                            "timers"};
/** Sub-commands of the IKE blocks we do not model (`crypto isakmp profile`, `... client
 *  configuration group`, `... peer`, `crypto keyring`), accepted without indentation too. */
const Words kIsakmpBlockWords = {"acl",
                                 "ca",
                                 "client",
                                 "description",
                                 "dns",
                                 "domain",
                                 "initiate",
                                 "isakmp",
                                 "keepalive",
                                 "keyring",
                                 "local-address",
                                 "match",
                                 "pool",
                                 "pre-shared-key",
                                 "qos-group",
                                 "rsa-pubkey",
                                 "self-identity",
                                 "set",
                                 "virtual-template",
                                 "vrf",
                                 "wins"};
/** Sub-commands of the certificate and RSA-key blocks (`crypto ca ...`, `crypto pki ...`,
 *  `crypto key pubkey-chain rsa`). */
const Words kPkiWords = {"address",          "addressed-key", "certificate",   "crl",
                         "enrollment",       "key-string",    "named-key",     "quit",
                         "revocation-check", "rsakeypair",    "serial-number", "subject-name"};
const Words kClassWords = {"bandwidth", "class", "match", "police", "priority", "shape"};
const Words kKeyWords = {"key-string", "accept-lifetime", "send-lifetime"};
const Words kNoWords = {};

/** `ip ...` global commands we read but do not model. */
const Words kIpNotModelled = {
    "bootp",        "classless",
    "dhcp",         "domain",
    "domain-list",  "domain-lookup",
    "domain-name",  "finger",
    "flow-export",  "forward-protocol",
    "ftp",          "host",
    "http",         "multicast-routing",
    "name-server",  "nat",
    "rcmd",         "scp",
    "source-route", "ssh",
    "subnet-zero",  "tcp",
    "telnet",       "tftp",
};

/** Interface sub-commands we read but do not model. */
const Words kIfNotModelled = {
    "bandwidth",  "cdp",          "clock",         "delay",          "dce-terminal-timing-enable",
    "duplex",     "fair-queue",   "frame-relay",   "full-duplex",    "half-duplex",
    "hold-queue", "keepalive",    "load-interval", "media-type",     "mop",
    "mtu",        "negotiation",  "ppp",           "service-policy", "snmp",
    "speed",      "tx-ring-limit"};
/** `ip ...` interface sub-commands we read but do not model. */
const Words kIfIpNotModelled = {"directed-broadcast",
                                "flow",
                                "helper-address",
                                "igmp",
                                "mroute-cache",
                                "mtu",
                                "nat",
                                "ospf",
                                "pim",
                                "proxy-arp",
                                "redirects",
                                "rip",
                                "split-horizon",
                                "tcp",
                                "unreachables",
                                "verify",
                                "virtual-reassembly"};

Words
Concat(Words a, const Words& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

struct Protocol
{
    const char* name;
    uint8_t number;
};

const std::vector<Protocol> kProtocols = {
    {"ahp", 51},  {"eigrp", 88}, {"esp", 50},  {"gre", 47},   {"icmp", 1},
    {"igmp", 2},  {"igrp", 9},   {"ip", 0},    {"ipinip", 4}, {"nos", 94},
    {"ospf", 89}, {"pcp", 108},  {"pim", 103}, {"tcp", 6},    {"udp", 17},
};

struct Port
{
    const char* name;
    uint16_t number;
};

const std::vector<Port> kTcpPorts = {
    {"bgp", 179},    {"chargen", 19},      {"cmd", 514},    {"daytime", 13},   {"discard", 9},
    {"domain", 53},  {"drip", 3949},       {"echo", 7},     {"exec", 512},     {"finger", 79},
    {"ftp", 21},     {"ftp-data", 20},     {"gopher", 70},  {"hostname", 101}, {"ident", 113},
    {"irc", 194},    {"klogin", 543},      {"kshell", 544}, {"login", 513},    {"lpd", 515},
    {"nntp", 119},   {"pim-auto-rp", 496}, {"pop2", 109},   {"pop3", 110},     {"smtp", 25},
    {"sunrpc", 111}, {"tacacs", 49},       {"talk", 517},   {"telnet", 23},    {"time", 37},
    {"uucp", 540},   {"whois", 43},        {"www", 80},
};

const std::vector<Port> kUdpPorts = {
    {"biff", 512},        {"bootpc", 68},
    {"bootps", 67},       {"discard", 9},
    {"dnsix", 195},       {"domain", 53},
    {"echo", 7},          {"isakmp", 500},
    {"mobile-ip", 434},   {"nameserver", 42},
    {"netbios-dgm", 138}, {"netbios-ns", 137},
    {"netbios-ss", 139},  {"non500-isakmp", 4500},
    {"ntp", 123},         {"pim-auto-rp", 496},
    {"rip", 520},         {"snmp", 161},
    {"snmptrap", 162},    {"sunrpc", 111},
    {"syslog", 514},      {"tacacs", 49},
    {"talk", 517},        {"tftp", 69},
    {"time", 37},         {"who", 513},
    {"xdmcp", 177},
};

const std::vector<Port>&
PortsOf(uint8_t protocol)
{
    return protocol == 6 ? kTcpPorts : kUdpPorts;
}

std::string
ProtocolText(uint8_t p)
{
    for (const auto& x : kProtocols)
    {
        if (x.number == p)
        {
            return x.name;
        }
    }
    return std::to_string(p);
}

std::string
PortValueText(uint8_t protocol, uint16_t port)
{
    for (const auto& x : PortsOf(protocol))
    {
        if (x.number == port)
        {
            return x.name;
        }
    }
    return std::to_string(port);
}

std::string
PortText(uint8_t protocol, const IpsecPortMatch& m)
{
    switch (m.op)
    {
    case IpsecPortMatch::Op::ANY:
        return "";
    case IpsecPortMatch::Op::EQ:
        return " eq " + PortValueText(protocol, m.lo);
    case IpsecPortMatch::Op::LT:
        return " lt " + PortValueText(protocol, m.lo);
    case IpsecPortMatch::Op::GT:
        return " gt " + PortValueText(protocol, m.lo);
    case IpsecPortMatch::Op::NEQ:
        return " neq " + PortValueText(protocol, m.lo);
    case IpsecPortMatch::Op::RANGE:
        return " range " + PortValueText(protocol, m.lo) + " " + PortValueText(protocol, m.hi);
    }
    return "";
}

std::string
AddrText(Ipv4Address a, uint32_t wildcard)
{
    std::ostringstream os;
    if (wildcard == 0xffffffff)
    {
        os << "any";
    }
    else if (wildcard == 0)
    {
        os << "host " << a;
    }
    else
    {
        os << a << " " << Ipv4Address(wildcard);
    }
    return os.str();
}

/** Contiguous network mask (ones then zeros). */
bool
Contiguous(uint32_t mask)
{
    return ((~mask + 1) & ~mask) == 0;
}

int
PrefixLength(uint32_t mask)
{
    int n = 0;
    while (mask & 0x80000000u)
    {
        ++n;
        mask <<= 1;
    }
    return n;
}

std::string
Hex32(uint32_t v)
{
    std::ostringstream os;
    os << "0x" << std::uppercase << std::hex;
    os.width(8);
    os.fill('0');
    os << v;
    return os.str();
}

enum class AclKind : uint8_t
{
    STANDARD,
    EXTENDED,
    INVALID,
};

AclKind
NumberedAclKind(uint64_t n)
{
    if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999))
    {
        return AclKind::STANDARD;
    }
    if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699))
    {
        return AclKind::EXTENDED;
    }
    return AclKind::INVALID;
}

bool
AllDigits(const std::string& s)
{
    return !s.empty() &&
           std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

const std::string kAclNumbers = "1-99, 100-199, 1300-1999 or 2000-2699";

/** The keys of a crypto map entry, static (`crypto map`) or dynamic (`crypto dynamic-map`). */
struct EntryKey
{
    bool dynamic = false;
    std::string map;
    uint32_t seq = 0;

    bool operator<(const EntryKey& o) const
    {
        return std::tie(dynamic, map, seq) < std::tie(o.dynamic, o.map, o.seq);
    }
};

/** A name used on some line and checked once the whole configuration is known. */
struct Reference
{
    IosLocation where;
    size_t column = 0;
    std::string name;
};

const char*
KindText(IosCryptoMapKind k)
{
    switch (k)
    {
    case IosCryptoMapKind::IPSEC_MANUAL:
        return "ipsec-manual";
    case IosCryptoMapKind::IPSEC_ISAKMP:
        return "ipsec-isakmp";
    case IosCryptoMapKind::DYNAMIC_REFERENCE:
        return "ipsec-isakmp dynamic";
    case IosCryptoMapKind::DYNAMIC_TEMPLATE:
        return "dynamic";
    }
    return "?";
}

// ------------------------------------------------------------------------------ the reader

enum class Mode : uint8_t
{
    GLOBAL,
    INTERFACE,
    CRYPTO_MAP,
    TRANSFORM,
    ACL,
    ISAKMP_POLICY, //!< `crypto isakmp policy N`
    IGNORED,       //!< inside a block we do not model (line, router, crypto ca, ...)
};

/**
 * The IOS configuration parser. Every command handler reads all of its words before it changes
 * anything, so a line that fails in a sub-mode can be retried in global mode (IOS leaves a
 * sub-mode when a line is not one of its commands but is a global one).
 */
class Reader
{
public:
    explicit Reader(std::string file) : m_file(std::move(file))
    {
    }

    IosRouterConfig Run(const std::string& text);
    /** The configuration mode the text ends in, as IOS names it in the prompt ("config",
     *  "config-if", "config-crypto-map", ...). */
    std::string EndMode() const;

private:
    void Line(const IosLocation& loc);
    void Global(IosCursor& c);
    void GlobalCommand(IosCursor& c, bool no);
    void GlobalIp(IosCursor& c, bool no);
    void GlobalCrypto(IosCursor& c, bool no);
    void CryptoIpsec(IosCursor& c, bool no);
    void CryptoMap(IosCursor& c, bool no, bool dynamic);
    void Ike(IosCursor& c);
    void Isakmp(IosCursor& c, bool no);
    void IsakmpKey(IosCursor& c, bool no);
    void Banner(IosCursor& c, bool no);
    void NumberedAcl(IosCursor& c, bool no);
    void NamedAcl(IosCursor& c, bool no);
    void StaticNat(IosCursor& c, bool no);
    void Interface(IosCursor& c, bool no);
    void Route(IosCursor& c, bool no);

    void InterfaceMode(IosCursor& c);
    void CryptoMapMode(IosCursor& c);
    void TransformMode(IosCursor& c);
    void AclMode(IosCursor& c);
    void IsakmpPolicyMode(IosCursor& c);

    /** permit|deny already read: the rest of an access-list line. */
    IosAclEntry AclEntry(IosCursor& c, bool permit, bool extended);
    /** `any`, `host A` or `A WILDCARD` (@p extended) / `A [WILDCARD]` (standard). */
    std::pair<Ipv4Address, uint32_t> AclAddress(IosCursor& c, bool extended,
                                                std::optional<size_t> keyword);
    IpsecPortMatch PortOp(IosCursor& c, size_t op, uint8_t protocol);
    uint16_t PortValue(IosCursor& c, uint8_t protocol);
    void AddAclEntry(const std::string& name, bool extended, IosAclEntry e, IosCursor& c,
                     size_t nameToken, std::optional<uint32_t> seq, size_t seqToken);

    void NotModelled(const IosLocation& loc, const Words* blockWords = &kNoWords);
    void Enter(Mode m)
    {
        m_mode = m;
        m_entered = true;
    }
    IosCryptoMapEntry* FindEntry(const EntryKey& k);
    IosInterface* CurrentInterface();

    std::string m_file;
    IosRouterConfig m_cfg;
    Mode m_mode = Mode::GLOBAL;
    bool m_entered = false;
    const Words* m_blockWords = &kNoWords;

    std::string m_iface;
    EntryKey m_entry;
    std::string m_transform;
    std::string m_acl;
    uint32_t m_policy = 0; //!< the ISAKMP policy being configured

    bool m_inBanner = false;
    std::string m_bannerDelim;
    IosLocation m_bannerStart;
    size_t m_bannerColumn = 0;

    // Checked at the end, when every name is known.
    std::map<std::string, Reference> m_ifaceMapRef;            //!< interface -> `crypto map X`
    std::map<EntryKey, std::vector<Reference>> m_transformRef; //!< `set transform-set` names
    std::map<EntryKey, Reference> m_matchRef;                  //!< `match address` ACL
    std::set<std::string> m_explicitEncap;
};

IosCryptoMapEntry*
Reader::FindEntry(const EntryKey& k)
{
    auto& v = k.dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
    for (auto& e : v)
    {
        if (e.map == k.map && e.seq == k.seq)
        {
            return &e;
        }
    }
    return nullptr;
}

IosInterface*
Reader::CurrentInterface()
{
    for (auto& i : m_cfg.interfaces)
    {
        if (i.name == m_iface)
        {
            return &i;
        }
    }
    return nullptr;
}

void
Reader::NotModelled(const IosLocation& loc, const Words* blockWords)
{
    m_cfg.notModelled.push_back(loc);
    m_blockWords = blockWords;
    Enter(Mode::IGNORED);
}

IosRouterConfig
Reader::Run(const std::string& text)
{
    std::istringstream is(text);
    std::string raw;
    int number = 0;
    std::vector<IosLocation> lines;
    while (std::getline(is, raw))
    {
        ++number;
        if (!raw.empty() && raw.back() == '\r')
        {
            raw.pop_back();
        }
        lines.push_back({m_file, number, raw});
        Line(lines.back());
    }
    if (m_inBanner)
    {
        throw IosConfigError(m_bannerStart, m_bannerColumn,
                             "% Banner not terminated: no closing '" + m_bannerDelim + "'");
    }
    m_cfg.lines = std::move(lines);

    // Checks that need the whole configuration, reported in line order.
    std::vector<IosConfigError> errors;
    for (const auto& [ifn, ref] : m_ifaceMapRef)
    {
        const std::string& name = ref.name; // (a structured binding cannot be captured in C++17)
        const bool exists =
            std::any_of(m_cfg.cryptoMaps.begin(), m_cfg.cryptoMaps.end(),
                        [&name](const IosCryptoMapEntry& e) { return e.map == name; });
        if (!exists)
        {
            errors.emplace_back(ref.where, ref.column,
                                "% Crypto map " + ref.name + " is not defined (no `crypto map " +
                                    ref.name + " SEQ ...` entry)");
        }
    }
    for (const auto& [key, refs] : m_transformRef)
    {
        for (const auto& ref : refs)
        {
            if (!m_cfg.transformSets.count(ref.name))
            {
                errors.emplace_back(ref.where, ref.column,
                                    "% Transform set " + ref.name + " is not defined");
            }
        }
    }
    for (const auto& [key, ref] : m_matchRef)
    {
        auto acl = m_cfg.accessLists.find(ref.name);
        if (acl == m_cfg.accessLists.end())
        {
            continue; // IOS accepts it; the entry matches nothing until the list exists
        }
        if (!acl->second.extended)
        {
            errors.emplace_back(ref.where, ref.column,
                                "% Access list " + ref.name +
                                    " is a standard list; crypto access lists are extended");
            continue;
        }
        const IosCryptoMapEntry* e = FindEntry(key);
        if (e && e->kind == IosCryptoMapKind::IPSEC_MANUAL)
        {
            const auto permits =
                std::count_if(acl->second.entries.begin(), acl->second.entries.end(),
                              [](const IosAclEntry& x) { return x.permit; });
            if (permits != 1)
            {
                errors.emplace_back(
                    ref.where, ref.column,
                    "% Access list " + ref.name + " has " + std::to_string(permits) +
                        " permit entries; an ipsec-manual crypto map entry protects a single "
                        "flow and needs exactly one");
            }
        }
    }
    if (!errors.empty())
    {
        auto first = std::min_element(errors.begin(), errors.end(),
                                      [](const IosConfigError& a, const IosConfigError& b)
                                      {
                                          return std::make_pair(a.Where().line, a.Column()) <
                                                 std::make_pair(b.Where().line, b.Column());
                                      });
        throw *first;
    }

    // Sub-interfaces of serial links keep the encapsulation of their interface.
    for (auto& i : m_cfg.interfaces)
    {
        const auto dot = i.name.find('.');
        if (dot != std::string::npos && !m_explicitEncap.count(i.name))
        {
            if (const IosInterface* parent = m_cfg.FindInterface(i.name.substr(0, dot)))
            {
                i.encapsulation = parent->encapsulation;
            }
        }
    }
    auto byKey = [](const IosCryptoMapEntry& a, const IosCryptoMapEntry& b)
    { return std::tie(a.map, a.seq) < std::tie(b.map, b.seq); };
    std::stable_sort(m_cfg.cryptoMaps.begin(), m_cfg.cryptoMaps.end(), byKey);
    std::stable_sort(m_cfg.dynamicMaps.begin(), m_cfg.dynamicMaps.end(), byKey);
    return std::move(m_cfg);
}

void
Reader::Line(const IosLocation& loc)
{
    const std::string& text = loc.text;
    if (m_inBanner)
    {
        if (text.find(m_bannerDelim) != std::string::npos)
        {
            m_inBanner = false;
        }
        return;
    }
    IosCursor c(loc);
    if (c.AtEnd())
    {
        return; // blank lines change nothing
    }
    const bool indented = text[0] == ' ' || text[0] == '\t';
    if (c.Peek().text[0] == '!')
    {
        // A comment. It closes a sub-mode (as in `show running-config`), except inside the
        // blocks we skip, whose own indented '!' lines stay in the block.
        if (m_mode != Mode::IGNORED || !indented)
        {
            m_mode = Mode::GLOBAL;
        }
        return;
    }
    void (Reader::*sub)(IosCursor&) = nullptr;
    switch (m_mode)
    {
    case Mode::GLOBAL:
        Global(c);
        return;
    case Mode::IGNORED:
        if (indented)
        {
            m_cfg.notModelled.push_back(loc);
            return;
        }
        try
        {
            Global(c);
        }
        catch (const IosConfigError&)
        {
            // Sub-commands of the block written without indentation.
            IosKeywordMatch m = IosMatchKeyword(c.Tokens().front().text, *m_blockWords);
            if (m.result != IosKeywordMatch::Result::UNIQUE &&
                IosLower(c.Tokens().front().text) != "no")
            {
                throw;
            }
            m_cfg.notModelled.push_back(loc);
        }
        return;
    case Mode::INTERFACE:
        sub = &Reader::InterfaceMode;
        break;
    case Mode::CRYPTO_MAP:
        sub = &Reader::CryptoMapMode;
        break;
    case Mode::TRANSFORM:
        sub = &Reader::TransformMode;
        break;
    case Mode::ACL:
        sub = &Reader::AclMode;
        break;
    case Mode::ISAKMP_POLICY:
        sub = &Reader::IsakmpPolicyMode;
        break;
    }
    try
    {
        IosCursor s(loc);
        (this->*sub)(s);
    }
    catch (const IosConfigError& subError)
    {
        // Not a command of the sub-mode: IOS tries it as a global command (which ends the mode).
        try
        {
            IosCursor g(loc);
            Global(g);
        }
        catch (const IosConfigError& globalError)
        {
            if (globalError.Column() > subError.Column())
            {
                throw;
            }
            throw subError;
        }
    }
}

void
Reader::Global(IosCursor& c)
{
    m_entered = false;
    GlobalCommand(c, false);
    if (!m_entered)
    {
        m_mode = Mode::GLOBAL;
    }
}

void
Reader::GlobalCommand(IosCursor& c, bool no)
{
    static const Words modelled = {"access-list", "banner",    "crypto", "end", "exit",
                                   "hostname",    "interface", "ip",     "no"};
    static const Words all = Concat(modelled, kGlobalNotModelled);
    const size_t at = c.Position();
    const std::string word =
        all[c.Keyword(all, "expected a configuration command, e.g. interface, ip, crypto, "
                           "access-list, hostname")];
    if (no && (word == "no" || word == "end" || word == "exit"))
    {
        c.FailAt(at, "expected a configuration command after no");
    }
    if (word == "no")
    {
        GlobalCommand(c, true);
        return;
    }
    if (word == "access-list")
    {
        NumberedAcl(c, no);
    }
    else if (word == "banner")
    {
        Banner(c, no);
    }
    else if (word == "crypto")
    {
        GlobalCrypto(c, no);
    }
    else if (word == "end" || word == "exit")
    {
        c.End();
        if (word == "end")
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else if (word == "hostname")
    {
        if (no)
        {
            c.End();
            m_cfg.hostname = "Router";
            return;
        }
        const std::string name = c.Word("expected the router's name");
        c.End();
        m_cfg.hostname = name;
    }
    else if (word == "interface")
    {
        Interface(c, no);
    }
    else if (word == "ip")
    {
        GlobalIp(c, no);
    }
    else if (word == "line")
    {
        NotModelled(c.Where(), &kLineWords);
    }
    else if (word == "router")
    {
        NotModelled(c.Where(), &kRouterWords);
    }
    else if (word == "class-map" || word == "policy-map")
    {
        NotModelled(c.Where(), &kClassWords);
    }
    else if (word == "key")
    {
        NotModelled(c.Where(), &kKeyWords);
    }
    else
    {
        NotModelled(c.Where());
    }
}

void
Reader::Banner(IosCursor& c, bool no)
{
    static const Words types = {"exec", "incoming", "login", "motd", "prompt-timeout", "slip-ppp"};
    c.OptionalKeyword(types);
    if (no)
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (c.AtEnd())
    {
        c.Incomplete("expected a delimiter character and the banner text");
    }
    const size_t column = c.Peek().column;
    const std::string rest = c.Where().text.substr(column);
    // In a saved configuration the delimiter is written as the two characters "^C".
    const std::string delim = rest.compare(0, 2, "^C") == 0 ? "^C" : rest.substr(0, 1);
    m_cfg.notModelled.push_back(c.Where());
    if (rest.find(delim, delim.size()) == std::string::npos)
    {
        m_inBanner = true;
        m_bannerDelim = delim;
        m_bannerStart = c.Where();
        m_bannerColumn = column;
    }
}

// ------------------------------------------------------------------------------ interfaces

void
Reader::Interface(IosCursor& c, bool no)
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
Reader::InterfaceMode(IosCursor& c)
{
    static const Words modelled = {"crypto", "description", "encapsulation", "exit",
                                   "ip",     "no",          "shutdown",      "tunnel"};
    static const Words all = Concat(modelled, kIfNotModelled);
    static const Words ipWords =
        Concat({"access-group", "address", "route-cache"}, kIfIpNotModelled);
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
    }
    else if (word == "tunnel")
    {
        static const Words tw = {"destination", "key", "mode", "path-mtu-discovery", "source"};
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
        else if (t == "mode")
        {
            // GRE over IPv4 is the default and the only mode modelled.
            static const Words modes = {"gre", "ipip", "ipsec", "ipv6ip", "mpls"};
            const size_t modeAt = c.Position();
            const std::string m = modes[c.Keyword(modes, "expected gre ip")];
            if (m != "gre")
            {
                c.FailAt(modeAt, "tunnel mode " + m + " is not modelled: only gre ip");
            }
            static const Words greModes = {"ip", "multipoint"};
            const size_t greAt = c.Position();
            if (!c.AtEnd() && greModes[c.Keyword(greModes, "expected ip")] == "multipoint")
            {
                c.FailAt(greAt, "tunnel mode gre multipoint (mGRE, DMVPN) is not modelled: only gre ip");
            }
            c.End();
        }
        else
        {
            c.Seek(c.Tokens().size());
            m_cfg.notModelled.push_back(c.Where()); // tunnel key, path-mtu-discovery
        }
    }
    else if (word == "description")
    {
        const std::string text = c.Rest();
        if (!no && text.empty())
        {
            c.Incomplete("expected the description text");
        }
        i.description = no ? "" : text;
        m_cfg.notModelled.push_back(c.Where());
    }
    else if (word == "encapsulation")
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
    else if (word == "crypto")
    {
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
    else if (word == "ip")
    {
        const std::string ip = ipWords[c.Keyword(
            ipWords, "expected address, access-group, route-cache or another ip interface "
                     "command")];
        if (ip == "address")
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
        else if (ip == "access-group")
        {
            std::string acl;
            if (!(no && !c.AtEnd() &&
                  IosMatchKeyword(c.Peek().text, {"in", "out"}).result ==
                      IosKeywordMatch::Result::UNIQUE))
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
        else if (ip == "nat")
        {
            const bool inside = c.Keyword({"inside", "outside"}, "expected inside or outside") == 0;
            c.End();
            (inside ? i.natInside : i.natOutside) = !no;
        }
        else if (ip == "route-cache")
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
        else
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else
    {
        m_cfg.notModelled.push_back(c.Where());
    }
}

// ------------------------------------------------------------------------------ ip (global)

void
Reader::GlobalIp(IosCursor& c, bool no)
{
    static const Words ipWords = Concat({"access-list", "cef", "route"}, kIpNotModelled);
    const std::string word = ipWords[c.Keyword(
        ipWords, "expected route, access-list, cef or another ip configuration command")];
    if (word == "cef")
    {
        c.OptionalKeyword({"distributed"});
        c.End();
        m_cfg.ipCef = !no;
    }
    else if (word == "route")
    {
        Route(c, no);
    }
    else if (word == "access-list")
    {
        NamedAcl(c, no);
    }
    else if (word == "nat")
    {
        static const Words natWords = {"inside", "log",     "outside",
                                       "pool",   "service", "translation"};
        const std::string k = natWords[c.Keyword(
            natWords, "expected inside, outside, pool, translation or another ip nat command")];
        if (k == "inside")
        {
            StaticNat(c, no);
        }
        else
        {
            m_cfg.notModelled.push_back(c.Where()); // dynamic NAT and PAT are not modelled
        }
    }
    else
    {
        m_cfg.notModelled.push_back(c.Where());
    }
}

namespace
{
std::string
NatAddr(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}
} // namespace

void
Reader::StaticNat(IosCursor& c, bool no)
{
    // `ip nat inside source static LOCAL GLOBAL`: one-to-one static NAT, the only kind modelled.
    c.Keyword({"destination", "source"}, "expected source");
    // Dynamic NAT and PAT (`source list ...`, `source route-map ...`) and static port
    // translation are read without effect: only one-to-one static NAT is modelled.
    if (c.AtEnd() ||
        IosMatchKeyword(c.Peek().text, {"static"}).result != IosKeywordMatch::Result::UNIQUE)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    c.Keyword({"static"});
    if (!c.AtEnd() && IosMatchKeyword(c.Peek().text, {"tcp", "udp"}).result ==
                          IosKeywordMatch::Result::UNIQUE)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    IosStaticNat n;
    n.local = c.Address("expected the inside local address A.B.C.D");
    const size_t globalToken = c.Position();
    n.global = c.Address("expected the inside global address A.B.C.D");
    c.End();
    n.where = c.Where();
    auto& v = m_cfg.staticNat;
    auto same = std::find_if(v.begin(), v.end(), [&](const IosStaticNat& x) {
        return x.local == n.local && x.global == n.global;
    });
    if (no)
    {
        if (same != v.end())
        {
            v.erase(same);
        }
        return;
    }
    for (const auto& x : v)
    {
        if (x.local == n.local && x.global != n.global)
        {
            c.FailWith(globalToken, "% " + NatAddr(n.local) + " already mapped (" + NatAddr(n.local) +
                                        " -> " + NatAddr(x.global) + ")");
        }
        if (x.global == n.global && x.local != n.local)
        {
            c.FailWith(globalToken, "% similar static entry (" + NatAddr(x.local) + " -> " +
                                        NatAddr(x.global) + ") already exists");
        }
    }
    if (same == v.end())
    {
        v.push_back(n);
    }
}

void
Reader::Route(IosCursor& c, bool no)
{
    IosRoute r;
    const size_t netToken = c.Position();
    r.network = c.Address("expected the destination network A.B.C.D");
    const size_t maskToken = c.Position();
    r.mask = Ipv4Mask(c.Address("expected the destination mask, e.g. 255.255.255.0").Get());
    if (!Contiguous(r.mask.Get()) || (r.network.Get() & ~r.mask.Get()) != 0)
    {
        c.FailWith(Contiguous(r.mask.Get()) ? netToken : maskToken,
                   "% Inconsistent address and mask");
    }
    const std::string hopHint = "expected a next-hop address or an interface";
    if (!no || !c.AtEnd())
    {
        if (c.AtEnd())
        {
            c.Incomplete(hopHint);
        }
        if (IosParseAddress(c.Peek().text))
        {
            r.nextHop = c.Address(hopHint);
        }
        else
        {
            IosInterfaceNameMatch m = IosMatchInterfaceName(c.Peek().text);
            if (m.result == IosKeywordMatch::Result::NONE)
            {
                c.Fail(hopHint);
            }
            r.interface = c.InterfaceName();
            if (!c.AtEnd() && IosParseAddress(c.Peek().text))
            {
                r.nextHop = c.Address(hopHint);
            }
        }
    }
    if (!c.AtEnd() && AllDigits(c.Peek().text))
    {
        r.distance = static_cast<uint8_t>(c.Number(1, 255, "expected a distance from 1 to 255"));
    }
    while (!c.AtEnd())
    {
        static const Words options = {"name", "permanent", "tag"};
        const size_t o = c.Keyword(options, "expected a distance, name, permanent or tag");
        if (o == 0)
        {
            c.Word("expected the route's name");
        }
        else if (o == 2)
        {
            c.Number(1, 4294967295u, "expected a tag from 1 to 4294967295");
        }
    }
    if (no)
    {
        auto& v = m_cfg.routes;
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosRoute& x)
                               {
                                   return x.network == r.network && x.mask == r.mask &&
                                          (r.interface.empty() || r.interface == x.interface) &&
                                          (!r.nextHop || r.nextHop == x.nextHop);
                               }),
                v.end());
        return;
    }
    m_cfg.routes.push_back(r);
}

// ------------------------------------------------------------------------------ access lists

std::pair<Ipv4Address, uint32_t>
Reader::AclAddress(IosCursor& c, bool extended, std::optional<size_t> keyword)
{
    const std::string hint = extended ? "expected any, host A.B.C.D or A.B.C.D WILDCARD"
                                      : "expected any, host A.B.C.D or A.B.C.D [WILDCARD]";
    if (!keyword)
    {
        if (c.AtEnd())
        {
            c.Incomplete(hint);
        }
        if (!IosParseAddress(c.Peek().text))
        {
            keyword = c.Keyword({"any", "host"}, hint);
        }
    }
    if (keyword && *keyword == 0)
    {
        return {Ipv4Address(), 0xffffffff};
    }
    if (keyword)
    {
        return {c.Address("expected the host's address A.B.C.D"), 0};
    }
    const Ipv4Address a = c.Address(hint);
    uint32_t w = 0;
    if (extended || (!c.AtEnd() && IosParseAddress(c.Peek().text)))
    {
        w = c.Address("expected a wildcard mask (1 bits = any), e.g. 0.0.0.255").Get();
    }
    // IOS keeps the address with its don't-care bits cleared.
    return {Ipv4Address(a.Get() & ~w), w};
}

uint16_t
Reader::PortValue(IosCursor& c, uint8_t protocol)
{
    const std::string hint = "expected a port number 0-65535 or name, e.g. www, isakmp";
    if (c.AtEnd())
    {
        c.Incomplete(hint);
    }
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        return static_cast<uint16_t>(c.Number(0, 65535, hint));
    }
    Words names;
    for (const auto& p : PortsOf(protocol))
    {
        names.emplace_back(p.name);
    }
    return PortsOf(protocol)[c.Keyword(names, hint)].number;
}

IpsecPortMatch
Reader::PortOp(IosCursor& c, size_t op, uint8_t protocol)
{
    IpsecPortMatch m;
    switch (op)
    {
    case 0:
        m.op = IpsecPortMatch::Op::EQ;
        break;
    case 1:
        m.op = IpsecPortMatch::Op::GT;
        break;
    case 2:
        m.op = IpsecPortMatch::Op::LT;
        break;
    case 3:
        m.op = IpsecPortMatch::Op::NEQ;
        break;
    default:
        m.op = IpsecPortMatch::Op::RANGE;
        break;
    }
    m.lo = PortValue(c, protocol);
    m.hi = m.lo;
    if (m.op == IpsecPortMatch::Op::RANGE)
    {
        const size_t t = c.Position();
        m.hi = PortValue(c, protocol);
        if (m.hi < m.lo)
        {
            c.FailAt(t, "the end of a range is not below its start");
        }
    }
    return m;
}

IosAclEntry
Reader::AclEntry(IosCursor& c, bool permit, bool extended)
{
    IosAclEntry e;
    e.permit = permit;
    e.where = c.Where();
    IpsecTrafficSelector& s = e.selector;
    std::string logWord;
    const Words logWords = {"log", "log-input"};
    if (!extended)
    {
        auto [a, w] = AclAddress(c, false, std::nullopt);
        s.srcAddr = a;
        s.srcWildcard = w;
        if (auto l = c.OptionalKeyword(logWords))
        {
            logWord = logWords[*l];
        }
        c.End("expected log");
        std::ostringstream os;
        os << (permit ? "permit " : "deny ");
        if (w == 0xffffffff)
        {
            os << "any";
        }
        else if (w == 0)
        {
            os << a;
        }
        else
        {
            os << a << ", wildcard bits " << Ipv4Address(w);
        }
        e.log = !logWord.empty();
        e.text = os.str() + (logWord.empty() ? "" : " " + logWord);
        return e;
    }

    // Protocol: a name or a number (0, like ip, is any protocol).
    const std::string protoHint =
        "expected a protocol: ip, tcp, udp, icmp, esp, ahp, gre, ... or a number 0-255";
    if (c.AtEnd())
    {
        c.Incomplete(protoHint);
    }
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        s.protocol = static_cast<uint8_t>(c.Number(0, 255, protoHint));
    }
    else
    {
        Words names;
        for (const auto& p : kProtocols)
        {
            names.emplace_back(p.name);
        }
        s.protocol = kProtocols[c.Keyword(names, protoHint)].number;
    }
    const bool ports = s.protocol == 6 || s.protocol == 17;
    const Words ops = {"eq", "gt", "lt", "neq", "range"};

    auto [sa, sw] = AclAddress(c, true, std::nullopt);
    s.srcAddr = sa;
    s.srcWildcard = sw;
    std::optional<size_t> dstKeyword;
    if (ports && !c.AtEnd() && !IosParseAddress(c.Peek().text))
    {
        // The source port, or the destination (`any`, `host`): one set of keywords.
        const Words next = Concat(ops, {"any", "host"});
        const size_t k = c.Keyword(next, "expected a port operator (eq, gt, lt, neq, range) "
                                         "or the destination");
        if (k < ops.size())
        {
            s.srcPort = PortOp(c, k, s.protocol);
        }
        else
        {
            dstKeyword = k - ops.size();
        }
    }
    auto [da, dw] = AclAddress(c, true, dstKeyword);
    s.dstAddr = da;
    s.dstWildcard = dw;
    if (!c.AtEnd())
    {
        const Words next = ports ? Concat(ops, logWords) : logWords;
        std::string hint =
            ports ? "expected a port operator, log or log-input" : "expected log or log-input";
        if (s.protocol == 1)
        {
            hint = "ICMP message types are not modelled; expected log or log-input";
        }
        if (ports && IosLower(c.Peek().text) == "established")
        {
            hint = "established is not modelled; expected a port operator, log or log-input";
        }
        const size_t k = c.Keyword(next, hint);
        if (ports && k < ops.size())
        {
            s.dstPort = PortOp(c, k, s.protocol);
            if (auto l = c.OptionalKeyword(logWords))
            {
                logWord = logWords[*l];
            }
        }
        else
        {
            logWord = next[k];
        }
    }
    c.End(ports ? "expected log or log-input" : "nothing more expected");
    e.log = !logWord.empty();
    e.text = IosAclLineText(permit, s) + (logWord.empty() ? "" : " " + logWord);
    return e;
}

void
Reader::AddAclEntry(const std::string& name, bool extended, IosAclEntry e, IosCursor& c,
                    size_t nameToken, std::optional<uint32_t> seq, size_t seqToken)
{
    auto it = m_cfg.accessLists.find(name);
    if (it != m_cfg.accessLists.end() && it->second.extended != extended)
    {
        c.FailAt(nameToken, "access list " + name + " is already a" +
                                (it->second.extended ? "n extended" : " standard") + " list");
    }
    if (it != m_cfg.accessLists.end() && seq)
    {
        for (const auto& x : it->second.entries)
        {
            if (x.seq == *seq)
            {
                c.FailWith(seqToken, "% Duplicate sequence number");
            }
        }
    }
    IosAccessList& acl = m_cfg.accessLists[name];
    acl.name = name;
    acl.extended = extended;
    e.seq = seq ? *seq : (acl.entries.empty() ? 10 : acl.entries.back().seq + 10);
    auto pos = std::upper_bound(acl.entries.begin(), acl.entries.end(), e.seq,
                                [](uint32_t s, const IosAclEntry& x) { return s < x.seq; });
    acl.entries.insert(pos, std::move(e));
}

void
Reader::NumberedAcl(IosCursor& c, bool no)
{
    const std::string hint = "expected an access list number: " + kAclNumbers;
    const size_t nameToken = c.Position();
    const uint64_t n = c.Number(1, 2699, hint);
    const AclKind kind = NumberedAclKind(n);
    if (kind == AclKind::INVALID)
    {
        c.FailAt(nameToken, hint);
    }
    const std::string name = std::to_string(n);
    if (no)
    {
        c.End();
        m_cfg.accessLists.erase(name);
        return;
    }
    static const Words actions = {"deny", "permit", "remark"};
    const size_t a = c.Keyword(actions);
    if (a == 2)
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    IosAclEntry e = AclEntry(c, a == 1, kind == AclKind::EXTENDED);
    AddAclEntry(name, kind == AclKind::EXTENDED, std::move(e), c, nameToken, std::nullopt, 0);
}

void
Reader::NamedAcl(IosCursor& c, bool no)
{
    const bool extended = c.Keyword({"extended", "standard"}) == 0;
    const size_t nameToken = c.Position();
    const std::string name = c.Word("expected the access list's name or number");
    c.End();
    if (AllDigits(name))
    {
        auto n = IosParseNumber(name);
        const AclKind kind = n ? NumberedAclKind(*n) : AclKind::INVALID;
        if (kind != (extended ? AclKind::EXTENDED : AclKind::STANDARD))
        {
            c.FailAt(nameToken, extended ? "expected a name or 100-199, 2000-2699"
                                         : "expected a name or 1-99, 1300-1999");
        }
    }
    auto it = m_cfg.accessLists.find(name);
    if (it != m_cfg.accessLists.end() && it->second.extended != extended)
    {
        c.FailAt(nameToken, "access list " + name + " is already a" +
                                (it->second.extended ? "n extended" : " standard") + " list");
    }
    if (no)
    {
        m_cfg.accessLists.erase(name);
        return;
    }
    IosAccessList& acl = m_cfg.accessLists[name];
    acl.name = name;
    acl.extended = extended;
    m_acl = name;
    Enter(Mode::ACL);
}

void
Reader::AclMode(IosCursor& c)
{
    IosAccessList& acl = m_cfg.accessLists.at(m_acl);
    std::optional<uint32_t> seq;
    const size_t seqToken = c.Position();
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        seq = static_cast<uint32_t>(
            c.Number(1, 2147483647, "expected a sequence number from 1 to 2147483647"));
    }
    static const Words words = {"deny", "exit", "no", "permit", "remark"};
    const size_t k = c.Keyword(words, "expected permit, deny, remark or no");
    const std::string word = words[k];
    if (seq && (word == "exit" || word == "no"))
    {
        c.FailAt(seqToken + 1, "expected permit, deny or remark after a sequence number");
    }
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (word == "remark")
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (word == "no")
    {
        auto& v = acl.entries;
        if (!c.AtEnd() && std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
        {
            const uint64_t s = c.Number(1, 2147483647, "expected a sequence number");
            c.End();
            v.erase(std::remove_if(v.begin(), v.end(),
                                   [&](const IosAclEntry& x) { return x.seq == s; }),
                    v.end());
            return;
        }
        const size_t a = c.Keyword({"deny", "permit", "remark"});
        if (a == 2)
        {
            return;
        }
        IosAclEntry e = AclEntry(c, a == 1, acl.extended);
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosAclEntry& x) { return x.text == e.text; }),
                v.end());
        return;
    }
    IosAclEntry e = AclEntry(c, word == "permit", acl.extended);
    AddAclEntry(m_acl, acl.extended, std::move(e), c, 0, seq, seqToken);
}

// ------------------------------------------------------------------------------ crypto

void
Reader::Ike(IosCursor& c)
{
    // Certificates and RSA keys (`crypto ca`, `crypto pki`, `crypto key`) and the IKE options of
    // a crypto map set (`crypto map NAME isakmp|client ...`) are read as not modelled, with the
    // blocks some of them open.
    NotModelled(c.Where(), &kPkiWords);
}

void
Reader::Isakmp(IosCursor& c, bool no)
{
    if (no && c.AtEnd())
    {
        c.End();
        m_cfg.isakmpEnabled = false; // `no crypto isakmp`, the older spelling
        return;
    }
    // Modelled: aggressive-mode, enable, identity, invalid-spi-recovery, keepalive, key, nat,
    // policy. The rest is IKE configuration we read without effect.
    static const Words words = {"aggressive-mode",
                                "call",
                                "client",
                                "default",
                                "diagnose",
                                "disconnect-revoked-peers",
                                "enable",
                                "fragmentation",
                                "identity",
                                "invalid-spi-recovery",
                                "keepalive",
                                "key",
                                "nat",
                                "peer",
                                "policy",
                                "profile",
                                "xauth"};
    const std::string word = words[c.Keyword(
        words, "expected policy, key, identity, keepalive, enable, nat, aggressive-mode, "
               "invalid-spi-recovery or another isakmp command")];
    if (word == "enable")
    {
        c.End();
        m_cfg.isakmpEnabled = !no;
    }
    else if (word == "policy")
    {
        const uint32_t priority =
            static_cast<uint32_t>(c.Number(1, 10000, "expected a priority from 1 to 10000"));
        c.End();
        if (no)
        {
            m_cfg.isakmpPolicies.erase(priority);
            return;
        }
        auto it = m_cfg.isakmpPolicies.find(priority);
        if (it == m_cfg.isakmpPolicies.end())
        {
            IosIsakmpPolicy p;
            p.priority = priority;
            p.where = c.Where();
            m_cfg.isakmpPolicies.emplace(priority, p);
        }
        m_policy = priority;
        Enter(Mode::ISAKMP_POLICY);
    }
    else if (word == "key")
    {
        IsakmpKey(c, no);
    }
    else if (word == "identity")
    {
        static const Words kinds = {"address", "dn", "hostname"};
        std::optional<size_t> k;
        if (!no || !c.AtEnd())
        {
            k = c.Keyword(kinds, "expected address, hostname or dn");
        }
        c.End();
        m_cfg.isakmpIdentity = no || *k == 0 ? IosIsakmpIdentity::ADDRESS
                               : *k == 1     ? IosIsakmpIdentity::DN
                                             : IosIsakmpIdentity::HOSTNAME;
    }
    else if (word == "keepalive")
    {
        if (no)
        {
            c.Seek(c.Tokens().size()); // `no crypto isakmp keepalive [S [R] [mode]]`
            m_cfg.isakmpKeepalive.reset();
            return;
        }
        IosIsakmpKeepalive k;
        k.seconds = static_cast<uint32_t>(
            c.Number(10, 3600, "expected the keepalive interval, 10 to 3600 seconds"));
        if (!c.AtEnd() && std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
        {
            k.retry = static_cast<uint32_t>(
                c.Number(2, 60, "expected the retry interval, 2 to 60 seconds"));
        }
        if (auto m = c.OptionalKeyword({"on-demand", "periodic"}))
        {
            k.periodic = *m == 1;
        }
        c.End("expected a retry interval (2-60), periodic or on-demand");
        k.where = c.Where();
        m_cfg.isakmpKeepalive = k;
    }
    else if (word == "nat")
    {
        c.Keyword({"keepalive"});
        if (no)
        {
            c.Seek(c.Tokens().size());
            m_cfg.natKeepaliveSeconds.reset();
            return;
        }
        const uint64_t v = c.Number(5, 3600,
                                    "expected the NAT keepalive interval, 5 to 3600 "
                                    "seconds");
        c.End();
        m_cfg.natKeepaliveSeconds = static_cast<uint32_t>(v);
    }
    else if (word == "invalid-spi-recovery")
    {
        c.End();
        m_cfg.invalidSpiRecovery = !no;
    }
    else if (word == "aggressive-mode")
    {
        c.Keyword({"disable"});
        c.End();
        m_cfg.aggressiveModeDisabled = !no;
    }
    else
    {
        NotModelled(c.Where(), &kIsakmpBlockWords);
    }
}

void
Reader::IsakmpKey(IosCursor& c, bool no)
{
    static const Words kinds = {"address", "hostname"};
    IosIsakmpKey k;
    // `key 0 KEY address ...` / `key 6 KEY address ...`: a digit followed by a key and the peer
    // is the encryption type; `key 6 address A` is the key "6".
    const size_t pos = c.Position();
    if (!c.AtEnd() && (c.Peek().text == "0" || c.Peek().text == "6") &&
        pos + 2 < c.Tokens().size() &&
        IosMatchKeyword(c.Tokens()[pos + 2].text, kinds).result == IosKeywordMatch::Result::UNIQUE)
    {
        k.encryptionType = static_cast<uint8_t>(c.Word("") == "6" ? 6 : 0);
    }
    k.key = c.Word("expected the pre-shared key (0 or 6 first for its encryption type)");
    const bool byAddress = c.Keyword(kinds, "expected address or hostname") == 0;
    if (byAddress)
    {
        k.address = c.Address("expected the peer's address A.B.C.D");
        if (!c.AtEnd() && IosParseAddress(c.Peek().text))
        {
            const size_t maskToken = c.Position();
            const uint32_t m = c.Address("").Get();
            if (!Contiguous(m))
            {
                std::ostringstream os;
                os << "% Bad mask " << Hex32(m) << " for address " << k.address;
                c.FailWith(maskToken, os.str());
            }
            k.mask = Ipv4Mask(m);
        }
    }
    else
    {
        k.hostname = c.Word("expected the peer's host name");
    }
    k.noXauth = c.OptionalKeyword({"no-xauth"}).has_value();
    c.End(byAddress ? "expected a mask or no-xauth" : "expected no-xauth");
    k.where = c.Where();
    auto& v = m_cfg.isakmpKeys;
    auto same = [&](const IosIsakmpKey& x)
    {
        return byAddress ? x.hostname.empty() && x.address == k.address && x.mask == k.mask
                         : IosLower(x.hostname) == IosLower(k.hostname);
    };
    if (no)
    {
        v.erase(std::remove_if(v.begin(), v.end(), same), v.end());
        return;
    }
    auto it = std::find_if(v.begin(), v.end(), same);
    if (it != v.end())
    {
        *it = k; // a new key for the same peer replaces the old one
    }
    else
    {
        v.push_back(k);
    }
}

void
Reader::IsakmpPolicyMode(IosCursor& c)
{
    static const Words words = {"authentication", "default", "encryption", "exit",
                                "group",          "hash",    "lifetime",   "no"};
    const std::string hint = "expected encryption, hash, authentication, group, lifetime or exit";
    std::string word = words[c.Keyword(words, hint)];
    bool reset = false;
    if (word == "no" || word == "default")
    {
        reset = true;
        const size_t at = c.Position();
        word = words[c.Keyword(words, "expected encryption, hash, authentication, group or "
                                      "lifetime")];
        if (word == "no" || word == "default" || word == "exit")
        {
            c.FailAt(at, "expected encryption, hash, authentication, group or lifetime");
        }
    }
    IosIsakmpPolicy& p = m_cfg.isakmpPolicies.at(m_policy);
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (reset)
    {
        // `no hash [md5]` and the like: back to the default of the suite.
        c.Seek(c.Tokens().size());
        const IosIsakmpPolicy d;
        if (word == "encryption")
        {
            p.encryption = d.encryption;
        }
        else if (word == "hash")
        {
            p.hash = d.hash;
        }
        else if (word == "authentication")
        {
            p.authentication = d.authentication;
        }
        else if (word == "group")
        {
            p.group = d.group;
        }
        else
        {
            p.lifetimeSeconds = d.lifetimeSeconds;
        }
        return;
    }
    if (word == "encryption")
    {
        static const Words ciphers = {"3des", "aes", "des"};
        const size_t e = c.Keyword(ciphers, "expected des, 3des or aes");
        IosIsakmpEncryption v = e == 0 ? IosIsakmpEncryption::TRIPLE_DES : IosIsakmpEncryption::DES;
        if (e == 1)
        {
            v = IosIsakmpEncryption::AES_128;
            static const Words bits = {"128", "192", "256"};
            if (!c.AtEnd())
            {
                const size_t b = c.Keyword(bits, "expected the AES key length: 128, 192 or 256");
                v = b == 0   ? IosIsakmpEncryption::AES_128
                    : b == 1 ? IosIsakmpEncryption::AES_192
                             : IosIsakmpEncryption::AES_256;
            }
        }
        c.End();
        p.encryption = v;
    }
    else if (word == "hash")
    {
        static const Words hashes = {"md5", "sha", "sha256", "sha384", "sha512"};
        static const IosIsakmpHash values[] = {IosIsakmpHash::MD5, IosIsakmpHash::SHA,
                                               IosIsakmpHash::SHA256, IosIsakmpHash::SHA384,
                                               IosIsakmpHash::SHA512};
        const size_t h = c.Keyword(hashes, "expected md5 or sha (or sha256, sha384, sha512)");
        c.End();
        p.hash = values[h];
    }
    else if (word == "authentication")
    {
        static const Words methods = {"pre-share", "rsa-encr", "rsa-sig"};
        static const IosIsakmpAuthentication values[] = {IosIsakmpAuthentication::PRE_SHARE,
                                                         IosIsakmpAuthentication::RSA_ENCR,
                                                         IosIsakmpAuthentication::RSA_SIG};
        const size_t a = c.Keyword(methods, "expected pre-share, rsa-sig or rsa-encr");
        c.End();
        p.authentication = values[a];
    }
    else if (word == "group")
    {
        // The groups are keywords in IOS (`group ?` lists 1, 2, 5 ...), so "1" is group 1 and
        // not an abbreviation of 14.
        static const Words groups = {"1", "14", "2", "5"};
        static const uint8_t values[] = {1, 14, 2, 5};
        const size_t g = c.Keyword(groups, "expected a Diffie-Hellman group: 1, 2, 5 or 14");
        c.End();
        p.group = values[g];
    }
    else // lifetime
    {
        const uint64_t v = c.Number(60, 86400, "expected the lifetime, 60 to 86400 seconds");
        c.End();
        p.lifetimeSeconds = static_cast<uint32_t>(v);
    }
}

void
Reader::GlobalCrypto(IosCursor& c, bool no)
{
    static const Words words = {"ca",  "dynamic-map", "ipsec", "isakmp",
                                "key", "keyring",     "map",   "pki"};
    const std::string word = words[c.Keyword(words)];
    if (word == "ipsec")
    {
        CryptoIpsec(c, no);
    }
    else if (word == "map")
    {
        CryptoMap(c, no, false);
    }
    else if (word == "dynamic-map")
    {
        CryptoMap(c, no, true);
    }
    else if (word == "isakmp")
    {
        Isakmp(c, no);
    }
    else if (word == "keyring")
    {
        NotModelled(c.Where(), &kIsakmpBlockWords); // keyrings (12.2(15)T) are not modelled
    }
    else
    {
        Ike(c);
    }
}

void
Reader::CryptoIpsec(IosCursor& c, bool no)
{
    static const Words words = {"df-bit", "fragmentation", "nat-transparency",
                                "security-association", "transform-set"};
    const std::string word = words[c.Keyword(words)];
    if (word == "security-association")
    {
        c.Keyword({"lifetime"});
        const bool seconds = c.Keyword({"kilobytes", "seconds"}) == 1;
        if (no)
        {
            c.End();
            if (seconds)
            {
                m_cfg.lifetimeSeconds = 3600;
            }
            else
            {
                m_cfg.lifetimeKilobytes = 4608000;
            }
            return;
        }
        const uint64_t v =
            seconds ? c.Number(120, 86400, "expected seconds from 120 to 86400")
                    : c.Number(2560, 536870912, "expected kilobytes from 2560 to 536870912");
        c.End();
        if (seconds)
        {
            m_cfg.lifetimeSeconds = static_cast<uint32_t>(v);
        }
        else
        {
            m_cfg.lifetimeKilobytes = v;
        }
    }
    else if (word == "transform-set")
    {
        const std::string name = c.Word("expected the transform set's name");
        if (no)
        {
            c.End();
            m_cfg.transformSets.erase(name);
            return;
        }
        if (c.AtEnd())
        {
            c.Incomplete("expected transforms, e.g. esp-3des esp-sha-hmac");
        }
        const size_t first = c.Position();
        std::vector<std::string> words;
        for (size_t i = first; i < c.Tokens().size(); ++i)
        {
            words.push_back(IosLower(c.Tokens()[i].text));
        }
        IpsecTransformSet ts;
        try
        {
            ts = IpsecTransformSet::Parse(words);
        }
        catch (const TransformSetError& e)
        {
            const size_t token = first + std::min(e.Token(), words.size() - 1);
            const std::string what = e.what();
            if (what.rfind("ambiguous", 0) == 0)
            {
                // "ambiguous transform 'esp-s' (esp-sha-hmac, esp-sha256-hmac, ...)"
                std::vector<std::string> candidates;
                const size_t open = what.find('(');
                const size_t close = what.rfind(')');
                if (open != std::string::npos && close != std::string::npos && close > open)
                {
                    std::istringstream list(what.substr(open + 1, close - open - 1));
                    for (std::string w; std::getline(list, w, ',');)
                    {
                        const size_t b = w.find_first_not_of(' ');
                        if (b != std::string::npos)
                        {
                            candidates.push_back(w.substr(b));
                        }
                    }
                }
                c.Ambiguous(token, candidates);
            }
            c.FailAt(token, what);
        }
        c.Seek(c.Tokens().size());
        ts.name = name;
        auto it = m_cfg.transformSets.find(name);
        if (it != m_cfg.transformSets.end())
        {
            ts.mode = it->second.mode; // a new list of transforms keeps the mode
        }
        m_cfg.transformSets[name] = ts;
        m_transform = name;
        Enter(Mode::TRANSFORM);
    }
    else if (word == "nat-transparency")
    {
        // NAT traversal (RFC 3947/3948) is on by default; `no ... udp-encapsulation` turns it off.
        const bool udp = c.Keyword({"spi-matching", "udp-encapsulation"}) == 1;
        c.End();
        if (udp)
        {
            m_cfg.natTransparency = !no;
        }
        else
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else
    {
        m_cfg.notModelled.push_back(c.Where());
    }
}

void
Reader::TransformMode(IosCursor& c)
{
    static const Words words = {"exit", "mode", "no"};
    const size_t k = c.Keyword(words, "expected mode or exit");
    if (k == 0)
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    const bool no = k == 2;
    if (no)
    {
        c.Keyword({"mode"});
    }
    // `mode` alone, like `no mode`, is the default: tunnel.
    const auto m = c.OptionalKeyword({"transport", "tunnel"});
    if (!m && !c.AtEnd())
    {
        c.Fail("expected tunnel or transport");
    }
    c.End();
    m_cfg.transformSets[m_transform].mode =
        !no && m && *m == 0 ? IpsecMode::TRANSPORT : IpsecMode::TUNNEL;
}

void
Reader::CryptoMap(IosCursor& c, bool no, bool dynamic)
{
    const std::string name =
        c.Word(dynamic ? "expected the dynamic map's name" : "expected the crypto map's name");
    const std::string seqHint = "expected a sequence number from 1 to 65535";
    if (!dynamic && !c.AtEnd() && !std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        static const Words words = {"client", "isakmp", "local-address"};
        const size_t k = c.Keyword(words, seqHint + ", or local-address");
        if (k < 2)
        {
            Ike(c); // IKE options of the map set
            return;
        }
        if (no)
        {
            c.Seek(c.Tokens().size());
            m_cfg.localAddress.erase(name);
            return;
        }
        const std::string iface = c.InterfaceName();
        c.End();
        m_cfg.localAddress[name] = iface;
        return;
    }
    if (no && c.AtEnd())
    {
        auto& v = dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
        for (const auto& e : v)
        {
            if (e.map == name)
            {
                m_transformRef.erase(EntryKey{dynamic, name, e.seq});
                m_matchRef.erase(EntryKey{dynamic, name, e.seq});
            }
        }
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosCryptoMapEntry& e) { return e.map == name; }),
                v.end());
        return;
    }
    const uint32_t seq = static_cast<uint32_t>(c.Number(1, 65535, seqHint));
    EntryKey key{dynamic, name, seq};
    IosCryptoMapEntry* existing = FindEntry(key);
    std::optional<IosCryptoMapKind> kind;
    std::string dynamicMap;
    const size_t kindToken = c.Position();
    if (!dynamic && !no && !c.AtEnd())
    {
        if (auto k = c.OptionalKeyword({"ipsec-isakmp", "ipsec-manual"}))
        {
            kind = *k == 0 ? IosCryptoMapKind::IPSEC_ISAKMP : IosCryptoMapKind::IPSEC_MANUAL;
            if (*k == 0 && c.OptionalKeyword({"dynamic"}))
            {
                dynamicMap = c.Word("expected the dynamic crypto map's name");
                kind = IosCryptoMapKind::DYNAMIC_REFERENCE;
            }
        }
        else
        {
            c.Fail("expected ipsec-manual or ipsec-isakmp");
        }
    }
    if (no)
    {
        c.Seek(c.Tokens().size()); // `no crypto map NAME SEQ [ipsec-...]`
    }
    c.End();
    if (no)
    {
        auto& v = dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosCryptoMapEntry& e)
                               { return e.map == name && e.seq == seq; }),
                v.end());
        m_transformRef.erase(key);
        m_matchRef.erase(key);
        return;
    }
    if (dynamic)
    {
        kind = IosCryptoMapKind::DYNAMIC_TEMPLATE;
    }
    if (existing)
    {
        if (kind && *kind != existing->kind)
        {
            c.FailWith(kindToken, std::string("% Crypto map entry ") + name + " " +
                                      std::to_string(seq) + " is " + KindText(existing->kind) +
                                      "; remove it (no crypto map " + name + " " +
                                      std::to_string(seq) + ") to change its type");
        }
        if (existing->kind == IosCryptoMapKind::DYNAMIC_REFERENCE &&
            dynamicMap != existing->dynamicMap && !dynamicMap.empty())
        {
            existing->dynamicMap = dynamicMap;
        }
    }
    else
    {
        IosCryptoMapEntry e;
        e.map = name;
        e.seq = seq;
        e.kind = kind.value_or(IosCryptoMapKind::IPSEC_ISAKMP);
        e.dynamicMap = dynamicMap;
        e.where = c.Where();
        (dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps).push_back(e);
    }
    // An entry that refers to a dynamic map set has no sub-commands of its own.
    if (kind.value_or(existing ? existing->kind : IosCryptoMapKind::IPSEC_ISAKMP) !=
        IosCryptoMapKind::DYNAMIC_REFERENCE)
    {
        m_entry = key;
        Enter(Mode::CRYPTO_MAP);
    }
}

namespace
{
std::optional<std::vector<uint8_t>>
ParseHex(const std::string& s)
{
    if (s.empty() || s.size() % 2 != 0)
    {
        return std::nullopt;
    }
    std::vector<uint8_t> out;
    for (size_t i = 0; i < s.size(); i += 2)
    {
        if (!std::isxdigit(static_cast<unsigned char>(s[i])) ||
            !std::isxdigit(static_cast<unsigned char>(s[i + 1])))
        {
            return std::nullopt;
        }
        out.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
    }
    return out;
}
} // namespace

void
Reader::CryptoMapMode(IosCursor& c)
{
    IosCryptoMapEntry& e = *FindEntry(m_entry);
    const bool manual = e.kind == IosCryptoMapKind::IPSEC_MANUAL;
    static const Words words = {"description", "exit", "match", "no", "set"};
    bool no = false;
    size_t k = c.Keyword(words, "expected set, match, description or exit");
    if (words[k] == "no")
    {
        no = true;
        const size_t at = c.Position();
        k = c.Keyword(words, "expected set, match or description");
        if (words[k] == "no" || words[k] == "exit")
        {
            c.FailAt(at, "expected set, match or description");
        }
    }
    const std::string word = words[k];
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (word == "description")
    {
        const std::string text = c.Rest();
        if (!no && text.empty())
        {
            c.Incomplete("expected the description text");
        }
        e.description = no ? "" : text;
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (word == "match")
    {
        c.Keyword({"address"});
        if (no)
        {
            if (!c.AtEnd())
            {
                c.Word("");
            }
            c.End();
            e.matchAddress.clear();
            m_matchRef.erase(m_entry);
            return;
        }
        const std::string hint = "expected an extended access list: 100-199, 2000-2699 or a name";
        const size_t t = c.Position();
        const size_t column = c.AtEnd() ? 0 : c.Peek().column;
        const std::string acl = c.Word(hint);
        if (AllDigits(acl))
        {
            auto n = IosParseNumber(acl);
            if (!n || NumberedAclKind(*n) != AclKind::EXTENDED)
            {
                c.FailAt(t, hint);
            }
        }
        c.End();
        e.matchAddress = acl;
        m_matchRef[m_entry] = Reference{c.Where(), column, acl};
        return;
    }
    // set ...
    static const Words setWords = {"peer", "pfs", "security-association", "session-key",
                                   "transform-set"};
    const size_t setToken = c.Position();
    const std::string what = setWords[c.Keyword(setWords)];
    if (what == "peer")
    {
        const size_t t = c.Position();
        const std::string peer = c.Word("expected the peer's address or host name");
        if (std::isdigit(static_cast<unsigned char>(peer[0])) && !IosParseAddress(peer))
        {
            c.FailAt(t, "expected the peer's address A.B.C.D or host name");
        }
        c.End();
        auto& v = e.peers;
        if (no)
        {
            v.erase(std::remove(v.begin(), v.end(), peer), v.end());
            return;
        }
        if (std::find(v.begin(), v.end(), peer) != v.end())
        {
            return;
        }
        if (manual && !v.empty())
        {
            c.FailWith(t, "% An ipsec-manual entry has only one peer (this one has " + v.front() +
                              "): manual security associations are set up with one peer");
        }
        v.push_back(peer);
    }
    else if (what == "transform-set")
    {
        if (no)
        {
            c.Seek(c.Tokens().size());
            e.transformSets.clear();
            m_transformRef.erase(m_entry);
            return;
        }
        std::vector<std::string> names;
        std::vector<Reference> refs;
        if (c.AtEnd())
        {
            c.Incomplete("expected the name of a transform set");
        }
        while (!c.AtEnd())
        {
            const size_t t = c.Position();
            if (manual && !names.empty())
            {
                c.FailWith(t, "% An ipsec-manual entry has exactly one transform set: without "
                              "IKE nothing is negotiated");
            }
            if (names.size() == 6)
            {
                c.FailAt(t, "at most six transform sets");
            }
            refs.push_back(Reference{c.Where(), c.Peek().column, c.Peek().text});
            names.push_back(c.Word(""));
        }
        e.transformSets = names;
        m_transformRef[m_entry] = refs;
    }
    else if (what == "pfs")
    {
        static const Words groups = {"group1", "group14", "group2", "group5"};
        static const int numbers[] = {1, 14, 2, 5};
        std::optional<size_t> g;
        if (!no || !c.AtEnd())
        {
            g = c.OptionalKeyword(groups);
            if (!g && !c.AtEnd())
            {
                c.Fail("expected group1, group2, group5 or group14");
            }
        }
        c.End();
        if (no)
        {
            e.pfsGroup.reset();
            return;
        }
        e.pfsGroup = g ? numbers[*g] : 1; // `set pfs` alone asks for group 1
    }
    else if (what == "security-association")
    {
        const size_t k2 = c.Keyword({"level", "lifetime"});
        if (k2 == 0)
        {
            c.Keyword({"per-host"});
            c.End();
            e.perHost = !no;
            return;
        }
        const bool seconds = c.Keyword({"kilobytes", "seconds"}) == 1;
        if (no)
        {
            if (!c.AtEnd())
            {
                c.Word("");
            }
            c.End();
            (seconds ? e.lifetimeSeconds.reset() : e.lifetimeKilobytes.reset());
            return;
        }
        const uint64_t v =
            seconds ? c.Number(120, 86400, "expected seconds from 120 to 86400")
                    : c.Number(2560, 536870912, "expected kilobytes from 2560 to 536870912");
        c.End();
        if (seconds)
        {
            e.lifetimeSeconds = static_cast<uint32_t>(v);
        }
        else
        {
            e.lifetimeKilobytes = v;
        }
    }
    else if (what == "session-key")
    {
        if (!manual)
        {
            c.FailAt(setToken, "session keys are set only in ipsec-manual entries (this one is " +
                                   std::string(KindText(e.kind)) + ")");
        }
        IosSessionKey key;
        key.inbound = c.Keyword({"inbound", "outbound"}) == 0;
        const bool esp = c.Keyword({"ah", "esp"}) == 1;
        key.protocol = esp ? IpsecProtocol::ESP : IpsecProtocol::AH;
        auto sameSlot = [&](const IosSessionKey& x)
        { return x.inbound == key.inbound && x.protocol == key.protocol; };
        if (no)
        {
            c.Seek(c.Tokens().size());
            auto& v = e.sessionKeys;
            v.erase(std::remove_if(v.begin(), v.end(), sameSlot), v.end());
            return;
        }
        key.spi = static_cast<uint32_t>(
            c.Number(256, 4294967295u, "expected an SPI from 256 to 4294967295", true));
        const std::string hexHint = "expected the key in hexadecimal (an even number of digits)";
        auto hex = [&]()
        {
            const size_t t = c.Position();
            auto v = ParseHex(c.Word(hexHint));
            if (!v)
            {
                c.FailAt(t, hexHint);
            }
            return *v;
        };
        if (!esp)
        {
            key.authKey = hex();
        }
        else
        {
            const size_t k3 = c.Keyword({"authenticator", "cipher"});
            if (k3 == 1)
            {
                key.cipherKey = hex();
                if (c.OptionalKeyword({"authenticator"}))
                {
                    key.authKey = hex();
                }
            }
            else
            {
                key.authKey = hex();
            }
        }
        c.End();
        auto& v = e.sessionKeys;
        auto it = std::find_if(v.begin(), v.end(), sameSlot);
        if (it != v.end())
        {
            *it = key;
        }
        else
        {
            v.push_back(key);
        }
    }
}

// ------------------------------------------------------------------------------ the entry points

std::string
Reader::EndMode() const
{
    switch (m_mode)
    {
    case Mode::INTERFACE:
        return "config-if";
    case Mode::CRYPTO_MAP:
        return "config-crypto-map";
    case Mode::TRANSFORM:
        return "cfg-crypto-trans";
    case Mode::ACL: {
        auto acl = m_cfg.accessLists.find(m_acl);
        return acl != m_cfg.accessLists.end() && !acl->second.extended ? "config-std-nacl"
                                                                        : "config-ext-nacl";
    }
    case Mode::ISAKMP_POLICY:
        return "config-isakmp";
    case Mode::GLOBAL:
    case Mode::IGNORED:
        break;
    }
    return "config";
}

} // namespace

std::string
IosAclLineText(bool permit, const IpsecTrafficSelector& s)
{
    std::ostringstream os;
    os << (permit ? "permit " : "deny ") << ProtocolText(s.protocol) << " "
       << AddrText(s.srcAddr, s.srcWildcard) << PortText(s.protocol, s.srcPort) << " "
       << AddrText(s.dstAddr, s.dstWildcard) << PortText(s.protocol, s.dstPort);
    return os.str();
}

IosRouterConfig
IosConfigReader::Parse(const std::string& text, const std::string& fileName)
{
    return Reader(fileName).Run(text);
}

IosRouterConfig
IosConfigReader::Parse(const std::string& text, const std::string& fileName, std::string& endMode)
{
    Reader reader(fileName);
    IosRouterConfig cfg = reader.Run(text);
    endMode = reader.EndMode();
    return cfg;
}

IosRouterConfig
IosConfigReader::ParseFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("cannot read IOS configuration " + path);
    }
    std::ostringstream os;
    os << in.rdbuf();
    return Parse(os.str(), path);
}

} // namespace ns3
