// A router of the simulation configured from IOS text: turns an IosRouterConfig into model
// objects on an ns-3 node (addresses, routes, access lists, crypto map sets on interfaces,
// manually keyed SAs) and answers EXEC commands from the live state, laid out as IOS does.
#ifndef IPSEC_IOS_ROUTER_H
#define IPSEC_IOS_ROUTER_H

#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ios-config.h"
#include "ns3/ios-exec.h"
#include "ns3/ios-pki.h"
#include "ns3/ipsec-gre.h"
#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-static-nat.h"

#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <map>
#include <string>

namespace ns3
{

struct IosRouterState;
struct IosPkiState;

class IosRouter : public Object, public IkePolicyProvider
{
public:
    static TypeId GetTypeId();

    /**
     * Configure @p node (already given an IPsec-capable stack with IpsecStackHelper and its
     * network devices) from @p config. @p devices maps each configured interface name
     * (canonical, e.g. "Serial0") that has a link to its NetDevice; configured interfaces
     * without a device (Loopback0, unlinked ports) are created as needed.
     * The router is aggregated to the node.
     * @throws IosConfigError for configuration that is consistent as text but not as a router
     *         (a crypto map naming an undefined transform set, a manual entry with two permits,
     *         a session key of the wrong length, ...), pointing at the offending line.
     */
    static Ptr<IosRouter> Install(Ptr<Node> node, const IosRouterConfig& config,
                                  const std::map<std::string, Ptr<NetDevice>>& devices,
                                  Ptr<IpsecEngineSet> engines = nullptr);

    /**
     * The switching path IOS uses for packets leaving through interface @p iface of @p config:
     * process with `no ip route-cache`, CEF with global `ip cef` (unless `no ip route-cache
     * cef`), else fast; the flow variants with `ip route-cache flow`.
     */
    static IpsecSwitchingPath SwitchingPathOf(const IosRouterConfig& config,
                                              const IosInterface& iface);
    /** The router's crypto engines (platform and cards); nullptr when it has none. */
    Ptr<IpsecEngineSet> GetEngines() const;

    const IosRouterConfig& GetConfig() const
    {
        return m_config;
    }
    const std::string& GetHostname() const
    {
        return m_config.hostname;
    }
    Ptr<Node> GetNode() const
    {
        return m_node;
    }
    Ptr<IpsecProcessor> GetProcessor() const
    {
        return m_processor;
    }
    /** The IPv4 interface index of a configured interface (abbreviations allowed); -1 if none. */
    int32_t GetInterfaceIndex(const std::string& name) const;

    /**
     * Run one EXEC command (`show ...`, `clear crypto sa ...`) and return what IOS would print.
     * @throws IosConfigError for a command that does not parse.
     */
    std::string Exec(const std::string& line);

    /**
     * Put a changed configuration in force on the running router, as `configure terminal` does:
     * access lists, interface access groups and crypto maps, shutdown / no shutdown, static
     * routes, transform sets, crypto map entries (added, changed, removed), ISAKMP policies,
     * keys, keepalives and lifetimes. As on IOS, changed settings apply to SAs negotiated from
     * now on; SAs in force stay until they expire or `clear crypto sa` (which re-establishes
     * manual SAs from the new keys); an entry that is removed takes its SAs with it.
     * @return messages IOS would print (link state changes, notes), one per element.
     * @throws std::invalid_argument for a change the simulation cannot make to a running
     *         router (addresses, interfaces, hostname, NAT, ...): nothing is changed.
     * @throws IosConfigError for a configuration that is consistent as text but not as a router
     *         (see Install): nothing is changed.
     */
    std::vector<std::string> Reconfigure(const IosRouterConfig& next);

    /**
     * Approximate the `router ospf` and `router eigrp` processes of @p routers (one scenario's;
     * null entries are skipped) by static routes computed over the interfaces their network
     * statements cover, tunnel interfaces included (doc/tunnels.md). Call once, after every
     * router is installed.
     */
    static void ApproximateRouting(const std::vector<Ptr<IosRouter>>& routers);
    /** What ApproximateRouting did for this router, one line per process and route. */
    const std::vector<std::string>& GetRoutingNotes() const;

    /** GRE tunnel interfaces by name (for the results). */
    const std::map<std::string, Ptr<IpsecGreTunnel>>& GetGreTunnels() const;
    /** Manual SA sets the crypto engines refused (a card at its tunnel limit), as "what: why". */
    const std::vector<std::string>& GetEngineRefusals() const;
    /** The static NAT of `ip nat inside source static`; nullptr without. */
    Ptr<IpsecStaticNat> GetNat() const
    {
        return m_nat;
    }

    /** A policy entry in force and the crypto map set it belongs to. */
    struct MapEntry
    {
        std::string map;
        Ptr<IpsecPolicyEntry> entry;
    };
    /** Every entry of the crypto map sets in force, by map name, then in the set's order (an
     *  entry of a dynamic map is listed at each reference). */
    std::vector<MapEntry> GetCryptoMapEntries() const;

    /** The router's IKE daemon; nullptr when no crypto map entry uses IKE or IKE is off. */
    Ptr<IkeDaemon> GetIke() const
    {
        return m_ike;
    }

    // IkePolicyProvider
    std::vector<IkePolicy> GetIkePolicies() const override;
    std::optional<std::string> GetPreSharedKey(Ipv4Address peer) const override;
    // ... with keyrings and ISAKMP profiles (ios-router-profiles.cc)
    std::optional<std::string> GetPreSharedKeyFor(Ipv4Address peer, Ipv4Address local,
                                                  const std::string& peerFqdn) const override;
    /** Peers by host name with `dynamic` resolved now (ios-router-hosts.cc). */
    std::vector<Ipv4Address> ResolvePeers(Ptr<IpsecPolicyEntry> entry) const override;
    /** The name server's answers change (the scenario's "hosts" table, names lower case):
     *  peers given with `set peer NAME dynamic` see it at their next negotiation, the others
     *  keep the address they were resolved to. */
    void SetNameTable(const std::map<std::string, std::vector<Ipv4Address>>& dns);
    std::optional<Keepalive> GetPeerKeepalive(Ipv4Address peer) const override;
    LocalSaSettings GetLocalSaSettings(Ptr<IpsecPolicyEntry> entry) const override;
    /** The ISAKMP profile for @p peer: the one a crypto map entry naming the peer sets (as its
     *  initiator uses), else the first whose `match identity address` covers it, else the
     *  first whose `match identity host` is @p fqdn; nullptr if none. */
    const IosIsakmpProfile* FindIsakmpProfile(Ipv4Address peer, const std::string& fqdn = "") const;
    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const override;
    Phase2 MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                          const IpsecTrafficSelector& scope) const override;

    // IKEv2 (ios-router-ikev2.cc): the configuration the IKEv2 daemon works from
    // (doc/ikev2.md). An entry whose crypto map or IPsec profile sets an IKEv2 profile is
    // negotiated by IKEv2 (UsesIkev2), never by IKEv1 in its place.
    /** The IKEv2 proposals offered and accepted for IKE on @p local, in order (the policies
     *  that match it, else the default policy; IosIkev2Config::ProposalsFor). */
    std::vector<IosIkev2Proposal> GetIkev2Proposals(Ipv4Address local) const;
    /** Responder: the profile for a peer presenting identity @p remote to @p local. */
    const IosIkev2Profile* FindIkev2Profile(const IosIkev2Identity& remote,
                                            Ipv4Address local) const;
    /** Initiator: the IKEv2 profile the entry's crypto map entry or IPsec profile names ("" if
     *  none: the entry uses IKEv1). */
    std::string GetIkev2ProfileName(Ptr<IpsecPolicyEntry> entry) const;
    /** As GetIkev2ProfileName, the profile itself; nullptr if none. */
    const IosIkev2Profile* GetIkev2Profile(Ptr<IpsecPolicyEntry> entry) const;
    /** The pre-shared keys for @p peer under @p profile: local (to sign) and remote (to check);
     *  with @p remote, the keyring's peer is looked up by that identity first. */
    IosIkev2Config::PreSharedKeys GetIkev2PreSharedKeys(
        const IosIkev2Profile& profile, Ipv4Address peer,
        const std::optional<IosIkev2Identity>& remote = {}) const;
    /** The identity this router presents under @p profile on @p local (`identity local`, else
     *  the address). The authentication methods are the profile's localAuth and remoteAuth. */
    IosIkev2Identity GetIkev2LocalIdentity(const IosIkev2Profile& profile, Ipv4Address local) const;
    // What the IKEv2 daemon asks (IkePolicyProvider), from the lookups above.
    bool UsesIkev2(Ptr<IpsecPolicyEntry> entry) const override;
    std::vector<Ikev2IkeOffer> GetIkev2Offers(Ipv4Address local) const override;
    Ikev2Credentials GetIkev2InitiatorCredentials(Ptr<IpsecPolicyEntry> entry, Ipv4Address local,
                                                  Ipv4Address peer) const override;
    Ikev2Credentials GetIkev2ResponderCredentials(uint8_t idType, const std::vector<uint8_t>& id,
                                                  Ipv4Address local,
                                                  Ipv4Address peer) const override;
    Ikev2Dpd GetIkev2Dpd(const std::string& profile) const override;
    Phase2 MatchIkev2Child(Ipv4Address peer, Ipv4Address local,
                           const IpsecTrafficSelector& scope) const override;
    uint32_t GetIkev2CookieChallenge() const override;
    /** MatchQuickMode for the IKEv1 entries (@p ikev2 false) or the IKEv2 ones. */
    Phase2 MatchEntry(Ipv4Address peer, Ipv4Address local, const IpsecTrafficSelector& scope,
                      bool ikev2) const;

    // PKI (ios-router-pki.cc): RSA keys, trustpoints, and their DER for IKE
    /** The CAs that `enrollment url` reaches (the scenario's). */
    void SetCertificateAuthorities(IosCaLookup lookup);
    /** The calendar clock at simulated time zero, seconds since 1970 (certificate validity). */
    void SetCalendarStart(int64_t secondsSince1970);
    /** The calendar clock now: the start plus the simulated time, seconds since 1970. */
    int64_t GetCalendarNow() const;
    /** Do what the configuration asks of the PKI and has not been done: `crypto key generate
     *  rsa`, then `crypto pki authenticate|enroll` in order. Install schedules it at time zero;
     *  calling it again does nothing new. */
    void StartPki();
    /** What the router did: each configuration line as written and what IOS printed. */
    const std::vector<std::pair<std::string, std::string>>& GetPkiLog() const;
    std::optional<RsaCredentials> GetRsaCredentials(Ipv4Address local) const override;
    Trust GetTrust() const override;
    std::optional<std::vector<uint8_t>> GetPeerRsaPublicKey(
        Ipv4Address peer, const std::string& peerName) const override;

protected:
    void DoDispose() override;

private:
    friend struct IosRouterState; // builds and changes the router's objects

    std::unique_ptr<IosRouterState> m_impl;
    IosRouterConfig m_config;
    Ptr<Node> m_node;
    Ptr<IpsecProcessor> m_processor;
    Ptr<IkeDaemon> m_ike;
    Ptr<IpsecStaticNat> m_nat;
    std::shared_ptr<IosPkiState> m_pki;
    std::vector<std::pair<std::string, std::string>> m_pkiLog;
};

} // namespace ns3

#endif
