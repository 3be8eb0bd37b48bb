#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Proves the core (common/core, hv/core, hv/abi) compiles freestanding for the bare-metal targets: a
# 32-bit little-endian one (x86_32), a 64-bit little-endian one (x86_64) and a 64-bit big-endian one
# (ppc64, ELFv2), each against that port's own header for the port-facing machine memory
# (hv/core/machine_memory.hpp and its .cpp); then compiles each source for real and fails if it calls a
# runtime bare metal lacks (libatomic, operator new, __cxa_*).
# The loader (common/loader, hv/loader: guest ELF images, domain descriptions) is checked the same way,
# against the libfdt sources the bare-metal builds use (scripts/paths.sh).
# Run from anywhere; exits non-zero on the first target with a failure.
cd "$(dirname "$0")/../../.." || exit 1
. scripts/paths.sh
flags="-std=c++20 -ffreestanding -fno-exceptions -fno-rtti -nostdinc++ -Wall -Wextra -Werror -Wpedantic -Wshadow \
  -Wold-style-cast -Wzero-as-null-pointer-constant -Wundef -Wno-pragma-once-outside-header -fsyntax-only"
rc=0
for pair in "i686-unknown-none-elf:x86" "x86_64-unknown-none-elf:x86" "powerpc64-unknown-linux-gnu -mabi=elfv2:ppc64"; do
  target=${pair%%:*}
  port=${pair##*:}
  n=0
  for f in common/core/*.cpp common/core/*.hpp common/include/hv/core/*.hpp common/include/hv/abi/*.hpp \
    common/loader/*.cpp common/loader/*.hpp common/include/hv/loader/*.hpp; do
    lang=""
    case $f in *.hpp) lang="-x c++" ;; esac
    # shellcheck disable=SC2086
    clang++-19 --target=$target $lang $flags -Icommon/include -Icommon/libc/include -Iarch -Iarch/$port/include \
      -isystem "$HV_LIBFDT_DIR" "$f" || { echo "FAIL: $target $f"; rc=1; }
    n=$((n + 1))
  done
  # Compiled for real: no call into a libatomic or libc++ that bare metal does not have.
  for f in common/core/*.cpp common/loader/*.cpp; do
    # shellcheck disable=SC2086
    clang++-19 --target=$target -std=c++20 -O2 -ffreestanding -fno-exceptions -fno-rtti -nostdinc++ -Icommon/include \
      -Icommon/libc/include -Iarch -Iarch/$port/include -isystem "$HV_LIBFDT_DIR" -c "$f" \
      -o /tmp/hv-core-check.o &&
      if llvm-nm-19 -u /tmp/hv-core-check.o | grep -E '__atomic|_Znw|_Zdl|__cxa' ; then echo "FAIL: $target $f needs a runtime"; rc=1; fi
  done
  echo "$target ($port): $n files checked"
done
exit $rc
