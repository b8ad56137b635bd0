// show running-config: the configuration text as read, with IOS's heading.
#include "ios-router-state.h"

#include <sstream>

namespace ns3
{

void
ShowRunningConfig(std::ostream& os, const IosRouterConfig& config)
{
    std::ostringstream body;
    for (const auto& l : config.lines)
    {
        if (l.text != "end") // printed once, at the end
        {
            body << l.text << "\n";
        }
    }
    os << "Building configuration...\n\nCurrent configuration : " << body.str().size()
       << " bytes\n!\n"
       << body.str() << "end\n";
}

} // namespace ns3
