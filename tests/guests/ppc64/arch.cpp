// SPDX-License-Identifier: Apache-2.0
// The POWER half of the test guests' library: hypercalls by `sc 1`, the boot device tree's command line,
// the timebase, waiting with sched_op(block), the program-interrupt handler, and the vector registers.
#include "../lib/guest.hpp"
#include "device_tree.hpp"

#include <hv/abi/ppc64_vcpu.hpp>

extern "C" {
void guest_entry(const void* boot_tree);
/// From start.S's program-interrupt entry: `saved` is {SRR0, SRR1}; SRR0 may be moved on.
void guest_program_interrupt(hv::u64* saved);
void guest_vector_registers_load(const hv::u64* area);
void guest_vector_registers_store(hv::u64* area);
}

namespace guest {
namespace {

// SRR1 bit 44 (IBM numbering) of a program interrupt: the instruction was illegal.
constexpr u64 program_illegal = u64{1} << (63 - 44);
constexpr ulong program_vector = 0x700;
constexpr u32 instruction_bytes = 4;
constexpr u64 msr_ri = 0x2; // MSR[RI]; mtmsrd with L=1 sets EE and RI only
constexpr usize vector_doublewords = 64 * 2;

const char* boot_arguments = "";
u64 window_base = 0, window_bytes = 0;
volatile bool expecting_illegal = false;
volatile u64 illegal_seen = 0;
volatile bool expecting_any = false; // any program interrupt: a sweep's instructions, counted and skipped
volatile u32 program_count = 0;
alignas(16) u64 vector_area[vector_doublewords];

// A primary opcode POWER9 leaves unassigned: the CPU refers it to the hypervisor, which reflects it
// back as an illegal-instruction program interrupt (docs/guest-abi.md, "Illegal instructions").
inline void illegal_instruction() { asm volatile(".long 0x14000000" : : : "memory"); }

u64 vector_pattern(u64 seed, usize i) { return (seed + i) * 0x9e37'79b9'7f4a'7c15ull ^ (u64{i} << 56); }

} // namespace

namespace arch {

long hypercall(ulong nr, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4) {
  register ulong r3 asm("r3") = nr;
  register ulong r4 asm("r4") = a0;
  register ulong r5 asm("r5") = a1;
  register ulong r6 asm("r6") = a2;
  register ulong r7 asm("r7") = a3;
  register ulong r8 asm("r8") = a4;
  // Every register but r3 (and SRR0/SRR1, which the compiler never holds anything in) survives.
  asm volatile("sc 1" : "+r"(r3) : "r"(r4), "r"(r5), "r"(r6), "r"(r7), "r"(r8) : "memory");
  return static_cast<long>(r3);
}

const char* command_line() { return boot_arguments; }

u8* transfer_window(u64& bytes) {
  bytes = window_bytes;
  return window_bytes != 0 ? reinterpret_cast<u8*>(static_cast<ulong>(window_base)) : nullptr;
}

namespace {
/// Appends a big-endian cell.
void put_cell(u8* at, u32 value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<u8>(value >> (24 - 8 * i));
}
} // namespace

// A flattened device tree (version 17) of a root node holding /chosen with bootargs, and a memory
// reservation of [at, memory_bytes): the header, the reservation map, the structure block, the strings.
usize boot_info(u64 memory_bytes, u64 at, const char* command_line, void* buffer, usize capacity) {
  usize n = 0;
  while (command_line[n] != '\0' && n < 255) ++n;
  const usize value = (n + 1 + 3) & ~usize{3};
  constexpr usize header = 40, reservations = 32, structure_at = header + reservations;
  const usize structure = 4 + 4 + 4 + 8 + 12 + value + 4 + 4 + 4; // root, chosen, bootargs, ends, end
  const usize strings_at = structure_at + structure, size = strings_at + 12;
  if (capacity < size) return 0;
  auto* b = static_cast<u8*>(buffer);
  for (usize i = 0; i < size; ++i) b[i] = 0;
  const u32 head[10] = {0xd00d'feed,
                        static_cast<u32>(size),
                        static_cast<u32>(structure_at),
                        static_cast<u32>(strings_at),
                        header,
                        17,
                        16,
                        0,
                        9,
                        static_cast<u32>(structure)};
  for (usize i = 0; i < 10; ++i) put_cell(b + 4 * i, head[i]);
  put_cell(b + header, static_cast<u32>(at >> 32)); // the reservation, then the terminating zero entry
  put_cell(b + header + 4, static_cast<u32>(at));
  put_cell(b + header + 8, static_cast<u32>((memory_bytes - at) >> 32));
  put_cell(b + header + 12, static_cast<u32>(memory_bytes - at));
  u8* p = b + structure_at;
  put_cell(p, 1); // FDT_BEGIN_NODE "" (the root: its name is empty, padded to 4)
  p += 8;
  put_cell(p, 1); // FDT_BEGIN_NODE "chosen"
  __builtin_memcpy(p + 4, "chosen", 7);
  p += 4 + 8;
  put_cell(p, 3); // FDT_PROP bootargs
  put_cell(p + 4, static_cast<u32>(n + 1));
  put_cell(p + 8, 0); // the name's offset in the strings
  __builtin_memcpy(p + 12, command_line, n);
  p += 12 + value;
  put_cell(p, 2);     // FDT_END_NODE (chosen)
  put_cell(p + 4, 2); // FDT_END_NODE (root)
  put_cell(p + 8, 9); // FDT_END
  __builtin_memcpy(b + strings_at, "bootargs", 9);
  return size;
}

// The hypervisor's own record on POWER (its ppc64/vcpu_context.hpp): pc, then r3, in our byte order.
usize vcpu_context(ulong entry, ulong argument, void* record, usize capacity) {
  if (capacity < 16) return 0;
  auto* words = static_cast<u64*>(record);
  words[0] = entry;
  words[1] = argument;
  return 16;
}

// The hypervisor's own record (hv/abi/ppc64_vcpu.hpp): the MSR this vCPU runs with (64-bit, real mode,
// its byte order) less EE; r2 this image's TOC; r12 the entry, as ELFv2's global entry point wants; r1
// below a 32-byte frame header whose back chain is null, so that stack walks end there.
usize vcpu_start_record(void (*entry)(u32 id), u32 id, u8* stack_top, void* record, usize capacity) {
  constexpr usize frame_header = 32;
  if (capacity < sizeof(hv::abi::VcpuPpc64Context)) return 0;
  u64 msr = 0, toc = 0;
  asm volatile("mfmsr %0" : "=r"(msr));
  asm("mr %0, 2" : "=r"(toc));
  u8* sp = stack_top - frame_header;
  __builtin_memset(sp, 0, frame_header);
  hv::abi::VcpuPpc64Context c{};
  c.pc = address(entry);
  c.msr = msr & ~hv::abi::ppc64_vcpu_msr::ee;
  c.r1 = address(sp);
  c.r2 = toc;
  c.r3 = id;
  c.r12 = c.pc;
  __builtin_memcpy(record, &c, sizeof c);
  return sizeof c;
}

u64 timestamp() {
  u64 t;
  asm volatile("mftb %0" : "=r"(t));
  return t;
}

// The upcall is the external interrupt at 0x500 whatever the vector field says.
u32 prepare_upcalls() { return 0; }

// sched_op(block) is taken with MSR[EE]=0 and returns with EE=1, the upcall that ended the wait being
// delivered on the way out; then EE goes off again.
void wait_for_interrupt() {
  guest::hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::block);
  asm volatile("mtmsrd %0, 1" : : "r"(msr_ri) : "memory");
}

bool serial_write(const char*) { return false; } // no port I/O, no emulated UART
bool debug_port_write(const char*, unsigned long) { return false; }
// TIDR (SPR 144), a privileged thread ID nothing in a partition's hardware uses.
void fill_private_registers(u64 seed) { asm volatile("mtspr 144, %0" : : "r"(seed * 0x9e37'79b9ull)); }
bool private_registers_hold(u64 seed) {
  u64 tidr;
  asm volatile("mfspr %0, 144" : "=r"(tidr));
  return tidr == seed * 0x9e37'79b9ull;
}

bool refused_instruction_faults(const char*& what) {
  what = "an illegal instruction came back as a program interrupt";
  illegal_seen = 0;
  trapped_instruction();
  return illegal_seen == 1;
}

bool sweep_io_ports(Sweep&, u32&) { return false; } // no port I/O

namespace {

// One instruction, then blr, written where the guest executes it: mfspr and mtspr name their register
// in the instruction word.
alignas(64) u32 stub[16];
constexpr u32 mfspr_r3 = 0x7c6002a6, mtspr_r3 = 0x7c6003a6, blr = 0x4e800020;
u32 spr_field(u32 spr) { return ((spr & 0x1f) << 5 | spr >> 5) << 11; }

u64 run_stub(u32 word, u64 r3) {
  stub[0] = word;
  stub[1] = blr;
  asm volatile("dcbst 0, %0; sync; icbi 0, %0; sync; isync" : : "r"(stub) : "memory");
  register u64 value asm("r3") = r3;
  asm volatile("mtctr %1; bctrl" : "+r"(value) : "r"(stub) : "lr", "ctr", "memory");
  return value;
}

// Whether the stub ran without a program interrupt.
bool run_counted(u32 word, u64& r3) {
  const u32 before = program_count;
  expecting_any = true;
  r3 = run_stub(word, r3);
  expecting_any = false;
  return program_count == before;
}

// Facilities the hypervisor denies guests through HFSCR (transactional memory, event-based branches,
// the performance monitor, msgsndp's doorbell): touching one crashes the domain today
// (docs/virtualization.md, "What remains"), so the sweep leaves them to a scenario of their own. LR
// (8) is where the stub returns through.
bool skipped(u32 spr) { return spr == 8 || (spr >= 128 && spr <= 131) || spr == 176 || (spr >= 768 && spr <= 807); }

} // namespace

void sweep_special_registers(Sweep& read, Sweep& written, Sweep& hostile, const char*& name) {
  name = "SPRs";
  for (u32 spr = 0; spr < 1024; ++spr) {
    if (skipped(spr)) continue;
    u64 value = 0;
    ++read.tried;
    if (!run_counted(mfspr_r3 | spr_field(spr), value)) {
      ++read.faulted;
      continue;
    }
    ++written.tried;
    if (!run_counted(mtspr_r3 | spr_field(spr), value)) ++written.faulted;
  }
  // The hypervisor's and the machine's: LPCR, LPIDR, HDEC, PTCR, HRMOR, HSPRG0/1, HSRR0/1, HID0 (its
  // attn enable), each set to what would hand a guest the machine.
  constexpr u32 lpcr = 318, lpidr = 319, hdec = 310, ptcr = 464, hrmor = 313, hsprg0 = 304, hsprg1 = 305, hsrr0 = 314,
                hsrr1 = 315, hid0 = 1008;
  const u64 values[][2] = {{lpcr, 0},   {lpidr, 0},  {hdec, 0x7fff'ffff}, {ptcr, 0},  {hrmor, 0x1000'0000},
                           {hsprg0, 0}, {hsprg1, 0}, {hsrr0, 0},          {hsrr1, 0}, {hid0, ~u64{0}}};
  for (const auto& v : values) {
    u64 r3 = v[1];
    ++hostile.tried;
    if (!run_counted(mtspr_r3 | spr_field(static_cast<u32>(v[0])), r3)) ++hostile.faulted;
  }
  // Reading them must show nothing of the hypervisor's: a fault, or a no-op that leaves the target
  // register as it was (what POWER9 does for some SPR numbers in privileged state).
  constexpr u64 untouched = 0x5a5a'5a5a'5a5a'5a5aull;
  for (const auto& v : values) {
    u64 r3 = untouched;
    ++hostile.tried;
    if (!run_counted(mfspr_r3 | spr_field(static_cast<u32>(v[0])), r3))
      ++hostile.faulted;
    else if (r3 != untouched)
      fail("a hypervisor SPR the guest could read", static_cast<i64>(v[0]), 0);
  }
}

Sweep hypervisor_instructions(const char*& names) {
  names = "hrfid, msgsnd, msgclr, msgsync, tlbie and attn";
  constexpr u32 words[] = {0x4c000224, 0x7c00019c, 0x7c0001dc, 0x7c0006ec, 0x7c000264, 0x00000200};
  Sweep s;
  for (const u32 word : words) {
    u64 r3 = 0;
    ++s.tried;
    if (!run_counted(word, r3)) ++s.faulted;
  }
  return s;
}

void trapped_instruction() {
  expecting_illegal = true;
  illegal_instruction();
  expecting_illegal = false;
}

const char* stop_cpu_hard_how() { return "an illegal instruction with an illegal program-interrupt handler"; }

void stop_cpu_hard() {
  // The handler's first word becomes an illegal instruction: the interrupt for the next illegal
  // instruction can never be taken.
  auto* handler = reinterpret_cast<volatile u32*>(program_vector);
  *handler = 0x1400'0000;
  asm volatile("dcbst 0, %0; sync; icbi 0, %0; sync; isync" : : "r"(program_vector) : "memory");
  illegal_instruction();
  __builtin_unreachable();
}

void fill_vector_registers(u64 seed) {
  for (usize i = 0; i < vector_doublewords; ++i) vector_area[i] = vector_pattern(seed, i);
  guest_vector_registers_load(vector_area);
}

bool vector_registers_hold(u64 seed) {
  guest_vector_registers_store(vector_area);
  for (usize i = 0; i < vector_doublewords; ++i)
    if (vector_area[i] != vector_pattern(seed, i)) return false;
  return true;
}

} // namespace arch
} // namespace guest

extern "C" void guest_program_interrupt(hv::u64* saved) {
  using namespace guest;
  if (expecting_any) {
    program_count = program_count + 1;
    saved[0] += instruction_bytes;
    return;
  }
  if (expecting_illegal && (saved[1] & program_illegal) != 0) {
    illegal_seen = illegal_seen + 1;
    saved[0] += instruction_bytes;
    return;
  }
  Line().hex(saved[0]) << ": unexpected program interrupt, SRR1 " << saved[1];
  shutdown(hv::abi::ShutdownReason::crash);
}

extern "C" void guest_entry(const void* boot_tree) {
  using namespace guest;
  boot_arguments = ppc64::boot_arguments(boot_tree);
  if (!ppc64::transfer_window(boot_tree, window_base, window_bytes)) window_base = window_bytes = 0;
  // The hypervisor must hand over the vector registers as the guest ABI says (all zero), never another
  // guest's.
  guest_vector_registers_store(vector_area);
  for (usize i = 0; i < vector_doublewords; ++i)
    expect("a vector register doubleword at entry", static_cast<i64>(vector_area[i]), 0);
  guest_main();
  shutdown(hv::abi::ShutdownReason::poweroff);
}
