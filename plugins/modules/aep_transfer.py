#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_transfer
short_description: Share a sandbox tooling package with other Adobe Experience Platform organizations
version_added: 0.1.0
description:
  - Copies a published sandbox tooling package from one IMS organization to others, so that it can be imported
    there with M(aep.platform.aep_package_import). Three forms, chosen by the options given.
  - B(Private transfer) from the owning org, with O(package_id) and O(target_org_ids). Every target org needs an
    approved share link with this org (see M(aep.platform.aep_handshake)); if one does not, the task fails naming
    it before anything is sent. A target that already has a PENDING, IN_PROGRESS or COMPLETED transfer of this
    package is not sent again. Uses C(POST /data/foundation/exim/transfer).
  - B(Make public) from the owning org, with O(public=true) and O(package_id), without O(source_org_id). Sets the
    package's visibility to PUBLIC (C(PUT /data/foundation/exim/packages), falling back to the spec's
    C(PUT /data/foundation/exim/packages/update) on 404/405); already public is not a change. No link is needed.
  - B(Pull) from the consuming org, with O(public=true), O(source_org_id) (the owning org) and O(package_id). Copies the
    public package into this org (C(POST /data/foundation/exim/transfer/pullRequest)); an existing PENDING,
    IN_PROGRESS or COMPLETED pull of it is not sent again.
  - Each side runs with its own credentials (O(auth) per task).
author: aep.platform contributors (@aep-platform)
options:
  package_id:
    description:
      - The package's id (32 hexadecimal characters) in the owning org. The package must be published.
    type: str
    required: true
  target_org_ids:
    description:
      - Private transfer, the IMS organization ids to transfer the package to.
      - Not with O(public=true).
    type: list
    elements: str
  public:
    description:
      - V(false) (default), a private transfer to O(target_org_ids).
      - V(true) without O(source_org_id), make this org's package public.
      - V(true) with O(source_org_id), pull that org's public package into this org.
    type: bool
    default: false
  source_org_id:
    description:
      - With O(public=true), the IMS organization id that owns the public package to pull into this org.
    type: str
  wait:
    description:
      - Wait until every transfer is COMPLETED. A FAILED transfer fails the task with the transfer's messages.
      - Nothing to wait for when making a package public.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true); running out fails the task with the last statuses seen.
    type: int
    default: 600
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - A second identical run reads the transfer list once (for a package made public, the package once) and sends
    nothing. The share links are only read for targets that still need a transfer.
  - A transfer that may have reached the server without an answer (timeout, dropped connection) is not sent again
    blindly; the transfer list is read again first, by package and target org.
  - In check mode nothing is sent; the returned transfers are predictions (C(id) is null for a new transfer), and the
    share links are still checked.
seealso:
  - module: aep.platform.aep_handshake
  - module: aep.platform.aep_transfer_info
  - module: aep.platform.aep_package
  - module: aep.platform.aep_package_import
"""

EXAMPLES = r"""
# Private transfer: needs an approved link (aep.platform.aep_handshake), runs in the owning org.
- name: Share the release package with Acme Prod Org and wait until it is there
  aep.platform.aep_transfer:
    package_id: "{{ release_package.package.id }}"
    target_org_ids:
      - 745F37C35E4B776E0A49421B@AdobeOrg
    auth:
      org_id: 5C1328435BF324E90A49402A@AdobeOrg
      client_id: "{{ dev_client_id }}"
      client_secret: "{{ dev_client_secret }}"
  register: shared

- name: The package's id in Acme Prod Org, to import it there
  ansible.builtin.debug:
    msg: "{{ shared.transfers[0].target_package_id }}"

# Public: first make the package public in the owning org (public without source_org_id) ...
- name: Make the release package public (Acme Dev Org's credentials)
  aep.platform.aep_transfer:
    package_id: "{{ release_package.package.id }}"
    public: true
    auth:
      org_id: 5C1328435BF324E90A49402A@AdobeOrg
      client_id: "{{ dev_client_id }}"
      client_secret: "{{ dev_client_secret }}"

# ... then pull it from any consuming org (public with source_org_id); no link is needed.
- name: Pull it into Acme Prod Org (Acme Prod Org's credentials)
  aep.platform.aep_transfer:
    package_id: "{{ release_package.package.id }}"
    public: true
    source_org_id: 5C1328435BF324E90A49402A@AdobeOrg
    auth:
      org_id: 745F37C35E4B776E0A49421B@AdobeOrg
      client_id: "{{ prod_client_id }}"
      client_secret: "{{ prod_client_secret }}"
  register: pulled

- name: Start a transfer without waiting for it
  aep.platform.aep_transfer:
    package_id: 0c843180a64c445ca1beece339abc04b
    target_org_ids: [745F37C35E4B776E0A49421B@AdobeOrg]
    wait: false
"""

RETURN = r"""
transfers:
  description:
    - For a private transfer, the transfer to each org of O(target_org_ids), in that order; for a pull, the one
      transfer into this org; empty when making a package public. Each is the API's object (the new transfer or the
      existing one), its latest state after O(wait=true), plus C(target_package_id).
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
      sourceIMSOrgId: 5C1328435BF324E90A49402A@AdobeOrg
      targetIMSOrgId: 745F37C35E4B776E0A49421B@AdobeOrg
      status: COMPLETED
      requestType: PRIVATE
      targetPackageId: 5e8d2c1b0a9f4e7d8c6b5a4f3e2d1c0b
      target_package_id: 5e8d2c1b0a9f4e7d8c6b5a4f3e2d1c0b
package:
  description: The package after it was made public (or found public).
  returned: when making a package public (O(public=true) without O(source_org_id))
  type: dict
  sample:
    id: 209f886b00444eac9bb5836fe32e7681
    name: release-2026-11
    status: PUBLISHED
    packageVisibility: PUBLIC
diff:
  description:
    - With C(--diff). The transfer status per target org before (null when there was none) and after; for making a
      package public, its C(packageVisibility) before and after.
  returned: in diff mode
  type: dict
  sample:
    before:
      745F37C35E4B776E0A49421B@AdobeOrg: null
    after:
      745F37C35E4B776E0A49421B@AdobeOrg: COMPLETED
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.module_utils.packages import validate_id
from ansible_collections.aep.platform.plugins.module_utils.sharing import (
    make_public, pull_public, share_private, validate_org_id, validate_org_ids, validate_wait_timeout,
)

ARGUMENT_SPEC = dict(
    package_id=dict(type="str", required=True),
    target_org_ids=dict(type="list", elements="str"),
    public=dict(type="bool", default=False),
    source_org_id=dict(type="str"),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
)


def validate(params, own_org):
    """Return the de-duplicated target orgs of a private transfer (None for public)."""
    validate_id(params["package_id"], "package_id")
    validate_wait_timeout(params["wait_timeout"])
    if params["public"]:
        if params.get("target_org_ids") is not None:
            raise AepValidationError("target_org_ids", "only for a private transfer (public: false); with public: true "
                                                       "give source_org_id to pull a package, or nothing to make "
                                                       "this org's package public")
        if params.get("source_org_id") is not None:
            validate_org_id(params["source_org_id"], "source_org_id")
            if params["source_org_id"] == own_org:
                raise AepValidationError("source_org_id", "%s is this task's own org (auth.org_id); to make this "
                                                          "org's package public leave source_org_id out" % own_org)
        return None
    if params.get("source_org_id") is not None:
        raise AepValidationError("source_org_id", "only with public: true (pull another org's public package)")
    if params.get("target_org_ids") is None:
        raise AepValidationError("target_org_ids", "required for a private transfer; or set public: true to make "
                                                   "the package public (or, with source_org_id, to pull one)")
    return validate_org_ids(params["target_org_ids"], "target_org_ids", own_org)


def run(module, client):
    params = module.params
    targets = validate(params, client.org_id)
    if not params["public"]:
        return share_private(client, params["package_id"], targets, check_mode=module.check_mode,
                             wait=params["wait"], wait_timeout=params["wait_timeout"])
    if params.get("source_org_id"):
        return pull_public(client, params["source_org_id"], params["package_id"], check_mode=module.check_mode,
                           wait=params["wait"], wait_timeout=params["wait_timeout"])
    result = make_public(client, params["package_id"], check_mode=module.check_mode)
    result["transfers"] = []
    return result


def main():
    run_module(run, argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("target_org_ids", "source_org_id")])


if __name__ == "__main__":
    main()
