"""Handshakes, private and public transfers, org isolation."""
import requests

from aep_simulator.testing import running_simulator
from conftest import DEV_ORG, EXIM, PROD_ORG, Api, demo_artifacts
from sim_helpers import demo_config, poll, published_package, wait_job, write_state


def link(dev, prod):
    r = dev.post(EXIM + "/handshake/bulkCreate", json={
        "targetIMSOrgIds": [PROD_ORG], "sourceIMSDetails": {"id": DEV_ORG, "name": "Acme Dev Org"}})
    assert r.status_code == 201, r.text
    req = r.json()["successfulRequests"][PROD_ORG]
    r = prod.post(EXIM + "/handshake/action", json={
        "linkingID": req["linkingId"], "status": "APPROVED", "reason": "ok",
        "targetIMSOrgDetails": {"id": PROD_ORG, "name": "Acme Prod Org", "region": "va6"}})
    assert r.status_code == 201, r.text
    return r.json()


def test_handshake_lifecycle(api, prod_api):
    r = api.post(EXIM + "/handshake/bulkCreate", json={
        "targetIMSOrgIds": [PROD_ORG, "NOPE@AdobeOrg", DEV_ORG],
        "sourceIMSDetails": {"id": DEV_ORG, "name": "Acme Dev Org"}})
    assert r.status_code == 201
    body = r.json()
    req = body["successfulRequests"][PROD_ORG]
    assert req["status"] == "APPROVAL_PENDING" and len(req["linkingId"]) == 32
    assert req["sourceIMSOrgId"] == DEV_ORG and req["targetIMSOrgId"] == PROD_ORG and req["sourceRegion"] == "va7"
    assert set(body["failedRequests"]) == {"NOPE@AdobeOrg", DEV_ORG}
    assert "reason" in body["failedRequests"]["NOPE@AdobeOrg"]
    # a second request while one is pending is refused
    again = api.post(EXIM + "/handshake/bulkCreate", json={
        "targetIMSOrgIds": [PROD_ORG], "sourceIMSDetails": {"id": DEV_ORG, "name": "x"}}).json()
    assert PROD_ORG in again["failedRequests"] and not again["successfulRequests"]
    # seen as OUTGOING by the source, INCOMING by the target
    out = api.get(EXIM + "/handshake/list", params={"requestType": "OUTGOING"}).json()
    inc = prod_api.get(EXIM + "/handshake/list", params={"requestType": "INCOMING"}).json()
    assert out["totalElements"] == 1 and inc["totalElements"] == 1
    assert api.get(EXIM + "/handshake/list", params={"requestType": "INCOMING"}).json()["totalElements"] == 0
    assert "nextPage" in out and out["data"][0]["linkingId"] == req["linkingId"]
    pend = prod_api.get(EXIM + "/handshake/list", params={"requestType": "INCOMING",
                                                          "property": "status==IN_PROGRESS"}).json()
    assert pend["totalElements"] == 1 and pend["data"][0]["status"] == "APPROVAL_PENDING"
    # only the target can act
    action = {"linkingID": req["linkingId"], "status": "APPROVED", "reason": "Done",
              "targetIMSOrgDetails": {"id": PROD_ORG, "name": "Acme Prod Org", "region": "va6"}}
    assert api.post(EXIM + "/handshake/action", json=action).status_code == 403
    r = prod_api.post(EXIM + "/handshake/action", json=action)
    assert r.status_code == 201 and r.json()["status"] == "APPROVED" and r.json()["targetRegion"] == "va6"
    assert '"action":"APPROVED"' in r.json()["statusHistory"]
    assert prod_api.post(EXIM + "/handshake/action", json=action).status_code == 400
    appr = prod_api.get(EXIM + "/handshake/list", params={"requestType": "INCOMING",
                                                          "property": "status==APPROVED"}).json()
    assert appr["totalElements"] == 1
    assert prod_api.get(EXIM + "/handshake/list", params={"requestType": "INCOMING",
                                                          "property": "status==REJECTED"}).json()["totalElements"] == 0


def test_handshake_reject(api, prod_api):
    r = api.post(EXIM + "/handshake/bulkCreate", json={"targetIMSOrgIds": [PROD_ORG],
                                                       "sourceIMSDetails": {"id": DEV_ORG, "name": "d"}})
    lid = r.json()["successfulRequests"][PROD_ORG]["linkingId"]
    r = prod_api.post(EXIM + "/handshake/action", json={
        "linkingID": lid, "status": "REJECTED", "reason": "no",
        "targetIMSOrgDetails": {"id": PROD_ORG, "name": "Acme Prod Org", "region": "va6"}})
    assert r.json()["status"] == "REJECTED"
    # after a rejection a new request can be sent
    r = api.post(EXIM + "/handshake/bulkCreate", json={"targetIMSOrgIds": [PROD_ORG],
                                                       "sourceIMSDetails": {"id": DEV_ORG, "name": "d"}})
    assert PROD_ORG in r.json()["successfulRequests"]


def test_private_transfer_needs_approved_link(api, prod_api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Gold Tier Members"], name="share-me")
    r = api.post(EXIM + "/transfer", json={"packageId": pid, "targets": [{"imsOrgId": PROD_ORG}]})
    assert r.status_code == 400 and PROD_ORG in r.json()["detail"]
    link(api, prod_api)
    r = api.post(EXIM + "/transfer", json={"packageId": pid, "targets": [{"imsOrgId": PROD_ORG}]})
    assert r.status_code == 201
    t = r.json()[0]
    assert t["status"] == "PENDING" and t["requestType"] == "PRIVATE" and len(t["id"]) == 32
    done = poll(lambda: api.get(EXIM + "/transfer/" + t["id"]).json(),
                lambda x: x["status"] in ("COMPLETED", "FAILED"))
    assert done["status"] == "COMPLETED" and done["packageName"] == "share-me"
    assert prod_api.get(EXIM + "/transfer/" + t["id"]).status_code == 200
    copy_id = done["targetPackageId"]
    copy = prod_api.get(EXIM + "/packages/" + copy_id).json()
    assert copy["status"] == "PUBLISHED" and copy["name"] == "share-me" and copy["imsOrgId"] == PROD_ORG
    # the dev org can't see the copy
    assert api.get(EXIM + "/packages/" + copy_id).status_code == 404
    lst = prod_api.get(EXIM + "/transfer/list", params={"requestType": "PRIVATE",
                                                        "property": "status==COMPLETED"}).json()
    assert lst["totalElements"] == 1 and lst["data"][0]["completedTime"] >= lst["data"][0]["createdDate"]
    # the target imports the copy into its prod sandbox: conflicts ranked exact title first
    conf = prod_api.get(EXIM + "/packages/%s/import" % copy_id, params={"targetSandbox": "prod"}).json()
    by_title = {c["artifact"]["title"]: c for c in conf}
    assert [s["title"] for s in by_title["Loyalty Member"]["suggestionList"]] == [
        "Loyalty Member", "Loyalty Members (legacy)"]
    assert {"Loyalty Details", "Gold Tier Members", "Loyalty ID"} <= set(by_title)
    r = prod_api.post(EXIM + "/packages/import", json={"id": copy_id, "destinationSandbox": {"name": "prod", "imsOrgId": PROD_ORG}})
    job = wait_job(prod_api, r.json()["jobId"])
    assert job["jobStatus"] == "SUCCESS"
    new_ids = list(job["importReplacementMap"].values())
    assert all(i.startswith("https://ns.adobe.com/acmeprod/") for i in new_ids if i.startswith("https"))


def test_transfer_failure_flag(tmp_path):
    cfg = demo_config()
    cfg["settings"]["fail_transfer_packages"] = ["doomed"]
    with running_simulator(write_state(tmp_path, cfg), job_delay=0.02) as url:
        dev, prod = Api(url, "dev", "dev"), Api(url, "prod", "prod")
        link(dev, prod)
        pid = published_package(dev, demo_artifacts(url), ["Loyalty ID"], name="doomed")
        t = dev.post(EXIM + "/transfer", json={"packageId": pid, "targets": [{"imsOrgId": PROD_ORG}]}).json()[0]
        done = poll(lambda: dev.get(EXIM + "/transfer/" + t["id"]).json(),
                    lambda x: x["status"] in ("COMPLETED", "FAILED"))
        assert done["status"] == "FAILED"
        assert prod.get(EXIM + "/packages").json()["totalElements"] == 0


def test_public_pull(api, prod_api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Email Marketing Consent"], name="public-pkg")
    # not public yet
    r = prod_api.post(EXIM + "/transfer/pullRequest", json={"imsOrgId": DEV_ORG, "packageId": pid})
    assert r.status_code == 400
    r = api.put(EXIM + "/packages", json={"id": pid, "action": "UPDATE", "packageVisibility": "PUBLIC"})
    assert r.status_code == 201 and r.json()["packageVisibility"] == "PUBLIC"
    assert api.get(EXIM + "/packages/" + pid).json()["packageVisibility"] == "public"
    # the spec's path works too
    assert api.put(EXIM + "/packages/update", json={"id": pid, "action": "UPDATE",
                                                    "packageVisibility": "PUBLIC"}).status_code == 202
    assert prod_api.get(EXIM + "/packages/payload/" + pid).json() == {"imsOrgId": DEV_ORG, "packageId": pid}
    r = prod_api.post(EXIM + "/transfer/pullRequest", json={"imsOrgId": DEV_ORG, "packageId": pid})
    assert r.status_code == 201 and r.json()["requestType"] == "PUBLIC" and r.json()["status"] == "PENDING"
    tid = r.json()["id"]
    done = poll(lambda: prod_api.get(EXIM + "/transfer/" + tid).json(),
                lambda x: x["status"] == "COMPLETED")
    assert prod_api.get(EXIM + "/packages/" + done["targetPackageId"]).json()["name"] == "public-pkg"
    assert api.get(EXIM + "/transfer/list", params={"requestType": "PUBLIC"}).json()["totalElements"] == 1


def test_org_isolation_everywhere(api, prod_api, sim):
    arts = demo_artifacts(sim)
    pid = published_package(api, arts, ["Loyalty ID"])
    jid = api.get(EXIM + "/packages/jobs").json()["data"][0]["id"]
    assert prod_api.get(EXIM + "/tools/job/" + jid).status_code == 404
    assert prod_api.get(EXIM + "/packages/jobs").json()["totalElements"] == 0
    assert prod_api.get(EXIM + "/packages/%s/import" % pid, params={"targetSandbox": "prod"}).status_code == 404
    assert prod_api.post(EXIM + "/packages/import", json={"id": pid, "destinationSandbox": {
        "name": "prod", "imsOrgId": PROD_ORG}}).status_code == 404
    assert prod_api.post(EXIM + "/transfer", json={"packageId": pid, "targets": [{"imsOrgId": DEV_ORG}]}).status_code == 404
    assert requests.get(sim + "/__sim/state").json()["orgs"][0]["id"] == DEV_ORG
