// The IOS `show` text that does not need a running router: `show crypto isakmp policy` from the
// configuration alone, `show crypto engine` and `show processes cpu` from a router's crypto
// engines, and the IOS names of ISAKMP policy values and transforms. The show commands of a
// running router are IosRouter::Exec; all of them are written by the ios/show-*.cc files.
#ifndef IPSEC_IOS_SHOW_H
#define IPSEC_IOS_SHOW_H

#include "ns3/crypto-engine.h"
#include "ns3/ike-ipsec-debug.h"
#include "ns3/ike-sa.h"
#include "ns3/ios-config.h"
#include "ns3/ipsec-sa.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

struct Ikev2DebugMessage; // ikev2-daemon.h

/**
 * The text of `show crypto isakmp policy`: each configured protection suite in priority order,
 * then the default suite (DES, SHA, rsa-sig, group 1, 86400 s), e.g.
 *
 *     Protection suite of priority 10
 *             encryption algorithm:   Three key triple DES
 *             hash algorithm:         Secure Hash Standard
 *             authentication method:  Pre-Shared Key
 *             Diffie-Hellman group:   #2 (1024 bit)
 *             lifetime:               86400 seconds, no volume limit
 *     Default protection suite
 *             ...
 *
 * Every line ends with '\n'.
 */
std::string ShowCryptoIsakmpPolicy(const IosRouterConfig& config);
/** `show hosts`: the domain, how names are looked up, the `ip host` entries and the names the
 *  configuration uses that the name server answered (@p server: its answers now). */
std::string ShowHosts(const IosRouterConfig& config,
                      const std::map<std::string, std::vector<Ipv4Address>>& server);

/** The transforms of a configured set as the shows of transform sets and crypto maps print
 *  them, the same in 12.4 and 15.x: the configuration's words except AES-CBC's key size, which
 *  goes inside the name (`esp-aes 256` is shown `esp-256-aes`, `esp-aes 192` `esp-192-aes`;
 *  `esp-aes` and GCM's `esp-gcm 256` stay as written), e.g. "ah-sha-hmac esp-256-aes
 *  esp-sha-hmac" (show-crypto-map.cc). */
std::string IosTransformNames(const IpsecTransformSet& ts);

/** One suite as `show crypto isakmp policy` prints it; @p title is its first line ("Protection
 *  suite of priority 10" or "Default protection suite"). */
std::string ShowIsakmpProtectionSuite(const std::string& title, const IosIsakmpPolicy& policy);

/** The words IOS prints for each value ("Three key triple DES", "Message Digest 5", ...). */
std::string IosIsakmpEncryptionText(IosIsakmpEncryption e);
std::string IosIsakmpHashText(IosIsakmpHash h);
std::string IosIsakmpAuthenticationText(IosIsakmpAuthentication a);
std::string IosIsakmpGroupText(uint8_t group); //!< "#2 (1024 bit)"

/** The configuration keywords (`encryption aes 256` -> "aes 256", `hash sha` -> "sha",
 *  `authentication pre-share` -> "pre-share"), for `show running-config` and log lines. */
std::string IosIsakmpEncryptionKeyword(IosIsakmpEncryption e);
std::string IosIsakmpHashKeyword(IosIsakmpHash h);
std::string IosIsakmpAuthenticationKeyword(IosIsakmpAuthentication a);

/** The size of a Diffie-Hellman group's modulus in bits (768, 1024, 1536, 2048); 0 if unknown. */
uint32_t IosIsakmpGroupBits(uint8_t group);

/** The IOS transform names of a bundle from its SAs, AH then ESP then compression
 *  ("ah-sha-hmac esp-256-aes esp-sha-hmac comp-lzs"). */
std::string IosTransformOf(const std::vector<Ptr<IpsecSa>>& sas);
/** The transforms of one SA as IOS shows them on its `transform:` line: only its own protocol's
 *  ("ah-sha-hmac", "esp-256-aes esp-sha-hmac", "esp-gcm 256", "comp-lzs"). */
std::string IosSaTransform(const IpsecSaConfig& config);
/** An SPI as IOS prints it, hex without leading zeros then decimal: "0x1329AF48(321498952)". */
std::string IosSpiText(uint32_t spi);

/**
 * `debug crypto ipsec`: one key-engine message as IOS logs it, several lines without the final
 * '\n', e.g.
 *
 *     IPSEC(validate_proposal_request): proposal part #1,
 *       (key eng. msg.) INBOUND local= 192.168.1.2, remote= 192.168.1.1,
 *         local_proxy= 10.2.2.0/255.255.255.0/0/0 (type=4),
 *         remote_proxy= 10.0.0.0/255.255.255.0/0/0 (type=4),
 *         protocol= ESP, transform= esp-3des esp-md5-hmac  (Tunnel),
 *         lifedur= 3600s and 4608000kb,
 *         spi= 0x0(0), conn_id= 0, keysize= 0, flags= 0x2
 */
std::string IosDebugCryptoIpsec(const IkeIpsecDebugEvent& event,
                                IosRelease release = IosRelease::IOS_15);
/** One debug line and when IOS logs it: at the exchange's start or at its end. */
struct IosDebugLine
{
    bool atStart = false;
    std::string text; //!< without timestamp or final '\n'
};
/**
 * `debug crypto isakmp`: the lines IOS logs for one finished exchange, in @p release's form
 * ("ISAKMP:(1001):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE" in IOS 15, "ISAKMP
 * (0:1): ..." in 12.4) (debug-crypto-isakmp.cc).
 */
std::vector<IosDebugLine> IosDebugCryptoIsakmp(const IkeExchangeRecord& exchange,
                                               IosRelease release);
/**
 * `debug crypto ikev2`: one IKEv2 message as IOS 15 logs it, one string per line, e.g.
 *
 *     IKEv2:(SA ID = 1):Sending Packet [To 10.0.0.2:500/From 10.0.0.1:500/VRF i0:f0]
 *     Initiator SPI : 6A1F0C0E2B3D4F50 - Responder SPI : 0000000000000000 Message id: 0
 *     IKEv2 IKE_SA_INIT Exchange REQUEST
 *     Payload contents:
 *      SA KE N NOTIFY(NAT_DETECTION_SOURCE_IP) NOTIFY(NAT_DETECTION_DESTINATION_IP)
 *
 * (debug-crypto-ikev2.cc).
 */
std::vector<std::string> IosDebugCryptoIkev2(const Ikev2DebugMessage& message);
/** `debug crypto ikev2`: what IOS logs when an IKEv2 exchange ends (an SA made, an exchange
 *  given up), from its record; none for an exchange whose messages say it all. */
std::vector<std::string> IosDebugCryptoIkev2Exchange(const IkeExchangeRecord& exchange);
/** Whether @p exchange is an IKEv2 exchange's record (IKE_SA_INIT, IKE_AUTH, ...), which
 *  `debug crypto isakmp` does not print. */
bool IosIsIkev2Exchange(const IkeExchangeRecord& exchange);
/** `debug crypto ipsec`: "IPSEC(create_sa): sa created, (sa) sa_dest= ..., sa_proto= 50,
 *  sa_spi= 0x...(...), sa_trans= ..., sa_conn_id= 2001" for an SA just installed (15.x adds
 *  its lifetime: "sa_lifetime(k/sec)= (4608000/3600)"). */
std::string IosDebugCreateSa(Ptr<IpsecSa> sa, IosRelease release = IosRelease::IOS_15);

/** `show crypto engine configuration` as IOS prints it: the name, type, state and slot of the
 *  software engine and of each card. */
std::string ShowCryptoEngineConfiguration(const IpsecEngineSet& engines,
                                          IosRelease release = IosRelease::IOS_15);
/** Where show crypto engine connections active finds what the engines do not hold: an
 *  IPsec SA's interface, an IKE SA's algorithms ("SHA+3DES"), a sequence number. */
struct IosEngineConnectionInfo
{
    std::string interface; //!< short name, "Fa0/0"
    std::string algorithm; //!< overrides the engine's own (IKE SAs)
    uint32_t lastSeq = 0;  //!< LastSeqN (15.x)
    std::string address;   //!< overrides the engine's label (the local address)
};
/** `show crypto engine connections active`: one row per IKE SA and per IPsec SA, with IOS's
 *  columns for @p release; @p info adds what the router knows of each connection id. */
std::string ShowCryptoEngineConnectionsActive(
    const IpsecEngineSet& engines, IosRelease release = IosRelease::IOS_15,
    const std::map<uint32_t, IosEngineConnectionInfo>& info = {});
/**
 * `show processes cpu` as IOS begins it: "CPU utilization for five seconds: 37%/37%; one
 * minute: 12%; five minutes: 3%" (all work of the model is interrupt-level switching and
 * crypto, so both five-second figures agree).
 */
std::string ShowProcessesCpu(const IpsecEngineSet& engines);
/**
 * `show simulation crypto engine` (the simulator's own, no IOS has it): per engine its
 * platform, queue, busy percentages, operations done and refused, tunnels of each card, and
 * the refusals of the hardware model.
 */
std::string ShowSimulationCryptoEngine(const IpsecEngineSet& engines);

} // namespace ns3

#endif
