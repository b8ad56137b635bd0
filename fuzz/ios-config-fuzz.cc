// libFuzzer target: the IOS configuration reader and the EXEC command parser on arbitrary text.
// Every input either parses or raises IosConfigError (with the line and the '^' column inside
// the text); nothing else may escape.
#include "ns3/ios-config.h"
#include "ns3/ios-exec.h"

#include <cstdint>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try
    {
        IosConfigReader::Parse(text, "fuzz.cfg");
    }
    catch (const IosConfigError& e)
    {
        if (e.Where().line < 1 || e.Column() > e.Where().text.size() + 1)
        {
            __builtin_trap();
        }
    }
    const std::string firstLine = text.substr(0, text.find('\n'));
    try
    {
        IosExecParser::Parse(firstLine);
    }
    catch (const IosConfigError&)
    {
    }
    return 0;
}
