// SPDX-License-Identifier: Apache-2.0
// Event channels on the guest's side: shared_info mapped into guest memory, the upcall scanning the
// 2-level pending bitmap, and the event channel hypercalls the programs use.
#include "guest.hpp"

#include <hv/abi/hvm.hpp>
#include <hv/abi/memory.hpp>
#include <hv/abi/shared_info.hpp>

namespace guest {
namespace {

// The layouts of this guest's word size: 32-bit x86 guests use the 32-bit shared_info.
constexpr auto width = sizeof(ulong) == 8 ? hv::abi::GuestWidth::bits64 : hv::abi::GuestWidth::bits32;
using SharedInfo = hv::abi::SharedInfo<width>;
using AddToPhysmap = hv::abi::AddToPhysmap<width>;
constexpr u32 bits_per_word = sizeof(ulong) * 8;
constexpr u32 max_ports = 64;

// The RAM page behind this array is given back, and shared_info mapped in its place.
alignas(4096) volatile u8 shared_info_page[4096];
auto* const shared = reinterpret_cast<volatile SharedInfo*>(shared_info_page);

EventHandler handlers[max_ports] = {};
volatile u64 upcalls = 0;
volatile u64 upcall_time = 0;

ulong exchange(volatile ulong& word, ulong value) { return __atomic_exchange_n(&word, value, __ATOMIC_SEQ_CST); }
void clear_bit(volatile ulong& word, u32 bit) { __atomic_fetch_and(&word, ~(ulong{1} << bit), __ATOMIC_SEQ_CST); }

long event_op(u32 cmd, void* argument) {
  return hypercall(hv::abi::hypercall::event_channel_op, cmd, address(argument));
}

} // namespace

void events_init() {
  AddToPhysmap map{};
  map.domid = hv::abi::domid_self;
  map.space = hv::abi::mapspace::shared_info;
  map.idx = 0;
  map.gpfn = address(shared_info_page) >> 12;
  expect("add_to_physmap(shared_info)",
         hypercall(hv::abi::hypercall::memory_op, hv::abi::xenmem::add_to_physmap, address(&map)), 0);

  const u32 vector = arch::prepare_upcalls();
  hv::abi::HvmParam param{};
  param.domid = hv::abi::domid_self;
  param.index = hv::abi::hvm_param::callback_irq;
  param.value = hv::abi::hvm_param::callback_type_vector << hv::abi::hvm_param::callback_type_shift | vector;
  expect("hvm_op set_param(CALLBACK_IRQ)",
         hypercall(hv::abi::hypercall::hvm_op, hv::abi::hvmop::set_param, address(&param)), 0);
}

u64 system_time() {
  const volatile hv::abi::VcpuTimeInfo& t = shared->vcpu_info[0].time;
  for (;;) {
    const u32 version = t.version;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    const u64 stamp = t.tsc_timestamp, base = t.system_time;
    const u32 mul = t.tsc_to_system_mul;
    const int shift = t.tsc_shift;
    const u64 now = arch::timestamp();
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if ((version & 1) != 0 || version != t.version) continue; // being written: read again
    u64 delta = now - stamp;
    delta = shift >= 0 ? delta << shift : delta >> -shift;
    // (delta * mul) >> 32 without a 128-bit product, which a 32-bit guest lacks.
    return base + (delta >> 32) * mul + (((delta & 0xffff'ffff) * mul) >> 32);
  }
}

void pv_clock_scale(u32& mul, int& shift) {
  const volatile hv::abi::VcpuTimeInfo& t = shared->vcpu_info[0].time;
  mul = t.tsc_to_system_mul;
  shift = t.tsc_shift;
}

u64 wall_clock_seconds(u32& version) {
  const volatile auto& clock = shared->clock_and_arch;
  version = clock.wc_version;
  return u64{clock.wc_sec_hi} << 32 | clock.wc_sec;
}

void on_event(u32 port, EventHandler handler) {
  if (port < max_ports) handlers[port] = handler;
}

long alloc_unbound(hv::abi::domid_t remote) {
  hv::abi::EvtchnAllocUnbound op{hv::abi::domid_self, remote, 0};
  const long r = event_op(hv::abi::evtchnop::alloc_unbound, &op);
  return r < 0 ? r : static_cast<long>(op.port);
}

long bind_interdomain(hv::abi::domid_t remote, u32 remote_port) {
  hv::abi::EvtchnBindInterdomain op{remote, remote_port, 0};
  const long r = event_op(hv::abi::evtchnop::bind_interdomain, &op);
  return r < 0 ? r : static_cast<long>(op.local_port);
}

void discard_pending(u32 port) {
  clear_bit(reinterpret_cast<volatile ulong&>(shared->evtchn_pending[port / bits_per_word]), port % bits_per_word);
}

long send(u32 port) {
  hv::abi::EvtchnSend op{port};
  return event_op(hv::abi::evtchnop::send, &op);
}

long bind_ipi(u32 vcpu) {
  hv::abi::EvtchnBindIpi op{vcpu, 0};
  const long r = event_op(hv::abi::evtchnop::bind_ipi, &op);
  return r < 0 ? r : static_cast<long>(op.port);
}

void mask(u32 port) {
  __atomic_fetch_or(reinterpret_cast<volatile ulong*>(&shared->evtchn_mask[port / bits_per_word]),
                    ulong{1} << (port % bits_per_word), __ATOMIC_SEQ_CST);
}

bool take_pending(u32 port) {
  const ulong bit = ulong{1} << (port % bits_per_word);
  auto* word = reinterpret_cast<volatile ulong*>(&shared->evtchn_pending[port / bits_per_word]);
  return (__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST) & bit) != 0;
}

void poll(u32 port) {
  u32 ports[1] = {port};
  hv::abi::SchedPoll<width> op{address(ports), 1, 0};
  expect("SCHEDOP_poll", hypercall(hv::abi::hypercall::sched_op, hv::abi::schedop::poll, address(&op)), 0);
}

void wait_for_event() {
  const u64 seen = upcalls;
  while (upcalls == seen) arch::wait_for_interrupt();
}

u64 last_upcall_time() { return upcall_time; }

} // namespace guest

// The 2-level scan: clear the vCPU's pending flag, then take the selector, then each selected word's
// pending and unmasked bits, clearing each port's bit before its handler runs (a port that fires again
// meanwhile is seen by the next upcall).
extern "C" void guest_upcall() {
  using namespace guest;
  upcall_time = arch::timestamp();
  volatile auto& vcpu = shared->vcpu_info[0];
  vcpu.evtchn_upcall_pending = 0;
  ulong selected = exchange(reinterpret_cast<volatile ulong&>(vcpu.evtchn_pending_sel), 0);
  while (selected != 0) {
    const u32 word = static_cast<u32>(__builtin_ctzl(selected));
    selected &= selected - 1;
    auto& pending = reinterpret_cast<volatile ulong&>(shared->evtchn_pending[word]);
    const auto& mask = reinterpret_cast<volatile const ulong&>(shared->evtchn_mask[word]);
    ulong ready = pending & ~mask;
    while (ready != 0) {
      const u32 bit = static_cast<u32>(__builtin_ctzl(ready));
      ready &= ready - 1;
      clear_bit(pending, bit);
      const u32 port = word * bits_per_word + bit;
      if (port < max_ports && handlers[port] != nullptr) handlers[port](port);
    }
  }
  upcalls = upcalls + 1;
}
