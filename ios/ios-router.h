// A router of the simulation configured from IOS text: turns an IosRouterConfig into model
// objects on an ns-3 node (addresses, routes, access lists, crypto map sets on interfaces,
// manually keyed SAs) and answers EXEC commands from the live state, laid out as IOS does.
#ifndef IPSEC_IOS_ROUTER_H
#define IPSEC_IOS_ROUTER_H

#include "ns3/ike-daemon.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ios-config.h"
#include "ns3/ios-exec.h"
#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-static-nat.h"

#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/object.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace ns3
{

/** A router's crypto engines for results.json: CPU and cards, work done, utilisation, refusals. */
nlohmann::json HardwareReport(const IpsecEngineSet& engines);

/** One IKE exchange as results.json shows it. */
nlohmann::json IkeExchangeToJson(const IkeExchangeRecord& r);

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

    /** Per SA (SPI, peer, transform, flow, counters, drops) and per-reason drops, for results. */
    nlohmann::json Report() const;

    /** The router's IKE daemon; nullptr when no crypto map entry uses IKE or IKE is off. */
    Ptr<IkeDaemon> GetIke() const
    {
        return m_ike;
    }

    // IkePolicyProvider
    std::vector<IkePolicy> GetIkePolicies() const override;
    std::optional<std::string> GetPreSharedKey(Ipv4Address peer) const override;
    Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const override;
    Phase2 MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                          const IpsecTrafficSelector& scope) const override;

protected:
    void DoDispose() override;

private:
    /** Is bundle @p b shown under interface @p ifn of a map set on @p interfaces? */
    bool BundleOnInterface(const IpsecSaBundle& b, const std::vector<std::string>& interfaces,
                           const std::string& ifn) const;

    struct Impl;
    std::unique_ptr<Impl> m_impl;
    IosRouterConfig m_config;
    Ptr<Node> m_node;
    Ptr<IpsecProcessor> m_processor;
    Ptr<IkeDaemon> m_ike;
    Ptr<IpsecStaticNat> m_nat;
};

} // namespace ns3

#endif
