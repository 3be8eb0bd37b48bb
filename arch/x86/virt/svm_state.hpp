// What the SVM backend's files share inside the port: the per-CPU host save area, the permission maps
// every guest uses, and the assembly that swaps registers around VMRUN.
#pragma once

#include <port.hpp>
#include <x86/vmcb.hpp>

namespace hv::x86::svm {

inline constexpr u32 msr_efer = 0xc000'0080;
/// The MSR a guest writes a page's guest-physical address to, to have it filled with hypercall stubs
/// (announced in CPUID leaf 0x40000002 EBX).
inline constexpr u32 hypercall_page_msr = 0x4000'0000;
inline constexpr u64 efer_svme = 1ull << 12;

/// Set by Virtualization::enable.
struct HostState {
  PhysAddr save_area_pa = 0;   ///< VM_HSAVE_PA: where VMRUN keeps the host's state
  PhysAddr vmsave_area_pa = 0; ///< a VMCB-shaped page for VMSAVE/VMLOAD of the host's hidden state
  PhysAddr iopm_pa = 0;        ///< every port intercepted
  PhysAddr msrpm_pa = 0;       ///< every MSR intercepted but EFER, which VMRUN swaps itself
};
extern HostState host;

/// The CPUID answer a guest sees for `leaf`/`subleaf` (svm_cpuid.cpp).
void guest_cpuid(u32 leaf, u32 subleaf, u64 (&result)[4]);

// The guests' x87/MMX/SSE registers (svm_fpu.cpp).
/// Lets FXSAVE/FXRSTOR reach every register (CR4.OSFXSR, CR0.EM and TS clear). Called by enable.
void enable_fpu();
/// Gives `vcpu` the registers' reset state (FNINIT's x87 state, MXCSR 0x1f80, everything else zero).
void reset_fpu(port::Virtualization::Vcpu& vcpu);
/// Loads `vcpu`'s registers unless they are the ones loaded, saving the previous vCPU's. Called by run
/// before each VMRUN.
void take_fpu(port::Virtualization::Vcpu& vcpu);
/// If `vcpu`'s registers are the ones loaded, forgets that they are: its storage is going away or being
/// made a new vCPU, and must neither be saved into later nor skip its next load.
void forget_fpu(const port::Virtualization::Vcpu& vcpu);

} // namespace hv::x86::svm

extern "C" {
/// svm_enter.S: VMLOAD the guest's hidden state, swap in `registers`, VMRUN the VMCB at `vmcb_pa`, and
/// after the #VMEXIT save it all back and restore the host's (hidden state from `host_vmsave_pa`).
/// Runs with GIF clear except inside the guest; enters and returns with interrupts masked.
void hv_svm_enter(hv::u64 vmcb_pa, hv::x86::GuestRegisters* registers, hv::u64 host_vmsave_pa);
}
