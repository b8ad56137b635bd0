/**
 * @file
 * What the IKE engine asks of the router's configuration: its phase-1 policies and keys, what a
 * crypto map entry offers, and whether a peer's quick-mode request fits an entry. The IOS router
 * (ios/ios-router) implements it; the engine never reads configuration text.
 */
#ifndef IPSEC_IKE_POLICY_PROVIDER_H
#define IPSEC_IKE_POLICY_PROVIDER_H

#include "ns3/ike-config.h"
#include "ns3/ipsec-spd.h"

#include <optional>
#include <string>
#include <vector>

namespace ns3
{

class IkePolicyProvider
{
public:
    virtual ~IkePolicyProvider() = default;

    /** Phase-1 policies in priority order, the IOS default suite last. */
    virtual std::vector<IkePolicy> GetIkePolicies() const = 0;

    /** The pre-shared key for @p peer (`crypto isakmp key ... address`), if any. */
    virtual std::optional<std::string> GetPreSharedKey(Ipv4Address peer) const = 0;

    /**
     * The pre-shared key for @p peer reached from our @p local address; @p peerFqdn is the
     * peer's phase-1 identity when it is a name and already known (an aggressive-mode
     * responder), else empty. By default GetPreSharedKey(peer).
     */
    virtual std::optional<std::string> GetPreSharedKeyFor(Ipv4Address peer, Ipv4Address local,
                                                          const std::string& peerFqdn) const
    {
        return GetPreSharedKey(peer);
    }

    /**
     * rsa-sig and rsa-encr material of this router (`crypto key generate rsa`, `crypto pki
     * enroll`), all DER so that the engine needs no configuration types.
     */
    struct RsaCredentials
    {
        std::vector<uint8_t> privateKey; //!< the RSA key pair, PKCS#8 (PrivateKeyInfo) DER
        /** Our X.509 certificate first, then its issuers below the trust anchor; empty when the
         *  router holds keys but no certificate (enough for rsa-encr). */
        std::vector<std::vector<uint8_t>> certificates;
        std::string trustpoint; //!< the trustpoint that enrolled the certificate ("" if none)
    };

    /** Our RSA credentials used from our @p local address; nullopt: no RSA keys. */
    virtual std::optional<RsaCredentials> GetRsaCredentials(Ipv4Address local) const
    {
        return std::nullopt;
    }

    /** What a peer's certificate chain is checked against (`crypto pki authenticate`). */
    struct Trust
    {
        std::vector<std::vector<uint8_t>> anchors; //!< DER certificates of authenticated CAs
        std::vector<std::vector<uint8_t>> crls;    //!< DER CRLs held; listed serials are refused
        bool crlRequired = false; //!< `revocation-check crl`: no CRL for an issuer fails the peer
        int64_t now = 0;          //!< the router's calendar clock, seconds since 1970 (validity)
    };
    virtual Trust GetTrust() const
    {
        return {};
    }

    /**
     * rsa-encr: @p peer's public key from `crypto key pubkey-chain rsa` (`addressed-key` for its
     * address or `named-key` for @p peerName), as SubjectPublicKeyInfo DER; nullopt: unknown.
     */
    virtual std::optional<std::vector<uint8_t>> GetPeerRsaPublicKey(
        Ipv4Address peer, const std::string& peerName) const
    {
        return std::nullopt;
    }

    /**
     * The peers to try for @p entry, in order, when a negotiation for it starts. By default the
     * entry's peers; a router whose peers are host names resolved at each negotiation (IOS
     * `set peer NAME dynamic`) answers with what the names resolve to now.
     */
    virtual std::vector<Ipv4Address> ResolvePeers(Ptr<IpsecPolicyEntry> entry) const
    {
        return entry->peers;
    }

    /** Dead peer detection with one peer: every @c seconds, retries every @c retry. */
    struct Keepalive
    {
        uint32_t seconds = 0; //!< 0: off
        uint32_t retry = 2;
    };
    /** DPD for @p peer where it differs from the daemon's own setting; nullopt: the daemon's. */
    virtual std::optional<Keepalive> GetPeerKeepalive(Ipv4Address peer) const
    {
        return std::nullopt;
    }

    /** What the SAs negotiated for an entry get locally, outside the negotiation. */
    struct LocalSaSettings
    {
        uint32_t replayWindow = 64; //!< anti-replay window in packets; 0: replay check off
        uint32_t idleSeconds = 0;   //!< delete the SAs after this long without traffic; 0: never
    };
    virtual LocalSaSettings GetLocalSaSettings(Ptr<IpsecPolicyEntry> entry) const
    {
        return {};
    }

    /** An entry's quick-mode offer, or the refusal. */
    struct Phase2
    {
        Ptr<IpsecPolicyEntry> entry; //!< nullptr: refused, see reason
        IkePhase2Offer offer;
        std::string reason;
    };

    /** Initiator: what the acquired entry proposes (transform sets, lifetimes, PFS). */
    virtual Phase2 GetInitiatorPhase2(Ptr<IpsecPolicyEntry> entry) const = 0;

    /**
     * Responder: the entry that accepts @p peer's request for @p scope, given in this router's
     * outbound sense (source: the initiator's IDcr, destination: its IDci). The scope must lie
     * within a permit of the entry's access list, the entry must name @p peer (or be a dynamic
     * map template, whose absent access list accepts anything), and its crypto map must be
     * applied where @p local is the local address. Entries are tried in crypto map order.
     */
    virtual Phase2 MatchQuickMode(Ipv4Address peer, Ipv4Address local,
                                  const IpsecTrafficSelector& scope) const = 0;
    // ------------------------------------------------------------------- IKEv2 (RFC 7296)
    // The IKEv2 daemon (ikev2-daemon.h) asks these; the defaults are a router without IKEv2.

    /** Is @p entry negotiated with IKEv2 (`set ikev2-profile`)? Then IKEv1 leaves it alone. */
    virtual bool UsesIkev2(Ptr<IpsecPolicyEntry> entry) const
    {
        return false;
    }

    /** One IKE SA proposal (IOS: one `crypto ikev2 proposal`), as IKEv2 transform IDs. */
    struct Ikev2IkeOffer
    {
        std::string name;
        std::vector<std::pair<uint16_t, uint16_t>> encryption; //!< transform ID, key bits (0: none)
        std::vector<uint16_t> integrity;                       //!< empty for AES-GCM
        std::vector<uint16_t> prf;
        std::vector<uint16_t> groups; //!< Diffie-Hellman groups
    };
    /** The IKE SA proposals offered and accepted on @p local, in order. */
    virtual std::vector<Ikev2IkeOffer> GetIkev2Offers(Ipv4Address local) const
    {
        return {};
    }

    /** Who we are and the keys we use with one peer (IOS: an IKEv2 profile and its keyring). */
    struct Ikev2Credentials
    {
        std::string profile; //!< "": none applies, see reason
        std::string reason;
        uint8_t idType = 1;                   //!< our ID payload's type (Ikev2IdType)
        std::vector<uint8_t> id;              //!< its data
        std::optional<std::string> localKey;  //!< signs our AUTH (pre-shared key)
        std::optional<std::string> remoteKey; //!< checks the peer's AUTH
        uint32_t lifetimeSeconds = 86400;     //!< the IKE SA's lifetime
        uint32_t natKeepaliveSeconds = 0; //!< behind a NAT, a keepalive every this long; 0: none
        bool localRsaSig = false;  //!< `authentication local rsa-sig`: we sign (RFC 7296 2.15)
        bool remoteRsaSig = false; //!< `authentication remote rsa-sig`: a peer's signature is taken
        bool idDn = false;         //!< `identity local dn`: our certificate's subject is our ID
        std::string trustpoint;    //!< `pki trustpoint NAME` ("" none)
    };
    /** Initiator: the profile @p entry names, for @p peer reached from @p local. */
    virtual Ikev2Credentials GetIkev2InitiatorCredentials(Ptr<IpsecPolicyEntry> entry,
                                                          Ipv4Address local, Ipv4Address peer) const
    {
        return {};
    }
    /** Responder: the profile whose `match identity remote` takes the peer's IDi. */
    virtual Ikev2Credentials GetIkev2ResponderCredentials(uint8_t idType,
                                                          const std::vector<uint8_t>& id,
                                                          Ipv4Address local, Ipv4Address peer) const
    {
        return {};
    }
    /** IKEv2 liveness checks with the peers of one profile (IOS `dpd I R on-demand|periodic`). */
    struct Ikev2Dpd
    {
        uint32_t interval = 0; //!< seconds; 0: off
        uint32_t retry = 2;    //!< seconds between the retransmissions of a check
        bool periodic = false; //!< false: on demand (only while we send and hear nothing)
    };
    /** DPD for the IKE SAs of @p profile: the profile's `dpd`, else `crypto ikev2 dpd`. */
    virtual Ikev2Dpd GetIkev2Dpd(const std::string& profile) const
    {
        return {};
    }
    /** `crypto ikev2 cookie-challenge N`: with N half-open IKE SAs or more, IKE_SA_INIT is
     *  first answered with a COOKIE (RFC 7296 2.6); 0: never. */
    virtual uint32_t GetIkev2CookieChallenge() const
    {
        return 0;
    }
    /**
     * Responder: the IKEv2 entry that accepts @p peer's child SA for @p scope (this router's
     * outbound sense: source TSr, destination TSi), as MatchQuickMode does for IKEv1.
     */
    virtual Phase2 MatchIkev2Child(Ipv4Address peer, Ipv4Address local,
                                   const IpsecTrafficSelector& scope) const
    {
        Phase2 p;
        p.reason = "IKEv2 is not configured";
        return p;
    }
};

} // namespace ns3

#endif
