# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_job_info: one job, a filtered list over all pages, and per-artifact failures."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_job_info

EXIM = "/data/foundation/exim"
PKG = "209f886b00444eac9bb5836fe32e7681"


def jid(n):
    return "%032x" % n


def detail(n, status="SUCCESS", messages=(("CREATED", "Created"),)):
    return dict(id=jid(n), jobStatus=status, requestType="IMPORT", completedTasks=[
        dict(taskType="IMPORT", taskStatus="FAILED" if s == "FAILED" else "SUCCESS",
             artifact=dict(id="art%d-%d" % (n, i), type="PROFILE_SEGMENT", title="Seg %d" % i,
                           messages=[dict(status=s, message=m)]))
        for i, (s, m) in enumerate(messages)])


LIST = [dict(id=jid(n), name="job%d" % n, jobStatus="SUCCESS", requestType="IMPORT", packageId=PKG if n < 3 else "x")
        for n in range(1, 5)]
DETAILS = {
    jid(1): detail(1),
    jid(2): detail(2, messages=(("CREATED", "Created"), ("FAILED", "Missing permission Segment write"))),
    jid(3): detail(3),
    jid(4): detail(4),
}


def make_client(page=3):
    calls = []

    def get(path, query=None, **kw):
        calls.append((path, query))
        if path == EXIM + "/packages/jobs":
            start = query["start"]
            return dict(data=[dict(j) for j in LIST[start:start + page]], hasNextPage=start + page < len(LIST))
        job_id = path.rsplit("/", 1)[-1]
        if job_id not in DETAILS:
            return None
        return dict(status="OK", object=dict(DETAILS[job_id]))

    client = MagicMock()
    client.warnings = []
    client.get.side_effect = get
    client.paginate.side_effect = lambda path, query=None, **kw: list(AepClient.iter_items(client, path, query=query, limit=page))
    client.calls_log = calls
    return client


def run(client, **kw):
    p = dict(id=None, request_type=None, job_status=None, job_type=None, package_id=None, details=True)
    p.update(kw)
    return aep_job_info.run(SimpleNamespace(params=p, check_mode=False), client)


def test_one_job_by_id_with_failures_of_a_success_job():
    client = make_client()
    result = run(client, id=jid(2))
    assert client.calls_log == [("%s/tools/job/%s" % (EXIM, jid(2)), None)]
    job = result["jobs"][0]
    assert job["jobStatus"] == "SUCCESS"
    assert job["artifact_failures"] == [dict(id="art2-1", type="PROFILE_SEGMENT", title="Seg 1", status="FAILED",
                                             message="Missing permission Segment write")]
    assert job["summary"]["has_failures"] is True and job["summary"]["failed_tasks"] == 1
    assert job["summary"]["message_statuses"] == {"CREATED": 1, "FAILED": 1}


def test_unknown_id_is_an_empty_list():
    assert run(make_client(), id="f" * 32)["jobs"] == []


def test_list_follows_pages_filters_and_reads_details():
    client = make_client()
    result = run(client, request_type="IMPORT", job_status=["SUCCESS", "FAILED"], package_id=PKG)
    first = client.calls_log[0]
    assert first[1]["property"] == ["requestType==IMPORT", "jobStatus==SUCCESS,FAILED", "packageId==%s" % PKG]
    assert len([c for c in client.calls_log if c[0].endswith("/packages/jobs")]) == 2
    # jobs of another package are dropped even if the server ignored the filter
    assert [j["id"] for j in result["jobs"]] == [jid(1), jid(2)]
    assert result["jobs"][0]["name"] == "job1" and result["jobs"][0]["completedTasks"]
    assert result["jobs"][0]["artifact_failures"] == [] and result["jobs"][1]["summary"]["has_failures"]


def test_list_without_details_sends_no_detail_request():
    client = make_client()
    result = run(client, details=False)
    assert all(c[0].endswith("/packages/jobs") for c in client.calls_log)
    assert len(result["jobs"]) == 4 and result["jobs"][0]["summary"] is None


@pytest.mark.parametrize("kw,option", [(dict(id="nope"), "id"), (dict(package_id="123"), "package_id")])
def test_bad_ids(kw, option):
    client = make_client()
    with pytest.raises(AepValidationError) as e:
        run(client, **kw)
    assert e.value.option == option and client.calls_log == []
