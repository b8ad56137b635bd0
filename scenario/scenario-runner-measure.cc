// The runner's measurements: which FlowMonitor flows belong to which traffic item, the time
// series sampled during the run, the NetAnim trace, and each flow's results.
#include "ns3/results-json.h"
#include "scenario-runner-impl.h"

namespace ns3
{

bool
ScenarioRunner::Impl::FlowOf(size_t i, const Ipv4FlowClassifier::FiveTuple& ft) const
{
    // FlowMonitor's flows of this item: its protocol, to its sink, from its source's addresses.
    const ScenarioTraffic& t = s.traffic[i];
    const uint8_t proto = t.kind == ScenarioTrafficKind::UDP ? 17 : 6;
    if (ft.protocol != proto || ft.destinationAddress != t.to || ft.destinationPort != t.port)
    {
        return false; // the cheap tests first: results ask this of every flow for every item
    }
    Ptr<Ipv4> srcIp = nodes[t.from] ? nodes[t.from]->GetObject<Ipv4>() : nullptr;
    return srcIp && srcIp->GetInterfaceForAddress(ft.sourceAddress) >= 0;
}

#ifdef IPSEC_HAVE_NETANIM
void
ScenarioRunner::Impl::StartAnimation(const std::string& file)
{
    // Routers in a row, each host below the router of its segment (or below the row's end).
    std::map<uint32_t, double> x;
    double next = 0;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].IsRouter() && nodes[i])
        {
            x[i] = next;
            next += 100;
        }
    }
    std::map<uint32_t, int> hostsBelow;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (!nodes[i])
        {
            continue;
        }
        if (s.nodes[i].IsRouter())
        {
            AnimationInterface::SetConstantPosition(nodes[i], x[i], 50);
            continue;
        }
        int32_t router = -1;
        for (const auto& seg : s.segments)
        {
            bool mine = false;
            for (const auto& e : seg.ends)
            {
                mine = mine || e.node == i;
            }
            for (const auto& e : seg.ends)
            {
                if (mine && s.nodes[e.node].IsRouter())
                {
                    router = static_cast<int32_t>(e.node);
                }
            }
        }
        const double hx = router >= 0 ? x[router] : next;
        const int k = hostsBelow[router >= 0 ? router : 1u << 30]++;
        AnimationInterface::SetConstantPosition(nodes[i], hx + 25 * k, 100 + 15 * k);
    }
    anim = std::make_unique<AnimationInterface>(file);
    anim->SetMaxPktsPerTraceFile(200000);
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (nodes[i])
        {
            anim->UpdateNodeDescription(nodes[i], s.nodes[i].name);
        }
    }
}
#endif

void
ScenarioRunner::Impl::StartSeries()
{
    // About 200 samples a run, no finer than 10 ms and no coarser than 1 s.
    seriesStep = std::clamp(s.duration / 200, MilliSeconds(10), Seconds(1));
    for (size_t i = 0; i < s.traffic.size(); ++i)
    {
        const ScenarioTraffic& t = s.traffic[i];
        if (t.kind != ScenarioTrafficKind::PING && !s.nodes[t.from].IsExternal() &&
            !s.nodes[t.toNode].IsExternal())
        {
            flowSeries[i];
            const uint8_t proto = t.kind == ScenarioTrafficKind::UDP ? 17 : 6;
            seriesToSink[{proto, t.to.Get(), t.port}].push_back(i);
        }
    }
    for (size_t n = 0; n < routers.size(); ++n)
    {
        Ptr<IpsecEngineSet> e = routers[n] ? routers[n]->GetEngines() : nullptr;
        if (!e)
        {
            continue;
        }
        if (e->GetSoftware())
        {
            engineSeries.push_back({s.nodes[n].name, e->GetSoftware(), Time(0), {}, {}});
        }
        for (const auto& c : e->GetCards())
        {
            engineSeries.push_back({s.nodes[n].name, c, Time(0), {}, {}});
        }
    }
    if (!flowSeries.empty() || !engineSeries.empty())
    {
        Simulator::Schedule(seriesStep, &ScenarioRunner::Impl::Sample, this);
    }
}

const Ipv4FlowClassifier::FiveTuple&
ScenarioRunner::Impl::TupleOf(FlowId id)
{
    auto it = flowTuples.find(id);
    if (it == flowTuples.end())
    {
        Ptr<Ipv4FlowClassifier> cls = DynamicCast<Ipv4FlowClassifier>(flowHelper.GetClassifier());
        it = flowTuples.emplace(id, cls->FindFlow(id)).first;
    }
    return it->second;
}

const std::vector<FlowId>&
ScenarioRunner::Impl::FlowsTo(uint8_t protocol, Ipv4Address dst, uint16_t port)
{
    const auto& stats = monitor->GetFlowStats();
    if (flowsIndexed != stats.size())
    {
        flowsToSink.clear();
        for (const auto& [id, st] : stats)
        {
            const auto& ft = TupleOf(id);
            flowsToSink[{ft.protocol, ft.destinationAddress.Get(), ft.destinationPort}].push_back(
                id);
        }
        flowsIndexed = stats.size();
    }
    static const std::vector<FlowId> kNone;
    auto it = flowsToSink.find({protocol, dst.Get(), port});
    return it == flowsToSink.end() ? kNone : it->second;
}

void
ScenarioRunner::Impl::Sample()
{
    seriesT.push_back(Simulator::Now().GetSeconds());
    const double dt = seriesStep.GetSeconds();
    if (monitor && !flowSeries.empty())
    {
        std::map<size_t, std::tuple<uint64_t, uint64_t, Time>> now;
        for (const auto& [id, st] : monitor->GetFlowStats())
        {
            auto [of, fresh] = seriesOfFlow.try_emplace(id);
            if (fresh)
            {
                const auto& ft = TupleOf(id);
                auto candidates = seriesToSink.find(
                    {ft.protocol, ft.destinationAddress.Get(), ft.destinationPort});
                if (candidates == seriesToSink.end())
                {
                    continue; // it counts towards no series
                }
                for (size_t i : candidates->second)
                {
                    if (FlowOf(i, ft))
                    {
                        of->second.push_back(i);
                    }
                }
            }
            for (size_t i : of->second)
            {
                auto& [b, p, d] = now[i];
                b += st.rxBytes;
                p += st.rxPackets;
                d += st.delaySum;
            }
        }
        for (auto& [i, fs] : flowSeries)
        {
            const auto [b, p, d] = now[i];
            fs.bps.push_back(std::round((b - fs.rxBytes) * 8 / dt));
            const double ms = p > fs.rxPackets
                                  ? (d - fs.delaySum).GetSeconds() * 1e3 / double(p - fs.rxPackets)
                                  : 0;
            fs.delayMs.push_back(p > fs.rxPackets ? nlohmann::json(std::round(ms * 1e4) / 1e4)
                                                  : nlohmann::json());
            fs.rxBytes = b;
            fs.rxPackets = p;
            fs.delaySum = d;
        }
    }
    for (auto& es : engineSeries)
    {
        const Time busy = es.engine->GetBusyTime();
        es.utilisation.push_back(
            std::round(std::min(1.0, (busy - es.busy).GetSeconds() / dt) * 1e4) / 1e4);
        es.busy = busy;
        es.queue.push_back(es.engine->GetQueueLength());
    }
    if (Simulator::Now() + seriesStep <= s.duration)
    {
        Simulator::Schedule(seriesStep, &ScenarioRunner::Impl::Sample, this);
    }
}

nlohmann::json
ScenarioRunner::Impl::SeriesResult() const
{
    nlohmann::json j;
    j["interval_s"] = seriesStep.GetSeconds();
    j["t_s"] = seriesT;
    j["flows"] = nlohmann::json::array();
    for (const auto& [i, fs] : flowSeries)
    {
        const ScenarioTraffic& t = s.traffic[i];
        j["flows"].push_back({{"traffic", t.pointer},
                              {"from", s.nodes[t.from].name},
                              {"to", ResultAddress(t.to)},
                              {"port", t.port},
                              {"kind", ToString(t.kind)},
                              {"rx_bps", fs.bps},
                              {"mean_delay_ms", fs.delayMs}});
    }
    j["engines"] = nlohmann::json::array();
    for (const auto& es : engineSeries)
    {
        j["engines"].push_back({{"node", es.node},
                                {"engine", es.engine->GetName()},
                                {"hardware", es.engine->IsHardware()},
                                {"utilisation", es.utilisation},
                                {"queue", es.queue}});
    }
    return j;
}

nlohmann::json
ScenarioRunner::Impl::FlowResult(size_t i)
{
    const ScenarioTraffic& t = s.traffic[i];
    const Flow& f = flows[i];
    nlohmann::json j;
    j["traffic"] = t.pointer;
    j["kind"] = ToString(t.kind);
    j["from"] = s.nodes[t.from].name;
    j["to"] = ResultAddress(t.to);
    j["to_node"] = s.nodes[t.toNode].name;
    j["start_s"] = ResultSeconds(t.start.GetSeconds());
    j["stop_s"] = ResultSeconds(t.stop.GetSeconds());
    if (t.kind == ScenarioTrafficKind::PING)
    {
        j["count"] = t.count;
        j["delay"] = "round-trip";
        // The requests sent by the time the run ended (a console session may end it early).
        uint32_t sent = 0;
        const Time now = Simulator::Now();
        if (now >= t.start && t.interval.IsStrictlyPositive())
        {
            sent = static_cast<uint32_t>(std::min<int64_t>(
                f.pingsSent, (now - t.start).GetNanoSeconds() / t.interval.GetNanoSeconds() + 1));
        }
        j["sent"] = sent;
        j["received"] = f.rttCount;
        j["lost"] = sent >= f.rttCount ? sent - f.rttCount : 0;
        j["mean_delay_s"] =
            f.rttCount ? ResultSeconds(f.rttSum.GetSeconds() / f.rttCount) : nlohmann::json();
        j["max_delay_s"] = f.rttCount ? ResultSeconds(f.rttMax.GetSeconds()) : nlohmann::json();
        return j;
    }
    j["port"] = t.port;
    j["delay"] = "one-way";
    if (s.nodes[t.from].IsExternal())
    {
        // A real host sent it: only what the sink received is known.
        for (const char* k :
             {"sent", "lost", "sent_bytes", "received_bytes", "mean_delay_s", "max_delay_s"})
        {
            j[k] = nullptr;
        }
        j["received"] = f.sinkPackets;
        j["sink_bytes"] = f.sink ? f.sink->GetTotalRx() : 0;
        return j;
    }
    const bool toExternal = s.nodes[t.toNode].IsExternal();
    uint64_t tx = 0, rx = 0, lost = 0, txBytes = 0, rxBytes = 0;
    Time delaySum;
    double maxDelay = -1;
    std::optional<Time> firstTx, lastTx, firstRx, lastRx;
    auto widen = [](std::optional<Time>& first, std::optional<Time>& last, Time a, Time b)
    {
        first = first ? std::min(*first, a) : a;
        last = last ? std::max(*last, b) : b;
    };
    const auto& stats = monitor->GetFlowStats();
    const uint8_t proto = t.kind == ScenarioTrafficKind::UDP ? 17 : 6;
    for (FlowId id : FlowsTo(proto, t.to, t.port))
    {
        if (!FlowOf(i, TupleOf(id)))
        {
            continue;
        }
        const FlowMonitor::FlowStats& st = stats.at(id);
        if (st.txPackets)
        {
            widen(firstTx, lastTx, st.timeFirstTxPacket, st.timeLastTxPacket);
        }
        if (st.rxPackets)
        {
            widen(firstRx, lastRx, st.timeFirstRxPacket, st.timeLastRxPacket);
        }
        tx += st.txPackets;
        rx += st.rxPackets;
        lost += st.lostPackets;
        txBytes += st.txBytes;
        rxBytes += st.rxBytes;
        delaySum += st.delaySum;
        Histogram h = st.delayHistogram;
        for (uint32_t b = h.GetNBins(); b > 0; --b)
        {
            if (h.GetBinCount(b - 1) > 0)
            {
                maxDelay = std::max(maxDelay, h.GetBinEnd(b - 1));
                break;
            }
        }
    }
    j["sent"] = tx;
    j["received"] = rx;
    j["lost"] = lost;
    j["sent_bytes"] = txBytes;
    j["received_bytes"] = rxBytes;
    // First and last packet sent and received (IP bytes counted by FlowMonitor): what a
    // saturated path carries is received bytes over the receiving span, its queue draining at
    // the same rate after the sender stops.
    auto secs = [](const std::optional<Time>& t)
    { return t ? nlohmann::json(t->GetSeconds()) : nlohmann::json(); };
    j["first_tx_s"] = secs(firstTx);
    j["last_tx_s"] = secs(lastTx);
    j["first_rx_s"] = secs(firstRx);
    j["last_rx_s"] = secs(lastRx);
    j["mean_delay_s"] = rx ? ResultSeconds(delaySum.GetSeconds() / rx) : nlohmann::json();
    j["max_delay_s"] = maxDelay >= 0 ? ResultSeconds(maxDelay) : nlohmann::json();
    if (toExternal)
    {
        // A real host received it: what arrived there is not known here.
        for (const char* k : {"received", "lost", "received_bytes", "mean_delay_s", "max_delay_s",
                              "first_rx_s", "last_rx_s"})
        {
            j[k] = nullptr;
        }
    }
    if (t.kind == ScenarioTrafficKind::UDP)
    {
        j["rate_bps"] = t.rate.GetBitRate();
        j["size"] = t.size;
        j["pattern"] = t.poisson ? "poisson" : "cbr";
        if (f.check)
        {
            // Datagrams the application got, checked byte for byte against what was sent.
            j["payload"] = {{"kind", t.sequencePayload ? "sequence" : "zeros"},
                            {"checked", f.check->checked},
                            {"intact", f.check->intact},
                            {"corrupt", f.check->corrupt},
                            {"duplicate", f.check->duplicate}};
        }
    }
    else
    {
        j["bytes"] = t.bytes;
    }
    j["sink_bytes"] = f.sink ? nlohmann::json(f.sink->GetTotalRx()) : nlohmann::json();
    return j;
}

} // namespace ns3
