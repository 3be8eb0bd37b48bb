// SPDX-License-Identifier: Apache-2.0
// The host port's Virtualization backend: a scripted CPU. Guests are C++ functions a test supplies (one
// program, called at every entry of every vCPU, that says what the guest does next by filling in the
// exit it makes), so that building domains, the exit loop and teardown run under the sanitizers on the
// host exactly as common code drives SVM or an LPAR. Its Space is a real two-level table taken from the
// frames it is given, so that frame accounting and give-back are exercised as on hardware. Its
// floating-point registers are one u64 (host::fpu_register), saved and loaded as common code's lazy
// switch says, with a first-use trap a test may turn on, so that the policy runs under the sanitizers.
#pragma once

#include <contract/virtualization.hpp>

namespace hv::port {

struct Virtualization {
  struct Space {
    PhysAddr root = 0; ///< 512 pointers to leaf tables of 512 machine addresses: 1 GiB of guest-physical
    u32 tag = 0;
  };
  struct Vcpu {
    const Space* space = nullptr;
    PhysAddr context_page = 0; ///< stands for a VMCB: taken at create_vcpu, given back at destroy_vcpu
    GuestStart start{};
    u64 entries = 0; ///< times run() entered it
    GuestExitKind last_kind = GuestExitKind::unhandled;
    u64 last_result[4] = {}; ///< what complete() gave its last exit
    u32 upcalls_raised = 0;  ///< raise_upcall() calls not yet taken by the program
    u32 upcall_vector = 0;
    u64 fpu = 0;            ///< its floating-point register while not loaded; 0 is the reset state
    bool fpu_trap = false;  ///< the first-use trap is armed
    u32 fpu_saves = 0;      ///< save_fpu() calls for it
    u32 fpu_loads = 0;      ///< load_fpu() calls for it
    u32 fpu_traps = 0;      ///< fpu_unavailable exits it made (host::guest_fpu)
    u64 counter_offset = 0; ///< how far its cycle counter runs ahead of the timer (a guest that set its own)
  };

  static constexpr const char name[] = "scripted";
  static bool enable(FrameSource& frames, const char*& reason);
  static bool create_space(FrameSource& frames, Space& space, u32 tag);
  static bool map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr);
  static void unmap_guest_page(Space& space, PhysAddr gpa);
  static bool create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start);
  static void destroy_vcpu(FrameSource& frames, Vcpu& vcpu);
  static void destroy_space(FrameSource& frames, Space& space);
  static void run(Vcpu& vcpu, GuestExit& exit);
  static void complete(Vcpu& vcpu, const GuestExit& done);
  /// Any little-endian 64-bit ELF (the host's byte order and word size).
  static bool accepts_image(u16 machine, u8 elf_class, u8 elf_data);
  static constexpr u32 uart_port = 0x3f8;
  static constexpr u32 debug_port = 0xe9;
  /// A record of the domain's ID, memory and command line (tests read it back through the guest's memory).
  static bool build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);
  static void raise_upcall(Vcpu& vcpu, u32 vector);
  /// Scripted guests name guest-physical addresses: linear is physical.
  static bool translate_linear(const Vcpu&, u64 linear, bool, PhysAddr& out) {
    out = linear;
    return true;
  }
  /// Whether the scripted CPU traps a guest's first use of its floating-point register. Off, as on the
  /// hardware backends; a test turns it on (host::set_fpu_first_use_trap) before it builds vCPUs.
  static inline bool fpu_first_use_trap = false;
  static void save_fpu(Vcpu& vcpu);
  static void load_fpu(Vcpu& vcpu);
  static void set_fpu_trap(Vcpu& vcpu, bool armed);
  /// The optional members (contract/virtualization.hpp): a counter `counter_offset` ahead of the timer,
  /// at the timer's rate, and a wall clock that started at host::boot_wall_clock_s.
  static u64 guest_counter(const Vcpu& vcpu, u64 timer_now) { return timer_now + vcpu.counter_offset; }
  static u64 wall_clock_ns(u64 timer_now);
  /// setvcpucontext's record here: two u64s, the entry (which scripted guest) and the boot argument; an
  /// entry of 0 is refused (-EINVAL).
  static i32 start_from_context(const GuestRecord& record, GuestStart& start);
  /// A vCPU's state in the save stream (scripted_vcpu_state.cpp): what its program sees of it.
  static constexpr usize vcpu_state_bytes = 12 * sizeof(u64);
  /// Dirty-page logging by write protection: a scripted guest writes through host::guest_memory_to_write,
  /// which makes the write fault on a page mapped without write, as the hardware backends do.
  static constexpr bool logs_dirty_pages = true;
  /// Takes write away from the mapped pages among `gpas` at once (the dirty log's next round).
  static void protect_guest_pages(Space& space, const PhysAddr* gpas, usize count);
  static void save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out);
  static bool load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in);
};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");

namespace hv::host {

/// What a scripted guest does at one entry: fills `exit` (kind, pc and that kind's fields) as the
/// hardware would report it. `cpu.start.entry` tells which guest it is (each test image has its own);
/// `cpu.entries` counts entries, the first being 1; `cpu.last_result` holds what the last exit got back.
using GuestProgram = void (*)(port::Virtualization::Vcpu& cpu, GuestExit& exit);

/// The program every scripted vCPU runs from now on (null: every entry is an unhandled exit).
void set_guest_program(GuestProgram program);

/// Whether Virtualization::enable succeeds (a test of the no-backend path turns it off).
void set_virtualization_available(bool available);

/// Whether the scripted CPU traps first uses of the floating-point register (Virtualization::
/// fpu_first_use_trap). Set it while no vCPU exists: common code arms the trap when it creates one.
void set_fpu_first_use_trap(bool on);

/// The scripted CPU's floating-point register, standing for the whole register file: what the guest that
/// runs reads and writes, until save_fpu and load_fpu move it to and from a vCPU's `fpu`.
u64& fpu_register();

/// What a scripted guest calls to use its floating-point register at this entry: the register, or null
/// when the first-use trap is armed on `cpu`. `exit` is then that trap's exit (fpu_unavailable, counted in
/// `cpu.fpu_traps`), and the guest tries the same step again at its next entry, as the trapping
/// instruction would run again.
u64* guest_fpu(port::Virtualization::Vcpu& cpu, GuestExit& exit);
/// The Unix time (s) the scripted machine's wall clock shows at timer 0: 2024-01-01 00:00:00 UTC.
inline constexpr u64 boot_wall_clock_s = 1'704'067'200;

/// What a guest program sees at guest-physical `gpa` of `cpu`'s guest, through its Space as a load or
/// store of the guest would reach it: a pointer into the page, or null where nothing is mapped.
void* guest_memory(const port::Virtualization::Vcpu& cpu, u64 gpa);
/// The same for a write: null, with `exit` made the second-stage fault the write raises, when the page is
/// not mapped or mapped without write (the guest tries again at its next entry, as the faulting
/// instruction would run again).
void* guest_memory_to_write(const port::Virtualization::Vcpu& cpu, u64 gpa, GuestExit& exit);

} // namespace hv::host
