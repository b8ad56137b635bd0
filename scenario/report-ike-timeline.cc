#include "run-report-parts.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <tuple>

namespace ns3
{
namespace run_report
{

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

/**
 * The SA lifetimes the IKE records imply, per row (router by first appearance; 0 its exchanges,
 * 1 its ISAKMP SA, 2 its IPsec SAs; the peer): an SA lives from the exchange that made it to a
 * delete, dead peer detection, its successor or the end of the run.
 */
class SaTimeline
{
public:
    using Row = std::tuple<size_t, int, std::string>;

    struct Bar
    {
        Row row;
        double from;
        double to;
        int set; //!< 0 ISAKMP; 1, 2 IPsec SA pairs, alternating
    };

    SaTimeline(const Json& ike, const std::map<std::string, std::string>& nodes, double runEnd)
    {
        for (const auto& x : ike)
        {
            Add(x, nodes);
        }
        while (!m_open.empty())
        {
            Close(m_open.begin()->first, runEnd);
        }
    }

    std::vector<std::string> routers;
    std::vector<Bar> bars;
    std::map<std::string, std::vector<std::pair<Row, double>>> points; //!< by legend

    /** Every row with a bar or a mark, in order. */
    std::set<Row> Rows() const
    {
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
        return rows;
    }

private:
    void Add(const Json& x, const std::map<std::string, std::string>& nodes)
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
            Begin(isakmp, end);
        }
        else if (result == "ok" && kind == "quick")
        {
            Begin(ipsec, end);
        }
        else if (kind == "informational" && result == "failed")
        {
            Close(isakmp, start); // dead peer detection gave up: every SA with the peer goes
            Close(ipsec, start);
        }
        else if (kind == "informational" && Says(x, "delete of the ISAKMP SA"))
        {
            Close(isakmp, start);
        }
        else if (kind == "informational" && Says(x, "delete"))
        {
            Close(ipsec, start);
        }
    }

    void Close(const Row& row, double t)
    {
        auto it = m_open.find(row);
        if (it != m_open.end())
        {
            bars.push_back(
                {row, it->second.first, std::max(t, it->second.first), it->second.second});
            m_open.erase(it);
        }
    }

    void Begin(const Row& row, double t)
    {
        Close(row, t);
        const int set = std::get<1>(row) == 1 ? 0 : 1 + m_generation[row]++ % 2;
        m_open[row] = {t, set};
    }

    std::map<Row, std::pair<double, int>> m_open; //!< -> start, set
    std::map<Row, int> m_generation;
};

/** The SA bars, one dataset per kind (ISAKMP, IPsec generations alternating). */
void
AddSaBars(Gnuplot& plot, const std::vector<SaTimeline::Bar>& bars,
          const std::map<SaTimeline::Row, int>& y)
{
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
                d.Add(b.from, y.at(b.row));
                d.Add(b.to, y.at(b.row));
                d.AddEmptyLine();
                any = true;
            }
        }
        if (any)
        {
            plot.AddDataset(d);
        }
    }
}

/** The exchanges' marks, one dataset per kind. */
void
AddExchangeMarks(
    Gnuplot& plot,
    const std::map<std::string, std::vector<std::pair<SaTimeline::Row, double>>>& points,
    const std::map<SaTimeline::Row, int>& y)
{
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
            d.Add(t, y.at(row));
        }
        plot.AddDataset(d);
    }
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
    const SaTimeline timeline(ike, nodes, runEnd);
    const std::set<SaTimeline::Row> rows = timeline.Rows();
    std::map<SaTimeline::Row, int> y;
    std::string ytics;
    for (const auto& row : rows)
    {
        const int k = -static_cast<int>(y.size());
        y[row] = k;
        const auto& [router, kind, peer] = row;
        const std::string label =
            timeline.routers[router] + (kind == 0   ? " IKE exchanges"
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
    AddSaBars(plot, timeline.bars, y);
    AddExchangeMarks(plot, timeline.points, y);
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

/** The arrows of the IKE exchanges, up to kMaxLadderMessages messages (the exchanges from the
 *  first that does not fit on are left out); @p drawn and @p total count the messages. */
void
AddIkeArrows(const std::vector<IkeExchange>& exchanges, std::vector<LadderArrow>& arrows,
             size_t& drawn, size_t& total)
{
    bool full = false;
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
}

/** The first packet of each flow, from its sender to its receiver. */
void
AddFlowArrows(const Json& r, const std::map<std::string, std::string>& nodes,
              std::vector<LadderArrow>& arrows)
{
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
}

/** The lanes of the arrows' nodes: the walk starts at the sender of the first flow, else at
 *  the first initiator. */
std::vector<std::string>
ArrowLanes(const Json& r, const std::vector<LadderArrow>& arrows)
{
    std::set<std::string> involved;
    for (const auto& a : arrows)
    {
        involved.insert(a.from);
        involved.insert(a.to);
    }
    std::string first = arrows.front().from;
    for (const auto& a : arrows)
    {
        if (a.cls == "flow-pkt")
        {
            first = a.from;
            break;
        }
    }
    return LaneOrder(r, involved, first);
}

constexpr double kLadderTop = 46;
constexpr double kLadderRow = 18;
constexpr double kLadderGapRows = 1.6;
constexpr double kLadderGapSeconds = 1.0;
constexpr double kLadderTimeColumn = 84;
constexpr double kLadderLaneGap = 170;

/** Where things go: rows at every time an arrow starts or ends, in order; a long pause gets a
 *  marked gap. */
struct LadderLayout
{
    std::vector<std::string> lanes;
    std::vector<double> times;
    std::vector<double> rowY;
    std::vector<std::pair<double, double>> gaps; //!< (y, seconds)
    double notesX = 0;
    double width = 0;
    double height = 0;

    LadderLayout(std::vector<std::string> laneOrder, const std::vector<LadderArrow>& arrows)
        : lanes(std::move(laneOrder))
    {
        for (const auto& a : arrows)
        {
            times.push_back(a.sent);
            times.push_back(a.received);
        }
        std::sort(times.begin(), times.end());
        times.erase(std::unique(times.begin(), times.end(),
                                [](double a, double b) { return std::abs(a - b) < 1e-9; }),
                    times.end());
        rowY.resize(times.size());
        double yy = kLadderTop;
        for (size_t i = 0; i < times.size(); ++i)
        {
            if (i > 0 && times[i] - times[i - 1] > kLadderGapSeconds)
            {
                gaps.emplace_back(yy + kLadderRow * (kLadderGapRows / 2 - 0.5),
                                  times[i] - times[i - 1]);
                yy += kLadderRow * kLadderGapRows;
            }
            rowY[i] = yy;
            yy += kLadderRow;
        }
        notesX = X(lanes.back()) + 60;
        width = notesX + 560;
        height = yy + 30;
    }

    double Y(double t) const
    {
        const auto it = std::lower_bound(times.begin(), times.end(), t - 1e-9);
        return rowY[std::min<size_t>(it - times.begin(), rowY.size() - 1)];
    }

    double X(const std::string& lane) const
    {
        const auto i = std::find(lanes.begin(), lanes.end(), lane) - lanes.begin();
        return kLadderTimeColumn + 60 + kLadderLaneGap * i;
    }
};

/** Writes the ladder's SVG: the frame (markers, lanes, times, gaps), then arrow by arrow with
 *  their notes in the right-hand column. */
class LadderSvgWriter
{
public:
    explicit LadderSvgWriter(const LadderLayout& layout) : m_l(layout)
    {
    }

    void Frame(size_t drawn)
    {
        m_s << "<svg class=\"ladder\" id=\"ladder-svg\" width=\"" << m_l.width << "\" height=\""
            << m_l.height << "\" viewBox=\"0 0 " << m_l.width << " " << m_l.height
            << "\" role=\"img\" aria-label=\"ladder "
            << "diagram\" data-ike-messages=\"" << drawn << "\">\n<defs>";
        for (const auto& [id, colour] : {std::pair<std::string, std::string>{"ah-ike", "#1f5fa8"},
                                         {"ah-failed", "#c0392b"},
                                         {"ah-flow", "#2e8b57"}})
        {
            m_s << "<marker id=\"" << id << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                << "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 "
                << "L0,10 z\" fill=\"" << colour << "\"/></marker>";
        }
        m_s << "</defs>\n";
        for (const auto& lane : m_l.lanes)
        {
            const double x = m_l.X(lane);
            m_s << "<g class=\"lane\"><text x=\"" << x << "\" y=\"20\">" << Esc(lane) << "</text>"
                << "<line x1=\"" << x << "\" y1=\"28\" x2=\"" << x << "\" y2=\"" << m_l.height - 8
                << "\"/></g>\n";
        }
        m_s << "<text class=\"t head\" x=\"" << kLadderTimeColumn - 6
            << "\" y=\"20\">time (s)</text>\n";
        for (size_t i = 0; i < m_l.times.size(); ++i)
        {
            m_s << "<text class=\"t\" x=\"" << kLadderTimeColumn - 6 << "\" y=\"" << m_l.rowY[i] + 4
                << "\">" << Fixed(m_l.times[i], 4) << "</text>\n";
        }
        for (const auto& [y, seconds] : m_l.gaps)
        {
            m_s << "<g class=\"gap\"><line x1=\"" << kLadderTimeColumn + 10 << "\" y1=\"" << y
                << "\" x2=\"" << m_l.width - 10 << "\" y2=\"" << y << "\"/><text x=\""
                << kLadderTimeColumn - 6 << "\" y=\"" << y + 4 << "\">+" << Fixed(seconds, 3)
                << " s</text></g>\n";
        }
    }

    void Arrow(const LadderArrow& a)
    {
        const double x1 = m_l.X(a.from);
        const double y1 = m_l.Y(a.sent);
        const bool failed = a.cls.find("failed") != std::string::npos;
        if (a.event)
        {
            m_s << "<g class=\"" << a.cls << "\" data-from=\"" << Esc(a.from) << "\"><title>"
                << Esc(a.title) << "</title><circle cx=\"" << x1 << "\" cy=\"" << y1
                << "\" r=\"4\"/></g>\n";
            Note(y1, a.note, failed ? "failed" : "event");
            return;
        }
        double x2 = m_l.X(a.to);
        double y2 = std::max(m_l.Y(a.received), y1 + 8);
        if (a.lost)
        {
            x2 = (x1 + x2) / 2;
            y2 = y1 + 8;
        }
        const std::string marker = a.cls == "flow-pkt" ? "ah-flow"
                                   : failed            ? "ah-failed"
                                                       : "ah-ike";
        m_s << "<g class=\"" << Esc(a.cls) << "\" data-from=\"" << Esc(a.from) << "\" data-to=\""
            << Esc(a.to) << "\" data-label=\"" << Esc(a.label) << "\"><title>" << Esc(a.title)
            << "</title><line x1=\"" << x1 << "\" y1=\"" << y1 << "\" x2=\"" << x2 << "\" y2=\""
            << y2 << "\"" << (a.dashed ? " stroke-dasharray=\"5 3\"" : "")
            << (a.lost ? "" : " marker-end=\"url(#" + marker + ")\"") << "/>";
        if (a.lost)
        {
            m_s << "<text class=\"cross\" x=\"" << x2 << "\" y=\"" << y2 + 4 << "\">\u00d7</text>";
        }
        if (a.cls == "flow-pkt") // a long way, often across others: labelled where it starts
        {
            m_s << "<text class=\"label " << (x2 > x1 ? "rightwards" : "leftwards") << "\" x=\""
                << x1 + (x2 > x1 ? 6 : -6) << "\" y=\"" << y1 - 3 << "\">" << Esc(a.label)
                << "</text></g>\n";
        }
        else
        {
            m_s << "<text class=\"label\" x=\"" << (x1 + x2) / 2 << "\" y=\"" << (y1 + y2) / 2 - 3
                << "\">" << Esc(a.label) << "</text></g>\n";
        }
        Note(y1, a.note, a.cls == "flow-pkt" ? "flow" : failed ? "bad" : "");
    }

    std::string Done()
    {
        m_s << "</svg>\n";
        return m_s.str();
    }

private:
    void Note(double y, const std::string& text, const std::string& cls)
    {
        if (text.empty())
        {
            return;
        }
        y = std::max(y + 4, m_lastNoteY + kLadderRow * 0.8);
        m_lastNoteY = y;
        m_s << "<text class=\"note " << cls << "\" x=\"" << m_l.notesX << "\" y=\"" << y
            << "\"><title>" << Esc(text) << "</title>" << Esc(Cut(text, 84)) << "</text>\n";
    }

    const LadderLayout& m_l;
    std::ostringstream m_s;
    double m_lastNoteY = 0;
};

std::string
LadderCaption(size_t drawn, size_t total)
{
    std::string caption =
        "Time runs down; rows are the moments something is sent or arrives (not to scale), "
        "pauses longer than " +
        Fixed(kLadderGapSeconds, 0) +
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
    return caption;
}

std::string
LadderSvg(const Json& r, const std::vector<IkeExchange>& exchanges,
          const std::map<std::string, std::string>& nodes, std::string& caption)
{
    std::vector<LadderArrow> arrows;
    size_t total = 0;
    size_t drawn = 0;
    AddIkeArrows(exchanges, arrows, drawn, total);
    AddFlowArrows(r, nodes, arrows);
    if (arrows.empty())
    {
        return "";
    }
    const LadderLayout layout(ArrowLanes(r, arrows), arrows);
    LadderSvgWriter svg(layout);
    svg.Frame(drawn);
    // in time order, so that the notes follow their rows
    std::stable_sort(arrows.begin(), arrows.end(),
                     [](const LadderArrow& a, const LadderArrow& b) { return a.sent < b.sent; });
    for (const auto& a : arrows)
    {
        svg.Arrow(a);
    }
    caption = LadderCaption(drawn, total);
    return svg.Done();
}

} // namespace run_report
} // namespace ns3
