// SPDX-License-Identifier: Apache-2.0
// What the LPAR backend's files share inside the port: the partition table, the LPCR a guest runs with,
// interrupt delivery into a guest, and the assembly that enters guests and swaps vector state.
#pragma once

#include <port.hpp>

#include <ppc64/byte_order.hpp>
#include <ppc64/registers.hpp>

namespace hv::ppc64::lpar {

/// The partition table PTCR points at (Paging::init made it; entry 0 is the hypervisor's), as
/// Virtualization::enable found it.
struct PartitionTable {
  PhysAddr base = 0;
  u32 max_lpid = 0; ///< the largest LPID a guest may have: the table's last entry, within LPIDR's width
};
extern PartitionTable partition_table;

/// The LPCR a guest runs with, from the hypervisor's current one: AIL=0 (every interrupt, its own and
/// the hypervisor's it causes, is taken in real mode), ILE in the image's byte order, radix (HR, UPRT),
/// the small decrementer, no guest tlbie, external interrupts to the hypervisor (LPES=0), and the
/// hypervisor's own HDICE/HVICE so that its timer still ends a guest's run when it is on. `external`
/// sets MER: an external interrupt as soon as the guest has MSR[EE]=1. Inline: it runs at every entry.
inline u64 guest_lpcr(u64 host_lpcr, bool external) {
  constexpr u64 set_per_partition = lpcr::ail_mask | lpcr::ile | lpcr::ld | lpcr::mer | lpcr::gtse | lpcr::lpes;
  constexpr u64 fixed = lpcr::hr | lpcr::uprt | (little_endian_image ? lpcr::ile : 0);
  return (host_lpcr & ~set_per_partition) | fixed | (external ? lpcr::mer : 0);
}

/// Makes the guest take interrupt `vector` at its next entry, as the CPU does for an interrupt the
/// partition handles itself with AIL=0: SRR0 = where it was (`pc`), SRR1 = its MSR with `status` in the
/// interrupt-specific bits, then real mode at `vector` with EE, PR, IR, DR and RI off and MSR[LE] from
/// LPCR[ILE].
void deliver_to_guest(GuestState& state, u64 vector, u64 pc, u64 status);

/// In real mode the CPU ignores effective address bits 0:3.
constexpr u64 real_address_mask = 0x0fff'ffff'ffff'ffffull;

/// The instruction word at the guest's `pc` when it exited with HEAI: HEIR where the CPU filled it,
/// else read from guest memory when the guest fetched in real mode. false when neither is possible.
bool exit_instruction(const port::Virtualization::Vcpu& vcpu, u32& instruction);

/// Set by the first create_vcpu: until then the kept SPRs hold no guest's values, and a firmware call has
/// nothing of a guest to keep across it (opal.cpp).
extern bool any_vcpu_made;

/// Runs lpar_selftest.cpp's self-test when the command line says "lpar-selftest=1"; else nothing.
/// Defined only in an image built with probes (hv/config.hpp).
void self_test_if_asked(FrameSource& frames);

} // namespace hv::ppc64::lpar

extern "C" {
/// lpar_enter.S: enters the guest whose registers are in `state`, returns at its next exit with them
/// stored back and the exit recorded. Called and returns with MSR[EE]=0.
void lpar_enter(hv::ppc64::GuestState* state);
/// lpar_vector_state.S: stores / loads the floating-point and vector registers.
void lpar_vector_save(hv::ppc64::VectorState* area);
void lpar_vector_load(const hv::ppc64::VectorState* area);
/// lpar_enter.S: stores / loads the kept SPRs alone (around a firmware call: opal.cpp).
void lpar_kept_save(hv::ppc64::GuestState* state);
void lpar_kept_load(const hv::ppc64::GuestState* state);
}
