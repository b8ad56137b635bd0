// show access-lists [NAME]: the configured lists with their live match counters, as IOS 12.4 and
// 15.x both print them: `Extended IP access list 101`, each line with its sequence number and,
// once it matched, `(N matches)`; a standard list's deny padded to the width of permit
// (`deny   10.9.3.4`, as IOS aligns them).
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
            std::string text = acl.entries[i].text;
            if (!acl.extended && text.rfind("deny ", 0) == 0)
            {
                text.insert(4, "  ");
            }
            os << "    " << acl.entries[i].seq << " " << text;
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
