"""Every fault kind, determinism, runtime changes."""
import time

import pytest
import requests

from aep_simulator.faults import FaultSpecError, parse_spec
from aep_simulator.testing import running_simulator
from conftest import EXIM, Api


def set_faults(base, spec):
    r = requests.post(base + "/__sim/faults", json=spec)
    assert r.status_code == 200, r.text
    return r.json()


def log(base):
    return requests.get(base + "/__sim/requests").json()["requests"]


def test_status_429_with_retry_after(api):
    set_faults(api.base, {"seed": 1, "rules": [{"kind": "status", "statuses": [429], "retry_after": 3,
                                                "path": "/exim/packages$", "count": 1}]})
    r = api.get(EXIM + "/packages")
    assert r.status_code == 429 and r.headers["Retry-After"] == "3"
    assert r.json()["error_code"] == "429001"
    assert api.get(EXIM + "/packages").status_code == 200  # count exhausted
    entries = [e for e in log(api.base) if e["path"] == EXIM + "/packages"]
    assert [e["status"] for e in entries[-2:]] == [429, 200]
    assert entries[-2]["fault"] == "status"
    assert requests.get(api.base + "/__sim/faults").json()["rules"][0]["fired"] == 1


@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx(api, code):
    set_faults(api.base, {"rules": [{"kind": "status", "statuses": [code], "methods": ["GET"]}]})
    r = api.get(EXIM + "/packages")
    assert r.status_code == code and "error_code" in r.json()
    assert ("Retry-After" in r.headers) == (code == 503)
    # a POST is not matched by the method filter
    assert api.post(EXIM + "/packages", json={"name": "ok", "packageType": "PARTIAL"}).status_code == 201


def test_rate_is_deterministic_under_seed(sim):
    spec = {"seed": 42, "rules": [{"kind": "status", "statuses": [500, 503], "rate": 0.5, "path": "/exim/"}]}

    def run():
        requests.post(sim + "/__sim/reset")
        api = Api(sim)
        set_faults(sim, spec)
        return [api.get(EXIM + "/packages").status_code for dummy in range(20)]
    a, b = run(), run()
    assert a == b
    assert 200 in a and (500 in a or 503 in a)


def test_latency(api):
    set_faults(api.base, {"rules": [{"kind": "latency", "seconds": 0.3, "path": "/exim/packages$"}]})
    t = time.time()
    assert api.get(EXIM + "/packages").status_code == 200
    assert time.time() - t >= 0.3
    t = time.time()
    api.get(EXIM + "/packages/jobs")
    assert time.time() - t < 0.25


def test_drop_before_does_not_act(api):
    set_faults(api.base, {"rules": [{"kind": "drop_before", "methods": ["POST"], "path": "/exim/packages$", "count": 1}]})
    with pytest.raises(requests.ConnectionError):
        api.post(EXIM + "/packages", json={"name": "dropped", "packageType": "PARTIAL"})
    st = requests.get(api.base + "/__sim/state").json()
    assert st["packages"] == []
    entry = [e for e in log(api.base) if e["method"] == "POST" and e["path"] == EXIM + "/packages"][-1]
    assert entry["status"] == 0 and entry["fault"] == "drop_before"
    assert api.post(EXIM + "/packages", json={"name": "dropped", "packageType": "PARTIAL"}).status_code == 201


def test_drop_after_acts_then_drops(api):
    set_faults(api.base, {"rules": [{"kind": "drop_after", "methods": ["POST"], "path": "/exim/packages$", "count": 1}]})
    with pytest.raises(requests.ConnectionError):
        api.post(EXIM + "/packages", json={"name": "ambiguous", "packageType": "PARTIAL"})
    st = requests.get(api.base + "/__sim/state").json()
    assert [p["name"] for p in st["packages"]] == ["ambiguous"]
    entry = [e for e in log(api.base) if e["method"] == "POST" and e["path"] == EXIM + "/packages"][-1]
    assert entry["status"] == 0 and entry["fault"] == "drop_after"
    # a client re-reading by name finds it; re-creating is refused as a duplicate
    r = api.get(EXIM + "/packages", params={"property": "name==ambiguous"})
    assert r.json()["totalElements"] == 1
    assert api.post(EXIM + "/packages", json={"name": "ambiguous", "packageType": "PARTIAL"}).status_code == 400


def test_faults_apply_to_ims_but_not_to_hooks(sim):
    set_faults(sim, {"rules": [{"kind": "status", "statuses": [503]}]})
    r = requests.post(sim + "/ims/token/v3", data={"grant_type": "client_credentials"})
    assert r.status_code == 503
    assert requests.get(sim + "/__sim/state").status_code == 200
    requests.delete(sim + "/__sim/faults")
    assert requests.get(sim + "/__sim/faults").json()["rules"] == []


def test_reset_clears_faults_and_log(sim):
    set_faults(sim, {"rules": [{"kind": "status", "statuses": [500]}]})
    requests.get(sim + "/rest/v1/profiles/x")
    requests.post(sim + "/__sim/reset")
    assert requests.get(sim + "/__sim/faults").json()["rules"] == []
    assert log(sim) == []


def test_bad_specs_rejected(sim):
    assert requests.post(sim + "/__sim/faults", json={"rules": [{"kind": "explode"}]}).status_code == 400
    with pytest.raises(FaultSpecError):
        parse_spec('{"rules": [{"kind": "status", "statuses": [200]}]}')
    with pytest.raises(FaultSpecError):
        parse_spec("/no/such/file.yaml")


def test_faults_from_startup_option(tmp_path):
    f = tmp_path / "faults.yaml"
    f.write_text("seed: 3\nrules:\n  - kind: status\n    statuses: [502]\n    path: /rest/\n    count: 2\n")
    with running_simulator(faults=str(f)) as url:
        codes = [requests.get(url + "/rest/v1/profiles/x", params={"client": "acmedev"}).status_code for dummy in range(3)]
        assert codes == [502, 502, 404]
