// What a line of configuration text is before it is read as a command: people keep their router
// configurations as pasted terminal sessions (`show running-config` with its heading, prompts,
// `copy run start` and its questions) and as configuration-mode scripts (`enable`, `conf t`,
// `exit`, `end`, `wr mem`). This file tells the configuration in them from the rest.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>

namespace ns3
{
namespace ios_config
{

namespace
{
/** Lines the router prints (not commands): headings of `show running-config`, the questions and
 *  answers of `copy` and `write`, log messages and errors. */
bool
IsRouterOutput(const std::string& text)
{
    static const std::vector<std::string> prefixes = {
        "Building configuration",
        "Current configuration",
        "Destination filename",
        "Overwrite the previous NVRAM configuration",
        "Enter configuration commands",
        "Configuring from terminal",
        "Compressed configuration from",
        "Copy in progress",
        "Password:",
        "Load for ",
        "Time source is",
        "Translating \"",
        "Proceed with reload",
        // The second line of "% NOTE: This new crypto map will remain disabled until a peer"
        // (printed on entering a new crypto map entry in a configuration session).
        "and a valid access list have been configured",
    };
    if (text.empty())
    {
        return false;
    }
    // IOS messages ("% Invalid input ...", "%SYS-5-CONFIG_I: ...") and bracketed answers
    // ("[OK]", "[confirm]", "[startup-config]?"): no command starts with either character.
    if (text[0] == '%' || text[0] == '[')
    {
        return true;
    }
    // Indented too: the note's second line is aligned under its first.
    const size_t lead = std::min(text.find_first_not_of(" \t"), text.size());
    for (const auto& p : prefixes)
    {
        if (text.compare(lead, p.size(), p) == 0)
        {
            return true;
        }
    }
    const std::vector<IosToken> t = IosTokenize(text);
    // "Using 3336 out of 32768 bytes" (after `write memory` and at the end of some captures).
    if (t.size() >= 6 && t[0].text == "Using" && AllDigits(t[1].text) && t[2].text == "out" &&
        t[3].text == "of" && AllDigits(t[4].text) && t[5].text.rfind("bytes", 0) == 0)
    {
        return true;
    }
    // A time-stamped log message: "*Mar  1 00:01:02.123: %SYS-5-CONFIG_I: Configured ...".
    static const std::vector<std::string> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (t.size() >= 4)
    {
        const std::string month = t[0].text.substr(t[0].text[0] == '*' || t[0].text[0] == '.');
        return std::find(months.begin(), months.end(), month) != months.end() &&
               AllDigits(t[1].text) && text.find(": %") != std::string::npos;
    }
    return false;
}

/** The length of a prompt at the start of @p text ("R1#", "R1(config-if)#", "R1>"), 0 if
 *  there is none; @p mode gets what is in the parentheses ("config-if"), empty if none. */
size_t
PromptLength(const std::string& text, std::string& mode)
{
    auto nameChar = [](char ch)
    { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-'; };
    if (text.empty() || !std::isalnum(static_cast<unsigned char>(text[0])))
    {
        return 0;
    }
    size_t i = 1;
    while (i < text.size() && nameChar(text[i]))
    {
        ++i;
    }
    mode.clear();
    if (i < text.size() && text[i] == '(')
    {
        const size_t close = text.find(')', i);
        if (close == std::string::npos || close == i + 1)
        {
            return 0;
        }
        mode = text.substr(i + 1, close - i - 1);
        auto modeChar = [](char ch)
        { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-'; };
        if (!std::all_of(mode.begin(), mode.end(), modeChar))
        {
            return 0;
        }
        i = close + 1;
    }
    return i < text.size() && (text[i] == '#' || text[i] == '>') ? i + 1 : 0;
}

bool
Is(const std::string& typed, const char* keyword, size_t minChars)
{
    return IosWordMatches(typed, keyword, minChars);
}

bool
IsKeywordOf(const std::string& typed, const Words& keywords)
{
    return IosMatchKeyword(typed, keywords).result == IosKeywordMatch::Result::UNIQUE;
}

/** EXEC commands that people type between configuration commands and keep in their scripts:
 *  they change no configuration. */
bool
IsSessionCommand(const std::vector<IosToken>& t)
{
    const std::string& w = t[0].text;
    const size_t n = t.size();
    const bool number = n == 2 && AllDigits(t[1].text);
    if ((Is(w, "enable", 2) && (n == 1 || number)) || (Is(w, "disable", 4) && n == 1))
    {
        return true; // `enable secret ...` and `enable password ...` are configuration
    }
    if (Is(w, "configure", 4) &&
        (n == 1 || IsKeywordOf(t[1].text, {"terminal", "memory", "network", "overwrite-network",
                                           "replace", "confirm", "revert"})))
    {
        return true;
    }
    if (Is(w, "write", 2) &&
        (n == 1 || (n == 2 && IsKeywordOf(t[1].text, {"memory", "terminal", "network", "erase"}))))
    {
        return true;
    }
    if (n >= 2 &&
        (IosLower(w) == "do" || IosLower(w) == "sh" || Is(w, "copy", 3) || Is(w, "show", 3) ||
         Is(w, "terminal", 4) || Is(w, "debug", 3) || Is(w, "undebug", 5) || Is(w, "clear", 4) ||
         Is(w, "ping", 4) || Is(w, "traceroute", 5)))
    {
        return true;
    }
    return n == 1 && (Is(w, "reload", 6) || Is(w, "logout", 6));
}
} // namespace

PastedLine
ReadPastedLine(const std::string& line)
{
    PastedLine p;
    // A capture taken without `terminal length 0` has the pager's " --More-- " on some lines,
    // erased with backspaces; the line itself follows the last backspace.
    std::string text = line;
    if (const size_t more = line.find("--More--"); more != std::string::npos)
    {
        const size_t erased = line.find_last_of('\b');
        const size_t start = erased != std::string::npos && erased > more
                                 ? erased + 1
                                 : line.find_first_not_of(' ', more + 8);
        text = start == std::string::npos ? "" : line.substr(start);
        p.shift = static_cast<long>(line.size() - text.size());
    }
    p.text = text;
    if (IsRouterOutput(text))
    {
        p.kind = PastedLine::Kind::SKIP;
        return p;
    }
    // A prompt: "R1#", "R1>", "R1(config)#", "R1(config-if)#" (then maybe a command).
    std::string mode;
    if (const size_t length = PromptLength(text, mode))
    {
        const size_t at = text.find_first_not_of(" \t", length);
        const std::string command = at == std::string::npos ? "" : text.substr(at);
        if (mode.empty())
        {
            p.kind = PastedLine::Kind::LEAVE; // an EXEC prompt: out of configuration mode
            return p;
        }
        const bool subMode = IosLower(mode) != "config";
        p.prompt = subMode ? PastedLine::Prompt::SUB_MODE : PastedLine::Prompt::GLOBAL;
        if (command.empty())
        {
            p.kind = subMode ? PastedLine::Kind::SKIP : PastedLine::Kind::LEAVE;
            return p;
        }
        // A sub-mode's prompt says the command belongs to the block above it: indent it.
        p.text = (subMode ? " " : "") + command;
        p.shift += static_cast<long>(at) - (subMode ? 1 : 0);
    }
    const std::vector<IosToken> tokens = IosTokenize(p.text);
    if (tokens.empty())
    {
        return p;
    }
    if ((tokens.size() == 1 && IosLower(tokens[0].text) == "end") || tokens[0].text == "\x1a" ||
        tokens[0].text == "^Z")
    {
        p.kind = PastedLine::Kind::END;
    }
    else if (IsSessionCommand(tokens))
    {
        p.kind = PastedLine::Kind::SKIP;
    }
    return p;
}

} // namespace ios_config
} // namespace ns3
