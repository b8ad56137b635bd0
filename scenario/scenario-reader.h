#ifndef IPSEC_SCENARIO_READER_H
#define IPSEC_SCENARIO_READER_H

// The scenario file's reader, shared by the files that read one section each
// (scenario-read-*.cc) and by the topology check. Not part of the scenario API: use
// ScenarioLoader (scenario.h).

#include "ns3/scenario.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/** Small text helpers of the scenario reader and the topology check. */
namespace scenario_detail
{
/** RFC 6901 pointer to @p key under @p base ('~' and '/' escaped by nlohmann's json_pointer). */
std::string JPtr(const std::string& base, const std::string& key);
std::string JPtr(const std::string& base, size_t index);
/** Levenshtein distance, ignoring case (for "did you mean"). */
size_t EditDistance(const std::string& a, const std::string& b);
/** @p s as a JSON string, quotes and escapes included. */
std::string Quote(const std::string& s);
/** "an integer", "a string", ...: what a JSON value is, for messages. */
std::string TypeName(const nlohmann::json& v);
std::string AddressText(Ipv4Address a);
/** Strictly "a.b.c.d" with each part at most 255. */
std::optional<Ipv4Address> ParseDottedQuad(const std::string& s);
bool SameSubnet(Ipv4Address a, Ipv4Mask m, Ipv4Address b);
uint32_t PrefixLength(Ipv4Mask m);
bool IsSerialName(const std::string& ifname);
bool IsEthernetName(const std::string& ifname);
/** Where in the scenario a line of a router's configuration is: the file, or an array item. */
std::string ConfigPointer(const ScenarioNode& n, int line);
/** A configuration message: "R1.cfg:12: text" for files, the text alone for inline lines. */
std::string ConfigWhere(const ScenarioNode& n, const IosLocation& where);
/** An IOS error's message without its first line ("FILE:LINE:"). */
std::string WithoutLocation(const IosConfigError& e);
} // namespace scenario_detail

/**
 * @brief Reads a scenario's JSON document into a Scenario, section by section, collecting
 * every problem with its JSON Pointer in `issues` (warnings go to the scenario's warnings).
 */
class ScenarioReader
{
public:
    ScenarioReader(Scenario& s, ScenarioLoader::FileReader files)
        : m_s(s), m_files(std::move(files))
    {
    }

    void Read(const nlohmann::json& root);

    std::vector<ScenarioIssue> issues;

private:
    /** What the links read so far have built: which segment each end is on, and what each
     *  segment was given (an Ethernet segment's rate and delay come from any of its links). */
    struct LinkSegments
    {
        std::map<ScenarioEndpoint, uint32_t> segmentOf;
        std::map<ScenarioEndpoint, std::string> serialLinkOf; //!< end -> its serial link
        std::vector<std::optional<DataRate>> rate;
        std::vector<std::optional<Time>> delay;
        std::vector<std::string> ratePtr;
        std::vector<std::string> delayPtr;
        std::map<uint32_t, std::string> externalLinkOf; //!< external node -> its link

        /** Room for the segment just added to the scenario. */
        void Add();
    };

    void Error(const std::string& ptr, const std::string& msg)
    {
        issues.push_back({ptr, msg, false});
    }

    void Warn(const std::string& ptr, const std::string& msg)
    {
        m_s.warnings.push_back({ptr, msg, true});
    }

    /** Report keys of @p obj that are not in @p allowed (plus "comment"). */
    void CheckKeys(const nlohmann::json& obj, const std::string& ptr,
                   const std::vector<std::string>& allowed);
    bool ExpectObject(const nlohmann::json& v, const std::string& ptr, const std::string& what);
    /** obj[key], or end() (and an error when @p required) if it is missing. */
    nlohmann::json::const_iterator Find(const nlohmann::json& obj, const std::string& ptr,
                                        const std::string& key, bool required);
    std::optional<std::string> GetString(const nlohmann::json& obj, const std::string& ptr,
                                         const std::string& key, bool required);
    std::optional<uint64_t> GetUnsigned(const nlohmann::json& obj, const std::string& ptr,
                                        const std::string& key, bool required, uint64_t min,
                                        uint64_t max);
    std::optional<Time> GetTime(const nlohmann::json& obj, const std::string& ptr,
                                const std::string& key, bool required);
    std::optional<DataRate> GetRate(const nlohmann::json& obj, const std::string& ptr,
                                    const std::string& key, bool required);

    // scenario-reader.cc: the top level
    void ReadSettings(const nlohmann::json& root);
    void ReadSections(const nlohmann::json& root);

    // scenario-read-nodes.cc
    void ReadNode(const nlohmann::json& v, size_t i);
    void ReadRouterConfig(const nlohmann::json& v, ScenarioNode& n);
    void ReadRelease(const nlohmann::json& v, ScenarioNode& n); //!< the "ios" key
    void ReadHost(const nlohmann::json& v, ScenarioNode& n, const std::string& defaultInterface);
    void ReadExternal(const nlohmann::json& v, ScenarioNode& n);
    std::optional<std::pair<Ipv4Address, Ipv4Mask>> ReadPrefix(const std::string& text,
                                                               const std::string& ptr,
                                                               bool bareAddress);
    void ReadHardware(const nlohmann::json& v, ScenarioNode& n);

    // scenario-read-links.cc
    std::optional<ScenarioEndpoint> ReadEndpoint(const nlohmann::json& v, const std::string& ptr);
    void ReadLinks(const nlohmann::json& v);
    void ReadLink(const nlohmann::json& v, size_t i, LinkSegments& segs);
    void ReadLinkErrors(const nlohmann::json& v, const std::string& ptr, ScenarioLink& l);
    bool CheckExternalLink(const nlohmann::json& v, const std::string& ptr,
                           const ScenarioEndpoint& a, const ScenarioEndpoint& b,
                           const std::optional<ScenarioLinkType>& type, LinkSegments& segs);
    bool AgreeOnLinkType(const std::string& ptr, const ScenarioEndpoint& a,
                         const ScenarioEndpoint& b, bool typeGiven,
                         std::optional<ScenarioLinkType>& type);
    void AddSerialLink(ScenarioLink l, const std::optional<DataRate>& rate,
                       const std::optional<Time>& delay, LinkSegments& segs);
    bool SerialEncapsulationsAgree(const ScenarioLink& l);
    void AddEthernetLink(ScenarioLink l, const std::optional<DataRate>& rate,
                         const std::optional<Time>& delay, LinkSegments& segs);
    uint32_t JoinEthernetSegments(const ScenarioLink& l, LinkSegments& segs);
    void MergeSegments(uint32_t keep, uint32_t gone, LinkSegments& segs);
    void AgreeOnSegmentRateAndDelay(uint32_t seg, const std::string& ptr,
                                    const std::optional<DataRate>& rate,
                                    const std::optional<Time>& delay, LinkSegments& segs);
    void DropEmptySegments(const LinkSegments& segs);
    void CheckSegmentErrors();
    void CheckExternalSegments();

    // scenario-read-traffic.cc
    void ReadTraffic(const nlohmann::json& v, size_t i);
    bool ReadTrafficKind(const nlohmann::json& v, const std::string& kind, int32_t externalFrom,
                         bool fromLeftOut, ScenarioTraffic& t);
    void ReadUdpTraffic(const nlohmann::json& v, bool fromLeftOut, ScenarioTraffic& t);
    void ReadPingTraffic(const nlohmann::json& v, ScenarioTraffic& t);
    bool ReadTrafficFrom(const nlohmann::json& v, ScenarioTraffic& t);
    bool ReadTrafficTo(const nlohmann::json& v, ScenarioTraffic& t);
    bool CheckTrafficTimes(const ScenarioTraffic& t);
    bool CheckTrafficSink(const ScenarioTraffic& t);

    // scenario-read-events.cc
    void ReadEvent(const nlohmann::json& v, size_t i);
    void ReadExecEvent(const nlohmann::json& v, ScenarioEvent& e);
    void ReadLinkStateEvent(const nlohmann::json& v, ScenarioEvent& e);
    void ReadCardEvent(const nlohmann::json& v, ScenarioEvent& e);
    void ReadPowerEvent(const nlohmann::json& v, ScenarioEvent& e);

    // scenario-read-pki.cc
    void ReadPki(const nlohmann::json& root);
    void ReadAuthority(const nlohmann::json& v, size_t i);
    void ReadRevocations(const nlohmann::json& v, const std::string& ptr,
                         ScenarioCertificateAuthority& ca);
    void ReadNodeCertificate(const nlohmann::json& v, ScenarioNode& n);
    // scenario-read-sweep.cc
    // The name table (scenario-read-hosts.cc).
    /** "hosts": {"NAME": "A.B.C.D" or ["A.B.C.D", ...], ...} at @p ptr into @p out. */
    void ReadHostTable(const nlohmann::json& v, const std::string& ptr,
                       std::map<std::string, std::vector<Ipv4Address>>& out);
    /** Every router's name server answers from the scenario's "hosts" table. */
    void GiveRoutersHostTable();

    void ReadSweep(const nlohmann::json& v);
    void ReadSweepSeeds(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepTraffic(const nlohmann::json& v, ScenarioSweep& sw);
    /** The sweep's non-empty array @p key, or nullptr (and an error). */
    const nlohmann::json* SweepArray(const nlohmann::json& v, const char* key);
    void ReadSweepLoads(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepSizes(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepTunnels(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepMeasure(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepIkeSetups(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepConfigurations(const nlohmann::json& v, ScenarioSweep& sw);
    void ReadSweepRouter(const std::string& rname, const nlohmann::json& hw, const std::string& np,
                         ScenarioSweepConfiguration& sc);
    void ReadSweepConfigLines(const nlohmann::json& lines, const std::string& cp, uint32_t node,
                              ScenarioSweepConfiguration& sc);

    /** An index of the nodes read so far (made again when more have been read): the links
     *  and traffic look a node up by name or address for every item. */
    const ScenarioNodeIndex& Nodes();

    Scenario& m_s;
    ScenarioLoader::FileReader m_files;
    std::unique_ptr<ScenarioNodeIndex> m_index;
    std::set<std::string> m_nodeNames; //!< every name given, even of nodes with errors
    bool m_nodeErrors = false;         //!< some node was left out for its errors
    bool m_durationOk = true;          //!< times can be checked against the duration
};

} // namespace ns3

#endif
