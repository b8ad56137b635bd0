// results.json of a run: the parts built from the scenario itself (what ran, its nodes, its
// links), the number formats every part uses, and the writing of the file. The runner adds
// what the simulation measured (flows, time series, events, IKE, routers' reports).
#ifndef IPSEC_RESULTS_JSON_H
#define IPSEC_RESULTS_JSON_H

#include "ns3/scenario.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/** A time or rate in seconds rounded to the nanosecond: no float noise in the file. */
nlohmann::json ResultSeconds(double s);
/** "10.1.1.1" */
std::string ResultAddress(Ipv4Address a);
/** "10.1.1.0/24" */
std::string ResultPrefix(Ipv4Address a, Ipv4Mask m);

/** "scenario": what ran, ending at @p endedAt seconds (the duration, or where a console user
 *  left it). */
nlohmann::json ScenarioSummaryJson(const Scenario& s, double endedAt, bool realtime);
/** "warnings": the loader's warnings as the command line prints them. */
nlohmann::json WarningsJson(const Scenario& s);
/** A "nodes" entry of a host or an external node (routers report themselves). */
nlohmann::json HostNodeJson(const ScenarioNode& n);
/** A "links" entry: ends, medium, rate and delay (null for a TAP device), serial framing. */
nlohmann::json LinkJson(const Scenario& s, const ScenarioLink& l);
/** A link's "errors": the medium's error model, what each receiving end (by name) counted,
 *  and the sums over the ends. */
nlohmann::json LinkErrorsJson(const ScenarioSegment& seg,
                              const std::vector<std::pair<std::string, nlohmann::json>>& ends);
/** results.json in @p dir, as every run and sweep point writes it. */
void WriteResultsJson(const nlohmann::json& r, const std::filesystem::path& dir);
/** Any other JSON file the scenario layer writes (a sweep's ladders), @p indent spaces a level. */
void WriteJsonFile(const nlohmann::json& j, const std::filesystem::path& file, int indent);

} // namespace ns3

#endif
