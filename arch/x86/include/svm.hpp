// SPDX-License-Identifier: Apache-2.0
// The x86_64 port's Virtualization backend (contract/virtualization.hpp): AMD SVM with nested paging.
// Its sources are arch/x86/virt/, built for x86_64 only; the VMCB layout (x86/vmcb.hpp) is mode-neutral.
#pragma once

#include <contract/virtualization.hpp>
#include <x86/guest_msrs.hpp>
#include <x86/page_tables.hpp>
#include <x86/vmcb.hpp>

namespace hv::x86 {

/// The guest registers VMRUN neither loads nor saves (the VMCB holds RAX, RSP, RIP, RFLAGS): svm_enter.S
/// swaps them with the hypervisor's around VMRUN, in this order (its offsets depend on it).
struct GuestRegisters {
  u64 rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15;
};
static_assert(sizeof(GuestRegisters) == 14 * 8, "svm_enter.S stores 14 registers");

/// A guest's x87, MMX and SSE registers as FXSAVE stores them, while another vCPU's are in the CPU.
struct alignas(16) FxsaveArea {
  u8 bytes[512];
};
/// A vCPU's state as the save stream carries it (svm_vcpu_state.cpp): the VMCB's guest state and the
/// control fields that belong to the guest, then what the vCPU keeps beside the VMCB. No machine address,
/// ASID or host state.
struct SvmVcpuImage {
  VmcbState state;
  u64 guest_tsc;         ///< the guest's TSC at the save (the VMCB holds only its offset from the host's)
  u64 virtual_interrupt; ///< V_TPR, V_IRQ, its priority and vector, V_INTR_MASKING
  u64 interrupt_shadow;
  u64 event_injection; ///< an event injected at the next entry, if valid
  GuestRegisters registers;
  FxsaveArea fpu;
  GuestMsrs msrs; ///< the intercepted MSRs' copies and the local APIC
  u64 debug_address[4];
  u64 string_in_to;
  u64 line_from_apic;
};
} // namespace hv::x86

namespace hv::port {

struct Virtualization {
  /// One guest's nested page tables (long mode's 4-level format).
  struct Space {
    x86::PageTables tables{4, 0, 0};
    u64 generation = 0; ///< bumped when a mapping is replaced or removed: vCPUs flush their TLB
  };
  /// One vCPU: its VMCB (by machine address and through the direct map) and the other registers.
  struct Vcpu {
    PhysAddr vmcb_pa = 0;
    x86::Vmcb* vmcb = nullptr;
    x86::GuestRegisters registers{};
    const Space* space = nullptr;
    u64 generation = ~u64{0};    ///< the Space's generation this vCPU's TLB last saw; ~0: none yet
    u32 asid = 0;                ///< from CPU asid_cpu's pool when it runs there; 0 again when they are reused
    u32 asid_cpu = ~u32{0};      ///< the CPU whose ASID `asid` is (x86::svm::renew_tlb)
    PhysAddr host_vmsave_pa = 0; ///< the host VMSAVE area of the CPU it runs on (set with its ASID)
    x86::FxsaveArea fpu{};       ///< its x87/SSE registers, while another vCPU's are loaded
    x86::GuestMsrs msrs{};       ///< the intercepted MSRs the VMCB does not hold (guest_msrs.cpp)
    u32 vcpu_id = 0;             ///< as GuestStart said, for CPUID (svm_cpuid.cpp)
    u64 string_in_to = ~u64{0};  ///< where the INS element being done goes (svm_string_io.cpp); else ~0
    u64 debug_address[4] = {};   ///< its DR0-DR3 (svm_debug_regs.cpp)
    u32 domain_id = 0;
    bool line_from_apic = false; ///< the virtual interrupt line holds a local APIC vector (svm_interrupts.cpp)
  };

  static constexpr const char name[] = "svm";
  static bool enable(FrameSource& frames, const char*& reason);
  static bool create_space(FrameSource& frames, Space& space, u32 tag);
  static bool map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr);
  static void unmap_guest_page(Space& space, PhysAddr gpa);
  /// The backend's own walk of `space`, for the exits it settles alone (not in the contract: common code
  /// reaches guest memory through the p2m): true and the machine address in `out` when `gpa` is mapped,
  /// and with `write` mapped writable (a read-only grant is not).
  static bool translate_guest(const Space& space, PhysAddr gpa, PhysAddr& out, bool write = false);
  static bool create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start);
  static void destroy_vcpu(FrameSource& frames, Vcpu& vcpu);
  static void destroy_space(FrameSource& frames, Space& space);
  static void run(Vcpu& vcpu, GuestExit& exit);
  static void complete(Vcpu& vcpu, const GuestExit& done);

private:
  static void enter(Vcpu& vcpu);                   // one VMRUN
  static void decode(Vcpu& vcpu, GuestExit& exit); // the #VMEXIT as a GuestExit
public:
  static bool accepts_image(u16 machine, u8 elf_class, u8 elf_data);
  static constexpr u32 uart_port = 0x3f8; // the PC's COM1
  static constexpr u32 debug_port = 0xe9; // the family's debug console
  static bool build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);
  static void raise_upcall(Vcpu& vcpu, u32 vector);
  /// Its next entry renews its TLB state on this CPU (this CPU's ASID and host save area) and reloads its
  /// DR0-DR3 (svm_run.cpp).
  static void arrive(Vcpu& vcpu);
  /// An interprocessor message from another vCPU's local APIC (svm_ipi.cpp): a fixed interrupt
  /// requested in this one's, or INIT-SIPI's start in real mode at page `value`.
  static void raise_interrupt(Vcpu& vcpu, u32 vector);
  static bool start_from_message(Vcpu& vcpu, u32 value);
  /// VCPUOP_initialise's record: the family's vcpu_hvm_context, 32- or 64-bit (svm_context.cpp).
  static constexpr usize vcpu_context_bytes = 128;
  static bool initialise_vcpu(Vcpu& vcpu, const u8* context);
  /// Inline for a guest with paging off (the PVH entry's mode, where test guests stay): linear is physical.
  /// The guest's TSC: the host's (Timer::now) plus the offset a guest's write of its TSC MSR set.
  static u64 guest_counter(const Vcpu& vcpu, u64 timer_now) { return timer_now + vcpu.vmcb->control.tsc_offset; }
  /// The machine's wall clock (the CMOS real-time clock), for the family's wallclock in shared_info.
  static u64 wall_clock_ns(u64 timer_now);
  /// The family's vcpu_guest_context: x86/vcpu_context.hpp (svm_vcpu_context.cpp).
  static i32 start_from_context(const GuestRecord& record, GuestStart& start);
  /// A vCPU's whole state for the save stream (x86::SvmVcpuImage; svm_vcpu_state.cpp).
  static constexpr usize vcpu_state_bytes = sizeof(x86::SvmVcpuImage);
  /// Dirty-page logging by write protection: a write to a page mapped without write exits as a
  /// second-stage fault before any of it is done (arch/contract/virtualization.hpp).
  static constexpr bool logs_dirty_pages = true;
  /// Takes write away from the mapped pages among `gpas` at once (the dirty log's next round).
  static void protect_guest_pages(Space& space, const PhysAddr* gpas, usize count);
  static void save_vcpu_state(const Vcpu& vcpu, u64 timer_now, u8* out);
  /// Refuses a state whose EFER lacks SVME (VMRUN would refuse it too) or whose CR4 has a bit a guest may
  /// not set here; always keeps V_INTR_MASKING.
  static bool load_vcpu_state(Vcpu& vcpu, u64 timer_now, const u8* in);
  /// When its local APIC's timer next fires, on the host's TSC (the guest's, less its offset).
  static u64 interrupt_deadline(const Vcpu& vcpu) {
    const u64 at = vcpu.msrs.apic.next_event;
    return at == x86::LocalApic::never ? at : at - vcpu.vmcb->control.tsc_offset;
  }
  static bool translate_linear(const Vcpu& vcpu, u64 linear, bool write, PhysAddr& out) {
    constexpr u64 cr0_paging = 1ull << 31;
    if ((vcpu.vmcb->state.cr0 & cr0_paging) == 0) {
      out = linear & 0xffff'ffffull;
      return true;
    }
    return walk_guest_tables(vcpu, linear, write, out);
  }
  /// translate_linear's walk of the guest's own tables (svm_linear.cpp).
  static bool walk_guest_tables(const Vcpu& vcpu, u64 linear, bool write, PhysAddr& out);

  // The x87/MMX/SSE registers, moved when common code says (hv/domains/lazy_fpu.hpp); svm_fpu.cpp lets
  // FXSAVE/FXRSTOR reach them all and gives each vCPU the reset state. Inline: a change of vCPU costs the
  // two instructions and nothing around them. The 64-bit forms keep a 64-bit guest's full x87
  // instruction and data pointers.
  /// No first-use trap: catching a guest's first x87 or SSE instruction would need CR0.TS forced under
  /// the guest's own, with its CR0 reads and writes intercepted and decoded (QEMU has no decode assists).
  static constexpr bool fpu_first_use_trap = false;
  static void save_fpu(Vcpu& vcpu) { asm volatile("fxsave64 %0" : "=m"(vcpu.fpu)); }
  static void load_fpu(const Vcpu& vcpu) { asm volatile("fxrstor64 %0" : : "m"(vcpu.fpu)); }
  static void set_fpu_trap(Vcpu&, bool) {}
};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
