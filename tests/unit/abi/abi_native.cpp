// SPDX-License-Identifier: Apache-2.0
// Our records and numbers against the family's headers as Debian's libxen-dev publishes them, in the
// layout of the compiler's own x86 target: the host build compiles this file for x86_64 guests, and the
// `abi-i686` test compiles it again with `--target=i686-linux-gnu` for 32-bit guests (tests/unit/abi/
// meson.build). These are the records the foreign headers (abi_foreign.cpp) lack: event channel, grant
// table, memory, sched, vcpu, version, HVM parameter and domctl records, the console ring and the PVH
// start info. Compiling is the test: a mismatch is a static_assert naming the structure and the field.

// The toolstack's interfaces (domctl) are only declared for tools.
#define __XEN_TOOLS__ 1

#include <stdint.h>

#include <xen/arch-x86/hvm/start_info.h>
#include <xen/domctl.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/hvm_vcpu.h>
#include <xen/hvm/params.h>
#include <xen/io/console.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

#include <hv/abi/console.hpp>
#include <hv/abi/domctl.hpp>
#include <hv/abi/errno.hpp>
#include <hv/abi/event_channel.hpp>
#include <hv/abi/grant_table.hpp>
#include <hv/abi/hvm.hpp>
#include <hv/abi/hvm_vcpu.hpp>
#include <hv/abi/hypercall.hpp>
#include <hv/abi/memory.hpp>
#include <hv/abi/shared_info.hpp>
#include <x86/pvh.hpp>
#include <x86/vcpu_context.hpp>

#include "abi_check.hpp"

namespace abi_native {

using namespace hv::abi;

/// The guests this compilation lays records out for: the compiler's own word size.
constexpr GuestWidth W = sizeof(void*) == 8 ? GuestWidth::bits64 : GuestWidth::bits32;

// --- x86's vcpu_guest_context (arch-x86/xen.h), as far as setvcpucontext reads it (x86/vcpu_context.hpp).
#if defined(__x86_64__)
static_assert(sizeof(vcpu_guest_context) == hv::x86::vcpu_context::bits64::size);
static_assert(offsetof(vcpu_guest_context, flags) == hv::x86::vcpu_context::bits64::flags);
static_assert(offsetof(vcpu_guest_context, user_regs) == hv::x86::vcpu_context::bits64::user_regs);
static_assert(offsetof(vcpu_guest_context, user_regs.rbx) == hv::x86::vcpu_context::bits64::rbx);
static_assert(offsetof(vcpu_guest_context, user_regs.rip) == hv::x86::vcpu_context::bits64::rip);
#else
static_assert(offsetof(vcpu_guest_context, flags) == hv::x86::vcpu_context::bits32::flags);
static_assert(offsetof(vcpu_guest_context, user_regs) == hv::x86::vcpu_context::bits32::user_regs);
static_assert(offsetof(vcpu_guest_context, user_regs.ebx) == hv::x86::vcpu_context::bits32::ebx);
static_assert(offsetof(vcpu_guest_context, user_regs.eip) == hv::x86::vcpu_context::bits32::eip);
#endif

// --- Event channels (event_channel.h): fixed-width members, one layout.
ABI_SAME_SIZE(EvtchnAllocUnbound, evtchn_alloc_unbound);
ABI_FIELD(EvtchnAllocUnbound, evtchn_alloc_unbound, dom);
ABI_FIELD(EvtchnAllocUnbound, evtchn_alloc_unbound, remote_dom);
ABI_FIELD(EvtchnAllocUnbound, evtchn_alloc_unbound, port);
ABI_SAME_SIZE(EvtchnBindInterdomain, evtchn_bind_interdomain);
ABI_FIELD(EvtchnBindInterdomain, evtchn_bind_interdomain, remote_dom);
ABI_FIELD(EvtchnBindInterdomain, evtchn_bind_interdomain, remote_port);
ABI_FIELD(EvtchnBindInterdomain, evtchn_bind_interdomain, local_port);
ABI_SAME_SIZE(EvtchnBindVirq, evtchn_bind_virq);
ABI_FIELD(EvtchnBindVirq, evtchn_bind_virq, virq);
ABI_FIELD(EvtchnBindVirq, evtchn_bind_virq, vcpu);
ABI_FIELD(EvtchnBindVirq, evtchn_bind_virq, port);
ABI_SAME_SIZE(EvtchnBindIpi, evtchn_bind_ipi);
ABI_FIELD(EvtchnBindIpi, evtchn_bind_ipi, vcpu);
ABI_FIELD(EvtchnBindIpi, evtchn_bind_ipi, port);
ABI_SAME_SIZE(EvtchnClose, evtchn_close);
ABI_FIELD(EvtchnClose, evtchn_close, port);
ABI_SAME_SIZE(EvtchnSend, evtchn_send);
ABI_FIELD(EvtchnSend, evtchn_send, port);
ABI_SAME_SIZE(EvtchnUnmask, evtchn_unmask);
ABI_FIELD(EvtchnUnmask, evtchn_unmask, port);
ABI_SAME_SIZE(EvtchnBindVcpu, evtchn_bind_vcpu);
ABI_FIELD(EvtchnBindVcpu, evtchn_bind_vcpu, port);
ABI_FIELD(EvtchnBindVcpu, evtchn_bind_vcpu, vcpu);
ABI_SAME_SIZE(EvtchnStatus, evtchn_status);
ABI_FIELD(EvtchnStatus, evtchn_status, dom);
ABI_FIELD(EvtchnStatus, evtchn_status, port);
ABI_FIELD(EvtchnStatus, evtchn_status, status);
ABI_FIELD(EvtchnStatus, evtchn_status, vcpu);
ABI_FIELD(EvtchnStatus, evtchn_status, u.unbound.dom);
ABI_FIELD(EvtchnStatus, evtchn_status, u.interdomain.dom);
ABI_FIELD(EvtchnStatus, evtchn_status, u.interdomain.port);
ABI_FIELD(EvtchnStatus, evtchn_status, u.pirq);
ABI_FIELD(EvtchnStatus, evtchn_status, u.virq);
ABI_SAME_VALUE(evtchnop::bind_interdomain, EVTCHNOP_bind_interdomain);
ABI_SAME_VALUE(evtchnop::bind_virq, EVTCHNOP_bind_virq);
ABI_SAME_VALUE(evtchnop::bind_pirq, EVTCHNOP_bind_pirq);
ABI_SAME_VALUE(evtchnop::close, EVTCHNOP_close);
ABI_SAME_VALUE(evtchnop::send, EVTCHNOP_send);
ABI_SAME_VALUE(evtchnop::status, EVTCHNOP_status);
ABI_SAME_VALUE(evtchnop::alloc_unbound, EVTCHNOP_alloc_unbound);
ABI_SAME_VALUE(evtchnop::bind_ipi, EVTCHNOP_bind_ipi);
ABI_SAME_VALUE(evtchnop::bind_vcpu, EVTCHNOP_bind_vcpu);
ABI_SAME_VALUE(evtchnop::unmask, EVTCHNOP_unmask);
ABI_SAME_VALUE(evtchnop::reset, EVTCHNOP_reset);
ABI_SAME_VALUE(evtchnop::init_control, EVTCHNOP_init_control);
ABI_SAME_VALUE(evtchnop::expand_array, EVTCHNOP_expand_array);
ABI_SAME_VALUE(evtchnop::set_priority, EVTCHNOP_set_priority);
ABI_SAME_VALUE(EvtchnStat::closed, EVTCHNSTAT_closed);
ABI_SAME_VALUE(EvtchnStat::unbound, EVTCHNSTAT_unbound);
ABI_SAME_VALUE(EvtchnStat::interdomain, EVTCHNSTAT_interdomain);
ABI_SAME_VALUE(EvtchnStat::pirq, EVTCHNSTAT_pirq);
ABI_SAME_VALUE(EvtchnStat::virq, EVTCHNSTAT_virq);
ABI_SAME_VALUE(EvtchnStat::ipi, EVTCHNSTAT_ipi);

// --- Grant tables v1 (grant_table.h).
ABI_SAME_SIZE(GrantEntryV1, grant_entry_v1);
ABI_FIELD(GrantEntryV1, grant_entry_v1, flags);
ABI_FIELD(GrantEntryV1, grant_entry_v1, domid);
ABI_FIELD(GrantEntryV1, grant_entry_v1, frame);
ABI_SAME_SIZE(GnttabMapGrantRef, gnttab_map_grant_ref);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, host_addr);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, flags);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, ref);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, dom);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, status);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, handle);
ABI_FIELD(GnttabMapGrantRef, gnttab_map_grant_ref, dev_bus_addr);
ABI_SAME_SIZE(GnttabUnmapGrantRef, gnttab_unmap_grant_ref);
ABI_FIELD(GnttabUnmapGrantRef, gnttab_unmap_grant_ref, host_addr);
ABI_FIELD(GnttabUnmapGrantRef, gnttab_unmap_grant_ref, dev_bus_addr);
ABI_FIELD(GnttabUnmapGrantRef, gnttab_unmap_grant_ref, handle);
ABI_FIELD(GnttabUnmapGrantRef, gnttab_unmap_grant_ref, status);
using OurSetupTable = GnttabSetupTable<W>;
ABI_SAME_SIZE(OurSetupTable, gnttab_setup_table);
ABI_FIELD(OurSetupTable, gnttab_setup_table, dom);
ABI_FIELD(OurSetupTable, gnttab_setup_table, nr_frames);
ABI_FIELD(OurSetupTable, gnttab_setup_table, status);
ABI_FIELD(OurSetupTable, gnttab_setup_table, frame_list);
ABI_SAME_SIZE(GnttabQuerySize, gnttab_query_size);
ABI_FIELD(GnttabQuerySize, gnttab_query_size, dom);
ABI_FIELD(GnttabQuerySize, gnttab_query_size, nr_frames);
ABI_FIELD(GnttabQuerySize, gnttab_query_size, max_nr_frames);
ABI_FIELD(GnttabQuerySize, gnttab_query_size, status);
ABI_SAME_SIZE(GnttabSetVersion, gnttab_set_version);
ABI_FIELD(GnttabSetVersion, gnttab_set_version, version);
ABI_SAME_SIZE(GnttabGetVersion, gnttab_get_version);
ABI_FIELD(GnttabGetVersion, gnttab_get_version, dom);
ABI_FIELD(GnttabGetVersion, gnttab_get_version, pad);
ABI_FIELD(GnttabGetVersion, gnttab_get_version, version);
ABI_SAME_VALUE(gnttabop::map_grant_ref, GNTTABOP_map_grant_ref);
ABI_SAME_VALUE(gnttabop::unmap_grant_ref, GNTTABOP_unmap_grant_ref);
ABI_SAME_VALUE(gnttabop::setup_table, GNTTABOP_setup_table);
ABI_SAME_VALUE(gnttabop::dump_table, GNTTABOP_dump_table);
ABI_SAME_VALUE(gnttabop::transfer, GNTTABOP_transfer);
ABI_SAME_VALUE(gnttabop::copy, GNTTABOP_copy);
ABI_SAME_VALUE(gnttabop::query_size, GNTTABOP_query_size);
ABI_SAME_VALUE(gnttabop::unmap_and_replace, GNTTABOP_unmap_and_replace);
ABI_SAME_VALUE(gnttabop::set_version, GNTTABOP_set_version);
ABI_SAME_VALUE(gnttabop::get_status_frames, GNTTABOP_get_status_frames);
ABI_SAME_VALUE(gnttabop::get_version, GNTTABOP_get_version);
ABI_SAME_VALUE(gtf::permit_access, GTF_permit_access);
ABI_SAME_VALUE(gtf::accept_transfer, GTF_accept_transfer);
ABI_SAME_VALUE(gtf::type_mask, GTF_type_mask);
ABI_SAME_VALUE(gtf::readonly, GTF_readonly);
ABI_SAME_VALUE(gtf::reading, GTF_reading);
ABI_SAME_VALUE(gtf::writing, GTF_writing);
ABI_SAME_VALUE(gntmap::device_map, GNTMAP_device_map);
ABI_SAME_VALUE(gntmap::host_map, GNTMAP_host_map);
ABI_SAME_VALUE(gntmap::readonly, GNTMAP_readonly);
ABI_SAME_VALUE(gntmap::application_map, GNTMAP_application_map);
ABI_SAME_VALUE(gntmap::contains_pte, GNTMAP_contains_pte);
ABI_SAME_VALUE(gntst::okay, GNTST_okay);
ABI_SAME_VALUE(gntst::general_error, GNTST_general_error);
ABI_SAME_VALUE(gntst::bad_domain, GNTST_bad_domain);
ABI_SAME_VALUE(gntst::bad_gntref, GNTST_bad_gntref);
ABI_SAME_VALUE(gntst::bad_handle, GNTST_bad_handle);
ABI_SAME_VALUE(gntst::bad_virt_addr, GNTST_bad_virt_addr);
ABI_SAME_VALUE(gntst::bad_dev_addr, GNTST_bad_dev_addr);
ABI_SAME_VALUE(gntst::no_device_space, GNTST_no_device_space);
ABI_SAME_VALUE(gntst::permission_denied, GNTST_permission_denied);
ABI_SAME_VALUE(gntst::bad_page, GNTST_bad_page);
ABI_SAME_VALUE(gntst::bad_copy_arg, GNTST_bad_copy_arg);
ABI_SAME_VALUE(gntst::address_too_big, GNTST_address_too_big);
ABI_SAME_VALUE(gntst::eagain, GNTST_eagain);
ABI_SAME_VALUE(gntst::no_space, GNTST_no_space);

// --- memory_op (memory.h).
using OurAddToPhysmap = AddToPhysmap<W>;
ABI_SAME_SIZE(OurAddToPhysmap, xen_add_to_physmap);
ABI_FIELD(OurAddToPhysmap, xen_add_to_physmap, domid);
ABI_FIELD(OurAddToPhysmap, xen_add_to_physmap, size);
ABI_FIELD(OurAddToPhysmap, xen_add_to_physmap, space);
ABI_FIELD(OurAddToPhysmap, xen_add_to_physmap, idx);
ABI_FIELD(OurAddToPhysmap, xen_add_to_physmap, gpfn);
using OurBatch = AddToPhysmapBatch<W>;
ABI_SAME_SIZE(OurBatch, xen_add_to_physmap_batch);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, domid);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, space);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, size);
ABI_SAME_FIELD(OurBatch, foreign_domid, xen_add_to_physmap_batch, u.foreign_domid);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, idxs);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, gpfns);
ABI_FIELD(OurBatch, xen_add_to_physmap_batch, errs);
using OurRemove = RemoveFromPhysmap<W>;
ABI_SAME_SIZE(OurRemove, xen_remove_from_physmap);
ABI_FIELD(OurRemove, xen_remove_from_physmap, domid);
ABI_FIELD(OurRemove, xen_remove_from_physmap, gpfn);
using OurReservation = MemoryReservation<W>;
ABI_SAME_SIZE(OurReservation, xen_memory_reservation);
ABI_FIELD(OurReservation, xen_memory_reservation, extent_start);
ABI_FIELD(OurReservation, xen_memory_reservation, nr_extents);
ABI_FIELD(OurReservation, xen_memory_reservation, extent_order);
ABI_FIELD(OurReservation, xen_memory_reservation, mem_flags);
ABI_FIELD(OurReservation, xen_memory_reservation, domid);
ABI_SAME_VALUE(xenmem::increase_reservation, XENMEM_increase_reservation);
ABI_SAME_VALUE(xenmem::decrease_reservation, XENMEM_decrease_reservation);
ABI_SAME_VALUE(xenmem::maximum_ram_page, XENMEM_maximum_ram_page);
ABI_SAME_VALUE(xenmem::current_reservation, XENMEM_current_reservation);
ABI_SAME_VALUE(xenmem::maximum_reservation, XENMEM_maximum_reservation);
ABI_SAME_VALUE(xenmem::populate_physmap, XENMEM_populate_physmap);
ABI_SAME_VALUE(xenmem::add_to_physmap, XENMEM_add_to_physmap);
ABI_SAME_VALUE(mapspace::shared_info, XENMAPSPACE_shared_info);
ABI_SAME_VALUE(mapspace::grant_table, XENMAPSPACE_grant_table);
ABI_SAME_VALUE(mapspace::grant_table_status, XENMAPIDX_grant_table_status);
ABI_SAME_VALUE(mapspace::gmfn_foreign, XENMAPSPACE_gmfn_foreign);
ABI_SAME_VALUE(xenmem::add_to_physmap_batch, XENMEM_add_to_physmap_batch);
ABI_SAME_VALUE(xenmem::remove_from_physmap, XENMEM_remove_from_physmap);

// --- sched_op and console_io (sched.h, xen.h).
ABI_SAME_SIZE(SchedShutdown, sched_shutdown);
ABI_FIELD(SchedShutdown, sched_shutdown, reason);
using OurPoll = SchedPoll<W>;
ABI_SAME_SIZE(OurPoll, sched_poll);
ABI_FIELD(OurPoll, sched_poll, ports);
ABI_FIELD(OurPoll, sched_poll, nr_ports);
ABI_FIELD(OurPoll, sched_poll, timeout);
ABI_SAME_VALUE(schedop::yield, SCHEDOP_yield);
ABI_SAME_VALUE(schedop::block, SCHEDOP_block);
ABI_SAME_VALUE(schedop::shutdown, SCHEDOP_shutdown);
ABI_SAME_VALUE(schedop::poll, SCHEDOP_poll);
ABI_SAME_VALUE(ShutdownReason::poweroff, SHUTDOWN_poweroff);
ABI_SAME_VALUE(ShutdownReason::reboot, SHUTDOWN_reboot);
ABI_SAME_VALUE(ShutdownReason::suspend, SHUTDOWN_suspend);
ABI_SAME_VALUE(ShutdownReason::crash, SHUTDOWN_crash);
ABI_SAME_VALUE(ShutdownReason::watchdog, SHUTDOWN_watchdog);
ABI_SAME_VALUE(ShutdownReason::soft_reset, SHUTDOWN_soft_reset);
ABI_SAME_VALUE(consoleio::write, CONSOLEIO_write);
ABI_SAME_VALUE(consoleio::read, CONSOLEIO_read);

// --- vcpu_op (vcpu.h).
ABI_SAME_SIZE(SetPeriodicTimer, vcpu_set_periodic_timer);
ABI_FIELD(SetPeriodicTimer, vcpu_set_periodic_timer, period_ns);
using OurSingleshot = SetSingleshotTimer<W>;
ABI_SAME_SIZE(OurSingleshot, vcpu_set_singleshot_timer);
ABI_FIELD(OurSingleshot, vcpu_set_singleshot_timer, timeout_abs_ns);
ABI_FIELD(OurSingleshot, vcpu_set_singleshot_timer, flags);
ABI_SAME_SIZE(RegisterRunstateArea, vcpu_register_runstate_memory_area);
ABI_SAME_FIELD(RegisterRunstateArea, addr, vcpu_register_runstate_memory_area, addr.p);
using OurRunstate = RunstateInfo<W>;
ABI_SAME_SIZE(OurRunstate, vcpu_runstate_info);
ABI_FIELD(OurRunstate, vcpu_runstate_info, state);
ABI_FIELD(OurRunstate, vcpu_runstate_info, state_entry_time);
ABI_FIELD(OurRunstate, vcpu_runstate_info, time);
ABI_SAME_VALUE(vcpuop::initialise, VCPUOP_initialise);
ABI_SAME_VALUE(vcpuop::up, VCPUOP_up);
// VCPUOP_initialise's record for HVM and PVH guests (hvm/hvm_vcpu.h).
ABI_SAME_SIZE(VcpuHvmContext, vcpu_hvm_context);
ABI_FIELD(VcpuHvmContext, vcpu_hvm_context, mode);
ABI_SAME_FIELD(VcpuHvmContext, regs, vcpu_hvm_context, cpu_regs);
ABI_SAME_SIZE(VcpuHvmX86_32, vcpu_hvm_x86_32);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, eip);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, efer);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, cs_base);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, tr_limit);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, cs_ar);
ABI_FIELD(VcpuHvmX86_32, vcpu_hvm_x86_32, tr_ar);
ABI_SAME_SIZE(VcpuHvmX86_64, vcpu_hvm_x86_64);
ABI_FIELD(VcpuHvmX86_64, vcpu_hvm_x86_64, rip);
ABI_FIELD(VcpuHvmX86_64, vcpu_hvm_x86_64, efer);
ABI_SAME_VALUE(vcpu_hvm_mode::bits32, VCPU_HVM_MODE_32B);
ABI_SAME_VALUE(vcpu_hvm_mode::bits64, VCPU_HVM_MODE_64B);
ABI_SAME_VALUE(vcpuop::down, VCPUOP_down);
ABI_SAME_VALUE(vcpuop::is_up, VCPUOP_is_up);
ABI_SAME_VALUE(vcpuop::get_runstate_info, VCPUOP_get_runstate_info);
ABI_SAME_VALUE(vcpuop::register_runstate_memory_area, VCPUOP_register_runstate_memory_area);
ABI_SAME_VALUE(vcpuop::set_periodic_timer, VCPUOP_set_periodic_timer);
ABI_SAME_VALUE(vcpuop::stop_periodic_timer, VCPUOP_stop_periodic_timer);
ABI_SAME_VALUE(vcpuop::set_singleshot_timer, VCPUOP_set_singleshot_timer);
ABI_SAME_VALUE(vcpuop::stop_singleshot_timer, VCPUOP_stop_singleshot_timer);
ABI_SAME_VALUE(vcpuop::register_vcpu_info, VCPUOP_register_vcpu_info);
ABI_SAME_VALUE(vcpuop::send_nmi, VCPUOP_send_nmi);
ABI_SAME_VALUE(vcpuop::get_physid, VCPUOP_get_physid);
ABI_SAME_VALUE(vcpuop::register_vcpu_time_memory_area, VCPUOP_register_vcpu_time_memory_area);
ABI_SAME_VALUE(sshottmr::future, VCPU_SSHOTTMR_future);

// --- xen_version (version.h, features.h).
ABI_SAME_SIZE(CompileInfo, xen_compile_info);
ABI_FIELD(CompileInfo, xen_compile_info, compiler);
ABI_FIELD(CompileInfo, xen_compile_info, compile_by);
ABI_FIELD(CompileInfo, xen_compile_info, compile_domain);
ABI_FIELD(CompileInfo, xen_compile_info, compile_date);
using OurPlatform = PlatformParameters<W>;
ABI_SAME_SIZE(OurPlatform, xen_platform_parameters);
ABI_FIELD(OurPlatform, xen_platform_parameters, virt_start);
ABI_SAME_SIZE(FeatureInfo, xen_feature_info);
ABI_FIELD(FeatureInfo, xen_feature_info, submap_idx);
ABI_FIELD(FeatureInfo, xen_feature_info, submap);
ABI_SAME_FIELD(BuildId, len, xen_build_id, len);
ABI_SAME_VALUE(sizeof(BuildId), __builtin_offsetof(xen_build_id, buf));
ABI_SAME_VALUE(extraversion_size, sizeof(xen_extraversion_t));
ABI_SAME_VALUE(capabilities_size, sizeof(xen_capabilities_info_t));
ABI_SAME_VALUE(changeset_size, sizeof(xen_changeset_info_t));
ABI_SAME_VALUE(commandline_size, sizeof(xen_commandline_t));
ABI_SAME_VALUE(guest_handle_size, sizeof(xen_domain_handle_t));
ABI_SAME_VALUE(xenver::version, XENVER_version);
ABI_SAME_VALUE(xenver::extraversion, XENVER_extraversion);
ABI_SAME_VALUE(xenver::compile_info, XENVER_compile_info);
ABI_SAME_VALUE(xenver::capabilities, XENVER_capabilities);
ABI_SAME_VALUE(xenver::changeset, XENVER_changeset);
ABI_SAME_VALUE(xenver::platform_parameters, XENVER_platform_parameters);
ABI_SAME_VALUE(xenver::get_features, XENVER_get_features);
ABI_SAME_VALUE(xenver::pagesize, XENVER_pagesize);
ABI_SAME_VALUE(xenver::guest_handle, XENVER_guest_handle);
ABI_SAME_VALUE(xenver::commandline, XENVER_commandline);
ABI_SAME_VALUE(xenver::build_id, XENVER_build_id);
ABI_SAME_VALUE(xenfeat::writable_page_tables, XENFEAT_writable_page_tables);
ABI_SAME_VALUE(xenfeat::writable_descriptor_tables, XENFEAT_writable_descriptor_tables);
ABI_SAME_VALUE(xenfeat::auto_translated_physmap, XENFEAT_auto_translated_physmap);
ABI_SAME_VALUE(xenfeat::supervisor_mode_kernel, XENFEAT_supervisor_mode_kernel);
ABI_SAME_VALUE(xenfeat::pae_pgdir_above_4gb, XENFEAT_pae_pgdir_above_4gb);
ABI_SAME_VALUE(xenfeat::mmu_pt_update_preserve_ad, XENFEAT_mmu_pt_update_preserve_ad);
ABI_SAME_VALUE(xenfeat::highmem_assist, XENFEAT_highmem_assist);
ABI_SAME_VALUE(xenfeat::gnttab_map_avail_bits, XENFEAT_gnttab_map_avail_bits);
ABI_SAME_VALUE(xenfeat::hvm_callback_vector, XENFEAT_hvm_callback_vector);
ABI_SAME_VALUE(xenfeat::hvm_safe_pvclock, XENFEAT_hvm_safe_pvclock);
ABI_SAME_VALUE(xenfeat::hvm_pirqs, XENFEAT_hvm_pirqs);
ABI_SAME_VALUE(xenfeat::dom0, XENFEAT_dom0);
ABI_SAME_VALUE(xenfeat::memory_op_vnode_supported, XENFEAT_memory_op_vnode_supported);
ABI_SAME_VALUE(xenfeat::arm_smccc_supported, XENFEAT_ARM_SMCCC_supported);
ABI_SAME_VALUE(xenfeat::linux_rsdp_unrestricted, XENFEAT_linux_rsdp_unrestricted);
ABI_SAME_VALUE(xenfeat::not_direct_mapped, XENFEAT_not_direct_mapped);
ABI_SAME_VALUE(xenfeat::direct_mapped, XENFEAT_direct_mapped);
ABI_SAME_VALUE(xenfeat::submaps, XENFEAT_NR_SUBMAPS);

// --- hvm_op (hvm/hvm_op.h, hvm/params.h).
ABI_SAME_SIZE(HvmParam, xen_hvm_param);
ABI_FIELD(HvmParam, xen_hvm_param, domid);
ABI_FIELD(HvmParam, xen_hvm_param, pad);
ABI_FIELD(HvmParam, xen_hvm_param, index);
ABI_FIELD(HvmParam, xen_hvm_param, value);
ABI_SAME_VALUE(hvmop::set_param, HVMOP_set_param);
ABI_SAME_VALUE(hvmop::get_param, HVMOP_get_param);
ABI_SAME_VALUE(hvm_param::callback_irq, HVM_PARAM_CALLBACK_IRQ);
ABI_SAME_VALUE(hvm_param::store_pfn, HVM_PARAM_STORE_PFN);
ABI_SAME_VALUE(hvm_param::store_evtchn, HVM_PARAM_STORE_EVTCHN);
ABI_SAME_VALUE(hvm_param::ioreq_pfn, HVM_PARAM_IOREQ_PFN);
ABI_SAME_VALUE(hvm_param::bufioreq_pfn, HVM_PARAM_BUFIOREQ_PFN);
ABI_SAME_VALUE(hvm_param::viridian, HVM_PARAM_VIRIDIAN);
ABI_SAME_VALUE(hvm_param::timer_mode, HVM_PARAM_TIMER_MODE);
ABI_SAME_VALUE(hvm_param::hpet_enabled, HVM_PARAM_HPET_ENABLED);
ABI_SAME_VALUE(hvm_param::ident_pt, HVM_PARAM_IDENT_PT);
ABI_SAME_VALUE(hvm_param::acpi_s_state, HVM_PARAM_ACPI_S_STATE);
ABI_SAME_VALUE(hvm_param::vm86_tss, HVM_PARAM_VM86_TSS);
ABI_SAME_VALUE(hvm_param::vpt_align, HVM_PARAM_VPT_ALIGN);
ABI_SAME_VALUE(hvm_param::console_pfn, HVM_PARAM_CONSOLE_PFN);
ABI_SAME_VALUE(hvm_param::console_evtchn, HVM_PARAM_CONSOLE_EVTCHN);
ABI_SAME_VALUE(hvm_param::acpi_ioports_location, HVM_PARAM_ACPI_IOPORTS_LOCATION);
ABI_SAME_VALUE(hvm_param::paging_ring_pfn, HVM_PARAM_PAGING_RING_PFN);
ABI_SAME_VALUE(hvm_param::monitor_ring_pfn, HVM_PARAM_MONITOR_RING_PFN);
ABI_SAME_VALUE(hvm_param::sharing_ring_pfn, HVM_PARAM_SHARING_RING_PFN);
ABI_SAME_VALUE(hvm_param::triple_fault_reason, HVM_PARAM_TRIPLE_FAULT_REASON);
ABI_SAME_VALUE(hvm_param::ioreq_server_pfn, HVM_PARAM_IOREQ_SERVER_PFN);
ABI_SAME_VALUE(hvm_param::nr_ioreq_server_pages, HVM_PARAM_NR_IOREQ_SERVER_PAGES);
ABI_SAME_VALUE(hvm_param::vm_generation_id_addr, HVM_PARAM_VM_GENERATION_ID_ADDR);
ABI_SAME_VALUE(hvm_param::altp2m, HVM_PARAM_ALTP2M);
ABI_SAME_VALUE(hvm_param::x87_fip_width, HVM_PARAM_X87_FIP_WIDTH);
ABI_SAME_VALUE(hvm_param::vm86_tss_sized, HVM_PARAM_VM86_TSS_SIZED);
ABI_SAME_VALUE(hvm_param::mca_cap, HVM_PARAM_MCA_CAP);
ABI_SAME_VALUE(hvm_param::count, HVM_NR_PARAMS);
ABI_SAME_VALUE(hvm_param::callback_type_vector, HVM_PARAM_CALLBACK_TYPE_VECTOR);
ABI_SAME_VALUE(hv::u64{0xff} << hvm_param::callback_type_shift, HVM_PARAM_CALLBACK_IRQ_TYPE_MASK);

// --- The console ring (io/console.h).
ABI_SAME_SIZE(ConsoleInterface, xencons_interface);
ABI_FIELD(ConsoleInterface, xencons_interface, in);
ABI_FIELD(ConsoleInterface, xencons_interface, out);
ABI_FIELD(ConsoleInterface, xencons_interface, in_cons);
ABI_FIELD(ConsoleInterface, xencons_interface, in_prod);
ABI_FIELD(ConsoleInterface, xencons_interface, out_cons);
ABI_FIELD(ConsoleInterface, xencons_interface, out_prod);
ABI_SAME_VALUE(sizeof(cons_ring_idx_t), sizeof(XENCONS_RING_IDX));

// --- The PVH start info (arch-x86/hvm/start_info.h), as the x86 ports write it (x86/pvh.hpp).
using OurStartInfo = hv::x86::PvhStartInfo;
ABI_SAME_SIZE(OurStartInfo, hvm_start_info);
ABI_FIELD(OurStartInfo, hvm_start_info, magic);
ABI_FIELD(OurStartInfo, hvm_start_info, version);
ABI_FIELD(OurStartInfo, hvm_start_info, flags);
ABI_SAME_FIELD(OurStartInfo, module_count, hvm_start_info, nr_modules);
ABI_SAME_FIELD(OurStartInfo, module_list_paddr, hvm_start_info, modlist_paddr);
ABI_SAME_FIELD(OurStartInfo, command_line_paddr, hvm_start_info, cmdline_paddr);
ABI_FIELD(OurStartInfo, hvm_start_info, rsdp_paddr);
ABI_SAME_FIELD(OurStartInfo, memory_map_paddr, hvm_start_info, memmap_paddr);
ABI_SAME_FIELD(OurStartInfo, memory_map_entries, hvm_start_info, memmap_entries);
ABI_FIELD(OurStartInfo, hvm_start_info, reserved);
using OurModule = hv::x86::PvhModule;
ABI_SAME_SIZE(OurModule, hvm_modlist_entry);
ABI_FIELD(OurModule, hvm_modlist_entry, paddr);
ABI_FIELD(OurModule, hvm_modlist_entry, size);
ABI_SAME_FIELD(OurModule, command_line_paddr, hvm_modlist_entry, cmdline_paddr);
ABI_FIELD(OurModule, hvm_modlist_entry, reserved);
ABI_SAME_VALUE(hv::x86::pvh_start_info_magic, XEN_HVM_START_MAGIC_VALUE);
ABI_SAME_VALUE(sif::privileged, SIF_PRIVILEGED);
ABI_SAME_VALUE(sif::initdomain, SIF_INITDOMAIN);

// --- domctl (domctl.h), the commands we implement.
ABI_SAME_VALUE(domctl_interface_version, XEN_DOMCTL_INTERFACE_VERSION);
ABI_SAME_SIZE(Domctl, xen_domctl);
ABI_FIELD(Domctl, xen_domctl, cmd);
ABI_FIELD(Domctl, xen_domctl, interface_version);
ABI_FIELD(Domctl, xen_domctl, domain);
ABI_FIELD(Domctl, xen_domctl, u);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, ssidref);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, handle);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, flags);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, iommu_opts);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, max_vcpus);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, max_evtchn_port);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, max_grant_frames);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, max_maptrack_frames);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, grant_opts);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, vmtrace_size);
ABI_FIELD(DomctlCreateDomain, xen_domctl_createdomain, cpupool_id);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, domain);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, flags);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, tot_pages);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, max_pages);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, outstanding_pages);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, shr_pages);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, paged_pages);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, shared_info_frame);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, cpu_time);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, nr_online_vcpus);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, max_vcpu_id);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, ssidref);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, handle);
ABI_FIELD(DomctlGetDomainInfo, xen_domctl_getdomaininfo, cpupool);
ABI_FIELD(DomctlMaxMem, xen_domctl_max_mem, max_memkb);
ABI_FIELD(DomctlMaxVcpus, xen_domctl_max_vcpus, max);
ABI_FIELD(DomctlPagingMempool, xen_domctl_paging_mempool, size);
ABI_SAME_VALUE(domctl::get_paging_mempool_size, XEN_DOMCTL_get_paging_mempool_size);
ABI_SAME_VALUE(domctl::createdomain, XEN_DOMCTL_createdomain);
ABI_SAME_VALUE(domctl::destroydomain, XEN_DOMCTL_destroydomain);
ABI_SAME_VALUE(domctl::pausedomain, XEN_DOMCTL_pausedomain);
ABI_SAME_VALUE(domctl::unpausedomain, XEN_DOMCTL_unpausedomain);
ABI_SAME_VALUE(domctl::getdomaininfo, XEN_DOMCTL_getdomaininfo);
ABI_SAME_VALUE(domctl::max_mem, XEN_DOMCTL_max_mem);
ABI_SAME_VALUE(domctl::max_vcpus, XEN_DOMCTL_max_vcpus);
ABI_SAME_VALUE(domctl::resumedomain, XEN_DOMCTL_resumedomain);
ABI_SAME_VALUE(domctl::setvcpucontext, XEN_DOMCTL_setvcpucontext);
ABI_FIELD(DomctlVcpuContext, xen_domctl_vcpucontext, vcpu);
ABI_SAME_VALUE(domctl::shadow_op, XEN_DOMCTL_shadow_op);
ABI_SAME_VALUE(shadow_op::off, XEN_DOMCTL_SHADOW_OP_OFF);
ABI_SAME_VALUE(shadow_op::enable_logdirty, XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY);
ABI_SAME_VALUE(shadow_op::clean, XEN_DOMCTL_SHADOW_OP_CLEAN);
ABI_SAME_VALUE(shadow_op::peek, XEN_DOMCTL_SHADOW_OP_PEEK);
ABI_SAME_VALUE(shadow_op::enable, XEN_DOMCTL_SHADOW_OP_ENABLE);
ABI_SAME_VALUE(shadow_op::mode_log_dirty, XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY);
ABI_SAME_SIZE(DomctlShadowOp, xen_domctl_shadow_op);
ABI_FIELD(DomctlShadowOp, xen_domctl_shadow_op, op);
ABI_FIELD(DomctlShadowOp, xen_domctl_shadow_op, mode);
ABI_FIELD(DomctlShadowOp, xen_domctl_shadow_op, mb);
ABI_FIELD(DomctlShadowOp, xen_domctl_shadow_op, dirty_bitmap);
ABI_FIELD(DomctlShadowOp, xen_domctl_shadow_op, pages);
ABI_SAME_FIELD(DomctlShadowOp, fault_count, xen_domctl_shadow_op, stats.fault_count);
ABI_SAME_FIELD(DomctlShadowOp, dirty_count, xen_domctl_shadow_op, stats.dirty_count);
ABI_FIELD(DomctlVcpuContext, xen_domctl_vcpucontext, ctxt);
ABI_SAME_VALUE(dominf::dying, XEN_DOMINF_dying);
ABI_SAME_VALUE(dominf::hvm_guest, XEN_DOMINF_hvm_guest);
ABI_SAME_VALUE(dominf::shutdown, XEN_DOMINF_shutdown);
ABI_SAME_VALUE(dominf::paused, XEN_DOMINF_paused);
ABI_SAME_VALUE(dominf::blocked, XEN_DOMINF_blocked);
ABI_SAME_VALUE(dominf::running, XEN_DOMINF_running);
ABI_SAME_VALUE(dominf::shutdown_shift, XEN_DOMINF_shutdownshift);

// --- xen.h: hypercall numbers, special domains, VIRQs, the time record's flags, error codes.
ABI_SAME_VALUE(hypercall::memory_op, __HYPERVISOR_memory_op);
ABI_SAME_VALUE(hypercall::set_timer_op, __HYPERVISOR_set_timer_op);
ABI_SAME_VALUE(hypercall::xen_version, __HYPERVISOR_xen_version);
ABI_SAME_VALUE(hypercall::console_io, __HYPERVISOR_console_io);
ABI_SAME_VALUE(hypercall::grant_table_op, __HYPERVISOR_grant_table_op);
ABI_SAME_VALUE(hypercall::vcpu_op, __HYPERVISOR_vcpu_op);
ABI_SAME_VALUE(hypercall::sched_op, __HYPERVISOR_sched_op);
ABI_SAME_VALUE(hypercall::event_channel_op, __HYPERVISOR_event_channel_op);
ABI_SAME_VALUE(hypercall::hvm_op, __HYPERVISOR_hvm_op);
ABI_SAME_VALUE(hypercall::domctl, __HYPERVISOR_domctl);
ABI_SAME_VALUE(domid_first_reserved, DOMID_FIRST_RESERVED);
ABI_SAME_VALUE(domid_self, DOMID_SELF);
ABI_SAME_VALUE(domid_io, DOMID_IO);
ABI_SAME_VALUE(domid_xen, DOMID_XEN);
ABI_SAME_VALUE(domid_cow, DOMID_COW);
ABI_SAME_VALUE(domid_invalid, DOMID_INVALID);
ABI_SAME_VALUE(domid_idle, DOMID_IDLE);
ABI_SAME_VALUE(virq::timer, VIRQ_TIMER);
ABI_SAME_VALUE(virq::debug, VIRQ_DEBUG);
ABI_SAME_VALUE(virq::console, VIRQ_CONSOLE);
ABI_SAME_VALUE(virq::dom_exc, VIRQ_DOM_EXC);
ABI_SAME_VALUE(virq::tbuf, VIRQ_TBUF);
ABI_SAME_VALUE(virq::debugger, VIRQ_DEBUGGER);
ABI_SAME_VALUE(virq::xenoprof, VIRQ_XENOPROF);
ABI_SAME_VALUE(virq::con_ring, VIRQ_CON_RING);
ABI_SAME_VALUE(virq::pcpu_state, VIRQ_PCPU_STATE);
ABI_SAME_VALUE(virq::mem_event, VIRQ_MEM_EVENT);
ABI_SAME_VALUE(virq::argo, VIRQ_ARGO);
ABI_SAME_VALUE(virq::enomem, VIRQ_ENOMEM);
ABI_SAME_VALUE(virq::xenpmu, VIRQ_XENPMU);
ABI_SAME_VALUE(virq::arch_0, VIRQ_ARCH_0);
ABI_SAME_VALUE(virq::count, NR_VIRQS);
ABI_SAME_VALUE(pvclock::tsc_stable, XEN_PVCLOCK_TSC_STABLE_BIT);
ABI_SAME_VALUE(pvclock::guest_stopped, XEN_PVCLOCK_GUEST_STOPPED);
ABI_SAME_VALUE(legacy_max_vcpus, XEN_LEGACY_MAX_VCPUS);
ABI_SAME_VALUE(hv::Err::perm, -XEN_EPERM);
ABI_SAME_VALUE(hv::Err::noent, -XEN_ENOENT);
ABI_SAME_VALUE(hv::Err::srch, -XEN_ESRCH);
ABI_SAME_VALUE(hv::Err::again, -XEN_EAGAIN);
ABI_SAME_VALUE(hv::Err::nomem, -XEN_ENOMEM);
ABI_SAME_VALUE(hv::Err::acces, -XEN_EACCES);
ABI_SAME_VALUE(hv::Err::fault, -XEN_EFAULT);
ABI_SAME_VALUE(hv::Err::busy, -XEN_EBUSY);
ABI_SAME_VALUE(hv::Err::exist, -XEN_EEXIST);
ABI_SAME_VALUE(hv::Err::inval, -XEN_EINVAL);
ABI_SAME_VALUE(hv::Err::nospc, -XEN_ENOSPC);
ABI_SAME_VALUE(hv::Err::nosys, -XEN_ENOSYS);
ABI_SAME_VALUE(hv::Err::nodata, -XEN_ENODATA);
ABI_SAME_VALUE(hv::Err::time, -XEN_ETIME);

} // namespace abi_native
