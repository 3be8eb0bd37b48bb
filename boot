#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Usage: ./boot [--verbose] [PORT [SCENARIO | DESCRIPTION | --guest IMAGE [GUEST OPTIONS] [--guest IMAGE ...]]]
#
# Installs what PORT needs, builds it and boots it in QEMU, showing what the hypervisor prints. PORT is a
# target of cross/targets.toml that an emulator runs (default x86_64). What it boots:
#   (nothing)             a port that runs guests: the ping-pong domains (two guests bouncing events over
#                         an event channel); the others boot with nothing to run (release-boot)
#   SCENARIO              a scenario of the boot matrix: tests/boot/run --list shows them all
#   DESCRIPTION           your own domain description, a .dts (compiled with dtc) or .dtb (boards/README.md)
#   --guest IMAGE ...     your own guest ELF images, one domain each; each --guest may be followed by
#                         --memory 64M --vcpus N --cmdline "..." --weight W --cap C --privileged --name N
#                         (scripts/describe writes the description: build/boot-logs/guests.dts)
# Installing and building print one line a step, naming the log their tools' output went to (shown when a
# step fails); the console is shown from the hypervisor's first line. --verbose (anywhere) shows the
# tools' output and the firmware's (SeaBIOS, skiboot) as well. The whole console is in build/boot-logs/.
# The boot runner rebuilds what changed first. A scenario passes when the run showed what it must; a
# description or guests when the hypervisor stopped the machine with status success (every domain
# stopped). Exits 0 then, 1 when it did not, and 2 for a port, scenario, file or option it cannot boot,
# before installing or building anything (a guest option's value that scripts/describe refuses, such as
# a memory size of no whole pages, once the port is built).
set -euo pipefail
cd "$(dirname "$0")"

usage_error() { echo "boot: $1" >&2; echo "boot: ./boot --help shows the usage" >&2; exit 2; }
case "${1:-}" in -h|--help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
# --verbose may come anywhere, except as the value of a guest option (--cmdline --verbose is a command line).
verbose=0 kept=() previous=
for arg in "$@"; do
  if [ "$arg" = --verbose ] && [[ " --memory --vcpus --cmdline --weight --cap --name " != *" $previous "* ]]; then
    verbose=1
  else
    kept+=("$arg")
  fi
  previous=$arg
done
set -- "${kept[@]}"
case "${1:-}" in -h|--help) sed -n '3,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
port=${1:-x86_64}
[ $# -gt 0 ] && shift

# Checked before anything is installed, so without python3, which a fresh machine may lack: one table
# header a line is all this reads of the files.
mapfile -t ports < <(sed -n 's/^\[targets\.\([A-Za-z0-9_-]*\)\.emulator\]$/\1/p' cross/targets.toml)
if [[ " ${ports[*]} " != *" $port "* ]]; then
  echo "boot: '$port' is not a port an emulator runs; ports: ${ports[*]}" >&2
  if grep -q "^\[targets\.$port\]$" cross/targets.toml; then
    echo "boot: $port is built and checked only: cross/build $port" >&2
  fi
  exit 2
fi

run=(tests/boot/run --show --port "$port")
if [ "$verbose" = 1 ]; then run+=(--verbose); export HV_VERBOSE=1; fi
if [ $# -eq 0 ]; then
  if grep -A8 "^\[targets\.$port\]$" cross/targets.toml | grep -q '^guests = true'; then
    run+=(--scenario ping-pong)
  else
    run+=(--scenario release-boot)
  fi
elif [ "$1" = --guest ]; then
  guest_options=" --memory --vcpus --cmdline --weight --cap --name "
  args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    word=${args[i]}
    case "$word" in
      --guest) ((++i)); [ -f "${args[i]:-}" ] || usage_error "no such guest image: '${args[i]:-}'" ;;
      --privileged) ;;
      --*) [[ "$guest_options" == *" $word "* ]] || usage_error "unknown guest option $word (guest options:${guest_options}--privileged)"
           ((++i)); [ $i -lt ${#args[@]} ] || usage_error "$word needs a value" ;;
      *) usage_error "'$word' is not a guest option" ;;
    esac
  done
  described=build/boot-logs/guests.dtb
  run+=(--description "$described")
elif [[ "$1" == *.dts || "$1" == *.dtb ]]; then
  [ $# -eq 1 ] || usage_error "a description comes alone: '$2' after it"
  [ -f "$1" ] || usage_error "no such description: '$1'"
  run+=(--description "$1")
else
  [ $# -eq 1 ] || usage_error "one scenario at a time: '$2' after '$1'"
  mapfile -t scenarios < <(sed -n 's/^\[scenarios\.\([A-Za-z0-9_-]*\)\]$/\1/p' tests/boot/ports.toml)
  [[ " ${scenarios[*]} " == *" $1 "* ]] ||
    usage_error "no scenario '$1' (scenarios: ${scenarios[*]}; or give a .dts/.dtb description or --guest)"
  # Each scenario's one `ports = [...]` line says where it runs (tests/boot/run would try it anyway, as a
  # port being written wants, and fail for want of what the port does not build).
  scenario_ports() {
    awk -v want="[scenarios.$1]" '/^\[/ { inside = ($0 == want) } inside && /^ports = / {
      gsub(/^ports = \[|\]|"|,/, ""); print }' tests/boot/ports.toml
  }
  where=$(scenario_ports "$1")
  if [[ " $where " != *" $port "* ]]; then
    mine=()
    for s in "${scenarios[@]}"; do [[ " $(scenario_ports "$s") " != *" $port "* ]] || mine+=("$s"); done
    usage_error "scenario '$1' does not run on $port (it runs on: $where); $port's scenarios: ${mine[*]}"
  fi
  run+=(--scenario "$1")
fi

scripts/install-deps "$port"
if [ -n "${described:-}" ]; then
  # The port is built first: a guest image of the build directory may be among the ones named. The
  # runner need not build it again.
  cross/build "$port"
  scripts/describe "$@" -o "$described" >/dev/null || exit 2
  run+=(--no-build)
fi
# The boot runner rebuilds the port first.
exec "${run[@]}"
