#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: aep_job_info
short_description: Read Adobe Experience Platform sandbox tooling export and import jobs
version_added: 0.1.0
description:
  - Returns one job by O(id) (C(GET /data/foundation/exim/tools/job/{id})), or every export/import job
    matching the filters (C(GET /data/foundation/exim/packages/jobs), all pages).
  - Each job carries C(artifact_failures) and a C(summary) of its per-artifact results. A job can end
    C(SUCCESS) while some artifacts failed; those failures are only found in the artifact messages of
    C(completedTasks), which is what C(artifact_failures) lists.
author: aep.platform contributors (@aep-platform)
options:
  id:
    description:
      - The id of one job (32 hexadecimal characters). An unknown id returns an empty list.
    type: str
  request_type:
    description:
      - Only jobs of this kind.
    type: str
    choices: [EXPORT, IMPORT, COPY]
  job_status:
    description:
      - Only jobs in one of these states.
    type: list
    elements: str
    choices: [PENDING, IN_PROGRESS, SUCCESS, FAILED, CANCELLED]
  job_type:
    description:
      - Only jobs of this type.
    type: str
    choices: [NEW, RESUME, ROLLBACK]
  package_id:
    description:
      - Only jobs of this package (32 hexadecimal characters).
    type: str
  details:
    description:
      - For a list, read each job's detail (C(/tools/job/{id}), one request per job) so that it carries
        C(completedTasks), C(artifact_failures) and C(summary). The list answer alone has none of them.
      - With V(false), C(artifact_failures) and C(summary) are null for listed jobs.
    type: bool
    default: true
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes.INFO_MODULE
seealso:
  - module: aep.platform.aep_package
  - module: aep.platform.aep_package_import
"""

EXAMPLES = r"""
- name: One job
  aep.platform.aep_job_info:
    id: 18abab44e25f40c284a4bd6e8f52fd29
  register: job

- name: Fail when an artifact of the job failed, even if the job says SUCCESS
  ansible.builtin.assert:
    that: job.jobs[0].artifact_failures | length == 0
    fail_msg: "{{ job.jobs[0].artifact_failures }}"

- name: Every failed or successful import of a package
  aep.platform.aep_job_info:
    request_type: IMPORT
    job_status: [SUCCESS, FAILED]
    package_id: 209f886b00444eac9bb5836fe32e7681
  register: imports
"""

RETURN = r"""
jobs:
  description:
    - The matching jobs (empty when none matches). A listed job has the keys of the list answer and, with
      O(details), those of the job's detail too.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 18abab44e25f40c284a4bd6e8f52fd29
      requestType: IMPORT
      jobStatus: SUCCESS
      packageId: 209f886b00444eac9bb5836fe32e7681
      completedTasks:
        - taskType: IMPORT
          taskStatus: FAILED
          artifact:
            id: 0259c7a3-16ab-953e-7c2a-44478966026d
            type: PROFILE_SEGMENT
            title: Gold Tier Members
            messages: [{status: FAILED, message: "User does not have the permissions needed ..."}]
      artifact_failures:
        - id: 0259c7a3-16ab-953e-7c2a-44478966026d
          type: PROFILE_SEGMENT
          title: Gold Tier Members
          status: FAILED
          message: "User does not have the permissions needed ..."
      summary:
        tasks: 1
        failed_tasks: 1
        message_statuses: {FAILED: 1}
        has_failures: true
  contains:
    artifact_failures:
      description:
        - Every artifact message of C(completedTasks) whose status is an error (C(ERROR), C(FAILED), C(FAILURE)),
          and every failed task. Null for a listed job when O(details=false).
      returned: always
      type: list
      elements: dict
    summary:
      description:
        - C(tasks) (number of completed tasks), C(failed_tasks), C(message_statuses) (count of each artifact
          message status) and C(has_failures) (an artifact failed or the job is C(FAILED)).
          Null for a listed job when O(details=false).
      returned: always
      type: dict
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.packages import (
    find_jobs, get_job, job_summary, validate_id,
)


def _with_summary(job):
    job = dict(job)
    summary = job_summary(job)
    job["artifact_failures"] = summary.pop("failures")
    job["summary"] = summary
    return job


def run(module, client):
    p = module.params
    job_id = validate_id(p["id"], "id")
    package_id = validate_id(p["package_id"], "package_id")
    if job_id:
        job = get_job(client, job_id)
        jobs = [_with_summary(job)] if job is not None else []
        return dict(changed=False, jobs=jobs)
    listed = find_jobs(client, request_type=p["request_type"], job_status=p["job_status"],
                       job_type=p["job_type"], package_id=package_id)
    jobs = []
    for item in listed:
        if p["details"] and item.get("id"):
            detail = get_job(client, item["id"]) or {}
            merged = dict(item)
            merged.update(detail)
            jobs.append(_with_summary(merged))
        else:
            jobs.append(dict(item, artifact_failures=None, summary=None))
    return dict(changed=False, jobs=jobs)


def main():
    run_module(
        run,
        argument_spec=dict(
            id=dict(type="str"),
            request_type=dict(type="str", choices=["EXPORT", "IMPORT", "COPY"]),
            job_status=dict(type="list", elements="str",
                            choices=["PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCELLED"]),
            job_type=dict(type="str", choices=["NEW", "RESUME", "ROLLBACK"]),
            package_id=dict(type="str"),
            details=dict(type="bool", default=True),
        ),
        mutually_exclusive=[("id", "request_type"), ("id", "job_status"), ("id", "job_type"), ("id", "package_id")],
    )


if __name__ == "__main__":
    main()
