// SPDX-License-Identifier: Apache-2.0
// A vCPU's registers as the guest entry and exit (virt/lpar_enter.S) load and store them, and the
// floating-point and vector state swapped separately (virt/lpar_vector_state.S). Layout: guest_state.h.
#pragma once

#include <hv/types.hpp>

#include <ppc64/guest_state.h>

#include <stddef.h>

namespace hv::ppc64 {

struct GuestState {
  // Loaded at entry, stored at the exit; the SPRs lpar_enter.S keeps loaded across a vCPU's exits are
  // current here only while another vCPU owns the CPU (lpar_run.cpp).
  u64 gpr[32];
  u64 cr, lr, ctr, xer;
  u64 pc;  ///< where the guest runs from (HSRR0 at entry)
  u64 msr; ///< its MSR (HSRR1 at entry); after an exit, (H)SRR1 with the interrupt's status bits
  u64 srr0, srr1, sprg[4], dar, dsisr, dec, pidr, amr, iamr, uamor, tar, dscr, ppr, fscr, pspb, vrsave;
  u64 lpcr;  ///< the partition's LPCR while it runs
  u64 lpidr; ///< its LPID
  // Why the last exit happened.
  u64 exit_vector; ///< vector offset, plus TRAP_VECTOR_HYPERVISOR when HSRR0/1 held the state
  // The hypervisor's, kept while the guest runs.
  u64 host_sp, host_msr, host_lpcr;
  u64 tidr; ///< its thread ID (a kept SPR: no other partition may read it)
};

static_assert(offsetof(GuestState, cr) == GS_CR);
static_assert(offsetof(GuestState, lr) == GS_LR);
static_assert(offsetof(GuestState, ctr) == GS_CTR);
static_assert(offsetof(GuestState, xer) == GS_XER);
static_assert(offsetof(GuestState, pc) == GS_PC);
static_assert(offsetof(GuestState, msr) == GS_MSR);
static_assert(offsetof(GuestState, srr0) == GS_SRR0);
static_assert(offsetof(GuestState, srr1) == GS_SRR1);
static_assert(offsetof(GuestState, sprg) == GS_SPRG0);
static_assert(offsetof(GuestState, sprg) + 8 == GS_SPRG1);
static_assert(offsetof(GuestState, sprg) + 16 == GS_SPRG2);
static_assert(offsetof(GuestState, sprg) + 24 == GS_SPRG3);
static_assert(offsetof(GuestState, dar) == GS_DAR);
static_assert(offsetof(GuestState, dsisr) == GS_DSISR);
static_assert(offsetof(GuestState, dec) == GS_DEC);
static_assert(offsetof(GuestState, pidr) == GS_PIDR);
static_assert(offsetof(GuestState, amr) == GS_AMR);
static_assert(offsetof(GuestState, iamr) == GS_IAMR);
static_assert(offsetof(GuestState, uamor) == GS_UAMOR);
static_assert(offsetof(GuestState, tar) == GS_TAR);
static_assert(offsetof(GuestState, dscr) == GS_DSCR);
static_assert(offsetof(GuestState, ppr) == GS_PPR);
static_assert(offsetof(GuestState, fscr) == GS_FSCR);
static_assert(offsetof(GuestState, pspb) == GS_PSPB);
static_assert(offsetof(GuestState, vrsave) == GS_VRSAVE);
static_assert(offsetof(GuestState, lpcr) == GS_LPCR);
static_assert(offsetof(GuestState, lpidr) == GS_LPIDR);
static_assert(offsetof(GuestState, exit_vector) == GS_EXIT_VECTOR);
static_assert(offsetof(GuestState, host_sp) == GS_HOST_SP);
static_assert(offsetof(GuestState, host_msr) == GS_HOST_MSR);
static_assert(offsetof(GuestState, host_lpcr) == GS_HOST_LPCR);
static_assert(offsetof(GuestState, tidr) == GS_TIDR);
static_assert(sizeof(GuestState) == GS_SIZE);

/// The floating-point and vector registers, as lpar_vector_state.S stores them (16-byte aligned).
struct alignas(16) VectorState {
  u64 vsr[64][2];
  u64 fpscr, unused;
  u64 vscr[2];
};
static_assert(offsetof(VectorState, fpscr) == 64 * 16);
static_assert(offsetof(VectorState, vscr) == 64 * 16 + 16);

} // namespace hv::ppc64
