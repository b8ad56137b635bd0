/**
 * @file
 * IKEv1 exchanges as task state machines (one class per exchange, initiator and responder paths
 * apart): main mode (RFC 2409 5, pre-shared keys) and quick mode (5.5). A task turns received
 * datagrams into state and builds the next message; the daemon (ike-daemon) owns sockets,
 * timers, retransmission and what the results do to the data plane.
 */
#ifndef IPSEC_IKE_EXCHANGE_H
#define IPSEC_IKE_EXCHANGE_H

#include "ns3/diffie-hellman.h"
#include "ns3/ike-drop-reason.h"
#include "ns3/ike-policy-provider.h"
#include "ns3/ike-proposal.h"
#include "ns3/ike-sa.h"

#include "ns3/ptr.h"

#include <memory>
#include <optional>
#include <string>

namespace ns3
{

/** What a task needs from its daemon. */
class IkeContext
{
public:
    virtual ~IkeContext() = default;
    virtual ipsec::ByteSource& Rng() = 0;
    virtual const IkePolicyProvider& Provider() const = 0;
    /** A fresh SPI for an inbound SA (or a CPI when @p cpi), unused on this node. */
    virtual uint32_t AllocateSpi(bool cpi) = 0;
    /** Phase-1 identity: an ID payload for @p local (address or host name). */
    virtual IsakmpIdPayload Phase1Identity(Ipv4Address local) const = 0;
    /** Whether this end announces DPD (RFC 3706 vendor ID). */
    virtual bool AnnouncesDpd() const = 0;
    /** Whether NAT traversal (RFC 3947) is offered and accepted. */
    virtual bool NatTraversal() const = 0;
    /**
     * Pretend to be behind a NAT (our NAT-D does not match what the peer sees), so that ESP
     * goes in UDP even without a NAT on the path, as strongSwan's `encap = yes` does.
     */
    virtual bool ForceUdpEncapsulation() const
    {
        return false;
    }
    /** `crypto isakmp identity dn`: with rsa-sig, identify by the certificate's subject. */
    virtual bool IdentityDn() const
    {
        return false;
    }
};

class IkeExchange
{
public:
    enum class Status : uint8_t
    {
        NEED_MORE, //!< more messages follow
        SUCCESS,   //!< the exchange is complete
        FAILED,    //!< see GetFailure()
    };

    IkeExchange(IkeContext& ctx, Ptr<IkeSa> sa);
    virtual ~IkeExchange();

    /** The next message to send, with what follows it. */
    virtual IkeBytes Build(Status* status) = 0;

    /** A datagram of this exchange from the peer. */
    virtual Status Process(const IkeBytes& datagram) = 0;

    const std::string& GetFailure() const
    {
        return m_failure;
    }

    /** The notification to send the peer about the failure (0: none). */
    uint16_t GetNotify() const
    {
        return m_notify;
    }

    Ptr<IkeSa> GetSa() const
    {
        return m_sa;
    }

    IkeExchangeRecord record; //!< kept up to date by the task and the daemon

    /**
     * Diffie-Hellman modular exponentiations done since the last call (key pair generation and
     * shared secret each count one), and their group: the daemon has a crypto engine time them
     * before the message that needed them leaves.
     */
    uint32_t TakeDhWork(int* group)
    {
        const uint32_t n = m_dhWork;
        m_dhWork = 0;
        *group = m_dhGroup;
        return n;
    }

    /** RSA operations done since the last call: private-key (sign, decrypt), public-key
     *  (verify, encrypt), and the modulus of the last one; timed like the DH work. */
    struct RsaWork
    {
        uint32_t privateOps = 0;
        uint32_t publicOps = 0;
        uint32_t bits = 1024;
    };
    RsaWork TakeRsaWork()
    {
        RsaWork w = m_rsaWork;
        m_rsaWork = RsaWork{0, 0, w.bits};
        return w;
    }

    /** Why the exchange failed when the daemon counts it as a drop (certificate, signature). */
    std::optional<IkeDropReason> GetDropReason() const
    {
        return m_dropReason;
    }

protected:
    void CountDh(int group)
    {
        ++m_dhWork;
        m_dhGroup = group;
    }

    void CountRsa(bool privateKey, uint32_t bits)
    {
        ++(privateKey ? m_rsaWork.privateOps : m_rsaWork.publicOps);
        m_rsaWork.bits = bits ? bits : m_rsaWork.bits;
    }

    Status Fail(const std::string& reason, uint16_t notify = ISAKMP_NOTIFY_NONE);

    /** Decrypts @p datagram with the SA's cipher; the IV is left as it was when this fails. */
    std::optional<IsakmpMessage> Decrypt(const IkeBytes& datagram, IkeBytes* plain,
                                         std::string* error);

    /** A header of this SA's cookies. */
    IsakmpHeader MakeHeader(uint8_t exchange, uint32_t messageId) const;

    IkeContext& m_ctx;
    Ptr<IkeSa> m_sa;
    std::string m_failure;
    uint16_t m_notify = ISAKMP_NOTIFY_NONE;
    uint32_t m_dhWork = 0;
    int m_dhGroup = 2;
    RsaWork m_rsaWork;
    std::optional<IkeDropReason> m_dropReason;
};

/**
 * Main mode (6 messages) or aggressive mode (3 messages) with pre-shared keys, RSA signatures
 * (RFC 2409 5.1) or RSA-encrypted nonces (5.2); the RSA parts are in ike-main-mode-rsa.cc.
 */
class IkeMainMode : public IkeExchange
{
public:
    IkeMainMode(IkeContext& ctx, Ptr<IkeSa> sa);
    ~IkeMainMode() override;

    IkeBytes Build(Status* status) override;
    Status Process(const IkeBytes& datagram) override;

protected:
    enum class Step : uint8_t
    {
        SEND_1, //!< I: SA
        WAIT_2, //!< I
        SEND_3, //!< I: KE, Ni
        WAIT_4, //!< I
        SEND_5, //!< I: IDii, HASH_I (encrypted)
        WAIT_6, //!< I
        WAIT_1, //!< R
        SEND_2, //!< R: SA
        WAIT_3, //!< R
        SEND_4, //!< R: KE, Nr
        WAIT_5, //!< R
        SEND_6, //!< R: IDir, HASH_R (encrypted)
        DONE,
    };

    /** The message, decrypted for messages 5 and 6; NEED_MORE: read, else the failure. */
    Status ReadMessage(const IkeBytes& datagram, std::optional<IsakmpMessage>* m);
    Status ProcessSaOffer(const IsakmpMessage& m);
    Status ProcessSaReply(const IsakmpMessage& m);
    Status ProcessKeyExchange(const IsakmpMessage& m);
    Status ProcessAuthentication(const IsakmpMessage& m);

    bool DeriveKeys();
    IkeBytes Encrypt(const IsakmpMessage& m);
    /** Initiator: our usable policies into m_offered and the peer's key into m_psk. */
    bool LoadOffer(Status* status);
    /** Vendor IDs of the peer's first message: DPD, NAT-T. */
    void ReadVendorIds(const IsakmpMessage& m);
    /** Our vendor IDs. */
    void AddVendorIds(IsakmpMessage& m) const;
    /** NAT-D payloads (RFC 3947 3.2): the peer's address and port as we see them, then ours. */
    void AddNatD(IsakmpMessage& m) const;
    /** Compares the peer's NAT-D payloads with what we see; floats to 4500 when told to. */
    void CheckNatD(const IsakmpMessage& m);

    // --- rsa-sig and rsa-encr (ike-main-mode-rsa.cc) ---
    bool UsesRsaSig() const;
    bool UsesRsaEncr() const;
    /** Our policies usable with this peer: pre-share with a key, rsa-sig with a certificate,
     *  rsa-encr with keys (and, initiating, the peer's public key); @p skipped says why not. */
    std::vector<IkePolicy> UsablePolicies(std::string* skipped);
    /** After agreement: the material the agreed method needs (key, credentials); false: Fail. */
    bool LoadAuthMaterial(Status* status);
    /** SKEYID for the agreed method (RFC 2409 5). */
    IkeBytes Skeyid(ipsec::IkeHash h, const IkeBytes& gxy) const;
    /** Our phase-1 ID payload: address, host name or (rsa-sig, identity dn) our subject. */
    IsakmpIdPayload OurIdentity() const;
    /** rsa-sig: one CERT_REQ per trusted CA, as IOS sends them with its key exchange. */
    void AddCertRequests(IsakmpMessage& m) const;
    /** rsa-sig: ID, CERT(s), SIG over HASH_I or HASH_R; false: Fail was called. */
    bool AddSignedIdentity(IsakmpMessage& m, bool initiator, Status* status);
    /** rsa-sig: the peer's ID, certificate chain and signature; NEED_MORE when good. */
    Status CheckSignedIdentity(const IsakmpMessage& m, bool fromInitiator);
    /** rsa-encr: <ID_b>PubKey, <N_b>PubKey in place of ID and nonce; false: Fail was called. */
    bool AddEncryptedNonce(IsakmpMessage& m, const IkeBytes& nonce, Status* status);
    /** rsa-encr: a cleartext message whose ID and nonce are RSA-encrypted, decrypted into
     *  @p m as plain ID and nonce payloads; NEED_MORE when good. */
    Status ReadEncryptedNonce(const IkeBytes& datagram, std::optional<IsakmpMessage>* m);
    /** A cleartext message whose ID payload may be RSA ciphertext (kept as a raw payload). */
    Status ParseLenient(const IkeBytes& datagram, std::optional<IsakmpMessage>* m);
    /** rsa-encr: @p m rebuilt with its ID and nonce decrypted; the responder finds the
     *  initiator's public key by that identity. */
    Status DecryptIdAndNonce(std::optional<IsakmpMessage>* m);
    /** Aggressive mode, messages 1 and 2 once the suite is known: the method's material
     *  loaded, the identity and nonce (decrypted for rsa-encr) found in @p m. */
    Status AggressiveIdAndNonce(std::optional<IsakmpMessage>* m, const IsakmpIdPayload** id,
                                const IsakmpNoncePayload** nonce);
    /** rsa-encr: HASH_I or HASH_R of the peer over the identity it sent encrypted. */
    Status CheckNonceHash(const IsakmpMessage& m, bool fromInitiator);
    /** The hash of our side (HASH_I when @p initiator) over @p idBody. */
    IkeBytes OwnHash(bool initiator, const IkeBytes& idBody) const;

    Step m_step;
    std::vector<IkePolicy> m_offered;
    std::optional<IkePolicyProvider::RsaCredentials> m_rsa; //!< ours, when an RSA method is used
    IkeBytes m_peerPublicKey;                               //!< rsa-encr: SubjectPublicKeyInfo
    IkeBytes m_peerIdBody; //!< rsa-encr: the identity the peer sent encrypted (cleartext body)
    std::unique_ptr<ipsec::DhKeyPair> m_dh;
    IkeBytes m_psk;
    IkeBytes m_saiBody; //!< body of the initiator's SA payload
    IkeBytes m_gxi;
    IkeBytes m_gxr;
    IkeBytes m_ni;
    IkeBytes m_nr;
    IsakmpSaPayload m_reply; //!< responder: the chosen proposal
    IkeBytes m_idiBody;      //!< aggressive mode: the initiator's identity (body)
};

/**
 * Aggressive mode (RFC 2409 5.4, pre-shared keys): HDR, SA, KE, Ni, IDii / HDR, SA, KE, Nr,
 * IDir, HASH_R / HDR*, HASH_I. One Diffie-Hellman group for all proposals, since the key
 * exchange travels with the offer.
 */
class IkeAggressiveMode : public IkeMainMode
{
public:
    IkeAggressiveMode(IkeContext& ctx, Ptr<IkeSa> sa);
    ~IkeAggressiveMode() override;

    IkeBytes Build(Status* status) override;
    Status Process(const IkeBytes& datagram) override;
};

/** What a successful quick mode agreed: enough to build the SA pair. */
struct IkeQuickModeOutcome
{
    Ptr<IpsecPolicyEntry> entry;
    IpsecTransformSet set;
    IpsecTrafficSelector scope; //!< in this router's outbound sense
    uint32_t lifetimeSeconds = 0;
    uint64_t lifetimeKilobytes = 0;
    int pfsGroup = 0;
    IkeSpis ourSpis;  //!< our inbound SAs
    IkeSpis peerSpis; //!< our outbound SAs
    IkeBytes ni;
    IkeBytes nr;
    IkeBytes gqmxy; //!< empty without PFS
};

/** Quick mode (3 messages), with PFS when the offer asks for it. */
class IkeQuickMode : public IkeExchange
{
public:
    /** Initiator for @p entry's @p offer, protecting @p scope (outbound sense). */
    IkeQuickMode(IkeContext& ctx, Ptr<IkeSa> sa, uint32_t messageId, Ptr<IpsecPolicyEntry> entry,
                 const IkePhase2Offer& offer, const IpsecTrafficSelector& scope);
    /** Responder for the peer's message @p messageId. */
    IkeQuickMode(IkeContext& ctx, Ptr<IkeSa> sa, uint32_t messageId);
    ~IkeQuickMode() override;

    IkeBytes Build(Status* status) override;
    Status Process(const IkeBytes& datagram) override;

    uint32_t GetMessageId() const
    {
        return m_messageId;
    }

    bool IsInitiator() const
    {
        return m_initiator;
    }

    /** Valid after SUCCESS. */
    const IkeQuickModeOutcome& GetOutcome() const
    {
        return m_outcome;
    }

private:
    /** Where the exchange is: the message to send next, or the one awaited. */
    enum class Step : uint8_t
    {
        SEND_1, //!< I: HASH(1), SA, Ni [, KE], IDci, IDcr
        WAIT_2, //!< I
        SEND_3, //!< I: HASH(3)
        WAIT_1, //!< R
        SEND_2, //!< R: HASH(2), SA, Nr [, KE] [, IDs] [, RESPONDER-LIFETIME]
        WAIT_3, //!< R
        DONE,
    };

    IkeBytes BuildMessage1(IsakmpMessage& m, Status* status);
    IkeBytes BuildMessage2(IsakmpMessage& m, Status* status);
    IkeBytes BuildMessage3(IsakmpMessage& m, Status* status);
    /** SPIs (and a CPI) for our inbound SAs of @p set. */
    IkeSpis AllocateSpis(const IpsecTransformSet& set);
    Status ProcessMessage1(const IsakmpMessage& m, const IkeBytes& hash, const IkeBytes& rest);
    /** Responder: the traffic the initiator's IDci/IDcr name (its sense); NEED_MORE: fine. */
    Status ReadProxyIds(const IsakmpMessage& m, IpsecTrafficSelector* theirs);
    /** Responder: the selected proposal of @p entry becomes the outcome. */
    void AdoptSelection(Ptr<IpsecPolicyEntry> entry);
    Status ProcessMessage2(const IsakmpMessage& m, const IkeBytes& hash, const IkeBytes& rest);
    /** Initiator: a RESPONDER-LIFETIME notification shortens the agreed lifetimes. */
    void ApplyResponderLifetime(const IsakmpMessage& m);
    Status ProcessMessage3(const IkeBytes& hash);
    IkeBytes Seal(IsakmpMessage& m, size_t hashPayloadIndex, const IkeBytes& hashPrefixNonce,
                  bool hash3);

    bool m_initiator;
    uint32_t m_messageId;
    Step m_step;
    IkePhase2Offer m_offer;
    std::vector<IkeSpis> m_offerSpis;
    IsakmpSaPayload m_peerSa; //!< responder: the initiator's offer
    IkePhase2Selection m_sel; //!< responder
    std::unique_ptr<ipsec::DhKeyPair> m_dh;
    IkeBytes m_peerKe;
    IsakmpIdPayload m_idci;
    IsakmpIdPayload m_idcr;
    bool m_haveIds = false;
    bool m_responderLifetime = false; //!< responder: ours is smaller than offered
    IkeQuickModeOutcome m_outcome;
};

/** The ID payload for one side of a traffic selector (host, subnet; protocol, port). */
IsakmpIdPayload IkeIdFromSelector(Ipv4Address addr, uint32_t wildcard, uint8_t protocol,
                                  const IpsecPortMatch& port);

/** The selector side an ID payload names, or nullopt for a type quick mode does not take. */
bool IkeSelectorFromIds(const IsakmpIdPayload& src, const IsakmpIdPayload& dst,
                        IpsecTrafficSelector* out);

/** Bytes of a payload without its generic header. */
IkeBytes IkePayloadBody(const IsakmpPayload& p);

} // namespace ns3

#endif
