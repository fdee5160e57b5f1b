# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Isolation: org A's credentials on org B's package fail cleanly and change nothing."""

from __future__ import absolute_import, division, print_function

from conftest import mutating

FOREIGN_ORG = [
    "Org A: change org B's package description, with org B's org id",
    "Org A: delete org B's package, with org B's org id",
    "Org A: import org B's package, with org B's org id",
    "Org A: share org B's package, with org B's org id",
]
OWN_ORG = [
    "Org A: change org B's package by id, with its own org id",
    "Org A: import org B's package by id into its own sandbox, with its own org id",
]


def test_foreign_package_is_refused(playbook, sim, report):
    run = playbook("isolation.yml", sim)
    assert run.rc == 0, run.explain()
    setup = [r for r in run.records if r["task"] == "Acme Prod Org publishes its package"]
    assert setup and setup[0]["status"] == "ok", run.explain()
    published = setup[0]["result"]["package"]
    problems = []
    writes = []
    for name in FOREIGN_ORG + OWN_ORG:
        recs = [r for r in run.records if r["task"] == name and not r["item"]]
        assert recs, "task %r did not run" % name
        rec = recs[0]
        result = rec["result"]
        msg = result.get("msg") or ""
        statuses = sorted(set(q["status"] for q in rec["requests"] or [] if not q["path"].startswith("/ims/")))
        task_writes = [q for q in mutating(rec["requests"] or []) if q["status"] < 400]
        writes += task_writes
        traceback = "Traceback (most recent call last)" in str(result)
        if name in FOREIGN_ORG:
            ok = rec["status"] == "failed" and result.get("status") == 403 and "403" in msg and not traceback
        else:
            ok = rec["status"] == "failed" and not traceback
        report.row("isolation", name.replace("Org A: ", "org A's credentials: "),
                   "task %s; HTTP statuses seen: %s; accepted writes: %d; message: %s" % (
                       rec["status"], "/".join(str(s) for s in statuses), len(task_writes), msg[:200]),
                   passed=ok and not task_writes)
        if not ok:
            problems.append((name, rec["status"], msg))
    state = sim.state()
    package = [p for p in state["packages"] if p["id"] == published["id"]]
    keys = ("name", "description", "status", "modifiedDate", "artifactsList")
    unchanged = len(package) == 1 and all(package[0].get(k) == published.get(k) for k in keys)
    jobs = [j for j in state["jobs"] if j.get("packageId") == published["id"] and j.get("requestType") != "EXPORT"]
    transfers = [t for t in state["transfers"] if t.get("packageId") == published["id"]]
    report.row("isolation", "org B's package after all attempts (/__sim/state)",
               "package unchanged (%s): %s; import jobs: %d; transfers: %d; packages in org A: %d" % (
                   ", ".join(keys), unchanged, len(jobs), len(transfers),
                   len([p for p in state["packages"] if p["imsOrgId"] != published["imsOrgId"]])),
               passed=unchanged and not jobs and not transfers)
    assert not problems, problems
    assert not writes, writes
    assert unchanged and not jobs and not transfers, (package, jobs, transfers)
