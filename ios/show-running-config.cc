// show running-config: the configuration text as read, with IOS's heading and `version` line.
#include "ios-router-state.h"

#include <sstream>

namespace ns3
{

namespace
{
/** A line IOS would not count as configuration: empty, `!` or a `!` comment. */
bool
IsCommentLine(const std::string& text)
{
    const size_t start = text.find_first_not_of(" \t");
    return start == std::string::npos || text[start] == '!';
}

/** The version a router of @p release names when its configuration names none: 12.4, or 15.4
 *  (the 15.x release of the IOSv images lab students run). */
std::string
VersionOf(const IosRouterConfig& config)
{
    if (!config.version.empty())
    {
        return config.version;
    }
    return config.release == IosRelease::IOS_12_4 ? "12.4" : "15.4";
}
} // namespace

void
ShowRunningConfig(std::ostream& os, const IosRouterConfig& config)
{
    std::ostringstream body;
    // The `version` line comes first, as IOS prints it, after any leading comments; a
    // configuration that names no version gets the router's release.
    bool versionDone = !config.version.empty();
    for (const auto& l : config.lines)
    {
        // `end` is printed once, at the end; IOS keeps no empty lines (a pasted session leaves
        // some where its heading and prompts were).
        if (l.text == "end" || l.text.find_first_not_of(" \t\r") == std::string::npos)
        {
            continue;
        }
        if (!versionDone && !IsCommentLine(l.text))
        {
            body << "version " << VersionOf(config) << "\n!\n";
            versionDone = true;
        }
        body << l.text << "\n";
    }
    if (!versionDone)
    {
        body << "version " << VersionOf(config) << "\n!\n";
    }
    // What was read without effect, as comments a reader of this output (or of a configuration
    // pasted from it) skips: the simulator's own lines (doc/show-output.md).
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
    // IOS counts the configuration from the `!` under the heading to `end`.
    const std::string lines = body.str();
    const std::string text = (lines.rfind("!\n", 0) == 0 ? "" : "!\n") + lines + "end\n";
    os << "Building configuration...\n\nCurrent configuration : " << text.size() << " bytes\n"
       << text;
}

} // namespace ns3
