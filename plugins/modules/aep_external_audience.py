#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_external_audience
short_description: Manage external audience metadata in Adobe Experience Platform
version_added: 0.1.0
description:
  - Creates the metadata of an external audience (an audience whose data is ingested separately, for example
    by batch ingestion) so that it shows in Audience Portal, with
    C(POST /data/core/ais/audiences?createAudienceMetaOnly=true) and the mandatory C(Accept) header
    C(application/vnd.adobe.external.audiences+json; version=2), which the module always sends.
  - Idempotent. The audience is identified by its O(namespace) and its external O(audience_id); an audience
    that already exists is not created twice. A changed O(name) or O(description) is updated in place.
  - With O(state=absent) the audience is deleted.
author: aep.platform contributors (@aep-platform)
options:
  name:
    description:
      - Name of the audience. Required when O(state=present).
    type: str
  description:
    description:
      - Description of the audience. Not compared when left out.
    type: str
  audience_id:
    description:
      - The externally generated identifier of the audience (C(audienceId)).
      - With O(namespace), the key the audience is found by.
    type: str
    required: true
  namespace:
    description:
      - The namespace of the audience, for example V(agora).
    type: str
    required: true
  origin_name:
    description:
      - The name of the audience's origin (C(originName)), for example V(Agora_Collaboration).
      - It cannot be changed once the audience exists; a difference fails the task.
    type: str
  state:
    description:
      - V(present) creates the audience, or updates its name and description.
      - V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - Adobe documents only the create call. To find, update and delete an audience the module relies on
    C(GET /data/core/ais/audiences?property=namespace==NS&property=audienceId==ID) (paged),
    C(PATCH /data/core/ais/audiences/{id}) with C(name) and C(description), and
    C(DELETE /data/core/ais/audiences/{id}). This is an assumption, implemented by the collection's simulator.
    If the API refuses the update, the task fails and names each field that differs.
  - A create that fails with a timeout or a dropped connection may have reached Adobe. The module then looks the
    audience up by namespace and audience_id and only creates it again if it is really absent.
  - A second run with the same options costs one read request and reports no change.
"""

EXAMPLES = r"""
- name: Declare an external audience
  aep.platform.aep_external_audience:
    sandbox: prod
    name: Sample audience name
    description: A sample description for the audience.
    audience_id: 4a815904-f2f9-4237-82fb-55605bcc2ad7
    namespace: agora
    origin_name: Agora_Collaboration
  register: audience

- name: Show the system id of the audience
  ansible.builtin.debug:
    msg: "{{ audience.audience.id }}"

- name: Remove the audience
  aep.platform.aep_external_audience:
    sandbox: prod
    audience_id: 4a815904-f2f9-4237-82fb-55605bcc2ad7
    namespace: agora
    state: absent
"""

RETURN = r"""
audience:
  description:
    - The audience as the API knows it (predicted in check mode, where a new audience has no C(id)).
    - Empty after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 6bb1ee15-8f64-49fd-bce3-d5c2f22f1f14
    name: Sample audience name
    description: A sample description for the audience.
    audienceId: 4a815904-f2f9-4237-82fb-55605bcc2ad7
    namespace: agora
    originName: Agora_Collaboration
  contains:
    id:
      description: The system-generated identifier of the audience.
      type: str
      returned: when the audience exists
    name:
      description: Name of the audience.
      type: str
    audienceId:
      description: The external identifier of the audience.
      type: str
    namespace:
      description: The namespace of the audience.
      type: str
    description:
      description: Description of the audience.
      type: str
      returned: when known
    originName:
      description: The name of the audience's origin.
      type: str
      returned: when known
diff:
  description: The fields the task sets (API names), before and after. With C(--diff) only.
  returned: when diff mode is on
  type: dict
  sample:
    before: {name: Old name}
    after: {name: Sample audience name}
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.audiences import (
    UPDATABLE, create_audience, delete_audience, desired_from_params, find_audience, immutable_differences,
    update_audience, validate,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import AepStateError
from ansible_collections.aep.platform.plugins.module_utils.sync import converge, make_diff, normalize, remove


def _compare(desired, current):
    """Changed keys; a missing description equals an empty one."""
    changed = []
    for key, value in desired.items():
        if value is None:
            continue
        have = current.get(key)
        if key == "description" and not value and not have:
            continue
        if normalize(value) != normalize(have):
            changed.append(key)
    return sorted(changed)


def run(module, client):
    params = module.params
    validate(params)
    desired = desired_from_params(params)
    current = find_audience(client, params["namespace"], params["audience_id"])

    if params["state"] == "absent":
        changed, diff = remove(current, lambda obj: delete_audience(client, obj), module.check_mode)
        keys = sorted(k for k, v in desired.items() if v is not None)
        return dict(changed=changed, audience={}, diff=make_diff(current, None, keys) if changed else diff)

    if current is not None:
        frozen = immutable_differences(current, desired)
        if frozen:
            raise AepStateError(
                "The audience %s (namespace %r, audience_id %r) exists with %s; %s cannot be changed. "
                "Delete it (state: absent) and create it again." % (
                    current.get("id"), params["namespace"], params["audience_id"],
                    ", ".join("%s %r instead of %r" % (k, current.get(k), desired[k]) for k in frozen),
                    ", ".join(frozen)),
                audience=current)

    def update(obj, keys):
        return update_audience(client, obj, desired, [k for k in keys if k in UPDATABLE])

    changed, audience, diff = converge(
        current, desired,
        create=lambda body: create_audience(client, body),
        update=update,
        check_mode=module.check_mode,
        compare=_compare,
    )
    return dict(changed=changed, audience=audience, diff=diff)


def main():
    argument_spec = dict(
        name=dict(type="str"),
        description=dict(type="str"),
        audience_id=dict(type="str", required=True),
        namespace=dict(type="str", required=True),
        origin_name=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    run_module(run, argument_spec, required_if=[("state", "present", ["name"])])


if __name__ == "__main__":
    main()
