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
        for (EventId* e : {&sa.retransmit, &sa.dpdTimer, &sa.rekeyTimer, &sa.expiryTimer,
                           &sa.drainEvent, &sa.natKeepalive})
        {
            e->Cancel();
        }
    }
    m_sas.clear();
    m_childPending.clear();
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
    Simulator::ScheduleNow(&Ikev2Daemon::ExpireChild, this, raw);
}

void
Ikev2Daemon::ExpireChild(IpsecSaBundle* raw)
{
    // Each side counts its own lifetime: the first to reach the end tells the other.
    SendChildDelete(raw, true);
}

void
Ikev2Daemon::OnChildSoftExpiry(IpsecSaBundle* raw)
{
    Simulator::ScheduleNow(&Ikev2Daemon::StartChildRekey, this, raw);
}

void
Ikev2Daemon::RemoveChild(IpsecSaBundle* raw)
{
    auto it = m_children.find(raw);
    if (it == m_children.end())
    {
        return;
    }
    Ptr<IpsecSaBundle> bundle = it->second.bundle;
    Ptr<IpsecPolicyEntry> entry = it->second.entry;
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

bool
Ikev2Daemon::OwnsChild(Ptr<IpsecSaBundle> bundle) const
{
    return m_children.count(PeekPointer(bundle)) > 0;
}

void
Ikev2Daemon::DeleteChild(Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << bundle);
    SendChildDelete(PeekPointer(bundle), true);
}

size_t
Ikev2Daemon::CountSas(std::optional<Ipv4Address> peer) const
{
    size_t n = 0;
    for (const auto& [k, sa] : m_sas)
    {
        n += sa.state == State::ESTABLISHED && (!peer || sa.peer == *peer);
    }
    return n;
}

void
Ikev2Daemon::ClearSas(std::optional<Ipv4Address> peer)
{
    NS_LOG_FUNCTION(this);
    std::vector<uint64_t> keys;
    for (const auto& [k, sa] : m_sas)
    {
        if (!peer || sa.peer == *peer)
        {
            keys.push_back(k);
        }
    }
    for (uint64_t k : keys)
    {
        DeleteIkeSa(k, "cleared (clear crypto ikev2 sa)", true);
    }
}

Ikev2Daemon::Sa*
Ikev2Daemon::Find(uint64_t key)
{
    auto it = m_sas.find(key);
    return it == m_sas.end() ? nullptr : &it->second;
}

void
Ikev2Daemon::DeleteIkeSa(uint64_t key, const std::string& why, bool tellPeer)
{
    Sa* sa = Find(key);
    if (!sa)
    {
        return;
    }
    NS_LOG_INFO("IKEv2: IKE SA with " << sa->peer << " deleted: " << why);
    if (tellPeer && (sa->state == State::ESTABLISHED || sa->state == State::DELETING))
    {
        // Sent once and forgotten: the SA goes now, as `clear` does on IOS; a lost Delete
        // leaves the peer to find out by DPD or its next request.
        Ikev2Message m;
        m.header = Header(*sa, IKEV2_EXCH_INFORMATIONAL, sa->nextRequestId, false);
        Ikev2DeletePayload d;
        d.protocol = IKEV2_PROTO_IKE;
        m.AddInner(d);
        IkeExchangeRecord r = NewRecord(*sa, "INFORMATIONAL", "initiator", sa->nextRequestId++);
        r.detail = "delete IKE SA";
        r.messages = 1;
        r.result = "ok";
        r.reason = why;
        m_ike.Record(r);
        Send(*sa, m.Seal(*sa->out, m_ike.Rng()));
    }
    if (sa->inFlight && sa->task != Task::NONE)
    {
        EndTask(*sa, false, "the IKE SA was deleted (" + why + ")");
    }
    for (EventId* e : {&sa->retransmit, &sa->dpdTimer, &sa->rekeyTimer, &sa->expiryTimer,
                       &sa->drainEvent, &sa->natKeepalive})
    {
        e->Cancel();
    }
    std::vector<IpsecSaBundle*> children;
    for (const auto& [raw, c] : m_children)
    {
        if (c.ike == key)
        {
            children.push_back(raw);
        }
    }
    for (IpsecSaBundle* raw : children)
    {
        RemoveChild(raw);
    }
    m_sas.erase(key);
}

uint64_t
Ikev2Daemon::Key(const Ikev2Spi& spiI) const
{
    return Ikev2SpiToUint64(spiI);
}

void
Ikev2Daemon::Send(const Sa& sa, const std::vector<uint8_t>& bytes)
{
    NoteMessage(bytes, true, sa.local, sa.localPort, sa.peer, sa.peerPort);
    m_ike.SendFrom(sa.local, sa.localPort, sa.peer, sa.peerPort, bytes);
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
Ikev2Daemon::CloseRecord(IkeExchangeRecord& record, bool ok, const std::string& reason,
                         uint32_t retries)
{
    record.end = Simulator::Now();
    record.result = ok ? "ok" : "failed";
    record.reason = reason;
    record.retransmissions = retries;
    m_ike.Record(record);
}

Ikev2Spi
Ikev2Daemon::NewIkeSpi()
{
    return Ikev2SpiFromUint64((uint64_t(m_ike.m_idRng->Uint32()) << 32) | m_ike.m_idRng->Uint32());
}

void
Ikev2Daemon::Done(Sa& sa, bool ok, const std::string& reason)
{
    sa.retransmit.Cancel();
    sa.inFlight = false;
    CloseRecord(sa.record, ok, reason, sa.retries);
    if (!ok)
    {
        NS_LOG_INFO("IKEv2 " << sa.record.exchange << " with " << sa.peer << " failed: " << reason);
        sa.state = State::FAILED;
        if (sa.initiator && sa.entry)
        {
            m_ike.m_holdDown[sa.entry->id] = Simulator::Now() + m_ike.m_failureHoldDown;
        }
    }
    else if (sa.state == State::ESTABLISHED)
    {
        OnEstablished(sa);
    }
}

IkeExchangeRecord&
Ikev2Daemon::RecordOf(Sa& sa)
{
    return sa.task == Task::NONE ? sa.record : sa.outRecord;
}

void
Ikev2Daemon::SendRequest(Sa& sa, std::vector<uint8_t> bytes, uint32_t messageId)
{
    sa.request = std::move(bytes);
    sa.requestId = messageId;
    sa.nextRequestId = messageId + 1;
    sa.inFlight = true;
    sa.retries = 0;
    ++RecordOf(sa).messages;
    Send(sa, sa.request);
    sa.retransmit.Cancel();
    const double first = sa.task == Task::DPD ? DpdOf(sa).retry : kRetransmitSeconds;
    sa.retransmit =
        Simulator::Schedule(Seconds(first), &Ikev2Daemon::OnRetransmit, this, Key(sa.spiI));
}

void
Ikev2Daemon::OnRetransmit(uint64_t key)
{
    Sa* found = Find(key);
    if (!found || !found->inFlight)
    {
        return;
    }
    Sa& sa = *found;
    // A liveness check is retried every `dpd ... RETRY` seconds (IOS); every other request
    // after 2, 4, 8, 16 and 32 s (RFC 7296 2.4: the interval grows exponentially).
    const bool dpd = sa.task == Task::DPD;
    const uint32_t limit = dpd ? m_ike.m_dpdMaxRetries : kRetransmissions;
    if (sa.retries >= limit)
    {
        const std::string why =
            "no response from the peer after " + std::to_string(sa.retries) + " retransmissions";
        if (sa.task == Task::NONE)
        {
            Done(sa, false, why);
            return;
        }
        EndTask(sa, false, why + (dpd ? " (peer dead)" : ""));
        // RFC 7296 2.4: the peer is gone; the IKE SA and its children are deleted.
        DeleteIkeSa(key, why, false);
        return;
    }
    ++sa.retries;
    ++RecordOf(sa).messages;
    Send(sa, sa.request);
    const double next = dpd ? DpdOf(sa).retry : kRetransmitSeconds * (1u << sa.retries);
    sa.retransmit = Simulator::Schedule(Seconds(next), &Ikev2Daemon::OnRetransmit, this, key);
}

void
Ikev2Daemon::Receive(const std::vector<uint8_t>& datagram, Ipv4Address peer, uint16_t peerPort,
                     Ipv4Address local, uint16_t localPort)
{
    NS_LOG_FUNCTION(this << datagram.size() << peer << local);
    NoteMessage(datagram, false, local, localPort, peer, peerPort);
    Ikev2Header h;
    if (!h.Read(datagram.data(), datagram.size()).Ok() || h.length != datagram.size() ||
        (localPort != 500 && localPort != 4500))
    {
        NS_LOG_INFO("IKEv2: datagram from " << peer << " dropped (header)");
        return;
    }
    auto it = m_sas.find(Key(h.spiI));
    // Behind a NAT the peer may come from another address (RFC 7296 2.23; FollowPeer).
    if (it == m_sas.end() || (it->second.peer != peer && !it->second.NatDetected()))
    {
        if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && !h.IsResponse() && h.messageId == 0 &&
            IsZero(h.spiR) && h.IsInitiator() && it == m_sas.end())
        {
            OnInitRequest(datagram, peer, peerPort, local);
        }
        return;
    }
    Sa& sa = it->second;
    sa.fromPeer = peer; // where it came from: FollowPeer once it authenticates
    sa.fromPeerPort = peerPort;
    sa.fromLocalPort = localPort;
    const bool up = sa.state == State::ESTABLISHED || sa.state == State::DELETING;
    const bool later =
        h.exchangeType == IKEV2_EXCH_CREATE_CHILD_SA || h.exchangeType == IKEV2_EXCH_INFORMATIONAL;
    if (!h.IsResponse())
    {
        // RFC 7296 2.2: the peer's requests come in order; the last one answered is answered
        // again with the same bytes, anything else outside the window is dropped.
        if (sa.answered && h.messageId == sa.responseId)
        {
            Send(sa, sa.response);
            return;
        }
        const uint32_t expected = sa.answered ? sa.responseId + 1 : 0;
        if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && h.messageId == 1 &&
            sa.state == State::INIT_DONE && h.spiR == sa.spiR && !sa.initiator)
        {
            OnAuthRequest(sa, datagram);
        }
        else if (up && later && h.spiR == sa.spiR && h.messageId == expected &&
                 h.IsInitiator() != sa.initiator)
        {
            ReceiveEstablished(sa, h, datagram);
        }
        else
        {
            NS_LOG_INFO("IKEv2: request " << h.messageId << " from " << peer
                                          << " dropped (outside the window)");
        }
        return;
    }
    if (!sa.inFlight || h.messageId != sa.requestId)
    {
        return;
    }
    if (h.exchangeType == IKEV2_EXCH_IKE_SA_INIT && sa.state == State::INIT_SENT && sa.initiator)
    {
        OnInitResponse(sa, datagram);
    }
    else if (h.exchangeType == IKEV2_EXCH_IKE_AUTH && sa.state == State::AUTH_SENT &&
             h.spiR == sa.spiR)
    {
        OnAuthResponse(sa, datagram);
    }
    else if (up && later && sa.task != Task::NONE && h.spiR == sa.spiR)
    {
        ReceiveEstablished(sa, h, datagram);
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
Ikev2Daemon::AnswerRequest(Sa& sa, const Ikev2Message& req, Ikev2Message& r)
{
    r.header = Header(sa, req.header.exchangeType, req.header.messageId, true);
    sa.response = r.Seal(*sa.out, m_ike.Rng());
    sa.responseId = req.header.messageId;
    sa.answered = true;
    Send(sa, sa.response);
}

void
Ikev2Daemon::ReceiveEstablished(Sa& sa, const Ikev2Header& h, const std::vector<uint8_t>& datagram)
{
    Ikev2Message m;
    const Ikev2ParseStatus st = m.Open(datagram.data(), datagram.size(), *sa.in);
    if (!st.Ok())
    {
        // RFC 7296 2.21.2: a message that does not verify is dropped, the window unchanged.
        NS_LOG_INFO("IKEv2: message " << h.messageId << " from " << sa.peer
                                      << " dropped: " << st.ToString());
        return;
    }
    sa.lastHeard = Simulator::Now();
    FollowPeer(sa); // authenticated: behind a NAT the peer's address and port may have moved
    const bool info = h.exchangeType == IKEV2_EXCH_INFORMATIONAL;
    if (!h.IsResponse())
    {
        info ? OnInformationalRequest(sa, m) : OnCreateChildRequest(sa, m);
        return;
    }
    const bool infoTask =
        sa.task == Task::DELETE_CHILD || sa.task == Task::DELETE_IKE || sa.task == Task::DPD;
    if (info != infoTask)
    {
        return; // the response of another exchange than our request's
    }
    sa.retransmit.Cancel();
    ++sa.outRecord.messages;
    info ? OnInformationalResponse(sa, m) : OnCreateChildResponse(sa, m);
}

// ------------------------------------------------------------------------------ our requests

IkeExchangeRecord
Ikev2Daemon::NewRecord(const Sa& sa, const std::string& exchange, const std::string& role,
                       uint32_t id) const
{
    IkeExchangeRecord r;
    r.exchange = exchange;
    r.role = role;
    r.local = sa.local;
    r.peer = sa.peer;
    r.icookie = ToHex(Bytes8(sa.spiI));
    r.start = r.end = Simulator::Now();
    r.messageId = id;
    return r;
}

void
Ikev2Daemon::Enqueue(Sa& sa, std::function<void(Sa&)> build)
{
    sa.queued.push_back(std::move(build));
    Drain(Key(sa.spiI));
}

void
Ikev2Daemon::Drain(uint64_t key)
{
    Sa* sa = Find(key);
    // RFC 7296 2.3: a window of one; the next request waits for the response to this one.
    if (!sa || sa->inFlight || sa->queued.empty() ||
        (sa->state != State::ESTABLISHED && sa->state != State::DELETING))
    {
        return;
    }
    auto build = std::move(sa->queued.front());
    sa->queued.pop_front();
    build(*sa);
    if (!sa->inFlight)
    {
        Drain(key); // that one had nothing left to ask
    }
}

void
Ikev2Daemon::SendTask(Sa& sa, Task task, Ikev2Message m, const std::string& exchange,
                      const std::string& detail)
{
    const uint32_t id = sa.nextRequestId;
    m.header = Header(sa, m.header.exchangeType, id, false);
    sa.task = task;
    sa.outRecord = NewRecord(sa, exchange, "initiator", id);
    sa.outRecord.detail = detail;
    SendRequest(sa, m.Seal(*sa.out, m_ike.Rng()), id);
}

void
Ikev2Daemon::EndTask(Sa& sa, bool ok, const std::string& reason)
{
    sa.retransmit.Cancel();
    sa.inFlight = false;
    CloseRecord(sa.outRecord, ok, reason, sa.retries);
    sa.task = Task::NONE;
    // After the caller is done with this SA (it may delete it).
    sa.drainEvent.Cancel();
    sa.drainEvent = Simulator::ScheduleNow(&Ikev2Daemon::Drain, this, Key(sa.spiI));
}

void
Ikev2Daemon::OnEstablished(Sa& sa)
{
    const uint64_t key = Key(sa.spiI);
    if (!sa.tunnelId) // a rekey's new IKE SA: a Tunnel-id of its own, as IOS gives it
    {
        sa.tunnelId = m_nextTunnelId++;
        sa.created = Simulator::Now();
    }
    sa.lastHeard = Simulator::Now();
    sa.lastInbound = EspPackets(key, true);
    sa.lastOutbound = EspPackets(key, false);
    const IkePolicyProvider::Ikev2Dpd dpd = DpdOf(sa);
    if (dpd.interval)
    {
        sa.dpdTimer = Simulator::Schedule(Seconds(dpd.interval), &Ikev2Daemon::DpdCheck, this, key);
    }
    // The IKE SA's lifetime (the profile's, IOS 86400 s) is each side's own: the side that
    // created the SA rekeys 30 s before it ends, the other 20 s before, so that the two rarely
    // start at once; at its end an SA not rekeyed goes.
    const uint32_t life = sa.creds.lifetimeSeconds;
    if (life)
    {
        const double margin =
            life > 60 ? (sa.initiator ? 30 : 20) : life * (sa.initiator ? 0.5 : 0.4);
        sa.rekeyTimer =
            Simulator::Schedule(Seconds(life - margin), &Ikev2Daemon::StartIkeRekey, this, key);
        sa.expiryTimer = Simulator::Schedule(Seconds(life), &Ikev2Daemon::OnIkeLifetime, this, key);
    }
    sa.drainEvent.Cancel();
    sa.drainEvent = Simulator::ScheduleNow(&Ikev2Daemon::Drain, this, key);
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
    AddTableRow(sa);
}

void
Ikev2Daemon::AddTableRow(Sa& sa)
{
    const Ikev2IkeSuite& s = *sa.suite;
    const Ikev2EncrInfo& e = GetIkev2EncrInfo(s.encr);
    const Ikev2IntegInfo& i = GetIkev2IntegInfo(s.integ);
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
Ikev2Daemon::MakeSa(const Sa& sa, const ChildSpec& ch, bool inbound, const Ikev2ChildKeys& k) const
{
    IpsecSaConfig c;
    c.protocol = IpsecProtocol::ESP;
    c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
    c.mode = IpsecMode::TUNNEL;
    c.spi = inbound ? ch.ourSpi : ch.peerSpi;
    c.source = inbound ? sa.peer : sa.local;
    c.destination = inbound ? sa.local : sa.peer;
    c.selector = ch.scope;
    c.label = "crypto map " + ch.entry->Name();
    c.replayWindow = m_ike.m_provider->GetLocalSaSettings(ch.entry).replayWindow;
    c.udpEncapsulated = sa.NatDetected();
    c.pfsGroup = static_cast<uint8_t>(ch.pfsGroup);
    c.cipher = *ch.set.espCipher;
    if (ch.set.espAuth)
    {
        c.auth = *ch.set.espAuth;
    }
    // KEYMAT (2.17): the keys of what the exchange's initiator sends first. Our inbound SA
    // carries what the peer sends.
    const bool fromInitiator = inbound != ch.weInitiated;
    c.cipherKey = fromInitiator ? k.encrI : k.encrR;
    c.authKey = fromInitiator ? k.integI : k.integR;
    // Each side counts its own lifetime (IKEv2 does not negotiate it). The side that created
    // the child rekeys 30 s before its end, the other 20 s before: the creator goes first,
    // and the other still rekeys when the creator's lifetime is longer.
    const uint32_t secs = ch.offer.lifetimeSeconds;
    const uint64_t kb = ch.offer.lifetimeKilobytes;
    if (secs)
    {
        c.hardLifetime = Seconds(secs);
        c.softLifetime = secs > 60 ? Seconds(secs - (ch.weInitiated ? 30 : 20))
                                   : Seconds(secs * (ch.weInitiated ? 0.5 : 0.6));
    }
    if (kb)
    {
        c.hardKilobytes = kb;
        c.softKilobytes = kb > 512 ? kb - (ch.weInitiated ? 256 : 192) : kb / 2;
    }
    return IpsecSa::Create(c);
}

void
Ikev2Daemon::InstallChild(Sa& sa, const IpsecTransformSet& chosen, uint32_t peerSpi)
{
    ChildSpec c;
    c.entry = sa.entry;
    c.scope = sa.scope;
    c.offer = sa.offer;
    c.set = chosen;
    c.ourSpi = sa.childSpi;
    c.peerSpi = peerSpi;
    c.ni = sa.ni;
    c.nr = sa.nr; // no PFS in IKE_AUTH
    c.weInitiated = sa.initiator;
    if (!InstallChildSa(sa, c))
    {
        sa.record.reason = "the child SA cannot be installed";
    }
}

IpsecSaBundle*
Ikev2Daemon::InstallChildSa(Sa& sa, const ChildSpec& spec)
{
    ChildSpec c = spec;
    c.set.mode = IpsecMode::TUNNEL; // transport mode (USE_TRANSPORT_MODE) is not negotiated yet
    const size_t cl = GetCipherInfo(*c.set.espCipher).keyLen;
    const size_t al = c.set.espAuth ? GetAuthInfo(*c.set.espAuth).keyLen : 0;
    const Ikev2ChildKeys k =
        Ikev2DeriveChildKeys(sa.suite->prf, sa.keys.skD, c.gir, c.ni, c.nr, cl, al);
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = c.scope;
    b->local = sa.local;
    b->peer = sa.peer;
    b->mode = c.set.mode;
    b->idleTimeout = Seconds(m_ike.m_provider->GetLocalSaSettings(c.entry).idleSeconds);
    if (sa.NatDetected())
    {
        // RFC 3948: ESP in UDP between the ports IKE moved to (RFC 7296 2.23).
        b->udpEncapLocalPort = sa.localPort;
        b->udpEncapPeerPort = sa.peerPort;
    }
    try
    {
        b->inbound.push_back(MakeSa(sa, c, true, k));
        b->outbound.push_back(MakeSa(sa, c, false, k));
        m_ike.m_processor->InstallBundle(c.entry, b);
    }
    catch (const std::exception& e)
    {
        NS_LOG_WARN("IKEv2: the child SA cannot be installed: " << e.what());
        return nullptr;
    }
    IpsecSaBundle* raw = PeekPointer(b);
    Child& child = m_children[raw];
    child.bundle = b;
    child.entry = c.entry;
    child.ike = Key(sa.spiI);
    child.inSpi = c.ourSpi;
    child.outSpi = c.peerSpi;
    child.set = c.set;
    child.offer = c.offer;
    child.createdByUs = c.weInitiated;
    for (auto* v : {&b->inbound, &b->outbound})
    {
        for (auto& s : *v)
        {
            // By raw pointer: a Ptr here would make SA -> callback -> bundle -> SA a cycle.
            s->TraceConnectWithoutContext(
                "SoftExpiry", MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                  [this, raw](Ptr<IpsecSa>) { OnChildSoftExpiry(raw); }));
            s->TraceConnectWithoutContext("HardExpiry",
                                          MakeLambdaCallback<Callback<void, Ptr<IpsecSa>>>(
                                              [this, raw](Ptr<IpsecSa>) { OnChildExpired(raw); }));
        }
    }
    return raw;
}

} // namespace ns3
