// A router of the simulation as results.json shows it: its counters, SAs, GRE tunnels, NAT,
// crypto engines and IKE exchanges. The one place that turns IOS-layer state into JSON.
#ifndef IPSEC_ROUTER_JSON_H
#define IPSEC_ROUTER_JSON_H

#include "ns3/crypto-engine.h"
#include "ns3/ike-daemon.h"
#include "ns3/ios-router.h"

#include <nlohmann/json.hpp>

namespace ns3
{

/** Per SA (SPI, peer, transform, flow, counters, drops) and per-reason drops, GRE, NAT,
 *  hardware and IKE of @p router, for results.json. */
nlohmann::json RouterReport(const IosRouter& router);

/** A router's crypto engines for results.json: CPU and cards, work done, utilisation, refusals. */
nlohmann::json HardwareReport(const IpsecEngineSet& engines);

/** One IKE exchange as results.json shows it. */
nlohmann::json IkeExchangeToJson(const IkeExchangeRecord& r);

} // namespace ns3

#endif
