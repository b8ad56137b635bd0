// ipsec-report: (re)make the plots and report.html of a finished ipsec-sim run from its
// results.json (doc/report.md).
//
//   ipsec-report OUTDIR
//
// OUTDIR is the run's output folder (for a sweep, one point's folder, OUTDIR/runs/...).
#include "ns3/run-report.h"

#include <nlohmann/json.hpp>

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace
{
const char* const kUsage =
    "usage: ipsec-report OUTDIR\n"
    "\n"
    "  OUTDIR  the output folder of an ipsec-sim run (it holds results.json); the plots\n"
    "          (plot-*.png and their gnuplot scripts plot-*.plt) and report.html go there\n"
    "\n"
    "Exit status: 0 done, 2 bad arguments or no readable results.json, 1 a failure.\n";
} // namespace

int
main(int argc, char** argv)
{
    if (argc != 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")
    {
        std::cerr << kUsage;
        return argc == 2 ? 0 : 2;
    }
    const std::filesystem::path dir(argv[1]);
    std::ifstream in(dir / "results.json");
    if (!in)
    {
        std::cerr << "ipsec-report: " << (dir / "results.json").string()
                  << ": cannot be read (not a finished run?)\n";
        return 2;
    }
    nlohmann::json results;
    try
    {
        results = nlohmann::json::parse(in);
    }
    catch (const nlohmann::json::parse_error& e)
    {
        std::cerr << "ipsec-report: " << (dir / "results.json").string() << ": " << e.what()
                  << "\n";
        return 2;
    }
    if (results.contains("sweep"))
    {
        std::cerr << "ipsec-report: " << dir.string()
                  << " holds a sweep's table; make a report of one of its points (runs/...)\n";
        return 2;
    }
    try
    {
        const nlohmann::json summary = ns3::WriteRunReport(results, dir.string());
        std::cout << summary.dump(2) << "\n";
    }
    catch (const std::exception& e)
    {
        std::cerr << "ipsec-report: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
