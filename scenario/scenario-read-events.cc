#include "scenario-reader.h"

#include "ns3/ios-exec.h"

namespace ns3
{

using namespace scenario_detail;

void
ScenarioReader::ReadEvent(const nlohmann::json& v, size_t i)
{
    const std::string ptr = JPtr("/events", i);
    if (!ExpectObject(v, ptr, "an event"))
    {
        return;
    }
    ScenarioEvent e;
    e.pointer = ptr;
    CheckKeys(v, ptr, {"at", "node", "exec", "link", "state", "card", "reload", "power", "hosts"});
    const size_t before = issues.size();
    auto at = GetTime(v, ptr, "at", true);
    if (at)
    {
        e.at = *at;
        if (m_durationOk && *at > m_s.duration)
        {
            Error(JPtr(ptr, "at"), "after the end of the run (duration " +
                                       std::to_string(m_s.duration.GetSeconds()) + " s)");
        }
    }
    if (v.contains("card"))
    {
        ReadCardEvent(v, e);
        if (issues.size() == before)
        {
            m_s.events.push_back(e);
        }
        return;
    }
    if (v.contains("hosts"))
    {
        // The name server's answers change: routers resolve `set peer NAME dynamic` from them.
        e.kind = ScenarioEvent::Kind::HOSTS;
        CheckKeys(v, ptr, {"at", "hosts"});
        ReadHostTable(v["hosts"], JPtr(ptr, "hosts"), e.hosts);
        if (issues.size() == before)
        {
            m_s.events.push_back(e);
        }
        return;
    }
    if (v.contains("reload") || v.contains("power"))
    {
        ReadPowerEvent(v, e);
        if (issues.size() == before)
        {
            m_s.events.push_back(e);
        }
        return;
    }
    const bool isExec = v.contains("node") || v.contains("exec");
    const bool isLink = v.contains("link") || v.contains("state");
    if (isExec == isLink)
    {
        Error(ptr, "an event has \"node\" and \"exec\" (an EXEC command), or \"link\" and "
                   "\"state\" (a cable pulled or plugged back)");
        return;
    }
    if (isExec)
    {
        ReadExecEvent(v, e);
    }
    else
    {
        ReadLinkStateEvent(v, e);
    }
    if (issues.size() == before)
    {
        m_s.events.push_back(e);
    }
}

/** "node" and "exec": an EXEC command run on a router. */
void
ScenarioReader::ReadExecEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::EXEC;
    auto node = GetString(v, ptr, "node", true);
    auto exec = GetString(v, ptr, "exec", true);
    if (node)
    {
        const int32_t n = m_s.FindNode(*node);
        if (n < 0)
        {
            if (!m_nodeNames.count(*node))
            {
                Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
            }
        }
        else if (!m_s.nodes[n].IsRouter())
        {
            Error(JPtr(ptr, "node"),
                  Quote(*node) + " is " +
                      (m_s.nodes[n].IsExternal() ? "an external node" : "a host") +
                      "; EXEC commands run on routers");
        }
        else
        {
            e.node = static_cast<uint32_t>(n);
        }
    }
    if (exec)
    {
        try
        {
            IosExecParser::Parse(*exec);
            e.exec = *exec;
        }
        catch (const IosConfigError& err)
        {
            Error(JPtr(ptr, "exec"), "\n" + WithoutLocation(err));
        }
    }
}

/** "link" and "state": a cable pulled or plugged back. */
void
ScenarioReader::ReadLinkStateEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::LINK_STATE;
    auto state = GetString(v, ptr, "state", true);
    if (state && *state != "up" && *state != "down")
    {
        Error(JPtr(ptr, "state"), "a link state is \"up\" or \"down\", not " + Quote(*state));
    }
    e.up = state && *state == "up";
    auto it = v.find("link");
    if (it == v.end())
    {
        Error(ptr, "missing key \"link\"");
    }
    else if (auto end = ReadEndpoint(*it, JPtr(ptr, "link")))
    {
        bool found = false;
        for (const auto& l : m_s.links)
        {
            if (l.a == *end || l.b == *end)
            {
                e.end = *end;
                e.node = end->node;
                e.segment = l.segment;
                found = true;
                break;
            }
        }
        if (!found)
        {
            Error(JPtr(ptr, "link"), m_s.Describe(*end) + " is the end of no link");
        }
        else if (m_s.segments[e.segment].externalEnd >= 0)
        {
            const auto& seg = m_s.segments[e.segment];
            Error(JPtr(ptr, "link"), "cable pulls are not modelled on the link to external node " +
                                         Quote(m_s.nodes[seg.ends[seg.externalEnd].node].name) +
                                         " (take its TAP device down in its namespace instead)");
        }
    }
}

void
ScenarioReader::ReadCardEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::CARD_STATE;
    for (const char* k : {"exec", "link"})
    {
        if (v.contains(k))
        {
            Error(JPtr(ptr, k), "a card event has \"node\", \"card\" and \"state\" only");
        }
    }
    auto state = GetString(v, ptr, "state", true);
    if (state && *state != "failed" && *state != "up")
    {
        Error(JPtr(ptr, "state"), "a card state is \"failed\" or \"up\", not " + Quote(*state));
    }
    e.up = state && *state == "up";
    auto slot = GetUnsigned(v, ptr, "card", true, 0, 15);
    auto node = GetString(v, ptr, "node", true);
    if (!node || !slot)
    {
        return;
    }
    const int32_t n = m_s.FindNode(*node);
    if (n < 0)
    {
        if (!m_nodeNames.count(*node))
        {
            Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
        }
        return;
    }
    const ScenarioNode& r = m_s.nodes[n];
    if (*slot >= r.modules.size())
    {
        Error(JPtr(ptr, "card"), Quote(*node) + " has " + std::to_string(r.modules.size()) +
                                     " card(s) in \"modules\"; slot " + std::to_string(*slot) +
                                     " is not one of them");
        return;
    }
    e.node = static_cast<uint32_t>(n);
    e.slot = static_cast<uint32_t>(*slot);
}

void
ScenarioReader::ReadPowerEvent(const nlohmann::json& v, ScenarioEvent& e)
{
    const std::string& ptr = e.pointer;
    e.kind = ScenarioEvent::Kind::POWER;
    for (const char* k : {"exec", "link", "state", "card"})
    {
        if (v.contains(k))
        {
            Error(JPtr(ptr, k), "a power event has \"node\" and \"reload\" (off, then on after "
                                "that time) or \"power\" (\"off\" or \"on\") only");
        }
    }
    if (v.contains("reload") && v.contains("power"))
    {
        Error(JPtr(ptr, "power"), "\"reload\" is \"power\": \"off\" and, after that time, "
                                  "\"on\": give one of them");
        return;
    }
    if (v.contains("reload"))
    {
        e.up = false;
        if (auto t = GetTime(v, ptr, "reload", true))
        {
            if (t->IsZero())
            {
                Error(JPtr(ptr, "reload"), "a reload takes some time (more than 0)");
            }
            else if (m_durationOk && e.at + *t > m_s.duration)
            {
                Error(JPtr(ptr, "reload"),
                      "the router would boot after the end of the run (duration " +
                          std::to_string(m_s.duration.GetSeconds()) +
                          " s); to switch it off for good, give \"power\": \"off\"");
            }
            e.reload = *t;
        }
    }
    else if (auto power = GetString(v, ptr, "power", true))
    {
        if (*power != "off" && *power != "on")
        {
            Error(JPtr(ptr, "power"), "power is \"off\" or \"on\", not " + Quote(*power));
        }
        e.up = *power == "on";
    }
    auto node = GetString(v, ptr, "node", true);
    if (!node)
    {
        return;
    }
    const int32_t n = m_s.FindNode(*node);
    if (n < 0)
    {
        if (!m_nodeNames.count(*node))
        {
            Error(JPtr(ptr, "node"), "node " + Quote(*node) + " is not defined");
        }
        return;
    }
    if (!m_s.nodes[n].IsRouter())
    {
        Error(JPtr(ptr, "node"), Quote(*node) + " is not a router: only routers lose power here");
        return;
    }
    e.node = static_cast<uint32_t>(n);
}

} // namespace ns3
