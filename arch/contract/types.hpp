// SPDX-License-Identifier: Apache-2.0
// Types shared by the port contract and common code.
#pragma once

#include <hv/types.hpp>

namespace hv {

/// A half-open range of physical memory [base, base + size).
struct MemoryRange {
  PhysAddr base = 0;
  u64 size = 0;
  constexpr PhysAddr end() const { return base + size; }
  constexpr bool contains(PhysAddr a) const { return a >= base && a - base < size; }
};

/// How a run ends. On an emulator the port turns it into the emulator's exit status (0 for success);
/// on hardware, success powers off and failure stops the CPU.
enum class ExitStatus : u8 { success, failure };

/// Why the CPU left what it was doing and entered the port's trap backend.
enum class TrapKind : u8 {
  timer,               ///< the port's Timer fired
  breakpoint,          ///< the architecture's breakpoint/trap instruction
  page_fault,          ///< a data or instruction access the hypervisor's own tables do not allow
  illegal_instruction, ///< an undefined or privileged instruction
  external,            ///< another device interrupt
  ipi,                 ///< another CPU's Machine::send_ipi
  other,               ///< anything else; `cause` says what
};

/// What the port's trap backend reports to common code. `cause` is the architecture's own number
/// (x86 vector, POWER interrupt vector offset, IA-64 IVT offset), printed in diagnostics.
struct TrapInfo {
  TrapKind kind;
  u64 cause;
  u64 pc;      ///< where the trap was taken
  u64 address; ///< faulting data address for page faults, 0 otherwise
};

/// Attributes of a hypervisor mapping. Combine with |.
enum class MapAttr : u32 { read = 1, write = 2, execute = 4, device = 8 };
constexpr MapAttr operator|(MapAttr a, MapAttr b) {
  return static_cast<MapAttr>(static_cast<u32>(a) | static_cast<u32>(b));
}
constexpr bool has(MapAttr set, MapAttr bit) { return (static_cast<u32>(set) & static_cast<u32>(bit)) != 0; }

/// Hands out zeroed physical pages for the hypervisor's own structures (page tables, second-stage
/// tables, VMCBs), and takes them back. Implemented in common code: over the board's free RAM during boot
/// (common/boot/boot_frames.cpp), then over the frame allocator, charged to an account
/// (common/domains/machine_frames.cpp). Ports only call it.
class FrameSource {
public:
  virtual PhysAddr alloc_zeroed_page() = 0; ///< returns 0 when memory is exhausted
  /// 2^order physically contiguous zeroed pages, aligned to their size, for what the hardware reads as one
  /// block (x86's I/O and MSR permission maps, a POWER radix root); 0 when no such block is free. Pages
  /// handed out one at a time are not contiguous in general.
  virtual PhysAddr alloc_zeroed_block(u32 order) = 0;
  /// Gives back a whole block alloc_zeroed_block(order) of this source handed out, as free_page does a
  /// page. Never fails.
  virtual void free_block(PhysAddr block, u32 order) = 0;
  /// Gives back a page alloc_zeroed_page() of this source handed out, which nothing uses any more: a
  /// destroyed guest's tables, a page taken and then not needed. A source that cannot take pages back
  /// (the boot frame source: boot pages are never freed) leaves it unused. Never fails.
  virtual void free_page(PhysAddr page) = 0;
  /// The RAM the board has, which the hypervisor's own tables must map (e.g. as an identity map).
  virtual const MemoryRange* ram(usize& count) const = 0;

protected:
  ~FrameSource() = default;
};

} // namespace hv
