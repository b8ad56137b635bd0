// Owning pointers for OpenSSL objects, each freed by its own function, shared by the crypto
// core's files that build and read keys and certificates.
#ifndef IPSEC_OPENSSL_PTR_H
#define IPSEC_OPENSSL_PTR_H

#include "ns3/openssl-error.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

namespace ns3
{
namespace ipsec
{

/** Frees a T with F: a stateless deleter, so the pointer stays one pointer wide. */
template <typename T, void (*F)(T*)> struct OpensslDeleter
{
    void operator()(T* p) const
    {
        F(p);
    }
};

template <typename T, void (*F)(T*)> using OpensslPtr = std::unique_ptr<T, OpensslDeleter<T, F>>;

using PkeyPtr = OpensslPtr<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = OpensslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = OpensslPtr<X509, X509_free>;
using CrlPtr = OpensslPtr<X509_CRL, X509_CRL_free>;
using NamePtr = OpensslPtr<X509_NAME, X509_NAME_free>;

/**
 * Decodes @p der with OpenSSL's @p d2i (d2i_X509, d2i_PUBKEY, ...); nullptr when it does not
 * decode or, with @p whole, when bytes are left over. OpenSSL's error queue is left empty.
 */
template <typename Ptr, typename D2i>
Ptr
DecodeDer(const std::vector<uint8_t>& der, D2i d2i, bool whole = false)
{
    const unsigned char* p = der.data();
    Ptr out(d2i(nullptr, &p, static_cast<long>(der.size())));
    if (out && whole && p != der.data() + der.size())
    {
        out.reset();
    }
    OpenSslErrors();
    return out;
}

} // namespace ipsec
} // namespace ns3

#endif
