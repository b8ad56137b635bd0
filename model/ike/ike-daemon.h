/**
 * @file
 * The IKE daemon of one router: ISAKMP over UDP port 500, the phase-1 SAs, the exchanges in
 * flight with their retransmissions, dead peer detection, and what negotiated SAs do to the data
 * plane. It meets the data plane only through IpsecProcessor's acquire callback, InstallBundle /
 * RemoveBundle and the SAs' expiry trace sources.
 */
#ifndef IPSEC_IKE_DAEMON_H
#define IPSEC_IKE_DAEMON_H

#include "ns3/ike-drop-reason.h"
#include "ns3/ike-exchange.h"
#include "ns3/ipsec-processor.h"

#include "ns3/object.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace ns3
{

class Ikev2Daemon;
struct Ikev2SaReport;
struct Ikev2DebugMessage;

class IkeDaemon : public Object, public IkeContext
{
public:
    static TypeId GetTypeId();
    IkeDaemon();
    ~IkeDaemon() override;

    /**
     * Wires the daemon: @p provider answers policy questions (it must outlive the daemon or
     * call Stop() first); @p hostname is the identity with `crypto isakmp identity hostname`.
     */
    void Setup(Ptr<IpsecProcessor> processor, const IkePolicyProvider* provider,
               const std::string& hostname);
    void SetIdentityHostname(bool on)
    {
        m_identityHostname = on;
    }
    /** `crypto isakmp identity dn`: with rsa-sig, the certificate's subject is the identity. */
    void SetIdentityDn(bool on)
    {
        m_identityDn = on;
    }
    /** `crypto isakmp aggressive-mode disable`: aggressive mode from peers is refused. */
    void SetAcceptAggressiveMode(bool on)
    {
        m_acceptAggressive = on;
    }
    /** Phase 1 with @p peer is initiated in aggressive mode (`crypto isakmp peer address`). */
    void SetInitiateAggressiveMode(Ipv4Address peer)
    {
        m_aggressivePeers.insert(peer);
    }
    /** No peer is initiated in aggressive mode, and no peer has an identity of its own (before
     *  a changed configuration sets them again). */
    void ClearPeerSettings()
    {
        m_aggressivePeers.clear();
        m_peerIdentities.clear();
    }
    /** Our phase-1 identity towards @p peer (`set aggressive-mode client-endpoint`). */
    void SetPeerIdentity(Ipv4Address peer, const IsakmpIdPayload& id)
    {
        m_peerIdentities[peer] = id;
    }
    /** `crypto isakmp keepalive S R [periodic]`; @p seconds 0: DPD off. */
    void SetKeepalive(uint32_t seconds, uint32_t retry, bool periodic);

    /** Opens UDP port 500 on every address of the node and answers acquires. */
    void Start();
    /** Closes the sockets and forgets the provider. */
    void Stop();

    // ---------------------------------------------------------------- EXEC
    /** `clear crypto isakmp [CONN-ID]`: phase-1 SAs go (with a delete to the peer). */
    void ClearIsakmp(uint32_t connId = 0);
    /**
     * A negotiated bundle is cleared (`clear crypto sa`): it leaves the data plane and the peer
     * is told with a delete notification for our inbound SPIs.
     */
    void DeleteBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    /** `clear crypto ikev2 sa [remote ADDR]`: Ikev2Daemon::ClearSas. */
    void ClearIkev2Sas(std::optional<Ipv4Address> peer = std::nullopt);
    /** The IKEv2 side (nullptr before Setup): its SAs, for reports and tests. */
    Ikev2Daemon* GetIkev2() const
    {
        return m_ikev2.get();
    }

    /**
     * The conn-id of the first ISAKMP SA; later ones count up from it. IOS 12.4 numbers its SAs
     * from 1, IOS 15 from 1001. Set before the first SA is made.
     */
    void SetFirstConnId(uint32_t first);

    // ---------------------------------------------------------------- reports
    std::vector<Ptr<IkeSa>> GetSas() const;
    /** ISAKMP SAs deleted (cleared, expired, failed) within the last @p linger, oldest first:
     *  IOS keeps listing them for a while as "ACTIVE (deleted)". */
    std::vector<Ptr<IkeSa>> GetDeletedSas(Time linger) const;
    /** Every exchange run so far (and those in flight), in order of start. */
    std::vector<IkeExchangeRecord> GetExchanges() const;
    /** (initiator cookie, phase-1 encryption key), both hex, per phase-1 SA established. */
    const std::vector<std::pair<std::string, std::string>>& GetDecryptionTable() const
    {
        return m_decryptionTable;
    }
    /** Rows of Wireshark's ikev2_decryption_table, one per IKEv2 SA (ikev2-daemon.h). */
    std::vector<std::string> GetIkev2DecryptionTable() const;
    /** The IKEv2 SAs for the shows, and every IKEv2 message for `debug crypto ikev2`
     *  (ikev2-daemon.h; defined in ikev2-daemon-report.cc). */
    std::vector<Ikev2SaReport> GetIkev2SaReports() const;
    const std::vector<Ikev2DebugMessage>& GetIkev2DebugMessages() const;
    uint64_t GetDroppedMessages() const
    {
        return m_dropped;
    }
    /** Dropped messages per reason, by the reason's text (as results.json shows them). */
    std::map<std::string, uint64_t> GetDropReasons() const;
    /** Dropped messages per typed reason. */
    const std::map<IkeDropKey, uint64_t>& GetDropCounts() const
    {
        return m_dropCounts;
    }

    // ---------------------------------------------------------------- IkeContext
    ipsec::ByteSource& Rng() override;
    const IkePolicyProvider& Provider() const override;
    uint32_t AllocateSpi(bool cpi) override;
    IsakmpIdPayload Phase1Identity(Ipv4Address local) const override;
    IsakmpIdPayload Phase1IdentityFor(Ipv4Address local, Ipv4Address peer) const override;
    bool AnnouncesDpd() const override;
    void IpsecDebug(const IkeIpsecDebugEvent& event) override
    {
        m_ipsecDebug.push_back(event);
    }
    /** The key-engine messages so far, in order (what `debug crypto ipsec` prints). */
    const std::vector<IkeIpsecDebugEvent>& GetIpsecDebugEvents() const
    {
        return m_ipsecDebug;
    }
    bool IdentityDn() const override
    {
        return m_identityDn;
    }

    /** Feeds one datagram as if it came from @p peer to @p local (tests, fuzzing). */
    void Receive(const IkeBytes& datagram, Ipv4Address peer, Ipv4Address local);
    /** An IKE message (non-ESP marker removed) from @p peer : @p peerPort. */
    void ReceiveOn(const IkeBytes& datagram, Ipv4Address peer, uint16_t peerPort, Ipv4Address local,
                   uint16_t localPort);
    bool NatTraversal() const override;
    bool ForceUdpEncapsulation() const override
    {
        return m_forceEncap;
    }
    /** `no crypto ipsec nat-transparency udp-encapsulation`: NAT-T off. */
    void SetNatTraversal(bool on)
    {
        m_natTraversal = on;
    }
    uint64_t GetNatKeepalivesReceived() const
    {
        return m_natKeepalivesReceived;
    }
    uint64_t GetNatKeepalivesSent() const
    {
        return m_natKeepalivesSent;
    }
    /** `crypto isakmp nat keepalive S`: sent every S s when we are behind a NAT; 0: none. */
    void SetNatKeepalive(uint32_t seconds)
    {
        m_natKeepaliveSeconds = seconds;
    }

protected:
    void DoDispose() override;

private:
    friend class Ikev2Daemon;             // shares the sockets, SPIs, records and hold-down
    std::unique_ptr<Ikev2Daemon> m_ikev2; //!< IKEv2 entries and datagrams go there

    /** An exchange in flight (or just finished, kept to answer retransmissions). */
    struct Active
    {
        std::unique_ptr<IkeExchange> task;
        IkeBytes lastSent;
        IkeBytes lastReceived;
        EventId retransmit;
        EventId linger;
        uint32_t retries = 0;
        bool done = false;
        uint64_t negotiation = 0; //!< initiator quick mode: the negotiation it serves
    };
    Active* FindActive(bool phase1, uint64_t icookie, uint32_t mid);
    /** Place a new IKE SA on a crypto engine (when the router has engines). */
    void AssignEngine(Ptr<IkeSa> sa, Ipv4Address peer);
    void ReleaseEngine(Ptr<IkeSa> sa);
    /** Send a message Build made, then finish or arm the retransmission. */
    void SendBuilt(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid,
                   const IkeBytes& out, IkeExchange::Status st);

    /** An acquire being served: the peers to try, in order. */
    struct Negotiation
    {
        uint64_t id = 0;
        Ptr<IpsecPolicyEntry> entry;
        IpsecTrafficSelector scope;
        Ipv4Address local;
        std::vector<Ipv4Address> peers;
        size_t index = 0;           //!< the peer being tried
        size_t tried = 0;           //!< peers tried so far
        uint64_t waitingPhase1 = 0; //!< icookie of the main mode it waits for (0: none)
        bool rekey = false;
    };

    /** What the daemon knows of a bundle it installed. */
    struct BundleInfo
    {
        Ptr<IpsecSaBundle> bundle;
        Ptr<IpsecPolicyEntry> entry;
        bool initiatedByUs = false;
        bool rekeyStarted = false;
    };

    using QmKey = std::pair<uint64_t, uint32_t>;

    void HandleRead(Ptr<Socket> socket);
    void Send(Ptr<IkeSa> sa, const IkeBytes& bytes);
    void SendFrom(Ipv4Address local, uint16_t localPort, Ipv4Address peer, uint16_t peerPort,
                  const IkeBytes& bytes);
    void Drop(IkeDropReason reason, Ipv4Address peer, uint8_t exchangeType = 0);

    /** The checks every message passes before its exchange type is looked at. */
    bool AcceptHeader(const IkeBytes& datagram, Ipv4Address peer, IsakmpHeader* h);
    /** The SA @p ic names, after checking that it is @p peer's; false: dropped. */
    bool FindSaOf(const IsakmpHeader& h, Ipv4Address peer, Ptr<IkeSa>* sa);
    void ReceivePhase1(const IkeBytes& datagram, const IsakmpHeader& h, Ptr<IkeSa> sa,
                       Ipv4Address peer, uint16_t peerPort, Ipv4Address local, uint16_t localPort);
    /** A first main or aggressive mode message from @p peer: we are the responder. */
    void StartResponderPhase1(const IkeBytes& datagram, const IsakmpHeader& h, Ipv4Address peer,
                              uint16_t peerPort, Ipv4Address local, uint16_t localPort);
    void ReceiveQuickMode(const IkeBytes& datagram, const IsakmpHeader& h, Ptr<IkeSa> sa,
                          Ipv4Address peer);
    /** A message of an exchange in flight: answered again, dropped, or processed. */
    void Continue(Active& a, const IkeBytes& datagram, Ptr<IkeSa> sa, bool phase1, uint64_t ic,
                  uint32_t mid, Ipv4Address peer);

    void OnAcquire(const IpsecProcessor::Acquire& a);
    void StartNegotiation(uint64_t id);
    void NextPeer(uint64_t id, const std::string& reason);
    void StartMainMode(Ipv4Address local, Ipv4Address peer);
    void StartQuickMode(Ptr<IkeSa> sa, uint64_t negotiation);
    Ptr<IkeSa> FindEstablished(Ipv4Address local, Ipv4Address peer) const;

    /** A duplicate of the message @p a last answered arrived: the answer goes again. */
    void AnswerAgain(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid);
    /** Runs a task on a datagram and sends what follows. */
    void Drive(Active& a, const IkeBytes& datagram, bool phase1, uint64_t icookie, uint32_t mid);
    void Transmit(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid);
    /**
     * Has the crypto engines time the task's Diffie-Hellman and RSA work (an offloading card,
     * else the CPU) and runs @p done when it is complete; false (and @p done not run): no
     * work, or no engines to time it.
     */
    bool TimeKeyWork(Active& a, Callback<void> done);
    void OnRetransmit(bool phase1, uint64_t icookie, uint32_t mid);
    void Finish(Active& a, bool phase1, uint64_t icookie, uint32_t mid, bool ok,
                const std::string& reason);
    void Phase1Done(Ptr<IkeSa> sa, bool ok, const std::string& reason);
    /** RFC 2407 4.6.3.3: the peer of @p sa sent INITIAL-CONTACT; what else we hold with it goes. */
    void ForgetPeer(Ptr<IkeSa> sa);
    /** No ISAKMP SA and no IPsec SA with @p peer: we send INITIAL-CONTACT (ike-initial-contact). */
    bool FirstContact(Ipv4Address peer) const;
    void QuickModeDone(Active& a, bool ok, const std::string& reason);
    void Install(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, bool initiatedByUs);
    /** One SA of a negotiated bundle, keyed from @p sa's keying material (RFC 2409 5.5). */
    Ptr<IpsecSa> MakeIpsecSa(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, IpsecProtocol proto,
                             bool inbound, uint32_t spi) const;
    /** INITIALIZE_SAS key-engine messages for the SAs of @p b, just installed. */
    void DebugInitializeSas(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, Ptr<IpsecSaBundle> b,
                            bool initiatedByUs);
    /** A negotiation request came from @p peer: the entries listing it have heard from it. */
    void HeardFrom(Ipv4Address peer);
    /** The daemon follows @p b's SAs' expiry and remembers @p o's entry for @p b's peer. */
    void Adopt(Ptr<IkeSa> sa, Ptr<IpsecSaBundle> b, const IkeQuickModeOutcome& o,
               bool initiatedByUs);

    void ProcessInformational(Ptr<IkeSa> sa, const IkeBytes& datagram, uint64_t icookie);
    /** The informational's payloads, decrypted and verified (HASH(1)); nullopt: dropped. */
    std::optional<IsakmpMessage> ReadInformational(Ptr<IkeSa> sa, const IkeBytes& datagram,
                                                   const IsakmpHeader& h);
    /** A DPD notification (answered) or an error notification (the exchanges in flight fail). */
    void OnNotification(Ptr<IkeSa> sa, const IsakmpNotificationPayload& n, bool encrypted,
                        uint64_t icookie);
    /** The exchanges in flight over @p icookie's SA end with @p why. */
    void FailExchangesOf(uint64_t icookie, const std::string& why);
    /** A delete payload; true: the ISAKMP SA itself went (the message's other payloads go too). */
    bool OnDelete(Ptr<IkeSa> sa, const IsakmpDeletePayload& d, uint32_t messageId);
    void SendInformational(Ptr<IkeSa> sa, const IsakmpPayload& payload, const std::string& what);
    void SendCleartextNotify(Ptr<IkeSa> sa, uint16_t type);
    void DeleteIkeSa(Ptr<IkeSa> sa, const std::string& why, bool notifyPeer);

    void OnSoftExpiry(IpsecSaBundle* bundle, Ptr<IpsecSa> sa);
    void OnHardExpiry(IpsecSaBundle* bundle, Ptr<IpsecSa> sa);
    void RemoveBundleFromPlane(Ptr<IpsecSaBundle> bundle);

    void NatKeepalive(uint64_t icookie);
    /** DPD with @p peer: the provider's setting for it (an ISAKMP profile's keepalive), else
     *  the daemon's (`crypto isakmp keepalive`). */
    IkePolicyProvider::Keepalive DpdOf(Ipv4Address peer) const;
    /** A bundle idle for its idle time: deleted, and the peer told. */
    void OnBundleIdle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle);
    void DpdCheck(uint64_t icookie);
    void DpdRetry(uint64_t icookie);
    void PeerDead(Ptr<IkeSa> sa);
    uint64_t PacketsWithPeer(Ipv4Address peer, bool inbound) const;

    void Record(const IkeExchangeRecord& r);
    /** An informational event with @p sa's peer in the timeline. */
    void RecordInformational(Ptr<IkeSa> sa, const std::string& role, const std::string& result,
                             const std::string& reason, uint32_t messageId = 0,
                             uint32_t messages = 1);

    Ptr<IpsecProcessor> m_processor;
    const IkePolicyProvider* m_provider = nullptr;
    std::string m_hostname;
    bool m_identityHostname = false;
    bool m_identityDn = false;
    uint32_t m_dpdSeconds = 0;
    uint32_t m_dpdRetry = 2;
    bool m_dpdPeriodic = false;
    bool m_started = false;
    bool m_acceptAggressive = true;
    std::set<Ipv4Address> m_aggressivePeers;
    std::map<Ipv4Address, IsakmpIdPayload> m_peerIdentities; //!< `client-endpoint`, by peer

    Time m_retransmitInterval;
    uint32_t m_maxRetransmissions;
    uint32_t m_dpdMaxRetries;
    Time m_failureHoldDown;
    std::map<uint32_t, Time> m_holdDown; //!< entry id -> no new negotiation before

    std::shared_ptr<ipsec::ByteSource> m_rng;
    /** Cookies and SPIs: m_rng itself, or a stream new in every run (IpsecRandom). */
    std::shared_ptr<ipsec::ByteSource> m_idRng;
    std::map<std::pair<Ipv4Address, uint16_t>, Ptr<Socket>> m_sockets; //!< by address, port
    bool m_natTraversal = true;
    bool m_forceEncap = false;
    uint64_t m_natKeepalivesReceived = 0;
    uint64_t m_natKeepalivesSent = 0;
    uint32_t m_natKeepaliveSeconds = 0;
    std::map<uint64_t, Ptr<IkeSa>> m_sas; //!< by initiator cookie; change it by KeepSa/DropSa
    std::map<uint64_t, Active> m_phase1;  //!< main modes by initiator cookie
    std::map<QmKey, Active> m_phase2;     //!< quick modes by (icookie, message id)
    std::map<uint64_t, Negotiation> m_negotiations;
    uint64_t m_nextNegotiation = 1;
    std::map<IpsecSaBundle*, BundleInfo> m_bundles; //!< change it by KeepBundle/DropBundle
    /**
     * m_sas and m_bundles by peer address, in the maps' own order, so that finding what we hold
     * with one peer does not walk every peer's: a hub's INITIAL-CONTACT check (ForgetPeer) did
     * so for every spoke that called in, O(N^2) in all (with 10,000 spokes about a fifth of the
     * setup's time).
     */
    std::unordered_map<uint32_t, std::set<uint64_t>> m_sasByPeer;
    std::unordered_map<uint32_t, std::set<IpsecSaBundle*>> m_bundlesByPeer;
    /** m_sas[ic] = sa, and its peer index. */
    void KeepSa(uint64_t ic, Ptr<IkeSa> sa);
    /** m_sas.erase(ic), and its peer index. */
    void DropSa(uint64_t ic);
    /** m_sas.clear(), and its peer index. */
    void DropAllSas();
    /** m_bundles[b] = info, and its peer index. */
    void KeepBundle(IpsecSaBundle* b, const BundleInfo& info);
    /** m_bundles.erase(it), and its peer index. */
    void DropBundle(std::map<IpsecSaBundle*, BundleInfo>::iterator it);
    std::map<uint32_t, size_t> m_lastPeer; //!< entry id -> index of the peer last heard from
    std::set<uint32_t> m_spis;
    uint32_t m_nextConnId = 1001; //!< IOS 15's numbering unless SetFirstConnId says otherwise
    /** Deleted SAs, oldest first, kept a while for the shows (pruned when one is added). */
    std::vector<Ptr<IkeSa>> m_deleted;
    /** An SA leaves m_sas: it is marked deleted now and remembered for the shows. */
    void RememberDeleted(Ptr<IkeSa> sa);
    std::vector<IkeExchangeRecord> m_records;
    std::vector<IkeIpsecDebugEvent> m_ipsecDebug;
    std::vector<std::pair<std::string, std::string>> m_decryptionTable;
    uint64_t m_dropped = 0;
    std::map<IkeDropKey, uint64_t> m_dropCounts;
    std::map<uint64_t, std::pair<uint64_t, uint64_t>> m_dpdCounters; //!< icookie -> (out, in)

    TracedCallback<const IkeExchangeRecord&> m_exchangeTrace;

public:
    /**
     * A reload: every ISAKMP SA, exchange and negotiation is forgotten at once, with no message
     * to anyone, and the IPsec SAs IKE installed leave the data plane. The configuration (and
     * the sockets) stay; the next acquire starts from nothing, as after a boot.
     */
    void ForgetAll();

private:
    /** Stop every exchange in progress (retransmissions, lingering answers) and forget it. */
    void CancelExchanges();
};

} // namespace ns3

#endif
