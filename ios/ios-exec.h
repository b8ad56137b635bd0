// EXEC-mode commands of a simulated router (`show ...`, `clear crypto sa ...`), parsed with the
// same abbreviation rules as the configuration (`sh cry ipsec sa`).
#ifndef IPSEC_IOS_EXEC_H
#define IPSEC_IOS_EXEC_H

#include "ns3/ios-config.h"

#include <string>
#include <vector>

namespace ns3
{

struct IosExecCommand
{
    enum class Kind : uint8_t
    {
        SHOW_CRYPTO_IPSEC_SA, //!< show crypto ipsec sa [map M|address|identity|peer A|interface I]
                              //!< [detail]
        SHOW_CRYPTO_MAP,      //!< show crypto map [interface I|tag M]
        SHOW_CRYPTO_TRANSFORM_SET, //!< show crypto ipsec transform-set [tag NAME]
        SHOW_CRYPTO_DYNAMIC_MAP,   //!< show crypto dynamic-map [tag M]
        SHOW_CRYPTO_SA_LIFETIME,   //!< show crypto ipsec security-association lifetime
        SHOW_ACCESS_LISTS,         //!< show access-lists [NAME]   (also `show ip access-lists`)
        SHOW_RUNNING_CONFIG,       //!< show running-config
        CLEAR_CRYPTO_SA,           //!< clear crypto sa [peer A|map M|entry DEST PROTO SPI]
        SHOW_CRYPTO_ISAKMP_POLICY, //!< show crypto isakmp policy
        SHOW_CRYPTO_ISAKMP_SA,     //!< show crypto isakmp sa [detail]
        SHOW_CRYPTO_SESSION,       //!< show crypto session [brief|detail]  (filter "brief")
        CLEAR_CRYPTO_ISAKMP,       //!< clear crypto isakmp [CONN-ID]  (args: the id, decimal)
        SHOW_CRYPTO_ENGINE_CONFIGURATION, //!< show crypto engine configuration
        SHOW_CRYPTO_ENGINE_CONNECTIONS,   //!< show crypto engine connections active
        SHOW_PROCESSES_CPU,               //!< show processes cpu
        SHOW_IP_ROUTE,                    //!< show ip route
        SHOW_CRYPTO_ISAKMP_PROFILE,       //!< show crypto isakmp profile
        SHOW_HOSTS,                       //!< show hosts
        SHOW_CRYPTO_PKI_CERTIFICATES,     //!< show crypto pki|ca certificates [TRUSTPOINT]
        SHOW_CRYPTO_PKI_TRUSTPOINTS,      //!< show crypto pki|ca trustpoints [TRUSTPOINT]
        SHOW_CRYPTO_KEY_MYPUBKEY_RSA,     //!< show crypto key mypubkey rsa [LABEL]
        CRYPTO_KEY_GENERATE_RSA, //!< crypto key generate rsa [general-keys|usage-keys] [label L]
                                 //!< [modulus N]  (args: label or "", modulus or "";
                                 //!< filter "usage-keys" when asked)
        CRYPTO_KEY_ZEROIZE_RSA,  //!< crypto key zeroize rsa [LABEL]
        CRYPTO_PKI_AUTHENTICATE, //!< crypto pki|ca authenticate TRUSTPOINT
        CRYPTO_PKI_ENROLL,       //!< crypto pki|ca enroll TRUSTPOINT
        SHOW_CRYPTO_KEY_PUBKEY_CHAIN_RSA, //!< show crypto key pubkey-chain rsa [address A |
                                          //!< name N]  (filter "address"/"name", args: A or N)
        SHOW_CRYPTO_IKEV2_PROPOSAL,       //!< show crypto ikev2 proposal [NAME]  (args: NAME)
        SHOW_CRYPTO_IKEV2_POLICY,         //!< show crypto ikev2 policy [NAME]
        SHOW_CRYPTO_IKEV2_PROFILE,        //!< show crypto ikev2 profile [NAME]
        CLEAR_CRYPTO_SESSION, //!< clear crypto session [remote A]  (filter "remote", args: A)
        SHOW_SIMULATION_CRYPTO_ENGINE, //!< show simulation crypto engine (the simulator's
                                       //!< own: engine queues, busy time, refusals)
        SHOW_CRYPTO_IKEV2_SA,          //!< show crypto ikev2 sa [local A|remote A|fvrf V] [detail]
        SHOW_CRYPTO_IKEV2_SESSION,     //!< show crypto ikev2 session [detail]
        CLEAR_CRYPTO_IKEV2_SA,         //!< clear crypto ikev2 sa [local A|remote A|fvrf V|N]
                               //!< (filter "local"/"remote"/"fvrf"/"tunnel", args: its value)
    };
    Kind kind = Kind::SHOW_RUNNING_CONFIG;
    /** The filter keyword in full ("map", "address", "identity", "peer", "interface", "tag",
     *  "entry"), empty when none. */
    std::string filter;
    std::vector<std::string> args; //!< the filter's arguments (interface names canonical)
    bool detail = false;
    std::string text; //!< the command as typed
};

class IosExecParser
{
public:
    /** @throws IosConfigError (file "<exec>", line 1) with the '^' at the bad word. */
    static IosExecCommand Parse(const std::string& line);
};

} // namespace ns3

#endif
