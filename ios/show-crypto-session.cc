// show crypto session: per interface, each peer's flows and how many SAs they have.
#include "ios-router-state.h"

#include <sstream>

namespace ns3
{

namespace
{
void
PrintSession(std::ostream& os, const std::string& ifn, const IpsecPolicyEntry& pe,
             const IpsecSaBundle& b)
{
    const bool ike = pe.keying != IpsecKeying::MANUAL;
    // After NAT detection IKE and ESP reach the peer on 4500 (or the port its NAT chose), as
    // show crypto ipsec sa says in current_peer.
    const uint16_t port = b.udpEncapPeerPort ? b.udpEncapPeerPort : 500;
    os << "\nInterface: " << ifn << "\nSession status: " << (ike ? "UP-ACTIVE" : "UP-NO-IKE")
       << "\nPeer: " << b.peer << " port " << port << "\n  IPSEC FLOW: permit ";
    std::ostringstream flow;
    flow << b.scope;
    os << flow.str() << "\n        Active SAs: " << b.inbound.size() + b.outbound.size()
       << ", origin: "
       << (pe.keying == IpsecKeying::DYNAMIC ? "dynamic crypto map"
           : ike                             ? "crypto map"
                                             : "manual-keyed")
       << "\n";
}
} // namespace

void
ShowCryptoSession(std::ostream& os, const IosRouter& router, const IosRouterState& state)
{
    os << "Crypto session current status\n";
    for (const auto& [mapName, set] : state.maps)
    {
        for (const auto& ifn : set.interfaces)
        {
            for (const auto& [src, pe] : set.entries)
            {
                for (const auto& b : pe->bundles)
                {
                    if (IosBundleOnInterface(router, *b, set.interfaces, ifn))
                    {
                        PrintSession(os, ifn, *pe, *b);
                    }
                }
            }
        }
    }
}

} // namespace ns3
