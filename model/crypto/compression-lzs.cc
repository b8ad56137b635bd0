// LZS (Lempel-Ziv-Stac) compression for IPComp, RFC 2395, in the ANSI X3.241-1994 format; and
// MakeCompressor.
//
// Format (ANSI X3.241-1994, as used by RFC 1974, RFC 1967, RFC 2395 and RFC 3943). The standard
// itself is not freely available; the details below were checked against two independent public
// implementations that interoperate with Stac/Hi/fn and Cisco peers: OpenConnect's lzs.c
// (David Woodhouse, used for Cisco AnyConnect DTLS "LZS" compression) and Craig McQueen's liblzs
// (github.com/cmcqueen/lzs-compression, c/src/liblzs/lzs-decompression.c and
// lzs-compression-simple.c). Both agree on every point:
//
//   * The bit stream is packed most-significant bit first into successive bytes.
//   * Literal byte:          0 bbbbbbbb                    (9 bits)
//   * String (copy) token:   1 <offset> <length>
//       offset 1..127:       1 ooooooo                     (7-bit offset)
//       offset 1..2047:      0 ooooooooooo                 (11-bit offset; the window is 2 KB)
//   * End marker:            1 1 0000000                   (a 7-bit offset of zero)
//   * Length:                00 = 2, 01 = 3, 10 = 4, 1100 = 5, 1101 = 6, 1110 = 7,
//                            1111 xxxx = 8 + xxxx for xxxx = 0..14 (lengths 8..22); a nibble of
//                            1111 adds 15 and another nibble follows, until a nibble below 15
//                            ends the length: 23 = 1111 1111 0000, 37 = 1111 1111 1110,
//                            38 = 1111 1111 1111 0000, ...
//   * After the end marker the stream is padded with zero bits to a byte boundary (OpenConnect
//     emits the end marker as the 16-bit value 0xC000 and keeps the whole bytes; liblzs appends
//     "0b110000000 padded out with 0 to 7 extra zeros").
//   * An 11-bit offset of zero is invalid (OpenConnect tests/lzstest.c rejects {80 01 80}), and an
//     offset beyond the data produced so far is invalid (OpenConnect returns -EINVAL; liblzs emits
//     zeros instead, to avoid leaking memory; we reject the payload).
//
// RFC 2395 section 2.1 (Compression History): the history is reset for every datagram, since
// IPComp payloads must be decompressible independently of lost or reordered datagrams (RFC 3173
// section 2.1); section 2.2 (Compression Encoding Format): the payload is ANSI X3.241-1994 data
// ending with an end marker; section 2.3 (Padding): the end marker is what delimits the compressed
// data, so the decoder ignores the value of the padding bits and any bytes after the end marker.
#include "ns3/compression.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace ns3
{
namespace ipsec
{

namespace
{

constexpr size_t kMaxOffset = 2047;     //!< 11-bit offset: the 2 KB history window
constexpr size_t kMaxShortOffset = 127; //!< 7-bit offset
constexpr size_t kMinMatch = 2;         //!< the shortest string LZS can encode
constexpr unsigned kHashBits = 12;      //!< hash table index width
constexpr size_t kHashSize = size_t{1} << kHashBits;
constexpr size_t kChainSize = 2048;     //!< one link per window position (power of two >= 2047)
constexpr unsigned kMaxChainSteps = 32; //!< chain candidates examined per position at most
constexpr size_t kGoodLength = 16;      //!< once a match this long is found...
constexpr unsigned kGoodExtraSteps = 8; //!< ...examine at most this many more candidates
constexpr size_t kNiceLength = 128;     //!< a match this long ends the search
constexpr size_t kMaxLazyLength = 32;   //!< matches this long are taken without lazy evaluation

/** MSB-first bit packer (ANSI X3.241 bit order). */
class BitWriter
{
public:
    explicit BitWriter(std::vector<uint8_t>& out) : m_out(out)
    {
    }

    /** Append the low @p n (<= 24) bits of @p bits, most significant first. */
    void Put(uint32_t bits, unsigned n)
    {
        m_acc = (m_acc << n) | (bits & ((1u << n) - 1u));
        m_count += n;
        while (m_count >= 8)
        {
            m_count -= 8;
            m_out.push_back(static_cast<uint8_t>(m_acc >> m_count));
        }
        m_acc &= (1u << m_count) - 1u;
    }

    /** Pad with zero bits to the next byte boundary. */
    void Flush()
    {
        if (m_count > 0)
        {
            m_out.push_back(static_cast<uint8_t>(m_acc << (8 - m_count)));
            m_acc = 0;
            m_count = 0;
        }
    }

private:
    std::vector<uint8_t>& m_out;
    uint32_t m_acc{0};
    unsigned m_count{0};
};

/** Bounds-checked MSB-first bit reader. */
class BitReader
{
public:
    BitReader(const uint8_t* in, size_t len) : m_in(in), m_end(in + len)
    {
    }

    /** Read @p n (<= 16) bits into @p v. @return false past the end of the input. */
    bool Get(unsigned n, uint32_t& v)
    {
        if (m_count < n)
        {
            while (m_count <= 56 && m_in != m_end)
            {
                m_acc |= uint64_t{*m_in++} << (56 - m_count);
                m_count += 8;
            }
            if (m_count < n)
            {
                return false;
            }
        }
        v = static_cast<uint32_t>(m_acc >> (64 - n));
        m_acc <<= n;
        m_count -= n;
        return true;
    }

private:
    const uint8_t* m_in;
    const uint8_t* m_end;
    uint64_t m_acc{0};   //!< unread bits, left-aligned
    unsigned m_count{0}; //!< number of unread bits in m_acc
};

void
PutLiteral(BitWriter& w, uint8_t b)
{
    w.Put(b, 9); // leading 0 bit, then the byte
}

/** Length code (see the table at the top of the file). */
void
PutLength(BitWriter& w, size_t len)
{
    if (len <= 4)
    {
        w.Put(static_cast<uint32_t>(len - 2), 2); // 00, 01, 10
    }
    else if (len <= 7)
    {
        w.Put(static_cast<uint32_t>(0xC + len - 5), 4); // 1100, 1101, 1110
    }
    else
    {
        w.Put(0xF, 4);
        size_t rest = len - 8;
        while (rest >= 15)
        {
            w.Put(0xF, 4);
            rest -= 15;
        }
        w.Put(static_cast<uint32_t>(rest), 4);
    }
}

void
PutMatch(BitWriter& w, size_t offset, size_t len)
{
    if (offset <= kMaxShortOffset)
    {
        w.Put(static_cast<uint32_t>(0x180 | offset), 9); // 1 1 ooooooo
    }
    else
    {
        w.Put(static_cast<uint32_t>(0x1000 | offset), 13); // 1 0 ooooooooooo
    }
    PutLength(w, len);
}

void
PutEndMarker(BitWriter& w)
{
    w.Put(0x180, 9); // 1 1 0000000
    w.Flush();
}

/** Length of the common prefix of @p a and @p b, at most @p max bytes (8 bytes at a time). */
size_t
CommonPrefix(const uint8_t* a, const uint8_t* b, size_t max)
{
    size_t n = 0;
    while (n + 8 <= max)
    {
        uint64_t x;
        uint64_t y;
        std::memcpy(&x, a + n, 8);
        std::memcpy(&y, b + n, 8);
        if (x != y)
        {
            for (; a[n] == b[n]; ++n)
            {
            }
            return n;
        }
        n += 8;
    }
    for (; n < max && a[n] == b[n]; ++n)
    {
    }
    return n;
}

/**
 * LZ77 match finder over the 2 KB window of one datagram. Strings of three bytes or more are
 * found through hash chains over 3-byte prefixes (every earlier position in the window with the
 * same hash, newest first, up to kMaxChainSteps of them, fewer once a good match is found); a
 * 2-byte string, the shortest LZS can encode, only through the latest earlier position with the
 * same 2-byte prefix. Keeping 2-byte prefixes out of the chains keeps them short: in text, pairs
 * such as "e " recur every few bytes.
 */
class MatchFinder
{
public:
    MatchFinder(const uint8_t* in, size_t len) : m_in(in), m_len(len)
    {
        m_head2.fill(-1);
        m_head3.fill(-1);
        // m_prev3 needs no initialisation: a link is read only for a position already inserted.
    }

    /** Insert every position below @p end (that starts a 2-byte string) not yet inserted. */
    void InsertUpTo(size_t end)
    {
        if (m_len < kMinMatch)
        {
            return;
        }
        end = std::min(end, m_len - 1); // position len-1 starts no 2-byte string
        for (; m_next < end; ++m_next)
        {
            m_head2[Hash2(m_next)] = static_cast<int32_t>(m_next);
            if (m_next + 2 < m_len)
            {
                const uint32_t h = Hash3(m_next);
                m_prev3[m_next & (kChainSize - 1)] = m_head3[h];
                m_head3[h] = static_cast<int32_t>(m_next);
            }
        }
    }

    /**
     * Longest match for the string at @p pos among the inserted positions within the window
     * (the nearest wins among equals). @return its length (0 if below kMinMatch).
     */
    size_t Find(size_t pos, size_t& offset) const
    {
        if (pos + kMinMatch > m_len)
        {
            return 0;
        }
        const size_t maxLen = m_len - pos;
        const uint8_t* cur = m_in + pos;
        size_t best = 0;
        if (maxLen >= 3)
        {
            best = 2; // only longer strings are of interest in the chain
            unsigned steps = 0;
            unsigned limit = kMaxChainSteps;
            for (int32_t cand = m_head3[Hash3(pos)]; cand >= 0 && steps < limit;
                 cand = m_prev3[static_cast<size_t>(cand) & (kChainSize - 1)], ++steps)
            {
                const size_t c = static_cast<size_t>(cand);
                if (pos - c > kMaxOffset)
                {
                    break; // the chain runs from the newest position backwards
                }
                const uint8_t* ref = m_in + c;
                // Quick reject on the byte that would make this match longer than the best.
                if (ref[best] != cur[best])
                {
                    continue;
                }
                const size_t n = CommonPrefix(ref, cur, maxLen);
                if (n > best)
                {
                    best = n;
                    offset = pos - c;
                    if (n >= kNiceLength || n == maxLen)
                    {
                        break;
                    }
                    if (n >= kGoodLength)
                    {
                        limit = std::min(limit, steps + 1 + kGoodExtraSteps);
                    }
                }
            }
            if (best >= 3)
            {
                return best;
            }
        }
        const int32_t cand = m_head2[Hash2(pos)];
        if (cand >= 0 && pos - static_cast<size_t>(cand) <= kMaxOffset)
        {
            // Normally exactly 2 bytes, unless the chain walk gave up before reaching it.
            const size_t n = CommonPrefix(m_in + cand, cur, maxLen);
            if (n >= kMinMatch)
            {
                offset = pos - static_cast<size_t>(cand);
                return n;
            }
        }
        return 0;
    }

private:
    uint32_t Hash2(size_t pos) const
    {
        const uint32_t key = (uint32_t{m_in[pos]} << 8) | m_in[pos + 1];
        return (key * 2654435761u) >> (32 - kHashBits);
    }

    uint32_t Hash3(size_t pos) const
    {
        const uint32_t key =
            (uint32_t{m_in[pos]} << 16) | (uint32_t{m_in[pos + 1]} << 8) | m_in[pos + 2];
        return (key * 2654435761u) >> (32 - kHashBits);
    }

    const uint8_t* m_in;
    size_t m_len;
    size_t m_next{0}; //!< first position not yet inserted
    std::array<int32_t, kHashSize> m_head2;
    std::array<int32_t, kHashSize> m_head3;
    std::array<int32_t, kChainSize> m_prev3;
};

} // namespace

std::vector<uint8_t>
LzsCompressor::Compress(const uint8_t* in, size_t len)
{
    std::vector<uint8_t> out;
    out.reserve((len * 9 + 9) / 8 + 2); // every token costs at most 9 bits per input byte
    BitWriter w(out);
    if (len >= kMinMatch && len - 1 > static_cast<size_t>(INT32_MAX))
    {
        // Positions are kept as int32_t: beyond 2 GiB send literals only (never for IP).
        for (size_t i = 0; i < len; ++i)
        {
            PutLiteral(w, in[i]);
        }
        PutEndMarker(w);
        return out;
    }

    // Greedy parsing with one step of lazy evaluation (as zlib does): a match found at pos is
    // held back while the match at pos + 1 is examined; if that one is longer, pos goes out as a
    // literal and the later match is held instead.
    MatchFinder mf(in, len);
    size_t pos = 0;
    bool held = false;
    size_t heldLen = 0;
    size_t heldOff = 0;
    while (pos < len)
    {
        size_t off = 0;
        size_t mlen = 0;
        if (!held || heldLen < kMaxLazyLength)
        {
            mlen = mf.Find(pos, off);
        }
        mf.InsertUpTo(pos + 1);
        if (held)
        {
            if (mlen > heldLen)
            {
                PutLiteral(w, in[pos - 1]);
                heldLen = mlen;
                heldOff = off;
                ++pos;
                continue;
            }
            const size_t start = pos - 1;
            PutMatch(w, heldOff, heldLen);
            held = false;
            pos = start + heldLen;
            mf.InsertUpTo(pos);
            continue;
        }
        if (mlen >= kMinMatch)
        {
            held = true;
            heldLen = mlen;
            heldOff = off;
            ++pos;
            continue;
        }
        PutLiteral(w, in[pos]);
        ++pos;
    }
    // A held match is always resolved inside the loop: holding one needs two bytes at pos, so
    // pos < len once it is held and the loop runs again.
    PutEndMarker(w);
    return out;
}

bool
LzsCompressor::Decompress(const uint8_t* in, size_t len, std::vector<uint8_t>& out, size_t maxOut)
{
    out.clear();
    if (in == nullptr && len != 0)
    {
        return false;
    }
    out.reserve(std::min(maxOut, len * 4));
    BitReader r(in, len);
    const auto fail = [&out]()
    {
        out.clear();
        return false;
    };
    // Every iteration consumes at least 9 bits or returns, so the loop ends with the input.
    for (;;)
    {
        uint32_t v;
        if (!r.Get(1, v))
        {
            return fail(); // no end marker: truncated
        }
        if (v == 0)
        {
            if (!r.Get(8, v) || out.size() >= maxOut)
            {
                return fail();
            }
            out.push_back(static_cast<uint8_t>(v));
            continue;
        }
        size_t offset;
        if (!r.Get(1, v))
        {
            return fail();
        }
        if (v == 1)
        {
            if (!r.Get(7, v))
            {
                return fail();
            }
            if (v == 0)
            {
                return true; // end marker; padding and anything after it is ignored
            }
            offset = v;
        }
        else
        {
            if (!r.Get(11, v) || v == 0)
            {
                return fail(); // an 11-bit offset of zero is not a valid encoding
            }
            offset = v;
        }
        size_t length;
        if (!r.Get(2, v))
        {
            return fail();
        }
        if (v < 3)
        {
            length = 2 + v;
        }
        else
        {
            if (!r.Get(2, v))
            {
                return fail();
            }
            if (v < 3)
            {
                length = 5 + v;
            }
            else
            {
                length = 8;
                const size_t room = maxOut - out.size();
                for (;;)
                {
                    if (!r.Get(4, v))
                    {
                        return fail();
                    }
                    length += v;
                    if (length > room)
                    {
                        return fail(); // also bounds the length before it could overflow
                    }
                    if (v != 15)
                    {
                        break;
                    }
                }
            }
        }
        if (offset > out.size() || length > maxOut - out.size())
        {
            return fail();
        }
        // Byte by byte: the source may overlap what is being written (offset < length).
        size_t dst = out.size();
        out.resize(dst + length);
        for (size_t src = dst - offset; length > 0; --length)
        {
            out[dst++] = out[src++];
        }
    }
}

std::unique_ptr<Compressor>
MakeCompressor(CompressionAlgorithm alg)
{
    switch (alg)
    {
    case CompressionAlgorithm::DEFLATE:
        return std::make_unique<DeflateCompressor>();
    case CompressionAlgorithm::LZS:
        return std::make_unique<LzsCompressor>();
    case CompressionAlgorithm::OUI:
        throw std::invalid_argument("MakeCompressor: the OUI IPComp transform is not supported");
    }
    throw std::invalid_argument("MakeCompressor: unknown IPComp transform " +
                                std::to_string(static_cast<unsigned>(alg)));
}

} // namespace ipsec
} // namespace ns3
