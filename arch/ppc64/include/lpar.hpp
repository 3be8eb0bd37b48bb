// The ppc64 port's Virtualization backend (contract/virtualization.hpp): POWER9 hypervisor mode, each
// guest a logical partition with its own LPID and a partition-scoped radix tree. Its sources are
// arch/ppc64/virt/; docs/guest-abi.md says what a guest sees.
#pragma once

#include <contract/virtualization.hpp>

#include <ppc64/guest_state.hpp>

namespace hv::port {

struct Virtualization {
  /// One guest's second stage: its LPID and the partition-scoped radix tree (guest real address ->
  /// machine address, 52 bits, 4 KiB pages) that its partition-table entry points at.
  struct Space {
    PhysAddr root = 0;
    u32 lpid = 0;
  };
  /// One vCPU: the registers the entry and exit swap, and a page for its floating-point and vector
  /// registers (switched only when another vCPU takes the CPU).
  struct Vcpu {
    ppc64::GuestState state{};
    PhysAddr vector_state = 0;
    const Space* space = nullptr;
    bool upcall_pending = false;
  };

  static constexpr const char name[] = "lpar";
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
  static bool accepts_image(u16 machine, u8 elf_class, u8 elf_data);
  static constexpr u32 uart_port = 0; // no port I/O on POWER
  static bool build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used);
  static void raise_upcall(Vcpu& vcpu, u32 vector);
};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
