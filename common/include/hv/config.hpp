// SPDX-License-Identifier: Apache-2.0
// What the build chose beyond the port (meson_options.txt), as constants that code tests with
// `if constexpr`, so that every configuration is compiled and checked on every build.
#pragma once

#ifndef HV_PROBES
#define HV_PROBES 0
#endif

namespace hv::config {

/// Probes: what only tests need (the boot self-proofs, backend self-tests, bench figures). Off in the
/// release image; the boot matrix builds an image with them for the scenarios that read them.
inline constexpr bool probes = HV_PROBES != 0;

} // namespace hv::config
