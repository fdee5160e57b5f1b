# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults: throttling, 5xx bursts, slow answers and faults that persist.

* 30 % of all answers (IMS included) replaced by 429 or 503 with ``Retry-After: 1``
  (the real delay: every injected fault costs the run one second), seed fixed and
  ``job_delay`` 0 so that the sequence of requests, and so the faults met, is the
  same on every run; the modules use the default ``auth.retries`` (5).
* bursts of 500/502/504 on every read path (4 in a row, within the budget).
* a 503/429/502 that never goes away (``retry_after: 0`` for speed): the task fails
  after ``retries + 1`` tries, naming the last status and the request id.
* answers slower than ``auth.timeout``: a clear timeout error naming the call.
"""

from __future__ import absolute_import, division, print_function

import re


from conftest import PROMOTE, PROMOTE_VARS, Sim, count_by_status, make_runner, running_server

SEED = 20260923
THROTTLE = {"seed": SEED, "rules": [
    {"kind": "status", "statuses": [429, 503], "rate": 0.3, "retry_after": 1}]}
DEFAULT_RETRIES = 5


def _longest_streak(requests):
    """The most injected faults met in a row by one call (same method + path)."""
    best = 0
    run = 0
    last = None
    for q in requests:
        key = (q["method"], q["path"])
        if q.get("fault") == "status":
            run = run + 1 if key == last else 1
            best = max(best, run)
        else:
            run = 0
        last = key
    return best


def _throttled_run(tmp_path, playbook, args=(), env=None):
    with running_server(None, job_delay=0, faults=THROTTLE, quiet=True) as srv:
        sim = Sim(srv)
        run = make_runner(tmp_path)(playbook, sim, args=args, env=env)
        rest = sim.requests()  # anything sent after the last task result
        fired = sim.faults()["rules"][0]["fired"]
    requests = run.requests() + rest
    return run, requests, fired


def _throttle_row(report, label, run, requests, fired):
    statuses = count_by_status(requests)
    faulted = [q for q in requests if q.get("fault") == "status"]
    tasks = run.tasks()
    failed = run.failed_tasks()
    modules = sorted(set(t["action"].split(".")[-1] for t in tasks))
    report.row("faults", "%s with 30 %% of answers 429/503 + Retry-After: 1 (seed %s, default retries)" % (label, SEED),
               "%s; %d module tasks (%s) all ok: %s; requests: %d, injected 429: %d, 503: %d (rule fired %d), "
               "all retried: %s; longest streak on one call: %d; run took %.0f s" % (
                   "rc %d" % run.rc, len(tasks), ", ".join(modules), not failed, len(requests),
                   statuses.get(429, 0), statuses.get(503, 0), fired, len(faulted) == fired,
                   _longest_streak(requests), run.duration),
               passed=run.rc == 0 and not failed)
    return faulted


def test_throttling_every_module(tmp_path, report):
    run, requests, fired = _throttled_run(tmp_path, "all_modules.yml")
    faulted = _throttle_row(report, "every module (all_modules.yml)", run, requests, fired)
    assert run.rc == 0, run.explain()
    assert faulted, "no fault was injected"
    assert not run.failed_tasks()


def test_throttling_both_roles(tmp_path, report):
    run, requests, fired = _throttled_run(
        tmp_path, PROMOTE, args=["-e", "@" + PROMOTE_VARS],
        env={"AEP_DEMO_REPORT_DIR": str(tmp_path / "report")})
    faulted = _throttle_row(report, "roles org_link + sandbox_promotion (promote_sandbox.yml, demo vars)",
                            run, requests, fired)
    assert run.rc == 0, run.explain()
    assert faulted, "no fault was injected"
    roles = set(r["role"].split(".")[-1] for r in run.tasks() if r["role"])
    assert {"org_link", "sandbox_promotion"} <= roles, roles


# module: (read path, burst length). aep_target_profile_info does not use the Platform ``auth``
# options: its client has a fixed budget of 3 retries (module_utils/target.py TARGET_RETRIES).
BURST_PATHS = {
    "aep_package_info": ("/exim/packages$", 4),
    "aep_job_info": ("/packages/jobs$", 4),
    "aep_handshake_info": ("/handshake/list$", 4),
    "aep_transfer_info": ("/transfer/list$", 4),
    "aep_target_profile_info": ("/rest/v1/profiles/", 3),
    "aep_external_audience": ("/ais/audiences$", 4),
}


def test_bursts_of_5xx_are_retried(tmp_path, playbook, simulator, report):
    rules = [{"kind": "status", "statuses": [500, 502, 504], "methods": ["GET"], "path": path, "count": count}
             for path, count in BURST_PATHS.values()]
    with simulator(faults={"seed": SEED, "rules": rules}) as sim:
        run = playbook("faults_bursts.yml", sim)
        fired = [r["fired"] for r in sim.faults()["rules"]]
    details = []
    for rec in run.tasks():
        module = rec["action"].split(".")[-1]
        statuses = [q["status"] for q in rec["requests"] or [] if q.get("fault") == "status"]
        details.append("%s %s (%s) then %s" % (module, "ok" if rec["status"] == "ok" else "FAILED",
                                               "/".join(str(s) for s in statuses),
                                               rec["requests"][-1]["status"] if rec["requests"] else "-"))
    report.row("faults", "bursts of 500/502/504 on every read path (GET): 4 in a row (3 for Target, whose "
               "client has a fixed budget of 3 retries), default retries",
               "; ".join(details) + "; faults fired: %d" % sum(fired), passed=run.rc == 0)
    assert run.rc == 0, run.explain()
    assert fired == [count for dummy, count in BURST_PATHS.values()], fired


def _task_seconds(run, rec):
    """Seconds between the previous task result and this one."""
    index = run.records.index(rec)
    return rec["time"] - run.records[index - 1]["time"] if index else 0.0


def _failed(run, task):
    recs = [r for r in run.records if r["task"] == task and not r["item"]]
    assert recs, "task %r did not run:\n%s" % (task, run.explain())
    return recs[0]


def test_persistent_faults_and_timeouts(tmp_path, playbook, sim, report):
    run = playbook("faults_persist.yml", sim)
    assert run.rc == 0, run.explain()
    cases = [
        ("Read packages while every answer is 503", "GET", "/exim/packages", 503, DEFAULT_RETRIES + 1),
        ("Create a package while every create answer is 429", "POST", "/exim/packages", 429, DEFAULT_RETRIES + 1),
        ("Read share requests while every answer is 502", "GET", "/handshake/list", 502, DEFAULT_RETRIES + 1),
    ]
    problems = []
    for task, method, path, status, tries in cases:
        rec = _failed(run, task)
        msg = rec["result"].get("msg") or ""
        sent = [q for q in rec["requests"] if q["method"] == method and q["path"].endswith(path)]
        request_ids = re.findall(r"request id (\S+?)\)", msg)
        ok = (rec["status"] == "failed" and len(sent) == tries and "HTTP %d" % status in msg
              and "%s " % method in msg and request_ids)
        report.row("faults", "%s %s answers %d forever (Retry-After: 0 for speed)" % (method, path, status),
                   "task failed: %s after %d tries (budget: retries 5 + 1); message: %s" % (
                       rec["status"] == "failed", len(sent), msg[:220]), passed=bool(ok))
        if not ok:
            problems.append((task, rec["status"], len(sent), msg))
    rec = _failed(run, "Read packages with auth.timeout 1 second")
    msg = rec["result"].get("msg") or ""
    ok = (rec["status"] == "failed" and "auth.timeout" in msg and "GET /data/foundation/exim/packages" in msg
          and rec["result"].get("error_kind") == "timeout")
    report.row("faults", "every answer 3 s late, auth.timeout: 1 (auth.retries: 1 for speed)",
               "task failed: %s (error_kind %s, %.1f s for the task); message: %s" % (
                   rec["status"] == "failed", rec["result"].get("error_kind"), _task_seconds(run, rec), msg[:220]),
               passed=ok)
    if not ok:
        problems.append(("timeout", rec["status"], len(sent), msg))
    tracebacks = [r["task"] for r in run.records if "Traceback (most recent call last)" in str(r["result"])]
    assert not tracebacks, tracebacks
    assert not problems, problems
