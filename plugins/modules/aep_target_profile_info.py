#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_target_profile_info
short_description: Read an Adobe Target visitor profile
version_added: 0.1.0
description:
  - Fetches an Adobe Target profile by its Target id (C(tntId)) or by your own third-party id, with
    C(GET https://<client_code>.tt.omtrdc.net/rest/v1/profiles/<tntId>?client=<client_code>) or
    C(GET .../rest/v1/profiles/thirdPartyId/<id>?client=<client_code>).
  - A profile that does not exist (or has expired) is not an error; the module returns RV(found=false) with the
    API's message.
author: aep.platform contributors (@aep-platform)
options:
  client_code:
    description:
      - Your Target client code (lower-case letters and digits), for example V(acmecorp).
    type: str
    required: true
  tnt_id:
    description:
      - The Target id of the visitor (C(tntId), also C(mboxPC)), for example V(111492025094307-353046).
      - Exactly one of O(tnt_id) or O(third_party_id) is required.
    type: str
  third_party_id:
    description:
      - Your own identifier attached to the profile (CRM id, membership number...).
    type: str
  profile_token:
    description:
      - The profile authentication token, sent in the C(authorization) header, when the Profile API is secured
        in the Target UI. Never logged or returned.
    type: str
  base_url:
    description:
      - Base URL of the Target edge. Defaults to C(https://<client_code>.tt.omtrdc.net).
      - Set it to the simulator's URL to test offline.
    type: str
  validate_certs:
    description:
      - Verify TLS certificates of O(base_url). Only set to V(false) for a test endpoint; a warning is shown.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify TLS certificates of O(base_url) with.
    type: path
  timeout:
    description:
      - Seconds to wait for the answer.
    type: float
    default: 30
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes.INFO_MODULE
notes:
  - The Target Profile API does not use Adobe Experience Platform authentication. O(auth) and O(sandbox) are
    accepted, so that C(module_defaults) for C(group/aep.platform.aep) apply to this module too, but they are not
    used; O(validate_certs), O(ca_path) and O(timeout) of this module apply instead of those in O(auth).
  - Transient failures (429, 502, 503, 504, dropped connections) are retried up to three times.
"""

EXAMPLES = r"""
- name: Read a profile by Target id
  aep.platform.aep_target_profile_info:
    client_code: acmecorp
    tnt_id: 111492025094307-353046
  register: visitor

- name: Read a profile by CRM id from a secured Profile API
  aep.platform.aep_target_profile_info:
    client_code: acmecorp
    third_party_id: a1-mbox3rdPartyId
    profile_token: "{{ target_profile_token }}"
  register: visitor

- name: Show the loyalty tier, if the profile exists
  ansible.builtin.debug:
    msg: "{{ visitor.profile.profile.loyaltyTier if visitor.found else visitor.message }}"
"""

RETURN = r"""
found:
  description: Whether the profile exists.
  returned: always
  type: bool
  sample: true
profile:
  description: The profile as the Profile API returns it; empty when RV(found) is false.
  returned: always
  type: dict
  sample:
    tntId: 111492025094307-353046
    thirdPartyId: a1-mbox3rdPartyId
    profile: {loyaltyTier: gold, visits: 42}
message:
  description: The API's message when the profile is not found.
  returned: when RV(found) is false
  type: str
  sample: No profile found for client acmecorp with third party id=crm-404
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.target import client_from_params, fetch_profile, validate


def run(module, client):
    params = module.params
    validate(params)
    found, profile, message = fetch_profile(
        client, params["client_code"], tnt_id=params.get("tnt_id"), third_party_id=params.get("third_party_id"),
        profile_token=params.get("profile_token"))
    result = dict(changed=False, found=found, profile=profile)
    if not found:
        result["message"] = message
    return result


def main():
    argument_spec = dict(
        client_code=dict(type="str", required=True),
        tnt_id=dict(type="str"),
        third_party_id=dict(type="str"),
        profile_token=dict(type="str", no_log=True),
        base_url=dict(type="str"),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30),
    )
    run_module(
        run, argument_spec, client_factory=client_from_params,
        mutually_exclusive=[("tnt_id", "third_party_id")],
        required_one_of=[("tnt_id", "third_party_id")],
    )


if __name__ == "__main__":
    main()
