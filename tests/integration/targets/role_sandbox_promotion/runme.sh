#!/usr/bin/env bash
# Role aep.platform.sandbox_promotion against the simulator (demo state):
#  - cross-org promotion without a link fails naming the org that must approve;
#  - check mode on a fresh state is a plan and sends no mutating request;
#  - the first run changes, the second changes nothing (changed=0 on every task)
#    and says so, check mode afterwards is a no-change plan;
#  - check mode into another sandbox computes conflicts and permissions for real;
#  - a failing import (limited client) is reported clearly, report written;
#  - a same-org promotion imports directly.
set -eux -o pipefail

source ../setup_simulator/simulator.sh
sim_start

out=$SIM_DIR/out.log
export REPORT_ROOT=$SIM_DIR/reports

recap_changed() {
  sed -n 's/^localhost *: .*changed=\([0-9][0-9]*\).*/\1/p' "$out" | tail -n 1
}
run() {
  ansible-playbook -i ../../inventory "$@" | tee "$out"
}

run promote.yml --check -e phase=check_fresh
run not_linked.yml
run promote.yml -e phase=first
[ "$(recap_changed)" -gt 0 ]
run promote.yml -e phase=second
[ "$(recap_changed)" -eq 0 ]
grep -q 'Nothing changed: package' "$out"
run promote.yml --check -e phase=check_done
[ "$(recap_changed)" -eq 0 ]
run promote.yml --check -e phase=check_other_sandbox
run failing_import.yml
run same_org.yml -e phase=first
[ "$(recap_changed)" -gt 0 ]
run same_org.yml -e phase=second
[ "$(recap_changed)" -eq 0 ]

sim_stop
