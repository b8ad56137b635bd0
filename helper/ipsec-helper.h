// Helpers that hide the wiring of the IPsec data plane: the Internet stack with the IPsec
// routing hook, the processor on each node, crypto map sets on interfaces, manually keyed SA
// bundles, and the Wireshark/tshark key file every run writes.
#ifndef IPSEC_HELPER_H
#define IPSEC_HELPER_H

#include "ns3/byte-source.h"
#include "ns3/ipsec-processor.h"
#include "ns3/ipsec-spd.h"
#include "ns3/ipsec-transform-set.h"

#include "ns3/internet-stack-helper.h"
#include "ns3/node-container.h"

#include <ostream>
#include <string>

namespace ns3
{

/**
 * @brief InternetStackHelper whose IPv4 routing is IpsecListRouting (static at priority 0,
 * global at -10, as ns-3's default), so IPsec can check inbound policy.
 */
class IpsecStackHelper : public InternetStackHelper
{
public:
    IpsecStackHelper();
};

/** SPIs and keys of one direction of a manually keyed bundle (`set session-key ...`). */
struct IpsecManualKeys
{
    uint32_t espSpi = 0;
    std::vector<uint8_t> espCipherKey;
    std::vector<uint8_t> espAuthKey;
    uint32_t ahSpi = 0;
    std::vector<uint8_t> ahKey;
    uint16_t cpi = 0;
};

class IpsecHelper
{
public:
    /** The node's processor, created and aggregated on first use. */
    static Ptr<IpsecProcessor> Install(Ptr<Node> node);

    /**
     * `crypto map` on an interface: @p ifIndex is the IPv4 interface index; the local address
     * defaults to the interface's first address.
     */
    static void ApplyCryptoMap(Ptr<Node> node, uint32_t ifIndex, Ptr<IpsecSpd> spd,
                               Ipv4Address local = Ipv4Address());

    /** Fresh random keys of the right lengths for @p ts, with SPIs from @p spiBase upwards. */
    static IpsecManualKeys RandomKeys(const IpsecTransformSet& ts, ipsec::ByteSource& rng,
                                      uint32_t spiBase);

    /**
     * The bundle one router holds for a manual entry: outbound SAs keyed with @p out, inbound
     * with @p in. @p scope is the entry's permit (outbound sense).
     * @throws std::invalid_argument on key lengths that do not fit the transforms.
     */
    static Ptr<IpsecSaBundle> MakeManualBundle(const IpsecTransformSet& ts, Ipv4Address local,
                                               Ipv4Address peer, const IpsecTrafficSelector& scope,
                                               const IpsecManualKeys& in,
                                               const IpsecManualKeys& out,
                                               uint32_t replayWindow = 0);

    /**
     * One line per ESP SA held by @p nodes (each SA once), exactly the row tshark takes after
     * `-o uat:esp_sa:`. RFC 1829 SAs, which Wireshark cannot decode, are left out.
     */
    static void WriteEspSaUat(std::ostream& os, const NodeContainer& nodes);
    /** The row WriteEspSaUat writes for the ESP SA @p c, without the newline. */
    static std::string EspSaUatRow(const IpsecSaConfig& c);
};

} // namespace ns3

#endif
