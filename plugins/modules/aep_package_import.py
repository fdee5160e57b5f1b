#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: aep_package_import
short_description: Import a published sandbox tooling package into a target sandbox
version_added: 0.1.0
description:
  - Imports a PUBLISHED Adobe Experience Platform sandbox tooling package into a target sandbox of the
    organization of the call, the step that changes the target (often production) sandbox.
  - Before submitting, it reads the permission check (preflight) for the target sandbox and fails when any
    artifact that would be created cannot be, listing the missing permissions per artifact.
  - It then reads the conflicts (objects of the same type and title already in the target sandbox) and
    resolves them by O(conflict_resolution); by default any conflict not mapped in O(alternatives) stops
    the task, listing the suggestions and an O(alternatives) value that would map them.
  - The import is submitted as C(POST /packages/import) (Adobe's documentation) and, on HTTP 404/405, as
    C(PUT /packages/import) (Adobe's OpenAPI spec). With O(wait), the job is followed until it ends; a
    FAILED or CANCELLED job fails the task with the job's messages, and so does a SUCCESS job carrying
    per-artifact errors, unless O(strict=false).
  - Idempotent. When a successful import of this package into this target sandbox already exists the task
    is C(changed=false) and submits nothing; O(force=true) imports again.
  - If the import request gets no answer (timeout, dropped connection), the module reads the import jobs
    again and follows the job the lost request created; it only submits again when there is none.
  - When an import of this package into O(target_sandbox) is still running (for example, an earlier run
    timed out waiting), the module follows that job instead of submitting another, unless O(force=true).
author: aep.platform contributors (@aep-platform)
options:
  package:
    description:
      - The package to import, by id (32 hexadecimal characters) or by name, in the organization of the call
        (O(auth.org_id)). It must be PUBLISHED.
    type: str
    required: true
  target_sandbox:
    description:
      - Name of the sandbox to import into (lower-case letters, digits and hyphens), in the organization of the call.
    type: str
    required: true
  name:
    description:
      - Name of the import job. Defaults to the package's name.
    type: str
  description:
    description:
      - Description of the import job. Defaults to the package's description.
    type: str
  alternatives:
    description:
      - Map of package artifact ids to objects that already exist in the target sandbox and replace them,
        as C(source id) => C({id, type}); the mapped artifacts are not created.
      - These entries are always sent, whatever O(conflict_resolution) says. An entry for a conflicting
        artifact must have that artifact's type.
      - The C(type) is one of V(JOURNEY), V(ID_NAMESPACE), V(REGISTRY_DATATYPE), V(REGISTRY_CLASS),
        V(REGISTRY_MIXIN), V(REGISTRY_SCHEMA), V(CATALOG_DATASET), V(DULE_CONSENT_POLICY), V(PROFILE_SEGMENT),
        V(FLOW), V(MAPPING_SET), V(PROFILE_MERGE).
    type: dict
  conflict_resolution:
    description:
      - What to do with the conflicts found in the target sandbox that O(alternatives) does not map.
      - V(fail) stops before importing and lists each conflict with its suggestions, and the O(alternatives)
        value that would map each to its top suggestion (C(suggested_alternatives) in the failure).
      - V(use_alternatives) imports with the user's O(alternatives); a conflict it leaves unmapped fails.
      - V(first_suggestion) maps each conflict to its top-ranked suggestion.
      - V(create_new) imports every unmapped artifact as a new object.
    type: str
    choices: [fail, use_alternatives, first_suggestion, create_new]
    default: fail
  preflight:
    description:
      - Read the permission check for the target sandbox first and fail when an artifact that would be
        created cannot be. Artifacts mapped by alternatives are not created, so their permissions do not block.
    type: bool
    default: true
  strict:
    description:
      - Fail when the job ends SUCCESS but an artifact message inside C(completedTasks) reports an error.
        With V(false) that is a warning.
      - With V(true), an earlier SUCCESS import carrying such errors does not count as done, so the package is
        imported again.
    type: bool
    default: true
  force:
    description:
      - Import even when a successful import of this package into O(target_sandbox) already exists.
    type: bool
    default: false
  wait:
    description:
      - Wait for the import job to end (SUCCESS, FAILED or CANCELLED).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the import job with O(wait). The job keeps running on time-out.
    type: int
    default: 900
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - O(sandbox) is the C(x-sandbox-name) of the calls (usually the package's source sandbox); the target sandbox
    is given by O(target_sandbox) only.
  - In check mode the package, the earlier import jobs, the permission check and the conflicts are read, and the
    result reports the import request that would be sent and how each conflict would be resolved; nothing is submitted.
  - To import a package of another organization, share it first (M(aep.platform.aep_transfer)); the import
    always happens in the organization of the call.
seealso:
  - module: aep.platform.aep_package
  - module: aep.platform.aep_job_info
  - name: Sandbox tooling API
    description: Adobe's guide to packages, conflicts and imports.
    link: https://experienceleague.adobe.com/en/docs/experience-platform/sandbox/sandbox-tooling-api/packages
"""

EXAMPLES = r"""
- name: Check permissions and conflicts in prod, and show what an import would do
  aep.platform.aep_package_import:
    package: loyalty-release-42
    target_sandbox: prod
    conflict_resolution: first_suggestion
  check_mode: true
  register: plan

- name: Import into prod, mapping the conflicting class to the existing one
  aep.platform.aep_package_import:
    package: loyalty-release-42
    sandbox: dev
    target_sandbox: prod
    conflict_resolution: use_alternatives
    alternatives:
      "https://ns.adobe.com/acmedev/classes/0889113e04d3203f0c401c17c0fd8b352b740dc607433779":
        id: "https://ns.adobe.com/acmedev/classes/90d7d57cbcc164e56d46e9bf524ad8d68c431cadfcd3f428"
        type: REGISTRY_CLASS
    wait_timeout: 1800
  register: imported

- name: Show the ids created in prod
  ansible.builtin.debug:
    var: imported.replacement_map

- name: Import everything as new objects, without waiting
  aep.platform.aep_package_import:
    package: 09484a599f5f4a5faa43986643964615
    target_sandbox: staging
    name: staging refresh
    conflict_resolution: create_new
    wait: false
"""

RETURN = r"""
package:
  description: The package imported (its main fields), when it was read.
  returned: always
  type: dict
  sample: {"id": "09484a599f5f4a5faa43986643964615", "name": "loyalty-release-42", "status": "PUBLISHED"}
job:
  description:
    - The import job as C(GET /tools/job/{id}) answers it, with C(jobStatus), C(completedTasks) and
      C(importReplacementMap). On a C(changed=false) run, the earlier successful import job.
    - With O(wait=false), the submission's answer plus C(id). In check mode V(null).
  returned: always
  type: dict
  sample: {"id": "18abab44e25f40c284a4bd6e8f52fd29", "jobStatus": "SUCCESS", "requestType": "IMPORT"}
conflicts:
  description:
    - The conflicts read for the target sandbox, as the API answers them
      (C([{artifact, suggestionList, parentID}])). Empty on a C(changed=false) run (not read).
  returned: always
  type: list
  elements: dict
resolutions:
  description: How each conflict is (or in check mode would be) resolved.
  returned: always
  type: list
  elements: dict
  contains:
    source:
      description: The package's artifact, C({id, type, title}).
      type: dict
    target:
      description: The object of the target sandbox it is mapped to, C({id, type, title}), or V(null) when created anew.
      type: dict
    how:
      description: V(alternatives) (the user's map), V(first_suggestion), V(create_new) or V(unresolved).
      type: str
    suggestions:
      description: The suggestions of the API, best first, C([{id, type, title}]).
      type: list
      elements: dict
alternatives:
  description: The C(alternatives) map sent (or that would be sent) with the import, source id => C({id, type}).
  returned: always
  type: dict
permissions:
  description: The permission check (preflight) for the target sandbox.
  returned: always
  type: dict
  contains:
    checked:
      description: Whether the check was read (V(false) with O(preflight=false) or on a C(changed=false) run).
      type: bool
    creation_allowed:
      description: Whether every artifact that will be created can be.
      type: bool
    denied:
      description: Ids of the artifacts that would be created but cannot be.
      type: list
      elements: str
    artifacts:
      description:
        - Per artifact C(id), C(type), C(creation_allowed), C(missing_permissions) and C(required_permissions)
          (resource => permissions), and C(mapped) (replaced by an alternative, so not created).
      type: list
      elements: dict
replacement_map:
  description: Source artifact id => id of the object in the target sandbox (created, or mapped to).
  returned: always
  type: dict
  sample: {"e07a412e2418e2c9d9bc559c": "66b1b8a4bb4b9f2c1b3c1f00"}
failures:
  description: Per-artifact errors found in the job's C(completedTasks), C([{id, type, title, status, message}]).
  returned: always
  type: list
  elements: dict
import_request:
  description: The body of the import request sent (or, in check mode, that would be sent).
  returned: when the import is (or would be) submitted
  type: dict
"""

import json
import time

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module, validate_sandbox
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepStateError, AepValidationError, AepWaitTimeout,
)
from ansible_collections.aep.platform.plugins.module_utils.imports import (
    POLICIES, describe_denied, describe_unresolved, find_successful_import, get_conflicts, get_preflight,
    import_body, import_jobs, job_messages, package_summary, replacement_map, resolve_conflicts, running,
    submit_once, suggested_alternatives, summarize_preflight, validate_alternatives,
)
from ansible_collections.aep.platform.plugins.module_utils.packages import (
    ID_RE, JOB_TERMINAL, artifact_failures, get_job, job_state, resolve_package,
)
from ansible_collections.aep.platform.plugins.module_utils.waiter import wait_for


def argument_spec():
    return dict(
        package=dict(type="str", required=True),
        target_sandbox=dict(type="str", required=True),
        name=dict(type="str"),
        description=dict(type="str"),
        alternatives=dict(type="dict"),
        conflict_resolution=dict(type="str", choices=list(POLICIES), default="fail"),
        preflight=dict(type="bool", default=True),
        strict=dict(type="bool", default=True),
        force=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )


def _validate(params):
    if not (params["package"] or "").strip():
        raise AepValidationError("package", "give the package's id (32 hexadecimal characters) or its name")
    target = validate_sandbox(params["target_sandbox"], "target_sandbox")
    if params["wait_timeout"] is None or params["wait_timeout"] < 0:
        raise AepValidationError("wait_timeout", "must be 0 or more seconds, got %r" % (params["wait_timeout"],))
    if params["name"] is not None and not params["name"].strip():
        raise AepValidationError("name", "must not be empty; leave it out to use the package's name")
    return target, validate_alternatives(params["alternatives"])


def run(module, client, sleeper=time.sleep):
    p = module.params
    target, alternatives = _validate(p)
    org = client.org_id
    cache = {}

    def load_package():
        if "package" not in cache:
            cache["package"] = resolve_package(client, p["package"])
        return cache["package"]

    # By id, the earlier imports are looked up first: a no-change run then costs
    # the job list and the job, without reading the package.
    package_id = p["package"] if ID_RE.match(p["package"]) else None
    if package_id is None:
        package_id = _published(load_package(), p["package"], org)["id"]

    names = [p["name"]] if p["name"] else []
    if not p["force"]:
        done = find_successful_import(client, package_id, target, load_package, names, p["strict"])
        if done is not None:
            return _unchanged(client, done, cache.get("package"), package_id, target)

    package = _published(load_package(), p["package"], org)
    result = dict(
        changed=False, package=package_summary(package), job=None, conflicts=[], resolutions=[],
        alternatives={}, permissions=dict(checked=False), replacement_map={}, failures=[],
    )

    preflight = get_preflight(client, package["id"], target) if p["preflight"] else None
    conflicts = get_conflicts(client, package["id"], target)
    resolutions, to_send, unresolved = resolve_conflicts(conflicts, p["conflict_resolution"], alternatives)
    result.update(conflicts=conflicts, resolutions=resolutions, alternatives=to_send)
    if preflight is not None:
        result["permissions"] = summarize_preflight(preflight, to_send)
        _warn_unknown_alternatives(client, alternatives, result["permissions"], conflicts)

    problems = []
    if not result["permissions"].get("creation_allowed", True):
        problems.append("the permission check for sandbox %r denies creating %d artifact(s): %s" % (
            target, len(result["permissions"]["denied"]), "; ".join(describe_denied(result["permissions"]))))
    if unresolved:
        if p["conflict_resolution"] == "fail":
            why = "conflict_resolution is 'fail'"
        elif p["conflict_resolution"] == "use_alternatives":
            why = "alternatives does not map them (conflict_resolution: use_alternatives)"
        else:
            why = "they have no suggestion to map them to (conflict_resolution: first_suggestion)"
        suggested = suggested_alternatives(unresolved)
        problems.append("%d conflict(s) in sandbox %r are unresolved because %s: %s. Map them in alternatives%s, "
                        "or set conflict_resolution to first_suggestion or create_new" % (
                            len(unresolved), target, why, "; ".join(describe_unresolved(unresolved)),
                            (", for example %s" % json.dumps(suggested, sort_keys=True)) if suggested else ""))
        result["suggested_alternatives"] = suggested
    if problems:
        extra = dict(result)
        extra.pop("changed")
        raise AepStateError("Not importing package %r into %r: %s" % (package.get("name"), target, ". ".join(problems)),
                            **extra)

    body = import_body(package, target, org, p["name"], p["description"], to_send)
    result.update(changed=True, import_request=body,
                  diff=dict(before={}, after=dict(package=package["id"], target_sandbox=target,
                                                  name=body["name"], alternatives=to_send)))
    if module.check_mode:
        return result

    earlier = import_jobs(client, package["id"], target, package, names)
    in_progress = running(earlier)
    if in_progress and not p["force"]:
        # A run that timed out waiting left its import running: follow it rather than import twice.
        job_id, answer = in_progress[0]["id"], in_progress[0]
        client.warnings.append("an import of this package into %r is already running (job %s); following it "
                               "instead of submitting another (force: true submits anyway)" % (target, job_id))
    else:
        known = [j.get("id") for j in earlier]
        job_id, answer, warnings = submit_once(client, body, package, target, names, known)
        client.warnings.extend(warnings)
    result["job"] = dict(answer or {}, id=job_id)
    if not p["wait"]:
        return result

    try:
        job = wait_for(lambda: get_job(client, job_id), job_state, JOB_TERMINAL, p["wait_timeout"],
                       "import job %s of package %s into %s" % (job_id, package["id"], target), sleeper=sleeper)
    except AepWaitTimeout as e:
        e.extra.update(changed=True, job=e.last_object or result["job"], job_id=job_id)
        raise
    failures = artifact_failures(job)
    result.update(job=job, failures=failures, replacement_map=replacement_map(job))
    state = job_state(job)
    if state != "SUCCESS" or (failures and p["strict"]):
        extra = dict(result)
        if state == "SUCCESS":
            msg = ("import job %s ended SUCCESS but %d artifact(s) failed (strict: true): %s"
                   % (job_id, len(failures), "; ".join(job_messages(job))))
        else:
            msg = "import job %s ended %s: %s" % (job_id, state, "; ".join(job_messages(job)) or "no message from the job")
        raise AepStateError(msg, **extra)
    if failures:
        client.warnings.append("import job %s ended SUCCESS with %d artifact error(s): %s"
                               % (job_id, len(failures), "; ".join(job_messages(job))))
    return result


def _published(package, given, org):
    if package is None:
        raise AepStateError("package %r not found in org %s (give its id or exact name)" % (given, org))
    if package.get("status") != "PUBLISHED":
        status = package.get("status")
        raise AepStateError("package %r (%s) is %s; only a PUBLISHED package can be imported (publish it with "
                            "aep.platform.aep_package state=published)" % (package.get("name"), package.get("id"), status),
                            package_status=status)
    return package


def _unchanged(client, job, package, package_id, target):
    failures = artifact_failures(job)
    if failures:
        client.warnings.append("the earlier import job %s ended SUCCESS with %d artifact error(s): %s"
                               % (job.get("id"), len(failures), "; ".join(job_messages(job))))
    state = dict(package=package_id, target_sandbox=target, job=job.get("id"))
    return dict(
        changed=False, package=package_summary(package), job=job, conflicts=[], resolutions=[], alternatives={},
        permissions=dict(checked=False), replacement_map=replacement_map(job), failures=failures,
        diff=dict(before=state, after=state),
    )


def _warn_unknown_alternatives(client, alternatives, permissions, conflicts):
    known = set(a["id"] for a in permissions["artifacts"]) | set((c.get("artifact") or {}).get("id") for c in conflicts)
    unknown = sorted(k for k in alternatives if k not in known)
    if unknown and permissions["artifacts"]:
        client.warnings.append("alternatives: %s not among the package's artifacts; sent anyway" % ", ".join(unknown))


def main():
    run_module(run, argument_spec=argument_spec())


if __name__ == "__main__":
    main()
