#include "ns3/calibration.h"

#include "ns3/object.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace ns3
{

using nlohmann::json;

IpsecCalibrationError::IpsecCalibrationError(const std::string& origin, const std::string& pointer,
                                             const std::string& message)
    : std::runtime_error("calibration " + origin + ": " + (pointer.empty() ? "/" : pointer) + ": " +
                         message),
      m_pointer(pointer)
{
}

std::string
IpsecCalibration::Pointer(const std::string& parent, const std::string& key)
{
    // RFC 6901 escaping ('~' and '/') as nlohmann's json_pointer does it.
    return (nlohmann::json::json_pointer(parent) / key).to_string();
}

/** Reads and validates one document into an IpsecCalibration. */
class IpsecCalibrationReader
{
public:
    IpsecCalibrationReader(IpsecCalibration& out, const std::string& origin)
        : m_out(out), m_origin(origin)
    {
        m_out.m_origin = origin;
    }

    void Read(const json& doc)
    {
        Expect(doc.is_object(), "", "the document must be a JSON object");
        Keys(doc, "", {"schema", "rules", "sources", "softwareCrypto", "platforms", "cards"});
        const std::string schema = Text(Member(doc, "", "schema"), "/schema");
        Expect(schema == "ns3-ipsec-hardware-calibration/1", "/schema",
               "unknown schema '" + schema + "' (expected ns3-ipsec-hardware-calibration/1)");
        const json& sources = Member(doc, "", "sources");
        Expect(sources.is_object(), "/sources", "must be an object of tag: description");
        for (auto it = sources.begin(); it != sources.end(); ++it)
        {
            const std::string p = IpsecCalibration::Pointer("/sources", it.key());
            m_out.m_sources[it.key()] = Text(it.value(), p);
        }
        ReadSoftware(Member(doc, "", "softwareCrypto"));
        const json& platforms = Member(doc, "", "platforms");
        Expect(platforms.is_object() && !platforms.empty(), "/platforms",
               "must be a non-empty object");
        for (auto it = platforms.begin(); it != platforms.end(); ++it)
        {
            ReadPlatform(it.key(), it.value(), IpsecCalibration::Pointer("/platforms", it.key()));
        }
        const json& cards = Member(doc, "", "cards");
        Expect(cards.is_object(), "/cards", "must be an object");
        for (auto it = cards.begin(); it != cards.end(); ++it)
        {
            ReadCard(it.key(), it.value(), IpsecCalibration::Pointer("/cards", it.key()));
        }
        // Cross-references: every platform a card names must exist.
        for (const auto& [name, card] : m_out.m_cards)
        {
            const std::string p = IpsecCalibration::Pointer("/cards", name) + "/platforms";
            for (const auto& pl : card.platforms)
            {
                Expect(m_out.m_platforms.count(pl), p + "/value",
                       "names platform '" + pl + "', which is not in /platforms");
            }
        }
    }

private:
    [[noreturn]] void Fail(const std::string& pointer, const std::string& message) const
    {
        throw IpsecCalibrationError(m_origin, pointer, message);
    }

    void Expect(bool ok, const std::string& pointer, const std::string& message) const
    {
        if (!ok)
        {
            Fail(pointer, message);
        }
    }

    const json& Member(const json& obj, const std::string& pointer, const std::string& key) const
    {
        auto it = obj.find(key);
        if (it == obj.end())
        {
            Fail(IpsecCalibration::Pointer(pointer, key), "missing");
        }
        return *it;
    }

    void Keys(const json& obj, const std::string& pointer,
              std::initializer_list<const char*> allowed) const
    {
        for (auto it = obj.begin(); it != obj.end(); ++it)
        {
            bool ok = false;
            for (const char* a : allowed)
            {
                ok = ok || it.key() == a;
            }
            if (!ok)
            {
                std::string list;
                for (const char* a : allowed)
                {
                    list += (list.empty() ? "" : ", ") + std::string(a);
                }
                Fail(IpsecCalibration::Pointer(pointer, it.key()),
                     "unknown key (expected one of: " + list + ")");
            }
        }
    }

    std::string Text(const json& v, const std::string& pointer) const
    {
        Expect(v.is_string(), pointer, "must be a string");
        return v.get<std::string>();
    }

    /** Validate a figure object at @p pointer and record it; returns its "value". */
    const json& Figure(const json& obj, const std::string& pointer)
    {
        Expect(obj.is_object(), pointer,
               "must be a figure object {value, unit, source, status, reasoning}");
        Keys(obj, pointer, {"value", "unit", "source", "status", "reasoning", "range"});
        IpsecFigure f;
        f.pointer = pointer;
        const json& value = Member(obj, pointer, "value");
        f.valueText = value.dump();
        if (value.is_number())
        {
            f.number = value.get<double>();
            f.isNumber = true;
        }
        else if (value.is_boolean())
        {
            f.number = value.get<bool>() ? 1 : 0;
        }
        f.unit = Text(Member(obj, pointer, "unit"), pointer + "/unit");
        f.source = Text(Member(obj, pointer, "source"), pointer + "/source");
        Expect(!f.source.empty(), pointer + "/source", "must not be empty");
        f.status = Text(Member(obj, pointer, "status"), pointer + "/status");
        Expect(f.status == "published" || f.status == "derived" || f.status == "assumed",
               pointer + "/status",
               "must be one of published, derived, assumed (got '" + f.status + "')");
        if (obj.contains("reasoning"))
        {
            f.reasoning = Text(obj["reasoning"], pointer + "/reasoning");
        }
        Expect(f.status == "published" || !f.reasoning.empty(), pointer + "/reasoning",
               "a " + f.status + " figure must say how it was obtained");
        // A source that looks like a tag must be one of /sources; the assumption tag may only
        // back an assumed figure.
        if (LooksLikeTag(f.source))
        {
            Expect(m_out.m_sources.count(f.source), pointer + "/source",
                   "tag '" + f.source + "' is not in /sources");
        }
        Expect(f.source != "ASSUMPTION" || f.status == "assumed", pointer + "/source",
               "a " + f.status + " figure cannot rest on ASSUMPTION");
        if (obj.contains("range"))
        {
            const json& r = obj["range"];
            Expect(r.is_array() && r.size() == 2 && r[0].is_number() && r[1].is_number(),
                   pointer + "/range", "must be [low, high]");
            f.hasRange = true;
            f.rangeLow = r[0].get<double>();
            f.rangeHigh = r[1].get<double>();
            Expect(f.isNumber && f.rangeLow <= f.number && f.number <= f.rangeHigh,
                   pointer + "/value", "must lie within its range");
        }
        m_out.m_figures.push_back(f);
        return value;
    }

    /** "PB3600", "CSC-10519326": capitals, digits and dashes, starting with a capital. */
    static bool LooksLikeTag(const std::string& s)
    {
        if (s.empty() || s[0] < 'A' || s[0] > 'Z')
        {
            return false;
        }
        for (char c : s)
        {
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            {
                return false;
            }
        }
        return true;
    }

    double Number(const json& obj, const std::string& parent, const std::string& key,
                  double min = 0, bool exclusive = false)
    {
        const std::string p = IpsecCalibration::Pointer(parent, key);
        const json& v = Figure(Member(obj, parent, key), p);
        Expect(v.is_number(), p + "/value", "must be a number");
        const double d = v.get<double>();
        Expect(exclusive ? d > min : d >= min, p + "/value",
               "must be " + std::string(exclusive ? "> " : ">= ") + std::to_string(min));
        return d;
    }

    bool Bool(const json& obj, const std::string& parent, const std::string& key)
    {
        const std::string p = IpsecCalibration::Pointer(parent, key);
        const json& v = Figure(Member(obj, parent, key), p);
        Expect(v.is_boolean(), p + "/value", "must be true or false");
        return v.get<bool>();
    }

    std::string Word(const json& obj, const std::string& parent, const std::string& key)
    {
        const std::string p = IpsecCalibration::Pointer(parent, key);
        return Text(Figure(Member(obj, parent, key), p), p + "/value");
    }

    std::vector<std::string> List(const json& obj, const std::string& parent,
                                  const std::string& key)
    {
        const std::string p = IpsecCalibration::Pointer(parent, key);
        const json& v = Figure(Member(obj, parent, key), p);
        Expect(v.is_array() && !v.empty(), p + "/value", "must be a non-empty list of names");
        std::vector<std::string> out;
        for (size_t i = 0; i < v.size(); ++i)
        {
            out.push_back(Text(v[i], p + "/value/" + std::to_string(i)));
        }
        return out;
    }

    ipsec::CipherAlgorithm Cipher(const std::string& name, const std::string& pointer) const
    {
        for (int i = 0; i <= int(ipsec::CipherAlgorithm::AES_GCM_256); ++i)
        {
            auto a = ipsec::CipherAlgorithm(i);
            if (name == ipsec::GetCipherInfo(a).name)
            {
                return a;
            }
        }
        Fail(pointer, "unknown cipher '" + name + "' (names as in model/crypto/cipher.cc)");
    }

    ipsec::AuthAlgorithm Auth(const std::string& name, const std::string& pointer) const
    {
        for (int i = 0; i <= int(ipsec::AuthAlgorithm::HMAC_SHA512_256); ++i)
        {
            auto a = ipsec::AuthAlgorithm(i);
            if (name == ipsec::GetAuthInfo(a).name)
            {
                return a;
            }
        }
        Fail(pointer, "unknown integrity algorithm '" + name + "'");
    }

    IpsecCycleCost Cost(const json& obj, const std::string& pointer)
    {
        Expect(obj.is_object(), pointer, "must be {cyclesPerPacket, cyclesPerByte}");
        Keys(obj, pointer, {"cyclesPerPacket", "cyclesPerByte"});
        IpsecCycleCost c;
        c.perPacket = Number(obj, pointer, "cyclesPerPacket");
        c.perByte = Number(obj, pointer, "cyclesPerByte");
        return c;
    }

    void ReadSoftware(const json& sw)
    {
        const std::string p = "/softwareCrypto";
        Expect(sw.is_object(), p, "must be an object");
        Keys(sw, p,
             {"ipsecCyclesPerPacket", "cipher", "auth", "dhModexpCycles1024", "dhEcpFactor",
              "rsaSignCycles1024", "rsaVerifyCycles1024", "queueDepth"});
        m_sw.ipsecCyclesPerPacket = Number(sw, p, "ipsecCyclesPerPacket");
        const json& ciphers = Member(sw, p, "cipher");
        Expect(ciphers.is_object(), p + "/cipher", "must be an object by cipher name");
        for (auto it = ciphers.begin(); it != ciphers.end(); ++it)
        {
            const std::string cp = IpsecCalibration::Pointer(p + "/cipher", it.key());
            m_sw.cipher[Cipher(it.key(), cp)] = Cost(it.value(), cp);
        }
        const json& auths = Member(sw, p, "auth");
        Expect(auths.is_object(), p + "/auth", "must be an object by algorithm name");
        for (auto it = auths.begin(); it != auths.end(); ++it)
        {
            const std::string ap = IpsecCalibration::Pointer(p + "/auth", it.key());
            m_sw.auth[Auth(it.key(), ap)] = Cost(it.value(), ap);
        }
        m_sw.dhCycles1024 = Number(sw, p, "dhModexpCycles1024", 0, true);
        m_sw.dhEcpFactor = Number(sw, p, "dhEcpFactor", 0, true);
        m_sw.rsaSignCycles1024 = Number(sw, p, "rsaSignCycles1024", 0, true);
        m_sw.rsaVerifyCycles1024 = Number(sw, p, "rsaVerifyCycles1024", 0, true);
        m_sw.queueDepth = static_cast<uint32_t>(Number(sw, p, "queueDepth", 1));
    }

    void ReadPlatform(const std::string& name, const json& obj, const std::string& p)
    {
        Expect(obj.is_object(), p, "must be an object");
        Keys(obj, p, {"description", "cpu", "cpuMHz", "switchingPps"});
        IpsecPlatformRecord r = m_sw;
        r.name = name;
        r.description = Text(Member(obj, p, "description"), p + "/description");
        const std::string cpu = Word(obj, p, "cpu");
        r.description += r.description.empty() ? cpu : ", " + cpu;
        r.cpuHz = Number(obj, p, "cpuMHz", 0, true) * 1e6;
        r.description += ", " + FormatMHz(r.cpuHz);
        const json& sw = Member(obj, p, "switchingPps");
        const std::string sp = p + "/switchingPps";
        Expect(sw.is_object(), sp, "must be an object by switching path");
        Keys(sw, sp, {"process", "fast", "cef", "fast-flow", "cef-flow"});
        for (size_t i = 0; i < kIpsecSwitchingPathCount; ++i)
        {
            const std::string path = ToString(IpsecSwitchingPath(i));
            r.switchingSeconds[i] = 1.0 / Number(sw, sp, path, 0, true);
        }
        m_out.m_platforms[name] = r;
    }

    static std::string FormatMHz(double hz)
    {
        std::ostringstream os;
        os << hz / 1e6 << " MHz";
        return os.str();
    }

    void ReadCard(const std::string& name, const json& obj, const std::string& p)
    {
        Expect(obj.is_object(), p, "must be an object");
        Keys(obj, p,
             {"description", "platforms", "ciphers", "auths", "throughput", "perPacketShare",
              "maxTunnels", "overLimit", "onFailure", "dhOffload", "rsaOffload", "dhModexpMs1024",
              "rsaSignMs1024", "rsaVerifyMs1024", "queueDepth", "knownFailure"});
        IpsecCardRecord r;
        r.name = name;
        r.description = Text(Member(obj, p, "description"), p + "/description");
        r.platforms = List(obj, p, "platforms");
        const auto ciphers = List(obj, p, "ciphers");
        for (size_t i = 0; i < ciphers.size(); ++i)
        {
            r.ciphers.insert(Cipher(ciphers[i], p + "/ciphers/value/" + std::to_string(i)));
        }
        const auto auths = List(obj, p, "auths");
        for (size_t i = 0; i < auths.size(); ++i)
        {
            r.auths.insert(Auth(auths[i], p + "/auths/value/" + std::to_string(i)));
        }
        // Throughput anchor: `mbps` of `packetBytes`-byte packets with cipher/auth; the service
        // time there is split into a per-packet part (perPacketShare) and a per-byte part.
        const json& tp = Member(obj, p, "throughput");
        const std::string tpp = p + "/throughput";
        Expect(tp.is_object(), tpp, "must be {packetBytes, mbps, cipher, auth}");
        Keys(tp, tpp, {"packetBytes", "mbps", "cipher", "auth"});
        const double bytes = Number(tp, tpp, "packetBytes", 0, true);
        const double mbps = Number(tp, tpp, "mbps", 0, true);
        const auto tc = Cipher(Text(Member(tp, tpp, "cipher"), tpp + "/cipher"), tpp + "/cipher");
        const auto ta = Auth(Text(Member(tp, tpp, "auth"), tpp + "/auth"), tpp + "/auth");
        Expect(r.ciphers.count(tc) && (ta == ipsec::AuthAlgorithm::NONE || r.auths.count(ta)), tpp,
               "the anchor's algorithms are not in the card's lists");
        const double share = Number(obj, p, "perPacketShare");
        Expect(share < 1, p + "/perPacketShare/value", "must be below 1");
        const double anchor = bytes * 8 / (mbps * 1e6);
        r.perPacketSeconds = share * anchor;
        r.perByteSeconds = (1 - share) * anchor / bytes;
        r.maxTunnels = static_cast<uint32_t>(Number(obj, p, "maxTunnels", 1));
        const std::string over = Word(obj, p, "overLimit");
        Expect(over == "refuse" || over == "software", p + "/overLimit/value",
               "must be \"refuse\" or \"software\"");
        r.overLimit =
            over == "refuse" ? IpsecOverLimitPolicy::REFUSE : IpsecOverLimitPolicy::SOFTWARE;
        const std::string fail = Word(obj, p, "onFailure");
        Expect(fail == "software", p + "/onFailure/value",
               "only \"software\" is modelled (a failed card refuses work, software takes over)");
        r.dhOffload = Bool(obj, p, "dhOffload");
        r.rsaOffload = Bool(obj, p, "rsaOffload");
        if (r.dhOffload)
        {
            r.dhSeconds1024 = Number(obj, p, "dhModexpMs1024", 0, true) / 1e3;
        }
        else
        {
            Expect(!obj.contains("dhModexpMs1024"), p + "/dhModexpMs1024",
                   "given although dhOffload is false");
        }
        if (r.rsaOffload)
        {
            r.rsaSignSeconds1024 = Number(obj, p, "rsaSignMs1024", 0, true) / 1e3;
            r.rsaVerifySeconds1024 = Number(obj, p, "rsaVerifyMs1024", 0, true) / 1e3;
        }
        else
        {
            Expect(!obj.contains("rsaSignMs1024") && !obj.contains("rsaVerifyMs1024"), p,
                   "RSA times given although rsaOffload is false");
        }
        r.queueDepth = static_cast<uint32_t>(Number(obj, p, "queueDepth", 1));
        if (obj.contains("knownFailure"))
        {
            Figure(obj["knownFailure"], p + "/knownFailure"); // documented, not simulated
        }
        m_out.m_cards[name] = r;
    }

    IpsecCalibration& m_out;
    std::string m_origin;
    IpsecPlatformRecord m_sw; //!< software crypto costs shared by all platforms
};

IpsecCalibration
IpsecCalibration::Parse(const std::string& text, const std::string& origin)
{
    json doc;
    try
    {
        doc = json::parse(text);
    }
    catch (const json::parse_error& e)
    {
        throw IpsecCalibrationError(origin, "", std::string("not valid JSON: ") + e.what());
    }
    IpsecCalibration c;
    IpsecCalibrationReader(c, origin).Read(doc);
    return c;
}

IpsecCalibration
IpsecCalibration::LoadFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
    {
        throw IpsecCalibrationError(path, "", "cannot open the file");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return Parse(ss.str(), path);
}

std::string
IpsecCalibration::DefaultPath()
{
    if (const char* env = std::getenv("IPSEC_CALIBRATION"); env && *env)
    {
        return env;
    }
    // The build names the source tree's file and the installed one; a build that does not
    // (an ns-3 tree's own) finds the file beside this source, as __FILE__ names it there.
#ifdef IPSEC_CALIBRATION_SOURCE
    const std::string source = IPSEC_CALIBRATION_SOURCE;
#else
    std::string here = __FILE__;
    const auto slash = here.find_last_of('/');
    const std::string source =
        (slash == std::string::npos ? std::string(".") : here.substr(0, slash)) +
        "/calibration.json";
#endif
    if (std::ifstream(source).good())
    {
        return source;
    }
#ifdef IPSEC_CALIBRATION_INSTALLED
    return IPSEC_CALIBRATION_INSTALLED;
#else
    return "/usr/share/ns3-ipsec/calibration.json";
#endif
}

const IpsecCalibration&
IpsecCalibration::Default()
{
    static std::once_flag once;
    static std::unique_ptr<IpsecCalibration> cached;
    std::call_once(once,
                   [] { cached = std::make_unique<IpsecCalibration>(LoadFile(DefaultPath())); });
    return *cached;
}

std::vector<std::string>
IpsecCalibration::GetPlatformNames() const
{
    std::vector<std::string> v;
    for (const auto& [n, r] : m_platforms)
    {
        v.push_back(n);
    }
    return v;
}

std::vector<std::string>
IpsecCalibration::GetCardNames() const
{
    std::vector<std::string> v;
    for (const auto& [n, r] : m_cards)
    {
        v.push_back(n);
    }
    return v;
}

const IpsecPlatformRecord&
IpsecCalibration::GetPlatform(const std::string& name) const
{
    auto it = m_platforms.find(name);
    if (it == m_platforms.end())
    {
        std::string known;
        for (const auto& [n, r] : m_platforms)
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw IpsecCalibrationError(m_origin, Pointer("/platforms", name),
                                    "no such platform (known: " + known + ")");
    }
    return it->second;
}

const IpsecCardRecord&
IpsecCalibration::GetCard(const std::string& name) const
{
    auto it = m_cards.find(name);
    if (it == m_cards.end())
    {
        std::string known;
        for (const auto& [n, r] : m_cards)
        {
            known += (known.empty() ? "" : ", ") + n;
        }
        throw IpsecCalibrationError(m_origin, Pointer("/cards", name),
                                    "no such card (known: " + known + ")");
    }
    return it->second;
}

const IpsecFigure&
IpsecCalibration::GetFigure(const std::string& pointer) const
{
    for (const auto& f : m_figures)
    {
        if (f.pointer == pointer)
        {
            return f;
        }
    }
    throw IpsecCalibrationError(m_origin, pointer, "no figure here");
}

Ptr<IpsecSoftwareEngine>
IpsecCalibration::BuildSoftwareEngine(const std::string& platform) const
{
    Ptr<IpsecSoftwareEngine> e = CreateObject<IpsecSoftwareEngine>();
    e->SetPlatform(GetPlatform(platform));
    return e;
}

Ptr<IpsecHardwareEngine>
IpsecCalibration::BuildCard(const std::string& card) const
{
    Ptr<IpsecHardwareEngine> e = CreateObject<IpsecHardwareEngine>();
    e->SetCard(GetCard(card));
    return e;
}

Ptr<IpsecEngineSet>
IpsecCalibration::BuildEngineSet(const std::string& platform,
                                 const std::vector<std::string>& modules) const
{
    GetPlatform(platform);
    Ptr<IpsecEngineSet> set = CreateObject<IpsecEngineSet>();
    set->SetSoftware(BuildSoftwareEngine(platform));
    uint32_t slot = 0;
    for (const auto& m : modules)
    {
        const IpsecCardRecord& card = GetCard(m);
        bool fits = false;
        for (const auto& p : card.platforms)
        {
            fits = fits || p == platform;
        }
        if (!fits)
        {
            std::string list;
            for (const auto& p : card.platforms)
            {
                list += (list.empty() ? "" : ", ") + p;
            }
            throw IpsecCalibrationError(m_origin, Pointer("/cards", m) + "/platforms",
                                        "card does not fit platform '" + platform +
                                            "' (it fits: " + list + ")");
        }
        Ptr<IpsecHardwareEngine> e = BuildCard(m);
        set->AddCard(e, slot++);
    }
    return set;
}

} // namespace ns3
