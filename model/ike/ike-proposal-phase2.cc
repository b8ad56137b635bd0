// Quick-mode (phase 2) SA payloads: offers, the responder's choice and reply, the initiator's
// check of it (RFC 2407 4.5, 4.6.2); see ike-proposal-phase1.cc for the rules both phases follow.
#include "ike-proposal-private.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeProposalPhase2");

using namespace ike_proposal;

namespace
{

// ------------------------------------------------------------------------------- phase 2

/** A quick-mode transform as read from the wire. */
struct P2Transform
{
    const IsakmpTransform* raw = nullptr;     //!< the transform in the offer
    Problem problem;                          //!< OK if understood
    std::optional<CipherAlgorithm> cipher;    //!< ESP
    bool rfc1829 = false;                     //!< ESP_DES_IV64
    AuthAlgorithm auth = AuthAlgorithm::NONE; //!< ESP authenticator or AH algorithm
    std::optional<CompressionAlgorithm> comp; //!< IPComp
    std::optional<IpsecMode> mode;            //!< absent: host-dependent (RFC 2407 4.5)
    uint16_t group = 0;                       //!< 0 without PFS
    std::optional<uint64_t> seconds;          //!< life duration in seconds
    std::optional<uint64_t> kilobytes;        //!< life duration in kilobytes

    // for descriptions of what we do not implement
    uint16_t authAttr = 0;  //!< the authentication algorithm attribute (0 absent)
    uint16_t keyLength = 0; //!< the key length attribute (0 absent)
};

/** One protocol payload of a quick-mode proposal. */
struct P2Payload
{
    const IsakmpProposal* raw = nullptr; //!< the proposal payload in the offer
    uint8_t protocol = 0;                //!< ISAKMP_PROTO_IPSEC_AH / ESP / IPCOMP
    uint32_t spi = 0;                    //!< SPI, or the CPI
    std::vector<P2Transform> transforms; //!< alternatives (RFC 2408 4.2)
};

/** A quick-mode proposal: the payloads sharing one proposal number. */
struct P2Proposal
{
    uint8_t number = 0;              //!< Proposal #
    Problem problem;                 //!< of the proposal layer (SPI, protocols)
    std::vector<P2Payload> payloads; //!< in wire order

    /** @return the payload of @p protocol, or nullptr */
    const P2Payload* Find(uint8_t protocol) const
    {
        for (const auto& p : payloads)
        {
            if (p.protocol == protocol)
            {
                return &p;
            }
        }
        return nullptr;
    }
};

/** @return the RFC 2407 authentication algorithm of @p a (0 for NONE) */
uint16_t
AuthToAttribute(AuthAlgorithm a)
{
    switch (a)
    {
    case AuthAlgorithm::HMAC_MD5_96:
        return IPSEC_AUTH_HMAC_MD5;
    case AuthAlgorithm::HMAC_SHA1_96:
        return IPSEC_AUTH_HMAC_SHA;
    case AuthAlgorithm::HMAC_SHA256_128:
        return IPSEC_AUTH_HMAC_SHA2_256;
    case AuthAlgorithm::HMAC_SHA384_192:
        return IPSEC_AUTH_HMAC_SHA2_384;
    case AuthAlgorithm::HMAC_SHA512_256:
        return IPSEC_AUTH_HMAC_SHA2_512;
    default:
        return 0;
    }
}

/** @return the algorithm of an RFC 2407 authentication algorithm value we implement */
std::optional<AuthAlgorithm>
AuthFromAttribute(uint16_t v)
{
    switch (v)
    {
    case IPSEC_AUTH_HMAC_MD5:
        return AuthAlgorithm::HMAC_MD5_96;
    case IPSEC_AUTH_HMAC_SHA:
        return AuthAlgorithm::HMAC_SHA1_96;
    case IPSEC_AUTH_HMAC_SHA2_256:
        return AuthAlgorithm::HMAC_SHA256_128;
    case IPSEC_AUTH_HMAC_SHA2_384:
        return AuthAlgorithm::HMAC_SHA384_192;
    case IPSEC_AUTH_HMAC_SHA2_512:
        return AuthAlgorithm::HMAC_SHA512_256;
    default:
        return std::nullopt;
    }
}

/** @return the AH transform id of @p a (0 for NONE) */
uint8_t
AhTransformId(AuthAlgorithm a)
{
    switch (a)
    {
    case AuthAlgorithm::HMAC_MD5_96:
        return IPSEC_AH_MD5;
    case AuthAlgorithm::HMAC_SHA1_96:
        return IPSEC_AH_SHA;
    case AuthAlgorithm::HMAC_SHA256_128:
        return IPSEC_AH_SHA2_256;
    case AuthAlgorithm::HMAC_SHA384_192:
        return IPSEC_AH_SHA2_384;
    case AuthAlgorithm::HMAC_SHA512_256:
        return IPSEC_AH_SHA2_512;
    default:
        return 0;
    }
}

/** @return the algorithm of an AH transform id we implement */
std::optional<AuthAlgorithm>
AhFromTransformId(uint8_t id)
{
    switch (id)
    {
    case IPSEC_AH_MD5:
        return AuthAlgorithm::HMAC_MD5_96;
    case IPSEC_AH_SHA:
        return AuthAlgorithm::HMAC_SHA1_96;
    case IPSEC_AH_SHA2_256:
        return AuthAlgorithm::HMAC_SHA256_128;
    case IPSEC_AH_SHA2_384:
        return AuthAlgorithm::HMAC_SHA384_192;
    case IPSEC_AH_SHA2_512:
        return AuthAlgorithm::HMAC_SHA512_256;
    default:
        return std::nullopt;
    }
}

/** ESP transform id and key length attribute (0: none) of a cipher. */
struct EspWire
{
    uint8_t id;         //!< IPSEC_ESP_*
    uint16_t keyLength; //!< bits, AES only
};

/** @return the ESP transform of @p c (@p rfc1829: ESP_DES_IV64, RFC 2407 4.4.4.1) */
EspWire
EspToWire(CipherAlgorithm c, bool rfc1829)
{
    if (rfc1829)
    {
        return {IPSEC_ESP_DES_IV64, 0};
    }
    switch (c)
    {
    case CipherAlgorithm::NULL_CIPHER:
        return {IPSEC_ESP_NULL, 0};
    case CipherAlgorithm::DES_CBC:
        return {IPSEC_ESP_DES, 0};
    case CipherAlgorithm::TDES_CBC:
        return {IPSEC_ESP_3DES, 0};
    case CipherAlgorithm::AES_CBC_128:
        return {IPSEC_ESP_AES, 128};
    case CipherAlgorithm::AES_CBC_192:
        return {IPSEC_ESP_AES, 192};
    case CipherAlgorithm::AES_CBC_256:
        return {IPSEC_ESP_AES, 256};
    case CipherAlgorithm::AES_GCM_128:
        return {IPSEC_ESP_AES_GCM_16, 128};
    case CipherAlgorithm::AES_GCM_192:
        return {IPSEC_ESP_AES_GCM_16, 192};
    case CipherAlgorithm::AES_GCM_256:
        return {IPSEC_ESP_AES_GCM_16, 256};
    }
    return {IPSEC_ESP_NULL, 0};
}

/** @return the IOS name of an ESP transform id and key length ("esp-aes 256") */
std::string
EspCipherName(uint8_t id, uint16_t keyLength)
{
    auto aes = [keyLength](const char* base)
    {
        std::string s = base;
        if (keyLength != 0 && keyLength != 128)
        {
            s += " " + std::to_string(keyLength);
        }
        return s;
    };
    switch (id)
    {
    case IPSEC_ESP_DES_IV64:
        return "esp-rfc1829";
    case IPSEC_ESP_DES:
        return "esp-des";
    case IPSEC_ESP_3DES:
        return "esp-3des";
    case IPSEC_ESP_RC5:
        return "esp-rc5";
    case IPSEC_ESP_IDEA:
        return "esp-idea";
    case IPSEC_ESP_CAST:
        return "esp-cast";
    case IPSEC_ESP_BLOWFISH:
        return "esp-blowfish";
    case IPSEC_ESP_3IDEA:
        return "esp-3idea";
    case IPSEC_ESP_DES_IV32:
        return "esp-des-iv32";
    case IPSEC_ESP_RC4:
        return "esp-rc4";
    case IPSEC_ESP_NULL:
        return "esp-null";
    case IPSEC_ESP_AES:
        return aes("esp-aes");
    case IPSEC_ESP_AES_GCM_8:
        return aes("esp-gcm-8");
    case IPSEC_ESP_AES_GCM_12:
        return aes("esp-gcm-12");
    case IPSEC_ESP_AES_GCM_16:
        return aes("esp-gcm");
    default:
        return "esp-transform-" + std::to_string(id);
    }
}

/** @return the IOS name of an authentication algorithm attribute with @p prefix ("esp-", "ah-") */
std::string
AuthName(const std::string& prefix, uint16_t attr)
{
    switch (attr)
    {
    case IPSEC_AUTH_HMAC_MD5:
        return prefix + "md5-hmac";
    case IPSEC_AUTH_HMAC_SHA:
        return prefix + "sha-hmac";
    case IPSEC_AUTH_DES_MAC:
        return prefix + "des-mac";
    case IPSEC_AUTH_KPDK:
        return prefix + "kpdk";
    case IPSEC_AUTH_HMAC_SHA2_256:
        return prefix + "sha256-hmac";
    case IPSEC_AUTH_HMAC_SHA2_384:
        return prefix + "sha384-hmac";
    case IPSEC_AUTH_HMAC_SHA2_512:
        return prefix + "sha512-hmac";
    default:
        return prefix + "auth-" + std::to_string(attr);
    }
}

/** @return the IOS name of an AH transform (by its authentication attribute, else its id) */
std::string
AhName(uint8_t id, uint16_t authAttr)
{
    if (authAttr != 0)
    {
        return AuthName("ah-", authAttr);
    }
    switch (id)
    {
    case IPSEC_AH_MD5:
        return "ah-md5-hmac";
    case IPSEC_AH_SHA:
        return "ah-sha-hmac";
    case IPSEC_AH_DES:
        return "ah-des";
    case IPSEC_AH_SHA2_256:
        return "ah-sha256-hmac";
    case IPSEC_AH_SHA2_384:
        return "ah-sha384-hmac";
    case IPSEC_AH_SHA2_512:
        return "ah-sha512-hmac";
    default:
        return "ah-transform-" + std::to_string(id);
    }
}

/** @return the IOS name of an IPComp transform */
std::string
CompName(uint8_t id)
{
    switch (id)
    {
    case IPSEC_IPCOMP_LZS:
        return "comp-lzs";
    case IPSEC_IPCOMP_DEFLATE:
        return "comp-deflate";
    case IPSEC_IPCOMP_OUI:
        return "comp-oui";
    default:
        return "comp-transform-" + std::to_string(id);
    }
}

/** @return the IOS words of one transform of @p protocol ("esp-3des esp-sha-hmac") */
std::string
DescribeP2Transform(uint8_t protocol, const P2Transform& t)
{
    uint8_t id = t.raw ? t.raw->GetTransformId() : 0;
    switch (protocol)
    {
    case ISAKMP_PROTO_IPSEC_ESP:
    {
        std::string s = EspCipherName(id, t.keyLength);
        if (t.authAttr != 0)
        {
            s += " " + AuthName("esp-", t.authAttr);
        }
        return s;
    }
    case ISAKMP_PROTO_IPSEC_AH:
        return AhName(id, t.authAttr);
    case ISAKMP_PROTO_IPCOMP:
        return CompName(id);
    default:
        return "protocol-" + std::to_string(protocol) + "-transform-" + std::to_string(id);
    }
}

/**
 * The SA attributes of phase-2 transform @p t into @p r (lifetimes, group, mode, the
 * authentication algorithm and key length, which @p hasAuth and @p hasKeyLength tell present).
 */
void
ReadPhase2Attributes(uint8_t protocol, const IsakmpTransform& t, P2Transform& r, bool* hasAuth,
                     bool* hasKeyLength)
{
    Problem& pr = r.problem;
    std::vector<uint16_t> seen;
    LifeReader life;
    for (const IsakmpAttribute& a : t.GetAttributes())
    {
        switch (a.GetType())
        {
        case IPSEC_ATTR_SA_LIFE_TYPE:
            life.Type(a, pr);
            break;
        case IPSEC_ATTR_SA_LIFE_DURATION:
            life.Duration(a, pr);
            break;
        case IPSEC_ATTR_GROUP_DESCRIPTION:
            if (CheckBasicOnce(a, seen, "group description", pr))
            {
                r.group = static_cast<uint16_t>(*a.GetInteger());
                if (r.group == 0)
                {
                    pr.Malformed("group description 0");
                }
                else if (!ipsec::IsSupportedDhGroup(r.group))
                {
                    pr.Unsupported("PFS " + GroupName(r.group));
                }
            }
            break;
        case IPSEC_ATTR_ENCAPSULATION_MODE:
            if (CheckBasicOnce(a, seen, "encapsulation mode", pr))
            {
                uint64_t v = *a.GetInteger();
                // RFC 3947 5.2: 3 UDP-Encapsulated-Tunnel, 4 UDP-Encapsulated-Transport (and
                // the draft values 61443, 61444 older peers send). Whether ESP goes in UDP
                // follows from the NAT detection of phase 1; the mode is what is compared.
                if (v == IPSEC_ENCAP_TUNNEL || v == IPSEC_ENCAP_UDP_TUNNEL ||
                    v == IPSEC_ENCAP_UDP_TUNNEL_DRAFT)
                {
                    r.mode = IpsecMode::TUNNEL;
                }
                else if (v == IPSEC_ENCAP_TRANSPORT || v == IPSEC_ENCAP_UDP_TRANSPORT ||
                         v == IPSEC_ENCAP_UDP_TRANSPORT_DRAFT)
                {
                    r.mode = IpsecMode::TRANSPORT;
                }
                else
                {
                    pr.Unsupported("encapsulation mode " + std::to_string(v));
                }
            }
            break;
        case IPSEC_ATTR_AUTHENTICATION_ALGORITHM:
            if (CheckBasicOnce(a, seen, "authentication algorithm", pr))
            {
                r.authAttr = static_cast<uint16_t>(*a.GetInteger());
                *hasAuth = true;
                if (r.authAttr == 0)
                {
                    pr.Malformed("authentication algorithm 0");
                }
            }
            break;
        case IPSEC_ATTR_KEY_LENGTH:
            if (CheckBasicOnce(a, seen, "key length", pr))
            {
                r.keyLength = static_cast<uint16_t>(*a.GetInteger());
                *hasKeyLength = true;
            }
            break;
        case IPSEC_ATTR_COMPRESS_DICTIONARY_SIZE:
            if (protocol != ISAKMP_PROTO_IPCOMP)
            {
                pr.Unsupported("compression dictionary size outside IPComp");
            }
            // for IPComp a hint (RFC 2407 4.5), ignored: LZS and DEFLATE have fixed windows
            break;
        case IPSEC_ATTR_KEY_ROUNDS:
            pr.Unsupported("key rounds attribute");
            break;
        case IPSEC_ATTR_COMPRESS_PRIVATE_ALGORITHM:
            pr.Unsupported("private compression algorithm");
            break;
        default:
            pr.Unsupported("unknown attribute class " + std::to_string(a.GetType()));
        }
    }
    life.Finish(pr);
    r.seconds = life.seconds;
    r.kilobytes = life.kilobytes;
}

/** An ESP transform's cipher (by transform ID and key length) and authenticator. */
void
ReadEspTransform(uint8_t id, bool hasAuth, bool hasKeyLength, P2Transform& r)
{
    Problem& pr = r.problem;
    auto aes = [&](CipherAlgorithm a128, CipherAlgorithm a192, CipherAlgorithm a256)
    {
        switch (hasKeyLength ? r.keyLength : 128) // IOS `esp-aes` without a length: 128
        {
        case 128:
            r.cipher = a128;
            break;
        case 192:
            r.cipher = a192;
            break;
        case 256:
            r.cipher = a256;
            break;
        default:
            pr.Unsupported("AES key length " + std::to_string(r.keyLength));
        }
    };
    bool fixedKey = true;
    switch (id)
    {
    case IPSEC_ESP_DES:
        r.cipher = CipherAlgorithm::DES_CBC;
        fixedKey = !hasKeyLength || r.keyLength == 64;
        break;
    case IPSEC_ESP_DES_IV64:
        r.cipher = CipherAlgorithm::DES_CBC;
        r.rfc1829 = true;
        fixedKey = !hasKeyLength || r.keyLength == 64;
        if (hasAuth)
        {
            pr.Unsupported("esp-rfc1829 with an authentication algorithm");
        }
        break;
    case IPSEC_ESP_3DES:
        r.cipher = CipherAlgorithm::TDES_CBC;
        fixedKey = !hasKeyLength || r.keyLength == 192;
        break;
    case IPSEC_ESP_NULL:
        r.cipher = CipherAlgorithm::NULL_CIPHER;
        fixedKey = !hasKeyLength;
        break;
    case IPSEC_ESP_AES:
        aes(CipherAlgorithm::AES_CBC_128, CipherAlgorithm::AES_CBC_192,
            CipherAlgorithm::AES_CBC_256);
        break;
    case IPSEC_ESP_AES_GCM_16:
        aes(CipherAlgorithm::AES_GCM_128, CipherAlgorithm::AES_GCM_192,
            CipherAlgorithm::AES_GCM_256);
        if (hasAuth)
        {
            pr.Unsupported("esp-gcm with an authentication algorithm (RFC 4106 8.4)");
        }
        break;
    default:
        break; // a cipher we do not implement: understood, it matches none of our sets
    }
    if (!fixedKey)
    {
        pr.Unsupported("key length " + std::to_string(r.keyLength) + " with " +
                       EspCipherName(id, 0));
    }
    if (hasAuth)
    {
        if (auto a = AuthFromAttribute(r.authAttr))
        {
            r.auth = *a;
        }
        else
        {
            r.cipher.reset(); // an authenticator we do not implement: matches nothing
        }
    }
}

/** An AH transform's HMAC: the transform ID and the attribute must agree (RFC 2407 4.4.3). */
void
ReadAhTransform(uint8_t id, bool hasAuth, bool hasKeyLength, P2Transform& r)
{
    Problem& pr = r.problem;
    if (hasKeyLength)
    {
        pr.Unsupported("key length with AH");
    }
    std::optional<AuthAlgorithm> byId = AhFromTransformId(id);
    if (hasAuth)
    {
        // RFC 2407 4.4.3: each AH transform names the one HMAC it is.
        std::optional<AuthAlgorithm> byAttr = AuthFromAttribute(r.authAttr);
        if (byId && byAttr != byId)
        {
            pr.Malformed(AhName(id, 0) + " with authentication algorithm " +
                         std::to_string(r.authAttr));
        }
    }
    if (byId)
    {
        r.auth = *byId;
    }
}

/** An IPComp transform's algorithm. */
void
ReadIpcompTransform(uint8_t id, bool hasAuth, bool hasKeyLength, P2Transform& r)
{
    Problem& pr = r.problem;
    if (hasAuth || hasKeyLength)
    {
        pr.Unsupported("authentication algorithm or key length with IPComp");
    }
    if (id == IPSEC_IPCOMP_LZS)
    {
        r.comp = CompressionAlgorithm::LZS;
    }
    else if (id == IPSEC_IPCOMP_DEFLATE)
    {
        r.comp = CompressionAlgorithm::DEFLATE;
    }
}

/** @return transform @p t of a quick-mode proposal payload of @p protocol, read */
P2Transform
ReadPhase2Transform(uint8_t protocol, const IsakmpTransform& t)
{
    P2Transform r;
    r.raw = &t;
    bool hasAuth = false;
    bool hasKeyLength = false;
    ReadPhase2Attributes(protocol, t, r, &hasAuth, &hasKeyLength);
    const uint8_t id = t.GetTransformId();
    if (protocol == ISAKMP_PROTO_IPSEC_ESP)
    {
        ReadEspTransform(id, hasAuth, hasKeyLength, r);
    }
    else if (protocol == ISAKMP_PROTO_IPSEC_AH)
    {
        ReadAhTransform(id, hasAuth, hasKeyLength, r);
    }
    else if (protocol == ISAKMP_PROTO_IPCOMP)
    {
        ReadIpcompTransform(id, hasAuth, hasKeyLength, r);
    }
    return r;
}

/** @return the SPI (the CPI for IPComp) of proposal payload @p p, or nullopt with @p pr set */
std::optional<uint32_t>
ReadSpi(const IsakmpProposal& p, Problem& pr)
{
    const Bytes& spi = p.GetSpi();
    if (p.GetProtocolId() == ISAKMP_PROTO_IPCOMP)
    {
        // RFC 2393 4.1 / RFC 3173 4.1: the CPI in 2 octets, or in the low 2 of 4
        if (spi.size() != 2 && spi.size() != 4)
        {
            pr.Malformed("IPComp CPI of " + std::to_string(spi.size()) + " bytes (2 or 4)");
            return std::nullopt;
        }
        return *p.GetSpi32() & 0xffff;
    }
    if (spi.size() != 4)
    {
        pr.Malformed(std::string(p.GetProtocolId() == ISAKMP_PROTO_IPSEC_ESP ? "ESP" : "AH") +
                     " SPI of " + std::to_string(spi.size()) + " bytes (4 required)");
        return std::nullopt;
    }
    uint32_t v = *p.GetSpi32();
    if (v == 0)
    {
        // RFC 4303 2.1: "The SPI value of zero (0) ... MUST NOT be sent on the wire."
        pr.Malformed("SPI 0");
        return std::nullopt;
    }
    return v;
}

/** @return the name of a protocol id, for reasons */
std::string
ProtocolName(uint8_t protocol)
{
    switch (protocol)
    {
    case ISAKMP_PROTO_ISAKMP:
        return "ISAKMP";
    case ISAKMP_PROTO_IPSEC_AH:
        return "AH";
    case ISAKMP_PROTO_IPSEC_ESP:
        return "ESP";
    case ISAKMP_PROTO_IPCOMP:
        return "IPComp";
    default:
        return "protocol " + std::to_string(protocol);
    }
}

/**
 * @return the quick-mode proposals of @p sa grouped by proposal number; empty, with the reason
 * in @p pr, if the SA itself cannot be read (DOI, situation, no proposal, numbering)
 */
std::vector<P2Proposal>
ReadPhase2(const IsakmpSaPayload& sa, Problem& pr)
{
    std::vector<P2Proposal> out;
    pr = CheckDoi(sa);
    if (!pr.Ok())
    {
        return out;
    }
    if (sa.GetProposals().empty())
    {
        pr.Malformed("SA payload without a proposal");
        return out;
    }
    for (const IsakmpProposal& p : sa.GetProposals())
    {
        if (!out.empty() && p.GetProposalNumber() < out.back().number)
        {
            // RFC 2408 4.2: the payloads of one proposal share its number and come together;
            // proposals follow in order of preference with rising numbers
            pr.Malformed("proposal numbers decrease (" + std::to_string(out.back().number) +
                         " then " + std::to_string(p.GetProposalNumber()) + ")");
            out.clear();
            return out;
        }
        if (out.empty() || p.GetProposalNumber() != out.back().number)
        {
            out.emplace_back();
            out.back().number = p.GetProposalNumber();
        }
        P2Proposal& prop = out.back();
        uint8_t protocol = p.GetProtocolId();
        if (protocol != ISAKMP_PROTO_IPSEC_AH && protocol != ISAKMP_PROTO_IPSEC_ESP &&
            protocol != ISAKMP_PROTO_IPCOMP)
        {
            if (protocol == ISAKMP_PROTO_ISAKMP)
            {
                prop.problem.Malformed("PROTO_ISAKMP in a quick-mode proposal");
            }
            else
            {
                prop.problem.Unsupported(ProtocolName(protocol), ISAKMP_NOTIFY_INVALID_PROTOCOL_ID);
            }
            continue;
        }
        if (prop.Find(protocol))
        {
            prop.problem.Malformed("two " + ProtocolName(protocol) + " payloads in proposal " +
                                   std::to_string(prop.number));
            continue;
        }
        P2Payload pl;
        pl.raw = &p;
        pl.protocol = protocol;
        if (auto spi = ReadSpi(p, prop.problem))
        {
            pl.spi = *spi;
        }
        if (p.GetTransforms().empty())
        {
            prop.problem.Malformed(ProtocolName(protocol) + " payload without a transform");
        }
        for (const IsakmpTransform& t : p.GetTransforms())
        {
            pl.transforms.push_back(ReadPhase2Transform(protocol, t));
        }
        prop.payloads.push_back(std::move(pl));
    }
    return out;
}

/** @return the first transform problem of @p p, or its proposal-layer problem */
Problem
ProposalProblem(const P2Proposal& p)
{
    if (!p.problem.Ok())
    {
        return p.problem;
    }
    // understood if every payload has at least one understood transform
    Problem worst;
    for (const auto& pl : p.payloads)
    {
        Problem payloadWorst;
        bool anyOk = false;
        for (const auto& t : pl.transforms)
        {
            anyOk = anyOk || t.problem.Ok();
            payloadWorst.Merge(t.problem);
        }
        if (!anyOk)
        {
            worst.Merge(payloadWorst);
        }
    }
    return worst;
}

/** @return the mode of a proposal for descriptions (the first one stated) */
std::optional<IpsecMode>
ProposalMode(const P2Proposal& p)
{
    for (const auto& pl : p.payloads)
    {
        for (const auto& t : pl.transforms)
        {
            if (t.mode)
            {
                return t.mode;
            }
        }
    }
    return std::nullopt;
}

/** @return the IOS words of a proposal: AH, ESP, IPComp as IpsecTransformSet::ToString */
std::string
DescribeP2(const P2Proposal& p)
{
    std::string s;
    for (uint8_t protocol : {ISAKMP_PROTO_IPSEC_AH, ISAKMP_PROTO_IPSEC_ESP, ISAKMP_PROTO_IPCOMP})
    {
        const P2Payload* pl = p.Find(protocol);
        if (!pl || pl->transforms.empty())
        {
            continue;
        }
        std::string words;
        if (pl->transforms.size() == 1)
        {
            words = DescribeP2Transform(protocol, pl->transforms[0]);
        }
        else
        {
            words = "{";
            for (size_t k = 0; k < pl->transforms.size(); ++k)
            {
                words += (k ? " | " : "") + DescribeP2Transform(protocol, pl->transforms[k]);
            }
            words += "}";
        }
        s += (s.empty() ? "" : " ") + words;
    }
    for (const auto& pl : p.payloads)
    {
        if (pl.protocol != ISAKMP_PROTO_IPSEC_AH && pl.protocol != ISAKMP_PROTO_IPSEC_ESP &&
            pl.protocol != ISAKMP_PROTO_IPCOMP)
        {
            s += (s.empty() ? "" : " ") + ProtocolName(pl.protocol);
        }
    }
    return s.empty() ? "(nothing)" : s;
}

/** @return a peer proposal described for a reason, with mode, PFS and problems */
std::string
DescribeP2ForReason(const P2Proposal& p)
{
    std::string s = DescribeP2(p);
    if (ProposalMode(p) == IpsecMode::TRANSPORT)
    {
        s += " (transport)";
    }
    for (const auto& pl : p.payloads)
    {
        if (!pl.transforms.empty() && pl.transforms[0].group != 0)
        {
            s += " (pfs " + GroupName(pl.transforms[0].group) + ")";
            break;
        }
    }
    return s + ProposalProblem(p).Tag();
}

/** @return our sets described for a reason */
std::string
DescribeOurs(const IkePhase2Offer& ours)
{
    if (ours.sets.empty())
    {
        return "we have no transform set";
    }
    std::string s = "we accept ";
    for (size_t k = 0; k < ours.sets.size(); ++k)
    {
        s += (k ? ", " : "") + ours.sets[k].ToString();
        if (ours.sets[k].mode == IpsecMode::TRANSPORT)
        {
            s += " (transport)";
        }
    }
    if (ours.pfsGroup != 0)
    {
        s += " with pfs " + GroupName(ours.pfsGroup);
    }
    return s;
}

/** A proposal matched to one of our sets. */
struct P2Match
{
    std::vector<size_t> chosen; //!< per payload of the proposal: the index of its transform
    uint16_t group = 0;         //!< PFS group of the chosen transforms
};

/** @return true if transform @p t of @p protocol is what set @p s asks for that protocol */
bool
SameComponent(uint8_t protocol, const P2Transform& t, const IpsecTransformSet& s)
{
    if (!t.problem.Ok() || (t.mode && *t.mode != s.mode))
    {
        return false; // an absent mode is host-dependent (RFC 2407 4.5): ours
    }
    switch (protocol)
    {
    case ISAKMP_PROTO_IPSEC_ESP:
        return s.HasEsp() && t.cipher == s.espCipher.value_or(CipherAlgorithm::NULL_CIPHER) &&
               t.rfc1829 == s.espRfc1829 && t.auth == s.espAuth.value_or(AuthAlgorithm::NONE);
    case ISAKMP_PROTO_IPSEC_AH:
        return s.ah && t.auth == *s.ah;
    case ISAKMP_PROTO_IPCOMP:
        return s.comp && t.comp == *s.comp;
    default:
        return false;
    }
}

/**
 * @return how proposal @p p equals set @p s: same protocols, algorithms, key lengths and mode,
 * and a group that is @p exactGroup (if given), else any (0 or a supported one) as long as the
 * chosen transforms agree on it
 */
std::optional<P2Match>
MatchProposal(const P2Proposal& p, const IpsecTransformSet& s, std::optional<int> exactGroup)
{
    if (!p.problem.Ok() || p.payloads.empty())
    {
        return std::nullopt;
    }
    if (bool(p.Find(ISAKMP_PROTO_IPCOMP)) != s.comp.has_value() ||
        bool(p.Find(ISAKMP_PROTO_IPSEC_ESP)) != s.HasEsp() ||
        bool(p.Find(ISAKMP_PROTO_IPSEC_AH)) != s.ah.has_value())
    {
        return std::nullopt;
    }
    // the groups to try, in the order the first payload offers them
    std::vector<uint16_t> groups;
    for (const auto& t : p.payloads[0].transforms)
    {
        if (SameComponent(p.payloads[0].protocol, t, s) &&
            std::find(groups.begin(), groups.end(), t.group) == groups.end())
        {
            groups.push_back(t.group);
        }
    }
    for (uint16_t g : groups)
    {
        if (exactGroup && g != *exactGroup)
        {
            continue;
        }
        P2Match m;
        m.group = g;
        for (const auto& pl : p.payloads)
        {
            for (size_t k = 0; k < pl.transforms.size(); ++k)
            {
                if (pl.transforms[k].group == g && SameComponent(pl.protocol, pl.transforms[k], s))
                {
                    m.chosen.push_back(k);
                    break;
                }
            }
        }
        if (m.chosen.size() == p.payloads.size())
        {
            return m;
        }
    }
    return std::nullopt;
}

/** Lifetimes of a matched proposal: the smallest over its chosen transforms. */
struct P2Lifetimes
{
    uint32_t offeredSeconds = 0;     //!< 0 if no transform states it
    uint64_t offeredKilobytes = 0;   //!< 0 if no transform states it
    uint32_t effectiveSeconds = 0;   //!< the RFC 2407 default where absent
    uint64_t effectiveKilobytes = 0; //!< 0 = no limit
};

/** @return the lifetimes of the transforms @p m chose in @p p */
P2Lifetimes
Lifetimes(const P2Proposal& p, const P2Match& m)
{
    P2Lifetimes l;
    bool anySeconds = false;
    uint64_t seconds = MAX_LIFE_DURATION;
    for (size_t k = 0; k < p.payloads.size(); ++k)
    {
        const P2Transform& t = p.payloads[k].transforms[m.chosen[k]];
        anySeconds = anySeconds || t.seconds;
        seconds = std::min<uint64_t>(seconds, t.seconds.value_or(RFC2407_DEFAULT_SECONDS));
        l.offeredKilobytes = MinLimit(l.offeredKilobytes, t.kilobytes.value_or(0));
    }
    l.effectiveSeconds = static_cast<uint32_t>(seconds);
    l.offeredSeconds = anySeconds ? l.effectiveSeconds : 0;
    l.effectiveKilobytes = l.offeredKilobytes;
    return l;
}

/** @return the SPIs of proposal @p p */
IkeSpis
SpisOf(const P2Proposal& p)
{
    IkeSpis s;
    for (const auto& pl : p.payloads)
    {
        switch (pl.protocol)
        {
        case ISAKMP_PROTO_IPSEC_ESP:
            s.esp = pl.spi;
            break;
        case ISAKMP_PROTO_IPSEC_AH:
            s.ah = pl.spi;
            break;
        case ISAKMP_PROTO_IPCOMP:
            s.cpi = static_cast<uint16_t>(pl.spi);
            break;
        default:
            break;
        }
    }
    return s;
}

/** @brief Append the attributes every transform of @p offer carries: lifetimes, then mode. */
void
AddPhase2Attributes(IsakmpTransform& t, const IkePhase2Offer& offer, IpsecMode mode)
{
    if (offer.lifetimeSeconds != 0)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS));
        t.AddAttribute(
            IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, offer.lifetimeSeconds));
    }
    if (offer.lifetimeKilobytes != 0)
    {
        t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_KILOBYTES));
        t.AddAttribute(IsakmpAttribute::Integer(
            IPSEC_ATTR_SA_LIFE_DURATION, std::min(offer.lifetimeKilobytes, MAX_LIFE_DURATION)));
    }
    const bool transport = mode == IpsecMode::TRANSPORT;
    uint16_t encap = transport ? IPSEC_ENCAP_TRANSPORT : IPSEC_ENCAP_TUNNEL;
    if (offer.udpEncapsulation)
    {
        encap = transport ? IPSEC_ENCAP_UDP_TRANSPORT : IPSEC_ENCAP_UDP_TUNNEL;
    }
    t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_ENCAPSULATION_MODE, encap));
}

/** @brief Append the group description attribute if @p group is set. */
void
AddGroup(IsakmpTransform& t, int group)
{
    if (group != 0)
    {
        t.AddAttribute(
            IsakmpAttribute::Basic(IPSEC_ATTR_GROUP_DESCRIPTION, static_cast<uint16_t>(group)));
    }
}

/** @brief Serialize @p a onto @p out (RFC 2408 3.3). */
void
AppendAttribute(Bytes& out, const IsakmpAttribute& a)
{
    uint16_t t = static_cast<uint16_t>(a.GetType() | (a.IsBasic() ? 0x8000 : 0));
    out.push_back(static_cast<uint8_t>(t >> 8));
    out.push_back(static_cast<uint8_t>(t));
    const Bytes& v = a.GetValue();
    if (!a.IsBasic())
    {
        out.push_back(static_cast<uint8_t>(v.size() >> 8));
        out.push_back(static_cast<uint8_t>(v.size()));
    }
    out.insert(out.end(), v.begin(), v.end());
}

} // namespace

// ------------------------------------------------------------------------------- phase 2

IsakmpSaPayload
IkeMakePhase2Offer(const IkePhase2Offer& offer, const std::vector<IkeSpis>& spis)
{
    NS_ABORT_MSG_IF(spis.size() != offer.sets.size(),
                    "IkeMakePhase2Offer: " << spis.size() << " SPI sets for " << offer.sets.size()
                                           << " transform sets");
    NS_ABORT_MSG_IF(offer.sets.size() > 255, "more than 255 transform sets cannot be offered");
    IsakmpSaPayload sa;
    sa.SetDoi(ISAKMP_DOI_IPSEC);
    sa.SetSituation(ISAKMP_SIT_IDENTITY_ONLY);
    for (size_t k = 0; k < offer.sets.size(); ++k)
    {
        const IpsecTransformSet& s = offer.sets[k];
        const uint8_t number = static_cast<uint8_t>(k + 1);
        // RFC 2401 bundle order, innermost first: IPComp, ESP, AH
        if (s.comp)
        {
            IsakmpProposal p(number, ISAKMP_PROTO_IPCOMP, Cpi16(spis[k].cpi));
            IsakmpTransform t(1, *s.comp == CompressionAlgorithm::LZS ? IPSEC_IPCOMP_LZS
                                                                      : IPSEC_IPCOMP_DEFLATE);
            AddPhase2Attributes(t, offer, s.mode);
            AddGroup(t, offer.pfsGroup);
            p.AddTransform(t);
            sa.AddProposal(p);
        }
        if (s.HasEsp())
        {
            IsakmpProposal p(number, ISAKMP_PROTO_IPSEC_ESP, Spi32(spis[k].esp));
            EspWire w = EspToWire(s.espCipher.value_or(CipherAlgorithm::NULL_CIPHER), s.espRfc1829);
            IsakmpTransform t(1, w.id);
            AddPhase2Attributes(t, offer, s.mode);
            uint16_t auth = AuthToAttribute(s.espAuth.value_or(AuthAlgorithm::NONE));
            if (auth != 0)
            {
                t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM, auth));
            }
            if (w.keyLength != 0)
            {
                t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_KEY_LENGTH, w.keyLength));
            }
            AddGroup(t, offer.pfsGroup);
            p.AddTransform(t);
            sa.AddProposal(p);
        }
        if (s.ah)
        {
            IsakmpProposal p(number, ISAKMP_PROTO_IPSEC_AH, Spi32(spis[k].ah));
            IsakmpTransform t(1, AhTransformId(*s.ah));
            AddPhase2Attributes(t, offer, s.mode);
            t.AddAttribute(IsakmpAttribute::Basic(IPSEC_ATTR_AUTHENTICATION_ALGORITHM,
                                                  AuthToAttribute(*s.ah)));
            AddGroup(t, offer.pfsGroup);
            p.AddTransform(t);
            sa.AddProposal(p);
        }
    }
    return sa;
}

IkePhase2Selection
IkeSelectPhase2(const IsakmpSaPayload& offer, const IkePhase2Offer& ours)
{
    IkePhase2Selection sel;
    Problem saProblem;
    std::vector<P2Proposal> proposals = ReadPhase2(offer, saProblem);
    if (!saProblem.Ok())
    {
        sel.notify = saProblem.notify;
        sel.reason = (saProblem.kind == Problem::MALFORMED ? "bad proposal syntax: "
                                                           : "quick-mode offer not supported: ") +
                     saProblem.why;
        NS_LOG_INFO(sel.reason);
        return sel;
    }
    std::optional<int> exactGroup;
    if (ours.pfsGroup != 0)
    {
        exactGroup = ours.pfsGroup;
    }
    Outcome outcome;
    for (const P2Proposal& p : proposals)
    {
        outcome.Add(ProposalProblem(p));
        for (size_t k = 0; k < ours.sets.size(); ++k)
        {
            std::optional<P2Match> m = MatchProposal(p, ours.sets[k], exactGroup);
            if (!m)
            {
                continue;
            }
            P2Lifetimes l = Lifetimes(p, *m);
            sel.ok = true;
            sel.setIndex = k;
            sel.set = ours.sets[k];
            sel.proposalNumber = p.number;
            sel.peerSpis = SpisOf(p);
            sel.offeredSeconds = l.offeredSeconds;
            sel.offeredKilobytes = l.offeredKilobytes;
            sel.lifetimeSeconds =
                static_cast<uint32_t>(MinLimit(l.effectiveSeconds, ours.lifetimeSeconds));
            sel.lifetimeKilobytes = MinLimit(l.effectiveKilobytes, ours.lifetimeKilobytes);
            sel.pfsGroup = m->group;
            NS_LOG_INFO("quick mode: peer proposal " << +p.number << " (" << DescribeP2(p)
                                                     << ") is our transform set " << k << " ("
                                                     << sel.set.ToString() << ")");
            return sel;
        }
    }
    std::string peer;
    for (size_t k = 0; k < proposals.size(); ++k)
    {
        peer += (k ? ", " : "") + DescribeP2ForReason(proposals[k]);
    }
    sel.notify = outcome.Notify();
    sel.reason = outcome.Prefix() + "peer offered " + peer + "; " + DescribeOurs(ours);
    NS_LOG_INFO(sel.reason);
    return sel;
}

IsakmpSaPayload
IkeMakePhase2Reply(const IsakmpSaPayload& offer, const IkePhase2Selection& sel,
                   const IkeSpis& ourSpis)
{
    IsakmpSaPayload reply;
    reply.SetDoi(offer.GetDoi());
    reply.SetSituation(offer.GetSituation());
    if (!sel.ok)
    {
        NS_LOG_WARN("IkeMakePhase2Reply without a selection: empty SA payload");
        return reply;
    }
    Problem saProblem;
    std::vector<P2Proposal> proposals = ReadPhase2(offer, saProblem);
    for (const P2Proposal& p : proposals)
    {
        if (p.number != sel.proposalNumber)
        {
            continue;
        }
        std::optional<P2Match> m = MatchProposal(p, sel.set, sel.pfsGroup);
        if (!m)
        {
            NS_LOG_WARN("IkeMakePhase2Reply: proposal " << +p.number
                                                        << " does not match the selection");
            continue;
        }
        for (size_t k = 0; k < p.payloads.size(); ++k)
        {
            const P2Payload& pl = p.payloads[k];
            Bytes spi;
            switch (pl.protocol)
            {
            case ISAKMP_PROTO_IPCOMP:
                spi = Cpi16(ourSpis.cpi);
                break;
            case ISAKMP_PROTO_IPSEC_AH:
                spi = Spi32(ourSpis.ah);
                break;
            default:
                spi = Spi32(ourSpis.esp);
            }
            IsakmpProposal out(p.number, pl.protocol, spi);
            out.AddTransform(*pl.transforms[m->chosen[k]].raw);
            reply.AddProposal(out);
        }
        return reply;
    }
    return reply;
}

std::optional<IkePhase2Result>
IkeAcceptPhase2Reply(const IsakmpSaPayload& reply, const IkePhase2Offer& offered,
                     std::string* reason)
{
    auto fail = [reason](const std::string& why) -> std::optional<IkePhase2Result>
    {
        NS_LOG_INFO("quick-mode reply refused: " << why);
        if (reason)
        {
            *reason = why;
        }
        return std::nullopt;
    };
    Problem saProblem;
    std::vector<P2Proposal> proposals = ReadPhase2(reply, saProblem);
    if (!saProblem.Ok())
    {
        return fail("the responder's SA: " + saProblem.why);
    }
    if (proposals.size() != 1)
    {
        return fail("the responder's SA holds " + std::to_string(proposals.size()) +
                    " proposal numbers, one required");
    }
    const P2Proposal& p = proposals[0];
    Problem pr = ProposalProblem(p);
    if (!pr.Ok())
    {
        return fail("the responder's proposal " + std::to_string(p.number) + ": " + pr.why);
    }
    for (const auto& pl : p.payloads)
    {
        if (pl.transforms.size() != 1)
        {
            return fail("the responder's " + ProtocolName(pl.protocol) + " payload holds " +
                        std::to_string(pl.transforms.size()) + " transforms, one required");
        }
        if (!pl.transforms[0].problem.Ok())
        {
            return fail("the responder's " + ProtocolName(pl.protocol) +
                        " transform: " + pl.transforms[0].problem.why);
        }
    }
    // the set the proposal number names, then any other equal one
    std::vector<size_t> order;
    size_t named = size_t(p.number) - 1;
    if (p.number != 0 && named < offered.sets.size())
    {
        order.push_back(named);
    }
    for (size_t k = 0; k < offered.sets.size(); ++k)
    {
        if (k != named)
        {
            order.push_back(k);
        }
    }
    for (size_t k : order)
    {
        std::optional<P2Match> m = MatchProposal(p, offered.sets[k], offered.pfsGroup);
        if (!m)
        {
            continue;
        }
        P2Lifetimes l = Lifetimes(p, *m);
        IkePhase2Result r;
        r.setIndex = k;
        r.set = offered.sets[k];
        r.peerSpis = SpisOf(p);
        r.lifetimeSeconds =
            static_cast<uint32_t>(MinLimit(l.effectiveSeconds, offered.lifetimeSeconds));
        r.lifetimeKilobytes = MinLimit(l.effectiveKilobytes, offered.lifetimeKilobytes);
        r.pfsGroup = m->group;
        return r;
    }
    std::string ours = DescribeOurs(offered);
    if (ours.rfind("we accept ", 0) == 0)
    {
        ours = "we offered " + ours.substr(10);
    }
    return fail("the responder chose " + DescribeP2ForReason(p) + ", not what we offered (" + ours +
                ")");
}

IsakmpNotificationPayload
IkeResponderLifetimeNotify(uint8_t protocol, uint32_t spi, uint32_t seconds, uint64_t kilobytes)
{
    Bytes data;
    if (seconds != 0)
    {
        AppendAttribute(data, IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_SECONDS));
        AppendAttribute(data, IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION, seconds));
    }
    if (kilobytes != 0)
    {
        AppendAttribute(data, IsakmpAttribute::Basic(IPSEC_ATTR_SA_LIFE_TYPE, IKE_LIFE_KILOBYTES));
        AppendAttribute(data, IsakmpAttribute::Integer(IPSEC_ATTR_SA_LIFE_DURATION,
                                                       std::min(kilobytes, MAX_LIFE_DURATION)));
    }
    Bytes spiBytes =
        protocol == ISAKMP_PROTO_IPCOMP ? Cpi16(static_cast<uint16_t>(spi)) : Spi32(spi);
    return IsakmpNotificationPayload(ISAKMP_NOTIFY_RESPONDER_LIFETIME, protocol, spiBytes, data);
}

void
IkeReadResponderLifetime(const IsakmpNotificationPayload& n, uint32_t* seconds, uint64_t* kilobytes)
{
    uint32_t s = 0;
    uint64_t kb = 0;
    if (n.GetNotifyType() == ISAKMP_NOTIFY_RESPONDER_LIFETIME)
    {
        const Bytes& data = n.GetData();
        size_t off = 0;
        uint16_t pending = 0;
        while (off < data.size())
        {
            IsakmpAttribute a;
            size_t used = 0;
            if (!a.Parse(data.data() + off, data.size() - off, &used).Ok())
            {
                break;
            }
            off += used;
            if (a.GetType() == IPSEC_ATTR_SA_LIFE_TYPE)
            {
                std::optional<uint64_t> v = a.GetInteger();
                pending = a.IsBasic() && v ? static_cast<uint16_t>(*v) : 0;
            }
            else if (a.GetType() == IPSEC_ATTR_SA_LIFE_DURATION)
            {
                std::optional<uint64_t> v = a.GetInteger();
                if (v && *v != 0 && *v <= MAX_LIFE_DURATION)
                {
                    if (pending == IKE_LIFE_SECONDS)
                    {
                        s = static_cast<uint32_t>(*v);
                    }
                    else if (pending == IKE_LIFE_KILOBYTES)
                    {
                        kb = *v;
                    }
                }
                pending = 0;
            }
        }
    }
    if (seconds)
    {
        *seconds = s;
    }
    if (kilobytes)
    {
        *kilobytes = kb;
    }
}

std::string
IkeDescribePhase2Proposal(const IsakmpSaPayload& offer, uint8_t proposalNumber)
{
    Problem saProblem;
    std::vector<P2Proposal> proposals = ReadPhase2(offer, saProblem);
    for (const P2Proposal& p : proposals)
    {
        if (p.number == proposalNumber)
        {
            return DescribeP2(p);
        }
    }
    return "";
}

} // namespace ns3
