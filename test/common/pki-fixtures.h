// The certificate fixtures of test/data/pki (made by make-pki.sh with the openssl command line):
// DER files read by name, and the calendar time the tests run the routers' clocks at.
#ifndef IPSEC_TEST_PKI_FIXTURES_H
#define IPSEC_TEST_PKI_FIXTURES_H

#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace test
{

/** 2027-06-01 00:00 UTC: inside every router certificate but the expired one, after the CRL. */
constexpr int64_t kPkiNow = 1811808000;

/** test/data/pki/@p name as bytes (DER). */
inline std::vector<uint8_t>
PkiFile(const std::string& name)
{
    const std::string path = std::string(IPSEC_SOURCE_DIR) + "/test/data/pki/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("missing fixture " + path);
    }
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

} // namespace test
} // namespace ns3

#endif
