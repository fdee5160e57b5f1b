#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: aep_package
short_description: Manage Adobe Experience Platform sandbox tooling packages
version_added: 0.1.0
description:
  - Create, update, publish, make public and delete a sandbox tooling package
    (C(/data/foundation/exim/packages)) declaratively.
  - The package is found by O(id), or by O(name) (names are unique within an organization).
  - O(state=present) creates the package when it is missing, otherwise converges it. Metadata
    (O(name), O(description), O(source_sandbox), O(expiry)) is changed with the C(UPDATE) action, artifacts with
    C(ADD) and C(DELETE) so that the set of (id, type) equals O(artifacts).
  - O(state=published) does the same, then publishes (exports) the package when it is C(DRAFT) or
    C(PUBLISH_FAILED) and, with O(wait), waits until it is C(PUBLISHED).
  - A published package is immutable. When its content differs from what the task asks, the module fails
    and says so; give the package a new name or delete it first with O(state=absent).
  - Only the options you set are compared. A second identical run is not a change and costs one read request.
author: aep.platform contributors (@aep-platform)
options:
  name:
    description:
      - The package's name, unique within the organization.
      - Required to create a package. With O(id), a different O(name) renames the package.
      - At least one of O(name) and O(id) is required.
    type: str
  id:
    description:
      - The package's id (32 hexadecimal characters).
      - A package given by O(id) must exist unless O(state=absent).
    type: str
  description:
    description:
      - The package's description.
    type: str
  package_type:
    description:
      - V(PARTIAL) packages list the artifacts they export; V(FULL) packages export a whole sandbox and carry
        no artifact list.
      - New packages are V(PARTIAL) when this is not set. The type of an existing package cannot be changed;
        when set, it is checked.
    type: str
    choices: [PARTIAL, FULL]
  source_sandbox:
    description:
      - The sandbox the artifacts come from.
      - New packages use O(sandbox) when this is not set.
    type: str
  artifacts:
    description:
      - The artifacts of a V(PARTIAL) package. With O(purge_artifacts=true) the package ends up with exactly
        these (id, type) pairs; with O(purge_artifacts=false) missing ones are only added.
      - Not allowed with O(package_type=FULL).
      - When not set, the package's artifacts are left alone.
    type: list
    elements: dict
    suboptions:
      id:
        description: The artifact's id, for example a schema's C($id) URI or a segment's id.
        type: str
        required: true
      type:
        description:
          - The artifact's type, one of V(JOURNEY), V(ID_NAMESPACE), V(REGISTRY_DATATYPE), V(REGISTRY_CLASS),
            V(REGISTRY_MIXIN), V(REGISTRY_SCHEMA), V(CATALOG_DATASET), V(DULE_CONSENT_POLICY),
            V(PROFILE_SEGMENT), V(FLOW) (case-insensitive).
        type: str
        required: true
      title:
        description: A title sent with the artifact. It is not compared.
        type: str
  purge_artifacts:
    description:
      - Remove the artifacts of the package that O(artifacts) does not list.
    type: bool
    default: true
  expiry:
    description:
      - When the package expires, an ISO 8601 timestamp with a time zone, for example V(2026-12-31T23:59:59Z).
      - Compared to the second, and only while the package is not published, because publishing sets the
        expiry from O(expiry_period).
    type: str
  visibility:
    description:
      - V(public) makes the package public once it is C(PUBLISHED), so that other organizations can pull it.
        With O(state=present) the package must already be published.
      - A public package cannot be made private again; V(private) only checks that it is not public.
    type: str
    choices: [private, public]
  state:
    description:
      - V(present) creates or converges the package (it stays a C(DRAFT) if it is one).
      - V(published) converges it, then publishes it.
      - V(absent) deletes it.
    type: str
    choices: [present, absent, published]
    default: present
  expiry_period:
    description:
      - Days between publication and expiry, passed when the package is published (the API defaults to 90).
    type: int
  wait:
    description:
      - With O(state=published), wait until the package is C(PUBLISHED) (or fail if it ends C(PUBLISH_FAILED)).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the publication.
    type: int
    default: 900
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - Calls C(GET /packages/{id}) or C(GET /packages?property=name==NAME) to read the package, C(POST /packages) to
    create it, C(PUT /packages) with C(ADD), C(DELETE) or C(UPDATE) to change it, C(GET /packages/{id}/export) to
    publish it, C(PUT /packages) (falling back to C(PUT /packages/update)) to make it public and
    C(DELETE /packages/{id}) to delete it.
  - When a create request gets no answer (time-out, dropped connection), the module looks the package up by
    name before creating it again, so a package is never created twice.
  - Check mode sends no request that changes anything and returns the predicted package.
seealso:
  - module: aep.platform.aep_package_info
  - module: aep.platform.aep_package_import
  - module: aep.platform.aep_job_info
  - name: Sandbox tooling packages API
    description: Adobe's reference for the packages endpoint.
    link: https://experienceleague.adobe.com/en/docs/experience-platform/sandbox/sandbox-tooling-api/packages
"""

EXAMPLES = r"""
- name: A draft package with two artifacts of the dev sandbox
  aep.platform.aep_package:
    name: loyalty-release-1
    description: Loyalty schema and audience
    sandbox: dev
    artifacts:
      - id: https://ns.adobe.com/acmedev/schemas/32e85402ca66c1013dbde2afbe0007e159ba7b85d6649da9
        type: REGISTRY_SCHEMA
      - id: 0259c7a3-16ab-953e-7c2a-44478966026d
        type: PROFILE_SEGMENT
        title: Gold Tier Members
    expiry: "2026-12-31T23:59:59Z"

- name: Publish it, wait until it is published, and make it public
  aep.platform.aep_package:
    name: loyalty-release-1
    sandbox: dev
    state: published
    expiry_period: 30
    visibility: public
    wait_timeout: 600
  register: release

- name: Show the export job
  ansible.builtin.debug:
    var: release.job

- name: Add an artifact without removing the others
  aep.platform.aep_package:
    name: loyalty-release-2
    sandbox: dev
    purge_artifacts: false
    artifacts:
      - id: 6959bec8-5b96-616a-c08f-71804ebead41
        type: ID_NAMESPACE

- name: A package of the whole sandbox
  aep.platform.aep_package:
    name: dev-full-copy
    package_type: FULL
    source_sandbox: dev
    state: published

- name: Delete a package by id
  aep.platform.aep_package:
    id: 209f886b00444eac9bb5836fe32e7681
    state: absent
"""

RETURN = r"""
package:
  description:
    - The package as the API returned it last (the predicted package in check mode, where C(id) is null for a
      package that would be created). Null after O(state=absent).
  returned: always
  type: dict
  sample:
    id: 209f886b00444eac9bb5836fe32e7681
    name: loyalty-release-1
    description: Loyalty schema and audience
    packageType: PARTIAL
    status: PUBLISHED
    packageVisibility: public
    expiry: 1764547199000
    publishDate: 1762000000000
    sourceSandbox: {name: dev, imsOrgId: 5C1328435BF324E90A49402A@AdobeOrg}
    artifactsList:
      - {id: 0259c7a3-16ab-953e-7c2a-44478966026d, type: PROFILE_SEGMENT, title: Gold Tier Members, found: false, count: 0}
job:
  description:
    - The export job this run started (O(state=published)), from C(/tools/job/{id}) once the wait is over,
      with C(completedTasks). Without O(wait), the export answer with the job id in C(id) and C(jobId).
    - Null when no publication was started (check mode, or the package was already published).
  returned: always
  type: dict
  sample:
    id: 18abab44e25f40c284a4bd6e8f52fd29
    requestType: EXPORT
    jobStatus: SUCCESS
    packageId: 209f886b00444eac9bb5836fe32e7681
    completedTasks: []
diff:
  description: Before and after of the fields the task sets (in the module's terms), with C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The fields before the change (empty when the package did not exist).
      type: dict
    after:
      description: The fields after the change (empty after a deletion).
      type: dict
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.packages import (
    PackageRequest, ensure_package, lookup_package, remove_package,
)


def run(module, client):
    req = PackageRequest(module.params, org_id=client.org_id)
    current = lookup_package(client, req)
    if req.state == "absent":
        return remove_package(client, req, current, module.check_mode)
    return ensure_package(client, req, current, module.check_mode)


def main():
    run_module(
        run,
        argument_spec=dict(
            name=dict(type="str"),
            id=dict(type="str"),
            description=dict(type="str"),
            package_type=dict(type="str", choices=["PARTIAL", "FULL"]),
            source_sandbox=dict(type="str"),
            artifacts=dict(type="list", elements="dict", options=dict(
                id=dict(type="str", required=True),
                type=dict(type="str", required=True),
                title=dict(type="str"),
            )),
            purge_artifacts=dict(type="bool", default=True),
            expiry=dict(type="str"),
            visibility=dict(type="str", choices=["private", "public"]),
            state=dict(type="str", default="present", choices=["present", "absent", "published"]),
            expiry_period=dict(type="int"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=900),
        ),
        required_one_of=[("name", "id")],
    )


if __name__ == "__main__":
    main()
