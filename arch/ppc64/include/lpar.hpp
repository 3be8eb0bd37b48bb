// SPDX-License-Identifier: Apache-2.0
// The ppc64 port's Virtualization backend (contract/virtualization.hpp): POWER9 hypervisor mode, each
// guest a logical partition with its own LPID and a partition-scoped radix tree. Its sources are
// arch/ppc64/virt/; docs/guest-abi.md says what a guest sees.
#pragma once

#include <contract/virtualization.hpp>

#include <ppc64/guest_state.hpp>

extern "C" {
/// lpar_enter.S: stores / loads a vCPU's kept SPRs (the guest SPRs that stay loaded across its exits)
/// into / from `state`, then its floating-point and vector registers into / from `area`.
void lpar_fpu_save(hv::ppc64::GuestState* state, hv::ppc64::VectorState* area);
void lpar_fpu_load(const hv::ppc64::GuestState* state, const hv::ppc64::VectorState* area);
}

namespace hv::ppc64 {
/// A vCPU's state as the save stream carries it (lpar_vcpu_state.cpp): the partition's registers, with
/// what belongs to the host (LPCR, LPID, the host's registers, the last exit) zero; its FP/VMX/VSX
/// registers; and whether an upcall waits for it.
struct LparVcpuImage {
  GuestState state;
  VectorState vectors;
  u64 upcall_pending;
};
} // namespace hv::ppc64

namespace hv::port {

struct Virtualization {
  /// One guest's second stage: its LPID and the partition-scoped radix tree (guest real address ->
  /// machine address, 52 bits, 4 KiB pages) that its partition-table entry points at.
  struct Space {
    PhysAddr root = 0;
    u32 lpid = 0;
  };
  /// One vCPU: the registers the entry and exit swap, and a page for its floating-point and vector
  /// registers (moved only when another vCPU takes the CPU).
  struct Vcpu {
    ppc64::GuestState state{};
    PhysAddr vector_state = 0;
    ppc64::VectorState* vectors = nullptr; ///< that page, through the direct map
    const Space* space = nullptr;
    bool upcall_pending = false;
  };

  static constexpr const char name[] = "lpar";
  static bool enable(FrameSource& frames, const char*& reason);
  static bool create_space(FrameSource& frames, Space& space, u32 tag);
  static bool map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr);
  static void unmap_guest_page(Space& space, PhysAddr gpa);
  /// The backend's own walk of `space`, for the exits it settles alone (not in the contract: common code
  /// reaches guest memory through the p2m): true and the machine address in `out` when `gpa` is mapped.
  static bool translate_guest(const Space& space, PhysAddr gpa, PhysAddr& out);
  static bool create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start);
  static void destroy_vcpu(FrameSource& frames, Vcpu& vcpu);
  static void destroy_space(FrameSource& frames, Space& space);
  static void run(Vcpu& vcpu, GuestExit& exit);
  static void complete(Vcpu& vcpu, const GuestExit& done);
  static bool accepts_image(u16 machine, u8 elf_class, u8 elf_data);
  static constexpr u32 uart_port = 0; // no port I/O on POWER
  static constexpr u32 debug_port = 0;
  static bool build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);
  static void raise_upcall(Vcpu& vcpu, u32 vector);
  /// Our own record (ppc64/vcpu_context.hpp; lpar_vcpu_context.cpp).
  static i32 start_from_context(const GuestRecord& record, GuestStart& start);
  /// VCPUOP_initialise: our own record, hv/abi/ppc64_vcpu.hpp (lpar_vcpu_context.cpp); false for a pc
  /// or MSR the partition cannot start with (abi::ppc64_vcpu_startable).
  static constexpr usize vcpu_context_bytes = 64;
  static bool initialise_vcpu(Vcpu& vcpu, const u8* context);
  /// A vCPU's whole state for the save stream (ppc64::LparVcpuImage; lpar_vcpu_state.cpp). The guest's
  /// time base is the machine's, so `timer_now` is unused: the decrementer goes on from its saved count.
  static constexpr usize vcpu_state_bytes = sizeof(ppc64::LparVcpuImage);
  /// Dirty-page logging by write protection: a write to a page mapped without write exits as a
  /// second-stage fault before any of it is done (arch/contract/virtualization.hpp).
  static constexpr bool logs_dirty_pages = true;
  /// Takes write away from the mapped pages among `gpas` at once (the dirty log's next round).
  static void protect_guest_pages(Space& space, const PhysAddr* gpas, usize count);
  static void save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out);
  /// Refuses a state whose MSR has HV set (the partition would run as the hypervisor) or SF clear.
  static bool load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in);
  /// Partitions make hypercalls with their MMU off (docs/guest-abi.md): their pointers are guest-real,
  /// which is guest-physical.
  static bool translate_linear(const Vcpu&, u64 linear, bool, PhysAddr& out) {
    out = linear;
    return true;
  }

  // The FP, VMX and VSX registers, moved when common code says (hv/domains/lazy_fpu.hpp). The SPRs that
  // lpar_enter.S keeps loaded across a vCPU's exits move with them: the hypervisor leaves both alone, so
  // both belong to the vCPU that ran last, and with no first-use trap they move at the same entries.
  // Inline: a change of vCPU costs one call each way.
  /// No first-use trap: HFSCR[FP, VECVSX] would be one, but the runs here (QEMU) do not rely on it.
  static constexpr bool fpu_first_use_trap = false;
  static void save_fpu(Vcpu& vcpu) { lpar_fpu_save(&vcpu.state, vcpu.vectors); }
  static void load_fpu(const Vcpu& vcpu) { lpar_fpu_load(&vcpu.state, vcpu.vectors); }
  static void set_fpu_trap(Vcpu&, bool) {}
};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
