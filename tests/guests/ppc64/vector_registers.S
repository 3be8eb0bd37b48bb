// SPDX-License-Identifier: Apache-2.0
// The 64 VSX registers (which hold the 32 floating-point and the 32 vector registers), loaded from and
// stored to a 1 KiB area: guest_vector_registers_load(const void* area), _store(void* area). Both turn
// MSR[FP], MSR[VEC] and MSR[VSX] on first; they stay on.

#define MSR_FP 0x2000
#define MSR_VSX 0x800000
#define MSR_VEC 0x2000000

.macro enable_vector_facilities
	mfmsr 5
	oris 5, 5, (MSR_VEC | MSR_VSX)@h
	ori 5, 5, MSR_FP
	mtmsrd 5
	isync
.endm

	.text
	.globl guest_vector_registers_load
guest_vector_registers_load:
	enable_vector_facilities
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
	li 4, 16 * \n
	lxvd2x \n, 3, 4
	.endr
	blr

	.globl guest_vector_registers_store
guest_vector_registers_store:
	enable_vector_facilities
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63
	li 4, 16 * \n
	stxvd2x \n, 3, 4
	.endr
	blr
