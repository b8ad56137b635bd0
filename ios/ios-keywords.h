// The IOS command-line rules shared by the configuration reader and the EXEC parser: words split
// on blanks, keywords matched without regard to case and abbreviated to any prefix that names one
// keyword of those allowed at that position, and errors laid out as IOS prints them (a '^' under
// the word that was not understood).
#ifndef IPSEC_IOS_KEYWORDS_H
#define IPSEC_IOS_KEYWORDS_H

#include "ns3/ios-config.h"

#include "ns3/ipv4-address.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/** One word of a command line and the 0-based column it starts at. */
struct IosToken
{
    std::string text;
    size_t column = 0;
};

/** Splits a line on spaces and tabs. */
std::vector<IosToken> IosTokenize(const std::string& line);

/** ASCII lower case (IOS keywords are case-insensitive; names are not). */
std::string IosLower(const std::string& s);

/** How a word matched the keywords allowed at one position. */
struct IosKeywordMatch
{
    enum class Result : uint8_t
    {
        NONE,      //!< no keyword starts with the word
        UNIQUE,    //!< the word is a keyword or a prefix of exactly one
        AMBIGUOUS, //!< the word is a prefix of several keywords and none of them exactly
    };
    Result result = Result::NONE;
    size_t index = 0;                    //!< for UNIQUE: which keyword
    std::vector<std::string> candidates; //!< for AMBIGUOUS: the keywords it could be
};

/**
 * Does @p typed name @p keyword as IOS abbreviates it: a prefix of the keyword (case ignored) of
 * at least @p minChars characters? The one test behind every IOS word, for callers that know the
 * keyword they expect (the console's "conf" for configure, "exit" from 3 letters); IosMatchKeyword
 * and IosCursor apply it to the set of keywords allowed at a position.
 */
bool IosWordMatches(const std::string& typed, const std::string& keyword, size_t minChars = 1);

/**
 * The IOS abbreviation rule: a keyword written in full wins; otherwise a word names the one
 * keyword it is a prefix of. Case is ignored.
 */
IosKeywordMatch IosMatchKeyword(const std::string& word, const std::vector<std::string>& keywords);

/** Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 *  and swaps of two neighbouring characters), case ignored. */
size_t IosEditDistance(const std::string& a, const std::string& b);

/**
 * The keyword of @p keywords that @p word is most probably a typing mistake for, or "" if none is
 * close: one edit for keywords of up to four letters (a swap or a wrong letter, the same length:
 * "pi" for ip, "mpa" for map), two for longer ones ("acess-list", "interfce", "rotue"). Words that
 * are abbreviations are matched by IosMatchKeyword before anyone asks this.
 */
std::string IosDidYouMean(const std::string& word, const std::vector<std::string>& keywords);

/** "a, b or c" for hints. */
std::string IosJoinChoices(const std::vector<std::string>& words);

/** Strict dotted quad (four decimal numbers 0-255); nullopt otherwise. */
std::optional<Ipv4Address> IosParseAddress(const std::string& word);

/** Decimal (or 0x hexadecimal when @p hexAllowed) without sign; nullopt if not a number or if it
 *  does not fit in 64 bits. */
std::optional<uint64_t> IosParseNumber(const std::string& word, bool hexAllowed = false);

/** Interface-name abbreviations ("s0" -> "Serial0"). */
struct IosInterfaceNameMatch
{
    IosKeywordMatch::Result result = IosKeywordMatch::Result::NONE;
    std::string name;                    //!< canonical, for UNIQUE with a valid unit
    std::vector<std::string> candidates; //!< for AMBIGUOUS
    bool badUnit = false;                //!< the type is known but the unit is missing or bad
};
IosInterfaceNameMatch IosMatchInterfaceName(const std::string& word);
/** The interface types IosMatchInterfaceName knows ("Serial", "FastEthernet", ...). */
const std::vector<std::string>& IosInterfaceTypes();

/**
 * A word that is none of the keywords allowed where it stands (IosCursor::Keyword). The reader
 * uses the word's position and the suggestion to tell a command it does not model (accepted and
 * listed) from a typing mistake in one it does (an error saying what was probably meant).
 */
class IosUnknownWord : public IosConfigError
{
public:
    IosUnknownWord(const IosLocation& where, size_t column, const std::string& detail, size_t token,
                   std::string suggestion)
        : IosConfigError(where, column, detail), m_token(token), m_suggestion(std::move(suggestion))
    {
    }
    size_t Token() const
    {
        return m_token;
    } //!< the index of the word on its line
    const std::string& Suggestion() const
    {
        return m_suggestion;
    } //!< the keyword probably meant; empty if none is close

private:
    size_t m_token;
    std::string m_suggestion;
};

/** The errors of the IOS parser, thrown as IosConfigError. */
namespace ios
{
/** "% Invalid input detected at '^' marker. (hint)" */
std::string InvalidDetail(const std::string& hint);
/** "% Incomplete command. (hint)" */
std::string IncompleteDetail(const std::string& hint);
} // namespace ios

/**
 * @brief Reads the words of one command line left to right, as the IOS parser does: each step
 * says what it expects, and a word that does not fit raises an IosConfigError at its column.
 */
class IosCursor
{
public:
    explicit IosCursor(const IosLocation& where);

    const IosLocation& Where() const
    {
        return m_where;
    }
    const std::vector<IosToken>& Tokens() const
    {
        return m_tokens;
    }
    size_t Position() const
    {
        return m_pos;
    }
    void Seek(size_t pos)
    {
        m_pos = pos;
    }
    bool AtEnd() const
    {
        return m_pos >= m_tokens.size();
    }
    /** The next word (the cursor must not be at the end). */
    const IosToken& Peek() const
    {
        return m_tokens.at(m_pos);
    }
    /** The column just past the last word plus one blank: where "% Incomplete command." points. */
    size_t EndColumn() const;
    /** The line's text from the next word on (verbatim), empty at the end. */
    std::string Rest() const;

    /** The next word must be one of @p keywords (abbreviations allowed); returns its index. */
    size_t Keyword(const std::vector<std::string>& keywords, const std::string& hint = "");
    /** Like Keyword, but returns nullopt (and does not move) when the line ends or the next word
     *  is none of @p keywords. An ambiguous abbreviation is still an error. */
    std::optional<size_t> OptionalKeyword(const std::vector<std::string>& keywords);
    /** Any word (a name). */
    std::string Word(const std::string& hint);
    /** A decimal number in [lo, hi]. */
    uint64_t Number(uint64_t lo, uint64_t hi, const std::string& hint, bool hexAllowed = false);
    /** A dotted-quad address. */
    Ipv4Address Address(const std::string& hint);
    /** An interface name, canonical ("Serial0"); "Serial 0" (two words) is accepted too. */
    std::string InterfaceName();
    /** No words may follow. */
    void End(const std::string& hint = "");

    /** Error at the next word, or "% Incomplete command." when the line has ended. */
    [[noreturn]] void Fail(const std::string& hint) const;
    /** Error at word @p token. */
    [[noreturn]] void FailAt(size_t token, const std::string& hint) const;
    /** Error at word @p token with a detail of the caller's own. */
    [[noreturn]] void FailWith(size_t token, const std::string& detail) const;
    [[noreturn]] void Incomplete(const std::string& hint) const;
    [[noreturn]] void Ambiguous(size_t token, const std::vector<std::string>& candidates) const;
    /** IosUnknownWord at word @p token: "did you mean S?" when @p suggestion is given. */
    [[noreturn]] void Unknown(size_t token, const std::string& hint,
                              const std::string& suggestion = "") const;

private:
    IosLocation m_where;
    std::vector<IosToken> m_tokens;
    size_t m_pos = 0;
};

} // namespace ns3

#endif
