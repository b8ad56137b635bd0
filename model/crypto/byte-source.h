// Randomness for IVs, SPIs, nonces and DH secrets.
//
// Every random byte the simulator uses comes from a ByteSource. The deterministic source is a
// DRBG (AES-256-CTR keystream, OpenSSL EVP) keyed from a seed, so the same ns-3 run seed gives the
// same bytes on every machine; the fixed source replays given bytes for known-answer tests.
#ifndef IPSEC_BYTE_SOURCE_H
#define IPSEC_BYTE_SOURCE_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** @brief Abstract source of random bytes (injectable). */
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    /** Fill @p out with @p len bytes. */
    virtual void Fill(uint8_t* out, size_t len) = 0;
    /** Convenience: @p len fresh bytes. */
    std::vector<uint8_t> Bytes(size_t len);
    /** Convenience: a 32-bit value, big-endian from the stream. */
    uint32_t Uint32();
};

/**
 * @brief Deterministic DRBG: AES-256-CTR keystream (OpenSSL EVP).
 *
 * key = SHA-256(label || seed || run), seed and run as big-endian 64-bit words; the counter
 * block starts at zero. The stream is position-based: Fill(a) then Fill(b) yields the same bytes
 * as one Fill(a + b). Two sources built from the same (seed, run, label) produce identical
 * streams; different labels give independent streams (one per node and purpose, e.g.
 * "node3/esp-iv"). Not for real-world key generation: anyone knowing the seed can replay it.
 */
class DeterministicByteSource : public ByteSource
{
public:
    DeterministicByteSource(uint64_t seed, uint64_t run, const std::string& label);
    ~DeterministicByteSource() override;
    DeterministicByteSource(const DeterministicByteSource&) = delete;
    DeterministicByteSource& operator=(const DeterministicByteSource&) = delete;
    void Fill(uint8_t* out, size_t len) override;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/**
 * @brief Replays fixed bytes (cycling when exhausted) for known-answer tests.
 * @throws std::invalid_argument if constructed with no bytes.
 */
class FixedByteSource : public ByteSource
{
public:
    explicit FixedByteSource(std::vector<uint8_t> bytes);
    void Fill(uint8_t* out, size_t len) override;

private:
    std::vector<uint8_t> m_bytes;
    size_t m_pos = 0;
};

/** Hex helpers used by tests, key files and configuration. ToHex: lowercase, no prefix. */
std::string ToHex(const uint8_t* data, size_t len);
std::string ToHex(const std::vector<uint8_t>& data);
/**
 * Parse hex digits (either case, optional "0x"/"0X" prefix, no separators); "" gives {}.
 * @throws std::invalid_argument on an odd number of digits or a non-hex character.
 */
std::vector<uint8_t> FromHex(const std::string& hex);

} // namespace ipsec
} // namespace ns3

#endif
