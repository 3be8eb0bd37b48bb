// SPDX-License-Identifier: Apache-2.0
// What the trap entry saved of the interrupted hypervisor code (layout: trap_frame.h).
#pragma once

#include <hv/types.hpp>

#include <ppc64/trap_frame.h>

#include <stddef.h>

namespace hv::ppc64 {

struct TrapFrame {
  u64 gpr[32];
  u64 lr;
  u64 ctr;
  u64 cr;
  u64 xer;
  u64 pc;  ///< SRR0 or HSRR0: where the interrupted code resumes
  u64 msr; ///< SRR1 or HSRR1: its MSR, plus the interrupt's status bits
  u64 dar;
  u64 dsisr;
  u64 vector; ///< the vector offset, plus TRAP_VECTOR_HYPERVISOR for HSRR interrupts
  u64 unused;

  u64 vector_offset() const { return vector & ~static_cast<u64>(TRAP_VECTOR_HYPERVISOR); }
};

static_assert(offsetof(TrapFrame, lr) == TRAP_FRAME_LR);
static_assert(offsetof(TrapFrame, ctr) == TRAP_FRAME_CTR);
static_assert(offsetof(TrapFrame, cr) == TRAP_FRAME_CR);
static_assert(offsetof(TrapFrame, xer) == TRAP_FRAME_XER);
static_assert(offsetof(TrapFrame, pc) == TRAP_FRAME_PC);
static_assert(offsetof(TrapFrame, msr) == TRAP_FRAME_MSR);
static_assert(offsetof(TrapFrame, dar) == TRAP_FRAME_DAR);
static_assert(offsetof(TrapFrame, dsisr) == TRAP_FRAME_DSISR);
static_assert(offsetof(TrapFrame, vector) == TRAP_FRAME_VECTOR);
static_assert(sizeof(TrapFrame) == TRAP_FRAME_SIZE);

} // namespace hv::ppc64
