// IPComp payload compression (RFC 3173): LZS (RFC 2395, ANSI X3.241-1994 format) and DEFLATE
// (RFC 2394, raw zlib stream).
//
// LZS known answers:
//  * The one published LZS test vector found: Craig McQueen's liblzs unit test
//    (github.com/cmcqueen/lzs-compression, c/src/test/test-lzs-decompression.c,
//    compressed_data_1 / decompressed_data_1), a 324-byte stream and its 507-byte text.
//  * OpenConnect's tests/lzstest.c "zero_ofs" stream {80 01 80} (an 11-bit offset of zero), which
//    a decoder must reject.
//  * No published vector covers every code class, so the remaining streams are written by hand,
//    bit by bit, from the format table (see model/crypto/compression-lzs.cc): literals, 7- and
//    11-bit offsets (1, 127, 128, 2047), every length code, the extended lengths around the 22/23
//    and 37/38 boundaries. SpecDecode() below is a deliberately naive one-bit-at-a-time decoder
//    written from the same table, used to inspect the compressor's tokens and as a differential
//    oracle for the production decoder.
// DEFLATE known answers: raw streams produced by an independent encoder (CPython's zlib module,
// see DeflateKnownAnswer).
#include "ns3/compression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3::ipsec;

namespace
{

using Bytes = std::vector<uint8_t>;

Bytes
ToBytes(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

/** Pack a string of '0'/'1' (anything else is ignored) MSB first, zero-padded to a byte. */
Bytes
Bits(const std::string& s)
{
    Bytes out;
    unsigned n = 0;
    uint8_t cur = 0;
    for (char c : s)
    {
        if (c != '0' && c != '1')
        {
            continue;
        }
        cur = static_cast<uint8_t>((cur << 1) | (c == '1'));
        if (++n == 8)
        {
            out.push_back(cur);
            n = 0;
            cur = 0;
        }
    }
    if (n > 0)
    {
        out.push_back(static_cast<uint8_t>(cur << (8 - n)));
    }
    return out;
}

/** @p v as @p n binary digits. */
std::string
Bin(uint32_t v, unsigned n)
{
    std::string s;
    for (unsigned i = n; i-- > 0;)
    {
        s += ((v >> i) & 1) ? '1' : '0';
    }
    return s;
}

/** A literal token: 0 then the byte. */
std::string
Lit(uint8_t b)
{
    return "0" + Bin(b, 8) + " ";
}

const std::string kEnd = "11 0000000";

/** One token of an LZS stream as SpecDecode saw it. */
struct Token
{
    bool literal;
    size_t pos; //!< output position where the token starts
    uint8_t byte;
    size_t offset;
    size_t length;
    bool shortForm; //!< 7-bit offset
};

struct SpecResult
{
    bool ok{false};
    Bytes out;
    std::vector<Token> tokens;
};

/**
 * Naive LZS decoder straight from the ANSI X3.241 table, one bit at a time. Same acceptance
 * rules as LzsCompressor::Decompress: an end marker is required, an 11-bit offset of zero, an
 * offset beyond the output and output beyond maxOut are errors, and what follows the end marker
 * is ignored.
 */
SpecResult
SpecDecode(const Bytes& in, size_t maxOut = 65535)
{
    SpecResult r;
    size_t bit = 0;
    auto one = [&](uint32_t& b)
    {
        if (bit >= in.size() * 8)
        {
            return false;
        }
        b = (in[bit / 8] >> (7 - bit % 8)) & 1;
        ++bit;
        return true;
    };
    auto field = [&](unsigned n, uint32_t& v)
    {
        v = 0;
        for (unsigned i = 0; i < n; ++i)
        {
            uint32_t b;
            if (!one(b))
            {
                return false;
            }
            v = (v << 1) | b;
        }
        return true;
    };
    for (;;)
    {
        uint32_t b;
        if (!one(b))
        {
            return r;
        }
        if (b == 0)
        {
            uint32_t v;
            if (!field(8, v) || r.out.size() + 1 > maxOut)
            {
                return r;
            }
            r.tokens.push_back({true, r.out.size(), static_cast<uint8_t>(v), 0, 1, false});
            r.out.push_back(static_cast<uint8_t>(v));
            continue;
        }
        uint32_t form;
        uint32_t offset;
        if (!one(form) || !field(form ? 7 : 11, offset))
        {
            return r;
        }
        if (form == 1 && offset == 0)
        {
            r.ok = true; // end marker
            return r;
        }
        if (offset == 0)
        {
            return r;
        }
        uint32_t code;
        size_t length;
        if (!field(2, code))
        {
            return r;
        }
        if (code == 0)
        {
            length = 2;
        }
        else if (code == 1)
        {
            length = 3;
        }
        else if (code == 2)
        {
            length = 4;
        }
        else
        {
            if (!field(2, code))
            {
                return r;
            }
            if (code == 0)
            {
                length = 5;
            }
            else if (code == 1)
            {
                length = 6;
            }
            else if (code == 2)
            {
                length = 7;
            }
            else
            {
                length = 8;
                uint32_t nibble;
                do
                {
                    if (!field(4, nibble))
                    {
                        return r;
                    }
                    length += nibble;
                    if (length > maxOut)
                    {
                        return r;
                    }
                } while (nibble == 15);
            }
        }
        if (offset > r.out.size() || r.out.size() + length > maxOut)
        {
            return r;
        }
        r.tokens.push_back({false, r.out.size(), 0, offset, length, form == 1});
        for (size_t i = 0; i < length; ++i)
        {
            r.out.push_back(r.out[r.out.size() - offset]);
        }
    }
}

// --- payload generators --------------------------------------------------------------------

enum class Kind
{
    Random,
    Text,
    Repetitive,
    Http,
    Zeros,
    IpUdp,
};

const Kind kAllKinds[] = {Kind::Random, Kind::Text,  Kind::Repetitive,
                          Kind::Http,   Kind::Zeros, Kind::IpUdp};

const char*
KindName(Kind k)
{
    switch (k)
    {
    case Kind::Random:
        return "random";
    case Kind::Text:
        return "text";
    case Kind::Repetitive:
        return "repetitive";
    case Kind::Http:
        return "http";
    case Kind::Zeros:
        return "zeros";
    case Kind::IpUdp:
        return "ip-udp";
    }
    return "?";
}

const char* const kSentences[] = {
    "The IP Payload Compression Protocol reduces the size of IP datagrams. ",
    "Compression is applied before encryption, because encrypted data does not compress. ",
    "Each datagram is compressed on its own, so that loss and reordering do no harm. ",
    "The receiver looks at the next header field to find the compressed payload. ",
    "If the payload does not shrink, the sender transmits it uncompressed. ",
    "A security association carries the compression parameter index. ",
    "Routers in the middle of the path never see the compressed payload in the clear. ",
    "Small packets are sent as they are: the threshold saves processing time. ",
    "The history window of LZS is two kilobytes, the window of DEFLATE thirty-two. ",
    "Voice traffic is already compressed by its codec and rarely benefits. ",
    "Text, markup and protocol headers compress well, media files do not. ",
    "Tunnel mode compresses the whole inner packet, including its header. ",
};

/** @p n bytes of payload of the given kind; deterministic in (kind, n, seed). */
Bytes
Payload(Kind kind, size_t n, uint32_t seed = 1)
{
    std::mt19937 rng(seed * 7919 + static_cast<uint32_t>(n));
    Bytes out;
    out.reserve(n);
    switch (kind)
    {
    case Kind::Random:
        while (out.size() < n)
        {
            out.push_back(static_cast<uint8_t>(rng()));
        }
        break;
    case Kind::Text:
        while (out.size() < n)
        {
            const char* s = kSentences[rng() % (sizeof(kSentences) / sizeof(kSentences[0]))];
            out.insert(out.end(), s, s + std::strlen(s));
        }
        break;
    case Kind::Repetitive:
        for (size_t i = 0; out.size() < n; ++i)
        {
            // A 13-byte period with a counter byte that changes every period.
            const char* unit = "0123456789ab";
            out.insert(out.end(), unit, unit + 12);
            out.push_back(static_cast<uint8_t>(i));
        }
        break;
    case Kind::Http:
    {
        const std::string head = "GET /api/v1/tunnels/42/statistics?format=json HTTP/1.1\r\n"
                                 "Host: vpn-gw.example.net\r\n"
                                 "User-Agent: Mozilla/5.0 (X11; Linux x86_64) ns3-ipsec/0.1\r\n"
                                 "Accept: application/json, text/plain, */*\r\n"
                                 "Accept-Language: en-US,en;q=0.9\r\n"
                                 "Accept-Encoding: identity\r\n"
                                 "Cookie: session=3f2a9c0e71d84b55a6e0c2f19b7d4e08\r\n"
                                 "Connection: keep-alive\r\n\r\n";
        const std::string row =
            "<tr><td class=\"sa\">spi=0x%</td><td class=\"bytes\">#</td></tr>\n";
        out.insert(out.end(), head.begin(), head.end());
        while (out.size() < n)
        {
            for (char c : row)
            {
                out.push_back(c == '%' || c == '#' ? static_cast<uint8_t>('0' + rng() % 10)
                                                   : static_cast<uint8_t>(c));
            }
        }
        break;
    }
    case Kind::Zeros:
        out.assign(n, 0);
        break;
    case Kind::IpUdp:
    {
        // IPv4 header (20 bytes) + UDP header (8) + a SIP-like text body, as it is serialized.
        const uint8_t ip[] = {0x45, 0x00, 0x05, 0xdc, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11,
                              0xb1, 0xe6, 0x0a, 0x00, 0x01, 0x02, 0x0a, 0x00, 0x02, 0x03};
        const uint8_t udp[] = {0x13, 0xc4, 0x13, 0xc4, 0x05, 0xc8, 0x00, 0x00};
        out.insert(out.end(), ip, ip + sizeof(ip));
        out.insert(out.end(), udp, udp + sizeof(udp));
        const std::string sip = "INVITE sip:bob@10.0.2.3 SIP/2.0\r\n"
                                "Via: SIP/2.0/UDP 10.0.1.2:5060;branch=z9hG4bK776asdhds\r\n"
                                "Max-Forwards: 70\r\nTo: Bob <sip:bob@10.0.2.3>\r\n"
                                "From: Alice <sip:alice@10.0.1.2>;tag=1928301774\r\n"
                                "Call-ID: a84b4c76e66710@10.0.1.2\r\nCSeq: 314159 INVITE\r\n"
                                "Content-Type: application/sdp\r\n\r\n"
                                "v=0\r\no=alice 2890844526 2890844526 IN IP4 10.0.1.2\r\n"
                                "m=audio 49170 RTP/AVP 0 8 97\r\na=rtpmap:0 PCMU/8000\r\n";
        while (out.size() < n)
        {
            out.insert(out.end(), sip.begin(), sip.end());
        }
        break;
    }
    }
    out.resize(n);
    return out;
}

const size_t kSizes[] = {0, 1, 2, 3, 100, 1400, 1500, 9000, 65535};

/** LZS worst case: 9 bits per byte, plus the 9-bit end marker, rounded up to whole bytes. */
size_t
LzsBound(size_t n)
{
    return (9 * n + 9 + 7) / 8;
}

/**
 * @p n bytes over 0..254 in which no 2-byte string occurs twice, the wrap-around pair
 * (last, first) included: the only matches in R + R are the planted ones.
 */
Bytes
UniquePairs(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    for (;;)
    {
        Bytes r{static_cast<uint8_t>(rng() % 255)};
        std::set<unsigned> used;
        bool stuck = false;
        while (r.size() < n && !stuck)
        {
            uint8_t b;
            unsigned tries = 0;
            do
            {
                b = static_cast<uint8_t>(rng() % 255);
            } while (used.count(r.back() * 256u + b) && ++tries < 1000);
            stuck = tries >= 1000;
            used.insert(r.back() * 256u + b);
            r.push_back(b);
        }
        if (!stuck && (n < 2 || used.count(r.back() * 256u + r.front()) == 0))
        {
            return r;
        }
    }
}

/** R (d bytes) then its first len bytes again (overlapping when len > d), then 0xFF. */
Bytes
PlantedMatch(size_t d, size_t len, uint32_t seed = 5)
{
    Bytes in = UniquePairs(d, seed);
    for (size_t i = 0; i < len; ++i)
    {
        in.push_back(in[i]);
    }
    in.push_back(0xFF);
    return in;
}

const Token*
TokenAt(const SpecResult& r, size_t pos)
{
    for (const auto& t : r.tokens)
    {
        if (t.pos == pos)
        {
            return &t;
        }
    }
    return nullptr;
}

/** Random damage to a valid stream: bit flips, byte writes, cuts, insertions. */
Bytes
Mutate(Bytes s, std::mt19937& rng)
{
    const unsigned edits = 1 + rng() % 4;
    for (unsigned e = 0; e < edits; ++e)
    {
        switch (rng() % 6)
        {
        case 0:
        case 1:
            if (!s.empty())
            {
                s[rng() % s.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
            }
            break;
        case 2:
            if (!s.empty())
            {
                s[rng() % s.size()] = static_cast<uint8_t>(rng());
            }
            break;
        case 3:
            if (!s.empty())
            {
                s.resize(rng() % s.size());
            }
            break;
        case 4:
        {
            const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
            const size_t k = 1 + rng() % 8;
            for (size_t i = 0; i < k; ++i)
            {
                s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), static_cast<uint8_t>(rng()));
            }
            break;
        }
        default:
            if (!s.empty())
            {
                s.erase(s.begin() + static_cast<std::ptrdiff_t>(rng() % s.size()));
            }
            break;
        }
    }
    return s;
}

// --- LZS: published vectors ----------------------------------------------------------------

// liblzs c/src/test/test-lzs-decompression.c, compressed_data_1 (all "#if 1" parts, without the
// "#if 0" tail).
const uint8_t kMcQueenCompressed[] = {
    0x29, 0x19, 0x4E, 0x87, 0x53, 0x91, 0xB8, 0x40, 0x61, 0x10, 0x1C, 0xCE, 0x87, 0x23, 0x49, 0xB8,
    0xCE, 0x20, 0x31, 0x9B, 0xCD, 0xC7, 0x43, 0x0E, 0x24, 0xC5, 0xD9, 0x40, 0xE1, 0x93, 0x71, 0xC1,
    0x88, 0xD8, 0x65, 0x10, 0x1C, 0x8C, 0xB8, 0xC0, 0xCA, 0x73, 0x32, 0xE3, 0x93, 0xA1, 0xA7, 0x44,
    0x08, 0x0D, 0xE6, 0x6C, 0xF1, 0x86, 0x4C, 0x46, 0xA3, 0x29, 0x8C, 0xE8, 0x2E, 0x10, 0x11, 0x8D,
    0xE7, 0x21, 0x01, 0xB7, 0x20, 0x1E, 0x44, 0x07, 0x43, 0xC9, 0xC3, 0x4A, 0x0B, 0x30, 0xE1, 0xA0,
    0xD2, 0x73, 0x10, 0x19, 0x8E, 0xA6, 0xEC, 0xE1, 0xAC, 0xB3, 0x41, 0xAF, 0x2A, 0x6B, 0xED, 0xD8,
    0x74, 0x32, 0x9B, 0x4E, 0x07, 0x4C, 0xF8, 0x6F, 0xE7, 0xBF, 0x6F, 0x6D, 0x91, 0x9D, 0x04, 0x07,
    0x73, 0x79, 0xD4, 0xD8, 0x64, 0x10, 0x1E, 0x4D, 0x26, 0x5C, 0x33, 0xDE, 0xF1, 0xCB, 0x06, 0x9C,
    0xE9, 0xA0, 0x61, 0x06, 0x1C, 0xCC, 0x26, 0xDC, 0x28, 0x76, 0x30, 0x9B, 0x0E, 0xB8, 0x60, 0xEF,
    0x8F, 0x34, 0x01, 0xC0, 0xC2, 0x73, 0x84, 0x89, 0xAA, 0x39, 0xC9, 0x97, 0x2C, 0x8A, 0x05, 0x3F,
    0x80, 0xDF, 0xA7, 0x4E, 0x5B, 0x03, 0x2C, 0x6C, 0x32, 0x16, 0x7E, 0xF0, 0x93, 0x7D, 0xFE, 0x39,
    0x50, 0xC6, 0x6C, 0x37, 0xEF, 0x6C, 0x69, 0xEA, 0x4C, 0xF0, 0xE0, 0x4C, 0x47, 0x23, 0x09, 0x8E,
    0x14, 0xE1, 0xD3, 0x48, 0x42, 0x2B, 0x22, 0x0B, 0xD8, 0xEB, 0x36, 0x1B, 0xBF, 0x14, 0x3C, 0x5C,
    0x65, 0x0E, 0x1B, 0x19, 0xE1, 0x0A, 0x0E, 0x84, 0x00, 0x67, 0xDC, 0x1F, 0x86, 0x15, 0x3A, 0x61,
    0x32, 0x19, 0x30, 0xE7, 0xBD, 0x84, 0x89, 0xDC, 0x4C, 0xD1, 0x18, 0x21, 0xFA, 0x44, 0xC3, 0xA1,
    0xF6, 0x42, 0x0D, 0xFB, 0xA7, 0x5D, 0x01, 0x0F, 0x0C, 0xEC, 0x77, 0xF8, 0x87, 0x63, 0xB4, 0x21,
    0x52, 0xFB, 0x4E, 0xC7, 0xAC, 0x55, 0x82, 0x0C, 0x21, 0xC3, 0x64, 0x38, 0xDC, 0x31, 0x10, 0xC6,
    0x12, 0x31, 0xC8, 0xDF, 0xD4, 0x21, 0xF2, 0x42, 0x79, 0x8A, 0xFF, 0xB4, 0x52, 0xF7, 0x22, 0xC6,
    0x15, 0xFD, 0x98, 0x82, 0x16, 0xEC, 0x2F, 0x0C, 0xE1, 0x17, 0x34, 0xC5, 0x19, 0x10, 0xC8, 0x65,
    0x33, 0x47, 0x33, 0xC0, 0xBE, 0x5F, 0x88, 0x8D, 0x86, 0x22, 0x52, 0x46, 0x48, 0x85, 0x8A, 0x6F,
    0x32, 0x0B, 0xB0, 0x00,
};

const char kMcQueenText[] =
    "Return a string containing a printable representation of an object. For many types, this "
    "function makes an attempt to return a string that would yield an object with the same value "
    "when passed to eval(), otherwise the representation is a string enclosed in angle brackets "
    "that contains the name of the type of the object together with additional information often "
    "including the name and address of the object. A class can control what this function returns "
    "for its instances by defining a __repr__() method.";

TEST(LzsKnownAnswer, LiblzsVectorDecompresses)
{
    LzsCompressor lzs;
    Bytes out;
    const Bytes stream(std::begin(kMcQueenCompressed), std::end(kMcQueenCompressed));
    ASSERT_EQ(stream.size(), 324u);
    ASSERT_TRUE(lzs.Decompress(stream.data(), stream.size(), out));
    EXPECT_EQ(std::string(out.begin(), out.end()), kMcQueenText);
    EXPECT_EQ(out.size(), 507u);

    // The independent spec decoder agrees, and the vector really uses matches of both offset
    // forms and extended lengths (so it exercises more than literals).
    SpecResult spec = SpecDecode(stream);
    ASSERT_TRUE(spec.ok);
    EXPECT_EQ(spec.out, out);
    bool shortOff = false;
    bool longOff = false;
    for (const auto& t : spec.tokens)
    {
        shortOff |= !t.literal && t.shortForm;
        longOff |= !t.literal && !t.shortForm;
    }
    EXPECT_TRUE(shortOff);
    EXPECT_TRUE(longOff);

    // The end marker lies in the last bytes: no proper prefix is a complete stream.
    for (size_t n = 0; n < stream.size(); ++n)
    {
        EXPECT_FALSE(lzs.Decompress(stream.data(), n, out)) << "prefix " << n;
    }
}

TEST(LzsKnownAnswer, OurCompressionOfTheLiblzsTextRoundTrips)
{
    LzsCompressor lzs;
    const Bytes text = ToBytes(kMcQueenText);
    const Bytes ours = lzs.Compress(text.data(), text.size());
    // The published stream is 324 bytes; a real match search should do at least as well.
    EXPECT_LE(ours.size(), sizeof(kMcQueenCompressed));
    SpecResult spec = SpecDecode(ours);
    ASSERT_TRUE(spec.ok);
    EXPECT_EQ(spec.out, text);
    Bytes out;
    ASSERT_TRUE(lzs.Decompress(ours.data(), ours.size(), out));
    EXPECT_EQ(out, text);
}

TEST(LzsKnownAnswer, OpenConnectZeroLongOffsetIsRejected)
{
    // 10 00000000000 00 | 110000000: an 11-bit offset of zero (OpenConnect tests/lzstest.c).
    const uint8_t zeroOfs[] = {0x80, 0x01, 0x80};
    EXPECT_EQ(Bits("10 00000000000 00 110000000"), Bytes(zeroOfs, zeroOfs + 3));
    LzsCompressor lzs;
    Bytes out;
    EXPECT_FALSE(lzs.Decompress(zeroOfs, sizeof(zeroOfs), out));
    EXPECT_TRUE(out.empty());
    // Even with history in front of it.
    const Bytes withHistory = Bits(Lit('a') + Lit('b') + "10 00000000000 00" + kEnd);
    EXPECT_FALSE(lzs.Decompress(withHistory.data(), withHistory.size(), out));
}

// --- LZS: hand-built streams from the format table ------------------------------------------

struct HandCase
{
    const char* name;
    std::string bits;
    std::string expect;
};

std::vector<HandCase>
HandCases()
{
    const std::string a = Lit('A');
    std::vector<HandCase> c;
    c.push_back({"end marker only", kEnd, ""});
    c.push_back({"literals", Lit('h') + Lit('i') + Lit(0x00) + Lit(0xFF) + kEnd,
                 std::string("hi") + '\0' + '\xff'});
    // Offset 1 (7-bit form) with every length code.
    c.push_back({"len 2 (00)", a + "11 0000001 00" + kEnd, std::string(3, 'A')});
    c.push_back({"len 3 (01)", a + "11 0000001 01" + kEnd, std::string(4, 'A')});
    c.push_back({"len 4 (10)", a + "11 0000001 10" + kEnd, std::string(5, 'A')});
    c.push_back({"len 5 (1100)", a + "11 0000001 1100" + kEnd, std::string(6, 'A')});
    c.push_back({"len 6 (1101)", a + "11 0000001 1101" + kEnd, std::string(7, 'A')});
    c.push_back({"len 7 (1110)", a + "11 0000001 1110" + kEnd, std::string(8, 'A')});
    c.push_back({"len 8 (1111 0000)", a + "11 0000001 1111 0000" + kEnd, std::string(9, 'A')});
    c.push_back({"len 9 (1111 0001)", a + "11 0000001 1111 0001" + kEnd, std::string(10, 'A')});
    c.push_back({"len 21 (1111 1101)", a + "11 0000001 1111 1101" + kEnd, std::string(22, 'A')});
    c.push_back({"len 22 (1111 1110)", a + "11 0000001 1111 1110" + kEnd, std::string(23, 'A')});
    c.push_back(
        {"len 23 (1111 1111 0000)", a + "11 0000001 1111 1111 0000" + kEnd, std::string(24, 'A')});
    c.push_back(
        {"len 24 (1111 1111 0001)", a + "11 0000001 1111 1111 0001" + kEnd, std::string(25, 'A')});
    c.push_back(
        {"len 37 (1111 1111 1110)", a + "11 0000001 1111 1111 1110" + kEnd, std::string(38, 'A')});
    c.push_back({"len 38 (1111 1111 1111 0000)", a + "11 0000001 1111 1111 1111 0000" + kEnd,
                 std::string(39, 'A')});
    c.push_back({"len 39 (1111 1111 1111 0001)", a + "11 0000001 1111 1111 1111 0001" + kEnd,
                 std::string(40, 'A')});
    c.push_back({"len 53 (1111 x4 0000)", a + "11 0000001 1111 1111 1111 1111 0000" + kEnd,
                 std::string(54, 'A')});
    // Offset 2, overlapping copy.
    c.push_back(
        {"offset 2 overlapping", Lit('a') + Lit('b') + "11 0000010 1101" + kEnd, "abababab"});
    // Offset 3 copy in the middle of literals.
    c.push_back({"offset 3 then literal",
                 Lit('x') + Lit('y') + Lit('z') + "11 0000011 01" + Lit('!') + kEnd, "xyzxyz!"});
    // An offset below 128 in the 11-bit form is unusual but valid.
    c.push_back({"11-bit form of offset 1", a + "10 00000000001 01" + kEnd, std::string(4, 'A')});
    // Offsets 127 (largest 7-bit), 128 (smallest that needs 11 bits) and 2047 (the window).
    for (size_t d : {127u, 128u, 2047u})
    {
        std::string bits;
        std::string expect;
        for (size_t i = 0; i < d; ++i)
        {
            const char ch = i == 0 ? 'Q' : static_cast<char>('a' + i % 26);
            bits += Lit(static_cast<uint8_t>(ch));
            expect += ch;
        }
        bits += d <= 127 ? "11 " + Bin(static_cast<uint32_t>(d), 7)
                         : "10 " + Bin(static_cast<uint32_t>(d), 11);
        bits += " 01"; // length 3: copies expect[0..3)
        expect += expect.substr(0, 3);
        bits += kEnd;
        c.push_back({d == 127   ? "offset 127"
                     : d == 128 ? "offset 128"
                                : "offset 2047",
                     bits, expect});
    }
    // Padding after the end marker need not be zero, and trailing bytes are ignored
    // (RFC 2395 2.3: the end marker disambiguates padding).
    c.push_back({"ones after end marker", a + kEnd + "1111111 11111111", "A"});
    return c;
}

TEST(LzsSpec, HandBuiltStreamsDecode)
{
    LzsCompressor lzs;
    for (const auto& hc : HandCases())
    {
        SCOPED_TRACE(hc.name);
        const Bytes stream = Bits(hc.bits);
        Bytes out;
        ASSERT_TRUE(lzs.Decompress(stream.data(), stream.size(), out));
        EXPECT_EQ(std::string(out.begin(), out.end()), hc.expect);
        SpecResult spec = SpecDecode(stream);
        ASSERT_TRUE(spec.ok);
        EXPECT_EQ(spec.out, out);
    }
}

TEST(LzsSpec, HandBuiltStreamsWithoutEndMarkerAreRejected)
{
    LzsCompressor lzs;
    for (const auto& hc : HandCases())
    {
        SCOPED_TRACE(hc.name);
        std::string bits = hc.bits;
        const size_t endAt = bits.rfind(kEnd);
        ASSERT_NE(endAt, std::string::npos);
        bits.erase(endAt);
        const Bytes stream = Bits(bits);
        Bytes out;
        // Zero padding can read as a literal 0x00 prefix, but never as an end marker.
        EXPECT_FALSE(lzs.Decompress(stream.data(), stream.size(), out));
        EXPECT_TRUE(out.empty());
    }
}

TEST(LzsSpec, EncoderEmitsExactBits)
{
    LzsCompressor lzs;
    auto enc = [&lzs](const std::string& s)
    {
        const Bytes in = ToBytes(s);
        return lzs.Compress(in.data(), in.size());
    };
    // Empty payload: the end marker 110000000 and seven zero bits of padding.
    EXPECT_EQ(enc(""), Bytes({0xC0, 0x00}));
    // 0 01000001 | 110000000 | 000000
    EXPECT_EQ(enc("A"), Bytes({0x20, 0xE0, 0x00}));
    EXPECT_EQ(enc("AB"), Bits(Lit('A') + Lit('B') + kEnd));
    EXPECT_EQ(enc("AA"), Bits(Lit('A') + Lit('A') + kEnd));
    EXPECT_EQ(enc("AAA"), Bits(Lit('A') + "11 0000001 00" + kEnd));
    EXPECT_EQ(enc("AAAAAAAAAA"), Bits(Lit('A') + "11 0000001 1111 0001" + kEnd));
    EXPECT_EQ(enc("ABABABAB"), Bits(Lit('A') + Lit('B') + "11 0000010 1101" + kEnd));
    EXPECT_EQ(enc(std::string(24, 'z')), Bits(Lit('z') + "11 0000001 1111 1111 0000" + kEnd));
    EXPECT_EQ(enc(std::string(39, 'z')), Bits(Lit('z') + "11 0000001 1111 1111 1111 0000" + kEnd));
}

TEST(LzsSpec, EncoderLengthBoundaries)
{
    LzsCompressor lzs;
    const size_t d = 50;
    for (size_t len : {2u,  3u,  4u,  5u,  6u,  7u,  8u,  9u,  21u, 22u,  23u,   24u,
                       36u, 37u, 38u, 39u, 52u, 53u, 54u, 67u, 68u, 100u, 1000u, 5000u})
    {
        SCOPED_TRACE("length " + std::to_string(len));
        const Bytes in = PlantedMatch(d, len);
        const Bytes c = lzs.Compress(in.data(), in.size());
        SpecResult spec = SpecDecode(c);
        ASSERT_TRUE(spec.ok);
        ASSERT_EQ(spec.out, in);
        const Token* t = TokenAt(spec, d);
        ASSERT_NE(t, nullptr);
        EXPECT_FALSE(t->literal);
        EXPECT_EQ(t->offset, d);
        EXPECT_EQ(t->length, len);
        EXPECT_TRUE(t->shortForm);
        // Nothing else in R + R[..len] + 0xFF can match.
        EXPECT_EQ(spec.tokens.size(), d + 2);
    }
}

TEST(LzsSpec, EncoderOffsets)
{
    LzsCompressor lzs;
    for (size_t d : {1u, 2u, 3u, 126u, 127u, 128u, 129u, 1000u, 2046u, 2047u})
    {
        SCOPED_TRACE("offset " + std::to_string(d));
        const Bytes in = PlantedMatch(d, 10, static_cast<uint32_t>(d));
        const Bytes c = lzs.Compress(in.data(), in.size());
        SpecResult spec = SpecDecode(c);
        ASSERT_TRUE(spec.ok);
        ASSERT_EQ(spec.out, in);
        const Token* t = TokenAt(spec, d);
        ASSERT_NE(t, nullptr);
        EXPECT_FALSE(t->literal);
        EXPECT_EQ(t->offset, d);
        EXPECT_EQ(t->length, 10u);
        EXPECT_EQ(t->shortForm, d <= 127) << "7-bit form exactly for offsets up to 127";
        // Bits: d literals (9 each), the match (2 + 7 or 11 + 8), a literal, the end marker.
        const size_t bits = 9 * d + 2 + (d <= 127 ? 7 : 11) + 8 + 9 + 9;
        EXPECT_EQ(c.size(), (bits + 7) / 8);
        Bytes out;
        ASSERT_TRUE(lzs.Decompress(c.data(), c.size(), out));
        EXPECT_EQ(out, in);
    }
}

TEST(LzsSpec, NothingMatchesBeyondTheWindow)
{
    // The repeat is 2048 bytes back: out of reach of an 11-bit offset, so everything is literal.
    LzsCompressor lzs;
    const Bytes in = PlantedMatch(2048, 40, 11);
    const Bytes c = lzs.Compress(in.data(), in.size());
    SpecResult spec = SpecDecode(c);
    ASSERT_TRUE(spec.ok);
    ASSERT_EQ(spec.out, in);
    for (const auto& t : spec.tokens)
    {
        EXPECT_TRUE(t.literal) << "match at " << t.pos << " offset " << t.offset;
    }
    EXPECT_EQ(c.size(), LzsBound(in.size()));
}

TEST(LzsSpec, LongMatchesAcrossTheWholeWindow)
{
    // 2047 unique bytes followed by the same 2047 bytes: one match at offset 2047 covers them.
    LzsCompressor lzs;
    const Bytes r = UniquePairs(2047, 3);
    Bytes in = r;
    in.insert(in.end(), r.begin(), r.end());
    const Bytes c = lzs.Compress(in.data(), in.size());
    SpecResult spec = SpecDecode(c);
    ASSERT_TRUE(spec.ok);
    ASSERT_EQ(spec.out, in);
    const Token* t = TokenAt(spec, 2047);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->offset, 2047u);
    EXPECT_EQ(t->length, 2047u);
}

// --- LZS: round trips -----------------------------------------------------------------------

TEST(LzsRoundTrip, AllKindsAndSizes)
{
    LzsCompressor lzs;
    for (Kind k : kAllKinds)
    {
        for (size_t n : kSizes)
        {
            SCOPED_TRACE(std::string(KindName(k)) + " " + std::to_string(n));
            const Bytes in = Payload(k, n);
            const Bytes c = lzs.Compress(in.data(), in.size());
            EXPECT_LE(c.size(), LzsBound(n));
            Bytes out;
            ASSERT_TRUE(lzs.Decompress(c.data(), c.size(), out));
            EXPECT_EQ(out, in);
            SpecResult spec = SpecDecode(c);
            ASSERT_TRUE(spec.ok);
            EXPECT_EQ(spec.out, in);
        }
    }
}

TEST(LzsRoundTrip, CompressibleInputsShrink)
{
    LzsCompressor lzs;
    for (Kind k : kAllKinds)
    {
        if (k == Kind::Random)
        {
            continue;
        }
        for (size_t n : {100u, 1400u, 1500u, 9000u, 65535u})
        {
            SCOPED_TRACE(std::string(KindName(k)) + " " + std::to_string(n));
            const Bytes in = Payload(k, n);
            const Bytes c = lzs.Compress(in.data(), in.size());
            if (n >= 1400 || k == Kind::Zeros || k == Kind::Repetitive)
            {
                // 100 bytes of prose or headers hold too few repeats for a fresh history.
                EXPECT_LT(c.size(), n);
            }
            if (n >= 1400)
            {
                EXPECT_LT(c.size() * 10, n * 7) << "expected at least 30% saving";
            }
        }
    }
    // Runs are bounded by the length code (4 bits per 15 bytes): about 30:1 at best.
    const Bytes zeros = Payload(Kind::Zeros, 65535);
    EXPECT_LT(lzs.Compress(zeros.data(), zeros.size()).size(), 65535u / 25);
}

TEST(LzsRoundTrip, RandomDataExpansionIsBounded)
{
    LzsCompressor lzs;
    std::mt19937 rng(42);
    for (int i = 0; i < 300; ++i)
    {
        const size_t n = i < 200 ? static_cast<size_t>(i) : rng() % 20000;
        Bytes in(n);
        for (auto& b : in)
        {
            b = static_cast<uint8_t>(rng());
        }
        const Bytes c = lzs.Compress(in.data(), in.size());
        ASSERT_LE(c.size(), LzsBound(n)) << n;
        Bytes out;
        ASSERT_TRUE(lzs.Decompress(c.data(), c.size(), out));
        ASSERT_EQ(out, in);
    }
}

TEST(LzsRoundTrip, SmallAlphabetsAgainstSpecDecoder)
{
    // Few distinct bytes give dense, overlapping, short and long matches at every offset.
    LzsCompressor lzs;
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i)
    {
        const size_t n = rng() % (i % 10 == 0 ? 9000 : 600);
        const unsigned alphabet = 1 + rng() % 6;
        Bytes in(n);
        for (auto& b : in)
        {
            b = static_cast<uint8_t>('a' + rng() % alphabet);
        }
        const Bytes c = lzs.Compress(in.data(), in.size());
        ASSERT_LE(c.size(), LzsBound(n));
        SpecResult spec = SpecDecode(c);
        ASSERT_TRUE(spec.ok) << i;
        ASSERT_EQ(spec.out, in) << i;
        for (const auto& t : spec.tokens)
        {
            ASSERT_TRUE(t.literal || (t.offset >= 1 && t.offset <= 2047));
        }
        Bytes out;
        ASSERT_TRUE(lzs.Decompress(c.data(), c.size(), out));
        ASSERT_EQ(out, in);
    }
}

TEST(LzsRoundTrip, StatelessAcrossDatagrams)
{
    // RFC 2395 2.1 / RFC 3173 2.1: no history survives from one payload to the next.
    LzsCompressor lzs;
    const Bytes a = Payload(Kind::Text, 1500, 1);
    const Bytes b = Payload(Kind::Http, 1500, 2);
    const Bytes ca = lzs.Compress(a.data(), a.size());
    lzs.Compress(b.data(), b.size());
    EXPECT_EQ(lzs.Compress(a.data(), a.size()), ca);
    LzsCompressor fresh;
    Bytes out;
    ASSERT_TRUE(fresh.Decompress(ca.data(), ca.size(), out));
    EXPECT_EQ(out, a);
    EXPECT_EQ(lzs.Algorithm(), CompressionAlgorithm::LZS);
}

// --- LZS: hostile input ---------------------------------------------------------------------

TEST(LzsDecompress, EmptyAndNullInput)
{
    LzsCompressor lzs;
    Bytes out{1, 2, 3};
    EXPECT_FALSE(lzs.Decompress(nullptr, 0, out));
    EXPECT_TRUE(out.empty());
    const uint8_t zero = 0;
    EXPECT_FALSE(lzs.Decompress(&zero, 1, out));
    EXPECT_FALSE(lzs.Decompress(nullptr, 5, out));
}

TEST(LzsDecompress, OffsetBeyondOutputIsRejected)
{
    LzsCompressor lzs;
    Bytes out;
    for (const std::string& bits : {
             std::string("11 0000001 00") + kEnd,              // a copy before any output
             Lit('a') + "11 0000010 00" + kEnd,                // offset 2 after 1 byte
             Lit('a') + Lit('b') + "10 00000000011 00" + kEnd, // 11-bit offset 3 after 2 bytes
             Lit('a') + "10 11111111111 1111 0000" + kEnd,     // offset 2047 after 1 byte
         })
    {
        const Bytes s = Bits(bits);
        EXPECT_FALSE(lzs.Decompress(s.data(), s.size(), out)) << bits;
        EXPECT_TRUE(out.empty());
        EXPECT_FALSE(SpecDecode(s).ok);
    }
}

TEST(LzsDecompress, OutputLimit)
{
    LzsCompressor lzs;
    const Bytes in = Payload(Kind::Text, 1500);
    const Bytes c = lzs.Compress(in.data(), in.size());
    Bytes out;
    EXPECT_TRUE(lzs.Decompress(c.data(), c.size(), out, 1500));
    EXPECT_EQ(out, in);
    EXPECT_FALSE(lzs.Decompress(c.data(), c.size(), out, 1499));
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(lzs.Decompress(c.data(), c.size(), out, 0));

    // A literal and a copy that each step over the limit by one byte.
    const Bytes lits = Bits(Lit('a') + Lit('b') + Lit('c') + kEnd);
    EXPECT_TRUE(lzs.Decompress(lits.data(), lits.size(), out, 3));
    EXPECT_FALSE(lzs.Decompress(lits.data(), lits.size(), out, 2));
    const Bytes copy = Bits(Lit('a') + "11 0000001 1111 0000" + kEnd); // 9 bytes
    EXPECT_TRUE(lzs.Decompress(copy.data(), copy.size(), out, 9));
    EXPECT_FALSE(lzs.Decompress(copy.data(), copy.size(), out, 8));

    // 65535 zeros decompress within the default IPv4 limit.
    const Bytes zeros = Payload(Kind::Zeros, 65535);
    const Bytes cz = lzs.Compress(zeros.data(), zeros.size());
    EXPECT_TRUE(lzs.Decompress(cz.data(), cz.size(), out));
    EXPECT_EQ(out.size(), 65535u);
    EXPECT_FALSE(lzs.Decompress(cz.data(), cz.size(), out, 65534));
}

TEST(LzsDecompress, HugeExtendedLength)
{
    // 'A' then a copy whose length has 10000 nibbles of 1111: 8 + 15 * 10000 bytes.
    std::string bits = Lit('A') + "11 0000001 1111";
    for (int i = 0; i < 10000; ++i)
    {
        bits += "1111";
    }
    bits += "0000" + kEnd;
    const Bytes s = Bits(bits);
    LzsCompressor lzs;
    Bytes out;
    EXPECT_FALSE(lzs.Decompress(s.data(), s.size(), out)); // over 65535
    EXPECT_TRUE(out.empty());
    ASSERT_TRUE(lzs.Decompress(s.data(), s.size(), out, 200000));
    EXPECT_EQ(out, Bytes(1 + 8 + 15 * 10000, 'A'));
    // An unterminated run of 1111 nibbles is truncated, not an endless loop.
    const Bytes open = Bits(Lit('A') + "11 0000001 1111 1111 1111 1111 1111 1111 1111 1111");
    EXPECT_FALSE(lzs.Decompress(open.data(), open.size(), out, size_t(1) << 30));
}

TEST(LzsDecompress, EveryProperPrefixIsRejected)
{
    LzsCompressor lzs;
    for (Kind k : kAllKinds)
    {
        const Bytes in = Payload(k, 700);
        const Bytes c = lzs.Compress(in.data(), in.size());
        Bytes out;
        for (size_t n = 0; n < c.size(); ++n)
        {
            ASSERT_FALSE(lzs.Decompress(c.data(), n, out)) << KindName(k) << " prefix " << n;
        }
    }
}

TEST(LzsDecompress, MutatedStreamsAgreeWithSpecDecoder)
{
    LzsCompressor lzs;
    std::mt19937 rng(2024);
    std::vector<Bytes> bases;
    for (Kind k : kAllKinds)
    {
        for (size_t n : {0u, 3u, 100u, 1500u})
        {
            const Bytes in = Payload(k, n, 3);
            bases.push_back(lzs.Compress(in.data(), in.size()));
        }
    }
    size_t accepted = 0;
    const int kRounds = 20000;
    for (int i = 0; i < kRounds; ++i)
    {
        const Bytes s = Mutate(bases[rng() % bases.size()], rng);
        const size_t maxOut = (i % 3 == 0) ? rng() % 2000 : 65535;
        Bytes out;
        const bool ok = lzs.Decompress(s.data(), s.size(), out, maxOut);
        ASSERT_LE(out.size(), maxOut);
        SpecResult spec = SpecDecode(s, maxOut);
        ASSERT_EQ(ok, spec.ok) << "round " << i;
        if (ok)
        {
            ASSERT_EQ(out, spec.out) << "round " << i;
            ++accepted;
        }
        else
        {
            ASSERT_TRUE(out.empty());
        }
    }
    // Both outcomes must actually occur for the comparison to mean something.
    EXPECT_GT(accepted, 100u);
    EXPECT_LT(accepted, static_cast<size_t>(kRounds) - 100);
}

TEST(LzsDecompress, RandomGarbageAgreesWithSpecDecoder)
{
    LzsCompressor lzs;
    std::mt19937 rng(99);
    for (int i = 0; i < 20000; ++i)
    {
        Bytes s(rng() % 300);
        for (auto& b : s)
        {
            b = static_cast<uint8_t>(rng());
        }
        Bytes out;
        const bool ok = lzs.Decompress(s.data(), s.size(), out, 4096);
        ASSERT_LE(out.size(), 4096u);
        SpecResult spec = SpecDecode(s, 4096);
        ASSERT_EQ(ok, spec.ok) << i;
        if (ok)
        {
            ASSERT_EQ(out, spec.out);
        }
    }
}

// --- DEFLATE --------------------------------------------------------------------------------

// Produced once, independently of this code, with CPython 3 / zlib 1.2.13:
//   t = b"IPComp (RFC 3173) with DEFLATE (RFC 2394): a raw RFC 1951 stream, no zlib header, "
//       b"no Adler-32. " * 3
//   c = zlib.compressobj(level=9, wbits=-15); c.compress(t) + c.flush()
const uint8_t kPythonDeflate[] = {
    0xf3, 0x0c, 0x70, 0xce, 0xcf, 0x2d, 0x50, 0xd0, 0x08, 0x72, 0x73, 0x56, 0x30, 0x36, 0x34, 0x37,
    0xd6, 0x54, 0x28, 0xcf, 0x2c, 0xc9, 0x50, 0x70, 0x71, 0x75, 0xf3, 0x71, 0x0c, 0x71, 0x85, 0x88,
    0x1b, 0x19, 0x5b, 0x9a, 0x68, 0x5a, 0x29, 0x24, 0x2a, 0x14, 0x25, 0x96, 0x2b, 0x80, 0x04, 0x0c,
    0x2d, 0x4d, 0x0d, 0x15, 0x8a, 0x4b, 0x8a, 0x52, 0x13, 0x73, 0x75, 0x14, 0xf2, 0xf2, 0x15, 0xaa,
    0x72, 0x32, 0x93, 0x14, 0x32, 0x52, 0x13, 0x53, 0x52, 0x8b, 0xc0, 0x7c, 0xc7, 0x94, 0x9c, 0xd4,
    0x22, 0x5d, 0x63, 0x23, 0x3d, 0x05, 0xcf, 0x21, 0x6d, 0x3c, 0x00,
};
// Same tool, level=0 (a stored block) of b"RFC 2394 stored block".
const uint8_t kPythonStored[] = {0x01, 0x15, 0x00, 0xea, 0xff, 0x52, 0x46, 0x43, 0x20,
                                 0x32, 0x33, 0x39, 0x34, 0x20, 0x73, 0x74, 0x6f, 0x72,
                                 0x65, 0x64, 0x20, 0x62, 0x6c, 0x6f, 0x63, 0x6b};
// Same tool, level=1 (a fixed-Huffman block) of b"abcabcabcabcabcabc fixed Huffman".
const uint8_t kPythonFixed[] = {0x4b, 0x4c, 0x4a, 0x4e, 0x44, 0x45, 0x0a, 0x69, 0x99, 0x15, 0xa9,
                                0x29, 0x0a, 0x1e, 0xa5, 0x69, 0x69, 0xb9, 0x89, 0x79, 0x00};

std::string
PythonText()
{
    std::string t;
    for (int i = 0; i < 3; ++i)
    {
        t += "IPComp (RFC 3173) with DEFLATE (RFC 2394): a raw RFC 1951 stream, no zlib header, "
             "no Adler-32. ";
    }
    return t;
}

TEST(DeflateKnownAnswer, PythonZlibRawStreams)
{
    DeflateCompressor d;
    Bytes out;
    ASSERT_TRUE(d.Decompress(kPythonDeflate, sizeof(kPythonDeflate), out));
    EXPECT_EQ(std::string(out.begin(), out.end()), PythonText());
    EXPECT_EQ(out.size(), 285u);
    ASSERT_TRUE(d.Decompress(kPythonStored, sizeof(kPythonStored), out));
    EXPECT_EQ(std::string(out.begin(), out.end()), "RFC 2394 stored block");
    ASSERT_TRUE(d.Decompress(kPythonFixed, sizeof(kPythonFixed), out));
    EXPECT_EQ(std::string(out.begin(), out.end()), "abcabcabcabcabcabc fixed Huffman");
    for (size_t n = 0; n < sizeof(kPythonDeflate); ++n)
    {
        EXPECT_FALSE(d.Decompress(kPythonDeflate, n, out)) << "prefix " << n;
    }
}

TEST(DeflateKnownAnswer, OurStreamIsRawDeflate)
{
    DeflateCompressor d;
    // zlib's raw encoding of nothing: one final fixed-Huffman block holding only end-of-block.
    EXPECT_EQ(d.Compress(nullptr, 0), Bytes({0x03, 0x00}));
    const std::string t = PythonText();
    const Bytes c = d.Compress(reinterpret_cast<const uint8_t*>(t.data()), t.size());
    ASSERT_GE(c.size(), 2u);
    // RFC 1950 would start with CMF 0x78 and a FCHECK making CMF*256+FLG a multiple of 31.
    EXPECT_FALSE(c[0] == 0x78 && (c[0] * 256 + c[1]) % 31 == 0);
    Bytes out;
    ASSERT_TRUE(d.Decompress(c.data(), c.size(), out));
    EXPECT_EQ(std::string(out.begin(), out.end()), t);
}

TEST(DeflateKnownAnswer, ZlibWrappedStreamIsRejected)
{
    // zlib.compress(t) of the same text starts 78 9c: read as raw deflate that is a stored block
    // whose LEN/NLEN do not match.
    DeflateCompressor d;
    Bytes wrapped = {0x78, 0x9c};
    wrapped.insert(wrapped.end(), std::begin(kPythonDeflate), std::end(kPythonDeflate));
    Bytes out;
    EXPECT_FALSE(d.Decompress(wrapped.data(), wrapped.size(), out));
    EXPECT_TRUE(out.empty());
}

TEST(DeflateRoundTrip, AllKindsAndSizes)
{
    DeflateCompressor d;
    for (Kind k : kAllKinds)
    {
        for (size_t n : kSizes)
        {
            SCOPED_TRACE(std::string(KindName(k)) + " " + std::to_string(n));
            const Bytes in = Payload(k, n);
            const Bytes c = d.Compress(in.data(), in.size());
            // Stored blocks bound the expansion: 5 bytes per 16 KB-ish block plus a little.
            EXPECT_LE(c.size(), n + 5 * (n / 16000 + 1) + 8);
            Bytes out;
            ASSERT_TRUE(d.Decompress(c.data(), c.size(), out));
            EXPECT_EQ(out, in);
        }
    }
}

TEST(DeflateRoundTrip, CompressibleInputsShrink)
{
    DeflateCompressor d;
    for (Kind k : kAllKinds)
    {
        if (k == Kind::Random)
        {
            continue;
        }
        for (size_t n : {100u, 1400u, 1500u, 9000u, 65535u})
        {
            SCOPED_TRACE(std::string(KindName(k)) + " " + std::to_string(n));
            const Bytes in = Payload(k, n);
            const Bytes c = d.Compress(in.data(), in.size());
            if (n >= 1400 || k == Kind::Zeros || k == Kind::Repetitive)
            {
                EXPECT_LT(c.size(), n);
            }
            if (n >= 1400)
            {
                EXPECT_LT(c.size() * 10, n * 7);
            }
        }
    }
}

TEST(DeflateRoundTrip, StatelessAcrossDatagrams)
{
    DeflateCompressor d;
    const Bytes a = Payload(Kind::Text, 1500, 1);
    const Bytes b = Payload(Kind::Http, 1500, 2);
    const Bytes ca = d.Compress(a.data(), a.size());
    d.Compress(b.data(), b.size());
    EXPECT_EQ(d.Compress(a.data(), a.size()), ca);
    DeflateCompressor fresh;
    Bytes out;
    ASSERT_TRUE(fresh.Decompress(ca.data(), ca.size(), out));
    EXPECT_EQ(out, a);
    EXPECT_EQ(d.Algorithm(), CompressionAlgorithm::DEFLATE);
}

TEST(DeflateDecompress, EmptyNullAndTruncated)
{
    DeflateCompressor d;
    Bytes out{9};
    EXPECT_FALSE(d.Decompress(nullptr, 0, out));
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(d.Decompress(nullptr, 3, out));
    for (Kind k : kAllKinds)
    {
        const Bytes in = Payload(k, 1500);
        const Bytes c = d.Compress(in.data(), in.size());
        for (size_t n = 0; n < c.size(); ++n)
        {
            ASSERT_FALSE(d.Decompress(c.data(), n, out)) << KindName(k) << " prefix " << n;
            ASSERT_TRUE(out.empty());
        }
    }
}

TEST(DeflateDecompress, OutputLimit)
{
    DeflateCompressor d;
    const Bytes in = Payload(Kind::Text, 1500);
    const Bytes c = d.Compress(in.data(), in.size());
    Bytes out;
    EXPECT_TRUE(d.Decompress(c.data(), c.size(), out, 1500));
    EXPECT_EQ(out, in);
    EXPECT_FALSE(d.Decompress(c.data(), c.size(), out, 1499));
    EXPECT_TRUE(out.empty());
    EXPECT_FALSE(d.Decompress(c.data(), c.size(), out, 0));
    // A small payload that inflates to 1 MB must stop at the limit (a "zip bomb").
    const Bytes big(size_t(1) << 20, 0);
    const Bytes cb = d.Compress(big.data(), big.size());
    EXPECT_LT(cb.size(), 2000u);
    EXPECT_FALSE(d.Decompress(cb.data(), cb.size(), out));
    EXPECT_TRUE(out.empty());
    ASSERT_TRUE(d.Decompress(cb.data(), cb.size(), out, big.size()));
    EXPECT_EQ(out, big);
}

TEST(DeflateDecompress, MutatedStreamsNeverOverrun)
{
    DeflateCompressor d;
    std::mt19937 rng(77);
    std::vector<Bytes> bases;
    for (Kind k : kAllKinds)
    {
        for (size_t n : {0u, 3u, 100u, 1500u})
        {
            const Bytes in = Payload(k, n, 4);
            bases.push_back(d.Compress(in.data(), in.size()));
        }
    }
    size_t accepted = 0;
    for (int i = 0; i < 10000; ++i)
    {
        const Bytes s = Mutate(bases[rng() % bases.size()], rng);
        const size_t maxOut = (i % 3 == 0) ? rng() % 2000 : 65535;
        Bytes out;
        const bool ok = d.Decompress(s.data(), s.size(), out, maxOut);
        ASSERT_LE(out.size(), maxOut);
        if (ok)
        {
            ++accepted;
        }
        else
        {
            ASSERT_TRUE(out.empty());
        }
    }
    EXPECT_GT(accepted, 0u);
    for (int i = 0; i < 10000; ++i)
    {
        Bytes s(rng() % 300);
        for (auto& b : s)
        {
            b = static_cast<uint8_t>(rng());
        }
        Bytes out;
        d.Decompress(s.data(), s.size(), out, 4096);
        ASSERT_LE(out.size(), 4096u);
    }
}

// --- factory ----------------------------------------------------------------------------------

TEST(MakeCompressor, KnownAlgorithms)
{
    auto lzs = MakeCompressor(CompressionAlgorithm::LZS);
    ASSERT_NE(lzs, nullptr);
    EXPECT_EQ(lzs->Algorithm(), CompressionAlgorithm::LZS);
    EXPECT_NE(dynamic_cast<LzsCompressor*>(lzs.get()), nullptr);
    auto deflate = MakeCompressor(CompressionAlgorithm::DEFLATE);
    ASSERT_NE(deflate, nullptr);
    EXPECT_EQ(deflate->Algorithm(), CompressionAlgorithm::DEFLATE);
    EXPECT_NE(dynamic_cast<DeflateCompressor*>(deflate.get()), nullptr);

    // Through the base interface, with the default output limit.
    const Bytes in = Payload(Kind::IpUdp, 1400);
    for (Compressor* c : {lzs.get(), deflate.get()})
    {
        const Bytes z = c->Compress(in.data(), in.size());
        Bytes out;
        ASSERT_TRUE(c->Decompress(z.data(), z.size(), out));
        EXPECT_EQ(out, in);
    }
}

TEST(MakeCompressor, RejectsOuiAndUnknown)
{
    EXPECT_THROW(MakeCompressor(CompressionAlgorithm::OUI), std::invalid_argument);
    EXPECT_THROW(MakeCompressor(static_cast<CompressionAlgorithm>(0)), std::invalid_argument);
    EXPECT_THROW(MakeCompressor(static_cast<CompressionAlgorithm>(4)), std::invalid_argument);
    EXPECT_THROW(MakeCompressor(static_cast<CompressionAlgorithm>(0xFFFF)), std::invalid_argument);
}

} // namespace
