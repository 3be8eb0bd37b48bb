// SPDX-License-Identifier: Apache-2.0
// See ppc64/smp.hpp.
#include <hv/cpus.hpp>
#include <hv/firmware_tree.hpp>
#include <port.hpp>

#include <ppc64/image.hpp>
#include <ppc64/opal.hpp>
#include <ppc64/registers.hpp>
#include <ppc64/smp.hpp>
#include <ppc64/thread_area.hpp>

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

u32 cpu_index() { return thread_area_index(); }

// Power ISA 3.0, msgsnd: RB bits 32:36 (bit 27 up, counting from the least significant) the message
// type, 5 the directed hypervisor doorbell; the low bits the target's PIR.
constexpr u64 message_hypervisor_doorbell = u64{5} << 27;
constexpr u64 message_pir_mask = 0xfffff;

// msgsnd RB (X-form: primary opcode 31, extended opcode 206), which the assembler does not know: encoded
// with RB = r3, which holds the message.
constexpr u32 msgsnd_r3 = (31u << 26) | (3u << 11) | (206u << 1);
static_assert(msgsnd_r3 == 0x7c00'199c);

void ring_doorbell(u32 server) {
  register u64 message asm("r3") = message_hypervisor_doorbell | (server & message_pir_mask);
  asm volatile("sync\n.long %1" : : "r"(message), "i"(msgsnd_r3) : "memory");
}

void ring_own_doorbell() { ring_doorbell(static_cast<u32>(read_spr<spr::pir>())); }

} // namespace hv::ppc64

void ppc64_secondary_start() {
  const hv::u32 index = hv::ppc64::starting_index;
  hv::ppc64::take_thread_area(index); // before anything can trap: the vectors park registers there
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

void Machine::send_ipi(u32 index) {
  if (index < ppc64::server_count) ppc64::ring_doorbell(ppc64::servers[index]);
}

} // namespace hv::port
