// SPDX-License-Identifier: Apache-2.0
// The protected-mode half of starting a secondary CPU (x86/smp.hpp): PAE paging on the hypervisor's
// tables, as Paging::init turned it on for the boot CPU. x86_32 has no virtualization backend, so there is
// no per-CPU virtualization state to prepare.
#include <port.hpp>
#include <x86/instructions.hpp>
#include <x86/smp.hpp>

namespace hv::x86 {

void use_hypervisor_tables() {
  write_cr4(read_cr4() | cr4_pae);
  write_cr3(static_cast<uptr>(port::Paging::root()));
  write_cr0(read_cr0() | cr0_paging);
}

bool take_virtualization_page(FrameSource&, PhysAddr& page) {
  page = 0;
  return true;
}

void prepare_virtualization(const SecondaryStart&) {}

} // namespace hv::x86
