#include "ns3/plot-writer.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace ns3
{

std::string
ShellQuote(const std::string& s)
{
    std::string r = "'";
    for (char c : s)
    {
        r += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return r + "'";
}

PlotWriter::PlotWriter(std::filesystem::path dir)
    : m_dir(std::move(dir)), m_gnuplot(std::system("gnuplot --version >/dev/null 2>&1") == 0)
{
}

bool
PlotWriter::Write(Gnuplot& plot, const std::string& name, const std::string& caption)
{
    namespace fs = std::filesystem;
    const fs::path script = m_dir / (name + ".plt");
    {
        std::ofstream plt(script);
        plot.GenerateOutput(plt);
        if (!plt)
        {
            throw std::runtime_error("cannot write " + script.string());
        }
    }
    m_scripts.push_back(name + ".plt");
    if (!m_gnuplot)
    {
        return false;
    }
    const fs::path png = m_dir / (name + ".png");
    const std::string cmd = "cd " + ShellQuote(m_dir.string()) + " && gnuplot " +
                            ShellQuote(name + ".plt") + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0 && fs::exists(png) && fs::file_size(png) > 0)
    {
        m_pngs.push_back({name + ".png", caption});
        return true;
    }
    m_failed.push_back(name + ".plt");
    return false;
}

} // namespace ns3
