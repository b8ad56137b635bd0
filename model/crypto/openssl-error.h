// Turning OpenSSL's error queue into exceptions with readable messages (crypto core internal).
#ifndef IPSEC_OPENSSL_ERROR_H
#define IPSEC_OPENSSL_ERROR_H

#include <string>

namespace ns3
{
namespace ipsec
{

/** Collect and clear OpenSSL's error queue into a readable suffix (": a; b"), or "". */
std::string OpenSslErrors();

/** @throws std::runtime_error with @p what and the queued OpenSSL errors. */
[[noreturn]] void ThrowOpenSsl(const std::string& what);

} // namespace ipsec
} // namespace ns3

#endif
