// A transform set in IOS terms (`crypto ipsec transform-set NAME T1 [T2 [T3 [T4]]]`) and the
// rules of the spec's Table 25: at most one AH transform, one ESP encryption transform, one ESP
// authentication transform and one compression transform.
#ifndef IPSEC_TRANSFORM_SET_H
#define IPSEC_TRANSFORM_SET_H

#include "ns3/cipher.h"
#include "ns3/compression.h"
#include "ns3/ipsec-sa.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/** Thrown for a transform list that IOS would refuse; `what()` says why. */
class TransformSetError : public std::invalid_argument
{
public:
    /** @param token index of the offending word in the list given to Parse. */
    TransformSetError(const std::string& msg, size_t token)
        : std::invalid_argument(msg), m_token(token)
    {
    }
    size_t Token() const
    {
        return m_token;
    }

private:
    size_t m_token;
};

struct IpsecTransformSet
{
    std::string name;
    std::optional<ipsec::AuthAlgorithm> ah;          //!< ah-md5-hmac, ah-sha-hmac, ...
    std::optional<ipsec::CipherAlgorithm> espCipher; //!< esp-des, esp-3des, esp-null, esp-aes ...
    std::optional<ipsec::AuthAlgorithm> espAuth;     //!< esp-md5-hmac, esp-sha-hmac, ...
    bool espRfc1829 = false;                         //!< esp-rfc1829 (old DES-CBC format)
    std::optional<ipsec::CompressionAlgorithm> comp; //!< comp-lzs (comp-deflate as an extension)
    IpsecMode mode = IpsecMode::TUNNEL;

    /**
     * Parse IOS transform words, e.g. {"esp-aes", "256", "esp-sha-hmac"}. Keywords may be
     * abbreviated as IOS allows (`esp-sha`), an ambiguous abbreviation is an error.
     * @throws TransformSetError
     */
    static IpsecTransformSet Parse(const std::vector<std::string>& words);
    /** Parse a space-separated list. */
    static IpsecTransformSet Parse(const std::string& list);

    bool HasEsp() const
    {
        return espCipher.has_value() || espAuth.has_value();
    }
    /** The transforms as IOS prints them, e.g. "esp-3des esp-sha-hmac". */
    std::string ToString() const;
    /** SA protocols in the order they are applied outbound (IPComp, ESP, AH). */
    std::vector<IpsecProtocol> Protocols() const;
};

/** The IOS keywords for transforms, for listing in error messages. */
const std::vector<std::string>& IosTransformKeywords();

} // namespace ns3

#endif
