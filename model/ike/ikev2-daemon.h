/**
 * @file
 * IKEv2 (RFC 7296) beside IKEv1: IKE_SA_INIT and IKE_AUTH with pre-shared keys, creating the
 * first child SA, for a crypto map entry the provider marks as IKEv2 (UsesIkev2); then the IKE
 * SA's life: requests from either side in message-ID windows of one, CREATE_CHILD_SA (child SA
 * and IKE SA rekeying, PFS, more child SAs) and INFORMATIONAL (delete, DPD). It shares the
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

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
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
    std::string remoteId; //!< the peer's: its certificate's subject, else its address
    uint32_t lifetimeSeconds = 86400;
    Time created;
    uint32_t localNextMessageId = 0;  //!< the Message ID our next request takes
    uint32_t remoteNextMessageId = 0; //!< the Message ID of the peer's next request
    bool natInside = false;           //!< NAT detected: we are behind it
    bool natOutside = false;          //!< NAT detected: the peer is behind it
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

    /**
     * `clear crypto ikev2 sa [remote ADDR]`: every IKE SA (with @p peer only: those with it) is
     * deleted with an INFORMATIONAL Delete to the peer, and its child SAs leave the data plane.
     */
    void ClearSas(std::optional<Ipv4Address> peer = std::nullopt);
    /** Is @p bundle a child SA of an IKEv2 SA? */
    bool OwnsChild(Ptr<IpsecSaBundle> bundle) const;
    /** `clear crypto sa` on a child SA: it leaves the data plane and the peer is told with an
     *  INFORMATIONAL Delete of our inbound SPI. */
    void DeleteChild(Ptr<IpsecSaBundle> bundle);
    /** Rekey @p bundle now with CREATE_CHILD_SA (as at its soft lifetime); false: not ours or
     *  not established. */
    bool RekeyChild(Ptr<IpsecSaBundle> bundle);
    /** Rekey the IKE SA with @p peer now (as at its lifetime); false: none established. */
    bool RekeyIkeSa(Ipv4Address peer);
    /** Established IKE SAs with @p peer (every peer when unset); a rekey makes a new one. */
    size_t CountSas(std::optional<Ipv4Address> peer = std::nullopt) const;

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
    /** What our request in flight asks (its response is read accordingly). */
    enum class Task : uint8_t
    {
        NONE,
        DELETE_CHILD, //!< INFORMATIONAL {D(ESP, our inbound SPIs)}
        DELETE_IKE,   //!< INFORMATIONAL {D(IKE)}
        DPD,          //!< empty INFORMATIONAL (liveness check)
        REKEY_CHILD,  //!< CREATE_CHILD_SA {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}
        NEW_CHILD,    //!< CREATE_CHILD_SA {SA, Ni, [KEi], TSi, TSr}
        REKEY_IKE,    //!< CREATE_CHILD_SA {SA(IKE), Ni, KEi}
    };

    /** Our CREATE_CHILD_SA in flight: what its response completes. */
    struct PendingCreate
    {
        IpsecSaBundle* old = nullptr; //!< the child SA rekeyed (REKEY_CHILD)
        uint32_t spi = 0;             //!< our new inbound SPI (child)
        Ikev2Spi spiI{};              //!< our SPI of the new IKE SA (REKEY_IKE)
        std::vector<uint8_t> nonce;
        std::shared_ptr<ipsec::DhKeyPair> dh; //!< PFS (child) or the new IKE SA's KE
        uint16_t group = 0;
        Ikev2SaPayload offer;
        Ptr<IpsecPolicyEntry> entry;
        IpsecTrafficSelector scope;
        IkePhase2Offer phase2;
    };

    /** A CREATE_CHILD_SA of the peer's that we answered, kept to resolve a simultaneous rekey
     *  (RFC 7296 2.8.1): its nonces and what it created. */
    struct PeerRekey
    {
        std::vector<uint8_t> ni, nr;
        IpsecSaBundle* child = nullptr; //!< the child it created (child rekey)
        uint64_t ike = 0;               //!< the IKE SA it created (IKE rekey)
    };

    enum class State
    {
        INIT_SENT,   //!< initiator: IKE_SA_INIT request out
        AUTH_SENT,   //!< initiator: IKE_AUTH request out
        INIT_DONE,   //!< responder: IKE_SA_INIT answered, waiting for IKE_AUTH
        ESTABLISHED, //!< IKE SA and child SA up
        FAILED,      //!< kept to answer retransmissions of the request that failed it
        DELETING,    //!< rekeyed or deleted: kept until the Delete's exchange ends
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
        // After IKE_AUTH (RFC 7296 2.2, 2.3): requests from either side, one in flight.
        uint32_t nextRequestId = 0;                  //!< our next request's Message ID
        bool inFlight = false;                       //!< `request` waits for its response
        Task task = Task::NONE;                      //!< what it is
        std::deque<std::function<void(Sa&)>> queued; //!< our requests waiting for the window
        IkeExchangeRecord outRecord;                 //!< the exchange of our request in flight
        PendingCreate create;
        std::optional<PeerRekey> peerIkeRekey;      //!< the peer rekeyed this IKE SA
        bool ikeRekeying = false;                   //!< our IKE rekey is queued or in flight
        uint64_t replacedBy = 0;                    //!< the IKE SA that took over its children
        Time lastHeard;                             //!< last message or ESP packet from the peer
        uint64_t lastInbound = 0, lastOutbound = 0; //!< ESP counters at the last DPD check
        EventId dpdTimer, rekeyTimer, expiryTimer, drainEvent;
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

    /** A child SA: its bundle in the data plane and what rekeying or deleting it needs. */
    struct Child
    {
        Ptr<IpsecSaBundle> bundle;
        Ptr<IpsecPolicyEntry> entry;
        uint64_t ike = 0; //!< Key() of the IKE SA it belongs to
        uint32_t inSpi = 0, outSpi = 0;
        IpsecTransformSet set;
        IkePhase2Offer offer;
        bool createdByUs = false;           //!< we initiated the exchange that created it
        bool rekeying = false;              //!< our CREATE_CHILD_SA for it is queued or in flight
        bool replaced = false;              //!< a new child took over: it waits for its Delete
        bool deleting = false;              //!< our Delete for it is queued or in flight
        std::optional<PeerRekey> peerRekey; //!< the peer rekeyed it (simultaneous rekey)
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
    /** The first child SA (IKE_AUTH): keys from SK_d, Ni and Nr of IKE_SA_INIT. */
    void InstallChild(Sa& sa, const IpsecTransformSet& set, uint32_t peerSpi);
    /** What a child SA is made of. */
    struct ChildSpec
    {
        Ptr<IpsecPolicyEntry> entry;
        IpsecTrafficSelector scope;
        IkePhase2Offer offer;
        IpsecTransformSet set;
        uint32_t ourSpi = 0, peerSpi = 0;
        std::vector<uint8_t> ni, nr, gir; //!< of the exchange; gir empty without PFS
        bool weInitiated = false;         //!< we initiated the exchange (KEYMAT order, 2.17)
        int pfsGroup = 0;
    };
    /** Installs a child SA of @p sa; nullptr (reason in the log) when it cannot be. */
    IpsecSaBundle* InstallChildSa(Sa& sa, const ChildSpec& c);
    Ptr<IpsecSa> MakeSa(const Sa& sa, const ChildSpec& c, bool inbound,
                        const ipsec::Ikev2ChildKeys& k) const;
    /** A child SA's hard lifetime ended (not rekeyed: it carried nothing, or the rekey
     *  failed): it is deleted, and the next packet starts a new child SA. */
    void OnChildExpired(IpsecSaBundle* raw);
    /** The child SA leaves the data plane and the peer is told (INFORMATIONAL Delete). */
    void ExpireChild(IpsecSaBundle* raw);
    /** A child SA's soft lifetime: rekeyed (by the side whose soft lifetime comes first). */
    void OnChildSoftExpiry(IpsecSaBundle* raw);
    void RemoveChild(IpsecSaBundle* raw);
    void Done(Sa& sa, bool ok, const std::string& reason);
    /** Ends @p record (result, reason, retransmissions) and hands it to the IKE daemon. */
    void CloseRecord(IkeExchangeRecord& record, bool ok, const std::string& reason,
                     uint32_t retries);
    /** A fresh IKE SA SPI of ours (SPIi or SPIr). */
    Ikev2Spi NewIkeSpi();
    void Begin(Sa& sa, const std::string& exchange, const std::string& role);

    /** For `debug crypto ikev2`: the message's payloads, decrypted with the SA's keys. */
    void NoteMessage(const std::vector<uint8_t>& bytes, bool sent, Ipv4Address local,
                     uint16_t localPort, Ipv4Address peer, uint16_t peerPort);

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

    // Traffic selector narrowing (RFC 7296 2.9; ikev2-daemon-ts.cc)
    /** The flows both selectors match, when that is one selector IKEv2 can carry. */
    static std::optional<IpsecTrafficSelector> IntersectSelectors(const IpsecTrafficSelector& a,
                                                                  const IpsecTrafficSelector& b);
    /** Responder: the first part of @p proposed an IKEv2 entry's access list permits for the
     *  peer of @p sa (in @p narrowed), with that entry; a refusal when none. */
    IkePolicyProvider::Phase2 NarrowChild(const Sa& sa, const IpsecTrafficSelector& proposed,
                                          IpsecTrafficSelector* narrowed) const;
    /** Responder: the entry for the initiator's TSi/TSr, as proposed or narrowed; sets
     *  sa.scope. A refusal (TS_UNACCEPTABLE) when nothing of them is permitted. */
    IkePolicyProvider::Phase2 ChildScope(Sa& sa, const Ikev2TsPayload& tsi,
                                         const Ikev2TsPayload& tsr, bool* narrowed);
    /** Initiator: the response's TSi/TSr within what we proposed become sa.scope; "" or why
     *  not. */
    std::string AcceptTsReply(Sa& sa, const Ikev2Message& m, bool* narrowed);

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

    // ------------------------------------------------- windows (ikev2-daemon.cc)
    /** The IKE SA is up (IKE_AUTH done, or a rekey made it): timers for DPD and lifetime. */
    void OnEstablished(Sa& sa);
    /** Our request built by @p build goes now, or when the one in flight is answered. */
    void Enqueue(Sa& sa, std::function<void(Sa&)> build);
    /** Sends @p m as our next request of @p task (Message ID nextRequestId). */
    void SendTask(Sa& sa, Task task, Ikev2Message m, const std::string& exchange,
                  const std::string& detail);
    /** The exchange of our request ended; the next queued request goes. */
    void EndTask(Sa& sa, bool ok, const std::string& reason);
    /** Sends the next queued request of @p key's SA if the window is free. */
    void Drain(uint64_t key);
    /** The record of the exchange in flight (IKE_SA_INIT/IKE_AUTH, or our later request). */
    static IkeExchangeRecord& RecordOf(Sa& sa);
    IkeExchangeRecord NewRecord(const Sa& sa, const std::string& exchange, const std::string& role,
                                uint32_t id) const;
    /** A request of the peer's, or the response to ours, after IKE_AUTH. */
    void ReceiveEstablished(Sa& sa, const Ikev2Header& h, const std::vector<uint8_t>& datagram);
    /** Our answer to the peer's request @p req (encrypted), kept for retransmissions. */
    void AnswerRequest(Sa& sa, const Ikev2Message& req, Ikev2Message& r);
    /** The IKE SA @p key goes with its child SAs (a Delete to the peer when @p tellPeer). */
    void DeleteIkeSa(uint64_t key, const std::string& why, bool tellPeer);
    Sa* Find(uint64_t key);

    // ------------------------------------------------- INFORMATIONAL (-informational.cc)
    void OnInformationalRequest(Sa& sa, const Ikev2Message& m);
    void OnInformationalResponse(Sa& sa, const Ikev2Message& m);
    /** Queues INFORMATIONAL {D(ESP, inbound SPI)} for @p raw; @p now: it leaves the data plane
     *  at once (clear), else when the peer answers (a rekeyed child). */
    void SendChildDelete(IpsecSaBundle* raw, bool now);
    void SendIkeDelete(Sa& sa);
    void DpdCheck(uint64_t key);
    IkePolicyProvider::Ikev2Dpd DpdOf(const Sa& sa) const;
    uint64_t EspPackets(uint64_t key, bool inbound) const;

    // ------------------------------------------------- CREATE_CHILD_SA (-child.cc)
    void OnCreateChildRequest(Sa& sa, const Ikev2Message& m);
    void OnCreateChildResponse(Sa& sa, const Ikev2Message& m);
    /** Starts CREATE_CHILD_SA for an acquire when an IKE SA with the peer is up; false: none. */
    bool AcquireOverExistingSa(const IpsecProcessor::Acquire& a);
    void StartChildRekey(IpsecSaBundle* raw);
    void StartIkeRekey(uint64_t key);
    void OnIkeLifetime(uint64_t key);
    void RequestChild(Sa& sa, IpsecSaBundle* old, Ptr<IpsecPolicyEntry> entry,
                      const IpsecTrafficSelector& scope, const IkePhase2Offer& offer);
    void AnswerChild(Sa& sa, const Ikev2Message& m, Ikev2Message& r, Child* old);
    /** CREATE_CHILD_SA answered with only @p notify, and recorded as failed. */
    void RefuseCreate(Sa& sa, const Ikev2Message& m, uint16_t notify, const std::string& why,
                      const std::vector<uint8_t>& data, const std::string& detail);
    void AnswerIkeRekey(Sa& sa, const Ikev2Message& m, Ikev2Message& r);
    /** A request for a child SA queued on an IKE SA rekeyed since: over the new one. */
    void RetryOnSuccessor(IpsecSaBundle* old, Ptr<IpsecPolicyEntry> entry,
                          const IpsecTrafficSelector& scope);
    void CompleteChild(Sa& sa, const Ikev2Message& m);
    void CompleteIkeRekey(Sa& sa, const Ikev2Message& m);
    /** The new IKE SA of a rekey: keys per 2.18, its row of the table; returns its key. */
    uint64_t MakeRekeyedSa(Sa& old, bool weInitiated, const Ikev2Spi& spiI, const Ikev2Spi& spiR,
                           const Ikev2IkeSuite& suite, const std::vector<uint8_t>& gir,
                           const std::vector<uint8_t>& ni, const std::vector<uint8_t>& nr);
    void MoveChildren(uint64_t from, uint64_t to);
    /** The SK ciphers of @p sa from its keys, and its row of the decryption table. */
    void AddTableRow(Sa& sa);
    static bool LowestNonceIn(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                              const std::vector<uint8_t>& c, const std::vector<uint8_t>& d);

    IkeDaemon& m_ike;
    std::map<uint64_t, Sa> m_sas;        //!< by SPIi
    std::vector<uint8_t> m_cookieSecret; //!< RFC 7296 2.6: the responder's cookie secret
    /** The child SAs installed (by raw pointer: the SAs' traces hold it). */
    std::map<IpsecSaBundle*, Child> m_children;
    /** Acquires being served by a CREATE_CHILD_SA (entry id, selector) so that the next
     *  packets of the flow do not start another. */
    std::map<std::pair<uint32_t, std::string>, uint64_t> m_childPending; //!< -> the IKE SA
    std::vector<std::string> m_table;
    uint32_t m_nextTunnelId = 1;
    std::vector<Ikev2DebugMessage> m_debug;
};

} // namespace ns3

#endif
