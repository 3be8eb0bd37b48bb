// The x86_64 port: a PVH-booted ELF64 image linked at 1 MiB, running in long mode on its own 4-level
// page tables, with the devices of a PC (COM1, the local APIC and its timer, the PIT to calibrate it).
// Everything that does not depend on the mode is shared with x86_32 in arch/x86_common/.
//
// The contract's functions are declared in arch/contract/ and defined in this port's sources; here are
// its constants.
#pragma once

#include <contract/port.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = "x86_64";
inline constexpr usize Paging::page_size = 4096;
/// The last 512 GiB of the address space (the top level's last slot) are for temporary mappings; the
/// identity direct map stays far below.
inline constexpr VirtAddr Paging::scratch_va = 0xffff'ff80'0000'0000ull;

} // namespace hv::port

// The optional hardware virtualization backend; svm.hpp checks it against its own concept.
#include <svm.hpp>
