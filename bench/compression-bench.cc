// IPComp compressors side by side: LZS (ours) against DEFLATE (zlib) on packet-sized payloads of
// different kinds, in one run. Prints microseconds per packet, compressed size, and the ratios.
//
//   compression-bench [--iterations=N]
#include "ns3/compression.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace ns3::ipsec;

namespace
{
std::vector<uint8_t>
Payload(const std::string& kind, size_t n)
{
    std::vector<uint8_t> b(n);
    uint32_t x = 12345;
    const char* text = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: */*\r\n"
                       "User-Agent: ns3-ipsec\r\n\r\nThe quick brown fox jumps over the lazy dog. ";
    for (size_t i = 0; i < n; ++i)
    {
        x = x * 1103515245u + 12345u;
        if (kind == "random")
        {
            b[i] = static_cast<uint8_t>(x >> 16);
        }
        else if (kind == "text")
        {
            b[i] = static_cast<uint8_t>(text[i % std::strlen(text)]);
        }
        else
        {
            b[i] = 0;
        }
    }
    return b;
}

struct Result
{
    double compressUs;
    double decompressUs;
    size_t size;
};

Result
Measure(Compressor& c, const std::vector<uint8_t>& in, int iterations)
{
    using Clock = std::chrono::steady_clock;
    size_t size = 0;
    auto t0 = Clock::now();
    for (int i = 0; i < iterations; ++i)
    {
        size = c.Compress(in.data(), in.size()).size();
    }
    auto t1 = Clock::now();
    std::vector<uint8_t> z = c.Compress(in.data(), in.size());
    std::vector<uint8_t> out;
    for (int i = 0; i < iterations; ++i)
    {
        if (!c.Decompress(z.data(), z.size(), out) || out != in)
        {
            std::fprintf(stderr, "round trip failed\n");
            std::exit(1);
        }
    }
    auto t2 = Clock::now();
    auto us = [&](auto a, auto b)
    { return std::chrono::duration<double, std::micro>(b - a).count() / iterations; };
    return {us(t0, t1), us(t1, t2), size};
}
} // namespace

int
main(int argc, char** argv)
{
    int iterations = 3000;
    for (int i = 1; i < argc; ++i)
    {
        if (std::strncmp(argv[i], "--iterations=", 13) == 0)
        {
            iterations = std::max(1, std::atoi(argv[i] + 13));
        }
    }
    LzsCompressor lzs;
    DeflateCompressor deflate;
    std::printf("%-8s %6s | %-28s | %-28s | %s\n", "payload", "bytes", "LZS (us comp/decomp, size)",
                "DEFLATE (us comp/decomp, size)", "LZS/DEFLATE time");
    for (const char* kind : {"text", "zeros", "random"})
    {
        for (size_t n : {64, 512, 1400})
        {
            auto in = Payload(kind, n);
            Result l = Measure(lzs, in, iterations);
            Result d = Measure(deflate, in, iterations);
            std::printf("%-8s %6zu | %7.2f %7.2f %8zu     | %7.2f %7.2f %8zu     | comp %.2f  "
                        "decomp %.2f\n",
                        kind, n, l.compressUs, l.decompressUs, l.size, d.compressUs, d.decompressUs,
                        d.size, l.compressUs / d.compressUs, l.decompressUs / d.decompressUs);
        }
    }
    return 0;
}
