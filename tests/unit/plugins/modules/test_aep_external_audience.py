# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_external_audience: decision logic (in-memory API) and the wire format (pytest-httpserver)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from werkzeug.wrappers import Response

from ansible_collections.aep.platform.plugins.module_utils.audiences import AUDIENCE_ACCEPT, AUDIENCES
from ansible_collections.aep.platform.plugins.module_utils.auth import TokenProvider
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError,
)
from ansible_collections.aep.platform.plugins.modules import aep_external_audience

ORG = "5C1328435BF324E90A49402A@AdobeOrg"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class Module:
    def __init__(self, check_mode=False, **params):
        self.params = dict(name=None, description=None, audience_id="ext-1", namespace="agora",
                           origin_name=None, state="present", sandbox="prod")
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = True


class FakeApi:
    """An in-memory /data/core/ais with the same rules as the simulator."""

    def __init__(self, audiences=None, patch_status=None, drop_first_post=False, post_lands=True):
        self.audiences = dict((a["id"], dict(a)) for a in audiences or [])
        self.calls = []
        self.warnings = []
        self.patch_status = patch_status
        self.drop_first_post = drop_first_post
        self.post_lands = post_lands
        self.posts = 0

    def writes(self):
        return [c for c in self.calls if c[0] in WRITES]

    def paginate(self, path, query=None, **kwargs):
        self.calls.append(("GET", path, query))
        wanted = dict(p.split("==", 1) for p in query["property"])
        return [dict(a) for a in self.audiences.values()
                if all(a.get(k) == v for k, v in wanted.items())]

    def post(self, path, json=None, query=None, headers=None, **kwargs):
        self.calls.append(("POST", path, dict(query=query, headers=headers, json=json)))
        assert headers == {"Accept": AUDIENCE_ACCEPT}
        assert query == {"createAudienceMetaOnly": "true"}
        self.posts += 1
        for a in self.audiences.values():
            if (a["namespace"], a["audienceId"]) == (json["namespace"], json["audienceId"]):
                raise AepApiError("POST", path, 409, body={"title": "Conflict", "detail": "exists"})
        new = dict(json, id="sys-%d" % self.posts)
        if self.drop_first_post and self.posts == 1:
            if self.post_lands:
                self.audiences[new["id"]] = new
            raise AepConnectionError("POST", path, "no answer within 30s", kind="timeout")
        self.audiences[new["id"]] = new
        return {"id": new["id"], "name": new["name"], "audienceId": new["audienceId"]}  # Adobe's short answer

    def patch(self, path, json=None, **kwargs):
        self.calls.append(("PATCH", path, json))
        if self.patch_status:
            raise AepApiError("PATCH", path, self.patch_status, body={"title": "Method Not Allowed"})
        aid = path.rsplit("/", 1)[-1]
        self.audiences[aid].update(json)
        return dict(self.audiences[aid])

    def delete(self, path, **kwargs):
        self.calls.append(("DELETE", path, None))
        self.audiences.pop(path.rsplit("/", 1)[-1], None)


EXISTING = dict(id="sys-0", name="Gold", description="Gold members", audienceId="ext-1", namespace="agora",
                originName="Agora")


def run(api, **kwargs):
    check = kwargs.pop("check_mode", False)
    return aep_external_audience.run(Module(check_mode=check, **kwargs), api)


def test_create_sends_header_and_query_and_returns_full_audience():
    api = FakeApi()
    result = run(api, name="Gold", description="Gold members", origin_name="Agora")
    assert result["changed"] is True
    assert result["audience"]["id"] == "sys-1"
    # Adobe only answers {id, name, audienceId}: the rest is what we sent
    assert result["audience"]["namespace"] == "agora" and result["audience"]["originName"] == "Agora"
    assert result["diff"]["before"] == {} and result["diff"]["after"]["name"] == "Gold"
    assert [c[0] for c in api.calls] == ["GET", "POST"]
    assert api.calls[1][2]["json"] == dict(name="Gold", description="Gold members", audienceId="ext-1",
                                           namespace="agora", originName="Agora")


def test_second_run_is_one_read_and_no_change():
    api = FakeApi([EXISTING])
    result = run(api, name="Gold", description="Gold members", origin_name="Agora")
    assert result["changed"] is False
    assert result["audience"]["id"] == "sys-0"
    assert api.calls == [("GET", AUDIENCES, {"property": ["namespace==agora", "audienceId==ext-1"]})]


def test_unset_description_is_not_compared():
    api = FakeApi([EXISTING])
    assert run(api, name="Gold")["changed"] is False


def test_empty_description_equals_missing():
    api = FakeApi([dict(EXISTING, description=None)])
    assert run(api, name="Gold", description="")["changed"] is False


def test_changed_name_is_patched_only_for_changed_keys():
    api = FakeApi([EXISTING])
    result = run(api, name="Platinum", description="Gold members")
    assert result["changed"] is True
    assert api.writes() == [("PATCH", AUDIENCES + "/sys-0", {"name": "Platinum"})]
    assert result["audience"]["name"] == "Platinum"
    assert result["diff"] == {"before": {"name": "Gold", "description": "Gold members", "audienceId": "ext-1",
                                         "namespace": "agora"},
                              "after": {"name": "Platinum", "description": "Gold members", "audienceId": "ext-1",
                                        "namespace": "agora"}}


def test_update_refused_by_api_is_reported_clearly():
    api = FakeApi([EXISTING], patch_status=405)
    with pytest.raises(AepStateError) as e:
        run(api, name="Platinum")
    assert "name 'Gold' instead of 'Platinum'" in e.value.msg
    assert "refused" in e.value.msg and "state: absent" in e.value.msg
    assert e.value.extra["status"] == 405


def test_changed_origin_name_fails_before_any_write():
    api = FakeApi([EXISTING])
    with pytest.raises(AepStateError) as e:
        run(api, name="Gold", origin_name="Elsewhere")
    assert "originName 'Agora' instead of 'Elsewhere'" in e.value.msg
    assert api.writes() == []


def test_check_mode_create_sends_no_write_and_predicts():
    api = FakeApi()
    result = run(api, check_mode=True, name="Gold")
    assert result["changed"] is True
    assert result["audience"] == {"name": "Gold", "audienceId": "ext-1", "namespace": "agora"}
    assert api.writes() == []


def test_check_mode_update_sends_no_write():
    api = FakeApi([EXISTING])
    result = run(api, check_mode=True, name="Platinum")
    assert result["changed"] is True and result["audience"]["name"] == "Platinum"
    assert api.writes() == [] and api.audiences["sys-0"]["name"] == "Gold"


def test_absent_deletes_then_is_idempotent():
    api = FakeApi([EXISTING])
    result = run(api, state="absent")
    assert result["changed"] is True and result["audience"] == {}
    assert api.writes() == [("DELETE", AUDIENCES + "/sys-0", None)]
    assert result["diff"]["before"]["audienceId"] == "ext-1" and result["diff"]["after"] == {}
    result = run(api, state="absent")
    assert result["changed"] is False
    assert len(api.writes()) == 1


def test_absent_in_check_mode_deletes_nothing():
    api = FakeApi([EXISTING])
    assert run(api, state="absent", check_mode=True)["changed"] is True
    assert api.writes() == [] and "sys-0" in api.audiences


def test_timeout_on_create_that_landed_is_not_resent():
    api = FakeApi(drop_first_post=True, post_lands=True)
    result = run(api, name="Gold")
    assert result["audience"]["id"] == "sys-1"
    assert api.posts == 1
    assert [c[0] for c in api.calls] == ["GET", "POST", "GET"]
    assert any("not creating it again" in w for w in api.warnings)
    assert len(api.audiences) == 1


def test_timeout_on_create_that_never_landed_creates_once_more():
    api = FakeApi(drop_first_post=True, post_lands=False)
    result = run(api, name="Gold")
    assert api.posts == 2 and len(api.audiences) == 1
    assert result["audience"]["id"] == "sys-2"
    assert any("created again" in w for w in api.warnings)


@pytest.mark.parametrize("params,option", [
    (dict(namespace=" "), "namespace"),
    (dict(audience_id=""), "audience_id"),
    (dict(name="  "), "name"),
    (dict(name="x", origin_name=""), "origin_name"),
])
def test_bad_input_fails_before_any_request(params, option):
    api = FakeApi()
    with pytest.raises(AepValidationError) as e:
        run(api, **params)
    assert e.value.option == option
    assert api.calls == []


# --- on the wire ---------------------------------------------------------------------------------------------------

def wire_client(server):
    provider = TokenProvider(ims_url=server.url_for(""), org_id=ORG, access_token="tok-1")
    return AepClient(server.url_for(""), org_id=ORG, api_key="acme-dev-client", sandbox="prod",
                     token_provider=provider, timeout=5, retries=0, sleeper=lambda s: None)


def simulated_create(request):
    """The simulator's rule: both the header and the query parameter are mandatory."""
    if request.args.get("createAudienceMetaOnly") != "true":
        return Response(json.dumps({"title": "Bad Request", "detail": "createAudienceMetaOnly=true is required",
                                    "type": "x/AIS-0400-400"}), status=400, content_type="application/json")
    accept = request.headers.get("Accept", "")
    if "application/vnd.adobe.external.audiences+json" not in accept or "version=2" not in accept.replace(" ", ""):
        return Response(json.dumps({"title": "Bad Request", "detail": "The Accept header is required",
                                    "type": "x/AIS-0401-400"}), status=400, content_type="application/json")
    body = request.get_json()
    return Response(json.dumps({"id": "sys-9", "name": body["name"], "audienceId": body["audienceId"]}),
                    status=200, content_type="application/json")


def test_wire_module_always_sends_accept_header_and_query(httpserver):
    httpserver.expect_request(AUDIENCES, method="GET").respond_with_json({"data": [], "hasNextPage": False})
    httpserver.expect_request(AUDIENCES, method="POST").respond_with_handler(simulated_create)
    result = run(wire_client(httpserver), name="Gold", description="d")
    assert result["audience"]["id"] == "sys-9"
    post = [r for r, dummy in httpserver.log if r.method == "POST"][0]
    assert post.headers["Accept"] == AUDIENCE_ACCEPT
    assert post.args.get("createAudienceMetaOnly") == "true"
    assert post.headers["x-sandbox-name"] == "prod"
    get = [r for r, dummy in httpserver.log if r.method == "GET"][0]
    assert get.args.getlist("property") == ["namespace==agora", "audienceId==ext-1"]


def test_wire_a_create_without_the_header_is_refused(httpserver):
    """The missing-header path: the same server refuses a POST that lacks the Accept header."""
    httpserver.expect_request(AUDIENCES, method="POST").respond_with_handler(simulated_create)
    client = wire_client(httpserver)
    with pytest.raises(AepApiError) as e:
        client.post(AUDIENCES, json={"name": "x", "audienceId": "a", "namespace": "n"},
                    query={"createAudienceMetaOnly": "true"})
    assert e.value.status == 400 and e.value.code == "AIS-0401-400"
    assert "POST %s failed: HTTP 400" % AUDIENCES in e.value.msg
