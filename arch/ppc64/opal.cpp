// SPDX-License-Identifier: Apache-2.0
// The C++ side of OPAL calls; the switch to firmware's mode is opal_call.S.
#include <ppc64/opal.hpp>

#include "virt/lpar_state.hpp"

extern "C" {
// Read by opal_call.S.
hv::u64 ppc64_opal_base_address = 0;
hv::u64 ppc64_opal_entry_address = 0;

hv::i64 ppc64_opal_call(hv::u64 token, hv::u64 a0, hv::u64 a1, hv::u64 a2, hv::u64 a3);
}

namespace hv::ppc64::opal {

void set_entry(u64 base, u64 entry) {
  ppc64_opal_base_address = base;
  ppc64_opal_entry_address = entry;
}

// Firmware may change the SPRs a guest's vCPU keeps loaded across its exits (lpar_enter.S), and nothing
// here knows whose they are: once a vCPU exists, whatever they hold is put back after the call. One
// block will do: calls do not nest, as no interrupt handler calls firmware except to stop the machine
// (with SMP: one per CPU).
i64 call(u64 token, u64 a0, u64 a1, u64 a2, u64 a3) {
  if (!lpar::any_vcpu_made) return ppc64_opal_call(token, a0, a1, a2, a3);
  static GuestState kept;
  lpar_kept_save(&kept);
  const i64 rc = ppc64_opal_call(token, a0, a1, a2, a3);
  lpar_kept_load(&kept);
  return rc;
}

} // namespace hv::ppc64::opal
