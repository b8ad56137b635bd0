// debug crypto isakmp: what IOS logs about one finished IKE exchange, in the router's release.
// The simulator keeps a record per exchange (IkeExchangeRecord), not per message, so each
// exchange prints the lines IOS prints at its milestones: its start, the state change that
// ends it, or why it failed; every line has the form real routers log (lab transcripts):
// - IOS 15: "ISAKMP:(1001):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE", the SA's
//   conn-id in the parenthesis, 0 before the SA has its keys (message 1 of main mode);
// - IOS 12.4: "ISAKMP (0:1): Old State = ...", the slot, a colon and the conn-id.
#include "ns3/ios-show.h"

#include <sstream>

namespace ns3
{

namespace
{
/** The prefix of a line about SA @p connId ("ISAKMP:(1001):" or "ISAKMP (0:1): "). */
std::string
Prefix(uint32_t connId, IosRelease release)
{
    return release == IosRelease::IOS_15 ? "ISAKMP:(" + std::to_string(connId) + "):"
                                         : "ISAKMP (0:" + std::to_string(connId) + "): ";
}

/** A message id as IOS prints it: a signed 32-bit number ("M-ID of -1397376585"). */
std::string
Mid(uint32_t id)
{
    return std::to_string(static_cast<int32_t>(id));
}

std::string
Text(Ipv4Address a)
{
    std::ostringstream os;
    os << a;
    return os.str();
}

/** The lines of a phase-1 exchange (main or aggressive mode). */
void
Phase1(const IkeExchangeRecord& e, IosRelease release, std::vector<IosDebugLine>& out)
{
    const bool v15 = release == IosRelease::IOS_15;
    const bool init = e.role == "initiator";
    const bool aggressive = e.exchange == "aggressive";
    // IOS 15 numbers the SA once its keys exist: the opening lines say (0).
    const std::string early = Prefix(v15 ? 0 : e.connId, release);
    const std::string late = Prefix(e.connId, release);
    const std::string peer = Text(e.peer);
    if (init)
    {
        out.push_back({true, early + (v15 ? " " : "") + "beginning " +
                                 (aggressive ? "Aggressive" : "Main") + " Mode exchange"});
        out.push_back({true, early + (v15 ? " " : "") + "sending packet to " + peer +
                                 " my_port 500 peer_port 500 (I) " +
                                 (aggressive ? "AG_NO_STATE" : "MM_NO_STATE")});
    }
    else
    {
        out.push_back({true, (v15 ? "ISAKMP (0): " : "ISAKMP (0:0): ") +
                                 std::string("received packet from ") + peer +
                                 " dport 500 sport 500 Global (N) NEW SA"});
    }
    if (e.result == "ok")
    {
        out.push_back({false, late + "SA has been authenticated with " + peer});
        const std::string from =
            aggressive ? (init ? "IKE_I_AM1" : "IKE_R_AM2") : (init ? "IKE_I_MM6" : "IKE_R_MM5");
        out.push_back({false, late + "Old State = " + from + "  New State = IKE_P1_COMPLETE"});
        return;
    }
    const std::string who = (init ? "(I) " : "(R) ");
    if (e.reason.find("pre-shared key mismatch") != std::string::npos)
    {
        out.push_back({false, "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from " + peer +
                                  " failed its sanity check or is malformed"});
    }
    else if (e.reason.find("no answer") != std::string::npos)
    {
        out.push_back({false, early + "peer does not do paranoid keepalives."});
        out.push_back({false, early + "deleting SA reason \"Death by retransmission P1\" state " +
                                  who + (aggressive ? "AG_NO_STATE" : "MM_NO_STATE") + " (peer " +
                                  peer + ")"});
    }
    else if (e.reason.find("policy") != std::string::npos ||
             e.reason.find("proposal") != std::string::npos)
    {
        out.push_back({false, early + "atts are not acceptable. Next payload is 0"});
    }
    out.push_back({false, "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of " +
                              std::string(aggressive ? "Aggressive" : "Main") +
                              " mode failed with peer at " + peer});
}

void
QuickMode(const IkeExchangeRecord& e, IosRelease release, std::vector<IosDebugLine>& out)
{
    const std::string p = Prefix(e.connId, release);
    const bool init = e.role == "initiator";
    if (init)
    {
        out.push_back({true, p + "beginning Quick Mode exchange, M-ID of " + Mid(e.messageId)});
    }
    else
    {
        out.push_back({true, p + "Checking IPSec proposal 1"});
    }
    if (e.result == "ok")
    {
        out.push_back({false, p + "Old State = " + (init ? "IKE_QM_I_QM1" : "IKE_QM_R_QM2") +
                                  "  New State = IKE_QM_PHASE2_COMPLETE"});
        return;
    }
    out.push_back(
        {false, p + "deleting node " + Mid(e.messageId) + " error TRUE reason \"Delete Larval\""});
    if (!init)
    {
        out.push_back(
            {false, "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer "
                    "at " +
                        Text(e.peer)});
    }
}

void
Informational(const IkeExchangeRecord& e, IosRelease release, std::vector<IosDebugLine>& out)
{
    const std::string p = Prefix(e.connId, release);
    const bool init = e.role == "initiator";
    if (e.reason.find("delete") != std::string::npos)
    {
        if (init)
        {
            out.push_back({false, p + (release == IosRelease::IOS_15 ? " " : "") +
                                      "sending packet to " + Text(e.peer) +
                                      " my_port 500 peer_port 500 (I) QM_IDLE"});
            out.push_back({false, p + "purging node " + Mid(e.messageId)});
        }
        else
        {
            out.push_back(
                {false, p + "processing DELETE payload. message ID = " + Mid(e.messageId)});
        }
        return;
    }
    if (e.reason.find("R-U-THERE") != std::string::npos ||
        e.reason.find("DPD") != std::string::npos)
    {
        out.push_back({false, p + (init ? "DPD/R_U_THERE sent to " : "received R_U_THERE from ") +
                                  Text(e.peer)});
        return;
    }
    out.push_back({false, p + (init ? "sending packet to " : "received packet from ") +
                              Text(e.peer) +
                              (init ? " my_port 500 peer_port 500 (I) QM_IDLE"
                                    : " dport 500 sport 500 Global (R) QM_IDLE")});
}
} // namespace

std::vector<IosDebugLine>
IosDebugCryptoIsakmp(const IkeExchangeRecord& e, IosRelease release)
{
    std::vector<IosDebugLine> out;
    if (e.exchange == "main" || e.exchange == "aggressive")
    {
        Phase1(e, release, out);
    }
    else if (e.exchange == "quick")
    {
        QuickMode(e, release, out);
    }
    else
    {
        Informational(e, release, out);
    }
    return out;
}

} // namespace ns3
