// SPDX-License-Identifier: Apache-2.0
// A domain's architecture-neutral state in the save stream (hv/core/save_stream.hpp, docs/save-format.md):
// what it was created with, its RAM page by page, its shared_info page and where the guest mapped it,
// and its HVM parameters. The vCPUs' state (the port contract's), event channels, grant tables and
// timers are not written yet: a stream of this version restores a domain's memory and configuration,
// whose vCPUs are down until given a state.
//
// Restoring reads and checks every record before anything becomes visible: a stream refused halfway
// leaves no domain behind (whatever was built is destroyed, every frame back).
#pragma once

#include <hv/core/domain_table.hpp>
#include <hv/core/save_stream.hpp>

namespace hv::save {

/// The domain record's payload (type 1), 32 bytes in the writer's byte order.
struct DomainRecord {
  u32 vcpus;
  u32 max_evtchn_ports;
  u64 max_pages;
  u16 weight, cap;
  u32 grant_frames;
  u8 word_bytes; ///< 4 or 8
  u8 reserved[7];
};
static_assert(sizeof(DomainRecord) == 32);

/// Writes `d`'s records (domain, memory, shared_info, hvm_params; no end record, so that the caller may
/// add the vCPUs' and its own). False when the stream's buffer is full. `d` should be paused.
bool write_domain(Writer& out, const Domain& d);

/// Makes a new domain from the records `in` holds up to its end record, in state created and paused,
/// its vCPUs down. The domain, or null with `why` naming the refusal (the stream's own, or a record of
/// this format that is wrong: out of order, of the wrong length, out of range, more memory than its
/// allowance, or no room on this machine); then nothing of it is left.
Domain* read_domain(Reader& in, DomainTable& table, const char*& why);

} // namespace hv::save
