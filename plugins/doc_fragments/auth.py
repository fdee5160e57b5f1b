# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  auth:
    description:
      - How to reach and authenticate to Adobe Experience Platform.
      - Give either O(auth.client_id) and O(auth.client_secret) (OAuth server-to-server, the token is minted
        and cached) or a ready O(auth.access_token).
      - Every sub-option falls back to an environment variable, named as an AWX/AAP custom credential
        type would inject it, so the whole dict can usually be left out.
      - Use C(module_defaults) with C(group/aep.platform.aep) to set it once for every module.
    type: dict
    suboptions:
      client_id:
        description:
          - OAuth server-to-server client id. Also sent as C(x-api-key) unless O(auth.api_key) is set.
          - Falls back to E(AEP_CLIENT_ID).
        type: str
      client_secret:
        description:
          - OAuth server-to-server client secret. Never logged, returned or written to disk.
          - Falls back to E(AEP_CLIENT_SECRET).
        type: str
      access_token:
        description:
          - A ready bearer token, used instead of client credentials. It is not refreshed.
          - Falls back to E(AEP_ACCESS_TOKEN).
        type: str
      api_key:
        description:
          - The C(x-api-key) header. Defaults to O(auth.client_id).
          - Falls back to E(AEP_API_KEY).
        type: str
      org_id:
        description:
          - IMS organization id (C(x-gw-ims-org-id)), for example V(5C1328435BF324E90A49402A@AdobeOrg). Required.
          - Falls back to E(AEP_ORG_ID).
        type: str
      scopes:
        description:
          - OAuth scopes to request. Defaults to
            V(openid), V(AdobeID), V(read_organizations), V(additional_info.projectedProductContext), V(session).
          - Falls back to E(AEP_SCOPES) (comma-separated).
        type: list
        elements: str
      platform_url:
        description:
          - Base URL of the Platform gateway. Falls back to E(AEP_PLATFORM_URL).
        type: str
        default: https://platform.adobe.io
      ims_url:
        description:
          - Base URL of Adobe IMS. Falls back to E(AEP_IMS_URL).
        type: str
        default: https://ims-na1.adobelogin.com
      validate_certs:
        description:
          - Verify TLS certificates. Only set to V(false) for a test endpoint; a warning is shown.
          - Falls back to E(AEP_VALIDATE_CERTS).
        type: bool
        default: true
      ca_path:
        description:
          - A CA bundle (PEM) to verify TLS certificates with. Falls back to E(AEP_CA_PATH).
        type: path
      timeout:
        description:
          - Seconds to wait for each HTTP answer. Falls back to E(AEP_TIMEOUT).
        type: float
        default: 30
      token_cache:
        description:
          - Reuse minted tokens across tasks and runs until five minutes before they expire.
          - Tokens are kept under C($XDG_CACHE_HOME/aep.platform/tokens) (or C(~/.cache/...)), mode 0600;
            the client secret is never stored.
          - Falls back to E(AEP_TOKEN_CACHE).
        type: bool
        default: true
      retries:
        description:
          - How many times a call is retried, with exponential backoff and jitter, honouring C(Retry-After).
          - Reads (GET, DELETE) are retried on 429, 500, 502, 503, 504 and dropped connections. A create or
            update (POST, PUT) is only retried where the server cannot have acted on it (429, 503, connection
            refused); after an ambiguous failure the module re-reads by natural key instead of re-sending.
          - Falls back to E(AEP_RETRIES).
        type: int
        default: 5
  sandbox:
    description:
      - The sandbox the call runs in (C(x-sandbox-name)). Falls back to E(AEP_SANDBOX).
    type: str
    default: prod
requirements:
  - python >= 3.9
  - requests
"""
