#include "scenario-reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace ns3
{

namespace
{
/** Line and column of byte @p offset in @p text, both from 1. */
std::pair<size_t, size_t>
LineColumn(const std::string& text, size_t offset)
{
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
    {
        if (text[i] == '\n')
        {
            ++line;
            col = 1;
        }
        else
        {
            ++col;
        }
    }
    return {line, col};
}

std::optional<std::string>
ReadFileText(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        return std::nullopt;
    }
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}
} // namespace

Scenario
ScenarioLoader::LoadFile(const std::string& given)
{
    // A scenario's folder (as `ipsec-sim import` writes one) stands for its scenario.json.
    std::error_code ec;
    const std::string path = std::filesystem::is_directory(given, ec)
                                 ? (std::filesystem::path(given) / "scenario.json").string()
                                 : given;
    auto text = ReadFileText(path);
    if (!text)
    {
        throw ScenarioError(path, {{"", "cannot read the scenario file", false}});
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return LoadString(*text, path, dir);
}

Scenario
ScenarioLoader::LoadString(const std::string& text, const std::string& file,
                           const std::string& directory, FileReader reader)
{
    Scenario s;
    s.file = file;
    s.directory = directory;
    s.name = std::filesystem::path(file).stem().string();
    nlohmann::json root;
    try
    {
        root = nlohmann::json::parse(text);
    }
    catch (const nlohmann::json::exception& e)
    {
        // A syntax error, or a number too large for a double (out_of_range 406, which has no
        // position of its own: the message names the number). nlohmann's message already says
        // where ("at line 3, column 5"); keep only that part.
        std::string what = e.what();
        const auto colon = what.find(": ");
        if (what.rfind("[json.exception", 0) == 0 && colon != std::string::npos)
        {
            what = what.substr(colon + 2);
        }
        else if (what.rfind("[json.exception", 0) == 0 && what.find("] ") != std::string::npos)
        {
            what = what.substr(what.find("] ") + 2);
        }
        const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e);
        const size_t byte = pe ? pe->byte : 0;
        if (!pe)
        {
            const auto n = what.find('\'');
            const auto at = n == std::string::npos
                                ? std::string::npos
                                : text.find(what.substr(n + 1, what.find('\'', n + 1) - n - 1));
            const auto [line, col] = LineColumn(text, at == std::string::npos ? 0 : at);
            throw ScenarioError(file, {{"",
                                        "not a JSON file (line " + std::to_string(line) +
                                            ", column " + std::to_string(col) + "): " + what,
                                        false}});
        }
        const auto [line, col] = LineColumn(text, byte > 0 ? byte - 1 : 0);
        throw ScenarioError(file, {{"",
                                    "not a JSON file (line " + std::to_string(line) + ", column " +
                                        std::to_string(col) + "): " + what,
                                    false}});
    }
    ScenarioReader r(s, reader ? reader : FileReader(ReadFileText));
    r.Read(root);
    if (r.issues.empty())
    {
        ScenarioTopology topo(s);
        for (auto& i : topo.Check())
        {
            (i.warning ? s.warnings : r.issues).push_back(i);
        }
    }
    if (!r.issues.empty())
    {
        throw ScenarioError(file, r.issues);
    }
    return s;
}

// --- the built-in default -------------------------------------------------------------------

// The same bytes as scenarios/default/ (a test compares them).
const std::vector<std::pair<std::string, std::string>>&
ScenarioLoader::DefaultFiles()
{
    static const std::vector<std::pair<std::string, std::string>> files = {
        {"scenario.json", R"IPSEC({
  "name": "default: the spec's example, two sites keyed by hand",
  "comment": "Two LANs joined by a T1 serial line; R1 and R2 protect LAN-to-LAN traffic with manually keyed ESP (3DES, HMAC-MD5).",
  "duration": 10,
  "seed": 1,
  "nodes": [
    {"name": "R1", "config": "R1.cfg"},
    {"name": "R2", "config": "R2.cfg"},
    {"name": "h1", "kind": "host", "address": "10.0.0.10/24", "gateway": "10.0.0.1"},
    {"name": "h3", "kind": "host", "address": "10.0.0.11/24", "gateway": "10.0.0.1"},
    {"name": "h2", "kind": "host", "address": "10.2.2.5/24", "gateway": "10.2.2.1"}
  ],
  "links": [
    {"a": "R1:Serial0", "b": "R2:Serial0", "type": "serial", "rate": "1544kbps", "delay": "10ms"},
    {"a": "h1:eth0", "b": "R1:Ethernet0", "type": "ethernet", "rate": "100Mbps", "delay": "0.1ms"},
    {"a": "h3:eth0", "b": "R1:Ethernet0", "type": "ethernet"},
    {"a": "h2:eth0", "b": "R2:Ethernet0", "type": "ethernet", "rate": "100Mbps", "delay": "0.1ms"}
  ],
  "traffic": [
    {"kind": "udp", "from": "h1", "to": "10.2.2.5", "rate": "256kbps", "size": 512, "start": 1, "stop": 8},
    {"kind": "udp", "from": "h2", "to": "10.0.0.10", "rate": "64kbps", "size": 256, "start": 1.5, "stop": 8},
    {"kind": "ping", "from": "h3", "to": "10.2.2.5", "count": 5, "start": 2},
    {"kind": "tcp", "from": "h2", "to": "10.0.0.10", "bytes": 60000, "start": 3}
  ],
  "events": [
    {"at": 5, "node": "R1", "exec": "show crypto ipsec sa"},
    {"at": 5, "node": "R2", "exec": "show crypto map"},
    {"at": 9, "node": "R1", "exec": "show access-lists"}
  ]
}
)IPSEC"},
        {"R1.cfg",
         R"IPSEC(! R1: the spec's "IPsec Configuration Example" (access-list 101, transform sets myset1 and
! myset2, crypto map toRemoteSite on Serial0), keyed by hand: ipsec-manual with session keys
! instead of ipsec-isakmp. LAN 10.0.0.0/24 on Ethernet0, the serial line to R2 on Serial0.
hostname R1
!
access-list 101 permit ip 10.0.0.0 0.0.0.255 10.2.2.0 0.0.0.255
!
crypto ipsec transform-set myset1 esp-des esp-sha
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
!
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 172.16.0.2
 set session-key inbound esp 8192 cipher 1032547698badcfeefcdab89674523018796a5b4c3d2e1f0 authenticator ffeeddccbbaa99887766554433221100
 set session-key outbound esp 4096 cipher 0123456789abcdeffedcba98765432100f1e2d3c4b5a6978 authenticator 00112233445566778899aabbccddeeff
!
interface Ethernet0
 ip address 10.0.0.1 255.255.255.0
!
interface Serial0
 ip address 172.16.0.1 255.255.255.252
 crypto map toRemoteSite
!
ip route 10.2.2.0 255.255.255.0 172.16.0.2
)IPSEC"},
        {"R2.cfg",
         R"IPSEC(! R2: the mirror image of R1 (IOS needs the peer's access list to be the mirror of ours and
! the keys crossed: R1's outbound SA is R2's inbound one). LAN 10.2.2.0/24 on Ethernet0.
hostname R2
!
access-list 101 permit ip 10.2.2.0 0.0.0.255 10.0.0.0 0.0.0.255
!
crypto ipsec transform-set myset1 esp-des esp-sha
crypto ipsec transform-set myset2 esp-3des esp-md5-hmac
!
crypto map toRemoteSite 10 ipsec-manual
 match address 101
 set transform-set myset2
 set peer 172.16.0.1
 set session-key inbound esp 4096 cipher 0123456789abcdeffedcba98765432100f1e2d3c4b5a6978 authenticator 00112233445566778899aabbccddeeff
 set session-key outbound esp 8192 cipher 1032547698badcfeefcdab89674523018796a5b4c3d2e1f0 authenticator ffeeddccbbaa99887766554433221100
!
interface Ethernet0
 ip address 10.2.2.1 255.255.255.0
!
interface Serial0
 ip address 172.16.0.2 255.255.255.252
 crypto map toRemoteSite
!
ip route 10.0.0.0 255.255.255.0 172.16.0.1
)IPSEC"},
    };
    return files;
}

Scenario
ScenarioLoader::LoadDefault()
{
    const auto& files = DefaultFiles();
    FileReader reader = [&files](const std::string& path) -> std::optional<std::string>
    {
        const std::string base = std::filesystem::path(path).filename().string();
        for (const auto& [name, text] : files)
        {
            if (name == base)
            {
                return text;
            }
        }
        return std::nullopt;
    };
    return LoadString(files.front().second, "scenarios/default/scenario.json (built in)",
                      "scenarios/default", reader);
}

} // namespace ns3
