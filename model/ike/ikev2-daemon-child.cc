// Ikev2Daemon: CREATE_CHILD_SA (RFC 7296 1.3): rekeying a child SA (1.3.3, with PFS when the
// crypto map entry sets it), rekeying the IKE SA (1.3.2, 2.18) and more child SAs over an IKE SA
// that is up (1.3.1), for both roles, and simultaneous rekeys (2.8.1).
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

NS_LOG_COMPONENT_DEFINE("Ikev2DaemonChild");

using namespace ipsec;
using namespace ikev2;

namespace
{

std::vector<uint8_t>
Spi4(uint32_t spi)
{
    return {uint8_t(spi >> 24), uint8_t(spi >> 16), uint8_t(spi >> 8), uint8_t(spi)};
}

uint32_t
SpiOf4(const std::vector<uint8_t>& b)
{
    return b.size() == 4
               ? (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3]
               : 0;
}

Ikev2Spi
SpiOf8(const std::vector<uint8_t>& b)
{
    Ikev2Spi s{};
    std::copy_n(b.begin(), std::min(b.size(), s.size()), s.begin());
    return s;
}

/** The D-H groups a proposal lists. */
std::vector<uint16_t>
GroupsOf(const Ikev2Proposal& p)
{
    std::vector<uint16_t> g;
    for (const auto& t : p.transforms)
    {
        if (t.type == IKEV2_TRANSFORM_DH && t.id != 0)
        {
            g.push_back(t.id);
        }
    }
    return g;
}

/** @p p without its D-H transforms, and with @p group's when it is not 0. */
Ikev2Proposal
WithGroup(Ikev2Proposal p, uint16_t group)
{
    p.transforms.erase(std::remove_if(p.transforms.begin(), p.transforms.end(),
                                      [](const Ikev2Transform& t)
                                      { return t.type == IKEV2_TRANSFORM_DH; }),
                       p.transforms.end());
    if (group)
    {
        p.transforms.push_back(Ikev2Transform::Make(IKEV2_TRANSFORM_DH, group));
    }
    return p;
}

/**
 * The responder's PFS group: with `set pfs groupN` (@p ours) that group must be among the
 * chosen proposal's @p proposed and the KE in it; without, a KE the peer sends in a group it
 * proposes is taken (as IOS does). Sets @p notify (and returns the reason) on a refusal.
 */
std::string
PfsGroupFor(int ours, const std::vector<uint16_t>& proposed, const Ikev2KePayload* ke,
            uint16_t* group, uint16_t* notify)
{
    *group = static_cast<uint16_t>(ours);
    auto listed = [&](uint16_t g)
    { return std::find(proposed.begin(), proposed.end(), g) != proposed.end(); };
    if (*group && !listed(*group))
    {
        *notify = IKEV2_N_NO_PROPOSAL_CHOSEN;
        return "the peer does not offer PFS group " + std::to_string(*group);
    }
    if (!*group && ke && listed(ke->dhGroup))
    {
        *group = ke->dhGroup;
    }
    if (*group && (!ke || ke->dhGroup != *group))
    {
        *notify = IKEV2_N_INVALID_KE_PAYLOAD;
        return "the peer's KE is not of PFS group " + std::to_string(*group);
    }
    return "";
}

std::string
GroupText(uint16_t group)
{
    return group ? " PFS group " + std::to_string(group) : "";
}

} // namespace

bool
Ikev2Daemon::LowestNonceIn(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b,
                           const std::vector<uint8_t>& c, const std::vector<uint8_t>& d)
{
    // RFC 7296 2.8.1: the nonces compared as byte strings; the exchange holding the lowest of
    // the four created the redundant SA.
    return std::min(a, b) < std::min(c, d);
}

// ------------------------------------------------------------------------------ initiator

bool
Ikev2Daemon::AcquireOverExistingSa(const IpsecProcessor::Acquire& a)
{
    const IkePolicyProvider& provider = *m_ike.m_provider;
    const std::vector<Ipv4Address> peers = provider.ResolvePeers(a.entry);
    if (peers.empty())
    {
        return false;
    }
    const Ipv4Address local = m_ike.m_processor->GetLocalAddress(a.ifIndex);
    Sa* sa = nullptr;
    for (auto& [k, s] : m_sas)
    {
        if (s.state == State::ESTABLISHED && s.peer == peers.front() && s.local == local)
        {
            sa = &s;
        }
    }
    if (!sa)
    {
        return false;
    }
    // IOS: a second flow with a peer gets its child SA over the IKE SA that is up.
    std::ostringstream scope;
    scope << a.scope;
    const auto pending = std::make_pair(a.entry->id, scope.str());
    auto it = m_childPending.find(pending);
    if (it != m_childPending.end())
    {
        const Sa* serving = Find(it->second);
        if (serving && serving->state == State::ESTABLISHED)
        {
            return true; // its CREATE_CHILD_SA is queued or in flight
        }
        m_childPending.erase(it); // that IKE SA went before it was answered
    }
    auto held = m_ike.m_holdDown.find(a.entry->id);
    if (held != m_ike.m_holdDown.end() && Simulator::Now() < held->second)
    {
        return true; // refused a moment ago: not at every packet
    }
    const IkePolicyProvider::Phase2 p2 = provider.GetInitiatorPhase2(a.entry);
    if (!p2.entry)
    {
        return false;
    }
    m_childPending[pending] = Key(sa->spiI);
    RequestChild(*sa, nullptr, a.entry, a.scope, p2.offer);
    return true;
}

void
Ikev2Daemon::StartChildRekey(IpsecSaBundle* raw)
{
    auto it = m_children.find(raw);
    if (it == m_children.end())
    {
        return;
    }
    // As IOS (and IKEv1 here): a child SA that carried nothing is not renegotiated; the next
    // packet after its end brings a new one.
    uint64_t packets = 0;
    for (auto* v : {&raw->inbound, &raw->outbound})
    {
        for (const auto& s : *v)
        {
            packets += s->GetPackets();
        }
    }
    if (packets)
    {
        RekeyChild(it->second.bundle);
    }
}

bool
Ikev2Daemon::RekeyChild(Ptr<IpsecSaBundle> bundle)
{
    NS_LOG_FUNCTION(this << bundle);
    auto it = m_children.find(PeekPointer(bundle));
    if (it == m_children.end())
    {
        return false;
    }
    Child& c = it->second;
    Sa* sa = Find(c.ike);
    if (c.rekeying || c.replaced || c.deleting || !sa || sa->state != State::ESTABLISHED)
    {
        return false;
    }
    c.rekeying = true;
    RequestChild(*sa, PeekPointer(bundle), c.entry, bundle->scope, c.offer);
    return true;
}

void
Ikev2Daemon::RequestChild(Sa& sa, IpsecSaBundle* old, Ptr<IpsecPolicyEntry> entry,
                          const IpsecTrafficSelector& scope, const IkePhase2Offer& offer)
{
    Enqueue(sa,
            [this, old, entry, scope, offer](Sa& s)
            {
                if (s.state != State::ESTABLISHED)
                {
                    // The IKE SA was rekeyed meanwhile: the request goes over its successor.
                    RetryOnSuccessor(old, entry, scope);
                    return;
                }
                uint32_t oldSpi = 0;
                if (old)
                {
                    auto it = m_children.find(old);
                    if (it == m_children.end() || it->second.replaced || it->second.deleting)
                    {
                        if (it != m_children.end())
                        {
                            it->second.rekeying = false;
                        }
                        return; // the peer rekeyed it meanwhile, or it went
                    }
                    oldSpi = it->second.inSpi;
                }
                PendingCreate p;
                p.old = old;
                p.entry = entry;
                p.scope = scope;
                p.phase2 = offer;
                p.spi = m_ike.AllocateSpi(false);
                p.nonce = m_ike.Rng().Bytes(32);
                p.offer = Ikev2MakeChildOffer(offer, p.spi);
                p.group = static_cast<uint16_t>(offer.pfsGroup);
                Ikev2Message m;
                m.header.exchangeType = IKEV2_EXCH_CREATE_CHILD_SA;
                if (old)
                {
                    Ikev2NotifyPayload n;
                    n.protocol = IKEV2_PROTO_ESP;
                    n.spi = Spi4(oldSpi); // the SA rekeyed, by our inbound SPI (3.10.1)
                    n.notifyType = IKEV2_N_REKEY_SA;
                    m.AddInner(n);
                }
                for (auto& prop : p.offer.proposals)
                {
                    prop = WithGroup(prop, p.group); // `set pfs groupN`: a KE in that group
                }
                m.AddInner(p.offer);
                Ikev2NoncePayload ni;
                ni.nonce = p.nonce;
                m.AddInner(ni);
                if (p.group)
                {
                    p.dh = std::make_shared<DhKeyPair>(p.group, m_ike.Rng());
                    Ikev2KePayload ke;
                    ke.dhGroup = p.group;
                    ke.data = p.dh->PublicValue();
                    m.AddInner(ke);
                }
                Ikev2TsPayload tsi(IKEV2_PAYLOAD_TSI);
                tsi.selectors.push_back(Ikev2SelectorOf(scope, true));
                m.AddInner(tsi);
                Ikev2TsPayload tsr(IKEV2_PAYLOAD_TSR);
                tsr.selectors.push_back(Ikev2SelectorOf(scope, false));
                m.AddInner(tsr);
                s.create = std::move(p);
                std::ostringstream what;
                what << (old ? "rekey child SA 0x" : "new child SA 0x") << std::hex
                     << std::uppercase << (old ? oldSpi : s.create.spi);
                SendTask(s, old ? Task::REKEY_CHILD : Task::NEW_CHILD, m, "CREATE_CHILD_SA",
                         what.str());
            });
}

void
Ikev2Daemon::RetryOnSuccessor(IpsecSaBundle* old, Ptr<IpsecPolicyEntry> entry,
                              const IpsecTrafficSelector& scope)
{
    if (!old)
    {
        std::ostringstream text;
        text << scope;
        m_childPending.erase({entry->id, text.str()}); // the flow's next packet asks again
        return;
    }
    auto it = m_children.find(old);
    if (it != m_children.end())
    {
        it->second.rekeying = false;
        RekeyChild(it->second.bundle);
    }
}

void
Ikev2Daemon::OnCreateChildResponse(Sa& sa, const Ikev2Message& m)
{
    if (sa.task == Task::REKEY_IKE)
    {
        CompleteIkeRekey(sa, m);
    }
    else
    {
        CompleteChild(sa, m);
    }
}

void
Ikev2Daemon::CompleteChild(Sa& sa, const Ikev2Message& m)
{
    PendingCreate p = std::move(sa.create);
    sa.create = PendingCreate();
    Child* old = nullptr;
    if (p.old && m_children.count(p.old))
    {
        old = &m_children[p.old];
        old->rekeying = false;
    }
    std::ostringstream scope;
    scope << p.scope;
    m_childPending.erase({p.entry->id, scope.str()});
    auto fail = [&](const std::string& why)
    {
        if (!p.old)
        {
            // As after a failed IKE_SA_INIT or IKE_AUTH: the flow waits before it asks again.
            m_ike.m_holdDown[p.entry->id] = Simulator::Now() + m_ike.m_failureHoldDown;
        }
        EndTask(sa, false, why);
    };
    for (const auto* n : m.Notifies())
    {
        if (n->IsError())
        {
            fail(std::string("the peer answered ") + Ikev2NotifyTypeName(n->notifyType));
            return;
        }
    }
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* nr = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    if (!saP || !nr)
    {
        fail("CREATE_CHILD_SA response without SA or Nr");
        return;
    }
    Ikev2ChildSelection sel = Ikev2AcceptChildReply(*saP, p.phase2);
    if (!sel.set)
    {
        fail(sel.reason);
        return;
    }
    std::vector<uint8_t> gir;
    if (p.group)
    {
        const auto groups = GroupsOf(saP->proposals[0]);
        if (!ke || ke->dhGroup != p.group || groups != std::vector<uint16_t>{p.group})
        {
            fail("the response has no KE of PFS group " + std::to_string(p.group));
            return;
        }
        try
        {
            gir = p.dh->ComputeShared(ke->data);
        }
        catch (const std::exception& e)
        {
            fail(std::string("the peer's KE is not usable: ") + e.what());
            return;
        }
    }
    ChildSpec c;
    c.entry = p.entry;
    c.scope = p.scope;
    c.offer = p.phase2;
    c.set = *sel.set;
    c.ourSpi = p.spi;
    c.peerSpi = sel.peerSpi;
    c.ni = p.nonce;
    c.nr = nr->nonce;
    c.gir = gir;
    c.weInitiated = true;
    c.pfsGroup = p.group;
    IpsecSaBundle* made = InstallChildSa(sa, c);
    if (!made)
    {
        fail("the child SA cannot be installed");
        return;
    }
    sa.outRecord.detail += ": " + sel.set->ToString() + GroupText(p.group);
    if (!old)
    {
        EndTask(sa, true, "");
        return;
    }
    old->replaced = true;
    if (old->peerRekey && LowestNonceIn(p.nonce, nr->nonce, old->peerRekey->ni, old->peerRekey->nr))
    {
        // 2.8.1: both sides rekeyed at once and ours holds the lowest nonce: the child SA it
        // made is redundant; we delete it, the peer deletes the old one.
        EndTask(sa, true, "simultaneous rekey: this child SA is redundant and is deleted");
        SendChildDelete(made, false);
        return;
    }
    EndTask(sa, true,
            old->peerRekey ? "simultaneous rekey: this child SA stays, the peer's goes" : "");
    // The old pair goes once the new one is in place on both sides (1.3.3).
    SendChildDelete(p.old, false);
}

// ------------------------------------------------------------------------------ responder

void
Ikev2Daemon::OnCreateChildRequest(Sa& sa, const Ikev2Message& m)
{
    Ikev2Message r;
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    auto refuse = [&](uint16_t notify, const std::string& why, std::vector<uint8_t> data = {})
    { RefuseCreate(sa, m, notify, why, data, ""); };
    if (sa.state != State::ESTABLISHED)
    {
        refuse(IKEV2_N_TEMPORARY_FAILURE, "the IKE SA is being deleted or rekeyed");
        return;
    }
    if (!saP || saP->proposals.empty())
    {
        refuse(IKEV2_N_INVALID_SYNTAX, "CREATE_CHILD_SA without SA");
        return;
    }
    if (saP->proposals[0].protocol == IKEV2_PROTO_IKE)
    {
        AnswerIkeRekey(sa, m, r);
        return;
    }
    Child* old = nullptr;
    if (const auto* n = m.FindNotify(IKEV2_N_REKEY_SA))
    {
        const uint32_t spi = SpiOf4(n->spi);
        for (auto& [raw, c] : m_children)
        {
            if (c.outSpi == spi && c.bundle->peer == sa.peer)
            {
                old = &c;
            }
        }
        if (!old)
        {
            refuse(IKEV2_N_CHILD_SA_NOT_FOUND, "no child SA with the peer's SPI to rekey");
            return;
        }
        // 2.25.1: a pair we are deleting, or rekeyed already, is not rekeyed again.
        if (old->deleting || (old->replaced && !old->rekeying))
        {
            refuse(IKEV2_N_TEMPORARY_FAILURE, "the child SA is being deleted");
            return;
        }
    }
    AnswerChild(sa, m, r, old);
}

void
Ikev2Daemon::RefuseCreate(Sa& sa, const Ikev2Message& m, uint16_t notify, const std::string& why,
                          const std::vector<uint8_t>& data, const std::string& detail)
{
    Ikev2Message r;
    Ikev2NotifyPayload n;
    n.notifyType = notify;
    n.data = data;
    r.AddInner(n);
    AnswerRequest(sa, m, r);
    IkeExchangeRecord rec = NewRecord(sa, "CREATE_CHILD_SA", "responder", m.header.messageId);
    rec.messages = 2;
    rec.result = "failed";
    rec.detail = detail;
    rec.reason = why + " (answered " + Ikev2NotifyTypeName(notify) + ")";
    m_ike.Record(rec);
}

void
Ikev2Daemon::AnswerChild(Sa& sa, const Ikev2Message& m, Ikev2Message& r, Child* old)
{
    auto refuse = [&](uint16_t notify, const std::string& why, std::vector<uint8_t> data = {})
    { RefuseCreate(sa, m, notify, why, data, ""); };
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* ni = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    const auto* tsi = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSI);
    const auto* tsr = m.Get<Ikev2TsPayload>(IKEV2_PAYLOAD_TSR);
    if (!ni || !tsi || !tsr)
    {
        refuse(IKEV2_N_INVALID_SYNTAX, "CREATE_CHILD_SA without Ni, TSi or TSr");
        return;
    }
    // A rekey keeps the old pair's entry; a new child SA is checked as in IKE_AUTH.
    IkePolicyProvider::Phase2 p2;
    std::optional<IpsecTrafficSelector> found;
    std::string why;
    if (old)
    {
        p2 = {old->entry, old->offer, ""};
        found = old->bundle->scope;
    }
    else if ((found = Ikev2ScopeOf(*tsr, *tsi, &why)))
    {
        p2 = m_ike.m_provider->MatchIkev2Child(sa.peer, sa.local, *found);
    }
    if (!found || !p2.entry)
    {
        refuse(IKEV2_N_TS_UNACCEPTABLE, found ? p2.reason : why);
        return;
    }
    const Ptr<IpsecPolicyEntry> entry = p2.entry;
    const IpsecTrafficSelector scope = *found;
    const IkePhase2Offer offer = p2.offer;
    const uint32_t ourSpi = m_ike.AllocateSpi(false);
    Ikev2ChildSelection sel = Ikev2SelectChild(*saP, offer, ourSpi);
    if (!sel.set)
    {
        m_ike.m_spis.erase(ourSpi);
        refuse(IKEV2_N_NO_PROPOSAL_CHOSEN, sel.reason);
        return;
    }
    uint16_t group = 0;
    uint16_t notify = 0;
    why = PfsGroupFor(offer.pfsGroup, GroupsOf(sel.reply.proposals[0]), ke, &group, &notify);
    if (notify)
    {
        m_ike.m_spis.erase(ourSpi);
        refuse(notify, why,
               notify == IKEV2_N_INVALID_KE_PAYLOAD
                   ? std::vector<uint8_t>{uint8_t(group >> 8), uint8_t(group)}
                   : std::vector<uint8_t>{});
        return;
    }
    std::vector<uint8_t> gir;
    std::shared_ptr<DhKeyPair> dh;
    if (group)
    {
        try
        {
            dh = std::make_shared<DhKeyPair>(group, m_ike.Rng());
            gir = dh->ComputeShared(ke->data);
        }
        catch (const std::exception& e)
        {
            m_ike.m_spis.erase(ourSpi);
            refuse(IKEV2_N_INVALID_SYNTAX, std::string("the peer's KE is not usable: ") + e.what());
            return;
        }
    }
    const std::vector<uint8_t> nr = m_ike.Rng().Bytes(32);
    Ikev2SaPayload reply = sel.reply;
    reply.proposals[0] = WithGroup(reply.proposals[0], group);
    r.AddInner(reply);
    Ikev2NoncePayload n;
    n.nonce = nr;
    r.AddInner(n);
    if (group)
    {
        Ikev2KePayload k;
        k.dhGroup = group;
        k.data = dh->PublicValue();
        r.AddInner(k);
    }
    r.AddInner(*tsi);
    r.AddInner(*tsr);
    AnswerRequest(sa, m, r);

    ChildSpec c;
    c.entry = entry;
    c.scope = scope;
    c.offer = offer;
    c.set = *sel.set;
    c.ourSpi = ourSpi;
    c.peerSpi = sel.peerSpi;
    c.ni = ni->nonce;
    c.nr = nr;
    c.gir = gir;
    c.weInitiated = false;
    c.pfsGroup = group;
    IpsecSaBundle* made = InstallChildSa(sa, c);
    IkeExchangeRecord rec = NewRecord(sa, "CREATE_CHILD_SA", "responder", m.header.messageId);
    rec.messages = 2;
    rec.result = made ? "ok" : "failed";
    std::ostringstream what;
    what << (old ? "rekey child SA 0x" : "new child SA 0x") << std::hex << std::uppercase
         << (old ? old->inSpi : ourSpi) << ": " << sel.set->ToString() << GroupText(group);
    rec.detail = what.str();
    if (!made)
    {
        rec.reason = "the child SA cannot be installed";
    }
    else if (old)
    {
        // The peer deletes the old pair; kept for a simultaneous rekey of ours (2.8.1).
        old->peerRekey = PeerRekey{ni->nonce, nr, made, 0};
        if (old->rekeying)
        {
            rec.reason = "simultaneous rekey";
        }
        else
        {
            old->replaced = true;
        }
    }
    m_ike.Record(rec);
}

// ------------------------------------------------------------------------------ IKE SA rekey

void
Ikev2Daemon::OnIkeLifetime(uint64_t key)
{
    DeleteIkeSa(key, "lifetime expired", true);
}

bool
Ikev2Daemon::RekeyIkeSa(Ipv4Address peer)
{
    NS_LOG_FUNCTION(this << peer);
    for (auto& [k, sa] : m_sas)
    {
        if (sa.state == State::ESTABLISHED && sa.peer == peer && !sa.ikeRekeying)
        {
            StartIkeRekey(k);
            return true;
        }
    }
    return false;
}

void
Ikev2Daemon::StartIkeRekey(uint64_t key)
{
    Sa* found = Find(key);
    if (!found || found->state != State::ESTABLISHED || found->ikeRekeying)
    {
        return;
    }
    found->ikeRekeying = true;
    Enqueue(*found,
            [this](Sa& s)
            {
                if (s.state != State::ESTABLISHED || s.peerIkeRekey)
                {
                    s.ikeRekeying = false;
                    return; // the peer rekeyed it meanwhile
                }
                PendingCreate p;
                p.spiI = NewIkeSpi();
                p.nonce = m_ike.Rng().Bytes(32);
                p.group = s.suite->group;
                p.dh = std::make_shared<DhKeyPair>(p.group, m_ike.Rng());
                p.offer = Ikev2MakeIkeOffer(m_ike.m_provider->GetIkev2Offers(s.local));
                for (auto& prop : p.offer.proposals)
                {
                    prop.spi = Bytes8(p.spiI); // 3.3.1: the new IKE SA's SPI of ours
                    // Our KE's group first, so that the peer choosing by our order takes it.
                    std::stable_partition(prop.transforms.begin(), prop.transforms.end(),
                                          [&](const Ikev2Transform& t) {
                                              return t.type != IKEV2_TRANSFORM_DH ||
                                                     t.id == p.group;
                                          });
                }
                Ikev2Message m;
                m.header.exchangeType = IKEV2_EXCH_CREATE_CHILD_SA;
                m.AddInner(p.offer);
                Ikev2NoncePayload ni;
                ni.nonce = p.nonce;
                m.AddInner(ni);
                Ikev2KePayload ke;
                ke.dhGroup = p.group;
                ke.data = p.dh->PublicValue();
                m.AddInner(ke);
                s.create = std::move(p);
                SendTask(s, Task::REKEY_IKE, m, "CREATE_CHILD_SA", "rekey IKE SA");
            });
}

uint64_t
Ikev2Daemon::MakeRekeyedSa(Sa& old, bool weInitiated, const Ikev2Spi& spiI, const Ikev2Spi& spiR,
                           const Ikev2IkeSuite& suite, const std::vector<uint8_t>& gir,
                           const std::vector<uint8_t>& ni, const std::vector<uint8_t>& nr)
{
    Sa n;
    n.state = State::ESTABLISHED;
    n.initiator = weInitiated; // 2.18: the rekey's initiator is the new SA's original initiator
    n.spiI = spiI;
    n.spiR = spiR;
    n.local = old.local;
    n.peer = old.peer;
    n.peerPort = old.peerPort;
    n.group = suite.group;
    n.ni = ni;
    n.nr = nr;
    n.suite = suite;
    n.creds = old.creds;
    n.entry = old.entry;
    n.scope = old.scope;
    n.offer = old.offer;
    // NAT-T (ikev2-daemon-nat.cc): the new IKE SA stays where the old one moved.
    n.localPort = old.localPort;
    n.natLocal = old.natLocal;
    n.natRemote = old.natRemote;
    n.natKeepaliveSeconds = old.natKeepaliveSeconds;
    n.rsa = old.rsa;
    n.peerSubject = old.peerSubject;
    // 2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the old SA's PRF (the
    // exchange belongs to it); the seven keys with the new SA's PRF, nonces and SPIs.
    const auto skeyseed = Ikev2RekeySkeyseed(old.suite->prf, old.keys.skD, gir, ni, nr);
    n.keys = Ikev2DeriveSaKeys(suite.prf, skeyseed, ni, nr, Bytes8(spiI), Bytes8(spiR),
                               GetIkev2EncrInfo(suite.encr).keyLen,
                               GetIkev2IntegInfo(suite.integ).keyLen);
    AddTableRow(n);
    n.record = NewRecord(n, "CREATE_CHILD_SA", weInitiated ? "initiator" : "responder", 0);
    const uint64_t key = Key(spiI);
    Sa& stored = m_sas[key] = std::move(n);
    OnEstablished(stored);
    StartNatKeepalive(stored);
    return key;
}

void
Ikev2Daemon::MoveChildren(uint64_t from, uint64_t to)
{
    for (auto& [raw, c] : m_children)
    {
        if (c.ike == from)
        {
            c.ike = to; // 2.18: the child SAs move to the new IKE SA
        }
    }
}

void
Ikev2Daemon::AnswerIkeRekey(Sa& sa, const Ikev2Message& m, Ikev2Message& r)
{
    IkeExchangeRecord rec = NewRecord(sa, "CREATE_CHILD_SA", "responder", m.header.messageId);
    rec.messages = 2;
    rec.detail = "rekey IKE SA";
    auto refuse = [&](uint16_t notify, const std::string& why, std::vector<uint8_t> data = {})
    { RefuseCreate(sa, m, notify, why, data, rec.detail); };
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* ni = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    if (!ni || !ke)
    {
        refuse(IKEV2_N_INVALID_SYNTAX, "IKE SA rekey without Ni or KE");
        return;
    }
    const Ikev2IkeSelection sel = Ikev2SelectIke(*saP, m_ike.m_provider->GetIkev2Offers(sa.local));
    if (!sel.suite)
    {
        refuse(IKEV2_N_NO_PROPOSAL_CHOSEN, sel.reason);
        return;
    }
    if (ke->dhGroup != sel.suite->group)
    {
        const uint16_t g = sel.suite->group;
        refuse(IKEV2_N_INVALID_KE_PAYLOAD, "the peer's KE is not of the group chosen",
               {uint8_t(g >> 8), uint8_t(g)});
        return;
    }
    const Ikev2Proposal* chosen = nullptr;
    for (const auto& p : saP->proposals)
    {
        if (p.number == sel.reply.proposals[0].number)
        {
            chosen = &p;
        }
    }
    if (!chosen || chosen->spi.size() != 8)
    {
        refuse(IKEV2_N_INVALID_SYNTAX, "IKE SA rekey proposal without an 8-byte SPI");
        return;
    }
    std::vector<uint8_t> gir;
    DhKeyPair dh(sel.suite->group, m_ike.Rng());
    try
    {
        gir = dh.ComputeShared(ke->data);
    }
    catch (const std::exception& e)
    {
        refuse(IKEV2_N_INVALID_SYNTAX, std::string("the peer's KE is not usable: ") + e.what());
        return;
    }
    const Ikev2Spi spiI = SpiOf8(chosen->spi);
    const Ikev2Spi spiR = NewIkeSpi();
    const std::vector<uint8_t> nr = m_ike.Rng().Bytes(32);
    Ikev2SaPayload reply = sel.reply;
    reply.proposals[0].spi = Bytes8(spiR);
    r.AddInner(reply);
    Ikev2NoncePayload n;
    n.nonce = nr;
    r.AddInner(n);
    Ikev2KePayload k;
    k.dhGroup = sel.suite->group;
    k.data = dh.PublicValue();
    r.AddInner(k);
    AnswerRequest(sa, m, r);
    const uint64_t oldKey = Key(sa.spiI);
    const uint64_t made = MakeRekeyedSa(sa, false, spiI, spiR, *sel.suite, gir, ni->nonce, nr);
    rec.result = "ok";
    rec.detail += " (new SPIs " + ToHex(Bytes8(spiI)) + " " + ToHex(Bytes8(spiR)) + ")";
    sa.peerIkeRekey = PeerRekey{ni->nonce, nr, nullptr, made};
    MoveChildren(oldKey, made);
    if (sa.ikeRekeying && sa.task == Task::REKEY_IKE)
    {
        rec.reason = "simultaneous rekey";
    }
    else
    {
        // The peer deletes the old IKE SA; until then it answers only.
        sa.state = State::DELETING;
        sa.dpdTimer.Cancel();
        sa.rekeyTimer.Cancel();
    }
    m_ike.Record(rec);
}

void
Ikev2Daemon::CompleteIkeRekey(Sa& sa, const Ikev2Message& m)
{
    PendingCreate p = std::move(sa.create);
    sa.create = PendingCreate();
    sa.ikeRekeying = false;
    for (const auto* n : m.Notifies())
    {
        if (n->IsError())
        {
            EndTask(sa, false,
                    std::string("the peer answered ") + Ikev2NotifyTypeName(n->notifyType));
            return;
        }
    }
    const auto* saP = m.Get<Ikev2SaPayload>(IKEV2_PAYLOAD_SA);
    const auto* nr = m.Get<Ikev2NoncePayload>(IKEV2_PAYLOAD_NONCE);
    const auto* ke = m.Get<Ikev2KePayload>(IKEV2_PAYLOAD_KE);
    std::string why;
    std::optional<Ikev2IkeSuite> suite;
    if (saP && nr && ke)
    {
        suite = Ikev2AcceptIkeReply(*saP, p.offer, &why);
    }
    if (!suite || suite->group != p.group || ke->dhGroup != p.group ||
        saP->proposals[0].spi.size() != 8)
    {
        EndTask(sa, false,
                suite ? "the responder's KE or SPI does not fit" : "bad response: " + why);
        return;
    }
    std::vector<uint8_t> gir;
    try
    {
        gir = p.dh->ComputeShared(ke->data);
    }
    catch (const std::exception& e)
    {
        EndTask(sa, false, std::string("the peer's KE is not usable: ") + e.what());
        return;
    }
    const uint64_t oldKey = Key(sa.spiI);
    const Ikev2Spi spiR = SpiOf8(saP->proposals[0].spi);
    const uint64_t made = MakeRekeyedSa(sa, true, p.spiI, spiR, *suite, gir, p.nonce, nr->nonce);
    sa.outRecord.detail += " (new SPIs " + ToHex(Bytes8(p.spiI)) + " " + ToHex(Bytes8(spiR)) + ")";
    if (sa.peerIkeRekey &&
        LowestNonceIn(p.nonce, nr->nonce, sa.peerIkeRekey->ni, sa.peerIkeRekey->nr))
    {
        // 2.8.1: ours holds the lowest nonce, so the IKE SA it made is redundant: we delete
        // it; the children stay on the peer's, and the peer deletes the old SA.
        EndTask(sa, true, "simultaneous rekey: this IKE SA is redundant and is deleted");
        sa.state = State::DELETING;
        sa.dpdTimer.Cancel();
        sa.rekeyTimer.Cancel();
        SendIkeDelete(m_sas[made]);
        return;
    }
    EndTask(sa, true,
            sa.peerIkeRekey ? "simultaneous rekey: this IKE SA stays, the peer's goes" : "");
    MoveChildren(oldKey, made);
    if (sa.peerIkeRekey)
    {
        MoveChildren(sa.peerIkeRekey->ike, made);
    }
    SendIkeDelete(sa);
}

} // namespace ns3
