// libFuzzer target: the router prompt (IosConsole::Command) over scenarios/ike-spec-example.
// Each input is a few command lines typed at R1 (show, clear, ping, debug, switch, configure
// terminal and any configuration lines, end, run). Simulated time a line may ask for is capped
// so that no input can hang the target: `run` over 2 s runs 2 s, a ping's repeat and timeout are
// at most 3 and 1 (the caps are applied by rewriting the line, after `do`); a line longer than
// 512 characters is cut. The console is remade at each input (at R1, EXEC mode) and the network
// rebuilt every 300 inputs or past 300 simulated seconds. The console answers every line;
// nothing may crash, hang or leak.
#include "fuzz-world.h"
#include "ns3/ios-console.h"

#include "ns3/simulator.h"

#include <cctype>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
constexpr uint64_t kReloadEvery = 300;
constexpr size_t kMaxLines = 24;
constexpr size_t kMaxLine = 512;

/** @return true if @p w is a non-empty prefix of @p keyword, ignoring case */
bool
Abbrev(const std::string& w, const std::string& keyword)
{
    if (w.empty() || w.size() > keyword.size())
    {
        return false;
    }
    for (size_t i = 0; i < w.size(); ++i)
    {
        if (std::tolower(static_cast<unsigned char>(w[i])) != keyword[i])
        {
            return false;
        }
    }
    return true;
}

/** Seconds the console would run for @p arg (as ParseDuration reads it), or -1 if not a time. */
double
Seconds(const std::string& arg)
{
    size_t used = 0;
    double v = 0;
    try
    {
        v = std::stod(arg, &used);
    }
    catch (const std::exception&)
    {
        return -1;
    }
    std::string unit = arg.substr(used);
    for (auto& c : unit)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (unit == "min")
    {
        return 60 * v;
    }
    if (unit == "ms")
    {
        return v / 1000;
    }
    return unit.empty() || unit == "s" ? v : -1;
}

/** @return @p line with the simulated time it asks for capped */
std::string
Cap(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> w;
    for (std::string x; in >> x;)
    {
        w.push_back(x);
    }
    size_t k = 0;
    while (k < w.size() && Abbrev(w[k], "do") && w[k].size() >= 2)
    {
        ++k; // `do run 9999` in configuration mode
    }
    if (k >= w.size())
    {
        return line;
    }
    if (Abbrev(w[k], "run"))
    {
        const double s = k + 1 < w.size() ? Seconds(w[k + 1]) : 1; // the console reads w[1]
        return s == -1 || s <= 2 ? line : "run 2";
    }
    if (Abbrev(w[k], "ping") && w[k].size() >= 2)
    {
        // Rewrite the values of repeat and timeout (keyword positions k+2, k+4, ...).
        for (size_t i = k + 2; i + 1 < w.size(); i += 2)
        {
            if (Abbrev(w[i], "repeat"))
            {
                w[i + 1] = "3";
            }
            else if (Abbrev(w[i], "timeout"))
            {
                w[i + 1] = "1";
            }
        }
        std::string out;
        for (const auto& x : w)
        {
            out += (out.empty() ? "" : " ") + x;
        }
        return out;
    }
    return line;
}

struct State
{
    fuzz::World world{"ike-spec-example"};
    uint64_t inputs = 0;
};
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static State* st = new State;
    if (++st->inputs % kReloadEvery == 0 || Simulator::Now() > ns3::Seconds(300))
    {
        st->world.Reload();
    }
    std::istringstream in;
    std::ostringstream out;
    IosConsole console(st->world.Runner(), in, out, false);
    std::istringstream text(std::string(reinterpret_cast<const char*>(data), size));
    size_t n = 0;
    for (std::string line; std::getline(text, line) && n < kMaxLines; ++n)
    {
        if (line.size() > kMaxLine)
        {
            line.resize(kMaxLine);
        }
        if (!console.Command(Cap(line)))
        {
            break; // exit / quit
        }
    }
    return 0;
}
