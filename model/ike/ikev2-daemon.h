/**
 * @file
 * IKEv2 (RFC 7296) beside IKEv1: IKE_SA_INIT and IKE_AUTH with pre-shared keys, creating the
 * first child SA, for a crypto map entry the provider marks as IKEv2 (UsesIkev2). It shares the
 * IKEv1 daemon's UDP 500 sockets (a datagram whose major version is 2 comes here), its SPI
 * allocator and its exchange records, and installs the child SA through IpsecProcessor as IKEv1
 * does.
 */
#ifndef IPSEC_IKEV2_DAEMON_H
#define IPSEC_IKEV2_DAEMON_H

#include "ns3/diffie-hellman.h"
#include "ns3/ike-sa.h"
#include "ns3/ikev2-message.h"
#include "ns3/ikev2-proposal.h"
#include "ns3/ipsec-processor.h"

#include "ns3/event-id.h"
#include "ns3/nstime.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class IkeDaemon;

/** One IKE SA as `show crypto ikev2 sa|session` prints it: a read-only snapshot
 *  (Ikev2Daemon::GetSaReports, ikev2-daemon-report.cc). */
struct Ikev2SaReport
{
    enum class Status : uint8_t
    {
        IN_NEG, //!< IKE_SA_INIT or IKE_AUTH under way
        READY,  //!< IKE_AUTH done
        DELETE, //!< failed or being deleted
    };
    uint32_t tunnelId = 0; //!< IOS's Tunnel-id, from 1 per router
    Status status = Status::IN_NEG;
    bool initiator = false;
    Ipv4Address local;
    uint16_t localPort = 500;
    Ipv4Address peer;
    uint16_t peerPort = 500;
    std::optional<Ikev2IkeSuite> suite; //!< once IKE_SA_INIT chose it
    Ikev2Spi localSpi{};
    Ikev2Spi remoteSpi{}; //!< zero until the responder answered
    std::string profile;  //!< the IKEv2 profile, once known
    std::string localId;  //!< our identity as text
    std::string remoteId; //!< the peer's (its address: the daemon keeps no other form)
    uint32_t lifetimeSeconds = 86400;
    Time created;
    uint32_t localNextMessageId = 0;  //!< the Message ID our next request takes
    uint32_t remoteNextMessageId = 0; //!< the Message ID of the peer's next request
    std::string failure;              //!< why, for DELETE
    /** The child SAs negotiated under this IKE SA, as installed in the data plane. */
    std::vector<Ptr<IpsecSaBundle>> children;
};

/** One IKEv2 message sent or received, for `debug crypto ikev2` (ikev2-daemon-report.cc). */
struct Ikev2DebugMessage
{
    Time at;
    bool sent = false;
    uint32_t tunnelId = 0; //!< 0: no SA yet (a first IKE_SA_INIT request received)
    Ipv4Address local;
    uint16_t localPort = 500;
    Ipv4Address peer;
    uint16_t peerPort = 500;
    Ikev2Header header;
    /** The payloads in order, the SK payload's contents in its place when it opened:
     *  (payload type, notify type or 0). */
    std::vector<std::pair<uint8_t, uint16_t>> payloads;
    bool retransmission = false; //!< the same request sent again
};

class Ikev2Daemon
{
public:
    /** @p ike owns this daemon and outlives it. */
    explicit Ikev2Daemon(IkeDaemon& ike);
    ~Ikev2Daemon();

    /** Traffic for an IKEv2 entry found no SA: start an IKE SA with its first peer. */
    void OnAcquire(const IpsecProcessor::Acquire& a);
    /** An IKEv2 datagram from @p peer to @p local. */
    void Receive(const std::vector<uint8_t>& datagram, Ipv4Address peer, uint16_t peerPort,
                 Ipv4Address local, uint16_t localPort);
    /** Cancels every timer and forgets every IKE SA. */
    void Stop();
    /** A reload: Stop(), and the child SAs installed leave the data plane. */
    void ForgetAll();

    /** Rows of Wireshark's ikev2_decryption_table, one per IKE SA that got its keys. */
    const std::vector<std::string>& GetDecryptionTable() const
    {
        return m_table;
    }

    /** The IKE SAs for the show commands, by Tunnel-id (ikev2-daemon-report.cc). */
    std::vector<Ikev2SaReport> GetSaReports() const;
    /** Every message sent and received so far, for `debug crypto ikev2`. */
    const std::vector<Ikev2DebugMessage>& GetDebugMessages() const
    {
        return m_debug;
    }

    /** RFC 7296 2.1: the first retransmission after this, each next one after twice as long. */
    static constexpr double kRetransmitSeconds = 2.0;
    /** Retransmissions before the exchange is given up. */
    static constexpr uint32_t kRetransmissions = 5;

private:
    enum class State
    {
        INIT_SENT,   //!< initiator: IKE_SA_INIT request out
        AUTH_SENT,   //!< initiator: IKE_AUTH request out
        INIT_DONE,   //!< responder: IKE_SA_INIT answered, waiting for IKE_AUTH
        ESTABLISHED, //!< IKE SA and child SA up
        FAILED,      //!< kept to answer retransmissions of the request that failed it
    };

    struct Sa
    {
        State state = State::INIT_SENT;
        bool initiator = false;
        Ikev2Spi spiI{};
        Ikev2Spi spiR{};
        Ipv4Address local;
        Ipv4Address peer;
        uint16_t peerPort = 500;
        std::unique_ptr<ipsec::DhKeyPair> dh;
        uint16_t group = 0;
        std::vector<uint8_t> ni, nr;
        std::vector<uint8_t> initRequest, initResponse; //!< what the AUTH payloads sign
        Ikev2SaPayload ikeOffer;
        std::optional<Ikev2IkeSuite> suite;
        ipsec::Ikev2SaKeys keys;
        std::unique_ptr<ipsec::Ikev2SkCipher> out, in;
        IkePolicyProvider::Ikev2Credentials creds;
        Ptr<IpsecPolicyEntry> entry;
        IpsecTrafficSelector scope;
        IkePhase2Offer offer;
        uint32_t childSpi = 0;
        // retransmission (initiator) and the answer kept for duplicates (responder)
        std::vector<uint8_t> request;
        uint32_t requestId = 0;
        EventId retransmit;
        uint32_t retries = 0;
        std::vector<uint8_t> response;
        uint32_t responseId = 0;
        bool answered = false;
        IkeExchangeRecord record;
        uint32_t tunnelId = 0; //!< IOS's Tunnel-id (Begin gives it)
        Time created;
    };

    uint64_t Key(const Ikev2Spi& spiI) const;
    void StartInitiator(const IpsecProcessor::Acquire& a, Ipv4Address peer);
    void SendRequest(Sa& sa, std::vector<uint8_t> bytes, uint32_t messageId);
    void OnRetransmit(uint64_t key);
    void Send(const Sa& sa, const std::vector<uint8_t>& bytes);

    // initiator
    void OnInitResponse(Sa& sa, const std::vector<uint8_t>& bytes);
    void SendAuthRequest(Sa& sa);
    void OnAuthResponse(Sa& sa, const std::vector<uint8_t>& bytes);
    // responder
    void OnInitRequest(const std::vector<uint8_t>& bytes, Ipv4Address peer, uint16_t peerPort,
                       Ipv4Address local);
    void OnAuthRequest(Sa& sa, const std::vector<uint8_t>& bytes);
    void Answer(Sa& sa, const Ikev2Message& m, bool encrypted);
    /** IKE_AUTH response with only @p notify (the exchange fails). */
    void RefuseAuth(Sa& sa, uint16_t notify, const std::string& reason);

    void DeriveKeys(Sa& sa, const std::vector<uint8_t>& peerKe);
    std::vector<uint8_t> PskAuth(const Sa& sa, const std::string& key, bool ofInitiator,
                                 const Ikev2IdPayload& id) const;
    Ikev2Header Header(const Sa& sa, uint8_t exchange, uint32_t id, bool response) const;
    Ikev2NotifyPayload NatDetection(const Sa& sa, uint16_t type, bool forInitiator) const;
    void InstallChild(Sa& sa, const IpsecTransformSet& set, uint32_t peerSpi);
    Ptr<IpsecSa> MakeSa(const Sa& sa, const IpsecTransformSet& set, bool inbound, uint32_t spi,
                        const ipsec::Ikev2ChildKeys& k) const;
    /** A child SA's hard lifetime ended (not rekeyed yet): its bundle leaves the data plane,
     *  so that the next packet starts a new IKE SA. */
    void OnChildExpired(IpsecSaBundle* raw);
    void RemoveChild(IpsecSaBundle* raw);
    void Done(Sa& sa, bool ok, const std::string& reason);
    void Begin(Sa& sa, const std::string& exchange, const std::string& role);

    /** For `debug crypto ikev2`: the message's payloads, decrypted with the SA's keys. */
    void NoteMessage(const std::vector<uint8_t>& bytes, bool sent, Ipv4Address local,
                     uint16_t localPort, Ipv4Address peer, uint16_t peerPort);

    IkeDaemon& m_ike;
    std::map<uint64_t, Sa> m_sas; //!< by SPIi
    /** The child SAs installed, with their entries (by raw pointer: the SAs' traces hold it). */
    std::map<IpsecSaBundle*, std::pair<Ptr<IpsecSaBundle>, Ptr<IpsecPolicyEntry>>> m_children;
    std::vector<std::string> m_table;
    uint32_t m_nextTunnelId = 1;
    std::vector<Ikev2DebugMessage> m_debug;
};

} // namespace ns3

#endif
