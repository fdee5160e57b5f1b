#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: aep_package_info
short_description: Read Adobe Experience Platform sandbox tooling packages
version_added: 0.1.0
description:
  - Returns one package by O(id) or O(name), or every package of the organization that matches the filters,
    following the pages of C(GET /data/foundation/exim/packages) to the end.
  - With O(include_dependencies), each package also carries the dependency tree of its artifacts.
author: aep.platform contributors (@aep-platform)
options:
  id:
    description:
      - The id of one package (32 hexadecimal characters). An unknown id returns an empty list.
      - Mutually exclusive with O(name).
    type: str
  name:
    description:
      - The name of one package (names are unique within an organization). An unknown name returns an empty list.
      - Mutually exclusive with O(id).
    type: str
  status:
    description:
      - Only packages in one of these states.
    type: list
    elements: str
    choices: [DRAFT, PUBLISH_IN_PROGRESS, PUBLISHED, PUBLISH_FAILED]
  package_type:
    description:
      - Only packages of this type.
    type: str
    choices: [PARTIAL, FULL]
  created_after:
    description:
      - Only packages created at or after this time, an ISO 8601 timestamp with a time zone such as
        V(2026-05-11T00:00:00Z).
    type: str
  created_before:
    description:
      - Only packages created at or before this time, an ISO 8601 timestamp with a time zone.
    type: str
  include_dependencies:
    description:
      - Add C(dependencies) to each package, the tree returned by C(POST /packages/{id}/children) for its
        artifacts (one request per package that lists artifacts).
      - That request is a read even though it is a POST; it is also sent in check mode.
    type: bool
    default: false
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes.INFO_MODULE
seealso:
  - module: aep.platform.aep_package
  - module: aep.platform.aep_job_info
"""

EXAMPLES = r"""
- name: One package by name, with the dependency tree of its artifacts
  aep.platform.aep_package_info:
    name: loyalty-release-1
    include_dependencies: true
  register: pkg

- name: Every draft or published partial package created in May 2026
  aep.platform.aep_package_info:
    status: [DRAFT, PUBLISHED]
    package_type: PARTIAL
    created_after: "2026-05-01T00:00:00Z"
    created_before: "2026-05-31T23:59:59Z"
  register: may_packages

- name: Their names
  ansible.builtin.debug:
    msg: "{{ may_packages.packages | map(attribute='name') | list }}"
"""

RETURN = r"""
packages:
  description:
    - The matching packages as the API returns them (empty when none matches).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 209f886b00444eac9bb5836fe32e7681
      name: loyalty-release-1
      status: PUBLISHED
      packageType: PARTIAL
      expiry: 1764547199000
      sourceSandbox: {name: dev, imsOrgId: 5C1328435BF324E90A49402A@AdobeOrg}
      artifactsList:
        - {id: 0259c7a3-16ab-953e-7c2a-44478966026d, type: PROFILE_SEGMENT, found: false, count: 0}
      dependencies:
        - id: 0259c7a3-16ab-953e-7c2a-44478966026d
          title: Gold Tier Members
          type: PROFILE_SEGMENT
          children:
            - {id: 6959bec8-5b96-616a-c08f-71804ebead41, title: Loyalty ID, type: ID_NAMESPACE}
  contains:
    dependencies:
      description:
        - With O(include_dependencies), each artifact and its direct dependencies (C(children)), for every
          artifact reachable from the package's artifacts.
      returned: when O(include_dependencies=true)
      type: list
      elements: dict
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.module_utils.packages import (
    find_package_by_name, get_package, list_packages, package_children, package_matches, parse_timestamp,
    validate_id,
)


def run(module, client):
    p = module.params
    package_id = validate_id(p["id"], "id")
    if p["name"] is not None and not p["name"].strip():
        raise AepValidationError("name", "must not be empty")
    after = parse_timestamp(p["created_after"], "created_after")
    before = parse_timestamp(p["created_before"], "created_before")
    if after is not None and before is not None and after > before:
        raise AepValidationError("created_before", "must not be earlier than created_after")
    filters = dict(status=p["status"], package_type=p["package_type"], created_after=after, created_before=before)

    if package_id or p["name"]:
        found = get_package(client, package_id) if package_id else find_package_by_name(client, p["name"])
        packages = [found] if found is not None and package_matches(found, **filters) else []
    else:
        packages = [pkg for pkg in list_packages(client, **filters) if package_matches(pkg, **filters)]

    if p["include_dependencies"]:
        for pkg in packages:
            pkg["dependencies"] = package_children(client, pkg["id"], pkg.get("artifactsList"))
    return dict(changed=False, packages=packages)


def main():
    run_module(
        run,
        argument_spec=dict(
            id=dict(type="str"),
            name=dict(type="str"),
            status=dict(type="list", elements="str",
                        choices=["DRAFT", "PUBLISH_IN_PROGRESS", "PUBLISHED", "PUBLISH_FAILED"]),
            package_type=dict(type="str", choices=["PARTIAL", "FULL"]),
            created_after=dict(type="str"),
            created_before=dict(type="str"),
            include_dependencies=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("id", "name")],
    )


if __name__ == "__main__":
    main()
