// IKEv2 SA payloads and traffic selectors of the daemon (ikev2-proposal.h): the IKE SA offer
// and the responder's choice in the peer's order, AES-GCM without integrity, refusals, the
// child SA's ESP offer from transform sets and its choice, and traffic selectors to and from
// the data plane's selectors, each checked against values written out by hand.
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-proposal.h"

#include <gtest/gtest.h>

using namespace ns3;
using namespace ns3::ipsec;

namespace
{

using Offer = IkePolicyProvider::Ikev2IkeOffer;

Offer
CbcOffer()
{
    Offer o;
    o.name = "CBC";
    o.encryption = {{IKEV2_ENCR_AES_CBC, 256}, {IKEV2_ENCR_AES_CBC, 128}};
    o.integrity = {IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_INTEG_HMAC_SHA1_96};
    o.prf = {5, 2};
    o.groups = {14, 5};
    return o;
}

Offer
GcmOffer()
{
    Offer o;
    o.name = "GCM";
    o.encryption = {{IKEV2_ENCR_AES_GCM_16, 128}};
    o.prf = {6};
    o.groups = {19};
    return o;
}

} // namespace

TEST(Ikev2ProposalTest, OfferHasOneProposalPerIosProposalWithEveryTransform)
{
    const Ikev2SaPayload sa = Ikev2MakeIkeOffer({CbcOffer(), GcmOffer()});
    ASSERT_EQ(sa.proposals.size(), 2u);
    EXPECT_EQ(sa.proposals[0].number, 1);
    EXPECT_EQ(sa.proposals[1].number, 2);
    EXPECT_EQ(sa.proposals[0].protocol, IKEV2_PROTO_IKE);
    EXPECT_TRUE(sa.proposals[0].spi.empty());
    // 2 ENCR + 2 PRF + 2 INTEG + 2 DH; GCM: 1 ENCR + 1 PRF + 1 DH and no INTEG.
    EXPECT_EQ(sa.proposals[0].transforms.size(), 8u);
    ASSERT_EQ(sa.proposals[1].transforms.size(), 3u);
    EXPECT_EQ(sa.proposals[1].Find(IKEV2_TRANSFORM_INTEG), nullptr);
    EXPECT_EQ(sa.proposals[0].transforms[0].KeyLength().value_or(0), 256);
}

TEST(Ikev2ProposalTest, ResponderTakesThePeersFirstAcceptableOfEachType)
{
    // The peer prefers AES-128, SHA-1 and group 5; we accept them all: its order wins.
    Offer peer = CbcOffer();
    peer.encryption = {{IKEV2_ENCR_3DES, 0}, {IKEV2_ENCR_AES_CBC, 128}};
    peer.integrity = {IKEV2_INTEG_HMAC_SHA1_96};
    peer.prf = {2};
    peer.groups = {5, 14};
    const Ikev2IkeSelection sel = Ikev2SelectIke(Ikev2MakeIkeOffer({peer}), {CbcOffer()});
    ASSERT_TRUE(sel.suite) << sel.reason;
    EXPECT_EQ(sel.suite->encr, Ikev2EncrAlgorithm::AES_CBC_128);
    EXPECT_EQ(sel.suite->integ, Ikev2IntegAlgorithm::HMAC_SHA1_96);
    EXPECT_EQ(sel.suite->prf, Ikev2PrfAlgorithm::HMAC_SHA1);
    EXPECT_EQ(sel.suite->group, 5);
    ASSERT_EQ(sel.reply.proposals.size(), 1u);
    EXPECT_EQ(sel.reply.proposals[0].transforms.size(), 4u) << "one transform of each type";

    std::string why;
    auto accepted = Ikev2AcceptIkeReply(sel.reply, Ikev2MakeIkeOffer({peer}), &why);
    ASSERT_TRUE(accepted) << why;
    EXPECT_EQ(accepted->group, 5);
}

TEST(Ikev2ProposalTest, AeadProposalNeedsNoIntegrityAndKeyLengthsMustAgree)
{
    const Ikev2IkeSelection gcm =
        Ikev2SelectIke(Ikev2MakeIkeOffer({GcmOffer()}), {CbcOffer(), GcmOffer()});
    ASSERT_TRUE(gcm.suite) << gcm.reason;
    EXPECT_EQ(gcm.suite->encr, Ikev2EncrAlgorithm::AES_GCM16_128);
    EXPECT_EQ(gcm.suite->integ, Ikev2IntegAlgorithm::NONE);
    EXPECT_EQ(gcm.suite->group, 19);

    Offer peer = CbcOffer();
    peer.encryption = {{IKEV2_ENCR_AES_CBC, 192}}; // a key length we do not have
    const Ikev2IkeSelection none = Ikev2SelectIke(Ikev2MakeIkeOffer({peer}), {CbcOffer()});
    EXPECT_FALSE(none.suite);
    EXPECT_NE(none.reason.find("no IKEv2 proposal"), std::string::npos) << none.reason;
}

TEST(Ikev2ProposalTest, InitiatorRefusesAReplyItDidNotOffer)
{
    const Ikev2SaPayload offered = Ikev2MakeIkeOffer({CbcOffer()});
    Ikev2SaPayload reply = Ikev2SelectIke(offered, {CbcOffer()}).reply;
    reply.proposals[0].transforms.back().id = 19; // a group we never offered
    std::string why;
    EXPECT_FALSE(Ikev2AcceptIkeReply(reply, offered, &why));
    EXPECT_NE(why.find("did not offer"), std::string::npos) << why;
    reply.proposals.push_back(reply.proposals[0]);
    EXPECT_FALSE(Ikev2AcceptIkeReply(reply, offered, &why));
}

TEST(Ikev2ProposalTest, ChildOfferFromTransformSets)
{
    IkePhase2Offer offer;
    offer.sets = {IpsecTransformSet::Parse("esp-3des esp-md5-hmac"),
                  IpsecTransformSet::Parse("ah-sha-hmac esp-aes"), // AH: not offered
                  IpsecTransformSet::Parse("esp-gcm 256")};
    const Ikev2SaPayload sa = Ikev2MakeChildOffer(offer, 0x12345678);
    ASSERT_EQ(sa.proposals.size(), 2u);
    const Ikev2Proposal& a = sa.proposals[0];
    EXPECT_EQ(a.protocol, IKEV2_PROTO_ESP);
    EXPECT_EQ(a.spi, (std::vector<uint8_t>{0x12, 0x34, 0x56, 0x78}));
    ASSERT_EQ(a.transforms.size(), 3u);
    EXPECT_EQ(a.transforms[0].id, IKEV2_ENCR_3DES);
    EXPECT_EQ(a.transforms[1].id, IKEV2_INTEG_HMAC_MD5_96);
    EXPECT_EQ(a.transforms[2].type, IKEV2_TRANSFORM_ESN);
    const Ikev2Proposal& g = sa.proposals[1];
    EXPECT_EQ(g.number, 2);
    EXPECT_EQ(g.transforms[0].id, IKEV2_ENCR_AES_GCM_16);
    EXPECT_EQ(g.transforms[0].KeyLength().value_or(0), 256);
    EXPECT_EQ(g.Find(IKEV2_TRANSFORM_INTEG), nullptr);

    // The responder holds only the GCM set: it picks proposal 2 and answers with its SPI.
    IkePhase2Offer ours;
    ours.sets = {IpsecTransformSet::Parse("esp-gcm 256")};
    Ikev2ChildSelection sel = Ikev2SelectChild(sa, ours, 0xabcdef01);
    ASSERT_TRUE(sel.set) << sel.reason;
    EXPECT_EQ(sel.peerSpi, 0x12345678u);
    ASSERT_EQ(sel.reply.proposals.size(), 1u);
    EXPECT_EQ(sel.reply.proposals[0].number, 2);
    EXPECT_EQ(sel.reply.proposals[0].spi, (std::vector<uint8_t>{0xab, 0xcd, 0xef, 0x01}));
    Ikev2ChildSelection back = Ikev2AcceptChildReply(sel.reply, offer);
    ASSERT_TRUE(back.set) << back.reason;
    EXPECT_EQ(back.peerSpi, 0xabcdef01u);
    EXPECT_EQ(back.set->ToString(), sel.set->ToString());

    ours.sets = {IpsecTransformSet::Parse("esp-aes esp-sha-hmac")};
    EXPECT_FALSE(Ikev2SelectChild(sa, ours, 1).set);
}

TEST(Ikev2ProposalTest, TrafficSelectorsFromAndToTheDataPlane)
{
    const IpsecTrafficSelector acl =
        IpsecTrafficSelector::Subnets(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.255.0"),
                                      Ipv4Address("10.2.2.0"), Ipv4Mask("255.255.255.0"));
    const Ikev2TrafficSelector tsi = Ikev2SelectorOf(acl, true);
    const Ikev2TrafficSelector tsr = Ikev2SelectorOf(acl, false);
    EXPECT_EQ(tsi.Ipv4Start(), 0x0a000000u);
    EXPECT_EQ(tsi.Ipv4End(), 0x0a0000ffu);
    EXPECT_EQ(tsr.Ipv4Start(), 0x0a020200u);
    EXPECT_EQ(tsr.Ipv4End(), 0x0a0202ffu);
    EXPECT_EQ(tsi.startPort, 0);
    EXPECT_EQ(tsi.endPort, 0xffff);

    // The responder reads them in its own outbound sense: source TSr, destination TSi.
    Ikev2TsPayload pi(IKEV2_PAYLOAD_TSI), pr(IKEV2_PAYLOAD_TSR);
    pi.selectors = {tsi};
    pr.selectors = {tsr};
    std::string why;
    auto scope = Ikev2ScopeOf(pr, pi, &why);
    ASSERT_TRUE(scope) << why;
    EXPECT_EQ(scope->srcAddr, Ipv4Address("10.2.2.0"));
    EXPECT_EQ(scope->srcWildcard, 0xffu);
    EXPECT_EQ(scope->dstAddr, Ipv4Address("10.0.0.0"));
    EXPECT_TRUE(scope->Within(acl.Mirror()));

    // One TCP port, and a range that is no prefix (10.0.0.1-10.0.0.6): refused with a reason.
    IpsecTrafficSelector web =
        IpsecTrafficSelector::Hosts(Ipv4Address("10.0.0.1"), Ipv4Address("10.2.2.2"), 6);
    web.dstPort = IpsecPortMatch::Eq(443);
    pr.selectors = {Ikev2SelectorOf(web, false)};
    pi.selectors = {Ikev2SelectorOf(web, true)};
    EXPECT_EQ(pr.selectors[0].startPort, 443);
    EXPECT_EQ(pr.selectors[0].endPort, 443);
    scope = Ikev2ScopeOf(pi, pr, &why);
    ASSERT_TRUE(scope) << why;
    EXPECT_EQ(scope->protocol, 6);
    EXPECT_EQ(scope->dstPort.op, IpsecPortMatch::Op::EQ);
    EXPECT_EQ(scope->dstPort.lo, 443);
    pi.selectors = {Ikev2TrafficSelector::Ipv4(0x0a000001, 0x0a000006, 6)};
    EXPECT_FALSE(Ikev2ScopeOf(pi, pr, &why));
    EXPECT_NE(why.find("not IPv4 prefixes"), std::string::npos) << why;
    pi.selectors.push_back(pi.selectors[0]);
    EXPECT_FALSE(Ikev2ScopeOf(pi, pr, &why));
    EXPECT_NE(why.find("narrowing"), std::string::npos) << why;
}
