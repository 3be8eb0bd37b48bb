// SPDX-License-Identifier: Apache-2.0
// The x86 half of the test guests' library: PVH start info, the hypercall page, the IDT with the upcall
// vector and #GP, the x87/SSE registers, and the instructions only x86 has.
#include "../lib/guest.hpp"

#include <hv/abi/hvm_vcpu.hpp>
#include <hv/abi/xen.hpp>

extern "C" {
extern hv::u32 guest_start_info;
void guest_upcall_entry();
void guest_general_protection_entry();
void guest_invalid_opcode_entry();
void guest_entry();
struct GpFrame {
  hv::u32 edi, esi, ebp, esp, ebx, edx, ecx, eax, error, eip, cs, eflags;
};
struct UdFrame {
  hv::u32 edi, esi, ebp, esp, ebx, edx, ecx, eax, eip, cs, eflags;
};
void guest_general_protection(GpFrame* frame);
void guest_invalid_opcode(UdFrame* frame);
}

namespace guest {
namespace {

// The vector the hypervisor injects for event upcalls (any free vector would do; this is Linux's).
constexpr u32 upcall_vector = 0xf3;
constexpr u32 invalid_opcode = 6;
constexpr u32 general_protection = 13;
constexpr u32 code_selector = 0x08;
constexpr u32 unknown_msr = 0x4000'1234; // inside the hypervisor range, and not one it defines

struct PvhStartInfo {
  u32 magic, version, flags, module_count;
  u64 module_list, command_line, rsdp, memory_map;
  u32 memory_map_entries, reserved;
};

struct Gate {
  u16 offset_low, selector;
  u8 zero, type;
  u16 offset_high;
};
alignas(8) Gate idt[256] = {};
struct [[gnu::packed]] {
  u16 limit;
  u32 base;
} idt_pointer;

alignas(4096) u8 hypercall_page[4096];
volatile bool expecting_gp = false;
volatile bool gp_seen = false;
volatile bool expecting_ud = false;
volatile bool ud_seen = false;
volatile u32 gp_count = 0, ud_count = 0;
volatile u32 gp_skip = 2; // the length of the instruction expected to raise #GP (RDMSR and WRMSR: 2)

// The x87, MMX and SSE registers in FXSAVE's image (Intel SDM vol. 1, 10.5.1): the one instruction pair
// that reaches all of them, bit for bit, from code built without them (-mgeneral-regs-only).
struct alignas(16) VectorImage {
  u16 fcw, fsw;
  u8 ftw, reserved1;
  u16 fop;
  u32 fip, fcs, fdp, fds; // 32-bit form
  u32 mxcsr, mxcsr_mask;
  u8 st[8][16]; // 80 bits each
  u8 xmm[8][16];
  u8 rest[224];
};
static_assert(sizeof(VectorImage) == 512);
VectorImage vector_image;
constexpr usize st_bytes = 10;

constexpr ulong cr0_monitor_coprocessor = 1u << 1, cr0_emulation = 1u << 2, cr0_task_switched = 1u << 3;
constexpr ulong cr4_osfxsr = 1u << 9, cr4_osxmmexcpt = 1u << 10;
constexpr u16 fcw_reset = 0x037f;
constexpr u32 mxcsr_reset = 0x1f80;

void save_vector_registers(VectorImage& image) { asm volatile("fxsave %0" : "=m"(image)); }

// PVH enters with CR0 = PE (and ET): x87 and SSE instructions need EM clear, and SSE needs CR4.OSFXSR.
// The hypervisor must hand over its registers as a reset leaves them, never another guest's.
void enable_vector_registers() {
  ulong cr0, cr4;
  asm volatile("mov %%cr0, %0" : "=r"(cr0));
  cr0 = (cr0 & ~(cr0_emulation | cr0_task_switched)) | cr0_monitor_coprocessor;
  asm volatile("mov %0, %%cr0" : : "r"(cr0));
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  asm volatile("mov %0, %%cr4" : : "r"(cr4 | cr4_osfxsr | cr4_osxmmexcpt));
  save_vector_registers(vector_image);
  expect("x87 control word at entry", vector_image.fcw, fcw_reset);
  expect("MXCSR at entry", vector_image.mxcsr, mxcsr_reset);
}

// What fill_vector_registers(seed) loads: register bytes from a xorshift sequence, and the rounding
// modes (and SSE's flush-to-zero) from the seed, every exception still masked.
void expected_vector_image(u64 seed, VectorImage& image) {
  image = VectorImage{};
  image.fcw = static_cast<u16>(fcw_reset | (seed & 3) << 10);
  image.ftw = 0xff; // the abridged tag: all eight registers hold a value
  image.mxcsr = static_cast<u32>(mxcsr_reset | (seed >> 2 & 3) << 13 | (seed >> 4 & 1) << 15);
  u64 x = seed ^ 0x2545'f491'4f6c'dd1dull;
  auto next_byte = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<u8>(x);
  };
  for (auto& st : image.st)
    for (usize i = 0; i < st_bytes; ++i) st[i] = next_byte();
  for (auto& xmm : image.xmm)
    for (u8& b : xmm) b = next_byte();
}

void cpuid(u32 leaf, u32 (&r)[4]) {
  asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

void set_gate(u32 vector, void (*entry)()) {
  const auto at = reinterpret_cast<ulong>(entry);
  idt[vector] = Gate{static_cast<u16>(at), code_selector, 0, 0x8e, static_cast<u16>(at >> 16)}; // 32-bit interrupt gate
}

// The family's CPUID leaves say where the hypercall page's MSR is; writing the page's address to it
// makes the hypervisor fill the page with one call stub per hypercall, 32 bytes apart.
void install_hypercall_page() {
  u32 r[4];
  cpuid(0x4000'0000, r);
  if (r[1] != 0x566e6558 || r[2] != 0x65584d4d || r[3] != 0x4d4d566e) {
    // No console without the hypervisor: a triple fault is the only way to say it.
    arch::stop_cpu_hard();
  }
  cpuid(0x4000'0002, r);
  const u32 msr = r[1];
  const u64 page = reinterpret_cast<ulong>(hypercall_page);
  asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<u32>(page)), "d"(static_cast<u32>(page >> 32)) : "memory");
}

} // namespace

namespace arch {

long hypercall(ulong nr, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) {
  long result;
  const ulong stub = reinterpret_cast<ulong>(hypercall_page) + nr * 32;
  asm volatile("call *%[stub]"
               : "=a"(result), "+b"(a0), "+c"(a1), "+d"(a2), "+S"(a3), "+D"(a4)
               : [stub] "m"(stub)
               : "memory");
  return result;
}

// vcpu_guest_context (arch-x86/xen-x86_32.h, xen-x86_64.h): its size, and where user_regs' ebx and eip
// are, for this guest's word size (the hypervisor's x86/vcpu_context.hpp has the same, checked against
// the family's headers).
usize vcpu_context(ulong entry, ulong argument, void* record, usize capacity) {
  constexpr bool wide = sizeof(ulong) == 8;
  constexpr usize size = wide ? 5168 : 2800, ebx = wide ? 560 : 516, eip = wide ? 648 : 548;
  if (capacity < size) return 0;
  auto* bytes = static_cast<u8*>(record);
  for (usize i = 0; i < size; ++i) bytes[i] = 0;
  __builtin_memcpy(bytes + eip, &entry, sizeof entry);
  __builtin_memcpy(bytes + ebx, &argument, sizeof argument);
  return size;
}

// vcpu_hvm_context in 32-bit protected mode, flat 4 GiB segments, paging off, as the PVH start: `entry`
// is entered as a C function is called (the stack holds a return address nobody uses, then `id`).
usize vcpu_start_record(void (*entry)(u32 id), u32 id, u8* stack_top, void* record, usize capacity) {
  constexpr u16 attr_code32 = 0xc9b; // present, ring 0, execute/read, accessed; 4 KiB granular, 32-bit
  constexpr u16 attr_data32 = 0xc93; // present, ring 0, read/write, accessed; 4 KiB granular, 32-bit
  constexpr u32 cr0_protection_and_extension = 0x11;
  constexpr u32 eflags_reserved_one = 0x2;
  if (capacity < sizeof(hv::abi::VcpuHvmContext)) return 0;
  auto* top = reinterpret_cast<u32*>(stack_top);
  *--top = id;
  *--top = 0; // the return address entry() never uses
  hv::abi::VcpuHvmContext c{};
  c.mode = hv::abi::vcpu_hvm_mode::bits32;
  hv::abi::VcpuHvmX86_32& r = c.regs.x86_32;
  r.eip = static_cast<u32>(address(entry));
  r.esp = static_cast<u32>(address(top));
  r.eflags = eflags_reserved_one;
  r.cr0 = cr0_protection_and_extension;
  r.cs_ar = attr_code32;
  r.ds_ar = r.ss_ar = r.es_ar = attr_data32;
  r.cs_limit = r.ds_limit = r.ss_limit = r.es_limit = 0xffff'ffff;
  __builtin_memcpy(record, &c, sizeof c);
  return sizeof c;
}

// The PVH start info (arch-x86/hvm/start_info.h, version 1), then the command line at 64 and the memory
// map (hvm_memmap_table_entry: address, size, type) at 320: RAM below `at`, the rest reserved.
usize boot_info(u64 memory_bytes, u64 at, const char* command_line, void* buffer, usize capacity) {
  constexpr usize line_at = 64, line_room = 256, map_at = line_at + line_room;
  struct MapEntry {
    u64 address, size;
    u32 type, reserved;
  };
  const usize size = map_at + 2 * sizeof(MapEntry);
  if (capacity < size) return 0;
  auto* bytes = static_cast<u8*>(buffer);
  for (usize i = 0; i < size; ++i) bytes[i] = 0;
  PvhStartInfo info{};
  info.magic = 0x336e'c578;
  info.version = 1;
  usize n = 0;
  while (command_line[n] != '\0' && n + 1 < line_room) ++n;
  __builtin_memcpy(bytes + line_at, command_line, n);
  info.command_line = at + line_at;
  info.memory_map = at + map_at;
  info.memory_map_entries = 2;
  const MapEntry map[2] = {{0, at, 1, 0}, {at, memory_bytes - at, 2, 0}}; // RAM, reserved
  __builtin_memcpy(bytes, &info, sizeof info);
  __builtin_memcpy(bytes + map_at, map, sizeof map);
  return size;
}

const char* command_line() {
  const auto* info = reinterpret_cast<const PvhStartInfo*>(static_cast<ulong>(guest_start_info));
  if (info == nullptr || info->magic != 0x336ec578 || info->command_line == 0) return "";
  return reinterpret_cast<const char*>(static_cast<ulong>(info->command_line));
}

u8* transfer_window(u64& bytes) {
  constexpr u32 window_type = 0x4856'0001;
  struct MapEntry {
    u64 address, size;
    u32 type, reserved;
  };
  bytes = 0;
  const auto* info = reinterpret_cast<const PvhStartInfo*>(static_cast<ulong>(guest_start_info));
  if (info == nullptr || info->magic != 0x336ec578 || info->version < 1 || info->memory_map == 0) return nullptr;
  const auto* map = reinterpret_cast<const MapEntry*>(static_cast<ulong>(info->memory_map));
  for (u32 i = 0; i < info->memory_map_entries; ++i) {
    if (map[i].type != window_type || map[i].address + map[i].size > (u64{1} << 32)) continue;
    bytes = map[i].size;
    return reinterpret_cast<u8*>(static_cast<ulong>(map[i].address));
  }
  return nullptr;
}

u64 timestamp() {
  u32 low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return u64{high} << 32 | low;
}

u32 prepare_upcalls() {
  set_gate(upcall_vector, guest_upcall_entry);
  return upcall_vector;
}

// STI's one-instruction shadow makes "sti; hlt" atomic: an upcall already pending is taken after the
// HLT begins, so it cannot slip in between the check and the wait.
void wait_for_interrupt() { asm volatile("sti; hlt; cli" : : : "memory"); }

bool serial_write(const char* text) {
  constexpr u16 com1 = 0x3f8, line_status = com1 + 5;
  constexpr u8 transmit_empty = 0x20;
  for (; *text != '\0'; ++text) {
    u8 status;
    do asm volatile("inb %1, %0" : "=a"(status) : "Nd"(line_status));
    while ((status & transmit_empty) == 0);
    asm volatile("outb %0, %1" : : "a"(static_cast<u8>(*text)), "Nd"(com1));
  }
  return true;
}

bool debug_port_write(const char* text, unsigned long length) {
  asm volatile("cld; rep outsb" : "+S"(text), "+c"(length) : "d"(u16{0xe9}) : "memory");
  return true;
}

// Addresses far above the guest's memory: breakpoints on them never fire.
u32 debug_address(u64 seed, u32 n) { return 0xf000'0000u + static_cast<u32>(seed % 4096) * 0x1000u + n * 0x10u; }

void fill_private_registers(u64 seed) {
  asm volatile("mov %0, %%db0" : : "r"(debug_address(seed, 0)));
  asm volatile("mov %0, %%db1" : : "r"(debug_address(seed, 1)));
  asm volatile("mov %0, %%db2" : : "r"(debug_address(seed, 2)));
  asm volatile("mov %0, %%db3" : : "r"(debug_address(seed, 3)));
  asm volatile("mov %0, %%db7" : : "r"(u32{0x455})); // L0-L3 (execute breakpoints), bit 10 reads as one
}

bool private_registers_hold(u64 seed) {
  u32 dr[4];
  asm volatile("mov %%db0, %0" : "=r"(dr[0]));
  asm volatile("mov %%db1, %0" : "=r"(dr[1]));
  asm volatile("mov %%db2, %0" : "=r"(dr[2]));
  asm volatile("mov %%db3, %0" : "=r"(dr[3]));
  for (u32 n = 0; n < 4; ++n)
    if (dr[n] != debug_address(seed, n)) return false;
  return true;
}

// Two refusals: an MSR the hypervisor does not define (#GP), and VMLOAD, which would load hidden state
// from a machine address of the guest's choosing and which a CPU without SVM does not have (#UD).
bool refused_instruction_faults(const char*& what) {
  what = "rdmsr of an MSR that does not exist raised #GP, vmload raised #UD";
  gp_seen = false;
  expecting_gp = true;
  u32 low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(unknown_msr) : "memory");
  expecting_gp = false;
  ud_seen = false;
  expecting_ud = true;
  asm volatile("vmload %%eax" : : "a"(0) : "memory");
  expecting_ud = false;
  return gp_seen && ud_seen;
}

bool sweep_io_ports(Sweep& ports, u32& unusual) {
  for (u32 port = 0; port <= 0xffff; ++port) {
    u8 value;
    asm volatile("inb %w1, %0" : "=a"(value) : "Nd"(static_cast<u16>(port)));
    if (value != 0xff) ++unusual;
    asm volatile("outb %0, %w1" : : "a"(u8{0xfe}), "Nd"(static_cast<u16>(port)));
    ++ports.tried;
  }
  return true;
}

namespace {

// RDMSR and WRMSR under the #GP handler: whether the access faulted.
bool read_msr(u32 msr, u64& value) {
  const u32 before = gp_count;
  u32 low = 0, high = 0;
  expecting_gp = true;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr) : "memory");
  expecting_gp = false;
  value = u64{high} << 32 | low;
  return gp_count == before;
}
bool write_msr(u32 msr, u64 value) {
  const u32 before = gp_count;
  expecting_gp = true;
  asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<u32>(value)), "d"(static_cast<u32>(value >> 32)) : "memory");
  expecting_gp = false;
  return gp_count == before;
}

// MOV to CR4 under the #GP handler: whether the write was taken.
bool write_cr4(u32 value) {
  const u32 before = gp_count;
  gp_skip = 3; // 0f 22 e0
  expecting_gp = true;
  asm volatile("mov %0, %%cr4" : : "r"(value) : "memory");
  expecting_gp = false;
  gp_skip = 2;
  return gp_count == before;
}

} // namespace

void sweep_special_registers(Sweep& read, Sweep& written, Sweep& hostile, const char*& name) {
  name = "MSRs";
  // The architectural MSRs, the hypervisor range, and AMD's two ranges (SVM's VM_CR and VM_HSAVE_PA in
  // the second).
  constexpr u32 ranges[][2] = {
      {0, 0x2000}, {0x4000'0000, 0x4000'0200}, {0xc000'0000, 0xc000'2000}, {0xc001'0000, 0xc001'2000}};
  constexpr u32 efer = 0xc000'0080, hypercall_page = 0x4000'0000;
  for (const auto& range : ranges)
    for (u32 msr = range[0]; msr < range[1]; ++msr) {
      u64 value = 0;
      ++read.tried;
      if (!read_msr(msr, value)) {
        ++read.faulted;
        continue;
      }
      // Written back as read, except the x2APIC's (a write to its ICR sends an IPI) and the hypercall
      // page's (it would write the page at whatever address it reads as).
      if ((msr >= 0x800 && msr < 0x900) || msr == hypercall_page) continue;
      ++written.tried;
      if (!write_msr(msr, value)) ++written.faulted;
    }
  // State that is the machine's or the hypervisor's: SVM's host save area and VM_CR, EFER with long mode
  // and SVM's enable flipped (the CPU would run the hypervisor on with them), every bit of EFER,
  // non-canonical bases, SYSENTER and the debug control with every bit set.
  u64 efer_value = 0;
  read_msr(efer, efer_value);
  const u64 values[][2] = {
      {0xc001'0117, 0},                     // VM_HSAVE_PA
      {0xc001'0117, 0x1000},                //
      {0xc001'0114, ~u64{0}},               // VM_CR
      {0xc001'0114, 0},                     //
      {efer, efer_value | 1u << 8},         // EFER.LME with paging and PAE off (see guest_msrs.cpp)
      {efer, efer_value ^ 1u << 12},        // EFER.SVME
      {efer, ~u64{0}},                      //
      {0xc000'0100, 0x8000'0000'0000'0000}, // FS_BASE, non-canonical
      {0xc000'0101, 0x8000'0000'0000'0000}, // GS_BASE
      {0xc000'0102, 0x8000'0000'0000'0000}, // KERNEL_GS_BASE
      {0x1d9, ~u64{0}},                     // DEBUGCTL
      {0x174, ~u64{0}},                     // SYSENTER_CS
      {0x277, ~u64{0}},                     // PAT: reserved memory types
      {0x1b, ~u64{0}},                      // APIC base
  };
  constexpr usize must_fault = 7; // the first seven: SVM's registers, and bits EFER does not have here
  for (usize i = 0; i < sizeof values / sizeof *values; ++i) {
    ++hostile.tried;
    if (!write_msr(static_cast<u32>(values[i][0]), values[i][1]))
      ++hostile.faulted;
    else if (i < must_fault)
      fail("a write of the machine's state that must fault, to MSR", values[i][0], 0);
  }
  write_msr(efer, efer_value);
  // CR4.PAE cleared while EFER.LME is set and paging is off: legal on hardware, and what would leave the
  // hypervisor on this guest's CR0 at its next exit under QEMU (x86/guest_cr4.hpp). It must fault, and
  // the exits after it (the WRMSRs) must find the hypervisor well.
  constexpr u32 cr4_pae = 1u << 5, efer_lme = 1u << 8;
  u32 cr4 = 0;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  ++hostile.tried;
  if (!write_cr4(cr4 | cr4_pae) || !write_msr(efer, efer_value | efer_lme)) {
    fail("setting CR4.PAE, then EFER.LME, faulted", cr4, efer_value);
  } else if (write_cr4(cr4 & ~cr4_pae)) {
    fail("clearing CR4.PAE with EFER.LME set was let through", cr4, 0);
  } else {
    ++hostile.faulted;
  }
  write_msr(efer, efer_value);
  write_cr4(cr4);
  // Two a CPU does without a fault: INVD would drop every domain's unwritten cache lines, WBINVD stall
  // the machine's caches. The hypervisor completes both without touching them.
  ++hostile.tried;
  asm volatile("invd; wbinvd" : : : "memory");
}

Sweep hypervisor_instructions(const char*& names) {
  names = "VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA, VMCALL and XSETBV";
  const u32 before = ud_count;
  expecting_ud = true;
  asm volatile("vmrun %%eax" : : "a"(0) : "memory");
  asm volatile("vmload %%eax" : : "a"(0) : "memory");
  asm volatile("vmsave %%eax" : : "a"(0) : "memory");
  asm volatile("stgi" : : : "memory");
  asm volatile("clgi" : : : "memory");
  asm volatile("skinit %%eax" : : "a"(0) : "memory");
  asm volatile("invlpga %%eax, %%ecx" : : "a"(0), "c"(0) : "memory");
  asm volatile("vmcall" : : : "memory");
  asm volatile("xsetbv" : : "c"(0), "a"(1), "d"(0) : "memory");
  expecting_ud = false;
  return Sweep{9, ud_count - before};
}

void trapped_instruction() {
  u32 r[4];
  cpuid(0, r);
}

void fill_vector_registers(u64 seed) {
  expected_vector_image(seed, vector_image);
  asm volatile("fxrstor %0" : : "m"(vector_image));
}

bool vector_registers_hold(u64 seed) {
  VectorImage now, wanted;
  save_vector_registers(now);
  expected_vector_image(seed, wanted);
  if (now.fcw != wanted.fcw || now.fsw != wanted.fsw || now.ftw != wanted.ftw || now.mxcsr != wanted.mxcsr)
    return false;
  for (usize r = 0; r < 8; ++r) {
    for (usize i = 0; i < st_bytes; ++i)
      if (now.st[r][i] != wanted.st[r][i]) return false;
    for (usize i = 0; i < 16; ++i)
      if (now.xmm[r][i] != wanted.xmm[r][i]) return false;
  }
  return true;
}

const char* stop_cpu_hard_how() { return "triple-faulting"; }

void stop_cpu_hard() {
  // No IDT at all: the next exception cannot be delivered, nor the double fault after it.
  struct [[gnu::packed]] {
    u16 limit;
    u32 base;
  } empty = {0, 0};
  asm volatile("lidt %0; ud2" : : "m"(empty));
  __builtin_unreachable();
}

} // namespace arch
} // namespace guest

extern "C" void guest_general_protection(GpFrame* frame) {
  using namespace guest;
  if (!expecting_gp) {
    Line() << "unexpected #GP at " << static_cast<u64>(frame->eip) << ", error code " << static_cast<u64>(frame->error);
    shutdown(hv::abi::ShutdownReason::crash);
  }
  gp_seen = true;
  gp_count = gp_count + 1;
  frame->eip += gp_skip;
}

extern "C" void guest_invalid_opcode(UdFrame* frame) {
  using namespace guest;
  if (!expecting_ud) {
    Line() << "unexpected #UD at " << static_cast<u64>(frame->eip);
    shutdown(hv::abi::ShutdownReason::crash);
  }
  ud_seen = true;
  ud_count = ud_count + 1;
  frame->eip += 3; // VMLOAD and the others of hypervisor_instructions() are three bytes
}

extern "C" void guest_entry() {
  using namespace guest;
  set_gate(general_protection, guest_general_protection_entry);
  set_gate(invalid_opcode, guest_invalid_opcode_entry);
  idt_pointer = {sizeof idt - 1, static_cast<u32>(reinterpret_cast<ulong>(idt))};
  asm volatile("lidt %0" : : "m"(idt_pointer));
  install_hypercall_page();
  enable_vector_registers();
  guest_main();
  shutdown(hv::abi::ShutdownReason::poweroff);
}
