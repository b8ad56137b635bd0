#include "ns3/isakmp-crypto.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IsakmpCrypto");

namespace
{

using Bytes = std::vector<uint8_t>;

IsakmpCryptoResult
Failure(std::string why)
{
    IsakmpCryptoResult r;
    r.error = std::move(why);
    return r;
}

uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

void
PutBe32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

/** Common checks on a whole message: header present, Length equal to the size. */
std::string
CheckFraming(const Bytes& message)
{
    if (message.size() < IsakmpHeader::SIZE)
    {
        return "message of " + std::to_string(message.size()) +
               " bytes is shorter than the ISAKMP header";
    }
    uint32_t length = Be32(message.data() + 24);
    if (length != message.size())
    {
        return "Length field " + std::to_string(length) + " but the message has " +
               std::to_string(message.size()) + " bytes";
    }
    return "";
}

} // namespace

std::optional<ipsec::CipherAlgorithm>
IkeCipherFromAttributes(uint16_t encryptionAlgorithm, uint16_t keyLengthBits)
{
    switch (encryptionAlgorithm)
    {
    case IKE_ENCR_DES_CBC:
        return ipsec::CipherAlgorithm::DES_CBC;
    case IKE_ENCR_3DES_CBC:
        return ipsec::CipherAlgorithm::TDES_CBC;
    case IKE_ENCR_AES_CBC:
        // RFC 3602 5: AES has variable key lengths, so the Key Length attribute says which.
        switch (keyLengthBits)
        {
        case 128:
            return ipsec::CipherAlgorithm::AES_CBC_128;
        case 192:
            return ipsec::CipherAlgorithm::AES_CBC_192;
        case 256:
            return ipsec::CipherAlgorithm::AES_CBC_256;
        default:
            return std::nullopt;
        }
    default:
        return std::nullopt;
    }
}

std::optional<ipsec::IkeHash>
IkeHashFromAttribute(uint16_t hashAlgorithm)
{
    switch (hashAlgorithm)
    {
    case IKE_HASH_MD5:
        return ipsec::IkeHash::MD5;
    case IKE_HASH_SHA:
        return ipsec::IkeHash::SHA1;
    case IKE_HASH_SHA2_256:
        return ipsec::IkeHash::SHA256;
    case IKE_HASH_SHA2_384:
        return ipsec::IkeHash::SHA384;
    case IKE_HASH_SHA2_512:
        return ipsec::IkeHash::SHA512;
    default:
        return std::nullopt;
    }
}

IsakmpCipherState::IsakmpCipherState(ipsec::CipherAlgorithm alg, const std::vector<uint8_t>& key,
                                     ipsec::IkeHash hash)
    : m_hash(hash), m_blockSize(0)
{
    const ipsec::CipherInfo& info = ipsec::GetCipherInfo(alg);
    if (info.aead || alg == ipsec::CipherAlgorithm::NULL_CIPHER)
    {
        throw std::invalid_argument(
            std::string("IKEv1 phase-1 encryption needs a CBC cipher, not ") + info.name);
    }
    m_cipher = std::make_unique<ipsec::Cipher>(alg, key);
    m_blockSize = info.blockSize;
}

IsakmpCipherState::~IsakmpCipherState() = default;

size_t
IsakmpCipherState::GetBlockSize() const
{
    return m_blockSize;
}

std::vector<uint8_t>
IsakmpCipherState::Phase1Iv(ipsec::IkeHash hash, const std::vector<uint8_t>& gxi,
                            const std::vector<uint8_t>& gxr, size_t blockSize)
{
    // RFC 2409 Appendix B: IV = hash(g^xi | g^xr), "This is used for the first message only."
    Bytes in = gxi;
    in.insert(in.end(), gxr.begin(), gxr.end());
    Bytes iv = ipsec::IkeHashOf(hash, in);
    NS_ABORT_MSG_IF(iv.size() < blockSize, "hash shorter than the cipher block");
    iv.resize(blockSize);
    return iv;
}

std::vector<uint8_t>
IsakmpCipherState::Phase2Iv(ipsec::IkeHash hash, const std::vector<uint8_t>& lastPhase1Block,
                            uint32_t messageId, size_t blockSize)
{
    // RFC 2409 Appendix B: "IV = hash(last phase 1 CBC output block | M-ID)"; the M-ID as it is
    // on the wire (network byte order), as racoon's oakley_newiv2 and Wireshark compute it.
    Bytes in = lastPhase1Block;
    in.resize(in.size() + 4);
    PutBe32(in.data() + in.size() - 4, messageId);
    Bytes iv = ipsec::IkeHashOf(hash, in);
    NS_ABORT_MSG_IF(iv.size() < blockSize, "hash shorter than the cipher block");
    iv.resize(blockSize);
    return iv;
}

size_t
IsakmpCipherState::PaddingLength(size_t bodyLen, size_t blockSize)
{
    // strongSwan encrypted_payload.c encrypt_v1: "padding.len = bs - (plain.len % bs)".
    return blockSize - (bodyLen % blockSize);
}

void
IsakmpCipherState::InitPhase1(const std::vector<uint8_t>& gxi, const std::vector<uint8_t>& gxr)
{
    m_phase1Iv = Phase1Iv(m_hash, gxi, gxr, m_blockSize);
    m_exchangeIvs.clear();
}

bool
IsakmpCipherState::HasPhase1Iv() const
{
    return !m_phase1Iv.empty();
}

std::optional<std::vector<uint8_t>>
IsakmpCipherState::CurrentIv(uint32_t messageId) const
{
    if (m_phase1Iv.empty())
    {
        return std::nullopt;
    }
    if (messageId == 0)
    {
        return m_phase1Iv;
    }
    auto it = m_exchangeIvs.find(messageId);
    if (it != m_exchangeIvs.end())
    {
        return it->second;
    }
    // m_phase1Iv is the last CBC output block of phase 1 once phase 1 has encrypted a message.
    return Phase2Iv(m_hash, m_phase1Iv, messageId, m_blockSize);
}

std::optional<std::vector<uint8_t>>
IsakmpCipherState::GetIv(uint32_t messageId) const
{
    return CurrentIv(messageId);
}

void
IsakmpCipherState::SetIv(uint32_t messageId, const std::vector<uint8_t>& iv)
{
    NS_ABORT_MSG_IF(iv.size() != m_blockSize,
                    "IV of " << iv.size() << " bytes for a " << m_blockSize << "-byte block");
    if (messageId == 0)
    {
        m_phase1Iv = iv;
    }
    else
    {
        m_exchangeIvs[messageId] = iv;
    }
}

void
IsakmpCipherState::ForgetExchange(uint32_t messageId)
{
    m_exchangeIvs.erase(messageId);
}

size_t
IsakmpCipherState::GetNExchanges() const
{
    return m_exchangeIvs.size();
}

void
IsakmpCipherState::Advance(uint32_t messageId, const uint8_t* lastBlock)
{
    // RFC 2409 Appendix B: "Subsequent messages MUST use the last CBC encryption block from the
    // previous message as their initialization vector."
    Bytes next(lastBlock, lastBlock + m_blockSize);
    if (messageId == 0)
    {
        m_phase1Iv = std::move(next);
    }
    else
    {
        m_exchangeIvs[messageId] = std::move(next);
    }
}

IsakmpCryptoResult
IsakmpCipherState::Encrypt(const std::vector<uint8_t>& message)
{
    std::string bad = CheckFraming(message);
    if (!bad.empty())
    {
        return Failure(bad);
    }
    uint32_t messageId = Be32(message.data() + 20);
    auto iv = CurrentIv(messageId);
    if (!iv)
    {
        return Failure("no phase-1 IV yet (InitPhase1 after the key exchange)");
    }
    size_t body = message.size() - IsakmpHeader::SIZE;
    size_t pad = PaddingLength(body, m_blockSize);
    IsakmpCryptoResult r;
    r.bytes = message;
    // RFC 2409 Appendix B: "padded up to the nearest block size using bytes containing 0x00".
    r.bytes.resize(message.size() + pad, 0);
    uint8_t* b = r.bytes.data() + IsakmpHeader::SIZE;
    m_cipher->Encrypt(iv->data(), b, b, body + pad);
    // RFC 2408 3.1: E(ncryption) bit; RFC 2409 Appendix B: "The message length in the header
    // MUST include the length of the pad since this reflects the size of the ciphertext."
    r.bytes[19] |= IsakmpHeader::FLAG_ENCRYPTION;
    PutBe32(r.bytes.data() + 24, static_cast<uint32_t>(r.bytes.size()));
    Advance(messageId, r.bytes.data() + r.bytes.size() - m_blockSize);
    r.ok = true;
    return r;
}

IsakmpCryptoResult
IsakmpCipherState::Decrypt(const std::vector<uint8_t>& message)
{
    std::string bad = CheckFraming(message);
    if (!bad.empty())
    {
        return Failure(bad);
    }
    if (!(message[19] & IsakmpHeader::FLAG_ENCRYPTION))
    {
        return Failure("the Encryption flag is not set");
    }
    size_t body = message.size() - IsakmpHeader::SIZE;
    if (body == 0 || body % m_blockSize != 0)
    {
        return Failure("encrypted body of " + std::to_string(body) + " bytes is not whole " +
                       std::to_string(m_blockSize) + "-byte blocks");
    }
    uint32_t messageId = Be32(message.data() + 20);
    auto iv = CurrentIv(messageId);
    if (!iv)
    {
        return Failure("no phase-1 IV yet (InitPhase1 after the key exchange)");
    }
    IsakmpCryptoResult r;
    r.bytes = message;
    uint8_t* b = r.bytes.data() + IsakmpHeader::SIZE;
    m_cipher->Decrypt(iv->data(), b, b, body);
    // The next IV is the last ciphertext block of this message, as received.
    Advance(messageId, message.data() + message.size() - m_blockSize);
    r.ok = true;
    return r;
}

IsakmpCryptoResult
IsakmpCipherState::EncryptMessage(const IsakmpMessage& message)
{
    return Encrypt(message.ToBytes());
}

std::optional<IsakmpMessage>
IsakmpCipherState::DecryptMessage(const std::vector<uint8_t>& message, IsakmpParseStatus* status)
{
    IsakmpCryptoResult plain = Decrypt(message);
    if (!plain)
    {
        if (status)
        {
            *status = IsakmpParseStatus::Fail(IsakmpParseStatus::ENCRYPTED,
                                              ISAKMP_NOTIFY_PAYLOAD_MALFORMED, 0, plain.error);
        }
        return std::nullopt;
    }
    return IsakmpMessage::FromDecryptedBytes(plain.bytes, status);
}

} // namespace ns3
