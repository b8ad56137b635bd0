#include "ns3/openssl-error.h"

#include <openssl/err.h>

#include <stdexcept>

namespace ns3
{
namespace ipsec
{

std::string
OpenSslErrors()
{
    std::string out;
    unsigned long e;
    while ((e = ERR_get_error()) != 0)
    {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof(buf));
        out += out.empty() ? ": " : "; ";
        out += buf;
    }
    return out;
}

void
ThrowOpenSsl(const std::string& what)
{
    throw std::runtime_error(what + OpenSslErrors());
}

} // namespace ipsec
} // namespace ns3
