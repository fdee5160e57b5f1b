# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_target_profile_info against a local HTTP server standing in for the Target edge."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import AepApiError, AepValidationError
from ansible_collections.aep.platform.plugins.module_utils.target import client_from_params
from ansible_collections.aep.platform.plugins.modules import aep_target_profile_info

TOKEN = "target-token-secret-123"
PROFILE = {"tntId": "111492025094307-353046", "thirdPartyId": "a1-mbox3rdPartyId", "profile": {"visits": 42}}


class Module:
    def __init__(self, **params):
        self.params = dict(client_code="acmedev", tnt_id=None, third_party_id=None, profile_token=None,
                           base_url=None, validate_certs=True, ca_path=None, timeout=5,
                           auth={}, sandbox="prod")
        self.params.update(params)
        self.check_mode = False
        self._diff = False


def run(server, **params):
    module = Module(base_url=server.url_for("") if server else None, **params)
    client = client_from_params(module.params, sleeper=lambda s: None)
    return aep_target_profile_info.run(module, client), client


def test_by_tnt_id_without_platform_headers(httpserver):
    httpserver.expect_request("/rest/v1/profiles/111492025094307-353046", method="GET",
                              query_string="client=acmedev").respond_with_json(PROFILE)
    result, dummy = run(httpserver, tnt_id="111492025094307-353046")
    assert result == {"changed": False, "found": True, "profile": PROFILE}
    request = httpserver.log[0][0]
    for header in ("Authorization", "x-api-key", "x-gw-ims-org-id", "x-sandbox-name"):
        assert header not in request.headers


def test_by_third_party_id_with_token(httpserver):
    # the server decodes the path; on the wire the id is one quoted segment
    httpserver.expect_request("/rest/v1/profiles/thirdPartyId/crm/1", method="GET",
                              headers={"authorization": TOKEN}).respond_with_json(PROFILE)
    result, dummy = run(httpserver, third_party_id="crm/1", profile_token=TOKEN)
    assert result["found"] is True
    request = httpserver.log[0][0]
    assert request.args["client"] == "acmedev"
    assert "/thirdPartyId/crm%2F1?" in request.environ["REQUEST_URI"]


def test_missing_profile_is_not_a_failure(httpserver):
    message = "No profile found for client acmedev with third party id=nobody"
    httpserver.expect_request("/rest/v1/profiles/thirdPartyId/nobody").respond_with_json(
        {"status": 404, "message": message}, status=404)
    result, dummy = run(httpserver, third_party_id="nobody")
    assert result == {"changed": False, "found": False, "profile": {}, "message": message}


def test_404_without_the_profile_api_body_fails(httpserver):
    """A wrong base_url must not look like a missing profile."""
    httpserver.expect_request("/rest/v1/profiles/x").respond_with_data("<html>Not Found</html>", status=404)
    with pytest.raises(AepApiError) as e:
        run(httpserver, tnt_id="x")
    assert e.value.status == 404


def test_refused_token_fails_without_leaking_it(httpserver):
    httpserver.expect_request("/rest/v1/profiles/x").respond_with_json(
        {"status": 401, "message": "Authentication token %s is invalid" % TOKEN}, status=401)
    with pytest.raises(AepApiError) as e:
        run(httpserver, tnt_id="x", profile_token=TOKEN)
    assert e.value.status == 401
    assert TOKEN not in e.value.msg and TOKEN not in str(e.value.to_fail_kwargs())


def test_default_base_url_from_client_code():
    client = client_from_params(Module(tnt_id="x").params)
    assert client.platform_url == "https://acmedev.tt.omtrdc.net"
    assert client.tokens is None


@pytest.mark.parametrize("params,option", [
    (dict(client_code="Acme", tnt_id="x"), "client_code"),
    (dict(client_code="acme-dev", tnt_id="x"), "client_code"),
    (dict(tnt_id="x", base_url="acme.tt.omtrdc.net"), "base_url"),
    (dict(tnt_id=" "), "tnt_id"),
    (dict(), "tnt_id"),
    (dict(tnt_id="x", third_party_id="y"), "tnt_id"),
    (dict(tnt_id="x", timeout=0), "timeout"),
    (dict(tnt_id="x", profile_token=""), "profile_token"),
])
def test_bad_input_fails_before_any_request(params, option):
    with pytest.raises(AepValidationError) as e:
        client_from_params(Module(**params).params)
    assert e.value.option == option
