#include "scenario-reader.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace ns3
{

using namespace scenario_detail;

std::optional<ScenarioEndpoint>
ScenarioReader::ReadEndpoint(const nlohmann::json& v, const std::string& ptr)
{
    if (!v.is_string())
    {
        Error(ptr, "a link end is \"NODE:INTERFACE\", not " + TypeName(v));
        return std::nullopt;
    }
    const std::string s = v.get<std::string>();
    const auto colon = s.find(':');
    const std::string nodeName = s.substr(0, colon);
    const std::string ifText = colon == std::string::npos ? "" : s.substr(colon + 1);
    const int32_t idx = Nodes().ByName(nodeName);
    if (idx < 0)
    {
        if (m_nodeNames.count(nodeName))
        {
            return std::nullopt; // the node itself was reported
        }
        Error(ptr, "node " + Quote(nodeName) + " is not defined");
        return std::nullopt;
    }
    const ScenarioNode& n = m_s.nodes[idx];
    ScenarioEndpoint e;
    e.node = static_cast<uint32_t>(idx);
    if (!n.IsRouter())
    {
        if (!ifText.empty() && ifText != n.hostInterface)
        {
            Error(ptr, std::string(n.IsExternal() ? "external node " : "host ") + Quote(n.name) +
                           " has one interface, " + Quote(n.hostInterface) + ", not " +
                           Quote(ifText));
            return std::nullopt;
        }
        e.interface = n.hostInterface;
        return e;
    }
    if (ifText.empty())
    {
        Error(ptr, "name the interface of router " + Quote(n.name) + ", as in \"" + n.name +
                       ":Serial0\"");
        return std::nullopt;
    }
    const std::string canonical = IosConfigReader::CanonicalInterfaceName(ifText);
    const IosInterface* iface = n.config.FindInterface(canonical.empty() ? ifText : canonical);
    if (!iface)
    {
        Error(ptr, "interface " + Quote(ifText) + " is not declared in the configuration of " +
                       n.name + (n.configFile.empty() ? "" : " (" + n.configFile + ")"));
        return std::nullopt;
    }
    e.interface = iface->name;
    if (!IsSerialName(e.interface) && !IsEthernetName(e.interface))
    {
        Error(ptr, n.name + ":" + e.interface +
                       " cannot be linked (only Serial and Ethernet interfaces take a link)");
        return std::nullopt;
    }
    return e;
}

void
ScenarioReader::ReadLinks(const nlohmann::json& links)
{
    // An Ethernet end may appear in several links: they all join one segment. A serial end
    // belongs to exactly one link.
    LinkSegments segs;
    for (size_t i = 0; i < links.size(); ++i)
    {
        ReadLink(links[i], i, segs);
    }
    DropEmptySegments(segs);
    CheckSegmentErrors();
    CheckExternalSegments();
}

void
ScenarioReader::LinkSegments::Add()
{
    rate.emplace_back();
    delay.emplace_back();
    ratePtr.emplace_back();
    delayPtr.emplace_back();
}

void
ScenarioReader::ReadLink(const nlohmann::json& v, size_t i, LinkSegments& segs)
{
    const std::string ptr = JPtr("/links", i);
    if (!ExpectObject(v, ptr, "a link"))
    {
        return;
    }
    CheckKeys(v, ptr, {"a", "b", "type", "rate", "delay", "errors"});
    ScenarioLink l;
    ReadLinkErrors(v, ptr, l);
    std::optional<ScenarioEndpoint> a, b;
    for (const char* side : {"a", "b"})
    {
        auto it = v.find(side);
        if (it == v.end())
        {
            Error(ptr, std::string("missing key \"") + side + "\"");
            continue;
        }
        (side[0] == 'a' ? a : b) = ReadEndpoint(*it, JPtr(ptr, side));
    }
    auto typeText = GetString(v, ptr, "type", false);
    std::optional<ScenarioLinkType> type;
    if (typeText)
    {
        if (*typeText == "serial")
        {
            type = ScenarioLinkType::SERIAL;
        }
        else if (*typeText == "ethernet")
        {
            type = ScenarioLinkType::ETHERNET;
        }
        else
        {
            Error(JPtr(ptr, "type"),
                  "a link is \"serial\" or \"ethernet\", not " + Quote(*typeText));
            return;
        }
    }
    auto rate = GetRate(v, ptr, "rate", false);
    auto delay = GetTime(v, ptr, "delay", false);
    if (!a || !b)
    {
        return;
    }
    if (*a == *b)
    {
        Error(JPtr(ptr, "b"), "a link joins two different ends");
        return;
    }
    if ((m_s.nodes[a->node].IsExternal() || m_s.nodes[b->node].IsExternal()) &&
        !CheckExternalLink(v, ptr, *a, *b, type, segs))
    {
        return;
    }
    if (!AgreeOnLinkType(ptr, *a, *b, typeText.has_value(), type))
    {
        return;
    }
    l.a = *a;
    l.b = *b;
    l.type = type.value_or(ScenarioLinkType::ETHERNET);
    l.pointer = ptr;
    if (l.type == ScenarioLinkType::SERIAL)
    {
        AddSerialLink(l, rate, delay, segs);
    }
    else
    {
        AddEthernetLink(l, rate, delay, segs);
    }
}

/** A link's "errors": loss and corruption probabilities per frame. */
void
ScenarioReader::ReadLinkErrors(const nlohmann::json& v, const std::string& ptr, ScenarioLink& l)
{
    auto ev = v.find("errors");
    if (ev == v.end())
    {
        return;
    }
    const std::string ep = JPtr(ptr, "errors");
    if (!ExpectObject(*ev, ep, "\"errors\""))
    {
        return;
    }
    l.hasErrors = true;
    CheckKeys(*ev, ep, {"loss", "corrupt"});
    for (const char* key : {"loss", "corrupt"})
    {
        auto it = ev->find(key);
        if (it == ev->end())
        {
            continue;
        }
        if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1 ||
            std::isnan(it->get<double>()))
        {
            Error(JPtr(ep, key),
                  std::string("a probability per frame, from 0 to 1, not ") + it->dump());
            continue;
        }
        (key[0] == 'l' ? l.loss : l.corrupt) = it->get<double>();
    }
}

/** An external node: its TAP device is an Ethernet cable to one simulated interface.
 *  @return false when the link is left out (its errors are reported). */
bool
ScenarioReader::CheckExternalLink(const nlohmann::json& v, const std::string& ptr,
                                  const ScenarioEndpoint& a, const ScenarioEndpoint& b,
                                  const std::optional<ScenarioLinkType>& type, LinkSegments& segs)
{
    const bool extA = m_s.nodes[a.node].IsExternal();
    const bool extB = m_s.nodes[b.node].IsExternal();
    const ScenarioEndpoint& ext = extA ? a : b;
    const std::string extName = m_s.nodes[ext.node].name;
    bool bad = false;
    if (extA && extB)
    {
        Error(ptr, "a link joins an external node to a simulated node, not two external "
                   "nodes");
        bad = true;
    }
    const ScenarioEndpoint& sim = extA ? b : a;
    if (type && *type != ScenarioLinkType::ETHERNET)
    {
        Error(JPtr(ptr, "type"), "the link to external node " + Quote(extName) +
                                     " is an Ethernet link (a TAP device)");
        bad = true;
    }
    else if (m_s.nodes[sim.node].IsRouter() && IsSerialName(sim.interface))
    {
        Error(ptr, "the link to external node " + Quote(extName) +
                       " is an Ethernet link (a TAP device); " + m_s.Describe(sim) +
                       " is a serial interface");
        bad = true;
    }
    for (const char* key : {"rate", "delay", "errors"})
    {
        if (v.contains(key))
        {
            Error(JPtr(ptr, key), std::string("the link to external node ") + Quote(extName) +
                                      " has no " + key +
                                      ": it is a real TAP device, frames pass as the "
                                      "host sends them");
            bad = true;
        }
    }
    auto prev = segs.externalLinkOf.find(ext.node);
    if (prev != segs.externalLinkOf.end())
    {
        Error(JPtr(ptr, extA ? "a" : "b"), "external node " + Quote(extName) +
                                               " has one link (its TAP device), already " +
                                               prev->second);
        bad = true;
    }
    if (bad)
    {
        return false;
    }
    segs.externalLinkOf[ext.node] = ptr;
    return true;
}

/** The routers' interfaces decide the medium; the "type" must agree with them. */
bool
ScenarioReader::AgreeOnLinkType(const std::string& ptr, const ScenarioEndpoint& a,
                                const ScenarioEndpoint& b, bool typeGiven,
                                std::optional<ScenarioLinkType>& type)
{
    for (const auto* e : {&a, &b})
    {
        const ScenarioNode& n = m_s.nodes[e->node];
        if (!n.IsRouter())
        {
            continue;
        }
        const auto t =
            IsSerialName(e->interface) ? ScenarioLinkType::SERIAL : ScenarioLinkType::ETHERNET;
        if (!type)
        {
            type = t;
        }
        else if (*type != t)
        {
            Error(typeGiven ? JPtr(ptr, "type") : ptr,
                  "a " + ToString(*type) + " link cannot end at " + m_s.Describe(*e) + " (a " +
                      ToString(t) + " interface)");
            return false;
        }
    }
    return true;
}

void
ScenarioReader::AddSerialLink(ScenarioLink l, const std::optional<DataRate>& rate,
                              const std::optional<Time>& delay, LinkSegments& segs)
{
    const std::string& ptr = l.pointer;
    bool bad = false;
    for (const auto& [e, side] : {std::pair{l.a, "a"}, std::pair{l.b, "b"}})
    {
        auto prev = segs.serialLinkOf.find(e);
        if (prev != segs.serialLinkOf.end())
        {
            Error(JPtr(ptr, side),
                  m_s.Describe(e) + " is already an end of the serial link " + prev->second);
            bad = true;
        }
        else if (segs.segmentOf.count(e))
        {
            Error(JPtr(ptr, side), m_s.Describe(e) + " is already on an Ethernet segment");
            bad = true;
        }
    }
    if (bad || !SerialEncapsulationsAgree(l))
    {
        return;
    }
    ScenarioSegment seg;
    seg.type = ScenarioLinkType::SERIAL;
    seg.ends = {l.a, l.b};
    seg.rate = rate.value_or(DataRate("1544kbps"));
    seg.delay = delay.value_or(MilliSeconds(1));
    l.rate = seg.rate;
    l.delay = seg.delay;
    l.segment = static_cast<uint32_t>(m_s.segments.size());
    seg.links.push_back(static_cast<uint32_t>(m_s.links.size()));
    segs.serialLinkOf[l.a] = ptr;
    segs.serialLinkOf[l.b] = ptr;
    m_s.segments.push_back(seg);
    segs.Add();
    m_s.links.push_back(l);
}

/** IOS: both ends of a serial line must use the same encapsulation, or the line protocol
 *  stays down. */
bool
ScenarioReader::SerialEncapsulationsAgree(const ScenarioLink& l)
{
    const ScenarioNode& na = m_s.nodes[l.a.node];
    const ScenarioNode& nb = m_s.nodes[l.b.node];
    if (!na.IsRouter() || !nb.IsRouter())
    {
        return true;
    }
    auto enc = [](const ScenarioNode& n, const std::string& ifn)
    {
        const IosInterface* f = n.config.FindInterface(ifn);
        IosEncapsulation e = f ? f->encapsulation : IosEncapsulation::HDLC;
        return e == IosEncapsulation::NONE ? IosEncapsulation::HDLC : e;
    };
    auto name = [](IosEncapsulation e)
    {
        switch (e)
        {
        case IosEncapsulation::PPP:
            return "ppp";
        case IosEncapsulation::FRAME_RELAY:
            return "frame-relay";
        default:
            return "hdlc";
        }
    };
    const auto ea = enc(na, l.a.interface);
    const auto eb = enc(nb, l.b.interface);
    if (ea != eb)
    {
        Error(l.pointer, m_s.Describe(l.a) + " uses encapsulation " + name(ea) + " and " +
                             m_s.Describe(l.b) + " uses " + name(eb) +
                             ": the line protocol would stay down");
        return false;
    }
    return true;
}

void
ScenarioReader::AddEthernetLink(ScenarioLink l, const std::optional<DataRate>& rate,
                                const std::optional<Time>& delay, LinkSegments& segs)
{
    bool bad = false;
    for (const auto& [e, side] : {std::pair{l.a, "a"}, std::pair{l.b, "b"}})
    {
        auto prev = segs.serialLinkOf.find(e);
        if (prev != segs.serialLinkOf.end())
        {
            Error(JPtr(l.pointer, side),
                  m_s.Describe(e) + " is already an end of the serial link " + prev->second);
            bad = true;
        }
    }
    if (bad)
    {
        return;
    }
    const uint32_t seg = JoinEthernetSegments(l, segs);
    ScenarioSegment& s = m_s.segments[seg];
    for (const auto& e : {l.a, l.b})
    {
        if (!segs.segmentOf.count(e))
        {
            segs.segmentOf[e] = seg;
            s.ends.push_back(e);
        }
    }
    AgreeOnSegmentRateAndDelay(seg, l.pointer, rate, delay, segs);
    l.segment = seg;
    s.links.push_back(static_cast<uint32_t>(m_s.links.size()));
    m_s.links.push_back(l);
}

/** The segment an Ethernet link's ends join: a new one, the one either end is on, or (when
 *  they are on two) the two merged into one. */
uint32_t
ScenarioReader::JoinEthernetSegments(const ScenarioLink& l, LinkSegments& segs)
{
    auto segA = segs.segmentOf.find(l.a);
    auto segB = segs.segmentOf.find(l.b);
    const auto none = segs.segmentOf.end();
    if (segA == none && segB == none)
    {
        const auto seg = static_cast<uint32_t>(m_s.segments.size());
        ScenarioSegment s;
        s.type = ScenarioLinkType::ETHERNET;
        m_s.segments.push_back(s);
        segs.Add();
        return seg;
    }
    if (segA == none || segB == none || segA->second == segB->second)
    {
        return segA != none ? segA->second : segB->second;
    }
    // Two segments become one: move the later one into the earlier one.
    const uint32_t seg = std::min(segA->second, segB->second);
    MergeSegments(seg, std::max(segA->second, segB->second), segs);
    return seg;
}

void
ScenarioReader::MergeSegments(uint32_t seg, uint32_t gone, LinkSegments& segs)
{
    ScenarioSegment& keep = m_s.segments[seg];
    ScenarioSegment& from = m_s.segments[gone];
    for (const auto& e : from.ends)
    {
        keep.ends.push_back(e);
        segs.segmentOf[e] = seg;
    }
    for (uint32_t li : from.links)
    {
        keep.links.push_back(li);
        m_s.links[li].segment = seg;
    }
    from.ends.clear();
    from.links.clear();
    if (!segs.rate[seg] && segs.rate[gone])
    {
        segs.rate[seg] = segs.rate[gone];
        segs.ratePtr[seg] = segs.ratePtr[gone];
    }
    if (!segs.delay[seg] && segs.delay[gone])
    {
        segs.delay[seg] = segs.delay[gone];
        segs.delayPtr[seg] = segs.delayPtr[gone];
    }
}

/** One segment has one rate and one delay (CSMA channel): the links must agree. */
void
ScenarioReader::AgreeOnSegmentRateAndDelay(uint32_t seg, const std::string& ptr,
                                           const std::optional<DataRate>& rate,
                                           const std::optional<Time>& delay, LinkSegments& segs)
{
    if (rate)
    {
        if (segs.rate[seg] && *segs.rate[seg] != *rate)
        {
            Error(JPtr(ptr, "rate"), "this Ethernet segment already has rate " +
                                         std::to_string(segs.rate[seg]->GetBitRate()) + "bps (" +
                                         segs.ratePtr[seg] + ")");
        }
        else if (!segs.rate[seg])
        {
            segs.rate[seg] = rate;
            segs.ratePtr[seg] = JPtr(ptr, "rate");
        }
    }
    if (delay)
    {
        if (segs.delay[seg] && *segs.delay[seg] != *delay)
        {
            Error(JPtr(ptr, "delay"), "this Ethernet segment already has delay " +
                                          std::to_string(segs.delay[seg]->GetSeconds()) + "s (" +
                                          segs.delayPtr[seg] + ")");
        }
        else if (!segs.delay[seg])
        {
            segs.delay[seg] = delay;
            segs.delayPtr[seg] = JPtr(ptr, "delay");
        }
    }
}

/** Drop segments emptied by merging; renumber; give Ethernet segments their rate and delay. */
void
ScenarioReader::DropEmptySegments(const LinkSegments& segs)
{
    std::vector<uint32_t> newIndex(m_s.segments.size(), 0);
    std::vector<ScenarioSegment> kept;
    for (size_t i = 0; i < m_s.segments.size(); ++i)
    {
        if (m_s.segments[i].ends.empty())
        {
            continue;
        }
        ScenarioSegment s = m_s.segments[i];
        if (s.type == ScenarioLinkType::ETHERNET)
        {
            s.rate = segs.rate[i].value_or(DataRate("100Mbps"));
            s.delay = segs.delay[i].value_or(MicroSeconds(100));
        }
        newIndex[i] = static_cast<uint32_t>(kept.size());
        kept.push_back(s);
    }
    m_s.segments = kept;
    for (auto& l : m_s.links)
    {
        l.segment = newIndex[l.segment];
        l.rate = m_s.segments[l.segment].rate;
        l.delay = m_s.segments[l.segment].delay;
    }
    for (auto& s : m_s.segments)
    {
        std::sort(s.links.begin(), s.links.end());
    }
}

/** "errors" apply to the whole medium: the links of one segment that give them agree. */
void
ScenarioReader::CheckSegmentErrors()
{
    for (auto& seg : m_s.segments)
    {
        const ScenarioLink* first = nullptr;
        for (uint32_t li : seg.links)
        {
            const ScenarioLink& l = m_s.links[li];
            if (!l.hasErrors)
            {
                continue;
            }
            if (!first)
            {
                first = &l;
                seg.loss = l.loss;
                seg.corrupt = l.corrupt;
            }
            else if (l.loss != first->loss || l.corrupt != first->corrupt)
            {
                Error(JPtr(l.pointer, "errors"),
                      "this Ethernet segment already has other \"errors\" (" + first->pointer +
                          "/errors): one segment, one error model");
            }
        }
    }
}

/** The TAP of an external node is a cable to exactly one simulated interface. */
void
ScenarioReader::CheckExternalSegments()
{
    for (auto& seg : m_s.segments)
    {
        for (size_t k = 0; k < seg.ends.size(); ++k)
        {
            if (m_s.nodes[seg.ends[k].node].IsExternal())
            {
                seg.externalEnd = static_cast<int32_t>(k);
            }
        }
        if (seg.externalEnd < 0 || seg.ends.size() == 2)
        {
            continue;
        }
        const ScenarioEndpoint& ext = seg.ends[seg.externalEnd];
        std::string others;
        std::string at;
        for (uint32_t li : seg.links)
        {
            const ScenarioLink& l = m_s.links[li];
            if (!(l.a == ext) && !(l.b == ext) && at.empty())
            {
                at = l.pointer;
            }
        }
        for (const auto& e : seg.ends)
        {
            if (!(e == ext))
            {
                others += (others.empty() ? "" : ", ") + m_s.Describe(e);
            }
        }
        Error(at.empty() ? m_s.links[seg.links.front()].pointer : at,
              "external node " + Quote(m_s.nodes[ext.node].name) +
                  " is reached through a TAP device, a cable to one simulated interface; it "
                  "cannot share an Ethernet segment (" +
                  others + ")");
    }
}

} // namespace ns3
