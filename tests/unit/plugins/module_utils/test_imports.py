# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils import imports
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepValidationError,
)

CLS, CLS_DST, CLS_OTHER = "cls-src", "cls-dst", "cls-legacy"
DT, DT_DST = "dt-src", "dt-dst"


def conflict(src_id, src_type, title, suggestions):
    return {"artifact": {"id": src_id, "type": src_type, "title": title},
            "suggestionList": [{"id": i, "type": src_type, "title": t} for i, t in suggestions],
            "parentID": "org::dev::%s::%s" % (src_type, src_id)}


CONFLICTS = [
    conflict(CLS, "REGISTRY_CLASS", "Loyalty Member", [(CLS_DST, "Loyalty Member"), (CLS_OTHER, "Loyalty (legacy)")]),
    conflict(DT, "REGISTRY_DATATYPE", "Postal", [(DT_DST, "Postal")]),
]


# -- alternatives (input) ----------------------------------------------------------

def test_alternatives_are_cleaned():
    assert imports.validate_alternatives({CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS", "title": "x"}}) == {
        CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}
    assert imports.validate_alternatives(None) == {}


@pytest.mark.parametrize("alt, words", [
    ({CLS: {"type": "REGISTRY_CLASS"}}, "needs an id"),
    ({CLS: {"id": CLS_DST, "type": "CLASS"}}, "REGISTRY_CLASS"),
    ({CLS: {"id": CLS_DST}}, "accepted types"),
    ({CLS: "cls-dst"}, "must be a dict"),
    ({CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS", "name": "x"}}, "unknown keys name"),
])
def test_bad_alternatives_name_the_option(alt, words):
    with pytest.raises(AepValidationError) as e:
        imports.validate_alternatives(alt)
    assert e.value.option == "alternatives" and words in e.value.msg


# -- conflict resolution policies ---------------------------------------------------

def test_fail_leaves_every_conflict_unresolved_and_suggests_alternatives():
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "fail")
    assert [r["how"] for r in res] == ["unresolved", "unresolved"]
    assert send == {} and len(unresolved) == 2
    assert imports.suggested_alternatives(unresolved) == {
        CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}, DT: {"id": DT_DST, "type": "REGISTRY_DATATYPE"}}
    text = "; ".join(imports.describe_unresolved(unresolved))
    assert CLS_DST in text and CLS_OTHER in text and text.index(CLS_DST) < text.index(CLS_OTHER)


def test_fail_with_every_conflict_mapped_by_the_user_resolves():
    user = {CLS: {"id": CLS_OTHER, "type": "REGISTRY_CLASS"}, DT: {"id": DT_DST, "type": "REGISTRY_DATATYPE"}}
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "fail", user)
    assert unresolved == [] and send == user
    assert res[0]["target"] == {"id": CLS_OTHER, "type": "REGISTRY_CLASS", "title": "Loyalty (legacy)"}
    assert res[0]["how"] == "alternatives"


def test_use_alternatives_fails_the_unmapped_conflict_only():
    user = {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}}
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "use_alternatives", user)
    assert [u["source"]["id"] for u in unresolved] == [DT]
    assert send == user


def test_first_suggestion_maps_to_the_top_ranked_one():
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "first_suggestion")
    assert unresolved == []
    assert send == {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}, DT: {"id": DT_DST, "type": "REGISTRY_DATATYPE"}}
    assert [r["how"] for r in res] == ["first_suggestion", "first_suggestion"]
    assert res[0]["target"]["title"] == "Loyalty Member"


def test_first_suggestion_without_suggestion_is_unresolved():
    lone = [conflict("seg", "PROFILE_SEGMENT", "VIP", [])]
    res, send, unresolved = imports.resolve_conflicts(lone, "first_suggestion")
    assert len(unresolved) == 1 and send == {}
    assert "no suggestion" in imports.describe_unresolved(unresolved)[0]
    assert imports.suggested_alternatives(unresolved) == {}


def test_create_new_sends_only_the_users_alternatives():
    user = {CLS: {"id": CLS_DST, "type": "REGISTRY_CLASS"}, "not-a-conflict": {"id": "x", "type": "JOURNEY"}}
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "create_new", user)
    assert unresolved == [] and send == user  # user-given alternatives always apply
    assert [r["how"] for r in res] == ["alternatives", "create_new"]
    assert res[1]["target"] is None


def test_user_alternatives_win_over_first_suggestion():
    user = {CLS: {"id": CLS_OTHER, "type": "REGISTRY_CLASS"}}
    res, send, unresolved = imports.resolve_conflicts(CONFLICTS, "first_suggestion", user)
    assert send[CLS]["id"] == CLS_OTHER and send[DT]["id"] == DT_DST


def test_alternative_of_another_type_is_refused():
    with pytest.raises(AepValidationError) as e:
        imports.resolve_conflicts(CONFLICTS, "fail", {CLS: {"id": "x", "type": "REGISTRY_SCHEMA"}})
    assert "REGISTRY_CLASS" in e.value.msg and "REGISTRY_SCHEMA" in e.value.msg


def test_no_conflict_nothing_to_resolve():
    assert imports.resolve_conflicts([], "fail") == ([], {}, [])


def test_unknown_policy():
    with pytest.raises(AepValidationError):
        imports.resolve_conflicts(CONFLICTS, "merge")


# -- preflight ----------------------------------------------------------------------

def perm(aid, atype, missing, allowed=None):
    item = {"artifactID": aid, "artifactType": atype,
            "requiredPermissions": {"resources": [{"palmResourceType": "Segment", "resourcePermissions": ["read", "write"]}]},
            "missingPermissions": {"resources": [{"palmResourceType": r, "resourcePermissions": p} for r, p in missing]}}
    if allowed is not None:
        item["creationAllowed"] = allowed
    return item


def test_preflight_lists_missing_permissions_per_artifact():
    body = {"targetSandboxName": "prod", "permissionResponse": [
        perm("seg", "PROFILE_SEGMENT", [("Segment", ["write", "delete"])], False),
        perm("ns", "ID_NAMESPACE", [], True)]}
    s = imports.summarize_preflight(body)
    assert s["creation_allowed"] is False and s["denied"] == ["seg"]
    assert s["artifacts"][0]["missing_permissions"] == {"Segment": ["write", "delete"]}
    assert s["artifacts"][0]["required_permissions"] == {"Segment": ["read", "write"]}
    assert imports.describe_denied(s) == ["PROFILE_SEGMENT seg (missing Segment: write, delete)"]


def test_preflight_without_creation_allowed_uses_missing():
    s = imports.summarize_preflight({"permissionResponse": [perm("seg", "PROFILE_SEGMENT", [("Segment", ["write"])])]})
    assert s["denied"] == ["seg"]
    assert imports.summarize_preflight({"permissionResponse": [perm("ns", "ID_NAMESPACE", [])]})["creation_allowed"]


def test_preflight_denial_of_a_mapped_artifact_does_not_block():
    body = {"permissionResponse": [perm("seg", "PROFILE_SEGMENT", [("Segment", ["write"])], False)]}
    s = imports.summarize_preflight(body, mapped_ids={"seg": {"id": "x", "type": "PROFILE_SEGMENT"}})
    assert s["creation_allowed"] is True and s["denied"] == [] and s["artifacts"][0]["mapped"] is True


# -- results ------------------------------------------------------------------------

def test_replacement_map_from_map_and_tasks():
    job = {"importReplacementMap": {"a": "A2", "b": None},
           "completedTasks": [{"artifact": {"id": "c", "newId": "C2"}}, {"artifact": {"id": "d"}}]}
    assert imports.replacement_map(job) == {"a": "A2", "c": "C2"}
    assert imports.replacement_map(None) == {}


def test_job_messages_carry_job_and_artifact_errors():
    job = {"errorMessage": "Import failed", "completedTasks": [
        {"taskStatus": "FAILED", "artifact": {"id": "j1", "type": "JOURNEY", "title": "Welcome",
                                              "messages": [{"status": "FAILED", "message": "no channel"}]}},
        {"taskStatus": "SUCCESS", "artifact": {"id": "n1", "messages": [{"status": "CREATED", "message": "ok"}]}}]}
    msgs = imports.job_messages(job)
    assert msgs[0] == "Import failed"
    assert msgs[1] == "JOURNEY 'Welcome' j1: FAILED no channel"
    assert len(msgs) == 2


def test_import_body_defaults_to_the_package():
    pkg = {"id": "p" * 32, "name": "rel-1", "description": "d"}
    body = imports.import_body(pkg, "prod", "ORG@AdobeOrg", alternatives={"a": {"id": "b", "type": "JOURNEY"}})
    assert body == {"id": "p" * 32, "name": "rel-1", "description": "d",
                    "destinationSandbox": {"name": "prod", "imsOrgId": "ORG@AdobeOrg"},
                    "alternatives": {"a": {"id": "b", "type": "JOURNEY"}}}
    assert imports.import_body(pkg, "prod", "O", name="n", description="")["description"] == ""


# -- fallbacks ------------------------------------------------------------------------

def api_error(status, method="GET", path="/x"):
    return AepApiError(method, path, status, body={"title": "t", "detail": "d"})


def raiser(exc):
    def f():
        raise exc
    return f


@pytest.mark.parametrize("status", [404, 405])
def test_fallback_on_404_405(status):
    assert imports.with_fallback(raiser(api_error(status)), lambda: "spec") == "spec"


def test_no_fallback_on_other_errors():
    second = []
    with pytest.raises(AepApiError) as e:
        imports.with_fallback(raiser(api_error(400)), lambda: second.append(1))
    assert e.value.status == 400 and second == []


def test_fallback_missing_too_raises_the_first_error():
    first = api_error(404, path="/docs")
    with pytest.raises(AepApiError) as e:
        imports.with_fallback(raiser(first), raiser(api_error(404, path="/spec")))
    assert e.value is first


def test_fallback_error_of_its_own_is_raised():
    with pytest.raises(AepApiError) as e:
        imports.with_fallback(raiser(api_error(405)), raiser(api_error(403, path="/spec")))
    assert e.value.status == 403


# -- jobs -----------------------------------------------------------------------------

class Client:
    """Answers GET /packages/jobs from pages and /tools/job/{id} from a dict; records calls."""

    iter_items = AepClient.iter_items  # the real pager over this fake's get()

    def __init__(self, pages, details=None, post=None):
        self.pages, self.details, self.post_answers = pages, details or {}, list(post or [])
        self.calls, self.warnings = [], []

    def get(self, path, query=None, missing_ok=False, **kw):
        self.calls.append(("GET", path, query))
        if path.endswith("/packages/jobs"):
            return self.pages[min(query["start"] // imports.JOB_PAGE, len(self.pages) - 1)]
        return self.details.get(path.rsplit("/", 1)[-1])

    def post(self, path, json=None, **kw):
        self.calls.append(("POST", path, json))
        answer = self.post_answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def put(self, path, json=None, **kw):
        self.calls.append(("PUT", path, json))
        return self.post_answers.pop(0)


PKG = {"id": "a" * 32, "name": "rel-1", "sourceSandbox": {"name": "dev"}}


def job(jid, target="prod", package_id=PKG["id"], **kw):
    j = dict(dict(id=jid, targetSandbox=target, jobStatus="SUCCESS", requestType="IMPORT"), **kw)
    if package_id:
        j["packageId"] = package_id
    return j


def test_job_matches_on_package_and_target():
    assert imports.job_matches(job("1"), PKG["id"], "prod")
    assert imports.job_matches(job("1", target="PROD"), PKG["id"], "prod")
    assert not imports.job_matches(job("1", target="dev"), PKG["id"], "prod")
    assert not imports.job_matches(job("1", package_id="b" * 32), PKG["id"], "prod")


def test_job_without_package_id_matches_on_name_and_source():
    legacy = job("1", package_id=None, name="rel-1", sourceSandBox="dev")
    assert not imports.job_matches(legacy, PKG["id"], "prod")  # package unknown: no match
    assert imports.job_matches(legacy, PKG["id"], "prod", PKG)
    assert imports.job_matches(dict(legacy, name="my import"), PKG["id"], "prod", PKG, ["my import"])
    assert not imports.job_matches(dict(legacy, sourceSandBox="qa"), PKG["id"], "prod", PKG)
    assert not imports.job_matches(dict(legacy, name="other"), PKG["id"], "prod", PKG)


def test_iter_jobs_follows_pages_and_stops_early():
    pages = [{"hasNextPage": True, "data": [job(str(i)) for i in range(50)]},
             {"hasNextPage": False, "data": [job("50")]}]
    client = Client(pages)
    it = imports.iter_jobs(client, ["requestType==IMPORT"])
    assert next(it)["id"] == "0"
    assert len(client.calls) == 1  # lazy: the second page is not read yet
    assert [j["id"] for j in it][-1] == "50"
    assert [c[2]["start"] for c in client.calls] == [0, 50]
    assert client.calls[0][2]["property"] == ["requestType==IMPORT"]


def test_iter_jobs_stops_when_the_server_ignores_paging():
    page = {"hasNextPage": True, "data": [job("1")]}

    class Same(Client):
        def get(self, path, query=None, **kw):
            self.calls.append(("GET", path, query))
            return page

    client = Same([])
    assert [j["id"] for j in imports.iter_jobs(client, [])] == ["1"]
    assert len(client.calls) == 2 and client.warnings


def test_find_successful_import_returns_the_job_detail():
    detail = dict(job("j1"), completedTasks=[{"taskStatus": "SUCCESS", "artifact": {"id": "x", "newId": "y"}}])
    client = Client([{"data": [job("j0", target="qa"), job("j1")]}], {"j1": detail})
    found = imports.find_successful_import(client, PKG["id"], "prod", lambda: pytest.fail("package read"))
    assert found is detail
    assert [c[1].rsplit("/", 1)[-1] for c in client.calls] == ["jobs", "j1"]
    assert client.calls[0][2]["property"] == ["requestType==IMPORT", "jobStatus==SUCCESS"]


def test_find_successful_import_strict_skips_jobs_hiding_errors():
    bad = dict(job("j1"), completedTasks=[{"taskStatus": "FAILED", "artifact": {"id": "s", "messages": [
        {"status": "FAILED", "message": "boom"}]}}])
    client = Client([{"data": [job("j1")]}], {"j1": bad})
    assert imports.find_successful_import(client, PKG["id"], "prod", lambda: PKG, strict=True) is None
    assert "artifact error" in client.warnings[0]
    client = Client([{"data": [job("j1")]}], {"j1": bad})
    assert imports.find_successful_import(client, PKG["id"], "prod", lambda: PKG, strict=False) is bad


def test_find_successful_import_reads_the_package_only_for_jobs_without_package_id():
    loads = []
    legacy = job("j1", package_id=None, name="rel-1", sourceSandBox="dev")
    client = Client([{"data": [legacy]}], {"j1": legacy})
    assert imports.find_successful_import(client, PKG["id"], "prod", lambda: loads.append(1) or PKG) is legacy
    assert loads == [1]


# -- submission that may have reached the server ----------------------------------------------

BODY = {"id": PKG["id"], "name": "rel-1"}


def test_submit_returns_the_job_id():
    client = Client([], post=[{"jobId": "new"}])
    assert imports.submit_once(client, BODY, PKG, "prod", [], []) == ("new", {"jobId": "new"}, [])


def test_submit_falls_back_to_put():
    client = Client([], post=[api_error(405, "POST"), {"jobId": "new"}])
    job_id, answer, warnings = imports.submit_once(client, BODY, PKG, "prod", [], [])
    assert job_id == "new" and [c[0] for c in client.calls] == ["POST", "PUT"]


def test_lost_answer_follows_the_job_it_created():
    lost = AepConnectionError("POST", "/packages/import", "read timed out", kind="timeout")
    client = Client([{"data": [job("old", jobStatus="FAILED"), job("new", jobStatus="PENDING")]}], post=[lost])
    job_id, answer, warnings = imports.submit_once(client, BODY, PKG, "prod", [], ["old"])
    assert job_id == "new" and answer is None and "created job new" in warnings[0]
    assert [c[0] for c in client.calls] == ["POST", "GET"]
    assert client.calls[1][2]["property"] == ["requestType==IMPORT"]


def test_lost_answer_without_new_job_submits_once_more():
    lost = AepConnectionError("POST", "/packages/import", "connection reset", kind="connection")
    client = Client([{"data": [job("old")]}], post=[lost, {"jobId": "second"}])
    job_id, answer, warnings = imports.submit_once(client, BODY, PKG, "prod", [], ["old"])
    assert job_id == "second" and [c[0] for c in client.calls] == ["POST", "GET", "POST"]
    assert "submitted it again" in warnings[0]


def test_tls_error_is_not_retried():
    client = Client([], post=[AepConnectionError("POST", "/packages/import", "bad cert", kind="tls")])
    with pytest.raises(AepConnectionError):
        imports.submit_once(client, BODY, PKG, "prod", [], [])
    assert [c[0] for c in client.calls] == ["POST"]


def test_running_keeps_unfinished_jobs():
    jobs = [job("1", jobStatus="PENDING"), job("2", jobStatus="IN_PROGRESS"), job("3", jobStatus="FAILED"), job("4")]
    assert [j["id"] for j in imports.running(jobs)] == ["1", "2"]
