#include "ns3/x509-issue.h"

#include "ns3/openssl-error.h"
#include "openssl-ptr.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>

namespace ns3
{
namespace ipsec
{

namespace
{
using IntPtr = OpensslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using TimePtr = OpensslPtr<ASN1_TIME, ASN1_TIME_free>;
using ExtPtr = OpensslPtr<X509_EXTENSION, X509_EXTENSION_free>;

/** The attribute types a name may hold, by the lower-case spelling people write. */
const std::map<std::string, std::string>&
NameTypes()
{
    static const std::map<std::string, std::string> types = {
        {"cn", "CN"},
        {"o", "O"},
        {"ou", "OU"},
        {"c", "C"},
        {"l", "L"},
        {"st", "ST"},
        {"e", "emailAddress"},
        {"email", "emailAddress"},
        {"emailaddress", "emailAddress"},
        {"serialnumber", "serialNumber"},
        {"unstructuredname", "unstructuredName"},
        {"hostname", "unstructuredName"},
        {"unstructuredaddress", "unstructuredAddress"},
        {"dc", "DC"},
    };
    return types;
}

std::string
Trim(const std::string& s)
{
    const size_t b = s.find_first_not_of(" \t");
    const size_t e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/** "CN=a, O=b\, c" -> {("CN", "a"), ("O", "b, c")}, or the error in @p error. */
std::vector<std::pair<std::string, std::string>>
SplitName(const std::string& dn, std::string& error)
{
    std::vector<std::string> rdns(1);
    for (size_t i = 0; i < dn.size(); ++i)
    {
        if (dn[i] == '\\' && i + 1 < dn.size())
        {
            rdns.back() += dn[++i];
        }
        else if (dn[i] == ',')
        {
            rdns.emplace_back();
        }
        else
        {
            rdns.back() += dn[i];
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& rdn : rdns)
    {
        const size_t eq = rdn.find('=');
        if (eq == std::string::npos)
        {
            error = "expected TYPE=VALUE, got \"" + Trim(rdn) + "\"";
            return {};
        }
        std::string type = Trim(rdn.substr(0, eq));
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        const auto it = NameTypes().find(type);
        if (it == NameTypes().end())
        {
            error = "unknown name attribute \"" + Trim(rdn.substr(0, eq)) +
                    "\" (expected CN, O, OU, C, L, ST, E, serialNumber, unstructuredName, "
                    "unstructuredAddress, hostname or DC)";
            return {};
        }
        const std::string value = Trim(rdn.substr(eq + 1));
        if (value.empty())
        {
            error = "empty value for " + it->second;
            return {};
        }
        if (it->second == "C" && value.size() != 2)
        {
            error = "the country C must be two letters, got \"" + value + "\"";
            return {};
        }
        out.emplace_back(it->second, value);
    }
    return out;
}

NamePtr
BuildName(const std::string& dn)
{
    std::string error;
    const auto parts = SplitName(dn, error);
    if (!error.empty())
    {
        throw std::invalid_argument("distinguished name \"" + dn + "\": " + error);
    }
    NamePtr name(X509_NAME_new());
    for (const auto& [type, value] : parts)
    {
        if (!X509_NAME_add_entry_by_txt(name.get(), type.c_str(), MBSTRING_UTF8,
                                        reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                                        -1, 0))
        {
            OpenSslErrors();
            throw std::invalid_argument("distinguished name \"" + dn + "\": bad " + type);
        }
    }
    return name;
}

X509Ptr
ParseCert(const Der& der)
{
    X509Ptr x = DecodeDer<X509Ptr>(der, d2i_X509, true);
    if (!x)
    {
        throw std::invalid_argument("not a DER X.509 certificate");
    }
    return x;
}

PkeyPtr
ParsePrivateKey(const Der& der)
{
    PkeyPtr k = DecodeDer<PkeyPtr>(der, d2i_AutoPrivateKey);
    if (!k)
    {
        throw std::invalid_argument("not a DER private key");
    }
    return k;
}

PkeyPtr
ParsePublicKey(const Der& der)
{
    PkeyPtr k = DecodeDer<PkeyPtr>(der, d2i_PUBKEY);
    if (!k)
    {
        throw std::invalid_argument("not a DER SubjectPublicKeyInfo");
    }
    return k;
}

IntPtr
Integer(const Der& bigEndian)
{
    OpensslPtr<BIGNUM, BN_free> bn(
        BN_bin2bn(bigEndian.data(), static_cast<int>(bigEndian.size()), nullptr));
    IntPtr i(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
    if (!i)
    {
        ThrowOpenSsl("serial number");
    }
    return i;
}

Der
IntegerBytes(const ASN1_INTEGER* i)
{
    OpensslPtr<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(i, nullptr));
    Der out(static_cast<size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), out.data());
    return out;
}

int64_t
Seconds(const ASN1_TIME* t)
{
    TimePtr epoch(ASN1_TIME_set(nullptr, 0));
    int days = 0;
    int secs = 0;
    if (!ASN1_TIME_diff(&days, &secs, epoch.get(), t))
    {
        // A certificate or CRL from outside (a pasted chain, a peer) whose time does not read
        // is malformed input, not a failure of the library.
        ERR_clear_error();
        throw std::invalid_argument("its validity time is not a valid ASN.1 time");
    }
    return static_cast<int64_t>(days) * 86400 + secs;
}

void
SetTime(ASN1_TIME* t, int64_t seconds)
{
    if (!ASN1_TIME_set(t, static_cast<time_t>(seconds)))
    {
        ThrowOpenSsl("ASN1_TIME_set");
    }
}

/** Add the extension NID = @p value (OpenSSL's configuration syntax) to @p x. */
void
AddExtension(X509* x, X509V3_CTX* ctx, int nid, const std::string& value)
{
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext || !X509_add_ext(x, ext.get(), -1))
    {
        OpenSslErrors();
        throw std::invalid_argument(std::string("certificate extension ") + OBJ_nid2sn(nid) +
                                    " = " + value);
    }
}

std::string
SanValue(const CertificateTemplate& t)
{
    std::string v;
    for (const std::string& ip : t.sanIp)
    {
        in_addr a{};
        if (inet_pton(AF_INET, ip.c_str(), &a) != 1)
        {
            throw std::invalid_argument("subjectAltName: \"" + ip + "\" is no IPv4 address");
        }
        v += (v.empty() ? "IP:" : ",IP:") + ip;
    }
    for (const std::string& dns : t.sanDns)
    {
        if (dns.empty() || dns.find_first_of(", \t") != std::string::npos)
        {
            throw std::invalid_argument("subjectAltName: \"" + dns + "\" is no DNS name");
        }
        v += (v.empty() ? "DNS:" : ",DNS:") + dns;
    }
    return v;
}

void
AddExtensions(X509* x, X509* issuer, const CertificateTemplate& t)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
    if (t.ca)
    {
        AddExtension(x, &ctx, NID_basic_constraints,
                     t.pathLength >= 0 ? "critical,CA:TRUE,pathlen:" + std::to_string(t.pathLength)
                                       : "critical,CA:TRUE");
        AddExtension(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
    }
    else
    {
        AddExtension(x, &ctx, NID_basic_constraints, "critical,CA:FALSE");
        AddExtension(x, &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    }
    AddExtension(x, &ctx, NID_subject_key_identifier, "hash");
    AddExtension(x, &ctx, NID_authority_key_identifier, "keyid:always");
    const std::string san = SanValue(t);
    if (!san.empty())
    {
        AddExtension(x, &ctx, NID_subject_alt_name, san);
    }
}

Der
CertDer(X509* x)
{
    unsigned char* out = nullptr;
    const int len = i2d_X509(x, &out);
    if (len <= 0)
    {
        ThrowOpenSsl("i2d_X509");
    }
    Der der(out, out + len);
    OPENSSL_free(out);
    return der;
}

std::vector<std::pair<std::string, std::string>>
NameParts(const X509_NAME* name)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < X509_NAME_entry_count(name); ++i)
    {
        const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        unsigned char* utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
        out.emplace_back(nid == NID_undef ? "?" : OBJ_nid2sn(nid),
                         len < 0 ? "" : std::string(reinterpret_cast<char*>(utf8), len));
        OPENSSL_free(utf8);
    }
    return out;
}

std::string
NameText(const std::vector<std::pair<std::string, std::string>>& parts)
{
    std::string s;
    for (const auto& [type, value] : parts)
    {
        s += (s.empty() ? "" : ",") + type + "=" + value;
    }
    return s;
}

void
ReadAltNames(X509* x, CertificateInfo& info)
{
    GENERAL_NAMES* names =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i)
    {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_IPADD && ASN1_STRING_length(g->d.iPAddress) == 4)
        {
            const unsigned char* b = ASN1_STRING_get0_data(g->d.iPAddress);
            char text[16];
            std::snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
            info.sanIp.emplace_back(text);
        }
        else if (g->type == GEN_DNS)
        {
            info.sanDns.emplace_back(
                reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                static_cast<size_t>(ASN1_STRING_length(g->d.dNSName)));
        }
    }
    GENERAL_NAMES_free(names);
}

/** Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
int64_t
DaysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
} // namespace

std::string
CheckDistinguishedName(const std::string& dn)
{
    std::string error;
    SplitName(dn, error);
    return error;
}

Der
SerialFromStream(ByteSource& src)
{
    Der serial = src.Bytes(8);
    serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x40); // positive, always 8 bytes
    return serial;
}

Der
IssueCertificate(const CertificateTemplate& t, const Der& issuerCert, const Der& issuerKey)
{
    if (t.serial.empty() || t.notAfter <= t.notBefore)
    {
        throw std::invalid_argument("certificate: empty serial or validity ends before it starts");
    }
    PkeyPtr subjectKey = ParsePublicKey(t.publicKey);
    PkeyPtr signer = ParsePrivateKey(issuerKey);
    X509Ptr x(X509_new());
    NamePtr subject = BuildName(t.subject);
    X509Ptr issuer = issuerCert.empty() ? nullptr : ParseCert(issuerCert);
    IntPtr serial = Integer(t.serial);
    if (!X509_set_version(x.get(), X509_VERSION_3) ||
        !X509_set_serialNumber(x.get(), serial.get()) ||
        !X509_set_subject_name(x.get(), subject.get()) ||
        !X509_set_issuer_name(x.get(),
                              issuer ? X509_get_subject_name(issuer.get()) : subject.get()) ||
        !X509_set_pubkey(x.get(), subjectKey.get()))
    {
        ThrowOpenSsl("certificate fields");
    }
    SetTime(X509_getm_notBefore(x.get()), t.notBefore);
    SetTime(X509_getm_notAfter(x.get()), t.notAfter);
    AddExtensions(x.get(), issuer ? issuer.get() : x.get(), t);
    if (X509_sign(x.get(), signer.get(), EVP_sha256()) <= 0)
    {
        ThrowOpenSsl("X509_sign");
    }
    return CertDer(x.get());
}

Der
IssueCrl(const Der& issuerCert, const Der& issuerKey,
         const std::vector<RevokedCertificate>& revoked, int64_t thisUpdate, int64_t nextUpdate,
         uint64_t number)
{
    X509Ptr issuer = ParseCert(issuerCert);
    PkeyPtr signer = ParsePrivateKey(issuerKey);
    CrlPtr crl(X509_CRL_new());
    TimePtr last(ASN1_TIME_new());
    TimePtr next(ASN1_TIME_new());
    SetTime(last.get(), thisUpdate);
    SetTime(next.get(), nextUpdate);
    if (!X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) ||
        !X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.get())) ||
        !X509_CRL_set1_lastUpdate(crl.get(), last.get()) ||
        !X509_CRL_set1_nextUpdate(crl.get(), next.get()))
    {
        ThrowOpenSsl("CRL fields");
    }
    for (const RevokedCertificate& r : revoked)
    {
        X509_REVOKED* entry = X509_REVOKED_new();
        IntPtr serial = Integer(r.serial);
        TimePtr when(ASN1_TIME_new());
        SetTime(when.get(), r.revoked);
        if (!entry || !X509_REVOKED_set_serialNumber(entry, serial.get()) ||
            !X509_REVOKED_set_revocationDate(entry, when.get()) ||
            !X509_CRL_add0_revoked(crl.get(), entry))
        {
            X509_REVOKED_free(entry);
            ThrowOpenSsl("CRL entry");
        }
    }
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer.get(), nullptr, nullptr, crl.get(), 0);
    ExtPtr aki(X509V3_EXT_conf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
    IntPtr crlNumber(ASN1_INTEGER_new());
    if (!aki || !X509_CRL_add_ext(crl.get(), aki.get(), -1) || !crlNumber ||
        !ASN1_INTEGER_set_uint64(crlNumber.get(), number) ||
        !X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crlNumber.get(), 0, 0) ||
        !X509_CRL_sort(crl.get()) || X509_CRL_sign(crl.get(), signer.get(), EVP_sha256()) <= 0)
    {
        ThrowOpenSsl("CRL extensions or signature");
    }
    unsigned char* out = nullptr;
    const int len = i2d_X509_CRL(crl.get(), &out);
    if (len <= 0)
    {
        ThrowOpenSsl("i2d_X509_CRL");
    }
    Der der(out, out + len);
    OPENSSL_free(out);
    return der;
}

CertificateInfo
DescribeCertificate(const Der& der)
{
    X509Ptr x = ParseCert(der);
    CertificateInfo info;
    info.subjectParts = NameParts(X509_get_subject_name(x.get()));
    info.issuerParts = NameParts(X509_get_issuer_name(x.get()));
    info.subject = NameText(info.subjectParts);
    info.issuer = NameText(info.issuerParts);
    info.serial = IntegerBytes(X509_get0_serialNumber(x.get()));
    info.notBefore = Seconds(X509_get0_notBefore(x.get()));
    info.notAfter = Seconds(X509_get0_notAfter(x.get()));
    const EVP_PKEY* key = X509_get0_pubkey(x.get());
    info.keyBits = key ? EVP_PKEY_get_bits(key) : 0;
    unsigned char* spki = nullptr;
    const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x.get()), &spki);
    if (len > 0)
    {
        info.publicKey.assign(spki, spki + len);
    }
    OPENSSL_free(spki);
    ReadAltNames(x.get(), info);
    info.ca = X509_check_ca(x.get()) > 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdLen = 0;
    if (X509_digest(x.get(), EVP_md5(), md, &mdLen))
    {
        info.md5.assign(md, md + mdLen);
    }
    if (X509_digest(x.get(), EVP_sha1(), md, &mdLen))
    {
        info.sha1.assign(md, md + mdLen);
    }
    info.selfSigned =
        X509_NAME_cmp(X509_get_subject_name(x.get()), X509_get_issuer_name(x.get())) == 0;
    return info;
}

CrlInfo
DescribeCrl(const Der& der)
{
    CrlPtr crl = DecodeDer<CrlPtr>(der, d2i_X509_CRL, true);
    if (!crl)
    {
        throw std::invalid_argument("not a DER X.509 CRL");
    }
    CrlInfo info;
    info.issuer = NameText(NameParts(X509_CRL_get_issuer(crl.get())));
    info.thisUpdate = Seconds(X509_CRL_get0_lastUpdate(crl.get()));
    if (X509_CRL_get0_nextUpdate(crl.get()))
    {
        info.nextUpdate = Seconds(X509_CRL_get0_nextUpdate(crl.get()));
    }
    STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; revoked && i < sk_X509_REVOKED_num(revoked); ++i)
    {
        info.revokedSerials.push_back(
            IntegerBytes(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
    }
    return info;
}

int64_t
ParseUtcDate(const std::string& text)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    int used = 0;
    const bool dateOnly = std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) == 3 &&
                          static_cast<size_t>(used) == text.size();
    const bool full = !dateOnly &&
                      std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &y, &mo, &d, &h, &mi,
                                  &s, &tail, &used) == 7 &&
                      tail == 'Z' && static_cast<size_t>(used) == text.size();
    if ((!dateOnly && !full) || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || s > 59)
    {
        throw std::invalid_argument("\"" + text +
                                    "\": expected a UTC date YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    }
    return DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
           h * 3600 + mi * 60 + s;
}

} // namespace ipsec
} // namespace ns3
