// DEFLATE compression for IPComp (RFC 2394) through zlib.
//
// RFC 2394 section 2 (2.1 Compression, 2.2 Decompression): the payload is an RFC 1951 DEFLATE
// stream, without the zlib (RFC 1950) header and Adler-32 trailer, hence zlib's negative
// windowBits ("raw" deflate). RFC 3173 section 2.1: every datagram is compressed and decompressed
// on its own, with no history carried over, so every call uses a fresh z_stream and ends the
// stream with Z_FINISH: each compressed payload is self-contained and ends with a final block.
// Decompression stops at the end of the final block; bytes after it are ignored.
#include "ns3/compression.h"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <new>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace ipsec
{

namespace
{

constexpr int kRawWindowBits = -15;    //!< raw deflate, 32 KB window
constexpr int kMemLevel = 8;           //!< zlib's default
constexpr size_t kMaxChunk = UINT_MAX; //!< z_stream counts are uInt

[[noreturn]] void
ThrowZlib(const char* what, int rc)
{
    if (rc == Z_MEM_ERROR)
    {
        throw std::bad_alloc();
    }
    throw std::runtime_error(std::string("zlib ") + what + " failed: " + std::to_string(rc));
}

} // namespace

// Allocating zlib's state costs far more than compressing a datagram (about 50 us against a few),
// so the streams live as long as the compressor and are reset for every datagram: RFC 2394 2.1
// asks for a fresh history per datagram, which deflateReset/inflateReset give.
struct DeflateCompressor::Streams
{
    z_stream def{};
    z_stream inf{};
    bool defReady = false;
    bool infReady = false;

    ~Streams()
    {
        if (defReady)
        {
            deflateEnd(&def);
        }
        if (infReady)
        {
            inflateEnd(&inf);
        }
    }

    z_stream& Deflater()
    {
        int rc = defReady ? deflateReset(&def)
                          : deflateInit2(&def, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kRawWindowBits,
                                         kMemLevel, Z_DEFAULT_STRATEGY);
        if (rc != Z_OK)
        {
            ThrowZlib(defReady ? "deflateReset" : "deflateInit2", rc);
        }
        defReady = true;
        return def;
    }

    z_stream& Inflater()
    {
        int rc = infReady ? inflateReset(&inf) : inflateInit2(&inf, kRawWindowBits);
        if (rc != Z_OK)
        {
            ThrowZlib(infReady ? "inflateReset" : "inflateInit2", rc);
        }
        infReady = true;
        return inf;
    }
};

DeflateCompressor::DeflateCompressor() : m_streams(std::make_unique<Streams>())
{
}

DeflateCompressor::~DeflateCompressor() = default;

std::vector<uint8_t>
DeflateCompressor::Compress(const uint8_t* in, size_t len)
{
    z_stream& s = m_streams->Deflater();
    int rc;

    std::vector<uint8_t> out;
    // deflateBound() is exact enough for one call on IP-sized input; larger inputs are fed in
    // uInt-sized pieces and the output grows as needed.
    out.resize(deflateBound(&s, static_cast<uLong>(std::min<size_t>(len, kMaxChunk))) + 16);
    size_t produced = 0;
    size_t consumed = 0;
    for (;;)
    {
        const size_t chunk = std::min(len - consumed, kMaxChunk);
        s.next_in = const_cast<Bytef*>(in + consumed);
        s.avail_in = static_cast<uInt>(chunk);
        const bool last = consumed + chunk == len;
        if (out.size() - produced < 64)
        {
            out.resize(out.size() * 2 + 64);
        }
        const size_t room = std::min(out.size() - produced, kMaxChunk);
        s.next_out = out.data() + produced;
        s.avail_out = static_cast<uInt>(room);
        rc = deflate(&s, last ? Z_FINISH : Z_NO_FLUSH);
        consumed += chunk - s.avail_in;
        produced += room - s.avail_out;
        if (rc == Z_STREAM_END)
        {
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
        {
            ThrowZlib("deflate", rc);
        }
    }
    out.resize(produced);
    return out;
}

bool
DeflateCompressor::Decompress(const uint8_t* in, size_t len, std::vector<uint8_t>& out,
                              size_t maxOut)
{
    out.clear();
    if (in == nullptr && len != 0)
    {
        return false;
    }
    z_stream& s = m_streams->Inflater();
    int rc;

    const auto fail = [&out]()
    {
        out.clear();
        return false;
    };
    uint8_t buf[16384];
    size_t consumed = 0;
    for (;;)
    {
        const size_t chunk = std::min(len - consumed, kMaxChunk);
        s.next_in = const_cast<Bytef*>(in == nullptr ? nullptr : in + consumed);
        s.avail_in = static_cast<uInt>(chunk);
        // One byte more than may be kept, so that output beyond maxOut is detected.
        const size_t room = std::min(sizeof(buf), maxOut - out.size() + 1);
        s.next_out = buf;
        s.avail_out = static_cast<uInt>(room);
        rc = inflate(&s, Z_NO_FLUSH);
        const size_t used = chunk - s.avail_in;
        consumed += used;
        const size_t got = room - s.avail_out;
        if (got > maxOut - out.size())
        {
            return fail();
        }
        out.insert(out.end(), buf, buf + got);
        if (rc == Z_STREAM_END)
        {
            // The final block ends the payload; trailing bytes (padding) are ignored.
            return true;
        }
        if (rc == Z_BUF_ERROR && (consumed == len || (used == 0 && got == 0)))
        {
            return fail(); // input exhausted before the final block ended: truncated
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
        {
            return fail(); // Z_DATA_ERROR (corrupt), Z_NEED_DICT, Z_MEM_ERROR
        }
    }
}

} // namespace ipsec
} // namespace ns3
