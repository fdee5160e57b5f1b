#!/usr/bin/env bash
# aep_handshake and aep_handshake_info between the simulator's two demo orgs, each task with
# its own org's credentials (Acme Dev Org requests, Acme Prod Org answers):
# check mode -> request -> rerun unchanged -> wait times out -> approve -> rerun unchanged ->
# opposite state refused -> info; then (fresh state) rejection, and waiting while the other
# org approves or rejects.
set -eux

source ../setup_simulator/simulator.sh
sim_start

ansible-playbook -i ../../inventory approve.yml "$@"
ansible-playbook -i ../../inventory reject.yml "$@"

sim_stop
