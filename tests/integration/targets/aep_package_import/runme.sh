#!/usr/bin/env bash
# aep_package_import against the simulator, with this target's state (state.yml):
# every conflict policy, a missing permission, an unmapped conflict, a failing job,
# a SUCCESS job hiding an artifact error, the idempotent second run, check mode,
# and a dropped import request that must not be re-sent blindly.
set -eux

source ../setup_simulator/simulator.sh
sim_start "$(pwd)/state.yml"

ansible-playbook -i ../../inventory test.yml "$@"

sim_stop
