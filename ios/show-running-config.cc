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
    // What was read without effect, as comments a reader of this output (or of a configuration
    // pasted from it) skips.
    if (!config.notModelled.empty())
    {
        body << "!\n! " << config.notModelled.size()
             << " command(s) above are read but not modelled by the simulation:\n";
        for (const auto& l : config.notModelled)
        {
            const size_t start = l.text.find_first_not_of(" \t");
            body << "!   line " << l.line << ": "
                 << (start == std::string::npos ? l.text : l.text.substr(start)) << "\n";
        }
    }
    os << "Building configuration...\n\nCurrent configuration : " << body.str().size()
       << " bytes\n!\n"
       << body.str() << "end\n";
}

} // namespace ns3
