#include "ns3/ipsec-transform-set.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

namespace
{
enum class Kind
{
    AH,
    CIPHER,
    AUTH,
    COMP,
    RFC1829
};

struct Keyword
{
    const char* word;
    Kind kind;
    int value;
};

using ipsec::AuthAlgorithm;
using ipsec::CipherAlgorithm;

const std::vector<Keyword>&
Keywords()
{
    static const std::vector<Keyword> k = {
        {"ah-md5-hmac", Kind::AH, int(AuthAlgorithm::HMAC_MD5_96)},
        {"ah-sha-hmac", Kind::AH, int(AuthAlgorithm::HMAC_SHA1_96)},
        {"ah-sha256-hmac", Kind::AH, int(AuthAlgorithm::HMAC_SHA256_128)},
        {"ah-sha384-hmac", Kind::AH, int(AuthAlgorithm::HMAC_SHA384_192)},
        {"ah-sha512-hmac", Kind::AH, int(AuthAlgorithm::HMAC_SHA512_256)},
        {"esp-des", Kind::CIPHER, int(CipherAlgorithm::DES_CBC)},
        {"esp-3des", Kind::CIPHER, int(CipherAlgorithm::TDES_CBC)},
        {"esp-null", Kind::CIPHER, int(CipherAlgorithm::NULL_CIPHER)},
        {"esp-aes", Kind::CIPHER, int(CipherAlgorithm::AES_CBC_128)},
        {"esp-gcm", Kind::CIPHER, int(CipherAlgorithm::AES_GCM_128)},
        {"esp-md5-hmac", Kind::AUTH, int(AuthAlgorithm::HMAC_MD5_96)},
        {"esp-sha-hmac", Kind::AUTH, int(AuthAlgorithm::HMAC_SHA1_96)},
        {"esp-sha256-hmac", Kind::AUTH, int(AuthAlgorithm::HMAC_SHA256_128)},
        {"esp-sha384-hmac", Kind::AUTH, int(AuthAlgorithm::HMAC_SHA384_192)},
        {"esp-sha512-hmac", Kind::AUTH, int(AuthAlgorithm::HMAC_SHA512_256)},
        {"comp-lzs", Kind::COMP, int(ipsec::CompressionAlgorithm::LZS)},
        {"comp-deflate", Kind::COMP, int(ipsec::CompressionAlgorithm::DEFLATE)},
        {"esp-rfc1829", Kind::RFC1829, 0},
    };
    return k;
}

/** IOS abbreviation rule: a unique prefix, or an exact keyword. */
const Keyword*
Lookup(const std::string& word, size_t token)
{
    std::vector<const Keyword*> hits;
    for (const auto& k : Keywords())
    {
        if (word == k.word)
        {
            return &k;
        }
        if (std::string(k.word).rfind(word, 0) == 0)
        {
            hits.push_back(&k);
        }
    }
    if (hits.size() == 1)
    {
        return hits.front();
    }
    // "esp-sha", "ah-md5": the algorithm name without "-hmac" names the HMAC transform (the
    // spec's own example writes esp-sha) even though newer keywords share the prefix.
    for (const Keyword* k : hits)
    {
        if (word + "-hmac" == k->word)
        {
            return k;
        }
    }
    if (hits.empty())
    {
        throw TransformSetError("unknown transform '" + word + "'", token);
    }
    std::ostringstream os;
    os << "ambiguous transform '" << word << "' (";
    for (size_t i = 0; i < hits.size(); ++i)
    {
        os << (i ? ", " : "") << hits[i]->word;
    }
    os << ")";
    throw TransformSetError(os.str(), token);
}

const char*
AuthName(const char* prefix, AuthAlgorithm a)
{
    for (const auto& k : Keywords())
    {
        if ((k.kind == Kind::AH || k.kind == Kind::AUTH) && k.value == int(a) &&
            std::string(k.word).rfind(prefix, 0) == 0)
        {
            return k.word;
        }
    }
    return "?";
}
} // namespace

const std::vector<std::string>&
IosTransformKeywords()
{
    static std::vector<std::string> v = []
    {
        std::vector<std::string> r;
        for (const auto& k : Keywords())
        {
            r.emplace_back(k.word);
        }
        return r;
    }();
    return v;
}

IpsecTransformSet
IpsecTransformSet::Parse(const std::string& list)
{
    std::istringstream is(list);
    std::vector<std::string> words;
    for (std::string w; is >> w;)
    {
        words.push_back(w);
    }
    return Parse(words);
}

IpsecTransformSet
IpsecTransformSet::Parse(const std::vector<std::string>& words)
{
    IpsecTransformSet t;
    size_t transforms = 0;
    for (size_t i = 0; i < words.size(); ++i)
    {
        const Keyword* k = Lookup(words[i], i);
        ++transforms;
        switch (k->kind)
        {
        case Kind::AH:
            if (t.ah)
            {
                throw TransformSetError("more than one AH transform (Table 25: pick up to one)", i);
            }
            t.ah = AuthAlgorithm(k->value);
            break;
        case Kind::CIPHER:
        case Kind::RFC1829:
            if (t.espCipher)
            {
                throw TransformSetError(
                    "more than one ESP encryption transform (Table 25: pick up to one)", i);
            }
            if (k->kind == Kind::RFC1829)
            {
                t.espCipher = CipherAlgorithm::DES_CBC;
                t.espRfc1829 = true;
                break;
            }
            t.espCipher = CipherAlgorithm(k->value);
            // esp-aes and esp-gcm take an optional key size: 128 (default), 192 or 256.
            if ((t.espCipher == CipherAlgorithm::AES_CBC_128 ||
                 t.espCipher == CipherAlgorithm::AES_GCM_128) &&
                i + 1 < words.size() && !words[i + 1].empty() && std::isdigit(words[i + 1][0]))
            {
                const std::string& bits = words[++i];
                const bool gcm = t.espCipher == CipherAlgorithm::AES_GCM_128;
                if (bits == "128")
                {
                }
                else if (bits == "192")
                {
                    t.espCipher = gcm ? CipherAlgorithm::AES_GCM_192 : CipherAlgorithm::AES_CBC_192;
                }
                else if (bits == "256")
                {
                    t.espCipher = gcm ? CipherAlgorithm::AES_GCM_256 : CipherAlgorithm::AES_CBC_256;
                }
                else
                {
                    throw TransformSetError("AES key size must be 128, 192 or 256", i);
                }
            }
            break;
        case Kind::AUTH:
            if (t.espAuth)
            {
                throw TransformSetError(
                    "more than one ESP authentication transform (Table 25: pick up to one)", i);
            }
            t.espAuth = AuthAlgorithm(k->value);
            break;
        case Kind::COMP:
            if (t.comp)
            {
                throw TransformSetError(
                    "more than one compression transform (Table 25: pick up to one)", i);
            }
            t.comp = ipsec::CompressionAlgorithm(k->value);
            break;
        }
    }
    if (transforms == 0)
    {
        throw TransformSetError("a transform set needs at least one transform", 0);
    }
    if (transforms > 4)
    {
        throw TransformSetError("at most four transforms in a set", words.size() - 1);
    }
    if (t.espCipher && ipsec::GetCipherInfo(*t.espCipher).aead && t.espAuth)
    {
        throw TransformSetError("esp-gcm provides integrity itself: no ESP authentication "
                                "transform goes with it",
                                words.size() - 1);
    }
    if (t.espRfc1829 && t.espAuth)
    {
        throw TransformSetError("esp-rfc1829 carries no authentication", words.size() - 1);
    }
    if (t.comp && !t.ah && !t.HasEsp())
    {
        throw TransformSetError("a compression transform needs an AH or ESP transform with it",
                                words.size() - 1);
    }
    if (t.espAuth && !t.espCipher)
    {
        // IOS accepts an ESP authentication transform alone: ESP with NULL encryption.
        t.espCipher = CipherAlgorithm::NULL_CIPHER;
    }
    return t;
}

std::string
IpsecTransformSet::ToString() const
{
    std::ostringstream os;
    const char* sep = "";
    if (ah)
    {
        os << sep << AuthName("ah-", *ah);
        sep = " ";
    }
    if (espRfc1829)
    {
        os << sep << "esp-rfc1829";
        sep = " ";
    }
    else if (espCipher)
    {
        switch (*espCipher)
        {
        case CipherAlgorithm::NULL_CIPHER:
            os << sep << "esp-null";
            break;
        case CipherAlgorithm::DES_CBC:
            os << sep << "esp-des";
            break;
        case CipherAlgorithm::TDES_CBC:
            os << sep << "esp-3des";
            break;
        case CipherAlgorithm::AES_CBC_128:
            os << sep << "esp-aes";
            break;
        case CipherAlgorithm::AES_CBC_192:
            os << sep << "esp-aes 192";
            break;
        case CipherAlgorithm::AES_CBC_256:
            os << sep << "esp-aes 256";
            break;
        case CipherAlgorithm::AES_GCM_128:
            os << sep << "esp-gcm";
            break;
        case CipherAlgorithm::AES_GCM_192:
            os << sep << "esp-gcm 192";
            break;
        case CipherAlgorithm::AES_GCM_256:
            os << sep << "esp-gcm 256";
            break;
        }
        sep = " ";
    }
    if (espAuth)
    {
        os << sep << AuthName("esp-", *espAuth);
        sep = " ";
    }
    if (comp)
    {
        os << sep << (*comp == ipsec::CompressionAlgorithm::LZS ? "comp-lzs" : "comp-deflate");
    }
    return os.str();
}

std::vector<IpsecProtocol>
IpsecTransformSet::Protocols() const
{
    std::vector<IpsecProtocol> p;
    if (comp)
    {
        p.push_back(IpsecProtocol::IPCOMP);
    }
    if (HasEsp())
    {
        p.push_back(IpsecProtocol::ESP);
    }
    if (ah)
    {
        p.push_back(IpsecProtocol::AH);
    }
    return p;
}

} // namespace ns3
