/**
 * @file
 * SA payloads of IKEv1: the offers of phase 1 (RFC 2409 5, Appendix A) and quick mode (RFC 2407
 * 4.5, 4.6.2), the responder's choice, its reply and the initiator's check of that reply.
 *
 * Everything that comes from the peer is read defensively: a proposal or transform that cannot
 * be understood is set aside with a reason, never trusted and never a crash. Each one set aside
 * falls in one of three classes, which decide the notification sent when nothing is chosen:
 *
 * - malformed (BAD-PROPOSAL-SYNTAX): the RFCs forbid it (a Life Duration without a Life Type, a
 *   basic attribute sent in variable form, an attribute given twice, an SPI of the wrong size,
 *   two payloads of one protocol in one proposal, a zero lifetime);
 * - not supported (ATTRIBUTES-NOT-SUPPORTED, INVALID-PROTOCOL-ID): well-formed, but outside what
 *   we implement (an unknown attribute class, a lifetime beyond 32 bits, NAT-T encapsulation
 *   modes, a group we do not model, a protocol other than AH, ESP and IPComp);
 * - understood: then a mismatch is NO-PROPOSAL-CHOSEN, whatever else the offer held.
 *
 * Choices where the RFCs leave room:
 *
 * - esp-rfc1829 is offered as ESP_DES_IV64, the RFC 1829 DES-CBC transform with a 64-bit IV
 *   (RFC 2407 4.4.4), so it never equals esp-des (ESP_DES, RFC 2405 format) on either side;
 * - an AES transform without a Key Length attribute is AES-128 (phase 1 and quick mode alike);
 * - a phase-1 transform without a lifetime takes our policy's; a quick-mode transform without
 *   one counts as RFC 2407's 28800 s and no kilobytes limit; an absent encapsulation mode is
 *   host-dependent (RFC 2407 4.5), i.e. whatever our set says;
 * - a quick-mode payload may list several transforms (alternatives, RFC 2408 4.2): the first
 *   one equal to our set is chosen, and the reply carries only it;
 * - life durations are 32-bit: longer ones received are not supported, ours are clamped.
 */
#include "ike-proposal-private.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeProposal");

using namespace ike_proposal;

namespace
{

// ------------------------------------------------------------------------------- phase 1

/** A phase-1 transform as read from the wire. */
struct P1Transform
{
    Problem problem; //!< OK if understood
    IkePolicy suite; //!< encryption, key length, hash, authentication, group
    bool hasKeyLength = false;
    bool hasLifetime = false; //!< a life duration in seconds was given
};

/** @return the key length to compare: AES without one is 128 (RFC 3602 / IOS `aes`) */
uint16_t
NormalKeyLength(uint16_t encryption, uint16_t keyLength)
{
    if (encryption == IKE_ENCR_AES_CBC)
    {
        return keyLength == 0 ? 128 : keyLength;
    }
    if ((encryption == IKE_ENCR_DES_CBC && keyLength == 64) ||
        (encryption == IKE_ENCR_3DES_CBC && keyLength == 192))
    {
        return 0; // the algorithm's fixed key length, stated
    }
    return keyLength;
}

/** @return true if @p a and @p b are the same suite (IkePolicy::SameSuite, key lengths normal) */
bool
SameSuite(const IkePolicy& a, const IkePolicy& b)
{
    return a.encryption == b.encryption &&
           NormalKeyLength(a.encryption, a.keyLength) ==
               NormalKeyLength(b.encryption, b.keyLength) &&
           a.hash == b.hash && a.authentication == b.authentication && a.group == b.group;
}

/** @return "3DES SHA pre-share group2 86400s" (with @p lifetime) */
std::string
DescribeSuite(const IkePolicy& p, bool lifetime = true)
{
    std::ostringstream os;
    switch (p.encryption)
    {
    case IKE_ENCR_DES_CBC:
        os << "DES";
        break;
    case IKE_ENCR_IDEA_CBC:
        os << "IDEA";
        break;
    case IKE_ENCR_BLOWFISH_CBC:
        os << "Blowfish";
        break;
    case IKE_ENCR_RC5_R16_B64_CBC:
        os << "RC5";
        break;
    case IKE_ENCR_3DES_CBC:
        os << "3DES";
        break;
    case IKE_ENCR_CAST_CBC:
        os << "CAST";
        break;
    case IKE_ENCR_AES_CBC:
        os << "AES-" << NormalKeyLength(p.encryption, p.keyLength);
        break;
    default:
        os << "encryption-" << p.encryption;
    }
    if (p.encryption != IKE_ENCR_AES_CBC && NormalKeyLength(p.encryption, p.keyLength) != 0)
    {
        os << "/" << p.keyLength;
    }
    os << " ";
    switch (p.hash)
    {
    case IKE_HASH_MD5:
        os << "MD5";
        break;
    case IKE_HASH_SHA:
        os << "SHA";
        break;
    case IKE_HASH_TIGER:
        os << "Tiger";
        break;
    case IKE_HASH_SHA2_256:
        os << "SHA256";
        break;
    case IKE_HASH_SHA2_384:
        os << "SHA384";
        break;
    case IKE_HASH_SHA2_512:
        os << "SHA512";
        break;
    default:
        os << "hash-" << p.hash;
    }
    os << " ";
    switch (p.authentication)
    {
    case IKE_AUTH_PRE_SHARED_KEY:
        os << "pre-share";
        break;
    case IKE_AUTH_DSS_SIGNATURES:
        os << "dss-sig";
        break;
    case IKE_AUTH_RSA_SIGNATURES:
        os << "rsa-sig";
        break;
    case IKE_AUTH_RSA_ENCRYPTION:
        os << "rsa-encr";
        break;
    case IKE_AUTH_RSA_REVISED_ENCRYPTION:
        os << "rsa-revised-encr";
        break;
    default:
        os << "auth-" << p.authentication;
    }
    os << " " << GroupName(p.group);
    if (lifetime)
    {
        os << " " << p.lifetimeSeconds << "s";
    }
    return os.str();
}

/** @return phase-1 transform @p t read (lifetime 0 and hasLifetime false when it has none) */
P1Transform
ReadPhase1Transform(const IsakmpTransform& t)
{
    P1Transform r;
    r.suite.lifetimeSeconds = 0;
    if (t.GetTransformId() != ISAKMP_KEY_IKE)
    {
        r.problem.Malformed("transform id " + std::to_string(t.GetTransformId()) +
                            " (only KEY_IKE in a PROTO_ISAKMP proposal)");
        return r;
    }
    std::vector<uint16_t> seen;
    LifeReader life;
    bool enc = false;
    bool hash = false;
    bool auth = false;
    bool group = false;
    for (const IsakmpAttribute& a : t.GetAttributes())
    {
        switch (a.GetType())
        {
        case IKE_ATTR_ENCRYPTION_ALGORITHM:
            if (CheckBasicOnce(a, seen, "encryption algorithm", r.problem))
            {
                r.suite.encryption = static_cast<uint16_t>(*a.GetInteger());
                enc = true;
            }
            break;
        case IKE_ATTR_HASH_ALGORITHM:
            if (CheckBasicOnce(a, seen, "hash algorithm", r.problem))
            {
                r.suite.hash = static_cast<uint16_t>(*a.GetInteger());
                hash = true;
            }
            break;
        case IKE_ATTR_AUTHENTICATION_METHOD:
            if (CheckBasicOnce(a, seen, "authentication method", r.problem))
            {
                r.suite.authentication = static_cast<uint16_t>(*a.GetInteger());
                auth = true;
            }
            break;
        case IKE_ATTR_GROUP_DESCRIPTION:
            if (CheckBasicOnce(a, seen, "group description", r.problem))
            {
                r.suite.group = static_cast<uint16_t>(*a.GetInteger());
                group = true;
            }
            break;
        case IKE_ATTR_KEY_LENGTH:
            if (CheckBasicOnce(a, seen, "key length", r.problem))
            {
                r.suite.keyLength = static_cast<uint16_t>(*a.GetInteger());
                r.hasKeyLength = true;
            }
            break;
        case IKE_ATTR_LIFE_TYPE:
            life.Type(a, r.problem);
            break;
        case IKE_ATTR_LIFE_DURATION:
            life.Duration(a, r.problem);
            break;
        case IKE_ATTR_GROUP_TYPE:
        case IKE_ATTR_GROUP_PRIME:
        case IKE_ATTR_GROUP_GENERATOR_ONE:
        case IKE_ATTR_GROUP_GENERATOR_TWO:
        case IKE_ATTR_GROUP_CURVE_A:
        case IKE_ATTR_GROUP_CURVE_B:
        case IKE_ATTR_GROUP_ORDER:
        case IKE_ATTR_FIELD_SIZE:
            r.problem.Unsupported("private group attribute " + std::to_string(a.GetType()));
            break;
        case IKE_ATTR_PRF:
            r.problem.Unsupported("PRF attribute (no PRF is defined for IKEv1)");
            break;
        default:
            r.problem.Unsupported("unknown attribute class " + std::to_string(a.GetType()));
        }
    }
    life.Finish(r.problem);
    // RFC 2409 5: the ISAKMP SA must settle the encryption algorithm, the hash algorithm, the
    // authentication method and the Diffie-Hellman group.
    if (!enc || !hash || !auth || !group)
    {
        r.problem.Malformed(std::string("missing ") + (!enc    ? "encryption algorithm"
                                                       : !hash ? "hash algorithm"
                                                       : !auth ? "authentication method"
                                                               : "group description"));
    }
    if (r.suite.encryption == IKE_ENCR_AES_CBC && !r.hasKeyLength)
    {
        r.suite.keyLength = 128; // RFC 3602 in IKE, IOS `encryption aes`
    }
    if (life.seconds)
    {
        r.suite.lifetimeSeconds = static_cast<uint32_t>(*life.seconds);
        r.hasLifetime = true;
    }
    return r;
}

/** @return "AES-256 SHA pre-share group14 86400s" for a peer's transform, problems tagged */
std::string
DescribeP1(const P1Transform& t)
{
    if (t.problem.kind == Problem::MALFORMED)
    {
        return "transform" + t.problem.Tag();
    }
    std::string s = DescribeSuite(t.suite, t.hasLifetime);
    if (!t.hasLifetime)
    {
        s += " (no lifetime)";
    }
    return s + t.problem.Tag();
}

/** Checks of the proposal layer of a phase-1 SA. @return OK, or the syntax problem */
Problem
CheckPhase1Proposals(const IsakmpSaPayload& sa, const char* who)
{
    Problem p = CheckDoi(sa);
    if (!p.Ok())
    {
        return p;
    }
    if (sa.GetProposals().empty())
    {
        p.Malformed(std::string(who) + " SA payload without a proposal");
        return p;
    }
    for (const IsakmpProposal& prop : sa.GetProposals())
    {
        if (prop.GetProtocolId() != ISAKMP_PROTO_ISAKMP)
        {
            p.Malformed("phase-1 proposal " + std::to_string(prop.GetProposalNumber()) +
                        " has protocol " + std::to_string(prop.GetProtocolId()) +
                        " (PROTO_ISAKMP required)");
            return p;
        }
        if (prop.GetTransforms().empty())
        {
            p.Malformed("phase-1 proposal " + std::to_string(prop.GetProposalNumber()) +
                        " without a transform");
            return p;
        }
        for (const IsakmpTransform& t : prop.GetTransforms())
        {
            if (t.GetTransformId() != ISAKMP_KEY_IKE)
            {
                p.Malformed("phase-1 transform " + std::to_string(t.GetTransformNumber()) +
                            " has id " + std::to_string(t.GetTransformId()) +
                            " (KEY_IKE required)");
                return p;
            }
        }
    }
    return p;
}

} // namespace

// ------------------------------------------------------------------------------- phase 1

IsakmpSaPayload
IkeMakePhase1Offer(const std::vector<IkePolicy>& policies)
{
    IsakmpSaPayload sa;
    sa.SetDoi(ISAKMP_DOI_IPSEC);
    sa.SetSituation(ISAKMP_SIT_IDENTITY_ONLY);
    IsakmpProposal p(1, ISAKMP_PROTO_ISAKMP);
    NS_ABORT_MSG_IF(policies.size() > IsakmpProposal::MAX_TRANSFORMS,
                    "more than 255 phase-1 policies cannot be offered");
    NS_ABORT_MSG_IF(policies.empty(), "a phase-1 offer needs at least one policy");
    for (size_t k = 0; k < policies.size(); ++k)
    {
        const IkePolicy& pol = policies[k];
        IsakmpTransform t(static_cast<uint8_t>(k + 1), ISAKMP_KEY_IKE);
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, pol.encryption));
        if (pol.keyLength != 0)
        {
            t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_KEY_LENGTH, pol.keyLength));
        }
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, pol.hash));
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, pol.authentication));
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, pol.group));
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS));
        // RFC 2409 Appendix A: Life Duration is "V"; 86400 needs the variable form.
        t.AddAttribute(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, pol.lifetimeSeconds));
        p.AddTransform(t);
    }
    sa.AddProposal(p);
    return sa;
}

IkePhase1Selection
IkeSelectPhase1(const IsakmpSaPayload& offer, const std::vector<IkePolicy>& ours)
{
    IkePhase1Selection sel;
    Problem syntax = CheckPhase1Proposals(offer, "peer's");
    if (!syntax.Ok())
    {
        sel.notify = syntax.notify;
        sel.reason = (syntax.kind == Problem::MALFORMED ? "bad proposal syntax: "
                                                        : "phase-1 offer not supported: ") +
                     syntax.why;
        NS_LOG_INFO(sel.reason);
        return sel;
    }

    // the peer's transforms in its order
    struct Offered
    {
        const IsakmpProposal* proposal;
        const IsakmpTransform* transform;
        P1Transform read;
    };
    std::vector<Offered> offered;
    Outcome outcome;
    for (const IsakmpProposal& p : offer.GetProposals())
    {
        for (const IsakmpTransform& t : p.GetTransforms())
        {
            offered.push_back({&p, &t, ReadPhase1Transform(t)});
            outcome.Add(offered.back().read.problem);
        }
    }

    // IOS: our policies in priority order, each against the peer's transforms in order
    std::vector<IkePolicy> sorted = ours;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const IkePolicy& a, const IkePolicy& b)
                     { return a.priority < b.priority; });
    std::string lifetimeNotes;
    for (const IkePolicy& pol : sorted)
    {
        for (const Offered& o : offered)
        {
            if (!o.read.problem.Ok() || !SameSuite(pol, o.read.suite))
            {
                continue;
            }
            uint32_t lifetime =
                o.read.hasLifetime ? o.read.suite.lifetimeSeconds : pol.lifetimeSeconds;
            if (lifetime > pol.lifetimeSeconds)
            {
                lifetimeNotes += "; policy " + std::to_string(pol.priority) +
                                 " has the suite of transform " +
                                 std::to_string(o.transform->GetTransformNumber()) +
                                 " but its lifetime " + std::to_string(pol.lifetimeSeconds) +
                                 "s is below the offered " + std::to_string(lifetime) + "s";
                continue;
            }
            sel.ok = true;
            sel.policy = pol;
            sel.policy.lifetimeSeconds = lifetime;
            sel.reply = IsakmpSaPayload();
            sel.reply.SetDoi(offer.GetDoi());
            sel.reply.SetSituation(offer.GetSituation());
            IsakmpProposal p(o.proposal->GetProposalNumber(), o.proposal->GetProtocolId(),
                             o.proposal->GetSpi());
            p.AddTransform(*o.transform);
            sel.reply.AddProposal(p);
            NS_LOG_INFO("phase 1: policy " << pol.priority << " (" << DescribeSuite(sel.policy)
                                           << ") matches the peer's transform "
                                           << +o.transform->GetTransformNumber());
            return sel;
        }
    }

    std::string peer;
    for (size_t k = 0; k < offered.size(); ++k)
    {
        peer += (k ? ", " : "") + DescribeP1(offered[k].read);
    }
    std::string we;
    for (size_t k = 0; k < sorted.size(); ++k)
    {
        we += (k ? ", " : "") + DescribeSuite(sorted[k]);
    }
    sel.notify = outcome.Notify();
    sel.reason = outcome.Prefix() + "peer offered " + peer + "; " +
                 (sorted.empty() ? std::string("we have no policy") : "we accept " + we) +
                 lifetimeNotes;
    NS_LOG_INFO(sel.reason);
    return sel;
}

std::optional<IkePolicy>
IkeAcceptPhase1Reply(const IsakmpSaPayload& reply, const std::vector<IkePolicy>& offered,
                     std::string* reason)
{
    auto fail = [reason](const std::string& why) -> std::optional<IkePolicy>
    {
        NS_LOG_INFO("phase-1 reply refused: " << why);
        if (reason)
        {
            *reason = why;
        }
        return std::nullopt;
    };
    Problem syntax = CheckPhase1Proposals(reply, "responder's");
    if (!syntax.Ok())
    {
        return fail(syntax.why);
    }
    if (reply.GetProposals().size() != 1 || reply.GetProposals()[0].GetTransforms().size() != 1)
    {
        size_t n = 0;
        for (const auto& p : reply.GetProposals())
        {
            n += p.GetTransforms().size();
        }
        return fail("the responder's SA must hold one proposal with one transform, it holds " +
                    std::to_string(reply.GetProposals().size()) + " proposal(s) and " +
                    std::to_string(n) + " transform(s)");
    }
    const IsakmpTransform& t = reply.GetProposals()[0].GetTransforms()[0];
    P1Transform r = ReadPhase1Transform(t);
    if (!r.problem.Ok())
    {
        return fail("the responder's transform: " + r.problem.why);
    }
    // the policy the transform number names first, then any other of the same suite
    std::vector<size_t> order;
    size_t named = size_t(t.GetTransformNumber()) - 1;
    if (t.GetTransformNumber() != 0 && named < offered.size())
    {
        order.push_back(named);
    }
    for (size_t k = 0; k < offered.size(); ++k)
    {
        if (k != named)
        {
            order.push_back(k);
        }
    }
    bool sameSuite = false;
    for (size_t k : order)
    {
        const IkePolicy& pol = offered[k];
        if (!SameSuite(pol, r.suite))
        {
            continue;
        }
        sameSuite = true;
        uint32_t lifetime = r.hasLifetime ? r.suite.lifetimeSeconds : pol.lifetimeSeconds;
        if (lifetime > pol.lifetimeSeconds)
        {
            continue;
        }
        IkePolicy chosen = pol;
        chosen.lifetimeSeconds = lifetime;
        return chosen;
    }
    if (sameSuite)
    {
        return fail("the responder chose " + DescribeSuite(r.suite, r.hasLifetime) +
                    ", a lifetime above what we offered for that suite");
    }
    std::string we;
    for (size_t k = 0; k < offered.size(); ++k)
    {
        we += (k ? ", " : "") + DescribeSuite(offered[k]);
    }
    return fail("the responder chose " + DescribeSuite(r.suite, r.hasLifetime) +
                ", which we did not offer (we offered " + we + ")");
}

} // namespace ns3
