import os

import pytest
import requests

from aep_simulator.testing import running_server

DEV_ORG = "5C1328435BF324E90A49402A@AdobeOrg"
PROD_ORG = "745F37C35E4B776E0A49421B@AdobeOrg"
CLIENTS = {
    "dev": ("acme-dev-client", "sim-secret-dev-7Qx2Lp9", DEV_ORG),
    "prod": ("acme-prod-client", "sim-secret-prod-4Wm8Rt3", PROD_ORG),
    "limited": ("acme-prod-limited", "sim-secret-limited-9Kd5Vn1", PROD_ORG),
}
EXIM = "/data/foundation/exim"


class Api:
    """A tiny client for the tests: mints a token for one of the demo clients."""

    def __init__(self, base, who="dev", sandbox="dev"):
        self.base = base
        self.client_id, secret, self.org = CLIENTS[who]
        self.sandbox = sandbox
        self.s = requests.Session()
        r = self.s.post(base + "/ims/token/v3", data={
            "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": secret,
            "scope": "openid,AdobeID,read_organizations"})
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]

    def headers(self, sandbox=None, **extra):
        h = {"Authorization": "Bearer " + self.token, "x-api-key": self.client_id,
             "x-gw-ims-org-id": self.org, "x-sandbox-name": sandbox or self.sandbox}
        h.update(extra)
        return h

    def req(self, method, path, sandbox=None, headers=None, **kw):
        h = self.headers(sandbox)
        h.update(headers or {})
        return self.s.request(method, self.base + path, headers=h, timeout=10, **kw)

    def get(self, path, **kw):
        return self.req("GET", path, **kw)

    def post(self, path, **kw):
        return self.req("POST", path, **kw)

    def put(self, path, **kw):
        return self.req("PUT", path, **kw)


@pytest.fixture(scope="session")
def sim_server():
    with running_server(job_delay=0.05) as srv:
        yield srv


@pytest.fixture
def sim(sim_server):
    """Base URL of a running simulator, reset to the demo state before each test."""
    requests.post(sim_server.url + "/__sim/reset", timeout=5).raise_for_status()
    return sim_server.url


@pytest.fixture
def api(sim):
    return Api(sim, "dev", "dev")


@pytest.fixture
def prod_api(sim):
    return Api(sim, "prod", "prod")


def wait_until(fn, timeout=5.0, interval=0.02):
    import time
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("condition not met in %ss" % timeout)
        time.sleep(interval)


def demo_artifacts(base, org=DEV_ORG, sandbox="dev"):
    st = requests.get(base + "/__sim/state", timeout=5).json()
    return {a["title"]: a for a in st["artifacts"][org][sandbox]}


SPEC_PATH = os.environ.get("AEP_SANDBOX_SPEC", os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "shared", "specs", "sandbox.yaml"))
