// SPDX-License-Identifier: Apache-2.0
// Port contract: hardware virtualization, the backend that runs guests (AMD SVM with nested paging on
// x86, an LPAR with partition-scoped radix on POWER9, VT-i on IA-64).
//
// Every port defines hv::port::Virtualization and static_asserts hv::contract::Virtualization on it in its
// own header. A port without a backend yet derives it from hv::NoVirtualization (below): enable() then
// says so by name, the hypervisor reports that it cannot run domains, and nothing else is called.
//
// The model, the same on every architecture:
//
//   Space   one guest's second-stage translation, guest-physical -> machine (NPT tables and an ASID;
//           a partition-table entry, its radix tree and an LPID; region IDs and a VHPT). One per domain:
//           it is the core's Domain::arch.
//   Vcpu    one virtual CPU's hardware context (the VMCB and the registers it does not hold; the LPAR's
//           saved registers; the VPD). Bound to its domain's Space when created: the core's Vcpu::arch.
//
// Common code owns the storage of both (they live inside Domain and Vcpu, default-constructed), chooses
// the memory, loads the image and decides what every exit means: hypercalls, emulated devices, shutdown.
// The port only enters the guest and turns the hardware's exit record into a GuestExit. Both types are
// used by one physical CPU at a time; nothing here takes locks.
//
// Guest memory: common code reads and writes it through hv::GuestMemory (hv/core/guest_memory.hpp), over
// the domain's p2m, which the Space mirrors (map_guest_page, unmap_guest_page); so the contract has no
// function for it, and a port writes none. A backend that touches guest memory itself while settling an
// exit alone (x86: the hypercall page a guest asks for by MSR; POWER: the instruction word of an
// emulation interrupt in real mode) walks its own Space, which holds the same pages and permissions.
#pragma once

#include <contract/concept_support.hpp>
#include <hv/string.hpp>

namespace hv {

/// Why the guest stopped running and came back to the hypervisor.
enum class GuestExitKind : u8 {
  /// The guest called the hypervisor (VMMCALL, `sc 1`, break with the hypercall immediate). Number and
  /// arguments are in GuestExit::hypercall, read through the port's register convention; common code puts
  /// the return value in result[0] and calls complete().
  hypercall,
  /// A port I/O instruction (x86 IN/OUT; ports without port I/O never report it). Writes carry the value
  /// in io.value; for reads common code puts the value in result[0] and calls complete().
  port_io,
  /// The CPU identification instruction (x86 CPUID; ports where identification does not trap never report
  /// it). The port pre-fills result[0..3] with its own answer (the host's, filtered, and the family's
  /// hypervisor leaves); common code may change it, then calls complete().
  cpuid,
  /// The guest halted its CPU (HLT, POWER's stop/nap under hypervisor control): it waits for an event,
  /// unless halt.interrupts_off says that none could wake it.
  halt,
  /// A guest-physical access the Space does not map or does not allow (NPT fault, HDSI/HISI in the
  /// partition scope). second_stage_fault.gpa says where; the guest is at the faulting instruction.
  second_stage_fault,
  /// The guest's CPU stopped beyond recovery on its own (x86 shutdown after a triple fault, POWER
  /// checkstop). The guest cannot run on; common code crashes the domain.
  guest_stopped,
  /// A physical interrupt for the hypervisor arrived while the guest ran. It is still pending, or the
  /// backend took it already (through hv::handle_trap, as its trap handler would have); common code
  /// then calls Cpu::take_pending_interrupts, which waits for nothing.
  interrupt,
  /// The guest used its floating-point or vector registers while its vCPU's first-use trap was armed
  /// (set_fpu_trap). Only a backend with `fpu_first_use_trap` reports it, and only for that use: a guest
  /// that turned the registers off itself gets its own fault, as on a machine without a hypervisor. The
  /// guest is at the instruction that used them, which runs again at the next entry; common code first
  /// makes the vCPU their owner (hv/domains/lazy_fpu.hpp).
  fpu_unavailable,
  /// The guest's interrupt controller sent a message to other vCPUs of its domain (x86: an ICR write to
  /// destinations besides the sender). GuestExit::ipi says to whom and what; common code delivers it to
  /// each through raise_interrupt or start_from_message (contract::OptionalVirtualization) and the
  /// sender goes on: the port has moved its pc past the instruction, and settled any part of the message
  /// addressed to the sender itself. Only a backend with both of those members reports it.
  ipi,
  /// Anything this backend does not decode yet; `code` is the architecture's exit code, for diagnostics.
  unhandled,
};
/// How many kinds there are (for tables indexed by kind).
inline constexpr usize guest_exit_kinds = static_cast<usize>(GuestExitKind::unhandled) + 1;

/// What an interprocessor message asks of the vCPUs it names (GuestExitKind::ipi).
enum class GuestIpi : u8 {
  /// Raise the vector in each one's interrupt controller, waking it if it waits: a fixed interrupt.
  interrupt,
  /// Take each one offline to wait for a start, whatever it was doing (x86: INIT): the family's guests
  /// bring a CPU back this way after taking it offline.
  reset,
  /// Start each one that waits (a reset one, or one never started) at the place the message names, in
  /// the architecture's start-up state (x86: a startup IPI, real mode at the vector's page); a vCPU that
  /// runs ignores it, as a CPU ignores a second startup IPI.
  start,
};

/// A decoded exit: architecture-neutral fields, plus the architecture's own code for messages.
///
/// For hypercall, port_io, cpuid and halt the port has already moved the guest's pc past the instruction
/// (`pc` still names it): common code only supplies results. For the other kinds the guest is where it
/// stopped. run() writes `kind`, `code`, `pc` and the fields that belong to that kind (below); the others
/// may hold anything, so that the hot path need not clear the whole record.
struct GuestExit {
  GuestExitKind kind = GuestExitKind::unhandled;
  u64 code = 0; ///< SVM exit code, POWER interrupt vector, VT-i exit reason
  u64 pc = 0;   ///< guest pc of the instruction that exited
  /// For guest_stopped: how the CPU stopped, in the architecture's words ("triple fault"), for messages.
  const char* stop_reason = "";
  struct {
    u64 number;
    u64 args[5]; ///< unused arguments hold whatever the guest left in those registers
  } hypercall = {};
  struct {
    u32 port;
    u8 size; ///< bytes: 1, 2 or 4
    bool write;
    u32 value; ///< what a write wrote
  } io = {};
  struct {
    u32 leaf, subleaf;
  } cpuid = {};
  struct {
    PhysAddr gpa;
    bool write, execute;
  } second_stage_fault = {};
  struct {
    /// The guest halted with its interrupts masked (x86: RFLAGS.IF clear), so that no event can wake it:
    /// the family takes such a vCPU down (a kernel's "halt" and power-off paths end so).
    bool interrupts_off;
  } halt = {};
  struct {
    u32 targets; ///< bit n: vCPU n of the sender's domain (at most 32 of them); never the sender's bit
    GuestIpi what;
    u32 value; ///< interrupt: the vector; start: where (x86: the startup IPI's vector, a 4 KiB page number)
  } ipi = {};
  /// What complete() gives back to the guest (see each kind).
  u64 result[4] = {};
};

/// Where a new vCPU starts: the architecture's boot protocol for guests (x86 PVH: 32-bit protected mode,
/// paging off, flat segments, EBX = start info; POWER: MMU off, r3 = device tree).
struct GuestStart {
  PhysAddr entry = 0;    ///< guest-physical address of the first instruction
  PhysAddr argument = 0; ///< the protocol's one boot argument (EBX on x86 PVH, r3 on POWER)
  /// Who the vCPU is, for the architecture's own ways of telling the guest (x86: CPUID leaf 0x40000004).
  u32 vcpu_id = 0;
  u32 domain_id = 0;
};

/// A record in the memory of the guest that passed it (a hypercall's argument), as a backend reads it:
/// get(offset, out, len) copies `len` bytes from `offset` into the record, false when they cannot be
/// read (common code reads them through the caller's own translation). `word_bytes` is the caller's word
/// size, 4 or 8, which selects the layout of records that follow it (the family's x86 records do).
struct GuestRecord {
  bool (*read)(const void* context, u64 offset, void* out, usize len) = nullptr;
  const void* context = nullptr;
  u32 word_bytes = 8;
  bool get(u64 offset, void* out, usize len) const { return read(context, offset, out, len); }
};

/// What the port needs to write a new guest's boot information (x86 PVH: an hvm_start_info with its
/// command line and memory map; POWER: a flattened device tree).
struct GuestBootInfo {
  u32 domain_id = 0;
  u32 vcpus = 1;
  u64 memory_bytes = 0;       ///< guest RAM is [0, memory_bytes), minus nothing
  PhysAddr boot_info_gpa = 0; ///< where common code copies what build_boot_info() wrote; page-aligned, in RAM
  StrView command_line;       ///< the domain's command line from the board, "" when none
  /// Where the domain's console ring page is (hv/core/console_ring.hpp), 0 when it has none: the last
  /// page of [boot_info_gpa, memory_bytes), which build_boot_info does not use. A port whose boot
  /// information marks that whole range reserved (x86's memory map) need do nothing; one that reserves
  /// only what it wrote (a device tree's own pages) reserves this page too, so that the guest does not
  /// take it for free RAM.
  PhysAddr console_gpa = 0;
  /// It is the control domain: the family's start info says so (x86 PVH: SIF_INITDOMAIN | SIF_PRIVILEGED
  /// in hvm_start_info.flags, hv/abi/xen.hpp's sif::).
  bool control_domain = false;
  /// The transfer window, in the control domain's space only ({0, 0} otherwise): the boot information
  /// says where it is (x86: a memory map entry of type transfer_window::e820_type; POWER's tree: a
  /// /transfer-window node with reg and compatible "hv,transfer-window"; hv/core/transfer_window.hpp).
  MemoryRange window = {};
};

} // namespace hv

namespace hv::contract {

// Optional members: a backend defines them when its guests need them; common code calls them through the
// functions below, which give the default otherwise. A backend that defines one with the wrong signature
// fails contract::Virtualization, which checks them where they exist.
//
//   static u64 guest_counter(const Vcpu& vcpu, u64 timer_now);
//       The value the guest's own cycle counter (what x86's RDTSC or POWER's mftb returns in the guest)
//       had when the port's Timer::now() read `timer_now`: the tsc_timestamp of its vcpu_time_info (the
//       family's PV time, hv/core/pv_time.hpp). Pure; called by common code between runs of `vcpu`, at
//       its schedule-in and when its timer fires. Default: `timer_now`, right for a backend that gives
//       guests the hypervisor's timer counter with no offset (x86: a guest that never wrote its TSC).
//   static u64 guest_counter_hz();
//       Ticks per second of that counter. Default: Timer::frequency_hz().
//   static u64 interrupt_deadline(const Vcpu& vcpu);
//       The Timer::now() value at which `vcpu`'s emulated devices (x86: its local APIC's timer) next raise
//       an interrupt, ~0 when none is armed. Called by common code when the vCPU halted waiting for an
//       interrupt and blocked, so that it is woken then (within a tick). Default: ~0, for a backend whose
//       guests have no device timer of their own (POWER's decrementer wakes a partition by itself).
//   static i32 start_from_context(const GuestRecord& record, GuestStart& start);
//       Reads the architecture's vCPU context record, as a control domain passes it with
//       XEN_DOMCTL_setvcpucontext to give a vCPU of a domain it builds its first state (x86: the family's
//       vcpu_guest_context, in the caller's layout; POWER: our own record, docs/lifecycle.md), into
//       `start`'s entry and argument (common code fills in who the vCPU is, then calls create_vcpu with
//       it). Returns 0, -14 (EFAULT) when the record cannot be read, or -22 (EINVAL) for a state the
//       backend cannot start a vCPU in; pure but for the reads. Default: -38 (ENOSYS), for a backend
//       whose vCPUs only the hypervisor's own builder starts.
//   static void arrive(Vcpu& vcpu);
//       `vcpu` is about to run on this physical CPU, and the last CPU it ran on (if any) was another: the
//       port re-points what it keeps per CPU for it (x86: its ASID and the host save area are this CPU's,
//       its DR0-DR3 reloaded). Called by common code with interrupts masked, before the entering
//       bookkeeping of the next run(); never while it runs elsewhere. Default: nothing, right for a
//       backend whose vCPU state holds nothing of one CPU's (POWER: tlbie reaches every thread).
//   static constexpr usize vcpu_context_bytes;
//   static bool initialise_vcpu(Vcpu& vcpu, const u8* context);
//       VCPUOP_initialise: `vcpu`, made by create_vcpu and offline, is to start, when next brought up, with
//       the registers of the architecture's record `context`, vcpu_context_bytes bytes the guest passed
//       (copied into hypervisor memory; x86: the family's vcpu_hvm_context, hv/abi/hvm_vcpu.hpp). False,
//       changing nothing, when the record asks for a state the port does not start vCPUs in (an unknown
//       mode, inconsistent control registers): -EINVAL. Called by common code while `vcpu` runs nowhere.
//       Default: absent, and VCPUOP_initialise is -ENOSYS.
//   static constexpr usize vcpu_state_bytes;
//   static void save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out);
//   static bool load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in);
//       A vCPU's whole state as the save stream carries it (docs/save-format.md, its vcpu record):
//       `vcpu_state_bytes` bytes in the backend's own layout and the machine's byte order (the stream's
//       header names the backend and the byte order, and a reader refuses any other before it reaches
//       this). save_vcpu_state writes into `out` everything of `vcpu` its guest could notice: the
//       registers; the floating-point and vector registers (common code first stored them into the vCPU
//       with save_fpu when it owned them, so the vCPU's copy is current); and the state of what the
//       backend emulates for it, its interrupt controller and timers (x86: the VMCB's guest state, the
//       virtual interrupt line, the interrupt shadow and a pending event injection, the registers VMRUN
//       does not swap, the FXSAVE image, the intercepted MSRs' copies, DR0-DR3, the local APIC with its
//       timer; POWER: the partition's registers, its FP/VMX/VSX image, the decrementer and whether an
//       upcall is pending). The guest's cycle counter is written as the value it has at `timer_now` (the
//       Timer::now() of the save), so that a restore can go on from it. Nothing that names this machine
//       (machine addresses, ASID, LPID, the host's registers) is written. Called by common code on a
//       vCPU of a paused domain, which create_vcpu made and which does not run; pure but for `out`.
//       load_vcpu_state gives `vcpu`, which create_vcpu just made for its domain's Space (GuestStart: the
//       vCPU's and domain's IDs) and which has not run, the state `in` holds, as this backend's
//       save_vcpu_state wrote it (maybe in another boot, on another machine); what belongs to this
//       machine stays as create_vcpu made it, and the guest's counter goes on from the saved value at
//       `timer_now`. False when `in` holds a state the backend cannot run (a register out of its range);
//       then common code destroys the vCPU and refuses the stream. Defaults: none (vcpu_state_bytes 0):
//       a backend without them cannot save a domain, and common code says so.
//   static u64 wall_clock_ns(u64 timer_now);
//       Nanoseconds since the Unix epoch (UTC) when Timer::now() read `timer_now`, from the machine's
//       real-time clock, or 0 when it has none. Called once, when the backend has been enabled. Default:
//       0 (guests see their wall clock start at the epoch).
//   static void raise_interrupt(Vcpu& vcpu, u32 vector);
//   static bool start_from_message(Vcpu& vcpu, u32 value);
//       Deliver an interprocessor message another vCPU of the domain sent (GuestExitKind::ipi), both
//       called by common code from the sender's exit, while `vcpu` may run on another CPU
//       (raise_interrupt) or runs nowhere (start_from_message). raise_interrupt requests `vector` in
//       `vcpu`'s interrupt controller, safely against that vCPU's own CPU taking or ending interrupts at
//       the same time (atomic updates); common code then kicks `vcpu`, so that a halted one wakes and a
//       running one is entered again and offered it. start_from_message gives `vcpu`, offline and waiting
//       for a start, the architecture's start-up state at `value` (x86: real mode, CS = value << 8, IP =
//       0, the other registers and the local APIC as after INIT), the vCPU's own identity kept; false,
//       changing nothing, when `vcpu` has no backend state (create_vcpu never made it). Default: absent;
//       a backend that reports ipi exits defines both.

//   static constexpr bool logs_dirty_pages = true;
//       The backend offers dirty-page logging (XEN_DOMCTL_shadow_op's log-dirty mode, live migration's
//       pre-copy; docs/migration.md) by write protection, and owes for it what this says: a page that
//       map_guest_page mapped with read and execute but without write stays readable and executable, and
//       the guest's write to it exits as second_stage_fault with `write` set and the guest at the writing
//       instruction (no part of the write done), which runs again when common code, having marked the
//       page dirty, maps it again with write; a map_guest_page that takes write away from a page takes
//       effect for every vCPU of the Space by its next entry (x86: its ASID flushed at the next VMRUN;
//       POWER: tlbie for its LPID), as any replacement does. Common code keeps the log (start: every RAM
//       page without write; read and clear: the round's dirty pages without write again; stop: every page
//       writable), while vCPUs of the Space may run on other CPUs. Left out (ia64, the skeleton, x86_32):
//       shadow_op answers -EOPNOTSUPP, "not offered".
//   static void protect_guest_pages(Space& space, const PhysAddr* gpas, usize count);
//       With logs_dirty_pages: takes write away from each page at guest-physical gpas[i] (page-aligned)
//       that is mapped, keeping its frame and its other rights; a page not mapped is left alone. When it
//       returns, no vCPU of `space` on any CPU writes any of them through an old translation: one flush
//       for them all (a round of the log write-protects thousands of pages, and a flush for each stopped
//       every CPU of an emulated machine thousands of times). Called by common code with the Space's
//       changes serialized (the core lock), while vCPUs of it run on other CPUs.

/// The optional members' signatures, where a backend defines them.
template <class V>
concept OptionalVirtualization =
    (!requires { &V::guest_counter; } ||
     requires(const typename V::Vcpu& v, u64 now) {
       { V::guest_counter(v, now) } -> same_as<u64>;
     }) &&
    (!requires { &V::guest_counter_hz; } || requires {
      { V::guest_counter_hz() } -> same_as<u64>;
    }) && (!requires { &V::interrupt_deadline; } || requires(const typename V::Vcpu& v) {
      { V::interrupt_deadline(v) } -> same_as<u64>;
    }) && (!requires { &V::start_from_context; } || requires(const GuestRecord& record, GuestStart& start) {
      { V::start_from_context(record, start) } -> same_as<i32>;
    }) && (!requires { &V::initialise_vcpu; } || requires(typename V::Vcpu& v, const u8* context) {
      { V::initialise_vcpu(v, context) } -> same_as<bool>;
      { V::vcpu_context_bytes } -> convertible_to<usize>;
    }) && (!requires { &V::arrive; } || requires(typename V::Vcpu& v) {
      { V::arrive(v) } -> same_as<void>;
    }) && (!requires { &V::wall_clock_ns; } || requires(u64 now) {
      { V::wall_clock_ns(now) } -> same_as<u64>;
    }) && (!requires { V::logs_dirty_pages; } || requires(typename V::Space& space, const PhysAddr* gpas, usize n) {
      { V::logs_dirty_pages } -> convertible_to<bool>;
      { V::protect_guest_pages(space, gpas, n) } -> same_as<void>;
    }) && (!requires { &V::raise_interrupt; } || requires(typename V::Vcpu& v, u32 vector, u32 value) {
      { V::raise_interrupt(v, vector) } -> same_as<void>;
      { V::start_from_message(v, value) } -> same_as<bool>;
    }) && (!requires { V::vcpu_state_bytes; } ||
           requires(const typename V::Vcpu& v, typename V::Vcpu& m, u64 now, u8* out, const u8* in) {
             { V::vcpu_state_bytes } -> convertible_to<usize>;
             { V::save_vcpu_state(v, now, out) } -> same_as<void>;
             { V::load_vcpu_state(m, now, in) } -> same_as<bool>;
           });

template <class V>
concept Virtualization =
    OptionalVirtualization<V> &&
    requires(FrameSource& frames, const char*& reason, typename V::Space& space, const typename V::Space& const_space,
             typename V::Vcpu& vcpu, const typename V::Vcpu& const_vcpu, const GuestStart& start, GuestExit& exit,
             const GuestExit& done, PhysAddr gpa, PhysAddr machine, MapAttr attr, u32 tag, u16 elf_machine,
             u8 elf_class, u8 elf_data, const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used, u32 vector,
             bool armed, u64 linear, bool write, PhysAddr& out) {
      /// The backend's short name for messages ("svm", "lpar", "vt-i").
      { V::name } -> convertible_to<const char*>;
      /// Detects the extension and what the backend needs of it (SVM and NPT; hypervisor mode and radix;
      /// VT-i), then turns it on for this CPU, taking the per-CPU pages it needs (host save area) from
      /// `frames`. Called by common code once per physical CPU, after Traps::init, with interrupts masked,
      /// before any other function here. Returns false with `reason` naming what is missing ("no SVM",
      /// "no nested paging", "SVM disabled by firmware", "out of memory"); then the CPU is left as it was.
      { V::enable(frames, reason) } -> same_as<bool>;
      /// Makes `space` an empty second-stage translation (every access faults) for the guest tagged `tag`
      /// (ASID, LPID, region-ID block; 1 and up, unique among live guests). Tables come from `frames`.
      /// Returns false when `frames` runs out or `tag` is out of the hardware's range.
      { V::create_space(frames, space, tag) } -> same_as<bool>;
      /// Maps the page at guest-physical `gpa` to the machine page `machine` with `attr` (read, write,
      /// execute), replacing any mapping. Both page-aligned. Intermediate tables from `frames`. Called with
      /// the Space's changes serialized by common code, while vCPUs of `space` may run on other CPUs (one
      /// vCPU's exit maps a page its siblings use). A replacement that takes something away (another frame,
      /// or a right) takes effect for every vCPU as unmap_guest_page says; one that only adds rights to the
      /// same frame (the dirty log's first write of a page) may leave the narrower translation cached on
      /// other CPUs, where it can only make a write fault once more: common code then maps the page again
      /// and the port drops it there. Returns false when out of frames or unaligned.
      { V::map_guest_page(frames, space, gpa, machine, attr) } -> same_as<bool>;
      /// Removes the mapping of the page at guest-physical `gpa`, if any (the page was given back, or another
      /// frame goes there next). When this returns, and when a map_guest_page that replaced a mapping
      /// returns, no vCPU of `space` on any CPU uses the old translation any more, so that common code may
      /// free or reuse the old frame at once (x86: every other CPU in one of its vCPUs is interrupted and
      /// waited for until it left the guest, and each vCPU's next VMRUN flushes its ASID; POWER: tlbie for
      /// its LPID, which every thread has obeyed once tlbsync and ptesync complete). May be called while
      /// other CPUs run vCPUs of `space` (one vCPU gives a page back, or unmaps a grant, while its siblings
      /// run), never concurrently with another change to `space` (common code serializes them).
      { V::unmap_guest_page(space, gpa) } -> same_as<void>;
      /// Makes `vcpu` a fresh vCPU of `const_space` (which must outlive it), ready to start at `start` per the
      /// architecture's guest boot protocol; its per-vCPU structures come from `frames`. Its saved
      /// floating-point and vector state is the architecture's reset state; the CPU's registers are not
      /// touched (common code loads them: load_fpu below). The storage may have been a vCPU before: common
      /// code made the registers forget it first. Returns false when `frames` runs out.
      { V::create_vcpu(frames, vcpu, const_space, start) } -> same_as<bool>;
      /// Gives back everything create_vcpu took for `vcpu` (VMCB, saved-state pages) to `frames`, which must
      /// be the source they came from. Called by common code once, after the vCPU's last run (its domain
      /// shut down or crashed), before destroy_space of its Space, and after common code stopped counting
      /// it as the owner of the floating-point and vector registers: whatever of it they still hold is
      /// never saved. The vCPU is not run again and may later be created anew. Never fails.
      { V::destroy_vcpu(frames, vcpu) } -> same_as<void>;
      /// Gives back every table of `space` to `frames` (the source create_space and map_guest_page took them
      /// from) and makes its tag free for a later create_space (x86: the ASID; POWER: the partition-table
      /// entry cleared, the LPID's translations flushed). Called by common code once, after destroy_vcpu of
      /// every vCPU of `space`. Afterwards the port holds nothing of that guest: the machine pages the
      /// space mapped belong to common code, which frees them. Never fails.
      { V::destroy_space(frames, space) } -> same_as<void>;
      /// Runs `vcpu` until it exits, and decodes the exit into `exit`. Called by common code with interrupts
      /// masked; returns with them masked. Exits the port can settle alone without any policy (an x86
      /// guest's own EFER write) never come back here. Never fails: what it cannot decode is `unhandled`.
      { V::run(vcpu, exit) } -> same_as<void>;
      /// Gives the guest what common code decided for `done`, the exit run() last returned: result[0] into
      /// the hypercall return register (RAX, r3, r8) or into the destination of a port read, result[0..3]
      /// into EAX..EDX for cpuid; nothing for other kinds. Called at most once per exit, before the next run().
      { V::complete(vcpu, done) } -> same_as<void>;
      /// Whether guests of this ELF kind run here: e_machine, EI_CLASS (1: 32-bit, 2: 64-bit) and EI_DATA
      /// (1: little-, 2: big-endian). A guest shares the hypervisor's byte order (it reads shared_info in
      /// place). Common code refuses any other image by name before building the domain.
      { V::accepts_image(elf_machine, elf_class, elf_data) } -> same_as<bool>;
      /// The I/O port where each domain finds an emulated 16550 UART (the PC's COM1, 0x3f8); 0 on
      /// architectures without port I/O.
      { V::uart_port } -> convertible_to<u32>;
      /// The I/O port whose bytes a guest writes are gathered into lines of the hypervisor's console,
      /// prefixed "(dN) " (the family's debug console: 0xe9 on x86; reads give all ones), or 0 where there
      /// is none.
      { V::debug_port } -> convertible_to<u32>;
      /// Writes the boot information a guest of this architecture expects into `buffer` (`capacity` bytes,
      /// zeroed), laid out to be copied to guest-physical `boot.boot_info_gpa`, which is also the boot
      /// argument the vCPU starts with (GuestStart::argument). Sets `used`. Returns false when it does not fit.
      /// Called by common code once per domain while building it; pure: touches nothing but `buffer`.
      { V::build_boot_info(boot, buffer, capacity, used) } -> same_as<bool>;
      /// Interrupts the guest once with its event upcall, as soon as it can take an interrupt: at once if it
      /// can at the next entry, else when it next enables interrupts (x86: the virtual interrupt line with
      /// IDT vector `vector`, the HVM callback vector the guest registered; POWER: an external interrupt to
      /// the partition, `vector` unused). Raising it again before the guest took it changes nothing. Called
      /// by common code between run()s when an event makes the vCPU's upcall pending, and when an event is
      /// still pending at its halt or unmask.
      { V::raise_upcall(vcpu, vector) } -> same_as<void>;
      /// The guest-physical address in `out` of `linear`, an address as `const_vcpu`'s code uses it now:
      /// through its own page tables when it has paging on. This is how hypercall arguments are found (the
      /// family's ABI passes pointers as the caller's virtual addresses). False when the guest's tables map
      /// nothing there, or nothing writable for `write`: the hypercall's -EFAULT. A backend whose guests
      /// pass physical addresses (POWER's real-mode hypercall convention) gives `linear` back. Reads the
      /// guest's tables through its own Space (which mirrors the p2m); called by common code during an
      /// exit of `const_vcpu`, which does not run meanwhile. Never writes guest memory.
      { V::translate_linear(const_vcpu, linear, write, out) } -> same_as<bool>;

      // The floating-point and vector registers (x87/SSE; FP/VMX/VSX). The hypervisor never uses them, so
      // after an exit they still hold the guest's values, and they move between vCPUs only when common code
      // says so (hv/domains/lazy_fpu.hpp), which decides which vCPU owns them on each physical CPU and when
      // they move; the backend only saves, loads and arms its trap. A backend may move other guest
      // registers that the hypervisor leaves alone together with them (the LPAR backend's kept SPRs),
      // provided that its first-use trap, if it has one, catches the guest's use of those too.

      /// Whether the backend can trap a guest's first use of the registers (set_fpu_trap, the
      /// fpu_unavailable exit). With it, common code moves them only when a vCPU uses them; without it,
      /// before the entry of any vCPU that does not own them. Fixed for the run (constexpr on hardware).
      { V::fpu_first_use_trap } -> convertible_to<bool>;
      /// Stores the registers the CPU holds into `vcpu`'s saved state. Called by common code only for
      /// their owner, while no guest runs, with interrupts masked, just before another vCPU's are loaded.
      /// Never fails.
      { V::save_fpu(vcpu) } -> same_as<void>;
      /// Loads `vcpu`'s saved state into the registers (after create_vcpu: the reset state), making them
      /// wholly its own: nothing of the previous owner may be left. Called by common code as save_fpu,
      /// before `vcpu` runs with them. Never fails.
      { V::load_fpu(vcpu) } -> same_as<void>;
      /// Arms (`armed`) or disarms the first-use trap on `vcpu`, for its following entries: armed, its first
      /// use of the registers is an fpu_unavailable exit instead. Called by common code only when
      /// `fpu_first_use_trap` is true, while `vcpu` does not run: armed on every vCPU but the registers'
      /// owner. The trap must be invisible to the guest (its own view of whether the registers are on
      /// stays its own). A backend without a trap defines it empty.
      { V::set_fpu_trap(vcpu, armed) } -> same_as<void>;
    };

} // namespace hv::contract

namespace hv {

/// The backend of a port that has none yet: enable() refuses by name, and since common code calls
/// nothing else before a successful enable(), the rest is never reached (it stops the machine if it is).
/// A port writes `struct Virtualization : NoVirtualization {};` and the same static_assert as the others.
struct NoVirtualization {
  struct Space {};
  struct Vcpu {};
  static constexpr const char name[] = "none";
  static bool enable(FrameSource&, const char*& reason) {
    reason = "this port has no hardware virtualization backend yet";
    return false;
  }
  [[noreturn]] static void unreachable() { __builtin_trap(); }
  static bool create_space(FrameSource&, Space&, u32) { unreachable(); }
  static bool map_guest_page(FrameSource&, Space&, PhysAddr, PhysAddr, MapAttr) { unreachable(); }
  static void unmap_guest_page(Space&, PhysAddr) { unreachable(); }
  static bool create_vcpu(FrameSource&, Vcpu&, const Space&, const GuestStart&) { unreachable(); }
  static void destroy_vcpu(FrameSource&, Vcpu&) {}
  static void destroy_space(FrameSource&, Space&) {}
  static void run(Vcpu&, GuestExit&) { unreachable(); }
  static void complete(Vcpu&, const GuestExit&) { unreachable(); }
  static bool accepts_image(u16, u8, u8) { return false; }
  static constexpr u32 uart_port = 0;
  static constexpr u32 debug_port = 0;
  static bool build_boot_info(const GuestBootInfo&, u8*, usize, usize&) { return false; }
  static void raise_upcall(Vcpu&, u32) { unreachable(); }
  static bool translate_linear(const Vcpu&, u64, bool, PhysAddr&) { unreachable(); }
  static constexpr bool fpu_first_use_trap = false;
  static void save_fpu(Vcpu&) { unreachable(); }
  static void load_fpu(Vcpu&) { unreachable(); }
  static void set_fpu_trap(Vcpu&, bool) { unreachable(); }
};

static_assert(contract::Virtualization<NoVirtualization>, "NoVirtualization meets the contract");

/// V::guest_counter, or its default (T: the port's Timer).
template <class V, class T> u64 guest_counter(const typename V::Vcpu& vcpu, u64 timer_now) {
  if constexpr (requires { V::guest_counter(vcpu, timer_now); })
    return V::guest_counter(vcpu, timer_now);
  else
    return timer_now;
}
/// V::guest_counter_hz, or its default.
template <class V, class T> u64 guest_counter_hz() {
  if constexpr (requires { V::guest_counter_hz(); })
    return V::guest_counter_hz();
  else
    return T::frequency_hz();
}
/// V::interrupt_deadline, or its default.
template <class V> u64 interrupt_deadline(const typename V::Vcpu& vcpu) {
  if constexpr (requires { V::interrupt_deadline(vcpu); })
    return V::interrupt_deadline(vcpu);
  else
    return ~u64{0};
}
/// V::start_from_context, or its default.
template <class V> i32 start_from_context(const GuestRecord& record, GuestStart& start) {
  if constexpr (requires { V::start_from_context(record, start); })
    return V::start_from_context(record, start);
  else
    return -38; // ENOSYS
}
/// V::vcpu_context_bytes, or 0 when the backend does not initialise vCPUs.
template <class V> constexpr usize vcpu_context_bytes() {
  if constexpr (requires { V::vcpu_context_bytes; })
    return V::vcpu_context_bytes;
  else
    return 0;
}
/// V::initialise_vcpu, or false when the backend has none.
template <class V> bool initialise_vcpu(typename V::Vcpu& vcpu, const u8* context) {
  if constexpr (requires { V::initialise_vcpu(vcpu, context); })
    return V::initialise_vcpu(vcpu, context);
  else
    return false;
}
/// V::arrive, or its default.
template <class V> void arrive(typename V::Vcpu& vcpu) {
  if constexpr (requires { V::arrive(vcpu); }) V::arrive(vcpu);
}
/// V::logs_dirty_pages, or false for a backend that does not offer dirty-page logging.
template <class V> constexpr bool logs_dirty_pages() {
  if constexpr (requires { V::logs_dirty_pages; })
    return V::logs_dirty_pages;
  else
    return false;
}
/// V::vcpu_state_bytes, or 0 for a backend that cannot save a vCPU's state.
template <class V> constexpr usize vcpu_state_bytes() {
  if constexpr (requires { V::vcpu_state_bytes; })
    return V::vcpu_state_bytes;
  else
    return 0;
}
/// V::save_vcpu_state, where vcpu_state_bytes<V>() is not 0.
template <class V> void save_vcpu_state(const typename V::Vcpu& vcpu, u64 timer_now, u8* out) {
  if constexpr (vcpu_state_bytes<V>() != 0) V::save_vcpu_state(vcpu, timer_now, out);
}
/// V::load_vcpu_state, or false for a backend that cannot.
template <class V> bool load_vcpu_state(typename V::Vcpu& vcpu, u64 timer_now, const u8* in) {
  if constexpr (vcpu_state_bytes<V>() != 0)
    return V::load_vcpu_state(vcpu, timer_now, in);
  else
    return false;
}
/// V::wall_clock_ns, or its default.
template <class V> u64 wall_clock_ns(u64 timer_now) {
  if constexpr (requires { V::wall_clock_ns(timer_now); })
    return V::wall_clock_ns(timer_now);
  else
    return 0;
}
/// V::raise_interrupt; nothing for a backend that reports no ipi exits.
template <class V> void raise_interrupt(typename V::Vcpu& vcpu, u32 vector) {
  if constexpr (requires { V::raise_interrupt(vcpu, vector); }) V::raise_interrupt(vcpu, vector);
}
/// V::start_from_message, or false for a backend that reports no ipi exits.
template <class V> bool start_from_message(typename V::Vcpu& vcpu, u32 value) {
  if constexpr (requires { V::start_from_message(vcpu, value); })
    return V::start_from_message(vcpu, value);
  else
    return false;
}

} // namespace hv
