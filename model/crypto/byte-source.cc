// Randomness for IVs, SPIs, nonces and DH secrets: deterministic AES-256-CTR DRBG, fixed replay
// source and hex helpers.
#include "ns3/byte-source.h"
#include "ns3/openssl-error.h"

#include "ns3/cipher.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <stdexcept>

namespace ns3
{
namespace ipsec
{

namespace
{

void
PutBe64(uint8_t* out, uint64_t v)
{
    for (int i = 7; i >= 0; --i)
    {
        out[i] = static_cast<uint8_t>(v & 0xff);
        v >>= 8;
    }
}

int
HexValue(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// ByteSource

std::vector<uint8_t>
ByteSource::Bytes(size_t len)
{
    std::vector<uint8_t> out(len);
    if (len > 0)
    {
        Fill(out.data(), len);
    }
    return out;
}

uint32_t
ByteSource::Uint32()
{
    uint8_t b[4];
    Fill(b, sizeof(b));
    return (static_cast<uint32_t>(b[0]) << 24) | (static_cast<uint32_t>(b[1]) << 16) |
           (static_cast<uint32_t>(b[2]) << 8) | static_cast<uint32_t>(b[3]);
}

// ---------------------------------------------------------------------------------------------
// DeterministicByteSource

struct DeterministicByteSource::Impl
{
    EVP_CIPHER_CTX* ctx = nullptr;

    ~Impl()
    {
        EVP_CIPHER_CTX_free(ctx);
    }
};

DeterministicByteSource::DeterministicByteSource(uint64_t seed, uint64_t run,
                                                 const std::string& label)
    : m_impl(std::make_unique<Impl>())
{
    EnsureProvidersLoaded();

    // key = SHA-256(label || seed (BE64) || run (BE64)); the two trailing fixed-size words make
    // the encoding unambiguous.
    std::vector<uint8_t> material(label.begin(), label.end());
    uint8_t words[16];
    PutBe64(words, seed);
    PutBe64(words + 8, run);
    material.insert(material.end(), words, words + sizeof(words));

    EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (sha256 == nullptr)
    {
        ThrowOpenSsl("DeterministicByteSource: cannot fetch SHA256");
    }
    uint8_t key[32];
    unsigned int keyLen = 0;
    const int ok = EVP_Digest(material.data(), material.size(), key, &keyLen, sha256, nullptr);
    EVP_MD_free(sha256);
    if (ok != 1 || keyLen != sizeof(key))
    {
        ThrowOpenSsl("DeterministicByteSource: SHA-256 failed");
    }

    EVP_CIPHER* aes = EVP_CIPHER_fetch(nullptr, "AES-256-CTR", nullptr);
    if (aes == nullptr)
    {
        OPENSSL_cleanse(key, sizeof(key));
        ThrowOpenSsl("DeterministicByteSource: cannot fetch AES-256-CTR");
    }
    const uint8_t iv[16] = {}; // counter block starts at zero
    m_impl->ctx = EVP_CIPHER_CTX_new();
    const bool init =
        m_impl->ctx != nullptr && EVP_EncryptInit_ex2(m_impl->ctx, aes, key, iv, nullptr) == 1;
    EVP_CIPHER_free(aes); // the context holds its own reference
    OPENSSL_cleanse(key, sizeof(key));
    if (!init)
    {
        ThrowOpenSsl("DeterministicByteSource: AES-256-CTR init failed");
    }
}

DeterministicByteSource::~DeterministicByteSource() = default;

void
DeterministicByteSource::Fill(uint8_t* out, size_t len)
{
    // The keystream is AES-CTR applied to zero bytes; CTR keeps its position across calls, so
    // Fill(a) then Fill(b) returns the same bytes as one Fill(a + b).
    std::memset(out, 0, len);
    while (len > 0)
    {
        const int chunk = static_cast<int>(std::min<size_t>(len, INT_MAX / 2));
        int outLen = 0;
        if (EVP_EncryptUpdate(m_impl->ctx, out, &outLen, out, chunk) != 1 || outLen != chunk)
        {
            ThrowOpenSsl("DeterministicByteSource: AES-256-CTR keystream failed");
        }
        out += chunk;
        len -= static_cast<size_t>(chunk);
    }
}

// ---------------------------------------------------------------------------------------------
// FixedByteSource

FixedByteSource::FixedByteSource(std::vector<uint8_t> bytes) : m_bytes(std::move(bytes))
{
    if (m_bytes.empty())
    {
        throw std::invalid_argument("FixedByteSource: needs at least one byte to replay");
    }
}

void
FixedByteSource::Fill(uint8_t* out, size_t len)
{
    while (len > 0)
    {
        const size_t n = std::min(len, m_bytes.size() - m_pos);
        std::memcpy(out, m_bytes.data() + m_pos, n);
        out += n;
        len -= n;
        m_pos += n;
        if (m_pos == m_bytes.size())
        {
            m_pos = 0;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hex helpers

std::string
ToHex(const uint8_t* data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    std::string out(len * 2, '0');
    for (size_t i = 0; i < len; ++i)
    {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0x0f];
    }
    return out;
}

std::string
ToHex(const std::vector<uint8_t>& data)
{
    return ToHex(data.data(), data.size());
}

std::vector<uint8_t>
FromHex(const std::string& hex)
{
    size_t start = 0;
    if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
    {
        start = 2;
    }
    const size_t digits = hex.size() - start;
    if (digits % 2 != 0)
    {
        throw std::invalid_argument("FromHex: odd number of hex digits (" + std::to_string(digits) +
                                    ") in \"" + hex + "\"");
    }
    std::vector<uint8_t> out(digits / 2);
    for (size_t i = 0; i < out.size(); ++i)
    {
        const size_t pos = start + 2 * i;
        const int hi = HexValue(hex[pos]);
        const int lo = HexValue(hex[pos + 1]);
        if (hi < 0 || lo < 0)
        {
            const size_t bad = hi < 0 ? pos : pos + 1;
            throw std::invalid_argument("FromHex: invalid hex character '" +
                                        std::string(1, hex[bad]) + "' at position " +
                                        std::to_string(bad) + " in \"" + hex + "\"");
        }
        out[i] = static_cast<uint8_t>((hi << 4) | lo);
    }
    return out;
}

} // namespace ipsec
} // namespace ns3
