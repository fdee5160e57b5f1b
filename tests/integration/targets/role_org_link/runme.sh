#!/usr/bin/env bash
# Role aep.platform.org_link against the simulator: check mode sends nothing,
# the first run links the orgs, the second changes nothing, and a request sent
# the other way round fails naming the org that must approve it.
set -eux -o pipefail

source ../setup_simulator/simulator.sh
sim_start

out=$SIM_DIR/out.log

# A recap line with changed=0 proves every task reported changed=false.
recap_changed() {
  sed -n 's/^localhost *: .*changed=\([0-9][0-9]*\).*/\1/p' "$out" | tail -n 1
}

ansible-playbook -i ../../inventory link.yml --check -e phase=check "$@" | tee "$out"
ansible-playbook -i ../../inventory link.yml -e phase=first "$@" | tee "$out"
[ "$(recap_changed)" -gt 0 ]
ansible-playbook -i ../../inventory link.yml -e phase=second "$@" | tee "$out"
[ "$(recap_changed)" -eq 0 ]
ansible-playbook -i ../../inventory link.yml --check -e phase=check_linked "$@" | tee "$out"
[ "$(recap_changed)" -eq 0 ]
ansible-playbook -i ../../inventory reverse.yml "$@"

sim_stop
