/**
 * @file
 * The few ns-3 interfaces the module uses that came with ns-3.36, written so that the same code
 * builds against ns-3.35 (waf) too:
 *
 * - MakeLambdaCallback<CB>(lambda): a Callback of type CB that runs a lambda. ns-3.36 and later
 *   construct a Callback from any callable; ns-3.35 takes a functor only as
 *   `Callback(functor, true, true)`, and only one with `operator!=`, which lambdas lack.
 * - RunCallback: a plain function that runs a Callback<void>, so that a Callback can be
 *   scheduled as `Simulator::Schedule(delay, &RunCallback, cb)` (ns-3.35 schedules functions
 *   and member functions only).
 * - ScheduleLambda(delay, lambda): Simulator::Schedule of a lambda. Against ns-3.35 the lambda
 *   runs through a Callback<void> and RunCallback: still one event, inserted at the same point,
 *   so the order of events is the same.
 * - ResetMac48Allocation(): Mac48Address::ResetAllocationIndex, so that the next address
 *   Mac48Address::Allocate gives is the first again. ns-3.35 has no way to do this (its
 *   counter is a static local of Allocate): there the addresses continue from where they
 *   were, so only the first run in a process starts from the first address.
 *
 * IPSEC_NS3_LEGACY_API selects the ns-3.35 forms. Only the waf build (wscript) defines it; the
 * CMake builds (standalone, and inside ns-3.36 and later) use ns-3's own interfaces directly.
 */
#ifndef IPSEC_NS3_COMPAT_H
#define IPSEC_NS3_COMPAT_H

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <type_traits>
#include <utility>

namespace ns3
{

#ifdef IPSEC_NS3_LEGACY_API
namespace ipsec_compat
{
/**
 * A lambda as ns-3.35's Callback takes a functor: callable with the Callback's arguments and
 * comparable. Two such callbacks are equal only when they are one object (ns-3 compares
 * callbacks only to disconnect a trace, which the module does not do with these).
 */
template <typename F> struct LambdaFunctor
{
    F f;

    template <typename... Args> decltype(auto) operator()(Args&&... args)
    {
        return f(std::forward<Args>(args)...);
    }

    bool operator!=(const LambdaFunctor& other) const
    {
        return this != &other;
    }
};
} // namespace ipsec_compat
#endif

/**
 * A Callback of type CB (Callback<R, Args...> or a typedef of one) that runs a lambda.
 * @param f the lambda (or any callable), taken by value
 */
template <typename CB, typename F>
CB
MakeLambdaCallback(F&& f)
{
#ifdef IPSEC_NS3_LEGACY_API
    return CB(ipsec_compat::LambdaFunctor<std::decay_t<F>>{std::forward<F>(f)}, true, true);
#else
    return CB(std::forward<F>(f));
#endif
}

/** Runs a Callback<void>: `Simulator::Schedule(delay, &RunCallback, cb)` schedules cb. */
inline void
RunCallback(Callback<void> cb)
{
    cb();
}

/**
 * Simulator::Schedule of a lambda (a callable taking no arguments).
 * @param delay after how long it runs
 * @param f the lambda, taken by value
 * @return the event, as Simulator::Schedule returns it
 */
template <typename F>
EventId
ScheduleLambda(const Time& delay, F&& f)
{
#ifdef IPSEC_NS3_LEGACY_API
    return Simulator::Schedule(delay, &RunCallback,
                               MakeLambdaCallback<Callback<void>>(std::forward<F>(f)));
#else
    return Simulator::Schedule(delay, std::forward<F>(f));
#endif
}

/** Mac48Address::Allocate starts again from the first address (not with ns-3.35). */
inline void
ResetMac48Allocation()
{
#ifndef IPSEC_NS3_LEGACY_API
    Mac48Address::ResetAllocationIndex();
#endif
}

} // namespace ns3

#endif
