// SPDX-License-Identifier: Apache-2.0
// Virtualization::enable: checks that this CPU can run partitions the way the backend runs them, finds
// the partition table, sets what every guest may use, and installs the real-mode exit vectors.
#include "lpar_state.hpp"

#include <hv/config.hpp>
#include <hv/core/limits.hpp>

#include <hv/string.hpp>

#include <ppc64/registers.hpp>

extern "C" {
extern const hv::u8 lpar_real_vectors_start[]; // lpar_vectors.S
extern const hv::u8 lpar_real_vectors_end[];
}

namespace hv::ppc64::lpar {
PartitionTable partition_table;
} // namespace hv::ppc64::lpar

namespace hv::port {
namespace {

constexpr u64 pvr_version_power9 = 0x004e; // PVR bits 0:15; POWER10 and later are larger
constexpr u64 ptcr_table_mask = 0x0fff'ffff'ffff'f000ull;
constexpr u64 ptcr_size_mask = 0x1f; // PATS: the table is 2^(12+PATS) bytes
constexpr u64 partition_entry_bytes = 16;
constexpr u32 lpidr_limit = (1u << 12) - 1; // POWER9 implements 12 LPID bits
constexpr u32 guests_wanted = limits::max_domains;

// HFSCR: the facilities a guest may use, whose registers the entry and exit swap (floating point,
// VMX/VSX, DSCR, TAR). Everything else (performance monitor, BHRB, transactional memory, EBB,
// msgsndp...) keeps state the backend does not swap, so a guest touching it exits with a hypervisor
// facility unavailable interrupt instead of seeing another partition's values.
constexpr u64 hfscr_fp = 1ull << 0;
constexpr u64 hfscr_vector = 1ull << 1;
constexpr u64 hfscr_dscr = 1ull << 2;
constexpr u64 hfscr_tar = 1ull << 8;
constexpr u64 guest_facilities = hfscr_fp | hfscr_vector | hfscr_dscr | hfscr_tar;

// AMOR: a guest's operating system controls every key of its own AMR and IAMR.
constexpr u64 guest_authority_mask = ~0ull;

constexpr u64 cache_line = 128; // POWER9's

/// Physical page 0 through the identity direct map. The compiler must not see a null pointer here.
u8* physical_page_zero() {
  uptr address = 0;
  asm("" : "+r"(address));
  return reinterpret_cast<u8*>(address);
}

/// Writes the exit vectors over physical page 0 and makes the instruction fetch see them.
void install_real_vectors() {
  const usize bytes = static_cast<usize>(lpar_real_vectors_end - lpar_real_vectors_start);
  u8* page = physical_page_zero();
  memcpy(page, lpar_real_vectors_start, bytes);
  for (usize offset = 0; offset < bytes; offset += cache_line)
    asm volatile("dcbst 0, %0" : : "r"(page + offset) : "memory");
  asm volatile("sync" : : : "memory");
  for (usize offset = 0; offset < bytes; offset += cache_line)
    asm volatile("icbi 0, %0" : : "r"(page + offset) : "memory");
  asm volatile("sync\n\tisync" : : : "memory");
}

} // namespace

bool Virtualization::enable(FrameSource& frames, const char*& reason) {
  if ((ppc64::read_msr() & ppc64::msr::hv) == 0) {
    reason = "not in hypervisor state (MSR[HV]=0)";
    return false;
  }
  if ((ppc64::read_spr<ppc64::spr::pvr>() >> 16) < pvr_version_power9) {
    reason = "the CPU is older than POWER9: no radix partitions";
    return false;
  }
  if ((ppc64::read_spr<ppc64::spr::lpcr>() & ppc64::lpcr::hr) == 0) {
    reason = "the hypervisor does not translate radix (LPCR[HR]=0)";
    return false;
  }
  const u64 ptcr = ppc64::read_spr<ppc64::spr::ptcr>();
  if ((ptcr & ptcr_table_mask) == 0) {
    reason = "no partition table (PTCR=0)";
    return false;
  }
  const u64 entries = (1ull << (12 + (ptcr & ptcr_size_mask))) / partition_entry_bytes;
  const u32 max_lpid = entries - 1 < lpidr_limit ? static_cast<u32>(entries - 1) : lpidr_limit;
  if (max_lpid < guests_wanted) {
    reason = "the partition table has no room for an LPID per domain";
    return false;
  }
  ppc64::lpar::partition_table = {ptcr & ptcr_table_mask, max_lpid};
  ppc64::write_spr<ppc64::spr::hfscr>(guest_facilities);
  ppc64::write_spr<ppc64::spr::amor>(guest_authority_mask);
  install_real_vectors();
  // A probe: built only with -Dprobes=true, so the release image carries neither the test nor its guest.
  // Once, on the boot CPU: the secondaries enable the backend too, and the test's guest and LPID are one.
  if constexpr (config::probes)
    if (port::Cpu::index() == 0) ppc64::lpar::self_test_if_asked(frames);
  return true;
}

} // namespace hv::port
