// SPDX-License-Identifier: Apache-2.0
// misbehave: a guest that does what guests must not, to show the hypervisor refuses each thing and
// stops this domain alone. First bad hypercall arguments (each must come back as the right error, the
// guest carrying on), then an instruction the hypervisor refuses, then, by its command line:
//   mode=npf           writes far outside its memory: the hypervisor must crash the domain
//   mode=triple-fault  breaks its own CPU (no IDT): the hypervisor must crash the domain
#include "../lib/guest.hpp"

#include <hv/abi/memory.hpp>

namespace guest {
namespace {

constexpr ulong outside = 0x4000'0000; // 1 GiB: beyond any test guest's memory
constexpr ulong no_such_hypercall = 63;
constexpr i64 efault = static_cast<i64>(hv::Err::fault);
constexpr i64 enosys = static_cast<i64>(hv::Err::nosys);
constexpr i64 einval = static_cast<i64>(hv::Err::inval);

void bad_arguments() {
  using namespace hv::abi;
  expect("console_io from outside memory", hypercall(hypercall::console_io, consoleio::write, 64, outside), efault);
  expect("an unknown hypercall", hypercall(no_such_hypercall, 1, 2, 3), enosys);
  expect("sched_op shutdown with its argument outside memory",
         hypercall(hypercall::sched_op, schedop::shutdown, outside), efault);
  expect("an unknown event channel operation", hypercall(hypercall::event_channel_op, 99, 0), enosys);
  EvtchnSend never_bound{1000};
  expect("send on a port never bound", hypercall(hypercall::event_channel_op, evtchnop::send, address(&never_bound)),
         einval);
  expect("memory_op add_to_physmap with its record outside memory",
         hypercall(hypercall::memory_op, xenmem::add_to_physmap, outside), efault);
  Line() << "misbehave: 6 bad hypercalls refused with the right errors";
}

} // namespace

void guest_main() {
  bad_arguments();
  const char* what = "";
  if (!arch::refused_instruction_faults(what)) fail("a refused instruction faulted", 0, 1);
  Line() << "misbehave: " << what;

  char mode[16] = "";
  option_text("mode", mode, sizeof mode);
  if (mode[0] == 'n') {
    Line() << "misbehave: writing guest-physical " << static_cast<u64>(outside) << ", outside my memory";
    *reinterpret_cast<volatile u32*>(outside) = 1;
  } else if (mode[0] == 't') {
    Line() << "misbehave: " << arch::stop_cpu_hard_how();
    arch::stop_cpu_hard();
  } else {
    return;
  }
  Line() << "misbehave: still running after that: the hypervisor let it pass";
  shutdown(hv::abi::ShutdownReason::poweroff); // a poweroff where a crash was expected fails the scenario
}

} // namespace guest
