// IKEv2 RSA signature AUTH (RFC 7296 2.15) and CERTREQ hashes (3.7) over OpenSSL.
#include "ns3/ikev2-rsa-auth.h"

#include <openssl/evp.h>

namespace ns3
{
namespace ipsec
{

namespace
{

std::vector<uint8_t>
Sha1(const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha1(), nullptr) != 1)
    {
        return {};
    }
    out.resize(len);
    return out;
}

/** EMSA-PKCS1-v1_5's DigestInfo for SHA-1 (RFC 8017 9.2, note 1) around @p data's hash. */
std::vector<uint8_t>
Sha1DigestInfo(const std::vector<uint8_t>& data)
{
    std::vector<uint8_t> info{0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                              0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
    const std::vector<uint8_t> h = Sha1(data);
    info.insert(info.end(), h.begin(), h.end());
    return info;
}

} // namespace

RsaResult
Ikev2RsaSign(const std::vector<uint8_t>& pkcs8, const std::vector<uint8_t>& signedOctets)
{
    // RsaSignRaw pads what it is given (type 1): given the DigestInfo, that is RSASSA-PKCS1-v1_5.
    return RsaSignRaw(pkcs8, Sha1DigestInfo(signedOctets));
}

bool
Ikev2RsaVerify(const std::vector<uint8_t>& spki, const std::vector<uint8_t>& signedOctets,
               const std::vector<uint8_t>& auth, std::string* error)
{
    return RsaVerifyRaw(spki, Sha1DigestInfo(signedOctets), auth, error);
}

std::vector<uint8_t>
Ikev2CaKeyHash(const std::vector<uint8_t>& spki)
{
    return Sha1(spki);
}

} // namespace ipsec
} // namespace ns3
