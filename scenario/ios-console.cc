#include "ns3/ios-console.h"

#include "ns3/ike-daemon.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ios-config.h"
#include "ns3/ios-exec.h"
#include "ns3/ios-keywords.h"
#include "ns3/ios-router.h"
#include "ns3/ios-show.h"

#include "ns3/icmpv4.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <regex>
#include <sstream>

namespace ns3
{

namespace
{
std::vector<std::string>
Words(const std::string& line)
{
    std::istringstream is(line);
    std::vector<std::string> w;
    std::string x;
    while (is >> x)
    {
        w.push_back(x);
    }
    return w;
}

std::string
Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/** "*00:01:02.345" from simulated time, as IOS time-stamps debug lines (uptime). */
std::string
Stamp(Time t)
{
    const int64_t ms = t.GetMilliSeconds();
    char b[32];
    std::snprintf(b, sizeof(b), "*%02lld:%02lld:%02lld.%03lld", (long long)(ms / 3600000),
                  (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60),
                  (long long)(ms % 1000));
    return b;
}

/** "5", "2.5", "500ms", "10s": a duration; nothing when it is not one. */
std::optional<Time>
ParseDuration(const std::string& w)
{
    size_t used = 0;
    double v = 0;
    try
    {
        v = std::stod(w, &used);
    }
    catch (const std::exception&)
    {
        return std::nullopt;
    }
    const std::string unit = Lower(w.substr(used));
    // A Time (int64 nanoseconds) overflows past about 292 years: `run 1e30` ran forever. 1e8
    // minutes still fits.
    if (v < 0 || !std::isfinite(v) || v > 1e8)
    {
        return std::nullopt;
    }
    if (unit.empty() || unit == "s")
    {
        return Seconds(v);
    }
    if (unit == "ms")
    {
        return MilliSeconds(v);
    }
    if (unit == "min")
    {
        return Seconds(60 * v);
    }
    return std::nullopt;
}

/** An IOS error for a typed line: the '^' under the fault, then the message. */
std::string
Marker(const std::string& prompt, size_t column, const std::string& detail)
{
    return std::string(prompt.size() + column, ' ') + "^\n" + detail + "\n";
}
} // namespace

IosConsole::IosConsole(ScenarioRunner& runner, std::istream& in, std::ostream& out, bool echo)
    : m_runner(runner), m_in(in), m_out(out), m_echo(echo)
{
    const Scenario& s = runner.GetScenario();
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].IsRouter())
        {
            m_node = i;
            break;
        }
    }
    m_ikeSeen.assign(s.nodes.size(), 0);
    m_ipsecSeen.assign(s.nodes.size(), 0);
    m_ikev2Seen.assign(s.nodes.size(), 0);
    m_ikev2RecordsSeen.assign(s.nodes.size(), 0);
    m_sasSeen.resize(s.nodes.size());
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (Ptr<IosRouter> r = m_runner.GetRouter(i))
        {
            for (const auto& sa : r->GetProcessor()->GetSad()->GetAll())
            {
                std::ostringstream k;
                k << std::hex << sa->GetSpi();
                m_sasSeen[i].insert(k.str());
            }
        }
    }
}

std::string
IosConsole::RouterName() const
{
    return m_runner.GetRouter(m_node)->GetHostname();
}

std::string
IosConsole::Prompt() const
{
    switch (m_mode)
    {
    case Mode::CONFIG:
        return RouterName() + "(" + m_configMode + ")#";
    default:
        return RouterName() + "#";
    }
}

void
IosConsole::Loop()
{
    m_out << "Simulated time 0.000 s. Type help for the commands; run N advances the simulation "
             "N seconds.\n";
    std::string line;
    while (true)
    {
        m_out << Prompt() << std::flush;
        if (!std::getline(m_in, line))
        {
            m_out << "\n";
            break;
        }
        if (!line.empty() && line.back() == '\r')
        {
            line.pop_back();
        }
        if (m_echo)
        {
            m_out << line << "\n";
        }
        if (!Command(line))
        {
            break;
        }
    }
}

void
IosConsole::Help()
{
    m_out << "Commands at the router prompt:\n"
             "  show ... / clear crypto sa|isakmp ...   as on IOS (show crypto ipsec sa, show "
             "crypto isakmp sa,\n"
             "                                          show crypto engine configuration, show "
             "processes cpu,\n"
             "                                          show simulation crypto engine, ...)\n"
             "  crypto key generate rsa ..., crypto pki authenticate|enroll NAME   (doc/pki.md)\n"
             "  ping A.B.C.D [source IFACE|A.B.C.D] [repeat N] [size N] [timeout S]\n"
             "  debug crypto isakmp|ipsec|ikev2, undebug all, show debugging\n"
             "  configure terminal   then IOS configuration lines, applied to the running "
             "router; end\n"
             "                       (do COMMAND runs an EXEC command from configuration "
             "mode)\n"
             "  run [N]              advance the simulation N seconds (default 1; 500ms, 2min)\n"
             "  switch NAME          type at another router\n"
             "  time                 the simulated time\n"
             "  exit, quit           finish the run (outputs are written) and leave\n";
}

bool
IosConsole::Command(const std::string& line)
{
    std::vector<std::string> w = Words(line);
    if (w.empty() || w[0][0] == '!')
    {
        return true;
    }
    if (m_mode != Mode::EXEC)
    {
        return Configure(line);
    }
    const std::string& c = w[0];
    if (IosWordMatches(c, "exit", 3) || IosWordMatches(c, "quit", 1) ||
        IosWordMatches(c, "logout", 4))
    {
        return false;
    }
    if (c == "?" || IosWordMatches(c, "help", 1))
    {
        Help();
    }
    else if (IosWordMatches(c, "run", 2))
    {
        Run(w.size() > 1 ? w[1] : "1");
    }
    else if (IosWordMatches(c, "switch", 2))
    {
        if (w.size() != 2)
        {
            m_out << "% switch NAME: the router to type at\n";
        }
        else
        {
            Switch(w[1]);
        }
    }
    else if (IosWordMatches(c, "time", 2))
    {
        m_out << "Simulated time " << std::fixed << std::setprecision(3)
              << Simulator::Now().GetSeconds() << " s\n";
        m_out.unsetf(std::ios::fixed);
    }
    else if (IosWordMatches(c, "ping", 1))
    {
        Ping(w);
    }
    else if (IosWordMatches(c, "debug", 3) || IosWordMatches(c, "undebug", 2))
    {
        Debug(w, IosWordMatches(c, "debug", 3));
    }
    else if (IosWordMatches(c, "no", 2) && w.size() > 1 && IosWordMatches(w[1], "debug", 3))
    {
        w.erase(w.begin());
        Debug(w, false);
    }
    else if (IosWordMatches(c, "configure", 4))
    {
        if (w.size() > 1 && !IosWordMatches(w[1], "terminal", 1))
        {
            m_out << Marker(Prompt(), line.find(w[1]),
                            "% Invalid input detected at '^' marker. (expected terminal)");
        }
        else
        {
            m_out << "Enter configuration commands, one per line.  End with CNTL/Z.\n";
            m_mode = Mode::CONFIG;
            m_configMode = "config";
        }
    }
    else if (IosWordMatches(c, "show", 2) && w.size() > 1 && IosWordMatches(w[1], "debugging", 3))
    {
        ShowDebugging();
    }
    else
    {
        // IOS output modifiers: `| include RE`, `| exclude RE`, `| begin RE`.
        std::string command = line;
        std::string filter, pattern;
        const size_t bar = line.find(" | ");
        if (bar != std::string::npos)
        {
            command = line.substr(0, bar);
            const std::vector<std::string> f = Words(line.substr(bar + 3));
            if (f.size() < 2 ||
                !(IosWordMatches(f[0], "include", 1) || IosWordMatches(f[0], "exclude", 1) ||
                  IosWordMatches(f[0], "begin", 1)))
            {
                m_out << Marker(Prompt(), bar + 3,
                                "% Invalid input detected at '^' marker. (expected include, "
                                "exclude or begin, and a pattern)");
                return true;
            }
            filter = Lower(f[0]).substr(0, 1);
            pattern = line.substr(line.find(f[1], bar + 3));
        }
        try
        {
            IosExecParser::Parse(command);
        }
        catch (const IosConfigError& e)
        {
            m_out << Marker(Prompt(), e.Column(), e.Detail());
            return true;
        }
        std::regex re;
        try
        {
            re = std::regex(pattern.empty() ? "." : pattern);
        }
        catch (const std::regex_error&)
        {
            m_out << "% Invalid regular expression: " << pattern << "\n";
            return true;
        }
        std::istringstream text(m_runner.Exec(m_node, command));
        std::string l;
        bool begun = false;
        while (std::getline(text, l))
        {
            const bool hit = std::regex_search(l, re);
            begun = begun || (filter == "b" && hit);
            if (filter.empty() || (filter == "i" && hit) || (filter == "e" && !hit) || begun)
            {
                m_out << l << "\n";
            }
        }
    }
    return true;
}

void
IosConsole::Run(const std::string& args)
{
    auto t = ParseDuration(args);
    if (!t)
    {
        m_out << "% run N: seconds to simulate (2, 0.5, 500ms, 2min), not '" << args << "'\n";
        return;
    }
    Advance(*t);
    m_out << "Simulated time " << std::fixed << std::setprecision(3)
          << Simulator::Now().GetSeconds() << " s\n";
    m_out.unsetf(std::ios::fixed);
}

void
IosConsole::Advance(Time t)
{
    const Time end = Simulator::Now() + t;
    // In steps, so that debug output comes out in the order it happened.
    const Time step = (m_debugIsakmp || m_debugIpsec || m_debugIkev2) ? MilliSeconds(100) : t;
    while (Simulator::Now() < end)
    {
        m_runner.Advance(std::min(step, end - Simulator::Now()));
        PrintDebug();
    }
}

void
IosConsole::PrintDebug()
{
    // Every router's new debug lines, in the order they happened.
    std::vector<std::pair<Time, std::string>> lines;
    const Scenario& s = m_runner.GetScenario();
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        Ptr<IosRouter> r = m_runner.GetRouter(i);
        if (!r)
        {
            continue;
        }
        if (Ptr<IkeDaemon> ike = r->GetIke())
        {
            const auto ex = ike->GetExchanges();
            size_t k = m_ikeSeen[i];
            for (; k < ex.size() && m_debugIsakmp; ++k)
            {
                const IkeExchangeRecord& e = ex[k];
                if (e.result == "in progress")
                {
                    break; // printed once it is done
                }
                if (IosIsIkev2Exchange(e))
                {
                    continue; // debug crypto ikev2's
                }
                // What IOS logs for the exchange, in the router's release.
                for (const auto& l : IosDebugCryptoIsakmp(e, r->GetConfig().release))
                {
                    const Time at = l.atStart ? e.start : e.end;
                    lines.emplace_back(at, Stamp(at) + ": " + r->GetHostname() + ": " + l.text);
                }
            }
            m_ikeSeen[i] = m_debugIsakmp ? k : ex.size();
            PrintIkev2Debug(i, *r, *ike, lines);
            // The key-engine messages of quick mode (proposals, proxies, SA parameters).
            const auto& events = ike->GetIpsecDebugEvents();
            for (size_t e = m_ipsecSeen[i]; e < events.size() && m_debugIpsec; ++e)
            {
                lines.emplace_back(events[e].at,
                                   Stamp(events[e].at) + ": " + r->GetHostname() + ": " +
                                       IosDebugCryptoIpsec(events[e], r->GetConfig().release));
            }
            m_ipsecSeen[i] = events.size();
        }
        std::set<std::string> now;
        for (const auto& sa : r->GetProcessor()->GetSad()->GetAll())
        {
            std::ostringstream k;
            k << std::hex << sa->GetSpi();
            now.insert(k.str());
            if (m_debugIpsec && !m_sasSeen[i].count(k.str()))
            {
                lines.emplace_back(sa->GetInstalledAt(),
                                   Stamp(sa->GetInstalledAt()) + ": " + r->GetHostname() + ": " +
                                       IosDebugCreateSa(sa, r->GetConfig().release));
            }
        }
        for (const auto& old : m_sasSeen[i])
        {
            if (m_debugIpsec && !now.count(old))
            {
                lines.emplace_back(Simulator::Now(),
                                   Stamp(Simulator::Now()) + ": " + r->GetHostname() +
                                       ": IPSEC(delete_sa): deleting SA, sa_spi= 0x" + old);
            }
        }
        m_sasSeen[i] = now;
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [t, l] : lines)
    {
        m_out << l << "\n";
    }
}

void
IosConsole::PrintIkev2Debug(uint32_t node, IosRouter& r, IkeDaemon& ike,
                            std::vector<std::pair<Time, std::string>>& lines)
{
    // Each IKEv2 message as it went, then what IOS logs when an exchange ends.
    const auto& messages = ike.GetIkev2DebugMessages();
    for (size_t k = m_ikev2Seen[node]; k < messages.size() && m_debugIkev2; ++k)
    {
        for (const auto& l : IosDebugCryptoIkev2(messages[k]))
        {
            lines.emplace_back(messages[k].at,
                               Stamp(messages[k].at) + ": " + r.GetHostname() + ": " + l);
        }
    }
    m_ikev2Seen[node] = messages.size();
    const auto ex = ike.GetExchanges();
    size_t k = m_ikev2RecordsSeen[node];
    for (; k < ex.size() && m_debugIkev2 && ex[k].result != "in progress"; ++k)
    {
        if (IosIsIkev2Exchange(ex[k]))
        {
            for (const auto& l : IosDebugCryptoIkev2Exchange(ex[k]))
            {
                lines.emplace_back(ex[k].end, Stamp(ex[k].end) + ": " + r.GetHostname() + ": " + l);
            }
        }
    }
    m_ikev2RecordsSeen[node] = m_debugIkev2 ? k : ex.size();
}

void
IosConsole::Switch(const std::string& name)
{
    const Scenario& s = m_runner.GetScenario();
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].name == name ||
            (m_runner.GetRouter(i) && m_runner.GetRouter(i)->GetHostname() == name))
        {
            if (!m_runner.GetRouter(i))
            {
                m_out << "% " << name << " is not a router (hosts have no prompt)\n";
                return;
            }
            m_node = i;
            return;
        }
    }
    std::string routers;
    for (uint32_t i = 0; i < s.nodes.size(); ++i)
    {
        if (s.nodes[i].IsRouter())
        {
            routers += " " + s.nodes[i].name;
        }
    }
    m_out << "% No router " << name << " (routers:" << routers << ")\n";
}

void
IosConsole::Debug(const std::vector<std::string>& w, bool on)
{
    // debug crypto isakmp | ipsec | ikev2, undebug all, no debug all
    if (w.size() == 2 && (IosWordMatches(w[1], "all", 1)))
    {
        if (on)
        {
            m_out << "% debug all is not offered here: debug crypto isakmp, ipsec or ikev2\n";
            return;
        }
        m_debugIsakmp = m_debugIpsec = m_debugIkev2 = false;
        m_out << "All possible debugging has been turned off\n";
        return;
    }
    if (w.size() != 3 || !IosWordMatches(w[1], "crypto", 2) ||
        !(IosWordMatches(w[2], "isakmp", 2) || IosWordMatches(w[2], "ipsec", 2) ||
          IosWordMatches(w[2], "ikev2", 2)))
    {
        m_out << "% expected: " << (on ? "debug" : "undebug")
              << " crypto isakmp, crypto ipsec, crypto ikev2, or all\n";
        return;
    }
    if (IosWordMatches(w[2], "ikev2", 2))
    {
        // 12.4 has no IKEv2; IOS 15 answers with the debugs it turned on.
        Ptr<IosRouter> r = m_runner.GetRouter(m_node);
        if (r && r->GetConfig().release == IosRelease::IOS_12_4)
        {
            m_out << "% Invalid input detected at '^' marker.\n";
            return;
        }
        m_debugIkev2 = on;
        m_out << "IKEv2 default debugging is " << (on ? "on" : "off") << "\n";
        return;
    }
    const bool isakmp = IosWordMatches(w[2], "isakmp", 2);
    (isakmp ? m_debugIsakmp : m_debugIpsec) = on;
    m_out << "Crypto " << (isakmp ? "ISAKMP" : "IPSEC") << " debugging is " << (on ? "on" : "off")
          << "\n";
}

void
IosConsole::ShowDebugging()
{
    m_out << "Cryptographic Subsystem:\n";
    if (m_debugIsakmp)
    {
        m_out << "  Crypto ISAKMP debugging is on\n";
    }
    if (m_debugIpsec)
    {
        m_out << "  Crypto IPSEC debugging is on\n";
    }
    if (m_debugIkev2)
    {
        m_out << "  IKEv2 default debugging is on\n";
    }
}

bool
IosConsole::Configure(const std::string& line)
{
    const std::vector<std::string> w = Words(line);
    const std::string& c = w[0];
    Ptr<IosRouter> r = m_runner.GetRouter(m_node);
    // The router's configuration as text, with every line accepted at this console appended
    // where it was typed: each new line is read in that context, as IOS reads it.
    auto text = m_configText.find(m_node);
    if (text == m_configText.end())
    {
        std::string t;
        for (const auto& l : r->GetConfig().lines)
        {
            t += l.text + "\n";
        }
        text = m_configText.emplace(m_node, t).first;
    }
    if (IosWordMatches(c, "end", 3) || line == "\x1a" || IosWordMatches(c, "exit", 3))
    {
        text->second += "!\n"; // leaves the sub-mode, as in `show running-config`
        m_mode =
            IosWordMatches(c, "exit", 3) && m_configMode != "config" ? Mode::CONFIG : Mode::EXEC;
        m_configMode = "config";
        return true;
    }
    if ((IosWordMatches(c, "do", 2) && w.size() > 1) || IosWordMatches(c, "clear", 3))
    {
        // `do COMMAND` runs an EXEC command; `clear crypto sa` is also typed in configuration
        // mode (the spec shows it at the Router(config)# prompt).
        const Mode saved = m_mode;
        m_mode = Mode::EXEC;
        const bool go = Command(IosWordMatches(c, "do", 2) ? line.substr(line.find(w[1])) : line);
        m_mode = saved;
        return go;
    }
    const int lineNumber =
        1 + static_cast<int>(std::count(text->second.begin(), text->second.end(), '\n'));
    IosRouterConfig next;
    std::string endMode;
    std::vector<std::string> notes;
    try
    {
        next = IosConfigReader::Parse(text->second + line + "\n", "<console>", endMode);
        notes = r->Reconfigure(next);
    }
    catch (const IosConfigError& e)
    {
        if (e.Where().line == lineNumber)
        {
            m_out << Marker(Prompt(), e.Column(), e.Detail());
        }
        else
        {
            // A check of the whole configuration, about another line.
            m_out << e.Detail() << "\n  (at: " << e.Where().text << ")\n";
        }
        return true;
    }
    catch (const std::invalid_argument& e)
    {
        m_out << "% " << e.what() << "\n";
        return true;
    }
    text->second += line + "\n";
    m_configMode = endMode;
    for (const auto& n : notes)
    {
        if (n.rfind("%LINK", 0) == 0)
        {
            m_out << Stamp(Simulator::Now()) << ": ";
        }
        m_out << n << "\n";
    }
    return true;
}

void
IosConsole::Ping(const std::vector<std::string>& w)
{
    auto request = ParsePing(w);
    if (!request)
    {
        return;
    }
    m_out << "Type escape sequence to abort.\n"
          << "Sending " << request->repeat << ", " << request->size << "-byte ICMP Echos to "
          << request->dst << ", timeout is " << request->timeout << " seconds:\n";
    if (request->src)
    {
        m_out << "Packet sent with a source address of " << *request->src << "\n";
    }
    std::string marks;
    std::vector<double> rtts;
    SendEchos(*request, marks, rtts);
    for (size_t i = 0; i < marks.size(); i += 70)
    {
        m_out << marks.substr(i, 70) << "\n";
    }
    const auto ok = static_cast<uint32_t>(rtts.size());
    m_out << "Success rate is " << (100 * ok / request->repeat) << " percent (" << ok << "/"
          << request->repeat << ")";
    if (!rtts.empty())
    {
        double sum = 0;
        for (double x : rtts)
        {
            sum += x;
        }
        m_out << ", round-trip min/avg/max = "
              << std::lround(*std::min_element(rtts.begin(), rtts.end())) << "/"
              << std::lround(sum / rtts.size()) << "/"
              << std::lround(*std::max_element(rtts.begin(), rtts.end())) << " ms";
    }
    m_out << "\n";
    PrintDebug();
}

std::optional<IosConsole::PingRequest>
IosConsole::ParsePing(const std::vector<std::string>& w)
{
    if (w.size() < 2)
    {
        m_out << "% ping A.B.C.D [source IFACE|A.B.C.D] [repeat N] [size N] [timeout S]\n";
        return std::nullopt;
    }
    auto dst = IosParseAddress(w[1]);
    if (!dst)
    {
        m_out << "% Unrecognized host or address, or protocol not running.\n";
        return std::nullopt;
    }
    PingRequest req;
    req.dst = *dst;
    for (size_t i = 2; i < w.size(); i += 2)
    {
        if (i + 1 >= w.size())
        {
            m_out << "% Incomplete command: " << w[i] << " needs a value\n";
            return std::nullopt;
        }
        if (!ParsePingOption(w[i], w[i + 1], req))
        {
            return std::nullopt;
        }
    }
    return req;
}

bool
IosConsole::ParsePingOption(const std::string& k, const std::string& v, PingRequest& req)
{
    auto n = IosParseNumber(v);
    if (IosWordMatches(k, "source", 2))
    {
        if (auto a = IosParseAddress(v))
        {
            req.src = *a;
            return true;
        }
        Ptr<IosRouter> r = m_runner.GetRouter(m_node);
        const int32_t idx = r->GetInterfaceIndex(v);
        Ptr<Ipv4L3Protocol> ip = r->GetNode()->GetObject<Ipv4L3Protocol>();
        if (idx < 0 || ip->GetNAddresses(idx) == 0)
        {
            m_out << "% Invalid source interface - " << v << "\n";
            return false;
        }
        req.src = ip->GetAddress(idx, 0).GetLocal();
    }
    else if (IosWordMatches(k, "repeat", 1) && n && *n >= 1 && *n <= 10000)
    {
        req.repeat = static_cast<uint32_t>(*n);
    }
    else if (IosWordMatches(k, "size", 2) && n && *n >= 36 && *n <= 18024)
    {
        req.size = static_cast<uint32_t>(*n);
    }
    else if (IosWordMatches(k, "timeout", 1) && n && *n <= 3600)
    {
        req.timeout = static_cast<double>(*n);
    }
    else
    {
        m_out << "% Invalid input: " << k << " " << v
              << " (source IFACE|A.B.C.D, repeat 1-10000, size 36-18024, timeout 0-3600)\n";
        return false;
    }
    return true;
}

namespace
{
/** What a ping waits for: the reply to request `waiting`, and its round-trip time. */
struct EchoWait
{
    uint16_t ident = 0;
    std::optional<uint16_t> waiting;
    std::optional<Time> rtt;
    Time sentAt;
};

void
ReceiveEchoReplies(EchoWait* wait, Ptr<Socket> s)
{
    Address from;
    while (Ptr<Packet> p = s->RecvFrom(from))
    {
        Ipv4Header ip;
        Icmpv4Header icmp;
        Icmpv4Echo echo;
        p->RemoveHeader(ip);
        if (p->GetSize() < 8)
        {
            continue;
        }
        p->RemoveHeader(icmp);
        if (icmp.GetType() != Icmpv4Header::ICMPV4_ECHO_REPLY)
        {
            continue;
        }
        p->RemoveHeader(echo);
        if (wait->waiting && echo.GetIdentifier() == wait->ident &&
            echo.GetSequenceNumber() == *wait->waiting)
        {
            wait->rtt = Simulator::Now() - wait->sentAt;
        }
    }
}

/** An echo request of IP total length @p size, as IOS counts it: IP 20, ICMP 4 and echo 4
 *  bytes, then data. */
Ptr<Packet>
EchoRequest(uint16_t ident, uint16_t seq, uint32_t size)
{
    Icmpv4Echo echo;
    echo.SetIdentifier(ident);
    echo.SetSequenceNumber(seq);
    std::vector<uint8_t> data(size - 28);
    for (size_t i = 0; i < data.size(); ++i)
    {
        data[i] = static_cast<uint8_t>(0xab + i);
    }
    echo.SetData(Create<Packet>(data.data(), data.size()));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(echo);
    Icmpv4Header icmp;
    icmp.SetType(Icmpv4Header::ICMPV4_ECHO);
    icmp.SetCode(0);
    icmp.EnableChecksum();
    p->AddHeader(icmp);
    return p;
}
} // namespace

void
IosConsole::SendEchos(const PingRequest& req, std::string& marks, std::vector<double>& rtts)
{
    // Replies come to a raw ICMP socket. Requests with a source address are sent through IP
    // directly: ns-3's raw socket bound to an address would also send out of that address's
    // interface only, where IOS's `ping ... source` just sets the source.
    Ptr<Node> node = m_runner.GetRouter(m_node)->GetNode();
    Ptr<Socket> sock = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    sock->SetAttribute("Protocol", UintegerValue(1)); // ICMP
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    EchoWait wait;
    wait.ident = static_cast<uint16_t>(0x1000 + node->GetId());
    sock->SetRecvCallback(MakeBoundCallback(&ReceiveEchoReplies, &wait));
    for (uint32_t k = 0; k < req.repeat; ++k)
    {
        Ptr<Packet> p = EchoRequest(wait.ident, static_cast<uint16_t>(k), req.size);
        wait.waiting = static_cast<uint16_t>(k);
        wait.rtt.reset();
        wait.sentAt = Simulator::Now();
        if (req.src)
        {
            ipv4->Send(p, *req.src, req.dst, 1, nullptr);
        }
        else
        {
            sock->SendTo(p, 0, InetSocketAddress(req.dst, 0));
        }
        const Time end = Simulator::Now() + Seconds(req.timeout);
        while (!wait.rtt && Simulator::Now() < end)
        {
            m_runner.Advance(std::min(MilliSeconds(1), end - Simulator::Now()));
        }
        if (wait.rtt)
        {
            rtts.push_back(wait.rtt->GetSeconds() * 1e3);
        }
        marks += wait.rtt ? '!' : '.';
    }
    wait.waiting.reset();
    sock->Close();
    sock->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
}

} // namespace ns3
