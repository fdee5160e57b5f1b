# Build and test tooling for the aep.platform collection.
#
#   make demo          simulator + the cross-org promotion playbook
#   make test          sanity, units, integration, reliability, lint (stops at the first failure)
#   make sanity | units | integration | lint | changelog | build | clean
#
# Every target prepares its own virtualenv (.venv) from requirements-dev.txt
# (exact pins) plus ./simulator; nothing needs installing by hand except python3.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON        ?= python3
PY_VERSION    ?= 3.11
ROOT          := $(CURDIR)
VENV          := $(ROOT)/.venv
BIN           := $(VENV)/bin
BUILD         := $(ROOT)/.build
COLLECTION    := $(BUILD)/ansible_collections/aep/platform
STAMP         := $(VENV)/.requirements-dev.stamp
SIM_STAMP     := $(VENV)/.simulator.stamp
SIM_SOURCES   := $(shell [ -d simulator ] && find simulator \( -name build -o -name dist -o -name '*.egg-info' -o -name __pycache__ \) -prune -o -type f -print 2>/dev/null)

# Extra arguments, e.g. make sanity SANITY_ARGS='--test pep8', make integration INTEGRATION_ARGS='simulator_smoke -v'
SANITY_ARGS      ?=
UNITS_ARGS       ?=
INTEGRATION_ARGS ?=
LINT_ARGS        ?=
RELIABILITY_ARGS ?=

# The virtualenv's tools come first; ansible-test, ansible-playbook and
# aep-simulator are found there.
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(BUILD)
# ansible-test prints colours only on a terminal anyway; keep CI logs plain.
ANSIBLE_TEST_COLOR := $(if $(CI),--color no,)

.PHONY: help venv simulator build-tree get-pip sanity units integration reliability lint test demo changelog build clean

help:
	@echo "make demo         run the cross-org promotion against the simulator"
	@echo "make test         sanity + units + integration + reliability + lint"
	@echo "make sanity       ansible-test sanity --venv --python $(PY_VERSION)"
	@echo "make units        ansible-test units (pytest)"
	@echo "make integration  ansible-test integration against the simulator"
	@echo "make lint         ansible-lint --profile production"
	@echo "make reliability  pytest tests/reliability, writes docs/reliability.md"
	@echo "make changelog    antsibull-changelog lint"
	@echo "make build        ansible-galaxy collection build into .build/"
	@echo "make clean        remove .venv, .build and test output"

# --- virtualenv ---------------------------------------------------------------

venv: $(STAMP) $(SIM_STAMP)

$(STAMP): requirements-dev.txt
	@if [ ! -x "$(BIN)/python" ]; then $(PYTHON) -m venv "$(VENV)"; fi
	"$(BIN)/python" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch "$@"

# Reinstalled whenever a file under simulator/ changes (a non-editable
# install, as users get it). Until simulator/pyproject.toml exists, nothing.
$(SIM_STAMP): $(STAMP) $(SIM_SOURCES)
	@if [ -f simulator/pyproject.toml ]; then \
	  echo "installing ./simulator into .venv"; \
	  "$(BIN)/python" -m pip install --disable-pip-version-check -q -c requirements-dev.txt ./simulator; \
	  "$(BIN)/python" -m pip install --disable-pip-version-check -q --no-deps --force-reinstall ./simulator; \
	  rm -rf simulator/build; \
	else \
	  echo "simulator/pyproject.toml not found: the simulator is not installed"; \
	fi
	@touch "$@"

simulator: $(SIM_STAMP)

# --- collection tree for ansible-test -----------------------------------------

build-tree:
	@bash hack/build_tree.sh "$(COLLECTION)"

# ansible-test --venv bootstraps pip with a script from a host that may be
# unreachable; this caches a stand-in only when it is (see the script).
get-pip: $(STAMP)
	@"$(BIN)/python" hack/ansible_test_get_pip.py

# --- tests --------------------------------------------------------------------

sanity: venv build-tree get-pip
	cd "$(COLLECTION)" && ansible-test sanity --venv --python $(PY_VERSION) $(ANSIBLE_TEST_COLOR) $(SANITY_ARGS)

# ansible-test units runs in .venv (--local): pytest, pytest-xdist,
# pytest-mock, mock, requests, responses and pytest-httpserver are pinned
# there. Passes with a notice while the collection has no unit test; as soon
# as one exists it runs and must pass. Then the simulator's own pytest suite
# (simulator/tests), against the installed simulator.
units: venv build-tree
	@cd "$(COLLECTION)"; \
	if [ -z "$$(find tests/unit -name 'test_*.py' -print -quit 2>/dev/null)" ]; then \
	  echo "units: no unit tests under tests/unit yet (tests/unit/**/test_*.py): nothing to run"; \
	else \
	  echo "ansible-test units --local --python $(PY_VERSION) $(UNITS_ARGS)"; \
	  ansible-test units --local --python $(PY_VERSION) $(ANSIBLE_TEST_COLOR) $(UNITS_ARGS); \
	fi
	@if [ -d simulator/tests ]; then \
	  echo "pytest simulator/tests"; \
	  "$(BIN)/python" -m pytest -p no:cacheprovider -q $(if $(CI),--color no,) simulator/tests; \
	fi

integration: venv build-tree
	cd "$(COLLECTION)" && ansible-test integration --local --python $(PY_VERSION) $(ANSIBLE_TEST_COLOR) $(INTEGRATION_ARGS)

# The reliability suite (tests/reliability, pytest driving ansible-playbook
# against simulators; issue 9), part of `make test`. A full run rewrites
# docs/reliability.md with the measured figures. The collection comes from
# ANSIBLE_COLLECTIONS_PATH=.build (exported above).
reliability: venv build-tree
	@if [ -d tests/reliability ]; then \
	  "$(BIN)/python" -m pytest -p no:cacheprovider $(if $(CI),--color no,) $(RELIABILITY_ARGS) tests/reliability; \
	else \
	  echo "reliability: no tests/reliability yet"; \
	fi

# ansible-lint needs the collection installed: ANSIBLE_COLLECTIONS_PATH=.build
# (exported above) holds the copy made by build-tree. It lints the work tree.
lint: venv build-tree
	ansible-lint --profile production $$([ -t 1 ] || echo --nocolor) $(LINT_ARGS)

changelog: $(STAMP)
	antsibull-changelog lint

# Each step's output is also kept in .build/logs/<step>.log; at the end the
# pytest summary lines are repeated with their total (CI reads closing lines).
test:
	@mkdir -p "$(BUILD)/logs"; rm -f "$(BUILD)"/logs/*.log; start=$$(date +%s); \
	for step in sanity units integration reliability lint; do \
	  echo "=== make $$step ==="; \
	  s=$$(date +%s); \
	  if ! $(MAKE) --no-print-directory $$step 2>&1 | tee "$(BUILD)/logs/$$step.log"; then \
	    echo "=== make test: $$step FAILED after $$(( $$(date +%s) - s ))s (log: .build/logs/$$step.log) ==="; \
	    bash hack/pytest_totals.sh "$(BUILD)/logs/units.log"; \
	    exit 1; \
	  fi; \
	  echo "=== make $$step: passed in $$(( $$(date +%s) - s ))s ==="; \
	done; \
	echo "=== make test: sanity, units, integration, reliability and lint passed in $$(( $$(date +%s) - start ))s ==="; \
	bash hack/pytest_totals.sh "$(BUILD)/logs/units.log"

# --- demo ---------------------------------------------------------------------

demo: venv build-tree
	@bash hack/demo.sh

# --- packaging / housekeeping -------------------------------------------------

build: venv build-tree
	cd "$(COLLECTION)" && ansible-galaxy collection build --force --output-path "$(BUILD)"

clean:
	rm -rf "$(VENV)" "$(BUILD)" tests/output simulator/build simulator/dist
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.egg-info' -o -name .pytest_cache \) -type d -print0 | xargs -0 rm -rf
