// SPDX-License-Identifier: Apache-2.0
// The two cascaded 8259 interrupt controllers of the PC. The hypervisor takes its interrupts through
// the local APIC and never uses them, but firmware leaves them programmed with the timer line open on
// vector 8, where the CPU's double fault lives.
#pragma once

#include <hv/types.hpp>

namespace hv::x86::pic {

/// Reprograms both controllers to deliver on vectors [`first_vector`, `first_vector` + 16), away from
/// the exceptions, and masks all 16 lines. Call with interrupts masked, before they are ever enabled.
void remap_and_mask_all(u8 first_vector);

} // namespace hv::x86::pic
