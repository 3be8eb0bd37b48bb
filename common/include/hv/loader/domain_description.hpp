// SPDX-License-Identifier: Apache-2.0
// The domains a run boots, as a "domain description": a flattened device tree handed to the hypervisor
// as a boot module, carrying each guest's ELF image inline. Its format is written down in boards/README.md
// ("Domain descriptions").
//
// The description is untrusted input: every property is checked for presence, size and range before it
// is used, and a problem is reported as a sentence naming the node and property at fault.
#pragma once

#include <hv/core/limits.hpp>
#include <hv/string.hpp>
#include <hv/types.hpp>

namespace hv {

/// One domain: what it is built from and with.
struct DomainSpec {
  StrView name;              ///< the node's name
  const u8* image = nullptr; ///< points into the blob
  usize image_size = 0;
  u64 memory_bytes = 0; ///< hv,memory-kib * 1024
  u32 vcpus = 1;
  u16 weight = 256;
  u16 cap = 0;
  u32 cpus = ~u32{0}; ///< hv,cpus: the physical CPUs its vCPUs may run on, bit n for CPU n (hard affinity)
  bool privileged = false;
  u32 grant_frames = limits::default_grant_frames; ///< hv,grant-frames: the most its grant table grows to
  StrView command_line;                            ///< "" when absent; points into the blob, NUL-terminated there
};

struct DomainDescription {
  /// As many as the hypervisor holds at once.
  static constexpr usize max_domains = limits::max_domains;
  u64 run_ms = 0; ///< hv,run-ms: the machine stops this long after the domains start; 0: when they all stopped
  DomainSpec domains[max_domains] = {};
  usize count = 0; ///< >= 1 on success; in node order
};

struct DescriptionError {
  char message[160] = {};
};

/// Validates `blob` (8-byte aligned, as libfdt requires; at most `size` bytes; the FDT header's totalsize
/// must fit within it) with libfdt (fdt_check_full), then reads it. Called once at boot with the boot module's bytes;
/// the StrViews and image pointers in `out` point into `blob`, which must outlive them. False with a message naming the
/// node and property at fault ("domain description: /domains/ping: hv,memory-kib 3 is not a multiple of
/// 4"); `out` is then meaningless. Rejected: a blob that is not a valid device tree, a root not compatible
/// with "hv,domains", no /domains or no domain in it, a child of /domains not compatible with "hv,domain",
/// more than max_domains, two domains of one name, two privileged domains, a missing or empty hv,image, a
/// missing hv,memory-kib, a value out of its range, a cell property that is not exactly 4 bytes, a flag
/// with a value, a string property that is not one NUL-terminated string, and
/// any property of / or of a domain whose name starts with "hv," but that the format does not define
/// (a misspelt optional property would otherwise be silently ignored).
bool read_domain_description(const void* blob, usize size, DomainDescription& out, DescriptionError& error);

} // namespace hv
