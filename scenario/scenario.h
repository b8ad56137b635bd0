// A simulation scenario for ipsec-sim, read from JSON: nodes (routers configured in IOS syntax,
// hosts with one address), links (serial or Ethernet), traffic and timed events. The loader
// checks everything it can before ns-3 is touched: the JSON itself (unknown keys, types, units,
// names), each router's configuration, and the topology as a graph (unconnected nodes, duplicate
// addresses, crypto peers the configured routes cannot reach). Every fault carries the JSON
// Pointer (RFC 6901) of the value that caused it. doc/scenario-format.md describes the format.
#ifndef IPSEC_SCENARIO_H
#define IPSEC_SCENARIO_H

#include "ns3/ios-config.h"
#include "ns3/ios-pki.h"

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <boost/graph/adjacency_list.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/** One fault (or warning) in a scenario, at a JSON Pointer into the scenario file. */
struct ScenarioIssue
{
    std::string pointer; //!< RFC 6901, e.g. "/links/1/a"; empty for the whole document
    std::string message;
    bool warning = false;

    /** "FILE: POINTER: MESSAGE" (the pointer left out when empty). */
    std::string Format(const std::string& file) const;
};

/** A scenario that cannot be run; what() lists every error, one per line. */
class ScenarioError : public std::runtime_error
{
public:
    ScenarioError(const std::string& file, std::vector<ScenarioIssue> issues);
    const std::string& File() const
    {
        return m_file;
    }
    /** Errors only, in document order. */
    const std::vector<ScenarioIssue>& Issues() const
    {
        return m_issues;
    }

private:
    std::string m_file;
    std::vector<ScenarioIssue> m_issues;
};

enum class ScenarioNodeKind : uint8_t
{
    ROUTER,   //!< IpsecStackHelper + IosRouter from an IOS configuration
    HOST,     //!< InternetStackHelper, one address, a default route to its gateway
    EXTERNAL, //!< a real host in a Linux network namespace, reached through a TAP device
};

/** "router", "host", "external" */
std::string ToString(ScenarioNodeKind k);

/** "certificate" of an external node: a key pair and a certificate from a scenario CA,
 *  exported as pki/NODE.key.pem and pki/NODE.cert.pem (doc/pki.md). */
struct ScenarioNodeCertificate
{
    std::string ca;                  //!< the issuing CA's name
    std::string subject;             //!< distinguished name, "CN=moon,O=Lab"
    std::vector<std::string> sanIp;  //!< "san" entries that are addresses
    std::vector<std::string> sanDns; //!< the other "san" entries
    uint32_t keySize = 2048;         //!< "key-size"
};

struct ScenarioNode
{
    std::string name;
    ScenarioNodeKind kind = ScenarioNodeKind::ROUTER;
    std::string pointer; //!< "/nodes/N"

    // Routers
    IosRouterConfig config;
    std::string configFile; //!< as displayed in messages; empty for inline lines
    bool inlineConfig = false;

    /** Routers: the hardware ("platform", "modules"); empty platform = untimed crypto. */
    std::string platform;
    std::vector<std::string> modules;

    // Hosts and external nodes
    Ipv4Address address;
    Ipv4Mask mask = Ipv4Mask::GetOnes();
    std::optional<Ipv4Address> gateway;
    std::string hostInterface; //!< the name links use for the interface ("eth0"; "tap0")

    // External nodes
    std::string netns; //!< the Linux network namespace (/var/run/netns/NAME)
    /** Further addresses and networks the external host has or routes (its lo, its TAP). */
    std::vector<std::pair<Ipv4Address, Ipv4Mask>> networks;
    std::optional<ScenarioNodeCertificate> certificate; //!< "certificate"

    bool IsRouter() const
    {
        return kind == ScenarioNodeKind::ROUTER;
    }
    bool IsExternal() const
    {
        return kind == ScenarioNodeKind::EXTERNAL;
    }
    /** @p a is this host's or external node's address, or in one of its networks. */
    bool Owns(Ipv4Address a) const;
};

enum class ScenarioLinkType : uint8_t
{
    SERIAL,   //!< ns-3 PointToPoint; framing from the IOS `encapsulation`
    ETHERNET, //!< ns-3 CSMA; links naming the same Ethernet interface share one segment
};

std::string ToString(ScenarioLinkType t);

/** One end of a link: a node and one of its interfaces (canonical IOS name for routers). */
struct ScenarioEndpoint
{
    uint32_t node = 0;
    std::string interface;

    bool operator==(const ScenarioEndpoint& o) const
    {
        return node == o.node && interface == o.interface;
    }
    bool operator<(const ScenarioEndpoint& o) const
    {
        return node != o.node ? node < o.node : interface < o.interface;
    }
};

struct ScenarioLink
{
    ScenarioEndpoint a;
    ScenarioEndpoint b;
    ScenarioLinkType type = ScenarioLinkType::ETHERNET;
    DataRate rate;
    Time delay;
    uint32_t segment = 0; //!< index into Scenario::segments
    std::string pointer;  //!< "/links/N"
    /** "errors": frames lost (`loss`) or delivered with one bit flipped (`corrupt`), each a
     *  probability per frame received; they apply to the link's whole segment. */
    double loss = 0;
    double corrupt = 0;
    bool hasErrors = false; //!< the link gave "errors"
};

/** A medium: a serial line (exactly two ends) or an Ethernet segment (two or more). */
struct ScenarioSegment
{
    ScenarioLinkType type = ScenarioLinkType::ETHERNET;
    std::vector<ScenarioEndpoint> ends; //!< in order of first appearance in "links"
    DataRate rate;
    Time delay;
    std::vector<uint32_t> links; //!< the links that make it up
    /** Index in `ends` of an external node (the TAP side), or -1: an ordinary medium. */
    int32_t externalEnd = -1;
    /** Error model of the medium (from its links' "errors"): per frame received. */
    double loss = 0;
    double corrupt = 0;
    bool HasErrors() const
    {
        return loss > 0 || corrupt > 0;
    }
};

enum class ScenarioTrafficKind : uint8_t
{
    UDP,  //!< OnOff at a constant rate into a PacketSink
    PING, //!< V4Ping, `count` echo requests
    TCP,  //!< BulkSend of `bytes` into a PacketSink
};

std::string ToString(ScenarioTrafficKind k);

struct ScenarioTraffic
{
    ScenarioTrafficKind kind = ScenarioTrafficKind::UDP;
    uint32_t from = 0;
    uint32_t toNode = 0;
    Ipv4Address to;
    std::string toText; //!< as written
    DataRate rate;      //!< udp
    uint32_t size = 0;  //!< udp payload, ping payload, tcp segment size
    uint16_t port = 0;  //!< udp, tcp
    uint32_t count = 0; //!< ping
    Time interval;      //!< ping
    uint64_t bytes = 0; //!< tcp; 0: as many as possible until stop
    Time start;
    Time stop;
    std::string pointer; //!< "/traffic/N"
    /** udp "pattern": "poisson": exponential gaps at the same mean rate (default "cbr"). */
    bool poisson = false;
    /** udp "payload": "sequence": numbered datagrams with a pattern the sink checks (the
     *  default "zeros" is OnOffApplication's zero-filled payload, also checked). */
    bool sequencePayload = false;

    /** ping: echo requests sent, one every interval from start while before stop, at most count. */
    uint32_t PingsThatFit() const;
};

struct ScenarioEvent
{
    enum class Kind : uint8_t
    {
        EXEC,       //!< an EXEC command on a router
        LINK_STATE, //!< a cable pulled (down) or plugged back (up)
        CARD_STATE, //!< a router's accelerator card fails (up = false) or comes back
        POWER,      //!< a router loses power (up = false: all state lost) or boots again
        HOSTS,      //!< the name server's answers change ("hosts": names given replace theirs)
    };
    Kind kind = Kind::EXEC;
    Time at;
    uint32_t node = 0;    //!< EXEC: the router; LINK_STATE: the end named
    std::string exec;     //!< EXEC: the command as written
    ScenarioEndpoint end; //!< LINK_STATE
    uint32_t segment = 0; //!< LINK_STATE
    bool up = false;      //!< LINK_STATE, CARD_STATE
    uint32_t slot = 0;    //!< CARD_STATE: the card's slot (its index in "modules")
    /** POWER "reload": the router is off this long, then boots (zero: stays as `up` says). */
    Time reload;
    std::string pointer;                                   //!< "/events/N"
    std::map<std::string, std::vector<Ipv4Address>> hosts; //!< HOSTS (names lower case)
};

/** One configuration of a sweep: the hardware of some routers. */
struct ScenarioSweepConfiguration
{
    std::string name;
    /** Router index -> platform and modules (empty platform: untimed). */
    std::map<uint32_t, std::pair<std::string, std::vector<std::string>>> hardware;
    /** Router index -> its configuration with the configuration's extra lines ("config"), e.g.
     *  another transform set under the same name. */
    std::map<uint32_t, IosRouterConfig> configs;
};

/**
 * "ike_setups" of a sweep: per configuration, how many IKE setups (main mode + quick mode) a
 * second the measured router sustains as a hub that `peers` untimed spokes call at once.
 */
struct ScenarioSweepIkeSetups
{
    uint32_t peers = 20;
    /** Global lines for hub and spokes in place of the default ISAKMP policy (the policy under
     *  test: AES-128, SHA, pre-share, group 2 when empty). */
    std::vector<std::string> config;
    std::string transformSet = "esp-aes esp-sha-hmac";
    Time duration = Seconds(60); //!< how long the spokes have to finish
};

/**
 * "sweep": the scenario is run once per configuration, packet size and offered load; the
 * results table (throughput, loss, latency, CPU against load) and plots come from those runs.
 */
struct ScenarioSweep
{
    uint32_t traffic = 0;        //!< index into Scenario::traffic of the UDP flow swept
    std::vector<DataRate> loads; //!< offered loads, ascending
    /** IP packet sizes in bytes (UDP payload + 28); 0 stands for Simple IMIX (7:4:1 of 40,
     *  576, 1500 bytes). */
    std::vector<uint32_t> sizes;
    std::vector<ScenarioSweepConfiguration> configurations;
    uint32_t measure = 0;   //!< the router whose CPU and engines are reported
    uint32_t afterKnee = 2; //!< loads still run once throughput fell below 95% of offered
    /** Seeds to repeat every ladder with (empty: the scenario's seed); results are averaged
     *  with a 95% confidence interval. */
    std::vector<uint32_t> seeds;
    /** Numbers of tunnels to carry the swept flow (empty: as configured). For N, every crypto
     *  map entry that protects the flow becomes N entries, each for its own UDP ports, and the
     *  flow is split evenly across them. */
    std::vector<uint32_t> tunnels;
    /** IKE setups per second per configuration ("ike_setups"); none without the key. */
    std::optional<ScenarioSweepIkeSetups> ikeSetups;
};

/** A certificate authority of the scenario ("certificate-authorities", doc/pki.md). */
struct ScenarioCertificateAuthority
{
    /** "revoke": a node whose certificates the CA revokes, from @c at on (simulated time;
     *  nullopt: as soon as it issues them). */
    struct Revocation
    {
        std::string node;
        std::optional<Time> at;
    };
    std::string name;
    std::string subject;          //!< its certificate's name; default "CN=NAME"
    std::string issuer;           //!< a subordinate's issuing CA (named earlier); empty: a root
    std::string url;              //!< what `enrollment url` must name to reach it (besides NAME)
    uint32_t keySize = 2048;      //!< "key-size"
    uint32_t validityDays = 3650; //!< its own certificate
    Time certificateValidity = Seconds(365 * 86400.0); //!< what it issues
    std::vector<Revocation> revoke;
    std::string pointer; //!< "/certificate-authorities/N"
};

struct Scenario
{
    std::string name;
    std::string file;      //!< the scenario file as given (used in messages)
    std::string directory; //!< configuration paths are relative to this
    Time duration;
    uint32_t seed = 1;
    uint64_t run = 1;
    /** "crypto": "fast": packets of the real size and timing, bytes not encrypted. */
    bool fastCrypto = false;
    std::vector<ScenarioNode> nodes;
    std::vector<ScenarioLink> links;
    std::vector<ScenarioSegment> segments;
    std::vector<ScenarioTraffic> traffic;
    std::vector<ScenarioEvent> events; //!< sorted by time, stable
    std::optional<ScenarioSweep> sweep;
    /** "hosts": the name server's table, standing in for DNS (names lower case): routers
     *  resolve `set peer NAME` and the like from it after their `ip host` entries. */
    std::map<std::string, std::vector<Ipv4Address>> hosts;
    std::vector<ScenarioIssue> warnings;
    /** "clock": the routers' calendar at time zero, seconds since 1970 (certificates). */
    int64_t clockStart = kIosDefaultCalendarStart;
    std::vector<ScenarioCertificateAuthority> authorities; //!< "certificate-authorities"

    /** Index of the node called @p name, or -1. */
    int32_t FindNode(const std::string& name) const;
    /** Index of the node that owns @p address on one of its interfaces, or -1. */
    int32_t FindNodeByAddress(Ipv4Address address) const;
    /** The address of an end (the router interface's or the host's), if any. */
    std::optional<std::pair<Ipv4Address, Ipv4Mask>> AddressOf(const ScenarioEndpoint& end) const;
    /** "R1:Serial0" */
    std::string Describe(const ScenarioEndpoint& end) const;
    /** Some node is external: the run is in real time. */
    bool HasExternal() const;
};

/**
 * @brief Scenario::FindNode and Scenario::FindNodeByAddress in constant time, for the nodes as
 * they were when the index was made (the same answers: the first node in order that matches).
 * The linear searches, made for every link end, traffic item and hop the checks follow, cost
 * O(N^2) in all: at 10,000 spokes (30,000 nodes) the scenario check spent minutes in them.
 */
class ScenarioNodeIndex
{
public:
    explicit ScenarioNodeIndex(const Scenario& s);
    /** As Scenario::FindNode. */
    int32_t ByName(const std::string& name) const;
    /** As Scenario::FindNodeByAddress. */
    int32_t ByAddress(Ipv4Address address) const;
    /** The number of nodes indexed. */
    size_t Size() const
    {
        return m_size;
    }

private:
    const Scenario& m_scenario;
    size_t m_size = 0;
    std::unordered_map<std::string, int32_t> m_names;
    std::unordered_map<uint32_t, int32_t> m_addresses; //!< host addresses, interface addresses
    std::vector<uint32_t> m_withNetworks; //!< the (external) nodes that own networks, in order
};

/**
 * @brief The topology as a Boost.Graph graph: one vertex per node and one per segment, an edge
 * from each node to each segment it is attached to (named by the interface). Used for the
 * checks made before a run and for following the configured routes hop by hop.
 */
class ScenarioTopology
{
public:
    struct Vertex
    {
        bool segment = false;
        uint32_t index = 0; //!< into Scenario::nodes or Scenario::segments
    };
    struct Edge
    {
        std::string interface;
    };
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Vertex, Edge>;

    explicit ScenarioTopology(const Scenario& s);

    const Graph& GetGraph() const
    {
        return m_graph;
    }
    /** Vertex of node @p node (vertices of segments follow those of nodes). */
    Graph::vertex_descriptor NodeVertex(uint32_t node) const
    {
        return node;
    }

    /**
     * Errors and warnings about the topology: nodes with no link, parts not connected to the
     * rest, duplicate addresses, ends of one medium in different subnets, hosts whose gateway is
     * not on their segment, `set peer` addresses the configured routes do not reach, and traffic
     * with no route to its destination (a warning: the run may mean to show exactly that).
     */
    std::vector<ScenarioIssue> Check() const;

    /**
     * Follow the configured routes (connected networks, `ip route`, a host's gateway) from
     * @p from towards @p dst, as TraceFlow() follows a packet of @p from's own (any protocol,
     * from the outgoing interface's address). @return the nodes passed through, ending at the
     * node that owns @p dst; or an explanation in @p why and std::nullopt.
     */
    std::optional<std::vector<uint32_t>> Trace(uint32_t from, Ipv4Address dst,
                                               std::string* why) const;
    /**
     * Follow one flow from @p from as the routers forward it: in clear by the routes, and where
     * it leaves a router by an interface whose crypto map has an entry for it, as ESP from that
     * interface to the entry's peer and on from the peer; into a tunnel interface, as the tunnel's
     * packets from its source to its destination and on from the router that owns it.
     * @p flow's source 0.0.0.0: the address of the first outgoing interface (the router's own
     * packets). @return as Trace(); the explanation names the hop that is missing.
     */
    std::optional<std::vector<uint32_t>> TraceFlow(uint32_t from, const IpsecFlow& flow,
                                                   std::string* why) const;

private:
    struct Hop
    {
        std::string interface;              //!< outgoing interface
        std::optional<Ipv4Address> nextHop; //!< none: dst is on that interface's medium
    };
    std::optional<Hop> Lookup(uint32_t node, Ipv4Address dst, int depth = 0) const;
    std::optional<std::vector<uint32_t>> TraceFlow(uint32_t from, IpsecFlow flow, std::string* why,
                                                   int nesting) const;
    /** The node a packet leaving @p cur by @p hop reaches: its neighbour on the link, or, into
     *  a tunnel or a crypto map's ESP, the far router (the routers crossed on the way are added
     *  to @p path). -1 with @p why set if there is none. */
    int32_t NextNode(uint32_t cur, const Hop& hop, const IpsecFlow& flow, std::string* why,
                     int nesting, std::vector<uint32_t>& path) const;
    int32_t ThroughTunnel(uint32_t cur, const IosInterface& tunnel, const IpsecFlow& flow,
                          std::string* why, int nesting, std::vector<uint32_t>& path) const;
    int32_t ThroughCryptoMap(uint32_t cur, const IosInterface& out, const IosCryptoMapEntry& e,
                             Ipv4Address peer, const IpsecFlow& flow, std::string* why, int nesting,
                             std::vector<uint32_t>& path) const;
    /** The entry of the crypto map on @p out that protects @p flow and names a peer address
     *  (in @p peer), as IOS picks it: entries in order, the first access-list line that matches
     *  decides (deny: not this entry); a dynamic map's template, towards a router that calls
     *  in. nullptr: the flow leaves in clear. */
    const IosCryptoMapEntry* ProtectingEntry(const ScenarioNode& n, const IosInterface& out,
                                             const IpsecFlow& flow, Ipv4Address* peer,
                                             bool dynamic = true) const;
    std::optional<Hop> ReverseRoute(uint32_t cur, const IpsecFlow& flow) const;
    const IosCryptoMapEntry* DynamicEntry(const ScenarioNode& n, const std::string& dynamicMap,
                                          const IpsecFlow& flow, Ipv4Address* peer) const;
    std::string NoNeighbourReason(uint32_t cur, const Hop& hop, Ipv4Address dst) const;
    /** Node on the medium behind (node, interface) that owns @p a, or -1. */
    int32_t Neighbour(uint32_t node, const std::string& interface, Ipv4Address a) const;

    // The parts of Check(), in the order it runs them.
    void CheckConnected(std::vector<ScenarioIssue>& out) const;
    std::map<uint32_t, std::string> CheckDuplicateAddresses(std::vector<ScenarioIssue>& out) const;
    void CheckExternalNetworks(const std::map<uint32_t, std::string>& owner,
                               std::vector<ScenarioIssue>& out) const;
    void CheckSubnets(std::vector<ScenarioIssue>& out) const;
    void CheckGateways(std::vector<ScenarioIssue>& out) const;
    void CheckPeers(uint32_t router, std::vector<ScenarioIssue>& out) const;
    void CheckPeer(uint32_t router, const IosCryptoMapEntry& entry, const std::string& peer,
                   std::vector<ScenarioIssue>& out) const;
    void CheckTrafficRoutes(std::vector<ScenarioIssue>& out) const;

    const Scenario& m_scenario;
    Graph m_graph;
    ScenarioNodeIndex m_index;
    /** Every router interface with an address and a crypto map, in node and interface order:
     *  the callers DynamicEntry looks through for every flow leaving by a dynamic map (at a hub
     *  with 10,000 spokes, walking the 30,000 nodes and their interfaces instead cost more than
     *  the rest of the check). */
    std::vector<std::pair<uint32_t, const IosInterface*>> m_cryptoInterfaces;
    /** Which of m_cryptoInterfaces can protect a flow from a given source: the indices of those
     *  whose crypto map has a permit line matching that source, keyed by the line's source
     *  network (its leading fixed bits: prefix length << 32 | network). DynamicEntry asks only
     *  these; trying every caller for every flow grew with the square of the spokes. */
    std::unordered_map<uint64_t, std::vector<uint32_t>> m_callersBySource;
    std::vector<uint8_t> m_callerPrefixLengths; //!< the prefix lengths m_callersBySource holds
    void IndexCallerSources(uint32_t interfaceIndex);
    std::vector<uint32_t> CallersFrom(Ipv4Address source) const;
};

/**
 * @brief Reads a scenario. Every problem found is collected; if there is any error, a
 * ScenarioError lists them all with their JSON Pointers.
 */
class ScenarioLoader
{
public:
    /** Reads a file given its path; nullopt if it cannot be read. */
    using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

    /** @p path may be a folder: its scenario.json. @throws ScenarioError */
    static Scenario LoadFile(const std::string& path);
    /**
     * @param text the JSON document
     * @param file its name, for messages
     * @param directory where relative configuration paths start
     * @param reader reads configuration files (default: the file system)
     * @throws ScenarioError
     */
    static Scenario LoadString(const std::string& text, const std::string& file,
                               const std::string& directory, FileReader reader = nullptr);

    /** The built-in default (the same files as scenarios/default/), read like any other. */
    static Scenario LoadDefault();
    /** The built-in default's files: "scenario.json", "R1.cfg", "R2.cfg". */
    static const std::vector<std::pair<std::string, std::string>>& DefaultFiles();
};

/** Parse "10ms", "1.5s", "250us", or a bare number of seconds. */
std::optional<Time> ParseScenarioTime(const nlohmann::json& v);
/** Parse "1544kbps", "100Mbps", "2Mb/s", or a bare number of bits per second. */
std::optional<DataRate> ParseScenarioRate(const nlohmann::json& v);

} // namespace ns3

#endif
