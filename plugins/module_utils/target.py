# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adobe Target Profile API (``https://<client_code>.tt.omtrdc.net/rest/v1/profiles/...``).

Not a Platform API: no IMS token, no x-api-key/org/sandbox headers. An
optional profile authentication token goes in the ``authorization`` header.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.aep.platform.plugins.module_utils.client import AepClient, scrub
from ansible_collections.aep.platform.plugins.module_utils.errors import AepApiError, AepValidationError

CLIENT_CODE_RE = re.compile(r"^[a-z0-9]+$")
URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
DEFAULT_URL = "https://%s.tt.omtrdc.net"
PROFILES = "/rest/v1/profiles"
TARGET_RETRIES = 3


def validate_client_code(value):
    if not CLIENT_CODE_RE.match(value or ""):
        raise AepValidationError("client_code", "%r is not a Target client code: expected lower-case letters and "
                                                "digits only, e.g. acmecorp" % (value,))
    return value


def base_url(params):
    url = params.get("base_url") or DEFAULT_URL % params["client_code"]
    if not URL_RE.match(url):
        raise AepValidationError("base_url", "%r is not an http(s) URL" % (url,))
    return url


def validate(params):
    """Raise AepValidationError before any request."""
    validate_client_code(params.get("client_code"))
    base_url(params)
    given = [k for k in ("tnt_id", "third_party_id") if params.get(k) is not None]
    if len(given) != 1:
        raise AepValidationError("tnt_id", "give exactly one of tnt_id or third_party_id")
    if not str(params[given[0]]).strip():
        raise AepValidationError(given[0], "must not be empty")
    timeout = params.get("timeout")
    if timeout is None or timeout <= 0:
        raise AepValidationError("timeout", "must be a number of seconds greater than 0, got %r" % (timeout,))
    if params.get("profile_token") is not None and not params["profile_token"].strip():
        raise AepValidationError("profile_token", "must not be empty; leave it out when the Profile API needs no "
                                                  "authentication")


def client_from_params(params, sleeper=None):
    """An AepClient for the Target edge; Platform ``auth`` is not used."""
    validate(params)
    warnings = []
    if not params.get("validate_certs", True):
        verify = False
        warnings.append("validate_certs is false: TLS certificates are not checked")
    else:
        verify = params.get("ca_path") or True
    client = AepClient(base_url(params), token_provider=None, timeout=params["timeout"], verify=verify,
                       retries=TARGET_RETRIES, sleeper=sleeper)
    token = params.get("profile_token")
    if token:
        client.scrub = lambda text: scrub(text, [token])
    client.warnings.extend(warnings)
    return client


def profile_path(tnt_id=None, third_party_id=None):
    if tnt_id is not None:
        return "%s/%s" % (PROFILES, quote(tnt_id, safe=""))
    return "%s/thirdPartyId/%s" % (PROFILES, quote(third_party_id, safe=""))


def fetch_profile(client, client_code, tnt_id=None, third_party_id=None, profile_token=None):
    """``(found, profile, message)``.

    A 404 carrying the Profile API's ``{"status": 404, "message": ...}`` means no such profile.
    Any other failure (including a 404 without that body, e.g. a wrong base_url) raises AepApiError.
    """
    path = profile_path(tnt_id, third_party_id)
    headers = {"authorization": profile_token} if profile_token else None
    response = client.raw("GET", path, query={"client": client_code}, headers=headers)
    body = response.body
    if response.status == 404 and isinstance(body, dict) and body.get("message") and "title" not in body:
        return False, {}, body["message"]
    if response.status >= 400:
        raise AepApiError("GET", path, response.status, body=body, text=response.text,
                          request_id=response.request_id).scrub(client.scrub)
    return True, body if isinstance(body, dict) else {"value": body}, None
