// ESP throughput benchmark: our EspTransform against raw OpenSSL EVP doing the same work.
//
// For 1400-byte payloads and each of AES-128-CBC + HMAC-SHA1-96, 3DES-CBC + HMAC-SHA1-96 and
// AES-128-GCM (RFC 4106, 16-byte ICV), measures packets/s for
//   ours/protect    EspTransform::Protect (ns-3 Packet in, ns-3 Packet out)
//   raw/protect     ESP header, fresh IV from a DeterministicByteSource, payload + RFC 4303
//                   padding + trailer CBC-encrypted, HMAC-SHA1 over header || IV || ciphertext
//                   truncated to 12 bytes (GCM: sealed with SPI || sequence number as AAD, the
//                   16-byte tag as ICV); EVP contexts keyed once, re-initialised per packet
//   ours/unprotect  EspTransform::Unprotect on an inbound SA with a 64-packet replay window
//   raw/unprotect   HMAC verify (constant-time compare), CBC decrypt, trailer and padding check
//                   (GCM: open and verify the tag, trailer and padding check)
// Within each round ours and raw run batch by batch, alternating in ABBA order, until each has
// --seconds of timed work, so machine noise hits both alike; rates are the median of the rounds
// and the ratio is the median of the per-round ours/raw ratios. Unprotect needs a fresh sequence
// number per packet (replay window), so each batch is protected untimed, then unprotected timed.
//
//   esp-bench [--seconds=0.3] [--rounds=5] [--batch=128] [--quick] [--json=FILE]
//             [--only=aes|3des|gcm] [--dir=protect|unprotect] [--impl=both|ours|raw]
//
// --only/--dir/--impl restrict what runs (e.g. for profiling one path under callgrind).
// MB/s counts payload bytes (the 1400-byte inner packet), 1 MB = 10^6 bytes.
//
// The measurement runs after an empty Simulator::Run(), as the ESP path does in a simulation:
// before the first Run, ns-3 records every Time object it constructs in a std::set (so that
// Time::SetResolution can convert them), and the Simulator::Now() of each packet's counters
// would cost a set insertion and removal that a running simulation does not have.
#include "bench-stats.h"
#include "ns3/byte-source.h"
#include "ns3/cipher.h"
#include "ns3/ipsec-sa.h"
#include "ns3/ipsec-transforms.h"

#include "ns3/command-line.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ns3;
using namespace ns3::benchstats;

namespace
{

constexpr uint32_t kPayload = 1400;
constexpr uint8_t kNextHeader = 4; // IPv4 in tunnel mode
constexpr uint32_t kSpi = 0x1234;

[[noreturn]] void
Fail(const std::string& what)
{
    throw std::runtime_error(what);
}

struct AlgoPair
{
    std::string id;    //!< short id for --only and JSON
    std::string label; //!< table label
    ipsec::CipherAlgorithm cipher;
    const char* evpCipher;
    size_t keyLen; //!< key material: for GCM the AES key and the 4-byte salt
    size_t ivLen;  //!< explicit IV per packet
    size_t align;  //!< padding block: the cipher block for CBC, 4 for GCM
    bool aead;     //!< GCM: no separate HMAC, the tag is the ICV
    size_t icvLen; //!< 12 for HMAC-SHA1-96, 16 for the GCM tag
};

std::vector<uint8_t>
Pattern(size_t len, uint8_t seed)
{
    std::vector<uint8_t> v(len);
    for (size_t i = 0; i < len; ++i)
    {
        v[i] = static_cast<uint8_t>(seed + i * 7);
    }
    return v;
}

// -------------------------------------------------------------------------------- raw EVP path

/** The same ESP work done directly with EVP on plain byte buffers. */
class RawEsp
{
public:
    RawEsp(const AlgoPair& a, const std::vector<uint8_t>& ckey, const std::vector<uint8_t>& akey,
           const std::string& rngLabel)
        : m_a(a), m_rng(1, 1, rngLabel)
    {
        EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, a.evpCipher, nullptr);
        if (c == nullptr)
        {
            Fail(std::string("raw: cannot fetch ") + a.evpCipher);
        }
        m_enc = EVP_CIPHER_CTX_new();
        m_dec = EVP_CIPHER_CTX_new();
        if (EVP_CipherInit_ex2(m_enc, c, ckey.data(), nullptr, 1, nullptr) != 1 ||
            EVP_CipherInit_ex2(m_dec, c, ckey.data(), nullptr, 0, nullptr) != 1 ||
            (!a.aead && (EVP_CIPHER_CTX_set_padding(m_enc, 0) != 1 ||
                         EVP_CIPHER_CTX_set_padding(m_dec, 0) != 1)))
        {
            Fail("raw: cipher init failed");
        }
        EVP_CIPHER_free(c);
        if (a.aead)
        {
            // RFC 4106 4: the last 4 bytes of the key material are the nonce's salt.
            std::memcpy(m_salt, ckey.data() + ckey.size() - 4, 4);
            return;
        }
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        if (mac == nullptr)
        {
            Fail("raw: cannot fetch HMAC");
        }
        m_mac = EVP_MAC_CTX_new(mac);
        EVP_MAC_free(mac);
        char digest[] = "SHA1";
        OSSL_PARAM params[2] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                OSSL_PARAM_construct_end()};
        // Keyed once; per packet EVP_MAC_init(ctx, NULL, 0, NULL) restarts with the same key.
        if (m_mac == nullptr || EVP_MAC_init(m_mac, akey.data(), akey.size(), params) != 1)
        {
            Fail("raw: HMAC init failed");
        }
    }

    ~RawEsp()
    {
        EVP_CIPHER_CTX_free(m_enc);
        EVP_CIPHER_CTX_free(m_dec);
        EVP_MAC_CTX_free(m_mac);
    }

    RawEsp(const RawEsp&) = delete;
    RawEsp& operator=(const RawEsp&) = delete;

    /** Size of the ESP packet for a payload of @p len bytes. */
    size_t WireSize(size_t len) const
    {
        return 8 + m_a.ivLen + PtLen(len) + m_a.icvLen;
    }

    // noinline (one call per packet, negligible) keeps these visible to callgrind and perf.
    /** Protect @p len bytes of @p payload into @p out (WireSize(len) bytes); returns the size. */
    __attribute__((noinline)) size_t Protect(const uint8_t* payload, size_t len, uint8_t nextHeader,
                                             uint8_t* out)
    {
        const size_t ptLen = PtLen(len);
        const uint8_t pad = static_cast<uint8_t>(ptLen - len - 2);
        const uint32_t seq = ++m_seq;
        PutBe32(out, kSpi);
        PutBe32(out + 4, seq);
        uint8_t* iv = out + 8;
        m_rng.Fill(iv, m_a.ivLen);
        uint8_t* ct = iv + m_a.ivLen;
        // Plaintext assembled in place: payload, padding 1, 2, ..., pad length, next header.
        std::memcpy(ct, payload, len);
        for (uint8_t k = 1; k <= pad; ++k)
        {
            ct[len + k - 1] = k;
        }
        ct[len + pad] = pad;
        ct[len + pad + 1] = nextHeader;
        if (m_a.aead)
        {
            Seal(out, iv, ct, ptLen);
        }
        else
        {
            EncryptAndMac(out, iv, ct, ptLen);
        }
        return 8 + m_a.ivLen + ptLen + m_a.icvLen;
    }

    /**
     * Verify and decrypt the ESP packet @p in (@p size bytes) into @p out (at least size bytes).
     * @return the inner payload length, or -1 on any failure (ICV, length, padding).
     */
    __attribute__((noinline)) long Unprotect(const uint8_t* in, size_t size, uint8_t* out,
                                             uint8_t* nextHeader)
    {
        if (size < 8 + m_a.ivLen + m_a.icvLen + 2)
        {
            return -1;
        }
        const size_t ctLen = size - 8 - m_a.ivLen - m_a.icvLen;
        if (ctLen % m_a.align != 0)
        {
            return -1;
        }
        const bool ok = m_a.aead ? Open(in, ctLen, out) : VerifyAndDecrypt(in, ctLen, out);
        if (!ok)
        {
            return -1;
        }
        const uint8_t pad = out[ctLen - 2];
        if (size_t(pad) + 2 > ctLen)
        {
            return -1;
        }
        const size_t inner = ctLen - pad - 2;
        for (uint8_t k = 1; k <= pad; ++k)
        {
            if (out[inner + k - 1] != k)
            {
                return -1;
            }
        }
        *nextHeader = out[ctLen - 1];
        return static_cast<long>(inner);
    }

private:
    size_t PtLen(size_t len) const
    {
        return (len + 2 + m_a.align - 1) / m_a.align * m_a.align;
    }

    /** CBC-encrypt @p ptLen bytes at @p ct in place, then the HMAC over @p esp .. ct + ptLen. */
    void EncryptAndMac(uint8_t* esp, const uint8_t* iv, uint8_t* ct, size_t ptLen)
    {
        int outl = 0;
        if (EVP_CipherInit_ex2(m_enc, nullptr, nullptr, iv, -1, nullptr) != 1 ||
            EVP_CipherUpdate(m_enc, ct, &outl, ct, static_cast<int>(ptLen)) != 1 ||
            outl != static_cast<int>(ptLen))
        {
            Fail("raw: encrypt failed");
        }
        uint8_t mac[EVP_MAX_MD_SIZE];
        size_t macLen = 0;
        if (EVP_MAC_init(m_mac, nullptr, 0, nullptr) != 1 ||
            EVP_MAC_update(m_mac, esp, 8 + m_a.ivLen + ptLen) != 1 ||
            EVP_MAC_final(m_mac, mac, &macLen, sizeof(mac)) != 1)
        {
            Fail("raw: HMAC failed");
        }
        std::memcpy(ct + ptLen, mac, m_a.icvLen);
    }

    /** RFC 4106: nonce salt || IV, AAD SPI || sequence number, the tag after the ciphertext. */
    void Seal(const uint8_t* esp, const uint8_t* iv, uint8_t* ct, size_t ptLen)
    {
        uint8_t nonce[12];
        std::memcpy(nonce, m_salt, 4);
        std::memcpy(nonce + 4, iv, 8);
        int outl = 0;
        uint8_t scratch[16];
        OSSL_PARAM params[2] = {
            OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, ct + ptLen, m_a.icvLen),
            OSSL_PARAM_construct_end()};
        if (EVP_CipherInit_ex2(m_enc, nullptr, nullptr, nonce, -1, nullptr) != 1 ||
            EVP_CipherUpdate(m_enc, nullptr, &outl, esp, 8) != 1 ||
            EVP_CipherUpdate(m_enc, ct, &outl, ct, static_cast<int>(ptLen)) != 1 ||
            EVP_CipherFinal_ex(m_enc, scratch, &outl) != 1 ||
            EVP_CIPHER_CTX_get_params(m_enc, params) != 1)
        {
            Fail("raw: GCM seal failed");
        }
    }

    /** HMAC check over the ESP packet @p in, then CBC decrypt out of place into @p out. */
    bool VerifyAndDecrypt(const uint8_t* in, size_t ctLen, uint8_t* out)
    {
        uint8_t mac[EVP_MAX_MD_SIZE];
        size_t macLen = 0;
        if (EVP_MAC_init(m_mac, nullptr, 0, nullptr) != 1 ||
            EVP_MAC_update(m_mac, in, 8 + m_a.ivLen + ctLen) != 1 ||
            EVP_MAC_final(m_mac, mac, &macLen, sizeof(mac)) != 1)
        {
            Fail("raw: HMAC failed");
        }
        if (CRYPTO_memcmp(mac, in + 8 + m_a.ivLen + ctLen, m_a.icvLen) != 0)
        {
            return false;
        }
        int outl = 0;
        if (EVP_CipherInit_ex2(m_dec, nullptr, nullptr, in + 8, -1, nullptr) != 1 ||
            EVP_CipherUpdate(m_dec, out, &outl, in + 8 + m_a.ivLen, static_cast<int>(ctLen)) != 1 ||
            outl != static_cast<int>(ctLen))
        {
            Fail("raw: decrypt failed");
        }
        return true;
    }

    /** GCM open of the ESP packet @p in out of place into @p out; false if the tag is wrong. */
    bool Open(const uint8_t* in, size_t ctLen, uint8_t* out)
    {
        uint8_t nonce[12];
        std::memcpy(nonce, m_salt, 4);
        std::memcpy(nonce + 4, in + 8, 8);
        const uint8_t* tag = in + 8 + m_a.ivLen + ctLen;
        OSSL_PARAM params[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                                  const_cast<uint8_t*>(tag),
                                                                  m_a.icvLen),
                                OSSL_PARAM_construct_end()};
        int outl = 0;
        uint8_t scratch[16];
        if (EVP_CipherInit_ex2(m_dec, nullptr, nullptr, nonce, -1, nullptr) != 1 ||
            EVP_CIPHER_CTX_set_params(m_dec, params) != 1 ||
            EVP_CipherUpdate(m_dec, nullptr, &outl, in, 8) != 1 ||
            EVP_CipherUpdate(m_dec, out, &outl, in + 8 + m_a.ivLen, static_cast<int>(ctLen)) != 1)
        {
            Fail("raw: GCM open failed");
        }
        return EVP_CipherFinal_ex(m_dec, scratch, &outl) == 1;
    }

    static void PutBe32(uint8_t* p, uint32_t v)
    {
        p[0] = static_cast<uint8_t>(v >> 24);
        p[1] = static_cast<uint8_t>(v >> 16);
        p[2] = static_cast<uint8_t>(v >> 8);
        p[3] = static_cast<uint8_t>(v);
    }

    AlgoPair m_a;
    ipsec::DeterministicByteSource m_rng;
    uint8_t m_salt[4] = {};
    EVP_CIPHER_CTX* m_enc = nullptr;
    EVP_CIPHER_CTX* m_dec = nullptr;
    EVP_MAC_CTX* m_mac = nullptr;
    uint32_t m_seq = 0;
};

// ---------------------------------------------------------------------------- our ESP path

struct OurEsp
{
    Ptr<IpsecSa> out;
    Ptr<IpsecSa> in;
    ipsec::DeterministicByteSource rng;

    OurEsp(const AlgoPair& a, const std::vector<uint8_t>& ckey, const std::vector<uint8_t>& akey,
           const std::string& rngLabel)
        : rng(1, 1, rngLabel)
    {
        IpsecSaConfig c;
        c.protocol = IpsecProtocol::ESP;
        c.mode = IpsecMode::TUNNEL;
        c.spi = kSpi;
        c.source = Ipv4Address("172.16.0.1");
        c.destination = Ipv4Address("172.16.0.2");
        c.cipher = a.cipher;
        c.cipherKey = ckey;
        if (!a.aead)
        {
            c.auth = ipsec::AuthAlgorithm::HMAC_SHA1_96;
            c.authKey = akey;
        }
        c.replayWindow = 64;
        c.direction = IpsecDirection::OUTBOUND;
        out = IpsecSa::Create(c);
        c.direction = IpsecDirection::INBOUND;
        in = IpsecSa::Create(c);
    }

    Ptr<Packet> Protect(const Packet& p)
    {
        IpsecTransformResult r = EspTransform::Protect(*out, rng, p, kNextHeader);
        if (r.drop || !r.payload)
        {
            Fail("ours: Protect dropped the packet");
        }
        return r.payload;
    }
};

// ----------------------------------------------------------------------------- measurement

struct Options
{
    double seconds = 0.3;
    uint32_t rounds = 5;
    uint32_t batch = 128;
    uint32_t minPackets = 64;
    bool quick = false;
    std::string json;
    std::string only;
    std::string dir;
    std::string impl = "both";
};

using TimedBatch = std::function<double(uint32_t)>;

/**
 * One round: run the two timed batches (each processes n packets and returns the seconds spent
 * in its timed part) alternately, in ABBA order so slow drift and interference hit both alike,
 * until each has at least @p o.seconds of timed work and @p o.minPackets packets. A null
 * function is skipped. Returns packets/s of each (0 for a skipped one).
 */
std::pair<double, double>
MeasurePair(const Options& o, const TimedBatch& a, const TimedBatch& b)
{
    double ta = 0;
    double tb = 0;
    uint64_t na = 0;
    uint64_t nb = 0;
    auto need = [&](double t, uint64_t n) { return t < o.seconds || n < o.minPackets; };
    for (uint64_t step = 0; (a && need(ta, na)) || (b && need(tb, nb)); ++step)
    {
        const bool aFirst = step % 2 == 0;
        for (int k = 0; k < 2; ++k)
        {
            if ((k == 0) == aFirst)
            {
                if (a && need(ta, na))
                {
                    ta += a(o.batch);
                    na += o.batch;
                }
            }
            else if (b && need(tb, nb))
            {
                tb += b(o.batch);
                nb += o.batch;
            }
        }
    }
    return {a ? na / ta : 0.0, b ? nb / tb : 0.0};
}

struct Series
{
    std::vector<double> ours;
    std::vector<double> raw;
    std::vector<double> ratio; //!< per round, ours/raw measured side by side
};

/** Cross-check that both paths produce ESP the other accepts, with the same payload back. */
void
CrossCheck(const AlgoPair& a, const std::vector<uint8_t>& ckey, const std::vector<uint8_t>& akey,
           const std::vector<uint8_t>& payload)
{
    OurEsp ours(a, ckey, akey, "bench/check-ours");
    RawEsp raw(a, ckey, akey, "bench/check-raw");
    Ptr<Packet> p = Create<Packet>(payload.data(), kPayload);
    std::vector<uint8_t> wire(raw.WireSize(kPayload));
    std::vector<uint8_t> back(wire.size());
    uint8_t nh = 0;
    for (int i = 0; i < 3; ++i)
    {
        // ours -> raw
        Ptr<Packet> esp = ours.Protect(*p);
        if (esp->GetSize() != wire.size())
        {
            Fail(a.label + ": ours and raw disagree on the ESP size (" +
                 std::to_string(esp->GetSize()) + " vs " + std::to_string(wire.size()) + ")");
        }
        std::vector<uint8_t> bytes(esp->GetSize());
        esp->CopyData(bytes.data(), bytes.size());
        long n = raw.Unprotect(bytes.data(), bytes.size(), back.data(), &nh);
        if (n != long(kPayload) || nh != kNextHeader ||
            std::memcmp(back.data(), payload.data(), kPayload) != 0)
        {
            Fail(a.label + ": raw cannot unprotect what ours protected");
        }
        // raw -> ours
        size_t sz = raw.Protect(payload.data(), kPayload, kNextHeader, wire.data());
        Ptr<Packet> rp = Create<Packet>(wire.data(), static_cast<uint32_t>(sz));
        IpsecTransformResult r = EspTransform::Unprotect(*ours.in, *rp);
        std::vector<uint8_t> inner(kPayload);
        if (r.drop || !r.payload || r.payload->GetSize() != kPayload || r.nextHeader != kNextHeader)
        {
            Fail(a.label + ": ours cannot unprotect what raw protected");
        }
        r.payload->CopyData(inner.data(), kPayload);
        if (inner != payload)
        {
            Fail(a.label + ": ours unprotected different bytes");
        }
    }
}

/** What a run covers: the algorithm pairs, the directions and the implementations. */
struct Selection
{
    std::vector<AlgoPair> algos;
    std::vector<std::string> dirs;
    bool runOurs = true;
    bool runRaw = true;
};

/** One algorithm pair: both implementations, keyed alike, and the rates measured per direction. */
struct Bench
{
    AlgoPair algo;
    std::unique_ptr<OurEsp> ours;
    std::unique_ptr<RawEsp> raw;
    std::map<std::string, Series> series;
};

/** The 1400-byte payload, as bytes (for raw) and as an ns-3 Packet (for ours). */
struct Input
{
    std::vector<uint8_t> payload;
    Ptr<Packet> pkt;
};

/** Parse the command line into @p o; false (after a message) if a value is out of range. */
bool
ParseOptions(int argc, char* argv[], Options& o)
{
    CommandLine cmd(__FILE__);
    cmd.AddValue("seconds", "Timed seconds per measurement", o.seconds);
    cmd.AddValue("rounds", "Alternating rounds (median reported)", o.rounds);
    cmd.AddValue("batch", "Packets per timed batch (unprotect: pre-protected untimed)", o.batch);
    cmd.AddValue("quick", "Smoke test: tiny iteration counts", o.quick);
    cmd.AddValue("json", "Write the results to this JSON file", o.json);
    cmd.AddValue("only", "Run one algorithm only: aes, 3des or gcm", o.only);
    cmd.AddValue("dir", "Run one direction only: protect or unprotect", o.dir);
    cmd.AddValue("impl", "both, ours or raw", o.impl);
    cmd.Parse(argc, argv);
    if (o.quick)
    {
        o.seconds = 0.0;
        o.rounds = 1;
        o.batch = 16;
        o.minPackets = 16;
    }
    if (o.rounds == 0 || o.batch == 0 || o.seconds < 0)
    {
        std::cerr << "esp-bench: --rounds and --batch must be positive, --seconds >= 0\n";
        return false;
    }
    if (o.impl != "both" && o.impl != "ours" && o.impl != "raw")
    {
        std::cerr << "esp-bench: --impl must be both, ours or raw\n";
        return false;
    }
    return true;
}

/**
 * The algorithm pairs and directions that --only and --dir leave; false (after a message) if
 * one of them names none.
 */
bool
Select(const Options& o, Selection& sel)
{
    sel.runOurs = o.impl == "both" || o.impl == "ours";
    sel.runRaw = o.impl == "both" || o.impl == "raw";
    sel.algos = {
        {"aes", "AES-128-CBC + HMAC-SHA1-96", ipsec::CipherAlgorithm::AES_CBC_128, "AES-128-CBC",
         16, 16, 16, false, 12},
        {"3des", "3DES-CBC + HMAC-SHA1-96", ipsec::CipherAlgorithm::TDES_CBC, "DES-EDE3-CBC", 24, 8,
         8, false, 12},
        {"gcm", "AES-128-GCM (16-byte ICV)", ipsec::CipherAlgorithm::AES_GCM_128, "AES-128-GCM",
         16 + 4, 8, 4, true, 16},
    };
    if (!o.only.empty())
    {
        sel.algos.erase(std::remove_if(sel.algos.begin(), sel.algos.end(),
                                       [&](const AlgoPair& a) { return a.id != o.only; }),
                        sel.algos.end());
        if (sel.algos.empty())
        {
            std::cerr << "esp-bench: --only must be aes, 3des or gcm\n";
            return false;
        }
    }
    sel.dirs = {"protect", "unprotect"};
    if (!o.dir.empty())
    {
        if (o.dir != "protect" && o.dir != "unprotect")
        {
            std::cerr << "esp-bench: --dir must be protect or unprotect\n";
            return false;
        }
        sel.dirs = {o.dir};
    }
    return true;
}

/** Cross-check each algorithm pair, then key its two implementations for the measurement. */
std::vector<Bench>
MakeBenches(const std::vector<AlgoPair>& algos, const std::vector<uint8_t>& payload)
{
    const std::vector<uint8_t> akey = Pattern(20, 0xa0);
    std::vector<Bench> benches;
    for (const AlgoPair& a : algos)
    {
        const std::vector<uint8_t> ckey = Pattern(a.keyLen, 0x10);
        CrossCheck(a, ckey, akey, payload);
        Bench b{a,
                std::make_unique<OurEsp>(a, ckey, akey, "bench/ours-" + a.id),
                std::make_unique<RawEsp>(a, ckey, akey, "bench/raw-" + a.id),
                {}};
        benches.push_back(std::move(b));
    }
    return benches;
}

// The timed batches, one per implementation and direction. State that must outlive the call
// (buffers, the unprotect batch) is owned by the returned closure.

TimedBatch
OursProtectBatch(Bench& b, const Input& in)
{
    return [&b, pkt = in.pkt](uint32_t n)
    {
        const auto s = Clock::now();
        for (uint32_t i = 0; i < n; ++i)
        {
            Ptr<Packet> esp = b.ours->Protect(*pkt);
        }
        return Since(s);
    };
}

TimedBatch
RawProtectBatch(Bench& b, const Input& in)
{
    auto wire = std::make_shared<std::vector<uint8_t>>(b.raw->WireSize(kPayload));
    return [&b, &payload = in.payload, wire](uint32_t n)
    {
        const auto s = Clock::now();
        for (uint32_t i = 0; i < n; ++i)
        {
            b.raw->Protect(payload.data(), kPayload, kNextHeader, wire->data());
        }
        return Since(s);
    };
}

TimedBatch
OursUnprotectBatch(Bench& b, const Input& in, uint32_t batch)
{
    auto esp = std::make_shared<std::vector<Ptr<Packet>>>(batch);
    return [&b, pkt = in.pkt, esp](uint32_t n)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            (*esp)[i] = b.ours->Protect(*pkt); // untimed: fresh sequence numbers
        }
        const auto s = Clock::now();
        for (uint32_t i = 0; i < n; ++i)
        {
            IpsecTransformResult r = EspTransform::Unprotect(*b.ours->in, *(*esp)[i]);
            if (r.drop)
            {
                Fail(b.algo.label + ": ours dropped a packet in Unprotect");
            }
        }
        const double t = Since(s);
        for (auto& p : *esp)
        {
            p = nullptr;
        }
        return t;
    };
}

TimedBatch
RawUnprotectBatch(Bench& b, const Input& in, uint32_t batch)
{
    const size_t wsz = b.raw->WireSize(kPayload);
    auto wire = std::make_shared<std::vector<uint8_t>>(size_t(batch) * wsz);
    auto plain = std::make_shared<std::vector<uint8_t>>(wsz);
    return [&b, &payload = in.payload, wire, plain, wsz](uint32_t n)
    {
        for (uint32_t i = 0; i < n; ++i)
        {
            b.raw->Protect(payload.data(), kPayload, kNextHeader, wire->data() + i * wsz);
        }
        const auto s = Clock::now();
        uint8_t nh = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            if (b.raw->Unprotect(wire->data() + i * wsz, wsz, plain->data(), &nh) != long(kPayload))
            {
                Fail(b.algo.label + ": raw Unprotect failed");
            }
        }
        return Since(s);
    };
}

/** The timed batch of one implementation (ours or raw) of @p b in direction @p dir. */
TimedBatch
MakeBatch(Bench& b, const std::string& dir, bool ours, const Input& in, uint32_t batch)
{
    if (dir == "protect")
    {
        return ours ? OursProtectBatch(b, in) : RawProtectBatch(b, in);
    }
    return ours ? OursUnprotectBatch(b, in, batch) : RawUnprotectBatch(b, in, batch);
}

/**
 * One measurement of ours against raw for @p b in direction @p dir, as long as @p timing asks
 * (its seconds and least packets), ours or raw starting the ABBA order as @p oursFirst says.
 * Batches are sized by @p o. Returns the packets/s of ours and of raw (0 for one not run).
 */
std::pair<double, double>
MeasureOursAndRaw(const Selection& sel, Bench& b, const std::string& dir, const Input& in,
                  const Options& o, const Options& timing, bool oursFirst)
{
    TimedBatch ours = sel.runOurs ? MakeBatch(b, dir, true, in, o.batch) : TimedBatch();
    TimedBatch raw = sel.runRaw ? MakeBatch(b, dir, false, in, o.batch) : TimedBatch();
    if (oursFirst)
    {
        return MeasurePair(timing, ours, raw);
    }
    auto [r, u] = MeasurePair(timing, raw, ours);
    return std::make_pair(u, r);
}

/** Warm-up (caches, branch predictors, CPU clock), not recorded. */
void
WarmUp(const Options& o, const Selection& sel, std::vector<Bench>& benches, const Input& in)
{
    Options w = o;
    w.seconds = o.quick ? 0.0 : std::min(0.05, o.seconds);
    for (Bench& b : benches)
    {
        for (const std::string& d : sel.dirs)
        {
            MeasureOursAndRaw(sel, b, d, in, o, w, true);
        }
    }
}

/** --rounds rounds over every algorithm pair and direction, ours first in even rounds. */
void
MeasureRounds(const Options& o, const Selection& sel, std::vector<Bench>& benches, const Input& in)
{
    for (uint32_t round = 0; round < o.rounds; ++round)
    {
        for (Bench& b : benches)
        {
            for (const std::string& d : sel.dirs)
            {
                Series& s = b.series[d];
                auto [ours, raw] = MeasureOursAndRaw(sel, b, d, in, o, o, round % 2 == 0);
                if (sel.runOurs)
                {
                    s.ours.push_back(ours);
                }
                if (sel.runRaw)
                {
                    s.raw.push_back(raw);
                }
                if (sel.runOurs && sel.runRaw)
                {
                    s.ratio.push_back(ours / raw);
                }
            }
        }
    }
}

/** The reported figures of one series: median rates, median ratio and its range. */
struct Summary
{
    double ours = 0;
    double raw = 0;
    double ratio = 0;
    double lo = 0;
    double hi = 0;
};

Summary
Summarise(const Series& s)
{
    Summary m;
    m.ours = Median(s.ours);
    m.raw = Median(s.raw);
    m.ratio = Median(s.ratio);
    m.lo = s.ratio.empty() ? 0 : *std::min_element(s.ratio.begin(), s.ratio.end());
    m.hi = s.ratio.empty() ? 0 : *std::max_element(s.ratio.begin(), s.ratio.end());
    return m;
}

/** The table on stdout, flushed so it is out even if something fails at exit. */
void
PrintTable(const Options& o, const Selection& sel, const std::vector<Bench>& benches, double total)
{
    const double mb = kPayload / 1e6;
    std::printf("esp-bench: %u-byte payloads, %s, %u round(s) x %.3f s timed per side, "
                "batches of %u, ours and raw batch-interleaved\n",
                kPayload, OpenSSL_version(OPENSSL_VERSION), o.rounds, o.seconds, o.batch);
    std::printf("rates: median of rounds; ratio: median of per-round ours/raw (range)\n");
    std::printf("%-28s %-10s %12s %9s %12s %9s %7s  %s\n", "algorithms", "direction", "ours pkt/s",
                "ours MB/s", "raw pkt/s", "raw MB/s", "ratio", "range");
    for (const Bench& b : benches)
    {
        for (const std::string& d : sel.dirs)
        {
            const Summary m = Summarise(b.series.at(d));
            std::printf("%-28s %-10s %12.0f %9.1f %12.0f %9.1f %7.3f  %.3f-%.3f\n",
                        b.algo.label.c_str(), d.c_str(), m.ours, m.ours * mb, m.raw, m.raw * mb,
                        m.ratio, m.lo, m.hi);
        }
    }
    std::printf("total %.1f s\n", total);
    std::fflush(stdout);
}

/** The results as JSON: the settings, and per algorithm pair and direction the figures. */
nlohmann::json
ResultsJson(const Options& o, const Selection& sel, const std::vector<Bench>& benches, double total)
{
    const double mb = kPayload / 1e6;
    nlohmann::json j;
    j["payload_bytes"] = kPayload;
    j["openssl"] = OpenSSL_version(OPENSSL_VERSION);
    j["seconds_per_measurement"] = o.seconds;
    j["rounds"] = o.rounds;
    j["batch"] = o.batch;
    j["quick"] = o.quick;
    j["mb_is"] = "1e6 bytes of payload";
    j["results"] = nlohmann::json::array();
    for (const Bench& b : benches)
    {
        for (const std::string& d : sel.dirs)
        {
            const Series& s = b.series.at(d);
            const Summary m = Summarise(s);
            nlohmann::json r;
            r["algorithms"] = b.algo.label;
            r["id"] = b.algo.id;
            r["direction"] = d;
            r["ours_pps"] = m.ours;
            r["ours_mbps"] = m.ours * mb;
            r["raw_pps"] = m.raw;
            r["raw_mbps"] = m.raw * mb;
            r["ratio"] = m.ratio;
            r["ours_samples_pps"] = s.ours;
            r["raw_samples_pps"] = s.raw;
            r["ratio_samples"] = s.ratio;
            j["results"].push_back(r);
        }
    }
    j["total_seconds"] = total;
    return j;
}

/** Cross-check, warm up, measure, print; the exit status. */
int
Run(const Options& o)
{
    ipsec::EnsureProvidersLoaded();
    // An empty run ends ns-3's recording of Time objects (see the top of this file).
    Simulator::Run();
    Selection sel;
    if (!Select(o, sel))
    {
        return 2;
    }
    Input in;
    in.payload = Pattern(kPayload, 0x42);
    const auto t0 = Clock::now();
    std::vector<Bench> benches = MakeBenches(sel.algos, in.payload);
    in.pkt = Create<Packet>(in.payload.data(), kPayload);
    WarmUp(o, sel, benches, in);
    MeasureRounds(o, sel, benches, in);
    const double total = Since(t0);

    PrintTable(o, sel, benches, total);
    if (!o.json.empty())
    {
        std::ofstream f(o.json);
        f << ResultsJson(o, sel, benches, total).dump(2) << "\n";
        if (!f)
        {
            std::cerr << "esp-bench: cannot write " << o.json << "\n";
            return 1;
        }
    }
    return 0;
}

} // namespace

int
main(int argc, char* argv[])
{
    Options o;
    if (!ParseOptions(argc, argv, o))
    {
        return 2;
    }
    try
    {
        return Run(o);
    }
    catch (const std::exception& e)
    {
        std::cerr << "esp-bench: " << e.what() << "\n";
        return 1;
    }
}
