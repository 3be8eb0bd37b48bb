// SPDX-License-Identifier: Apache-2.0
// Building a domain from its description: the core's Domain and its RAM, the ELF image loaded into it,
// the boot information the architecture's guests expect, then the backend's Space (kept in step with
// the p2m from then on) and vCPUs, all charged to the domain.
#include <hv/console.hpp>
#include <hv/core/guest_memory.hpp>
#include <hv/core/transfer_window.hpp>
#include <hv/domains/domain_image.hpp>
#include <hv/domains/hypervisor.hpp>
#include <hv/domains/machine_frames.hpp>
#include <hv/loader/elf_image.hpp>

#include <port.hpp>

namespace hv {
namespace {

using V = port::Virtualization;

constexpr u64 page = FrameAllocator::frame_size;

void copy_name(Domain& d, StrView name) {
  usize n = name.size() < Domain::name_capacity - 1 ? name.size() : Domain::name_capacity - 1;
  for (usize i = 0; i < n; ++i) d.name[i] = name[i];
  d.name[n] = '\0';
}

MapAttr attributes(GuestPhysMap::Entry e) {
  return e.kind == GuestPhysMap::Kind::foreign_readonly ? MapAttr::read | MapAttr::execute
                                                        : MapAttr::read | MapAttr::write | MapAttr::execute;
}

} // namespace

// The Space follows the p2m: every change to an entry is copied into it before the guest runs again.
bool Hypervisor::map_from_p2m(Domain& d, u64 gfn) {
  const GuestPhysMap::Entry e = d.p2m.lookup(gfn);
  if (!e.present()) {
    V::unmap_guest_page(d.arch, gfn * page);
    return true;
  }
  AccountFrames tables(frames_, d.overhead, ram_);
  MapAttr attr = attributes(e);
  if (e.kind == GuestPhysMap::Kind::ram && !dirty::writable(d, gfn)) attr = MapAttr::read | MapAttr::execute;
  return V::map_guest_page(tables, d.arch, gfn * page, e.frame, attr);
}

const char* Hypervisor::make_space(Domain& d) {
  AccountFrames tables(frames_, d.overhead, ram_);
  // The tag is the domain's slot, not its id: ids grow as domains come and go, slots stay below
  // limits::max_domains, which the backends' tags (POWER's LPIDs) are sized for.
  u32 slot = 0;
  while (domains_.slot(slot) != &d) ++slot;
  if (!V::create_space(tables, d.arch, slot + 1)) return "no second-stage translation for it";
  d.space_made = true; // from here on destroy_space gives back what it holds, whatever else fails
  bool mapped = true;
  d.p2m.for_each([&](u64 gfn, GuestPhysMap::Entry) { mapped = mapped && map_from_p2m(d, gfn); });
  if (!mapped) return "out of memory for its second-stage tables";
  // One Hypervisor runs the machine: the observer needs only the domain to find it. A change that cannot
  // reach the second-stage tables would leave the domain seeing memory it was told is gone (or missing
  // what it was given): it is crashed at once, whoever made the change.
  d.p2m.set_observer({[](void* context, u64 gfn) {
                        auto& changed = *static_cast<Domain*>(context);
                        if (!instance_->map_from_p2m(changed, gfn))
                          instance_->crash(changed, "out of memory for its second-stage tables");
                      },
                      &d});
  return nullptr;
}

Domain* Hypervisor::build(const DomainSpec& spec, const char*& error) {
  ElfImage elf;
  if (!check_domain_image(spec, V::accepts_image, elf, error)) return nullptr;

  DomainConfig config;
  config.vcpus = spec.vcpus;
  config.max_pages = spec.memory_bytes / page;
  config.weight = spec.weight;
  config.cap = spec.cap;
  config.privileged = spec.privileged;
  config.grant_frames = spec.grant_frames;
  config.width = elf.elf_class == 1 ? abi::GuestWidth::bits32 : abi::GuestWidth::bits64;
  auto created = domains_.create(config);
  if (!created.ok()) {
    error = "the domain table refused it (out of memory, or a second control domain)";
    return nullptr;
  }
  Domain& d = *created.value();
  copy_name(d, spec.name);
  time_.set_wallclock(d);
  d.destroy_when_shut_down = true; // no toolstack watches the boot's domains
  // From here on a failure destroys the half-built domain, which gives back all it took.
  auto fail = [&](const char* why) -> Domain* {
    error = why;
    domains_.destroy(d);
    return nullptr;
  };
  if (domains_.populate(d, 0, config.max_pages) != Err::ok) return fail("out of memory for its RAM");
  u64 window_bytes = 0;
  if (spec.privileged) {
    // Looked for only when a control domain is built: finding it walks the firmware's tables (on powernv,
    // its device tree below the PCI host bridges), which a boot without a control domain need not pay.
    const MemoryRange window = port::Machine::transfer_window();
    if (window.size != 0)
      print("transfer window: {:#x}-{:#x} ({} KiB), for the control domain\n", window.base, window.end() - 1,
            window.size >> 10);
    if (transfer_window::give(d, window, window_bytes) != Err::ok)
      return fail("out of memory for its transfer window's tables");
  }

  auto write = [](void* context, u64 gpa, const void* src, usize len) {
    return GuestMemory(static_cast<Domain*>(context)->p2m).copy_to(gpa, src, len);
  };
  if (!load_elf(elf, spec.image, spec.memory_bytes - boot_info_bytes, write, &d, error)) return fail(error);

  GuestBootInfo boot;
  boot.domain_id = d.id;
  boot.vcpus = spec.vcpus;
  boot.memory_bytes = spec.memory_bytes;
  boot.boot_info_gpa = spec.memory_bytes - boot_info_bytes;
  boot.command_line = spec.command_line;
  boot.control_domain = spec.privileged;
  if (window_bytes != 0) boot.window = MemoryRange{transfer_window::guest_address, window_bytes};
  // The last page of the boot information's area is the console ring's (the control domain has none and
  // uses console_io, as in the family).
  if (!spec.privileged) {
    boot.console_gpa = spec.memory_bytes - page;
    d.console.gfn = boot.console_gpa / page;
    d.hvm_params[abi::hvm_param::console_pfn] = d.console.gfn;
  }
  static u8 buffer[boot_info_bytes - page];
  for (u8& b : buffer) b = 0;
  usize used = 0;
  if (!V::build_boot_info(boot, buffer, sizeof buffer, used) ||
      !GuestMemory(d.p2m).copy_to(boot.boot_info_gpa, buffer, used))
    return fail("its boot information does not fit");

  if (const char* why = make_space(d); why != nullptr) return fail(why);

  AccountFrames tables(frames_, d.overhead, ram_);
  const PhysAddr entry = elf.pvh_entry != 0 ? elf.pvh_entry : elf.entry;
  // Every vCPU's context now, so that none is ever run without one; only vCPU 0 is online, at the boot
  // protocol's start (the others wait for VCPUOP_initialise and VCPUOP_up).
  for (u32 i = 0; i < d.vcpu_count; ++i) {
    // Before it is first runnable: the scheduler places it by it. All 32 bits: every CPU, beyond 31 too.
    d.vcpus[i].sched.affinity = spec.cpus == ~u32{0} ? ~u64{0} : u64{spec.cpus};
    if (!V::create_vcpu(tables, d.vcpus[i].arch, d.arch, GuestStart{entry, boot.boot_info_gpa, i, d.id}))
      return fail("no vCPU for it");
    d.vcpus[i].context_made = true;
    fpu_[0].created(d.vcpus[i].arch);
  }
  d.announced = true;
  print("domain d{} {}: built, {} KiB, {} vCPU, weight {}, cap {}, entry {:#x}{}{}\n", d.id, d.name,
        spec.memory_bytes >> 10, spec.vcpus, spec.weight, spec.cap, entry,
        spec.command_line.size() != 0 ? ", command line: " : "", spec.command_line);
  return &d;
}

} // namespace hv
