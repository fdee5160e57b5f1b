# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credential checks happen before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils.aep_module import client_from_params
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError

BASE = dict(client_id="cid", client_secret="sec", access_token=None, api_key=None,
            org_id="5C1328435BF324E90A49402A@AdobeOrg", scopes=None, platform_url="https://platform.adobe.io",
            ims_url="https://ims-na1.adobelogin.com", validate_certs=True, ca_path=None, timeout=30,
            token_cache=False, retries=5)


def params(sandbox="prod", **auth):
    a = dict(BASE)
    a.update(auth)
    return dict(auth=a, sandbox=sandbox)


@pytest.mark.parametrize("auth,option", [
    (dict(org_id=None), "auth.org_id"),
    (dict(client_secret=None), "auth"),
    (dict(client_id=None, client_secret=None), "auth"),
    (dict(timeout=0), "auth.timeout"),
    (dict(timeout=-3), "auth.timeout"),
    (dict(retries=-1), "auth.retries"),
    (dict(platform_url="platform.adobe.io"), "auth.platform_url"),
    (dict(ims_url="ftp://ims"), "auth.ims_url"),
    (dict(client_id=None, client_secret=None, access_token="t"), "auth.api_key"),
])
def test_bad_auth_named(auth, option):
    with pytest.raises(AepValidationError) as e:
        client_from_params(params(**auth))
    assert e.value.option == option
    assert e.value.msg.startswith(option + ":")


@pytest.mark.parametrize("sandbox", ["Prod", "my sandbox", "", "-x"])
def test_bad_sandbox(sandbox):
    with pytest.raises(AepValidationError) as e:
        client_from_params(params(sandbox=sandbox))
    assert e.value.option == "sandbox" and "lower-case" in e.value.msg


def test_verify_and_api_key_defaults(tmp_path):
    c = client_from_params(params())
    assert c.verify is True and c.api_key == "cid" and c.sandbox == "prod"
    c = client_from_params(params(ca_path=str(tmp_path / "ca.pem")))
    assert c.verify == str(tmp_path / "ca.pem")
    c = client_from_params(params(validate_certs=False, api_key="other"))
    assert c.verify is False and c.api_key == "other"
    assert any("validate_certs is false" in w for w in c.warnings)


def test_access_token_instead_of_credentials():
    c = client_from_params(params(client_id=None, client_secret=None, access_token="tok", api_key="key"))
    assert c.headers()["Authorization"] == "Bearer tok"
