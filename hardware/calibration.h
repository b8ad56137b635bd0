// The hardware calibration: every figure the engines use, each with its unit, source and status
// (published, derived or assumed), read from hardware/calibration.json and validated. Errors name
// the JSON pointer of the offending value. Builds engines from a platform name and module names.
#ifndef IPSEC_CALIBRATION_H
#define IPSEC_CALIBRATION_H

#include "ns3/crypto-engine.h"

#include "ns3/ptr.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/** A calibration file that cannot be used; what() names the file and the JSON pointer. */
class IpsecCalibrationError : public std::runtime_error
{
public:
    IpsecCalibrationError(const std::string& origin, const std::string& pointer,
                          const std::string& message);
    const std::string& Pointer() const
    {
        return m_pointer;
    }

private:
    std::string m_pointer;
};

/** One figure of the file, as read (for reports and honesty checks). */
struct IpsecFigure
{
    std::string pointer;   //!< JSON pointer of the figure object, e.g. "/cards/SA-VAM2+/maxTunnels"
    std::string valueText; //!< the value as JSON text
    double number = 0;     //!< the value if numeric (or boolean, 0/1)
    bool isNumber = false;
    std::string unit;
    std::string source;
    std::string status; //!< "published", "derived" or "assumed"
    std::string reasoning;
    bool hasRange = false;
    double rangeLow = 0;
    double rangeHigh = 0;
};

class IpsecCalibration
{
public:
    /** Parse and validate JSON text. @throws IpsecCalibrationError */
    static IpsecCalibration Parse(const std::string& text, const std::string& origin = "<string>");
    /** @throws IpsecCalibrationError (also when the file cannot be read) */
    static IpsecCalibration LoadFile(const std::string& path);
    /**
     * The file used by the "Platform" and "Card" attributes: $IPSEC_CALIBRATION if set, else
     * hardware/calibration.json of the source tree this library was built from, else the
     * installed copy (PREFIX/share/ns3-ipsec/calibration.json; /usr/share/ns3-ipsec when the
     * build does not name a prefix).
     */
    static std::string DefaultPath();
    /** DefaultPath() loaded once. @throws IpsecCalibrationError */
    static const IpsecCalibration& Default();

    std::vector<std::string> GetPlatformNames() const;
    std::vector<std::string> GetCardNames() const;
    /** @throws IpsecCalibrationError naming /platforms/NAME when unknown */
    const IpsecPlatformRecord& GetPlatform(const std::string& name) const;
    /** @throws IpsecCalibrationError naming /cards/NAME when unknown */
    const IpsecCardRecord& GetCard(const std::string& name) const;
    /** Every figure in file order. */
    const std::vector<IpsecFigure>& GetFigures() const
    {
        return m_figures;
    }
    /** @throws IpsecCalibrationError when no figure has that pointer */
    const IpsecFigure& GetFigure(const std::string& pointer) const;
    /** The "sources" table: tag to description. */
    const std::map<std::string, std::string>& GetSources() const
    {
        return m_sources;
    }

    Ptr<IpsecSoftwareEngine> BuildSoftwareEngine(const std::string& platform) const;
    Ptr<IpsecHardwareEngine> BuildCard(const std::string& card) const;
    /**
     * The router's CPU plus @p modules in slots 0, 1, ... @throws IpsecCalibrationError naming
     * the card when it does not fit @p platform.
     */
    Ptr<IpsecEngineSet> BuildEngineSet(const std::string& platform,
                                       const std::vector<std::string>& modules) const;

    /** "/a/b" with '~' and '/' in keys escaped (RFC 6901). */
    static std::string Pointer(const std::string& parent, const std::string& key);

private:
    friend class IpsecCalibrationReader;
    std::string m_origin;
    std::map<std::string, std::string> m_sources;
    std::map<std::string, IpsecPlatformRecord> m_platforms;
    std::map<std::string, IpsecCardRecord> m_cards;
    std::vector<IpsecFigure> m_figures;
};

} // namespace ns3

#endif
