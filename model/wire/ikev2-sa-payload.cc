#include "ns3/ikev2-sa-payload.h"

#include "ikev2-wire-util.h"

#include <stdexcept>

namespace ns3
{

using namespace ikev2_wire;

namespace
{

/** Last Substruc of a proposal / transform that has a successor (RFC 7296 3.3.1, 3.3.2). */
constexpr uint8_t MORE_PROPOSALS = 2;
constexpr uint8_t MORE_TRANSFORMS = 3;

/** The 16-bit length at @p at, once what follows @p start is written. */
void
FinishLength(Bytes& out, size_t start, const char* what)
{
    const size_t length = out.size() - start;
    if (length > 0xffff)
    {
        throw std::length_error(std::string(what) + " of " + std::to_string(length) + " bytes");
    }
    SetBe16(out, start + 2, static_cast<uint16_t>(length));
}

/** Read "Last Substruc, RESERVED, Length" of a substructure: the length, within @p len. */
Status
ReadSubstructHeader(const uint8_t* data, size_t len, const char* what, size_t fixed,
                    uint8_t moreValue, size_t& length, bool& more)
{
    if (len < fixed)
    {
        return Short(what, 0, fixed, len);
    }
    if (data[0] != 0 && data[0] != moreValue)
    {
        return Syntax(Status::BAD_PAYLOAD_TYPE, 0,
                      std::string(what) + " Last Substruc " + std::to_string(data[0]) +
                          " (only 0 or " + std::to_string(moreValue) + " allowed)");
    }
    length = Be16(data + 2);
    if (length < fixed || length > len)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 2,
                      std::string(what) + " Length " + std::to_string(length) + " (needs " +
                          std::to_string(fixed) + " to " + std::to_string(len) + ")");
    }
    more = data[0] == moreValue;
    return Status::Success();
}

/** Parse the attributes filling @p len bytes exactly. */
Status
ParseAttributes(const uint8_t* data, size_t len, std::vector<Ikev2TransformAttribute>& out)
{
    size_t off = 0;
    while (off < len)
    {
        if (out.size() >= Ikev2Transform::MAX_ATTRIBUTES)
        {
            return Syntax(Status::TOO_MANY, off,
                          "more than " + std::to_string(Ikev2Transform::MAX_ATTRIBUTES) +
                              " attributes in one transform");
        }
        if (len - off < 4)
        {
            return Short("transform attribute", off, 4, len - off);
        }
        Ikev2TransformAttribute a;
        const uint16_t word = Be16(data + off);
        a.tv = (word & 0x8000) != 0;
        a.type = word & 0x7fff;
        a.value = Be16(data + off + 2);
        size_t size = 4;
        if (!a.tv)
        {
            size += a.value;
            if (size > len - off)
            {
                return Syntax(Status::BAD_PAYLOAD_LENGTH, off + 2,
                              "TLV attribute of " + std::to_string(a.value) + " bytes, " +
                                  std::to_string(len - off - 4) + " left in the transform");
            }
            a.bytes.assign(data + off + 4, data + off + size);
            a.value = 0;
        }
        out.push_back(std::move(a));
        off += size;
    }
    return Status::Success();
}

} // namespace

// --- attribute --------------------------------------------------------------------------------

void
Ikev2TransformAttribute::AppendTo(Bytes& out) const
{
    PutBe16(out, static_cast<uint16_t>((tv ? 0x8000 : 0) | (type & 0x7fff)));
    if (tv)
    {
        PutBe16(out, value);
        return;
    }
    if (bytes.size() > 0xffff)
    {
        throw std::length_error("TLV transform attribute of " + std::to_string(bytes.size()) +
                                " bytes");
    }
    PutBe16(out, static_cast<uint16_t>(bytes.size()));
    out.insert(out.end(), bytes.begin(), bytes.end());
}

bool
Ikev2TransformAttribute::operator==(const Ikev2TransformAttribute& o) const
{
    return type == o.type && tv == o.tv && value == o.value && bytes == o.bytes;
}

// --- transform --------------------------------------------------------------------------------

Ikev2Transform
Ikev2Transform::Make(uint8_t type, uint16_t id, uint16_t keyBits)
{
    Ikev2Transform t;
    t.type = type;
    t.id = id;
    if (keyBits != 0)
    {
        Ikev2TransformAttribute a;
        a.type = IKEV2_ATTR_KEY_LENGTH;
        a.value = keyBits;
        t.attributes.push_back(a);
    }
    return t;
}

std::optional<uint16_t>
Ikev2Transform::KeyLength() const
{
    for (const Ikev2TransformAttribute& a : attributes)
    {
        if (a.tv && a.type == IKEV2_ATTR_KEY_LENGTH)
        {
            return a.value;
        }
    }
    return std::nullopt;
}

void
Ikev2Transform::AppendTo(Bytes& out, bool last) const
{
    const size_t start = out.size();
    out.push_back(last ? 0 : MORE_TRANSFORMS);
    out.push_back(0);
    PutBe16(out, 0);
    out.push_back(type);
    out.push_back(0);
    PutBe16(out, id);
    for (const Ikev2TransformAttribute& a : attributes)
    {
        a.AppendTo(out);
    }
    FinishLength(out, start, "transform");
}

Status
Ikev2Transform::Parse(const uint8_t* data, size_t len, size_t& length, bool& more)
{
    Status s = ReadSubstructHeader(data, len, "transform", 8, MORE_TRANSFORMS, length, more);
    if (!s.Ok())
    {
        return s;
    }
    type = data[4];
    id = Be16(data + 6);
    attributes.clear();
    return ParseAttributes(data + 8, length - 8, attributes).Shifted(8);
}

bool
Ikev2Transform::operator==(const Ikev2Transform& o) const
{
    return type == o.type && id == o.id && attributes == o.attributes;
}

// --- proposal ---------------------------------------------------------------------------------

const Ikev2Transform*
Ikev2Proposal::Find(uint8_t t) const
{
    for (const Ikev2Transform& x : transforms)
    {
        if (x.type == t)
        {
            return &x;
        }
    }
    return nullptr;
}

void
Ikev2Proposal::AppendTo(Bytes& out, bool last) const
{
    if (spi.size() > 0xff || transforms.size() > MAX_TRANSFORMS)
    {
        throw std::length_error("proposal with a " + std::to_string(spi.size()) + "-byte SPI and " +
                                std::to_string(transforms.size()) + " transforms");
    }
    const size_t start = out.size();
    out.push_back(last ? 0 : MORE_PROPOSALS);
    out.push_back(0);
    PutBe16(out, 0);
    out.push_back(number);
    out.push_back(protocol);
    out.push_back(static_cast<uint8_t>(spi.size()));
    out.push_back(static_cast<uint8_t>(transforms.size()));
    out.insert(out.end(), spi.begin(), spi.end());
    for (size_t k = 0; k < transforms.size(); ++k)
    {
        transforms[k].AppendTo(out, k + 1 == transforms.size());
    }
    FinishLength(out, start, "proposal");
}

Status
Ikev2Proposal::Parse(const uint8_t* data, size_t len, size_t& length, bool& more)
{
    Status s = ReadSubstructHeader(data, len, "proposal", 8, MORE_PROPOSALS, length, more);
    if (!s.Ok())
    {
        return s;
    }
    number = data[4];
    protocol = data[5];
    const size_t spiSize = data[6];
    const size_t count = data[7];
    if (8 + spiSize > length)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, 6,
                      "proposal SPI Size " + std::to_string(spiSize) + " beyond its " +
                          std::to_string(length) + "-byte proposal");
    }
    spi.assign(data + 8, data + 8 + spiSize);
    transforms.clear();
    size_t off = 8 + spiSize;
    bool moreTransforms = off < length;
    while (moreTransforms)
    {
        if (off == length)
        {
            return Syntax(Status::TRUNCATED, off,
                          "transform announces another transform but its proposal ends");
        }
        Ikev2Transform t;
        size_t tlen = 0;
        s = t.Parse(data + off, length - off, tlen, moreTransforms);
        if (!s.Ok())
        {
            return s.Shifted(off);
        }
        transforms.push_back(std::move(t));
        off += tlen;
    }
    if (off != length)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, off,
                      std::to_string(length - off) + " bytes after the last transform");
    }
    if (transforms.size() != count)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 7,
                      "proposal announces " + std::to_string(count) + " transforms and carries " +
                          std::to_string(transforms.size()));
    }
    return Status::Success();
}

bool
Ikev2Proposal::operator==(const Ikev2Proposal& o) const
{
    return number == o.number && protocol == o.protocol && spi == o.spi &&
           transforms == o.transforms;
}

// --- SA payload -------------------------------------------------------------------------------

uint8_t
Ikev2SaPayload::GetType() const
{
    return IKEV2_PAYLOAD_SA;
}

std::unique_ptr<Ikev2Payload>
Ikev2SaPayload::Clone() const
{
    return std::make_unique<Ikev2SaPayload>(*this);
}

void
Ikev2SaPayload::AppendBody(Bytes& out) const
{
    for (size_t k = 0; k < proposals.size(); ++k)
    {
        proposals[k].AppendTo(out, k + 1 == proposals.size());
    }
}

Status
Ikev2SaPayload::ParseBody(const uint8_t* body, size_t len)
{
    proposals.clear();
    if (len == 0)
    {
        return Syntax(Status::BAD_PAYLOAD_BODY, 0, "SA payload without a proposal");
    }
    size_t off = 0;
    bool more = true;
    while (more)
    {
        if (off == len)
        {
            return Syntax(Status::TRUNCATED, off,
                          "proposal announces another proposal but the SA payload ends");
        }
        if (proposals.size() >= MAX_PROPOSALS)
        {
            return Syntax(Status::TOO_MANY, off,
                          "more than " + std::to_string(MAX_PROPOSALS) + " proposals");
        }
        Ikev2Proposal p;
        size_t plen = 0;
        Status s = p.Parse(body + off, len - off, plen, more);
        if (!s.Ok())
        {
            return s.Shifted(off);
        }
        proposals.push_back(std::move(p));
        off += plen;
    }
    if (off != len)
    {
        return Syntax(Status::BAD_PAYLOAD_LENGTH, off,
                      std::to_string(len - off) + " bytes after the last proposal");
    }
    return Status::Success();
}

std::string
Ikev2SaPayload::Describe() const
{
    return "SA " + std::to_string(proposals.size()) + " proposals";
}

} // namespace ns3
