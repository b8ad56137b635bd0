// show access-lists [NAME]: the configured lists with their live match counters.
#include "ios-router-state.h"

#include <sstream>

namespace ns3
{

void
ShowAccessLists(std::ostream& os, const IosExecCommand& cmd, const IosRouterConfig& config,
                const IosRouterState& state)
{
    for (const auto& [name, acl] : config.accessLists)
    {
        if (!cmd.args.empty() && cmd.args[0] != name)
        {
            continue;
        }
        os << (acl.extended ? "Extended" : "Standard") << " IP access list " << name << "\n";
        Ptr<IpsecAccessList> live = state.acls.at(name);
        for (size_t i = 0; i < acl.entries.size(); ++i)
        {
            os << "    " << acl.entries[i].seq << " " << acl.entries[i].text;
            uint64_t m = live->GetMatches(i);
            if (m)
            {
                os << " (" << m << " match" << (m == 1 ? "" : "es") << ")";
            }
            os << "\n";
        }
    }
}

} // namespace ns3
