// libFuzzer target: the IKE engine (IkeDaemon, main mode, aggressive mode, quick mode,
// informational exchanges) receiving arbitrary datagrams as if from UDP 500 / 4500. The network
// is scenarios/ike-spec-example, run until R1 and R2 share a phase-1 SA and IPsec SAs; the
// fuzzed datagrams go to R2 (which answered that main mode). The first input byte picks how the
// rest arrives:
//   bit 0-1  0: as it is, from the established peer
//            1: with the cookies of the established phase-1 SA written over bytes 0-15
//               (quick mode, informational, DPD: the paths behind decryption and the hash)
//            2: as it is, from an address R2 has no SA with (a new responder main mode)
//            3: with the established initiator cookie and a zero responder cookie
//   bit 2    on port 4500 (NAT-T, the non-ESP marker removed) instead of 500
// After each datagram the simulation runs 1 ms, so answers, retransmissions and the peer's
// reactions happen; the network is rebuilt every 4000 inputs. A datagram may only be dropped,
// answered or notified: a crash, hang, leak or sanitizer report is a bug.
#include "fuzz-world.h"

#include "ns3/ike-daemon.h"
#include "ns3/ike-sa.h"

#include <cstdint>
#include <cstring>
#include <vector>

using namespace ns3;

namespace
{
constexpr uint64_t kReloadEvery = 4000;

struct State
{
    fuzz::World world{"ike-spec-example"};
    Ptr<IkeDaemon> ike;
    Ptr<IkeSa> sa; //!< R2's established phase-1 SA with R1
    uint64_t inputs = 0;

    State()
    {
        Reset();
    }

    void Reset()
    {
        ike = nullptr;
        sa = nullptr;
        world.Reload();
        world.Runner().Advance(Seconds(3)); // traffic at 1 s starts main mode and quick mode
        ike = world.Runner().GetRouter(1)->GetIke();
        for (const auto& s : ike->GetSas())
        {
            if (s->state == IkeSaState::QM_IDLE)
            {
                sa = s;
            }
        }
        if (!sa)
        {
            __builtin_trap(); // the scenario no longer negotiates: the target would fuzz nothing
        }
    }
};
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static State* st = new State;
    if (size == 0)
    {
        return 0;
    }
    if (++st->inputs % kReloadEvery == 0)
    {
        st->Reset();
    }
    const uint8_t mode = data[0];
    IkeBytes d(data + 1, data + size);
    Ipv4Address peer = st->sa->peer;
    const Ipv4Address local = st->sa->local;
    switch (mode & 3)
    {
    case 1:
        if (d.size() >= 16)
        {
            std::memcpy(d.data(), st->sa->icookie.data(), 8);
            std::memcpy(d.data() + 8, st->sa->rcookie.data(), 8);
        }
        break;
    case 2:
        peer = Ipv4Address("192.0.2.77");
        break;
    case 3:
        if (d.size() >= 16)
        {
            std::memcpy(d.data(), st->sa->icookie.data(), 8);
            std::memset(d.data() + 8, 0, 8);
        }
        break;
    default:
        break;
    }
    if (mode & 4)
    {
        st->ike->ReceiveOn(d, peer, 4500, local, 4500);
    }
    else
    {
        st->ike->Receive(d, peer, local);
    }
    st->world.Runner().Advance(MilliSeconds(1));
    return 0;
}
