// Pictures of a finished run: PNG plots (gnuplot) of the time series and of the IKE and SA
// timeline, and report.html, one self-contained page (inline CSS and SVG, PNGs as data URIs)
// with the run's ladder diagram, SA tables, drops, flows and hardware. doc/report.md describes
// both.
#ifndef IPSEC_RUN_REPORT_H
#define IPSEC_RUN_REPORT_H

#include <nlohmann/json.hpp>

#include <string>

namespace ns3
{

/**
 * Write the plots and report.html of a run into @p outDir, next to its results.json.
 *
 * Plots (each as NAME.plt, a gnuplot script, and NAME.png when gnuplot is installed; a plot
 * without data is left out): plot-throughput (received rate per flow), plot-latency (mean
 * one-way delay per flow), plot-engines (crypto engine utilisation and queue length per
 * router) and plot-sa-timeline (IKE exchanges, ISAKMP SAs and IPsec SA pairs over time).
 *
 * @param results the content of results.json (ScenarioRunner::Run)
 * @param outDir the run's output folder; it must exist
 * @return {"report": "report.html", "plots": [PNG names], "scripts": [.plt names]} and, when
 *         something is missing (gnuplot, a plot's data), "note" saying what
 * @throws std::runtime_error when a file cannot be written
 */
nlohmann::json WriteRunReport(const nlohmann::json& results, const std::string& outDir);

} // namespace ns3

#endif
