# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_package decision logic against a mocked client holding a tiny in-memory EXIM API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils import packages
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient, ApiResponse
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError, AepWaitTimeout,
)
from ansible_collections.aep.platform.plugins.modules import aep_package

ORG = "5C1328435BF324E90A49402A@AdobeOrg"
EXIM = "/data/foundation/exim"
PID = "209f886b00444eac9bb5836fe32e7681"
JID = "18abab44e25f40c284a4bd6e8f52fd29"
SCHEMA = dict(id="https://ns.adobe.com/acme/schemas/1", type="REGISTRY_SCHEMA")
SEGMENT = dict(id="0259c7a3-16ab-953e-7c2a-44478966026d", type="PROFILE_SEGMENT", title="Gold")
NAMESPACE = dict(id="6959bec8-5b96-616a-c08f-71804ebead41", type="ID_NAMESPACE")
EXPIRY_MS = 1896091200000  # 2030-01-31T12:00:00Z
MUTATING = ("POST", "PUT", "PATCH", "DELETE")


def package(**kw):
    p = dict(id=PID, name="pkg", description="d", packageType="PARTIAL", status="DRAFT",
             sourceSandbox=dict(name="dev", imsOrgId=ORG), expiry=EXPIRY_MS, packageVisibility="private",
             artifactsList=[dict(SCHEMA, found=False, count=0)])
    p.update(kw)
    return p


class FakeExim:
    """Just enough of /data/foundation/exim; every call lands in ``self.log``."""

    def __init__(self, *pkgs, publish_result="PUBLISHED", polls_before_done=1):
        self.pkgs = dict((p["id"], copy.deepcopy(p)) for p in pkgs)
        self.log = []
        self.publish_result = publish_result
        self.polls_before_done = polls_before_done
        self.polls = 0
        self.jobs = {}
        self.post_error = None
        self.put_status = None

    # -- the AepClient surface used by the module ----------------------------
    def request(self, method, path, query=None, json=None, missing_ok=False, **kw):
        self.log.append((method, path, copy.deepcopy(query), copy.deepcopy(json)))
        status, body = self.route(method, path, query, json)
        if status == 404 and missing_ok:
            return None
        if status >= 400:
            raise AepApiError(method, path, status, body=body)
        return body

    def raw(self, method, path, query=None, json=None, **kw):
        self.log.append((method, path, copy.deepcopy(query), copy.deepcopy(json)))
        status, body = self.route(method, path, query, json)
        return ApiResponse(status, {}, body, "")

    def route(self, method, path, query, body):
        m = re.match(r"^%s/packages/([0-9a-f]{32})(/export)?$" % EXIM, path)
        if method == "GET" and path == EXIM + "/packages":
            props = (query or {}).get("property") or []
            names = [p[len("name=="):] for p in props if p.startswith("name==")]
            data = [copy.deepcopy(p) for p in self.pkgs.values() if not names or p["name"] in names]
            return 200, dict(data=data, hasNextPage=False)
        if method == "GET" and m and not m.group(2):
            p = self.pkgs.get(m.group(1))
            if p is None:
                return 404, dict(title="Not Found", detail="Package not found")
            if p["status"] == "PUBLISH_IN_PROGRESS":
                self.polls += 1
                if self.polls >= self.polls_before_done:
                    p["status"] = self.publish_result
            return 200, copy.deepcopy(p)
        if method == "GET" and m and m.group(2):
            p = self.pkgs[m.group(1)]
            p["status"] = "PUBLISH_IN_PROGRESS"
            failed = self.publish_result == "PUBLISH_FAILED"
            self.jobs[JID] = dict(id=JID, requestType="EXPORT", jobStatus="FAILED" if failed else "SUCCESS",
                                  packageId=p["id"], errorMessage="Artifacts not found in sandbox dev" if failed else None,
                                  completedTasks=[dict(taskStatus="FAILED" if failed else "SUCCESS", artifact=dict(
                                      SCHEMA, messages=[dict(status="NOT_FOUND" if failed else "EXPORTED",
                                                             message="gone" if failed else "ok")]))])
            return 200, dict(name=p["name"], jobId=JID)
        if method == "GET" and path == "%s/tools/job/%s" % (EXIM, JID):
            return 200, dict(status="OK", object=self.jobs[JID])
        if method == "POST" and path == EXIM + "/packages":
            if self.post_error is not None:
                err, self.post_error = self.post_error, None
                if err == "created":  # the server acted, the answer was lost
                    self._create(body)
                raise AepConnectionError("POST", path, "no answer", kind="timeout")
            return 201, self._create(body)
        if method == "PUT" and path in (EXIM + "/packages", EXIM + "/packages/update"):
            if self.put_status and path == EXIM + "/packages" and body.get("packageVisibility"):
                return self.put_status, dict(title="Method Not Allowed")
            p = self.pkgs[body["id"]]
            if body.get("packageVisibility"):
                p["packageVisibility"] = "PUBLIC"
            elif body["action"] == "ADD":
                p["artifactsList"] += [dict(a, found=False, count=0) for a in body["artifacts"]]
            elif body["action"] == "DELETE":
                drop = set(a["id"] for a in body["artifacts"])
                p["artifactsList"] = [a for a in p["artifactsList"] if a["id"] not in drop]
            else:
                p.update(name=body["name"], description=body.get("description", p["description"]),
                         sourceSandbox=body["sourceSandbox"])
            if body.get("expiry"):
                p["expiry"] = packages.parse_timestamp(body["expiry"], "expiry")
            return 200, copy.deepcopy(p)
        if method == "DELETE" and m:
            if self.pkgs.pop(m.group(1), None) is None:
                return 404, dict(title="Not Found")
            return 200, dict(reason="deleted")
        raise AssertionError("unexpected call %s %s" % (method, path))

    def _create(self, body):
        p = package(id="%032x" % (len(self.log) + 1), name=body["name"], description=body.get("description", ""),
                    packageType=body["packageType"], sourceSandbox=body["sourceSandbox"],
                    expiry=packages.parse_timestamp(body.get("expiry"), "expiry") or EXPIRY_MS,
                    artifactsList=[dict(a, found=False, count=0) for a in body.get("artifacts") or []])
        self.pkgs[p["id"]] = p
        return copy.deepcopy(p)

    def writes(self):
        return [c for c in self.log if c[0] in MUTATING]


def make_client(api):
    client = MagicMock()
    client.org_id = ORG
    client.warnings = []
    client.get.side_effect = lambda path, **kw: api.request("GET", path, **kw)
    client.post.side_effect = lambda path, **kw: api.request("POST", path, **kw)
    client.put.side_effect = lambda path, **kw: api.request("PUT", path, **kw)
    client.delete.side_effect = lambda path, **kw: api.request("DELETE", path, **kw)
    client.raw.side_effect = api.raw
    client.scrub.side_effect = lambda text: text
    client.paginate.side_effect = lambda path, query=None, **kw: list(AepClient.iter_items(client, path, query=query))
    return client


def params(**kw):
    p = dict(name=None, id=None, description=None, package_type=None, source_sandbox=None, artifacts=None,
             purge_artifacts=True, expiry=None, visibility=None, state="present", expiry_period=None, wait=True,
             wait_timeout=900, sandbox="dev")
    p.update(kw)
    return p


def run(api, check_mode=False, **kw):
    module = SimpleNamespace(params=params(**kw), check_mode=check_mode)
    return aep_package.run(module, make_client(api))


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(packages, "_sleep", lambda seconds: None)


# -- create ----------------------------------------------------------------------

def test_create_when_missing_sends_one_post_with_the_package():
    api = FakeExim()
    result = run(api, name="pkg", description="d", artifacts=[SCHEMA, dict(SEGMENT, type="profile_segment")])
    assert result["changed"] is True
    posts = [c for c in api.log if c[0] == "POST"]
    assert len(posts) == 1
    body = posts[0][3]
    assert body["name"] == "pkg" and body["packageType"] == "PARTIAL"
    assert body["sourceSandbox"] == dict(name="dev", imsOrgId=ORG)  # defaults to the sandbox option
    assert sorted(a["type"] for a in body["artifacts"]) == ["PROFILE_SEGMENT", "REGISTRY_SCHEMA"]
    assert "expiry" not in body
    assert result["package"]["id"] in api.pkgs
    assert result["diff"]["before"] == {} and result["diff"]["after"]["name"] == "pkg"


def test_create_full_package_without_artifact_list_and_with_expiry_in_utc():
    api = FakeExim()
    run(api, name="all", package_type="FULL", source_sandbox="prod", expiry="2030-01-31T13:00:00+01:00")
    body = [c for c in api.log if c[0] == "POST"][0][3]
    assert "artifacts" not in body
    assert body["sourceSandbox"]["name"] == "prod"
    assert body["expiry"] == "2030-01-31T12:00:00Z"


def test_check_mode_predicts_create_and_sends_nothing_mutating():
    api = FakeExim()
    result = run(api, check_mode=True, name="pkg", artifacts=[SCHEMA], state="published")
    assert result["changed"] is True
    assert api.writes() == [] and not [c for c in api.log if "/export" in c[1]]
    assert result["package"]["id"] is None and result["package"]["status"] == "PUBLISHED"
    assert result["package"]["artifactsList"][0]["id"] == SCHEMA["id"]
    assert api.pkgs == {}


def test_create_lost_answer_is_not_sent_twice_when_the_package_exists():
    api = FakeExim()
    api.post_error = "created"
    client = make_client(api)
    result = aep_package.run(SimpleNamespace(params=params(name="pkg", artifacts=[SCHEMA]), check_mode=False), client)
    assert len([c for c in api.log if c[0] == "POST"]) == 1
    assert len(api.pkgs) == 1 and result["package"]["name"] == "pkg"
    assert any("exists" in w for w in client.warnings)


def test_create_lost_before_reaching_the_server_is_created_again_after_a_read():
    api = FakeExim()
    api.post_error = "lost"
    result = run(api, name="pkg", artifacts=[SCHEMA])
    methods = [c[0] for c in api.log]
    assert methods == ["GET", "POST", "GET", "POST"]  # lookup, lost create, re-read by name, create
    assert len(api.pkgs) == 1 and result["changed"] is True


def test_create_by_unknown_id_fails_instead_of_creating():
    api = FakeExim()
    with pytest.raises(AepStateError) as e:
        run(api, id=PID, name="pkg")
    assert "No package with id" in e.value.msg and api.writes() == []


# -- idempotency -----------------------------------------------------------------

def test_identical_run_is_unchanged_and_costs_one_read():
    api = FakeExim(package(artifactsList=[dict(SCHEMA, found=False, count=0), dict(SEGMENT, found=True)]))
    result = run(api, name="pkg", description="d", artifacts=[SEGMENT, SCHEMA], package_type="PARTIAL",
                 source_sandbox="dev", expiry="2030-01-31T12:00:00.400Z", visibility="private")
    assert result["changed"] is False
    assert [c[:2] for c in api.log] == [("GET", EXIM + "/packages")]
    assert api.log[0][2]["property"] == ["name==pkg"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_lookup_by_id_is_one_get_of_the_package():
    api = FakeExim(package())
    result = run(api, id=PID, state="present")
    assert result["changed"] is False
    assert [c[:2] for c in api.log] == [("GET", "%s/packages/%s" % (EXIM, PID))]


def test_expiry_compared_to_the_second_only_when_set():
    api = FakeExim(package(expiry=EXPIRY_MS + 999))
    assert run(api, name="pkg", expiry="2030-01-31T12:00:00Z")["changed"] is False
    api = FakeExim(package(expiry=EXPIRY_MS + 1000))
    assert run(api, name="pkg", check_mode=True, expiry="2030-01-31T12:00:00Z")["changed"] is True
    assert run(api, name="pkg")["changed"] is False


# -- convergence -----------------------------------------------------------------

def test_artifacts_converge_with_delete_then_add():
    api = FakeExim(package(artifactsList=[dict(SCHEMA), dict(SEGMENT)]))
    result = run(api, name="pkg", artifacts=[SCHEMA, NAMESPACE])
    puts = [c[3] for c in api.log if c[0] == "PUT"]
    assert [b["action"] for b in puts] == ["DELETE", "ADD"]
    assert puts[0]["artifacts"] == [dict(id=SEGMENT["id"], type="PROFILE_SEGMENT")]
    assert puts[1]["artifacts"] == [NAMESPACE]
    assert result["changed"] is True
    assert packages.artifact_keys(api.pkgs[PID]) == set([(SCHEMA["id"], SCHEMA["type"]),
                                                         (NAMESPACE["id"], NAMESPACE["type"])])
    assert [a["id"] for a in result["diff"]["before"]["artifacts"]] != [a["id"] for a in result["diff"]["after"]["artifacts"]]


def test_same_id_with_another_type_is_a_different_artifact():
    api = FakeExim(package(artifactsList=[dict(id=SCHEMA["id"], type="REGISTRY_CLASS")]))
    run(api, name="pkg", artifacts=[SCHEMA])
    assert [c[3]["action"] for c in api.log if c[0] == "PUT"] == ["DELETE", "ADD"]


def test_purge_false_only_adds():
    api = FakeExim(package(artifactsList=[dict(SCHEMA), dict(SEGMENT)]))
    result = run(api, name="pkg", artifacts=[NAMESPACE], purge_artifacts=False)
    assert [c[3]["action"] for c in api.log if c[0] == "PUT"] == ["ADD"]
    assert len(result["package"]["artifactsList"]) == 3
    api = FakeExim(package(artifactsList=[dict(SCHEMA), dict(SEGMENT)]))
    assert run(api, name="pkg", artifacts=[SEGMENT], purge_artifacts=False)["changed"] is False


def test_description_change_is_an_update_with_name_and_source_sandbox():
    api = FakeExim(package())
    result = run(api, name="pkg", description="new", expiry="2030-01-31T12:00:00Z")
    puts = [c[3] for c in api.log if c[0] == "PUT"]
    assert len(puts) == 1
    assert puts[0] == dict(id=PID, action="UPDATE", name="pkg", description="new",
                           sourceSandbox=dict(name="dev", imsOrgId=ORG), expiry="2030-01-31T12:00:00Z")
    assert result["diff"] == dict(before=dict(name="pkg", description="d", expiry="2030-01-31T12:00:00Z"),
                                  after=dict(name="pkg", description="new", expiry="2030-01-31T12:00:00Z"))


def test_rename_by_id():
    api = FakeExim(package())
    result = run(api, id=PID, name="renamed")
    assert [c[3]["action"] for c in api.log if c[0] == "PUT"] == ["UPDATE"]
    assert result["package"]["name"] == "renamed"


def test_check_mode_update_predicts_and_sends_nothing():
    api = FakeExim(package())
    result = run(api, check_mode=True, name="pkg", description="new", artifacts=[NAMESPACE])
    assert api.writes() == []
    assert result["changed"] is True
    assert result["package"]["description"] == "new"
    assert [a["id"] for a in result["package"]["artifactsList"]] == [NAMESPACE["id"]]
    assert api.pkgs[PID]["description"] == "d"


def test_package_type_cannot_change():
    api = FakeExim(package(packageType="FULL", artifactsList=[]))
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", package_type="PARTIAL")
    assert "cannot be changed" in e.value.msg and "state: absent" in e.value.msg and api.writes() == []


def test_artifacts_on_an_existing_full_package_are_refused():
    api = FakeExim(package(packageType="FULL", artifactsList=[]))
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", artifacts=[SCHEMA])
    assert "FULL" in e.value.msg and api.writes() == []


# -- immutability ------------------------------------------------------------------

@pytest.mark.parametrize("status", ["PUBLISHED", "PUBLISH_IN_PROGRESS", "PUBLISH_FAILED"])
def test_non_draft_package_with_other_content_fails_and_says_how_to_proceed(status):
    api = FakeExim(package(status=status))
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", description="other", artifacts=[SCHEMA, SEGMENT], state="published")
    msg = e.value.msg
    assert status in msg and "new name" in msg and "state: absent" in msg
    assert "description" in msg and SEGMENT["id"] in msg
    assert api.writes() == [] and not [c for c in api.log if "/export" in c[1]]
    assert e.value.extra["package"]["id"] == PID


def test_published_package_with_same_content_is_unchanged():
    api = FakeExim(package(status="PUBLISHED", expiry=1))
    result = run(api, name="pkg", description="d", artifacts=[SCHEMA], state="published",
                 expiry="2030-01-31T12:00:00Z", expiry_period=30)
    assert result["changed"] is False and result["job"] is None
    assert len(api.log) == 1


def test_published_package_cannot_become_private_again():
    api = FakeExim(package(status="PUBLISHED", packageVisibility="PUBLIC"))
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", visibility="private")
    assert "private again" in e.value.msg


# -- publish -------------------------------------------------------------------------

def test_publish_waits_and_returns_the_export_job():
    api = FakeExim(package(), polls_before_done=3)
    result = run(api, name="pkg", state="published", expiry_period=30)
    export = [c for c in api.log if c[1].endswith("/export")]
    assert len(export) == 1 and export[0][2] == {"expiryPeriod": 30}
    assert result["changed"] is True
    assert result["package"]["status"] == "PUBLISHED"
    assert result["job"]["id"] == JID and result["job"]["jobStatus"] == "SUCCESS"
    assert result["diff"]["before"]["status"] == "DRAFT" and result["diff"]["after"]["status"] == "PUBLISHED"


def test_publish_without_wait_returns_the_job_id():
    api = FakeExim(package())
    result = run(api, name="pkg", state="published", wait=False)
    assert result["job"]["id"] == JID
    assert result["package"]["status"] == "PUBLISH_IN_PROGRESS"
    assert [c for c in api.log if c[1].endswith("/export")][0][2] is None  # no expiryPeriod unless set


def test_publish_failed_fails_with_the_reason():
    api = FakeExim(package(), publish_result="PUBLISH_FAILED")
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", state="published")
    assert "PUBLISH_FAILED" in e.value.msg and "Artifacts not found" in e.value.msg and "gone" in e.value.msg
    assert e.value.extra["job"]["jobStatus"] == "FAILED"


def test_publish_failed_package_is_published_again():
    api = FakeExim(package(status="PUBLISH_FAILED"))
    result = run(api, name="pkg", state="published")
    assert result["changed"] is True and result["package"]["status"] == "PUBLISHED"


def test_wait_timeout_reports_last_state():
    api = FakeExim(package(), polls_before_done=100)
    with pytest.raises(AepWaitTimeout) as e:
        run(api, name="pkg", state="published", wait_timeout=0)
    assert e.value.last_state == "PUBLISH_IN_PROGRESS"


def test_publish_then_make_public_with_fallback_to_spec_path():
    api = FakeExim(package())
    api.put_status = 405
    result = run(api, name="pkg", state="published", visibility="public")
    public_puts = [c[1] for c in api.log if c[0] == "PUT" and c[3].get("packageVisibility") == "PUBLIC"]
    assert public_puts == [EXIM + "/packages", EXIM + "/packages/update"]
    assert packages.visibility_of(result["package"]) == "public"


def test_make_public_is_refused_on_a_draft_with_state_present():
    api = FakeExim(package())
    with pytest.raises(AepStateError) as e:
        run(api, name="pkg", visibility="public")
    assert "PUBLISHED" in e.value.msg and api.writes() == []


def test_published_private_package_made_public_with_state_present():
    api = FakeExim(package(status="PUBLISHED"))
    result = run(api, name="pkg", visibility="public")
    assert result["changed"] is True
    assert [c[3] for c in api.log if c[0] == "PUT"] == [dict(id=PID, action="UPDATE", packageVisibility="PUBLIC")]


# -- absent ----------------------------------------------------------------------------

def test_absent_deletes_then_is_unchanged():
    api = FakeExim(package())
    first = run(api, name="pkg", state="absent")
    second = run(api, name="pkg", state="absent")
    assert first["changed"] is True and first["diff"]["before"]["name"] == "pkg" and first["diff"]["after"] == {}
    assert second["changed"] is False
    assert [c[0] for c in api.log] == ["GET", "DELETE", "GET"]


def test_absent_in_check_mode_deletes_nothing():
    api = FakeExim(package())
    assert run(api, check_mode=True, id=PID, state="absent")["changed"] is True
    assert api.writes() == [] and PID in api.pkgs


def test_delete_answering_404_means_already_gone():
    api = FakeExim()
    client = make_client(api)
    req = packages.PackageRequest(params(id=PID, state="absent"), ORG)
    result = packages.remove_package(client, req, package(), check_mode=False)
    assert result["changed"] is False


# -- input validation: nothing is sent -----------------------------------------------------

@pytest.mark.parametrize("kw,option,words", [
    (dict(name="p", artifacts=[dict(id="x", type="SCHEMA")]), "artifacts[0].type", ["REGISTRY_SCHEMA", "FLOW"]),
    (dict(name="p", package_type="FULL", artifacts=[SCHEMA]), "artifacts", ["FULL"]),
    (dict(description="x"), "name", ["id"]),
    (dict(name="p", expiry="31/12/2030"), "expiry", ["ISO 8601"]),
    (dict(name="p", expiry="2030-02-30T00:00:00Z"), "expiry", ["not a valid"]),
    (dict(name="p", expiry="2030-01-31T12:00:00"), "expiry", ["ISO 8601"]),
    (dict(name="p", wait_timeout=-1), "wait_timeout", ["0 or more"]),
    (dict(name="p", expiry_period=-5), "expiry_period", ["0 or more"]),
    (dict(id="1234"), "id", ["32 hexadecimal"]),
    (dict(name="p", source_sandbox="Bad Name"), "source_sandbox", ["lower-case"]),
    (dict(name="p", state="published", visibility="public", wait=False), "wait", ["PUBLISHED"]),
    (dict(name="p", artifacts=[dict(id="", type="FLOW")]), "artifacts[0].id", ["id"]),
])
def test_bad_input_is_named_before_any_request(kw, option, words):
    api = FakeExim()
    with pytest.raises(AepValidationError) as e:
        run(api, **kw)
    assert e.value.option == option
    for word in words:
        assert word in e.value.msg
    assert api.log == []


# -- helpers of module_utils/packages.py used above -------------------------------------------

@pytest.mark.parametrize("text,ms", [
    ("2030-01-31T12:00:00Z", EXPIRY_MS),
    ("2030-01-31T12:00Z", EXPIRY_MS),
    ("2030-01-31T12:00:00.250Z", EXPIRY_MS + 250),
    ("2030-01-31T07:00:00-05:00", EXPIRY_MS),
    ("2030-01-31 13:00:00+0100", EXPIRY_MS),
])
def test_parse_timestamp(text, ms):
    assert packages.parse_timestamp(text, "expiry") == ms
    assert packages.format_timestamp(ms) == "2030-01-31T12:00:00Z"


def test_failed_task_reports_its_own_messages():
    job = dict(jobStatus="FAILED", errorMessage="Artifacts not found", completedTasks=[
        dict(taskStatus="FAILED", artifact=dict(id="x", type="JOURNEY", title="x", messages=[
            dict(status="NOT_FOUND", message="Object with ID x not found")]))])
    assert packages.artifact_failures(job) == [dict(id="x", type="JOURNEY", title="x", status="NOT_FOUND",
                                                    message="Object with ID x not found")]
    assert packages.describe_job_failure(job) == "Artifacts not found; JOURNEY x: Object with ID x not found"
    assert packages.job_summary(job)["has_failures"] is True
