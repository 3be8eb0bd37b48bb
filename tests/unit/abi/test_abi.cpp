// SPDX-License-Identifier: Apache-2.0
// The ABI comparison is made at compile time (abi_foreign.cpp, abi_native.cpp); this case only reports,
// in the unit suite's results, that the program holding those checks was built, and for which layouts.
#include <hv/abi/shared_info.hpp>

#include <catch2/catch_test_macros.hpp>

TEST_CASE("guest ABI: our records match the family's headers (checked when this program was compiled)") {
  // The 64-bit native records and both widths of shared_info are checked in this program; the 32-bit
  // native records by the abi-i686 test.
  CHECK(sizeof(void*) == 8);
  CHECK(sizeof(hv::abi::SharedInfo<hv::abi::GuestWidth::bits32>) == 2344);
  CHECK(sizeof(hv::abi::SharedInfo<hv::abi::GuestWidth::bits64>) == 3136);
}
