#!/usr/bin/env bash
# `make demo`: start the simulator with its demo state, run the cross-org
# promotion (playbooks/promote_sandbox.yml), show the report, stop the
# simulator. Exits 0 only if the promotion ran and succeeded.
# Expects the Makefile's environment: .venv on PATH and
# ANSIBLE_COLLECTIONS_PATH pointing at .build (the collection's copy).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

playbook=playbooks/promote_sandbox.yml
vars_file=playbooks/vars/demo.yml

if [ ! -f "$playbook" ]; then
  echo "demo: $playbook does not exist yet; there is nothing to promote." >&2
  echo "demo: (the virtualenv is ready in .venv; the simulator can be started with 'aep-simulator')" >&2
  exit 1
fi

# shellcheck source=SCRIPTDIR/../tests/integration/targets/setup_simulator/simulator.sh
source tests/integration/targets/setup_simulator/simulator.sh
sim_start

# The playbook may write its report here (e.g. -e or lookup('env', 'AEP_DEMO_REPORT_DIR')).
export AEP_DEMO_REPORT_DIR="$root/.build/demo-report"
rm -rf "$AEP_DEMO_REPORT_DIR"
mkdir -p "$AEP_DEMO_REPORT_DIR"

args=("$playbook")
if [ -f "$vars_file" ]; then
  args+=(-e "@$vars_file")
fi

echo "demo: ansible-playbook ${args[*]}"
ANSIBLE_STDOUT_CALLBACK=${ANSIBLE_STDOUT_CALLBACK:-default} ansible-playbook "${args[@]}"

shopt -s nullglob
# The Markdown report is shown; the other files (report.json) are listed.
reports=("$AEP_DEMO_REPORT_DIR"/*)
if [ ${#reports[@]} -gt 0 ]; then
  for report in "${reports[@]}"; do
    echo
    if [[ $report == *.md ]]; then
      echo "===== report: ${report#"$root"/} ====="
      cat "$report"
    else
      echo "===== also written: ${report#"$root"/} ====="
    fi
  done
fi

echo
echo "demo: the simulator served $(python3 - "$AEP_SIM_URL/__sim/requests" <<'PY' 2>/dev/null || echo '?'
import json, sys, urllib.request
data = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
if isinstance(data, dict):
    data = data.get('requests', data.get('items', []))
print(len(data))
PY
) requests"
sim_stop
echo "demo: promotion succeeded"
