// The parts of the run report (run-report.h) that live in more than one file: the values of
// results.json as the report reads them, and the IKE timeline (report-ike-timeline.cc: the
// exchanges, the SA timeline plot and the ladder diagram). Not part of the module's API.
#ifndef IPSEC_RUN_REPORT_PARTS_H
#define IPSEC_RUN_REPORT_PARTS_H

#include "ns3/gnuplot.h"
#include "ns3/plot-writer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace run_report
{
using Json = nlohmann::json;

// values of results.json (run-report.cc)
/** @p j[@p key], or null when @p j is no object or has no such key. */
const Json& At(const Json& j, const std::string& key);
/** An array to iterate over: @p j itself, or an empty one when it is no array. */
const Json& Items(const Json& j);
std::optional<double> Number(const Json& j);
std::string Fixed(double x, int digits);
/** A value as text: strings as they are, integers in full, others with 6 significant digits. */
std::string Text(const Json& j);
/** The address part of "10.0.0.10/24". */
std::string Address(const Json& j);
/** Text made safe for HTML and SVG content and attribute values. */
std::string Esc(const std::string& s);
/** At most @p n characters of @p s (UTF-8 aware), with an ellipsis when cut. */
std::string Cut(const std::string& s, size_t n);
/** Text for a double-quoted gnuplot string (titles, labels). */
std::string Gp(const std::string& s);
/** A plot of @p name, PNG 1000 x 600, titled "SCENARIO: @p what". */
Gnuplot MakePlot(const std::string& name, const Json& results, const std::string& what);
/** "/traffic/0 udp h1 -> 10.2.2.10:5000" */
std::string FlowName(const Json& f);
/** The end of the run: the scenario's duration, else the last sample. */
double RunEnd(const Json& r);

// the IKE timeline (report-ike-timeline.cc)
/** Addresses of the run to node names: IKE and SA ends, host and external node addresses. */
std::map<std::string, std::string> NodesByAddress(const Json& r);
/** The node that has @p address, else the address itself. */
std::string NodeAt(const std::map<std::string, std::string>& nodes, const std::string& address);

/**
 * One IKE exchange as its two ends saw it: the records of results.json "ike" with the same
 * exchange kind, initiator cookie and message ID between the same two nodes (one record per
 * end).
 */
struct IkeExchange
{
    std::string kind;
    std::string initiator;
    std::string responder;
    std::vector<const Json*> records;
    double start = 0;
    double end = 0;
    std::optional<std::pair<double, double>> initiatorSpan; //!< start, end of its record
    std::optional<std::pair<double, double>> responderSpan;
    uint32_t messages = 0;        //!< the most any end counted (retransmissions included)
    uint32_t retransmissions = 0; //!< of the end that counted the most
    std::string retransmitter;    //!< that end
};

std::vector<IkeExchange> IkeExchanges(const Json& r,
                                      const std::map<std::string, std::string>& nodes);
void PlotSaTimeline(const Json& r, const std::map<std::string, std::string>& nodes, PlotWriter& w);
/** The ladder diagram as SVG ("" when there is nothing to draw), and its caption. */
std::string LadderSvg(const Json& r, const std::vector<IkeExchange>& exchanges,
                      const std::map<std::string, std::string>& nodes, std::string& caption);

} // namespace run_report
} // namespace ns3

#endif
