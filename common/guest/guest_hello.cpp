// The "guest-hello" scenario: one tiny guest (the port's built-in "hello" image) in its own 2 MiB of
// guest-physical memory, run on the port's hardware virtualization backend until it shuts itself down.
// The hypervisor answers its hypercalls (console_io, sched_op, xen_version), emulates a 16550 where the
// image says its console UART is, and passes when the guest powers off by itself.
//
// Common code: the backend is reached only through contract/virtualization.hpp. A port without one
// (hv::port::Virtualization left incomplete) fails the scenario by name.
//
// With "bench=1" on the command line it also prints instruction counts of two round trips, timed with
// Cpu::cycles() at consecutive entries into the guest (instruction-exact under QEMU -icount).
#include <contract/virtualization.hpp>
#include <hv/abi/errno.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/xen.hpp>
#include <hv/command_line.hpp>
#include <hv/console.hpp>
#include <hv/guest/console_line.hpp>
#include <hv/guest/guest_memory.hpp>
#include <hv/guest/uart16550.hpp>
#include <hv/scenario.hpp>
#include <hv/verdict.hpp>

#include <port.hpp>

namespace hv {
namespace {

constexpr u32 domain_id = 1;
constexpr u64 guest_memory_bytes = 2u << 20;
// The hello guest needs a few dozen exits; a guest still running after this many is stuck in a loop.
constexpr u64 max_exits = 100'000;

/// Instruction counts of the round trips bench=1 reports (0: not seen).
struct Bench {
  u64 hypercall_round_trip = 0;
  u64 cpuid_round_trip = 0;
};

template <class V> class HelloDomain {
public:
  HelloDomain() : uart_(serial_) {}

  [[noreturn]] void run(const ScenarioContext& context) {
    const char* reason = "";
    if (!V::enable(context.frames, reason)) {
      print("{}: cannot run guests: {}\n", V::name, reason);
      fail_run("guest-hello: no hardware virtualization");
    }
    GuestImage image;
    if (!V::builtin_guest("hello", image)) fail_run("guest-hello: the port has no built-in hello guest");
    build(context.frames, image);
    print("{}: hardware virtualization on; d{} has {} KiB at gpa 0, entry {:#x}\n", V::name, domain_id,
          guest_memory_bytes >> 10, image.entry);

    const bool bench = command_line_value(context.command_line, "bench", "0") == StrView("1");
    Bench figures;
    run_until_shutdown(figures);

    console_.flush();
    serial_.flush();
    print("{}: guest d{} shut down ({}) after {} exits\n", V::name, domain_id, shutdown_reason_name(shutdown_reason_),
          exits_);
    if (bench) {
      print("bench: vmmcall round trip {} instructions (VMRUN to VMRUN, xen_version, 3 of them the guest's)\n",
            figures.hypercall_round_trip);
      print("bench: cpuid exit round trip {} instructions (VMRUN to VMRUN, 2 of them the guest's)\n",
            figures.cpuid_round_trip);
    }
    if (shutdown_reason_ != static_cast<u32>(abi::ShutdownReason::poweroff))
      fail_run("guest-hello: d1 did not power off");
    pass_run("guest-hello");
  }

private:
  static const char* shutdown_reason_name(u32 reason) {
    switch (static_cast<abi::ShutdownReason>(reason)) {
    case abi::ShutdownReason::poweroff: return "poweroff";
    case abi::ShutdownReason::reboot: return "reboot";
    case abi::ShutdownReason::suspend: return "suspend";
    case abi::ShutdownReason::crash: return "crash";
    case abi::ShutdownReason::watchdog: return "watchdog";
    case abi::ShutdownReason::soft_reset: return "soft_reset";
    }
    return "unknown reason";
  }

  void build(FrameSource& frames, const GuestImage& image) {
    if (!V::create_space(frames, space_, domain_id)) fail_run("guest-hello: cannot create the guest's address space");
    // Page by page from the frame source: machine pages need not be contiguous, the guest sees 0..2 MiB.
    for (PhysAddr gpa = 0; gpa < guest_memory_bytes; gpa += guest_page_size) {
      const PhysAddr machine = frames.alloc_zeroed_page();
      if (machine == 0) fail_run("guest-hello: out of memory for the guest");
      if (!V::map_guest_page(frames, space_, gpa, machine, MapAttr::read | MapAttr::write | MapAttr::execute))
        fail_run("guest-hello: cannot map guest memory");
    }
    if (!copy_to_guest<V>(space_, image.load_gpa, image.bytes, image.size))
      fail_run("guest-hello: the image does not fit the guest's memory");
    console_port_ = image.console_port;
    if (!V::create_vcpu(frames, vcpu_, space_, GuestStart{image.entry, 0}))
      fail_run("guest-hello: cannot create the vCPU");
  }

  void run_until_shutdown(Bench& figures) {
    GuestExit exit;
    GuestExit previous;
    u64 entered = 0;
    bool first = true;
    while (!shut_down_) {
      const u64 now = port::Cpu::cycles();
      if (!first) time_round_trip(previous, exit, now - entered, figures);
      first = false;
      if (++exits_ > max_exits) fail_run("guest-hello: d1 never shut down");
      previous = exit;
      entered = now;
      V::run(vcpu_, exit);
      handle(exit);
    }
  }

  // A round trip counts when the exit before it was of the same kind: then the guest ran only the
  // back-to-back sequence in between (tests/guests/x86/hello.S), and the figure is the same every run.
  static void time_round_trip(const GuestExit& before, const GuestExit& timed, u64 instructions, Bench& figures) {
    if (timed.kind == GuestExitKind::hypercall && before.kind == GuestExitKind::hypercall &&
        timed.hypercall.number == abi::hypercall::xen_version && before.hypercall.number == abi::hypercall::xen_version)
      figures.hypercall_round_trip = instructions;
    if (timed.kind == GuestExitKind::cpuid && before.kind == GuestExitKind::cpuid && timed.cpuid.leaf == 0 &&
        before.cpuid.leaf == 0)
      figures.cpuid_round_trip = instructions;
  }

  void handle(GuestExit& exit) {
    switch (exit.kind) {
    case GuestExitKind::hypercall:
      exit.result[0] = static_cast<u64>(hypercall(exit.hypercall.number, exit.hypercall.args));
      V::complete(vcpu_, exit);
      return;
    case GuestExitKind::port_io:
      port_io(exit);
      V::complete(vcpu_, exit);
      return;
    case GuestExitKind::cpuid:
      V::complete(vcpu_, exit); // the port's answer, as it is
      return;
    case GuestExitKind::halt: return; // no event sources exist yet: nothing to wait for, so the guest just goes on
    case GuestExitKind::interrupt:
      // The hypervisor's own interrupt, pending since the exit: take it now, then go back.
      port::Cpu::wait_for_interrupt();
      port::Cpu::interrupts_disable();
      return;
    case GuestExitKind::second_stage_fault:
      print("{}: d{} touched gpa {:#x} ({}) at pc {:#x}, outside its memory\n", V::name, domain_id,
            exit.second_stage_fault.gpa, exit.second_stage_fault.write ? "write" : "read", exit.pc);
      crash();
    case GuestExitKind::guest_stopped:
      print("{}: d{}'s CPU stopped (triple fault) at pc {:#x}\n", V::name, domain_id, exit.pc);
      crash();
    case GuestExitKind::unhandled:
      print("{}: d{} made exit {:#x} at pc {:#x}, which is not handled\n", V::name, domain_id, exit.code, exit.pc);
      crash();
    }
  }

  [[noreturn]] void crash() {
    console_.flush();
    serial_.flush();
    print("{}: guest d{} crashed after {} exits\n", V::name, domain_id, exits_);
    fail_run("guest-hello: d1 crashed");
  }

  i64 hypercall(u64 number, const u64 (&args)[5]) {
    switch (number) {
    case abi::hypercall::xen_version:
      if (args[0] == abi::xenver::version) return static_cast<i64>(abi::version_major << 16 | abi::version_minor);
      return to_return(Err::nosys);
    case abi::hypercall::console_io: return console_io(args[0], args[1], args[2]);
    case abi::hypercall::sched_op: return sched_op(args[0], args[1]);
    default: return to_return(Err::nosys);
    }
  }

  i64 console_io(u64 command, u64 count, PhysAddr buffer) {
    if (command != abi::consoleio::write) return to_return(Err::nosys);
    const bool mapped = for_guest_bytes<V>(space_, buffer, count, [this](const u8* bytes, usize n) {
      for (usize i = 0; i < n; ++i) console_.put(static_cast<char>(bytes[i]));
    });
    if (!mapped) return to_return(Err::fault);
    return static_cast<i64>(count);
  }

  i64 sched_op(u64 command, PhysAddr argument) {
    if (command != abi::schedop::shutdown) return to_return(Err::nosys);
    u32 reason = 0;
    if (!copy_from_guest<V>(space_, &reason, argument, sizeof(reason))) return to_return(Err::fault);
    shutdown_reason_ = reason;
    shut_down_ = true;
    return 0;
  }

  // The emulated UART where the image asked for it; elsewhere, as on an empty bus, reads give all ones
  // and writes vanish.
  void port_io(GuestExit& exit) {
    const bool uart =
        console_port_ != 0 && exit.io.port >= console_port_ && exit.io.port - console_port_ < Uart16550::register_count;
    if (exit.io.write) {
      if (uart) uart_.write(exit.io.port - console_port_, static_cast<u8>(exit.io.value));
      return;
    }
    exit.result[0] = uart ? uart_.read(exit.io.port - console_port_) : ~0ull;
  }

  typename V::Space space_{};
  typename V::Vcpu vcpu_{};
  ConsoleLine console_{domain_id};
  ConsoleLine serial_{domain_id};
  Uart16550 uart_;
  u32 console_port_ = 0;
  u64 exits_ = 0;
  bool shut_down_ = false;
  u32 shutdown_reason_ = 0;
};

// The domain is large (two line buffers) and lives for the rest of the run: static storage, not the stack.
template <class V> [[noreturn]] void run_hello(const ScenarioContext& context) {
  if constexpr (contract::BackendPresent<V>) {
    static HelloDomain<V> domain;
    domain.run(context);
  } else {
    print("hv: {} has no hardware virtualization backend\n", port::Cpu::name);
    fail_run("guest-hello: no virtualization backend on this port");
  }
}

} // namespace

void scenario_guest_hello(const ScenarioContext& context) { run_hello<port::Virtualization>(context); }

} // namespace hv
