// Private to the proposal files (ike-proposal-phase1.cc, ike-proposal-phase2.cc): how a proposal
// or transform set aside is classed, lifetime reading and the small helpers both phases use.
#ifndef IPSEC_IKE_PROPOSAL_PRIVATE_H
#define IPSEC_IKE_PROPOSAL_PRIVATE_H

#include "ns3/ike-proposal.h"

#include "ns3/diffie-hellman.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace ns3
{
namespace ike_proposal
{

using Bytes = std::vector<uint8_t>;
using ipsec::AuthAlgorithm;
using ipsec::CipherAlgorithm;
using ipsec::CompressionAlgorithm;

/** RFC 2407 4.5: without an SA Life Type the lifetime is 28800 seconds (8 hours). */
inline constexpr uint32_t RFC2407_DEFAULT_SECONDS = 28800;
/** Life durations we accept and send: 32 bits. */
inline constexpr uint64_t MAX_LIFE_DURATION = 0xffffffffULL;

// ------------------------------------------------------------------------------- helpers

/** Why a proposal or transform was set aside; OK if it was not. */
struct Problem
{
    /** Severity: a malformed offer outranks an unsupported one. */
    enum Kind : uint8_t
    {
        OK = 0,
        UNSUPPORTED,
        MALFORMED,
    };

    Kind kind = OK;                       //!< the class
    uint16_t notify = ISAKMP_NOTIFY_NONE; //!< the notification this class answers with
    std::string why;                      //!< human-readable

    /** @return true if nothing is wrong */
    bool Ok() const
    {
        return kind == OK;
    }

    /** @brief Record a malformation (kept if it is the first or outranks what is recorded). */
    void Malformed(const std::string& reason)
    {
        if (kind < MALFORMED)
        {
            kind = MALFORMED;
            notify = ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX;
            why = reason;
        }
    }

    /** @brief Record something we do not support (kept if nothing is recorded yet). */
    void Unsupported(const std::string& reason,
                     uint16_t code = ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED)
    {
        if (kind == OK)
        {
            kind = UNSUPPORTED;
            notify = code;
            why = reason;
        }
    }

    /** @brief Take @p o if it outranks what is recorded. */
    void Merge(const Problem& o)
    {
        if (o.kind > kind)
        {
            *this = o;
        }
    }

    /** @return " [malformed: why]", " [not supported: why]" or "" */
    std::string Tag() const
    {
        switch (kind)
        {
        case MALFORMED:
            return " [malformed: " + why + "]";
        case UNSUPPORTED:
            return " [not supported: " + why + "]";
        default:
            return "";
        }
    }
};

/**
 * What the responder answers when nothing was chosen: NO-PROPOSAL-CHOSEN if at least one
 * proposal was understood, else the notification of the worst problem seen.
 */
struct Outcome
{
    bool anyUnderstood = false; //!< some proposal or transform was well-formed and supported
    Problem worst;              //!< the worst problem, the first of its class

    /** @brief Account for one proposal or transform. */
    void Add(const Problem& p)
    {
        if (p.Ok())
        {
            anyUnderstood = true;
        }
        else
        {
            worst.Merge(p);
        }
    }

    /** @return the notify type to answer with */
    uint16_t Notify() const
    {
        if (anyUnderstood || worst.Ok())
        {
            return ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN;
        }
        return worst.notify;
    }

    /** @return the reason's prefix for Notify() */
    std::string Prefix() const
    {
        switch (Notify())
        {
        case ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX:
            return "bad proposal syntax: ";
        case ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN:
            return "no proposal chosen: ";
        default:
            return std::string("no proposal chosen (") + IsakmpNotifyTypeName(Notify()) + "): ";
        }
    }
};

/** @return @p v as a 4-byte big-endian SPI */
inline Bytes
Spi32(uint32_t v)
{
    return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
            static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

/** @return @p v as a 2-byte big-endian CPI */
inline Bytes
Cpi16(uint16_t v)
{
    return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

/** @return the smaller of two limits where 0 means "no limit" */
inline uint64_t
MinLimit(uint64_t a, uint64_t b)
{
    if (a == 0)
    {
        return b;
    }
    if (b == 0)
    {
        return a;
    }
    return std::min(a, b);
}

/** @return the SA's DOI / situation problem, if any */
inline Problem
CheckDoi(const IsakmpSaPayload& sa)
{
    Problem p;
    if (sa.GetDoi() != ISAKMP_DOI_IPSEC)
    {
        p.Unsupported("DOI " + std::to_string(sa.GetDoi()) + " (only the IPsec DOI, 1)",
                      ISAKMP_NOTIFY_DOI_NOT_SUPPORTED);
    }
    else if (sa.GetSituation() != ISAKMP_SIT_IDENTITY_ONLY)
    {
        p.Unsupported("situation " + std::to_string(sa.GetSituation()) +
                          " (only SIT_IDENTITY_ONLY)",
                      ISAKMP_NOTIFY_SITUATION_NOT_SUPPORTED);
    }
    return p;
}

/**
 * Reads Life Type / Life Duration pairs (RFC 2409 Appendix A, RFC 2407 4.5): each Life
 * Duration follows the Life Type it measures.
 */
class LifeReader
{
public:
    std::optional<uint64_t> seconds;   //!< Life Duration for type seconds
    std::optional<uint64_t> kilobytes; //!< Life Duration for type kilobytes

    /** @brief A Life Type attribute. */
    void Type(const IsakmpAttribute& a, Problem& pr)
    {
        if (!a.IsBasic())
        {
            pr.Malformed("life type sent as a variable attribute (basic required)");
            return;
        }
        if (m_pending)
        {
            pr.Malformed("life type without a life duration");
        }
        uint16_t v = static_cast<uint16_t>(*a.GetInteger());
        if (v != IKE_LIFE_SECONDS && v != IKE_LIFE_KILOBYTES)
        {
            pr.Unsupported("life type " + std::to_string(v));
            m_pending = 0xffff; // its duration is read and dropped
            return;
        }
        if ((v == IKE_LIFE_SECONDS && seconds) || (v == IKE_LIFE_KILOBYTES && kilobytes))
        {
            pr.Malformed(std::string("life type ") +
                         (v == IKE_LIFE_SECONDS ? "seconds" : "kilobytes") + " given twice");
        }
        m_pending = v;
    }

    /** @brief A Life Duration attribute. */
    void Duration(const IsakmpAttribute& a, Problem& pr)
    {
        if (m_pending == 0)
        {
            pr.Malformed("life duration without a preceding life type");
            return;
        }
        uint16_t type = m_pending;
        m_pending = 0;
        std::optional<uint64_t> v = a.GetInteger();
        if (!v)
        {
            pr.Malformed("life duration of " + std::to_string(a.GetValue().size()) + " bytes");
            return;
        }
        if (*v == 0)
        {
            pr.Malformed("life duration of 0");
            return;
        }
        if (*v > MAX_LIFE_DURATION)
        {
            pr.Unsupported("life duration " + std::to_string(*v) + " exceeds 32 bits");
            return;
        }
        if (type == IKE_LIFE_SECONDS)
        {
            seconds = *v;
        }
        else if (type == IKE_LIFE_KILOBYTES)
        {
            kilobytes = *v;
        }
    }

    /** @brief The end of the attributes. */
    void Finish(Problem& pr) const
    {
        if (m_pending != 0)
        {
            pr.Malformed("life type without a life duration");
        }
    }

private:
    uint16_t m_pending = 0; //!< the life type awaiting its duration (0 none)
};

/** @return false (and records it) if @p a is not basic or already seen */
inline bool
CheckBasicOnce(const IsakmpAttribute& a, std::vector<uint16_t>& seen, const char* name, Problem& pr)
{
    if (std::find(seen.begin(), seen.end(), a.GetType()) != seen.end())
    {
        pr.Malformed(std::string(name) + " given twice");
        return false;
    }
    seen.push_back(a.GetType());
    if (!a.IsBasic())
    {
        pr.Malformed(std::string(name) + " sent as a variable attribute (basic required)");
        return false;
    }
    return true;
}

/** @return the IOS name of a DH group ("group2") */
inline std::string
GroupName(uint32_t group)
{
    return "group" + std::to_string(group);
}

} // namespace ike_proposal
} // namespace ns3

#endif
