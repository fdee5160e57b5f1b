"""IMS token endpoint and Adobe gateway checks."""
import requests

from conftest import CLIENTS, DEV_ORG, EXIM, PROD_ORG, Api


def mint(base, client_id, secret, scope="openid,AdobeID"):
    return requests.post(base + "/ims/token/v3", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": scope})


def test_ims_token_ok(sim):
    r = mint(sim, "acme-dev-client", "sim-secret-dev-7Qx2Lp9",
             "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session")
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86399
    assert body["access_token"]


def test_ims_wrong_secret_unknown_client_bad_scope(sim):
    r = mint(sim, "acme-dev-client", "nope")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = mint(sim, "who", "nope")
    assert r.status_code == 400 and r.json()["error"] == "invalid_client"
    r = mint(sim, "acme-dev-client", "sim-secret-dev-7Qx2Lp9", "openid,god_mode")
    assert r.status_code == 400 and r.json()["error"] == "invalid_scope"
    r = requests.post(sim + "/ims/token/v3", data={"grant_type": "password"})
    assert r.status_code == 400


def gw(api, headers, path=EXIM + "/packages"):
    return requests.get(api.base + path, headers=headers)


def test_gateway_errors(api):
    good = api.headers()
    r = gw(api, {k: v for k, v in good.items() if k != "Authorization"})
    assert r.status_code == 403 and r.json()["error_code"] == "403010"
    r = gw(api, dict(good, Authorization="Bearer forged"))
    assert r.status_code == 401 and r.json() == {"error_code": "401013", "message": "Oauth token is not valid"}
    r = gw(api, {k: v for k, v in good.items() if k != "x-api-key"})
    assert r.status_code == 403 and r.json()["error_code"] == "403000"
    r = gw(api, dict(good, **{"x-api-key": "someone-else"}))
    assert r.status_code == 403 and r.json()["error_code"] == "403003"
    # an api key of another org's client is invalid too
    r = gw(api, dict(good, **{"x-api-key": "acme-prod-client"}))
    assert r.status_code == 403 and r.json()["error_code"] == "403003"
    r = gw(api, {k: v for k, v in good.items() if k != "x-gw-ims-org-id"})
    assert r.status_code == 400 and r.json()["error_code"] == "400003"
    assert r.headers["x-request-id"]
    assert gw(api, good).status_code == 200


def test_token_of_org_a_against_org_b(api):
    r = gw(api, dict(api.headers(), **{"x-gw-ims-org-id": PROD_ORG}))
    assert r.status_code == 403
    assert "error_code" in r.json()


def test_unknown_and_missing_sandbox(api):
    r = api.get(EXIM + "/packages", sandbox="staging")
    assert r.status_code == 404
    body = r.json()
    assert body["status"] == 404 and "staging" in body["detail"]
    h = api.headers()
    del h["x-sandbox-name"]
    r = requests.get(api.base + EXIM + "/packages", headers=h)
    assert r.status_code == 400
    # sandbox names are lower-cased like Adobe does
    assert api.get(EXIM + "/packages", sandbox="DEV").status_code == 200


def test_token_expiry_hook_and_remint(sim):
    api = Api(sim)
    assert api.get(EXIM + "/packages").status_code == 200
    assert requests.post(sim + "/__sim/tokens/expire").json()["expired"] >= 1
    r = api.get(EXIM + "/packages")
    assert r.status_code == 401 and r.json()["error_code"] == "401013"
    api2 = Api(sim)
    assert api2.get(EXIM + "/packages").status_code == 200


def test_token_bound_to_client_org(sim):
    # the limited client is in the prod org: it can't use the dev org header
    api = Api(sim, "limited", "prod")
    assert api.get(EXIM + "/packages").status_code == 200
    r = requests.get(sim + EXIM + "/packages", headers=dict(api.headers(), **{"x-gw-ims-org-id": DEV_ORG}))
    assert r.status_code == 403


def test_every_answer_has_request_id_and_is_logged(api):
    r = api.get(EXIM + "/packages")
    assert len(r.headers["x-request-id"]) == 32
    log = requests.get(api.base + "/__sim/requests").json()["requests"]
    last = log[-1]
    assert last["method"] == "GET" and last["path"] == EXIM + "/packages"
    assert last["org"] == DEV_ORG and last["status"] == 200 and last["client_id"] == "acme-dev-client"
    assert last["sandbox"] == "dev" and last["fault"] is None and isinstance(last["time"], int)
    requests.delete(api.base + "/__sim/requests")
    assert requests.get(api.base + "/__sim/requests").json()["requests"] == []
    assert CLIENTS


def test_reset_keeps_tokens(sim):
    api = Api(sim)
    api.post(EXIM + "/packages", json={"name": "gone", "packageType": "PARTIAL"})
    requests.post(sim + "/__sim/reset")
    r = api.get(EXIM + "/packages")
    assert r.status_code == 200 and r.json()["totalElements"] == 0
