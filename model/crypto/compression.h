// IP payload compression algorithms for IPComp (RFC 3173): LZS (RFC 2395, ANSI X3.241-1994
// format) and DEFLATE (RFC 2394, zlib raw deflate). The IPComp transform decides whether to use
// the result (RFC 3173 section 2.2: only when it is smaller than the input).
#ifndef IPSEC_COMPRESSION_H
#define IPSEC_COMPRESSION_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** IPComp transform identifiers (RFC 2407 4.4.5 / IANA): CPI values of the well-known kind. */
enum class CompressionAlgorithm : uint16_t
{
    OUI = 1,
    DEFLATE = 2, //!< RFC 2394
    LZS = 3,     //!< RFC 2395
};

/** Stateless (per datagram, RFC 3173 2.1: history reset for each payload) compressor. */
class Compressor
{
public:
    virtual ~Compressor() = default;
    virtual CompressionAlgorithm Algorithm() const = 0;
    /** Compress @p len bytes; always succeeds (the output may be larger than the input). */
    virtual std::vector<uint8_t> Compress(const uint8_t* in, size_t len) = 0;
    /**
     * Decompress into @p out. @return false (never a crash) on malformed input or if the output
     * would exceed @p maxOut bytes (an IPv4 datagram: 65535).
     */
    virtual bool Decompress(const uint8_t* in, size_t len, std::vector<uint8_t>& out,
                            size_t maxOut = 65535) = 0;
};

/** @throws std::invalid_argument for OUI or an unknown value. */
std::unique_ptr<Compressor> MakeCompressor(CompressionAlgorithm alg);

/** LZS (ANSI X3.241-1994, 2 KB sliding window, end marker, as RFC 2395 requires). */
class LzsCompressor : public Compressor
{
public:
    CompressionAlgorithm Algorithm() const override
    {
        return CompressionAlgorithm::LZS;
    }
    std::vector<uint8_t> Compress(const uint8_t* in, size_t len) override;
    bool Decompress(const uint8_t* in, size_t len, std::vector<uint8_t>& out,
                    size_t maxOut = 65535) override;
};

/** DEFLATE (RFC 1951 raw stream, RFC 2394: no zlib header, fresh history per datagram). */
class DeflateCompressor : public Compressor
{
public:
    DeflateCompressor();
    ~DeflateCompressor() override;
    DeflateCompressor(const DeflateCompressor&) = delete;
    DeflateCompressor& operator=(const DeflateCompressor&) = delete;
    CompressionAlgorithm Algorithm() const override
    {
        return CompressionAlgorithm::DEFLATE;
    }
    std::vector<uint8_t> Compress(const uint8_t* in, size_t len) override;
    bool Decompress(const uint8_t* in, size_t len, std::vector<uint8_t>& out,
                    size_t maxOut = 65535) override;

private:
    /** zlib streams kept across datagrams and reset for each (no history carries over). */
    struct Streams;
    std::unique_ptr<Streams> m_streams;
};

} // namespace ipsec
} // namespace ns3

#endif
