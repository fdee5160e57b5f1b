# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Idempotency: every scenario's second run reports changed: false.

The first runs also serve the secrets scan (test_secrets.py): they run at -vvvv
with ANSIBLE_LOG_PATH set, see the ``scenario_runs`` fixture in that file.
"""

from __future__ import absolute_import, division, print_function


from conftest import mutating


def _second_run_summary(run):
    tasks = run.tasks()
    gets = [r for r in run.requests() if r.get("method") == "GET"]
    return tasks, gets


def test_every_module_second_run_unchanged(scenario_runs, report):
    first, second = scenario_runs["modules"][:2]
    assert first.rc == 0, first.explain()
    assert second.rc == 0, second.explain()
    tasks, gets = _second_run_summary(second)
    changed = [t["task"] for t in second.changed_tasks()]
    writes = mutating(second.requests())
    modules = sorted(set(t["action"].split(".")[-1] for t in tasks))
    report.row("idempotency", "every module (tests/reliability/playbooks/all_modules.yml), second run",
               "%d module tasks over %d modules; changed: %d; POST/PUT/PATCH/DELETE sent: %d; GET sent: %d%s" % (
                   len(tasks), len(modules), len(changed), len(writes), len(gets),
                   " (aep_batch has no natural key, documented: the second run completes the batch of the "
                   "first by id)"))
    assert not changed, "changed on the second run: %s" % changed
    assert not writes, writes


def test_roles_second_run_unchanged(scenario_runs, report):
    first, second = scenario_runs["roles"][:2]
    assert first.rc == 0, first.explain()
    assert second.rc == 0, second.explain()
    tasks = second.tasks()
    changed = [t["task"] for t in second.changed_tasks()]
    writes = mutating(second.requests())
    report.row("idempotency", "roles org_link + sandbox_promotion (playbooks/promote_sandbox.yml, demo vars), "
               "second run",
               "%d module tasks in the roles; changed: %d; POST/PUT/PATCH/DELETE sent: %d" % (
                   len(tasks), len(changed), len(writes)))
    assert not changed, "changed on the second run: %s" % changed
    assert not writes, writes
