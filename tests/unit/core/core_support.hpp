// SPDX-License-Identifier: Apache-2.0
// A simulated machine for the core's tests: host-port RAM, a frame allocator over it and a domain table.
#pragma once

#include <hv/core/domain_table.hpp>
#include <hv/core/frame_allocator.hpp>

#include <port.hpp>

#include <catch2/catch_test_macros.hpp>

#include <memory>
#include <vector>

namespace hv::test {

inline constexpr PhysAddr ram_base = 0x80000000;

struct CoreMachine {
  std::vector<FrameInfo> table;
  FrameAllocator frames;
  std::unique_ptr<DomainTable> domains;

  explicit CoreMachine(u64 ram_bytes = 64u << 20) {
    hv::host::reset_machine(ram_base, ram_bytes, nullptr, "");
    table.resize(FrameAllocator::metadata_bytes(ram_base, ram_base + ram_bytes) / sizeof(FrameInfo));
    frames.init(ram_base, ram_base + ram_bytes, table.data());
    frames.add_free({ram_base, ram_bytes});
    domains = std::make_unique<DomainTable>(frames);
  }

  /// A domain that was created, given `pages` of memory and started.
  Domain& running(DomainConfig config = {}, u64 pages = 16) {
    if (config.max_pages == 0) config.max_pages = pages;
    auto d = domains->create(config);
    REQUIRE(d.ok());
    REQUIRE(domains->populate(*d.value(), 0, pages) == Err::ok);
    REQUIRE(domains->start(*d.value()) == Err::ok);
    // As if a backend held every vCPU's state, as the run time's builder gives it (here there is none).
    for (u32 i = 0; i < d.value()->vcpu_count; ++i) d.value()->vcpus[i].context_made = true;
    return *d.value();
  }
};

} // namespace hv::test
