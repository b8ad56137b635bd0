// The inside of IosConfigReader, shared by the files that read one configuration mode each
// (ios-config-reader.cc: the global level, the dispatch to the modes and the final checks;
// ios-config-interface.cc, -acl.cc, -isakmp.cc, -crypto-map.cc), the tables of words they
// know (ios-config-tables.cc) and what in a pasted session or script is not configuration
// (ios-config-paste.cc). Not for use outside ios/.
#ifndef IPSEC_IOS_CONFIG_READER_H
#define IPSEC_IOS_CONFIG_READER_H

#include "ns3/ios-config.h"
#include "ns3/ios-keywords.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace ns3
{
namespace ios_config
{

using Words = std::vector<std::string>;

/** Global commands we read but do not model, each followed by anything. */
extern const Words kGlobalNotModelled;
/** Sub-commands of the not-modelled blocks that we also accept without indentation. */
extern const Words kLineWords;
extern const Words kRouterWords;
/** Sub-commands of the IKE blocks we do not model (`crypto isakmp profile`, `... client
 *  configuration group`, `... peer`, `crypto keyring`), accepted without indentation too. */
extern const Words kIsakmpBlockWords;
/** Sub-commands of the certificate and RSA-key blocks (`crypto ca ...`, `crypto pki ...`,
 *  `crypto key pubkey-chain rsa`). */
extern const Words kPkiWords;
extern const Words kClassWords;
extern const Words kKeyWords;
extern const Words kNoWords;
/** `ip ...` global commands we read but do not model. */
extern const Words kIpNotModelled;
/** Interface sub-commands we read but do not model. */
extern const Words kIfNotModelled;
/** `ip ...` interface sub-commands we read but do not model. */
extern const Words kIfIpNotModelled;

Words Concat(Words a, const Words& b);

struct Protocol
{
    const char* name;
    uint8_t number;
};

extern const std::vector<Protocol> kProtocols;

struct Port
{
    const char* name;
    uint16_t number;
};

extern const std::vector<Port> kTcpPorts;
extern const std::vector<Port> kUdpPorts;

const std::vector<Port>& PortsOf(uint8_t protocol);
std::string ProtocolText(uint8_t p);
std::string PortValueText(uint8_t protocol, uint16_t port);
std::string PortText(uint8_t protocol, const IpsecPortMatch& m);
std::string AddrText(Ipv4Address a, uint32_t wildcard);
/** Contiguous network mask (ones then zeros). */
bool Contiguous(uint32_t mask);
int PrefixLength(uint32_t mask);
std::string Hex32(uint32_t v);

enum class AclKind : uint8_t
{
    STANDARD,
    EXTENDED,
    INVALID,
};

AclKind NumberedAclKind(uint64_t n);
bool AllDigits(const std::string& s);
extern const std::string kAclNumbers;

/** The keys of a crypto map entry, static (`crypto map`) or dynamic (`crypto dynamic-map`). */
struct EntryKey
{
    bool dynamic = false;
    std::string map;
    uint32_t seq = 0;

    bool operator<(const EntryKey& o) const
    {
        return std::tie(dynamic, map, seq) < std::tie(o.dynamic, o.map, o.seq);
    }
};

/** A name used on some line and checked once the whole configuration is known. */
struct Reference
{
    IosLocation where;
    size_t column = 0;
    std::string name;
};

const char* KindText(IosCryptoMapKind k);

/**
 * The words after `security-association` that set IosSaOptions: `idle-time N [default]`,
 * `replay window-size [N]`, `replay disable` (crypto map entries, IPsec profiles and the global
 * `crypto ipsec security-association`). @return false, with the cursor unmoved, when the next
 * word is none of them (lifetime, level: the caller's); throws IosConfigError when it is one of
 * them and the rest is wrong. With @p no the option returns to the default (unset).
 */
bool ReadSaOption(IosCursor& c, IosSaOptions& o, bool no);
/** After `lifetime`: `seconds N` or `kilobytes N` in IOS's ranges (global settings, crypto map
 *  entries and IPsec profiles alike). @p seconds and @p kilobytes get the value read; with
 *  @p no (the value then optional) the one named is reset. */
void ReadLifetime(IosCursor& c, bool no, std::optional<uint32_t>& seconds,
                  std::optional<uint64_t>& kilobytes);
/** One line of text as a pasted terminal session or a configuration script has it
 *  (ios-config-paste.cc). */
struct PastedLine
{
    enum class Kind : uint8_t
    {
        CONFIG, //!< a configuration command (or a comment, or blank): read it
        SKIP,   //!< router output or an EXEC command (`write memory`, `do ...`): no configuration
        LEAVE,  //!< a prompt outside configuration mode (`R1#`): any sub-mode ends
        END,    //!< `end`: back to the global level
    };
    enum class Prompt : uint8_t
    {
        NONE,
        GLOBAL,   //!< after `R1(config)#`
        SUB_MODE, //!< after `R1(config-if)#` and the like
    };
    Kind kind = Kind::CONFIG;
    Prompt prompt = Prompt::NONE;
    std::string text; //!< the command without its prompt (indented after a sub-mode's prompt)
    long shift = 0;   //!< column in the line as written = column in text + shift
};

PastedLine ReadPastedLine(const std::string& text);

/**
 * The `crypto` families read as not modelled, each with the sub-commands of its block, until
 * they are modelled: every other `crypto` command is read strictly. A family that becomes
 * modelled leaves this table (ios-config-tables.cc).
 */
struct CryptoNotModelled
{
    Words path; //!< the words after `crypto`
    const Words* blockWords;
};

extern const std::vector<CryptoNotModelled> kCryptoNotModelled;

extern const Words kOtherInterfaceTypes;

/** The global commands the reader models: a word close to one of them is a typing mistake. */
extern const Words kGlobalModelled;
/** The `ip` global commands the reader models. */
extern const Words kIpModelled;

/** The configuration mode the reader is in. */
enum class Mode : uint8_t
{
    GLOBAL,
    INTERFACE,
    CRYPTO_MAP,
    TRANSFORM,
    ACL,
    ISAKMP_POLICY,  //!< `crypto isakmp policy N`
    IPSEC_PROFILE,  //!< `crypto ipsec profile NAME`
    ROUTER,         //!< `router ospf N`, `router eigrp N`
    KEYRING,        //!< `crypto keyring NAME`
    ISAKMP_PROFILE, //!< `crypto isakmp profile NAME`
    ISAKMP_PEER,    //!< `crypto isakmp peer address A|hostname NAME`
    IGNORED,        //!< inside a block we do not model (line, router, crypto ca, ...)
    TRUSTPOINT,     //!< `crypto pki trustpoint NAME`, `crypto ca identity NAME`
    CERT_CHAIN,     //!< `crypto pki certificate chain NAME`
    PUBKEY_CHAIN,   //!< `crypto key pubkey-chain rsa`
    PUBKEY_KEY,     //!< `named-key N`, `addressed-key A`, a keyring's `rsa-pubkey ...`
    HEX_DATA,       //!< the hex lines of `certificate ...` or `key-string`, up to `quit`
    IKEV2_PROPOSAL, //!< `crypto ikev2 proposal NAME`
    IKEV2_POLICY,   //!< `crypto ikev2 policy NAME`
    IKEV2_KEYRING,  //!< `crypto ikev2 keyring NAME`
    IKEV2_PEER,     //!< `peer NAME` in an IKEv2 keyring
    IKEV2_PROFILE,  //!< `crypto ikev2 profile NAME`
};

} // namespace ios_config

/**
 * The IOS configuration parser. Every command handler reads all of its words before it changes
 * anything, so a line that fails in a sub-mode can be retried in global mode (IOS leaves a
 * sub-mode when a line is not one of its commands but is a global one).
 */
class IosConfigReader::Session
{
public:
    using Words = ios_config::Words;
    using EntryKey = ios_config::EntryKey;
    using Reference = ios_config::Reference;
    using Mode = ios_config::Mode;

    explicit Session(std::string file) : m_file(std::move(file))
    {
    }

    IosRouterConfig Run(const std::string& text);
    /** The configuration mode the text ends in, as IOS names it in the prompt ("config",
     *  "config-if", "config-crypto-map", ...). */
    std::string EndMode() const;

private:
    void Line(const IosLocation& raw);
    /** A configuration line (no prompt, no session command) in the current mode. */
    void ConfigLine(const IosLocation& loc);
    /** A line in a modelled sub-mode (interface, crypto map, ...), @p sub its reader. */
    void SubModeLine(const IosLocation& loc, bool indented,
                     void (IosConfigReader::Session::*sub)(IosCursor&));
    /** Out of a sub-mode (`end`, a prompt): "!" in the lines kept, as show running-config has. */
    void LeaveSubMode(const IosLocation& raw);
    /** @p strictUnknown: a command we do not know is an error (not a block we do not model). */
    void Global(IosCursor& c, bool strictUnknown = false);
    /** The next word: one of @p known (its index), or a command we do not know (nullopt; the line
     *  is listed as not modelled with its block), or a typing mistake for one of @p modelled. */
    std::optional<size_t> KnownWord(IosCursor& c, const Words& known, const Words& modelled,
                                    const std::string& hint);
    /** `interface X` of a type in kOtherInterfaceTypes: read as not modelled with its block.
     *  A type close to one the reader knows is a typing mistake (an error saying so). */
    bool OtherInterface(IosCursor& c);
    /** `crypto ...` of a family in kCryptoNotModelled: read as not modelled with its block. */
    bool CryptoFamilyNotModelled(IosCursor& c);
    void GlobalCommand(IosCursor& c, bool no);
    void GlobalIp(IosCursor& c, bool no);
    void GlobalCrypto(IosCursor& c, bool no);
    void CryptoIpsec(IosCursor& c, bool no);
    void CryptoIpsecLifetime(IosCursor& c, bool no);
    void CryptoIpsecTransformSet(IosCursor& c, bool no);
    void CryptoMap(IosCursor& c, bool no, bool dynamic);
    void Ike(IosCursor& c);
    void Isakmp(IosCursor& c, bool no);
    void IsakmpKey(IosCursor& c, bool no);
    void IsakmpPolicy(IosCursor& c, bool no);
    void IsakmpIdentity(IosCursor& c, bool no);
    void IsakmpKeepalive(IosCursor& c, bool no);
    void IsakmpNatKeepalive(IosCursor& c, bool no);
    void Banner(IosCursor& c, bool no);
    void Version(IosCursor& c, bool no);
    void NumberedAcl(IosCursor& c, bool no);
    void NamedAcl(IosCursor& c, bool no);
    void StaticNat(IosCursor& c, bool no);
    void Interface(IosCursor& c, bool no);
    void Route(IosCursor& c, bool no);

    void InterfaceMode(IosCursor& c);
    // The interface commands (ios-config-interface.cc), after `no` if given.
    void InterfaceTunnel(IosCursor& c, IosInterface& i, bool no);
    void InterfaceDescription(IosCursor& c, IosInterface& i, bool no);
    void InterfaceEncapsulation(IosCursor& c, IosInterface& i, bool no);
    void InterfaceCryptoMap(IosCursor& c, IosInterface& i, bool no);
    void InterfaceIp(IosCursor& c, IosInterface& i, bool no);
    void InterfaceAddress(IosCursor& c, IosInterface& i, bool no);
    void InterfaceAccessGroup(IosCursor& c, IosInterface& i, bool no);
    void InterfaceNat(IosCursor& c, IosInterface& i, bool no);
    void InterfaceArp(IosCursor& c, IosInterface& i, bool no);
    void InterfaceRouteCache(IosCursor& c, IosInterface& i, bool no);
    void CryptoMapMode(IosCursor& c);
    // The crypto map entry commands (ios-config-crypto-map.cc), after `no` if given.
    void CryptoMapDescription(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapMatch(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapSet(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapPeer(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapTransformSets(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapPfs(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapLifetime(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapSessionKey(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void TransformMode(IosCursor& c);
    void AclMode(IosCursor& c);
    void IsakmpPolicyMode(IosCursor& c);
    // IPsec profiles, tunnel protection and routing processes (ios-config-profile.cc).
    void CryptoIpsecProfile(IosCursor& c, bool no);
    void IpsecProfileMode(IosCursor& c);
    void IpsecProfileSet(IosCursor& c, IosIpsecProfile& p, bool no);
    void IpsecProfileSecurityAssociation(IosCursor& c, IosIpsecProfile& p, bool no);
    void InterfaceTunnelProtection(IosCursor& c, IosInterface& i, bool no);
    /** `router ospf|eigrp N` (@p protocol) entering its mode; @return false for other
     *  protocols (not modelled). */
    bool RouterProcess(IosCursor& c, bool no);
    void RouterMode(IosCursor& c);
    /** Checks at the end: the IPsec profiles tunnels name exist. */
    void CheckIpsecProfileReferences(std::vector<IosConfigError>& errors) const;
    /** IOS 15's built-in `crypto ipsec transform-set default` and `crypto ipsec profile
     *  default`, where the configuration uses them (ios-config-ipsec-defaults.cc). */
    void AddIpsecDefaults();

    // Keyrings, ISAKMP profiles, RRI, SA idle time and replay, DF bit (ios-config-keyring.cc).
    void Keyring(IosCursor& c, bool no);
    void KeyringMode(IosCursor& c);
    void KeyringPreSharedKey(IosCursor& c, IosKeyring& k, bool no);
    void IsakmpProfile(IosCursor& c, bool no);
    void IsakmpProfileMode(IosCursor& c);
    void IsakmpProfileMatch(IosCursor& c, IosIsakmpProfile& p, bool no);
    void IsakmpProfileKeepalive(IosCursor& c, IosIsakmpProfile& p, bool no);
    void CryptoMapSecurityAssociation(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapIsakmpProfile(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void CryptoMapReverseRoute(IosCursor& c, IosCryptoMapEntry& e, bool no);
    /** `crypto ipsec security-association idle-time|replay`: false when it is another one. */
    bool GlobalSaOption(IosCursor& c, bool no);
    void DfBit(IosCursor& c, std::optional<IosDfBit>& v, bool no);
    void InterfaceDfBit(IosCursor& c, IosInterface& i, bool no);
    // Certificates and RSA keys (ios-config-pki.cc).
    void CryptoPki(IosCursor& c, bool no, bool legacyCa);
    void CryptoKey(IosCursor& c, bool no);
    void CryptoKeyGenerate(IosCursor& c);
    void Trustpoint(IosCursor& c, bool no, bool legacy);
    void TrustpointMode(IosCursor& c);
    void TrustpointCommand(IosCursor& c, IosTrustpoint& t, const std::string& word, bool no);
    void TrustpointKeyAndRevocation(IosCursor& c, IosTrustpoint& t, const std::string& word,
                                    bool no);
    void CertificateChain(IosCursor& c, bool no);
    void CertChainMode(IosCursor& c);
    void PubkeyChainMode(IosCursor& c);
    /** `named-key N [usage]` / `addressed-key A [usage]` (pubkey chain) or `rsa-pubkey
     *  address A|name N [usage]` (keyring, @p keyring): a peer key entered for its sub-mode. */
    void PeerKeyEntry(IosCursor& c, bool no, bool named, IosKeyring* keyring);
    void PubkeyKeyMode(IosCursor& c);
    void HexDataLine(const IosLocation& loc);
    /** The hex of the block just closed by `quit`, checked and stored where it belongs. */
    void FinishHexData(IosCursor& c);
    IosPeerRsaKey* CurrentPeerKey();
    /** Keyrings and ISAKMP profiles named but not defined, in @p errors. */
    void CheckIsakmpProfileReferences(std::vector<IosConfigError>& errors) const;

    // IKEv2 (ios-config-ikev2.cc).
    void Ikev2(IosCursor& c, bool no);
    void Ikev2Limit(IosCursor& c, bool no);
    void Ikev2Dpd(IosCursor& c, bool no, std::optional<IosIkev2Dpd>& dpd);
    void Ikev2NatKeepalive(IosCursor& c, bool no, std::optional<uint32_t>& v);
    void Ikev2Proposal(IosCursor& c, bool no);
    void Ikev2ProposalMode(IosCursor& c);
    void Ikev2Policy(IosCursor& c, bool no);
    void Ikev2PolicyMode(IosCursor& c);
    void Ikev2Keyring(IosCursor& c, bool no);
    void Ikev2KeyringMode(IosCursor& c);
    void Ikev2KeyringPeer(IosCursor& c, bool no);
    void Ikev2PeerMode(IosCursor& c);
    void Ikev2PeerKey(IosCursor& c, IosIkev2KeyringPeer& p, bool no);
    void Ikev2Profile(IosCursor& c, bool no);
    void Ikev2ProfileMode(IosCursor& c);
    void Ikev2ProfileSetting(IosCursor& c, IosIkev2Profile& p, const std::string& word, bool no);
    void Ikev2ProfileMatch(IosCursor& c, IosIkev2Profile& p, bool no);
    void Ikev2ProfileMatchRemote(IosCursor& c, IosIkev2Profile& p, bool no);
    void Ikev2ProfileAuthentication(IosCursor& c, IosIkev2Profile& p, bool no);
    void CryptoMapIkev2Profile(IosCursor& c, IosCryptoMapEntry& e, bool no);
    void IpsecProfileIkev2Profile(IosCursor& c, IosIpsecProfile& p, bool no);
    /** Is the text's last line inside IKEv2 block @p name of @p mode (not yet left)? */
    bool Editing(Mode mode, const std::string& name) const;
    /** Proposals, policies and profiles complete (but the one still being configured), and
     *  the names they use defined. */
    void CheckIkev2(std::vector<IosConfigError>& errors) const;
    void CheckIkev2Profiles(std::vector<IosConfigError>& errors) const;

    // Host names and `crypto isakmp peer` (ios-config-hosts.cc).
    void IpHost(IosCursor& c, bool no);
    /** `ip domain-lookup`, `ip domain-name X`, `ip domain name X`, `ip domain lookup`. */
    void IpDomain(IosCursor& c, bool no, bool hyphenated);
    void IpNameServer(IosCursor& c, bool no);
    void IsakmpPeer(IosCursor& c, bool no);
    void IsakmpPeerMode(IosCursor& c);
    void IsakmpPeerSet(IosCursor& c, IosIsakmpPeer& p, bool no);

    /** permit|deny already read: the rest of an access-list line. */
    IosAclEntry AclEntry(IosCursor& c, bool permit, bool extended);
    /** `any`, `host A` or `A WILDCARD` (@p extended) / `A [WILDCARD]` (standard). */
    std::pair<Ipv4Address, uint32_t> AclAddress(IosCursor& c, bool extended,
                                                std::optional<size_t> keyword);
    IpsecPortMatch PortOp(IosCursor& c, size_t op, uint8_t protocol);
    uint16_t PortValue(IosCursor& c, uint8_t protocol);
    void AddAclEntry(const std::string& name, bool extended, IosAclEntry e, IosCursor& c,
                     size_t nameToken, std::optional<uint32_t> seq, size_t seqToken);

    void NotModelled(const IosLocation& loc, const Words* blockWords = &ios_config::kNoWords);
    void Enter(Mode m)
    {
        m_mode = m;
        m_entered = true;
        m_blockIndented = false;
    }
    IosCryptoMapEntry* FindEntry(const EntryKey& k);
    IosInterface* CurrentInterface();

    std::string m_file;
    IosRouterConfig m_cfg;
    Mode m_mode = Mode::GLOBAL;
    bool m_entered = false;
    const Words* m_blockWords = &ios_config::kNoWords;
    bool m_blockIndented = false; //!< the sub-mode's commands so far were indented
    bool m_strictUnknown = false; //!< see Global()

    std::string m_iface;
    EntryKey m_entry;
    std::string m_transform;
    std::string m_acl;
    uint32_t m_policy = 0;      //!< the ISAKMP policy being configured
    std::string m_ipsecProfile; //!< the IPsec profile being configured
    size_t m_router = 0;        //!< the routing process being configured (m_cfg.routingProcesses)
    std::string m_keyring;      //!< the keyring being configured
    std::string m_profile;      //!< the ISAKMP profile being configured
    size_t m_isakmpPeer = 0;    //!< the `crypto isakmp peer` being configured (index)
    std::string m_trustpoint;   //!< the trustpoint or certificate chain being configured
    bool m_peerKeyInKeyring = false;  //!< the peer key is a keyring's (m_keyring), not the chain's
    size_t m_peerKey = 0;             //!< its index in the keyring's or the chain's list
    bool m_hexForCertificate = false; //!< HEX_DATA: a certificate (else a key-string)
    IosChainCertificate m_hexCert;    //!< the certificate whose hex is being read
    std::string m_hex;                //!< the hex digits read so far
    IosLocation m_hexStart;           //!< the line that opened the hex block

    std::string m_ikev2Block; //!< the IKEv2 proposal, policy, keyring or profile being configured
    size_t m_ikev2Peer = 0;   //!< the keyring's peer being configured (index)
    /** The column of the name on each IKEv2 block's first line, by ("proposal"|"policy"|
     *  "profile", name). */
    std::map<std::pair<std::string, std::string>, size_t> m_ikev2Column;
    std::map<std::string, std::vector<Reference>> m_ikev2ProposalRef; //!< policy -> proposals
    std::map<std::string, Reference> m_ikev2KeyringRef; //!< profile -> `keyring local`

    bool m_inBanner = false;
    std::string m_bannerDelim;
    IosLocation m_bannerStart;
    size_t m_bannerColumn = 0;

    // Checked at the end, when every name is known.
    std::map<std::string, Reference> m_ifaceMapRef;            //!< interface -> `crypto map X`
    std::map<EntryKey, std::vector<Reference>> m_transformRef; //!< `set transform-set` names
    std::map<EntryKey, Reference> m_matchRef;                  //!< `match address` ACL
    std::map<EntryKey, Reference> m_profileRef;                //!< `set isakmp-profile`
    std::map<std::pair<std::string, std::string>, Reference> m_keyringRef; //!< profile, keyring
    std::set<std::string> m_explicitEncap;
    std::map<std::string, Reference> m_protectionRef; //!< interface -> `tunnel protection` profile
};

} // namespace ns3

#endif
