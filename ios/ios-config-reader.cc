// IosConfigReader: the entry points, the global configuration level, the dispatch of each line
// to its mode, and the checks that need the whole configuration.
#include "ios-config-reader.h"
#include <fstream>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

IosRouterConfig
IosConfigReader::Parse(const std::string& text, const std::string& fileName)
{
    return Session(fileName).Run(text);
}

IosRouterConfig
IosConfigReader::Parse(const std::string& text, const std::string& fileName, std::string& endMode)
{
    Session reader(fileName);
    IosRouterConfig cfg = reader.Run(text);
    endMode = reader.EndMode();
    return cfg;
}

IosRouterConfig
IosConfigReader::ParseFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("cannot read IOS configuration " + path);
    }
    std::ostringstream os;
    os << in.rdbuf();
    return Parse(os.str(), path);
}

IosCryptoMapEntry*
IosConfigReader::Session::FindEntry(const EntryKey& k)
{
    auto& v = k.dynamic ? m_cfg.dynamicMaps : m_cfg.cryptoMaps;
    for (auto& e : v)
    {
        if (e.map == k.map && e.seq == k.seq)
        {
            return &e;
        }
    }
    return nullptr;
}

IosInterface*
IosConfigReader::Session::CurrentInterface()
{
    for (auto& i : m_cfg.interfaces)
    {
        if (i.name == m_iface)
        {
            return &i;
        }
    }
    return nullptr;
}

void
IosConfigReader::Session::NotModelled(const IosLocation& loc, const Words* blockWords)
{
    m_cfg.notModelled.push_back(loc);
    m_blockWords = blockWords;
    Enter(Mode::IGNORED);
}

IosRouterConfig
IosConfigReader::Session::Run(const std::string& text)
{
    std::istringstream is(text);
    std::string raw;
    int number = 0;
    while (std::getline(is, raw))
    {
        ++number;
        if (number == 1 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0)
        {
            raw.erase(0, 3); // the byte-order mark some editors write at the start of a file
        }
        // CRLF line ends, and the blanks that terminal captures leave at the end of lines.
        while (!raw.empty() && (raw.back() == '\r' || raw.back() == ' ' || raw.back() == '\t'))
        {
            raw.pop_back();
        }
        Line({m_file, number, raw});
    }
    if (m_inBanner)
    {
        throw IosConfigError(m_bannerStart, m_bannerColumn,
                             "% Banner not terminated: no closing '" + m_bannerDelim + "'");
    }

    AddIpsecDefaults();
    // Checks that need the whole configuration, reported in line order.
    std::vector<IosConfigError> errors;
    for (const auto& [ifn, ref] : m_ifaceMapRef)
    {
        const std::string& name = ref.name; // (a structured binding cannot be captured in C++17)
        const bool exists =
            std::any_of(m_cfg.cryptoMaps.begin(), m_cfg.cryptoMaps.end(),
                        [&name](const IosCryptoMapEntry& e) { return e.map == name; });
        if (!exists)
        {
            errors.emplace_back(ref.where, ref.column,
                                "% Crypto map " + ref.name + " is not defined (no `crypto map " +
                                    ref.name + " SEQ ...` entry)");
        }
    }
    for (const auto& [key, refs] : m_transformRef)
    {
        for (const auto& ref : refs)
        {
            if (!m_cfg.transformSets.count(ref.name))
            {
                errors.emplace_back(ref.where, ref.column,
                                    "% Transform set " + ref.name + " is not defined");
            }
        }
    }
    for (const auto& [key, ref] : m_matchRef)
    {
        auto acl = m_cfg.accessLists.find(ref.name);
        if (acl == m_cfg.accessLists.end())
        {
            continue; // IOS accepts it; the entry matches nothing until the list exists
        }
        if (!acl->second.extended)
        {
            errors.emplace_back(ref.where, ref.column,
                                "% Access list " + ref.name +
                                    " is a standard list; crypto access lists are extended");
            continue;
        }
        const IosCryptoMapEntry* e = FindEntry(key);
        if (e && e->kind == IosCryptoMapKind::IPSEC_MANUAL)
        {
            const auto permits =
                std::count_if(acl->second.entries.begin(), acl->second.entries.end(),
                              [](const IosAclEntry& x) { return x.permit; });
            if (permits != 1)
            {
                errors.emplace_back(
                    ref.where, ref.column,
                    "% Access list " + ref.name + " has " + std::to_string(permits) +
                        " permit entries; an ipsec-manual crypto map entry protects a single "
                        "flow and needs exactly one");
            }
        }
    }
    CheckIpsecProfileReferences(errors);
    CheckIsakmpProfileReferences(errors);
    CheckIkev2(errors);
    if (!errors.empty())
    {
        auto first = std::min_element(errors.begin(), errors.end(),
                                      [](const IosConfigError& a, const IosConfigError& b)
                                      {
                                          return std::make_pair(a.Where().line, a.Column()) <
                                                 std::make_pair(b.Where().line, b.Column());
                                      });
        throw *first;
    }

    // Sub-interfaces of serial links keep the encapsulation of their interface.
    for (auto& i : m_cfg.interfaces)
    {
        const auto dot = i.name.find('.');
        if (dot != std::string::npos && !m_explicitEncap.count(i.name))
        {
            if (const IosInterface* parent = m_cfg.FindInterface(i.name.substr(0, dot)))
            {
                i.encapsulation = parent->encapsulation;
            }
        }
    }
    auto byKey = [](const IosCryptoMapEntry& a, const IosCryptoMapEntry& b)
    { return std::tie(a.map, a.seq) < std::tie(b.map, b.seq); };
    std::stable_sort(m_cfg.cryptoMaps.begin(), m_cfg.cryptoMaps.end(), byKey);
    std::stable_sort(m_cfg.dynamicMaps.begin(), m_cfg.dynamicMaps.end(), byKey);
    return std::move(m_cfg);
}

void
IosConfigReader::Session::Line(const IosLocation& raw)
{
    if (m_inBanner)
    {
        m_cfg.lines.push_back(raw);
        if (raw.text.find(m_bannerDelim) != std::string::npos)
        {
            m_inBanner = false;
        }
        return;
    }
    const PastedLine p = ReadPastedLine(raw.text);
    switch (p.kind)
    {
    case PastedLine::Kind::SKIP:
        return;
    case PastedLine::Kind::LEAVE:
        LeaveSubMode(raw);
        return;
    case PastedLine::Kind::END:
        m_mode = Mode::GLOBAL;
        m_cfg.lines.push_back({raw.file, raw.line, "end"});
        return;
    case PastedLine::Kind::CONFIG:
        break;
    }
    if (p.prompt == PastedLine::Prompt::GLOBAL)
    {
        LeaveSubMode(raw); // `R1(config)#` says the sub-mode has ended
    }
    const IosLocation loc{raw.file, raw.line, p.text};
    m_cfg.lines.push_back(loc);
    try
    {
        ConfigLine(loc);
    }
    catch (const IosConfigError& e)
    {
        if (p.shift == 0)
        {
            throw;
        }
        // Point at the line as written, prompt included.
        const long column = static_cast<long>(e.Column()) + p.shift;
        throw IosConfigError(raw, static_cast<size_t>(std::max(0L, column)), e.Detail());
    }
}

void
IosConfigReader::Session::LeaveSubMode(const IosLocation& raw)
{
    if (m_mode != Mode::GLOBAL)
    {
        m_mode = Mode::GLOBAL;
        m_cfg.lines.push_back({raw.file, raw.line, "!"});
    }
}

void
IosConfigReader::Session::ConfigLine(const IosLocation& loc)
{
    const std::string& text = loc.text;
    IosCursor c(loc);
    if (c.AtEnd() && m_mode == Mode::HEX_DATA && !m_hex.empty())
    {
        HexDataLine(loc); // a blank line ends the hex of a certificate or key
        return;
    }
    if (c.AtEnd())
    {
        return; // blank lines change nothing
    }
    const bool indented = text[0] == ' ' || text[0] == '\t';
    if (c.Peek().text[0] == '!')
    {
        // A comment. It closes a sub-mode (as in `show running-config`), except inside the
        // blocks we skip, whose own indented '!' lines stay in the block.
        if (m_mode == Mode::IKEV2_PEER && indented)
        {
            m_mode = Mode::IKEV2_KEYRING; // ` !` closes a keyring's peer, not the keyring
        }
        else if (m_mode != Mode::IGNORED || !indented)
        {
            m_mode = Mode::GLOBAL;
        }
        return;
    }
    void (IosConfigReader::Session::*sub)(IosCursor&) = nullptr;
    switch (m_mode)
    {
    case Mode::GLOBAL:
        // An indented line belongs to a block; at the global level the block has ended (`exit`,
        // `!`): a command we do not know there is a sub-command out of its place, an error.
        Global(c, indented);
        return;
    case Mode::IGNORED:
        if (indented)
        {
            if (IosLower(c.Peek().text) != "exit" || c.Tokens().size() > 1)
            {
                m_cfg.notModelled.push_back(loc); // `exit` leaves a nested mode: no command
            }
            return;
        }
        try
        {
            Global(c);
        }
        catch (const IosConfigError&)
        {
            // Sub-commands of the block written without indentation.
            IosKeywordMatch m = IosMatchKeyword(c.Tokens().front().text, *m_blockWords);
            if (m.result != IosKeywordMatch::Result::UNIQUE &&
                IosLower(c.Tokens().front().text) != "no")
            {
                throw;
            }
            m_cfg.notModelled.push_back(loc);
        }
        return;
    case Mode::INTERFACE:
        sub = &IosConfigReader::Session::InterfaceMode;
        break;
    case Mode::CRYPTO_MAP:
        sub = &IosConfigReader::Session::CryptoMapMode;
        break;
    case Mode::TRANSFORM:
        sub = &IosConfigReader::Session::TransformMode;
        break;
    case Mode::ACL:
        sub = &IosConfigReader::Session::AclMode;
        break;
    case Mode::ISAKMP_POLICY:
        sub = &IosConfigReader::Session::IsakmpPolicyMode;
        break;
    case Mode::IPSEC_PROFILE:
        sub = &IosConfigReader::Session::IpsecProfileMode;
        break;
    case Mode::ROUTER:
        sub = &IosConfigReader::Session::RouterMode;
        break;
    case Mode::KEYRING:
        sub = &IosConfigReader::Session::KeyringMode;
        break;
    case Mode::ISAKMP_PROFILE:
        sub = &IosConfigReader::Session::IsakmpProfileMode;
        break;
    case Mode::ISAKMP_PEER:
        sub = &IosConfigReader::Session::IsakmpPeerMode;
        break;
    case Mode::TRUSTPOINT:
        sub = &IosConfigReader::Session::TrustpointMode;
        break;
    case Mode::CERT_CHAIN:
        sub = &IosConfigReader::Session::CertChainMode;
        break;
    case Mode::PUBKEY_CHAIN:
        sub = &IosConfigReader::Session::PubkeyChainMode;
        break;
    case Mode::PUBKEY_KEY:
        sub = &IosConfigReader::Session::PubkeyKeyMode;
        break;
    case Mode::HEX_DATA:
        HexDataLine(loc); // hex digits, not commands: no other mode is tried
        return;
    case Mode::IKEV2_PROPOSAL:
        sub = &IosConfigReader::Session::Ikev2ProposalMode;
        break;
    case Mode::IKEV2_POLICY:
        sub = &IosConfigReader::Session::Ikev2PolicyMode;
        break;
    case Mode::IKEV2_KEYRING:
        sub = &IosConfigReader::Session::Ikev2KeyringMode;
        break;
    case Mode::IKEV2_PEER:
        sub = &IosConfigReader::Session::Ikev2PeerMode;
        break;
    case Mode::IKEV2_PROFILE:
        sub = &IosConfigReader::Session::Ikev2ProfileMode;
        break;
    }
    SubModeLine(loc, indented, sub);
}

namespace
{
const Words&
GlobalWords()
{
    static const Words modelled = {"access-list", "banner", "crypto", "end",    "exit",
                                   "hostname",    "interface", "ip",  "no",  "version"};
    static const Words all = Concat(modelled, kGlobalNotModelled);
    return all;
}

const Words&
GlobalIpWords()
{
    static const Words ipWords = Concat({"access-list", "cef", "route"}, kIpNotModelled);
    return ipWords;
}

/** Does @p loc start with a global command we know (`router ...`, `ip route ...`)? */
bool
IsKnownGlobalCommand(const IosLocation& loc)
{
    const std::vector<IosToken> t = IosTokenize(loc.text);
    const size_t first = !t.empty() && IosLower(t[0].text) == "no" ? 1 : 0;
    if (first >= t.size())
    {
        return false;
    }
    auto known = [](const std::string& w, const Words& words)
    { return IosMatchKeyword(w, words).result == IosKeywordMatch::Result::UNIQUE; };
    if (IosWordMatches(t[first].text, "ip", 2))
    {
        return first + 1 < t.size() && known(t[first + 1].text, GlobalIpWords());
    }
    return known(t[first].text, GlobalWords());
}

/** Is @p u about the command word of its line (after `no`, and the word after `ip`)? Then the
 *  line is a command the mode does not know, rather than a known command written wrongly. */
bool
IsUnknownCommand(const IosUnknownWord& u, const IosLocation& loc)
{
    if (!u.Suggestion().empty())
    {
        return false;
    }
    const std::vector<IosToken> t = IosTokenize(loc.text);
    const size_t first = !t.empty() && IosLower(t[0].text) == "no" ? 1 : 0;
    return u.Token() == first || (u.Token() == first + 1 && IosWordMatches(t[first].text, "ip", 2));
}
} // namespace

void
IosConfigReader::Session::SubModeLine(const IosLocation& loc, bool indented,
                                      void (IosConfigReader::Session::*sub)(IosCursor&))
{
    const Mode mode = m_mode;
    try
    {
        IosCursor s(loc);
        (this->*sub)(s);
        m_blockIndented = m_blockIndented || indented;
        return;
    }
    catch (const IosConfigError& subError)
    {
        const auto* u = dynamic_cast<const IosUnknownWord*>(&subError);
        const bool unknown = u && IsUnknownCommand(*u, loc);
        // An interface command we do not model (`standby`, `ipv6 address`, `ip ospf cost`):
        // one of the interface's when it is indented, or when the interface's commands so far
        // were not (a configuration script); otherwise a global command that ends the interface.
        if (unknown && mode == Mode::INTERFACE && (indented || !m_blockIndented) &&
            !IsKnownGlobalCommand(loc))
        {
            m_cfg.notModelled.push_back(loc);
            m_blockIndented = m_blockIndented || indented;
            return;
        }
        // Not a command of the sub-mode: IOS tries it as a global command (which ends the mode).
        // Only a line without indentation may be a global command we do not model; crypto
        // sub-modes are read strictly.
        try
        {
            IosCursor g(loc);
            Global(g, !(unknown && !indented));
        }
        catch (const IosConfigError& globalError)
        {
            if (globalError.Column() > subError.Column())
            {
                throw;
            }
            throw IosConfigError(subError);
        }
    }
}

void
IosConfigReader::Session::Global(IosCursor& c, bool strictUnknown)
{
    m_entered = false;
    m_strictUnknown = strictUnknown;
    try
    {
        GlobalCommand(c, false);
    }
    catch (const IosConfigError&)
    {
        m_strictUnknown = false;
        throw;
    }
    m_strictUnknown = false;
    if (!m_entered)
    {
        m_mode = Mode::GLOBAL;
    }
}

std::optional<size_t>
IosConfigReader::Session::KnownWord(IosCursor& c, const Words& known, const Words& modelled,
                                    const std::string& hint)
{
    if (c.AtEnd())
    {
        c.Incomplete(hint);
    }
    const IosKeywordMatch m = IosMatchKeyword(c.Peek().text, known);
    if (m.result == IosKeywordMatch::Result::AMBIGUOUS)
    {
        c.Ambiguous(c.Position(), m.candidates);
    }
    if (m.result == IosKeywordMatch::Result::UNIQUE)
    {
        c.Seek(c.Position() + 1);
        return m.index;
    }
    const std::string meant = IosDidYouMean(c.Peek().text, modelled);
    if (!meant.empty() || m_strictUnknown)
    {
        c.Unknown(c.Position(), meant.empty() ? hint : "", meant);
    }
    return std::nullopt;
}

void
IosConfigReader::Session::GlobalCommand(IosCursor& c, bool no)
{
    const Words& all = GlobalWords();
    const size_t at = c.Position();
    const auto known = KnownWord(c, all, kGlobalModelled,
                                 "expected a configuration command, e.g. interface, ip, crypto, "
                                 "access-list, hostname");
    if (!known)
    {
        // A command outside what the simulator models: accepted, listed, with its block.
        NotModelled(c.Where());
        return;
    }
    const std::string word = all[*known];
    if (no && (word == "no" || word == "end" || word == "exit"))
    {
        c.FailAt(at, "expected a configuration command after no");
    }
    if (word == "no")
    {
        GlobalCommand(c, true);
        return;
    }
    if (word == "access-list")
    {
        NumberedAcl(c, no);
    }
    else if (word == "banner")
    {
        Banner(c, no);
    }
    else if (word == "crypto")
    {
        GlobalCrypto(c, no);
    }
    else if (word == "end" || word == "exit")
    {
        c.End();
        if (word == "end")
        {
            m_cfg.notModelled.push_back(c.Where());
        }
    }
    else if (word == "hostname")
    {
        if (no)
        {
            c.End();
            m_cfg.hostname = "Router";
            return;
        }
        const std::string name = c.Word("expected the router's name");
        c.End();
        m_cfg.hostname = name;
    }
    else if (word == "version")
    {
        Version(c, no);
    }
    else if (word == "interface")
    {
        if (!OtherInterface(c))
        {
            Interface(c, no);
        }
    }
    else if (word == "ip")
    {
        GlobalIp(c, no);
    }
    else if (word == "line")
    {
        NotModelled(c.Where(), &kLineWords);
    }
    else if (word == "router")
    {
        if (!RouterProcess(c, no))
        {
            NotModelled(c.Where(), &kRouterWords);
        }
    }
    else if (word == "class-map" || word == "policy-map")
    {
        NotModelled(c.Where(), &kClassWords);
    }
    else if (word == "key")
    {
        NotModelled(c.Where(), &kKeyWords);
    }
    else
    {
        NotModelled(c.Where());
    }
}

void
IosConfigReader::Session::Version(IosCursor& c, bool no)
{
    // `version 12.4` heads every running configuration: it says which release's output the
    // router prints (ToString(IosRelease)), as a scenario's "ios" key can too.
    if (no)
    {
        c.End();
        m_cfg.version.clear();
        m_cfg.release = IosRelease::IOS_15;
        return;
    }
    const size_t at = c.Position();
    const std::string version = c.Word("expected the IOS version, e.g. 12.4 or 15.1");
    c.End();
    const std::optional<IosRelease> release = IosReleaseOfVersion(version);
    if (!release)
    {
        c.FailAt(at, "expected an IOS version 12.x or 15.x and later, e.g. 12.4 or 15.1");
    }
    m_cfg.version = version;
    m_cfg.release = *release;
}

void
IosConfigReader::Session::Banner(IosCursor& c, bool no)
{
    static const Words types = {"exec", "incoming", "login", "motd", "prompt-timeout", "slip-ppp"};
    c.OptionalKeyword(types);
    if (no)
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (c.AtEnd())
    {
        c.Incomplete("expected a delimiter character and the banner text");
    }
    const size_t column = c.Peek().column;
    const std::string rest = c.Where().text.substr(column);
    // In a saved configuration the delimiter is written as the two characters "^C".
    const std::string delim = rest.compare(0, 2, "^C") == 0 ? "^C" : rest.substr(0, 1);
    m_cfg.notModelled.push_back(c.Where());
    if (rest.find(delim, delim.size()) == std::string::npos)
    {
        m_inBanner = true;
        m_bannerDelim = delim;
        m_bannerStart = c.Where();
        m_bannerColumn = column;
    }
}

// ------------------------------------------------------------------------------ ip (global)

void
IosConfigReader::Session::GlobalIp(IosCursor& c, bool no)
{
    const Words& ipWords = GlobalIpWords();
    if (!c.AtEnd() && IosWordMatches(c.Peek().text, "address", 3))
    {
        // Not a command we do not know but one given outside its interface: the interface's
        // address would be lost without a word.
        c.Fail("ip address is an interface command: give it after interface NAME");
    }
    const auto known = KnownWord(c, ipWords, kIpModelled,
                                 "expected route, access-list, cef or another ip configuration "
                                 "command");
    if (!known)
    {
        NotModelled(c.Where()); // `ip sla 1`, `ip vrf X`, `ip prefix-list ...`: with a block
        return;
    }
    const std::string word = ipWords[*known];
    if (word == "cef")
    {
        c.OptionalKeyword({"distributed"});
        c.End();
        m_cfg.ipCef = !no;
    }
    else if (word == "route")
    {
        Route(c, no);
    }
    else if (word == "access-list")
    {
        // IOS's other `ip access-list` commands (logging, resequencing) change no list.
        static const Words others = {"dynamic-extended", "log-update", "logging",
                                     "persistent",       "resequence", "role-based"};
        if (c.AtEnd() || !c.OptionalKeyword(others))
        {
            NamedAcl(c, no);
            return;
        }
        c.Seek(c.Tokens().size());
        NotModelled(c.Where());
    }
    else if (word == "nat")
    {
        static const Words natWords = {"inside", "log",     "outside",
                                       "pool",   "service", "translation"};
        const std::string k = natWords[c.Keyword(
            natWords, "expected inside, outside, pool, translation or another ip nat command")];
        if (k == "inside")
        {
            StaticNat(c, no);
        }
        else
        {
            m_cfg.notModelled.push_back(c.Where()); // dynamic NAT and PAT are not modelled
        }
    }
    else if (word == "host")
    {
        IpHost(c, no);
    }
    else if (word == "domain" || word == "domain-lookup" || word == "domain-name")
    {
        IpDomain(c, no, word != "domain");
    }
    else if (word == "name-server")
    {
        IpNameServer(c, no);
    }
    else
    {
        NotModelled(c.Where()); // with its block, if it opens one (`ip dhcp pool X`)
    }
}

bool
IosConfigReader::Session::OtherInterface(IosCursor& c)
{
    if (c.AtEnd())
    {
        return false;
    }
    const std::string& word = c.Peek().text;
    const std::string type = word.substr(0, word.find_first_of("0123456789"));
    if (type.empty() || IosMatchInterfaceName(word).result != IosKeywordMatch::Result::NONE)
    {
        return false; // a type the reader knows: Interface() reads it (and its errors)
    }
    const bool known =
        IosMatchKeyword(type, kOtherInterfaceTypes).result == IosKeywordMatch::Result::UNIQUE;
    if (!known)
    {
        // An interface type nobody has: a typing mistake, said so if it is close to a type.
        const std::string meant = IosDidYouMean(type, IosInterfaceTypes());
        if (!meant.empty())
        {
            c.Unknown(c.Position(),
                      "expected an interface, e.g. Serial0, FastEthernet0/0, Loopback0", meant);
        }
        return false;
    }
    c.Seek(c.Tokens().size());
    NotModelled(c.Where());
    return true;
}

bool
IosConfigReader::Session::CryptoFamilyNotModelled(IosCursor& c)
{
    static const Words cryptoWords = {"ca",  "dynamic-map", "ikev2", "ipsec", "isakmp",
                                      "key", "keyring",     "map",   "pki"};
    const std::vector<IosToken>& t = c.Tokens();
    const size_t at = c.Position();
    if (at >= t.size())
    {
        return false;
    }
    const IosKeywordMatch first = IosMatchKeyword(t[at].text, cryptoWords);
    if (first.result != IosKeywordMatch::Result::UNIQUE)
    {
        return false;
    }
    for (const auto& family : kCryptoNotModelled)
    {
        if (cryptoWords[first.index] != family.path[0])
        {
            continue;
        }
        // A second word (`crypto ipsec profile`) from four letters, as the first words of the
        // ipsec and isakmp commands leave no shorter abbreviation of it unique.
        if (family.path.size() > 1 &&
            (at + 1 >= t.size() || !IosWordMatches(t[at + 1].text, family.path[1], 4)))
        {
            continue;
        }
        c.Seek(t.size());
        NotModelled(c.Where(), family.blockWords);
        return true;
    }
    return false;
}

namespace
{
std::string
NatAddr(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}
} // namespace

void
IosConfigReader::Session::StaticNat(IosCursor& c, bool no)
{
    // `ip nat inside source static LOCAL GLOBAL`: one-to-one static NAT, the only kind modelled.
    c.Keyword({"destination", "source"}, "expected source");
    // Dynamic NAT and PAT (`source list ...`, `source route-map ...`) and static port
    // translation are read without effect: only one-to-one static NAT is modelled.
    if (c.AtEnd() ||
        IosMatchKeyword(c.Peek().text, {"static"}).result != IosKeywordMatch::Result::UNIQUE)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    c.Keyword({"static"});
    if (!c.AtEnd() &&
        IosMatchKeyword(c.Peek().text, {"tcp", "udp"}).result == IosKeywordMatch::Result::UNIQUE)
    {
        c.Seek(c.Tokens().size());
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    IosStaticNat n;
    n.local = c.Address("expected the inside local address A.B.C.D");
    const size_t globalToken = c.Position();
    n.global = c.Address("expected the inside global address A.B.C.D");
    c.End();
    n.where = c.Where();
    auto& v = m_cfg.staticNat;
    auto same = std::find_if(v.begin(), v.end(),
                             [&](const IosStaticNat& x)
                             { return x.local == n.local && x.global == n.global; });
    if (no)
    {
        if (same != v.end())
        {
            v.erase(same);
        }
        return;
    }
    for (const auto& x : v)
    {
        if (x.local == n.local && x.global != n.global)
        {
            c.FailWith(globalToken, "% " + NatAddr(n.local) + " already mapped (" +
                                        NatAddr(n.local) + " -> " + NatAddr(x.global) + ")");
        }
        if (x.global == n.global && x.local != n.local)
        {
            c.FailWith(globalToken, "% similar static entry (" + NatAddr(x.local) + " -> " +
                                        NatAddr(x.global) + ") already exists");
        }
    }
    if (same == v.end())
    {
        v.push_back(n);
    }
}

void
IosConfigReader::Session::Route(IosCursor& c, bool no)
{
    if (!c.AtEnd() && c.OptionalKeyword({"vrf"}))
    {
        // A route in a VRF's table: VRFs are not modelled, the global table is unchanged.
        c.Word("expected the VRF's name");
        c.Seek(c.Tokens().size());
        NotModelled(c.Where());
        return;
    }
    IosRoute r;
    const size_t netToken = c.Position();
    r.network = c.Address("expected the destination network A.B.C.D");
    const size_t maskToken = c.Position();
    r.mask = Ipv4Mask(c.Address("expected the destination mask, e.g. 255.255.255.0").Get());
    if (!Contiguous(r.mask.Get()) || (r.network.Get() & ~r.mask.Get()) != 0)
    {
        c.FailWith(Contiguous(r.mask.Get()) ? netToken : maskToken,
                   "% Inconsistent address and mask");
    }
    const std::string hopHint = "expected a next-hop address or an interface";
    if (!no || !c.AtEnd())
    {
        if (c.AtEnd())
        {
            c.Incomplete(hopHint);
        }
        if (IosParseAddress(c.Peek().text))
        {
            r.nextHop = c.Address(hopHint);
        }
        else
        {
            IosInterfaceNameMatch m = IosMatchInterfaceName(c.Peek().text);
            if (m.result == IosKeywordMatch::Result::NONE)
            {
                c.Fail(hopHint);
            }
            r.interface = c.InterfaceName();
            if (!c.AtEnd() && IosParseAddress(c.Peek().text))
            {
                r.nextHop = c.Address(hopHint);
            }
        }
    }
    if (!c.AtEnd() && AllDigits(c.Peek().text))
    {
        r.distance = static_cast<uint8_t>(c.Number(1, 255, "expected a distance from 1 to 255"));
    }
    while (!c.AtEnd())
    {
        static const Words options = {"name", "permanent", "tag", "track"};
        const size_t o = c.Keyword(options, "expected a distance, name, permanent, tag or track");
        if (o == 0)
        {
            c.Word("expected the route's name");
        }
        else if (o == 2)
        {
            c.Number(1, 4294967295u, "expected a tag from 1 to 4294967295");
        }
        else if (o == 3)
        {
            // Object tracking is not modelled: the route is always installed.
            c.Number(1, 1000, "expected a track object number from 1 to 1000");
        }
    }
    if (no)
    {
        auto& v = m_cfg.routes;
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosRoute& x)
                               {
                                   return x.network == r.network && x.mask == r.mask &&
                                          (r.interface.empty() || r.interface == x.interface) &&
                                          (!r.nextHop || r.nextHop == x.nextHop);
                               }),
                v.end());
        return;
    }
    m_cfg.routes.push_back(r);
}

// ------------------------------------------------------------------------------ the entry points

std::string
IosConfigReader::Session::EndMode() const
{
    switch (m_mode)
    {
    case Mode::INTERFACE:
        return "config-if";
    case Mode::CRYPTO_MAP:
        return "config-crypto-map";
    case Mode::TRANSFORM:
        return "cfg-crypto-trans";
    case Mode::ACL:
    {
        auto acl = m_cfg.accessLists.find(m_acl);
        return acl != m_cfg.accessLists.end() && !acl->second.extended ? "config-std-nacl"
                                                                       : "config-ext-nacl";
    }
    case Mode::ISAKMP_POLICY:
        return "config-isakmp";
    case Mode::IPSEC_PROFILE:
        return "ipsec-profile";
    case Mode::ROUTER:
        return "config-router";
    case Mode::KEYRING:
        return "conf-keyring";
    case Mode::ISAKMP_PROFILE:
        return "conf-isa-prof";
    case Mode::ISAKMP_PEER:
        return "config-isakmp-peer";
    case Mode::TRUSTPOINT:
        return "ca-trustpoint";
    case Mode::CERT_CHAIN:
        return "config-cert-chain";
    case Mode::PUBKEY_CHAIN:
        return "config-pubkey-chain";
    case Mode::PUBKEY_KEY:
        return "config-pubkey-key";
    case Mode::HEX_DATA:
        return "config-pubkey";
    case Mode::IKEV2_PROPOSAL:
        return "config-ikev2-proposal";
    case Mode::IKEV2_POLICY:
        return "config-ikev2-policy";
    case Mode::IKEV2_KEYRING:
        return "config-ikev2-keyring";
    case Mode::IKEV2_PEER:
        return "config-ikev2-keyring-peer";
    case Mode::IKEV2_PROFILE:
        return "config-ikev2-profile";
    case Mode::GLOBAL:
    case Mode::IGNORED:
        break;
    }
    return "config";
}

} // namespace ns3
