# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No duplicates: a connection dropped after the server created the object.

playbooks/duplicates.yml sets a ``drop_after`` rule (count 1) on each create
path before the task; the simulator acts and then closes the connection, so the
create is ambiguous to the client. The task must end with exactly one object,
counted in /__sim/state.
"""

from __future__ import absolute_import, division, print_function

import pytest

from conftest import DEV_ORG, PROD_ORG

CASES = [
    # (label, task name, create path, count in state)
    ("package", "Create a package while its create answer is lost", "/exim/packages",
     lambda s: [p for p in s["packages"] if p["name"] == "dup-package"]),
    ("external audience", "Declare an audience while its create answer is lost", "/audiences",
     lambda s: [a for a in s["audiences"] if a.get("audienceId") == "dup-audience-1"]),
    ("share request (handshake)", "Request a share link while its answer is lost", "/handshake/bulkCreate",
     lambda s: [h for h in s["handshakes"] if {h["sourceIMSOrgId"], h["targetIMSOrgId"]} == {DEV_ORG, PROD_ORG}]),
    ("transfer", "Share the package while the transfer answer is lost", "/transfer",
     lambda s: [t for t in s["transfers"] if t.get("packageName") == "dup-shared" and t["targetIMSOrgId"] == PROD_ORG]),
    ("import", "Import the package while the import answer is lost", "/packages/import",
     lambda s: [j for j in s["jobs"] if j.get("requestType") == "IMPORT" and j.get("targetSandbox") == "prod"
                and j.get("packageId") in [p["id"] for p in s["packages"] if p["name"] == "dup-shared"
                                           and p["imsOrgId"] == DEV_ORG]]),
]


@pytest.fixture(scope="module")
def duplicates_run(tmp_path_factory):
    from conftest import make_runner, running_server, Sim
    with running_server(None, job_delay=0.05, quiet=True) as srv:
        sim = Sim(srv)
        run = make_runner(tmp_path_factory.mktemp("duplicates"))("duplicates.yml", sim)
        yield run, sim.state()


@pytest.mark.parametrize("label,task,path,select", CASES, ids=[c[0] for c in CASES])
def test_dropped_create_leaves_one_object(duplicates_run, report, label, task, path, select):
    run, state = duplicates_run
    records = [r for r in run.records if r["task"] == task and not r["item"]]
    assert records, "task %r did not run:\n%s" % (task, run.explain())
    rec = records[0]
    requests = rec["requests"] or []
    dropped = [q for q in requests if q.get("fault") == "drop_after"]
    creates = [q for q in requests if q["method"] in ("POST", "PUT") and path in q["path"]]
    objects = select(state)
    result = rec["result"]
    if rec["status"] == "failed":
        outcome = "task failed: %s" % (result.get("msg") or "")[:160]
    else:
        outcome = "task ok, changed=%s" % result.get("changed")
    report.row("duplicates", "%s: connection dropped after the server created it (drop_after, count 1)" % label,
               "create requests sent: %d (dropped: %d); objects in /__sim/state: %d; %s" % (
                   len(creates), len(dropped), len(objects), outcome),
               passed=rec["status"] == "ok" and len(objects) == 1 and len(dropped) == 1)
    assert len(dropped) == 1, "the drop_after fault did not fire: %s" % requests
    assert rec["status"] == "ok", "the task failed instead of re-reading: %s" % result.get("msg")
    assert len(objects) == 1, "expected exactly one %s, found %d: %s" % (label, len(objects), objects)
