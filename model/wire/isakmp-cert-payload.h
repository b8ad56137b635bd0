// The Certificate and Certificate Request payloads (RFC 2408 3.9, 3.10).
#ifndef IPSEC_ISAKMP_CERT_PAYLOAD_H
#define IPSEC_ISAKMP_CERT_PAYLOAD_H

#include "ns3/isakmp-payload.h"

namespace ns3
{

/** Certificate Encoding / Certificate Type values (RFC 2408 3.9); 11-255 are reserved. */
enum IsakmpCertEncoding : uint8_t
{
    ISAKMP_CERT_NONE = 0,
    ISAKMP_CERT_PKCS7 = 1,
    ISAKMP_CERT_PGP = 2,
    ISAKMP_CERT_DNS_SIGNED_KEY = 3,
    ISAKMP_CERT_X509_SIGNATURE = 4,
    ISAKMP_CERT_X509_KEY_EXCHANGE = 5,
    ISAKMP_CERT_KERBEROS = 6,
    ISAKMP_CERT_CRL = 7,
    ISAKMP_CERT_ARL = 8,
    ISAKMP_CERT_SPKI = 9,
    ISAKMP_CERT_X509_ATTRIBUTE = 10,
};

/**
 * @brief Certificate payload (RFC 2408 3.9): Cert Encoding (1 octet), then Certificate Data.
 *
 * Parsing refuses a payload without data (PAYLOAD-MALFORMED) and a reserved encoding
 * (INVALID-CERT-ENCODING).
 */
class IsakmpCertificatePayload : public IsakmpPayload
{
public:
    IsakmpCertificatePayload();
    /** A certificate of @p encoding (an X.509 one: its DER) */
    IsakmpCertificatePayload(uint8_t encoding, const std::vector<uint8_t>& data);
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    uint8_t GetEncoding() const
    {
        return m_encoding;
    }

    const std::vector<uint8_t>& GetData() const
    {
        return m_data;
    }

private:
    uint8_t m_encoding = ISAKMP_CERT_X509_SIGNATURE;
    std::vector<uint8_t> m_data;
};

/**
 * @brief Certificate Request payload (RFC 2408 3.10): Cert. Type (1 octet), then the
 * Certificate Authority (for X.509, the DER Name of an acceptable CA), which may be empty.
 *
 * Parsing refuses a payload without its type octet (PAYLOAD-MALFORMED) and a reserved type
 * (CERT-TYPE-UNSUPPORTED).
 */
class IsakmpCertificateRequestPayload : public IsakmpPayload
{
public:
    IsakmpCertificateRequestPayload();
    IsakmpCertificateRequestPayload(uint8_t certType, const std::vector<uint8_t>& authority);
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint8_t GetPayloadType() const override;
    std::unique_ptr<IsakmpPayload> Clone() const override;
    uint32_t GetBodySize() const override;
    void SerializeBody(Buffer::Iterator& i) const override;
    IsakmpParseStatus ParseBody(const uint8_t* body, size_t len) override;

    uint8_t GetCertType() const
    {
        return m_certType;
    }

    const std::vector<uint8_t>& GetAuthority() const
    {
        return m_authority;
    }

private:
    uint8_t m_certType = ISAKMP_CERT_X509_SIGNATURE;
    std::vector<uint8_t> m_authority;
};

} // namespace ns3

#endif
