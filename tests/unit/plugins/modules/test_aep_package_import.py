# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepStateError, AepValidationError, AepWaitTimeout,
)
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.modules import aep_package_import as mod

EXIM = "/data/foundation/exim"
ORG = "5C1328435BF324E90A49402A@AdobeOrg"
PID = "0123456789abcdef0123456789abcdef"
JID = "fedcba9876543210fedcba9876543210"
CLS, CLS_DST = "https://ns.adobe.com/t/classes/src", "https://ns.adobe.com/t/classes/dst"
SEG = "seg-1"

PACKAGE = {"id": PID, "name": "rel-1", "description": "release 1", "status": "PUBLISHED", "packageType": "PARTIAL",
           "sourceSandbox": {"name": "dev", "imsOrgId": ORG},
           "artifactsList": [{"id": SEG, "type": "PROFILE_SEGMENT"}]}
PREFLIGHT = {"packageID": PID, "targetSandboxName": "prod", "permissionResponse": [
    {"artifactID": SEG, "artifactType": "PROFILE_SEGMENT", "creationAllowed": True,
     "requiredPermissions": {"resources": []}, "missingPermissions": {"resources": []}},
    {"artifactID": CLS, "artifactType": "REGISTRY_CLASS", "creationAllowed": True,
     "requiredPermissions": {"resources": []}, "missingPermissions": {"resources": []}}]}
CONFLICTS = [{"artifact": {"id": CLS, "type": "REGISTRY_CLASS", "title": "Member"},
              "suggestionList": [{"id": CLS_DST, "type": "REGISTRY_CLASS", "title": "Member"}], "parentID": "x"}]


def done_job(status="SUCCESS", tasks=None, **kw):
    job = {"id": JID, "jobStatus": status, "requestType": "IMPORT", "packageId": PID,
           "completedTasks": tasks if tasks is not None else [
               {"taskStatus": "SUCCESS", "artifact": {"id": SEG, "type": "PROFILE_SEGMENT", "newId": "seg-new",
                                                      "messages": [{"status": "CREATED", "message": "ok"}]}}],
           "importReplacementMap": {SEG: "seg-new", CLS: CLS_DST}}
    job.update(kw)
    return job


class FakeClient:
    """Routes (method, path) to answers: a value, an exception, or a function(query, json)."""

    iter_items = AepClient.iter_items  # the real pager over this fake's get()

    def __init__(self, routes):
        self.routes = routes
        self.calls = []
        self.warnings = []
        self.org_id = ORG
        self.sandbox = "dev"

    def request(self, method, path, query=None, json=None, missing_ok=False, **kw):
        self.calls.append((method, path, copy.deepcopy(query), copy.deepcopy(json)))
        answer = self.routes.get((method, path))
        if callable(answer):
            answer = answer(query, json)
        if answer is None:
            answer = AepApiError(method, path, 404, body={"title": "Not Found"})
        if isinstance(answer, AepApiError) and answer.status == 404 and missing_ok:
            return None
        if isinstance(answer, Exception):
            raise answer
        return copy.deepcopy(answer)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def paginate(self, path, query=None, **kw):
        body = self.get(path, query=query) or {}
        return body if isinstance(body, list) else body.get("data") or []

    def mutating(self):
        return [c for c in self.calls if c[0] != "GET"]


class FakeModule:
    def __init__(self, check_mode=False, **params):
        self.params = dict(package=PID, target_sandbox="prod", name=None, description=None, alternatives=None,
                           conflict_resolution="fail", preflight=True, strict=True, force=False, wait=True,
                           wait_timeout=60, sandbox="dev")
        self.params.update(params)
        self.check_mode = check_mode


def routes(jobs=None, package="default", preflight=None, conflicts=None, job=None, details=None):
    """A target where nothing was imported yet and the import job ends with ``job``."""
    package = PACKAGE if package == "default" else package
    preflight = PREFLIGHT if preflight is None else preflight
    jobs = list(jobs or [])
    job = done_job() if job is None else job
    state = {"submitted": False}

    def list_jobs(query, body):
        items = jobs + ([dict(job, jobStatus="PENDING")] if state["submitted"] else [])
        if "jobStatus==SUCCESS" in query["property"]:
            items = [j for j in items if j["jobStatus"] == "SUCCESS"]
        return {"hasNextPage": False, "data": [dict((k, v) for k, v in j.items() if k != "completedTasks") for j in items]}

    def submit(query, body):
        state["submitted"] = True
        return {"jobId": JID, "name": body["name"]}

    r = {
        ("GET", EXIM + "/packages/" + PID): package,
        ("GET", EXIM + "/packages"): {"hasNextPage": False, "data": [package] if package else []},
        ("GET", EXIM + "/packages/jobs"): list_jobs,
        ("GET", EXIM + "/packages/preflight/" + PID): preflight,
        ("GET", EXIM + "/packages/" + PID + "/import"): CONFLICTS if conflicts is None else conflicts,
        ("POST", EXIM + "/packages/import"): submit,
        ("GET", EXIM + "/tools/job/" + JID): {"status": "OK", "object": job},
    }
    for jid, detail in (details or {}).items():
        r[("GET", EXIM + "/tools/job/" + jid)] = {"object": detail}
    return r


def run(client, check_mode=False, **params):
    return mod.run(FakeModule(check_mode=check_mode, **params), client, sleeper=lambda s: None)


# -- input validation: before any request ---------------------------------------------

@pytest.mark.parametrize("params, option", [
    (dict(target_sandbox="Prod"), "target_sandbox"),
    (dict(wait_timeout=-1), "wait_timeout"),
    (dict(alternatives={CLS: {"id": CLS_DST, "type": "CLASS"}}), "alternatives"),
    (dict(package=" "), "package"),
    (dict(name=""), "name"),
])
def test_bad_input_fails_before_any_request(params, option):
    client = FakeClient(routes())
    with pytest.raises(AepValidationError) as e:
        run(client, **params)
    assert e.value.option == option and client.calls == []


# -- package checks --------------------------------------------------------------------

def test_unpublished_package_is_refused_naming_its_status():
    client = FakeClient(routes(package=dict(PACKAGE, status="DRAFT")))
    with pytest.raises(AepStateError) as e:
        run(client, package="rel-1")
    assert "DRAFT" in e.value.msg and "PUBLISHED" in e.value.msg
    assert client.mutating() == []


def test_missing_package():
    client = FakeClient(routes(package=None))
    with pytest.raises(AepStateError) as e:
        run(client)
    assert "not found" in e.value.msg and ORG in e.value.msg


# -- idempotency --------------------------------------------------------------------

def test_existing_successful_import_is_not_changed_and_costs_two_reads():
    earlier = done_job(id="e" * 32, targetSandbox="prod")
    client = FakeClient(routes(jobs=[earlier], details={"e" * 32: earlier}))
    result = run(client)
    assert result["changed"] is False
    assert result["job"]["id"] == "e" * 32
    assert result["replacement_map"] == {SEG: "seg-new", CLS: CLS_DST}
    assert [c[1] for c in client.calls] == [EXIM + "/packages/jobs", EXIM + "/tools/job/" + "e" * 32]
    assert client.calls[0][2]["property"] == ["requestType==IMPORT", "jobStatus==SUCCESS"]


def test_import_into_another_sandbox_does_not_count():
    earlier = done_job(id="e" * 32, targetSandbox="qa")
    client = FakeClient(routes(jobs=[earlier], details={"e" * 32: earlier},
                               conflicts=[]))
    assert run(client)["changed"] is True
    assert len([c for c in client.mutating() if c[1].endswith("/packages/import")]) == 1


def test_force_imports_again():
    earlier = done_job(id="e" * 32, targetSandbox="prod")
    client = FakeClient(routes(jobs=[earlier], details={"e" * 32: earlier}, conflicts=[]))
    result = run(client, force=True)
    assert result["changed"] is True and result["job"]["id"] == JID
    assert not any(c[2] and "jobStatus==SUCCESS" in c[2].get("property", []) for c in client.calls)


def test_earlier_success_hiding_an_error_is_imported_again_when_strict():
    flawed = done_job(id="e" * 32, targetSandbox="prod", tasks=[
        {"taskStatus": "FAILED", "artifact": {"id": SEG, "messages": [{"status": "FAILED", "message": "bad"}]}}])
    client = FakeClient(routes(jobs=[flawed], details={"e" * 32: flawed}, conflicts=[]))
    assert run(client)["changed"] is True
    client = FakeClient(routes(jobs=[flawed], details={"e" * 32: flawed}, conflicts=[]))
    result = run(client, strict=False)
    assert result["changed"] is False and result["failures"][0]["message"] == "bad"
    assert any("artifact error" in w for w in client.warnings)


# -- check mode ----------------------------------------------------------------------

def test_check_mode_reads_and_predicts_without_submitting():
    client = FakeClient(routes())
    result = run(client, check_mode=True, conflict_resolution="first_suggestion", name="nightly")
    assert client.mutating() == []
    assert result["changed"] is True and result["job"] is None
    assert result["resolutions"][0]["how"] == "first_suggestion"
    assert result["import_request"] == {
        "id": PID, "name": "nightly", "description": "release 1",
        "destinationSandbox": {"name": "prod", "imsOrgId": ORG},
        "alternatives": {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}}
    assert result["permissions"]["checked"] is True
    assert result["diff"]["after"]["target_sandbox"] == "prod"


def test_check_mode_predicts_a_conflict_failure_too():
    client = FakeClient(routes())
    with pytest.raises(AepStateError) as e:
        run(client, check_mode=True)
    assert CLS in e.value.msg and CLS_DST in e.value.msg
    assert e.value.extra["suggested_alternatives"] == {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}
    assert client.mutating() == []


# -- preflight ------------------------------------------------------------------------

def denied_preflight():
    body = copy.deepcopy(PREFLIGHT)
    body["permissionResponse"][0].update(creationAllowed=False, missingPermissions={"resources": [
        {"palmResourceType": "Segment", "resourcePermissions": ["write", "delete"]}]})
    return body


def test_missing_permission_fails_before_importing():
    client = FakeClient(routes(preflight=denied_preflight(), conflicts=[]))
    with pytest.raises(AepStateError) as e:
        run(client)
    assert "PROFILE_SEGMENT seg-1 (missing Segment: write, delete)" in e.value.msg
    assert e.value.extra["permissions"]["denied"] == [SEG]
    assert client.mutating() == []


def test_preflight_off_skips_the_check():
    client = FakeClient(routes(preflight=denied_preflight(), conflicts=[]))
    result = run(client, preflight=False)
    assert result["permissions"] == {"checked": False}
    assert not any("/preflight/" in c[1] for c in client.calls)


def test_preflight_falls_back_to_the_spec_path():
    r = routes(conflicts=[])
    r[("GET", EXIM + "/packages/preflight/" + PID + "/export")] = r.pop(("GET", EXIM + "/packages/preflight/" + PID))
    client = FakeClient(r)
    result = run(client)
    assert result["permissions"]["creation_allowed"] is True
    assert [c[1] for c in client.calls if "/preflight/" in c[1]] == [
        EXIM + "/packages/preflight/" + PID, EXIM + "/packages/preflight/" + PID + "/export"]
    assert all(c[2] == {"targetSandbox": "prod"} for c in client.calls if "/preflight/" in c[1])


# -- submission -------------------------------------------------------------------------

def test_import_submits_the_docs_form_and_waits():
    client = FakeClient(routes())
    result = run(client, conflict_resolution="use_alternatives",
                 alternatives={CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}, description="")
    posts = client.mutating()
    assert [(c[0], c[1]) for c in posts] == [("POST", EXIM + "/packages/import")]
    assert posts[0][3] == {"id": PID, "name": "rel-1", "description": "",
                           "destinationSandbox": {"name": "prod", "imsOrgId": ORG},
                           "alternatives": {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}}
    assert result["changed"] is True and result["job"]["jobStatus"] == "SUCCESS"
    assert result["replacement_map"] == {SEG: "seg-new", CLS: CLS_DST}
    assert result["resolutions"][0]["how"] == "alternatives" and result["failures"] == []


@pytest.mark.parametrize("status", [404, 405])
def test_import_falls_back_to_put(status):
    r = routes(conflicts=[])
    r[("PUT", EXIM + "/packages/import")] = r[("POST", EXIM + "/packages/import")]
    r[("POST", EXIM + "/packages/import")] = AepApiError("POST", EXIM + "/packages/import", status)
    client = FakeClient(r)
    assert run(client)["job"]["id"] == JID
    assert [c[0] for c in client.mutating()] == ["POST", "PUT"]


def test_create_new_sends_no_alternatives():
    client = FakeClient(routes())
    result = run(client, conflict_resolution="create_new")
    assert client.mutating()[0][3]["alternatives"] == {}
    assert result["resolutions"][0]["how"] == "create_new"


def test_unmapped_conflict_with_use_alternatives_fails():
    client = FakeClient(routes())
    with pytest.raises(AepStateError) as e:
        run(client, conflict_resolution="use_alternatives")
    assert "use_alternatives" in e.value.msg and CLS in e.value.msg
    assert client.mutating() == []


def test_no_wait_returns_the_submission():
    client = FakeClient(routes(conflicts=[]))
    result = run(client, wait=False)
    assert result["job"] == {"jobId": JID, "name": "rel-1", "id": JID}
    assert not any("/tools/job/" in c[1] for c in client.calls)


# -- job outcomes -----------------------------------------------------------------------

@pytest.mark.parametrize("status", ["FAILED", "CANCELLED"])
def test_failed_or_cancelled_job_fails_with_its_messages(status):
    job = done_job(status=status, errorMessage="Import aborted", tasks=[
        {"taskStatus": "FAILED", "artifact": {"id": SEG, "type": "PROFILE_SEGMENT", "messages": [
            {"status": "FAILED", "message": "field missing"}]}}])
    client = FakeClient(routes(conflicts=[], job=job))
    with pytest.raises(AepStateError) as e:
        run(client)
    assert "ended %s" % status in e.value.msg
    assert "Import aborted" in e.value.msg and "field missing" in e.value.msg
    assert e.value.extra["changed"] is True and e.value.extra["job"]["jobStatus"] == status


def test_success_hiding_an_artifact_error_fails_when_strict():
    job = done_job(tasks=[
        {"taskStatus": "SUCCESS", "artifact": {"id": "ns", "newId": "ns2", "messages": [{"status": "CREATED"}]}},
        {"taskStatus": "SUCCESS", "artifact": {"id": SEG, "type": "PROFILE_SEGMENT", "messages": [
            {"status": "ERROR", "message": "bad rule"}]}}])
    client = FakeClient(routes(conflicts=[], job=job))
    with pytest.raises(AepStateError) as e:
        run(client)
    assert "SUCCESS but 1 artifact(s) failed" in e.value.msg and "bad rule" in e.value.msg
    assert e.value.extra["failures"][0]["id"] == SEG


def test_success_hiding_an_artifact_error_warns_when_not_strict():
    job = done_job(tasks=[{"taskStatus": "SUCCESS", "artifact": {"id": SEG, "messages": [
        {"status": "ERROR", "message": "bad rule"}]}}])
    client = FakeClient(routes(conflicts=[], job=job))
    result = run(client, strict=False)
    assert result["changed"] is True and len(result["failures"]) == 1
    assert any("bad rule" in w for w in client.warnings)


def test_wait_timeout_reports_the_job():
    client = FakeClient(routes(conflicts=[], job=done_job(status="IN_PROGRESS")))
    with pytest.raises(AepWaitTimeout) as e:
        run(client, wait_timeout=0)
    assert JID in e.value.msg and e.value.extra["changed"] is True and e.value.extra["job_id"] == JID


def test_package_by_name_is_resolved_first():
    client = FakeClient(routes(conflicts=[]))
    result = run(client, package="rel-1")
    assert result["changed"] is True
    assert client.calls[0][1] == EXIM + "/packages" and client.calls[0][2]["property"] == ["name==rel-1"]


def test_running_import_is_followed_not_submitted_twice():
    running_job = done_job(id=JID, jobStatus="IN_PROGRESS", targetSandbox="prod")
    client = FakeClient(routes(jobs=[running_job], conflicts=[]))
    result = run(client)
    assert client.mutating() == []
    assert result["changed"] is True and result["job"]["jobStatus"] == "SUCCESS"
    assert any("already running" in w for w in client.warnings)


def test_running_import_with_force_submits_another():
    running_job = done_job(id="b" * 32, jobStatus="PENDING", targetSandbox="prod")
    client = FakeClient(routes(jobs=[running_job], conflicts=[]))
    run(client, force=True)
    assert [c[0] for c in client.mutating()] == ["POST"]
