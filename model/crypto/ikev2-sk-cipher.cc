// IKEv2 Encrypted payload protection (RFC 7296 3.14, RFC 5282).
#include "ns3/ikev2-sk-cipher.h"

#include <openssl/crypto.h>

#include <stdexcept>

namespace ns3
{
namespace ipsec
{

namespace
{

// Names in the tshark 4.0 ikev2_decryption_table (packet-isakmp.c's encryption and integrity
// algorithm lists), as strongSwan's save-keys plugin writes them.
const Ikev2EncrInfo ENCRS[] = {
    {Ikev2EncrAlgorithm::TDES_CBC, "ENCR_3DES", 3, 0, 24, 8, 8, 0, false, CipherAlgorithm::TDES_CBC,
     "3DES [RFC2451]"},
    {Ikev2EncrAlgorithm::AES_CBC_128, "ENCR_AES_CBC-128", 12, 128, 16, 16, 16, 0, false,
     CipherAlgorithm::AES_CBC_128, "AES-CBC-128 [RFC3602]"},
    {Ikev2EncrAlgorithm::AES_CBC_192, "ENCR_AES_CBC-192", 12, 192, 24, 16, 16, 0, false,
     CipherAlgorithm::AES_CBC_192, "AES-CBC-192 [RFC3602]"},
    {Ikev2EncrAlgorithm::AES_CBC_256, "ENCR_AES_CBC-256", 12, 256, 32, 16, 16, 0, false,
     CipherAlgorithm::AES_CBC_256, "AES-CBC-256 [RFC3602]"},
    {Ikev2EncrAlgorithm::AES_GCM16_128, "ENCR_AES_GCM_16-128", 20, 128, 20, 1, 8, 16, true,
     CipherAlgorithm::AES_GCM_128, "AES-GCM-128 with 16 octet ICV [RFC5282]"},
    {Ikev2EncrAlgorithm::AES_GCM16_192, "ENCR_AES_GCM_16-192", 20, 192, 28, 1, 8, 16, true,
     CipherAlgorithm::AES_GCM_192, "AES-GCM-192 with 16 octet ICV [RFC5282]"},
    {Ikev2EncrAlgorithm::AES_GCM16_256, "ENCR_AES_GCM_16-256", 20, 256, 36, 1, 8, 16, true,
     CipherAlgorithm::AES_GCM_256, "AES-GCM-256 with 16 octet ICV [RFC5282]"},
};

const Ikev2IntegInfo INTEGS[] = {
    {Ikev2IntegAlgorithm::NONE, "NONE", 0, 0, 0, AuthAlgorithm::NONE, "NONE [RFC4306]"},
    {Ikev2IntegAlgorithm::HMAC_SHA1_96, "AUTH_HMAC_SHA1_96", 2, 20, 12, AuthAlgorithm::HMAC_SHA1_96,
     "HMAC_SHA1_96 [RFC2404]"},
    {Ikev2IntegAlgorithm::HMAC_SHA2_256_128, "AUTH_HMAC_SHA2_256_128", 12, 32, 16,
     AuthAlgorithm::HMAC_SHA256_128, "HMAC_SHA2_256_128 [RFC4868]"},
    {Ikev2IntegAlgorithm::HMAC_SHA2_384_192, "AUTH_HMAC_SHA2_384_192", 13, 48, 24,
     AuthAlgorithm::HMAC_SHA384_192, "HMAC_SHA2_384_192 [RFC4868]"},
    {Ikev2IntegAlgorithm::HMAC_SHA2_512_256, "AUTH_HMAC_SHA2_512_256", 14, 64, 32,
     AuthAlgorithm::HMAC_SHA512_256, "HMAC_SHA2_512_256 [RFC4868]"},
};

} // namespace

const Ikev2EncrInfo&
GetIkev2EncrInfo(Ikev2EncrAlgorithm alg)
{
    for (const Ikev2EncrInfo& e : ENCRS)
    {
        if (e.alg == alg)
        {
            return e;
        }
    }
    throw std::invalid_argument("IKEv2: unknown encryption algorithm value " +
                                std::to_string(int(alg)));
}

const Ikev2IntegInfo&
GetIkev2IntegInfo(Ikev2IntegAlgorithm alg)
{
    for (const Ikev2IntegInfo& e : INTEGS)
    {
        if (e.alg == alg)
        {
            return e;
        }
    }
    throw std::invalid_argument("IKEv2: unknown integrity algorithm value " +
                                std::to_string(int(alg)));
}

std::optional<Ikev2EncrAlgorithm>
Ikev2EncrFromTransform(uint16_t id, uint16_t keyBits)
{
    for (const Ikev2EncrInfo& e : ENCRS)
    {
        if (e.transformId == id && e.keyBits == keyBits)
        {
            return e.alg;
        }
    }
    return std::nullopt;
}

std::optional<Ikev2IntegAlgorithm>
Ikev2IntegFromTransform(uint16_t id)
{
    for (const Ikev2IntegInfo& e : INTEGS)
    {
        if (e.transformId == id && e.alg != Ikev2IntegAlgorithm::NONE)
        {
            return e.alg;
        }
    }
    return std::nullopt;
}

struct Ikev2SkCipher::Impl
{
    const Ikev2EncrInfo& encr;
    const Ikev2IntegInfo& integ;
    Cipher cipher;
    std::unique_ptr<Authenticator> auth; //!< null for GCM

    Impl(Ikev2EncrAlgorithm e, const std::vector<uint8_t>& ek, Ikev2IntegAlgorithm i,
         const std::vector<uint8_t>& ik)
        : encr(GetIkev2EncrInfo(e)), integ(GetIkev2IntegInfo(i)), cipher(encr.cipher, ek)
    {
        if (encr.aead != (integ.alg == Ikev2IntegAlgorithm::NONE))
        {
            throw std::invalid_argument(std::string("IKEv2 SK: ") + encr.name + " with " +
                                        integ.name + " (AEAD takes no integrity algorithm, " +
                                        "other ciphers need one)");
        }
        if (!encr.aead)
        {
            auth = std::make_unique<Authenticator>(integ.auth, ik);
        }
    }

    /** The ICV of CBC mode: HMAC over prefix | IV | ciphertext. */
    void Icv(const uint8_t* prefix, size_t prefixLen, const uint8_t* body, size_t len, uint8_t* out)
    {
        auth->Begin();
        auth->Update(prefix, prefixLen);
        auth->Update(body, len);
        auth->Final(out);
    }
};

Ikev2SkCipher::Ikev2SkCipher(Ikev2EncrAlgorithm encr, const std::vector<uint8_t>& encrKey,
                             Ikev2IntegAlgorithm integ, const std::vector<uint8_t>& integKey)
    : m_impl(std::make_unique<Impl>(encr, encrKey, integ, integKey))
{
}

Ikev2SkCipher::~Ikev2SkCipher() = default;

const Ikev2EncrInfo&
Ikev2SkCipher::Encr() const
{
    return m_impl->encr;
}

const Ikev2IntegInfo&
Ikev2SkCipher::Integ() const
{
    return m_impl->integ;
}

size_t
Ikev2SkCipher::IcvLength() const
{
    return m_impl->encr.aead ? m_impl->encr.icvLen : m_impl->integ.icvLen;
}

size_t
Ikev2SkCipher::SealedSize(size_t plainLen) const
{
    const size_t block = m_impl->encr.blockSize;
    const size_t padded = (plainLen + 1 + block - 1) / block * block; // payloads, Pad Length
    return m_impl->encr.ivLen + padded + IcvLength();
}

size_t
Ikev2SkCipher::MinimumSize() const
{
    return SealedSize(0);
}

std::vector<uint8_t>
Ikev2SkCipher::Seal(const uint8_t* prefix, size_t prefixLen, const std::vector<uint8_t>& plain,
                    ByteSource& rng)
{
    const Ikev2EncrInfo& e = m_impl->encr;
    const size_t total = SealedSize(plain.size());
    const size_t ctLen = total - e.ivLen - IcvLength();
    std::vector<uint8_t> body(total, 0);
    rng.Fill(body.data(), e.ivLen);
    uint8_t* ct = body.data() + e.ivLen;
    std::copy(plain.begin(), plain.end(), ct);
    // Padding is zeros; the Pad Length counts it (RFC 7296 3.14).
    ct[ctLen - 1] = static_cast<uint8_t>(ctLen - 1 - plain.size());
    if (e.aead)
    {
        m_impl->cipher.Seal(body.data(), prefix, prefixLen, ct, ct, ctLen, ct + ctLen);
    }
    else
    {
        m_impl->cipher.Encrypt(body.data(), ct, ct, ctLen);
        m_impl->Icv(prefix, prefixLen, body.data(), e.ivLen + ctLen, ct + ctLen);
    }
    return body;
}

bool
Ikev2SkCipher::Open(const uint8_t* prefix, size_t prefixLen, const uint8_t* body, size_t bodyLen,
                    std::vector<uint8_t>& plain, std::string& error, bool& integrityFailed)
{
    const Ikev2EncrInfo& e = m_impl->encr;
    integrityFailed = false;
    const size_t icv = IcvLength();
    if (bodyLen < MinimumSize() || (bodyLen - e.ivLen - icv) % e.blockSize != 0)
    {
        error = std::string("SK body of ") + std::to_string(bodyLen) + " bytes cannot be " +
                e.name + " output (IV " + std::to_string(e.ivLen) + ", ciphertext a multiple of " +
                std::to_string(e.blockSize) + ", ICV " + std::to_string(icv) + ")";
        return false;
    }
    const size_t ctLen = bodyLen - e.ivLen - icv;
    const uint8_t* ct = body + e.ivLen;
    plain.assign(ct, ct + ctLen);
    bool ok;
    if (e.aead)
    {
        ok = m_impl->cipher.Open(body, prefix, prefixLen, plain.data(), plain.data(), ctLen,
                                 ct + ctLen);
    }
    else
    {
        std::vector<uint8_t> mac(icv);
        m_impl->Icv(prefix, prefixLen, body, e.ivLen + ctLen, mac.data());
        ok = CRYPTO_memcmp(mac.data(), ct + ctLen, icv) == 0;
        if (ok)
        {
            m_impl->cipher.Decrypt(body, plain.data(), plain.data(), ctLen);
        }
    }
    if (!ok)
    {
        plain.clear();
        integrityFailed = true;
        error = std::string("the SK payload's ") + (e.aead ? "GCM tag" : m_impl->integ.name) +
                " ICV does not verify";
        return false;
    }
    const size_t pad = plain.back();
    if (pad + 1 > ctLen)
    {
        plain.clear();
        error = "Pad Length " + std::to_string(pad) + " in a " + std::to_string(ctLen) +
                "-byte plaintext";
        return false;
    }
    plain.resize(ctLen - 1 - pad);
    return true;
}

} // namespace ipsec
} // namespace ns3
