// SPDX-License-Identifier: Apache-2.0
// hvm_op (34): (op, arg), a domain's HVM parameters (HVMOP_set_param, HVMOP_get_param with a
// xen_hvm_param), answered as the family answers a PVH domain.
// -EFAULT when the record cannot be read or written back; -EINVAL for an index at or above HVM_NR_PARAMS;
// -ESRCH, -EPERM for the target domain as everywhere. A domain may read its own CALLBACK_IRQ, STORE_PFN,
// STORE_EVTCHN, CONSOLE_PFN, CONSOLE_EVTCHN, VM86_TSS, VM86_TSS_SIZED, ACPI_IOPORTS_LOCATION,
// VM_GENERATION_ID_ADDR, ALTP2M and X87_FIP_WIDTH, and set the same less the PFNs and ALTP2M; every other
// parameter is the toolstack's, -EPERM to the domain itself, read and set by the control domain on
// another domain.
// A parameter reads as it was last set, 0 when never set: so STORE_PFN and STORE_EVTCHN are 0, telling
// a guest that there is no xenstore. Except: CALLBACK_IRQ is the upcall (only the vector type, 2 in bits
// 63:56, is delivered: another type, or 0, unregisters it and events are only seen by polling);
// CONSOLE_PFN is the domain's console ring page (hv/core/console_ring.hpp: 0 for a domain without one);
// CONSOLE_EVTCHN is its channel, bound to the hypervisor the first time it is read.
// Setting X87_FIP_WIDTH takes 0, 4 or 8 (-EINVAL otherwise); VIRIDIAN, IOREQ_SERVER_PFN,
// NR_IOREQ_SERVER_PAGES, ALTP2M and MCA_CAP change only once (-EEXIST for a second, different value).
// The values of the toolstack's parameters are kept, not acted on. Other operations: -ENOSYS.
#include <hv/abi/hvm.hpp>

#include "hypercall_family.hpp"

namespace hv::hypercalls {
namespace {

namespace hp = abi::hvm_param;

bool guest_may_set(u32 index) {
  switch (index) {
  case hp::callback_irq:
  case hp::store_evtchn:
  case hp::console_evtchn:
  case hp::vm86_tss:
  case hp::vm86_tss_sized:
  case hp::acpi_ioports_location:
  case hp::vm_generation_id_addr:
  case hp::x87_fip_width: return true;
  default: return false;
  }
}

bool guest_may_read(u32 index) {
  return guest_may_set(index) || index == hp::store_pfn || index == hp::console_pfn || index == hp::altp2m;
}

bool set_once(u32 index) {
  return index == hp::viridian || index == hp::ioreq_server_pfn || index == hp::nr_ioreq_server_pages ||
         index == hp::altp2m || index == hp::mca_cap;
}

u64 get(Domain& d, u32 index) {
  if (index == hp::callback_irq) return d.callback_param;
  if (index == hp::console_evtchn && d.hvm_params[index] == 0) d.hvm_params[index] = console_ring::port(d);
  return d.hvm_params[index];
}

Err set(Domain& d, u32 index, u64 value) {
  if (index == hp::x87_fip_width && value != 0 && value != 4 && value != 8) return Err::inval;
  if (set_once(index) && d.hvm_params[index] != 0 && d.hvm_params[index] != value) return Err::exist;
  if (index == hp::callback_irq)
    d.callback_param = value;
  else
    d.hvm_params[index] = value;
  return Err::ok;
}

} // namespace

i64 hvm_op(HypercallEnv& env, Domain& caller, Vcpu& vcpu, u64 op, u64 arg, u64) {
  if (op != abi::hvmop::set_param && op != abi::hvmop::get_param) return enosys;
  const GuestMemory guest(vcpu);
  abi::HvmParam p{};
  if (!guest.read(arg, p)) return efault;
  if (p.index >= hp::count) return einval;
  auto target = target_domain(env.domains, caller, p.domid);
  if (!target.ok()) return ret(target.error());
  Domain& d = *target.value();
  const bool reading = op == abi::hvmop::get_param;
  if (&d == &caller && !(reading ? guest_may_read(p.index) : guest_may_set(p.index))) return ret(Err::perm);
  if (!reading) return ret(set(d, p.index, p.value));
  p.value = get(d, p.index);
  return guest.write(arg, p) ? 0 : efault;
}

} // namespace hv::hypercalls
