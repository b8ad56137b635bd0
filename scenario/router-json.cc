#include "ns3/router-json.h"

#include "ns3/ios-show.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{
std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

std::string
Hex8(uint32_t v)
{
    char b[16];
    std::snprintf(b, sizeof(b), "%08X", v);
    return b;
}

nlohmann::json
EngineJson(const Ptr<IpsecCryptoEngine>& e)
{
    nlohmann::json x;
    x["name"] = e->GetName();
    x["description"] = e->Describe();
    x["completed"] = e->GetCompleted();
    x["utilisation"] = e->GetUtilisation(Seconds(0));
    x["busy_s"] = e->GetBusyTime().GetSeconds();
    x["queue_depth_limit"] = e->GetQueueDepth();
    nlohmann::json d = nlohmann::json::object();
    for (size_t k = 0; k < kIpsecEngineDropReasonCount; ++k)
    {
        const auto r = static_cast<IpsecEngineDropReason>(k);
        if (e->GetDrops(r))
        {
            d[ToString(r)] = e->GetDrops(r);
        }
    }
    x["refused"] = d;
    return x;
}

/** The non-zero counters of @p drops by reason name. */
nlohmann::json
DropsJson(const IpsecDropCounters& drops)
{
    nlohmann::json j = nlohmann::json::object();
    for (size_t k = 0; k < kIpsecDropReasonCount; ++k)
    {
        auto reason = static_cast<IpsecDropReason>(k);
        if (drops.Get(reason))
        {
            j[ToString(reason)] = drops.Get(reason);
        }
    }
    return j;
}

/** One entry per SA of every bundle of the crypto map sets in force. */
nlohmann::json
SasJson(const IosRouter& router)
{
    nlohmann::json sas = nlohmann::json::array();
    for (const auto& [mapName, pe] : router.GetCryptoMapEntries())
    {
        for (const auto& b : pe->bundles)
        {
            std::ostringstream flow;
            flow << b->scope;
            const std::string tf = IosTransformOf(b->outbound);
            for (const auto* v : {&b->inbound, &b->outbound})
            {
                for (const auto& sa : *v)
                {
                    nlohmann::json s;
                    s["spi"] = "0x" + Hex8(sa->GetSpi());
                    s["protocol"] = ToString(sa->GetProtocol());
                    s["direction"] =
                        sa->GetDirection() == IpsecDirection::INBOUND ? "inbound" : "outbound";
                    s["peer"] = Text(b->peer);
                    s["local"] = Text(b->local);
                    s["map"] = mapName;
                    s["seq"] = pe->seq;
                    s["transform"] = tf;
                    s["mode"] = sa->GetMode() == IpsecMode::TUNNEL ? "tunnel" : "transport";
                    s["flow"] = flow.str();
                    s["packets"] = sa->GetPackets();
                    s["bytes"] = sa->GetBytes();
                    s["drops"] = DropsJson(sa->GetDrops());
                    sas.push_back(s);
                }
            }
        }
    }
    return sas;
}

nlohmann::json
IkeJson(const IkeDaemon& ike)
{
    nlohmann::json j;
    j["isakmp_sas"] = nlohmann::json::array();
    for (const auto& sa : ike.GetSas())
    {
        j["isakmp_sas"].push_back({{"conn_id", sa->connId},
                                   {"local", Text(sa->local)},
                                   {"peer", Text(sa->peer)},
                                   {"role", sa->initiator ? "initiator" : "responder"},
                                   {"state", ToString(sa->state)},
                                   {"suite", sa->policy.ToString()},
                                   {"created_s", sa->created.GetSeconds()}});
    }
    j["exchanges"] = nlohmann::json::array();
    for (const auto& r : ike.GetExchanges())
    {
        j["exchanges"].push_back(IkeExchangeToJson(r));
    }
    j["dropped_messages"] = ike.GetDroppedMessages();
    j["nat_keepalives"] = {{"sent", ike.GetNatKeepalivesSent()},
                           {"received", ike.GetNatKeepalivesReceived()}};
    j["drop_reasons"] = ike.GetDropReasons();
    return j;
}
} // namespace

nlohmann::json
IkeExchangeToJson(const IkeExchangeRecord& r)
{
    nlohmann::json j = {{"exchange", r.exchange},
                        {"role", r.role},
                        {"local", Text(r.local)},
                        {"peer", Text(r.peer)},
                        {"icookie", r.icookie},
                        {"message_id", r.messageId},
                        {"start_s", r.start.GetSeconds()},
                        {"result", r.result},
                        {"messages", r.messages},
                        {"retransmissions", r.retransmissions}};
    if (r.result != "in progress")
    {
        j["end_s"] = r.end.GetSeconds();
    }
    if (!r.reason.empty())
    {
        j["reason"] = r.reason;
    }
    if (!r.detail.empty())
    {
        j["detail"] = r.detail;
    }
    return j;
}

nlohmann::json
HardwareReport(const IpsecEngineSet& engines)
{
    nlohmann::json h;
    if (Ptr<IpsecSoftwareEngine> cpu = engines.GetSoftware())
    {
        h["platform"] = cpu->GetPlatformName();
        h["cpu"] = EngineJson(cpu);
    }
    h["forwarded"] = engines.GetForwarded();
    h["input_queue_drops"] = engines.GetForwardDrops();
    h["cards"] = nlohmann::json::array();
    for (const auto& c : engines.GetCards())
    {
        nlohmann::json x = EngineJson(c);
        x["card"] = c->GetCardName();
        x["slot"] = c->GetSlot();
        x["failed"] = c->IsFailed();
        x["tunnels"] = c->GetTunnels();
        x["max_tunnels"] = c->GetMaxTunnels();
        h["cards"].push_back(x);
    }
    return h;
}

nlohmann::json
RouterReport(const IosRouter& router)
{
    Ptr<IpsecProcessor> processor = router.GetProcessor();
    nlohmann::json j;
    j["hostname"] = router.GetConfig().hostname;
    j["encapsulated"] = processor->GetEncapsulated();
    j["decapsulated"] = processor->GetDecapsulated();
    j["drops"] = DropsJson(processor->GetDrops());
    for (const auto& [name, t] : router.GetGreTunnels())
    {
        j["gre"].push_back({{"interface", name},
                            {"source", Text(t->GetSource())},
                            {"destination", Text(t->GetDestination())},
                            {"encapsulated", t->GetEncapsulated()},
                            {"decapsulated", t->GetDecapsulated()},
                            {"dropped", t->GetDropped()},
                            {"protected", t->IsProtected()}});
    }
    // Lines read but not modelled (accepted as IOS would, without effect here).
    j["not_modelled"] = nlohmann::json::array();
    for (const auto& w : router.GetConfig().notModelled)
    {
        j["not_modelled"].push_back(w.file + ":" + std::to_string(w.line) + ": " + w.text);
    }
    if (!router.GetRoutingNotes().empty())
    {
        j["routing"] = router.GetRoutingNotes(); // approximated routing processes
    }
    if (Ptr<IpsecEngineSet> engines = router.GetEngines())
    {
        j["hardware"] = HardwareReport(*engines);
        j["hardware"]["refused_sa_sets"] = router.GetEngineRefusals();
    }
    j["sas"] = SasJson(router);
    if (Ptr<IpsecStaticNat> nat = router.GetNat())
    {
        j["nat"] = {{"translated_out", nat->GetTranslatedOut()},
                    {"translated_in", nat->GetTranslatedIn()}};
    }
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        j["ike"] = IkeJson(*ike);
    }
    return j;
}

} // namespace ns3
