#!/usr/bin/env bash
# aep_external_audience against the simulator's demo state (see tests/integration/targets/setup_simulator).
set -eux

source ../setup_simulator/simulator.sh
sim_start

ansible-playbook -i ../../inventory main.yml "$@"

sim_stop
