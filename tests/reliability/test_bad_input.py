# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input: every case of vars/bad_inputs.yml fails cleanly and sends nothing.

Each case must end ``failed`` with a message naming the option, without a Python
traceback (``msg``, ``module_stderr``, ``exception``), and the simulator that auth
points at must have received no request at all.
"""

from __future__ import absolute_import, division, print_function

import os

import yaml

from conftest import HERE

with open(os.path.join(HERE, "vars", "bad_inputs.yml")) as _f:
    CASES = yaml.safe_load(_f)["rel_bad_inputs"]


def _problem(case, rec):
    if rec is None:
        return "did not run"
    result = rec["result"]
    msg = result.get("msg") or ""
    if rec["status"] != "failed":
        return "did not fail (changed=%s)" % result.get("changed")
    for key in ("msg", "module_stderr", "module_stdout", "exception"):
        if "Traceback (most recent call last)" in str(result.get(key) or ""):
            return "traceback in %s" % key
    if case["option"] not in msg:
        if case.get("core_message"):
            return None
        return "message does not name %s: %s" % (case["option"], msg[:200])
    return None


def test_bad_inputs_fail_cleanly_without_request(playbook, sim, report):
    run = playbook("bad_input.yml", sim)
    items = {}
    for rec in run.records:
        if rec["item"]:
            item = rec["result"].get("item") or {}
            items[(rec["action"].split(".")[-1], item.get("why"))] = rec
    requests = run.requests() + sim.requests()
    problems = []
    per_module = {}
    unnamed = []
    for case in CASES:
        rec = items.get((case["module"], case["why"]))
        problem = _problem(case, rec)
        stats = per_module.setdefault(case["module"], [0, 0])
        stats[0] += 1
        if problem:
            problems.append("%s / %s: %s" % (case["module"], case["why"], problem))
        else:
            stats[1] += 1
            if case.get("core_message") and case["option"] not in rec["result"].get("msg", ""):
                unnamed.append("%s / %s: %s" % (case["module"], case["why"], rec["result"].get("msg")))
    modules = len(per_module)
    report.row("input", "%d invalid inputs over %d modules (tests/reliability/vars/bad_inputs.yml: wrong types, unknown choices "
               "and artifact types, missing/conflicting options, malformed ids, timestamps and URLs, negative "
               "timeouts)" % (len(CASES), modules),
               "failed with the option named and no traceback: %d/%d (%s); requests received by the simulator: %d" % (
                   len(CASES) - len(problems), len(CASES),
                   ", ".join("%s %d/%d" % (m, s[1], s[0]) for m, s in per_module.items()), len(requests)),
               passed=not problems and not requests)
    for u in unnamed:
        report.row("input", "case %s (known limitation)" % u.split(":")[0],
                   "failed cleanly, no request, but the message is ansible-core's own and does not name the "
                   "option: %r" % u.split(":", 1)[1].strip(), passed=True)
    for p in problems:
        report.row("input", "case %s" % p.split(":")[0], "FAILED: " + p.split(":", 1)[1].strip(), passed=False)
    assert len(CASES) >= 40
    assert not problems, "\n".join(problems)
    assert not requests, ["%s %s" % (q["method"], q["path"]) for q in requests]
