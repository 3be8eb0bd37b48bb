// SPDX-License-Identifier: Apache-2.0
// The LPAR backend's self-test: with "lpar-selftest=1" on the command line, Virtualization::enable runs
// the self-test guest (tests/guests/ppc64/selftest.S) through this backend before any domain, to prove
// on the machine what the hello guest never exercises and the domain runner will rely on: the
// hypervisor's decrementer preempting a guest that never exits (with the tick still pending for the
// hypervisor afterwards), second-stage faults with their guest-physical address, the upcall's delivery
// rules, illegal instructions reflected into the guest as program interrupts (and one that cannot be,
// stopping its CPU). It drives the backend as common code does, through the contract's functions, and
// stops the machine with the failure status when anything differs. A probe: built only with
// -Dprobes=true.
// It also reads back the boot device tree build_boot_info writes (guest-hello boots without one).
#include "lpar_state.hpp"

#include <hv/command_line.hpp>
#include <hv/console.hpp>
#include <hv/stop.hpp>
#include <hv/string.hpp>

#include <ppc64/interrupt_vectors.hpp>
#include <ppc64/trap_backend.hpp>

#include <libfdt.h>

extern "C" {
extern const hv::u8 hv_guest_selftest_start[];
extern const hv::u8 hv_guest_selftest_end[];
extern const hv::u8 hv_guest_selftest_enabled[];
extern const hv::u8 hv_guest_selftest_broken_handler[];
}

namespace hv::ppc64::lpar {
namespace {

using V = port::Virtualization;

constexpr u32 selftest_lpid = 2; // guest-hello's domain 1 is LPID 1
constexpr u64 memory_bytes = 64u << 10;
constexpr PhysAddr entry = 0x1000;
constexpr u64 tick_hz = 1000;
constexpr u64 max_exits = 10'000;

// selftest.S's tests (r3 at entry) and reports (r3 of its `sc 1`).
constexpr u64 test_spin = 1, test_outside = 2, test_upcall = 3, test_emulation = 4, test_broken_handler = 5;
constexpr u64 mark_ready = 0x1001, mark_enabling = 0x1002, mark_done = 0x1003, mark_upcall = 0x1500;
constexpr PhysAddr outside_store = 0x4000'0000, outside_load = 0x10008, outside_jump = 0x30'0000;
constexpr u64 illegal_instructions = 4; // selftest.S's test 4
constexpr u64 instruction_bytes = 4;

[[noreturn]] void fail(StrView what) {
  print("lpar: self-test FAILED: {}\n", what);
  stop_machine(ExitStatus::failure, "the LPAR self-test failed");
}

/// The NUL-terminated string property `name` of the node at `path`, or "" when there is none.
StrView tree_string(const void* fdt, const char* path, const char* name) {
  const int node = fdt_path_offset(fdt, path);
  int length = 0;
  const auto* value = node < 0 ? nullptr : static_cast<const char*>(fdt_getprop(fdt, node, name, &length));
  if (value == nullptr || length <= 0 || value[length - 1] != '\0') return "";
  return StrView(value);
}

void boot_device_tree() {
  alignas(8) static u8 buffer[4096]; // libfdt reads only 8-byte aligned trees
  const GuestBootInfo boot{7, 2, 2u << 20, 0x1f'0000, "console=hvc0 quiet"};
  usize used = 0;
  if (!V::build_boot_info(boot, buffer, sizeof(buffer), used) || used == 0 || used > sizeof(buffer))
    fail("build_boot_info wrote no tree");
  if (fdt_check_full(buffer, used) != 0) fail("the boot device tree is malformed");
  int length = 0;
  const auto* reg =
      static_cast<const fdt64_t*>(fdt_getprop(buffer, fdt_path_offset(buffer, "/memory@0"), "reg", &length));
  if (reg == nullptr || length != 16 || fdt64_to_cpu(reg[0]) != 0 || fdt64_to_cpu(reg[1]) != boot.memory_bytes)
    fail("the boot device tree's /memory@0 is not the guest's RAM");
  if (tree_string(buffer, "/", "compatible") != StrView("hv,ppc64-guest") ||
      tree_string(buffer, "/chosen", "bootargs") != boot.command_line ||
      tree_string(buffer, "/hypervisor", "compatible") != StrView("hv,hypervisor") ||
      tree_string(buffer, "/cpus/cpu@1", "device_type") != StrView("cpu"))
    fail("the boot device tree lacks a node or property of the guest ABI");
  print("lpar: self-test: boot device tree of {} bytes, hypervisor {}, bootargs \"{}\"\n", used,
        tree_string(buffer, "/hypervisor", "version"), tree_string(buffer, "/chosen", "bootargs"));
}

/// Where the guest may be when a timer exit interrupts it: anywhere unless a test says otherwise.
class SelfTest {
public:
  explicit SelfTest(FrameSource& frames) : frames_(frames) {
    if (!V::create_space(frames_, space_, selftest_lpid)) fail("cannot create the guest's space");
    for (PhysAddr gpa = 0; gpa < memory_bytes; gpa += port::Paging::page_size) {
      const PhysAddr machine = frames_.alloc_zeroed_page();
      if (machine == 0 ||
          !V::map_guest_page(frames_, space_, gpa, machine, MapAttr::read | MapAttr::write | MapAttr::execute))
        fail("cannot map the guest's memory");
    }
    const auto size = static_cast<usize>(hv_guest_selftest_end - hv_guest_selftest_start);
    for (usize done = 0; done < size; done += port::Paging::page_size) {
      PhysAddr machine = 0;
      if (!V::translate_guest(space_, done, machine)) fail("the guest image does not fit");
      const usize n = size - done < port::Paging::page_size ? size - done : port::Paging::page_size;
      memcpy(port::Paging::direct_map(machine), hv_guest_selftest_start + done, n);
    }
  }

  void preemption() {
    start(test_spin);
    port::Timer::start_periodic(tick_hz);
    constexpr int rounds = 3;
    for (int i = 0; i < rounds; ++i) {
      const GuestExit exit = run();
      if (exit.kind != GuestExitKind::interrupt || exit.code != vector::hypervisor_decrementer)
        fail("a guest spinning with MSR[EE]=0 did not exit for the hypervisor's decrementer");
      // HDEC's interrupt is an edge the exit consumed: the backend took the tick at the exit (re-armed
      // HDEC and counted it), so nothing is left pending and nothing is waited for.
      take_tick();
    }
    port::Timer::stop();
    print("lpar: self-test: HDEC preempted a spinning guest {} times, each tick taken at its exit\n", rounds);
  }

  void second_stage_faults() {
    start(test_outside);
    expect_fault(outside_store, true, false);
    vcpu_.state.pc += instruction_bytes;
    expect_fault(outside_load, false, false);
    vcpu_.state.pc += instruction_bytes;
    expect_fault(outside_jump, false, true);
    print("lpar: self-test: second-stage faults at gpa {:#x} (write), {:#x} (read), {:#x} (execute)\n", outside_store,
          outside_load, outside_jump);
  }

  void upcall() {
    const PhysAddr enabled = static_cast<PhysAddr>(hv_guest_selftest_enabled - hv_guest_selftest_start);
    start(test_upcall);
    port::Timer::start_periodic(tick_hz);
    u64 ticks = 0;
    expect_report(mark_ready, ticks, "the upcall guest did not start");
    V::raise_upcall(vcpu_, 0);
    expect_report(mark_enabling, ticks, "the upcall arrived while the guest had MSR[EE]=0");
    ticks = 0;
    const GuestExit taken = expect_report(mark_upcall, ticks, "the upcall never arrived");
    if (taken.hypercall.args[0] != enabled) fail("the upcall interrupted the guest before it set MSR[EE]");
    if (ticks == 0)
      print("lpar: self-test: upcall delivered as the guest set MSR[EE] (LPCR[MER])\n");
    else
      print("lpar: self-test: upcall delivered at the first entry after the guest set MSR[EE], {} timer exit(s) "
            "later (LPCR[MER] raised no exit)\n",
            ticks);
    // Back in its loop with MSR[EE]=1 (the handler reported with EE=0, then returned), raised twice: one
    // interrupt, at the next entry. A tick can end the run before the handler has returned, with EE still
    // 0: the upcall would then wait for the guest to set EE, which QEMU's LPCR[MER] reports with no exit,
    // and with the timer stopped below nothing would end the run. So ticks are taken until one finds the
    // guest back in its loop.
    for (u64 exits = 0;; ++exits) {
      if (exits == max_exits || run().kind != GuestExitKind::interrupt)
        fail("the upcall guest did not return to its loop");
      take_tick();
      if ((vcpu_.state.msr & ppc64::msr::ee) != 0) break;
    }
    // Delivered at the entry: the guest starts in its handler. The tick is stopped meanwhile: it runs in
    // the emulator's real time, and on a loaded host the next one could be pending at that very entry,
    // which would then end in a timer exit before the guest ran an instruction, telling nothing.
    port::Timer::stop();
    V::raise_upcall(vcpu_, 0);
    V::raise_upcall(vcpu_, 0);
    ticks = 0;
    expect_report(mark_upcall, ticks, "a second upcall never arrived");
    if (ticks != 0) fail("an upcall to a guest with MSR[EE]=1 waited for a timer exit");
    port::Timer::start_periodic(tick_hz);
    const GuestExit after = run();
    if (after.kind != GuestExitKind::interrupt) fail("an upcall raised twice was delivered twice");
    take_tick();
    port::Timer::stop();
    print("lpar: self-test: upcall to a guest with MSR[EE]=1 delivered at entry, once when raised twice\n");
  }

  void illegal_instructions_reflected() {
    start(test_emulation);
    u64 ticks = 0;
    const GuestExit done =
        expect_report(mark_done, ticks, "an illegal instruction did not come back to the guest as a program interrupt");
    if (done.hypercall.args[0] != illegal_instructions)
      fail("the guest's program-interrupt handler did not run once per illegal instruction");
    print("lpar: self-test: {} illegal instructions reflected into the guest as program interrupts, {} timebase "
          "ticks each (the exit's reflection at the vector, the guest's own handler)\n",
          illegal_instructions, done.hypercall.args[1] / illegal_instructions);

    const PhysAddr broken = static_cast<PhysAddr>(hv_guest_selftest_broken_handler - hv_guest_selftest_start);
    start(test_broken_handler);
    u64 ticks_before_stop = 0;
    const GuestExit stopped = run_past_ticks(
        ticks_before_stop, "an illegal instruction in the guest's program-interrupt handler did not stop its CPU");
    if (stopped.kind != GuestExitKind::guest_stopped || stopped.pc != broken)
      fail("an illegal instruction in the guest's program-interrupt handler did not stop its CPU");
    print("lpar: self-test: an illegal instruction in the guest's program-interrupt handler stops its CPU ({})\n",
          stopped.stop_reason);
  }

private:
  // The run time's policy for the floating-point registers (hv/domains/lazy_fpu.hpp) does not run here yet:
  // the test's one vCPU loads them and its kept SPRs itself, and the first domain to run loads its own.
  void start(u64 test) {
    if (!V::create_vcpu(frames_, vcpu_, space_, GuestStart{entry, test})) fail("cannot create a vCPU");
    V::load_fpu(vcpu_);
  }

  GuestExit run() {
    GuestExit exit;
    V::run(vcpu_, exit);
    return exit;
  }

  /// What common code does after an `interrupt` exit: take what is pending, wait for nothing.
  static void take_tick() { port::Cpu::take_pending_interrupts(); }

  void expect_fault(PhysAddr gpa, bool write, bool execute) {
    const GuestExit exit = run();
    if (exit.kind != GuestExitKind::second_stage_fault || exit.second_stage_fault.gpa != gpa ||
        exit.second_stage_fault.write != write || exit.second_stage_fault.execute != execute) {
      print("lpar: self-test: exit {:#x} at pc {:#x}, gpa {:#x}\n", exit.code, exit.pc, exit.second_stage_fault.gpa);
      fail("an access outside the guest's memory did not give the expected second-stage fault");
    }
  }

  /// Runs to the guest's next exit other than a timer exit, taking those on the way (counted in `ticks`).
  /// Fails with `otherwise` when the guest never gets past them.
  GuestExit run_past_ticks(u64& ticks, StrView otherwise) {
    for (u64 exits = 0; exits < max_exits; ++exits) {
      const GuestExit exit = run();
      if (exit.kind != GuestExitKind::interrupt) return exit;
      take_tick();
      ++ticks;
    }
    fail(otherwise);
  }

  /// Runs to the guest's next report, which must be `mark`, taking timer exits on the way.
  GuestExit expect_report(u64 mark, u64& ticks, StrView otherwise) {
    GuestExit exit = run_past_ticks(ticks, otherwise);
    if (exit.kind != GuestExitKind::hypercall || exit.hypercall.number != mark) fail(otherwise);
    V::complete(vcpu_, exit);
    return exit;
  }

  FrameSource& frames_;
  V::Space space_{};
  V::Vcpu vcpu_{};
};

} // namespace

void self_test_if_asked(FrameSource& frames) {
  if (command_line_value(port::Machine::command_line(), "lpar-selftest", "0") != StrView("1")) return;
  static SelfTest test(frames);
  test.preemption();
  test.second_stage_faults();
  test.upcall();
  test.illegal_instructions_reflected();
  boot_device_tree();
  print("lpar: self-test passed\n");
}

} // namespace hv::ppc64::lpar
