// The "domains" scenario: boots the domains the boot module's domain description names (boards/README.md),
// each built from its ELF image on the common core (DomainTable, p2m, event channels, credit scheduler,
// hypercall dispatch) and run on the port's hardware virtualization backend, then ends the run with a
// verdict on what each domain did against what the description expected.
//
// Common code: the backend is reached only through contract/virtualization.hpp; a port without one
// fails the scenario by name.
#include <contract/virtualization.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/board.hpp>
#include <hv/boot_state.hpp>
#include <hv/command_line.hpp>
#include <hv/console.hpp>
#include <hv/core/credit_scheduler.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/domains/machine_frames.hpp>
#include <hv/guest/console_line.hpp>
#include <hv/guest/uart16550.hpp>
#include <hv/loader/domain_description.hpp>
#include <hv/loader/elf_image.hpp>
#include <hv/scenario.hpp>
#include <hv/verdict.hpp>

#include <port.hpp>

namespace hv {
namespace {

constexpr u64 page = FrameAllocator::frame_size;
constexpr u64 tick_hz = 1000;             // the scheduler's timer: preemption within 1 ms of a deadline
constexpr u64 boot_info_bytes = 16 << 10; // the top 16 KiB of each guest's RAM hold its boot information
constexpr u64 max_share_error_percent = 5;

// The helpers below are used only where the port has a backend (the runner is a template over it).
enum class Outcome : u8 { running, poweroff, crash, other_shutdown, destroyed };

[[maybe_unused]] const char* outcome_name(Outcome o) {
  switch (o) {
  case Outcome::running: return "running";
  case Outcome::poweroff: return "poweroff";
  case Outcome::crash: return "crash";
  case Outcome::other_shutdown: return "shut down";
  case Outcome::destroyed: return "destroyed";
  }
  return "?";
}

[[maybe_unused]] bool meets(Outcome o, DomainExpect e) {
  switch (e) {
  case DomainExpect::none: return true;
  case DomainExpect::poweroff: return o == Outcome::poweroff;
  case DomainExpect::crash: return o == Outcome::crash;
  case DomainExpect::running: return o == Outcome::running;
  case DomainExpect::destroyed: return o == Outcome::destroyed;
  }
  return false;
}

[[maybe_unused]] u64 ns_from_ticks(u64 ticks, u64 hz) {
  return ticks / hz * 1'000'000'000 + ticks % hz * 1'000'000'000 / hz;
}

template <class V> class DomainRunner {
public:
  /// One domain as this run knows it: the core's Domain, the backend's Space and vCPU, its serial port.
  struct Guest {
    const DomainSpec* spec = nullptr;
    Domain* domain = nullptr;
    abi::domid_t id = 0;
    typename V::Space space{};
    typename V::Vcpu vcpu{};
    ConsoleLine serial{0};
    Uart16550 uart{serial};
    Outcome outcome = Outcome::running;
    u64 run_ns = 0; ///< kept when the domain is destroyed
    u64 exits = 0;
    FrameAccount hardware;     ///< second-stage tables and per-vCPU pages, which the port keeps
    bool space_broken = false; ///< a p2m change could not be copied into the Space
    DomainRunner* runner = nullptr;
  };

  DomainRunner(FrameAllocator& frames, const FrameSource& ram) : frames_(frames), ram_(ram), domains_(frames) {
    // The scheduler's hook for run-state changes (straight to it), and the runner's own word when a
    // domain is destroyed (which tells the scheduler in turn).
    RunStateHook hook = scheduler_.hook();
    hook.domain_gone = [](void* self, Domain& d) { static_cast<DomainRunner*>(self)->domain_gone(d); };
    hook.gone_context = this;
    domains_.set_run_state_hook(hook);
  }

  /// `bench`: print the runner's figures at the end; `started_at`: the cycle count at the hypervisor's
  /// entry, which they are measured against.
  [[noreturn]] void run(const DomainDescription& description, bool bench, u64 started_at) {
    description_ = &description;
    bench_ = bench;
    started_at_ = started_at;
    const char* reason = "";
    AccountFrames hypervisor_frames(frames_, hypervisor_, ram_);
    if (!V::enable(hypervisor_frames, reason)) {
      print("{}: cannot run guests: {}\n", V::name, reason);
      fail_run("domains: no hardware virtualization");
    }
    free_before_ = frames_.free_frames();
    for (usize i = 0; i < description.count; ++i) build(description.domains[i], guests_[i]);
    guest_count_ = description.count;
    for (usize i = 0; i < guest_count_; ++i)
      if (domains_.start(*guests_[i].domain) != Err::ok) fail_run("domains: a domain could not be started");
    print("domains: {} domain(s) started on {}; {} MiB free\n", guest_count_, V::name,
          frames_.free_frames() * page >> 20);
    schedule_loop();
  }

private:
  // ---- building ----

  [[noreturn]] void refuse(const DomainSpec& spec, const char* what) {
    print("domains: {}: {}\n", spec.name, what);
    fail_run("domains: a domain could not be built");
  }

  void build(const DomainSpec& spec, Guest& g) {
    g.spec = &spec;
    ElfImage elf;
    const char* error = "";
    if (!parse_elf(spec.image, spec.image_size, elf, error)) refuse(spec, error);
    if (!V::accepts_image(elf.machine, elf.elf_class, elf.data))
      refuse(spec, "its ELF image is not for this architecture");
    if (spec.vcpus != 1) refuse(spec, "more than one vCPU per domain is not supported yet");
    if (spec.memory_bytes <= boot_info_bytes) refuse(spec, "too little memory for its boot information");

    DomainConfig config;
    config.vcpus = spec.vcpus;
    config.max_pages = spec.memory_bytes / page;
    config.weight = spec.weight;
    config.cap = spec.cap;
    config.privileged = spec.privileged;
    config.width = elf.elf_class == 1 ? abi::GuestWidth::bits32 : abi::GuestWidth::bits64;
    auto created = domains_.create(config);
    if (!created.ok()) refuse(spec, "the domain table refused it (out of memory, or a second control domain)");
    Domain& d = *created.value();
    g.domain = &d;
    g.id = d.id;
    g.serial = ConsoleLine(d.id);
    if (domains_.populate(d, 0, config.max_pages) != Err::ok) refuse(spec, "out of memory for its RAM");

    auto write = [](void* context, u64 gpa, const void* src, usize len) {
      return P2mGuestMemory::copy_to_guest(static_cast<Domain*>(context)->p2m, gpa, src, len);
    };
    if (!load_elf(elf, spec.image, spec.memory_bytes - boot_info_bytes, write, &d, error)) refuse(spec, error);

    GuestBootInfo boot;
    boot.domain_id = d.id;
    boot.vcpus = spec.vcpus;
    boot.memory_bytes = spec.memory_bytes;
    boot.boot_info_gpa = spec.memory_bytes - boot_info_bytes;
    boot.command_line = spec.command_line;
    static u8 buffer[boot_info_bytes];
    for (u8& b : buffer) b = 0;
    usize used = 0;
    if (!V::build_boot_info(boot, buffer, sizeof buffer, used) ||
        !P2mGuestMemory::copy_to_guest(d.p2m, boot.boot_info_gpa, buffer, used))
      refuse(spec, "its boot information does not fit");

    AccountFrames hardware(frames_, g.hardware, ram_);
    if (!V::create_space(hardware, g.space, static_cast<u32>(d.id) + 1))
      refuse(spec, "no second-stage translation for it");
    bool mapped = true;
    d.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry e) { mapped = mapped && map_entry(g, gfn, e); });
    if (!mapped) refuse(spec, "out of memory for its second-stage tables");
    g.runner = this;
    d.p2m.set_observer({[](void* context, u64 gfn) {
                          Guest& changed = *static_cast<Guest*>(context);
                          if (!changed.runner->map_from_p2m(changed, gfn)) changed.space_broken = true;
                        },
                        &g});

    const PhysAddr entry = elf.pvh_entry != 0 ? elf.pvh_entry : elf.entry;
    if (!V::create_vcpu(hardware, g.vcpu, g.space, GuestStart{entry, boot.boot_info_gpa}))
      refuse(spec, "no vCPU for it");
    print("domains: d{} {}: {} KiB, weight {}, cap {}, entry {:#x}{}{}\n", d.id, spec.name, spec.memory_bytes >> 10,
          spec.weight, spec.cap, entry, spec.command_line.size() != 0 ? ", command line: " : "", spec.command_line);
  }

  // The Space follows the p2m: every change to an entry is copied into it before the guest runs again.
  bool map_from_p2m(Guest& g, u64 gfn) { return map_entry(g, gfn, g.domain->p2m.lookup(gfn)); }

  bool map_entry(Guest& g, u64 gfn, GuestPhysMap::Entry e) {
    if (!e.present()) {
      V::unmap_guest_page(g.space, gfn * page);
      return true;
    }
    const MapAttr attr = e.kind == GuestPhysMap::Kind::foreign_readonly
                             ? MapAttr::read | MapAttr::execute
                             : MapAttr::read | MapAttr::write | MapAttr::execute;
    AccountFrames hardware(frames_, g.hardware, ram_);
    return V::map_guest_page(hardware, g.space, gfn * page, e.frame, attr);
  }

  // ---- running ----

  Guest* guest_of(const Vcpu& v) {
    for (usize i = 0; i < guest_count_; ++i)
      if (guests_[i].domain == v.domain) return &guests_[i];
    return nullptr;
  }

  u64 now_ns() const { return ns_from_ticks(port::Timer::now(), hz_); }
  u64 ticks_from_ns(u64 ns) const { return ns / 1'000'000'000 * hz_ + ns % 1'000'000'000 * hz_ / 1'000'000'000; }
  u64 deadline_ticks(u64 after_ms) const {
    return after_ms == 0 ? ~u64{0} : start_ticks_ + ticks_from_ns(after_ms * 1'000'000);
  }

  // A decision's deadline is checked when the scheduler's tick ends the guest's run: every tick does
  // (the interrupt exit), so a slice ends within a tick of its deadline, and the other exits, which are
  // not about time, read no clock at all.
  [[noreturn]] void schedule_loop() {
    port::Timer::start_periodic(tick_hz);
    hz_ = port::Timer::frequency_hz();
    start_ticks_ = port::Timer::now();
    start_ns_ = now_ns();
    run_end_ = deadline_ticks(description_->run_ms);
    limit_end_ = deadline_ticks(description_->time_limit_ms);
    for (usize i = 0; i < guest_count_; ++i)
      if (guests_[i].spec->expect != DomainExpect::running) ++stops_awaited_;
    Vcpu* v = nullptr;
    Guest* g = nullptr;
    u64 until = 0; // ns: when the decision's time is up
    Vcpu* last = nullptr;
    u64 left_at = 0; // cycles when the last vCPU's exit was handled
    bool reschedule = true;
    GuestExit exit;
    for (;;) {
      if (reschedule) {
        domains_.reap();
        const u64 now = port::Timer::now();
        check_end(now);
        const CreditScheduler::Decision decision = scheduler_.schedule(ns_from_ticks(now, hz_));
        v = decision.vcpu;
        g = v != nullptr ? guest_of(*v) : nullptr;
        until = decision.until;
        reschedule = false;
      }
      if (v == nullptr) {
        if (!anything_can_run()) end_run("every live domain is blocked and nothing can wake it");
        port::Cpu::wait_for_interrupt();
        port::Cpu::interrupts_disable();
        reschedule = true;
        continue;
      }
      Domain& d = *g->domain;
      if (d.upcall_registered() && d.shared_info.upcall_pending(v->id)) V::raise_upcall(g->vcpu, d.upcall_vector());
      if (v != last) {
        if (last != nullptr) note_switch(port::Cpu::cycles() - left_at);
        last = v;
      }
      V::run(g->vcpu, exit);
      ++g->exits;
      handle(*g, *v, exit);
      if (g->domain != nullptr && g->space_broken) crash(*g, "out of memory for its second-stage tables");
      // A domain that stopped is gone (g->domain is null, and `v` with it).
      if (g->domain == nullptr || !d.runnable(*v) || scheduler_.preempt_pending() ||
          (exit.kind == GuestExitKind::interrupt && now_ns() >= until)) {
        reschedule = true;
        left_at = port::Cpu::cycles(); // another vCPU may run next
      }
    }
  }

  void handle(Guest& g, Vcpu& v, GuestExit& exit) {
    Domain& d = *g.domain;
    switch (exit.kind) {
    case GuestExitKind::hypercall: {
      HypercallEnv env{domains_, &scheduler_};
      const u64 nr = exit.hypercall.number;
      if (first_guest_line_ == 0 && nr == abi::hypercall::console_io) first_guest_line_ = port::Cpu::cycles();
      exit.result[0] = static_cast<u64>(
          dispatch(env, d, v, nr, exit.hypercall.args[0], exit.hypercall.args[1], exit.hypercall.args[2]));
      V::complete(g.vcpu, exit);
      if (d.state != DomainState::running) note_shutdown(g); // SCHEDOP_shutdown, say
      return;
    }
    case GuestExitKind::port_io: {
      const u32 base = V::uart_port;
      const bool uart = base != 0 && exit.io.port >= base && exit.io.port - base < Uart16550::register_count;
      if (exit.io.write) {
        if (uart) {
          if (first_guest_line_ == 0) first_guest_line_ = port::Cpu::cycles();
          g.uart.write(exit.io.port - base, static_cast<u8>(exit.io.value));
        }
      } else {
        exit.result[0] = uart ? g.uart.read(exit.io.port - base) : ~u64{0}; // an empty bus reads all ones
      }
      V::complete(g.vcpu, exit);
      return;
    }
    case GuestExitKind::cpuid: V::complete(g.vcpu, exit); return;
    case GuestExitKind::halt: domains_.vcpu_block(v); return; // unless an event is already waiting
    case GuestExitKind::interrupt:
      // The hypervisor's own interrupt (the scheduler's tick), pending since the exit: take it now.
      port::Cpu::wait_for_interrupt();
      port::Cpu::interrupts_disable();
      return;
    case GuestExitKind::second_stage_fault: {
      const u64 gfn = exit.second_stage_fault.gpa / page;
      if (d.p2m.lookup(gfn).present() && map_from_p2m(g, gfn)) return; // mapped since: fill and retry
      print("domains: d{} {} touched guest-physical {:#x} ({}) at pc {:#x}, outside its memory\n", d.id, g.spec->name,
            exit.second_stage_fault.gpa, exit.second_stage_fault.write ? "write" : "read", exit.pc);
      crash(g, "touched memory it does not own");
      return;
    }
    case GuestExitKind::guest_stopped:
      print("domains: d{} {}: its CPU stopped ({}) at pc {:#x}\n", d.id, g.spec->name, exit.stop_reason, exit.pc);
      crash(g, "its CPU stopped");
      return;
    case GuestExitKind::unhandled:
      print("domains: d{} {}: exit {:#x} at pc {:#x} is not handled\n", d.id, g.spec->name, exit.code, exit.pc);
      crash(g, "made an exit the hypervisor does not handle");
      return;
    }
  }

  void crash(Guest& g, const char* why) {
    g.serial.flush();
    print("domains: d{} {} crashed ({}) after {} exits; the others run on\n", g.id, g.spec->name, why, g.exits);
    domains_.shutdown(*g.domain, abi::ShutdownReason::crash);
    note_shutdown(g, true);
  }

  // A shut-down or crashed domain: its outcome and CPU time are kept, the port gives back its vCPU and
  // second-stage tables, then the domain is destroyed, which gives back every frame of its own.
  void note_shutdown(Guest& g, bool crashed_by_hypervisor = false) {
    Domain& d = *g.domain;
    if (d.state == DomainState::running || d.state == DomainState::created) return;
    let_go(g);
    if (d.state == DomainState::dying) { // reap() destroys it, outside this exit's handling
      g.outcome = Outcome::crash;
      if (!crashed_by_hypervisor) print("domains: d{} {} crashed itself (SCHEDOP_shutdown)\n", g.id, g.spec->name);
      return;
    }
    g.outcome = d.shutdown_reason == abi::ShutdownReason::poweroff ? Outcome::poweroff : Outcome::other_shutdown;
    print("domains: d{} {} shut down ({}); its {} frames go back\n", g.id, g.spec->name, outcome_name(g.outcome),
          d.memory.frames + d.overhead.frames);
    domains_.destroy(d);
  }

  // The core is destroying `d`. Usually the runner asked for it (note_shutdown, reap of a crashed
  // domain) and no Guest points at `d` any more; when the control domain destroyed it (domctl
  // destroydomain) the runner learns of it only here, and lets go of it before it is freed.
  void domain_gone(Domain& d) {
    scheduler_.forget(d);
    for (usize i = 0; i < guest_count_; ++i) {
      Guest& g = guests_[i];
      if (g.domain != &d) continue;
      let_go(g);
      g.outcome = Outcome::destroyed;
      print("domains: d{} {} destroyed by the control domain after {} exits; its {} frames go back\n", g.id,
            g.spec->name, g.exits, d.memory.frames + d.overhead.frames);
    }
  }

  // The domain ran for the last time, however it ended: its CPU time is kept, the runner stops following
  // its p2m and forgets it, and what the port built for it goes back to the frame allocator.
  void let_go(Guest& g) {
    Domain& d = *g.domain;
    g.serial.flush();
    g.run_ns = d.sched.run_ns;
    d.p2m.set_observer({});
    g.domain = nullptr;
    if (g.spec->expect != DomainExpect::running) --stops_awaited_;
    release_hardware(g);
  }

  void release_hardware(Guest& g) {
    AccountFrames hardware(frames_, g.hardware, ram_);
    V::destroy_vcpu(hardware, g.vcpu);
    V::destroy_space(hardware, g.space);
    if (g.hardware.frames != 0)
      print("domains: d{} {}: FAILED: the port kept {} frames of its vCPU and tables\n", g.id, g.spec->name,
            g.hardware.frames);
  }

  void note_switch(u64 cycles) {
    ++switches_;
    if (shortest_switch_ == 0 || cycles < shortest_switch_) shortest_switch_ = cycles;
  }

  bool anything_can_run() {
    for (usize i = 0; i < guest_count_; ++i) {
      Domain* d = guests_[i].domain;
      if (d == nullptr) continue;
      for (u32 n = 0; n < d->vcpu_count; ++n)
        if (d->runnable(d->vcpus[n])) return true;
    }
    return false;
  }

  // ---- ending ----

  void check_end(u64 now_ticks) {
    if (now_ticks >= run_end_) end_run("its time is up");
    if (stops_awaited_ == 0 && description_->run_ms == 0) end_run("every domain expected to stop has stopped");
    if (now_ticks >= limit_end_) end_run("the time limit passed");
  }

  [[noreturn]] void end_run(const char* why) {
    port::Timer::stop();
    const u64 elapsed_ms = (now_ns() - start_ns_) / 1'000'000;
    print("domains: run ends after {} ms: {}\n", elapsed_ms, why);
    bool ok = true;
    u64 total_ns = 0;
    u32 total_weight = 0;
    for (usize i = 0; i < guest_count_; ++i) {
      Guest& g = guests_[i];
      if (g.domain != nullptr) {
        // What a domain that should have stopped was doing: the first thing to know when it hangs.
        print("domains: d{} {} is still live: vCPU {}, upcall {}pending\n", g.id, g.spec->name,
              g.domain->vcpus[0].blocked ? "blocked" : "runnable",
              g.domain->shared_info.upcall_pending(0) ? "" : "not ");
        g.serial.flush();
        g.run_ns = g.domain->sched.run_ns;
      }
      const bool met = meets(g.outcome, g.spec->expect);
      ok = ok && met;
      print("domains: d{} {}: {} after {} exits, expected {}: {}\n", g.id, g.spec->name, outcome_name(g.outcome),
            g.exits, expect_name(g.spec->expect), met ? "ok" : "WRONG");
      total_ns += g.run_ns;
      total_weight += g.spec->weight;
    }
    if (description_->expect_shares) ok = report_shares(total_ns, total_weight) && ok;
    const bool frames_back = report_frames();
    if (bench_) {
      print("bench: vcpu switches {}, shortest {} cycles (exit handled to the next vCPU's entry)\n", switches_,
            shortest_switch_);
      print("bench: hypervisor entered at {} cycles since reset\n", started_at_);
      print("bench: first guest console output at {} cycles since reset\n", first_guest_line_);
    }
    if (!ok) fail_run("a domain did not end as expected");
    if (!frames_back) fail_run("domains: frames of destroyed domains were not given back");
    pass_run(description_->scenario);
  }

  // Once every domain is gone, the frame allocator must be back where it was before the first was built:
  // guest RAM, p2m, shared_info, domain objects (the core's) and vCPUs and second-stage tables (the
  // port's) all given back, crashed domains' too.
  bool report_frames() {
    domains_.reap(); // a domain that crashed since the last reschedule
    if (domains_.count() != 0) {
      print("domains: {} domain(s) still live at the end: their frames are still theirs\n", domains_.count());
      return true;
    }
    const u64 after = frames_.free_frames();
    if (after != free_before_) {
      print("domains: FAILED: {} frames not given back: {} free before the domains were built, {} free after\n",
            free_before_ > after ? free_before_ - after : after - free_before_, free_before_, after);
      return false;
    }
    print("domains: every frame given back: {} free before the domains were built, {} free after\n", free_before_,
          after);
    return true;
  }

  // Each domain's share of the CPU time the domains used, against its share of the weights.
  bool report_shares(u64 total_ns, u32 total_weight) {
    bool ok = total_ns != 0;
    for (usize i = 0; i < guest_count_; ++i) {
      const Guest& g = guests_[i];
      const u64 measured = total_ns == 0 ? 0 : g.run_ns * 1000 / total_ns; // per mille
      const u64 wanted = u64{g.spec->weight} * 1000 / total_weight;
      const u64 error = measured > wanted ? measured - wanted : wanted - measured;
      const bool close = error <= max_share_error_percent * 10;
      ok = ok && close;
      print("shares: d{} {} weight {}: {}.{}% of the CPU ({} ms), expected {}.{}%: {}\n", g.id, g.spec->name,
            g.spec->weight, measured / 10, measured % 10, g.run_ns / 1'000'000, wanted / 10, wanted % 10,
            close ? "ok" : "WRONG");
    }
    return ok;
  }

  FrameAllocator& frames_;
  const FrameSource& ram_;
  FrameAccount hypervisor_;
  DomainTable domains_;
  CreditScheduler scheduler_;
  const DomainDescription* description_ = nullptr;
  Guest guests_[DomainDescription::max_domains];
  usize guest_count_ = 0;
  bool bench_ = false;
  u64 started_at_ = 0;
  u64 start_ns_ = 0;
  u64 hz_ = 0; ///< Timer ticks per second
  u64 start_ticks_ = 0;
  u64 run_end_ = 0;         ///< ticks: hv,run-ms after the start, or never
  u64 limit_end_ = 0;       ///< ticks: hv,time-limit-ms after the start, or never
  usize stops_awaited_ = 0; ///< live domains expected to stop
  u64 free_before_ = 0;     ///< the allocator's free frames once the backend was on, before any domain
  u64 switches_ = 0;
  u64 shortest_switch_ = 0;
  u64 first_guest_line_ = 0;
};

template <class V> [[noreturn]] void run_domains(const ScenarioContext& context) {
  if constexpr (contract::BackendPresent<V>) {
    const MemoryRange module = port::Machine::boot_module();
    if (module.size == 0) fail_run("domains: no domain description (pass one as the boot module, e.g. QEMU -initrd)");
    static DomainDescription description;
    DescriptionError error;
    if (!read_domain_description(port::Paging::direct_map(module.base), module.size, description, error))
      fail_run(error.message);
    static FrameAllocator frames;
    if (!take_over_boot_frames(context.frames, frames)) fail_run("domains: no room for the frame allocator's table");
    const bool bench = command_line_value(context.command_line, "bench", "0") == StrView("1");
    static DomainRunner<V> runner(frames, context.frames);
    runner.run(description, bench, context.started_at);
  } else {
    print("hv: {} has no hardware virtualization backend\n", port::Cpu::name);
    fail_run("domains: no virtualization backend on this port");
  }
}

} // namespace

void scenario_domains(const ScenarioContext& context) { run_domains<port::Virtualization>(context); }

} // namespace hv
