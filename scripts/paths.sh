# SPDX-License-Identifier: Apache-2.0
# Where the build keeps what it prepares outside the source tree, and how much it runs at once. Sourced by
# the scripts.
HV_CACHE=${HV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hv}
HV_LIBFDT_DIR=$HV_CACHE/libfdt-6.1
HV_IA64_GCC_VERSION=12.2.0
HV_IA64_PREFIX=$HV_CACHE/ia64-gcc-$HV_IA64_GCC_VERSION
export HV_CACHE HV_LIBFDT_DIR HV_IA64_PREFIX
# How many jobs at once: build jobs (ninja, make) and emulators in the boot runner. ./test --jobs sets it.
HV_JOBS=${HV_JOBS:-$(nproc)}
export HV_JOBS
