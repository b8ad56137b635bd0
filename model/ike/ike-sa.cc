#include "ns3/ike-sa.h"

#include "ns3/simulator.h"

namespace ns3
{

const char*
ToString(IkeSaState s)
{
    switch (s)
    {
    case IkeSaState::MM_NO_STATE:
        return "MM_NO_STATE";
    case IkeSaState::MM_SA_SETUP:
        return "MM_SA_SETUP";
    case IkeSaState::MM_KEY_EXCH:
        return "MM_KEY_EXCH";
    case IkeSaState::AG_INIT_EXCH:
        return "AG_INIT_EXCH";
    case IkeSaState::QM_IDLE:
        return "QM_IDLE";
    case IkeSaState::DELETED:
        return "MM_NO_STATE";
    }
    return "?";
}

IkeSa::IkeSa() = default;

IkeSa::~IkeSa()
{
    expiry.Cancel();
    dpdEvent.Cancel();
    natKeepaliveEvent.Cancel();
}

Time
IkeSa::RemainingLifetime() const
{
    if (!IsEstablished() || expiry.IsExpired())
    {
        return Seconds(0);
    }
    return Simulator::GetDelayLeft(expiry);
}

} // namespace ns3
