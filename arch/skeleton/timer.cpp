// SPDX-License-Identifier: Apache-2.0
// Step 6 (docs/porting.md): the timer.
#include <port.hpp>
#include <skeleton/not_written.hpp>

namespace hv::port {
using skeleton::not_written;

bool Timer::init() { not_written("Timer::init"); }

u64 Timer::frequency_hz() { not_written("Timer::frequency_hz"); }

u64 Timer::now() { not_written("Timer::now"); }

void Timer::start_periodic(u64) { not_written("Timer::start_periodic"); }

void Timer::stop() { not_written("Timer::stop"); }

} // namespace hv::port
