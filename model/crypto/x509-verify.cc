// Chain verification with X509_STORE at a given time (X509_VERIFY_PARAM_set_time) and the names
// a certificate carries, for IKE's rsa-sig.
#include "ns3/x509-verify.h"

#include "ns3/openssl-error.h"
#include "openssl-ptr.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace ns3
{
namespace ipsec
{

namespace
{
using StorePtr = OpensslPtr<X509_STORE, X509_STORE_free>;
using StoreCtxPtr = OpensslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;

void
FreeCertStack(STACK_OF(X509) * s)
{
    sk_X509_pop_free(s, X509_free);
}

using CertStackPtr = OpensslPtr<STACK_OF(X509), FreeCertStack>;

X509Ptr
ReadCert(const Der& der)
{
    return DecodeDer<X509Ptr>(der, d2i_X509, true); // trailing bytes: not one certificate
}

CrlPtr
ReadCrl(const Der& der)
{
    return DecodeDer<CrlPtr>(der, d2i_X509_CRL);
}

std::string
NameText(const X509_NAME* name)
{
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string s(data, data + std::max(0L, n));
    BIO_free(bio);
    return s;
}

std::string
SerialHex(const X509* c)
{
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(c), nullptr);
    char* hex = bn ? BN_bn2hex(bn) : nullptr;
    std::string s = hex ? hex : "";
    OPENSSL_free(hex);
    BN_free(bn);
    return s;
}

X509Failure
FailureOf(int err)
{
    switch (err)
    {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return X509Failure::EXPIRED;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return X509Failure::NOT_YET_VALID;
    case X509_V_ERR_CERT_REVOKED:
        return X509Failure::REVOKED;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return X509Failure::UNKNOWN_CA;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
        return X509Failure::NO_CRL;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
        return X509Failure::BAD_SIGNATURE;
    default:
        return X509Failure::OTHER;
    }
}

/**
 * Held CRLs apply even when none is required: a certificate of @p chain (verified, end first)
 * listed by a CRL its issuer signed is revoked.
 */
bool
ListedByHeldCrl(STACK_OF(X509) * chain, const std::vector<CrlPtr>& crls)
{
    for (int i = 0; i + 1 < sk_X509_num(chain); ++i)
    {
        X509* cert = sk_X509_value(chain, i);
        X509* issuer = sk_X509_value(chain, i + 1);
        for (const auto& crl : crls)
        {
            X509_REVOKED* entry = nullptr;
            if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(cert)) == 0 &&
                X509_CRL_verify(crl.get(), X509_get0_pubkey(issuer)) == 1 &&
                X509_CRL_get0_by_cert(crl.get(), &entry, cert) == 1)
            {
                return true;
            }
        }
    }
    OpenSslErrors();
    return false;
}
} // namespace

const char*
ToString(X509Failure f)
{
    switch (f)
    {
    case X509Failure::NONE:
        return "valid";
    case X509Failure::MALFORMED:
        return "malformed certificate";
    case X509Failure::EXPIRED:
        return "certificate has expired";
    case X509Failure::NOT_YET_VALID:
        return "certificate is not yet valid";
    case X509Failure::REVOKED:
        return "certificate revoked";
    case X509Failure::UNKNOWN_CA:
        return "certificate issued by an unknown CA";
    case X509Failure::NO_CRL:
        return "no valid CRL for the issuer";
    case X509Failure::BAD_SIGNATURE:
        return "certificate signature does not verify";
    case X509Failure::OTHER:
        return "certificate refused";
    }
    return "certificate refused";
}

X509ChainCheck
X509VerifyChain(const std::vector<Der>& chain, const std::vector<Der>& anchors,
                const std::vector<Der>& crls, bool crlRequired, int64_t now)
{
    X509ChainCheck out;
    X509Ptr leaf = chain.empty() ? nullptr : ReadCert(chain.front());
    if (!leaf)
    {
        out.failure = X509Failure::MALFORMED;
        out.detail = chain.empty() ? "no certificate" : "end certificate does not parse";
        return out;
    }
    out.subject = NameText(X509_get_subject_name(leaf.get()));
    out.serial = SerialHex(leaf.get());
    StorePtr store(X509_STORE_new());
    CertStackPtr untrusted(sk_X509_new_null());
    for (const Der& a : anchors)
    {
        if (X509Ptr c = ReadCert(a))
        {
            X509_STORE_add_cert(store.get(), c.get());
        }
    }
    for (size_t i = 1; i < chain.size(); ++i)
    {
        if (X509Ptr c = ReadCert(chain[i]))
        {
            sk_X509_push(untrusted.get(), c.release());
        }
    }
    std::vector<CrlPtr> held;
    for (const Der& d : crls)
    {
        if (CrlPtr c = ReadCrl(d))
        {
            X509_STORE_add_crl(store.get(), c.get());
            held.push_back(std::move(c));
        }
    }
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get());
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
    // Every authenticated CA is an anchor, a subordinate one too (an IOS trustpoint).
    unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
    if (crlRequired)
    {
        flags |= X509_V_FLAG_CRL_CHECK;
    }
    X509_VERIFY_PARAM_set_flags(param, flags);
    if (X509_verify_cert(ctx.get()) != 1)
    {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        out.failure = FailureOf(err);
        out.detail = X509_verify_cert_error_string(err);
        OpenSslErrors();
        return out;
    }
    if (ListedByHeldCrl(X509_STORE_CTX_get0_chain(ctx.get()), held))
    {
        out.failure = X509Failure::REVOKED;
        out.detail = "certificate revoked";
    }
    return out;
}

std::optional<X509CertInfo>
X509ReadCertificate(const Der& der, std::string* error)
{
    X509Ptr c = ReadCert(der);
    if (!c)
    {
        if (error)
        {
            *error = "certificate does not parse as DER X.509";
        }
        return std::nullopt;
    }
    X509CertInfo info;
    const X509_NAME* subject = X509_get_subject_name(c.get());
    unsigned char* buf = nullptr;
    int n = i2d_X509_NAME(subject, &buf);
    info.subjectDer.assign(buf, buf + std::max(0, n));
    OPENSSL_free(buf);
    info.subject = NameText(subject);
    buf = nullptr;
    n = i2d_PUBKEY(X509_get0_pubkey(c.get()), &buf);
    info.publicKey.assign(buf, buf + std::max(0, n));
    OPENSSL_free(buf);
    auto* names = static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(c.get(), NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i)
    {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS)
        {
            const ASN1_STRING* s = g->d.dNSName;
            info.dnsNames.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                       ASN1_STRING_length(s));
        }
        else if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4)
        {
            const unsigned char* a = ASN1_STRING_get0_data(g->d.iPAddress);
            info.ipAddresses.push_back(std::to_string(a[0]) + "." + std::to_string(a[1]) + "." +
                                       std::to_string(a[2]) + "." + std::to_string(a[3]));
        }
    }
    GENERAL_NAMES_free(names);
    for (int i = 0; i < X509_NAME_entry_count(subject); ++i)
    {
        const X509_NAME_ENTRY* e = X509_NAME_get_entry(subject, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        const ASN1_STRING* s = X509_NAME_ENTRY_get_data(e);
        std::string v(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      ASN1_STRING_length(s));
        if (nid == NID_pkcs9_unstructuredName)
        {
            info.unstructuredNames.push_back(v);
        }
        else if (nid == NID_pkcs9_unstructuredAddress)
        {
            info.unstructuredAddresses.push_back(v);
        }
    }
    OpenSslErrors();
    return info;
}

std::string
X509NameText(const Der& nameDer)
{
    NamePtr name = DecodeDer<NamePtr>(nameDer, d2i_X509_NAME);
    return name ? NameText(name.get()) : std::string();
}

bool
X509NamesAddress(const X509CertInfo& cert, const std::string& dottedQuad)
{
    auto has = [&](const std::vector<std::string>& v)
    { return std::find(v.begin(), v.end(), dottedQuad) != v.end(); };
    return has(cert.ipAddresses) || has(cert.unstructuredAddresses);
}

bool
X509NamesHost(const X509CertInfo& cert, const std::string& fqdn)
{
    auto same = [&](const std::string& s)
    {
        return s.size() == fqdn.size() &&
               std::equal(s.begin(), s.end(), fqdn.begin(),
                          [](char a, char b)
                          { return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b)); });
    };
    return std::any_of(cert.dnsNames.begin(), cert.dnsNames.end(), same) ||
           std::any_of(cert.unstructuredNames.begin(), cert.unstructuredNames.end(), same);
}

bool
X509NamesSubject(const X509CertInfo& cert, const Der& nameDer)
{
    const unsigned char* p = nameDer.data();
    NamePtr id(d2i_X509_NAME(nullptr, &p, static_cast<long>(nameDer.size())));
    const unsigned char* q = cert.subjectDer.data();
    NamePtr subject(d2i_X509_NAME(nullptr, &q, static_cast<long>(cert.subjectDer.size())));
    OpenSslErrors();
    return id && subject && X509_NAME_cmp(id.get(), subject.get()) == 0;
}

} // namespace ipsec
} // namespace ns3
