// What a line of configuration text is before it is read as a command: people keep their router
// configurations as pasted terminal sessions (`show running-config` with its heading, prompts,
// `copy run start` and its questions) and as configuration-mode scripts (`enable`, `conf t`,
// `exit`, `end`, `wr mem`). This file tells the configuration in them from the rest.
#include "ios-config-reader.h"

#include <regex>

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
        "--More--",
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
    for (const auto& p : prefixes)
    {
        if (text.compare(0, p.size(), p) == 0)
        {
            return true;
        }
    }
    static const std::regex usingBytes(R"(^Using [0-9]+ out of [0-9]+ bytes)");
    // A time-stamped log message: "*Mar  1 00:01:02.123: %SYS-5-CONFIG_I: Configured ...".
    static const std::regex logMessage(
        R"(^[*.]?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]+ [0-9:.]+.*: %)");
    return std::regex_search(text, usingBytes) || std::regex_search(text, logMessage);
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
ReadPastedLine(const std::string& text)
{
    PastedLine p;
    p.text = text;
    if (IsRouterOutput(text))
    {
        p.kind = PastedLine::Kind::SKIP;
        return p;
    }
    // A prompt: "R1#", "R1>", "R1(config)#", "R1(config-if)#" (then maybe a command).
    static const std::regex prompt(R"(^([A-Za-z0-9][A-Za-z0-9._-]*)(\(([A-Za-z0-9-]+)\))?[#>])");
    std::smatch m;
    if (std::regex_search(text, m, prompt))
    {
        const size_t at = text.find_first_not_of(" \t", m.length(0));
        const std::string command = at == std::string::npos ? "" : text.substr(at);
        if (!m[2].matched)
        {
            p.kind = PastedLine::Kind::LEAVE; // an EXEC prompt: out of configuration mode
            return p;
        }
        const bool subMode = IosLower(m[3].str()) != "config";
        p.prompt = subMode ? PastedLine::Prompt::SUB_MODE : PastedLine::Prompt::GLOBAL;
        if (command.empty())
        {
            p.kind = subMode ? PastedLine::Kind::SKIP : PastedLine::Kind::LEAVE;
            return p;
        }
        // A sub-mode's prompt says the command belongs to the block above it: indent it.
        p.text = (subMode ? " " : "") + command;
        p.shift = static_cast<long>(at) - (subMode ? 1 : 0);
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
