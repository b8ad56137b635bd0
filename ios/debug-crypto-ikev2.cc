// debug crypto ikev2: each IKEv2 message sent and received, as IOS 15 logs it (its header, the
// exchange and the payloads, those inside SK decrypted), and the lines IOS logs when an SA is
// made or an exchange is given up. "SA ID" is the SA's Tunnel-id of `show crypto ikev2 sa`.
#include "ns3/ikev2-constants.h"
#include "ns3/ikev2-daemon.h"
#include "ns3/ios-show.h"

#include "ns3/node.h"

#include <cstdio>
#include <sstream>

namespace ns3
{

namespace
{
std::string
Prefix(uint32_t saId)
{
    return saId ? "IKEv2:(SA ID = " + std::to_string(saId) + "):" : "IKEv2:";
}

std::string
Endpoint(Ipv4Address a, uint16_t port)
{
    std::ostringstream os;
    os << a << ":" << port;
    return os.str();
}

std::string
Spi(const Ikev2Spi& spi)
{
    char buf[20];
    std::snprintf(buf, sizeof(buf), "%016llX",
                  static_cast<unsigned long long>(Ikev2SpiToUint64(spi)));
    return buf;
}

/** A payload as IOS names it in "Payload contents:" (N is the nonce, NOTIFY(...) a notify). */
std::string
PayloadName(uint8_t type, uint16_t notify)
{
    switch (type)
    {
    case IKEV2_PAYLOAD_SA:
        return "SA";
    case IKEV2_PAYLOAD_KE:
        return "KE";
    case IKEV2_PAYLOAD_IDI:
        return "IDi";
    case IKEV2_PAYLOAD_IDR:
        return "IDr";
    case IKEV2_PAYLOAD_CERT:
        return "CERT";
    case IKEV2_PAYLOAD_CERTREQ:
        return "CERTREQ";
    case IKEV2_PAYLOAD_AUTH:
        return "AUTH";
    case IKEV2_PAYLOAD_NONCE:
        return "N";
    case IKEV2_PAYLOAD_NOTIFY:
        return std::string("NOTIFY(") + Ikev2NotifyTypeName(notify) + ")";
    case IKEV2_PAYLOAD_DELETE:
        return "DELETE";
    case IKEV2_PAYLOAD_VENDOR_ID:
        return "VID";
    case IKEV2_PAYLOAD_TSI:
        return "TSi";
    case IKEV2_PAYLOAD_TSR:
        return "TSr";
    case IKEV2_PAYLOAD_SK:
        return "ENCR";
    case IKEV2_PAYLOAD_CP:
        return "CFG";
    case IKEV2_PAYLOAD_EAP:
        return "EAP";
    }
    return "UNKNOWN";
}
} // namespace

bool
IosIsIkev2Exchange(const IkeExchangeRecord& e)
{
    return e.exchange == "IKE_SA_INIT" || e.exchange == "IKE_AUTH" ||
           e.exchange == "CREATE_CHILD_SA" || e.exchange == "INFORMATIONAL";
}

std::vector<std::string>
IosDebugCryptoIkev2(const Ikev2DebugMessage& m)
{
    std::vector<std::string> out;
    const std::string p = Prefix(m.tunnelId);
    if (m.retransmission)
    {
        out.push_back(p + "Retransmitting packet");
    }
    const std::string us = Endpoint(m.local, m.localPort);
    const std::string them = Endpoint(m.peer, m.peerPort);
    out.push_back(p +
                  (m.sent ? "Sending Packet [To " + them + "/From " + us
                          : "Received Packet [From " + them + "/To " + us) +
                  "/VRF i0:f0] ");
    out.push_back("Initiator SPI : " + Spi(m.header.spiI) + " - Responder SPI : " +
                  Spi(m.header.spiR) + " Message id: " + std::to_string(m.header.messageId));
    out.push_back(std::string("IKEv2 ") + Ikev2ExchangeTypeName(m.header.exchangeType) +
                  " Exchange " + (m.header.IsResponse() ? "RESPONSE" : "REQUEST") + " ");
    out.push_back("Payload contents: ");
    std::string list;
    for (const auto& [type, notify] : m.payloads)
    {
        if (type != IKEV2_PAYLOAD_NONE)
        {
            list += " " + PayloadName(type, notify);
        }
    }
    out.push_back(list + " ");
    return out;
}

std::vector<std::string>
IosDebugCryptoIkev2Exchange(const IkeExchangeRecord& e)
{
    const std::string p = Prefix(e.connId);
    if (e.result == "ok")
    {
        if (e.exchange == "IKE_AUTH")
        {
            return {p + "SA created; inserting SA into database"};
        }
        return {};
    }
    if (e.result != "failed")
    {
        return {};
    }
    if (e.retransmissions > 0 && e.reason.find("no response") != std::string::npos)
    {
        return {"IKEv2-ERROR:(SA ID = " + std::to_string(e.connId) +
                "):: Maximum number of retransmissions reached"};
    }
    std::vector<std::string> out{p + "Negotiation aborted due to ERROR: " + e.reason};
    if (e.exchange == "IKE_AUTH")
    {
        out.push_back("IKEv2-ERROR:(SA ID = " + std::to_string(e.connId) +
                      "):: Auth exchange failed");
    }
    return out;
}

} // namespace ns3
