#!/usr/bin/env bash
# aep_package, aep_package_info and aep_job_info against the simulator's demo state:
# check -> create -> rerun unchanged -> add/remove artifacts -> publish and wait ->
# rerun unchanged -> info -> delete -> delete again unchanged, then failures and faults.
set -eux

source ../setup_simulator/simulator.sh
sim_start

export AEP_SANDBOX=dev
ansible-playbook -i ../../inventory lifecycle.yml "$@"
ansible-playbook -i ../../inventory failures.yml "$@"

sim_stop
