// SPDX-License-Identifier: Apache-2.0
// The host port's scripted CPU. See include/scripted_cpu.hpp.
#include <port.hpp>

namespace hv::host {
namespace {

GuestProgram program = nullptr;
bool available = true;
u64 fpu = 0; // the CPU's floating-point register

constexpr u64 page = 4096;
constexpr u64 entries_per_table = page / sizeof(u64);
constexpr u64 read_only = 1; ///< in a leaf entry (machine addresses are page-aligned): mapped without write

u64* table(PhysAddr pa) { return static_cast<u64*>(port::Paging::direct_map(pa)); }

} // namespace

void set_guest_program(GuestProgram p) { program = p; }
void set_virtualization_available(bool on) { available = on; }
void set_fpu_first_use_trap(bool on) { port::Virtualization::fpu_first_use_trap = on; }
u64& fpu_register() { return fpu; }

u64* guest_fpu(port::Virtualization::Vcpu& cpu, GuestExit& exit) {
  if (!cpu.fpu_trap) return &fpu;
  ++cpu.fpu_traps;
  exit.kind = GuestExitKind::fpu_unavailable;
  return nullptr;
}

void* guest_memory(const port::Virtualization::Vcpu& cpu, u64 gpa) {
  const u64 gfn = gpa / page;
  if (cpu.space == nullptr || cpu.space->root == 0 || gfn >= entries_per_table * entries_per_table) return nullptr;
  const u64 leaf = table(cpu.space->root)[gfn / entries_per_table];
  const u64 machine = leaf != 0 ? table(leaf)[gfn % entries_per_table] & ~read_only : 0;
  return machine != 0 ? static_cast<unsigned char*>(port::Paging::direct_map(machine)) + gpa % page : nullptr;
}

void* guest_memory_to_write(const port::Virtualization::Vcpu& cpu, u64 gpa, GuestExit& exit) {
  const u64 gfn = gpa / page;
  const u64 leaf = cpu.space != nullptr && cpu.space->root != 0 && gfn < entries_per_table * entries_per_table
                       ? table(cpu.space->root)[gfn / entries_per_table]
                       : 0;
  if (leaf == 0 || (table(leaf)[gfn % entries_per_table] & read_only) != 0) {
    exit.kind = GuestExitKind::second_stage_fault; // as the hardware would: nothing of the write done
    exit.second_stage_fault = {gpa, true, false};
    return nullptr;
  }
  return guest_memory(cpu, gpa);
}

} // namespace hv::host

namespace hv::port {
using host::entries_per_table;
using host::table;

bool Virtualization::enable(FrameSource&, const char*& reason) {
  if (!host::available) reason = "the scripted CPU was turned off by the test";
  return host::available;
}

bool Virtualization::create_space(FrameSource& frames, Space& space, u32 tag) {
  space.root = frames.alloc_zeroed_page();
  space.tag = tag;
  return space.root != 0;
}

bool Virtualization::map_guest_page(FrameSource& frames, Space& space, PhysAddr gpa, PhysAddr machine, MapAttr attr) {
  const u64 gfn = gpa / host::page;
  if (gpa % host::page != 0 || machine % host::page != 0 || gfn >= entries_per_table * entries_per_table) return false;
  u64& leaf = table(space.root)[gfn / entries_per_table];
  if (leaf == 0 && (leaf = frames.alloc_zeroed_page()) == 0) return false;
  table(leaf)[gfn % entries_per_table] = machine | (has(attr, MapAttr::write) ? 0 : host::read_only);
  return true;
}

void Virtualization::protect_guest_pages(Space& space, const PhysAddr* gpas, usize count) {
  for (usize i = 0; i < count; ++i) {
    const u64 gfn = gpas[i] / host::page;
    if (space.root == 0 || gfn >= entries_per_table * entries_per_table) continue;
    const u64 leaf = table(space.root)[gfn / entries_per_table];
    if (leaf != 0 && table(leaf)[gfn % entries_per_table] != 0) table(leaf)[gfn % entries_per_table] |= host::read_only;
  }
}

void Virtualization::unmap_guest_page(Space& space, PhysAddr gpa) {
  const u64 gfn = gpa / host::page;
  if (space.root == 0 || gfn >= entries_per_table * entries_per_table) return;
  const u64 leaf = table(space.root)[gfn / entries_per_table];
  if (leaf != 0) table(leaf)[gfn % entries_per_table] = 0;
}

void Virtualization::destroy_space(FrameSource& frames, Space& space) {
  if (space.root == 0) return;
  for (u64 i = 0; i < entries_per_table; ++i)
    if (table(space.root)[i] != 0) frames.free_page(table(space.root)[i]);
  frames.free_page(space.root);
  space = Space{};
}

bool Virtualization::create_vcpu(FrameSource& frames, Vcpu& vcpu, const Space& space, const GuestStart& start) {
  vcpu = Vcpu{};
  vcpu.context_page = frames.alloc_zeroed_page();
  vcpu.space = &space;
  vcpu.start = start;
  return vcpu.context_page != 0;
}

void Virtualization::destroy_vcpu(FrameSource& frames, Vcpu& vcpu) {
  if (vcpu.context_page != 0) frames.free_page(vcpu.context_page);
  vcpu = Vcpu{};
}

void Virtualization::run(Vcpu& vcpu, GuestExit& exit) {
  ++vcpu.entries;
  exit = GuestExit{};
  if (host::program != nullptr) host::program(vcpu, exit);
}

void Virtualization::complete(Vcpu& vcpu, const GuestExit& done) {
  vcpu.last_kind = done.kind;
  for (usize i = 0; i < 4; ++i) vcpu.last_result[i] = done.result[i];
}

bool Virtualization::accepts_image(u16, u8 elf_class, u8 elf_data) { return elf_class == 2 && elf_data == 1; }

bool Virtualization::build_boot_info(const GuestBootInfo& boot, u8* buffer, usize capacity, usize& used) {
  const usize header = 3 * sizeof(u64);
  if (capacity < header + boot.command_line.size() + 1) return false;
  const u64 fields[3] = {boot.domain_id, boot.memory_bytes, boot.command_line.size()};
  __builtin_memcpy(buffer, fields, header);
  __builtin_memcpy(buffer + header, boot.command_line.data(), boot.command_line.size());
  used = header + boot.command_line.size() + 1;
  return true;
}

// The host's timer counts nanoseconds.
u64 Virtualization::wall_clock_ns(u64 timer_now) { return host::boot_wall_clock_s * 1'000'000'000 + timer_now; }

i32 Virtualization::start_from_context(const GuestRecord& record, GuestStart& start) {
  u64 words[2] = {};
  if (!record.get(0, words, sizeof words)) return -14;
  if (words[0] == 0) return -22;
  start.entry = words[0];
  start.argument = words[1];
  return 0;
}

void Virtualization::raise_upcall(Vcpu& vcpu, u32 vector) {
  ++vcpu.upcalls_raised;
  vcpu.upcall_vector = vector;
}

void Virtualization::save_fpu(Vcpu& vcpu) {
  vcpu.fpu = host::fpu;
  ++vcpu.fpu_saves;
}

void Virtualization::load_fpu(Vcpu& vcpu) {
  host::fpu = vcpu.fpu;
  ++vcpu.fpu_loads;
}

void Virtualization::set_fpu_trap(Vcpu& vcpu, bool armed) { vcpu.fpu_trap = armed; }

} // namespace hv::port
