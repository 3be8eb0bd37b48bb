#!/usr/bin/env bash
# Builds the default port (x86_64) and boots it in QEMU, showing what the hypervisor prints; installs what
# is missing first. A port that runs guests boots the ping-pong domains (two guests bouncing events over
# an event channel), the others boot with nothing to run. Another port or scenario: ./boot ppc64le,
# ./boot x86_32, ./boot x86_64 misbehave (tests/boot/run --list shows them all).
# Exits with the run's verdict: 0 when the hypervisor passed.
set -euo pipefail
cd "$(dirname "$0")"
port=${1:-x86_64}
case "$port" in
  x86_64|ppc64le|ppc64be) default_scenario=ping-pong ;;
  *) default_scenario=release-boot ;;
esac
scenario=${2:-$default_scenario}
if [ "$port" = ia64 ]; then
  echo "boot: no emulator for IA-64 is within reach; 'cross/build ia64' builds it and tests/ia64/check-layout checks it" >&2
  exit 2
fi
scripts/install-deps --no-ia64
cross/build "$port"
exec tests/boot/run --show --port "$port" --scenario "$scenario"
