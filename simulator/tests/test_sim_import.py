"""Conflicts, preflight, import jobs."""
import requests

from aep_simulator.testing import running_simulator
from conftest import DEV_ORG, EXIM, PROD_ORG, Api, demo_artifacts
from sim_helpers import demo_config, published_package, wait_job, write_state


def test_conflicts_and_ranked_suggestions(api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Gold Tier Members"])
    r = api.get(EXIM + "/packages/%s/import" % pid, params={"targetSandbox": "prod"})
    assert r.status_code == 200
    conflicts = {c["artifact"]["title"]: c for c in r.json()}
    # Gold Tier Members depends on the schema (-> class, mixins, datatype) and the namespace
    assert set(conflicts) == {"Loyalty Member", "Postal Address Details", "Loyalty ID"}
    c = conflicts["Loyalty Member"]
    assert c["artifact"]["id"] == arts["Loyalty Member"]["id"]
    assert c["artifact"]["messages"][0]["status"] == "FOUND"
    assert c["suggestionList"][0]["title"] == "Loyalty Member"
    assert c["parentID"].startswith(DEV_ORG + "::dev::PROFILE_SEGMENT::")
    # missing / unknown target sandbox
    assert api.get(EXIM + "/packages/%s/import" % pid).status_code == 400
    assert api.get(EXIM + "/packages/%s/import" % pid, params={"targetSandbox": "nope"}).status_code == 400


def test_conflicts_need_published_package(api, sim):
    arts = demo_artifacts(sim)
    r = api.post(EXIM + "/packages", json={"name": "draft", "packageType": "PARTIAL", "artifacts": [
        {"id": arts["Loyalty ID"]["id"], "type": "ID_NAMESPACE"}]})
    pid = r.json()["id"]
    assert api.get(EXIM + "/packages/%s/import" % pid, params={"targetSandbox": "prod"}).status_code == 400
    r = api.post(EXIM + "/packages/import", json={"id": pid, "destinationSandbox": {"name": "prod", "imsOrgId": DEV_ORG}})
    assert r.status_code == 400


def test_import_creates_in_dependency_order_with_alternatives(api, sim):
    arts = demo_artifacts(sim)
    prod = demo_artifacts(sim, DEV_ORG, "prod")
    pid = published_package(api, arts, ["Gold Welcome Journey"])
    alt_class = prod["Loyalty Member"]["id"]
    r = api.post(EXIM + "/packages/import", json={
        "id": pid, "name": "imp", "description": "first import",
        "destinationSandbox": {"name": "prod", "imsOrgId": DEV_ORG},
        "alternatives": {arts["Loyalty Member"]["id"]: {"id": alt_class, "type": "REGISTRY_CLASS"}}})
    assert r.status_code == 200, r.text
    jid = r.json()["jobId"]
    job = wait_job(api, jid)
    assert job["jobStatus"] == "SUCCESS" and job["requestType"] == "IMPORT"
    assert job["destinationSandbox"]["name"] == "prod" and job["packageId"] == pid
    tasks = job["completedTasks"]
    order = [t["artifact"]["title"] for t in tasks]
    # dependencies come before dependents
    assert order.index("Loyalty Member") < order.index("Loyalty Members Schema") < order.index(
        "Gold Tier Members") < order.index("Gold Welcome Journey")
    status = {t["artifact"]["title"]: t["artifact"]["messages"][0]["status"] for t in tasks}
    assert status["Loyalty Member"] == "FOUND"
    assert status["Gold Welcome Journey"] == "CREATED"
    rmap = job["importReplacementMap"]
    assert rmap[arts["Loyalty Member"]["id"]] == alt_class
    new_schema = rmap[arts["Loyalty Members Schema"]["id"]]
    assert new_schema != arts["Loyalty Members Schema"]["id"]
    assert new_schema.startswith("https://ns.adobe.com/acmedev/schemas/")
    after = {a["id"]: a for a in requests.get(sim + "/__sim/state").json()["artifacts"][DEV_ORG]["prod"]}
    # the new schema points at the alternative class, not at a copy
    assert alt_class in after[new_schema]["dependencies"]
    assert len(after) == len(prod) + len(tasks) - 1
    # a second import of the same package changes nothing
    jid2 = api.put(EXIM + "/packages/import", json={
        "id": pid, "destinationSandbox": {"name": "prod", "imsOrgId": DEV_ORG},
        "alternatives": {arts["Loyalty Member"]["id"]: {"id": alt_class, "type": "REGISTRY_CLASS"}}})
    assert jid2.status_code == 202
    job2 = wait_job(api, jid2.json()["jobId"])
    st2 = {t["artifact"]["messages"][0]["status"] for t in job2["completedTasks"]}
    assert st2 == {"NO_CHANGE", "FOUND"}
    jobs = api.get(EXIM + "/packages/jobs", params={"property": "requestType==IMPORT"}).json()
    assert jobs["totalElements"] == 2
    assert {j["targetSandbox"] for j in jobs["data"]} == {"prod"}


def test_import_into_foreign_org_refused(api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Loyalty ID"])
    r = api.post(EXIM + "/packages/import", json={"id": pid, "destinationSandbox": {"name": "prod", "imsOrgId": PROD_ORG}})
    assert r.status_code == 400


def test_preflight_both_paths_and_missing_permissions(sim):
    dev_api = Api(sim, "prod", "dev")
    arts = demo_artifacts(sim, PROD_ORG, "dev")
    assert "CRM ID" in arts
    pid = published_package(dev_api, arts, ["CRM ID"], org=PROD_ORG)
    for path in ("/packages/preflight/%s", "/packages/preflight/%s/export"):
        r = dev_api.get(EXIM + path % pid, params={"targetSandbox": "prod"})
        assert r.status_code == 200
        body = r.json()
        assert body["packageID"] == pid and body["targetSandboxName"] == "prod"
        assert body["permissionResponse"][0]["creationAllowed"] is True


def limited_state(tmp_path):
    cfg = demo_config()
    for o in cfg["orgs"]:
        if o["id"] == PROD_ORG:
            dev = [s for s in o["sandboxes"] if s["name"] == "dev"][0]
            dev["artifacts"].append({"id": "5b1f0a2e-0000-4000-8000-000000000001", "type": "PROFILE_SEGMENT",
                                     "title": "High Value Shoppers", "dependencies": ["c9307cea-52eb-e23a-8440-02660bd96653"]})
            dev["artifacts"].append({"id": "5b1f0a2e-0000-4000-8000-000000000002", "type": "JOURNEY",
                                     "title": "Broken Journey", "import_error": "Journey references an unknown action"})
    return write_state(tmp_path, cfg)


def test_limited_client_preflight_and_embedded_errors(tmp_path):
    with running_simulator(limited_state(tmp_path), job_delay=0.02) as url:
        api = Api(url, "limited", "dev")
        arts = demo_artifacts(url, PROD_ORG, "dev")
        pid = published_package(api, arts, ["High Value Shoppers", "Broken Journey"], org=PROD_ORG)
        pf = api.get(EXIM + "/packages/preflight/%s" % pid, params={"targetSandbox": "prod"}).json()
        seg = [p for p in pf["permissionResponse"] if p["artifactType"] == "PROFILE_SEGMENT"][0]
        assert seg["creationAllowed"] is False
        assert seg["missingPermissions"]["resources"] == [
            {"palmResourceType": "Segment", "resourcePermissions": ["write", "delete"]}]
        ns = [p for p in pf["permissionResponse"] if p["artifactType"] == "ID_NAMESPACE"][0]
        assert ns["creationAllowed"] is True and ns["missingPermissions"]["resources"] == []
        # into dev (full rights) everything is allowed
        pf = api.get(EXIM + "/packages/preflight/%s" % pid, params={"targetSandbox": "dev"}).json()
        assert all(p["creationAllowed"] for p in pf["permissionResponse"])
        r = api.post(EXIM + "/packages/import", json={"id": pid, "destinationSandbox": {"name": "prod", "imsOrgId": PROD_ORG}})
        job = wait_job(api, r.json()["jobId"])
        assert job["jobStatus"] == "SUCCESS"  # like Adobe: the errors are inside the tasks
        msgs = {t["artifact"]["title"]: t["artifact"]["messages"][0] for t in job["completedTasks"]}
        assert msgs["High Value Shoppers"]["status"] == "FAILED" and "Segment" in msgs["High Value Shoppers"]["message"]
        assert msgs["Broken Journey"]["status"] == "FAILED"
        assert msgs["Broken Journey"]["message"] == "Journey references an unknown action"
        assert msgs["CRM ID"]["status"] in ("CREATED", "NO_CHANGE")
        assert arts["High Value Shoppers"]["id"] not in job["importReplacementMap"]


def test_alternative_that_does_not_exist_is_an_embedded_error(api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Loyalty ID"])
    r = api.post(EXIM + "/packages/import", json={
        "id": pid, "destinationSandbox": {"name": "prod", "imsOrgId": DEV_ORG},
        "alternatives": {arts["Loyalty ID"]["id"]: {"id": "nope", "type": "ID_NAMESPACE"}}})
    job = wait_job(api, r.json()["jobId"])
    assert job["completedTasks"][0]["artifact"]["messages"][0]["status"] == "FAILED"
    assert job["jobStatus"] == "FAILED"
