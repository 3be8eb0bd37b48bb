// SPDX-License-Identifier: Apache-2.0
// misbehave: a guest that does what guests must not, to show the hypervisor refuses each thing and
// stops this domain alone. First bad hypercall arguments (each must come back as the right error, the
// guest carrying on), then an instruction the hypervisor refuses, then, by its command line:
//   mode=npf           writes far outside its memory: the hypervisor must crash the domain
//   mode=triple-fault  breaks its own CPU (no IDT): the hypervisor must crash the domain
//   mode=tables        makes the hypervisor build second-stage and p2m tables at scattered gfns (shared_info
//                      moved over 1 GiB regions one after another, grant frames kept at a new region
//                      each): the domain's limit, -ENOMEM, stops it, never the machine's memory
//   mode=grants        a grant table grown to its maximum and no further; its own grant mapped until the
//                      mapping table is full, unmapped, mapped again (`self=N`: its domain ID, which the
//                      grant must name)
//   mode=events        event channels allocated until -ENOSPC, closed, allocated again: the same count
//   mode=ports         every I/O port read and written (x86): an empty bus but for its own UART
//   mode=registers     every MSR (x86) or SPR (POWER) read and written back, then values that would change
//                      the hypervisor's or the machine's state written to the registers that hold it
//   mode=instructions  the virtualization or hypervisor instructions, each of which must fault
//   mode=idle          sleeps 5 s on a poll's timeout, leaving the machine idle that long
//   mode=window        writes where the control domain sees the transfer window (guest-physical 0x80000000,
//                      docs/migration-link.md): nothing of it is this domain's, so it must crash
// From tables on, each ends with the guest powering off, the hypervisor having refused what it must (the
// guest's lines say what, and how many succeeded before).
#include "../lib/guest.hpp"

#include <hv/abi/domctl.hpp>
#include <hv/abi/grant_table.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/memory.hpp>

namespace guest {
namespace {

constexpr ulong outside = 0x4000'0000; // 1 GiB: beyond any test guest's memory
constexpr ulong no_such_hypercall = 63;
constexpr i64 efault = static_cast<i64>(hv::Err::fault);
constexpr i64 enosys = static_cast<i64>(hv::Err::nosys);
constexpr i64 einval = static_cast<i64>(hv::Err::inval);
constexpr i64 eperm = static_cast<i64>(hv::Err::perm);
constexpr i64 enomem = static_cast<i64>(hv::Err::nomem);
constexpr i64 enospc = static_cast<i64>(hv::Err::nospc);
constexpr auto width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
constexpr ulong page = 4096;

u32 refused = 0;
void refuse(const char* what, i64 got, i64 wanted) {
  expect(what, got, wanted);
  ++refused;
}

void bad_arguments() {
  using namespace hv::abi;
  refuse("console_io from outside memory", hypercall(hypercall::console_io, consoleio::write, 64, outside), efault);
  refuse("an unknown hypercall", hypercall(no_such_hypercall, 1, 2, 3), enosys);
  refuse("sched_op shutdown with its argument outside memory",
         hypercall(hypercall::sched_op, schedop::shutdown, outside), efault);
  refuse("an unknown event channel operation", hypercall(hypercall::event_channel_op, 99, 0), enosys);
  EvtchnSend never_bound{1000};
  refuse("send on a port never bound", hypercall(hypercall::event_channel_op, evtchnop::send, address(&never_bound)),
         einval);
  refuse("memory_op add_to_physmap with its record outside memory",
         hypercall(hypercall::memory_op, xenmem::add_to_physmap, outside), efault);
  // Each family with its record outside memory, then the control operations without privilege.
  refuse("event_channel_op alloc_unbound outside memory",
         hypercall(hypercall::event_channel_op, evtchnop::alloc_unbound, outside), efault);
  refuse("grant_table_op setup_table outside memory",
         hypercall(hypercall::grant_table_op, gnttabop::setup_table, outside, 1), efault);
  refuse("vcpu_op set_singleshot_timer outside memory",
         hypercall(hypercall::vcpu_op, vcpuop::set_singleshot_timer, 0, outside), efault);
  refuse("hvm_op get_param outside memory", hypercall(hypercall::hvm_op, hvmop::get_param, outside), efault);
  refuse("xen_version compile_info outside memory", hypercall(hypercall::xen_version, xenver::compile_info, outside),
         efault);
  refuse("memory_op populate_physmap outside memory",
         hypercall(hypercall::memory_op, xenmem::populate_physmap, outside), efault);
  Domctl op{};
  op.interface_version = domctl_interface_version;
  constexpr u32 commands[] = {domctl::createdomain,  domctl::destroydomain,          domctl::pausedomain,
                              domctl::unpausedomain, domctl::getdomaininfo,          domctl::max_mem,
                              domctl::max_vcpus,     domctl::get_paging_mempool_size};
  for (const u32 cmd : commands) {
    op.cmd = cmd;
    op.domain = 0;
    refuse("a domctl without privilege", hypercall(hypercall::domctl, address(&op)), eperm);
  }
  refuse("a domctl without privilege, its record outside memory", hypercall(hypercall::domctl, outside), eperm);
  Line() << "misbehave: " << refused << " bad hypercalls refused with the right errors";
}

long add_to_physmap(u32 space, ulong idx, ulong gpfn) {
  hv::abi::AddToPhysmap<width> map{};
  map.domid = hv::abi::domid_self;
  map.space = space;
  map.idx = idx;
  map.gpfn = gpfn;
  return hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::add_to_physmap, address(&map));
}

// A gfn in the `n`th 1 GiB region of the p2m's 512 GiB (past the first, where RAM is), at a different
// offset in each: every one needs tables of its own at two levels.
ulong scattered(u32 n) { return static_cast<ulong>((n % 511 + 1) * (u64{1} << 18) + (n * 513) % (u64{1} << 18)); }

void tables() {
  // Moving shared_info leaves its last region's tables behind (only the domain's end frees tables
  // today), so this too ends at the domain's limit rather than the machine's memory; should the tables
  // of a region go back as its last entry goes, every move is done.
  constexpr u32 moves = 2000;
  u32 moved = 0;
  long r = 0;
  for (; moved < moves; ++moved) {
    r = add_to_physmap(0, 0, scattered(moved));
    if (r != 0) break;
  }
  if (moved < moves) expect("the move of shared_info that found the limit", r, enomem);
  Line() << "misbehave: shared_info moved to " << moved << " gfns 1 GiB apart"
         << (moved < moves ? ", then -ENOMEM: the domain's limit" : ", every move done");
  u32 mapped = 0;
  for (; mapped < 1000; ++mapped) {
    r = add_to_physmap(hv::abi::mapspace::grant_table, mapped, scattered(moves + mapped));
    if (r != 0) break;
  }
  // The table's own maximum (-EINVAL) must not come first: the domain's limit is what stops it.
  expect("the grant frame that found the limit", r, enomem);
  Line() << "misbehave: grant frames kept at " << mapped << " more regions, then -ENOMEM: the domain's limit";
}

alignas(4096) volatile hv::abi::GrantEntryV1 grant_window[page / sizeof(hv::abi::GrantEntryV1)];
alignas(4096) u8 granted[page];

long grant_op(u32 cmd, void* op, u32 count = 1) {
  return hypercall(hv::abi::hypercall::grant_table_op, cmd, address(op), count);
}

void grants() {
  using namespace hv::abi;
  GnttabQuerySize size{domid_self, 0, 0, 0, 0, 0};
  expect("query_size", grant_op(gnttabop::query_size, &size), 0);
  GnttabSetupTable<width> setup{};
  ulong frames[64];
  setup.dom = domid_self;
  setup.nr_frames = size.max_nr_frames;
  setup.frame_list = address(frames);
  expect("setup_table to the maximum", grant_op(gnttabop::setup_table, &setup), 0);
  expect("setup_table to the maximum: status", setup.status, gntst::okay);
  setup.nr_frames = size.max_nr_frames + 1;
  expect("setup_table past the maximum", grant_op(gnttabop::setup_table, &setup), 0);
  expect("setup_table past the maximum: status", setup.status, gntst::general_error);

  // Its own page granted to itself, then mapped until the mapping table is full.
  expect("add_to_physmap(grant frame 0)", add_to_physmap(mapspace::grant_table, 0, address(grant_window) / page), 0);
  const auto self = static_cast<domid_t>(option("self", 0));
  grant_window[1].frame = static_cast<u32>(address(granted) / page);
  grant_window[1].domid = self;
  grant_window[1].flags = gtf::permit_access;
  auto map_all = [&] {
    u32 n = 0;
    for (;; ++n) {
      GnttabMapGrantRef map{};
      map.flags = gntmap::device_map;
      map.ref = 1;
      map.dom = domid_self;
      expect("map_grant_ref", grant_op(gnttabop::map_grant_ref, &map), 0);
      if (map.status != gntst::okay) {
        expect("the mapping that found the table full", map.status, gntst::no_space);
        return n;
      }
      if (n > 100000) fail("mappings without end", n, 0);
    }
  };
  const u32 first = map_all();
  for (u32 handle = 0; handle < first; ++handle) {
    GnttabUnmapGrantRef unmap{};
    unmap.handle = handle;
    expect("unmap_grant_ref", grant_op(gnttabop::unmap_grant_ref, &unmap), 0);
    expect("unmap_grant_ref: status", unmap.status, gntst::okay);
  }
  const u32 again = map_all();
  expect("mappings the second time", again, first);
  Line() << "misbehave: grant table grown to " << size.max_nr_frames << " frames and no further; " << first
         << " mappings of its own grant, then GNTST_no_space, unmapped and mapped again";
  // Left mapped: the domain's end must give them back.
}

void events() {
  auto fill = [] {
    u32 n = 0;
    for (;; ++n) {
      const long port = alloc_unbound(hv::abi::domid_self);
      if (port < 0) {
        expect("the allocation that found no port", port, enospc);
        return n;
      }
    }
  };
  const u32 first = fill();
  for (u32 port = 1; port <= first; ++port) {
    hv::abi::EvtchnClose close{port};
    expect("close", hypercall(hv::abi::hypercall::event_channel_op, hv::abi::evtchnop::close, address(&close)), 0);
  }
  const u32 again = fill();
  expect("ports the second time", again, first);
  Line() << "misbehave: " << first << " event channels, then -ENOSPC; closed and allocated again";
}

} // namespace

void guest_main() {
  bad_arguments();
  const char* what = "";
  if (!arch::refused_instruction_faults(what)) fail("a refused instruction faulted", 0, 1);
  Line() << "misbehave: " << what;

  char mode[16] = "";
  option_text("mode", mode, sizeof mode);
  const auto is = [&mode](const char* name) {
    usize i = 0;
    while (name[i] != '\0' && mode[i] == name[i]) ++i;
    return name[i] == '\0' && mode[i] == '\0';
  };
  if (is("tables") || is("grants") || is("events")) {
    if (is("tables")) tables();
    if (is("grants")) grants();
    if (is("events")) events();
    return;
  }
  if (is("idle")) {
    // Alone, asleep on a poll's timeout for longer than a 32-bit decrementer spans at POWER's 512 MHz
    // (4.2 s): the machine idles all that while.
    events_init();
    constexpr u64 sleep_ns = 5'000'000'000;
    hv::abi::SchedPoll<width> poll{};
    poll.timeout = system_time() + sleep_ns;
    const u64 before = system_time();
    expect("poll", hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::poll, address(&poll)), 0);
    // Within 2 ms: on ppc64be the wake came 1.3 ms early by the guest's own clock (noted, not judged here).
    constexpr u64 early_ns = 2'000'000;
    const u64 slept = system_time() - before;
    if (slept < sleep_ns - early_ns) fail("slept ns", static_cast<i64>(slept), sleep_ns);
    Line() << "misbehave: slept 5 s on a poll's timeout, the machine idle";
    return;
  }
  if (is("ports")) {
    arch::Sweep ports;
    u32 unusual = 0;
    if (arch::sweep_io_ports(ports, unusual)) {
      // The emulated UART's eight registers are the only ones that may read other than an empty bus.
      if (unusual > 8) fail("ports that read other than all ones", unusual, 8);
      Line() << "misbehave: " << ports.tried << " I/O ports read and written with 0xfe, none but the UART's answered";
    }
    return;
  }
  if (is("registers")) {
    arch::Sweep read, written, hostile;
    const char* name = "";
    arch::sweep_special_registers(read, written, hostile, name);
    Line() << "misbehave: " << read.tried << " " << name << " read (" << read.faulted << " faulted), " << written.tried
           << " written back (" << written.faulted << " faulted)";
    Line() << "misbehave: " << hostile.tried << " accesses to the hypervisor's or the machine's registers, "
           << hostile.faulted << " faulted, the rest held in the guest";
    return;
  }
  if (is("instructions")) {
    const char* names = "";
    const arch::Sweep s = arch::hypervisor_instructions(names);
    if (s.faulted != s.tried) fail("hypervisor instructions that faulted", s.faulted, s.tried);
    Line() << "misbehave: " << names << ": each faulted in the guest";
    return;
  }
  if (is("window")) {
    constexpr ulong window_gpa = 0x8000'0000;
    u64 bytes = 0;
    if (arch::transfer_window(bytes) != nullptr) fail("a transfer window named in its boot information", 1, 0);
    Line() << "misbehave: writing guest-physical " << static_cast<u64>(window_gpa)
           << ", where the control domain has its transfer window";
    *reinterpret_cast<volatile u32*>(window_gpa) = 1;
  } else if (mode[0] == 'n') {
    Line() << "misbehave: writing guest-physical " << static_cast<u64>(outside) << ", outside my memory";
    *reinterpret_cast<volatile u32*>(outside) = 1;
  } else if (mode[0] == 't') {
    Line() << "misbehave: " << arch::stop_cpu_hard_how();
    arch::stop_cpu_hard();
  } else {
    return;
  }
  Line() << "misbehave: still running after that: the hypervisor let it pass";
  shutdown(hv::abi::ShutdownReason::poweroff); // a poweroff where a crash was expected fails the scenario
}

} // namespace guest
