import copy

import yaml

from aep_simulator.state import default_state_path
from conftest import DEV_ORG, EXIM, wait_until


def demo_config():
    with open(default_state_path()) as fh:
        return yaml.safe_load(fh)


def write_state(tmp_path, cfg, name="state.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(copy.deepcopy(cfg)))
    return str(p)


def find_art(cfg, org, sandbox, title):
    for o in cfg["orgs"]:
        if o["id"] == org:
            for sb in o["sandboxes"]:
                if sb["name"] == sandbox:
                    for a in sb["artifacts"]:
                        if a["title"] == title:
                            return a
    raise KeyError(title)


def published_package(api, arts, titles, name="pkg", org=DEV_ORG):
    body = {"name": name, "packageType": "PARTIAL", "sourceSandbox": {"name": "dev", "imsOrgId": org},
            "artifacts": [{"id": arts[t]["id"], "type": arts[t]["type"]} for t in titles]}
    r = api.post(EXIM + "/packages", json=body)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert api.get(EXIM + "/packages/%s/export" % pid).status_code == 200
    wait_until(lambda: api.get(EXIM + "/packages/" + pid).json()["status"] == "PUBLISHED")
    return pid


def poll(fetch, done):
    """Wait until ``done(fetch())`` holds; return that last fetched object."""
    def step():
        obj = fetch()
        return obj if done(obj) else None
    return wait_until(step)


def wait_job(api, jid):
    return poll(lambda: api.get(EXIM + "/tools/job/" + jid).json()["object"],
                lambda o: o["jobStatus"] in ("SUCCESS", "FAILED", "CANCELLED"))
