#!/usr/bin/env bash
# Usage: ./boot [PORT [SCENARIO]]
#
# Installs what PORT needs, builds it and boots it in QEMU, showing what the hypervisor prints. PORT is a
# target of cross/targets.toml that an emulator runs (default x86_64). A port that runs guests boots the
# ping-pong domains (two guests bouncing events over an event channel), the others boot with nothing to
# run (release-boot); SCENARIO picks another (tests/boot/run --list shows them all), e.g.
# ./boot x86_64 misbehave. Exits with the run's verdict: 0 when the run showed what its scenario must,
# 2 for a port or scenario it cannot boot.
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
port=${1:-x86_64}

# Checked before anything is installed, so without python3, which a fresh machine may lack: one table
# header a line is all this reads of the file.
mapfile -t ports < <(sed -n 's/^\[targets\.\([A-Za-z0-9_-]*\)\.emulator\]$/\1/p' cross/targets.toml)
if [[ " ${ports[*]} " != *" $port "* ]]; then
  echo "boot: '$port' is not a port an emulator runs; ports: ${ports[*]}" >&2
  if grep -q "^\[targets\.$port\]$" cross/targets.toml; then
    echo "boot: $port is built and checked only: cross/build $port" >&2
  fi
  exit 2
fi

scripts/install-deps "$port"
if [ $# -ge 2 ]; then
  scenario=$2
elif [ "$(cross/targets.py get "$port" guests)" = true ]; then
  scenario=ping-pong
else
  scenario=release-boot
fi
# The boot runner rebuilds the port first.
exec tests/boot/run --show --port "$port" --scenario "$scenario"
