// The hypercall numbers and sub-operations of the family's public ABI that the hypervisor handles so
// far (xen.h, version.h, sched.h, console_io in xen.h), written from its documented values.
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

namespace hypercall {
inline constexpr u64 xen_version = 17;
inline constexpr u64 console_io = 18;
inline constexpr u64 sched_op = 29;
} // namespace hypercall

inline constexpr u64 xenver_version = 0;  ///< returns major << 16 | minor
inline constexpr u64 consoleio_write = 0; ///< (cmd, count, buffer)
inline constexpr u64 schedop_shutdown = 2; ///< (cmd, pointer to struct sched_shutdown { u32 reason; })

/// The ABI version this hypervisor speaks, as xen_version(XENVER_version) returns it.
inline constexpr u32 version_major = 4;
inline constexpr u32 version_minor = 19;

} // namespace hv::abi
