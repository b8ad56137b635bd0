// The words of IOS configuration the reader knows: blocks and commands it reads but does not
// model, protocol and port names, and the text forms of addresses and ports.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{
namespace ios_config
{

/** Global commands we read but do not model, each followed by anything. */
const Words kGlobalNotModelled = {
    "aaa",         "alias",       "boot",     "boot-end-marker", "boot-start-marker",
    "cdp",         "class-map",   "clock",    "config-register", "control-plane",
    "enable",      "key",         "line",     "logging",         "memory-size",
    "ntp",         "policy-map",  "router",   "scheduler",       "service",
    "snmp-server", "tftp-server", "username",
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

/** `ip ...` global commands we read but do not model. Any other `ip` word is read as not
 *  modelled too, unless it is close to one of kIpModelled; the words here are those that are. */
const Words kIpNotModelled = {
    "mroute",
    "bootp",
    "classless",
    "dhcp",
    "domain",
    "domain-list",
    "domain-lookup",
    "domain-name",
    "finger",
    "flow-export",
    "forward-protocol",
    "ftp",
    "host",
    "http",
    "multicast-routing",
    "name-server",
    "nat",
    "rcmd",
    "scp",
    "source-route",
    "ssh",
    "subnet-zero",
    "tcp",
    "telnet",
    "tftp",
};

/** Interface sub-commands we read but do not model. */
const Words kIfNotModelled = {
    "bandwidth",  "cdp",          "clock",         "delay",          "dce-terminal-timing-enable",
    "duplex",     "fair-queue",   "frame-relay",   "full-duplex",    "half-duplex",
    "hold-queue", "keepalive",    "load-interval", "media-type",     "mop",
    "mtu",        "negotiation",  "ppp",           "service-policy", "snmp",
    "speed",      "tx-ring-limit"};
/** `ip ...` interface sub-commands we read but do not model. */
const Words kIfIpNotModelled = {"cgmp",      "directed-broadcast",
                                "flow",      "helper-address",
                                "igmp",      "mroute-cache",
                                "mtu",       "nat",
                                "ospf",      "pim",
                                "proxy-arp", "redirects",
                                "rip",       "split-horizon",
                                "tcp",       "unreachables",
                                "verify",    "virtual-reassembly"};

/** Interface types of later platforms that take no part in the simulation: `interface X` with
 *  one of them is read, with its block, as not modelled. */
const Words kOtherInterfaceTypes = {
    "AppGigabitEthernet",
    "FiveGigabitEthernet",
    "FortyGigabitEthernet",
    "HundredGigE",
    "TwentyFiveGigE",
    "TwoGigabitEthernet",
    "Analysis-Module",
    "Auto-Template",
    "BDI",
    "BVI",
    "CEM",
    "Cellular",
    "Dot11Radio",
    "Embedded-Service-Engine",
    "Ethernet-Internal",
    "Group-Async",
    "Integrated-Service-Engine",
    "LISP",
    "NVI",
    "Service-Engine",
    "ucse",
    "Virtual-PPP",
    "Wlan-GigabitEthernet",
    "Wlan-Controller",
    "nve",
    "Vif",
};

const Words kGlobalModelled = {"access-list", "banner",    "crypto",
                               "hostname",    "interface", "ip", "version"};
const Words kIpModelled = {"access-list", "cef",         "domain-lookup", "domain-name",
                           "host",        "name-server", "nat",           "route"};

/** The families of `crypto` commands being modelled now; until each is, its commands are read
 *  and listed as not modelled with their blocks. Move a family out of this table when it is. */
const std::vector<CryptoNotModelled> kCryptoNotModelled = {};

Words
Concat(Words a, const Words& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

const std::vector<Protocol> kProtocols = {
    {"ahp", 51},  {"eigrp", 88}, {"esp", 50},  {"gre", 47},   {"icmp", 1},
    {"igmp", 2},  {"igrp", 9},   {"ip", 0},    {"ipinip", 4}, {"nos", 94},
    {"ospf", 89}, {"pcp", 108},  {"pim", 103}, {"tcp", 6},    {"udp", 17},
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

} // namespace ios_config
} // namespace ns3
