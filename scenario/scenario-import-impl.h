// The stages of an import (scenario-import*.cc) and the network they fill in, step by step:
// read the folder, group interfaces by subnet, invent the provider, place hosts, infer traffic.
#ifndef IPSEC_SCENARIO_IMPORT_IMPL_H
#define IPSEC_SCENARIO_IMPORT_IMPL_H

#include "ns3/ios-config.h"
#include "ns3/ipv4-address.h"
#include "ns3/scenario-import.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{
namespace import_detail
{

/** A router of the scenario: one file of the folder, or the invented provider. */
struct ImportRouter
{
    std::string name;       //!< node name
    std::string source;     //!< the file in the folder ("" for the provider)
    std::string configFile; //!< its file in the written scenario
    std::string text;       //!< the configuration as read (or written, for the provider)
    IosRouterConfig cfg;
};

enum class ImportMedium : uint8_t
{
    SERIAL,
    ETHERNET,
    OTHER, //!< an interface type a scenario link cannot join (Dialer, ATM, Vlan, ...)
};

/** An interface on a subnet. */
struct ImportEnd
{
    size_t router = 0;
    std::string interface;
    Ipv4Address address;
};

/** Interfaces of the routers (tunnels and loopbacks left out) that share a subnet. */
struct ImportSubnet
{
    Ipv4Address network;
    Ipv4Mask mask;
    ImportMedium medium = ImportMedium::OTHER;
    std::vector<ImportEnd> ends;
    bool provider = false;                   //!< the provider router joins it
    std::optional<Ipv4Address> providerAddr; //!< a next hop it takes over
    std::string why;                         //!< why the provider joins it
    bool Contains(Ipv4Address a) const
    {
        return mask.IsMatch(a, network);
    }
};

struct ImportHost
{
    std::string name;
    Ipv4Address address;
    Ipv4Mask mask;
    size_t router = 0; //!< its gateway's router
    std::string interface;
    Ipv4Address gateway;
};

struct ImportFlow
{
    size_t from = 0; //!< host indexes
    size_t to = 0;
    std::string why;
    bool prime = false; //!< a ping before the flows starts IKE from this side
};

struct ImportNetwork
{
    std::vector<ImportRouter> routers;
    std::vector<ImportSubnet> subnets;
    std::vector<ImportHost> hosts;
    std::vector<ImportFlow> flows;
    std::optional<size_t> provider; //!< index of the invented router
    std::vector<std::string> guesses;
    std::vector<std::string> warnings;

    /** The router that has interface address @p a, if any. */
    std::optional<size_t> Owner(Ipv4Address a) const;
    /** Subnet indexes that router @p r has an interface on. */
    std::vector<size_t> SubnetsOf(size_t r) const;
};

/** "10.1.1.0/24" */
std::string Prefix(Ipv4Address a, Ipv4Mask m);
/** "10.1.1.1" */
std::string Addr(Ipv4Address a);
/** Tunnel interfaces (GRE, or a VTI): an interface with a tunnel destination. */
bool IsTunnel(const IosInterface& i);
ImportMedium MediumOf(const std::string& interface);

/** Reads every file of @p dir (sorted by name). @throws ScenarioImportError */
std::vector<ImportRouter> ReadRouters(const std::string& dir);
/** Groups the routers' interfaces by subnet. @throws ScenarioImportError if two interfaces
 *  have the same address. */
void GroupSubnets(ImportNetwork& n);
/** Adds the provider router where next hops or interface routes lead out of the folder. */
void InventProvider(ImportNetwork& n);
/** A host on each Ethernet subnet only one router is on. */
void PlaceHosts(ImportNetwork& n);
/** Flows between the hosts each crypto ACL and each tunnel covers. */
void InferTraffic(ImportNetwork& n);

} // namespace import_detail
} // namespace ns3

#endif
