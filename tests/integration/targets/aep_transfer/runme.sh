#!/usr/bin/env bash
# aep_transfer and aep_transfer_info between the simulator's two demo orgs, each task with its
# own org's credentials (Acme Dev Org owns the package, Acme Prod Org receives it):
# private: request link -> transfer refused (not approved yet) -> approve -> check mode ->
# transfer (answer lost once, not re-sent) and wait -> rerun unchanged (one read);
# public: make public (check, real, rerun) -> pull (check, real, rerun).
set -eux

source ../setup_simulator/simulator.sh
sim_start

ansible-playbook -i ../../inventory private.yml "$@"
ansible-playbook -i ../../inventory public.yml "$@"

sim_stop
