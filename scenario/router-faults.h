// Faults for scenarios: links that lose or corrupt frames (an ns-3 ErrorModel that really
// changes the bytes it lets through), and routers that lose power (every SA and all IKE state
// gone, nobody told) and boot again with their configuration. doc/faults.md describes them.
#ifndef IPSEC_ROUTER_FAULTS_H
#define IPSEC_ROUTER_FAULTS_H

#include "ns3/ios-router.h"

#include "ns3/error-model.h"
#include "ns3/random-variable-stream.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace ns3
{

/**
 * @brief A receive error model for a link: each frame is lost with probability Loss, or else
 * delivered with one random bit flipped with probability Corrupt.
 *
 * Only the bytes after the outer IPv4 header are changed (the link header and the IP header
 * stay intact: a router would catch damage there with its FCS and header checksum, and drop the
 * frame before IPsec ever sees it), so corruption reaches what the receiver checks itself: the
 * ESP ICV, the UDP checksum of IKE and of clear traffic. An optional "cable" model (a pulled
 * cable) is asked first: what it refuses is lost as well.
 */
class LinkFaultModel : public ErrorModel
{
public:
    static TypeId GetTypeId();
    LinkFaultModel();

    /** Bytes of link header before the IPv4 header (2: ns-3's PPP field, 14: Ethernet). */
    void SetLinkHeader(uint32_t bytes)
    {
        m_linkHeader = bytes;
    }
    /** A model asked first (a cable pull); may be null. */
    void SetCable(Ptr<ErrorModel> cable)
    {
        m_cable = cable;
    }
    /** @return streams used (one) */
    int64_t AssignStreams(int64_t stream);

    uint64_t GetFrames() const
    {
        return m_frames;
    }
    uint64_t GetLost() const
    {
        return m_lost;
    }
    uint64_t GetCorrupted() const
    {
        return m_corrupted;
    }
    /** Corrupted ESP packets (IP protocol 50), and of those the ones hit in their SPI or
     *  sequence number (which fail the SA lookup or the replay check before the ICV). */
    uint64_t GetCorruptedEsp() const
    {
        return m_corruptedEsp;
    }
    uint64_t GetCorruptedEspHeader() const
    {
        return m_corruptedEspHeader;
    }
    /** Counters as JSON (results.json "links"[i]["errors"]). */
    nlohmann::json Report() const;

private:
    bool DoCorrupt(Ptr<Packet> p) override;
    void DoReset() override;

    double m_loss = 0;
    double m_corrupt = 0;
    uint32_t m_linkHeader = 2;
    Ptr<ErrorModel> m_cable;
    Ptr<UniformRandomVariable> m_rv;
    uint64_t m_frames = 0;
    uint64_t m_lost = 0;
    uint64_t m_corrupted = 0;
    uint64_t m_corruptedEsp = 0;
    uint64_t m_corruptedEspHeader = 0;
    uint64_t m_corruptedUdp = 0;
};

/**
 * @brief What a router loses when its power goes: every IPsec SA (manually keyed ones come back
 * from the configuration with fresh sequence numbers, as after a boot), every ISAKMP SA,
 * exchange and negotiation. Nobody is told (no delete notification): the caller takes the
 * interfaces down first, and brings them up when the router boots.
 */
class RouterFaults
{
public:
    /** Forget all SA and IKE state of @p router, silently. */
    static void LoseState(Ptr<IosRouter> router);
    /** Live IPsec SAs (inbound and outbound, all protocols) in @p router's SAD. */
    static uint32_t CountIpsecSas(Ptr<IosRouter> router);
    /** Live ISAKMP SAs of @p router's IKE daemon (0 without IKE). */
    static uint32_t CountIsakmpSas(Ptr<IosRouter> router);
};

} // namespace ns3

#endif
