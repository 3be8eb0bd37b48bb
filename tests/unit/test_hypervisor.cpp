// SPDX-License-Identifier: Apache-2.0
// The hypervisor's run time on the host port's scripted CPU: domains built from a description handed
// over as the boot module, run to their end through the same exit loop the hardware backends feed, torn
// down with every frame given back; and the facts it reports about each.
#include <hv/abi/console.hpp>
#include <hv/abi/domctl.hpp>
#include <hv/abi/event_channel.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/memory.hpp>
#include <hv/abi/shared_info.hpp>

#include "boot_run.hpp"
#include "loader/test_description.hpp"
#include "loader/test_elf.hpp"

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <array>
#include <cstring>
#include <regex>
#include <string>

namespace {

using hv::GuestExit;
using hv::GuestExitKind;
using hv::test::Bytes;
using Cpu = hv::port::Virtualization::Vcpu;

// Each scripted guest is told apart by its entry point.
constexpr std::uint64_t hello_entry = 0x1000, outside_entry = 0x1100, spinner_entry = 0x1200, stuck_entry = 0x1300,
                        fpu_entry = 0x1400, halted_entry = 0x1500, debug_entry = 0x1600, sleeper_entry = 0x1700,
                        ringer_entry = 0x1800, builder_entry = 0x1900, toolstack_entry = 0x1a00, counter_entry = 0x1b00,
                        saver_entry = 0x1c00, scribbler_entry = 0x1d00, logger_entry = 0x1e00;
constexpr std::uint64_t text_gpa = 0x2000, shutdown_gpa = 0x2100; // in every image: "hi\n" and a poweroff record
// Also in every image: the records the sleeper passes (VIRQ_TIMER on vCPU 0, shared_info at gfn 0x50, a
// single-shot timer at 30 ms of system time).
constexpr std::uint64_t bind_timer_gpa = 0x2200, map_shared_gpa = 0x2300, timer_gpa = 0x2400;
constexpr std::uint64_t shared_gfn = 0x50, sleep_until_ns = 30'000'000;

// And the ringer's: HVM_PARAM_CONSOLE_EVTCHN and _PFN requests, and room for its send record.
constexpr std::uint64_t evtchn_param_gpa = 0x2500, pfn_param_gpa = 0x2520, send_gpa = 0x2540;

/// The ringer: writes `text` into its console ring's out ring through its own memory, as a driver does.
void ring_write(Cpu& cpu, const std::string& text) {
  const auto* pfn = static_cast<const hv::abi::HvmParam*>(hv::host::guest_memory(cpu, pfn_param_gpa));
  auto* ring = static_cast<hv::abi::ConsoleInterface*>(hv::host::guest_memory(cpu, pfn->value * 0x1000));
  for (char c : text) ring->out[ring->out_prod++ % sizeof ring->out] = c;
}

/// What the sleeper saw of its time record and wall clock when its timer woke it.
struct SleeperView {
  hv::abi::VcpuTimeInfo time{};
  std::uint32_t wc_version = 0, wc_sec = 0;
  std::uint64_t woke_at_entry = 0;
  hv::abi::VcpuTimeInfo later{}; ///< after it ran through a few ticks
} sleeper_view;
constexpr std::uint64_t outside_gpa = 0x4000'0000;

void hypercall(GuestExit& exit, std::uint64_t nr, std::uint64_t a0, std::uint64_t a1, std::uint64_t a2 = 0) {
  exit.kind = GuestExitKind::hypercall;
  exit.hypercall.number = nr;
  exit.hypercall.args[0] = a0;
  exit.hypercall.args[1] = a1;
  exit.hypercall.args[2] = a2;
}

void serial(GuestExit& exit, char c) {
  exit.kind = GuestExitKind::port_io;
  exit.io = {0x3f8, 1, true, static_cast<std::uint32_t>(c)};
}

constexpr std::uint64_t fpu_rounds = 50;
constexpr std::uint64_t fpu_wrong_pc = 0x1444;
const Cpu* fpu_last = nullptr; // the fpu guest that ran last
int fpu_switches = 0;          // times an fpu guest ran after another one

/// Checks that its floating-point register holds what it wrote at its last step (at the first, the reset
/// state, 0), writes a value of its own (its Space's tag and the step), and yields; powers off after
/// fpu_rounds steps. A register that holds anything else crashes it with an unhandled exit at fpu_wrong_pc.
void fpu_guest(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  std::uint64_t* reg = hv::host::guest_fpu(cpu, exit);
  if (reg == nullptr) return; // the first-use trap: the same step at the next entry
  if (fpu_last != &cpu && fpu_last != nullptr) ++fpu_switches;
  fpu_last = &cpu;
  const std::uint64_t step = cpu.entries - cpu.fpu_traps;
  const std::uint64_t mine = std::uint64_t{cpu.space->tag} << 32;
  if (*reg != (step == 1 ? 0 : mine | (step - 1))) {
    exit.kind = GuestExitKind::unhandled;
    exit.pc = fpu_wrong_pc;
    return;
  }
  *reg = mine | step;
  if (step < fpu_rounds)
    hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
  else
    hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
}

// The control domain building a domain the family's way, as far as the hypervisor lets it today:
// createdomain, max_mem, populate_physmap, unpausedomain, then a few yields so that the scheduler runs
// again, and poweroff. Nothing of the new domain may be entered: its vCPU was given no context.
constexpr std::uint64_t domctl_gpa = 0x3000, reservation_gpa = 0x3200, extents_gpa = 0x3300;
void builder(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  auto* op = static_cast<hv::abi::Domctl*>(hv::host::guest_memory(cpu, domctl_gpa));
  static hv::abi::domid_t built = 0;
  auto domctl = [&](std::uint32_t cmd) {
    *op = hv::abi::Domctl{};
    op->cmd = cmd;
    op->interface_version = hv::abi::domctl_interface_version;
    op->domain = built;
    if (cmd == hv::abi::domctl::max_mem) op->u.max_mem.max_memkb = 64;
    if (cmd == hv::abi::domctl::createdomain) op->u.createdomain.max_vcpus = 1;
    hypercall(exit, hc::domctl, domctl_gpa, 0);
  };
  switch (cpu.entries) {
  case 1:
    built = 0;
    domctl(hv::abi::domctl::createdomain);
    return;
  case 2:
    built = op->domain;
    domctl(hv::abi::domctl::max_mem);
    return;
  case 3:
    *static_cast<std::uint64_t*>(hv::host::guest_memory(cpu, extents_gpa)) = 0;
    *static_cast<hv::abi::MemoryReservation<hv::abi::GuestWidth::bits64>*>(
        hv::host::guest_memory(cpu, reservation_gpa)) = {extents_gpa, 1, 0, 0, built};
    hypercall(exit, hc::memory_op, hv::abi::xenmem::populate_physmap, reservation_gpa);
    return;
  case 4: domctl(hv::abi::domctl::unpausedomain); return;
  case 5:
  case 6:
  case 7: hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0); return;
  default: hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa); return;
  }
}

// The control domain building a domain the whole way, as a toolstack does: createdomain, max_mem,
// populate_physmap of 16 frames, its gfn 2 mapped into its own space (gmfn_foreign) and "hi\n" written
// there (hello's text), the mapping removed, setvcpucontext with hello's entry, unpausedomain; then it
// watches with getdomaininfo until hello shut down, destroys it and powers off.
constexpr std::uint64_t batch_gpa = 0x3400, idxs_gpa = 0x3440, gpfns_gpa = 0x3480, errs_gpa = 0x34c0,
                        context_gpa = 0x3500, remove_gpa = 0x3540, window_gfn = 0x100;
struct ToolstackView {
  std::int32_t mapped = 1;       ///< errs[0] of the batch
  std::uint32_t seen_flags = 0;  ///< getdomaininfo's flags when it saw hello shut down
  std::int64_t results[16] = {}; ///< what each of its first calls returned
} toolstack_view;
void toolstack(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  auto* op = static_cast<hv::abi::Domctl*>(hv::host::guest_memory(cpu, domctl_gpa));
  static hv::abi::domid_t built = 0;
  static std::uint64_t step = 0; // like cpu.entries, but a second-stage fault's entry is not a step
  static bool faulted = false;
  step = cpu.entries == 1 ? 1 : step + 1;
  if (faulted) {
    faulted = false;
    --step; // the faulting step again
  } else if (step > 1 && step <= 16) {
    toolstack_view.results[step - 2] = static_cast<std::int64_t>(cpu.last_result[0]);
  }
  auto domctl = [&](std::uint32_t cmd) {
    *op = hv::abi::Domctl{};
    op->cmd = cmd;
    op->interface_version = hv::abi::domctl_interface_version;
    op->domain = built;
    hypercall(exit, hc::domctl, domctl_gpa, 0);
  };
  auto put = [&](std::uint64_t gpa, const auto& value) {
    std::memcpy(hv::host::guest_memory(cpu, gpa), &value, sizeof value);
  };
  switch (step) {
  case 1:
    built = 0;
    domctl(hv::abi::domctl::createdomain);
    op->u.createdomain.max_vcpus = 1;
    return;
  case 2:
    built = op->domain;
    domctl(hv::abi::domctl::max_mem);
    op->u.max_mem.max_memkb = 64;
    return;
  case 3:
    put(extents_gpa, std::uint64_t{0});
    put(reservation_gpa, hv::abi::MemoryReservation<hv::abi::GuestWidth::bits64>{extents_gpa, 1, 4, 0, built});
    hypercall(exit, hc::memory_op, hv::abi::xenmem::populate_physmap, reservation_gpa);
    return;
  case 4:
    put(idxs_gpa, std::uint64_t{2});
    put(gpfns_gpa, window_gfn);
    put(batch_gpa, hv::abi::AddToPhysmapBatch<hv::abi::GuestWidth::bits64>{
                       hv::abi::domid_self, hv::abi::mapspace::gmfn_foreign, 1, built, idxs_gpa, gpfns_gpa, errs_gpa});
    hypercall(exit, hc::memory_op, hv::abi::xenmem::add_to_physmap_batch, batch_gpa);
    return;
  case 5: {
    toolstack_view.mapped = *static_cast<std::int32_t*>(hv::host::guest_memory(cpu, errs_gpa));
    auto* window = static_cast<char*>(hv::host::guest_memory(cpu, window_gfn * 0x1000));
    if (window == nullptr) { // not in its second-stage tables yet: the store faults, as on hardware
      faulted = true;
      exit.kind = GuestExitKind::second_stage_fault;
      exit.second_stage_fault = {window_gfn * 0x1000, true, false};
      return;
    }
    std::memcpy(window + (text_gpa & 0xfff), "hi\n", 3);
    put(remove_gpa, hv::abi::RemoveFromPhysmap<hv::abi::GuestWidth::bits64>{hv::abi::domid_self, window_gfn});
    hypercall(exit, hc::memory_op, hv::abi::xenmem::remove_from_physmap, remove_gpa);
    return;
  }
  case 6:
    put(context_gpa, std::array<std::uint64_t, 2>{hello_entry, 0});
    domctl(hv::abi::domctl::setvcpucontext);
    op->u.vcpucontext.vcpu = 0;
    op->u.vcpucontext.ctxt = context_gpa;
    return;
  case 7: domctl(hv::abi::domctl::unpausedomain); return;
  default:
    if (step > 400) break;
    if (op->cmd == hv::abi::domctl::getdomaininfo && cpu.last_result[0] == 0 &&
        (op->u.getdomaininfo.flags & hv::abi::dominf::shutdown) != 0) {
      toolstack_view.seen_flags = op->u.getdomaininfo.flags;
      domctl(hv::abi::domctl::destroydomain);
      return;
    }
    if (op->cmd == hv::abi::domctl::destroydomain) break;
    if (step % 2 == 0) {
      domctl(hv::abi::domctl::getdomaininfo);
    } else {
      hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
    }
    return;
  }
  hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
}

// A guest that counts: at each entry it finds its count in its memory, its floating-point register and its
// entries agreeing with it, counts one more into all three, and yields; at counter_total it asks to bring
// up vCPU 1, which it never initialised, and then powers off. Anything that disagrees crashes it with an
// unhandled exit at counter_wrong_pc.
constexpr std::uint64_t counter_gpa = 0x2600, counter_total = 300, counter_wrong_pc = 0x1bad;
struct CounterView {
  std::uint64_t count = 0;   ///< what it counted last
  std::uint64_t entries = 0; ///< its entries then
  std::int64_t up = 1;       ///< VCPUOP_up of vCPU 1 at the end
} counter_view;
void counter(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  auto* count = static_cast<std::uint64_t*>(hv::host::guest_memory(cpu, counter_gpa));
  if (count != nullptr && *count == counter_total) {
    counter_view.up = static_cast<std::int64_t>(cpu.last_result[0]);
    hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
    return;
  }
  std::uint64_t* reg = hv::host::guest_fpu(cpu, exit);
  if (reg == nullptr) return;
  if (count == nullptr || *reg != *count || cpu.entries != *count + 1) {
    exit.kind = GuestExitKind::unhandled;
    exit.pc = counter_wrong_pc;
    return;
  }
  *reg = ++*count;
  counter_view = {*count, cpu.entries};
  if (*count < counter_total)
    hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
  else
    hypercall(exit, hc::vcpu_op, hv::abi::vcpuop::up, 1, 0);
}

// The control domain saving the counter (d1) mid-run and restoring it: it lets it count a while, pauses
// it, reads its stream into its own memory in pieces (hv_save_stream), destroys it, tries a stream that is
// not one, restores it (hv_restore_stream) as a new domain, unpauses that and watches it until it shuts
// down; then destroys it and powers off.
constexpr std::uint64_t stream_gpa = 0x20000, stream_piece = 0x4000;
struct SaverView {
  std::uint64_t size = 0;           ///< the stream's size, as the first call said
  std::uint64_t copied = 0;         ///< the bytes the pieces brought
  std::uint64_t paused_at = 0;      ///< the count when it was saved
  std::int64_t refused = 0;         ///< hv_restore_stream of a stream that is not one
  std::int64_t restored = 1;        ///< hv_restore_stream of the stream
  hv::abi::domid_t restored_id = 0; ///< the new domain's ID
  std::uint32_t seen_flags = 0;     ///< getdomaininfo's when it saw the restored one shut down
  std::int64_t failed = 0;          ///< a call that failed, else 0
} saver_view;
void saver(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  auto* op = static_cast<hv::abi::Domctl*>(hv::host::guest_memory(cpu, domctl_gpa));
  enum Phase { counting, pausing, sizing, reading, destroying, refusing, restoring, unpausing, watching, done };
  static Phase phase = counting;
  static std::uint64_t offset = 0;
  if (cpu.entries == 1) {
    phase = counting;
    offset = 0;
  }
  const auto result = static_cast<std::int64_t>(cpu.last_result[0]);
  auto domctl = [&](std::uint32_t cmd, hv::abi::domid_t domain) {
    *op = hv::abi::Domctl{};
    op->cmd = cmd;
    op->interface_version = hv::abi::domctl_interface_version;
    op->domain = domain;
    hypercall(exit, hc::domctl, domctl_gpa, 0);
  };
  auto failed = [&] { // says so, and powers off
    saver_view.failed = result;
    phase = done;
    hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
  };
  switch (phase) {
  case counting:
    if (cpu.entries < 40) break;
    phase = pausing;
    domctl(hv::abi::domctl::pausedomain, 1);
    return;
  case pausing:
    if (result != 0) return failed();
    saver_view.paused_at = counter_view.count;
    phase = sizing;
    domctl(hv::abi::domctl::hv_save_stream, 1);
    op->u.save_stream = {stream_gpa, 0, 0, 0, 0};
    return;
  case sizing:
  case reading:
    if (result < 0) return failed();
    if (phase == sizing) saver_view.size = op->u.save_stream.size;
    saver_view.copied += static_cast<std::uint64_t>(result);
    offset += static_cast<std::uint64_t>(result);
    phase = reading;
    if (offset < saver_view.size) {
      domctl(hv::abi::domctl::hv_save_stream, 1);
      op->u.save_stream = {stream_gpa + offset, offset, stream_piece, 0, 0};
      return;
    }
    phase = destroying;
    domctl(hv::abi::domctl::destroydomain, 1);
    return;
  case destroying:
    phase = refusing;
    domctl(hv::abi::domctl::hv_restore_stream, 0);
    op->u.save_stream = {stream_gpa + 8, 0, 0, saver_view.size - 8, 0}; // its magic cut off
    return;
  case refusing:
    saver_view.refused = result;
    phase = restoring;
    domctl(hv::abi::domctl::hv_restore_stream, 0);
    op->u.save_stream = {stream_gpa, 0, 0, saver_view.size, 0};
    return;
  case restoring:
    saver_view.restored = result;
    if (result != 0) return failed();
    saver_view.restored_id = op->domain;
    phase = unpausing;
    domctl(hv::abi::domctl::unpausedomain, saver_view.restored_id);
    return;
  case unpausing:
  case watching:
    if (phase == watching && op->cmd == hv::abi::domctl::getdomaininfo && result == 0 &&
        (op->u.getdomaininfo.flags & hv::abi::dominf::shutdown) != 0) {
      saver_view.seen_flags = op->u.getdomaininfo.flags;
      phase = done;
      domctl(hv::abi::domctl::destroydomain, saver_view.restored_id);
      return;
    }
    if (cpu.entries > 2000) break;
    phase = watching;
    if (cpu.entries % 2 == 0)
      hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
    else
      domctl(hv::abi::domctl::getdomaininfo, saver_view.restored_id);
    return;
  case done: hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa); return;
  }
  if (phase == counting) {
    hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
    return;
  }
  hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
}

// A guest that writes one byte to each of its pages 0x10-0x13 in turn, yielding after each, until it
// made scribble_total writes; a write to a page mapped without write faults, and it writes again at its
// next entry. Then it powers off.
constexpr std::uint64_t scribble_gfn = 0x10, scribble_total = 60;
struct ScribblerView {
  std::uint64_t writes = 0, faults = 0;
} scribbler_view;
void scribbler(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  if (cpu.entries == 1) scribbler_view = {};
  if (scribbler_view.writes == scribble_total) {
    hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
    return;
  }
  const std::uint64_t gpa = (scribble_gfn + scribbler_view.writes % 4) * 4096 + 8;
  auto* byte = static_cast<std::uint8_t*>(hv::host::guest_memory_to_write(cpu, gpa, exit));
  if (byte == nullptr) {
    ++scribbler_view.faults;
    return;
  }
  *byte = static_cast<std::uint8_t>(++scribbler_view.writes);
  hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
}

// The control domain keeping the scribbler's (d1) dirty log: on, a few yields, peek (the log's size),
// clean into a bitmap, an op it does not offer, off, clean refused; then waits until d1 is gone.
constexpr std::uint64_t bitmap_gpa = 0x3800;
struct LoggerView {
  std::int64_t enabled = 1, again = 0, peeked = 1, cleaned = 1, unknown = 0, off = 1, after_off = 0;
  std::uint64_t covered = 0;
  std::uint32_t faults = 0, dirty = 0;
  std::uint8_t bits = 0; ///< the bitmap's byte for gfns 0x10-0x17
} logger_view;
void logger(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  auto* op = static_cast<hv::abi::Domctl*>(hv::host::guest_memory(cpu, domctl_gpa));
  static std::uint32_t step = 0;
  if (cpu.entries == 1) {
    step = 0;
    logger_view = {};
  }
  const auto result = static_cast<std::int64_t>(cpu.last_result[0]);
  auto shadow = [&](std::uint32_t what, std::uint64_t pages) {
    *op = hv::abi::Domctl{};
    op->cmd = hv::abi::domctl::shadow_op;
    op->interface_version = hv::abi::domctl_interface_version;
    op->domain = 1;
    op->u.shadow.op = what;
    op->u.shadow.dirty_bitmap = bitmap_gpa;
    op->u.shadow.pages = pages;
    hypercall(exit, hc::domctl, domctl_gpa, 0);
  };
  switch (step++) {
  case 0: shadow(hv::abi::shadow_op::enable_logdirty, 0); return;
  case 1:
    logger_view.enabled = result;
    shadow(hv::abi::shadow_op::enable, 0); // with no mode: shadow paging, not offered
    return;
  case 2:
    logger_view.again = result;
    shadow(hv::abi::shadow_op::peek, 0);
    return;
  case 3:
    logger_view.peeked = result;
    logger_view.covered = op->u.shadow.pages;
    hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
    return;
  case 4:
  case 5:
  case 6:
  case 7:
  case 8:
  case 9: hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0); return;
  case 10: shadow(hv::abi::shadow_op::clean, 32); return;
  case 11:
    logger_view.cleaned = result;
    logger_view.faults = op->u.shadow.fault_count;
    logger_view.dirty = op->u.shadow.dirty_count;
    logger_view.bits = *(static_cast<std::uint8_t*>(hv::host::guest_memory(cpu, bitmap_gpa)) + 2);
    shadow(30, 0); // the family's GET_ALLOCATION: not offered
    return;
  case 12:
    logger_view.unknown = result;
    shadow(hv::abi::shadow_op::off, 0);
    return;
  case 13:
    logger_view.off = result;
    shadow(hv::abi::shadow_op::clean, 32);
    return;
  case 14: logger_view.after_off = result; break;
  default: break;
  }
  // Waits for d1 to go, then powers off.
  *op = hv::abi::Domctl{};
  op->cmd = hv::abi::domctl::getdomaininfo;
  op->interface_version = hv::abi::domctl_interface_version;
  op->domain = 1;
  if (step > 15 && result == -3) {
    hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
    return;
  }
  if (step % 2 == 0)
    hypercall(exit, hc::domctl, domctl_gpa, 0);
  else
    hypercall(exit, hc::sched_op, hv::abi::schedop::yield, 0);
}

void program(Cpu& cpu, GuestExit& exit) {
  namespace hc = hv::abi::hypercall;
  exit.pc = cpu.start.entry;
  switch (cpu.start.entry) {
  case hello_entry: // prints through console_io and the serial port, then powers off
    switch (cpu.entries) {
    case 1: hypercall(exit, hc::console_io, hv::abi::consoleio::write, 3, text_gpa); return;
    case 2: serial(exit, 'o'); return;
    case 3: serial(exit, 'k'); return;
    case 4: serial(exit, '\n'); return;
    default: hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa); return;
    }
  case outside_entry: // writes outside its memory
    exit.kind = GuestExitKind::second_stage_fault;
    exit.second_stage_fault = {outside_gpa, true, false};
    return;
  case spinner_entry: exit.kind = GuestExitKind::interrupt; return; // never stops: the tick ends each run
  case stuck_entry:                                                 // waits for an event nobody sends
    exit.kind = GuestExitKind::halt;
    exit.halt.interrupts_off = false;
    return;
  case halted_entry: // halts with interrupts off, as a kernel's power-off path ends
    exit.kind = GuestExitKind::halt;
    exit.halt.interrupts_off = true;
    return;
  case debug_entry: // "hey\n" on the debug console port, then halts for good
    if (cpu.entries <= 4) {
      exit.kind = GuestExitKind::port_io;
      exit.io = {0xe9, 1, true, static_cast<std::uint32_t>("hey\n"[cpu.entries - 1])};
      return;
    }
    exit.kind = GuestExitKind::halt;
    exit.halt.interrupts_off = true;
    return;
  case fpu_entry: fpu_guest(cpu, exit); return;
  case sleeper_entry: // binds VIRQ_TIMER, maps shared_info, sleeps 30 ms, looks at its clock, powers off
    switch (cpu.entries) {
    case 1: hypercall(exit, hc::event_channel_op, hv::abi::evtchnop::bind_virq, bind_timer_gpa); return;
    case 2: hypercall(exit, hc::memory_op, hv::abi::xenmem::add_to_physmap, map_shared_gpa); return;
    case 3:
      cpu.counter_offset = 777; // as if it had set its own counter
      hypercall(exit, hc::vcpu_op, hv::abi::vcpuop::set_singleshot_timer, 0, timer_gpa);
      return;
    case 4: hypercall(exit, hc::sched_op, hv::abi::schedop::block, 0); return;
    default: {
      const auto* shared = static_cast<const hv::abi::SharedInfo<hv::abi::GuestWidth::bits64>*>(
          hv::host::guest_memory(cpu, shared_gfn * 0x1000));
      if (shared == nullptr) { // not in its second-stage tables yet: the load faults, as on hardware
        exit.kind = GuestExitKind::second_stage_fault;
        exit.second_stage_fault = {shared_gfn * 0x1000, false, false};
        return;
      }
      if (sleeper_view.woke_at_entry == 0) { // just woken: what the timer's event left
        sleeper_view.woke_at_entry = cpu.entries;
        sleeper_view.time = shared->vcpu_info[0].time;
        sleeper_view.wc_version = shared->clock_and_arch.wc_version;
        sleeper_view.wc_sec = shared->clock_and_arch.wc_sec;
      }
      if (cpu.entries < sleeper_view.woke_at_entry + 5) { // then runs through a few ticks
        exit.kind = GuestExitKind::interrupt;
        return;
      }
      sleeper_view.later = shared->vcpu_info[0].time;
      hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
      return;
    }
    }
  case ringer_entry: // prints through its console ring, and leaves a last line in it unannounced
    switch (cpu.entries) {
    case 1: hypercall(exit, hc::hvm_op, hv::abi::hvmop::get_param, evtchn_param_gpa); return;
    case 2: hypercall(exit, hc::hvm_op, hv::abi::hvmop::get_param, pfn_param_gpa); return;
    case 3: {
      ring_write(cpu, "ring says hi\n");
      const auto* port = static_cast<const hv::abi::HvmParam*>(hv::host::guest_memory(cpu, evtchn_param_gpa));
      *static_cast<hv::abi::EvtchnSend*>(hv::host::guest_memory(cpu, send_gpa)) = {
          static_cast<std::uint32_t>(port->value)};
      hypercall(exit, hc::event_channel_op, hv::abi::evtchnop::send, send_gpa);
      return;
    }
    default:
      ring_write(cpu, "unfinished");
      hypercall(exit, hc::sched_op, hv::abi::schedop::shutdown, shutdown_gpa);
      return;
    }
  case builder_entry: builder(cpu, exit); return;
  case toolstack_entry: toolstack(cpu, exit); return;
  case counter_entry: counter(cpu, exit); return;
  case saver_entry: saver(cpu, exit); return;
  case scribbler_entry: scribbler(cpu, exit); return;
  case logger_entry: logger(cpu, exit); return;
  default: exit.kind = GuestExitKind::unhandled; return;
  }
}

Bytes image(std::uint64_t entry) {
  hv::test::TestElf elf(2, false);
  elf.entry = entry;
  Bytes bytes(0x1800, 0);
  const std::string text = "hi\n";
  std::copy(text.begin(), text.end(), bytes.begin() + (text_gpa - 0x1000));
  auto place = [&](std::uint64_t gpa, const auto& record) {
    std::memcpy(bytes.data() + (gpa - 0x1000), &record, sizeof record);
  };
  place(bind_timer_gpa, hv::abi::EvtchnBindVirq{hv::abi::virq::timer, 0, 0});
  place(map_shared_gpa, hv::abi::AddToPhysmap<hv::abi::GuestWidth::bits64>{
                            hv::abi::domid_self, 0, hv::abi::mapspace::shared_info, 0, shared_gfn});
  place(timer_gpa, hv::abi::SetSingleshotTimer<hv::abi::GuestWidth::bits64>{sleep_until_ns, 0});
  place(evtchn_param_gpa, hv::abi::HvmParam{hv::abi::domid_self, 0, hv::abi::hvm_param::console_evtchn, 0});
  place(pfn_param_gpa, hv::abi::HvmParam{hv::abi::domid_self, 0, hv::abi::hvm_param::console_pfn, 0});
  elf.load(0x1000, bytes, bytes.size());
  return elf.bytes();
}

hv::test::Node guest(const std::string& name, std::uint64_t entry, std::vector<hv::test::Prop> extra = {},
                     std::uint32_t memory_kib = 512) {
  hv::test::Node n =
      hv::test::bare(name, {hv::test::str("compatible", "hv,domain"), hv::test::raw("hv,image", image(entry)),
                            hv::test::cell("hv,memory-kib", memory_kib)});
  n.props.insert(n.props.end(), extra.begin(), extra.end());
  return n;
}

hv::test::BootRun boot(const hv::test::Description& description, const char* command_line = "") {
  hv::host::set_guest_program(program);
  return hv::test::boot_host(hv::test::board_blob("host-test"), command_line, description.blob());
}

hv::test::Description domains(std::vector<hv::test::Node> nodes, std::vector<hv::test::Prop> root = {}) {
  hv::test::Description d;
  d.root.insert(d.root.end(), root.begin(), root.end());
  d.domains = std::move(nodes);
  return d;
}

using hv::test::contains;

/// Whether the closing facts say that every frame came back and no domain is left.
bool every_frame_back(const std::string& console) {
  std::smatch m;
  static const std::regex frames("hv: frames: (\\d+) free before the domains were built, (\\d+) free now, 0 domain");
  return std::regex_search(console, m, frames) && m[1] == m[2];
}

} // namespace

TEST_CASE("a domain is built, prints, powers off, and gives back every frame") {
  const hv::test::BootRun run = boot(domains({guest("hello", hello_entry)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "domain d1 hello: built, 512 KiB, 1 vCPU, weight 256, cap 0, entry 0x1000"));
  CHECK(contains(run.console, "domain d1 hello: started"));
  CHECK(contains(run.console, "(d1) hi\n"));
  CHECK(contains(run.console, "(d1) ok\n"));
  CHECK(contains(run.console, "domain d1 hello: stopped (poweroff) after 5 exits"));
  CHECK(contains(run.console, "hv: the run ends after "));
  CHECK(contains(run.console, "hv: machine stops (every domain has stopped), status success"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a domain of four vCPUs is built with each vCPU's context, vCPU 0 alone running; every frame back") {
  const hv::test::BootRun run = boot(domains({guest("hello", hello_entry, {hv::test::cell("hv,vcpus", 4)})}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "domain d1 hello: built, 512 KiB, 4 vCPU, weight 256, cap 0, entry 0x1000"));
  CHECK(contains(run.console, "domain d1 hello: stopped (poweroff) after 5 exits"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a domain that touches memory it does not own is crashed alone; the others finish") {
  const hv::test::BootRun run = boot(domains({guest("outside", outside_entry), guest("hello", hello_entry)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "domain d1 outside: touched guest-physical 0x40000000 (write) at pc 0x1100"));
  CHECK(contains(run.console, "domain d1 outside: crashed (touched memory it does not own) after 1 exits"));
  CHECK(contains(run.console, "domain d2 hello: stopped (poweroff)"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a domain that never stops runs until the description's run time, and is reported live") {
  const hv::test::BootRun run = boot(domains({guest("spinner", spinner_entry)}, {hv::test::cell("hv,run-ms", 50)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "hv: the run ends after 50 ms: its run time (hv,run-ms) is up"));
  CHECK(
      std::regex_search(run.console, std::regex("domain d1 spinner: still running after \\d+ exits, \\d+ us of CPU")));
  CHECK(contains(run.console, "1 domain(s) live"));
  CHECK(contains(run.console, "hv: machine stops (its run time (hv,run-ms) is up), status success"));
}

TEST_CASE("weights share the CPU between domains that never stop") {
  const hv::test::BootRun run = boot(domains({guest("light", spinner_entry, {hv::test::cell("hv,weight", 256)}),
                                              guest("heavy", spinner_entry, {hv::test::cell("hv,weight", 768)})},
                                             {hv::test::cell("hv,run-ms", 400)}));
  INFO(run.console);
  std::smatch light, heavy;
  REQUIRE(
      std::regex_search(run.console, light, std::regex("domain d1 light: still running after \\d+ exits, (\\d+) us")));
  REQUIRE(
      std::regex_search(run.console, heavy, std::regex("domain d2 heavy: still running after \\d+ exits, (\\d+) us")));
  const double share = std::stod(heavy[1]) / (std::stod(light[1]) + std::stod(heavy[1]));
  CHECK(share > 0.70);
  CHECK(share < 0.80);
}

TEST_CASE("a run where every domain waits for an event nobody can send ends, and says so") {
  const hv::test::BootRun run = boot(domains({guest("stuck", stuck_entry)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "hv: machine stops (every live domain waits for an event that nothing can send)"));
  CHECK(contains(run.console, "domain d1 stuck: still running after 1 exits"));
  CHECK(contains(run.console, "1 of 1 vCPUs blocked"));
}

TEST_CASE("a vCPU that halts with interrupts off is taken down, and its domain powers off with it") {
  const hv::test::BootRun run = boot(domains({guest("halted", halted_entry), guest("stuck", stuck_entry)}));
  CHECK(contains(run.console, "domain d1 halted: vCPU 0 halted with interrupts off: taken down"));
  CHECK(contains(run.console, "domain d1 halted: stopped (poweroff) after 1 exits"));
  CHECK(contains(run.console, "domain d2 stuck: still running after 1 exits"));
  CHECK(run.status == hv::ExitStatus::success);
}

TEST_CASE("bytes written to the debug console port are the domain's lines, prefixed like its console") {
  const hv::test::BootRun run = boot(domains({guest("chatty", debug_entry)}));
  CHECK(contains(run.console, "(d1) hey\n"));
  CHECK(contains(run.console, "domain d1 chatty: stopped (poweroff) after 5 exits"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a domain the control domain builds and unpauses is never entered: its vCPU has no context yet") {
  const hv::test::BootRun run = boot(domains({guest("builder", builder_entry, {hv::test::flag("hv,privileged")})}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "domain d0 builder: stopped (poweroff)"));
  CHECK_FALSE(contains(run.console, "is not handled"));
  CHECK(contains(run.console, "1 domain(s) live")); // the built one, left for a toolstack to destroy
}

TEST_CASE("a control domain builds a domain at run time: foreign mapping, setvcpucontext, unpause; it runs, "
          "shuts down, and the control domain destroys it with every frame back") {
  toolstack_view = {};
  const hv::test::BootRun run = boot(domains({guest("toolstack", toolstack_entry, {hv::test::flag("hv,privileged")})}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  for (int i = 0; i < 6; ++i) {
    INFO("call " << i + 1);
    CHECK(toolstack_view.results[i] == (i == 2 ? 1 : 0)); // populate_physmap: one extent done
  }
  CHECK(toolstack_view.mapped == 0);
  CHECK(contains(run.console, "(d1) hi\n")); // what the control domain wrote into its memory
  CHECK(contains(run.console, "(d1) ok\n"));
  CHECK((toolstack_view.seen_flags & hv::abi::dominf::shutdown) != 0);
  CHECK((toolstack_view.seen_flags >> hv::abi::dominf::shutdown_shift & 0xff) == 0); // poweroff
  CHECK(contains(run.console, "domain d0 toolstack: stopped (poweroff)"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("an image for another architecture is refused by name before anything runs") {
  hv::test::Node wrong = guest("wrong", hello_entry);
  hv::test::TestElf elf32(1, false);
  elf32.load(0x1000, hv::test::pattern(64, 1), 64);
  wrong.props[1] = hv::test::raw("hv,image", elf32.bytes());
  const hv::test::BootRun run = boot(domains({wrong}));
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: domain wrong cannot be built: its ELF image is not for this architecture"));
  CHECK(contains(run.console, "hv: machine stops (a domain could not be built), status failure"));
}

TEST_CASE("a domain whose image does not fit its memory is refused, and nothing else is said of it") {
  hv::test::Node big = guest("big", hello_entry);
  hv::test::TestElf elf(2, false);
  elf.entry = 0x80000;
  elf.load(0x80000, hv::test::pattern(64, 1), 64); // just past the 512 KiB the domain is given
  big.props[1] = hv::test::raw("hv,image", elf.bytes());
  const hv::test::BootRun run = boot(domains({guest("hello", hello_entry), big}));
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: domain big cannot be built: ELF: loadable segment 0 does not fit"));
  CHECK(contains(run.console, "hv: machine stops (a domain could not be built), status failure"));
  CHECK_FALSE(contains(run.console, "domain d2 big:")); // never built, so neither destroyed
}

TEST_CASE("a description the reader refuses stops the machine naming the problem") {
  const hv::test::BootRun run = boot(domains({guest("hello", hello_entry, {hv::test::str("hv,expect", "poweroff")})}));
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: domain description: /domains/hello: unknown property hv,expect"));
  CHECK(contains(run.console, "hv: machine stops (the domain description is refused), status failure"));
}

TEST_CASE("without virtualization the hypervisor says it cannot run the domains it was given") {
  hv::host::set_virtualization_available(false);
  const hv::test::BootRun run = boot(domains({guest("hello", hello_entry)}));
  hv::host::set_virtualization_available(true);
  CHECK(run.status == hv::ExitStatus::failure);
  CHECK(contains(run.console, "hv: scripted cannot run domains: the scripted CPU was turned off by the test"));
  CHECK(contains(run.console, "hv: machine stops (no hardware virtualization for the domains), status failure"));
}

TEST_CASE("three domains that yield to each other keep their own floating-point registers, with or without a "
          "first-use trap") {
  const bool trap = GENERATE(false, true);
  INFO("first-use trap " << trap);
  hv::host::set_fpu_first_use_trap(trap);
  fpu_last = nullptr;
  fpu_switches = 0;
  const hv::test::BootRun run =
      boot(domains({guest("first", fpu_entry), guest("second", fpu_entry), guest("third", fpu_entry)}));
  hv::host::set_fpu_first_use_trap(false);
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK_FALSE(contains(run.console, "is not handled"));
  // Every step but the last yields to another domain; with the trap, each step after a switch traps first.
  const std::string exits = std::to_string(trap ? 2 * fpu_rounds : fpu_rounds);
  CHECK(contains(run.console, "domain d1 first: stopped (poweroff) after " + exits + " exits"));
  CHECK(contains(run.console, "domain d2 second: stopped (poweroff) after " + exits + " exits"));
  CHECK(contains(run.console, "domain d3 third: stopped (poweroff) after " + exits + " exits"));
  CHECK(fpu_switches >= static_cast<int>(2 * fpu_rounds));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a blocked vCPU wakes at its timer's deadline and finds its time record and wall clock current") {
  sleeper_view = SleeperView{};
  const hv::test::BootRun run = boot(domains({guest("sleeper", sleeper_entry)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "domain d1 sleeper: stopped (poweroff)"));
  // Without the timer the run would end at once: every domain waiting for an event nothing can send.
  CHECK(std::regex_search(run.console, std::regex("hv: the run ends after 3[0-5] ms: every domain has stopped")));
  CHECK(sleeper_view.time.version % 2 == 0);
  CHECK(sleeper_view.time.version >= 2);
  CHECK(sleeper_view.time.system_time >= sleep_until_ns);
  CHECK(sleeper_view.time.system_time <= sleep_until_ns + 1'000'000); // refreshed when the timer fired
  // The host's timer counts nanoseconds; the guest's counter runs 777 ahead of it.
  CHECK(sleeper_view.time.tsc_timestamp == sleeper_view.time.system_time + 777);
  CHECK(sleeper_view.time.tsc_to_system_mul == 1u << 31);
  CHECK(sleeper_view.time.tsc_shift == 1);
  // Ticks that found it running kept its record fresh.
  CHECK(sleeper_view.later.version > sleeper_view.time.version);
  CHECK(sleeper_view.later.system_time >= sleeper_view.time.system_time + 3'000'000);
  CHECK(sleeper_view.wc_version == 2);
  CHECK(sleeper_view.wc_sec == hv::host::boot_wall_clock_s);
  CHECK(every_frame_back(run.console));
}

TEST_CASE("a domain prints through its console ring; what it left there unannounced is printed as it goes") {
  const hv::test::BootRun run = boot(domains({guest("ringer", ringer_entry)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(contains(run.console, "(d1) ring says hi\n"));
  CHECK(contains(run.console, "(d1) unfinished\n"));
  CHECK(contains(run.console, "domain d1 ringer: stopped (poweroff)"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("the control domain saves a counting domain mid-run into its memory in pieces, destroys it, and "
          "restores it as a new domain that counts on to the right total, its vCPU 1 still waiting for "
          "VCPUOP_initialise; every frame comes back") {
  counter_view = {};
  saver_view = {};
  const hv::test::BootRun run = boot(domains({guest("saver", saver_entry, {hv::test::flag("hv,privileged")}),
                                              guest("counter", counter_entry, {hv::test::cell("hv,vcpus", 2)}, 128)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(saver_view.failed == 0);
  CHECK(saver_view.paused_at > 0);
  CHECK(saver_view.paused_at < counter_total);
  CHECK(saver_view.size > 32 * 4096); // its 128 KiB, page by page, and more
  CHECK(saver_view.copied == saver_view.size);
  CHECK(saver_view.refused == -22); // -EINVAL, and said why:
  CHECK(contains(run.console, "save stream refused: not a save stream: no HVSTREAM at its start"));
  CHECK(saver_view.restored == 0);
  CHECK(saver_view.restored_id > 1);
  CHECK((saver_view.seen_flags & hv::abi::dominf::shutdown) != 0);
  CHECK((saver_view.seen_flags >> hv::abi::dominf::shutdown_shift & 0xff) == 0); // poweroff, not a crash
  CHECK(counter_view.count == counter_total);
  CHECK(counter_view.entries == counter_total);
  // The build made vCPU 1's context, the guest never set its registers: the restored vCPU is no more
  // initialised than the saved one was, so VCPUOP_up is refused (-EINVAL) rather than start it.
  CHECK(counter_view.up == -22);
  CHECK(contains(run.console, "domain d1 counter: destroyed by the control domain"));
  CHECK(every_frame_back(run.console));
}

TEST_CASE("the control domain keeps a writing domain's dirty log (XEN_DOMCTL_shadow_op): its writes fault "
          "once a page a round and are logged, its memory as it wrote it; every frame comes back") {
  scribbler_view = {};
  logger_view = {};
  const hv::test::BootRun run = boot(domains({guest("logger", logger_entry, {hv::test::flag("hv,privileged")}),
                                              guest("scribbler", scribbler_entry, {}, 128)}));
  INFO(run.console);
  CHECK(run.status == hv::ExitStatus::success);
  CHECK(logger_view.enabled == 0);
  CHECK(logger_view.again == -95); // -EOPNOTSUPP: shadow paging is not offered
  CHECK(logger_view.peeked == 0);
  CHECK(logger_view.covered == 32); // its 128 KiB
  CHECK(logger_view.cleaned == 0);
  CHECK(logger_view.dirty == 4); // the four pages it writes, each once
  CHECK(logger_view.faults >= 4);
  CHECK(logger_view.bits == 0x0f);
  CHECK(logger_view.unknown == -95);
  CHECK(logger_view.off == 0);
  CHECK(logger_view.after_off == -22); // no log to clean
  CHECK(scribbler_view.writes == scribble_total);
  CHECK(scribbler_view.faults >= 4);
  CHECK(every_frame_back(run.console));
}
