// IKEv2 SA payloads and traffic selectors: offers, choices and the conversions between the
// data plane's selectors and TSi/TSr (RFC 7296 2.7, 2.9, 3.3).
#include "ns3/ikev2-proposal.h"

#include "ns3/ikev2-constants.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

using namespace ipsec;

namespace
{

uint32_t
ToU32(const Ipv4Address& a)
{
    return a.Get();
}

/** The first transform of @p type in @p p accepted by @p ok, in the peer's order. */
template <class F>
const Ikev2Transform*
FirstOf(const Ikev2Proposal& p, uint8_t type, F ok)
{
    for (const auto& t : p.transforms)
    {
        if (t.type == type && ok(t))
        {
            return &t;
        }
    }
    return nullptr;
}

bool
HasTransform(const Ikev2SaPayload& sa, const Ikev2Transform& t)
{
    for (const auto& p : sa.proposals)
    {
        for (const auto& x : p.transforms)
        {
            if (x.type == t.type && x.id == t.id && x.KeyLength() == t.KeyLength())
            {
                return true;
            }
        }
    }
    return false;
}

std::optional<Ikev2IkeSuite>
SuiteOf(const Ikev2Transform& e, const Ikev2Transform* integ, const Ikev2Transform& prf,
        const Ikev2Transform& dh)
{
    auto encr = Ikev2EncrFromTransform(e.id, e.KeyLength().value_or(0));
    auto p = Ikev2PrfFromTransformId(prf.id);
    if (!encr || !p)
    {
        return std::nullopt;
    }
    Ikev2IkeSuite s;
    s.encr = *encr;
    s.prf = *p;
    s.group = dh.id;
    if (integ)
    {
        auto i = Ikev2IntegFromTransform(integ->id);
        if (!i)
        {
            return std::nullopt;
        }
        s.integ = *i;
    }
    return s;
}

std::optional<IpsecTransformSet>
SetOf(const Ikev2Proposal& p)
{
    const Ikev2Transform* e = p.Find(IKEV2_TRANSFORM_ENCR);
    if (p.protocol != IKEV2_PROTO_ESP || !e)
    {
        return std::nullopt;
    }
    IpsecTransformSet s;
    const uint16_t bits = e->KeyLength().value_or(0);
    switch (e->id)
    {
    case IKEV2_ENCR_3DES:
        s.espCipher = CipherAlgorithm::TDES_CBC;
        break;
    case IKEV2_ENCR_DES:
        s.espCipher = CipherAlgorithm::DES_CBC;
        break;
    case IKEV2_ENCR_NULL:
        s.espCipher = CipherAlgorithm::NULL_CIPHER;
        break;
    case IKEV2_ENCR_AES_CBC:
        s.espCipher = bits == 128   ? CipherAlgorithm::AES_CBC_128
                      : bits == 192 ? CipherAlgorithm::AES_CBC_192
                                    : CipherAlgorithm::AES_CBC_256;
        break;
    case IKEV2_ENCR_AES_GCM_16:
        s.espCipher = bits == 128   ? CipherAlgorithm::AES_GCM_128
                      : bits == 192 ? CipherAlgorithm::AES_GCM_192
                                    : CipherAlgorithm::AES_GCM_256;
        break;
    default:
        return std::nullopt;
    }
    if (const Ikev2Transform* i = p.Find(IKEV2_TRANSFORM_INTEG); i && i->id != IKEV2_INTEG_NONE)
    {
        switch (i->id)
        {
        case IKEV2_INTEG_HMAC_MD5_96:
            s.espAuth = AuthAlgorithm::HMAC_MD5_96;
            break;
        case IKEV2_INTEG_HMAC_SHA1_96:
            s.espAuth = AuthAlgorithm::HMAC_SHA1_96;
            break;
        case IKEV2_INTEG_HMAC_SHA2_256_128:
            s.espAuth = AuthAlgorithm::HMAC_SHA256_128;
            break;
        case IKEV2_INTEG_HMAC_SHA2_384_192:
            s.espAuth = AuthAlgorithm::HMAC_SHA384_192;
            break;
        case IKEV2_INTEG_HMAC_SHA2_512_256:
            s.espAuth = AuthAlgorithm::HMAC_SHA512_256;
            break;
        default:
            return std::nullopt;
        }
    }
    return s;
}

bool
SameAlgorithms(const IpsecTransformSet& a, const IpsecTransformSet& b)
{
    return a.espCipher == b.espCipher && a.espAuth == b.espAuth && !a.ah && !b.ah && !a.comp &&
           !b.comp;
}

uint32_t
SpiOf(const Ikev2Proposal& p)
{
    uint32_t v = 0;
    for (uint8_t b : p.spi)
    {
        v = (v << 8) | b;
    }
    return v;
}

std::vector<uint8_t>
SpiBytes(uint32_t spi)
{
    return {uint8_t(spi >> 24), uint8_t(spi >> 16), uint8_t(spi >> 8), uint8_t(spi)};
}

/** A range first..last as address and wildcard; false when it is not one prefix. */
bool
PrefixOf(uint32_t first, uint32_t last, Ipv4Address* addr, uint32_t* wildcard)
{
    const uint32_t span = first ^ last;
    if ((span & (span + 1)) != 0 || (first & span) != 0 || (last & span) != span)
    {
        return false;
    }
    *addr = Ipv4Address(first);
    *wildcard = span;
    return true;
}

} // namespace

std::string
Ikev2IkeSuite::ToString() const
{
    std::ostringstream os;
    os << GetIkev2EncrInfo(encr).name << "/" << GetIkev2IntegInfo(integ).name << "/"
       << Ikev2PrfName(prf) << "/group " << group;
    return os.str();
}

Ikev2SaPayload
Ikev2MakeIkeOffer(const std::vector<IkePolicyProvider::Ikev2IkeOffer>& offers)
{
    Ikev2SaPayload sa;
    uint8_t number = 1;
    for (const auto& o : offers)
    {
        Ikev2Proposal p;
        p.number = number++;
        p.protocol = IKEV2_PROTO_IKE;
        for (const auto& [id, bits] : o.encryption)
        {
            p.transforms.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, id, bits));
        }
        for (uint16_t id : o.prf)
        {
            p.transforms.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_PRF, id));
        }
        for (uint16_t id : o.integrity)
        {
            p.transforms.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, id));
        }
        for (uint16_t g : o.groups)
        {
            p.transforms.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_DH, g));
        }
        sa.proposals.push_back(p);
    }
    return sa;
}

Ikev2IkeSelection
Ikev2SelectIke(const Ikev2SaPayload& offer,
               const std::vector<IkePolicyProvider::Ikev2IkeOffer>& ours)
{
    Ikev2IkeSelection sel;
    for (const auto& p : offer.proposals)
    {
        if (p.protocol != IKEV2_PROTO_IKE)
        {
            continue;
        }
        for (const auto& o : ours)
        {
            const auto* e =
                FirstOf(p, IKEV2_TRANSFORM_ENCR,
                        [&o](const Ikev2Transform& t)
                        {
                            return std::count(o.encryption.begin(), o.encryption.end(),
                                              std::make_pair(t.id, t.KeyLength().value_or(0))) > 0;
                        });
            auto in = [](const std::vector<uint16_t>& v) {
                return [&v](const Ikev2Transform& t)
                { return std::count(v.begin(), v.end(), t.id) > 0; };
            };
            const auto* prf = FirstOf(p, IKEV2_TRANSFORM_PRF, in(o.prf));
            const auto* integ = FirstOf(p, IKEV2_TRANSFORM_INTEG, in(o.integrity));
            const auto* dh = FirstOf(p, IKEV2_TRANSFORM_DH, in(o.groups));
            const bool needInteg = !o.integrity.empty();
            if (!e || !prf || !dh || (needInteg && !integ))
            {
                continue;
            }
            auto suite = SuiteOf(*e, needInteg ? integ : nullptr, *prf, *dh);
            if (!suite || GetIkev2EncrInfo(suite->encr).aead == needInteg)
            {
                continue;
            }
            Ikev2Proposal r;
            r.number = p.number;
            r.protocol = IKEV2_PROTO_IKE;
            r.transforms = {*e, *prf};
            if (needInteg)
            {
                r.transforms.push_back(*integ);
            }
            r.transforms.push_back(*dh);
            sel.reply.proposals = {r};
            sel.suite = suite;
            return sel;
        }
    }
    sel.reason = "no IKEv2 proposal of ours matches the peer's " + offer.Describe();
    return sel;
}

std::optional<Ikev2IkeSuite>
Ikev2AcceptIkeReply(const Ikev2SaPayload& reply, const Ikev2SaPayload& offered, std::string* reason)
{
    if (reply.proposals.size() != 1 || reply.proposals[0].protocol != IKEV2_PROTO_IKE)
    {
        *reason = "the responder's SA payload is not one IKE proposal";
        return std::nullopt;
    }
    const Ikev2Proposal& p = reply.proposals[0];
    for (const auto& t : p.transforms)
    {
        if (!HasTransform(offered, t))
        {
            *reason = "the responder chose a transform we did not offer";
            return std::nullopt;
        }
    }
    const auto* e = p.Find(IKEV2_TRANSFORM_ENCR);
    const auto* prf = p.Find(IKEV2_TRANSFORM_PRF);
    const auto* dh = p.Find(IKEV2_TRANSFORM_DH);
    if (!e || !prf || !dh)
    {
        *reason = "the responder's proposal lacks a transform type";
        return std::nullopt;
    }
    auto s = SuiteOf(*e, p.Find(IKEV2_TRANSFORM_INTEG), *prf, *dh);
    if (!s)
    {
        *reason = "the responder's algorithms are not implemented";
    }
    return s;
}

std::optional<std::vector<Ikev2Transform>>
Ikev2EspTransforms(const IpsecTransformSet& set)
{
    if (set.ah || set.comp || !set.espCipher || set.espRfc1829)
    {
        return std::nullopt;
    }
    std::vector<Ikev2Transform> t;
    switch (*set.espCipher)
    {
    case CipherAlgorithm::TDES_CBC:
        t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_3DES));
        break;
    case CipherAlgorithm::DES_CBC:
        t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_DES));
        break;
    case CipherAlgorithm::NULL_CIPHER:
        t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_NULL));
        break;
    case CipherAlgorithm::AES_CBC_128:
    case CipherAlgorithm::AES_CBC_192:
    case CipherAlgorithm::AES_CBC_256:
    case CipherAlgorithm::AES_GCM_128:
    case CipherAlgorithm::AES_GCM_192:
    case CipherAlgorithm::AES_GCM_256:
    {
        const auto c = *set.espCipher;
        const bool gcm = c == CipherAlgorithm::AES_GCM_128 || c == CipherAlgorithm::AES_GCM_192 ||
                         c == CipherAlgorithm::AES_GCM_256;
        const uint16_t bits =
            (c == CipherAlgorithm::AES_CBC_128 || c == CipherAlgorithm::AES_GCM_128)   ? 128
            : (c == CipherAlgorithm::AES_CBC_192 || c == CipherAlgorithm::AES_GCM_192) ? 192
                                                                                       : 256;
        t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR,
                                         gcm ? IKEV2_ENCR_AES_GCM_16 : IKEV2_ENCR_AES_CBC, bits));
        break;
    }
    }
    if (set.espAuth && *set.espAuth != AuthAlgorithm::NONE)
    {
        uint16_t id = 0;
        switch (*set.espAuth)
        {
        case AuthAlgorithm::HMAC_MD5_96:
            id = IKEV2_INTEG_HMAC_MD5_96;
            break;
        case AuthAlgorithm::HMAC_SHA1_96:
            id = IKEV2_INTEG_HMAC_SHA1_96;
            break;
        case AuthAlgorithm::HMAC_SHA256_128:
            id = IKEV2_INTEG_HMAC_SHA2_256_128;
            break;
        case AuthAlgorithm::HMAC_SHA384_192:
            id = IKEV2_INTEG_HMAC_SHA2_384_192;
            break;
        case AuthAlgorithm::HMAC_SHA512_256:
            id = IKEV2_INTEG_HMAC_SHA2_512_256;
            break;
        case AuthAlgorithm::NONE:
            break;
        }
        t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, id));
    }
    t.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_ESN, IKEV2_ESN_NO));
    return t;
}

Ikev2SaPayload
Ikev2MakeChildOffer(const IkePhase2Offer& offer, uint32_t spi)
{
    Ikev2SaPayload sa;
    uint8_t number = 1;
    for (const auto& set : offer.sets)
    {
        auto t = Ikev2EspTransforms(set);
        if (!t)
        {
            continue; // AH and IPComp are not offered over IKEv2 here
        }
        Ikev2Proposal p;
        p.number = number++;
        p.protocol = IKEV2_PROTO_ESP;
        p.spi = SpiBytes(spi);
        p.transforms = *t;
        sa.proposals.push_back(p);
    }
    return sa;
}

Ikev2ChildSelection
Ikev2SelectChild(const Ikev2SaPayload& offer, const IkePhase2Offer& ours, uint32_t ourSpi)
{
    Ikev2ChildSelection sel;
    for (const auto& p : offer.proposals)
    {
        auto theirs = SetOf(p);
        if (!theirs || p.spi.size() != 4)
        {
            continue;
        }
        for (const auto& set : ours.sets)
        {
            if (SameAlgorithms(set, *theirs))
            {
                sel.set = set;
                sel.peerSpi = SpiOf(p);
                Ikev2Proposal r = p;
                r.spi = SpiBytes(ourSpi);
                sel.reply.proposals = {r};
                return sel;
            }
        }
    }
    sel.reason = "no transform set of ours matches the peer's " + offer.Describe();
    return sel;
}

Ikev2ChildSelection
Ikev2AcceptChildReply(const Ikev2SaPayload& reply, const IkePhase2Offer& ours)
{
    Ikev2ChildSelection sel;
    if (reply.proposals.size() != 1 || reply.proposals[0].spi.size() != 4)
    {
        sel.reason = "the responder's child SA payload is not one ESP proposal";
        return sel;
    }
    auto theirs = SetOf(reply.proposals[0]);
    for (const auto& set : ours.sets)
    {
        if (theirs && SameAlgorithms(set, *theirs))
        {
            sel.set = set;
            sel.peerSpi = SpiOf(reply.proposals[0]);
            return sel;
        }
    }
    sel.reason = "the responder chose a child SA transform set we did not offer";
    return sel;
}

Ikev2TrafficSelector
Ikev2SelectorOf(const IpsecTrafficSelector& s, bool source)
{
    const uint32_t addr = ToU32(source ? s.srcAddr : s.dstAddr);
    const uint32_t wild = source ? s.srcWildcard : s.dstWildcard;
    const IpsecPortMatch& port = source ? s.srcPort : s.dstPort;
    uint16_t lo = 0;
    uint16_t hi = 0xffff;
    if (port.op == IpsecPortMatch::Op::EQ || port.op == IpsecPortMatch::Op::RANGE)
    {
        lo = port.lo;
        hi = port.op == IpsecPortMatch::Op::EQ ? port.lo : port.hi;
    }
    return Ikev2TrafficSelector::Ipv4(addr & ~wild, addr | wild, s.protocol, lo, hi);
}

std::optional<IpsecTrafficSelector>
Ikev2ScopeOf(const Ikev2TsPayload& src, const Ikev2TsPayload& dst, std::string* reason)
{
    if (src.selectors.size() != 1 || dst.selectors.size() != 1)
    {
        *reason = "more than one traffic selector (narrowing is not simulated)";
        return std::nullopt;
    }
    const Ikev2TrafficSelector& a = src.selectors[0];
    const Ikev2TrafficSelector& b = dst.selectors[0];
    IpsecTrafficSelector s;
    if (a.type != IKEV2_TS_IPV4_ADDR_RANGE || b.type != IKEV2_TS_IPV4_ADDR_RANGE ||
        a.protocol != b.protocol ||
        !PrefixOf(a.Ipv4Start(), a.Ipv4End(), &s.srcAddr, &s.srcWildcard) ||
        !PrefixOf(b.Ipv4Start(), b.Ipv4End(), &s.dstAddr, &s.dstWildcard))
    {
        *reason = "traffic selectors " + a.ToString() + " / " + b.ToString() +
                  " are not IPv4 prefixes of one protocol";
        return std::nullopt;
    }
    s.protocol = a.protocol;
    auto ports = [](const Ikev2TrafficSelector& t)
    {
        if (t.startPort == 0 && t.endPort == 0xffff)
        {
            return IpsecPortMatch{};
        }
        return t.startPort == t.endPort ? IpsecPortMatch::Eq(t.startPort)
                                        : IpsecPortMatch::Range(t.startPort, t.endPort);
    };
    s.srcPort = ports(a);
    s.dstPort = ports(b);
    return s;
}

} // namespace ns3
