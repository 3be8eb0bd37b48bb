// SPDX-License-Identifier: Apache-2.0
// The 8254 programmable interval timer, used only as a clock of known frequency to calibrate the local
// APIC timer and the TSC. Channel 2 is used because its output can be polled (port 0x61) without any
// interrupt, and because firmware leaves it free (channel 0 may still be running its tick).
#pragma once

#include <hv/types.hpp>

namespace hv::x86::pit {

/// The PIT's input clock, fixed by the PC design.
inline constexpr u64 frequency_hz = 1'193'182;

/// Sets channel 2 up to count down `ticks` input periods once, and writes all but the last byte of the
/// count. The countdown starts when start_countdown() writes that byte, so a caller can take its
/// reference readings right before.
void prepare_countdown(u16 ticks);
/// Starts the countdown prepare_countdown() set up.
void start_countdown();
/// Whether the countdown reached zero (channel 2's output went high).
bool countdown_expired();
/// Busy-waits at least `us` microseconds (one countdown after another; only the boot CPU calls it).
void wait_us(u32 us);

} // namespace hv::x86::pit
