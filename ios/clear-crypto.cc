// clear crypto isakmp [CONN-ID], clear crypto sa [peer ADDRESS | map NAME | entry DST PROTO SPI]
// and clear crypto session [remote ADDRESS]: the EXEC commands that change the router's state.
// IOS prints nothing at the prompt for any of them, in 12.4 and 15 alike (the session's
// %CRYPTO-5-SESSION_STATUS log lines need `crypto logging session`, which the simulator does not
// model); what they did shows in show crypto isakmp sa ("ACTIVE (deleted)") and show crypto
// session.
#include "ios-router-state.h"

#include "ns3/ipsec-helper.h"

#include <set>

namespace ns3
{

namespace
{
/** Does `clear crypto sa` with @p cmd's filter take bundle @p b? */
bool
ClearMatches(const IosExecCommand& cmd, const IpsecSaBundle& b)
{
    if (cmd.filter == "peer" && !cmd.args.empty())
    {
        return Ipv4Address(cmd.args[0].c_str()) == b.peer;
    }
    if (cmd.filter == "entry" && cmd.args.size() >= 3)
    {
        bool match = false;
        const Ipv4Address dst(cmd.args[0].c_str());
        const uint32_t spi = static_cast<uint32_t>(std::stoul(cmd.args[2], nullptr, 0));
        for (const auto* v : {&b.inbound, &b.outbound})
        {
            for (const auto& sa : *v)
            {
                match |= sa->GetDestination() == dst && sa->GetSpi() == spi &&
                         ToString(sa->GetProtocol()) == cmd.args[1];
            }
        }
        return match;
    }
    return true;
}
} // namespace

void
ClearCryptoIsakmp(const IosExecCommand& cmd, IosRouter& router)
{
    if (Ptr<IkeDaemon> ike = router.GetIke())
    {
        ike->ClearIsakmp(
            cmd.args.empty() ? 0 : static_cast<uint32_t>(std::stoul(cmd.args[0], nullptr, 10)));
    }
}

void
ClearCryptoSa(const IosExecCommand& cmd, IosRouter& router, IosRouterState& state)
{
    // Every SA goes; manually keyed ones are re-established at once (spec, Step 4 of
    // "Defining Transform Sets"), with fresh counters and replay state.
    Ptr<IkeDaemon> ike = router.GetIke();
    Ptr<IpsecProcessor> processor = router.GetProcessor();
    std::set<IpsecSaBundle*> cleared;
    for (auto& [mapName, set] : state.maps)
    {
        if (cmd.filter == "map" && !cmd.args.empty() && cmd.args[0] != mapName)
        {
            continue;
        }
        for (auto& [src, pe] : set.entries)
        {
            for (auto b : std::vector<Ptr<IpsecSaBundle>>(pe->bundles))
            {
                if (!ClearMatches(cmd, *b))
                {
                    continue;
                }
                if (ike && pe->keying != IpsecKeying::MANUAL)
                {
                    ike->DeleteBundle(pe, b); // tells the peer, too
                }
                else
                {
                    processor->RemoveBundle(pe, b);
                }
                cleared.insert(PeekPointer(b));
            }
        }
    }
    for (auto& mb : state.manual)
    {
        if (!mb.bundle || cleared.count(PeekPointer(mb.bundle)))
        {
            mb.bundle =
                IpsecHelper::MakeManualBundle(mb.ts, mb.local, mb.peer, mb.scope, mb.in, mb.out, 0);
            state.InstallManual(*processor, mb, "clear crypto sa");
        }
    }
}

void
ClearCryptoSession(const IosExecCommand& cmd, IosRouter& router, IosRouterState& state)
{
    // The IPsec SAs first, while the ISAKMP SA can still carry their delete notifications.
    IosExecCommand sa = cmd;
    sa.kind = IosExecCommand::Kind::CLEAR_CRYPTO_SA;
    sa.filter = cmd.filter.empty() ? "" : "peer";
    ClearCryptoSa(sa, router, state);
    Ptr<IkeDaemon> ike = router.GetIke();
    if (!ike)
    {
        return;
    }
    for (const auto& s : ike->GetSas())
    {
        if (cmd.args.empty() || Ipv4Address(cmd.args[0].c_str()) == s->peer)
        {
            ike->ClearIsakmp(s->connId);
        }
    }
}

} // namespace ns3
