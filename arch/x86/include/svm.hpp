// The x86_64 port's Virtualization backend (contract/virtualization.hpp): AMD SVM with nested paging.
// Its sources are arch/x86/virt/, built for x86_64 only; the VMCB layout (x86/vmcb.hpp) is mode-neutral.
#pragma once

#include <contract/virtualization.hpp>
#include <x86/page_tables.hpp>

namespace hv::x86 {
struct Vmcb;

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
} // namespace hv::x86

namespace hv::port {

struct Virtualization {
  /// One guest's nested page tables (long mode's 4-level format) and its ASID.
  struct Space {
    x86::PageTables tables{4, 0, 0};
    u32 asid = 0;
    u64 generation = 0; ///< bumped when a mapping is replaced or removed: vCPUs flush their TLB
  };
  /// One vCPU: its VMCB (by machine address and through the direct map) and the other registers.
  struct Vcpu {
    PhysAddr vmcb_pa = 0;
    x86::Vmcb* vmcb = nullptr;
    x86::GuestRegisters registers{};
    const Space* space = nullptr;
    u64 generation = ~u64{0}; ///< the Space's generation this vCPU's TLB last saw
    x86::FxsaveArea fpu{};    ///< its x87/SSE registers, while another vCPU's are loaded (svm_fpu.cpp)
  };

  static constexpr const char name[] = "svm";
  static bool enable(FrameSource& frames, const char*& reason);
  static bool create_space(FrameSource& frames, Space& space, u32 tag);
  static bool map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr);
  static void unmap_guest_page(Space& space, PhysAddr gpa);
  static bool translate_guest(const Space& space, PhysAddr gpa, PhysAddr& out);
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
  static bool build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);
  static void raise_upcall(Vcpu& vcpu, u32 vector);
};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
