// `show crypto isakmp policy` as IOS 12.x prints it, from the configuration alone (no simulation
// state), and the IOS names of the ISAKMP policy values.
#ifndef IPSEC_IOS_ISAKMP_SHOW_H
#define IPSEC_IOS_ISAKMP_SHOW_H

#include "ns3/ios-config.h"

#include <string>

namespace ns3
{

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

} // namespace ns3

#endif
