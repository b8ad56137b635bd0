// The Certificate and Certificate Request payloads (RFC 2408 3.9, 3.10): byte layout, round trips
// through the message decoder, and what the decoder refuses.
#include "ns3/isakmp-payloads.h"

#include "common/pki-fixtures.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace ns3;

namespace
{

/** A message of @p payloads after a header, as bytes. */
std::vector<uint8_t>
MessageOf(const std::vector<const IsakmpPayload*>& payloads)
{
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(IsakmpCookieFromUint64(0x0102030405060708ULL));
    h.SetExchangeType(ISAKMP_EXCH_MAIN_MODE);
    m.SetHeader(h);
    for (const auto* p : payloads)
    {
        m.AddPayload(p->Clone());
    }
    return m.ToBytes();
}

/** A header announcing one payload of @p type with @p body. */
std::vector<uint8_t>
RawMessage(uint8_t type, const std::vector<uint8_t>& body)
{
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(IsakmpCookieFromUint64(1));
    h.SetExchangeType(ISAKMP_EXCH_MAIN_MODE);
    m.SetHeader(h);
    m.AddPayload(IsakmpRawPayload(type, body));
    return m.ToBytes();
}

TEST(IsakmpCert, BytesAsRfc2408Lays)
{
    const IsakmpCertificatePayload cert(ISAKMP_CERT_X509_SIGNATURE, {0x30, 0x82, 0x01});
    const auto bytes = cert.ToBytes();
    // generic header (next 0, reserved 0, length 8), encoding 4, data
    EXPECT_EQ(bytes, (std::vector<uint8_t>{0, 0, 0, 8, 4, 0x30, 0x82, 0x01}));
    const IsakmpCertificateRequestPayload req(ISAKMP_CERT_X509_SIGNATURE, {});
    EXPECT_EQ(req.ToBytes(), (std::vector<uint8_t>{0, 0, 0, 5, 4}));
}

TEST(IsakmpCert, RoundTripThroughTheDecoder)
{
    const auto der = test::PkiFile("r1.crt");
    const auto ca = test::PkiFile("ca.crt");
    const IsakmpCertificateRequestPayload req(ISAKMP_CERT_X509_SIGNATURE, {0x30, 0x00});
    const IsakmpCertificatePayload cert(ISAKMP_CERT_X509_SIGNATURE, der);
    const IsakmpCertificatePayload chain(ISAKMP_CERT_X509_SIGNATURE, ca);
    const IsakmpSignaturePayload sig(std::vector<uint8_t>(128, 0x11));
    const auto bytes = MessageOf({&req, &cert, &chain, &sig});
    IsakmpParseStatus st;
    auto m = IsakmpMessage::FromBytes(bytes, &st);
    ASSERT_TRUE(m) << st.ToString();
    ASSERT_EQ(m->GetNPayloads(), 4u);
    const auto* r = m->FindPayload<IsakmpCertificateRequestPayload>();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->GetCertType(), ISAKMP_CERT_X509_SIGNATURE);
    EXPECT_EQ(r->GetAuthority(), (std::vector<uint8_t>{0x30, 0x00}));
    const auto* c0 = m->FindPayload<IsakmpCertificatePayload>(0);
    const auto* c1 = m->FindPayload<IsakmpCertificatePayload>(1);
    ASSERT_TRUE(c0 && c1);
    EXPECT_EQ(c0->GetData(), der);
    EXPECT_EQ(c1->GetData(), ca);
    EXPECT_EQ(m->ToBytes(), bytes);
    // The generic headers chain CERT_REQ -> CERT -> CERT -> SIG.
    EXPECT_EQ(bytes[16], ISAKMP_PAYLOAD_CERTIFICATE_REQUEST);
    EXPECT_EQ(m->GetPayload(0).GetNextPayload(), ISAKMP_PAYLOAD_CERTIFICATE);
    EXPECT_EQ(m->GetPayload(2).GetNextPayload(), ISAKMP_PAYLOAD_SIGNATURE);
}

TEST(IsakmpCert, DecoderRejects)
{
    struct Case
    {
        uint8_t type;
        std::vector<uint8_t> body;
        uint16_t notify;
    };
    const Case cases[] = {
        {ISAKMP_PAYLOAD_CERTIFICATE, {}, ISAKMP_NOTIFY_PAYLOAD_MALFORMED},  // no encoding
        {ISAKMP_PAYLOAD_CERTIFICATE, {4}, ISAKMP_NOTIFY_PAYLOAD_MALFORMED}, // no data
        {ISAKMP_PAYLOAD_CERTIFICATE, {11, 1}, ISAKMP_NOTIFY_INVALID_CERT_ENCODING},
        {ISAKMP_PAYLOAD_CERTIFICATE, {255, 1}, ISAKMP_NOTIFY_INVALID_CERT_ENCODING},
        {ISAKMP_PAYLOAD_CERTIFICATE_REQUEST, {}, ISAKMP_NOTIFY_PAYLOAD_MALFORMED},
        {ISAKMP_PAYLOAD_CERTIFICATE_REQUEST, {11}, ISAKMP_NOTIFY_CERT_TYPE_UNSUPPORTED},
    };
    for (const Case& c : cases)
    {
        SCOPED_TRACE(std::to_string(c.type) + " body of " + std::to_string(c.body.size()));
        IsakmpParseStatus st;
        EXPECT_FALSE(IsakmpMessage::FromBytes(RawMessage(c.type, c.body), &st));
        EXPECT_EQ(st.notify, c.notify) << st.ToString();
    }
    // A payload length that runs past the message.
    auto bytes = RawMessage(ISAKMP_PAYLOAD_CERTIFICATE, {4, 1, 2, 3});
    bytes[IsakmpHeader::SIZE + 3] = 60;
    IsakmpParseStatus st;
    EXPECT_FALSE(IsakmpMessage::FromBytes(bytes, &st));
    // An empty CA in a request is allowed (any CA), and so is an X.509 CRL in a CERT.
    EXPECT_TRUE(IsakmpMessage::FromBytes(RawMessage(ISAKMP_PAYLOAD_CERTIFICATE_REQUEST, {4})));
    EXPECT_TRUE(IsakmpMessage::FromBytes(RawMessage(ISAKMP_PAYLOAD_CERTIFICATE, {7, 0x30})));
}

/** The files of fuzz/corpus/@p target. */
std::vector<std::vector<uint8_t>>
Seeds(const std::string& target, const std::string& prefix = "")
{
    std::vector<std::vector<uint8_t>> out;
    const std::filesystem::path dir =
        std::filesystem::path(IPSEC_SOURCE_DIR) / "fuzz/corpus" / target;
    for (const auto& e : std::filesystem::directory_iterator(dir))
    {
        if (e.path().filename().string().rfind(prefix, 0) == 0)
        {
            std::ifstream in(e.path(), std::ios::binary);
            out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    return out;
}

TEST(IsakmpCert, FuzzSeedsAreValidInputs)
{
    // The fuzz targets start from inputs that parse, so that mutations reach the deep paths.
    const auto certs = Seeds("isakmp-cert");
    const auto reqs = Seeds("isakmp-certreq");
    ASSERT_EQ(certs.size(), 3u);
    ASSERT_EQ(reqs.size(), 2u);
    for (const auto& b : certs)
    {
        IsakmpCertificatePayload p;
        EXPECT_TRUE(p.Parse(b.data(), b.size()).Ok());
        EXPECT_EQ(p.ToBytes(), b);
    }
    for (const auto& b : reqs)
    {
        IsakmpCertificateRequestPayload p;
        EXPECT_TRUE(p.Parse(b.data(), b.size()).Ok());
        EXPECT_EQ(p.ToBytes(), b);
    }
    const auto messages = Seeds("isakmp", "rsa-sig-");
    ASSERT_EQ(messages.size(), 2u);
    for (const auto& b : messages)
    {
        IsakmpParseStatus st;
        auto m = IsakmpMessage::FromBytes(b, &st);
        ASSERT_TRUE(m) << st.ToString();
        EXPECT_TRUE(m->FindPayload<IsakmpCertificateRequestPayload>() ||
                    m->FindPayload<IsakmpCertificatePayload>());
    }
}

} // namespace
