#include "ns3/run-report.h"

#include "ns3/plot-writer.h"

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

namespace
{
namespace fs = std::filesystem;
using Json = nlohmann::json;

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

// ------------------------------------------------------------------ the IKE timeline

/** Addresses of the run to node names: IKE and SA ends, host and external node addresses. */
std::map<std::string, std::string>
NodesByAddress(const Json& r)
{
    std::map<std::string, std::string> m;
    for (const auto& [name, n] : At(r, "nodes").items())
    {
        if (At(n, "address").is_string())
        {
            m[Address(At(n, "address"))] = name;
        }
        for (const auto& sa : Items(At(At(n, "report"), "sas")))
        {
            m[Text(At(sa, "local"))] = name;
        }
        for (const auto& x : Items(At(At(At(n, "report"), "ike"), "exchanges")))
        {
            m[Text(At(x, "local"))] = name;
        }
    }
    for (const auto& x : Items(At(r, "ike")))
    {
        m[Text(At(x, "local"))] = Text(At(x, "node"));
    }
    return m;
}

/** The node that has @p address, else the address itself. */
std::string
NodeAt(const std::map<std::string, std::string>& nodes, const std::string& address)
{
    const auto it = nodes.find(address);
    return it != nodes.end() ? it->second : address;
}

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

std::vector<IkeExchange>
IkeExchanges(const Json& r, const std::map<std::string, std::string>& nodes)
{
    std::vector<IkeExchange> out;
    std::map<std::string, std::vector<size_t>> byKey;
    for (const auto& x : Items(At(r, "ike")))
    {
        const std::string node = Text(At(x, "node"));
        const std::string peer = NodeAt(nodes, Text(At(x, "peer")));
        const std::string key = Text(At(x, "exchange")) + "|" + Text(At(x, "icookie")) + "|" +
                                Text(At(x, "message_id")) + "|" + std::min(node, peer) + "|" +
                                std::max(node, peer);
        IkeExchange* e = nullptr;
        for (size_t i : byKey[key])
        {
            if (std::none_of(out[i].records.begin(), out[i].records.end(),
                             [&](const Json* y) { return Text(At(*y, "node")) == node; }))
            {
                e = &out[i];
            }
        }
        const double start = Number(At(x, "start_s")).value_or(0);
        const double end = Number(At(x, "end_s")).value_or(start);
        const auto messages = static_cast<uint32_t>(Number(At(x, "messages")).value_or(0));
        if (!e)
        {
            byKey[key].push_back(out.size());
            out.emplace_back();
            e = &out.back();
            e->kind = Text(At(x, "exchange"));
            e->start = start;
            e->end = end;
        }
        const bool initiator = Text(At(x, "role")) == "initiator";
        if (initiator || e->initiator.empty())
        {
            e->initiator = initiator ? node : peer;
            e->responder = initiator ? peer : node;
        }
        e->records.push_back(&x);
        (Text(At(x, "role")) == "initiator" ? e->initiatorSpan : e->responderSpan) = {start, end};
        e->start = std::min(e->start, start);
        e->end = std::max(e->end, end);
        if (messages > e->messages || e->records.size() == 1)
        {
            e->messages = messages;
            e->retransmissions = std::min(
                messages, static_cast<uint32_t>(Number(At(x, "retransmissions")).value_or(0)));
            e->retransmitter = node;
        }
    }
    for (auto& e : out)
    {
        if (e.kind == "informational")
        {
            // RFC 2408 4.8: one message, one way. A failed one is the daemon's verdict (dead
            // peer detection giving up), recorded with the messages that went unanswered,
            // which have records of their own: no message of its own.
            const bool failed =
                std::any_of(e.records.begin(), e.records.end(),
                            [](const Json* x) { return Text(At(*x, "result")) == "failed"; });
            e.messages = failed ? 0 : std::min<uint32_t>(e.messages, 1);
            e.retransmissions = 0;
        }
    }
    return out;
}

/**
 * When each message of an exchange is sent and arrives: times[i] to times[i + 1] for message i.
 * The ends' records fix the first message (sent at the initiator's start, arriving at the
 * responder's start) and the arrival of the last (the end of its receiver's record); the
 * messages between are spread evenly. With one end's record only, or retransmissions, all
 * are spread evenly over the exchange.
 */
std::vector<double>
MessageTimes(const IkeExchange& e)
{
    const uint32_t n = e.messages;
    std::vector<double> t(n + 1);
    for (uint32_t k = 0; k <= n; ++k)
    {
        t[k] = e.start + (e.end - e.start) * k / std::max<uint32_t>(n, 1);
    }
    if (n == 0 || e.retransmissions > 0 || !e.initiatorSpan || !e.responderSpan ||
        e.responderSpan->first < e.initiatorSpan->first)
    {
        return t;
    }
    const bool lastFromInitiator = (n - 1) % 2 == 0;
    const double lastArrives =
        lastFromInitiator ? e.responderSpan->second : e.initiatorSpan->second;
    if (n >= 2 && lastArrives < e.responderSpan->first)
    {
        return t;
    }
    t[0] = e.initiatorSpan->first;
    t[1] = e.responderSpan->first;
    for (uint32_t k = 2; k <= n; ++k)
    {
        t[k] = t[1] + (lastArrives - t[1]) * (k - 1) / (n - 1);
    }
    return t;
}

/** "ok", "failed" or "in progress" of an exchange: failed when either end says so. */
std::string
Outcome(const IkeExchange& e)
{
    std::string r = "ok";
    for (const Json* x : e.records)
    {
        const std::string s = Text(At(*x, "result"));
        if (s == "failed" || (s == "in progress" && r == "ok"))
        {
            r = s;
        }
    }
    return r;
}

/**
 * What the exchange's records say: for a failure each end's detail and reason ("R1: ...; R2:
 * ..."), else the initiator's (the responder's when the initiator left no record).
 */
std::string
Details(const IkeExchange& e, bool ok)
{
    std::vector<std::pair<std::string, std::string>> parts;
    for (const Json* x : e.records)
    {
        std::string d = Text(At(*x, "detail"));
        const std::string reason = Text(At(*x, "reason"));
        if (!reason.empty())
        {
            d += (d.empty() ? "" : "; ") + reason;
        }
        if (!d.empty())
        {
            parts.emplace_back(Text(At(*x, "node")), d);
        }
    }
    if (ok && parts.size() > 1)
    {
        parts.erase(parts.begin() + (parts[0].first == e.initiator ? 1 : 0));
    }
    if (parts.size() == 2 && parts[0].second == parts[1].second)
    {
        parts.pop_back();
    }
    std::string r;
    for (const auto& [node, d] : parts)
    {
        r += (r.empty() ? "" : "; ") + (parts.size() > 1 ? node + ": " : "") + d;
    }
    return r;
}

std::string
KindName(const std::string& kind)
{
    return kind == "main" || kind == "aggressive" || kind == "quick" ? kind + " mode" : kind;
}

/** Short names of an exchange's messages, as IOS debugging names them: MM1..MM6, QM1..QM3. */
std::string
MessageName(const std::string& kind, uint32_t i, uint32_t n)
{
    const std::string p = kind == "main"         ? "MM"
                          : kind == "aggressive" ? "AM"
                          : kind == "quick"      ? "QM"
                                                 : "INFO";
    return p == "INFO" && n == 1 ? p : p + std::to_string(i + 1);
}

/** A crude "contains" for the IKE daemon's own texts ("sent delete", "peer deleted ..."). */
bool
Says(const Json& x, const std::string& what)
{
    return (Text(At(x, "detail")) + " " + Text(At(x, "reason"))).find(what) != std::string::npos;
}

void
PlotSaTimeline(const Json& r, const std::map<std::string, std::string>& nodes, PlotWriter& w)
{
    const Json& ike = Items(At(r, "ike"));
    if (ike.empty())
    {
        return;
    }
    const double runEnd = std::max(RunEnd(r), 0.0);
    // rows: (router by first appearance, 0 exchanges | 1 ISAKMP SA | 2 IPsec SAs, peer)
    std::vector<std::string> routers;
    using Row = std::tuple<size_t, int, std::string>;
    struct Bar
    {
        Row row;
        double from;
        double to;
        int set; //!< 0 ISAKMP; 1, 2 IPsec SA pairs, alternating
    };
    std::vector<Bar> bars;
    std::map<std::string, std::vector<std::pair<Row, double>>> points; // by legend
    std::map<Row, std::pair<double, int>> open;                        // -> start, set
    std::map<Row, int> generation;
    auto close = [&](const Row& row, double t)
    {
        auto it = open.find(row);
        if (it != open.end())
        {
            bars.push_back(
                {row, it->second.first, std::max(t, it->second.first), it->second.second});
            open.erase(it);
        }
    };
    auto begin = [&](const Row& row, double t)
    {
        close(row, t);
        const int set = std::get<1>(row) == 1 ? 0 : 1 + generation[row]++ % 2;
        open[row] = {t, set};
    };
    for (const auto& x : ike)
    {
        const std::string node = Text(At(x, "node"));
        const auto ri = std::find(routers.begin(), routers.end(), node) - routers.begin();
        if (static_cast<size_t>(ri) == routers.size())
        {
            routers.push_back(node);
        }
        const size_t router = static_cast<size_t>(ri);
        const std::string peer = NodeAt(nodes, Text(At(x, "peer")));
        const std::string kind = Text(At(x, "exchange"));
        const std::string result = Text(At(x, "result"));
        const double start = Number(At(x, "start_s")).value_or(0);
        const double end = Number(At(x, "end_s")).value_or(start);
        const Row isakmp{router, 1, peer};
        const Row ipsec{router, 2, peer};
        points[result == "failed" ? std::string("failed exchange") : KindName(kind)].push_back(
            {Row{router, 0, ""}, start});
        if (result == "ok" && (kind == "main" || kind == "aggressive"))
        {
            begin(isakmp, end);
        }
        else if (result == "ok" && kind == "quick")
        {
            begin(ipsec, end);
        }
        else if (kind == "informational" && result == "failed")
        {
            close(isakmp, start); // dead peer detection gave up: every SA with the peer goes
            close(ipsec, start);
        }
        else if (kind == "informational" && Says(x, "delete of the ISAKMP SA"))
        {
            close(isakmp, start);
        }
        else if (kind == "informational" && Says(x, "delete"))
        {
            close(ipsec, start);
        }
    }
    while (!open.empty())
    {
        close(open.begin()->first, runEnd);
    }

    std::set<Row> rows;
    for (const auto& b : bars)
    {
        rows.insert(b.row);
    }
    for (const auto& [legend, pts] : points)
    {
        for (const auto& p : pts)
        {
            rows.insert(p.first);
        }
    }
    std::map<Row, int> y;
    std::string ytics;
    for (const auto& row : rows)
    {
        const int k = -static_cast<int>(y.size());
        y[row] = k;
        const auto& [router, kind, peer] = row;
        const std::string label = routers[router] + (kind == 0   ? " IKE exchanges"
                                                     : kind == 1 ? " ISAKMP SA with " + peer
                                                                 : " IPsec SAs with " + peer);
        ytics +=
            (ytics.empty() ? "" : ", ") + std::string("\"") + Gp(label) + "\" " + std::to_string(k);
    }

    Gnuplot plot = MakePlot("plot-sa-timeline", r, "IKE exchanges and SA lifetimes");
    plot.SetLegend("time (s)", "");
    plot.AppendExtra("set grid xtics\nset key outside below\nset ytics (" + ytics + ")\n" +
                     "set yrange [" + std::to_string(-static_cast<int>(rows.size()) + 0.4) +
                     ":0.6]\nset xrange [0:" + std::to_string(std::max(runEnd, 1e-3)) +
                     "]\nset lmargin 30");
    const char* const barTitle[] = {"ISAKMP SA", "IPsec SA pair (1st, 3rd, ... generation)",
                                    "IPsec SA pair (2nd, 4th, ... generation: after a rekey)"};
    const char* const barColour[] = {"#7f7f7f", "#1f77b4", "#ff7f0e"};
    for (int set = 0; set < 3; ++set)
    {
        Gnuplot2dDataset d(barTitle[set]);
        d.SetStyle(Gnuplot2dDataset::LINES);
        d.SetExtra(std::string("lw 10 lc rgb '") + barColour[set] + "'");
        bool any = false;
        for (const auto& b : bars)
        {
            if (b.set == set)
            {
                d.Add(b.from, y[b.row]);
                d.Add(b.to, y[b.row]);
                d.AddEmptyLine();
                any = true;
            }
        }
        if (any)
        {
            plot.AddDataset(d);
        }
    }
    const std::map<std::string, std::string> style = {
        {"main mode", "pt 6 ps 2.5 lw 2 lc rgb '#2ca02c'"},
        {"aggressive mode", "pt 5 ps 1.5 lc rgb '#17becf'"},
        {"quick mode", "pt 9 ps 1.5 lc rgb '#9467bd'"},
        {"informational", "pt 1 ps 1.5 lc rgb '#8c564b'"},
        {"failed exchange", "pt 2 ps 2 lw 2 lc rgb '#d62728'"}};
    for (const auto& [legend, pts] : points)
    {
        Gnuplot2dDataset d(Gp(legend));
        d.SetStyle(Gnuplot2dDataset::POINTS);
        const auto s = style.find(legend);
        d.SetExtra(s != style.end() ? s->second : "pt 6 ps 1.5");
        for (const auto& [row, t] : pts)
        {
            d.Add(t, y[row]);
        }
        plot.AddDataset(d);
    }
    w.Write(plot, "plot-sa-timeline",
            "IKE exchanges (marks at their start) and SA lifetimes: an SA pair from the quick "
            "mode that made it to the next one with the same peer, a delete, dead peer "
            "detection or the end of the run");
}

// ---------------------------------------------------------------------- the ladder diagram

/** Lanes of the ladder: the nodes involved, in the order a walk over the links meets them. */
std::vector<std::string>
LaneOrder(const Json& r, const std::set<std::string>& involved, const std::string& first)
{
    std::map<std::string, std::vector<std::string>> next;
    auto nodeOf = [](const Json& end)
    {
        const std::string s = Text(end);
        return s.substr(0, s.find(':'));
    };
    for (const auto& l : Items(At(r, "links")))
    {
        const std::string a = nodeOf(At(l, "a"));
        const std::string b = nodeOf(At(l, "b"));
        next[a].push_back(b);
        next[b].push_back(a);
    }
    std::vector<std::string> order;
    std::set<std::string> seen;
    auto walk = [&](const std::string& from)
    {
        std::vector<std::string> queue{from};
        for (size_t i = 0; i < queue.size(); ++i)
        {
            if (!seen.insert(queue[i]).second)
            {
                continue;
            }
            if (involved.count(queue[i]))
            {
                order.push_back(queue[i]);
            }
            for (const auto& m : next[queue[i]])
            {
                queue.push_back(m);
            }
        }
    };
    walk(first);
    for (const auto& n : involved)
    {
        walk(n); // a part the links do not reach, or a peer known only by its address
    }
    return order;
}

/** An arrow of the ladder: a message from one lane at @p sent to another at @p received. */
struct LadderArrow
{
    double sent;
    double received;
    std::string from;
    std::string to;
    std::string cls;   //!< "ike-msg ..." or "flow-pkt ..."
    std::string label; //!< on the arrow
    std::string title; //!< tooltip
    std::string note;  //!< in the right-hand column, at the arrow's start
    bool dashed = false;
    bool lost = false;  //!< never arrived: drawn half way, with a cross
    bool event = false; //!< an exchange of no message: a mark on its lane
};

constexpr size_t kMaxLadderMessages = 400;

std::string
LadderSvg(const Json& r, const std::vector<IkeExchange>& exchanges,
          const std::map<std::string, std::string>& nodes, std::string& caption)
{
    std::vector<LadderArrow> arrows;
    size_t total = 0;
    size_t drawn = 0;
    bool full = false; // the exchanges from the first that does not fit on are left out
    for (const auto& e : exchanges)
    {
        total += e.messages;
        full = full || drawn + e.messages > kMaxLadderMessages;
        if (full)
        {
            continue;
        }
        const std::string outcome = Outcome(e);
        const std::string details = Details(e, outcome == "ok");
        const std::string note = KindName(e.kind) + " " + e.initiator + " \u2192 " + e.responder +
                                 ": " + outcome + (details.empty() ? "" : " \u2014 " + details);
        const std::string cls = "ike-msg " + e.kind + (outcome == "ok" ? "" : " failed");
        if (e.messages == 0)
        {
            LadderArrow a;
            a.sent = a.received = e.start;
            a.from = a.to = e.initiator;
            a.cls = "ike-event" + std::string(outcome == "ok" ? "" : " failed");
            a.title = a.note = note;
            a.event = true;
            arrows.push_back(a);
            continue;
        }
        drawn += e.messages;
        const uint32_t n = e.messages;
        const uint32_t first = n - e.retransmissions;
        const std::vector<double> times = MessageTimes(e);
        for (uint32_t i = 0; i < n; ++i)
        {
            LadderArrow a;
            a.sent = times[i];
            a.received = times[i + 1];
            const bool again = i >= first;
            const bool fromInitiator = again ? e.retransmitter == e.initiator : i % 2 == 0;
            a.from = fromInitiator ? e.initiator : e.responder;
            a.to = fromInitiator ? e.responder : e.initiator;
            a.cls = cls;
            a.label = again ? "retransmission" : MessageName(e.kind, i, n);
            a.dashed = again;
            a.title = KindName(e.kind) + " message " + std::to_string(i + 1) + " of " +
                      std::to_string(n) + ", " + a.from + " \u2192 " + a.to + " (" + outcome + ")";
            a.note = i == 0 ? note : "";
            arrows.push_back(a);
        }
    }
    for (const auto& f : Items(At(r, "flows")))
    {
        const auto tx = Number(At(f, "first_tx_s"));
        if (!tx)
        {
            continue;
        }
        const auto rx = Number(At(f, "first_rx_s"));
        LadderArrow a;
        a.sent = *tx;
        a.received = rx.value_or(*tx);
        a.from = Text(At(f, "from"));
        a.to = At(f, "to_node").is_string() ? Text(At(f, "to_node"))
                                            : NodeAt(nodes, Text(At(f, "to")));
        a.cls = "flow-pkt";
        a.label = "first " + Text(At(f, "kind")) + " packet";
        a.lost = !rx;
        a.note = "first packet of " + FlowName(f) + ": sent " + Fixed(*tx, 4) + " s, " +
                 (rx ? "received " + Fixed(*rx, 4) + " s (" + Fixed((*rx - *tx) * 1e3, 3) + " ms)"
                     : std::string("not received"));
        a.title = a.note;
        arrows.push_back(a);
    }
    if (arrows.empty())
    {
        return "";
    }

    std::set<std::string> involved;
    for (const auto& a : arrows)
    {
        involved.insert(a.from);
        involved.insert(a.to);
    }
    // the walk starts at the sender of the first flow, else at the first initiator
    std::string first = arrows.front().from;
    for (const auto& a : arrows)
    {
        if (a.cls == "flow-pkt")
        {
            first = a.from;
            break;
        }
    }
    const std::vector<std::string> lanes = LaneOrder(r, involved, first);

    // Rows: every time an arrow starts or ends, in order; a long pause gets a marked gap.
    std::vector<double> times;
    for (const auto& a : arrows)
    {
        times.push_back(a.sent);
        times.push_back(a.received);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end(),
                            [](double a, double b) { return std::abs(a - b) < 1e-9; }),
                times.end());
    constexpr double kTop = 46;
    constexpr double kRow = 18;
    constexpr double kGapRows = 1.6;
    constexpr double kGapSeconds = 1.0;
    constexpr double kTimeColumn = 84;
    constexpr double kLaneGap = 170;
    std::vector<double> rowY(times.size());
    std::vector<std::pair<double, double>> gaps; // (y, seconds)
    double yy = kTop;
    for (size_t i = 0; i < times.size(); ++i)
    {
        if (i > 0 && times[i] - times[i - 1] > kGapSeconds)
        {
            gaps.emplace_back(yy + kRow * (kGapRows / 2 - 0.5), times[i] - times[i - 1]);
            yy += kRow * kGapRows;
        }
        rowY[i] = yy;
        yy += kRow;
    }
    auto yOf = [&](double t)
    {
        const auto it = std::lower_bound(times.begin(), times.end(), t - 1e-9);
        return rowY[std::min<size_t>(it - times.begin(), rowY.size() - 1)];
    };
    auto xOf = [&](const std::string& lane)
    {
        const auto i = std::find(lanes.begin(), lanes.end(), lane) - lanes.begin();
        return kTimeColumn + 60 + kLaneGap * i;
    };
    const double notesX = xOf(lanes.back()) + 60;
    const double width = notesX + 560;
    const double height = yy + 30;

    std::ostringstream s;
    s << "<svg class=\"ladder\" id=\"ladder-svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\" aria-label=\"ladder "
      << "diagram\" data-ike-messages=\"" << drawn << "\">\n<defs>";
    for (const auto& [id, colour] : {std::pair<std::string, std::string>{"ah-ike", "#1f5fa8"},
                                     {"ah-failed", "#c0392b"},
                                     {"ah-flow", "#2e8b57"}})
    {
        s << "<marker id=\"" << id << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
          << "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 "
          << "z\" fill=\"" << colour << "\"/></marker>";
    }
    s << "</defs>\n";
    for (const auto& lane : lanes)
    {
        const double x = xOf(lane);
        s << "<g class=\"lane\"><text x=\"" << x << "\" y=\"20\">" << Esc(lane) << "</text>"
          << "<line x1=\"" << x << "\" y1=\"28\" x2=\"" << x << "\" y2=\"" << height - 8
          << "\"/></g>\n";
    }
    s << "<text class=\"t head\" x=\"" << kTimeColumn - 6 << "\" y=\"20\">time (s)</text>\n";
    for (size_t i = 0; i < times.size(); ++i)
    {
        s << "<text class=\"t\" x=\"" << kTimeColumn - 6 << "\" y=\"" << rowY[i] + 4 << "\">"
          << Fixed(times[i], 4) << "</text>\n";
    }
    for (const auto& [y, seconds] : gaps)
    {
        s << "<g class=\"gap\"><line x1=\"" << kTimeColumn + 10 << "\" y1=\"" << y << "\" x2=\""
          << width - 10 << "\" y2=\"" << y << "\"/><text x=\"" << kTimeColumn - 6 << "\" y=\""
          << y + 4 << "\">+" << Fixed(seconds, 3) << " s</text></g>\n";
    }
    double lastNoteY = 0;
    auto note = [&](double y, const std::string& text, const std::string& cls)
    {
        if (text.empty())
        {
            return;
        }
        y = std::max(y + 4, lastNoteY + kRow * 0.8);
        lastNoteY = y;
        s << "<text class=\"note " << cls << "\" x=\"" << notesX << "\" y=\"" << y << "\"><title>"
          << Esc(text) << "</title>" << Esc(Cut(text, 84)) << "</text>\n";
    };
    // in time order, so that the notes follow their rows
    std::stable_sort(arrows.begin(), arrows.end(),
                     [](const LadderArrow& a, const LadderArrow& b) { return a.sent < b.sent; });
    for (const auto& a : arrows)
    {
        const double x1 = xOf(a.from);
        const double y1 = yOf(a.sent);
        const bool failed = a.cls.find("failed") != std::string::npos;
        if (a.event)
        {
            s << "<g class=\"" << a.cls << "\" data-from=\"" << Esc(a.from) << "\"><title>"
              << Esc(a.title) << "</title><circle cx=\"" << x1 << "\" cy=\"" << y1
              << "\" r=\"4\"/></g>\n";
            note(y1, a.note, failed ? "failed" : "event");
            continue;
        }
        double x2 = xOf(a.to);
        double y2 = std::max(yOf(a.received), y1 + 8);
        if (a.lost)
        {
            x2 = (x1 + x2) / 2;
            y2 = y1 + 8;
        }
        const std::string marker = a.cls == "flow-pkt" ? "ah-flow"
                                   : failed            ? "ah-failed"
                                                       : "ah-ike";
        s << "<g class=\"" << Esc(a.cls) << "\" data-from=\"" << Esc(a.from) << "\" data-to=\""
          << Esc(a.to) << "\" data-label=\"" << Esc(a.label) << "\"><title>" << Esc(a.title)
          << "</title><line x1=\"" << x1 << "\" y1=\"" << y1 << "\" x2=\"" << x2 << "\" y2=\"" << y2
          << "\"" << (a.dashed ? " stroke-dasharray=\"5 3\"" : "")
          << (a.lost ? "" : " marker-end=\"url(#" + marker + ")\"") << "/>";
        if (a.lost)
        {
            s << "<text class=\"cross\" x=\"" << x2 << "\" y=\"" << y2 + 4 << "\">\u00d7</text>";
        }
        if (a.cls == "flow-pkt") // a long way, often across others: labelled where it starts
        {
            s << "<text class=\"label " << (x2 > x1 ? "rightwards" : "leftwards") << "\" x=\""
              << x1 + (x2 > x1 ? 6 : -6) << "\" y=\"" << y1 - 3 << "\">" << Esc(a.label)
              << "</text></g>\n";
        }
        else
        {
            s << "<text class=\"label\" x=\"" << (x1 + x2) / 2 << "\" y=\"" << (y1 + y2) / 2 - 3
              << "\">" << Esc(a.label) << "</text></g>\n";
        }
        note(y1, a.note, a.cls == "flow-pkt" ? "flow" : failed ? "bad" : "");
    }
    s << "</svg>\n";

    caption = "Time runs down; rows are the moments something is sent or arrives (not to scale), "
              "pauses longer than " +
              Fixed(kGapSeconds, 0) +
              " s are marked. Each IKE exchange is drawn from the records of its two ends "
              "(results.json \"ike\"): as many arrows as the end that counted the most "
              "messages, alternating from the initiator (an informational exchange: one, from "
              "its sender; a dot when it sent nothing), retransmissions dashed. The first "
              "message leaves at the initiator's start and arrives at the responder's, the "
              "last arrives at the end of its receiver's record, those between are spread "
              "evenly. Red: a failed exchange. Green: the first packet of each flow, from its "
              "sender to its receiver (a cross: never received). Hover for details.";
    if (drawn < total)
    {
        caption += " Only the first " + std::to_string(drawn) + " of the run's " +
                   std::to_string(total) + " IKE messages are drawn.";
    }
    return s.str();
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

} // namespace

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
