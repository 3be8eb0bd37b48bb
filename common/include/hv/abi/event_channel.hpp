// SPDX-License-Identifier: Apache-2.0
// Event channel operations of the guest ABI (event_channel_op, the 2-level ABI), written from the
// documented numbers and layouts. Only fixed-width members: identical for 32- and 64-bit guests.
#pragma once

#include <hv/abi/xen.hpp>

namespace hv::abi {

/// EVTCHNOP_* sub-operation numbers.
namespace evtchnop {
inline constexpr u32 bind_interdomain = 0;
inline constexpr u32 bind_virq = 1;
inline constexpr u32 bind_pirq = 2;
inline constexpr u32 close = 3;
inline constexpr u32 send = 4;
inline constexpr u32 status = 5;
inline constexpr u32 alloc_unbound = 6;
inline constexpr u32 bind_ipi = 7;
inline constexpr u32 bind_vcpu = 8;
inline constexpr u32 unmask = 9;
inline constexpr u32 reset = 10;
inline constexpr u32 init_control = 11;
inline constexpr u32 expand_array = 12;
inline constexpr u32 set_priority = 13;
} // namespace evtchnop

/// EVTCHNSTAT_*: what evtchn_status reports for a port (in its u32 `status` field; u8 here so that the
/// hypervisor's per-port record stays small).
enum class EvtchnStat : u8 { closed = 0, unbound = 1, interdomain = 2, pirq = 3, virq = 4, ipi = 5 };

/// EVTCHNOP_alloc_unbound: a fresh port in `dom` that `remote_dom` may later bind to.
struct EvtchnAllocUnbound {
  domid_t dom;        ///< IN: DOMID_SELF, or another domain for a privileged caller
  domid_t remote_dom; ///< IN
  evtchn_port_t port; ///< OUT
};
static_assert(sizeof(EvtchnAllocUnbound) == 8);
static_assert(__builtin_offsetof(EvtchnAllocUnbound, port) == 4);

/// EVTCHNOP_bind_interdomain: connects a fresh local port to `remote_port`, unbound in `remote_dom`.
struct EvtchnBindInterdomain {
  domid_t remote_dom;        ///< IN
  evtchn_port_t remote_port; ///< IN
  evtchn_port_t local_port;  ///< OUT
};
static_assert(sizeof(EvtchnBindInterdomain) == 12);
static_assert(__builtin_offsetof(EvtchnBindInterdomain, remote_port) == 4);
static_assert(__builtin_offsetof(EvtchnBindInterdomain, local_port) == 8);

/// EVTCHNOP_bind_virq.
struct EvtchnBindVirq {
  u32 virq;           ///< IN
  u32 vcpu;           ///< IN
  evtchn_port_t port; ///< OUT
};
static_assert(sizeof(EvtchnBindVirq) == 12);

/// EVTCHNOP_bind_ipi: a port whose sends notify `vcpu` of the same domain.
struct EvtchnBindIpi {
  u32 vcpu;           ///< IN
  evtchn_port_t port; ///< OUT
};
static_assert(sizeof(EvtchnBindIpi) == 8);

/// EVTCHNOP_close, EVTCHNOP_send and EVTCHNOP_unmask all carry a single port.
struct EvtchnPort {
  evtchn_port_t port; ///< IN
};
static_assert(sizeof(EvtchnPort) == 4);
using EvtchnClose = EvtchnPort;
using EvtchnSend = EvtchnPort;
using EvtchnUnmask = EvtchnPort;

/// EVTCHNOP_bind_vcpu: changes which vCPU a port notifies.
struct EvtchnBindVcpu {
  evtchn_port_t port; ///< IN
  u32 vcpu;           ///< IN
};
static_assert(sizeof(EvtchnBindVcpu) == 8);

/// EVTCHNOP_status.
struct EvtchnStatus {
  domid_t dom;        ///< IN: DOMID_SELF, or another domain for a privileged caller
  evtchn_port_t port; ///< IN
  u32 status;         ///< OUT: an EvtchnStat
  u32 vcpu;           ///< OUT: the vCPU the port notifies
  union {
    struct {
      domid_t dom;
    } unbound; ///< status unbound: who may bind
    struct {
      domid_t dom;
      evtchn_port_t port;
    } interdomain; ///< status interdomain: the peer
    u32 pirq;
    u32 virq;
  } u; ///< OUT
};
static_assert(sizeof(EvtchnStatus) == 24);
static_assert(__builtin_offsetof(EvtchnStatus, port) == 4);
static_assert(__builtin_offsetof(EvtchnStatus, status) == 8);
static_assert(__builtin_offsetof(EvtchnStatus, vcpu) == 12);
static_assert(__builtin_offsetof(EvtchnStatus, u) == 16);

} // namespace hv::abi
