// IosConfigReader: numbered and named access lists and the access-list configuration mode.
#include "ios-config-reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

using namespace ios_config;

// ------------------------------------------------------------------------------ access lists

std::pair<Ipv4Address, uint32_t>
IosConfigReader::Session::AclAddress(IosCursor& c, bool extended, std::optional<size_t> keyword)
{
    const std::string hint = extended ? "expected any, host A.B.C.D or A.B.C.D WILDCARD"
                                      : "expected any, host A.B.C.D or A.B.C.D [WILDCARD]";
    if (!keyword)
    {
        if (c.AtEnd())
        {
            c.Incomplete(hint);
        }
        if (!IosParseAddress(c.Peek().text))
        {
            keyword = c.Keyword({"any", "host"}, hint);
        }
    }
    if (keyword && *keyword == 0)
    {
        return {Ipv4Address(), 0xffffffff};
    }
    if (keyword)
    {
        return {c.Address("expected the host's address A.B.C.D"), 0};
    }
    const Ipv4Address a = c.Address(hint);
    uint32_t w = 0;
    if (extended || (!c.AtEnd() && IosParseAddress(c.Peek().text)))
    {
        w = c.Address("expected a wildcard mask (1 bits = any), e.g. 0.0.0.255").Get();
    }
    // IOS keeps the address with its don't-care bits cleared.
    return {Ipv4Address(a.Get() & ~w), w};
}

uint16_t
IosConfigReader::Session::PortValue(IosCursor& c, uint8_t protocol)
{
    const std::string hint = "expected a port number 0-65535 or name, e.g. www, isakmp";
    if (c.AtEnd())
    {
        c.Incomplete(hint);
    }
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        return static_cast<uint16_t>(c.Number(0, 65535, hint));
    }
    Words names;
    for (const auto& p : PortsOf(protocol))
    {
        names.emplace_back(p.name);
    }
    return PortsOf(protocol)[c.Keyword(names, hint)].number;
}

IpsecPortMatch
IosConfigReader::Session::PortOp(IosCursor& c, size_t op, uint8_t protocol)
{
    IpsecPortMatch m;
    switch (op)
    {
    case 0:
        m.op = IpsecPortMatch::Op::EQ;
        break;
    case 1:
        m.op = IpsecPortMatch::Op::GT;
        break;
    case 2:
        m.op = IpsecPortMatch::Op::LT;
        break;
    case 3:
        m.op = IpsecPortMatch::Op::NEQ;
        break;
    default:
        m.op = IpsecPortMatch::Op::RANGE;
        break;
    }
    m.lo = PortValue(c, protocol);
    m.hi = m.lo;
    if (m.op == IpsecPortMatch::Op::RANGE)
    {
        const size_t t = c.Position();
        m.hi = PortValue(c, protocol);
        if (m.hi < m.lo)
        {
            c.FailAt(t, "the end of a range is not below its start");
        }
    }
    return m;
}

IosAclEntry
IosConfigReader::Session::AclEntry(IosCursor& c, bool permit, bool extended)
{
    IosAclEntry e;
    e.permit = permit;
    e.where = c.Where();
    IpsecTrafficSelector& s = e.selector;
    std::string logWord;
    const Words logWords = {"log", "log-input"};
    if (!extended)
    {
        auto [a, w] = AclAddress(c, false, std::nullopt);
        s.srcAddr = a;
        s.srcWildcard = w;
        if (auto l = c.OptionalKeyword(logWords))
        {
            logWord = logWords[*l];
        }
        c.End("expected log");
        std::ostringstream os;
        os << (permit ? "permit " : "deny ");
        if (w == 0xffffffff)
        {
            os << "any";
        }
        else if (w == 0)
        {
            os << a;
        }
        else
        {
            os << a << ", wildcard bits " << Ipv4Address(w);
        }
        e.log = !logWord.empty();
        e.text = os.str() + (logWord.empty() ? "" : " " + logWord);
        return e;
    }

    // Protocol: a name or a number (0, like ip, is any protocol).
    const std::string protoHint =
        "expected a protocol: ip, tcp, udp, icmp, esp, ahp, gre, ... or a number 0-255";
    if (c.AtEnd())
    {
        c.Incomplete(protoHint);
    }
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        s.protocol = static_cast<uint8_t>(c.Number(0, 255, protoHint));
    }
    else
    {
        Words names;
        for (const auto& p : kProtocols)
        {
            names.emplace_back(p.name);
        }
        s.protocol = kProtocols[c.Keyword(names, protoHint)].number;
    }
    const bool ports = s.protocol == 6 || s.protocol == 17;
    const Words ops = {"eq", "gt", "lt", "neq", "range"};

    auto [sa, sw] = AclAddress(c, true, std::nullopt);
    s.srcAddr = sa;
    s.srcWildcard = sw;
    std::optional<size_t> dstKeyword;
    if (ports && !c.AtEnd() && !IosParseAddress(c.Peek().text))
    {
        // The source port, or the destination (`any`, `host`): one set of keywords.
        const Words next = Concat(ops, {"any", "host"});
        const size_t k = c.Keyword(next, "expected a port operator (eq, gt, lt, neq, range) "
                                         "or the destination");
        if (k < ops.size())
        {
            s.srcPort = PortOp(c, k, s.protocol);
        }
        else
        {
            dstKeyword = k - ops.size();
        }
    }
    auto [da, dw] = AclAddress(c, true, dstKeyword);
    s.dstAddr = da;
    s.dstWildcard = dw;
    if (!c.AtEnd())
    {
        const Words next = ports ? Concat(ops, logWords) : logWords;
        std::string hint =
            ports ? "expected a port operator, log or log-input" : "expected log or log-input";
        if (s.protocol == 1)
        {
            hint = "ICMP message types are not modelled; expected log or log-input";
        }
        if (ports && IosLower(c.Peek().text) == "established")
        {
            hint = "established is not modelled; expected a port operator, log or log-input";
        }
        const size_t k = c.Keyword(next, hint);
        if (ports && k < ops.size())
        {
            s.dstPort = PortOp(c, k, s.protocol);
            if (auto l = c.OptionalKeyword(logWords))
            {
                logWord = logWords[*l];
            }
        }
        else
        {
            logWord = next[k];
        }
    }
    c.End(ports ? "expected log or log-input" : "nothing more expected");
    e.log = !logWord.empty();
    e.text = IosAclLineText(permit, s) + (logWord.empty() ? "" : " " + logWord);
    return e;
}

void
IosConfigReader::Session::AddAclEntry(const std::string& name, bool extended, IosAclEntry e,
                                      IosCursor& c, size_t nameToken, std::optional<uint32_t> seq,
                                      size_t seqToken)
{
    auto it = m_cfg.accessLists.find(name);
    if (it != m_cfg.accessLists.end() && it->second.extended != extended)
    {
        c.FailAt(nameToken, "access list " + name + " is already a" +
                                (it->second.extended ? "n extended" : " standard") + " list");
    }
    if (it != m_cfg.accessLists.end() && seq)
    {
        for (const auto& x : it->second.entries)
        {
            if (x.seq == *seq)
            {
                c.FailWith(seqToken, "% Duplicate sequence number");
            }
        }
    }
    IosAccessList& acl = m_cfg.accessLists[name];
    acl.name = name;
    acl.extended = extended;
    e.seq = seq ? *seq : (acl.entries.empty() ? 10 : acl.entries.back().seq + 10);
    auto pos = std::upper_bound(acl.entries.begin(), acl.entries.end(), e.seq,
                                [](uint32_t s, const IosAclEntry& x) { return s < x.seq; });
    acl.entries.insert(pos, std::move(e));
}

void
IosConfigReader::Session::NumberedAcl(IosCursor& c, bool no)
{
    const std::string hint = "expected an access list number: " + kAclNumbers;
    const size_t nameToken = c.Position();
    const uint64_t n = c.Number(1, 2699, hint);
    const AclKind kind = NumberedAclKind(n);
    if (kind == AclKind::INVALID)
    {
        c.FailAt(nameToken, hint);
    }
    const std::string name = std::to_string(n);
    if (no)
    {
        c.End();
        m_cfg.accessLists.erase(name);
        return;
    }
    static const Words actions = {"deny", "permit", "remark"};
    const size_t a = c.Keyword(actions);
    if (a == 2)
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    IosAclEntry e = AclEntry(c, a == 1, kind == AclKind::EXTENDED);
    AddAclEntry(name, kind == AclKind::EXTENDED, std::move(e), c, nameToken, std::nullopt, 0);
}

void
IosConfigReader::Session::NamedAcl(IosCursor& c, bool no)
{
    const bool extended = c.Keyword({"extended", "standard"}) == 0;
    const size_t nameToken = c.Position();
    const std::string name = c.Word("expected the access list's name or number");
    c.End();
    if (AllDigits(name))
    {
        auto n = IosParseNumber(name);
        const AclKind kind = n ? NumberedAclKind(*n) : AclKind::INVALID;
        if (kind != (extended ? AclKind::EXTENDED : AclKind::STANDARD))
        {
            c.FailAt(nameToken, extended ? "expected a name or 100-199, 2000-2699"
                                         : "expected a name or 1-99, 1300-1999");
        }
    }
    auto it = m_cfg.accessLists.find(name);
    if (it != m_cfg.accessLists.end() && it->second.extended != extended)
    {
        c.FailAt(nameToken, "access list " + name + " is already a" +
                                (it->second.extended ? "n extended" : " standard") + " list");
    }
    if (no)
    {
        m_cfg.accessLists.erase(name);
        return;
    }
    IosAccessList& acl = m_cfg.accessLists[name];
    acl.name = name;
    acl.extended = extended;
    m_acl = name;
    Enter(Mode::ACL);
}

void
IosConfigReader::Session::AclMode(IosCursor& c)
{
    IosAccessList& acl = m_cfg.accessLists.at(m_acl);
    std::optional<uint32_t> seq;
    const size_t seqToken = c.Position();
    if (std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
    {
        seq = static_cast<uint32_t>(
            c.Number(1, 2147483647, "expected a sequence number from 1 to 2147483647"));
    }
    static const Words words = {"deny", "exit", "no", "permit", "remark"};
    const size_t k = c.Keyword(words, "expected permit, deny, remark or no");
    const std::string word = words[k];
    if (seq && (word == "exit" || word == "no"))
    {
        c.FailAt(seqToken + 1, "expected permit, deny or remark after a sequence number");
    }
    if (word == "exit")
    {
        c.End();
        m_mode = Mode::GLOBAL;
        return;
    }
    if (word == "remark")
    {
        m_cfg.notModelled.push_back(c.Where());
        return;
    }
    if (word == "no")
    {
        auto& v = acl.entries;
        if (!c.AtEnd() && std::isdigit(static_cast<unsigned char>(c.Peek().text[0])))
        {
            const uint64_t s = c.Number(1, 2147483647, "expected a sequence number");
            c.End();
            v.erase(std::remove_if(v.begin(), v.end(),
                                   [&](const IosAclEntry& x) { return x.seq == s; }),
                    v.end());
            return;
        }
        const size_t a = c.Keyword({"deny", "permit", "remark"});
        if (a == 2)
        {
            return;
        }
        IosAclEntry e = AclEntry(c, a == 1, acl.extended);
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const IosAclEntry& x) { return x.text == e.text; }),
                v.end());
        return;
    }
    IosAclEntry e = AclEntry(c, word == "permit", acl.extended);
    AddAclEntry(m_acl, acl.extended, std::move(e), c, 0, seq, seqToken);
}

std::string
IosAclLineText(bool permit, const IpsecTrafficSelector& s)
{
    std::ostringstream os;
    os << (permit ? "permit " : "deny ") << ProtocolText(s.protocol) << " "
       << AddrText(s.srcAddr, s.srcWildcard) << PortText(s.protocol, s.srcPort) << " "
       << AddrText(s.dstAddr, s.dstWildcard) << PortText(s.protocol, s.dstPort);
    return os.str();
}

} // namespace ns3
