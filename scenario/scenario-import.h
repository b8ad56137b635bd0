// `ipsec-sim import DIR`: a folder of router configurations (one file per router, as people
// export them) turned into a scenario: routers, the links their shared subnets imply, a host on
// each LAN, a provider router where the sites' routes point at an address no exported router
// owns, traffic between the networks the crypto ACLs and tunnels protect, and `show` events.
// Everything it had to guess is listed. doc/import.md describes it.
#ifndef IPSEC_SCENARIO_IMPORT_H
#define IPSEC_SCENARIO_IMPORT_H

#include <nlohmann/json.hpp>

#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/** A folder that cannot be imported; what() says which file and why. */
class ScenarioImportError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** What an import produces, before anything is written. */
struct ImportedScenario
{
    nlohmann::json scenario;                                //!< scenario.json
    std::vector<std::pair<std::string, std::string>> files; //!< other files: name, content
    std::vector<std::string> guesses;                       //!< what was inferred or assumed
    std::vector<std::string> warnings;                      //!< what will probably not work
    size_t routers = 0;                                     //!< from the folder
    bool providerInvented = false;                          //!< a provider router was added
};

/**
 * @brief Reads a folder of router configurations and builds a scenario from them.
 */
class ScenarioImporter
{
public:
    /** Reads every configuration in @p dir and infers the scenario; it is checked by the
     *  scenario loader in memory. @throws ScenarioImportError */
    static ImportedScenario Import(const std::string& dir);
    /** Writes @p s into @p outDir (which must not exist or be empty), all or nothing.
     *  @throws ScenarioImportError */
    static void Write(const ImportedScenario& s, const std::string& outDir);
    /** The default output folder for input folder @p dir: "NAME-scenario" in the current
     *  folder, NAME the input folder's name. */
    static std::string DefaultOutput(const std::string& dir);
};

/** The `import` subcommand: @p args are its arguments (DIR [-o OUT]). Prints the guesses and
 *  warnings on @p err and a summary on @p out. Exit status: 0 written, 2 bad arguments or an
 *  input that cannot be imported (nothing written). */
int ImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace ns3

#endif
