// SPDX-License-Identifier: Apache-2.0
// Step 5 (docs/porting.md): the vectors. Each saves what the hypervisor's C++ may clobber and calls the
// C++ end of the trap backend (traps.cpp), which reports the trap to hv::handle_trap; then it restores
// and resumes. Empty, it assembles on any target.
