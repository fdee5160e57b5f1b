# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode: zero POST/PUT/PATCH/DELETE (the IMS token request excepted).

Requests are attributed to tasks by the suite's callback (it reads and clears the
simulator's log after every task result).
"""

from __future__ import absolute_import, division, print_function


from conftest import MODULES, PROMOTE, PROMOTE_VARS, mutating, read_only_posts


def _summary(records):
    per_module = {}
    for rec in records:
        module = rec["action"].split(".")[-1]
        entry = per_module.setdefault(
            module, dict(tasks=0, requests=0, writes=[], failed=[], changed=0, ims=0, read_posts=0))
        entry["tasks"] += 1
        reqs = rec["requests"] or []
        entry["requests"] += len(reqs)
        entry["ims"] += len([q for q in reqs if q["path"].startswith("/ims/")])
        entry["writes"] += ["%s %s" % (q["method"], q["path"]) for q in mutating(reqs)]
        entry["read_posts"] += len(read_only_posts(reqs))
        entry["changed"] += 1 if rec["result"].get("changed") else 0
        if rec["status"] == "failed":
            entry["failed"].append("%s: %s" % (rec["task"], rec["result"].get("msg")))
    return per_module


def test_check_mode_every_module(playbook, sim, report):
    run = playbook("check_mode.yml", sim)
    assert run.rc == 0, run.explain()
    checked = [r for r in run.tasks() if r["check_mode"]]
    per_module = _summary(checked)
    for module in MODULES:
        if module not in per_module:
            report.row("check", "%s in check mode" % module, "no check-mode task ran for this module", passed=False)
            continue
        e = per_module[module]
        report.row("check", "%s in check mode (%d task%s)" % (module, e["tasks"], "s" if e["tasks"] > 1 else ""),
                   "POST/PUT/PATCH/DELETE: %d%s; requests: %d (IMS token: %d); tasks reporting a planned change: %d" % (
                       len(e["writes"]),
                       " (plus %d read-only POST .../packages/{id}/children, Adobe's dependency read)" % e["read_posts"]
                       if e["read_posts"] else "",
                       e["requests"], e["ims"], e["changed"]),
                   passed=not e["writes"] and not e["failed"])
    assert set(MODULES) <= set(per_module), sorted(set(MODULES) - set(per_module))
    problems = {m: (e["writes"], e["failed"]) for m, e in per_module.items() if e["writes"] or e["failed"]}
    assert not problems, problems


def test_check_mode_roles(playbook, sim, tmp_path, report):
    run = playbook(PROMOTE, sim, check=True, args=["-e", "@" + PROMOTE_VARS],
                   env={"AEP_DEMO_REPORT_DIR": str(tmp_path / "report")})
    everything = run.requests() + sim.requests()
    writes = mutating(everything)
    for role in ("org_link", "sandbox_promotion"):
        tasks = [r for r in run.tasks() if (r["role"] or "").split(".")[-1] == role]
        reqs = [q for r in tasks for q in (r["requests"] or [])]
        report.row("check", "role %s in check mode (promote_sandbox.yml --check, demo vars)" % role,
                   "%d module tasks; POST/PUT/PATCH/DELETE: %d; requests: %d; run rc %d" % (
                       len(tasks), len(mutating(reqs)), len(reqs), run.rc),
                   passed=run.rc == 0 and bool(tasks) and not mutating(reqs))
    assert run.rc == 0, run.explain()
    assert not writes, writes
    assert sim.state()["packages"] == [p for p in sim.state()["packages"] if p["name"] != "Loyalty program release 1.0"]
