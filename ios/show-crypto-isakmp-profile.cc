// show crypto isakmp profile: each ISAKMP profile's identities, keepalive, identity presented
// and keyrings, laid out as IOS 12.4 prints them; 15.x routers print the same (no capture of a
// 15.x form that differs was found, doc/show-output.md).
#include "ios-router-state.h"

namespace ns3
{

void
ShowCryptoIsakmpProfile(std::ostream& os, const IosRouterConfig& config)
{
    for (const auto& [name, p] : config.isakmpProfiles)
    {
        os << "\nISAKMP PROFILE " << name << "\n";
        if (!p.description.empty())
        {
            os << "   Description: " << p.description << "\n";
        }
        os << "   Identities matched are:\n";
        for (const auto& m : p.matches)
        {
            if (m.host.empty())
            {
                os << "    ip-address " << m.address << " " << m.mask << "\n";
            }
            else
            {
                os << "    host " << m.host << "\n";
            }
        }
        os << "   Certificate maps matched are:\n";
        if (p.keepalive)
        {
            os << "   keepalive " << p.keepalive->seconds << " retry " << p.keepalive->retry
               << "\n";
        }
        const IosIsakmpIdentity id = p.selfIdentity.value_or(config.isakmpIdentity);
        os << "   Identity presented is: "
           << (id == IosIsakmpIdentity::HOSTNAME ? "fqdn" : "ip-address") << " \n";
        if (p.initiateAggressive)
        {
            os << "   initiate mode aggressive\n";
        }
        os << "   keyring(s): ";
        for (const auto& k : p.keyrings)
        {
            os << k << " ";
        }
        os << (p.keyrings.empty() ? "<none>" : "") << "\n   trustpoint(s): <all>\n";
    }
}

} // namespace ns3
