// Tests for the IKEv2 message layer (RFC 7296 3): the header, every payload class, the chain
// rules (critical bit, SK last) and the reasons bad input is refused with. Bytes written out by
// hand from the RFC's figures are the reference; the encoder is checked against them.
#include "ns3/byte-source.h"
#include "ns3/ikev2-message.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace ns3;
using Bytes = std::vector<uint8_t>;
using S = Ikev2ParseStatus;

namespace
{

Bytes
Cat(std::initializer_list<Bytes> parts)
{
    Bytes out;
    for (const Bytes& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/** A 28-byte header for @p len total bytes, first payload @p next. */
Bytes
HeaderBytes(uint8_t next, uint32_t len, uint8_t version = 0x20)
{
    return {1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            next,
            version,
            34,
            0x08,
            0,
            0,
            0,
            0,
            uint8_t(len >> 24),
            uint8_t(len >> 16),
            uint8_t(len >> 8),
            uint8_t(len)};
}

/** A payload with generic header: next, flags octet, body. */
Bytes
PayloadBytes(uint8_t next, uint8_t flags, const Bytes& body)
{
    const size_t len = body.size() + 4;
    return Cat({{next, flags, uint8_t(len >> 8), uint8_t(len)}, body});
}

template <class T>
S
ParseAs(T& p, const Bytes& bytes)
{
    return p.Parse(bytes.data(), bytes.size());
}

Bytes
Nonce16()
{
    return Bytes(16, 0xaa);
}

} // namespace

TEST(Ikev2Header, Layout)
{
    Ikev2Header h;
    h.spiI = Ikev2SpiFromUint64(0x0102030405060708);
    h.spiR = Ikev2SpiFromUint64(0);
    h.nextPayload = IKEV2_PAYLOAD_SA;
    h.exchangeType = IKEV2_EXCH_IKE_SA_INIT;
    h.flags = Ikev2Header::FLAG_INITIATOR;
    h.messageId = 0;
    h.length = 28;
    Bytes out;
    h.AppendTo(out);
    EXPECT_EQ(out, HeaderBytes(33, 28));
    Ikev2Header back;
    ASSERT_TRUE(back.Read(out.data(), out.size()).Ok());
    EXPECT_EQ(Ikev2SpiToUint64(back.spiI), 0x0102030405060708u);
    EXPECT_TRUE(back.IsInitiator());
    EXPECT_FALSE(back.IsResponse());
}

TEST(Ikev2Header, VersionAndSize)
{
    Ikev2Header h;
    Bytes b = HeaderBytes(0, 28, 0x10);
    S s = h.Read(b.data(), b.size());
    EXPECT_EQ(s.code, S::BAD_VERSION);
    EXPECT_EQ(s.notify, IKEV2_N_INVALID_MAJOR_VERSION);
    EXPECT_EQ(s.offset, 17u);
    b = HeaderBytes(0, 28, 0x2f); // RFC 7296 3.1: the Minor Version is ignored
    EXPECT_TRUE(h.Read(b.data(), b.size()).Ok());
    s = h.Read(b.data(), 27);
    EXPECT_EQ(s.code, S::TRUNCATED);
    EXPECT_NE(s.ToString().find("needs 28 bytes, 27 given"), std::string::npos) << s.ToString();
}

// An IKE_SA_INIT response refusing with INVALID_KE_PAYLOAD (accepted group 19) written by hand.
TEST(Ikev2Message, DecodesHandWrittenBytes)
{
    const Bytes notify = PayloadBytes(0, 0, {0, 0, 0, 17, 0, 19});
    const Bytes msg = Cat({HeaderBytes(41, 28 + notify.size()), notify});
    Ikev2Message m;
    ASSERT_TRUE(m.Parse(msg.data(), msg.size()).Ok());
    const auto* n = m.FindNotify(IKEV2_N_INVALID_KE_PAYLOAD);
    ASSERT_NE(n, nullptr);
    EXPECT_TRUE(n->IsError());
    EXPECT_EQ(n->data, Bytes({0, 19}));
    EXPECT_EQ(m.ToBytes(), msg);
    EXPECT_EQ(m.Describe(), "IKE_SA_INIT request #0 [ N(INVALID_KE_PAYLOAD) ]");
}

TEST(Ikev2Message, LengthMustMatchDatagram)
{
    const Bytes n = PayloadBytes(0, 0, Nonce16());
    Bytes msg = Cat({HeaderBytes(40, 28 + n.size() + 1), n});
    Ikev2Message m;
    S s = m.Parse(msg.data(), msg.size());
    EXPECT_EQ(s.code, S::BAD_MESSAGE_LENGTH);
    EXPECT_EQ(s.offset, 24u);
    msg.push_back(0); // now as long as the header says, one byte after the last payload
    s = m.Parse(msg.data(), msg.size());
    EXPECT_EQ(s.code, S::TRAILING_DATA);
    EXPECT_EQ(s.offset, 28u + n.size());
}

// RFC 7296 2.5 and 3.2: an unknown payload with the critical bit rejects the message with
// UNSUPPORTED_CRITICAL_PAYLOAD naming the type; without it the payload is skipped (kept raw);
// the bit is ignored on a type we understand.
TEST(Ikev2Message, CriticalBit)
{
    const Bytes unknown = PayloadBytes(40, 0x80, {1, 2, 3});
    const Bytes nonce = PayloadBytes(0, 0, Nonce16());
    Bytes msg = Cat({HeaderBytes(200, 28 + unknown.size() + nonce.size()), unknown, nonce});
    Ikev2Message m;
    S s = m.Parse(msg.data(), msg.size());
    EXPECT_EQ(s.code, S::UNSUPPORTED_CRITICAL);
    EXPECT_EQ(s.notify, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD);
    EXPECT_EQ(s.critical, 200);
    EXPECT_EQ(s.offset, 28u);

    msg[29] = 0; // not critical: skipped
    ASSERT_TRUE(m.Parse(msg.data(), msg.size()).Ok());
    ASSERT_EQ(m.payloads.size(), 2u);
    EXPECT_EQ(m.payloads[0]->GetType(), 200);
    EXPECT_EQ(m.ToBytes(), msg);

    msg[29] = 0x80;
    msg[16] = IKEV2_PAYLOAD_VENDOR_ID; // known type with C set: accepted, bit kept
    ASSERT_TRUE(m.Parse(msg.data(), msg.size()).Ok());
    EXPECT_TRUE(m.payloads[0]->IsCritical());
    EXPECT_EQ(m.ToBytes(), msg);
}

TEST(Ikev2Message, PayloadLengthOutOfRange)
{
    Bytes nonce = PayloadBytes(0, 0, Nonce16());
    nonce[3] = 200;
    const Bytes msg = Cat({HeaderBytes(40, 28 + nonce.size()), nonce});
    Ikev2Message m;
    S s = m.Parse(msg.data(), msg.size());
    EXPECT_EQ(s.code, S::BAD_PAYLOAD_LENGTH);
    EXPECT_EQ(s.offset, 30u);
    EXPECT_EQ(s.notify, IKEV2_N_INVALID_SYNTAX);
    EXPECT_NE(s.reason.find("Payload Length 200"), std::string::npos) << s.reason;
}

TEST(Ikev2Message, TooManyPayloads)
{
    Bytes chain;
    for (int k = 0; k < 65; ++k)
    {
        chain = Cat({chain, PayloadBytes(k == 64 ? 0 : 43, 0, {uint8_t(k)})});
    }
    const Bytes msg = Cat({HeaderBytes(43, 28 + chain.size()), chain});
    Ikev2Message m;
    EXPECT_EQ(m.Parse(msg.data(), msg.size()).code, S::TOO_MANY);
}

TEST(Ikev2Message, SkMustBeLast)
{
    const Bytes sk = PayloadBytes(40, 0, Bytes(40, 1)); // SK, first inner Nonce
    const Bytes v = PayloadBytes(0, 0, {1});
    Bytes msg = Cat({HeaderBytes(46, 28 + sk.size() + v.size()), sk, v});
    Ikev2Message m;
    S s = m.Parse(msg.data(), msg.size());
    EXPECT_EQ(s.code, S::TRAILING_DATA);
    EXPECT_NE(s.reason.find("must be the last payload"), std::string::npos);
    msg = Cat({HeaderBytes(46, 28 + sk.size()), sk});
    ASSERT_TRUE(m.Parse(msg.data(), msg.size()).Ok());
    ASSERT_NE(m.GetEncrypted(), nullptr);
    EXPECT_EQ(m.GetEncrypted()->firstInner, IKEV2_PAYLOAD_NONCE);
    EXPECT_EQ(m.ToBytes(), msg);
}

// Seal / Open with faults inside the SK payload: reported with "inside SK" and an offset in the
// decrypted chain; an SK payload inside SK is refused.
TEST(Ikev2Message, FaultsInsideSk)
{
    using namespace ipsec;
    Ikev2SkCipher c(Ikev2EncrAlgorithm::AES_CBC_128, Bytes(16, 1),
                    Ikev2IntegAlgorithm::HMAC_SHA2_256_128, Bytes(32, 2));
    FixedByteSource iv(Bytes{9});
    Ikev2Message m;
    m.header.exchangeType = IKEV2_EXCH_INFORMATIONAL;
    Ikev2NoncePayload n;
    n.nonce = Nonce16();
    m.AddInner(n);
    Bytes msg = m.Seal(c, iv);
    EXPECT_EQ(msg[16], IKEV2_PAYLOAD_SK);
    Ikev2Message r;
    ASSERT_TRUE(r.Open(msg.data(), msg.size(), c).Ok());
    ASSERT_EQ(r.inner.size(), 1u);

    m.inner.clear();
    Ikev2UnknownPayload bad(IKEV2_PAYLOAD_NONCE); // a 3-byte nonce, written raw
    bad.body = {1, 2, 3};
    m.AddInner(bad);
    msg = m.Seal(c, iv);
    S s = r.Open(msg.data(), msg.size(), c);
    EXPECT_EQ(s.code, S::BAD_PAYLOAD_BODY);
    EXPECT_EQ(s.offset, 4u);
    EXPECT_EQ(s.reason.rfind("inside SK: Nonce of 3 bytes", 0), 0u) << s.reason;

    m.inner.clear();
    Ikev2UnknownPayload nested(IKEV2_PAYLOAD_SK);
    nested.body = Bytes(20, 0);
    m.AddInner(nested);
    msg = m.Seal(c, iv);
    EXPECT_EQ(r.Open(msg.data(), msg.size(), c).code, S::BAD_PAYLOAD_TYPE);

    msg[msg.size() - 1] ^= 1;
    s = r.Open(msg.data(), msg.size(), c);
    EXPECT_EQ(s.code, S::INTEGRITY_FAILED);
    EXPECT_EQ(s.notify, 0); // dropped silently, RFC 7296 2.21.2
}

TEST(Ikev2Message, SealRefusesReceivedSk)
{
    ipsec::Ikev2SkCipher c(ipsec::Ikev2EncrAlgorithm::AES_GCM16_128, Bytes(20, 1),
                           ipsec::Ikev2IntegAlgorithm::NONE, {});
    ipsec::FixedByteSource iv(Bytes{9});
    Ikev2Message m;
    m.Add(Ikev2EncryptedPayload());
    EXPECT_THROW(m.Seal(c, iv), std::logic_error);
    Ikev2Message inner;
    inner.AddInner(Ikev2VendorIdPayload());
    EXPECT_THROW(inner.ToBytes(), std::logic_error);
}

// --- SA ---------------------------------------------------------------------------------------

// RFC 7296 3.3: one IKE proposal ENCR_AES_CBC/256, PRF_HMAC_SHA2_256, AUTH_HMAC_SHA2_256_128,
// group 14, written out by hand.
TEST(Ikev2Sa, LayoutOfAnIkeProposal)
{
    const Bytes expected = {
        0, 0, 0, 44, 1, 1, 0, 4,                  // last proposal, 44 bytes, #1 IKE, 4 tf
        3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 1, 0, // ENCR 12, Key Length 256
        3, 0, 0, 8,  2, 0, 0, 5,                  // PRF 5
        3, 0, 0, 8,  3, 0, 0, 12,                 // INTEG 12
        0, 0, 0, 8,  4, 0, 0, 14,                 // D-H 14 (last)
    };
    Ikev2Proposal p;
    p.transforms = {Ikev2Transform::Make(IKEV2_TRANSFORM_ENCR, IKEV2_ENCR_AES_CBC, 256),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_PRF, IKEV2_PRF_HMAC_SHA2_256),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128),
                    Ikev2Transform::Make(IKEV2_TRANSFORM_DH, 14)};
    Ikev2SaPayload sa;
    sa.proposals.push_back(p);
    Bytes body;
    sa.AppendBody(body);
    EXPECT_EQ(body, expected);
    Ikev2SaPayload back;
    ASSERT_TRUE(back.ParseBody(expected.data(), expected.size()).Ok());
    ASSERT_EQ(back.proposals.size(), 1u);
    EXPECT_EQ(back.proposals[0], p);
    EXPECT_EQ(back.proposals[0].Find(IKEV2_TRANSFORM_ENCR)->KeyLength(), 256);
    EXPECT_EQ(back.proposals[0].Find(IKEV2_TRANSFORM_ESN), nullptr);
}

TEST(Ikev2Sa, Refusals)
{
    Ikev2SaPayload sa;
    Bytes ok = {0, 0, 0, 20, 1, 3, 4, 1, 0xc1, 0, 0, 1, 0, 0, 0, 8, 5, 0, 0, 0};
    ASSERT_TRUE(sa.ParseBody(ok.data(), ok.size()).Ok());
    EXPECT_EQ(sa.proposals[0].spi, Bytes({0xc1, 0, 0, 1}));

    auto fails = [&](Bytes b, S::Code code, const char* text)
    {
        Ikev2SaPayload p;
        S s = p.ParseBody(b.data(), b.size());
        EXPECT_EQ(s.code, code) << text << ": " << s.ToString();
        EXPECT_NE(s.reason.find(text), std::string::npos) << s.reason;
        EXPECT_LE(s.offset, b.size());
    };
    fails({}, S::BAD_PAYLOAD_BODY, "without a proposal");
    Bytes b = ok;
    b[0] = 3; // Last Substruc of a proposal is 0 or 2
    fails(b, S::BAD_PAYLOAD_TYPE, "Last Substruc 3");
    b = ok;
    b[0] = 2; // announces another proposal
    fails(b, S::TRUNCATED, "announces another proposal");
    b = ok;
    b[7] = 2; // Num Transforms disagrees
    fails(b, S::BAD_PAYLOAD_BODY, "announces 2 transforms and carries 1");
    b = ok;
    b[3] = 16; // Proposal Length too short for its transform
    b.resize(16);
    fails(b, S::TRUNCATED, "transform needs 8 bytes, 4 left");
    b = ok;
    b[6] = 20; // SPI Size beyond the proposal
    fails(b, S::BAD_PAYLOAD_LENGTH, "SPI Size 20");
    b = ok;
    b[12] = 3; // the transform announces another one
    fails(b, S::TRUNCATED, "announces another transform");
    // A TLV attribute longer than its transform.
    b = {0, 0, 0, 20, 1, 3, 0, 1, 0, 0, 0, 12, 1, 0, 0, 12, 0x00, 14, 0, 9};
    fails(b, S::BAD_PAYLOAD_LENGTH, "TLV attribute of 9 bytes");
}

TEST(Ikev2Sa, TooManyProposals)
{
    Bytes body;
    for (int k = 0; k < 65; ++k)
    {
        Bytes p = {uint8_t(k == 64 ? 0 : 2), 0, 0, 8, uint8_t(k + 1), 1, 0, 0};
        body.insert(body.end(), p.begin(), p.end());
    }
    Ikev2SaPayload sa;
    EXPECT_EQ(sa.ParseBody(body.data(), body.size()).code, S::TOO_MANY);
}

// --- the simple payloads ----------------------------------------------------------------------

TEST(Ikev2Payloads, RoundTripsAndFields)
{
    Ikev2KePayload ke;
    ke.dhGroup = 19;
    ke.data = Bytes(64, 3);
    EXPECT_EQ(ke.ToBytes(IKEV2_PAYLOAD_NONCE), Cat({{40, 0, 0, 72, 0, 19, 0, 0}, Bytes(64, 3)}));
    Ikev2IdPayload id(IKEV2_PAYLOAD_IDR);
    id.idType = IKEV2_ID_IPV4_ADDR;
    id.data = {10, 0, 0, 1};
    EXPECT_EQ(id.ToBytes(), Bytes({0, 0, 0, 12, 1, 0, 0, 0, 10, 0, 0, 1}));
    EXPECT_EQ(id.Describe(), "IDr type 1 10.0.0.1");
    Ikev2NotifyPayload n;
    n.protocol = IKEV2_PROTO_ESP;
    n.spi = {1, 2, 3, 4};
    n.notifyType = IKEV2_N_REKEY_SA;
    EXPECT_EQ(n.ToBytes(), Bytes({0, 0, 0, 12, 3, 4, 0x40, 0x09, 1, 2, 3, 4}));
    Ikev2DeletePayload d;
    d.spis = {0x11223344, 0x55667788};
    EXPECT_EQ(d.ToBytes(),
              Bytes({0, 0, 0, 16, 3, 4, 0, 2, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}));
    Ikev2TsPayload ts(IKEV2_PAYLOAD_TSR);
    ts.selectors.push_back(Ikev2TrafficSelector::Ipv4(0x0a000000, 0x0a0000ff, 17, 500, 500));
    EXPECT_EQ(ts.ToBytes(), Bytes({0, 0,    0, 24,   1,  0, 0, 0, 7,  17, 0, 16,
                                   1, 0xf4, 1, 0xf4, 10, 0, 0, 0, 10, 0,  0, 255}));
    EXPECT_EQ(ts.Describe(), "TSr 10.0.0.0-10.0.0.255 proto 17 port 500-500");

    std::vector<std::unique_ptr<Ikev2Payload>> all;
    all.push_back(ke.Clone());
    all.push_back(id.Clone());
    all.push_back(n.Clone());
    all.push_back(d.Clone());
    all.push_back(ts.Clone());
    for (const auto& p : all)
    {
        const Bytes b = p->ToBytes();
        auto q = Ikev2Payload::Create(p->GetType());
        ASSERT_TRUE(q->Parse(b.data(), b.size()).Ok()) << p->Describe();
        EXPECT_EQ(q->ToBytes(), b);
        EXPECT_EQ(q->GetPayloadLength(), b.size());
    }
}

TEST(Ikev2Payloads, Refusals)
{
    auto fails = [](uint8_t type, const Bytes& body, S::Code code, const char* text)
    {
        const Bytes bytes = PayloadBytes(0, 0, body);
        auto p = Ikev2Payload::Create(type);
        S s = p->Parse(bytes.data(), bytes.size());
        EXPECT_EQ(s.code, code) << text << ": " << s.ToString();
        EXPECT_NE(s.reason.find(text), std::string::npos) << s.reason;
        EXPECT_EQ(s.notify, IKEV2_N_INVALID_SYNTAX);
        EXPECT_LE(s.offset, bytes.size());
    };
    fails(IKEV2_PAYLOAD_KE, {0, 14, 0, 0}, S::BAD_PAYLOAD_BODY, "no Key Exchange Data");
    fails(IKEV2_PAYLOAD_KE, {0, 14}, S::TRUNCATED, "KE needs 4 bytes");
    fails(IKEV2_PAYLOAD_IDI, {1, 0, 0, 0, 10, 0, 0}, S::BAD_PAYLOAD_BODY, "with 3 bytes");
    fails(IKEV2_PAYLOAD_AUTH, {2, 0, 0, 0}, S::BAD_PAYLOAD_BODY, "AUTH carries no data");
    fails(IKEV2_PAYLOAD_NONCE, Bytes(15, 1), S::BAD_PAYLOAD_BODY, "Nonce of 15 bytes");
    fails(IKEV2_PAYLOAD_NONCE, Bytes(257, 1), S::BAD_PAYLOAD_BODY, "Nonce of 257 bytes");
    fails(IKEV2_PAYLOAD_NOTIFY, {3, 4, 0x40, 9, 1, 2}, S::BAD_PAYLOAD_LENGTH, "SPI Size 4");
    fails(IKEV2_PAYLOAD_DELETE, {1, 0, 0, 1}, S::BAD_PAYLOAD_BODY, "SPI Size 0, no SPIs");
    fails(IKEV2_PAYLOAD_DELETE, {3, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, S::BAD_PAYLOAD_BODY,
          "SPI Size 8");
    fails(IKEV2_PAYLOAD_DELETE, {3, 4, 0, 2, 1, 2, 3, 4}, S::BAD_PAYLOAD_LENGTH,
          "announces 2 SPIs in 4 bytes");
    fails(IKEV2_PAYLOAD_DELETE, {9, 4, 0, 0}, S::BAD_PAYLOAD_BODY, "Protocol ID 9");
    fails(IKEV2_PAYLOAD_CERT, {4}, S::BAD_PAYLOAD_BODY, "no Certificate Data");
    fails(IKEV2_PAYLOAD_CERTREQ, Cat({{4}, Bytes(21, 0)}), S::BAD_PAYLOAD_BODY, "multiple of 20");
    fails(IKEV2_PAYLOAD_VENDOR_ID, {}, S::BAD_PAYLOAD_BODY, "Vendor ID payload is empty");
    const Bytes sel = {7, 0, 0, 16, 0, 0, 255, 255, 10, 0, 0, 0, 10, 0, 0, 255};
    fails(IKEV2_PAYLOAD_TSI, Cat({{0, 0, 0, 0}}), S::BAD_PAYLOAD_BODY, "with no selector");
    fails(IKEV2_PAYLOAD_TSI, Cat({{2, 0, 0, 0}, sel}), S::TRUNCATED, "traffic selector needs");
    fails(IKEV2_PAYLOAD_TSI, Cat({{1, 0, 0, 0}, sel, {0}}), S::TRAILING_DATA, "1 bytes after");
    Bytes v6 = sel;
    v6[0] = 8; // IPv6 with an IPv4 length
    fails(IKEV2_PAYLOAD_TSI, Cat({{1, 0, 0, 0}, v6}), S::BAD_PAYLOAD_LENGTH, "40 expected");
    Bytes fc = sel;
    fc[0] = 9; // Fibre Channel (RFC 4595): not ours
    fails(IKEV2_PAYLOAD_TSR, Cat({{1, 0, 0, 0}, fc}), S::BAD_PAYLOAD_BODY, "TS Type 9");
}

TEST(Ikev2Payloads, OversizeRefusedOnSerialize)
{
    Ikev2VendorIdPayload v;
    v.vendorId = Bytes(0xffff - 3, 1);
    EXPECT_THROW(v.ToBytes(), std::length_error);
    v.vendorId.pop_back();
    EXPECT_EQ(v.ToBytes().size(), 0xffffu);
    Ikev2TsPayload ts;
    Ikev2TrafficSelector bad;
    bad.start = {1, 2, 3};
    ts.selectors.push_back(bad);
    EXPECT_THROW(ts.ToBytes(), std::invalid_argument);
}

TEST(Ikev2Constants, Names)
{
    EXPECT_STREQ(Ikev2PayloadTypeName(IKEV2_PAYLOAD_SK), "SK");
    EXPECT_STREQ(Ikev2PayloadTypeName(49), "unknown");
    EXPECT_STREQ(Ikev2ExchangeTypeName(36), "CREATE_CHILD_SA");
    EXPECT_STREQ(Ikev2NotifyTypeName(IKEV2_N_TS_UNACCEPTABLE), "TS_UNACCEPTABLE");
    EXPECT_STREQ(Ikev2NotifyTypeName(IKEV2_N_USE_TRANSPORT_MODE), "USE_TRANSPORT_MODE");
}
