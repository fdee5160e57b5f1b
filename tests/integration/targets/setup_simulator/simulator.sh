# shellcheck shell=bash
# Start and stop the AEP simulator for an integration target.
#
# Usage, from a target's runme.sh (ansible-test runs it from a temporary copy
# of tests/integration/targets; list `needs/target/setup_simulator` in the
# target's aliases so that this directory is copied beside it):
#
#   source ../setup_simulator/simulator.sh
#   sim_start                       # the simulator's demo state
#   sim_start my_state.yml          # or a state file of the target
#   sim_start "" --faults SPEC      # extra aep-simulator arguments after the state
#   ansible-playbook ...            # AEP_* variables are exported
#   sim_stop                        # optional: an EXIT trap stops it anyway
#
# Exports: AEP_SIM_URL, AEP_PLATFORM_URL, AEP_IMS_URL (one base URL), AEP_ORG_ID,
# AEP_CLIENT_ID, AEP_CLIENT_SECRET (Acme Dev Org's `acme-dev-client`), a private
# XDG_CACHE_HOME (so the token cache starts empty), SIM_PID, SIM_DIR, SIM_LOG.
#
# Settings: AEP_SIM_CMD (default: aep-simulator), AEP_SIM_START_TIMEOUT (s, 30).

_sim_python() {
  # A Python that can import aep_simulator: the one on PATH, else the
  # interpreter of the aep-simulator script.
  local py cmd shebang
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import aep_simulator' >/dev/null 2>&1; then
      echo "$py"; return 0
    fi
  done
  cmd=$(command -v "${AEP_SIM_CMD:-aep-simulator}" 2>/dev/null) || return 1
  shebang=$(head -n 1 "$cmd")
  py=${shebang#\#!}
  if [ -x "$py" ] && "$py" -c 'import aep_simulator' >/dev/null 2>&1; then
    echo "$py"; return 0
  fi
  return 1
}

sim_demo_state() {
  local py
  py=$(_sim_python) || { echo "simulator.sh: cannot find a Python with aep_simulator installed (pip install ./simulator)" >&2; return 1; }
  "$py" -c 'import aep_simulator, os; print(os.path.join(os.path.dirname(aep_simulator.__file__), "states", "demo.yaml"))'
}

# Run a function with xtrace off (runme.sh scripts use `set -x`), then restore it.
_sim_quiet() {
  local rc=0 xtrace=0
  case $- in *x*) xtrace=1; set +x ;; esac
  "$@" || rc=$?
  if [ "$xtrace" = 1 ]; then set -x; fi
  return "$rc"
}

# Its arguments are optional (no argument: the demo state).
# shellcheck disable=SC2120
sim_start() {
  _sim_quiet _sim_start "$@"
}

sim_stop() {
  local rc=$?
  _sim_quiet _sim_stop "$rc"
}

_sim_start() {
  local state=${1:-}
  [ $# -gt 0 ] && shift
  local timeout=${AEP_SIM_START_TIMEOUT:-30}
  local cmd=${AEP_SIM_CMD:-aep-simulator}
  local py port i

  if [ -n "${SIM_PID:-}" ]; then
    echo "simulator.sh: a simulator is already running (pid $SIM_PID); sim_stop first" >&2
    return 1
  fi
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "simulator.sh: '$cmd' not found on PATH (pip install ./simulator)" >&2
    return 1
  fi
  if [ -z "$state" ]; then
    state=$(sim_demo_state) || return 1
  fi
  if [ ! -f "$state" ]; then
    echo "simulator.sh: state file '$state' not found" >&2
    return 1
  fi
  py=$(_sim_python) || py=python3

  SIM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/aep-sim.XXXXXX")
  SIM_LOG=$SIM_DIR/simulator.log
  export SIM_DIR SIM_LOG

  "$cmd" --host 127.0.0.1 --port 0 --state "$state" --port-file "$SIM_DIR/port" "$@" >"$SIM_LOG" 2>&1 &
  SIM_PID=$!
  export SIM_PID
  trap 'sim_stop' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  port=
  for ((i = 0; i < timeout * 10; i++)); do
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      echo "simulator.sh: aep-simulator exited during start-up; its log:" >&2
      cat "$SIM_LOG" >&2
      SIM_PID=
      return 1
    fi
    if [ -z "$port" ] && [ -s "$SIM_DIR/port" ]; then
      port=$(tr -dc '0-9' < "$SIM_DIR/port")
    fi
    if [ -n "$port" ] && "$py" - "http://127.0.0.1:$port/" <<'PYEOF' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # any HTTP answer means it is serving
PYEOF
    then
      break
    fi
    sleep 0.1
  done
  if [ -z "$port" ] || [ "$i" -ge $((timeout * 10)) ]; then
    echo "simulator.sh: aep-simulator did not answer within ${timeout}s; its log:" >&2
    cat "$SIM_LOG" >&2
    _sim_stop 1
    return 1
  fi

  export AEP_SIM_URL="http://127.0.0.1:$port"
  export AEP_PLATFORM_URL="$AEP_SIM_URL"
  export AEP_IMS_URL="$AEP_SIM_URL"
  export AEP_ORG_ID='5C1328435BF324E90A49402A@AdobeOrg'
  export AEP_CLIENT_ID='acme-dev-client'
  export AEP_CLIENT_SECRET='sim-secret-dev-7Qx2Lp9'
  mkdir -p "$SIM_DIR/cache"
  export XDG_CACHE_HOME="$SIM_DIR/cache"
  echo "simulator.sh: aep-simulator (pid $SIM_PID) serving $AEP_SIM_URL with state $state"
}

_sim_stop() {
  local rc=${1:-0}
  local i
  if [ -n "${SIM_PID:-}" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$SIM_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    if [ "$rc" -ne 0 ] && [ -s "${SIM_LOG:-}" ]; then
      echo "simulator.sh: failing with status $rc; last lines of the simulator's log:" >&2
      tail -n 40 "$SIM_LOG" >&2
    fi
    SIM_PID=
  fi
  if [ -n "${SIM_DIR:-}" ] && [ -d "$SIM_DIR" ]; then
    rm -rf "$SIM_DIR"
  fi
  SIM_DIR=
  return "$rc"
}
