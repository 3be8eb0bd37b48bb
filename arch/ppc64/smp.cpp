// SPDX-License-Identifier: Apache-2.0
// See ppc64/smp.hpp.
#include <hv/cpus.hpp>
#include <hv/firmware_tree.hpp>
#include <port.hpp>

#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>

hv::u64 ppc64_secondary_stack = 0;

namespace hv::ppc64 {
namespace {

// The device tree's threads, the boot thread first once cpu_count() has seen which one it is.
u32 servers[max_cpus] = {};
u32 server_count = 0;

// Filled by start_cpu for the thread it starts, read by that thread before it reports itself online.
volatile u32 starting_index = 0;

constexpr usize stack_order = 4; // 64 KiB, as the boot thread's

} // namespace

u32 cpu_index() {
  const auto pir = static_cast<u32>(read_spr<spr::pir>());
  for (u32 i = 0; i < server_count; ++i)
    if (servers[i] == pir) return i;
  return 0;
}

} // namespace hv::ppc64

void ppc64_secondary_start() {
  const hv::u32 index = hv::ppc64::starting_index;
  hv::ppc64::use_hypervisor_translation();
  hv::ppc64::prepare_traps();
  hv::secondary_main(index);
}

namespace hv::port {

u32 Machine::cpu_count() {
  ppc64::server_count = static_cast<u32>(fdt::cpu_threads(device_tree(), ppc64::servers, max_cpus));
  const auto boot = static_cast<u32>(ppc64::read_spr<ppc64::spr::pir>());
  if (!put_boot_cpu_first(ppc64::servers, ppc64::server_count, boot)) ppc64::server_count = 0;
  return ppc64::server_count != 0 ? ppc64::server_count : 1;
}

u64 Machine::cpu_hardware_id(u32 index) { return index < ppc64::server_count ? ppc64::servers[index] : 0; }

bool Machine::start_cpu(u32 index, FrameSource& frames) {
  if (index == 0 || index >= ppc64::server_count) return false;
  const PhysAddr stack = frames.alloc_zeroed_block(ppc64::stack_order);
  if (stack == 0) return false;
  ppc64::starting_index = index;
  ppc64_secondary_stack = stack + (Paging::page_size << ppc64::stack_order);
  asm volatile("sync" : : : "memory"); // both stores visible before the thread can run
  const i64 rc = ppc64::opal::call(ppc64::opal::token::start_cpu, ppc64::servers[index],
                                   ppc64::physical_address(ppc64_secondary_entry));
  return rc == ppc64::opal::success;
}

} // namespace hv::port
