// SPDX-License-Identifier: Apache-2.0
// XENVER_capabilities: the kinds of guest this hypervisor runs, in the family's words ("hvm-3.0-x86_64"),
// found by asking the port's backend which ELF images it accepts (accepts_image), so that no port is
// named in common code.
#pragma once

#include <hv/string.hpp>

namespace hv {

/// Writes the space-separated list into `buffer` (`size` bytes, NUL-terminated there) and returns it.
StrView guest_capabilities(char* buffer, usize size);

} // namespace hv
