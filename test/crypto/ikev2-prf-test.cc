// Tests for IKEv2 key derivation (RFC 7296 2.13 to 2.18): the PRFs against the published
// vectors (RFC 2202 for HMAC-SHA1, RFC 4868 2.7.1 for the HMAC-SHA2 PRFs), and prf+, SKEYSEED,
// the IKE SA keys, child SA KEYMAT with and without PFS, the PSK AUTH and the NAT detection
// hash against an independent computation by Python's hmac and hashlib modules.
#include "ns3/byte-source.h"
#include "ns3/ikev2-prf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <unistd.h>

using namespace ns3::ipsec;

namespace
{

const Ikev2PrfAlgorithm kAll[] = {Ikev2PrfAlgorithm::HMAC_SHA1, Ikev2PrfAlgorithm::HMAC_SHA2_256,
                                  Ikev2PrfAlgorithm::HMAC_SHA2_384,
                                  Ikev2PrfAlgorithm::HMAC_SHA2_512, Ikev2PrfAlgorithm::AES128_XCBC};

Bytes
Text(const std::string& s)
{
    return Bytes(s.begin(), s.end());
}

const char* const kPython = "/usr/bin/python3";

/**
 * Run a Python computation of IKEv2 derivations (its own prf+, from RFC 7296's text, over the
 * hmac module) on the given hex arguments; its output is one hex line per value.
 */
std::string
Python(const std::string& args)
{
    static const char* script = R"PY(
import hmac, hashlib, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
ni, nr, gir, spii, spir, gir2, psk, msg, idb = (bytes.fromhex(a) for a in sys.argv[2:11])
encr, integ = int(sys.argv[11]), int(sys.argv[12])
xor = lambda a, b: bytes(x ^ y for x, y in zip(a, b))
def aes(k, b):
    e = Cipher(algorithms.AES(k), modes.ECB()).encryptor()
    return e.update(b) + e.finalize()
def xcbc(k, m):
    k1, k2, k3 = (aes(k, bytes([c]) * 16) for c in (1, 2, 3))
    blocks = [m[i:i + 16] for i in range(0, len(m), 16)] or [b""]
    e = bytes(16)
    for b in blocks[:-1]:
        e = aes(k1, xor(e, b))
    last = blocks[-1]
    last = xor(last, k2) if len(last) == 16 else xor(last + b"\x80" + bytes(15 - len(last)), k3)
    return aes(k1, xor(e, last))
def xcbc_prf(k, m):
    return xcbc(k + bytes(16 - len(k)) if len(k) <= 16 else xcbc(bytes(16), k), m)
if sys.argv[1] == "4":
    prf, p, seedkey = xcbc_prf, 16, ni[:8] + nr[:8]
else:
    h = {"2": hashlib.sha1, "5": hashlib.sha256, "6": hashlib.sha384, "7": hashlib.sha512}[sys.argv[1]]
    prf, p, seedkey = (lambda k, d: hmac.new(k, d, h).digest()), h().digest_size, ni + nr
def prfplus(k, s, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(k, t + s + bytes([i])); out += t; i += 1
    return out[:n]
skeyseed = prf(seedkey, gir)
km = prfplus(skeyseed, ni + nr + spii + spir, 3 * p + 2 * integ + 2 * encr)
sizes = [p, integ, integ, encr, encr, p, p]
keys, pos = [], 0
for n in sizes:
    keys.append(km[pos:pos + n]); pos += n
skd, skpi = keys[0], keys[5]
child = prfplus(skd, ni + nr, 2 * (encr + integ))
child_pfs = prfplus(skd, gir2 + ni + nr, 2 * (encr + integ))
rekey = prf(skd, gir2 + ni + nr)
signed = msg + nr + prf(skpi, idb)
auth = prf(prf(psk, b"Key Pad for IKEv2"), signed)
natd = hashlib.sha1(spii + bytes(8) + bytes([192, 0, 2, 1]) + (4500).to_bytes(2, "big")).digest()
for v in [skeyseed] + keys + [child, child_pfs, rekey, auth, prfplus(psk, msg, 255 * p), natd]:
    print(v.hex())
)PY";
    std::string cmd = std::string(kPython) + " -c '" + script + "' " + args;
    FILE* f = popen(cmd.c_str(), "r");
    if (f == nullptr)
    {
        return "";
    }
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    {
        out.append(buf, n);
    }
    pclose(f);
    return out;
}

std::vector<std::string>
Lines(const std::string& s)
{
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t k = 0; k < s.size(); ++k)
    {
        if (s[k] == '\n')
        {
            out.push_back(s.substr(start, k - start));
            start = k + 1;
        }
    }
    return out;
}

Bytes
Concat(const Bytes& a, const Bytes& b)
{
    Bytes out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

} // namespace

// RFC 2202 3 test cases 1 and 2 (HMAC-SHA-1), RFC 4868 2.7.1 PRF-1 and PRF-2 (HMAC-SHA-256, -384,
// -512; the same values as RFC 4231 4.2 and 4.3).
TEST(Ikev2Prf, PublishedVectors)
{
    const Bytes key1(20, 0x0b);
    const Bytes data1 = Text("Hi There");
    const Bytes key2 = Text("Jefe");
    const Bytes data2 = Text("what do ya want for nothing?");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA1, key1, data1)),
              "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA1, key2, data2)),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_256, key1, data1)),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_256, key2, data2)),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_384, key1, data1)),
              "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
              "faea9ea9076ede7f4af152e8b2fa9cb6");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_384, key2, data2)),
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
              "8e2240ca5e69e2c78b3239ecfab21649");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_512, key1, data1)),
              "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
              "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    EXPECT_EQ(ToHex(Ikev2Prf(Ikev2PrfAlgorithm::HMAC_SHA2_512, key2, data2)),
              "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
              "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

// RFC 3566 4.6 (AES-XCBC-MAC, key 000102..0f; messages 000102.. of 0, 3, 16, 20, 32 and 34
// bytes, and 1000 zero bytes) and RFC 4434 4 (the PRF with 10- and 18-byte keys).
TEST(Ikev2Prf, AesXcbcPublishedVectors)
{
    Bytes key(16);
    for (size_t k = 0; k < 16; ++k)
    {
        key[k] = uint8_t(k);
    }
    auto counting = [](size_t n)
    {
        Bytes m(n);
        for (size_t k = 0; k < n; ++k)
        {
            m[k] = uint8_t(k);
        }
        return m;
    };
    EXPECT_EQ(ToHex(AesXcbcMac128(key, {})), "75f0251d528ac01c4573dfd584d79f29");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, counting(3))), "5b376580ae2f19afe7219ceef172756f");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, counting(16))), "d2a246fa349b68a79998a4394ff7a263");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, counting(20))), "47f51b4564966215b8985c63055ed308");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, counting(32))), "f54f0ec8d2b9f3d36807734bd5283fd4");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, counting(34))), "becbb3bccdb518a30677d5481fb6b4d8");
    EXPECT_EQ(ToHex(AesXcbcMac128(key, Bytes(1000, 0))), "f0dafee895db30253761103b5d84528f");
    const auto xcbc = Ikev2PrfAlgorithm::AES128_XCBC;
    EXPECT_EQ(ToHex(Ikev2Prf(xcbc, key, counting(20))), "47f51b4564966215b8985c63055ed308");
    EXPECT_EQ(ToHex(Ikev2Prf(xcbc, counting(10), counting(20))),
              "0fa087af7d866e7653434e602fdde835");
    Bytes key18 = counting(16);
    key18.push_back(0xed);
    key18.push_back(0xcb);
    EXPECT_EQ(ToHex(Ikev2Prf(xcbc, key18, counting(20))), "8cd3c93ae598a9803006ffb67c40e9e4");
    EXPECT_THROW(AesXcbcMac128(Bytes(15), {}), std::invalid_argument);
}

TEST(Ikev2Prf, TransformIdsAndLengths)
{
    EXPECT_EQ(Ikev2PrfTransformId(Ikev2PrfAlgorithm::HMAC_SHA1), 2);
    EXPECT_EQ(Ikev2PrfTransformId(Ikev2PrfAlgorithm::HMAC_SHA2_512), 7);
    EXPECT_EQ(Ikev2PrfFromTransformId(5), Ikev2PrfAlgorithm::HMAC_SHA2_256);
    EXPECT_EQ(Ikev2PrfFromTransformId(4), Ikev2PrfAlgorithm::AES128_XCBC);
    EXPECT_FALSE(Ikev2PrfFromTransformId(1).has_value()); // HMAC-MD5: not implemented
    EXPECT_EQ(Ikev2PrfLength(Ikev2PrfAlgorithm::AES128_XCBC), 16u);
    EXPECT_EQ(Ikev2PrfLength(Ikev2PrfAlgorithm::HMAC_SHA2_384), 48u);
}

// prf+'s structure from RFC 7296 2.13, spelled out with the PRF itself: T1 = prf(K, S | 0x01),
// T2 = prf(K, T1 | S | 0x02); a request of any length is a prefix of a longer one.
TEST(Ikev2Prf, PrfPlusStructure)
{
    const Bytes k = Text("key"), s = Text("seed");
    for (Ikev2PrfAlgorithm a : kAll)
    {
        const size_t h = Ikev2PrfLength(a);
        const Bytes t1 = Ikev2Prf(a, k, Concat(s, {1}));
        const Bytes t2 = Ikev2Prf(a, k, Concat(Concat(t1, s), {2}));
        const Bytes out = Ikev2PrfPlus(a, k, s, 2 * h);
        EXPECT_EQ(out, Concat(t1, t2));
        const Bytes shorter = Ikev2PrfPlus(a, k, s, h + 3);
        EXPECT_EQ(shorter, Bytes(out.begin(), out.begin() + h + 3));
        EXPECT_NO_THROW(Ikev2PrfPlus(a, k, s, 255 * h));
        EXPECT_THROW(Ikev2PrfPlus(a, k, s, 255 * h + 1), std::invalid_argument);
    }
}

TEST(Ikev2Prf, SaKeysRejectShortSpi)
{
    EXPECT_THROW(Ikev2NatDetectionHash(Bytes(8), Bytes(8), Bytes(5), 500), std::invalid_argument);
    EXPECT_THROW(Ikev2DeriveSaKeys(Ikev2PrfAlgorithm::HMAC_SHA1, Bytes(20, 1), Bytes(16, 2),
                                   Bytes(16, 3), Bytes(4, 0), Bytes(8, 0), 16, 20),
                 std::invalid_argument);
}

// Every derivation against Python's hmac on fixed inputs, for each PRF and with key sizes of
// AES-CBC-128 + HMAC-SHA1-96, AES-CBC-256 + HMAC-SHA2-256-128 and AES-GCM-16-128 (20 bytes with
// the salt, no integrity key).
TEST(Ikev2Prf, DerivationsMatchPython)
{
    if (access(kPython, X_OK) != 0)
    {
        GTEST_SKIP() << kPython << " is not installed";
    }
    DeterministicByteSource rng(7, 1, "ikev2-prf-test");
    const Bytes ni = rng.Bytes(32), nr = rng.Bytes(24), gir = rng.Bytes(256);
    const Bytes spiI = rng.Bytes(8), spiR = rng.Bytes(8), gir2 = rng.Bytes(128);
    const Bytes psk = Text("cisco123"), msg = rng.Bytes(300), idBody = rng.Bytes(12);
    const std::pair<size_t, size_t> sizes[] = {{16, 20}, {32, 32}, {20, 0}};
    for (Ikev2PrfAlgorithm a : kAll)
    {
        for (auto [encr, integ] : sizes)
        {
            SCOPED_TRACE(std::string(Ikev2PrfName(a)) + " encr " + std::to_string(encr) +
                         " integ " + std::to_string(integ));
            const std::string args = std::to_string(Ikev2PrfTransformId(a)) + " " + ToHex(ni) +
                                     " " + ToHex(nr) + " " + ToHex(gir) + " " + ToHex(spiI) + " " +
                                     ToHex(spiR) + " " + ToHex(gir2) + " " + ToHex(psk) + " " +
                                     ToHex(msg) + " " + ToHex(idBody) + " " + std::to_string(encr) +
                                     " " + std::to_string(integ);
            const std::vector<std::string> want = Lines(Python(args));
            ASSERT_EQ(want.size(), 14u) << "python gave no answer";

            const Bytes skeyseed = Ikev2Skeyseed(a, ni, nr, gir);
            const Ikev2SaKeys k = Ikev2DeriveSaKeys(a, skeyseed, ni, nr, spiI, spiR, encr, integ);
            const Ikev2ChildKeys c = Ikev2DeriveChildKeys(a, k.skD, {}, ni, nr, encr, integ);
            const Ikev2ChildKeys p = Ikev2DeriveChildKeys(a, k.skD, gir2, ni, nr, encr, integ);
            const Bytes signedOctets = Ikev2SignedOctets(a, msg, nr, k.skPi, idBody);
            EXPECT_EQ(ToHex(skeyseed), want[0]);
            EXPECT_EQ(ToHex(k.skD), want[1]);
            EXPECT_EQ(ToHex(k.skAi), want[2]);
            EXPECT_EQ(ToHex(k.skAr), want[3]);
            EXPECT_EQ(ToHex(k.skEi), want[4]);
            EXPECT_EQ(ToHex(k.skEr), want[5]);
            EXPECT_EQ(ToHex(k.skPi), want[6]);
            EXPECT_EQ(ToHex(k.skPr), want[7]);
            EXPECT_EQ(ToHex(Concat(Concat(c.encrI, c.integI), Concat(c.encrR, c.integR))), want[8]);
            EXPECT_EQ(ToHex(Concat(Concat(p.encrI, p.integI), Concat(p.encrR, p.integR))), want[9]);
            EXPECT_EQ(ToHex(Ikev2RekeySkeyseed(a, k.skD, gir2, ni, nr)), want[10]);
            EXPECT_EQ(ToHex(Ikev2PskAuth(a, psk, signedOctets)), want[11]);
            EXPECT_EQ(ToHex(Ikev2PrfPlus(a, psk, msg, 255 * Ikev2PrfLength(a))), want[12]);
            EXPECT_EQ(ToHex(Ikev2NatDetectionHash(spiI, Bytes(8, 0), {192, 0, 2, 1}, 4500)),
                      want[13]);
            EXPECT_EQ(k.skEi.size(), encr);
            EXPECT_EQ(k.skAi.size(), integ);
            EXPECT_NE(c.encrI, p.encrI); // PFS changes the keys
        }
    }
}
