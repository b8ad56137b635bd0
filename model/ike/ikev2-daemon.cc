// Ikev2Daemon: the IKE SAs, dispatch of datagrams to the exchanges, requests and their
// retransmission, keys, and the child SAs in the data plane.
#include "ns3/ikev2-daemon.h"

#include "ikev2-daemon-private.h"
#include "ns3/ike-daemon.h"
#include "ns3/ikev2-constants.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Ikev2Daemon");

using namespace ipsec;
using namespace ikev2;

Ikev2Daemon::Ikev2Daemon(IkeDaemon& ike) : m_ike(ike)
{
}

Ikev2Daemon::~Ikev2Daemon()
{
    Stop();
}

void
Ikev2Daemon::Stop()
{
    for (auto& [k, sa] : m_sas)
    {
        sa.retransmit.Cancel();
    }
    m_sas.clear();
}

void
Ikev2Daemon::ForgetAll()
{
    Stop();
    while (!m_children.empty())
    {
        RemoveChild(m_children.begin()->first);
    }
}

void
Ikev2Daemon::OnChildExpired(IpsecSaBundle* raw)
{
    // After the trace returns: the SAD is still walking the expiring SA.
    Simulator::ScheduleNow(&Ikev2Daemon::RemoveChild, this, raw);
}

void
Ikev2Daemon::RemoveChild(IpsecSaBundle* raw)
{
    auto it = m_children.find(raw);
    if (it == m_children.end())
    {
        return;
    }
    auto [bundle, entry] = it->second;
    m_children.erase(it);
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            m_ike.m_spis.erase(s->GetSpi());
            if (!s->IsExpired())
            {
                s->Expire();
            }
        }
    }
    if (std::find(entry->bundles.begin(), entry->bundles.end(), bundle) != entry->bundles.end())
    {
        m_ike.m_processor->RemoveBundle(entry, bundle);
    }
}

uint64_t
Ikev2Daemon::Key(const Ikev2Spi& spiI) const
{
    return Ikev2SpiToUint64(spiI);
}

void
Ikev2Daemon::Send(const Sa& sa, const std::vector<uint8_t>& bytes)
{
    NoteMessage(bytes, true, sa.local, 500, sa.peer, sa.peerPort);
    m_ike.SendFrom(sa.local, 500, sa.peer, sa.peerPort, bytes);
}

Ikev2Header
Ikev2Daemon::Header(const Sa& sa, uint8_t exchange, uint32_t id, bool response) const
{
    Ikev2Header h;
    h.spiI = sa.spiI;
    h.spiR = sa.spiR;
    h.exchangeType = exchange;
    h.messageId = id;
    h.flags = uint8_t((sa.initiator ? Ikev2Header::FLAG_INITIATOR : 0) |
                      (response ? Ikev2Header::FLAG_RESPONSE : 0));
    return h;
}

void
Ikev2Daemon::Begin(Sa& sa, const std::string& exchange, const std::string& role)
{
    sa.record = IkeExchangeRecord();
    sa.record.exchange = exchange;
    sa.record.role = role;
    sa.record.local = sa.local;
    sa.record.peer = sa.peer;
    sa.record.icookie = ToHex(Bytes8(sa.spiI));
    sa.record.start = Simulator::Now();
    sa.record.messageId = exchange == "IKE_AUTH" ? 1 : 0;
    if (!sa.tunnelId)
    {
        sa.tunnelId = m_nextTunnelId++;
        sa.created = Simulator::Now();
    }
    sa.record.connId = sa.tunnelId; // what `debug crypto ikev2` calls the SA ID
}

void
Ikev2Daemon::Done(Sa& sa, bool ok, const std::string& reason)
{
    sa.retransmit.Cancel();
    sa.record.end = Simulator::Now();
    sa.record.result = ok ? "ok" : "failed";
    sa.record.reason = reason;
    sa.record.retransmissions = sa.retries;
    m_ike.Record(sa.record);
    if (!ok)
    {
        NS_LOG_INFO("IKEv2 " << sa.record.exchange << " with " << sa.peer << " failed: " << reason);
        sa.state = State::FAILED;
        if (sa.initiator && sa.entry)
        {
            m_ike.m_holdDown[sa.entry->id] = Simulator::Now() + m_ike.m_failureHoldDown;
        }
    }
}

void
Ikev2Daemon::SendRequest(Sa& sa, std::vector<uint8_t> bytes, uint32_t messageId)
{
    sa.request = std::move(bytes);
    sa.requestId = messageId;
    sa.retries = 0;
    ++sa.record.messages;
    Send(sa, sa.request);
    sa.retransmit.Cancel();
    sa.retransmit = Simulator::Schedule(Seconds(kRetransmitSeconds), &Ikev2Daemon::OnRetransmit,
                                        this, Key(sa.spiI));
}

void
Ikev2Daemon::OnRetransmit(uint64_t key)
{
    auto it = m_sas.find(key);
    if (it == m_sas.end())
    {
        return;
    }
    Sa& sa = it->second;
    if (sa.retries >= kRetransmissions)
    {
        Done(sa, false,
             "no response from the peer after " + std::to_string(sa.retries) + " retransmissions");
        return;
    }
    ++sa.retries;
    ++sa.record.messages;
    Send(sa, sa.request);
    // RFC 7296 2.4: the interval grows exponentially.
    sa.retransmit = Simulator::Schedule(Seconds(kRetransmitSeconds * (1u << sa.retries)),
                                        &Ikev2Daemon::OnRetransmit, this, key);
}

void
Ikev2Daemon::Receive(const std::vector<uint8_t>& datagram, Ipv4Address peer, uint16_t peerPort,
                     Ipv4Address local, uint16_t localPort)
{
    NS_LOG_FUNCTION(this << datagram.size() << peer << local);
    NoteMessage(datagram, false, local, localPort, peer, peerPort);
    Ikev2Header h;
    if (!h.Read(datagram.data(), datagram.size()).Ok() || h.length != datagram.size() ||
        localPort != 500)
    {
        NS_LOG_INFO("IKEv2: datagram from " << peer << " dropped (header)");
        return;
    }
    auto it = m_sas.find(Key(h.spiI));
    if (it == m_sas.end() || it->second.peer != peer)
    {
        if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && !h.IsResponse() && h.messageId == 0 &&
            IsZero(h.spiR) && h.IsInitiator() && it == m_sas.end())
        {
            OnInitRequest(datagram, peer, peerPort, local);
        }
        return;
    }
    Sa& sa = it->second;
    if (!h.IsResponse())
    {
        if (sa.initiator)
        {
            return; // requests of the responder (INFORMATIONAL) are not simulated yet
        }
        if (sa.answered && h.messageId == sa.responseId)
        {
            Send(sa, sa.response); // RFC 7296 2.1: a retransmitted request, the same answer
            return;
        }
        if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && h.messageId == 1 &&
            sa.state == State::INIT_DONE && h.spiR == sa.spiR)
        {
            OnAuthRequest(sa, datagram);
        }
        return;
    }
    if (!sa.initiator || h.messageId != sa.requestId)
    {
        return;
    }
    if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && sa.state == State::INIT_SENT)
    {
        OnInitResponse(sa, datagram);
    }
    else if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && sa.state == State::AUTH_SENT &&
             h.spiR == sa.spiR)
    {
        OnAuthResponse(sa, datagram);
    }
}

void
Ikev2Daemon::Answer(Sa& sa, const Ikev2Message& m, bool encrypted)
{
    sa.response = encrypted ? m.Seal(*sa.out, m_ike.Rng()) : m.ToBytes();
    sa.responseId = m.header.messageId;
    sa.answered = true;
    ++sa.record.messages;
    Send(sa, sa.response);
}

void
Ikev2Daemon::DeriveKeys(Sa& sa, const std::vector<uint8_t>& peerKe)
{
    const Ikev2IkeSuite& s = *sa.suite;
    const Ikev2EncrInfo& e = GetIkev2EncrInfo(s.encr);
    const Ikev2IntegInfo& i = GetIkev2IntegInfo(s.integ);
    const std::vector<uint8_t> gir = sa.dh->ComputeShared(peerKe);
    sa.keys = Ikev2DeriveSaKeys(s.prf, Ikev2Skeyseed(s.prf, sa.ni, sa.nr, gir), sa.ni, sa.nr,
                                Bytes8(sa.spiI), Bytes8(sa.spiR), e.keyLen, i.keyLen);
    const auto& k = sa.keys;
    sa.out = std::make_unique<Ikev2SkCipher>(s.encr, sa.initiator ? k.skEi : k.skEr, s.integ,
                                             sa.initiator ? k.skAi : k.skAr);
    sa.in = std::make_unique<Ikev2SkCipher>(s.encr, sa.initiator ? k.skEr : k.skEi, s.integ,
                                            sa.initiator ? k.skAr : k.skAi);
    // Wireshark's IKEv2 decryption table: SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ".
    std::ostringstream row;
    row << ToHex(Bytes8(sa.spiI)) << "," << ToHex(Bytes8(sa.spiR)) << "," << ToHex(k.skEi) << ","
        << ToHex(k.skEr) << ",\"" << e.wiresharkName << "\"," << ToHex(k.skAi) << ","
        << ToHex(k.skAr) << ",\"" << i.wiresharkName << "\"";
    m_table.push_back(row.str());
}

Ptr<IpsecSa>
Ikev2Daemon::MakeSa(const Sa& sa, const IpsecTransformSet& set, bool inbound, uint32_t spi,
                    const Ikev2ChildKeys& k) const
{
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    c.mode = IpsecMode::TUNNEL;
    c.spi = spi;
    c.source = inbound ? sa.peer : sa.local;
    c.destination = inbound ? sa.local : sa.peer;
    c.selector = sa.scope;
    c.label = "crypto map " + sa.entry->Name();
    c.replayWindow = m_ike.m_provider->GetLocalSaSettings(sa.entry).replayWindow;
    c.cipher = *set.espCipher;
    if (set.espAuth)
    {
        c.auth = *set.espAuth;
    }
    // KEYMAT (2.17): initiator-to-responder keys first. Our inbound SA carries what the peer
    // sends.
    const bool fromInitiator = inbound != sa.initiator;
    c.cipherKey = fromInitiator ? k.encrI : k.encrR;
    c.authKey = fromInitiator ? k.integI : k.integR;
    const uint32_t secs = sa.offer.lifetimeSeconds;
    const uint64_t kb = sa.offer.lifetimeKilobytes;
    if (secs)
    {
        c.hardLifetime = Seconds(secs);
        c.softLifetime = secs > 60 ? Seconds(secs - 30) : Seconds(secs * 0.5);
    }
    if (kb)
    {
        c.hardKilobytes = kb;
        c.softKilobytes = kb > 512 ? kb - 256 : kb / 2;
    }
    return IpsecSa::Create(c);
}

void
Ikev2Daemon::InstallChild(Sa& sa, const IpsecTransformSet& chosen, uint32_t peerSpi)
{
    IpsecTransformSet set = chosen;
    set.mode = IpsecMode::TUNNEL; // transport mode (USE_TRANSPORT_MODE) is not negotiated yet
    const size_t cl = GetCipherInfo(*set.espCipher).keyLen;
    const size_t al = set.espAuth ? GetAuthInfo(*set.espAuth).keyLen : 0;
    const Ikev2ChildKeys k =
        Ikev2DeriveChildKeys(sa.suite->prf, sa.keys.skD, {}, sa.ni, sa.nr, cl, al);
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = sa.scope;
    b->local = sa.local;
    b->peer = sa.peer;
    b->mode = set.mode;
    try
    {
        b->inbound.push_back(MakeSa(sa, set, true, sa.childSpi, k));
        b->outbound.push_back(MakeSa(sa, set, false, peerSpi, k));
        m_ike.m_processor->InstallBundle(sa.entry, b);
    }
    catch (const std::exception& e)
    {
        sa.record.reason = std::string("the child SA cannot be installed: ") + e.what();
        NS_LOG_WARN("IKEv2: " << sa.record.reason);
        return;
    }
    m_children[PeekPointer(b)] = {b, sa.entry};
    for (auto* v : {&b->inbound, &b->outbound})
    {
        for (auto& s : *v)
        {
            s->TraceConnectWithoutContext("HardExpiry",
                                          MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                              [this, raw = PeekPointer(b)](Ptr<IpsecSa>)
                                              { OnChildExpired(raw); }));
        }
    }
}

} // namespace ns3
