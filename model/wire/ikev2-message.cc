#include "ns3/ikev2-message.h"

#include "ikev2-wire-util.h"

#include <stdexcept>

namespace ns3
{

using namespace ikev2_wire;

namespace
{

using PayloadList = std::vector<std::unique_ptr<Ikev2Payload>>;

PayloadList
CopyList(const PayloadList& from)
{
    PayloadList out;
    for (const auto& p : from)
    {
        out.push_back(p->Clone());
    }
    return out;
}

/** The Next Payload a payload at @p k of @p list carries: the following type, or @p last. */
uint8_t
NextOf(const PayloadList& list, size_t k, uint8_t last)
{
    return k + 1 < list.size() ? list[k + 1]->GetType() : last;
}

/** Append the chain, its last Next Payload @p last. */
void
AppendChain(Bytes& out, const PayloadList& list, uint8_t last)
{
    for (size_t k = 0; k < list.size(); ++k)
    {
        list[k]->AppendTo(out, NextOf(list, k, last));
    }
}

/** Payload types RFC 7296 defines that we keep unparsed: the critical bit is ignored. */
bool
IsUnderstood(uint8_t type)
{
    return Ikev2IsKnownPayloadType(type) || type == IKEV2_PAYLOAD_CP || type == IKEV2_PAYLOAD_EAP;
}

std::string
ListText(const PayloadList& list)
{
    std::string s;
    for (const auto& p : list)
    {
        if (!s.empty())
        {
            s += ' ';
        }
        s += Ikev2PayloadTypeName(p->GetType());
        if (p->GetType() == IKEV2_PAYLOAD_NOTIFY)
        {
            s += std::string("(") +
                 Ikev2NotifyTypeName(static_cast<const Ikev2NotifyPayload&>(*p).notifyType) + ")";
        }
    }
    return s;
}

} // namespace

Ikev2Message::Ikev2Message() = default;
Ikev2Message::~Ikev2Message() = default;

Ikev2Message::Ikev2Message(const Ikev2Message& o)
    : header(o.header), payloads(CopyList(o.payloads)), inner(CopyList(o.inner))
{
}

Ikev2Message&
Ikev2Message::operator=(const Ikev2Message& o)
{
    if (this != &o)
    {
        header = o.header;
        payloads = CopyList(o.payloads);
        inner = CopyList(o.inner);
    }
    return *this;
}

Bytes
Ikev2Message::ToBytes() const
{
    if (!inner.empty())
    {
        throw std::logic_error("Ikev2Message::ToBytes with payloads inside SK (use Seal)");
    }
    const Ikev2EncryptedPayload* sk = GetEncrypted();
    Bytes out;
    Ikev2Header h = header;
    h.nextPayload = payloads.empty() ? 0 : payloads.front()->GetType();
    h.AppendTo(out);
    AppendChain(out, payloads, sk ? sk->firstInner : 0);
    SetBe32(out, 24, static_cast<uint32_t>(out.size()));
    return out;
}

Bytes
Ikev2Message::Seal(ipsec::Ikev2SkCipher& cipher, ipsec::ByteSource& rng) const
{
    if (GetEncrypted() != nullptr)
    {
        throw std::logic_error("Ikev2Message::Seal: the cleartext payloads hold an SK payload");
    }
    Bytes plain;
    AppendChain(plain, inner, 0);
    const size_t sealed = cipher.SealedSize(plain.size());
    if (sealed + Ikev2Payload::GENERIC_HEADER_SIZE > 0xffff)
    {
        throw std::length_error("SK payload of " + std::to_string(sealed) + " bytes");
    }
    Bytes out;
    Ikev2Header h = header;
    h.nextPayload = payloads.empty() ? uint8_t(IKEV2_PAYLOAD_SK) : payloads.front()->GetType();
    h.AppendTo(out);
    AppendChain(out, payloads, IKEV2_PAYLOAD_SK);
    // SK generic header: Next Payload is the first inner payload (RFC 7296 3.14).
    out.push_back(inner.empty() ? 0 : inner.front()->GetType());
    out.push_back(0);
    PutBe16(out, static_cast<uint16_t>(Ikev2Payload::GENERIC_HEADER_SIZE + sealed));
    SetBe32(out, 24, static_cast<uint32_t>(out.size() + sealed));
    const Bytes body = cipher.Seal(out.data(), out.size(), plain, rng);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

Ikev2ParseStatus
Ikev2Message::ParseChain(const uint8_t* data, size_t len, uint8_t first, bool allowSk,
                         PayloadList& out)
{
    size_t off = 0;
    uint8_t type = first;
    while (type != IKEV2_PAYLOAD_NONE)
    {
        if (out.size() >= MAX_PAYLOADS)
        {
            return Syntax(Status::TOO_MANY, off,
                          "more than " + std::to_string(MAX_PAYLOADS) + " payloads");
        }
        if (len - off < Ikev2Payload::GENERIC_HEADER_SIZE)
        {
            return Short((std::string("payload ") + Ikev2PayloadTypeName(type)).c_str(), off,
                         Ikev2Payload::GENERIC_HEADER_SIZE, len - off);
        }
        if (!IsUnderstood(type) && (data[off + 1] & Ikev2Payload::CRITICAL_BIT) != 0)
        {
            Status s = Status::Fail(
                Status::UNSUPPORTED_CRITICAL, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, off,
                "payload type " + std::to_string(type) + " is unknown and marked critical");
            s.critical = type;
            return s;
        }
        if (type == IKEV2_PAYLOAD_SK && !allowSk)
        {
            return Syntax(Status::BAD_PAYLOAD_TYPE, off, "SK payload inside an SK payload");
        }
        std::unique_ptr<Ikev2Payload> p = Ikev2Payload::Create(type);
        Status s = p->Parse(data + off, len - off);
        if (!s.Ok())
        {
            return s.Shifted(off);
        }
        off += p->GetPayloadLength();
        type = p->GetNextPayload();
        const bool isSk = p->GetType() == IKEV2_PAYLOAD_SK;
        out.push_back(std::move(p));
        if (isSk)
        {
            // RFC 7296 3.14: the SK payload is the last one; its Next Payload is the first
            // payload inside it.
            if (off != len)
            {
                return Syntax(Status::TRAILING_DATA, off,
                              std::to_string(len - off) + " bytes after the SK payload, which " +
                                  "must be the last payload");
            }
            return Status::Success();
        }
    }
    if (off != len)
    {
        return Syntax(Status::TRAILING_DATA, off,
                      std::to_string(len - off) + " bytes after the last payload");
    }
    return Status::Success();
}

Ikev2ParseStatus
Ikev2Message::Parse(const uint8_t* data, size_t len)
{
    payloads.clear();
    inner.clear();
    Status s = header.Read(data, len);
    if (!s.Ok())
    {
        return s;
    }
    if (header.length != len)
    {
        return Syntax(Status::BAD_MESSAGE_LENGTH, 24,
                      "header Length " + std::to_string(header.length) + " but the datagram has " +
                          std::to_string(len) + " bytes");
    }
    return ParseChain(data + Ikev2Header::SIZE, len - Ikev2Header::SIZE, header.nextPayload, true,
                      payloads)
        .Shifted(Ikev2Header::SIZE);
}

Ikev2ParseStatus
Ikev2Message::Open(const uint8_t* data, size_t len, ipsec::Ikev2SkCipher& cipher)
{
    Status s = Parse(data, len);
    const Ikev2EncryptedPayload* sk = GetEncrypted();
    if (!s.Ok() || sk == nullptr)
    {
        return s;
    }
    const size_t bodyAt = len - sk->body.size();
    Bytes plain;
    std::string error;
    bool integrity = false;
    if (!cipher.Open(data, bodyAt, data + bodyAt, sk->body.size(), plain, error, integrity))
    {
        // A message that fails its integrity check is dropped silently (RFC 7296 2.21.2): no
        // notify to answer with.
        return Status::Fail(integrity ? Status::INTEGRITY_FAILED : Status::DECRYPTION_FAILED, 0,
                            bodyAt, error);
    }
    s = ParseChain(plain.data(), plain.size(), sk->firstInner, false, inner);
    if (!s.Ok())
    {
        s.reason = "inside SK: " + s.reason;
    }
    return s;
}

const Ikev2EncryptedPayload*
Ikev2Message::GetEncrypted() const
{
    if (payloads.empty() || payloads.back()->GetType() != IKEV2_PAYLOAD_SK)
    {
        return nullptr;
    }
    return dynamic_cast<const Ikev2EncryptedPayload*>(payloads.back().get());
}

const Ikev2Payload*
Ikev2Message::Find(uint8_t type) const
{
    for (const PayloadList* list : {&payloads, &inner})
    {
        for (const auto& p : *list)
        {
            if (p->GetType() == type)
            {
                return p.get();
            }
        }
    }
    return nullptr;
}

std::vector<const Ikev2NotifyPayload*>
Ikev2Message::Notifies() const
{
    std::vector<const Ikev2NotifyPayload*> out;
    for (const PayloadList* list : {&payloads, &inner})
    {
        for (const auto& p : *list)
        {
            if (auto* n = dynamic_cast<const Ikev2NotifyPayload*>(p.get()))
            {
                out.push_back(n);
            }
        }
    }
    return out;
}

const Ikev2NotifyPayload*
Ikev2Message::FindNotify(uint16_t type) const
{
    for (const Ikev2NotifyPayload* n : Notifies())
    {
        if (n->notifyType == type)
        {
            return n;
        }
    }
    return nullptr;
}

std::string
Ikev2Message::Describe() const
{
    const bool received = GetEncrypted() != nullptr;
    PayloadList clear;
    for (size_t k = 0; k + (received ? 1 : 0) < payloads.size(); ++k)
    {
        clear.push_back(payloads[k]->Clone());
    }
    std::string s = std::string(Ikev2ExchangeTypeName(header.exchangeType)) +
                    (header.IsResponse() ? " response" : " request") + " #" +
                    std::to_string(header.messageId) + " [ " + ListText(clear);
    if (received || !inner.empty())
    {
        s += std::string(clear.empty() ? "" : " ") + "SK { " + ListText(inner) + " }";
    }
    return s + " ]";
}

} // namespace ns3
