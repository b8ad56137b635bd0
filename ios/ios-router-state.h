// The inside of an IosRouter: what it built from its configuration (interfaces, access lists,
// crypto map sets, manual SAs, GRE tunnels). Shared by the files of the IOS layer that make up
// the router (installation and reconfiguration, the show and clear commands); not for use
// outside ios/.
#ifndef IPSEC_IOS_ROUTER_STATE_H
#define IPSEC_IOS_ROUTER_STATE_H

#include "ns3/ios-exec.h"
#include "ns3/ios-router.h"
#include "ns3/ipsec-gre.h"
#include "ns3/ipsec-helper.h"
#include "ns3/nstime.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

/** A manual entry's SAs, kept so that `clear crypto sa` can re-establish them at once. */
struct IosManualBinding
{
    Ptr<IpsecPolicyEntry> entry;
    IpsecTransformSet ts;
    Ipv4Address local;
    Ipv4Address peer;
    IpsecTrafficSelector scope;
    IpsecManualKeys in;
    IpsecManualKeys out;
    Ptr<IpsecSaBundle> bundle;
};

/** The crypto map set built for one map name. */
struct IosMapSet
{
    Ptr<IpsecSpd> spd;
    Ipv4Address local;
    std::vector<std::string> interfaces;
    /** For show crypto map: the IOS entry behind each policy entry. */
    std::vector<std::pair<const IosCryptoMapEntry*, Ptr<IpsecPolicyEntry>>> entries;
};

/** A route reverse route injection installed (`reverse-route`). */
struct IosRriRoute
{
    Ipv4Address network;
    Ipv4Mask mask;
    Ipv4Address via;      //!< the next hop IOS shows: the peer or `remote-peer A.B.C.D`
    Ipv4Address gateway;  //!< the next hop ns-3 forwards to (on a connected network)
    uint32_t ifIndex = 0; //!< the interface toward it
    uint8_t distance = 1;
    const void* owner = nullptr; //!< the bundle that brought it; nullptr: `reverse-route static`
};

/** A route an approximated routing process installed (ios-router-routing.cc), for `show ip
 *  route`: its code, the metric the protocol would give it and when it was installed. */
struct IosProtocolRoute
{
    char code = 'O'; //!< 'O' OSPF (intra-area), 'D' EIGRP
    Ipv4Address network;
    Ipv4Mask mask;
    Ipv4Address via;      //!< the neighbour's address, also ns-3's gateway
    uint32_t ifIndex = 0; //!< the interface toward it
    uint8_t distance = 110;
    uint64_t metric = 0; //!< OSPF cost or EIGRP composite metric
    Time installed;      //!< simulated time it was installed, for the route's age
};

/** The crypto map sets of a configuration, built but not yet in force. */
struct IosBuiltMaps
{
    std::map<std::string, IosMapSet> maps; //!< without SPDs: those are made when they take effect
    std::vector<IosManualBinding> manual;  //!< complete manual entries, bundles made, not installed
    /** The entries IOS makes for `tunnel protection` (the map sets point at them). */
    std::vector<std::shared_ptr<IosCryptoMapEntry>> tunnelEntries;
};

/** The crypto map set IOS makes for a tunnel interface's `tunnel protection ipsec profile`,
 *  "Tunnel0-head-0"; empty for an interface without protection. */
std::string IosTunnelMapName(const IosInterface& iface);

/** Add to @p out a crypto map set for each tunnel interface of @p cfg with `tunnel protection`
 *  (ios-router-tunnels.cc): one ipsec-isakmp entry with the profile's transform sets, PFS and
 *  lifetimes, the tunnel destination as peer and, as its access list, GRE from the tunnel source
 *  to the destination (a GRE tunnel) or any to any (a virtual tunnel interface).
 *  @throws IosConfigError */
void IosBuildTunnelMapSets(const IosRouterConfig& cfg,
                           const std::map<std::string, uint32_t>& ifIndex, IosBuiltMaps& out);

struct IosRouterState
{
    std::map<std::string, uint32_t> ifIndex; //!< canonical name -> IPv4 interface
    std::map<uint32_t, std::string> ifName;
    std::map<std::string, Ptr<IpsecAccessList>> acls;
    std::map<std::string, IosMapSet> maps;
    std::vector<IosManualBinding> manual;
    std::map<std::string, Ptr<IpsecGreTunnel>> tunnels; //!< by interface name
    std::map<std::string, Ptr<VirtualNetDevice>> vtis;  //!< `tunnel mode ipsec ipv4`, by name
    std::vector<std::shared_ptr<IosCryptoMapEntry>> tunnelEntries; //!< see IosBuiltMaps
    std::vector<std::string> routingNotes;        //!< how routing processes were approximated
    std::vector<IosProtocolRoute> protocolRoutes; //!< the routes they installed
    /** Manual SA sets the crypto engines refused (a card at its tunnel limit). */
    std::vector<std::string> engineRefusals;
    std::set<uint32_t> filtered;  //!< interfaces given an access-group at some time
    std::vector<IosRriRoute> rri; //!< routes `reverse-route` installed (ios-router-rri.cc)
    bool rriTraced = false;       //!< the processor's bundle traces are connected

    /** The access lists of @p cfg; a list whose lines did not change stays (with its counters). */
    std::map<std::string, Ptr<IpsecAccessList>> ComputeAcls(const IosRouterConfig& cfg) const;
    /** `ip access-group` of every interface from the lists in force. */
    void ApplyFilters(IosRouter& r);
    /** @throws IosConfigError */
    IosBuiltMaps BuildMaps(const IosRouterConfig& cfg,
                           const std::map<std::string, Ptr<IpsecAccessList>>& lists) const;
    /** Put built crypto map sets in force (see the definition for what carries over). */
    void ApplyMaps(IosRouter& r, IosBuiltMaps built, std::vector<std::string>& notes);
    /** @throws std::invalid_argument when the route cannot be installed */
    void AddRoute(IosRouter& r, const IosRoute& route);
    /** The index of @p route in the static routing table, or -1. */
    int32_t FindRoute(IosRouter& r, const IosRoute& route) const;
    /** The configured interfaces: IPv4 interfaces on @p devices or devices of their own. */
    void InstallInterfaces(IosRouter& r, const std::map<std::string, Ptr<NetDevice>>& devices);
    /** GRE tunnel endpoints from `tunnel source` and `tunnel destination`.
     *  @throws IosConfigError */
    void SetTunnelEndpoints(IosRouter& r);
    /** The platform and its cards, and each interface's switching path. */
    void InstallEngines(IosRouter& r, Ptr<IpsecEngineSet> engines);
    /** `ip nat inside source static`. @throws IosConfigError */
    void InstallStaticNat(IosRouter& r);
    /** `shutdown` / `no shutdown` changed since @p previous: interfaces down or up, with the
     *  %LINK-5-CHANGED notes IOS prints; and each interface's `arp timeout`. */
    void ApplyInterfaceStates(IosRouter& r, const IosRouterConfig& previous,
                              std::vector<std::string>& notes);
    /** Static routes removed since @p previous go; new ones (and configured ones ns-3 dropped
     *  while their interface was down) are installed. */
    void ApplyRoutes(IosRouter& r, const IosRouterConfig& previous,
                     std::vector<std::string>& notes);
    /** Start the IKE daemon if an applied entry is negotiated and IKE is enabled. */
    void StartIke(IosRouter& r);
    /** A virtual tunnel interface's device (`tunnel mode ipsec ipv4`): what is routed into it
     *  is protected by its crypto map set; what reaches the device itself is dropped. */
    Ptr<NetDevice> InstallVti(IosRouter& r, const IosInterface& iface);
    /** After the map sets are applied: protected GRE tunnels hand their packets to IPsec,
     *  virtual tunnel interfaces receive their SAs' traffic. */
    void ApplyTunnelProtection(IosRouter& r);
    /** Protected tunnels negotiate their SAs as they come up, as IOS does. */
    void StartTunnels(IosRouter& r);
    /** Keyrings and ISAKMP profiles that change the daemon: initiation in aggressive mode. */
    void ApplyIsakmpProfiles(IosRouter& r);
    /** `crypto isakmp peer` blocks with aggressive-mode settings: phase 1 with those peers
     *  starts in aggressive mode, with the block's identity (ios-router-hosts.cc). */
    void ApplyIsakmpPeers(IosRouter& r);
    /** The name server's answers now, when they changed since the configuration was put in
     *  force (IosRouter::SetNameTable); names given with `dynamic` resolve from them. */
    std::optional<std::map<std::string, std::vector<Ipv4Address>>> liveDns;
    /** `crypto ipsec df-bit`, global and per interface, to the processor. */
    void ApplyDfBit(IosRouter& r);
    /** Reverse route injection: `static` routes now, the others as SAs come and go. */
    void ApplyReverseRoutes(IosRouter& r);
    void RriBundleUp(IosRouter& r, Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    void RriBundleDown(IosRouter& r, Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    /** Installs @p route in the node's static routing (resolving its gateway) and records it;
     *  false when the next hop cannot be reached. */
    bool AddRriRoute(IosRouter& r, IosRriRoute route);
    void RemoveRriRoutes(IosRouter& r, const std::function<bool(const IosRriRoute&)>& which);
    /** The IOS entry behind policy entry @p pe; nullptr if none. */
    const IosCryptoMapEntry* SourceOf(const Ptr<IpsecPolicyEntry>& pe) const;

    /** Install a manual binding's bundle; a refusal by the engines leaves the entry without
     *  SAs (its traffic is dropped, as IOS does when a card has no room) and is recorded. */
    void InstallManual(IpsecProcessor& processor, IosManualBinding& mb, const std::string& what)
    {
        try
        {
            processor.InstallBundle(mb.entry, mb.bundle);
        }
        catch (const std::runtime_error& err)
        {
            engineRefusals.push_back(what + ": " + err.what());
            mb.bundle = nullptr;
        }
    }
};

/** Is bundle @p b shown under interface @p ifn of a map set on @p interfaces? A crypto map set
 *  on several interfaces: each shows the SAs whose local end is its own address; SAs whose
 *  local end is none of them show under the first. */
bool IosBundleOnInterface(const IosRouter& router, const IpsecSaBundle& b,
                          const std::vector<std::string>& interfaces, const std::string& ifn);

/** "0000ABCD": an SPI as IOS prints it. */
std::string IosHex8(uint32_t v);

// The EXEC commands, one family per file (show-*.cc, clear-crypto.cc). Each writes what IOS
// prints for @p cmd to @p os.
void ShowCryptoIpsecSa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                       const IosRouterState& state);
void ShowCryptoMap(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                   const IosRouterState& state);
void ShowCryptoDynamicMap(std::ostream& os, const IosExecCommand& cmd,
                          const IosRouterConfig& config);
void ShowCryptoTransformSet(std::ostream& os, const IosExecCommand& cmd,
                            const IosRouterConfig& config);
void ShowCryptoSaLifetime(std::ostream& os, const IosRouterConfig& config);
/** show crypto session [detail] (show-crypto-session.cc). */
void ShowCryptoSession(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                       const IosRouterState& state);
/** show crypto isakmp sa [detail] (show-crypto-isakmp.cc). */
void ShowCryptoIsakmpSa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router);
void ShowAccessLists(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config,
                     const IosRouterState& state);
void ShowRunningConfig(std::ostream& os, const IosRouterConfig& config);
/** show ip route: connected, static, reverse-route and approximated OSPF/EIGRP routes as IOS
 *  12.4 lays them out (show-ip-route.cc). */
void ShowIpRoute(std::ostream& os, const IosRouter& router, const IosRouterState& state);
/** show crypto isakmp profile. */
void ShowCryptoIsakmpProfile(std::ostream& os, const IosRouterConfig& config);
/** show crypto engine configuration | connections active, show processes cpu. */
void ShowCryptoEngine(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router);
void ClearCryptoIsakmp(const IosExecCommand& cmd, IosRouter& router);
struct IosPkiState;
/** show crypto pki certificates|trustpoints, show crypto key mypubkey rsa (show-crypto-pki.cc). */
void ShowCryptoPki(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router,
                   const IosPkiState& pki);
/** crypto key generate|zeroize rsa, crypto pki authenticate|enroll typed at the console: what
 *  IOS prints (ios-router-pki.cc). */
std::string PkiExec(const IosExecCommand& cmd, const IosRouter& router, IosPkiState& pki);
/** @p config with, at its end, the `crypto pki certificate chain` blocks of the certificates the
 *  router authenticated or enrolled while running, as IOS then shows them (ios-router-pki.cc). */
IosRouterConfig IosWithCertificateChains(const IosRouterConfig& config, const IosPkiState& pki);
/** The IKEv2 profile entry @p e (a crypto map entry, or a tunnel's entry made from its IPsec
 *  profile) names; "" when it uses IKEv1 (ios-router-ikev2.cc). */
std::string IosIkev2ProfileOf(const IosRouterConfig& config, const IosCryptoMapEntry& e);
/** show crypto ikev2 proposal|policy|profile [NAME] (show-crypto-ikev2.cc), 15.x forms;
 *  @throws IosConfigError on a 12.4 router, which has no IKEv2, at the word `ikev2`. */
void ShowCryptoIkev2(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config);
/** IOS 12.4 has no IKEv2: @throws IosConfigError at the word `ikev2` of @p cmd. */
[[noreturn]] void IosRefuseIkev2On124(const IosExecCommand& cmd);
/** show crypto ikev2 sa [local A|remote A|fvrf V] [detail], show crypto ikev2 session [detail]
 *  (show-crypto-ikev2-sa.cc), 15.x forms; a 12.4 router refuses them. */
void ShowCryptoIkev2Sa(std::ostream& os, const IosExecCommand& cmd, const IosRouter& router);
/** clear crypto ikev2 sa [local A|remote A|fvrf V|N] (show-crypto-ikev2-sa.cc). */
void ClearCryptoIkev2Sa(const IosExecCommand& cmd, IosRouter& router);
struct Ikev2SaReport;
/** The crypto session an IKEv2 SA belongs to: the Tunnel-id of the first SA (of @p all, in
 *  Tunnel-id order) between the same addresses (show-crypto-ikev2-sa.cc). */
uint32_t IosIkev2SessionId(const Ikev2SaReport& sa, const std::vector<Ikev2SaReport>& all);
/** The DPD that applies to the SA: its profile's `dpd`, else `crypto ikev2 dpd`; none. */
std::optional<IosIkev2Dpd> IosIkev2DpdOf(const Ikev2SaReport& sa, const IosRouterConfig& config);
/** Every matching SA goes; manually keyed ones are re-established at once. */
void ClearCryptoSa(const IosExecCommand& cmd, IosRouter& router, IosRouterState& state);
/** clear crypto session [remote A]: the IPsec SAs and then the ISAKMP SAs (of one peer). */
void ClearCryptoSession(const IosExecCommand& cmd, IosRouter& router, IosRouterState& state);

} // namespace ns3

#endif
