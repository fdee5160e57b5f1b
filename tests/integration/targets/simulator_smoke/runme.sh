#!/usr/bin/env bash
# Smoke test of the integration harness: start the simulator with its demo
# state, mint a token and list packages with plain ansible.builtin.uri.
set -eux

# shellcheck source=SCRIPTDIR/../setup_simulator/simulator.sh
source ../setup_simulator/simulator.sh
sim_start

ansible-playbook -i ../../inventory smoke.yml "$@"

sim_stop
