// What the benchmarks share to time their work and summarise repeated measurements.
#ifndef IPSEC_BENCH_BENCH_STATS_H
#define IPSEC_BENCH_BENCH_STATS_H

#include <algorithm>
#include <chrono>
#include <vector>

namespace ns3
{
namespace benchstats
{

using Clock = std::chrono::steady_clock;

/** Seconds from @p t0 to now. */
inline double
Since(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/** The median of @p v (the mean of the middle two if their number is even); 0 if empty. */
inline double
Median(std::vector<double> v)
{
    if (v.empty())
    {
        return 0;
    }
    std::sort(v.begin(), v.end());
    const size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

} // namespace benchstats
} // namespace ns3

#endif
