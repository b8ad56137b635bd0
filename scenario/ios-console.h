// An interactive router prompt over a running scenario (`ipsec-sim console SCENARIO`): the
// simulation advances only when asked (`run 5`), and between steps the user types at a router
// as on IOS: show and clear commands, ping (with source, repeat, size), debug crypto isakmp /
// ipsec, configure terminal (lines applied to the running router: access lists, crypto maps,
// transform sets, ISAKMP policies and keys, routes, shutdown), switch to another
// router. Reads any stream: a terminal, or piped input for scripted sessions and tests.
#ifndef IPSEC_IOS_CONSOLE_H
#define IPSEC_IOS_CONSOLE_H

#include "ns3/scenario-runner.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{

class IosConsole
{
public:
    /**
     * @p runner must be built and started (ScenarioRunner::Start). @p echo: print each command
     * after its prompt (for piped input, so the transcript reads like a session).
     */
    IosConsole(ScenarioRunner& runner, std::istream& in, std::ostream& out, bool echo);

    /** Read and run commands until `exit`/`quit` or the end of the input. */
    void Loop();
    /** Run one command line. @return false when it was `exit` or `quit`. */
    bool Command(const std::string& line);

    /** "R1#", "R1(config)#", "R1(config-if)#", "R1(config-crypto-map)#", ... */
    std::string Prompt() const;

private:
    enum class Mode
    {
        EXEC,
        CONFIG,
    };

    void Help();
    void Run(const std::string& args);
    void Switch(const std::string& name);
    /** `ping A.B.C.D [source IFACE|A.B.C.D] [repeat N] [size N] [timeout S]` */
    struct PingRequest
    {
        Ipv4Address dst;
        std::optional<Ipv4Address> src;
        uint32_t repeat = 5;
        uint32_t size = 100; //!< IP total length
        double timeout = 2;  //!< seconds per request
    };

    void Ping(const std::vector<std::string>& words);
    std::optional<PingRequest> ParsePing(const std::vector<std::string>& words);
    bool ParsePingOption(const std::string& key, const std::string& value, PingRequest& req);
    /** Send the echo requests one at a time, each waiting for its reply or the timeout:
     *  '!' or '.' per request in @p marks, the round-trip times (ms) in @p rtts. */
    void SendEchos(const PingRequest& req, std::string& marks, std::vector<double>& rtts);
    void Debug(const std::vector<std::string>& words, bool on);
    void ShowDebugging();
    bool Configure(const std::string& line);
    /** Advance the simulation by @p t in steps, printing debug output as it happens. */
    void Advance(Time t);
    void PrintDebug();
    /** debug crypto ikev2: node @p node's new IKEv2 messages and ended exchanges into @p lines. */
    void PrintIkev2Debug(uint32_t node, IosRouter& r, IkeDaemon& ike,
                         std::vector<std::pair<Time, std::string>>& lines);
    std::string RouterName() const;

    ScenarioRunner& m_runner;
    std::istream& m_in;
    std::ostream& m_out;
    bool m_echo;
    uint32_t m_node = 0; //!< the router typed at
    Mode m_mode = Mode::EXEC;
    std::string m_configMode = "config"; //!< in CONFIG: the sub-mode as the prompt names it
    /** Per router typed at in configuration mode: its configuration text and the lines typed. */
    std::map<uint32_t, std::string> m_configText;
    bool m_debugIsakmp = false;
    bool m_debugIpsec = false;
    bool m_debugIkev2 = false;
    std::vector<size_t> m_ikev2Seen;        //!< per node: IKEv2 messages seen
    std::vector<size_t> m_ikev2RecordsSeen; //!< per node: exchange records read for IKEv2
    std::vector<size_t> m_ikeSeen;          //!< per node: exchange records printed
    std::vector<size_t> m_ipsecSeen; //!< per node: key-engine messages (debug crypto ipsec) seen
    std::vector<std::set<std::string>> m_sasSeen; //!< per node: SAs ("spi dir peer") known
};

} // namespace ns3

#endif
