"""Package lifecycle, lists and paging."""
import requests

from conftest import DEV_ORG, EXIM, demo_artifacts, wait_until


def art(arts, title):
    a = arts[title]
    return {"id": a["id"], "type": a["type"], "title": a["title"]}


def create(api, name, artifacts, **kw):
    body = {"name": name, "description": kw.pop("description", "d"), "packageType": kw.pop("packageType", "PARTIAL"),
            "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG}, "artifacts": artifacts}
    body.update(kw)
    return api.post(EXIM + "/packages", json=body)


def publish(api, pid):
    r = api.get(EXIM + "/packages/%s/export" % pid)
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(api, pid, *statuses):
    return wait_until(lambda: api.get(EXIM + "/packages/" + pid).json()["status"] in statuses and
                      api.get(EXIM + "/packages/" + pid).json())


def test_create_update_publish_lifecycle(api, sim):
    arts = demo_artifacts(sim)
    r = create(api, "acme", [art(arts, "Gold Tier Members")], expiry="2030-05-20T20:05:10Z")
    assert r.status_code == 201
    p = r.json()
    assert p["status"] == "DRAFT" and len(p["id"]) == 32 and p["expiry"] == 1905537910000
    assert isinstance(p["createdDate"], int) and p["createdDate"] > 1600000000000
    assert p["artifactsList"][0]["type"] == "PROFILE_SEGMENT"
    pid = p["id"]
    # duplicate name refused
    assert create(api, "acme", []).status_code == 400
    # ADD (deduplicated), DELETE, UPDATE
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "ADD", "artifacts": [
        art(arts, "Gold Welcome Journey"), art(arts, "Gold Tier Members")]})
    assert r.status_code == 201 and len(r.json()["artifactsList"]) == 2
    assert r.json()["version"] == 1
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "DELETE", "artifacts": [
        {"id": arts["Gold Tier Members"]["id"], "type": "PROFILE_SEGMENT"}]})
    assert [a["type"] for a in r.json()["artifactsList"]] == ["JOURNEY"]
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "UPDATE", "name": "acme2",
                                          "description": "new", "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG}})
    assert r.status_code == 201 and r.json()["name"] == "acme2" and r.json()["description"] == "new"
    create(api, "taken", [])
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "UPDATE", "name": "taken",
                                          "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG}})
    assert r.status_code == 400
    # publish
    out = publish(api, pid)
    assert len(out["jobId"]) == 32 and out["type"] == "PARTIAL"
    assert api.get(EXIM + "/packages/" + pid).json()["status"] in ("PUBLISH_IN_PROGRESS", "PUBLISHED")
    p = wait_status(api, pid, "PUBLISHED")
    assert p["publishDate"] >= p["createdDate"]
    # immutable once published
    for action in ("ADD", "DELETE", "UPDATE"):
        r = api.put(EXIM + "/packages", json={"id": pid, "action": action, "name": "x", "artifacts": [
            art(arts, "Lapsed Buyers")], "sourceSandbox": {"name": "dev"}})
        assert r.status_code == 400, action
        assert r.json()["status"] == 400 and r.json()["type"].startswith("https://ns.adobe.com/aep/errors/")
    assert api.get(EXIM + "/packages/%s/export" % pid).status_code == 400
    # export job recorded
    job = api.get(EXIM + "/tools/job/" + out["jobId"]).json()["object"]
    assert job["requestType"] == "EXPORT" and job["jobStatus"] == "SUCCESS"


def test_publish_failed_when_artifact_missing(api, sim):
    r = create(api, "broken", [{"id": "00000000-0000-0000-0000-000000000000", "type": "JOURNEY", "title": "Ghost"}])
    pid = r.json()["id"]
    jid = publish(api, pid)["jobId"]
    p = wait_status(api, pid, "PUBLISHED", "PUBLISH_FAILED")
    assert p["status"] == "PUBLISH_FAILED"
    assert api.get(EXIM + "/tools/job/" + jid).json()["object"]["jobStatus"] == "FAILED"


def test_full_package_rules(api, sim):
    arts = demo_artifacts(sim)
    assert create(api, "full", [art(arts, "Loyalty ID")], packageType="FULL").status_code == 400
    pid = create(api, "full", None, packageType="FULL").json()["id"]
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "ADD", "artifacts": [art(arts, "Loyalty ID")]})
    assert r.status_code == 400
    publish(api, pid)
    p = wait_status(api, pid, "PUBLISHED")
    assert len(p["artifactsList"]) == len(arts)


def test_get_delete_trailing_slash_and_404(api, sim):
    pid = create(api, "del-me", []).json()["id"]
    assert api.get(EXIM + "/packages/%s/" % pid).status_code == 200
    r = api.req("DELETE", EXIM + "/packages/" + pid)
    assert r.status_code == 200 and r.json() == {"reason": "Package %s deleted" % pid}
    r = api.get(EXIM + "/packages/" + pid)
    assert r.status_code == 404 and r.json()["status"] == 404
    assert api.post(EXIM + "/packages/", json={"name": "slash", "packageType": "PARTIAL"}).status_code == 201


def test_list_filters_paging_order(api, sim):
    arts = demo_artifacts(sim)
    ids = []
    for i in range(5):
        ids.append(create(api, "pkg-%d" % i, [art(arts, "Loyalty ID")]).json()["id"])
    publish(api, ids[0])
    wait_status(api, ids[0], "PUBLISHED")
    r = api.get(EXIM + "/packages", params={"limit": 2, "start": 0, "orderby": "createdDate"}).json()
    assert r["totalElements"] == 5 and r["totalPages"] == 3 and r["hasNextPage"] and not r["hasPreviousPage"]
    assert [p["name"] for p in r["data"]] == ["pkg-0", "pkg-1"]
    r = api.get(EXIM + "/packages", params={"limit": 2, "start": 4, "orderby": "createdDate"}).json()
    assert [p["name"] for p in r["data"]] == ["pkg-4"] and not r["hasNextPage"] and r["hasPreviousPage"]
    r = api.get(EXIM + "/packages", params={"orderby": "-createdDate"}).json()
    assert r["data"][0]["name"] == "pkg-4"
    # comma = OR
    r = api.get(EXIM + "/packages", params={"property": "status==DRAFT,PUBLISHED"}).json()
    assert r["totalElements"] == 5
    r = api.get(EXIM + "/packages", params={"property": "status==PUBLISHED"}).json()
    assert [p["id"] for p in r["data"]] == [ids[0]]
    # repeated = AND
    r = api.get(EXIM + "/packages", params=[("property", "status==DRAFT,PUBLISHED"), ("property", "name==pkg-3")]).json()
    assert [p["name"] for p in r["data"]] == ["pkg-3"]
    r = api.get(EXIM + "/packages", params=[("property", "createdDate>=2000-01-01T00:00:00Z"),
                                            ("property", "createdDate<=2000-01-02T00:00:00Z")]).json()
    assert r["totalElements"] == 0
    r = api.get(EXIM + "/packages", params={"property": "createdDate>=2000-01-01T00:00:00.000Z"}).json()
    assert r["totalElements"] == 5
    assert api.get(EXIM + "/packages", params={"limit": "x"}).status_code == 400


def test_children_walks_graph(api, sim):
    arts = demo_artifacts(sim)
    pid = create(api, "kids", [art(arts, "Loyalty CRM SFTP Dataflow")]).json()["id"]
    r = api.post(EXIM + "/packages/%s/children" % pid, json=[
        {"id": arts["Loyalty CRM SFTP Dataflow"]["id"], "type": "FLOW"}])
    assert r.status_code == 201
    out = {x["title"]: x for x in r.json()}
    assert out["Loyalty CRM SFTP Dataflow"]["children"] and {c["title"] for c in out[
        "Loyalty CRM SFTP Dataflow"]["children"]} == {"Loyalty Members Dataset", "Loyalty CSV Mapping"}
    # the walk reaches the class at the bottom of the graph
    assert out["Loyalty Member"]["children"] == []
    assert out["Loyalty Members Schema"]["type"] == "REGISTRY_SCHEMA"


def test_packages_are_org_isolated(api, prod_api, sim):
    pid = create(api, "mine", []).json()["id"]
    assert prod_api.get(EXIM + "/packages/" + pid).status_code == 404
    assert prod_api.get(EXIM + "/packages").json()["totalElements"] == 0
    assert prod_api.req("DELETE", EXIM + "/packages/" + pid).status_code == 404
    # same name is fine in another org
    assert prod_api.post(EXIM + "/packages", json={"name": "mine", "packageType": "PARTIAL"}).status_code == 201
    st = requests.get(sim + "/__sim/state").json()
    assert len(st["packages"]) == 2


def test_job_list_fields_and_filters(api, sim):
    arts = demo_artifacts(sim)
    pid = create(api, "jobs", [art(arts, "Loyalty ID")]).json()["id"]
    publish(api, pid)
    wait_status(api, pid, "PUBLISHED")
    r = api.get(EXIM + "/packages/jobs", params=[("property", "requestType==EXPORT"),
                                                 ("property", "jobStatus==SUCCESS")]).json()
    assert r["totalElements"] == 1
    j = r["data"][0]
    for k in ("id", "name", "updated", "created", "jobType", "packageType", "description", "jobStatus",
              "visibility", "sourceSandBox", "targetSandbox", "createdBy", "packageId", "requestType"):
        assert k in j
    assert j["packageId"] == pid
    assert api.get(EXIM + "/packages/jobs", params={"property": "requestType==IMPORT"}).json()["totalElements"] == 0
