#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_transfer_info
short_description: Read package transfers between Adobe Experience Platform organizations
version_added: 0.1.0
description:
  - Reads one package transfer by O(id) (C(GET /data/foundation/exim/transfer/{id})), or lists the transfers this
    org (O(auth.org_id)) sent or received, through every page of C(GET /data/foundation/exim/transfer/list).
author: aep.platform contributors (@aep-platform)
options:
  id:
    description:
      - The transfer's id. An unknown id returns an empty list.
      - Mutually exclusive with the list filters O(request_type), O(status) and O(package_id).
    type: str
  request_type:
    description:
      - V(PRIVATE) lists transfers through a share link, V(PUBLIC) pulls of public packages. Both when not set.
    type: str
    choices: [PRIVATE, PUBLIC]
  status:
    description:
      - Only the transfers in one of these statuses.
    type: list
    elements: str
    choices: [PENDING, IN_PROGRESS, COMPLETED, FAILED]
  package_id:
    description:
      - Only the transfers of this package (its id in the source org).
    type: str
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes.INFO_MODULE
seealso:
  - module: aep.platform.aep_transfer
"""

EXAMPLES = r"""
- name: One transfer
  aep.platform.aep_transfer_info:
    id: 0c843180a64c445ca1beece339abc04b
  register: transfer

- name: Failed private transfers
  aep.platform.aep_transfer_info:
    request_type: PRIVATE
    status: [FAILED]

- name: Everything that happened to one package
  aep.platform.aep_transfer_info:
    package_id: 209f886b00444eac9bb5836fe32e7681
"""

RETURN = r"""
transfers:
  description: The transfers, as the API returns them, plus C(target_package_id).
  returned: always
  type: list
  elements: dict
  contains:
    target_package_id:
      description: The package's id in the target org, when the API gives it (C(targetPackageId)); else null.
      type: str
      returned: always
  sample:
    - id: 0c843180a64c445ca1beece339abc04b
      packageId: 209f886b00444eac9bb5836fe32e7681
      packageName: release-2026-11
      sourceIMSOrgId: 5C1328435BF324E90A49402A@AdobeOrg
      targetIMSOrgId: 745F37C35E4B776E0A49421B@AdobeOrg
      status: COMPLETED
      requestType: PRIVATE
      target_package_id: 5e8d2c1b0a9f4e7d8c6b5a4f3e2d1c0b
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.packages import validate_id
from ansible_collections.aep.platform.plugins.module_utils.sharing import (
    TRANSFER_REQUEST_TYPES, TRANSFER_STATUSES, get_transfer, list_transfers, with_target_package,
)

ARGUMENT_SPEC = dict(
    id=dict(type="str"),
    request_type=dict(type="str", choices=list(TRANSFER_REQUEST_TYPES)),
    status=dict(type="list", elements="str", choices=list(TRANSFER_STATUSES)),
    package_id=dict(type="str"),
)


def run(module, client):
    params = module.params
    validate_id(params.get("id"), "id")
    validate_id(params.get("package_id"), "package_id")
    if params.get("id"):
        found = get_transfer(client, params["id"])
        return dict(changed=False, transfers=[with_target_package(found)] if found else [])
    items = list_transfers(client, params.get("request_type"), params.get("status"))
    if params.get("package_id"):
        items = [t for t in items if t.get("packageId") == params["package_id"]]
    return dict(changed=False, transfers=[with_target_package(t) for t in items])


def main():
    run_module(run, argument_spec=ARGUMENT_SPEC,
               mutually_exclusive=[("id", "request_type"), ("id", "status"), ("id", "package_id")])


if __name__ == "__main__":
    main()
