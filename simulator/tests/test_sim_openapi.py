"""Validate the simulator's answers against Adobe's own OpenAPI spec (sandbox.yaml) with openapi-core.

The spec's known defects (API_NOTES.md) are tolerated by patching them in memory before validation:
- ``/packages/update`` and ``/packages/{packageID}/export`` reference ``'/#components/responses/Forbidden'``
  (a broken $ref) -> rewritten to ``'#/components/responses/Forbidden'``;
- ``PackageResponse.packageVisibility`` carries a mis-indented ``schemaMapping`` keyword (found while
  writing this test, not listed in API_NOTES.md) -> moved to ``PackageResponse.properties``;
- ``/packages/{packageID}/children`` points its 201 answer at ``CreatePackageResponse`` although the
  answer is a list of dependent objects -> rewritten to ``DependentObjectsResponse``.
- ``PUT /packages`` answers ``oneOf`` three identical schemas, which no answer can satisfy (found while
  writing this test) -> read as ``anyOf``.
Everything else is validated as published.
"""
import copy
import os

import pytest
import requests
import yaml

from conftest import DEV_ORG, EXIM, PROD_ORG, SPEC_PATH, Api, demo_artifacts, wait_until
from sim_helpers import published_package, wait_job

openapi_core = pytest.importorskip("openapi_core")
from openapi_core import OpenAPI  # noqa: E402
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse  # noqa: E402

# Outside CI (e.g. a user's copy without ../shared) the spec may be absent; in CI it must be there.
pytestmark = pytest.mark.skipif(not os.path.exists(SPEC_PATH) and not os.environ.get("CI"),
                                reason="sandbox.yaml not found (set AEP_SANDBOX_SPEC)")

SPEC_DEFECTS = []


def load_spec(base):
    with open(SPEC_PATH) as fh:
        spec = yaml.safe_load(fh)
    spec = copy.deepcopy(spec)

    def fix(node, path):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k == "$ref" and isinstance(v, str) and v.startswith("/#"):
                    node[k] = "#/" + v[2:]
                    SPEC_DEFECTS.append("%s: broken $ref %s" % (path, v))
                else:
                    fix(v, path + "/" + str(k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                fix(v, path + "/" + str(i))
    fix(spec["paths"], "")
    kids = spec["paths"]["/exim/packages/{packageID}/children"]["post"]["responses"]["201"]
    schema = kids["content"]["application/json"]["schema"]
    if schema.get("$ref", "").endswith("/CreatePackageResponse"):
        schema["$ref"] = "#/components/schemas/DependentObjectsResponse"
        SPEC_DEFECTS.append("/children: wrong response schema")
    # Not in API_NOTES.md: PackageResponse.packageVisibility has ``schemaMapping`` indented inside it
    # (an unknown keyword in a schema), which makes the whole spec invalid; move it to the properties.
    pv = spec["components"]["schemas"]["PackageResponse"]["properties"]["packageVisibility"]
    if "schemaMapping" in pv:
        spec["components"]["schemas"]["PackageResponse"]["properties"]["schemaMapping"] = pv.pop("schemaMapping")
        SPEC_DEFECTS.append("PackageResponse.packageVisibility: misplaced schemaMapping")
    # Not in API_NOTES.md either: PUT /packages answers ``oneOf`` three structurally identical schemas
    # (Add/Delete/UpdatePackageResponse), so no answer can ever match exactly one; read it as anyOf.
    put_schema = spec["paths"]["/exim/packages"]["put"]["responses"]["201"]["content"]["application/json"]["schema"]
    if "oneOf" in put_schema:
        put_schema["anyOf"] = put_schema.pop("oneOf")
        SPEC_DEFECTS.append("PUT /packages: oneOf of identical response schemas")
    spec["servers"] = [{"url": base + "/data/foundation"}]
    return OpenAPI.from_dict(spec)


class Recorder:
    def __init__(self):
        self.responses = []

    def hook(self, r, *a, **kw):
        self.responses.append(r)


def test_answers_match_sandbox_spec(sim):
    spec = load_spec(sim)
    assert len(SPEC_DEFECTS) >= 3  # the defects listed in API_NOTES.md are really there
    dev, prod = Api(sim, "dev", "dev"), Api(sim, "prod", "prod")
    rec = Recorder()
    for a in (dev, prod):
        a.s.hooks["response"].append(rec.hook)
    arts = demo_artifacts(sim)

    # sandbox management
    dev.get("/data/foundation/sandbox-management/sandboxes")
    dev.get("/data/foundation/sandbox-management/sandboxes/dev")
    # package lifecycle, spec forms
    p = dev.post(EXIM + "/packages", json={
        "name": "spec-pkg", "description": "d", "packageType": "PARTIAL",
        "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG}, "expiry": "2030-01-01T00:00:00Z",
        "artifacts": [{"id": arts["Gold Welcome Journey"]["id"], "type": "JOURNEY", "title": "Gold Welcome Journey"}]})
    assert p.status_code == 201
    pid = p.json()["id"]
    dev.put(EXIM + "/packages", json={"id": pid, "action": "ADD", "artifacts": [
        {"id": arts["Loyalty CRM SFTP Dataflow"]["id"], "type": "FLOW"}]})
    dev.put(EXIM + "/packages", json={"id": pid, "action": "DELETE", "artifacts": [
        {"id": arts["Loyalty CRM SFTP Dataflow"]["id"], "type": "FLOW"}]})
    dev.put(EXIM + "/packages", json={"id": pid, "action": "UPDATE", "name": "spec-pkg",
                                      "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG}})
    dev.get(EXIM + "/packages/" + pid)
    dev.post(EXIM + "/packages/%s/children" % pid, json=[{"id": arts["Gold Welcome Journey"]["id"], "type": "JOURNEY"}])
    r = dev.get(EXIM + "/packages/%s/export" % pid, params={"expiryPeriod": 30})
    wait_until(lambda: dev.get(EXIM + "/packages/" + pid).json()["status"] == "PUBLISHED")
    dev.get(EXIM + "/packages", params={"limit": 5, "start": 0, "orderBy": "-createdDate", "status": "PUBLISHED"})
    dev.get(EXIM + "/packages/%s/import" % pid, params={"targetSandbox": "prod"})
    dev.get(EXIM + "/packages/preflight/%s/export" % pid, params={"targetSandbox": "prod"})
    imp = dev.put(EXIM + "/packages/import", json={"id": pid, "name": "n", "description": "d",
                                                   "destinationSandbox": {"name": "prod", "imsOrgId": DEV_ORG}})
    assert imp.status_code == 202
    wait_job(dev, imp.json()["jobId"])
    dev.get(EXIM + "/tools/job/" + imp.json()["jobId"])
    dev.get(EXIM + "/tools/job/" + r.json()["jobId"])
    dev.get(EXIM + "/packages/jobs", params={"requestType": "IMPORT", "jobStatus": "SUCCESS", "limit": 5})
    dev.get(EXIM + "/packages/jobs")
    # sharing
    hs = dev.post(EXIM + "/handshake/bulkCreate", json={"targetIMSOrgIds": [PROD_ORG],
                                                        "sourceIMSDetails": {"id": DEV_ORG, "name": "Acme Dev Org"}})
    lid = hs.json()["successfulRequests"][PROD_ORG]["linkingId"]
    prod.post(EXIM + "/handshake/action", json={"linkingID": lid, "status": "APPROVED", "reason": "Done",
                                                "targetIMSOrgDetails": {"id": PROD_ORG, "name": "Acme Prod Org", "region": "va6"}})
    prod.get(EXIM + "/handshake/list", params={"requestType": "INCOMING", "property": "status==APPROVED"})
    t = dev.post(EXIM + "/transfer", json={"packageId": pid, "targets": [{"imsOrgId": PROD_ORG}]})
    tid = t.json()[0]["id"]
    wait_until(lambda: dev.get(EXIM + "/transfer/" + tid).json()["status"] == "COMPLETED")
    dev.get(EXIM + "/transfer/list", params={"requestType": "PRIVATE", "property": "status==COMPLETED"})
    dev.put(EXIM + "/packages/update", json={"id": pid, "action": "UPDATE", "packageVisibility": "PUBLIC"})
    prod.get(EXIM + "/packages/payload/" + pid)
    prod.post(EXIM + "/transfer/pullRequest", json={"imsOrgId": DEV_ORG, "packageId": pid})
    pid2 = published_package(dev, arts, ["Loyalty ID"], name="other")
    dev.req("DELETE", EXIM + "/packages/" + pid2)

    checked = set()
    errors = []
    for resp in rec.responses:
        path = requests.utils.urlparse(resp.url).path
        if not (path.startswith(EXIM) or path.startswith("/data/foundation/sandbox-management")):
            continue
        if not 200 <= resp.status_code < 300:
            continue
        oreq = RequestsOpenAPIRequest(resp.request)
        oresp = RequestsOpenAPIResponse(resp)
        try:
            spec.validate_response(oreq, oresp)
        except Exception as exc:  # noqa: BLE001 - collect every mismatch
            errors.append("%s %s -> %s: %s" % (resp.request.method, path, resp.status_code, exc))
            for sub in getattr(exc, "schema_errors", []) or getattr(getattr(exc, "__cause__", None), "schema_errors", []) or []:
                errors.append("    " + str(sub.message))
        checked.add((resp.request.method, path.replace(pid, "{id}")))
    assert not errors, "\n".join(errors)
    assert len(checked) >= 20


def test_spec_form_requests_are_valid(sim):
    """The requests the tests send in the spec's form are themselves valid against the spec."""
    spec = load_spec(sim)
    dev = Api(sim)
    r = dev.post(EXIM + "/packages", json={"name": "x", "packageType": "PARTIAL"})
    spec.validate_request(RequestsOpenAPIRequest(r.request))
    spec.validate_response(RequestsOpenAPIRequest(r.request), RequestsOpenAPIResponse(r))


def test_validator_is_not_vacuous(sim):
    """A wrong answer (string timestamp, upper-case visibility) is caught by the same validation."""
    spec = load_spec(sim)
    dev = Api(sim)
    pid = dev.post(EXIM + "/packages", json={"name": "neg", "packageType": "PARTIAL"}).json()["id"]
    r = dev.get(EXIM + "/packages/" + pid)
    spec.validate_response(RequestsOpenAPIRequest(r.request), RequestsOpenAPIResponse(r))
    import json
    bad = r.json()
    bad["createdDate"] = "yesterday"
    r._content = json.dumps(bad).encode()
    with pytest.raises(Exception):
        spec.validate_response(RequestsOpenAPIRequest(r.request), RequestsOpenAPIResponse(r))
