// SPDX-License-Identifier: Apache-2.0
// The console ring of the guest ABI (xencons_interface): one page shared between a guest and its console
// backend, announced by HVM_PARAM_CONSOLE_PFN and HVM_PARAM_CONSOLE_EVTCHN. Written from the family's
// documented layout. Same for 32- and 64-bit guests (only chars and 32-bit indices).
//
// Each ring is a byte array whose size is a power of two and a pair of free-running indices: the producer
// writes bytes at prod % size, then advances prod; the consumer reads from cons % size up to prod, then
// advances cons. The guest produces `out` (what it prints) and consumes `in` (what it is typed).
#pragma once

#include <hv/types.hpp>

namespace hv::abi {

/// XENCONS_RING_IDX.
using cons_ring_idx_t = u32;

struct ConsoleInterface {
  char in[1024];
  char out[2048];
  cons_ring_idx_t in_cons, in_prod;
  cons_ring_idx_t out_cons, out_prod;
};
static_assert(sizeof(ConsoleInterface) == 3088);
static_assert(__builtin_offsetof(ConsoleInterface, out) == 1024);
static_assert(__builtin_offsetof(ConsoleInterface, in_cons) == 3072);
static_assert(__builtin_offsetof(ConsoleInterface, in_prod) == 3076);
static_assert(__builtin_offsetof(ConsoleInterface, out_cons) == 3080);
static_assert(__builtin_offsetof(ConsoleInterface, out_prod) == 3084);

} // namespace hv::abi
