// SPDX-License-Identifier: Apache-2.0
// The skeleton port: a porter's starting point. Copy arch/skeleton/ to arch/<your-port>/ and fill the
// functions in, in the order docs/porting.md gives. It compiles and links as it is (the host build links
// it with all of common/, so it never falls behind the contract), and at run time every function that is
// not written yet says so by name on the console and stops the CPU.
//
// The contract's functions are declared in arch/contract/, with what each must do; your port defines them
// (console.cpp, cpu.cpp, machine.cpp, paging.cpp, traps.cpp, timer.cpp) and, here, its constants.
#pragma once

#include <contract/port.hpp>
#include <contract/virtualization.hpp>

namespace hv::port {

inline constexpr const char* Cpu::name = "skeleton"; // your port's name: the banner prints it
inline constexpr usize Paging::page_size = 4096;
inline constexpr VirtAddr Paging::scratch_va = 0x4000'0000; // pick an address outside your direct map

/// No hardware virtualization backend yet (a new port starts here; its backend comes last, in
/// docs/porting.md's Step 8): the hypervisor says so and runs no domains.
struct Virtualization : NoVirtualization {};

} // namespace hv::port

static_assert(::hv::contract::Virtualization<::hv::port::Virtualization>,
              "port: Virtualization does not meet the contract");
