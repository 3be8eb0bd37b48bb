// SPDX-License-Identifier: Apache-2.0
// The hypervisor's run time, once the machine is up: it builds the domains a description names, runs
// them on the port's Virtualization backend under the credit scheduler until every one has stopped (or
// the description's time is up), and reports what happened as fact lines (docs/facts.md). It judges
// nothing: what a domain should have done is for tests to decide from those lines.
//
// One object per machine, made by boot_main (and by host tests, which drive the host port's scripted
// backend through it). Every online CPU runs the run loop (run() on the boot CPU, the others through
// hand_to_secondaries). While several do, each keeps to its own state and to locks of the piece it
// touches (a run queue, a domain's ports, a vCPU's timers); the core lock is taken only for the cold
// paths: what changes a domain's state, its memory or the domain table, and the walk over every vCPU's
// timers (docs/smp.md, "Locks").
#pragma once

#include <hv/core/credit_scheduler.hpp>
#include <hv/core/domain_table.hpp>
#include <hv/core/hypercall.hpp>
#include <hv/core/save_stream.hpp>
#include <hv/core/vcpu_timers.hpp>
#include <hv/domains/guest_time.hpp>
#include <hv/domains/lazy_fpu.hpp>
#include <hv/loader/domain_description.hpp>
#include <hv/per_cpu.hpp>
#include <hv/spinlock.hpp>

namespace hv {

class Hypervisor {
public:
  /// `frames` hands out every frame; `ram` describes the machine's RAM for the backend's tables.
  Hypervisor(FrameAllocator& frames, const FrameSource& ram);
  Hypervisor(const Hypervisor&) = delete;
  Hypervisor& operator=(const Hypervisor&) = delete;

  /// Turns the backend on for this CPU. False, with `reason` naming what is missing, when the CPU or the
  /// port cannot run guests (then nothing else may be called). Called once, before build().
  bool enable(const char*& reason);
  /// Turns the backend on for every online secondary too (each CPU its own host state); false, with
  /// `reason`, when one could not (then the domains run on the boot CPU alone). After enable().
  bool enable_secondaries(const char*& reason);
  /// Builds one domain from `spec`, paused: memory, image, boot information, its Space and vCPUs.
  /// Returns null with `error` naming the problem (then nothing of it is left behind).
  Domain* build(const DomainSpec& spec, const char*& error);
  /// Starts every built domain and runs them until each has stopped, `run_ms` milliseconds passed
  /// (0: no limit), or every live domain waits for an event nothing can send. Returns why it stopped.
  const char* run(u64 run_ms);
  /// Reports the domains still live and the frames given back: the run's closing facts.
  void report();

  DomainTable& domains() { return domains_; }
  /// Free frames once the backend was on, before any domain was built.
  u64 free_before() const { return free_before_; }
  /// For the boot figures (probes): Cpu::cycles() when the hypervisor's common code began.
  void set_started_at(u64 cycles) { started_at_ = cycles; }

  /// Crashes `d` for `why` (reported when it is torn down); the others run on. Its teardown happens at
  /// the next reschedule (DomainTable::reap), outside its own exit's handling. Public for the host tests.
  void crash(Domain& d, const char* why);
  /// XEN_DOMCTL_setvcpucontext (the core's BuilderHook): gives `target`, a vCPU of a domain the control
  /// domain is building, the first state the backend reads from the context record at `record` in
  /// `caller`'s memory (Virtualization::start_from_context), making the domain's Space first if it has
  /// none, and brings the vCPU online; a second call replaces the state. 0; -EINVAL when the domain is no
  /// longer being built (state created) or the backend refuses the state; -EFAULT when the record cannot
  /// be read; -ENOSYS for a backend that reads no such record; -ENOMEM when its tables or vCPU pages
  /// cannot be had (the domain's overhead allowance, which max_mem sets).
  i64 set_vcpu_context(Vcpu& target, const Vcpu& caller, u64 record);

  /// Writes `d` to `out` as a whole save stream (docs/save-format.md): the header, the domain's records
  /// (save::write_domain), one vcpu record per vCPU with the backend's state of it
  /// (Virtualization::save_vcpu_state), and the end record. `d` must be paused (or shut down) and is not
  /// changed, but that the floating-point registers it owned are stored into its vCPUs. Null, or why
  /// not: the backend cannot save a vCPU's state, `d` is not paused, it holds or lends mappings
  /// (save::unsaveable), or `out` is full.
  const char* save_domain(Domain& d, save::Writer& out, bool memory = true);
  /// Makes a new domain from the save stream in `stream` (`size` bytes, which stay as they are meanwhile):
  /// its memory and configuration, and its vCPUs with the state the stream holds, online as they were.
  /// The domain is in state created and paused, for the control domain to unpause. Null, with `why`
  /// naming the refusal (the reader's, read_domain's, or a vcpu record's: of the wrong length, for a
  /// vCPU the domain has not or given twice, a state the backend refuses), and then nothing of it is left.
  Domain* restore_domain(const u8* stream, usize size, const char*& why);
  /// The same from a reader the caller made (one that reads the stream in pieces), as domain `id` (0: the
  /// next free ID; one that is taken is refused).
  Domain* restore_domain(save::Reader& in, const char*& why, abi::domid_t id = 0, Domain* into = nullptr);

private:
  /// What the hypervisor does with `exit`, the exit `v` just made (exit_handler.hpp, inlined in run()).
  /// On several CPUs, called holding the core lock when needs_core_lock(exit) says so.
  [[gnu::always_inline]] inline void handle(Vcpu& v, GuestExit& exit);
  /// Whether handling `exit` takes the core lock on several CPUs (exit_handler.hpp says which exits do).
  [[gnu::always_inline]] inline bool needs_core_lock(const GuestExit& exit) const;
  /// `v` halted with interrupts off: it goes offline, and its domain powers off with its last one.
  void take_down(Vcpu& v);
  /// `sender`'s interrupt controller sent a message to other vCPUs of its domain (GuestExitKind::ipi,
  /// guest_ipi.cpp): a vector raised in each online one, each reset one taken offline to wait for a
  /// start, each waiting one started where the message says and brought online.
  [[gnu::noinline]] void deliver_ipi(Vcpu& sender, const GuestExit& exit);
  void domain_gone(Domain& d);
  /// `d` shut down and is left for the control domain to destroy or resume: says so (a fact line).
  void left_shut_down(Domain& d);
  /// Maps `gfn` of `d` into its Space from its p2m: a RAM page without write while its dirty log waits
  /// for the page's first write of the round (dirty::writable).
  bool map_from_p2m(Domain& d, u64 gfn);
  /// Makes `d`'s Space from its p2m and keeps it in step from then on; null, or why it could not (what
  /// was made is given back when the domain is destroyed).
  const char* make_space(Domain& d);
  /// Whether some vCPU can run, or may have been woken while this looked (then it answers true, and the
  /// boot CPU looks again at its next idle tick). Called with the core lock held.
  bool anything_can_run() const;
  /// Sets the BuilderHook's hv_save_stream and hv_restore_stream to save_stream_to and restore_stream_from.
  void add_save_hooks();
  /// Sets the BuilderHook's shadow_op to shadow_op (dirty_log_run_time.cpp).
  void add_dirty_log_hook();
  /// hv_save_stream: the bytes [offset, offset + length) of paused `target`'s stream (save_domain) into
  /// `caller`'s memory at `buffer`, and the whole stream's size into `size`. The bytes copied; -EINVAL
  /// when `target` is not paused, -EBUSY when it maps another domain's grants or frames or another maps
  /// its grants (save::unsaveable), -ENOSYS when the backend cannot save a vCPU, -EFAULT when the caller's
  /// memory cannot take them. Each call writes the stream afresh: the pieces make one stream while the
  /// domain stays paused.
  i64 save_stream_to(Domain& target, const Vcpu& caller, u64 buffer, u64 offset, u64 length, u64& size, bool memory);
  /// hv_restore_stream: a new domain from the `size`-byte stream at `buffer` in `caller`'s memory, read
  /// record by record (restore_domain), paused, as domain `id` if that is not 0; its ID into `id`. 0;
  /// With `into`, into the existing domain `id` instead (save::read_domain's `into`; -ESRCH for no such
  /// domain; a stream refused leaves it for the caller to destroy). -EEXIST when the ID asked for is taken; -EFAULT
  /// when the caller's memory cannot be read; -EINVAL for a stream refused (its reason is printed, a fact line).
  i64 restore_stream_from(const Vcpu& caller, u64 buffer, u64 size, abi::domid_t& id, bool into);
  /// XEN_DOMCTL_shadow_op on `target` (dirty_log_run_time.cpp): enable (mode log_dirty) or
  /// enable_logdirty starts its log over the frames below its highest RAM frame and write-protects every
  /// RAM page in its Space; clean and peek copy the bitmap for `op.pages` frames into `caller`'s memory at
  /// `op.dirty_bitmap` (op.pages then says how many frames the log covers; the stats the write faults and
  /// dirty frames of the round), clean also starting the next round (the dirty pages write-protected
  /// again); off stops it, every page writable again. 0; -EOPNOTSUPP from a backend that does not offer
  /// it (Virtualization::logs_dirty_pages) or for another operation or mode; -EINVAL for enable while
  /// logging, clean or peek while not, or a domain without memory; -ENOMEM when the bitmap does not fit
  /// its overhead account; -EFAULT when the caller's memory cannot take the bitmap.
  i64 shadow_op(Domain& target, const Vcpu& caller, abi::DomctlShadowOp& op);
  /// restore_domain's save::RecordHook: one vcpu record restored into `d` (domain_save_run_time.cpp).
  static bool restore_vcpu(void* context, Domain& d, const save::Record& r, const char*& why);
  u64 now_ns() const;
  /// After a tick or an idle wait: fires the vCPU timers whose deadline passed, and refreshes the time
  /// record of `running` (the vCPU the tick interrupted, if any) when it is due. Out of line, so that the
  /// run loop, into which the exit handler is inlined, keeps its registers for the hot exits.
  [[gnu::noinline]] void after_tick(Vcpu* running);
  /// Starts every domain built and not started yet, each vCPU's time record written before it first runs.
  void start_domains();
  /// One CPU's run loop until the run ends: the boot CPU decides when (and returns why), the others
  /// return when it says so (over_). `Several`: other CPUs run domains too (shared_), chosen once per run
  /// so that one CPU's loop carries none of what only several need (docs/performance.md, the hot paths).
  template <bool Several> const char* loop(u32 cpu, u64 end_ticks);
  /// The core's lock, while several CPUs run; what others ask this CPU is done while it waits. Never
  /// taken by a CPU whose `current` is set (lock_core_for is), since the holder may wait for it to clear.
  void lock_core(PerCpu& self) {
    if (!shared_) return;
    core_.lock([&] { serve(self); });
    self.holds_core = true;
  }
  /// Lets go of the core's lock; then, outside it, frees what the holder retired (free_retired).
  void unlock_core(PerCpu& self) {
    if (!shared_) return;
    self.holds_core = false;
    core_.unlock();
    if (frames_.has_retired()) [[unlikely]]
      free_retired(self);
  }
  /// Frees the frames retired so far (FrameAllocator::retire: given back by a p2m, a domain destroyed)
  /// once no CPU can reach them: on several CPUs after every other CPU inside its ReadSection now has
  /// left it, serving what they ask meanwhile. Called by a CPU outside its own section, holding no lock,
  /// so that a wait lasts one hypercall handled without the core lock at most, and nobody waits for it.
  void free_retired(PerCpu& self);
  /// The core lock for an exit of `v`, which this CPU is busy with (PerCpu::current): it lets go of `v`
  /// while it waits, and takes it again after. False, without the lock, when `v`'s domain was destroyed
  /// meanwhile (then `v` is gone too and must not be touched).
  bool lock_core_for(PerCpu& self, Vcpu& v);
  /// Whether another CPU holds an exit of one of `d`'s vCPUs and waits for the core lock to handle it
  /// (PerCpu::exiting_in). Called with the core lock held, by a domctl on `d` (HypercallEnv's builder).
  bool exit_in_flight(const Domain& d) const;
  /// Does what other CPUs asked this one (cpu_request::store_fpu).
  void serve(PerCpu& self);
  /// Before `v` first runs on this CPU (self) after it ran on another, is saved or goes: waits until no
  /// other CPU holds its floating-point registers (each asked to store them).
  void claim_fpu(PerCpu& self, const Vcpu& v);
  /// Holding the core lock, after `d` stopped being runnable (paused, dying): waits until no other CPU
  /// is busy with one of its vCPUs (PerCpu::current), asking each that is to pick again. On one CPU, or
  /// before the run, nothing to wait for.
  void wait_off(Domain& d);
  /// The same before `d`'s vCPUs go: also every floating-point register they own is stored (other CPUs
  /// asked to), so that this CPU may forget them.
  void let_go_of(Domain& d);

  static Hypervisor* instance_; ///< the one that runs the machine (the last one made)

  /// Each physical CPU's floating-point and vector registers. First, at the object's own address: the
  /// check before each entry then needs little of run()'s loop's registers (tests/bench/icount).
  LazyFpu fpu_[max_cpus];
  SpinLock core_;       ///< the core's lock while several CPUs run (shared_): the cold paths
  bool shared_ = false; ///< several CPUs run domains
  bool over_ = false;   ///< the boot CPU ended the run: the others leave their loops (atomic)
  u32 cpus_ = 1;        ///< the CPUs that run domains
  FrameAllocator& frames_;
  const FrameSource& ram_;
  FrameAccount hypervisor_; ///< per-CPU pages the backend takes when it is enabled
  DomainTable domains_;
  CreditScheduler scheduler_;
  GuestTime time_;
  VcpuTimers timers_;
  HypervisorFacts facts_;
  char capabilities_[96] = {}; ///< facts_.capabilities' text
  HypercallEnv env_;           ///< what every hypercall acts on, made once
  u64 free_before_ = 0;
  u64 hz_ = 0; ///< Timer ticks per second
  u64 started_at_ = 0;
  u64 first_guest_output_ = 0; ///< probes: cycles at the first guest console output
  u64 switches_ = 0;           ///< probes: vCPU switches
  u64 shortest_switch_ = 0;    ///< probes: cycles from an exit handled to another vCPU's entry
};

} // namespace hv
