"""A whole cross-org promotion driven over plain HTTP (no client library)."""
import time

import requests

EXIM = "/data/foundation/exim"
DEV_ORG = "5C1328435BF324E90A49402A@AdobeOrg"
PROD_ORG = "745F37C35E4B776E0A49421B@AdobeOrg"


def token(base, cid, secret):
    r = requests.post(base + "/ims/token/v3", data={"grant_type": "client_credentials", "client_id": cid,
                                                    "client_secret": secret, "scope": "openid,AdobeID,read_organizations"})
    r.raise_for_status()
    return r.json()["access_token"]


def hdr(tok, cid, org, sandbox):
    return {"Authorization": "Bearer " + tok, "x-api-key": cid, "x-gw-ims-org-id": org,
            "x-sandbox-name": sandbox, "Content-Type": "application/json"}


def poll(fn, done, timeout=10):
    end = time.time() + timeout
    while True:
        v = fn()
        if done(v):
            return v
        assert time.time() < end, v
        time.sleep(0.02)


def test_full_promotion(sim):
    base = sim + EXIM
    d = hdr(token(sim, "acme-dev-client", "sim-secret-dev-7Qx2Lp9"), "acme-dev-client", DEV_ORG, "dev")
    p = hdr(token(sim, "acme-prod-client", "sim-secret-prod-4Wm8Rt3"), "acme-prod-client", PROD_ORG, "prod")
    state = requests.get(sim + "/__sim/state").json()
    arts = {a["title"]: a for a in state["artifacts"][DEV_ORG]["dev"]}
    wanted = ["Gold Welcome Journey", "Loyalty CRM SFTP Dataflow", "Email Marketing Consent"]

    # 1. create the package in the source org
    r = requests.post(base + "/packages", headers=d, json={
        "name": "q3-release", "description": "Loyalty programme", "packageType": "PARTIAL",
        "sourceSandbox": {"name": "dev", "imsOrgId": DEV_ORG},
        "artifacts": [{"id": arts[t]["id"], "type": arts[t]["type"], "title": t} for t in wanted]})
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    # 2. publish and wait
    job = requests.get(base + "/packages/%s/export" % pid, headers=d).json()["jobId"]
    pkg = poll(lambda: requests.get(base + "/packages/" + pid, headers=d).json(),
               lambda x: x["status"] in ("PUBLISHED", "PUBLISH_FAILED"))
    assert pkg["status"] == "PUBLISHED"
    assert requests.get(base + "/tools/job/" + job, headers=d).json()["object"]["jobStatus"] == "SUCCESS"
    # 3. handshake, approved by the target
    r = requests.post(base + "/handshake/bulkCreate", headers=d, json={
        "targetIMSOrgIds": [PROD_ORG], "sourceIMSDetails": {"id": DEV_ORG, "name": "Acme Dev Org"}})
    lid = r.json()["successfulRequests"][PROD_ORG]["linkingId"]
    inc = requests.get(base + "/handshake/list", headers=p,
                       params={"requestType": "INCOMING", "property": "status==APPROVAL_PENDING"}).json()
    assert inc["data"][0]["linkingId"] == lid
    r = requests.post(base + "/handshake/action", headers=p, json={
        "linkingID": lid, "status": "APPROVED", "reason": "Promotion",
        "targetIMSOrgDetails": {"id": PROD_ORG, "name": "Acme Prod Org", "region": "va6"}})
    assert r.json()["status"] == "APPROVED"
    # 4. transfer
    t = requests.post(base + "/transfer", headers=d, json={"packageId": pid, "targets": [{"imsOrgId": PROD_ORG}]}).json()[0]
    seen = set()
    t = poll(lambda: requests.get(base + "/transfer/" + t["id"], headers=p).json(),
             lambda x: seen.add(x["status"]) or x["status"] in ("COMPLETED", "FAILED"))
    assert t["status"] == "COMPLETED" and seen <= {"PENDING", "IN_PROGRESS", "COMPLETED"}
    target_pid = t["targetPackageId"]
    # 5. preflight and conflicts in the target sandbox
    pf = requests.get(base + "/packages/preflight/" + target_pid, headers=p, params={"targetSandbox": "prod"}).json()
    assert all(x["creationAllowed"] for x in pf["permissionResponse"])
    conflicts = requests.get(base + "/packages/%s/import" % target_pid, headers=p,
                             params={"targetSandbox": "prod"}).json()
    alternatives = {c["artifact"]["id"]: {"id": c["suggestionList"][0]["id"], "type": c["artifact"]["type"]}
                    for c in conflicts}
    assert len(alternatives) >= 3
    # 6. import with the first suggestion for every conflict
    r = requests.post(base + "/packages/import", headers=p, json={
        "id": target_pid, "name": "q3-release import", "description": "from dev org",
        "destinationSandbox": {"name": "prod", "imsOrgId": PROD_ORG}, "alternatives": alternatives})
    assert r.status_code == 200, r.text
    jid = r.json()["jobId"]
    # 7. job result
    res = poll(lambda: requests.get(base + "/tools/job/" + jid, headers=p).json()["object"],
               lambda x: x["jobStatus"] in ("SUCCESS", "FAILED"))
    assert res["jobStatus"] == "SUCCESS"
    msgs = {t["artifact"]["id"]: t["artifact"]["messages"][0]["status"] for t in res["completedTasks"]}
    assert all(msgs[k] == "FOUND" for k in alternatives)
    assert {"CREATED"} == {v for k, v in msgs.items() if k not in alternatives}
    rmap = res["importReplacementMap"]
    assert set(rmap) == set(msgs)
    after = requests.get(sim + "/__sim/state").json()["artifacts"][PROD_ORG]["prod"]
    titles = {a["title"] for a in after}
    assert set(wanted) <= titles
    jobs = requests.get(base + "/packages/jobs", headers=p, params={"property": "requestType==IMPORT"}).json()
    assert jobs["data"][0]["id"] == jid and jobs["data"][0]["packageId"] == target_pid
    # every call was logged
    log = requests.get(sim + "/__sim/requests").json()["requests"]
    assert {e["org"] for e in log if e["path"].startswith(EXIM)} == {DEV_ORG, PROD_ORG}
    assert all(e["status"] < 400 for e in log)
