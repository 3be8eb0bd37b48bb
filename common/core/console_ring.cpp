// SPDX-License-Identifier: Apache-2.0
// The console ring's hypervisor backend. See hv/core/console_ring.hpp.
#include <hv/abi/console.hpp>
#include <hv/core/domain.hpp>
#include <hv/core/guest_memory.hpp>

namespace hv::console_ring {
namespace {

constexpr u64 page = FrameAllocator::frame_size;
constexpr u64 out_offset = __builtin_offsetof(abi::ConsoleInterface, out);
constexpr u64 out_cons_offset = __builtin_offsetof(abi::ConsoleInterface, out_cons);
constexpr u32 out_size = sizeof(abi::ConsoleInterface{}.out);
static_assert((out_size & (out_size - 1)) == 0, "the ring's indices wrap at a power of two");

} // namespace

u32 port(Domain& d) {
  if (!d.console.present()) return 0;
  if (d.console.port == 0) {
    auto bound = evtchn::bind_hypervisor(d);
    d.console.port = bound.ok() ? bound.value() : 0;
  }
  return d.console.port;
}

void drain(Domain& d) {
  if (!d.console.present()) return;
  const GuestMemory guest(d.p2m);
  const u64 ring = d.console.gfn * page;
  abi::cons_ring_idx_t indices[2] = {}; // out_cons, out_prod
  if (!guest.read(ring + out_cons_offset, indices)) return;
  // The guest wrote the bytes before it moved out_prod: read them only after reading it.
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
  const u32 prod = indices[1];
  u32 cons = prod - indices[0] > out_size ? prod - out_size : indices[0];
  char chunk[256];
  while (cons != prod) {
    const u32 at = cons % out_size;
    u32 n = prod - cons;
    n = n < out_size - at ? n : out_size - at; // up to the end of the array
    n = n < sizeof chunk ? n : static_cast<u32>(sizeof chunk);
    if (!guest.copy_from(ring + out_offset + at, chunk, n)) return;
    for (u32 i = 0; i < n; ++i) d.console.line.put(chunk[i]);
    cons += n;
  }
  // The bytes are consumed before the guest may reuse their room.
  __atomic_thread_fence(__ATOMIC_RELEASE);
  (void)guest.write(ring + out_cons_offset, cons);
}

void closed(Domain& d, u32 port) {
  if (d.console.port == port) d.console.port = 0;
}

} // namespace hv::console_ring
