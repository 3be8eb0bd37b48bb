# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# One line per step for the scripts a person runs (scripts/install-deps, cross/build, the toolchain and
# guest builds): a step's own output (apt, meson, ninja, make) goes to a log file, and only its end is
# shown, when the step fails. Sourced; plain bash, because scripts/install-deps runs it before python3 is
# installed.
#
#   step LABEL LOG COMMAND...
#       "LABEL ... done (8 s; log: LOG)"; on failure "LABEL ... FAILED", then on stderr the command, the
#       last lines of LOG and its path. Returns the command's status.
#   step_long LABEL LOG PROGRESS COMMAND...
#       the same for a step of minutes: while it runs, its elapsed time and what `PROGRESS LOG` prints
#       (e.g. "412 of about 1400 files compiled"; PROGRESS may be `:` for none), on one updating line when
#       the step lines go to a terminal, else as a new line every $HV_PROGRESS_SECONDS (default 60), as
#       a CI log wants.
#
# COMMAND's output is appended to LOG after a line naming it, so that one log can hold several steps;
# STEP_SHOWN, when set, is how that line and a failure name COMMAND (for a shell function, what it runs).
# HV_VERBOSE=1 shows the tools' own output as it comes as well. The step lines go to STEP_FD (default 1:
# a script whose stdout is its answer, such as a path, sets 2).

STEP_FD=${STEP_FD:-1}
STEP_TAIL_LINES=${STEP_TAIL_LINES:-30}

# A duration as a person reads it: "8 s", "3 min 12 s".
step_duration() {
  local s=$1
  if [ "$s" -lt 60 ]; then echo "$s s"; else echo "$((s / 60)) min $((s % 60)) s"; fi
}

# A path as the lines show it: from the current directory when it is below it, with ~ for the home.
step_path() {
  local p=$1
  case "$p" in
    "$PWD"/*) p=${p#"$PWD"/} ;;
    "$HOME"/*) p="~${p#"$HOME"}" ;;
  esac
  echo "$p"
}

step_say() { printf '%s' "$*" >&"$STEP_FD"; }

step_on_terminal() { [ -t "$STEP_FD" ]; }

# What a failed step shows: enough to act on without opening anything, and where the rest is.
step_failed() {
  local label=$1 log=$2 status=$3 elapsed=$4; shift 4
  step_say "$label ... FAILED (exit status $status, $(step_duration "$elapsed"))"$'\n'
  {
    echo "  command: ${STEP_SHOWN:-$*}"
    echo "  the last lines of $(step_path "$log"):"
    tail -n "$STEP_TAIL_LINES" "$log" | sed 's/^/  | /'
    echo "  full log: $(step_path "$log")"
  } >&2
}

step_start_log() {
  local log=$1; shift
  mkdir -p "$(dirname "$log")"
  [ ! -s "$log" ] || echo >>"$log"
  printf '$ %s\n' "${STEP_SHOWN:-$*}" >>"$log"
}

step() {
  local label=$1 log=$2; shift 2
  step_start_log "$log" "$@"
  local start=$SECONDS status=0
  step_on_terminal && step_say "$label ... "
  if [ "${HV_VERBOSE:-0}" = 1 ]; then
    step_on_terminal && step_say $'\n'
    # The command's status, with pipefail or without; the group's || keeps set -e from acting on it.
    { "$@" 2>&1 | tee -a "$log" >&2; status=${PIPESTATUS[0]}; } || true
  else
    "$@" >>"$log" 2>&1 </dev/null || status=$?
  fi
  step_on_terminal && step_say $'\r\033[K'
  if [ "$status" -ne 0 ]; then
    step_failed "$label" "$log" "$status" $((SECONDS - start)) "$@"
    return "$status"
  fi
  step_say "$label ... done ($(step_duration $((SECONDS - start))); log: $(step_path "$log"))"$'\n'
}

step_long() {
  local label=$1 log=$2 progress=$3; shift 3
  step_start_log "$log" "$@"
  local start=$SECONDS status=0 every=${HV_PROGRESS_SECONDS:-60} next said
  step_say "$label ... (log: $(step_path "$log"))"$'\n'
  if [ "${HV_VERBOSE:-0}" = 1 ]; then
    # The command's status, with pipefail or without; the group's || keeps set -e from acting on it.
    { "$@" 2>&1 | tee -a "$log" >&2; status=${PIPESTATUS[0]}; } || true
  else
    "$@" >>"$log" 2>&1 </dev/null &
    local pid=$!
    # Whoever stops this script stops the step too: a compiler build left running would hold the CPUs.
    trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM HUP
    next=$((start + every))
    local terminal=0 more
    step_on_terminal && terminal=1
    while kill -0 "$pid" 2>/dev/null; do
      sleep 1
      [ "$terminal" = 1 ] || [ "$SECONDS" -ge "$next" ] || continue
      said="$label ... $(step_duration $((SECONDS - start)))"
      more=$("$progress" "$log" 2>/dev/null || true)
      [ -z "$more" ] || said+=", $more"
      if [ "$terminal" = 1 ]; then
        step_say $'\r\033[K'"$said"
      else
        step_say "$said"$'\n'
        next=$((SECONDS + every))
      fi
    done
    wait "$pid" || status=$?
    trap - INT TERM HUP
    step_on_terminal && step_say $'\r\033[K'
  fi
  if [ "$status" -ne 0 ]; then
    step_failed "$label" "$log" "$status" $((SECONDS - start)) "$@"
    return "$status"
  fi
  step_say "$label ... done ($(step_duration $((SECONDS - start))))"$'\n'
}

# A progress function for step_long: how many files a build compiled so far, against how many the whole
# build compiles as measured once (STEP_EXPECTED_FILES), counting the lines of LOG that match
# STEP_COMPILE_PATTERN (an extended regular expression) since the step's own "$ command" line (a resumed
# build's log holds the earlier run's too).
step_compiled_files() {
  local compiled
  compiled=$(awk -v pattern="$STEP_COMPILE_PATTERN" '
    /^\$ / { n = 0; next }
    $0 ~ pattern { n++ }
    END { print n + 0 }' "$1" 2>/dev/null || true)
  compiled=${compiled:-0}
  if [ -n "${STEP_EXPECTED_FILES:-}" ]; then
    local percent=$((compiled * 100 / STEP_EXPECTED_FILES))
    [ "$percent" -le 99 ] || percent=99
    echo "$compiled of about $STEP_EXPECTED_FILES files compiled ($percent %)"
  else
    echo "$compiled files compiled"
  fi
}
