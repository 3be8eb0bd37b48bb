// SPDX-License-Identifier: Apache-2.0
// The port contract, whole. Each header below declares one type of namespace hv::port with static
// member functions, and writes each function's contract where it is declared:
//
//   hv::port::Console   contract/console.hpp   early console
//   hv::port::Cpu       contract/cpu.hpp       interrupts, idle, cycle counter
//   hv::port::Machine   contract/machine.hpp   device tree, command line, image, boot module, CPUs, exit
//   hv::port::Paging    contract/paging.hpp    the hypervisor's own translation
//   hv::port::Traps     contract/traps.hpp     vectors, and what they report to common code
//   hv::port::Timer     contract/timer.hpp     periodic interrupts and a monotonic clock
//
// These declarations are the only ones: a port (arch/<port>/) defines the functions in its sources and,
// in its include/port.hpp, which includes this header, the few constants (Cpu::name, Paging::page_size,
// Paging::scratch_va) and any function it wants inline (Paging::direct_map). A function the port does
// not define fails the image's link with its name ("undefined symbol: hv::port::Timer::stop()"), even
// one that only probes call, since every image links a file that references every function
// (arch/contract/declarations.py writes it); tests/contract/missing-function proves this for every
// function and port. A definition with another signature fails its compile, pointing here. Common code
// calls these types, never a port by name; the build chooses the port by putting arch/<port>/include on
// the include path (meson.build).
//
// The optional hardware virtualization backend is the exception (contract/virtualization.hpp): its
// Space and Vcpu are the port's own types, so the port declares hv::port::Virtualization itself and a
// concept checks it.
#pragma once

#include <contract/console.hpp>
#include <contract/cpu.hpp>
#include <contract/machine.hpp>
#include <contract/paging.hpp>
#include <contract/timer.hpp>
#include <contract/traps.hpp>
