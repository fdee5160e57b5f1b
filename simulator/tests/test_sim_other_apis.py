"""External audiences, catalog batches, Target profiles, sandbox management."""
import requests

from conftest import DEV_ORG, Api, demo_artifacts

AIS = "/data/core/ais/audiences"
ACCEPT = {"Accept": "application/vnd.adobe.external.audiences+json; version=2"}
AUD = {"name": "Sample audience name", "description": "A sample description.",
       "audienceId": "4a815904-f2f9-4237-82fb-55605bcc2ad7", "namespace": "agora", "originName": "Agora_Collaboration"}


def test_audience_create_requires_param_and_accept(api):
    assert api.post(AIS, json=AUD, headers=ACCEPT).status_code == 400
    r = api.post(AIS, params={"createAudienceMetaOnly": "true"}, json=AUD)
    assert r.status_code == 400 and "Accept" in r.json()["detail"]
    r = api.post(AIS, params={"createAudienceMetaOnly": "true"}, json=AUD, headers=ACCEPT)
    assert r.status_code == 200
    a = r.json()
    assert a["name"] == AUD["name"] and a["audienceId"] == AUD["audienceId"] and a["id"]
    assert api.post(AIS, params={"createAudienceMetaOnly": "true"}, json=AUD, headers=ACCEPT).status_code == 409
    # same ids in another sandbox are fine
    assert api.post(AIS, params={"createAudienceMetaOnly": "true"}, json=AUD, headers=ACCEPT,
                    sandbox="prod").status_code == 200
    r = api.post(AIS, params={"createAudienceMetaOnly": "true"}, json={"name": "x"}, headers=ACCEPT)
    assert r.status_code == 400


def test_audience_reads_update_delete(api):
    aid = api.post(AIS, params={"createAudienceMetaOnly": "true"}, json=AUD, headers=ACCEPT).json()["id"]
    r = api.get(AIS, params=[("property", "namespace==agora"), ("property", "audienceId==" + AUD["audienceId"])]).json()
    assert r["totalElements"] == 1 and r["data"][0]["id"] == aid
    assert api.get(AIS, params={"property": "namespace==other"}).json()["totalElements"] == 0
    assert api.get(AIS + "/" + aid).json()["namespace"] == "agora"
    assert api.get(AIS + "/" + aid, sandbox="prod").status_code == 404
    r = api.req("PATCH", AIS + "/" + aid, json={"description": "changed"})
    assert r.status_code == 200 and r.json()["description"] == "changed" and r.json()["name"] == AUD["name"]
    assert api.req("PATCH", AIS + "/" + aid, json={"audienceId": "x"}).status_code == 400
    assert api.req("DELETE", AIS + "/" + aid).status_code == 204
    assert api.get(AIS + "/" + aid).status_code == 404


def test_batches(api, sim):
    ds = demo_artifacts(sim)["Loyalty Members Dataset"]["id"]
    assert api.post("/data/foundation/import/batches", json={"datasetId": "nope"}).status_code == 400
    # a dataset of another sandbox is unknown here
    assert api.post("/data/foundation/import/batches", json={"datasetId": ds}, sandbox="prod").status_code == 400
    r = api.post("/data/foundation/import/batches", json={"datasetId": ds})
    assert r.status_code == 201
    b = r.json()
    assert b["status"] == "loading" and b["relatedObjects"] == [{"type": "dataSet", "id": ds}]
    assert len(b["id"]) == 32 and b["imsOrg"] == DEV_ORG and b["inputFormat"] == {"format": "parquet"}
    got = api.get("/data/foundation/catalog/batches/" + b["id"]).json()
    assert list(got) == [b["id"]] and got[b["id"]]["status"] == "loading"
    assert api.post("/data/foundation/import/batches/%s" % b["id"], params={"action": "FINISH"}).status_code == 400
    assert api.post("/data/foundation/import/batches/%s" % b["id"], params={"action": "COMPLETE"}).status_code == 200
    assert api.get("/data/foundation/catalog/batches/" + b["id"]).json()[b["id"]]["status"] == "success"
    assert api.post("/data/foundation/import/batches/%s" % b["id"], params={"action": "ABORT"}).status_code == 400
    b2 = api.post("/data/foundation/import/batches", json={"datasetId": ds, "inputFormat": {"format": "json"}}).json()
    assert api.post("/data/foundation/import/batches/%s" % b2["id"], params={"action": "ABORT"}).status_code == 200
    assert api.get("/data/foundation/catalog/batches/" + b2["id"]).json()[b2["id"]]["status"] == "aborted"
    assert api.post("/data/foundation/import/batches/%s" % b2["id"], params={"action": "COMPLETE"}).status_code == 400
    assert api.get("/data/foundation/catalog/batches/nope").status_code == 404


def test_batch_tags_kept_and_filtered(api, sim):
    ds = demo_artifacts(sim)["Loyalty Members Dataset"]["id"]
    mine = api.post("/data/foundation/import/batches",
                    json={"datasetId": ds, "tags": {"aep_platform_request": ["r1"]}}).json()
    assert mine["tags"]["aep_platform_request"] == ["r1"] and mine["tags"]["acp_producer"]
    other = api.post("/data/foundation/import/batches",
                     json={"datasetId": ds, "tags": {"aep_platform_request": ["r2"]}}).json()
    got = api.get("/data/foundation/catalog/batches",
                  params={"dataSet": ds, "tags": "aep_platform_request:r1"}).json()
    assert list(got) == [mine["id"]]
    got = api.get("/data/foundation/catalog/batches", params={"dataSet": ds, "tags": "aep_platform_request"}).json()
    assert set(got) == {mine["id"], other["id"]}
    assert api.post("/data/foundation/import/batches",
                    json={"datasetId": ds, "tags": {"x": "not-a-list"}}).status_code == 400


def test_target_profiles(sim):
    r = requests.get(sim + "/rest/v1/profiles/111492025094307-353046", params={"client": "acmedev"})
    assert r.status_code == 200 and r.json()["profile"]["loyaltyTier"] == "gold"
    r = requests.get(sim + "/rest/v1/profiles/thirdPartyId/a1-mbox3rdPartyId", params={"client": "acmedev"})
    assert r.status_code == 200 and r.json()["tntId"] == "111492025094307-353046"
    r = requests.get(sim + "/rest/v1/profiles/thirdPartyId/zzz", params={"client": "acmedev"})
    assert r.status_code == 404
    assert r.json() == {"status": 404, "message": "No profile found for client acmedev with third party id=zzz"}
    r = requests.get(sim + "/rest/v1/profiles/123-456", params={"client": "acmedev"})
    assert r.json() == {"status": 404, "message": "No profile found for client acmedev with mboxPC=123-456"}
    # protected client code
    url = sim + "/rest/v1/profiles/333000111222333-444555"
    assert requests.get(url, params={"client": "acmesecure"}).status_code == 401
    assert requests.get(url, params={"client": "acmesecure"},
                        headers={"authorization": "wrong"}).status_code == 401
    r = requests.get(url, params={"client": "acmesecure"}, headers={"authorization": "sim-target-token-3Jq8Zw"})
    assert r.status_code == 200 and r.json()["profile"] == {"segment": "vip"}


def test_sandbox_management(sim):
    api = Api(sim)
    r = api.get("/data/foundation/sandbox-management/sandboxes")
    assert r.status_code == 200
    names = {s["name"]: s for s in r.json()["sandboxes"]}
    assert set(names) == {"dev", "prod"}
    assert names["prod"]["type"] == "production" and names["dev"]["type"] == "development"
    assert names["prod"]["region"] == "va7" and names["prod"]["state"] == "active"
    assert api.get("/data/foundation/sandbox-management/sandboxes/dev").json()["name"] == "dev"
    assert api.get("/data/foundation/sandbox-management/sandboxes/qa").status_code == 404
