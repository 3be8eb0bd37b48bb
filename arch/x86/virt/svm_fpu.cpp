// SPDX-License-Identifier: Apache-2.0
// The guests' x87, MMX and SSE registers: the CPU set up so that FXSAVE and FXRSTOR reach them all, and
// a new vCPU's reset state. The hypervisor never uses them (it is built -mgeneral-regs-only), so across
// an exit they still hold the guest's values; common code decides when they move (hv/domains/lazy_fpu.hpp)
// and Virtualization::save_fpu/load_fpu move them.
#include "svm_state.hpp"

#include <x86/instructions.hpp>

namespace hv::x86::svm {
namespace {

constexpr uptr cr0_monitor_coprocessor = 1u << 1; // MP: WAIT honours TS
constexpr uptr cr0_emulation = 1u << 2;           // EM: x87 and SSE instructions raise #UD
constexpr uptr cr0_task_switched = 1u << 3;       // TS: they raise #NM
constexpr uptr cr4_osfxsr = 1u << 9;              // FXSAVE and FXRSTOR include the XMM registers
constexpr uptr cr4_osxmmexcpt = 1u << 10;         // unmasked SIMD exceptions are #XM, not #UD

// FXSAVE's image (Intel SDM vol. 1, 10.5.1, the same on AMD): FCW at byte 0, MXCSR at byte 24.
constexpr usize fxsave_fcw = 0;
constexpr usize fxsave_mxcsr = 24;
// The state FNINIT and a reset leave: every x87 exception masked, 64-bit precision, round to nearest,
// every SSE exception masked; registers zero and tagged empty (FTW 0 in the abridged form).
constexpr u16 fcw_initial = 0x037f;
constexpr u32 mxcsr_initial = 0x1f80;

} // namespace

void enable_fpu() {
  write_cr0((read_cr0() & ~(cr0_emulation | cr0_task_switched)) | cr0_monitor_coprocessor);
  write_cr4(read_cr4() | cr4_osfxsr | cr4_osxmmexcpt);
}

void reset_fpu(port::Virtualization::Vcpu& vcpu) {
  vcpu.fpu = FxsaveArea{};
  memcpy(vcpu.fpu.bytes + fxsave_fcw, &fcw_initial, sizeof fcw_initial);
  memcpy(vcpu.fpu.bytes + fxsave_mxcsr, &mxcsr_initial, sizeof mxcsr_initial);
}

} // namespace hv::x86::svm
