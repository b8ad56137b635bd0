// A router's configuration in Cisco IOS syntax, read into plain data. The reader lives here in
// helper/ (the model never parses text); IosRouter turns the data into model objects.
#ifndef IPSEC_IOS_CONFIG_H
#define IPSEC_IOS_CONFIG_H

#include "ns3/ipsec-traffic-selector.h"
#include "ns3/ipsec-transform-set.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/** Where a line came from: for error messages and `show running-config`. */
struct IosLocation
{
    std::string file; //!< file name as given (or "<config>" for inline lines)
    int line = 0;     //!< 1-based
    std::string text; //!< the line as written
};

/**
 * A line IOS would refuse. what() is the whole message, laid out as IOS does it:
 *
 *     R1.cfg:12:
 *      crypto map toRemoteSite 10 ipsec-manuel
 *                                 ^
 *     % Invalid input detected at '^' marker. (expected ipsec-manual or ipsec-isakmp)
 */
class IosConfigError : public std::runtime_error
{
public:
    IosConfigError(const IosLocation& where, size_t column, const std::string& detail);
    const IosLocation& Where() const
    {
        return m_where;
    }
    size_t Column() const
    {
        return m_column;
    } //!< 0-based column of the '^'
    const std::string& Detail() const
    {
        return m_detail;
    }

private:
    IosLocation m_where;
    size_t m_column;
    std::string m_detail;
};

/** One line of an access list. */
struct IosAclEntry
{
    bool permit = true;
    IpsecTrafficSelector selector; //!< protocol 0 = ip; standard lists match the source only
    bool log = false;
    std::string
        text; //!< canonical form for `show access-lists`, e.g. "permit ip 10.0.0.0 0.0.0.255 any"
    uint32_t seq = 0;  //!< sequence number (`10 permit ...` in a named list; else 10, 20, ...)
    IosLocation where; //!< the line that defined it
};

struct IosAccessList
{
    std::string name;     //!< "101" or a name
    bool extended = true; //!< standard: 1-99 (and 1300-1999)
    std::vector<IosAclEntry> entries;
};

/** `crypto ipsec df-bit clear|set|copy`: the outer header's DF bit in tunnel mode. */
enum class IosDfBit : uint8_t
{
    COPY, //!< the IOS default
    SET,
    CLEAR,
};

/** `set security-association idle-time|replay ...` (crypto map entries, IPsec profiles) and
 *  their global forms; unset: the global setting. */
struct IosSaOptions
{
    std::optional<uint32_t> idleSeconds;  //!< `idle-time N` (60-86400)
    std::optional<uint32_t> replayWindow; //!< `replay window-size N`; 0: `replay disable`
};

/** `reverse-route [static] [remote-peer [A.B.C.D]]` in a crypto map entry (RRI). */
struct IosReverseRoute
{
    bool isStatic = false;   //!< routes from the access list at once, not when SAs come up
    bool remotePeer = false; //!< next hop: the peer (or @c nextHop) rather than the interface
    std::optional<Ipv4Address> nextHop; //!< `remote-peer A.B.C.D`
    uint8_t distance = 1;               //!< IOS 12.4(15)T+: `set reverse-route distance N`
    IosLocation where;
};

enum class IosEncapsulation : uint8_t
{
    NONE, //!< Ethernet and the like
    HDLC, //!< Cisco HDLC, the IOS default on serial interfaces (4 bytes header + 2 FCS)
    PPP,
    FRAME_RELAY,
};

struct IosInterface
{
    std::string name; //!< canonical full name, e.g. "Serial0", "Ethernet0/0", "Loopback0"
    std::optional<Ipv4Address> address;
    Ipv4Mask mask;
    std::string cryptoMap;                                   //!< `crypto map NAME`, empty if none
    std::string accessGroupIn;                               //!< `ip access-group ACL in`
    std::string accessGroupOut;                              //!< `ip access-group ACL out`
    IosEncapsulation encapsulation = IosEncapsulation::NONE; //!< serial default set to HDLC
    bool shutdown = false;
    IosLocation where;
    std::string description; //!< `description ...` (not modelled)
    /** Switching path (spec Table 24), not modelled: `[no] ip route-cache`, `[no] ip route-cache
     *  flow`, `[no] ip route-cache cef`; unset where the configuration says nothing. */
    std::optional<bool> routeCache;
    std::optional<bool> routeCacheFlow;
    std::optional<bool> routeCacheCef;
    bool natInside = false;  //!< `ip nat inside`
    bool natOutside = false; //!< `ip nat outside`
    /** Tunnel interfaces (`tunnel mode gre ip`, the default): `tunnel source IFACE|A.B.C.D`
     *  (an interface name, canonical, or an address as written) and `tunnel destination`. */
    std::string tunnelSource;
    std::optional<Ipv4Address> tunnelDestination;
    IosLocation tunnelSourceWhere;
    /** `tunnel mode ipsec ipv4`: a static virtual tunnel interface (IPsec without GRE). */
    bool tunnelModeIpsec = false;
    /** `tunnel protection ipsec profile NAME [shared]`; empty: none. */
    std::string tunnelProtection;
    bool tunnelProtectionShared = false;
    IosLocation tunnelProtectionWhere;
    /** `crypto ipsec df-bit clear|set|copy` on the interface; unset: the global setting. */
    std::optional<IosDfBit> dfBit;
    /** `arp timeout SECONDS`: how long an ARP entry learnt on this interface lives (IOS default
     *  4 hours; 0: for ever). */
    uint32_t arpTimeoutSeconds = kIosDefaultArpTimeout;
    static constexpr uint32_t kIosDefaultArpTimeout = 14400;
};

/** `crypto ipsec profile NAME`: what IPsec offers for a tunnel interface that names it in
 *  `tunnel protection ipsec profile` (a crypto map entry without peer and access list: the tunnel
 *  gives those). */
struct IosIpsecProfile
{
    std::string name;
    std::vector<std::string> transformSets; //!< up to six, in priority order
    std::optional<int> pfsGroup;            //!< `set pfs groupN`
    std::optional<uint32_t> lifetimeSeconds;
    std::optional<uint64_t> lifetimeKilobytes;
    IosSaOptions sa;           //!< `set security-association idle-time|replay`
    std::string isakmpProfile; //!< `set isakmp-profile NAME`
    std::string ikev2Profile;  //!< `set ikev2-profile NAME`: the tunnel negotiates by IKEv2
    IosLocation ikev2ProfileWhere;
    std::string description;
    IosLocation where; //!< the `crypto ipsec profile NAME` line
};

/** `router ospf N` / `router eigrp N` and its `network` statements. The simulation has no
 *  routing protocol: the scenario approximates the process by routes computed over the
 *  interfaces the statements cover (doc/tunnels.md). */
struct IosRoutingProcess
{
    std::string protocol; //!< "ospf" or "eigrp"
    uint32_t id = 0;      //!< OSPF process id or EIGRP autonomous system
    struct Network
    {
        Ipv4Address address;
        uint32_t wildcard = 0; //!< EIGRP without one: the classful network's
        std::string area;      //!< OSPF area as written
    };
    std::vector<Network> networks;
    IosLocation where;
    /** Does a `network` statement cover interface address @p a? */
    bool Covers(Ipv4Address a) const;
};

/** `ip nat inside source static LOCAL GLOBAL`: one-to-one static NAT. */
struct IosStaticNat
{
    Ipv4Address local;  //!< inside local address
    Ipv4Address global; //!< inside global address
    IosLocation where;
};

struct IosRoute
{
    Ipv4Address network;
    Ipv4Mask mask;
    std::optional<Ipv4Address> nextHop;
    std::string interface; //!< `ip route N M Serial0`
    uint8_t distance = 1;
};

/** `set session-key inbound|outbound ah|esp ...` */
struct IosSessionKey
{
    bool inbound = true;
    IpsecProtocol protocol = IpsecProtocol::ESP; //!< ESP or AH
    uint32_t spi = 0;
    std::vector<uint8_t> cipherKey; //!< ESP `cipher HEX`
    std::vector<uint8_t> authKey;   //!< ESP `authenticator HEX`, or the AH key
};

enum class IosCryptoMapKind : uint8_t
{
    IPSEC_MANUAL,
    IPSEC_ISAKMP,
    DYNAMIC_REFERENCE, //!< `crypto map NAME SEQ ipsec-isakmp dynamic DYN`
    DYNAMIC_TEMPLATE,  //!< an entry of `crypto dynamic-map NAME SEQ`
};

struct IosCryptoMapEntry
{
    std::string map;
    uint32_t seq = 0;
    IosCryptoMapKind kind = IosCryptoMapKind::IPSEC_ISAKMP;
    std::string dynamicMap;                 //!< for DYNAMIC_REFERENCE
    std::string matchAddress;               //!< ACL name or number; empty if none
    std::vector<std::string> peers;         //!< addresses or host names, in order
    std::vector<std::string> transformSets; //!< up to six, in priority order
    std::optional<uint32_t> lifetimeSeconds;
    std::optional<uint64_t> lifetimeKilobytes;
    bool perHost = false;
    std::optional<int> pfsGroup; //!< 1, 2, 5, 14-16, 19-21, 24 (`set pfs` alone means group1)
    std::vector<IosSessionKey> sessionKeys;
    IosLocation where;
    std::string description;   //!< `description ...`
    std::string profile;       //!< the set IOS makes for `tunnel protection`: the IPsec profile
    std::string isakmpProfile; //!< `set isakmp-profile NAME`
    std::string ikev2Profile;  //!< `set ikev2-profile NAME`: negotiated by IKEv2
    IosLocation ikev2ProfileWhere;
    std::optional<IosReverseRoute> reverseRoute; //!< `reverse-route ...`
    IosSaOptions sa;                             //!< `set security-association idle-time|replay`
    /** Where each peer of @c peers was set (`set peer` line, column of the address or name),
     *  for the errors of host names that do not resolve. */
    std::map<std::string, std::pair<IosLocation, size_t>> peerLines;
    /** Peers given as `set peer NAME dynamic`: resolved at each negotiation, not once. */
    std::set<std::string> dynamicPeers;
};

// ------------------------------------------------------------------------------ IKE (ISAKMP)

/** `encryption` of an ISAKMP policy (IOS default des). */
enum class IosIsakmpEncryption : uint8_t
{
    DES,        //!< des: DES-56
    TRIPLE_DES, //!< 3des
    AES_128,    //!< aes, aes 128
    AES_192,    //!< aes 192
    AES_256,    //!< aes 256
};

/** `hash` of an ISAKMP policy (IOS default sha). IOS 12.x has md5 and sha; the SHA-2 hashes are
 *  accepted as later IOS releases do. */
enum class IosIsakmpHash : uint8_t
{
    MD5,
    SHA, //!< SHA-1
    SHA256,
    SHA384,
    SHA512,
};

/** `authentication` of an ISAKMP policy (IOS default rsa-sig). */
enum class IosIsakmpAuthentication : uint8_t
{
    PRE_SHARE,
    RSA_SIG,
    RSA_ENCR,
};

/** `crypto isakmp policy N`: one IKE protection suite. The defaults are the IOS default suite. */
struct IosIsakmpPolicy
{
    uint32_t priority = 0; //!< 1-10000, lower is tried first
    IosIsakmpEncryption encryption = IosIsakmpEncryption::DES;
    IosIsakmpHash hash = IosIsakmpHash::SHA;
    IosIsakmpAuthentication authentication = IosIsakmpAuthentication::RSA_SIG;
    uint8_t group = 1;                //!< Diffie-Hellman group: 1, 2, 5, 14-16, 19-21, 24
    uint32_t lifetimeSeconds = 86400; //!< 60-86400
    IosLocation where;                //!< the `crypto isakmp policy N` line
};

/** `crypto isakmp key [0|6] KEY {address A [MASK] | hostname NAME} [no-xauth]` */
struct IosIsakmpKey
{
    std::string key;                             //!< as written (type 6: the encrypted text)
    uint8_t encryptionType = 0;                  //!< 0 clear text, 6 encrypted (`key 6 ...`)
    Ipv4Address address = Ipv4Address::GetAny(); //!< the peer (or network with @c mask)
    Ipv4Mask mask = Ipv4Mask::GetOnes();         //!< 255.255.255.255 unless given
    std::string hostname;                        //!< the `hostname NAME` form; empty otherwise
    bool noXauth = false;
    IosLocation where;
};

/** `crypto isakmp identity address|hostname|dn` (IOS default address). */
enum class IosIsakmpIdentity : uint8_t
{
    ADDRESS,
    HOSTNAME,
    DN,
};

/** `crypto isakmp keepalive SECONDS [RETRY] [periodic|on-demand]`: dead peer detection
 *  (RFC 3706). */
struct IosIsakmpKeepalive
{
    uint32_t seconds = 0;  //!< 10-3600
    uint32_t retry = 2;    //!< 2-60 s between retries when a DPD goes unanswered (IOS default 2)
    bool periodic = false; //!< IOS default on-demand
    IosLocation where;
};

/** `crypto key generate rsa [general-keys|usage-keys] [label L] [modulus N]` written in the
 *  configuration (a script): the key pair is made from the run's seeded stream at start. */
struct IosRsaKeyGeneration
{
    std::string label;      //!< empty: the router's default key (named after the host)
    uint32_t modulus = 0;   //!< 360-4096; 0: not given (IOS asks; we take 512 as it proposes)
    bool usageKeys = false; //!< `usage-keys`: read, made as one general-purpose pair
    IosLocation where;
};

/** `crypto pki trustpoint NAME` or the older `crypto ca identity NAME`. */
struct IosTrustpoint
{
    std::string name;
    bool legacyIdentity = false;     //!< written as `crypto ca identity`
    std::string enrollmentUrl;       //!< `enrollment url URL`
    bool enrollmentTerminal = false; //!< `enrollment terminal`: certificates pasted
    std::string subjectName;         //!< `subject-name DN` as given
    std::string fqdn;                //!< `fqdn NAME` (`none`: empty, fqdnNone)
    bool fqdnNone = false;
    std::string ipAddress;     //!< `ip-address A.B.C.D|IFACE` (`none`: empty)
    bool serialNumber = false; //!< `serial-number` (not `none`)
    /** A peer's certificate needs a CRL of its issuer (IOS's default, `revocation-check crl`);
     *  `revocation-check crl none`, `revocation-check none` and 12.2's `crl optional` clear it. */
    bool crlRequired = true;
    bool revocationNone = false; //!< `revocation-check none`: no CRL is even looked at
    std::string rsaKeypair;      //!< `rsakeypair LABEL [SIZE]`; empty: the default key
    uint32_t rsaKeypairSize = 0; //!< SIZE given with rsakeypair (made at enrolment if missing)
    IosLocation where;
};

/** One `certificate [ca] SERIAL` of a `crypto pki certificate chain NAME` block, its hex DER. */
struct IosChainCertificate
{
    std::string serial; //!< as written (hex)
    bool ca = false;    //!< `certificate ca SERIAL`
    std::vector<uint8_t> der;
    IosLocation where;
};

/** `crypto pki|ca certificate chain NAME`. */
struct IosCertificateChain
{
    std::string trustpoint;
    std::vector<IosChainCertificate> certificates;
    IosLocation where;
};

/** A peer's RSA public key: `crypto key pubkey-chain rsa` (`addressed-key A` / `named-key N`)
 *  or a keyring's `rsa-pubkey address A|name N`, with `key-string ... quit`. */
struct IosPeerRsaKey
{
    bool named = false;  //!< named-key (name) or addressed-key (address)
    std::string name;    //!< for named keys, as given
    Ipv4Address address; //!< the addressed-key's address, or a named key's `address A`
    bool hasAddress = false;
    std::string usage;        //!< "", "encryption" or "signature" as given
    std::vector<uint8_t> key; //!< SubjectPublicKeyInfo DER (the key-string hex)
    IosLocation where;
};

/** `crypto pki|ca authenticate NAME` / `enroll NAME` given in configuration mode (IOS 12 takes
 *  them there too): done in order when the router starts, after the keys are made. */
struct IosPkiAction
{
    bool enroll = false; //!< enroll, else authenticate
    std::string trustpoint;
    IosLocation where;
};

/** Everything of the router's PKI in the configuration. */
struct IosPkiConfig
{
    std::vector<IosRsaKeyGeneration> keyGenerations;   //!< in order
    std::map<std::string, IosTrustpoint> trustpoints;  //!< by name
    std::map<std::string, IosCertificateChain> chains; //!< by trustpoint name
    std::vector<IosPeerRsaKey> peerKeys;               //!< `crypto key pubkey-chain rsa`
    std::vector<IosPkiAction> actions;                 //!< authenticate / enroll, in order
};

/** `crypto keyring NAME`: pre-shared keys by peer, usable from one local address or all. */
struct IosKeyring
{
    std::string name;
    std::string description;
    std::string localAddress; //!< `local-address IFACE|A.B.C.D` as given (interface canonical)
    std::vector<IosIsakmpKey> keys;     //!< `pre-shared-key address|hostname ... key ...`
    std::vector<IosPeerRsaKey> rsaKeys; //!< `rsa-pubkey address A|name N` (rsa-encr)
    IosLocation where;
};

/** `crypto isakmp profile NAME`: the phase-1 settings for the peers it matches. */
struct IosIsakmpProfile
{
    /** `match identity address A [MASK]` or `match identity host NAME`. */
    struct Match
    {
        Ipv4Address address;
        Ipv4Mask mask = Ipv4Mask::GetOnes();
        std::string host; //!< the host form; empty for an address
    };
    std::string name;
    std::string description;
    std::vector<Match> matches;
    std::vector<std::string> keyrings;             //!< `keyring NAME`, in order
    std::optional<IosIsakmpKeepalive> keepalive;   //!< `keepalive S retry R`
    std::optional<IosIsakmpIdentity> selfIdentity; //!< `self-identity address|fqdn`
    bool initiateAggressive = false;               //!< `initiate mode aggressive`
    std::string localAddress;                      //!< `local-address IFACE`
    IosLocation where;
};

/** `ip host NAME [TCP-PORT] ADDRESS...`: a static entry of the router's host table. */
struct IosHostEntry
{
    std::string name;                   //!< as written (names compare case-insensitively)
    std::vector<Ipv4Address> addresses; //!< up to eight, the first is used
    IosLocation where;
};

/** What `set aggressive-mode client-endpoint` names as the router's phase-1 identity. */
enum class IosClientEndpoint : uint8_t
{
    NONE,         //!< not set: the identity `crypto isakmp identity` gives
    IPV4_ADDRESS, //!< ID_IPV4_ADDR
    FQDN,         //!< ID_FQDN
    USER_FQDN,    //!< ID_USER_FQDN
};

/** `crypto isakmp peer address A` / `crypto isakmp peer hostname NAME` and its block: with
 *  `set aggressive-mode password` or `client-endpoint`, phase 1 with that peer starts in
 *  aggressive mode, with that key and identity. */
struct IosIsakmpPeer
{
    std::optional<Ipv4Address> address; //!< the `address` form
    std::string hostname;               //!< the `hostname` form (resolved like `set peer`)
    std::string aggressivePassword;     //!< `set aggressive-mode password KEY`
    IosClientEndpoint endpointType = IosClientEndpoint::NONE;
    std::string endpoint; //!< `set aggressive-mode client-endpoint TYPE VALUE`: the value
    std::string description;
    IosLocation where; //!< the `crypto isakmp peer` line
    /** IOS starts aggressive mode with the peer when either aggressive-mode setting is given. */
    bool InitiatesAggressive() const
    {
        return !aggressivePassword.empty() || endpointType != IosClientEndpoint::NONE;
    }
};

// ------------------------------------------------------------------------------ IKEv2 (FlexVPN)

/** `encryption` of an IKEv2 proposal (ios-config-ikev2.cc). */
enum class IosIkev2Encryption : uint8_t
{
    TRIPLE_DES,  //!< 3des
    AES_CBC_128, //!< aes-cbc-128
    AES_CBC_192, //!< aes-cbc-192
    AES_CBC_256, //!< aes-cbc-256
    AES_GCM_128, //!< aes-gcm-128 (AEAD: the proposal has no integrity, RFC 5282)
    AES_GCM_256, //!< aes-gcm-256
};

/** `integrity` and `prf` of an IKEv2 proposal: the hash of the HMAC. */
enum class IosIkev2Hash : uint8_t
{
    MD5,
    SHA1,
    SHA256,
    SHA384,
    SHA512,
};

/** `crypto ikev2 proposal NAME`: the IKE SA transforms offered, each list in the order given
 *  (IOS offers every combination in one proposal). */
struct IosIkev2Proposal
{
    std::string name;
    std::vector<IosIkev2Encryption> encryption;
    std::vector<IosIkev2Hash> integrity;
    std::vector<IosIkev2Hash> prf; //!< empty: the integrity algorithms (IOS's rule)
    std::vector<uint8_t> groups;   //!< Diffie-Hellman groups
    IosLocation where;             //!< the `crypto ikev2 proposal` line (none for the default)
    /** AES-GCM only: an AEAD proposal, which carries no integrity algorithm. */
    bool IsAead() const;
    /** The PRFs offered: @c prf, else the integrity algorithms. */
    std::vector<IosIkev2Hash> Prfs() const;
};

/** `crypto ikev2 policy NAME`: the proposals used for IKE SAs on the local addresses (and
 *  front-door VRF) it matches. */
struct IosIkev2Policy
{
    std::string name;
    std::vector<std::string> proposals;  //!< in order
    std::vector<Ipv4Address> matchLocal; //!< `match address local A`; empty: any
    std::string matchFvrf;               //!< `match fvrf NAME`; "" global, "any": any
    IosLocation where;
    /** Does the policy apply to IKE on local address @p local (global routing table)? */
    bool Matches(Ipv4Address local) const;
};

/** The kinds of IKEv2 identity (RFC 7296 section 3.5) IOS configures. */
enum class IosIkev2IdType : uint8_t
{
    ADDRESS, //!< ID_IPV4_ADDR
    FQDN,    //!< ID_FQDN
    EMAIL,   //!< ID_RFC822_ADDR
    KEY_ID,  //!< ID_KEY_ID
    DN,      //!< ID_DER_ASN1_DN (the local certificate's subject)
};

/** An IKEv2 identity as configured: `identity local fqdn R1.example.com`. */
struct IosIkev2Identity
{
    IosIkev2IdType type = IosIkev2IdType::ADDRESS;
    std::string value; //!< the address as text, the name, the e-mail address, the key id; "" for dn
    bool operator==(const IosIkev2Identity& o) const;
};

/** A pre-shared key as written: `pre-shared-key [local|remote] [0|6] KEY`. */
struct IosIkev2Key
{
    std::string key;            //!< as written (type 6: the encrypted text)
    uint8_t encryptionType = 0; //!< 0 clear text, 6 encrypted
};

/** `peer NAME` of an IKEv2 keyring. */
struct IosIkev2KeyringPeer
{
    std::string name;
    std::string description;
    std::optional<Ipv4Address> address;       //!< `address A [MASK]`
    Ipv4Mask mask = Ipv4Mask::GetOnes();      //!< 255.255.255.255 unless given
    std::string hostname;                     //!< `hostname NAME` (the peer's own name, initiator)
    std::optional<IosIkev2Identity> identity; //!< `identity address|fqdn|email|key-id X`
    std::optional<IosIkev2Key> localKey;      //!< signs what this router sends
    std::optional<IosIkev2Key> remoteKey;     //!< checks what the peer sends
    IosLocation where;
};

/** `crypto ikev2 keyring NAME`. */
struct IosIkev2Keyring
{
    std::string name;
    std::vector<IosIkev2KeyringPeer> peers; //!< in order of appearance
    IosLocation where;
};

/** `authentication local|remote` methods of an IKEv2 profile. */
enum class IosIkev2AuthMethod : uint8_t
{
    PRE_SHARE, //!< pre-share [key K]
    RSA_SIG,   //!< rsa-sig
    ECDSA_SIG, //!< ecdsa-sig (read; not simulated)
    EAP,       //!< eap (read; not simulated)
};

/** `dpd INTERVAL RETRY on-demand|periodic` (IKEv2 liveness checks). */
struct IosIkev2Dpd
{
    uint32_t interval = 0; //!< 10-3600 s
    uint32_t retry = 2;    //!< 2-60 s
    bool periodic = false; //!< on-demand unless `periodic`
    IosLocation where;
};

/** `crypto ikev2 profile NAME`: how this router authenticates the peers it matches. */
struct IosIkev2Profile
{
    /** `match identity remote address A [MASK] | fqdn [domain] D | email [domain] D | key-id K`
     */
    struct RemoteMatch
    {
        IosIkev2IdType type = IosIkev2IdType::ADDRESS;
        Ipv4Address address;
        Ipv4Mask mask = Ipv4Mask::GetOnes();
        std::string value;   //!< fqdn, e-mail address or key id (domain: the domain)
        bool domain = false; //!< `fqdn domain D`, `email domain D`: any name in D
        bool operator==(const RemoteMatch& o) const;
    };
    std::string name;
    std::string description;
    std::vector<RemoteMatch> matchRemote;
    bool matchRemoteAny = false; //!< `match identity remote any`
    bool matchCertificate =
        false; //!< `match certificate MAP` (read; certificate maps not modelled)
    std::vector<Ipv4Address> matchLocal;           //!< `match address local A`; empty: any
    std::string matchLocalInterface;               //!< `match address local interface IFACE`
    std::string matchFvrf;                         //!< "" global, "any", or a VRF (not simulated)
    std::optional<IosIkev2Identity> localIdentity; //!< unset: the address IKE runs on
    std::optional<IosIkev2AuthMethod> localAuth;   //!< required (checked at the end)
    std::optional<IosIkev2Key> localAuthKey;       //!< `authentication local pre-share key K`
    std::vector<IosIkev2AuthMethod> remoteAuth;    //!< required, up to two
    std::optional<IosIkev2Key> remoteAuthKey;      //!< `authentication remote pre-share key K`
    std::string keyring;                           //!< `keyring local NAME`
    std::vector<std::string> trustpoints;          //!< `pki trustpoint NAME [sign|verify]`
    uint32_t lifetimeSeconds = 86400;              //!< `lifetime S` (120-86400)
    std::optional<IosIkev2Dpd> dpd;                //!< unset: the global `crypto ikev2 dpd`
    std::optional<uint32_t> natKeepaliveSeconds;   //!< unset: the global setting
    std::optional<uint32_t> virtualTemplate;       //!< `virtual-template N` (not simulated)
    IosLocation where;
    /** Does a peer presenting @p id match `match identity remote`? */
    bool MatchesRemote(const IosIkev2Identity& id) const;
    /** Does the profile apply to IKE on local address @p local (`match address local A`, or
     *  `... interface I` with I among @p interfaces having that address)? */
    bool MatchesLocal(Ipv4Address local, const std::vector<IosInterface>& interfaces) const;
};

/** The settings of `crypto ikev2 ...` outside the blocks, and the defaults IOS 15 has. */
struct IosIkev2Config
{
    std::map<std::string, IosIkev2Proposal> proposals; //!< by name, the default not included
    std::map<std::string, IosIkev2Policy> policies;    //!< by name, the default not included
    std::map<std::string, IosIkev2Keyring> keyrings;
    std::map<std::string, IosIkev2Profile> profiles;
    bool defaultProposal = true;                 //!< `no crypto ikev2 proposal default`: false
    bool defaultPolicy = true;                   //!< `no crypto ikev2 policy default`: false
    std::optional<IosIkev2Dpd> dpd;              //!< `crypto ikev2 dpd I R on-demand|periodic`
    std::optional<uint32_t> natKeepaliveSeconds; //!< `crypto ikev2 nat keepalive S`
    std::optional<uint32_t> cookieChallenge;     //!< `crypto ikev2 cookie-challenge N`
    std::optional<uint32_t> maxSa;               //!< `crypto ikev2 limit max-sa N`
    std::optional<uint32_t> maxInNegotiation;    //!< `crypto ikev2 limit max-in-negotiation-sa N`

    /** IOS 15's default proposal (`crypto ikev2 proposal default`): AES-CBC 256, 192, 128;
     *  SHA-512, SHA-384, SHA-256, SHA-1, MD5; groups 5 and 2. */
    static IosIkev2Proposal DefaultProposal();
    /** IOS 15's default policy: any local address, any front-door VRF, the default proposal. */
    static IosIkev2Policy DefaultPolicy();
    /** A proposal by name: the configured one, else the default (unless disabled); nullptr. */
    std::optional<IosIkev2Proposal> FindProposal(const std::string& name) const;
    /** The policies IOS would consult for IKE on @p local: the configured ones that match it,
     *  those naming the address before those matching any, each group by name; the default
     *  policy only when no policy is configured. Empty: IKEv2 on @p local is refused. */
    std::vector<IosIkev2Policy> PoliciesFor(Ipv4Address local) const;
    /** The proposals offered on @p local: those of PoliciesFor, in order, without repeats. */
    std::vector<IosIkev2Proposal> ProposalsFor(Ipv4Address local) const;
    /** The profile for a peer presenting @p remote on @p local (responder): the first, by
     *  name, whose match identity remote and match address local accept it; nullptr. */
    const IosIkev2Profile* FindProfile(const IosIkev2Identity& remote, Ipv4Address local,
                                       const std::vector<IosInterface>& interfaces) const;
    /** The peer of keyring @p keyring for a peer at @p address: the one whose address and mask
     *  cover it with the longest mask; nullptr if none (or no such keyring). */
    const IosIkev2KeyringPeer* FindKeyringPeer(const std::string& keyring,
                                               Ipv4Address address) const;
    /** The peer of keyring @p keyring whose `identity` is @p id, or (fqdn) whose `hostname`
     *  is; nullptr if none. */
    const IosIkev2KeyringPeer* FindKeyringPeer(const std::string& keyring,
                                               const IosIkev2Identity& id) const;
    /** The two keys for a peer under profile @p profile, as IOS looks them up: the profile's
     *  `authentication local|remote pre-share key`, else the keyring peer matched by identity
     *  (responder, when @p id is given), else by address. Unset where none is found. */
    struct PreSharedKeys
    {
        std::optional<std::string> local;  //!< this router's AUTH payload
        std::optional<std::string> remote; //!< the peer's AUTH payload is checked with it
    };
    PreSharedKeys FindPreSharedKeys(const IosIkev2Profile& profile, Ipv4Address peer,
                                    const std::optional<IosIkev2Identity>& id = {}) const;
    /** Any IKEv2 configuration at all (a block or a global setting, or a default disabled). */
    bool Configured() const;
};

/**
 * The IOS release family whose output a router prints: `show`, `clear` and `debug` text differ
 * between 12.4 (the chapter's era) and 15.x (what today's routers, labs and parsers see).
 */
enum class IosRelease : uint8_t
{
    IOS_15,   //!< 15.x and IOS-XE: `IPv4 Crypto ISAKMP SA`, `PFS (Y/N)`, `Status: ACTIVE(ACTIVE)`
    IOS_12_4, //!< 12.4: `dst src state conn-id slot status`, `Status: ACTIVE`
};

/** The release family of an IOS version string ("12.4", "12.2(15)T", "15.1", "17.3"):
 *  12.x gives IOS_12_4, 15 and later IOS_15; nullopt for anything else. */
std::optional<IosRelease> IosReleaseOfVersion(const std::string& version);
/** "12.4" or "15" (the words a scenario's "ios" key takes). */
std::string ToString(IosRelease release);

/** The suites an IOS 15.x router offers and accepts when no `crypto isakmp policy` is
 *  configured (`show crypto isakmp default policy`): priorities 65507 to 65514, AES-128 with
 *  group 5 before 3DES with group 2, SHA before MD5, rsa-sig before pre-share. 12.4 has
 *  instead the one default suite it always tries last (IkePolicy::IosDefault). */
const std::map<uint32_t, IosIsakmpPolicy>& IosDefaultIsakmpPolicies();

struct IosRouterConfig
{
    std::string hostname = "Router";
    std::string version; //!< `version 12.4` as a pasted running configuration has it; "" if none
    /** Whose output the router prints: from `version`, else 15.x; a scenario's "ios" key
     *  overrides both. */
    IosRelease release = IosRelease::IOS_15;
    std::vector<IosInterface> interfaces; //!< in order of appearance
    std::map<std::string, IosAccessList> accessLists;
    std::map<std::string, IpsecTransformSet> transformSets;
    std::vector<IosCryptoMapEntry> cryptoMaps;       //!< sorted by map name, then seq
    std::vector<IosCryptoMapEntry> dynamicMaps;      //!< sorted by name, then seq
    std::map<std::string, std::string> localAddress; //!< crypto map name -> interface name
    uint32_t lifetimeSeconds = 3600; //!< `crypto ipsec security-association lifetime seconds`
    uint64_t lifetimeKilobytes = 4608000;
    std::vector<IosRoute> routes;
    bool ipCef = false;
    std::vector<IosStaticNat> staticNat; //!< `ip nat inside source static`, in order
    std::map<std::string, IosIpsecProfile> ipsecProfiles; //!< `crypto ipsec profile`, by name
    std::vector<IosRoutingProcess> routingProcesses;      //!< `router ospf|eigrp`, in order
    bool defaultTransformSet = true; //!< `no crypto ipsec transform-set default`: false
    bool defaultIpsecProfile = true; //!< `no crypto ipsec profile default`: false

    // IKE
    std::map<uint32_t, IosIsakmpPolicy> isakmpPolicies; //!< by priority
    std::vector<IosIsakmpKey> isakmpKeys;               //!< in order of appearance
    bool isakmpEnabled = true;                          //!< `no crypto isakmp enable`: IKE off
    IosIsakmpIdentity isakmpIdentity = IosIsakmpIdentity::ADDRESS;
    std::optional<IosIsakmpKeepalive> isakmpKeepalive; //!< DPD; unset: off
    std::optional<uint32_t> natKeepaliveSeconds;       //!< `crypto isakmp nat keepalive S`
    bool natTransparency = true; //!< `no crypto ipsec nat-transparency udp-encapsulation`: false
    bool invalidSpiRecovery = false;     //!< `crypto isakmp invalid-spi-recovery`
    bool aggressiveModeDisabled = false; //!< `crypto isakmp aggressive-mode disable`

    // Keyrings, ISAKMP profiles and the IPsec settings of 12.3(14)T and later
    std::map<std::string, IosKeyring> keyrings;
    std::map<std::string, IosIsakmpProfile> isakmpProfiles;
    IosSaOptions saOptions;          //!< `crypto ipsec security-association idle-time|replay ...`
    IosDfBit dfBit = IosDfBit::COPY; //!< `crypto ipsec df-bit ...`

    // Host names (ios-config-hosts.cc)
    std::vector<IosHostEntry> hosts;        //!< `ip host`, in order of appearance
    bool domainLookup = true;               //!< `no ip domain-lookup`: names by `ip host` only
    std::string domainName;                 //!< `ip domain-name` / `ip domain name`
    std::vector<Ipv4Address> nameServers;   //!< `ip name-server` (the scenario answers for them)
    std::vector<IosIsakmpPeer> isakmpPeers; //!< `crypto isakmp peer`, in order of appearance
    /** The name server's answers: not configuration text but the scenario's "hosts" table,
     *  filled in by the scenario (names lower case). */
    std::map<std::string, std::vector<Ipv4Address>> dns;
    IosPkiConfig pki;     //!< RSA keys, trustpoints, certificate chains, peers' public keys
    IosIkev2Config ikev2; //!< `crypto ikev2 ...` (FlexVPN), read and checked

    std::vector<IosLocation> notModelled; //!< accepted but without effect in the simulation
    std::vector<IosLocation> lines;       //!< every line read, for `show running-config`

    const IosInterface* FindInterface(const std::string& name) const; //!< abbreviations allowed
    /** The pre-shared key for @p peer: of the `address` keys whose address and mask cover it, the
     *  one with the longest mask (as IOS picks); nullptr if none. */
    const IosIsakmpKey* FindIsakmpKey(Ipv4Address peer) const;
    /** The pre-shared key given for host name @p name (case-insensitive); nullptr if none. */
    const IosIsakmpKey* FindIsakmpKeyByHostname(const std::string& hostname) const;
    /** The addresses host name @p name stands for, as IOS looks it up: the `ip host` table
     *  first, then (unless `no ip domain-lookup`) the name server, i.e. @c dns, for the name as
     *  given and, when it has no dot, with `ip domain-name` appended; empty if unknown. */
    std::vector<Ipv4Address> ResolveHost(const std::string& name) const;
    /** As ResolveHost, with the name server answering from @p server instead of @c dns. */
    std::vector<Ipv4Address> ResolveHost(
        const std::string& name,
        const std::map<std::string, std::vector<Ipv4Address>>& server) const;
    /** A peer as `set peer` gives it: the address, or the first address its name resolves to;
     *  nullopt for a name that does not resolve. */
    std::optional<Ipv4Address> ResolvePeer(const std::string& peer) const;
    /** `crypto isakmp key KEY hostname NAME` whose NAME resolves to @p peer (how IOS finds a
     *  host-name key in main mode, before the peer's identity arrives); nullptr if none. */
    const IosIsakmpKey* FindIsakmpKeyByResolvedHostname(Ipv4Address peer) const;
    /** This router's fully qualified name: its hostname, with `.DOMAIN` after `ip domain-name`
     *  (its phase-1 identity with `crypto isakmp identity hostname`). */
    std::string Fqdn() const;
    /** The `crypto isakmp peer` block for @p peer (by address, or by a host name that resolves
     *  to it); nullptr if none. */
    const IosIsakmpPeer* FindIsakmpPeer(Ipv4Address peer) const;
};

/** The error IOS gives for a host name it cannot resolve (`set peer NAME` and the like), at
 *  @p column of @p where; @p domainLookup: whether a name server was asked. */
IosConfigError IosUnresolvedHostError(const IosLocation& where, size_t column,
                                      const std::string& name, bool domainLookup);

/** An extended access list line as IOS shows it: "permit udp 10.1.0.0 0.0.255.255 any eq 500"
 *  (ports by name where IOS names them). */
std::string IosAclLineText(bool permit, const IpsecTrafficSelector& selector);

/**
 * @brief Reads IOS configuration text (the global, interface, crypto-map and transform-set modes
 * of `show running-config`). Keywords may be abbreviated as IOS allows; an ambiguous or wrong word
 * is an IosConfigError at its column.
 */
class IosConfigReader
{
public:
    /** @throws IosConfigError */
    static IosRouterConfig Parse(const std::string& text, const std::string& fileName = "<config>");
    /** As Parse, and sets @p endMode to the mode the text ends in as the IOS prompt names it:
     *  "config", "config-if", "config-crypto-map", "cfg-crypto-trans", "config-ext-nacl",
     *  "config-std-nacl" or "config-isakmp". @throws IosConfigError */
    static IosRouterConfig Parse(const std::string& text, const std::string& fileName,
                                 std::string& endMode);
    /** @throws IosConfigError, or std::runtime_error if the file cannot be read */
    static IosRouterConfig ParseFile(const std::string& path);
    /** Canonical interface name for an abbreviation ("s0" -> "Serial0", "fa0/1" ->
     *  "FastEthernet0/1", "lo0" -> "Loopback0"); empty if the type is unknown. */
    static std::string CanonicalInterfaceName(const std::string& word);

private:
    /** One reading of a text: the mode it is in and what it has read (ios-config-reader.h). */
    class Session;
};

} // namespace ns3

#endif
