#include "ns3/ike-keymat.h"

namespace ns3
{

namespace
{
void
Append(IkeBytes& out, const IkeBytes& in)
{
    out.insert(out.end(), in.begin(), in.end());
}

void
AppendBe32(IkeBytes& out, uint32_t v)
{
    out.push_back(static_cast<uint8_t>(v >> 24));
    out.push_back(static_cast<uint8_t>(v >> 16));
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}
} // namespace

IkePhase1Keys
IkeDerivePhase1Keys(ipsec::IkeHash hash, const IkeBytes& psk, const IkeBytes& ni,
                    const IkeBytes& nr, const IkeBytes& gxy, const IkeBytes& ckyI,
                    const IkeBytes& ckyR, size_t keyLength)
{
    return IkeDerivePhase1KeysFromSkeyid(hash, ipsec::SkeyidPsk(hash, psk, ni, nr), gxy, ckyI, ckyR,
                                         keyLength);
}

IkePhase1Keys
IkeDerivePhase1KeysFromSkeyid(ipsec::IkeHash hash, const IkeBytes& skeyid, const IkeBytes& gxy,
                              const IkeBytes& ckyI, const IkeBytes& ckyR, size_t keyLength)
{
    IkePhase1Keys k;
    k.hash = hash;
    k.skeyid = skeyid;
    ipsec::IkeSkeyids s = ipsec::DeriveSkeyids(hash, k.skeyid, gxy, ckyI, ckyR);
    k.d = s.d;
    k.a = s.a;
    k.e = s.e;
    k.encryptionKey = ipsec::IkeEncryptionKey(hash, k.e, keyLength);
    return k;
}

IkeBytes
IkePhase1Hash(const IkePhase1Keys& k, const IkeBytes& firstKe, const IkeBytes& secondKe,
              const IkeBytes& firstCookie, const IkeBytes& secondCookie, const IkeBytes& saiBody,
              const IkeBytes& idBody)
{
    IkeBytes data;
    Append(data, firstKe);
    Append(data, secondKe);
    Append(data, firstCookie);
    Append(data, secondCookie);
    Append(data, saiBody);
    Append(data, idBody);
    return ipsec::IkePrf(k.hash, k.skeyid, data);
}

IkeBytes
IkeHash1(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& rest)
{
    IkeBytes data;
    AppendBe32(data, messageId);
    Append(data, rest);
    return ipsec::IkePrf(k.hash, k.a, data);
}

IkeBytes
IkeHash2(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& niBody, const IkeBytes& rest)
{
    IkeBytes data;
    AppendBe32(data, messageId);
    Append(data, niBody);
    Append(data, rest);
    return ipsec::IkePrf(k.hash, k.a, data);
}

IkeBytes
IkeHash3(const IkePhase1Keys& k, uint32_t messageId, const IkeBytes& niBody, const IkeBytes& nrBody)
{
    IkeBytes data{0};
    AppendBe32(data, messageId);
    Append(data, niBody);
    Append(data, nrBody);
    return ipsec::IkePrf(k.hash, k.a, data);
}

IkeSaKeys
IkeDeriveSaKeys(const IkePhase1Keys& k, const IkeBytes& gqmxy, uint8_t protocol, uint32_t spi,
                const IkeBytes& niBody, const IkeBytes& nrBody, size_t cipherLength,
                size_t authLength)
{
    IkeBytes keymat = ipsec::QuickModeKeymat(k.hash, k.d, gqmxy, protocol, spi, niBody, nrBody,
                                             cipherLength + authLength);
    IkeSaKeys out;
    out.cipherKey.assign(keymat.begin(), keymat.begin() + cipherLength);
    out.authKey.assign(keymat.begin() + cipherLength, keymat.end());
    return out;
}

} // namespace ns3
