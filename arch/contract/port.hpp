// The port contract, whole. A port is a directory arch/<port>/ whose include/port.hpp defines, in
// namespace hv::port, one type per subsystem with static member functions:
//
//   hv::port::Console   contract/console.hpp   early console
//   hv::port::Cpu       contract/cpu.hpp       interrupts, idle, cycle counter
//   hv::port::Machine   contract/machine.hpp   device tree, command line, image, exit
//   hv::port::Paging    contract/paging.hpp    the hypervisor's own translation
//   hv::port::Traps     contract/traps.hpp     vectors, and what they report to common code
//   hv::port::Timer     contract/timer.hpp     periodic interrupts and a monotonic clock
//
// and ends with HV_PORT_CONTRACT_CHECKS, below, so that a missing or mistyped function is reported by
// its name when the port is compiled. Common code calls these types, never a port by name; the build
// chooses the port by putting arch/<port>/include on the include path (meson.build).
#pragma once

#include <contract/console.hpp>
#include <contract/cpu.hpp>
#include <contract/machine.hpp>
#include <contract/paging.hpp>
#include <contract/timer.hpp>
#include <contract/traps.hpp>

namespace hv::contract {

/// All of the contract at once, for code that wants a single yes or no.
template <class Console_, class Cpu_, class Machine_, class Paging_, class Traps_, class Timer_>
concept Port = Console<Console_> && Cpu<Cpu_> && Machine<Machine_> && Paging<Paging_> && Traps<Traps_> && Timer<Timer_>;

} // namespace hv::contract

// One static_assert per subsystem, so that the compiler's note points at the unmet requirement (the
// missing function's name) of the one subsystem that fails. A macro because it must expand inside each
// port's header, after the port's types are complete.
#define HV_PORT_CONTRACT_CHECKS                                                                                        \
  static_assert(::hv::contract::Console<::hv::port::Console>, "port: Console does not meet the contract");             \
  static_assert(::hv::contract::Cpu<::hv::port::Cpu>, "port: Cpu does not meet the contract");                         \
  static_assert(::hv::contract::Machine<::hv::port::Machine>, "port: Machine does not meet the contract");             \
  static_assert(::hv::contract::Paging<::hv::port::Paging>, "port: Paging does not meet the contract");                \
  static_assert(::hv::contract::Traps<::hv::port::Traps>, "port: Traps does not meet the contract");                   \
  static_assert(::hv::contract::Timer<::hv::port::Timer>, "port: Timer does not meet the contract")
