// SPDX-License-Identifier: Apache-2.0
// The program the skeleton's link check links (tests/contract/meson.build): never run, it only gives
// the link a reason to need every function of common code, and so every function of the contract.
#include <hv/boot_state.hpp>

int main() { hv::boot_main(); }
