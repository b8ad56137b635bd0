#include "ns3/results-json.h"

#include "ns3/ipsec-random.h"
#include "ns3/scenario-runner.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace ns3
{

nlohmann::json
ResultSeconds(double s)
{
    return std::round(s * 1e9) / 1e9; // ns resolution, no float noise in the file
}

std::string
ResultAddress(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::string
ResultPrefix(Ipv4Address a, Ipv4Mask m)
{
    return ResultAddress(a) + "/" + std::to_string(m.GetPrefixLength());
}

nlohmann::json
ScenarioSummaryJson(const Scenario& s, double endedAt, bool realtime)
{
    return {{"name", s.name},
            {"file", s.file},
            {"seed", s.seed},
            {"run", s.run},
            {"duration_s", ResultSeconds(endedAt)},
            {"realtime", realtime},
            // "per run" with an external node: a real peer remembers cookies and SPIs
            {"ike_identifiers", IpsecRandom::UniqueIdentifiers() ? "per run" : "seeded"},
            {"crypto", s.fastCrypto ? "fast" : "real"}};
}

nlohmann::json
WarningsJson(const Scenario& s)
{
    nlohmann::json w = nlohmann::json::array();
    for (const auto& i : s.warnings)
    {
        w.push_back(i.Format(s.file));
    }
    return w;
}

nlohmann::json
HostNodeJson(const ScenarioNode& n)
{
    nlohmann::json j;
    j["kind"] = ToString(n.kind);
    if (n.IsExternal())
    {
        j["namespace"] = n.netns;
        j["interface"] = n.hostInterface;
    }
    j["address"] = ResultPrefix(n.address, n.mask);
    if (n.gateway)
    {
        j["gateway"] = ResultAddress(*n.gateway);
    }
    if (n.IsExternal())
    {
        j["networks"] = nlohmann::json::array();
        for (const auto& [a, m] : n.networks)
        {
            j["networks"].push_back(ResultPrefix(a, m));
        }
    }
    return j;
}

nlohmann::json
LinkJson(const Scenario& s, const ScenarioLink& l)
{
    nlohmann::json j = {{"link", l.pointer},
                        {"a", s.Describe(l.a)},
                        {"b", s.Describe(l.b)},
                        {"type", ToString(l.type)},
                        {"rate_bps", l.rate.GetBitRate()},
                        {"delay_s", ResultSeconds(l.delay.GetSeconds())}};
    if (const ScenarioSegment& seg = s.segments[l.segment]; seg.externalEnd >= 0)
    {
        // A TAP device: no rate, no delay of its own.
        const ScenarioNode& x = s.nodes[seg.ends[seg.externalEnd].node];
        j["rate_bps"] = nullptr;
        j["delay_s"] = nullptr;
        j["tap"] = {{"namespace", x.netns}, {"interface", x.hostInterface}};
    }
    if (l.type == ScenarioLinkType::SERIAL)
    {
        IosEncapsulation enc = IosEncapsulation::HDLC;
        for (const auto* e : {&l.a, &l.b})
        {
            if (s.nodes[e->node].IsRouter())
            {
                if (auto* f = s.nodes[e->node].config.FindInterface(e->interface))
                {
                    enc = f->encapsulation;
                }
            }
        }
        const SerialFraming f = SerialFraming::For(enc);
        j["encapsulation"] = f.name;
        j["framing_bytes"] = f.bytes;
    }
    return j;
}

nlohmann::json
LinkErrorsJson(const ScenarioSegment& seg,
               const std::vector<std::pair<std::string, nlohmann::json>>& ends)
{
    static const char* const kCounts[] = {
        "frames", "lost", "corrupted", "corrupted_esp", "corrupted_esp_header", "corrupted_udp"};
    nlohmann::json e = {
        {"loss", seg.loss}, {"corrupt", seg.corrupt}, {"ends", nlohmann::json::object()}};
    for (const char* k : kCounts)
    {
        e[k] = 0;
    }
    for (const auto& [end, r] : ends)
    {
        e["ends"][end] = r;
        for (const char* k : kCounts)
        {
            e[k] = e[k].get<uint64_t>() + r[k].get<uint64_t>();
        }
    }
    return e;
}

void
WriteResultsJson(const nlohmann::json& r, const std::filesystem::path& dir)
{
    WriteJsonFile(r, dir / "results.json", 2);
}

void
WriteJsonFile(const nlohmann::json& j, const std::filesystem::path& file, int indent)
{
    std::ofstream(file) << j.dump(indent) << "\n";
}

} // namespace ns3
