// SPDX-License-Identifier: Apache-2.0
// What each kind of exit means: hypercalls go to the core's dispatcher, port I/O to the domain's
// emulated UART (an empty bus elsewhere), faults outside a domain's memory and stopped CPUs crash it.
// Included by hypervisor.cpp alone, so that the run loop inlines it: called across files, every exit
// paid about 25 instructions more (tests/bench/icount).
#pragma once

#include <hv/abi/event_channel.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/vcpu.hpp>
#include <hv/abi/version.hpp>
#include <hv/config.hpp>
#include <hv/console.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/domains/hypervisor.hpp>

#include <port.hpp>

namespace hv {

// The hot exits, which guests make all the time, touch the vCPU itself and what has a lock of its own:
// its domain's ports (a send, an unmask), its timers, the run queues (a yield, a block, a poll, a halt).
// The others may change what other CPUs read (a domain's state or memory map, channels being bound,
// another domain) and are handled under the core lock. A 32-bit guest's arguments are compared whole: one
// with bits set above 32 is taken for a cold one, which is merely slower.
inline bool Hypervisor::needs_core_lock(const GuestExit& exit) const {
  switch (exit.kind) {
  case GuestExitKind::cpuid:
  case GuestExitKind::fpu_unavailable:
  case GuestExitKind::interrupt: return false;               // due vCPU timers fire without it (VcpuTimers::expire)
  case GuestExitKind::halt: return exit.halt.interrupts_off; // taken down: the domain may end
  case GuestExitKind::hypercall: {
    const u64 cmd = exit.hypercall.args[0];
    switch (exit.hypercall.number) {
    case abi::hypercall::xen_version: return cmd != abi::xenver::version && cmd != abi::xenver::pagesize;
    case abi::hypercall::sched_op:
      return cmd != abi::schedop::yield && cmd != abi::schedop::block && cmd != abi::schedop::poll;
    case abi::hypercall::event_channel_op: return cmd != abi::evtchnop::send && cmd != abi::evtchnop::unmask;
    case abi::hypercall::set_timer_op: return false;
    case abi::hypercall::vcpu_op:
      return cmd != abi::vcpuop::set_singleshot_timer && cmd != abi::vcpuop::stop_singleshot_timer &&
             cmd != abi::vcpuop::set_periodic_timer && cmd != abi::vcpuop::stop_periodic_timer &&
             cmd != abi::vcpuop::is_up;
    default: return true;
    }
  }
  default: return true;
  }
}

inline void Hypervisor::handle(Vcpu& v, GuestExit& exit) {
  using V = port::Virtualization;
  constexpr u64 page = FrameAllocator::frame_size;
  Domain& d = *v.domain;
  switch (exit.kind) {
  case GuestExitKind::hypercall: {
    const u64 nr = exit.hypercall.number;
    if constexpr (config::probes)
      if (first_guest_output_ == 0 && nr == abi::hypercall::console_io) first_guest_output_ = port::Cpu::cycles();
    const i64 result = dispatch(env_, d, v, nr, exit.hypercall.args[0], exit.hypercall.args[1], exit.hypercall.args[2]);
    if (result == hypercall_again) [[unlikely]] { // the loop makes the call again (several CPUs only)
      this_cpu().again = true;
      break;
    }
    exit.result[0] = static_cast<u64>(result);
    V::complete(v.arch, exit);
    break;
  }
  case GuestExitKind::port_io: {
    const u32 base = V::uart_port;
    const bool uart = base != 0 && exit.io.port >= base && exit.io.port - base < Uart16550::register_count;
    if (exit.io.write) {
      if (uart) {
        if constexpr (config::probes)
          if (first_guest_output_ == 0) first_guest_output_ = port::Cpu::cycles();
        d.uart.write(exit.io.port - base, static_cast<u8>(exit.io.value));
      } else if (V::debug_port != 0 && exit.io.port == V::debug_port) {
        d.debug_console.put(static_cast<char>(exit.io.value));
      }
    } else {
      exit.result[0] = uart ? d.uart.read(exit.io.port - base) : ~u64{0}; // an empty bus reads all ones
    }
    V::complete(v.arch, exit);
    break;
  }
  case GuestExitKind::cpuid: V::complete(v.arch, exit); break;
  case GuestExitKind::halt:
    if (exit.halt.interrupts_off) {
      take_down(v);
    } else if (domains_.vcpu_block(v)) { // unless an event is already waiting
      // A device timer of the vCPU's own (x86's local APIC) wakes it too.
      if (const u64 at = interrupt_deadline<V>(v.arch); at != ~u64{0}) [[unlikely]]
        timers_.wake_at(v, time_.ns(at));
    }
    break;
  case GuestExitKind::fpu_unavailable: fpu_[port::Cpu::index()].first_use(v.arch); break; // its instruction runs again
  case GuestExitKind::ipi: deliver_ipi(v, exit); break;
  case GuestExitKind::interrupt:
    // The hypervisor's own interrupt (the scheduler's tick), pending since the exit or taken by the
    // backend already: handled now, without waiting for another. Every tick ends a guest's run, so vCPU
    // timers are checked here, within a tick of their deadline, and the running vCPU's time record is
    // kept fresh.
    port::Cpu::take_pending_interrupts();
    after_tick(&v);
    break;
  case GuestExitKind::second_stage_fault: {
    const u64 gfn = exit.second_stage_fault.gpa / page;
    const GuestPhysMap::Entry e = d.p2m.lookup(gfn);
    // A write the dirty log wanted to see: the page is dirty for this round, and writable until the next.
    if (exit.second_stage_fault.write && e.kind == GuestPhysMap::Kind::ram) (void)dirty::note_write(d, gfn);
    if (e.present() && map_from_p2m(d, gfn)) break; // mapped since: fill and retry
    print("domain d{} {}: touched guest-physical {:#x} ({}) at pc {:#x}, outside its memory\n", d.id, d.name,
          exit.second_stage_fault.gpa, exit.second_stage_fault.write ? "write" : "read", exit.pc);
    crash(d, "touched memory it does not own");
    break;
  }
  case GuestExitKind::guest_stopped:
    print("domain d{} {}: its CPU stopped ({}) at pc {:#x}\n", d.id, d.name, exit.stop_reason, exit.pc);
    crash(d, "its CPU stopped");
    break;
  case GuestExitKind::unhandled:
    print("domain d{} {}: exit {:#x} at pc {:#x} is not handled\n", d.id, d.name, exit.code, exit.pc);
    crash(d, "made an exit the hypervisor does not handle");
    break;
  }
}

} // namespace hv
