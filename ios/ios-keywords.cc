#include "ns3/ios-keywords.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace ns3
{

std::vector<IosToken>
IosTokenize(const std::string& line)
{
    std::vector<IosToken> tokens;
    size_t i = 0;
    while (i < line.size())
    {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        {
            ++i;
        }
        if (i >= line.size())
        {
            break;
        }
        const size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
        {
            ++i;
        }
        tokens.push_back({line.substr(start, i - start), start});
    }
    return tokens;
}

std::string
IosLower(const std::string& s)
{
    std::string r = s;
    for (char& c : r)
    {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return r;
}

bool
IosWordMatches(const std::string& typed, const std::string& keyword, size_t minChars)
{
    const std::string t = IosLower(typed);
    return !t.empty() && t.size() >= minChars && t.size() <= keyword.size() &&
           IosLower(keyword).compare(0, t.size(), t) == 0;
}

IosKeywordMatch
IosMatchKeyword(const std::string& word, const std::vector<std::string>& keywords)
{
    IosKeywordMatch m;
    if (word.empty())
    {
        return m;
    }
    const std::string w = IosLower(word);
    std::vector<size_t> hits;
    for (size_t i = 0; i < keywords.size(); ++i)
    {
        const std::string k = IosLower(keywords[i]);
        if (k == w)
        {
            m.result = IosKeywordMatch::Result::UNIQUE;
            m.index = i;
            return m;
        }
        if (IosWordMatches(w, k))
        {
            hits.push_back(i);
        }
    }
    if (hits.size() == 1)
    {
        m.result = IosKeywordMatch::Result::UNIQUE;
        m.index = hits.front();
    }
    else if (hits.size() > 1)
    {
        m.result = IosKeywordMatch::Result::AMBIGUOUS;
        for (size_t i : hits)
        {
            m.candidates.push_back(keywords[i]);
        }
    }
    return m;
}

size_t
IosEditDistance(const std::string& a, const std::string& b)
{
    const std::string x = IosLower(a);
    const std::string y = IosLower(b);
    // d[i][j]: the distance between the first i characters of x and the first j of y.
    std::vector<std::vector<size_t>> d(x.size() + 1, std::vector<size_t>(y.size() + 1, 0));
    for (size_t i = 0; i <= x.size(); ++i)
    {
        d[i][0] = i;
    }
    for (size_t j = 0; j <= y.size(); ++j)
    {
        d[0][j] = j;
    }
    for (size_t i = 1; i <= x.size(); ++i)
    {
        for (size_t j = 1; j <= y.size(); ++j)
        {
            const size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
            {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[x.size()][y.size()];
}

std::string
IosDidYouMean(const std::string& word, const std::vector<std::string>& keywords)
{
    std::string best;
    size_t bestDistance = SIZE_MAX;
    auto hasLetter = [](const std::string& w)
    { return std::any_of(w.begin(), w.end(), [](unsigned char ch) { return std::isalpha(ch); }); };
    if (!hasLetter(word))
    {
        return best; // numbers and addresses are values, not mistyped keywords
    }
    for (const auto& k : keywords)
    {
        if (!hasLetter(k) || word.size() > k.size() + 2 || k.size() > word.size() + 2)
        {
            continue; // a number, or too far apart in length to be close (and long words cost)
        }
        const size_t d = IosEditDistance(word, k);
        // Short keywords: one swap or wrong letter, else every short word would be close to one.
        const bool close =
            k.size() <= 4 ? word.size() == k.size() && d <= 1 : word.size() >= 4 && d <= 2;
        if (close && d > 0 && d < bestDistance)
        {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

std::string
IosJoinChoices(const std::vector<std::string>& words)
{
    std::string s;
    for (size_t i = 0; i < words.size(); ++i)
    {
        if (i > 0)
        {
            s += i + 1 == words.size() ? " or " : ", ";
        }
        s += words[i];
    }
    return s;
}

std::optional<Ipv4Address>
IosParseAddress(const std::string& word)
{
    uint32_t value = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4)
    {
        size_t digits = 0;
        uint32_t part = 0;
        while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i])) && digits < 4)
        {
            part = part * 10 + static_cast<uint32_t>(word[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || digits > 3 || part > 255)
        {
            return std::nullopt;
        }
        value = (value << 8) | part;
        ++parts;
        if (parts < 4)
        {
            if (i >= word.size() || word[i] != '.')
            {
                return std::nullopt;
            }
            ++i;
        }
    }
    if (i != word.size())
    {
        return std::nullopt;
    }
    return Ipv4Address(value);
}

std::optional<uint64_t>
IosParseNumber(const std::string& word, bool hexAllowed)
{
    size_t i = 0;
    unsigned base = 10;
    if (hexAllowed && word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X'))
    {
        base = 16;
        i = 2;
    }
    if (i >= word.size())
    {
        return std::nullopt;
    }
    uint64_t v = 0;
    for (; i < word.size(); ++i)
    {
        const unsigned char c = static_cast<unsigned char>(word[i]);
        unsigned d;
        if (std::isdigit(c))
        {
            d = c - '0';
        }
        else if (base == 16 && std::isxdigit(c))
        {
            d = static_cast<unsigned>(std::tolower(c) - 'a' + 10);
        }
        else
        {
            return std::nullopt;
        }
        if (v > (UINT64_MAX - d) / base)
        {
            return std::nullopt;
        }
        v = v * base + d;
    }
    return v;
}

namespace
{
const std::vector<std::string>&
InterfaceTypes()
{
    // What `interface ?` lists on the routers of the spec's era (and a few later ones).
    static const std::vector<std::string> types = {
        "Async",
        "ATM",
        "BRI",
        "Dialer",
        "Ethernet",
        "FastEthernet",
        "GigabitEthernet",
        "Loopback",
        "Multilink",
        "Null",
        "Port-channel",
        "Serial",
        "TenGigabitEthernet",
        "Tunnel",
        "Virtual-Access",
        "Virtual-Template",
        "Vlan",
    };
    return types;
}

/** slot/port[/...][:channel][.subinterface], all decimal. */
bool
ValidUnit(const std::string& u)
{
    if (u.empty())
    {
        return false;
    }
    size_t i = 0;
    auto digits = [&]()
    {
        const size_t s = i;
        while (i < u.size() && std::isdigit(static_cast<unsigned char>(u[i])))
        {
            ++i;
        }
        return i > s && i - s <= 9;
    };
    if (!digits())
    {
        return false;
    }
    while (i < u.size() && u[i] == '/')
    {
        ++i;
        if (!digits())
        {
            return false;
        }
    }
    if (i < u.size() && u[i] == ':')
    {
        ++i;
        if (!digits())
        {
            return false;
        }
    }
    if (i < u.size() && u[i] == '.')
    {
        ++i;
        if (!digits())
        {
            return false;
        }
    }
    return i == u.size();
}
} // namespace

const std::vector<std::string>&
IosInterfaceTypes()
{
    return InterfaceTypes();
}

IosInterfaceNameMatch
IosMatchInterfaceName(const std::string& word)
{
    IosInterfaceNameMatch r;
    size_t split = 0;
    while (split < word.size() && !std::isdigit(static_cast<unsigned char>(word[split])))
    {
        ++split;
    }
    const std::string type = word.substr(0, split);
    const std::string unit = word.substr(split);
    if (type.empty())
    {
        return r;
    }
    IosKeywordMatch m = IosMatchKeyword(type, InterfaceTypes());
    r.result = m.result;
    r.candidates = m.candidates;
    if (m.result != IosKeywordMatch::Result::UNIQUE)
    {
        return r;
    }
    if (!ValidUnit(unit))
    {
        r.badUnit = true;
        return r;
    }
    r.name = InterfaceTypes()[m.index] + unit;
    return r;
}

namespace ios
{
std::string
InvalidDetail(const std::string& hint)
{
    std::string s = "% Invalid input detected at '^' marker.";
    if (!hint.empty())
    {
        s += " (" + hint + ")";
    }
    return s;
}

std::string
IncompleteDetail(const std::string& hint)
{
    std::string s = "% Incomplete command.";
    if (!hint.empty())
    {
        s += " (" + hint + ")";
    }
    return s;
}
} // namespace ios

IosCursor::IosCursor(const IosLocation& where) : m_where(where), m_tokens(IosTokenize(where.text))
{
}

size_t
IosCursor::EndColumn() const
{
    if (m_tokens.empty())
    {
        return 0;
    }
    const IosToken& last = m_tokens.back();
    return last.column + last.text.size() + 1;
}

std::string
IosCursor::Rest() const
{
    if (AtEnd())
    {
        return "";
    }
    std::string s = m_where.text.substr(Peek().column);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    {
        s.pop_back();
    }
    return s;
}

void
IosCursor::Fail(const std::string& hint) const
{
    if (AtEnd())
    {
        Incomplete(hint);
    }
    FailAt(m_pos, hint);
}

void
IosCursor::FailAt(size_t token, const std::string& hint) const
{
    FailWith(token, ios::InvalidDetail(hint));
}

void
IosCursor::FailWith(size_t token, const std::string& detail) const
{
    const size_t column = token < m_tokens.size() ? m_tokens[token].column : EndColumn();
    throw IosConfigError(m_where, column, detail);
}

void
IosCursor::Incomplete(const std::string& hint) const
{
    throw IosConfigError(m_where, EndColumn(), ios::IncompleteDetail(hint));
}

void
IosCursor::Ambiguous(size_t token, const std::vector<std::string>& candidates) const
{
    // IOS quotes the command up to the word it could not resolve.
    const IosToken& t = m_tokens.at(token);
    std::string typed = m_where.text.substr(m_tokens.front().column,
                                            t.column + t.text.size() - m_tokens.front().column);
    std::string detail = "% Ambiguous command: \"" + typed + "\"";
    if (!candidates.empty())
    {
        detail += " (" + IosJoinChoices(candidates) + ")";
    }
    throw IosConfigError(m_where, t.column, detail);
}

void
IosCursor::Unknown(size_t token, const std::string& hint, const std::string& suggestion) const
{
    const std::string text =
        suggestion.empty() ? hint
                           : "did you mean " + suggestion + "?" + (hint.empty() ? "" : " " + hint);
    const size_t column = token < m_tokens.size() ? m_tokens[token].column : EndColumn();
    throw IosUnknownWord(m_where, column, ios::InvalidDetail(text), token, suggestion);
}

size_t
IosCursor::Keyword(const std::vector<std::string>& keywords, const std::string& hint)
{
    const std::string expected = hint.empty() ? "expected " + IosJoinChoices(keywords) : hint;
    if (AtEnd())
    {
        Incomplete(expected);
    }
    IosKeywordMatch m = IosMatchKeyword(Peek().text, keywords);
    switch (m.result)
    {
    case IosKeywordMatch::Result::UNIQUE:
        ++m_pos;
        return m.index;
    case IosKeywordMatch::Result::AMBIGUOUS:
        Ambiguous(m_pos, m.candidates);
    case IosKeywordMatch::Result::NONE:
        break;
    }
    Unknown(m_pos, expected, IosDidYouMean(Peek().text, keywords));
}

std::optional<size_t>
IosCursor::OptionalKeyword(const std::vector<std::string>& keywords)
{
    if (AtEnd())
    {
        return std::nullopt;
    }
    IosKeywordMatch m = IosMatchKeyword(Peek().text, keywords);
    switch (m.result)
    {
    case IosKeywordMatch::Result::UNIQUE:
        ++m_pos;
        return m.index;
    case IosKeywordMatch::Result::AMBIGUOUS:
        Ambiguous(m_pos, m.candidates);
    case IosKeywordMatch::Result::NONE:
        break;
    }
    return std::nullopt;
}

std::string
IosCursor::Word(const std::string& hint)
{
    if (AtEnd())
    {
        Incomplete(hint);
    }
    return m_tokens[m_pos++].text;
}

uint64_t
IosCursor::Number(uint64_t lo, uint64_t hi, const std::string& hint, bool hexAllowed)
{
    if (AtEnd())
    {
        Incomplete(hint);
    }
    auto v = IosParseNumber(Peek().text, hexAllowed);
    if (!v || *v < lo || *v > hi)
    {
        FailAt(m_pos, hint);
    }
    ++m_pos;
    return *v;
}

Ipv4Address
IosCursor::Address(const std::string& hint)
{
    if (AtEnd())
    {
        Incomplete(hint);
    }
    auto a = IosParseAddress(Peek().text);
    if (!a)
    {
        FailAt(m_pos, hint);
    }
    ++m_pos;
    return *a;
}

std::string
IosCursor::InterfaceName()
{
    const std::string hint = "expected an interface, e.g. Serial0, FastEthernet0/0, Loopback0";
    if (AtEnd())
    {
        Incomplete(hint);
    }
    std::string word = Peek().text;
    const size_t at = m_pos;
    // "Serial 0": the type and the unit as two words.
    const bool typeOnly =
        std::none_of(word.begin(), word.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (typeOnly && m_pos + 1 < m_tokens.size() &&
        std::isdigit(static_cast<unsigned char>(m_tokens[m_pos + 1].text[0])))
    {
        word += m_tokens[m_pos + 1].text;
        IosInterfaceNameMatch m = IosMatchInterfaceName(word);
        if (m.result == IosKeywordMatch::Result::UNIQUE && !m.badUnit)
        {
            m_pos += 2;
            return m.name;
        }
        if (m.result == IosKeywordMatch::Result::UNIQUE)
        {
            FailAt(at + 1, "bad interface number");
        }
    }
    IosInterfaceNameMatch m = IosMatchInterfaceName(word);
    if (m.result == IosKeywordMatch::Result::AMBIGUOUS)
    {
        Ambiguous(at, m.candidates);
    }
    if (m.result == IosKeywordMatch::Result::NONE)
    {
        FailAt(at, hint);
    }
    if (m.badUnit)
    {
        if (typeOnly && m_pos + 1 >= m_tokens.size())
        {
            Incomplete("expected the interface number");
        }
        FailAt(at, "bad interface number");
    }
    ++m_pos;
    return m.name;
}

void
IosCursor::End(const std::string& hint)
{
    if (!AtEnd())
    {
        FailAt(m_pos, hint.empty() ? "nothing more expected" : hint);
    }
}

} // namespace ns3
