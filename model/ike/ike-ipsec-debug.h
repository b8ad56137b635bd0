/**
 * @file
 * The IPsec key-engine messages of one negotiation, the facts IOS's `debug crypto ipsec` prints:
 * the SAs an initiator requests, the proposal a responder validates, and the SAs both install,
 * each with the peers, the proxy identities, the transform, the lifetimes, the SPI and the
 * connection. The IOS text is written by the IOS layer (IosDebugCryptoIpsec).
 */
#ifndef IPSEC_IKE_IPSEC_DEBUG_H
#define IPSEC_IKE_IPSEC_DEBUG_H

#include "ns3/ipsec-sa.h"
#include "ns3/ipsec-transform-set.h"

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

namespace ns3
{

struct IkeIpsecDebugEvent
{
    enum class Kind : uint8_t
    {
        SA_REQUEST,        //!< initiator: SAs asked of the peer (one per offered set, protocol)
        VALIDATE_PROPOSAL, //!< responder: the peer's proposal, found acceptable
        INITIALIZE_SAS,    //!< both: an SA about to be installed (with its SPI)
    };
    Kind kind = Kind::SA_REQUEST;
    Time at;
    bool inbound = false; //!< the key-engine message's direction (INBOUND / OUTBOUND)
    bool initiator = false;
    Ipv4Address local;
    Ipv4Address remote;
    IpsecTrafficSelector scope; //!< outbound sense: source = local proxy, destination = remote
    IpsecProtocol protocol = IpsecProtocol::ESP;
    IpsecTransformSet set; //!< the whole set (its mode is the mode of the SAs)
    uint32_t lifetimeSeconds = 0;
    uint64_t lifetimeKilobytes = 0;
    uint32_t spi = 0;      //!< 0 before SPIs are known
    uint32_t connId = 0;   //!< the SA's id once installed, else 0
    uint32_t proposal = 1; //!< the proposal number (validate_proposal_request's part)
};

} // namespace ns3

#endif
