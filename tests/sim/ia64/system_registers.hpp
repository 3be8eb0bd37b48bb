// SPDX-License-Identifier: Apache-2.0
// Numbers and bits of the system registers the simulator models (volume 2, chapter 3 "System State
// and Programming Model"): PSR bits, control register numbers, ISR bits and the IVT's vectors.
#pragma once

#include <cstdint>

namespace ia64sim {

namespace psr_bit { // volume 2, section 3.3.2, figure 3-2
inline constexpr std::uint64_t be = 1ull << 1, pp = 1ull << 21;
inline constexpr std::uint64_t ic = 1ull << 13, i = 1ull << 14, dt = 1ull << 17;
inline constexpr std::uint64_t dfl = 1ull << 18, dfh = 1ull << 19, rt = 1ull << 27;
inline constexpr std::uint64_t cpl = 3ull << 32, it = 1ull << 36, bn = 1ull << 44;
inline constexpr unsigned ri_shift = 41;
inline constexpr std::uint64_t ri = 3ull << ri_shift;
inline constexpr std::uint64_t mfl = 1ull << 4, mfh = 1ull << 5, mc = 1ull << 35;
} // namespace psr_bit

namespace cr_number { // volume 2, section 3.3.1, table 3-3
inline constexpr unsigned dcr = 0, itm = 1, iva = 2, pta = 8, ipsr = 16, isr = 17, iip = 19, ifa = 20, itir = 21,
                          iipa = 22, ifs = 23, iim = 24, iha = 25, lid = 64, ivr = 65, tpr = 66, eoi = 67, irr0 = 68,
                          itv = 72, pmv = 73, cmcv = 74, lrr0 = 80, lrr1 = 81;
} // namespace cr_number

namespace ar_number { // volume 1, section 3.1.8, table 3-3
inline constexpr unsigned rsc = 16, bsp = 17, bspstore = 18, rnat = 19, itc = 44;
} // namespace ar_number

namespace isr_bit { // volume 2, section 3.3.5.2, table 3-7
inline constexpr std::uint64_t x = 1ull << 32, w = 1ull << 33, r = 1ull << 34;
inline constexpr unsigned ei_shift = 41;
} // namespace isr_bit

namespace ivt { // volume 2, section 5.7, table 5-7: offsets of the vectors in the IVT
inline constexpr std::uint64_t vhpt_translation = 0x0000, instruction_tlb = 0x0400, data_tlb = 0x0800,
                               alternate_instruction_tlb = 0x0c00, alternate_data_tlb = 0x1000,
                               data_nested_tlb = 0x1400, dirty_bit = 0x2000, instruction_access_bit = 0x2400,
                               data_access_bit = 0x2800, break_instruction = 0x2c00, external_interrupt = 0x3000,
                               page_not_present = 0x5000, instruction_access_rights = 0x5200,
                               data_access_rights = 0x5300, general_exception = 0x5400;
} // namespace ivt

} // namespace ia64sim
