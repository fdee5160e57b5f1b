# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token minting and the on-disk token cache."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat
import subprocess
import sys
import time

from werkzeug.wrappers import Response

from ansible_collections.aep.platform.plugins.module_utils import auth as auth_utils
from ansible_collections.aep.platform.plugins.module_utils.auth import TokenCache, TokenProvider
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient

ORG = "5C1328435BF324E90A49402A@AdobeOrg"
SECRET = "s3cr3t-never-on-disk-9911"


def ims(httpserver, expires_in=86399, delay=0.0):
    minted = []

    def handler(request):
        time.sleep(delay)
        minted.append(dict(request.form))
        return Response(json.dumps({"access_token": "token-%d" % len(minted), "token_type": "bearer",
                                    "expires_in": expires_in}), content_type="application/json")

    httpserver.expect_request("/ims/token/v3", method="POST").respond_with_handler(handler)
    return minted


def provider(httpserver, cache):
    return TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, client_id="cid", client_secret=SECRET,
                         scopes=["openid", "AdobeID"], cache=cache)


def client_for(httpserver, prov):
    return AepClient(httpserver.url_for(""), org_id=ORG, api_key="cid", token_provider=prov, retries=0)


def test_mint_form_and_scopes(httpserver, tmp_path):
    minted = ims(httpserver)
    prov = provider(httpserver, None)
    assert prov.token(client_for(httpserver, prov)._send_form) == "token-1"
    assert minted[0] == {"grant_type": "client_credentials", "client_id": "cid", "client_secret": SECRET,
                         "scope": "openid,AdobeID"}


def test_cache_file_is_0600_and_holds_no_secret(httpserver, tmp_path):
    ims(httpserver)
    cache = TokenCache(str(tmp_path / "tokens"))
    prov = provider(httpserver, cache)
    prov.token(client_for(httpserver, prov)._send_form)
    files = [f for f in os.listdir(cache.directory) if f.endswith(".json")]
    assert len(files) == 1
    path = os.path.join(cache.directory, files[0])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache.directory).st_mode) == 0o700
    content = open(path).read()
    assert SECRET not in content and "token-1" in content


def test_second_provider_reuses_cached_token(httpserver, tmp_path):
    minted = ims(httpserver)
    cache = TokenCache(str(tmp_path))
    for dummy in range(3):
        prov = provider(httpserver, cache)
        assert prov.token(client_for(httpserver, prov)._send_form) == "token-1"
    assert len(minted) == 1


def test_refresh_when_less_than_five_minutes_left(httpserver, tmp_path):
    minted = ims(httpserver, expires_in=3600)
    now = [1000000.0]
    cache = TokenCache(str(tmp_path), clock=lambda: now[0])
    prov = provider(httpserver, cache)
    prov.token(client_for(httpserver, prov)._send_form)
    now[0] += 3600 - 301  # 301 s left: still fresh
    prov = provider(httpserver, cache)
    assert prov.token(client_for(httpserver, prov)._send_form) == "token-1"
    now[0] += 2  # 299 s left: minted again
    prov = provider(httpserver, cache)
    assert prov.token(client_for(httpserver, prov)._send_form) == "token-2"
    assert len(minted) == 2


def test_key_depends_on_credential_fields():
    k = TokenCache.key("https://ims", "cid", ORG, ["b", "a"])
    assert k == TokenCache.key("https://ims/", "cid", ORG, ["a", "b"])
    assert k != TokenCache.key("https://ims", "cid2", ORG, ["a", "b"])
    assert k != TokenCache.key("https://ims", "cid", "other@AdobeOrg", ["a", "b"])
    assert k != TokenCache.key("https://ims", "cid", ORG, ["a"])


def test_corrupt_cache_file_is_replaced(httpserver, tmp_path):
    minted = ims(httpserver)
    cache = TokenCache(str(tmp_path))
    key = TokenCache.key(httpserver.url_for(""), "cid", ORG, ["openid", "AdobeID"])
    (tmp_path / (key + ".json")).write_text("{not json")
    prov = provider(httpserver, cache)
    assert prov.token(client_for(httpserver, prov)._send_form) == "token-1"
    assert len(minted) == 1


CHILD = r'''
import sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.aep.platform.plugins.module_utils.auth import TokenCache, TokenProvider
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
prov = TokenProvider(ims_url=sys.argv[2], org_id="%s", client_id="cid", client_secret="%s",
                     scopes=["openid", "AdobeID"], cache=TokenCache(sys.argv[3]))
client = AepClient(sys.argv[2], org_id="%s", api_key="cid", token_provider=prov, retries=0)
print(prov.token(client._send_form))
''' % (ORG, SECRET, ORG)


def test_two_processes_at_once_mint_one_token(httpserver, tmp_path):
    minted = ims(httpserver, delay=0.5)  # slow IMS: both processes are waiting at the same time
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(auth_utils.__file__))))))
    args = [sys.executable, "-c", CHILD, os.path.dirname(root), httpserver.url_for(""), str(tmp_path)]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for dummy in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [o[0].decode().strip() for o in outs] == ["token-1", "token-1"]
    assert len(minted) == 1


def test_no_cache_mints_per_provider(httpserver):
    minted = ims(httpserver)
    for dummy in range(2):
        prov = provider(httpserver, None)
        prov.token(client_for(httpserver, prov)._send_form)
    assert len(minted) == 2


def test_static_token_never_calls_ims(httpserver):
    minted = ims(httpserver)
    prov = TokenProvider(ims_url=httpserver.url_for(""), org_id=ORG, access_token="given")
    assert prov.token(client_for(httpserver, prov)._send_form) == "given"
    assert minted == [] and not prov.can_refresh


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert auth_utils.default_cache_dir() == str(tmp_path / "aep.platform" / "tokens")
