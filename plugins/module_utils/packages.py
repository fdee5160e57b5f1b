# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sandbox tooling packages and jobs (``/data/foundation/exim``): lookups shared by modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError

EXIM = "/data/foundation/exim"

# Artifact types a package may list (Adobe's table); answers may also carry others.
ARTIFACT_TYPES = (
    "JOURNEY", "ID_NAMESPACE", "REGISTRY_DATATYPE", "REGISTRY_CLASS", "REGISTRY_MIXIN", "REGISTRY_SCHEMA",
    "CATALOG_DATASET", "DULE_CONSENT_POLICY", "PROFILE_SEGMENT", "FLOW",
)
PACKAGE_STATUSES = ("DRAFT", "PUBLISH_IN_PROGRESS", "PUBLISHED", "PUBLISH_FAILED")
JOB_STATUSES = ("PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCELLED")
JOB_TERMINAL = ("SUCCESS", "FAILED", "CANCELLED")
REQUEST_TYPES = ("EXPORT", "IMPORT", "COPY")
ID_RE = re.compile(r"^[0-9a-fA-F]{32}$")
FAILURE_WORDS = ("ERROR", "FAILED", "FAILURE")


def validate_id(value, option):
    """Package, job and transfer ids are 32 hex characters."""
    if value is not None and not ID_RE.match(value):
        raise AepValidationError(option, "%r is not an id: expected 32 hexadecimal characters" % (value,))
    return value


def get_package(client, package_id):
    """The package, or None when it does not exist."""
    return client.get("%s/packages/%s" % (EXIM, package_id), missing_ok=True)


def find_packages(client, **filters):
    """Every package matching ``property`` filters, e.g. ``status=["DRAFT", "PUBLISHED"]``.

    A list value is an OR (comma); separate keys are ANDed (repeated ``property``).
    """
    props = []
    for key, value in sorted(filters.items()):
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        props.append("%s==%s" % (key, value))
    query = {"property": props} if props else None
    return client.paginate("%s/packages" % EXIM, query=query)


def find_package_by_name(client, name):
    """The org's package named ``name`` (names are unique within an org), or None.

    The API filters by name, but the answer is checked again for the exact name
    because a server may match loosely.
    """
    matches = [p for p in find_packages(client, name=name) if p.get("name") == name]
    return matches[0] if matches else None


def resolve_package(client, id_or_name):
    """A package given by id (32 hex) or by name; None when absent."""
    if ID_RE.match(id_or_name or ""):
        found = get_package(client, id_or_name)
        if found is not None:
            return found
    return find_package_by_name(client, id_or_name)


def artifact_keys(package):
    """The set of (id, type) a package lists."""
    return set((a.get("id"), a.get("type")) for a in (package or {}).get("artifactsList") or [])


def get_job(client, job_id):
    """The job object from ``/tools/job/{id}`` (unwrapped from its ``object`` envelope), or None."""
    body = client.get("%s/tools/job/%s" % (EXIM, job_id), missing_ok=True)
    if isinstance(body, dict) and isinstance(body.get("object"), dict):
        return body["object"]
    return body


def job_state(job):
    return (job or {}).get("jobStatus")


def artifact_failures(job):
    """Per-artifact failures hidden in ``completedTasks`` (a job may say SUCCESS and still carry them)."""
    failures = []
    for task in (job or {}).get("completedTasks") or []:
        artifact = task.get("artifact") or {}
        bad = [m for m in artifact.get("messages") or []
               if str(m.get("status", "")).upper() in FAILURE_WORDS]
        if str(task.get("taskStatus", "")).upper() in FAILURE_WORDS and not bad:
            bad = [dict(status=task.get("taskStatus"), message="task %s" % task.get("taskStatus"))]
        for message in bad:
            failures.append(dict(
                id=artifact.get("id"), type=artifact.get("type"), title=artifact.get("title"),
                status=message.get("status"), message=message.get("message"),
            ))
    return failures
