// RFC 3602 section 4 test vectors for AES-CBC-128 in ESP, shared by the crypto and ESP tests.
//
// Cases 1-4 are raw AES-CBC encryptions; cases 5-8 are complete ESP packets (no
// authentication). All values are lowercase hex strings for ns3::ipsec::FromHex. Case 5 was
// checked against the RFC text; the payloads and packets of cases 6-8 come from a public
// transcription of the RFC (the descriptions here are paraphrased from the packet contents).
// Every ciphertext was confirmed by decrypting it with `openssl enc -aes-128-cbc -d -nopad`, and
// test/crypto/crypto-cipher-test.cc re-checks all eight cases with ns3::ipsec::Cipher.
#ifndef IPSEC_TEST_RFC3602_VECTORS_H
#define IPSEC_TEST_RFC3602_VECTORS_H

#include <cstdint>

namespace ns3
{
namespace ipsec
{
namespace test
{

/** @brief One AES-CBC-128 encryption: RFC 3602 section 4, cases 1-4. */
struct Rfc3602CbcCase
{
    int number;
    const char* description;
    const char* key;
    const char* iv;
    const char* plaintext;
    const char* ciphertext;
};

inline constexpr Rfc3602CbcCase kRfc3602CbcCases[] = {
    {1, "Encrypting 16 bytes (1 block) using AES-CBC with 128-bit key",
     "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
     "53696e676c6520626c6f636b206d7367", // "Single block msg"
     "e353779c1079aeb82708942dbe77181a"},
    {2, "Encrypting 32 bytes (2 blocks) using AES-CBC with 128-bit key",
     "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"},
    {3, "Encrypting 48 bytes (3 blocks) using AES-CBC with 128-bit key",
     "6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81",
     // "This is a 48-byte message (exactly 3 AES blocks)"
     "5468697320697320612034382d62797465206d657373616765202865786163746c7920332041455320626c6f636b7"
     "329",
     "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5021c19216bad525c8579695d83ba2"
     "684"},
    {4, "Encrypting 64 bytes (4 blocks) using AES-CBC with 128-bit key",
     "56e47a38c5598974bc46903dba290349", "8ce82eefbea0da3c44699ed7db51b7d9",
     "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdc"
     "ecf"
     "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
     "c30e32ffedc0774e6aff6af0869f71aa0f3af07a9a31a9c684db207eb0ef8e4e35907aa632c3ffdf868bb7b29d3d4"
     "6ad"
     "83ce9f9a102ee99d49a53e87f4c3da55"},
};

/**
 * @brief One ESP packet: RFC 3602 section 4, cases 5-8 (AES-CBC-128, no integrity).
 *
 * The ESP packet on the wire is SPI (4 bytes) || sequence number (4) || iv (16) || ciphertext.
 * plaintext = payload || padding (1, 2, 3, ... padLength) || padLength || nextHeader, a multiple
 * of 16 bytes.
 */
struct Rfc3602EspCase
{
    int number;
    const char* description;
    const char* key;
    uint32_t spi;
    uint32_t sequence;
    const char* iv;
    /** Transport mode (5, 6): the ICMP message after the IP header. Tunnel mode (7, 8): the whole
     *  inner IPv4 packet. */
    const char* payload;
    uint8_t padLength;
    uint8_t nextHeader; //!< 1 (ICMP) in transport mode, 4 (IPv4) in tunnel mode
    const char* plaintext;
    const char* ciphertext;
};

inline constexpr Rfc3602EspCase kRfc3602EspCases[] = {
    {5, "Sample transport-mode ESP packet (ping 192.168.123.100)",
     "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 1, "e96e8c08ab465763fd098d45dd3ff893",
     "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252"
     "627"
     "28292a2b2c2d2e2f3031323334353637",
     14, 1,
     "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252"
     "627"
     "28292a2b2c2d2e2f30313233343536370102030405060708090a0b0c0d0e0e01",
     "f663c25d325c18c6a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db080b59ec3a8e4b7"
     "e52"
     "775b07d1db34ed9c538ab50c551b874aa269add047ad2d5913ac19b7cfbad4a6"},
    {6, "Transport-mode ESP packet (ICMP echo to 192.168.123.100, 20 bytes of 0x77)",
     "90d382b410eeba7ad938c46cec1a82bf", 0x4321, 8, "69d08df7d203329db093fc4924e5bd80",
     "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777", 2, 1,
     "0800b5e8a80a0500a69c083d0b660e0077777777777777777777777701020201",
     "f51995881ec4e0c4488987ce742e8109689bb379d2d750c0d915dca346a89f75"},
    {7, "Tunnel-mode ESP packet (ICMP echo 192.168.123.3 -> 192.168.123.200)",
     "0123456789abcdef0123456789abcdef", 0x8765, 2, "f4e765244f6407adf13dc1380f673f37",
     "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f10111"
     "213"
     "1415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
     10, 4,
     "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d02a2040008090a0b0c0d0e0f10111"
     "213"
     "1415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233343536370102030405060708090a0"
     "a04",
     "773b5241a4c449225e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad7a0f022b85924"
     "3c6"
     "47752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22"
     "f0d"},
    {8, "Tunnel-mode ESP packet (ICMP echo to 192.168.123.200, 40 bytes of 0xff)",
     "0123456789abcdef0123456789abcdef", 0x8765, 5, "85d47224b5f3dd5d2101d4ea8dffab22",
     "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300fffffffffffffffffffff"
     "fff"
     "ffffffffffffffffffffffffffffffffffffffff",
     10, 4,
     "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083da3de0300fffffffffffffffffffff"
     "fff"
     "ffffffffffffffffffffffffffffffffffffffff0102030405060708090a0a04",
     "15b92683819596a8047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3a1b06d5c07ff9"
     "639"
     "b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc6d17a0decbb13892"},
};

/** Case 5's outer IPv4 headers as printed in the RFC (before and after ESP encapsulation). */
inline constexpr const char* kRfc3602Case5IpHeaderBefore =
    "4500005408f200004001f9fec0a87b03c0a87b64";
inline constexpr const char* kRfc3602Case5IpHeaderAfter =
    "4500007c08f200004032f9a5c0a87b03c0a87b64";

} // namespace test
} // namespace ipsec
} // namespace ns3

#endif
