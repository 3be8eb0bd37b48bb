// SPDX-License-Identifier: Apache-2.0
// A domain's architecture-neutral state in the save stream (hv/core/save_stream.hpp, docs/save-format.md):
// what it was created with, its RAM page by page, its shared_info page and where the guest mapped it,
// and its HVM parameters. The vCPUs' records are the run time's, which reaches the port
// (Hypervisor::save_domain, restore_domain); event channels, grant tables and timers are not written yet.
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

/// Why `d` cannot be saved whole, or null: it maps another domain's grants or frames (a foreign mapping
/// in its p2m, a grant mapping in its maptrack), or another domain maps its grants. Such mappings name a
/// domain and a frame of this boot, which a restore could not give back; the control domain undoes them
/// first (or the guest, after the suspend that precedes a save).
const char* unsaveable(const Domain& d);

/// Writes `d`'s records (domain, memory, shared_info, hvm_params, event_channels, grant_table; no end record, so that
/// the caller may add the vCPUs' and its own). False when the stream's buffer is full. `d` should be paused.
/// Without `memory`, no memory records: live migration's last stream, whose pages went before it.
bool write_domain(Writer& out, const Domain& d, bool memory = true);

/// What restores the records read_domain does not restore itself (the vCPUs', which need the port):
/// take() is called with the domain as restored so far (every record before this one restored) and the
/// record; it returns false, with `why` naming the refusal, to refuse the stream. Whatever it built in
/// the domain must be given back by DomainTable::destroy (the run time's domain_gone).
struct RecordHook {
  bool (*take)(void* context, Domain& d, const Record& r, const char*& why) = nullptr;
  void* context = nullptr;
};

/// Makes a new domain from the records `in` holds up to its end record, in state created and paused,
/// its vCPUs down but for those `hook` gives a state and brings up. The domain, or null with `why` naming
/// the refusal (the stream's own, or a record of this format that is wrong: out of order, of the wrong
/// length, out of range, more memory than its allowance, or no room on this machine; a record `hook`
/// refused; one of a type neither restores); then nothing of it is left. `id`: the ID it is to have (0:
/// the next free one); one that is taken is refused. With `into`, no domain is made: the records go into
/// `into`, a domain the control domain created and gave memory that has not run (live migration's
/// destination, docs/migration.md), whose vCPU count and grant table size the domain record must match
/// (its word size, event channel limit, weight, cap and allowance are taken from the record); a memory
/// record overwrites a RAM page there. Refused so, `into` is left
/// half-restored for the caller to destroy.
Domain* read_domain(Reader& in, DomainTable& table, const char*& why, RecordHook hook = {}, abi::domid_t id = 0,
                    Domain* into = nullptr);

} // namespace hv::save
