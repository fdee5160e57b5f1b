# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options every module shares (``auth``, ``sandbox``) and ``run_module()``.

A module file is a pure ``run(module, client)`` and a ``main()`` that calls
``run_module(run, argument_spec)``: this builds the AnsibleModule, checks the
credentials before any request, builds the client, and turns every
``AepError`` into ``fail_json`` (never a traceback).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.aep.platform.plugins.module_utils.auth import DEFAULT_SCOPES, TokenCache, TokenProvider
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient, HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.aep.platform.plugins.module_utils.errors import AepError, AepValidationError

SANDBOX_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,255}$")
URL_RE = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)


def _env(name):
    return (env_fallback, [name])


AUTH_OPTIONS = dict(
    client_id=dict(type="str", fallback=_env("AEP_CLIENT_ID")),
    client_secret=dict(type="str", no_log=True, fallback=_env("AEP_CLIENT_SECRET")),
    access_token=dict(type="str", no_log=True, fallback=_env("AEP_ACCESS_TOKEN")),
    api_key=dict(type="str", no_log=False, fallback=_env("AEP_API_KEY")),
    org_id=dict(type="str", fallback=_env("AEP_ORG_ID")),
    scopes=dict(type="list", elements="str", fallback=_env("AEP_SCOPES")),
    platform_url=dict(type="str", default="https://platform.adobe.io", fallback=_env("AEP_PLATFORM_URL")),
    ims_url=dict(type="str", default="https://ims-na1.adobelogin.com", fallback=_env("AEP_IMS_URL")),
    validate_certs=dict(type="bool", default=True, fallback=_env("AEP_VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("AEP_CA_PATH")),
    timeout=dict(type="float", default=30, fallback=_env("AEP_TIMEOUT")),
    token_cache=dict(type="bool", default=True, fallback=_env("AEP_TOKEN_CACHE")),
    retries=dict(type="int", default=5, fallback=_env("AEP_RETRIES")),
)


def common_argument_spec():
    return dict(
        auth=dict(type="dict", apply_defaults=True, options=AUTH_OPTIONS),
        sandbox=dict(type="str", default="prod", fallback=_env("AEP_SANDBOX")),
    )


def validate_sandbox(name, option="sandbox"):
    if not SANDBOX_RE.match(name or ""):
        raise AepValidationError(option, "%r is not a sandbox name; AEP sandbox names are lower-case letters, "
                                         "digits and hyphens" % (name,))
    return name


def validate_auth(auth):
    """Check credentials locally; return a list of warnings."""
    warnings = []
    if not auth.get("org_id"):
        raise AepValidationError("auth.org_id", "required: the IMS organization id (set it or AEP_ORG_ID)")
    for key in ("platform_url", "ims_url"):
        if not URL_RE.match(auth.get(key) or ""):
            raise AepValidationError("auth.%s" % key, "%r is not an http(s) URL" % (auth.get(key),))
    if auth.get("timeout") is None or auth["timeout"] <= 0:
        raise AepValidationError("auth.timeout", "must be a number of seconds greater than 0, got %r" % (auth.get("timeout"),))
    if auth.get("retries") is None or auth["retries"] < 0:
        raise AepValidationError("auth.retries", "must be 0 or more, got %r" % (auth.get("retries"),))
    if auth.get("access_token"):
        if not (auth.get("api_key") or auth.get("client_id")):
            raise AepValidationError("auth.api_key", "an access_token needs api_key (or client_id) for the x-api-key header")
        if auth.get("client_secret"):
            warnings.append("auth: both access_token and client_secret are set; using access_token")
    elif not (auth.get("client_id") and auth.get("client_secret")):
        missing = [k for k in ("client_id", "client_secret") if not auth.get(k)]
        raise AepValidationError(
            "auth", "give either client_id + client_secret (OAuth server-to-server) or access_token; "
                    "missing %s (also read from AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ACCESS_TOKEN)" % ", ".join(missing))
    if auth.get("ca_path") and not auth.get("validate_certs"):
        warnings.append("auth.ca_path is ignored because validate_certs is false")
    if not auth.get("validate_certs"):
        warnings.append("auth.validate_certs is false: TLS certificates are not checked")
    return warnings


def client_from_params(params, sleeper=None):
    """An AepClient for the ``auth`` and ``sandbox`` options; raises AepValidationError."""
    auth = params["auth"]
    warnings = validate_auth(auth)
    sandbox = validate_sandbox(params.get("sandbox"))
    if not auth["validate_certs"]:
        verify = False
    else:
        verify = auth.get("ca_path") or True
    provider = TokenProvider(
        ims_url=auth["ims_url"],
        org_id=auth["org_id"],
        client_id=auth.get("client_id"),
        client_secret=auth.get("client_secret"),
        scopes=auth.get("scopes") or DEFAULT_SCOPES,
        access_token=auth.get("access_token"),
        cache=TokenCache() if auth["token_cache"] else None,
    )
    client = AepClient(
        platform_url=auth["platform_url"],
        org_id=auth["org_id"],
        api_key=auth.get("api_key") or auth.get("client_id"),
        sandbox=sandbox,
        token_provider=provider,
        timeout=auth["timeout"],
        verify=verify,
        retries=auth["retries"],
        sleeper=sleeper,
    )
    client.warnings.extend(warnings)
    return client


def run_module(run, argument_spec, client_factory=client_from_params, common=True, **module_kwargs):
    """Build the module, call ``run(module, client)``, exit or fail cleanly."""
    spec = common_argument_spec() if common else {}
    spec.update(argument_spec)
    module_kwargs.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **module_kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    client = None
    try:
        client = client_factory(module.params)
        result = run(module, client)
    except AepError as e:
        _warn(module, client)
        if client is not None:
            e.scrub(client.scrub)
        module.fail_json(**e.to_fail_kwargs())
    _warn(module, client)
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


def _warn(module, client):
    for warning in (client.warnings if client is not None else []):
        module.warn(warning)
