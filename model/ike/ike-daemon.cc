#include "ns3/ike-daemon.h"

#include "ns3/crypto-engine.h"

#include "ns3/ipsec-random.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-packet-info-tag.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemon");
NS_OBJECT_ENSURE_REGISTERED(IkeDaemon);

namespace
{
constexpr uint16_t kIkePort = 500;
constexpr uint16_t kNatTPort = 4500; //!< RFC 3947 4, RFC 3948

uint64_t
CookieKey(const IsakmpCookie& c)
{
    return IsakmpCookieToUint64(c);
}

uint32_t
Be32(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}

uint8_t
IsakmpProtocolOf(IpsecProtocol p)
{
    switch (p)
    {
    case IpsecProtocol::ESP:
        return ISAKMP_PROTO_IPSEC_ESP;
    case IpsecProtocol::AH:
        return ISAKMP_PROTO_IPSEC_AH;
    case IpsecProtocol::IPCOMP:
        return ISAKMP_PROTO_IPCOMP;
    }
    return 0;
}
} // namespace

TypeId
IkeDaemon::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::IkeDaemon")
            .SetParent<Object>()
            .SetGroupName("Ipsec")
            .AddConstructor<IkeDaemon>()
            .AddAttribute("RetransmitInterval",
                          "Time without an answer before a message is sent again (IOS: about "
                          "10 s)",
                          TimeValue(Seconds(10)),
                          MakeTimeAccessor(&IkeDaemon::m_retransmitInterval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("MaxRetransmissions",
                          "Retransmissions of one message before the exchange is given up",
                          UintegerValue(3), MakeUintegerAccessor(&IkeDaemon::m_maxRetransmissions),
                          MakeUintegerChecker<uint32_t>(0, 100))
            .AddAttribute("FailureHoldDown",
                          "After a negotiation failed with every peer, packets of the same "
                          "crypto map entry start no new one for this long (they are dropped)",
                          TimeValue(Seconds(5)), MakeTimeAccessor(&IkeDaemon::m_failureHoldDown),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ForceUdpEncapsulation",
                          "Behave as if behind a NAT (a NAT-D that cannot match), so that a "
                          "peer doing NAT-T puts ESP in UDP 4500 (strongSwan's encap = yes)",
                          BooleanValue(false), MakeBooleanAccessor(&IkeDaemon::m_forceEncap),
                          MakeBooleanChecker())
            .AddAttribute("DpdMaxRetries",
                          "Unanswered R-U-THERE messages after which the peer is declared dead",
                          UintegerValue(5), MakeUintegerAccessor(&IkeDaemon::m_dpdMaxRetries),
                          MakeUintegerChecker<uint32_t>(1, 100))
            .AddTraceSource("Exchange", "An exchange ended (successfully or not)",
                            MakeTraceSourceAccessor(&IkeDaemon::m_exchangeTrace),
                            "ns3::IkeDaemon::ExchangeTracedCallback");
    return tid;
}

IkeDaemon::IkeDaemon() = default;
IkeDaemon::~IkeDaemon() = default;

void
IkeDaemon::CancelExchanges()
{
    auto cancel = [](auto& exchanges)
    {
        for (auto& entry : exchanges)
        {
            entry.second.retransmit.Cancel();
            entry.second.linger.Cancel();
        }
        exchanges.clear();
    };
    cancel(m_phase1);
    cancel(m_phase2);
}

void
IkeDaemon::ForgetAll()
{
    CancelExchanges();
    for (auto& [k, sa] : m_sas)
    {
        sa->expiry.Cancel();
        sa->dpdEvent.Cancel();
        sa->natKeepaliveEvent.Cancel();
        sa->state = IkeSaState::DELETED;
        ReleaseEngine(sa);
    }
    m_sas.clear();
    std::vector<Ptr<IpsecSaBundle>> bundles;
    for (const auto& [bp, info] : m_bundles)
    {
        bundles.push_back(Ptr<IpsecSaBundle>(bp));
    }
    for (auto& b : bundles)
    {
        RemoveBundleFromPlane(b);
    }
    for (const auto& [id, n] : m_negotiations)
    {
        m_processor->DropHeld(n.entry);
    }
    m_negotiations.clear();
    m_holdDown.clear();
    m_lastPeer.clear();
    m_dpdCounters.clear();
}

void
IkeDaemon::DoDispose()
{
    Stop();
    CancelExchanges();
    m_sas.clear();
    m_bundles.clear();
    m_negotiations.clear();
    m_processor = nullptr;
    Object::DoDispose();
}

void
IkeDaemon::Setup(Ptr<IpsecProcessor> processor, const IkePolicyProvider* provider,
                 const std::string& hostname)
{
    m_processor = processor;
    m_provider = provider;
    m_hostname = hostname;
    m_rng = IpsecRandom::Stream("ike/" + std::to_string(processor->GetNode()->GetId()));
}

void
IkeDaemon::SetKeepalive(uint32_t seconds, uint32_t retry, bool periodic)
{
    m_dpdSeconds = seconds;
    m_dpdRetry = retry ? retry : 2;
    m_dpdPeriodic = periodic;
}

void
IkeDaemon::Start()
{
    NS_ABORT_MSG_UNLESS(m_processor && m_provider, "IkeDaemon::Start before Setup");
    Ptr<Node> node = m_processor->GetNode();
    Ptr<Ipv4L3Protocol> ipv4 = node->GetObject<Ipv4L3Protocol>();
    for (uint32_t i = 1; i < ipv4->GetNInterfaces(); ++i)
    {
        for (uint32_t k = 0; k < ipv4->GetNAddresses(i); ++k)
        {
            Ipv4Address a = ipv4->GetAddress(i, k).GetLocal();
            if (m_sockets.count({a, kIkePort}))
            {
                continue;
            }
            for (uint16_t port : {kIkePort, kNatTPort})
            {
                Ptr<Socket> s = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
                if (s->Bind(InetSocketAddress(a, port)) != 0)
                {
                    NS_LOG_WARN("IKE: cannot bind " << a << ":" << port);
                    continue;
                }
                s->SetRecvPktInfo(true);
                s->SetRecvCallback(MakeCallback(&IkeDaemon::HandleRead, this));
                m_sockets[{a, port}] = s;
            }
        }
    }
    m_processor->SetAcquireCallback(MakeCallback(&IkeDaemon::OnAcquire, this));
    m_started = true;
}

void
IkeDaemon::Stop()
{
    for (auto& [a, s] : m_sockets)
    {
        s->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s->Close();
    }
    m_sockets.clear();
    if (m_processor && m_started)
    {
        m_processor->SetAcquireCallback(MakeNullCallback<void, const IpsecProcessor::Acquire&>());
    }
    for (auto& [k, sa] : m_sas)
    {
        sa->expiry.Cancel();
        sa->dpdEvent.Cancel();
    }
    m_started = false;
    m_provider = nullptr;
}

// ------------------------------------------------------------------------------ context

ipsec::ByteSource&
IkeDaemon::Rng()
{
    return *m_rng;
}

const IkePolicyProvider&
IkeDaemon::Provider() const
{
    return *m_provider;
}

uint32_t
IkeDaemon::AllocateSpi(bool cpi)
{
    for (;;)
    {
        uint32_t v = m_rng->Uint32();
        // RFC 2406: SPIs 1-255 are reserved by IANA; RFC 3173 3.3: CPIs 256-61439 are ours.
        v = cpi ? 256 + v % (61440 - 256) : (v < 256 ? v + 256 : v);
        if (m_spis.insert(v).second)
        {
            return v;
        }
    }
}

IsakmpIdPayload
IkeDaemon::Phase1Identity(Ipv4Address local) const
{
    // IOS identifies itself with protocol UDP, port 500 (RFC 2407 4.6.2 allows 0/0 or these).
    if (m_identityHostname)
    {
        return IsakmpIdPayload::Fqdn(m_hostname, 17, kIkePort);
    }
    return IsakmpIdPayload::Ipv4(local, 17, kIkePort);
}

bool
IkeDaemon::NatTraversal() const
{
    return m_natTraversal;
}

bool
IkeDaemon::AnnouncesDpd() const
{
    return true; // IOS answers R-U-THERE whether or not it sends them itself
}

// ------------------------------------------------------------------------------ I/O

void
IkeDaemon::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ipv4Address local;
    uint16_t localPort = 0;
    for (const auto& [key, s] : m_sockets)
    {
        if (s == socket)
        {
            local = key.first;
            localPort = key.second;
        }
    }
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        if (!InetSocketAddress::IsMatchingType(from))
        {
            continue;
        }
        const InetSocketAddress src = InetSocketAddress::ConvertFrom(from);
        IkeBytes bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        if (localPort != kNatTPort)
        {
            ReceiveOn(bytes, src.GetIpv4(), src.GetPort(), local, localPort);
            continue;
        }
        // RFC 3948 2.2, 2.3: on port 4500 a single 0xFF is a NAT keepalive, four zero bytes
        // (the non-ESP marker) precede IKE, anything else is ESP.
        if (bytes.size() == 1 && bytes[0] == 0xff)
        {
            ++m_natKeepalivesReceived;
            continue;
        }
        if (bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
        {
            bytes.erase(bytes.begin(), bytes.begin() + 4);
            ReceiveOn(bytes, src.GetIpv4(), src.GetPort(), local, localPort);
            continue;
        }
        Ipv4PacketInfoTag info;
        int32_t ifIndex = -1;
        Ptr<Ipv4L3Protocol> ipv4 = m_processor->GetNode()->GetObject<Ipv4L3Protocol>();
        if (p->PeekPacketTag(info))
        {
            Ptr<NetDevice> dev = m_processor->GetNode()->GetDevice(info.GetRecvIf());
            ifIndex = dev ? ipv4->GetInterfaceForDevice(dev) : -1;
        }
        if (ifIndex < 0)
        {
            ifIndex = ipv4->GetInterfaceForAddress(local);
        }
        p->RemoveAllPacketTags(); // the byte tags (FlowMonitor's) stay with the ESP payload
        m_processor->ProcessInboundUdpEncapsulated(p, src.GetIpv4(), local,
                                                   static_cast<uint32_t>(ifIndex));
    }
}

void
IkeDaemon::Send(Ptr<IkeSa> sa, const IkeBytes& bytes)
{
    SendFrom(sa->local, sa->localPort, sa->peer, sa->peerPort, bytes);
}

void
IkeDaemon::SendFrom(Ipv4Address local, uint16_t localPort, Ipv4Address peer, uint16_t peerPort,
                    const IkeBytes& bytes)
{
    auto it = m_sockets.find({local, localPort});
    if (it == m_sockets.end())
    {
        NS_LOG_WARN("IKE: no socket on " << local << ":" << localPort);
        return;
    }
    Ptr<Packet> p;
    if (localPort == kNatTPort)
    {
        IkeBytes marked(4, 0); // the non-ESP marker
        marked.insert(marked.end(), bytes.begin(), bytes.end());
        p = Create<Packet>(marked.data(), marked.size());
    }
    else
    {
        p = Create<Packet>(bytes.data(), bytes.size());
    }
    it->second->SendTo(p, 0, InetSocketAddress(peer, peerPort));
}

void
IkeDaemon::Drop(const std::string& reason, Ipv4Address peer)
{
    ++m_dropped;
    ++m_dropReasons[reason];
    NS_LOG_INFO("IKE: message from " << peer << " dropped: " << reason);
}

void
IkeDaemon::Record(const IkeExchangeRecord& r)
{
    m_records.push_back(r);
    m_exchangeTrace(r);
}

void
IkeDaemon::RecordInformational(Ptr<IkeSa> sa, const std::string& role, const std::string& result,
                               const std::string& reason, uint32_t messageId, uint32_t messages)
{
    IkeExchangeRecord rec;
    rec.exchange = "informational";
    rec.role = role;
    rec.local = sa->local;
    rec.peer = sa->peer;
    rec.icookie = ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end()));
    rec.messageId = messageId;
    rec.start = rec.end = Simulator::Now();
    rec.result = result;
    rec.messages = messages;
    rec.reason = reason;
    Record(rec);
}

void
IkeDaemon::Receive(const IkeBytes& datagram, Ipv4Address peer, Ipv4Address local)
{
    ReceiveOn(datagram, peer, kIkePort, local, kIkePort);
}

void
IkeDaemon::ReceiveOn(const IkeBytes& datagram, Ipv4Address peer, uint16_t peerPort,
                     Ipv4Address local, uint16_t localPort)
{
    if (!m_provider)
    {
        return;
    }
    if (datagram.size() < IsakmpHeader::SIZE)
    {
        Drop("shorter than an ISAKMP header", peer);
        return;
    }
    IsakmpHeader h;
    h.ReadFrom(datagram.data());
    if (h.GetMajorVersion() != 1)
    {
        Drop("not ISAKMP version 1", peer);
        return;
    }
    if (h.GetLength() != datagram.size())
    {
        Drop("length field disagrees with the datagram", peer);
        return;
    }
    const uint64_t ic = CookieKey(h.GetInitiatorCookie());
    const uint64_t rc = CookieKey(h.GetResponderCookie());
    const uint32_t mid = h.GetMessageId();
    auto saIt = m_sas.find(ic);
    Ptr<IkeSa> sa = saIt == m_sas.end() ? nullptr : saIt->second;
    if (sa && sa->peer != peer)
    {
        Drop("cookie of another peer's SA", peer);
        return;
    }
    if (sa && rc != 0 && CookieKey(sa->rcookie) != 0 && CookieKey(sa->rcookie) != rc)
    {
        Drop("responder cookie does not match", peer);
        return;
    }
    if (sa)
    {
        sa->lastHeard = Simulator::Now();
        // RFC 3947 4: once the peer talks to 4500 we answer there, to the port it came from
        // (a NAT may have changed it).
        if (localPort == kNatTPort || sa->localPort != kNatTPort)
        {
            sa->localPort = localPort;
            sa->peerPort = peerPort;
        }
    }
    switch (h.GetExchangeType())
    {
    case ISAKMP_EXCH_AGGRESSIVE:
        if (!m_acceptAggressive && !m_phase1.count(ic))
        {
            Drop("aggressive mode refused (crypto isakmp aggressive-mode disable)", peer);
            return;
        }
        [[fallthrough]];
    case ISAKMP_EXCH_MAIN_MODE:
    {
        auto it = m_phase1.find(ic);
        if (it != m_phase1.end())
        {
            Active& a = it->second;
            if (datagram == a.lastReceived)
            {
                AnswerAgain(a, sa, true, ic, mid);
                return;
            }
            if (a.done)
            {
                Drop("main mode message after phase 1 completed", peer);
                return;
            }
            Drive(a, datagram, true, ic, 0);
            return;
        }
        if (sa || rc != 0 || mid != 0 || h.IsEncrypted())
        {
            Drop("main mode message of no exchange in progress", peer);
            return;
        }
        // A new main mode: we are the responder.
        Ptr<IkeSa> nsa = Create<IkeSa>();
        nsa->connId = m_nextConnId++;
        AssignEngine(nsa, peer);
        nsa->initiator = false;
        nsa->local = local;
        nsa->peer = peer;
        nsa->localPort = localPort;
        nsa->peerPort = peerPort;
        nsa->icookie = h.GetInitiatorCookie();
        IkeBytes rcb = m_rng->Bytes(8);
        std::copy(rcb.begin(), rcb.end(), nsa->rcookie.begin());
        nsa->lastHeard = Simulator::Now();
        m_sas[ic] = nsa;
        Active& a = m_phase1[ic];
        if (h.GetExchangeType() == ISAKMP_EXCH_AGGRESSIVE)
        {
            a.task = std::make_unique<IkeAggressiveMode>(*this, nsa);
        }
        else
        {
            a.task = std::make_unique<IkeMainMode>(*this, nsa);
        }
        a.task->record.start = Simulator::Now();
        Drive(a, datagram, true, ic, 0);
        return;
    }
    case ISAKMP_EXCH_QUICK_MODE:
    {
        if (!sa || !sa->IsEstablished())
        {
            Drop("quick mode without an established ISAKMP SA", peer);
            return;
        }
        auto it = m_phase2.find({ic, mid});
        if (it != m_phase2.end())
        {
            Active& a = it->second;
            if (datagram == a.lastReceived)
            {
                AnswerAgain(a, sa, false, ic, mid);
                return;
            }
            if (a.done)
            {
                Drop("quick mode message after the exchange completed", peer);
                return;
            }
            Drive(a, datagram, false, ic, mid);
            return;
        }
        if (mid == 0)
        {
            Drop("quick mode with message ID 0", peer);
            return;
        }
        Active& a = m_phase2[{ic, mid}];
        a.task = std::make_unique<IkeQuickMode>(*this, sa, mid);
        a.task->record.start = Simulator::Now();
        Drive(a, datagram, false, ic, mid);
        return;
    }
    case ISAKMP_EXCH_INFORMATIONAL:
        ProcessInformational(sa, datagram, ic);
        return;
    default:
        Drop("exchange type " + std::to_string(h.GetExchangeType()) + " not supported", peer);
        return;
    }
}

// ------------------------------------------------------------------------------ driving tasks

void
IkeDaemon::AnswerAgain(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid)
{
    // The peer sent again what we answered: our answer was lost, so it goes again (RFC 2408
    // 5.x; IOS alike), and our own retransmission timer starts over.
    if (a.lastSent.empty())
    {
        return;
    }
    ++a.task->record.messages;
    ++a.task->record.retransmissions;
    Send(sa, a.lastSent);
    if (a.retransmit.IsRunning())
    {
        a.retransmit.Cancel();
        a.retransmit = Simulator::Schedule(m_retransmitInterval, &IkeDaemon::OnRetransmit, this,
                                           phase1, icookie, mid);
    }
}

void
IkeDaemon::Drive(Active& a, const IkeBytes& datagram, bool phase1, uint64_t icookie, uint32_t mid)
{
    Ptr<IkeSa> sa = a.task->GetSa();
    a.retransmit.Cancel();
    a.retries = 0;
    a.lastReceived = datagram;
    ++a.task->record.messages;
    IkeExchange::Status st = a.task->Process(datagram);
    if (st == IkeExchange::Status::FAILED)
    {
        // The failing message is not kept as "last received": a corrected one may follow.
        a.lastReceived.clear();
        Finish(a, phase1, icookie, mid, false, a.task->GetFailure());
        return;
    }
    if (st == IkeExchange::Status::SUCCESS)
    {
        Finish(a, phase1, icookie, mid, true, "");
        return;
    }
    Transmit(a, sa, phase1, icookie, mid);
}

void
IkeDaemon::Transmit(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid)
{
    IkeExchange::Status st;
    IkeBytes out = a.task->Build(&st);
    if (st == IkeExchange::Status::FAILED)
    {
        Finish(a, phase1, icookie, mid, false, a.task->GetFailure());
        return;
    }
    int group = 2;
    const uint32_t dh = a.task->TakeDhWork(&group);
    Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr;
    if (dh == 0 || !engines)
    {
        SendBuilt(a, sa, phase1, icookie, mid, out, st);
        return;
    }
    // The message leaves (and the SAs it completes are installed) when a crypto engine has done
    // the exponentiations it needed: an offloading card, else the CPU. Meanwhile a duplicate
    // from the peer is not answered with the previous message.
    a.lastSent.clear();
    const IkeExchange* task = a.task.get();
    Callback<void> k(
        [this, task, sa, phase1, icookie, mid, out, st]()
        {
            Active* b = FindActive(phase1, icookie, mid);
            if (b && b->task.get() == task && !b->done)
            {
                SendBuilt(*b, sa, phase1, icookie, mid, out, st);
            }
        });
    const IpsecCryptoOperation op = IpsecCryptoOperation::Dh(group);
    Ptr<IpsecCryptoEngine> engine = engines->EngineForKeyExchange(op);
    if (!engine->SubmitAll(std::vector<IpsecCryptoOperation>(dh, op), k))
    {
        // queue full: the work waits behind what is queued all the same (IKE is not dropped)
        Simulator::Schedule(engine->PredictCompletion(op) - Simulator::Now() +
                                engine->ServiceTime(op) * (dh - 1),
                            k);
    }
}

void
IkeDaemon::SendBuilt(Active& a, Ptr<IkeSa> sa, bool phase1, uint64_t icookie, uint32_t mid,
                     const IkeBytes& out, IkeExchange::Status st)
{
    a.lastSent = out;
    ++a.task->record.messages;
    Send(sa, out);
    if (st == IkeExchange::Status::SUCCESS)
    {
        Finish(a, phase1, icookie, mid, true, "");
        return;
    }
    a.retransmit = Simulator::Schedule(m_retransmitInterval, &IkeDaemon::OnRetransmit, this, phase1,
                                       icookie, mid);
}

IkeDaemon::Active*
IkeDaemon::FindActive(bool phase1, uint64_t icookie, uint32_t mid)
{
    if (phase1)
    {
        auto it = m_phase1.find(icookie);
        return it == m_phase1.end() ? nullptr : &it->second;
    }
    auto it = m_phase2.find({icookie, mid});
    return it == m_phase2.end() ? nullptr : &it->second;
}

void
IkeDaemon::OnRetransmit(bool phase1, uint64_t icookie, uint32_t mid)
{
    Active* a = FindActive(phase1, icookie, mid);
    if (!a || a->done)
    {
        return;
    }
    Ptr<IkeSa> sa = a->task->GetSa();
    if (a->retries >= m_maxRetransmissions)
    {
        std::ostringstream os;
        os << "no answer from " << sa->peer << " after " << a->retries << " retransmissions (state "
           << ToString(sa->state) << ")";
        if (phase1 && sa->state == IkeSaState::MM_KEY_EXCH && sa->initiator)
        {
            os << ": the peer could not read our message 5, the pre-shared keys likely differ";
        }
        Finish(*a, phase1, icookie, mid, false, os.str());
        return;
    }
    ++a->retries;
    ++a->task->record.messages;
    ++a->task->record.retransmissions;
    NS_LOG_INFO("IKE " << sa->local << " -> " << sa->peer << ": retransmitting");
    Send(sa, a->lastSent);
    a->retransmit = Simulator::Schedule(m_retransmitInterval, &IkeDaemon::OnRetransmit, this,
                                        phase1, icookie, mid);
}

void
IkeDaemon::Finish(Active& a, bool phase1, uint64_t icookie, uint32_t mid, bool ok,
                  const std::string& reason)
{
    a.retransmit.Cancel();
    a.done = true;
    IkeExchangeRecord& r = a.task->record;
    r.end = Simulator::Now();
    r.result = ok ? "ok" : "failed";
    r.reason = reason;
    Record(r);
    Ptr<IkeSa> sa = a.task->GetSa();
    if (!ok && a.task->GetNotify() != ISAKMP_NOTIFY_NONE)
    {
        const bool keyed = sa->cipher && (sa->IsEstablished() || !phase1) &&
                           a.task->GetNotify() != ISAKMP_NOTIFY_AUTHENTICATION_FAILED;
        if (keyed)
        {
            IsakmpNotificationPayload n(
                a.task->GetNotify(), ISAKMP_PROTO_ISAKMP,
                IsakmpNotificationPayload::CookieSpi(sa->icookie, sa->rcookie));
            SendInformational(sa, n,
                              std::string("notify ") + IsakmpNotifyTypeName(a.task->GetNotify()));
        }
        else
        {
            SendCleartextNotify(sa, a.task->GetNotify());
            RecordInformational(sa, "initiator", "ok",
                                std::string("sent notify ") +
                                    IsakmpNotifyTypeName(a.task->GetNotify()) +
                                    " (in the clear: no shared keys)");
        }
    }
    // Keep a finished exchange a while to answer a retransmission of its last message
    // (our final message was lost); a failed one goes at once.
    const Time keep = ok ? m_retransmitInterval * (m_maxRetransmissions + 1) : Seconds(0);
    if (phase1)
    {
        Phase1Done(sa, ok, reason);
        a.linger = Simulator::Schedule(keep, [this, icookie]() { m_phase1.erase(icookie); });
    }
    else
    {
        QuickModeDone(a, ok, reason);
        QmKey k{icookie, mid};
        a.linger = Simulator::Schedule(keep,
                                       [this, k]()
                                       {
                                           auto it = m_phase2.find(k);
                                           if (it != m_phase2.end())
                                           {
                                               Ptr<IkeSa> s = it->second.task->GetSa();
                                               if (s->cipher)
                                               {
                                                   s->cipher->ForgetExchange(k.second);
                                               }
                                               m_phase2.erase(it);
                                           }
                                       });
    }
}

// ------------------------------------------------------------------------------ negotiations

void
IkeDaemon::OnAcquire(const IpsecProcessor::Acquire& acq)
{
    if (!m_provider || !acq.entry)
    {
        return;
    }
    for (const auto& [id, n] : m_negotiations)
    {
        if (n.entry == acq.entry && n.scope.srcAddr == acq.scope.srcAddr &&
            n.scope.dstAddr == acq.scope.dstAddr && n.scope.srcWildcard == acq.scope.srcWildcard &&
            n.scope.dstWildcard == acq.scope.dstWildcard && n.scope.protocol == acq.scope.protocol)
        {
            return; // already negotiating: IOS drops the packet meanwhile
        }
    }
    auto held = m_holdDown.find(acq.entry->id);
    if (held != m_holdDown.end() && Simulator::Now() < held->second)
    {
        return; // a negotiation for this entry failed a moment ago: not again at once
    }
    if (acq.entry->peers.empty())
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.role = "initiator";
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = "crypto map " + acq.entry->Name() + " has no peer (set peer)";
        Record(r);
        return;
    }
    Negotiation n;
    n.id = m_nextNegotiation++;
    n.entry = acq.entry;
    n.scope = acq.scope;
    n.local = m_processor->GetLocalAddress(acq.ifIndex);
    n.peers = acq.entry->peers;
    auto lp = m_lastPeer.find(acq.entry->id);
    n.index = lp == m_lastPeer.end() ? 0 : lp->second % n.peers.size();
    m_negotiations[n.id] = n;
    StartNegotiation(n.id);
}

Ptr<IkeSa>
IkeDaemon::FindEstablished(Ipv4Address local, Ipv4Address peer) const
{
    Ptr<IkeSa> best;
    for (const auto& [k, sa] : m_sas)
    {
        if (sa->peer == peer && sa->local == local && sa->IsEstablished() &&
            (!best || sa->created > best->created))
        {
            best = sa;
        }
    }
    return best;
}

void
IkeDaemon::StartNegotiation(uint64_t id)
{
    auto it = m_negotiations.find(id);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    const Ipv4Address peer = n.peers[n.index];
    if (Ptr<IkeSa> sa = FindEstablished(n.local, peer))
    {
        StartQuickMode(sa, id);
        return;
    }
    for (const auto& [ic, a] : m_phase1)
    {
        Ptr<IkeSa> sa = a.task->GetSa();
        if (!a.done && sa->initiator && sa->peer == peer && sa->local == n.local)
        {
            n.waitingPhase1 = ic;
            return;
        }
    }
    Ptr<IkeSa> sa = Create<IkeSa>();
    sa->connId = m_nextConnId++;
    AssignEngine(sa, peer);
    sa->initiator = true;
    sa->local = n.local;
    sa->peer = peer;
    IkeBytes c = m_rng->Bytes(8);
    std::copy(c.begin(), c.end(), sa->icookie.begin());
    const uint64_t ic = CookieKey(sa->icookie);
    m_sas[ic] = sa;
    n.waitingPhase1 = ic;
    Active& a = m_phase1[ic];
    if (m_aggressivePeers.count(peer))
    {
        a.task = std::make_unique<IkeAggressiveMode>(*this, sa);
    }
    else
    {
        a.task = std::make_unique<IkeMainMode>(*this, sa);
    }
    a.task->record.start = Simulator::Now();
    Transmit(a, sa, true, ic, 0);
}

void
IkeDaemon::StartQuickMode(Ptr<IkeSa> sa, uint64_t negotiation)
{
    auto it = m_negotiations.find(negotiation);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    n.waitingPhase1 = 0;
    IkePolicyProvider::Phase2 p2 = m_provider->GetInitiatorPhase2(n.entry);
    if (!p2.entry)
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.role = "initiator";
        r.local = sa->local;
        r.peer = sa->peer;
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = p2.reason;
        Record(r);
        m_negotiations.erase(it);
        return;
    }
    uint32_t mid = 0;
    while (mid == 0 || m_phase2.count({CookieKey(sa->icookie), mid}))
    {
        mid = m_rng->Uint32();
    }
    IkeAdjustModes(p2.offer, n.scope, sa->local, sa->peer);
    p2.offer.udpEncapsulation = sa->NatDetected();
    const uint64_t ic = CookieKey(sa->icookie);
    Active& a = m_phase2[{ic, mid}];
    a.negotiation = negotiation;
    a.task = std::make_unique<IkeQuickMode>(*this, sa, mid, n.entry, p2.offer, n.scope);
    a.task->record.start = Simulator::Now();
    Transmit(a, sa, false, ic, mid);
}

void
IkeDaemon::NextPeer(uint64_t id, const std::string& reason)
{
    auto it = m_negotiations.find(id);
    if (it == m_negotiations.end())
    {
        return;
    }
    Negotiation& n = it->second;
    ++n.tried;
    if (n.tried >= n.peers.size())
    {
        NS_LOG_INFO("IKE: negotiation for " << n.entry->Name()
                                            << " failed with every peer: " << reason);
        m_holdDown[n.entry->id] = Simulator::Now() + m_failureHoldDown;
        m_processor->DropHeld(n.entry);
        m_negotiations.erase(it);
        return;
    }
    // "If the attempt fails with the first peer, IKE tries the next peer on the crypto map list."
    n.index = (n.index + 1) % n.peers.size();
    StartNegotiation(id);
}

void
IkeDaemon::Phase1Done(Ptr<IkeSa> sa, bool ok, const std::string& reason)
{
    const uint64_t ic = CookieKey(sa->icookie);
    std::vector<uint64_t> waiting;
    for (const auto& [id, n] : m_negotiations)
    {
        if (n.waitingPhase1 == ic)
        {
            waiting.push_back(id);
        }
    }
    if (!ok)
    {
        sa->failure = reason;
        sa->state = IkeSaState::DELETED;
        ReleaseEngine(sa);
        m_sas.erase(ic);
        for (uint64_t id : waiting)
        {
            m_negotiations[id].waitingPhase1 = 0;
            NextPeer(id, reason);
        }
        return;
    }
    sa->created = Simulator::Now();
    sa->lastHeard = Simulator::Now();
    if (sa->peerInitialContact)
    {
        ForgetPeer(sa);
    }
    m_decryptionTable.emplace_back(ipsec::ToHex(IkeBytes(sa->icookie.begin(), sa->icookie.end())),
                                   ipsec::ToHex(sa->keys.encryptionKey));
    // By cookie: a Ptr in the event would make IkeSa -> EventId -> event -> IkeSa a cycle.
    sa->expiry =
        Simulator::Schedule(Seconds(sa->policy.lifetimeSeconds),
                            [this, ic]()
                            {
                                auto it = m_sas.find(ic);
                                if (it != m_sas.end())
                                {
                                    DeleteIkeSa(it->second, "phase-1 lifetime expired", true);
                                }
                            });
    if (m_natKeepaliveSeconds && sa->natLocal)
    {
        // RFC 3948 2.3 / `crypto isakmp nat keepalive S`: the side behind the NAT keeps its
        // mapping alive while the SA lives.
        sa->natKeepaliveEvent =
            Simulator::Schedule(Seconds(m_natKeepaliveSeconds), &IkeDaemon::NatKeepalive, this, ic);
    }
    if (m_dpdSeconds && sa->peerSupportsDpd)
    {
        m_dpdCounters[ic] = {PacketsWithPeer(sa->peer, false), PacketsWithPeer(sa->peer, true)};
        sa->dpdEvent = Simulator::Schedule(Seconds(m_dpdSeconds), &IkeDaemon::DpdCheck, this, ic);
    }
    for (uint64_t id : waiting)
    {
        StartQuickMode(sa, id);
    }
}

void
IkeDaemon::AssignEngine(Ptr<IkeSa> sa, Ipv4Address peer)
{
    // IOS gives each IKE SA a connection on a crypto engine (Multi-ISA: the card holding
    // fewer); its IPsec SAs go to the same engine when it does their transform.
    if (Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr)
    {
        std::ostringstream label;
        label << peer;
        sa->engineConnId = engines->AssignIkeSa(label.str()).connId;
    }
}

void
IkeDaemon::ReleaseEngine(Ptr<IkeSa> sa)
{
    Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr;
    if (engines && sa->engineConnId)
    {
        engines->Release(sa->engineConnId);
        sa->engineConnId = 0;
    }
}

void
IkeDaemon::ForgetPeer(Ptr<IkeSa> sa)
{
    // RFC 2407 4.6.3.3: INITIAL-CONTACT tells that the peer has rebooted and lost every SA it
    // had with us. Ours are stale: they go, without a word to the peer (it knows none of them).
    // Kept, the stale ISAKMP SA would go on with DPD and, unanswered, declare the peer dead
    // and take down the SAs just negotiated with it.
    std::vector<Ptr<IkeSa>> stale;
    for (const auto& [k, other] : m_sas)
    {
        if (other != sa && other->peer == sa->peer)
        {
            stale.push_back(other);
        }
    }
    std::vector<Ptr<IpsecSaBundle>> gone;
    for (const auto& [bp, info] : m_bundles)
    {
        if (bp->peer == sa->peer)
        {
            gone.push_back(bp);
        }
    }
    if (stale.empty() && gone.empty())
    {
        return;
    }
    for (auto& other : stale)
    {
        DeleteIkeSa(other, "peer sent INITIAL-CONTACT (it rebooted)", false);
    }
    for (auto& b : gone)
    {
        RemoveBundleFromPlane(b);
    }
    RecordInformational(sa, "responder", "ok",
                        "peer sent INITIAL-CONTACT: " + std::to_string(stale.size()) +
                            " ISAKMP SA(s) and " + std::to_string(gone.size()) +
                            " IPsec SA bundle(s) held with it removed",
                        0, 0);
}

void
IkeDaemon::QuickModeDone(Active& a, bool ok, const std::string& reason)
{
    auto* qm = static_cast<IkeQuickMode*>(a.task.get());
    Ptr<IkeSa> sa = qm->GetSa();
    if (!ok)
    {
        if (qm->IsInitiator())
        {
            NextPeer(a.negotiation, reason);
        }
        return;
    }
    Install(sa, qm->GetOutcome(), qm->IsInitiator());
    if (qm->IsInitiator())
    {
        m_negotiations.erase(a.negotiation);
    }
}

void
IkeDaemon::Install(Ptr<IkeSa> sa, const IkeQuickModeOutcome& o, bool initiatedByUs)
{
    Ptr<IpsecSaBundle> b = Create<IpsecSaBundle>();
    b->scope = o.scope;
    b->local = sa->local;
    b->peer = sa->peer;
    b->mode = o.set.mode;
    if (sa->NatDetected())
    {
        // RFC 3948: ESP in UDP between the ports IKE floated to.
        b->udpEncapLocalPort = sa->localPort;
        b->udpEncapPeerPort = sa->peerPort;
    }
    const uint32_t secs = o.lifetimeSeconds;
    const uint64_t kb = o.lifetimeKilobytes;
    auto addSa = [&](IpsecProtocol proto, bool inbound, uint32_t spi)
    {
        IpsecSaConfig c;
        c.protocol = proto;
        c.direction = inbound ? IpsecDirection::INBOUND : IpsecDirection::OUTBOUND;
        c.mode = o.set.mode;
        c.spi = spi;
        c.source = inbound ? sa->peer : sa->local;
        c.destination = inbound ? sa->local : sa->peer;
        c.selector = o.scope;
        c.label = "crypto map " + o.entry->Name();
        c.udpEncapsulated = sa->NatDetected();
        size_t cl = 0;
        size_t al = 0;
        switch (proto)
        {
        case IpsecProtocol::ESP:
            c.cipher = *o.set.espCipher;
            c.rfc1829 = o.set.espRfc1829;
            cl = ipsec::GetCipherInfo(c.cipher).keyLen;
            if (o.set.espAuth)
            {
                c.auth = *o.set.espAuth;
                al = ipsec::GetAuthInfo(c.auth).keyLen;
            }
            break;
        case IpsecProtocol::AH:
            c.auth = *o.set.ah;
            al = ipsec::GetAuthInfo(c.auth).keyLen;
            break;
        case IpsecProtocol::IPCOMP:
            c.compression = *o.set.comp;
            break;
        }
        if (cl + al)
        {
            IkeSaKeys k = IkeDeriveSaKeys(sa->keys, o.gqmxy, IsakmpProtocolOf(proto), spi, o.ni,
                                          o.nr, cl, al);
            c.cipherKey = k.cipherKey;
            c.authKey = k.authKey;
        }
        // Rekey 30 s before the seconds lifetime, or 256 KB before the kilobytes lifetime
        // (spec: "whichever comes first").
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
        Ptr<IpsecSa> s = IpsecSa::Create(c);
        (inbound ? b->inbound : b->outbound).push_back(s);
    };
    try
    {
        for (IpsecProtocol proto : o.set.Protocols())
        {
            const uint32_t ours = proto == IpsecProtocol::ESP  ? o.ourSpis.esp
                                  : proto == IpsecProtocol::AH ? o.ourSpis.ah
                                                               : o.ourSpis.cpi;
            const uint32_t theirs = proto == IpsecProtocol::ESP  ? o.peerSpis.esp
                                    : proto == IpsecProtocol::AH ? o.peerSpis.ah
                                                                 : o.peerSpis.cpi;
            addSa(proto, true, ours);
            addSa(proto, false, theirs);
        }
        m_processor->InstallBundle(o.entry, b, sa->engineConnId);
    }
    catch (const std::exception& e)
    {
        IkeExchangeRecord r;
        r.exchange = "quick";
        r.local = sa->local;
        r.peer = sa->peer;
        r.start = r.end = Simulator::Now();
        r.result = "failed";
        r.reason = std::string("negotiated SAs cannot be installed: ") + e.what();
        Record(r);
        return;
    }
    BundleInfo info;
    info.bundle = b;
    info.entry = o.entry;
    info.initiatedByUs = initiatedByUs;
    m_bundles[PeekPointer(b)] = info;
    for (auto* v : {&b->inbound, &b->outbound})
    {
        for (auto& s : *v)
        {
            // By raw pointer: a Ptr here would make SA -> callback -> bundle -> SA a cycle.
            s->TraceConnectWithoutContext(
                "SoftExpiry", MakeCallback(&IkeDaemon::OnSoftExpiry, this, PeekPointer(b)));
            s->TraceConnectWithoutContext(
                "HardExpiry", MakeCallback(&IkeDaemon::OnHardExpiry, this, PeekPointer(b)));
            // (The SAD started its lifetime when the bundle was installed.)
        }
    }
    // The peer is the one last heard from for this entry's flows.
    const auto& peers = o.entry->peers;
    auto pi = std::find(peers.begin(), peers.end(), sa->peer);
    if (pi != peers.end())
    {
        m_lastPeer[o.entry->id] = static_cast<size_t>(pi - peers.begin());
    }
}

// ------------------------------------------------------------------------------ expiry, rekey

void
IkeDaemon::OnSoftExpiry(IpsecSaBundle* raw, Ptr<IpsecSa> sa)
{
    auto it = m_bundles.find(raw);
    if (it == m_bundles.end())
    {
        return;
    }
    Ptr<IpsecSaBundle> bundle = it->second.bundle;
    if (it == m_bundles.end() || it->second.rekeyStarted || !it->second.initiatedByUs ||
        !m_provider)
    {
        return;
    }
    // "An SA that carried no traffic is not renegotiated": the next packet brings a new one.
    uint64_t packets = 0;
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            packets += s->GetPackets();
        }
    }
    if (packets == 0)
    {
        return;
    }
    it->second.rekeyStarted = true;
    Negotiation n;
    n.id = m_nextNegotiation++;
    n.entry = it->second.entry;
    n.scope = bundle->scope;
    n.local = bundle->local;
    n.peers = n.entry->peers.empty() ? std::vector<Ipv4Address>{bundle->peer} : n.entry->peers;
    auto pi = std::find(n.peers.begin(), n.peers.end(), bundle->peer);
    n.index = pi == n.peers.end() ? 0 : static_cast<size_t>(pi - n.peers.begin());
    n.rekey = true;
    m_negotiations[n.id] = n;
    NS_LOG_INFO("IKE: rekeying " << n.entry->Name() << " with " << bundle->peer);
    StartNegotiation(n.id);
}

void
IkeDaemon::OnHardExpiry(IpsecSaBundle* raw, Ptr<IpsecSa> sa)
{
    auto it = m_bundles.find(raw);
    if (it != m_bundles.end())
    {
        // Not from inside the SA's own expiry event: removing the bundle may free the SA.
        Simulator::ScheduleNow(&IkeDaemon::RemoveBundleFromPlane, this, it->second.bundle);
    }
}

void
IkeDaemon::RemoveBundleFromPlane(Ptr<IpsecSaBundle> bundle)
{
    auto it = m_bundles.find(PeekPointer(bundle));
    if (it == m_bundles.end())
    {
        return;
    }
    Ptr<IpsecPolicyEntry> entry = it->second.entry;
    m_bundles.erase(it);
    for (auto* v : {&bundle->inbound, &bundle->outbound})
    {
        for (auto& s : *v)
        {
            m_spis.erase(s->GetSpi());
            if (!s->IsExpired())
            {
                s->Expire();
            }
        }
    }
    if (std::find(entry->bundles.begin(), entry->bundles.end(), bundle) != entry->bundles.end())
    {
        m_processor->RemoveBundle(entry, bundle);
    }
}

void
IkeDaemon::DeleteBundle(Ptr<IpsecPolicyEntry> entry, Ptr<IpsecSaBundle> bundle)
{
    if (!m_bundles.count(PeekPointer(bundle)))
    {
        m_processor->RemoveBundle(entry, bundle);
        return;
    }
    Ptr<IkeSa> sa = FindEstablished(bundle->local, bundle->peer);
    if (sa)
    {
        // RFC 2408 3.15: one delete per protocol, with our inbound SPIs (the peer's outbound).
        for (auto& s : bundle->inbound)
        {
            const uint8_t proto = IsakmpProtocolOf(s->GetProtocol());
            IsakmpDeletePayload d(proto, proto == ISAKMP_PROTO_IPCOMP ? 2 : 4);
            if (proto == ISAKMP_PROTO_IPCOMP)
            {
                const uint16_t cpi = static_cast<uint16_t>(s->GetSpi());
                d.AddSpi({uint8_t(cpi >> 8), uint8_t(cpi)});
            }
            else
            {
                d.AddSpi32(s->GetSpi());
            }
            SendInformational(sa, d, "delete");
        }
    }
    RemoveBundleFromPlane(bundle);
}

// ------------------------------------------------------------------------------ informational

void
IkeDaemon::SendInformational(Ptr<IkeSa> sa, const IsakmpPayload& payload, const std::string& what)
{
    if (!sa->cipher)
    {
        return;
    }
    uint32_t mid = 0;
    const uint64_t ic = CookieKey(sa->icookie);
    while (mid == 0 || m_phase2.count({ic, mid}))
    {
        mid = m_rng->Uint32();
    }
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(sa->icookie);
    h.SetResponderCookie(sa->rcookie);
    h.SetExchangeType(ISAKMP_EXCH_INFORMATIONAL);
    h.SetMessageId(mid);
    m.SetHeader(h);
    const IkeBytes body = payload.ToBytes();
    // RFC 2409 5.7: HASH(1) = prf(SKEYID_a, M-ID | N/D)
    m.AddPayload(IsakmpHashPayload(IkeHash1(sa->keys, mid, body)));
    m.AddPayload(payload.Clone());
    IsakmpCryptoResult r = sa->cipher->EncryptMessage(m);
    sa->cipher->ForgetExchange(mid);
    if (!r)
    {
        return;
    }
    RecordInformational(sa, "initiator", "ok", "sent " + what, mid);
    Send(sa, r.bytes);
}

void
IkeDaemon::SendCleartextNotify(Ptr<IkeSa> sa, uint16_t type)
{
    IsakmpMessage m;
    IsakmpHeader h;
    h.SetInitiatorCookie(sa->icookie);
    h.SetResponderCookie(sa->rcookie);
    h.SetExchangeType(ISAKMP_EXCH_INFORMATIONAL);
    h.SetMessageId(m_rng->Uint32() | 1);
    m.SetHeader(h);
    m.AddPayload(IsakmpNotificationPayload(
        type, ISAKMP_PROTO_ISAKMP, IsakmpNotificationPayload::CookieSpi(sa->icookie, sa->rcookie)));
    Send(sa, m.ToBytes());
}

void
IkeDaemon::ProcessInformational(Ptr<IkeSa> sa, const IkeBytes& datagram, uint64_t icookie)
{
    IsakmpHeader h;
    h.ReadFrom(datagram.data());
    Ipv4Address peerAddr = sa ? sa->peer : Ipv4Address();
    std::optional<IsakmpMessage> m;
    IkeBytes plain;
    if (h.IsEncrypted())
    {
        if (!sa || !sa->cipher)
        {
            Drop("encrypted informational without keys", peerAddr);
            return;
        }
        const uint32_t mid = h.GetMessageId();
        IsakmpCryptoResult r = sa->cipher->Decrypt(datagram);
        sa->cipher->ForgetExchange(mid);
        IsakmpParseStatus st;
        if (r)
        {
            m = IsakmpMessage::FromDecryptedBytes(r.bytes, &st);
        }
        if (!m || m->GetNPayloads() < 2)
        {
            Drop("informational message cannot be read", peerAddr);
            return;
        }
        const auto* hash = dynamic_cast<const IsakmpHashPayload*>(&m->GetPayload(0));
        IkeBytes rest = m->GetPayload(1).ToBytes();
        // the generic header's next payload field is as received: take the raw bytes
        const size_t off = IsakmpHeader::SIZE + m->GetPayload(0).GetSerializedSize();
        if (r.bytes.size() >= off + rest.size())
        {
            rest.assign(r.bytes.begin() + off, r.bytes.begin() + off + rest.size());
        }
        if (!hash || hash->GetData() != IkeHash1(sa->keys, mid, rest))
        {
            Drop("informational message fails its HASH(1)", peerAddr);
            return;
        }
    }
    else
    {
        m = IsakmpMessage::FromBytes(datagram);
        if (!m)
        {
            Drop("malformed informational message", peerAddr);
            return;
        }
        if (sa && sa->IsEstablished())
        {
            Drop("cleartext informational for an established SA", peerAddr);
            return;
        }
    }
    for (size_t k = 0; k < m->GetNPayloads(); ++k)
    {
        const IsakmpPayload& p = m->GetPayload(k);
        if (const auto* n = dynamic_cast<const IsakmpNotificationPayload*>(&p))
        {
            const uint16_t type = n->GetNotifyType();
            if (sa && (type == ISAKMP_NOTIFY_R_U_THERE || type == ISAKMP_NOTIFY_R_U_THERE_ACK) &&
                h.IsEncrypted())
            {
                const IkeBytes& d = n->GetData();
                const uint32_t seq = d.size() >= 4 ? Be32(d.data()) : 0;
                if (type == ISAKMP_NOTIFY_R_U_THERE)
                {
                    SendInformational(
                        sa,
                        IsakmpNotificationPayload::DpdNotify(true, sa->icookie, sa->rcookie, seq),
                        "DPD R-U-THERE-ACK");
                }
                else if (seq == sa->dpdSequence)
                {
                    sa->dpdOutstanding = 0;
                }
                continue;
            }
            if (type >= 1 && type < 16384)
            {
                // An error notification: the exchange in flight with this peer fails with it.
                const std::string why = std::string("peer reported ") + IsakmpNotifyTypeName(type);
                auto p1 = m_phase1.find(icookie);
                if (p1 != m_phase1.end() && !p1->second.done)
                {
                    Finish(p1->second, true, icookie, 0, false, why);
                    continue;
                }
                // The notification names no message ID: the exchanges in flight with this peer
                // over this SA end with it.
                std::vector<QmKey> failing;
                for (auto& [key, a] : m_phase2)
                {
                    if (key.first == icookie && !a.done)
                    {
                        failing.push_back(key);
                    }
                }
                for (const auto& key : failing)
                {
                    auto it = m_phase2.find(key);
                    if (it != m_phase2.end() && !it->second.done)
                    {
                        it->second.task->GetSa(); // keep the SA alive through Finish
                        Finish(it->second, false, key.first, key.second, false, why);
                    }
                }
            }
        }
        else if (const auto* d = dynamic_cast<const IsakmpDeletePayload*>(&p))
        {
            if (!sa || !h.IsEncrypted())
            {
                continue;
            }
            if (d->GetProtocolId() == ISAKMP_PROTO_ISAKMP)
            {
                DeleteIkeSa(sa, "peer deleted the ISAKMP SA", false);
                return;
            }
            for (const auto& spiBytes : d->GetSpis())
            {
                uint32_t spi = 0;
                for (uint8_t b : spiBytes)
                {
                    spi = (spi << 8) | b;
                }
                std::vector<Ptr<IpsecSaBundle>> gone;
                for (const auto& [bp, info] : m_bundles)
                {
                    for (const auto& s : bp->outbound)
                    {
                        if (bp->peer == sa->peer && s->GetSpi() == spi &&
                            IsakmpProtocolOf(s->GetProtocol()) == d->GetProtocolId())
                        {
                            gone.push_back(bp);
                        }
                    }
                }
                for (auto& b : gone)
                {
                    RemoveBundleFromPlane(b);
                }
            }
            RecordInformational(sa, "responder", "ok", "peer deleted IPsec SAs", h.GetMessageId());
        }
    }
}

void
IkeDaemon::DeleteIkeSa(Ptr<IkeSa> sa, const std::string& why, bool notifyPeer)
{
    const uint64_t ic = CookieKey(sa->icookie);
    if (notifyPeer && sa->IsEstablished())
    {
        IsakmpDeletePayload d(ISAKMP_PROTO_ISAKMP, 16);
        d.AddSpi(IsakmpNotificationPayload::CookieSpi(sa->icookie, sa->rcookie));
        SendInformational(sa, d, "delete of the ISAKMP SA");
    }
    sa->expiry.Cancel();
    sa->dpdEvent.Cancel();
    sa->natKeepaliveEvent.Cancel();
    sa->state = IkeSaState::DELETED;
    sa->failure = why;
    ReleaseEngine(sa);
    m_sas.erase(ic);
    m_dpdCounters.erase(ic);
    NS_LOG_INFO("IKE: ISAKMP SA with " << sa->peer << " deleted: " << why);
}

void
IkeDaemon::ClearIsakmp(uint32_t connId)
{
    std::vector<Ptr<IkeSa>> all;
    for (const auto& [k, sa] : m_sas)
    {
        if (connId == 0 || sa->connId == connId)
        {
            all.push_back(sa);
        }
    }
    for (auto& sa : all)
    {
        DeleteIkeSa(sa, "cleared", true);
    }
}

// ------------------------------------------------------------------------------ NAT keepalive

void
IkeDaemon::NatKeepalive(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end() || it->second->localPort != kNatTPort)
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    auto sock = m_sockets.find({sa->local, kNatTPort});
    if (sock != m_sockets.end())
    {
        const uint8_t ff = 0xff; // RFC 3948 2.3: one octet, 0xFF
        sock->second->SendTo(Create<Packet>(&ff, 1), 0, InetSocketAddress(sa->peer, sa->peerPort));
        ++m_natKeepalivesSent;
    }
    sa->natKeepaliveEvent = Simulator::Schedule(Seconds(m_natKeepaliveSeconds),
                                                &IkeDaemon::NatKeepalive, this, icookie);
}

// ------------------------------------------------------------------------------ DPD

uint64_t
IkeDaemon::PacketsWithPeer(Ipv4Address peer, bool inbound) const
{
    uint64_t n = 0;
    for (const auto& [bp, info] : m_bundles)
    {
        if (bp->peer != peer)
        {
            continue;
        }
        for (const auto& s : inbound ? bp->inbound : bp->outbound)
        {
            n += s->GetPackets();
        }
    }
    return n;
}

void
IkeDaemon::DpdCheck(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end())
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    auto& [lastOut, lastIn] = m_dpdCounters[icookie];
    const uint64_t out = PacketsWithPeer(sa->peer, false);
    const uint64_t in = PacketsWithPeer(sa->peer, true);
    if (in != lastIn)
    {
        sa->lastHeard = Simulator::Now();
    }
    const bool sending = out != lastOut;
    lastOut = out;
    lastIn = in;
    const bool quiet = Simulator::Now() - sa->lastHeard >= Seconds(m_dpdSeconds);
    // RFC 3706 5.3: on demand, ask only when we send and hear nothing back; periodic: whenever
    // the peer has been quiet.
    if (quiet && (m_dpdPeriodic || sending) && sa->dpdOutstanding == 0)
    {
        sa->dpdOutstanding = 1;
        sa->dpdSequence =
            sa->dpdSequence ? sa->dpdSequence + 1 : (m_rng->Uint32() & 0x7fffffff) + 1;
        SendInformational(
            sa,
            IsakmpNotificationPayload::DpdNotify(false, sa->icookie, sa->rcookie, sa->dpdSequence),
            "DPD R-U-THERE");
        sa->dpdEvent =
            Simulator::Schedule(Seconds(m_dpdRetry), &IkeDaemon::DpdRetry, this, icookie);
        return;
    }
    sa->dpdEvent = Simulator::Schedule(Seconds(m_dpdSeconds), &IkeDaemon::DpdCheck, this, icookie);
}

void
IkeDaemon::DpdRetry(uint64_t icookie)
{
    auto it = m_sas.find(icookie);
    if (it == m_sas.end())
    {
        return;
    }
    Ptr<IkeSa> sa = it->second;
    if (sa->dpdOutstanding == 0)
    {
        sa->lastHeard = Simulator::Now();
        sa->dpdEvent =
            Simulator::Schedule(Seconds(m_dpdSeconds), &IkeDaemon::DpdCheck, this, icookie);
        return;
    }
    if (sa->dpdOutstanding >= m_dpdMaxRetries)
    {
        PeerDead(sa);
        return;
    }
    ++sa->dpdOutstanding;
    ++sa->dpdSequence;
    SendInformational(
        sa, IsakmpNotificationPayload::DpdNotify(false, sa->icookie, sa->rcookie, sa->dpdSequence),
        "DPD R-U-THERE (retry)");
    sa->dpdEvent = Simulator::Schedule(Seconds(m_dpdRetry), &IkeDaemon::DpdRetry, this, icookie);
}

void
IkeDaemon::PeerDead(Ptr<IkeSa> sa)
{
    RecordInformational(sa, "initiator", "failed",
                        "peer dead: " + std::to_string(sa->dpdOutstanding) +
                            " R-U-THERE unanswered; its ISAKMP and IPsec SAs are removed",
                        0, 0); // the R-U-THEREs have their own records: no message here
    const Ipv4Address dead = sa->peer;
    DeleteIkeSa(sa, "peer dead (DPD)", false);
    std::vector<Ptr<IpsecSaBundle>> gone;
    for (const auto& [bp, info] : m_bundles)
    {
        if (bp->peer == dead)
        {
            gone.push_back(bp);
            const auto& peers = info.entry->peers;
            auto pi = std::find(peers.begin(), peers.end(), dead);
            if (pi != peers.end() && peers.size() > 1)
            {
                // Traffic moves on: the next peer of the list is tried first.
                m_lastPeer[info.entry->id] =
                    (static_cast<size_t>(pi - peers.begin()) + 1) % peers.size();
            }
        }
    }
    for (auto& b : gone)
    {
        RemoveBundleFromPlane(b);
    }
}

// ------------------------------------------------------------------------------ reports

std::vector<Ptr<IkeSa>>
IkeDaemon::GetSas() const
{
    std::vector<Ptr<IkeSa>> out;
    for (const auto& [k, sa] : m_sas)
    {
        out.push_back(sa);
    }
    std::sort(out.begin(), out.end(),
              [](const Ptr<IkeSa>& a, const Ptr<IkeSa>& b) { return a->connId < b->connId; });
    return out;
}

std::vector<IkeExchangeRecord>
IkeDaemon::GetExchanges() const
{
    std::vector<IkeExchangeRecord> out = m_records;
    for (const auto& [k, a] : m_phase1)
    {
        if (!a.done)
        {
            out.push_back(a.task->record);
        }
    }
    for (const auto& [k, a] : m_phase2)
    {
        if (!a.done)
        {
            out.push_back(a.task->record);
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.start < b.start; });
    return out;
}

} // namespace ns3
