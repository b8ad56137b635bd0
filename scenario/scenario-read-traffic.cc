#include "scenario-reader.h"

namespace ns3
{

using namespace scenario_detail;

namespace
{
/** The keys a traffic item of some kind may have: @p more and those every kind has. */
std::vector<std::string>
WithCommonKeys(std::vector<std::string> more)
{
    const std::vector<std::string> common = {"kind", "from", "to", "start", "stop"};
    more.insert(more.end(), common.begin(), common.end());
    return more;
}
} // namespace

void
ScenarioReader::ReadTraffic(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/traffic", i);
    if (!ExpectObject(v, ptr, "a traffic item"))
    {
        return;
    }
    ScenarioTraffic t;
    t.pointer = ptr;
    auto kind = GetString(v, ptr, "kind", true);
    if (!kind)
    {
        return;
    }
    const size_t before = issues.size();
    // From an external node the real host sends by itself: only the sink is simulated.
    int32_t externalFrom = -1;
    bool fromLeftOut = false; // a node with errors of its own: what it needs is unknown
    if (auto f = v.find("from"); f != v.end() && f->is_string())
    {
        const int32_t n = Nodes().ByName(f->get<std::string>());
        if (n >= 0 && m_s.nodes[n].IsExternal())
        {
            externalFrom = n;
        }
        fromLeftOut = n < 0 && m_nodeNames.count(f->get<std::string>());
    }
    if (!ReadTrafficKind(v, *kind, externalFrom, fromLeftOut, t))
    {
        return;
    }
    if (t.kind != ScenarioTrafficKind::PING)
    {
        t.port =
            static_cast<uint16_t>(GetUnsigned(v, ptr, "port", false, 1, 65535).value_or(5000 + i));
    }
    // Either end may be a node left out for its own errors: then the item is left out silently.
    const bool fromKnown = ReadTrafficFrom(v, t);
    const bool toKnown = ReadTrafficTo(v, t);
    t.start = GetTime(v, ptr, "start", false).value_or(Seconds(1));
    t.stop = GetTime(v, ptr, "stop", false).value_or(m_s.duration);
    if (issues.size() != before || !fromKnown || !toKnown || !m_durationOk)
    {
        return;
    }
    if (!CheckTrafficTimes(t) || !CheckTrafficSink(t))
    {
        return;
    }
    m_s.traffic.push_back(t);
}

/** The item's "kind" and the keys that go with it. @return false when it is left out. */
bool
ScenarioReader::ReadTrafficKind(const nlohmann::json& v, const std::string& kind,
                                int32_t externalFrom, bool fromLeftOut, ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    const std::string externalWho =
        externalFrom >= 0 ? "external node " + Quote(m_s.nodes[externalFrom].name) : "";
    if (externalFrom >= 0 && kind == "ping")
    {
        Error(JPtr(ptr, "kind"), externalWho + " pings by itself (ping in its namespace); only "
                                               "udp and tcp sinks are set up for traffic from it");
        return false;
    }
    if (externalFrom >= 0 && (kind == "udp" || kind == "tcp"))
    {
        t.kind = kind == "udp" ? ScenarioTrafficKind::UDP : ScenarioTrafficKind::TCP;
        for (const char* key : {"rate", "size", "bytes"})
        {
            if (v.contains(key))
            {
                Error(JPtr(ptr, key), externalWho + " sends what its own programs send: traffic "
                                                    "from it sets up only the sink (kind, from, "
                                                    "to, port, start, stop)");
            }
        }
        CheckKeys(v, ptr, WithCommonKeys({"port", "rate", "size", "bytes"}));
    }
    else if (kind == "udp")
    {
        ReadUdpTraffic(v, fromLeftOut, t);
    }
    else if (kind == "ping")
    {
        ReadPingTraffic(v, t);
    }
    else if (kind == "tcp")
    {
        t.kind = ScenarioTrafficKind::TCP;
        CheckKeys(v, ptr, WithCommonKeys({"bytes", "port"}));
        t.bytes = GetUnsigned(v, ptr, "bytes", false, 0, UINT64_MAX).value_or(0);
    }
    else
    {
        Error(JPtr(ptr, "kind"), "traffic is \"udp\", \"ping\" or \"tcp\", not " + Quote(kind));
        return false;
    }
    return true;
}

void
ScenarioReader::ReadUdpTraffic(const nlohmann::json& v, bool fromLeftOut, ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    t.kind = ScenarioTrafficKind::UDP;
    CheckKeys(v, ptr, WithCommonKeys({"rate", "size", "port", "pattern", "payload"}));
    if (auto r = GetRate(v, ptr, "rate", !fromLeftOut))
    {
        t.rate = *r;
    }
    t.size = static_cast<uint32_t>(GetUnsigned(v, ptr, "size", false, 1, 65507).value_or(512));
    if (auto pattern = GetString(v, ptr, "pattern", false))
    {
        if (*pattern == "poisson")
        {
            t.poisson = true;
            t.sequencePayload = true;
        }
        else if (*pattern != "cbr")
        {
            Error(JPtr(ptr, "pattern"), "a UDP pattern is \"cbr\" (constant gaps) or "
                                        "\"poisson\" (exponential gaps at the same mean "
                                        "rate), not " +
                                            Quote(*pattern));
        }
    }
    if (auto payload = GetString(v, ptr, "payload", false))
    {
        if (*payload == "sequence")
        {
            t.sequencePayload = true;
        }
        else if (*payload != "zeros" || t.poisson)
        {
            Error(JPtr(ptr, "payload"),
                  t.poisson && *payload == "zeros"
                      ? "a \"poisson\" flow sends numbered datagrams (\"sequence\")"
                      : "a UDP payload is \"zeros\" or \"sequence\", not " + Quote(*payload));
        }
    }
    if (t.sequencePayload && t.size < 12)
    {
        Error(JPtr(ptr, "size"), "numbered datagrams (\"sequence\" payload, \"poisson\" "
                                 "pattern) carry a 12-byte header: size at least 12");
    }
}

void
ScenarioReader::ReadPingTraffic(const nlohmann::json& v, ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    t.kind = ScenarioTrafficKind::PING;
    CheckKeys(v, ptr, WithCommonKeys({"count", "interval", "size"}));
    t.count = static_cast<uint32_t>(GetUnsigned(v, ptr, "count", false, 1, 1000000).value_or(5));
    t.interval = GetTime(v, ptr, "interval", false).value_or(Seconds(1));
    if (t.interval.IsZero())
    {
        Error(JPtr(ptr, "interval"), "must be more than 0");
    }
    t.size = static_cast<uint32_t>(GetUnsigned(v, ptr, "size", false, 8, 65507).value_or(56));
}

/** "from": a node. @return false when it is a node left out for its own errors. */
bool
ScenarioReader::ReadTrafficFrom(const nlohmann::json& v, ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    auto from = GetString(v, ptr, "from", true);
    if (!from)
    {
        return true;
    }
    const int32_t n = Nodes().ByName(*from);
    if (n >= 0)
    {
        t.from = static_cast<uint32_t>(n);
    }
    else if (!m_nodeNames.count(*from))
    {
        Error(JPtr(ptr, "from"), "node " + Quote(*from) + " is not defined");
    }
    else
    {
        return false; // the node's own errors say why
    }
    return true;
}

/** "to": an address, or a node with one address. @return false when it may be (the address
 *  of) a node left out for its own errors. */
bool
ScenarioReader::ReadTrafficTo(const nlohmann::json& v, ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    auto to = GetString(v, ptr, "to", true);
    if (!to)
    {
        return true;
    }
    t.toText = *to;
    if (auto a = ParseDottedQuad(*to))
    {
        const int32_t n = Nodes().ByAddress(*a);
        if (n < 0 && m_nodeErrors)
        {
            return false; // perhaps the address of a node with errors
        }
        if (n < 0)
        {
            Error(JPtr(ptr, "to"), "no node has the address " + *to);
            return true;
        }
        t.to = *a;
        t.toNode = static_cast<uint32_t>(n);
        return true;
    }
    const int32_t n = Nodes().ByName(*to);
    if (n < 0 && m_nodeNames.count(*to))
    {
        return false;
    }
    if (n < 0)
    {
        Error(JPtr(ptr, "to"), Quote(*to) + " is neither an IPv4 address nor a node");
    }
    else if (m_s.nodes[n].IsRouter())
    {
        Error(JPtr(ptr, "to"),
              "router " + Quote(*to) + " has several addresses: give the one to send to");
    }
    else
    {
        t.toNode = static_cast<uint32_t>(n);
        t.to = m_s.nodes[n].address;
    }
    return true;
}

/** Where the flow goes and when it runs, against the run's duration. */
bool
ScenarioReader::CheckTrafficTimes(const ScenarioTraffic& t)
{
    const std::string& ptr = t.pointer;
    if (t.from == t.toNode)
    {
        Error(JPtr(ptr, "to"), "a flow goes from one node to another, not to itself");
        return false;
    }
    if (m_s.nodes[t.from].IsExternal() && m_s.nodes[t.toNode].IsExternal())
    {
        Error(JPtr(ptr, "to"), "between two external nodes nothing is simulated");
        return false;
    }
    if (t.start >= m_s.duration)
    {
        Error(JPtr(ptr, "start"), "starts at or after the end of the run (duration " +
                                      std::to_string(m_s.duration.GetSeconds()) + " s)");
        return false;
    }
    if (t.stop > m_s.duration)
    {
        Error(JPtr(ptr, "stop"), "stops after the end of the run (duration " +
                                     std::to_string(m_s.duration.GetSeconds()) + " s)");
        return false;
    }
    if (t.stop <= t.start)
    {
        Error(JPtr(ptr, "stop"), "stops before it starts");
        return false;
    }
    if (t.kind == ScenarioTrafficKind::PING && t.PingsThatFit() < t.count)
    {
        Warn(JPtr(ptr, "count"), "only " + std::to_string(t.PingsThatFit()) + " of " +
                                     std::to_string(t.count) +
                                     " echo requests fit before it stops");
    }
    return true;
}

/** One sink per port and address. */
bool
ScenarioReader::CheckTrafficSink(const ScenarioTraffic& t)
{
    if (t.kind == ScenarioTrafficKind::PING || m_s.nodes[t.toNode].IsExternal())
    {
        return true; // (an external destination listens with its own programs: no sink here)
    }
    for (const auto& o : m_s.traffic)
    {
        if (o.kind == t.kind && o.toNode == t.toNode && o.to == t.to && o.port == t.port)
        {
            Error(JPtr(t.pointer, "port"), ToString(t.kind) + " port " + std::to_string(t.port) +
                                               " of " + t.toText + " is already the sink of " +
                                               o.pointer);
            return false;
        }
    }
    return true;
}

} // namespace ns3
