#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_handshake
short_description: Link Adobe Experience Platform organizations for package sharing
version_added: 0.1.0
description:
  - Sends, approves or rejects the share requests (handshakes) that link two IMS organizations, so
    that private sandbox tooling packages can be transferred between them with M(aep.platform.aep_transfer).
  - Each side runs with its own credentials. From the B(source) org, O(state=requested) sends a request to
    every org of O(target_org_ids) that has no pending or approved link yet. From each B(target) org,
    O(state=approved) (or V(rejected)) answers the incoming request, found by O(linking_id) or O(from_org_id).
  - Uses C(POST /data/foundation/exim/handshake/bulkCreate), C(POST /data/foundation/exim/handshake/action)
    and C(GET /data/foundation/exim/handshake/list).
author: aep.platform contributors (@aep-platform)
options:
  state:
    description:
      - V(requested) sends a share request from this org (O(auth.org_id)) to each org of O(target_org_ids)
        that has no pending or approved link with it yet, in either direction. A target that already has
        one is not a change. A target the API refuses (C(failedRequests)) fails the task, naming the org and the reason.
      - V(approved) or V(rejected) answers an incoming request from this org, the target org. A request already
        in that state is not a change; a request already in the opposite final state fails the task (the source
        org has to send a new request).
    type: str
    choices: [requested, approved, rejected]
    default: requested
  target_org_ids:
    description:
      - With O(state=requested), the IMS organization ids to send the share request to.
    type: list
    elements: str
  source_org_name:
    description:
      - With O(state=requested), this org's name, sent as the request's source details (C(sourceIMSDetails.name))
        together with O(auth.org_id).
    type: str
  linking_id:
    description:
      - With O(state=approved) or O(state=rejected), the C(linkingId) of the incoming request to answer.
      - Mutually exclusive with O(from_org_id).
    type: str
  from_org_id:
    description:
      - With O(state=approved) or O(state=rejected), the IMS organization id that sent the request. The pending
        request from that org is answered; without one, the latest request from it is checked against O(state).
      - Mutually exclusive with O(linking_id).
    type: str
  reason:
    description:
      - With O(state=approved) or O(state=rejected), the reason recorded with the answer.
      - Defaults to a short text naming this collection.
    type: str
  target_org:
    description:
      - With O(state=approved) or O(state=rejected), the details of the answering (target) org, sent as
        C(targetIMSOrgDetails).
    type: dict
    suboptions:
      id:
        description:
          - The answering org's IMS organization id. Defaults to O(auth.org_id); if given it must be that org.
        type: str
      name:
        description:
          - The answering org's name.
        type: str
        required: true
      region:
        description:
          - The answering org's region, for example V(va6) or V(va7).
        type: str
        required: true
  wait:
    description:
      - With O(state=requested), wait until every target org has approved its request.
      - A REJECTED request fails the task; running out of O(wait_timeout) fails it with the last statuses seen.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 600
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - A link is directional in the API (a request goes from a source org to a target org) but either direction
    counts as a link here. If a target org has already sent this org a pending request, O(state=requested) sends
    nothing and warns that this org should approve that request instead.
  - A request that may have reached the server without an answer (timeout, dropped connection) is not sent again
    blindly; the outgoing requests are read again first.
  - In check mode nothing is sent; the returned handshakes are predictions (C(linkingId) is null for a new request).
seealso:
  - module: aep.platform.aep_handshake_info
  - module: aep.platform.aep_transfer
"""

EXAMPLES = r"""
- name: Ask Acme Prod Org to link with Acme Dev Org (runs with Acme Dev Org's credentials)
  aep.platform.aep_handshake:
    state: requested
    target_org_ids:
      - 745F37C35E4B776E0A49421B@AdobeOrg
    source_org_name: Acme Dev Org
    auth:
      org_id: 5C1328435BF324E90A49402A@AdobeOrg
      client_id: "{{ dev_client_id }}"
      client_secret: "{{ dev_client_secret }}"
  register: link_request

- name: Approve it from Acme Prod Org (runs with Acme Prod Org's credentials)
  aep.platform.aep_handshake:
    state: approved
    from_org_id: 5C1328435BF324E90A49402A@AdobeOrg
    reason: Promotion of the loyalty programme
    target_org:
      name: Acme Prod Org
      region: va6
    auth:
      org_id: 745F37C35E4B776E0A49421B@AdobeOrg
      client_id: "{{ prod_client_id }}"
      client_secret: "{{ prod_client_secret }}"

- name: Reject a request by its linking id
  aep.platform.aep_handshake:
    state: rejected
    linking_id: "{{ link_request.handshakes[0].linkingId }}"
    reason: Not expected
    target_org:
      name: Acme Prod Org
      region: va6

- name: Send the request and wait (up to 1 hour) until the other org approved it
  aep.platform.aep_handshake:
    target_org_ids: [745F37C35E4B776E0A49421B@AdobeOrg]
    source_org_name: Acme Dev Org
    wait: true
    wait_timeout: 3600
"""

RETURN = r"""
handshakes:
  description:
    - With O(state=requested), the link with each org of O(target_org_ids), in that order, as the API returns it
      (the new request, or the existing pending or approved one). After O(wait=true), their final state.
  returned: state is requested
  type: list
  elements: dict
  sample:
    - linkingId: 2b1c7f0e9d8a4b6c8e0f1a2b3c4d5e6f
      sourceIMSOrgId: 5C1328435BF324E90A49402A@AdobeOrg
      targetIMSOrgId: 745F37C35E4B776E0A49421B@AdobeOrg
      sourceRegion: va7
      status: APPROVAL_PENDING
handshake:
  description:
    - With O(state=approved) or O(state=rejected), the answered request as the API returns it.
  returned: state is approved or rejected
  type: dict
  sample:
    linkingId: 2b1c7f0e9d8a4b6c8e0f1a2b3c4d5e6f
    sourceIMSOrgId: 5C1328435BF324E90A49402A@AdobeOrg
    targetIMSOrgId: 745F37C35E4B776E0A49421B@AdobeOrg
    targetRegion: va6
    status: APPROVED
diff:
  description:
    - With C(--diff). For O(state=requested), the link status per target org before and after (null when there was
      none); for O(state=approved) or O(state=rejected), the request's C(status) before and after.
  returned: in diff mode
  type: dict
  sample:
    before:
      745F37C35E4B776E0A49421B@AdobeOrg: null
    after:
      745F37C35E4B776E0A49421B@AdobeOrg: APPROVAL_PENDING
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.module_utils.sharing import (
    act_on_request, request_links, validate_org_id, validate_org_ids, validate_wait_timeout,
)

ARGUMENT_SPEC = dict(
    state=dict(type="str", choices=["requested", "approved", "rejected"], default="requested"),
    target_org_ids=dict(type="list", elements="str"),
    source_org_name=dict(type="str"),
    linking_id=dict(type="str"),
    from_org_id=dict(type="str"),
    reason=dict(type="str"),
    target_org=dict(type="dict", options=dict(
        id=dict(type="str"),
        name=dict(type="str", required=True),
        region=dict(type="str", required=True),
    )),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=600),
)

REQUEST_ONLY = ("target_org_ids", "source_org_name")
ANSWER_ONLY = ("linking_id", "from_org_id", "reason", "target_org")


def validate(params, own_org):
    state = params["state"]
    validate_wait_timeout(params["wait_timeout"])
    if state == "requested":
        for option in ANSWER_ONLY:
            if params.get(option) is not None:
                raise AepValidationError(option, "only used with state approved or rejected (this task has "
                                                 "state: requested)")
        if not (params.get("source_org_name") or "").strip():
            raise AepValidationError("source_org_name", "required with state: requested (this org's name, sent as "
                                                        "the request's source details)")
        return validate_org_ids(params.get("target_org_ids"), "target_org_ids", own_org)
    for option in REQUEST_ONLY:
        if params.get(option) is not None:
            raise AepValidationError(option, "only used with state: requested (this task has state: %s)" % state)
    if params.get("from_org_id"):
        validate_org_id(params["from_org_id"], "from_org_id")
    target_org = params.get("target_org") or {}
    if target_org.get("id") and target_org["id"] != own_org:
        raise AepValidationError("target_org.id", "%s is not this task's org %s (auth.org_id): a request is "
                                                  "answered by its target org, with that org's credentials"
                                 % (target_org["id"], own_org))
    for key in ("name", "region"):
        if not (target_org.get(key) or "").strip():
            raise AepValidationError("target_org.%s" % key, "must not be empty")
    return None


def run(module, client):
    params = module.params
    targets = validate(params, client.org_id)
    if params["state"] == "requested":
        return request_links(client, targets, params["source_org_name"], check_mode=module.check_mode,
                             wait=params["wait"], wait_timeout=params["wait_timeout"])
    return act_on_request(client, params["state"].upper(), params["target_org"], reason=params.get("reason"),
                          linking_id=params.get("linking_id"), from_org_id=params.get("from_org_id"),
                          check_mode=module.check_mode)


def main():
    run_module(
        run,
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("linking_id", "from_org_id")],
        required_if=[
            ("state", "requested", ("target_org_ids", "source_org_name")),
            ("state", "approved", ("linking_id", "from_org_id"), True),
            ("state", "approved", ("target_org",)),
            ("state", "rejected", ("linking_id", "from_org_id"), True),
            ("state", "rejected", ("target_org",)),
        ],
    )


if __name__ == "__main__":
    main()
