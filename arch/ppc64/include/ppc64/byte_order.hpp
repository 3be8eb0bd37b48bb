// SPDX-License-Identifier: Apache-2.0
// Values that the hardware or firmware reads big-endian whatever the image's byte order: radix table
// entries, the partition and process tables, OPAL's in/out arguments.
#pragma once

#include <hv/types.hpp>

namespace hv::ppc64 {

/// Whether this build is ppc64le (the cross file chose it).
constexpr bool little_endian_image = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

constexpr u64 to_big_endian(u64 value) { return little_endian_image ? __builtin_bswap64(value) : value; }
constexpr u64 from_big_endian(u64 value) { return to_big_endian(value); }

} // namespace hv::ppc64
