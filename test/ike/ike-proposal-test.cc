// SA payloads of IKEv1 (model/ike/ike-proposal.h): the phase-1 and quick-mode offers as the RFCs
// lay them out (RFC 2409 Appendix A, RFC 2407 4.5), the responder's choice (IOS's priority rules,
// lifetimes, PFS), its reply, the initiator's check of the reply, RESPONDER-LIFETIME, and the
// refusal of malformed offers with the right notification.
//
// Every exchange here goes through the wire: payloads are serialized with ToBytes() and parsed
// back before the other side reads them. IkeProposalTshark dissects the offers with tshark when
// it is installed.
#include "ns3/ike-config.h"
#include "ns3/ike-proposal.h"
#include "ns3/ipsec-transform-set.h"
#include "ns3/isakmp-header.h"
#include "ns3/isakmp-payloads.h"

#include "ns3/ipv4-header.h"
#include "ns3/packet.h"
#include "ns3/pcap-file.h"
#include "ns3/udp-header.h"

#include "common/isakmp-pcap.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace ns3;
using ns3::ipsec::AuthAlgorithm;
using ns3::ipsec::CipherAlgorithm;

namespace
{

using Bytes = std::vector<uint8_t>;

// ------------------------------------------------------------------------------- helpers

IkePolicy
Policy(uint32_t priority, uint16_t encryption, uint16_t keyLength, uint16_t hash, uint16_t group,
       uint32_t lifetime, uint16_t auth = IKE_AUTH_PRE_SHARED_KEY)
{
    IkePolicy p;
    p.priority = priority;
    p.encryption = encryption;
    p.keyLength = keyLength;
    p.hash = hash;
    p.authentication = auth;
    p.group = group;
    p.lifetimeSeconds = lifetime;
    return p;
}

IpsecTransformSet
Set(const std::string& words, IpsecMode mode = IpsecMode::TUNNEL)
{
    IpsecTransformSet s = IpsecTransformSet::Parse(words);
    s.mode = mode;
    return s;
}

IkePhase2Offer
Offer(std::vector<IpsecTransformSet> sets, uint32_t seconds = 3600, uint64_t kilobytes = 4608000,
      int pfs = 0)
{
    IkePhase2Offer o;
    o.sets = std::move(sets);
    o.lifetimeSeconds = seconds;
    o.lifetimeKilobytes = kilobytes;
    o.pfsGroup = pfs;
    return o;
}

/** Distinct SPIs for each set of @p o, starting at @p base. */
std::vector<IkeSpis>
Spis(const IkePhase2Offer& o, uint32_t base)
{
    std::vector<IkeSpis> v;
    for (size_t k = 0; k < o.sets.size(); ++k)
    {
        IkeSpis s;
        s.esp = base + 0x100 * uint32_t(k) + 1;
        s.ah = base + 0x100 * uint32_t(k) + 2;
        s.cpi = static_cast<uint16_t>(0x4000 + 0x10 * k + 3);
        v.push_back(s);
    }
    return v;
}

/** @p sa serialized and parsed back, as the peer sees it. */
IsakmpSaPayload
Wire(const IsakmpSaPayload& sa)
{
    Bytes b = sa.ToBytes();
    IsakmpSaPayload back;
    IsakmpParseStatus s = back.Parse(b.data(), b.size());
    EXPECT_TRUE(s.Ok()) << s.ToString();
    EXPECT_EQ(back.ToBytes(), b);
    return back;
}

/** @p p serialized and parsed back. */
IsakmpNotificationPayload
Wire(const IsakmpNotificationPayload& n)
{
    Bytes b = n.ToBytes();
    IsakmpNotificationPayload back;
    IsakmpParseStatus s = back.Parse(b.data(), b.size());
    EXPECT_TRUE(s.Ok()) << s.ToString();
    return back;
}

/** A phase-1 transform with the given attributes. */
IsakmpTransform
P1Transform(uint8_t number, uint16_t enc, uint16_t keyLength, uint16_t hash, uint16_t group,
            std::optional<uint64_t> lifetime, uint16_t auth = IKE_AUTH_PRE_SHARED_KEY)
{
    IsakmpTransform t(number, ISAKMP_KEY_IKE);
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, enc));
    if (keyLength)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_KEY_LENGTH, keyLength));
    }
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, hash));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, auth));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, group));
    if (lifetime)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS));
        t.AddAttribute(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, *lifetime));
    }
    return t;
}

IsakmpSaPayload
P1Sa(const std::vector<IsakmpTransform>& ts)
{
    IsakmpSaPayload sa;
    IsakmpProposal p(1, ISAKMP_PROTO_ISAKMP);
    for (const auto& t : ts)
    {
        p.AddTransform(t);
    }
    sa.AddProposal(p);
    return sa;
}

/** A quick-mode ESP transform: id, lifetimes, tunnel, auth, key length, group (0 = absent). */
IsakmpTransform
EspTransform(uint8_t id, uint16_t auth, uint16_t keyLength = 0,
             std::optional<uint64_t> seconds = 3600, std::optional<uint64_t> kilobytes = {},
             uint16_t mode = IPSEC_ENCAP_TUNNEL, uint16_t group = 0, uint8_t number = 1)
{
    IsakmpTransform t(number, id);
    if (seconds)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS));
        t.AddAttribute(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, *seconds));
    }
    if (kilobytes)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_KILOBYTES));
        t.AddAttribute(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, *kilobytes));
    }
    if (mode)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, mode));
    }
    if (auth)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, auth));
    }
    if (keyLength)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_KEY_LENGTH, keyLength));
    }
    if (group)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, group));
    }
    return t;
}

IsakmpProposal
Proposal(uint8_t number, uint8_t protocol, uint32_t spi, const std::vector<IsakmpTransform>& ts)
{
    IsakmpProposal p(number, protocol);
    p.SetSpi32(spi);
    for (const auto& t : ts)
    {
        p.AddTransform(t);
    }
    return p;
}

IsakmpSaPayload
Sa(const std::vector<IsakmpProposal>& ps)
{
    IsakmpSaPayload sa;
    for (const auto& p : ps)
    {
        sa.AddProposal(p);
    }
    return sa;
}

/** One quick-mode negotiation through the wire. */
struct QuickMode
{
    IsakmpSaPayload offer;
    IkePhase2Selection sel;
    IsakmpSaPayload reply;
    std::optional<IkePhase2Result> result;
    std::string reason;
};

QuickMode
Negotiate(const IkePhase2Offer& initiator, const IkePhase2Offer& responder,
          const IkeSpis& responderSpis = {0x7000a001, 0x7000a002, 0x5001})
{
    QuickMode q;
    q.offer = IkeMakePhase2Offer(initiator, Spis(initiator, 0x1000));
    q.sel = IkeSelectPhase2(Wire(q.offer), responder);
    if (q.sel.ok)
    {
        q.reply = IkeMakePhase2Reply(Wire(q.offer), q.sel, responderSpis);
        q.result = IkeAcceptPhase2Reply(Wire(q.reply), initiator, &q.reason);
    }
    return q;
}

bool
SameSet(const IpsecTransformSet& a, const IpsecTransformSet& b)
{
    return a.ah == b.ah && a.espCipher == b.espCipher && a.espAuth == b.espAuth &&
           a.espRfc1829 == b.espRfc1829 && a.comp == b.comp && a.mode == b.mode;
}

std::vector<IsakmpAttribute>
Attrs(std::initializer_list<IsakmpAttribute> l)
{
    return l;
}

} // namespace

// ------------------------------------------------------------------------------- phase 1

TEST(IkeProposalPhase1, OfferLayout)
{
    std::vector<IkePolicy> pols = {
        Policy(10, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA, IKE_GROUP_MODP_2048, 86400),
        Policy(20, IKE_ENCR_3DES_CBC, 0, IKE_HASH_MD5, IKE_GROUP_MODP_1024, 3600),
    };
    IsakmpSaPayload sa = Wire(IkeMakePhase1Offer(pols));
    EXPECT_EQ(sa.GetDoi(), ISAKMP_DOI_IPSEC);
    EXPECT_EQ(sa.GetSituation(), uint32_t(ISAKMP_SIT_IDENTITY_ONLY));
    ASSERT_EQ(sa.GetProposals().size(), 1u);
    const IsakmpProposal& p = sa.GetProposals()[0];
    EXPECT_EQ(p.GetProposalNumber(), 1);
    EXPECT_EQ(p.GetProtocolId(), ISAKMP_PROTO_ISAKMP);
    EXPECT_TRUE(p.GetSpi().empty());
    ASSERT_EQ(p.GetTransforms().size(), 2u);

    const IsakmpTransform& aes = p.GetTransforms()[0];
    EXPECT_EQ(aes.GetTransformNumber(), 1);
    EXPECT_EQ(aes.GetTransformId(), ISAKMP_KEY_IKE);
    EXPECT_EQ(
        aes.GetAttributes(),
        Attrs({IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, IKE_ENCR_AES_CBC),
               IsakmpAttribute::Basic(IKE_ATTR_KEY_LENGTH, 256),
               IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, IKE_HASH_SHA),
               IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, IKE_AUTH_PRE_SHARED_KEY),
               IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, IKE_GROUP_MODP_2048),
               IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS),
               IsakmpAttribute::Variable(IKE_ATTR_LIFE_DURATION, {0, 1, 0x51, 0x80})}));

    const IsakmpTransform& tdes = p.GetTransforms()[1];
    EXPECT_EQ(tdes.GetTransformNumber(), 2);
    EXPECT_EQ(tdes.FindAttribute(IKE_ATTR_KEY_LENGTH), nullptr); // only AES states one
    const IsakmpAttribute* life = tdes.FindAttribute(IKE_ATTR_LIFE_DURATION);
    ASSERT_NE(life, nullptr);
    EXPECT_TRUE(life->IsBasic()); // 3600 fits two octets
    EXPECT_EQ(life->GetInteger(), 3600u);

    // byte-exact start of the first transform: T#1, KEY_IKE, then AF=1 type 1 value 7
    Bytes b = aes.ToBytes();
    ASSERT_GE(b.size(), 12u);
    EXPECT_EQ(Bytes(b.begin() + 4, b.begin() + 12), (Bytes{1, 1, 0, 0, 0x80, 1, 0, 7}));
}

TEST(IkeProposalPhase1, OurPriorityDecidesAndTheReplyEchoesTheTransform)
{
    // The peer prefers AES-256; our policy 10 (3DES) comes first in our priority order, so IOS
    // chooses 3DES even though the peer listed it second.
    std::vector<IkePolicy> peer = {
        Policy(1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA, IKE_GROUP_MODP_1536, 86400),
        Policy(2, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400),
    };
    std::vector<IkePolicy> ours = {
        Policy(20, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA, IKE_GROUP_MODP_1536, 86400),
        Policy(10, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400),
    };
    IsakmpSaPayload offer = IkeMakePhase1Offer(peer);
    IkePhase1Selection sel = IkeSelectPhase1(Wire(offer), ours);
    ASSERT_TRUE(sel.ok) << sel.reason;
    EXPECT_EQ(sel.policy.priority, 10u);
    EXPECT_EQ(sel.policy.encryption, IKE_ENCR_3DES_CBC);
    EXPECT_EQ(sel.policy.lifetimeSeconds, 86400u);
    EXPECT_EQ(sel.notify, ISAKMP_NOTIFY_NONE);
    ASSERT_EQ(sel.reply.GetProposals().size(), 1u);
    ASSERT_EQ(sel.reply.GetProposals()[0].GetTransforms().size(), 1u);
    // the chosen transform exactly as the peer sent it (number 2 included)
    EXPECT_EQ(sel.reply.GetProposals()[0].GetTransforms()[0].ToBytes(),
              offer.GetProposals()[0].GetTransforms()[1].ToBytes());

    std::string reason;
    std::optional<IkePolicy> got = IkeAcceptPhase1Reply(Wire(sel.reply), peer, &reason);
    ASSERT_TRUE(got) << reason;
    EXPECT_EQ(got->priority, 2u);
    EXPECT_TRUE(got->SameSuite(peer[1]));
    EXPECT_EQ(got->lifetimeSeconds, 86400u);
}

TEST(IkeProposalPhase1, LifetimeRule)
{
    std::vector<IkePolicy> ours = {
        Policy(10, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 3600)};

    // peer 86400 > our 3600: this policy does not match
    IkePhase1Selection above = IkeSelectPhase1(
        Wire(
            P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)})),
        ours);
    EXPECT_FALSE(above.ok);
    EXPECT_EQ(above.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_NE(above.reason.find("3DES SHA pre-share group2 86400s"), std::string::npos)
        << above.reason;
    EXPECT_NE(above.reason.find("3600s is below the offered 86400s"), std::string::npos)
        << above.reason;

    // ... but a second policy with a long enough lifetime does
    std::vector<IkePolicy> two = ours;
    two.push_back(Policy(20, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400));
    IkePhase1Selection second = IkeSelectPhase1(
        Wire(
            P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)})),
        two);
    ASSERT_TRUE(second.ok) << second.reason;
    EXPECT_EQ(second.policy.priority, 20u);

    // peer 1800 < our 3600: the peer's is used
    IkePhase1Selection below = IkeSelectPhase1(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 1800)})),
        ours);
    ASSERT_TRUE(below.ok) << below.reason;
    EXPECT_EQ(below.policy.lifetimeSeconds, 1800u);

    // equal
    IkePhase1Selection equal = IkeSelectPhase1(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 3600)})),
        ours);
    ASSERT_TRUE(equal.ok);
    EXPECT_EQ(equal.policy.lifetimeSeconds, 3600u);

    // no lifetime offered: ours
    IkePhase1Selection none =
        IkeSelectPhase1(Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA,
                                               IKE_GROUP_MODP_1024, std::nullopt)})),
                        ours);
    ASSERT_TRUE(none.ok) << none.reason;
    EXPECT_EQ(none.policy.lifetimeSeconds, 3600u);

    // the initiator: a reply lifetime below ours is taken, above ours is refused
    std::vector<IkePolicy> offered = {
        Policy(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)};
    auto lower = IkeAcceptPhase1Reply(Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA,
                                                             IKE_GROUP_MODP_1024, 28800)})),
                                      offered);
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->lifetimeSeconds, 28800u);
    std::string reason;
    auto higher = IkeAcceptPhase1Reply(Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA,
                                                              IKE_GROUP_MODP_1024, 100000)})),
                                       offered, &reason);
    EXPECT_FALSE(higher);
    EXPECT_NE(reason.find("lifetime"), std::string::npos) << reason;
}

TEST(IkeProposalPhase1, AesKeyLengthAbsentMeans128)
{
    std::vector<IkePolicy> ours = {
        Policy(10, IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)};
    IkePhase1Selection sel = IkeSelectPhase1(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_AES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)})),
        ours);
    ASSERT_TRUE(sel.ok) << sel.reason;
    EXPECT_EQ(sel.policy.keyLength, 128);

    // our policy without a key length is AES-128 as well
    ours[0].keyLength = 0;
    EXPECT_TRUE(IkeSelectPhase1(Wire(P1Sa({P1Transform(1, IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA,
                                                       IKE_GROUP_MODP_1024, 86400)})),
                                ours)
                    .ok);
    // but not AES-256
    IkePhase1Selection no =
        IkeSelectPhase1(Wire(P1Sa({P1Transform(1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA,
                                               IKE_GROUP_MODP_1024, 86400)})),
                        ours);
    EXPECT_FALSE(no.ok);
    EXPECT_EQ(no.reason, "no proposal chosen: peer offered AES-256 SHA pre-share group2 86400s; "
                         "we accept AES-128 SHA pre-share group2 86400s");
}

TEST(IkeProposalPhase1, EveryAttributeTakesPart)
{
    IkePolicy base = Policy(10, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400);
    std::vector<IkePolicy> ours = {base};
    auto offerOf = [](IkePolicy p) { return Wire(IkeMakePhase1Offer({p})); };
    EXPECT_TRUE(IkeSelectPhase1(offerOf(base), ours).ok);
    IkePolicy p = base;
    p.encryption = IKE_ENCR_DES_CBC;
    EXPECT_FALSE(IkeSelectPhase1(offerOf(p), ours).ok);
    p = base;
    p.hash = IKE_HASH_MD5;
    EXPECT_FALSE(IkeSelectPhase1(offerOf(p), ours).ok);
    p = base;
    p.authentication = IKE_AUTH_RSA_SIGNATURES;
    EXPECT_FALSE(IkeSelectPhase1(offerOf(p), ours).ok);
    p = base;
    p.group = IKE_GROUP_MODP_1536;
    IkePhase1Selection g = IkeSelectPhase1(offerOf(p), ours);
    EXPECT_FALSE(g.ok);
    EXPECT_EQ(g.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_EQ(g.reason, "no proposal chosen: peer offered 3DES SHA pre-share group5 86400s; we "
                        "accept 3DES SHA pre-share group2 86400s");
}

TEST(IkeProposalPhase1, BadSyntaxAndUnsupportedAttributes)
{
    std::vector<IkePolicy> ours = {
        Policy(10, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)};

    // no proposal at all
    IkePhase1Selection empty = IkeSelectPhase1(IsakmpSaPayload(), ours);
    EXPECT_FALSE(empty.ok);
    EXPECT_EQ(empty.notify, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);
    EXPECT_FALSE(empty.reason.empty());

    // a proposal that is not PROTO_ISAKMP
    IsakmpSaPayload esp;
    IsakmpProposal ep(1, ISAKMP_PROTO_IPSEC_ESP);
    ep.AddTransform(P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 86400));
    esp.AddProposal(ep);
    EXPECT_EQ(IkeSelectPhase1(Wire(esp), ours).notify, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);

    // a transform that is not KEY_IKE
    IsakmpTransform notIke = P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 86400);
    notIke.SetTransformId(3);
    EXPECT_EQ(IkeSelectPhase1(Wire(P1Sa({notIke})), ours).notify,
              ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);

    // a proposal without transforms (built by hand: the parser refuses it already)
    IsakmpSaPayload noTransform;
    noTransform.AddProposal(IsakmpProposal(1, ISAKMP_PROTO_ISAKMP));
    EXPECT_EQ(IkeSelectPhase1(noTransform, ours).notify, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX);

    // only a transform with an attribute class we do not know: skipped, ATTRIBUTES-NOT-SUPPORTED
    IsakmpTransform unknown = P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 86400);
    unknown.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_PRF, 1));
    IkePhase1Selection u = IkeSelectPhase1(Wire(P1Sa({unknown})), ours);
    EXPECT_FALSE(u.ok);
    EXPECT_EQ(u.notify, ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED);
    EXPECT_NE(u.reason.find("not supported"), std::string::npos) << u.reason;

    // the same, followed by a good transform: the good one is chosen
    IkePhase1Selection skip = IkeSelectPhase1(
        Wire(P1Sa({unknown, P1Transform(2, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 86400)})), ours);
    ASSERT_TRUE(skip.ok) << skip.reason;
    EXPECT_EQ(skip.reply.GetProposals()[0].GetTransforms()[0].GetTransformNumber(), 2);

    // an unknown transform and an understood one that does not match: NO-PROPOSAL-CHOSEN
    IkePhase1Selection mixed = IkeSelectPhase1(
        Wire(P1Sa({unknown, P1Transform(2, IKE_ENCR_DES_CBC, 0, IKE_HASH_SHA, 2, 86400)})), ours);
    EXPECT_FALSE(mixed.ok);
    EXPECT_EQ(mixed.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);

    // a life duration without a life type, a duration of 9 bytes, a duration of 0, a missing
    // hash, an encryption algorithm in variable form: BAD-PROPOSAL-SYNTAX
    std::vector<IsakmpTransform> bad;
    IsakmpTransform t = P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, std::nullopt);
    t.AddAttribute(IsakmpAttribute::Integer(IKE_ATTR_LIFE_DURATION, 86400));
    bad.push_back(t);
    t = P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, std::nullopt);
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_LIFE_TYPE, IKE_LIFE_SECONDS));
    t.AddAttribute(IsakmpAttribute::Variable(IKE_ATTR_LIFE_DURATION, Bytes(9, 1)));
    bad.push_back(t);
    bad.push_back(P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 0));
    t = IsakmpTransform(1, ISAKMP_KEY_IKE);
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_ENCRYPTION_ALGORITHM, IKE_ENCR_3DES_CBC));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, 1));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, 2));
    bad.push_back(t);
    t = IsakmpTransform(1, ISAKMP_KEY_IKE);
    t.AddAttribute(IsakmpAttribute::Variable(IKE_ATTR_ENCRYPTION_ALGORITHM, {0, 5}));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_HASH_ALGORITHM, IKE_HASH_SHA));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_AUTHENTICATION_METHOD, 1));
    t.AddAttribute(IsakmpAttribute::Basic(IKE_ATTR_GROUP_DESCRIPTION, 2));
    bad.push_back(t);
    for (size_t k = 0; k < bad.size(); ++k)
    {
        IkePhase1Selection s = IkeSelectPhase1(Wire(P1Sa({bad[k]})), ours);
        EXPECT_FALSE(s.ok) << k;
        EXPECT_EQ(s.notify, ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX) << k << ": " << s.reason;
        EXPECT_NE(s.reason.find("malformed"), std::string::npos) << s.reason;
    }

    // a lifetime beyond 32 bits: not supported
    IkePhase1Selection huge = IkeSelectPhase1(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, 2, 0x100000000ULL)})), ours);
    EXPECT_FALSE(huge.ok);
    EXPECT_EQ(huge.notify, ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED);

    // no policy of ours at all
    IkePhase1Selection nothing = IkeSelectPhase1(Wire(IkeMakePhase1Offer(ours)), {});
    EXPECT_FALSE(nothing.ok);
    EXPECT_EQ(nothing.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
}

TEST(IkeProposalPhase1, InitiatorRefusesABadReply)
{
    std::vector<IkePolicy> offered = {
        Policy(1, IKE_ENCR_3DES_CBC, 0, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400),
        Policy(2, IKE_ENCR_AES_CBC, 128, IKE_HASH_SHA, IKE_GROUP_MODP_1024, 86400)};
    std::string reason;
    // two transforms
    EXPECT_FALSE(IkeAcceptPhase1Reply(Wire(IkeMakePhase1Offer(offered)), offered, &reason));
    EXPECT_NE(reason.find("one transform"), std::string::npos) << reason;
    // a suite we did not offer
    EXPECT_FALSE(IkeAcceptPhase1Reply(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_DES_CBC, 0, IKE_HASH_SHA, 2, 86400)})), offered,
        &reason));
    EXPECT_NE(reason.find("DES SHA pre-share group2"), std::string::npos) << reason;
    // nothing
    EXPECT_FALSE(IkeAcceptPhase1Reply(IsakmpSaPayload(), offered, &reason));
    // the second policy, renumbered by the responder: still ours (found by suite)
    auto ok = IkeAcceptPhase1Reply(
        Wire(P1Sa({P1Transform(1, IKE_ENCR_AES_CBC, 0, IKE_HASH_SHA, 2, 86400)})), offered);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->priority, 2u);
}

// ------------------------------------------------------------------------------- phase 2

TEST(IkeProposalPhase2, OfferLayout)
{
    // comp-lzs + esp-3des + esp-md5-hmac in transport mode, PFS group 2, and a second set
    IkePhase2Offer o = Offer({Set("comp-lzs esp-3des esp-md5-hmac", IpsecMode::TRANSPORT),
                              Set("ah-sha-hmac esp-aes 256 esp-sha-hmac")},
                             3600, 4608000, 2);
    std::vector<IkeSpis> spis = {{0x11111111, 0x22222222, 0x4567}, {0x33333333, 0x44444444, 0}};
    IsakmpSaPayload sa = Wire(IkeMakePhase2Offer(o, spis));
    EXPECT_EQ(sa.GetDoi(), ISAKMP_DOI_IPSEC);
    EXPECT_EQ(sa.GetSituation(), uint32_t(ISAKMP_SIT_IDENTITY_ONLY));
    const auto& ps = sa.GetProposals();
    ASSERT_EQ(ps.size(), 4u);

    // proposal 1: IPComp (CPI in 2 bytes) then ESP
    EXPECT_EQ(ps[0].GetProposalNumber(), 1);
    EXPECT_EQ(ps[0].GetProtocolId(), ISAKMP_PROTO_IPCOMP);
    EXPECT_EQ(ps[0].GetSpi(), (Bytes{0x45, 0x67}));
    ASSERT_EQ(ps[0].GetTransforms().size(), 1u);
    EXPECT_EQ(ps[0].GetTransforms()[0].GetTransformId(), IPSEC_IPCOMP_LZS);
    auto common = [](uint16_t mode)
    {
        return std::vector<IsakmpAttribute>{
            IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS),
            IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_DURATION, 3600),
            IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_KILOBYTES),
            IsakmpAttribute::Variable(IPSEC_ATTR_SA_LIFE_DURATION, {0x00, 0x46, 0x50, 0x00}),
            IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, mode)};
    };
    auto comp = common(IPSEC_ENCAP_TRANSPORT);
    comp.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, 2));
    EXPECT_EQ(ps[0].GetTransforms()[0].GetAttributes(), comp);

    EXPECT_EQ(ps[1].GetProposalNumber(), 1);
    EXPECT_EQ(ps[1].GetProtocolId(), ISAKMP_PROTO_IPSEC_ESP);
    EXPECT_EQ(ps[1].GetSpi32(), 0x11111111u);
    EXPECT_EQ(ps[1].GetTransforms()[0].GetTransformId(), IPSEC_ESP_3DES);
    auto esp = common(IPSEC_ENCAP_TRANSPORT);
    esp.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_MD5));
    esp.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, 2));
    EXPECT_EQ(ps[1].GetTransforms()[0].GetAttributes(), esp);

    // proposal 2: ESP (AES-256) then AH
    EXPECT_EQ(ps[2].GetProposalNumber(), 2);
    EXPECT_EQ(ps[2].GetProtocolId(), ISAKMP_PROTO_IPSEC_ESP);
    EXPECT_EQ(ps[2].GetSpi32(), 0x33333333u);
    EXPECT_EQ(ps[2].GetTransforms()[0].GetTransformId(), IPSEC_ESP_AES);
    auto aes = common(IPSEC_ENCAP_TUNNEL);
    aes.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA));
    aes.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_KEY_LENGTH, 256));
    aes.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, 2));
    EXPECT_EQ(ps[2].GetTransforms()[0].GetAttributes(), aes);
    EXPECT_EQ(ps[3].GetProposalNumber(), 2);
    EXPECT_EQ(ps[3].GetProtocolId(), ISAKMP_PROTO_IPSEC_AH);
    EXPECT_EQ(ps[3].GetSpi32(), 0x44444444u);
    EXPECT_EQ(ps[3].GetTransforms()[0].GetTransformId(), IPSEC_AH_SHA);
    auto ah = common(IPSEC_ENCAP_TUNNEL);
    ah.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA));
    ah.push_back(IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, 2));
    EXPECT_EQ(ps[3].GetTransforms()[0].GetAttributes(), ah);

    // without PFS and without a kilobytes lifetime: neither attribute
    IsakmpSaPayload plain =
        IkeMakePhase2Offer(Offer({Set("esp-null esp-sha256-hmac")}, 28800, 0), {{0x100, 0, 0}});
    const IsakmpTransform& t = plain.GetProposals()[0].GetTransforms()[0];
    EXPECT_EQ(t.GetTransformId(), IPSEC_ESP_NULL);
    EXPECT_EQ(t.GetAttributes(),
              Attrs({IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS),
                     IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_DURATION, 28800),
                     IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, IPSEC_ENCAP_TUNNEL),
                     IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM,
                                            IPSEC_AUTH_HMAC_SHA2_256)}));
}

TEST(IkeProposalPhase2, TransformIdsAndAttributes)
{
    struct Case
    {
        const char* set;
        uint8_t protocol;
        uint8_t id;
        uint16_t auth;      // 0: absent
        uint16_t keyLength; // 0: absent
    };
    const Case cases[] = {
        {"esp-des", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_DES, 0, 0},
        {"esp-3des esp-sha-hmac", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0},
        {"esp-null esp-md5-hmac", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_NULL, IPSEC_AUTH_HMAC_MD5, 0},
        {"esp-aes esp-sha384-hmac", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_AES, IPSEC_AUTH_HMAC_SHA2_384,
         128},
        {"esp-aes 192 esp-sha512-hmac", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_AES,
         IPSEC_AUTH_HMAC_SHA2_512, 192},
        {"esp-gcm 256", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_AES_GCM_16, 0, 256},
        {"esp-rfc1829", ISAKMP_PROTO_IPSEC_ESP, IPSEC_ESP_DES_IV64, 0, 0},
        {"ah-md5-hmac", ISAKMP_PROTO_IPSEC_AH, IPSEC_AH_MD5, IPSEC_AUTH_HMAC_MD5, 0},
        {"ah-sha256-hmac", ISAKMP_PROTO_IPSEC_AH, IPSEC_AH_SHA2_256, IPSEC_AUTH_HMAC_SHA2_256, 0},
        {"ah-sha384-hmac", ISAKMP_PROTO_IPSEC_AH, IPSEC_AH_SHA2_384, IPSEC_AUTH_HMAC_SHA2_384, 0},
        {"ah-sha512-hmac", ISAKMP_PROTO_IPSEC_AH, IPSEC_AH_SHA2_512, IPSEC_AUTH_HMAC_SHA2_512, 0},
        {"comp-deflate esp-des", ISAKMP_PROTO_IPCOMP, IPSEC_IPCOMP_DEFLATE, 0, 0},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.set);
        IsakmpSaPayload sa = IkeMakePhase2Offer(Offer({Set(c.set)}), {{0x1234, 0x5678, 0x9a}});
        ASSERT_FALSE(sa.GetProposals().empty());
        const IsakmpProposal& p = sa.GetProposals()[0];
        EXPECT_EQ(p.GetProtocolId(), c.protocol);
        const IsakmpTransform& t = p.GetTransforms()[0];
        EXPECT_EQ(t.GetTransformId(), c.id);
        EXPECT_EQ(t.GetAttributeValue(IPSEC_ATTR_AUTHENTICATION_ALGORITHM),
                  c.auth ? std::optional<uint64_t>(c.auth) : std::nullopt);
        EXPECT_EQ(t.GetAttributeValue(IPSEC_ATTR_KEY_LENGTH),
                  c.keyLength ? std::optional<uint64_t>(c.keyLength) : std::nullopt);
        EXPECT_EQ(t.FindAttribute(IPSEC_ATTR_GROUP_DESCRIPTION), nullptr);
        // and the description reads back as IOS writes the set
        EXPECT_EQ(IkeDescribePhase2Proposal(sa, 1), Set(c.set).ToString());
    }
}

TEST(IkeProposalPhase2, RoundTrips)
{
    // the sets of the brief and more, each through offer -> select -> reply -> accept
    const std::vector<IpsecTransformSet> sets = {
        Set("esp-3des esp-sha-hmac"),
        Set("esp-aes 256 esp-sha-hmac"),
        Set("ah-md5-hmac esp-des"),
        Set("comp-lzs esp-3des esp-md5-hmac", IpsecMode::TRANSPORT),
        Set("esp-gcm 128"),
        Set("ah-sha-hmac"),
        Set("ah-sha256-hmac esp-aes 192 esp-sha256-hmac comp-deflate"),
        Set("esp-null esp-sha-hmac", IpsecMode::TRANSPORT),
        Set("esp-rfc1829"),
    };
    for (size_t k = 0; k < sets.size(); ++k)
    {
        SCOPED_TRACE(sets[k].ToString());
        IkePhase2Offer init = Offer({sets[k]}, 3600, 4608000);
        // the responder has every other set too, ours at position k
        IkePhase2Offer resp = Offer(sets, 7200, 1000000);
        IkeSpis rspis{0x7000a001, 0x7000a002, 0x5001};
        QuickMode q = Negotiate(init, resp, rspis);
        ASSERT_TRUE(q.sel.ok) << q.sel.reason;
        EXPECT_EQ(q.sel.setIndex, k);
        EXPECT_TRUE(SameSet(q.sel.set, sets[k]));
        EXPECT_EQ(q.sel.proposalNumber, 1);
        EXPECT_EQ(q.sel.pfsGroup, 0);
        // the initiator's SPIs of the protocols the set uses, 0 elsewhere
        IkeSpis ispis = Spis(init, 0x1000)[0];
        EXPECT_EQ(q.sel.peerSpis.esp, sets[k].HasEsp() ? ispis.esp : 0u);
        EXPECT_EQ(q.sel.peerSpis.ah, sets[k].ah ? ispis.ah : 0u);
        EXPECT_EQ(q.sel.peerSpis.cpi, sets[k].comp ? ispis.cpi : 0u);
        EXPECT_EQ(q.sel.offeredSeconds, 3600u);
        EXPECT_EQ(q.sel.offeredKilobytes, 4608000u);
        EXPECT_EQ(q.sel.lifetimeSeconds, 3600u);
        EXPECT_EQ(q.sel.lifetimeKilobytes, 1000000u);

        // the reply: the proposal with our SPIs, transforms unchanged
        ASSERT_EQ(q.reply.GetProposals().size(), q.offer.GetProposals().size());
        for (size_t n = 0; n < q.reply.GetProposals().size(); ++n)
        {
            const IsakmpProposal& r = q.reply.GetProposals()[n];
            const IsakmpProposal& o = q.offer.GetProposals()[n];
            EXPECT_EQ(r.GetProtocolId(), o.GetProtocolId());
            EXPECT_EQ(r.GetProposalNumber(), o.GetProposalNumber());
            EXPECT_EQ(r.GetSpi().size(), o.GetSpi().size());
            ASSERT_EQ(r.GetTransforms().size(), 1u);
            EXPECT_EQ(r.GetTransforms()[0].ToBytes(), o.GetTransforms()[0].ToBytes());
        }

        ASSERT_TRUE(q.result) << q.reason;
        EXPECT_EQ(q.result->setIndex, 0u);
        EXPECT_TRUE(SameSet(q.result->set, sets[k]));
        EXPECT_EQ(q.result->peerSpis.esp, sets[k].HasEsp() ? rspis.esp : 0u);
        EXPECT_EQ(q.result->peerSpis.ah, sets[k].ah ? rspis.ah : 0u);
        EXPECT_EQ(q.result->peerSpis.cpi, sets[k].comp ? rspis.cpi : 0u);
        // the reply repeats our lifetimes (the responder's lower ones come by notification)
        EXPECT_EQ(q.result->lifetimeSeconds, 3600u);
        EXPECT_EQ(q.result->lifetimeKilobytes, 4608000u);
        EXPECT_EQ(q.result->pfsGroup, 0);
    }
}

TEST(IkeProposalPhase2, ModeTakesPart)
{
    QuickMode q = Negotiate(Offer({Set("esp-3des esp-sha-hmac", IpsecMode::TRANSPORT)}),
                            Offer({Set("esp-3des esp-sha-hmac", IpsecMode::TUNNEL)}));
    EXPECT_FALSE(q.sel.ok);
    EXPECT_EQ(q.sel.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_EQ(q.sel.reason, "no proposal chosen: peer offered esp-3des esp-sha-hmac (transport); "
                            "we accept esp-3des esp-sha-hmac");

    // an absent encapsulation mode is host-dependent (RFC 2407 4.5): ours
    IsakmpSaPayload noMode = Sa(
        {Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                  {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, 3600, {}, /*mode*/ 0)})});
    IkePhase2Selection s =
        IkeSelectPhase2(Wire(noMode), Offer({Set("esp-3des esp-sha-hmac", IpsecMode::TRANSPORT)}));
    ASSERT_TRUE(s.ok) << s.reason;
}

TEST(IkeProposalPhase2, PeerOrderWinsAndTheReasonNamesBothSides)
{
    // the peer prefers 3DES, we list AES first: the peer's first proposal we support wins
    IkePhase2Offer init = Offer(
        {Set("esp-des esp-md5-hmac"), Set("esp-3des esp-sha-hmac"), Set("esp-aes esp-sha-hmac")});
    IkePhase2Offer resp = Offer({Set("esp-aes esp-sha-hmac"), Set("esp-3des esp-sha-hmac")});
    QuickMode q = Negotiate(init, resp);
    ASSERT_TRUE(q.sel.ok) << q.sel.reason;
    EXPECT_EQ(q.sel.proposalNumber, 2);
    EXPECT_EQ(q.sel.setIndex, 1u);
    EXPECT_EQ(q.sel.peerSpis.esp, Spis(init, 0x1000)[1].esp);
    // the reply holds proposal 2 alone
    ASSERT_EQ(q.reply.GetProposals().size(), 1u);
    EXPECT_EQ(q.reply.GetProposals()[0].GetProposalNumber(), 2);
    ASSERT_TRUE(q.result) << q.reason;
    EXPECT_EQ(q.result->setIndex, 1u);

    // nothing in common: the reason names what was offered and what we accept
    QuickMode none = Negotiate(Offer({Set("esp-des esp-md5-hmac"), Set("esp-3des esp-sha-hmac")}),
                               Offer({Set("esp-aes esp-sha-hmac")}));
    EXPECT_FALSE(none.sel.ok);
    EXPECT_EQ(none.sel.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_EQ(none.sel.reason, "no proposal chosen: peer offered esp-des esp-md5-hmac, esp-3des "
                               "esp-sha-hmac; we accept esp-aes esp-sha-hmac");

    // a set with fewer or more protocols is not equal
    EXPECT_FALSE(Negotiate(Offer({Set("ah-md5-hmac esp-des")}), Offer({Set("esp-des")})).sel.ok);
    EXPECT_FALSE(Negotiate(Offer({Set("esp-des")}), Offer({Set("ah-md5-hmac esp-des")})).sel.ok);
    EXPECT_FALSE(Negotiate(Offer({Set("esp-des")}), Offer({Set("comp-lzs esp-des")})).sel.ok);
    EXPECT_FALSE(Negotiate(Offer({Set("esp-aes")}), Offer({Set("esp-aes 256")})).sel.ok);
    EXPECT_FALSE(Negotiate(Offer({Set("esp-des")}), Offer({Set("esp-rfc1829")})).sel.ok);
    EXPECT_FALSE(Negotiate(Offer({Set("esp-3des")}), Offer({Set("esp-3des esp-sha-hmac")})).sel.ok);
}

TEST(IkeProposalPhase2, PfsRules)
{
    const IpsecTransformSet s = Set("esp-aes esp-sha-hmac");
    // we demand group 2, the peer offers no PFS: refused, and the reason says why
    QuickMode a = Negotiate(Offer({s}), Offer({s}, 3600, 4608000, 2));
    EXPECT_FALSE(a.sel.ok);
    EXPECT_EQ(a.sel.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_EQ(a.sel.reason, "no proposal chosen: peer offered esp-aes esp-sha-hmac; we accept "
                            "esp-aes esp-sha-hmac with pfs group2");
    // we demand group 2, the peer offers group 5: refused
    QuickMode b = Negotiate(Offer({s}, 3600, 4608000, 5), Offer({s}, 3600, 4608000, 2));
    EXPECT_FALSE(b.sel.ok);
    EXPECT_NE(b.sel.reason.find("(pfs group5)"), std::string::npos) << b.sel.reason;
    // both group 2
    QuickMode c = Negotiate(Offer({s}, 3600, 4608000, 2), Offer({s}, 3600, 4608000, 2));
    ASSERT_TRUE(c.sel.ok) << c.sel.reason;
    EXPECT_EQ(c.sel.pfsGroup, 2);
    ASSERT_TRUE(c.result) << c.reason;
    EXPECT_EQ(c.result->pfsGroup, 2);
    // we ask nothing, the peer asks group 14: IOS answers with PFS
    QuickMode d = Negotiate(Offer({s}, 3600, 4608000, 14), Offer({s}));
    ASSERT_TRUE(d.sel.ok) << d.sel.reason;
    EXPECT_EQ(d.sel.pfsGroup, 14);
    ASSERT_TRUE(d.result) << d.reason;
    EXPECT_EQ(d.result->pfsGroup, 14);
    // ... unless the group is one we do not model
    IsakmpSaPayload ec2n =
        Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                     {EspTransform(IPSEC_ESP_AES, IPSEC_AUTH_HMAC_SHA, 128, 3600, {},
                                   IPSEC_ENCAP_TUNNEL, IKE_GROUP_EC2N_155)})});
    IkePhase2Selection e = IkeSelectPhase2(Wire(ec2n), Offer({s}));
    EXPECT_FALSE(e.ok);
    EXPECT_EQ(e.notify, ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED);

    // the initiator did not offer PFS: a reply with a group is not what we offered
    IkePhase2Selection withGroup = IkeSelectPhase2(
        Wire(IkeMakePhase2Offer(Offer({s}, 3600, 4608000, 2), {{0x1001, 0, 0}})), Offer({s}));
    ASSERT_TRUE(withGroup.ok);
    IsakmpSaPayload reply =
        IkeMakePhase2Reply(IkeMakePhase2Offer(Offer({s}, 3600, 4608000, 2), {{0x1001, 0, 0}}),
                           withGroup, {0x2002, 0, 0});
    std::string reason;
    EXPECT_FALSE(IkeAcceptPhase2Reply(Wire(reply), Offer({s}), &reason));
    EXPECT_NE(reason.find("not what we offered"), std::string::npos) << reason;
}

TEST(IkeProposalPhase2, Lifetimes)
{
    const IpsecTransformSet s = Set("esp-3des esp-sha-hmac");
    // the smaller of each
    QuickMode q = Negotiate(Offer({s}, 28800, 10000), Offer({s}, 3600, 4608000));
    ASSERT_TRUE(q.sel.ok);
    EXPECT_EQ(q.sel.offeredSeconds, 28800u);
    EXPECT_EQ(q.sel.offeredKilobytes, 10000u);
    EXPECT_EQ(q.sel.lifetimeSeconds, 3600u);
    EXPECT_EQ(q.sel.lifetimeKilobytes, 10000u);

    // absent from the offer: RFC 2407 4.5's 28800 s and no kilobytes limit
    IsakmpSaPayload bare =
        Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                     {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, std::nullopt)})});
    IkePhase2Selection a = IkeSelectPhase2(Wire(bare), Offer({s}, 86400, 4608000));
    ASSERT_TRUE(a.ok) << a.reason;
    EXPECT_EQ(a.offeredSeconds, 0u);
    EXPECT_EQ(a.offeredKilobytes, 0u);
    EXPECT_EQ(a.lifetimeSeconds, 28800u);
    EXPECT_EQ(a.lifetimeKilobytes, 4608000u);
    IkePhase2Selection b = IkeSelectPhase2(Wire(bare), Offer({s}, 3600, 0));
    ASSERT_TRUE(b.ok);
    EXPECT_EQ(b.lifetimeSeconds, 3600u);
    EXPECT_EQ(b.lifetimeKilobytes, 0u);

    // kilobytes only: seconds still default to 28800
    IsakmpSaPayload kbOnly = Sa(
        {Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                  {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, std::nullopt, 250000)})});
    IkePhase2Selection c = IkeSelectPhase2(Wire(kbOnly), Offer({s}, 86400, 4608000));
    ASSERT_TRUE(c.ok) << c.reason;
    EXPECT_EQ(c.lifetimeSeconds, 28800u);
    EXPECT_EQ(c.offeredKilobytes, 250000u);
    EXPECT_EQ(c.lifetimeKilobytes, 250000u);

    // lifetimes do not take part in equality
    EXPECT_TRUE(Negotiate(Offer({s}, 60, 2560), Offer({s}, 86400, 4608000)).sel.ok);

    // the initiator takes the smaller of the reply and its offer
    IkePhase2Offer init = Offer({s}, 3600, 4608000);
    IsakmpSaPayload lower =
        Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x9999,
                     {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, 1200, 5000)})});
    auto r = IkeAcceptPhase2Reply(Wire(lower), init);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->lifetimeSeconds, 1200u);
    EXPECT_EQ(r->lifetimeKilobytes, 5000u);
    EXPECT_EQ(r->peerSpis.esp, 0x9999u);
}

TEST(IkeProposalPhase2, ResponderLifetimeNotification)
{
    // 3600 s and 100000 KB: the kilobytes do not fit two octets and travel as a variable
    // attribute (RFC 2407 4.6.3.1, attributes as in 4.5)
    IsakmpNotificationPayload n =
        Wire(IkeResponderLifetimeNotify(ISAKMP_PROTO_IPSEC_ESP, 0xcafe0001, 3600, 100000));
    EXPECT_EQ(n.GetNotifyType(), ISAKMP_NOTIFY_RESPONDER_LIFETIME);
    EXPECT_EQ(n.GetDoi(), ISAKMP_DOI_IPSEC);
    EXPECT_EQ(n.GetProtocolId(), ISAKMP_PROTO_IPSEC_ESP);
    EXPECT_EQ(n.GetSpi(), (Bytes{0xca, 0xfe, 0x00, 0x01}));
    EXPECT_EQ(n.GetData(), (Bytes{0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x0e, 0x10, // seconds 3600
                                  0x80, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x04, // kilobytes
                                  0x00, 0x01, 0x86, 0xa0}));
    uint32_t s = 1;
    uint64_t kb = 1;
    IkeReadResponderLifetime(n, &s, &kb);
    EXPECT_EQ(s, 3600u);
    EXPECT_EQ(kb, 100000u);

    // seconds alone (86400 needs four octets too), and kilobytes alone
    IkeReadResponderLifetime(Wire(IkeResponderLifetimeNotify(ISAKMP_PROTO_IPSEC_AH, 7, 86400, 0)),
                             &s, &kb);
    EXPECT_EQ(s, 86400u);
    EXPECT_EQ(kb, 0u);
    IkeReadResponderLifetime(
        Wire(IkeResponderLifetimeNotify(ISAKMP_PROTO_IPSEC_ESP, 7, 0, 4608000)), &s, &kb);
    EXPECT_EQ(s, 0u);
    EXPECT_EQ(kb, 4608000u);

    // IPComp first in the set: the CPI in two octets
    EXPECT_EQ(IkeResponderLifetimeNotify(ISAKMP_PROTO_IPCOMP, 0x4321, 3600, 0).GetSpi(),
              (Bytes{0x43, 0x21}));

    // malformed or foreign data: zero, never a crash
    IsakmpNotificationPayload bad(ISAKMP_NOTIFY_RESPONDER_LIFETIME, ISAKMP_PROTO_IPSEC_ESP,
                                  {0, 0, 0, 1}, {0x80, 0x01});
    IkeReadResponderLifetime(bad, &s, &kb);
    EXPECT_EQ(s, 0u);
    EXPECT_EQ(kb, 0u);
    IsakmpNotificationPayload noType(ISAKMP_NOTIFY_RESPONDER_LIFETIME, ISAKMP_PROTO_IPSEC_ESP,
                                     {0, 0, 0, 1}, {0x80, 0x02, 0x0e, 0x10});
    IkeReadResponderLifetime(noType, &s, &kb);
    EXPECT_EQ(s, 0u);
    IsakmpNotificationPayload tooLong(
        ISAKMP_NOTIFY_RESPONDER_LIFETIME, ISAKMP_PROTO_IPSEC_ESP, {0, 0, 0, 1},
        {0x80, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x08, 1, 0, 0, 0, 0, 0, 0, 0});
    IkeReadResponderLifetime(tooLong, &s, &kb);
    EXPECT_EQ(s, 0u);
    IsakmpNotificationPayload other(ISAKMP_NOTIFY_INITIAL_CONTACT, ISAKMP_PROTO_IPSEC_ESP,
                                    {0, 0, 0, 1}, n.GetData());
    IkeReadResponderLifetime(other, &s, &kb);
    EXPECT_EQ(s, 0u);
    EXPECT_EQ(kb, 0u);
    IkeReadResponderLifetime(n, nullptr, nullptr); // null outputs are allowed
}

TEST(IkeProposalPhase2, AlternativeTransformsInOneProposal)
{
    // racoon-style: one ESP payload with two transforms to choose from
    IsakmpSaPayload offer = Sa({Proposal(
        1, ISAKMP_PROTO_IPSEC_ESP, 0xabcdef01,
        {EspTransform(IPSEC_ESP_AES, IPSEC_AUTH_HMAC_SHA, 256, 3600, {}, IPSEC_ENCAP_TUNNEL, 0, 1),
         EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, 3600, {}, IPSEC_ENCAP_TUNNEL, 0,
                      2)})});
    EXPECT_EQ(IkeDescribePhase2Proposal(offer, 1),
              "{esp-aes 256 esp-sha-hmac | esp-3des esp-sha-hmac}");
    IkePhase2Offer ours = Offer({Set("esp-3des esp-sha-hmac")});
    IkePhase2Selection sel = IkeSelectPhase2(Wire(offer), ours);
    ASSERT_TRUE(sel.ok) << sel.reason;
    EXPECT_EQ(sel.peerSpis.esp, 0xabcdef01u);
    IsakmpSaPayload reply = IkeMakePhase2Reply(offer, sel, {0x11223344, 0, 0});
    ASSERT_EQ(reply.GetProposals().size(), 1u);
    ASSERT_EQ(reply.GetProposals()[0].GetTransforms().size(), 1u);
    EXPECT_EQ(reply.GetProposals()[0].GetTransforms()[0].GetTransformNumber(), 2);
    EXPECT_EQ(reply.GetProposals()[0].GetSpi32(), 0x11223344u);

    // the initiator refuses a reply that still holds both
    std::string reason;
    EXPECT_FALSE(IkeAcceptPhase2Reply(Wire(offer), ours, &reason));
    EXPECT_NE(reason.find("2 transforms"), std::string::npos) << reason;
}

TEST(IkeProposalPhase2, BadSyntax)
{
    const IkePhase2Offer ours = Offer({Set("esp-3des esp-sha-hmac")});
    auto good = [](uint8_t number = 1)
    {
        return Proposal(number, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                        {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA)});
    };
    auto withLife = [](const Bytes& duration)
    {
        IsakmpTransform t(1, IPSEC_ESP_3DES);
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS));
        t.AddAttribute(IsakmpAttribute::Variable(IPSEC_ATTR_SA_LIFE_DURATION, duration));
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, IPSEC_ENCAP_TUNNEL));
        t.AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_SHA));
        return Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234, {t});
    };
    struct Case
    {
        const char* what;
        IsakmpSaPayload sa;
        uint16_t notify;
    };
    std::vector<Case> cases;
    cases.push_back({"empty SA", IsakmpSaPayload(), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    {
        IsakmpProposal p(1, ISAKMP_PROTO_IPSEC_ESP, {1, 2, 3});
        p.AddTransform(EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA));
        cases.push_back({"ESP SPI of 3 bytes", Sa({p}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    }
    {
        IsakmpProposal p(1, ISAKMP_PROTO_IPSEC_AH, {1, 2});
        p.AddTransform(EspTransform(IPSEC_AH_SHA, IPSEC_AUTH_HMAC_SHA));
        cases.push_back({"AH SPI of 2 bytes", Sa({p}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    }
    {
        IsakmpProposal c(1, ISAKMP_PROTO_IPCOMP, {1, 2, 3});
        c.AddTransform(EspTransform(IPSEC_IPCOMP_LZS, 0));
        cases.push_back(
            {"IPComp CPI of 3 bytes", Sa({c, good()}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    }
    cases.push_back({"SPI 0",
                     Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0,
                                  {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA)})}),
                     ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back({"life duration beyond 32 bits", Sa({withLife({1, 0, 0, 0, 0})}),
                     ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED});
    cases.push_back({"life duration of 9 bytes", Sa({withLife(Bytes(9, 0))}),
                     ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back(
        {"life duration of 0 bytes", Sa({withLife({})}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back(
        {"life duration 0", Sa({withLife({0, 0, 0, 0})}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    {
        IsakmpTransform t(1, IPSEC_ESP_3DES);
        t.AddAttribute(IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, 3600));
        cases.push_back({"life duration without a life type",
                         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234, {t})}),
                         ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
        IsakmpTransform u(1, IPSEC_ESP_3DES);
        u.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS));
        cases.push_back({"life type without a life duration",
                         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234, {u})}),
                         ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
        IsakmpTransform v = EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA);
        v.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, 1));
        cases.push_back({"encapsulation mode twice",
                         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234, {v})}),
                         ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
        IsakmpTransform w(1, IPSEC_AH_SHA);
        w.AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, IPSEC_AUTH_HMAC_MD5));
        cases.push_back({"AH_SHA with HMAC-MD5",
                         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_AH, 0x1234, {w})}),
                         ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    }
    cases.push_back({"two ESP payloads in one proposal", Sa({good(), good()}),
                     ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back(
        {"decreasing proposal numbers", Sa({good(2), good(1)}), ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back({"PROTO_ISAKMP in quick mode",
                     Sa({Proposal(1, ISAKMP_PROTO_ISAKMP, 0x1234,
                                  {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA)})}),
                     ISAKMP_NOTIFY_BAD_PROPOSAL_SYNTAX});
    cases.push_back(
        {"protocol 9",
         Sa({Proposal(1, 9, 0x1234, {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA)})}),
         ISAKMP_NOTIFY_INVALID_PROTOCOL_ID});
    cases.push_back(
        {"encapsulation mode 7 (undefined)",
         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                      {EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA, 0, 3600, {}, 7)})}),
         ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED});
    {
        IsakmpTransform t = EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA);
        t.AddAttribute(IsakmpAttribute::Basic(99, 1));
        cases.push_back({"unknown attribute class",
                         Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234, {t})}),
                         ISAKMP_NOTIFY_ATTRIBUTES_NOT_SUPPORTED});
    }
    {
        IsakmpSaPayload doi;
        doi.SetDoi(2);
        doi.AddProposal(good());
        cases.push_back({"DOI 2", doi, ISAKMP_NOTIFY_DOI_NOT_SUPPORTED});
    }
    for (const Case& c : cases)
    {
        SCOPED_TRACE(c.what);
        IkePhase2Selection s = IkeSelectPhase2(c.sa, ours);
        EXPECT_FALSE(s.ok);
        EXPECT_EQ(s.notify, c.notify) << s.reason;
        EXPECT_FALSE(s.reason.empty());
        // the rest never crashes on it either
        IkeDescribePhase2Proposal(c.sa, 1);
        IkeAcceptPhase2Reply(c.sa, ours);
        IkeMakePhase2Reply(c.sa, s, {1, 2, 3});
    }

    // a malformed proposal followed by a good one: the good one is chosen
    IsakmpProposal shortSpi(1, ISAKMP_PROTO_IPSEC_ESP, {1, 2, 3});
    shortSpi.AddTransform(EspTransform(IPSEC_ESP_3DES, IPSEC_AUTH_HMAC_SHA));
    IkePhase2Selection skip = IkeSelectPhase2(Wire(Sa({shortSpi, good(2)})), ours);
    ASSERT_TRUE(skip.ok) << skip.reason;
    EXPECT_EQ(skip.proposalNumber, 2);

    // a malformed proposal and an understood one we do not accept: NO-PROPOSAL-CHOSEN, and the
    // reason tells both
    IkePhase2Selection mixed = IkeSelectPhase2(
        Wire(Sa({shortSpi, Proposal(2, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                                    {EspTransform(IPSEC_ESP_DES, IPSEC_AUTH_HMAC_MD5)})})),
        ours);
    EXPECT_FALSE(mixed.ok);
    EXPECT_EQ(mixed.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_EQ(mixed.reason,
              "no proposal chosen: peer offered esp-3des esp-sha-hmac [malformed: ESP SPI of 3 "
              "bytes (4 required)], esp-des esp-md5-hmac; we accept esp-3des esp-sha-hmac");

    // an algorithm we do not implement is understood: NO-PROPOSAL-CHOSEN naming it
    IkePhase2Selection blowfish = IkeSelectPhase2(
        Wire(Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                          {EspTransform(IPSEC_ESP_BLOWFISH, IPSEC_AUTH_HMAC_SHA, 128)})})),
        ours);
    EXPECT_EQ(blowfish.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_NE(blowfish.reason.find("esp-blowfish"), std::string::npos) << blowfish.reason;

    // IPComp's CPI may come in four octets, the CPI in the low two (RFC 2393)
    IsakmpProposal cpi4(1, ISAKMP_PROTO_IPCOMP);
    cpi4.SetSpi32(0x00004567);
    cpi4.AddTransform(EspTransform(IPSEC_IPCOMP_LZS, 0));
    IkePhase2Selection c4 =
        IkeSelectPhase2(Wire(Sa({cpi4, good()})), Offer({Set("comp-lzs esp-3des esp-sha-hmac")}));
    ASSERT_TRUE(c4.ok) << c4.reason;
    EXPECT_EQ(c4.peerSpis.cpi, 0x4567);
    EXPECT_EQ(c4.peerSpis.esp, 0x1234u);

    // nothing of ours
    IkePhase2Selection empty = IkeSelectPhase2(Wire(Sa({good()})), IkePhase2Offer());
    EXPECT_FALSE(empty.ok);
    EXPECT_EQ(empty.notify, ISAKMP_NOTIFY_NO_PROPOSAL_CHOSEN);
    EXPECT_NE(empty.reason.find("no transform set"), std::string::npos) << empty.reason;
}

TEST(IkeProposalPhase2, InitiatorRefusesABadReply)
{
    IkePhase2Offer init = Offer({Set("esp-3des esp-sha-hmac"), Set("esp-aes esp-sha-hmac")});
    std::string reason;
    // the whole offer back (two proposal numbers)
    EXPECT_FALSE(
        IkeAcceptPhase2Reply(Wire(IkeMakePhase2Offer(init, Spis(init, 1))), init, &reason));
    EXPECT_NE(reason.find("2 proposal numbers"), std::string::npos) << reason;
    // something we never offered
    EXPECT_FALSE(IkeAcceptPhase2Reply(
        Wire(Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                          {EspTransform(IPSEC_ESP_DES, IPSEC_AUTH_HMAC_MD5)})})),
        init, &reason));
    EXPECT_EQ(reason, "the responder chose esp-des esp-md5-hmac, not what we offered (we offered "
                      "esp-3des esp-sha-hmac, esp-aes esp-sha-hmac)");
    // an empty SA
    EXPECT_FALSE(IkeAcceptPhase2Reply(IsakmpSaPayload(), init, &reason));
    // our second set under proposal number 1: still found by content
    auto r = IkeAcceptPhase2Reply(
        Wire(Sa({Proposal(1, ISAKMP_PROTO_IPSEC_ESP, 0x1234,
                          {EspTransform(IPSEC_ESP_AES, IPSEC_AUTH_HMAC_SHA, 128)})})),
        init);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->setIndex, 1u);
}

TEST(IkeProposalPhase2, DescribeProposal)
{
    IkePhase2Offer o =
        Offer({Set("esp-des esp-md5-hmac"), Set("ah-md5-hmac esp-des"),
               Set("comp-lzs esp-3des esp-md5-hmac"), Set("esp-aes 256 esp-sha-hmac"),
               Set("esp-gcm 192"), Set("ah-sha512-hmac")});
    IsakmpSaPayload sa = Wire(IkeMakePhase2Offer(o, Spis(o, 0x100)));
    for (size_t k = 0; k < o.sets.size(); ++k)
    {
        EXPECT_EQ(IkeDescribePhase2Proposal(sa, static_cast<uint8_t>(k + 1)), o.sets[k].ToString());
    }
    EXPECT_EQ(IkeDescribePhase2Proposal(sa, 1), "esp-des esp-md5-hmac");
    EXPECT_EQ(IkeDescribePhase2Proposal(sa, 2), "ah-md5-hmac esp-des");
    EXPECT_EQ(IkeDescribePhase2Proposal(sa, 99), "");
    EXPECT_EQ(IkeDescribePhase2Proposal(IsakmpSaPayload(), 1), "");
}

TEST(IkeProposalWire, OfferSurvivesAWholeMessage)
{
    IkePhase2Offer o = Offer({Set("comp-lzs esp-3des esp-md5-hmac", IpsecMode::TRANSPORT),
                              Set("ah-sha-hmac esp-aes 256 esp-sha-hmac")},
                             3600, 4608000, 5);
    IsakmpSaPayload sa = IkeMakePhase2Offer(o, Spis(o, 0x20000));
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(IsakmpCookieFromUint64(0x0102030405060708ULL));
    h.SetResponderCookie(IsakmpCookieFromUint64(0x1112131415161718ULL));
    h.SetExchangeType(ISAKMP_EXCH_QUICK_MODE);
    h.SetMessageId(0x01020304);
    m.SetHeader(h);
    m.AddPayload(IsakmpHashPayload(Bytes(20, 0xaa)));
    m.AddPayload(sa);
    m.AddPayload(IsakmpNoncePayload(Bytes(16, 0x55)));
    Bytes wire = m.ToBytes();
    IsakmpParseStatus status;
    std::optional<IsakmpMessage> back = IsakmpMessage::FromBytes(wire, &status);
    ASSERT_TRUE(back) << status.ToString();
    const IsakmpSaPayload* got = back->FindPayload<IsakmpSaPayload>();
    ASSERT_NE(got, nullptr);
    IsakmpSaPayload last = *got; // in the message its Next Payload names the nonce
    EXPECT_EQ(last.GetNextPayload(), ISAKMP_PAYLOAD_NONCE);
    last.SetNextPayload(ISAKMP_PAYLOAD_NONE);
    EXPECT_EQ(last.ToBytes(), sa.ToBytes());
    EXPECT_EQ(back->ToBytes(), wire);

    // the parsed copy negotiates like the original
    IkePhase2Selection a = IkeSelectPhase2(sa, Offer({o.sets[1]}, 3600, 4608000, 5));
    IkePhase2Selection b = IkeSelectPhase2(*got, Offer({o.sets[1]}, 3600, 4608000, 5));
    ASSERT_TRUE(a.ok && b.ok) << a.reason << " / " << b.reason;
    EXPECT_EQ(a.proposalNumber, b.proposalNumber);
    EXPECT_EQ(b.proposalNumber, 2);
    EXPECT_EQ(a.peerSpis, b.peerSpis);
    EXPECT_EQ(b.pfsGroup, 5);
}

TEST(IkeProposalFuzz, MutatedOffersNeverCrash)
{
    IkePhase2Offer o = Offer({Set("comp-lzs esp-3des esp-md5-hmac", IpsecMode::TRANSPORT),
                              Set("ah-sha-hmac esp-aes 256 esp-sha-hmac")},
                             3600, 4608000, 2);
    const Bytes p2 = IkeMakePhase2Offer(o, Spis(o, 0x30000)).ToBytes();
    std::vector<IkePolicy> pols = {
        Policy(1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA, IKE_GROUP_MODP_2048, 86400),
        Policy(2, IKE_ENCR_3DES_CBC, 0, IKE_HASH_MD5, IKE_GROUP_MODP_1024, 3600)};
    const Bytes p1 = IkeMakePhase1Offer(pols).ToBytes();
    std::mt19937 rng(20261127);
    size_t parsed = 0;
    for (int round = 0; round < 20000; ++round)
    {
        Bytes b = (round % 2) ? p1 : p2;
        int flips = 1 + int(rng() % 4);
        for (int k = 0; k < flips; ++k)
        {
            size_t at = 4 + rng() % (b.size() - 4); // keep the payload length
            b[at] = static_cast<uint8_t>(rng());
        }
        IsakmpSaPayload sa;
        if (!sa.Parse(b.data(), b.size()).Ok())
        {
            continue;
        }
        ++parsed;
        IkePhase2Selection s = IkeSelectPhase2(sa, o);
        if (!s.ok)
        {
            EXPECT_FALSE(s.reason.empty());
            EXPECT_NE(s.notify, ISAKMP_NOTIFY_NONE);
        }
        IkeMakePhase2Reply(sa, s, {1, 2, 3});
        IkeAcceptPhase2Reply(sa, o);
        IkeDescribePhase2Proposal(sa, 1);
        IkePhase1Selection s1 = IkeSelectPhase1(sa, pols);
        if (!s1.ok)
        {
            EXPECT_FALSE(s1.reason.empty());
            EXPECT_NE(s1.notify, ISAKMP_NOTIFY_NONE);
        }
        IkeAcceptPhase1Reply(sa, pols);
    }
    EXPECT_GT(parsed, 1000u);
}

// ------------------------------------------------------------------------------- tshark

namespace
{

/** @return the output of @p cmd, or nullopt if it could not run */
std::optional<std::string>
RunCommand(const std::string& cmd)
{
    FILE* f = ::popen(cmd.c_str(), "r");
    if (!f)
    {
        return std::nullopt;
    }
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
    {
        out.append(buf, n);
    }
    int rc = ::pclose(f);
    if (rc != 0)
    {
        return std::nullopt;
    }
    return out;
}

} // namespace

TEST(IkeProposalTshark, DissectsOffersAndResponderLifetime)
{
    if (!RunCommand("command -v tshark >/dev/null 2>&1 && echo yes"))
    {
        GTEST_SKIP() << "tshark is not installed";
    }
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("ike-proposal-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string pcapPath = (dir / "offers.pcap").string();

    auto message = [](uint8_t exchange, uint32_t mid)
    {
        IsakmpMessage m;
        IsakmpHeader h;
        h.SetInitiatorCookie(IsakmpCookieFromUint64(0x0102030405060708ULL));
        h.SetResponderCookie(
            IsakmpCookieFromUint64(exchange == ISAKMP_EXCH_MAIN_MODE ? 0 : 0x1112131415161718ULL));
        h.SetExchangeType(exchange);
        h.SetMessageId(mid);
        m.SetHeader(h);
        return m;
    };
    // frame 1: main mode message 1 with the phase-1 offer
    IsakmpMessage mm = message(ISAKMP_EXCH_MAIN_MODE, 0);
    mm.AddPayload(IkeMakePhase1Offer(
        {Policy(1, IKE_ENCR_AES_CBC, 256, IKE_HASH_SHA, IKE_GROUP_MODP_2048, 86400)}));
    // frame 2: a quick-mode offer, sent in the clear so that tshark reads it
    IkePhase2Offer o = Offer({Set("comp-lzs esp-3des esp-md5-hmac", IpsecMode::TRANSPORT),
                              Set("ah-sha-hmac esp-aes 256 esp-sha-hmac")},
                             3600, 100000, 2);
    IsakmpMessage qm = message(ISAKMP_EXCH_QUICK_MODE, 0x01020304);
    qm.AddPayload(IsakmpHashPayload(Bytes(20, 0xaa)));
    qm.AddPayload(
        IkeMakePhase2Offer(o, {{0x11111111, 0x22222222, 0x4567}, {0x33333333, 0x44444444, 0}}));
    qm.AddPayload(IsakmpNoncePayload(Bytes(16, 0x55)));
    // frame 3: RESPONDER-LIFETIME in an informational exchange, also in the clear
    IsakmpMessage info = message(ISAKMP_EXCH_INFORMATIONAL, 0x0a0b0c0d);
    info.AddPayload(IkeResponderLifetimeNotify(ISAKMP_PROTO_IPSEC_ESP, 0xcafe0001, 1800, 70000));
    {
        PcapFile pcap;
        pcap.Open(pcapPath, std::ios::out);
        pcap.Init(101 /* LINKTYPE_RAW */, 65535);
        ns3::test::WriteIsakmpFrame(pcap, 0, mm.ToBytes());
        ns3::test::WriteIsakmpFrame(pcap, 1, qm.ToBytes());
        ns3::test::WriteIsakmpFrame(pcap, 2, info.ToBytes());
        pcap.Close();
    }
    auto fields = [&pcapPath](uint32_t frame, const std::string& field)
    {
        std::optional<std::string> out = RunCommand(
            "tshark -n -r '" + pcapPath + "' -Y 'frame.number == " + std::to_string(frame) +
            "' -T fields -E occurrence=a -E aggregator=, -e " + field + " 2>/dev/null");
        std::string s = out.value_or("<tshark failed>");
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        {
            s.pop_back();
        }
        return s;
    };
    // phase 1: proposal 1, protocol ISAKMP, AES-256, SHA, PSK, group 14, 86400 s
    EXPECT_EQ(fields(1, "isakmp.prop.protoid"), "1");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.encryption_algorithm"), "7");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.key_length"), "256");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.hash_algorithm"), "2");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.authentication_method"), "1");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.group_description"), "14");
    EXPECT_EQ(fields(1, "isakmp.ike.attr.life_duration"), "86400");
    // quick mode: proposals 1, 1, 2, 2 of IPComp, ESP, ESP, AH
    EXPECT_EQ(fields(2, "isakmp.prop.number"), "1,1,2,2");
    EXPECT_EQ(fields(2, "isakmp.prop.protoid"), "4,3,3,2");
    EXPECT_EQ(fields(2, "isakmp.spisize"), "2,4,4,4");
    EXPECT_EQ(fields(2, "isakmp.spi"), "4567,11111111,33333333,44444444");
    EXPECT_EQ(fields(2, "isakmp.trans.id"), "3,3,12,3");
    EXPECT_EQ(fields(2, "isakmp.ipsec.attr.encap_mode"), "2,2,1,1");
    EXPECT_EQ(fields(2, "isakmp.ipsec.attr.auth_algorithm"), "1,2,2");
    EXPECT_EQ(fields(2, "isakmp.ipsec.attr.key_length"), "256");
    EXPECT_EQ(fields(2, "isakmp.ipsec.attr.group_description"), "2,2,2,2");
    EXPECT_EQ(fields(2, "isakmp.ipsec.attr.life_duration"),
              "3600,100000,3600,100000,3600,100000,3600,100000");
    // RESPONDER-LIFETIME
    EXPECT_EQ(fields(3, "isakmp.notify.msgtype"), "24576");
    EXPECT_EQ(fields(3, "isakmp.spi"), "cafe0001");
    EXPECT_EQ(fields(3, "isakmp.notify.data"), "8001000180020708800100020002000400011170");
    std::filesystem::remove_all(dir);
}

// RFC 3947 5.2: behind a NAT the modes are offered as UDP-Encapsulated-Tunnel (3) and
// -Transport (4); a responder takes them as tunnel and transport.
TEST(IkeProposalPhase2, UdpEncapsulatedModes)
{
    IkePhase2Offer o =
        Offer({Set("esp-3des esp-sha-hmac"), Set("esp-aes esp-sha-hmac", IpsecMode::TRANSPORT)});
    o.udpEncapsulation = true;
    IsakmpSaPayload sa = Wire(IkeMakePhase2Offer(o, {{0x1001, 0, 0}, {0x1002, 0, 0}}));
    ASSERT_EQ(sa.GetProposals().size(), 2u);
    EXPECT_EQ(
        sa.GetProposals()[0].GetTransforms()[0].GetAttributeValue(IPSEC_ATTR_ENCAPSULATION_MODE),
        IPSEC_ENCAP_UDP_TUNNEL);
    EXPECT_EQ(
        sa.GetProposals()[1].GetTransforms()[0].GetAttributeValue(IPSEC_ATTR_ENCAPSULATION_MODE),
        IPSEC_ENCAP_UDP_TRANSPORT);
    IkePhase2Offer ours = Offer({Set("esp-aes esp-sha-hmac", IpsecMode::TRANSPORT)});
    IkePhase2Selection s = IkeSelectPhase2(sa, ours);
    ASSERT_TRUE(s.ok) << s.reason;
    EXPECT_EQ(s.set.mode, IpsecMode::TRANSPORT);
    EXPECT_EQ(s.proposalNumber, 2);
    IsakmpSaPayload reply = Wire(IkeMakePhase2Reply(sa, s, {0x2002, 0, 0}));
    auto r = IkeAcceptPhase2Reply(reply, o);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->setIndex, 1u);
}
