// libFuzzer target: the scenario loader on arbitrary text, with two small IOS configurations it
// may name (R1.cfg, R2.cfg). Every input loads or raises ScenarioError naming JSON Pointers;
// nothing else may escape.
#include "ns3/scenario.h"

#include <cstdint>
#include <optional>
#include <string>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto reader = [](const std::string& path) -> std::optional<std::string>
    {
        if (path.size() >= 6 && path.compare(path.size() - 6, 6, "R1.cfg") == 0)
        {
            return std::string("hostname R1\ninterface Serial0\n ip address 172.16.0.1 "
                               "255.255.255.252\ninterface Ethernet0\n ip address 10.0.0.1 "
                               "255.255.255.0\n");
        }
        if (path.size() >= 6 && path.compare(path.size() - 6, 6, "R2.cfg") == 0)
        {
            return std::string("hostname R2\ninterface Serial0\n ip address 172.16.0.2 "
                               "255.255.255.252\n");
        }
        return std::nullopt;
    };
    try
    {
        ScenarioLoader::LoadString(text, "fuzz.json", "", reader);
    }
    catch (const ScenarioError& e)
    {
        if (e.Issues().empty())
        {
            __builtin_trap(); // an error names at least one fault
        }
    }
    return 0;
}
