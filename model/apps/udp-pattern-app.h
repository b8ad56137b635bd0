// A UDP sender whose datagrams can be checked at the receiver: each carries a flow number, a
// sequence number and bytes that follow from both, sent at a constant rate ("cbr") or with
// exponential gaps at the same mean rate ("poisson", seeded from ns-3's random streams). The
// checker tells intact datagrams from corrupted ones and from duplicates (replays), so that a run
// can show that nothing which failed an integrity or replay check reached an application.
#ifndef IPSEC_UDP_PATTERN_APP_H
#define IPSEC_UDP_PATTERN_APP_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/data-rate.h"
#include "ns3/event-id.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * @brief Sends numbered UDP datagrams of a fixed size to one address: at a constant rate, or
 * with exponentially distributed gaps of the same mean (a Poisson process).
 *
 * Payload: 4 bytes flow number, 8 bytes sequence number (from 0, big endian), then bytes that
 * depend on both (PatternUdpPayload). The mean rate counts payload bytes, as OnOffApplication
 * does.
 */
class PatternUdpSender : public Application
{
public:
    static TypeId GetTypeId();
    PatternUdpSender();
    ~PatternUdpSender() override;

    /** @return the number of streams used (one: the gaps) */
    int64_t AssignStreams(int64_t stream);
    uint64_t GetSent() const
    {
        return m_sent;
    }
    /** The gaps between sends so far (for tests), in seconds; kept only with KeepGaps. */
    const std::vector<double>& GetGaps() const
    {
        return m_gaps;
    }

private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    void SendOne();
    Time NextGap();

    Address m_remote;
    DataRate m_rate;
    uint32_t m_size = 512;
    bool m_poisson = false;
    uint32_t m_flow = 0;
    bool m_keepGaps = false;
    Ptr<Socket> m_socket;
    Ptr<ExponentialRandomVariable> m_gap;
    EventId m_next;
    uint64_t m_sent = 0;
    Time m_last;
    std::vector<double> m_gaps;
};

/** The payload of PatternUdpSender's datagram @p seq of flow @p flow, @p size >= 12 bytes. */
std::vector<uint8_t> PatternUdpPayload(uint32_t flow, uint64_t seq, uint32_t size);

/**
 * @brief Checks datagrams as a sink receives them: numbered ones (PatternUdpSender) against
 * their expected bytes and against the sequence numbers already seen; zero-filled ones
 * (OnOffApplication) for any byte that is not zero.
 */
class PayloadChecker
{
public:
    /** @param sequence numbered datagrams of flow @p flow; false: zero-filled payload
     *  @param size the payload size every datagram was sent with */
    PayloadChecker(bool sequence, uint32_t flow, uint32_t size)
        : m_sequence(sequence), m_flow(flow), m_size(size)
    {
    }
    void Check(Ptr<const Packet> p);

    uint64_t checked = 0;   //!< datagrams looked at
    uint64_t intact = 0;    //!< as sent, first copy
    uint64_t corrupt = 0;   //!< some byte differs from what was sent
    uint64_t duplicate = 0; //!< intact, but its sequence number was delivered before

private:
    bool m_sequence;
    uint32_t m_flow;
    uint32_t m_size;
    std::vector<bool> m_seen; //!< by sequence number
};

} // namespace ns3

#endif
