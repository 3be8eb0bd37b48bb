// Conversions between the port's timer ticks (Timer::frequency_hz a second) and nanoseconds, split so
// that neither overflows for any tick count below 2^64 at rates up to about 18 GHz.
#pragma once

#include <hv/types.hpp>

namespace hv {

inline u64 ns_from_ticks(u64 ticks, u64 hz) { return ticks / hz * 1'000'000'000 + ticks % hz * 1'000'000'000 / hz; }

inline u64 ticks_from_ns(u64 ns, u64 hz) { return ns / 1'000'000'000 * hz + ns % 1'000'000'000 * hz / 1'000'000'000; }

} // namespace hv
