#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_handshake_info
short_description: List the share requests (org links) of an Adobe Experience Platform organization
version_added: 0.1.0
description:
  - Lists the incoming and outgoing share requests (handshakes) of this org (O(auth.org_id)), through every page
    of C(GET /data/foundation/exim/handshake/list).
author: aep.platform contributors (@aep-platform)
options:
  request_type:
    description:
      - V(INCOMING) lists the requests other orgs sent to this org, V(OUTGOING) the ones this org sent.
      - When not set, both are listed (outgoing first).
    type: str
    choices: [INCOMING, OUTGOING]
  status:
    description:
      - Only the requests in one of these statuses. V(APPROVAL_PENDING) and V(IN_PROGRESS) are both "waiting for
        approval".
    type: list
    elements: str
    choices: [APPROVAL_PENDING, IN_PROGRESS, APPROVED, REJECTED]
  linking_id:
    description:
      - Only the request with this C(linkingId).
    type: str
  org_id:
    description:
      - Only the requests exchanged with this other IMS organization (as source or target).
    type: str
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes.INFO_MODULE
seealso:
  - module: aep.platform.aep_handshake
"""

EXAMPLES = r"""
- name: Requests waiting for this org's approval
  aep.platform.aep_handshake_info:
    request_type: INCOMING
    status: [APPROVAL_PENDING, IN_PROGRESS]
  register: pending

- name: Approve each of them
  aep.platform.aep_handshake:
    state: approved
    linking_id: "{{ item.linkingId }}"
    target_org:
      name: Acme Prod Org
      region: va6
  loop: "{{ pending.handshakes }}"

- name: Approved links this org requested
  aep.platform.aep_handshake_info:
    request_type: OUTGOING
    status: [APPROVED]
"""

RETURN = r"""
handshakes:
  description: The share requests, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - linkingId: 2b1c7f0e9d8a4b6c8e0f1a2b3c4d5e6f
      sourceIMSOrgId: 5C1328435BF324E90A49402A@AdobeOrg
      targetIMSOrgId: 745F37C35E4B776E0A49421B@AdobeOrg
      sourceRegion: va7
      targetRegion: va6
      status: APPROVED
      statusHistory: '[{"action":"INITIATED","actionTimeStamp":1724929442467,"reason":null}]'
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.sharing import (
    HANDSHAKE_REQUEST_TYPES, HANDSHAKE_STATUSES, list_handshakes, validate_org_id,
)

ARGUMENT_SPEC = dict(
    request_type=dict(type="str", choices=list(HANDSHAKE_REQUEST_TYPES)),
    status=dict(type="list", elements="str", choices=list(HANDSHAKE_STATUSES)),
    linking_id=dict(type="str"),
    org_id=dict(type="str"),
)


def run(module, client):
    params = module.params
    if params.get("org_id"):
        validate_org_id(params["org_id"], "org_id")
    items = list_handshakes(client, params.get("request_type"), params.get("status"))
    if params.get("linking_id"):
        items = [h for h in items if params["linking_id"] in (h.get("linkingId"), h.get("id"))]
    if params.get("org_id"):
        items = [h for h in items if params["org_id"] in (h.get("sourceIMSOrgId"), h.get("targetIMSOrgId"))]
    return dict(changed=False, handshakes=items)


def main():
    run_module(run, argument_spec=ARGUMENT_SPEC)


if __name__ == "__main__":
    main()
