#include "ns3/run-report.h"

#include "ns3/plot-writer.h"
#include "run-report-parts.h"

#include "ns3/gnuplot.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace ns3
{

namespace run_report
{
namespace fs = std::filesystem;

// ------------------------------------------------------------------ values of results.json

/** @p j[@p key], or null when @p j is no object or has no such key. */
const Json&
At(const Json& j, const std::string& key)
{
    static const Json kNull;
    if (j.is_object())
    {
        const auto it = j.find(key);
        if (it != j.end())
        {
            return *it;
        }
    }
    return kNull;
}

/** An array to iterate over: @p j itself, or an empty one when it is no array. */
const Json&
Items(const Json& j)
{
    static const Json kEmpty = Json::array();
    return j.is_array() ? j : kEmpty;
}

std::optional<double>
Number(const Json& j)
{
    return j.is_number() ? std::optional<double>(j.get<double>()) : std::nullopt;
}

std::string
Fixed(double x, int digits)
{
    std::ostringstream os;
    os << std::fixed << std::setprecision(digits) << x;
    return os.str();
}

/** A value as text: strings as they are, integers in full, others with 6 significant digits. */
std::string
Text(const Json& j)
{
    if (j.is_string())
    {
        return j.get<std::string>();
    }
    if (j.is_null())
    {
        return "";
    }
    if (j.is_number_float())
    {
        std::ostringstream os;
        os << j.get<double>();
        return os.str();
    }
    return j.dump();
}

/** Seconds as milliseconds with 3 decimals, "" when not a number. */
std::string
Ms(const Json& seconds)
{
    const auto s = Number(seconds);
    return s ? Fixed(*s * 1e3, 3) : "";
}

/** "reason: n, reason: n" of a {reason: count} object; "a; b" of an array. */
std::string
Counts(const Json& j)
{
    std::string r;
    if (j.is_object())
    {
        for (const auto& [k, v] : j.items())
        {
            r += (r.empty() ? "" : ", ") + k + ": " + Text(v);
        }
    }
    else if (j.is_array())
    {
        for (const auto& v : j)
        {
            r += (r.empty() ? "" : "; ") + Text(v);
        }
    }
    return r;
}

/** The address part of "10.0.0.10/24". */
std::string
Address(const Json& j)
{
    const std::string a = Text(j);
    return a.substr(0, a.find('/'));
}

// --------------------------------------------------------------------------- HTML and SVG

/** Text made safe for HTML and SVG content and attribute values. */
std::string
Esc(const std::string& s)
{
    std::string r;
    r.reserve(s.size());
    for (char c : s)
    {
        switch (c)
        {
        case '&':
            r += "&amp;";
            break;
        case '<':
            r += "&lt;";
            break;
        case '>':
            r += "&gt;";
            break;
        case '"':
            r += "&quot;";
            break;
        case '\'':
            r += "&#39;";
            break;
        default:
            r += c;
        }
    }
    return r;
}

/** At most @p n characters of @p s (UTF-8 aware), with an ellipsis when cut. */
std::string
Cut(const std::string& s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < s.size(); ++i)
    {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n)
        {
            return s.substr(0, i) + "\u2026";
        }
    }
    return s;
}

/** An HTML table built row by row; cells are text, escaped when rendered. */
class HtmlTable
{
public:
    /** A column: its heading and the class of its cells ("n": a number, right-aligned). */
    struct Column
    {
        std::string head;
        std::string cls;
    };

    HtmlTable(std::string cls, std::vector<Column> columns)
        : m_cls(std::move(cls)), m_columns(std::move(columns))
    {
    }

    void Row(std::vector<std::string> cells, const std::string& rowClass = "")
    {
        cells.resize(m_columns.size());
        m_rows.emplace_back(rowClass, std::move(cells));
    }

    bool Empty() const
    {
        return m_rows.empty();
    }

    std::string Render() const
    {
        std::ostringstream os;
        os << "<table class=\"" << Esc(m_cls) << "\">\n<thead><tr>";
        for (const auto& c : m_columns)
        {
            os << "<th>" << Esc(c.head) << "</th>";
        }
        os << "</tr></thead>\n<tbody>\n";
        for (const auto& [rowClass, cells] : m_rows)
        {
            os << (rowClass.empty() ? "<tr>" : "<tr class=\"" + Esc(rowClass) + "\">");
            for (size_t i = 0; i < cells.size(); ++i)
            {
                const std::string& cls = m_columns[i].cls;
                os << (cls.empty() ? "<td>" : "<td class=\"" + Esc(cls) + "\">") << Esc(cells[i])
                   << "</td>";
            }
            os << "</tr>\n";
        }
        os << "</tbody></table>\n";
        return os.str();
    }

private:
    std::string m_cls;
    std::vector<Column> m_columns;
    std::vector<std::pair<std::string, std::vector<std::string>>> m_rows;
};

/** A definition list of (term, text) pairs; empty texts are left out. */
std::string
Facts(const std::vector<std::pair<std::string, std::string>>& facts)
{
    std::string r = "<dl class=\"facts\">";
    for (const auto& [term, text] : facts)
    {
        if (!text.empty())
        {
            r += "<dt>" + Esc(term) + "</dt><dd>" + Esc(text) + "</dd>";
        }
    }
    return r + "</dl>\n";
}

std::string
Base64(const std::string& bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(n);
    return out;
}

std::string
ReadFile(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// -------------------------------------------------------------------------------- plots

/** Text for a double-quoted gnuplot string (titles, labels). */
std::string
Gp(const std::string& s)
{
    std::string r;
    for (char c : s)
    {
        r += c == '"' ? '\'' : c == '\\' ? '/' : c == '\n' ? ' ' : c;
    }
    return r;
}

/**
 * A plot of @p name ("plot-latency"), PNG 1000 x 600, text as given (no markup), titled
 * "SCENARIO: @p what" with the scenario's short name (its name up to a colon).
 */
Gnuplot
MakePlot(const std::string& name, const Json& results, const std::string& what)
{
    const std::string scenario = Text(At(At(results, "scenario"), "name"));
    Gnuplot plot(name + ".png");
    plot.SetTerminal("png noenhanced size 1000,600");
    plot.SetTitle(Gp(Cut(scenario.substr(0, scenario.find(':')), 60) + ": " + what));
    return plot;
}

/** "/traffic/0 udp h1 -> 10.2.2.10:5000" */
std::string
FlowName(const Json& f)
{
    std::string r = Text(At(f, "traffic")) + " " + Text(At(f, "kind")) + " " + Text(At(f, "from")) +
                    " -> " + Text(At(f, "to"));
    if (At(f, "port").is_number())
    {
        r += ":" + Text(At(f, "port"));
    }
    return r;
}

/** The end of the run: the scenario's duration, else the last sample. */
double
RunEnd(const Json& r)
{
    if (const auto d = Number(At(At(r, "scenario"), "duration_s")))
    {
        return *d;
    }
    const Json& t = At(At(r, "timeseries"), "t_s");
    return t.is_array() && !t.empty() && t.back().is_number() ? t.back().get<double>() : 0;
}

/** One line per entry of @p series (values by sample; null and missing samples break it). */
void
AddSeries(Gnuplot& plot, const Json& t, const Json& values, const std::string& title, double scale,
          const std::string& extra)
{
    Gnuplot2dDataset d(Gp(title));
    d.SetStyle(Gnuplot2dDataset::LINES);
    d.SetExtra(extra);
    bool gap = false;
    for (size_t i = 0; i < t.size() && i < values.size(); ++i)
    {
        const auto x = Number(t[i]);
        const auto y = Number(values[i]);
        if (x && y)
        {
            d.Add(*x, *y * scale);
            gap = false;
        }
        else if (!gap)
        {
            d.AddEmptyLine();
            gap = true;
        }
    }
    plot.AddDataset(d);
}

bool
AnyNumber(const Json& values)
{
    return std::any_of(values.begin(), values.end(), [](const Json& v) { return v.is_number(); });
}

void
PlotThroughput(const Json& r, PlotWriter& w)
{
    const Json& ts = At(r, "timeseries");
    const Json& t = Items(At(ts, "t_s"));
    double peak = 0;
    bool any = false;
    for (const auto& f : Items(At(ts, "flows")))
    {
        for (const auto& v : Items(At(f, "rx_bps")))
        {
            any = any || v.is_number();
            peak = std::max(peak, Number(v).value_or(0));
        }
    }
    if (!any || t.empty())
    {
        return;
    }
    const bool mega = peak >= 1e6;
    Gnuplot plot = MakePlot("plot-throughput", r, "received rate per flow");
    plot.SetLegend("time (s)",
                   mega ? "received (Mbit/s, IP layer)" : "received (kbit/s, IP layer)");
    plot.AppendExtra("set grid\nset key outside below\nset yrange [0:*]");
    for (const auto& f : Items(At(ts, "flows")))
    {
        AddSeries(plot, t, Items(At(f, "rx_bps")), FlowName(f), mega ? 1e-6 : 1e-3, "lw 2");
    }
    w.Write(plot, "plot-throughput", "Received rate per flow, per sampling interval");
}

void
PlotLatency(const Json& r, PlotWriter& w)
{
    const Json& ts = At(r, "timeseries");
    const Json& t = Items(At(ts, "t_s"));
    bool any = false;
    for (const auto& f : Items(At(ts, "flows")))
    {
        any = any || AnyNumber(Items(At(f, "mean_delay_ms")));
    }
    if (!any || t.empty())
    {
        return;
    }
    Gnuplot plot = MakePlot("plot-latency", r, "mean one-way delay per flow");
    plot.SetLegend("time (s)", "mean one-way delay (ms)");
    plot.AppendExtra("set grid\nset key outside below\nset yrange [0:*]");
    for (const auto& f : Items(At(ts, "flows")))
    {
        if (AnyNumber(Items(At(f, "mean_delay_ms"))))
        {
            AddSeries(plot, t, Items(At(f, "mean_delay_ms")), FlowName(f), 1, "lw 2");
        }
    }
    w.Write(plot, "plot-latency",
            "Mean one-way delay per flow, per sampling interval (gaps: nothing received)");
}

void
PlotEngines(const Json& r, PlotWriter& w)
{
    const Json& ts = At(r, "timeseries");
    const Json& t = Items(At(ts, "t_s"));
    const Json& engines = Items(At(ts, "engines"));
    if (engines.empty() || t.empty())
    {
        return;
    }
    Gnuplot plot = MakePlot("plot-engines", r, "crypto engines per router");
    plot.SetLegend("time (s)", "utilisation (%)");
    plot.AppendExtra("set grid\nset key outside below\nset yrange [0:105]\nset ytics nomirror\n"
                     "set y2tics\nset y2range [0:*]\nset y2label \"queue (operations)\"");
    for (const auto& e : engines)
    {
        const std::string who = Text(At(e, "node")) + " " + Text(At(e, "engine"));
        AddSeries(plot, t, Items(At(e, "utilisation")), who + " utilisation", 100,
                  "lw 2 axes x1y1");
        AddSeries(plot, t, Items(At(e, "queue")), who + " queue", 1, "dt 2 axes x1y2");
    }
    w.Write(plot, "plot-engines",
            "Crypto engine utilisation (solid, left axis) and queue length (dashed, right axis)");
}

// ------------------------------------------------------------------------------- the page

const char* const kCss = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em 2em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { border-bottom: 2px solid #ccd; margin-top: 2em; }
h3 { margin-top: 1.5em; }
nav a { margin-right: 1em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 13px; }
th, td { border: 1px solid #ccd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eef; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.spi { font-family: monospace; }
tr.bad td { background: #fdecea; }
.warnings li { color: #8a4b00; }
.caption, figcaption { color: #555; font-size: 13px; max-width: 70em; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
.scroll { overflow-x: auto; }
svg.ladder { font: 11px sans-serif; background: #fcfcff; border: 1px solid #ddd; }
svg.ladder .lane text { text-anchor: middle; font-weight: 600; font-size: 13px; }
svg.ladder .lane line { stroke: #888; stroke-width: 1.5; }
svg.ladder text.t { text-anchor: end; fill: #666; }
svg.ladder .gap line { stroke: #bbb; stroke-dasharray: 2 4; }
svg.ladder .gap text { text-anchor: end; fill: #777; font-style: italic; }
svg.ladder .ike-msg line { stroke: #1f5fa8; stroke-width: 1.5; }
svg.ladder .ike-msg.failed line { stroke: #c0392b; }
svg.ladder .flow-pkt line { stroke: #2e8b57; stroke-width: 1.5; }
svg.ladder text.label { text-anchor: middle; fill: #333; font-size: 10px; }
svg.ladder text.label.rightwards { text-anchor: start; fill: #2e6b47; }
svg.ladder text.label.leftwards { text-anchor: end; fill: #2e6b47; }
svg.ladder text.cross { text-anchor: middle; fill: #c0392b; font-size: 14px; }
svg.ladder text.note { fill: #1f3f78; }
svg.ladder text.note.failed { fill: #c0392b; }
svg.ladder text.note.flow { fill: #2e6b47; }
svg.ladder .ike-event circle { fill: #8c564b; }
svg.ladder .ike-event.failed circle { fill: #c0392b; }
)";

std::string
FlowsTable(const Json& r)
{
    HtmlTable t("flows", {{"flow", ""},
                          {"kind", ""},
                          {"from", ""},
                          {"to", ""},
                          {"sent", "n"},
                          {"received", "n"},
                          {"lost", "n"},
                          {"sent bytes", "n"},
                          {"received bytes", "n"},
                          {"mean delay (ms)", "n"},
                          {"max delay (ms)", "n"},
                          {"delay", ""},
                          {"first sent (s)", "n"},
                          {"first received (s)", "n"}});
    for (const auto& f : Items(At(r, "flows")))
    {
        std::string to = Text(At(f, "to"));
        if (At(f, "port").is_number())
        {
            to += ":" + Text(At(f, "port"));
        }
        if (At(f, "to_node").is_string())
        {
            to += " (" + Text(At(f, "to_node")) + ")";
        }
        const bool lossy = Number(At(f, "lost")).value_or(0) > 0;
        t.Row({Text(At(f, "traffic")), Text(At(f, "kind")), Text(At(f, "from")), to,
               Text(At(f, "sent")), Text(At(f, "received")), Text(At(f, "lost")),
               Text(At(f, "sent_bytes")), Text(At(f, "received_bytes")), Ms(At(f, "mean_delay_s")),
               Ms(At(f, "max_delay_s")), Text(At(f, "delay")), Text(At(f, "first_tx_s")),
               Text(At(f, "first_rx_s"))},
              lossy ? "bad" : "");
    }
    return t.Empty() ? "<p>No traffic.</p>\n" : t.Render();
}

/** Per SA: its known fields, then any other plain value the runner records (lifetimes...). */
std::string
SaTable(const Json& sas)
{
    static const std::vector<std::pair<std::string, HtmlTable::Column>> known = {
        {"spi", {"SPI", "spi"}}, {"protocol", {"protocol", ""}}, {"direction", {"direction", ""}},
        {"peer", {"peer", ""}},  {"local", {"local", ""}},       {"transform", {"transform", ""}},
        {"mode", {"mode", ""}},  {"flow", {"flow", ""}},         {"map", {"crypto map", ""}},
        {"seq", {"seq", "n"}},   {"packets", {"packets", "n"}},  {"bytes", {"bytes", "n"}},
        {"drops", {"drops", ""}}};
    std::vector<std::string> keys;
    std::vector<HtmlTable::Column> columns;
    for (const auto& [key, column] : known)
    {
        keys.push_back(key);
        columns.push_back(column);
    }
    for (const auto& sa : Items(sas))
    {
        for (const auto& [key, v] : sa.items())
        {
            if (!v.is_structured() && std::find(keys.begin(), keys.end(), key) == keys.end())
            {
                keys.push_back(key);
                columns.push_back({key, v.is_number() ? "n" : ""});
            }
        }
    }
    HtmlTable t("sas", columns);
    for (const auto& sa : Items(sas))
    {
        std::vector<std::string> cells;
        for (const auto& key : keys)
        {
            cells.push_back(key == "drops" ? Counts(At(sa, key)) : Text(At(sa, key)));
        }
        t.Row(cells, At(sa, "drops").empty() ? "" : "bad");
    }
    return t.Empty() ? "<p>No IPsec SAs at the end of the run.</p>\n" : t.Render();
}

std::string
HardwareSection(const Json& h)
{
    std::string html =
        Facts({{"platform", Text(At(h, "platform"))},
               {"packets forwarded", Text(At(h, "forwarded"))},
               {"input queue drops", Text(At(h, "input_queue_drops"))},
               {"SA sets refused by the engines", Counts(At(h, "refused_sa_sets"))}});
    HtmlTable t("engines", {{"engine", ""},
                            {"slot", "n"},
                            {"description", ""},
                            {"operations", "n"},
                            {"utilisation (%)", "n"},
                            {"busy (s)", "n"},
                            {"queue limit", "n"},
                            {"refused", ""},
                            {"failed", ""},
                            {"tunnels", "n"}});
    auto row = [&](const Json& e)
    {
        const auto u = Number(At(e, "utilisation"));
        std::string tunnels = Text(At(e, "tunnels"));
        if (!tunnels.empty() && At(e, "max_tunnels").is_number())
        {
            tunnels += " of " + Text(At(e, "max_tunnels"));
        }
        t.Row({Text(At(e, "name")), Text(At(e, "slot")), Text(At(e, "description")),
               Text(At(e, "completed")), u ? Fixed(*u * 100, 2) : "", Text(At(e, "busy_s")),
               Text(At(e, "queue_depth_limit")), Counts(At(e, "refused")), Text(At(e, "failed")),
               tunnels},
              At(e, "failed") == true ? "bad" : "");
    };
    if (At(h, "cpu").is_object())
    {
        row(At(h, "cpu"));
    }
    for (const auto& c : Items(At(h, "cards")))
    {
        row(c);
    }
    return html + (t.Empty() ? "" : t.Render());
}

std::string
RouterSection(const std::string& name, const Json& node)
{
    const Json& rep = At(node, "report");
    std::ostringstream os;
    os << "<section class=\"router\" id=\"router-" << Esc(name) << "\">\n<h3>" << Esc(name)
       << "</h3>\n";
    os << Facts({{"hostname", Text(At(rep, "hostname"))},
                 {"packets encapsulated", Text(At(rep, "encapsulated"))},
                 {"packets decapsulated", Text(At(rep, "decapsulated"))},
                 {"NAT", At(rep, "nat").is_object() ? Counts(At(rep, "nat")) : ""},
                 {"show output", Text(At(node, "show"))}});
    os << "<h4>Drops by reason</h4>\n";
    HtmlTable drops("drops", {{"reason", ""}, {"packets", "n"}});
    if (At(rep, "drops").is_object())
    {
        for (const auto& [reason, count] : At(rep, "drops").items())
        {
            drops.Row({reason, Text(count)});
        }
    }
    os << (drops.Empty() ? "<p>None.</p>\n" : drops.Render());
    os << "<h4>IPsec SAs at the end of the run</h4>\n" << SaTable(At(rep, "sas"));
    const Json& ike = At(rep, "ike");
    if (ike.is_object())
    {
        os << "<h4>ISAKMP SAs at the end of the run</h4>\n";
        HtmlTable t("isakmp", {{"conn id", "n"},
                               {"local", ""},
                               {"peer", ""},
                               {"role", ""},
                               {"state", ""},
                               {"suite", ""},
                               {"created (s)", "n"}});
        for (const auto& sa : Items(At(ike, "isakmp_sas")))
        {
            t.Row({Text(At(sa, "conn_id")), Text(At(sa, "local")), Text(At(sa, "peer")),
                   Text(At(sa, "role")), Text(At(sa, "state")), Text(At(sa, "suite")),
                   Text(At(sa, "created_s"))});
        }
        os << (t.Empty() ? "<p>None.</p>\n" : t.Render());
        os << Facts({{"IKE datagrams dropped", Text(At(ike, "dropped_messages"))},
                     {"IKE drops by reason", Counts(At(ike, "drop_reasons"))},
                     {"NAT keepalives", Counts(At(ike, "nat_keepalives"))}});
    }
    if (At(rep, "hardware").is_object())
    {
        os << "<h4>Hardware</h4>\n" << HardwareSection(At(rep, "hardware"));
    }
    os << "</section>\n";
    return os.str();
}

std::string
IkeTable(const Json& r)
{
    HtmlTable t("ike", {{"node", ""},
                        {"exchange", ""},
                        {"role", ""},
                        {"local", ""},
                        {"peer", ""},
                        {"start (s)", "n"},
                        {"end (s)", "n"},
                        {"result", ""},
                        {"messages", "n"},
                        {"retransmissions", "n"},
                        {"detail", ""}});
    for (const auto& x : Items(At(r, "ike")))
    {
        std::string detail = Text(At(x, "detail"));
        if (!Text(At(x, "reason")).empty())
        {
            detail += (detail.empty() ? "" : "; ") + Text(At(x, "reason"));
        }
        t.Row({Text(At(x, "node")), Text(At(x, "exchange")), Text(At(x, "role")),
               Text(At(x, "local")), Text(At(x, "peer")), Text(At(x, "start_s")),
               Text(At(x, "end_s")), Text(At(x, "result")), Text(At(x, "messages")),
               Text(At(x, "retransmissions")), detail},
              Text(At(x, "result")) == "failed" ? "bad" : "");
    }
    return t.Render();
}

std::string
EventsTable(const Json& r)
{
    HtmlTable t("events", {{"at (s)", "n"}, {"node or link end", ""}, {"what", ""}});
    for (const auto& e : Items(At(r, "events")))
    {
        std::string what;
        for (const auto& [k, v] : e.items())
        {
            if (k != "at_s" && k != "node" && k != "link")
            {
                what += (what.empty() ? "" : ", ") + k + ": " + Text(v);
            }
        }
        t.Row({Text(At(e, "at_s")),
               At(e, "node").is_string() ? Text(At(e, "node")) : Text(At(e, "link")), what});
    }
    return t.Render();
}

std::string
Page(const Json& r, const std::vector<IkeExchange>& exchanges,
     const std::map<std::string, std::string>& nodes, const PlotWriter& plots)
{
    const Json& sc = At(r, "scenario");
    const std::string name = Text(At(sc, "name")).empty() ? "run" : Text(At(sc, "name"));
    std::vector<std::string> routers;
    for (const auto& [n, node] : At(r, "nodes").items())
    {
        if (At(node, "report").is_object())
        {
            routers.push_back(n);
        }
    }
    std::string ladderCaption;
    const std::string ladder = LadderSvg(r, exchanges, nodes, ladderCaption);

    std::ostringstream os;
    os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
       << Esc(name) << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n";
    os << "<header>\n<h1>" << Esc(name) << "</h1>\n";
    const auto duration = Number(At(sc, "duration_s"));
    os << Facts({{"scenario file", Text(At(sc, "file"))},
                 {"seed", Text(At(sc, "seed"))},
                 {"run", Text(At(sc, "run"))},
                 {"duration", duration ? Text(At(sc, "duration_s")) + " s" : ""},
                 {"crypto", Text(At(sc, "crypto"))},
                 {"real time", Text(At(sc, "realtime"))}});
    os << "</header>\n<nav><a href=\"#ladder\">ladder diagram</a><a href=\"#plots\">plots</a>"
       << "<a href=\"#flows\">flows</a><a href=\"#routers\">routers</a>"
       << (Items(At(r, "ike")).empty() ? "" : "<a href=\"#ike\">IKE exchanges</a>")
       << (Items(At(r, "events")).empty() ? "" : "<a href=\"#events\">events</a>") << "</nav>\n";
    if (!Items(At(r, "warnings")).empty())
    {
        os << "<h2 id=\"warnings\">Warnings</h2>\n<ul class=\"warnings\">\n";
        for (const auto& w : Items(At(r, "warnings")))
        {
            os << "<li>" << Esc(Text(w)) << "</li>\n";
        }
        os << "</ul>\n";
    }

    os << "<section id=\"ladder\">\n<h2>Ladder diagram</h2>\n";
    if (ladder.empty())
    {
        os << "<p>No IKE exchange and no packet times to draw.</p>\n";
    }
    else
    {
        os << "<p class=\"caption\">" << Esc(ladderCaption) << "</p>\n<div class=\"scroll\">"
           << ladder << "</div>\n";
    }
    os << "</section>\n";

    os << "<section id=\"plots\">\n<h2>Plots</h2>\n";
    for (const auto& [png, caption] : plots.Pngs())
    {
        os << "<figure><img alt=\"" << Esc(png) << "\" src=\"data:image/png;base64,"
           << Base64(ReadFile(plots.Dir() / png)) << "\"><figcaption>" << Esc(png) << ": "
           << Esc(caption) << "</figcaption></figure>\n";
    }
    if (plots.Pngs().empty())
    {
        os << "<p>"
           << Esc(plots.Scripts().empty()
                      ? "Nothing to plot."
                      : "No pictures: " +
                            std::string(plots.HaveGnuplot() ? "gnuplot failed"
                                                            : "gnuplot is not installed") +
                            "; the gnuplot scripts (.plt) are in the run's folder.")
           << "</p>\n";
    }
    os << "</section>\n";

    os << "<section id=\"flows\">\n<h2>Flows</h2>\n" << FlowsTable(r) << "</section>\n";
    os << "<section id=\"routers\">\n<h2>Routers</h2>\n";
    for (const auto& n : routers)
    {
        os << RouterSection(n, At(At(r, "nodes"), n));
    }
    if (routers.empty())
    {
        os << "<p>No routers.</p>\n";
    }
    os << "</section>\n";
    if (!Items(At(r, "ike")).empty())
    {
        os << "<section id=\"ike\">\n<h2>IKE exchanges</h2>\n" << IkeTable(r) << "</section>\n";
    }
    if (!Items(At(r, "events")).empty())
    {
        os << "<section id=\"events\">\n<h2>Events</h2>\n" << EventsTable(r) << "</section>\n";
    }
    os << "</body>\n</html>\n";
    return os.str();
}

} // namespace run_report

using namespace run_report;

nlohmann::json
WriteRunReport(const nlohmann::json& results, const std::string& outDir)
{
    const fs::path out(outDir);
    for (const char* name : {"plot-throughput", "plot-latency", "plot-engines", "plot-sa-timeline"})
    {
        // an earlier report's plot that this one leaves out (no data) must not stay behind
        std::error_code ec;
        fs::remove(out / (std::string(name) + ".png"), ec);
        fs::remove(out / (std::string(name) + ".plt"), ec);
    }
    PlotWriter plots(out);
    const auto nodes = NodesByAddress(results);
    const auto exchanges = IkeExchanges(results, nodes);
    PlotThroughput(results, plots);
    PlotLatency(results, plots);
    PlotEngines(results, plots);
    PlotSaTimeline(results, nodes, plots);

    const fs::path page = out / "report.html";
    {
        std::ofstream html(page);
        html << Page(results, exchanges, nodes, plots);
        if (!html)
        {
            throw std::runtime_error("cannot write " + page.string());
        }
    }

    Json summary = {
        {"report", "report.html"}, {"plots", Json::array()}, {"scripts", Json::array()}};
    for (const auto& [png, caption] : plots.Pngs())
    {
        summary["plots"].push_back(png);
    }
    for (const auto& s : plots.Scripts())
    {
        summary["scripts"].push_back(s);
    }
    if (!plots.HaveGnuplot() && !plots.Scripts().empty())
    {
        summary["note"] = "gnuplot is not installed: the .plt scripts are written, no PNG";
    }
    else if (!plots.Failed().empty())
    {
        std::string failed;
        for (const auto& f : plots.Failed())
        {
            failed += (failed.empty() ? "" : ", ") + f;
        }
        summary["note"] = "gnuplot failed on " + failed;
    }
    return summary;
}

} // namespace ns3
