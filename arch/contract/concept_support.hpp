// SPDX-License-Identifier: Apache-2.0
// What the contract's concepts (virtualization.hpp, guest_memory.hpp) share.
#pragma once

#include <contract/types.hpp>
#include <hv/types.hpp>

namespace hv::contract {
using hv::convertible_to;
using hv::same_as;
} // namespace hv::contract
