// The scenario's certificate authorities at run time: their keys and certificates made at the
// start from the run's seeded streams, the certificates they issue to routers (`crypto pki
// enroll`) and to external nodes, their CRLs, and the PEM files of pki/ in the output folder
// (doc/pki.md). Not part of the scenario API.
#ifndef IPSEC_SCENARIO_PKI_H
#define IPSEC_SCENARIO_PKI_H

#include "ns3/ios-pki.h"
#include "ns3/rsa-key.h"
#include "ns3/scenario.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

class ScenarioPki
{
public:
    /** Make the CAs of @p s and the certificates its external nodes ask for.
     *  @throws std::invalid_argument for what OpenSSL refuses (a name, an address). */
    explicit ScenarioPki(const Scenario& s);
    ~ScenarioPki();

    /** What routers' `enrollment url` reaches: the CA whose name or "url" is the URL's host. */
    IosCaLookup Lookup();

    /** Write pki/NAME.pem for every CA, pki/NAME.crl.pem for a CA that has revoked something by
     *  @p now (calendar seconds), pki/NODE.key.pem and pki/NODE.cert.pem for external nodes.
     *  @return the files written, relative to @p out. */
    std::vector<std::string> Export(const std::filesystem::path& out, int64_t now) const;

    /** results.json "pki": each CA with the certificates it issued (node, serial, validity,
     *  revoked or not at @p now). */
    nlohmann::json Result(int64_t now) const;

    class Authority;

private:
    struct NodeCredentials
    {
        std::string node;
        ipsec::RsaKeyPair key;
        std::vector<uint8_t> certificate;
    };
    std::vector<std::unique_ptr<Authority>> m_cas;
    std::vector<NodeCredentials> m_nodes;
};

} // namespace ns3

#endif
