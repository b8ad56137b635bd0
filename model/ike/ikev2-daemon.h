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
#include <string>
#include <vector>

namespace ns3
{

class IkeDaemon;

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
        // IKE_SA_INIT extras (ikev2-daemon-sa-init.cc, ikev2-daemon-nat.cc)
        uint16_t localPort = 500;    //!< 4500 once NAT-T moved IKE there (RFC 7296 2.23)
        bool natLocal = false;       //!< we are behind a NAT
        bool natRemote = false;      //!< the peer is behind a NAT
        std::vector<uint8_t> cookie; //!< initiator: the responder's COOKIE to send back
        uint32_t initRestarts = 0;   //!< initiator: IKE_SA_INIT restarts (COOKIE, INVALID_KE)
        Ipv4Address fromPeer;        //!< where the last datagram came from ...
        uint16_t fromPeerPort = 0;   //!< ... its source port ...
        uint16_t fromLocalPort = 0;  //!< ... and the port it came to
        EventId natKeepalive;        //!< the side behind a NAT keeps its mapping (RFC 3948 2.3)
        uint32_t natKeepaliveSeconds = 0;
        // RSA signatures (ikev2-daemon-cert.cc)
        std::optional<IkePolicyProvider::RsaCredentials> rsa; //!< our key and certificates
        std::string peerSubject; //!< the peer certificate's subject, once verified

        bool NatDetected() const
        {
            return natLocal || natRemote;
        }
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

    // IKE_SA_INIT extras: the restarts RFC 7296 1.2 and 2.6 ask of the initiator, cookies,
    // NAT-T (ikev2-daemon-sa-init.cc, ikev2-daemon-nat.cc)
    void SendInitRequest(Sa& sa);
    /** A COOKIE or INVALID_KE_PAYLOAD answer restarts IKE_SA_INIT; true: it was one. */
    bool RestartInit(Sa& sa, const Ikev2Message& m);
    /** The responder under load (cookie-challenge): true when @p m must first return a cookie
     *  (and the COOKIE was answered). */
    bool ChallengeWithCookie(const Ikev2Message& m, Ipv4Address peer, uint16_t peerPort,
                             Ipv4Address local, uint16_t localPort);
    std::vector<uint8_t> CookieFor(const Ikev2Message& m, Ipv4Address peer) const;
    size_t HalfOpenSas() const;
    /** The NAT_DETECTION notifies of @p m, received on @p sa: natLocal / natRemote. */
    void EvaluateNatDetection(Sa& sa, const Ikev2Message& m);
    /** After an authenticated message: the peer's address and port are where it came from. */
    void FollowPeer(Sa& sa);
    void StartNatKeepalive(Sa& sa);
    void OnNatKeepalive(uint64_t key);

    // RSA signatures (RFC 7296 2.15, 3.6, 3.7; ikev2-daemon-cert.cc)
    /** Our ID payload: the credentials' identity, or our certificate's subject (identity dn). */
    Ikev2IdPayload OwnId(const Sa& sa, uint8_t type) const;
    /** Our key and certificates when the credentials sign with rsa-sig; the reason if none. */
    std::string LoadRsa(Sa& sa);
    /** CERTREQ naming the CAs we trust (SHA-1 of their keys); nothing when we trust none. */
    void AddCertRequest(Ikev2Message& m, bool inner) const;
    /** Our CERT payloads and AUTH (rsa-sig or pre-shared key) over @p id. */
    void AddAuth(Sa& sa, Ikev2Message& m, const Ikev2IdPayload& id, bool ofInitiator);
    /** The peer's AUTH (and CERT) checked; "" when it verifies, else why not. */
    std::string CheckPeerAuth(Sa& sa, const Ikev2Message& m, const Ikev2IdPayload& id,
                              const Ikev2AuthPayload& auth, bool fromInitiator);

    IkeDaemon& m_ike;
    std::map<uint64_t, Sa> m_sas;        //!< by SPIi
    std::vector<uint8_t> m_cookieSecret; //!< RFC 7296 2.6: the responder's cookie secret
    /** The child SAs installed, with their entries (by raw pointer: the SAs' traces hold it). */
    std::map<IpsecSaBundle*, std::pair<Ptr<IpsecSaBundle>, Ptr<IpsecPolicyEntry>>> m_children;
    std::vector<std::string> m_table;
};

} // namespace ns3

#endif
