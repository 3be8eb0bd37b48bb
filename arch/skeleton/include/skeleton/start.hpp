// SPDX-License-Identifier: Apache-2.0
// What start.cpp keeps of what firmware handed over, for the port's other files (Machine, in Step 2).
#pragma once

#include <hv/types.hpp>

namespace hv::skeleton {

/// The value firmware passed in its argument register: a device tree's address on most machines, a
/// start-info block's on x86 PVH. Set once by hv_start, before hv::boot_main runs.
extern uptr firmware_argument;

} // namespace hv::skeleton
