/**
 * @file
 * The ISAKMP (phase-1) security association of IKEv1 and the record of each exchange run over
 * it, as `show crypto isakmp sa` and the runner's IKE timeline report them.
 */
#ifndef IPSEC_IKE_SA_H
#define IPSEC_IKE_SA_H

#include "ns3/ike-config.h"
#include "ns3/ike-keymat.h"
#include "ns3/isakmp-crypto.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <memory>
#include <string>

namespace ns3
{

/** Phase-1 states as IOS names them in `show crypto isakmp sa`. */
enum class IkeSaState : uint8_t
{
    MM_NO_STATE,  //!< initiator: message 1 sent; responder: nothing agreed yet
    MM_SA_SETUP,  //!< the protection suite is agreed
    MM_KEY_EXCH,  //!< Diffie-Hellman done, keys derived, authentication pending
    AG_INIT_EXCH, //!< aggressive mode: message 1 or 2 handled
    QM_IDLE,      //!< authenticated: quick modes may run
    DELETED,      //!< cleared, expired, failed or the peer is dead
};

const char* ToString(IkeSaState s);

class IkeSa : public SimpleRefCount<IkeSa>
{
public:
    IkeSa();
    ~IkeSa();

    uint32_t connId = 0;       //!< IOS conn-id
    uint32_t engineConnId = 0; //!< its connection on the router's crypto engines (0: none)
    bool initiator = false;    //!< we sent message 1
    bool aggressive = false;
    Ipv4Address local;
    Ipv4Address peer;
    IsakmpCookie icookie{};
    IsakmpCookie rcookie{};
    IkeSaState state = IkeSaState::MM_NO_STATE;
    IkePolicy policy; //!< the agreed suite (valid from MM_SA_SETUP)
    IkePhase1Keys keys;
    std::unique_ptr<IsakmpCipherState> cipher; //!< from MM_KEY_EXCH
    Time created;                              //!< when it reached QM_IDLE
    Time deleted;                              //!< when it was deleted (state DELETED)
    EventId expiry;                            //!< phase-1 lifetime
    std::string failure;                       //!< why it failed (state DELETED)

    // NAT traversal (RFC 3947)
    uint16_t localPort = 500;  //!< 4500 once floated
    uint16_t peerPort = 500;   //!< the peer's source port as seen (NAT may change it)
    bool peerNatT = false;     //!< the peer sent the RFC 3947 vendor ID
    bool natLocal = false;     //!< we are behind a NAT (the peer saw another address or port)
    bool natRemote = false;    //!< the peer is behind a NAT
    EventId natKeepaliveEvent; //!< RFC 3948 2.3 keepalives while behind a NAT
    bool NatDetected() const
    {
        return natLocal || natRemote;
    }

    /** RFC 2407 4.6.3.3: the peer's authenticated phase-1 messages carried INITIAL-CONTACT. */
    bool peerInitialContact = false;
    /** Ours as initiator, started on first contact: our last phase-1 message carries it. */
    bool sendInitialContact = false;
    /** When its first message was sent or received. */
    Time begun;

    // Dead peer detection (RFC 3706)
    bool peerSupportsDpd = false;
    uint32_t dpdSequence = 0;    //!< last R-U-THERE sequence sent
    uint32_t dpdOutstanding = 0; //!< unanswered R-U-THERE in a row
    bool dpdActive = false;      //!< both ends do DPD and it runs on this SA (IOS capability D)
    Time lastHeard;              //!< last IKE message or protected packet from the peer
    EventId dpdEvent;

    bool IsEstablished() const
    {
        return state == IkeSaState::QM_IDLE;
    }
    /** The Diffie-Hellman exchange is done and the keys derived (IOS 15 shows conn-id 0 until
     *  then). */
    bool IsKeyed() const
    {
        return cipher != nullptr;
    }
    /** Phase-1 lifetime left (zero before QM_IDLE and after deletion). */
    Time RemainingLifetime() const;
};

/** One exchange, for the timeline in results.json. */
struct IkeExchangeRecord
{
    std::string exchange; //!< "main", "aggressive", "quick", "informational"
    std::string role;     //!< "initiator" or "responder"
    Ipv4Address local;
    Ipv4Address peer;
    std::string icookie; //!< hex
    uint32_t messageId = 0;
    uint32_t connId = 0; //!< the IKE SA's IOS conn-id (IkeSa::connId)
    Time start;
    Time end;
    std::string result = "in progress"; //!< "ok", "failed", "in progress"
    std::string reason;                 //!< why it failed; or what it did (informational)
    std::string detail;                 //!< e.g. the agreed suite or transform set
    uint32_t messages = 0;              //!< sent and received, retransmissions included
    uint32_t retransmissions = 0;
};

} // namespace ns3

#endif
