// IkeDaemon, the task manager part: the exchanges in flight, their retransmission, the
// answer sent again for a duplicate, and the linger of a finished exchange.
#include "ike-daemon-private.h"

#include "ns3/crypto-engine.h"
#include "ns3/ipsec-ns3-compat.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <memory>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("IkeDaemonTasks");

using namespace ike;

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
        // The last message's check (an RSA signature) takes engine time before the SA is up.
        const IkeExchange* task = a.task.get();
        auto k = MakeLambdaCallback<Callback<void>>(
            [this, task, phase1, icookie, mid]()
            {
                Active* b = FindActive(phase1, icookie, mid);
                if (b && b->task.get() == task && !b->done)
                {
                    Finish(*b, phase1, icookie, mid, true, "");
                }
            });
        if (!TimeKeyWork(a, k))
        {
            Finish(a, phase1, icookie, mid, true, "");
        }
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
    // The message leaves (and the SAs it completes are installed) when a crypto engine has done
    // the exponentiations it needed: an offloading card, else the CPU. Meanwhile a duplicate
    // from the peer is not answered with the previous message.
    const IkeExchange* task = a.task.get();
    auto k = MakeLambdaCallback<Callback<void>>(
        [this, task, sa, phase1, icookie, mid, out, st]()
        {
            Active* b = FindActive(phase1, icookie, mid);
            if (b && b->task.get() == task && !b->done)
            {
                SendBuilt(*b, sa, phase1, icookie, mid, out, st);
            }
        });
    a.lastSent.clear();
    if (!TimeKeyWork(a, k))
    {
        SendBuilt(a, sa, phase1, icookie, mid, out, st);
    }
}

bool
IkeDaemon::TimeKeyWork(Active& a, Callback<void> done)
{
    int group = 2;
    const uint32_t dh = a.task->TakeDhWork(&group);
    const IkeExchange::RsaWork rsa = a.task->TakeRsaWork();
    Ptr<IpsecEngineSet> engines = m_processor ? m_processor->GetEngineSet() : nullptr;
    if ((dh == 0 && rsa.privateOps == 0 && rsa.publicOps == 0) || !engines)
    {
        return false;
    }
    // Each kind of work goes to the engine that does it (a card may offload DH but not RSA);
    // the message waits for the last of them.
    std::vector<std::vector<IpsecCryptoOperation>> batches;
    batches.emplace_back(dh, IpsecCryptoOperation::Dh(group));
    batches.emplace_back(rsa.privateOps, IpsecCryptoOperation::RsaSign(rsa.bits));
    batches.emplace_back(rsa.publicOps, IpsecCryptoOperation::RsaVerify(rsa.bits));
    batches.erase(
        std::remove_if(batches.begin(), batches.end(), [](const auto& b) { return b.empty(); }),
        batches.end());
    auto pending = std::make_shared<size_t>(batches.size());
    auto joined = MakeLambdaCallback<Callback<void>>(
        [pending, done]()
        {
            if (--*pending == 0)
            {
                done();
            }
        });
    for (const auto& ops : batches)
    {
        const IpsecCryptoOperation& op = ops.front();
        Ptr<IpsecCryptoEngine> engine = engines->EngineForKeyExchange(op);
        if (!engine->SubmitAll(ops, joined))
        {
            // queue full: the work waits behind what is queued all the same (IKE is not dropped)
            Simulator::Schedule(engine->PredictCompletion(op) - Simulator::Now() +
                                    engine->ServiceTime(op) * (ops.size() - 1),
                                &RunCallback, joined);
        }
    }
    return true;
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
    if (!ok && a.task->GetDropReason())
    {
        Drop(*a.task->GetDropReason(), a.task->GetSa()->peer);
    }
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
        a.linger = ScheduleLambda(keep, [this, icookie]() { m_phase1.erase(icookie); });
    }
    else
    {
        QuickModeDone(a, ok, reason);
        QmKey k{icookie, mid};
        a.linger = ScheduleLambda(keep,
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

} // namespace ns3
