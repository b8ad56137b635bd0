// Writing ns-3 Gnuplot plots to a folder: each as NAME.plt (the script, data inline) and, when
// gnuplot is installed, NAME.png drawn from it. Shared by the run report and the sweeps.
#ifndef IPSEC_PLOT_WRITER_H
#define IPSEC_PLOT_WRITER_H

#include "ns3/gnuplot.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/** @p s quoted for a POSIX shell ('...', with embedded quotes escaped). */
std::string ShellQuote(const std::string& s);

class PlotWriter
{
public:
    /** Plots go to @p dir (it must exist); whether gnuplot is installed is checked once. */
    explicit PlotWriter(std::filesystem::path dir);

    /**
     * Write @p plot as @p name.plt and draw @p name.png with gnuplot (the plot's output file
     * must be @p name.png, relative: gnuplot runs in the folder).
     * @return true when the PNG was drawn
     * @throws std::runtime_error when the script cannot be written
     */
    bool Write(Gnuplot& plot, const std::string& name, const std::string& caption = "");

    bool HaveGnuplot() const
    {
        return m_gnuplot;
    }
    const std::filesystem::path& Dir() const
    {
        return m_dir;
    }
    const std::vector<std::string>& Scripts() const
    {
        return m_scripts;
    }
    /** (PNG name, caption) of every plot drawn. */
    const std::vector<std::pair<std::string, std::string>>& Pngs() const
    {
        return m_pngs;
    }
    /** Scripts gnuplot failed on. */
    const std::vector<std::string>& Failed() const
    {
        return m_failed;
    }

private:
    std::filesystem::path m_dir;
    bool m_gnuplot;
    std::vector<std::string> m_scripts;
    std::vector<std::pair<std::string, std::string>> m_pngs;
    std::vector<std::string> m_failed;
};

} // namespace ns3

#endif
